import json

import numpy as np
import pytest

from core.errors import ModelFileError, NotFittedError
from core.text import (
    SPLIT_VERSION,
    BagOfWordsConfig,
    BagOfWordsFeaturizer,
    WordPieceTokenizer,
    default_tokenizer_kind,
    detect_language,
    dominant_language,
    load_tokenizer,
    make_tokenizer,
    unknown_share,
)

CORPUS = [
    "我很喜欢这本书，内容非常丰富。",
    "The match ended two all after extra time.",
    "周末去成都吃火锅 and then hiking 🎉",
    "New phone, same old battery problems!",
    "今天的比赛太精彩了",
    "Don't forget the tickets for Tokyo 🚄",
] * 3
SAMPLES = [
    *("", "我很喜欢这本书", "Hello World, it's 2026!", "北京 Beijing 欢迎你 🎉😀", "   ", "ÉCOLE naïve café"),
    "新买的ｉＰｈｏｎｅ　１５很好用！",  # typed in an input method's full-width mode
]


@pytest.fixture(params=["char", "word", "jieba", "wordpiece"])
def tokenizer(request):
    kwargs = {"vocab_size": 400, "min_freq": 1} if request.param == "wordpiece" else {}
    return make_tokenizer(request.param, **kwargs).train(CORPUS + SAMPLES)


@pytest.mark.parametrize("text", SAMPLES)
def test_encode_decode_round_trip(tokenizer, text):
    enc = tokenizer.encode(text)
    assert len(enc.ids) == len(enc.tokens) == len(enc.offsets)
    again = tokenizer.encode(tokenizer.decode(enc.ids))
    assert again.tokens == enc.tokens


@pytest.mark.parametrize("text", SAMPLES)
def test_offsets_point_at_the_token(tokenizer, text):
    enc = tokenizer.encode(text)
    for token, (start, end) in zip(enc.tokens, enc.offsets):
        assert 0 <= start < end <= len(text)
        piece = text[start:end].lower()
        assert token.removeprefix("##") == piece or token == "[UNK]"


def test_save_load_round_trip(tokenizer, tmp_path):
    path = tmp_path / "tok.json"
    tokenizer.save(path)
    loaded = load_tokenizer(path)
    assert type(loaded) is type(tokenizer)
    for text in SAMPLES + CORPUS[:6]:
        assert loaded.encode(text).ids == tokenizer.encode(text).ids
    assert json.loads(path.read_text())["version"] == 1


def test_chinese_is_split_per_character_by_char_tokenizer():
    tok = make_tokenizer("char").train(["我爱北京 hello"])
    assert tok.encode("我爱北京 Hello").tokens == ["我", "爱", "北", "京", "hello"]


def test_jieba_makes_words():
    tok = make_tokenizer("jieba").train(["我很喜欢这本书"])
    assert "喜欢" in tok.tokens("我很喜欢这本书")


def test_wordpiece_specials_come_first():
    tok = WordPieceTokenizer(vocab_size=200, min_freq=1).train(CORPUS)
    assert tok.special_ids == {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "[MASK]": 4}
    # Chinese characters are split one per token by the BERT normaliser.
    assert tok.encode("我很喜欢").tokens == ["我", "很", "喜", "欢"]


def test_unknown_share_counts_unk():
    tok = make_tokenizer("char").train(["abc"])
    assert unknown_share(tok, ["abc xyz"]) == pytest.approx(0.5)


def test_untrained_tokenizer_raises():
    with pytest.raises(NotFittedError, match="train"):
        make_tokenizer("char").encode("x")


def test_corrupt_tokenizer_file(tmp_path):
    bad = tmp_path / "tok.json"
    bad.write_text("{not json")
    with pytest.raises(ModelFileError, match="corrupt"):
        load_tokenizer(bad)
    bad.write_text(json.dumps({"type": "nope"}))
    with pytest.raises(ModelFileError, match="unknown tokeniser"):
        load_tokenizer(bad)
    with pytest.raises(ModelFileError, match="missing"):
        load_tokenizer(tmp_path / "absent.json")


