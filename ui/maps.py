"""Projections run off the script thread, one at a time, remembered per server."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import streamlit as st

from core.projection import place  # noqa: F401  (the pages call maps.place)


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
