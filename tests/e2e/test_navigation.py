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
