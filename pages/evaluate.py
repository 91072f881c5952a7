"""Evaluate: scores against the baseline, per-class table, confusion, calibration, mistakes."""

import pandas as pd
import streamlit as st

from core.data import FILE_ROW, IMBALANCED_RATIO
from core.errors import StudioError
from core.evaluation import FEW_TEST_TEXTS, never_right
from core.export import for_spreadsheets, safe_csv
from ui import charts, i18n, jobs, manage, presenter, score_elsewhere, state, touch
from ui.actions import baseline_run, ensure_baseline
from ui.boot import through_app
from ui.calibration import calibration_note
from ui.caveats import near_copies_warning, source_overlap_warning
from ui.i18n import (
    duration_text,
    headers,
    listed,
    p_statement,
    percent_text,
    plural,
    sentences,
    t,
    tm,
    unsigned_zero,
)
from ui.resources import current_fingerprint, run_points, run_stamp
from ui.safe_text import md, plotly
from ui.sidebar import STATE_NAMES, TASK_NAMES, dataset_title, encoder_name, run_title, short_name

MATRIX_CLASSES = 30  # a bigger confusion matrix is unreadable and slow to draw
KNOWN_AT_LEAST = 0.5  # below this share of known tokens, fill-the-mask's guesses come with a warning
# fill-the-mask's first sentence, in the language of the texts the model was pretrained on
MASK_EXAMPLES = {"zh": "我很[MASK]欢这本书", "en": "I really [MASK] this book."}


@st.cache_data(show_spinner=False, max_entries=32)
def learned_vocabulary(run_id: str, stamp: str) -> int | None:
    """The size of the vocabulary a run learned (its tokenizer file), for reports written before they
    said it: the config's ``vocab_size`` is only a cap."""
    from core.registry import RunStore
    from core.text import load_tokenizer

    try:
        return int(load_tokenizer(RunStore().get(run_id).path / "tokenizer.json").vocab_size)
    except (StudioError, OSError, ValueError):
        return None


def mask_example(run) -> str:
    """A sentence with [MASK] in the language of the run's texts (Chinese on an English model got
    "the 0.06, a 0.04" and no warning)."""
    try:
        common = run_points(run.id, run_stamp(run))["lang"].mode()  # empty when no text has a language
        lang = str(common.iat[0]) if len(common) else "zh"
    except (StudioError, KeyError, OSError):  # no per-text results (stopped early): the first example
        lang = "zh"
    return MASK_EXAMPLES.get(lang, MASK_EXAMPLES["zh"])


through_app()  # a deep link on a fresh server: draw this page through app.py
st.title(t("Evaluate"))
run = state.require_run()
run_id = run.id
status = run.status()
report = run.eval()
cfg = run.config()
state_name = md(t(STATE_NAMES.get(status.get("state"), str(status.get("state")))))
task = cfg.get("task", "classify")
# ended without an evaluation: "appears when training ends" promised what would never come
ENDED = ("stopped", "failed", "interrupted")
if report is None and status.get("state") == "failed" and status.get("error"):
    st.error(t("Run {run} failed: {error}", run=md(run_title(run)), error=md(tm(status["error"]))))
if report is None and status.get("state") in ENDED and not run.model_path.is_file():
    # a run killed mid-training keeps its checkpoint but no model: "has no checkpoint" while Train said Resume
    checkpoint = (run.checkpoint_dir / "state.pt").is_file()
    st.info(
        t(
            "Run {run} is {state}: its checkpoint is kept. Resume it on the Train page; it goes on from there "
            "and is evaluated when it ends.",
            run=md(run_title(run)),
            state=state_name,
        )
        if checkpoint and status.get("state") != "failed"
        # a run that failed on its data or its settings fails again on resume: the error above says which
        else t(
            "Run {run} failed; its checkpoint is kept. Resume it, or start it again, on the Train page.",
            run=md(run_title(run)),
        )
        if checkpoint
        else t(
            "Run {run} is {state} and has no checkpoint to evaluate: resume or restart it on the Train page.",
            run=md(run_title(run)),
            state=state_name,
        )
    )
    st.page_link(
        "pages/train.py", label=t("Open it on Train"), icon=":material/model_training:", query_params=state.params()
    )
    st.stop()
if report is None and status.get("state") in ENDED:
    from core.workers import side_job
    from ui import jobs

    st.info(
        t(
            "Run {run} was stopped before it ended; a stopped run is evaluated only when you ask.",
            run=md(run_title(run)),
        )
        if status.get("state") == "stopped"
        else t(
            "Run {run} is {state} and was not evaluated; its last checkpoint is evaluated when you ask.",
            run=md(run_title(run)),
            state=state_name,
        )
    )
    job = side_job(run, "evaluate")
    if job is not None and job.get("state") in ("starting", "running"):
        jobs.watch(run, "evaluate", t("Evaluating the checkpoint in the background"))
    elif st.button(t("Evaluate this checkpoint"), icon=":material/analytics:", key="evaluate_stopped"):
        if jobs.start_job(run, "evaluate", "evaluate"):
            st.rerun()
    elif job is not None and job.get("state") == "failed":
        st.error(t("The evaluation failed: {error}", error=md(tm(job.get("error") or ""))))
    st.stop()
if report is None:
    st.info(
        t("Run {run} is {state}: its evaluation appears when training ends.", run=md(short_name(run)), state=state_name)
    )
    st.page_link(
        "pages/train.py", label=t("Watch it train"), icon=":material/model_training:", query_params=state.params()
    )
    st.stop()
if status.get("state") in ("queued", "running"):
    st.info(
        t(
            "Run {run} is {state} again: the scores below are those of its last evaluated checkpoint, "
            "and they are replaced when this training ends.",
            run=md(run_id),
            state=state_name,
        ),
        icon=":material/history:",
    )
