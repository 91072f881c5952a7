"""Presenter mode: controls fold away, the key charts grow, and the mode stays in every link."""

from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest

from tests.app.test_names_pages import page
from tests.app.test_pages import APP, shown


def heights(at) -> dict[str, int]:
    return {
        json.loads(c.proto.spec)["layout"].get("title", {}).get("text", "?"): json.loads(c.proto.spec)["layout"].get(
            "height"
        )
        for c in at.get("plotly_chart")
    }


def words(at) -> list[str]:
    """Every caption, markdown and heading of a page, as a reader sees it."""
    return [shown(e.value) for e in (*at.caption, *at.markdown, *at.subheader, *at.title)]


def test_presenter_mode_folds_the_controls_and_enlarges_the_charts(small_dataset):
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    train_run(tiny_config(small_dataset, "baseline"))
    run = train_run(tiny_config(small_dataset, "bow_mlp"))

    normal = page("pages/evaluate.py", small_dataset, run.id)
    assert any(b.proto.label.startswith("Download the model") for b in normal.get("download_button"))
    normal_heights = heights(normal)

    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"dataset": small_dataset, "run": run.id, "present": "1"})
    at.run()
    at.switch_page("pages/evaluate.py").run()
    assert not at.exception, at.exception
    assert not any(b.proto.label.startswith("Download the model") for b in at.get("download_button"))
    assert not at.get("download_button")  # nor the mistakes' file: both are the operator's
    assert not [e for e in at.expander if "delete this run" in e.label]
    # an audience reads the run's encoder and dataset, not its 30-character id (the operator's page shows it)
    assert any(run.id in w for w in words(normal)) and not any(run.id in w for w in words(at))
    # nor in the sidebar's run picker, which the presenter uses to switch models before the audience
    picker = at.sidebar.selectbox(key="sidebar_run")
    assert picker.options and not any(run.id in option for option in picker.options), picker.options
    assert any(run.id in option for option in normal.sidebar.selectbox(key="sidebar_run").options)
    # named by its encoder, the run's line says the encoder once ("MLP · 1275 · MLP · …" said it twice)
    (about,) = [w for w in words(at) if w.startswith("Run ") and not w.startswith("Run time")]
    assert about.count("bag-of-words MLP") == 1, about
    # the score says against what in words (an audience sees no tooltip, nor knows "baseline" or TF-IDF),
    # as a percentage: "0.9695" read as a code, and "Always the biggest class 0.2371" as a fourth score
    assert at.metric[0].delta.endswith(" pt vs a simple keyword model"), at.metric[0].delta
    assert (
        at.metric[0].value == f"{run.eval()['accuracy']:.1%}"
        and normal.metric[0].value == f"{run.eval()['accuracy']:.4f}"
    )
    # an audience sees no tooltip: a score is named by what it measures, the term in brackets
    assert [m.label for m in normal.metric][1:] == ["Macro-F1", "Majority class", "Calibration (ECE)"]
    assert [m.label for m in at.metric][1:] == [
        "F1, every class equal",
        "Guessing the biggest class",  # whole in a quarter-width column ("… every time" was cut off)
        "Confidence off by",
    ]
    assert at.metric[3].value == f"{100 * run.eval()['calibration']['ece']:.1f} pt"
    # the 0-1 bars of 0.969 against 0.967 said what the arrows say, and pushed the confusion matrix below the fold
    assert any("Test-set scores" in c.proto.spec for c in normal.get("plotly_chart"))
    assert not any("Test-set scores" in c.proto.spec for c in at.get("plotly_chart"))
    bars = next(json.loads(c.proto.spec) for c in normal.get("plotly_chart") if "Test-set scores" in c.proto.spec)
    assert [trace["name"] for trace in bars["data"]] == ["this run: bag-of-words MLP", "baseline: TF-IDF + LR"]
    assert bars["layout"]["legend"]["orientation"] == "h" and bars["layout"]["legend"]["y"] >= 1
    # the charts grow, their legends and ticks too: Streamlit's chart theme sizes them itself otherwise
    presented = heights(at)
    grown = [
        title for title, h in presented.items() if h and normal_heights.get(title) and h > normal_heights[title] * 1.3
    ]
    assert grown, (presented, normal_heights)
    calibration = next(
        json.loads(c.proto.spec) for c in at.get("plotly_chart") if "how often it is right" in c.proto.spec
    )
    assert not any("ECE" in c.proto.spec for c in at.get("plotly_chart"))
    assert calibration["layout"]["xaxis"]["tickfont"]["size"] >= 16
    assert at.query_params["present"] in ("1", ["1"])
    # the confusion matrix's row title and cell counts grow with the rest (they stayed at desk size)
    confusion = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if "Confusion matrix" in c.proto.spec)
    assert confusion["layout"]["annotations"][0]["font"]["size"] >= 20
    assert confusion["data"][0]["textfont"]["size"] >= 16

    # Home shows the model of the demo and where to go with it, not a one-click start that would switch
    # the dataset in front of the audience
    at.switch_page("pages/home.py").run()
    assert not at.exception, at.exception
    assert not [b for b in at.button if b.key == "quickstart"]
    assert "Today's model" in [h.value for h in at.subheader]
    assert [w for w in words(at) if "right on " in w and "of the texts it had never seen" in w]
    assert not [w for w in words(at) if "TF-IDF" in w or "RBF" in w]

    # Data shows the dataset to the audience; how texts are cut into tokens is the operator's detail
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    assert not [e for e in at.expander if e.label.startswith("Tokenisation preview")]

    at.switch_page("pages/train.py").run()
    assert not at.exception, at.exception
    assert not [h for h in at.subheader if h.value == "Runs on this dataset"]
    assert all(not e.proto.expanded for e in at.expander if e.label == "New run")
    # the two numbers an audience follows; the learning rate, the throughput and the machine are the operator's
    # ("Epoch 10 of 20" on a finished run read as one cut short: it stopped early)
    assert [m.label for m in at.metric] == ["Epochs trained", "Error on the training texts (loss)"], [
        m.label for m in at.metric
    ]
    assert " of " not in at.metric[0].value
    # its score as the other pages say it before an audience: "test accuracy 0.9421" beside Evaluate's 94.2%
    (done,) = [s.value for s in at.success if s.value.startswith("Done in")]
    assert f"test accuracy {run.eval()['accuracy']:.1%}, macro-F1 {run.eval()['macro_f1']:.1%}" in done, done
    assert not [c for c in at.caption if "fp32" in c.value]
    assert not any(run.id in w for w in words(at))

    at.switch_page("pages/playground.py").run()
    assert not at.exception, at.exception
    assert not any(run.id in w for w in words(at))
    assert not [w for w in words(at) if w.startswith("answered in")]  # timings are the operator's
    assert not at.tabs and not at.get("file_uploader")  # "Classify a file" is the operator's tool too
    axes = [
        json.loads(c.proto.spec)["layout"].get("yaxis", {}).get("title", {}).get("text") for c in at.get("plotly_chart")
    ]
    assert "against ← · for it →" in axes and "drop in log-odds when removed" not in axes, axes
    pushed = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if "Which tokens mattered" in c.proto.spec)
    assert pushed["layout"]["yaxis"]["showticklabels"] is False  # log-odds units are the operator's

    at.switch_page("pages/compare.py").run()  # the zoomed board keeps the scores in its box
    assert not at.exception, at.exception
    board = list(at.dataframe[0].proto.column_order)
    assert "accuracy" in board and not {"run", "parameters"} & set(board), board
    assert not at.code  # no shell command for an audience
    # the baseline named as Train and Evaluate name it to an audience, its technical name beside
    labels = at.dataframe[0].value["label"].tolist()
    assert any(label.startswith("keyword model (TF-IDF + LR)") for label in labels), labels
    # its scores as Evaluate and the verdict say them: "94.2%", not "0.9421"
    board = at.dataframe[0].value.set_index("label")
    assert 100 * run.eval()["accuracy"] in board["accuracy"].tolist(), board
    assert json.loads(at.dataframe[0].proto.columns)["accuracy"]["type_config"]["format"] == "%.1f%%"
    # the board's verdict as a percentage, as Home and Evaluate say it ("0.8170 accuracy" read as a code)
    (best,) = [w for w in words(at) if "trophy" in w]
    assert re.search(r"\b\d{1,3}\.\d% accuracy", best) and not re.search(r"0\.\d{4}", best), best
    # the one-sentence duel comes first, under the board: three screens down, an audience never reached it
    heads = [h.value for h in at.subheader]
    assert heads.index("Duel: one sentence, every chosen model") < heads.index("Learning curves"), heads
    # the head to head says its verdict in words; the test's name and p-value are the operator's
    assert [m.label for m in at.metric if "p-value" in m.label] == []
    assert [w for w in words(at) if "test texts" in w and ("chance" in w or "equally accurate" in w)]
    assert not [w for w in words(at) if "p = " in w or "binomial" in w or "χ²" in w]
    assert not [w for w in words(at) if "label efficiency" in w or "label-efficiency" in w]  # nor an empty section

    at.switch_page("pages/embeddings.py").run()
    assert not at.exception, at.exception
    assert [e for e in at.expander if e.label == "Map settings"]
    # the map grows, but no taller than fits a projector's window with its scores beneath
    from ui.presenter import MAP_HEIGHT

    # no taller than fits a 1280×800 laptop whole (at 640 px its bottom cluster was cut off), tooltips grown
    map_heights = [h for title, h in heights(at).items() if h and h >= MAP_HEIGHT]
    assert map_heights and all(h == MAP_HEIGHT for h in map_heights), heights(at)
    maps = [json.loads(c.proto.spec) for c in at.get("plotly_chart") if "scatter" in c.proto.spec]
    assert maps and all(m["layout"]["hoverlabel"]["font"]["size"] >= 18 for m in maps)
    # the separation scores with a scale an audience can read: its range, a percentage
    assert "How far the classes sit apart (-1 to 1)" in [m.label for m in at.metric]
    vote = next(m for m in at.metric if m.label.startswith("Accuracy of a vote"))
    assert vote.value.endswith("%"), vote.value

    # Search keeps the query box in sight and folds the collection and settings; adding files is not for the audience
    at.switch_page("pages/search.py").run()
    assert not at.exception, at.exception
    assert [e for e in at.expander if e.label == "Collection and settings"]
    assert not [e for e in at.expander if e.label == "Add a file of texts to search"]
    assert at.text_input(key="search_query").label == "Query (Chinese or English)"
    # its index is built at once, in a worker: no lone "Build the search index" button for an audience
    assert not [b for b in at.button if b.key == f"build_{run.id}"]
    job = run.path / "jobs" / f"search-{small_dataset}.json"
    assert job.is_file()
    # once the index is there, its filters are folded too: with them open, one result fitted at 720 px
    from tests.conftest import wait_for_job

    assert wait_for_job(run, f"search-{small_dataset}").get("state") == "done"
    at.run()
    assert not at.exception, at.exception
    (filters,) = [e for e in at.expander if e.label == "Filters"]
    assert [s.label for s in filters.get("slider")] == ["Variety ↔ relevance"]
    # the scores keep their yardstick before an audience ("0.875" alone said nothing), and the run its name
    at.text_input(key="search_query").input("足球 比赛").run()
    assert not at.exception, at.exception
    assert [w for w in words(at) if "a typical text here scores" in w]
    assert not any(run.id in w for w in words(at))


