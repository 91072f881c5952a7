"""Semantic search with any run's encoder: search, "more like this", and diverse recommendations.

A *collection* is the texts to search: a stored dataset (every split, labels kept) or a text
file (one text per line, unlabelled allowed). ``SearchIndex.build`` embeds it once with the run's
encoder and stores the index in the run folder (``search/<collection>/``): unit vectors in the
run's search space (centred and, where the encoder squeezes texts together, partly whitened; see
``core.inference.SearchSpace``), the texts with their labels and languages, and a manifest.

Exact search is one matrix product, ``vectors @ query``. Above ``APPROXIMATE_FROM`` texts the
index also builds an HNSW graph with ``faiss`` (faiss-cpu) and answers from it; its recall
against the exact answer is measured in docs/BENCHMARKS.md.

``more_like(i)`` searches with a stored text's own vector; ``diverse(...)`` re-ranks the nearest
candidates by maximal marginal relevance (Carbonell & Goldstein, 1998): each pick maximises
``λ·sim(query, d) − (1−λ)·max sim(d, picked)``, the recommendation use of an encoder.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core.errors import DataError, StudioError, UnknownDatasetError

EMBED_BATCH = 512  # texts embedded per call while building
APPROXIMATE_FROM = 100_000  # texts from which unfiltered queries go through the HNSW graph
BLANKS_PAST_THE_GRAPH = 1_000  # more blank texts than this: exact search (the graph would be asked for all)
MAX_COLLECTION = 2_000_000  # texts a collection may hold
# 2: copies of a text no longer count as its neighbours when the space is fitted (indexes of 1 rebuilt once)
# 3: vectors scaled to unit length before centring (a short query found texts of any topic); texts the
#    encoder cannot read ("。") stored as zero vectors
SEARCH_FORMAT = 3
HNSW_LINKS = 32  # graph links per vector (faiss's M)
HNSW_EF_BUILD = 200  # candidates kept while building the graph
HNSW_EF_SEARCH = 128  # candidates kept while searching: recall against latency (measured in BENCHMARKS.md)


@dataclass
class Collection:
    """Texts to search, with labels and languages where known."""

    key: str  # names the index folder: the dataset id, or ``file-<hash>``
    name: str
    frame: pd.DataFrame  # text, label, lang
    source: str = ""  # a dataset's sha256: an index built from other rows (or other class names) is stale
    # the file whose removal removes the collection (an upload's, a dataset's rows): a build that ends after
    # it went writes no copy of its texts back
    origin: Path | None = None


def weights_stamp(run_path: Path) -> str:
    """Size and modification time of a run's weights: an index built from other weights is stale."""
    try:
        stat = (Path(run_path) / "model.safetensors").stat()
    except OSError:
        return ""
    return f"{stat.st_size}-{stat.st_mtime_ns}-{stat.st_ino}"


@functools.lru_cache(maxsize=64)
def _weights_digest(path: str, stamp: str) -> str:
    """The digest of a run's weights as they are at ``stamp`` (cached: a copied home hashes each once)."""
    from core.storage import file_digest

    try:
        return file_digest(Path(path) / "model.safetensors")
    except OSError:
        return ""


def same_weights(run_path: Path, manifest: dict) -> bool:
    """True when the run's weights are the ones an index was built from.

    The stamp (size, time, inode) answers at once; a home copied with ``cp -a`` or ``rsync`` keeps
    the bytes but not the inode, and its every index read as built "from weights the run has
    replaced since" and was embedded again. The digest of the bytes settles it then.
    """
    stamp = weights_stamp(run_path)
    if not stamp:
        return False
    if manifest.get("weights") == stamp:
        return True
    digest = manifest.get("weights_digest")
    return bool(digest) and _weights_digest(str(run_path), stamp) == digest


def collection_source(key: str, home: Path | None = None) -> str:
    """The digest an index of collection ``key`` must have been built from ("" for files and uploads,
    whose key holds their own hash, and for a built-in not imported yet)."""
    if key.startswith(("upload-", "file-")):
        return ""
    from core.registry import DatasetStore

    store = DatasetStore(home)
    try:
        return store.info(key).rows_and_places if store.exists(key) else ""
    except StudioError:  # a damaged dataset: loading the index says so
        return ""


