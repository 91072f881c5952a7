"""Train: choose a task and an encoder, start, watch it learn, stop; the queue and past runs."""

import re
import time

import streamlit as st

from core.config import to_dict
from core.errors import StudioError
from core.registry import DatasetStore, RunDir, RunStore
from core.training.trainer import TrainConfig
from core.workers import queue as training_queue
from ui import forms, presenter, state
from ui.boot import through_app
from ui.i18n import headers, listed, plural, sentences, t, tm
from ui.live_run import STATUS_EVERY_S, deleted, live_panel, watched_dataset_name
from ui.safe_text import md
from ui.sidebar import (
    TASK_NAMES,
    dataset_name,
    dataset_title,
    encoder_name,
    fold_experiment_runs,
    forget_short_names,
    member_name,
    name_or_id,
    run_label,
    runs_for,
    short_name,
    short_names,
    state_name,
)

through_app()  # a deep link on a fresh server: draw this page through app.py

st.title(t("Train"))
dataset = state.get("dataset")
store = DatasetStore()
if not dataset or not store.exists(dataset):
    st.info(t("Pick a dataset first: load a built-in one or upload a file on the Data page."))
    # the language and presenter mode go along, as in every other link (Streamlit clears the rest)
    st.page_link("pages/data.py", label=t("Go to Data"), icon=":material/table_view:", query_params=state.params())
    st.stop()
info = store.info(dataset)

ENCODER_TITLES = {
    "bow_mlp": t("Bag-of-words MLP — fast, strong on topics"),
    "rbf": t("RBF network — learned centres and widths"),
    "transformer": t("Transformer — self-attention, BERT-style"),
    "baseline": t("TF-IDF + logistic regression (LR) — the baseline"),  # runs are labelled "TF-IDF + LR"
    "pretrained": t("Pretrained MiniLM (English) — frozen or fine-tuned"),
    "ensemble": t("Ensemble — averages several encoders, then calibrates the average"),
}


def short_title(encoder: str) -> str:
    """The encoder's name without its tagline ("Bag-of-words MLP")."""
    return re.split(r"\s*—+\s*", ENCODER_TITLES.get(encoder, encoder))[0]


BASIC_FIELDS = {
    "bow_mlp": ["hidden", "dropout", "activation"],
    "rbf": ["n_centres", "projection_dim", "init"],
    "transformer": ["preset", "max_len", "pooling"],
    "baseline": ["C"],
    "pretrained": ["frozen"],
}
BASIC_TRAIN = ["epochs", "batch_size", "lr"]
# pretraining and fine-tuning run for as long as one has: the budget (which also paces the learning rate)
# is up front
BASIC_PRETRAIN = [*BASIC_TRAIN, "time_budget_s"]
# settings of a classifier (its loss, its head): a pretraining run has neither, and the form hid nothing
CLASSIFY_ONLY = ("class_weights", "wide", "wide_dim", "part_dropout")  # part dropout: the wide part's
PRESET_FIELDS = ("d_model", "n_layers", "n_heads", "d_ff")  # sized by the Transformer preset unless set

DOUBLE_CLICK_S = 5.0  # Start with the same settings again within this is the same click


def encoder_choices() -> list[str]:
    from core.encoders.pretrained import available

    return ["bow_mlp", "rbf", "transformer", "baseline"] + (["pretrained"] if available() else []) + ["ensemble"]


def newest_finetuned_transformer(configs: dict[str, dict]) -> str | None:
    """The newest finished run fine-tuned from a Transformer (or MiniLM), or None.

    ``configs`` maps finished run ids, newest first, to their configs. The ensemble form adds this run
    to the default members: with the Transformers' share chosen on validation, such a member lifted
    the ensemble on both Chinese sets and cost nothing on bbc.
    """
    from core.encoders.ensemble import member_kind

    for run_id, cfg in configs.items():
        if cfg.get("task") == "finetune" and member_kind(cfg.get("encoder", "")) == "sequence":
            return run_id
    return None


def default_members(
    defaults: dict, configs: dict[str, dict], language: str = "en"
) -> tuple[list[str], list[str], str | None]:
    """The members the form starts with: the default families (on Chinese data also over jieba
    words, as ``EnsembleConfig.with_word_view`` adds them), finished runs that are what a default
    member would train (reused rather than trained again), and the newest fine-tuned Transformer.

    ``configs`` maps finished run ids, newest first, to their configs; ``language`` is the dataset's
    (``zh``, ``en``, ``mixed``). Returns the member list, the reused run ids and the fine-tuned
    Transformer added (or None). Only the stock defaults are adjusted: a config copied from an
    earlier run is shown as it was.
    """
    from core.encoders.ensemble import EnsembleConfig
    from core.training.runner import trains_member

    chosen = list(defaults.get("members", []))
    if tuple(chosen) != EnsembleConfig().members:
        return chosen, [], None
    chosen = list(EnsembleConfig().with_word_view(language))
    reused: list[str] = []
    for i, spec in enumerate(chosen):
        match = next((r for r, c in configs.items() if r not in reused and trains_member(spec, c, dataset)), None)
        if match is not None:
            chosen[i] = match
            reused.append(match)
    finetuned = newest_finetuned_transformer(configs)
    if finetuned is not None:
        chosen.append(finetuned)
    return chosen, reused, finetuned


