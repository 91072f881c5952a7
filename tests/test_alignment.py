"""Before/after maps of a fine-tuned run: the same texts, aligned, scored, and the same picture every time."""

from __future__ import annotations

import numpy as np
import pytest

from core.alignment import align_run, cached_alignment, disparity, procrustes_align, shift_cache
from core.errors import StudioError
from core.projection import ProjectionConfig
from core.training.runner import RunConfig, train_run
from tests.conftest import TINY_TRAIN, tiny_config, wait_for_job

PCA = ProjectionConfig(method="pca")
UMAP = ProjectionConfig(method="umap", n_epochs=40, n_neighbors=8)


def test_procrustes_undoes_a_rotation_a_reflection_a_scale_and_a_shift():
    rng = np.random.default_rng(0)
    fixed = rng.normal(size=(200, 2))
    angle = 1.1
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]]) @ np.diag([1, -1])
    moving = 3.7 * fixed @ rotation + np.array([5.0, -2.0])
    assert disparity(moving, fixed) > 1.0
    aligned = procrustes_align(moving, fixed)
    np.testing.assert_allclose(aligned, fixed, atol=1e-4)
    assert disparity(aligned, fixed) < 1e-8


def test_procrustes_never_changes_who_is_near_whom():
    rng = np.random.default_rng(1)
    moving, fixed = rng.normal(size=(50, 2)), rng.normal(size=(50, 2))
    aligned = procrustes_align(moving, fixed)
    ratio = (
        np.linalg.norm(aligned[:, None] - aligned[None], axis=2)[np.triu_indices(50, 1)]
        / np.linalg.norm(moving[:, None] - moving[None], axis=2)[np.triu_indices(50, 1)]
    )
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-4)  # one scale for every distance
    # and no other rotation of the same centred, scaled map lies closer
    scaled = (moving - moving.mean(0)) * ratio[0]
    for angle in np.linspace(0, 2 * np.pi, 24, endpoint=False):
        turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        for mirror in (np.eye(2), np.diag([1, -1])):
            other = scaled @ turn @ mirror + fixed.mean(0)
            assert disparity(aligned, fixed) <= disparity(other, fixed) + 1e-9


def test_procrustes_keeps_an_unalike_map_as_spread_as_the_fixed_one():
    """Classes that formed where the before map had none: the after map must not shrink to a dot."""
    rng = np.random.default_rng(2)
    fixed = rng.normal(size=(300, 2)) * [7.0, 1.5]  # no structure
    centres = np.array([[0, 0], [4, 0], [0, 4], [4, 4]])
    moving = centres[rng.integers(0, 4, 300)] + rng.normal(scale=0.2, size=(300, 2))  # four tight clusters
    aligned = procrustes_align(moving, fixed)

    def spread(m):
        return float(np.sqrt(((m - m.mean(0)) ** 2).sum(1).mean()))

    assert spread(aligned) == pytest.approx(spread(fixed), rel=1e-6)


@pytest.fixture(scope="module")
def lineage(tmp_path_factory, starter_frame):
    """A bow_mlp run and a run fine-tuned from it on the same small set, trained once for the module."""
    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from tests.conftest import studio_env

    home = tmp_path_factory.mktemp("alignment") / "studio"
    with studio_env(home):
        frame = starter_frame.groupby("label").head(60).reset_index(drop=True)
        frame["split"] = stratified_split(frame["label"], SplitConfig(0.15, 0.25, seed=1))
        DatasetStore().save(frame, "small", "test", {"seed": 1}, dataset_id="small")
        source = train_run(tiny_config("small", "bow_mlp", epochs=1))
        config = RunConfig.create(
            "small", train_overrides={**TINY_TRAIN, "epochs": 6}, task="finetune", source_run=source.id
        )
        tuned = train_run(config)
    return home, source, tuned


