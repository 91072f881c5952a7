"""Predict with an exported Encoder Studio model using plain torch (and tokenizers for the Transformer).

This file is copied into every export archive as ``studio_model.py``. It must import nothing
from the studio: only the standard library, ``torch``, and ``tokenizers`` (Transformer runs)
or ``jieba`` (bag-of-words runs, and wide-and-deep Transformers, whose featuriser segments
Chinese words). ``load(folder)`` reads and checks the bundle's files and returns its class names and
a function ``texts -> logits (N, C)``; ``build(config, weights, folder)`` makes that function.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from pathlib import Path

import torch
import torch.nn.functional as F

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef\u3040-\u30ff\uac00-\ud7af"
_CJK_RE = re.compile(f"[{_CJK}]")
# how the studio's bag tokenisers cut texts, by the split version saved with the featuriser
# (files without one are version 1); the same patterns as core/text.py
_SPLIT_V1 = {
    "char": re.compile(f"[{_CJK}]|[^\\W{_CJK[:-1]}]+|[^\\s\\w]|_", re.UNICODE),
    "word": re.compile(f"[{_CJK}]|(?:[^\\W_{_CJK[:-1]}]+(?:'[^\\W_]+)?)", re.UNICODE),
}
_SPLIT: dict[int, dict[str, re.Pattern]] = {}
# version 3: an emoji (its selector, skin tone and joiners with it) is one token, and the word tokeniser keeps it
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
_EMOJI_MODIFIER = "\\ufe0e\\ufe0f\\u20e3\\U0001f3fb-\\U0001f3ff\\U000e0020-\\U000e007f"
_EMOJI = (
    f"[\\U0001f1e6-\\U0001f1ff]{{2}}|[#*]\\ufe0f?\\u20e3|[{_EMOJI_SYMBOL}][{_EMOJI_MODIFIER}]*"
    f"(?:\\u200d[{_EMOJI_SYMBOL}][{_EMOJI_MODIFIER}]*)*"
)


def _splitter(kind: str, version: int, text: str) -> re.Pattern:
    if version == 1:
        return _SPLIT_V1[kind]
    if version not in _SPLIT:  # version 2 keeps a word's combining marks (Hindi vowel signs, Thai vowels)
        import sys

        ranges: list[tuple[int, int]] = []
        for code in (*range(0x20000), *range(0xE0100, min(0xE01F0, sys.maxunicode + 1))):
            if unicodedata.category(chr(code))[0] == "M":
                if ranges and ranges[-1][1] == code - 1:
                    ranges[-1] = (ranges[-1][0], code)
                else:
                    ranges.append((code, code))
        marks = "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)
        letter = f"(?:[^\\W_{_CJK}]|[{marks}])"
        if version == 3:
            start = f"[^\\W_{_CJK}]"
            joiner = "[\\u200c\\u200d]"
            built = {
                "char": re.compile(
                    f"[{_CJK}]|[^\\W{_CJK}](?:[^\\W{_CJK}]|[{marks}])*(?:{joiner}(?:[^\\W{_CJK}]|[{marks}])+)*|{_EMOJI}|[^\\s\\w]|_",
                    re.UNICODE,
                ),
                "word": re.compile(
                    f"[{_CJK}]|(?:{start}{letter}*(?:{joiner}{letter}+)*(?:'{letter}+)?)|{_EMOJI}", re.UNICODE
                ),
                "char plain": re.compile(
                    f"[{_CJK}]|[^\\W{_CJK}]+(?:{joiner}[^\\W{_CJK}]+)*|{_EMOJI}|[^\\s\\w]|_", re.UNICODE
                ),
                "word plain": re.compile(
                    f"[{_CJK}]|(?:[^\\W_{_CJK}]+(?:{joiner}[^\\W_{_CJK}]+)*(?:'[^\\W_{_CJK}]+)?)|{_EMOJI}", re.UNICODE
                ),
            }
        else:
            built = {
                "char": re.compile(f"[{_CJK}]|(?:[^\\W{_CJK}]|[{marks}])+|[^\\s\\w]|_", re.UNICODE),
                "word": re.compile(f"[{_CJK}]|(?:{letter}+(?:'{letter}+)?)", re.UNICODE),
                # a text with no combining mark: the same cuts, one character class a run (much faster)
                "char plain": re.compile(f"[{_CJK}]|[^\\W{_CJK}]+|[^\\s\\w]|_", re.UNICODE),
                "word plain": re.compile(f"[{_CJK}]|(?:[^\\W_{_CJK}]+(?:'[^\\W_{_CJK}]+)?)", re.UNICODE),
            }
        # below U+10000 a class is a table look-up; with the astral ranges, a scan a character
        built["marks"] = re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges if b < 0x10000) + "]")
        built["astral marks"] = re.compile(
            "[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges if b >= 0x10000) + "]"
        )
        _SPLIT[version] = built  # in one step: a thread arriving meanwhile found half of them (KeyError)
    patterns = _SPLIT[version]
    marked = not text.isascii() and (
        bool(patterns["marks"].search(text)) or (max(text) > "\uffff" and bool(patterns["astral marks"].search(text)))
    )
    return patterns[kind if marked else f"{kind} plain"]


_ACTIVATIONS = {"relu": F.relu, "gelu": F.gelu, "tanh": torch.tanh, "silu": F.silu}


class BundleError(Exception):
    """A file of this bundle cannot be used; the message is one sentence that names it."""


def damaged(name: str, why: str = "") -> BundleError:
    """The error for the bundle file ``name``, with ``why`` in brackets when known."""
    return BundleError(
        f"This bundle's {name} is damaged or edited{f' ({why})' if why else ''}; export the run again from Encoder Studio."
    )


def _read_json(folder: Path, name: str):
    """The JSON in ``folder / name``; BundleError naming the file when it is missing or cut short."""
    try:
        return json.loads((folder / name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # a half-cut file: JSONDecodeError (a ValueError), not a traceback
        raise damaged(name, type(exc).__name__) from None


def config_digest(config: dict) -> str:
    """The sha256 of ``config`` without its own ``sha256`` entry, in one canonical JSON form."""
    body = {key: value for key, value in config.items() if key != "sha256"}
    return json_digest(body)


def json_digest(value) -> str:
    """The sha256 of a JSON value's content, whatever its line endings, spacing or key order: a bundle
    committed to git on Windows came out with CRLF in its JSON files, the same model."""
    import hashlib

    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def file_digest(path: Path) -> str:
    """A bundle file's sha256: of its content for JSON (``json_digest``), of its bytes for the weights."""
    import hashlib

    data = path.read_bytes()
    if path.suffix == ".json":
        try:
            return json_digest(json.loads(data.decode("utf-8")))
        except ValueError:  # not JSON (cut short, say): its bytes, which cannot match
            pass
    return hashlib.sha256(data).hexdigest()


