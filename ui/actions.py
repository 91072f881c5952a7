"""What buttons do: start runs (with the baseline beside them) in worker processes."""

from __future__ import annotations

from core.baselines import baseline_run, is_plain_baseline  # noqa: F401  (the pages import them from here)

# Cores kept for the server, so pages stay responsive while a run trains beside them.
SERVER_CORES = 1


def ensure_baseline(dataset: str, fingerprint: str | None = None) -> None:
    """Queue a TF-IDF + LR run on ``dataset`` unless one exists (it trains in seconds); with
    ``fingerprint``, unless one exists on the dataset as it is now (``baseline_run``)."""
    import fcntl

    from core.storage import studio_home, validate_id
    from core.training.runner import RunConfig, start_run
    from core.workers import submit_training

    jobs = studio_home() / ".jobs"
    jobs.mkdir(parents=True, exist_ok=True)
    # the look and the creation under one lock: two tabs pressing Start at once each queued a baseline
    with open(jobs / f"baseline-{validate_id(dataset)}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if baseline_run(dataset, fingerprint) is not None:
            return
        run = start_run(RunConfig.create(dataset, "baseline", name="baseline"))
    # nobody maps the baseline first, and nobody watches it: it yields even to the map of the run it follows
    submit_training(run, reserve_cores=SERVER_CORES, map_after=False, background=True, capped=False)


def start_training(config) -> str:
    """Create the run and queue it in a worker process, then the baseline if the dataset has none; its id.

    The user's own run goes first: it is the one they are watching, and the baseline's scores
    only need to be there by the time they open Evaluate.
    """
    from core.training.runner import start_named_run
    from core.workers import submit_training

    # the name typed on the form is the run's title in every table and picker; a run no worker took (a
    # process limit, a full disk) goes, as does one whose name is refused
    run = start_named_run(config, config.name, then=lambda run: submit_training(run, reserve_cores=SERVER_CORES))
    if config.task != "pretrain" and config.encoder != "baseline" and not trains_a_baseline(config):
        from ui.resources import current_fingerprint

        ensure_baseline(config.dataset, current_fingerprint(config.dataset))
    return run.id


def trains_a_baseline(config) -> bool:
    """Whether the run trains the plain TF-IDF + LR itself: the default ensemble's member is one, and
    a second queued beside it listed the same baseline twice on every board."""
    if config.encoder != "ensemble" or config.label_fraction < 1.0:
        return False
    from core.training.runner import encoder_config_from

    return "baseline" in encoder_config_from("ensemble", config.encoder_config).members
