"""The Playground's two charts read well: tick labels that fit side by side stay upright, long
English tokens tilt instead of running into each other, and the probability axis reaches 100%."""

from __future__ import annotations

import numpy as np
import pytest


def test_token_labels_tilt_only_when_they_would_run_into_each_other():
    from ui import charts

    english = ["the", "new", "smartphone", "has", "a", "faster", "chip", "and", "a", "better", "camera", "."]
    chinese = list("今天股市大涨了")
    short = ["a", "cheap", "good", "meal"]

    def angle(tokens: list[str]) -> float:
        fig = charts.token_attributions(tokens, [0.1] * len(tokens), "x")
        return fig.layout.xaxis.tickangle or 0

    assert angle(english) == -45  # 12 tokens, "smartphone" among them: upright, they overlapped
    assert angle(chinese) == 0 and angle(short) == 0


def test_a_long_chinese_text_names_every_other_token_instead_of_piling_them_up():
    """A 53-character review put 53 upright characters in a half-width chart, one on top of the next."""
    from ui import charts

    review = list(
        "挺不错的一家酒店，专门接待国家领导人的。其中的经济标间小了点，但挺紧凑。不好的就是卫生间全玻璃的。不太方便"
    )
    fig = charts.token_attributions(review, [0.1] * len(review), "x")
    named = fig.layout.xaxis.ticktext
    assert len(named) <= charts.TOKEN_LABEL_ROOM and named[:2] == ("挺", "错")  # one in two, in reading order
    assert fig.layout.xaxis.tickangle == 0 and "one token in 2" in fig.layout.xaxis.title.text
    assert list(fig.data[0].customdata) == review  # each bar still names its token on hover
    short = list("今天股市大涨了")
    assert charts.token_attributions(short, [0.1] * 7, "x").layout.xaxis.ticktext == tuple(short)  # all named


def test_a_long_text_hides_its_token_labels_instead_of_piling_them_up():
    from ui import charts

    tokens = [f"word{i}" for i in range(charts.MAX_TOKEN_LABELS + 1)]
    fig = charts.token_attributions(tokens, [0.1] * len(tokens), "x")
    assert fig.layout.xaxis.showticklabels is False and "hover" in fig.layout.xaxis.title.text
    assert fig.data[0].customdata[-1] == tokens[-1]  # each bar still names its token
    fig = charts.token_attributions(tokens[:-1], [0.1] * (len(tokens) - 1), "x")
    assert fig.layout.xaxis.showticklabels is not False


def test_the_training_curve_draws_the_smoothed_loss_without_a_cliff_at_each_epoch():
    from ui import charts

    # epoch means restart at each epoch (9 → 7, then 6.6 ...): drawn as they are, a cliff at epoch 1
    metrics = [
        {"event": "step", "epoch": e, "train/loss": mean, "train/loss_recent": smooth}
        for e, mean, smooth in [(0.5, 8.0, 7.5), (1.0, 7.2, 6.9), (1.5, 6.6, 6.7), (2.0, 6.5, 6.5)]
    ]
    fig = charts.training_curves(metrics, "loss", "MLM loss")
    assert list(fig.data[0].y) == [7.5, 6.9, 6.7, 6.5]
    older = [{k: v for k, v in m.items() if k != "train/loss_recent"} for m in metrics]  # runs from before
    assert list(charts.training_curves(older, "loss", "MLM loss").data[0].y) == [8.0, 7.2, 6.6, 6.5]


def test_the_probability_axis_shows_its_100_percent_tick():
    from ui import charts

    fig = charts.probability_bars(["a", "b"], np.array([0.2, 0.8]))
    assert 1 in fig.layout.xaxis.tickvals and fig.layout.xaxis.range[1] > 1
    # a bar too thin to hold its label gets it beside the bar ("auto" drew none for the least likely class)
    thin = charts.probability_bars(["a", "b", "c"], np.array([0.00003, 0.02, 0.97997]))
    assert list(thin.data[0].text) == ["< 0.1%", "2.0%", "98.0%"]
    assert list(thin.data[0].textposition) == ["outside", "outside", "inside"] and thin.data[0].cliponaxis is False


def test_a_thousand_classes_draw_the_likeliest_and_one_bar_for_the_rest():
    """Every class had its bar: 1,000 classes drew a chart 34,000 px tall."""
    from ui import charts

    proba = np.random.default_rng(0).dirichlet(np.ones(1000))
    labels = [f"class {i}" for i in range(1000)]
    fig = charts.probability_bars(labels, proba)
    names, values = list(fig.data[0].y), list(fig.data[0].x)
    assert len(names) == charts.MAX_PROBABILITY_BARS and fig.layout.height < 600
    assert names[0] == "989 other classes" and names[-1] == labels[int(proba.argmax())]
    assert sum(values) == pytest.approx(1.0) and values[-1] == pytest.approx(proba.max())
    assert len(charts.probability_bars(labels[:12], proba[:12]).data[0].y) == 12  # few classes: all of them
    # a long intent name is cut on the axis, as on the other charts, and whole in the bar's hover
    long = charts.probability_bars(["account_settings_change_notification_preferences", "b"], np.array([0.9, 0.1]))
    assert long.data[0].y[-1] == "account_settings_change_notification_preferences"
    assert long.layout.yaxis.ticktext[-1] == "account_settings_ch…"


def test_a_single_learning_curve_still_names_its_run():
    from ui import charts

    fig = charts.overlaid_curves({"bow_mlp-1": ([1, 2], [0.5, 0.7])}, "Validation accuracy per epoch", "accuracy")
    assert fig.layout.showlegend is True and fig.data[0].name == "bow_mlp-1"


def test_one_huge_text_does_not_squeeze_the_length_histogram():
    import pandas as pd

    from ui import charts

    texts = [f"short text number {i}" for i in range(200)] + ["x" * 10_000]
    frame = pd.DataFrame({"text": texts, "lang": ["en"] * len(texts)})
    fig = charts.length_histogram(frame)
    assert fig.data[0].name == "English"  # the language as a word, not its code
    assert fig.data[0].xbins.end < 100  # the axis ends near the 99th percentile, not at 10,000
    notes = [a.text for a in fig.layout.annotations]
    assert notes == ["1 longer text (10,000 characters) is off the chart"], notes
    even = charts.length_histogram(frame.iloc[:200])  # nothing far out: the plain histogram, no note
    assert even.data[0].nbinsx == 40 and not even.layout.annotations


