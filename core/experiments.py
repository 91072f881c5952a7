"""Experiments that answer "was pretraining worth it?".

Label efficiency: at each share of the labels, train the same Transformer twice with the same
budget (optimiser steps, batch size, learning rate, vocabulary): once from random weights
(scratch) and once from a pretrained run's weights (pretrained). Repeat over seeds; report
the mean and spread. Results land in ``<home>/experiments/<id>/results.json``.
"""

from __future__ import annotations

import contextlib
import json
import math
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.config import to_dict
from core.errors import StudioError
from core.names import EXPERIMENT_TAG, name_run
from core.registry import RunStore, new_id
from core.storage import atomic_write_json, read_json, safe_child, studio_home, validate_id


@dataclass
class LabelEfficiencyConfig:
    """Label-efficiency experiment settings."""

    dataset: str  # labelled dataset (id or built-in name)
    fractions: tuple[float, ...] = (0.01, 0.05, 0.2, 1.0)  # shares of the labelled train/val rows
    seeds: int = 3  # repeats per fraction and arm
    pretrained_run: str = ""  # a pretraining run to start from; empty = pretrain one first
    preset: str = "mini"  # Transformer size when pretraining here
    pretrain_epochs: int = 3  # pretraining budget when pretraining here
    steps: int = 300  # optimiser steps per fine-tuning run, the same for both arms
    batch_size: int = 32  # texts per step
    lr: float = 5e-4  # peak learning rate, the same for both arms
    threads: int = 0  # torch CPU threads (0 = one per core)
    encoder_overrides: dict = field(default_factory=dict)  # for both arms, e.g. {"wide": True} (wide and deep)

    def __post_init__(self) -> None:
        self.fractions = tuple(float(f) for f in self.fractions)
        if not self.fractions or any(not 0 < f <= 1 for f in self.fractions):
            raise ValueError("fractions must be in (0, 1]")
        if self.seeds < 1 or self.steps < 1 or self.batch_size < 1:
            raise ValueError("seeds, steps and batch_size must be at least 1")


def experiments_root(home: Path | None = None) -> Path:
    return Path(home or studio_home()) / "experiments"


def run_label_efficiency(
    config: LabelEfficiencyConfig,
    home: Path | None = None,
    progress: Callable[[str], None] | None = None,
    experiment_id: str | None = None,
) -> dict:
    """Run the experiment and return (and save) its results.

    The experiment's folder is held (a lease) while it runs, so a page can tell a live experiment
    from one whose process died; a ``stop.request`` file there ends it after the current run.
    """
    from core.lease import Lease

    experiment_id = validate_id(experiment_id or new_id(f"label-efficiency-{config.dataset}"), "experiment id")
    folder = safe_child(experiments_root(home), experiment_id)
    folder.mkdir(parents=True, exist_ok=True)
    with Lease.acquire(folder / "experiment.lock", folder / "owner.json", "experiment", {"experiment": experiment_id}):
        try:
            return _label_efficiency(config, home, progress, experiment_id, folder)
        except BaseException as exc:
            saved = _read_result(folder)
            if saved.get("status") in (None, "starting", "running"):
                # the studio's own errors are sentences a page translates; others keep their type
                error = str(exc) if isinstance(exc, StudioError) else f"{type(exc).__name__}: {exc}"
                if not saved.get("config"):  # failed before its first save: a whole record all the same
                    saved = _save(folder, config, experiment_id, config.pretrained_run, None, [], time.monotonic())
                saved.update(status="failed", error=error, updated=time.time())
                atomic_write_json(folder / "results.json", saved)
            raise


