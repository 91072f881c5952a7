"""Language detection, tokenisers and the bag-of-words featuriser.

Every tokeniser has the five verbs ``train / encode / decode / save / load`` and its
encodings carry character offsets, so the Playground can highlight the tokens that mattered.
Save files are JSON with a ``type`` and a ``version``; nothing here is ever pickled.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from itertools import chain, count, repeat
from pathlib import Path

import numpy as np

from core.config import check_range
from core.errors import ModelFileError, NotFittedError
from core.storage import atomic_write_json

SAVE_VERSION = 1
PAD, UNK, CLS, SEP, MASK = "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"
SPECIAL_TOKENS = (PAD, UNK, CLS, SEP, MASK)

# CJK ideographs (with extensions A-F and compatibility) plus kana and hangul: one token each.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef\u3040-\u30ff\uac00-\ud7af"
_CJK_RE = re.compile(f"[{_CJK}]")
# full-width letters too ("ＡｌｉＰａｙ", a Chinese input method's full-width mode): "ｙｙｄｓ" was no language
_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f\uff21-\uff3a\uff41-\uff5a]")
_KANA_RE = re.compile("[\u3040-\u30ff]")
_HANGUL_RE = re.compile("[\uac00-\ud7af]")
# characters written in Chinese (Mandarin's everyday words, Cantonese's particles) and never in Japanese: a
# Cantonese post with one Japanese word in it ("佢哋個拉麵好濃，おいしい！") is Chinese
_CHINESE_ONLY_RE = re.compile("[这们們说說个吗嗎呢你她吧啦嘅佢哋咗唔冇啲喺嚟乜嘢咁俾]")

# How the bag tokenisers cut a text, saved with each tokeniser and featuriser: a model keeps the
# cut it learned with (files from before version 2 have none and keep version 1). Version 2:
# - a word keeps its combining marks: Hindi's vowel signs and Thai's vowels are not ``\w``, so
#   "का", "की", "के" all came out "क", and "สวัสดี" as "สว" "สด";
# - Hangul after a letter or digit is cut off it, as Chinese is ("2024년" as "2024" "년");
# Full-width letters ("ｉＰｈｏｎｅ", a Chinese input method's full-width mode) are read as typed:
# folding them (and the "，" of Chinese sentences) to ASCII moved the published figures (starter -1.2
# pt with punctuation; one split of zh_news -0.6 pt without) by more than the three splits could be
# measured again in the session that tried it, so it waits for a measured change of its own.
# Version 3: an emoji is one token, as a reader sees it, its variation selector, skin tone and joiners with
# it ("❤️", "👍🏽", "👨‍👩‍👧", a flag's two letters), and the word tokeniser keeps emoji at all: it dropped
# them, all but the invisible selector of some ("❤️" and "🗓️" were one term, "️", shared by two classes),
# and no word starts with a combining mark. Only texts with emoji or marks at a word's start cut otherwise.
SPLIT_VERSION = 3
SPLIT_VERSIONS = (1, 2, 3)  # the versions this studio reads

# Unicode's Extended_Pictographic (emoji-data.txt, as the regex package reads it): the symbols emoji are
# made of, and not the other symbols of their blocks (★, ✓, ●, ❨)
_EMOJI_SYMBOL = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9-\u21aa\u231a-\u231b\u2328\u23cf"
    "\u23e9-\u23f3\u23f8-\u23fa\u24c2\u25aa-\u25ab\u25b6\u25c0\u25fb-\u25fe\u2600-\u2604\u260e\u2611"
    "\u2614-\u2615\u2618\u261d\u2620\u2622-\u2623\u2626\u262a\u262e-\u262f\u2638-\u263a\u2640\u2642"
    "\u2648-\u2653\u265f-\u2660\u2663\u2665-\u2666\u2668\u267b\u267e-\u267f\u2692-\u2697\u2699"
    "\u269b-\u269c\u26a0-\u26a1\u26a7\u26aa-\u26ab\u26b0-\u26b1\u26bd-\u26be\u26c4-\u26c5\u26c8"
    "\u26ce-\u26cf\u26d1\u26d3-\u26d4\u26e9-\u26ea\u26f0-\u26f5\u26f7-\u26fa\u26fd\u2702\u2705"
    "\u2708-\u270d\u270f\u2712\u2714\u2716\u271d\u2721\u2728\u2733-\u2734\u2744\u2747\u274c\u274e"
    "\u2753-\u2755\u2757\u2763-\u2764\u2795-\u2797\u27a1\u27b0\u27bf\u2934-\u2935\u2b05-\u2b07"
    "\u2b1b-\u2b1c\u2b50\u2b55\u3030\u303d\u3297\u3299\U0001f004\U0001f02c-\U0001f02f"
    "\U0001f094-\U0001f09f\U0001f0af-\U0001f0b0\U0001f0c0\U0001f0cf-\U0001f0d0\U0001f0f6-\U0001f0ff"
    "\U0001f170-\U0001f171\U0001f17e-\U0001f17f\U0001f18e\U0001f191-\U0001f19a\U0001f1af-\U0001f1e5"
    "\U0001f201-\U0001f20f\U0001f21a\U0001f22f\U0001f232-\U0001f23a\U0001f23c-\U0001f23f"
    "\U0001f249-\U0001f25f\U0001f266-\U0001f321\U0001f324-\U0001f393\U0001f396-\U0001f397"
    "\U0001f399-\U0001f39b\U0001f39e-\U0001f3f0\U0001f3f3-\U0001f3f5\U0001f3f7-\U0001f3fa"
    "\U0001f400-\U0001f4fd\U0001f4ff-\U0001f53d\U0001f549-\U0001f54e\U0001f550-\U0001f567"
    "\U0001f56f-\U0001f570\U0001f573-\U0001f57a\U0001f587\U0001f58a-\U0001f58d\U0001f590"
    "\U0001f595-\U0001f596\U0001f5a4-\U0001f5a5\U0001f5a8\U0001f5b1-\U0001f5b2\U0001f5bc"
    "\U0001f5c2-\U0001f5c4\U0001f5d1-\U0001f5d3\U0001f5dc-\U0001f5de\U0001f5e1\U0001f5e3\U0001f5e8"
    "\U0001f5ef\U0001f5f3\U0001f5fa-\U0001f64f\U0001f680-\U0001f6c5\U0001f6cb-\U0001f6d2"
    "\U0001f6d5-\U0001f6e5\U0001f6e9\U0001f6eb-\U0001f6f0\U0001f6f3-\U0001f6ff\U0001f7dc-\U0001f7f0"
    "\U0001f80c-\U0001f80f\U0001f848-\U0001f84f\U0001f85a-\U0001f85f\U0001f888-\U0001f88f"
    "\U0001f8ae-\U0001f8af\U0001f8bc-\U0001f8bf\U0001f8c2-\U0001f8cf\U0001f8d9-\U0001f8ff"
    "\U0001f90c-\U0001f93a\U0001f93c-\U0001f945\U0001f947-\U0001f9ff\U0001fa58-\U0001fa5f"
    "\U0001fa6e-\U0001faff\U0001fc00-\U0001fffd"
)
_EMOJI_MODIFIER = "\ufe0e\ufe0f\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f"
# a flag (two regional indicators), a keycap "#️⃣" (a digit's keycap is read with its digit), or a symbol with
# what may follow it, joined to the next by a zero-width joiner
EMOJI = (
    f"[\U0001f1e6-\U0001f1ff]{{2}}|[#*]\ufe0f?\u20e3|[{_EMOJI_SYMBOL}][{_EMOJI_MODIFIER}]*"
    f"(?:\u200d[{_EMOJI_SYMBOL}][{_EMOJI_MODIFIER}]*)*"
)


@functools.cache
def _splitters(version: int) -> dict[str, re.Pattern]:
    """The char and word tokenisers' patterns of split ``version`` (built once: version 2 lists the
    combining marks, which takes a scan of Unicode)."""
    if version == 1:  # the Hangul range lost its end here ("\uac00-"), so Hangul joined a run
        return {
            "char": re.compile(f"[{_CJK}]|[^\\W{_CJK[:-1]}]+|[^\\s\\w]|_", re.UNICODE),
            "word": re.compile(f"[{_CJK}]|(?:[^\\W_{_CJK[:-1]}]+(?:'[^\\W_]+)?)", re.UNICODE),
        }
    marks = _combining_marks()
    letter = f"(?:[^\\W_{_CJK}]|[{marks}])"
    if version == 3:
        start = f"[^\\W_{_CJK}]"  # a letter or digit: no word starts with a combining mark
        joiner = "[\\u200c\\u200d]"  # inside a word, between letters: Bengali's ra-phala, Persian's half-space
        return {
            "char": re.compile(
                f"[{_CJK}]|[^\\W{_CJK}](?:[^\\W{_CJK}]|[{marks}])*(?:{joiner}(?:[^\\W{_CJK}]|[{marks}])+)*|{EMOJI}|[^\\s\\w]|_",
                re.UNICODE,
            ),
            "word": re.compile(
                f"[{_CJK}]|(?:{start}{letter}*(?:{joiner}{letter}+)*(?:'{letter}+)?)|{EMOJI}", re.UNICODE
            ),
            "char plain": re.compile(
                f"[{_CJK}]|[^\\W{_CJK}]+(?:{joiner}[^\\W{_CJK}]+)*|{EMOJI}|[^\\s\\w]|_", re.UNICODE
            ),
            "word plain": re.compile(
                f"[{_CJK}]|(?:[^\\W_{_CJK}]+(?:{joiner}[^\\W_{_CJK}]+)*(?:'[^\\W_{_CJK}]+)?)|{EMOJI}", re.UNICODE
            ),
            "marks": re.compile(f"[{_combining_marks(astral=False)}]"),
            "astral marks": re.compile(f"[{_combining_marks(bmp=False)}]"),
        }
    return {
        # a CJK character, a run of letters/digits (with their marks), or any other visible symbol
        "char": re.compile(f"[{_CJK}]|(?:[^\\W{_CJK}]|[{marks}])+|[^\\s\\w]|_", re.UNICODE),
        # words with inner apostrophes, numbers; CJK falls back to characters
        "word": re.compile(f"[{_CJK}]|(?:{letter}+(?:'{letter}+)?)", re.UNICODE),
        # the same cuts for a text with no combining mark, one character class a run: the alternation
        # above, tried at every character, made a bag's featurising of English 3-5x slower
        "char plain": re.compile(f"[{_CJK}]|[^\\W{_CJK}]+|[^\\s\\w]|_", re.UNICODE),
        "word plain": re.compile(f"[{_CJK}]|(?:[^\\W_{_CJK}]+(?:'[^\\W_{_CJK}]+)?)", re.UNICODE),
        # a class of the marks below U+10000 only compiles to a table look-up; with the astral ranges
        # it was a scan of 300 ranges a character (1.7 s over bbc's 2,225 articles)
        "marks": re.compile(f"[{_combining_marks(astral=False)}]"),
        "astral marks": re.compile(f"[{_combining_marks(bmp=False)}]"),
    }


def _has_marks(text: str, patterns: dict[str, re.Pattern]) -> bool:
    if text.isascii():
        return False
    return bool(patterns["marks"].search(text)) or (
        max(text) > "\uffff" and bool(patterns["astral marks"].search(text))
    )


def _pattern(kind: str, version: int, text: str) -> re.Pattern:
    """The pattern that cuts ``text`` into tokens of ``kind`` under split ``version``."""
    patterns = _splitters(version)
    if version > 1 and not _has_marks(text, patterns):
        return patterns[f"{kind} plain"]
    return patterns[kind]


@functools.cache
def _combining_marks(bmp: bool = True, astral: bool = True) -> str:
    """Unicode's combining marks (categories Mn, Mc, Me) as a regex class body, those below U+10000
    and/or those above. All but the variation selectors lie below U+20000, so only those planes are
    scanned (~30 ms)."""
    import sys

    codes = [
        *(range(0x10000) if bmp else ()),
        *((*range(0x10000, 0x20000), *range(0xE0100, min(0xE01F0, sys.maxunicode + 1))) if astral else ()),
    ]
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if unicodedata.category(chr(code))[0] == "M":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)


# --------------------------------------------------------------------------- language


# characters inside a text that show as nothing: a zero-width space, a word joiner, a byte-order mark,
# a soft hyphen. Scraped posts held them: "@Trav\ufeffeler" was cut into "trav", "\ufeff", "eler", and
# the vocabulary learned the invisible characters as terms
WORD_BREAKERS = re.compile("[\u00ad\u200b\u2060\ufeff]")
# control characters no keyboard types (NUL, and the rest of C0 but tab and line ends): a damaged file or an
# old system's export held them, and "pos\x00" was a class of its own beside "pos"
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_breakers(text: str) -> str:
    """``text`` as the import stores it: a zero-width space becomes a space (it marks a word's end,
    as Thai and Khmer use it), the other ``WORD_BREAKERS`` go. Not applied to what a saved model is given
    to read (its texts were stored so, and a model keeps what it learned with): a text typed with one
    is read by the tokenisers, which end a word at it."""
    return text if text.isascii() else WORD_BREAKERS.sub(lambda m: " " if m.group() == "\u200b" else "", text)


def composed(text: str) -> str:
    """``text`` in Unicode's composed form (NFC): "café" typed with a combining accent (macOS file
    names, some input methods) is the "café" the vocabulary learned, not "cafe" and a stray mark."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


