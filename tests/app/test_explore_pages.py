"""AppTests of Embeddings, Playground and Compare, asserting figure content through the chart spec."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.test_pages import APP, shown


def open_page(page: str, run_id: str, dataset: str = "starter", language: str = "") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["dataset"] = dataset
    at.query_params["run"] = run_id
    if language:
        at.query_params["lang"] = language
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def specs(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def test_embeddings_pca_map_points_and_colours(trained):
    _, mlp, _ = trained
    at = open_page("pages/embeddings.py", mlp.id)
    at.radio(key="map_method").set_value("pca").run()
    assert not at.exception
    import pandas as pd

    held_out = int((pd.read_parquet(mlp.path / "points.parquet")["split"] != "train").sum())
    fig = specs(at)[0]
    assert sum(len(trace["x"]) for trace in fig["data"]) == held_out  # the default: texts the model never saw
    # titled in a few words (the full selector label cut a side-by-side map's title mid-id)
    assert fig["layout"]["title"]["text"] == "bag-of-words MLP"  # the only one: no id tail
    total = len(pd.read_parquet(mlp.path / "points.parquet"))
    # the count is of the texts the map could show: the held-out ones, not every text of the run
    assert any(f"all {held_out:,} held-out texts of the run (validation + test)" in c.value for c in at.caption)
    at.radio(key="map_scope").set_value("all").run()
    fig = specs(at)[0]
    shown = sum(len(trace["x"]) for trace in fig["data"])
    assert abs(shown - 4000) <= 4  # the training texts too, sampled per class (4,000 at most, rounded per class)
    assert sorted(trace["name"] for trace in fig["data"]) == ["food", "sports", "technology", "travel"]
    assert any(
        f"{shown:,} of the run's {total:,} texts · training texts included · sampled per class" in c.value
        for c in at.caption
    )
    assert [m.label for m in at.metric] == ["Silhouette (cosine)", "k-NN accuracy"]
    at.selectbox(key="map_colour").set_value("correct").run()
    assert sorted(t["name"] for t in specs(at)[0]["data"]) == ["correct", "wrong"]
    # codes in the data read as words in the legend
    at.selectbox(key="map_colour").set_value("split").run()
    assert sorted(t["name"] for t in specs(at)[0]["data"]) == ["test", "train", "validation"]
    at.selectbox(key="map_colour").set_value("lang").run()
    assert sorted(t["name"] for t in specs(at)[0]["data"]) == ["Chinese", "English"]
    # how to select is said where the selection would be listed; a 3-D map says it cannot
    assert any(c.value.startswith("Drag on the map to select texts") for c in at.caption)
    at.radio(key="map_dims").set_value(3).run()
    assert not at.exception
    assert any(c.value.startswith("A 3-D map cannot select texts") for c in at.caption)
    assert not any(c.value.startswith("Drag on the map") for c in at.caption)


def test_the_baselines_map_says_it_is_not_a_learned_embedding(trained):
    base, mlp, _ = trained
    note = "The TF-IDF baseline learns no embedding"
    assert any(c.value.startswith(note) for c in open_page("pages/embeddings.py", base.id).caption)
    at = open_page("pages/embeddings.py", mlp.id)
    assert not any(c.value.startswith(note) for c in at.caption)
    at.radio(key="map_method").set_value("pca").run()
    at.selectbox(key="map_second").set_value(base.id).run()  # as the second map, it is said too
    assert not at.exception
    assert sum(c.value.startswith(note) for c in at.caption) == 1
    # side by side, each map's legend is a row beneath it: beside it, it took 140 of a map's 600 px
    legends = [json.loads(c.proto.spec)["layout"]["legend"] for c in at.get("plotly_chart")]
    maps = [legend for legend in legends if legend.get("orientation") == "h" and legend.get("y", 1) < 0]
    assert len(maps) == 2, legends
    at.selectbox(key="map_second").set_value(None).run()  # one map: its legend beside it again
    assert not [c for c in at.get("plotly_chart") if json.loads(c.proto.spec)["layout"]["legend"].get("y", 1) < 0]


def test_the_playground_opens_on_a_text_of_the_datasets_own(small_dataset):
    """A user's own data gets one of its test texts, not a sports sentence written for the starter."""
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    at = open_page("pages/playground.py", run.id, dataset=small_dataset)
    shown = at.text_input(key="playground_text").value
    test = run.points().query("split == 'test'")
    assert shown in test["text"].tolist(), shown
    # one the model gets right, the surest of those: a demo opened on a review answered wrongly at 92%
    right = test[(test["label"] == test["pred"]) & test["text"].str.len().between(10, 160)]
    assert len(right) < len(test)  # it makes mistakes: the pick was not luck
    assert shown == right.sort_values("confidence", ascending=False, kind="stable")["text"].iloc[0]


def test_the_playground_opens_a_set_of_long_documents_on_the_start_of_one(studio_home):
    """Legal documents, each longer than a line: the box opened on "The striker scored twice…"."""
    import pandas as pd

    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    body = "The parties agree to the terms below. " + "Each clause binds both parties in full. " * 10
    frame = pd.DataFrame(
        {
            "text": [f"Contract {i}. {body}" if i % 2 else f"Ruling {i}. {body}" for i in range(40)],
            "label": ["c", "r"] * 20,
        }
    )
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.1, 0.3, 0))
    DatasetStore().save(frame, "documents", "test", {}, dataset_id="documents")
    run = train_run(tiny_config("documents", "bow_mlp"))
    at = open_page("pages/playground.py", run.id, dataset="documents")
    shown = at.text_input(key="playground_text").value
    test = run.points().query("split == 'test'")["text"].tolist()
    assert 10 <= len(shown) <= 160 and any(text.startswith(shown) for text in test), shown
    assert shown.endswith("."), shown  # ended at a sentence
    assert "striker" not in shown


def test_the_playground_opens_a_bilingual_set_in_the_readers_language(trained):
    """The starter is Chinese and English: the English page opened on a Chinese sentence, the commoner one."""
    import re

    chinese = re.compile(r"[\u4e00-\u9fff]")
    _, mlp, _ = trained
    english = open_page("pages/playground.py", mlp.id).text_input(key="playground_text").value
    assert english and not chinese.search(english), english
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(dataset="starter", run=mlp.id, lang="zh")
    at.run()
    at.switch_page("pages/playground.py").run()
    assert not at.exception and len(chinese.findall(at.text_input(key="playground_text").value)) > 10


def test_a_prepared_link_opens_the_playground_on_its_sentence_once(trained):
    """A demo's link (…&text=…) opens the box on its sentence; what is typed afterwards stays."""
    _, mlp, _ = trained
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(dataset="starter", run=mlp.id, text="The striker scored in the final minute")
    at.run()
    at.switch_page("pages/playground.py").run()
    assert not at.exception and at.text_input(key="playground_text").value == "The striker scored in the final minute"
    assert at.get("plotly_chart")  # answered: the probabilities are drawn
    at.text_input(key="playground_text").input("new phone, faster chip").run()
    assert at.text_input(key="playground_text").value == "new phone, faster chip"


def test_playground_probabilities_attributions_neighbours(trained):
    _, mlp, tiny = trained
    at = open_page("pages/playground.py", mlp.id)
    at.text_input(key="playground_text").input("The striker scored twice in the cup final").run()
    assert not at.exception
    figs = specs(at)
    bars = next(f for f in figs if f["layout"]["title"]["text"] == "Class probabilities")
    assert sorted(bars["data"][0]["y"]) == ["food", "sports", "technology", "travel"]
    assert sum(bars["data"][0]["x"]) == pytest.approx(1.0, abs=1e-4)
    attributions = next(f for f in figs if "Which tokens mattered" in f["layout"]["title"]["text"])
    assert "striker" in attributions["layout"]["xaxis"]["ticktext"]
    near = at.dataframe[0].value
    assert len(near) == 8 and list(near.columns) == [
        "similarity",
        "label",
        "text",
    ]  # the text last: it fills what is left
    # eight neighbours at 0.96-0.99 read as near-copies: the caption gives what an unrelated text scores
    (yardstick,) = [
        c.value for c in at.caption if c.value.startswith("Cosine similarity once what every text shares is taken out")
    ]
    assert "trained to classify puts the texts of a class close together" in yardstick
    assert float(re.search(r"scores (-?\d\.\d\d)", yardstick).group(1)) < near["similarity"].min()
    assert not [i for i in at.info if "Unsure" in i.value]  # a clear sports sentence
    assert not [w for w in at.warning if "vocabulary" in w.value]  # every word known
    assert not [c for c in at.caption if c.value.startswith("The model knows")]
    # words the model never saw: nothing to go on, so no class stands out, and the page says so
    at.text_input(key="playground_text").input("qqqx zzzy wwwv").run()
    assert any("Unsure" in i.value and "food" in i.value and "travel" in i.value for i in at.info)
    assert any(w.value.startswith("None of this text's words are in the model's vocabulary") for w in at.warning)
    # the warning comes before the answer it undoes, not under a large "food · 31%"
    warning = next(i for i, n in enumerate(_in_page_order(at)) if str(n).startswith("None of this text's words"))
    answer = next(i for i, n in enumerate(_in_page_order(at)) if str(n).startswith("### "))
    assert warning < answer
    # emoji only: no token it knows (their ±2e-8 of rounding noise was drawn full height), so a sentence
    at.text_input(key="playground_text").input("😀😀😀 🎉🎉").run()
    assert any(i.value.startswith("No token chart") for i in at.info), [i.value for i in at.info]
    assert not [f for f in specs(at) if "Which tokens mattered" in f["layout"]["title"]["text"]]
    # no chart, so no count of the variants it would have drawn
    timing = [c.value for c in at.caption if c.value.startswith("answered in")]
    assert len(timing) == 1 and "leave-one-out" not in timing[0], timing
    at.text_input(key="playground_text").input("striker").run()  # one token: one variant, not "1 … variants"
    timing = [c.value for c in at.caption if c.value.startswith("answered in")]
    assert len(timing) == 1 and timing[0].endswith("(prediction and 1 leave-one-out variant)"), timing
    at.text_input(key="playground_text").input("the striker qqqx zzzy wwwv").run()  # two of five words known
    assert any(w.value.startswith("Only 40% of this text's words") for w in at.warning), [w.value for w in at.warning]
    # most words known: no warning, but a caption that says what the unknown ones count for
    at.text_input(key="playground_text").input("The striker scored twice in the cup final qqqx").run()
    assert not [w for w in at.warning if "vocabulary" in w.value]
    known = [c.value for c in at.caption if c.value.startswith("The model knows 89% of this text's words")]
    assert known and "[UNK]" not in known[0], [c.value for c in at.caption]  # a bag's chart shows the words
    # its bag reads character n-grams inside words (the starter's texts are short): an unknown word still
    # counts through the pieces of its spelling it met ("lifeless" had the third-largest bar under "count
    # for nothing")
    from core.inference import Predictor

    assert Predictor.from_run(mlp.path).inputs.featurizer.subwords_
    assert "only the pieces of their spelling it met count" in known[0] and "nothing" not in known[0], known
    # the transformer adds an attention map
    at = open_page("pages/playground.py", tiny.id)
    assert any(f["layout"]["title"]["text"].startswith("Attention, layer 1") for f in specs(at))
    # WordPiece knows every letter it saw, so only a script it never saw is all [UNK]
    at.text_input(key="playground_text").input("привет мир").run()
    assert any(w.value.startswith("None of this text's words are in the model's vocabulary") for w in at.warning)
    # nothing known: no chart of equal [UNK] bars and no attention map to argue with the warning
    titles = [f["layout"]["title"]["text"] for f in specs(at)]
    assert not [title for title in titles if "tokens mattered" in title or title.startswith("Attention")], titles
    assert any(i.value.startswith("No token chart") for i in at.info)


def verdict_line(at: AppTest) -> str:
    (line,) = [m.value for m in at.markdown if m.value.startswith(":material/trophy: ")]
    return line.removeprefix(":material/trophy: ")


