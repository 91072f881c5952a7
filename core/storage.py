"""Atomic file writes and safe path handling for the studio home."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from core.errors import InvalidNameError, StudioError

_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}")  # used with fullmatch: "$" let "r1\n" through


def studio_home() -> Path:
    """The studio's root folder: ``$ENCODER_STUDIO_HOME`` or ``./studio_data``."""
    home = Path(os.environ.get("ENCODER_STUDIO_HOME", "").strip() or "studio_data").resolve()
    if home.exists() and not home.is_dir():
        raise StudioError(
            f"The studio home {home} is a file, not a folder. Point ENCODER_STUDIO_HOME at a folder (it is "
            "created when missing), or unset it to use ./studio_data."
        )
    return home


def env_count(name: str, default: int) -> int:
    """A whole number from environment variable ``name`` (``default`` when unset or empty)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise StudioError(
            f"The environment variable {name}={value!r} is not a whole number; set it to one, or unset it."
        ) from None


def validate_id(value: str, kind: str = "id") -> str:
    """Return ``value`` if it is safe as one path component, else raise InvalidNameError."""
    if not isinstance(value, str) or not _ID_PATTERN.fullmatch(value) or ".." in value:
        raise InvalidNameError(
            f"{kind} {value!r} is not valid: use 1-80 letters, digits, '-', '_' or '.', "
            "starting with a letter or digit."
        )
    return value


def slugify(name: str, fallback: str = "dataset") -> str:
    """Turn a free-form name (a file name, say) into a safe id fragment."""
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", name)
    slug = re.sub(r"\.{2,}", ".", slug)  # "v1..2" would make an id that validate_id refuses
    slug = re.sub(r"-{2,}", "-", slug).strip("-._")[:48].strip("-._")
    if not name.isascii() and not re.search(r"[A-Za-z]", slug):
        # what is left of a Chinese name is its digits at most: "中文预训练 120秒" made ids "120-…"
        return fallback
    return slug or fallback


def download_stem(file_name: str, fallback: str = "texts") -> str:
    """An uploaded file's name without its ending, fit to name a download made from it: any script
    is kept (a Chinese name stays Chinese); folders, characters Windows refuses in file names and
    control characters are dropped or become "-"."""
    base = re.split(r"[\\/]", file_name)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base.strip(".") else base
    stem = re.sub(r'[\x00-\x1f\x7f<>:"|?*]+', "-", stem)
    # format characters (a right-to-left override makes "exe.txt" read "txt.exe") are invisible: dropped
    stem = "".join(ch for ch in stem if unicodedata.category(ch) != "Cf")
    stem = stem.strip(" .-")[:80].strip(" .-")
    return stem or fallback


def safe_child(root: Path, *parts: str) -> Path:
    """Join ``parts`` under ``root`` and check the result stays inside ``root``."""
    root = root.resolve()
    path = root.joinpath(*parts).resolve()
    if path != root and root not in path.parents:
        raise InvalidNameError(f"path {path} escapes the studio home {root}")
    return path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


# what a plain open() would give a new file: mkstemp's 0600 made an exported model or a predictions
# CSV unreadable to the user's other accounts and groups, unlike every other file they save
FILE_MODE = 0o666 & ~_umask()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same folder and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` survive a power cut (where the file system allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_output(path: Path, data: bytes) -> None:
    """Write a file the user named (``--out``): atomically where it is a plain file or a new one; through
    a symbolic link to the file it points at; straight into a pipe or a device (``>(…)``, ``/dev/stdout``).

    The temp-file-and-rename of ``atomic_write_bytes`` replaced a link with a file of its own, left a
    reader of a named pipe waiting, and failed in ``/dev/fd``."""
    path = Path(path)
    descriptor = _open_descriptor(path)
    if descriptor is not None:
        # written through the descriptor the shell opened: reopened by name, "/dev/stdout" redirected to a
        # file was truncated and written from its start ("> p.csv" lost its header, ">> all.csv" its lines)
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        with os.fdopen(os.dup(descriptor), "wb") as handle:
            handle.write(data)
        return
    special = path.exists() and not path.is_file()  # a pipe, a terminal, a device
    if special or str(path.absolute()).startswith(("/dev/", "/proc/")):
        with open(path, "wb") as handle:
            handle.write(data)
        return
    atomic_write_bytes(path.resolve() if path.is_symlink() else path, data)


def _open_descriptor(path: Path) -> int | None:
    """The file descriptor ``path`` names (/dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N), if
    this process has it open; None for any other path."""
    text = str(path)
    named = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}
    if text in named:
        number = named[text]
    else:
        match = re.fullmatch(r"/(?:dev/fd|proc/self/fd)/(\d+)", text)
        if match is None:
            return None
        number = int(match.group(1))
    try:
        os.fstat(number)
    except OSError:
        return None
    return number


def atomic_write_text(path: Path, text: str) -> None:
    """Write UTF-8 text atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: Path, obj: Any) -> None:
    """Write JSON atomically (UTF-8, non-ASCII kept readable)."""
    atomic_write_text(path, json.dumps(obj, ensure_ascii=False, indent=2, default=_json_default))


def read_json(path: Path) -> Any:
    """Read a JSON file; a ValueError for one that is not JSON, or is nested too deeply to read (a config of
    200,000 brackets raised RecursionError, which no reader caught, and every page of the studio fell)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except RecursionError:
        raise ValueError(f"{Path(path).name} is nested too deeply to be read") from None


def atomic_save(path: Path, writer) -> None:
    """Call ``writer(tmp_path)`` and rename the result onto ``path`` (for numpy, parquet, ...)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(fd)
    try:
        writer(Path(tmp))
        # on the disk before the rename, as atomic_write_bytes does: after a power cut the rename could
        # stand while the data did not, an empty data.parquet or weights file under its final name
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