# characters that show as nothing: a class name pasted from a web page or a chat kept them, and
# "positive" with a zero-width space was a second class that looked exactly like the first
_INVISIBLE_RE = re.compile("[\u00ad\u200b\u200e\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]")


_SPACING_CONTROLS = frozenset(
    "\x0b\x0c\x1c\x1d\x1e\x1f"
)  # vertical tab (FileMaker's line break), form feed, separators


def without_invisible(text: str) -> str:
    """``text`` without the characters that show as nothing (zero-width spaces, byte-order marks,
    soft hyphens, direction marks, ``CONTROLS``; those that end a line or a field become a space).
    Joiners stay: emoji sequences and Persian words need them."""
    if not text.isascii():
        text = _INVISIBLE_RE.sub("", text)
    if not CONTROLS.search(text):
        return text
    return CONTROLS.sub(lambda m: " " if m.group() in _SPACING_CONTROLS else "", text)


# full-width digits and Latin letters (ｉＰｈｏｎｅ, ２０２４), as a Chinese input method's full-width mode
# types them, and their plain forms; full-width punctuation ("，", "！") is Chinese's own and stays
_PLAIN_WIDTH = {
    **{0xFF10 + i: 0x30 + i for i in range(10)},
    **{0xFF21 + i: 0x41 + i for i in range(26)},
    **{0xFF41 + i: 0x61 + i for i in range(26)},
}


def plain_width(text: str) -> str:
    """``text`` with its full-width digits and Latin letters in plain width ("ｂａｔｔｅｒｙ" → "battery").
    Not applied to what a model reads (its figures were measured without it: ``SPLIT_VERSION``); a page
    uses it to say that the plain spelling is the one a model knows."""
    return text if text.isascii() else text.translate(_PLAIN_WIDTH)


def spelling_key(name: str) -> str:
    """What a class name reads as to people: capitals, full-width letters (ＦＯＯＤ) and the way an
    accent was typed ignored. Names with the same key look like one class written twice."""
    return name.casefold() if name.isascii() else unicodedata.normalize("NFKC", name).casefold()


def composed_all(texts: Sequence[str]) -> list[str]:
    """Every text of ``texts`` composed (NFC), as the training texts were at import: a prediction
    of "café" typed with a combining accent gave another class than the same word composed."""
    return [composed(text) for text in texts]


_NOT_LANGUAGE = re.compile(r"(?:https?://|www\.)\S+|[@#][\w.]+|</?[A-Za-z][^>]*>|&#?\w+;", re.ASCII)