def test_compare_leaderboard_mcnemar_and_duel(trained):
    base, mlp, tiny = trained
    at = open_page("pages/compare.py", mlp.id)
    board = at.dataframe[0].value
    assert set(board["run"]) == {base.id, mlp.id, tiny.id}
    # only the columns shown: the grid's show/hide menu listed the hidden ones too ("family", in English)
    assert "family" not in board.columns and list(board.columns) == list(at.dataframe[0].proto.column_order)
    # the reader sees the encoders in words, not the config's keys
    assert {label.split(" · ")[0] for label in board["label"]} == {
        "TF-IDF + LR",
        "bag-of-words MLP",
        "Transformer (tiny)",
    }
    # how far each run is from the yardstick, in points (0-1 bars of 0.81 and 0.85 looked alike)
    gaps = board.set_index("run")["vs baseline"]
    assert gaps[base.id] == 0.0 and gaps[mlp.id] == pytest.approx(
        100 * (mlp.eval()["accuracy"] - base.eval()["accuracy"])
    )
    # on a phone the scores scroll sideways: the names stay pinned, and the accuracy column fits its
    # number beside the bar (squeezed, every run read "0.9")
    columns = json.loads(at.dataframe[0].proto.columns)
    assert columns["label"].get("pinned") is True and columns["accuracy"]["width"] >= 120, columns
    assert columns["run"]["width"] >= 220  # a whole id, to copy to the command line ("quickst…" was cut)
    assert board["latency ms"].notna().all()
    from core.evaluation import mcnemar
    from core.registry import RunStore
    from ui.leaderboard import verdict

    # the line above the board (its every case: tests/test_charts.py), with McNemar's test of the best
    # run against the baseline: a trophy for a margin that could be chance said so
    best = RunStore().get(board.loc[board["accuracy"].idxmax(), "run"])
    ours, theirs = (r.points().query("split == 'test'").set_index("text") for r in (best, base))
    p = mcnemar(ours["label"], ours["pred"], theirs.loc[ours.index, "pred"]).p_value if best.id != base.id else None
    families = {run_id: RunStore().get(run_id).config()["encoder"] for run_id in board["run"]}
    assert verdict_line(at) == verdict(board.assign(family=board["run"].map(families)), p)
    # columns every run shares (no names, one task, one state) are not shown, so the board fits its box
    shown = list(at.dataframe[0].proto.column_order)
    assert shown and shown[0] == "label" and shown[-1] == "run" and "accuracy" in shown
    from ui.sidebar import short_name

    # the board names runs as the charts' legends do: two runs of one encoder differ in a visible place
    assert set(board["label"]) == {short_name(r) for r in (base, mlp, tiny)}
    assert not {"name", "task", "state", "encoder"} & set(shown), shown  # the labels name the encoders already
    labels = [m.label for m in at.metric]
    assert "McNemar p-value" in labels and "Agreement" in labels
    # no experiment yet: the section says how to make one, rather than being absent
    assert any("experiment label-efficiency --dataset" in c.value for c in at.code)
    # head to head: the active run against the plain baseline, whatever the table's order; both can change
    assert (at.selectbox(key="duel_a").value, at.selectbox(key="duel_b").value) == (mlp.id, base.id)
    heads = [s.value for s in at.subheader if s.value.startswith("Head to head")]
    assert [h.replace("\\", "") for h in heads] == ["Head to head: bag-of-words MLP vs TF-IDF + LR"], heads
    at.selectbox(key="duel_a").set_value(base.id).run()
    assert not at.exception
    a, b = at.selectbox(key="duel_a").value, at.selectbox(key="duel_b").value
    assert a == base.id and b != base.id and b in (mlp.id, tiny.id)
    f1 = next(f for f in specs(at) if f["layout"]["title"]["text"] == "F1 per class")
    assert len(f1["data"]) == 3 and f1["data"][0]["x"] == ["food", "sports", "technology", "travel"]
    # a run keeps its colour from chart to chart (the baseline has no curve: by position the others moved)
    curves = next(f for f in specs(at) if f["layout"]["title"]["text"] == "Validation accuracy per epoch")
    bar_colours = {trace["name"]: trace["marker"]["color"] for trace in f1["data"]}
    assert len(curves["data"]) < len(f1["data"])
    assert all(trace["line"]["color"] == bar_colours[trace["name"]] for trace in curves["data"])
    # the run left out of the curves is named, not dropped without a word
    (missing,) = [c.value for c in at.caption if c.value.startswith("No curve for")]
    assert short_name(base) in missing.replace("\\", ""), missing
    at.text_input(key="duel_text").input("我们周末去爬山，然后吃了一顿火锅").run()
    duel = at.dataframe[-1].value
    assert len(duel) == 3 and set(duel.columns) == {"model", "prediction", "confidence"}
    # each confidence as the Playground's headline writes it, to a tenth of a percent ("64.58%" beside "64.6%")
    from ui.charts import probability_text
    from ui.resources import _predictor, run_stamp

    proba = _predictor(mlp.id, run_stamp(mlp)).predict_proba(["我们周末去爬山，然后吃了一顿火锅"])[0].max()
    confidence = duel.set_index("model").loc[short_name(mlp), "confidence"]
    assert probability_text(proba).lstrip("> ") == f"{confidence:.1f}%", (proba, confidence)
    from core.names import name_run

    name_run(base, title="the plain baseline")
    shown = list(open_page("pages/compare.py", mlp.id).dataframe[0].proto.column_order)
    assert "name" not in shown and "task" not in shown, shown  # the title is in the run column: not twice
    assert "encoder" in shown  # a titled run's label no longer says its encoder
    name_run(base, tags=["yardstick"])  # a tag is worth its column
    board_page = open_page("pages/compare.py", mlp.id)
    shown = list(board_page.dataframe[0].proto.column_order)
    assert "name" in shown, shown
    assert board_page.dataframe[0].value.set_index("run").at[base.id, "name"] == "yardstick"
    assert shown.index("accuracy") < shown.index("parameters")  # the scores before the costs
    # runs an experiment made fold away behind a toggle; the user's own stay on the board
    name_run(tiny, tags=["experiment"], by_experiment=True)
    at = open_page("pages/compare.py", mlp.id)
    assert tiny.id not in set(at.dataframe[0].value["run"]) and len(at.dataframe[0].value) == 2
    at.toggle(key="compare_experiments").set_value(True).run()
    assert tiny.id in set(at.dataframe[0].value["run"])
    name_run(tiny, tags=[])
    # a run titled like a column of the disagreements table: two "text" columns, and a traceback
    for title in ("text", "label"):
        name_run(mlp, title=title)
        at = open_page("pages/compare.py", mlp.id)
        assert not at.exception
        table = next(d for d in at.dataframe if {"pred_a", "pred_b"} <= set(d.value.columns))
        assert "text" in table.value.columns and "label" in table.value.columns
    name_run(mlp, title="")


def test_a_corpus_pretraining_on_evaluate_counts_windows_not_texts(studio_home, tmp_path):
    """ "· 2 held-out texts" under a corpus run scored on 2 windows of 126 tokens of its corpus."""
    from core.corpus import open_corpus, sample_dataset
    from core.training.runner import RunConfig, train_run

    corpus = tmp_path / "notes.txt"
    corpus.write_text("".join(f"the match number {i} ended in a draw today\n" for i in range(300)), encoding="utf-8")
    run = train_run(
        RunConfig.create(
            sample_dataset(open_corpus(str(corpus))),
            "transformer",
            {"preset": "tiny", "max_len": 32, "vocab_size": 300},
            {"epochs": 1, "max_steps": 1, "threads": 1},
            task="pretrain",
            corpus=str(corpus),
        )
    )
    n = run.eval()["n"]
    at = open_page("pages/evaluate.py", run.id, dataset=run.config()["dataset"])
    caption = next(c.value for c in at.caption if "masked-language modelling" in c.value)
    assert f"{n} held-out window{'s' if n > 1 else ''} of 30 tokens of its corpus" in caption, caption


def test_pretrain_view_on_evaluate(studio_home):
    from core.training.runner import RunConfig, train_run

    run = train_run(
        RunConfig.create(
            "starter",
            "transformer",
            {"preset": "tiny", "max_len": 32, "vocab_size": 500},
            {"epochs": 2, "threads": 1},
            task="pretrain",
        )
    )
    at = open_page("pages/evaluate.py", run.id)
    assert [m.label for m in at.metric][:3] == ["MLM loss", "Masked-token accuracy", "Perplexity"]
    # each score with its yardstick: the loss of an even guess over the vocabulary, the share masked
    import math

    learned = run.eval()["vocabulary"]  # what it learned, not the cap of 500
    assert 10 < learned <= 500
    guess = f"Guessing evenly among the {learned:,} tokens of its vocabulary scores {math.log(learned):.1f}"
    assert guess in at.metric[0].help, at.metric[0].help
    assert f"about {run.config()['mask_rate']:.0%} of each held-out text" in at.metric[1].help
    titles = [f["layout"]["title"]["text"] for f in specs(at)]
    assert "MLM loss" in titles and "Perplexity" in titles
    assert len(at.dataframe[0].value) == 5  # top-5 tokens for the mask
    at.text_input(key="fill_text").input(
        "我很[MASK]欢" + "这本书" * 20 + "[MASK]"
    ).run()  # the second is past 32 tokens
    assert not at.exception and len(at.dataframe) == 1
    assert any(
        "Only the first 1 of the 2 [MASK]s fit in the model's window of 32 tokens" in w.value for w in at.warning
    )
    at.text_input(key="fill_text").input("这本书" * 20 + "我很[MASK]欢").run()  # the only one past the window
    assert not at.exception and not at.dataframe and not at.error
    assert any("nearer the start" in w.value for w in at.warning)
    # the Playground says the same
    at.switch_page("pages/playground.py").run()
    at.text_input(key="playground_text").input("这本书" * 20 + "我很[MASK]欢").run()
    assert not at.exception and any("nearer the start" in w.value for w in at.warning)
    at.text_input(key="playground_text").input("我很[MASK]欢这本书").run()
    fill = next(d for d in at.dataframe if "probability" in d.value.columns)
    assert json.loads(fill.proto.columns)["probability"]["type_config"]["format"] == "%.4f"  # not 0.07 by 0.0701


@pytest.mark.parametrize("page", ["pages/embeddings.py", "pages/playground.py", "pages/evaluate.py"])
def test_a_stale_run_link_says_so_instead_of_crashing(studio_home, page):
    at = open_page(page, "deleted-run-1234")
    assert not at.exception
    assert any("cannot be opened" in e.value for e in at.error)


def test_a_stopped_unevaluated_run_explains_itself_on_every_page(studio_home):
    from tests.conftest import stopped_starter_mlp

    run = stopped_starter_mlp()
    assert run.model_path.is_file() and run.eval() is None
    at = open_page("pages/playground.py", run.id)
    assert any("no per-text results yet" in i.value for i in at.info)
    assert specs(at)  # the probabilities are still there
    # never evaluated: the button says what Train and Evaluate say, not "evaluate again"
    assert at.button(key=f"rebuild_{run.id}_the nearest texts and the map").label == "Evaluate this checkpoint"
    at = open_page("pages/evaluate.py", run.id)
    assert at.button(key="evaluate_stopped")
    at = open_page("pages/embeddings.py", run.id)
    assert at.info


def test_a_new_session_opens_the_newest_finished_run_not_a_newer_stopped_one(small_dataset):
    from core.training.callbacks import Callback
    from core.training.runner import execute_run, start_run, train_run
    from tests.conftest import tiny_config
    from ui.sidebar import default_run, runs_for

    class StopEarly(Callback):
        def on_step_end(self, trainer, metrics):
            if trainer.step == 1:
                trainer.request_stop("user")

    finished = train_run(tiny_config(small_dataset, "bow_mlp"))
    stopped = start_run(tiny_config(small_dataset, "bow_mlp", epochs=3))
    assert execute_run(stopped, callbacks=[StopEarly()]) == "stopped"
    train_run(tiny_config(small_dataset, "baseline"))  # the newest of all: the yardstick, not the pick
    runs = runs_for(small_dataset)
    assert [r.id for r in runs][1] == stopped.id
    assert default_run(runs) == finished.id
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["dataset"] = small_dataset  # and no run: a new session
    at.run()
    at.switch_page("pages/embeddings.py").run()
    assert not at.exception, at.exception
    assert at.session_state["active_run"] == finished.id


def test_a_pasted_100k_text_is_cut_with_a_note_and_answered(trained):
    _, mlp, _ = trained
    at = open_page("pages/playground.py", mlp.id)
    text = "The striker scored twice in the cup final. " * 130 + "The new phone has a faster chip. " * 2500
    at.text_input(key="playground_text").set_value(text).run()
    assert not at.exception
    said = f"Cut at 10,000 of its {len(text):,} characters, as training and the command line cut a text."
    assert any(said in c.value for c in at.caption), [c.value for c in at.caption]
    # the answer is the command line's, on the same 10,000 characters (cut at 5,000 it was another)
    from core.data import DataLimits
    from core.inference import LIVE_TEXT_CHARS, Predictor

    assert DataLimits().max_text_chars == LIVE_TEXT_CHARS
    proba = Predictor.from_run(mlp.path).predict_proba([text[: DataLimits().max_text_chars]])[0]
    headline = next(m.value for m in at.markdown if m.value.startswith("### "))
    assert headline.startswith(f"### {mlp.eval()['labels'][int(proba.argmax())]} · ")
    assert any(f["layout"]["title"]["text"] == "Class probabilities" for f in specs(at))
    # no limit in the browser: it refused a longer paste whole, without a word, so the note never showed
    assert at.text_input(key="playground_text").proto.max_chars == 0


def test_a_text_with_no_words_gets_a_warning_and_no_neighbours(trained):
    _, mlp, _ = trained
    at = open_page("pages/playground.py", mlp.id)
    from core.inference import Predictor

    assert not Predictor.from_run(mlp.path).known_share("♪♪♪ ★★★ ◆◆")  # marks the starter's texts never use
    at.text_input(key="playground_text").set_value("♪♪♪ ★★★ ◆◆").run()
    assert not at.exception
    assert any("no words the model reads" in w.value for w in at.warning)
    assert not any(s.value == "Nearest training texts (search by meaning)" for s in at.subheader)
    at.text_input(key="playground_text").set_value("The striker scored twice in the cup final.").run()
    assert not at.warning and any(s.value == "Nearest training texts (search by meaning)" for s in at.subheader)
    # marks the model met in training ("！" is in the starter's Chinese texts) carry the answer: it says so
    assert Predictor.from_run(mlp.path).known_share("！！。") > 0
    at.text_input(key="playground_text").set_value("！！。").run()
    assert not at.exception
    (warning,) = [w.value for w in at.warning if "punctuation" in w.value]
    assert "rests on those marks alone" in warning and "no words the model reads" not in warning


def test_emoji_a_model_learned_are_read_on_every_page_and_the_command_line(studio_home, capsys):
    """Scraped posts: "🍜🥟" was food at 0.91 from emoji the model had learned, and the command line, the
    Playground ("no place on the map for a text the model cannot read") and Search all called it unreadable."""
    import pandas as pd

    from core.cli import main
    from core.data import SplitConfig, stratified_split
    from core.inference import Predictor
    from core.registry import DatasetStore
    from core.training.runner import RunConfig, train_run

    food = ["今天的面条很好吃 🍜", "饺子真香 🥟🍜", "🍜🍜 晚饭吃面", "火锅太辣了 🌶️", "🥟 早餐包子"]
    sport = ["比赛踢得很精彩 ⚽", "⚽⚽ 进球了", "冠军奖杯 🏆", "篮球打得好 🏀", "🏆 夺冠之夜"]
    texts = [f"{text} {i}" for i in range(12) for text in food + sport]
    frame = pd.DataFrame({"text": texts, "label": (["food"] * 5 + ["sports"] * 5) * 12})
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.15, 0.25, seed=1))
    DatasetStore().save(frame, "posts", "test", {"seed": 1}, dataset_id="posts")
    run = train_run(RunConfig.create("posts", "baseline"))
    assert Predictor.from_run(run.path).known_share("🍜🥟") == 1.0  # a model that reads characters learned them
    assert main(["predict", "--run", run.id, "--text", "🍜🥟"]) == 0
    printed = capsys.readouterr().out
    assert printed.splitlines()[1].startswith("  food") and "vocabulary" not in printed
    assert main(["search", "--run", run.id, "--collection", "posts", "--query", "🍜"]) == 0
    assert "🍜" in capsys.readouterr().out.splitlines()[1]
    at = open_page("pages/playground.py", run.id, dataset="posts")
    at.text_input(key="playground_text").set_value("🍜🥟").run()
    assert not at.exception and not at.warning, [w.value for w in at.warning]
    assert not any("cannot read" in c.value for c in at.caption)
    # emoji it never met: nothing it reads, said as such (not as words of another language)
    at.text_input(key="playground_text").set_value("🚀🚀").run()
    assert [w.value for w in at.warning if "no words the model reads" in w.value]


