"""Datasets and runs on disk, under the studio home (``$ENCODER_STUDIO_HOME``).

``datasets/<id>/`` holds ``data.parquet`` (text, label, split, lang) and ``meta.json``.
``runs/<id>/`` holds config, status, metrics, weights and artefacts (see ``RunDir``).
Every write is atomic; every id is validated and every path checked to stay in the home.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.errors import ArtefactError, BrokenRunError, DataError, StudioError, UnknownDatasetError, UnknownRunError
from core.storage import (
    atomic_save,
    atomic_write_json,
    atomic_write_text,
    home_write_error,
    read_json,
    safe_child,
    slugify,
    studio_home,
    validate_id,
)

# what a data file is called: a --dataset ending so is a file meant to be imported, not a dataset's name
FILE_SUFFIXES = (".csv", ".tsv", ".txt", ".jsonl", ".json", ".ndjson", ".xlsx", ".parquet")
RUN_STATES = ("queued", "running", "done", "stopped", "failed", "interrupted")
# A run is queued a moment before its worker process takes the lease: not "interrupted" yet.
QUEUE_GRACE_S = 10.0
# what a run's config.json keeps in each field, as core.training.runner.RunConfig types them (a test checks
# that the two agree): a hand-edited "train": "fast" was listed as a sound run, and broke the Train page of
# every run on its dataset and each resume, restart and evaluation of the run itself
_CONFIG_SHAPES: dict[str, tuple[type, str]] = {
    "dataset": (str, "text"),
    "encoder": (str, "text"),
    "task": (str, "text"),
    "name": (str, "text"),
    "encoder_config": (dict, "a group of settings"),
    "train": (dict, "a group of settings"),
    "labels": (list, "a list of class names"),
    "label_fraction": (float, "a number"),
    "mask_rate": (float, "a number"),
    "vocab_run": (str, "text"),
    "corpus": (str, "text"),
    "source_run": (str, "text"),
    "source_dataset": (str, "text"),
    "source_task": (str, "text"),
    "finetune": (dict, "a group of settings"),
}


_STAGING = ".staging-"
STAGING_STALE_S = 600.0


_FINITE: dict[tuple[str, int, int, int], bool] = {}  # (path, size, mtime, inode) → every value finite
_FINITE_LOCK = threading.Lock()
FINITE_CHUNK_ROWS = 65_536


def _all_finite(path: Path) -> bool:
    """Whether every value of the .npy file at ``path`` is finite; read once per version of the file
    (in chunks, memory-mapped) and remembered, so a page view pays for it once per server."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns, stat.st_ino)
    with _FINITE_LOCK:
        if key in _FINITE:
            return _FINITE[key]
    vectors = np.load(path, mmap_mode="r", allow_pickle=False)
    finite = all(
        bool(np.isfinite(vectors[start : start + FINITE_CHUNK_ROWS]).all())
        for start in range(0, len(vectors), FINITE_CHUNK_ROWS)
    )
    with _FINITE_LOCK:
        if len(_FINITE) > 256:  # old versions of files: never asked for again
            _FINITE.clear()
        _FINITE[key] = finite
    return finite


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # alive, owned by someone else
        return True
    return True


def _sweep_staging(root: Path) -> None:
    """Remove staging folders left in ``root`` by processes that died (a kill mid-import or mid-create).

    Only folders older than ``STAGING_STALE_S``: on a home shared between machines, a pid that is dead
    here may be alive on the machine that made the folder, and an import takes seconds, not minutes.
    """
    for folder in root.glob(f"{_STAGING}*"):
        try:
            pid = int(folder.name.rsplit("-", 2)[-2])
            old = time.time() - folder.stat().st_mtime > STAGING_STALE_S
        except (ValueError, IndexError, OSError):
            continue
        if old and not _pid_alive(pid):
            shutil.rmtree(folder, ignore_errors=True)


def _remove_folder(folder: Path, root: Path, name: str) -> None:
    """Delete ``folder`` by renaming it out of sight first, in one step: a delete killed half-way left a
    run with its model and scores but no metrics, listed as a sound run. What a kill leaves now is a
    hidden staging folder, which ``_sweep_staging`` removes."""
    _sweep_staging(root)
    doomed = root / f"{_STAGING}{name}-deleted-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    os.rename(folder, doomed)
    shutil.rmtree(doomed, ignore_errors=True)


def forget_search_indexes(home: Path, collection_key: str) -> int:
    """Delete every run's search index of the collection ``collection_key`` (a dataset's id, or
    ``upload-<id>``); how many there were. Each held a copy of the collection's texts: a dataset
    deleted for its contents stayed on disk in the run folders it had been searched from."""
    from core.storage import safe_child, validate_id

    key = validate_id(collection_key, "collection id")
    root = Path(home) / "runs"
    gone = 0
    for run_folder in root.iterdir() if root.is_dir() else ():
        index = safe_child(run_folder / "search", key) if run_folder.is_dir() else None
        if index is not None and index.is_dir():
            shutil.rmtree(index, ignore_errors=True)
            gone += 1
    return gone


def _now() -> float:
    return round(time.time(), 3)


def new_id(prefix: str, fallback: str = "dataset") -> str:
    """A readable, unique, path-safe id: ``<prefix>-<yyyymmdd-hhmmss>-<4 hex>``.

    A prefix with nothing id-safe in it (a Chinese name) gives way to ``fallback``.
    """
    return f"{slugify(prefix, fallback)}-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:4]}"


# a run's side jobs (core.workers.SIDE_JOBS) as a refusal names them
SIDE_JOB_WORDS = {
    "project": "map",
    "evaluate": "checkpoint evaluation",  # "a evaluation job" read wrong
    "predict": "batch prediction",
    "search": "search index",
    "shift": "before-and-after map",
    "score": "scoring",  # on another dataset
}


# --------------------------------------------------------------------------- datasets