def detect_language(text: str) -> str:
    """Return ``"zh"``, ``"en"``, ``"ja"``, ``"ko"``, ``"mixed"`` or ``"other"`` for one text.

    Counts CJK characters against Latin letters: Chinese text averages ~1 character per
    word while English averages ~5 letters, so letters are weighted down by 4. Among CJK
    text, Hangul makes it Korean and kana Japanese (Chinese uses neither; Japanese mixes
    kana with Chinese characters, so a tenth of kana is enough).
    """
    cjk = len(_CJK_RE.findall(text))
    # a link, an @handle, a tag or an entity is no English: "@TechGuru99 前锋梅开二度 https://…" was "mixed",
    # and a Chinese post with a link was listed as English
    latin = len(_LATIN_RE.findall(_NOT_LANGUAGE.sub(" ", text) if cjk else text)) / 4.0
    total = cjk + latin
    if total == 0:
        return "other"
    share = cjk / total
    if share >= 0.8:
        if len(_HANGUL_RE.findall(text)) * 2 > cjk:
            return "ko"
        # two of them, not one: a Japanese text may quote a Chinese word
        if len(_KANA_RE.findall(text)) * 10 >= cjk and len(_CHINESE_ONLY_RE.findall(text)) < 2:
            return "ja"
        return "zh"
    if share <= 0.2:
        return "en"
    return "mixed"


@functools.cache
def _script_of_character(char: str) -> str | None:
    """ "simplified" for a character only GB2312 (Simplified Chinese's set) holds (务), "traditional" for
    one only Big5 holds (務); None for the many both hold (的, 很) and for the rest."""

    def holds(encoding: str) -> bool:
        try:
            char.encode(encoding)
        except UnicodeEncodeError:
            return False
        return True

    simplified, traditional = holds("gb2312"), holds("big5")
    return "simplified" if simplified and not traditional else "traditional" if traditional and not simplified else None


_HAN_RE = re.compile("[\u4e00-\u9fff]")


def chinese_script(text: str) -> str | None:
    """Which of Chinese's two scripts ``text`` is written in, "simplified" (服务) or "traditional" (服務), by
    the characters only one of them has; None when it has none of those, or as many of each."""
    counts = Counter(script for script in map(_script_of_character, _HAN_RE.findall(text)) if script)
    if counts["simplified"] == counts["traditional"]:
        return None
    return "simplified" if counts["simplified"] > counts["traditional"] else "traditional"


def dominant_script(texts: Iterable[str], sample: int = 1000) -> str | None:
    """The script (``chinese_script``) of most of ``texts`` (a sample): seven in ten of those written in
    either, and five at least; None otherwise."""
    counts: Counter[str] = Counter()
    for i, text in enumerate(texts):
        if i >= sample:
            break
        script = chinese_script(str(text))
        if script:
            counts[script] += 1
    if not counts:
        return None
    top, n = counts.most_common(1)[0]
    return top if n >= 5 and n >= 0.7 * sum(counts.values()) else None


def dominant_language(texts: Iterable[str], sample: int = 2000) -> str:
    """The language most texts are in (``zh``/``en``/``mixed``), from a sample."""
    counts: Counter[str] = Counter()
    for i, text in enumerate(texts):
        if i >= sample:
            break
        counts[detect_language(text)] += 1
    return dominant_of_counts(counts)


def dominant_of_counts(counts: dict[str, int]) -> str:
    """``dominant_language`` from texts already counted per language (a dataset's ``languages``)."""
    counts = Counter({lang: n for lang, n in counts.items() if lang != "other" and n > 0})
    if not counts:
        return "en"
    top, n = counts.most_common(1)[0]
    if top != "mixed" and n < 0.7 * sum(counts.values()):
        return "mixed"
    return top


def default_tokenizer_kind(language: str) -> str:
    """The bag-of-words tokeniser a language gets by default."""
    return "word" if language == "en" else "char"


# --------------------------------------------------------------------------- encodings


@dataclass
class Encoding:
    """Token ids with their strings and ``(start, end)`` character offsets in the input."""

    ids: list[int]
    tokens: list[str]
    offsets: list[tuple[int, int]]

    def __len__(self) -> int:
        return len(self.ids)


def _join_tokens(tokens: Sequence[str]) -> str:
    """Join tokens with spaces, except between two CJK characters (as Chinese is written)."""
    out: list[str] = []
    prev_cjk = False
    for token in tokens:
        is_cjk = bool(token) and all(_CJK_RE.match(ch) for ch in token)
        if out and not (is_cjk and prev_cjk):
            out.append(" ")
        out.append(token)
        prev_cjk = is_cjk
    return "".join(out)


class Tokenizer:
    """Base class of the vocabulary tokenisers: ``train / encode / decode / save / load``."""

    kind = "base"

    def __init__(
        self, lowercase: bool = True, min_freq: int = 1, max_vocab: int = 50_000, split_version: int = SPLIT_VERSION
    ):
        self.lowercase = lowercase
        self.min_freq = min_freq
        self.max_vocab = max_vocab
        if split_version not in SPLIT_VERSIONS:
            raise ModelFileError(f"tokeniser split version {split_version} is newer than this studio")
        self.split_version = split_version
        self.vocab_: list[str] | None = None
        self._index: dict[str, int] = {}

    # -- splitting: subclasses return (token, start, end) triples
    def split(self, text: str) -> list[tuple[str, int, int]]:
        raise NotImplementedError

    def tokens(self, text: str) -> list[str]:
        """The token strings of ``text`` (no vocabulary needed)."""
        return [t for t, _, _ in self.split(text)]

    def train(self, texts: Iterable[str]) -> Tokenizer:
        """Build the vocabulary from ``texts``: specials first, then by frequency."""
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(self.tokens(text))
        kept = [t for t, c in counts.most_common() if c >= self.min_freq and t not in SPECIAL_TOKENS]
        self._set_vocab(list(SPECIAL_TOKENS) + kept[: max(0, self.max_vocab - len(SPECIAL_TOKENS))])
        return self

    def _set_vocab(self, vocab: list[str]) -> None:
        self.vocab_ = vocab
        self._index = {t: i for i, t in enumerate(vocab)}

    def _check(self) -> None:
        if self.vocab_ is None:
            raise NotFittedError(f"{type(self).__name__} has no vocabulary yet: call train() first.")

    @property
    def vocab_size(self) -> int:
        """Number of entries in the vocabulary (specials included)."""
        self._check()
        return len(self.vocab_)

    def token_to_id(self, token: str) -> int:
        """The id of ``token``, or the [UNK] id."""
        self._check()
        return self._index.get(token, 1)

    def id_to_token(self, idx: int) -> str:
        """The token string of id ``idx``."""
        self._check()
        return self.vocab_[idx] if 0 <= idx < len(self.vocab_) else UNK

    def encode(self, text: str) -> Encoding:
        """Encode one text; unknown tokens map to [UNK] but keep their offsets."""
        self._check()
        triples = self.split(text)
        return Encoding(
            ids=[self._index.get(t, 1) for t, _, _ in triples],
            tokens=[t for t, _, _ in triples],
            offsets=[(s, e) for _, s, e in triples],
        )

    def decode(self, ids: Sequence[int]) -> str:
        """Turn ids back into text (specials other than [UNK] are dropped)."""
        self._check()
        tokens = [self.id_to_token(i) for i in ids]
        return _join_tokens([t for t in tokens if t not in (PAD, CLS, SEP, MASK)])

    @property
    def special_ids(self) -> dict[str, int]:
        """Ids of the special tokens."""
        return {t: i for i, t in enumerate(SPECIAL_TOKENS)}

    def to_dict(self) -> dict:
        """JSON-ready state."""
        self._check()
        return {
            "type": self.kind,
            "version": SAVE_VERSION,
            "lowercase": self.lowercase,
            "min_freq": self.min_freq,
            "max_vocab": self.max_vocab,
            "split_version": self.split_version,
            "vocab": self.vocab_,
        }

    def save(self, path: str | Path) -> None:
        """Save as versioned JSON."""
        atomic_write_json(Path(path), self.to_dict())

    @classmethod
    def from_dict(cls, state: dict) -> Tokenizer:
        tok = cls(
            lowercase=state.get("lowercase", True),
            min_freq=state.get("min_freq", 1),
            max_vocab=state.get("max_vocab", 50_000),
            split_version=state.get("split_version", 1),  # files from before version 2 have none
        )
        tok._set_vocab(list(state["vocab"]))
        return tok

    @classmethod
    def load(cls, path: str | Path) -> Tokenizer:
        """Load any tokeniser saved by ``save`` (dispatches on its ``type``)."""
        return load_tokenizer(path)


