"""Maps that never block a page: a cached map, else PCA at once while UMAP runs in a worker."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core.projection import place  # noqa: F401  (the pages call maps.place)


def _job_name(config, indices: np.ndarray | None) -> str:
    from core.workers import projection_job_name

    name = projection_job_name(config)
    if indices is not None:
        import hashlib

        name += "-" + hashlib.sha1(np.asarray(indices).tobytes()).hexdigest()[:8]
    return name


def request(run, config, indices: np.ndarray | None = None, spot: str | None = None):
    """``(projection, job)``: the map if it is ready (cached UMAP, or PCA computed here at once),
    else ``(None, job record)`` with a UMAP worker started (or already running) for it.

    ``spot``: where the map is drawn (the Embeddings page's "map_main", say); a new UMAP for the same
    spot stops the one this session started there under older settings (``supersede``)."""
    from core.projection import cached_projection

    if config.method == "pca":
        return pca_now(run, config, indices), None
    projection = cached_projection(run.path, config, indices)
    if projection is not None:
        return projection, None
    from core.errors import StudioError
    from core.workers import failed_before_vectors_changed, side_job, start_side_job, write_job_file

    name = _job_name(config, indices)
    job = side_job(run, name)
    if (
        job is None
        or job.get("state") not in ("starting", "running", "failed")
        or failed_before_vectors_changed(run, job)
    ):
        if spot is not None:
            supersede(run, name, spot)
        spec = {"config": dict(config.__dict__)}
        if indices is not None:
            spec["indices"] = write_job_file(run, f"{name}.indices.npy", _npy_bytes(np.asarray(indices)))
        try:
            job = start_side_job(run, name, "project", spec)
        except StudioError as exc:  # a full or read-only home: said where the map's failure is said
            job = {"name": name, "state": "failed", "error": str(exc)}
    return None, job


SUPERSEDED = "Stopped: the map's settings changed before it was drawn."


def supersede(run, name: str, spot: str) -> None:
    """Stop the map worker this session started last at ``spot`` for another map (other settings, or
    another run: the right-hand map of "Compare with" shows a different run after each pick).

    Each settings change started a worker of its own, and none was stopped: five steps of the
    Neighbours slider kept six UMAPs of 4,000 texts running at once, each slowing the others (and any
    training) for the one map shown. The Playground's map is another spot than the Embeddings page's.
    """
    from ui.jobs import supersede as stop_previous

    stop_previous(run, name, spot, SUPERSEDED)


def release(*spots: str) -> None:
    """Stop the map workers this session started at ``spots`` (a view that no longer shows their maps)."""
    from ui.jobs import release as stop_at

    stop_at(*spots, reason=SUPERSEDED)


def retry(run, config, indices: np.ndarray | None = None) -> None:
    """Start a failed UMAP job again."""
    from core.workers import write_job_file

    name = _job_name(config, indices)
    spec = {"config": dict(config.__dict__)}
    if indices is not None:
        spec["indices"] = write_job_file(run, f"{name}.indices.npy", _npy_bytes(np.asarray(indices)))
    from ui.jobs import start_job

    start_job(run, name, "project", spec)


def _npy_bytes(array: np.ndarray) -> bytes:
    import io

    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def pca_now(run, config, indices: np.ndarray | None = None):
    """A PCA map of the same rows, computed in milliseconds (never written to the run folder)."""
    from ui.resources import run_stamp

    key = None if indices is None else tuple(np.asarray(indices).tolist())
    return _pca(run.id, run_stamp(run), config.dims, config.max_points, config.seed, config.texts, key)


@st.cache_data(show_spinner=False, max_entries=32)
def _pca(run_id: str, stamp: str, dims: int, max_points: int, seed: int, texts: str, indices: tuple | None):
    from core.projection import ProjectionConfig, Projector, RunProjection, map_indices
    from core.registry import RunStore

    run = RunStore().get(run_id)
    config = ProjectionConfig(method="pca", dims=dims, max_points=max_points, seed=seed, texts=texts)
    rows = np.asarray(indices, dtype=np.int64) if indices is not None else map_indices(run.path, config)
    vectors = run.embeddings(mmap=True)
    coords = Projector(config).fit_transform(np.asarray(vectors[rows]))
    return RunProjection(coords, rows, len(vectors), config)
