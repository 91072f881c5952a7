"""Scoring a trained run on another dataset's texts: a shift of domain, or a set whose labels were fixed.

A run's own evaluation scores it on its dataset's test split. Two questions need another set: how a
model trained on one source does on another (news from one outlet, reviews of another shop), and,
after wrong labels were fixed and the file imported again with its splits kept, how the old model
scores against the corrected labels, beside the new model trained on them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

from core.errors import DataError, StudioError

#: the parts of a dataset a run can be scored on
SCORE_PARTS = ("test", "all")


def _trained_texts(run, home: Path | None) -> tuple[set[str] | None, str | None]:
    """The texts the run learned from (its training and validation rows), and why they cannot be told
    when they cannot: ``"gone"`` (its dataset was deleted) or ``"changed"`` (deleted and imported again
    under the same id, or its rows differ: the splits stored now are not the ones it learned from, and
    reading them said a run had trained on 117 texts it had never seen)."""
    from core.registry import DatasetStore
    from core.training.runner import RunConfig, learned_splits

    config = RunConfig.of_run(run)
    store = DatasetStore(home)
    if not store.exists(config.dataset):
        return None, "gone"
    splits = learned_splits(run.config(), store)
    if splits is None:
        return None, "changed"
    splits = splits.subsample(config.label_fraction, config.train.seed)
    frame = splits.frame
    return set(frame.loc[frame["split"] != "test", "text"].astype(str)), None


def score_on_dataset(
    run,
    dataset: str,
    part: str = "test",
    home: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Classify ``dataset``'s texts (its test split, or ``"all"`` of them) with ``run`` and score the answers.

    Returns the Evaluate page's report (accuracy, macro-F1, per class, confusion, calibration) over
    the texts whose label the run knows, with what was left out and why:

    - ``unknown_labels``: ``{label: texts}`` of classes the run never learned (left out: it cannot
      name them, so they would count as mistakes no model of these classes could avoid);
    - ``seen_in_training``: how many scored texts the run trained on (its training or validation
      rows); where any were, ``unseen`` holds the report on the others alone, the honest test;
    - ``own_accuracy``: the run's score on its own test split, for the shift; where the scored texts hold
      only some of its classes, on its own test texts of those classes (``own_same_classes``);
    - ``macro_f1`` averages over the classes the scored texts hold, not classes absent from them.

    ``progress(done, total)`` is called as texts are classified. Raises a ``StudioError`` with what to
    do where the run cannot classify, the dataset has no labels, or shares no class with the run.
    """
    from core.inference import Predictor, batch_predictions
    from core.registry import DatasetStore

    if part not in SCORE_PARTS:
        raise ValueError(f"part must be one of {SCORE_PARTS}, not {part!r}")
    store = DatasetStore(home)
    dataset_id = store.resolve(dataset)
    info = store.info(dataset_id)
    if not info.labelled:
        raise DataError(
            f"Dataset {info.name!r} has no labels, so there is nothing to score the answers against. "
            "Pick a labelled dataset, or classify its texts with predict to read the answers."
        )
    state = run.status().get("state")
    if state in ("queued", "running"):  # its weights are about to change: the scores would be of the old ones
        raise StudioError(f"Run {run.id} is {state}: score it when its training has ended.")
    predictor = Predictor.from_run(run.path)
    labels = list(predictor.labels or [])
    if not labels:
        raise StudioError("This is a pretraining run: it does not classify. Fine-tune it first, then score it.")
    frame = store.load(dataset_id)
    frame = frame[frame["label"].notna() & frame["text"].fillna("").str.strip().ne("")]
    # every labelled text of a class the run knows, whichever part is scored (what --split all would score)
    labelled = frame.loc[frame["label"].astype(str).isin(labels), "text"].astype(str)
    if part == "test":
        frame = frame[frame["split"] == "test"]
        if frame.empty:
            raise DataError(
                f"Dataset {info.name!r} has no labelled test texts. Score it on all its labelled texts "
                "instead (--split all on the command line)."
            )
    known = frame["label"].astype(str).isin(labels)
    unknown = Counter(frame.loc[~known, "label"].astype(str))
    frame = frame[known].reset_index(drop=True)
    if frame.empty:
        raise DataError(
            f"None of the classes of {info.name!r} ({', '.join(sorted(unknown))}) is one the run learned "
            f"({', '.join(labels)}), so none of its answers can be right or wrong. Pick a dataset with "
            "the run's classes, or rename its classes on the Data page to the run's names."
        )
    texts = frame["text"].astype(str).tolist()
    total = len(texts)
    answers = batch_predictions(predictor, texts, progress=(lambda done: progress(done, total)) if progress else None)
    proba = answers[[f"p_{label}" for label in labels]].to_numpy(dtype=np.float64)
    index = {label: i for i, label in enumerate(labels)}
    y_true = np.asarray([index[label] for label in frame["label"].astype(str)], dtype=int)
    # the answers' own column: their argmax was taken before the probabilities were rounded, and a near tie
    # of rounded values picked another class than the model gives
    y_pred = np.asarray([index[label] for label in answers["prediction"]], dtype=int)
    report = _scored(y_true, y_pred, proba, labels)
    trained, untold = _trained_texts(run, home)
    seen = None if trained is None else np.asarray([text in trained for text in texts], dtype=bool)
    own, matched = _own_accuracy(run, report)
    report.update(
        dataset=dataset_id,
        dataset_name=info.name,
        dataset_sha256=info.sha256,  # what was scored: a class renamed since changes it (and the page says so)
        part=part,
        run=run.id,
        unknown_labels=dict(sorted(unknown.items())),
        seen_in_training=None if seen is None else int(seen.sum()),
        trained_texts_unknown=untold,  # "gone" or "changed" where seen_in_training is None
        own_accuracy=own,
        own_same_classes=matched,
        labelled_texts=int(len(labelled)),
        # how many of the dataset's labelled texts the run learned from, whichever part is scored: none means a
        # new source, whose every text is a test (80 tweets were scored on their 16 test texts alone)
        learned_from_dataset=None if trained is None else int(labelled.isin(trained).sum()),
    )
    if seen is not None and seen.any() and not seen.all():
        report["unseen"] = _scored(y_true[~seen], y_pred[~seen], proba[~seen], labels)
    from core.data import FILE_ROW

    # each text's row in its file, where the dataset keeps them: the file fixed is the file scored
    rows = frame[FILE_ROW].tolist() if FILE_ROW in frame.columns else None
    report["mistakes"] = [
        {
            **({FILE_ROW: int(rows[i])} if rows is not None else {}),
            "text": texts[i],
            "label": labels[y_true[i]],
            "pred": labels[y_pred[i]],
            "confidence": float(proba[i].max()),
        }
        for i in np.argsort(-proba.max(1))
        if y_true[i] != y_pred[i]
    ]
    return report


