"""One training loop for every torch encoder and task.

AdamW, linear warm-up then decay, gradient clipping, seeded shuffling, checkpoints (at epoch
ends, at least every ``checkpoint_within_epoch_s`` inside one, and on stop) that
``fit(resume=True)`` continues from, even mid-epoch, a stop flag checked after every batch, the best weights by the task's monitor restored at the end, mixed precision on
CUDA. It talks to the outside only through callbacks.
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
import re
import shutil
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from core.config import check_range
from core.training.callbacks import Callback, EarlyStopping
from core.training.tasks import Task, TaskData, WindowData, move

# with a time budget, the share of it at the end over which a cap on the learning rate falls to zero
# (the cool-down of a warm-up-stable-decay schedule; 20% as in Hägele et al., 2024)
BUDGET_COOLDOWN = 0.2
SMOOTH_STEPS = 20  # the training curves' smoothing window, in steps
MAX_EPOCHS = 10_000  # TrainConfig.epochs' ceiling


@dataclass
class TrainConfig:
    """How to train: optimiser, schedule, stopping, hardware."""

    epochs: int = 10  # passes over the training data
    batch_size: int = 64  # texts per step; 0 = auto: 32 to 512 texts, about 25 steps per epoch given enough texts
    lr: float = 2e-3  # peak learning rate (with batch 0: for 32 texts, scaled by √(batch / 32))
    weight_decay: float = 0.01  # AdamW decay (not on biases, norms or 1-D params)
    warmup_ratio: float = 0.06  # share of steps spent warming the learning rate up
    schedule: str = "linear"  # linear | cosine | constant (after warm-up)
    grad_clip: float = 1.0  # max gradient norm; 0 = off
    patience: int = 3  # epochs without a better validation score before stopping; 0 = off
    class_weights: bool = False  # weight the loss by inverse class frequency
    seed: int = 0  # seeds init, shuffling and dropout
    device: str = "auto"  # auto | cpu | cuda
    threads: int = 0  # CPU threads for torch; 0 = one per core
    precision: str = "auto"  # auto (bf16/fp16 on CUDA, fp32 on CPU) | fp32 | bf16 | fp16
    eval_batch_size: int = 256  # texts per evaluation batch
    max_steps: int = 0  # stop after this many steps in all; 0 = no cap
    min_steps: int = 0  # more epochs until this many steps, no early stop before; 0 = auto (300 on small data)
    micro_batch_size: int = 0  # texts per forward pass; smaller than a process's share of the batch = gradient accumulation; 0 = the whole share
    processes: int = 1  # data-parallel processes (torchrun); the batch stays the global batch whatever this is
    compile: bool = False  # torch.compile the model (off: on CPU it ran slower; see docs/BENCHMARKS.md)
    time_budget_s: float = 0.0  # training stops after this many seconds (evaluation and the map come after); 0 = none
    checkpoint_every_s: float = 30.0  # epoch-end checkpoints at most this often (always at the end); 0 = every epoch
    checkpoint_within_epoch_s: float = 60.0  # also checkpoint mid-epoch after this long; 0 = only at epoch ends

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lr) and 0 < self.lr <= 10):  # NaN, inf and 1e30 train to NaN weights
            raise ValueError(f"lr must be a positive number of at most 10; got {self.lr}")
        # scikit-learn and NumPy take seeds of 0 to 2**32 - 1: -1 made a run that failed at its start
        check_range("TrainConfig", "seed", self.seed, 0, 2**32 - 1)
        check_range("TrainConfig", "epochs", self.epochs, 1, MAX_EPOCHS)
        check_range("TrainConfig", "batch_size", self.batch_size, 0, 8192, "0 means automatic")
        check_range("TrainConfig", "eval_batch_size", self.eval_batch_size, 1, 8192)
        check_range("TrainConfig", "threads", self.threads, 0, 512, "0 means one per free core")
        check_range("TrainConfig", "max_steps", self.max_steps, 0, 100_000_000)
        check_range("TrainConfig", "micro_batch_size", self.micro_batch_size, 0, 8192, "0 means the whole batch")
        check_range("TrainConfig", "processes", self.processes, 1, 4096)
        check_range("TrainConfig", "time_budget_s", self.time_budget_s, 0, 1e7, "0 means no time limit")
        check_range("TrainConfig", "min_steps", self.min_steps, 0, 10_000_000, "0 means automatic: 300 on small data")
        # unchecked, -1 climbed the loss (every gradient times -1) and still ended "done"; NaN failed
        # at the first step with a bare "cannot convert float NaN to integer"
        check_range("TrainConfig", "warmup_ratio", self.warmup_ratio, 0, 1, "a share of the steps")
        check_range("TrainConfig", "weight_decay", self.weight_decay, 0, 10)
        check_range("TrainConfig", "grad_clip", self.grad_clip, 0, 1_000_000, "0 turns clipping off")
        if self.checkpoint_every_s < 0 or self.checkpoint_within_epoch_s < 0:
            raise ValueError("checkpoint intervals must not be negative (0 turns the time budget off)")
        if self.schedule not in ("linear", "cosine", "constant"):
            raise ValueError(f"schedule must be linear, cosine or constant; got {self.schedule!r}")
        if self.precision not in ("auto", "fp32", "bf16", "fp16"):
            raise ValueError(f"precision must be auto, fp32, bf16 or fp16; got {self.precision!r}")
        # unchecked, device=gpu made a run that failed at its start on torch's own RuntimeError
        if not isinstance(self.device, str) or not re.fullmatch(r"auto|cpu|cuda(:\d+)?", self.device):
            raise ValueError(f"device must be auto, cpu, cuda or cuda:N (N: the GPU's number); got {self.device!r}")


# steps in a row whose loss is NaN or infinite before a run is failed as diverged (fp16's loss
# scaler skips the odd overflowing step, so one bad step is not yet divergence)
DIVERGED_AFTER = 10


def auto_batch_size(n_train: int) -> int:
    """About 25 optimiser steps per epoch, as a power of two from 32 to 512.

    Small sets need many small steps; on large ones, bigger batches cost less per epoch
    (each step's optimiser update is the expensive part for a bag-of-words table). With the
    learning rate scaled by √(batch / 32), 25 steps of 512 reached the accuracy of 100 steps of
    128 on the Chinese reviews in two thirds of the time (docs/BENCHMARKS.md).
    """
    target = max(1, n_train // 25)
    return int(min(512, max(32, 2 ** round(math.log2(target)))))


@dataclass(frozen=True)
class Schedule:
    """What a run with a config trains on a split: the Trainer follows it, the Train form shows it."""

    batch_size: int
    steps_per_epoch: int
    min_steps: int  # the config's own, or the one a small validation set adds
    epochs: int  # the config's, or more where the minimum of steps adds some
    total_steps: int  # all epochs' steps, or the step cap


def plan_schedule(config: TrainConfig, n_train: int, n_val: int) -> Schedule:
    """The batch, epochs and steps ``config`` makes of ``n_train`` training and ``n_val`` validation texts."""
    from core.training.defaults import effective_min_steps

    batch_size = config.batch_size or auto_batch_size(n_train)
    steps_per_epoch = max(1, math.ceil(n_train / batch_size))
    # a few dozen texts are two steps an epoch: min_steps adds epochs so the model gets enough updates
    min_steps = effective_min_steps(config.min_steps, config.patience, n_val)
    epochs = max(config.epochs, math.ceil(min_steps / steps_per_epoch)) if min_steps else config.epochs
    total_steps = steps_per_epoch * epochs
    if config.max_steps:
        total_steps = min(total_steps, config.max_steps)
    return Schedule(batch_size, steps_per_epoch, min_steps, epochs, total_steps)


def check_device_here(name: str) -> None:
    """Refuse (StudioError) a ``device`` that names a GPU this machine does not have."""
    from core.errors import StudioError

    if not name.startswith("cuda"):
        return
    count = torch.cuda.device_count() if torch.cuda.is_available() else 0
    if not count:
        raise StudioError(
            f"device={name}: this machine has no GPU that torch can use (no CUDA). Use device=auto or cpu, or "
            "start the run on a machine with a GPU."
        )
    if ":" in name and int(name.split(":")[1]) >= count:
        raise StudioError(
            f"device={name}: this machine has {count} GPU(s), cuda:0 to cuda:{count - 1}. Pick one of them, or "
            "device=cuda."
        )


def resolve_device(name: str) -> torch.device:
    """``auto`` → CUDA when present, else CPU."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise RuntimeError("CUDA was asked for but no GPU is available; use device=cpu or auto.")
    return torch.device(name)


def set_threads(threads: int = 0) -> int:
    """Use ``threads`` torch threads, or with 0 as many as there are idle cores now; returns the number set."""
    if not threads:
        from core.workers import default_threads

        threads = default_threads()
    torch.set_num_threads(max(1, int(threads)))
    return torch.get_num_threads()


def autocast_dtype(precision: str, device: torch.device) -> torch.dtype | None:
    """The autocast dtype for ``precision`` on ``device``, or None for fp32."""
    if precision == "fp32" or (precision == "auto" and device.type != "cuda"):
        return None
    if precision == "auto":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return torch.bfloat16 if precision == "bf16" else torch.float16


def no_decay(name: str, param: nn.Parameter) -> bool:
    """Biases, norms and other 1-D parameters get no weight decay."""
    return param.ndim < 2 or name.endswith(".bias") or "ln" in name.split(".")[-2:-1]


def device_name(device: torch.device) -> str:
    """The device as a person would name it: the GPU's model, or the CPU."""
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    import platform

    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            model = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "")
    except OSError:
        pass
    return f"CPU ({model or platform.processor() or platform.machine()})"


