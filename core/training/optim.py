"""Optimisers for models whose embedding tables take sparse gradients.

A bag-of-words MLP on 50,000 n-gram features keeps a 50,000 × 128 table, but one batch of 32
texts touches a few thousand of its rows. Dense AdamW rewrites all 6.4 M entries (and both
moment buffers) every step; that update, not the forward or backward pass, was 80% of the
bow_mlp's training time. With ``sparse=True`` on the table, ``LazyAdam`` updates only the
rows a batch touched, and everything else keeps AdamW. (torch's own ``SparseAdam`` does the
same maths but spends most of its time in ``sparse_mask`` over the whole table.)
"""

from __future__ import annotations

import math
import warnings
from collections import defaultdict
from typing import Any

import torch
from torch import nn


def sparse_parameter_ids(model: nn.Module) -> set[int]:
    """``id()`` of every parameter that receives sparse gradients."""
    return {
        id(module.weight)
        for module in model.modules()
        if isinstance(module, (nn.Embedding, nn.EmbeddingBag)) and module.sparse and module.weight.requires_grad
    }


ROWWISE_TABLES = True  # one second moment per table row (see LazyAdam)


class PlainOptimizer:
    """The part of ``torch.optim.Optimizer``'s interface the trainer uses, without its base class.

    torch's base class imports ``torch._dynamo`` the first time one of its methods runs: 1-2 s in
    every fresh worker process, a sixth of a bag-of-words MLP's whole training time on short texts.
    ``state_dict`` has torch's layout, so checkpoints load either way.
    """

    def __init__(self, params, defaults: dict):
        self.defaults = dict(defaults)
        groups = list(params)
        if groups and not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        self.param_groups = [{**self.defaults, **g, "params": list(g["params"])} for g in groups]
        self.state: defaultdict = defaultdict(dict)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Drop (or zero) every parameter's gradient."""
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none:
                    p.grad = None
                elif p.grad is not None:
                    p.grad.detach_().zero_()

    def state_dict(self) -> dict:
        """``{"state": {index: ...}, "param_groups": [...]}``, parameters numbered as torch numbers them."""
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            packed["params"] = [index.setdefault(id(p), len(index)) for p in group["params"]]
            groups.append(packed)
        state = {index[id(p)]: dict(values) for p, values in self.state.items() if id(p) in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore moments, steps and group settings saved by ``state_dict`` (ours or torch's)."""
        saved = state_dict["param_groups"]
        if len(saved) != len(self.param_groups) or any(
            len(a["params"]) != len(b["params"]) for a, b in zip(saved, self.param_groups, strict=True)
        ):
            raise ValueError("the saved optimiser state belongs to other parameters")
        params = [p for group in self.param_groups for p in group["params"]]
        for group, old in zip(self.param_groups, saved, strict=True):
            group.update({k: v for k, v in old.items() if k != "params"})
        self.state = defaultdict(dict)
        for key, values in state_dict["state"].items():
            p = params[int(key)]
            self.state[p] = {
                k: (v.to(device=p.device, dtype=p.dtype) if torch.is_tensor(v) and k != "step" else v)
                for k, v in values.items()
            }


class AdamW(PlainOptimizer):
    """AdamW (Loshchilov & Hutter) with torch's update and state names, for the dense parameters of
    models whose embedding table trains with ``LazyAdam``; its results match ``torch.optim.AdamW``."""

    def __init__(
        self,
        params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
    ):
        super().__init__(params, {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay})

    @torch.no_grad()
    def step(self, closure: Any = None) -> None:
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            lr, eps, decay = group["lr"], group["eps"], group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = p.grad
                state = self.state[p]
                if not state:
                    state["step"] = torch.zeros((), dtype=torch.float32)
                    state["exp_avg"] = torch.zeros_like(p, memory_format=torch.preserve_format)
                    state["exp_avg_sq"] = torch.zeros_like(p, memory_format=torch.preserve_format)
                state["step"] += 1
                t = float(state["step"])
                p.mul_(1 - lr * decay)
                state["exp_avg"].lerp_(grad, 1 - beta1)
                state["exp_avg_sq"].mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                denom = (state["exp_avg_sq"].sqrt() / math.sqrt(1 - beta2**t)).add_(eps)
                p.addcdiv_(state["exp_avg"], denom, value=-lr / (1 - beta1**t))


class LazyAdam(PlainOptimizer):
    """Adam for tables with sparse gradients: a row's moments and weights change only in the
    steps whose batch used that row (the semantics of ``torch.optim.SparseAdam``).

    ``rowwise=True`` keeps one second moment per row (the mean of its squared gradients) instead
    of one per weight, as the row-wise optimisers of large recommendation tables do: the step then
    reads and writes one moment table instead of two, and the weights of a row share one scale.
    """

    def __init__(
        self,
        params,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        rowwise: bool = False,
    ):
        super().__init__(params, {"lr": lr, "betas": betas, "eps": eps, "rowwise": rowwise})

    @torch.no_grad()
    def step(self, closure: Any = None) -> None:
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            rowwise = group.get("rowwise", False)
            for p in group["params"]:
                if p.grad is None:
                    continue
                if not p.grad.is_sparse:
                    raise RuntimeError("LazyAdam takes sparse gradients only; dense parameters belong with AdamW")
                grad = coalesced(p.grad)
                rows, values = grad._indices()[0], grad._values()
                state = self.state[p]
                if not state:
                    state["step"] = torch.zeros((), dtype=torch.float64)
                    state["exp_avg"] = torch.zeros_like(p)
                    state["exp_avg_sq"] = p.new_zeros((p.shape[0], 1)) if rowwise else torch.zeros_like(p)
                elif rowwise and state["exp_avg_sq"].shape != (p.shape[0], 1):
                    # a checkpoint of the per-weight variant: its row means are the row-wise moment
                    state["exp_avg_sq"] = state["exp_avg_sq"].mean(dim=1, keepdim=True)
                state["step"] += 1
                t = float(state["step"])
                # row-wise Adam in as few passes over the touched rows as the maths allows (the
                # update is memory-bound): bias corrections folded into the step size, as torch's Adam does
                m_rows = state["exp_avg"].index_select(0, rows).lerp_(values, 1 - beta1)
                state["exp_avg"].index_copy_(0, rows, m_rows)
                if rowwise:
                    square = torch.linalg.vector_norm(values, dim=1, keepdim=True).square_().div_(values.shape[1])
                    v_rows = state["exp_avg_sq"].index_select(0, rows).lerp_(square, 1 - beta2)
                else:
                    v_rows = (
                        state["exp_avg_sq"].index_select(0, rows).mul_(beta2).addcmul_(values, values, value=1 - beta2)
                    )
                state["exp_avg_sq"].index_copy_(0, rows, v_rows)
                root_bias2 = math.sqrt(1 - beta2**t)
                denom = v_rows.sqrt_().add_(group["eps"] * root_bias2)  # v_rows is stored already; reuse it
                # coalesced rows are unique, so index_add_ subtracts each row's update once
                p.index_add_(0, rows, m_rows.div_(denom), alpha=-group["lr"] * root_bias2 / (1 - beta1**t))


class DenseSparseAdamW:
    """AdamW for dense parameters plus LazyAdam for sparse ones, driven as one optimiser.

    ``param_groups`` lists both optimisers' group dicts, so a learning-rate schedule that
    writes ``group["lr"]`` reaches all of them. Weight decay does not apply to the sparse
    tables (decaying untouched rows would make every step dense again); the bag-of-words MLP trains without it by default.
    """

    def __init__(self, groups: list[dict], sparse_ids: set[int], lr: float, weight_decay: float):
        dense_groups, sparse_groups = [], []
        for group in groups:
            options = {k: v for k, v in group.items() if k != "params"}
            dense = [p for p in group["params"] if id(p) not in sparse_ids]
            sparse = [p for p in group["params"] if id(p) in sparse_ids]
            if dense:
                dense_groups.append({**options, "params": dense})
            if sparse:
                sparse_groups.append({**{k: v for k, v in options.items() if k != "weight_decay"}, "params": sparse})
        self.dense = AdamW(dense_groups, lr=lr, weight_decay=weight_decay) if dense_groups else None
        self.sparse = LazyAdam(sparse_groups, lr=lr, rowwise=ROWWISE_TABLES) if sparse_groups else None
        self.defaults = {"lr": lr, "weight_decay": weight_decay}

    @property
    def _parts(self) -> list[PlainOptimizer]:
        return [o for o in (self.dense, self.sparse) if o is not None]

    @property
    def param_groups(self) -> list[dict]:
        return [g for o in self._parts for g in o.param_groups]

    @property
    def state(self) -> dict:
        merged: dict = {}
        for part in self._parts:
            merged.update(part.state)
        return merged

    def zero_grad(self, set_to_none: bool = True) -> None:
        for part in self._parts:
            part.zero_grad(set_to_none=set_to_none)

    def step(self, closure: Any = None) -> None:
        for part in self._parts:
            part.step()

    def state_dict(self) -> dict:
        return {
            "dense": self.dense.state_dict() if self.dense else None,
            "sparse": self.sparse.state_dict() if self.sparse else None,
        }

    def load_state_dict(self, state: dict) -> None:
        if "dense" not in state and "sparse" not in state:
            # a checkpoint from before sparse tables (one AdamW): its moments do not map onto
            # the two halves, so they restart; weights, step and schedule still resume exactly
            warnings.warn("optimiser state from an older checkpoint: Adam moments restart", stacklevel=2)
            return
        if self.dense is not None and state.get("dense") is not None:
            self.dense.load_state_dict(state["dense"])
        if self.sparse is not None and state.get("sparse") is not None:
            self.sparse.load_state_dict(state["sparse"])


def make_optimizer(model: nn.Module, groups: list[dict], lr: float, weight_decay: float):
    """AdamW, or AdamW + SparseAdam when ``model`` has sparse embedding tables."""
    sparse_ids = sparse_parameter_ids(model)
    if not sparse_ids:
        # on CUDA the fused kernel updates every tensor in one launch instead of several per tensor
        on_cuda = all(p.is_cuda for g in groups for p in g["params"])
        return torch.optim.AdamW(groups, lr=lr, weight_decay=weight_decay, fused=True if on_cuda else None)
    return DenseSparseAdamW(groups, sparse_ids, lr, weight_decay)


def coalesced(grad: torch.Tensor) -> torch.Tensor:
    """``grad.coalesce()``, free when the rows are already unique and sorted.

    A gradient built as coalesced (``sparse_bag``'s) reaches ``.grad`` without the flag, and
    coalescing it again sorts and copies every row (about a tenth of a bag-of-words step).
    Strictly increasing rows are unique, so such a gradient is marked instead; any other (two
    uses of a table in one step, accumulated micro-batches) is coalesced for real.
    """
    if grad.is_coalesced():
        return grad
    rows = grad._indices()[0]
    if grad.sparse_dim() == 1 and bool((rows[1:] > rows[:-1]).all()):
        return torch.sparse_coo_tensor(
            grad._indices(), grad._values(), grad.shape, is_coalesced=True, check_invariants=False
        )
    return grad.coalesce()


@torch.no_grad()
def clip_grad_norm(parameters: list[nn.Parameter], max_norm: float) -> torch.Tensor:
    """``clip_grad_norm_`` that also accepts sparse gradients (torch's own rejects them)."""
    for p in parameters:
        if p.grad is not None and p.grad.is_sparse:
            p.grad = coalesced(p.grad)  # duplicate rows must be summed before squaring (and only once)
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return torch.tensor(0.0)
    # one read per gradient, no squared copy of the touched rows
    norms = [torch.linalg.vector_norm(g._values() if g.is_sparse else g, dtype=torch.float32) for g in grads]
    total = torch.linalg.vector_norm(torch.stack(norms))
    coef = max_norm / (total + 1e-6)
    if coef < 1:
        for p in parameters:
            if p.grad is not None:
                # in place: a product would copy a sparse gradient (2-6 ms a step for a bag's table)
                (p.grad._values() if p.grad.is_sparse else p.grad).mul_(coef)
    return total