@dataclass
class DatasetInfo:
    """What ``meta.json`` says about a stored dataset."""

    id: str
    name: str
    source: str
    rows: int
    labels: list[str]
    languages: dict[str, int]
    split_counts: dict[str, int]
    sha256: str
    created: float
    split: dict[str, Any]
    labelled: bool = True
    tags: list[str] = field(default_factory=list)
    columns: dict[str, Any] = field(default_factory=dict)  # how the file was read: text columns, label, header, quoting
    # a digest of each text's row in its file ("" where none are kept): the rows a search index shows
    file_rows: str = ""

    @property
    def rows_and_places(self) -> str:
        """``sha256``, and where the texts stand in their file: what a search index (which shows both) was
        built from. The same rows imported again from a file with a title line added are other places."""
        return f"{self.sha256}:{self.file_rows}" if self.file_rows else self.sha256

    def __post_init__(self) -> None:
        # a hand-edited or foreign meta.json ("created": null, "rows": "240") broke every page that
        # sorts or formats the list: refused here, so it is listed as damaged instead
        kinds = {
            "id": str,
            "name": str,
            "source": str,
            "rows": int,
            "labels": list,
            "languages": dict,
            "split_counts": dict,
            "sha256": str,
            "created": (int, float),
            "split": dict,
            "labelled": bool,
            "tags": list,
            "columns": dict,
            "file_rows": str,
        }
        for name, kind in kinds.items():
            value = getattr(self, name)
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise TypeError(
                    f"meta.json: {name} is {type(value).__name__}, not {getattr(kind, '__name__', 'a number')}"
                )
        if not all(isinstance(label, str) for label in self.labels):
            raise TypeError("meta.json: labels must be text")

    @property
    def n_classes(self) -> int:
        """Number of classes."""
        return len(self.labels)