if status.get("state") == "done":
    from core.bundle import model_problem

    damage = model_problem(run)
    if damage:  # the scores were measured before; its model cannot classify, map or search now
        st.warning(
            t(
                "The run's model file is missing. The scores below were measured before, but it cannot classify, "
                "map or search new texts: start it again on the Train page."
            )
            if damage == "missing"
            else t(
                "The run's model file is damaged ({problem}). The scores below were measured before, but it "
                "cannot classify, map or search new texts: start it again on the Train page.",
                problem=md(tm(damage)),
            ),
            icon=":material/broken_image:",
        )
if not presenter.active():
    manage.export_button(run)
    manage.settings_panel(run)
    manage.run_manager(run)
# while presenting, an untitled run goes by its short name (its encoder), as in the charts' legends
shown_run = short_name(run) if presenter.active() and run_title(run) == run.id else run_title(run)
if report.get("task") == "pretrain":
    from core.evaluation import held_out_window_tokens

    window = held_out_window_tokens(report, cfg)  # a streamed corpus is scored on windows of it, not texts
    named = {"run": md(shown_run), "dataset": md(dataset_title(cfg.get("dataset"))), "n": report["n"]}
    st.caption(
        plural(
            t(
                "Pretraining run **{run}** on **{dataset}** · masked-language modelling · {n:,} held-out window(s) "
                "of {tokens:,} tokens of its corpus",
                tokens=window,
                **named,
            )
            if window
            else t(
                "Pretraining run **{run}** on **{dataset}** · masked-language modelling · {n:,} held-out text(s)",
                **named,
            ),
            report["n"],
        )
    )
    if report.get("mlm_loss") is None and report.get("n"):  # held out, but nothing in them to mask
        st.warning(
            t(
                "None of the {n:,} held-out texts has a token the vocabulary knows (they are in another script "
                "or language than the training texts), so nothing could be masked and scored: this run has no "
                "held-out score. Pretrain on texts like the ones it will read.",
                n=report["n"],
            ),
            icon=":material/warning:",
        )
    elif report.get("mlm_loss") is None:  # nothing held out: no score, rather than a "perfect" 0 loss
        st.warning(
            t("This run held out no texts, so it has no held-out score. Pretrain on a dataset with more texts."),
            icon=":material/warning:",
        )
    else:
        import math

        cols = st.columns(4)
        # each with its yardstick: a loss of 2.1 and an accuracy of 0.79 read as nothing on their own
        vocabulary = int(report.get("vocabulary") or learned_vocabulary(run_id, run_stamp(run)) or 0)
        cols[0].metric(
            t("MLM loss"),
            f"{report['mlm_loss']:.3f}",
            help=t(
                "How surprised the model is by each hidden token of the held-out texts (cross-entropy; lower is "
                "better). Guessing evenly among the {vocabulary:,} tokens of its vocabulary scores {uniform:.1f}.",
                vocabulary=vocabulary,
                uniform=math.log(vocabulary),
            )
            if vocabulary > 1
            else None,
        )
        cols[1].metric(
            t("Masked-token accuracy"),
            f"{report['masked_accuracy']:.3f}",
            help=t(
                "Share of the hidden tokens (about {rate:.0%} of each held-out text) whose exact token the model "
                "ranks first.",
                rate=float(cfg.get("mask_rate") or 0.15),
            ),
        )
        cols[2].metric(
            t("Perplexity"),
            f"{report['perplexity']:.1f}",
            help=t("e^loss: how many tokens the model hesitates between, on average."),
        )
        if report.get("tokens_per_second"):
            # the unit goes in the label: a quarter-width metric cut "12,345 tokens/s" off in Chinese
            cols[3].metric(t("Throughput (tokens/s)"), f"{report['tokens_per_second']:,.0f}")
        from core.evaluation import frequency_reference

        reference = frequency_reference(report)  # the yardstick the even guess's 9.0 was not
        if reference and reference[0]:
            st.warning(tm(reference[1]), icon=":material/warning:")
        elif reference:
            st.caption(tm(reference[1]))
        evals = [m for m in run.metrics() if m.get("event") == "eval"]
        if evals:
            left, right = st.columns(2)
            left.plotly_chart(
                presenter.scale(charts.training_curves(run.metrics(), "loss", t("MLM loss"))), key="mlm_loss"
            )
            right.plotly_chart(
                presenter.scale(
                    charts.overlaid_curves(
                        {t("validation"): ([m["epoch"] for m in evals], [m["val/perplexity"] for m in evals])},
                        t("Perplexity"),
                        t("perplexity"),
                    )
                ),
                key="perplexity",
            )
    st.subheader(t("Fill the mask"))
    from core.inference import with_masks

    masked = with_masks(st.text_input(t("A sentence with [MASK]"), value=mask_example(run), key="fill_text"))
    if "[MASK]" in masked:
        from ui.resources import predictor

        try:
            model = predictor(run_id, run_stamp(run))
        except StudioError as exc:
            st.error(t("The model of run {run} cannot be loaded: {error}", run=md(run_id), error=md(tm(exc))))
            st.stop()
        try:
            fills = model.fill(masked)
        except StudioError as exc:  # every [MASK] past the window: said as such, not as a model that cannot load
            st.warning(md(tm(exc)), icon=":material/content_cut:")
            fills = []
        share = model.known_share(masked)
        if share is not None and share < KNOWN_AT_LEAST:
            st.warning(
                t(
                    "The model knows {share:.0%} of this sentence's words, so its guesses say little about it. "
                    "Try a sentence like the texts it was pretrained on.",
                    share=share,
                ),
                icon=":material/warning:",
            )
        written = masked.count("[MASK]")
        if fills and len(fills) < written:  # the model reads a window of max_len tokens: masks past it are not there
            st.warning(
                t(
                    "Only the first {shown} of the {written} [MASK]s fit in the model's window of {max_len} tokens; "
                    "the text after that was cut.",
                    shown=len(fills),
                    written=written,
                    max_len=run.config().get("encoder_config", {}).get("max_len", "?"),
                )
            )
        for i, fill in enumerate(fills, 1):
            if len(fills) > 1:  # one caption per [MASK], not its number repeated on every row
                st.caption(t("[MASK] number {i}", i=i))
            st.dataframe(
                [{"token": token, "probability": p} for token, p in fill.candidates],
                hide_index=True,
                column_config={
                    "token": t("token"),
                    "probability": st.column_config.NumberColumn(t("probability"), format="%.4f"),
                },
            )
    else:
        st.info(t("Put [MASK] where a token should be filled in."))
    # and the other way from a fine-tune's "Fine-tuned from run …": which runs started from these weights
    from core.names import is_experiment_run
    from core.registry import RunStore
    from ui.sidebar import name_or_id

    tuned = [r for r in RunStore().list() if r.config().get("source_run") == run_id]
    made = [r for r in tuned if is_experiment_run(r)]  # an experiment's dozen alike arms would bury the user's own
    own = [r for r in tuned if not is_experiment_run(r)]
    if own or made:
        st.caption(
            sentences(
                t("Fine-tuned from it: {runs}.", runs=i18n.listed(f"**{md(name_or_id(r.id))}**" for r in own))
                if own
                else "",
                plural(t("Experiments fine-tuned {n} run(s) from it.", n=len(made)), len(made)) if made else "",
            )
        )
    st.stop()

