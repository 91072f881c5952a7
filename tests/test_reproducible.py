"""Issue 16: the same seed and data give the same vocabulary, weights and metrics for every
family, also across processes (the WordPiece vocabulary once differed from process to process)."""

import json
import re
import subprocess
import sys

import numpy as np
import pytest
from safetensors.numpy import load_file

from tests.conftest import TINY_ENCODER, TINY_TRAIN


def train_in_a_fresh_process(dataset: str, encoder: str, run_id: str) -> None:
    overrides = [f"--set={k}={json.dumps(v)}" for k, v in TINY_ENCODER[encoder].items()]
    overrides += [f"--train-set={k}={json.dumps(v)}" for k, v in TINY_TRAIN.items()]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "core",
            "train",
            "--dataset",
            dataset,
            "--encoder",
            encoder,
            "--run-id",
            run_id,
            "--quiet",
        ]
        + overrides,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("encoder", ["bow_mlp", "rbf", "transformer", "baseline"])
def test_the_same_seed_and_data_give_the_same_run(small_dataset, studio_home, encoder):
    from core.registry import RunStore
    from core.training.runner import RunConfig, execute_run, start_run

    execute_run(start_run(RunConfig.create(small_dataset, encoder, TINY_ENCODER[encoder], TINY_TRAIN), run_id="first"))
    train_in_a_fresh_process(small_dataset, encoder, "second")  # another process: other hash seeds
    first, second = RunStore().get("first"), RunStore().get("second")
    for name in ("tokenizer.json", "featurizer.json"):
        if (first.path / name).is_file():
            assert (first.path / name).read_bytes() == (second.path / name).read_bytes(), f"{encoder}: {name} differs"
    if (first.path / "model.safetensors").is_file():
        a, b = load_file(str(first.path / "model.safetensors")), load_file(str(second.path / "model.safetensors"))
        assert a.keys() == b.keys()
        for key in a:
            np.testing.assert_allclose(a[key], b[key], rtol=1e-5, atol=1e-6, err_msg=f"{encoder}: {key}")
    ea, eb = first.eval(), second.eval()
    assert (ea["accuracy"], ea["macro_f1"]) == (eb["accuracy"], eb["macro_f1"])
    # per-epoch losses (step events are thinned by time, so their count may differ)
    pa = [(e["train/loss"], e.get("val/loss")) for e in first.metrics() if e["event"] == "eval"]
    pb = [(e["train/loss"], e.get("val/loss")) for e in second.metrics() if e["event"] == "eval"]
    np.testing.assert_allclose(np.array(pa, dtype=float), np.array(pb, dtype=float), rtol=1e-5)


def test_the_parameter_count_is_one_number(small_dataset, studio_home):
    from core.training.runner import RunConfig, evaluate_saved_run, train_run

    config = RunConfig.create(small_dataset, "transformer", TINY_ENCODER["transformer"], TINY_TRAIN, task="pretrain")
    run = train_run(config)
    logged = int(
        re.search(r"pretraining ([\d,]+) parameters", (run.path / "log.txt").read_text()).group(1).replace(",", "")
    )
    assert run.eval()["n_parameters"] == logged
    evaluate_saved_run(run)  # evaluating again counts the same way
    assert run.eval()["n_parameters"] == logged
