"""Worker processes: every heavy job runs in a process of its own, never in the server.

The dashboard (and anything else) starts work with ``submit_training`` or ``start_side_job``;
both spawn ``python -m core worker <run-id> --job <kind>`` in a new session, at a lower
scheduling priority, and hand it the run's lease (see ``core.lease``) so there is never a
moment when a queued run has no owner. The server only reads run folders.

- **Training** (train, resume, restart) holds the run's lease for its whole life. It waits for
  a free training slot (``ENCODER_STUDIO_TRAIN_SLOTS``, default 1), oldest first, then trains.
- **Side jobs** (project, evaluate, predict, search) each hold their own lock under ``<run>/jobs/``
  and report their phase and progress in ``<run>/jobs/<name>.json``; evaluate also takes the
  run's lease, since it rewrites the run's artefacts.
- **Stop** is a flag file the trainer checks after every batch; SIGTERM to a worker sets it.
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from core.errors import StudioError
from core.job_kinds import SIDE_JOBS  # kept apart: the command line's parser reads them without pandas
from core.lease import Lease, OwnedError, owner, read_record
from core.registry import QUEUE_GRACE_S, DatasetStore, RunDir, RunStore
from core.storage import env_count, home_write_error, is_disk_full, safe_child, studio_home, validate_id

ROOT = Path(__file__).resolve().parent.parent
TRAIN_NICE = 10  # below the server, so pages stay responsive while a run trains
SIDE_NICE = 15  # maps and batch jobs yield to training too
BACKGROUND_NICE = 19  # work nobody is watching (the baseline queued after a run) yields to maps as well
SIDE_GRACE_S = QUEUE_GRACE_S  # a side job record may wait this long for its worker to start


# --------------------------------------------------------------------------- cores and priority


def _cpu_times() -> tuple[float, float] | None:
    try:
        with open("/proc/stat") as handle:
            fields = [float(x) for x in handle.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0.0)
    return idle, sum(fields)


CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")
CGROUP_V1_CPU = Path("/sys/fs/cgroup/cpu")  # cgroup v1 hosts: cpu.cfs_quota_us and cpu.cfs_period_us


def cgroup_cores(path: Path | None = None, v1_folder: Path | None = None) -> int | None:
    """Cores a cgroup CPU quota allows (``docker --cpus=2`` writes "200000 100000"), rounded up;
    None without a quota. The host's core count would size 30 threads for a 2-core container.

    cgroup v2's ``cpu.max`` first, then v1's ``cpu.cfs_quota_us``/``cpu.cfs_period_us`` (-1: none),
    which older hosts still give their containers.
    """
    try:
        quota, period = (path or CGROUP_CPU_MAX).read_text().split()[:2]
        if quota == "max":
            return None
        return max(1, math.ceil(int(quota) / int(period)))
    except (OSError, ValueError, ZeroDivisionError):
        pass
    folder = v1_folder or CGROUP_V1_CPU
    try:
        quota = int((folder / "cpu.cfs_quota_us").read_text().strip())
        period = int((folder / "cpu.cfs_period_us").read_text().strip())
        return max(1, math.ceil(quota / period)) if quota > 0 else None
    except (OSError, ValueError, ZeroDivisionError):
        return None


def usable_cores() -> int:
    """Cores this process may run on: its CPU affinity, capped by a cgroup CPU quota."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    quota = cgroup_cores()
    return min(cores, quota) if quota else cores


def free_cores(sample_s: float = 0.25) -> float:
    """Cores idle right now (sampled from /proc/stat over ``sample_s``), at most ``usable_cores()``."""
    cores = usable_cores()
    first = _cpu_times()
    if first is None:
        return float(cores)
    time.sleep(sample_s)
    second = _cpu_times()
    busy_total = second[1] - first[1]
    if busy_total <= 0:
        return float(cores)
    idle_share = (second[0] - first[0]) / busy_total
    return min(float(cores), idle_share * (os.cpu_count() or cores))


def default_threads(reserve: int | None = None) -> int:
    """Torch threads for a job: the cores free now, less ``reserve`` kept for the server.

    On a busy 2-core machine two torch threads ran 8-10x slower than one (their spin-waits
    fight whatever else runs), so a job never asks for more cores than are idle.
    """
    if reserve is None:
        reserve = env_count("ENCODER_STUDIO_RESERVE_CORES", 0)
    return max(1, int(round(free_cores())) - max(0, reserve))


def lower_priority(nice: int) -> None:
    """Run this process at a lower scheduling priority (best effort)."""
    with contextlib.suppress(OSError, AttributeError):
        os.nice(nice)


# --------------------------------------------------------------------------- spawning


def _spawn(args: list[str], log_path: Path, pass_fds: tuple[int, ...] = (), home: Path | None = None) -> int:
    """Start ``python -m core <args>`` detached (own session), logging to ``log_path``; returns its pid."""
    from core.projection import configure_numba_cache

    home = Path(home or studio_home())
    env = dict(os.environ, ENCODER_STUDIO_HOME=str(home), PYTHONUNBUFFERED="1")
    env["NUMBA_CACHE_DIR"] = configure_numba_cache()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "core", *args],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            pass_fds=pass_fds,
            start_new_session=True,  # a server restart (or Ctrl-C) leaves the worker running
        )
    _reap_when_done(proc)
    return proc.pid


_CHILDREN: list[subprocess.Popen] = []
_CHILDREN_LOCK = threading.Lock()
REAP_EVERY_S = 2.0


def _reap_when_done(proc: subprocess.Popen) -> None:
    """Collect a worker's exit status once it ends, from a small thread that lives while any is left.

    Nothing else waits for a worker (the server only reads its files), so a finished one stayed a
    zombie in the process table until the next worker started.
    """
    with _CHILDREN_LOCK:
        _CHILDREN.append(proc)
        if len(_CHILDREN) > 1:  # the thread is running already
            return

    def reap() -> None:
        while True:
            time.sleep(REAP_EVERY_S)
            with _CHILDREN_LOCK:
                _CHILDREN[:] = [child for child in _CHILDREN if child.poll() is None]
                if not _CHILDREN:
                    return

    threading.Thread(target=reap, name="reap-workers", daemon=True).start()