labels = report["labels"]
about = {
    "run": md(shown_run),
    "encoder": md(encoder_name(cfg)),
    "task": md(t(TASK_NAMES.get(task, task))),
    "dataset": md(dataset_title(cfg.get("dataset"))),
    "n": report["n"],
}
if shown_run.split(" · ")[0] == encoder_name(cfg):  # the name is the encoder's: "MLP · 1275 · MLP · …" said it twice
    st.caption(
        t("Run **{run}** · {task} on **{dataset}** · test split of {n:,} texts", **about)
        if status.get("state") == "done"
        else t(
            "Run **{run}** · {task} on **{dataset}** · test split of {n:,} texts · state {state}",
            state=state_name,
            **about,
        )
    )
else:
    st.caption(
        # a finished run goes without saying ("state done" read as a leftover); a stopped one is worth a word
        t("Run **{run}** · {encoder} · {task} on **{dataset}** · test split of {n:,} texts", **about)
        if status.get("state") == "done"
        else t(
            "Run **{run}** · {encoder} · {task} on **{dataset}** · test split of {n:,} texts · state {state}",
            state=state_name,
            **about,
        )
    )
if task == "finetune" and cfg.get("source_run"):  # its lineage: Compare and the command line named it, this page not
    from ui.sidebar import is_gone, name_or_id

    source = str(cfg["source_run"])
    st.caption(
        t("Fine-tuned from run **{run}** (deleted since).", run=md(source))
        if is_gone(source)
        else t("Fine-tuned from run **{run}**.", run=md(name_or_id(source)))
    )
if report.get("task") != "pretrain" and 0 < report.get("n", 0) < FEW_TEST_TEXTS:
    # 0.5000 on 2 texts read as a score; at this size one text moves it by whole points
    from core.evaluation import accuracy_range

    low, high = accuracy_range(report["accuracy"], report["n"])
    st.warning(
        t(
            "Only {n:,} test texts: one more right or wrong moves accuracy by {step:.1f} pt, and the model's true "
            "accuracy could be anywhere from {low} to {high} (95% range). Read these scores as rough; a bigger "
            "dataset (or test share) firms them up.",
            n=report["n"],
            step=100 / report["n"],
            low=f"{100 * low:.0f}%",
            high=f"{100 * high:.0f}%",
        ),
        icon=":material/info:",
    )
near_copies_warning(report.get("near_copies"))
source_overlap_warning(report.get("source_overlap"))
if cfg.get("encoder") == "transformer" and not (cfg.get("encoder_config") or {}).get("wide"):
    # a wide model's bag reads each text whole; a plain Transformer read 6% of each legal document, and only
    # the Playground said so, a text at a time
    from ui.resources import run_reading

    reading = run_reading(run_id, run_stamp(run), str(cfg.get("dataset") or ""))
    if reading and reading["read_share"] < 0.8:
        st.caption(
            t(
                "This Transformer reads the first {max_len} tokens of a text: about {share:.0%} of a typical text "
                "here. The rest of each played no part in these scores.",
                max_len=reading["max_len"],
                share=reading["read_share"],
            )
        )

if cfg.get("encoder") != "ensemble":
    from core.registry import RunStore

    owners = RunStore().ensembles_using(run_id)
    if owners:  # an ensemble trains its members as runs of their own: say whose part this one is
        st.caption(
            t(
                "A member of the ensemble {ensembles}, which predicts with it: it cannot be deleted or "
                "trained again while that ensemble exists.",
                ensembles=i18n.listed(md(run_title(RunStore().get(owner))) for owner in owners),
            )
            if len(owners) == 1
            else t(
                "A member of {count} ensembles ({ensembles}), which predict with it: it cannot be deleted or "
                "trained again while they exist.",
                count=len(owners),
                ensembles=i18n.listed(md(run_title(RunStore().get(owner))) for owner in owners),
            ),
        )

# --- scores against the baseline on the same split
# the baseline on the texts this run was scored on: an older import's baseline measured other test texts
base = baseline_run(cfg["dataset"], cfg.get("data_fingerprint"))
# a run from before the dataset was imported again has no baseline to come: one trained now reads the new texts
now = current_fingerprint(cfg["dataset"]) if base is None else None
outdated = now is not None and cfg.get("data_fingerprint") not in (None, now)
base_report = base.eval() if base is not None and base.id != run_id else None
cols = st.columns(4)


def delta(key: str) -> str | None:
    """Points above or below the baseline: short enough for a quarter-width column at 1024 px, where
    the help says against what; an audience sees no help, and a presenter's wider columns have room."""
    if not base_report:
        return None
    points = unsigned_zero((report[key] - base_report[key]) * 100, 1)
    if presenter.active():  # the baseline in words: an audience knows neither "baseline" nor TF-IDF
        return t("{delta:+.1f} pt vs a simple keyword model", delta=points)
    if touch.on_touch_device():  # a phone stacks the columns full width, and has no hover for the help
        return t("{delta:+.1f} pt vs the baseline", delta=points)
    return t("{delta:+.1f} pt", delta=points)


