"""What every torch encoder family shares: input pipelines, the classifier head, the registry.

A family is three pieces: a config dataclass, an ``Inputs`` object that turns texts into
tensors (a bag-of-words featuriser or a WordPiece tokeniser, fitted on the run's texts), and
an ``nn.Module`` encoder that maps those tensors to vectors ``(B, D)``. A ``TextClassifier``
is an encoder plus a linear head.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from core.encoders import ENCODER_NAMES, TORCH_ENCODERS  # noqa: F401  (kept at home in a torch-free module)
from core.text import (
    CLS,
    PAD,
    SEP,
    BagOfWordsConfig,
    BagOfWordsFeaturizer,
    WordPieceTokenizer,
    concat_bags,
    load_tokenizer,
)

Batch = dict[str, torch.Tensor]


class Inputs:
    """Turns texts into model inputs: ``fit``, ``encode`` (per text), ``collate`` (a batch)."""

    file_name = ""

    def fit(self, texts: Sequence[str]) -> Inputs:
        raise NotImplementedError

    def encode(self, texts: Sequence[str]) -> list[Any]:
        """One compact item per text (kept in memory for the whole training run)."""
        raise NotImplementedError

    def fit_encode(self, texts: Sequence[str], labels: Sequence[int] | None = None) -> list[Any]:
        """``fit`` on ``texts``, then ``encode`` them (families may do both in one pass).

        ``labels`` (class indices of the texts) is for inputs that learn from them; others ignore it.
        """
        self.fit(texts)
        return self.encode(texts)

    def collate(self, items: Sequence[Any]) -> Batch:
        """Tensors for a batch of encoded items."""
        raise NotImplementedError

    def batch(self, texts: Sequence[str]) -> Batch:
        """``collate(encode(texts))``."""
        return self.collate(self.encode(texts))

    def tokens(self, text: str) -> list[tuple[str, int, int]]:
        """The units a text is split into, with character offsets (for explanations)."""
        raise NotImplementedError

    def coverage(self, texts: Sequence[str]) -> float:
        """Share of tokens the fitted vocabulary knows (1.0 = all)."""
        raise NotImplementedError

    def save(self, folder: Path) -> None:
        raise NotImplementedError

    @classmethod
    def load(cls, folder: Path) -> Inputs:
        raise NotImplementedError

    @property
    def size(self) -> int:
        """Input vocabulary size (features or tokens)."""
        raise NotImplementedError


class BagInputs(Inputs):
    """Bag-of-words input for ``nn.EmbeddingBag``: term indices, offsets, TF-IDF weights."""

    file_name = "featurizer.json"

    def __init__(self, config: BagOfWordsConfig | None = None, featurizer: BagOfWordsFeaturizer | None = None):
        self.featurizer = featurizer or BagOfWordsFeaturizer(config)

    def fit(self, texts: Sequence[str]) -> BagInputs:
        self.featurizer.fit(texts)
        return self

    def encode(self, texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        return [self.featurizer.encode_one(t) for t in texts]

    def fit_encode(
        self, texts: Sequence[str], labels: Sequence[int] | None = None
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        return self.featurizer.fit_encode(texts, labels)

    def collate(self, items: Sequence[tuple[np.ndarray, np.ndarray]]) -> Batch:
        bags = concat_bags(items)
        return {
            "indices": torch.from_numpy(bags.indices),
            "offsets": torch.from_numpy(bags.offsets),
            "weights": torch.from_numpy(bags.weights),
        }

    def tokens(self, text: str) -> list[tuple[str, int, int]]:
        return self.featurizer.analyze_with_offsets(text)

    def coverage(self, texts: Sequence[str]) -> float:
        return self.featurizer.coverage(texts)

    def save(self, folder: Path) -> None:
        self.featurizer.save(Path(folder) / self.file_name)

    @classmethod
    def load(cls, folder: Path) -> BagInputs:
        return cls(featurizer=BagOfWordsFeaturizer.load(Path(folder) / cls.file_name))

    @property
    def size(self) -> int:
        return self.featurizer.n_features


class TokenInputs(Inputs):
    """WordPiece ids for the Transformer: ``[CLS] tokens [SEP]``, padded per batch."""

    file_name = "tokenizer.json"

    def __init__(self, vocab_size: int = 8000, min_freq: int = 2, max_len: int = 128, tokenizer=None):
        self.tokenizer = tokenizer or WordPieceTokenizer(vocab_size=vocab_size, min_freq=min_freq)
        self.max_len = max_len

    def fit(self, texts: Sequence[str]) -> TokenInputs:
        self.tokenizer.train(texts)
        return self

    def encode(self, texts: Sequence[str]) -> list[np.ndarray]:
        limit = self.max_len - 2
        out = []
        for start in range(0, len(texts), 4096):  # encode_batch is parallel; chunk to bound memory
            for enc in self.tokenizer.encode_batch(texts[start : start + 4096]):
                out.append(np.asarray(enc.ids[:limit], dtype=np.int32))
        return out

    def collate(self, items: Sequence[np.ndarray]) -> Batch:
        special = self.tokenizer.special_ids
        length = max((len(x) for x in items), default=0) + 2
        ids = torch.full((len(items), length), special[PAD], dtype=torch.long)
        mask = torch.zeros((len(items), length), dtype=torch.bool)
        for row, item in enumerate(items):
            n = len(item)
            ids[row, 0] = special[CLS]
            ids[row, 1 : n + 1] = torch.from_numpy(item.astype(np.int64))
            ids[row, n + 1] = special[SEP]
            mask[row, : n + 2] = True
        return {"input_ids": ids, "attention_mask": mask}

    def tokens(self, text: str) -> list[tuple[str, int, int]]:
        return self.tokenizer.split(text)[: self.max_len - 2]

    def coverage(self, texts: Sequence[str]) -> float:
        """Share of the pieces that are not [UNK]. Not the Playground's per-word count: a source with a
        small vocabulary spells its own English out letter by letter, and read per word it "knew" 61%
        of its own texts (vocab 500 on the starter set); the foreign-language case has its own warning."""
        from core.text import unknown_share

        return 1.0 - unknown_share(self.tokenizer, texts)

    def save(self, folder: Path) -> None:
        state = self.tokenizer.to_dict()
        state["max_len"] = self.max_len
        from core.storage import atomic_write_json

        atomic_write_json(Path(folder) / self.file_name, state)

    @classmethod
    def load(cls, folder: Path) -> TokenInputs:
        """The saved tokeniser; with the wide part's bag featuriser beside it, a ``WideTokenInputs``."""
        import json

        path = Path(folder) / TokenInputs.file_name
        tokenizer = load_tokenizer(path)
        max_len = json.loads(path.read_text(encoding="utf-8")).get("max_len", 128)
        tokens = TokenInputs(max_len=max_len, tokenizer=tokenizer)
        if (Path(folder) / BagInputs.file_name).is_file():
            return WideTokenInputs(tokens, BagInputs.load(folder))
        return tokens

    @property
    def size(self) -> int:
        return self.tokenizer.vocab_size