def submit_training(
    run: RunDir,
    kind: str = "train",
    reserve_cores: int = 1,
    map_after: bool = True,
    background: bool = False,
    force: bool = False,
    capped: bool = True,
) -> int:
    """Queue ``run`` for training (``train``, ``resume`` or ``restart``) in a worker process.

    ``background`` runs it at the lowest priority, below the maps a user waits for. ``capped``: refused
    (StudioError) while ``max_queued_runs`` runs wait or train already (the baseline beside a run, which
    trains in seconds, is not).

    The run's lease is taken here and handed to the worker, so the run is owned from the
    first instant; refused (OwnedError) while another process owns it. Returns the pid.
    """
    if kind not in ("train", "resume", "restart"):
        raise ValueError(f"unknown training job {kind!r}")
    waiting = queue(run.path.parent.parent) if capped else []
    if len(waiting) >= max_queued_runs():
        # a queued run is a live process of about 330 MB that waits for its slot: fifty clicks were 16 GB
        raise StudioError(
            f"{len(waiting)} runs are training or waiting to train on this studio already. Wait for one to end "
            "(or stop one of yours), then start this one."
        )
    try:
        lease = run.acquire("queued")
    except OwnedError:
        raise
    except OSError as exc:  # its owner record could not be written (a full disk): said as any start that fails
        raise StudioError(f"Could not start a worker process for run {run.id}: {exc}") from exc
    before = run.raw_status()
    home = run.path.parent.parent
    ticket = None
    queued = False
    try:
        if kind == "resume":
            from core.training.runner import check_resumable

            check_resumable(run)  # refused here, with the run left as it was
        if kind == "restart":
            from core.training.runner import check_restartable

            check_restartable(run, force=force)  # force: a finished run's model goes (the user asked)
        run.clear_stop()
        queued_at = time.time()
        # ahead=None: a count from an earlier wait ("Queued behind 2 runs") is not this submission's
        run.set_status("queued", queued_at=queued_at, job=kind, ahead=None, **_remember_before(before, kind))
        queued = True
        ticket = _take_ticket(run, home, queued_at)  # the queue's order is the order of submission
        args = ["worker", run.id, "--job", kind, "--lease-fd", str(lease.fd), "--reserve-cores", str(reserve_cores)]
        if map_after:
            args.append("--map")
        if background:
            args.append("--background")
        if force:
            args.append("--force")
        pid = _spawn(args, run.path / "worker.log", pass_fds=(lease.fd,), home=home)
    except BaseException as exc:
        if ticket is not None:
            ticket.unlink(missing_ok=True)
        if queued:  # a queued run with no worker would read as interrupted ten seconds later
            from core.storage import atomic_write_json

            atomic_write_json(run.status_path, before)  # as it was before the click
        lease.release()
        if isinstance(exc, OSError):
            raise StudioError(f"Could not start a worker process for run {run.id}: {exc}") from exc
        raise
    os.close(lease.hand_over(pid))  # the worker's copy keeps the lock
    return pid


def stop(run: RunDir) -> bool:
    """Ask the run's owner to stop (checkpointed); True if there was a live run to stop."""
    status = run.status()
    if status.get("state") not in ("queued", "running"):
        return False
    run.request_stop()
    return True


# --------------------------------------------------------------------------- the training queue


def _queue_dir(home: Path) -> Path:
    return Path(home) / ".jobs" / "queue"


_TICKET = re.compile(r"^(\d{20})-(.+)$")


def queue(home: Path | None = None) -> list[str]:
    """Run ids waiting for or holding a training slot, oldest first (their owners alive).

    Tickets whose run is gone, or whose owner died more than a moment ago, are swept away.
    """
    folder = _queue_dir(Path(home or studio_home()))
    if not folder.is_dir():
        return []
    out = []
    store = RunStore(home)
    for entry in sorted(os.listdir(folder)):
        match = _TICKET.match(entry)
        if match is None:
            continue
        run_id = match.group(2)
        try:
            alive = store.get(run_id).owner() is not None
        except StudioError:
            alive = False
        if alive:
            out.append(run_id)
        elif time.time() - int(match.group(1)) / 1e9 > QUEUE_GRACE_S:
            (folder / entry).unlink(missing_ok=True)
    return out


def _take_ticket(run: RunDir, home: Path, queued_at: float | None = None) -> Path:
    """The run's place in the queue: a file named by its submission time (``queued_at`` in its status).

    Made at submission, so the queue's order is the order of the clicks, not of worker start-ups;
    a ticket left by an earlier, dead worker of the same run is replaced.
    """
    folder = _queue_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    queued_at = queued_at or float(run.raw_status().get("queued_at") or time.time())
    ticket = folder / f"{int(queued_at * 1e9):020d}-{run.id}"
    for old in folder.iterdir():
        match = _TICKET.match(old.name)
        if match and match.group(2) == run.id and old != ticket:
            old.unlink(missing_ok=True)
    ticket.touch()
    return ticket


def _slots() -> int:
    return max(1, env_count("ENCODER_STUDIO_TRAIN_SLOTS", 1))


@contextlib.contextmanager
def training_slot(run: RunDir, home: Path, on_wait=None):
    """Wait until this run may train (a free slot, and no older run waiting), and hold the slot.

    Yields the slot's lease, or None if the run was stopped while it waited. The run stays in
    ``queue()`` (first, while it trains) until the block ends. ``on_wait(ahead)`` hears how
    many runs are ahead whenever that changes.
    """
    ticket = _take_ticket(run, Path(home))
    slots_dir = Path(home) / ".jobs"
    slot = None
    try:
        last_ahead = None
        while slot is None:
            if run.stop_requested():
                break
            waiting = queue(home)
            ahead = waiting.index(run.id) if run.id in waiting else 0
            if ahead < _slots():
                for i in range(_slots()):
                    with contextlib.suppress(OwnedError):
                        slot = Lease.acquire(
                            slots_dir / f"train-slot-{i}.lock",
                            slots_dir / f"train-slot-{i}.json",
                            "train",
                            {"run": run.id},
                        )
                        break
            if slot is None:
                if on_wait is not None and ahead != last_ahead:
                    on_wait(max(ahead, 1))
                    last_ahead = ahead
                time.sleep(0.25)
        yield slot
    finally:
        if slot is not None:
            slot.release()
        ticket.unlink(missing_ok=True)