def _arm_train(config: LabelEfficiencyConfig, splits, fraction: float, seed: int) -> dict:
    """The training settings of both arms at ``fraction`` and ``seed``: exactly ``config.steps`` steps.

    Refuses (StudioError) a plan that the epoch limit keeps short of those steps.
    """
    from core.training.trainer import MAX_EPOCHS

    # the texts the runs will train on (the subsample rounds per class), so that both arms make
    # exactly config.steps steps: from the share alone the scratch arm stopped short (97 of 100)
    used = max(1, len(splits.subsample(fraction, seed).part("train")))
    steps_per_epoch = math.ceil(used / config.batch_size)  # the last batch of an epoch may be short
    epochs = max(1, math.ceil(config.steps / steps_per_epoch))
    if epochs > MAX_EPOCHS:
        raise StudioError(
            f"At {fraction:.1%} of the labels the runs train on {used:,} texts, {steps_per_epoch:,} step(s) an epoch "
            f"at batch {config.batch_size:,}: {config.steps:,} steps would take {epochs:,} epochs, more than the "
            f"{MAX_EPOCHS:,} a run may have. Ask for fewer steps, or leave out the smallest shares of the labels."
        )
    return {
        "epochs": epochs,
        "max_steps": config.steps,
        "min_steps": 0,  # a fine-tune's default minimum (150) gave the pretrained arm more steps
        "batch_size": config.batch_size,
        "lr": config.lr,
        "warmup_ratio": 0.1,
        "patience": 0,
        "seed": seed,
        "threads": config.threads,
    }


def _read_result(folder: Path) -> dict:
    try:
        result = read_json(folder / "results.json")
    except Exception:
        return {}
    return result if isinstance(result, dict) else {}