def _has_selector(text: str) -> bool:
    return not text.isascii() and ("\ufe0f" in text or "\ufe0e" in text)


def without_selectors(token: str) -> str:
    """``token`` as a term: an emoji without its variation selector, which says only how to draw it ("❤️" is
    the "❤" typed without one: two terms, each with half the evidence, that ``min_df`` could drop)."""
    return token.replace("\ufe0f", "").replace("\ufe0e", "")


class CharTokenizer(Tokenizer):
    """CJK characters one by one; runs of Latin letters or digits kept whole."""

    kind = "char"

    def split(self, text: str) -> list[tuple[str, int, int]]:
        # narrowing keeps every character in place, so offsets stay true; lower-case token by token
        low = str.lower if self.lowercase else str
        pattern = _pattern(self.kind, self.split_version, text)
        found = [(low(m.group()), m.start(), m.end()) for m in pattern.finditer(text)]
        if self.split_version >= 3 and _has_selector(text):  # a selector alone (after "★") is no token at all
            return [(term, start, end) for token, start, end in found if (term := without_selectors(token))]
        return found

    def tokens(self, text: str) -> list[str]:
        # the featuriser's hot path: findall and a C-level map beat building offset tuples
        found = _pattern(self.kind, self.split_version, text).findall(text)
        found = list(map(str.lower, found)) if self.lowercase else found
        if self.split_version >= 3 and _has_selector(text):
            return [term for term in map(without_selectors, found) if term]
        return found


class WordTokenizer(CharTokenizer):
    """Lower-cased English words (inner apostrophes kept); CJK characters one by one."""

    kind = "word"


_JIEBA_LOCK = threading.Lock()
_JIEBA = None


def _jieba():
    """The jieba segmenter, initialised once, lazily and quietly."""
    global _JIEBA
    with _JIEBA_LOCK:
        if _JIEBA is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _JIEBA = jieba
    return _JIEBA


# jieba segments about 0.4 M characters a second, and on Chinese data the ensemble's three members
# over words each segment the same texts again (fitting, evaluating, weighing): the words of each
# text are kept once per process, joined by NUL, within this many characters (about 40 MB)
JIEBA_CACHE_CHARS = 20_000_000
_JIEBA_CACHE: dict[tuple[bool, int, str], str] = {}
_JIEBA_CACHE_SIZE = [0]


class JiebaTokenizer(Tokenizer):
    """Chinese words segmented by jieba; whitespace dropped, English lower-cased."""

    kind = "jieba"

    def split(self, text: str) -> list[tuple[str, int, int]]:
        if not text:
            return []
        low = str.lower if self.lowercase else str
        return [(low(w), s, e) for w, s, e in _jieba().tokenize(text) if w.strip()]

    def tokens(self, text: str) -> list[str]:
        key = (self.lowercase, self.split_version, text)
        joined = _JIEBA_CACHE.get(key)
        if joined is not None:
            return joined.split("\0") if joined else []
        found = [w for w, _, _ in self.split(text)]
        if "\0" not in text:  # NUL is the joiner: a text holding one is segmented every time
            joined = "\0".join(found)
            if _JIEBA_CACHE_SIZE[0] + len(joined) > JIEBA_CACHE_CHARS:
                _JIEBA_CACHE.clear()  # full: start again rather than track ages
                _JIEBA_CACHE_SIZE[0] = 0
            _JIEBA_CACHE[key] = joined
            _JIEBA_CACHE_SIZE[0] += len(joined)
        return found


MAX_PIECE_CHARS = 12  # longest word beginning or ending counted as a vocabulary candidate


@functools.cache
def _bert_words() -> re.Pattern:
    """BERT's pre-tokeniser as a regex: runs of characters that are neither space nor punctuation
    (symbols and emoji stay inside words), and each punctuation character alone."""
    import sys
    import unicodedata

    ascii_punct = {chr(c) for c in (*range(33, 48), *range(58, 65), *range(91, 97), *range(123, 127))}
    punct = ascii_punct | {
        chr(c) for c in range(128, sys.maxunicode + 1) if unicodedata.category(chr(c)).startswith("P")
    }
    cls = "".join(re.escape(ch) for ch in sorted(punct))
    return re.compile(f"[^\\s{cls}]+|[{cls}]")


def _used_pieces(ranked: list[str], words: Counter[str], budget: int) -> dict[str, int]:
    """The vocabulary (specials first): the best-ranked pieces that greedy longest match uses on
    ``words``, up to ``budget`` of them, in rank order."""
    from tokenizers import Tokenizer as HFTokenizer
    from tokenizers import models, pre_tokenizers

    types = sorted(words)
    take = budget
    while True:
        chosen = ranked[:take]
        vocab = {token: i for i, token in enumerate([*SPECIAL_TOKENS, *chosen])}
        splitter = HFTokenizer(models.WordPiece(vocab=vocab, unk_token=UNK, max_input_chars_per_word=100))
        splitter.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
        used: set[int] = set()
        for start in range(0, len(types), 8192):
            for enc in splitter.encode_batch(types[start : start + 8192], add_special_tokens=False):
                used.update(enc.ids)
        # single characters stay whatever the matching used: they are what any word falls back to
        kept = [t for t in chosen if vocab[t] in used or len(t.removeprefix("##")) == 1]
        if len(kept) >= budget or take >= len(ranked):
            break
        take += 2 * (budget - len(kept))  # room freed by dead pieces: let (twice as many) next candidates in
    return {token: i for i, token in enumerate([*SPECIAL_TOKENS, *kept[:budget]])}  # in rank order