def _check_sums(folder: Path, config: dict) -> None:
    """The files' sha256 as the export wrote them into config.json (bundles made before have none).

    An edit that kept every shape loaded without a word: a head bias raised by 5 flipped answers, all
    idf weights at 0 answered every text alike, and a byte flipped in transit (unzip said "bad CRC" and
    wrote the file anyway) gave other probabilities.
    """
    sums = config.get("sha256")
    if sums is None and config.get("bundle_format", 1) < 2:  # made before checksums travelled
        return
    if not isinstance(sums, dict) or sums.get("config.json") != config_digest(config):
        raise damaged("config.json", "its checksum does not match")
    for name, expected in sums.items():
        if name == "config.json":
            continue
        try:
            found = file_digest(folder / Path(name).name)
        except OSError as exc:
            raise damaged(name, type(exc).__name__) from None
        if found != expected:
            raise damaged(name, "its checksum does not match")


def load(folder) -> tuple[list[str], object]:
    """``(labels, texts -> logits)`` of the bundle in ``folder``, every file checked as it is read.

    A damaged or edited file gave a bare traceback, an IndexError, a silently dropped class, or NaN
    probabilities (not JSON); BundleError now names the file instead. A missing library (tokenizers,
    jieba) is still an ImportError: the README names what to install.
    """
    from safetensors.torch import load_file

    folder = Path(folder)
    config, labels = _read_json(folder, "config.json"), _read_json(folder, "labels.json")
    if not isinstance(config, dict) or not isinstance(config.get("encoder_config"), dict):
        raise damaged("config.json", "no encoder settings")
    if not (isinstance(labels, list) and labels and all(isinstance(x, str) for x in labels)):
        raise damaged("labels.json", "not a list of class names")
    if len(set(labels)) != len(labels):  # two classes of one name: one of them vanished from the answers
        raise damaged("labels.json", "a class name comes twice")
    if isinstance(config.get("labels"), list) and config["labels"] != labels:
        # two names swapped: every answer came out under the other class's name
        raise damaged("labels.json", "its class names differ from those in config.json")
    try:
        weights = load_file(str(folder / "model.safetensors"))
    except Exception as exc:  # cut short or overwritten: safetensors says so in its own words
        raise damaged("model.safetensors", type(exc).__name__) from None
    for name, tensor in weights.items():
        if tensor.is_floating_point() and not bool(tensor.isfinite().all()):
            raise damaged("model.safetensors", f"{name} holds values that are not numbers")
    try:
        logits = build(config, weights, folder)
        outputs = logits([""]).shape[1]  # one short text through the whole model: weights of another shape fail here
    except (BundleError, ImportError):
        raise
    except Exception as exc:  # a weight missing or of another shape than the config makes
        raise damaged("config.json or model.safetensors", f"they do not fit together: {type(exc).__name__}") from None
    if outputs != len(labels):
        raise damaged("labels.json", f"it names {len(labels)} classes, the model predicts {outputs}")
    _check_sums(folder, config)  # last: the checks above say more precisely what is wrong
    return labels, logits


