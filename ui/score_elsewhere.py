"""Evaluate's "On another dataset": the run scored, in a worker, on another labelled dataset's texts.

Two questions need it: how a model trained on one source does on another (a shift of domain), and,
once wrong labels were fixed and the file imported again with its splits kept, how the old model
scores against the corrected labels.
"""

from __future__ import annotations

import inspect
import json

import pandas as pd
import streamlit as st

from core.errors import StudioError
from ui import charts, i18n, jobs, presenter
from ui.i18n import plural, t, tm
from ui.safe_text import md

SHOWN_MISTAKES = 20  # the rest are in the CSV


def _candidates(labels: list[str]) -> tuple[dict[str, str], list[str], list[str]]:
    """Labelled datasets that share a class with the run, ``{id: shown name}``, newest first; and the names of
    those left out for having no labels, and for sharing no class (they had gone from the picker unsaid)."""
    from core.registry import DatasetStore
    from ui.sidebar import dataset_name, distinct_labels

    known = set(labels)
    infos = sorted(DatasetStore().list(), key=lambda info: -float(info.created))
    usable = [info for info in infos if info.labelled and known & set(info.labels)]
    unlabelled = [dataset_name(info) for info in infos if not info.labelled]
    foreign = [dataset_name(info) for info in infos if info.labelled and not known & set(info.labels)]
    return distinct_labels({info.id: dataset_name(info) for info in usable}), unlabelled, foreign


def _left_out_note(unlabelled: list[str], foreign: list[str]) -> str | None:
    """Why some stored datasets are not offered."""
    notes = []
    if foreign:
        notes.append(
            t(
                "Not offered, as none of their classes is one this run learned: {names}. Rename their classes to the "
                "run's on the Data page to score them.",
                names=md(", ".join(foreign)),
            )
        )
    if unlabelled:
        notes.append(t("Not offered, as they have no labels: {names}.", names=md(", ".join(unlabelled))))
    return i18n.sentences(*notes) if notes else None


def _job_name(dataset: str, part: str) -> str:
    """A job name for scoring on ``dataset``: from a digest of its id, which may be up to 80 characters (a
    job name is limited to 80 too, and "score-…-test" around a long id broke the whole page)."""
    import hashlib

    return f"score-{hashlib.sha1(dataset.encode()).hexdigest()[:12]}-{part}"


def _stale(run, job: dict, dataset: str, report: dict) -> bool:
    """The scores are of weights the run no longer has, of a dataset replaced or changed since under its id
    (its classes renamed), or of the run's classes before a rename."""
    from core.registry import DatasetStore
    from core.workers import ended_before_weights_changed

    if ended_before_weights_changed(run, job):
        return True
    try:
        info = DatasetStore().info(dataset)
    except (StudioError, OSError, ValueError):
        return True
    if float(info.created) > float(job.get("ended") or 0):
        return True
    if report.get("dataset_sha256") != info.sha256:
        return True
    return list(run.config().get("labels") or []) != list(report.get("labels") or [])


