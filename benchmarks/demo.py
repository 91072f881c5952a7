"""The one-click demo path in a real browser, timed: Home → trained model → UMAP map → a typed answer.

    python -m benchmarks.demo [--repeat 1]

Each repeat starts ``streamlit run app.py`` on a fresh studio home with an empty numba cache
(the worst case: UMAP must compile) and writes the breakdown to benchmarks/results/demo.json.
The browser test ``tests/e2e/test_demo.py`` runs the same path and holds it to 60 s.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "demo.json"
SENTENCES = {"en": "The striker scored twice in the second half", "zh": "这款新手机的芯片更快，续航也更长"}
SENTENCE = SENTENCES["en"]


def say(text: str, lang: str) -> str:
    """What the UI shows for ``text`` in ``lang``, cut before the first placeholder (a fixed prefix)."""
    if lang == "zh":
        from ui.locales.zh import STRINGS

        text = STRINGS[text]
    return text.split("{", 1)[0].strip()


def umap_drawn(lang: str) -> str:
    """JS: a plotly map whose title does not say it is the PCA stand-in, i.e. the UMAP is drawn."""
    template = "{title} · PCA while UMAP is computed"
    if lang == "zh":
        from ui.locales.zh import STRINGS

        template = STRINGS[template]
    marker = template.split("}", 1)[1].strip(" ·").replace("'", "")
    return (
        "() => [...document.querySelectorAll('.js-plotly-plot')].some(p => p.data && p.data.length >= 2"
        f" && p.layout && p.layout.title && !String(p.layout.title.text || '').includes('{marker}'))"
    )


UMAP_DRAWN = umap_drawn("en")


def demo_path(page, url: str, timeout_ms: int = 180_000, lang: str = "en") -> dict:
    """Walk the demo from an open Home page; returns seconds per step and in total (from the click).

    ``lang`` is the UI language the walk expects (the page follows the browser's, or ``?lang=``).
    """
    page.goto(url)
    button = page.get_by_role("button", name=say("Load the starter data and train", lang))
    button.wait_for(timeout=60_000)
    marks = {}
    started = time.monotonic()
    button.click()
    page.get_by_text(say("Done in {duration}: test accuracy {accuracy}, macro-F1 {macro_f1}.", lang)).first.wait_for(
        timeout=timeout_ms
    )
    marks["trained_s"] = time.monotonic() - started
    page.get_by_role("link", name=say("Embeddings", lang)).first.click()
    page.wait_for_url("**/embeddings**")
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot').length > 0", timeout=timeout_ms
    )  # the first map (PCA or UMAP) on screen
    marks["first_map_s"] = time.monotonic() - started
    page.wait_for_function(umap_drawn(lang), timeout=timeout_ms)
    marks["umap_map_s"] = time.monotonic() - started
    page.get_by_role("link", name=say("Playground", lang)).first.click()
    page.wait_for_url("**/playground**")
    label = say("Text (Chinese or English)", lang)
    box = page.get_by_role("textbox", name=label)
    box.wait_for(timeout=timeout_ms)
    box.fill("")
    sentence = SENTENCES[lang]
    box.press_sequentially(sentence, delay=10)
    page.get_by_text(
        say("answered in {ms:.0f} ms (prediction and {variants} leave-one-out variant(s))", lang)
    ).first.wait_for(timeout=timeout_ms)
    page.wait_for_function(f"() => document.querySelector('input[aria-label=\"{label}\"]').value === {sentence!r}")
    marks["answered_s"] = time.monotonic() - started
    steps = {
        "train (click to 'Done in')": marks["trained_s"],
        "to the first map on Embeddings": marks["first_map_s"] - marks["trained_s"],
        "to the UMAP map": marks["umap_map_s"] - marks["first_map_s"],
        "Playground answer (typing included)": marks["answered_s"] - marks["umap_map_s"],
    }
    return {
        "total_s": round(marks["answered_s"], 2),
        "marks": {k: round(v, 2) for k, v in marks.items()},
        "steps": {k: round(v, 2) for k, v in steps.items()},
    }


def trained_models(home: Path, wait_s: float = 120.0) -> dict:
    """Test accuracy and training time of the demo's run and of the baseline trained beside it."""
    deadline = time.monotonic() + wait_s
    out: dict = {}
    while time.monotonic() < deadline:
        out = {}
        for folder in sorted((home / "runs").glob("*")):
            config = json.loads((folder / "config.json").read_text())
            status = json.loads((folder / "status.json").read_text())
            report = json.loads((folder / "eval.json").read_text()) if (folder / "eval.json").is_file() else {}
            out[config["encoder"]] = {
                "state": status.get("state"),
                "train_seconds": status.get("train_seconds"),
                "test_accuracy": report.get("accuracy"),
                "n_test": report.get("n"),
            }
        if len(out) >= 2 and all(m["test_accuracy"] is not None for m in out.values()):
            break  # the baseline is queued after the demo's run: wait for its score too
        time.sleep(2)
    return out


def measure_once(browser) -> dict:
    from tests.conftest import kill_workers
    from ui.launch import start_server, stop_server, wait_healthy

    home = Path(tempfile.mkdtemp())
    proc, url = start_server(home, NUMBA_CACHE_DIR=str(home / "numba"))
    try:
        if not wait_healthy(url):
            raise RuntimeError("the server did not become healthy")
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        result = demo_path(page, url)
        page.close()
        result["models"] = trained_models(home)
        return result
    finally:
        stop_server(proc)
        kill_workers(home)


def main(argv: list[str] | None = None) -> int:
    import os

    from playwright.sync_api import sync_playwright

    from ui.launch import CHROMIUM, CHROMIUM_ARGS

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        runs = [measure_once(browser) for _ in range(args.repeat)]
        browser.close()
    result = {
        "runs": runs,
        "median_total_s": sorted(r["total_s"] for r in runs)[len(runs) // 2],
        "cores": len(os.sched_getaffinity(0)),
        "numba_cache": "empty (fresh studio home)",
        "measured": time.strftime("%Y-%m-%d"),
    }
    OUT.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
