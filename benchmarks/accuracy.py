"""Train every encoder on every built-in dataset and record accuracy, macro-F1 and time.

    python -m benchmarks.accuracy                       # all encoders x all datasets
    python -m benchmarks.accuracy --datasets bbc --encoders bow_mlp,baseline

Results go to benchmarks/results/accuracy.json (merged by dataset/encoder key), and the
table in docs/BENCHMARKS.md is rebuilt from that file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "accuracy.json"

# encoder label -> (family, encoder overrides)
ENCODERS = {
    "baseline": ("baseline", {}),
    "bow_mlp": ("bow_mlp", {}),
    "rbf": ("rbf", {}),
    "transformer-tiny": ("transformer", {"preset": "tiny"}),
    "transformer-mini": ("transformer", {"preset": "mini"}),
    "pretrained-minilm": ("pretrained", {"frozen": True}),
}


def machine() -> dict:
    """What the figures were measured on."""
    import torch

    return {
        "cpu_count": len(os.sched_getaffinity(0)),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
    }


def run_one(dataset: str, label: str, home: Path) -> dict:
    from core.training.runner import RunConfig, train_run

    family, overrides = ENCODERS[label]
    started = time.monotonic()
    run = train_run(RunConfig.create(dataset, family, overrides), home=home)
    wall = time.monotonic() - started
    status, report = run.status(), run.eval() or {}
    return {
        "dataset": dataset,
        "encoder": label,
        "state": status.get("state"),
        "error": status.get("error"),
        "accuracy": report.get("accuracy"),
        "macro_f1": report.get("macro_f1"),
        "majority_accuracy": report.get("majority_accuracy"),
        "test_size": report.get("n"),
        "fit_seconds": report.get("fit_seconds"),
        "wall_seconds": round(wall, 2),
        "parameters": report.get("n_parameters"),
        "command": f"python -m core train --dataset {dataset} --encoder {family}"
        + (f" --preset {overrides['preset']}" if "preset" in overrides else "")
        + (" --set frozen=true" if overrides.get("frozen") else ""),
        "measured": time.strftime("%Y-%m-%d"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default="starter,bbc,zh_reviews")
    parser.add_argument("--encoders", default=",".join(ENCODERS))
    args = parser.parse_args(argv)
    results = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {"rows": {}}
    results["machine"] = machine()
    with tempfile.TemporaryDirectory() as tmp:
        for dataset in args.datasets.split(","):
            for label in args.encoders.split(","):
                row = run_one(dataset, label, Path(tmp))
                results["rows"][f"{dataset}/{label}"] = row
                print(json.dumps(row), flush=True)
                RESULTS.parent.mkdir(parents=True, exist_ok=True)
                RESULTS.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