def largest_fitting_batch(
    model: nn.Module, task: Task, data: TaskData, device: torch.device, amp_dtype, start: int = 16, most: int = 1024
) -> int:
    """The largest power-of-two batch (``start`` to ``most``) whose forward and backward pass fit in
    the GPU's memory, tried on the run's own data; 0 when not even ``start`` fits. Data smaller than
    ``start`` is tried whole (12 texts gave 0, and the run failed as "not even 16 texts fit")."""
    if not len(data):
        return 0
    fitted, size = 0, min(start, len(data))
    model.to(device).train()
    while size <= min(most, len(data)):
        idx = list(range(size))
        try:
            batch = move(task.batch(data, idx, seeds=idx), device)
            with torch.autocast(device.type, dtype=amp_dtype, enabled=amp_dtype is not None):
                loss, _ = task.loss(model, batch)
            loss.backward()
            fitted = size
        except torch.OutOfMemoryError:
            break
        finally:
            model.zero_grad(set_to_none=True)
            batch = loss = None
            torch.cuda.empty_cache()
        size *= 2
    return fitted


def _pin(batch: dict) -> dict:
    return {k: (_pin(v) if isinstance(v, dict) else v.pin_memory()) for k, v in batch.items()}


def sparse_parameters(model: nn.Module) -> bool:
    """True when some parameter of ``model`` takes sparse gradients."""
    from core.training.optim import sparse_parameter_ids

    return bool(sparse_parameter_ids(model))


ENDING_REASONS = ("early_stopping", "time budget")  # stops that end training for good, unlike a user's
STOP_CODES = {"user": 2.0}  # a stop's reason as a number every rank can agree on (the highest wins)


PREVIOUS_WEIGHTS = "model-previous.safetensors"  # a checkpoint's last whole weights, while new ones are written
# read errors that say the disk, its permissions or the system failed, not the file: the checkpoint is kept.
# Not every OSError: torch reads a state.pt cut short at its end as OSError(EINVAL), and that file is damaged.
TRANSIENT_READ_ERRORS = frozenset(
    {errno.EIO, errno.EACCES, errno.EPERM, errno.EAGAIN, errno.EBUSY, errno.EINTR, errno.ESTALE, errno.ETIMEDOUT}
    | {errno.EMFILE, errno.ENFILE, errno.ENOMEM, errno.ENODEV, errno.ENXIO}
)


def _transient_read_error(exc: BaseException) -> OSError | None:
    """The OSError in ``exc``'s chain that says a read failed for a reason that may pass, else None."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in TRANSIENT_READ_ERRORS:
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def _weights_step(path) -> int | None:
    """The step a checkpoint's weights were saved at (their metadata), None when not recorded."""
    from safetensors import safe_open

    with safe_open(str(path), "pt") as handle:
        step = (handle.metadata() or {}).get("step")
    return None if step is None else int(step)