def test_one_point_gets_a_tick_not_an_axis_around_it_and_shares_stay_below_one():
    import pandas as pd

    from ui import charts

    fig = charts.overlaid_curves({"run": ([1], [1.0])}, "Validation accuracy per epoch", "accuracy", unit_interval=True)
    assert list(fig.layout.xaxis.tickvals) == [1] and list(fig.layout.xaxis.range) == [0.5, 1.5]
    assert fig.layout.yaxis.range[1] <= 1.02 and fig.layout.yaxis.range[0] >= 0
    curve = charts.training_curves([{"event": "eval", "epoch": 2, "val/accuracy": 0.99}], "accuracy", "Accuracy")
    assert curve.layout.yaxis.range[1] <= 1.02 and list(curve.layout.xaxis.tickvals) == [2]
    # a pretraining cut at 0.36 of an epoch: its one point reads "0.36" on an axis around it
    cut = charts.overlaid_curves({"validation": ([0.3605263], [524.9])}, "Perplexity", "perplexity")
    assert list(cut.layout.xaxis.ticktext) == ["0.36"] and list(cut.layout.yaxis.range) == pytest.approx(
        [472.41, 577.39]
    )
    several = charts.overlaid_curves({"run": ([1, 2], [3.0, 2.0])}, "Perplexity", "perplexity")
    assert several.layout.xaxis.tickvals is None and several.layout.yaxis.range is None  # left to plotly
    same = pd.DataFrame({"text": ["x" * 10_000] * 3, "lang": ["en"] * 3})
    histogram = charts.length_histogram(same)
    assert list(histogram.layout.xaxis.tickvals) == [10_000] and histogram.data[0].xbins.size == 1


def test_a_narrow_spread_of_lengths_is_counted_in_whole_characters():
    import pandas as pd

    from ui import charts

    frame = pd.DataFrame({"text": ["x" * n for n in (55, 56, 57, 57, 58)], "lang": ["en"] * 5})
    fig = charts.length_histogram(frame)
    assert fig.data[0].xbins.size == 1 and fig.layout.xaxis.dtick == 1 and fig.layout.xaxis.tickformat == ",d"


def test_the_attention_map_names_every_token_on_both_axes():
    import numpy as np

    from ui import charts

    tokens = [f"tok{i}" for i in range(20)]
    fig = charts.attention_heatmap(np.full((20, 20), 0.05), tokens, 0, 0)
    assert fig.layout.xaxis.dtick == 1 and fig.layout.yaxis.dtick == 1
    # and which way it reads: a row's token looks at the columns' (nothing said so)
    assert fig.layout.xaxis.title.text == "the token each row looks at"


def test_bar_labels_have_thousands_separators():
    from ui import charts

    fig = charts.class_balance({"sports": 9031, "food": 8332})
    assert sorted(fig.data[0].text) == ["8,332", "9,031"]


def test_confusion_counts_carry_thousands_separators():
    from ui.charts import confusion_heatmap

    fig = confusion_heatmap([[1553, 12], [3, 980]], ["neg", "pos"])
    assert list(fig.data[0].text[0]) == ["1,553", "12"]
    assert fig.data[1].customdata[0][0] == "1,553 texts"
    # one text is "1 text" in the hover: it said "1 texts"
    fig = confusion_heatmap([[5, 1], [0, 4]], ["neg", "pos"])
    assert fig.data[0].customdata[0][1] == "1 text" and fig.data[1].customdata[1][0] == "1 text"
    assert fig.data[0].customdata[1][0] == "0 texts" and "texts (" not in fig.data[0].hovertemplate


def test_a_confusion_matrix_of_many_classes_leaves_its_empty_cells_blank():
    """30 intents: 870 zeros printed around the few mistakes that mattered; the hover still counts them."""
    from ui.charts import confusion_heatmap

    n = 12
    matrix = [[5 if i == j else (2 if (i, j) == (0, 1) else 0) for j in range(n)] for i in range(n)]
    heat = confusion_heatmap(matrix, [f"c{i}" for i in range(n)]).data[0]
    assert list(heat.text[0][:3]) == ["5", "2", ""] and heat.text[2][2] == "5" and heat.customdata[0][2] == "0 texts"
    assert "%{customdata} (" in heat.hovertemplate
    few = confusion_heatmap([[5, 0], [1, 4]], ["a", "b"]).data[0]
    assert list(few.text[0]) == ["5", "0"]  # a few classes: every count, zeros too


def test_the_confusion_matrix_ends_at_its_cells_first_class_on_top():
    """The click markers padded the axes' autorange: an empty strip under the last row, grid lines
    through the cells."""
    from ui.charts import confusion_heatmap

    fig = confusion_heatmap([[5, 1, 0], [0, 4, 2], [1, 0, 6]], ["a", "b", "c"])
    assert tuple(fig.layout.xaxis.range) == (-0.5, 2.5) and tuple(fig.layout.yaxis.range) == (2.5, -0.5)
    assert fig.layout.xaxis.showgrid is False and fig.layout.yaxis.showgrid is False
    from ui.charts import agreement_heatmap  # the same cells, the first row on top as on the confusion matrix

    fig = agreement_heatmap(np.array([[5, 1], [0, 4]]), ["a", "b"], "run A", "run B")
    assert tuple(fig.layout.xaxis.range) == (-0.5, 1.5) and tuple(fig.layout.yaxis.range) == (1.5, -0.5)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_rows_title_of_the_confusion_matrix_has_room_in_the_left_margin(monkeypatch, language):
    """Above two short class names the left margin fitted "neg" and "pos", and "真实 ↓", drawn in that
    margin, lost half its first character; in presenter mode its font grows, and the margin with it."""
    from ui import i18n, presenter
    from ui.charts import confusion_heatmap, text_px

    monkeypatch.setattr(i18n, "lang", lambda: language)
    fig = confusion_heatmap([[5, 1], [0, 6]], ["neg", "pos"])
    (note,) = fig.layout.annotations
    assert note.text == ("真实 ↓" if language == "zh" else "true ↓") and note.xanchor == "right" and note.x == 0
    assert fig.layout.margin.l >= text_px(note.text, 14) >= (2 * 14 + 2 * 8 if language == "zh" else 5 * 8)
    monkeypatch.setattr(presenter, "active", lambda: True)
    presenter.scale(fig)
    assert fig.layout.margin.l >= text_px(note.text, note.font.size) > text_px(note.text, 14)


