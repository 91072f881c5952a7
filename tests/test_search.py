"""Semantic search: the index in the run folder, exact top-k, filters, more like this, MMR, HNSW."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from core.errors import StudioError
from core.search import SearchIndex, load_collection, matched_terms
from tests.conftest import tiny_config


@pytest.fixture
def run(small_dataset):
    from core.training.runner import train_run

    return train_run(tiny_config(small_dataset, "baseline"))  # TF-IDF + LR: 0.82 on this set in a second


@pytest.fixture
def index(run, small_dataset):
    return SearchIndex.build(run.path, load_collection(small_dataset))


def test_the_index_is_stored_in_the_run_folder_and_reloads_the_same(run, index, small_dataset):
    assert (run.path / "search" / small_dataset / "manifest.json").is_file()
    again = SearchIndex.load(run.path, small_dataset)
    np.testing.assert_array_equal(again.vectors, index.vectors)
    assert again.manifest["texts"] == len(index.items) == 240
    assert np.allclose(np.linalg.norm(index.vectors, axis=1), 1.0, atol=1e-4)


def test_a_copied_home_keeps_its_indexes_and_replaced_weights_do_not(run, index, small_dataset, tmp_path):
    """A home copied with ``cp -a`` kept the bytes but not the inodes: every index read as built "from
    weights the run has replaced since" and was embedded again."""
    import shutil

    copy = tmp_path / "copied-run"
    shutil.copytree(run.path, copy, copy_function=shutil.copy2)  # as cp -a: bytes and times, new inodes
    source = index.manifest["source"]
    assert SearchIndex.is_current(copy, small_dataset, source)
    assert SearchIndex.load(copy, small_dataset).manifest["texts"] == 240
    weights = copy / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-1] + b" ")  # replaced: another file of the same size
    assert not SearchIndex.is_current(copy, small_dataset, source)
    with pytest.raises(StudioError, match="replaced since"):
        SearchIndex.load(copy, small_dataset)


def test_the_build_s_progress_counts_the_batch_just_embedded(run, small_dataset, monkeypatch):
    """The bar ran a batch behind its words: 512 of 1,200 texts showed 0.0008, and a small collection
    sat at 0 % to its end."""
    import core.search as search

    monkeypatch.setattr(search, "EMBED_BATCH", 100)
    said = []
    SearchIndex.build(run.path, load_collection(small_dataset), progress=lambda phase, share=None: said.append(share))
    assert [share for share in said if share is not None][:3] == [
        pytest.approx(100 / 240),
        pytest.approx(200 / 240),
        1.0,
    ]


def test_top_k_is_the_exact_matrix_product_answer(run, index):
    from core.inference import Predictor

    predictor = Predictor.from_run(run.path)
    query = index.embed_query(predictor, index.items["text"][7])
    found = index.top(query, k=10)
    brute = np.argsort(-(index.vectors @ query), kind="stable")[:10]
    assert found["id"].tolist() == brute.tolist()
    assert found["id"][0] == 7 and found["score"][0] == pytest.approx(1.0, abs=1e-4)
    assert (np.diff(found["score"].to_numpy()) <= 1e-6).all()


def test_the_typical_score_is_the_median_against_the_collection(index):
    query = index.vectors[3]
    assert index.typical_score(query) == pytest.approx(float(np.median(index.vectors @ query)), abs=1e-6)
    # a sample stands in for a big collection, close to the exact median
    assert index.typical_score(query, sample=200) == pytest.approx(float(np.median(index.vectors @ query)), abs=0.05)
    assert index.typical_score(query) < index.top(query, k=10)["score"].min()  # the top ten stand out


def test_a_texts_nearest_neighbours_mostly_share_its_class(index):
    labels = index.items["label"].to_numpy()
    precision = [float((index.more_like(i, k=10)["label"].to_numpy() == labels[i]).mean()) for i in range(len(labels))]
    # 4 classes of 60: chance is 0.25; the trained encoder's neighbours share the class (measured 0.48)
    assert np.mean(precision) > 0.4, np.mean(precision)


def test_filters_and_more_like_this(index):
    label = str(index.items["label"].iloc[0])
    found = index.more_like(0, k=5, labels=[label])
    assert 0 not in found["id"].tolist() and set(found["label"].astype(str)) == {label}
    lang = index.items["lang"].iloc[0]
    assert set(index.top(index.vectors[0], k=20, langs=[lang])["lang"]) == {lang}
    assert index.top(index.vectors[0], k=5, labels=["no such class"]).empty
    with pytest.raises(StudioError, match=r"No text #10000 .*#1 to #240"):  # counted from 1, as the page shows
        index.more_like(9999)


def test_diverse_results_trade_relevance_for_variety(index):
    query = index.vectors[3]
    plain = index.top(query, k=8)
    same = index.diverse(query, k=8, balance=1.0, pool=50)
    assert same["id"].tolist() == plain["id"].tolist()
    varied = index.diverse(query, k=8, balance=0.3, pool=50)
    assert len(set(varied["id"])) == 8 and varied["id"][0] == plain["id"][0]

    def spread(ids):
        v = index.vectors[np.asarray(ids)]
        sims = v @ v.T
        return float(sims[np.triu_indices(len(ids), 1)].mean())

    assert spread(varied["id"]) < spread(plain["id"])  # less alike among themselves


