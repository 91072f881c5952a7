"""Navigation in real Chromium: no auto-generated page listing at any moment, one history entry per visit."""

from __future__ import annotations

from tests.e2e.conftest import wait_idle

# Recorded from the very first paint: a MutationObserver set up before any page script runs.
WATCH_SIDEBAR = """
window.__autoNav = [];
new MutationObserver(() => {
  const nav = document.querySelector('[data-testid="stSidebarNav"]');
  if (nav && !window.__autoNav.length) window.__autoNav.push(nav.innerText);
}).observe(document, {subtree: true, childList: true});
"""


def test_a_fresh_server_never_shows_its_own_page_listing(server, page):
    # the module's server is fresh, and its first request is a deep link: Streamlit would run
    # pages/data.py by itself (no sidebar, no wide layout) until app.py had run once
    page.add_init_script(WATCH_SIDEBAR)
    page.goto(f"{server}/data")
    page.get_by_role("heading", name="Data").wait_for()
    wait_idle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("link", name="Train").wait_for(timeout=15_000)
    page.goto(server)
    page.get_by_role("heading", name="Encoder Studio").wait_for()
    wait_idle(page)
    # a full page load paints the sidebar after the page body (seen late on a loaded CI machine)
    sidebar.get_by_role("link", name="Compare").wait_for(timeout=15_000)
    for title in ("Home", "Data", "Train", "Evaluate", "Embeddings", "Playground", "Compare"):
        assert sidebar.get_by_role("link", name=title).is_visible()
    assert page.evaluate("window.__autoNav") == []  # Streamlit's own listing never appeared
    page.reload()
    wait_idle(page)
    assert page.evaluate("window.__autoNav") == []


def test_each_page_visit_is_one_history_entry_and_back_returns(server, page):
    page.goto(server)
    page.get_by_role("heading", name="Encoder Studio").wait_for()
    wait_idle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("link", name="Data").click()
    page.get_by_role("heading", name="Data").wait_for()
    wait_idle(page)
    page.get_by_role("button", name="Load").first.click()  # the starter: an active dataset in the URL
    page.wait_for_url("**dataset=starter**", timeout=60_000)
    wait_idle(page)
    page.wait_for_timeout(500)  # the Load's own late writes land before counting starts, as after each visit
    # a projector's 768 px: the presenter switch was below the fold of the sidebar, under the pickers
    page.set_viewport_size({"width": 1366, "height": 768})
    toggle = sidebar.get_by_text("Presenter mode").bounding_box()
    assert toggle and toggle["y"] + toggle["height"] <= 768, toggle
    start = page.evaluate("history.length")
    lengths = []
    for title in ("Train", "Evaluate", "Compare"):
        sidebar.get_by_role("link", name=title).click()
        page.get_by_role("heading", name=title).wait_for()
        wait_idle(page)
        page.wait_for_timeout(500)  # any late query-parameter write would add its entry now
        assert "dataset=starter" in page.url
        lengths.append((title, page.evaluate("history.length") - start, page.url))
    assert lengths[-1][1] == 3, lengths  # one entry per visit, not three; which visit added more, if any
    page.go_back()
    page.get_by_role("heading", name="Evaluate").wait_for()
    page.go_back()
    page.get_by_role("heading", name="Train").wait_for()


NEW_RUN_OPEN = """() => {
  for (const e of document.querySelectorAll('[data-testid="stExpander"]')) {
    const summary = e.querySelector('summary');
    if (summary && summary.innerText.includes('New run')) return e.querySelector('details').open;
  }
  return null;
}"""


def test_an_open_new_run_form_stays_open_when_a_run_starts_elsewhere(tmp_path, page, monkeypatch):
    """A run started elsewhere puts a banner above the form on the next rerun; the form must not fold shut."""
    import subprocess
    import sys
    import time

    from core.registry import DatasetStore, RunStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config
    from tests.e2e.conftest import ROOT, running_server

    home = tmp_path / "studio"
    home.mkdir()
    monkeypatch.setenv("ENCODER_STUDIO_HOME", str(home))
    DatasetStore().ensure_builtin("starter")
    train_run(tiny_config("starter", "bow_mlp"))  # the page opens on this finished run, the form folded
    with running_server(home) as url:
        page.goto(f"{url}/train?dataset=starter")
        page.locator("summary").filter(has_text="New run").wait_for()
        wait_idle(page)
        if not page.evaluate(NEW_RUN_OPEN):  # open on a studio with no active run; opened by hand otherwise
            page.locator("summary").filter(has_text="New run").click()
        assert page.evaluate(NEW_RUN_OPEN) is True
        # the RBF network on one thread trains for a minute or two: running while the user works on the form
        cli = [sys.executable, "-m", "core", "train", "--dataset", "starter", "--encoder", "rbf"]
        trainer = subprocess.Popen([*cli, "--threads", "1", "--quiet"], cwd=ROOT, stdout=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 90
            while not any(r.status().get("state") == "running" for r in RunStore().list()):
                assert time.monotonic() < deadline and trainer.poll() is None, "the CLI run never started"
                time.sleep(0.5)
            form = page.locator('[data-testid="stExpander"]').filter(has_text="New run")
            form.get_by_role("radio").nth(1).click(force=True)  # a rerun: the banner appears above
            page.get_by_text("is training now").wait_for()
            wait_idle(page)
            assert page.evaluate(NEW_RUN_OPEN) is True
        finally:
            trainer.kill()
            trainer.wait()


def test_a_run_deleted_elsewhere_while_the_train_page_polls_is_no_traceback(tmp_path, page, monkeypatch):
    """The live runs table polled with the runs of its last full draw: one deleted in another tab (or
    from the CLI) raised "has no config.json" in a box that stayed, polled for ever."""
    import time

    from core.registry import DatasetStore, RunStore
    from core.training.runner import RunConfig, start_run, train_run
    from tests.conftest import tiny_config
    from tests.e2e.conftest import running_server

    home = tmp_path / "studio"
    home.mkdir()
    monkeypatch.setenv("ENCODER_STUDIO_HOME", str(home))
    DatasetStore().ensure_builtin("starter")
    shown = train_run(tiny_config("starter", "bow_mlp"))
    doomed = train_run(RunConfig.create("starter", "baseline"))
    start_run(tiny_config("starter", "bow_mlp", epochs=3))  # queued, no worker: the runs table stays live
    with running_server(home) as url:
        page.goto(f"{url}/train?dataset=starter&run={shown.id}")
        page.get_by_text("Runs on this dataset").wait_for(timeout=60_000)
        wait_idle(page)
        RunStore().delete(doomed.id)
        time.sleep(4 * 2.0 + 2)  # two ticks of the table (every 2 × STATUS_EVERY_S)
        wait_idle(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_text("Runs on this dataset").is_visible()


def test_the_keyboard_focus_is_drawn_on_the_sidebar_links(server, page):
    """Tabbing through the sidebar, a focused link had the grey of the current page and no outline: two
    links looked alike, and a keyboard user could not tell which one Enter would open."""
    page.goto(server)
    page.get_by_role("heading", name="Encoder Studio").wait_for()
    wait_idle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    link = sidebar.get_by_role("link", name="Data")
    link.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")  # focus reached by the keyboard, as :focus-visible asks
    style = link.evaluate("el => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }")
    assert style[0] == "solid" and float(style[1].rstrip("px")) >= 2, style
