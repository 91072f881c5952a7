"""A BERT-style Transformer encoder, the whole model in one file.

Token + learned position embeddings → N pre-LN blocks (self-attention with
``F.scaled_dot_product_attention``, then a GELU MLP) → final LayerNorm → mean or [CLS]
pooling. ``forward_tokens(..., need_weights=True)`` also returns every layer's attention
map for the Playground. ``MaskedLMHead`` (tied to the token embeddings) serves pretraining.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from core.config import check_parameters, check_range
from core.encoders.base import BagInputs, Family, TokenInputs, WideTokenInputs
from core.encoders.bow_mlp import BowMLPConfig, BowMLPEncoder, nb_bags

# name: (d_model, n_layers, n_heads, d_ff)
PRESETS: dict[str, tuple[int, int, int, int]] = {
    "tiny": (64, 2, 2, 256),
    "mini": (128, 4, 4, 512),
    "small": (256, 6, 4, 1024),
}

# Training pace in tokens a second on one CPU core, for a first run's time estimate before this machine
# has measured its own (measured 2026-12-06 with 1 torch thread: tiny 216 texts/s on bbc's articles cut
# at 128 tokens and 1,070 on starter's sentences of about 25; mini 45 and 228; small 13.6 on bbc). A busy
# machine trains slower: the estimate says a range.
CPU_TOKENS_PER_SECOND = {"tiny": 25_000, "mini": 5_500, "small": 1_700}

WIDE_HIDDEN = 128  # first layer of the wide part's bag-of-words MLP


@dataclass
class TransformerConfig:
    """Transformer encoder; fields left at 0 take the preset's value."""

    preset: str = "mini"  # tiny | mini | small
    d_model: int = 0  # width of every token vector
    n_layers: int = 0  # number of Transformer blocks
    n_heads: int = 0  # attention heads per block (d_model must divide evenly)
    d_ff: int = 0  # hidden width of each block's MLP
    max_len: int = 128  # tokens per text, [CLS] and [SEP] included; longer texts are cut
    dropout: float = 0.1  # on embeddings, attention output and MLP output
    attention_dropout: float = 0.1  # on attention weights while training
    pooling: str = "mean"  # mean | cls: how token vectors become one text vector
    vocab_size: int = 8000  # WordPiece vocabulary trained on the run's texts
    min_freq: int = 2  # a WordPiece must occur this often to enter the vocabulary
    wide: bool = False  # wide and deep: an NB-weighted bag of n-grams beside the pooled vector
    wide_dim: int = 64  # width of the wide part's vector (a bag-of-words MLP of 128 then this)
    part_dropout: float = 0.5  # share of training texts that see one part alone, so neither leans on the other

    def __post_init__(self) -> None:
        if self.preset not in PRESETS:
            raise ValueError(f"preset must be one of {sorted(PRESETS)}; got {self.preset!r}")
        d, n, h, f = PRESETS[self.preset]
        self.d_model = self.d_model or d
        self.n_layers = self.n_layers or n
        self.n_heads = self.n_heads or h
        self.d_ff = self.d_ff or f
        if self.d_model % self.n_heads:
            raise ValueError(f"d_model ({self.d_model}) must be divisible by n_heads ({self.n_heads})")
        if self.pooling not in ("mean", "cls"):
            raise ValueError(f"pooling must be mean or cls; got {self.pooling!r}")
        owner = "TransformerConfig"
        check_range(owner, "d_model", self.d_model, 8, 1024, "wider models do not fit a CPU's memory and time")
        check_range(owner, "n_layers", self.n_layers, 1, 24)
        check_range(owner, "n_heads", self.n_heads, 1, 32)
        check_range(owner, "d_ff", self.d_ff, 8, 8192)
        check_range(owner, "max_len", self.max_len, 8, 1024, "attention costs grow with its square")
        check_range(owner, "vocab_size", self.vocab_size, 100, 100_000)
        check_range(owner, "min_freq", self.min_freq, 1, 1_000_000)
        check_range(owner, "dropout", self.dropout, 0, 0.9)
        check_range(owner, "attention_dropout", self.attention_dropout, 0, 0.9)
        check_range(owner, "wide_dim", self.wide_dim, 1, 1024)
        check_range(owner, "part_dropout", self.part_dropout, 0, 1)
        d, f = self.d_model, self.d_ff
        check_parameters(
            owner,
            (self.vocab_size + self.max_len) * d
            + self.n_layers * (4 * d * d + 2 * d * f)
            + (nb_bags().max_features * WIDE_HIDDEN if self.wide else 0),
            "Lower d_model, d_ff, n_layers or vocab_size.",
        )


