"""Streamed pretraining corpora: read any size of text once, tokenise it into shards, read windows.

A corpus is a text file (one text per line), a folder of such files, JSONL (a ``text`` field per
line) or Parquet files (a ``text`` column), or a stored studio dataset. ``build_shards``
tokenises it in one streaming pass into flat token arrays on disk (``shard-00000.bin``, uint16
or uint32, one ``[SEP]`` between documents) and a ``manifest.json``; nothing but the current
chunk is ever in memory. The shards live in a cache under the studio home keyed by the
tokeniser and the corpus fingerprint, so a resumed run (or another run with the same
vocabulary) tokenises nothing again.

``TokenWindows`` then reads fixed windows of ``length`` tokens from the concatenated stream
with ``os.pread``: the process holds only the windows of the current batch, so its memory does
not grow with the corpus (a memory map would count every page it ever touched in its RSS).
``BlockOrder`` shuffles the windows in blocks, so an epoch's order costs memory in proportion
to the number of blocks, not of windows, and depends only on (seed, epoch): a resumed run (with
any number of processes) continues at the exact window where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import DataError, UnknownDatasetError

CORPUS_SUFFIXES = (".txt", ".text", ".jsonl", ".parquet")
SHARD_FORMAT = 1  # bump when the shard layout changes: old caches are then ignored
SHARD_TOKENS = 1 << 24  # tokens per shard file (32-64 MB)
ENCODE_CHUNK = 2048  # texts tokenised per call
VOCAB_SAMPLE_CHARS = 8_000_000  # the vocabulary is learned from the corpus's first this-many characters
MAX_OPEN_SHARDS = 64  # file handles a reader keeps open at once
VAL_EVERY = 100  # every 100th window is held out to measure the MLM loss on
MAX_VAL_WINDOWS = 512  # ...at most this many of them are evaluated


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class CorpusSource:
    """Where a corpus's texts come from: files on disk, or a stored dataset's training texts."""

    files: tuple[Path, ...] = ()
    dataset: str = ""  # a dataset id in the studio home

    @property
    def label(self) -> str:
        """A short description for logs and the run's record."""
        if self.dataset:
            return f"dataset {self.dataset}"
        if len(self.files) == 1:
            return str(self.files[0])
        return f"{len(self.files)} files under {os.path.commonpath([str(f) for f in self.files])}"


def open_corpus(ref: str, home: Path | None = None) -> CorpusSource:
    """The corpus ``ref`` names: an existing file or folder, else a stored dataset (id or name)."""
    path = Path(ref).expanduser()
    if path.is_file():
        if path.suffix.lower() not in CORPUS_SUFFIXES:
            raise DataError(
                f"{path.name}: a corpus file must be .txt (one text per line), .jsonl (a 'text' field per line) "
                "or .parquet (a 'text' column)."
            )
        return CorpusSource(files=(path.resolve(),))
    if path.is_dir():
        files = tuple(sorted(set(_corpus_files(path, home))))  # a set: a file and a link to it are read once
        if not files:
            raise DataError(
                f"{path} holds no .txt, .jsonl or .parquet files to pretrain on (hidden folders and the studio's "
                "own files are left out)."
            )
        return CorpusSource(files=files)
    from core.registry import DatasetStore

    store = DatasetStore(home)
    try:
        dataset = store.resolve(ref)
    except UnknownDatasetError as exc:
        if "datasets are named" in str(exc):  # a name several datasets share: which ids, not "no corpus"
            raise
        raise DataError(
            f"No corpus {ref!r}: it is neither a file, a folder nor a stored dataset. Give a .txt, .jsonl or "
            ".parquet file, a folder of them, or a dataset id (python -m core data list)."
        ) from None
    if not store.exists(dataset):
        store.ensure_builtin(dataset)
    return CorpusSource(dataset=dataset)


# the studio's own folders in its home: datasets (their test texts), runs (logs, metrics), caches
STUDIO_FOLDERS = ("datasets", "runs", "cache", "experiments")


def _corpus_files(folder: Path, home: Path | None) -> Iterator[Path]:
    """The corpus files under ``folder``, leaving out hidden folders and the studio's own files: a
    corpus of "." in a project folder read the stored datasets (their test texts too) and the runs'
    logs and metrics, and a run's own log changed the corpus it was resuming on. A folder of texts
    the user keeps in the home itself (``<home>/corpora``) is theirs, and read."""
    from core.storage import studio_home

    studio = (home or studio_home()).resolve()
    own = [studio / name for name in STUDIO_FOLDERS]
    for path in folder.rglob("*"):
        if path.suffix.lower() not in CORPUS_SUFFIXES or not path.is_file():
            continue
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        resolved = path.resolve()
        if any(resolved == mine or mine in resolved.parents for mine in own):
            continue
        yield resolved


