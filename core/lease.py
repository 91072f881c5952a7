"""Who owns a piece of work: a lock held for the owner's whole life, and a record of who it is.

An owner (a worker process, the CLI, a test) holds an exclusive ``flock`` on a lock file for as
long as it works. The kernel drops that lock the moment the process dies, however it dies
(SIGKILL included), so "is the owner alive?" is one non-blocking lock attempt, and a recycled
pid cannot fool it. Beside the lock, a JSON record names the owner (pid, host, process start
time) and carries a heartbeat, so a folder shared between machines can still tell a live owner
(fresh heartbeat) from a dead one.

A lease can be handed to a child process: the parent acquires it, passes the file descriptor
(``pass_fds``) and closes its own copy; the lock then lives exactly as long as the child.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import threading
import time
from pathlib import Path

from core.errors import StudioError

HEARTBEAT_S = 10.0  # how often an owner refreshes its record
STALE_S = 60.0  # an owner on another host whose heartbeat is older than this is taken as dead
SILENT_S = 120.0  # a live owner on this host whose heartbeat is older than this may be hung (frozen, deadlocked)


def silent_for(record: dict) -> float | None:
    """Seconds since a live owner's record last beat, when longer than SILENT_S (None otherwise). Its
    heartbeat thread beats every HEARTBEAT_S while the process runs: a worker frozen (kill -STOP, a
    deadlock) held its lock and read "24% · about 60 s left" for ever, and Stop, a flag it never
    reads, said "Stopping…" with no end."""
    try:
        silent = time.time() - float(record["heartbeat"])
    except (KeyError, TypeError, ValueError):
        return None
    return silent if silent > SILENT_S else None


_HOST = socket.gethostname()


class OwnedError(StudioError):
    """The work is owned by another live process (``owner``: its record, when known)."""

    def __init__(self, message: str, owner: dict | None = None):
        super().__init__(message)
        self.owner = owner or {}


def process_start_time(pid: int) -> int | None:
    """The process's start time in clock ticks since boot (Linux), or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        return int(fields[19])
    except (OSError, IndexError, ValueError):
        return None


def describe(owner: dict) -> str:
    """``pid 123 on host, since 12:04:05`` for messages."""
    since = time.strftime("%H:%M:%S", time.localtime(owner.get("started", 0)))
    what = f" ({owner['purpose']})" if owner.get("purpose") else ""
    return f"pid {owner.get('pid')} on {owner.get('host')}{what}, since {since}"


def read_record(path: Path) -> dict:
    """An owner or job record as a dict ({} when missing or unreadable)."""
    return _read(path)


def _read(path: Path) -> dict:
    try:
        record = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def _lock_held(lock_path: Path) -> bool:
    """True when some open file holds the lock (the owner is alive on this host)."""
    try:
        fd = os.open(lock_path, os.O_RDONLY)  # flock needs no write access: a read-only home still lists its workers
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)  # shared: two readers never see each other
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def _alive_without_its_lock(lock_path: Path, record: dict) -> bool:
    """True when the lock file is gone (deleted by hand: "stale lock files") while the owner its record
    names still lives here and beats: the same process (pid and start time) with a fresh heartbeat.
    The lock a process holds is on the deleted file, which no one else can see: taken as no owner, a
    live run read "interrupted", and was deleted under its worker or resumed a second time."""
    if Path(lock_path).exists() or record.get("host", _HOST) != _HOST or not record.get("pid"):
        return False
    try:
        pid = int(record["pid"])
        fresh = time.time() - float(record.get("heartbeat", 0)) < STALE_S
    except (TypeError, ValueError):
        return False
    return fresh and record.get("pid_start") is not None and process_start_time(pid) == record.get("pid_start")


def owner(lock_path: Path, record_path: Path) -> dict | None:
    """The live owner's record, or None when nobody (alive) holds the lock."""
    record = _read(record_path)
    if record.get("host", _HOST) != _HOST:  # another machine: only its heartbeat can tell
        return record if time.time() - float(record.get("heartbeat", 0)) < STALE_S else None
    if not _lock_held(Path(lock_path)):
        return record if _alive_without_its_lock(Path(lock_path), record) else None
    return record or {"pid": None, "host": _HOST, "started": 0}


def _owned(lock_path: Path, current: dict) -> OwnedError:
    """The refusal of a lease its live owner (``current``, its record) holds."""
    # a run's lock sits in its folder: the command names it ("<id>" was left for the user to fill)
    run_id = lock_path.parent.name if lock_path.parent.parent.name == "runs" else "<id>"
    return OwnedError(
        f"This is already being worked on by {describe(current)}. Wait for it to end, or stop it "
        f"first (python -m core stop --run {run_id}, or Stop on the Train page).",
        current,
    )


