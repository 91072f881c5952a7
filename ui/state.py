"""The active dataset and run: kept in the URL (so a refresh finds them) and in the session."""

from __future__ import annotations

import streamlit as st

from ui.i18n import t, tm
from ui.safe_text import md

KEYS = ("dataset", "run")


def sync() -> None:
    """Make session state and query parameters agree (URL wins: a refresh or a shared link)."""
    missing = {}
    for key in KEYS:
        from_url = st.query_params.get(key)
        if from_url:
            st.session_state[f"active_{key}"] = from_url
        elif st.session_state.get(f"active_{key}"):
            missing[key] = st.session_state[f"active_{key}"]
    if missing:  # one update, one message: each query-parameter change is a browser history entry
        st.query_params.update(missing)


def get(key: str) -> str | None:
    """The active ``dataset`` or ``run`` id, or None."""
    return st.session_state.get(f"active_{key}") or st.query_params.get(key) or None


_NO_RUN = "no_run_on_purpose"  # session key: no run is active because a page asked for none


def set(key: str, value: str | None, on_purpose: bool = False) -> None:  # noqa: A001 - mirrors dict.set semantics
    """Make ``value`` the active ``dataset`` or ``run``; a value that cannot be an id is refused (ValueError).

    ``set("run", None, on_purpose=True)`` keeps the sidebar from opening a run of its own choosing
    until one is picked or started: "Fine-tune it" opens the New run form, and the sidebar put the
    dataset's newest run back as the active one, which closed the form again.
    """
    if key == "run":
        if value or not on_purpose:
            st.session_state.pop(_NO_RUN, None)
        else:
            st.session_state[_NO_RUN] = True
    if value:
        from core.storage import validate_id

        validate_id(value, key)  # never a display label in the URL
        st.session_state[f"active_{key}"] = value
        if st.query_params.get(key) != value:  # an unchanged parameter must not add a history entry
            st.query_params[key] = value
    else:
        st.session_state.pop(f"active_{key}", None)
        if key in st.query_params:
            del st.query_params[key]


def no_run_on_purpose() -> bool:
    """Whether no run is active because a page asked for none (the sidebar then picks none)."""
    return bool(st.session_state.get(_NO_RUN))


def restore_widgets(*keys: str) -> None:
    """Put back the values the widgets ``keys`` held when this page was last drawn: Streamlit drops a
    widget's value once a page without it runs (the map came back 2-D, coloured by label, after a look
    at the Playground). Call before the widgets are drawn, and ``keep_widgets`` after."""
    for key in keys:
        if key not in st.session_state and f"kept:{key}" in st.session_state:
            st.session_state[key] = st.session_state[f"kept:{key}"]


def keep_widgets(*keys: str) -> None:
    """Remember the widgets ``keys``'s values for ``restore_widgets`` (a plain key outlives its page)."""
    for key in keys:
        if key in st.session_state:
            st.session_state[f"kept:{key}"] = st.session_state[key]


def params() -> dict[str, str]:
    """The active ids (and presenter mode) as query parameters, for links and ``st.switch_page``."""
    from ui import i18n, presenter

    out = {k: v for k in KEYS if (v := get(k))}
    if presenter.active():
        out[presenter.PARAM] = "1"
    if st.query_params.get(i18n.PARAM) in i18n.LANGUAGES:  # chosen by hand: links keep it
        out[i18n.PARAM] = st.query_params[i18n.PARAM]
    return out


def require_run():
    """The active run's folder; otherwise say why on the page and stop the script.

    Covers no run at all and a run id (from a link or a refresh) that no longer opens.
    """
    from core.registry import RunStore

    run_id = get("run")
    if not run_id:
        st.info(t("No active run: start one on the Train page, or pick one in the sidebar."))
        st.page_link("pages/train.py", label=t("Go to Train"), icon=":material/model_training:", query_params=params())
        st.stop()
    try:
        run = RunStore().get(run_id)
    except Exception as exc:
        st.error(
            t(
                "Run {run} cannot be opened: {error}. Pick another run in the sidebar.",
                run=md(run_id),
                error=md(tm(exc)),
            )
        )
        st.stop()
    problem = run.problem()
    if problem:
        st.error(t("This run is broken: {problem}", problem=md(tm(problem))), icon=":material/broken_image:")
        delete_button(run)
        st.stop()
    return run


def confirm(key: str, question: str, action: str, *, where=None) -> bool:
    """Two steps: a first button (in ``where``, a column, when given) asks, a second one (or Cancel)
    answers. True when confirmed. Every delete in the app asks through this one."""
    flag = f"confirm_{key}"
    if not st.session_state.get(flag):
        if (where or st).button(t("{action}…", action=action), key=f"ask_{key}", icon=":material/delete:"):
            st.session_state[flag] = True
            st.rerun()
        return False
    st.warning(question, icon=":material/warning:")
    yes, no, _ = st.columns([1, 1, 3])  # side by side: in two halves, Cancel floated mid-row
    if no.button(t("Cancel"), key=f"cancel_{key}"):
        st.session_state.pop(flag, None)
        st.rerun()
    if yes.button(action, key=f"yes_{key}", type="primary"):
        st.session_state.pop(flag, None)
        return True
    return False


def delete_button(run) -> None:
    """Repair or delete a broken run folder: "Evaluate again" where only its evaluation is damaged
    (its weights are sound), and a delete that asks once more. One click deleted a run whose
    ``eval.json`` alone was damaged, weights, featuriser and checkpoint with it."""
    from core.errors import StudioError
    from core.registry import RunStore

    repairable = evaluation_only_damage(run)
    cols = st.columns([1, 1, 3])
    if repairable:
        from core.workers import failed_on_older_weights, side_job
        from ui.jobs import start_job, watch

        job = side_job(run, "evaluate")
        if job is not None and job.get("state") in ("starting", "running"):
            watch(run, "evaluate", t("Evaluating the run again"))  # redraws the page when it ends
            return
        if job is not None and job.get("state") == "failed" and not failed_on_older_weights(run, job):
            st.error(t("The evaluation failed: {error}", error=md(tm(job.get("error") or ""))))
        if cols[0].button(t("Evaluate again"), key=f"reevaluate_{run.id}", icon=":material/build:") and start_job(
            run, "evaluate", "evaluate"
        ):
            st.rerun()
    question = (
        t("Delete run {run} and everything in its folder, its weights too? This cannot be undone.", run=md(run.id))
        if not repairable
        else t(
            "Delete run {run}, its weights too? They are sound: Evaluate again repairs the run instead. "
            "This cannot be undone.",
            run=md(run.id),
        )
    )
    if confirm(f"broken_run_delete_{run.id}", question, t("Delete this run"), where=cols[1 if repairable else 0]):
        try:
            RunStore().delete(run.id)
        except StudioError as exc:
            st.error(md(tm(exc)))
            return
        if get("run") == run.id:
            set("run", None)
        st.rerun()


def evaluation_only_damage(run) -> bool:
    """True when a run's config reads and its weights are there, and only ``eval.json`` is damaged:
    evaluating it again rewrites that file."""
    from core.errors import BrokenRunError

    try:
        run.config()
    except BrokenRunError:
        return False
    try:
        run.eval()
    except BrokenRunError:
        from core.bundle import model_problem

        # "their weights are sound" only where the file's header and sizes add up
        return model_problem(run) is None and run.status().get("state") not in ("queued", "running")
    return False
