"""Time from `streamlit run app.py` to the first rendered page in headless Chromium, then the first visit to Train.

    python -m benchmarks.app_start [--repeat 3]

Writes benchmarks/results/app_start.json.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "app_start.json"


def first_train_visit(page) -> tuple[float, float]:
    """Seconds from the click on Train to the first thing drawn in the page's body, and to its title.

    The first page that needs torch imports it in the server (about a second warm, more cold),
    before the page draws anything; the spinner ``ui.boot`` shows then is the first feedback.
    """
    clicked = time.monotonic()
    page.get_by_role("link", name="Train", exact=True).first.click()
    feedback = None
    while time.monotonic() - clicked < 60:
        if feedback is None and page.locator('[data-testid="stMain"] [data-testid="stSpinner"]').count():
            feedback = time.monotonic() - clicked
        if page.get_by_role("heading", name="Train", exact=True).count():
            done = time.monotonic() - clicked
            return (feedback if feedback is not None else done), done
        page.wait_for_timeout(20)
    raise RuntimeError("the Train page did not render within 60 s")


def measure_once(browser) -> dict:
    from ui.launch import start_server, stop_server, wait_healthy

    started = time.monotonic()
    proc, url = start_server(Path(tempfile.mkdtemp()))
    try:
        if not wait_healthy(url):
            raise RuntimeError("the server did not become healthy")
        healthy = time.monotonic() - started
        page = browser.new_page()
        page.goto(url)
        page.get_by_role("button", name="Load the starter data and train").wait_for(timeout=60_000)
        rendered = time.monotonic() - started
        page.wait_for_timeout(2000)  # a person reads the Home page before clicking on
        first_feedback, train_rendered = first_train_visit(page)
        page.close()
        return {
            "server_healthy_s": round(healthy, 2),
            "first_page_rendered_s": round(rendered, 2),
            "train_first_feedback_s": round(first_feedback, 2),
            "train_rendered_s": round(train_rendered, 2),
        }
    finally:
        stop_server(proc)


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    from ui.launch import CHROMIUM, CHROMIUM_ARGS

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        runs = [measure_once(browser) for _ in range(args.repeat)]
        browser.close()
    result = {
        "runs": runs,
        "median_first_page_s": sorted(r["first_page_rendered_s"] for r in runs)[len(runs) // 2],
        "median_train_first_feedback_s": sorted(r["train_first_feedback_s"] for r in runs)[len(runs) // 2],
        "median_train_rendered_s": sorted(r["train_rendered_s"] for r in runs)[len(runs) // 2],
        "measured": time.strftime("%Y-%m-%d"),
    }
    OUT.write_text(json.dumps(result, indent=2))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