class WordPieceTokenizer:
    """BERT-style WordPiece trained with the ``tokenizers`` library on the run's own texts.

    BERT normaliser (lower-case, CJK split into characters), BERT pre-tokeniser, and the
    special tokens [PAD] [UNK] [CLS] [SEP] [MASK] at ids 0-4.
    """

    kind = "wordpiece"

    def __init__(self, vocab_size: int = 8000, min_freq: int = 2, lowercase: bool = True):
        self.vocab_size_target = vocab_size
        self.min_freq = min_freq
        self.lowercase = lowercase
        self._tok = None

    def _new(self):
        from tokenizers import Tokenizer as HFTokenizer
        from tokenizers import decoders, models, normalizers, pre_tokenizers

        tok = HFTokenizer(models.WordPiece(unk_token=UNK, max_input_chars_per_word=100))
        # no width folding here, as in the bags (SPLIT_VERSION's note): NFKC also turned Chinese "，" into
        # ",", which cost the bags 1.2 pt on the bilingual starter, and the Transformers' figures were
        # measured without it
        tok.normalizer = normalizers.BertNormalizer(
            clean_text=True, handle_chinese_chars=True, strip_accents=False, lowercase=self.lowercase
        )
        tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
        tok.decoder = decoders.WordPiece(prefix="##")
        return tok

    def train(self, texts: Iterable[str]) -> WordPieceTokenizer:
        """Learn the vocabulary from ``texts``: the same texts always give the same vocabulary.

        ``tokenizers``' own WordPieceTrainer breaks ties between merges in hash-map order, which
        changes from process to process (huggingface/tokenizers#1794): two identical runs got
        vocabularies of 5,922 and 5,923 pieces with 4,593 ids apart. So the pieces are chosen
        here, by counting, with every tie broken by the piece's text:

        - every character seen, word-initial and as a ``##`` continuation (the most frequent first);
        - then whole words, word beginnings and ``##`` endings (up to 12 characters), ranked by
          how many pieces they save, ``count × (length − 1)``, until ``vocab_size`` is reached;
        - pieces that WordPiece's greedy longest match never picks for the training words are
          dropped and the next candidates take their places (a dead row would only dilute the
          masked-word predictions).
        """
        from tokenizers import models

        tok = self._new()
        words: Counter[str] = Counter()
        batch: list[str] = []
        for text in [*texts, None]:
            if text is not None:
                batch.append(text)
            if batch and (text is None or len(batch) == 2048):
                # one normaliser call per batch (the BERT normaliser spaces out CJK characters and
                # turns newlines into spaces), then BERT's split: runs of word characters, and each
                # other non-space character alone; ~3x faster than pre_tokenize_str text by text
                split = _bert_words().findall
                for chunk in tok.normalizer.normalize_str("\n".join(batch)).split():
                    words.update((chunk,) if chunk.isalnum() else split(chunk))
                batch = []
        chars: Counter[str] = Counter()
        pieces: Counter[str] = Counter()
        for word, n in words.items():
            chars[word[0]] += n
            for ch in word[1:]:
                chars["##" + ch] += n
            if len(word) < 2 or len(word) > 100:  # WordPiece reads longer words as [UNK] anyway
                continue
            for end in range(2, min(len(word), MAX_PIECE_CHARS) + 1):
                pieces[word[:end]] += n
            for start in range(max(1, len(word) - MAX_PIECE_CHARS), len(word) - 1):
                pieces["##" + word[start:]] += n
        # every character seen, as tokenizers' trainer keeps its whole alphabet: a rare one is still not [UNK]
        ranked = [t for t, _ in sorted(chars.items(), key=lambda item: (-item[1], item[0]))]

        def saving(item: tuple[str, int]) -> tuple[int, str]:
            token, n = item
            return (-n * (len(token.removeprefix("##")) - 1), token)

        ranked += [t for t, n in sorted(pieces.items(), key=saving) if n >= self.min_freq and t not in chars]
        vocab = _used_pieces(ranked, words, self.vocab_size_target - len(SPECIAL_TOKENS))
        tok.model = models.WordPiece(vocab=vocab, unk_token=UNK, max_input_chars_per_word=100)
        tok.add_special_tokens(list(SPECIAL_TOKENS))  # "[MASK]" typed in a text is the mask token, not 3 pieces
        self._tok = tok
        return self

    def _check(self) -> None:
        if self._tok is None:
            raise NotFittedError("WordPieceTokenizer has no vocabulary yet: call train() first.")

    @property
    def vocab_size(self) -> int:
        """Number of entries in the vocabulary (specials included)."""
        self._check()
        return self._tok.get_vocab_size()

    def token_to_id(self, token: str) -> int:
        """The id of ``token``, or the [UNK] id."""
        self._check()
        idx = self._tok.token_to_id(token)
        return 1 if idx is None else idx

    def id_to_token(self, idx: int) -> str:
        """The token string of id ``idx``."""
        self._check()
        return self._tok.id_to_token(idx) or UNK

    @property
    def special_ids(self) -> dict[str, int]:
        """Ids of the special tokens."""
        return {t: self.token_to_id(t) for t in SPECIAL_TOKENS}

    def split(self, text: str) -> list[tuple[str, int, int]]:
        enc = self.encode(text)
        return [(t, s, e) for t, (s, e) in zip(enc.tokens, enc.offsets)]

    def tokens(self, text: str) -> list[str]:
        """The WordPiece strings of ``text``."""
        return self.encode(text).tokens

    def encode(self, text: str) -> Encoding:
        """Encode one text (no [CLS]/[SEP]: the model adds them)."""
        self._check()
        enc = self._tok.encode(text, add_special_tokens=False)
        return Encoding(ids=list(enc.ids), tokens=list(enc.tokens), offsets=[tuple(o) for o in enc.offsets])

    def encode_batch(self, texts: Sequence[str]) -> list[Encoding]:
        """Encode many texts at once (parallel inside ``tokenizers``)."""
        self._check()
        return [
            Encoding(ids=list(e.ids), tokens=list(e.tokens), offsets=[tuple(o) for o in e.offsets])
            for e in self._tok.encode_batch(list(texts), add_special_tokens=False)
        ]

    def ids_batch(self, texts: Sequence[str]) -> list[list[int]]:
        """Only the ids of many texts (no strings or offsets): what tokenising a corpus needs."""
        self._check()
        return [e.ids for e in self._tok.encode_batch(list(texts), add_special_tokens=False)]

    def decode(self, ids: Sequence[int]) -> str:
        """Turn ids back into text; CJK characters are re-joined without spaces."""
        self._check()
        text = self._tok.decode(list(ids), skip_special_tokens=True)
        # BERT's decoder puts spaces between CJK characters; Chinese is written without them.
        return re.sub(f"(?<=[{_CJK}]) (?=[{_CJK}])", "", text)

    def to_dict(self) -> dict:
        """JSON-ready state (the ``tokenizers`` JSON is embedded as a string)."""
        self._check()
        return {
            "type": self.kind,
            "version": SAVE_VERSION,
            "vocab_size": self.vocab_size_target,
            "min_freq": self.min_freq,
            "lowercase": self.lowercase,
            "tokenizer": self._tok.to_str(),
        }

    def save(self, path: str | Path) -> None:
        """Save as versioned JSON."""
        atomic_write_json(Path(path), self.to_dict())

    @classmethod
    def from_dict(cls, state: dict) -> WordPieceTokenizer:
        from tokenizers import Tokenizer as HFTokenizer

        tok = cls(state.get("vocab_size", 8000), state.get("min_freq", 2), state.get("lowercase", True))
        tok._tok = HFTokenizer.from_str(state["tokenizer"])
        return tok

    @classmethod
    def load(cls, path: str | Path) -> WordPieceTokenizer:
        """Load a saved WordPiece tokeniser."""
        tok = load_tokenizer(path)
        if not isinstance(tok, cls):
            raise ModelFileError(f"{path} holds a {tok.kind} tokeniser, not WordPiece.")
        return tok


TOKENIZERS: dict[str, type] = {
    "char": CharTokenizer,
    "word": WordTokenizer,
    "jieba": JiebaTokenizer,
    "wordpiece": WordPieceTokenizer,
}


def make_tokenizer(kind: str, **kwargs) -> Tokenizer | WordPieceTokenizer:
    """A fresh tokeniser of ``kind`` (char / word / jieba / wordpiece)."""
    try:
        return TOKENIZERS[kind](**kwargs)
    except KeyError:
        raise ValueError(f"unknown tokeniser {kind!r}; choose one of {sorted(TOKENIZERS)}") from None


def tokenizer_from_dict(state: dict) -> Tokenizer | WordPieceTokenizer:
    """Rebuild a tokeniser from ``to_dict`` output, checking type and version."""
    kind = state.get("type")
    if kind not in TOKENIZERS:
        raise ModelFileError(f"unknown tokeniser type {kind!r} in saved file")
    if state.get("version", 0) > SAVE_VERSION:
        raise ModelFileError(f"tokeniser file version {state.get('version')} is newer than this studio")
    return TOKENIZERS[kind].from_dict(state)


def load_tokenizer(path: str | Path) -> Tokenizer | WordPieceTokenizer:
    """Load any saved tokeniser, with a clear error when the file is missing or corrupt."""
    try:
        state = json.loads(Path(path).read_text(encoding="utf-8"))
        return tokenizer_from_dict(state)
    except FileNotFoundError:
        raise ModelFileError(f"tokeniser file {path} is missing") from None
    except ModelFileError:
        raise
    except Exception as exc:
        raise ModelFileError(f"tokeniser file {path} is corrupt ({exc}); retrain the run.") from exc


# --------------------------------------------------------------------------- bag of words


# "auto" subwords: on when the training texts average at most this many characters (reviews,
# posts, headlines); on long documents words carry enough evidence and subwords tripled the time.
SUBWORDS_AUTO_MAX_CHARS = 400


def is_word(token: str) -> bool:
    """Letters only, a letter's combining marks counted as letters: "बिरयानी" and "ต้มยำกุ้ง" are words,
    though ``str.isalpha`` says no to their vowel signs. The character pieces inside words were never made
    for Thai, Hindi or vowelled Arabic, and a Thai set of unspaced phrases trained at chance (0.40; with
    the pieces, 1.00)."""
    return token.isalpha() or (
        not token.isascii() and all(ch.isalpha() or unicodedata.category(ch).startswith("M") for ch in token)
    )