def legacy_folder_files(folder: Path) -> tuple[Path, ...]:
    """A folder's corpus files as runs before session 41 listed them (every file, links twice): what a
    run started then was fingerprinted on, so that it can still resume."""
    return tuple(sorted(p.resolve() for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in CORPUS_SUFFIXES))


def fingerprint(source: CorpusSource, home: Path | None = None, legacy: bool = False) -> str:
    """A hash of what the corpus holds: each file's path, size and modification time, or the
    dataset's training texts. Changing a file (and so its size or time) changes the fingerprint.

    ``legacy``: a dataset by its whole content hash, as runs before session 41 recorded it. Renaming
    a class changed that hash, and a stopped run pretraining on the texts (which have no use for
    labels) could no longer resume.
    """
    digest = hashlib.sha256()
    if source.dataset:
        from core.registry import DatasetStore

        if legacy:
            digest.update(f"dataset:{source.dataset}:{DatasetStore(home).info(source.dataset).sha256}".encode())
        else:
            texts = hashlib.sha256()
            for text in iter_texts(source, home):
                texts.update(text.encode("utf-8", errors="replace") + b"\0")
            digest.update(f"dataset texts:{source.dataset}:{texts.hexdigest()}".encode())
    for path in source.files:
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:24]


def iter_texts(source: CorpusSource, home: Path | None = None) -> Iterator[str]:
    """Every non-empty text of the corpus, in order, read a piece at a time."""
    if source.dataset:
        from core.registry import DatasetStore

        frame = DatasetStore(home).load(source.dataset)
        texts = frame.loc[frame["split"] == "train", "text"].dropna()
        yield from (t for t in texts.astype(str) if t.strip())
        return
    for path in source.files:
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            yield from _parquet_texts(path)
        elif suffix == ".jsonl":
            yield from _jsonl_texts(path)
        else:
            yield from _line_texts(path)


TEXT_PIECE_CHARS = 100_000  # a longer line is read and tokenised in pieces of this many characters
JSONL_RECORD_CHARS = 50_000_000  # a JSON Lines record longer than this is refused (it cannot be cut)


def _pieces(text: str) -> Iterator[str]:
    """``text`` stripped, in pieces of at most ``TEXT_PIECE_CHARS`` (a dump with no line breaks, or one
    huge record, was tokenised whole: 5 GB of memory for a 31 MB line)."""
    for start in range(0, len(text), TEXT_PIECE_CHARS):
        piece = text[start : start + TEXT_PIECE_CHARS].strip()
        if piece:
            yield piece


# what a file that is not text starts with, and what to do with it (the name and stem are filled in)
BINARY_SIGNATURES = (
    (b"\x1f\x8b", "gzip-compressed", "Unpack it (gzip -dc {name} > {stem}.unpacked.txt) and give the unpacked file."),
    (b"BZh", "bzip2-compressed", "Unpack it (bzip2 -dc {name} > {stem}.unpacked.txt) and give the unpacked file."),
    (b"\xfd7zXZ\x00", "xz-compressed", "Unpack it (xz -dc {name} > {stem}.unpacked.txt) and give the unpacked file."),
    (
        b"\x28\xb5\x2f\xfd",
        "zstd-compressed",
        "Unpack it (zstd -dc {name} > {stem}.unpacked.txt) and give the unpacked file.",
    ),
    (
        b"PK\x03\x04",
        "a zip archive (a .docx, .xlsx or .epub file is one too)",
        "Unpack it and give the text files inside, or export the document as plain text (.txt).",
    ),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "Unpack it and give the text files inside."),
    (b"%PDF", "a PDF", "Export its text (e.g. pdftotext {name} {stem}.txt) and give that file."),
)
BINARY_HEAD = 4096  # bytes of a file looked at to tell a binary file from text


