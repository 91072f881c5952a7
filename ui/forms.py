"""Config dataclass → Streamlit widgets, with help text taken from the fields' comments."""

from __future__ import annotations

import dataclasses
import inspect
import math
import re
import typing
from functools import cache
from pathlib import Path

import streamlit as st

from ui import state
from ui.i18n import lang, t

CHOICES = {
    "activation": ["relu", "gelu", "tanh", "silu"],
    "preset": ["tiny", "mini", "small"],
    "pooling": ["mean", "cls"],
    "init": ["kmeans", "random"],
    "schedule": ["linear", "cosine", "constant"],
    "precision": ["auto", "fp32", "bf16", "fp16"],
    "device": ["auto", "cpu", "cuda"],
    "weighting": ["tfidf", "counts", "binary"],
    "tokenizer": ["auto", "char", "word", "jieba"],
    "class_weight": ["", "balanced"],
    "subwords": ["auto", "on", "off"],
}

# The help of a choice: what it decides, not its options (the picker shows those, in the reader's
# language; the fields' comments list the config values, which the Chinese picker does not show).
CHOICE_HELP = {
    "activation": "The hidden layers' non-linearity.",
    "preset": "The model's size: a larger one is slower, and may be more accurate.",
    "pooling": "How the token vectors become one vector for the text.",
    "init": "Where the centres start.",
    "schedule": "How the learning rate changes after the warm-up.",
    "precision": "The number format of training: auto picks bf16 or fp16 on a GPU, fp32 on the CPU.",
    "device": "Where the model trains.",
    "weighting": "How a term's count in a text becomes its weight in the bag.",
    "tokenizer": "How texts are cut into terms; auto goes by the texts' language.",
    "class_weight": "Balanced weighs rare classes up, so that each class counts as much in the loss.",
    "subwords": "Character n-grams inside alphabetic words; auto turns them on for short texts.",
}

# What a choice means, where its config value reads as code; values left out are shown as they are.
OPTION_LABELS = {
    ("activation", "relu"): "ReLU",
    ("activation", "gelu"): "GELU",
    ("activation", "silu"): "SiLU",
    ("preset", "tiny"): "tiny (fastest)",
    ("preset", "mini"): "mini",
    ("preset", "small"): "small (slowest)",
    ("pooling", "mean"): "mean of the tokens",
    ("pooling", "cls"): "the [CLS] token",
    ("init", "kmeans"): "k-means",
    ("init", "random"): "random",
    ("schedule", "linear"): "linear decay",
    ("schedule", "cosine"): "cosine decay",
    ("schedule", "constant"): "constant",
    ("precision", "auto"): "auto (by device)",
    ("device", "auto"): "auto (a GPU when there is one)",
    ("device", "cpu"): "CPU",
    ("device", "cuda"): "GPU (CUDA)",
    ("weighting", "tfidf"): "TF-IDF",
    ("weighting", "counts"): "counts",
    ("weighting", "binary"): "present or not",
    ("tokenizer", "auto"): "auto (by the texts' language)",
    ("tokenizer", "char"): "characters",
    ("tokenizer", "word"): "words",
    ("tokenizer", "jieba"): "jieba words (Chinese)",
    ("class_weight", ""): "none",
    ("class_weight", "balanced"): "balanced by class size",
    ("subwords", "auto"): "auto (on for short texts)",
    ("subwords", "on"): "on",
    ("subwords", "off"): "off",
}


def option_label(field: str, value: str) -> str:
    """How a choice of ``field`` reads in the form (translated); the config value when it reads well."""
    label = OPTION_LABELS.get((field, value))
    return t(label, context="option") if label else value


# English labels for the fields whose names read as code; the config key is shown beside them
# (the CLI's --set takes it). Fields left out read well as their name, capitalised.
FIELD_LABELS = {
    "C": "Regularisation C",
    "attention_dropout": "Attention dropout",
    "checkpoint_every_s": "Seconds between checkpoints",
    "checkpoint_within_epoch_s": "Seconds before a mid-epoch checkpoint",
    "class_weights": "Weight classes by rarity",
    "compile": "Compile the model",
    "d_ff": "Feed-forward width",
    "d_model": "Model width",
    "embed_dim": "Embedding size",
    "encoder_lr_scale": "Encoder learning-rate scale",
    "eval_batch_size": "Evaluation batch size",
    "featurizer": "Featuriser",
    "freeze_embeddings": "Freeze the embeddings",
    "freeze_encoder": "Freeze the encoder",
    "freeze_layers": "Frozen blocks",
    "grad_clip": "Gradient clipping",
    "hidden": "Hidden layers",
    "init": "Centre initialisation",
    "init_sample": "Initialisation sample",
    "lr": "Learning rate",
    "max_features": "Vocabulary size",
    "max_iter": "Solver iterations",
    "max_len": "Tokens per text",
    "max_steps": "Step cap",
    "micro_batch_size": "Micro-batch size",
    "min_df": "Minimum document count",
    "min_freq": "Minimum subword count",
    "min_width": "Minimum width",
    "n_centres": "Centres",
    "n_heads": "Attention heads",
    "n_layers": "Blocks",
    "nb_weights": "NB-weighted terms",
    "ngram_range": "N-gram range",
    "normalize": "L2-normalise",
    "part_dropout": "Part dropout",
    "processes": "Processes",
    "projection_dim": "Projection size",
    "sparse_gradients": "Sparse gradients",
    "sublinear_tf": "Sublinear TF",
    "subword_range": "Subword lengths",
    "subwords": "Subwords",
    "time_budget_s": "Time budget in seconds",
    "min_steps": "Minimum steps",
    "vocab_size": "Vocabulary size",
    "warmup_ratio": "Warm-up share",
    "wide": "Wide and deep",
    "wide_dim": "Wide part width",
}