# --------------------------------------------------------------------------- side jobs


def _job_paths(run: RunDir, name: str) -> tuple[Path, Path]:
    validate_id(name, "job name")
    folder = run.path / "jobs"
    return safe_child(folder, f"{name}.lock"), safe_child(folder, f"{name}.json")


def side_job(run: RunDir, name: str) -> dict | None:
    """The record of side job ``name`` (state, phase, progress, elapsed), or None if never started.

    A record that says ``running`` with no live worker reads as ``failed``.
    """
    lock, record_path = _job_paths(run, name)
    if not record_path.is_file():
        return None
    record = read_record(record_path)
    if record.get("state") in ("starting", "running"):
        alive = owner(lock, record_path) is not None
        fresh = time.time() - float(record.get("created") or 0) < SIDE_GRACE_S
        if not alive and not fresh:
            record = dict(record, state="failed", error=record.get("error") or "The worker process ended unexpectedly.")
    if record.get("started"):
        end = record.get("ended") or time.time()
        # from the click, not from the worker's start: the clock went back to 0 s when the worker took over
        begun = float(record.get("created") or record["started"])
        record["elapsed_s"] = max(0.0, end - min(begun, float(record["started"])))
    return record


def failed_on_older_weights(run: RunDir, record: dict | None) -> bool:
    """True when side job ``record`` failed before the run's weights were last written: its error is
    about a model file the run has replaced since (resumed, trained again, or restored by hand), so
    showing it would blame the new file for the old one's fault."""
    if not record or record.get("state") != "failed":
        return False
    return ended_before_weights_changed(run, record)


def ended_before_weights_changed(run: RunDir, record: dict | None) -> bool:
    """True when side job ``record`` ended before the run's weights were last written: what it made
    (a batch's predictions, say) came from weights the run no longer has."""
    if not record:
        return False
    try:
        written = run.model_path.stat().st_mtime
    except OSError:
        return False
    return written > float(record.get("ended") or record.get("created") or 0)


def failed_before_vectors_changed(run: RunDir, record: dict | None) -> bool:
    """True when map job ``record`` failed before the run's weights or vectors (``embeddings.npy``)
    were last written: a map of the new vectors is worth trying, not the old failure worth showing
    (it stayed on the page after the run was trained again)."""
    if not record or record.get("state") != "failed":
        return False
    ended = float(record.get("ended") or record.get("created") or 0)
    for path in (run.model_path, run.path / "embeddings.npy"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime > ended:
                return True
    return False


def _start_error(run: RunDir, exc: OSError) -> StudioError:
    """What a worker that could not be started for ``run`` says: a studio home that is full, read-only or
    not writable for this account is named with its way out; anything else (a process limit) as it is."""
    if is_disk_full(exc) or exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return home_write_error(exc, run.path.parent.parent)
    return StudioError(f"Could not start a worker process for run {run.id}: {exc}")


def max_queued_runs() -> int:
    """How many runs may train or wait for a slot at once in a studio home: ``ENCODER_STUDIO_QUEUE``, else 10."""
    return env_count("ENCODER_STUDIO_QUEUE", 10)


def max_side_workers() -> int:
    """How many side jobs may run at once in a studio home: ``ENCODER_STUDIO_SIDE_JOBS``, else twice the cores
    (at least 6). Training has its own slots (one at a time, by default)."""
    return env_count("ENCODER_STUDIO_SIDE_JOBS", max(6, 2 * usable_cores()))


def side_workers(home: Path) -> int:
    """The side jobs (maps, indexes, batches, scorings, evaluations) alive in ``home`` now."""
    return sum(1 for worker in live_workers(home) if worker["run"] != "-" and "(" in str(worker["job"]))


def start_side_job(run: RunDir, name: str, kind: str, spec: dict | None = None) -> dict:
    """Start side job ``name`` (one of ``SIDE_JOBS``) unless it is running;
    returns its record. A StudioError, with the way out, when no worker could start (a full or read-only home)."""
    if kind not in SIDE_JOBS:
        raise ValueError(f"unknown side job {kind!r}")
    current = side_job(run, name)
    if current is not None and current.get("state") in ("starting", "running"):
        return current
    busy = side_workers(run.path.parent.parent)
    if busy >= max_side_workers():
        # each is a Python process of 250-300 MB: a class's tabs, each on its own run and collection, started
        # twelve at once (3.2 GB) on a shared server
        raise StudioError(
            f"{busy} background jobs (maps, search indexes, batch classifications, scorings) are running on this "
            "studio already. Wait for one to end, then try again."
        )
    lock, record_path = _job_paths(run, name)
    record = {
        "name": name,
        "kind": kind,
        "run": run.id,
        "state": "starting",
        "phase": "starting a worker",
        "created": time.time(),
        "spec": spec or {},
    }
    try:
        lease = Lease.acquire(lock, record_path, kind, record)
    except OwnedError:
        return side_job(run, name) or record
    except OSError as exc:  # a full or read-only home: "Evaluate this checkpoint" showed a traceback
        raise _start_error(run, exc) from exc
    try:
        args = ["worker", run.id, "--job", kind, "--name", name, "--lease-fd", str(lease.fd)]
        pid = _spawn(args, run.path / "jobs" / f"{name}.log", pass_fds=(lease.fd,), home=run.path.parent.parent)
    except BaseException as exc:
        lease.release()
        if isinstance(exc, OSError):
            raise _start_error(run, exc) from exc
        raise
    os.close(lease.hand_over(pid))
    return side_job(run, name) or record


def stop_side_job(run: RunDir, name: str, reason: str, wait_s: float = 3.0) -> bool:
    """End side job ``name`` if its worker is alive on this host; its record then says ``stopped``
    with ``reason``. True when a worker was stopped. A page that starts this job again (its record
    no longer "running") starts a fresh worker."""
    import socket

    from core.lease import process_start_time

    lock, record_path = _job_paths(run, name)
    holder = owner(lock, record_path)
    pid = (holder or {}).get("pid")
    if not pid or pid == os.getpid() or holder.get("host", socket.gethostname()) != socket.gethostname():
        return False
    if holder.get("pid_start") is not None and process_start_time(pid) != holder.get("pid_start"):
        return False  # the pid names another process now
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + wait_s
    while owner(lock, record_path) is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    if owner(lock, record_path) is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)
    _mark_stopped(lock, record_path, reason)
    return True