against = (
    t("The arrow: points above or below the TF-IDF + LR baseline on the same test split.") if base_report else None
)


def chance_against_baseline():
    """McNemar's test of this run against the baseline, when the two differ on the test texts."""
    if base_report is None or base is None or tied("accuracy"):
        return None
    from ui.leaderboard import against_baseline

    return against_baseline(run, base)


def delta_color(key: str) -> str:
    """Grey where the gap to the baseline says nothing (``ui.leaderboard.grey_arrow``)."""
    from ui.leaderboard import grey_arrow

    return "off" if grey_arrow(key, tied(key), by_chance, int(report.get("n") or 0)) else "normal"


def tied(key: str) -> bool:
    return base_report is not None and round((report[key] - base_report[key]) * 100, 1) == 0


chance = chance_against_baseline()
by_chance = chance is not None and chance.p_value >= 0.05


def no_arrow(key: str) -> dict:
    """No arrow at all on a tie, where Streamlit can leave it out (1.50 and later): grey, "↑ +0.0 pt"
    still read as a gain."""
    import inspect

    takes = "delta_arrow" in inspect.signature(st.metric).parameters
    return {"delta_arrow": "off"} if takes and tied(key) else {}


cols[0].metric(
    t("Accuracy"),
    presenter.score(report["accuracy"]),
    delta("accuracy"),
    delta_color=delta_color("accuracy"),
    **no_arrow("accuracy"),
    help=against,
)
# what the score is, before what its arrow says: "Macro-F1" is a word a newcomer does not know
macro_help = t(
    "The F1 score (the balance of precision and recall) of each class, averaged with every class counting "
    "the same: a small class the model misses pulls it down, where accuracy barely moves."
)
cols[1].metric(
    presenter.plain(t("Macro-F1"), t("F1, every class equal")),
    presenter.score(report["macro_f1"]),
    delta("macro_f1"),
    delta_color=delta_color("macro_f1"),
    **no_arrow("macro_f1"),
    help=sentences(macro_help, against),
)
cols[2].metric(
    # a bare "Always the biggest class 0.2371" read as a fourth score: said as the guess it is
    presenter.plain(t("Majority class"), t("Guessing the biggest class")),
    presenter.score(report["majority_accuracy"]),
    help=t("Accuracy of always answering the most common class."),
)
if by_chance:  # the arrow is grey; say why, and how few texts the gap is
    from ui.leaderboard import points_text

    gap = (report["accuracy"] - base_report["accuracy"]) * 100
    gap_said = dict(
        gap=points_text(gap),
        n=chance.both_right + chance.only_a_right + chance.only_b_right + chance.both_wrong,
        only_run=chance.only_a_right,
        only_base=chance.only_b_right,
        p=i18n.p_statement(chance.p_value),
    )
    st.caption(
        t("The gap to a simple keyword model is small enough to be chance.")
        if presenter.active()
        else t(
            "The {gap} pt of accuracy above the baseline could be chance: of the {n:,} test texts, this model alone gets "
            "{only_run:,} right and the baseline alone {only_base:,} ({p}).",
            **gap_said,
        )
        if gap > 0
        else t(
            "The {gap} pt of accuracy below the baseline could be chance: of the {n:,} test texts, this model alone gets "
            "{only_run:,} right and the baseline alone {only_base:,} ({p}).",
            **gap_said,
        )
    )
share = float(report["majority_accuracy"])
# the macro-F1 of always answering the majority class: on imbalanced data accuracy alone says too little
majority_f1 = (2 * share / (1 + share)) / max(1, len(report.get("labels") or [])) if share < 1 else 1.0
# every test text given one class: certain on any number of texts (on 50 of them a model that only ever said
# "sports" read as 80% accurate, "67% to 89%", and nothing said it had learned nothing)
answered = [sum(column) for column in zip(*(report.get("confusion") or []))]
one_answer = len(answered) > 1 and sum(1 for count in answered if count) == 1
if (
    report["accuracy"] <= share < 1
    and report["macro_f1"] <= majority_f1 + 1e-9
    and (report.get("n", 0) >= FEW_TEST_TEXTS or one_answer)
):
    # 0.5190 beside a majority class of 0.5202, side by side without a word: it had learned nothing
    trainable = cfg.get("encoder") not in ("baseline", "ensemble")  # no epochs to add, no class weights to set
    supports = [int(c.get("support") or 0) for c in report.get("per_class") or [] if c.get("support")]
    # on a fraud set the baseline "learned next to nothing" and was told to train longer: it has no epochs, and
    # the classes' sizes were the cause
    lopsided = len(supports) > 1 and max(supports) >= IMBALANCED_RATIO * min(supports)
    st.warning(
        t(
            "This model does no better than always answering the most common class ({majority:.1%}): it has "
            "learned next to nothing. Train it longer (more epochs, or a longer time budget), or check that "
            "the texts and the labels belong together.",
            majority=report["majority_accuracy"],
        )
        if trainable and not lopsided
        else t(
            "This model does no better than always answering the most common class ({majority:.1%}): the classes "
            "are far apart in size, and it has learned to answer the largest. Train an encoder with 'Weight classes "
            "by rarity' (Advanced training settings), or add examples of the small classes.",
            majority=report["majority_accuracy"],
        )
        if lopsided
        else t(
            "This model does no better than always answering the most common class ({majority:.1%}): it has "
            "learned next to nothing. Check that the texts and the labels belong together.",
            majority=report["majority_accuracy"],
        ),
        icon=":material/warning:",
    )