def test_a_text_file_is_a_collection_and_a_missing_index_says_how_to_build_it(run, tmp_path):
    path = tmp_path / "mine.txt"
    path.write_text("足球比赛今晚开始\nthe football match starts tonight\n股市今天大涨\n", encoding="utf-8")
    collection = load_collection(str(path))
    assert collection.key.startswith("file-") and collection.frame["label"].isna().all()
    with pytest.raises(StudioError, match="no search index"):
        SearchIndex.load(run.path, collection.key)
    built = SearchIndex.ensure(run.path, collection)
    assert len(built.items) == 3 and set(built.items["lang"]) == {"zh", "en"}


def test_a_damaged_index_is_refused_with_a_message(run, index, small_dataset):
    (index.folder / "vectors.npy").write_bytes(b"not numpy")
    with pytest.raises(StudioError, match="damaged.*build it again"):
        SearchIndex.load(run.path, small_dataset)


def test_the_approximate_index_agrees_with_exact_search(tmp_path, monkeypatch):
    from core.inference import SearchSpace

    monkeypatch.setattr("core.search.APPROXIMATE_FROM", 1000)
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(50, 32))
    raw = (centres[rng.integers(0, 50, 5000)] + 0.3 * rng.normal(size=(5000, 32))).astype(np.float32)
    space = SearchSpace.fit(raw)
    vectors = space.transform(raw)
    items = pd.DataFrame({"text": [f"t{i}" for i in range(5000)], "label": None, "lang": "en"})
    index = SearchIndex(tmp_path, vectors, items, space, {})
    assert index.graph() is None  # a query never builds the graph: it searches exactly until one is built
    index.graph(build=True)
    recall = []
    for q in range(50):
        exact = set(np.argsort(-(vectors @ vectors[q]))[:10].tolist())
        found = index.top(vectors[q], k=10)
        recall.append(len(exact & set(found["id"].tolist())) / 10)
    assert index._graph is not None and (tmp_path / "hnsw.faiss").is_file()
    assert np.mean(recall) >= 0.95


def test_a_rebuilt_index_never_answers_from_the_old_graph(run, small_dataset, monkeypatch):
    """A rebuild (the dataset's rows changed) kept the old hnsw.faiss: its ids pointed at other texts."""
    from dataclasses import replace

    monkeypatch.setattr("core.search.APPROXIMATE_FROM", 100)
    collection = load_collection(small_dataset)
    SearchIndex.build(run.path, collection)
    shuffled = collection.frame.sample(frac=1, random_state=0).reset_index(drop=True)
    rebuilt = SearchIndex.build(run.path, replace(collection, frame=shuffled, source="other rows"))
    for q in (0, 50, 100):
        found = rebuilt.top(rebuilt.vectors[q], k=5)["id"].tolist()
        assert found[0] == q and rebuilt.items["text"][q] == shuffled["text"][q]
    fewer = SearchIndex(rebuilt.folder, rebuilt.vectors[:150], shuffled[:150], rebuilt.space, {})
    assert fewer.graph() is None  # a graph over other vectors is not used: exact search until one is built
    (rebuilt.folder / "hnsw.faiss").write_bytes(b"cut short")
    damaged = SearchIndex(rebuilt.folder, rebuilt.vectors, shuffled, rebuilt.space, {})
    assert damaged.graph() is None and damaged.top(damaged.vectors[7], k=3)["id"][0] == 7
    assert damaged.graph(build=True).ntotal == len(shuffled)  # built again over the damaged file


def test_copies_of_a_text_do_not_count_as_its_neighbours_when_fitting_the_space():
    from core.inference import SearchSpace

    rng = np.random.default_rng(0)
    distinct = rng.normal(size=(40, 16)).astype(np.float32)  # spread already: no whitening wanted
    assert SearchSpace.fit(distinct).shrink is None
    # 60% of the texts again (a file of repeated lines): copies used to look like near-copies that no
    # whitening could pull apart, and the space ended whitened as far as it goes
    repeated = np.concatenate([distinct, distinct[rng.integers(0, 40, 60)]])
    assert SearchSpace.fit(repeated).shrink is None
    assert SearchSpace.fit(np.repeat(distinct[:1], 5, axis=0)).shrink is None  # one text, five times


def test_a_query_of_common_words_only_is_told_apart():
    from core.search import only_common_words

    for query in ("the and of to it is", "What is this?", "我的", "这是我的", "It is", "it's", "don't"):
        assert only_common_words(query), query
    for query in ("crash", "the refund", "退款", "我的快递", "。", "", "login 的", "ありがとう", "5G"):
        assert not only_common_words(query), query


def test_a_one_word_query_the_model_cannot_read_is_offered_the_collection_s_words_that_start_with_it():
    from core.search import words_starting_with

    texts = ["The app crashes on login", "It crashed twice", "crashes again!", "No crash here", "Crashes, Crashes"]
    assert words_starting_with("crash", texts) == [("crashes", 4), ("crashed", 1)]
    assert words_starting_with("crash", texts, limit=1) == [("crashes", 4)]
    for query in ("crash login", "cr", "崩溃", "zzzq"):
        assert words_starting_with(query, texts) == [], query