def test_the_same_texts_before_and_after_and_the_before_is_the_source_encoder(lineage, monkeypatch):
    from core.inference import Predictor
    from core.projection import Projector, map_indices

    home, source, tuned = lineage
    monkeypatch.setenv("ENCODER_STUDIO_HOME", str(home))
    result = align_run(tuned.path, PCA)
    np.testing.assert_array_equal(result.indices, map_indices(tuned.path, PCA))
    assert result.before.shape == result.after.shape == (len(result.indices), 2)
    assert result.source_run == source.id
    texts = tuned.points()["text"].iloc[result.indices].tolist()
    before = Projector(PCA).fit_transform(Predictor.from_run(source.path).embed(texts))
    np.testing.assert_allclose(result.before, before, atol=1e-4)
    # held-out texts only: the map shows how each model places texts the fine-tuning never saw
    assert set(tuned.points()["split"].iloc[result.indices]) <= {"val", "test"}
    for scores in (result.scores_before, result.scores_after):
        assert -1 <= scores["silhouette"] <= 1 and 0 <= scores["knn_accuracy"] <= 1


def test_the_alignment_is_stable_the_same_run_gives_the_same_picture(lineage, monkeypatch):
    home, _, tuned = lineage
    monkeypatch.setenv("ENCODER_STUDIO_HOME", str(home))
    first = align_run(tuned.path, UMAP)
    assert not first.cached and shift_cache(tuned.path, UMAP).is_file()
    again = cached_alignment(tuned.path, UMAP)
    assert again is not None and again.cached
    np.testing.assert_array_equal(again.after, first.after)
    shift_cache(tuned.path, UMAP).unlink()  # computed afresh, from nothing but the run and the seed
    fresh = align_run(tuned.path, UMAP)
    assert not fresh.cached
    np.testing.assert_allclose(fresh.before, first.before, atol=1e-4)
    np.testing.assert_allclose(fresh.after, first.after, atol=1e-4)
    assert fresh.scores_after == first.scores_after
    # aligned: the after map sits on the before map as closely as a rigid motion and one scale allow
    assert fresh.disparity <= disparity(procrustes_align(fresh.after[::-1], fresh.before), fresh.before)


def test_a_run_that_was_not_fine_tuned_has_no_before(lineage, monkeypatch):
    home, source, _ = lineage
    monkeypatch.setenv("ENCODER_STUDIO_HOME", str(home))
    with pytest.raises(StudioError, match="not a fine-tuned run"):
        align_run(source.path, PCA)


def test_a_deleted_source_is_a_clear_error_and_a_damaged_cache_is_recomputed(small_dataset):
    source = train_run(tiny_config(small_dataset, "bow_mlp", epochs=1))
    tuned = train_run(
        RunConfig.create(
            small_dataset, train_overrides={**TINY_TRAIN, "epochs": 1}, task="finetune", source_run=source.id
        )
    )
    shift_cache(tuned.path, PCA).write_bytes(b"not an npz")
    assert cached_alignment(tuned.path, PCA) is None
    assert align_run(tuned.path, PCA).before.shape[1] == 2
    import shutil

    shift_cache(tuned.path, PCA).unlink()
    shutil.rmtree(source.path)
    with pytest.raises(StudioError, match="no longer in the studio"):
        align_run(tuned.path, PCA)


def test_a_source_trained_again_since_has_no_before_to_draw(small_dataset):
    """Its encoder now was embedded and captioned as the one the run started from."""
    from core.training.runner import reset_run

    source = train_run(tiny_config(small_dataset, "bow_mlp", epochs=1))
    tuned = train_run(
        RunConfig.create(
            small_dataset, train_overrides={**TINY_TRAIN, "epochs": 1}, task="finetune", source_run=source.id
        )
    )
    assert tuned.raw_status()["source_facts"]["weights"]
    assert align_run(tuned.path, PCA).source_run == source.id  # the same weights: drawn
    shift_cache(tuned.path, PCA).unlink()
    reset_run(source)  # "Start again" on the source: other weights under its id
    from core.training.runner import execute_run

    source.write_config({**source.config(), "train": {**source.config()["train"], "seed": 99}})
    assert execute_run(source) == "done"
    with pytest.raises(StudioError, match="trained again after run .* started from it"):
        align_run(tuned.path, PCA)


def test_the_worker_computes_the_aligned_maps(lineage, monkeypatch):
    from core.registry import RunStore
    from core.workers import start_side_job

    home, _, tuned = lineage
    monkeypatch.setenv("ENCODER_STUDIO_HOME", str(home))
    config = ProjectionConfig(method="pca", seed=3)
    run = RunStore().get(tuned.id)
    start_side_job(run, "shift-test", "shift", {"config": config.__dict__})
    job = wait_for_job(run, "shift-test")
    assert job.get("state") == "done", job
    assert job["result"]["points"] == len(cached_alignment(run.path, config).indices)
