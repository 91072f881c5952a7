"""The active dataset and run: kept in the URL (so a refresh finds them) and in the session."""

from __future__ import annotations

import streamlit as st

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


def set(key: str, value: str | None) -> None:  # noqa: A001 - mirrors dict.set semantics
    """Make ``value`` the active ``dataset`` or ``run``; a value that cannot be an id is refused (ValueError)."""
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


def params() -> dict[str, str]:
    """The active ids as query parameters, for ``st.switch_page``."""
    return {k: v for k in KEYS if (v := get(k))}


def require_run():
    """The active run's folder; otherwise say why on the page and stop the script.

    Covers no run at all and a run id (from a link or a refresh) that no longer opens.
    """
    from core.registry import RunStore

    run_id = get("run")
    if not run_id:
        st.info("No active run: start one on the Train page, or pick one in the sidebar.")
        st.page_link("pages/train.py", label="Go to Train", icon=":material/model_training:")
        st.stop()
    try:
        run = RunStore().get(run_id)
    except Exception as exc:
        st.error(f"Run {md(run_id)} cannot be opened: {md(exc)}. Pick another run in the sidebar.")
        st.stop()
    problem = run.problem()
    if problem:
        st.error(f"This run is broken: {md(problem)}", icon=":material/broken_image:")
        delete_button(run)
        st.stop()
    return run


def delete_button(run) -> None:
    """A button that deletes a (broken) run folder."""
    from core.errors import StudioError
    from core.registry import RunStore

    if st.button("Delete this run", key=f"delete_{run.id}", icon=":material/delete:"):
        try:
            RunStore().delete(run.id)
        except StudioError as exc:
            st.error(md(exc))
            return
        if get("run") == run.id:
            set("run", None)
        st.rerun()