def _index_problem(vectors: np.ndarray, items: pd.DataFrame, space, manifest: dict) -> str | None:
    """What is wrong with a stored index that loaded, or None. A hand-edited one loaded, then failed
    every query with a traceback (a matmul of other widths, a missing column), and was never rebuilt."""
    if vectors.ndim != 2 or not np.issubdtype(vectors.dtype, np.floating):
        return "its vectors are not a table of numbers"
    if len(vectors) != len(items):
        return "vectors and texts differ"
    missing = [c for c in ("text", "label", "lang") if c not in items.columns]
    if missing:
        return f"its texts lack {', '.join(missing)}"
    dim = manifest.get("dim")
    if dim is not None and vectors.shape[1] != dim:
        return "its vectors have another width than its manifest says"
    width = vectors.shape[1]
    centre, basis, scale = np.asarray(space.centre), space.basis, space.scale
    # without a basis the vectors keep the encoder's width; with one, one column per kept direction (a
    # collection of 12 texts keeps 12 of a 64-wide encoder's directions)
    fits = (
        centre.shape == (width,)
        if basis is None
        else (np.ndim(basis) == 2 and np.shape(basis) == (width, len(centre)) and np.shape(scale) == (width,))
    )
    if centre.ndim != 1 or not fits:
        return "its search space has another width than its vectors"
    if not np.isfinite(vectors.sum(axis=1)).all():  # a row with NaN or inf sums to it (unit rows cannot overflow)
        return "some vectors are not numbers"
    return None


UPLOAD_PREFIX = "upload:"  # a collection added on the Search page: ``upload:<id>``


def uploads_folder(home: Path | None = None) -> Path:
    """Where files of texts added on the Search page are kept: ``<home>/collections/``."""
    from core.storage import studio_home

    return Path(home or studio_home()) / "collections"


NAME_KEY = b"encoder_studio.collection_name"  # Parquet metadata: an uploaded collection's name as its file had it


def collection_frame(
    data: bytes, filename: str, text_column: str | Sequence[str] | None = None, sheet: str | None = None, limits=None
) -> pd.DataFrame:
    """The texts of a file to search (``text``, ``label``, ``lang``, ``row``: each one's row in the file), read
    as the Data page reads a file:
    the Search page's upload and the command line's ``--collection file.txt`` number its texts alike.
    ``limits`` (``core.data.DataLimits``): the page's by default. DataError when it cannot be read or
    holds no text."""
    from core.data import FILE_ROW, _as_text, file_rows, load_file, texts_to_predict
    from core.text import composed_all, detect_language

    table = load_file(data, filename, text_column=text_column, sheet=sheet, limits=limits)
    texts, _ = texts_to_predict(table)  # the column load_file chose, or the several it joins
    # composed (NFC) as datasets and queries are: "pâté" saved by macOS was never highlighted
    frame = pd.DataFrame({"text": composed_all(texts), "label": None, FILE_ROW: file_rows(table)})
    label = table.label_column
    if label and label in table.frame and label not in table.chosen_text_columns:
        frame["label"] = _as_text(table.frame[label]).to_numpy()  # 1.0 from a spreadsheet is the label "1"
    frame = frame[frame["text"].str.strip().astype(bool)].reset_index(drop=True)
    if frame.empty:
        raise DataError(f"{filename} holds no text to search.")
    if len(frame) > MAX_COLLECTION:
        raise DataError(f"{filename} holds more than {MAX_COLLECTION:,} texts; split it into several files.")
    frame["lang"] = [detect_language(t) for t in frame["text"]]
    return frame


def save_upload(
    data: bytes,
    filename: str,
    text_column: str | Sequence[str] | None = None,
    home: Path | None = None,
    sheet: str | None = None,
) -> str:
    """Read an uploaded file of texts (any format the Data page reads; labels kept where the file has
    them; ``sheet``: a workbook's sheet, else the likeliest: the first unless it is a short note) and keep it as a collection; returns its
    reference, ``upload:<id>``. DataError when it cannot be read or holds no text; nothing is written then."""
    from core.storage import atomic_save, slugify

    frame = collection_frame(data, filename, text_column, sheet)
    # the columns too: the same file searched by its body, then by subject + body, is two collections
    picked = [text_column] if isinstance(text_column, str) else list(text_column or [])
    digest = hashlib.sha256(data + (sheet or "").encode() + "\x1f".join(picked).encode()).hexdigest()[:8]
    name = f"{Path(filename).stem} {sheet}" if sheet else Path(filename).stem  # two sheets of one workbook read apart
    collection_id = f"{slugify(name, 'texts')}-{digest}"
    folder = uploads_folder(home)
    folder.mkdir(parents=True, exist_ok=True)
    import pyarrow as pa
    import pyarrow.parquet as pq

    # the id is a safe slug ("texts" for 我的评论.txt); the name as the user knows it travels in the file
    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    arrow = arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), NAME_KEY: name.strip().encode()})
    atomic_save(folder / f"{collection_id}.parquet", lambda tmp: pq.write_table(arrow, tmp))
    return UPLOAD_PREFIX + collection_id


