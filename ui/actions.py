"""What buttons do: start runs (with the baseline beside them), stop, resume."""

from __future__ import annotations

from ui.resources import job_manager


def baseline_run(dataset: str):
    """The newest baseline run on ``dataset`` that is done or on its way, or None."""
    from core.registry import RunStore

    for run in RunStore().list():
        cfg = run.config()
        same = (
            cfg.get("dataset") == dataset and cfg.get("encoder") == "baseline" and cfg.get("label_fraction", 1.0) == 1.0
        )
        if same and run.status().get("state") in ("done", "running", "queued"):
            return run
    return None


def ensure_baseline(dataset: str) -> None:
    """Queue a TF-IDF + LR run on ``dataset`` unless one exists (it trains in seconds)."""
    from core.training.runner import RunConfig, start_run

    if baseline_run(dataset) is None:
        run = start_run(RunConfig.create(dataset, "baseline", name="baseline"))
        job_manager().submit(run.id)


def start_training(config) -> str:
    """Create the run, queue it (after a baseline when the dataset has none) and return its id."""
    import os

    from core.training.runner import start_run

    if not config.train.threads:
        # Leave a core to the server and the browser: torch's worker threads spin while they
        # wait, and on a shared 2-core machine that slowed an in-app run 10-30x.
        config.train.threads = max(
            1, (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 2) - 1
        )

    if config.task != "pretrain" and config.encoder != "baseline":
        ensure_baseline(config.dataset)
    run = start_run(config)
    job_manager().submit(run.id)
    return run.id
