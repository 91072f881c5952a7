"""The software a run was trained with, recorded beside its settings so that a result can be pinned down.

The same seed gives the same weights only with the same arithmetic: another torch (or thread count)
may round differently. A reproducibility audit found the settings, the seed and the data's
fingerprint in every run, and no version of anything.
"""

from __future__ import annotations

import functools
import platform
from importlib import metadata
from pathlib import Path

# the packages whose arithmetic or reading of the data a run's numbers depend on
PACKAGES = ("torch", "numpy", "scikit-learn", "tokenizers", "safetensors", "jieba", "pandas")


def _commit(root: Path) -> str | None:
    """The checkout's commit (12 hex digits) read from ``.git`` without running git; None outside a clone."""
    git = root / ".git"
    try:
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
        if not head.startswith("ref: "):
            return head[:12] or None
        ref = head[5:]
        loose = git / ref
        if loose.is_file():
            return loose.read_text(encoding="utf-8").strip()[:12] or None
        for line in (git / "packed-refs").read_text(encoding="utf-8").splitlines():
            if line.endswith(" " + ref):
                return line.split(" ", 1)[0][:12]
    except (OSError, UnicodeDecodeError):
        return None
    return None


@functools.cache
def software_versions() -> dict[str, str]:
    """``{"python": "3.11.9", "encoder_studio": "0.1.0", "commit": "600a076…", "torch": "2.13.0+cpu", …}``:
    the packages installed (a missing one is left out), read from their metadata without importing them."""
    from core import __version__

    found = {"python": platform.python_version(), "encoder_studio": __version__}
    commit = _commit(Path(__file__).resolve().parents[1])
    if commit:
        found["commit"] = commit
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return found
