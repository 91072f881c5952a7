"""Time from `streamlit run app.py` to the first rendered page in headless Chromium.

    python -m benchmarks.app_start [--repeat 3]

Writes benchmarks/results/app_start.json.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "app_start.json"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def measure_once(browser) -> dict:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    home = tempfile.mkdtemp()
    started = time.monotonic()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ],
        cwd=ROOT,
        env=dict(os.environ, ENCODER_STUDIO_HOME=home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.05)
        healthy = time.monotonic() - started
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}")
        page.get_by_role("button", name="Load the starter data and train").wait_for(timeout=60_000)
        rendered = time.monotonic() - started
        page.close()
        return {"server_healthy_s": round(healthy, 2), "first_page_rendered_s": round(rendered, 2)}
    finally:
        proc.terminate()
        proc.wait(10)


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        runs = [measure_once(browser) for _ in range(args.repeat)]
        browser.close()
    result = {
        "runs": runs,
        "median_first_page_s": sorted(r["first_page_rendered_s"] for r in runs)[len(runs) // 2],
        "measured": time.strftime("%Y-%m-%d"),
    }
    OUT.write_text(json.dumps(result, indent=2))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