def uploaded_collections(home: Path | None = None) -> dict[str, tuple[str, int]]:
    """``{reference: (name, texts)}`` of the collections added on the Search page, newest first."""
    import pyarrow.parquet as pq

    folder = uploads_folder(home)

    def modified(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:  # removed by another session since the listing: its read below leaves it out
            return 0.0

    files = sorted(folder.glob("*.parquet"), key=modified, reverse=True) if folder.is_dir() else []
    found = {}
    for path in files:
        try:
            meta = pq.read_metadata(path)
        except Exception:  # a damaged upload is left out; adding the file again replaces it
            continue
        name = (meta.metadata or {}).get(NAME_KEY, b"").decode("utf-8", "replace")
        found[UPLOAD_PREFIX + path.stem] = (name or path.stem.rsplit("-", 1)[0], int(meta.num_rows))
    return found


def remove_upload(ref: str, home: Path | None = None) -> None:
    """Forget an uploaded collection: its file, and every run's index of it (each a copy of its texts)."""
    from core.registry import forget_search_indexes
    from core.storage import safe_child, studio_home, validate_id

    if not ref.startswith(UPLOAD_PREFIX):
        raise StudioError(f"{ref!r} is not an uploaded collection.")
    path = safe_child(uploads_folder(home), validate_id(ref[len(UPLOAD_PREFIX) :], "collection id") + ".parquet")
    path.unlink(missing_ok=True)
    forget_search_indexes(Path(home or studio_home()), collection_key(ref))


def collection_key(ref: str) -> str:
    """The id that names a collection's index folder and job: a dataset id, ``upload-<id>``, ``file-<hash>``."""
    if ref.startswith(UPLOAD_PREFIX):
        return "upload-" + ref[len(UPLOAD_PREFIX) :]
    if _stored_dataset(ref):  # before a file of that name in the working folder (as load_collection reads it)
        return ref
    path = Path(ref).expanduser()
    if path.is_file():
        return "file-" + hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return ref


def _stored_dataset(ref: str, home: Path | None = None) -> bool:
    """Whether ``ref`` is the id of a stored dataset. Looked at before the working folder: a dataset imported
    as ``--id requirements.txt`` was searched as the server's requirements.txt."""
    from core.registry import DatasetStore

    try:
        return DatasetStore(home).exists(ref)
    except (StudioError, ValueError, OSError):  # not a valid id at all (a path with slashes)
        return False


def search_job_name(key: str) -> str:
    """The name of the worker that builds the index of collection ``key``: ``search-<key>``, shortened
    with a hash where that passes the 80 characters a job name may have (a dataset id may have 80)."""
    name = f"search-{key}"
    if len(name) <= 80:
        return name
    return f"search-{key[:63].rstrip('-._')}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"


def _kept_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of a collection: the text, its label and language, and its row in the file where known."""
    from core.data import FILE_ROW

    return ["text", "label", "lang", *([FILE_ROW] if FILE_ROW in frame.columns else [])]


def load_collection(ref: str, home: Path | None = None) -> Collection:
    """A stored dataset (id or name, every split), an uploaded collection (``upload:<id>``) or a text
    file (one text per line) to search."""
    if ref.startswith(UPLOAD_PREFIX):
        from core.storage import safe_child, validate_id

        name = validate_id(ref[len(UPLOAD_PREFIX) :], "collection id")
        path = safe_child(uploads_folder(home), f"{name}.parquet")
        if not path.is_file():
            raise DataError(f"No uploaded collection {name!r}: add the file again on the Search page.")
        frame = pd.read_parquet(path)
        return Collection(collection_key(ref), name.rsplit("-", 1)[0], frame[_kept_columns(frame)], origin=path)
    path = Path(ref).expanduser()
    if path.is_file() and not _stored_dataset(ref, home):
        # read as the Search page reads an upload (a line past 100,000 characters was cut in pieces here, a
        # byte-order mark kept): "#N" named other texts on the command line than on the page
        from core.data import DataLimits

        # no upload limit on a file of this machine: a text file of 1.4 million lines (230 MB) was searched
        # before, and the count of texts is what is capped (MAX_COLLECTION)
        frame = collection_frame(path.read_bytes(), path.name, limits=DataLimits(max_file_mb=float("inf")))
        return Collection(collection_key(str(path)), path.name, frame)
    if path.is_dir() and ("/" in ref or "\\" in ref):  # read as a missing file, or as an unknown dataset
        raise DataError(f"{path} is a folder: give one file of texts in it (one text per line, or a table).")
    from core.registry import DatasetStore

    store = DatasetStore(home)
    try:
        dataset = store.resolve(ref)
    except UnknownDatasetError as exc:
        # a file added on the Search page, by the name the page lists it under ("mytexts (uploaded)")
        added = [key for key, (name, _) in uploaded_collections(home).items() if name == ref]
        if len(added) == 1:
            return load_collection(added[0], home)
        from core.registry import FILE_SUFFIXES

        # a file path: "To train on a file, import it first" misled (a name two datasets share keeps its message)
        looks_like_a_file = "/" in ref or "\\" in ref or path.suffix.lower() in FILE_SUFFIXES
        if looks_like_a_file and str(exc).startswith("No dataset"):
            raise UnknownDatasetError(
                f"No file at {path}, and no dataset by that name. A text file (one text per line) or a table "
                "is searched as it is, with no import: check the path."
            ) from None
        raise
    if not store.exists(dataset):
        store.ensure_builtin(dataset)
    frame = store.load(dataset)
    frame = frame[_kept_columns(frame)].reset_index(drop=True)
    info = store.info(dataset)
    return Collection(dataset, info.name, frame, source=info.rows_and_places, origin=store.path(dataset) / "meta.json")


class SearchIndex:
    """One run's embeddings of one collection, ready to search."""

    def __init__(self, folder: Path, vectors: np.ndarray, items: pd.DataFrame, space, manifest: dict):
        self.folder, self.vectors, self.items, self.space, self.manifest = folder, vectors, items, space, manifest
        self._graph = None
        # texts with nothing this encoder reads are stored as zeros: they have no place by meaning, and
        # their score of 0 ranked them above every real text that scored below it
        self.blank = ~np.asarray(vectors).any(axis=1) if len(vectors) else np.zeros(0, dtype=bool)

    def chinese_script(self) -> str | None:
        """The Chinese script most of the collection is written in (``core.text.dominant_script``), once."""
        if not hasattr(self, "_script"):
            from core.text import dominant_script

            self._script = dominant_script(self.items["text"]) if "text" in self.items else None
        return self._script

    # -- building and loading
    @staticmethod
    def folder_for(run_path: Path, collection_key: str) -> Path:
        from core.storage import safe_child, validate_id

        return safe_child(Path(run_path) / "search", validate_id(collection_key, "collection id"))

    @classmethod
    def build(
        cls,
        run_path: Path,
        collection: Collection,
        progress: Callable[[str, float | None], None] | None = None,
        predictor=None,
    ) -> SearchIndex:
        """Embed ``collection`` with the run's encoder and store the index in the run folder."""
        from core.inference import Predictor, searchable
        from core.storage import atomic_save, atomic_write_json

        say = progress or (lambda phase, fraction=None: None)
        folder = cls.folder_for(run_path, collection.key)
        if (Path(run_path) / "config.json").is_file():  # a deleted run gets no folders made for it here
            try:  # a read-only home said so after every text was embedded (minutes): said before, now
                with tempfile.TemporaryFile(dir=run_path):
                    pass
            except OSError as exc:
                from core.storage import change_refused

                raise change_refused(exc, Path(run_path).parent.parent) from exc
        weights = weights_stamp(run_path)  # before loading: weights replaced meanwhile make the index stale
        digest = _weights_digest(str(run_path), weights) if weights else ""
        predictor = predictor or Predictor.from_run(run_path)
        texts = collection.frame["text"].astype(str).tolist()
        started = time.monotonic()
        parts = []
        for start in range(0, len(texts), EMBED_BATCH):
            parts.append(np.asarray(predictor.embed(texts[start : start + EMBED_BATCH]), dtype=np.float32))
            done = min(start + EMBED_BATCH, len(texts))
            say(f"embedding {done:,} of {len(texts):,} texts", done / len(texts))
        raw = np.concatenate(parts) if parts else np.zeros((0, 1), dtype=np.float32)
        say("fitting the search space", None)
        space, vectors, unreadable = searchable(predictor, texts, raw)
        folder.mkdir(parents=True, exist_ok=True)
        # the old manifest must not vouch for half-replaced files, nor the old graph answer for new vectors
        for stale in ("manifest.json", "hnsw.faiss"):
            (folder / stale).unlink(missing_ok=True)
        atomic_save(folder / "vectors.npy", lambda tmp: np.save(tmp, vectors))
        atomic_save(folder / "items.parquet", lambda tmp: collection.frame.to_parquet(tmp, index=False))
        atomic_save(folder / "space.npz", lambda tmp: _save_space(tmp, space))
        manifest = {
            "format": SEARCH_FORMAT,
            "collection": collection.key,
            "name": collection.name,
            "texts": len(texts),
            "source": collection.source,
            "weights": weights,
            "weights_digest": digest,
            "dim": int(vectors.shape[1]),
            "unreadable": int(unreadable.sum()),
            "seconds": round(time.monotonic() - started, 2),
            "built": time.time(),
        }
        index = cls(folder, vectors, collection.frame, space, manifest)
        if len(vectors) >= APPROXIMATE_FROM:  # built here, in the worker: minutes at a million texts
            say(f"building the approximate index of {len(vectors):,} vectors", None)
            index.graph(build=True)
        if not (Path(run_path) / "config.json").is_file():  # the run was deleted while its index was built
            shutil.rmtree(folder.parent, ignore_errors=True)
            with contextlib.suppress(OSError):
                Path(run_path).rmdir()  # only when nothing else is left in it
            raise StudioError(f"Run {Path(run_path).name} was deleted while its search index was built.")
        if collection.origin is not None and not collection.origin.is_file():  # removed meanwhile: no copy kept
            shutil.rmtree(folder, ignore_errors=True)
            raise StudioError(f"The collection {collection.name!r} was removed while its search index was built.")
        atomic_write_json(folder / "manifest.json", manifest)  # written last: the index exists from here
        return index

    @classmethod
    def is_current(cls, run_path: Path, collection_key: str, source: str) -> bool:
        """True when the stored index was built from the collection as it is now (``source``: its digest)."""
        try:
            manifest = json.loads((cls.folder_for(run_path, collection_key) / "manifest.json").read_text("utf-8"))
        except (OSError, ValueError):
            return False
        if not isinstance(manifest, dict) or not same_weights(run_path, manifest):
            return False
        if manifest.get("format") != SEARCH_FORMAT:
            return False
        return not source or manifest.get("source") == source

    @classmethod
    def load(cls, run_path: Path, collection_key: str, source: str = "") -> SearchIndex:
        """The stored index, or a StudioError saying it must be built (again) first.

        ``source``, a dataset's digest, refuses an index built before the dataset changed.
        """
        folder = cls.folder_for(run_path, collection_key)
        if not (folder / "manifest.json").is_file():
            raise StudioError(
                f"Run {Path(run_path).name} has no search index of {collection_key!r} yet; build it first "
                f"(python -m core search --run {Path(run_path).name} --collection {collection_key} builds it)."
            )
        try:
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            if source and manifest.get("source") != source:  # read first: a damaged manifest is "damaged"
                raise StudioError(
                    f"The search index of {collection_key!r} in run {Path(run_path).name} was built before the "
                    "dataset changed (imported again, or its classes renamed); build it again."
                )
            if manifest.get("format") != SEARCH_FORMAT:
                raise StudioError(
                    f"The search index of {collection_key!r} in run {Path(run_path).name} was built by an older "
                    "version of the studio; build it again."
                )
            if not same_weights(run_path, manifest):
                raise StudioError(
                    f"The search index of {collection_key!r} in run {Path(run_path).name} was built from weights "
                    "the run has replaced since (it was resumed or trained again); build it again."
                )
            vectors = np.load(folder / "vectors.npy", allow_pickle=False)
            items = pd.read_parquet(folder / "items.parquet")
            space = _load_space(folder / "space.npz")
        except StudioError:
            raise
        except Exception as exc:
            raise StudioError(
                f"The search index of {collection_key!r} in run {Path(run_path).name} is damaged "
                f"({type(exc).__name__}); build it again."
            ) from None
        problem = _index_problem(vectors, items, space, manifest)
        if problem:
            raise StudioError(f"The search index of {collection_key!r} is damaged ({problem}); build it again.")
        return cls(folder, vectors, items, space, manifest)

    @classmethod
    def ensure(cls, run_path: Path, collection: Collection, progress=None, predictor=None) -> SearchIndex:
        """The stored index of ``collection``, built first when missing."""
        try:
            return cls.load(run_path, collection.key, collection.source)
        except StudioError:
            return cls.build(run_path, collection, progress, predictor)

    # -- queries
    def embed_query(self, predictor, text: str) -> np.ndarray:
        """A query's vector in this index's search space."""
        from core.text import composed

        return self.space.transform(np.asarray(predictor.embed([composed(text)]), dtype=np.float32))[0]

    def embed_group(self, predictor, texts: list[str]) -> np.ndarray:
        """One query for several texts ("more like these"): the normalised mean of their vectors."""
        if not texts:
            raise StudioError("Select at least one text to find more like it.")
        vectors = self.space.transform(np.asarray(predictor.embed(list(texts)), dtype=np.float32))
        centre = vectors.mean(0)
        return centre / max(float(np.linalg.norm(centre)), 1e-12)

    def ids_of(self, texts: list[str]) -> set[int]:
        """The ids of the stored texts equal to any of ``texts`` (left out of "more like these")."""
        wanted = set(texts)
        return {int(i) for i in np.flatnonzero(self.items["text"].astype(str).isin(wanted).to_numpy())}

    def _allowed(self, labels=None, langs=None, exclude=None) -> np.ndarray | None:
        mask = np.ones(len(self.items), dtype=bool)
        if labels:
            mask &= self.items["label"].astype(str).isin([str(x) for x in labels]).to_numpy()
        if langs:
            mask &= self.items["lang"].astype(str).isin(list(langs)).to_numpy()
        if exclude is not None:
            mask[np.asarray(list(exclude), dtype=np.int64)] = False
        return None if mask.all() else mask

    def typical_score(self, vector: np.ndarray, sample: int = 2000, seed: int = 0) -> float:
        """The median score of the collection's texts against ``vector`` (a seeded sample of at most
        ``sample``): what "unrelated" scores here, so a 0.90 can be read (bag encoders put every text
        of a class near 0.9)."""
        # the texts with a place by meaning: the blank ones score 0 against anything, and a collection of
        # many of them pulled "typical" towards 0, so that every result read as well above it
        readable = np.flatnonzero(~self.blank) if len(self.blank) == len(self.vectors) else np.arange(len(self.vectors))
        n = len(readable)
        if n == 0:
            return 0.0
        rows = readable[np.random.default_rng(seed).choice(n, sample, replace=False)] if n > sample else readable
        return float(np.median(self.vectors[rows] @ vector))

    def scores(self, vector: np.ndarray) -> np.ndarray:
        """Cosine similarity of every text to ``vector`` (exact: one matrix product)."""
        return self.vectors @ vector

    def top(self, vector: np.ndarray, k: int = 10, labels=None, langs=None, exclude=None) -> pd.DataFrame:
        """The ``k`` texts nearest ``vector``, best first: id, text, label, lang, score. Texts with
        nothing this encoder reads (``blank``) are never among them."""
        mask = self._allowed(labels, langs, exclude)
        blanks = int(self.blank.sum())
        graph_fits = len(self.items) >= APPROXIMATE_FROM and mask is None and blanks <= BLANKS_PAST_THE_GRAPH
        if graph_fits and self.graph() is not None:  # built with the index
            ids, sims = self._graph_top(vector, k + blanks)  # a few more, for the blanks it may find
            keep = ~self.blank[ids]
            ids, sims = ids[keep][:k], sims[keep][:k]
        else:
            sims_all = self.scores(vector)
            if mask is not None or blanks:
                sims_all = np.where((mask if mask is not None else True) & ~self.blank, sims_all, -np.inf)
            k = min(k, int(np.isfinite(sims_all).sum()))
            ids = np.argpartition(-sims_all, k - 1)[:k] if k else np.zeros(0, dtype=np.int64)
            ids = ids[np.argsort(-sims_all[ids], kind="stable")]
            sims = sims_all[ids]
        return self._rows(ids, sims)

    def item_vector(self, item: int) -> np.ndarray:
        """Stored text ``item``'s vector, to search from; StudioError when there is no such text, or
        nothing in it this encoder can read (its zero vector scored 0 against every text, and the
        first texts of the collection came back as its "neighbours"). Messages count from #1."""
        if not 0 <= item < len(self.items):
            raise StudioError(
                f"No text #{item + 1} in this collection (it holds {len(self.items):,}: #1 to #{len(self.items)})."
            )
        if not self.vectors[item].any():  # stored as zeros: nothing in it this encoder can read
            raise StudioError(
                f"Text #{item + 1} has nothing this encoder can read (only symbols or emoji, or only words it never "
                "saw), so it has no neighbours by meaning. Pick another text, or type a query."
            )
        return self.vectors[item]

    def more_like(self, item: int, k: int = 10, **filters) -> pd.DataFrame:
        """The texts nearest stored text ``item`` (itself and its copies left out: an upload with a
        review four times answered "more like #41" with the same text three times, at 1.000)."""
        vector = self.item_vector(item)
        exclude = set(filters.pop("exclude", None) or ()) | {item} | self.ids_of([str(self.items["text"].iloc[item])])
        return self.top(vector, k, exclude=exclude, **filters)

    def diverse(
        self, vector: np.ndarray, k: int = 10, balance: float = 0.5, pool: int = 100, **filters
    ) -> pd.DataFrame:
        """Relevant but varied: maximal marginal relevance over the ``pool`` nearest texts.

        ``balance`` = 1 is plain relevance; lower values trade relevance for variety.
        """
        candidates = self.top(vector, max(k, pool), **filters)
        ids = candidates["id"].to_numpy()
        relevance = candidates["score"].to_numpy()
        chosen: list[int] = []
        # each pick's similarities one row at a time: the whole pool x pool matrix took 922 MB for -k 100000
        # over 12,000 texts, and grows with the square of the pool
        pool_vectors = self.vectors[ids]
        redundancy = np.full(len(ids), -np.inf)
        for _ in range(min(k, len(ids))):
            value = balance * relevance - (1 - balance) * np.where(np.isfinite(redundancy), redundancy, 0.0)
            value[chosen] = -np.inf
            pick = int(np.argmax(value))
            chosen.append(pick)
            redundancy = np.maximum(redundancy, pool_vectors @ pool_vectors[pick])
        return self._rows(ids[chosen], relevance[chosen])

    def _rows(self, ids: np.ndarray, sims: np.ndarray) -> pd.DataFrame:
        rows = self.items.iloc[ids]
        from core.data import FILE_ROW

        return pd.DataFrame(
            {
                "id": np.asarray(ids, dtype=np.int64),
                "text": rows["text"].to_numpy(),
                "label": rows["label"].to_numpy(),
                "lang": rows["lang"].to_numpy(),
                "score": np.asarray(sims, dtype=np.float32),
                # the text's row in its file, where the collection keeps them: to find it there
                **({FILE_ROW: rows[FILE_ROW].to_numpy(dtype=np.int64)} if FILE_ROW in rows.columns else {}),
            }
        )

    # -- the approximate index
    def graph(self, build: bool = False):
        """The HNSW graph over the vectors (faiss), kept beside them; built only when ``build`` (a query
        never waits minutes for it: without a graph it searches exactly). None without faiss."""
        if self._graph is not None:
            return self._graph
        try:
            import faiss
        except ImportError:
            return None
        path = self.folder / "hnsw.faiss"
        graph = None
        if path.is_file():
            try:
                graph = faiss.read_index(str(path))
            except RuntimeError:  # damaged (a disk filled while it was written): built again, or exact search
                graph = None
            if graph is not None and graph.ntotal != len(self.vectors):  # another build's: its ids are not ours
                graph = None
        if graph is None and not build:
            return None
        if graph is None:
            graph = faiss.IndexHNSWFlat(self.vectors.shape[1], HNSW_LINKS, faiss.METRIC_INNER_PRODUCT)
            graph.hnsw.efConstruction = HNSW_EF_BUILD
            graph.add(np.ascontiguousarray(self.vectors))
            from core.storage import atomic_save

            atomic_save(path, lambda tmp: faiss.write_index(graph, str(tmp)))
        graph.hnsw.efSearch = HNSW_EF_SEARCH
        self._graph = graph
        return graph

    def _graph_top(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        sims, ids = self.graph().search(
            np.ascontiguousarray(vector[None, :], dtype=np.float32), min(k, len(self.vectors))
        )
        keep = ids[0] >= 0
        return ids[0][keep].astype(np.int64), sims[0][keep].astype(np.float32)


def _save_space(path, space) -> None:
    arrays = {"centre": space.centre}
    if space.basis is not None:
        arrays.update(basis=space.basis, scale=space.scale, shrink=np.array([space.shrink]))
    with open(path, "wb") as handle:
        np.savez(handle, **arrays)


def _load_space(path: Path):
    from core.inference import SearchSpace

    with np.load(path, allow_pickle=False) as data:
        if "basis" in data:
            return SearchSpace(data["centre"], data["basis"], data["scale"], float(data["shrink"][0]))
        return SearchSpace(data["centre"])


# words too common to be worth highlighting: the query's content words are what a reader looks for
_ENGLISH_STOPWORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "not",
        "but",
        "with",
        "this",
        "that",
        "from",
        "they",
        "them",
        "their",
        "there",
        "what",
        "which",
        "who",
        "will",
        "would",
        "can",
        "could",
        "you",
        "your",
        "our",
        "its",
        "his",
        "her",
        "she",
        "him",
        "all",
        "any",
        "been",
        "into",
        "than",
        "then",
        "too",
        "very",
    ]
)
_CHINESE_STOPCHARS = frozenset("的了很是在我有和也都就不这那个们你他她它之与及或而")


