"""Charts carry an accessible name: a screen reader read the confusion matrix as a run of numbers."""

from __future__ import annotations

import pytest

from tests.app.test_explore_pages import open_page


def _alts(at) -> list[str]:
    return [chart.proto.alt for chart in at.get("plotly_chart")]


def test_the_confusion_matrix_scores_and_probabilities_are_described_in_words(trained):
    from ui.presenter import alt

    if not alt("x"):  # a Streamlit without chart names (before 1.67): nothing to check
        pytest.fail("this Streamlit has no alt for charts; requirements.txt installs one that has")
    _, mlp, _ = trained
    report = mlp.eval()
    at = open_page("pages/evaluate.py", mlp.id)
    alts = _alts(at)
    right = sum(report["confusion"][i][i] for i in range(len(report["labels"])))
    (matrix,) = [a for a in alts if a.startswith("Confusion matrix of 4 classes")]
    assert f"{right:,} of {report['n']:,} test texts on the diagonal" in matrix
    (scores,) = [a for a in alts if a.startswith("Test-set scores: ")]
    assert f"accuracy {report['accuracy']:.3f}, macro-F1 {report['macro_f1']:.3f}" in scores

    at = open_page("pages/playground.py", mlp.id)
    at.text_input(key="playground_text").input("The striker scored twice in the final").run()
    (probabilities,) = [a for a in _alts(at) if a.startswith("Class probabilities: ")]
    assert probabilities.split(": ", 1)[1].split(" ")[0] == "sports"  # likeliest first
    assert all(label in probabilities for label in report["labels"])