@pytest.mark.parametrize(
    "damage",
    [
        lambda run: (run.path / "points.parquet").write_bytes(b"not parquet"),
        lambda run: (run.path / "embeddings.npy").unlink(),
    ],
    ids=["garbage-points", "missing-embeddings"],
)
def test_damaged_per_text_results_are_named_on_every_page_that_needs_them(trained, damage):
    _, mlp, _ = trained
    damage(mlp)
    for page in ("pages/playground.py", "pages/evaluate.py", "pages/embeddings.py", "pages/compare.py"):
        at = open_page(page, mlp.id)
        assert not at.exception, page
        assert any("per-text results cannot be used" in w.value for w in at.warning), page
        assert at.button(
            key=f"rebuild_{mlp.id}_"
            + {
                "pages/playground.py": "the nearest texts and the map",
                "pages/evaluate.py": "the examples of each confusion cell and the list of mistakes",
                "pages/embeddings.py": "its map",
                "pages/compare.py": "the head-to-head",
            }[page]
        )
    at = open_page("pages/compare.py", mlp.id)  # a traceback there took the duel below with it
    assert any(s.value == "Duel: one sentence, every chosen model" for s in at.subheader)
    at = open_page("pages/playground.py", mlp.id)
    assert any(f["layout"]["title"]["text"] == "Class probabilities" for f in specs(at))  # the rest still works


def test_evaluate_at_the_class_limit_draws_the_most_confused_classes(studio_home):
    import pandas as pd

    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import RunConfig, train_run

    n_classes = 1000
    frame = pd.DataFrame(
        {
            "text": [f"topic{c} note{i} shared" for c in range(n_classes) for i in range(4)],
            "label": [f"class {c}" for c in range(n_classes) for _ in range(4)],
        }
    )
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.0, 0.25, seed=0))
    DatasetStore().save(frame, "many", "test", {}, dataset_id="many")
    run = train_run(
        RunConfig.create("many", "bow_mlp", {"hidden": [32], "featurizer": {"min_df": 1}}, {"epochs": 2, "threads": 1})
    )
    assert len(run.eval()["labels"]) == n_classes
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["dataset"] = "many"
    at.query_params["run"] = run.id
    at.run()
    at.switch_page("pages/evaluate.py").run()
    assert not at.exception
    matrix = next(f for f in specs(at) if f["layout"]["title"]["text"] == "Confusion matrix")
    assert len(matrix["data"][0]["x"]) == 30
    assert any(f"of {n_classes:,}" in c.value for c in at.caption)
    assert len(at.dataframe[0].value) == n_classes  # the per-class table lists every class
    f1 = at.dataframe[0].value["f1"].tolist()
    assert f1 == sorted(f1)  # the worst first: rows at F1 0 had been scattered among the others
    assert any("lowest F1 first" in c.value for c in at.caption)


def test_a_cut_matrix_of_few_confused_classes_does_not_call_the_others_confused(studio_home):
    """60 intents, 19 of them in any mistake: "the 30 classes most involved in mistakes" took 11 error-free
    ones for confused."""
    import pandas as pd

    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import RunConfig, train_run

    rows = [(f"topic{c} words{i} here", f"class {c}") for c in range(40) for i in range(6)]
    rows += [(f"the same words again {i}", label) for label in ("twin a", "twin b") for i in range(6)]
    frame = pd.DataFrame(rows, columns=["text", "label"])
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.0, 0.5, seed=0))
    DatasetStore().save(frame, "twins", "test", {}, dataset_id="twins")
    run = train_run(RunConfig.create("twins", "baseline"))
    report = run.eval()
    mistaken = {c["label"] for c in report["per_class"] if c["f1"] < 1}
    assert mistaken and mistaken <= {"twin a", "twin b"}, mistaken
    at = open_page("pages/evaluate.py", run.id, dataset="twins")
    said = [c.value for c in at.caption if "involved in mistakes" in c.value]
    assert said == [
        "The 2 classes involved in mistakes and the 28 largest others, of 42; the table on the left lists every class."
    ], said
    assert set(at.dataframe[0].value["class"].tolist()[: len(mistaken)]) == mistaken  # the worst first
    # Compare draws the 30 classes with the lowest F1 in any run, not 84 bars under 42 names
    at = open_page("pages/compare.py", run.id, dataset="twins")
    assert not at.exception, at.exception
    f1 = next(f for f in specs(at) if f["layout"]["title"]["text"] == "F1 per class")
    assert len(f1["data"][0]["x"]) == 30 and mistaken <= set(f1["data"][0]["x"])
    assert any(c.value.startswith("The 30 classes with the lowest F1 in any of these runs, of 42") for c in at.caption)


def test_a_cut_confusion_matrix_gives_each_cell_its_share_of_the_whole_row(studio_home):
    """Cut to the 30 classes most involved in mistakes, a cell's share was of the drawn part of its row:
    the mistakes into the classes left out were dropped (57% of the row where the recall was 40%)."""
    import numpy as np
    import pandas as pd

    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import RunConfig, train_run

    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {  # 80 classes of random words: mistakes everywhere, many into classes the matrix leaves out
            "text": [" ".join(f"w{k}" for k in rng.integers(0, 30, size=5)) for _ in range(80) for _ in range(6)],
            "label": [f"class {c}" for c in range(80) for _ in range(6)],
        }
    )
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.0, 0.5, seed=0))
    DatasetStore().save(frame, "eighty", "test", {}, dataset_id="eighty")
    run = train_run(RunConfig.create("eighty", "baseline"))  # spreads its guesses (an MLP after 1 epoch had one)
    report = run.eval()
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"dataset": "eighty", "run": run.id})
    at.run()
    at.switch_page("pages/evaluate.py").run()
    assert not at.exception, at.exception
    heat = next(f for f in specs(at) if f["layout"]["title"]["text"] == "Confusion matrix")["data"][0]
    index = {label: i for i, label in enumerate(report["labels"])}
    drawn = [index[label] for label in heat["y"]]
    assert len(drawn) == 30
    left_out = 0
    for r, i in enumerate(drawn):
        row = report["confusion"][i]
        left_out += sum(row) - sum(row[j] for j in drawn)
        for c, j in enumerate(drawn):
            assert heat["z"][r][c] == pytest.approx(row[j] / max(1, sum(row))), (r, c)
    assert left_out > 0  # some mistakes went to classes not drawn: the case that was wrong


def test_deleting_a_source_run_warns_of_its_fine_tuned_runs_and_their_map_goes_quietly(small_dataset, capsys):
    from core.cli import main
    from core.registry import RunStore
    from core.training.runner import RunConfig, train_run
    from tests.conftest import TINY_TRAIN, tiny_config

    source = train_run(tiny_config(small_dataset, "bow_mlp"))
    tuned = train_run(
        RunConfig.create(small_dataset, train_overrides=TINY_TRAIN, task="finetune", source_run=source.id)
    )
    assert RunStore().fine_tuned_from(source.id) == [tuned.id]
    at = open_page("pages/evaluate.py", source.id, small_dataset)
    at.button(key=f"ask_run_delete_{source.id}").click().run()
    from ui.safe_text import md

    assert any(f"Fine-tuned from it: {md(tuned.id)}." in w.value for w in at.warning), [w.value for w in at.warning]
    assert main(["runs", "delete", source.id, "--yes"]) == 0
    assert f"Fine-tuned from it: {tuned.id}. They keep their own weights" in capsys.readouterr().out
    assert main(["runs", "show", tuned.id]) == 0
    assert (  # beside the JSON, on stderr: stdout is the JSON alone
        f"lineage: fine-tuned from run {source.id} (classify on dataset small, deleted since)"
        in capsys.readouterr().err
    )
    at = open_page("pages/embeddings.py", tuned.id, small_dataset)
    assert not [w for w in at.toggle if w.key == "map_shift"]  # nothing to compare against: no toggle
    assert any(f"({md(source.id)}) was deleted" in c.value for c in at.caption), [c.value for c in at.caption]


def test_compare_ticks_the_active_run_among_runs_of_one_config(trained):
    """Two runs of the same settings compare nothing, so one is ticked: the one the user is on."""
    import json
    import shutil

    from core.registry import RunStore

    base, mlp, tiny = trained
    twin_id = mlp.id[:-4] + "beef"
    shutil.copytree(mlp.path, mlp.path.parent / twin_id)
    twin = RunStore().get(twin_id)
    config = json.loads((twin.path / "config.json").read_text())
    (twin.path / "config.json").write_text(json.dumps({**config, "run_id": twin_id}))
    report = json.loads((twin.path / "eval.json").read_text())
    report["accuracy"] = min(1.0, report["accuracy"] + 0.01)  # the twin ranks above the active run
    (twin.path / "eval.json").write_text(json.dumps(report))
    at = open_page("pages/compare.py", mlp.id)
    assert not at.exception
    board = at.dataframe[0].value
    assert list(board["run"]).index(twin_id) < list(board["run"]).index(mlp.id)
    assert at.selectbox(key="duel_a").value == mlp.id  # the active run is the one compared, not its twin
    # two runs of one name are told apart by the end of their ids; a name no other run has stands alone
    labels = dict(zip(board["run"], board["label"]))
    assert labels[twin_id] == "bag-of-words MLP · beef" and labels[mlp.id] == f"bag-of-words MLP · {mlp.id[-4:]}"
    assert labels[base.id] == "TF-IDF + LR"


def test_the_map_of_an_unlabelled_pretraining_run_offers_only_the_colourings_it_has(studio_home):
    """Coloured by label by default, an unlabelled dataset's map was blank ("nan", no points)."""

    from tests.conftest import tiny_pretraining

    unlabelled_notes()
    run = tiny_pretraining("notes")
    assert run.status()["state"] == "done", run.status().get("error")
    at = open_page("pages/embeddings.py", run.id, dataset="notes")
    assert at.selectbox(key="map_colour").options == ["split", "language"]  # no labels, no predictions
    at.radio(key="map_method").set_value("pca").run()
    assert not at.exception
    fig = specs(at)[0]
    held_out = int((run.points()["split"] != "train").sum())
    assert held_out and sum(len(trace["x"]) for trace in fig["data"]) == held_out
    assert "nan" not in {trace["name"] for trace in fig["data"]}
    assert all("label" not in trace["hovertemplate"] for trace in fig["data"])


def test_a_second_map_without_the_colouring_picked_falls_back_and_says_so(small_dataset):
    """Coloured by correct / wrong, a pretraining run beside a classifier was one grey "n/a" blob."""
    from core.training.runner import train_run
    from tests.conftest import tiny_config, tiny_pretraining

    classifier = train_run(tiny_config(small_dataset, "bow_mlp"))
    pretraining = tiny_pretraining(small_dataset)
    at = open_page("pages/embeddings.py", classifier.id, dataset=small_dataset)
    at.radio(key="map_method").set_value("pca").run()
    at.selectbox(key="map_colour").set_value("correct").run()
    at.selectbox(key="map_second").set_value(pretraining.id).run()
    assert not at.exception, at.exception
    first, second = specs(at)[:2]
    assert {trace["name"] for trace in first["data"]} <= {"correct", "wrong"}
    labels = set(classifier.config()["labels"])
    assert {trace["name"] for trace in second["data"]} == labels  # its texts' true labels, not one "n/a"
    assert any("coloured by true label" in c.value for c in at.caption)


@pytest.mark.parametrize("damage", ["missing", "cut short"])
def test_a_finished_run_whose_model_file_went_is_named_and_can_start_again(small_dataset, damage):
    """ "No saved model yet (done)" sent the user waiting, and the Train page offered no way back."""
    from core.registry import RunStore
    from core.training.runner import check_restartable, model_problem, train_run
    from tests.conftest import tiny_config

    def model_ok(run) -> bool:
        return model_problem(run) is None

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    if damage == "missing":
        run.model_path.unlink()
    else:
        run.model_path.write_bytes(run.model_path.read_bytes()[:1000])
    if damage == "missing":
        for page in ("pages/playground.py", "pages/search.py"):
            at = open_page(page, run.id, dataset=small_dataset)
            assert any("(model.safetensors) is missing from its folder" in w.value for w in at.warning), page
    at = open_page("pages/train.py", run.id, dataset=small_dataset)
    warning = "Its model file is missing" if damage == "missing" else "Its model file is damaged (the file is cut"
    assert any(w.value.startswith(warning) for w in at.warning)
    check_restartable(run)  # nothing left to lose: no --yes needed
    at.button(key=f"restart_{run.id}").click().run()
    assert not at.exception, at.exception
    import time

    deadline = time.monotonic() + 120  # trained again in a worker process, with the same settings
    while RunStore().get(run.id).status()["state"] not in ("done", "failed"):
        assert time.monotonic() < deadline, RunStore().get(run.id).status()
        time.sleep(0.2)
    assert RunStore().get(run.id).status()["state"] == "done", RunStore().get(run.id).status().get("error")
    assert model_ok(RunStore().get(run.id))


