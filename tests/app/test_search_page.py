"""AppTest of the Search page: build the index in a worker, search both languages, more like this,
diverse results, and two runs side by side."""

from __future__ import annotations

import json
import re
import time

from tests.app.test_explore_pages import open_page, specs
from tests.app.test_pages import shown


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
    # the worker writes the index first and marks its job done just after: wait for both
    job, deadline = mlp.path / "jobs" / "search-starter.json", time.monotonic() + 60
    while '"state": "done"' not in job.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    log = job.read_text()
    assert '"state": "done"' in log and '"pid"' in log  # built by a worker process, not the server
    at.run()
    at.text_input(key="search_query").input("足球比赛").run()
    assert not at.exception
    found = heads(at)
    assert len(found) == 10 and sum("sports" in h for h in found) >= 6, found
    bold = [m.value for m in at.markdown if re.search(r"\*\*[^*]*[足球][^*]*\*\*", m.value)]
    assert bold and not any("****" in value for value in bold)  # the matches in bold, touching ones as one run
    assert not [i for i in at.info if "Traditional" in i.value]
    at.text_input(key="search_query").input("足球比賽").run()  # the collection's Chinese is Simplified (比赛)
    assert any(i.value.startswith("The query is in Traditional characters") for i in at.info), at.info
    at.text_input(key="search_query").input("東京の天気").run()  # Japanese, not Traditional Chinese
    assert not [i for i in at.info if "Traditional" in i.value]
    at.text_input(key="search_query").input("the new phone has a faster chip").run()
    found = heads(at)
    assert sum("technology" in h for h in found) >= 6, found
    assert not [w for w in at.warning if "vocabulary" in w.value]
    assert not [i for i in at.info if "Traditional" in i.value]
    at.text_input(key="search_query").input("qqqx zzzy").run()  # words the model never saw: flagged, not ranked
    assert any(w.value.startswith("None of the query's words") for w in at.warning), [w.value for w in at.warning]
    assert heads(at) == []  # a bias-only vector ranked every text, above real matches' scores
    at.text_input(key="search_query").input("。！").run()  # punctuation alone: said so, nothing ranked
    assert any(w.value.startswith("The query has no words") for w in at.warning), [w.value for w in at.warning]
    assert heads(at) == []
    at.text_input(key="search_query").input(" \u3000 ").run()  # spaces, full-width ones too: an empty query
    assert heads(at) == [] and not at.warning
    assert any("Type a query" in i.value for i in at.info)
    at.text_input(key="search_query").input("the new phone has a faster chip").run()
    found_before = heads(at)
    # more like this: the first result's neighbours, itself left out
    first = [b for b in at.button if b.key.startswith("a_like_")][0]
    item = int(first.key.rsplit("_", 1)[1])
    first.click().run()
    assert not at.exception
    assert any(f"More like #{item + 1}:" in c.value for c in at.caption)  # numbered from 1, as the results are
    assert found_before[0].endswith(f" · #{item + 1}")
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
    said = [c.value for c in at.caption if "in both runs' results." in c.value]
    # "1 of the top 10 are" read as a slip: one is
    assert len(said) == 1 and re.match(r"(1 of the top 10 is|\d+ of the top 10 are) in both", said[0]), said
    assert any("Each model scores on its own scale" in c.value for c in at.caption)
    assert len([b for b in at.button if b.key.startswith("b_like_")]) == 10
    # each side says what a typical text scores against its own model's query vector
    typical = [c.value for c in at.caption if "a typical text here scores" in c.value]
    assert len(typical) == 2
    expected = []
    from core.inference import Predictor

    for run in (mlp, base):
        index = SearchIndex.load(run.path, "starter")
        expected.append(index.typical_score(index.embed_query(Predictor.from_run(run.path), "好吃的火锅")))
    assert [f"{v:.2f}" for v in expected] == [c.rsplit(" ", 1)[-1] for c in typical]
    # a query neither model can read: no "0 of the top 10 are in both" under two warnings that say so
    at.text_input(key="search_query").input("ζξψ ωφχ").run()
    assert len([w for w in at.warning if "vocabulary" in w.value]) == 2, [w.value for w in at.warning]
    assert not [c for c in at.caption if "are in both runs' results" in c.value]


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
    # a text of the collection: asked about as Search's own "More like #N", not pasted whole into the box
    assert at.text_input(key="search_query").value == ""
    (asked,) = [c.value for c in at.caption if c.value.startswith("More like #")]
    index = SearchIndex.load(mlp.path, "starter")
    number = int(asked.split("#", 1)[1].split(":", 1)[0])
    assert str(index.items["text"].iloc[number - 1]) == first["text"]
    assert len(heads(at)) == 10
    shown = [m.value for m in at.markdown if not re.match(r"^\*\*-?\d", m.value)]
    from ui.safe_text import md

    assert md(first["text"]) not in [v.replace("**", "") for v in shown]  # the mistake itself is not its own answer