def _own_accuracy(run, report: dict) -> tuple[float | None, bool]:
    """The run's accuracy on its own test split over the classes the scored texts hold, and whether that
    is a subset of its classes. Against its score over every class, dropping a hard class read as a gain
    of the new source (+4.9 pt where the model did 4.9 pt worse on the same texts)."""
    own = (run.eval() or {}).get("accuracy")
    present = {row["label"] for row in report["per_class"] if row["support"] > 0}
    if own is None or present == set(report["labels"]):
        return own, False
    try:
        test = run.points(["label", "pred", "split"])
    except (StudioError, OSError, ValueError, KeyError):
        return None, True
    test = test[(test["split"] == "test") & test["label"].astype(str).isin(present)]
    if test.empty:
        return None, True
    return float((test["label"].astype(str) == test["pred"].astype(str)).mean()), True


def _scored(y_true: np.ndarray, y_pred: np.ndarray, proba: np.ndarray, labels: list[str]) -> dict:
    """The classification report, its macro-F1 over the classes present (a class absent from the set
    scored 0 and pulled the average down for a model that did nothing wrong)."""
    from core.evaluation import classification_report

    report = classification_report(y_true, y_pred, proba, labels)
    present = [row["f1"] for row in report["per_class"] if row["support"] > 0]
    report["macro_f1"] = float(np.mean(present)) if present else 0.0
    return report