class WideTokenInputs(TokenInputs):
    """WordPiece ids for the Transformer plus a bag of n-grams for its wide part.

    Items are ``(ids, bag)`` pairs; a batch holds both the token tensors and the bag tensors.
    Explanations, coverage and attention use the WordPiece side.
    """

    def __init__(self, tokens: TokenInputs, bags: BagInputs):
        super().__init__(max_len=tokens.max_len, tokenizer=tokens.tokenizer)
        self.bags = bags

    def fit(self, texts: Sequence[str]) -> WideTokenInputs:
        super().fit(texts)
        self.bags.fit(texts)
        return self

    def fit_encode(self, texts: Sequence[str], labels: Sequence[int] | None = None) -> list[tuple]:
        super().fit(texts)
        return self.fit_bags(texts, labels)

    def fit_bags(self, texts: Sequence[str], labels: Sequence[int] | None = None) -> list[tuple]:
        """Fit the bag side only (the WordPiece side came from a source run); returns the items."""
        return list(zip(super().encode(texts), self.bags.fit_encode(texts, labels)))

    def encode(self, texts: Sequence[str]) -> list[tuple]:
        return list(zip(super().encode(texts), self.bags.encode(texts)))

    def collate(self, items: Sequence[tuple]) -> Batch:
        return {**super().collate([ids for ids, _ in items]), **self.bags.collate([bag for _, bag in items])}

    def save(self, folder: Path) -> None:
        super().save(folder)
        self.bags.save(folder)

    @property
    def bag_size(self) -> int:
        """Number of n-gram features in the wide part."""
        return self.bags.size


class TextClassifier(nn.Module):
    """An encoder ``(B, ...) → (B, D)`` followed by dropout and a linear head ``(B, C)``."""

    def __init__(self, encoder: nn.Module, n_classes: int, dropout: float = 0.0):
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(encoder.out_dim, n_classes)

    def embed(self, batch: Batch) -> torch.Tensor:
        """The encoder's vectors ``(B, D)``."""
        return self.encoder(**batch)

    def forward(self, batch: Batch) -> torch.Tensor:
        """Class logits ``(B, C)``."""
        return self.head(self.dropout(self.encoder(**batch)))


ACTIVATIONS = {"relu": nn.ReLU, "gelu": nn.GELU, "tanh": nn.Tanh, "silu": nn.SiLU}


def activation(name: str) -> nn.Module:
    """An activation module by name."""
    try:
        return ACTIVATIONS[name]()
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}") from None


@dataclass(frozen=True)
class Family:
    """A torch encoder family: its config class and how to build inputs and the encoder."""

    name: str
    title: str
    config_cls: type
    make_inputs: Any  # (config) -> Inputs
    inputs_cls: type
    make_encoder: Any  # (config, inputs) -> nn.Module with .out_dim
    head_dropout: float = 0.0


def get_family(name: str) -> Family:
    """The family called ``name`` (bow_mlp, rbf, transformer)."""
    if name == "bow_mlp":
        from core.encoders.bow_mlp import FAMILY
    elif name == "rbf":
        from core.encoders.rbf import FAMILY
    elif name == "transformer":
        from core.encoders.transformer import FAMILY
    elif name == "pretrained":
        from core.encoders.pretrained import FAMILY
    else:
        raise ValueError(f"unknown encoder {name!r}; choose one of {', '.join(ENCODER_NAMES)}")
    return FAMILY


def count_parameters(model: nn.Module) -> int:
    """Number of distinct trainable and frozen parameters (tied weights counted once)."""
    seen: set[int] = set()
    total = 0
    for p in model.parameters():
        if id(p) not in seen:
            seen.add(id(p))
            total += p.numel()
    return total