def test_scores_on_a_small_test_split_come_with_a_word_on_how_rough_they_are(small_dataset):
    """A 10-row file: "accuracy 0.5000 on 2 texts" was shown as plainly as a score on thousands."""
    import json

    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    n = run.eval()["n"]
    at = open_page("pages/evaluate.py", run.id, dataset=small_dataset)
    assert not at.exception, at.exception
    (said,) = [w.value for w in at.warning if w.value.startswith(f"Only {n} test texts")]
    assert f"moves accuracy by {100 / n:.1f} pt" in said
    from core.evaluation import accuracy_range

    low, high = accuracy_range(run.eval()["accuracy"], n)
    assert f"anywhere from {100 * low:.0f}% to {100 * high:.0f}%" in said, said  # not "±", which ran past 100%
    report = json.loads((run.path / "eval.json").read_text())
    majority = report["majority_accuracy"]
    learned = {"n": 2000, "accuracy": min(1.0, majority + 0.2)}  # as on a real test split, by a model that learned
    (run.path / "eval.json").write_text(json.dumps({**report, **learned}))
    at = open_page("pages/evaluate.py", run.id, dataset=small_dataset)
    assert not [w for w in at.warning if "test texts: one more right" in w.value]
    assert not [w for w in at.warning if "no better than always answering" in w.value]
    # a model no better than the majority class says so (0.5190 beside 0.5202 went without a word)
    nothing = {"n": 2000, "accuracy": majority - 0.0012, "macro_f1": 0.05}
    (run.path / "eval.json").write_text(json.dumps({**report, **nothing}))
    at = open_page("pages/evaluate.py", run.id, dataset=small_dataset)
    (said,) = [w.value for w in at.warning if "no better than always answering" in w.value]
    assert f"the most common class ({majority:.1%})" in said
    # on imbalanced data a model below the majority's accuracy may still have learned: its macro-F1 says so
    (run.path / "eval.json").write_text(json.dumps({**report, **nothing, "macro_f1": 0.7}))
    at = open_page("pages/evaluate.py", run.id, dataset=small_dataset)
    assert not [w for w in at.warning if "no better than always answering" in w.value]
    # on a few test texts too, when every one of them was given the same class: a model that only ever said
    # "sports" read as 80% accurate on 50 texts, "anywhere from 67% to 89%", and nothing said it learned nothing
    k = len(report["labels"])
    few = {"n": 50, "accuracy": majority, "macro_f1": (2 * majority / (1 + majority)) / k}
    one_column = [[n_true if j == 0 else 0 for j in range(k)] for n_true in (40, 6, 3, 1)[:k]]
    (run.path / "eval.json").write_text(json.dumps({**report, **few, "confusion": one_column}))
    at = open_page("pages/evaluate.py", run.id, dataset=small_dataset)
    assert [w for w in at.warning if "no better than always answering" in w.value], [w.value for w in at.warning]
    mixed = [[row[0] - 1, 1, *row[2:]] if i == 0 else row for i, row in enumerate(one_column)]
    (run.path / "eval.json").write_text(json.dumps({**report, **few, "confusion": mixed}))
    at = open_page("pages/evaluate.py", run.id, dataset=small_dataset)  # a few texts and two answers: could be chance
    assert not [w for w in at.warning if "no better than always answering" in w.value]


def test_a_baseline_with_other_settings_is_not_the_yardstick(trained):
    """A baseline trained with C=0.01 (0.40 accuracy) counted as the plain one: newest, it became the
    yardstick, and every run read about "+37 pt vs baseline", the default baseline itself included."""
    from core.training.runner import RunConfig, train_run
    from ui.actions import baseline_run, is_plain_baseline

    base, mlp, _ = trained
    weak = train_run(RunConfig.create("starter", "baseline", {"C": 0.01}))
    assert weak.eval()["accuracy"] < base.eval()["accuracy"] - 0.02  # a yardstick below the plain one
    assert not is_plain_baseline(weak.config()) and is_plain_baseline(base.config())
    assert baseline_run("starter").id == base.id
    at = open_page("pages/compare.py", mlp.id)
    assert not at.exception, at.exception
    board = at.dataframe[0].value.set_index("run")
    assert board.at[base.id, "vs baseline"] == 0.0
    assert board.at[mlp.id, "vs baseline"] == pytest.approx(100 * (mlp.eval()["accuracy"] - base.eval()["accuracy"]))
    from ui.leaderboard import family

    assert family(weak.config()) == "baseline-variant" and family(base.config()) == "baseline"


def test_compare_without_a_baseline_run_has_no_column_of_dashes(small_dataset):
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    runs = [train_run(tiny_config(small_dataset, encoder)) for encoder in ("bow_mlp", "rbf")]
    at = open_page("pages/compare.py", runs[0].id, dataset=small_dataset)
    assert not at.exception, at.exception
    assert set(at.dataframe[0].value["run"]) == {r.id for r in runs}
    assert "vs baseline" not in at.dataframe[0].value.columns
    assert verdict_line(at).startswith("Best: ") and "baseline" not in verdict_line(at)  # no baseline: no margin


def test_compare_of_runs_without_epochs_draws_no_empty_learning_curves_section(small_dataset):
    """Two baselines on a board: the "Learning curves" heading stood over no chart."""
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    runs = [train_run(tiny_config(small_dataset, "baseline", seed=seed)) for seed in (0, 1)]
    at = open_page("pages/compare.py", runs[0].id, dataset=small_dataset)
    assert not at.exception, at.exception
    assert len(at.dataframe[0].value) == 2
    heads = [s.value for s in at.subheader]
    assert "Learning curves" not in heads, heads
    assert [f["layout"]["title"]["text"] for f in specs(at)].count("F1 per class") == 1


def test_a_map_of_a_few_texts_says_why_it_has_no_separation_scores(studio_home, starter_frame):
    """On a 20-text dataset the silhouette and k-NN scores were gone, without a word."""
    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    frame = starter_frame.groupby("label").head(5).reset_index(drop=True)
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.2, 0.2, seed=1))
    DatasetStore().save(frame, "few", "test", {"seed": 1}, dataset_id="few")
    run = train_run(tiny_config("few", "bow_mlp"))
    at = open_page("pages/embeddings.py", run.id, dataset="few")
    at.radio(key="map_method").set_value("pca").run()
    assert not at.exception
    shown = sum(len(trace["x"]) for trace in specs(at)[0]["data"])
    assert shown < 10 and not at.metric
    assert any(c.value.startswith(f"Too few texts on the map ({shown})") for c in at.caption)
    at.radio(key="map_scope").set_value("all").run()  # all 20: scored, and the note is gone
    assert [m.label for m in at.metric] == ["Silhouette (cosine)", "k-NN accuracy"]
    assert not any(c.value.startswith("Too few texts") for c in at.caption)


def test_a_file_classified_in_the_background_downloads_under_its_own_name(trained, monkeypatch):
    """The batch download was "<run>-predictions.csv" whatever the file: a second file's overwrote the first's."""
    import time

    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    offered = []  # the names the page gives its downloads, as Streamlit's own media storage receives them
    store = MemoryMediaFileStorage.load_and_get_id
    monkeypatch.setattr(
        MemoryMediaFileStorage,
        "load_and_get_id",
        lambda self, data, mimetype, kind, filename=None: (
            offered.append(filename) or store(self, data, mimetype, kind, filename)
        ),
    )
    _, mlp, _ = trained
    at = open_page("pages/playground.py", mlp.id)
    rows = "".join(f"{i},{text}\n" for i, text in enumerate(["球队赢得了冠军", "新手机的芯片更快了"] * 5))
    at.file_uploader(key="batch_file").upload("客户/评论 11月.csv", f"id,text\n{rows}".encode(), "text/csv").run()
    assert not at.exception
    assert at.checkbox(key="batch_keep").value  # its ids go beside the predictions
    at.button(key="batch_go").click().run()
    deadline = time.monotonic() + 120
    while not any(s.value.startswith("Classified 10 texts") for s in at.success) and time.monotonic() < deadline:
        time.sleep(0.5)
        at.run()
    assert any(s.value.startswith("Classified 10 texts") for s in at.success), [e.value for e in at.error]
    assert [d for d in at.dataframe if "prediction" in d.value.columns]
    assert "评论 11月-predictions.csv" in offered, offered  # the file's own name (its folder dropped), not the run's
    assert any("texts of 客户/评论 11月.csv in" in shown(s.value) for s in at.success)  # which file they are of
    # another file: the last file's results are not shown under it as if they were its own
    at.file_uploader(key="batch_file").upload("two.csv", "text\n球队赢了\n芯片更快\n".encode(), "text/csv").run()
    assert not at.exception
    assert not at.success, [s.value for s in at.success]
    assert not [d for d in at.dataframe if "prediction" in d.value.columns]
    assert at.button(key="batch_go").label == "Classify 2 texts"
    assert not [c for c in at.checkbox if c.key == "batch_keep"]  # a file of texts alone has no other columns


def test_a_chinese_page_s_predictions_file_is_headed_in_chinese_and_keeps_its_cells(trained, monkeypatch):
    """The Chinese page's download said "prediction,confidence,p_food": the table above it and Evaluate's
    mistakes file are headed in Chinese."""
    import io
    import time

    import pandas as pd
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    downloads = {}
    store = MemoryMediaFileStorage.load_and_get_id
    monkeypatch.setattr(
        MemoryMediaFileStorage,
        "load_and_get_id",
        lambda self, data, mimetype, kind, filename=None: (
            downloads.__setitem__(filename, data) or store(self, data, mimetype, kind, filename)
        ),
    )
    _, mlp, _ = trained
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(dataset="starter", run=mlp.id, lang="zh")
    at.run()
    at.switch_page("pages/playground.py").run()
    rows = "".join(f"0{i}23,{text}\n" for i, text in enumerate(["球队赢得了冠军", "NA"] * 3))
    at.file_uploader(key="batch_file").upload("评论.csv", f"id,text\n{rows}".encode(), "text/csv").run()
    at.button(key="batch_go").click().run()
    deadline = time.monotonic() + 120
    while "评论-predictions.csv" not in downloads and time.monotonic() < deadline:
        time.sleep(0.5)
        at.run()
    assert not at.exception
    frame = pd.read_csv(io.BytesIO(downloads["评论-predictions.csv"]), dtype=str, keep_default_na=False)
    assert {"预测", "置信度"} <= set(frame.columns) and "prediction" not in frame.columns
    assert list(frame["id"][:2]) == ["0023", "0123"] and list(frame.iloc[:2, 1]) == ["球队赢得了冠军", "NA"]


def classified(run_id: str, name: str, data: bytes) -> AppTest:
    """The Playground of ``run_id`` after ``data`` was uploaded as ``name`` and classified (its result shown)."""
    import time

    at = open_page("pages/playground.py", run_id)
    at.file_uploader(key="batch_file").upload(name, data, "text/csv").run()
    at.button(key="batch_go").click().run()
    # what the click itself said: a worker that could not start is said then, and gone from later reruns
    said = [e.value for e in at.error]
    # a bound on waiting, not a speed test: once, early in a CI run (a cold UMAP compile beside it), 120 s passed
    deadline = time.monotonic() + 300
    while not at.success and not said and time.monotonic() < deadline:
        time.sleep(0.5)
        at.run()
    assert at.success, (
        said,
        [e.value for e in at.error],
    )
    return at


def test_a_file_the_model_cannot_read_is_said_to_be_so_after_it_is_classified(trained):
    """A Chinese-only model classified 300 English reviews with ordinary-looking confidences, and
    nothing said it knew one word in five, though a single typed sentence gets that warning."""
    _, mlp, _ = trained

    def classify(name: str, texts: list[str]):
        at = classified(mlp.id, name, ("text\n" + "\n".join(texts)).encode())
        return [w.value for w in at.warning if "model's vocabulary" in w.value]

    assert classify("known.csv", ["球队赢得了冠军", "新手机的芯片更快了"] * 5) == []
    said = classify("foreign.csv", ["qqxv zzwy blorp", "wubba flim flam"] * 5)
    # none known: "Only 0% … rest on those alone" had nothing to rest on
    assert said and said[0].startswith("None of these texts' words are in the model's vocabulary"), said
    said = classify("half.csv", ["球队 qqxv zzwy blorp wubba flim flam"] * 10)
    assert said and said[0].startswith("Only ") and "rest on those alone" in said[0], said


def test_a_batch_classified_before_the_run_was_trained_again_is_not_shown_as_its_own(trained):
    """After "Start again", the Playground still offered the old weights' predictions for download."""
    import time

    from core.training.runner import execute_run, reset_run

    _, mlp, _ = trained
    at = classified(mlp.id, "a.csv", "text\n球队赢得了冠军\n新手机的芯片更快了\n".encode())
    assert any(s.value.startswith("Classified 2 texts") for s in at.success), [e.value for e in at.error]
    time.sleep(0.05)  # the new weights are written after the batch ended, as after any real restart
    reset_run(mlp)
    assert execute_run(mlp) == "done"
    at.run()
    assert not at.exception, at.exception
    assert not [s for s in at.success if s.value.startswith("Classified")]
    assert not [d for d in at.dataframe if "prediction" in d.value.columns]
    # and the table that went is explained, not dropped without a word
    assert [i for i in at.info if i.value.startswith("The last classification used the weights")], at.info


def test_a_batch_whose_results_were_pruned_by_newer_ones_says_so(trained):
    """A run keeps its three newest classifications: a user's results could vanish without a word after
    others classified more files on the same run."""
    import os
    import time

    from core.workers import BATCH_JOBS_KEPT, prune_batch_jobs

    _, mlp, _ = trained
    at = classified(mlp.id, "mine.csv", "text\n球队赢得了冠军\n".encode())
    assert any(s.value.startswith("Classified 1 texts") for s in at.success), [e.value for e in at.error]
    mine = at.session_state["batch_job"]
    record = mlp.path / "jobs" / f"{mine}.json"
    old = time.time() - 3600  # made an hour ago: the newest three are others'
    os.utime(record, (old, old))
    for k in range(BATCH_JOBS_KEPT):  # others' newer classifications (records only: the pruning counts those)
        (mlp.path / "jobs" / f"predict-other{k}.json").write_text(record.read_text())
    assert prune_batch_jobs(mlp) == 1 and not record.exists()
    at.run()
    assert not at.exception, at.exception
    assert not [s for s in at.success if s.value.startswith("Classified")]
    assert [i for i in at.info if i.value.startswith("The results of the last classification are gone")], at.info


