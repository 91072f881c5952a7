"""How fast the interactive pages answer: Playground latency and UMAP map times.

    python -m benchmarks.interactive            # trains what it needs in a temporary studio home

- Playground: for bow_mlp and transformer-mini on BBC, after the model is loaded, the median
  and p90 of (a) one prediction and (b) the whole Playground answer (prediction, leave-one-out
  attributions, 8 nearest neighbours, the star on the map) over 50 typed sentences.
- UMAP: 4,000 points (zh_reviews bow_mlp embeddings, sampled per class): in a fresh process with
  an empty numba cache (what a first visit on a new server costs, compilation included), again in
  a fresh process with the cache warm, and a revisit (the cached coordinates read back).

Writes benchmarks/results/interactive.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "interactive.json"
SENTENCES = [
    "The prime minister faces a vote in parliament over the new tax plans",
    "Shares in the mobile phone maker rose after strong quarterly profits",
    "The striker scored twice as the champions won the cup final",
    "The film won three awards at the ceremony in Los Angeles last night",
    "A new chip promises faster broadband for home computer users",
]


def measure_playground(run_path: Path, calls: int = 50) -> dict:
    from core.inference import Predictor
    from core.projection import ProjectionConfig, place, project_run

    predictor = Predictor.from_run(run_path)
    projection, _ = project_run(run_path, ProjectionConfig(method="pca"))
    vectors = np.load(run_path / "embeddings.npy")[projection.indices]
    predictor.neighbours("warm up", k=8)  # loads the neighbour index once, as the page's cache does
    texts = [SENTENCES[i % len(SENTENCES)] + ("" if i < len(SENTENCES) else f" {i}") for i in range(calls)]
    predictor.predict_proba([texts[0]])
    single, full = [], []
    for text in texts:
        t0 = time.perf_counter()
        predictor.predict_proba([text])
        single.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        predictor.explain(text)
        predictor.neighbours(text, k=8)
        place(predictor.embed([text])[0], vectors, projection.coords)
        full.append((time.perf_counter() - t0) * 1000)
    return {
        "predict_ms_median": float(np.median(single)),
        "predict_ms_p90": float(np.percentile(single, 90)),
        "answer_ms_median": float(np.median(full)),
        "answer_ms_p90": float(np.percentile(full, 90)),
        "calls": calls,
    }


def _peak_rss_reset() -> None:
    """Reset this process's peak resident size (Linux: writing 5 to clear_refs), so the next peak is ours."""
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")


def _rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one_answer_at(predictor, text: str, vectors, projection) -> tuple[float, float]:
    """``(seconds, extra peak MB)`` of one whole Playground answer to ``text`` (the page clips it first)."""
    import gc

    from core.inference import clip_live_text
    from core.projection import place

    gc.collect()
    _peak_rss_reset()
    before = _rss_mb("VmRSS")
    t0 = time.perf_counter()
    text, _ = clip_live_text(text)
    predictor.predict_proba([text])
    predictor.explain(text)
    predictor.neighbours(text, k=8)
    place(predictor.embed([text])[0], vectors, projection.coords)
    return time.perf_counter() - t0, _rss_mb("VmHWM") - before


CAP_CHILD = """
import json, sys
from pathlib import Path
from benchmarks.interactive import measure_cap
print(json.dumps(measure_cap(Path(sys.argv[1]))))
"""