def ensemble_form(defaults: dict) -> dict:
    """Members (families to train now, or finished runs on this dataset), calibration and the vote."""
    from core.encoders.ensemble import MEMBER_FAMILIES, member_kind

    titles = {spec: t("new: {member}", member=member_name(spec)) for spec in MEMBER_FAMILIES}
    runs = [(r, r.config()) for r in runs_for(dataset)]  # each config read once per draw
    finished = [
        r
        for r, cfg in runs
        if cfg.get("task") != "pretrain"
        and cfg.get("encoder") != "ensemble"
        and r.status().get("state") == "done"
        and r.model_path.is_file()
        # a run from before the dataset was imported again trained on other rows: the ensemble refuses it
        and float(cfg.get("created") or 0.0) >= info.created
    ]
    configs = {r.id: cfg for r, cfg in runs if r in finished}
    titles.update({r.id: t("run: {run}", run=run_label(r)) for r in finished})
    encoders = {run_id: cfg.get("encoder", "") for run_id, cfg in configs.items()}
    from core.text import dominant_of_counts

    language = dominant_of_counts(info.languages)
    chosen, reused, finetuned = default_members(defaults, configs, language)
    # jieba splits Chinese words: over English text its members only repeat the others
    families = [m for m in MEMBER_FAMILIES if language != "en" or not m.endswith(":jieba") or m in chosen]
    options = [*families, *configs]
    if language == "zh" and any(m.endswith(":jieba") for m in chosen):
        st.caption(
            t(
                "Chinese text: each bag model also trains over jieba words, a second view of the text. Characters and words make different mistakes; on the two Chinese sets we measured this added 0.4 to 0.9 points."
            )
        )
    starting = [m for m in chosen if m in options]
    # the defaults change when a run finishes (it may now be reused): a box still showing them follows,
    # as the captions above do; a box the user changed keeps their pick (resetting it trained the
    # defaults instead of the members they had picked and seen)
    previous_default = st.session_state.get("ensemble_members_default")
    if previous_default != starting:
        picked = st.session_state.get("ensemble_members")
        untouched = picked is None or picked == previous_default
        st.session_state["ensemble_members_default"] = starting
        st.session_state["ensemble_members"] = starting if untouched else [m for m in picked if m in options]
    # said of the members in the box: once a user took one out, naming it as joining was wrong
    current = st.session_state.get("ensemble_members") or []
    named = {r.id: short_name(r) for r in finished}
    reused = [run_id for run_id in reused if run_id in current]
    if reused:
        st.caption(
            t(
                "Your finished runs {runs} join as they are instead of training again.",
                runs=listed(md(named.get(run_id, run_id)) for run_id in reused),
            )
        )
    if finetuned is not None and finetuned in current:
        st.caption(
            t(
                "Your fine-tuned Transformer {run} joins the bag models: its share of the vote is chosen on the validation split (none if it does not help). Added this way, a pretrained, fine-tuned Transformer took zh_news from -0.3 to +1.5 points over TF-IDF + LinearSVC.",
                run=md(named.get(finetuned, finetuned)),
            )
        )
    members = st.multiselect(
        t("Members"),
        options,
        format_func=lambda m: titles.get(m, m),
        help=t(
            "Families marked new train first with their defaults, each as a run of its own; finished runs join as they are. NB-weighted terms: each term weighs by how unevenly the classes use it (the Naive Bayes log-count ratio)."
        ),
        key="ensemble_members",
        placeholder=t("Pick the members"),
    )
    calibrate = st.checkbox(
        t("Calibrate each member"),
        value=bool(defaults.get("calibrate_members", False)),
        help=t(
            "Also fit one temperature per member on the validation split before averaging. The average itself is always calibrated; per-member temperatures cost 0.1-0.2 points of accuracy in our benchmarks."
        ),
        key="ensemble_calibrate",
    )
    balance = defaults.get("balance", "kind")
    kinds = {member_kind(encoders.get(m, m.split(":")[0])) for m in members}
    if kinds == {"bag", "sequence"}:  # with one kind of member there is nothing to balance
        shares = {
            "kind": t("Transformers against bag models: the share chosen on the validation split"),
            "member": t("Each member an equal share"),
        }
        balance = st.radio(
            t("Vote"),
            list(shares),
            index=list(shares).index(balance),
            format_func=shares.get,
            help=t(
                "Bag-of-words models tend to make the same mistakes, so three of them would outvote one Transformer that reads word order. The first choice gives the Transformers the share of the vote (0 to 3/4) that fits the validation split best: about half for a pretrained, fine-tuned Transformer on Chinese news and reviews, none for one that does not help."
            ),
            key="ensemble_balance",
        )
    # the members are listed above as they will train: the runner adds no word view of its own
    return {"members": members, "calibrate_members": calibrate, "balance": balance, "word_view": "off"}


@st.cache_data(show_spinner=False, max_entries=64)
def vocabulary_coverage(source_id: str, dataset_id: str, stamp: str) -> float | None:
    """``runner.source_coverage``, kept per source and dataset (``stamp``: the source's model file)."""
    from core.training import runner

    try:
        return runner.source_coverage(source_id, dataset_id)
    except (StudioError, OSError, ValueError):  # a damaged source is named at Start, with what to do
        return None


@st.cache_data(show_spinner=False, max_entries=64)
def source_reading(source_id: str, dataset_id: str, stamp: str) -> dict | None:
    """``runner.source_reading``, kept per source and dataset."""
    from core.training import runner

    try:
        return runner.source_reading(source_id, dataset_id)
    except (StudioError, OSError, ValueError):
        return None


@st.cache_data(show_spinner=False, max_entries=64)
def language_mismatch(source_id: str, dataset_id: str, stamp: str) -> tuple[str, str] | None:
    """``runner.source_language_mismatch``, kept per source and dataset."""
    from core.training import runner

    try:
        return runner.source_language_mismatch(source_id, dataset_id)
    except (StudioError, OSError):
        return None


@st.cache_data(show_spinner=False, max_entries=64)
def test_overlap(source_id: str, dataset_id: str, stamp: str) -> tuple[int, int, bool] | None:
    """``runner.source_test_overlap``, kept per source and dataset."""
    from core.training import runner

    try:
        return runner.source_test_overlap(source_id, dataset_id)
    except (StudioError, OSError):
        return None


LONG_FINETUNE_S = 300  # past this, a fine-tune with no time budget says how long it may take


def pace_of(run) -> float | None:
    """The texts per second ``run`` trained at (its run average), or None before its first step."""
    return next((m.get("throughput_avg") for m in reversed(run.metrics()) if m.get("event") == "step"), None)


def time_note(run, pace: float, info, train_values: dict, scaled: bool = False) -> None:
    """How long a run with these settings may take at ``pace`` (what ``run`` trained at; ``scaled``: that
    pace converted to this dataset's text lengths), said when it is more than a few minutes and no time
    budget caps it."""
    epochs = planned_epochs(info, train_values)[0]  # with the epochs a minimum of steps adds
    texts = int(info.split_counts.get("train", 0))
    if float(train_values.get("time_budget_s") or 0) > 0 or not pace or not epochs or not texts:
        return
    seconds = epochs * texts / float(pace)
    if seconds < LONG_FINETUNE_S:
        return
    st.caption(
        t(
            "At the pace {run} trained at, for texts of this length (about {pace:,.0f} texts/s), {epochs} epochs "
            "over {texts:,} texts take up to about {minutes:,.0f} minutes; early stopping may end it sooner. A "
            "time budget caps it.",
            run=md(short_name(run)),
            pace=float(pace),
            epochs=epochs,
            texts=texts,
            minutes=seconds / 60,
        )
        if scaled
        else t(
            "At the pace {run} trained at (about {pace:,.0f} texts/s), {epochs} epochs over {texts:,} texts "
            "take up to about {minutes:,.0f} minutes; early stopping may end it sooner. A time budget caps it.",
            run=md(short_name(run)),
            pace=float(pace),
            epochs=epochs,
            texts=texts,
            minutes=seconds / 60,
        )
    )