@dataclass
class BagOfWordsConfig:
    """How texts become sparse term vectors."""

    tokenizer: str = "auto"  # auto (by language) | char | word | jieba
    ngram_range: tuple[int, int] = (1, 2)  # 1-grams to 2-grams
    weighting: str = "tfidf"  # tfidf | counts | binary
    sublinear_tf: bool = True  # 1 + log(tf) instead of raw counts
    min_df: int = 2  # drop terms seen in fewer documents
    max_features: int = 50_000  # keep the most frequent terms
    normalize: bool = True  # L2-normalise each row
    subwords: str = "auto"  # auto (on for short texts) | on | off: character n-grams inside alphabetic words
    subword_range: tuple[int, int] = (3, 5)  # their lengths, word ends marked: "<ch", "chip>"
    nb_weights: bool = False  # weight each term by how unevenly the classes use it (NBSVM log-count ratio)

    def __post_init__(self) -> None:
        self.ngram_range = tuple(self.ngram_range)
        self.subword_range = tuple(self.subword_range)
        for name in ("ngram_range", "subword_range"):  # "2" gave "not enough values to unpack", naming no field
            if len(getattr(self, name)) != 2:
                raise ValueError(f"{name} needs two numbers, the shortest and the longest; got {getattr(self, name)}")
        s_lo, s_hi = self.subword_range
        if not 2 <= s_lo <= s_hi <= 8:
            raise ValueError(f"subword_range must satisfy 2 <= lo <= hi <= 8; got {self.subword_range}")
        if self.subwords not in ("auto", "on", "off"):
            raise ValueError(f"subwords must be auto, on or off; got {self.subwords!r}")
        if self.weighting not in ("tfidf", "counts", "binary"):
            raise ValueError(f"weighting must be tfidf, counts or binary; got {self.weighting!r}")
        check_range("BagOfWordsConfig", "max_features", self.max_features, 1, 2_000_000)
        check_range("BagOfWordsConfig", "min_df", self.min_df, 1, 1_000_000)
        lo, hi = self.ngram_range
        if not 1 <= lo <= hi <= 4:
            raise ValueError(f"ngram_range must satisfy 1 <= lo <= hi <= 4; got {self.ngram_range}")


@dataclass
class Bags:
    """Flat ``EmbeddingBag`` input: term indices, per-text offsets and weights."""

    indices: np.ndarray  # (nnz,) int64
    offsets: np.ndarray  # (N,) int64, start of each text in ``indices``
    weights: np.ndarray  # (nnz,) float32


def concat_bags(rows: Sequence[tuple[np.ndarray, np.ndarray]]) -> Bags:
    """Join per-text ``(indices, weights)`` pairs into one ``Bags`` batch."""
    lengths = np.fromiter((len(i) for i, _ in rows), dtype=np.int64, count=len(rows))
    offsets = np.zeros(len(rows), dtype=np.int64)
    if len(rows) > 1:
        np.cumsum(lengths[:-1], out=offsets[1:])
    if not rows or lengths.sum() == 0:
        return Bags(np.zeros(0, dtype=np.int64), offsets, np.zeros(0, dtype=np.float32))
    return Bags(
        indices=np.concatenate([i for i, _ in rows]),
        offsets=offsets,
        weights=np.concatenate([w for _, w in rows]),
    )


