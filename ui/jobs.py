"""The job-status fragment: a side job's phase, real progress and elapsed time, polled off the run folder."""

from __future__ import annotations

import re

import streamlit as st

from ui.i18n import t, tm
from ui.safe_text import md

# What a worker says it is doing (core/workers.py, core/projection.py): shown translated
PHASES = (
    "starting",
    "starting a worker",
    "loading the libraries",
    "done",
    "failed",
    "neighbours",
    "layout",
    "reading the file",
    "loading the model",
    "predicting every text",
    "compiling UMAP (first map on this machine, about 15 s)",
    "reading the collection",
    "fitting the search space",
    "loading the source encoder",
    "map before fine-tuning",
    "map after fine-tuning",
    "scoring the separation",
)
# phases with numbers in them (core/search.py, core/alignment.py): the pattern and its message
COUNTED_PHASES = (
    (
        re.compile(r"^embedding ([\d,]+) of ([\d,]+) texts with the source$"),
        "embedding {done} of {total} texts with the source",
    ),
    (re.compile(r"^embedding ([\d,]+) of ([\d,]+) texts$"), "embedding {done} of {total} texts"),
    (re.compile(r"^classifying ([\d,]+) of ([\d,]+) texts$"), "classifying {done} of {total} texts"),
    (
        re.compile(r"^building the approximate index of ([\d,]+) vectors$"),
        "building the approximate index of {done} vectors",
    ),
)


CURVES_EVERY_S = 6.0  # the Train page's loss and accuracy charts
CURVES_YOUNG_EVERY_S = 1.5  # ... in a run's first YOUNG_RUN_S seconds (and while it waits in the queue)
YOUNG_RUN_S = 30.0


def curves_every(status: dict, now: float) -> float:
    """Seconds between redraws of a run's live curves. A young run's come sooner: a demo's 8-second
    run ended before the first redraw at the slow pace, its curves never seen while it trained."""
    started = status.get("started")
    if status.get("state") not in ("queued", "running") or started is None:
        return CURVES_YOUNG_EVERY_S
    return CURVES_YOUNG_EVERY_S if now - float(started) < YOUNG_RUN_S else CURVES_EVERY_S


def start_job(run, name: str, kind: str, spec: dict | None = None) -> bool:
    """Start side job ``name`` of ``run``; False, with the reason on the page, when no worker could start
    (a full or read-only studio home: a button showed a traceback)."""
    from core.errors import StudioError
    from core.workers import start_side_job

    try:
        start_side_job(run, name, kind, spec)
    except StudioError as exc:
        st.error(t("Could not start: {error}", error=md(tm(exc))), icon=":material/error:")
        return False
    return True


def phase_text(phase: str) -> str:
    """A worker's phase in the page's language (a ``name: phase`` of a two-map job too)."""
    if phase in PHASES:
        return t(phase)
    for pattern, message in COUNTED_PHASES:
        found = pattern.match(phase)
        if found:
            numbers = found.groups()
            return t(message, done=numbers[0], total=numbers[-1])
    head, sep, tail = phase.partition(": ")
    if sep and head in PHASES:
        return t("{title}: {status}", title=t(head), status=phase_text(tail))
    return tm(phase)  # a phase this list lacks: translated if the catalogue knows it, else recorded as missing


def describe_job(job: dict) -> tuple[str, float | None]:
    """``("layout · 12 s", 0.4)``: what a side job is doing now, and its share done if known."""
    phase = phase_text(job.get("phase") or job.get("state", ""))
    elapsed = job.get("elapsed_s")
    text = phase + (t(" · {seconds:.0f} s", seconds=elapsed) if elapsed is not None else "")
    fraction = job.get("progress")
    return text, (float(fraction) if isinstance(fraction, (int, float)) else None)


def watch(run, name: str, title: str, every: float = 1.0) -> None:
    """Poll side job ``name`` of ``run`` once a second; redraw the page when it ends."""
    from core.workers import side_job

    @st.fragment(run_every=every)
    def poll() -> None:
        job = side_job(run, name) or {"state": "starting", "phase": "starting a worker"}
        if job.get("state") not in ("starting", "running"):
            st.rerun()  # done or failed: the page draws the result
        text, fraction = describe_job(job)
        caption = t("{title}: {status}", title=title, status=md(text))  # the phase may quote a file or a label
        if fraction is None:  # no share to show (a UMAP layout): an empty bar that never fills read as stuck;
            st.caption(":material/progress_activity: " + caption)  # the status's elapsed seconds show it moving
        else:
            st.caption(caption)
            st.progress(min(1.0, max(0.0, fraction)))

    poll()


