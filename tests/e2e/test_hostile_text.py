"""User text shown as text (issue 11, item 11), in a real browser on every page.

A dataset whose labels, name, id and some texts are markdown, KaTeX, colour directives, HTML
and plotly markup, with two runs trained on it (made through core before the server starts,
the UMAP map included, so no worker runs beside the pages). Each page is checked for markup
that fired (bold, KaTeX, coloured text, links, images, alert dialogs, bold plotly tspans) and
for the labels and names shown as typed.
"""

from __future__ import annotations

import contextlib
import os
import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import TINY_ENCODER, TINY_TRAIN
from tests.e2e.conftest import choose, running_server, wait_idle
from ui.safe_text import WORD_JOINER

LABELS = [
    "**bold**",
    "$x^2$",
    ":red[red]",
    "<b>html</b>",
    "<img src=x onerror=alert(1)>",
    "[link](http://example.com)",
    "&lt;i&gt; %{y}",
]
CLASSES = sorted(LABELS)  # the order a run keeps its classes in
# class axes cut a name past 20 characters (whole in the hover): the cut ones must stay plain text too
TICKS = [label if len(label) <= 20 else label[:19].rstrip() + "…" for label in CLASSES]
# what each label would turn into if it were read as markup: none of these may appear on its own
FIRED = {"bold", "html", "red", "link", "dsbold", "idbold", "tilted"}
DATASET_ID = "ds-__dsbold__-x"  # a valid id that markdown would still make bold
DATASET_NAME = "**Hostile** $data$ :red[set] <b>names</b> & co"
RUN_ID = "run-__idbold__-1"
WORDS = ["apple pear plum", "rocket orbit moon", "violin cello flute", "river lake ocean", "tiger lion puma"]
WORDS += ["copper iron zinc", "tulip rose lily"]
# path: (title, plotly charts at least)
PAGES = {"": ("Encoder Studio", 0), "data": ("Data", 2), "train": ("Train", 2), "evaluate": ("Evaluate", 3)}
PAGES |= {"embeddings": ("Embeddings", 1), "playground": ("Playground", 2), "compare": ("Compare", 3)}


def hostile_frame():
    import pandas as pd

    from core.data import SplitConfig, stratified_split

    rows = []
    for label, words in zip(LABELS, WORDS):
        for i in range(10):
            extra = ["**starry** night", "<i>tilted</i> text", "$y^3$ cost", ":blue[sky] view", "plain words"][i % 5]
            rows.append({"text": f"{words} {extra} number {i}", "label": label})
    frame = pd.DataFrame(rows)
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.1, 0.3, seed=3))
    return frame


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """A studio home with the hostile dataset, a tiny bow_mlp run (id ``RUN_ID``) and the baseline."""
    from core.projection import project_run
    from core.registry import DatasetStore
    from core.training.runner import RunConfig, execute_run, start_run, train_run

    home = tmp_path_factory.mktemp("hostile")
    started = time.monotonic()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ENCODER_STUDIO_HOME", str(home))
        DatasetStore(home).save(hostile_frame(), DATASET_NAME, "test", {"seed": 3}, dataset_id=DATASET_ID)
        config = RunConfig.create(
            DATASET_ID, "bow_mlp", TINY_ENCODER["bow_mlp"], {**TINY_TRAIN, "epochs": 4}, name="**run** $x$", home=home
        )
        run = start_run(config, home, run_id=RUN_ID)
        assert execute_run(run, home) == "done", run.log_tail()
        base = train_run(RunConfig.create(DATASET_ID, "baseline", TINY_ENCODER["baseline"], home=home), home)
        assert base.status()["state"] == "done", base.log_tail()
        project_run(run.path)  # the default UMAP map, cached: pages draw it without a worker
    print(f"hostile home prepared in {time.monotonic() - started:.1f} s")
    # the warm numba cache the unit tests share, so the server's UMAP warm-up has nothing to do
    with running_server(home, NUMBA_CACHE_DIR=os.environ["NUMBA_CACHE_DIR"]) as url:
        yield url


FIRED_MARKUP_JS = """(fired) => {
  const problems = [];
  const text = e => (e.textContent || '').replaceAll('\\u2060', '').trim();
  for (const e of document.querySelectorAll('strong, b, em, i, del, s, u, code, mark, h1, h2, h3, h4, h5, h6')) {
    if (fired.includes(text(e))) problems.push(`<${e.tagName.toLowerCase()}>${text(e)}`);
  }
  for (const e of document.querySelectorAll('.katex, .katex-display, math')) problems.push('KaTeX: ' + text(e));
  for (const e of document.querySelectorAll('[class*="stMarkdownColored"], [class*="stMarkdownBadge"]'))
    problems.push('coloured text: ' + text(e));
  for (const e of document.querySelectorAll('img[src="x"], image[href="x"]')) problems.push('image x');
  for (const e of document.querySelectorAll('a[href*="example.com"]')) problems.push('link: ' + e.getAttribute('href'));
  for (const e of document.querySelectorAll('.js-plotly-plot tspan[style*="bold"], .js-plotly-plot tspan[style*="italic"]'))
    if (fired.includes(text(e))) problems.push('plotly markup: ' + text(e));
  for (const e of document.querySelectorAll('.js-plotly-plot a')) problems.push('plotly link: ' + text(e));
  return problems;
}"""