class DatasetStore:
    """Stored datasets: ``save``, ``load``, ``info``, ``list``, ``delete``."""

    def __init__(self, home: Path | None = None):
        self.home = Path(home or studio_home())
        self.root = self.home / "datasets"

    def path(self, dataset_id: str) -> Path:
        """Folder of a dataset (validated)."""
        return safe_child(self.root, validate_id(dataset_id, "dataset id"))

    def exists(self, dataset_id: str) -> bool:
        """True when the dataset is stored."""
        try:
            return (self.path(dataset_id) / "meta.json").is_file()
        except Exception:
            return False

    def same_rows_as(self, info: DatasetInfo) -> DatasetInfo | None:
        """Another stored dataset with exactly ``info``'s rows and split (the same content digest), or None."""
        return next((d for d in self.list() if d.id != info.id and d.sha256 == info.sha256), None)

    def save(
        self,
        frame: pd.DataFrame,
        name: str,
        source: str,
        split: dict[str, Any],
        dataset_id: str | None = None,
        overwrite: bool = False,
        columns: dict[str, Any] | None = None,
    ) -> DatasetInfo:
        """Store a cleaned frame with columns text, label, split (and optionally lang)."""
        from core.text import detect_language

        missing = {"text", "label", "split"} - set(frame.columns)
        if missing:
            raise DataError(f"cannot store a dataset without columns {sorted(missing)}")
        dataset_id = validate_id(dataset_id or new_id(name), "dataset id")
        folder = self.path(dataset_id)
        exists_message = f"A dataset with id {dataset_id!r} exists already; pick another id."
        if folder.exists() and not overwrite:
            if not (folder / "meta.json").exists():
                exists_message = self._no_meta(dataset_id)
            raise DataError(exists_message)
        from core.catalog import BUILTINS

        if dataset_id in BUILTINS and source != f"builtin:{dataset_id}":  # the demo and --dataset mean the built-in
            raise DataError(f"{dataset_id!r} is the id of a built-in dataset; pick another id.")
        frame = frame.reset_index(drop=True).copy()
        if "lang" not in frame.columns:
            frame["lang"] = [detect_language(t) for t in frame["text"]]
        from core.data import FILE_ROW

        # each text's row in the user's file, where the frame knows it (not a built-in's or a corpus sample's)
        frame = frame[["text", "label", "split", "lang", *([FILE_ROW] if FILE_ROW in frame.columns else [])]]
        frame["label"] = frame["label"].astype(object)
        # the digest of the rows alone, as before the row numbers were kept: the same file reads as the same
        payload = frame[["text", "label", "split", "lang"]].to_csv(index=False).encode("utf-8")
        labelled = bool(frame["label"].notna().any())
        info = DatasetInfo(
            id=dataset_id,
            name=name,
            source=source,
            rows=len(frame),
            labels=sorted(frame["label"].dropna().astype(str).unique().tolist()) if labelled else [],
            languages={str(k): int(v) for k, v in frame["lang"].value_counts().items()},
            split_counts={str(k): int(v) for k, v in frame["split"].value_counts().items()},
            sha256=hashlib.sha256(payload).hexdigest(),
            created=_now(),
            split=split,
            labelled=labelled,
            columns=dict(columns or {}),
            file_rows=(
                hashlib.sha256(",".join(map(str, frame[FILE_ROW].tolist())).encode()).hexdigest()[:16]
                if FILE_ROW in frame.columns
                else ""
            ),
        )
        self.root.mkdir(parents=True, exist_ok=True)
        _sweep_staging(self.root)
        # Written in a hidden staging folder and renamed into place in one step: a kill or a full disk
        # mid-import leaves no half dataset under the id, and of two imports under one id one is refused.
        staging = self.root / f"{_STAGING}{dataset_id}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        try:
            staging.mkdir()
            atomic_save(staging / "data.parquet", lambda tmp: frame.to_parquet(tmp, index=False))
            atomic_write_json(staging / "meta.json", info.__dict__)
            retired = None
            if overwrite and folder.exists():  # set aside, not deleted, until the new copy is in place
                retired = self.root / f"{_STAGING}{dataset_id}-old-{os.getpid()}-{uuid.uuid4().hex[:6]}"
                os.rename(folder, retired)
            try:
                os.rename(staging, folder)
            except OSError:  # the id was taken meanwhile (a non-empty folder is never replaced)
                if retired is not None:
                    os.rename(retired, folder)
                raise DataError(exists_message) from None
            if retired is not None:
                shutil.rmtree(retired, ignore_errors=True)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return info

    def _no_meta(self, dataset_id: str) -> str:
        return (
            f"The folder of dataset {dataset_id!r} holds no dataset (an import was interrupted, or files were "
            f"copied in by hand). Delete it (python -m core data delete --dataset {dataset_id} --yes) and "
            "import again."
        )

    def info(self, dataset_id: str) -> DatasetInfo:
        """The metadata of a stored dataset."""
        meta = self.path(dataset_id) / "meta.json"
        if not meta.is_file():
            if meta.parent.is_dir():
                raise DataError(self._no_meta(dataset_id))
            raise UnknownDatasetError(
                f"No dataset {dataset_id!r} in {self.root}. python -m core data list shows the stored datasets "
                "with their ids and names."
            )
        try:
            return DatasetInfo(**read_json(meta))
        except (ValueError, TypeError, UnicodeDecodeError, OSError) as exc:
            raise DataError(self._damaged(dataset_id, "meta.json", exc)) from None

    def _damaged(self, dataset_id: str, name: str, exc: BaseException) -> str:
        # pyarrow names the file by its full path: the server's folders are not the reader's business
        detail = str(exc).replace(str(self.path(dataset_id) / name), name)[:80]
        return (
            f"Dataset {dataset_id!r}: {name} is damaged ({type(exc).__name__}: {detail}). Delete the dataset "
            f"(python -m core data delete --dataset {dataset_id} --yes) and import its file again; "
            "runs trained on it keep their models unless they are deleted with it."
        )

    def broken(self) -> list[tuple[str, str]]:
        """Dataset folders whose ``meta.json`` cannot be read, each with the reason."""
        if not self.root.is_dir():
            return []
        out = []
        for folder in sorted(self.root.iterdir()):
            if folder.name.startswith(".") or not folder.is_dir():
                continue
            try:
                self.info(folder.name)
            except (DataError, ValueError) as exc:
                out.append((folder.name, str(exc)))
        return out

    def resolve(self, ref: str) -> str:
        """The id of the dataset ``ref`` means: an id, a built-in's name, or a stored dataset's name
        (when exactly one dataset has it; several are listed so the user can pick an id)."""
        from core.catalog import BUILTINS

        if self.exists(ref) or ref in BUILTINS:
            return ref
        try:
            if self.path(ref).is_dir():  # a folder without a dataset: info() says what to do with it
                return ref
        except StudioError:
            pass
        named = [d for d in self.list() if d.name == ref] or [d for d in self.list() if d.name.lower() == ref.lower()]
        if len(named) == 1:
            return named[0].id
        if named:
            listing = "; ".join(f"{d.id} ({d.rows:,} rows)" for d in named)
            raise UnknownDatasetError(f"{len(named)} datasets are named {ref!r}: {listing}. Give one of these ids.")
        looks_like_a_file = "/" in ref or "\\" in ref or Path(ref).suffix.lower() in FILE_SUFFIXES
        raise UnknownDatasetError(
            f"No dataset {ref!r} (by id or by name). python -m core data list shows the stored datasets; "
            f"the built-ins are {', '.join(BUILTINS)}."
            + (
                f" To train on a file, import it first: python -m core data import {ref} --name <a name>."
                if looks_like_a_file
                else ""
            )
        )

    def load(self, dataset_id: str) -> pd.DataFrame:
        """The rows of a stored dataset (text, label, split, lang)."""
        self.info(dataset_id)
        try:
            return pd.read_parquet(self.path(dataset_id) / "data.parquet")
        except Exception as exc:  # pyarrow raises several types for a truncated or foreign file
            raise DataError(self._damaged(dataset_id, "data.parquet", exc)) from None

    def list(self) -> list[DatasetInfo]:
        """All stored datasets, newest first."""
        if not self.root.is_dir():
            return []
        out = []
        for folder in self.root.iterdir():
            if not folder.name.startswith(".") and (folder / "meta.json").is_file():
                try:
                    out.append(DatasetInfo(**read_json(folder / "meta.json")))
                except Exception:  # a half-written or foreign folder is skipped, not fatal
                    continue
        return sorted(out, key=lambda d: -d.created)

    def delete(self, dataset_id: str, with_runs: bool = False) -> None:
        """Remove a dataset folder; refused (StudioError) while a run on it is queued or training,
        which would then fail with "No dataset". Its finished runs keep their files, unless
        ``with_runs``: then they go too (the pages list runs by dataset, so they were out of reach),
        all or none, ensembles before their members."""
        folder = self.path(dataset_id)
        if not folder.is_dir():
            raise UnknownDatasetError(f"No dataset {dataset_id!r}.")
        run_store = RunStore(self.home)
        runs = run_store.on_dataset(dataset_id)
        busy = [run.id for run in runs if run.owner() is not None or run.status().get("state") in ("queued", "running")]
        if busy:
            raise StudioError(
                f"Run {busy[0]} is queued or training on dataset {dataset_id!r}; wait for it or stop it, then delete "
                "the dataset."
            )
        if with_runs:
            going = {run.id for run in runs}
            for run in runs:
                refused = run_store.deletion_refused(run.id, going)
                if refused:
                    raise StudioError(f"{refused} Nothing was deleted.")
            for run in sorted(runs, key=lambda r: r.config().get("encoder") != "ensemble"):
                run_store.delete(run.id, going)
        _remove_folder(folder, self.root, dataset_id)
        forget_search_indexes(self.home, dataset_id)  # copies of its texts, in the runs it was searched from

    def ensure_builtin(self, name: str, split: Any = None) -> DatasetInfo:
        """Import a built-in dataset under its own name (once), and return its info."""
        from core.catalog import BUILTINS, load_builtin
        from core.data import FILE_ROW, DataLimits, SplitConfig, clean, stratified_split

        if self.exists(name):
            return self.info(name)
        split = split or SplitConfig()
        raw = load_builtin(name)
        limits = DataLimits(max_text_chars=20_000)
        # keeps the catalog's lang column; the row numbers are the package's, of no use to find a text by
        frame = clean(raw, limits).drop(columns=[FILE_ROW])
        frame["split"] = stratified_split(frame["label"], split)
        folder = self.path(name)
        if folder.is_dir() and not (folder / "meta.json").exists():
            shutil.rmtree(folder, ignore_errors=True)  # left by an old interrupted import: the built-in is ours to redo
        try:
            return self.save(frame, BUILTINS[name].title, f"builtin:{name}", split.__dict__, dataset_id=name)
        except DataError:  # another process imported it at this moment: the same rows, so its copy is as good
            if not self.exists(name):
                raise
            return self.info(name)


# --------------------------------------------------------------------------- runs

_STATUS_NUMBERS = (
    "progress",
    "train_seconds",
    "train_seconds_before",
    "checkpoint_seconds",
    "eta_s",
    "member_eta_s",
    "created",
    "updated",
    "started",
    "ended",
    "queued_at",
)