def test_a_fine_tuned_runs_unknown_words_are_said_to_come_from_the_run_it_started_from(trained, small_dataset):
    """A fine-tuned model reads with its source's vocabulary: "但是", in a third of the fine-tuning
    texts, was [UNK] all the same, and the Playground said it "was not in its training texts"."""
    from core.training.runner import RunConfig, train_run
    from tests.conftest import TINY_TRAIN

    _, mlp, _ = trained
    tuned = train_run(RunConfig.create(small_dataset, train_overrides=TINY_TRAIN, task="finetune", source_run=mlp.id))
    said = {}
    for run in (mlp, tuned):
        at = open_page("pages/playground.py", run.id, run.config()["dataset"])
        at.text_input(key="playground_text").input("The striker scored twice in the cup final qqqx").run()
        assert not at.exception, at.exception
        said[run.id] = [c.value for c in at.caption if c.value.startswith("The model knows")]
    assert said[mlp.id] and "not in its training texts" in said[mlp.id][0], said
    assert said[tuned.id] and "the run it was fine-tuned from" in said[tuned.id][0], said
    # Evaluate names the run it started from, as Compare and `runs show` do
    from ui.sidebar import short_name

    at = open_page("pages/evaluate.py", tuned.id, tuned.config()["dataset"])
    assert not at.exception, at.exception
    lineage = [c.value for c in at.caption if c.value.startswith("Fine-tuned from run")]
    assert lineage and short_name(mlp) in shown(lineage[0]), lineage
    at = open_page("pages/evaluate.py", mlp.id, mlp.config()["dataset"])
    assert not [c for c in at.caption if c.value.startswith("Fine-tuned from run")]
    # its confidences were calibrated at the end of training, and the page says by how much
    (calibrated,) = [c.value for c in at.caption if c.value.startswith("Calibrated after training")]
    assert f"divided by {mlp.eval()['temperature']:.2f}" in calibrated, calibrated


def test_the_playground_keeps_what_was_typed_across_a_visit_to_another_page(trained):
    """Back from Evaluate, the box showed the example sentence again: Streamlit drops a widget's value."""
    _, mlp, _ = trained
    at = open_page("pages/playground.py", mlp.id)
    example = at.text_input(key="playground_text").value
    at.text_input(key="playground_text").input("The striker scored twice in the cup final").run()
    at.switch_page("pages/evaluate.py").run()
    assert not at.exception, at.exception
    at.switch_page("pages/playground.py").run()
    assert not at.exception, at.exception
    assert at.text_input(key="playground_text").value == "The striker scored twice in the cup final"
    at.text_input(key="playground_text").input(example).run()  # back to the example: it follows the run again
    assert at.session_state["playground_typed"] is None


def test_an_untouched_playground_box_shows_the_example_of_the_run_picked_next(trained, small_dataset):
    """Picked on the page, another run kept the first run's example, and it stuck as if typed."""
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    _, mlp, _ = trained
    other = train_run(tiny_config(small_dataset, "bow_mlp"))
    at = open_page("pages/playground.py", mlp.id)
    first = at.text_input(key="playground_text").value
    at.selectbox(key="sidebar_dataset").set_value(small_dataset).run()
    assert not at.exception, at.exception
    assert at.session_state["active_run"] == other.id
    own = at.text_input(key="playground_text").value
    assert own != first and own in other.points().query("split == 'test'")["text"].tolist()
    assert at.session_state["playground_typed"] is None  # an example, not something typed


def test_the_playground_names_its_run_as_evaluate_does_not_as_the_picker_does(trained):
    """It read "Run ✓ tiny transformer demo · Transformer (tiny) · done · <id>", the picker's label."""
    from core.names import name_run

    _, mlp, _ = trained
    at = open_page("pages/playground.py", mlp.id)
    (caption,) = [shown(c.value) for c in at.caption if c.value.startswith("Run ")]
    assert caption == f"Run **bag-of-words MLP · {mlp.id}** on **Starter topics (Chinese + English)**", caption
    name_run(mlp, title="demo model")
    at.run()
    (caption,) = [shown(c.value) for c in at.caption if c.value.startswith("Run ")]
    assert caption == "Run **demo model · bag-of-words MLP** on **Starter topics (Chinese + English)**", caption


def test_another_run_opens_on_its_own_worst_confusion_cell(trained):
    """Switched to another run, Evaluate kept the cell picked on the last one: "0 test texts that
    are … and predicted …" over an empty table that said "empty", in English."""
    from core.inference import Predictor
    from tests.app.test_pages import held_out_texts

    _, mlp, tiny = trained
    test = held_out_texts(tiny)
    counts = test.assign(pred=Predictor.from_run(tiny.path).predict(test["text"].tolist()))
    counts = counts.groupby(["label", "pred"]).size()
    wrong = counts[[a != b for a, b in counts.index]]
    assert len(wrong), "the tiny Transformer made no mistakes to show"
    at = open_page("pages/evaluate.py", mlp.id)
    labels = at.selectbox(key="cell_true").options
    at.selectbox(key="cell_true").set_value(labels[1]).run()  # a cell of the MLP's, picked by hand
    at.selectbox(key="cell_pred").set_value(labels[1]).run()
    at.sidebar.selectbox(key="sidebar_run").set_value(tiny.id).run()
    assert not at.exception, at.exception
    assert at.session_state["active_run"] == tiny.id
    cell = (at.selectbox(key="cell_true").value, at.selectbox(key="cell_pred").value)
    assert wrong.get(cell, 0) == wrong.max(), (cell, wrong.to_dict())


def test_the_map_settings_survive_a_visit_to_another_page(trained):
    """Back from the Playground, the map was 2-D and coloured by label again: Streamlit drops the
    values of widgets a page does not draw."""
    _, mlp, _ = trained
    at = open_page("pages/embeddings.py", mlp.id)
    at.radio(key="map_method").set_value("pca").run()
    at.radio(key="map_dims").set_value(3).run()
    at.selectbox(key="map_colour").set_value("correct").run()
    at.switch_page("pages/playground.py").run()
    assert not at.exception, at.exception
    at.switch_page("pages/embeddings.py").run()
    assert not at.exception, at.exception
    assert at.radio(key="map_method").value == "pca"
    assert at.radio(key="map_dims").value == 3
    assert at.selectbox(key="map_colour").value == "correct"


def test_compare_refuses_a_head_to_head_across_two_imports_of_a_dataset(small_dataset, starter_frame):
    """Runs from before a dataset was imported again under its id were scored on other test texts
    (or classes): ranked beside the new ones they set the margins (and the duel raised a KeyError)."""
    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import RunConfig, train_run

    old = train_run(RunConfig.create(small_dataset, "baseline"))
    DatasetStore().delete(small_dataset)
    frame = starter_frame.groupby("label").head(60).reset_index(drop=True)
    frame["label"] = frame["label"].replace({"food": "cuisine"})
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.15, 0.25, seed=1))
    DatasetStore().save(frame, small_dataset, "test", {"seed": 1}, dataset_id=small_dataset)
    new = train_run(RunConfig.create(small_dataset, "baseline", {"featurizer": {"nb_weights": True}}))
    at = open_page("pages/compare.py", new.id, dataset=small_dataset)
    # the old run is off the board: ranked beside the new one, it set the margins of runs scored elsewhere
    assert list(at.dataframe[0].value["run"]) == [new.id]
    assert any(c.value.startswith("Left off the board: 1 run trained on an earlier import") for c in at.caption)
    newer = train_run(RunConfig.create(small_dataset, "baseline"))
    at = open_page("pages/compare.py", new.id, dataset=small_dataset)
    assert set(at.dataframe[0].value["run"]) == {new.id, newer.id}
    assert old.id not in set(at.selectbox(key="duel_a").options)
    # without a fingerprint (runs from before them), its other classes still tell it apart
    config = json.loads(old.config_path.read_text())
    del config["data_fingerprint"]
    old.config_path.write_text(json.dumps(config))
    at = open_page("pages/compare.py", new.id, dataset=small_dataset)
    assert old.id not in set(at.dataframe[0].value["run"])
    assert at.text_input(key="duel_text")  # the sections below the duel still draw


def test_a_map_that_failed_before_the_run_was_trained_again_is_tried_again(trained):
    """The old failure ("The worker process ended unexpectedly") stayed on the page after the run
    was trained again, and the map was never tried on the new vectors."""
    import os
    import time

    from core.projection import ProjectionConfig
    from core.storage import atomic_write_json
    from core.workers import _job_paths
    from ui import maps

    _, mlp, _ = trained
    config = ProjectionConfig(n_neighbors=7)  # a setting nobody mapped: not in the cache
    _, record = _job_paths(mlp, maps._job_name(config, None))
    record.parent.mkdir(exist_ok=True)
    now = time.time()
    failure = {"state": "failed", "error": "The worker process ended unexpectedly.", "created": now - 100}
    atomic_write_json(record, {**failure, "ended": now - 90})
    for name in ("model.safetensors", "embeddings.npy"):
        os.utime(mlp.path / name, (now - 200, now - 200))
    projection, job = maps.request(mlp, config)
    assert projection is None and job["state"] == "failed"  # about these very vectors: shown, with its button
    os.utime(mlp.path / "embeddings.npy", (now, now))  # written again since (trained or evaluated again)
    projection, job = maps.request(mlp, config)
    assert projection is None and job["state"] in ("starting", "running")


def test_a_failed_map_says_why_in_one_sentence(trained, monkeypatch):
    """A UMAP worker killed mid-way read "The worker process ended unexpectedly.. Showing PCA instead."."""
    from ui import maps

    _, mlp, _ = trained
    failed = {"state": "failed", "error": "The worker process ended unexpectedly.", "name": "umap"}
    monkeypatch.setattr(maps, "request", lambda *args, **kwargs: (None, failed))
    at = open_page("pages/embeddings.py", mlp.id)
    (said,) = [e.value for e in at.error if e.value.startswith("UMAP could not be computed")]
    assert said == "UMAP could not be computed: The worker process ended unexpectedly. Showing PCA instead.", said
    # and the map under it is not "PCA while UMAP is computed": nothing is computing it
    titles = [fig["layout"]["title"]["text"] for fig in specs(at) if "title" in fig["layout"]]
    assert any(title.endswith(" · PCA") for title in titles), titles
    assert not [title for title in titles if "while UMAP is computed" in title], titles
    star = open_page("pages/playground.py", mlp.id)  # opens answered
    titles = [fig["layout"]["title"]["text"] for fig in specs(star) if "title" in fig["layout"]]
    assert any(title.endswith("(★) · PCA") for title in titles), titles


def test_the_playground_of_many_classes_names_a_few_not_all(studio_home):
    """1,000 classes: the "Unsure" box listed every class name, a page long, under a chart a page tall."""
    import pandas as pd

    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import RunConfig, train_run

    words = [f"topic{i}" for i in range(30)]
    frame = pd.DataFrame(
        {
            "text": [f"{w} story number {k} {w}" for w in words for k in range(10)],
            "label": [w.upper() for w in words for _ in range(10)],
        }
    )
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.1, 0.2, seed=1))
    DatasetStore().save(frame, "many", "test", {"seed": 1}, dataset_id="many")
    run = train_run(RunConfig.create("many", "baseline"))
    at = open_page("pages/playground.py", run.id, dataset="many")
    at.text_input(key="playground_text").input("a story with no topic word").run()
    assert not at.exception, at.exception
    unsure = [i.value for i in at.info if i.value.startswith("Unsure")]
    assert unsure and "only knows its 30 classes" in unsure[0] and "TOPIC29" not in unsure[0], unsure
    bars = next(f for f in specs(at) if f["layout"]["title"]["text"] == "Class probabilities")
    assert len(bars["data"][0]["y"]) == 12 and bars["data"][0]["y"][0] == "19 other classes"


def test_evaluate_says_why_a_transformer_from_scratch_trails_on_few_texts(trained):
    """17 points below the baseline on a user's 100 reviews, and only a red "-17.2 pt" said anything."""
    base, mlp, tiny = trained
    gap = (base.eval()["accuracy"] - tiny.eval()["accuracy"]) * 100
    assert gap >= 5, gap  # one epoch of a tiny Transformer on the starter's ~1,000 training texts
    said = [i.value for i in open_page("pages/evaluate.py", tiny.id).info if "trained from scratch" in i.value]
    assert said and f"by {gap:.1f} points" in said[0], said
    assert not [i for i in open_page("pages/evaluate.py", mlp.id).info if "trained from scratch" in i.value]


def test_the_playground_says_where_a_transformer_stops_reading(trained):
    """A long review's verdict at its end fell past the window, and nothing said so."""
    _, mlp, tiny = trained
    at = open_page("pages/playground.py", tiny.id)
    long_text = "the match went to extra time and the home side won " * 8 + "VERDICT at the very end"
    at.text_input(key="playground_text").input(long_text).run()
    said = [w.value for w in at.warning if "reads only its first" in w.value]
    assert said and "first 30 tokens" in said[0] and "VERDICT" not in said[0], said  # 32, [CLS] and [SEP] aside
    at.text_input(key="playground_text").input("the match went to extra time").run()
    assert not [w for w in at.warning if "reads only its first" in w.value]
    at = open_page("pages/playground.py", mlp.id)  # a bag of words reads it all
    at.text_input(key="playground_text").input(long_text).run()
    assert not [w for w in at.warning if "reads only its first" in w.value]


def test_an_experiments_runs_stay_out_of_the_run_picker_and_the_train_table(trained):
    """A quick experiment's nine runs, titled in English on a Chinese page, took the sidebar picker
    from 3 entries to 12 and pushed the user's own runs out of the Train page's table."""
    from core.names import name_run

    base, mlp, tiny = trained
    name_run(tiny, title="label efficiency · scratch · 25% labels · seed 0", tags=["experiment"], by_experiment=True)
    at = open_page("pages/train.py", mlp.id)
    assert len(at.selectbox(key="sidebar_run").options) == 2
    table = next(d.value for d in at.dataframe if "id" in d.value.columns)
    assert tiny.id not in set(table["id"]) and {base.id, mlp.id} <= set(table["id"])
    at.toggle(key="train_experiments").set_value(True).run()
    table = next(d.value for d in at.dataframe if "id" in d.value.columns)
    assert tiny.id in set(table["id"])
    # a link to one of them still opens it, titled in the reader's language
    zh = AppTest.from_file(APP, default_timeout=120)
    zh.query_params.update(dataset="starter", run=tiny.id, lang="zh")
    zh.run()
    assert zh.session_state["active_run"] == tiny.id
    assert any(
        "标签效率 · 从零训练 · 25% 标签 · 种子 0" in option for option in zh.selectbox(key="sidebar_run").options
    )