RECENT_STEPS = 20  # the live throughput comes from the last this-many steps
# the ETA's pace: the last third of this session's steps, at least RECENT_STEPS and at most this many. Over
# 20 steps of a Transformer's uneven batches it read 72 s, 2 min 26 s, 4 min 36 s, 3 min 2 s within 6 s
ETA_STEPS = 600


class Trainer:
    """Fits ``model`` on ``train`` for ``task``; see the module docstring."""

    def __init__(
        self,
        model: nn.Module,
        task: Task,
        train: TaskData,
        val: TaskData | None,
        config: TrainConfig,
        callbacks: list[Callback] | None = None,
        checkpoint_dir: Path | None = None,
        stop_event: threading.Event | None = None,
        param_groups: list[dict] | None = None,
    ):
        self.model = model
        self.task = task
        self.train_data = train
        self.val_data = val if val is not None and len(val) else None
        self.config = config
        self.callbacks = list(callbacks or [])
        self.early_stopping = EarlyStopping(task.monitor, config.patience, task.mode)
        self.callbacks.append(self.early_stopping)
        self.checkpoint_dir = Path(checkpoint_dir) if checkpoint_dir else None
        self.stop_event = stop_event or threading.Event()
        self.stop_reason: str | None = None
        from core.training.distributed import current

        self.dist = current()
        self.device = self.dist.device_for(resolve_device(config.device))
        self.net: nn.Module = model  # what the loss calls: the model, or its DDP wrapper
        self.amp_dtype = autocast_dtype(config.precision, self.device)
        self.scaler = torch.amp.GradScaler(self.device.type, enabled=self.amp_dtype == torch.float16)
        schedule = plan_schedule(config, len(train), len(val) if self.val_data else 0)
        self.batch_size = schedule.batch_size
        # Adam's square-root rule keeps the auto batch's step noise where lr was tuned (batch 32)
        self.lr = config.lr if config.batch_size else config.lr * math.sqrt(self.batch_size / 32)
        self.steps_per_epoch = schedule.steps_per_epoch
        self.micro_batch_size = config.micro_batch_size
        self.min_steps, self.epochs, self.total_steps = schedule.min_steps, schedule.epochs, schedule.total_steps
        # the minimum a small validation set adds holds back the choice of weights too: judged on 3 texts,
        # epoch 22 of 300 was "best" (training loss at chance, ln 3) and its near-untrained weights were kept
        from core.training.defaults import TINY_VALIDATION

        n_val = len(self.val_data) if self.val_data else 0
        self.select_from = self.min_steps if self.min_steps and not config.min_steps and n_val < TINY_VALIDATION else 0
        self.step = 0
        self.epoch = 0
        self.batch_in_epoch = 0
        self.best_score: float | None = None
        self.best_state: dict[str, torch.Tensor] | None = None
        self.history: list[dict] = []
        self._param_groups = param_groups
        self._started = 0.0
        self._steps_this_session = 0
        self._budget_used = 0.0  # share of the time budget used (the same on every rank)
        # seconds of the time budget that sessions before a resume spent: a stopped run resumes with what
        # is left of its budget (it got the whole budget again, and its ETA and learning rate jumped back)
        self._spent_before = 0.0
        # resumed from the weights set aside (``PREVIOUS_WEIGHTS``): they, not the newer ones, match the state
        self._resumed_from_aside = False
        self._recent: deque[tuple[float, int]] = deque(maxlen=ETA_STEPS + 1)  # (time, step)
        self._smooth: dict[str, float] = {}  # exponential averages of the step losses and accuracies
        # the epoch's running totals (texts seen, right, summed loss), kept in a checkpoint: a resume
        # mid-epoch reported the epoch's loss over its second half only
        self._epoch_sums: tuple[int, float, float] = (0, 0.0, 0.0)
        self._resumed_sums: tuple[int, float, float] | None = None
        self._bad_steps = 0  # steps in a row whose loss was NaN or infinite
        self._rank_rates: list[float] = []
        self._eval_seconds = 0.0  # how long the last validation pass took (the ETA counts one per epoch left)

    # -- stopping
    @property
    def should_stop(self) -> bool:
        """True once a stop was requested (by the user or a callback)."""
        return self.stop_event.is_set() or self.stop_reason is not None

    def request_stop(self, reason: str = "user") -> None:
        """Ask the loop to end after the current batch."""
        self.stop_reason = self.stop_reason or reason
        if reason == "user":
            self.stop_event.set()

    # -- reporting
    def progress(self) -> float:
        """Share of planned steps done, or of the time budget used if that is further along (0-1)."""
        return min(1.0, max(self.step / max(1, self.total_steps), self._budget_used))

    def _eta(self, steps_per_s: float) -> float:
        """Seconds left: the remaining steps at the recent pace and a validation pass per epoch left (as
        long as the last one took), or the budget left and one pass if the budget ends first. Without
        the passes the bar sat at "about 1 s left" through a 16-s validation at the end."""
        left = self.total_steps - self.step
        # the epoch in progress validates at its end, its last step done or not
        passes = max(0, math.ceil(self.total_steps / max(1, self.steps_per_epoch)) - self.epoch)
        eta = left / max(steps_per_s, 1e-9) + passes * self._eval_seconds
        if self.config.time_budget_s:
            budget_left = max(0.0, 1.0 - self._budget_used) * self.config.time_budget_s
            eta = min(eta, budget_left + self._eval_seconds)
        return eta

    def _pace(self, steps: int) -> float:
        """Steps per second over the last ``steps`` steps (fewer where fewer were taken), pauses left out."""
        (t0, s0), (t1, s1) = self._recent[-min(steps, len(self._recent) - 1) - 1], self._recent[-1]
        return (s1 - s0) / max(t1 - t0, 1e-6)

    def _leave_out_pause(self) -> None:
        """Keep the time since the last step (validation, a checkpoint) out of the live pace.

        The pace is steps over the time of the last few; with a validation pass inside that window,
        the first steps of each epoch read as a crawl, and an RBF run's "s left" leapt up and back at
        every epoch. The ETA counts the validation passes on their own.
        """
        if not self._recent:
            return
        pause = time.monotonic() - self._recent[-1][0]
        self._recent = deque(((when + pause, step) for when, step in self._recent), maxlen=self._recent.maxlen)

    def minimum_steps_note(self) -> str | None:
        """Why this run trains more epochs than its config asks, in a sentence (as the Train page says it
        under the settings), or None when it trains the epochs asked for. ``--epochs 3`` on 210 texts
        trained 43 epochs, and neither the terminal nor log.txt said why."""
        asked = self.config.epochs
        # a step cap ends the run first, minimum or not (as the Train page counts it)
        trains = min(self.epochs, max(asked, math.ceil(self.total_steps / self.steps_per_epoch)))
        if trains <= asked:
            return None
        unit = "windows" if isinstance(self.train_data, WindowData) else "texts"  # a streamed corpus
        n_train, n_val = len(self.train_data), len(self.val_data) if self.val_data else 0
        steps = f"{self.steps_per_epoch:,} step{'' if self.steps_per_epoch == 1 else 's'}"
        if self.config.min_steps:  # a minimum of the run's own (fine-tuning's is 150)
            return (
                f"{n_train:,} training {unit} make {steps} an epoch, so to reach its minimum of "
                f"{self.min_steps:,} steps this run trains {trains:,} epochs, not {asked:,}."
            )
        return (  # the minimum a small validation set adds (core.training.defaults.effective_min_steps)
            f"Only {n_val:,} validation {unit} to judge by: early stopping on so few stops on noise, so the run "
            f"trains at least {self.min_steps:,} steps first"
            + (", and keeps its best weights from after them. " if self.select_from else ". ")
            + f"{n_train:,} training {unit} make {steps} an epoch: it trains {trains:,} epochs, not {asked:,}."
        )

    def plan(self) -> dict[str, Any]:
        """What the run will do, for the metrics file and the UI."""
        return {
            "total_steps": self.total_steps,
            "steps_per_epoch": self.steps_per_epoch,
            "batch_size": self.batch_size,
            "lr": self.lr,
            "epochs": self.epochs,
            "train_size": len(self.train_data),
            "val_size": len(self.val_data) if self.val_data else 0,
            "device": str(self.device),
            "device_name": device_name(self.device),
            "processes": self.dist.world,
            "micro_batch_size": self.micro_batch_size,
            "threads": torch.get_num_threads(),
            "precision": str(self.amp_dtype or "fp32").replace("torch.", ""),
            "resumed_at_step": self.step,
            "select_from_step": self.select_from,
        }

    def _emit(self, hook: str, *args) -> None:
        for callback in self.callbacks:
            method = getattr(callback, hook, None)  # a callback may implement only some hooks
            if method is not None:
                method(self, *args)

    # -- optimisation
    def _optimizer(self) -> torch.optim.Optimizer:
        cfg = self.config
        if self._param_groups is not None:
            groups = self._param_groups
        else:
            decay, plain = [], []
            for name, param in self.model.named_parameters():
                if param.requires_grad:
                    (plain if no_decay(name, param) else decay).append(param)
            groups = [{"params": decay, "weight_decay": cfg.weight_decay}, {"params": plain, "weight_decay": 0.0}]
        groups = [g for g in groups if g["params"]]
        for g in groups:
            g.setdefault("lr_scale", 1.0)
            if g.get("weight_decay") is None:
                g["weight_decay"] = cfg.weight_decay
            g["lr"] = self.lr * g["lr_scale"]
        from core.training.optim import make_optimizer

        return make_optimizer(self.model, groups, self.lr, cfg.weight_decay)

    def _lr_factor(self, step: int) -> float:
        cfg = self.config
        warmup = int(cfg.warmup_ratio * self.total_steps)
        if step < warmup:
            factor = (step + 1) / warmup
            used = self._budget_used
            if cfg.time_budget_s and used >= 0.05 and step >= 10:
                # In steps, so that the same seed gives the same run, unless the budget is too short for
                # the planned steps: then over the same share of the steps the budget allows at this
                # pace. A 90 s fine-tune planned for 12 epochs stopped at step 184 of a 456-step
                # warm-up, its rate at 40% of the peak, and scored below the majority class (0.5135
                # against 0.5202). The pace is read after 5% of the budget, so a slow first step does
                # not cut the warm-up short.
                projected = step / used
                if projected < self.total_steps:
                    factor = max(factor, min(1.0, (step + 1) / max(1, int(cfg.warmup_ratio * projected))))
                factor = min(factor, max(0.0, 1.0 - used) / BUDGET_COOLDOWN)
            if factor < 1.0:
                return factor
        if cfg.schedule == "constant":
            return 1.0
        # The decay stays planned in steps, also under a time budget: decaying to zero over the whole
        # budget instead lost on one side-by-side pair (masked-token accuracy 0.1173 against 0.1278,
        # 30 minutes of pretraining cut at 3.6 of 6 epochs). What a cut run lacks is the end of the
        # decay, so the rate is also capped by a line from the peak at 80% of the budget to zero at
        # its end; measured against the cut alone (same seed, identical until the cap took over at
        # 94% of the budget) it ended at perplexity 258.8 against 260.2 (docs/BENCHMARKS.md notes).
        remaining = max(0.0, (step - warmup) / max(1, self.total_steps - warmup))
        if cfg.schedule == "cosine":
            factor = 0.5 * (1 + math.cos(math.pi * min(1.0, remaining)))
        else:
            factor = max(0.0, 1.0 - remaining)
        if cfg.time_budget_s:
            factor = min(factor, max(0.0, 1.0 - self._budget_used) / BUDGET_COOLDOWN)
        return factor

    def _set_lr(self, optimizer: torch.optim.Optimizer) -> float:
        factor = self._lr_factor(self.step)
        for group in optimizer.param_groups:
            group["lr"] = self.lr * group.get("lr_scale", 1.0) * factor
        return self.lr * factor

    # -- checkpoints
    def save_checkpoint(self, optimizer: torch.optim.Optimizer) -> None:
        """Write weights (safetensors) and loop state (tensors and numbers only) atomically (rank 0 only)."""
        self._last_checkpoint = time.monotonic()
        self._checkpoint_step = self.step
        if self.checkpoint_dir is None or not self.dist.is_main:
            return
        from core.storage import is_disk_full

        try:
            self._write_checkpoint(optimizer)
        except Exception as exc:
            if not is_disk_full(exc):
                raise
            raise self._disk_full_error() from exc
        self._emit("on_checkpoint", {"step": self.step, "seconds": time.monotonic() - self._started})

    def _disk_full_error(self) -> Exception:
        """What a checkpoint that did not fit on the disk says: the run fails with it, so the way out
        (free space, then resume from the last whole checkpoint or start again) is on the page."""
        from core.errors import StudioError

        run_id = self.checkpoint_dir.parent.name
        if self.has_checkpoint():  # the last whole one is kept: every write is atomic
            then = f"resume the run from its last checkpoint: python -m core resume --run {run_id} (or Resume on the Train page)."
        else:
            then = f"start the run again: python -m core restart --run {run_id} (or 'Start again' on the Train page)."
        return StudioError(
            f"The disk is full: the checkpoint of run {run_id} could not be written to {self.checkpoint_dir}. "
            f"Free some space (delete runs or datasets you no longer need, or move the studio home to a larger "
            f"disk with ENCODER_STUDIO_HOME), then {then}"
        )

    def _write_checkpoint(self, optimizer: torch.optim.Optimizer) -> None:
        from safetensors.torch import save_model

        from core.storage import atomic_save

        self.checkpoint_dir.mkdir(parents=True, exist_ok=True)
        step = {"step": str(self.step)}  # tied to state.pt's step: a write cut off half-way is detected
        weights, previous = self.checkpoint_dir / "model.safetensors", self.checkpoint_dir / PREVIOUS_WEIGHTS
        # The weights and the loop state are two files: a kill between their writes left weights of step 11
        # beside a state of step 9, and the run could not be resumed. The weights the state on disk belongs
        # to are kept aside until the new state is written, and resuming falls back on them.
        if self._resumed_from_aside:  # the weights aside are the whole ones: the newer ones go
            weights.unlink(missing_ok=True)
            self._resumed_from_aside = False
        elif weights.is_file() and (self.checkpoint_dir / "state.pt").is_file():
            os.replace(weights, previous)
        atomic_save(weights, lambda tmp: save_model(self.model, str(tmp), metadata=step))
        if self.best_state is not None:
            from safetensors.torch import save_file

            atomic_save(self.checkpoint_dir / "best.safetensors", lambda tmp: save_file(self.best_state, str(tmp)))
        state = {
            "optimizer": optimizer.state_dict(),
            "epoch": self.epoch,
            "batch_in_epoch": self.batch_in_epoch,
            "step": self.step,
            "best_score": self.best_score,
            "early_stopping": self.early_stopping.state_dict(),
            "history": self.history,
            "torch_rng": torch.get_rng_state(),
            "budget_spent_s": self._spent(),
            "scaler": self.scaler.state_dict() if self.scaler.is_enabled() else {},
            "epoch_sums": list(self._epoch_sums) if self.batch_in_epoch else [],
            "smooth": dict(self._smooth),
            # training over for good (not a user's stop): a run killed while it was then evaluated resumed
            # the loop, and trained on past where early stopping or its budget had ended it
            "ended": self.stop_reason if self.stop_reason in ENDING_REASONS else "",
        }

        def write_state(tmp: Path) -> None:
            # given a path, torch's writer kept the file open while its error lived (the traceback holds
            # it): a full disk's temporary file stayed, and the run's "failed" status did not fit either
            with open(tmp, "wb") as handle:
                torch.save(state, handle)

        atomic_save(self.checkpoint_dir / "state.pt", write_state)
        previous.unlink(missing_ok=True)

    def has_checkpoint(self) -> bool:
        """True when a checkpoint to resume from exists."""
        return self.checkpoint_dir is not None and (self.checkpoint_dir / "state.pt").is_file()

    def load_checkpoint(self, optimizer: torch.optim.Optimizer) -> None:
        """Restore weights and loop state written by ``save_checkpoint``; ModelFileError when damaged."""
        run_id = self.checkpoint_dir.parent.name
        again = f"Start the run again with the same settings (python -m core restart --run {run_id}, or Start again on the Train page)."
        try:
            self._load_checkpoint(optimizer, again)
        except (MemoryError, torch.OutOfMemoryError):  # the machine, not the file: the checkpoint stays
            raise
        except OSError as exc:
            if not isinstance(exc, FileNotFoundError):  # a disk error: the checkpoint may be sound
                raise
            self._damaged_checkpoint(exc, run_id, again)
        except Exception as exc:  # a truncated, zero-byte or foreign file: a message, never a traceback
            self._damaged_checkpoint(exc, run_id, again)

    def _damaged_checkpoint(self, exc: Exception, run_id: str, again: str) -> None:
        """Set the unreadable checkpoint aside (not deleted: the run then offers "Start again" instead of
        a Resume that cannot work) and raise ModelFileError. Only the main process moves it."""
        from core.errors import ModelFileError, StudioError

        aside = self.checkpoint_dir.with_name("checkpoint-damaged")
        if self.dist.is_main:
            shutil.rmtree(aside, ignore_errors=True)
            with contextlib.suppress(OSError):
                self.checkpoint_dir.rename(aside)
        if isinstance(exc, StudioError):
            raise ModelFileError(f"{exc} (The checkpoint was moved to {aside.name}/.)") from None
        raise ModelFileError(
            f"The checkpoint of run {run_id} is damaged ({type(exc).__name__}: {str(exc)[:80]}), so it cannot be "
            f"resumed; it was moved to {aside.name}/. {again}"
        ) from None

    def _load_checkpoint(self, optimizer: torch.optim.Optimizer, again: str) -> None:
        from safetensors.torch import load_file, load_model

        from core.errors import StudioError

        weights = self.checkpoint_dir / "model.safetensors"
        try:
            state = torch.load(self.checkpoint_dir / "state.pt", map_location=self.device, weights_only=True)
        except Exception as exc:  # weights_only refuses pickled objects: never load them
            transient = _transient_read_error(exc)
            if transient is not None:  # let out, the checkpoint is kept; wrapped, a sound one was set aside as damaged
                raise transient from None
            raise StudioError(
                f"The checkpoint's state.pt cannot be loaded safely ({type(exc).__name__}); it may be damaged or "
                f"hold pickled code, so it was not loaded. {again}"
            ) from None
        weights_step = _weights_step(weights) if weights.is_file() else None
        if weights_step != int(state["step"]):
            previous = self.checkpoint_dir / PREVIOUS_WEIGHTS
            if previous.is_file() and _weights_step(previous) == int(state["step"]):
                weights = previous  # killed between the two writes: the last complete checkpoint is whole
                weights_step = int(state["step"])
                self._resumed_from_aside = True
        if weights_step is not None and weights_step != int(state["step"]):
            raise StudioError(
                f"The last checkpoint was cut off while it was written (weights at step {weights_step}, "
                f"loop state at step {state['step']}), so it cannot be resumed safely. {again}"
            )
        load_model(self.model, str(weights), device=str(self.device))
        optimizer.load_state_dict(state["optimizer"])
        self.epoch, self.batch_in_epoch, self.step = state["epoch"], state["batch_in_epoch"], state["step"]
        self.best_score = state["best_score"]
        self._spent_before = float(state.get("budget_spent_s", 0.0))  # older checkpoints: the whole budget again
        self.early_stopping.load_state_dict(state["early_stopping"])
        self.history = list(state["history"])
        if state.get("scaler") and self.scaler.is_enabled():  # older checkpoints: the scale starts again
            self.scaler.load_state_dict(state["scaler"])
        if state.get("epoch_sums") and self.batch_in_epoch:
            seen, correct, loss_sum = state["epoch_sums"]
            self._resumed_sums = (int(seen), float(correct), float(loss_sum))
        self._smooth = {str(k): float(v) for k, v in (state.get("smooth") or {}).items()}
        if state.get("ended") in ENDING_REASONS:
            self.stop_reason = str(state["ended"])  # the loop is over: what is left is the evaluation
        torch.set_rng_state(state["torch_rng"].cpu())
        best = self.checkpoint_dir / "best.safetensors"
        if best.is_file():
            self.best_state = load_file(str(best))

    # -- the loop
    def _order(self, epoch: int):
        # The permutation depends only on (seed, epoch), so a resumed epoch replays it exactly,
        # with any number of processes. Streamed windows shuffle in blocks (memory ~ blocks, not windows).
        seed = self.config.seed * 100_003 + epoch
        if getattr(self.train_data, "streamed", False):
            from core.corpus import BlockOrder

            return BlockOrder(len(self.train_data), seed)
        return torch.randperm(len(self.train_data), generator=torch.Generator().manual_seed(seed))

    def _my_parts(self, global_idx: list[int]) -> tuple[list[list[int]], int]:
        """This rank's share of a global batch, cut into micro-batches; and 1, or 0 when the share is
        empty (a batch smaller than the world): then one item stands in with no weight, so every
        rank still joins the gradient's all-reduce."""
        world, rank = self.dist.world, self.dist.rank
        share = -(-len(global_idx) // world)
        mine = global_idx[rank * share : (rank + 1) * share]
        weight = 1
        if not mine:
            mine, weight = global_idx[:1], 0
        micro = self.micro_batch_size or len(mine)
        return [mine[i : i + micro] for i in range(0, len(mine), micro)], weight

    def _to_device(self, batch: dict) -> dict:
        if self.device.type == "cuda":  # pinned host memory lets the copy overlap the previous step's work
            batch = _pin(batch)
        return move(batch, self.device)

    def _item_seeds(self, epoch: int, idx: list[int]) -> list[int]:
        """One seed per item and epoch: a text's masks do not depend on its batch or process."""
        base = (self.config.seed * 1_000_003 + epoch) * 10_000_019
        return [base + i for i in idx]

    def _evaluate(self) -> dict[str, Any]:
        if self.val_data is None:
            return {}
        started = time.monotonic()
        metrics = {}
        if self.dist.is_main:  # one rank evaluates; the others take its scores (the same decisions everywhere)
            metrics = self.task.evaluate(self.model, self.val_data, self.device, self.config.eval_batch_size)
        metrics = self.dist.broadcast(metrics)
        self.model.train()
        self._eval_seconds = time.monotonic() - started
        return metrics

    def _track_best(self, metrics: dict[str, Any]) -> None:
        score = metrics.get(self.task.monitor)
        if score is None or not math.isfinite(score):  # NaN beat by nothing kept NaN weights as the "best"
            return
        if self.step < self.select_from:  # too early to be judged on so few texts: see select_from
            return
        sign = 1 if self.task.mode == "max" else -1
        if self.best_score is None or sign * score > sign * self.best_score:
            self.best_score = score
            if self.dist.is_main:  # only rank 0 saves the model, so only it keeps the best weights
                self.best_state = {k: v.detach().to("cpu", copy=True) for k, v in self.model.state_dict().items()}

    def fit(self, resume: bool = False) -> str:
        """Train; returns the final status: ``done``, ``stopped`` or raises after ``failed``."""
        torch.manual_seed(self.config.seed)
        np.random.seed(self.config.seed % (2**32))
        self.dist.init(self.device)
        self.model.to(self.device)
        optimizer = self._optimizer()
        # fp16's loss scale is part of the loop's state: a resume that started it again at 65,536 skipped
        # steps to overflows the uninterrupted run never had
        self.scaler = torch.amp.GradScaler(self.device.type, enabled=self.amp_dtype == torch.float16)
        if resume and self.has_checkpoint():
            self.load_checkpoint(optimizer)
        if self.dist.active:
            from torch.nn.parallel import DistributedDataParallel

            if sparse_parameters(self.model):
                raise ValueError(
                    "Data-parallel training needs dense gradients; this encoder's embedding table takes sparse "
                    "ones. Train the bag-of-words models in one process (they take seconds to minutes)."
                )
            ids = [self.device.index] if self.device.type == "cuda" else None
            self.net = DistributedDataParallel(self.model, device_ids=ids, find_unused_parameters=False)
            # the same init everywhere (DDP also broadcasts rank 0's weights), but each rank its own dropout
            torch.manual_seed(self.config.seed + 1_000_003 * self.dist.rank + self.step)
        if self.config.compile:
            self.net = torch.compile(self.net)
        self.model.train()
        status = "failed"
        self._started = self._last_checkpoint = time.monotonic()
        self._checkpoint_step = self.step
        self._steps_this_session = 0
        self._budget_used = self._spent_before / self.config.time_budget_s if self.config.time_budget_s else 0.0
        self._recent.clear()
        self._recent.append((self._started, self.step))
        try:
            self._emit("on_fit_start")
            finished = self._loop(optimizer)
            if self.best_state is not None:
                self.model.load_state_dict(self.best_state)
            if self.dist.is_main:  # the rank that saves the model
                self._check_finite_weights()
            status = finished
        finally:
            self.model.eval()
            self._emit("on_fit_end", status)
        return status

    def _check_finite_weights(self) -> None:
        """Fail the run when the weights it would save are not numbers.

        Weights gone NaN in the last few steps (fewer than ``DIVERGED_AFTER``), with no earlier
        validation to keep a good copy (one epoch, or no validation split), ended "done" with a
        NaN model scored at chance.
        """
        from core.errors import StudioError

        bad = [
            name
            for name, value in self.model.state_dict().items()
            if value.is_floating_point() and not torch.isfinite(value).all()
        ]
        if bad:
            raise StudioError(
                f"Training diverged: {len(bad)} weight table(s) of the model stopped being numbers (NaN or infinite) "
                "by the end of training. No model was saved. Train a new run with a lower learning rate (--lr, or "
                "the Train page's learning rate)."
            )

    @property
    def seconds_before_resume(self) -> float:
        """Seconds of training before this session (0 unless resumed from a checkpoint)."""
        return self._spent_before

    def _spent(self) -> float:
        """Seconds of training so far, this session's and those before a resume (what the budget counts)."""
        return self._spent_before + (time.monotonic() - self._started if self._started else 0.0)

    def _smoothed(self, name: str, value: float) -> float:
        """An exponential average of ``value`` over the last ~``SMOOTH_STEPS`` steps, bias-corrected
        (as Adam's moments are), so the first steps are not pulled towards zero."""
        beta = 1 - 1 / SMOOTH_STEPS
        average = beta * self._smooth.get(name, 0.0) + (1 - beta) * float(value)
        weight = beta * self._smooth.get(name + "/weight", 0.0) + (1 - beta)
        self._smooth[name], self._smooth[name + "/weight"] = average, weight
        return average / weight

    def _check_diverged(self, loss: float, lr: float, epoch_end: bool) -> None:
        """Fail the run (StudioError) once the loss has stopped being a number.

        ``DIVERGED_AFTER`` bad steps in a row, or a whole epoch of them: a learning rate that is
        far too large (or NaN) otherwise trains to NaN weights and ends "done" at chance.
        """
        from core.errors import StudioError

        if math.isfinite(loss):
            self._bad_steps = 0
            return
        if not epoch_end:
            self._bad_steps += 1
        if self._bad_steps >= DIVERGED_AFTER or (epoch_end and self._bad_steps >= max(2, self.batch_in_epoch)):
            raise StudioError(
                f"Training diverged: the loss was not a number (NaN or infinite) for {self._bad_steps} step(s) in "
                f"a row at epoch {self.epoch + 1} (learning rate {lr:.3g}). No model was saved. Train a new run "
                "with a lower learning rate (--lr, or the Train page's learning rate): resuming this one would "
                "diverge again."
            )

    def _loop(self, optimizer: torch.optim.Optimizer) -> str:
        cfg = self.config
        from core.training.optim import clip_grad_norm

        scaler = self.scaler
        lr = optimizer.param_groups[0]["lr"]  # an epoch that runs no step still reports one
        # texts a step takes, on average over an epoch: steps × batch size counted a batch larger than the
        # data, and each epoch's short last batch, as full (144 texts in batches of 512: 3.6× the real rate)
        texts_per_step = len(self.train_data) / self.steps_per_epoch
        if self.stop_reason in ENDING_REASONS:  # resumed after training had ended (killed while evaluated)
            return "done"
        while self.epoch < self.epochs and self.step < self.total_steps:
            order = self._order(self.epoch)
            seen = correct = 0
            loss_sum = 0.0
            if self._resumed_sums is not None:  # resumed mid-epoch: the epoch's figures go on from where they were
                seen, correct, loss_sum = self._resumed_sums
                self._resumed_sums = None
            for b in range(self.batch_in_epoch, self.steps_per_epoch):
                if self.step >= self.total_steps:
                    break
                step_began = time.monotonic()
                global_idx = order[b * self.batch_size : (b + 1) * self.batch_size].tolist()
                parts, weight = self._my_parts(global_idx)
                batches = [
                    self._to_device(self.task.batch(self.train_data, part, seeds=self._item_seeds(self.epoch, part)))
                    for part in parts
                ]
                counts = [self.task.count(batch) * weight for batch in batches]
                weights = [self.task.weight(batch) * weight for batch in batches]
                # one collective per step: what the whole batch's loss is a mean over, and whether anyone stops
                stop_code = STOP_CODES.get(self.stop_reason or "", 1.0) if self.should_stop else 0.0
                if self.stop_event.is_set():
                    stop_code = STOP_CODES["user"]
                used = self._spent() / cfg.time_budget_s if cfg.time_budget_s else 0.0
                shared = self.dist.gather([sum(weights), stop_code, used])
                self._budget_used = float(shared[:, 2].max())  # every rank cools down and reports alike
                if float(shared[:, 1].max()) > 0:
                    if not self.should_stop:  # another rank (rank 0 reads the stop flag) asked
                        self.stop_reason = "user" if float(shared[:, 1].max()) >= STOP_CODES["user"] else "time budget"
                    break
                global_weight = max(float(shared[:, 0].sum()), 1e-9)
                lr = self._set_lr(optimizer)
                optimizer.zero_grad(set_to_none=True)
                step_loss, correct_now = 0.0, 0.0
                info: dict = {}
                for k, (batch, count, part_weight) in enumerate(zip(batches, counts, weights)):
                    last = k == len(batches) - 1
                    sync = contextlib.nullcontext() if last or not self.dist.active else self.net.no_sync()
                    with sync:
                        with torch.autocast(self.device.type, dtype=self.amp_dtype, enabled=self.amp_dtype is not None):
                            loss, part_info = self.task.loss(self.net, batch)
                        # each part's mean loss weighed by its share of the global batch's targets (times
                        # the world, as DDP averages over ranks): the gradient of the whole batch's mean
                        scaler.scale(loss * (part_weight / global_weight * self.dist.world)).backward()
                    step_loss += float(loss.detach()) * part_weight
                    correct_now += part_info.get("correct", 0) * (1 if count else 0)
                    info.update({k: v for k, v in part_info.items() if k not in ("correct", "count")})
                if cfg.grad_clip:
                    scaler.unscale_(optimizer)
                    clip_grad_norm(list(self.model.parameters()), cfg.grad_clip)
                scaler.step(optimizer)
                scaler.update()
                step_count = float(sum(counts))
                step_weight = float(sum(weights))
                if self.dist.active:  # the whole batch's loss and accuracy, and each rank's pace
                    busy = time.monotonic() - step_began
                    rates = self.dist.gather(
                        [step_loss, correct_now, step_count, sum(len(p) for p in parts) * weight, busy, step_weight]
                    )
                    step_loss, correct_now, step_count = (float(x) for x in rates[:, :3].sum(0))
                    step_weight = float(rates[:, 5].sum())
                    self._rank_rates = (rates[:, 3] / rates[:, 4].clamp(min=1e-9)).tolist()  # texts/s per rank
                info["count"] = step_count
                if "correct" in part_info:
                    info["correct"] = correct_now
                step_mean_loss = step_loss / max(step_weight, 1e-9)
                self._check_diverged(step_mean_loss, lr, epoch_end=False)
                self.step += 1
                self._steps_this_session += 1
                self.batch_in_epoch = b + 1
                n = info["count"]
                seen += n
                correct += info.get("correct", 0)
                loss_sum += step_mean_loss * n
                self._epoch_sums = (seen, correct, loss_sum)  # for a checkpoint taken mid-epoch
                now = time.monotonic()
                average = self._steps_this_session / max(now - self._started, 1e-6)
                self._recent.append((now, self.step))
                recent = self._pace(RECENT_STEPS)
                steady = self._pace(max(RECENT_STEPS, self._steps_this_session // 3))
                metrics = {
                    "epoch": self.epoch + self.batch_in_epoch / self.steps_per_epoch,
                    "step": self.step,
                    "train/loss": loss_sum / max(seen, 1),
                    "lr": lr,
                    "throughput": recent * texts_per_step,  # texts/s over the last few steps
                    "throughput_avg": average * texts_per_step,  # texts/s since this session started
                    "progress": self.progress(),
                    "eta_s": self._eta(steady),
                    "last_in_epoch": self.batch_in_epoch == self.steps_per_epoch,
                }
                if "correct" in info:
                    metrics["train/accuracy"] = correct / max(seen, 1)
                # The epoch means above restart at each epoch, so a curve of them drops at every
                # epoch boundary; the smoothed values run on across epochs for the charts.
                metrics["train/loss_recent"] = self._smoothed("loss", step_mean_loss)
                if "correct" in info:
                    metrics["train/accuracy_recent"] = self._smoothed("accuracy", info["correct"] / max(n, 1))
                if self.dist.active:
                    metrics["rank_throughput"] = [round(r, 1) for r in self._rank_rates]
                if self.device.type == "cuda":
                    metrics["device_memory_gb"] = round(torch.cuda.max_memory_allocated(self.device) / 1e9, 2)
                for key, value in info.items():
                    if key not in ("correct", "count"):
                        metrics[f"train/{key}"] = value
                self._emit("on_step_end", metrics)
                if cfg.time_budget_s and self._spent() >= cfg.time_budget_s:
                    self.request_stop("time budget")  # ends as done: the best weights so far are evaluated
                within = cfg.checkpoint_within_epoch_s
                if within and self.batch_in_epoch < self.steps_per_epoch and now - self._last_checkpoint >= within:
                    self.save_checkpoint(optimizer)  # a kill mid-epoch loses at most this much work
                    self._leave_out_pause()
            if self.should_stop and self.batch_in_epoch < self.steps_per_epoch:
                if self.stop_reason == "time budget":  # the partial epoch's weights may be the best yet
                    val_metrics = self._evaluate()
                    if val_metrics:
                        self._track_best(val_metrics)
                        # at the fraction of the epoch it reached: at the epoch's start, the curve's one
                        # validation point stood left of all training and read as a model getting worse
                        reached = self.epoch + self.batch_in_epoch / self.steps_per_epoch
                        self._emit("on_eval_end", {"epoch": reached, "step": self.step, **val_metrics})
                break  # mid-epoch: checkpoint where we are and leave
            # the epoch is complete, or cut short by the cap on steps: its validation point then stands at
            # the share of the epoch reached (a cap at 1.44 epochs plotted it at epoch 2)
            reached = self.epoch + self.batch_in_epoch / self.steps_per_epoch
            self._check_diverged(loss_sum / max(seen, 1), lr, epoch_end=True)
            self.epoch += 1
            self.batch_in_epoch = 0
            summary = {"epoch": round(reached, 4), "step": self.step, "train/loss": loss_sum / max(seen, 1)}
            if seen and correct:
                summary["train/accuracy"] = correct / seen
            val_metrics = self._evaluate()
            summary.update(val_metrics)
            self.history.append(summary)
            if val_metrics:
                self._track_best(val_metrics)
                self._emit("on_eval_end", summary)
            # a checkpoint of a big table costs as much as a short epoch: throttle them by time
            if time.monotonic() - self._last_checkpoint >= cfg.checkpoint_every_s:
                self.save_checkpoint(optimizer)
            self._emit("on_epoch_end", summary)
            self._leave_out_pause()
            if self.should_stop:
                break
        if self.step != self._checkpoint_step:  # what Resume (or a crash after training) starts from
            self.save_checkpoint(optimizer)
        if self.stop_event.is_set() or self.stop_reason == "user":
            return "stopped"
        return "done"