def test_the_reliability_counts_sit_at_the_bars_feet():
    """At the top, the dashed diagonal of a well-calibrated bar ran through its count."""
    from ui.charts import reliability_diagram

    bins = [{"lower": 0.9, "upper": 1.0, "count": 1012, "accuracy": 0.97, "confidence": 0.96}]
    bar = reliability_diagram({"bins": bins, "ece": 0.02}).data[1]
    assert list(bar.text) == ["1,012"] and bar.insidetextanchor == "start"


def test_a_reliability_bin_where_every_text_was_wrong_is_drawn_with_its_count():
    """A bin of accuracy 0 (the worst calibrated) drew a bar of height 0 with its count inside: nothing
    showed, and the chart read as if no text had that confidence."""
    from ui.charts import reliability_diagram

    bins = [
        {"lower": 0.3, "upper": 0.4, "count": 3, "accuracy": 0.0, "confidence": 0.35},
        {"lower": 0.9, "upper": 1.0, "count": 469, "accuracy": 0.97, "confidence": 0.96},
    ]
    bar = reliability_diagram({"bins": bins, "ece": 0.02}).data[1]
    assert list(bar.text) == ["3", "469"]
    assert list(bar.textposition) == ["outside", "inside"] and bar.cliponaxis is False
    assert bar.marker.line.width > 0  # a bar of height 0 is a line on the axis


def test_curves_over_whole_epochs_tick_whole_epochs():
    from ui.charts import overlaid_curves

    assert overlaid_curves({"a": ([1, 2], [0.5, 0.6])}, "t", "y").layout.xaxis.dtick == 1
    assert overlaid_curves({"a": ([0.5, 1.0, 1.5], [0.5, 0.6, 0.7])}, "t", "y").layout.xaxis.dtick is None
    # 30 epochs: a tick at each overlapped at half a page's width; plotly's own are whole numbers then
    assert overlaid_curves({"a": (list(range(1, 31)), [1.0] * 30)}, "t", "y").layout.xaxis.dtick is None


def test_a_map_of_unlabelled_texts_draws_every_point_and_hovers_only_what_the_run_has():
    import pandas as pd

    from ui import charts

    long = "word " * 60
    frame = pd.DataFrame(
        {
            "text": ["first note", "second note", long],
            "label": [None, None, None],  # an unlabelled dataset, pretrained on
            "split": ["val", "test", "test"],
            "lang": ["en"] * 3,
            "pred": [None] * 3,
            "confidence": [np.nan] * 3,
            "row": [0, 1, 2],
        }
    )
    fig = charts.embedding_map(np.random.default_rng(0).random((3, 2)), frame, "label", "notes")
    assert sum(len(trace.x) for trace in fig.data) == 3  # were 0: a group "nan" that matched no row
    assert [trace.name for trace in fig.data] == ["no label"]
    some = frame.assign(label=[None, "a", "b"])  # unlabelled texts go last and keep the classes' colours
    mixed = charts.embedding_map(np.zeros((3, 2)), some, "label", "some")
    assert [(tr.name, tr.marker.color) for tr in mixed.data][:2] == [("a", charts.PALETTE[0]), ("b", charts.PALETTE[1])]
    assert mixed.data[-1].name == "no label"
    # a legend of long intent names is cut (each point's hover has its class whole)
    named = some.assign(label=[None, "account_settings_change_notification_preferences", "b"])
    legend = [tr.name for tr in charts.embedding_map(np.zeros((3, 2)), named, "label", "long").data]
    assert legend == ["account_settings_change_not…", "b", "no label"], legend
    assert "label" not in fig.data[0].hovertemplate and "predicted" not in fig.data[0].hovertemplate
    hover = fig.data[0].customdata[:, 1].tolist()
    assert hover[2].endswith("…") and len(hover[2].replace("<br>", " ")) == charts.HOVER_CHARS  # cut, and says so

    frame["label"] = ["food", "travel", "food"]
    frame["pred"] = ["food", "food", "food"]
    frame["confidence"] = [0.91, 0.55, 0.997]
    frame["correct"] = ["correct", "wrong", "correct"]
    fig = charts.embedding_map(np.zeros((3, 2)), frame, "correct", "scores")
    colours = {trace.name: trace.marker.color for trace in fig.data}
    assert colours["wrong"] == "#e03131" and colours["correct"] != colours["wrong"]  # mistakes in red
    sizes = {trace.name: trace.marker.size for trace in fig.data}
    assert sizes["wrong"] > sizes["correct"] and fig.data[-1].name == "wrong"  # bigger, and drawn on top
    first = fig.data[0]
    assert "label %{customdata[2]}" in first.hovertemplate and "predicted" in first.hovertemplate
    assert first.customdata[0, 4] == "91%"  # a share, not a bare 1 or 0.997


def test_a_3d_map_hides_its_meaningless_axes_as_the_2d_map_does():
    import pandas as pd

    from ui import charts

    frame = pd.DataFrame(
        {"text": ["a", "b"], "label": ["x", "y"], "pred": ["x", "x"], "confidence": [0.9, 0.6], "row": [0, 1]}
    )
    fig = charts.embedding_map(np.zeros((2, 3)), frame, "label", "3-D")
    for axis in (fig.layout.scene.xaxis, fig.layout.scene.yaxis, fig.layout.scene.zaxis):
        assert axis.showticklabels is False and axis.title.text == ""


def test_the_playground_star_is_named_where_it_lands():
    """A star among 1,500 dots was found only through the legend."""
    import pandas as pd

    from ui import charts

    frame = pd.DataFrame(
        {"text": ["a", "b"], "label": ["x", "y"], "pred": ["x", "x"], "confidence": [0.9, 0.6], "row": [0, 1]}
    )
    fig = charts.embedding_map(np.zeros((2, 2)), frame, "label", "map", star=np.array([0.25, -0.5]))
    (note,) = fig.layout.annotations
    assert (note.x, note.y, note.text, note.showarrow) == (0.25, -0.5, "your text", True)
    assert (note.ax, note.ay) == (-48, -44)  # right of the middle: the label to its left; below it: above
    coords = np.array([[0.0, 0.0], [1.0, 1.0]])
    (note,) = charts.embedding_map(coords, frame, "label", "map", star=np.array([0.9, 0.9])).layout.annotations
    assert (note.ax, note.ay) == (-48, 44)  # plotly's ay points down: a star at the top has its label below
    assert not charts.embedding_map(np.zeros((2, 2)), frame, "label", "map").layout.annotations


