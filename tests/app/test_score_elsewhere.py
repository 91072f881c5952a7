"""Evaluate's "On another dataset": a run scored, in a worker, on another labelled dataset."""

from __future__ import annotations

import time

from tests.app.test_explore_pages import open_page


def _fixed_copy(flips: int = 20) -> str:
    """The starter's rows with the labels of its first ``flips`` test texts changed, splits kept."""
    from core.registry import DatasetStore

    store = DatasetStore()
    frame = store.load("starter")
    test = frame.index[frame["split"] == "test"][:flips]
    frame.loc[test, "label"] = frame.loc[test, "label"].map(
        {"food": "sports", "sports": "travel", "travel": "technology", "technology": "food"}
    )
    store.save(frame, "starter fixed", "test", {"kept_from": "starter"}, dataset_id="fixed", overwrite=True)
    return "fixed"


def _scored(at, timeout: float = 120.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        at.run()
        values = {m.label: m for m in at.metric}
        if "texts scored" in values and not any(s.value.startswith("Scoring") for s in at.caption):
            return values
        assert not at.error, [e.value for e in at.error]
        time.sleep(0.5)
    raise AssertionError("the scores never appeared")


def test_a_run_is_scored_on_another_dataset_beside_its_own_test_split(trained):
    from core.crosseval import score_on_dataset

    _, mlp, _ = trained
    at = open_page("pages/evaluate.py", mlp.id)
    assert any("No other stored dataset has any of this run's classes" in c.value for c in at.caption)
    assert not [b for b in at.button if b.key == f"score_go_{mlp.id}"]

    _fixed_copy()
    at = open_page("pages/evaluate.py", mlp.id)
    picker = at.selectbox(key=f"score_dataset_{mlp.id}")
    assert picker.value == "fixed"  # another dataset first: its own is last
    assert picker.options[-1].endswith("(its own)")
    at.button(key=f"score_go_{mlp.id}").click().run()
    assert not at.exception
    metrics = _scored(at)
    expected = score_on_dataset(mlp, "fixed")
    own = mlp.eval()["accuracy"]
    assert metrics["Accuracy"].value == f"{expected['accuracy']:.4f}"
    assert metrics["Accuracy"].delta == f"{100 * (expected['accuracy'] - own):+.1f} pt"
    assert any(f"The change is against its own test split ({own:.4f})" in c.value for c in at.caption)
    assert expected["accuracy"] < own  # the flipped labels are ones the model still answers as before
    assert metrics["texts scored"].value == f"{expected['n']:,}"
    assert at.button(key=f"score_go_{mlp.id}").label == "Score on it again"
    # the job's record is its own file, not overwritten by the report (its pid, spec and times were lost)
    from core.workers import side_job

    record = side_job(mlp, [n for n in (p.stem for p in (mlp.path / "jobs").glob("score-*-test.json"))][0])
    assert record["kind"] == "score" and record["spec"]["dataset"] == "fixed" and "per_class" not in record

    # all texts: the headline is the texts it never learned, and the table and the caption say the rest
    at.radio(key=f"score_part_{mlp.id}").set_value("all").run()
    at.button(key=f"score_go_{mlp.id}").click().run()
    _scored(at)
    everything = score_on_dataset(mlp, "fixed", part="all")
    metrics = {m.label: m for m in at.metric}
    unseen = everything["unseen"]
    assert metrics["Accuracy on texts it never learned"].value == f"{unseen['accuracy']:.4f}"
    assert metrics["Accuracy on texts it never learned"].delta == f"{100 * (unseen['accuracy'] - own):+.1f} pt"
    assert metrics["texts scored"].value == f"{unseen['n']:,}"
    assert any(
        f"The run learned from {everything['seen_in_training']:,} of these {everything['n']:,} texts" in c.value
        for c in at.caption
    )

    # the dataset imported again under its id: the old scores are not shown as its
    _fixed_copy(flips=40)
    at.run()
    assert any("score it again" in i.value for i in at.info), [i.value for i in at.info]
    assert "texts scored" not in {m.label for m in at.metric}


def test_a_long_dataset_id_and_renamed_classes(trained):
    """A review: a dataset id of 73 characters made the job name too long and Evaluate raised on every run
    sharing a class with it; and scores stayed up as current after the scored set's classes were renamed."""
    from core.names import rename_labels
    from core.registry import DatasetStore

    _, mlp, _ = trained
    store = DatasetStore()
    long_id = "reviews-from-the-second-shop-relabelled-by-hand-in-december-2026-v2-final"
    assert len(long_id) > 69
    store.save(store.load("starter"), "second shop", "test", {}, dataset_id=long_id)
    at = open_page("pages/evaluate.py", mlp.id)
    assert at.selectbox(key=f"score_dataset_{mlp.id}").value == long_id
    at.button(key=f"score_go_{mlp.id}").click().run()
    assert not at.exception, at.exception
    metrics = _scored(at)
    assert metrics["Accuracy"].value == f"{mlp.eval()['accuracy']:.4f}"  # the same texts and labels as its own

    rename_labels(long_id, {"food": "cuisine"})
    at.run()
    assert any("score it again" in i.value for i in at.info), [i.value for i in at.info]
    assert "texts scored" not in {m.label for m in at.metric}


def test_datasets_that_cannot_be_scored_are_named_with_the_reason(trained):
    """A researcher's Chinese-labelled and unlabelled sets were missing from the picker without a word."""
    from core.registry import DatasetStore

    _, mlp, _ = trained
    store = DatasetStore()
    frame = store.load("starter")
    store.save(frame.assign(label=frame["label"].map({"sports": "体育"})), "中文标签", "test", {}, dataset_id="zhl")
    store.save(frame.assign(label=None), "just texts", "test", {}, dataset_id="plain")
    at = open_page("pages/evaluate.py", mlp.id)
    said = " ".join(c.value for c in at.caption)
    # 体育 only, other rows unlabelled: it shares no class with the run
    assert "none of their classes is one this run learned: 中文标签" in said, said
    assert "they have no labels: just texts" in said, said
    _fixed_copy()
    at = open_page("pages/evaluate.py", mlp.id)
    assert at.selectbox(key=f"score_dataset_{mlp.id}").options[0] == "starter fixed"
    assert any("中文标签" in c.value for c in at.caption)


def test_a_run_of_an_earlier_import_is_said_on_every_page_it_opens(small_dataset):
    """After the dataset was deleted and imported again under its id, Evaluate, the Playground and the map
    showed the old run (its old classes, its 1,000 texts) beside the new rows without a word."""
    import time as clock

    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp", epochs=1))
    store = DatasetStore()
    frame = store.load(small_dataset)
    clock.sleep(0.01)
    # the same rows again (as a built-in loaded again is): still the run's own data, nothing said
    store.delete(small_dataset)
    store.save(frame, "small", "test", {"seed": 1}, dataset_id=small_dataset)
    said = "was trained on an earlier import of"
    for page in ("pages/evaluate.py", "pages/playground.py"):
        at = open_page(page, run.id, dataset=small_dataset)
        assert not any(said in w.value for w in at.warning), page
    # other rows: said above each page that shows the run
    again = frame.drop(columns=["split"]).head(200).copy()
    again["split"] = stratified_split(again["label"], SplitConfig(0.15, 0.25, seed=7))
    store.delete(small_dataset)
    store.save(again, "small", "test", {"seed": 7}, dataset_id=small_dataset)
    for page in ("pages/evaluate.py", "pages/playground.py", "pages/embeddings.py"):
        at = open_page(page, run.id, dataset=small_dataset)
        warned = [w.value for w in at.warning if said in w.value]
        assert len(warned) == 1 and "not of the 200 rows stored now" in warned[0], page


def test_a_rare_class_never_caught_is_said_where_the_run_ends_and_on_the_command_line(studio_home, capsys):
    """A fraud set (about 1 in 20): "Done: test accuracy 0.9850" in green over a model that never once
    answered the rare class, and the command line's summary said no more."""
    import numpy as np
    import pandas as pd

    from core.cli import main
    from core.data import SplitConfig, stratified_split
    from core.evaluation import never_right
    from core.registry import DatasetStore
    from core.training.runner import RunConfig, train_run

    rng = np.random.default_rng(3)
    words = ["order", "item", "seller", "price", "ship", "today", "thanks", "please", "card", "box"]
    labels = ["legit"] * 190 + ["fraud"] * 10  # the rare texts are drawn from the same words: nothing to learn
    frame = pd.DataFrame(
        {"text": [" ".join(rng.choice(words, 6)) + f" {i}" for i in range(200)], "label": labels, "lang": "en"}
    )
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.15, 0.25, seed=1))
    DatasetStore().save(frame, "fraud", "test", {"seed": 1}, dataset_id="fraud")
    run = train_run(RunConfig.create("fraud", "baseline"))
    report = run.eval()
    never = never_right(report)
    assert [c["label"] for c in never] == ["fraud"] and report["accuracy"] > 0.9
    at = open_page("pages/train.py", run.id, dataset="fraud")
    from tests.app.test_pages import shown

    warned = [shown(w.value) for w in at.warning if "never gets" in w.value]
    assert warned == [
        f"It never gets 'fraud' right: none of the {never[0]['support']} test texts of that class was classified as "
        "'fraud'. Evaluate shows each class's scores."
    ]
    assert main(["evaluate", "--run", run.id]) == 0
    assert f"never right: fraud (0 of {never[0]['support']})" in capsys.readouterr().out
    # Evaluate: the sizes are the cause, not training time (the baseline has no epochs, nor class weights)
    at = open_page("pages/evaluate.py", run.id, dataset="fraud")
    said = " ".join(shown(w.value) for w in at.warning) + " ".join(shown(i.value) for i in at.info)
    assert "the classes are far apart in size, and it has learned to answer the largest" in said, said
    assert "Train it longer" not in said and "train again with 'Weight classes by rarity'" not in said