_TWO_LETTER_COMMON = frozenset(["go", "oh", "ok", "hi", "ya", "ye", "yo", "eh", "ah", "uh", "er", "um"])
_CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
# a letter or digit of a spaced script: "iPhone" in "我的iPhone屏幕"; not "_", which joins words the models
# read apart ("pool" found "db_pool_size" and lit nothing of it)
_LATIN = f"[^\\W_{_CJK_CHARS}]"
# English words that carry no topic, short ones too (the highlighting list leaves out what it never sees)
_FUNCTION_WORDS = _ENGLISH_STOPWORDS | frozenset(
    [
        "a",
        "an",
        "or",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "as",
        "is",
        "be",
        "it",
        "i",
        "me",
        "my",
        "we",
        "us",
        "he",
        "so",
        "do",
        "does",
        "did",
        "no",
        "am",
        "up",
        "out",
        "off",
        "these",
        "those",
        "being",
        "what",
        "when",
        "where",
        "why",
        "how",
        "who",
        "whom",
        "whose",
        "here",
        "some",
        "such",
        "only",
        "own",
        "same",
        "just",
        "about",
        "over",
        "under",
        "again",
        "once",
        "both",
        "each",
        "few",
        "more",
        "most",
        "other",
        "should",
        "shall",
        "may",
        "might",
        "must",
        # what an apostrophe leaves: "it's", "don't", "we'll"
        "s",
        "t",
        "d",
        "ll",
        "re",
        "ve",
        "m",
        "don",
        "isn",
        "doesn",
        "didn",
        "can",
    ]
)