FEW_CLASS_TEXTS = 10  # test texts of a class, at most, for "a text or two moves its score a lot"
# classes never predicted right, where macro-F1 trails accuracy: on 60 intents (accuracy 0.97, macro-F1 0.88)
# five classes of 5 to 8 examples scored 0, and only the macro-F1 tooltip hinted at it
missed = never_right(report)
if missed and report["accuracy"] - report["macro_f1"] >= 0.03:
    from core.data import shown_label

    names = listed(md(shown_label(c["label"])) for c in missed[:5]) + (
        t(" and {n:,} more", n=len(missed) - 5) if len(missed) > 5 else ""
    )
    weighted = bool((cfg.get("train") or {}).get("class_weights"))
    gap, most = 100 * (report["accuracy"] - report["macro_f1"]), max(int(c["support"]) for c in missed)
    said = dict(gap=gap, n=len(missed), classes=len(report["per_class"]), names=names, most=most)
    # a missed class at half the largest one's size or less: weighting classes by rarity is worth a try
    rarer = 2 * min(int(c["support"]) for c in missed) <= max(int(c["support"]) for c in report["per_class"])
    st.info(
        sentences(
            t(
                "Macro-F1 is {gap:.1f} pt below accuracy: 1 of the {classes:,} classes is never predicted right ({names}).",
                **said,
            )
            if len(missed) == 1
            else t(
                "Macro-F1 is {gap:.1f} pt below accuracy: {n:,} of the {classes:,} classes are never predicted "
                "right ({names}).",
                **said,
            ),
            ""  # a few test texts a class: a text or two is the difference (a majority class of 100 is not few)
            if most > FEW_CLASS_TEXTS
            else plural(t("It has {most:,} test text(s), so a text or two moves its score a lot.", **said), most)
            if len(missed) == 1
            else plural(
                t("They have {most:,} test text(s) or fewer each, so a text or two moves their scores a lot.", **said),
                most,
            ),
            ""
            if weighted or cfg.get("encoder") in ("ensemble", "baseline")  # neither has the setting
            else t(
                "To give rare classes more weight, train again with 'Weight classes by rarity' (Advanced training "
                "settings), or add examples of them."
            )
            if rarer
            # 4 texts in each of 3 classes: weighting "rare" classes, where none is rarer, changes nothing
            else t("The classes are about equal in size, so weighting them would change little: add examples of them."),
        ),
        icon=":material/balance:",
    )
SCRATCH_TRANSFORMER_TEXTS = 5000  # below this many training texts, a Transformer from scratch learns little
if (
    cfg.get("encoder") == "transformer"
    and cfg.get("task") == "classify"
    and base_report is not None
    and (report["accuracy"] - base_report["accuracy"]) * 100 <= -5
):
    from core.registry import DatasetStore

    try:
        trained_on = int(
            DatasetStore().info(cfg["dataset"]).split_counts.get("train", 0) * cfg.get("label_fraction", 1)
        )
    except StudioError:  # the dataset is gone: its size is unknown
        trained_on = 0
    if 0 < trained_on < SCRATCH_TRANSFORMER_TEXTS:
        # a Transformer 17 points below the baseline, and nothing said why (a user's 100 reviews)
        st.info(
            t(
                "A Transformer trained from scratch learns its words and their order from the {n:,} training "
                "texts alone, and that many are too few: it trails the TF-IDF baseline by {gap:.1f} points. "
                "Pretrain it first on unlabelled text and fine-tune it (Train page), or use the bag-of-words "
                "MLP or an ensemble, which learn from few texts.",
                n=trained_on,
                gap=(base_report["accuracy"] - report["accuracy"]) * 100,
            ),
            icon=":material/lightbulb:",
        )
if "calibration" in report:
    cols[3].metric(
        # the unit in the label where a language says it in many characters: "1.6 个百分点" in the large figure
        # was cut to "1.6 个…" in a quarter of 1280 px with the sidebar open
        presenter.plain(t("Calibration (ECE)"), t("Confidence off by", context="metric")),
        # the average gap between confidence and accuracy, in the points the audience reads scores in
        t("{points:.1f} pt", context="metric", points=100 * report["calibration"]["ece"])
        if presenter.active()
        else f"{report['calibration']['ece']:.3f}",
        help=t("Average gap between confidence and accuracy; 0 is perfect."),
    )
# what it costs, as Compare's board says it: the run's time and one text's latency were on Train and
# Compare only, so a careful reader could not check one page against the other here
seconds = run.status().get("train_seconds")
latency = (report.get("latency_ms") or {}).get("median")
if isinstance(seconds, int | float) and isinstance(latency, int | float):
    st.caption(
        t(
            "Run time {duration} (reading the data, training, evaluating and embedding the texts); "
            "{latency:.2f} ms to classify one text (median).",
            duration=duration_text(seconds, decimals=1),  # as Train says it: "2 min 44 s", not "164.4 s"
            latency=latency,
        )
    )
if base_report:
    from ui.sidebar import colour_order, runs_for

    # each run in its colour on every page: the baseline orange, this run as Compare draws it
    stable = charts.run_colours(colour_order(runs_for(cfg["dataset"])), base.id, [run_id, base.id])
    rows = [
        {
            "name": t("this run: {encoder}", encoder=encoder_name(cfg)),
            "accuracy": report["accuracy"],
            "macro_f1": report["macro_f1"],
            "colour": stable[run_id],
        },
        {
            "name": t("baseline: TF-IDF + LR"),
            "accuracy": base_report["accuracy"],
            "macro_f1": base_report["macro_f1"],
            "colour": stable[base.id],
        },
    ]
    if not presenter.active():  # 0.969 beside 0.967 on a 0-1 axis: the arrows above say it, the matrix moves up
        st.plotly_chart(
            presenter.scale(charts.metric_bars(rows)),
            key="scores",
            **presenter.alt(
                t(
                    "Test-set scores: {scores}.",
                    scores="; ".join(
                        t(
                            "{name}: accuracy {accuracy:.3f}, macro-F1 {f1:.3f}",
                            name=row["name"],
                            accuracy=row["accuracy"],
                            f1=row["macro_f1"],
                        )
                        for row in rows
                    ),
                )
            ),
        )
