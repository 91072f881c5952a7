"""RBF network: bag-of-words → optional linear projection → K Gaussian units → head.

Each unit answers ``exp(-‖z − c_k‖² / 2σ_k²)``; centres ``c_k`` start at k-means centroids of
the (projected) training vectors and widths ``σ_k`` at each cluster's spread; both are learned.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from core.config import check_parameters, check_range
from core.encoders.base import BagInputs, Family
from core.text import BagOfWordsConfig


@dataclass
class RBFConfig:
    """RBF network encoder."""

    featurizer: BagOfWordsConfig = field(default_factory=BagOfWordsConfig)  # how texts become bags
    projection_dim: int = 128  # linear projection before the RBF layer; 0 = RBF on raw TF-IDF
    n_centres: int = 64  # Gaussian units K (the embedding size)
    init: str = "kmeans"  # kmeans | random: how centres start
    min_width: float = 0.05  # floor on σ_k, keeps units from collapsing to spikes
    init_sample: int = 4000  # training texts used for the k-means initialisation

    def __post_init__(self) -> None:
        check_range("RBFConfig", "n_centres", self.n_centres, 2, 4096)
        check_range("RBFConfig", "projection_dim", self.projection_dim, 0, 4096, "0 means no projection")
        check_range("RBFConfig", "min_width", self.min_width, 1e-6, 1e6)
        check_range("RBFConfig", "init_sample", self.init_sample, 10, 1_000_000)
        width = self.projection_dim or self.featurizer.max_features
        check_parameters(
            "RBFConfig",
            self.featurizer.max_features * self.projection_dim + 2 * self.n_centres * width,
            "Lower projection_dim, n_centres or the featurizer's max_features.",
        )
        if self.init not in ("kmeans", "random"):
            raise ValueError(f"init must be kmeans or random; got {self.init!r}")


class RBFEncoder(nn.Module):
    """``(indices, offsets, weights) → (B, K)`` Gaussian activations."""

    def __init__(self, config: RBFConfig, n_features: int):
        super().__init__()
        self.config = config
        self.projected = config.projection_dim > 0
        dim = config.projection_dim if self.projected else n_features
        if self.projected:
            self.project = nn.EmbeddingBag(n_features, dim, mode="sum")
            nn.init.normal_(self.project.weight, std=1.0 / np.sqrt(dim))
            self.centres = nn.Parameter(torch.randn(config.n_centres, dim) * 0.1)
        else:
            # Without a projection, x·c_k is an EmbeddingBag over the transposed centres.
            self.centres_t = nn.EmbeddingBag(n_features, config.n_centres, mode="sum")
            nn.init.normal_(self.centres_t.weight, std=0.01)
        self.log_width = nn.Parameter(torch.zeros(config.n_centres))
        self.out_dim = config.n_centres

    def _centres(self) -> torch.Tensor:
        return self.centres if self.projected else self.centres_t.weight.T  # (K, D)

    def sq_distances(self, indices, offsets, weights) -> torch.Tensor:
        """Squared distances ``(B, K)`` from each input to each centre."""
        if self.projected:
            z = self.project(indices, offsets, per_sample_weights=weights)  # (B, D)
            d2 = (z * z).sum(1, keepdim=True) - 2 * z @ self.centres.T + (self.centres**2).sum(1)
        else:
            # ‖x‖² from the bag weights (terms in one bag are unique), x·c from the bag sum.
            x2 = torch.zeros(len(offsets), device=weights.device).index_add_(
                0, _bag_ids(offsets, len(indices)), weights * weights
            )
            xc = self.centres_t(indices, offsets, per_sample_weights=weights)  # (B, K)
            c2 = (self.centres_t.weight**2).sum(0)  # (K,)
            d2 = x2[:, None] - 2 * xc + c2
        return d2.clamp_min(0.0)

    def widths(self) -> torch.Tensor:
        """Current σ_k ``(K,)``."""
        return self.log_width.exp().clamp_min(self.config.min_width)

    def forward(self, indices, offsets, weights) -> torch.Tensor:
        d2 = self.sq_distances(indices, offsets, weights)  # (B, K)
        return torch.exp(-d2 / (2 * self.widths() ** 2))

    @torch.no_grad()
    def initialise(self, batch: dict[str, torch.Tensor], seed: int = 0) -> None:
        """Set centres to k-means centroids of ``batch`` and widths to the clusters' spread."""
        from sklearn.cluster import KMeans

        if self.projected:
            points = self.project(batch["indices"], batch["offsets"], per_sample_weights=batch["weights"]).numpy()
        else:
            from scipy import sparse

            idx, off, w = (batch[k].numpy() for k in ("indices", "offsets", "weights"))
            points = sparse.csr_matrix(
                (w, idx, np.append(off, len(idx))), shape=(len(off), self.centres_t.num_embeddings)
            )
        k = min(self.config.n_centres, points.shape[0])
        if self.config.init == "kmeans" and k >= 2:
            km = KMeans(n_clusters=k, n_init=1, random_state=seed, max_iter=100).fit(points)
            centres = km.cluster_centers_.astype(np.float32)
            dense = points.toarray() if hasattr(points, "toarray") else points
            spread = np.array(
                [
                    np.sqrt(((dense[km.labels_ == j] - centres[j]) ** 2).sum(1).mean())
                    if (km.labels_ == j).any()
                    else 1.0
                    for j in range(k)
                ],
                dtype=np.float32,
            )
        else:
            rng = np.random.default_rng(seed)
            pick = rng.choice(points.shape[0], size=k, replace=False)
            dense = points.toarray() if hasattr(points, "toarray") else points
            centres = dense[pick].astype(np.float32)
            spread = np.full(k, float(np.sqrt(((dense - dense.mean(0)) ** 2).sum(1).mean())), dtype=np.float32)
        spread = np.maximum(spread, self.config.min_width * 2)
        target = self._centres()
        target[:k] = torch.from_numpy(centres)
        self.log_width[:k] = torch.from_numpy(np.log(spread))


def _bag_ids(offsets: torch.Tensor, total: int) -> torch.Tensor:
    """For each flat index position, the bag (row) it belongs to."""
    counts = torch.diff(torch.cat([offsets, torch.tensor([total], device=offsets.device)]))
    return torch.repeat_interleave(torch.arange(len(offsets), device=offsets.device), counts)


FAMILY = Family(
    name="rbf",
    title="RBF network",
    config_cls=RBFConfig,
    make_inputs=lambda cfg: BagInputs(cfg.featurizer),
    inputs_cls=BagInputs,
    make_encoder=lambda cfg, inputs: RBFEncoder(cfg, inputs.size),
)