def test_matched_terms_for_highlighting():
    text = "The football match: Football fans, footballers"
    spans = matched_terms("the football tonight", text)
    assert [text[a:b] for a, b in spans] == ["football", "Football"]  # whole words; "the" is too common
    assert [("今晚足球比赛"[a:b]) for a, b in matched_terms("足球", "今晚足球比赛")] == ["足球"]
    assert [("服务很好"[a:b]) for a, b in matched_terms("很好", "服务很好")] == ["好"]
    # a word is kept whole: "不错" trimmed to 错 lit up "送错了"; one of function characters alone is left out
    assert matched_terms("服务不错", "快递送错了") == [] and matched_terms("我们的", "我们的酒店") == []
    # mixed queries: Latin words inside unspaced Chinese, and a Chinese query's Latin words
    mixed = "我的iPhone屏幕碎了怎么办"
    assert [mixed[a:b] for a, b in matched_terms("iPhone 屏幕碎了", mixed)] == ["iPhone", "屏幕", "碎"]
    assert [("新款5G手机"[a:b]) for a, b in matched_terms("5G手机", "新款5G手机")] == ["5G", "手机"]
    # Chinese by words, not characters: 服 in 舒服 and 间 in 标间 lit up for "房间很干净，服务周到"
    review = "床很舒服的，标间不大，但是房间很干净"
    assert [review[a:b] for a, b in matched_terms("房间很干净，服务周到", review)] == ["房间", "干净"]
    # a compound jieba keeps whole still finds its parts: "足球比赛" is one word to it
    match = "这场比赛裁判给了三张红牌"
    assert [match[a:b] for a, b in matched_terms("足球比赛", match)] == ["比赛"]
    assert matched_terms("phone", "iPhones 手机") == []  # still whole words only