def binary_problem(path: Path, signatures_only: bool = False) -> str | None:
    """What to say when ``path`` is a compressed, archived or (unless ``signatures_only``) other binary
    file rather than text, by its first bytes; None when it may be text in some encoding."""
    with open(path, "rb") as raw:
        head = raw.read(BINARY_HEAD)
    for signature, kind, advice in BINARY_SIGNATURES:
        if head.startswith(signature):
            return f"{path.name} is {kind}, not text, so it cannot be read as a corpus. " + advice.format(
                name=path.name, stem=path.stem
            )
    if signatures_only or _utf16_without_mark(head) or head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None
    # text in any 8-bit or multi-byte encoding has next to no control bytes besides tabs and line breaks
    control = sum(byte < 0x20 and byte not in b"\t\n\r\f\v\x1b" for byte in head)
    if head and control > 0.05 * len(head):
        return (
            f"{path.name} is a binary file (not text: {control} of its first {len(head)} bytes are control "
            "bytes), so it cannot be read as a corpus. Leave it out, or export its text as a plain .txt file."
        )
    return None


def _utf16_without_mark(head: bytes) -> str:
    """``UTF-16LE`` or ``UTF-16BE`` when ``head`` has NUL bytes at every other place (Latin text in UTF-16
    saved without its byte-order mark), else ""."""
    half = len(head) // 2
    if half < 8:
        return ""
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > 0.3 * half and even < 0.05 * half:
        return "UTF-16LE"
    if even > 0.3 * half and odd < 0.05 * half:
        return "UTF-16BE"
    return ""


def _line_texts(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8", errors="strict") as handle:
        try:
            while line := handle.readline(TEXT_PIECE_CHARS):  # bounded: a line with no end comes in pieces
                if "\x00" in line:
                    with open(path, "rb") as raw:
                        utf16 = _utf16_without_mark(raw.read(BINARY_HEAD))
                    if utf16:
                        raise DataError(
                            f"{path.name} is {utf16} text without its byte-order mark, not UTF-8. Convert it, e.g. "
                            f"iconv -f {utf16} -t UTF-8 {path.name} > {path.stem}.utf8.txt"
                        )
                    raise DataError(
                        binary_problem(path, signatures_only=True)
                        or f"{path.name} holds NUL bytes, so it is a binary file rather than text. Leave it out of "
                        "the corpus, or convert it to plain text."
                    )
                line = line.strip()
                if line:
                    yield line
        except UnicodeDecodeError as exc:
            # a gzip or a PDF named .txt was told to convert itself from GB18030
            problem = binary_problem(path)
            if problem:
                raise DataError(problem) from None
            with open(path, "rb") as raw:
                head = raw.read(BINARY_HEAD)
            # UTF-16 (Windows "Unicode" text) starts with its mark: GB18030 advice would make garbage of it
            source = "UTF-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else _utf16_without_mark(head) or "GB18030"
            raise DataError(
                f"{path.name} is not UTF-8 (byte {exc.start} of a block cannot be read). Convert it, e.g. "
                f"iconv -f {source} -t UTF-8 {path.name} > {path.stem}.utf8.txt"
            ) from None


def _jsonl_texts(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8-sig") as handle:  # a Windows editor's BOM: data import reads it, so here too
        number = 0
        while True:
            number += 1
            try:
                line = handle.readline(JSONL_RECORD_CHARS + 1)
            except UnicodeDecodeError as exc:  # the file named: a folder may hold thousands
                raise DataError(
                    binary_problem(path)
                    or f"{path.name} is not UTF-8 (near line {number}, byte {exc.start} of a block). Convert it to "
                    "UTF-8."
                ) from None
            if not line:
                return
            if len(line) > JSONL_RECORD_CHARS:
                raise DataError(
                    f"{path.name}, line {number}: a record longer than {JSONL_RECORD_CHARS:,} characters. Split "
                    "its text over several lines (records)."
                )
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{path.name}, line {number}: not JSON ({exc.msg}).") from None
            text = record.get("text") if isinstance(record, dict) else record if isinstance(record, str) else None
            if not isinstance(text, str):
                raise DataError(f"{path.name}, line {number}: no 'text' field holding a string.")
            yield from _pieces(text)


def _parquet_texts(path: Path) -> Iterator[str]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        handle = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:  # the file named: a folder may hold thousands
        raise DataError(f"{path.name} is not a readable Parquet file ({str(exc)[:120]}).") from None
    if "text" not in handle.schema_arrow.names:
        raise DataError(f"{path.name} has no 'text' column (columns: {', '.join(handle.schema_arrow.names)}).")
    for batch in handle.iter_batches(columns=["text"], batch_size=4096):
        for text in batch.column(0).to_pylist():
            if isinstance(text, bytes):  # a binary column of UTF-8 text, as data import reads it
                text = text.decode("utf-8", errors="replace")
            if isinstance(text, str):
                yield from _pieces(text)


def vocabulary_sample(source: CorpusSource, home: Path | None = None, chars: int = VOCAB_SAMPLE_CHARS) -> list[str]:
    """The corpus's first texts, up to ``chars`` characters: what the vocabulary is learned from."""
    sample, total = [], 0
    for text in iter_texts(source, home):
        sample.append(text)
        total += len(text)
        if total >= chars:
            break
    if not sample:
        raise DataError(EMPTY_CORPUS.format(label=source.label))
    return sample


EMPTY_CORPUS = (
    "The corpus ({label}) holds no text: every line or record is empty or blank. Give one text per line "
    "(.txt), a 'text' field per line (.jsonl) or a 'text' column (.parquet)."
)
SAMPLE_TEXTS = 2000  # texts of a streamed corpus kept as a dataset, for the run's maps and neighbours


def sample_dataset(source: CorpusSource, home: Path | None = None, size: int = SAMPLE_TEXTS) -> str:
    """The dataset a streamed pretraining run shows on its maps: the corpus's own dataset, or its
    first ``size`` texts stored once as an unlabelled dataset (reused while the corpus is unchanged)."""
    if source.dataset:
        return source.dataset
    import pandas as pd

    from core.registry import DatasetStore

    store = DatasetStore(home)
    dataset_id = f"corpus-{fingerprint(source, home)[:12]}"
    if store.exists(dataset_id):
        return dataset_id
    texts = []
    for text in iter_texts(source, home):
        texts.append(text[:5000])  # a map point needs the opening, not a whole book
        if len(texts) >= size:
            break
    if not texts:
        raise DataError(EMPTY_CORPUS.format(label=source.label))
    frame = pd.DataFrame({"text": texts, "label": [None] * len(texts), "split": ["train"] * len(texts)})
    from core.names import MAX_TITLE_CHARS

    suffix = " (sample)"  # within a name's 80 characters: a longer one was cut by the name box at its next save
    stem = source.files[0].stem if len(source.files) == 1 else source.files[0].parent.name
    name = stem[: MAX_TITLE_CHARS - len(suffix)] + suffix
    try:
        store.save(
            frame, name, f"corpus sample: {source.label}", {"note": "first texts of a streamed corpus"}, dataset_id
        )
    except DataError:
        if not store.exists(dataset_id):
            raise
        # two runs on one corpus started together: the other stored the same sample first ("a dataset
        # with id 'corpus-…' exists already; pick another name", and the user named none)
    return dataset_id


# --------------------------------------------------------------------------- shards


@dataclass
class ShardSet:
    """Token shards on disk and what they hold."""

    folder: Path
    shards: list[dict]  # {"file": name, "tokens": n}
    total_tokens: int
    documents: int
    dtype: str

    @classmethod
    def load(cls, folder: Path) -> ShardSet:
        """The shards of a finished build (its manifest is written last)."""
        manifest = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))
        return cls(Path(folder), manifest["shards"], manifest["total_tokens"], manifest["documents"], manifest["dtype"])


