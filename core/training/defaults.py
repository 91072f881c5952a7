"""Per-family training defaults: plain data, importable without torch (the CLI's help shows them)."""

from __future__ import annotations

from typing import Any

# Per-family training defaults (measured on the built-in datasets; see docs/BENCHMARKS.md).
TRAIN_DEFAULTS: dict[str, dict[str, Any]] = {
    # batch 0 = auto (about 25 steps per epoch, lr scaled by √(batch / 32)): measured the best
    # time/accuracy trade-off on four datasets over three splits (docs/BENCHMARKS.md)
    "bow_mlp": {"epochs": 20, "batch_size": 0, "lr": 1e-3, "weight_decay": 0.0, "patience": 2},
    "rbf": {"epochs": 25, "batch_size": 32, "lr": 1e-2, "weight_decay": 0.0, "patience": 4},
    "transformer": {"epochs": 12, "batch_size": 32, "lr": 1e-3, "warmup_ratio": 0.1, "patience": 3},
    "baseline": {},
    "pretrained": {"epochs": 20, "batch_size": 32, "lr": 5e-3, "weight_decay": 0.0, "patience": 4},
}
# Pretraining: a fixed budget of epochs; the held-out MLM loss picks the best checkpoint.
PRETRAIN_DEFAULTS: dict[str, Any] = {"epochs": 4, "batch_size": 32, "lr": 2e-3, "warmup_ratio": 0.05, "patience": 0}
# MLM: share of tokens to predict. 40%, not BERT's 15%: a mini Transformer left the "unigram
# plateau" after about 300 steps at 40% and was still on it after 1,100 at 15% (zh_reviews), and
# every pretraining result in docs/BENCHMARKS.md was measured at 40% (Wettig et al., 2023).
DEFAULT_MASK_RATE = 0.4
# Fine-tuning starts from learned weights, so a smaller learning rate than from scratch. At least
# FINETUNE_MIN_STEPS updates: 60 texts are two steps an epoch, and 4 epochs of them left a model at the
# majority class (a new user's walkthrough); every set in docs/BENCHMARKS.md has far more steps than this.
FINETUNE_MIN_STEPS = 150
# Early stopping judged on a few dozen validation texts stops on noise: a bag-of-words MLP on 300
# labelled texts (45 for validation, 7 steps an epoch) stopped after 40-50 steps, still near the
# majority class. With no minimum set, a run with fewer validation texts than SMALL_VALIDATION
# trains at least SMALL_DATA_MIN_STEPS steps first. On 300-text samples of the three built-in sets
# (3 splits each) that lifted bow_mlp's mean from 0.54 to 0.76 (one split of nine fell, 0.71 to 0.64); on
# 1,000-text samples it changed 8 of 9 splits by at most 2 points and lifted one from 0.55 to 0.73
# (docs/BENCHMARKS.md, benchmarks/small_data.py). The
# built-in sets themselves have 212 or more validation texts: untouched.
SMALL_VALIDATION = 200
SMALL_DATA_MIN_STEPS = 300
# Under TINY_VALIDATION texts the weights are also chosen only once that minimum is reached: judged on 3
# texts, epoch 22 of 300 scored "best" (a lucky 1.0) with its training loss still at chance, and those
# weights were kept. With 45 or 150 texts to judge by the early choice is informative: choosing only after
# the minimum cost bow_mlp 0.2 pt (300-text samples, 0.755 to 0.753) and 0.4 pt (1,000, 0.849 to 0.845)
# in benchmarks/small_data.py, so larger validation sets choose from the start as before.
TINY_VALIDATION = 30


def effective_min_steps(min_steps: int, patience: int, n_val: int) -> int:
    """The minimum of steps a run keeps to: its own ``min_steps``, or SMALL_DATA_MIN_STEPS when it
    has none, stops early (``patience`` > 0) and judges by fewer than SMALL_VALIDATION texts."""
    if min_steps or patience <= 0 or not 0 < n_val < SMALL_VALIDATION:
        return min_steps
    return SMALL_DATA_MIN_STEPS


FINETUNE_DEFAULTS: dict[str, dict[str, Any]] = {
    "bow_mlp": {"epochs": 10, "batch_size": 32, "lr": 1e-3, "weight_decay": 0.0, "patience": 3},
    "rbf": {"epochs": 15, "batch_size": 32, "lr": 3e-3, "weight_decay": 0.0, "patience": 4},
    # up to 12 epochs, stopped once validation has not improved for 2: with 4 (the default until
    # 2026-12-03, and the --epochs 4 of every fine-tuning command in docs/BENCHMARKS.md), tiny
    # Transformers pretrained on bbc and on starter stopped while validation still rose steeply
    # (bbc 0.885 after 4 epochs, 0.951 when it stopped itself after 9; starter 0.839, then 0.921)
    "transformer": {"epochs": 12, "batch_size": 32, "lr": 3e-4, "warmup_ratio": 0.1, "patience": 2},
    "pretrained": {"epochs": 4, "batch_size": 32, "lr": 5e-5, "warmup_ratio": 0.1, "patience": 2},
}
for _defaults in FINETUNE_DEFAULTS.values():
    _defaults["min_steps"] = FINETUNE_MIN_STEPS