# "358848 requested and 75744 written": numpy's word for a write the disk had no room for (no errno)
_SHORT_WRITE = re.compile(r"\d+ requested and \d+ written")


def is_disk_full(exc: BaseException) -> bool:
    """True when ``exc``, or an error it was raised from or while handling, says the disk is full (or
    the user's disk quota is spent).

    Libraries turn a full disk into their own errors: torch.save given a file raises a RuntimeError
    ("unexpected pos") with the OSError as its context, safetensors one that only says it in words.
    """
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if "No space left on device" in str(exc) or "Disk quota exceeded" in str(exc):
            return True
        if isinstance(exc, OSError) and _SHORT_WRITE.search(str(exc)):  # numpy's save, cut short by a full disk
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def home_write_error(exc: OSError, home: Path) -> StudioError:
    """What a start (a run, a worker, a side job) says when the studio ``home`` cannot be written: a full
    disk, a read-only one, or a folder without write permission, each with the way out. ``exc`` is the
    OSError of the write; nothing was started."""
    if is_disk_full(exc):
        return StudioError(
            f"The disk of the studio home ({home}) is full, so nothing was started. Free some space (delete runs "
            "or datasets you no longer need), then try again."
        )
    if exc.errno == errno.EROFS:
        return StudioError(
            f"The studio home ({home}) is on a read-only disk, so nothing was started. Point ENCODER_STUDIO_HOME "
            "at a folder you can write to, then start the server or command again."
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return StudioError(
            f"This account may not write in the studio home ({exc.filename or home}), so nothing was started. "
            "Give it write permission there, or point ENCODER_STUDIO_HOME at a folder you can write to."
        )
    return StudioError(
        f"The studio home ({home}) could not be written ({exc.strerror or exc}), so nothing was started. "
        "Check its disk, then try again."
    )


def change_refused(exc: OSError, home: Path, whole: bool = True) -> StudioError:
    """What a change to the studio ``home`` (a dataset saved or deleted, a run renamed or deleted) says when
    the home cannot be written: a full disk, a read-only one, or no write permission, each with the way
    out. ``whole``: the change is one atomic step (a rename last), so nothing was changed; otherwise (classes
    renamed through a journal, a dataset deleted run by run) part of it may be done, and doing it again
    finishes it."""
    if not whole:
        if is_disk_full(exc):
            return StudioError(
                f"The disk of the studio home ({home}) is full, so the change was cut short. Free some space "
                "(delete runs or datasets you no longer need), then do it again: that finishes what was left."
            )
        return StudioError(
            f"The studio home ({home}) could not be written ({exc.strerror or exc}), so the change was cut "
            "short. Fix that (a read-only disk, or no permission to write there), then do it again: that "
            "finishes what was left."
        )
    if is_disk_full(exc):
        return StudioError(
            f"The disk of the studio home ({home}) is full, so nothing was changed. Free some space (delete runs "
            "or datasets you no longer need), then try again."
        )
    if exc.errno == errno.EROFS:
        return StudioError(
            f"The studio home ({home}) is on a read-only disk, so nothing was changed. Point ENCODER_STUDIO_HOME "
            "at a folder you can write to, then start the server or command again."
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return StudioError(
            f"This account may not write in the studio home ({exc.filename or home}), so nothing was changed. "
            "Give it write permission there, or point ENCODER_STUDIO_HOME at a folder you can write to."
        )
    return StudioError(
        f"The studio home ({home}) could not be written ({exc.strerror or exc}), so nothing was changed. "
        "Check its disk, then try again."
    )


@contextlib.contextmanager
def changing_home(home: Path, whole: bool = True):
    """Turn an OSError of the writes inside into ``change_refused``'s StudioError (``whole``: as there): a
    full or read-only disk showed the Data page's Save, and the run's rename and delete, as a traceback."""
    try:
        yield
    except OSError as exc:
        raise change_refused(exc, Path(home), whole) from exc


# the names mkstemp gives ``atomic_write_bytes`` and ``atomic_save``: ".model.safetensors.k3j9x_a2.tmp"
_TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}(\.[A-Za-z0-9]+)?$")
STALE_TEMP_S = 3600  # a temporary file untouched this long was left by a writer that was killed


def sweep_stale_temps(folder: Path, older_than_s: float = STALE_TEMP_S) -> int:
    """Remove the temporary files of atomic writes that a killed writer left in ``folder`` (and below),
    untouched for ``older_than_s``; returns how many. A checkpoint's 50 MB stayed for good otherwise."""
    import time

    removed = 0
    now = time.time()
    for path in Path(folder).rglob(".*"):
        match = _TEMP_NAME.match(path.name)
        if not match or not path.is_file():
            continue
        try:
            if now - path.stat().st_mtime >= older_than_s:
                path.unlink()
                removed += 1
        except OSError:  # gone meanwhile, or not ours to remove
            continue
    return removed


def file_digest(path: Path) -> str:
    """A short SHA-256 of a file's bytes: the same file after a copy, another one after a rewrite."""
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:20]


def _json_default(obj: Any) -> Any:
    # numpy scalars and arrays show up in metrics; make them plain JSON.
    if hasattr(obj, "tolist"):
        return obj.tolist()
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"cannot serialise {type(obj).__name__} to JSON")