# status fields that hold a group of values (``{"member 1": "run id"}``, versions, the source's facts)
_STATUS_GROUPS = ("member_runs", "member_runs_unfinished", "source_facts", "before_queue", "versions")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _report_problem(report: dict) -> str | None:
    """What makes an evaluation report unusable (missing or mistyped fields), or None."""
    for key in ("encoder", "dataset"):
        if not isinstance(report.get(key), str):
            return f"has no {key}"
    if not _is_number(report.get("n")):
        return "has no count of texts (n)"
    if report.get("task") == "pretrain":
        numbers = ("mlm_loss", "masked_accuracy", "perplexity")
    else:
        numbers = ("accuracy", "macro_f1")
        if not isinstance(report.get("labels"), list):
            return "has no list of labels"
    for key in numbers:
        value = report.get(key)
        if not (_is_number(value) or (value is None and report.get("task") == "pretrain")):
            return f"has no number for {key} (found {str(value)[:20]!r})"
    if "n_parameters" in report and not _is_number(report["n_parameters"]):
        return "has a bad n_parameters"
    if report.get("task") != "pretrain":
        # what Evaluate and Compare draw from: a hand-edited report without them was a KeyError on the page
        per_class = report.get("per_class")
        if not (
            isinstance(per_class, list)
            and len(per_class) == len(report["labels"])
            and all(isinstance(c, dict) and all(_is_number(c.get(k)) for k in PER_CLASS_NUMBERS) for c in per_class)
        ):
            return "has no scores per class"
        confusion = report.get("confusion")
        size = len(report["labels"])
        if "confusion" in report and not (
            isinstance(confusion, list)
            and len(confusion) == size
            and all(isinstance(row, list) and len(row) == size and all(map(_is_number, row)) for row in confusion)
        ):
            return "has a damaged confusion matrix"
    if "latency_ms" in report and not isinstance(report["latency_ms"], dict):
        return "has a bad latency_ms"
    return None


PER_CLASS_NUMBERS = ("precision", "recall", "f1", "support")