def test_a_sentence_link_opens_the_playground_on_it_and_is_offered_only_for_a_typed_one(trained, monkeypatch):
    """A demo's link was written by hand. The page now offers it (built from the page's address, which
    AppTest does not have: given here as a browser would)."""
    from urllib.parse import parse_qs, urlsplit

    _, mlp, _ = trained
    at = open_page("pages/playground.py", mlp.id)
    assert not at.get("popover")  # the run's own example: nothing to share
    import streamlit as st

    monkeypatch.setattr(type(st.context), "url", property(lambda self: "http://studio.example:8501/playground"))
    at.text_input(key="playground_text").input("new phone, faster chip").run()
    assert not at.exception, at.exception
    (link,) = [c.value for c in at.code if c.value.startswith("http")]
    parts = urlsplit(link)
    assert parts.netloc == "studio.example:8501" and parts.path == "/playground"
    query = parse_qs(parts.query)
    assert query["text"] == ["new phone, faster chip"] and query["run"] == [mlp.id]
    at.text_input(key="playground_text").input("x" * 600).run()  # too long for a link: none offered
    assert not [c for c in at.code if c.value.startswith("http")]
    again = AppTest.from_file(APP, default_timeout=120)  # the link opens on the sentence
    again.query_params.update({k: v[0] for k, v in query.items()})
    again.run()
    again.switch_page("pages/playground.py").run()
    assert again.text_input(key="playground_text").value == "new phone, faster chip"
    # before an audience: a link is the demo's preparation, and its button pushed the answer down
    shown = AppTest.from_file(APP, default_timeout=120)
    shown.query_params.update({**{k: v[0] for k, v in query.items()}, "present": "1"})
    shown.run()
    shown.switch_page("pages/playground.py").run()
    shown.text_input(key="playground_text").input("a new phone with a faster chip").run()
    assert not shown.exception and not shown.get("popover")


def test_a_finished_baseline_without_scores_is_said_not_watched_for_ever(trained):
    """A finished baseline whose eval.json was missing read "The baseline is training" and redrew the
    page without end (half a core for as long as the tab was open; AppTest timed out)."""
    base, mlp, _ = trained
    (base.path / "eval.json").unlink()
    at = open_page("pages/evaluate.py", mlp.id)
    assert not at.exception, at.exception
    said = [i.value for i in at.info]
    assert any("has no scores to compare with" in v and "evaluate --again" in v for v in said), said
    assert not any("The baseline is training" in v for v in said)


def test_a_pretraining_run_places_a_plain_sentence_among_its_texts(studio_home, small_dataset):
    """On a pretraining run, a sentence without [MASK] got only a hint: no nearest texts, no map."""

    from tests.conftest import tiny_pretraining

    run = tiny_pretraining(small_dataset, vocab_size=2000)
    at = open_page("pages/playground.py", run.id, dataset=small_dataset)
    at.text_input(key="playground_text").input("The striker scored twice in the cup final").run()
    assert not at.exception
    near = at.dataframe[0].value
    assert len(near) == 8 and list(near.columns) == ["similarity", "label", "text"]
    # the scores' yardstick; the note on a classifier's classes is for classifiers only
    (yardstick,) = [
        c.value for c in at.caption if c.value.startswith("Cosine similarity once what every text shares is taken out")
    ]
    typical = float(re.search(r"scores (-?\d\.\d\d)", yardstick).group(1))
    assert -1 <= typical < near["similarity"].min() and "trained to classify" not in yardstick, yardstick
    star_map = next(f for f in specs(at) if "(★)" in f["layout"]["title"]["text"])
    assert {"food", "sports", "technology", "travel"} <= {trace["name"] for trace in star_map["data"]}
    # it draws the texts the model never trained on, and says so ("among the dataset": a reader counted
    # 14 points against 49 rows)
    assert star_map["layout"]["title"]["text"].startswith("Your text among the held-out texts (★)")
    drawn = sum(len(trace["x"]) for trace in star_map["data"] if trace.get("name") != "your text")
    assert any(c.value.startswith(f"The map shows {drawn:,} held-out texts") for c in at.caption), [
        c.value for c in at.caption
    ]
    # an unlabelled set: no column of "None", and the map coloured by split rather than one "nan" blob
    unlabelled_notes()
    run = tiny_pretraining("notes")
    at = open_page("pages/playground.py", run.id, dataset="notes")
    at.text_input(key="playground_text").input("a note about the rain").run()
    assert not at.exception
    assert list(at.dataframe[0].value.columns) == ["similarity", "text"]
    star_map = next(f for f in specs(at) if "(★)" in f["layout"]["title"]["text"])
    assert "nan" not in {trace["name"] for trace in star_map["data"]}
    # nothing it can read: no neighbours dressed up from noise
    at.text_input(key="playground_text").input("😀😀😀").run()
    assert not at.exception and not at.dataframe
    assert any("cannot read" in c.value for c in at.caption)


def test_the_agreement_matrix_of_many_classes_draws_those_the_models_disagree_on(studio_home):
    """1,000 classes drew a million-cell agreement matrix at every rerun of Compare (10 s a sentence)."""
    import pandas as pd

    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import RunConfig, train_run

    words = [f"topic{i}" for i in range(40)]
    frame = pd.DataFrame(
        {
            "text": [
                f"{w} story number {k} {words[(i + k) % 40] if k % 3 == 0 else w}"
                for i, w in enumerate(words)
                for k in range(10)
            ],
            "label": [w.upper() for w in words for _ in range(10)],
        }
    )
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.1, 0.3, seed=1))
    DatasetStore().save(frame, "many", "test", {"seed": 1}, dataset_id="many")
    base = train_run(RunConfig.create("many", "baseline"))
    other = train_run(RunConfig.create("many", "baseline", {"featurizer": {"nb_weights": True, "tokenizer": "char"}}))
    at = open_page("pages/compare.py", other.id, dataset="many")
    assert not at.exception
    agreement = next(f for f in specs(at) if f["layout"]["title"]["text"] == "Agreement on the test split")
    assert len(agreement["data"][0]["x"]) == 30 and len(agreement["data"][0]["z"]) == 30
    assert any(c.value == "The 30 classes the two models disagree on most, of 40." for c in at.caption)
    assert base.id in set(at.dataframe[0].value["run"])


def test_the_duel_does_not_load_every_model_again_at_each_rerun(small_dataset, monkeypatch):
    """Seven runs ticked, six models kept by the server: every rerun of Compare loaded all seven again."""
    import hashlib

    import core.inference as inference
    from core.training.runner import RunConfig, train_run

    runs = [
        train_run(
            RunConfig.create(small_dataset, "baseline", {"featurizer": {"min_df": 1 + i % 3, "max_features": 500 + i}})
        )
        for i in range(7)
    ]
    loads = []
    load = inference.Predictor.from_run.__func__
    monkeypatch.setattr(
        inference.Predictor,
        "from_run",
        classmethod(lambda cls, path, *a, **k: loads.append(path) or load(cls, path, *a, **k)),
    )
    at = open_page("pages/compare.py", runs[0].id, dataset=small_dataset)
    board = at.dataframe[0].value
    key = "leaderboard_" + hashlib.sha1(" ".join(board["run"]).encode()).hexdigest()[:8]
    at.session_state[key] = {"selection": {"rows": list(range(len(board))), "columns": []}}
    at.run()
    assert len(at.selectbox(key="duel_a").options) == 7
    at.text_input(key="duel_text").input("the striker scored twice").run()
    duel = next(d.value for d in at.dataframe if list(d.value.columns) == ["model", "prediction", "confidence"])
    assert len(duel) == 7
    before = len(loads)
    at.run()  # any other change on the page reruns it with the same sentence
    assert not at.exception and len(loads) == before


def _in_page_order(at: AppTest) -> list[str]:
    """The values of the page's text elements (markdown, alerts, captions) in the order they are drawn."""
    found = []

    def walk(node):
        value = getattr(node, "value", None)
        if isinstance(value, str) and getattr(node, "type", "") in ("markdown", "alert", "caption", "warning", "info"):
            found.append(value)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return found


def unlabelled_notes() -> str:
    """An unlabelled 80-row dataset of weather notes, stored as 'notes'."""
    import pandas as pd

    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore

    words = ["rain", "sun", "wind", "snow", "cloud", "storm"]
    frame = pd.DataFrame({"text": [f"{words[i % 6]} note {i} about the {words[i % 5]}" for i in range(80)]})
    frame["label"] = None
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.2, 0.1, 0))
    DatasetStore().save(frame, "notes", "test", {}, dataset_id="notes")
    return "notes"


def import_again_with_other_texts(dataset: str, starter_frame) -> None:
    """Delete ``dataset`` (its runs stay) and import other starter texts under its id, as a user who
    uploads a new file under an old name does."""
    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore

    DatasetStore().delete(dataset)
    frame = starter_frame.groupby("label").tail(60).reset_index(drop=True)  # other texts than small's
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.15, 0.25, seed=1))
    DatasetStore().save(frame, dataset, "test", {"seed": 1}, dataset_id=dataset)


def test_evaluate_measures_a_run_only_against_a_baseline_on_the_same_import(small_dataset, starter_frame):
    """After a dataset was deleted and imported again under its id, the old baseline still counted:
    a new run read "−24.1 pt" against a baseline scored on other texts, and none was offered."""
    from core.training.runner import RunConfig, train_run
    from tests.conftest import tiny_config
    from ui.actions import baseline_run

    old_base = train_run(RunConfig.create(small_dataset, "baseline"))
    old_mlp = train_run(tiny_config(small_dataset, "bow_mlp"))
    import_again_with_other_texts(small_dataset, starter_frame)
    new = train_run(tiny_config(small_dataset, "bow_mlp"))
    assert new.config()["data_fingerprint"] != old_base.config()["data_fingerprint"]
    assert baseline_run(small_dataset, new.config()["data_fingerprint"]) is None

    at = open_page("pages/evaluate.py", new.id, dataset=small_dataset)
    assert not at.exception, at.exception
    accuracy = next(m for m in at.metric if m.label == "Accuracy")
    assert not accuracy.delta  # no margin against the old import's baseline
    assert any(b.label.startswith("Train the baseline") for b in at.button)

    # the old run keeps its own baseline, and is told why none is offered once it is gone
    at = open_page("pages/evaluate.py", old_mlp.id, dataset=small_dataset)
    margin = 100 * (old_mlp.eval()["accuracy"] - old_base.eval()["accuracy"])
    assert next(m for m in at.metric if m.label == "Accuracy").delta == f"{margin:+.1f} pt"
    from core.registry import RunStore

    RunStore().delete(old_base.id)
    at = open_page("pages/evaluate.py", old_mlp.id, dataset=small_dataset)
    assert not any(b.label.startswith("Train the baseline") for b in at.button)
    assert any("trained before the dataset was imported again" in c.value for c in at.caption)


def test_side_by_side_maps_of_runs_on_other_texts_say_so_instead_of_crashing(small_dataset, starter_frame):
    """A run from before the dataset was imported again shares no texts with a new one: the right map
    raised an IndexError (an empty list of rows), and with a partial overlap it was called "sampled"."""
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    old = train_run(tiny_config(small_dataset, "bow_mlp"))
    import_again_with_other_texts(small_dataset, starter_frame)
    new = train_run(tiny_config(small_dataset, "bow_mlp"))

    at = open_page("pages/embeddings.py", new.id, dataset=small_dataset)
    at.radio(key="map_method").set_value("pca").run()
    at.selectbox(key="map_second").set_value(old.id).run()
    assert not at.exception, at.exception
    assert any("holds none of the texts on the left map" in i.value for i in at.info)
    assert len(at.get("plotly_chart")) == 1  # the left map only


def test_evaluate_says_what_a_run_that_ended_without_an_evaluation_can_do(small_dataset, monkeypatch):
    """A failed, or a stopped-while-queued, run was told "its evaluation appears when training ends":
    training had ended, the error was not shown, and a failed run's checkpoint could not be evaluated."""
    import core.training.runner as runner
    from tests.conftest import stopped_run, tiny_config

    def out_of_memory(*args, **kwargs):
        raise MemoryError("simulated out of memory")

    real = runner._write_artefacts
    monkeypatch.setattr(runner, "_write_artefacts", out_of_memory)
    failed = runner.train_run(tiny_config(small_dataset, "bow_mlp"))
    monkeypatch.setattr(runner, "_write_artefacts", real)  # undo() would also undo the studio's home
    assert failed.status()["state"] == "failed" and failed.model_path.is_file() and failed.eval() is None
    at = open_page("pages/evaluate.py", failed.id, dataset=small_dataset)
    assert not at.exception, at.exception
    assert any("simulated out of memory" in e.value for e in at.error)
    assert any(b.label == "Evaluate this checkpoint" for b in at.button)
    assert not any("appears when training ends" in i.value for i in at.info)

    never = runner.start_run(tiny_config(small_dataset, "bow_mlp"))
    never.set_status("stopped")  # as a run stopped while it waited in the queue is left
    at = open_page("pages/evaluate.py", never.id, dataset=small_dataset)
    assert not at.exception, at.exception
    assert any("has no checkpoint to evaluate" in i.value for i in at.info)
    assert not any("appears when training ends" in i.value for i in at.info)

    # killed mid-training: a checkpoint and no model. It read "has no checkpoint" while Train offered Resume.
    killed = stopped_run(small_dataset)
    killed.model_path.unlink()
    killed.set_status("interrupted")
    at = open_page("pages/evaluate.py", killed.id, dataset=small_dataset)
    assert not at.exception, at.exception
    assert any("its checkpoint is kept. Resume it on the Train page" in i.value for i in at.info), at.info
    assert not any("has no checkpoint" in i.value for i in at.info)
    # failed, not killed: its data or settings may fail it again, so starting again is offered too
    killed.set_status("failed", error="simulated")
    at = open_page("pages/evaluate.py", killed.id, dataset=small_dataset)
    assert any("failed; its checkpoint is kept. Resume it, or start it again" in i.value for i in at.info), at.info