def test_more_like_these_from_a_map_selection(trained):
    _, mlp, _ = trained
    import pandas as pd

    from core.search import SearchIndex, load_collection

    SearchIndex.build(mlp.path, load_collection("starter"))
    points = pd.read_parquet(mlp.path / "points.parquet")
    chosen = points[points["label"] == "food"]["text"].head(5).tolist()
    at = open_page("pages/search.py", mlp.id)
    at.session_state["search_seed_texts"] = chosen  # what the Embeddings page's "More like these" hands over
    at.run()
    assert not at.exception
    assert any("More like the 5 texts selected on the map" in c.value for c in at.caption)
    found = heads(at)
    assert len(found) == 10 and sum("food" in h for h in found) >= 7, found
    shown = [m.value for m in at.markdown]
    assert not any(text in value for text in chosen for value in shown)  # the selection itself is left out
    at.button(key="search_clear_group").click().run()
    assert not heads(at) and any("Type a query" in i.value for i in at.info)


def test_before_and_after_fine_tuning_on_aligned_maps(trained):
    _, mlp, _ = trained
    from core.training.runner import RunConfig, train_run

    tuned = train_run(
        RunConfig.create("starter", train_overrides={"epochs": 1, "threads": 1}, task="finetune", source_run=mlp.id)
    )
    at = open_page("pages/embeddings.py", tuned.id)
    at.radio(key="map_method").set_value("pca").run()
    at.toggle(key="map_shift").set_value(True).run()
    assert not at.exception
    from core.alignment import cached_alignment
    from core.projection import ProjectionConfig

    config = ProjectionConfig(method="pca")
    deadline = time.monotonic() + 120
    while cached_alignment(tuned.path, config) is None:  # computed by a worker process
        assert time.monotonic() < deadline, (tuned.path / "jobs").iterdir()
        time.sleep(0.5)
    assert '"pid"' in next((tuned.path / "jobs").glob("shift-*.json")).read_text()
    at.run()
    assert not at.exception
    assert [m.label for m in at.metric] == ["Silhouette (cosine)", "k-NN accuracy", "Median movement"]
    result = cached_alignment(tuned.path, config)
    before, after = specs(at)[:2]
    n = len(result.indices)
    assert sum(len(tr["x"]) for tr in before["data"]) == sum(len(tr["x"]) for tr in after["data"]) == n
    assert before["layout"]["title"]["text"] == "Before fine-tuning"
    from ui.safe_text import md
    from ui.sidebar import short_name

    assert any(f"Before: the encoder of run {md(short_name(mlp))}" in c.value for c in at.caption)
    assert not any("n-gram bag added for it" in c.value for c in at.caption)  # a bag before and after
    at.radio(key="shift_view").set_value("lines").run()
    lines = specs(at)[0]
    drawn = [tr for tr in lines["data"] if tr["mode"] == "lines"]
    assert len(drawn) == 4 and sum(len(tr["x"]) for tr in drawn) == 3 * min(n, 200)  # a line per text, per class
    if n > 200:
        assert any("Lines are drawn for 200 texts" in c.value for c in at.caption)
    at.radio(key="shift_view").set_value("play").run()
    play = specs(at)[0]
    assert len(play["frames"]) == 13 and play["layout"]["sliders"][0]["steps"][-1]["label"] == "100%"
    # its "before → after" label at the right end, clear of the Play and Pause buttons at its left
    assert play["layout"]["sliders"][0]["currentvalue"]["xanchor"] == "right"
    first = play["frames"][0]["data"][0]["x"]
    assert first == before["data"][0]["x"] and play["frames"][-1]["data"][0]["x"] == after["data"][0]["x"]