def _label_efficiency(config, home, progress, experiment_id: str, folder: Path) -> dict:
    from core.registry import DatasetStore
    from core.training.runner import LOW_COVERAGE, RunConfig, finetune_encoder_defaults, load_splits, start_run
    from core.workers import train_with_slot

    def execute_run(run, home=None) -> str:  # one training at a time, as every other entry point
        return train_with_slot(run, "train")

    # refused before minutes of pretraining, not after: a corpus without labels has no curve to draw
    splits = load_splits(config.dataset, DatasetStore(home))
    # the arms' settings too: --lr 50 or a mistyped --set field was refused at the first fine-tuning,
    # minutes in, with the finished pretraining left behind
    from core.training.runner import encoder_config_from
    from core.training.trainer import TrainConfig

    TrainConfig(lr=config.lr, batch_size=config.batch_size, threads=config.threads, seed=config.seeds - 1)
    encoder_config_from("transformer", {"preset": config.preset, **config.encoder_overrides})
    # every arm's plan as well: a few labels at a large batch once asked for 16,000 epochs, refused
    # only at the first fine-tuning, after the pretraining
    for fraction in config.fractions:
        for seed in range(config.seeds):
            TrainConfig(**_arm_train(config, splits, fraction, seed))

    say = progress or (lambda message: None)
    started = time.monotonic()
    store = RunStore(home)
    pretrain_seconds = None
    stop_file = folder / STOP_FILE
    if _read_result(folder).get("status") != "starting":
        # an earlier experiment's request under a reused --id: the new one stopped before it began
        stop_file.unlink(missing_ok=True)
    total = len(config.fractions) * config.seeds * 2
    extra_facts: dict = {}  # what the record says besides the rows: the pretraining's vocabulary coverage

    def save(status: str, current: str = "", **extra) -> dict:
        return _save(
            folder,
            config,
            experiment_id,
            pretrained_id,
            pretrain_seconds,
            rows,
            started,
            status=status,
            current_run=current,
            planned_runs=total,
            **extra_facts,
            **extra,
        )

    rows: list[dict] = []
    pretrained_id = config.pretrained_run
    if config.pretrained_run:
        pretrained = store.get(config.pretrained_run)
        coverage = _check_pretraining(pretrained, config.dataset, home)
        if coverage < LOW_COVERAGE:  # both arms read the texts through its vocabulary: the curve says little
            say(
                f"warning: run {pretrained.id}'s vocabulary knows {coverage:.0%} of this dataset's tokens; both arms "
                "read the rest as unknown (the scratch arm shares that vocabulary), so the curve says little. "
                "Pick a pretraining on texts like these, or let the experiment pretrain on this dataset."
            )
        extra_facts["coverage"] = round(coverage, 4)
    else:
        say(f"pretraining a {config.preset} Transformer on the texts of {config.dataset}")
        t0 = time.monotonic()
        pre_cfg = RunConfig.create(
            config.dataset,
            "transformer",
            {"preset": config.preset},
            {"epochs": config.pretrain_epochs, "threads": config.threads},
            task="pretrain",
            name=f"pretrain-{config.dataset}",
            home=home,
        )
        pretrained = start_run(pre_cfg, home)
        # the experiment's, not the user's: a new session opened Evaluate and Playground on it
        name_run(
            pretrained,
            title=f"label efficiency · pretraining · {config.preset}",
            tags=[EXPERIMENT_TAG],
            by_experiment=True,
        )
        save("running", pretrained.id, phase="pretraining")
        if stop_file.is_file():
            pretrained.request_stop()
        execute_run(pretrained, home=home)
        pretrain_seconds = round(time.monotonic() - t0, 1)
        state = pretrained.status().get("state")
        if stop_file.is_file() or state == "stopped":
            # cut short, the experiment's own pretraining is of no use (only finished ones are offered):
            # kept, it was a hidden run holding its checkpoint for ever
            with contextlib.suppress(StudioError):
                store.delete(pretrained.id)
            return save("stopped")
        if state != "done":
            raise StudioError(
                f"The experiment's pretraining run {pretrained.id} failed: {pretrained.status().get('error')}"
            )
    pretrained_id = pretrained.id
    # both arms are built alike: the fine-tuning defaults (wide and deep for a pretrained
    # Transformer) apply to the scratch twin too, so only the starting weights differ
    encoder_config = {**finetune_encoder_defaults(pretrained.config()), **config.encoder_overrides}
    rows = []
    for fraction in config.fractions:
        for seed in range(config.seeds):
            train = _arm_train(config, splits, fraction, seed)
            for arm in ("scratch", "pretrained"):
                if stop_file.is_file():  # asked between runs (a run under way is stopped by its own file)
                    return save("stopped")
                say(f"fraction {fraction:g}, seed {seed}: {arm}")
                common = {"label_fraction": fraction, "name": f"le-{arm}-{fraction:g}-s{seed}"}
                if arm == "scratch":
                    run_cfg = RunConfig.create(
                        config.dataset, "transformer", encoder_config, train, vocab_run=pretrained.id, **common
                    )
                else:
                    run_cfg = RunConfig.create(
                        config.dataset,
                        "transformer",
                        {"wide": encoder_config.get("wide", False), **config.encoder_overrides},
                        train,
                        task="finetune",
                        source_run=pretrained.id,
                        home=home,
                        **common,
                    )
                t0 = time.monotonic()
                run = start_run(run_cfg, home)
                # tagged, so that pages open on the user's own runs and the leaderboard can fold these away
                name_run(
                    run,
                    title=f"label efficiency · {arm} · {fraction * 100:g}% labels · seed {seed}",
                    tags=[EXPERIMENT_TAG],
                    by_experiment=True,
                )
                save("running", run.id, phase="fine-tuning")
                if stop_file.is_file():  # asked while this run was being set up
                    run.request_stop()
                execute_run(run, home=home)
                state = run.status().get("state")
                if state != "done" and (stop_file.is_file() or state == "stopped"):
                    # cut short (the experiment's Stop, or the run's own), it is no point of the curve:
                    # left, it was a run no results.json named, its checkpoint kept for ever
                    with contextlib.suppress(StudioError):
                        store.delete(run.id)
                    return save("stopped")
                if state != "done":  # its files were missing: the whole experiment died on "points.parquet"
                    raise StudioError(
                        f"Run {run.id} ({arm}, {fraction:.1%} of the labels, seed {seed}) ended {state}: "
                        f"{run.status().get('error') or 'no reason given'}. The experiment stopped there; the "
                        "points before it are kept."
                    )
                report = run.eval() or {}
                if run.status().get("state") == "done":  # its model is kept; its resumable state is not needed
                    shutil.rmtree(run.checkpoint_dir, ignore_errors=True)  # 77 MB a run at 100% of the labels
                rows.append(
                    {
                        "fraction": fraction,
                        "seed": seed,
                        "arm": arm,
                        "run_id": run.id,
                        "state": run.status().get("state"),
                        "train_texts": _train_size(run),
                        "test_texts": report.get("n"),
                        "accuracy": report.get("accuracy"),
                        "macro_f1": report.get("macro_f1"),
                        "seconds": round(time.monotonic() - t0, 1),
                    }
                )
                if stop_file.is_file():  # asked as the run ended: its point is kept, no other starts
                    return save("stopped")
                save("running")
    return save("done")