def test_presenter_mode_shows_a_failed_run_without_its_log_or_pids(small_dataset):
    from core.training.runner import start_run
    from tests.conftest import tiny_config

    run = start_run(tiny_config(small_dataset, "bow_mlp"))
    run.set_status("failed", error="The process running it (pid 30988 on vm) ended without finishing.")
    run.log("Traceback (most recent call last): ...")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(dataset=small_dataset, run=run.id, present="1")
    at.run()
    at.switch_page("pages/train.py").run()
    assert not at.exception, at.exception
    assert not [e for e in at.expander if e.label == "Log tail"]
    said = [e.value for e in at.error if "The run failed" in e.value]
    assert said and "pid" not in said[0] and "ended without finishing" in shown(said[0]), said
    normal = page("pages/train.py", small_dataset, run.id)  # the operator still gets both
    assert [e for e in normal.expander if e.label == "Log tail"]
    assert any("pid 30988" in shown(e.value) for e in normal.error)


def test_phone_and_tablet_browsers_are_told_from_desk_ones():
    from ui.touch import is_touch_agent

    phones_and_tablets = (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.0 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
        "Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
        "Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0",
    )
    desks = (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15",
        "",
    )
    assert [is_touch_agent(a) for a in phones_and_tablets] == [True] * len(phones_and_tablets)
    assert [is_touch_agent(a) for a in desks] == [False] * len(desks)