def model_ready(run) -> bool:
    """True when the run has its saved model; otherwise say why: not trained yet, or (a finished run)
    the file went missing, with what to do."""
    if run.model_path.is_file():
        return True
    from ui.sidebar import run_title, state_name

    if run.status().get("state") == "done":  # finished, so the file was there: "not yet" sent the user waiting
        st.warning(
            t(
                "The model file of run {run} (model.safetensors) is missing from its folder. Restore it, or start the "
                "run again with the same settings (Start again on the Train page).",
                run=md(run_title(run)),
            ),
            icon=":material/broken_image:",
        )
    else:
        st.info(
            t("Run {run} has no saved model yet ({state}).", run=md(run_title(run)), state=md(state_name(run.status())))
        )
    return False


def artefacts_ready(run, needed_for: str) -> bool:
    """True when the run's per-text results can be used; otherwise say why, with a way to rebuild them.

    ``needed_for`` names what the page would show ("the nearest texts and the map"). A run stopped
    before its evaluation has none yet; a damaged or missing file is named, never a traceback.
    """
    from core.workers import failed_on_older_weights, side_job

    problem = run.artefact_problem()
    if problem is None:
        return True
    job = side_job(run, "evaluate")
    if job is not None and job.get("state") in ("starting", "running"):
        watch(run, "evaluate", t("Rebuilding the per-text results in the background"))
        return False
    if "no per-text results yet" in problem:
        st.info(
            t(
                "This run has no per-text results yet (a stopped run gets them when its checkpoint is evaluated), "
                "so {needed_for} cannot be shown.",
                needed_for=needed_for,
            ),
            icon=":material/info:",
        )
    else:
        st.warning(
            t(
                "The run's per-text results cannot be used: {problem}. They are needed for {needed_for}.",
                problem=md(tm(problem)),
                needed_for=needed_for,
            ),
            icon=":material/broken_image:",
        )
    if job is not None and job.get("state") == "failed" and not failed_on_older_weights(run, job):
        st.error(t("The last rebuild failed: {error}", error=md(tm(job.get("error") or ""))))
    # never evaluated (a stopped run): the same words as on Train and Evaluate, not "again"
    label = (
        t("Evaluate this checkpoint")
        if "no per-text results yet" in problem
        else t("Evaluate the run again (rebuilds them)")
    )
    training = run.status().get("state") in ("queued", "running")  # its trainer evaluates it at the end
    if (
        run.model_path.is_file()
        and not training
        and st.button(label, icon=":material/build:", key=f"rebuild_{run.id}_{needed_for}")
        and start_job(run, "evaluate", "evaluate")  # not started: the reason is on the page
    ):
        st.rerun()
    return False


def rerun_when_done(runs, every: float = 2.0) -> None:
    """Poll ``runs`` (queued or training) and redraw the whole page once none of them is active.

    Runs that are not active are left out: handed a finished one (a baseline whose scores were
    missing), the page redrew itself at once, again and again, half a core for as long as it was open.
    """
    runs = [run for run in runs if run.status().get("state") in ("queued", "running")]
    if not runs:
        return

    @st.fragment(run_every=every)
    def poll() -> None:
        if all(run.status().get("state") not in ("queued", "running") for run in runs):
            st.rerun(scope="app")

    poll()


def supersede(run, name: str, spot: str, reason: str) -> None:
    """Before side job ``name`` of ``run`` starts at ``spot`` (a place on a page), stop the one this
    session started there last if it was another (other settings, another run or collection).

    Only this session's own worker is stopped; another session that still wants it starts it again
    (its record reads "stopped", not "running").
    """
    mine = st.session_state.setdefault("spot_workers", {})
    previous = mine.get(spot)
    if previous and tuple(previous) != (str(run.path), name):
        _stop(*previous, reason=reason)
    mine[spot] = (str(run.path), name)


def release(*spots: str, reason: str) -> None:
    """Stop the side jobs this session started at ``spots`` (a view that no longer shows what they make)."""
    mine = st.session_state.setdefault("spot_workers", {})
    for spot in spots:
        previous = mine.pop(spot, None)
        if previous:
            _stop(*previous, reason=reason)


def _stop(run_path: str, name: str, reason: str) -> None:
    from core.registry import RunDir
    from core.workers import side_job, stop_side_job

    run = RunDir(run_path)
    if run.path.is_dir() and (side_job(run, name) or {}).get("state") in ("starting", "running"):
        stop_side_job(run, name, reason)