def _check_pretraining(run, dataset: str, home: Path | None) -> float:
    """Refuse a starting point that is not a finished pretraining run; returns the share of
    ``dataset``'s tokens its vocabulary knows (both arms read the texts through it)."""
    from core.training.runner import source_coverage

    config = run.config()
    if config.get("encoder") != "transformer" or config.get("task") != "pretrain":
        # a classifier of this dataset's labels leaked them all into the few-label points
        raise StudioError(
            f"Run {run.id} is a {config.get('encoder')} {config.get('task', 'classify')} run; the experiment starts "
            "from a pretraining run (python -m core runs list shows each run's task)."
        )
    if run.status().get("state") != "done" or not run.model_path.is_file():
        raise StudioError(
            f"Pretraining run {run.id} has not finished; pick a finished one, or let the experiment pretrain."
        )
    return source_coverage(run.id, dataset, home)


def _train_size(run) -> int:
    import pandas as pd

    points = pd.read_parquet(run.path / "points.parquet", columns=["split"])
    return int((points["split"] == "train").sum())


def summarise(rows: list[dict]) -> list[dict]:
    """Mean, standard deviation, min and max of accuracy per (fraction, arm)."""
    out = []
    keys = sorted({(r["fraction"], r["arm"]) for r in rows})
    for fraction, arm in keys:
        acc = np.array(
            [r["accuracy"] for r in rows if r["fraction"] == fraction and r["arm"] == arm and r["accuracy"] is not None]
        )
        f1 = np.array(
            [r["macro_f1"] for r in rows if r["fraction"] == fraction and r["arm"] == arm and r["macro_f1"] is not None]
        )
        if not len(acc):
            continue
        out.append(
            {
                "fraction": fraction,
                "arm": arm,
                "n": int(len(acc)),
                "accuracy_mean": float(acc.mean()),
                "accuracy_std": float(acc.std(ddof=1)) if len(acc) > 1 else 0.0,
                "accuracy_min": float(acc.min()),
                "accuracy_max": float(acc.max()),
                "macro_f1_mean": float(f1.mean()) if len(f1) else None,
                "train_texts": int(
                    np.mean([r["train_texts"] for r in rows if r["fraction"] == fraction and r["arm"] == arm])
                ),
            }
        )
    return out


def _save(folder, config, experiment_id, pretrained_id, pretrain_seconds, rows, started, **state) -> dict:
    result = {
        "id": experiment_id,
        "kind": "label-efficiency",
        "config": to_dict(config),
        "pretrained_run": pretrained_id,
        "pretrain_seconds": pretrain_seconds,
        "rows": rows,
        "summary": summarise(rows),
        "seconds": round(time.monotonic() - started, 1),
        "updated": time.time(),
        **state,  # status (running, done, stopped, failed), the run under way, the runs planned
    }
    atomic_write_json(folder / "results.json", result)
    return result


STOP_FILE = "stop.request"
QUICK = {"preset": "tiny", "seeds": 1}  # the page's one-click version: minutes, not an hour