def shard_key(tokenizer_state: dict, corpus_fingerprint: str) -> str:
    """The cache key: the tokeniser's exact vocabulary and the corpus's fingerprint."""
    blob = json.dumps(tokenizer_state, sort_keys=True).encode() + corpus_fingerprint.encode()
    return f"v{SHARD_FORMAT}-" + hashlib.sha256(blob).hexdigest()[:24]


def shard_cache(home: Path | None = None) -> Path:
    """Where token shards are kept, shared by the runs of one studio home."""
    from core.storage import studio_home

    return Path(home or studio_home()) / "cache" / "shards"


def _remove_dead_builds(cache: Path) -> None:
    """Remove half-built shard folders (``<key>.tmp-<pid>``) whose process has died: a build killed by
    SIGKILL or for memory left them for good."""
    from core.registry import STAGING_STALE_S, _pid_alive

    for leftover in cache.glob("*.tmp-*") if cache.is_dir() else ():
        try:
            pid = int(leftover.name.rsplit("-", 1)[1])
            # untouched for minutes too: on a home shared between machines the pid may be another's
            idle = time.time() - leftover.stat().st_mtime > STAGING_STALE_S
        except (IndexError, ValueError, OSError):
            continue
        if idle and not _pid_alive(pid):
            shutil.rmtree(leftover, ignore_errors=True)


