"""Near-copies between splits: found where a test text is a training text give or take a few words,
not between texts that merely share words; counted once per dataset version."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.leakage import CACHE_FILE, near_copies

WORDS = [
    "apple",
    "river",
    "stone",
    "cloud",
    "market",
    "engine",
    "silver",
    "garden",
    "window",
    "candle",
    "harbor",
    "violin",
    "forest",
    "ladder",
]


def sentences(n: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(WORDS, 9)) + f" {i}" for i in range(n)]


def test_a_test_text_that_is_a_training_text_plus_a_suffix_is_a_near_copy():
    train = ["客服态度好，解答耐心，谢谢卖家", "物流很快，包装完好，五星好评", *sentences(30, 1)]
    test = ["客服态度好，解答耐心", "Apple river STONE cloud!", "价格贵还不好用，一星", sentences(1, 1)[0] + " thanks"]
    found = near_copies(test, train)
    assert found["checked"] == 4 and found["count"] == 2
    assert sorted(pair[0] for pair in found["examples"]) == sorted([test[0], test[3]])
    assert ["客服态度好，解答耐心", "客服态度好，解答耐心，谢谢卖家"] in found["examples"]


def test_texts_that_share_words_but_not_their_text_are_not_near_copies():
    found = near_copies(sentences(200, 2), sentences(400, 3))
    assert found["checked"] == 200 and found["count"] == 0
    # a short phrase inside a long article is no copy of it; texts too short to tell are not checked
    article = " ".join(sentences(20, 4))
    assert near_copies([sentences(20, 4)[0]], [article])["count"] == 0
    assert near_copies(["很好", "ok!"], ["很好很好", "ok"])["checked"] == 0


def test_a_near_copy_of_another_class_is_no_leak():
    """ "good product, 5 stars" beside "good product, 1 stars": a hard case for the model, not a test text it
    could be scored on too kindly."""
    train = ["good product, works well, arrived quickly, nicely packed, 5 stars", "bad product, broke at once, 1 stars"]
    test = ["good product, works well, arrived quickly, nicely packed, 1 stars", "bad product, broke at once, 1 stars!"]
    assert near_copies(test, train)["count"] == 2  # without labels: both are near-copies
    found = near_copies(test, train, ["neg", "neg"], ["pos", "neg"])
    assert found["count"] == 1 and found["examples"] == [[test[1], train[1]]]


def test_at_most_the_sample_size_is_checked():
    train = sentences(300, 5)
    found = near_copies([t + " again" for t in train], train, checked_at_most=50)
    assert found["checked"] == 50 and found["count"] == 50 and found["share"] == 1.0


@pytest.fixture
def copied_dataset(studio_home):
    """Train and test texts of two classes where a third of the test texts are training texts with a suffix."""
    from core.registry import DatasetStore

    train = sentences(120, 6)
    labels = ["a", "b"] * 60
    fresh = sentences(20, 7)
    test = [t + " thanks" for t in train[:10]] + fresh
    rows = [(t, lab, "train") for t, lab in zip(train[:100], labels)]
    rows += [(t, lab, "val") for t, lab in zip(train[100:], labels[100:])]
    rows += [(t, ["a", "b"][i % 2], "test") for i, t in enumerate(test)]
    frame = pd.DataFrame(rows, columns=["text", "label", "split"])
    DatasetStore().save(frame, "copied", "test", {"seed": 1}, dataset_id="copied")
    return "copied"


def test_an_evaluation_counts_near_copies_once_per_dataset_version_and_evaluate_says_so(copied_dataset, monkeypatch):
    import core.leakage
    from core.registry import DatasetStore
    from core.training.runner import train_run
    from tests.app.test_explore_pages import open_page
    from tests.conftest import tiny_config

    run = train_run(tiny_config(copied_dataset, "bow_mlp"))
    near = run.eval()["near_copies"]
    assert near["checked"] == 30 and near["count"] == 10 and near["share"] == pytest.approx(1 / 3, abs=1e-3)
    assert (DatasetStore().path(copied_dataset) / CACHE_FILE).is_file()

    def not_again(*args, **kwargs):
        raise AssertionError("counted again: the dataset's count is cached")

    monkeypatch.setattr(core.leakage, "near_copies", not_again)
    again = train_run(tiny_config(copied_dataset, "bow_mlp", seed=2))
    assert again.eval()["near_copies"] == near
    at = open_page("pages/evaluate.py", run.id, dataset=copied_dataset)
    assert not at.exception, at.exception
    said = [w.value for w in at.warning if "near-copies of training texts of the same class" in w.value]
    assert said and said[0].startswith("33% of the test texts (of 30 checked)"), [w.value for w in at.warning]


def test_compare_ranks_runs_with_the_near_copies_caveat_evaluate_gives(copied_dataset):
    """Evaluate said a third of the test texts nearly repeat training texts; Compare ranked the same runs
    ("the TF-IDF + LR baseline leads this board, 0.9903") without a word."""
    from core.training.runner import RunConfig, train_run
    from tests.app.test_explore_pages import open_page
    from tests.conftest import tiny_config

    run = train_run(tiny_config(copied_dataset, "bow_mlp"))
    train_run(tiny_config(copied_dataset, "baseline"))
    # the newest on a fifth of the labels: counted against its own 20 training texts, a smaller share
    few = train_run(RunConfig.create(copied_dataset, "baseline", label_fraction=0.2))
    assert few.eval()["near_copies"]["share"] < run.eval()["near_copies"]["share"]
    at = open_page("pages/compare.py", run.id, dataset=copied_dataset)
    assert not at.exception, at.exception
    said = [w.value for w in at.warning if "near-copies of training texts of the same class" in w.value]
    assert said and said[0].startswith("33% of the test texts (of 30 checked)"), [w.value for w in at.warning]


def test_the_data_page_counts_near_copies_in_a_worker_before_any_run(copied_dataset, monkeypatch):
    """A file two-thirds near-copies was "Ready to save", and only Evaluate, after training, said that its
    0.99 was flattered: the Data page now counts them in a worker once the dataset is stored."""
    import time

    from streamlit.testing.v1 import AppTest

    import core.leakage
    from core.leakage import cached_split_near_copies
    from core.registry import DatasetStore
    from core.training.runner import load_splits
    from core.workers import near_copies_counting
    from tests.app.test_pages import APP

    folder = DatasetStore().path(copied_dataset)
    fingerprint = load_splits(copied_dataset, DatasetStore()).fingerprint()

    def not_here(*args, **kwargs):
        raise AssertionError("counted in the server's process, not in a worker")

    monkeypatch.setattr(core.leakage, "near_copies", not_here)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["dataset"] = copied_dataset
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    assert any("Checking the test texts for near-copies" in c.value for c in at.caption)
    deadline = time.monotonic() + 60
    while cached_split_near_copies(folder, fingerprint) is None:
        assert time.monotonic() < deadline, "no count after 60 s"
        time.sleep(0.2)
    while near_copies_counting(copied_dataset):
        time.sleep(0.1)
    found = cached_split_near_copies(folder, fingerprint)
    assert found["count"] == 10 and found["checked"] == 30
    at.run()
    said = [w.value for w in at.warning if "near-copies of training texts of the same class" in w.value]
    assert said and said[0].startswith("33% of the test texts (of 30 checked)"), [w.value for w in at.warning]


def test_a_dataset_deleted_while_its_near_copies_are_counted_stays_deleted(copied_dataset, studio_home):
    """A built-in deleted seconds after its load came back (the counting worker imported it again), or
    left a folder holding only the count's cache, listed as a broken dataset."""
    from core.leakage import CACHE_FILE, split_near_copies
    from core.registry import DatasetStore
    from core.training.runner import load_splits
    from core.workers import _count_near_copies

    store = DatasetStore()
    splits = load_splits(copied_dataset, store)
    folder = store.path(copied_dataset)
    store.delete(copied_dataset)
    found = split_near_copies(folder, splits)  # deleted while it counted: the count stands, no folder made
    assert found["checked"] == 30 and not folder.exists() and not (folder / CACHE_FILE).exists()
    assert not store.exists("bbc")
    _count_near_copies("bbc")  # the job for a built-in deleted before its worker started
    assert not store.exists("bbc") and not store.path("bbc").exists()
