"""Early stopping on small data: the bag-of-words MLP with and without a minimum of steps.

    python -m benchmarks.small_data [--sizes 300,1000] [--splits 3]

A new user's 300 labelled texts leave 45 for validation and 7 steps an epoch; early stopping
judged on so few stopped the MLP after 40-50 steps, near the majority class. For each built-in
set, ``size`` texts are sampled (one sample per split seed) and split 70/15/15; on each sample
bow_mlp trains with its defaults three ways: with no minimum of steps (``min_steps=1``, the rule
before 2026-12-04), with the automatic minimum a small validation set now gets (``min_steps=0``),
and with an explicit 150; TF-IDF + LR gives the yardstick.

Writes benchmarks/results/small_data.json. Every run is a real run in a throwaway studio home.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "small_data.json"
SETTINGS = {"no minimum": 1, "auto (now)": 0, "150": 150}


def measure(sizes: list[int], splits: int) -> list[dict]:
    """One row per (dataset, size, split): each setting's test accuracy and seconds, and the baseline's."""
    from core.catalog import load_builtin
    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import RunConfig, train_run

    rows = []
    for name in ("starter", "bbc", "zh_reviews"):
        full = load_builtin(name).drop_duplicates("text")
        for size in sizes:
            for split in range(splits):
                frame = full.sample(size, random_state=split).reset_index(drop=True)
                frame["split"] = stratified_split(frame["label"], SplitConfig(0.15, 0.15, split))
                dataset = f"{name}-{size}-{split}"
                DatasetStore().save(frame, dataset, "benchmark sample", {}, dataset_id=dataset)
                row = {"dataset": name, "size": size, "split": split}
                for label, min_steps in SETTINGS.items():
                    started = time.monotonic()
                    run = train_run(RunConfig.create(dataset, "bow_mlp", {}, {"min_steps": min_steps, "threads": 1}))
                    end = next((m for m in run.metrics() if m.get("event") == "fit_end"), {})
                    row[label] = {
                        "accuracy": round(run.eval()["accuracy"], 4),
                        "seconds": round(time.monotonic() - started, 2),
                        "steps": end.get("step"),
                    }
                row["baseline"] = round(train_run(RunConfig.create(dataset, "baseline")).eval()["accuracy"], 4)
                print(json.dumps(row), flush=True)
                rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300,1000")
    parser.add_argument("--splits", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["ENCODER_STUDIO_HOME"] = home
        rows = measure([int(s) for s in args.sizes.split(",")], args.splits)
    summary = {}
    for size in sorted({r["size"] for r in rows}):
        of_size = [r for r in rows if r["size"] == size]
        summary[str(size)] = {
            label: round(sum(r[label]["accuracy"] for r in of_size) / len(of_size), 4) for label in SETTINGS
        } | {"baseline": round(sum(r["baseline"] for r in of_size) / len(of_size), 4)}
    OUT.write_text(
        json.dumps(
            {
                "command": "python -m benchmarks.small_data",
                "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
                "measured": time.strftime("%Y-%m-%d"),
                "summary_mean_accuracy": summary,
                "rows": rows,
            },
            indent=2,
        )
        + "\n"
    )
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
