"""Does watching a run slow it down? Transformer throughput with 0, 1, 2 and 4 open Train tabs, and the CLI.

    python -m benchmarks.tabs [--window 40]

One Transformer run (preset tiny, on starter) is queued exactly as the dashboard queues it (a
worker process, one core left to the server), then measured over equal windows with no tab,
one, two and four headless-Chromium tabs polling its Train page, and no tab again. The same
config then trains through the CLI with the worker's thread count. Throughput is texts/s from
the run's own metrics file over each window. Writes benchmarks/results/tabs.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "tabs.json"
ENCODER = {"preset": "tiny"}
TRAIN = {"epochs": 2000, "patience": 0}


def rate(run, start: float, end: float, batch: int) -> float:
    """Texts per second between two wall-clock times, from the run's step events."""
    steps = [m for m in run.metrics() if m.get("event") == "step" and start <= m["time"] <= end]
    if len(steps) < 2:
        return float("nan")
    return (steps[-1]["step"] - steps[0]["step"]) * batch / (steps[-1]["time"] - steps[0]["time"])


def wait_steps(run, n: int = 5, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while len([m for m in run.metrics() if m.get("event") == "step"]) < n:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the run did not start: {run.status()}")
        time.sleep(0.2)


def measure(window: float) -> dict:
    from playwright.sync_api import sync_playwright

    from ui.launch import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server, wait_healthy

    home = Path(tempfile.mkdtemp())
    os.environ["ENCODER_STUDIO_HOME"] = str(home)
    os.environ["NUMBA_CACHE_DIR"] = str(home / "numba")
    from core.registry import DatasetStore
    from core.training.runner import RunConfig, start_run
    from core.workers import stop, submit_training
    from tests.conftest import kill_workers, wait_for_state
    from ui.actions import SERVER_CORES

    DatasetStore(home).ensure_builtin("starter")
    proc, url = start_server(home, NUMBA_CACHE_DIR=str(home / "numba"))
    phases = []
    try:
        if not wait_healthy(url):
            raise RuntimeError("the server did not become healthy")
        # the server's first page view compiles UMAP in a worker: let that finish before measuring
        from core.workers import umap_is_warm, warm_up_umap_in_worker

        warm_up_umap_in_worker(home)
        deadline = time.monotonic() + 300
        while not umap_is_warm() and time.monotonic() < deadline:
            time.sleep(1)
        run = start_run(RunConfig.create("starter", "transformer", ENCODER, TRAIN), home)
        submit_training(run, reserve_cores=SERVER_CORES, map_after=False)
        wait_steps(run)
        plan = next(m for m in run.metrics() if m["event"] == "fit_start")
        batch, threads = plan["batch_size"], plan["threads"]
        time.sleep(5)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for tabs in (0, 1, 2, 4, 0):
                pages = []
                for _ in range(tabs):
                    page = browser.new_page(viewport={"width": 1400, "height": 1000})
                    page.goto(f"{url}/train?dataset=starter&run={run.id}")
                    page.get_by_text("Throughput (recent)").wait_for(timeout=60_000)
                    pages.append(page)
                time.sleep(3)  # the tabs settle into their 1-second polling
                start = time.time()
                time.sleep(window)
                texts_per_s = rate(run, start, time.time(), batch)
                phases.append({"tabs": tabs, "texts_per_s": round(texts_per_s, 1)})
                print(phases[-1], flush=True)
                for page in pages:
                    page.close()
            browser.close()
        stop(run)
        wait_for_state(run.id, timeout=60)
    finally:
        stop_server(proc)
        kill_workers(home)
    # the CLI, same config, same thread count, no server at all
    args = [sys.executable, "-m", "core", "train", "--dataset", "starter", "--encoder", "transformer", "--quiet"]
    args += ["--run-id", "cli-run", "--preset", "tiny", f"--train-set=threads={threads}"]
    args += [f"--train-set={k}={v}" for k, v in TRAIN.items()]
    cli = subprocess.Popen(args, cwd=ROOT, env=dict(os.environ, ENCODER_STUDIO_HOME=str(home)))
    try:
        from core.registry import RunStore

        deadline = time.monotonic() + 60
        while not (home / "runs" / "cli-run" / "metrics.jsonl").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        cli_run = RunStore(home).get("cli-run")
        wait_steps(cli_run)
        time.sleep(5)
        start = time.time()
        time.sleep(window)
        cli_rate = rate(cli_run, start, time.time(), batch)
    finally:
        cli.terminate()  # SIGTERM: a graceful stop
        cli.wait(60)
    no_tab = [p["texts_per_s"] for p in phases if p["tabs"] == 0]
    base = sum(no_tab) / len(no_tab)  # before and after the tabs: the machine's own drift averages out
    return {
        "phases": phases,
        "cli_texts_per_s": round(cli_rate, 1),
        "threads": threads,
        "batch_size": batch,
        "window_s": window,
        "no_tab_texts_per_s": round(base, 1),
        "change_vs_no_tab": {str(p["tabs"]): round(p["texts_per_s"] / base - 1, 3) for p in phases if p["tabs"]},
        "worst_change_vs_no_tab": round(max(abs(p["texts_per_s"] / base - 1) for p in phases if p["tabs"]), 3),
        "cli_vs_no_tab": round(cli_rate / base - 1, 3),
        "config": {"encoder": "transformer", **ENCODER, **TRAIN, "dataset": "starter"},
        "cores": len(os.sched_getaffinity(0)),
        "measured": time.strftime("%Y-%m-%d"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--window", type=float, default=40.0, help="seconds measured per tab count")
    args = parser.parse_args(argv)
    result = measure(args.window)
    OUT.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