def start_label_efficiency(config: LabelEfficiencyConfig, home: Path | None = None) -> str:
    """Start the experiment in a worker process at low priority; returns its id at once.

    The page shows it from its ``results.json`` (written here as "starting", so that it is seen
    before the worker's first write) and stops it with ``stop_experiment``.
    """
    from core.workers import _spawn

    home = Path(home or studio_home())
    experiment_id = new_id(f"label-efficiency-{config.dataset}")
    folder = safe_child(experiments_root(home), experiment_id)
    folder.mkdir(parents=True, exist_ok=True)
    _save(folder, config, experiment_id, config.pretrained_run, None, [], time.monotonic(), status="starting")
    args = ["experiment", "label-efficiency", "--dataset", config.dataset, "--id", experiment_id, "--background"]
    args += ["--fractions", ",".join(f"{f:g}" for f in config.fractions), "--seeds", str(config.seeds)]
    args += ["--preset", config.preset, "--pretrain-epochs", str(config.pretrain_epochs)]
    args += ["--steps", str(config.steps), "--lr", str(config.lr), "--batch-size", str(config.batch_size)]
    args += ["--threads", str(config.threads)]
    if config.pretrained_run:
        args += ["--pretrained", config.pretrained_run]
    for key, value in config.encoder_overrides.items():  # dropped here, a {"wide": true} was lost on its way
        args += ["--set", f"{key}={json.dumps(value)}"]
    _spawn(args, folder / "experiment.log", home=home)
    return experiment_id


def experiment_status(result: dict, home: Path | None = None) -> str:
    """``starting``, ``running``, ``done``, ``stopped``, ``failed``, or ``interrupted`` (its process
    ended without saying so); older results without a status are done."""
    from core.lease import owner

    status = result.get("status") or "done"
    if status not in ("starting", "running"):
        return status
    folder = safe_child(experiments_root(home), str(result.get("id")))
    if owner(folder / "experiment.lock", folder / "owner.json") is not None:
        return "running"
    if status == "starting" and time.time() - float(result.get("updated") or 0) < 30:
        return "starting"  # its worker is still importing torch
    return "interrupted"


def stop_experiment(experiment_id: str, home: Path | None = None) -> None:
    """Ask a running experiment to stop: the run under way stops at its next batch, and no other starts."""
    folder = safe_child(experiments_root(home), validate_id(experiment_id, "experiment id"))
    atomic_write_json(folder / STOP_FILE, {"requested": time.time()})
    current = _read_result(folder).get("current_run")
    if current:
        from core.errors import UnknownRunError

        with contextlib.suppress(UnknownRunError):  # deleted meanwhile: nothing to stop
            RunStore(home).get(current).request_stop()


def list_experiments(home: Path | None = None) -> list[dict]:
    """Saved experiment results, newest first."""
    root = experiments_root(home)
    if not root.is_dir():
        return []
    out = []
    for path in root.glob("*/results.json"):
        try:
            result = read_json(path)
        except Exception:
            continue
        if _well_formed(result):  # a hand-written or damaged record broke every Compare page
            out.append(result)
    return sorted(out, key=lambda r: -r["updated"])


def _well_formed(result: object) -> bool:
    """True for a record the pages can draw: the fields they read, of the types they expect."""
    if not isinstance(result, dict) or not isinstance(result.get("updated"), (int, float)):
        return False
    config = result.get("config")
    if (
        not isinstance(config, dict)
        or not isinstance(config.get("seeds"), int)
        or not isinstance(config.get("steps"), int)
    ):
        return False
    if not all(isinstance(result.get(key, []), list) for key in ("rows", "summary")):
        return False
    if not all(isinstance(item, dict) for key in ("rows", "summary") for item in result.get(key, [])):
        return False
    try:
        validate_id(str(result.get("id")), "experiment id")
    except StudioError:
        return False
    return True


def publishable(result: dict, command: str = "", home: Path | None = None) -> dict:
    """The experiment's results plus what the pretraining run cost and reached (for reports)."""
    run = RunStore(home).get(result["pretrained_run"])
    config, report, status = run.config(), run.eval() or {}, run.status()
    train = config.get("train", {})
    pretrain = {
        "run": run.id,
        "dataset": config.get("dataset"),
        "preset": config.get("encoder_config", {}).get("preset"),
        "mask_rate": config.get("mask_rate"),
        "epochs": train.get("epochs"),
        "batch_size": train.get("batch_size"),
        "lr": train.get("lr"),
        "fit_seconds": report.get("fit_seconds", status.get("train_seconds")),
        "train_tokens_per_epoch": report.get("train_tokens_per_epoch"),
        "tokens_per_second": report.get("tokens_per_second"),
        "mlm_loss": report.get("mlm_loss"),
        "masked_accuracy": report.get("masked_accuracy"),
        "perplexity": report.get("perplexity"),
        "n_parameters": report.get("n_parameters"),
        "command": (
            f"python -m core pretrain --dataset {config.get('dataset')} "
            f"--preset {config.get('encoder_config', {}).get('preset')} --mask-rate {config.get('mask_rate')} "
            f"--epochs {train.get('epochs')} --batch-size {train.get('batch_size')} --lr {train.get('lr')}"
        ),
    }
    return {**result, "pretrain": pretrain, "command": command}