def finetune_time_note(source_id: str, info, train_values: dict) -> None:
    """Under a fine-tune's settings: how long it may take, at the pace its source trained at (a
    Transformer's twelve epochs over 12,000 reviews took 14 minutes, and the form said nothing while
    the pretraining form warned about time).

    A Transformer's pace in texts per second depends on how long the texts are: a source pretrained on
    news articles (the whole 128-token window) trained at 20 texts/s, and the fine-tune on reviews ran at
    100, after the form had said 120 minutes. Its pace is scaled by the tokens a text fills in each set.
    """
    from ui.resources import run_stamp

    source = RunStore().get(source_id)
    measured = pace = pace_of(source)
    config = source.config()
    own_dataset = str(config.get("dataset") or "")
    if pace and own_dataset and (own_dataset != info.id or config.get("corpus")):
        here = source_reading(source_id, info.id, run_stamp(source))
        if here and here.get("tokens_per_text"):
            # a corpus is read as full windows, whatever its sample dataset's texts are like
            there = (
                float(here["max_len"])
                if config.get("corpus")
                else (source_reading(source_id, own_dataset, run_stamp(source)) or {}).get("tokens_per_text")
            )
            if there:
                pace = pace * float(there) / float(here["tokens_per_text"])
    time_note(source, pace, info, train_values, scaled=pace != measured)


def training_time_note(encoder: str, enc_values: dict, info, train_values: dict) -> None:
    """Under a new classifier's settings: how long it may take, at the pace the last run of the same
    encoder trained at (this dataset's first). A Transformer on 12,000 reviews took 15 minutes in a
    demo while the form said nothing, as Home's one click said "about 10 s"."""
    if encoder not in ("transformer", "rbf", "bow_mlp"):
        return
    same = [
        r
        for r in RunStore().list()
        if r.config().get("encoder") == encoder
        and r.config().get("task", "classify") == "classify"
        and (
            encoder != "transformer"
            or (r.config().get("encoder_config") or {}).get("preset") == enc_values.get("preset")
        )
    ]
    same.sort(key=lambda r: (r.config().get("dataset") != info.id, -r.path.stat().st_mtime))  # this dataset's first
    paced = next(((r, pace) for r in same if (pace := pace_of(r))), None)
    if paced is not None:
        time_note(*paced, info, train_values)
    elif encoder == "transformer":
        first_transformer_time_note(enc_values, info, train_values)


WINDOW_NOTE_BELOW = 0.8  # a typical text read less than this far: said under the settings


def window_note(enc_values: dict, info) -> None:
    """Under a Transformer's settings, when its window of ``max_len`` tokens holds less than most of a
    typical text: how much it reads. On legal documents of 10,000 characters the default 128 tokens read 6%
    of each, and only the Playground ever said so, one text at a time."""
    from core.encoders.transformer import TransformerConfig
    from ui.resources import window_reading

    if enc_values.get("wide"):  # its bag of n-grams reads each text whole
        return
    max_len = int(enc_values.get("max_len") or TransformerConfig().max_len)
    reading = window_reading(info.id, info.sha256, max_len)
    if reading is None or reading[0] >= WINDOW_NOTE_BELOW:
        return
    share, read, length = reading
    st.info(
        t(
            "With {max_len} tokens, the Transformer reads about {share:.0%} of a typical text here (the first "
            "{read:,} or so of its {length:,} characters); the rest plays no part in what it learns or predicts. "
            "Raise max_len for more (the time grows with it), or compare with a bag-of-words model, which reads "
            "each text whole.",
            max_len=max_len,
            share=share,
            read=read,
            length=length,
        ),
        icon=":material/content_cut:",
    )


def first_transformer_time_note(enc_values: dict, info, train_values: dict) -> None:
    """Before the first Transformer of its size on this machine: a rough time from our measured pace
    (tokens a second on one core) and the dataset's text lengths. "tiny (fastest)" trained 12,000 Chinese
    reviews for 12 minutes, and the form had said nothing before Start."""
    from core.encoders.transformer import CPU_TOKENS_PER_SECOND, PRESETS, TransformerConfig
    from ui.resources import mean_tokens

    preset = enc_values.get("preset") or TransformerConfig().preset
    if preset not in PRESETS or float(train_values.get("time_budget_s") or 0) > 0:
        return
    epochs = planned_epochs(info, train_values)[0]
    texts = int(info.split_counts.get("train", 0))
    max_len = int(enc_values.get("max_len") or TransformerConfig().max_len)
    if not epochs or not texts:
        return
    tokens = mean_tokens(info.id, info.sha256, max_len)
    seconds = epochs * texts * tokens / CPU_TOKENS_PER_SECOND[preset]
    if seconds < LONG_FINETUNE_S:
        return
    st.caption(
        t(
            "No Transformer of this size has trained on this machine yet. At the pace we measured on one idle "
            "core, {epochs} epochs over {texts:,} texts of about {tokens:,.0f} tokens take about {low:,.0f} "
            "minutes, and up to twice that on a busy machine; early stopping may end it sooner. A time budget "
            "(Advanced training settings) caps it.",
            epochs=epochs,
            texts=texts,
            tokens=tokens,
            low=seconds / 60,
        )
    )


def planned_epochs(info, train_values: dict):
    """``(epochs, schedule)`` a run with these settings trains on ``info``'s splits (the Trainer's own
    plan): the form's epochs, or more where its minimum of steps adds some; ``(0, None)`` when the
    form holds no epochs or settings the run would refuse."""
    import math

    from core.config import from_dict
    from core.training.trainer import TrainConfig, plan_schedule

    texts = int(info.split_counts.get("train", 0))
    import dataclasses

    known = {f.name for f in dataclasses.fields(TrainConfig)}
    try:
        config = from_dict(TrainConfig, {k: v for k, v in train_values.items() if k in known})
    except (TypeError, ValueError):  # a setting out of range: Start says so
        return 0, None
    if not config.epochs or not texts:
        return 0, None
    schedule = plan_schedule(config, texts, int(info.split_counts.get("val", 0)))
    # a step cap ends the run first, minimum or not
    return min(
        schedule.epochs, max(config.epochs, math.ceil(schedule.total_steps / schedule.steps_per_epoch))
    ), schedule