elif cfg.get("encoder") != "baseline":
    if base is None and outdated:
        st.caption(
            t(
                "No baseline to compare with: this run was trained before the dataset was imported again, "
                "and a baseline trained now would be scored on other texts."
            )
        )
    elif base is None:
        if st.button(t("Train the baseline on this dataset (seconds)"), icon=":material/bolt:", key="train_baseline"):
            ensure_baseline(cfg["dataset"], cfg.get("data_fingerprint"))
            st.rerun()
    elif base.status().get("state") in ("queued", "running"):
        st.info(t("The baseline is training; its scores appear here when it is done."))
        jobs.rerun_when_done([base])
    elif base.status().get("state") == "failed":
        st.info(t("The baseline {run} failed; start it again on the Train page to compare with it.", run=md(base.id)))
    else:  # finished, its eval.json missing or unreadable: "training" was said, and the page redrew without end
        st.info(
            t(
                "The baseline {run} has no scores to compare with (its results file is missing). Evaluate it "
                "again: python -m core evaluate --again --run {run}",
                run=md(base.id),
            )
        )

# --- an ensemble's members, each a run of its own


def run_title_or_id(member_id: str) -> str:
    """A member run as the legends name it ("bag-of-words MLP · 5764"); its id when the run is gone."""
    from core.registry import RunStore

    try:
        return short_name(RunStore().get(member_id))
    except (StudioError, OSError, ValueError):
        return member_id


def member_encoder(member_id: str, key: str) -> str:
    """A member run's encoder in words (its recorded key when the run is gone)."""
    from core.registry import RunStore

    try:
        return encoder_name(RunStore().get(member_id).config())
    except (StudioError, OSError, ValueError):
        return encoder_name({"encoder": key})


def best_member(report: dict, members: pd.DataFrame) -> None:
    """The ensemble against its best member alone, either way, with McNemar's test on the texts both
    scored: "is the ensemble worth it?" was answered only when it fell below, as a fact (2 texts of 80)."""
    from core.baselines import against_baseline
    from core.registry import RunStore

    at = members["test accuracy"].idxmax()
    best, member_id = float(members.loc[at, "test accuracy"]), str(report["members"][at]["run"])
    gap = 100 * (float(report["accuracy"]) - best)
    try:
        chance = against_baseline(run, RunStore().get(member_id)) if round(gap, 1) else None
    except StudioError:  # the member is gone: its stored score still says where the ensemble stands
        chance = None
    said = dict(member=md(str(members.loc[at, "run"])), best=best, gap=abs(gap))
    test = ""
    if chance is not None:
        test = (
            t("The gap could be chance ({p}).", p=p_statement(chance.p_value))
            if chance.p_value >= 0.05
            else t("The gap is unlikely to be chance ({p}).", p=p_statement(chance.p_value))
        )
    if gap < 0:  # a green "+1.0 pt" against the baseline read as a win
        st.warning(
            sentences(
                t(
                    "Its best member alone, {member}, scores {best:.4f} on the test split: the ensemble is {gap:.1f} "
                    "pt below it.",
                    **said,
                ),
                test,
                t("Averaging helps when members make different mistakes; try leaving out the weaker ones."),
            ),
            icon=":material/info:",
        )
    elif not round(gap, 1):  # "0.0 pt above it": level, on a small test split more often than not
        st.caption(
            t(
                "Its best member alone, {member}, scores {best:.4f} on the test split: the ensemble is level with it.",
                **said,
            )
        )
    else:
        st.caption(
            sentences(
                t(
                    "Its best member alone, {member}, scores {best:.4f} on the test split: the ensemble is "
                    "{gap:.1f} pt above it.",
                    **said,
                ),
                test,
            )
        )


if report.get("members"):
    st.subheader(t("Members"))
    members = pd.DataFrame(report["members"])
    tempered = "temperature" in members and bool((members["temperature"] != 1.0).any())
    st.caption(
        t(
            "The ensemble averages these runs' probabilities with the weights shown, each softened or sharpened by its temperature (fitted on the validation split)."
        )
        if tempered
        else t(
            "The ensemble averages these runs' probabilities with the weights shown; one temperature, fitted on the validation split, then calibrates the average."
        )
    )
    if "weight" not in members:  # an ensemble trained before weights: equal shares
        members["weight"] = round(1 / len(members), 4)
    columns = ["run", "encoder", "weight", "validation accuracy", "test accuracy"] + (
        ["temperature"] if tempered else []
    )
    members = members.rename(columns={"val_accuracy": "validation accuracy", "test_accuracy": "test accuracy"})
    members["encoder"] = [member_encoder(run_id, key) for run_id, key in zip(members["run"], members["encoder"])]
    members["run"] = [run_title_or_id(str(run_id)) for run_id in members["run"]]  # named as everywhere else
    st.dataframe(members[columns], hide_index=True, width="stretch", column_config=headers(*columns))
    if members["test accuracy"].notna().any():
        best_member(report, members)


# --- per class and confusion
def confusion_summary(confusion: list[list[int]], names: list[str]) -> str:
    """The confusion matrix in a sentence, its accessible name: a screen reader read its cells as a run of
    numbers ("263 3 3 11 6 267 …") with the rows and columns lost."""
    total = sum(sum(row) for row in confusion)
    right = sum(confusion[i][i] for i in range(len(confusion)))
    off = [(confusion[i][j], i, j) for i in range(len(confusion)) for j in range(len(confusion)) if i != j]
    worst = max(off, default=(0, 0, 0))
    if not worst[0]:
        return t(
            "Confusion matrix of {n} classes: all {total:,} test texts on the diagonal.", n=len(names), total=total
        )
    return t(
        "Confusion matrix of {n} classes: {right:,} of {total:,} test texts on the diagonal; the most frequent "
        "mistake is {true} read as {pred} ({count:,}).",
        n=len(names),
        right=right,
        total=total,
        true=names[worst[1]],
        pred=names[worst[2]],
        count=worst[0],
    )


