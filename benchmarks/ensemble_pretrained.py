"""Does the default ensemble gain from a pretrained, fine-tuned Transformer, and what share should it get?

    python -m benchmarks.ensemble_pretrained spec.json

``spec.json`` lists saved runs, one entry per split (the runs are made by hand: each split's
pretraining takes half an hour, see "Does pretraining pay at full labels?")::

    [{"home": "<studio home>", "dataset": "zh_news", "split": 13, "reference": 0.7706,
      "bags": {"bow_mlp": "<run>", "nb": "<run>", "lr": "<run>"},
      "transformers": {"mini": {"0": "<fine-tuned run>", ...}, "tiny": {...}}}, ...]

Every run predicts its split's validation and test texts once; the mixes are then scored from those
probabilities with the ensemble family's own weighting (``member_weights``, ``choose_sequence_share``),
so a row is exactly what ``--encoder ensemble`` with those four members would score. Rows go to
``benchmarks/results/ensemble_pretrained.json`` (its texts are kept; only ``rows`` is replaced).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).parent / "results" / "ensemble_pretrained.json"
BAGS = ("bow_mlp", "nb", "lr")  # the default ensemble's members: bow_mlp, baseline:nb, baseline


def mix(bags: list[np.ndarray], transformer: np.ndarray, share: float | None) -> np.ndarray:
    """The four members' probabilities averaged with the Transformer holding ``share`` (None: equal)."""
    from core.encoders.ensemble import member_weights

    weights = member_weights(["bag"] * len(bags) + ["sequence"], share)
    return sum(w * p for w, p in zip(weights, [*bags, transformer]))


def score_row(val: dict[str, np.ndarray], test: dict[str, np.ndarray], y_val, y_test, name: str) -> dict:
    """One fine-tuned Transformer ``name`` with the bags: accuracy and macro-F1 of each way of mixing."""
    from sklearn.metrics import f1_score

    from core.encoders.ensemble import choose_sequence_share

    bags_val, bags_test = [val[b] for b in BAGS], [test[b] for b in BAGS]
    share = choose_sequence_share(
        ["bag"] * len(BAGS) + ["sequence"], lambda w: sum(x * p for x, p in zip(w, [*bags_val, val[name]])), y_val
    )

    def accuracy(proba: np.ndarray) -> float:
        return float((proba.argmax(1) == y_test).mean())

    chosen = mix(bags_test, test[name], share)
    return {
        "default": accuracy(mix(bags_test, test[name], 0.0)),
        "alone": accuracy(test[name]),
        "equal": accuracy(mix(bags_test, test[name], None)),
        "accuracy": accuracy(chosen),
        "sequence_share": share,
        "macro_f1": round(float(f1_score(y_test, chosen.argmax(1), average="macro")), 4),
        "default_macro_f1": round(
            float(f1_score(y_test, mix(bags_test, test[name], 0.0).argmax(1), average="macro")), 4
        ),
    }


def split_rows(entry: dict) -> list[dict]:
    """Every fine-tuned Transformer of one split entry of the spec, mixed with that split's bags."""
    from core.inference import Predictor
    from core.registry import DatasetStore
    from core.training.runner import load_splits

    home = Path(entry["home"])
    splits = load_splits(entry["dataset"], DatasetStore(home))
    val, test = splits.part("val"), splits.part("test")
    y_val, y_test = splits.y(val), splits.y(test)
    runs = {b: entry["bags"][b] for b in BAGS}
    for preset, seeds in entry["transformers"].items():
        runs.update({f"{preset}:{seed}": run for seed, run in seeds.items()})
    val_p, test_p = {}, {}
    for name, run in runs.items():
        predictor = Predictor.from_run(home / "runs" / run)
        val_p[name] = predictor.predict_proba(val["text"].tolist())
        test_p[name] = predictor.predict_proba(test["text"].tolist())
    rows = []
    for name in runs:
        if ":" not in name:
            continue
        preset, seed = name.split(":")
        row = {
            "dataset": entry["dataset"],
            "split": entry["split"],
            "preset": preset,
            "seed": int(seed),
            "member": runs[name],
            "reference_model": entry.get("reference_model", "tfidf-svc"),
            "reference": entry["reference"],
            **score_row(val_p, test_p, y_val, y_test, name),
        }
        print(f"{entry['dataset']} {entry['split']} {name}: {row['accuracy']:.4f} (share {row['sequence_share']})")
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", help="JSON list of split entries (see the module docstring)")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    rows = [row for entry in json.loads(Path(args.spec).read_text()) for row in split_rows(entry)]
    res = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    res["rows"] = rows
    RESULTS.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {RESULTS} ({len(rows)} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