@pytest.mark.parametrize(
    "text,lang",
    [
        ("我很喜欢这本书", "zh"),
        ("I like this book a lot", "en"),
        ("我爱 machine learning 和 Python", "mixed"),
        ("123 !!!", "other"),
        ("この本はとても面白かったです", "ja"),
        ("日本語の文章", "ja"),
        ("이 책은 정말 재미있어요", "ko"),
        ("东京是日本的首都", "zh"),
    ],
)
def test_detect_language(text, lang):
    assert detect_language(text) == lang


def test_dominant_language_and_defaults():
    assert dominant_language(["我很好", "你好吗", "今天很热", "hello"]) == "zh"
    assert dominant_language(["我很好", "hello there", "good day", "你好"]) == "mixed"
    assert default_tokenizer_kind("en") == "word" and default_tokenizer_kind("zh") == "char"


@pytest.mark.parametrize("weighting", ["tfidf", "counts", "binary"])
def test_featurizer_round_trip(tmp_path, weighting):
    feat = BagOfWordsFeaturizer(BagOfWordsConfig(min_df=1, weighting=weighting)).fit(CORPUS)
    path = tmp_path / "feat.json"
    feat.save(path)
    loaded = BagOfWordsFeaturizer.load(path)
    for text in SAMPLES + CORPUS:
        a, b = feat.transform([text]), loaded.transform([text])
        assert (a != b).nnz == 0
    assert loaded.tokenizer_kind_ == feat.tokenizer_kind_


def test_featurizer_matches_scikit_learn_tfidf():
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = ["a b c a", "a b", "b c d", "d d e"]
    ours = BagOfWordsFeaturizer(
        BagOfWordsConfig(tokenizer="word", ngram_range=(1, 1), min_df=1, sublinear_tf=False)
    ).fit(docs)
    theirs = TfidfVectorizer(token_pattern=r"\S+").fit(docs)
    X_ours = ours.transform(docs).toarray()
    order = [ours.vocabulary_[t] for t in theirs.get_feature_names_out()]
    np.testing.assert_allclose(X_ours[:, order], theirs.transform(docs).toarray(), atol=1e-5)


def test_featurizer_empty_and_unknown_texts():
    feat = BagOfWordsFeaturizer(BagOfWordsConfig(min_df=1)).fit(CORPUS)
    X = feat.transform(["", "zzzz qqqq"])
    assert X.shape == (2, feat.n_features) and X.nnz == 0


def test_featurizer_ngrams_and_rows_normalised():
    feat = BagOfWordsFeaturizer(BagOfWordsConfig(tokenizer="word", ngram_range=(1, 2), min_df=1)).fit(
        ["red apple pie", "green apple"]
    )
    assert "red apple" in feat.vocabulary_ and "apple pie" in feat.vocabulary_
    row = feat.transform(["red apple pie"]).toarray()[0]
    assert np.linalg.norm(row) == pytest.approx(1.0, abs=1e-5)


def test_featurizer_not_fitted_and_corrupt(tmp_path):
    with pytest.raises(NotFittedError):
        BagOfWordsFeaturizer().transform(["x"])
    bad = tmp_path / "f.json"
    bad.write_text(json.dumps({"type": "bag_of_words", "config": {}, "tokenizer": "char", "terms": ["a"], "idf": []}))
    with pytest.raises(ModelFileError, match="corrupt"):
        BagOfWordsFeaturizer.load(bad)


def test_subwords_are_on_for_short_texts_off_for_long_ones_and_saved(tmp_path):
    from core.text import BagOfWordsConfig, BagOfWordsFeaturizer

    short = ["the footballer scored", "a football match", "new chips are faster", "我们去吃火锅"] * 3
    feat = BagOfWordsFeaturizer(BagOfWordsConfig(min_df=1)).fit(short)
    assert feat.subwords_ and "#<foo" in feat.vocabulary_ and "#火锅" not in feat.vocabulary_
    assert not any(t.startswith("#") and any("\u4e00" <= c <= "\u9fff" for c in t) for t in feat.vocabulary_)
    # "footballers" was never seen, yet it shares subwords with the training words
    assert len(feat.encode_one("footballers")[0]) > 0
    feat.save(tmp_path / "f.json")
    again = BagOfWordsFeaturizer.load(tmp_path / "f.json")
    assert again.subwords_ and np.array_equal(again.encode_one("footballers")[0], feat.encode_one("footballers")[0])
    long = [" ".join(["word"] * 200) + f" t{i}" for i in range(5)]
    assert not BagOfWordsFeaturizer(BagOfWordsConfig(min_df=1)).fit(long).subwords_
    state = feat.to_dict()
    del state["subwords"]  # a featuriser saved before subwords existed
    assert not BagOfWordsFeaturizer.from_dict(state).subwords_


