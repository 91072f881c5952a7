"""TF-IDF + logistic regression: the baseline every comparison shows.

Fitted with scikit-learn, then stored as plain arrays (safetensors) plus the featuriser's
JSON, so loading never unpickles anything. ``embed`` gives an LSA vector (TruncatedSVD of
the TF-IDF matrix), so the baseline can be mapped and searched like the neural encoders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.text import BagOfWordsConfig, BagOfWordsFeaturizer


@dataclass
class BaselineConfig:
    """TF-IDF + logistic regression."""

    featurizer: BagOfWordsConfig = field(default_factory=BagOfWordsConfig)  # TF-IDF n-grams
    C: float = 10.0  # inverse regularisation strength
    max_iter: int = 1000  # solver iterations
    class_weight: str = ""  # "" or "balanced"
    embed_dim: int = 128  # LSA dimensions used as the embedding

    def __post_init__(self) -> None:
        from core.config import check_range

        check_range("BaselineConfig", "C", self.C, 1e-6, 1e6)
        check_range("BaselineConfig", "max_iter", self.max_iter, 1, 100_000)
        check_range("BaselineConfig", "embed_dim", self.embed_dim, 1, 2048)
        if self.class_weight not in ("", "balanced"):
            raise ValueError(f'BaselineConfig.class_weight must be "" or "balanced"; got {self.class_weight!r}')


class BaselineModel:
    """A fitted TF-IDF + LR model with ``predict_proba`` and ``embed``."""

    def __init__(self, config: BaselineConfig, featurizer: BagOfWordsFeaturizer | None = None):
        self.config = config
        self.featurizer = featurizer or BagOfWordsFeaturizer(config.featurizer)
        self.coef_: np.ndarray | None = None  # (C or 1, F)
        self.intercept_: np.ndarray | None = None
        self.components_: np.ndarray | None = None  # (embed_dim, F)

    def fit(self, texts: Sequence[str], labels: np.ndarray, seed: int = 0) -> BaselineModel:
        """Fit the featuriser, the classifier and the LSA projection."""
        from sklearn.decomposition import TruncatedSVD
        from sklearn.linear_model import LogisticRegression

        if self.featurizer.config.nb_weights:  # NB weights are learned from the labels
            X = self.featurizer.rows_to_matrix(self.featurizer.fit_encode(list(texts), labels))
        else:
            X = self.featurizer.fit_transform(texts)
        clf = LogisticRegression(
            C=self.config.C,
            max_iter=self.config.max_iter,
            class_weight=self.config.class_weight or None,
            random_state=seed,
        ).fit(X, labels)
        self.coef_ = clf.coef_.astype(np.float32)
        self.intercept_ = clf.intercept_.astype(np.float32)
        dim = max(1, min(self.config.embed_dim, X.shape[1] - 1, X.shape[0] - 1))
        svd = TruncatedSVD(n_components=dim, random_state=seed, algorithm="randomized", n_iter=4).fit(X)
        self.components_ = svd.components_.astype(np.float32)
        return self

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Decision scores ``(N, C)`` (the binary case is expanded to two columns)."""
        X = self.featurizer.transform(texts)
        scores = np.asarray(X @ self.coef_.T) + self.intercept_
        if scores.shape[1] == 1:  # scikit-learn's binary LR: p(class 1) = sigmoid(score)
            scores = np.hstack([np.zeros_like(scores), scores])
        return scores

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities ``(N, C)``, as scikit-learn's ``predict_proba`` gives them."""
        s = self.logits(texts)
        s = s - s.max(1, keepdims=True)
        e = np.exp(s)
        return e / e.sum(1, keepdims=True)

    def predict_and_embed(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """``predict_proba`` and ``embed`` together."""
        return self.predict_proba(texts), self.embed(texts)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """LSA vectors ``(N, embed_dim)``."""
        return np.asarray(self.featurizer.transform(texts) @ self.components_.T, dtype=np.float32)

    def save(self, folder: Path) -> None:
        """Write ``featurizer.json`` and ``model.safetensors``."""
        from safetensors.numpy import save_file

        from core.storage import atomic_save

        folder = Path(folder)
        self.featurizer.save(folder / "featurizer.json")
        # safetensors writes raw C-order bytes; the solver may hand back Fortran-ordered arrays.
        tensors = {
            k: np.ascontiguousarray(v)
            for k, v in (("coef", self.coef_), ("intercept", self.intercept_), ("components", self.components_))
        }
        atomic_save(folder / "model.safetensors", lambda tmp: save_file(tensors, str(tmp)))

    @classmethod
    def load(cls, folder: Path, config: BaselineConfig) -> BaselineModel:
        """Rebuild from ``save`` output."""
        from safetensors.numpy import load_file

        folder = Path(folder)
        model = cls(config, BagOfWordsFeaturizer.load(folder / "featurizer.json"))
        tensors = load_file(str(folder / "model.safetensors"))
        from core.inference import check_finite_weights

        check_finite_weights(tensors.items(), folder)
        model.coef_, model.intercept_, model.components_ = tensors["coef"], tensors["intercept"], tensors["components"]
        return model

    @property
    def n_parameters(self) -> int:
        """Weights of the classifier (coefficients and intercepts), as for the other models.

        The LSA projection that gives the baseline its embedding for maps is stored too, but it
        takes no part in the predictions, so it is not counted (it made a 4-class baseline look
        like 6.4 M parameters).
        """
        return int(self.coef_.size + self.intercept_.size)
