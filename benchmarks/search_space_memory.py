"""Peak memory and time of fitting the search space (``core.inference.SearchSpace``).

    python -m benchmarks.search_space_memory [N] [D]

Random vectors with a common direction (as real encoders' have), N of D dimensions (100,000 × 384 by
default); the fit and the transform of all N, peak resident memory over the process's size before.
"""

from __future__ import annotations

import resource
import sys
import time

import numpy as np


def main(n: int = 100_000, dim: int = 384) -> None:
    """Print the peak memory and the time of fitting and applying the search space to N × D vectors."""
    rng = np.random.default_rng(0)
    raw = rng.normal(size=(n, dim)).astype(np.float32) + 3.0
    from core.inference import SearchSpace

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    space = SearchSpace.fit(raw)
    space.transform(raw)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = raw.nbytes / 2**20
    print(
        f"{n:,} x {dim} ({size:.0f} MiB): peak +{peak - before:,.0f} MiB ({(peak - before) / size:.1f}x the "
        f"vectors), {seconds:.1f} s, shrink {space.shrink}"
    )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