def test_the_agreement_matrix_says_its_rows_and_columns_are_each_models_predictions():
    from ui import charts

    fig = charts.agreement_heatmap(np.eye(2, dtype=int), ["a", "b"], "MLP · 1234", "TF-IDF + LR · 99ab")
    assert fig.layout.yaxis.title.text == "predicted by MLP · 1234"
    assert fig.layout.xaxis.title.text == "predicted by TF-IDF + LR · 99ab"
    assert fig.data[0].colorbar.title.text == "texts"
    big = charts.agreement_heatmap(np.array([[1749, 3], [2, 1549]]), ["a", "b"], "A", "B")
    assert big.data[0].text[0][0] == "1,749" and "%{text}" in big.data[0].hovertemplate  # as the confusion matrix


def test_per_class_bars_carry_their_values_until_there_are_too_many_to_read():
    from ui import charts

    few = charts.grouped_bars(["pos", "neg"], {"a": [0.91, 0.5], "b": [1.0, 0.25]}, "F1")
    assert [bar.texttemplate for bar in few.data] == ["%{y:.2f}", "%{y:.2f}"]
    assert few.data[1].cliponaxis is False  # the label of a perfect class stays in sight
    # a gap between a group's bars: on a phone two labels that each fit their bar ran together ("0.940.93")
    assert few.layout.bargroupgap and few.layout.bargroupgap > 0
    labels = [f"class {i}" for i in range(20)]
    many = charts.grouped_bars(labels, {"a": [0.5] * 20, "b": [0.5] * 20}, "F1")
    assert {bar.textposition for bar in many.data} == {"none"} and "%{y:.3f}" in many.data[0].hovertemplate


def test_each_language_keeps_its_colour_from_chart_to_chart():
    """By position in the data, Chinese was red on one dataset, green on the next, orange on a third."""
    import pandas as pd

    from ui import charts

    def colours(langs):
        frame = pd.DataFrame({"text": [f"text {i}" for i in range(len(langs))], "lang": langs})
        return {trace.name: trace.marker.color for trace in charts.length_histogram(frame).data}

    zh_only, both = colours(["zh"] * 4), colours(["en", "zh", "mixed", "zh"])
    assert zh_only["Chinese"] == both["Chinese"] and len(set(both.values())) == 3
    points = pd.DataFrame({"text": ["a", "b", "c"], "lang": ["zh", "zh", "en"], "row": [0, 1, 2]})
    mapped = {t.name: t.marker.color for t in charts.embedding_map(np.zeros((3, 2)), points, "lang", "map").data}
    assert mapped["Chinese"] == zh_only["Chinese"] and mapped["English"] == both["English"]


def test_a_map_of_many_classes_gives_each_its_own_colour_and_a_lone_group_keeps_its_legend():
    import pandas as pd

    from ui import charts

    n = 40
    frame = pd.DataFrame(
        {
            "text": [f"text {i}" for i in range(n)],
            "label": [f"topic_{i:02d}" for i in range(n)],
            "pred": [f"topic_{i:02d}" for i in range(n)],
            "confidence": [0.9] * n,
            "lang": ["en"] * n,
            "row": list(range(n)),
        }
    )
    coords = np.random.default_rng(0).random((n, 3))
    fig = charts.embedding_map(coords[:, :2], frame, "label", "forty")
    colours = [trace.marker.color for trace in fig.data]
    # with ten colours topic_00, topic_10, topic_20 and topic_30 looked alike
    assert len(set(colours[:30])) == 30 and colours[0] != colours[10] != colours[20]
    assert fig.layout.legend.itemsizing == "constant"  # 3-D markers made 2-px swatches
    one = charts.embedding_map(coords, frame, "lang", "one language")
    assert len(one.data) == 1 and one.layout.showlegend is True  # plotly hides a lone trace's legend
    few = charts.embedding_map(coords[:4, :2], frame.iloc[:4], "label", "four")
    assert [trace.marker.color for trace in few.data] == charts.PALETTE[:4]  # a few classes keep the usual colours


def test_a_run_keeps_its_colour_whichever_others_are_ticked_and_on_every_page():
    """Compare coloured runs by their order among the ticked, then by their row in the board (sorted by
    accuracy): the baseline was orange on Evaluate and green on Compare once a third run beat it."""
    from ui.charts import BASELINE_COLOUR, run_colours

    runs = ["base", "mlp", "rbf", "tiny"]  # oldest first
    three = run_colours(runs, "base", ["mlp", "base", "rbf"])
    assert three["base"] == BASELINE_COLOUR and len(set(three.values())) == 3
    assert run_colours(runs, "base", ["rbf", "mlp"]) == {"rbf": three["rbf"], "mlp": three["mlp"]}  # ticked or not
    assert run_colours([*runs, "new"], "base", ["mlp", "base"]) == {"mlp": three["mlp"], "base": BASELINE_COLOUR}
    # more runs than colours: two shown would share one, so the shown take them in turn, each distinct
    many = [f"run{i}" for i in range(20)]
    assert len(set(run_colours(many, None, ["run1", "run10"]).values())) == 2
    # 40 runs ticked: the wide palette, no colour on two runs until 29 others are taken (9 colours had each on 4 or 5)
    forty = [f"run{i}" for i in range(40)]
    coloured = run_colours(forty, forty[0], forty)
    assert len(set(coloured[run] for run in forty[1:29])) == 28 and coloured[forty[0]] == BASELINE_COLOUR
    assert BASELINE_COLOUR not in [coloured[run] for run in forty[1:]]


def test_runs_an_experiment_made_do_not_move_the_users_own_runs_colours(studio_home):
    """A quick experiment's runs, folded away on Compare, took places among the dataset's runs: two shown
    runs then shared a colour and every run was recoloured, green on Evaluate and blue on Compare."""
    import time

    from core.names import EXPERIMENT_TAG, name_run
    from core.registry import RunStore
    from ui.charts import run_colours
    from ui.sidebar import colour_order, runs_for

    store = RunStore()

    def made(run_id: str, experiment: bool = False):
        run = store.create({"encoder": "bow_mlp", "dataset": "d"}, run_id=run_id)
        if experiment:
            name_run(run, tags=[EXPERIMENT_TAG], by_experiment=True)
        time.sleep(0.01)  # runs are listed by creation time
        return run

    made("base")
    made("mine-1")
    mine = ["mine-1"]
    alone = run_colours(colour_order(runs_for("d")), "base", ["base", "mine-1"])
    for i in range(3):
        made(f"le-{i}", experiment=True)
    made("mine-2")
    mine.append("mine-2")
    later = run_colours(colour_order(runs_for("d")), "base", ["base", *mine])
    assert later["mine-1"] == alone["mine-1"] and len(set(later.values())) == 3
    # the colour mine-2 would have had with no experiment ever run
    assert later["mine-2"] == run_colours(["base", "mine-1", "mine-2"], "base", ["mine-2"])["mine-2"]
    assert colour_order(runs_for("d")) == ["base", "mine-1", "mine-2", "le-0", "le-1", "le-2"]


