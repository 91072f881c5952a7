import numpy as np
import pytest
from sklearn.metrics import accuracy_score, f1_score

from core.evaluation import calibration, classification_report, mcnemar


def test_report_matches_scikit_learn():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 200)
    pred = np.where(rng.random(200) < 0.7, y, rng.integers(0, 3, 200))
    proba = np.full((200, 3), 0.1)
    proba[np.arange(200), pred] = 0.8
    report = classification_report(y, pred, proba, ["a", "b", "c"])
    assert report["accuracy"] == pytest.approx(accuracy_score(y, pred))
    assert report["macro_f1"] == pytest.approx(f1_score(y, pred, average="macro"))
    assert np.array(report["confusion"]).sum() == 200
    assert [c["label"] for c in report["per_class"]] == ["a", "b", "c"]
    assert sum(c["support"] for c in report["per_class"]) == 200


def test_ece_zero_when_confidence_matches_accuracy():
    # 10 predictions at confidence 0.8, 8 of them right: perfectly calibrated
    y = np.array([0] * 8 + [1] * 2)
    proba = np.tile([0.8, 0.2], (10, 1))
    assert calibration(y, proba)["ece"] == pytest.approx(0.0)
    # all wrong at confidence 0.9: ECE 0.9
    assert calibration(np.ones(5, dtype=int), np.tile([0.9, 0.1], (5, 1)))["ece"] == pytest.approx(0.9)


def test_mcnemar_exact_and_chi2():
    y = np.zeros(100, dtype=int)
    a = np.zeros(100, dtype=int)
    b = np.zeros(100, dtype=int)
    b[:10] = 1  # b wrong on 10 where a is right
    res = mcnemar(y, a, b)
    assert (res.only_a_right, res.only_b_right, res.exact) == (10, 0, True)
    assert res.p_value == pytest.approx(2 * 0.5**10)
    b[:40] = 1
    a[90:] = 1  # a wrong on 10, b wrong on 40
    res = mcnemar(y, a, b)
    assert not res.exact and res.statistic == pytest.approx((abs(40 - 10) - 1) ** 2 / 50)
    assert mcnemar(y, a, a).p_value == 1.0
    with pytest.raises(ValueError, match="same examples"):
        mcnemar(y, a, b[:5])


def test_most_confused_keeps_the_classes_with_the_most_mistakes():
    from core.evaluation import most_confused

    confusion = np.diag([10] * 6)
    confusion[4, 1] = 3  # 4 mistaken for 1
    confusion[5, 2] = 1
    assert most_confused(confusion, k=3) == [1, 4, 5]  # a tie (2 and 5: one mistake each) goes to the bigger class
    assert most_confused(confusion, k=2) == [1, 4]
    assert most_confused(confusion, k=10) == list(range(6))


def test_the_accuracy_range_stays_within_0_and_100_percent_and_narrows_with_more_texts():
    """53 of 53 right: "±2 pt" read as 98-102%; the 95% range is about 93-100%."""
    from core.evaluation import accuracy_range

    low, high = accuracy_range(1.0, 53)
    assert high == 1.0 and 0.92 < low < 0.94, (low, high)
    low, high = accuracy_range(0.0, 10)
    assert low == 0.0 and 0.25 < high < 0.30
    # scipy-free check against the normal interval where that one is good: the middle, many texts
    low, high = accuracy_range(0.5, 10_000)
    assert abs(low - (0.5 - 1.96 * 0.005)) < 1e-4 and abs(high - (0.5 + 1.96 * 0.005)) < 1e-4
    assert (
        accuracy_range(0.8, 40)[1] - accuracy_range(0.8, 40)[0]
        > accuracy_range(0.8, 400)[1] - accuracy_range(0.8, 400)[0]
    )