def chance_gap(result: dict, home: Path | None = None) -> dict | None:
    """For an experiment of one seed: the gap between its two arms at one share (in points of accuracy)
    that the test texts alone leave to chance, about two standard errors of a difference of two
    accuracies on ``test_texts`` texts (``{"points", "test_texts"}``); None with several seeds (their
    spread says it) or where the test size is unknown. "Trails at 3 of 4 shares" by 4-5 pt on 400 test
    texts read as a verdict, where Evaluate called a gap of that size "could be chance". A rough bound:
    unpaired, where McNemar's test (Evaluate's) pairs the texts and can call a gap of this size real for
    these two runs; but with one seed, what varies most is the runs, which no test of one pair sees."""
    rows = [row for row in result.get("rows", []) if isinstance(row.get("accuracy"), (int, float))]
    if not rows or int((result.get("config") or {}).get("seeds") or 0) != 1:
        return None
    n = next((row["test_texts"] for row in rows if isinstance(row.get("test_texts"), int)), None)
    if n is None:  # an experiment from before the rows kept it: its first run's evaluation says
        with contextlib.suppress(Exception):
            n = int((RunStore(home).get(rows[0]["run_id"]).eval() or {}).get("n") or 0) or None
    if not n:
        return None
    p = sum(row["accuracy"] for row in rows) / len(rows)
    return {"points": 100 * 2 * math.sqrt(2 * p * (1 - p) / n), "test_texts": n}


TRAILING_MARGIN = 0.005  # accuracy: the pretrained arm counts as behind at a share only below scratch - this


def trailing_pretraining(result: dict, home: Path | None = None) -> dict | None:
    """What to tell a user whose pretrained arm trails the scratch arm at most label shares.

    Within a fixed number of steps, a pretrained start can learn slower than a random one. A
    tiny Transformer pretrained on the starter set's 91,000 tokens scored 0.29 after 60 steps
    against 0.62 from scratch, and 0.85 against 0.86 after 300; pretrained for 12 epochs instead
    of 2, it trailed by 17 pt at 300 steps. The curves where pretraining paid (docs/BENCHMARKS.md)
    pretrained a mini on 190,000-740,000 tokens an epoch for about 30 minutes. The facts come
    back as fields, so the CLI and the page word them in their own language; ``None`` when the
    pretrained arm is level or ahead at half the shares or more.
    """
    by = {(s["fraction"], s["arm"]): s["accuracy_mean"] for s in result.get("summary", [])}
    shares = sorted({f for f, arm in by if (f, "scratch") in by and (f, "pretrained") in by})
    # behind by more than half a point: one seed's noise is not a verdict
    behind = [f for f in shares if by[(f, "pretrained")] < by[(f, "scratch")] - TRAILING_MARGIN]
    if not shares or len(behind) * 2 <= len(shares):
        return None
    facts = {"behind": len(behind), "shares": len(shares), "steps": result["config"]["steps"]}
    facts.update(run=result["pretrained_run"], epochs=None, masked_accuracy=None, tokens_per_epoch=None)
    facts.update(preset=result["config"].get("preset", "mini"))
    try:
        run = RunStore(home).get(result["pretrained_run"])
        config, report = run.config(), run.eval() or {}
        facts.update(
            epochs=config.get("train", {}).get("epochs"),
            masked_accuracy=report.get("masked_accuracy"),
            tokens_per_epoch=report.get("train_tokens_per_epoch"),
            preset=config.get("encoder_config", {}).get("preset") or facts["preset"],
        )
        facts.update(epochs_trained(run.metrics()))  # what was made, over what was planned
    except Exception:  # the pretraining run was deleted since: the advice stands without its figures
        pass
    return facts