def test_jieba_words_are_segmented_once_per_text_and_the_same_every_time(monkeypatch):
    from core import text as text_module
    from core.text import JiebaTokenizer

    monkeypatch.setattr(text_module, "_JIEBA_CACHE", {})
    monkeypatch.setattr(text_module, "_JIEBA_CACHE_SIZE", [0])
    tok = JiebaTokenizer()
    texts = ["今天股市大涨，The Market rose", "一个很好的例子", "", "带\0空字符的文本"]
    first = [tok.tokens(t) for t in texts]
    assert first == [[w for w, _, _ in tok.split(t)] for t in texts]  # the same words as with offsets
    assert first[0] == ["今天", "股市", "大涨", "，", "the", "market", "rose"]  # Chinese punctuation stays as it is
    assert len(text_module._JIEBA_CACHE) == 3  # the text holding the joiner is not kept
    calls = []
    monkeypatch.setattr(tok, "split", lambda t: calls.append(t) or [])
    assert [tok.tokens(t) for t in texts[:3]] == first[:3] and not calls  # kept: jieba is not asked again
    tok.tokens(texts[3])
    assert calls == [texts[3]]
    monkeypatch.setattr(text_module, "JIEBA_CACHE_CHARS", 5)  # full: the cache starts again
    JiebaTokenizer().tokens("又一个新的句子在这里")
    assert len(text_module._JIEBA_CACHE) == 1


def test_words_spelled_out_letter_by_letter_are_not_known():
    """A Chinese model's vocabulary holds the Latin letters its brand names use, so "Where is my
    package?" came out as "w ##h ##e ##r ##e …", no [UNK] at all: 90% "known", and no warning."""
    from core.inference import wordpiece_known_share

    items = ("iphone", "wifi路由器", "router", "耳机", "手机壳", "ipad", "sky", "mega", "bags", "lucky", "kit")
    chinese = [f"我的{item}快递到哪了，什么时候能到" for item in items] * 20
    tok = WordPieceTokenizer(vocab_size=300, min_freq=1).train(chinese)
    pieces = tok.tokens("Where is my phone battery")
    assert pieces.count("[UNK]") <= 1 and len(pieces) > 12, pieces  # covered, a letter at a time
    assert wordpiece_known_share(tok, "Where is my phone battery") < 0.5, pieces  # under the warning's bar
    assert wordpiece_known_share(tok, "where were") == 0.0
    assert wordpiece_known_share(tok, "我的快递到哪了") == 1.0
    assert wordpiece_known_share(tok, "我的iphone快递到哪了") == 1.0  # a word it learned whole
    assert wordpiece_known_share(tok, "") is None
    # a fine-tune's coverage note counts [UNK] pieces: a small vocabulary that spells its own texts out
    # still knows them (per word, a source "knew" 61% of the very texts it learned on)
    from core.catalog import load_builtin
    from core.encoders.base import TokenInputs

    starter = load_builtin("starter")["text"].tolist()[:2000]  # Chinese and English
    small = WordPieceTokenizer(vocab_size=500).train(starter)
    assert np.mean([wordpiece_known_share(small, text) for text in starter]) < 0.7  # English a letter or two at a time
    assert TokenInputs(tokenizer=small).coverage(starter) > 0.95


