"""Which way a model's confidence is off, in words, from the reliability diagram's bins."""

from __future__ import annotations

from ui.i18n import listed, percent_text, t

WELL_CALIBRATED = 0.03  # mean confidence within 3 points of accuracy: its percentages can be read as they are
AGAINST_THE_AVERAGE = 0.10  # a bin this far off the other way is named beside the average's verdict
# ECE above this and the average within WELL_CALIBRATED: the gaps cancel out, it is not calibrated level by level
CANCELLING_GAPS = 0.05
FEW_TEXTS = 100  # as core.evaluation.FEW_TEST_TEXTS: below it, each bar rests on a handful of texts


def calibration_note(calibration: dict, never_right: list[str] | None = None) -> str | None:
    """Which way the confidence is off, in words: "ECE 0.141" and a help saying "0 is perfect" left a
    reader to work out from the bars that the model was under-confident.

    ``never_right`` names classes it never answers right: the bars are of its top answers, so a model
    that always said "legit" on a fraud set was "well calibrated" at 99%, while it gave the frauds it
    missed 1-10% of fraud; its percentages cannot be read as they are for those classes."""
    bins = [b for b in calibration.get("bins") or [] if b.get("count")]
    n = sum(b["count"] for b in bins)
    if not n:
        return None
    confidence = sum(b["count"] * b["confidence"] for b in bins) / n
    accuracy = sum(b["count"] * b["accuracy"] for b in bins) / n
    said = dict(confidence=percent_text(confidence), accuracy=percent_text(accuracy))
    # on 50 texts every bar is a handful of them: "Well calibrated" beside an ECE of 0.138 read as measured
    rough = (
        " " + t("With {n:,} test texts, each bar rests on a few of them: read this as rough.", n=n)
        if n < FEW_TEXTS
        else ""
    )
    ece = sum(b["count"] * abs(b["confidence"] - b["accuracy"]) for b in bins) / n
    if abs(confidence - accuracy) < WELL_CALIBRATED and ece < CANCELLING_GAPS and never_right:
        return (
            t(
                "Calibrated on its top answers only: its confidence, {confidence} on average, matches how often it "
                "is right ({accuracy}), but it never answers {names} right, so its percentages for "
                "{names} say little.",
                names=listed(never_right[:3]),
                **said,
            )
            + rough
        )
    if abs(confidence - accuracy) < WELL_CALIBRATED and ece < CANCELLING_GAPS:
        return (
            t(
                "Well calibrated: its confidence, {confidence} on average, matches how often it is right "
                "({accuracy}), so its percentages can be read as they are.",
                **said,
            )
            + exception_note(bins, n, over=None)
            + rough
        )
    if abs(confidence - accuracy) < WELL_CALIBRATED:
        # too sure in some bars and too unsure in others: the average hides an ECE of 0.14
        return (
            t(
                "Right on average only: its confidence, {confidence} on average, matches how often it is right "
                "({accuracy}), but at a given confidence it is off by {points:.1f} pt on average (the ECE), too "
                "sure in some bars and too unsure in others.",
                points=100 * ece,
                **said,
            )
            + exception_note(bins, n, over=None)
            + rough
        )
    if confidence < accuracy:
        return (
            t(
                "Under-confident: it is right more often ({accuracy}) than its confidence says ({confidence} on "
                "average), so its percentages understate it. Bars above the diagonal show where.",
                **said,
            )
            + exception_note(bins, n, over=True)
            + rough
        )
    return (
        t(
            "Over-confident: its confidence ({confidence} on average) is higher than how often it is right "
            "({accuracy}), so read its percentages with care. Bars below the diagonal show where.",
            **said,
        )
        + exception_note(bins, n, over=False)
        + rough
    )


def exception_note(bins: list[dict], n: int, over: bool | None) -> str:
    """A sentence on the bin furthest off the other way, or "": ``over`` looks for over-confident bins,
    False for under-confident ones, None for either (beside "well calibrated" on average).

    A model "under-confident" on average was right only 75% of the time at 97.5% confidence on 130
    texts: told that its percentages understate it, a reader would have trusted its surest answers most.
    """
    floor = max(20, 0.05 * n)  # a few texts in a bin are noise, not a pattern
    gaps = []
    for b in bins:
        if b["count"] < floor:
            continue
        off = b["confidence"] - b["accuracy"]
        gaps.append((abs(off) if over is None else off if over else -off, b))
    gap, worst = max(gaps, key=lambda pair: pair[0], default=(0.0, None))
    if worst is None or gap < AGAINST_THE_AVERAGE:
        return ""
    return " " + t(
        "Not everywhere: on {count:,} texts where its confidence is {confidence} on average, it is right {accuracy}.",
        count=int(worst["count"]),
        confidence=percent_text(worst["confidence"]),
        accuracy=percent_text(worst["accuracy"]),
    )
