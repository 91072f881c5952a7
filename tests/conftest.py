"""Shared fixtures: every test gets its own studio home; tiny configs keep the suite fast."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pandas as pd
import pytest

# Compile UMAP's numba code once per checkout, not once per test session.
os.environ.setdefault("NUMBA_CACHE_DIR", str(Path(__file__).resolve().parents[1] / ".numba_cache"))

# Tiny configs per family (the transformers BertModelTester idea): small vocab, narrow, shallow.
TINY_ENCODER = {
    "bow_mlp": {"hidden": [32, 16], "featurizer": {"min_df": 1, "max_features": 2000}},
    "rbf": {"projection_dim": 16, "n_centres": 8, "featurizer": {"min_df": 1, "max_features": 2000}},
    "transformer": {"preset": "tiny", "d_model": 32, "n_heads": 2, "d_ff": 64, "max_len": 32, "vocab_size": 300},
    "baseline": {"embed_dim": 8, "featurizer": {"min_df": 1}},
}
TINY_TRAIN = {"epochs": 2, "batch_size": 16, "threads": 1, "patience": 0}


@pytest.fixture(autouse=True)
def studio_home(tmp_path, monkeypatch):
    """A fresh, empty studio home for each test; worker processes it started are ended after it."""
    home = tmp_path / "studio"
    monkeypatch.setenv("ENCODER_STUDIO_HOME", str(home))
    yield home
    kill_workers(home)


@contextlib.contextmanager
def studio_env(home: Path):
    """``$ENCODER_STUDIO_HOME`` set to ``home`` while the block runs: module-scoped fixtures train
    their runs once in a home of their own (function-scoped ``studio_home`` is not active yet)."""
    before = os.environ.get("ENCODER_STUDIO_HOME")
    os.environ["ENCODER_STUDIO_HOME"] = str(home)
    try:
        yield home
    finally:
        if before is None:
            os.environ.pop("ENCODER_STUDIO_HOME", None)
        else:
            os.environ["ENCODER_STUDIO_HOME"] = before


def kill_workers(home: Path) -> None:
    """SIGKILL every live worker process of ``home`` (they outlive a server on purpose)."""
    import signal

    from core.workers import live_workers

    for worker in live_workers(home):
        if worker.get("pid") and int(worker["pid"]) != os.getpid():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(int(worker["pid"]), signal.SIGKILL)


@pytest.fixture(scope="session")
def starter_frame() -> pd.DataFrame:
    from core.catalog import load_builtin

    return load_builtin("starter")


@pytest.fixture
def small_dataset(studio_home, starter_frame):
    """A 240-row, 4-class bilingual dataset stored as 'small' (60 per class)."""
    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore

    frame = starter_frame.groupby("label").head(60).reset_index(drop=True)
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.15, 0.25, seed=1))
    DatasetStore().save(frame, "small", "test", {"seed": 1}, dataset_id="small")
    return "small"


def tiny_config(dataset: str, encoder: str, **train):
    from core.training.runner import RunConfig

    return RunConfig.create(dataset, encoder, TINY_ENCODER[encoder], {**TINY_TRAIN, **train})


def stopped_run(dataset: str, epochs: int = 3):
    """A bag-of-words MLP run on ``dataset`` stopped by the user at its second step: weights and a
    checkpoint, no evaluation yet (what Stop on the Train page leaves)."""
    from core.training.callbacks import Callback
    from core.training.runner import execute_run, start_run

    class StopAtTwo(Callback):
        def on_step_end(self, trainer, metrics):
            if trainer.step == 2:
                trainer.request_stop("user")

    run = start_run(tiny_config(dataset, "bow_mlp", epochs=epochs))
    assert execute_run(run, callbacks=[StopAtTwo()]) == "stopped"
    return run


def stopped_ensemble(dataset: str, monkeypatch):
    """An ensemble of a bag-of-words MLP and the baseline on ``dataset``, stopped by the user at the
    second step of its first member: that member stopped with a checkpoint, the baseline not trained."""
    from core.training import callbacks
    from core.training.runner import RunConfig, execute_run, start_run

    ensemble = start_run(RunConfig.create(dataset, "ensemble", {"members": ["bow_mlp", "baseline"]}))
    real_step_end = callbacks.ProgressSlice.on_step_end

    def stop_clicked_at_step_two(self, trainer, metrics):
        if trainer.step == 2:
            ensemble.request_stop()  # the user's Stop while the bag-of-words member trains
        return real_step_end(self, trainer, metrics)

    with monkeypatch.context() as patched:
        patched.setattr(callbacks.ProgressSlice, "on_step_end", stop_clicked_at_step_two)
        assert execute_run(ensemble) == "stopped"
    ensemble.clear_stop()  # as a worker does before it starts the run again
    return ensemble


def tiny_pretraining(dataset: str, vocab_size: int = 200, **train):
    """A finished two-step masked-LM pretraining run of a tiny Transformer on ``dataset``."""
    from core.training.runner import RunConfig, train_run

    encoder = {"preset": "tiny", "max_len": 32, "vocab_size": vocab_size}
    return train_run(
        RunConfig.create(
            dataset, "transformer", encoder, {"epochs": 1, "max_steps": 2, "threads": 1, **train}, task="pretrain"
        )
    )


def stopped_starter_mlp():
    """A bag-of-words MLP on the starter set, stopped by the user at its second step: a checkpoint and
    weights, no evaluation (what Stop leaves)."""
    from core.training.callbacks import Callback
    from core.training.runner import RunConfig, execute_run, start_run

    class StopEarly(Callback):
        def on_step_end(self, trainer, metrics):
            if trainer.step == 2:
                trainer.request_stop("user")

    run = start_run(RunConfig.create("starter", "bow_mlp", train_overrides={"epochs": 2, "threads": 1}))
    assert execute_run(run, callbacks=[StopEarly()]) == "stopped"
    return run


def wait_for_state(run_id: str, states=("done", "stopped", "failed", "interrupted"), timeout: float = 120.0) -> dict:
    """Poll a run's (effective) status until its state is one of ``states``; returns the status."""
    import time

    from core.registry import RunStore

    run = RunStore().get(run_id)
    deadline = time.monotonic() + timeout
    while True:
        status = run.status()
        if status.get("state") in states or time.monotonic() > deadline:
            return status
        time.sleep(0.05)


def wait_for_job(run, name: str, timeout: float = 180.0) -> dict:
    """Poll side job ``name`` of ``run`` until it is done or failed; returns its record."""
    import time

    from core.workers import side_job

    deadline = time.monotonic() + timeout
    while True:
        job = side_job(run, name) or {}
        if job.get("state") in ("done", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.1)