def visible_text(page, selector: str) -> str:
    """What a reader sees in ``selector`` (word joiners are invisible)."""
    return page.locator(selector).first.inner_text().replace(WORD_JOINER, "")


def ticks(page, chart: str, axis: str) -> list[str]:
    """The ``axis`` ("x" or "y") tick labels, as drawn, of the first plotly chart ``p`` for which ``chart`` holds."""
    return page.evaluate(
        f"() => {{ const p = [...document.querySelectorAll('.js-plotly-plot')].find(p => {chart});"
        f" return p ? [...p.querySelectorAll('.{axis}tick text')].map(t => t.textContent) : null }}"
    )


UPLOAD_NAME = "**up** $file$ :red[f]"
UPLOAD_COLUMNS = ["<b>txt</b>", ":red[lab]"]


def upload_hostile_file(page, url: str, tmp_path) -> list[str]:
    """Upload a file whose name, columns and a rare label are markup; save it. Returns what went wrong."""
    import pandas as pd

    rows = [(f"good film number {i} **great**", "**good**") for i in range(8)]
    rows += [(f"bad film number {i} <i>awful</i>", "$bad$") for i in range(8)] + [("odd one", ":blue[rare]")]
    path = tmp_path / f"{UPLOAD_NAME}.csv"
    pd.DataFrame(rows, columns=UPLOAD_COLUMNS).to_csv(path, index=False)
    open_page(page, f"{url}/data", "Data")
    page.get_by_role("tab", name="Upload a file").click()
    page.locator('input[type="file"]').set_input_files(str(path))
    page.get_by_role("button", name="Save dataset").wait_for(timeout=30_000)
    wait_idle(page)
    found = []
    main = visible_text(page, '[data-testid="stMain"]')
    if f"columns: {', '.join(UPLOAD_COLUMNS)}" not in main:
        found.append("the caption lists the columns as typed")
    if "fewer than 2 examples: ':blue[rare]' (1)" not in main:
        found.append("the health report quotes the rare label as typed")
    name_box = page.get_by_role("textbox", name="Name", exact=True)
    for _ in range(20):  # the field is filled in a moment after it is drawn
        named = name_box.input_value()
        if named:
            break
        page.wait_for_timeout(250)
    if named != UPLOAD_NAME:
        found.append(f"the name field holds the file name, not {named!r}")
    page.get_by_role("button", name="Save dataset").click()
    page.get_by_text("It is now the active dataset").wait_for()
    wait_idle(page)
    page.wait_for_timeout(500)
    main = visible_text(page, '[data-testid="stMain"]')
    if f"Saved {UPLOAD_NAME}: 16 rows" not in main or f"Active dataset: {UPLOAD_NAME}" not in main:
        found.append("the saved message and the header name the dataset as typed")
    return found + page.evaluate(FIRED_MARKUP_JS, sorted(FIRED | {"great", "awful", "f", "file", "bad", "lab", "txt"}))


HOVER_JS = """(needle) => {
  const p = document.querySelector('.js-plotly-plot'), xa = p._fullLayout.xaxis, ya = p._fullLayout.yaxis;
  const box = p.getBoundingClientRect();
  for (const trace of p._fullData) {
    const i = (trace.customdata || []).findIndex(row => String(row[1]).includes(needle));
    if (i >= 0) return [box.left + xa._offset + xa.l2p(trace.x[i]), box.top + ya._offset + ya.l2p(trace.y[i])];
  }
  return null;
}"""


def hover_map_point(page, needle: str) -> str:
    """Hover the first map point whose text contains ``needle``; the hover label as drawn."""
    where = page.evaluate(HOVER_JS, needle)
    if where is None:
        return ""
    page.mouse.move(*where)
    page.wait_for_timeout(400)
    return page.evaluate(
        "() => [...document.querySelectorAll('.hoverlayer .hovertext')].map(t => t.textContent).join()"
    )


def wait_for_charts(page, count: int) -> None:
    """Wait until at least ``count`` plotly charts are drawn, scrolling each into view."""
    drawn = (
        "(n) => { const charts = [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')];"
        " return charts.length >= n && charts.every(c => { const p = c.querySelector('.js-plotly-plot');"
        " return p && p._fullLayout }) }"
    )
    page.wait_for_function(f"() => document.querySelectorAll('[data-testid=\"stPlotlyChart\"]').length >= {count}")
    containers = page.locator('[data-testid="stPlotlyChart"]')
    for i in range(containers.count()):
        containers.nth(i).scroll_into_view_if_needed()
    page.wait_for_function(drawn, arg=count)
    page.wait_for_timeout(300)


