"""Use a trained run: probabilities, embeddings, explanations, nearest neighbours.

``Predictor.from_run(path)`` rebuilds everything from the run folder alone:
``config.json`` + ``model.safetensors`` + ``featurizer.json``/``tokenizer.json``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.errors import ModelFileError, StudioError

# One live answer (probabilities, token attribution, neighbours, map position) is computed on at
# most this many characters, so it costs about a second whatever is pasted (a 100k-character text
# cost 12.9 s and 1.1 GB): the characters training and ``python -m core predict`` read of a text
# (``DataLimits.max_text_chars``), so the page answers as they do (cut at 5,000, a long text's
# answer was "sports" here and "technology" there).
LIVE_TEXT_CHARS = 10_000
# Token positions that the leave-out variants of one explanation may hold in all, for models that
# read token sequences: one variant per token of a full 128-token window is 16k positions (3 s on
# 2 busy cores); beyond this budget neighbouring tokens are cut out together, in spans.
EXPLAIN_TOKEN_BUDGET = 4_096


def log_odds(proba: np.ndarray, target: int) -> np.ndarray:
    """``log p / (1 - p)`` of class ``target`` per row, with ``1 - p`` summed from the other classes
    (exact where ``p`` rounds to 1.0 in float32)."""
    proba = np.asarray(proba, dtype=np.float64)
    others = np.delete(proba, target, axis=1).sum(1)
    return np.log(np.maximum(proba[:, target], 1e-12)) - np.log(np.maximum(others, 1e-12))


def clip_live_text(text: str, limit: int = LIVE_TEXT_CHARS) -> tuple[str, bool]:
    """``(text composed and cut to limit characters, whether it was cut)`` for live, per-keystroke answers."""
    from core.text import composed

    text = composed(text)
    return (text[:limit], True) if len(text) > limit else (text, False)


@dataclass
class Explanation:
    """Why a text got its prediction: per-token attribution (and attention for Transformers)."""

    text: str
    label: str
    probability: float
    tokens: list[str]
    offsets: list[tuple[int, int]]
    scores: list[float]  # drop in the predicted class's log-odds when the token (or its span) is removed
    attention: np.ndarray | None = None  # (layers, heads, T, T), T = [CLS] + tokens + [SEP]
    attention_tokens: list[str] = field(default_factory=list)
    span: int = 1  # tokens cut out together per variant (long texts on a Transformer: see EXPLAIN_TOKEN_BUDGET)


def load_weights(model, run_path: Path) -> None:
    """Load ``model.safetensors`` into ``model``, with an actionable error when it does not fit."""
    from safetensors.torch import load_model

    from core.bundle import safetensors_problem

    path = Path(run_path) / "model.safetensors"
    # the same words on every page: the Playground said "SafetensorError: Error while deserializing
    # header: header too large" where Evaluate said "its header length does not fit the file"
    damage = safetensors_problem(path) if path.is_file() else None
    try:
        if damage:
            raise ValueError(damage)
        load_model(model, str(path), device="cpu")
    except Exception as exc:
        if damage:
            detail = damage
        elif isinstance(exc, RuntimeError) and "state_dict" in str(exc):
            # torch's list of missing and unexpected keys, cut at 160 characters, ended mid-name
            detail = "its tensors are not this model's: the weights of another model"
        else:
            detail = f"{type(exc).__name__}: {str(exc)[:160]}"
        raise ModelFileError(
            f"The weights of run {Path(run_path).name} could not be loaded ({detail}). "
            "The file is damaged or belongs to another model; retrain the run."
        ) from exc
    check_finite_weights(((name, t.detach().numpy()) for name, t in model.state_dict().items()), run_path)


def check_finite_weights(tensors, run_path: Path) -> None:
    """ModelFileError when a weight is NaN or infinite: a file whose bytes were damaged under a sound
    header loaded, and every answer read "food · nan%" without a word."""
    for name, values in tensors:
        values = np.asarray(values)
        if values.dtype.kind == "f" and not np.isfinite(values).all():
            raise ModelFileError(
                f"The weights of run {Path(run_path).name} hold values that are not numbers (NaN or infinite, in "
                f"{name}): the file is damaged, or the training diverged. Train the run again (with a lower "
                "learning rate if it diverged)."
            )


def _state_of(path: Path) -> str | None:
    """The state in a run folder's status.json, or None when it cannot be read."""
    from core.storage import read_json

    try:
        return str(read_json(path / "status.json").get("state"))
    except Exception:  # a missing or damaged status says nothing either way
        return None