class BagOfWordsFeaturizer:
    """Texts → sparse n-gram vectors (counts or TF-IDF), scikit-learn fit/transform contract.

    Learned state ends in ``_``: ``tokenizer_kind_``, ``vocabulary_`` and ``idf_``.
    Saved as JSON, never pickled.
    """

    def __init__(self, config: BagOfWordsConfig | None = None):
        self.config = config or BagOfWordsConfig()
        self.tokenizer_kind_: str | None = None
        self.split_version_: int = SPLIT_VERSION  # how its tokeniser cuts texts (see SPLIT_VERSION)
        self.subwords_: bool = False
        self._subword_cache: dict[str, list[str]] = {}
        self.vocabulary_: dict[str, int] | None = None
        self.idf_: np.ndarray | None = None
        self.scale_: np.ndarray | None = None  # per-term NB weights (``nb_weights``), else None
        self._splitter: Tokenizer | None = None

    # -- analysis
    def _tokenizer(self) -> Tokenizer:
        if self._splitter is None:
            self._splitter = make_tokenizer(self.tokenizer_kind_, split_version=self.split_version_)
        return self._splitter

    def analyze(self, text: str) -> list[str]:
        """The terms (n-grams joined by a space) of one text."""
        tokens = self._tokenizer().tokens(text)
        lo, hi = self.config.ngram_range
        terms = list(tokens) if lo == 1 else []
        for n in range(max(2, lo), hi + 1):
            if n == 2:  # the common case, without a slice and a join per bigram
                terms.extend([a + " " + b for a, b in zip(tokens, tokens[1:])])
            else:
                terms.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
        if self.subwords_:
            terms.extend(self._subwords(tokens))
        return terms

    def _subwords(self, tokens: list[str]) -> list[str]:
        """Character n-grams of each alphabetic, non-CJK word, with ``<`` and ``>`` marking its ends.

        They let "footballer" share evidence with "football" and a typo with its word: on short
        English texts they lifted a linear model from 0.83 to 0.90 (the starter). A leading ``#``
        keeps them apart from whole words, and from the vocabulary of models saved without them.
        """
        cache = self._subword_cache
        if len(cache) > 500_000:  # a memo of words seen, bounded
            cache.clear()
        distinct = set(tokens)  # once per distinct word in the text
        found = list(map(cache.get, distinct))  # C-level look-ups: most words were seen before
        if None in found:
            for token in distinct:
                if token not in cache:
                    cache[token] = self._word_subwords(token)
            found = list(map(cache.get, distinct))
        return list(chain.from_iterable(found))

    def _word_subwords(self, token: str) -> tuple[str, ...]:
        if len(token) < 2 or not is_word(token) or _CJK_RE.match(token):
            return ()
        lo, hi = self.config.subword_range
        marked = "<" + token + ">"
        size = len(marked)
        return tuple("#" + marked[i : i + n] for n in range(lo, min(hi, size) + 1) for i in range(size - n + 1))

    def analyze_with_offsets(self, text: str) -> list[tuple[str, int, int]]:
        """The unigram tokens of ``text`` with their character offsets."""
        return self._tokenizer().split(text)

    def fit(self, texts: Sequence[str]) -> BagOfWordsFeaturizer:
        """Learn the vocabulary and IDF weights from ``texts``; returns self."""
        self._choose_tokenizer(texts)
        return self._fit_terms(self.analyze(text) for text in texts)

    def fit_encode(
        self, texts: Sequence[str], labels: Sequence[int] | np.ndarray | None = None
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """``fit`` then ``encode_one`` for each text, analysing every text once instead of twice.

        With ``labels`` (class indices) and ``config.nb_weights``, the terms are also weighted
        by how unevenly the classes use them (see ``fit_nb_weights``).
        """
        if len(texts) > 50_000:  # keeping every term list at once would cost gigabytes: two passes
            self.fit(texts)
            rows = [self.encode_one(text) for text in texts]
        else:
            self._choose_tokenizer(texts)
            rows = self._fit_encode_analysed([self.analyze(text) for text in texts])
        if self.config.nb_weights and labels is not None:
            self.fit_nb_weights(rows, labels)
            rows = [(idx, w * self.scale_[idx]) for idx, w in rows]
        return rows

    def fit_nb_weights(
        self, rows: Sequence[tuple[np.ndarray, np.ndarray]], labels: Sequence[int] | np.ndarray
    ) -> np.ndarray:
        """Per-term weights from the training texts' classes: NBSVM's log-count ratio.

        For each class c, r_c = log((p_c / |p_c|) / (q_c / |q_c|)), where p_c counts the texts of
        class c holding the term and q_c those of the other classes (plus one each). A term's
        weight is max_c |r_c|: "good", "bad" or 体育 weigh more than "the" or 的, which every
        class uses alike. Wang & Manning (2012) showed this lifts linear models on sentiment; a
        linear or MLP layer above can still learn each term's sign, so one weight per term serves
        any number of classes.
        """
        labels = np.asarray(labels, dtype=np.int64)
        n_classes = int(labels.max()) + 1 if len(labels) else 0
        presence = np.zeros((max(n_classes, 2), self.n_features), dtype=np.float64)
        for (idx, _), label in zip(rows, labels):
            presence[label, idx] += 1.0
        total = presence.sum(0)
        scale = np.zeros(self.n_features, dtype=np.float64)
        for c in range(n_classes if n_classes > 2 else 1):  # two classes: r_0 = -r_1
            p = presence[c] + 1.0
            q = total - presence[c] + 1.0
            scale = np.maximum(scale, np.abs(np.log((p / p.sum()) / (q / q.sum()))))
        self.scale_ = scale.astype(np.float32)
        return self.scale_

    def _fit_encode_analysed(self, analysed: list[list[str]]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Vocabulary, IDF and every text's row from term lists, counted in NumPy.

        Each term gets a provisional id at first sight (a C-level ``defaultdict`` look-up), so
        document frequencies and term counts come from one sort of (text, term) pairs instead
        of a Counter per text and a second round of look-ups: the same result as ``fit`` then
        ``encode_one``, in about a third of the time.
        """
        cfg = self.config
        provisional: defaultdict[str, int] = defaultdict(count().__next__)
        lookup = provisional.__getitem__
        lengths = np.fromiter(map(len, analysed), dtype=np.int64, count=len(analysed))
        ids = np.fromiter(chain.from_iterable(map(lookup, terms) for terms in analysed), np.int64, int(lengths.sum()))
        n_terms = len(provisional)
        doc = np.repeat(np.arange(len(analysed), dtype=np.int64), lengths)
        pairs, tf = np.unique(doc * max(n_terms, 1) + ids, return_counts=True)  # sorted by text, then term
        pair_doc, pair_term = np.divmod(pairs, max(n_terms, 1))
        df = np.bincount(pair_term, minlength=n_terms)
        if not n_terms:
            self._fit_terms(analysed)  # raises the "no terms" error
        keep = np.flatnonzero(df >= cfg.min_df)
        if not len(keep):  # tiny corpora: keep everything rather than fail
            keep = np.arange(n_terms)
        names = list(provisional)  # insertion order = provisional id
        order = sorted(keep.tolist(), key=lambda i: (-df[i], names[i]))[: cfg.max_features]
        self.vocabulary_ = {names[i]: new for new, i in enumerate(order)}
        kept_df = df[order].astype(np.float64)
        self.idf_ = (np.log((1.0 + len(analysed)) / (1.0 + kept_df)) + 1.0).astype(np.float32)
        remap = np.full(n_terms, -1, dtype=np.int64)
        remap[order] = np.arange(len(order))
        final = remap[pair_term]
        present = final >= 0
        pair_doc, final, tf = pair_doc[present], final[present], tf[present].astype(np.float32)
        resort = np.lexsort((final, pair_doc))  # each row's ids ascending, as encode_one gives them
        pair_doc, final, tf = pair_doc[resort], final[resort], tf[resort]
        w = self._term_weights(final, tf)
        bounds = np.searchsorted(pair_doc, np.arange(len(analysed) + 1))
        if cfg.normalize and len(w):
            starts = bounds[:-1][bounds[:-1] < bounds[1:]]
            norms = np.sqrt(np.add.reduceat(w * w, starts))
            w = w / np.repeat(np.maximum(norms, 1e-12), np.diff(np.append(starts, len(w))))
        w = w.astype(np.float32)
        return [(final[a:b], w[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]

    def _choose_tokenizer(self, texts: Sequence[str]) -> None:
        kind = self.config.tokenizer
        if kind == "auto":
            kind = default_tokenizer_kind(dominant_language(texts))
        self.tokenizer_kind_ = kind
        self.split_version_ = SPLIT_VERSION
        self._splitter = None
        mode = self.config.subwords
        if mode == "auto":  # short texts are where single words are too sparse to generalise
            sample = [len(t) for t in texts[:2000]]
            self.subwords_ = bool(sample) and float(np.mean(sample)) <= SUBWORDS_AUTO_MAX_CHARS
        else:
            self.subwords_ = mode == "on"

    def _fit_terms(self, analysed: Iterable[list[str]]) -> BagOfWordsFeaturizer:
        cfg = self.config
        df: Counter[str] = Counter()
        n_docs = 0
        for terms in analysed:
            df.update(set(terms))
            n_docs += 1
        if not df:
            from core.errors import DataError

            raise DataError(
                f"The {n_docs:,} training texts give no terms to count: they hold no words or characters "
                f"the {self.tokenizer_kind_} tokenizer keeps (only emoji, symbols or whitespace?). "
                "Check the text column, or choose the char tokenizer, which keeps symbols."
            )
        n_docs = max(1, n_docs)
        terms = [(t, c) for t, c in df.items() if c >= cfg.min_df]
        if not terms:  # tiny corpora: keep everything rather than fail
            terms = list(df.items())
        terms.sort(key=lambda tc: (-tc[1], tc[0]))
        terms = terms[: cfg.max_features]
        self.vocabulary_ = {t: i for i, (t, _) in enumerate(terms)}
        counts = np.array([c for _, c in terms], dtype=np.float64)
        # scikit-learn's smooth IDF: log((1 + n) / (1 + df)) + 1
        self.idf_ = (np.log((1.0 + n_docs) / (1.0 + counts)) + 1.0).astype(np.float32)
        return self

    def _check(self) -> None:
        if self.vocabulary_ is None:
            raise NotFittedError("BagOfWordsFeaturizer is not fitted yet: call fit() first.")

    @property
    def n_features(self) -> int:
        """Size of the term vocabulary."""
        self._check()
        return len(self.vocabulary_)

    def encode_one(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Term indices (int64) and weights (float32) of one text, as configured."""
        self._check()
        return self._encode_terms(self.analyze(text))

    def _encode_terms(self, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        cfg = self.config
        # dict lookups through a C-level map, counting in NumPy: no Python loop per term
        ids = np.fromiter(map(self.vocabulary_.get, terms, repeat(-1)), dtype=np.int64, count=len(terms))
        ids = ids[ids >= 0]
        if not len(ids):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        idx, tf = np.unique(ids, return_counts=True)
        w = self._term_weights(idx, tf.astype(np.float32))
        if cfg.normalize:
            w = w / max(float(np.sqrt((w * w).sum())), 1e-12)
        if self.scale_ is not None:  # after normalising: a text made of telling terms weighs more
            w = w * self.scale_[idx]
        return idx, w.astype(np.float32)

    def _term_weights(self, ids: np.ndarray, tf: np.ndarray) -> np.ndarray:
        """Counts → weights as configured (binary, counts or TF-IDF, sublinear or not), before normalising."""
        cfg = self.config
        if cfg.weighting == "binary":
            return np.ones_like(tf)
        w = (1.0 + np.log(tf)) if cfg.sublinear_tf else tf
        return w * self.idf_[ids] if cfg.weighting == "tfidf" else w

    def transform(self, texts: Sequence[str]):
        """A ``scipy.sparse.csr_matrix`` of shape ``(len(texts), n_features)``."""
        return self.rows_to_matrix([self.encode_one(text) for text in texts])

    def rows_to_matrix(self, rows: Sequence[tuple[np.ndarray, np.ndarray]]):
        """``encode_one`` rows as a ``scipy.sparse.csr_matrix``."""
        from scipy import sparse

        bags = concat_bags(rows)
        indptr = np.append(bags.offsets, len(bags.indices))
        return sparse.csr_matrix(
            (bags.weights, bags.indices, indptr), shape=(len(rows), self.n_features), dtype=np.float32
        )

    def fit_transform(self, texts: Sequence[str]):
        """``fit`` then ``transform``."""
        return self.fit(texts).transform(texts)

    def coverage(self, texts: Sequence[str], empty: float | None = 1.0) -> float | None:
        """Share of the tokens in ``texts`` that the vocabulary knows (0-1); ``empty`` when they have none.

        Tokens are its shortest n-grams: a vocabulary of bigrams alone has no single word, and its
        own training texts read as 0% known.
        """
        self._check()
        lo = self.config.ngram_range[0]
        seen = known = 0
        for text in texts:
            tokens = self._tokenizer().tokens(text)
            if lo == 1:  # an emoji's variation selector or joiner is no word: "59% known" counted them as unknown
                units = [token for token in tokens if not _EMOJI_PARTS.fullmatch(token)]
            else:
                units = [" ".join(tokens[i : i + lo]) for i in range(len(tokens) - lo + 1)]
            seen += len(units)
            known += sum(unit in self.vocabulary_ for unit in units)
        return known / seen if seen else empty

    def to_dict(self) -> dict:
        """JSON-ready state."""
        self._check()
        terms = [""] * len(self.vocabulary_)
        for term, i in self.vocabulary_.items():
            terms[i] = term
        return {
            "type": "bag_of_words",
            "version": SAVE_VERSION,
            "config": asdict(self.config),
            "tokenizer": self.tokenizer_kind_,
            "split_version": self.split_version_,
            "subwords": bool(self.subwords_),
            "terms": terms,
            "idf": [float(x) for x in self.idf_],
            **({"nb_weights": [float(x) for x in self.scale_]} if self.scale_ is not None else {}),
        }

    def save(self, path: str | Path) -> None:
        """Save as versioned JSON."""
        atomic_write_json(Path(path), self.to_dict())

    @classmethod
    def from_dict(cls, state: dict) -> BagOfWordsFeaturizer:
        if state.get("type") != "bag_of_words":
            raise ModelFileError(f"not a bag-of-words featuriser file (type {state.get('type')!r})")
        if state.get("version", 0) > SAVE_VERSION:
            raise ModelFileError("featuriser file is newer than this studio")
        feat = cls(BagOfWordsConfig(**state["config"]))
        feat.tokenizer_kind_ = state["tokenizer"]
        feat.split_version_ = int(state.get("split_version", 1))  # files from before version 2 have none
        if feat.split_version_ not in SPLIT_VERSIONS:
            raise ModelFileError("featuriser file is newer than this studio (its texts are split another way)")
        feat.subwords_ = bool(state.get("subwords", False))  # files saved before subwords had none
        feat.vocabulary_ = {t: i for i, t in enumerate(state["terms"])}
        feat.idf_ = np.asarray(state["idf"], dtype=np.float32)
        if len(feat.idf_) != len(feat.vocabulary_):
            raise ModelFileError("featuriser file is corrupt: terms and idf differ in length")
        if state.get("nb_weights") is not None:
            feat.scale_ = np.asarray(state["nb_weights"], dtype=np.float32)
            if len(feat.scale_) != len(feat.vocabulary_):
                raise ModelFileError("featuriser file is corrupt: terms and NB weights differ in length")
        return feat

    @classmethod
    def load(cls, path: str | Path) -> BagOfWordsFeaturizer:
        """Load a saved featuriser, with a clear error when missing or corrupt."""
        try:
            return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise ModelFileError(f"featuriser file {path} is missing") from None
        except ModelFileError:
            raise
        except Exception as exc:
            raise ModelFileError(f"featuriser file {path} is corrupt ({exc}); retrain the run.") from exc


def unknown_share(tokenizer: Tokenizer | WordPieceTokenizer, texts: Sequence[str]) -> float:
    """Share of tokens in ``texts`` that ``tokenizer`` maps to [UNK] (0-1)."""
    total = unk = 0
    unk_id = tokenizer.token_to_id(UNK)
    for text in texts:
        ids = tokenizer.encode(text).ids
        total += len(ids)
        unk += sum(1 for i in ids if i == unk_id)
    return unk / total if total else 0.0


def log_perplexity_to_ppl(loss: float) -> float:
    """Perplexity from a mean cross-entropy in nats (capped to stay finite)."""
    return float(math.exp(min(loss, 50.0)))


WORDPIECES_PER_WORD = 1.3  # a learned WordPiece vocabulary cuts a rarer word into two or three pieces


def approximate_tokens(text: str, max_len: int) -> int:
    """About how many tokens a Transformer reads of ``text`` (a CJK character each, a word about 1.3
    WordPieces, punctuation one; [CLS] and [SEP]), at most ``max_len``: for time estimates, before any
    tokeniser is trained."""
    cut = text[: 8 * max_len]  # no text of fewer than 8 characters a token is cut later than this
    cjk = len(_CJK_RE.findall(cut))
    other = len(_splitters(SPLIT_VERSION)["char plain"].findall(cut)) - cjk
    return min(max_len, 2 + cjk + round(WORDPIECES_PER_WORD * other))


def approximate_read_chars(text: str, max_len: int) -> int:
    """About how many of ``text``'s characters a Transformer of ``max_len`` tokens reads (all of them when it
    fits), estimated as ``approximate_tokens`` counts: for a note before any tokeniser is trained."""
    budget = max(1, max_len - 2)
    used = 0
    for match in _splitters(SPLIT_VERSION)["char plain"].finditer(text):
        used += 1 if _CJK_RE.match(match.group()) else WORDPIECES_PER_WORD
        if used > budget:
            return match.start()
    return len(text)


# the parts that make one emoji of the symbol before them, as a reader sees it: variation selectors, skin
# tones, the zero-width joiner, a keycap, tag characters (a subdivision's flag)
_EMOJI_PARTS = re.compile("[\ufe0e\ufe0f\u200d\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]+")
_REGIONAL = re.compile("[\U0001f1e6-\U0001f1ff]")
_EMOJI_CHAR = re.compile(f"[{_EMOJI_SYMBOL}{_EMOJI_MODIFIER}\u200d\U0001f1e6-\U0001f1ff]")  # a part of an emoji


def whole_emoji(units: list[tuple[str, int, int]], text: str) -> list[tuple[str, int, int]]:
    """``(token, start, end)`` units of ``text`` with each emoji whole: "☀️" was "☀" and an empty-looking
    "️" (its variation selector) under the attribution bars, "👨‍👩‍👧" five pieces and a flag two letters."""
    out: list[tuple[str, int, int]] = []
    for token, start, end in units:
        piece = text[start:end]
        if _EMOJI_PARTS.fullmatch(piece) and not (out and out[-1][2] == start):
            # the selector alone, its symbol not read (a word model of split version 2): named by the emoji
            first = start
            while first > (out[-1][2] if out else 0) and _EMOJI_CHAR.match(text[first - 1]):
                first -= 1
            if first < start:
                out.append((text[first:end], first, end))
                continue
        if out and out[-1][2] == start:
            before = text[out[-1][1] : out[-1][2]]
            if (
                _EMOJI_PARTS.fullmatch(piece)  # a selector, a skin tone, a joiner: of the emoji before it
                or before.endswith("\u200d")  # the symbol a joiner joins on
                or (_REGIONAL.fullmatch(piece) and _REGIONAL.fullmatch(before))  # a flag's second letter
            ):
                out[-1] = (text[out[-1][1] : end], out[-1][1], end)
                continue
        out.append((token, start, end))
    return out


def chinese_words(units: list[tuple[str, int, int]], text: str) -> list[tuple[str, int, int]]:
    """``(token, start, end)`` units of ``text`` with runs of single Chinese characters joined into the
    words jieba finds there: an attribution chart of a Chinese review read "物 · 流 · 五 · 星 · 好 · 评",
    each character scored apart, where a reader asks what 物流 and 好评 did. Other units are kept."""
    if not units or not _CJK_RE.search(text):
        return units
    word_of = {}  # a character's offset -> the (start, end) of the jieba word it belongs to
    for _word, start, end in _jieba().tokenize(text):
        for i in range(start, end):
            word_of[i] = (start, end)
    out: list[tuple[str, int, int]] = []
    for token, start, end in units:
        single = end - start == 1 and _CJK_RE.fullmatch(text[start:end]) is not None
        if single and out and out[-1][2] == start and word_of.get(start) == word_of.get(start - 1) is not None:
            first = out[-1][1]
            previous = text[first : out[-1][2]]
            if all(_CJK_RE.fullmatch(ch) for ch in previous):  # a run of Chinese characters only
                out[-1] = (text[first:end], first, end)
                continue
        out.append((token, start, end))
    return out