def test_search_and_similar_from_the_cli(run, small_dataset, capsys, tmp_path):
    from core.cli import main

    # a mistyped file path is said to be one, not "To train on a file, import it first"
    assert main(["search", "--run", run.id, "--collection", str(tmp_path / "missing.txt"), "--query", "足球"]) == 1
    err = capsys.readouterr().err
    assert f"No file at {tmp_path / 'missing.txt'}" in err and "import it first" not in err, err
    assert main(["search", "--run", run.id, "--collection", str(tmp_path), "--query", "足球"]) == 1
    assert f"{tmp_path} is a folder" in capsys.readouterr().err

    assert main(["search", "--run", run.id, "--collection", small_dataset, "--query", "足球 比赛", "-k", "3"]) == 0
    said = capsys.readouterr()
    out = json.loads(said.out)
    assert len(out["results"]) == 3 and {"id", "text", "label", "score"} <= set(out["results"][0])
    assert "only common words" not in said.err
    assert main(["search", "--run", run.id, "--collection", small_dataset, "--query", "这是我的", "-k", "3"]) == 0
    assert "warning: the query is only common words" in capsys.readouterr().err
    first = out["results"][0]["id"]
    assert (
        main(
            [
                "similar",
                "--run",
                run.id,
                "--collection",
                small_dataset,
                "--id",
                str(first),
                "-k",
                "4",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert (
        lines[0].startswith("id,") and len(lines) == 5 and not any(line.startswith(f"{first},") for line in lines[1:])
    )
    assert main(["similar", "--run", run.id, "--collection", small_dataset, "--id", "1", "--diverse", "0.3"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["results"]) == 10 and out["text"] == load_collection(small_dataset).frame["text"][0]
    assert 1 not in [row["id"] for row in out["results"]]  # #1 is the first text, left out of its own neighbours
    # an empty query, one of words the model never saw, or one with no words at all, ranks nothing
    for query, reason in (
        ("  ", "The query is empty"),
        ("qqqx zzzy", "None of the query's words"),
        ("。", "The query has no words"),  # ranked every text by the model's bias, the first at 0.81
    ):
        assert main(["search", "--run", run.id, "--collection", small_dataset, "--query", query]) == 1
        captured = capsys.readouterr()
        assert reason in captured.err and not captured.out, captured
    # a label no text has (a typo, another case) printed a bare CSV header
    assert (
        main(["search", "--run", run.id, "--collection", small_dataset, "--query", "足球 比赛", "--label", "Sports"])
        == 1
    )
    assert "No text of this collection has the label 'Sports'; its labels are 'food'" in capsys.readouterr().err
    assert main(["similar", "--run", run.id, "--collection", small_dataset, "--id", "1", "--lang", "mixed"]) == 0


def test_a_text_with_nothing_the_encoder_reads_has_no_neighbours_from_any_path(run, small_dataset, tmp_path, capsys):
    """Its zero vector scored 0 against every text: --diverse and the page listed the first texts as its neighbours."""
    from core.cli import main

    texts = load_collection("small").frame["text"].head(3).tolist()  # texts the encoder learned from
    lines = [texts[0], "。", *texts[1:]]
    (tmp_path / "few.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    index = SearchIndex.ensure(run.path, load_collection(str(tmp_path / "few.txt")))
    with pytest.raises(StudioError, match="Text #2 has nothing this encoder can read"):
        index.item_vector(1)
    assert index.item_vector(0).any() and index.blank.tolist() == [False, True, False, False]
    # nor is it anyone's neighbour: its score of 0 ranked it above the texts that scored below it
    assert 1 not in index.top(-index.vectors[0], k=10)["id"].tolist()
    assert 1 not in index.diverse(index.vectors[2], k=10, balance=0.3)["id"].tolist()
    for extra in ([], ["--diverse", "0.5"]):
        assert main(["similar", "--run", run.id, "--collection", str(tmp_path / "few.txt"), "--id", "2", *extra]) == 1
        captured = capsys.readouterr()
        assert "has nothing this encoder can read" in captured.err and not captured.out


def test_uploaded_and_file_collections_are_composed_as_datasets_and_queries_are(studio_home, tmp_path):
    """A file saved by macOS spells "pâté" with a combining accent: the query, composed, never
    highlighted it, and its vector was another text's."""
    import unicodedata

    from core.search import save_upload

    decomposed = unicodedata.normalize("NFD", "pâté de campagne")
    collection = load_collection(save_upload(f"text\n{decomposed}\nplain words\n".encode(), "menu.csv"))
    assert collection.frame["text"].tolist() == ["pâté de campagne", "plain words"]
    assert [collection.frame["text"][0][a:b] for a, b in matched_terms("pâté", collection.frame["text"][0])] == ["pâté"]
    (tmp_path / "menu.txt").write_text(decomposed + "\n", encoding="utf-8")
    assert load_collection(str(tmp_path / "menu.txt")).frame["text"].tolist() == ["pâté de campagne"]


def test_a_collection_of_one_or_two_texts_is_searched_by_plain_cosine(run, tmp_path):
    """Centred on its own mean, one text was nothing ("no other text passes the filters") and two
    became exact opposites: two texts about football at cosine 0.96 scored -1.000."""
    from core.inference import Predictor

    predictor = Predictor.from_run(run.path)
    (tmp_path / "one.txt").write_text("the striker scored twice in the cup final\n", encoding="utf-8")
    one = SearchIndex.build(run.path, load_collection(str(tmp_path / "one.txt")))
    assert not one.blank.any()
    assert one.top(one.embed_query(predictor, "a goal in the final"), k=5)["id"].tolist() == [0]
    copies = "the striker scored twice in the cup final\n" * 3 + "the keeper saved a penalty in the cup final\n"
    (tmp_path / "copies.txt").write_text(copies, encoding="utf-8")
    repeated = SearchIndex.build(run.path, load_collection(str(tmp_path / "copies.txt")))
    assert repeated.more_like(0, k=5)["id"].tolist() == [3]  # its own copies are not "more like" it
    pair = "the striker scored twice in the cup final\nthe keeper saved a penalty in the cup final\n"
    (tmp_path / "two.txt").write_text(pair, encoding="utf-8")
    two = SearchIndex.build(run.path, load_collection(str(tmp_path / "two.txt")))
    raw = predictor.embed(pair.splitlines())
    raw = raw / np.linalg.norm(raw, axis=1, keepdims=True)
    assert float(two.vectors[0] @ two.vectors[1]) == pytest.approx(float(raw[0] @ raw[1]), abs=1e-5)
    assert float(two.vectors[0] @ two.vectors[1]) > 0


def test_more_like_these_searches_from_the_middle_of_a_selection(run, index):
    from core.inference import Predictor

    predictor = Predictor.from_run(run.path)
    labels = index.items["label"].astype(str).to_numpy()
    picked = np.flatnonzero(labels == labels[0])[:6]
    texts = index.items["text"].iloc[picked].tolist()
    vector = index.embed_group(predictor, texts)
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-5)
    assert index.ids_of(texts) == set(picked.tolist())
    found = index.top(vector, k=10, exclude=index.ids_of(texts))
    assert not set(found["id"]) & set(picked.tolist())
    # the middle of six texts of one class pulls in that class (chance: 0.25)
    assert (found["label"].astype(str) == labels[0]).mean() >= 0.5
    with pytest.raises(StudioError, match="at least one text"):
        index.embed_group(predictor, [])


def test_an_uploaded_file_of_texts_becomes_a_searchable_collection(run, studio_home):
    from core.errors import DataError
    from core.search import collection_key, save_upload, uploaded_collections

    csv = "review,stars\n房间很干净，服务很好,5\nthe room was dirty,1\n早餐一般,\n".encode("gb18030")
    ref = save_upload(csv, "酒店评论.csv")
    # a safe id, but the name as the file had it: every Chinese file name was listed as "texts"
    assert ref.startswith("upload:texts-") and uploaded_collections() == {ref: ("酒店评论", 3)}
    assert load_collection("酒店评论").key == collection_key(ref)
    collection = load_collection(ref)
    assert collection.frame["text"].tolist() == ["房间很干净，服务很好", "the room was dirty", "早餐一般"]
    assert collection.frame["label"].tolist()[:2] == ["5", "1"] and pd.isna(collection.frame["label"][2])
    assert collection.frame["lang"].tolist() == ["zh", "en", "zh"]
    built = SearchIndex.build(run.path, collection)
    assert (run.path / "search" / collection_key(ref) / "manifest.json").is_file()
    # "the room was dirty" has no word this run learned: no place by meaning, so no one's neighbour
    assert built.blank.tolist() == [False, True, False] and built.more_like(0, k=2)["id"].tolist() == [2]
    # plain text: one text per line, unlabelled
    lines = save_upload(b"first line\n\nsecond line\n", "notes.txt")
    assert load_collection(lines).frame["text"].tolist() == ["first line", "second line"]
    # by the name the page lists it under, as the command line's --collection takes it
    assert load_collection("notes").key == collection_key(lines)
    # a workbook's second sheet, kept apart from its first
    from tests.malformed import xlsx

    book = xlsx([["owner"], ["Ann"]], [["review"], ["quiet room"], ["noisy street"]])()
    second = save_upload(book, "hotel.xlsx", sheet="Sheet2")
    assert load_collection(second).frame["text"].tolist() == ["quiet room", "noisy street"]
    first = save_upload(book, "hotel.xlsx", sheet="Sheet1")
    assert load_collection(first).frame["text"].tolist() == ["Ann"]
    assert uploaded_collections()[second][0] == "hotel Sheet2" and uploaded_collections()[first][0] == "hotel Sheet1"
    # no sheet named: the sheet a picker opens on, not a first sheet that is a short note
    likeliest = save_upload(book, "hotel.xlsx")
    assert load_collection(likeliest).frame["text"].tolist() == ["quiet room", "noisy street"]
    assert uploaded_collections()[likeliest][0] == "hotel"
    # nothing to search: a clear error, and nothing kept
    before = set(uploaded_collections())
    for bad, name in ((b"", "empty.txt"), (b"\n \n", "blank.txt")):
        with pytest.raises(DataError):
            save_upload(bad, name)
    assert set(uploaded_collections()) == before
    with pytest.raises(DataError, match="add the file again"):
        load_collection("upload:gone-12345678")
    from core.search import remove_upload

    remove_upload(lines)
    assert lines not in uploaded_collections() and ref in uploaded_collections()
    # removed, an upload's texts go from the runs' indexes too: each index is a copy of them
    remove_upload(ref)
    assert not (run.path / "search" / collection_key(ref)).exists()


def test_deleting_a_dataset_deletes_the_copies_of_its_texts_in_the_runs_search_indexes(run, index, small_dataset):
    """A support lead deleted a dataset of customer tickets; 2,000 of their texts stayed in items.parquet
    in every run folder they had been searched from."""
    from core.registry import DatasetStore
    from core.training.runner import train_run

    other = train_run(tiny_config(small_dataset, "bow_mlp"))
    SearchIndex.build(other.path, load_collection(small_dataset))
    SearchIndex.build(other.path, load_collection("starter"))  # another collection's index stays
    assert (run.path / "search" / small_dataset / "items.parquet").is_file()
    DatasetStore().delete(small_dataset)  # the runs stay (not with_runs): their indexes of it do not
    assert run.path.is_dir() and other.path.is_dir()
    assert not (run.path / "search" / small_dataset).exists() and not (other.path / "search" / small_dataset).exists()
    assert (other.path / "search" / "starter" / "items.parquet").is_file()


def test_a_short_query_finds_its_topic_not_the_texts_that_are_short_like_it():
    """A query of a few known words has a raw vector a fraction as long as a document's. Centred as
    it was, it pointed away from the mean, so its nearest texts were the short ones of any topic."""
    from core.inference import SearchSpace

    rng = np.random.default_rng(0)
    common, sport, politics = np.eye(16, dtype=np.float32)[:3]

    def documents(topic, length, n):  # positive vectors sharing a large common direction, as ReLU outputs do
        return length * (3 * common + topic + 0.05 * np.abs(rng.normal(size=(n, 16))).astype(np.float32))

    # long sports reports, shorter political briefs
    raw = np.concatenate([documents(sport, 10.0, 50), documents(politics, 6.0, 50)])
    labels = np.array(["sport"] * 50 + ["politics"] * 50)
    space = SearchSpace.fit(raw)
    query = 0.3 * (3 * common + sport)  # "football match": two words, both sports
    nearest = np.argsort(-(space.transform(raw) @ space.transform(query[None])[0]))[:10]
    assert (labels[nearest] == "sport").all(), labels[nearest]


def test_texts_the_encoder_cannot_read_never_outrank_a_real_match(run, small_dataset):
    """A lone "。" or a line of words the model never saw has the model's bias for a vector, close to
    every short query: it ranked first at 0.997. Stored as zero vectors, they score 0."""
    from core.inference import Predictor
    from core.search import save_upload

    texts = load_collection(small_dataset).frame["text"].astype(str).tolist()[:120]
    junk = ["。", "!!!", "🙂🙂", "zzqxv wqpfj", "。。"]
    ref = save_upload("\n".join(texts + junk).encode(), "mixed.txt")
    index = SearchIndex.build(run.path, load_collection(ref))
    assert index.manifest["unreadable"] == len(junk)
    junk_ids = set(range(len(texts), len(texts) + len(junk)))
    assert np.abs(index.vectors[sorted(junk_ids)]).max() == 0.0
    predictor = Predictor.from_run(run.path)
    for query in ("football", "the match", "phone", "美食"):
        found = index.top(index.embed_query(predictor, query), k=10)
        assert not junk_ids & set(found["id"].tolist()), (query, found)
    # "more like this" on one of them says why there is nothing, rather than listing 0.000s
    with pytest.raises(StudioError, match="nothing this encoder can read"):
        index.more_like(len(texts))


def test_the_cli_warns_on_a_query_it_mostly_cannot_read_and_rounds_csv_scores(run, small_dataset, capsys):
    from core.cli import main

    args = ["search", "--run", run.id, "--collection", small_dataset, "-k", "3", "--format", "csv"]
    assert main([*args, "--query", "足球 qqqx zzzy wwvq"]) == 0  # one known word, three unknown
    captured = capsys.readouterr()
    assert re.search(r"warning: only \d+% of the query's words", captured.err), captured.err
    scores = [line.rsplit(",", 1)[1] for line in captured.out.strip().splitlines()[1:]]
    assert len(scores) == 3 and all(len(score.split(".")[-1]) <= 4 for score in scores), scores
    assert main([*args, "--query", "足球 比赛"]) == 0
    assert "warning" not in capsys.readouterr().err


def _plain_svd_space(vectors: np.ndarray, shrink: float | None) -> np.ndarray:
    """The search space of ``shrink`` as a full SVD gives it, for rows of ``vectors`` (unit, float64)."""
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    centred = unit - unit.mean(0)
    _, singular, basis = np.linalg.svd(centred, full_matrices=False)
    if shrink is not None:
        variance = singular**2 / len(unit)
        centred = (centred @ basis.T) / np.sqrt(variance + shrink * variance.mean() + 1e-12)
    return centred / np.linalg.norm(centred, axis=1, keepdims=True)


@pytest.mark.parametrize("rows,dims", [(3000, 24), (40, 64)])
def test_the_space_fitted_block_by_block_is_the_one_a_full_svd_gives(monkeypatch, rows, dims):
    """Fitting held about eight full copies of the vectors at once (a full SVD's U among them): the
    fit now goes block by block, and must still whiten exactly as the SVD did."""
    from core.inference import SearchSpace

    monkeypatch.setattr(SearchSpace, "CHUNK", 512)  # several blocks, one of them short
    rng = np.random.default_rng(1)
    stretch = np.r_[300.0, 100.0, np.geomspace(1.0, 0.1, dims - 2)]  # two directions hold the spread: whitened
    raw = (rng.normal(size=(rows, dims)) * stretch + 5.0).astype(np.float32)
    raw[7] = raw[3]  # a copy, which is not a neighbour
    space = SearchSpace.fit(raw)
    assert space.shrink is not None  # the case where the basis matters
    mapped = space.transform(raw).astype(np.float64)
    expected = _plain_svd_space(raw.astype(np.float64), space.shrink)
    # the same geometry: every text's cosines to a few others agree (directions may flip sign)
    np.testing.assert_allclose(mapped @ mapped[:5].T, expected @ expected[:5].T, atol=2e-3)


@pytest.mark.parametrize("edit", ["width", "flat", "no_lang", "nan", "space"])
def test_a_hand_edited_index_that_still_loads_is_refused_and_built_again(run, index, small_dataset, edit, capsys):
    """Vectors of another width, a column gone, a NaN row: the index loaded, then every query failed with
    a traceback on the page ("matmul: Input operand 1 has a mismatch") and the CLI, and it was never rebuilt."""
    from core.cli import main

    folder = index.folder
    if edit in ("width", "flat", "nan"):
        vectors = np.load(folder / "vectors.npy")
        if edit == "nan":
            vectors[5] = np.nan
        np.save(
            folder / "vectors.npy",
            {"width": vectors[:, :-1], "flat": vectors[:, 0], "nan": vectors}[edit],
            allow_pickle=False,
        )
    elif edit == "no_lang":
        items = pd.read_parquet(folder / "items.parquet")
        items.drop(columns=["lang"]).to_parquet(folder / "items.parquet")
    else:
        with np.load(folder / "space.npz") as data:
            parts = {name: data[name] for name in data.files}
        parts["centre"] = parts["centre"][:-1]
        np.savez(folder / "space.npz", **parts)
    with pytest.raises(StudioError, match="damaged.*build it again"):
        SearchIndex.load(run.path, small_dataset)
    args = ["search", "--run", run.id, "--collection", small_dataset, "--query", "足球 比赛", "-k", "3"]
    assert main(args) == 0, capsys.readouterr().err  # built again, then answered
    assert len(json.loads(capsys.readouterr().out)["results"]) == 3
    assert SearchIndex.load(run.path, small_dataset).vectors.shape == index.vectors.shape


def test_diverse_similar_leaves_out_the_text_s_own_copies(run, index, tmp_path, capsys):
    """`similar --diverse` left out the text itself but not its copies: three of the same sentence at 1.000."""
    from core.cli import main

    texts = index.items["text"].tolist()
    lines = [texts[0]] * 4 + texts[1:13]
    path = tmp_path / "copies.csv"
    pd.DataFrame({"text": lines}).to_csv(path, index=False)
    args = ["similar", "--run", run.id, "--collection", str(path), "--id", "1", "-k", "4", "--diverse", "0.9"]
    assert main(args) == 0
    found = json.loads(capsys.readouterr().out)["results"]
    assert len(found) == 4 and lines[0] not in [r["text"] for r in found]


def test_a_text_file_is_numbered_on_the_command_line_as_on_the_search_page(studio_home, tmp_path):
    """A line past 100,000 characters became several texts on the command line (one, cut, on the page),
    and a byte-order mark stayed in the first text: "#N" named other texts in the two places."""
    from core.search import save_upload

    data = ("\ufeff比赛很精彩\n\n" + "x" * 240_000 + "\nlast line here\n").encode("utf-8")
    path = tmp_path / "texts.txt"
    path.write_bytes(data)
    cli = load_collection(str(path)).frame["text"].tolist()
    page = load_collection(save_upload(data, "texts.txt")).frame["text"].tolist()
    assert cli == page and len(cli) == 3 and cli[0] == "比赛很精彩" and len(cli[1]) < 240_000


def test_a_whitened_space_of_a_small_collection_is_a_sound_index():
    """A collection of 12 texts kept 12 of a 64-wide encoder's directions: the check of the space's width
    called every such index damaged, and the page built it again and again."""
    from core.inference import SearchSpace
    from core.search import _index_problem

    items = pd.DataFrame({"text": [f"t{i}" for i in range(12)], "label": None, "lang": "en"})
    rng = np.random.default_rng(0)
    space = SearchSpace(rng.normal(size=64).astype(np.float32), rng.normal(size=(12, 64)), np.ones(12), 0.1)
    vectors = rng.normal(size=(12, 12)).astype(np.float32)
    assert _index_problem(vectors, items, space, {"dim": 12}) is None
    assert (
        _index_problem(vectors[:, :11], items, space, {"dim": 11})
        == "its search space has another width than its vectors"
    )
    plain = SearchSpace(np.zeros(64, dtype=np.float32))
    assert _index_problem(rng.normal(size=(12, 64)).astype(np.float32), items, plain, {"dim": 64}) is None


def test_a_text_file_on_this_machine_is_not_held_to_the_upload_limit(tmp_path, monkeypatch):
    """A text file of 1.4 million lines (230 MB) was searched before it went through the page's reader,
    then refused at its 200 MB upload limit, with no way to raise it from the command line."""
    import core.data

    seen = []
    real = core.data.load_file
    monkeypatch.setattr(core.data, "load_file", lambda *a, **k: seen.append(k.get("limits")) or real(*a, **k))
    path = tmp_path / "texts.txt"
    path.write_text("first text\nsecond text\n", encoding="utf-8")
    assert len(load_collection(str(path)).frame) == 2
    assert seen and seen[0].max_file_mb == float("inf")


def test_a_stored_dataset_is_searched_before_a_file_of_the_same_name_in_the_working_folder(
    studio_home, tmp_path, monkeypatch
):
    """A security review: a dataset imported as ``--id requirements.txt`` was searched as the server's own
    requirements.txt, whose lines anyone browsing the collection then saw."""
    import pandas as pd

    from core.registry import DatasetStore
    from core.search import collection_key, load_collection

    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("a secret of the server\nanother line\n", encoding="utf-8")
    frame = pd.DataFrame({"text": ["球队赢了", "新手机"], "label": ["sports", "tech"], "split": ["train", "test"]})
    DatasetStore().save(frame, "notes", "test", {}, dataset_id="notes.txt")
    collection = load_collection("notes.txt")
    assert collection.frame["text"].tolist() == ["球队赢了", "新手机"] and collection_key("notes.txt") == "notes.txt"
    assert load_collection(str(tmp_path / "notes.txt")).frame["text"].iloc[0] == "a secret of the server"


def test_texts_of_emoji_a_model_never_met_are_blanked_in_the_index_also_for_a_transformer(small_dataset):
    """A review: a WordPiece model reads emoji it never met as [UNK], whose vector is not the empty text's,
    so "🙏🙏" kept a bias-driven vector that sits near every short query."""
    from core.inference import Predictor, unreadable_rows
    from core.training.runner import RunConfig, train_run

    deep = train_run(tiny_config(small_dataset, "transformer", epochs=1))
    base = train_run(RunConfig.create(small_dataset, "baseline"))
    from core.registry import DatasetStore

    frame = DatasetStore().load(small_dataset)
    own = frame["text"].iloc[0]  # one of its training texts
    for run in (deep, base):
        predictor = Predictor.from_run(run.path)
        texts = ["🙏🙏", "。！", own, frame["text"].iloc[-1]]
        assert predictor.known_share("🙏🙏") == 0
        raw = np.asarray(predictor.embed(texts), dtype=np.float32)
        assert unreadable_rows(predictor, texts, raw).tolist() == [True, True, False, False], run.id


def test_a_vector_that_is_not_a_number_is_left_out_not_the_whole_index(run, small_dataset, monkeypatch):
    """One NaN vector made the fitted centre NaN, every stored vector NaN, and an index that every load
    refused, which the page then built again at each query."""
    from core.inference import Predictor

    predictor = Predictor.from_run(run.path)
    collection = load_collection(small_dataset)
    real, poisoned = predictor.embed, collection.frame["text"].iloc[0]

    def one_is_nan(texts, *args, **kwargs):
        out = np.array(real(texts, *args, **kwargs), dtype=np.float32)
        out[[text == poisoned for text in texts]] = np.nan  # weights that diverged on one input
        return out

    monkeypatch.setattr(predictor, "embed", one_is_nan)
    built = SearchIndex.build(run.path, collection, predictor=predictor)
    loaded = SearchIndex.load(run.path, small_dataset)
    assert np.isfinite(loaded.vectors).all() and built.blank[0] and built.blank.sum() >= 1
    found = loaded.top(loaded.vectors[5], 3)
    assert 0 not in found["id"].tolist() and found["id"].iloc[0] == 5

    monkeypatch.setattr(predictor, "embed", lambda texts, *a, **k: np.full((len(texts), 4), np.nan))
    with pytest.raises(StudioError, match="not numbers"):
        SearchIndex.build(run.path, collection, predictor=predictor)


def test_a_collection_removed_while_its_index_is_built_leaves_no_copy_of_its_texts(run, small_dataset):
    from core.registry import DatasetStore
    from core.search import remove_upload, save_upload

    ref = save_upload(b"text\nmy secret one\nmy secret two\nmy secret three\n", "secrets.csv")
    collection = load_collection(ref)  # the worker has read it ...
    remove_upload(ref)  # ... and the user removes it before the build ends
    with pytest.raises(StudioError, match="was removed while its search index was built"):
        SearchIndex.build(run.path, collection)
    assert not list((run.path / "search").glob("upload-*/items.parquet"))

    collection = load_collection(small_dataset)
    DatasetStore().delete(small_dataset)
    with pytest.raises(StudioError, match="was removed"):
        SearchIndex.build(run.path, collection)
    assert not (run.path / "search" / small_dataset).exists()


def test_the_typical_score_is_of_texts_with_a_place_by_meaning(index):
    vector = index.vectors[0]
    before = index.typical_score(vector)
    index.vectors = np.vstack([index.vectors, np.zeros((2000, index.vectors.shape[1]), dtype=np.float32)])
    index.blank = np.concatenate([index.blank, np.ones(2000, dtype=bool)])
    assert index.typical_score(vector) == pytest.approx(before)


def test_words_joined_by_underscores_and_two_letter_terms_are_highlighted():
    """A log search found "WARN db_pool_size exhausted" by "pool" and lit only "exhausted"; "db" was never
    lit, and "10" of an IP address lit every timestamp's minutes."""
    text = "WARN db_pool_size exhausted at 2024-05-10T12:10:50Z host=web-01 access_4.log"

    def lit(query):
        return [text[a:b] for a, b in matched_terms(query, text)]

    assert lit("pool exhausted") == ["pool", "exhausted"]
    assert lit("db timeout host=10.0.3.7") == ["db", "host"]
    assert lit("awk access.log") == ["access", "log"]
    assert lit("what is it at") == []  # function words, two letters or more, light nothing


def test_an_index_shows_the_rows_of_the_import_it_was_built_from(run, small_dataset):
    """The same rows imported again from a file with a title line added stand on other lines: an index
    that shows row numbers is stale then, though the rows' digest is the same."""
    from core.data import FILE_ROW
    from core.registry import DatasetStore
    from core.search import collection_source

    store = DatasetStore()
    rows = store.load(small_dataset).assign(**{FILE_ROW: lambda f: f.index + 2})
    store.save(rows, "small", "test", {}, dataset_id=small_dataset, overwrite=True)
    SearchIndex.build(run.path, load_collection(small_dataset))
    assert SearchIndex.is_current(run.path, small_dataset, collection_source(small_dataset))
    before = store.info(small_dataset).sha256
    store.save(
        rows.assign(**{FILE_ROW: rows[FILE_ROW] + 1}), "small", "test", {}, dataset_id=small_dataset, overwrite=True
    )
    assert store.info(small_dataset).sha256 == before  # the same rows ...
    assert not SearchIndex.is_current(run.path, small_dataset, collection_source(small_dataset))  # ... elsewhere
    assert SearchIndex.build(run.path, load_collection(small_dataset)).items[FILE_ROW].iloc[0] == 3


def test_a_workbook_on_this_machine_is_searched_as_a_collection(tmp_path):
    """``search --collection tickets.xlsx`` refused the workbook as damaged: "OverflowError: cannot convert
    float infinity to integer", from the file-size limit a file of this machine is not held to."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["text", "label"])
    for i in range(6):
        sheet.append([f"ticket number {i} about billing", "billing"])
    path = tmp_path / "tickets.xlsx"
    book.save(path)
    collection = load_collection(str(path))
    assert len(collection.frame) == 6 and collection.frame["row"].tolist() == [2, 3, 4, 5, 6, 7]


def test_a_read_only_home_is_said_before_the_texts_are_embedded(run, small_dataset, monkeypatch):
    """`search` on a read-only home embedded all 5,607 texts, then failed on the write."""
    import errno
    import tempfile

    from core.inference import Predictor

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    embedded = []
    monkeypatch.setattr(tempfile, "TemporaryFile", read_only)
    monkeypatch.setattr(Predictor, "from_run", lambda path: embedded.append(path))
    with pytest.raises(StudioError, match="read-only disk, so nothing was changed"):
        SearchIndex.build(run.path, load_collection(small_dataset))
    assert embedded == []  # no model loaded, no text embedded


def test_an_index_asked_of_a_deleted_run_makes_no_folder_for_it(tmp_path, small_dataset):
    """The write probe made runs/<id>/search/<key> for a run deleted meanwhile: a broken run folder appeared."""
    from core.errors import ModelFileError

    gone = tmp_path / "runs" / "deleted-run"
    with pytest.raises(ModelFileError):
        SearchIndex.build(gone, load_collection(small_dataset))
    assert not gone.exists()
