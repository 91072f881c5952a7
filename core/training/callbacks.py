"""Callbacks: how the trainer talks to the outside (metrics file, progress bar, early stop).

Every hook does nothing by default; ``on_fit_end`` always fires, even after an error.
"""

from __future__ import annotations

import math
import sys
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.registry import RunDir
    from core.training.trainer import Trainer


class Callback:
    """Base class: override the hooks you need."""

    def on_fit_start(self, trainer: Trainer) -> None: ...

    def on_step_end(self, trainer: Trainer, metrics: dict[str, Any]) -> None: ...

    def on_eval_end(self, trainer: Trainer, metrics: dict[str, Any]) -> None: ...

    def on_epoch_end(self, trainer: Trainer, metrics: dict[str, Any]) -> None: ...

    def on_fit_end(self, trainer: Trainer, status: str) -> None: ...

    def on_checkpoint(self, trainer: Trainer, info: dict[str, Any]) -> None: ...


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved for ``patience`` evaluations."""

    def __init__(self, monitor: str = "val/macro_f1", patience: int = 3, mode: str = "max", min_delta: float = 1e-4):
        self.monitor, self.patience, self.mode, self.min_delta = monitor, patience, mode, min_delta
        self.best = -math.inf if mode == "max" else math.inf
        self.bad_evals = 0

    def on_eval_end(self, trainer: Trainer, metrics: dict[str, Any]) -> None:
        value = metrics.get(self.monitor)
        if value is None or self.patience <= 0:
            return
        if trainer.step < getattr(trainer, "select_from", 0):  # a peak no weights are kept from ends nothing
            return
        better = value > self.best + self.min_delta if self.mode == "max" else value < self.best - self.min_delta
        if better:
            self.best, self.bad_evals = value, 0
        elif trainer.step >= trainer.min_steps:  # the promised minimum first: a tiny validation set is noisy
            self.bad_evals += 1
            if self.bad_evals >= self.patience:
                trainer.request_stop("early_stopping")

    def state_dict(self) -> dict:
        return {"best": self.best, "bad_evals": self.bad_evals}

    def load_state_dict(self, state: dict) -> None:
        self.best, self.bad_evals = state.get("best", self.best), state.get("bad_evals", 0)


class StopFlag(Callback):
    """Stop after the current batch once the run's stop flag file appears (Stop in any entry point)."""

    def __init__(self, run: RunDir):
        self.run = run

    def on_fit_start(self, trainer: Trainer) -> None:
        self.on_step_end(trainer, {})

    def on_step_end(self, trainer: Trainer, metrics: dict[str, Any]) -> None:
        if self.run.stop_requested():  # one stat() per batch: microseconds
            trainer.request_stop("user")


class ProgressSlice(Callback):
    """Report a run trained inside another (an ensemble's member) as a slice of that run's bar.

    The ensemble's bar moved only between members: it sat at 75% for the 40 s its RBF member took.
    """

    def __init__(self, run: RunDir, start: float, width: float, interval: float = 1.0):
        self.run, self.start, self.width, self.interval = run, start, width, interval
        self._last = 0.0

    def on_step_end(self, trainer: Trainer, metrics: dict[str, Any]) -> None:
        now = time.monotonic()
        if now - self._last < self.interval or "progress" not in metrics:
            return
        self._last = now
        share = min(max(float(metrics["progress"]), 0.0), 1.0)
        # the member's own ETA: the members to come have none yet (a baseline takes seconds, a Transformer minutes)
        eta = metrics.get("eta_s")
        self.run.set_status("running", progress=self.start + self.width * share, member_eta_s=eta)


class MetricsFile(Callback):
    """Append events to the run's ``metrics.jsonl``; step events at most every ``interval`` s."""

    def __init__(self, run: RunDir, interval: float = 0.5):
        self.run, self.interval = run, interval
        self._last = 0.0
        self._unwritten: dict[str, Any] | None = None  # the last step's event, when throttled away

    def on_fit_start(self, trainer: Trainer) -> None:
        self.run.append_metrics({"event": "fit_start", "time": time.time(), **trainer.plan()})

    def on_step_end(self, trainer: Trainer, metrics: dict[str, Any]) -> None:
        now = time.monotonic()
        event = {"event": "step", "time": time.time(), **metrics}
        if now - self._last >= self.interval or metrics.get("last_in_epoch"):
            self._last = now
            self.run.append_metrics(event)
            self._unwritten = None
        else:
            self._unwritten = event

    def on_eval_end(self, trainer: Trainer, metrics: dict[str, Any]) -> None:
        self.run.append_metrics({"event": "eval", "time": time.time(), **metrics})

    def on_fit_end(self, trainer: Trainer, status: str) -> None:
        if self._unwritten is not None:  # the pages read how far it got from the last step's event
            self.run.append_metrics(self._unwritten)
            self._unwritten = None
        record = {"event": "fit_end", "time": time.time(), "status": status, "step": trainer.step}
        reason = trainer.stop_reason  # why it ended before its planned epochs: "time budget", "early_stopping", "user"
        cap = trainer.config.max_steps
        # a cap inside the last epoch counts that epoch as ended: the plan without the cap tells
        # the cap ended it, even where early stopping asked to stop at the same last evaluation
        capped = cap and trainer.step >= cap and cap < trainer.steps_per_epoch * trainer.epochs
        if capped and reason in (None, "early_stopping"):
            reason = "max_steps"  # read as "no better validation score" for want of a reason
        if reason:
            record["reason"] = reason
        self.run.append_metrics(record)


