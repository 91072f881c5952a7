"""The calibration verdict under Evaluate's reliability diagram, in words."""

from __future__ import annotations

from ui.calibration import calibration_note
from ui.i18n import percent_text


def bins(*rows):
    return {"bins": [{"count": n, "confidence": c, "accuracy": a} for n, c, a in rows]}


def test_a_bin_off_the_other_way_is_named_beside_the_averages_verdict():
    """Evaluate said "Under-confident: it is right more often (71%) than its confidence says (57%)" of a
    fine-tune whose 130 surest answers (97.5% confident) were right 75% of the time."""
    mixed = bins((300, 0.45, 0.70), (200, 0.65, 0.90), (130, 0.975, 0.754))
    note = calibration_note(mixed)
    assert note.startswith("Under-confident:"), note
    said = f"on 130 texts where its confidence is {percent_text(0.975)} on average, it is right {percent_text(0.754)}."
    assert note.endswith("Not everywhere: " + said), note
    # the mirror image: over-confident on average, right more often than it says in one bin
    note = calibration_note(bins((400, 0.95, 0.70), (100, 0.60, 0.85)))
    assert note.startswith("Over-confident:") and f"on 100 texts where its confidence is {percent_text(0.6)}" in note


def test_no_exception_is_claimed_from_a_few_texts_or_a_small_gap():
    # the same direction everywhere: nothing to add
    assert "Not everywhere" not in calibration_note(bins((300, 0.5, 0.7), (300, 0.8, 0.95)))
    # the other way, but on 10 of 610 texts: noise, not a pattern
    assert "Not everywhere" not in calibration_note(bins((300, 0.5, 0.7), (300, 0.8, 0.95), (10, 0.99, 0.5)))
    # the other way by 5 points: within what a bin of 100 texts wobbles
    assert "Not everywhere" not in calibration_note(bins((300, 0.5, 0.7), (100, 0.9, 0.85)))
    # well calibrated on average, one large bin far off: said too
    note = calibration_note(bins((300, 0.55, 0.70), (300, 0.85, 0.70), (2000, 0.99, 0.99)))
    assert note.startswith("Well calibrated:") and "Not everywhere" in note, note
    assert calibration_note({"bins": []}) is None


def test_gaps_that_cancel_out_on_average_are_not_called_well_calibrated():
    """A statistician's audit: "Well calibrated" beside an ECE of 0.138, its bars too sure in one place and
    too unsure in another, and nothing said that 50 test texts make every bar rough."""
    note = calibration_note(bins((300, 0.55, 0.70), (300, 0.85, 0.70)))
    assert note.startswith("Right on average only:") and "off by 15.0 pt on average (the ECE)" in note, note
    assert "rough" not in note
    few = calibration_note(bins((7, 0.65, 0.29), (43, 0.80, 0.88)))
    assert not few.startswith("Well calibrated") and few.endswith(
        "With 50 test texts, each bar rests on a few of them: read this as rough."
    ), few


def test_a_macro_f1_gain_on_a_few_test_texts_is_grey_when_accuracy_could_be_chance():
    """A statistician's audit: a green "+8.5 pt" of macro-F1 on 50 test texts rested on 2 of them (a paired
    bootstrap put 13% of its resamples at or below 0)."""
    from ui.leaderboard import grey_arrow

    assert grey_arrow("macro_f1", tied=False, accuracy_by_chance=True, test_texts=50)
    # on a real test split a rare class learned is a real macro-F1 gain, whatever accuracy's test says
    assert not grey_arrow("macro_f1", tied=False, accuracy_by_chance=True, test_texts=1122)
    assert not grey_arrow("macro_f1", tied=False, accuracy_by_chance=False, test_texts=50)
    assert grey_arrow("accuracy", tied=False, accuracy_by_chance=True, test_texts=1122)
    assert grey_arrow("macro_f1", tied=True, accuracy_by_chance=False, test_texts=1122)


def test_a_model_that_never_answers_a_class_right_is_not_called_well_calibrated():
    """A fraud set: a model that always said "legit" was "well calibrated: its percentages can be read as
    they are" at 99%, while it gave the frauds it missed 1-10% of fraud."""
    calibrated = bins((590, 0.99, 0.99), (9, 0.7, 0.7))
    assert calibration_note(calibrated).startswith("Well calibrated:")
    note = calibration_note(calibrated, ["'fraud'"])
    assert note.startswith("Calibrated on its top answers only:") and "can be read as they are" not in note
    assert "it never answers 'fraud' right, so its percentages for 'fraud' say little." in note
    # off on average: the verdict stands as it was (it makes no claim that the percentages can be trusted)
    assert calibration_note(bins((600, 0.95, 0.7)), ["'fraud'"]).startswith("Over-confident:")


def test_the_classes_never_right_are_listed_in_the_readers_language(monkeypatch):
    import ui.i18n

    monkeypatch.setattr(ui.i18n, "lang", lambda: "zh")
    note = calibration_note(bins((590, 0.99, 0.99), (9, 0.7, 0.7)), ["甲", "乙"])
    assert "甲、乙" in note and "甲, 乙" not in note