def minimum_steps_note(info, train_values: dict) -> None:
    """Under the settings: how many epochs the run will really train when its minimum number of steps
    adds some (the form said 12 epochs, and a fine-tune of 300 texts ran 25 without a word why)."""
    trains, schedule = planned_epochs(info, train_values)
    epochs = int(train_values.get("epochs") or 0)
    if schedule is None or trains <= epochs:
        return
    steps = schedule.steps_per_epoch
    numbers = {
        "texts": int(info.split_counts.get("train", 0)),
        "steps": steps,
        "min_steps": schedule.min_steps,
        "trains": trains,
        "epochs": epochs,
    }
    if not int(train_values.get("min_steps") or 0):  # the minimum a small validation set adds
        from core.training.defaults import TINY_VALIDATION

        val = int(info.split_counts.get("val", 0))
        said = (
            t(
                "Only {val:,} validation texts to judge by: early stopping on so few stops on noise, so the run "
                "trains at least {min_steps:,} steps first, and keeps its best weights from after them. {texts:,} "
                "training texts make {steps:,} step(s) an epoch: it trains {trains:,} epochs, not {epochs:,}.",
                val=val,
                **numbers,
            )
            if val < TINY_VALIDATION
            else t(
                "Only {val:,} validation texts to judge by: early stopping on so few stops on noise, so the run "
                "trains at least {min_steps:,} steps first. {texts:,} training texts make {steps:,} step(s) an "
                "epoch: it trains {trains:,} epochs, not {epochs:,}.",
                val=val,
                **numbers,
            )
        )
    else:
        said = t(
            "{texts:,} training texts make {steps:,} step(s) an epoch, so to reach its minimum of "
            "{min_steps:,} steps this run trains {trains:,} epochs, not {epochs:,}.",
            **numbers,
        )
    st.caption(plural(said, steps))


def coverage_note(source_id: str, dataset_id: str) -> None:
    """Under "Start from": a warning when the source's vocabulary knows little of this dataset (an
    English encoder on Chinese texts reads every token as unknown, and the run scored 13 points below
    the baseline without a word said)."""
    from core.training import runner
    from ui.resources import run_stamp

    source = RunStore().get(source_id)
    overlap = test_overlap(source_id, dataset_id, run_stamp(source))
    if overlap:  # a payoff measured on texts the encoder has read overstates what pretraining is worth
        # a classifier as the source knew those texts' labels: "pretrain on other texts" was no way out
        st.warning(
            t(
                "{seen:,} of this dataset's {total:,} test texts were among the texts this encoder (or the run it "
                "started from) learned on: its test score will flatter it. To measure what pretraining is worth, "
                "pretrain on texts that leave this dataset's test texts out.",
                seen=overlap[0],
                total=overlap[1],
            )
            if source.config().get("task") == "pretrain"
            else t(
                "{seen:,} of this dataset's {total:,} test texts were among the texts this classifier (or the run it "
                "started from) learned on, labels and all: its test score will flatter it. To measure what starting "
                "from it is worth, start from a run that learned on other texts.",
                seen=overlap[0],
                total=overlap[1],
            )
            + (
                # a floor: 374 said where all 1,122 test texts were in the corpus file
                " " + t("Only the corpus's sample (its first texts) was checked: more of them may be in it.")
                if overlap[2]
                else ""
            ),
            icon=":material/visibility:",
        )
    coverage = vocabulary_coverage(source_id, dataset_id, run_stamp(source))
    pretrainable = source.config().get("encoder") == "transformer"
    if coverage is not None and coverage >= runner.LOW_COVERAGE:
        mismatch = language_mismatch(source_id, dataset_id, run_stamp(source))
        if mismatch:
            learned, target = (t(runner.LANGUAGE_NAMES[lang]) for lang in mismatch)
            values = dict(learned=learned, target=target, source=md(dataset_title(source.config().get("dataset"))))
            st.warning(
                # only a Transformer is pretrained: a bag-of-words source was told to "pretrain" first
                t(
                    "This encoder learned on {learned} texts ({source}) and this dataset is {target}: it reads "
                    "{target} as fragments of its {learned} vocabulary, so fine-tuning keeps little of what it "
                    "learned. Pretrain on {target} texts first, or train from scratch.",
                    **values,
                )
                if pretrainable
                else t(
                    "This encoder learned on {learned} texts ({source}) and this dataset is {target}: it reads "
                    "{target} as fragments of its {learned} vocabulary, so fine-tuning keeps little of what it "
                    "learned. Train from scratch on this dataset instead.",
                    **values,
                ),
                icon=":material/translate:",
            )
            return
        reading = source_reading(source_id, dataset_id, run_stamp(source))
        if reading and reading["pieces_per_word"] >= runner.SPELLED_OUT:
            # no [UNK] in sight, "97% known": the words were spelled out in fragments, and a news article
            # was read a tenth of the way in
            st.warning(
                t(
                    "This encoder's vocabulary has {vocabulary:,} tokens, too few for these texts: it cuts their "
                    "words into {ratio:.1f} pieces on average (a fitting vocabulary makes 1 to 1.5), so it reads "
                    "fragments, and within its {max_len} tokens about {share:.0%} of a typical text. Pretrain on "
                    "more texts (the vocabulary grows with them), or train from scratch.",
                    vocabulary=reading["vocabulary"],
                    ratio=reading["pieces_per_word"],
                    max_len=reading["max_len"],
                    share=reading["read_share"],
                ),
                icon=":material/text_fields:",
            )
        return
    if coverage is None:
        return
    values = dict(share=coverage, source=md(dataset_title(source.config().get("dataset"))))
    st.warning(
        t(
            "This encoder knows {share:.0%} of this dataset's tokens (it learned its vocabulary on {source}); "
            "the rest read as unknown, so fine-tuning keeps little of what it learned. Pretrain on texts like "
            "these first, or train from scratch.",
            **values,
        )
        if pretrainable
        else t(
            "This encoder knows {share:.0%} of this dataset's tokens (it learned its vocabulary on {source}); "
            "the rest read as unknown, so fine-tuning keeps little of what it learned. Train from scratch on "
            "this dataset instead.",
            **values,
        ),
        icon=":material/translate:",
    )


# the form's own choices, kept across a visit to another page (Streamlit drops the values of widgets a
# page does not draw: back from Evaluate, the form was at its defaults and Start trained with them);
# the encoder and training settings are kept by forms.config_form, field by field
FORM_WIDGETS = (
    "task",
    "source_run",
    "encoder",
    "ensemble_members",
    "ensemble_calibrate",
    "ensemble_balance",
    "mask_rate",
    "processes",
    "run_name",
)


