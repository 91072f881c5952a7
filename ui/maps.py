"""Projections run off the script thread, one at a time, remembered per server."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import streamlit as st


@st.cache_resource(show_spinner=False)
def _executor() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="projection")


@st.cache_resource(show_spinner=False)
def _futures() -> dict[tuple, Future]:
    return {}


def request(run, config, indices: np.ndarray | None = None) -> Future:
    """The (possibly finished) projection job of ``run`` with ``config`` on ``indices``."""
    from core.projection import project_run
    from ui.resources import model_stamp

    key = (run.id, model_stamp(run), config.key(), None if indices is None else hash(np.asarray(indices).tobytes()))
    futures = _futures()
    future = futures.get(key)
    if future is None or (future.done() and future.exception() is not None):  # retry after a failure
        future = _executor().submit(project_run, run.path, config, indices)
        futures[key] = future
    return future


def place(query: np.ndarray, vectors: np.ndarray, coords: np.ndarray, k: int = 5) -> np.ndarray:
    """Where a new vector lands on a map: the similarity-weighted mean of its k nearest mapped points."""
    q = query / max(float(np.linalg.norm(query)), 1e-12)
    V = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    sims = V @ q
    top = np.argsort(-sims)[:k]
    weights = np.maximum(sims[top], 1e-6)
    return (coords[top] * weights[:, None]).sum(0) / weights.sum()
