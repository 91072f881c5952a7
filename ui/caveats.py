"""Warnings on how far a dataset's test scores can be trusted, shown wherever the scores are."""

from __future__ import annotations

import streamlit as st

from ui.i18n import percent_text, t
from ui.safe_text import md

NEAR_COPIES_AT_LEAST, NEAR_COPIES_SHARE = 2, 0.02  # near-copies in the test split that get a word


def near_copies_warning(near: object) -> bool:
    """Say that test texts nearly repeat training texts (``core.leakage.near_copies``'s count, from an
    evaluation report) when there are enough to matter; True when it was said."""
    if not (
        isinstance(near, dict)
        and near.get("count", 0) >= NEAR_COPIES_AT_LEAST
        and near.get("share", 0) >= NEAR_COPIES_SHARE
        and near.get("examples")
    ):
        return False
    # identical texts are dropped at import; these differ by a suffix or a word, and the test score then
    # measured texts the model had all but seen (1.0000, and plain new sentences missed)
    test_text, train_text = (str(x) for x in near["examples"][0][:2])
    st.warning(
        t(
            "{share} of the test texts (of {checked:,} checked) are near-copies of training texts of the same class, e.g. "
            "“{test}” (test) and “{train}” (training). The scores count them as new texts, so they may "
            "overstate how the model does on texts unlike its training data.",
            share=percent_text(float(near["share"])),
            checked=int(near.get("checked", 0)),
            test=md(test_text if len(test_text) <= 80 else test_text[:79].rstrip() + "…"),
            train=md(train_text if len(train_text) <= 80 else train_text[:79].rstrip() + "…"),
        ),
        icon=":material/content_copy:",
    )
    return True


def source_overlap_warning(overlap: object, run_name: str | None = None) -> bool:
    """Say that some test texts were among those the run's starting encoder (or a run before it) learned
    on (an evaluation report's ``source_overlap``), of run ``run_name`` where several are shown; True when
    it was said."""
    if not (isinstance(overlap, dict) and overlap.get("seen")):
        return False
    numbers = dict(seen=int(overlap["seen"]), total=int(overlap.get("test") or 0))
    st.warning(
        (t("Run {name}:", name=md(run_name)) + " " if run_name else "")
        + (
            t(
                "At least {seen:,} of the {total:,} test texts were among the texts the encoder it started from (or "
                "a run before that) learned on, so these scores flatter it.",
                **numbers,
            )
            if overlap.get("at_least")
            else t(
                "{seen:,} of the {total:,} test texts were among the texts the encoder it started from (or a run "
                "before that) learned on, so these scores flatter it.",
                **numbers,
            )
        )
        + " "
        + (
            t("To measure what pretraining is worth, pretrain on texts that leave these test texts out.")
            if overlap.get("source_pretrained")
            else t("It knew their labels, too: start from a run that learned on other texts to measure the gain.")
        ),
        icon=":material/visibility:",
    )
    return True


def trained_on_earlier_import(run, info) -> bool:
    """True when ``run`` was trained on an earlier import of dataset ``info``: created before the
    dataset was (deleted and) imported again under its id, with other rows. The times are compared
    first, so the fingerprint (which reads the whole dataset) is only taken for such a run: a
    built-in loaded again holds the same rows, and its runs are still its own."""
    created = run.config().get("created")
    if not isinstance(created, (int, float)) or created >= info.created:
        return False
    recorded = run.config().get("data_fingerprint")
    if not recorded:
        return False
    from ui.resources import stored_fingerprint

    # over the rows the run learned from: a pretraining run's are those with text, labelled or not
    now = stored_fingerprint(info.id, info.sha256, run.config().get("task") != "pretrain")
    return now is not None and now != recorded


def earlier_import_warning(run, info) -> None:
    """Say, above the page, that the run's scores, map and neighbours are of an earlier import of its
    dataset: Evaluate, Playground and the map showed a run's old classes beside the new rows without a word."""
    from ui.sidebar import short_name

    if not trained_on_earlier_import(run, info):
        return
    st.warning(
        t(
            "Run “{run}” was trained on an earlier import of dataset `{dataset}` (it was deleted and imported again "
            "since, with other rows). What this page shows of the run (its scores, mistakes, map and neighbours) "
            "is of the rows it was trained on then, not of the {rows:,} rows stored now. Train a new run to work "
            "with these.",
            run=md(short_name(run)),
            # the id: the name is the new file's ("an earlier import of v2" of a run trained on v1)
            dataset=info.id,
            rows=info.rows,
        ),
        icon=":material/history:",
    )