def _mark_stopped(lock: Path, record_path: Path, reason: str) -> None:
    """Write "stopped" (with ``reason``) into a side job's record whose worker is gone, under the job's
    lock and only while it reads as unfinished: a job that had just written "done" was relabelled
    "stopped" (and made again), and another tab's fresh start of it was marked stopped under its worker."""
    import fcntl

    from core.storage import atomic_write_json

    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return
    deadline = time.monotonic() + 1.0  # a page testing liveness holds the lock for an instant
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except OSError:
            if time.monotonic() > deadline:  # a new worker holds it: its record is its own
                os.close(fd)
                return
            time.sleep(0.02)
    try:
        record = read_record(record_path)
        if record.get("state") in ("starting", "running", "stopped"):
            record.update(state="stopped", phase="stopped", ended=time.time(), error=reason)
            with contextlib.suppress(OSError):
                atomic_write_json(record_path, record)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def projection_job_name(config) -> str:
    """The side-job name of a projection with ``config`` (one per settings)."""
    return f"project-{config.key()}"


# --------------------------------------------------------------------------- UMAP warm-up


def _warm_marker(cache: Path) -> Path:
    try:
        from importlib.metadata import version

        tag = f"{version('umap-learn')}-{version('numba')}"
    except Exception:
        tag = "unknown"
    return cache / f".umap-warm-{tag}"


def umap_is_warm() -> bool:
    """True once UMAP's numba code is compiled into this home's cache."""
    from core.projection import configure_numba_cache

    return _warm_marker(Path(configure_numba_cache())).exists()


