"""A phone in real Chromium: a one-finger swipe that starts on a chart scrolls the page.

Plotly takes every drag on a chart for itself, so on a phone a swipe over a chart zoomed it
(or drew the map's lasso) and a page of charts could hardly be scrolled. The finger here is
Chromium's own touch input (DevTools ``Input.dispatchTouchEvent``), the page an emulated iPhone.
"""

from __future__ import annotations

from tests.e2e.conftest import wait_idle

IPHONE = dict(
    user_agent=(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.0 Mobile/15E148 Safari/604.1"
    ),
    viewport={"width": 390, "height": 664},
    device_scale_factor=3,
    is_mobile=True,
    has_touch=True,
)
SCROLL_TOP = "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop"
DRAG_MODES = "() => [...document.querySelectorAll('.js-plotly-plot')].map(e => e._fullLayout.dragmode)"


def open_data_page(page, server: str) -> None:
    """The Data page on the starter set, its class chart drawn."""
    page.goto(f"{server}/data")
    page.get_by_role("heading", name="Data", exact=True).wait_for()
    wait_idle(page)
    if "dataset=" not in page.url:
        page.get_by_role("button", name="Load").first.click()
        page.wait_for_url("**dataset=starter**", timeout=60_000)
        wait_idle(page)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    page.wait_for_timeout(500)


def swipe(page, x: float, y: float, distance: float) -> None:
    """One finger down at (x, y), moved ``distance`` px down in small steps, and lifted."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 7):
        cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y + distance * step / 6}]}
        )
        page.wait_for_timeout(30)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(600)


def test_a_swipe_over_a_chart_scrolls_the_page_on_a_phone_and_a_desk_chart_still_zooms(server, browser, page):
    open_data_page(page, server)  # a desk browser first: its charts keep their zoom box
    assert all(mode == "zoom" for mode in page.evaluate(DRAG_MODES)), page.evaluate(DRAG_MODES)

    context = browser.new_context(**IPHONE)
    try:
        phone = context.new_page()
        phone.set_default_timeout(30_000)
        open_data_page(phone, server)
        assert phone.evaluate(DRAG_MODES) and not any(phone.evaluate(DRAG_MODES)), phone.evaluate(DRAG_MODES)
        # the toolbar, always shown on a touch screen, stands down the right edge: across the top it hid titles
        bars = phone.evaluate(
            "() => [...document.querySelectorAll('.js-plotly-plot')].map(e => e._fullLayout.modebar.orientation)"
        )
        assert bars and set(bars) == {"v"}, bars
        chart = phone.locator(".js-plotly-plot").first
        chart.scroll_into_view_if_needed()
        phone.wait_for_timeout(300)
        box = chart.bounding_box()
        before = phone.evaluate(SCROLL_TOP)
        assert before > 200, before  # the chart is below the fold: there is room to scroll back up
        # a finger drawn 150 px down the middle of the chart: the page scrolls up by about that
        swipe(phone, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 - 40, 150)
        after = phone.evaluate(SCROLL_TOP)
        assert before - after > 60, (before, after)
    finally:
        context.close()


def test_on_a_phone_the_map_and_the_confusion_matrix_let_the_page_scroll(tmp_path, browser, monkeypatch):
    """Streamlit turns dragging back on for a chart that takes selections, so on a phone the map and
    the matrix are drawn without them: no drag mode, and the map says how to read a point instead."""
    from core.registry import DatasetStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config
    from tests.e2e.conftest import running_server

    home = tmp_path / "studio"
    home.mkdir()
    monkeypatch.setenv("ENCODER_STUDIO_HOME", str(home))
    DatasetStore().ensure_builtin("starter")
    run = train_run(tiny_config("starter", "bow_mlp"))
    context = browser.new_context(**IPHONE)
    try:
        phone = context.new_page()
        phone.set_default_timeout(60_000)
        with running_server(home, NUMBA_CACHE_DIR=str(home / "numba")) as url:
            phone.goto(f"{url}/evaluate?dataset=starter&run={run.id}")
            phone.get_by_text("Confusion matrix").first.wait_for()
            phone.wait_for_function(
                "() => [...document.querySelectorAll('.js-plotly-plot')].some(p => p.data && p.data[0].type === 'heatmap')"
            )
            wait_idle(phone)
            modes = phone.evaluate(DRAG_MODES)
            assert modes and not any(modes), modes  # the matrix too ("pan" when drawn to take selections)
            phone.get_by_text("Test texts labelled").first.wait_for()
            assert phone.get_by_text("or click a cell of the matrix above").count() == 0  # it takes no taps

            # the PCA map is drawn at once, while the UMAP is computed in a worker
            phone.goto(f"{url}/embeddings?dataset=starter&run={run.id}")
            phone.wait_for_function(
                "() => [...document.querySelectorAll('.js-plotly-plot')].some(p => p.data && p.data.length >= 4)"
            )
            phone.get_by_text("Tap a point to read its text.").wait_for()
            legend = "() => [...document.querySelectorAll('.js-plotly-plot')].find(p => p.data && p.data.length >= 4)._fullLayout.legend.orientation"
            assert phone.evaluate(legend) == "h"  # beneath the map: beside it, it took a third of a phone's width
            modes = phone.evaluate(DRAG_MODES)
            assert modes and not any(modes), modes  # the map was "pan" here: a swipe moved it
    finally:
        context.close()
