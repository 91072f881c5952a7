"""Names people give things: run titles and tags, dataset names and tags, class names.

Titles and tags never change an id or a path (ids stay the folder names), so renaming can
never touch another run's files. Renaming classes rewrites the dataset and every run trained
on it, each file atomically, keeping the class order the models were trained with.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import BrokenRunError, DataError, StudioError

if TYPE_CHECKING:
    from core.registry import DatasetStore, RunStore

MAX_TITLE_CHARS = 80
MAX_TAG_CHARS = 32
MAX_TAGS = 12
MAX_LABEL_CHARS = 100
_NAMES_FILE = "names.json"


# the invisible controls that reorder or hide text: bidi embeddings, overrides and isolates, direction marks, zero-
# width spaces and joiners of words, the byte-order mark. Not every format character: the zero-width joiner of
# an emoji family, the non-joiner of Persian words and a flag's tag characters are part of what they write.
_HIDDEN = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b\u2060-\u2064\ufeff]")


def _without_format_characters(text: str) -> str:
    """``text`` without the invisible controls that reorder or hide it: a right-to-left override showed
    "good\u202emodel-exe.txt" reversed in every picker, as class names and file names already were not."""
    return _HIDDEN.sub("", text)


def clean_title(title: str) -> str:
    """A title with its whitespace tidied and control characters left out (a terminal escape in a
    name coloured ``data list``); DataError when it is too long."""
    title = re.sub(r"\s+", " ", str(title or ""))
    title = _without_format_characters(re.sub(r"[\x00-\x1f\x7f-\x9f]", "", title)).strip()
    if len(title) > MAX_TITLE_CHARS:
        raise DataError(f"A name may have at most {MAX_TITLE_CHARS} characters; this one has {len(title)}.")
    return title


def clean_tags(tags: Sequence[str]) -> list[str]:
    """Distinct, trimmed, non-empty tags without control characters, in their given order; DataError
    when too many or too long."""
    out: list[str] = []
    for tag in tags:
        # control characters left out as in titles: a terminal escape in a tag coloured ``runs list`` too
        tag = _without_format_characters(re.sub(r"[\x00-\x1f\x7f-\x9f]", "", re.sub(r"\s+", " ", str(tag)))).strip()
        if not tag or tag in out:
            continue
        if len(tag) > MAX_TAG_CHARS:
            raise DataError(f"A tag may have at most {MAX_TAG_CHARS} characters: {tag[:40]!r}…")
        out.append(tag)
    if len(out) > MAX_TAGS:
        raise DataError(f"At most {MAX_TAGS} tags; remove {len(out) - MAX_TAGS}.")
    return out


# --------------------------------------------------------------------------- runs


def run_names(run) -> dict:
    """``{"title": str, "tags": [str]}`` of a run (empty when it was never named)."""
    from core.storage import read_json

    path = Path(run.path) / _NAMES_FILE
    try:
        data = read_json(path) if path.is_file() else {}
    except Exception:  # a damaged names file only loses the names, never the run
        data = {}
    if not isinstance(data, dict):  # "[]" took down Home and `runs list` with an AttributeError
        data = {}
    title = data.get("title") if isinstance(data.get("title"), str) else ""
    tags = [t for t in data.get("tags", []) if isinstance(t, str)] if isinstance(data.get("tags"), list) else []
    return {"title": title, "tags": tags}


EXPERIMENT_TAG = "experiment"  # runs an experiment made (label efficiency): many, alike, and not the user's own


def is_experiment_run(run) -> bool:
    """Whether ``run`` was made by an experiment: tagged so, or (before the tag) named ``le-…`` by one."""
    made_before_the_tag = re.match(r"le-(scratch|pretrained)-[\d.e-]+-s\d+$", str(run.config().get("name", "")))
    return EXPERIMENT_TAG in run_names(run)["tags"] or bool(made_before_the_tag)


def name_run(run, title: str | None = None, tags: Sequence[str] | None = None, *, by_experiment: bool = False) -> dict:
    """Set a run's title and/or tags (None leaves one as it is); returns the new names.

    ``EXPERIMENT_TAG`` is given by an experiment only (``by_experiment``): a run may keep it or
    lose it, but a user's own run tagged so was folded away among the experiment's runs.
    """
    from core.errors import UnknownRunError

    if not (Path(run.path) / "config.json").is_file():  # deleted meanwhile (another tab): never a half-folder again
        raise UnknownRunError(f"Run {Path(run.path).name} was deleted, so it cannot be named. Pick another run.")
    try:
        with _names_lock(run):  # a title saved in one tab while the tags were saved in another lost one of them
            return _name_run_locked(run, title, tags, by_experiment)
    except FileNotFoundError:  # its folder was deleted between the check and the lock
        raise UnknownRunError(
            f"Run {Path(run.path).name} was deleted, so it cannot be named. Pick another run."
        ) from None


@contextlib.contextmanager
def _names_lock(run):
    """Hold a run's names for a read, change and write (an advisory lock, across processes)."""
    import fcntl

    with open(Path(run.path) / ".names.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _name_run_locked(run, title: str | None, tags: Sequence[str] | None, by_experiment: bool) -> dict:
    from core.storage import atomic_write_json

    names = run_names(run)
    if title is not None:
        names["title"] = clean_title(title)
        if names["title"] in (".", ".."):  # a folder's own name: ".." was refused as "another run's id"
            raise DataError(f"A run's title cannot be {names['title']!r}; give this run another title.")
        other = Path(run.path).parent / names["title"] if names["title"] else None
        if other is not None and other.name == names["title"] and other != Path(run.path) and other.is_dir():
            # an id wins over a title wherever a run is named: this title could never pick this run
            raise DataError(f"{names['title']!r} is another run's id; give this run another title.")
    if tags is not None:
        tags = clean_tags(tags)
        if EXPERIMENT_TAG in tags and EXPERIMENT_TAG not in names["tags"] and not by_experiment:
            raise DataError(
                f"The tag {EXPERIMENT_TAG!r} marks the runs an experiment made, which the run lists fold away; "
                "give your run another tag."
            )
        names["tags"] = tags
    atomic_write_json(Path(run.path) / _NAMES_FILE, names)
    return names


# --------------------------------------------------------------------------- datasets


@contextlib.contextmanager
def meta_lock(folder: Path):
    """Hold a dataset's ``meta.json`` for a read, change and write (an advisory lock, across processes).

    A title changed in one tab while a class rename landed in another wrote the old classes back
    over the new ones: the rows said "positive", the record "pos", and training failed with KeyError.
    A class rename holds it from start to finish. Not reentrant: a second ``meta_lock`` of the same
    folder in the same process waits for ever.
    """
    import fcntl

    with open(Path(folder) / "meta.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def name_dataset(dataset_id: str, name: str | None = None, tags: Sequence[str] | None = None, store=None):
    """Rename and/or tag a stored dataset (its id and files stay); returns the new ``DatasetInfo``."""
    from core.registry import DatasetInfo, DatasetStore
    from core.storage import atomic_write_json

    store = store or DatasetStore()
    if name is not None:
        name = clean_title(name)
        if not name:
            raise DataError("A dataset needs a name; type one.")
    with meta_lock(store.path(dataset_id)):
        meta = dict(store.info(dataset_id).__dict__)  # read under the lock: a class rename may have just landed
        if name is not None:
            meta["name"] = name
        if tags is not None:
            meta["tags"] = clean_tags(tags)
        atomic_write_json(store.path(dataset_id) / "meta.json", meta)
    return DatasetInfo(**meta)


def check_label_mapping(labels: Sequence[str], mapping: Mapping[str, str]) -> dict[str, str]:
    """``{old: new}`` for every class (unchanged ones map to themselves), validated.

    A new name must be non-empty, at most ``MAX_LABEL_CHARS`` long and not shared with another
    class: merging classes is a different operation, and it would silently change the task. A new
    name is composed (NFC) as the import composes class names, and one the import could not have
    made is refused: another class's name in other letter case or in full-width letters, or a
    spelling of "no value" ("NA"). Characters that show as nothing are dropped, as the import drops them.
    """
    from core.data import MISSING_LABEL_SPELLINGS
    from core.text import composed, spelling_key, without_invisible

    full, changed = {}, set()
    for old in labels:
        new = mapping.get(old, old)
        new = re.sub(r"\s+", " ", "" if new is None else without_invisible(str(new))).strip()
        if not new:
            raise DataError(f"Class {old!r} needs a name; leave it as it was or type a new one.")
        was = re.sub(r"\s+", " ", str(old)).strip()
        if composed(new) == composed(was):
            new = was  # the name it had, however it was typed
        else:
            # "négatif" typed with a combining accent beside "négatif" was a second class that looked the same
            new = composed(new)
            changed.add(str(old))
        kept = new == was  # a long name the file came with is not the user's doing
        if len(new) > MAX_LABEL_CHARS and not kept:
            raise DataError(f"A class name may have at most {MAX_LABEL_CHARS} characters: {new[:40]!r}…")
        if str(old) in changed and new in MISSING_LABEL_SPELLINGS:
            # a file of this dataset exported and imported again would lose every label of this class
            raise DataError(
                f"{new!r} is how spreadsheets and databases write 'no value': an import reads it as a missing "
                f"label. Give class {old!r} another name (e.g. 'none_of_these')."
            )
        full[str(old)] = new
    unknown = sorted(set(map(str, mapping)) - set(map(str, labels)))
    if unknown:
        raise DataError(
            f"No class named {', '.join(map(repr, unknown[:5]))} in this dataset; its classes are "
            f"{', '.join(map(repr, list(labels)[:20]))}."
        )
    new_names = list(full.values())
    twice = sorted({n for n in new_names if new_names.count(n) > 1})
    if twice:
        raise DataError(
            f"Two classes would both be called {twice[0]!r}. Give each class its own name "
            "(to merge classes, relabel the file and import it again)."
        )
    by_case: dict[str, list[str]] = {}
    for old, new in full.items():
        by_case.setdefault(spelling_key(new), []).append(old)
    for olds in by_case.values():
        # "Food" beside "food" (or "ｆｏｏｄ") reads as one class to people; a file that came with both keeps them
        if len(olds) > 1 and any(old in changed for old in olds):
            raise DataError(
                f"Two classes would be called {full[olds[0]]!r} and {full[olds[1]]!r}, which differ only in upper "
                "and lower case or in full-width letters. Give each class a name of its own (to merge classes, "
                "relabel the file and import it again)."
            )
    return full


def rename_labels_in_frame(frame, mapping: Mapping[str, str]):
    """A copy of ``frame`` with its ``label`` column renamed (missing labels stay missing)."""
    out = frame.copy()
    out["label"] = out["label"].map(lambda v: v if v is None or v != v else mapping.get(str(v), str(v)))
    return out


def runs_on(dataset_id: str, run_store=None) -> list:
    """Runs whose config names ``dataset_id`` (broken folders included: they are left alone)."""
    from core.registry import RunStore

    return (run_store or RunStore()).on_dataset(dataset_id)


RENAME_JOURNAL = "rename.json"
_RENAME_MARK = b"studio_rename"  # in a parquet file's metadata: the rename that rewrote it


class RenameFinished(StudioError):
    """A class rename that was cut off has just been finished: the classes are not what the user saw."""


def rename_labels(
    dataset_id: str, mapping: Mapping[str, str], store: DatasetStore | None = None, run_store: RunStore | None = None
) -> dict[str, str]:
    """Rename classes of a dataset and of every finished run trained on it; returns the full mapping.

    Refused while any of those runs is queued or training (its files are being written). Each
    file is replaced atomically; the class order (the model's output order) is kept. The rename is
    written down first (``rename.json`` in the dataset's folder) and each file carries a mark of the
    rename that rewrote it, so a rename cut off half-way is finished by the next call, never applied
    twice. When that happens, the new ``mapping`` is not applied (it was written against the classes
    as they were): RenameFinished says what the classes are now.
    """
    from core.registry import DatasetStore, RunStore
    from core.storage import atomic_write_json

    store = store or DatasetStore()
    run_store = run_store or RunStore(store.home)
    store.info(dataset_id)  # an unknown dataset says so before its folder is locked
    # Held from the check for a cut-off rename to the last file: two renames at once (two tabs, the
    # page and the command line) both read the classes before either wrote, the second journal replaced
    # the first half-way, and the dataset kept one new name while its runs kept the other for good.
    with meta_lock(store.path(dataset_id)):
        runs = runs_on(dataset_id, run_store)
        busy = [run.id for run in runs if run.owner() is not None or run.status().get("state") in ("queued", "running")]
        if busy:
            raise StudioError(
                f"Run {busy[0]} is queued or training on this dataset; wait for it or stop it, then rename."
            )
        if _finish_rename(dataset_id, store, runs) and any(old != new for old, new in mapping.items()):
            raise RenameFinished(
                f"A class rename of this dataset had been cut off; it is finished now, and the classes are "
                f"{', '.join(store.info(dataset_id).labels)}. Check them, then rename again if needed."
            )
        info = store.info(dataset_id)
        full = check_label_mapping(info.labels, mapping)
        if all(old == new for old, new in full.items()):
            return full
        journal = store.path(dataset_id) / RENAME_JOURNAL
        import uuid

        pending = {
            "id": uuid.uuid4().hex,
            "old": list(info.labels),
            "new": [full[label] for label in info.labels],
            "source": info.sha256,  # search indexes built from the dataset as it was are relabelled, not rebuilt
        }
        atomic_write_json(journal, pending)
        _finish_rename(dataset_id, store, runs)
    return full


def finish_rename(dataset_id: str, store: DatasetStore | None = None, runs: list | None = None) -> bool:
    """Complete a class rename of ``dataset_id`` that was cut off half-way; True when there was one."""
    from core.registry import DatasetStore

    store = store or DatasetStore()
    if not store.path(dataset_id).is_dir():
        return False  # no dataset, so nothing to finish (and no folder to lock)
    with meta_lock(store.path(dataset_id)):  # never beside a rename in another process
        return _finish_rename(dataset_id, store, runs)


def _finish_rename(dataset_id: str, store: DatasetStore, runs: list | None) -> bool:
    """``finish_rename`` with the dataset's ``meta_lock`` already held by the caller."""
    from core.storage import atomic_save, atomic_write_json, read_json

    journal = store.path(dataset_id) / RENAME_JOURNAL
    try:
        pending = read_json(journal)
        rename_id, old, new = str(pending["id"]), list(pending["old"]), list(pending["new"])
        mapping = dict(zip(old, new, strict=True))
    except FileNotFoundError:
        return False
    except (ValueError, TypeError, KeyError, OSError):
        journal.unlink(missing_ok=True)  # written atomically, so only a hand edit gets here: nothing to finish
        return False
    for run in runs if runs is not None else runs_on(dataset_id):
        rename_run_labels(run, mapping, old, rename_id)
    # under the caller's meta_lock: a title saved meanwhile never writes the old classes back
    info = store.info(dataset_id)
    if list(info.labels) == old:  # meta.json is written last: until then the rows may or may not be renamed
        folder = store.path(dataset_id)
        frame = store.load(dataset_id)
        if _parquet_mark(folder / "data.parquet") != rename_id:
            frame = rename_labels_in_frame(frame, mapping)
            atomic_save(folder / "data.parquet", lambda tmp: _write_marked(frame, tmp, rename_id))
        meta = dict(info.__dict__)
        meta["labels"] = new  # the order the runs' heads use
        meta["sha256"] = hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()  # caches key on it
        atomic_write_json(folder / "meta.json", meta)  # from here the dataset has the new names
    if pending.get("source"):
        relabel_search_indexes(
            dataset_id, mapping, str(pending["source"]), store.info(dataset_id).sha256, rename_id, store.home
        )
    journal.unlink(missing_ok=True)
    return True


def relabel_search_indexes(
    dataset_id: str,
    mapping: Mapping[str, str],
    old_source: str,
    new_source: str,
    rename_id: str,
    home: Path | None = None,
) -> int:
    """Rename the classes in every run's search index of ``dataset_id`` built from it as it was
    (``old_source``); returns how many were relabelled.

    A rename changes labels, not texts, so the vectors stay right: relabelling takes a moment where
    building again took a worker tens of seconds per run. The texts are written first, marked with
    the rename, and the manifest last, so a rename cut off here is finished by the next call.
    """
    import pandas as pd

    from core.registry import RunStore
    from core.search import SearchIndex
    from core.storage import atomic_save, atomic_write_json, read_json, studio_home

    relabelled = 0
    for run in RunStore(home or studio_home()).list():
        try:
            folder = SearchIndex.folder_for(run.path, dataset_id)
            manifest = read_json(folder / "manifest.json")
        except (OSError, ValueError, StudioError):
            continue  # no index of this dataset (or a damaged one: loading it says so)
        if not isinstance(manifest, dict) or manifest.get("source") != old_source:
            continue
        items_path = folder / "items.parquet"
        if _parquet_mark(items_path) != rename_id:
            try:
                items = pd.read_parquet(items_path)
            except Exception:  # a damaged index stays damaged: Search builds it again
                continue
            items = rename_labels_in_frame(items, mapping)
            atomic_save(items_path, lambda tmp, frame=items: _write_marked(frame, tmp, rename_id))
        atomic_write_json(folder / "manifest.json", {**manifest, "source": new_source})
        relabelled += 1
    return relabelled


def _parquet_mark(path: Path) -> str:
    """The id of the rename that last rewrote the parquet file at ``path`` ("" if none)."""
    import pyarrow.parquet as pq

    try:
        metadata = pq.read_schema(path).metadata or {}
    except Exception:  # a damaged file: the caller's own read says so
        return ""
    return metadata.get(_RENAME_MARK, b"").decode("utf-8", "replace")


def _write_marked(frame, path, rename_id: str) -> None:
    """Write ``frame`` as parquet with the rename's id in its metadata (content and mark in one file)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), _RENAME_MARK: rename_id.encode()})
    pq.write_table(table, path)


def rename_run_labels(run, mapping: Mapping[str, str], old: list[str], rename_id: str) -> None:
    """Rename classes in one run's config, evaluation and per-text results (each file atomically).

    Each file is renamed once per rename: the config and the evaluation while they still list
    exactly ``old``, the per-text results while they do not carry ``rename_id``'s mark. Renaming twice
    (a swap, say) never undoes the first time.
    """
    import pandas as pd

    from core.storage import atomic_save, atomic_write_json

    try:
        report = run.eval()
    except BrokenRunError:  # a damaged evaluation is rebuilt by Evaluate again, with the new names
        report = None
    if report and list(report.get("labels") or []) == list(old):
        report["labels"] = [mapping.get(label, label) for label in report.get("labels", [])]
        for row in report.get("per_class", []):
            row["label"] = mapping.get(row.get("label"), row.get("label"))
        atomic_write_json(run.path / "eval.json", report)
    path = run.path / "points.parquet"
    if path.is_file() and _parquet_mark(path) != rename_id:
        try:
            points = pd.read_parquet(path)
        except Exception:  # a damaged file stays damaged; Evaluate again rebuilds it with the new names
            points = None
        if points is not None:
            for column in ("label", "pred"):
                if column in points:
                    points[column] = points[column].map(lambda v: mapping.get(v, v) if isinstance(v, str) else v)
            points = points.rename(columns={f"p:{a}": f"p:{b}" for a, b in mapping.items()})
            atomic_save(path, lambda tmp, frame=points: _write_marked(frame, tmp, rename_id))
    config = run.config()  # written last: the run's other files are renamed by then
    if config.get("labels") and list(config["labels"]) == list(old):
        config["labels"] = [mapping.get(label, label) for label in config["labels"]]
        run.write_config(config)
