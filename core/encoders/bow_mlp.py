"""Bag-of-words MLP: sparse n-gram vector → EmbeddingBag (the first dense layer) → MLP.

The classic recipe: 128 → ReLU → dropout 0.5 → 64 → ReLU → dropout 0.5, then a linear head.
``nn.EmbeddingBag`` with per-sample weights computes ``x @ W`` for a sparse ``x`` without
ever materialising it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import nn

from core.config import check_parameters, check_range
from core.encoders.base import BagInputs, Family, activation
from core.text import BagOfWordsConfig


def nb_bags() -> BagOfWordsConfig:
    """Bags of n-grams weighted by NBSVM's log-count ratio (the family's default featuriser)."""
    # terms weighted by how unevenly the classes use them (NBSVM's log-count ratio): +0.5 to +1.1 pt
    # over plain TF-IDF bags on four datasets, three splits each (docs/BENCHMARKS.md)
    return BagOfWordsConfig(nb_weights=True)


@dataclass
class BowMLPConfig:
    """Bag-of-words MLP encoder."""

    featurizer: BagOfWordsConfig = field(default_factory=lambda: nb_bags())  # how texts become bags
    hidden: tuple[int, ...] = (128, 64)  # layer widths; the last one is the embedding size
    dropout: float = 0.5  # after every hidden layer
    activation: str = "relu"  # relu | gelu | tanh | silu
    sparse_gradients: bool = True  # update only the feature rows a batch uses (lazy Adam): many times faster

    def __post_init__(self) -> None:
        self.hidden = tuple(int(h) for h in self.hidden)
        if not 1 <= len(self.hidden) <= 8:
            raise ValueError(f"BowMLPConfig.hidden must list 1 to 8 layer widths; got {list(self.hidden)}")
        for width in self.hidden:
            check_range("BowMLPConfig", "hidden", width, 1, 8192)
        if not 0 <= self.dropout < 1:
            raise ValueError(f"dropout must be in [0, 1); got {self.dropout}")
        check_parameters(
            "BowMLPConfig",
            self.featurizer.max_features * self.hidden[0] + sum(a * b for a, b in zip(self.hidden, self.hidden[1:])),
            "The first layer has max_features × hidden[0] weights: lower one of them.",
        )


class _GatherRows(torch.autograd.Function):
    """``weight[rows]`` whose gradient is a sparse tensor over ``weight`` with unique rows."""

    @staticmethod
    def forward(ctx, weight: torch.Tensor, rows: torch.Tensor) -> torch.Tensor:
        ctx.save_for_backward(rows)
        ctx.shape = weight.shape
        return weight[rows]

    @staticmethod
    def backward(ctx, grad: torch.Tensor):
        (rows,) = ctx.saved_tensors
        sparse = torch.sparse_coo_tensor(rows.unsqueeze(0), grad, ctx.shape, is_coalesced=True, check_invariants=False)
        return sparse, None


def sparse_bag(bag: nn.EmbeddingBag, indices: torch.Tensor, offsets: torch.Tensor, weights: torch.Tensor):
    """``bag(indices, offsets, per_sample_weights=weights)``, with a cheaper sparse gradient.

    EmbeddingBag's own sparse gradient has one row per term occurrence (74,000 × 128 for 512
    Chinese reviews), which the optimiser must then sort and sum. Gathering the batch's unique
    rows first gives a gradient over those rows only, already summed: the same numbers, and a
    training step about a third faster.
    """
    if not (bag.sparse and torch.is_grad_enabled() and bag.weight.requires_grad):
        return bag(indices, offsets, per_sample_weights=weights)
    rows, local = torch.unique(indices, return_inverse=True)
    table = _GatherRows.apply(bag.weight, rows)
    return nn.functional.embedding_bag(local, table, offsets, mode="sum", per_sample_weights=weights)


class BowMLPEncoder(nn.Module):
    """``(indices, offsets, weights) → (B, hidden[-1])``."""

    def __init__(self, config: BowMLPConfig, n_features: int):
        super().__init__()
        self.config = config
        self.bag = nn.EmbeddingBag(n_features, config.hidden[0], mode="sum", sparse=config.sparse_gradients)
        self.bias = nn.Parameter(torch.zeros(config.hidden[0]))
        layers: list[nn.Module] = [activation(config.activation), nn.Dropout(config.dropout)]
        for width_in, width_out in zip(config.hidden[:-1], config.hidden[1:]):
            layers += [nn.Linear(width_in, width_out), activation(config.activation), nn.Dropout(config.dropout)]
        self.mlp = nn.Sequential(*layers)
        self.out_dim = config.hidden[-1]
        nn.init.normal_(self.bag.weight, std=0.1)

    def forward(self, indices: torch.Tensor, offsets: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
        x = sparse_bag(self.bag, indices, offsets, weights) + self.bias  # (B, H0)
        return self.mlp(x)  # (B, H_last)


FAMILY = Family(
    name="bow_mlp",
    title="Bag-of-words MLP",
    config_cls=BowMLPConfig,
    make_inputs=lambda cfg: BagInputs(cfg.featurizer),
    inputs_cls=BagInputs,
    make_encoder=lambda cfg, inputs: BowMLPEncoder(cfg, inputs.size),
)