def build_shards(
    texts: Iterable[str],
    tokenizer,
    folder: Path,
    shard_tokens: int = SHARD_TOKENS,
    progress: Callable[[int, int], None] | None = None,
) -> ShardSet:
    """Tokenise ``texts`` into shards under ``folder`` in one pass (reused if already built).

    Built in a temporary folder renamed into place at the end: a build cut off half-way is never
    mistaken for a finished one. ``progress(documents, tokens)`` is called after each chunk.
    """
    folder = Path(folder)
    if (folder / "manifest.json").is_file():
        return ShardSet.load(folder)
    sep = tokenizer.special_ids["[SEP]"]
    dtype = np.uint16 if tokenizer.vocab_size <= np.iinfo(np.uint16).max else np.uint32
    tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    _remove_dead_builds(folder.parent)
    tmp.mkdir(parents=True)
    shards: list[dict] = []
    state = {"handle": None, "in_shard": 0}
    documents = total = 0

    def write(tokens: np.ndarray) -> None:
        # appended to the open shard, a new one begun whenever it is full: memory holds one chunk
        while len(tokens):
            if state["handle"] is None:
                shards.append({"file": f"shard-{len(shards):05d}.bin", "tokens": 0})
                state["handle"] = open(tmp / shards[-1]["file"], "wb")  # noqa: SIM115 (closed when full or at the end)
            room = shard_tokens - shards[-1]["tokens"]
            part, tokens = tokens[:room], tokens[room:]
            part.tofile(state["handle"])
            shards[-1]["tokens"] += int(len(part))
            if shards[-1]["tokens"] >= shard_tokens:
                state["handle"].close()
                state["handle"] = None

    def encode(chunk: list[str]) -> None:
        nonlocal documents, total
        if hasattr(tokenizer, "ids_batch"):
            encoded = tokenizer.ids_batch(chunk)
        else:
            encoded = [e.ids for e in tokenizer.encode_batch(chunk)]
        tokens = np.fromiter((i for ids in encoded for i in (*ids, sep)), dtype=dtype)
        write(tokens)
        total += len(tokens)
        documents += len(chunk)
        if progress:
            progress(documents, total)

    try:
        chunk: list[str] = []
        for text in texts:
            chunk.append(text)
            if len(chunk) == ENCODE_CHUNK:
                encode(chunk)
                chunk = []
        if chunk:
            encode(chunk)
        if state["handle"] is not None:
            state["handle"].close()
            state["handle"] = None
        if not total:
            raise DataError("The corpus holds no text to pretrain on.")
        manifest = {
            "format": SHARD_FORMAT,
            "shards": shards,
            "total_tokens": total,
            "documents": documents,
            "dtype": np.dtype(dtype).name,
            "created": time.time(),
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        try:
            tmp.rename(folder)
        except OSError:  # another process finished the same build first: theirs is as good
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        if state["handle"] is not None:
            state["handle"].close()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return ShardSet.load(folder)


class TokenWindows:
    """Window ``i`` is tokens ``[i·length, (i+1)·length)`` of the shards read as one stream.

    Reads with ``os.pread`` (file handles opened lazily, per process), so memory holds only
    the windows asked for.
    """

    def __init__(self, shards: ShardSet, length: int):
        if length < 1:
            raise ValueError("window length must be at least 1")
        self.shards = shards
        self.length = length
        self.itemsize = np.dtype(shards.dtype).itemsize
        self.starts = np.cumsum([0] + [s["tokens"] for s in shards.shards])
        self._fds: dict[int, int] = {}
        self._pid = os.getpid()

    def __len__(self) -> int:
        return int(self.shards.total_tokens // self.length)

    def _fd(self, shard: int) -> int:
        if self._pid != os.getpid():  # a forked process opens its own handles
            self._fds, self._pid = {}, os.getpid()
        fd = self._fds.pop(shard, None)
        if fd is None:
            if len(self._fds) >= MAX_OPEN_SHARDS:  # a terabyte is tens of thousands of shards: close the oldest
                os.close(self._fds.pop(next(iter(self._fds))))
            fd = os.open(self.shards.folder / self.shards.shards[shard]["file"], os.O_RDONLY)
        self._fds[shard] = fd  # most recently used last
        return fd

    def read(self, start: int, count: int) -> np.ndarray:
        """``count`` tokens from position ``start`` of the stream, across shard ends."""
        out = np.empty(count, dtype=np.int32)
        done = 0
        while done < count:
            position = start + done
            shard = int(np.searchsorted(self.starts, position, side="right") - 1)
            offset = position - int(self.starts[shard])
            n = min(count - done, int(self.starts[shard + 1]) - position)
            raw = os.pread(self._fd(shard), n * self.itemsize, offset * self.itemsize)
            out[done : done + n] = np.frombuffer(raw, dtype=self.shards.dtype)
            done += n
        return out

    def __getitem__(self, index: int) -> np.ndarray:
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self.read(int(index) * self.length, self.length)

    def close(self) -> None:
        """Close the open file handles."""
        for fd in self._fds.values():
            os.close(fd)
        self._fds = {}

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_fds"] = {}
        return state


class WindowSplit:
    """The train or held-out part of a ``TokenWindows``: every ``VAL_EVERY``-th window is held out
    (at most ``MAX_VAL_WINDOWS`` of them are evaluated, spread over the corpus); a tiny corpus holds
    out its last. Computed, not listed: a terabyte's windows cost no memory here."""

    def __init__(self, windows: TokenWindows, part: str):
        self.windows = windows
        n = len(windows)
        if n < 2:
            raise DataError(
                f"The corpus gives {n} window(s) of {windows.length} tokens; pretraining needs at least two. "
                "Add text, or lower max_len."
            )
        self.tiny = n < 2 * VAL_EVERY
        self.n_held = 1 if self.tiny else n // VAL_EVERY  # windows VAL_EVERY-1, 2·VAL_EVERY-1, …
        if part == "val":
            pick = np.linspace(0, self.n_held - 1, min(self.n_held, MAX_VAL_WINDOWS)).round().astype(np.int64)
            picked = np.unique(pick)
            self.index = np.array([n - 1]) if self.tiny else picked * VAL_EVERY + VAL_EVERY - 1
        elif part == "train":
            self.index = None  # computed on the fly: train windows are all the others
        else:
            raise ValueError(f"part must be train or val; got {part!r}")
        self.part = part

    def held_out(self, window: int) -> bool:
        """True when window number ``window`` is never trained on."""
        if self.tiny:
            return window == len(self.windows) - 1
        return window % VAL_EVERY == VAL_EVERY - 1 and window < self.n_held * VAL_EVERY

    def __len__(self) -> int:
        return len(self.index) if self.index is not None else len(self.windows) - self.n_held

    def window_id(self, j: int) -> int:
        """The window number of this part's ``j``-th item."""
        if self.index is not None:
            return int(self.index[j])
        if self.tiny:
            return int(j)
        return int(j + min(j // (VAL_EVERY - 1), self.n_held))

    def __getitem__(self, j: int) -> np.ndarray:
        if not 0 <= j < len(self):
            raise IndexError(j)
        return self.windows[self.window_id(j)]


class BlockOrder:
    """A seeded shuffle of ``n`` items in blocks: blocks in random order, items shuffled within
    each block. Memory grows with the number of blocks only; ``order[a:b]`` gives a tensor."""

    def __init__(self, n: int, seed: int, block: int = 1 << 16):
        import torch

        self.n, self.seed, self.block = n, seed, block
        self.blocks = torch.randperm(max(1, -(-n // block)), generator=torch.Generator().manual_seed(seed))
        sizes = (n - self.blocks * block).clamp(max=block)  # only the block holding the last item is short
        self.ends = torch.cumsum(sizes, 0)
        self._cached: tuple[int, object] | None = None

    def __len__(self) -> int:
        return self.n

    def _block(self, k: int):
        import torch

        if self._cached is None or self._cached[0] != k:
            first = int(self.blocks[k]) * self.block
            size = min(self.block, self.n - first)
            perm = torch.randperm(size, generator=torch.Generator().manual_seed(self.seed * 7919 + int(self.blocks[k])))
            self._cached = (k, perm + first)
        return self._cached[1]

    def __getitem__(self, key):
        import torch

        if not isinstance(key, slice):
            raise TypeError("BlockOrder supports slices only")
        start, stop, _ = key.indices(self.n)
        parts = []
        k = int(torch.searchsorted(self.ends, torch.tensor(start), right=True)) if start < stop else len(self.ends)
        while k < len(self.ends) and start < stop:
            first = int(self.ends[k - 1]) if k else 0
            hi = min(stop, int(self.ends[k]))
            parts.append(self._block(k)[start - first : hi - first])
            start, k = hi, k + 1
        return torch.cat(parts) if parts else torch.zeros(0, dtype=torch.long)
