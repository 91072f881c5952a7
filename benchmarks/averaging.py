"""Weight averaging and mixup for the bag-of-words MLP: do they beat keeping the best epoch's weights?

Issue 13 lists "regularisation for small data (mixup on embeddings, weight averaging)" among the levers;
this measures them against the default (the best validation epoch's weights), on the sets the
defaults were chosen on, over three splits, before any of them goes into the product:

- **checkpoint averaging**: the mean of epoch-end weights (from the best epoch to the last, from the one
  before it, the three best by validation, the last half);
- **EMA**: an exponential moving average of the weights after every step (decay warmed up as
  ``min(decay, (1 + n) / (10 + n))``), validated and early-stopped on the averaged weights;
- **mixup** on the first hidden layer (the bag's sum), with labels mixed in the same proportion.

Each is spliced into the trainer for this process only (the product is untouched).

    python -m benchmarks.averaging                      # starter, rt, zh_reviews, zh_news × 3 splits
    python -m benchmarks.averaging --datasets starter --seeds 1

Writes ``benchmarks/results/averaging.json``; the notes in ``benchmarks/results/notes.md`` give the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).parent / "results"
DATASETS = ("starter", "rt", "zh_reviews", "zh_news")
RULES = ("best_to_end", "best_minus_one_to_end", "top3", "last_half")


class Splice:
    """The trainer's hooks for one training: records epoch-end weights; EMA and mixup when asked."""

    def __init__(self, ema_decay: float = 0.0, mixup_alpha: float = 0.0):
        self.ema_decay, self.mixup_alpha = ema_decay, mixup_alpha
        self.epochs: list[tuple[float, dict]] = []  # (validation score, weights) at each epoch end

    def install(self) -> None:
        """Wrap the trainer's and the task's methods (undone by ``remove``)."""
        import torch
        import torch.nn.functional as F

        from core.encoders.bow_mlp import sparse_bag
        from core.training import tasks, trainer

        self._saved = (trainer.Trainer._emit, trainer.Trainer._evaluate, trainer.Trainer._track_best)
        self._saved_loss = tasks.ClassificationTask.loss
        emit, evaluate, track = self._saved
        loss = self._saved_loss
        splice = self

        def copy(state: dict) -> dict:
            return {k: v.detach().to("cpu", copy=True) for k, v in state.items()}

        def on_emit(self, hook, *args):
            if splice.ema_decay and hook == "on_step_end":
                with torch.no_grad():
                    state = self.model.state_dict()
                    if getattr(self, "_ema", None) is None:
                        self._ema = {k: v.detach().clone() for k, v in state.items() if v.is_floating_point()}
                        self._ema_steps = 1
                    else:
                        self._ema_steps += 1
                        decay = min(splice.ema_decay, (1 + self._ema_steps) / (10 + self._ema_steps))
                        for key, value in self._ema.items():
                            value.mul_(decay).add_(state[key], alpha=1 - decay)
            return emit(self, hook, *args)

        def on_evaluate(self):
            if splice.ema_decay and getattr(self, "_ema", None) is not None:
                self._live = copy(self.model.state_dict())
                self.model.load_state_dict({**self._live, **self._ema})
            return evaluate(self)

        def on_track(self, metrics):
            splice.epochs.append((metrics.get(self.task.monitor), copy(self.model.state_dict())))
            result = track(self, metrics)
            if getattr(self, "_live", None) is not None:  # back to the weights training goes on from
                self.model.load_state_dict(self._live)
                self._live = None
            return result

        def mixed_loss(self, model, batch):
            if not (splice.mixup_alpha and model.training):
                return loss(self, model, batch)
            encoder, inputs, y = model.encoder, batch["inputs"], batch["labels"]
            hidden = sparse_bag(encoder.bag, inputs["indices"], inputs["offsets"], inputs["weights"]) + encoder.bias
            share = float(np.random.beta(splice.mixup_alpha, splice.mixup_alpha))
            share = max(share, 1 - share)
            order = torch.randperm(len(hidden))
            logits = model.head(model.dropout(encoder.mlp(share * hidden + (1 - share) * hidden[order]))).float()
            value = share * F.cross_entropy(logits, y) + (1 - share) * F.cross_entropy(logits, y[order])
            return value, {"correct": (logits.argmax(1) == y).sum().item(), "count": len(y)}

        trainer.Trainer._emit, trainer.Trainer._evaluate, trainer.Trainer._track_best = on_emit, on_evaluate, on_track
        tasks.ClassificationTask.loss = mixed_loss

    def remove(self) -> None:
        """Put the trainer's and the task's own methods back."""
        from core.training import tasks, trainer

        trainer.Trainer._emit, trainer.Trainer._evaluate, trainer.Trainer._track_best = self._saved
        tasks.ClassificationTask.loss = self._saved_loss


def mean_weights(states: list[dict]) -> dict:
    """The element-wise mean of several state dicts."""
    import torch

    return {k: torch.stack([s[k].float() for s in states]).mean(0).to(states[0][k].dtype) for k in states[0]}