def test_short_words_acronyms_and_numbers_stay_known_and_special_tokens_are_not_words():
    """ "GDP" is "g ##d ##p" to a news model that learned it so: a query of it was refused as unknown.
    MiniLM's tokenizer adds [CLS] and [SEP]: "qqxv zzwy" read as half known, so no warning."""
    from tokenizers.processors import TemplateProcessing

    from core.inference import wordpiece_known_share

    texts = [f"the gdp of the uk rose in {year}, said the eu and the bank" for year in range(2000, 2030)] * 5
    tok = WordPieceTokenizer(vocab_size=120, min_freq=1).train(texts)
    assert wordpiece_known_share(tok, "gdp uk eu 2024") == 1.0, tok.tokens("gdp uk eu 2024")
    hf = tok._tok
    hf.post_processor = TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", hf.token_to_id("[CLS]")), ("[SEP]", hf.token_to_id("[SEP]"))]
    )
    assert hf.encode("qqxv zzwy").tokens[0] == "[CLS]"  # what MiniLM's tokenizer does
    assert wordpiece_known_share(hf, "qqxv zzwy") == 0.0


def test_decomposed_text_reads_as_the_composed_text_the_model_learned(small_dataset):
    """ "café crème" typed with combining accents (macOS, some input methods) read as 0% known words,
    "cafe", "cre", "me", and the confidence fell from 0.98 to 0.79."""
    import unicodedata

    import pandas as pd

    from core.data import clean
    from core.inference import Predictor, batch_predictions, clip_live_text
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    composed_text = "café crème à la carte"
    decomposed = unicodedata.normalize("NFD", composed_text)
    assert decomposed != composed_text
    imported = clean(pd.DataFrame({"text": [decomposed, "another text"], "label": [None, None]}), require_labels=False)
    assert imported["text"].tolist() == [composed_text, "another text"]
    assert clip_live_text(decomposed)[0] == composed_text
    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    predictor = Predictor.from_run(run.path)
    frame = batch_predictions(predictor, [decomposed, composed_text])
    assert frame["text"][0] == composed_text and frame["confidence"][0] == frame["confidence"][1]


@pytest.mark.parametrize("kind", ["char", "word"])
def test_words_keep_their_combining_marks_and_hangul_is_cut_off_latin(kind):
    """Vowel signs are not word characters: "का", "की", "के" all came out "क", and Hangul after a digit
    stayed glued to it ("2024년" one token, where "2024年" was two)."""
    tok = make_tokenizer(kind)
    assert tok.tokens("का की के को") == ["का", "की", "के", "को"]
    assert tok.tokens("สวัสดี ครับ") == ["สวัสดี", "ครับ"]
    assert tok.tokens("2024년 5월") == ["2024", "년", "5", "월"]
    assert tok.tokens("A한국") == ["a", "한", "국"]


def test_models_saved_before_split_version_2_keep_cutting_texts_as_they_learned(tmp_path):
    """A saved vocabulary was learned with the old cut: reading it the new way would lose its words."""
    feat = BagOfWordsFeaturizer(BagOfWordsConfig(tokenizer="word", min_df=1, subwords="off"))
    feat.fit(["का की", "ｉＰｈｏｎｅ"])
    state = feat.to_dict()
    assert state["split_version"] == SPLIT_VERSION and {"का", "की", "ｉｐｈｏｎｅ"} <= set(state["terms"])
    del state["split_version"]  # as files from before it
    state["terms"], state["idf"] = ["क", "ｉｐｈｏｎｅ"], [1.0, 1.0]
    old = BagOfWordsFeaturizer.from_dict(state)
    assert old.split_version_ == 1 and old.analyze("की ｉＰｈｏｎｅ")[:2] == ["क", "ｉｐｈｏｎｅ"]
    assert old.coverage(["की ｉＰｈｏｎｅ"]) == 1.0
    tok = make_tokenizer("word").train(["का"])
    saved = tok.to_dict()
    assert saved["split_version"] == SPLIT_VERSION and load_tokenizer_state({**saved}).tokens("का") == ["का"]
    del saved["split_version"]
    assert load_tokenizer_state(saved).tokens("का") == ["क"]
    with pytest.raises(ModelFileError, match="newer"):
        BagOfWordsFeaturizer.from_dict({**feat.to_dict(), "split_version": 9})


def load_tokenizer_state(state: dict):
    from core.text import tokenizer_from_dict

    return tokenizer_from_dict(state)


