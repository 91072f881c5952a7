"""A run scored on another dataset: ``core.crosseval`` and ``evaluate --on``."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from core.errors import DataError, StudioError
from tests.conftest import tiny_config, tiny_pretraining


@pytest.fixture
def mlp_run(small_dataset):
    from core.training.runner import train_run

    return train_run(tiny_config(small_dataset, "bow_mlp", epochs=3))


def _stored(name: str, frame):
    from core.registry import DatasetStore

    DatasetStore().save(frame, name, "test", {"seed": 1}, dataset_id=name)
    return name


def _frame(dataset: str):
    from core.registry import DatasetStore

    return DatasetStore().load(dataset)


def test_fixed_labels_are_scored_against_the_run_own_answers(mlp_run, small_dataset):
    """The label-fixing loop: the same texts and splits, some test labels changed. The score is the
    run's answers against the new labels, counted here independently."""
    from core.crosseval import score_on_dataset
    from core.inference import Predictor

    frame = _frame(small_dataset)
    test = frame.index[frame["split"] == "test"]
    flipped = frame.copy()
    flipped.loc[test[:10], "label"] = flipped.loc[test[:10], "label"].map(
        {"food": "sports", "sports": "travel", "travel": "technology", "technology": "food"}
    )
    _stored("fixed", flipped)
    report = score_on_dataset(mlp_run, "fixed")

    answers = Predictor.from_run(mlp_run.path).predict(flipped.loc[test, "text"].tolist())
    expected = np.mean(np.asarray(answers) == flipped.loc[test, "label"].to_numpy())
    assert report["n"] == len(test)
    assert report["accuracy"] == pytest.approx(expected)
    assert report["seen_in_training"] == 0  # the kept test split: no text the run learned from
    assert "unseen" not in report
    assert report["own_accuracy"] == pytest.approx(mlp_run.eval()["accuracy"])
    assert sum(sum(row) for row in report["confusion"]) == len(test)
    assert len(report["mistakes"]) == round((1 - expected) * len(test))
    confidences = [m["confidence"] for m in report["mistakes"]]
    assert confidences == sorted(confidences, reverse=True)


def test_all_texts_split_out_what_the_run_trained_on(mlp_run, small_dataset):
    """Scored on every text of its own dataset, the run's training texts are counted apart, and the
    score on the rest is its own test score."""
    from core.crosseval import score_on_dataset

    frame = _frame(small_dataset)
    report = score_on_dataset(mlp_run, small_dataset, part="all")
    assert report["n"] == len(frame)
    assert report["seen_in_training"] == int((frame["split"] != "test").sum())
    assert report["unseen"]["n"] == int((frame["split"] == "test").sum())
    assert report["unseen"]["accuracy"] == pytest.approx(mlp_run.eval()["accuracy"])


def test_classes_the_run_never_learned_are_left_out_and_macro_f1_covers_present_classes(mlp_run, small_dataset):
    from core.crosseval import score_on_dataset

    frame = _frame(small_dataset)
    two = frame[frame["label"].isin(["food", "sports"])].copy()
    other = two[two["split"] == "test"].head(3).copy()
    other["label"] = "weather"
    _stored("shifted", pd.concat([two, other], ignore_index=True))
    report = score_on_dataset(mlp_run, "shifted")
    assert report["unknown_labels"] == {"weather": 3}
    assert report["n"] == int((two["split"] == "test").sum())
    present = [row["f1"] for row in report["per_class"] if row["label"] in ("food", "sports")]
    assert report["macro_f1"] == pytest.approx(np.mean(present))
    assert {row["label"]: row["support"] for row in report["per_class"]}["travel"] == 0
    # the change is against the run's own test texts of the same two classes: against all four, leaving out a
    # hard class read as a gain of the new source
    points = mlp_run.points(["label", "pred", "split"])
    own = points[(points["split"] == "test") & points["label"].isin(["food", "sports"])]
    assert report["own_same_classes"] is True
    assert report["own_accuracy"] == pytest.approx((own["label"] == own["pred"]).mean())
    assert score_on_dataset(mlp_run, small_dataset)["own_same_classes"] is False

    none = other.assign(label="weather")
    _stored("weather", pd.concat([none, none.assign(label="rain")], ignore_index=True))
    with pytest.raises(
        DataError, match="None of the classes of 'weather' .rain, weather.*food, sports, technology, travel"
    ):
        score_on_dataset(mlp_run, "weather")


def test_refusals_say_what_to_do(mlp_run, small_dataset, studio_home):
    from core.crosseval import score_on_dataset
    from core.registry import RunStore

    frame = _frame(small_dataset)
    _stored("notes", frame.assign(label=None))
    with pytest.raises(DataError, match="has no labels"):
        score_on_dataset(mlp_run, "notes")
    _stored("no-test", frame.assign(split="train"))
    with pytest.raises(DataError, match="no labelled test texts.*--split all"):
        score_on_dataset(mlp_run, "no-test")
    assert score_on_dataset(mlp_run, "no-test", part="all")["seen_in_training"] > 0
    pretraining = tiny_pretraining(small_dataset)
    with pytest.raises(StudioError, match="pretraining run"):
        score_on_dataset(RunStore().get(pretraining.id), small_dataset)