def processes_input() -> int:
    """Data-parallel processes for a pretraining job: torchrun ranks, one per free core at most."""
    from core.workers import usable_cores

    most = max(1, usable_cores())
    return int(
        st.number_input(
            t("Processes (data-parallel)"),
            min_value=1,
            max_value=most,
            value=1,
            step=1,
            key="processes",
            help=t(
                "Pretrain in this many processes with torchrun (DistributedDataParallel): each takes its share of "
                "every batch and the gradients are summed, so the steps are the same as in one process. On CPU each "
                "process needs a core of its own; on a multi-GPU machine use one per GPU."
            ),
        )
    )


def new_run_form() -> None:
    """Task, encoder and config widgets; Start queues the run."""
    from core.training import runner

    forms.clear_form_errors()  # this draw's forms say which of their fields cannot be read
    state.restore_widgets(*FORM_WIDGETS)

    task_labels = {
        "classify": t("Classify (train from scratch)"),
        "pretrain": t("Pretrain (masked-language modelling)"),
        "finetune": t("Fine-tune a saved encoder"),
    }
    tasks = list(task_labels)
    if not info.labelled:  # classifying and fine-tuning need labels: pretraining is what this data can do
        tasks = ["pretrain"]
        st.session_state["task_forced"] = True
        st.caption(
            t(
                "This dataset has no labels, so it can pretrain a Transformer. "
                "To classify, load a labelled dataset (or upload this file again with its label column)."
            )
        )
    if st.session_state.get("task") not in tasks:
        st.session_state["task"] = tasks[0]
    elif info.labelled and st.session_state.pop("task_forced", False):
        # "Pretrain" was the only task of the unlabelled data before: on labelled data the form opens on
        # classifying, not on a pretraining of it with the corpus's 60 epochs
        st.session_state["task"] = tasks[0]
    task = st.radio(t("Task"), tasks, format_func=task_labels.get, horizontal=True, key="task")
    source_id = None
    if task == "pretrain":
        encoder = "transformer"
        st.caption(
            t(
                "Pretraining teaches a Transformer to fill in masked tokens of this dataset's texts (labels are ignored). Fine-tune it afterwards."
            )
        )
        train_defaults = dict(runner.PRETRAIN_DEFAULTS)
        if runner.gpu_here("auto"):  # as RunConfig.create: on a GPU, the largest batch that fits (it sent 32)
            train_defaults["batch_size"] = 0
    elif task == "finetune":
        st.caption(
            t(
                "Fine-tuning starts from an encoder trained before (a pretraining, or any trained run) and goes on "
                "training it on this dataset's labels: it keeps what that encoder learned, so it needs fewer "
                "labels than training from scratch."
            )
        )
        sources = [
            r
            for r in RunStore().list()
            if r.config().get("encoder") in ("bow_mlp", "rbf", "transformer", "pretrained") and r.model_path.is_file()
        ]
        if not sources:
            st.info(t("No saved encoder to start from yet: train or pretrain one first."))
            return
        # pretraining runs first (newest first), then trained classifiers: the box's default is the encoder
        # a user pretrained to fine-tune, not whichever run finished last
        # (then those on this dataset: its own texts, its language)
        # among those, the pretraining in view, then finished ones (the newest, a stopped one, was offered
        # instead of the finished pretraining the user was looking at)
        looked_at = state.get("run")
        sources.sort(
            key=lambda r: (
                r.config().get("task") != "pretrain",
                r.id != looked_at,
                r.status().get("state") != "done",
                r.config().get("dataset") != info.id,
            )
        )
        labels = {r.id: f"{run_label(r)} · {dataset_title(r.config().get('dataset'))}" for r in sources}
        picked = st.session_state.get("source_run")
        if picked and picked not in labels:
            # deleted (in another tab, say) since it was picked: the box fell back to another run without
            # a word, and Start fine-tuned that one
            st.warning(
                t("The run picked to start from is gone (deleted since): pick another."),
                icon=":material/warning:",
            )
            st.session_state.pop("source_run")
        source_id = st.selectbox(
            t("Start from"),
            list(labels),
            format_func=labels.get,
            key="source_run",
            help=t(
                "Pretraining runs are listed first. A trained classifier can be fine-tuned too: its encoder "
                "starts from what it learned, and the classifier head is new."
            ),
        )
        encoder = RunStore().get(source_id).config()["encoder"]
        coverage_note(source_id, info.id)
        train_defaults = runner.FINETUNE_DEFAULTS.get(encoder, {})
    else:
        encoder = st.selectbox(t("Encoder"), encoder_choices(), format_func=ENCODER_TITLES.get, key="encoder")
        train_defaults = runner.TRAIN_DEFAULTS.get(encoder, {})
        from core.text import dominant_of_counts

        if encoder == "pretrained" and dominant_of_counts(info.languages) == "zh":
            # chosen for Chinese reviews, it scored 0.52 where the bag of words scored 0.8, and nothing warned
            st.warning(
                t(
                    "MiniLM learned English: it reads Chinese text as unknown pieces, so on this dataset it "
                    "will score far below the bag-of-words MLP. Pick another encoder for Chinese text."
                ),
                icon=":material/translate:",
            )
    enc_cls = type(runner.encoder_config_from(encoder, {}))
    enc_defaults = (
        to_dict(enc_cls())
        if task != "finetune"
        else runner.finetune_encoder_defaults(RunStore().get(source_id).config())
    )
    if encoder == "transformer" and task != "finetune":
        # 0 = "the preset's value": a resolved default (mini's 128) would override every preset picked
        enc_defaults.update({name: 0 for name in PRESET_FIELDS})
    if encoder == "transformer" and task == "classify":
        enc_defaults["preset"] = "tiny"  # a demo should finish in seconds; mini and small are one click away
    train_values = to_dict(TrainConfig(**train_defaults))
    # an ensemble's members need the full width (their names are long), and it has no training settings
    cols = st.columns(2) if encoder != "ensemble" else [st.container(), st.container()]
    with cols[0]:
        if encoder != "ensemble":  # right under the Encoder box: "Encoder" alone read as a second picker
            st.markdown(t("**Encoder settings**"))
        if task == "finetune":
            st.caption(
                t(
                    "{encoder}: the architecture and the vocabulary come from the source run.",
                    encoder=ENCODER_TITLES[encoder],
                )
            )
            enc_values = dict(enc_defaults)
            if encoder == "pretrained":
                enc_values = forms.config_form(enc_cls, enc_defaults, f"enc_{task}_{encoder}", ["frozen"])
            elif encoder == "transformer" and not RunStore().get(source_id).config()["encoder_config"].get("wide"):
                enc_values["wide"] = st.checkbox(
                    t("Wide and deep"),
                    value=bool(enc_defaults.get("wide")),
                    help=t(
                        "Adds a bag of NB-weighted word n-grams beside the Transformer's vector. "
                        "On by default for a pretrained encoder: it is what made pretraining pay at full labels."
                    ),
                    key=f"finetune_wide_{source_id}",
                )
        elif encoder == "ensemble":
            enc_values = ensemble_form(enc_defaults)
        else:
            enc_values = forms.config_form(enc_cls, enc_defaults, f"enc_{task}_{encoder}", BASIC_FIELDS.get(encoder))
            with st.expander(t("Advanced encoder settings")):
                if encoder == "transformer":
                    from core.encoders.transformer import PRESETS

                    sizes = PRESETS[enc_values.get("preset", "mini")]
                    st.caption(
                        t(
                            "{fields} at 0 follow the preset ({preset}: {sizes}).",
                            fields=", ".join(PRESET_FIELDS),
                            preset=enc_values.get("preset"),
                            sizes=" · ".join(str(v) for v in sizes),
                        )
                    )
                enc_values = forms.config_form(
                    enc_cls,
                    enc_values,
                    f"enc_adv_{task}_{encoder}",
                    [
                        f
                        for f in enc_defaults
                        if f not in BASIC_FIELDS.get(encoder, []) and not (task == "pretrain" and f in CLASSIFY_ONLY)
                    ],
                )
    with cols[1]:
        if encoder != "ensemble":
            st.markdown(t("**Training settings**"))
        if encoder == "baseline":
            st.caption(t("The baseline fits in one pass (scikit-learn); no epochs to choose."))
        elif encoder == "ensemble":
            st.caption(
                t("Each new member trains with its family's defaults; then the members' probabilities are averaged.")
            )
        else:
            # the long runs (pretraining, fine-tuning) have their time budget up front
            basic = BASIC_PRETRAIN if task in ("pretrain", "finetune") else BASIC_TRAIN
            train_values = forms.config_form(TrainConfig, train_values, f"train_{task}_{encoder}", basic)
            with st.expander(t("Advanced training settings")):
                train_values = forms.config_form(
                    TrainConfig,
                    train_values,
                    f"train_adv_{task}_{encoder}",
                    [
                        f
                        for f in train_values
                        if f not in basic and f != "processes" and not (task == "pretrain" and f in CLASSIFY_ONLY)
                    ],
                )
                if task == "pretrain":  # data-parallel processes are for a machine with cores to spare
                    train_values["processes"] = processes_input()
            if task == "pretrain":
                budget = float(train_values.get("time_budget_s") or 0)
                if 0 < budget < 120:  # a budget typed in seconds is said in seconds ("0.8 minutes" for 45 s)
                    st.warning(
                        t(
                            # said in passes, not time: 90 s made 28 passes over 2,000 short texts, and paid
                            "Pretraining needs time to pay: the gains we measured came after about ten passes over "
                            "the texts (about 30 minutes on a few thousand). In {seconds:g} seconds it may make "
                            "fewer; if it ends before ten (the epoch counter says), fine-tuning from it can score "
                            "below training from scratch.",
                            seconds=round(budget),
                        ),
                        icon=":material/schedule:",
                    )
                elif 0 < budget < 600:  # a demo's two-minute budget: fine-tuning from it can lose to scratch
                    minutes = max(0.1, round(budget / 60, 1))  # 90 s is 1.5 minutes: rounded, it read "2 minutes"
                    st.warning(
                        plural(
                            t(
                                "Pretraining needs time to pay: the gains we measured came after about ten passes "
                                "over the texts (about 30 minutes on a few thousand). In {minutes:g} minute(s) it "
                                "may make fewer; if it ends before ten (the epoch counter says), fine-tuning from "
                                "it can score below training from scratch.",
                                minutes=minutes,
                            ),
                            minutes,
                        ),
                        icon=":material/schedule:",
                    )
                elif 0 < int(train_values.get("epochs") or 0) < 10:  # epochs cap a run whatever its budget
                    epochs = int(train_values["epochs"])
                    st.caption(
                        plural(
                            t(
                                "Pretraining pays after about ten epochs. With {epochs} epoch(s) it is a quick look: "
                                "fine-tuning from it can score below training from scratch.",
                                epochs=epochs,
                            ),
                            epochs,
                        )
                    )
            if task == "finetune":
                finetune_time_note(source_id, info, train_values)
            elif task == "classify":
                training_time_note(encoder, enc_values, info, train_values)
            if encoder == "transformer" and task in ("classify", "pretrain"):
                window_note(enc_values, info)
            minimum_steps_note(info, train_values)
        extra = {}
        if task == "finetune":
            with st.expander(t("What to freeze"), expanded=True):
                # only a Transformer has blocks to freeze, and MiniLM's embeddings are not ours to pick out: a box
                # that does nothing is left out
                shown = {
                    "transformer": None,
                    "pretrained": ("freeze_encoder", "encoder_lr_scale"),
                }.get(encoder, ("freeze_encoder", "freeze_embeddings", "encoder_lr_scale"))
                extra["finetune"] = forms.config_form(runner.FinetuneConfig, {}, "finetune_cfg", fields=shown)
        if task == "pretrain":
            extra["mask_rate"] = st.slider(
                t("Mask rate"),
                0.05,
                0.6,
                runner.DEFAULT_MASK_RATE,
                0.05,
                help=t(
                    "Share of tokens the model must fill in. 40% learns faster than BERT's 15% "
                    "for small models trained from scratch."
                ),
                key="mask_rate",
            )
    if st.session_state.pop("run_name_used", False):  # the last Start took it: the next run starts unnamed
        st.session_state["run_name"] = ""
    name = st.text_input(
        t("Run name (optional)"),
        key="run_name",
        placeholder=t("e.g. {encoder}, first try", encoder=short_title(encoder)),
        help=t("Left empty, the run is listed under its encoder's name (and its id, which holds the time it started)."),
    )
    state.keep_widgets(*FORM_WIDGETS)
    try:
        draft = runner.RunConfig.create(
            dataset, encoder, enc_values, train_values, task=task, source_run=source_id or "", **extra
        )
    except (StudioError, ValueError, OSError):  # a setting out of range: Start says what is wrong
        draft = None
    if draft is not None and not forms.form_errors():  # with a field unread, the draft has its default
        same_settings_note(draft)
    if st.button(t("Start"), type="primary", icon=":material/play_arrow:", key="start"):
        import json

        unread = forms.form_errors()
        if unread:  # a run was queued with the default in place of what was typed
            st.error(t("Fix {fields} first: its text cannot be read.", fields=listed(md(f) for f in unread)))
            return

        # A double click reaches the script as two clicks: the same settings again within a few
        # seconds are the same click, not a second run. A new name is a second run ("q1", then "q2");
        # an empty one is the same click (the first Start clears the box before the second arrives).
        click = json.dumps([dataset, encoder, task, enc_values, train_values, source_id, extra], default=str)
        last = st.session_state.get("last_start")
        same_name = last is not None and (not name or name == last[-1])
        if last and last[0] == click and same_name and time.monotonic() - last[1] < DOUBLE_CLICK_S:
            st.toast(t("Already started: {run}", run=md(name_or_id(last[2]))), icon=":material/check:")
            return
        try:
            config = runner.RunConfig.create(
                dataset,
                encoder,
                enc_values,
                train_values,
                task=task,
                name=name or "",
                source_run=source_id or "",
                **extra,
            )
            twin = just_started_twin(config)
            if twin is not None:  # Start in another tab, seconds ago, with the same settings: one click, not two
                state.set("run", twin.id)
                st.toast(t("Already started: {run}", run=md(name_or_id(twin.id))), icon=":material/check:")
                return
            from ui.actions import start_training

            run_id = start_training(config)
            st.session_state["last_start"] = (click, time.monotonic(), run_id, name)
            state.set("run", run_id)
            st.session_state["run_name_used"] = True
            st.session_state["form_starts"] = st.session_state.get("form_starts", 0) + 1  # folds the form
            forget_short_names()  # read before the run existed: a twin of its name now needs the id tail
            st.toast(t("Queued run {run}", run=md(name_or_id(run_id))), icon=":material/check:")
            st.rerun()
        except (StudioError, ValueError) as exc:
            st.error(t("Could not start: {error}", error=md(forms.with_field_labels(tm(exc)))))


