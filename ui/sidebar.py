"""The sidebar on every page: the active dataset and run, with switchers."""

from __future__ import annotations

import streamlit as st

from ui import state

STATE_MARKS = {
    "queued": "◷",
    "running": "▶",
    "done": "✓",
    "stopped": "■",
    "failed": "✗",
    "interrupted": "!",
    "unknown": "?",
}


def run_label(run, status: dict | None = None) -> str:
    """``encoder · task · state · id`` for selectors."""
    cfg, st_ = run.config(), status or run.status()
    enc = cfg.get("encoder", "?")
    if cfg.get("encoder") == "transformer":
        enc += f"-{cfg.get('encoder_config', {}).get('preset', '')}"
    task = "" if cfg.get("task", "classify") == "classify" else f" · {cfg['task']}"
    return f"{STATE_MARKS.get(st_.get('state', 'unknown'), '?')} {enc}{task} · {st_.get('state', '?')} · {run.id}"


def runs_for(dataset: str | None):
    """Runs whose dataset is ``dataset``, newest first."""
    from core.registry import RunStore

    return [r for r in RunStore().list() if dataset is None or r.config().get("dataset") == dataset]


def render() -> None:
    """Draw the sidebar switchers."""
    from core.registry import DatasetStore

    with st.sidebar:
        datasets = DatasetStore().list()
        ids = [d.id for d in datasets]
        current = state.get("dataset")
        if current and current not in ids:
            state.set("dataset", None)
            current = None
        if ids:
            names = {d.id: f"{d.name} · {d.rows:,} rows" for d in datasets}
            # The widget follows the active dataset (set by any page); picking one changes it.
            st.session_state["sidebar_dataset"] = current if current in ids else ids[0]
            if current not in ids:
                state.set("dataset", ids[0])
            st.selectbox("Dataset", ids, format_func=names.get, key="sidebar_dataset", on_change=_pick_dataset)
        else:
            st.caption("No dataset yet: load one on the Data page.")
        runs = runs_for(state.get("dataset"))
        run_ids = [r.id for r in runs]
        active = state.get("run")
        if run_ids:
            labels = {r.id: run_label(r) for r in runs}
            if active not in run_ids:
                active = run_ids[0]
                state.set("run", active)
            st.session_state["sidebar_run"] = active
            st.selectbox("Run", run_ids, format_func=labels.get, key="sidebar_run", on_change=_pick_run)
        elif state.get("dataset"):
            st.caption("No runs on this dataset yet: start one on the Train page.")


def _pick_dataset() -> None:
    state.set("dataset", st.session_state["sidebar_dataset"])
    state.set("run", None)


def _pick_run() -> None:
    state.set("run", st.session_state["sidebar_run"])
