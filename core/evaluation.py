"""Metrics: accuracy, macro-F1, per-class scores, confusion, calibration, McNemar."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

FEW_TEST_TEXTS = 100  # test texts under which the scores get a word on how rough they are


def held_out_window_tokens(report: dict, config: dict) -> int | None:
    """The tokens in each held-out window a pretraining on a streamed corpus was scored on, or None
    when it was scored on held-out texts (a dataset's). Its ``n`` counts windows then: "2 held-out
    texts" were two windows of 126 tokens."""
    if not report.get("corpus"):
        return None
    # cut as the runner cuts them: max_len less the [CLS] and [SEP] around each window
    max_len = int((config.get("encoder_config") or {}).get("max_len") or 0)
    return max_len - 2 if max_len > 2 else None


# held-out MLM loss (nats a token) a pretraining run must gain over the frequency guess to count as having
# learned from the context: nearer than this, its answers are the frequent tokens whatever the text says
PLATEAU_NATS = 0.1
# held-out hidden tokens under which the scores are too rough for a verdict: each token moves the accuracy
# by more than 3 pt (a walkthrough's 5 held-out texts hid 11: 7 right against the guess's 2, and "not learned")
FEW_MASKED_TOKENS = 30


def frequency_reference(report: dict) -> tuple[bool, str] | None:
    """A pretraining report's held-out scores beside the guess that reads no context (the
    runner's ``frequency_loss`` and ``frequency_accuracy``): ``(whether it is still on that
    "unigram plateau", a sentence saying so)``; None where there is no such guess (a run from before
    it was measured, or nothing held out)."""
    loss, base_loss = report.get("mlm_loss"), report.get("frequency_loss")
    base_accuracy = report.get("frequency_accuracy")
    if loss is None or base_loss is None or base_accuracy is None:
        return None
    masked = report.get("masked_tokens")
    if isinstance(masked, int) and masked < FEW_MASKED_TOKENS:
        # 5 held-out texts, 11 hidden tokens: "has not learned even that yet" beside 7 of 11 right against 2
        return False, (
            f"These scores rest on only {masked} hidden tokens, too few to tell whether the run learned from "
            "the context: a guess that reads no context scores a loss of "
            f"{base_loss:.3f} and a masked-token accuracy of {base_accuracy:.3f} on them. Hold out more "
            "(a larger validation share) to judge it."
        )
    if loss > base_loss - PLATEAU_NATS:
        # a checkpoint stopped early can sit above the guess: "learned little more than that" read as praise
        learned = "has not learned even that yet" if loss > base_loss else "has learned little more than that"
        return True, (
            f"A guess that reads no context (how often each token occurs, or the token the slot shows) scores a "
            f"loss of {base_loss:.3f} and a masked-token accuracy of {base_accuracy:.3f} on the same hidden "
            f"tokens: this run {learned}, and fine-tuning from it can score below "
            "training from scratch. Pretrain it longer first (about ten epochs, or a longer time budget)."
        )
    return False, (
        f"For comparison, a guess that reads no context (how often each token occurs, or the token the slot "
        f"shows) scores a loss of {base_loss:.3f} and a masked-token accuracy of {base_accuracy:.3f} on the "
        "same hidden tokens."
    )


def classification_report(
    y_true: Sequence[int], y_pred: Sequence[int], proba: np.ndarray | None, labels: Sequence[str], n_bins: int = 10
) -> dict:
    """Everything the Evaluate page shows, as plain JSON-ready values.

    ``y_true``/``y_pred`` are class indices into ``labels``; ``proba`` is ``(N, C)`` or None.
    """
    from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

    y_true = np.asarray(y_true, dtype=int)
    y_pred = np.asarray(y_pred, dtype=int)
    idx = list(range(len(labels)))
    precision, recall, f1, support = precision_recall_fscore_support(y_true, y_pred, labels=idx, zero_division=0)
    report = {
        "n": int(len(y_true)),
        "labels": list(labels),
        "accuracy": float((y_true == y_pred).mean()) if len(y_true) else 0.0,
        "macro_f1": float(f1_score(y_true, y_pred, labels=idx, average="macro", zero_division=0)),
        "per_class": [
            {
                "label": labels[i],
                "precision": float(precision[i]),
                "recall": float(recall[i]),
                "f1": float(f1[i]),
                "support": int(support[i]),
            }
            for i in idx
        ],
        "confusion": confusion_matrix(y_true, y_pred, labels=idx).tolist(),
        "majority_accuracy": float(np.bincount(y_true, minlength=len(labels)).max() / max(1, len(y_true))),
    }
    if proba is not None and len(y_true):
        report["calibration"] = calibration(y_true, proba, n_bins)
    return report


def calibration(y_true: np.ndarray, proba: np.ndarray, n_bins: int = 10) -> dict:
    """Expected calibration error of the top-class confidence, with the reliability bins."""
    confidence = proba.max(1)
    correct = (proba.argmax(1) == np.asarray(y_true)).astype(float)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    # A confidence of exactly 1.0 belongs in the last bin.
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, n_bins - 1)
    bins = []
    ece = 0.0
    for b in range(n_bins):
        mask = which == b
        count = int(mask.sum())
        acc = float(correct[mask].mean()) if count else None
        conf = float(confidence[mask].mean()) if count else None
        if count:
            ece += count / len(confidence) * abs(acc - conf)
        bins.append(
            {
                "lower": float(edges[b]),
                "upper": float(edges[b + 1]),
                "count": count,
                "accuracy": acc,
                "confidence": conf,
            }
        )
    return {"ece": float(ece), "bins": bins}


