"""The one-click demo on a fresh studio home with an empty numba cache, in a real browser, within 60 s."""

from __future__ import annotations

import json

import pytest

from benchmarks.demo import demo_path
from tests.conftest import kill_workers
from tests.e2e.conftest import screenshot, wait_idle
from ui.launch import start_server, stop_server, wait_healthy

DEMO_BUDGET_S = 60.0  # issue 10: click to a typed sentence answered, the UMAP map drawn on the way


@pytest.fixture
def fresh_server(tmp_path):
    home = tmp_path / "studio"
    home.mkdir()
    with open(tmp_path / "server.log", "w") as log:
        proc, url = start_server(home, log, NUMBA_CACHE_DIR=str(home / "numba"))
        try:
            assert wait_healthy(url), (tmp_path / "server.log").read_text()
            yield url, home
        finally:
            stop_server(proc)
            kill_workers(home)


def test_one_click_demo_with_a_cold_umap_fits_in_a_minute(fresh_server, page):
    url, home = fresh_server
    assert not (home / "numba").exists() or not any((home / "numba").iterdir())
    result = demo_path(page, url, timeout_ms=int(DEMO_BUDGET_S * 1000 * 2))
    print("demo path:", json.dumps(result))
    # the map was computed by a worker process, not by the server
    jobs = [json.loads(p.read_text()) for p in home.glob("runs/*/jobs/project-*.json")]
    assert jobs and all(job["state"] == "done" for job in jobs)
    assert result["total_s"] <= DEMO_BUDGET_S, result
    # the README opens with these two: the answer in the Playground, then the map it lands on
    wait_idle(page)
    screenshot(page, "demo-playground", page.get_by_role("heading", name="Playground"))
    page.get_by_role("link", name="Embeddings").first.click()
    page.get_by_role("heading", name="Embeddings").wait_for()
    wait_idle(page)
    screenshot(page, "demo-map", page.get_by_role("heading", name="Embeddings"))