class RunDir:
    """One run's folder and its files.

    ``config.json`` · ``status.json`` (state, error, times) · ``metrics.jsonl`` (one event
    per line) · ``model.safetensors`` · ``tokenizer.json`` or ``featurizer.json`` ·
    ``eval.json`` · ``embeddings.npy`` · ``neighbours.parquet`` · ``log.txt`` · ``checkpoint/``.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.id = self.path.name

    # -- paths
    @property
    def config_path(self) -> Path:
        return self.path / "config.json"

    @property
    def status_path(self) -> Path:
        return self.path / "status.json"

    @property
    def metrics_path(self) -> Path:
        return self.path / "metrics.jsonl"

    @property
    def model_path(self) -> Path:
        return self.path / "model.safetensors"

    @property
    def checkpoint_dir(self) -> Path:
        return self.path / "checkpoint"

    @property
    def log_path(self) -> Path:
        return self.path / "log.txt"

    @property
    def lease_path(self) -> Path:
        return self.path / "lease.lock"

    @property
    def owner_path(self) -> Path:
        return self.path / "owner.json"

    @property
    def stop_path(self) -> Path:
        return self.path / "stop.request"

    # -- ownership and stopping
    def owner(self) -> dict | None:
        """The live process working on this run (pid, host, start, heartbeat), or None."""
        from core.lease import owner

        return owner(self.lease_path, self.owner_path)

    def acquire(self, purpose: str = "train", record: bool = True):
        """Claim the run for this process (a ``core.lease.Lease``); refused while another owner lives.
        ``record=False``: without an owner record (``Lease.acquire``)."""
        from core.lease import Lease, OwnedError, describe

        try:
            return Lease.acquire(self.lease_path, self.owner_path, purpose, {"run": self.id}, record=record)
        except OwnedError as exc:
            if exc.owner.get("purpose") == "evaluate":  # no Stop to click: it ends by itself, soon
                raise OwnedError(
                    f"Run {self.id} is being evaluated ({describe(exc.owner)}). Try again when the evaluation "
                    "has ended: it takes seconds to a minute.",
                    exc.owner,
                ) from None
            raise OwnedError(f"Run {self.id} is owned by another process. {exc}", exc.owner) from None

    def request_stop(self) -> None:
        """Ask whoever runs this run to stop after the current batch (a flag file it checks)."""
        atomic_write_text(self.stop_path, f"{_now()}\n")

    def stop_requested(self) -> bool:
        """True while a stop request is pending."""
        return self.stop_path.exists()

    def clear_stop(self, older_than: float | None = None) -> None:
        """Forget a stop request (a new session of work starts); with ``older_than`` (a time), only one
        written before it: a Ctrl-C pressed as the CLI started was cleared as stale, and the run trained on."""
        if older_than is not None:
            try:
                if self.stop_path.stat().st_mtime >= older_than:
                    return
            except FileNotFoundError:
                return
        self.stop_path.unlink(missing_ok=True)

    # -- config and status
    def config(self) -> dict:
        """The saved run config (a dict; ``core.config.RunConfig.from_dict`` rebuilds it).

        Raises BrokenRunError, naming the file and the way out, when it cannot be read.
        """
        try:
            config = read_json(self.config_path)
        except FileNotFoundError:
            raise BrokenRunError(f"Run {self.id} has no config.json; delete it.") from None
        except (ValueError, UnicodeDecodeError, OSError) as exc:
            raise BrokenRunError(
                f"Run {self.id}: config.json is not valid JSON ({str(exc)[:80]}); delete it."
            ) from None
        if not isinstance(config, dict) or not isinstance(config.get("encoder"), str):
            raise BrokenRunError(f"Run {self.id}: config.json does not describe a run (no encoder); delete it.")
        for name, (kind, words) in _CONFIG_SHAPES.items():
            value = config.get(name)
            if name not in config or _fits(value, kind):
                continue
            shown = json.dumps(value, ensure_ascii=False)
            shown = shown if len(shown) <= 40 else shown[:39] + "…"
            raise BrokenRunError(
                f"Run {self.id}: config.json holds {name} = {shown}, where a run keeps {words}: the file was "
                "edited or damaged. Put the value right in config.json, or delete the run."
            )
        return config

    def problem(self) -> str | None:
        """Why this run folder cannot be used (a corrupt config or evaluation), or None when it is sound."""
        try:
            self.config()
            self.eval()
        except BrokenRunError as exc:
            return str(exc)
        return None

    def write_config(self, config: dict) -> None:
        atomic_write_json(self.config_path, config)

    def raw_status(self) -> dict:
        """``status.json`` as written, without asking whether its writer is still alive."""
        try:
            status = read_json(self.status_path)
        except FileNotFoundError:
            return {"state": "unknown"}
        except (ValueError, UnicodeDecodeError, OSError):
            return self._status_from_files()
        if not isinstance(status, dict) or status.get("state") not in (*RUN_STATES, None):
            return self._status_from_files()
        for key in _STATUS_NUMBERS:  # a hand-edited or foreign value is dropped, not a crash in every listing
            if key in status and status[key] is not None and not _is_number(status[key]):
                status.pop(key)
        for key in _STATUS_GROUPS:  # a list for an ensemble's members took down Home and `runs delete`
            if key in status and status[key] is not None and not isinstance(status[key], dict):
                status.pop(key)
        return status

    def _status_from_files(self) -> dict:
        """A state read from what the run left, where ``status.json`` cannot be read. It read "unknown, 0%",
        with no word on the page, and resume and restart each sent the user to the other.

        A live owner means it trains (``status()`` then names the owner and any stop asked for); else the
        last end of training in ``metrics.jsonl`` says done or stopped; else a checkpoint means it can
        resume, and nothing at all means start again. ``from_files`` marks the guess, so that the next
        ``set_status`` starts a fresh record rather than keeping the guess's words.
        """
        guess: dict = {
            "from_files": True,
            "note": "status.json cannot be read: the state was read from the run's files",
        }
        owner = self.owner()
        if owner is not None and owner.get("purpose") != "evaluate":
            return {**guess, "state": "running"}
        has_checkpoint = (self.checkpoint_dir / "state.pt").is_file()
        ends = [e for e in self.metrics() if e.get("event") == "fit_end"]
        ended = ends[-1].get("status") if ends else None
        if ended == "done" and self.model_path.is_file() and (self.path / "eval.json").is_file():
            # its evaluation kept the training time: "Done in 0.0 s" under a bar at 0% read as a run of nothing
            done = {**guess, "state": "done", "progress": 1.0}
            with contextlib.suppress(ValueError, UnicodeDecodeError, OSError, AttributeError):
                seconds = read_json(self.path / "eval.json").get("fit_seconds")
                if _is_number(seconds):
                    done["train_seconds"] = float(seconds)
            return done
        if ended == "stopped" and has_checkpoint:
            return {**guess, "state": "stopped", "has_checkpoint": True}
        if has_checkpoint:
            return {
                **guess,
                "state": "interrupted",
                "error": "Its status.json cannot be read. Resume continues from the last checkpoint.",
                "has_checkpoint": True,
            }
        return {
            **guess,
            "state": "failed",
            "error": "Its status.json cannot be read, and it left no weights or checkpoint: start it again.",
        }

    def status(self) -> dict:
        """The status as every entry point should show it: state, error, times, owner, stopping.

        A ``running`` or ``queued`` run whose owner process is gone reads as ``interrupted``,
        whoever asks (CLI, dashboard, tests), whether or not a dashboard ever started.
        """
        status = self.raw_status()
        state = status.get("state")
        if state not in ("queued", "running"):
            return status
        owner = self.owner()
        evaluating = owner is not None and owner.get("purpose") == "evaluate"
        if evaluating:
            # an evaluation of the saved weights holds the lease but trains nothing: a run whose
            # trainer died still reads as interrupted, with no Stop that no process would read
            owner = None
        if owner is not None:
            status["owner"] = owner
            if self.stop_requested():
                status["stopping"] = True
            return status
        status = self.raw_status()  # the owner may have finished between the two reads
        state = status.get("state")
        if state not in ("queued", "running"):
            return status
        if state == "queued" and time.time() - float(status.get("updated") or 0) < QUEUE_GRACE_S:
            return status
        last = {} if evaluating else self.raw_owner()  # the record is the live evaluator's, not the trainer's
        who = f" (pid {last['pid']} on {last.get('host')})" if last.get("pid") else ""
        if state == "running":
            error = f"The process running it{who} ended without finishing: it was killed, or the machine restarted."
        else:
            error = f"It was waiting in the queue when its process{who} ended."
        has_checkpoint = (self.checkpoint_dir / "state.pt").is_file()
        error += " Resume continues from the last checkpoint." if has_checkpoint else " It has no checkpoint yet."
        return dict(status, state="interrupted", error=error, was=state, has_checkpoint=has_checkpoint)

    def fail_in_place(self, error: str) -> None:
        """Mark the run failed with ``error`` by rewriting ``status.json`` where it lies: the last resort on a
        full disk, where ``set_status``'s atomic write found no room for its new file. The blocks the old
        status holds take the new one (a torn write reads as a damaged status, as before)."""
        status = self.raw_status()
        status.update(state="failed", error=error, updated=_now())
        data = json.dumps(status, ensure_ascii=False, indent=1, default=str).encode("utf-8")
        with open(self.status_path, "r+b") as handle:
            handle.write(data)
            handle.truncate()

    def raw_owner(self) -> dict:
        """The last owner record, alive or not."""
        try:
            record = read_json(self.owner_path)
        except (OSError, ValueError):
            return {}
        return record if isinstance(record, dict) else {}  # "[]" took down Home and `runs list` with the run

    def set_status(self, state: str, **fields: Any) -> dict:
        """Move to ``state`` (merging ``fields``) and write ``status.json`` atomically."""
        if state not in RUN_STATES:
            raise ValueError(f"unknown run state {state!r}")
        status = self.raw_status()
        previous = status.get("state")
        if status.get("state") == "unknown" or status.get("from_files"):  # a guess is not kept as a record
            status = {"created": _now()}
        status.update(fields)
        status["state"] = state
        status["updated"] = _now()
        if state == "running" and "started" not in status:
            status["started"] = _now()
        if state in ("done", "stopped", "failed", "interrupted"):
            if not (previous == state and status.get("ended")):  # a note on an ended run keeps its end
                status["ended"] = _now()
        elif state == "running":
            status.pop("ended", None)
            status.pop("error", None)
        atomic_write_json(self.status_path, status)
        return status

    # -- metrics
    def append_metrics(self, record: dict) -> None:
        """Append one event to ``metrics.jsonl`` (a single write, so readers see whole lines)."""
        line = (json.dumps(record, ensure_ascii=False, default=float) + "\n").encode("utf-8")
        with open(self.metrics_path, "a+b") as handle:
            end = handle.seek(0, os.SEEK_END)
            if end:  # a line cut off (a kill mid-write, a full disk) would swallow this one: end it first
                handle.seek(end - 1)
                if handle.read(1) != b"\n":
                    line = b"\n" + line
            handle.write(line)  # appended at the end, wherever the reads left the position

    def metrics(self) -> list[dict]:
        """All metric events so far (a partly written last line is skipped).

        Read incrementally: the live training panel asks every second while the file grows,
        and re-parsing thousands of lines each time competed with the training thread.
        """
        return _read_metrics(self.metrics_path)

    def trained_seconds(self, status: dict | None = None) -> float | None:
        """Seconds the run has trained: the count written when its training ended; else (it trains, or its
        process was killed and wrote no end) the earlier sessions' time plus this one's up to its last
        checkpoint, or, in a first session, up to its last logged step; None when nothing says."""
        status = self.raw_status() if status is None else status
        if _is_number(status.get("train_seconds")):
            return float(status["train_seconds"])
        before = float(status["train_seconds_before"]) if _is_number(status.get("train_seconds_before")) else 0.0
        session = None
        events = self.metrics()
        starts = [e for e in events if e.get("event") == "fit_start"]
        # only a first session is timed by its events: a later one's predecessors are in train_seconds_before,
        # and one that died before its first step would have counted its predecessor's steps twice
        if len(starts) == 1 and not before:
            times = [e.get("time") for e in events if e.get("event") in ("step", "fit_end")]
            began = starts[0].get("time")
            if times and _is_number(times[-1]) and _is_number(began):
                session = max(0.0, float(times[-1]) - float(began))
        checkpoint = status.get("checkpoint_seconds")
        if session is None and _is_number(checkpoint) and checkpoint > 0:
            session = float(checkpoint)
        if session is None:
            return before or None
        return before + session

    def log(self, message: str) -> None:
        """Append a timestamped line to ``log.txt``."""
        with open(self.log_path, "a", encoding="utf-8") as handle:
            handle.write(f"{time.strftime('%H:%M:%S')} {message}\n")

    def log_tail(self, lines: int = 20) -> str:
        """The last lines of ``log.txt``."""
        if not self.log_path.is_file():
            return ""
        return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def eval(self) -> dict | None:
        """The test-set evaluation, when the run has one (BrokenRunError when the file is corrupt)."""
        path = self.path / "eval.json"
        if not path.is_file():
            return None
        try:
            report = read_json(path)
        except (ValueError, UnicodeDecodeError, OSError) as exc:
            raise BrokenRunError(
                f"Run {self.id}: eval.json is corrupt ({str(exc)[:80]}); evaluate the run again or delete it."
            ) from None
        if not isinstance(report, dict):
            raise BrokenRunError(f"Run {self.id}: eval.json is not an evaluation report; evaluate again or delete it.")
        problem = _report_problem(report)
        if problem:
            raise BrokenRunError(f"Run {self.id}: eval.json {problem}; evaluate the run again or delete it.")
        return report

    # -- per-text artefacts, read defensively: a damaged file is a message, never a traceback
    POINT_COLUMNS = ("text", "label", "split")

    def artefact_problem(self) -> str | None:
        """Why ``points.parquet``/``embeddings.npy`` cannot be used (None when both are sound).

        Reads only the Parquet footer and the .npy header, so it is cheap enough for every page view.
        """
        points, vectors = self.path / "points.parquet", self.path / "embeddings.npy"
        if not points.is_file() and not vectors.is_file():
            return "it has no per-text results yet (they are written when it is evaluated)"
        for path in (points, vectors):
            if not path.is_file():
                return f"{path.name} is missing"
        try:
            import pyarrow.parquet as pq

            meta = pq.ParquetFile(points)
            n_points = meta.metadata.num_rows
            missing = [c for c in self.POINT_COLUMNS if c not in meta.schema_arrow.names]
        except Exception as exc:  # pyarrow raises several types for a damaged footer
            return f"points.parquet is damaged ({type(exc).__name__})"
        if not missing and "pred" not in meta.schema_arrow.names and self._classifies():
            missing = ["pred"]  # a classifier's predictions: the pages' error views and head-to-head read them
        if missing:
            return f"points.parquet lacks the column(s) {missing}"
        try:
            shape = np.load(vectors, mmap_mode="r", allow_pickle=False).shape
        except Exception as exc:  # a bad header, a pickle, a truncated file
            return f"embeddings.npy is damaged ({type(exc).__name__})"
        if len(shape) != 2 or shape[0] != n_points or shape[1] < 1:
            return f"embeddings.npy has shape {tuple(shape)}, which does not match the {n_points:,} texts of points.parquet"
        if not _all_finite(vectors):  # PCA's SVD then raised "did not converge" on the page itself
            return "embeddings.npy holds values that are not numbers (NaN or infinite)"
        return None

    def _classifies(self) -> bool:
        """Whether this run predicts classes (a pretraining's points have no predictions)."""
        try:
            return self.config().get("task", "classify") != "pretrain"
        except (StudioError, OSError, ValueError):  # an unreadable config is said where it is read
            return False

    def require_artefacts(self) -> None:
        """Raise ArtefactError, saying what to do, when the per-text artefacts cannot be used."""
        problem = self.artefact_problem()
        if problem:
            raise ArtefactError(
                f"Run {self.id}: {problem}. Evaluate the run again to rebuild its per-text results "
                f"(Evaluate page, or: python -m core evaluate --again --run {self.id})."
            )

    def points(self, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """``points.parquet`` (per-text predictions); ArtefactError when it is missing or damaged."""
        self.require_artefacts()
        try:
            return pd.read_parquet(self.path / "points.parquet", columns=list(columns) if columns else None)
        except Exception as exc:
            raise ArtefactError(
                f"Run {self.id}: points.parquet cannot be read ({type(exc).__name__}). Evaluate the run again."
            ) from None

    def embeddings(self, mmap: bool = False) -> np.ndarray:
        """``embeddings.npy`` (one row per point); ArtefactError when it is missing, damaged or mis-shaped."""
        self.require_artefacts()
        try:
            return np.load(self.path / "embeddings.npy", mmap_mode="r" if mmap else None, allow_pickle=False)
        except Exception as exc:
            raise ArtefactError(
                f"Run {self.id}: embeddings.npy cannot be read ({type(exc).__name__}). Evaluate the run again."
            ) from None

    def write_json(self, name: str, obj: Any) -> None:
        """Write an artefact as JSON, atomically."""
        atomic_write_json(safe_child(self.path, name), obj)

    def write_text(self, name: str, text: str) -> None:
        """Write an artefact as text, atomically."""
        atomic_write_text(safe_child(self.path, name), text)


_METRICS_CACHE: dict[Path, tuple[int, bytes, int, list[dict]]] = {}  # path -> (inode, head, bytes, events)
_METRICS_LOCK = threading.Lock()
_METRICS_KEEP = 64  # runs whose parsed events stay cached (a long-lived server views many)


def _read_metrics(path: Path) -> list[dict]:
    with _METRICS_LOCK:
        try:
            with open(path, "rb") as handle:
                events = _read_new_lines(path, handle)
        except FileNotFoundError:
            _METRICS_CACHE.pop(path, None)
            return []
        while len(_METRICS_CACHE) > _METRICS_KEEP:
            _METRICS_CACHE.pop(next(iter(_METRICS_CACHE)))
        return list(events)


def _read_new_lines(path: Path, handle) -> list[dict]:
    """Parse what was appended since the last call (caller holds the lock)."""
    stat = os.fstat(handle.fileno())  # of the file actually opened, not a replaced one
    head = handle.read(64)
    inode, seen_head, done, events = _METRICS_CACHE.pop(path, (stat.st_ino, head, 0, []))
    # another file (replaced, truncated, or recreated under the same inode): start over
    if inode != stat.st_ino or stat.st_size < done or head[: len(seen_head)] != seen_head[: len(head)]:
        done, events = 0, []
    if stat.st_size > done:
        handle.seek(done)
        chunk = handle.read(stat.st_size - done)
        complete = chunk.rfind(b"\n") + 1  # a partly written last line waits for the next call
        events = list(events)
        for line in chunk[:complete].decode("utf-8", errors="replace").splitlines():
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                continue
            if not isinstance(event, dict):  # a stray number or list is no event: pages read fields off each one
                continue
            resumed = event.get("resumed_at_step") if event.get("event") == "fit_start" else None
            if isinstance(resumed, int) and resumed > 0:
                # a worker killed after its last checkpoint had logged steps past it, and the resumed one
                # logs them again: the first telling goes (a validation curve doubled back on itself)
                events = [e for e in events if not (isinstance(e.get("step"), (int, float)) and e["step"] > resumed)]
            events.append(event)
        done += complete
    _METRICS_CACHE[path] = (stat.st_ino, head, done, events)  # re-inserted: most recent last
    return events


def _fits(value: Any, kind: type) -> bool:
    """Whether a config value is of ``kind`` (a whole number counts as a number, true or false does not; a
    list holds text: labels of [1, null, {}] failed predict with a bare TypeError)."""
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is list:
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    return isinstance(value, kind)


class RunStore:
    """All runs under the studio home: ``create``, ``get``, ``list``, ``delete``."""

    def __init__(self, home: Path | None = None):
        self.home = Path(home or studio_home())
        self.root = self.home / "runs"

    def create(self, config: dict, run_id: str | None = None) -> RunDir:
        """Make a new run folder with its config and a ``queued`` status."""
        encoder = slugify(str(config.get("encoder") or ""), "run")
        # a run named "排队后取消" was filed as "dataset-…": the encoder stands in for a name with no id-safe letters
        run_id = validate_id(run_id or new_id(config.get("name") or encoder, fallback=encoder), "run id")
        path = safe_child(self.root, run_id)
        if path.exists():
            raise ValueError(f"A run with id {run_id!r} exists already.")
        # made in a hidden folder and renamed into place: a listing never sees a run without its config
        staging = RunDir(self.root / f"{_STAGING}{run_id}-{os.getpid()}-{uuid.uuid4().hex[:6]}")
        try:
            try:
                self.root.mkdir(parents=True, exist_ok=True)
                _sweep_staging(self.root)
                staging.path.mkdir()
                staging.write_config(dict(config, run_id=run_id))
                staging.set_status("queued", created=_now())
            except OSError as exc:  # a full or read-only home: the Train page's Start showed a traceback
                raise home_write_error(exc, self.home) from exc
            try:
                os.rename(staging.path, path)
            except OSError:
                raise ValueError(f"A run with id {run_id!r} exists already.") from None
        finally:
            shutil.rmtree(staging.path, ignore_errors=True)
        return RunDir(path)

    def get(self, run_id: str) -> RunDir:
        """The run with this id, or UnknownRunError."""
        path = safe_child(self.root, validate_id(run_id, "run id"))
        if not (path / "config.json").is_file():
            raise UnknownRunError(f"No run {run_id!r} in {self.root}. List runs with: python -m core runs list")
        return RunDir(path)

    def list(self) -> list[RunDir]:
        """All sound runs, newest first (broken folders are left out: see ``broken()``)."""
        return [run for run in self._all() if run.problem() is None]

    def broken(self) -> list[tuple[RunDir, str]]:
        """Run folders that cannot be read, each with the reason, newest first."""
        return [(run, reason) for run in self._all() if (reason := run.problem()) is not None]

    def _all(self) -> list[RunDir]:
        if not self.root.is_dir():
            return []
        # a folder without config.json (a delete or a start cut off) is listed as broken, so it can be cleared
        runs = [RunDir(p) for p in self.root.iterdir() if p.is_dir() and not p.name.startswith(".")]

        def newest(run: RunDir) -> float:
            created = run.raw_status().get("created")
            if isinstance(created, (int, float)):
                return -created
            try:
                return -os.path.getmtime(run.path)
            except OSError:  # deleted while the listing was made: it sorts last, and is gone next time
                return 0.0

        return sorted(runs, key=newest)

    def on_dataset(self, dataset_id: str) -> list[RunDir]:
        """Runs whose config names ``dataset_id``, broken ones (a damaged ``eval.json``) included: a class
        rename or a delete that skipped them left them naming classes or a dataset that are gone."""
        out = []
        for run in self._all():
            try:
                config = run.config()
            except Exception:  # no readable config: nothing says which dataset it was trained on
                continue
            if isinstance(config, dict) and config.get("dataset") == dataset_id:
                out.append(run)
        return out

    def ensembles_using(self, run_id: str) -> list[str]:
        """Ids of the ensemble runs that have ``run_id`` as a member (finished, or to be resumed)."""
        users = []
        # broken folders too: an ensemble whose eval.json is damaged still predicts with its members
        for run in self._all():
            try:
                if run.config().get("encoder") != "ensemble":
                    continue
            except Exception:  # no readable config: nothing says it is an ensemble
                continue
            if run_id in ensemble_member_ids(run):
                users.append(run.id)
        return users

    def resolve(self, ref: str) -> str:
        """The id of the run ``ref`` means: an id, or a run's title when exactly one run has it
        (several are listed so the user can pick an id)."""
        try:
            return self.get(ref).id
        except (UnknownRunError, ValueError):
            pass
        from core.names import run_names

        named = [r for r in self.list() if run_names(r)["title"] == ref]
        named = named or [r for r in self.list() if run_names(r)["title"].lower() == ref.lower()]
        if len(named) == 1:
            return named[0].id
        if named:
            raise UnknownRunError(
                f"{len(named)} runs are named {ref!r}: {', '.join(r.id for r in named)}. Give one of these ids."
            )
        raise UnknownRunError(
            f"No run {ref!r} (by id or by name) in {self.root}. List runs with: python -m core runs list"
        )

    def fine_tuned_from(self, run_id: str) -> list[str]:
        """Ids of the runs fine-tuned from ``run_id``: they keep their own weights when it goes, but
        no new before-and-after map can be drawn for them."""
        children = []
        for run in self.list():
            try:
                if run.config().get("source_run") == run_id:
                    children.append(run.id)
            except Exception:  # an unreadable config is nobody's child
                continue
        return children

    def deletion_refused(self, run_id: str, going_too: Collection[str] = (), held: bool = False) -> str | None:
        """Why run ``run_id`` cannot be deleted now (a live process or job on it, an ensemble that
        needs it and is not in ``going_too``), or None. ``held``: this process holds the run's lease
        (for the delete), so its owner is no other process."""
        from core.lease import describe
        from core.lease import owner as lock_owner

        path = safe_child(self.root, validate_id(run_id, "run id"))
        if not path.is_dir():
            raise UnknownRunError(f"No run {run_id!r} in {self.root}. List runs with: python -m core runs list")
        run = RunDir(path)
        owner = None if held else run.owner()
        if owner is not None:
            return f"Run {run_id} is in use by {describe(owner)}; stop it before deleting it."
        for record in sorted((run.path / "jobs").glob("*.json")):
            job = lock_owner(record.with_suffix(".lock"), record)
            if job is not None:
                kind = str(job.get("kind") or job.get("purpose") or "side")
                # "in use by a project job" meant the map, and read as somebody's project
                return (
                    f"Run {run_id} is in use by a {SIDE_JOB_WORDS.get(kind, kind)} job ({describe(job)}); "
                    "wait for it to finish, then delete the run."
                )
        waiting = self._starting_from(run_id, going_too)
        if waiting:  # it would fail at its start with a bare "No run …"
            return (
                f"Run {run_id} is where run {waiting} starts from, and that run is queued or training; wait for it "
                "or stop it, then delete this one."
            )
        users = [user for user in self.ensembles_using(run_id) if user not in going_too]
        if len(users) == 1:
            return (
                f"Run {run_id} is a member of ensemble {users[0]}, which cannot predict without it. "
                "Delete the ensemble first."
            )
        if users:
            return (
                f"Run {run_id} is a member of the ensembles {', '.join(users)}, which cannot predict without it. "
                "Delete those ensembles first."
            )
        return None

    def _starting_from(self, run_id: str, going_too: Collection[str] = ()) -> str | None:
        """A queued or training run (not in ``going_too``) that loads ``run_id``'s weights or vocabulary."""
        for run in self._all():
            if run.id == run_id or run.id in going_too:
                continue
            try:
                config = run.config()
            except Exception:  # no readable config: nothing says where it starts
                continue
            if run_id not in (config.get("source_run"), config.get("vocab_run")):
                continue
            if run.owner() is not None or run.status().get("state") in ("queued", "running"):
                return run.id
        return None

    def delete(self, run_id: str, going_too: Collection[str] = ()) -> None:
        """Remove a run folder (refused while a live process works on it or an ensemble uses it;
        the ensembles in ``going_too`` are being deleted with it)."""
        refused = self.deletion_refused(run_id, going_too)
        if refused:
            raise StudioError(refused)
        path = safe_child(self.root, validate_id(run_id, "run id"))
        run = RunDir(path)
        # held from the checks to the rename: a Resume clicked in another tab in between was told "queued",
        # and its worker then died with the folder, no word anywhere. Taken without a record that must be
        # written (on a full disk, that write failed the delete) nor a heartbeat (a beat after the rename
        # made the folder again)
        last_owner = run.raw_owner()  # what "interrupted" names: put back if the delete is refused after all
        with run.acquire("delete", record=False) as lease:
            # who holds it, for a Resume refused meanwhile (the last trainer's record named a dead process);
            # a full disk keeps none, and the delete goes on
            lease.write_record_once({"run": run.id})
            refused = self.deletion_refused(run_id, going_too, held=True)
            if refused:
                with contextlib.suppress(OSError):
                    if last_owner:
                        atomic_write_json(run.owner_path, last_owner)
                    else:
                        run.owner_path.unlink(missing_ok=True)
                raise StudioError(refused)
            _remove_folder(path, self.root, run_id)
        with _METRICS_LOCK:
            _METRICS_CACHE.pop(run.metrics_path, None)


def ensemble_member_ids(run: RunDir) -> set[str]:
    """The runs an ensemble run averages, from each record that names them.

    The saved model's metadata is what predicting needs, so it counts even when ``eval.json`` was
    rewritten without the member table or is damaged (a re-evaluation once dropped it, and the
    members could then be deleted under the ensemble).
    """
    ids: set[str] = set()
    try:
        from safetensors import safe_open

        with safe_open(str(run.path / "model.safetensors"), framework="numpy") as handle:
            ids.update(str(m) for m in json.loads((handle.metadata() or {}).get("members", "[]")))
    except Exception:  # no model yet, or a damaged one: the other records still name the members
        pass
    with contextlib.suppress(Exception):
        ids.update(str(m.get("run")) for m in (run.eval() or {}).get("members", []) if isinstance(m, dict))
    # an ensemble still training (or stopped, to be resumed) reuses the members it has trained and
    # the existing runs it was given by id
    ids.update(str(m) for m in (run.raw_status().get("member_runs") or {}).values())
    with contextlib.suppress(Exception):
        ids.update(str(m) for m in ((run.config().get("encoder_config") or {}).get("members") or ()))
    return ids