def test_a_typed_query_survives_a_collection_without_an_index_and_more_like_stays_with_its_collection(trained):
    _, mlp, _ = trained
    from core.search import SearchIndex, collection_key, load_collection, save_upload
    from core.workers import side_job

    SearchIndex.build(mlp.path, load_collection("starter"))
    notes = save_upload("足球比赛很精彩\nthe phone is fast\n今天的火锅很好吃\n".encode(), "notes.txt")
    at = open_page("pages/search.py", mlp.id)
    assert any("notes (uploaded) · 3 texts" in o for o in at.selectbox(key="search_collection").options)
    at.text_input(key="search_query").input("足球比赛").run()
    assert len(heads(at)) == 10
    at.selectbox(key="search_collection").set_value(notes).run()  # no index of it yet: the typed query builds one
    assert not at.exception and not heads(at)
    assert not [b for b in at.button if b.key == f"build_{mlp.id}"]  # no click asked for
    assert side_job(mlp, f"search-{collection_key(notes)}") is not None  # a worker builds it
    at.selectbox(key="search_collection").set_value("starter").run()
    assert at.text_input(key="search_query").value == "足球比赛"  # kept while the other collection had no index
    assert any("Results for your query" in c.value for c in at.caption) and len(heads(at)) == 10
    # what an unrelated text scores, beside the results, so a 0.9 can be read
    typical = next(c.value for c in at.caption if c.value.startswith("Results for your query"))
    assert re.search(r" · a typical text here scores -?[01]\.\d\d$", typical), typical
    (searching,) = [shown(c.value) for c in at.caption if c.value.startswith("Searching with the encoder of")]
    from ui.sidebar import short_name

    # by the name the sidebar gives it ("bag-of-words MLP · 7cf5"), not its 30-character id
    assert short_name(mlp) in searching and mlp.id not in searching, searching
    # what "alike" means to a classifier: a sentiment model finds reviews of one mood, whatever their topic
    assert searching.endswith(
        " · trained to tell food, sports, technology, travel apart: it finds texts alike in that respect"
    ), searching
    # "More like #N" names a text of one collection: another collection does not answer it with its own #N
    [b for b in at.button if b.key.startswith("a_like_")][0].click().run()
    assert any(c.value.startswith("More like #") for c in at.caption)
    wait_for_index(mlp, collection_key(notes))  # the worker the typed query started
    at.selectbox(key="search_collection").set_value(notes).run()
    assert not at.exception and not heads(at)
    assert not any(c.value.startswith("More like #") for c in at.caption)


def test_a_text_handed_over_builds_the_missing_index_without_a_second_click(trained):
    _, mlp, _ = trained
    at = open_page("pages/search.py", mlp.id)
    assert [b for b in at.button if b.key == f"build_{mlp.id}"]  # typed by hand: the build waits for a click
    at.session_state["search_seed"] = "我们周末去爬山"  # what "Find similar texts" on Evaluate hands over
    at.run()
    assert not at.exception
    assert at.text_input(key="search_query").value == "我们周末去爬山"
    wait_for_index(mlp)  # the worker started by the hand-over builds it
    at.run()
    assert len(heads(at)) == 10


def test_a_typed_query_builds_the_compared_runs_index_too(trained):
    base, mlp, _ = trained
    from core.search import SearchIndex, load_collection

    SearchIndex.build(mlp.path, load_collection("starter"))
    import shutil

    shutil.rmtree(base.path / "search", ignore_errors=True)  # the run to compare has no index yet
    at = open_page("pages/search.py", mlp.id)
    at.selectbox(key="search_compare").set_value(base.id).run()
    assert not at.exception
    labels = [b.label for b in at.button if b.key == f"build_{base.id}"]
    assert labels == ["Build the search index of the run to compare"]  # which run it is for, before a query
    at.text_input(key="search_query").input("好吃的火锅").run()
    assert not at.exception
    # the query started its build (it had waited for a second, unlabelled click)
    assert (base.path / "jobs" / "search-starter.json").is_file()
    wait_for_index(base)


def test_the_query_example_is_in_the_collections_language_and_of_its_kind(studio_home):
    """On Chinese reviews the box suggested "e.g. the match was cancelled", then "e.g. 比赛取消了"."""
    import pandas as pd

    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    DatasetStore().ensure_builtin("starter")
    run = train_run(tiny_config("starter", "baseline"))
    for dataset, texts in (
        ("zh_notes", "第{i}条评论，质量很好"),
        ("en_notes", "review number {i}, good value"),
        ("zh_keys", "这个机械键盘是正品吗{i}，很好"),  # was cut inside 正品: "这个机械键盘是正"
        ("zh_long", "这个机械键盘的手感和做工都比我想象的好很多{i}"),
    ):
        frame = pd.DataFrame({"text": [texts.format(i=i) for i in range(40)], "label": ["a", "b"] * 20})
        frame["split"] = stratified_split(frame["label"], SplitConfig(0.2, 0.2, 0))
        DatasetStore().save(frame, dataset, "test", {}, dataset_id=dataset)
    # each with a run of its own: the sidebar drops another dataset's run
    own = {
        dataset: train_run(tiny_config(dataset, "baseline"))
        for dataset in ("zh_notes", "en_notes", "zh_keys", "zh_long")
    }
    placeholders = {
        dataset: open_page("pages/search.py", own[dataset].id, dataset=dataset)
        .text_input(key="search_query")
        .placeholder
        for dataset in own
    }
    # the opening words of one of its texts: its language, and its kind of text ("比赛取消了" over hotel reviews);
    # a clause too long for the box is cut and says so
    assert placeholders == {
        "zh_notes": "e.g. 第0条评论",
        "en_notes": "e.g. review number 0",
        "zh_keys": "e.g. 这个机械键盘是正品吗0",
        "zh_long": "e.g. 这个机械键盘的手感和做工…",
    }, placeholders
    starter = open_page("pages/search.py", run.id, dataset="starter").text_input(key="search_query").placeholder
    assert starter == "e.g. a bowl of spicy noodles"  # written for the starter's topics