@dataclass
class McNemarResult:
    """Disagreements between two models on the same examples and the test's p-value."""

    both_right: int
    only_a_right: int
    only_b_right: int
    both_wrong: int
    statistic: float
    p_value: float
    exact: bool

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def mcnemar(y_true: Sequence[int], pred_a: Sequence[int], pred_b: Sequence[int]) -> McNemarResult:
    """McNemar's test: exact binomial when fewer than 25 disagreements, else χ² with continuity."""
    from scipy import stats

    y_true, pred_a, pred_b = (np.asarray(x) for x in (y_true, pred_a, pred_b))
    if not (len(y_true) == len(pred_a) == len(pred_b)):
        raise ValueError("McNemar needs both models' predictions on the same examples")
    a_ok, b_ok = pred_a == y_true, pred_b == y_true
    b = int((a_ok & ~b_ok).sum())
    c = int((~a_ok & b_ok).sum())
    if b + c == 0:
        statistic, p, exact = 0.0, 1.0, True
    elif b + c < 25:
        statistic = float(min(b, c))
        p = float(min(1.0, stats.binomtest(min(b, c), b + c, 0.5).pvalue))
        exact = True
    else:
        statistic = (abs(b - c) - 1) ** 2 / (b + c)
        p = float(stats.chi2.sf(statistic, 1))
        exact = False
    return McNemarResult(
        both_right=int((a_ok & b_ok).sum()),
        only_a_right=b,
        only_b_right=c,
        both_wrong=int((~a_ok & ~b_ok).sum()),
        statistic=float(statistic),
        p_value=p,
        exact=exact,
    )


def never_right(report: dict) -> list[dict]:
    """The per-class rows of classes with test texts of which none was classified right (recall 0),
    in the report's class order. Such a class hides in accuracy: 98.5% that never once caught the rare
    class read as a fine model."""
    return [c for c in report.get("per_class") or [] if c.get("support") and not c.get("f1")]


def most_confused(confusion, k: int = 30) -> list[int]:
    """Indices of the ``k`` classes most involved in mistakes (as true or predicted class), in label order.

    A 1,000-class matrix is a million cells that nobody can read and a browser draws slowly;
    the classes that matter are the ones the model mixes up.
    """
    matrix = np.asarray(confusion)
    if len(matrix) <= k:
        return list(range(len(matrix)))
    off = matrix - np.diag(np.diag(matrix))
    involvement = off.sum(0) + off.sum(1)
    support = matrix.sum(1)
    order = np.lexsort((-support, -involvement))  # most mistakes first; ties: the bigger class
    return sorted(int(i) for i in order[:k])


def accuracy_range(accuracy: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval (95% by default) of an accuracy measured on ``n`` texts, as
    ``(low, high)`` in 0-1.

    "±2 pt" around 53 of 53 right read as "98-102%"; the true range is about 93-100%, lopsided
    near 0 and 1, which Wilson's interval keeps (the normal "±" does not).
    """
    if n <= 0:
        return 0.0, 1.0
    centre = (accuracy + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * ((accuracy * (1 - accuracy) + z * z / (4 * n)) / n) ** 0.5
    return max(0.0, centre - half), min(1.0, centre + half)