def test_coverage_counts_the_units_a_vocabulary_holds_and_says_nothing_of_an_empty_text():
    texts = ["good food and good service", "bad food and slow service"] * 2
    bigrams = BagOfWordsFeaturizer(BagOfWordsConfig(tokenizer="word", ngram_range=(2, 2), min_df=1, subwords="off"))
    bigrams.fit(texts)
    assert bigrams.coverage(texts) == 1.0  # its own texts: 0.0 when only single words were counted
    unigrams = BagOfWordsFeaturizer(BagOfWordsConfig(tokenizer="word", min_df=1, subwords="off")).fit(texts)
    assert unigrams.coverage(["!! ??"]) == 1.0 and unigrams.coverage(["!! ??"], empty=None) is None


def test_texts_without_combining_marks_are_cut_alike_by_the_fast_patterns():
    """The mark-aware patterns made featurising English 3-5x slower; texts without a mark take one
    character class a run, and must be cut exactly alike."""
    from core.text import _splitters

    patterns = _splitters(2)
    texts = [
        *CORPUS,
        *SAMPLES,
        "don't stop 2024년 A한국 l'été naïve café",
        "x_y __init__ it's 'quoted'",
        "ｉＰｈｏｎｅ",
    ]
    for text in texts:
        assert not patterns["marks"].search(text)
        for kind in ("char", "word"):
            assert patterns[kind].findall(text) == patterns[f"{kind} plain"].findall(text), (kind, text)
    assert patterns["marks"].search("किताब")


def test_attribution_units_join_chinese_characters_into_words_and_keep_the_rest():
    """A Chinese review's attribution chart read "物 · 流 · 五 · 星 · 好 · 评", each character scored apart."""
    from core.text import CharTokenizer, chinese_words

    text = "物流很快，五星好评！iPhone 不错"
    units = CharTokenizer().split(text)
    assert [u[0] for u in units][:2] == ["物", "流"]  # the model's own cut: one character each
    joined = chinese_words(units, text)
    words = [token for token, _, _ in joined]
    assert {"物流", "五星", "好评"} <= set(words) and "，" in words and "！" in words, words
    assert all(text[start:end] == token for token, start, end in joined if token != "iphone"), joined
    assert "".join(text[s:e] for _, s, e in joined) == text.replace(" ", "")  # every character, once, in order
    english = CharTokenizer().split("the match was great")
    assert chinese_words(english, "the match was great") == english


def test_the_estimated_window_of_a_transformer_is_close_to_what_a_trained_tokeniser_reads():
    """The Train page says how much of a typical text a Transformer's window holds before any tokeniser
    exists (6% of each legal document had been said nowhere): the estimate, against a WordPiece vocabulary
    trained on BBC News, on the same 200 articles."""
    from core.catalog import load_builtin
    from core.text import approximate_read_chars

    texts = load_builtin("bbc")["text"].astype(str).tolist()[:1000]
    tokenizer = WordPieceTokenizer(vocab_size=8000).train(texts)
    real, estimated = [], []
    for text in texts[:200]:
        pieces = tokenizer.split(text)
        real.append(len(text) if len(pieces) <= 126 else pieces[125][2])
        estimated.append(approximate_read_chars(text, 128))
    ratio = float(np.median(estimated)) / float(np.median(real))
    assert 0.75 <= ratio <= 1.25, (np.median(estimated), np.median(real))
    assert approximate_read_chars("短文本", 128) == 3 and approximate_read_chars("a b", 128) == 3
    assert approximate_read_chars("字" * 500, 128) == 126  # a character a token, [CLS] and [SEP] aside


def test_links_handles_and_markup_do_not_make_a_chinese_post_english():
    """Scraped posts: a Chinese post with a link was listed as English in Search, and one with an @handle as
    mixed; the letters of a URL, a handle, a tag or an entity say nothing about the language."""
    from core.text import detect_language

    assert detect_language("@TechGuru99 前锋梅开二度。。。 https://www.example.com/post?id=42&amp;ref=tw") == "zh"
    assert detect_language("簽證排隊一上午！！！ https://www.example.com/post?id=42&amp;ref=tw") == "zh"
    assert detect_language('<a href="https://t.co/x">进球</a> &quot;精彩&quot;') == "zh"
    # real code-switching stays mixed, and English stays English
    assert detect_language("今天 passport 真的 so good, 青旅天台的风景") == "mixed"
    assert detect_language("check the match report at https://example.com now") == "en"