def field_label(name: str) -> str:
    """A form field's label: readable English with its config key, or the translation."""
    key = name.replace("_", " ")
    if lang() != "en":
        # the catalogue's labels pair a word with the key, written with spaces: shown as the config
        # spells it (freeze_encoder), which is what --set and the saved run use, as in English
        return t(key, context="form").replace(f"({key})", f"({name})")
    readable = FIELD_LABELS.get(name, key[:1].upper() + key[1:])
    return readable if readable.lower() == key.lower() else f"{readable} ({name})"


CONFIG_FIELD = re.compile(r"\b[A-Z]\w*Config(?:\.\w+)*\.(\w+)\b")


def with_field_labels(message: str) -> str:
    """A config error with each ``BowMLPConfig.hidden`` named as the form names the field
    ("Hidden layers (hidden)"): the class name is the code's, and the form shows no such word."""
    return CONFIG_FIELD.sub(lambda found: field_label(found.group(1)), message)


def zero_meaning(tip: str | None, value: float) -> None:
    """Under a box holding 0, what 0 means there ("0 = auto: about 25 steps per epoch"), from its
    help text: a bare "Batch size 0" with the minus greyed out read as a broken setting."""
    if value == 0 and tip and "0 = " in tip:
        st.caption(tip[tip.index("0 = ") :])


@cache
def field_help(cls: type) -> dict[str, str]:
    """``{field: comment}`` from the ``name: type = default  # comment`` lines of a dataclass."""
    lines = _class_lines(cls)
    source = "\n".join(lines)
    return {m.group(1): m.group(2).strip() for m in re.finditer(r"^\s+(\w+):[^#\n]*#\s*(.+)$", source, re.MULTILINE)}


def _class_lines(cls: type) -> list[str]:
    """The lines of ``cls``'s definition, read from its module's file with ``inspect.getblock``.

    Not ``inspect.getsource``: for a class, Python 3.11 parses the whole module with ``ast``, and
    parses in two threads at once (students opening Train together, one server thread each) raised
    "SystemError: AST constructor recursion depth mismatch" (CPython issue 106905) on the page.
    ``getblock`` tokenises from the class's line on. Of several classes of that name in the file (a
    nested one first), the one that declares the class's own fields is taken.
    """
    try:
        path = inspect.getsourcefile(cls)
        text = Path(path).read_text(encoding="utf-8") if path else ""
    except (OSError, TypeError, UnicodeDecodeError):
        return []
    lines = text.splitlines(keepends=True)
    header = re.compile(rf"^\s*class\s+{re.escape(cls.__name__)}\b")
    fields = set(getattr(cls, "__annotations__", {}))
    first: list[str] = []
    for start, line in enumerate(lines):
        if not header.match(line):
            continue
        try:
            block = inspect.getblock(lines[start:])
        except (SyntaxError, IndentationError, ValueError):
            continue
        declared = set(re.findall(r"^\s+(\w+)\s*:", "".join(block), re.MULTILINE))
        if fields <= declared:
            return [line.rstrip("\n") for line in block]
        first = first or block
    return [line.rstrip("\n") for line in first]


def float_box(name: str, default: object) -> tuple[str, float | None]:
    """The display format and +/- step of a float setting's box.

    ``%g`` shows what was typed (0.0015, not the ``%.0e`` rounding "2e-03"); a small setting steps
    by its default's order of magnitude (2e-3 by 0.001) where Streamlit's 0.01 would jump past it.
    The step comes from the default, not the value, so the widget stays the same widget as it changes.
    """
    if name.endswith("_s"):  # whole seconds read better than 30.000
        return "%.0f", 1.0
    if isinstance(default, float) and 0 < default < 1e-2:
        return "%g", 10.0 ** math.floor(math.log10(default))
    return "%g", None


