"""What buttons do: start runs (with the baseline beside them) in worker processes."""

from __future__ import annotations

# Cores kept for the server, so pages stay responsive while a run trains beside them.
SERVER_CORES = 1


def is_plain_baseline(config: dict) -> bool:
    """Whether a run config is the plain TF-IDF + LR every page compares with, on all the labels.

    Its settings are the defaults. An ensemble's variants are not: over NB-weighted terms it is
    stronger, over jieba words it is another model (Evaluate measured margins against the newest such
    member, and Compare against the plain one: two figures for one run). Nor is one trained with another
    C: one with C=0.01 scored 0.40, and every run read "+37.5 pt vs baseline".
    """
    if config.get("encoder") != "baseline" or config.get("label_fraction", 1.0) != 1.0:
        return False
    return _same_as_defaults(config.get("encoder_config") or {}, _baseline_defaults())


# not what makes another kind of model: the map's width, and the size and convergence knobs (a
# vocabulary cut at 1 or 2 documents, at 50,000 terms or 40,000; the solver's iterations)
_NOT_THE_MODEL = frozenset({"embed_dim", "min_df", "max_features", "max_iter"})


def _baseline_defaults() -> dict:
    import json

    from core.config import to_dict
    from core.training.runner import encoder_config_from

    return json.loads(json.dumps(to_dict(encoder_config_from("baseline", {}))))  # tuples as the saved lists


def _same_as_defaults(settings: dict, defaults: dict) -> bool:
    """Every setting of ``settings`` that ``defaults`` knows has its default value (a field a later
    version added is absent from an older run's config: that run is not a variant for it)."""
    for name, value in settings.items():
        if name in _NOT_THE_MODEL or name not in defaults:
            continue
        default = defaults[name]
        if isinstance(default, dict):
            if not isinstance(value, dict) or not _same_as_defaults(value, default):
                return False
        elif (list(value) if isinstance(value, (list, tuple)) else value) != default:
            return False
    return True


def baseline_run(dataset: str, fingerprint: str | None = None):
    """The newest plain baseline run on ``dataset`` (``is_plain_baseline``) that is done or on its
    way, or None; among finished ones first, so a baseline queued again does not hide the scores.

    With ``fingerprint`` (``Splits.fingerprint``), only a baseline trained on those same texts, or
    one not trained yet: after a dataset was deleted and imported again under its id, the old
    baseline measured new runs' margins on other test texts, "on the same test split".
    """
    from core.registry import RunStore

    plain = [
        run
        for run in RunStore().list()
        if run.config().get("dataset") == dataset
        and is_plain_baseline(run.config())
        and (fingerprint is None or run.config().get("data_fingerprint") in (None, fingerprint))
    ]
    if len(plain) > 1:
        # the user's own baseline before an ensemble's member of the same settings: Compare ticked the
        # member ("member of n-ensemble") as the yardstick beside the baseline the user had trained
        store = RunStore()
        plain.sort(key=lambda run: bool(store.ensembles_using(run.id)))  # stable: newest first in each group
    for states in (("done",), ("running", "queued")):
        found = next((run for run in plain if run.status().get("state") in states), None)
        if found is not None:
            return found
    return None


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
    submit_training(run, reserve_cores=SERVER_CORES, map_after=False, background=True)


def start_training(config) -> str:
    """Create the run and queue it in a worker process, then the baseline if the dataset has none; its id.

    The user's own run goes first: it is the one they are watching, and the baseline's scores
    only need to be there by the time they open Evaluate.
    """
    from core.names import clean_title, name_run
    from core.training.runner import start_run
    from core.workers import submit_training

    title = clean_title(config.name)  # checked before the run exists: a refused name leaves no run behind
    run = start_run(config)
    try:
        if title:  # the name typed on the form is the run's title in every table and picker
            name_run(run, title=title)
        submit_training(run, reserve_cores=SERVER_CORES)
    except Exception:
        # no worker took it (a process limit, a full disk): the run that never started goes, or each
        # retry left one that read "interrupted" ten seconds later
        import contextlib

        from core.registry import RunStore

        with contextlib.suppress(Exception):  # the error that matters is the one re-raised below
            RunStore().delete(run.id)
        raise
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
