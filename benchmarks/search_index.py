"""Search index speed and recall: exact (one matrix product) against HNSW (faiss), 10k to 1M vectors.

    python -m benchmarks.search_index [--sizes 10000,100000,1000000] [--dim 128]

The vectors are synthetic above the real sizes: unit vectors drawn around 1,000 centres (texts
cluster by topic), in the dimension of the studio's encoders. Queries are 200 held-out draws from
the same mixture. Reported per size: build time of the graph, median and p90 query latency of
exact search and of the graph (one query at a time, as the Search page asks), and the graph's
recall@10 against the exact top 10. Writes benchmarks/results/search_index.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "search_index.json"


def mixture(n: int, dim: int, rng: np.random.Generator, centres: np.ndarray) -> np.ndarray:
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        block = centres[rng.integers(0, len(centres), m)] + 0.6 * rng.standard_normal((m, dim)).astype(np.float32)
        out[start : start + m] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def timed(fn, queries) -> tuple[list, np.ndarray]:
    results, times = [], []
    for q in queries:
        started = time.perf_counter()
        results.append(fn(q))
        times.append((time.perf_counter() - started) * 1000)
    return results, np.asarray(times)


def main(argv: list[str] | None = None) -> int:
    import faiss

    from core.search import HNSW_EF_BUILD, HNSW_EF_SEARCH, HNSW_LINKS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--dim", type=int, default=128)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)
    faiss.omp_set_num_threads(1)  # one query at a time on one core, as the server's worker would
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((1000, args.dim)).astype(np.float32)
    queries = mixture(args.queries, args.dim, rng, centres)
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        vectors = mixture(n, args.dim, rng, centres)
        exact, exact_ms = timed(lambda q, v=vectors: np.argpartition(-(v @ q), 10)[:10], queries)
        started = time.perf_counter()
        graph = faiss.IndexHNSWFlat(args.dim, HNSW_LINKS, faiss.METRIC_INNER_PRODUCT)
        graph.hnsw.efConstruction = HNSW_EF_BUILD
        graph.add(vectors)
        build_s = time.perf_counter() - started
        graph.hnsw.efSearch = HNSW_EF_SEARCH
        approx, graph_ms = timed(lambda q, g=graph: g.search(q[None, :], 10)[1][0], queries)
        recall = np.mean([len(set(a.tolist()) & set(e.tolist())) / 10 for a, e in zip(approx, exact)])
        row = {
            "vectors": n,
            "dim": args.dim,
            "exact_ms_median": round(float(np.median(exact_ms)), 3),
            "exact_ms_p90": round(float(np.percentile(exact_ms, 90)), 3),
            "hnsw_build_s": round(build_s, 1),
            "hnsw_ms_median": round(float(np.median(graph_ms)), 3),
            "hnsw_ms_p90": round(float(np.percentile(graph_ms, 90)), 3),
            "recall_at_10": round(float(recall), 4),
        }
        print(json.dumps(row), flush=True)
        rows.append(row)
    Path(args.out).write_text(
        json.dumps(
            {
                "command": "python -m benchmarks.search_index " + " ".join(argv if argv is not None else sys.argv[1:]),
                "measured": time.strftime("%Y-%m-%d"),
                "machine": {"cpu_count": os.cpu_count(), "faiss": faiss.__version__},
                "hnsw": {"M": HNSW_LINKS, "ef_construction": HNSW_EF_BUILD, "ef_search": HNSW_EF_SEARCH},
                "rows": rows,
            },
            indent=1,
        )
        + "\n"
    )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