def test_a_run_whose_dataset_is_gone_is_still_scored(mlp_run, small_dataset):
    from core.crosseval import score_on_dataset
    from core.registry import DatasetStore

    _stored("copy", _frame(small_dataset))
    DatasetStore().delete(small_dataset)
    report = score_on_dataset(mlp_run, "copy")
    assert report["seen_in_training"] is None
    assert report["n"] > 0


def test_a_dataset_imported_again_under_the_runs_id_does_not_say_what_the_run_learned(mlp_run, small_dataset, capsys):
    """Deleted and imported again under the same id with other splits, the run's dataset said it had trained
    on 117 texts of a copy it had never seen, and the page led with a loss of 11.6 points."""
    from core.cli import main
    from core.crosseval import score_on_dataset
    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import source_test_overlap

    frame = _frame(small_dataset)
    _stored("copy", frame)  # its test texts are the run's own test texts: no overlap
    before = score_on_dataset(mlp_run, "copy")
    assert before["seen_in_training"] == 0 and before["trained_texts_unknown"] is None
    again = frame.drop(columns=["split"]).copy()
    again["split"] = stratified_split(again["label"], SplitConfig(0.15, 0.25, seed=7))  # other splits
    DatasetStore().delete(small_dataset)
    DatasetStore().save(again, "small", "test", {"seed": 7}, dataset_id=small_dataset)
    after = score_on_dataset(mlp_run, "copy")
    assert after["seen_in_training"] is None and after["trained_texts_unknown"] == "changed"
    assert after["accuracy"] == before["accuracy"] and "unseen" not in after
    assert main(["evaluate", "--run", mlp_run.id, "--on", "copy"]) == 0
    assert (
        f"note: the run's own dataset, {small_dataset}, was imported again since it trained" in capsys.readouterr().out
    )
    # a fine-tune onto the copy: the source's training texts are not read from the new import either
    assert source_test_overlap(mlp_run.id, "copy") is None
    DatasetStore().delete(small_dataset)
    assert score_on_dataset(mlp_run, "copy")["trained_texts_unknown"] == "gone"


def test_cli_evaluate_on(mlp_run, small_dataset, tmp_path, capsys):
    import pandas as pd

    from core.cli import main

    out = tmp_path / "mistakes.csv"
    assert main(["evaluate", "--run", mlp_run.id, "--on", small_dataset, "--mistakes", str(out)]) == 0
    printed = capsys.readouterr().out
    own = mlp_run.eval()
    assert f"accuracy {own['accuracy']:.4f} on its own test split" in printed
    assert f"its test split: {own['n']:,} texts" in printed
    mistakes = pd.read_csv(out, encoding="utf-8-sig")
    assert len(mistakes) == own["n"] - round(own["accuracy"] * own["n"])
    assert list(mistakes.columns) == ["text", "label", "pred", "confidence"]

    assert main(["evaluate", "--run", mlp_run.id, "--on", small_dataset, "--split", "all"]) == 0
    printed = capsys.readouterr().out
    # the honest score leads: the texts it never learned (its own test split), then all of them in a note
    lines = printed.splitlines()
    assert lines[2].startswith(f"on the {own['n']:,} texts it never learned: accuracy {own['accuracy']:.4f}"), lines
    assert lines[2].endswith("+0.00 pt against its own test split")
    assert "the run trained on" in printed and f"the scores above are of the other {own['n']:,}. Over all" in printed

    assert main(["evaluate", "--run", mlp_run.id, "--split", "all"]) == 2
    err = capsys.readouterr().err
    assert "goes with --on" in err and f"evaluate --run {mlp_run.id} --on {small_dataset} --split all" in err
    assert main(["evaluate", "--run", mlp_run.id, "--on", small_dataset, "--again"]) == 2
    assert main(["evaluate", "--run", mlp_run.id, "--on", "no-such-set"]) == 1


def test_a_run_in_training_is_not_scored_and_every_refusal_reads_in_chinese(mlp_run, small_dataset, monkeypatch):
    from core.crosseval import score_on_dataset
    from ui import i18n

    frame = _frame(small_dataset)
    _stored("notes", frame.assign(label=None))
    _stored("no-test", frame.assign(split="train"))
    _stored("weather", frame.head(4).assign(label="weather"))
    said = []
    for dataset in ("notes", "no-test", "weather"):
        with pytest.raises(StudioError) as caught:
            score_on_dataset(mlp_run, dataset)
        said.append(str(caught.value))
    mlp_run.set_status("queued")  # waiting for its turn to train again (a live owner would read "running")
    with pytest.raises(StudioError, match="is queued: score it when its training has ended"):
        score_on_dataset(mlp_run, small_dataset)
    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    for message in said:  # the page shows the job's error through tm(): each has its Chinese template
        assert not re.search(r"[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", i18n.tm(message)), i18n.tm(message)


def test_the_texts_to_score_count_only_classes_the_run_knows(mlp_run, small_dataset):
    """A review: a set all in its test split, with a few texts of an unknown class, was told to score all its
    texts "for a surer figure", which scores the very same texts."""
    from core.crosseval import score_on_dataset

    frame = _frame(small_dataset).assign(split="test")
    frame.loc[frame.index[:5], "label"] = "weather"
    _stored("alltest", frame)
    report = score_on_dataset(mlp_run, "alltest")
    assert report["n"] == len(frame) - 5 == report["labelled_texts"]
