"""AppTest of the Search page: build the index in a worker, search both languages, more like this,
diverse results, and two runs side by side."""

from __future__ import annotations

import re
import time

from tests.app.test_explore_pages import open_page


def heads(at) -> list[str]:
    """Each result's header line: score, label, language, number."""
    return [m.value for m in at.markdown if re.match(r"^\*\*-?\d\.\d{3}\*\*", m.value)]


def wait_for_index(run, collection: str = "starter", timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not (run.path / "search" / collection / "manifest.json").is_file():
        assert time.monotonic() < deadline, "the search index was not built in time"
        time.sleep(0.5)


def test_search_builds_an_index_in_a_worker_and_finds_by_meaning(trained):
    base, mlp, _ = trained
    at = open_page("pages/search.py", mlp.id)
    build = [b for b in at.button if b.key == f"build_{mlp.id}"]
    assert build, [b.key for b in at.button]
    build[0].click().run()
    assert not at.exception
    wait_for_index(mlp)
    log = (mlp.path / "jobs" / "search-starter.json").read_text()
    assert '"state": "done"' in log and '"pid"' in log  # built by a worker process, not the server
    at.run()
    at.text_input(key="search_query").input("足球比赛").run()
    assert not at.exception
    found = heads(at)
    assert len(found) == 10 and sum("sports" in h for h in found) >= 6, found
    assert any("**足**" in m.value or "**球**" in m.value for m in at.markdown)  # the matches highlighted
    at.text_input(key="search_query").input("the new phone has a faster chip").run()
    found = heads(at)
    assert sum("technology" in h for h in found) >= 6, found
    # more like this: the first result's neighbours, itself left out
    first = [b for b in at.button if b.key.startswith("a_like_")][0]
    item = int(first.key.rsplit("_", 1)[1])
    first.click().run()
    assert not at.exception
    assert any(f"More like #{item}" in c.value for c in at.caption)
    assert not [b for b in at.button if b.key == f"a_like_{item}"]
    # relevant but varied
    at.slider(key="search_balance").set_value(0.3).run()
    assert not at.exception and len(heads(at)) == 10


def test_two_runs_side_by_side_with_their_overlap(trained):
    base, mlp, _ = trained
    from core.search import SearchIndex, load_collection

    for run in (base, mlp):
        SearchIndex.build(run.path, load_collection("starter"))
    at = open_page("pages/search.py", mlp.id)
    at.selectbox(key="search_compare").set_value(base.id).run()
    at.text_input(key="search_query").input("好吃的火锅").run()
    assert not at.exception
    assert any("of the top 10 are in both runs' results." in c.value for c in at.caption)
    assert len([b for b in at.button if b.key.startswith("b_like_")]) == 10


def test_more_like_this_from_a_mistake_opens_search_with_it(trained):
    _, mlp, _ = trained
    from core.search import SearchIndex, load_collection

    SearchIndex.build(mlp.path, load_collection("starter"))
    at = open_page("pages/evaluate.py", mlp.id)
    import pandas as pd

    points = pd.read_parquet(mlp.path / "points.parquet")
    test = points[points["split"] == "test"]
    first = test[test["label"] != test["pred"]].sort_values("confidence", ascending=False).iloc[0]
    assert at.selectbox(key="more_like_mistake").options[0].startswith(f"#1 · {first['label']} read as {first['pred']}")
    at.button(key="more_like_mistake_go").click().run()
    assert not at.exception
    assert at.text_input(key="search_query").value == first["text"]
    assert len(heads(at)) == 10
