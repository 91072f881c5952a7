"""How long Stop takes: from the request to a stopped run with its checkpoint written.

    python -m benchmarks.stop_latency            # a temporary studio home; about a minute on 2 cores

For each family (bag-of-words MLP, RBF network, Transformer classifying and pretraining, with the
tests' tiny settings; and a mini Transformer at its default batch of 32) a run of 200 epochs is
trained in a real worker process, as the Train page starts it; once it
has taken a few steps, Stop is asked for as the page asks for it (``core.workers.stop``: a file the
worker reads after every batch), and the clock runs until the run's status says *stopped*. Three
tries per family. The target (issue 07) is 2 s on 2 cores.

Writes benchmarks/results/stop_latency.json.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "stop_latency.json"
# (name, encoder, task, encoder settings, batch): the tiny test models, and a mini Transformer at its
# default batch of 32, whose batch takes the longest to finish once Stop is read
FAMILIES = [
    ("bow_mlp", "bow_mlp", "classify", None, 8),
    ("rbf", "rbf", "classify", None, 8),
    ("transformer tiny", "transformer", "classify", None, 8),
    ("transformer tiny, pretraining", "transformer", "pretrain", None, 8),
    ("transformer mini, batch 32", "transformer", "classify", {"preset": "mini"}, 32),
]
TRIES = 3
TARGET_S = 2.0


def _wait(predicate, timeout: float = 120.0, every: float = 0.01) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the run did not get there in time")
        time.sleep(every)


def one_try(dataset: str, encoder: str, task: str, settings: dict | None, batch: int) -> float:
    """Seconds from Stop to a stopped run of ``encoder`` doing ``task`` (the tests' tiny settings
    unless ``settings`` are given)."""
    from core.training.runner import RunConfig, start_run
    from core.workers import stop, submit_training
    from tests.conftest import TINY_ENCODER

    train = {"threads": 1, "batch_size": batch, "epochs": 200, "patience": 0}
    run = start_run(RunConfig.create(dataset, encoder, settings or TINY_ENCODER[encoder], train, task=task))
    submit_training(run, reserve_cores=0, map_after=False)
    _wait(lambda: sum(1 for m in run.metrics() if m.get("event") == "step") >= 3)
    asked = time.monotonic()
    stop(run)
    _wait(lambda: run.status().get("state") == "stopped")
    return time.monotonic() - asked


def main() -> int:
    with tempfile.TemporaryDirectory() as home:
        os.environ["ENCODER_STUDIO_HOME"] = home
        from core.data import SplitConfig, stratified_split
        from core.registry import DatasetStore

        store = DatasetStore()
        store.ensure_builtin("starter")
        frame = store.load("starter").groupby("label").head(60).reset_index(drop=True)
        frame["split"] = stratified_split(frame["label"], SplitConfig(0.15, 0.25, seed=1))
        store.save(frame, "small", "benchmark", {"seed": 1}, dataset_id="small")
        results = {}
        for name, encoder, task, settings, batch in FAMILIES:
            seconds = [one_try("small", encoder, task, settings, batch) for _ in range(TRIES)]
            results[name] = {
                "median_s": round(statistics.median(seconds), 3),
                "max_s": round(max(seconds), 3),
                "tries_s": [round(s, 3) for s in seconds],
            }
            print(name, results[name], flush=True)
    OUT.write_text(
        json.dumps(
            {"families": results, "target_s": TARGET_S, "cores": os.cpu_count(), "date": time.strftime("%Y-%m-%d")},
            indent=1,
        )
        + "\n"
    )
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