def test_on_a_touch_screen_a_2d_chart_takes_no_drags_and_a_3d_map_still_turns():
    """A 3-D scene takes the layout's drag mode as its own: "off" froze the map, and still held the swipe."""
    import numpy as np
    import pandas as pd

    from ui import charts
    from ui.touch import let_page_scroll

    frame = pd.DataFrame({"row": range(6), "text": list("abcdef"), "label": ["x", "y"] * 3})
    flat = let_page_scroll(charts.embedding_map(np.random.default_rng(0).random((6, 2)), frame, "label", "map"))
    assert flat.layout.dragmode is False
    solid = let_page_scroll(charts.embedding_map(np.random.default_rng(0).random((6, 3)), frame, "label", "map"))
    assert solid.layout.dragmode is False and solid.layout.scene.dragmode == "turntable"


def test_on_a_touch_screen_a_legend_beside_a_chart_goes_below_it():
    """On a 390-px phone a legend beside the plot took 30-40% of its width, and the toolbar covered its names."""
    from ui import charts
    from ui.touch import let_page_scroll

    metrics = [
        {"event": "train", "epoch": e, "step": e, "loss": 1.0 / e, "accuracy": 0.5 + e / 10} for e in (1, 2, 3)
    ] + [{"event": "eval", "epoch": e, "step": e, "val/loss": 1.2 / e, "val/accuracy": 0.5 + e / 9} for e in (1, 2, 3)]
    beside = charts.training_curves(metrics, "loss", "Loss")
    assert beside.layout.legend.orientation != "h"  # at a desk: beside the plot
    below = let_page_scroll(charts.training_curves(metrics, "loss", "Loss"))
    assert below.layout.legend.orientation == "h" and below.layout.legend.yref == "container"
    assert below.layout.legend.y == 0 and below.layout.margin.b > (beside.layout.margin.b or 0)
    # a legend already laid out in a row above the plot (the score bars) stays where it is
    above = charts.metric_bars(
        [{"name": "a", "accuracy": 0.9, "macro_f1": 0.8}, {"name": "b", "accuracy": 0.8, "macro_f1": 0.7}]
    )
    kept = (above.layout.legend.y, above.layout.legend.yanchor, above.layout.legend.orientation)
    moved = let_page_scroll(above).layout.legend
    assert (moved.y, moved.yanchor, moved.orientation) == kept
