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


def delete_button(run) -> None:
    """A button that deletes a (broken) run folder."""
    from core.errors import StudioError
    from core.registry import RunStore

    if st.button(t("Delete this run"), key=f"delete_{run.id}", icon=":material/delete:"):
        try:
            RunStore().delete(run.id)
        except StudioError as exc:
            st.error(md(tm(exc)))
            return
        if get("run") == run.id:
            set("run", None)
        st.rerun()