TWIN_START_S = 15.0  # a run with the same settings queued this recently, from another tab, is the same Start


def just_started_twin(config) -> RunDir | None:
    """A run with ``config``'s settings, seed and name, queued or training, created in the last few seconds.

    Two tabs pressing Start together queued two runs that learned the same model; the double-click guard
    only sees its own session's clicks."""
    from core.names import clean_title, run_names
    from core.training.runner import same_settings

    settings = config.to_dict()
    settings["dataset"] = info.id  # a run records its dataset's id
    now = time.time()
    for run in runs_for(info.id):
        status = run.status()
        if status.get("state") not in ("queued", "running") or now - float(status.get("created") or 0) > TWIN_START_S:
            continue
        if same_settings(settings, run.config()) and run_names(run)["title"] == clean_title(config.name or ""):
            return run
    return None


def same_settings_note(draft) -> None:
    """Above Start: the run on this dataset, done or under way, that already has the form's settings
    and seed. A second learns the same model, and side by side the two show nothing."""
    from core.training.runner import same_settings

    settings = draft.to_dict()
    settings["dataset"] = info.id  # a run records its dataset's id
    # the settings first (one JSON each), the status only of a match; a finished twin, with a score, first
    twins = [(run, run.status()) for run in runs_for(info.id) if same_settings(settings, run.config())]
    twins = [(run, status) for run, status in twins if status.get("state") in ("queued", "running", "done")]
    if not twins:
        return
    run, status = min(twins, key=lambda pair: pair[1].get("state") != "done")
    accuracy = (run.eval() or {}).get("accuracy") if status.get("state") == "done" else None
    # the baseline and an ensemble have no training settings on the form: no seed to name or change
    seeded = draft.encoder not in ("baseline", "ensemble")
    name = md(short_name(run))
    if accuracy is not None:
        said = (
            t(
                "Run {run} already has these settings and this seed (test accuracy {accuracy:.4f}): another run "
                "learns the same model.",
                run=name,
                accuracy=accuracy,
            )
            if seeded
            else t(
                "Run {run} already has these settings (test accuracy {accuracy:.4f}): another run learns the same model.",
                run=name,
                accuracy=accuracy,
            )
        )
    else:
        said = (
            t(
                "Run {run} ({state}) already has these settings and this seed: another run learns the same model.",
                run=name,
                state=state_name(status),
            )
            if seeded
            else t(
                "Run {run} ({state}) already has these settings: another run learns the same model.",
                run=name,
                state=state_name(status),
            )
        )
    advice = (
        t(
            "To see how far the score moves by chance, change the seed (Advanced training settings); "
            "to compare, change a setting."
        )
        if seeded
        else t("To compare, change a setting or pick another encoder.")
    )
    st.info(sentences(said, advice), icon=":material/content_copy:")


