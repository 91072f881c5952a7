"""Process-wide objects, created once per server and shared by every session."""

from __future__ import annotations

import streamlit as st


def predictor(run_id: str, stamp: str):
    """A run's predictor (eval mode), rebuilt when the run's files change (``run_stamp``)."""
    from ui.i18n import t

    with st.spinner(t("Loading the model…")):
        return _predictor(run_id, stamp)


@st.cache_resource(show_spinner=False, max_entries=6)
def _predictor(run_id: str, stamp: str):
    from core.inference import Predictor
    from core.registry import RunStore

    return Predictor.from_run(RunStore().get(run_id).path)


STAMPED_FILES = ("model.safetensors", "config.json", "points.parquet", "embeddings.npy")


def run_stamp(run) -> str:
    """What the cached objects of a run are built from, as a key: size, time and inode of its
    weights, config, per-text results and vectors ("-" for a file it has not).

    Keyed on the weights alone, a class rename from the command line (it rewrites the config and
    the per-text results, not the weights) kept the old names on every page until a restart.
    """
    parts = []
    for name in STAMPED_FILES:
        try:
            stat = (run.path / name).stat()
        except OSError:
            parts.append("-")
            continue
        parts.append(f"{stat.st_size}.{stat.st_mtime_ns}.{stat.st_ino}")
    return "/".join(parts)


@st.cache_data(show_spinner=False, max_entries=16)
def dataset_frame(dataset_id: str, sha: str):
    """A stored dataset's rows (cached by content hash)."""
    from core.registry import DatasetStore

    return DatasetStore().load(dataset_id)


@st.cache_data(show_spinner=False, max_entries=16)
def mean_tokens(dataset_id: str, sha: str, max_len: int, sample: int = 2_000) -> float:
    """About how many tokens a Transformer reads of a training text of the dataset, on average
    (``core.text.approximate_tokens`` over a sample of at most ``sample`` texts); 0 with none."""
    from core.text import approximate_tokens

    frame = dataset_frame(dataset_id, sha)
    texts = frame.loc[frame["split"] == "train", "text"].dropna().astype(str)
    if texts.empty:
        return 0.0
    texts = texts.sample(min(sample, len(texts)), random_state=0)
    return float(sum(approximate_tokens(text, max_len) for text in texts) / len(texts))


@st.cache_data(show_spinner=False, max_entries=16)
def window_reading(dataset_id: str, sha: str, max_len: int, sample: int = 300) -> tuple[float, int, int] | None:
    """How much of a typical training text of the dataset a Transformer of ``max_len`` tokens reads: the
    median share of its characters, the median characters read and the median length (a seeded sample,
    estimated as ``core.text.approximate_read_chars`` does); None with no texts."""
    import numpy as np

    from core.text import approximate_read_chars

    frame = dataset_frame(dataset_id, sha)
    texts = frame.loc[frame["split"] == "train", "text"].dropna().astype(str)
    texts = texts[texts.str.len() > 0]
    if texts.empty:
        return None
    texts = texts.sample(min(sample, len(texts)), random_state=0)
    read = [approximate_read_chars(text, max_len) for text in texts]
    shares = [r / len(text) for r, text in zip(read, texts)]
    return float(np.median(shares)), int(np.median(read)), int(texts.str.len().median())


@st.cache_data(show_spinner=False, max_entries=16)
def stored_fingerprint(dataset_id: str, sha: str, labelled: bool) -> str | None:
    """The fingerprint a run trained on the dataset now would record (``core.data.rows_fingerprint``) over
    the rows a classifier (``labelled``) or a pretraining run learns from; None when it cannot be read.
    Without torch: the sidebar asks it on any page, the first one included (cached by content hash)."""
    from core.data import learned_rows, rows_fingerprint
    from core.errors import StudioError
    from core.registry import DatasetStore

    store = DatasetStore()
    try:
        return rows_fingerprint(learned_rows(store.load(dataset_id), labelled), store.info(dataset_id).labels)
    except (StudioError, OSError, ValueError, KeyError):
        return None


@st.cache_data(show_spinner=False, max_entries=16)
def dataset_fingerprint(dataset_id: str, sha: str) -> tuple[str, list[str]] | None:
    """The fingerprint and classes a classifier trained on the dataset now would record
    (``Splits.fingerprint``), or None when it cannot be read or trained on (cached by content hash)."""
    from core.errors import StudioError
    from core.registry import DatasetStore
    from core.training.runner import load_splits

    try:
        splits = load_splits(dataset_id, DatasetStore())
    except (StudioError, OSError, ValueError):
        return None
    return splits.fingerprint(), list(splits.labels)


def current_fingerprint(dataset_id: str) -> str | None:
    """The fingerprint of ``dataset_id`` as it is stored now (``dataset_fingerprint``), or None."""
    from core.errors import StudioError
    from core.registry import DatasetStore

    try:
        current = dataset_fingerprint(dataset_id, DatasetStore().info(dataset_id).sha256)
    except (StudioError, OSError, ValueError):
        return None
    return current[0] if current else None


@st.cache_data(show_spinner=False, max_entries=16)
def run_reading(run_id: str, stamp: str, dataset: str) -> dict | None:
    """How a Transformer run's own tokeniser and window read ``dataset``'s training texts
    (``core.training.runner.source_reading``), or None where it cannot say (cached by the run's files)."""
    from core.errors import StudioError
    from core.training.runner import source_reading

    try:
        return source_reading(run_id, dataset)
    except (StudioError, OSError, ValueError, KeyError):
        return None


@st.cache_data(show_spinner=False, max_entries=16)
def run_points(run_id: str, stamp: str):
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