def words_starting_with(query: str, texts, limit: int = 3, sample: int = 20_000) -> list[tuple[str, int]]:
    """For a one-word query: the collection's words that start with it, the commonest first, with their
    counts. "crash" was refused as unknown to a Transformer whose vocabulary spells it out letter by letter,
    while "crashes" was in a sixth of the bug tickets."""
    import re
    from collections import Counter

    words = re.findall(f"{_LATIN}+", query)
    if len(words) != 1 or len(words[0]) < 3 or re.search("[\u4e00-\u9fff]", query):
        return []
    found = re.compile(f"(?<!{_LATIN})({re.escape(words[0])}{_LATIN}*)", re.IGNORECASE)
    counts: Counter[str] = Counter()
    for text in list(texts)[:sample]:
        counts.update(word.lower() for word in found.findall(str(text)))
    counts.pop(words[0].lower(), None)
    return counts.most_common(limit)


def only_common_words(query: str) -> bool:
    """Whether ``query`` has words and every one is a common function word ("the and of to it is",
    "我的"): its vector says nothing about a topic, and the results it gets are a pick by the model's
    bias, shown with scores as high as a real match's (0.57 for "the and of to it is")."""
    import re

    latin = [word.lower() for word in re.findall(f"{_LATIN}+", query)]
    han = re.findall("[\u4e00-\u9fff]", query)
    if not latin and not han or re.search("[\u3040-\u30ff\uac00-\ud7af]", query):
        return False
    return all(word in _FUNCTION_WORDS for word in latin) and set(han) <= _CHINESE_STOPCHARS