def measure_cap_in_fresh_process(run_path: Path) -> dict:
    """``measure_cap`` in a new process, so that memory freed by training cannot hide an answer's growth."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", CAP_CHILD, str(run_path)], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_cap(run_path: Path) -> dict:
    """One Playground answer to a text at the live-text cap, and to a 100k-character paste (clipped)."""
    from core.inference import LIVE_TEXT_CHARS, Predictor
    from core.projection import ProjectionConfig, project_run

    predictor = Predictor.from_run(run_path)
    projection, _ = project_run(run_path, ProjectionConfig(method="pca"))
    vectors = np.load(run_path / "embeddings.npy")[projection.indices]
    predictor.neighbours("warm up", k=8)
    prose = " ".join(SENTENCES) + " "
    at_cap = (prose * (LIVE_TEXT_CHARS // len(prose) + 1))[:LIVE_TEXT_CHARS]
    pasted = (prose * (100_000 // len(prose) + 1))[:100_000]
    one_answer_at(predictor, SENTENCES[0], vectors, projection)  # first-call costs (allocator, caches) aside
    runs = [one_answer_at(predictor, at_cap, vectors, projection) for _ in range(3)]
    paste = one_answer_at(predictor, pasted, vectors, projection)
    return {
        "cap_chars": LIVE_TEXT_CHARS,
        "answer_at_cap_s_max": max(s for s, _ in runs),
        "answer_at_cap_peak_mb_max": max(m for _, m in runs),
        "answer_100k_paste_s": paste[0],
        "answer_100k_paste_peak_mb": paste[1],
    }


UMAP_CHILD = """
import sys, time, json
t0 = time.perf_counter()
from pathlib import Path
from core.projection import ProjectionConfig, project_run
projection, _ = project_run(Path(sys.argv[1]), ProjectionConfig(method="umap", max_points=4000))
print(json.dumps({"seconds": time.perf_counter() - t0, "points": len(projection.indices), "total": projection.total, "cached": projection.cached}))
"""


def umap_in_fresh_process(run_path: Path, numba_dir: str) -> dict:
    for stale in run_path.glob("projection_*.npy"):
        stale.unlink()
    env = dict(os.environ, NUMBA_CACHE_DIR=numba_dir, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", UMAP_CHILD, str(run_path)], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    import argparse

    from core.training.runner import RunConfig, train_run

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--umap-only", action="store_true", help="skip the Playground part (keep its last figures)")
    parser.add_argument(
        "--cap-only", action="store_true", help="only the answer at the live-text cap, for every family"
    )
    args = parser.parse_args(argv)

    home = Path(tempfile.mkdtemp(prefix="bench-interactive-"))
    os.environ["ENCODER_STUDIO_HOME"] = str(home)
    result: dict = json.loads(OUT.read_text()) if OUT.is_file() else {"playground": {}}
    result["measured"] = time.strftime("%Y-%m-%d")
    if args.cap_only:
        result["cap"] = {}
        for label, encoder, overrides in (
            ("baseline", "baseline", {}),
            ("bow_mlp", "bow_mlp", {}),
            ("rbf", "rbf", {}),
            ("transformer-mini", "transformer", {"preset": "mini"}),
        ):
            run = train_run(RunConfig.create("bbc", encoder, overrides), home=home)
            result["cap"][label] = measure_cap_in_fresh_process(run.path)
            print(label, json.dumps(result["cap"][label]), flush=True)
        OUT.write_text(json.dumps(result, indent=2))
        return 0
    models = (
        () if args.umap_only else (("bow_mlp", "bow_mlp", {}), ("transformer-mini", "transformer", {"preset": "mini"}))
    )
    for label, encoder, overrides in models:
        run = train_run(RunConfig.create("bbc", encoder, overrides), home=home)
        result["playground"][label] = measure_playground(run.path)
        print(label, json.dumps(result["playground"][label]), flush=True)
    zh = train_run(RunConfig.create("zh_reviews", "bow_mlp"), home=home)
    numba_dir = tempfile.mkdtemp(prefix="numba-cold-")
    cold = umap_in_fresh_process(zh.path, numba_dir)
    warm = umap_in_fresh_process(zh.path, numba_dir)
    from core.projection import ProjectionConfig, project_run

    t0 = time.perf_counter()
    revisit, _ = project_run(zh.path, ProjectionConfig(method="umap", max_points=4000))
    result["umap"] = {
        "points": cold["points"],
        "of": cold["total"],
        "cold_numba_cache_s": cold["seconds"],
        "warm_numba_cache_s": warm["seconds"],
        "revisit_s": time.perf_counter() - t0,
        "revisit_from_cache": revisit.cached,
    }
    print("umap", json.dumps(result["umap"]), flush=True)
    OUT.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
