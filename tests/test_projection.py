import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.errors import NotFittedError
from core.projection import (
    ProjectionConfig,
    Projector,
    exact_neighbours,
    project_run,
    sample_per_class,
    separation_scores,
)

ROOT = Path(__file__).resolve().parents[1]


def blobs(n=300, d=16, k=3, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(k, d)) * 5
    y = rng.integers(0, k, n)
    return centres[y] + rng.normal(size=(n, d)), y


@pytest.mark.parametrize("method", ["pca", "umap"])
@pytest.mark.parametrize("dims", [2, 3])
def test_projector_fit_transform_shapes(method, dims):
    X, _ = blobs()
    proj = Projector(ProjectionConfig(method=method, dims=dims, n_neighbors=10))
    coords = proj.fit_transform(X)
    assert coords.shape == (len(X), dims) and np.isfinite(coords).all()
    assert proj.transform(X[:3]).shape == (3, dims)


def test_exact_neighbours_order_like_umaps_stable_sort_ties_included():
    rng = np.random.default_rng(1)
    points = rng.integers(0, 4, size=(60, 2)).astype(np.float32)  # many duplicates: many tied distances
    distances = np.sqrt(((points[:, None] - points[None]) ** 2).sum(-1))
    indices, dists = exact_neighbours(distances, 5)
    assert indices.dtype == np.int32 and indices.shape == (60, 5)
    expected = np.argsort(distances, axis=1, kind="stable")[:, :5]
    np.testing.assert_array_equal(dists, np.take_along_axis(distances, expected, axis=1))
    # where the fifth neighbour is not tied with a sixth, the very same rows come out in the same order
    sorted_rows = np.sort(distances, axis=1)
    clear = sorted_rows[:, 4] < sorted_rows[:, 5]
    assert clear.any()
    np.testing.assert_array_equal(indices[clear], expected[clear])


def test_umap_import_leaves_pynndescent_uncompiled_and_numba_as_it_was():
    # pynndescent compiles ~40 functions at import (25 s cold); our maps never call them
    code = (
        "import numba; before = numba.njit\n"
        "from core.projection import import_umap; import_umap()\n"
        "from pynndescent import rp_trees, utils\n"
        "assert numba.njit is before\n"
        "print(len(rp_trees.angular_random_projection_split.signatures), len(utils.simple_heap_push.signatures))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "0"]


def test_projector_unfitted_raises():
    with pytest.raises(NotFittedError):
        Projector().transform(np.zeros((1, 3)))


def test_sampling_keeps_class_shares_and_is_seeded():
    labels = ["a"] * 9000 + ["b"] * 1000
    idx = sample_per_class(labels, 1000, seed=1)
    assert abs(len(idx) - 1000) <= 2
    picked = np.asarray(labels)[idx]
    assert (picked == "b").sum() == pytest.approx(100, abs=2)
    assert (idx == sample_per_class(labels, 1000, seed=1)).all()
    assert len(sample_per_class(["a", "b"], 10)) == 2


def test_separation_scores_rank_clear_clusters_higher():
    X, y = blobs()
    clear = separation_scores(X, y)
    noise = separation_scores(np.random.default_rng(1).normal(size=X.shape), y)
    assert clear["knn_accuracy"] > 0.95 and noise["knn_accuracy"] < 0.6
    assert clear["silhouette"] > noise["silhouette"]


def test_the_k_nn_vote_holds_out_texts_at_random_not_blocks_of_the_file():
    """A statistician's audit: the folds were cut in file order, where rows come in blocks (a class's
    sources, a language), so whole blocks were held out; and a map of 14 texts voted with 7, said as 10."""
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(5, 50))
    apart = rng.normal(size=(5, 50)) * 0.3
    block = lambda centre: centre + rng.normal(size=(20, 50)) * 0.01  # noqa: E731
    X = np.vstack([block(c) for c in centres] + [block(c + d) for c, d in zip(centres, apart)])
    y = ["a"] * 100 + ["b"] * 100  # each "a" block lies next to a "b" block, and nowhere near another "a"
    scores = separation_scores(X, y)
    assert scores["knn_accuracy"] > 0.9 and scores["knn_k"] == 10, scores  # in file order: 0.5
    # 14 texts: 7 a class, 5-6 of them in a fold's training part, so no more than 5 vote
    assert separation_scores(X[:14], ["a", "b"] * 7)["knn_k"] == 5