def _chinese_words(query: str) -> set[str]:
    """The query's Chinese words as jieba segments them for search (long words and their parts), less
    those made of common function characters alone (的, 我们). Not trimmed of them: "不错" became 错, lit
    up in "送错了"."""
    import re

    from core.text import _jieba

    words = set()
    for piece in re.findall("[\u4e00-\u9fff]+", query):
        for word in _jieba().lcut_for_search(piece):  # its parts too: "足球比赛" is one word to jieba
            if not set(word) <= _CHINESE_STOPCHARS:
                words.add(word)
    return words


def matched_terms(query: str, text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that repeat a content word of ``query``, for highlighting: its Chinese
    words (as jieba segments the query; common function characters left out) and its words in spaced
    scripts, matched whole in any case. Both, whatever the query's language: "iPhone 屏幕碎了"
    highlighted nothing of "我的iPhone屏幕碎了怎么办", and "5G手机" only 手 and 机. Characters one by one
    lit up 服 in 舒服 and 间 in 标间 for "房间很干净，服务周到"."""
    import re

    chinese = _chinese_words(query)
    # two letters are a word too ("db", "io", "os" in a log's query), where they are no function word
    # (not "10", of an IP address, lit in every timestamp's "12:10:50"; "5g" and "2024" are words)
    words = {w.lower() for w in re.findall(f"{_LATIN}+", query) if len(w) >= 3 or (len(w) == 2 and not w.isdigit())}
    words -= _FUNCTION_WORDS | _TWO_LETTER_COMMON
    parts = []
    if words:  # whole words: bounded by anything but a letter of a spaced script (Chinese bounds them too)
        alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
        parts.append(f"(?<!{_LATIN})(?:{alternatives})(?!{_LATIN})")
    parts += sorted(map(re.escape, chinese), key=lambda w: (-len(w), w))  # the longest first, where one holds another
    if not parts:
        return []
    return [(m.start(), m.end()) for m in re.finditer("|".join(parts), text, re.IGNORECASE)]
