"""Near-copies between a dataset's splits: test texts that are a training text give or take a few
characters ("客服态度好，解答耐心" in the test split, "客服态度好，解答耐心，谢谢卖家" in training).

Exact duplicates are dropped at import, but templated reviews and re-posted headlines differ by a
suffix or a word: a test split full of them scores a model on texts it has all but seen (a walkthrough
scored 1.0000, and the model then missed plain new sentences). The evaluation counts them so the
Evaluate page can say so.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence

import numpy as np

SHINGLE = 3  # characters per shingle: specific enough in Chinese, and across English words
MIN_SHINGLES = 4  # texts shorter than this (6 characters or fewer) are left out: any two short ones match
CONTAINED = 0.9  # share of the shorter text's shingles found in the other
SIZE_RATIO = 0.5  # the shorter at least half the longer: a phrase inside a long article is no copy
CHECKED_AT_MOST = 1000  # test texts compared (a sample beyond): the share is what the page reports
CHUNK = 200  # test rows per sparse product, to bound its memory

_NOT_LETTERS = re.compile(r"[\W_]+", re.UNICODE)


def _shingles(text: str) -> list[str]:
    # case, spaces and punctuation aside: "Great, really!" and "great really" are the same text here
    norm = _NOT_LETTERS.sub("", str(text).casefold())
    return list({norm[i : i + SHINGLE] for i in range(len(norm) - SHINGLE + 1)})


def near_copies(
    test_texts: Sequence[str],
    train_texts: Sequence[str],
    test_labels: Sequence | None = None,
    train_labels: Sequence | None = None,
    checked_at_most: int = CHECKED_AT_MOST,
    seed: int = 0,
    examples: int = 3,
) -> dict:
    """How many test texts (of a sample of at most ``checked_at_most``) have a near-copy in training,
    of the same class when labels are given (one of another class teaches the model nothing it could
    be scored on too kindly: "good, 5 stars" beside "good, 1 stars" is a hard case, not a leak).

    Returns ``{"checked", "count", "share", "examples": [[test text, training text], ...]}``; texts of
    fewer than ``MIN_SHINGLES`` shingles are not checked (nor counted in ``checked``).
    """
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer

    labelled = test_labels is not None and train_labels is not None
    order = np.random.default_rng(seed).permutation(len(test_texts))
    picked = [i for i in order if len(_shingles(test_texts[i])) >= MIN_SHINGLES][:checked_at_most]
    tests = [test_texts[i] for i in picked]
    test_classes = [test_labels[i] for i in picked] if labelled else None
    kept = [j for j, text in enumerate(train_texts) if len(_shingles(text)) >= MIN_SHINGLES]
    trains = [train_texts[j] for j in kept]
    train_classes = np.asarray([str(train_labels[j]) for j in kept], dtype=object) if labelled else None
    result: dict = {"checked": len(tests), "count": 0, "share": 0.0, "examples": []}
    if not tests or not trains:
        return result
    vectorizer = CountVectorizer(analyzer=_shingles, binary=True, dtype=np.float32)
    train_m = vectorizer.fit_transform(trains).tocsr()
    test_m = vectorizer.transform(tests).tocsr()
    train_size = np.asarray(train_m.sum(1)).ravel()
    test_size = np.asarray([len(_shingles(text)) for text in tests], dtype=np.float32)  # unknown shingles too
    train_t = train_m.T.tocsc()
    found: list[tuple[int, int]] = []
    for start in range(0, len(tests), CHUNK):
        block = sparse.csr_matrix(test_m[start : start + CHUNK] @ train_t)
        for row in range(block.shape[0]):
            lo, hi = block.indptr[row], block.indptr[row + 1]
            if lo == hi:
                continue
            cols, overlap = block.indices[lo:hi], block.data[lo:hi]
            a, b = test_size[start + row], train_size[cols]
            shorter, longer = np.minimum(a, b), np.maximum(a, b)
            ok = (overlap >= CONTAINED * shorter) & (shorter >= SIZE_RATIO * longer)
            if labelled:
                ok &= train_classes[cols] == str(test_classes[start + row])
            if ok.any():
                found.append((start + row, int(cols[np.flatnonzero(ok)[np.argmax(overlap[ok])]])))
    result["count"] = len(found)
    result["share"] = round(len(found) / len(tests), 4)
    result["examples"] = [[str(tests[i]), str(trains[j])] for i, j in found[:examples]]
    return result


CACHE_FILE = "near_copies_same_class.json"  # in the dataset's folder: one count per version of its splits
CACHE_KEPT = 8


def _read_cache(dataset_folder) -> dict:
    from pathlib import Path

    from core.storage import read_json

    path = Path(dataset_folder) / CACHE_FILE
    try:
        cache = read_json(path) if path.is_file() else {}
    except (OSError, ValueError):  # damaged: counted again, and written anew
        cache = {}
    return cache if isinstance(cache, dict) else {}


def cached_split_near_copies(dataset_folder, fingerprint: str) -> dict | None:
    """The count ``split_near_copies`` cached for the splits of ``fingerprint``, or None before it is made."""
    found = _read_cache(dataset_folder).get(fingerprint)
    return found if isinstance(found, dict) else None


def split_near_copies(dataset_folder, splits) -> dict:
    """``near_copies`` of ``splits``' test texts in its training texts, cached in the dataset's folder
    by the splits' fingerprint (a dataset's runs all ask the same question: the first one pays)."""
    from pathlib import Path

    from core.storage import atomic_write_json

    path = Path(dataset_folder) / CACHE_FILE
    key = splits.fingerprint()
    cache = _read_cache(dataset_folder)
    if isinstance(cache.get(key), dict):
        return cache[key]
    test, train = splits.part("test"), splits.part("train")
    found = near_copies(test["text"].tolist(), train["text"].tolist(), test["label"].tolist(), train["label"].tolist())
    kept = dict(list(cache.items())[-(CACHE_KEPT - 1) :])
    kept[key] = found
    # a dataset deleted meanwhile (the write would make its folder again, a "broken" dataset of one cache
    # file), a full disk: the count stands for this run
    if Path(dataset_folder).is_dir():
        with contextlib.suppress(OSError):
            atomic_write_json(path, kept)
    return found