NARROW = 64  # px: three decimals and a header; "small" (75) cut the fifth column in two fifths of a laptop page
CLASS_COLUMN = 150  # px: the class names' column, beside four of NARROW
MANY_CLASSES = 12  # with more classes than this, the per-class table lists the worst F1 first
left, right = st.columns([5, 6])  # five columns of scores fit without the last one cut
with left:
    st.subheader(t("Per class"))
    per_class = pd.DataFrame(report["per_class"]).rename(columns={"label": "class"})
    many = len(per_class) > MANY_CLASSES
    if many:  # the classes that need work first: 15 at F1 0 were scattered among 150 rows in label order
        per_class = per_class.sort_values(["f1", "support"], kind="stable")
    st.dataframe(
        per_class,
        hide_index=True,
        width="stretch",
        # in two fifths of the page the last column was cut: 101 texts read "10". The counts come
        # second, and the scores take the width three decimals need
        column_order=[c for c in ("class", "support", "f1", "precision", "recall") if c in per_class],
        column_config={
            # at most a third of the table: a 48-character intent name pushed every score out of sight
            "class": st.column_config.TextColumn(
                t("class"), width=CLASS_COLUMN, help=t("Double-click a name to read it whole.")
            ),
            "precision": st.column_config.NumberColumn(
                i18n.header("precision", "precision (of a class)"), format="%.3f", width=NARROW
            ),
            "recall": st.column_config.NumberColumn(t("recall"), format="%.3f", width=NARROW),
            "f1": st.column_config.NumberColumn("F1", format="%.3f", width=NARROW),
            "support": st.column_config.NumberColumn(t("support"), format="localized", width=NARROW),
        },
    )
with right:
    from core.evaluation import most_confused

    keep = most_confused(report["confusion"], MATRIX_CLASSES)
    matrix = [[report["confusion"][i][j] for j in keep] for i in keep]
    event = touch.chart(
        presenter.scale(
            charts.confusion_heatmap(matrix, [labels[i] for i in keep], [sum(report["confusion"][i]) for i in keep])
        ),
        f"confusion-{run_id}",  # a click on another run's matrix is not this one's
        "points",
        described=presenter.alt(confusion_summary(report["confusion"], labels)),
    )
    if many:
        st.caption(t("The table lists the classes with the lowest F1 first; click a header to sort by it."))
    if len(keep) < len(labels):
        import numpy as np

        matrix_all = np.asarray(report["confusion"])
        off = matrix_all - np.diag(np.diag(matrix_all))
        involved = int(((off.sum(0) + off.sum(1)) > 0).sum())
        st.caption(
            t(
                "The {shown} classes most involved in mistakes, of {total:,}; the table on the left lists every class.",
                shown=len(keep),
                total=len(labels),
            )
            if involved >= len(keep)
            else t(
                "The {shown} largest classes, of {total:,}: the model got every test text right. The table on the "
                "left lists every class.",
                shown=len(keep),
                total=len(labels),
            )
            if involved == 0
            else t(
                # 19 classes were in any mistake: "the 30 most involved" took 11 error-free ones for confused
                "The {involved} classes involved in mistakes and the {rest} largest others, of {total:,}; the table "
                "on the left lists every class.",
                involved=involved,
                rest=len(keep) - involved,
                total=len(labels),
            )
        )

# --- calibration
if "calibration" in report:
    st.plotly_chart(presenter.scale(charts.reliability_diagram(report["calibration"])), key="reliability")
    from core.data import shown_label

    missed_names = [md(shown_label(c["label"])) for c in never_right(report)]
    if (note := calibration_note(report["calibration"], missed_names)) is not None:
        st.caption(note)
    if report.get("temperature"):  # a network's confidences were already corrected once, at the end of training
        st.caption(
            t(
                "Calibrated after training: its scores were divided by {temperature:.2f}, fitted on the validation "
                "texts, so that its confidences match how often it is right there. The predictions are the same.",
                temperature=float(report["temperature"]),
            )
        )


if not jobs.artefacts_ready(run, t("the examples of each confusion cell and the list of mistakes")):
    st.stop()
points = run_points(run_id, run_stamp(run))
test = points[points["split"] == "test"]
st.subheader(t("Examples in a confusion cell"))
if st.session_state.get("cell_run") != run_id:
    # another run: its own worst cell, not the one picked on the last run ("0 test texts … " over an empty table)
    for picker in ("cell_true", "cell_pred", "cell_pick"):
        st.session_state.pop(picker, None)
    st.session_state["cell_run"] = run_id
picked = (event.selection.points if event and event.selection else None) or []
shown = {plotly(label): i for i, label in enumerate(labels)}  # the matrix's axes show escaped labels
if picked:
    cell_key = (picked[0].get("y"), picked[0].get("x"))
    # a new click moves both pickers to its cell; the pickers stay free to change afterwards
    if st.session_state.get("cell_pick") != cell_key and cell_key[0] in shown and cell_key[1] in shown:
        st.session_state["cell_pick"] = cell_key
        st.session_state["cell_true"] = labels[shown[cell_key[0]]]
        st.session_state["cell_pred"] = labels[shown[cell_key[1]]]
        # the list is a screen below the matrix, and the page does not scroll to it: the click seemed
        # to do nothing
        st.toast(
            t(
                "The texts of that cell are listed below, under “{section}”.",
                section=t("Examples in a confusion cell"),
            ),
            icon=":material/south:",
        )
# first visit, or another run with other classes: the cell with the most mistakes, where there is one
confusions = test[test["label"] != test["pred"]].groupby(["label", "pred"]).size()
confusions = confusions[[t_ in labels and p_ in labels for t_, p_ in confusions.index]]
# no mistakes at all: a cell of the diagonal, which has texts to show, not an empty one
worst = confusions.idxmax() if len(confusions) else (labels[0], labels[0])
for picker, fallback in (("cell_true", worst[0]), ("cell_pred", worst[1])):
    if st.session_state.get(picker) not in labels:
        st.session_state[picker] = fallback
