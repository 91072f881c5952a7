"""Data-parallel training with PyTorch's own engine: ``torchrun`` and DistributedDataParallel.

``torchrun --nproc-per-node N -m core pretrain …`` starts N copies of the command with
``RANK``/``WORLD_SIZE``/``LOCAL_RANK`` and a rendezvous in the environment; ``Distributed``
reads them, joins the process group (gloo on CPU, nccl on CUDA) and offers the few collectives
the trainer needs. Without those variables everything is a world of one and no group is made,
so the single-process path costs nothing.

Rules the rest of the studio follows:

- every rank builds the same model from the same seed and reads its own share of each global
  batch; gradients are summed over ranks, so N processes with the same global batch take the
  same steps as one;
- rank 0 alone writes (run status, metrics, checkpoints, the final model, artefacts);
- decisions (stop, early stopping, the validation score) are rank 0's, broadcast to all, so no
  rank waits forever in a collective the others have left.
"""

from __future__ import annotations

import os
import shlex
import sys
from datetime import timedelta
from typing import Any

import torch

TIMEOUT_S = 1800  # a rank that waits longer than this for the others gives up with an error


class Distributed:
    """This process's place in a data-parallel job (a world of one when not under torchrun)."""

    def __init__(self, rank: int = 0, world: int = 1, local_rank: int = 0):
        self.rank, self.world, self.local_rank = rank, world, local_rank

    @classmethod
    def from_env(cls) -> Distributed:
        """The job torchrun describes in the environment (a world of one otherwise)."""
        world = int(os.environ.get("WORLD_SIZE", "1") or 1)
        if world <= 1:
            return cls()
        return cls(int(os.environ.get("RANK", "0")), world, int(os.environ.get("LOCAL_RANK", "0")))

    @property
    def active(self) -> bool:
        """True when there is more than one process."""
        return self.world > 1

    @property
    def is_main(self) -> bool:
        """True on rank 0, the one that writes."""
        return self.rank == 0

    def init(self, device: torch.device) -> None:
        """Join the process group (once): nccl for CUDA, gloo otherwise."""
        import torch.distributed as dist

        if not self.active or dist.is_initialized():
            return
        backend = "nccl" if device.type == "cuda" else "gloo"
        if device.type == "cuda":
            torch.cuda.set_device(self.local_rank)
        dist.init_process_group(backend, timeout=timedelta(seconds=TIMEOUT_S))

    def device_for(self, device: torch.device) -> torch.device:
        """The device this rank uses: its own GPU under CUDA."""
        if device.type == "cuda" and self.active:
            return torch.device("cuda", self.local_rank)
        return device

    def gather(self, values: list[float]) -> torch.Tensor:
        """Every rank's ``values`` as a ``(world, len(values))`` tensor (on every rank)."""
        row = torch.tensor(values, dtype=torch.float64)
        if not self.active:
            return row.unsqueeze(0)
        import torch.distributed as dist

        device = _collective_device()
        out = [torch.zeros_like(row, device=device) for _ in range(self.world)]
        dist.all_gather(out, row.to(device))
        return torch.stack(out).cpu()

    def broadcast(self, obj: Any) -> Any:
        """Rank 0's ``obj`` on every rank."""
        if not self.active:
            return obj
        import torch.distributed as dist

        box = [obj]
        dist.broadcast_object_list(box, src=0, device=_collective_device())
        return box[0]

    def barrier(self) -> None:
        """Wait until every rank is here."""
        if self.active:
            import torch.distributed as dist

            dist.barrier()

    def close(self) -> None:
        """Leave the process group."""
        import torch.distributed as dist

        if self.active and dist.is_initialized():
            dist.destroy_process_group()


def _collective_device() -> torch.device:
    import torch.distributed as dist

    if dist.get_backend() == "nccl":
        return torch.device("cuda", torch.cuda.current_device())
    return torch.device("cpu")


_CURRENT: Distributed | None = None


def current() -> Distributed:
    """This process's ``Distributed`` (read from the environment once)."""
    global _CURRENT
    if _CURRENT is None:
        _CURRENT = Distributed.from_env()
    return _CURRENT


def torchrun_command(processes: int, module_args: list[str], port: int | None = None) -> list[str]:
    """The command line that runs ``python -m core <module_args>`` in ``processes`` ranks on this machine."""
    command = [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", str(processes)]
    command += ["--standalone"] if port is None else ["--master-port", str(port)]
    return [*command, "-m", "core", *module_args]


def describe_command(command: list[str]) -> str:
    """A command line as a person would type it (``torchrun`` for the launcher module)."""
    words = list(command)
    if words[1:3] == ["-m", "torch.distributed.run"]:
        words = ["torchrun", *words[3:]]
    return shlex.join(words)