def test_an_emoji_is_one_unit_with_its_selector_joiners_and_flag_letters():
    """ "☀️" was "☀" and an empty-looking "️" under the attribution bars, "👨‍👩‍👧" five pieces, a flag two letters."""
    import re

    from core.text import whole_emoji

    text = "好boring ☀️☀️ 👨\u200d👩\u200d👧 🇭🇰🇺🇸 👍🏽 ok"
    units = [(m.group(), m.start(), m.end()) for m in re.finditer(r"\w+|[^\s\w]", text)]
    merged = whole_emoji(units, text)
    assert [text[a:b] for _, a, b in merged] == [
        "好boring",
        "☀️",
        "☀️",
        "👨\u200d👩\u200d👧",
        "🇭🇰",
        "🇺🇸",
        "👍🏽",
        "ok",
    ]


def test_cantonese_posts_with_a_kana_word_are_chinese_and_full_width_letters_are_latin():
    from core.text import detect_language

    assert detect_language("佢哋個 app 嘅拉麵湯底好濃，おいしい！") == "zh"  # Cantonese particles: never Japanese
    assert detect_language("今日はとても暑いですね") == "ja"
    assert detect_language("東京都の人口が増えている") == "ja"
    assert detect_language("個人情報を入力してください") == "ja"  # 個 and 没 are everyday Japanese too
    assert detect_language("彼は没頭している") == "ja"
    assert detect_language("ｙｙｄｓ") == "en"  # full-width letters are letters ("other" before)
    assert detect_language("ｃｈｅｅｓｅｃａｋｅ 好好食") == detect_language("cheesecake 好好食")


def test_the_chinese_script_is_told_by_the_characters_only_one_script_has():
    from core.text import chinese_script, dominant_script

    assert chinese_script("这家店的服务太差了") == "simplified"
    assert chinese_script("這家店的服務太差了") == "traditional"
    assert chinese_script("很好") is None and chinese_script("good service") is None
    assert dominant_script(["服务很差"] * 8 + ["服務很差"] * 2 + ["ok"] * 50) == "simplified"
    assert dominant_script(["服务很差"] * 5 + ["服務很差"] * 5) is None  # no script for most


def test_an_emoji_s_variation_selector_is_no_unknown_word():
    """ "今日好boring ☀️☀️" read "the model knows 59% of this text's words": each "☀️" brought an invisible
    selector token the vocabulary never kept."""
    from core.text import BagOfWordsConfig, BagOfWordsFeaturizer

    texts = ["sunny ☀\ufe0f day", "sunny ☀ again", "rain again", "rain day"]
    feat = BagOfWordsFeaturizer(BagOfWordsConfig(tokenizer="char", min_df=2, subwords="off")).fit(texts)
    assert "☀" in feat.to_dict()["terms"]  # "☀️" and "☀" are one term: the selector only says how to draw it
    assert feat.coverage(["sunny ☀\ufe0f"]) == 1.0
    older = BagOfWordsFeaturizer(BagOfWordsConfig(tokenizer="char", min_df=2, subwords="off"))
    older = BagOfWordsFeaturizer.from_dict(
        {**older.fit(["sunny ☀ day", "sunny ☀ again", "rain"]).to_dict(), "split_version": 2}
    )
    assert older.coverage(["sunny ☀\ufe0f"]) == 1.0  # a model of version 2 cuts "☀️" in two: the selector is no word


