"""Background jobs: a queue of runs, worked off one (or a few) at a time, each stoppable.

A ``JobManager`` is process-wide (the dashboard keeps one in ``st.cache_resource``). Jobs
run ``execute_run`` in worker threads, never touch Streamlit, and report only through the run
folder (status, metrics), which pages poll. Stop sets the job's event; the trainer checks it
after every batch, checkpoints and ends the run as ``stopped``.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from core.registry import RunStore


@dataclass
class Job:
    """One queued or running piece of work on a run."""

    run_id: str
    kind: str = "train"  # train | resume
    state: str = "queued"  # queued | running | finished
    submitted: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    result: str | None = None  # the run's final state, or "error"
    error: str | None = None
    stop_event: threading.Event = field(default_factory=threading.Event, repr=False)


class JobManager:
    """A FIFO queue with at most ``max_concurrent`` jobs running at once."""

    def __init__(self, home: Path | None = None, max_concurrent: int = 1, recover: bool = True):
        self.home = home
        self.max_concurrent = max(1, max_concurrent)
        self._lock = threading.Lock()
        self._queue: deque[Job] = deque()
        self._jobs: dict[str, Job] = {}
        self._running = 0
        self.recovered: list[str] = RunStore(home).mark_interrupted() if recover else []

    # -- public API
    def submit(self, run_id: str, kind: str = "train") -> Job:
        """Queue work on ``run_id``; starts at once if a slot is free."""
        with self._lock:
            current = self._jobs.get(run_id)
            if current is not None and current.state != "finished":
                return current
            job = Job(run_id=run_id, kind=kind)
            self._jobs[run_id] = job
            self._queue.append(job)
        self._dispatch()
        return job

    def stop(self, run_id: str) -> bool:
        """Stop a running job (checkpointed) or drop a queued one; True if there was one."""
        with self._lock:
            job = self._jobs.get(run_id)
            if job is None or job.state == "finished":
                return False
            job.stop_event.set()
            if job.state == "queued":
                self._queue.remove(job)
                job.state, job.result, job.finished = "finished", "stopped", time.time()
                RunStore(self.home).get(run_id).set_status("stopped", error=None, progress=0.0)
            return True

    def get(self, run_id: str) -> Job | None:
        """The latest job for a run, if any."""
        with self._lock:
            return self._jobs.get(run_id)

    def queue(self) -> list[Job]:
        """Jobs waiting or running, oldest first."""
        with self._lock:
            return [j for j in self._jobs.values() if j.state != "finished"]

    def active(self) -> bool:
        """True while any job is queued or running."""
        return bool(self.queue())

    def wait(self, run_id: str, timeout: float = 600.0) -> Job | None:
        """Block until the run's job finishes (tests and scripts)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            job = self.get(run_id)
            if job is None or job.state == "finished":
                return job
            time.sleep(0.05)
        return self.get(run_id)

    # -- internals
    def _dispatch(self) -> None:
        while True:
            with self._lock:
                if self._running >= self.max_concurrent or not self._queue:
                    return
                job = self._queue.popleft()
                job.state, job.started = "running", time.time()
                self._running += 1
            threading.Thread(target=self._work, args=(job,), name=f"job-{job.run_id}", daemon=True).start()

    def _work(self, job: Job) -> None:
        from core.training.runner import execute_run, resume_run

        try:
            if job.kind == "resume":
                job.result = resume_run(job.run_id, home=self.home, stop_event=job.stop_event)
            else:
                job.result = execute_run(RunStore(self.home).get(job.run_id), home=self.home, stop_event=job.stop_event)
        except Exception as exc:  # the run folder already says failed; keep the job table honest
            job.result, job.error = "error", f"{type(exc).__name__}: {exc}"
            try:
                run = RunStore(self.home).get(job.run_id)
                run.log("job crashed:\n" + traceback.format_exc())
                if run.status().get("state") in ("running", "queued"):
                    run.set_status("failed", error=job.error)
            except Exception:
                pass
        finally:
            with self._lock:
                job.state, job.finished = "finished", time.time()
                self._running -= 1
            self._dispatch()