def training_elsewhere(active_run: str | None) -> RunDir | None:
    """The run training now when it is not the one shown (a fresh page opens on a finished run), or None.

    The background baseline is left out: nobody watches it train.
    """
    for run_id in training_queue():
        if run_id == active_run:
            continue
        try:
            run = RunStore().get(run_id)
            if run.status().get("state") == "running" and run.config().get("encoder") != "baseline":
                return run
        except StudioError:  # deleted or broken between the listing and this line
            continue
    return None


st.caption(
    plural(
        t(
            "Dataset **{name}** · {rows:,} row(s) · {classes} classes",
            name=md(dataset_name(info)),
            rows=info.rows,
            classes=len(info.labels),
        )
        if info.labels
        else t("Dataset **{name}** · {rows:,} row(s) · no classes", name=md(dataset_name(info)), rows=info.rows),
        info.rows,
    )
)
active_run = state.get("run")
watched = training_elsewhere(active_run)
# the banner's slot is there whether or not it shows: when a queued run starts, the elements below keep
# their place, so an open "New run" form is not redrawn closed under the user's hands
banner = st.container()
if watched is not None and not presenter.active():
    note, watch = banner.columns([4, 1], vertical_alignment="center")
    elsewhere = watched.config().get("dataset") != state.get("dataset")
    note.info(
        # on a shared server it may be another person's, on another dataset: "Watch it" opens that dataset
        t(
            "Run **{run}** is training now, on another dataset: **{dataset}**.",
            run=md(short_name(watched)),
            dataset=md(watched_dataset_name(watched)),
        )
        if elsewhere
        else t("Run **{run}** is training now.", run=md(short_name(watched))),
        icon=":material/model_training:",
    )
    if watch.button(t("Watch it"), key="watch_training", icon=":material/visibility:"):
        if watched.config().get("dataset") != state.get("dataset"):
            state.set("dataset", watched.config().get("dataset"))
        state.set("run", watched.id)
        st.rerun()
