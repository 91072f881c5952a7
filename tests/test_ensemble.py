"""The ensemble family: members trained as ordinary runs (or picked from finished ones),
temperatures fitted on validation, probabilities averaged; damaged or missing members named."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import ModelFileError, StudioError
from core.inference import Predictor
from core.registry import RunStore
from core.training.runner import RunConfig, train_run
from tests.conftest import tiny_config


def test_an_ensemble_trains_its_members_as_runs_and_averages_them(small_dataset):
    run = train_run(RunConfig.create(small_dataset, "ensemble", {"members": ["bow_mlp", "baseline:nb"]}))
    assert run.status()["state"] == "done", run.status().get("error")
    report = run.eval()
    members = report["members"]
    assert [m["encoder"] for m in members] == ["bow_mlp", "baseline"]
    store = RunStore()
    nb_member = store.get(members[1]["run"]).config()
    assert nb_member["encoder_config"]["featurizer"]["nb_weights"] is True  # "baseline:nb"
    for member in members:
        assert store.get(member["run"]).status()["state"] == "done"  # real runs, listed like any other
        assert 0.05 <= member["temperature"] <= 20.0
    ensemble = Predictor.from_run(run.path)
    texts = ["the match ended two goals to one", "这道菜的味道很好"]
    proba = ensemble.predict_proba(texts)
    assert proba.shape == (2, len(run.config()["labels"])) and np.allclose(proba.sum(1), 1.0, atol=1e-5)
    # the ensemble's probability is the mean of its members' probabilities, then one output temperature
    from core.encoders.ensemble import tempered

    assert all(m["temperature"] == 1.0 for m in members)  # members are not calibrated by default
    parts = [
        tempered(
            np.log(np.clip(Predictor.from_run(store.get(m["run"]).path).predict_proba(texts), 1e-12, 1)),
            m["temperature"],
        )
        for m in members
    ]
    mean = np.mean(parts, axis=0)
    expected = tempered(np.log(mean), report["output_temperature"])
    assert np.allclose(proba, expected, atol=1e-3)  # the report rounds temperatures
    assert (proba.argmax(1) == mean.argmax(1)).all()  # calibrating the average changes no prediction
    assert ensemble.embed(texts).shape[0] == 2 and report["accuracy"] > 0.5
    assert ensemble.explain(texts[0]).tokens  # explanations cut text spans, which any member scores


def test_existing_runs_join_an_ensemble_and_a_deleted_member_is_named(small_dataset):
    first = train_run(tiny_config(small_dataset, "bow_mlp"))
    second = train_run(RunConfig.create(small_dataset, "baseline"))
    run = train_run(
        RunConfig.create(small_dataset, "ensemble", {"members": [first.id, second.id], "calibrate_members": True})
    )
    assert run.status()["state"] == "done", run.status().get("error")
    assert [m["run"] for m in run.eval()["members"]] == [first.id, second.id]
    assert any(abs(m["temperature"] - 1.0) > 0.01 for m in run.eval()["members"])  # fitted, not left at 1
    assert len(RunStore().list()) == 3  # nothing trained again
    with pytest.raises(StudioError, match=f"member of ensemble {run.id}"):
        RunStore().delete(first.id)  # refused: the ensemble needs it
    import shutil

    shutil.rmtree(RunStore().get(first.id).path)  # gone by other means
    with pytest.raises(StudioError, match=f"Member run {first.id} .* was deleted"):
        Predictor.from_run(run.path)
    (run.path / "model.safetensors").write_bytes(b"garbage")
    with pytest.raises(ModelFileError, match="could not be read"):
        Predictor.from_run(run.path)


def test_ensemble_members_must_share_the_dataset(small_dataset, starter_frame):
    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore

    other = starter_frame.groupby("label").head(30).reset_index(drop=True)
    other["split"] = stratified_split(other["label"], SplitConfig(0.15, 0.25, seed=1))
    DatasetStore().save(other, "other", "test", {"seed": 1}, dataset_id="other")
    foreign = train_run(RunConfig.create("other", "baseline"))
    run = train_run(RunConfig.create(small_dataset, "ensemble", {"members": ["baseline", foreign.id]}))
    assert run.status()["state"] == "failed"
    assert "not a classifier on dataset 'small'" in run.status()["error"]
    with pytest.raises(ValueError, match="2 to 8 members"):
        RunConfig.create(small_dataset, "ensemble", {"members": ["bow_mlp"]})