def test_the_k_nn_vote_of_many_small_classes_is_not_outvoted_by_other_classes():
    """150 intents of about 6 held-out texts each, well apart (silhouette 0.94): 10 neighbours outvoted each
    text's own 3 or 4, and k-NN accuracy read 0.62."""
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(150, 64))
    X = np.vstack([centre + rng.normal(size=(6, 64)) * 0.05 for centre in centres])
    y = [f"intent_{i}" for i in range(150) for _ in range(6)]
    scores = separation_scores(X, y)
    assert scores["silhouette"] > 0.8 and scores["knn_k"] == 4, scores
    assert scores["knn_accuracy"] > 0.95, scores


def test_separation_scores_leave_out_unlabelled_texts_and_need_fewer_classes_than_texts():
    X, y = blobs(300, k=3)
    labels = np.asarray([f"c{v}" for v in y], dtype=object)
    alone = separation_scores(X[:100], labels[:100])
    partly = labels.copy()
    partly[100:] = None  # two texts in three unlabelled: they were scored as a class "?" of their own
    noisy = np.vstack([X[:100], np.random.default_rng(2).normal(size=(200, X.shape[1])) * 5])
    assert separation_scores(noisy, partly) == pytest.approx(alone)
    # twenty classes of one text each on a map (few-shot data's test split): silhouette raised
    none = {"silhouette": None, "knn_accuracy": None, "knn_k": None}
    assert separation_scores(X[:20], [f"c{i}" for i in range(20)]) == none
    assert separation_scores(X[:20], [None] * 20) == none


def run_folder_of_blobs(folder) -> np.ndarray:
    """A run folder with 200 embedded texts in clusters (``embeddings.npy``, ``points.parquet``); returns the vectors."""
    import pandas as pd

    X, y = blobs(200)
    np.save(folder / "embeddings.npy", X.astype(np.float32))
    pd.DataFrame({"text": [f"t{i}" for i in range(len(y))], "label": [str(v) for v in y], "split": "train"}).to_parquet(
        folder / "points.parquet"
    )
    return X


def test_project_run_caches(tmp_path):
    run_folder_of_blobs(tmp_path)
    cfg = ProjectionConfig(method="pca", max_points=50)
    first, projector = project_run(tmp_path, cfg)
    assert not first.cached and projector is not None and first.sampled and len(first.indices) <= 53
    second, none = project_run(tmp_path, cfg)
    assert second.cached and none is None
    np.testing.assert_allclose(first.coords, second.coords)


def test_a_map_of_embeddings_that_were_replaced_is_not_read_as_a_map_of_the_new_ones(tmp_path):
    """A map started before a Resume and saved after it held the old embeddings: it passed for the new model's."""
    from core.projection import cached_projection, embeddings_stamp, projection_cache

    X = run_folder_of_blobs(tmp_path)
    cfg = ProjectionConfig(method="pca", max_points=50)
    old_stamp = embeddings_stamp(tmp_path)
    first, _ = project_run(tmp_path, cfg)
    assert cached_projection(tmp_path, cfg) is not None
    new = tmp_path / "new.npy"
    np.save(
        new, np.roll(X, 7, axis=0).astype(np.float32)
    )  # the resumed run's embeddings, written as runs write them: a new file
    new.replace(tmp_path / "embeddings.npy")
    assert embeddings_stamp(tmp_path) != old_stamp
    assert projection_cache(tmp_path, cfg, first.indices, old_stamp).is_file()  # the old map is still on disk
    assert cached_projection(tmp_path, cfg) is None  # but it is not this model's
    second, projector = project_run(tmp_path, cfg)
    assert not second.cached and projector is not None
    assert not np.allclose(first.coords, second.coords)