def test_the_starter_s_example_queries_find_their_own_topic_with_a_trained_classifier(trained):
    """A stakeholder demo typed the box's example, "the match was cancelled", and got ten sports texts, none
    about a cancellation (the starter holds three). The examples must find what they ask for with an
    encoder trained on the starter's classes, in English and in Chinese."""
    from core.inference import Predictor
    from core.search import SearchIndex, load_collection

    _, mlp, _ = trained
    examples = {}
    for language, prefix in (("en", "e.g. "), ("zh", "例如：")):
        placeholder = open_page("pages/search.py", mlp.id, language=language).text_input(key="search_query").placeholder
        assert placeholder.startswith(prefix), placeholder
        examples[language] = placeholder.removeprefix(prefix)
    index, model = SearchIndex.ensure(mlp.path, load_collection("starter")), Predictor.from_run(mlp.path)
    # the detail each example asks for, as the starter's texts word it
    detail = {
        "en": re.compile(r"noodle|ramen|udon|\bpho\b|spic|chil+i|pepper", re.I),
        # not 面 alone: 里面, 外面, 面包 and 面试 are no noodles
        "zh": re.compile("面条|拉面|牛肉面|泡面|碗面|面馆|面汤|汤粉|米粉|辣"),
    }
    for language, query in examples.items():
        texts = index.top(index.embed_query(model, query), k=10)["text"].tolist()
        assert sum(bool(detail[language].search(text)) for text in texts) >= 2, (query, texts)


def test_a_pretrained_encoder_searches_by_wording_and_says_so(studio_home):
    from core.registry import DatasetStore
    from core.search import SearchIndex, load_collection
    from core.training.runner import RunConfig, train_run

    DatasetStore().ensure_builtin("starter")
    pre = train_run(
        RunConfig.create(
            "starter",
            "transformer",
            {"preset": "tiny", "max_len": 32, "vocab_size": 500},
            {"epochs": 1, "threads": 1},
            task="pretrain",
        )
    )
    SearchIndex.build(pre.path, load_collection("starter"))
    at = open_page("pages/search.py", pre.id)
    at.text_input(key="search_query").input("足球比赛").run()
    assert not at.exception, at.exception
    (searching,) = [shown(c.value) for c in at.caption if c.value.startswith("Searching with the encoder of")]
    assert searching.endswith(" · pretrained on masked words: it finds texts worded alike"), searching


def test_the_baseline_is_said_to_search_by_wording_not_by_its_classes(trained):
    """Its search vectors are an LSA of its TF-IDF bags: the classes do not shape them."""
    base, _, _ = trained
    from core.search import SearchIndex, load_collection

    SearchIndex.build(base.path, load_collection("starter"))
    at = open_page("pages/search.py", base.id)
    at.text_input(key="search_query").input("足球比赛").run()
    assert not at.exception, at.exception
    (searching,) = [shown(c.value) for c in at.caption if c.value.startswith("Searching with the encoder of")]
    assert searching.endswith(
        " · its vectors come from the words alone, not the classes: it finds texts worded alike"
    ), searching


def test_a_failed_build_is_not_blamed_on_the_weights_that_replaced_the_broken_ones(trained):
    base, mlp, _ = trained
    good = mlp.model_path.read_bytes()
    mlp.model_path.write_bytes(b"\x00" * 64)  # a damaged model file: its build fails in the worker
    at = open_page("pages/search.py", mlp.id)
    at.button(key=f"build_{mlp.id}").click().run()
    job, deadline = mlp.path / "jobs" / "search-starter.json", time.monotonic() + 120
    while '"state": "failed"' not in job.read_text() and time.monotonic() < deadline:
        time.sleep(0.3)
    at.run()
    assert any("Building the search index failed" in e.value for e in at.error)
    time.sleep(0.05)  # the restored file is written after the failure, as a user's restore is
    mlp.model_path.write_bytes(good)
    at.run()
    assert not at.exception
    assert not any("Building the search index failed" in e.value for e in at.error)
    assert [b for b in at.button if b.key == f"build_{mlp.id}"]