def test_an_emoji_is_one_token_and_the_word_tokeniser_keeps_it_while_older_models_cut_as_they_learned():
    """The word tokeniser dropped emoji, all but the invisible variation selector of some: "❤️" and "🗓️" were
    one term, "\ufe0f", shared by two classes ("❤️" read "neutral"); the char tokeniser cut "👨‍👩‍👧" in five."""
    text = "soooo gooood ❤️❤️ 👍🏽 👨\u200d👩\u200d👧 🇬🇧 1️⃣ #️⃣ 🗓️ #MondayMotivation"
    # each emoji one term, without the variation selector that says only how to draw it
    emoji = ["❤", "❤", "👍🏽", "👨\u200d👩\u200d👧", "🇬🇧", "1⃣", "#⃣", "🗓"]
    assert make_tokenizer("word").tokens(text) == ["soooo", "gooood", *emoji, "mondaymotivation"]
    assert make_tokenizer("char").tokens(text) == ["soooo", "gooood", *emoji, "#", "mondaymotivation"]
    # the offsets still span the whole emoji, its selector too
    assert [text[a:b] for _, a, b in make_tokenizer("word").split(text)][2:4] == ["❤️", "❤️"]
    # symbols that are no emoji stay out of the word tokeniser, as before (★, ✓, ●, brackets)
    assert make_tokenizer("word").tokens("★★★★☆ great ✓ ● item ❨note❩") == ["great", "item", "note"]
    # a joiner inside a word keeps it whole (Bengali's ra-phala, Persian's half-space): "র" + "যাব" read "will go"
    assert make_tokenizer("word").tokens("র\u200d্যাব অভিযান") == ["র\u200d্যাব", "অভিযান"]
    assert make_tokenizer("word").tokens("می\u200cخواهم") == ["می\u200cخواهم"]
    feat = BagOfWordsFeaturizer(BagOfWordsConfig(tokenizer="word", min_df=1, subwords="off", ngram_range=(1, 1)))
    feat.fit(["love it ❤️", "meeting 🗓️ at noon"])
    assert {"❤", "🗓"} <= set(feat.to_dict()["terms"]) and "\ufe0f" not in feat.to_dict()["terms"]
    older = BagOfWordsFeaturizer.from_dict({**feat.to_dict(), "split_version": 2})  # learned with the old cut
    assert older.analyze("love it ❤️") == ["love", "it", "\ufe0f"]
    # and its chart names the selector's bar by the emoji it belongs to, not by an empty-looking label
    from core.text import whole_emoji

    for text, shown in (("love it ❤️", ["love", "it", "❤️"]), ("wow!!!❤️", ["wow", "❤️"]), ("好评！❤️", ["好", "评", "❤️"])):
        units = make_tokenizer("word", split_version=2).split(text)
        assert [text[a:b] for _, a, b in whole_emoji(units, text)] == shown  # the emoji, not the "!!!" before it


def test_the_exported_bundle_cuts_every_text_as_the_studio_does():
    """The bundle's runtime has its own copy of the tokenisers' patterns: one drifting from the studio's gave
    the downloaded model other answers than the app's, with emoji, joiners and marks the likeliest place."""
    import random

    from core.export_runtime import Featurizer

    pieces = [
        "❤",
        "\ufe0f",
        "\u200d",
        "👨",
        "👩",
        "🇬",
        "🇧",
        "#",
        "*",
        "\u20e3",
        "1",
        "a",
        "B",
        "'",
        " ",
        "!",
        "★",
        "™",
        "র",
        "্",
        "য",
        "\u200c",
        "é",
        "\u0301",
        "中",
        "文",
        "の",
        "한",
        "ｉ",
        "🏽",
        "_",
        "-",
        "\U000e0067",
    ]
    rng = random.Random(3)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 14))) for _ in range(3000)]
    texts += ["我爱你❤️好", "今天☀️天气", "★️ nice", "️ alone"]
    for kind in ("word", "char", "jieba"):
        for version in (2, 3):
            feat = BagOfWordsFeaturizer(BagOfWordsConfig(tokenizer=kind, min_df=1, subwords="off")).fit(["a b"])
            state = {**feat.to_dict(), "split_version": version}
            ours, theirs = BagOfWordsFeaturizer.from_dict(state), Featurizer(state)
            for text in texts:
                assert ours._tokenizer().tokens(text) == theirs.tokens(text), (kind, version, text)


def test_a_variation_selector_after_no_emoji_is_no_token():
    """ "★️ nice": the selector after a symbol that is no emoji was an empty token, and "" a vocabulary term."""
    assert make_tokenizer("char").tokens("★️ nice") == ["★", "nice"]
    assert [t for t, _, _ in make_tokenizer("char").split("★️ nice")] == ["★", "nice"]
    assert "" not in make_tokenizer("char").train(["★️ nice", "★ ok"]).vocab_
