"""Streamed pretraining at growing corpus sizes, and data-parallel throughput on CPU.

    python -m benchmarks.scale [--sizes 1,4,16] [--steps 60] [--preset mini]

1. **Memory against corpus size.** A base corpus (the BBC articles and the Chinese reviews of
   the built-in sets, one text per line) is repeated 1×, 4× and 16×; for each, ``python -m core
   pretrain --corpus`` tokenises it into shards and trains a fixed number of steps. Reported:
   the process's peak RSS (from ``wait4``: the child's own high-water mark), the tokenising
   time and rate, and the training tokens/s.
2. **Processes.** The same pretraining on the 1× corpus in one process and in two (torchrun,
   gloo), one torch thread each, the same global batch: tokens/s of each, and the one-process
   run with two threads for comparison.

Writes benchmarks/results/scale.json. Every run is a real CLI run in a fresh studio home.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "scale.json"


def base_corpus(path: Path) -> dict:
    """The built-in BBC articles and Chinese reviews as one text per line; returns its size."""
    from core.catalog import load_builtin

    texts = [t.replace("\n", " ").strip() for name in ("bbc", "zh_reviews") for t in load_builtin(name)["text"]]
    texts = [t for t in texts if t]
    path.write_text("\n".join(texts) + "\n", encoding="utf-8")
    return {"texts": len(texts), "mb": round(path.stat().st_size / 2**20, 1)}


def run_measured(command: list[str], env: dict) -> tuple[int, float, int]:
    """Run ``command``; returns (exit code, seconds, peak RSS in MB of it and its children)."""
    started = time.monotonic()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({code}): {proc.stderr.read().decode()[-2000:]}")
    return code, seconds, int(usage.ru_maxrss // 1024)


def pretrain(home: Path, corpus: Path, args, processes: int = 1, threads: int = 1, run_id: str = "r") -> dict:
    env = {**os.environ, "ENCODER_STUDIO_HOME": str(home), "OMP_NUM_THREADS": str(threads)}
    core = ["pretrain", "--corpus", str(corpus), "--preset", args.preset, "--epochs", "1"]
    core += ["--batch-size", str(args.batch_size), "--train-set", f"max_steps={args.steps}", "--threads", str(threads)]
    core += ["--quiet", "--run-id", run_id]
    if processes > 1:
        command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", str(processes)]
    else:
        command = [sys.executable]
    _, seconds, peak = run_measured([*command, "-m", "core", *core], env)
    run = home / "runs" / run_id
    report = json.loads((run / "eval.json").read_text())
    log = (run / "log.txt").read_text()
    times = {}
    for line in log.splitlines():
        stamp = line.split(" ", 1)[0]
        if "tokenising" in line:
            times["tokenise_start"] = stamp
        if line.split(" ", 1)[1].startswith("corpus:"):
            times["tokenise_end"] = stamp
    tokenise_s = _seconds_between(times.get("tokenise_start"), times.get("tokenise_end"))
    manifest = next((home / "cache" / "shards").glob("*/manifest.json"))
    shards = json.loads(manifest.read_text())
    return {
        "processes": processes,
        "threads_per_process": threads,
        "wall_s": round(seconds, 1),
        "peak_rss_mb": peak,
        "corpus_tokens": shards["total_tokens"],
        "corpus_texts": shards["documents"],
        "tokenise_s": tokenise_s,
        "tokenise_tokens_per_s": round(shards["total_tokens"] / tokenise_s) if tokenise_s else None,
        "train_tokens_per_s": report.get("tokens_per_second"),
        "fit_s": report.get("fit_seconds"),
        "mlm_loss": round(report["mlm_loss"], 4),
    }


def _seconds_between(a: str | None, b: str | None) -> float | None:
    if not a or not b:
        return None

    def seconds(stamp: str) -> int:
        h, m, s = (int(x) for x in stamp.split(":"))
        return h * 3600 + m * 60 + s

    return float(max(1, seconds(b) - seconds(a)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,4,16", help="corpus sizes as multiples of the base corpus")
    parser.add_argument("--steps", type=int, default=60, help="optimiser steps per run")
    parser.add_argument("--batch-size", type=int, default=32, help="global batch (texts of max_len tokens)")
    parser.add_argument("--preset", default="mini", choices=["tiny", "mini", "small"])
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="scale-"))
    base = work / "base.txt"
    info = base_corpus(base)
    sizes = []
    for times in (int(x) for x in args.sizes.split(",")):
        corpus = work / f"corpus{times}x.txt"
        with open(corpus, "wb") as out:
            for _ in range(times):
                out.write(base.read_bytes())
        row = pretrain(work / f"home{times}", corpus, args)
        row.update(times=times, corpus_mb=round(corpus.stat().st_size / 2**20, 1))
        print(json.dumps(row), flush=True)
        sizes.append(row)
        corpus.unlink()
    processes = []
    for n, threads in ((1, 1), (2, 1), (1, 2)):
        home = work / f"proc{n}x{threads}"
        row = pretrain(home, base, args, processes=n, threads=threads)
        print(json.dumps(row), flush=True)
        processes.append(row)
    import torch

    result = {
        "command": "python -m benchmarks.scale " + " ".join(argv if argv is not None else sys.argv[1:]),
        "measured": time.strftime("%Y-%m-%d"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "torch": torch.__version__,
            "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        },
        "preset": args.preset,
        "steps": args.steps,
        "batch_size": args.batch_size,
        "base_corpus": info,
        "sizes": sizes,
        "processes": processes,
        "seconds": round(time.monotonic() - started, 1),
    }
    Path(args.out).write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