def section(run, labels: list[str]) -> None:
    """The section: pick a dataset and a part of it, score in a worker, show the scores beside the run's own."""
    if presenter.active():  # an operator's analysis, not part of a demo's story
        return
    st.subheader(t("On another dataset"))
    st.caption(
        t(
            "How does this model do on texts from elsewhere: another source with the same classes, or this file "
            "imported again with its labels fixed? The run itself is not changed."
        )
    )
    names, unlabelled, foreign = _candidates(labels)
    own = str(run.config().get("dataset"))
    left_out = _left_out_note(unlabelled, foreign)
    if not names or list(names) == [own]:
        st.caption(
            i18n.sentences(
                t(
                    "No other stored dataset has any of this run's classes. Import one on the Data page (keep the "
                    "splits of this run's dataset to score it on the same test texts), then come back."
                ),
                *([left_out] if left_out else []),
            )
        )
        return
    order = [key for key in names if key != own] + ([own] if own in names else [])
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    with left:
        dataset = st.selectbox(
            t("Dataset to score on"),  # "Dataset" was the sidebar's picker's name too
            order,
            format_func=lambda key: names[key] + (t(" (its own)") if key == own else ""),
            key=f"score_dataset_{run.id}",
        )
    if left_out:
        st.caption(left_out)
    with right:
        part = st.radio(
            t("Texts"),
            ["test", "all"],
            format_func=lambda key: t("its test split") if key == "test" else t("all its labelled texts"),
            horizontal=True,
            key=f"score_part_{run.id}",
        )
    name = _job_name(dataset, part)
    from core.workers import side_job

    job = side_job(run, name)
    running = job is not None and job.get("state") in ("starting", "running")
    clicked = st.button(
        t("Score on it again") if job and job.get("state") == "done" else t("Score on it"),
        key=f"score_go_{run.id}",
        icon=":material/play_arrow:",
        disabled=running,
    )
    # not "{name}.json": that is the job's own record, which the report replaced
    spec = {"dataset": dataset, "part": part, "report": f"{name}.report.json", "mistakes": f"{name}.mistakes.parquet"}
    if clicked and jobs.start_job(run, name, "score", spec):
        job = side_job(run, name)
        running = True
    if job is None:
        return
    if running:
        jobs.watch(run, name, t("Scoring in the background"))
        return
    if job.get("state") == "failed":
        st.error(t("Could not score it: {error}", error=md(tm(job.get("error") or ""))), icon=":material/error:")
        return
    if job.get("state") != "done":  # stopped: a click starts it again
        return
    try:
        report = json.loads((run.path / "jobs" / job["result"]["report"]).read_text(encoding="utf-8"))
        mistakes = pd.read_parquet(run.path / "jobs" / f"{name}.mistakes.parquet")
    except (OSError, ValueError, KeyError, TypeError):
        st.info(t("The scores of the last scoring are gone: score it again."), icon=":material/history:")
        return
    if _stale(run, job, dataset, report):
        st.info(
            t(
                "These scores are of weights, texts or class names that have changed since (the run was trained "
                "again, or the dataset imported again or its classes renamed): score it again."
            ),
            icon=":material/update:",
        )
        return
    _show(run, report, mistakes, dataset)


def _against_words(own: float, report: dict) -> str:
    """What the accuracy's change is against: the run's own test split, or its own test texts of the classes
    that are here (against all of them, a hard class left out read as a gain of the new source)."""
    if report.get("own_same_classes"):
        present = sum(1 for row in report["per_class"] if row["support"] > 0)
        return t(
            "The change is against its own test texts of these {n} classes ({own}).",
            n=present,
            own=presenter.score(own),
        )
    return t("The change is against its own test split ({own}).", own=presenter.score(own))


