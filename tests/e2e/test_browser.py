"""The dashboard in real headless Chromium against the real Streamlit server.

Also writes the screenshots in docs/screenshots/ that the README links to.
"""

from __future__ import annotations

import time

import pandas as pd

from tests.e2e.conftest import choose, screenshot, wait_idle


def loss_points(page) -> int:
    """Points in the first trace of the first plotly chart on the page (the loss curve)."""
    return page.evaluate(
        "() => { const p = document.querySelector('.js-plotly-plot');"
        " return p && p.data && p.data.length ? p.data[0].x.length : 0 }"
    )


def test_quickstart_live_training_stop_and_evaluate(server, page):
    from urllib.parse import urlparse

    outside: list[str] = []  # nothing may be fetched from outside the studio's own server
    local = urlparse(server).netloc
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith(("data:", "blob:")) or urlparse(request.url).netloc == local
            else outside.append(request.url)
        ),
    )
    started = time.monotonic()
    page.goto(server)
    page.get_by_role("heading", name="Encoder Studio").wait_for()
    first_render = time.monotonic() - started
    screenshot(page, "home")
    page.get_by_role("button", name="Load the starter data and train").click()
    page.wait_for_url("**/train**")
    page.get_by_text("Done in").wait_for(timeout=90_000)
    assert first_render < 15
    screenshot(page, "train-done", page.get_by_role("heading", name="Train"))

    # a longer run: watch the curve grow, then stop it
    page.get_by_text("New run").click()
    choose(page, "Encoder", "Transformer")
    page.get_by_role("combobox", name="Preset").wait_for()  # the transformer's form is drawn
    page.wait_for_function("() => document.querySelectorAll('input[aria-label=\"Epochs\"]').length === 1")
    wait_idle(page)
    epochs = page.get_by_role("spinbutton", name="epochs")
    epochs.fill("60")
    epochs.press("Enter")
    wait_idle(page)
    # the form still shows the Transformer's settings (a box that flipped back to the bag of words would train
    # the quickstart's model again)
    assert "Transformer" in page.get_by_role("combobox", name="Encoder").input_value()
    # exact: the "same settings" note, drawn while the form showed the quickstart's settings, names this expander
    page.get_by_text("Advanced training settings", exact=True).click()  # no early stop: the run must still be going
    patience = page.get_by_role("spinbutton", name="patience")
    patience.fill("0")
    patience.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Stop").wait_for(timeout=60_000)
    # the form folds once the run is queued: the page stayed scrolled down at the open form, the run's
    # progress out of view above it
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stExpander"] details')].some(
            d => d.querySelector('summary').innerText.includes('New run') && !d.open)""",
        timeout=15_000,
    )
    page.wait_for_function(
        "() => { const p = document.querySelector('.js-plotly-plot'); return p && p.data && p.data[0].x.length >= 2 }",
        timeout=60_000,
    )
    before = loss_points(page)
    page.wait_for_function(
        f"() => {{ const p = document.querySelector('.js-plotly-plot'); return p && p.data && p.data[0].x.length > {before} }}",
        timeout=90_000,
    )
    assert loss_points(page) > before  # the live chart moved
    screenshot(page, "train-live", page.get_by_role("heading", name="Train"))
    # Stop sits at the content's right edge, beside the run's name: left in its column, it floated at three
    # quarters of the width at 1280 px
    box = page.get_by_role("button", name="Stop").bounding_box()
    edge = page.evaluate(
        """() => {
            const main = document.querySelector('[data-testid="stMainBlockContainer"]');
            return main.getBoundingClientRect().right - parseFloat(getComputedStyle(main).paddingRight);
        }"""
    )
    gap = edge - (box["x"] + box["width"])
    assert abs(gap) <= 4, gap
    page.get_by_role("button", name="Stop").click()
    # feedback within seconds of the click: a disabled "Stopping…", or already "Stopped" when
    # the worker answered first (then the "Stopping…" state lasted less than a redraw)
    stopping = page.get_by_role("button", name="Stopping…")
    stopped = page.get_by_text("Stopped. The checkpoint is kept")
    stopping.or_(stopped).first.wait_for(timeout=5_000)
    assert page.evaluate(
        "() => [...document.querySelectorAll('button')].filter(b => b.innerText.includes('Stopping'))"
        ".every(b => b.disabled)"
    )  # no second click on a run already stopping
    page.get_by_text("Stopped. The checkpoint is kept").wait_for(timeout=60_000)
    assert page.get_by_role("button", name="Resume").is_visible()
    page.wait_for_timeout(1000)  # the page redraws once the run has ended; let that finish
    wait_idle(page)

    # evaluating the stopped checkpoint is a separate, visible step, in a worker
    page.get_by_role("button", name="Evaluate this checkpoint").click()
    page.get_by_text("The checkpoint as it stands").wait_for(timeout=120_000)
    page.get_by_role("link", name="Evaluate").first.click()
    page.wait_for_url("**/evaluate**")
    page.get_by_text("Confusion matrix").first.wait_for(timeout=30_000)
    wait_idle(page)
    # a click on a cell of the matrix picks that cell below (row: true class, column: predicted)
    page.evaluate(  # the mouse clicks in the viewport: bring the matrix into it first
        """() => [...document.querySelectorAll('.js-plotly-plot')]
              .find(p => p.layout && p.layout.title && String(p.layout.title.text).includes('Confusion'))
              .scrollIntoView({block: 'center'})"""
    )
    page.wait_for_timeout(300)
    where = page.evaluate(
        """() => { const p = [...document.querySelectorAll('.js-plotly-plot')]
              .find(p => p.layout && p.layout.title && String(p.layout.title.text).includes('Confusion'));
            const xa = p._fullLayout.xaxis, ya = p._fullLayout.yaxis, box = p.getBoundingClientRect();
            return {x: box.left + xa._offset + xa.l2p(0), y: box.top + ya._offset + ya.l2p(2),
                    true_label: ya._categories[2], pred_label: xa._categories[0]} }"""
    )
    page.mouse.click(where["x"], where["y"])
    wait_idle(page)
    true_box = page.get_by_role("combobox", name="True class")
    pred_box = page.get_by_role("combobox", name="Predicted class")
    page.wait_for_function(
        "([t, p]) => { const v = [...document.querySelectorAll('[data-testid=stSelectbox] input')].map(i => i.value);"
        " return v.includes(t) && v.includes(p) }",
        arg=[where["true_label"], where["pred_label"]],
        timeout=15_000,
    )
    assert (true_box.input_value(), pred_box.input_value()) == (where["true_label"], where["pred_label"])
    assert outside == [], f"requests left the studio's server: {outside[:5]}"
    heat = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot')].some(p => p.data && p.data[0].type === 'heatmap')"
    )
    assert heat
    assert page.locator('[data-testid="stMetricDelta"]').first.is_visible()  # points against the baseline
    screenshot(page, "evaluate", page.get_by_role("heading", name="Evaluate"))


def test_upload_gbk_csv_shows_detected_encoding(server, page, tmp_path):
    rows = [(f"第{i}条评论，质量很好，非常满意", "好评") for i in range(15)] + [
        (f"第{i}条评论，质量太差，很失望", "差评") for i in range(15)
    ]
    path = tmp_path / "reviews-gbk.csv"
    pd.DataFrame(rows, columns=["评论", "标签"]).to_csv(path, index=False, encoding="gbk")
    page.goto(f"{server}/data")
    page.get_by_role("tab", name="Upload a file").click()
    page.locator('input[type="file"]').set_input_files(str(path))
    page.get_by_text("GB18030").first.wait_for(timeout=30_000)
    assert page.get_by_text("Read as CSV, encoding GB18030 (Simplified Chinese, includes GBK)").first.is_visible()
    page.get_by_text("Health report").wait_for()
    # the rest of the page (charts, tokenisation preview) renders after the report: wait, then check
    save = page.get_by_role("button", name="Save dataset")
    save.wait_for(timeout=30_000)
    assert save.is_visible() and save.is_enabled()
    screenshot(page, "data-upload", page.get_by_text("Health report"))


def test_upload_single_class_shows_the_error(server, page, tmp_path):
    path = tmp_path / "one-class.csv"
    path.write_text("text,label\ngreat phone,pos\nlovely screen,pos\nfast delivery,pos\n")
    page.goto(f"{server}/data")
    page.get_by_role("tab", name="Upload a file").click()
    page.locator('input[type="file"]').set_input_files(str(path))
    page.get_by_text("only 1 usable class").first.wait_for(timeout=30_000)
    assert page.get_by_text("a classifier needs at least two").first.is_visible()
    assert page.get_by_role("button", name="Save dataset").count() == 0
    screenshot(page, "data-error", page.get_by_text("Health report"))


def test_a_twin_name_is_flagged_and_the_second_twin_stays_picked(server, page, tmp_path):
    """Of two datasets named alike the picker kept the first (Streamlit keeps a choice by its shown
    label): picking the second switched back, and Delete then named the first."""
    import re
    from urllib.parse import parse_qs, urlparse

    def upload(name: str, classes: tuple[str, str]) -> None:
        path = tmp_path / name
        rows = [(f"{c} text number {i}", c) for c in classes for i in range(12)]
        pd.DataFrame(rows, columns=["text", "label"]).to_csv(path, index=False)
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        for attempt in range(3):  # a rerun that replaces the upload box may swallow the file: hand it again
            wait_idle(page)
            page.locator('input[type="file"]').set_input_files(str(path))
            try:
                page.get_by_text(name).first.wait_for(timeout=10_000)
                break
            except PlaywrightTimeout:
                if attempt == 2:
                    raise
        wait_idle(page)
        page.get_by_role("button", name="Save dataset").wait_for(timeout=30_000)

    def active_dataset() -> str:
        return parse_qs(urlparse(page.url).query)["dataset"][0]

    page.goto(f"{server}/data")
    page.get_by_role("tab", name="Upload a file").click()
    upload("other.csv", ("体育", "科技"))
    name = page.get_by_role("textbox", name="Name", exact=True)
    name.fill("twins")
    name.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Save dataset").click()
    page.get_by_text("Saved twins").first.wait_for()
    wait_idle(page)
    first = active_dataset()
    assert not page.get_by_text("exists already").count()  # not the dataset this file was just saved as

    # a second dataset of that name, from a fresh page: the name is flagged, and saving keeps both
    page.goto(f"{server}/data")
    page.get_by_role("tab", name="Upload a file").click()
    upload("twins.csv", ("alpha", "beta"))
    page.get_by_text("exists already").first.wait_for()
    page.get_by_role("button", name="Save dataset").click()
    page.get_by_text("Saved twins").first.wait_for()
    second = active_dataset()
    assert second != first

    # any rerun (a tab click) keeps the second twin, and the picker tells the two apart
    page.get_by_role("tab", name="Stored datasets").click()
    wait_idle(page)
    page.wait_for_timeout(500)
    assert active_dataset() == second
    shown = (
        page.get_by_role("combobox", name="Dataset").input_value()
        or page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.inner_text()
    )
    assert re.search(rf"twins · 24 rows · {second[-4:]}", shown), shown