def answer(text: str, p: list[float], labels: list[str]) -> dict:
    """One line of load.py's output: the label, each class's probability, and a note where one is due.

    Never NaN (which is not JSON): finite weights can still overflow on some text, which is then
    answered with no label and said to be.
    """
    if not all(math.isfinite(v) for v in p):
        return {"text": text, "label": None, "p": None, "error": "the model's numbers overflowed on this text"}
    note = {} if text.strip() else {"note": "empty text: the label is a guess from nothing"}
    return {"text": text, "label": labels[p.index(max(p))], "p": dict(zip(labels, p)), **note}


class Featurizer:
    """Texts → TF-IDF bags (term ids, offsets, weights), as the studio's bag-of-words featuriser."""

    def __init__(self, state: dict):
        self.config, self.kind, self.subwords = state["config"], state["tokenizer"], bool(state.get("subwords"))
        self.split_version = int(state.get("split_version", 1))
        self.vocabulary = {term: i for i, term in enumerate(state["terms"])}
        self.idf = torch.tensor(state["idf"], dtype=torch.float32)
        # NB weights (how unevenly the classes use each term), applied after normalising
        self.nb = torch.tensor(state["nb_weights"], dtype=torch.float32) if state.get("nb_weights") else None
        self.size = len(self.vocabulary)
        if len(self.idf) != self.size or (self.nb is not None and len(self.nb) != self.size):
            raise ValueError("one weight per term")  # a shorter list raised IndexError on some texts only

    def tokens(self, text: str) -> list[str]:
        if self.kind == "jieba":
            import jieba

            found = [w for w in jieba.lcut(text) if w.strip()]
        else:
            found = _splitter(self.kind, self.split_version, text).findall(text)
        if (
            self.kind != "jieba"
            and self.split_version >= 3
            and not text.isascii()
            and ("\ufe0f" in text or "\ufe0e" in text)
        ):
            # an emoji's term is the emoji without its variation selector ("❤️" and "❤" are one); a selector
            # alone is no term (jieba's words are its own, in every version)
            terms = (t.lower().replace("\ufe0f", "").replace("\ufe0e", "") for t in found)
            return [term for term in terms if term]
        return [t.lower() for t in found]

    def terms(self, text: str) -> list[str]:
        tokens = self.tokens(text)
        lo, hi = self.config["ngram_range"]
        out = list(tokens) if lo == 1 else []
        for n in range(max(2, lo), hi + 1):
            out += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
        if self.subwords:
            s_lo, s_hi = self.config["subword_range"]
            for token in set(tokens):
                # letters with their combining marks, as the studio's is_word (Thai, Hindi vowel signs)
                word = token.isalpha() or (
                    not token.isascii()
                    and all(ch.isalpha() or unicodedata.category(ch).startswith("M") for ch in token)
                )
                if len(token) >= 2 and word and not _CJK_RE.match(token):
                    marked = "<" + token + ">"
                    for n in range(s_lo, min(s_hi, len(marked)) + 1):
                        out += ["#" + marked[i : i + n] for i in range(len(marked) - n + 1)]
        return out

    def bags(self, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        indices, offsets, weights = [], [], []
        for text in texts:
            counts: dict[int, int] = {}
            for term in self.terms(text):
                if term in self.vocabulary:
                    counts[self.vocabulary[term]] = counts.get(self.vocabulary[term], 0) + 1
            ids = sorted(counts)
            tf = torch.tensor([float(counts[i]) for i in ids])
            if self.config["weighting"] == "binary":
                w = torch.ones_like(tf)
            else:
                w = 1.0 + torch.log(tf) if self.config["sublinear_tf"] else tf
                if self.config["weighting"] == "tfidf" and ids:
                    w = w * self.idf[ids]
            if self.config["normalize"] and ids:
                w = w / max(float(torch.sqrt((w * w).sum())), 1e-12)
            if self.nb is not None and ids:
                w = w * self.nb[ids]
            offsets.append(len(indices))
            indices += ids
            weights += w.tolist()
        return torch.tensor(indices, dtype=torch.long), torch.tensor(offsets, dtype=torch.long), torch.tensor(weights)


def _bag_sum(table: torch.Tensor, bags) -> torch.Tensor:
    """Rows of ``table`` summed per text with the bag weights: ``(N, D)``."""
    indices, offsets, weights = bags
    return F.embedding_bag(indices, table, offsets, mode="sum", per_sample_weights=weights)


def build(config: dict, weights: dict[str, torch.Tensor], folder: Path):
    """``texts -> logits (N, C)`` for the run described by ``config``, with its ``weights``.

    Texts are composed (NFC) and cut to ``config["max_text_chars"]`` first, as the studio does for
    training and for its predictions: a bag model read the whole of a longer text and answered otherwise.
    """
    logits = _logits(config, weights, folder)
    limit = int(config.get("max_text_chars") or 0) or None
    # composed (NFC) as the studio composes every text: "café" typed with a combining accent is the
    # "café" the vocabulary learned, not "cafe" and a stray mark
    return lambda texts: in_length_order(logits, [unicodedata.normalize("NFC", text)[:limit] for text in texts])


CHUNK = 256  # texts in one forward pass at most, as the studio's predictor batches them


def in_length_order(logits, texts: list[str], chunk: int = CHUNK) -> torch.Tensor:
    """``logits(texts)`` run ``chunk`` texts at a time, shortest first, with the rows back in the texts' order.

    All at once, a Transformer padded every text to the longest and held attention for all of them:
    about 1 MB a text (2,000 texts took 2.9 GB, the studio 0.69 GB). Sorted by length, a chunk pads
    little.
    """
    if len(texts) <= chunk:
        return logits(texts)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = torch.cat([logits([texts[i] for i in order[start : start + chunk]]) for start in range(0, len(texts), chunk)])
    back = torch.empty(len(order), dtype=torch.long)
    back[torch.tensor(order)] = torch.arange(len(order))  # where each text's row landed
    return out[back]


def _featurizer(folder: Path, rows: torch.Tensor) -> Featurizer:
    """The bundle's featuriser, checked against ``rows``, the weights' table with one row per term."""
    try:
        featurizer = Featurizer(_read_json(folder, "featurizer.json"))
    except BundleError:
        raise
    except Exception as exc:  # a key missing, a list of another length
        raise damaged("featurizer.json", type(exc).__name__) from None
    if featurizer.size != rows.shape[0]:  # a term past the table raised IndexError on the texts that held it
        raise damaged("featurizer.json", f"{featurizer.size} terms for {rows.shape[0]} rows of weights")
    return featurizer


def _logits(config: dict, weights: dict[str, torch.Tensor], folder: Path):
    folder, encoder, enc_cfg = Path(folder), config["encoder"], config["encoder_config"]
    w = weights
    if encoder not in ("bow_mlp", "rbf", "baseline", "transformer"):
        raise damaged("config.json", f"unknown encoder {encoder!r}")
    if encoder == "baseline":
        featurizer = _featurizer(folder, w["coef"].T)
    elif encoder == "bow_mlp":
        featurizer = _featurizer(folder, w["encoder.bag.weight"])
    elif encoder == "rbf":
        featurizer = _featurizer(folder, w.get("encoder.project.weight", w.get("encoder.centres_t.weight")))
    if encoder == "baseline":

        def logits(texts):
            x = _bag_sum(w["coef"].T.contiguous(), featurizer.bags(texts)) + w["intercept"]
            return torch.cat([torch.zeros_like(x), x], 1) if x.shape[1] == 1 else x

        return logits
    if encoder == "bow_mlp":
        act = _ACTIVATIONS.get(enc_cfg.get("activation", "relu"))
        if act is None:
            raise damaged("config.json", f"unknown activation {enc_cfg.get('activation')!r}")
        layers = sorted({int(k.split(".")[2]) for k in w if k.startswith("encoder.mlp.")})

        def logits(texts):
            x = act(_bag_sum(w["encoder.bag.weight"], featurizer.bags(texts)) + w["encoder.bias"])
            for i in layers:
                x = act(F.linear(x, w[f"encoder.mlp.{i}.weight"], w[f"encoder.mlp.{i}.bias"]))
            return F.linear(x, w["head.weight"], w["head.bias"])

        return logits
    if encoder == "rbf":

        def logits(texts):
            bags = featurizer.bags(texts)
            if "encoder.project.weight" in w:
                z, c = _bag_sum(w["encoder.project.weight"], bags), w["encoder.centres"]
                d2 = (z * z).sum(1, keepdim=True) - 2 * z @ c.T + (c * c).sum(1)
            else:
                table = w["encoder.centres_t.weight"]
                x2 = _bag_sum(torch.ones(table.shape[0], 1), (bags[0], bags[1], bags[2] ** 2))
                d2 = x2 - 2 * _bag_sum(table, bags) + (table * table).sum(0)
            width = w["encoder.log_width"].exp().clamp_min(enc_cfg.get("min_width", 0.05))
            x = torch.exp(-d2.clamp_min(0.0) / (2 * width**2))
            return F.linear(x, w["head.weight"], w["head.bias"])

        return logits
    return _transformer(enc_cfg, w, folder)


def _transformer(cfg: dict, w: dict[str, torch.Tensor], folder: Path):
    from tokenizers import Tokenizer

    try:
        state = _read_json(folder, "tokenizer.json")
        tokenizer, max_len = Tokenizer.from_str(state["tokenizer"]), int(state.get("max_len", 128))
    except BundleError:
        raise
    except Exception as exc:  # a key missing, or a tokenizer the library cannot read
        raise damaged("tokenizer.json", type(exc).__name__) from None
    cls_id, sep_id, pad_id = (tokenizer.token_to_id(t) for t in ("[CLS]", "[SEP]", "[PAD]"))
    # an id or a position past the weights' tables raised on some texts only, not at load
    if None in (cls_id, sep_id, pad_id) or tokenizer.get_vocab_size() > w["encoder.token_embedding.weight"].shape[0]:
        raise damaged("tokenizer.json", "its vocabulary does not fit the weights")
    if max_len > w["encoder.position_embedding.weight"].shape[0]:
        raise damaged("tokenizer.json", f"max_len {max_len} is longer than the model reads")
    heads = int(cfg["n_heads"])
    n_layers = len({k.split(".")[2] for k in w if k.startswith("encoder.blocks.")})
    # wide and deep: a bag-of-words MLP over NB-weighted n-grams, its vector beside the pooled one
    bags = _featurizer(folder, w["encoder.wide.bag.weight"]) if cfg.get("wide") else None
    wide_layers = sorted({int(k.split(".")[3]) for k in w if k.startswith("encoder.wide.mlp.")})

    def norm(x, name):
        return F.layer_norm(x, x.shape[-1:], w[name + ".weight"], w[name + ".bias"])

    def logits(texts):
        if not texts:
            return torch.zeros(0, w["head.bias"].shape[0])
        rows = [
            [cls_id, *e.ids[: max_len - 2], sep_id] for e in tokenizer.encode_batch(texts, add_special_tokens=False)
        ]
        T = max(len(r) for r in rows)
        ids = torch.tensor([r + [pad_id] * (T - len(r)) for r in rows])
        mask = torch.tensor([[True] * len(r) + [False] * (T - len(r)) for r in rows])
        x = w["encoder.token_embedding.weight"][ids] + w["encoder.position_embedding.weight"][:T]
        B, _, D = x.shape
        for i in range(n_layers):
            p = f"encoder.blocks.{i}."
            q, k, v = F.linear(norm(x, p + "ln1"), w[p + "attn.qkv.weight"], w[p + "attn.qkv.bias"]).split(D, 2)
            q, k, v = (t.view(B, T, heads, D // heads).transpose(1, 2) for t in (q, k, v))
            scores = (q @ k.transpose(-2, -1)) / math.sqrt(D // heads)
            y = scores.masked_fill(~mask[:, None, None, :], float("-inf")).softmax(-1) @ v
            x = x + F.linear(y.transpose(1, 2).reshape(B, T, D), w[p + "attn.out.weight"], w[p + "attn.out.bias"])
            h = F.gelu(F.linear(norm(x, p + "ln2"), w[p + "mlp.0.weight"], w[p + "mlp.0.bias"]))
            x = x + F.linear(h, w[p + "mlp.2.weight"], w[p + "mlp.2.bias"])
        x = norm(x, "encoder.ln_final")
        if cfg.get("pooling", "mean") == "cls":
            pooled = x[:, 0]
        else:
            m = mask.unsqueeze(-1).float()
            pooled = (x * m).sum(1) / m.sum(1).clamp_min(1.0)
        if bags is not None:
            wide = F.relu(_bag_sum(w["encoder.wide.bag.weight"], bags.bags(texts)) + w["encoder.wide.bias"])
            for i in wide_layers:
                wide = F.relu(F.linear(wide, w[f"encoder.wide.mlp.{i}.weight"], w[f"encoder.wide.mlp.{i}.bias"]))
            pooled = torch.cat([pooled, wide], 1)
        return F.linear(pooled, w["head.weight"], w["head.bias"])

    return logits