class SelfAttention(nn.Module):
    """Multi-head self-attention; fused SDPA unless the weights are asked for."""

    def __init__(self, config: TransformerConfig):
        super().__init__()
        self.n_heads = config.n_heads
        self.qkv = nn.Linear(config.d_model, 3 * config.d_model)
        self.out = nn.Linear(config.d_model, config.d_model)
        self.attn_dropout = config.attention_dropout
        self.resid_dropout = nn.Dropout(config.dropout)

    def forward(self, x: torch.Tensor, mask: torch.Tensor, need_weights: bool = False):
        B, T, D = x.shape
        q, k, v = self.qkv(x).split(D, dim=2)  # each (B, T, D)
        q, k, v = (t.view(B, T, self.n_heads, D // self.n_heads).transpose(1, 2) for t in (q, k, v))  # (B, H, T, Dh)
        keep = mask[:, None, None, :]  # (B, 1, 1, T): True where a key is a real token
        weights = None
        if need_weights:
            scores = (q @ k.transpose(-2, -1)) / (q.shape[-1] ** 0.5)  # (B, H, T, T)
            weights = scores.masked_fill(~keep, float("-inf")).softmax(-1)
            y = weights @ v
        else:
            p = self.attn_dropout if self.training else 0.0
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=keep, dropout_p=p)  # (B, H, T, Dh)
        y = y.transpose(1, 2).reshape(B, T, D)
        return self.resid_dropout(self.out(y)), weights


class Block(nn.Module):
    """Pre-LN Transformer block: x + attn(ln(x)), then x + mlp(ln(x))."""

    def __init__(self, config: TransformerConfig):
        super().__init__()
        self.ln1 = nn.LayerNorm(config.d_model)
        self.attn = SelfAttention(config)
        self.ln2 = nn.LayerNorm(config.d_model)
        self.mlp = nn.Sequential(
            nn.Linear(config.d_model, config.d_ff),
            nn.GELU(),
            nn.Linear(config.d_ff, config.d_model),
            nn.Dropout(config.dropout),
        )

    def forward(self, x: torch.Tensor, mask: torch.Tensor, need_weights: bool = False):
        attended, weights = self.attn(self.ln1(x), mask, need_weights)
        x = x + attended
        x = x + self.mlp(self.ln2(x))
        return x, weights


class TransformerEncoder(nn.Module):
    """``(input_ids, attention_mask) → (B, d_model)`` text vectors.

    With ``config.wide`` the vector also carries a bag-of-words MLP's vector of the text's
    NB-weighted n-grams ``(B, d_model + wide_dim)``: the wide part remembers which words mark a
    class, the deep part learns how they combine in context.
    """

    def __init__(self, config: TransformerConfig, vocab_size: int, n_bag_features: int = 0):
        super().__init__()
        self.config = config
        self.token_embedding = nn.Embedding(vocab_size, config.d_model)
        self.position_embedding = nn.Embedding(config.max_len, config.d_model)
        self.dropout = nn.Dropout(config.dropout)
        self.blocks = nn.ModuleList(Block(config) for _ in range(config.n_layers))
        self.ln_final = nn.LayerNorm(config.d_model)
        self.out_dim = config.d_model
        self.apply(_init_weights)
        self.wide = None
        if config.wide:
            if n_bag_features < 1:
                raise ValueError("a wide Transformer needs the bag featuriser's feature count")
            self.wide = BowMLPEncoder(BowMLPConfig(hidden=(WIDE_HIDDEN, config.wide_dim)), n_bag_features)
            self.out_dim += config.wide_dim

    def forward_tokens(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, need_weights: bool = False):
        """Token vectors ``(B, T, D)`` and, if asked, attention maps ``[(B, H, T, T)] * layers``."""
        B, T = input_ids.shape
        positions = torch.arange(T, device=input_ids.device)
        x = self.dropout(self.token_embedding(input_ids) + self.position_embedding(positions))  # (B, T, D)
        maps = []
        for block in self.blocks:
            x, weights = block(x, attention_mask, need_weights)
            if need_weights:
                maps.append(weights)
        return self.ln_final(x), maps

    def pool(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        """One vector per text ``(B, D)`` from token vectors ``(B, T, D)``."""
        if self.config.pooling == "cls":
            return hidden[:, 0]
        m = attention_mask.unsqueeze(-1).to(hidden.dtype)  # (B, T, 1)
        return (hidden * m).sum(1) / m.sum(1).clamp_min(1.0)

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        indices: torch.Tensor | None = None,
        offsets: torch.Tensor | None = None,
        weights: torch.Tensor | None = None,
    ) -> torch.Tensor:
        hidden, _ = self.forward_tokens(input_ids, attention_mask)
        pooled = self.pool(hidden, attention_mask)
        if self.wide is None:
            return pooled
        wide = self.wide(indices, offsets, weights)  # (B, wide_dim)
        if self.training and self.config.part_dropout > 0:
            # a quarter of the texts (at 0.5) train the deep part alone, a quarter the wide part alone:
            # jointly, the bag fits the training set within a few epochs and the Transformer stops learning
            u = torch.rand(pooled.shape[0], 1, device=pooled.device)
            q = self.config.part_dropout / 2
            pooled = pooled * (u >= q).to(pooled.dtype) / (1 - q)  # rescaled as in dropout
            wide = wide * ((u < q) | (u >= 2 * q)).to(wide.dtype) / (1 - q)
        return torch.cat([pooled, wide], dim=1)


class MaskedLMHead(nn.Module):
    """Dense → GELU → LayerNorm → vocabulary logits, decoder tied to the token embeddings."""

    def __init__(self, encoder: TransformerEncoder):
        super().__init__()
        d = encoder.config.d_model
        self.dense = nn.Linear(d, d)
        self.ln = nn.LayerNorm(d)
        self.decoder = nn.Linear(d, encoder.token_embedding.num_embeddings)
        self.decoder.weight = encoder.token_embedding.weight  # tied

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        return self.decoder(self.ln(F.gelu(self.dense(hidden))))  # (..., V)


class MaskedLanguageModel(nn.Module):
    """Encoder + MLM head: ``batch → logits (B, T, V)``."""

    def __init__(self, encoder: TransformerEncoder):
        super().__init__()
        self.encoder = encoder
        self.mlm_head = MaskedLMHead(encoder)

    def forward(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        """Vocabulary logits: ``(B, T, V)``, or ``(N, V)`` for the N positions flagged in
        ``batch["predict"]`` when given. Training passes the masked positions only: the
        vocabulary projection is the costliest layer, and 85% of its rows would be thrown away.
        """
        hidden, _ = self.encoder.forward_tokens(batch["input_ids"], batch["attention_mask"])
        if "predict" in batch:
            hidden = hidden[batch["predict"]]
        return self.mlm_head(hidden)

    def embed(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        return self.encoder(batch["input_ids"], batch["attention_mask"])


def _init_weights(module: nn.Module) -> None:
    # BERT's initialisation: N(0, 0.02) for weights, zeros for biases.
    if isinstance(module, (nn.Linear, nn.Embedding)):
        nn.init.normal_(module.weight, std=0.02)
    if isinstance(module, nn.Linear) and module.bias is not None:
        nn.init.zeros_(module.bias)


def widen(inputs: TokenInputs, config: TransformerConfig) -> TokenInputs:
    """``inputs`` with a (not yet fitted) bag side of NB-weighted n-grams when ``config.wide`` asks
    for one it lacks: a new wide run, or a plain pretrained encoder fine-tuned wide and deep."""
    if config.wide and not isinstance(inputs, WideTokenInputs):
        return WideTokenInputs(inputs, BagInputs(nb_bags()))
    return inputs


def make_inputs(config: TransformerConfig) -> TokenInputs:
    """WordPiece ids, plus the wide part's bags when ``config.wide``."""
    return widen(TokenInputs(config.vocab_size, config.min_freq, config.max_len), config)


def make_encoder(config: TransformerConfig, inputs: Any) -> TransformerEncoder:
    """The encoder for ``inputs`` (a vocabulary, and the bag's feature count when wide)."""
    return TransformerEncoder(config, inputs.size, getattr(inputs, "bag_size", 0))


FAMILY = Family(
    name="transformer",
    title="Transformer (BERT-style)",
    config_cls=TransformerConfig,
    make_inputs=make_inputs,
    inputs_cls=TokenInputs,
    make_encoder=make_encoder,
    head_dropout=0.1,
)