def config_form(cls: type, values: dict, key: str, fields: typing.Iterable[str] | None = None) -> dict:
    """Widgets for the fields of ``cls`` (nested dataclasses recurse); returns the chosen values."""
    hints = typing.get_type_hints(cls)
    help_text = field_help(cls)
    out = dict(values)
    for f in dataclasses.fields(cls):
        if fields is not None and f.name not in fields:
            continue
        hint = hints[f.name]
        value = values.get(f.name, f.default if f.default is not dataclasses.MISSING else None)
        wkey = f"{key}.{f.name}"
        # a value typed here outlives a visit to another page (Streamlit drops an undrawn widget's value)
        state.restore_widgets(wkey)
        label = field_label(f.name)
        if f.name in CHOICE_HELP:
            tip = t(CHOICE_HELP[f.name], context="form")
        else:
            tip = t(help_text[f.name], context="form") if f.name in help_text else None
        if dataclasses.is_dataclass(hint):
            with st.container(border=True):
                st.caption(label)
                out[f.name] = config_form(hint, value or {}, wkey)
        elif f.name in CHOICES:
            options = CHOICES[f.name]
            out[f.name] = st.selectbox(
                label,
                options,
                index=options.index(value) if value in options else 0,
                format_func=lambda v, name=f.name: option_label(name, v),
                help=tip,
                key=wkey,
            )
        elif hint is bool:
            out[f.name] = st.checkbox(label, value=bool(value), help=tip, key=wkey)
        elif hint is int:  # no setting of ours is negative: the box refuses it rather than Start failing later
            out[f.name] = int(st.number_input(label, value=int(value or 0), min_value=0, step=1, help=tip, key=wkey))
            zero_meaning(tip, out[f.name])
        elif hint is float:
            fmt, step = float_box(f.name, f.default)
            out[f.name] = float(
                st.number_input(
                    label,
                    value=float(value or 0.0),
                    min_value=0.0,
                    step=step,
                    format=fmt,
                    help=tip,
                    key=wkey,
                )
            )
            zero_meaning(tip, out[f.name])
        elif typing.get_origin(hint) is tuple:
            text = st.text_input(
                label,
                value=", ".join(str(v) for v in (value or ())),
                help=(tip or "") + t(" (comma-separated)"),
                key=wkey,
            )
            try:
                out[f.name] = list_of_ints(text)
            except ValueError:
                st.error(t("{label}: use whole numbers separated by commas.", label=label))
                # Start refuses while this is said: it queued a run with the default in its place
                st.session_state.setdefault(FORM_ERRORS, []).append(label)
        else:
            out[f.name] = st.text_input(label, value=str(value or ""), help=tip, key=wkey)
        state.keep_widgets(wkey)
    return out


# a Chinese keyboard types the full-width comma (，) or the enumeration comma (、) where English has ","
# (not a space: "1 28", a slip for 128, would be two layers without a word)
LIST_SEPARATORS = re.compile(r"[,，、;；]")


def list_of_ints(text: str) -> list[int]:
    """``"128, 64"`` (or ``128，64``, ``128、64``) → ``[128, 64]``; ValueError where a part is not a whole
    number. Full-width digits read as digits, as Python's ``int`` reads them."""
    return [int(part) for part in (piece.strip() for piece in LIST_SEPARATORS.split(text)) if part]


FORM_ERRORS = "form_errors"  # session key: the fields of this draw's forms whose text cannot be read


def clear_form_errors() -> None:
    """Forget the last draw's unreadable fields (called before a page draws its forms)."""
    st.session_state[FORM_ERRORS] = []


def form_errors() -> list[str]:
    """The labels of the fields drawn this time whose text could not be read."""
    return list(st.session_state.get(FORM_ERRORS) or [])


def form_classes() -> list[type]:
    """Every config dataclass the Train page draws a form for (nested ones included)."""
    from core.training import runner
    from core.training.trainer import TrainConfig

    roots = [type(runner.encoder_config_from(name, {})) for name in ("bow_mlp", "rbf", "transformer", "baseline")]
    from core.encoders.pretrained import PretrainedConfig

    found: list[type] = []
    todo = [*roots, PretrainedConfig, TrainConfig, runner.FinetuneConfig]
    while todo:
        cls = todo.pop()
        if cls in found:
            continue
        found.append(cls)
        hints = typing.get_type_hints(cls)
        todo.extend(hints[f.name] for f in dataclasses.fields(cls) if dataclasses.is_dataclass(hints[f.name]))
    return found


def form_strings() -> set[str]:
    """The English strings the forms show: field names and the help from their comments."""
    out: set[str] = set()
    for cls in form_classes():
        help_text = field_help(cls)
        for f in dataclasses.fields(cls):
            out.add(f.name.replace("_", " "))
            if f.name in CHOICE_HELP:
                out.add(CHOICE_HELP[f.name])
            elif f.name in help_text:
                out.add(help_text[f.name])
    return out