if active_run:
    try:
        live_panel(active_run)
        if not presenter.active():
            from ui.manage import run_manager

            run_manager(RunStore().get(active_run))
    except StudioError as exc:
        st.warning(t("The active run is not available: {error}", error=md(tm(exc))))
        state.set("run", None)
        active_run = None

if st.session_state.get("form_starts", 0) % 2:
    # Start leaves the new run's progress above and the page scrolled down to the open form: a placeholder
    # that comes and goes with each Start moves the form one place, so it is drawn anew, folded
    st.empty()
with st.expander(t("New run"), expanded=not active_run and not presenter.active(), icon=":material/add_circle:"):
    new_run_form()

if presenter.active():  # the audience watches the run; the bookkeeping below is for the operator
    st.stop()


def queue_table() -> None:
    """The runs waiting for or holding the training slot, redrawn with the live panel's numbers."""
    waiting = training_queue()
    if not waiting:
        return
    st.subheader(t("Queue"))
    rows = []
    for i, queued_id in enumerate(waiting, start=1):
        try:
            queued_run = RunStore().get(queued_id)
        except StudioError:  # deleted between the listing and this line
            continue
        status = queued_run.status()
        queued_at = status.get("queued_at")
        rows.append(
            {
                "position": i,
                "run": short_name(queued_run),  # as the runs table and the legends name it, not a 30-character id
                "encoder": encoder_name(queued_run.config()),
                "state": t(status.get("state") or "queued"),
                # whole percents, as the live panel's bar shows them
                "progress": round(100 * float(status.get("progress") or 0.0)),
                # how long it has been in line says more to a user than the worker's process id
                # the run holding the slot is no longer waiting: a dash, not its time since it was queued
                "minutes in the queue": (time.time() - float(queued_at)) / 60
                if queued_at and status.get("state") == "queued"
                else None,
            }
        )
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        placeholder="–",
        # a run named by its encoder repeated it in the next column, and pushed the state off a phone's screen
        column_order=[c for c in rows[0] if c != "encoder" or not all(r["run"].startswith(r["encoder"]) for r in rows)]
        if rows
        else None,
        column_config={
            **headers("position", "run", "encoder", "state"),
            "progress": st.column_config.ProgressColumn(t("progress"), min_value=0, max_value=100, format="%d%%"),
            "minutes in the queue": st.column_config.NumberColumn(t("minutes in the queue"), format="%.1f"),
        },
    )


# a timer only while runs wait or train: over an empty queue it ticked every few seconds, and each tick sends
# the page's widget values back; CI twice saw the Task radio read "Classify" after "Fine-tune it" had set it,
# on a page where nothing was training (suspected: a tick between the click and the form it opened)
st.fragment(queue_table, run_every=STATUS_EVERY_S if training_queue() else None)()

broken = RunStore().broken()
if broken:
    with st.expander(t("Broken run folders ({count})", count=len(broken)), icon=":material/broken_image:"):
        for broken_run, reason in broken:
            st.text(tm(reason))
            state.delete_button(broken_run)


def runs_table(runs, live: bool) -> None:
    """Every run on the dataset with its state and scores; ``live`` while one of them trains."""
    from core.names import run_names

    if any(deleted(r) for r in runs):  # a tick after one was deleted elsewhere: the page lists them anew
        st.rerun(scope="app")
    st.subheader(t("Runs on this dataset"))
    rows = []
    statuses = {r.id: r.status() for r in runs}
    names = short_names(runs)  # this dataset's runs, read once here: a fragment tick starts with no memo
    for r in runs:
        cfg, st_, ev = r.config(), statuses[r.id], r.eval() or {}
        rows.append(
            {
                # its name (else its encoder) and the end of its id, as the charts' legends say it; the full
                # id last: first, at 40-odd characters, it pushed the scores out of the box
                "run": names[r.id],
                "tags": ", ".join(run_names(r)["tags"]),
                "encoder": encoder_name(cfg),
                "task": t(TASK_NAMES.get(cfg.get("task", "classify"), cfg.get("task", "classify"))),
                "state": t(st_["state"]) if st_.get("state") else None,
                "accuracy": ev.get("accuracy"),
                "macro-F1": ev.get("macro_f1"),
                "seconds": st_.get("train_seconds"),
                "id": r.id,
            }
        )
    # columns that say nothing here are left out: no tags, or one task for every run
    quiet = {"tags"} if not any(row["tags"] for row in rows) else set()
    if len({row["task"] for row in rows}) <= 1:
        quiet.add("task")
    # runs without a title are named by their encoder: the column repeated it, and pushed the state
    # and the scores off a phone's screen
    if all(str(row["run"]).startswith(str(row["encoder"])) for row in rows):
        quiet.add("encoder")
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        column_order=[column for column in rows[0] if column not in quiet] if rows else None,
        placeholder="–",  # a pretraining or unfinished run has no accuracy: a dash, not "None"
        column_config={
            **headers("tags", "encoder", "task", "state"),
            "run": st.column_config.TextColumn(t("run"), width="medium", pinned=True),
            # one precision per column: 0.942 beside 0.9421 read as a different kind of number
            "accuracy": st.column_config.NumberColumn(t("accuracy"), format="%.4f"),
            "macro-F1": st.column_config.NumberColumn(t("macro-F1"), format="%.4f"),
            "seconds": st.column_config.NumberColumn(t("seconds"), format="%.1f"),
            "id": st.column_config.TextColumn(t("id"), width=230),  # a whole id, to copy ("quickst…" was cut)
        },
    )
    if live and not any(s.get("state") in ("queued", "running") for s in statuses.values()):
        st.rerun()  # the last one ended: the whole page once, which stops this polling


runs = runs_for(dataset)
runs = fold_experiment_runs(runs, "train_experiments")  # nine runs of a quick experiment, folded away
if runs:
    # redrawn while any of them trains: a run that ended beside the watched one (the baseline)
    # read "running" until the page was left
    live = any(r.status().get("state") in ("queued", "running") for r in runs)
    st.fragment(runs_table, run_every=STATUS_EVERY_S * 2 if live else None)(runs, live)