# the headers of the tables of test texts (their cells are data)
text_columns = {
    # the row in the user's file, where the dataset keeps it: the text to find and fix there
    "row": st.column_config.NumberColumn(t("row in file"), format="%d"),
    "text": t("text"),
    "label": t("true label"),
    "pred": t("prediction"),
    # one decimal each, as a percentage rounded down: "1.000" here stood beside "(99.9%)" in the picker of
    # the same text (a percentage reads 100% only when it is), and "0.9996" above "0.996" read as longer
    "confidence": st.column_config.NumberColumn(t("confidence"), format=i18n.CONFIDENCE_FORMAT),
}


def as_percent(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with their confidence in percent, rounded down to a tenth (the table's numbers)."""
    return rows.assign(confidence=i18n.confidence_percent(rows["confidence"]))


cols = st.columns(2)
true_label = cols[0].selectbox(t("True class"), labels, key="cell_true")
pred_label = cols[1].selectbox(t("Predicted class"), labels, key="cell_pred")
cell = test[(test["label"] == true_label) & (test["pred"] == pred_label)].sort_values("confidence", ascending=False)
st.caption(
    t(
        "Test texts labelled **{true}** and predicted **{pred}**: {n:,}.",
        n=len(cell),
        true=md(true_label),
        pred=md(pred_label),
    )
    if touch.on_touch_device()  # the matrix takes no taps there (ui.touch): the pickers choose
    else t(
        "Test texts labelled **{true}** and predicted **{pred}**: {n:,} (or click a cell of the matrix above).",
        n=len(cell),
        true=md(true_label),
        pred=md(pred_label),
    )
)
CELL_ROWS, MISTAKE_ROWS = 200, 500  # rows a table shows; the rest are said to be left out
file_row = [FILE_ROW] if FILE_ROW in points.columns else []  # a built-in, or an import before rows were kept
if not cell.empty:  # an empty grid says "empty", in English, under a caption that already says 0
    st.dataframe(
        # the text last: first, at 1,024 px it filled the table and pushed the prediction out of view
        as_percent(cell[[*file_row, "label", "pred", "confidence", "text"]].head(CELL_ROWS)),
        hide_index=True,
        width="stretch",
        column_config=text_columns,
    )
    if len(cell) > CELL_ROWS:
        st.caption(t("The {shown:,} most confident are listed.", shown=CELL_ROWS))

# --- mistakes
st.subheader(t("Mistakes, most confident first"))
# a label check: the 163 flipped labels of a noisy file were found by classifying the whole file again,
# while this list showed the test split's 34 (the run's points hold every text already)
everywhere = not presenter.active() and st.toggle(
    t("Every text, not only the test split (to find wrong labels)"),
    key="mistakes_everywhere",
    help=t(
        "The model learned the training texts' labels, so it contradicts few of them; where it does, and "
        "confidently, the label itself is worth checking."
    ),
)
pool = points if everywhere else test
wrong = pool[pool["label"] != pool["pred"]].sort_values("confidence", ascending=False)
if everywhere:  # the split in the reader's words, as the Data page writes it
    wrong = wrong.assign(split=wrong["split"].map(lambda part: t(str(part))))
if wrong.empty:  # an empty table and a download of nothing read as something that failed
    st.success(
        t("No mistakes: all {total:,} test texts are classified correctly.", total=len(test))
        if not everywhere
        else t("No text disagrees with its label: all {total:,} are classified as labelled.", total=len(pool)),
        icon=":material/check_circle:",
    )
else:
    said = (
        t(
            "{wrong:,} of {total:,} texts (every split) are classified otherwise than labelled: those most "
            "confidently so come first, and their labels are the first to check.",
            wrong=len(wrong),
            total=len(pool),
        )
        if everywhere
        else t("{wrong:,} of {total:,} test texts are misclassified.", wrong=len(wrong), total=len(test))
    )
    if len(wrong) > MISTAKE_ROWS:  # "774 of 800" over a table of 500, and nothing said of the other 274
        said = i18n.sentences(
            said,
            t("The {shown:,} most confident are listed.", shown=MISTAKE_ROWS)
            if presenter.active()  # no CSV before an audience
            else t("The {shown:,} most confident are listed; the CSV below has them all.", shown=MISTAKE_ROWS),
        )
    st.caption(said)
    shown_columns = [*file_row, "label", "pred", "confidence", *(["split"] if everywhere else []), "text"]
    # every text: the label is the file's, which may be the wrong one (what this view is for), not "true"
    label_header = t("label in file") if everywhere else t("true label")
    st.dataframe(
        as_percent(wrong[shown_columns].head(MISTAKE_ROWS)),
        hide_index=True,
        width="stretch",
        column_config={**text_columns, "label": label_header, "split": st.column_config.TextColumn(t("split"))},
    )
    if not presenter.active():  # a file for the operator, not the audience
        st.download_button(
            t("Download the mistakes as CSV"),
            # headed as the table above is, in the page's language: the file is read by the same person
            for_spreadsheets(
                safe_csv(
                    wrong[[*file_row, "text", "label", "pred", "confidence", *(["split"] if everywhere else [])]]
                    # four decimals, as the command line's file: 0.98024356 stood beside the table's 98.0%
                    .astype({"confidence": float})
                    .round({"confidence": 4})
                    .rename(
                        columns={
                            FILE_ROW: t("row in file"),
                            "text": t("text"),
                            "label": label_header,
                            "pred": t("prediction"),
                            "confidence": t("confidence"),
                            "split": t("split"),
                        }
                    )
                )
            ),
            file_name=f"{run_id}-mistakes.csv",
            mime="text/csv",
            icon=":material/download:",
            key="download_mistakes",
        )
if len(wrong):
    from ui.search_link import more_like_this

    top = wrong.head(50)
    names = [
        t(
            "#{n} · {label} read as {pred} ({confidence})",
            n=i + 1,
            label=row.label,
            pred=row.pred,
            confidence=percent_text(row.confidence),
        )
        for i, row in enumerate(top.itertuples())
    ]
    more_like_this(top["text"].tolist(), names, "mistake")

# --- the same model on another dataset's texts
score_elsewhere.section(run, labels)