class Lease:
    """An exclusive, process-lifetime claim on a lock file, with an owner record and a heartbeat.

    Re-entrant within a thread: acquiring a lease this thread already holds returns it. Another
    thread of the same process (another Streamlit session) is refused like any other owner.
    """

    _held: dict[tuple[Path, int], Lease] = {}
    _held_lock = threading.Lock()

    def __init__(self, lock_path: Path, record_path: Path, fd: int, purpose: str):
        self.lock_path, self.record_path, self.fd, self.purpose = Path(lock_path), Path(record_path), fd, purpose
        self._count = 1
        self._key = (self.lock_path, threading.get_ident())
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None
        self._record_lock = threading.Lock()  # the heartbeat and the worker both update the record

    # -- acquiring
    @classmethod
    def acquire(
        cls, lock_path: Path, record_path: Path, purpose: str = "", extra: dict | None = None, record: bool = True
    ) -> Lease:
        """Take the lock or raise OwnedError naming the live owner. ``record=False`` takes it without writing
        an owner record or beating (a delete: on a full disk, the record's write made deleting, the way to
        free space, fail)."""
        lock_path = Path(lock_path).resolve()
        with cls._held_lock:
            held = cls._held.get((lock_path, threading.get_ident()))
            if held is not None:
                held._count += 1
                return held
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        current = _read(record_path)
        if current.get("pid") != os.getpid() and _alive_without_its_lock(lock_path, current):
            raise _owned(lock_path, current)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + 1.0  # a reader testing liveness holds the lock for microseconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise _owned(lock_path, _read(record_path)) from None
                time.sleep(0.02)
        lease = cls(lock_path, Path(record_path), fd, purpose)
        if record:
            try:
                lease._write_record(extra)
            except BaseException:  # a full disk, say: never keep a lock nobody will release
                os.close(fd)
                raise
            lease._start_heartbeat()
        with cls._held_lock:
            cls._held[lease._key] = lease
        return lease

    def write_record_once(self, extra: dict | None = None) -> bool:
        """Write this process's owner record, without a heartbeat (a lease taken with ``record=False``:
        who holds it, for the refusals it causes meanwhile); False when the disk would not take it."""
        try:
            self._write_record(extra)
        except OSError:
            return False
        return True

    @classmethod
    def adopt(cls, lock_path: Path, record_path: Path, fd: int, purpose: str = "", extra: dict | None = None) -> Lease:
        """Take over a lease a parent acquired and passed down as file descriptor ``fd``."""
        lease = cls(Path(lock_path).resolve(), Path(record_path), fd, purpose)
        lease._write_record(extra)
        lease._start_heartbeat()
        with cls._held_lock:
            cls._held[lease._key] = lease
        return lease

    @classmethod
    def held_here(cls, lock_path: Path) -> bool:
        """True when this thread holds the lease on ``lock_path``."""
        with cls._held_lock:
            return (Path(lock_path).resolve(), threading.get_ident()) in cls._held

    def hand_over(self, child_pid: int | None = None) -> int:
        """Forget this lease in this process without unlocking it (a child has the descriptor now).

        With ``child_pid``, the owner record names the child from now on: until the child writes
        its own record, "workers" and "kill <pid>" must not point at this process (the server).
        """
        self._stop_heartbeat()
        if child_pid is not None:
            from core.storage import atomic_write_json

            record = _read(self.record_path)
            if record.get("pid") == os.getpid():  # the child may have written its own record already
                record.update(pid=child_pid, pid_start=process_start_time(child_pid))
                with contextlib.suppress(OSError):
                    atomic_write_json(self.record_path, record)
        with self._held_lock:
            self._held.pop(self._key, None)
        fd, self.fd = self.fd, -1
        return fd

    def release(self) -> None:
        """Give the lease up (when every re-entrant holder in this process has released it)."""
        with self._held_lock:
            self._count -= 1
            if self._count > 0:
                return
            self._held.pop(self._key, None)
        self._stop_heartbeat()
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = -1

    def __enter__(self) -> Lease:
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    # -- the record
    def _write_record(self, extra: dict | None = None) -> None:
        from core.storage import atomic_write_json

        record = dict(extra or {})
        now = round(time.time(), 3)
        pid = os.getpid()
        record.update(
            pid=pid,
            host=_HOST,
            pid_start=process_start_time(pid),
            started=now,
            heartbeat=now,
            purpose=self.purpose or record.get("purpose", ""),
        )
        atomic_write_json(self.record_path, record)

    def update(self, **fields) -> None:
        """Merge ``fields`` into the owner record (progress, phase) and refresh the heartbeat."""
        from core.storage import atomic_write_json

        with self._record_lock:
            record = _read(self.record_path)
            record.update(fields)
            record["heartbeat"] = round(time.time(), 3)
            atomic_write_json(self.record_path, record)

    def _stop_heartbeat(self) -> None:
        # joined, so a beat already under way cannot write this process over a new owner's record
        self._stop.set()
        if self._beat is not None and self._beat is not threading.current_thread():
            self._beat.join(timeout=5)

    def _start_heartbeat(self) -> None:
        def beat() -> None:
            while not self._stop.wait(HEARTBEAT_S):
                with contextlib.suppress(OSError):
                    self.update()

        self._beat = threading.Thread(target=beat, name=f"heartbeat-{self.lock_path.parent.name}", daemon=True)
        self._beat.start()