class RunStatus(Callback):
    """Keep ``status.json`` current (progress, ETA) so pages and the CLI can show it."""

    def __init__(self, run: RunDir, interval: float = 1.0):
        self.run, self.interval = run, interval
        self._last = 0.0

    def on_fit_start(self, trainer: Trainer) -> None:
        self.run.set_status("running", progress=trainer.progress(), total_steps=trainer.total_steps)

    def on_step_end(self, trainer: Trainer, metrics: dict[str, Any]) -> None:
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            extra = {k: metrics[k] for k in ("rank_throughput", "device_memory_gb") if k in metrics}
            self.run.set_status(
                "running", progress=metrics["progress"], eta_s=metrics.get("eta_s"), step=trainer.step, **extra
            )

    def on_fit_end(self, trainer: Trainer, status: str) -> None:
        # the throttled updates left the step of a second before the end ("step": 1 after 300 steps)
        if status != "failed" and self.run.raw_status().get("state") == "running":
            self.run.set_status("running", progress=trainer.progress(), step=trainer.step)

    def on_checkpoint(self, trainer: Trainer, info: dict[str, Any]) -> None:
        # what a resume after a crash counts as time already spent: up to the last checkpoint
        self.run.set_status("running", checkpoint_seconds=round(info["seconds"], 3), checkpoint_step=info["step"])


def is_terminal(stream) -> bool:
    """True when ``stream`` is a terminal: a bar redrawn with carriage returns reads there, and only there."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or closed
        return False


class _Unbroken:
    """A stream whose reader may leave (``train … | head``): writes after that are dropped. The closed
    pipe raised in the middle of training, and the run read "failed" for a log line nobody could read."""

    def __init__(self, stream):
        self.stream, self.gone = stream, False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                return self.stream.write(text)
            except (BrokenPipeError, ValueError):  # the reader left, or the stream was closed
                self.gone = True
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self.stream.flush()
            except (BrokenPipeError, ValueError):
                self.gone = True

    def isatty(self) -> bool:
        return not self.gone and is_terminal(self.stream)

    def __getattr__(self, name: str):  # encoding, fileno… as the stream has them
        return getattr(self.stream, name)


class ProgressBar(Callback):
    """A tqdm bar on stderr for the CLI, with loss and validation scores. Where stderr is not a
    terminal (a log file, a pipe), plain lines instead, one every ``interval`` seconds: the bar's
    carriage-return redraws left a log file one long line of junk."""

    def __init__(self, file=None, interval: float = 10.0):
        self.file = _Unbroken(file or sys.stderr)
        self.bar = None
        self.plain = not is_terminal(self.file)
        self.interval = interval
        self._last_line = 0.0
        self._last: dict[str, Any] = {}  # the last step's metrics, for the plain closing line

    def on_fit_start(self, trainer: Trainer) -> None:
        if self.plain:
            self._last_line = time.monotonic()
            return
        from tqdm.auto import tqdm

        self.bar = tqdm(
            total=trainer.total_steps,
            initial=trainer.step,
            desc="training",
            unit="step",
            file=self.file,
            dynamic_ncols=True,
            leave=True,
        )

    def _write_plain(self, trainer: Trainer, metrics: dict[str, Any]) -> None:
        line = f"training: step {trainer.step:,} of {trainer.total_steps:,}, epoch {metrics['epoch']:.2f}"
        line += f", loss {metrics['train/loss']:.3f}"
        if metrics.get("eta_s") is not None:
            line += f", about {float(metrics['eta_s']):,.0f} s left"
        print(line, file=self.file, flush=True)

    def on_step_end(self, trainer: Trainer, metrics: dict[str, Any]) -> None:
        if self.plain:
            self._last = metrics
            now = time.monotonic()
            if now - self._last_line >= self.interval:
                self._last_line = now
                self._write_plain(trainer, metrics)
            return
        if self.bar is not None:
            used = trainer._budget_used
            if trainer.config.time_budget_s and used >= 0.05:
                # the steps the budget lets the run make at this pace: counted against the planned ones, the
                # bar stopped at 7% with "23:30" left of a 30-s budget
                expected = round(trainer.step / used)
                self.bar.total = max(trainer.step, min(trainer.total_steps, expected))
            self.bar.update(trainer.step - self.bar.n)
            self.bar.set_postfix(epoch=f"{metrics['epoch']:.2f}", loss=f"{metrics['train/loss']:.3f}", refresh=False)

    def on_eval_end(self, trainer: Trainer, metrics: dict[str, Any]) -> None:
        # "selection" is the epoch picker's own figure (macro-F1 less loss / n), named nowhere a user reads
        shown = {
            k.split("/", 1)[1]: f"{v:.3f}" for k, v in metrics.items() if k.startswith("val/") and k != "val/selection"
        }
        # named as what it is, beside the bar's training loss ("epoch 0: loss=6.282" after 0.18 of an epoch
        # read as a second, unexplained training figure)
        epoch = float(metrics.get("epoch", 0))
        at = f"{epoch:.0f}" if abs(epoch - round(epoch)) < 0.005 else f"{epoch:.2f}"
        line = f"held-out, epoch {at}: " + " ".join(f"{k}={v}" for k, v in shown.items())
        if self.plain:
            print(line, file=self.file, flush=True)
        elif self.bar is not None:
            self.bar.write(line, file=self.file)  # beside its bar (tqdm.write goes to stdout otherwise)

    def on_fit_end(self, trainer: Trainer, status: str) -> None:
        if self.plain and self._last:  # where it ended, whatever the interval left unsaid
            self._write_plain(trainer, {**self._last, "eta_s": None})
            self._last = {}
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def stop_reason(metrics: list[dict]) -> str | None:
    """Why the last training session ended early ("time budget", "early_stopping", "user"), if it says."""
    ends = [m for m in metrics if isinstance(m, dict) and m.get("event") == "fit_end"]
    return ends[-1].get("reason") if ends else None