def test_a_cut_list_of_mistakes_says_how_many_it_shows(studio_home):
    """ "774 of 800 test texts are misclassified" sat over a table of 500, with nothing said of the rest."""
    import numpy as np
    import pandas as pd

    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import RunConfig, train_run

    rng = np.random.default_rng(0)
    frame = pd.DataFrame(  # random words, random labels: about half of 1,500 test texts are wrong
        {
            "text": [" ".join(f"w{k}" for k in rng.integers(0, 400, size=6)) for _ in range(3000)],
            "label": rng.choice(["a", "b"], size=3000).tolist(),
        }
    )
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.0, 0.5, seed=0))
    DatasetStore().save(frame, "noise", "test", {}, dataset_id="noise")
    run = train_run(RunConfig.create("noise", "baseline"))
    points = run.points()
    test = points[points["split"] == "test"]
    wrong = int((test["label"] != test["pred"]).sum())
    assert wrong > 500
    at = open_page("pages/evaluate.py", run.id, dataset="noise")
    said = [c.value for c in at.caption if "test texts are misclassified" in c.value]
    assert said == [
        f"{wrong:,} of {len(test):,} test texts are misclassified. The 500 most confident are listed; "
        "the CSV below has them all."
    ], said


def test_a_new_map_setting_stops_the_umap_this_session_started_for_the_old_one(small_dataset):
    """Each step of the Neighbours slider started a UMAP worker of its own and none was stopped: six
    ran at once for the one map shown, slowing each other and any training."""
    from core.storage import studio_home
    from core.training.runner import train_run
    from core.workers import live_workers, side_job
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    at = open_page("pages/embeddings.py", run.id, dataset=small_dataset)
    first = [w["job"] for w in live_workers(studio_home()) if w["run"] == run.id]
    assert len(first) == 1, first  # the UMAP of the default settings, in a worker
    first_name = first[0].split("(")[1].rstrip(")")
    at.slider(key="map_neighbours").set_value(30).run()
    at.slider(key="map_neighbours").set_value(40).run()
    assert not at.exception, at.exception
    now = [w["job"] for w in live_workers(studio_home()) if w["run"] == run.id]
    assert len(now) <= 1, now  # the last settings' worker at most (it may have finished already)
    record = side_job(run, first_name)
    assert record["state"] in ("stopped", "done"), record  # done: it finished before the slider moved
    # the Playground's map is another place: opening it stops nothing the Embeddings page asked for
    for name in [w["job"].split("(")[1].rstrip(")") for w in live_workers(studio_home()) if w["run"] == run.id]:
        at.switch_page("pages/playground.py").run()
        assert not at.exception, at.exception
        assert side_job(run, name)["state"] != "stopped", side_job(run, name)


def test_the_token_chart_says_where_it_stops_when_the_text_goes_on(trained):
    """Only the first 200 tokens get bars: the words that decided a long text's answer had none, and
    nothing said so."""
    _, mlp, _ = trained
    at = open_page("pages/playground.py", mlp.id)
    # 100 times "今天天气 · 不错 · ，" (three words as jieba cuts them): 300 units, past the 200 that get bars
    at.text_input(key="playground_text").set_value("今天天气不错，" * 100 + "火锅牛油锅底香得不得了").run()
    assert not at.exception, at.exception
    said = [c.value for c in at.caption if "The token chart covers the first" in c.value]
    assert len(said) == 1 and "火锅" not in said[0] and "counts in the answer but has no bars" in said[0], said
    at.text_input(key="playground_text").set_value("火锅牛油锅底香得不得了！").run()  # short: every token has its bar
    assert not [c for c in at.caption if "The token chart covers the first" in c.value]


def test_an_uploaded_file_is_read_once_not_at_every_keystroke(trained, monkeypatch):
    """Typing in the box above reran the page, and the file was parsed again each time: a 28 MB
    upload made every pause 1.6-1.9 s instead of 0.2 s."""
    import core.data

    reads = []
    real = core.data.load_file
    monkeypatch.setattr(core.data, "load_file", lambda *a, **k: reads.append(a[1]) or real(*a, **k))
    _, mlp, _ = trained
    at = open_page("pages/playground.py", mlp.id)
    rows = "".join(f"{i},{text}\n" for i, text in enumerate(["球队赢得了冠军", "新手机的芯片更快了"] * 5))
    at.file_uploader(key="batch_file").upload("reread.csv", f"id,text\n{rows}".encode(), "text/csv").run()
    for typed in ("the match", "the match went to extra time", "新手机"):
        at.text_input(key="playground_text").set_value(typed).run()
        assert not at.exception, at.exception
    assert at.button(key="batch_go").label == "Classify 10 texts"
    assert reads == ["reread.csv"], reads


def test_a_classified_file_with_its_own_classes_says_how_many_rows_agree(trained):
    """A labelled file classified with its answers beside it showed both columns, and the reader counted
    the matches by eye."""

    import pandas as pd

    _, mlp, _ = trained
    rows = [("球队赢得了冠军", "sports"), ("新手机的芯片更快了", "technology"), ("这家餐厅的面很好吃", "food")]
    rows += [("球队赢得了冠军", "travel"), ("", "food")]  # one the model will call otherwise; one blank text
    data = "id,text,label\n" + "\n".join(f"{i},{text},{label}" for i, (text, label) in enumerate(rows))
    at = classified(mlp.id, "answers.csv", data.encode())
    job = at.session_state["batch_job"]
    from core.workers import side_job

    predictions = pd.read_csv(mlp.path / "jobs" / side_job(mlp, job)["result"]["output"], keep_default_na=False)
    agree = sum(p == lab for p, (_, lab) in zip(predictions["prediction"], rows, strict=True) if p)
    said = [c.value for c in at.caption if c.value.startswith("The file's column")]
    assert said == [f"The file's column label holds this model's classes: the predictions agree with it on "
                    f"{agree} of 4 rows ({round(100 * agree / 4)}%)."], said  # fmt: skip
    assert 0 < agree < 4


def test_each_pick_of_compare_with_stops_the_umap_of_the_run_picked_before(small_dataset):
    """The right-hand map shows another run after each pick, and its slot was keyed by run: stepping
    through three runs left three UMAP workers running for the one right-hand map shown."""
    from core.storage import studio_home
    from core.training.runner import train_run
    from core.workers import live_workers, side_job
    from tests.conftest import tiny_config

    runs = [train_run(tiny_config(small_dataset, "bow_mlp", seed=seed)) for seed in range(4)]
    at = open_page("pages/embeddings.py", runs[0].id, dataset=small_dataset)
    started = {}
    for other in runs[1:]:
        at.selectbox(key="map_second").set_value(other.id).run()
        assert not at.exception, at.exception
        started[other.id] = [
            w["job"].split("(")[1].rstrip(")") for w in live_workers(studio_home()) if w["run"] == other.id
        ]
    live = {w["run"] for w in live_workers(studio_home())}
    assert not live & {runs[1].id, runs[2].id}, live  # the runs no longer on the right: their UMAPs stopped
    for other in runs[1:3]:
        for name in started[other.id]:
            assert side_job(other, name)["state"] in ("stopped", "done"), side_job(other, name)
    assert started[runs[1].id], started  # the first pick did start a UMAP of its own (the check is not empty)


def test_the_before_after_view_stops_the_workers_of_the_maps_it_replaces(small_dataset):
    """Each settings change of the before/after view started a "shift" worker of its own, and the
    single map's UMAP went on beside it: seven workers ran for the one view shown."""
    from core.storage import studio_home
    from core.training.runner import RunConfig, train_run
    from core.workers import live_workers
    from tests.conftest import TINY_TRAIN, tiny_config

    source = train_run(tiny_config(small_dataset, "bow_mlp"))
    tuned = train_run(
        RunConfig.create(small_dataset, train_overrides=TINY_TRAIN, task="finetune", source_run=source.id)
    )
    at = open_page("pages/embeddings.py", tuned.id, dataset=small_dataset)
    single = [w["job"] for w in live_workers(studio_home()) if w["run"] == tuned.id]
    assert single and all("project" in job for job in single), single  # the single map's UMAP, in a worker
    at.toggle(key="map_shift").set_value(True).run()
    for neighbours in (20, 30, 40):
        at.slider(key="map_neighbours").set_value(neighbours).run()
        assert not at.exception, at.exception
    now = [w["job"] for w in live_workers(studio_home()) if w["run"] == tuned.id]
    assert len(now) <= 1 and not [job for job in now if "project" in job], now  # the last view's worker at most


def test_compare_keeps_the_ticked_runs_and_the_pair_across_a_visit_to_another_page(small_dataset):
    """Back from Data or Evaluate, the ticks and Model A/B came back as the defaults, which follow the
    sidebar's run: "the selection survives moving between pages" was expected."""
    import hashlib

    from core.training.runner import RunConfig, train_run

    runs = [
        train_run(RunConfig.create(small_dataset, "baseline", {"featurizer": {"min_df": 1, "max_features": 300 + i}}))
        for i in range(4)
    ]
    at = open_page("pages/compare.py", runs[0].id, dataset=small_dataset)
    board = at.dataframe[0].value
    key = "leaderboard_" + hashlib.sha1(" ".join(board["run"]).encode()).hexdigest()[:8]
    ticked = [1, 2, 3]
    at.session_state[key] = {"selection": {"rows": ticked, "columns": []}}
    at.run()
    options = at.selectbox(key="duel_a").options
    assert len(options) == 3
    a, b = at.selectbox(key="duel_a").value, at.selectbox(key="duel_b").value
    new_b = next(run_id for run_id in [board.loc[i, "run"] for i in ticked] if run_id not in (a, b))
    at.selectbox(key="duel_b").set_value(new_b).run()
    at.switch_page("pages/data.py").run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="duel_a").options == options  # the same three ticked, not the defaults
    assert (at.selectbox(key="duel_a").value, at.selectbox(key="duel_b").value) == (a, new_b)
    assert not any("Session State API" in w.value for w in at.warning)


def test_a_run_that_finishes_while_compare_is_open_is_ticked_as_the_defaults_tick_it(small_dataset):
    """The ticks of a board drawn before the baseline finished were kept as if chosen: the baseline
    came in unticked, and there was no head-to-head."""
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    mlp = train_run(tiny_config(small_dataset, "bow_mlp"))
    at = open_page("pages/compare.py", mlp.id, dataset=small_dataset)
    assert not [s for s in at.selectbox if s.key == "duel_a"]  # one run: nothing to pair yet
    train_run(tiny_config(small_dataset, "baseline"))
    at.run()
    assert not at.exception, at.exception
    assert len(at.selectbox(key="duel_a").options) == 2


def test_a_map_can_show_more_or_fewer_texts_than_the_default_sample(trained):
    """ "4,000 of the run's 14,994 texts" and no way to see the rest."""
    import pandas as pd

    _, mlp, _ = trained
    total = len(pd.read_parquet(mlp.path / "points.parquet"))
    at = open_page("pages/embeddings.py", mlp.id)
    at.radio(key="map_method").set_value("pca").run()
    at.radio(key="map_scope").set_value("all").run()
    assert at.select_slider(key="map_max_points").value == 4000
    at.select_slider(key="map_max_points").set_value(8000).run()
    assert not at.exception, at.exception
    assert sum(len(trace["x"]) for trace in specs(at)[0]["data"]) == total  # every text: fewer than 8,000
    assert any(f"all {total:,} texts of the run" in c.value for c in at.caption), [c.value for c in at.caption]
    at.select_slider(key="map_max_points").set_value(1000).run()
    shown = sum(len(trace["x"]) for trace in specs(at)[0]["data"])
    assert abs(shown - 1000) <= 4 and any(f"{shown:,} of the run's {total:,} texts" in c.value for c in at.caption)


def test_the_done_line_says_where_the_run_stands_against_the_baseline(trained):
    """A Transformer's "Done: test accuracy 0.7550" read as a result; that the baseline scored 0.7800 on
    the same texts showed only on Evaluate and Compare. Said as Evaluate says it: with McNemar's test."""
    from core.baselines import against_baseline

    base, mlp, tiny = trained
    theirs = base.eval()["accuracy"]
    for run in (mlp, tiny):
        at = open_page("pages/train.py", run.id)
        gap = round(100 * (run.eval()["accuracy"] - theirs), 1) + 0.0
        (said,) = [shown(m.value) for m in [*at.info, *at.caption] if "TF-IDF + LR baseline" in m.value]
        if gap < 0:
            assert said.startswith(
                f"The TF-IDF + LR baseline scores {theirs:.4f} on the same test texts: this run is {-gap:.1f} pt "
                "below it."
            ), said
        else:
            assert said.startswith(f"{gap:+.1f} pt against the TF-IDF + LR baseline ({theirs:.4f}) on the same test")
        chance = gap != 0 and against_baseline(run, base).p_value >= 0.05
        assert ("could be chance" in said) == chance, (said, chance)
    at = open_page("pages/train.py", base.id)  # the baseline is not measured against itself
    assert not [m for m in [*at.info, *at.caption] if "TF-IDF + LR baseline" in m.value]


