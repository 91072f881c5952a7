"""Search, "more like this" and the before/after maps of a fine-tuned run, in a real browser.

The runs are trained here before the server starts (a bow_mlp, and a tiny Transformer pretrained
on the starter texts, then fine-tuned): the pages are what is tested, not training.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import running_server, screenshot, wait_idle

RESULT = re.compile(r"^-?\d\.\d{3} · ")


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    """A server on a home with three runs on the starter set; yields (url, run ids)."""
    from core.training.runner import RunConfig, train_run
    from tests.conftest import studio_env

    home = tmp_path_factory.mktemp("search-studio")
    with studio_env(home):
        mlp = train_run(RunConfig.create("starter", "bow_mlp", train_overrides={"epochs": 4, "threads": 1}))
        pre = train_run(
            RunConfig.create(
                "starter",
                "transformer",
                {"preset": "tiny", "max_len": 32},
                {"epochs": 2, "threads": 1},
                task="pretrain",
            )
        )
        tuned = train_run(
            RunConfig.create("starter", train_overrides={"epochs": 3, "threads": 1}, task="finetune", source_run=pre.id)
        )
    with running_server(home) as url:
        yield url, {"mlp": mlp.id, "pre": pre.id, "tuned": tuned.id}


def result_labels(page) -> list[str]:
    """The label of each result on the Search page, from its header line ("0.812 · sports · zh · #12")."""
    heads = page.locator('[data-testid="stMarkdownContainer"] p').all_inner_texts()
    return [h.split(" · ")[1] for h in heads if RESULT.match(h)]


def ask(page, query: str) -> list[str]:
    box = page.get_by_role("textbox", name="Query (Chinese or English)")
    box.fill(query)
    box.press("Enter")
    page.wait_for_timeout(500)
    wait_idle(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stMarkdownContainer\"] p')]"
        ".filter(p => /^-?\\d\\.\\d{3} · /.test(p.innerText)).length >= 10",
        timeout=60_000,
    )
    return result_labels(page)


def test_search_both_languages_and_more_like_this_from_a_mistake(studio, page):
    url, runs = studio
    page.goto(f"{url}/search?dataset=starter&run={runs['mlp']}")
    page.get_by_role("button", name=re.compile("Build the search index")).click()
    box = page.get_by_role("textbox", name="Query (Chinese or English)")
    box.wait_for(timeout=120_000)  # the index is built by a worker process, with its progress shown
    labels = ask(page, "足球比赛")
    assert len(labels) == 10 and labels.count("sports") >= 6, labels
    assert page.locator("strong", has_text="足").first.is_visible()  # the matched characters in bold
    screenshot(page, "search", page.get_by_role("heading", name="Search"))
    labels = ask(page, "the new phone has a faster chip")
    assert labels.count("technology") >= 6, labels

    # Evaluate: the most confident mistake, then "more like this" opens Search on it: a text of the collection,
    # asked about as Search's own "More like #N" asks, the query box left empty
    page.goto(f"{url}/evaluate?dataset=starter&run={runs['mlp']}")
    page.get_by_role("button", name="Find similar texts").click()
    page.get_by_role("heading", name="Search").wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_text(re.compile(r"^More like #\d+: ")).first.wait_for(timeout=60_000)
    assert page.get_by_role("textbox", name="Query (Chinese or English)").input_value() == ""
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stMarkdownContainer\"] p')]"
        ".filter(p => /^-?\\d\\.\\d{3} · /.test(p.innerText)).length >= 10",
        timeout=60_000,
    )


def test_the_aligned_maps_of_a_fine_tuned_run_and_more_like_these(studio, page):
    url, runs = studio
    page.goto(f"{url}/embeddings?dataset=starter&run={runs['tuned']}")
    page.get_by_text("Before and after fine-tuning").click()
    # the source encoder embeds the texts and both maps are fitted in a worker (UMAP, compiled once)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')].filter(p => p.data && p.data.length >= 4).length >= 2",
        timeout=240_000,
    )
    wait_idle(page)
    sizes = page.evaluate(
        "() => [...document.querySelectorAll('.js-plotly-plot')].map(p => p.data.reduce((n, d) => n + d.x.length, 0))"
    )
    assert len(sizes) == 2 and sizes[0] == sizes[1] > 100, sizes  # the same texts before and after
    # the runs by their short names (the encoder, and the end of the id where two share it), not 30-character ids
    before = page.get_by_text(re.compile(r"^Before: the encoder of run (?!.*" + re.escape(runs["pre"]) + r").+, which"))
    assert before.is_visible()
    metrics = page.locator('[data-testid="stMetric"]').all_inner_texts()
    assert any("k-NN accuracy" in m and "→" in m for m in metrics), metrics
    page.mouse.move(5, 5)  # no tooltip in the picture
    screenshot(page, "before-after", page.get_by_text("Before and after fine-tuning"))

    page.get_by_text("movement lines").click()
    page.wait_for_function(
        "() => { const p = document.querySelector('.js-plotly-plot'); return p && p.data && p.data[1].mode === 'lines' }",
        timeout=60_000,
    )
    wait_idle(page)
    screenshot(page, "before-after-lines", page.get_by_text("Before and after fine-tuning"))

    page.get_by_text("animation").click()
    page.wait_for_function(
        "() => { const p = document.querySelector('.js-plotly-plot'); return p && p._transitionData"
        " && p._transitionData._frames && p._transitionData._frames.length === 13 }",
        timeout=60_000,
    )
    page.get_by_text("▶ Play").click()  # plotly's own button: it plays in the browser
    page.wait_for_function(
        "() => document.querySelector('.js-plotly-plot').layout.sliders[0].active === 12", timeout=30_000
    )

    # a box drawn on the after map selects texts; "More like these" opens Search with them
    page.get_by_text("side by side").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')].filter(p => p.data && p.data.length >= 4).length >= 2",
        timeout=60_000,
    )
    wait_idle(page)
    plot = page.locator(".js-plotly-plot").nth(1)
    plot.hover()
    plot.locator('[data-title="Box Select"]').click()
    area = plot.locator(".nsewdrag").first.bounding_box()
    page.mouse.move(area["x"] + area["width"] * 0.3, area["y"] + area["height"] * 0.3)
    page.mouse.down()
    page.mouse.move(area["x"] + area["width"] * 0.7, area["y"] + area["height"] * 0.7, steps=10)
    page.mouse.up()
    # the selection is echoed on the before map: the same texts, where they were
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot')[0].data.some(d => d.selectedpoints && d.selectedpoints.length)",
        timeout=60_000,
    )
    page.get_by_role("button", name="More like these").click(timeout=60_000)
    page.get_by_role("heading", name="Search").wait_for(timeout=60_000)
    page.get_by_text(re.compile(r"More like the \d+ texts selected on the map")).wait_for(timeout=60_000)
    # the fine-tuned run has no index yet: the texts handed over start its build, no second click
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stMarkdownContainer\"] p')]"
        ".filter(p => /^-?\\d\\.\\d{3} · /.test(p.innerText)).length >= 10",
        timeout=120_000,
    )
