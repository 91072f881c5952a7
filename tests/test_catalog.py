import pytest

from core.catalog import BUILTINS, load_builtin
from core.errors import DataError
from core.registry import DatasetStore
from core.text import detect_language


def test_starter_is_bilingual_and_large_enough(starter_frame):
    counts = starter_frame.groupby(["label", "lang"]).size()
    assert starter_frame["label"].nunique() >= 4
    assert counts.min() >= 80, counts
    assert starter_frame["text"].is_unique
    # the lang column is honest: detection agrees on nearly every row
    agree = (starter_frame["lang"] == starter_frame["text"].map(detect_language)).mean()
    assert agree > 0.95


def test_bbc_reads_package_files():
    frame = load_builtin("bbc")
    assert len(frame) == 2225
    assert sorted(frame["label"].unique()) == ["business", "entertainment", "politics", "sports", "tech"]
    assert frame["text"].str.len().min() > 100


def test_zh_reviews_reads_package_files():
    frame = load_builtin("zh_reviews")
    assert len(frame) > 30_000
    assert set(frame["label"]) == {"positive", "negative"}
    assert (frame["text"].head(200).map(detect_language) == "zh").mean() > 0.9


def test_unknown_builtin():
    with pytest.raises(DataError, match="No built-in dataset 'nope'"):
        load_builtin("nope")


def test_ensure_builtin_stores_once_with_split(studio_home):
    store = DatasetStore()
    info = store.ensure_builtin("starter")
    assert info.id == "starter" and set(info.split_counts) == {"train", "val", "test"}
    assert store.ensure_builtin("starter").sha256 == info.sha256
    assert set(BUILTINS) == {"starter", "bbc", "zh_reviews"}