def train_once(dataset: str, seed: int, home: Path, splice: Splice) -> tuple[list[float], dict]:
    """Train bow_mlp with the defaults, ``splice`` installed; the test accuracy of each epoch-end
    state (validation order) and of each averaging rule."""
    from core.inference import Predictor
    from core.registry import DatasetStore
    from core.training.runner import RunConfig, load_splits, train_run

    splice.install()
    try:
        run = train_run(RunConfig.create(dataset, "bow_mlp", {}, {"seed": seed, "threads": 1}), home=home)
    finally:
        splice.remove()
    test = load_splits(dataset, DatasetStore(home)).part("test")
    texts = test["text"].tolist()
    labels = list(run.config()["labels"])
    gold = np.array([labels.index(str(label)) for label in test["label"]])
    predictor = Predictor.from_run(run.path)

    def accuracy(state: dict) -> float:
        predictor.model.load_state_dict(state)
        return float((predictor.predict_proba(texts).argmax(1) == gold).mean())

    scores = [score for score, _ in splice.epochs]
    states = [state for _, state in splice.epochs]
    best = int(np.argmax(scores))  # the first of equals, as the trainer keeps
    top3 = sorted(range(len(states)), key=lambda i: -scores[i])[:3]
    averaged = {
        "best": accuracy(states[best]),
        "best_to_end": accuracy(mean_weights(states[best:])),
        "best_minus_one_to_end": accuracy(mean_weights(states[max(0, best - 1) :])),
        "top3": accuracy(mean_weights([states[i] for i in top3])),
        "last_half": accuracy(mean_weights(states[len(states) // 2 :])),
    }
    return scores, averaged


def main(argv: list[str] | None = None) -> int:
    """Measure every variant on each dataset and split; print the paired gains; write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--seeds", type=int, default=3, help="splits (split seeds 13, 14, …; seed s seeds the model)")
    parser.add_argument("--ema", default="0.9,0.97", help="EMA decays to try")
    parser.add_argument("--mixup", default="0.4", help="mixup alphas to try")
    parser.add_argument("--out", default=str(RESULTS / "averaging.json"))
    args = parser.parse_args(argv)
    from benchmarks import datasets as bench_datasets

    variants = [("default", Splice())]
    variants += [(f"ema {d}", Splice(ema_decay=float(d))) for d in args.ema.split(",") if d]
    variants += [(f"mixup {a}", Splice(mixup_alpha=float(a))) for a in args.mixup.split(",") if a]
    rows, started = [], time.monotonic()
    with tempfile.TemporaryDirectory(prefix="encoder-studio-averaging-") as tmp:
        for seed in range(args.seeds):
            home = Path(tmp) / f"seed-{seed}"
            os.environ["ENCODER_STUDIO_HOME"] = str(home)
            from core.registry import DatasetStore

            for dataset in args.datasets.split(","):
                bench_datasets.ensure(DatasetStore(home), dataset, seed)
                for name, template in variants:
                    splice = Splice(template.ema_decay, template.mixup_alpha)
                    clock = time.monotonic()
                    scores, accuracy = train_once(dataset, seed, home, splice)
                    row = {"dataset": dataset, "seed": seed, "variant": name, "epochs": len(scores)}
                    row |= {"val": scores, "seconds": round(time.monotonic() - clock, 1), **accuracy}
                    rows.append(row)
                    print(json.dumps({k: v for k, v in row.items() if k != "val"}), flush=True)
    summary = summarise(rows)
    for line in summary:
        print(line)
    result = {
        "command": " ".join(["python -m benchmarks.averaging", *(sys.argv[1:] if argv is None else argv)]),
        "measured": time.strftime("%Y-%m-%d"),
        "seconds": round(time.monotonic() - started, 1),
        "rows": rows,
        "summary": summary,
    }
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def summarise(rows: list[dict]) -> list[str]:
    """Per variant and dataset: the mean gain in points over the default's best-epoch weights, paired by split."""
    default = {(r["dataset"], r["seed"]): r["best"] for r in rows if r["variant"] == "default"}
    lines = []
    candidates = [("default", rule) for rule in RULES]
    candidates += [(v, "best") for v in dict.fromkeys(r["variant"] for r in rows) if v != "default"]
    for variant, rule in candidates:
        gains: dict[str, list[float]] = {}
        for r in rows:
            if r["variant"] == variant and (r["dataset"], r["seed"]) in default:
                gains.setdefault(r["dataset"], []).append(100 * (r[rule] - default[(r["dataset"], r["seed"])]))
        every = [g for values in gains.values() for g in values]
        if not every:
            continue
        per = ", ".join(f"{d} {np.mean(v):+.2f}" for d, v in gains.items())
        name = f"{variant}, {rule}" if variant == "default" else variant
        lines.append(f"{name}: mean {np.mean(every):+.2f} pt ({per})")
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