def _show(run, report: dict, mistakes: pd.DataFrame, dataset: str) -> None:
    from core.evaluation import accuracy_range, most_confused
    from core.export import for_spreadsheets, safe_csv

    own = report.get("own_accuracy")
    seen = report.get("seen_in_training")
    rest = report.get("unseen")
    # the headline is a test: where the run learned from some of the texts, its score on the others (0.9806 over
    # every text stood above a change that was the unseen texts' alone)
    honest = rest if seen and rest else report
    columns = st.columns(3)
    change = 100 * (float(honest["accuracy"]) - float(own)) if own is not None and (not seen or rest) else None
    shown = round(change, 1) if change is not None else None
    columns[0].metric(
        t("Accuracy on texts it never learned") if honest is rest else t("Accuracy"),
        presenter.score(float(honest["accuracy"])),  # as the page's own scores above read
        delta=t("{delta:+.1f} pt", delta=change) if change is not None else None,
        # a "+0.0" is no change: no green arrow up (Streamlit colours a delta by its sign)
        **({"delta_arrow": "off"} if shown == 0 and "delta_arrow" in inspect.signature(st.metric).parameters else {}),
        delta_color="off" if shown == 0 else "normal",
    )
    columns[1].metric(t("Macro-F1"), presenter.score(float(honest["macro_f1"])))
    columns[2].metric(t("texts scored"), f"{int(honest['n']):,}")
    low, high = accuracy_range(float(honest["accuracy"]), int(honest["n"]))
    notes = [
        _against_words(own, report) if change is not None else "",
        t("95% range of the accuracy: {low} to {high}.", low=presenter.score(low), high=presenter.score(high)),
    ]
    unknown = report.get("unknown_labels") or {}
    if unknown:
        left_out = sum(int(v) for v in unknown.values())
        notes.append(
            plural(
                t(
                    "{n:,} text(s) of classes this run never learned were left out: {classes}.",
                    n=left_out,
                    classes=md(", ".join(f"{label} ({count:,})" for label, count in unknown.items())),
                ),
                left_out,
            )
        )
    if seen is None and report.get("trained_texts_unknown") == "changed":
        notes.append(
            t(
                "This run's own dataset was imported again since it trained (other rows under the same id), so which "
                "of these texts it learned from cannot be told."
            )
        )
    elif seen is None:
        notes.append(t("This run's own dataset is gone, so whether it learned from any of these texts cannot be told."))
    elif seen:
        notes.append(
            t(
                "The run learned from {seen:,} of these {total:,} texts, so on them this is no test: the scores above "
                "are of the other {n:,}, and the table below is of all {total:,} (accuracy {accuracy}).",
                seen=int(seen),
                n=int(rest["n"]),
                total=int(report["n"]),
                accuracy=presenter.score(float(report["accuracy"])),
            )
            if rest
            else t(
                "The run learned from all {total:,} of these texts, so this is no test of it.", total=int(report["n"])
            )
        )
    learned = report.get("learned_from_dataset")
    if report.get("part") == "test" and learned == 0 and int(report.get("labelled_texts") or 0) > int(report["n"]):
        notes.append(
            t(
                "The run learned from none of this dataset's {total:,} labelled texts, so every one of them is a test: "
                "score all of them for a surer figure.",
                total=int(report["labelled_texts"]),
            )
        )
    st.caption(i18n.sentences(*[note for note in notes if note]))
    labels = report["labels"]
    present = [i for i, row in enumerate(report["per_class"]) if row["support"] > 0]
    left, right = st.columns([5, 6])
    with left:
        per_class = pd.DataFrame([report["per_class"][i] for i in present])
        st.dataframe(
            per_class,
            hide_index=True,
            width="stretch",
            column_order=["label", "support", "f1", "precision", "recall"],
            column_config={
                "label": t("class"),
                # the bare word is another entry's key
                "precision": st.column_config.NumberColumn(
                    "precision" if i18n.lang() == "en" else t("precision (of a class)"), format="%.3f"
                ),
                "recall": st.column_config.NumberColumn(t("recall"), format="%.3f"),
                "f1": st.column_config.NumberColumn("F1", format="%.3f"),
                "support": st.column_config.NumberColumn(t("support"), format="localized"),
            },
        )
    with right:
        keep = most_confused(report["confusion"], 30)
        matrix = [[report["confusion"][i][j] for j in keep] for i in keep]
        st.plotly_chart(
            presenter.scale(
                charts.confusion_heatmap(matrix, [labels[i] for i in keep], [sum(report["confusion"][i]) for i in keep])
            ),
            key=f"score_confusion_{run.id}",
        )
    if mistakes.empty:
        st.success(t("No mistakes: every scored text is classified as labelled."), icon=":material/check_circle:")
        return
    st.caption(
        t(
            "{wrong:,} of {total:,} texts are classified otherwise than labelled; the most confident come first.",
            wrong=len(mistakes),
            total=int(report["n"]),
        )
    )
    from core.data import FILE_ROW

    file_row = [FILE_ROW] if FILE_ROW in mistakes.columns else []  # where the dataset keeps its file's rows
    st.dataframe(
        mistakes.head(SHOWN_MISTAKES).assign(
            confidence=i18n.confidence_percent(mistakes["confidence"].head(SHOWN_MISTAKES))
        ),
        hide_index=True,
        width="stretch",
        column_order=[*file_row, "label", "pred", "confidence", "text"],
        column_config={
            FILE_ROW: st.column_config.NumberColumn(t("row in file"), format="%d"),
            "text": t("text"),
            "label": t("true label"),
            "pred": t("prediction"),
            "confidence": st.column_config.NumberColumn(t("confidence"), format=i18n.CONFIDENCE_FORMAT),
        },
    )
    st.download_button(
        t("Download these mistakes as CSV"),
        for_spreadsheets(
            safe_csv(
                mistakes[[*file_row, "text", "label", "pred", "confidence"]].rename(
                    columns={
                        FILE_ROW: t("row in file"),
                        "text": t("text"),
                        "label": t("true label"),
                        "pred": t("prediction"),
                        "confidence": t("confidence"),
                    }
                )
            )
        ),
        file_name=f"{run.id}-on-{dataset}-{report.get('part', 'test')}-mistakes.csv",  # ids are safe in a file name
        mime="text/csv",
        icon=":material/download:",
        key=f"score_download_{run.id}",
    )
