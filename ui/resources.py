"""Process-wide objects, created once per server and shared by every session."""

from __future__ import annotations

import streamlit as st


def predictor(run_id: str, stamp: float):
    """A run's predictor (eval mode), rebuilt when the run's weights change (``stamp``)."""
    from ui.i18n import t

    with st.spinner(t("Loading the model…")):
        return _predictor(run_id, stamp)


@st.cache_resource(show_spinner=False, max_entries=6)
def _predictor(run_id: str, stamp: float):
    from core.inference import Predictor
    from core.registry import RunStore

    return Predictor.from_run(RunStore().get(run_id).path)


def model_stamp(run) -> float:
    """Modification time of a run's weights (0 when there are none)."""
    try:
        return run.model_path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


@st.cache_data(show_spinner=False, max_entries=16)
def dataset_frame(dataset_id: str, sha: str):
    """A stored dataset's rows (cached by content hash)."""
    from core.registry import DatasetStore

    return DatasetStore().load(dataset_id)


@st.cache_data(show_spinner=False, max_entries=16)
def run_points(run_id: str, stamp: float):
    """A run's per-row predictions (``points.parquet``); ArtefactError, with what to do, when damaged."""
    from core.registry import RunStore

    return RunStore().get(run_id).points()


@st.cache_resource(show_spinner=False)
def warm_up() -> bool:
    """Compile UMAP in a background worker process (once per server, and only while the cache is cold);
    False when it could not start. Best effort: it runs on every page, and a full disk (its lock
    record cannot be written) turned each page into a traceback."""
    from core.errors import StudioError
    from core.workers import warm_up_umap_in_worker

    try:
        warm_up_umap_in_worker()
    except (OSError, StudioError):  # the first map then compiles UMAP itself, and says so
        return False
    return True
