"""AppTest of the Search page: build the index in a worker, search both languages, more like this,
diverse results, and two runs side by side."""

from __future__ import annotations

import time

from tests.app.test_explore_pages import open_page


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
    heads = [m.value for m in at.markdown if m.value.startswith("**")]
    assert len(heads) == 10 and sum("sports" in h for h in heads) >= 6, heads
    assert any("**足**" in m.value or "**球**" in m.value for m in at.markdown)  # the matches highlighted
    at.text_input(key="search_query").input("the new phone has a faster chip").run()
    heads = [m.value for m in at.markdown if m.value.startswith("**")]
    assert sum("technology" in h for h in heads) >= 6, heads
    # more like this: the first result's neighbours, itself left out
    first = [b for b in at.button if b.key.startswith("a_like_")][0]
    item = int(first.key.rsplit("_", 1)[1])
    first.click().run()
    assert not at.exception
    assert any(f"More like #{item}" in c.value for c in at.caption)
    assert not [b for b in at.button if b.key == f"a_like_{item}"]
    # relevant but varied
    at.slider(key="search_balance").set_value(0.3).run()
    assert not at.exception and len([m for m in at.markdown if m.value.startswith("**")]) == 10


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