def ensure_umap_compiled(progress=None) -> None:
    """Make sure UMAP is compiled into the cache, waiting for (or doing) the one warm-up.

    Only one process compiles at a time: two compiling at once on two cores doubled the wait.
    """
    import fcntl

    from core.projection import configure_numba_cache, warm_up_umap

    cache = Path(configure_numba_cache())
    marker = _warm_marker(cache)
    if not marker.exists():
        if progress:
            progress("compiling UMAP (first map on this machine, about 15 s)", None)
        fd = os.open(cache / ".umap-warm.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # waits while another process compiles
            if not marker.exists():
                warm_up_umap()
                marker.touch()
        finally:
            os.close(fd)


def _warm_paths(home: Path) -> tuple[Path, Path]:
    return Path(home) / ".jobs" / "warm-umap.lock", Path(home) / ".jobs" / "warm-umap.json"


def _start_home_job(home: Path, paths: tuple[Path, Path], job: str, subject: str) -> int | None:
    """Start ``python -m core worker <subject> --job <job>`` holding the lease at ``paths`` (a job of the
    home, not of a run); returns its pid, or None when another worker holds the lease already."""
    try:
        lease = Lease.acquire(*paths, job)
    except OwnedError:
        return None  # another worker is at it
    try:
        args = ["worker", subject, "--job", job, "--lease-fd", str(lease.fd)]
        pid = _spawn(args, home / ".jobs" / f"{job}.log", pass_fds=(lease.fd,), home=home)
    except BaseException:
        lease.release()
        raise
    os.close(lease.hand_over(pid))
    return pid


def warm_up_umap_in_worker(home: Path | None = None) -> int | None:
    """Compile UMAP in a background worker process unless it is compiled or compiling (returns the pid)."""
    if umap_is_warm():
        return None
    home = Path(home or studio_home())
    return _start_home_job(home, _warm_paths(home), "warm-umap", "-")


def _near_copies_paths(home: Path, dataset: str) -> tuple[Path, Path]:
    name = f"near-copies-{validate_id(dataset)}"
    return Path(home) / ".jobs" / f"{name}.lock", Path(home) / ".jobs" / f"{name}.json"


def near_copies_counting(dataset: str, home: Path | None = None) -> bool:
    """True while a worker counts the near-copies between ``dataset``'s splits."""
    return owner(*_near_copies_paths(Path(home or studio_home()), dataset)) is not None


def count_near_copies_in_worker(dataset: str, home: Path | None = None) -> int | None:
    """Count the near-copies between ``dataset``'s test and training texts (``core.leakage``) in a
    background worker, once: the Data page says so before any run is trained (it took 3-4.5 s on bbc
    and zh_reviews, too long for the page). Returns the pid; None when a worker is at it already."""
    home = Path(home or studio_home())
    return _start_home_job(home, _near_copies_paths(home, dataset), "near-copies", dataset)


def _count_near_copies(dataset: str) -> None:
    from core.leakage import split_near_copies
    from core.training.runner import load_splits

    store = DatasetStore()
    # deleted since the job was asked for: counting would import a built-in back (the delete undone)
    if not store.exists(dataset):
        return
    split_near_copies(store.path(dataset), load_splits(dataset, store))


def live_workers(home: Path | None = None) -> list[dict]:
    """Every live worker process of a studio home: ``{"pid", "run", "job"}``, training first."""
    home = Path(home or studio_home())
    out = []
    store = RunStore(home)
    for run in store.list():
        owner_record = run.owner()
        if owner_record is not None:
            out.append({"pid": owner_record.get("pid"), "run": run.id, "job": owner_record.get("purpose") or "train"})
        folder = run.path / "jobs"
        if folder.is_dir():
            for record in sorted(folder.glob("*.json")):
                job = owner(record.with_suffix(".lock"), record)
                if job is not None:
                    out.append({"pid": job.get("pid"), "run": run.id, "job": f"{job.get('kind')} ({record.stem})"})
    warm = owner(*_warm_paths(home))
    if warm is not None:
        out.append({"pid": warm.get("pid"), "run": "-", "job": "warm-umap"})
    for record in sorted((home / ".jobs").glob("near-copies-*.json")) if (home / ".jobs").is_dir() else []:
        counting = owner(record.with_suffix(".lock"), record)
        if counting is not None:
            out.append({"pid": counting.get("pid"), "run": "-", "job": f"near-copies ({record.stem[12:]})"})
    return out


# --------------------------------------------------------------------------- the worker itself


def run_worker(
    run_id: str,
    job: str,
    name: str = "",
    lease_fd: int | None = None,
    reserve_cores: int = 0,
    map_after: bool = False,
    background: bool = False,
    force: bool = False,
) -> int:
    """The body of ``python -m core worker``; returns the exit code."""
    if job in ("warm-umap", "near-copies"):  # nothing of the user's to stop or keep: a kill ends them
        from core import early_stop

        early_stop.release()
    if job == "warm-umap":
        # the first map waits for this compile, and a demo waits for the first map: it runs at the
        # training's priority, not below it (once per machine, about 15 s)
        lower_priority(TRAIN_NICE)
        home = studio_home()
        lease = Lease.adopt(*_warm_paths(home), lease_fd, "warm-umap") if lease_fd is not None else None
        try:
            ensure_umap_compiled()
        finally:
            if lease is not None:
                lease.release()
        return 0
    if job == "near-copies":  # of a dataset (``run_id`` names it), before any run trains on it
        lower_priority(SIDE_NICE)
        home = studio_home()
        lease = (
            Lease.adopt(*_near_copies_paths(home, run_id), lease_fd, "near-copies") if lease_fd is not None else None
        )
        try:
            _count_near_copies(run_id)
        finally:
            if lease is not None:
                lease.release()
        return 0
    run = RunStore().get(run_id)
    if job in ("train", "resume", "restart"):
        lower_priority(BACKGROUND_NICE if background else TRAIN_NICE)
        return _training_worker(run, job, lease_fd, reserve_cores, map_after, force=force)
    lower_priority(SIDE_NICE)
    return _side_worker(run, job, name, lease_fd)


_STOP_HANDLER_SINCE: dict[Path, float] = {}  # run folder → when this process began to take signals as Stop
STOPPED_BY_SIGNAL: dict[Path, int] = {}  # run folder → the signal that told this process to stop it (Ctrl-C)


def stop_on_signals(run: RunDir, signals=(signal.SIGTERM,)) -> None:
    """Make ``kill <pid>`` (and, for the CLI, Ctrl-C) stop ``run`` gracefully, checkpoint kept."""

    def handler(signum, frame) -> None:
        if signum == signal.SIGINT and run.stop_requested():
            raise KeyboardInterrupt  # a second Ctrl-C: stop at once
        STOPPED_BY_SIGNAL.setdefault(run.path, signum)
        run.request_stop()
        # never imported here: a kill while the worker imports the runner (torch: seconds) raised "cannot
        # import name … from partially initialized module" inside that import, and the run ended "failed"
        runner = sys.modules.get("core.training.runner")
        with contextlib.suppress(Exception):  # a handler must not fail on a status being rewritten
            phase = run.raw_status().get("phase")
            if phase is None or runner is None:
                pass
            elif phase == runner.BASELINE_PHASE:  # one call to scikit-learn, which a stop cannot cut short
                print(
                    "The TF-IDF + LR baseline fits in one go, which cannot stop midway; it finishes in seconds "
                    + ("(Ctrl-C again stops it at once)." if signum == signal.SIGINT else "and is kept."),
                    file=sys.stderr,
                    flush=True,
                )
            elif phase in (runner.FINAL_PHASE, runner.CHECKING_PHASE):
                # training is over and the stop asks nothing of the evaluation: a Ctrl-C there was
                # ignored without a word, and the run ended "done" 14 s later
                print(
                    "Training has finished; the evaluation goes on to the end, so the run is complete "
                    + ("(Ctrl-C again stops it at once)." if signum == signal.SIGINT else "."),
                    file=sys.stderr,
                    flush=True,
                )

    # a request written from here on is this process's own, never a stale one to clear (the clock of
    # a file's time can be coarser than time.time(): a little slack)
    _STOP_HANDLER_SINCE[run.path] = time.time() - 0.05
    for sig in signals:
        signal.signal(sig, handler)
    from core import early_stop

    caught = early_stop.take()  # a kill while this worker started up
    if caught is not None:
        handler(caught, None)


BEFORE_QUEUE = "before_queue"  # a queued resume's or restart's status field: the run's status before the click


def _remember_before(status: dict, job: str) -> dict:
    """The status field that keeps ``status`` while a resume or restart of an ended run waits its turn."""
    if job not in ("resume", "restart") or status.get("state") not in ("done", "failed", "stopped", "interrupted"):
        return {}
    return {BEFORE_QUEUE: {k: v for k, v in status.items() if k != BEFORE_QUEUE}}


def _forget_before(run: RunDir) -> None:
    """Drop the kept status once the job has its slot: from here on the run is trained again."""
    status = run.raw_status()
    if status.pop(BEFORE_QUEUE, None) is not None:
        from core.storage import atomic_write_json

        atomic_write_json(run.status_path, status)


def train_with_slot(
    run: RunDir,
    job: str = "train",
    callbacks: list | None = None,
    on_wait=None,
    fresh: bool = False,
    force: bool = False,
) -> str:
    """Own ``run``, wait for a training slot, then train, resume or restart it; returns its final state.

    Every entry point trains through here (the dashboard's workers and the CLI), so one
    training job runs at a time per studio home, oldest first.
    """
    from core.training import runner

    home = run.path.parent.parent
    with run.acquire("train"):
        if fresh:  # started here (the CLI), not queued by a click: a stop request from before this process is stale
            run.clear_stop(older_than=_STOP_HANDLER_SINCE.get(run.path))
        if job == "resume":
            runner.check_resumable(run)
        if job == "restart":  # before anything is reset: a refused restart leaves the run as it was
            runner.check_restartable(run, force=force)
        if job == "train" and (run.model_path.exists() or run.checkpoint_dir.exists()):
            raise StudioError(  # training it afresh would throw its model or checkpoint away
                f"Run {run.id} has trained already (state: {run.status().get('state')}). Continue it with "
                f"python -m core resume --run {run.id}, or start it again with python -m core restart --run {run.id}."
            )
        status = run.raw_status()
        if status.get("state") != "queued" or not status.get("queued_at"):  # the CLI: queued from now on
            run.set_status("queued", queued_at=time.time(), job=job, **_remember_before(status, job))
        with training_slot(run, home, on_wait=on_wait) as slot:
            if slot is None:
                run.clear_stop()
                earlier = run.raw_status().get(BEFORE_QUEUE)
                if isinstance(earlier, dict) and earlier.get("state") in ("done", "failed", "stopped", "interrupted"):
                    # a resume or restart cancelled before it began: the run as it was (a done run read
                    # "stopped", "nothing was trained", and left the lists of finished runs)
                    from core.storage import atomic_write_json

                    atomic_write_json(run.status_path, earlier)
                    run.log(f"{job} cancelled while queued; the run is as it was ({earlier['state']})")
                    return "stopped"
                run.set_status("stopped", error=None, progress=float(run.raw_status().get("progress") or 0.0))
                run.log("stopped while queued")
                return "stopped"
            _forget_before(run)
            processes = runner.RunConfig.of_run(run).train.processes
            if processes > 1 and not current_distributed().active:  # this process launches the ranks
                if job == "resume":
                    runner.check_run_data(run)  # before the ranks start: they would each refuse
                    runner.prepare_resume(run)
                if job == "restart":
                    runner.reset_run(run)
                from core.training.callbacks import ProgressBar

                # the ranks draw the bar in this terminal where it asked for one (--quiet: into ranks.log)
                bar = any(isinstance(callback, ProgressBar) for callback in callbacks or [])
                return launch_ranks(run, processes, resume=job == "resume", progress=bar)
            if job == "resume":
                return runner.resume_run(run.id, home=home, callbacks=callbacks)
            if job == "restart":
                runner.reset_run(run)
            return runner.execute_run(run, home=home, callbacks=callbacks)


def current_distributed():
    """This process's place in a torchrun job (a world of one otherwise)."""
    from core.training.distributed import current

    return current()


PR_SET_PDEATHSIG = 1  # prctl(2): the signal the kernel sends a process when its parent dies


def die_with_parent(parent: int, sig: int = signal.SIGTERM) -> None:
    """Have the kernel send ``sig`` to this process once ``parent`` (its parent now) ends.

    torchrun and its ranks are not workers of ours: killed with its worker (out of memory, SIGKILL),
    a data-parallel run went on training in orphans while it read "interrupted", and a resume then
    trained it twice at once. Linux only; elsewhere nothing changes.
    """
    dying = _death_signal_setter(parent, sig)
    if dying is not None:
        dying()


def _death_signal_setter(parent: int, sig: int):
    """A callable that asks for ``sig`` on the parent's death, resolved now: it may then run
    between fork and exec (``preexec_fn``), where importing is unsafe. None off Linux."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None

    def ask() -> None:
        prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
        if os.getppid() != parent:  # it ended before the request: nothing would send the signal now
            os.kill(os.getpid(), sig)

    return ask


def launch_ranks(run: RunDir, processes: int, resume: bool = False, progress: bool = False) -> str:
    """Train ``run`` in ``processes`` data-parallel ranks started by ``torchrun``; returns its final state.

    The caller owns the run (its lease) and the training slot for the ranks' whole life; rank 0
    writes the run's files, and Stop reaches it through the run's stop flag. The ranks' output
    goes to ``<run>/ranks.log``, or to this terminal with ``progress``.
    """
    from core.training.distributed import describe_command, torchrun_command
    from core.training.runner import LEASE_HOLDER_ENV

    args = ["rank", run.id] + (["--resume"] if resume else []) + ([] if progress else ["--quiet"])
    command = torchrun_command(processes, args)
    env = {**os.environ, LEASE_HOLDER_ENV: str(os.getpid()), "ENCODER_STUDIO_HOME": str(run.path.parent.parent)}
    env.setdefault("OMP_NUM_THREADS", "1")  # each rank sets its own torch threads
    run.log(f"launching {processes} data-parallel processes: {describe_command(command)}")
    if not resume:
        run.set_status("running", processes=processes)
    log_path = run.path / "ranks.log"
    with open(log_path, "ab") as log:
        out = None if progress else log
        code = subprocess.run(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT if out else None,
            # torchrun ends its ranks on SIGTERM; the ranks also end with torchrun (cmd_rank)
            preexec_fn=_death_signal_setter(os.getpid(), signal.SIGTERM),
            # out of the terminal's process group: a Ctrl-C reached torchrun too, which killed the ranks
            # mid-step (the run failed, its progress lost); it stops them through the run's stop flag
            start_new_session=True,
        ).returncode
    state = run.raw_status().get("state")
    if state in ("running", "queued"):  # a rank died before rank 0 could write the end
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-1500:] if log_path.is_file() else ""
        run.log(f"the data-parallel processes ended with exit code {code}:\n{tail}")
        run.set_status("failed", error=f"the data-parallel processes ended with exit code {code}; see ranks.log")
        return "failed"
    return state


def _training_worker(
    run: RunDir, job: str, lease_fd: int | None, reserve_cores: int, map_after: bool, force: bool = False
) -> int:
    if lease_fd is not None:
        lease = Lease.adopt(run.lease_path, run.owner_path, lease_fd, "train", {"run": run.id})
    else:
        lease = run.acquire("train")
    stop_on_signals(run)
    os.environ["ENCODER_STUDIO_RESERVE_CORES"] = str(reserve_cores)
    state = "failed"
    try:
        state = train_with_slot(
            run, job, on_wait=lambda ahead: run.set_status("queued", ahead=ahead, updated_by=os.getpid()), force=force
        )
    except Exception as exc:
        # anything that escapes before training owns the run (a library that fails to import, a full
        # disk, a damaged config) would leave it "queued" with no process: "interrupted" and no reason
        message = str(exc) if isinstance(exc, StudioError) else f"{type(exc).__name__}: {exc} (details in worker.log)"
        if not isinstance(exc, StudioError):
            import traceback

            traceback.print_exc()
        print(f"error: {exc}", file=sys.stderr)
        with contextlib.suppress(Exception):  # the log and status may be what failed (a full disk)
            run.log(f"could not {job}: {message}")
            if run.raw_status().get("state") in ("queued", "running"):
                run.set_status("failed", error=message)
    finally:
        lease.release()
    if map_after and state == "done" and (run.path / "embeddings.npy").is_file():
        from core.projection import ProjectionConfig

        config = ProjectionConfig()
        with contextlib.suppress(Exception):  # the map is a convenience; the page can ask again
            start_side_job(run, projection_job_name(config), "project", {"config": config.__dict__})
    return 0 if state in ("done", "stopped") else 1


class SideJobStopped(BaseException):
    """A side job's worker told to stop by a signal (``kill <pid>``); not an ``Exception``, so that no
    step of the job takes it for one of its own failures."""


SIGNAL_STOP_REASON = "Stopped by a signal (kill)."


def _stop_side_job_on_signals() -> None:
    """Make SIGTERM end this side job as "stopped" (it killed the worker outright, and its job read
    "running" until the page gave up on it: "The worker process ended unexpectedly")."""
    from core import early_stop

    def handler(signum, frame) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # one stop: a second kill must not raise in its handling
        raise SideJobStopped(signum)

    if os.name == "posix":
        signal.signal(signal.SIGTERM, handler)
    caught = early_stop.take()
    if caught is not None:
        raise SideJobStopped(caught)


def _side_worker(run: RunDir, job: str, name: str, lease_fd: int | None) -> int:
    if not name:
        raise StudioError(f"A {job} job needs --name: the job the dashboard submitted under that name.")
    lock, record_path = _job_paths(run, name)
    record = read_record(record_path)
    spec = record.get("spec")
    # "starting" after "starting a worker" read as the same step twice: this one loads the libraries (torch, umap)
    record.update(state="running", phase="loading the libraries", started=time.time(), progress=None)
    if lease_fd is not None:
        lease = Lease.adopt(lock, record_path, lease_fd, job, record)
    else:
        lease = Lease.acquire(lock, record_path, job, record)

    phases: list[str] = []

    def progress(phase: str, fraction: float | None = None) -> None:
        if not phases or phases[-1] != phase:
            phases.append(phase)
        lease.update(phase=phase, progress=fraction, phases=phases)

    # everything after the adopt can fail into the job's record: a torch that failed to load left the job
    # "loading the libraries" until the page called it "ended unexpectedly", the reason only in the log
    try:
        _stop_side_job_on_signals()
        if not isinstance(spec, dict) or record.get("kind", job) != job:
            raise StudioError(
                f"Run {run.id} has no {job} job named {name!r} waiting. Side jobs are submitted by the dashboard; "
                "python -m core workers lists the ones at work."
            )
        if job != "project":  # a map needs no torch; the others embed texts beside a run that may be training
            from core.training.trainer import set_threads

            set_threads(0)  # the free cores: torch's default of every core fought the training worker
        if job == "project":
            result = _project(run, spec, progress)
        elif job == "evaluate":
            from core.training.runner import evaluate_saved_run

            with run.acquire("evaluate"):
                result = evaluate_saved_run(run, progress=progress)
        elif job == "predict":
            result = _predict(run, spec, progress)
        elif job == "search":
            result = _search_index(run, spec, progress)
        elif job == "shift":
            result = _shift(run, spec, progress)
        elif job == "score":
            result = _score(run, spec, progress)
        else:
            raise ValueError(f"unknown job {job!r}")
        if os.name == "posix":  # done: a kill from now on must not relabel it "stopped"
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        lease.update(state="done", phase="done", progress=1.0, ended=time.time(), result=result)
        return 0
    except SideJobStopped:
        with contextlib.suppress(OSError):  # a full disk: the page reads a dead worker as ended all the same
            lease.update(state="stopped", phase="stopped", ended=time.time(), error=SIGNAL_STOP_REASON)
        return 1
    except Exception as exc:
        if os.name == "posix":  # the failure is written whole: a kill now ends the process after it
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        message = str(exc) if isinstance(exc, StudioError) else f"{type(exc).__name__}: {exc}"
        import traceback

        traceback.print_exc()
        lease.update(state="failed", phase="failed", ended=time.time(), error=message)
        return 1
    finally:
        if os.name == "posix":  # the record is written: a kill now must not raise inside the release
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        lease.release()


def _project(run: RunDir, spec: dict, progress) -> dict:
    import numpy as np

    from core.projection import ProjectionConfig, project_run

    config = ProjectionConfig(**spec.get("config", {}))
    indices = None
    if spec.get("indices"):
        indices = np.load(safe_child(run.path / "jobs", spec["indices"]), allow_pickle=False)
    if config.method == "umap":
        ensure_umap_compiled(progress)
    projection, _ = project_run(run.path, config, indices, progress=progress)
    return {"points": int(len(projection.indices)), "total": int(projection.total)}


def _shift(run: RunDir, spec: dict, progress) -> dict:
    from core.alignment import align_run
    from core.projection import ProjectionConfig

    config = ProjectionConfig(**spec.get("config", {}))
    if config.method == "umap":
        ensure_umap_compiled(progress)
    result = align_run(run.path, config, progress)
    return {"points": int(len(result.indices)), "disparity": round(result.disparity, 4)}


def _score(run: RunDir, spec: dict, progress) -> dict:
    """The run scored on another dataset (``core.crosseval``): the report beside the job, its mistakes too."""
    import pandas as pd

    from core.crosseval import score_on_dataset
    from core.storage import atomic_save, atomic_write_json

    folder = run.path / "jobs"
    progress("loading the model", None)
    report = score_on_dataset(
        run,
        spec["dataset"],
        part=spec.get("part", "test"),
        progress=lambda done, total: progress(f"classifying {done:,} of {total:,} texts", done / max(1, total)),
    )
    from core.data import FILE_ROW

    found = report.pop("mistakes")
    rows = [FILE_ROW] if found and FILE_ROW in found[0] else []  # where the dataset keeps its file's rows
    mistakes = pd.DataFrame(found, columns=[*rows, "label", "pred", "confidence", "text"])
    atomic_save(safe_child(folder, spec["mistakes"]), lambda tmp: mistakes.to_parquet(tmp, index=False))
    atomic_write_json(safe_child(folder, spec["report"]), report)
    return {"n": report["n"], "accuracy": round(report["accuracy"], 4), "report": spec["report"]}


def _search_index(run: RunDir, spec: dict, progress) -> dict:
    from core.search import SearchIndex, load_collection

    progress("reading the collection", None)
    index = SearchIndex.build(run.path, load_collection(spec["collection"]), progress)
    return {"texts": index.manifest["texts"], "seconds": index.manifest["seconds"]}


PREDICT_PREVIEW_ROWS = 200  # rows of a batch's predictions the Playground shows; the download has them all


def _predict(run: RunDir, spec: dict, progress) -> dict:
    from core.data import load_file
    from core.export import safe_csv
    from core.inference import Predictor, batch_predictions, blank_count
    from core.storage import atomic_save, atomic_write_text

    folder = run.path / "jobs"
    source = safe_child(folder, spec["input"])
    progress("reading the file", None)
    table = load_file(source, text_column=spec.get("text_column") or None, sheet=spec.get("sheet") or None)
    from core.data import texts_to_predict

    # one column, or several joined (a run trained on subject + body): load_file has chosen them
    column = spec.get("text_column") if isinstance(spec.get("text_column"), str) else None
    column = column or (table.text_column if len(table.chosen_text_columns) == 1 else None)
    texts, cut = texts_to_predict(table)
    progress("loading the model", None)
    predictor = Predictor.from_run(run.path)
    filled = sum(1 for text in texts if text.strip())
    frame = batch_predictions(
        predictor,
        texts,
        progress=lambda done: progress(f"classifying {done:,} of {filled:,} texts", done / max(1, filled)),
    )
    blank = blank_count(frame)
    from core.inference import agreement_with_file

    agreement = agreement_with_file(
        frame["prediction"].tolist(), table.frame, predictor.labels, table.chosen_text_columns
    )
    if spec.get("keep_columns"):
        from core.inference import with_source_columns

        frame = with_source_columns(frame, table.frame, column)
    renamed = dict(frame.attrs.get("renamed") or {})
    atomic_write_text(safe_child(folder, spec["output"]), safe_csv(frame))
    # the page shows the first rows as they are (the download escapes formulas; a table in the page runs none)
    preview = f"{spec['output']}.preview.parquet"
    shown = frame.head(PREDICT_PREVIEW_ROWS).copy()
    for name in shown.columns:  # a JSON column of numbers and words stored as one type
        if shown[name].dtype == object:
            shown[name] = [None if v is None or v != v else v if isinstance(v, str) else str(v) for v in shown[name]]
    atomic_save(safe_child(folder, preview), lambda tmp: shown.to_parquet(tmp, index=False))
    from core.data import has_content, has_words

    # rows of punctuation alone, or of emoji the model drops or never met, get the class prior, as
    # confident-looking as any: the page counts them (emoji a model that reads characters learned are read)
    wordless = sum(
        1
        for text in texts
        if text.strip()
        and not has_words(text)
        and (not has_content(text) or not predictor.tokens(text) or predictor.known_share(text) == 0)
    )
    return {
        "rows": len(frame),
        "blank": blank,
        "cut": cut,
        "past_window": past_window(predictor, texts),
        "wordless": wordless,
        "known_share": batch_known_share(predictor, texts),
        "agreement": agreement,
        "renamed": renamed,
        "output": spec["output"],
        "preview": preview,
    }


def past_window(predictor, texts: list[str], sample: int = 500) -> dict | None:
    """For a model that reads a window of tokens (a Transformer): its ``max_len`` and the ``share`` of the
    file's non-blank texts (a seeded sample) that go on past it; None for a model that reads texts whole.
    "The download's text column holds what the model read" was said of 40 contracts it read 6% of."""
    import random

    window = predictor.window()
    if not window:
        return None
    filled = [text for text in texts if text.strip()]
    if not filled:
        return None
    picked = random.Random(0).sample(filled, min(sample, len(filled)))
    share = sum(predictor.unread_from(text) is not None for text in picked) / len(picked)
    return {"max_len": int(window), "share": share}


def batch_known_share(predictor, texts: list[str], sample: int = 500) -> float | None:
    """The share of a file's tokens the model knows, over a seeded sample of its non-blank texts
    (None when the model cannot say): a Chinese-only model classified 300 English reviews with
    ordinary-looking confidences, and nothing said it read one word in five of them."""
    import random

    filled = [text for text in texts if text.strip()]
    if len(filled) > sample:
        filled = random.Random(0).sample(filled, sample)
    shares = [share for text in filled if (share := predictor.known_share(text)) is not None]
    return float(sum(shares) / len(shares)) if shares else None


def write_job_file(run: RunDir, name: str, data: bytes) -> str:
    """Store an input for a side job under ``<run>/jobs/``; returns its file name."""
    from core.storage import atomic_write_bytes

    atomic_write_bytes(safe_child(run.path / "jobs", name), data)
    return name


BATCH_JOBS_KEPT = 3  # a run's newest batch classifications kept, with their inputs and predictions


def prune_batch_jobs(run: RunDir, keep: int = BATCH_JOBS_KEPT) -> int:
    """Remove all but the ``keep`` newest batch classifications (``predict-*`` side jobs) of ``run``,
    their records, logs and predictions, and every stored upload no kept job reads; returns how many
    jobs went. A job still at work is kept. Each classification kept its upload and its predictions
    for good: three passes over one 778 KB file left 7 MB, and 200 MB uploads grew by gigabytes."""
    folder = run.path / "jobs"
    if not folder.is_dir():
        return 0

    def modified(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:  # pruned by another session between the listing and this look
            return 0.0

    # job records only: a JSON file uploaded before uploads were stored once is "predict-….input.json"
    records = [
        p for p in folder.glob("predict-*.json") if "." not in p.stem and read_record(p).get("kind") == "predict"
    ]
    records.sort(key=modified, reverse=True)
    kept, removed = records[:keep], 0
    for record in records[keep:]:
        name = record.stem
        job = side_job(run, name)
        if job is not None and job.get("state") in ("starting", "running"):
            kept.append(record)
            continue
        for path in folder.glob(f"{name}.*"):
            path.unlink(missing_ok=True)
        removed += 1
    needed = {str((read_record(record).get("spec") or {}).get("input") or "") for record in kept}
    for upload in folder.glob("upload-*"):
        # a minute's grace: another session may have stored it for a job not recorded yet
        if upload.name not in needed and time.time() - modified(upload) > 60:
            upload.unlink(missing_ok=True)
    return removed


__all__ = [
    "default_threads",
    "free_cores",
    "live_workers",
    "projection_job_name",
    "queue",
    "run_worker",
    "side_job",
    "start_side_job",
    "stop",
    "submit_training",
    "umap_is_warm",
    "warm_up_umap_in_worker",
]