def epochs_trained(metrics: list) -> dict:
    """``{"epochs": passes made, "budget_stop": (step, planned steps)}`` from a run's metrics, or {}.

    The config's epochs are the plan: a time budget may have stopped the run long before them (269 of
    1,520 steps read as "pretrained for 4 epochs")."""
    starts = [m for m in metrics if isinstance(m, dict) and m.get("event") == "fit_start" and m.get("steps_per_epoch")]
    ends = [m for m in metrics if isinstance(m, dict) and m.get("event") == "fit_end" and m.get("step") is not None]
    if not starts or not ends:
        return {}
    plan, end = starts[-1], ends[-1]
    facts: dict = {"epochs": max(round(end["step"] / plan["steps_per_epoch"], 1), 0.1 if end["step"] else 0.0)}
    if end.get("reason") == "time budget" and plan.get("total_steps"):
        facts["budget_stop"] = (int(end["step"]), int(plan["total_steps"]))
    return facts


def format_trailing(facts: dict) -> str:
    """``trailing_pretraining``'s facts as one English paragraph for the command line."""
    reached = ""
    if None not in (facts.get("epochs"), facts.get("masked_accuracy"), facts.get("tokens_per_epoch")):
        stop = facts.get("budget_stop")
        cut = f" (its time budget stopped it at step {stop[0]:,} of {stop[1]:,})" if stop else ""
        reached = (
            f" Run {facts['run']} pretrained on {facts['tokens_per_epoch']:,} tokens for {facts['epochs']:g} "
            f"epoch{'' if facts['epochs'] == 1 else 's'}{cut} and predicts {facts['masked_accuracy']:.0%} of masked "
            "tokens."
        )
    return (
        f"The pretrained arm trails the scratch arm at {facts['behind']} of {facts['shares']} label shares: "
        f"within {facts['steps']} steps, its start learned slower than a random one.{reached} Give each run "
        "more steps (--steps), or pretrain on more text (python -m core pretrain --corpus <a .txt file or a "
        f"folder of your texts> --preset {facts['preset']} --epochs 40 --time-budget 1800). Where pretraining "
        "paid in docs/BENCHMARKS.md, a mini was pretrained on 190,000-740,000 tokens for about 30 minutes."
    )


def _accuracy_cell(summary: dict | None) -> str:
    """One arm's accuracy at one share: mean ± standard deviation over its seeds, or the mean alone for
    one seed (its spread is undefined: "0.7667 ± 0.0000" read as a perfectly steady result)."""
    if not summary:
        return "-"
    spread = f" ± {summary['accuracy_std']:.4f}" if int(summary.get("n") or 1) > 1 else ""
    return f"{summary['accuracy_mean']:.4f}{spread}"


def format_summary(result: dict) -> str:
    """The summary as a plain-text table: accuracy mean ± std per fraction (the mean alone for one seed),
    scratch vs pretrained."""
    by = {(s["fraction"], s["arm"]): s for s in result["summary"]}
    fractions = sorted({s["fraction"] for s in result["summary"]})
    lines = [f"{'labels':>8} {'texts':>6}  {'scratch':>17}  {'pretrained':>17}  {'gain':>7}"]
    for f in fractions:
        a, b = by.get((f, "scratch")), by.get((f, "pretrained"))
        gain = f"{(b['accuracy_mean'] - a['accuracy_mean']) * 100:+.1f}pt" if a and b else "-"
        texts = (a or b)["train_texts"]
        share = f"{f:.1%}" if f < 0.01 else f"{f:.0%}"  # 0.2%, 0.4% and 0.5% all read "0%"
        lines.append(f"{share:>8} {texts:>6}  {_accuracy_cell(a):>17}  {_accuracy_cell(b):>17}  {gain:>7}")
    return "\n".join(lines)