def test_a_query_in_the_collection_s_own_language_is_not_told_to_change_language(trained):
    """English reviews searched with a model that never read English: the query already was in the
    collection's language, yet the page advised trying words from it."""
    import pandas as pd

    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore

    _, mlp, _ = trained
    words = ["qqxv zzwy blorp", "wubba flim flam", "zorp qqxv wubba"]
    frame = pd.DataFrame({"text": [f"{words[i % 3]} {words[(i + 1) % 3]}" for i in range(60)], "label": None})
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.2, 0.1, 0))
    DatasetStore().save(frame, "foreign", "test", {}, dataset_id="foreign")
    at = open_page("pages/search.py", mlp.id)
    at.selectbox(key="search_collection").set_value("foreign").run()
    at.button(key=f"build_{mlp.id}").click().run()
    wait_for_index(mlp, "foreign")
    job, deadline = mlp.path / "jobs" / "search-foreign.json", time.monotonic() + 60
    while '"state": "done"' not in job.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    at.run()
    at.text_input(key="search_query").input("blorp flim").run()
    assert not at.exception
    said = [w.value for w in at.warning if "vocabulary" in w.value]
    assert said and "pick a run trained on texts like these" in said[0], said
    assert "Try words from the collection's language" not in said[0]
    # the model reads its own collection well: made-up words are new to it, not a sign of another language
    from core.search import SearchIndex, load_collection

    SearchIndex.build(mlp.path, load_collection("starter"))
    at.selectbox(key="search_collection").set_value("starter").run()
    at.text_input(key="search_query").input("zzzzqqq").run()
    said = [w.value for w in at.warning if "vocabulary" in w.value]
    assert said and "these words are simply new to it" in said[0], said
    assert "another language" not in said[0]
    # words the model knows, none of them about anything: results, said to be a random pick
    at.text_input(key="search_query").input("the and of to it is").run()
    assert [w for w in at.warning if "only common words" in w.value and "random pick" in w.value]
    at.text_input(key="search_query").input("the striker scored twice").run()
    assert not [w for w in at.warning if "only common words" in w.value]
    # a Chinese-only run over the bilingual starter set: it reads the Chinese texts, not English at all
    from core.registry import DatasetStore
    from core.training.runner import RunConfig, train_run

    starter = DatasetStore().load("starter")
    chinese = starter[starter["lang"].astype(str) == "zh"].reset_index(drop=True)
    DatasetStore().save(chinese, "chinese only", "test", {}, dataset_id="chineseonly")
    zh_run = train_run(RunConfig.create("chineseonly", "baseline"))
    SearchIndex.build(zh_run.path, load_collection("starter"))
    at = open_page("pages/search.py", zh_run.id, dataset="chineseonly")
    at.selectbox(key="search_collection").set_value("starter").run()
    at.text_input(key="search_query").input("the striker scored twice").run()
    said = [w.value for w in at.warning if "vocabulary" in w.value]
    assert said and "simply new to it" not in said[0], said
    # an English-only run over mostly English texts with a tenth in Chinese: a Chinese query is in one of the
    # collection's languages, which the model does not read (it was told to try the collection's language)
    english = starter[starter["lang"].astype(str) == "en"].reset_index(drop=True)
    DatasetStore().save(english, "english only", "test", {}, dataset_id="englishonly")
    mostly = pd.concat([english, chinese.head(len(english) // 9)], ignore_index=True)
    DatasetStore().save(mostly, "mostly english", "test", {}, dataset_id="mostlyenglish")
    en_run = train_run(RunConfig.create("englishonly", "baseline"))
    SearchIndex.build(en_run.path, load_collection("mostlyenglish"))
    at = open_page("pages/search.py", en_run.id, dataset="englishonly")
    at.selectbox(key="search_collection").set_value("mostlyenglish").run()
    at.text_input(key="search_query").input("球队比赛").run()
    said = [w.value for w in at.warning if "vocabulary" in w.value]
    assert said and "reads little of this collection's texts in the query's language" in said[0], said
    assert "Try words from the collection's language" not in said[0]


def test_a_run_to_compare_from_another_dataset_says_which_it_is(trained, small_dataset):
    """Two "tiny Transformer" runs on two datasets read alike in the picker, but for their ids."""
    from core.training.runner import train_run
    from tests.conftest import tiny_config
    from ui.sidebar import dataset_title

    base, mlp, _ = trained
    elsewhere = train_run(tiny_config(small_dataset, "bow_mlp"))  # the newest run, on another dataset
    at = open_page("pages/search.py", mlp.id)
    picker = at.selectbox(key="search_compare")
    options = picker.options
    assert options[-1].endswith(f" · {dataset_title(small_dataset)}"), options  # after this dataset's runs
    assert not any(o.endswith(dataset_title("starter")) for o in options[1:-1]), options
    assert len(options) == 4 and elsewhere.id in options[-1]


def test_a_text_with_nothing_the_encoder_reads_is_neither_a_result_nor_a_starting_point(trained):
    """Its zero vector scored 0: it ranked above texts that scored below it, and "More like" it listed
    the first texts of the collection as its neighbours."""
    _, mlp, _ = trained
    from core.search import SearchIndex, collection_key, load_collection, save_upload

    notes = save_upload("足球比赛很精彩\n。\nthe phone is fast\n今天的火锅很好吃\n".encode(), "notes.txt")
    SearchIndex.build(mlp.path, load_collection(notes))
    at = open_page("pages/search.py", mlp.id)
    at.selectbox(key="search_collection").set_value(notes).run()
    at.text_input(key="search_query").input("足球比赛").run()
    assert not at.exception and [h.rsplit("#", 1)[1] for h in heads(at)] == ["1", "3", "4"], heads(at)
    at.session_state["search_like"] = (collection_key(notes), 1)  # asked all the same (an old link, say)
    at.run()
    assert not at.exception and heads(at) == []
    warnings = [shown(w.value) for w in at.warning]
    assert any("Text #2 has nothing this encoder can read" in w for w in warnings), warnings


def test_presenter_mode_leaves_the_record_numbers_out_of_the_results(trained):
    """ "0.876 · sports · English · #1354": the number is the operator's handle, not the audience's."""
    from streamlit.testing.v1 import AppTest

    from core.search import SearchIndex, load_collection
    from tests.app.test_pages import APP

    _, mlp, _ = trained
    SearchIndex.build(mlp.path, load_collection("starter"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(dataset="starter", run=mlp.id, present="1")
    at.run()
    at.switch_page("pages/search.py").run()
    at.text_input(key="search_query").input("足球比赛").run()
    found = heads(at)
    assert not at.exception and len(found) == 10 and not any("#" in head for head in found), found


def test_more_like_this_leaves_out_the_texts_copies(trained):
    """An upload with one sentence four times: "More like #1" listed #2, #3 and #4, the same sentence
    at 1.000 (the command line's `similar` left them out)."""
    _, mlp, _ = trained
    from core.search import SearchIndex, load_collection, save_upload

    texts = ["The football match was cancelled because of rain."] * 4 + [
        "I ate noodles for lunch.",
        "The new phone has a fast chip.",
        "We flew to Paris last summer.",
        "The team won the cup final.",
    ]
    notes = save_upload("\n".join(texts).encode(), "copies.txt")
    SearchIndex.build(mlp.path, load_collection(notes))
    at = open_page("pages/search.py", mlp.id)
    at.selectbox(key="search_collection").set_value(notes).run()
    at.text_input(key="search_query").input("football match").run()
    at.button(key="a_like_0").click().run()
    assert not at.exception, at.exception
    numbers = [h.rsplit("#", 1)[1] for h in heads(at)]
    assert numbers and not {"1", "2", "3", "4"} & set(numbers), numbers


def nonsense_run(name: str):
    """A tiny classifier trained on made-up words: it reads none of the starter set's."""
    import pandas as pd

    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    words = ["qqxv zzwy blorp", "wubba flim flam", "zorp qqxv wubba", "flim blorp zzwy"]
    frame = pd.DataFrame(
        {"text": [f"{words[i % 4]} {words[(i + 1) % 4]} n{i}" for i in range(80)], "label": ["a", "b"] * 40}
    )
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.2, 0.2, 0))
    DatasetStore().save(frame, name, "test", {}, dataset_id=name)
    return train_run(tiny_config(name, "bow_mlp"))


def test_more_like_these_with_texts_the_model_cannot_read_shows_no_results(trained):
    """Five Chinese texts given to a model of other words found ten texts at 1.000, ranked by its bias
    alone, where the same text typed as a query was refused."""
    import pandas as pd

    from core.search import SearchIndex, load_collection

    _, mlp, _ = trained
    foreign = nonsense_run("made_up")
    SearchIndex.build(foreign.path, load_collection("starter"))
    points = pd.read_parquet(mlp.path / "points.parquet")
    chosen = points[points["lang"] == "zh"]["text"].head(5).tolist()
    at = open_page("pages/search.py", foreign.id, dataset="made_up")
    at.selectbox(key="search_collection").set_value("starter").run()
    at.session_state["search_seed_texts"] = chosen
    at.run()
    assert not at.exception, at.exception
    assert heads(at) == []
    assert any("knows none of the words of the selected texts" in w.value for w in at.warning)


def test_a_query_typed_while_picking_collections_keeps_one_index_build_at_a_time(small_dataset):
    """With a query in the box, each collection picked started an embedding worker and none was
    stopped; and a valid dataset id of 74-80 characters made the job name invalid (a traceback)."""
    from core.registry import DatasetStore
    from core.storage import studio_home
    from core.training.runner import train_run
    from core.workers import live_workers
    from tests.conftest import tiny_config

    frame = DatasetStore().load(small_dataset)
    long_id = "customer-support-tickets-2026-q4-export-from-zendesk-cleaned-v2-final-xyzw"  # 74 characters
    DatasetStore().save(frame, "long", "test", {"seed": 1}, dataset_id=long_id)
    DatasetStore().save(frame, "other", "test", {"seed": 1}, dataset_id="other")
    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    at = open_page("pages/search.py", run.id, dataset=small_dataset)
    at.text_input(key="search_query").input("football").run()
    for collection in (long_id, "other"):
        at.selectbox(key="search_collection").set_value(collection).run()
        assert not at.exception, at.exception
    building = [w["job"] for w in live_workers(studio_home()) if w["run"] == run.id]
    assert len(building) <= 1, building  # the last collection's build at most
    records = sorted(p.name for p in (run.path / "jobs").glob("search-*.json"))
    assert any(name.startswith("search-customer-support") for name in records), records  # it was started
    long_job = next(p for p in (run.path / "jobs").glob("search-customer-support*.json"))
    assert json.loads(long_job.read_text())["state"] in ("stopped", "done"), long_job.read_text()


def test_the_before_and_after_maps_of_a_transformer_fine_tuned_wide_say_the_bag_is_new(small_dataset):
    """k-NN accuracy 0.25 → 0.97 read as pretraining and fine-tuning's doing; the after vector carried
    the n-gram bag the fine-tune added beside the Transformer's."""
    from core.alignment import cached_alignment
    from core.projection import ProjectionConfig
    from core.training.runner import RunConfig, train_run
    from tests.conftest import TINY_TRAIN, tiny_pretraining

    source = tiny_pretraining(small_dataset)
    tuned = train_run(
        RunConfig.create(
            small_dataset, "transformer", {"wide": True}, TINY_TRAIN, task="finetune", source_run=source.id
        )
    )
    assert tuned.config()["encoder_config"]["wide"] is True
    at = open_page("pages/embeddings.py", tuned.id, dataset=small_dataset)
    at.radio(key="map_method").set_value("pca").run()
    at.toggle(key="map_shift").set_value(True).run()
    deadline = time.monotonic() + 120
    while cached_alignment(tuned.path, ProjectionConfig(method="pca")) is None:  # a worker computes it
        assert time.monotonic() < deadline
        time.sleep(0.5)
    at.run()
    assert not at.exception, at.exception
    assert any("part of the gain in separation is the bag's" in c.value for c in at.caption), [
        c.value for c in at.caption
    ]
    assert not any("trained further since" in c.value for c in at.caption)
    # the source trained further (resumed): its map still shows the encoder this run started from, and says so
    from safetensors.numpy import load_file, save_file

    weights = load_file(str(source.model_path))
    name = next(iter(weights))
    weights[name] = weights[name] + 1e-3
    save_file(weights, str(source.model_path))
    at.run()
    assert not at.exception, at.exception
    assert [m.label for m in at.metric] == ["Silhouette (cosine)", "k-NN accuracy", "Median movement"]
    assert any("as this run started from it; it was trained further since" in c.value for c in at.caption)


def test_a_long_result_shows_where_the_query_s_words_are_and_can_be_read_whole(trained):
    """Legal documents: the first 600 characters of each were a table of contents, the clause that matched
    was never seen (nor in bold), and nothing opened the rest."""
    import pandas as pd

    from core.registry import DatasetStore
    from core.search import SearchIndex, load_collection

    _, mlp, _ = trained
    contents = "TABLE OF CONTENTS " + " ".join(f"Section {i} ........ page {i + 2}." for i in range(120))
    texts = [f"{contents} Clause {i}: the striker scored a late goal in the final match." for i in range(8)]
    texts += [f"Short note {i} about a new laptop chip." for i in range(8)]
    frame = pd.DataFrame({"text": texts, "label": ["sports"] * 8 + ["technology"] * 8, "split": "test"})
    DatasetStore().save(frame, "contracts", "test", {}, dataset_id="contracts")
    SearchIndex.build(mlp.path, load_collection("contracts"))
    at = open_page("pages/search.py", mlp.id)
    at.selectbox(key="search_collection").set_value("contracts").run()
    at.text_input(key="search_query").input("striker goal").run()
    assert not at.exception, at.exception
    long = [m.value for m in at.markdown if "Section" in m.value or "striker" in m.value]
    assert long and all(m.startswith("… ") and "**striker**" in m and "**goal**" in m for m in long), long[:2]
    assert all(len(m) < 1000 for m in long)  # a part, not the whole text
    wholes = [e for e in at.expander if e.label.startswith("Read it whole (")]
    (whole,) = [x.value for x in wholes[0].code]
    assert whole in texts[:8] and wholes[0].label == f"Read it whole ({len(whole):,} characters)"
    assert len(wholes) == len(long)  # one for each long result; none for the short notes


def test_a_result_with_a_link_or_a_handle_can_be_copied_exactly(trained):
    """Scraped posts: a URL or an @handle copied from a result came with the invisible joiners that keep
    Streamlit from turning it into a link, so it no longer opened."""
    import pandas as pd

    from core.registry import DatasetStore
    from core.search import SearchIndex, load_collection

    _, mlp, _ = trained
    texts = [f"the striker scored {i} goals https://example.com/match?id={i} @fan{i}" for i in range(6)]
    texts += [f"a plain note {i} about the match" for i in range(6)]
    frame = pd.DataFrame({"text": texts, "label": "sports", "split": "test"})
    DatasetStore().save(frame, "posts", "test", {}, dataset_id="posts")
    SearchIndex.build(mlp.path, load_collection("posts"))
    at = open_page("pages/search.py", mlp.id)
    at.selectbox(key="search_collection").set_value("posts").run()
    at.text_input(key="search_query").input("striker match").run()
    assert not at.exception, at.exception
    exact = [e for e in at.expander if e.label == "The exact text, to copy"]
    copied = [x.value for e in exact for x in e.code]
    assert copied and set(copied) <= set(texts[:6]) and len(exact) == 6  # none for the plain notes


def test_a_run_deleted_behind_the_search_page_is_said_though_the_page_starts_an_index_at_once(small_dataset):
    """Two colleagues: B deleted A's run while A's query was on the Search page. A's next query moved her to
    B's run and started its index at once, and the redraw that followed wiped the "was deleted" notice."""
    from core.registry import RunStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    kept = train_run(tiny_config(small_dataset, "bow_mlp", epochs=1))
    alice = train_run(tiny_config(small_dataset, "bow_mlp", epochs=1))
    at = open_page("pages/search.py", alice.id, dataset=small_dataset)
    at.text_input(key="search_query").input("足球").run()
    wait_for_index(alice, small_dataset)
    RunStore().delete(alice.id)  # by B
    at.text_input(key="search_query").input("比赛").run()
    assert not at.exception, at.exception
    assert at.session_state["active_run"] == kept.id
    assert [w.value for w in at.warning if "was deleted" in w.value], [w.value for w in at.warning]
    wait_for_index(kept, small_dataset)  # its worker ends before the test's home goes


def test_an_index_built_but_unreadable_is_built_again_at_a_click_not_at_every_query(trained):
    """Built, yet refused at every load: each query started another build, which ended "done" and was
    refused again, re-embedding the collection for as long as a query stood in the box."""
    from core.search import SearchIndex, load_collection
    from core.workers import side_job

    base, _, _ = trained
    SearchIndex.build(base.path, load_collection("starter"))
    (base.path / "search" / "starter" / "vectors.npy").write_bytes(b"not an array")  # damaged since
    at = open_page("pages/search.py", base.id)
    at.text_input(key="search_query").input("football match").run()
    assert not at.exception
    assert any("damaged" in e.value or "cannot" in e.value for e in at.error), [e.value for e in at.error]
    assert side_job(base, "search-starter") is None  # no build started by the query
    assert [b for b in at.button if b.key == f"build_{base.id}"]  # a click builds it again


def test_a_table_added_to_search_is_read_from_the_columns_picked_joined(trained):
    """A CRM export's subject + body was searched by the guessed body alone: the page had no column picker,
    and nothing said which column was read."""
    from core.search import load_collection, uploaded_collections

    base, _, _ = trained
    at = open_page("pages/search.py", base.id)
    rows = "".join(f"{i},invoice {i},please send the bill {i},billing\n" for i in range(6))
    at.file_uploader(key="search_upload").upload(
        "crm.csv", f"id,subject,body,category\n{rows}".encode(), "text/csv"
    ).run()
    assert not at.exception
    (picker,) = [m for m in at.multiselect if m.key.startswith("search_cols-")]
    assert picker.value == ["body"]  # the guess, shown
    picker.set_value(["subject", "body"]).run()
    at.button(key="search_upload_go").click().run()
    assert not at.exception
    (added,) = [ref for ref, (name, _) in uploaded_collections().items() if name == "crm"]
    assert load_collection(added).frame["text"].iloc[0] == "invoice 0\nplease send the bill 0"