def whole_words(units: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """``(token, start, end)`` units with WordPiece's continuation pieces ("##a") joined to the piece
    they continue: a word the vocabulary did not know read "c · ##a · ##h · ##e · ##d" under the
    attribution bars, each letter scored apart, where a reader asks what the word did."""
    out: list[tuple[str, int, int]] = []
    for token, start, end in units:
        if token.startswith("##") and len(token) > 2 and out and out[-1][2] == start:
            last, first, _ = out[-1]
            out[-1] = (last + token[2:], first, end)
        else:
            out.append((token, start, end))
    return out


class Predictor:
    """Shared inference API over the torch families and the baseline."""

    labels: list[str]
    config: object

    # -- construction
    @classmethod
    def from_run(cls, path: str | Path) -> Predictor:
        """Rebuild the predictor of the run folder at ``path``."""
        from core.training.runner import RunConfig

        path = Path(path)
        if not (path / "config.json").is_file():
            raise ModelFileError(f"{path} is not a run folder (no config.json).")
        if not (path / "model.safetensors").is_file():  # an ensemble's holds its temperatures
            if _state_of(path) == "done":  # finished, so the file was there: "yet" sent the user waiting
                raise ModelFileError(
                    f"The model file of run {path.name} (model.safetensors) is missing from its folder. Restore it, "
                    f"or start the run again with the same settings (Start again on the Train page, or python -m "
                    f"core restart --run {path.name})."
                )
            raise ModelFileError(
                f"Run {path.name} has no saved model yet: it is still training, or it ended before saving one. "
                f"python -m core runs show {path.name} says which; a run with a checkpoint trains on with python -m "
                f"core resume --run {path.name}."
            )
        from core.errors import BrokenRunError
        from core.registry import RunDir

        try:
            # a damaged file, or one edited into no run (a misspelt setting), in the words every page uses for it
            config = RunConfig.of_run(RunDir(path))
        except BrokenRunError as exc:
            raise ModelFileError(str(exc)) from None
        except Exception as exc:
            # "RunConfig.__init__() missing 1 required positional argument: 'dataset'" was the code's
            # words; "train the run again" was refused by restart, which cannot read the config either
            raise ModelFileError(
                f"The config of run {path.name} is unreadable ({type(exc).__name__}: config.json lacks a field a "
                "run has, or holds a value of the wrong kind); put config.json back as it was, or delete the run."
            ) from None
        try:
            if config.task == "pretrain":
                predictor = MaskedLMPredictor.load(path, config)
            elif config.encoder == "baseline":
                predictor = BaselinePredictor.load(path, config)
            elif config.encoder == "ensemble":
                from core.encoders.ensemble import EnsembleModel

                predictor = EnsemblePredictor(EnsembleModel.load(path), config)
            else:
                predictor = TorchPredictor.load(path, config)
        except ModelFileError as exc:
            if path.name in str(exc):
                raise
            raise ModelFileError(f"Run {path.name}: {exc}") from None
        except (StudioError, MemoryError):  # out of memory is the machine's, not the file's
            raise
        except Exception as exc:  # a config or tokeniser file edited by hand, or from another version
            raise ModelFileError(
                f"Run {path.name} cannot be loaded: {type(exc).__name__}: {str(exc)[:120]}. Its config.json, "
                "weights or tokeniser file were changed or damaged; train the run again, or delete it."
            ) from None
        predictor.run_path = path
        return predictor

    run_path: Path | None = None

    def forget_texts(self) -> None:
        """Drop what is remembered per text (a frozen encoder keeps each text's vector), so that the
        next call does the whole work: timed on texts it had just evaluated, MiniLM read 0.11 ms a
        text instead of 20-60."""
        memo = getattr(getattr(self, "inputs", None), "_vectors", None)
        if isinstance(memo, dict):
            memo.clear()

    # -- to implement
    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        raise NotImplementedError

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        raise NotImplementedError

    def tokens(self, text: str) -> list[tuple[str, int, int]]:
        raise NotImplementedError

    def known_share(self, text: str) -> float | None:
        """Share of ``text``'s tokens the model's vocabulary knows (0-1); None when it cannot tell.

        A text of words the model never saw (English for a model trained on Chinese) still gets
        a confident answer; a page uses this to say the answer means nothing.
        """
        return None

    # -- shared
    def predict(self, texts: Sequence[str]) -> list[str]:
        """The most likely label of each text."""
        return [self.labels[i] for i in self.predict_proba(texts).argmax(1)]

    def explain(self, text: str, max_tokens: int = 200) -> Explanation:
        """Leave-one-token-out attribution: how much the predicted class's *log-odds* drop when each
        token is cut out of the text (positive = the token supported the prediction).

        Log-odds, not probability: at 0.99 confidence every single word is redundant and every
        probability drop is about 0, so stop words with a tiny drift outranked the content words.
        The odds still fall measurably when a word that carries the class is cut.
        """
        base = self.predict_proba([text])[0]
        target = int(base.argmax())
        from core.text import UNK, chinese_words, whole_emoji

        units = chinese_words(whole_emoji(whole_words(self.tokens(text)), text), text)
        # a model with a window reads the text up to its last token: variants cut from the whole text
        # pulled the next unread token in, and half the bars of a long text changed sign
        read = text[: units[-1][2]] if units and self._has_window() else text
        units = units[:max_tokens]
        span = self._explain_span(len(units))
        groups = [(a, min(a + span, len(units))) for a in range(0, len(units), span)]
        variants = [read[: units[a][1]] + " " + read[units[b - 1][2] :] for a, b in groups]
        drops = (
            (log_odds(base[None], target) - log_odds(self.predict_proba(variants), target)).tolist() if variants else []
        )
        return Explanation(
            text=text,
            label=self.labels[target],
            probability=float(base[target]),
            # "[UNK]" alone named no part of the text: the bar could not be matched to what was typed
            tokens=[f"{text[s:e]} {UNK}" if t == UNK else t for t, s, e in units],
            offsets=[(s, e) for _, s, e in units],
            scores=[float(drops[i // span]) for i in range(len(units))],
            span=span,
        )

    def _explain_span(self, n_units: int) -> int:
        """Tokens cut out together per variant: 1, unless the variants would be costly (token models)."""
        return 1

    def _has_window(self) -> bool:
        """Whether the model reads only a text's first tokens (``tokens`` then lists just those)."""
        return False

    def window(self) -> int | None:
        """The tokens of a text the model reads (a Transformer's ``max_len``), or None when it reads texts
        whole (a bag of words; a wide-and-deep model, whose bag reads past the window)."""
        return None

    def unread_from(self, text: str) -> int | None:
        """Where in ``text`` the model stops reading (a character offset), or None when it reads it all.

        A Transformer reads its window's tokens only: a long review's verdict at its end was left out
        without a word."""
        if not self._has_window():
            return None
        units = self.tokens(text)
        if not units:
            return None
        end = units[-1][2]
        return end if self.tokens(text[end:]) else None

    def neighbours(self, text: str, k: int = 5, split: str | None = "train"):
        """The ``k`` stored texts closest in meaning: cosine similarity in a *search space*.

        Raw embeddings share a large common direction (ReLU outputs are all positive; mean-pooled
        token vectors all lean the same way) and a trained encoder squeezes each class into a few
        directions, so raw cosines sat at 0.98–1.00 for every text. The search space centres the
        vectors on the training texts' mean and, where that is not enough, partly whitens them
        (see ``SearchSpace``), so that similarities spread and still follow meaning.
        """
        import pandas as pd

        vectors, points, space = self._index()
        if split is not None:
            mask = (points["split"] == split).to_numpy()
        else:
            mask = np.ones(len(points), dtype=bool)
        query = space.transform(self.embed([text]))[0]
        sims = vectors[mask] @ query
        order = np.argsort(-sims)[:k]
        chosen = points[mask].iloc[order]
        found = pd.DataFrame(
            {"text": chosen["text"].to_numpy(), "label": chosen["label"].to_numpy(), "similarity": sims[order]}
        )
        # what an unrelated text scores against this one: a classifier's encoder puts a whole class near 0.9,
        # and eight neighbours at 0.96-0.99 read as eight near-copies without it
        found.attrs["typical"] = float(np.median(sims)) if len(sims) else 0.0
        return found

    def _index(self):
        if getattr(self, "_index_cache", None) is None:
            from core.registry import RunDir

            if self.run_path is None:
                raise StudioError("This model has no run folder, so there are no stored texts to search.")
            run = RunDir(self.run_path)
            vectors = run.embeddings().astype(np.float32)
            points = run.points(["text", "label", "split"])
            train = (points["split"] == "train").to_numpy()
            space, mapped, _ = searchable(self, points["text"].astype(str).tolist(), vectors, train)
            self._index_cache = (mapped, points, space)
        return self._index_cache


@dataclass
class SearchSpace:
    """Where neighbours are searched: unit vectors, centred, optionally partly whitened, unit again.

    Vectors are scaled to unit length before centring: a short query (a few known words) has a
    raw vector a third as long as an article's, and centred as it was it pointed mostly away from
    the mean, so its neighbours were whichever texts also sat below the mean, whatever their topic
    ("a new smartphone chip" found eight politics articles). Its direction is what carries its
    meaning; on five-word queries from BBC test articles this raised precision@10 from 0.33 to
    0.62 (full articles as queries: 0.94 to 0.96).

    Whitening divides each principal direction by ``sqrt(variance + shrink * mean variance)``:
    ``shrink = None`` is plain centring; smaller ``shrink`` whitens more. ``fit`` takes the
    least whitening under which a typical text's nearest neighbour is no longer a near-copy
    (median top-1 cosine ≤ ``target``), so spaces that already spread are left as they are.
    Copies of a text (once centred, closer than ``COPY_DISTANCE`` of a typical vector's length:
    the same text twice, or one with only unknown words added) are not its neighbours there
    (raw vectors of different texts can reach cosine 0.999): no whitening pulls copies
    apart, and a collection where most texts repeat was whitened as far as it goes, which
    ranked a technology text first for "delicious food".
    """

    centre: np.ndarray
    basis: np.ndarray | None = None  # (D, D) principal directions as rows
    scale: np.ndarray | None = None  # (D,) per direction
    shrink: float | None = None

    SHRINKS = (None, 1.0, 0.1, 0.01)
    COPY_DISTANCE = 1e-3  # of the typical centred length: closer than this, two texts are copies
    # fewer texts than this are not centred: one text minus its own mean is nothing (it was "blank"),
    # and two become exact opposites (two basketball texts at cosine 0.96 scored -1.000)
    MIN_TO_CENTRE = 10

    # rows handled at a time where a step needs a full-size temporary: fitting a million texts held
    # about eight copies of their vectors at once (a full SVD's U among them), 23 GB at two million
    CHUNK = 65_536

    @classmethod
    def fit(cls, vectors: np.ndarray, target: float = 0.97, sample: int = 300, seed: int = 0) -> SearchSpace:
        vectors = _unit(np.asarray(vectors, dtype=np.float32))
        if len(vectors) < cls.MIN_TO_CENTRE:  # plain cosine: too few texts to say what is typical
            return cls(np.zeros(vectors.shape[1], dtype=np.float32))
        n, dim = vectors.shape
        centre = vectors.mean(0)
        blocks = [slice(a, min(a + cls.CHUNK, n)) for a in range(0, n, cls.CHUNK)]
        if n >= dim:  # the principal directions from the D × D scatter matrix, summed block by block
            scatter = np.zeros((dim, dim))
            for block in blocks:
                part = (vectors[block] - centre).astype(np.float64)
                scatter += part.T @ part
            eigenvalues, eigenvectors = np.linalg.eigh(scatter)
            order = np.argsort(eigenvalues)[::-1]
            variance = np.maximum(eigenvalues[order], 0.0) / n
            basis = np.ascontiguousarray(eigenvectors[:, order].T, dtype=np.float32)
        else:  # fewer texts than dimensions: the SVD is small, and keeps only the directions they span
            _, singular, basis = np.linalg.svd(vectors - centre, full_matrices=False)
            variance = singular.astype(np.float64) ** 2 / n
        rng = np.random.default_rng(seed)
        probe = rng.choice(n, size=min(sample, n), replace=False)
        norms_sq = np.concatenate([np.einsum("ij,ij->i", vectors[b] - centre, vectors[b] - centre) for b in blocks])
        near = (cls.COPY_DISTANCE * float(np.median(np.sqrt(norms_sq)))) ** 2
        probed = vectors[probe] - centre

        def copies(block: slice) -> np.ndarray:
            """Which texts of ``block`` are copies of each probe: as good as the same point once centred
            (raw vectors of different texts reach cosine 0.999); a text is not its own neighbour."""
            found = norms_sq[probe, None] + norms_sq[None, block] - 2.0 * (probed @ (vectors[block] - centre).T) <= near
            inside = (probe >= block.start) & (probe < block.stop)
            found[np.flatnonzero(inside), probe[inside] - block.start] = True
            return found

        counted = np.zeros(len(probe), dtype=bool)  # probes with at least one neighbour that is not a copy
        for block in blocks:
            counted |= ~copies(block).all(1)
        space = cls(centre)
        if not counted.any():
            return space
        for shrink in cls.SHRINKS:
            if shrink is None:
                space = cls(centre)
            else:
                scale = 1.0 / np.sqrt(variance + shrink * variance.mean() + 1e-12)
                space = cls(centre, basis, scale.astype(np.float32), shrink)
            mapped_probe = space.transform(vectors[probe])
            nearest = np.full(len(probe), -np.inf, dtype=np.float32)
            for block in blocks:
                sims = mapped_probe @ space.transform(vectors[block]).T
                sims[copies(block)] = -np.inf
                nearest = np.maximum(nearest, sims.max(1))
            if float(np.median(nearest[counted])) <= target:
                break
        return space

    def transform(self, vectors: np.ndarray) -> np.ndarray:
        """Vectors in the search space (unit length, float32)."""
        out = _unit(np.asarray(vectors, dtype=np.float32)) - self.centre
        if self.basis is not None:
            out = (out @ self.basis.T) * self.scale
        return _unit(out).astype(np.float32)


def unreadable_rows(predictor: Predictor, texts: Sequence[str], raw: np.ndarray) -> np.ndarray:
    """Which texts the encoder cannot read: no letter or digit (a lone "。", emoji), or a vector equal
    to the empty text's (every word unknown to a bag model). Their vectors are the model's bias alone,
    which sits near every short query: "。" came first for "手机屏幕" at 0.997. The search index
    stores them as zero vectors, so they score 0 and never outrank a text the query is about."""
    from core.data import has_content, has_words

    # emoji alone are read where the model learned them; a Transformer's [UNK] for those it never met has a
    # vector of its own, not the empty text's, so those are asked of its vocabulary
    rows = np.array(
        [not has_content(text) or (not has_words(text) and predictor.known_share(text) == 0) for text in texts],
        dtype=bool,
    )
    if len(raw):
        empty = np.asarray(predictor.embed([""]), dtype=np.float32)[0]
        rows |= np.abs(np.asarray(raw, dtype=np.float32) - empty).max(1) <= 1e-5 * max(1.0, float(np.abs(empty).max()))
    return rows


def searchable(
    predictor: Predictor, texts: Sequence[str], raw: np.ndarray, fit_rows: np.ndarray | None = None
) -> tuple[SearchSpace, np.ndarray, np.ndarray]:
    """``(space, vectors in it, unreadable rows)`` for texts to search: the space fitted on the
    readable ones among ``fit_rows`` (all when None; a pile of identical bias vectors would drag the
    centre), the unreadable ones stored as zero vectors."""
    finite = np.isfinite(raw).all(axis=1) if len(raw) else np.zeros(0, dtype=bool)
    if len(raw) and not finite.any():
        raise StudioError(
            "The model's vectors of these texts are not numbers (its weights diverged), so it cannot search "
            "them. Train it again with a lower learning rate."
        )
    # a vector that is not a number (weights diverged on some input) has no place by meaning either: in the
    # fit it made the centre NaN, every vector NaN, and an index that every load refused
    unreadable = unreadable_rows(predictor, texts, raw) | ~finite
    raw = np.where(finite[:, None], raw, 0.0).astype(np.float32) if len(raw) else raw
    fit = ~unreadable if fit_rows is None else np.asarray(fit_rows, dtype=bool) & ~unreadable
    space = SearchSpace.fit(raw[fit] if fit.sum() >= 2 else raw)
    vectors = space.transform(raw)
    vectors[unreadable] = 0.0
    return space, vectors, unreadable


def _unit(vectors: np.ndarray) -> np.ndarray:
    """Each row scaled to length 1 (a zero row stays zero)."""
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def inputs_known_share(inputs, text: str) -> float | None:
    """Share of ``text``'s words that a family's inputs know: for WordPiece, words neither [UNK] nor
    cut into single letters; for a bag, its words in the vocabulary; for wide and deep, the larger of
    the two (None for inputs with neither)."""
    tokenizer = getattr(inputs, "tokenizer", None)
    if tokenizer is not None and hasattr(tokenizer, "token_to_id") and hasattr(tokenizer, "encode"):
        share = wordpiece_known_share(tokenizer, text)
        # a wide-and-deep model's bag of n-grams reads the text too, and its vocabulary was fitted on the
        # model's own task: an English run fine-tuned on Chinese reviews knew none of a review's pieces,
        # classified it right through its bag, and was told "none of this text's words" are known
        bags = getattr(getattr(inputs, "bags", None), "featurizer", None)
        if bags is not None and hasattr(bags, "coverage"):
            bag_share = bags.coverage([text], empty=None)
            if bag_share is not None:
                share = bag_share if share is None else max(share, bag_share)
        return share
    featurizer = getattr(inputs, "featurizer", None)
    if featurizer is not None and hasattr(featurizer, "coverage"):
        return featurizer.coverage([text], empty=None)  # no token at all: nothing to tell
    return None


def wide_known_shares(inputs, text: str) -> tuple[float | None, float | None] | None:
    """``(WordPiece share, bag share)`` of ``text``'s words that a wide-and-deep model's two sides know;
    None for other inputs. An English pretraining fine-tuned wide on Chinese reads a review through
    its bag alone: its Transformer side sees only [UNK]."""
    bags = getattr(getattr(inputs, "bags", None), "featurizer", None)
    tokenizer = getattr(inputs, "tokenizer", None)
    if bags is None or not hasattr(bags, "coverage") or tokenizer is None or not hasattr(tokenizer, "encode"):
        return None
    return wordpiece_known_share(tokenizer, text), bags.coverage([text], empty=None)


def wordpiece_known_share(tokenizer, text: str) -> float | None:
    """Share of ``text``'s words (a piece and its "##" continuations; each Chinese character is one)
    that ``tokenizer`` knows: none of its pieces [UNK], and not spelled out a letter or two at a time.

    A Chinese model's vocabulary holds the single Latin letters, so "Where is my package?" came out
    as "w ##h ##e ##r ##e …": no [UNK] in sight, 90% "known", and a confident answer with no warning.
    """
    from core.text import UNK

    unk = tokenizer.token_to_id(UNK)
    try:  # MiniLM's tokenizer adds [CLS] and [SEP], two "known words" in every text
        encoding = tokenizer.encode(text, add_special_tokens=False)
    except TypeError:  # ours adds none, and takes no such argument
        encoding = tokenizer.encode(text)
    words: list[list[tuple[str, bool]]] = []  # each word's pieces, and whether the piece is [UNK]
    for piece, piece_id in zip(encoding.tokens, encoding.ids):
        if piece.startswith("##") and words:
            words[-1].append((piece[2:], piece_id == unk))
        else:
            words.append([(piece, piece_id == unk)])
    if not words:
        return None
    return sum(not any(unknown for _, unknown in word) and not spelled_out(word) for word in words) / len(words)


def spelled_out(pieces: list[tuple[str, bool]]) -> bool:
    """Whether a word of four letters or more was cut into three pieces or more of under two
    characters on average ("w ##h ##e ##r ##e"): known piece by piece, not as a word. Short words,
    acronyms and numbers are left alone ("gdp", "uk" and "2024" are often pieces, and meant)."""
    word = "".join(piece for piece, _ in pieces)
    return len(pieces) >= 3 and len(word) >= 4 and word.isalpha() and len(word) < 2 * len(pieces)


def in_length_order(inputs, texts: Sequence[str], step, batch_size: int, progress=None) -> list[np.ndarray]:
    """Run ``step(batch) -> tuple of tensors`` over ``texts`` in length-sorted batches (less padding:
    a short text no longer waits on the longest of a random batch), and return each output as an
    array in the original order; ``progress(share done)`` after each batch."""
    import torch

    order = np.argsort([len(t) for t in texts], kind="stable")
    outputs: list[list[np.ndarray]] = []
    with torch.inference_mode():
        for start in range(0, len(texts), batch_size):
            chunk = [texts[i] for i in order[start : start + batch_size]]
            for k, array in enumerate(step(inputs.batch(chunk))):
                if len(outputs) <= k:
                    outputs.append([])
                outputs[k].append(array.float().numpy())
            if progress is not None:
                progress(min(1.0, (start + batch_size) / len(texts)))
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    return [np.concatenate(parts)[inverse] for parts in outputs]


class TorchPredictor(Predictor):
    """Predictor over a ``TextClassifier`` and its ``Inputs``."""

    def __init__(self, model, inputs, config, batch_size: int = 256):
        self.model = model.eval()
        self.inputs = inputs
        self.config = config
        self.labels = list(config.labels)
        self.batch_size = batch_size
        self._index_cache = None

    @classmethod
    def load(cls, path: Path, config) -> TorchPredictor:
        from core.encoders.base import TextClassifier, get_family
        from core.training.runner import encoder_config_from

        family = get_family(config.encoder)
        inputs = family.inputs_cls.load(path)
        enc_cfg = encoder_config_from(config.encoder, config.encoder_config)
        model = TextClassifier(family.make_encoder(enc_cfg, inputs), len(config.labels), family.head_dropout)
        load_weights(model, path)
        return cls(model, inputs, config)

    def _apply(self, texts: Sequence[str], step, progress=None) -> list[np.ndarray]:
        from core.text import composed_all

        return in_length_order(self.inputs, composed_all(texts), step, self.batch_size, progress)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities ``(N, C)``."""
        if not len(texts):
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        return self._apply(texts, lambda b: (self.model(b).softmax(-1),))[0]

    def predict_logits(self, texts: Sequence[str]) -> np.ndarray:
        """The head's scores before the softmax ``(N, C)`` (what a temperature divides)."""
        if not len(texts):
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        return self._apply(texts, lambda b: (self.model(b),))[0]

    def embed(self, texts: Sequence[str], progress=None) -> np.ndarray:
        """Encoder vectors ``(N, D)`` (``progress(share)`` after each batch)."""
        if not len(texts):
            return np.zeros((0, self.model.encoder.out_dim), dtype=np.float32)
        return self._apply(texts, lambda b: (self.model.embed(b),), progress)[0]

    def predict_and_embed(self, texts: Sequence[str], progress=None) -> tuple[np.ndarray, np.ndarray]:
        """Probabilities ``(N, C)`` and vectors ``(N, D)`` in one pass through the encoder (``progress(share)``
        after each batch)."""
        if not len(texts):
            return np.zeros((0, len(self.labels)), np.float32), np.zeros((0, self.model.encoder.out_dim), np.float32)

        def step(batch):
            vectors = self.model.embed(batch)
            return self.model.head(vectors).softmax(-1), vectors

        proba, vectors = self._apply(texts, step, progress)
        return proba, vectors

    def tokens(self, text: str) -> list[tuple[str, int, int]]:
        return self.inputs.tokens(text)

    def known_share(self, text: str) -> float | None:
        return inputs_known_share(self.inputs, text)

    def _window(self) -> int | None:
        return getattr(self.inputs, "max_len", None) or getattr(getattr(self.inputs, "config", None), "max_len", None)

    def window(self) -> int | None:
        return self._window() if self._has_window() else None

    def _has_window(self) -> bool:
        # a wide-and-deep model's bag of n-grams reads the whole text (every fine-tune of a pretrained
        # run is one): "the text from … on plays no part" was false, and variants cut at the window
        # put the unseen tail's weight into every bar
        return bool(self._window()) and getattr(getattr(self.model, "encoder", None), "wide", None) is None

    def _explain_span(self, n_units: int) -> int:
        window = self._window()
        if not window:  # bags of words: a variant costs a few lookups
            return 1
        variants = max(16, EXPLAIN_TOKEN_BUDGET // (n_units + 2))  # each variant is a sequence of ~n_units + 2
        return max(1, math.ceil(n_units / variants))

    def explain(self, text: str, max_tokens: int = 200) -> Explanation:
        """Leave-one-token-out scores, plus every layer's attention for the Transformer."""
        explanation = super().explain(text, max_tokens)
        if self.config.encoder == "transformer":
            import torch

            batch = self.inputs.batch([text])
            with torch.inference_mode():
                _, maps = self.model.encoder.forward_tokens(
                    batch["input_ids"], batch["attention_mask"], need_weights=True
                )
            explanation.attention = torch.stack([m[0] for m in maps]).float().numpy()  # (L, H, T, T)
            ids = batch["input_ids"][0].tolist()
            explanation.attention_tokens = [self.inputs.tokenizer.id_to_token(i) for i in ids]
        return explanation


class BaselinePredictor(Predictor):
    """Predictor over the TF-IDF + logistic regression baseline."""

    def __init__(self, model, config):
        self.model = model
        self.config = config
        self.labels = list(config.labels)
        self._index_cache = None

    @classmethod
    def load(cls, path: Path, config) -> BaselinePredictor:
        from core.encoders.baseline import BaselineModel
        from core.training.runner import encoder_config_from

        try:
            model = BaselineModel.load(path, encoder_config_from("baseline", config.encoder_config))
        except ModelFileError:
            raise
        except Exception as exc:
            raise ModelFileError(f"The baseline of run {path.name} could not be loaded ({exc}); retrain it.") from exc
        return cls(model, config)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        from core.text import composed_all

        return self.model.predict_proba(composed_all(texts))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        from core.text import composed_all

        return self.model.embed(composed_all(texts))

    def predict_and_embed(self, texts: Sequence[str], progress=None) -> tuple[np.ndarray, np.ndarray]:
        """Probabilities and vectors of ``texts`` in one pass; ``progress(share)`` hears of its end (the
        pass is one matrix product, seconds even for tens of thousands of texts)."""
        from core.text import composed_all

        found = self.model.predict_and_embed(composed_all(texts))
        if progress:
            progress(1.0)
        return found

    def tokens(self, text: str) -> list[tuple[str, int, int]]:
        return self.model.featurizer.analyze_with_offsets(text)

    def known_share(self, text: str) -> float | None:
        return self.model.featurizer.coverage([text], empty=None)


class EnsemblePredictor(BaselinePredictor):
    """Predictor over an ensemble: the members' tempered probabilities, averaged."""

    def tokens(self, text: str) -> list[tuple[str, int, int]]:
        return self.model.tokens(text)

    def _voting(self) -> list:
        """The members with a vote (validation may give a Transformer none: it is then not run)."""
        return [m for m, w in zip(self.model.members, self.model.weights) if w > 0] or list(self.model.members)

    def _explain_span(self, n_units: int) -> int:
        """The costliest voting member's: each variant runs through every one of them (a Transformer member
        took a long text's explanation from 0.16 s to 2 s a keystroke at one token a variant)."""
        return max(member._explain_span(n_units) for member in self._voting())

    def known_share(self, text: str) -> float | None:
        """The best-read member's share: the ensemble's answer is as good as what its members know."""
        shares = [share for member in self._voting() if (share := member.known_share(text)) is not None]
        return max(shares) if shares else None

    def forget_texts(self) -> None:
        for member in self.model.members:  # predictors when loaded from their runs, models while training
            forget = getattr(member, "forget_texts", None)
            if forget is not None:
                forget()


@dataclass
class MaskFill:
    """The most likely tokens for one [MASK] position."""

    position: int
    candidates: list[tuple[str, float]]


class MaskedLMPredictor(Predictor):
    """A pretraining run: embeddings and fill-the-mask, no classes."""

    def __init__(self, model, inputs, config, batch_size: int = 256):
        self.model = model.eval()
        self.inputs = inputs
        self.config = config
        self.labels = []
        self.batch_size = batch_size
        self._index_cache = None

    @classmethod
    def load(cls, path: Path, config) -> MaskedLMPredictor:
        from core.encoders.base import TokenInputs
        from core.encoders.transformer import MaskedLanguageModel, TransformerEncoder
        from core.training.runner import encoder_config_from

        inputs = TokenInputs.load(path)
        model = MaskedLanguageModel(
            TransformerEncoder(encoder_config_from("transformer", config.encoder_config), inputs.size)
        )
        load_weights(model, path)
        return cls(model, inputs, config)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        raise StudioError("A pretraining run has no classes: fine-tune it on a labelled dataset first.")

    def embed(self, texts: Sequence[str], progress=None) -> np.ndarray:
        """Mean-pooled encoder vectors ``(N, D)`` (``progress(share)`` after each batch)."""
        if not len(texts):
            return np.zeros((0, self.model.encoder.out_dim), dtype=np.float32)
        from core.text import composed_all

        step = lambda b: (self.model.embed(b),)  # noqa: E731
        return in_length_order(self.inputs, composed_all(texts), step, self.batch_size, progress)[0]

    def tokens(self, text: str) -> list[tuple[str, int, int]]:
        return self.inputs.tokens(text)

    def known_share(self, text: str) -> float | None:
        """Share of ``text``'s tokens (its [MASK]s aside) the vocabulary knows: guesses for a sentence
        of unknown words say nothing about it."""
        return inputs_known_share(self.inputs, with_masks(text).replace("[MASK]", " "))

    def fill(self, text: str, top_k: int = 5) -> list[MaskFill]:
        """The ``top_k`` tokens (with probabilities) for each ``[MASK]`` in ``text``."""
        import torch

        text = with_masks(text)
        if "[MASK]" not in text:
            raise StudioError("Put [MASK] where a token should be filled in, e.g. 我很[MASK]欢这本书.")
        batch = self.inputs.batch([text])
        mask_id = self.inputs.tokenizer.special_ids["[MASK]"]
        with torch.inference_mode():
            probs = self.model(batch)[0].float().softmax(-1)  # (T, V)
        positions = (batch["input_ids"][0] == mask_id).nonzero().flatten().tolist()
        if not positions:  # every [MASK] past the window: an empty answer said nothing (exit 0 on the CLI)
            raise StudioError(
                f"The model reads only the first {int(batch['input_ids'].shape[1]) - 2} tokens of a text, and "
                "every [MASK] here comes after them: move the [MASK] nearer the start."
            )
        out = []
        for pos in positions:
            values, ids = probs[pos].topk(top_k)
            out.append(
                MaskFill(
                    pos,
                    [(self.inputs.tokenizer.id_to_token(i), float(v)) for v, i in zip(values.tolist(), ids.tolist())],
                )
            )
        return out


# a Chinese keyboard types full-width brackets (【MASK】, ［MASK］), and "[mask]" means the same
_MASK_SPELLINGS = re.compile(r"[\[［【]\s*mask\s*[\]］】]", re.IGNORECASE)


def with_masks(text: str) -> str:
    """``text`` with every spelling of a mask (``[mask]``, ``【MASK】``, ``［MASK］``) written ``[MASK]``."""
    return _MASK_SPELLINGS.sub("[MASK]", text)


def batch_predictions(predictor: Predictor, texts: Sequence[str], batch: int = 512, progress=None):
    """A frame of text, prediction, confidence and one ``p_<label>`` column per class.

    A blank text (empty, or only spaces) is left unclassified: an empty prediction and missing
    probabilities, rather than the class every model gives a text with nothing in it; its row
    stays, so the rows still line up with the input's. ``progress(done)`` is called after every
    batch with the number of texts done. Probabilities are rounded to four decimals: the digits
    past that are float noise that only makes a spreadsheet harder to read.
    """
    import pandas as pd

    from core.text import composed

    texts = [composed(text) for text in texts]  # as the training texts were imported
    filled = [i for i, text in enumerate(texts) if text.strip()]
    chunks = []
    for start in range(0, len(filled), batch):
        chunks.append(predictor.predict_proba([texts[i] for i in filled[start : start + batch]]))
        if progress is not None:
            progress(min(len(filled), start + batch))
    proba = np.full((len(texts), len(predictor.labels)), np.nan, dtype=np.float32)
    if chunks:
        proba[filled] = np.concatenate(chunks)
    answered = np.zeros(len(texts), dtype=bool)
    answered[filled] = True
    best = np.nan_to_num(proba, nan=-1.0).argmax(1)  # on the full values, so a rounding tie cannot flip it
    proba = proba.astype(np.float64).round(4)
    frame = pd.DataFrame(
        {
            "text": texts,
            "prediction": [predictor.labels[i] if ok else "" for i, ok in zip(best, answered, strict=True)],
            "confidence": np.where(answered, proba[np.arange(len(texts)), best], np.nan),
        }
    )
    for j, label in enumerate(predictor.labels):
        frame[f"p_{label}"] = proba[:, j]
    return frame


def trained_text_columns(run_path: Path) -> list[str]:
    """The columns of its file the run's texts were read from (several joined, in that order), as its
    dataset's meta keeps them; [] where unknown (a built-in, a dataset deleted since, an old import)."""
    from core.registry import DatasetStore, RunStore

    run_path = Path(run_path)
    home = run_path.parent.parent
    try:
        config = RunStore(home).get(run_path.name).config()
        dataset = config.get("dataset")
        info = DatasetStore(home).info(str(dataset)) if dataset else None
    except (StudioError, OSError, ValueError, TypeError):
        return []
    created = config.get("created")
    if info is None or (isinstance(created, (int, float)) and created < info.created):
        return []  # deleted and imported again since the run trained: its columns may be other ones
    columns = info.columns.get("text")
    return [str(c) for c in columns] if isinstance(columns, list) and all(columns) else []


def columns_as_trained(
    trained: Sequence[str], available: Sequence[str], guessed: Sequence[str]
) -> tuple[list[str], str | None]:
    """``(the text columns of a new file to classify, a note or None)``: those the run was trained on where
    the file has them (a model trained on subject + body was given the guessed body alone, 91% agreement
    instead of 100%), else the guess, said."""
    trained, available, guessed = list(trained), [str(c) for c in available], list(guessed)
    if not trained:
        return guessed, None
    present = [c for c in trained if c in available]
    joined = " + ".join(repr(c) for c in trained)
    if len(present) == len(trained):
        return trained, None
    if present:
        missing = ", ".join(repr(c) for c in trained if c not in available)
        return present, (
            f"The run learned from {joined} joined; this file has no {missing}, so it reads "
            f"{' + '.join(repr(c) for c in present)} only, and its answers may be less sure."
        )
    return guessed, (
        f"The run learned from {joined}, which this file does not have: it reads "
        f"{' + '.join(repr(c) for c in guessed)} instead. Name the text column(s) if that is not right."
    )


def blank_count(frame) -> int:
    """How many rows of a ``batch_predictions`` frame were blank and left unclassified."""
    return int((frame["prediction"] == "").sum())


def with_source_columns(predictions, source, text_column: str | None = None):
    """The input file's own columns first (an id, an expected label), as they were, then ``predictions``.

    ``text`` (the texts as classified: several columns joined, long ones cut) replaces the file's
    column of that name only when that is the column classified; any other prediction column whose
    name the file already uses gets ``_predicted`` (a file's own "text" of titles, beside the
    "body" classified, was overwritten by the bodies).
    Where the file's ``text_column`` ("内容", "review_body") already holds exactly the texts classified,
    no second copy is added: it doubled the size of the download.
    """
    out = source.reset_index(drop=True).copy()
    columns = list(predictions.columns)
    if text_column and text_column != "text" and text_column in out.columns:
        own = out[text_column].map(lambda v: "" if v is None or v != v else str(v)).str.strip()
        if own.tolist() == predictions["text"].astype(str).str.strip().tolist():
            columns.remove("text")
    renamed = {}
    for name in columns:
        replaces = name == "text" and text_column == "text"
        target = name if replaces or name not in source.columns else f"{name}_predicted"
        out[target] = predictions[name].to_numpy()
        if target != name:
            renamed[name] = target
    out.attrs["renamed"] = renamed  # said by the caller: a script reading "prediction" got the file's old one
    return out


def renamed_note(renamed: dict[str, str]) -> str | None:
    """In words, the model's columns renamed because the file had columns of those names (a file
    classified before, by this model or another), or None. Nothing said so, and a script that read
    ``prediction`` got the file's old answers."""
    if not renamed:
        return None
    shown = list(renamed.items())[:4]
    more = ", …" if len(renamed) > 4 else ""  # one p_ column per class: 40 names would bury the point
    return (
        f"The file has its own {', '.join(repr(k) for k, _ in shown)}{more} column(s), kept as they are: this "
        f"model's answers are in {', '.join(repr(v) for _, v in shown)}{more}."
    )


def agreement_with_file(
    predictions: Sequence[str], source, labels: Sequence[str], text_column: str | Sequence[str]
) -> dict | None:
    """The file's own column of expected classes, if one holds the model's class names (90% of its
    filled cells or more), and how many of its rows the predictions agree with; None without one.

    A file classified with its answers beside it (a labelled test file) showed both columns, and the
    reader counted the matches by eye."""
    known = set(labels)
    best = None
    texts = {str(text_column)} if isinstance(text_column, str) else {str(c) for c in text_column}  # joined: each
    for name in source.columns:
        if str(name) in texts or str(name) == "prediction" or str(name).startswith("prediction_"):
            continue  # a file classified before: its old answers are not the expected ones (100% "agreement")
        values = ["" if v is None or v != v else str(v).strip() for v in source[name]]
        given = [i for i, v in enumerate(values) if v]
        matching = [i for i in given if values[i] in known]
        if not given or len(matching) < 0.9 * len(given):
            continue
        scored = [i for i in matching if i < len(predictions) and predictions[i]]  # blank texts have no answer
        if scored and (best is None or len(scored) > best["rows"]):
            agree = sum(predictions[i] == values[i] for i in scored)
            best = {"column": str(name), "rows": len(scored), "agree": int(agree)}
    return best