def test_a_long_chinese_text_is_wrapped_in_its_map_hover_box():
    """120 Chinese characters on one line were wider than the chart: the box lost its left edge."""
    from ui import charts

    review = "房间很大，装修也不错，早餐种类很多，服务员态度很好，就是离地铁站有点远，打车也不方便。" * 3
    lines = charts.hover_text(review).split("<br>")
    assert len(lines) >= 3 and all(len(line) <= charts.HOVER_LINE // 2 + 1 for line in lines), lines
    assert not any(line.startswith(("，", "。")) for line in lines)  # a line never opens on a comma
    assert "".join(lines).removesuffix("…") == review[: charts.HOVER_CHARS - 1]  # nothing lost but the cut
    english = charts.hover_text("the striker scored twice " * 8)
    assert all(len(line) <= charts.HOVER_LINE for line in english.split("<br>")) and "<br>" in english
    assert " ".join(english.split("<br>")).startswith("the striker scored twice the striker")  # broken at spaces
    assert charts.hover_text("<b>x</b> & {y}") == "&lt;b&gt;x&lt;/b&gt; &amp; &#123;y}"  # still escaped
    url = charts.hover_text("see https://example.com/" + "a" * 150)  # no space to break at: cut at the width
    assert all(len(line) <= charts.HOVER_LINE for line in url.split("<br>")) and url.count("<br>") >= 2
    mixed = charts.hover_text("good hotel，" * 12).split("<br>")
    assert len(mixed) > 1 and not any(line.startswith("，") for line in mixed)


def test_the_line_above_the_leaderboard_names_the_best_run_a_tie_or_the_baseline():
    import pandas as pd

    from tests.app.test_pages import shown
    from ui.leaderboard import verdict as line

    def verdict(frame):
        said = line(frame)
        return None if said is None else shown(said)  # as the reader sees it, the markdown escapes gone

    def board(*rows, baseline: bool = True):
        frame = pd.DataFrame(rows, columns=["label", "family", "accuracy"])
        if baseline:
            top = frame.loc[frame["family"] == "baseline", "accuracy"].max()
            frame["vs baseline"] = 100 * (frame["accuracy"] - top)
        return frame

    base = ("TF-IDF + LR · dd50", "baseline", 0.90)
    assert verdict(board(base)) is None  # one run: nothing to rank
    mlp = ("bag-of-words MLP · e215", "bow_mlp", 0.9234)
    assert verdict(board(base, mlp)) == "Best: bag-of-words MLP · e215, 0.9234 accuracy, +2.3 pt over the baseline."
    # one text ahead of the baseline on a test split of 2,500: not "+0.0 pt"
    close = ("RBF network · 2a58", "rbf", 0.9004)
    assert verdict(board(base, close)).endswith(", +0.04 pt over the baseline.")
    assert verdict(board(("tiny", "transformer-tiny", 0.85), base)) == (
        "The TF-IDF + LR baseline leads this board (0.9000 accuracy): no encoder beats it yet."
    )
    tie = verdict(board(base, ("MLP · a1", "bow_mlp", 0.90), ("RBF · b2", "rbf", 0.80)))
    assert tie == "Tied for best at 0.9000 accuracy: TF-IDF + LR · dd50, MLP · a1."
    # every run right on every test text: the test cannot rank them, and says what would
    perfect = verdict(board(("TF-IDF + LR · dd50", "baseline", 1.0), ("MLP · a1", "bow_mlp", 1.0)))
    assert perfect.startswith("Tied at 1.0000 accuracy: TF-IDF + LR · dd50, MLP · a1 get every test text right")
    assert "fewer labels" in perfect
    assert verdict(board(mlp, close, baseline=False)) == "Best: bag-of-words MLP · e215, 0.9234 accuracy."
    # a margin McNemar's test cannot tell from chance is said to be so: the trophy line is what a demo quotes
    assert shown(line(board(base, mlp), p_value=0.625)) == (
        "Best: bag-of-words MLP · e215, 0.9234 accuracy, +2.3 pt over the baseline; a gap this small could be "
        "chance (p = 0.6250)."
    )
    assert shown(line(board(base, mlp), p_value=0.625, with_p=False)).endswith("; a gap this small could be chance.")
    assert verdict(board(base, mlp)) == shown(line(board(base, mlp), p_value=0.01))


def test_the_head_to_head_says_in_words_which_run_is_better_by_how_much_and_whether_it_is_chance():
    from tests.app.test_pages import shown
    from ui.leaderboard import duel_headline

    def said(*args):
        return shown(duel_headline(*args)).replace("**", "")

    assert said("tiny · 3fe3", "quickstart · 34c5", 29, 66, 1121, 0.0002) == (
        "quickstart · 34c5 is more accurate than tiny · 3fe3, by 3.3 pt on these 1,121 test texts, "
        "and the difference is unlikely to be chance (p = 0.0002)."
    )
    # "the difference is real (p = 0.0140)" of one pair of ten on a board of five runs, one seed each
    assert said("A", "B", 20, 34, 426, 0.014) == (
        "B is more accurate than A, by 3.3 pt on these 426 test texts (p = 0.0140). With several runs compared, "
        "or another seed, a p between 0.005 and 0.05 is weak evidence."
    )
    # before an audience too: not "more than chance" for what the operator's view calls weak evidence
    assert said("A", "B", 20, 34, 426, 0.014, False) == (
        "B is ahead of A by 3.3 pt on these 426 test texts; the gap may be more than chance, but it is weak evidence."
    )
    assert said("A", "B", 12, 9, 1000, 0.66) == (
        "A is ahead of B by 0.3 pt on these 1,000 test texts, but a gap this small could be chance (p = 0.6600)."
    )
    assert said("A", "B", 5, 5, 400, 1.0) == "A and B are equally accurate on these 400 test texts."
    # a p-value below what four decimals show: "p < 0.0001", not "p = < 0.0001"
    assert said("A", "B", 5, 90, 1000, 1e-12).endswith("and the difference is unlikely to be chance (p < 0.0001).")
    # before an audience the verdict is said without the test's p-value ("p = 0.0002" read as a score)
    assert said("tiny", "quickstart", 29, 66, 1121, 0.0002, False) == (
        "quickstart is more accurate than tiny, by 3.3 pt on these 1,121 test texts, and the difference is more "
        "than chance."
    )
    assert said("A", "B", 12, 9, 1000, 0.66, False) == (
        "A is ahead of B by 0.3 pt on these 1,000 test texts, but a gap this small could be chance."
    )


def test_the_chinese_head_to_head_keeps_a_run_s_id_apart_from_the_points(monkeypatch):
    """ "领先 **tiny · 3fe3** 0.3 个百分点" read as "3fe3 0.3": the id's digits ran into the gain."""
    from tests.app.test_pages import shown
    from ui import i18n
    from ui.leaderboard import duel_headline

    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    for only_a, p in ((66, 0.0002), (12, 0.66)):
        said = shown(duel_headline("quickstart · 34c5", "tiny · 3fe3", only_a, 9, 1000, p)).replace("**", "")
        assert "3fe3，高 " in said or "3fe3 更准确，高 " in said, said


def test_probabilities_never_round_to_a_certainty_they_are_not():
    from ui import charts

    # a float32 softmax of 1.0 or 0.0 is rounding, not certainty
    assert [charts.probability_text(p) for p in (0.99996, 1.0, 0.5, 0.00004, 0.0)] == [
        "> 99.9%",
        "> 99.9%",
        "50.0%",
        "< 0.1%",
        "< 0.1%",
    ]
    fig = charts.probability_bars(["a", "b"], np.array([0.99996, 0.00004]))
    assert list(fig.data[0].text) == ["< 0.1%", "> 99.9%"]


def test_the_grey_before_dots_are_not_listed_as_a_class():
    """In movement-lines mode the legend's first entry, "before", sat under the heading "true label"."""
    import pandas as pd

    from ui import charts

    frame = pd.DataFrame(
        {
            "text": ["a", "b", "c", "d"],
            "label": ["pos", "neg", "pos", "neg"],
            "split": ["test"] * 4,
            "lang": ["en"] * 4,
            "pred": ["pos", "neg", "neg", "neg"],
            "confidence": [0.9, 0.8, 0.6, 0.7],
            "row": [0, 1, 2, 3],
        }
    )
    rng = np.random.default_rng(0)
    fig = charts.movement_map(rng.random((4, 2)), rng.random((4, 2)), frame, "label", "moves")
    listed = sorted((t for t in fig.data if t.showlegend is not False), key=lambda t: t.legendrank or 1000)
    assert [t.name for t in listed] == ["neg", "pos", "before fine-tuning (grey)"]


def test_shares_and_margins_keep_the_figures_that_tell_them_apart():
    """Ticks of 1.5% and 2.5% both read "2%" beside a table of 1.5 and 2.5; one text ahead of 40,000
    read "by 0.00 pt"."""
    from ui.charts import label_efficiency
    from ui.leaderboard import points_text

    summary = [
        {
            "arm": "scratch",
            "fraction": f,
            "n": 1,
            "accuracy_mean": 0.5,
            "accuracy_std": 0.0,
            "accuracy_min": 0.5,
            "accuracy_max": 0.5,
        }
        for f in (0.015, 0.025, 0.125, 1.0)
    ]
    fig = label_efficiency(summary)
    assert list(fig.layout.xaxis.ticktext) == ["1.5%", "2.5%", "12.5%", "100%"]
    assert points_text(100 / 40_000) == "0.003" and points_text(0.03) == "0.03" and points_text(1.25) == "1.2"
    assert points_text(0) == "0.0"


def test_long_class_names_are_cut_on_the_axes_and_the_chart_grows_to_hold_them():
    """Fifty 40-character names turned on their side left the F1 bars 64 px of their 320 to draw in."""
    from ui.charts import agreement_heatmap, confusion_heatmap, grouped_bars

    names = [f"a very long class name number {i:02d} of fifty" for i in range(50)]
    bars = grouped_bars(names, {"A": [0.5] * 50, "B": [0.6] * 50}, "F1 per class")
    assert bars.layout.height > 320 + 100
    assert all(len(tick) <= 20 for tick in bars.layout.xaxis.ticktext)
    assert list(bars.layout.xaxis.tickvals) == list(bars.data[0].x)  # whole names stay the values (hover)
    assert bars.layout.uniformtext.mode == "hide"
    matrix = np.eye(50, dtype=int)
    for fig in (agreement_heatmap(matrix, names, "A", "B"), confusion_heatmap(matrix.tolist(), names)):
        assert fig.layout.height > 420 + 100 and all(len(tick) <= 20 for tick in fig.layout.yaxis.ticktext)
    short = grouped_bars(["food", "sports"], {"A": [0.5, 0.6]}, "F1 per class")
    assert short.layout.height == 320 and list(short.layout.xaxis.ticktext) == ["food", "sports"]


def test_a_predictions_file_classified_again_keeps_its_headers_apart(monkeypatch):
    """A Chinese download classified again: the model's new columns were named 预测, 置信度 too, twice each."""
    import io

    import pandas as pd

    from ui import i18n

    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    data = "预测,置信度,text,prediction,confidence,p_正面\n正面,0.9,好,负面,0.8,0.2\n".encode()
    out = i18n.headed_in_language(data, ["正面", "负面"])
    header = out.decode("utf-8").splitlines()[0].split(",")  # pandas would have renamed a twin "预测.1"
    assert len(set(header)) == len(header) == 6 and header[:2] == ["预测", "置信度"]
    assert list(pd.read_csv(io.BytesIO(out), dtype=str).iloc[0, 3:5]) == ["负面", "0.8"]


def test_cut_class_names_stay_apart_and_are_cut_before_escaping():
    from ui.charts import class_ticks

    ticks = class_ticks(
        ["Customer complaint - billing", "Customer complaint - delivery", "Research & Development dept"]
    )
    assert len(set(ticks["ticktext"])) == 3 and all("…" in tick for tick in ticks["ticktext"])
    assert ticks["ticktext"][0].endswith("- billing") and ticks["ticktext"][1].endswith("- delivery")
    assert ticks["ticktext"][2] == "Research &amp; Developm…"  # the entity whole, the cut on the name
    assert ticks["tickvals"][2] == "Research &amp; Development dept"
    same = class_ticks(["a" * 30 + "x", "a" * 30 + "x ", "a" * 30 + "x  "])["ticktext"]
    assert len(set(same)) == 3
    # a cut name that another name starts with: "smart_home_lights_o…" read as "smart_home_lights_on"
    alike = class_ticks(["smart_home_lights_off", "smart_home_lights_on", "weather"])["ticktext"]
    assert alike[0].endswith("lights_off") and alike[1:] == ["smart_home_lights_on", "weather"], alike


def test_compare_margins_read_as_evaluate_s_delta_does():
    """0.9900 against a baseline of 0.9903 read "-0.0 pt" on Compare and "+0.0 pt" on Evaluate; the line
    above the board keeps the figures a small margin needs ("+0.05 pt", one text of 2,000)."""
    import pandas as pd

    from ui.i18n import unsigned_zero
    from ui.leaderboard import shown_margins, verdict

    accuracy = pd.Series([0.9900, 0.9903, 0.9906, 0.9850, 0.9961])
    shown = [f"{v:+.1f}" for v in shown_margins(100 * (accuracy - 0.9903))]
    assert shown == [f"{unsigned_zero((a - 0.9903) * 100, 1):+.1f}" for a in accuracy]
    assert shown == ["+0.0", "+0.0", "+0.0", "-0.5", "+0.6"]
    board = pd.DataFrame(
        {"label": ["mlp", "baseline"], "family": ["bow_mlp", "baseline"], "accuracy": [1001 / 2000, 1000 / 2000]}
    )
    board["vs baseline"] = 100 * (board["accuracy"] - 0.5)
    assert "+0.05 pt" in verdict(board)


def _lab(colour: str) -> np.ndarray:
    """A hex colour in CIELAB (D65), where distance is roughly what an eye sees."""
    rgb = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    rgb = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ rgb
    f = np.cbrt(xyz / np.array([0.95047, 1.0, 1.08883]))
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_any_two_of_the_ten_class_colours_can_be_told_apart():
    """On a ten-class news map, 时政 (#7048e8) and 股票 (#845ef7) were the same purple across a room
    (ΔE 9), and two greens nearly so; those clusters were the ones that overlap."""
    import itertools

    from ui.charts import PALETTE, WIDE_PALETTE

    closest = min(np.linalg.norm(_lab(a) - _lab(b)) for a, b in itertools.combinations(PALETTE, 2))
    assert closest >= 20, closest
    # and each can be seen on white, as a run's thin curve: CIELAB lightness below 70 (white is 100)
    lightness = [_lab(colour)[0] for colour in PALETTE]
    assert max(lightness) < 70, dict(zip(PALETTE, lightness))
    assert len(set(WIDE_PALETTE)) == len(WIDE_PALETTE)


def test_the_first_eight_class_colours_stay_apart_for_the_colour_blind():
    """An accessibility review: on a five-class map the blue and the violet were one colour under simulated
    deuteranopia (ΔE 4.7), and the red and the brown under protanopia (3.6)."""
    import itertools

    from ui.charts import PALETTE

    # Machado, Oliveira and Fernandes (2009), severity 1, applied to linear RGB
    simulations = {
        "deuteranopia": np.array(
            [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]]
        ),
        "protanopia": np.array(
            [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
        ),
    }

    def seen(colour: str, matrix: np.ndarray) -> str:
        rgb = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
        linear = np.where(rgb > 0.04045, ((rgb + 0.055) / 1.055) ** 2.4, rgb / 12.92)
        out = np.clip(matrix @ linear, 0, 1)
        out = np.where(out <= 0.0031308, 12.92 * out, 1.055 * out ** (1 / 2.4) - 0.055)
        return "#" + "".join(f"{round(v * 255):02x}" for v in out)

    for name, matrix in simulations.items():
        shown = [seen(colour, matrix) for colour in PALETTE[:8]]
        closest = min(
            (np.linalg.norm(_lab(shown[i]) - _lab(shown[j])), PALETTE[i], PALETTE[j])
            for i, j in itertools.combinations(range(8), 2)
        )
        assert closest[0] >= 12, (name, closest)


def test_runs_of_one_setting_with_other_seeds_are_summed_up():
    """Four seeds of one bag-of-words MLP were four rows named by their ids' ends, and the headline crowned
    one of them; their spread (0.955 to 0.972) was wider than most gaps on the board."""
    import pandas as pd

    from ui.leaderboard import seed_groups

    def config(encoder, seed, lr=1e-3, threads=1):
        return {
            "encoder": encoder,
            "dataset": "bbc",
            "run_id": f"{encoder}-{seed}-{lr}",
            "name": "x",
            "train": {"seed": seed, "lr": lr, "threads": threads},
        }

    configs = {
        "m0": config("bow_mlp", 0),
        "m1": config("bow_mlp", 1, threads=2),
        "m2": config("bow_mlp", 2),
        "fast": config("bow_mlp", 0, lr=3e-3),  # another setting: not a seed of the others
        "again": config("rbf", 0),
        "again2": config("rbf", 0),  # the same seed twice: one result twice
        "base": config("baseline", 0),
    }
    board = pd.DataFrame(
        {
            "run": list(configs),
            "label": ["MLP · m0", "MLP · m1", "MLP · m2", "MLP · fast", "RBF · a", "RBF · b", "base"],
            "encoder": ["MLP", "MLP", "MLP", "MLP", "RBF", "RBF", "TF-IDF + LR"],
            "accuracy": [0.96, 0.97, 0.95, 0.99, 0.9, 0.9, 0.94],
            "macro-F1": [0.95, 0.96, 0.94, 0.98, 0.89, 0.89, 0.93],
        }
    )
    groups = seed_groups(board, configs)
    assert len(groups) == 1, groups
    row = groups.iloc[0]
    assert row["seeds"] == 3 and row["runs"] == "MLP · m0, MLP · m1, MLP · m2"
    assert abs(row["mean accuracy"] - 0.96) < 1e-9 and abs(row["sd"] - 0.01) < 1e-9
    assert (row["lowest"], row["highest"]) == (0.95, 0.97) and abs(row["mean macro-F1"] - 0.95) < 1e-9
    assert seed_groups(board[board["run"].isin(["m0", "fast", "base"])], configs).empty


def test_a_repeated_seed_counts_once_and_two_settings_of_one_encoder_are_told_apart():
    """Seeds {0, 1, 1} said "2 seeds" over a mean of three runs; two MLP settings both read "bag-of-words MLP"."""
    import pandas as pd

    from ui.leaderboard import seed_groups

    def config(seed, hidden, created):
        return {"encoder": "bow_mlp", "created": created, "encoder_config": {"hidden": hidden}, "train": {"seed": seed}}

    configs = {
        "a0": config(0, [64], "1"),
        "a1": config(1, [64], "2"),
        "a1-again": config(1, [64], "3"),
        "b0": config(0, [256], "1"),
        "b1": config(1, [256], "2"),
    }
    board = pd.DataFrame(
        {
            "run": list(configs),
            "label": list(configs),
            "encoder": ["bag-of-words MLP"] * 5,
            "accuracy": [0.90, 0.80, 0.84, 0.95, 0.97],
            "macro-F1": [0.9, 0.8, 0.84, 0.95, 0.97],
        }
    )
    groups = seed_groups(board, configs).set_index("setting")
    assert set(groups.index) == {"bag-of-words MLP · hidden [64]", "bag-of-words MLP · hidden [256]"}, groups.index
    small = groups.loc["bag-of-words MLP · hidden [64]"]
    assert small["seeds"] == 2 and small["runs"] == "a0, a1-again"  # the newest run of seed 1
    assert abs(small["mean accuracy"] - 0.87) < 1e-9


def test_the_board_exports_as_shown_for_a_paper():
    """The grid's own download wrote 0.9765258215962441 under English field names, and there was no table
    to paste into a paper."""
    import pandas as pd

    from ui.leaderboard import export_frame, markdown_table

    board = pd.DataFrame(
        {
            "label": ["RBF network", "a | b"],
            "family": ["rbf", "bow_mlp"],
            "encoder": ["RBF network", "bag-of-words MLP"],
            "accuracy": [0.9765258215962441, 0.95],
            "vs baseline": [0.9389671361502372, None],
            "macro-F1": [0.97512, 0.9401],
            "parameters": [1234567.0, None],
            "run": ["rbf-1", "mlp-2"],
        }
    )
    table = export_frame(board, {"label": "run", "accuracy": "accuracy", "run": "id"})
    assert list(table.columns) == ["run", "encoder", "accuracy", "vs baseline", "macro-F1", "parameters", "id"]
    assert table["accuracy"].tolist() == [0.9765, 0.95] and table["vs baseline"].iloc[0] == 0.94
    assert table["parameters"].iloc[0] == 1234567 and pd.isna(table["parameters"].iloc[1])
    lines = markdown_table(table).splitlines()
    assert lines[0] == "| run | encoder | accuracy | vs baseline | macro-F1 | parameters | id |"
    assert lines[1] == "|---|---|---|---|---|---|---|"
    assert lines[2] == "| RBF network | RBF network | 0.9765 | 0.94 | 0.9751 | 1234567 | rbf-1 |"
    assert lines[3] == "| a \\| b | bag-of-words MLP | 0.95 |  | 0.9401 |  | mlp-2 |"  # a "|" escaped, gaps empty


def test_chart_text_reads_at_aa_contrast():
    """An accessibility review: axis ticks and titles were Streamlit's #808495 (3.7:1 on white), and the
    score inside the orange baseline bar Plotly's #444 (3.9:1); AA asks 4.5:1."""
    import plotly.graph_objects as go

    from ui.charts import PALETTE, TEXT_GREY, _relative_luminance, metric_bars, readable

    def contrast(a: str, b: str) -> float:
        low, high = sorted([_relative_luminance(a), _relative_luminance(b)])
        return (high + 0.05) / (low + 0.05)

    fig = readable(
        metric_bars(
            [
                {"name": "model", "accuracy": 0.94, "macro_f1": 0.93, "colour": PALETTE[0]},
                {"name": "baseline", "accuracy": 0.93, "macro_f1": 0.92, "colour": PALETTE[1]},
            ]
        )
    )
    assert fig.layout.xaxis.tickfont.color == fig.layout.yaxis.tickfont.color == TEXT_GREY
    assert contrast(TEXT_GREY, "#ffffff") >= 4.5
    for trace in fig.data:
        assert contrast(trace.insidetextfont.color, trace.marker.color) >= 4.5, trace.marker.color
    for colour in PALETTE:  # any class or run colour a bar may have
        bar = readable(go.Figure(go.Bar(x=[1], y=[1], text=["1"], marker_color=colour))).data[0]
        assert contrast(bar.insidetextfont.color, colour) >= 4.5, colour


def test_a_class_a_run_never_got_right_is_marked_among_many_bars():
    """A bar of height 0 is no bar: among 180 bars a class at F1 0 read as missing data."""
    from ui.charts import grouped_bars

    classes = [f"intent {i}" for i in range(40)]
    fig = grouped_bars(classes, {"MLP": [1.0] * 39 + [0.0], "baseline": [0.9] * 40}, "F1 per class", {"MLP": "#123456"})
    (marks,) = [trace for trace in fig.data if trace.type == "scatter"]
    assert list(marks.x) == ["intent 39"] and list(marks.y) == [0] and marks.marker.line.color == "#123456"
    assert not marks.showlegend
    few = grouped_bars(["a", "b"], {"MLP": [1.0, 0.0]}, "F1 per class")  # labelled bars say "0.00" themselves
    assert [trace.type for trace in few.data] == ["bar"]


def test_on_classes_far_apart_in_size_the_board_names_the_macro_f1_leader():
    """A fraud set: a run that always said "legit" tied for best by accuracy with runs that caught half the
    frauds, and the board named it among the best without a word on macro-F1."""
    import pandas as pd

    from ui.leaderboard import macro_f1_leader

    board = pd.DataFrame(
        {
            "run": ["a", "b", "c"],
            "label": ["always legit", "weighted MLP", "baseline"],
            "accuracy": [0.9850, 0.9833, 0.9800],
            "macro-F1": [0.4962, 0.7400, 0.7000],
        }
    )
    fraud = [{"support": 590}, {"support": 9}]
    said = macro_f1_leader(board, fraud)
    assert said == (
        "The classes are far apart in size, so accuracy mostly measures the largest. By macro-F1, which weighs "
        "every class alike, weighted MLP leads (0.7400 against 0.4962)."
    )
    assert macro_f1_leader(board, [{"support": 300}, {"support": 299}]) is None  # balanced: accuracy says it
    agreeing = board.assign(**{"macro-F1": [0.8, 0.7, 0.6]})
    assert macro_f1_leader(agreeing, fraud).endswith("macro-F1 agrees on the leader.")
