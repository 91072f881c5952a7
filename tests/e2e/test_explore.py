"""Embeddings, Playground and Compare in a real browser, on BBC News with a trained bow_mlp."""

from __future__ import annotations

import time

from tests.e2e.conftest import screenshot, wait_idle


def test_bbc_map_playground_and_compare(server, page):
    # load BBC and train the default encoder (the TF-IDF baseline is queued beside it)
    page.goto(f"{server}/data")
    page.get_by_role("button", name="Load").nth(1).click()  # starter, bbc, zh_reviews: the second is BBC
    page.get_by_text("Active dataset: BBC News").wait_for(timeout=60_000)
    page.goto(f"{server}/train?dataset=bbc")
    page.get_by_role("button", name="Start").click()
    page.get_by_text("Done in").wait_for(timeout=240_000)

    # Embeddings: the UMAP map of the run, five topic colours
    page.get_by_role("link", name="Embeddings").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')].some(p => p.data && p.data.length >= 5)",
        timeout=180_000,
    )
    traces = page.evaluate("() => document.querySelector('.js-plotly-plot').data.map(d => [d.name, d.x.length])")
    assert sorted(name for name, _ in traces) == ["business", "entertainment", "politics", "sports", "tech"]
    assert 0 < sum(n for _, n in traces) < 2125  # by default only the held-out articles
    # wait, not a snapshot: the caption is redrawn while the UMAP worker reports progress
    page.get_by_text("all 638 held-out texts of the run (validation + test)").wait_for(timeout=30_000)
    page.get_by_text("all (training texts too)").click()
    page.wait_for_function(
        "() => { const p = document.querySelector('.js-plotly-plot');"
        " return p && p.data && p.data.reduce((n, d) => n + d.x.length, 0) === 2125 }",
        timeout=60_000,
    )  # every distinct article
    time.sleep(1)
    screenshot(page, "embeddings-bbc", page.get_by_role("heading", name="Embeddings"))

    # Playground: a sentence, its probabilities and its nearest neighbours
    page.get_by_role("link", name="Playground").click()
    box = page.get_by_role("textbox", name="Text (Chinese or English)")
    box.fill("")
    box.press_sequentially("The prime minister faces a vote in parliament over the new tax plans", delay=20)
    # no Enter: the page answers once typing pauses
    page.get_by_text("politics ·").first.wait_for(timeout=60_000)
    page.get_by_text("Nearest training texts").wait_for()
    wait_idle(page)
    assert page.get_by_text("answered in").first.is_visible()
    screenshot(page, "playground", page.get_by_role("heading", name="Playground"))

    # Compare: the leaderboard and the McNemar test between the two runs
    page.get_by_role("link", name="Compare").click()
    page.get_by_text("McNemar p-value").wait_for(timeout=60_000)
    assert page.get_by_text("Head to head").first.is_visible()
    screenshot(page, "compare", page.get_by_role("heading", name="Compare"))