def open_page(page, url: str, title: str) -> None:
    page.goto(url)
    page.get_by_role("heading", name=title, exact=True).wait_for()
    wait_idle(page)
    page.wait_for_timeout(800)  # plotly draws after the script has finished


def test_hostile_labels_and_names_render_as_plain_text_on_every_page(hostile_server, page, tmp_path):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    problems = {}
    for path, (title, charts) in PAGES.items():
        open_page(page, f"{hostile_server}/{path}?dataset={DATASET_ID}&run={RUN_ID}", title)
        wait_for = {
            "data": "Sample rows",
            "evaluate": "Mistakes, most confident first",
            "embeddings": "Silhouette (cosine)",
            "playground": "Where it lands on the map",
            "compare": "McNemar p-value",
        }
        if path in wait_for:
            page.get_by_text(wait_for[path]).first.wait_for(timeout=60_000)
            wait_idle(page)
        wait_for_charts(page, charts)
        if path == "embeddings":  # a point's hover label quotes its text
            hovered = hover_map_point(page, "tilted")
        if path == "evaluate":  # a confusion cell whose labels are a link and bold
            choose(page, "True class", LABELS[5])
            choose(page, "Predicted class", LABELS[0])
            with contextlib.suppress(PlaywrightTimeout):  # on a loaded machine the rerun lands late
                page.get_by_text(f"Test texts labelled {LABELS[5]} and predicted {LABELS[0]}:").first.wait_for(
                    timeout=30_000
                )
        found = problems[title] = page.evaluate(FIRED_MARKUP_JS, sorted(FIRED))
        if page.locator('[data-testid="stException"]').count():
            found.append("an exception on the page")

        def expect(ok: bool, what: str, found=found) -> None:
            if not ok:
                found.append(what)

        main = visible_text(page, '[data-testid="stMain"]')
        picked = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="Dataset").input_value()
        expect(picked == f"{DATASET_NAME} · 70 rows", f"sidebar dataset {picked!r}")
        if path == "data":
            expect(f"Active dataset: {DATASET_NAME}" in main, "the header names the dataset as typed")
            balance = ticks(page, "p.layout.title.text.includes('Examples per class')", "x")
            expect(sorted(balance or []) == CLASSES, f"class balance ticks {balance}")
        if path == "train":
            expect(f"Dataset {DATASET_NAME} · 70 rows · 7 classes" in main, "the caption names the dataset as typed")
            expect("bag-of-words MLP · done" in main, "the run's heading names its encoder and state")
            expect(f"run {RUN_ID}" in main, "the caption under the heading shows its id as typed")
        if path == "evaluate":
            # the dataset by the name the user gave it (as typed), no longer by its id
            expect(
                f"Run {RUN_ID} · bag-of-words MLP · classification on {DATASET_NAME}" in main,
                "the caption shows names as typed",
            )
            expect(
                f"Test texts labelled {LABELS[5]} and predicted {LABELS[0]}:" in main, "the cell caption shows labels"
            )
            heatmap = "p.data[0].type === 'heatmap'"
            expect(ticks(page, heatmap, "x") == TICKS, f"confusion x ticks {ticks(page, heatmap, 'x')}")
            expect(sorted(ticks(page, heatmap, "y") or []) == sorted(TICKS), "confusion y ticks")
        if path == "embeddings":
            legend = page.evaluate("() => [...document.querySelectorAll('.legendtext')].map(t => t.textContent)")
            expect(sorted(legend) == CLASSES, f"map legend {legend}")
            expect("<i>tilted</i> text" in hovered and "label " in hovered, f"map hover {hovered!r}")
        if path == "playground":
            answer = visible_text(page, '[data-testid="stMain"] h3')
            expect(any(answer.startswith(f"{label} · ") for label in LABELS), f"answer heading {answer!r}")
            bars = ticks(page, "p.data[0].orientation === 'h'", "y")
            # cut on the axis past 20 characters, as the other class axes are (whole in the hover)
            expect(sorted(bars or []) == sorted(TICKS), f"probability ticks {bars}")
        if path == "compare":
            per_class = ticks(page, "p.layout.title.text.includes('F1 per class')", "x")
            expect(per_class == TICKS, f"F1 per class ticks {per_class}")
            expect(sorted(ticks(page, "p.data[0].type === 'heatmap'", "y") or []) == sorted(TICKS), "agreement ticks")

    problems["Data upload"] = upload_hostile_file(page, hostile_server, tmp_path)
    failed = {title: found for title, found in problems.items() if found}
    assert not failed, "\n".join(f"{title}: {found}" for title, found in failed.items())
    assert dialogs == []
