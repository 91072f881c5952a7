"""End-to-end fixtures: the real Streamlit server on a free loopback port, real headless Chromium."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import kill_workers
from ui.launch import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server, wait_healthy

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"

if not Path(CHROMIUM).exists():
    pytest.skip("Debian chromium is not installed (.ci/run installs it)", allow_module_level=True)


@contextlib.contextmanager
def running_server(home: Path, **env: str):
    """``streamlit run app.py`` on ``home`` while the block runs; yields the base URL."""
    with open(home / "server.log", "w") as log:
        proc, url = start_server(home, log, **env)
        try:
            if not wait_healthy(url):
                raise RuntimeError("the Streamlit server did not become healthy:\n" + (home / "server.log").read_text())
            yield url
        finally:
            stop_server(proc)
            kill_workers(home)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A fresh server with its own studio home (and a cold numba cache); yields the base URL."""
    home = tmp_path_factory.mktemp("studio")
    with running_server(home, NUMBA_CACHE_DIR=str(home / "numba")) as url:
        yield url


def choose(page, label: str, option: str, tries: int = 4) -> None:
    """Pick ``option`` in the Streamlit selectbox labelled ``label`` and wait for the rerun.

    A rerun that lands while the list is open (a run finishing, a fragment tick) closes
    it and detaches the options, so the list is opened again, a few times at most.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    box = page.get_by_role("combobox", name=label)
    for attempt in range(tries):
        wait_idle(page)
        box.click()
        box.press("ArrowDown")  # opens the list of options
        try:
            page.get_by_role("option").filter(has_text=option).first.click(timeout=5_000)
            break
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise
            page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    wait_idle(page)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


SCRIPT_STATE = "document.querySelector('[data-testid=\"stApp\"]').getAttribute('data-test-script-state')"


def wait_idle(page, timeout: float = 30_000, start_within: float = 1_000) -> None:
    """Wait until Streamlit has run the script the last action asked for, and is idle again.

    The app's own attribute says whether a script runs. The status widget, read before, shows "Stop"
    while one runs, never "Running": this returned at once, and a click could land on a form that the
    pending rerun then drew anew. An action's rerun starts after a round trip to the server, so it is
    waited for first, briefly: it may have ended already, or the action asked for none.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(f"() => {SCRIPT_STATE} !== 'notRunning'", timeout=start_within)
    page.wait_for_function(f"() => ['notRunning', 'compilationError'].includes({SCRIPT_STATE})", timeout=timeout)


def screenshot(page, name: str, anchor=None) -> None:
    """Save the visible part of the main area, scrolled so ``anchor`` (a locator) is at the top."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if anchor is not None:
        anchor.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
    page.locator('[data-testid="stMain"]').screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def copy_fixture(name: str, dest: Path) -> Path:
    shutil.copy(Path(__file__).parent / name, dest)
    return dest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failed browser test, keep a screenshot and the visible text for the log."""
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and page is not None:
        path = Path(os.environ.get("E2E_FAILURES", "/tmp")) / f"e2e-failure-{item.name}.png"
        try:
            page.screenshot(path=str(path))
            text = page.locator('[data-testid="stMain"]').inner_text(timeout=2000)[:1500]
            report.sections.append(("browser", f"url: {page.url}\nscreenshot: {path}\n{text}"))
        except Exception as exc:  # the browser may be gone; the original failure is what matters
            report.sections.append(("browser", f"no screenshot: {exc}"))
