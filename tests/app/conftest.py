"""Fixtures of the page tests: runs trained once per session, copied into each test's home."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def trained_template(tmp_path_factory):
    """A baseline, an MLP and a tiny Transformer on the starter, trained once in a home of their own."""
    from core.training.runner import RunConfig, train_run
    from tests.conftest import studio_env

    home = tmp_path_factory.mktemp("trained")
    with studio_env(home):
        base = train_run(RunConfig.create("starter", "baseline"))
        mlp = train_run(RunConfig.create("starter", "bow_mlp", train_overrides={"epochs": 4, "threads": 1}))
        tiny = train_run(
            RunConfig.create(
                "starter",
                "transformer",
                {"preset": "tiny", "max_len": 32, "vocab_size": 500},
                {"epochs": 1, "threads": 1},
            )
        )
    return home, (base.id, mlp.id, tiny.id)


@pytest.fixture
def trained(studio_home, trained_template):
    """A copy of the trained runs in this test's own home, so a test may damage its files."""
    import shutil

    from core.registry import RunStore

    home, ids = trained_template
    shutil.copytree(home, studio_home, dirs_exist_ok=True)
    store = RunStore()
    return tuple(store.get(run_id) for run_id in ids)
