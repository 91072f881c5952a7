"""Chinese UI strings: English source text → Chinese, one module per page or part of the UI."""

from __future__ import annotations

import importlib

PARTS = (
    "common",
    "home",
    "data",
    "train",
    "forms",
    "evaluate",
    "compare",
    "embeddings",
    "playground",
    "search",
    "charts",
)

STRINGS: dict[str, str] = {}
for _part in PARTS:
    STRINGS.update(importlib.import_module(f"ui.locales.zh.{_part}").STRINGS)