def test_the_done_line_of_a_run_above_the_baseline_says_by_how_much(trained):
    """The sentence for the runs users most want to see, "+x pt against the baseline", was never shown in a
    test: on the starter both trained runs score below it. Here the baseline is made weaker: it answers
    wrongly on test texts it had right, until it is 10 pt below the MLP."""
    import pandas as pd

    from core.baselines import against_baseline

    base, mlp, _ = trained
    points = pd.read_parquet(base.path / "points.parquet")
    test = points["split"] == "test"
    ours = mlp.eval()["accuracy"]
    labels = sorted(points["label"].unique())
    right = points.index[test & (points["pred"] == points["label"])]
    n_test = int(test.sum())
    target = max(0, round(ours * n_test) - n_test // 10)
    for i in right[: max(0, len(right) - target)]:  # the baseline now gets exactly `target` test texts right
        points.loc[i, "pred"] = next(label for label in labels if label != points.loc[i, "label"])
    points.to_parquet(base.path / "points.parquet")
    report = base.eval()
    report["accuracy"] = target / n_test
    base.write_json("eval.json", report)
    theirs = base.eval()["accuracy"]
    gap = round(100 * (ours - theirs), 1)
    assert gap >= 9.9, (ours, theirs)

    chance = against_baseline(mlp, base).p_value >= 0.05
    for presenting, words in ((False, "against the TF-IDF + LR baseline"), (True, "against a simple keyword model")):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params.update({"dataset": "starter", "run": mlp.id, **({"present": "1"} if presenting else {})})
        at.run()
        at.switch_page("pages/train.py").run()
        assert not at.exception, at.exception
        (said,) = [shown(m.value) for m in [*at.info, *at.caption] if words in m.value]
        assert said.startswith(f"+{gap:.1f} pt {words} ("), said
        assert "below it" not in said
        assert ("could be chance" in said) == chance, (said, chance)


def test_a_wide_fine_tune_that_reads_a_text_through_its_bag_says_so(studio_home):
    """An English pretraining fine-tuned wide on Chinese reviews classified them through its n-gram bag;
    the Playground said "none of this text's words are in the model's vocabulary", then, once the bag
    counted, spoke of [UNK]s "not in … the run it was fine-tuned from", the wrong vocabulary."""
    import pandas as pd

    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import RunConfig, train_run
    from tests.conftest import TINY_TRAIN

    def dataset(name, texts):
        frame = pd.DataFrame({"text": texts, "label": ["a", "b"] * (len(texts) // 2)})
        frame["split"] = stratified_split(frame["label"], SplitConfig(0.2, 0.1, 0))
        return DatasetStore().save(frame, name, "test", {}).id

    english = dataset("notes", [f"the weather today is {w} number {i}" for i, w in enumerate(["sunny", "wet"] * 40)])
    chinese = dataset("评论", [f"这家店的火锅{w}第{i}次" for i, w in enumerate(["很好吃", "很难吃"] * 40)])
    encoder = {"preset": "tiny", "max_len": 32, "vocab_size": 200}
    pre = train_run(RunConfig.create(english, "transformer", encoder, {**TINY_TRAIN, "max_steps": 2}, task="pretrain"))
    tuned = train_run(RunConfig.create(chinese, train_overrides=TINY_TRAIN, task="finetune", source_run=pre.id))
    assert tuned.config()["encoder_config"]["wide"] is True
    at = open_page("pages/playground.py", tuned.id, chinese)
    at.text_input(key="playground_text").input("这家店的火锅很好吃").run()
    assert not at.exception, at.exception
    assert not [w.value for w in at.warning if "vocabulary" in w.value], [w.value for w in at.warning]
    said = [c.value for c in at.caption if c.value.startswith("Its Transformer part knows")]
    assert said and "so the answer rests on its n-gram bag" in said[0], [c.value for c in at.caption]
    assert not [c.value for c in at.caption if c.value.startswith("The model knows")]


def test_compare_sums_up_one_setting_trained_with_several_seeds(small_dataset):
    """Seeds of one model were separate rows named by their ids' ends, with no mean or spread."""
    from core.training.runner import RunConfig, train_run
    from tests.conftest import tiny_config

    runs = [train_run(tiny_config(small_dataset, "bow_mlp", seed=seed)) for seed in (0, 1, 2)]
    train_run(RunConfig.create(small_dataset, "baseline"))
    at = open_page("pages/compare.py", runs[0].id, small_dataset)
    tables = [d.value for d in at.dataframe if "mean accuracy" in d.value.columns]
    assert len(tables) == 1, [list(d.value.columns) for d in at.dataframe]
    (row,) = tables[0].to_dict("records")
    accuracies = [run.eval()["accuracy"] for run in runs]
    assert row["seeds"] == 3 and abs(row["mean accuracy"] - sum(accuracies) / 3) < 1e-9
    assert (row["lowest"], row["highest"]) == (min(accuracies), max(accuracies))
    assert any(c.value.startswith("Settings trained with more than one seed") for c in at.caption)


def test_evaluate_lists_every_text_that_disagrees_with_its_label_on_request(trained):
    """Mislabelled rows are found where the model contradicts the label; the list showed the test split's
    34 of 163 flips, and the rest were found only by classifying the whole file again."""
    import pandas as pd

    tiny = trained[2]  # a one-epoch Transformer: wrong on training texts too
    points = pd.read_parquet(tiny.path / "points.parquet")
    wrong = points[points["label"] != points["pred"]]
    assert (wrong["split"] != "test").any()  # there are training and validation texts to find
    at = open_page("pages/evaluate.py", tiny.id)
    assert not [d for d in at.dataframe if "split" in d.value.columns]
    at.toggle(key="mistakes_everywhere").set_value(True).run()
    assert not at.exception, at.exception
    said = [c.value for c in at.caption if "(every split) are classified otherwise" in c.value]
    assert said and said[0].startswith(f"{len(wrong):,} of {len(points):,} texts"), said
    (shown,) = [d for d in at.dataframe if "split" in d.value.columns]
    table = shown.value
    assert set(table["split"]) <= {"train", "val", "test"} and len(set(table["split"])) > 1
    assert list(table["confidence"]) == sorted(table["confidence"], reverse=True)
    # the label is the file's, which this view is there to question: not "true label"
    assert "label in file" in shown.proto.columns and "true label" not in shown.proto.columns


def test_compare_offers_the_board_as_csv_and_markdown(trained):
    base, mlp, _ = trained
    at = open_page("pages/compare.py", mlp.id)
    keys = {b.key for b in at.get("download_button")}
    assert {"board_csv", "board_markdown"} <= keys, keys


def test_a_head_to_head_below_5_percent_is_called_significant_not_real(trained, monkeypatch):
    """A statistician's audit: p = 0.043 was "a real difference at 5%" in the caption, under a headline
    that called a p between 0.005 and 0.05 weak evidence."""
    import core.evaluation
    from core.evaluation import McNemarResult

    _, mlp, _ = trained
    monkeypatch.setattr(
        core.evaluation,
        "mcnemar",
        lambda *a: McNemarResult(
            both_right=1000, only_a_right=49, only_b_right=30, both_wrong=43, statistic=4.1, p_value=0.0429, exact=False
        ),
    )
    at = open_page("pages/compare.py", mlp.id)
    (verdict,) = [c.value for c in at.caption if "continuity correction" in c.value]
    # and as weak as the sentence above calls it: "significant at 5%" alone read as its contradiction
    assert verdict.endswith(
        "χ² test with continuity correction → significant at 5% alone; weak evidence with several runs compared."
    ), verdict
    assert "real" not in verdict


def test_the_done_line_keeps_its_place_while_the_baseline_trains(small_dataset):
    """A projector rehearsal: the comparison with the baseline appeared seconds after "Done" and pushed the
    page (its Evaluate button too) down under the presenter's pointer."""
    from core.training.runner import start_run, train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    base = start_run(tiny_config(small_dataset, "baseline"))  # queued beside it, as Train's start queues it
    assert base.status()["state"] == "queued"
    at = open_page("pages/train.py", run.id, dataset=small_dataset)
    said = [c.value for c in at.caption if "baseline is training on the same texts" in c.value]
    assert said == [
        "The TF-IDF + LR baseline is training on the same texts: the comparison appears here when it is done."
    ]


def test_evaluate_names_the_classes_never_predicted_right_and_what_may_help(studio_home):
    """60 intents at accuracy 0.97 and macro-F1 0.88: five rare classes scored 0, and only the macro-F1
    tooltip hinted at it. Here two rare classes read like a big one, so the model never answers them."""
    import pandas as pd

    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    rows = [(f"great goal in the match number {i}", "sports") for i in range(90)]
    rows += [(f"new phone chip and laptop number {i}", "tech") for i in range(90)]
    rows += [(f"great goal in the match replay {i}", "sports_replay") for i in range(6)]
    rows += [(f"new phone chip and laptop review {i}", "tech_review") for i in range(6)]
    frame = pd.DataFrame(rows, columns=["text", "label"])
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.15, 0.25, 3))
    DatasetStore().save(frame, "rare intents", "test", {}, dataset_id="rare")
    run = train_run(tiny_config("rare", "bow_mlp", epochs=3))
    report = run.eval()
    missed = sorted(c["label"] for c in report["per_class"] if c["support"] and not c["f1"])
    assert missed and report["accuracy"] - report["macro_f1"] >= 0.03, report
    at = open_page("pages/evaluate.py", run.id, dataset="rare")
    (said,) = [shown(i.value) for i in at.info if "never predicted right" in i.value]
    gap = 100 * (report["accuracy"] - report["macro_f1"])
    assert said.startswith(f"Macro-F1 is {gap:.1f} pt below accuracy: {len(missed)} of the 4 classes"), said
    assert all(repr(label) in said for label in missed) and "Weight classes by rarity" in said
    most = max(c["support"] for c in report["per_class"] if c["label"] in missed)
    assert ("so a text or two moves" in said) == (most <= 10), (most, said)  # said of few test texts only
    # a run whose config says it trained with the weights: the note, without the advice to use them
    import json

    config = json.loads(run.config_path.read_text())
    config["train"]["class_weights"] = True
    run.config_path.write_text(json.dumps(config))
    at = open_page("pages/evaluate.py", run.id, dataset="rare")
    (said,) = [shown(i.value) for i in at.info if "never predicted right" in i.value]
    assert "Weight classes by rarity" not in said
    # classes of one size (4 texts each): no class is rarer, so weighting by rarity is not the advice
    config["train"]["class_weights"] = False
    run.config_path.write_text(json.dumps(config))
    report = json.loads((run.path / "eval.json").read_text())
    for row in report["per_class"]:
        row["support"] = 4
    (run.path / "eval.json").write_text(json.dumps(report))
    at = open_page("pages/evaluate.py", run.id, dataset="rare")
    (said,) = [shown(i.value) for i in at.info if "never predicted right" in i.value]
    assert "Weight classes by rarity" not in said and "about equal in size" in said, said


def test_full_width_letters_are_named_as_the_reason_a_known_word_reads_as_unknown(trained):
    """ "ｂａｔｔｅｒｙ　ｌｉｆｅ" read as words new to a model that knows "battery life" well, and Search told
    the user to try other words."""
    from core.inference import Predictor

    _, mlp, _ = trained
    text = "ｔｈｅ ｓｔｒｉｋｅｒ ｓｃｏｒｅｄ ｔｗｉｃｅ"
    model = Predictor.from_run(mlp.path)
    assert model.known_share(text) == 0 and model.known_share("the striker scored twice") == 1
    at = open_page("pages/playground.py", mlp.id)
    at.text_input(key="playground_text").set_value(text).run()
    assert not at.exception
    assert any("the model knows more of these words in plain letters" in w.value for w in at.warning)
    at.text_input(key="playground_text").set_value("ｑｑｘｚ").run()  # no plain spelling it knows either
    assert not any("full-width" in w.value for w in at.warning)
    from core.search import SearchIndex, load_collection

    SearchIndex.build(mlp.path, load_collection("starter"))
    at = open_page("pages/search.py", mlp.id)
    at.text_input(key="search_query").input("ｓｔｒｉｋｅｒ").run()
    assert any("search for striker" in w.value for w in at.warning), [w.value for w in at.warning]


def test_a_file_is_classified_from_the_columns_the_run_was_trained_on_joined(studio_home, tmp_path):
    """A run trained on subject + body: the Playground offered one text column, the guessed body, and no way
    to join the two as the run had read them."""
    import time

    from core.cli import main

    rows = [(f"invoice {i}", f"please send the bill number {i}", "billing") for i in range(30)]
    rows += [(f"login {i}", f"the password does not work on try {i}", "account") for i in range(30)]
    (tmp_path / "crm.csv").write_text("subject,body,category\n" + "".join(f"{s},{b},{c}\n" for s, b, c in rows))
    assert (
        main(
            ["data", "import", str(tmp_path / "crm.csv"), "--id", "crm", "--text-col", "subject", "--text-col", "body"]
        )
        == 0
    )
    assert main(["train", "--dataset", "crm", "--encoder", "baseline", "--run-id", "joined"]) == 0
    at = open_page("pages/playground.py", "joined", dataset="crm")
    # its example on one line: "invoice 0" + "please send…" came back glued ("0please") once edited
    example = at.text_input(key="playground_text").value
    assert "\n" not in example and " please send the bill number " in example, example
    new = "id,body,subject\n" + "".join(f"{i},{b},{s}\n" for i, (s, b, _) in enumerate(rows[::10]))
    at.file_uploader(key="batch_file").upload("new.csv", new.encode(), "text/csv").run()
    assert not at.exception
    (picker,) = [m for m in at.multiselect if m.key.startswith("batch_cols-")]
    assert picker.value == ["subject", "body"]
    at.button(key="batch_go").click().run()
    deadline = time.monotonic() + 180
    while not any(s.value.startswith("Classified 6 texts") for s in at.success) and time.monotonic() < deadline:
        time.sleep(0.5)
        at.run()
    assert any(s.value.startswith("Classified 6 texts") for s in at.success), [e.value for e in at.error]
    (table,) = [d.value for d in at.dataframe if "prediction" in d.value.columns]
    assert table["text"].iloc[0] == "invoice 0\nplease send the bill number 0"  # both, joined as at import
    # a file without one of them: said, and the other read
    at.file_uploader(key="batch_file").upload("bodies.csv", b"id,body\n1,please send the bill\n", "text/csv").run()
    assert any("this file has no 'subject'" in i.value for i in at.info), [i.value for i in at.info]
    (picker,) = [m for m in at.multiselect if m.key.startswith("batch_cols-")]
    assert picker.value == ["body"]
    # a file with other columns, then one with the run's: each offers its own, the run's when it has them
    # (the picker kept the first file's value, and showed none picked for the second: a review finding)
    at.file_uploader(key="batch_file").upload("other.csv", b"text,notes\nhello,there\n", "text/csv").run()
    at.file_uploader(key="batch_file").upload("new.csv", new.encode(), "text/csv").run()
    (picker,) = [m for m in at.multiselect if m.key.startswith("batch_cols-")]
    assert picker.value == ["subject", "body"] and not at.button(key="batch_go").disabled
