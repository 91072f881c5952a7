"""Compare: every run on a dataset against the baseline, curves, per-class F1, two-run tests, a duel."""

import contextlib
import hashlib
import json

import numpy as np
import pandas as pd
import streamlit as st

from core.config import comparable
from core.errors import StudioError
from core.names import is_experiment_run, run_names
from ui import charts, i18n, jobs, presenter, state
from ui.actions import baseline_run
from ui.boot import through_app
from ui.caveats import near_copies_warning, source_overlap_warning
from ui.i18n import listed, p_value_text, plural, sentences, t, tm
from ui.leaderboard import SEED_FREE, duel_headline, seed_groups, shown_margins, verdict
from ui.leaderboard import family as run_family
from ui.resources import run_stamp
from ui.safe_text import md
from ui.sidebar import (
    STATE_NAMES,
    TASK_NAMES,
    colour_order,
    dataset_title,
    distinct_labels,
    encoder_name,
    fold_experiment_runs,
    name_or_id,
    runs_for,
    short_name,
)

F1_CLASSES = 30  # classes drawn in the F1-per-class chart, at most


def offer_experiment(dataset: str, results: list[dict]) -> None:
    """What the experiment is, a button that runs its quick version in a worker, and the full one's command."""
    from core.experiments import QUICK, LabelEfficiencyConfig, experiment_status, start_label_efficiency

    ended = experiment_status(results[0]) if results else None
    if ended in ("failed", "interrupted"):  # the newest one did not finish: say so before offering another
        error = results[0].get("error")
        st.warning(
            t("The last experiment did not finish: {error}", error=md(tm(error)) if error else t(ended)),
            icon=":material/warning:",
        )
    elif ended == "stopped":  # the curve above may be an earlier, whole one: say what became of the newest
        st.info(
            t(
                "The last experiment was stopped after {done} of its {planned} runs.",
                done=len(results[0].get("rows") or []),
                planned=results[0].get("planned_runs") or "?",
            ),
            icon=":material/info:",
        )
    from core.registry import DatasetStore

    try:
        classes = len(DatasetStore().info(dataset).labels)
    except (StudioError, OSError, ValueError):
        classes = 0
    if classes < 2:  # it would pretrain for minutes, then find no classes to fine-tune on
        st.caption(
            t(
                "It trains classifiers on shares of the labels, and this dataset has no labels: run it on a labelled one."
            )
            if not classes
            else t(
                "It trains classifiers on shares of the labels, and this dataset has one class: run it on one with two or more."
            )
        )
        return
    st.caption(
        t(
            "It trains a pretrained and a from-scratch Transformer on shares of the labels (1%, 5%, 20% and "
            "100%) with the same budget, and draws how accuracy grows with the labels in each arm. The quick "
            "version (the tiny Transformer, one seed: eight short runs) runs in the background, from a minute "
            "or two on the starter set's short sentences to about nine on BBC News's 2,125 articles on two CPU "
            "cores; the pages stay usable meanwhile."
        )
        if not results
        else t(
            "Run it again (the quick version: the tiny Transformer, one seed), or the full one from the command line."
        )
    )
    start = pretraining_choice(dataset)
    if start:  # the arms take the picked run's size: "the tiny Transformer … a minute or two" no longer held
        from core.registry import RunStore

        with contextlib.suppress(StudioError, OSError):
            preset = (RunStore().get(start).config().get("encoder_config") or {}).get("preset")
            if preset and preset != QUICK.get("preset", "tiny"):
                st.caption(
                    t(
                        "Both arms take the {preset} Transformer of the pretraining picked, so each of the eight "
                        "runs takes longer than the tiny one's times above.",
                        preset=preset,
                    )
                )
    if st.button(t("Run the quick experiment"), icon=":material/science:", key="start_experiment"):
        try:
            start_label_efficiency(
                LabelEfficiencyConfig(dataset, **{**QUICK, **({"pretrained_run": start} if start else {})})
            )
        except (StudioError, OSError) as exc:
            st.error(md(tm(exc)))
        else:
            st.rerun()
    with st.expander(t("The full experiment (three seeds, the mini Transformer: about an hour on a laptop CPU)")):
        # from the pretraining picked above, as the quick one (without it, the CLI pretrains anew)
        st.code(
            f"python -m core experiment label-efficiency --dataset {dataset}"
            + (f" --pretrained {start}" if start else ""),
            language="bash",
        )


@st.cache_data(show_spinner=False, max_entries=64)
def fits(run_id: str, dataset: str, stamp: str) -> bool:
    """True when pretraining run ``run_id``'s vocabulary knows most of ``dataset``'s tokens."""
    from core.training.runner import LOW_COVERAGE, source_coverage

    try:
        return source_coverage(run_id, dataset) >= LOW_COVERAGE
    except (StudioError, OSError, ValueError):  # damaged or gone: not a starting point
        return False


def pretraining_choice(dataset: str) -> str:
    """The pretraining run the experiment starts from ("" = a new quick one): a user's own longer
    pretraining is what the curve should judge, and each click pretrained yet another model."""

    from core.registry import RunStore

    # every dataset's pretraining: one on a separate unlabelled set (the usual way) was never offered,
    # and the quick default, pretrained on the labelled texts alone, read as "pretraining does not pay"
    pretrainings = [r for r in RunStore().list() if r.config().get("task") == "pretrain" and r.model_path.is_file()]
    done = [r for r in pretrainings if r.status().get("state") == "done"]
    unfinished = len(pretrainings) - len(done)
    if unfinished:  # left out without a word, though Train offers to fine-tune from a stopped one
        st.caption(
            plural(
                t(
                    "{n} pretraining run(s) that did not finish left out: the experiment starts from a finished one "
                    "(resume it on the Train page to finish it).",
                    n=unfinished,
                ),
                unfinished,
            )
        )
    # one whose vocabulary knows little of these texts would make both arms read them as unknown (the
    # scratch arm shares it), and was picked first: left out, and said
    unfit = [r for r in done if r.config().get("dataset") != dataset and not fits(r.id, dataset, run_stamp(r))]
    if unfit:
        st.caption(
            plural(
                t(
                    "{n} pretraining run(s) of other datasets left out: their vocabulary knows little of this one.",
                    n=len(unfit),
                ),
                len(unfit),
            )
        )
    done = [r for r in done if r not in unfit]
    done.sort(key=lambda r: (is_experiment_run(r), r.config().get("dataset") != dataset))  # the user's own first
    options = [""] + [r.id for r in done]

    def where(r) -> str:
        on = r.config().get("dataset")
        # "（在 corpus 上）" opens with its own full-width bracket: no space before it
        return (
            ""
            if on == dataset
            else ("" if i18n.lang() == "zh" else " ") + t("(on {dataset})", dataset=dataset_title(on))
        )

    names = distinct_labels({r.id: short_name(r) + where(r) for r in done})
    return st.selectbox(
        t("Start the pretrained arm from"),
        options,
        index=1 if done and not is_experiment_run(done[0]) else 0,
        format_func=lambda key: names[key] if key else t("a new quick pretraining (the tiny Transformer, 3 epochs)"),
        key="experiment_start_from",
        help=t(
            "The scratch arm gets the same vocabulary and budget; only the starting weights differ. A pretraining "
            "of your own that ran longer is a fairer test of what pretraining is worth."
        ),
    )


@st.fragment(run_every=3)
def experiment_progress(experiment_id: str) -> None:
    """A running experiment: how far it is, what it trains now, and Stop; the page redraws when it ends."""
    from core.experiments import STOP_FILE, experiment_status, experiments_root, list_experiments, stop_experiment

    result = next((e for e in list_experiments() if e.get("id") == experiment_id), None)
    status = experiment_status(result) if result else "interrupted"
    if status not in ("starting", "running"):
        st.rerun()  # its curve, or what went wrong, is drawn by the whole page
    done, planned = len(result.get("rows") or []), int(result.get("planned_runs") or 0)
    seen = st.session_state.get("experiment_points")
    st.session_state["experiment_points"] = (experiment_id, done)
    if done and seen is not None and seen != (experiment_id, done):
        st.rerun()  # a new point: the whole page redraws the curve under the bar
    if status == "starting" or result.get("status") == "starting":  # its worker has not written yet
        phase = t("starting a worker")
    elif result.get("phase") == "pretraining":
        phase = t("pretraining the Transformer it starts from")
    else:
        phase = t("{done} of {planned} fine-tuning runs done", done=done, planned=planned)
    stopping = (experiments_root() / experiment_id / STOP_FILE).is_file()
    left, right = st.columns([4, 1])
    left.progress(done / planned if planned else 0.0, text=t("Experiment running: {phase}", phase=phase))
    if right.button(
        t("Stopping…") if stopping else t("Stop"), icon=":material/stop:", key="stop_experiment", disabled=stopping
    ):
        stop_experiment(experiment_id)
        st.rerun(scope="fragment")


def label_efficiency_section(dataset: str) -> None:
    """Pretrained against scratch as the labels grow: the newest experiment's curve, or a button that runs one."""
    from core.experiments import experiment_status, list_experiments

    # a record written by hand, or by an older studio, may lack any field
    results = [e for e in list_experiments() if (e.get("config") or {}).get("dataset") == dataset]
    live = next((e for e in results if experiment_status(e) in ("starting", "running")), None)
    if results or not presenter.active():  # an audience is not shown an empty section to end on
        st.subheader(t("Pretrained vs scratch: label efficiency"))
    if live is not None:
        experiment_progress(live["id"])
    drawn = [e for e in results if e.get("summary")]  # one just started has no point to draw yet
    # the newest whole curve: a second experiment stopped after one run hid the first one's eight points
    complete = [e for e in drawn if experiment_status(e) == "done"]
    if live is not None and live.get("summary"):
        drawn = [live]  # the points of the one under way, as they come
    elif complete:
        drawn = complete
    if drawn:
        experiment_curve(drawn[0])
    if live is None and not presenter.active():  # below the answer: the action to get another one
        offer_experiment(dataset, results)


def experiment_curve(latest: dict) -> None:
    """An experiment's curve, its table in words, and advice when the pretrained arm trails."""
    from core.experiments import experiment_status, trailing_pretraining

    # the labelled texts each share trained on: 1% of a hundred texts is one a class, which "1%" hid
    texts_at = {
        row["fraction"]: int(row["train_texts"])
        for row in latest.get("rows") or []
        if isinstance(row.get("train_texts"), (int, float)) and "fraction" in row
    }
    st.plotly_chart(presenter.scale(charts.label_efficiency(latest["summary"], texts_at)), key="label_efficiency")
    seeds = latest["config"]["seeds"]
    st.caption(
        plural(
            # ids are for the operator; an audience is told what each point is
            t(
                "{seeds} seed(s) per point, {steps} training steps per run.",
                seeds=seeds,
                steps=latest["config"]["steps"],
            )
            if presenter.active()
            else t(
                "Experiment {experiment}: {seeds} seed(s) per point, {steps} steps per run, pretrained run {pretrained}.",
                experiment=md(latest["id"]),
                seeds=seeds,
                steps=latest["config"]["steps"],
                pretrained=md(latest["pretrained_run"]),
            ),
            seeds,
        )
    )
    if experiment_status(latest) in ("stopped", "failed", "interrupted", "running", "starting"):
        # a curve of the runs done so far: a reader takes a missing point for a result
        st.caption(
            t(
                "Drawn from {done} of its {planned} runs: it did not run to its end.",
                done=len(latest.get("rows") or []),
                planned=latest.get("planned_runs") or "?",
            )
            if experiment_status(latest) not in ("running", "starting")
            else t(
                "Drawn from the {done} of its {planned} runs done so far.",
                done=len(latest.get("rows") or []),
                planned=latest.get("planned_runs") or "?",
            )
        )
    from core.training.runner import LOW_COVERAGE

    coverage = latest.get("coverage")
    if isinstance(coverage, (int, float)) and coverage < LOW_COVERAGE:
        st.warning(
            t(
                "The pretraining's vocabulary knows {share:.0%} of this dataset's tokens: both arms read the rest "
                "as unknown (the scratch arm shares that vocabulary), so this curve says little about pretraining.",
                share=coverage,
            ),
            icon=":material/translate:",
        )
    summary = pd.DataFrame(latest["summary"])
    # the question the table answers, on the pretrained rows: how much the pretraining added at that share
    by_arm = summary.pivot_table(index="fraction", columns="arm", values="accuracy_mean")
    gains = (
        (by_arm["pretrained"] - by_arm["scratch"]) * 100
        if {"pretrained", "scratch"} <= set(by_arm.columns)
        else pd.Series(dtype=float)
    )
    # as text: a scratch row has no gain, and a number column showed its gap as "None"
    summary["gain"] = [
        t("%+.1f pt") % gains[fraction] if arm == "pretrained" and pd.notna(gains.get(fraction)) else "–"
        for fraction, arm in zip(summary["fraction"], summary["arm"])
    ]
    arms = {"scratch": t("from scratch"), "pretrained": t("pretrained")}
    summary["arm"] = summary["arm"].map(lambda arm: arms.get(arm, arm))
    summary["fraction"] = summary["fraction"] * 100  # shown as a percentage
    one_seed = int(summary["n"].max()) == 1 if "n" in summary else False
    # one column per question a reader asks, in words: the result file's field names stay as they are
    st.dataframe(
        summary,
        hide_index=True,
        width="stretch",
        column_order=[
            c
            for c in (
                "fraction",
                "arm",
                "train_texts",
                "n",
                "accuracy_mean",
                "gain",
                "accuracy_std",
                "accuracy_min",
                "accuracy_max",
                "macro_f1_mean",
            )
            # one seed: "± 0.0000", and lowest and highest equal to the mean, said nothing
            if c in summary and not (one_seed and c in ("n", "accuracy_std", "accuracy_min", "accuracy_max"))
        ],
        column_config={
            "fraction": st.column_config.NumberColumn(t("labels used"), format="%g%%"),
            "arm": t("start"),
            "train_texts": st.column_config.NumberColumn(t("training texts"), format="localized"),
            "n": st.column_config.NumberColumn(t("seeds"), format="%d"),
            "accuracy_mean": st.column_config.NumberColumn(
                t("accuracy") if one_seed else t("accuracy, mean"), format="%.4f"
            ),
            "gain": st.column_config.TextColumn(
                t("gain from pretraining"),
                help=t(
                    "Accuracy of the pretrained start minus that of the scratch start, at the same share of labels."
                ),
            ),
            "accuracy_std": st.column_config.NumberColumn(t("± sd"), format="%.4f"),
            "accuracy_min": st.column_config.NumberColumn(t("lowest"), format="%.4f"),
            "accuracy_max": st.column_config.NumberColumn(t("highest"), format="%.4f"),
            "macro_f1_mean": st.column_config.NumberColumn(
                t("macro-F1") if one_seed else t("macro-F1, mean"), format="%.4f"
            ),
        },
    )
    from core.experiments import chance_gap

    noise = chance_gap(latest)
    if noise:  # one seed's gaps read as verdicts, where Evaluate calls a gap of their size "could be chance"
        st.caption(
            t(
                "One seed, scored on {n:,} test texts: a gap under about {points:.1f} pt between the two starts at "
                "a share could be chance (a rough bound from the test size alone, two standard errors; another "
                "seed moves each start too). The full experiment's three seeds narrow it.",
                n=noise["test_texts"],
                points=noise["points"],
            )
        )
    # a verdict on the shares done so far is a guess: the advice waits for the whole curve
    trailing = trailing_pretraining(latest) if experiment_status(latest) == "done" else None
    if trailing and presenter.active():  # the result in words; run ids, file paths and commands are the operator's
        st.info(
            t(
                "Here the pretrained start learned slower than a random one, at {behind} of {shares} label shares: "
                "pretraining this short, on this little text, does not pay yet. It pays when the model is "
                "pretrained longer, on more text.",
                behind=trailing["behind"],
                shares=trailing["shares"],
            ),
            icon=":material/info:",
        )
    elif trailing:
        reached = ""
        if None not in (trailing["epochs"], trailing["masked_accuracy"], trailing["tokens_per_epoch"]):
            reached = plural(
                t(
                    " Run {run} pretrained on {tokens} tokens for {epochs} epoch(s) and predicts {share} of masked tokens.",
                    run=md(name_or_id(trailing["run"])),
                    tokens=f"{trailing['tokens_per_epoch']:,}",
                    epochs=f"{trailing['epochs']:g}",  # 10.0 read as a measurement to a tenth
                    share=f"{trailing['masked_accuracy']:.0%}",
                ),
                trailing["epochs"],
            )
        st.info(
            t(
                "The pretrained arm trails the scratch arm at {behind} of {shares} label shares: within {steps} "
                "steps, its start learned slower than a random one.{reached} Pretrain longer, on more text: on "
                "the Train page (task Pretrain, a time budget of 30 minutes) or from the command line (below); "
                "then start the pretrained arm from that run. Where pretraining paid in the studio's benchmarks, "
                "a mini was pretrained on 190,000-740,000 tokens for about 30 minutes.",
                behind=trailing["behind"],
                shares=trailing["shares"],
                reached=reached,
                steps=trailing["steps"],
            ),
            icon=":material/info:",
        )
        st.code(
            f"python -m core pretrain --corpus <{t('your texts: a .txt file or a folder')}> --preset {trailing['preset']} "
            "--epochs 40 --time-budget 1800",
            language="bash",
        )


through_app()  # a deep link on a fresh server: draw this page through app.py
st.title(t("Compare"))
dataset = state.get("dataset")
if not dataset:
    # as Train says it, with its way there: the sidebar has no picker until a dataset exists
    st.info(t("Pick a dataset first: load a built-in one or upload a file on the Data page."))
    st.page_link("pages/data.py", label=t("Go to Data"), icon=":material/table_view:", query_params=state.params())
    st.stop()


def current_version_only(runs: list) -> list:
    """The runs trained on the dataset as it is now. Runs from before it was deleted and imported again
    under its id were scored on other test texts (or classes): ranked beside the new ones, a 2-class
    baseline on 16 texts set the margin of a 3-class model on 27 others, under "the same test split"."""
    from core.registry import DatasetStore
    from ui.resources import dataset_fingerprint

    try:
        current = dataset_fingerprint(dataset, DatasetStore().info(dataset).sha256)
    except (StudioError, OSError, ValueError):
        current = None
    if current is None:
        return runs
    fingerprint, labels = current
    # runs older than fingerprints have none; classes renamed in place keep the fingerprint, not the names
    kept = [
        r for r in runs if r.config().get("data_fingerprint") in (None, fingerprint) and r.eval()["labels"] == labels
    ]
    if len(kept) < len(runs):
        st.caption(
            plural(
                t(
                    "Left off the board: {n} run(s) trained on an earlier import of this dataset, scored on "
                    "other test texts. Evaluate still shows each of them.",
                    n=len(runs) - len(kept),
                ),
                len(runs) - len(kept),
            )
        )
    return kept


everything = runs_for(dataset)
runs = [r for r in everything if (r.eval() or {}).get("accuracy") is not None]
runs = fold_experiment_runs(current_version_only(runs), "compare_experiments")
training = [r for r in everything if r.status().get("state") in ("queued", "running")]
if training:  # the baseline queued after a run, say: the board redraws itself when they end
    st.caption(
        plural(
            t(  # a queued run "still training" read as one that had started
                "Queued or training on this dataset: {n} run(s), added to the board when finished.", n=len(training)
            ),
            len(training),
        )
    )
    jobs.rerun_when_done(training)
if not runs:
    from core.registry import DatasetStore

    try:
        unlabelled = not DatasetStore().info(dataset).labels
    except (StudioError, OSError, ValueError):
        unlabelled = False
    st.info(
        t("This dataset has no labels: it is for pretraining. Compare classifiers on a labelled dataset.")
        if unlabelled  # "train a few" asked for what cannot be done here
        else t("No evaluated classification runs on this dataset yet: train a few on the Train page.")
    )
    label_efficiency_section(dataset)  # it trains its own runs: a first thing to try after pretraining
    st.stop()


def ensemble_members(runs: list) -> dict[str, str]:
    """``{member run id: its ensemble's short name}`` for the finished ensembles on the board: an
    ensemble trains its members as runs of their own, and unmarked they read as the user's runs."""
    owners: dict[str, list[str]] = {}
    for run in runs:
        if run.config().get("encoder") != "ensemble":
            continue
        for member in (run.eval() or {}).get("members") or []:
            if isinstance(member, dict) and member.get("run"):
                owners.setdefault(str(member["run"]), []).append(short_name(run))
    # every ensemble it is in: a run in three was said to be in the first only
    return {member: listed(names) for member, names in owners.items()}


member_of = ensemble_members(runs)


def name_cell(run, names: dict, cfg: dict) -> str:
    """The board's notes column: the run's tags, the run it was fine-tuned from, the members an ensemble
    took ready-made, and the ensemble it is a member of (its title is in the run column already: a name
    column repeated it, and pushed the costs out of the box)."""
    run_id = run.id
    parts = [", ".join(names["tags"])]
    if cfg.get("task") == "finetune" and cfg.get("source_run"):
        # a fine-tune of a mini beside a tiny from scratch, its pretraining's minutes left out of its run
        # time, read as a like-for-like comparison
        parts.append(started_from(str(cfg["source_run"])))
    if cfg.get("encoder") == "ensemble":
        parts.append(members_before(run))
    if run_id in member_of:
        parts.append(t("member of {ensemble}", ensemble=member_of[run_id]))
    return "; ".join(part for part in parts if part)


def members_before(run) -> str:
    """ "plus N s for members trained earlier": an ensemble built from runs already trained (the Train page
    reuses them) counts only its weighing in its run time, and read as the cheapest model on the board."""
    from core.registry import RunStore

    own = {str(m) for m in (run.raw_status().get("member_runs") or {}).values()}  # the members it trained itself
    seconds = 0.0
    for member in (run.eval() or {}).get("members") or []:
        member_id = str(member.get("run") or "") if isinstance(member, dict) else ""
        if not member_id or member_id in own:
            continue
        try:
            took = RunStore().get(member_id).status().get("train_seconds")
        except (StudioError, OSError, ValueError):  # deleted since: its time is not known
            continue
        seconds += took if isinstance(took, (int, float)) else 0.0
    return t("plus {seconds:,.0f} s for members trained earlier", seconds=seconds) if seconds else ""


def started_from(source_id: str) -> str:
    """ "fine-tuned from …", with the seconds its source trained (not in the fine-tune's own run time)."""
    from core.registry import RunStore

    try:
        source = RunStore().get(source_id)
        seconds = source.status().get("train_seconds")
        name = short_name(source)
    except (StudioError, OSError, ValueError):  # deleted since: its id is all there is
        return t("fine-tuned from {run}", run=source_id)
    if isinstance(seconds, (int, float)):
        return t("fine-tuned from {run} (+{seconds:,.0f} s before)", run=name, seconds=seconds)
    return t("fine-tuned from {run}", run=name)


def describe(run) -> dict:
    cfg, status, report = run.config(), run.status(), run.eval()
    names = run_names(run)
    task = t(TASK_NAMES.get(cfg.get("task", "classify"), cfg.get("task", "classify")))
    if cfg.get("label_fraction", 1) < 1:
        task = t("{task} ({fraction:.0%} labels)", task=task, fraction=cfg["label_fraction"])
    return {
        # what the charts' legends call the run ("bag-of-words MLP · 5764"): a cut id told two runs of one
        # encoder apart only by its hidden end
        "label": short_name(run),
        "run": run.id,
        "name": name_cell(run, names, cfg),
        "family": run_family(cfg),  # the key code compares (``baseline`` is the yardstick); not shown
        "encoder": encoder_name(cfg),
        "task": task,
        # the scores before the costs: at 1024 px the accuracy bar was past the box's right edge
        "accuracy": report["accuracy"],
        "macro-F1": report["macro_f1"],
        "parameters": report.get("n_parameters"),
        "train s": status.get("train_seconds"),
        "latency ms": (report.get("latency_ms") or {}).get("median"),
        "state": t(STATE_NAMES[status["state"]]) if status.get("state") in STATE_NAMES else status.get("state"),
    }


board = pd.DataFrame([describe(r) for r in runs]).sort_values("accuracy", ascending=False).reset_index(drop=True)
# the question a reader brings: does it beat the yardstick, by how much (the 0-1 bars of 0.81 and 0.85 look alike)
# the baseline Evaluate measures against too: two plain ones (a baseline trained again) gave two margins
plain = baseline_run(dataset)
yardstick = board.loc[board["family"] == "baseline", "accuracy"].max()
if plain is not None and plain.id in set(board["run"]):
    yardstick = float(board.loc[board["run"] == plain.id, "accuracy"].iloc[0])
# (the baseline itself reads +0.0 pt: the row the others are measured from)
if pd.notna(yardstick):  # no baseline run on this dataset: no column of dashes
    board.insert(board.columns.get_loc("accuracy") + 1, "vs baseline", 100 * (board["accuracy"] - yardstick))
st.subheader(t("Leaderboard"))
st.caption(
    t(
        "Every evaluated run on this dataset, scored on the same test split. "
        "Click a column header to sort; tick rows to compare them below."
    )
)
by_id = {r.id: r for r in runs}
baseline_rows = board.index[board["family"] == "baseline"].tolist()
if plain is not None:  # the one the margins are measured against comes first: ticked, and the duel's opponent
    baseline_rows.sort(key=lambda i: board.at[i, "run"] != plain.id)


def best_against_baseline() -> float | None:
    """McNemar's p of the board's best run against the baseline its margins are measured from."""
    from ui.leaderboard import against_baseline

    if plain is None or plain.id not in set(board["run"]):  # the margins are from another baseline run
        return None
    best = board.loc[board["accuracy"].idxmax()]
    if best["run"] == plain.id or best["family"] == "baseline" or best["run"] not in by_id:
        return None
    result = against_baseline(by_id[best["run"]], plain)
    return None if result is None else result.p_value


def board_near_copies(runs) -> dict | None:
    """The near-copies count that stands for the board: a run on a fifth of the labels counted against
    its own few training texts (15% where the full runs had 63%), so runs on all the labels first, and of
    them the largest share."""
    counts = [
        ((r.config().get("label_fraction") or 1.0) >= 1.0, float(near.get("share") or 0.0), near)
        for r in runs
        if isinstance(near := (r.eval() or {}).get("near_copies"), dict)
    ]
    return max(counts, key=lambda c: c[:2])[2] if counts else None


if (line := verdict(board, best_against_baseline(), with_p=not presenter.active())) is not None:
    st.markdown(f":material/trophy: {line}")
    from ui.leaderboard import macro_f1_leader

    if (said := macro_f1_leader(board, (by_id[board["run"].iloc[0]].eval() or {}).get("per_class") or [])) is not None:
        st.caption(said)
    # the runs share one test split: its near-copies count stands for every score on the board (Evaluate
    # said so, and this board ranked runs at 0.99 without a word)
    near_copies_warning(board_near_copies(runs))
    # a run fine-tuned from an encoder that had read the test texts: its place on the board is partly that
    for flattered in [r for r in runs if (r.eval() or {}).get("source_overlap")][:3]:
        source_overlap_warning(flattered.eval()["source_overlap"], run_name=short_name(flattered))


RUN_ONLY = frozenset(SEED_FREE) - {"seed"}  # another seed is another run to compare; another thread count is not


def distinct_rows(board, limit: int = 3, active: str | None = None) -> list[int]:
    """The best rows whose runs differ in settings: two runs of the same config compare nothing.

    The active run (the one the user is working on) goes first, so that of several runs of one
    config it is the one ticked, and the one the head-to-head below starts from. An ensemble's
    members come last: they are its parts, and ticked first they crowded out the user's own runs.
    """
    seen, picked = set(), []
    # stable: best first otherwise
    order = sorted(zip(board.index, board["run"]), key=lambda row: (row[1] != active, row[1] in member_of))
    own = 0  # runs that are no ensemble's member
    for i, run_id in order:
        member = run_id in member_of
        # members only fill a board with fewer than ``limit`` runs of the user's own, and then up to one
        # more: an ensemble of three beside its three members (two of them ticked had left one out)
        if len(picked) >= (limit + 1 if member and own < limit else limit):
            break
        cfg = {k: v for k, v in by_id[run_id].config().items() if k not in ("run_id", "name", "created")}
        # how a run was executed (threads, device) is no other setting: a page run and its CLI twin were both ticked
        cfg["train"] = {k: v for k, v in (cfg.get("train") or {}).items() if k not in RUN_ONLY}
        signature = json.dumps(comparable(cfg), sort_keys=True, default=str)
        if signature not in seen and board.at[i, "family"] != "baseline":
            seen.add(signature)
            picked.append(int(i))
            own += not member
    return picked


default = sorted(dict.fromkeys(distinct_rows(board, active=state.get("run")) + baseline_rows[:1]))
# the runs ticked when this dataset's board was last drawn: a visit to another page dropped the table's
# selection, and the ticks came back as the defaults (which follow the sidebar's run)
# (a run that joined the board since, such as a baseline that finished meanwhile, is ticked as the
# defaults would tick it)
ticked_before = st.session_state.setdefault("compare_ticked", {}).get(dataset)
if ticked_before:
    rows_of = {run_id: int(i) for i, run_id in board["run"].items()}
    kept = [rows_of[run_id] for run_id in ticked_before["ticked"] if run_id in rows_of]
    joined = [i for i in default if board.loc[i, "run"] not in ticked_before["board"]]
    default = sorted(set(kept + joined)) or default


def head_to_head_default(chosen: list, active: str | None) -> tuple[str, str]:
    """The pair compared first: the active run (else the best ticked) against the plain baseline
    (else the next best ticked), so the question is "does my model beat the yardstick?"."""
    ids = [r.id for r in chosen]
    first = active if active in ids else ids[0]
    family = {r.id: describe(r)["family"] for r in chosen}
    second = next((i for i in ids if i != first and family[i] == "baseline"), None)
    return first, second or next(i for i in ids if i != first)


def shown_columns(board) -> list[str]:
    """The board's columns less those that say nothing here, so it fits its box without sideways scrolling.

    A notes column with no tags or memberships, an encoder column the run labels already say, and a
    task or state that every run shares, are left out (the caption above says they are all scored on
    the same test split); while presenting, the ids and sizes too.
    """
    quiet = {"family"}
    if not board["name"].astype(bool).any():
        quiet.add("name")
    for column in ("task", "state"):
        if board[column].nunique(dropna=False) <= 1:
            quiet.add(column)
    # runs without a title are labelled by their encoder ("bag-of-words MLP · 5764"): the column repeated it
    if all(str(label).startswith(str(encoder)) for label, encoder in zip(board["label"], board["encoder"])):
        quiet.add("encoder")
    if presenter.active():  # ids and sizes are for the operator; the grid is zoomed for a projector
        quiet |= {"run", "parameters"}
    # the label first (it is what the legends say), the full id last (for the command line)
    middle = [column for column in board.columns if column not in quiet | {"label", "run"}]
    return ["label", *middle, *([] if "run" in quiet else ["run"])]


shown_board = board.assign(**{"vs baseline": shown_margins(board["vs baseline"])}) if "vs baseline" in board else board
# before an audience the scores as Evaluate and the verdict above say them, "94.2%", not "0.9421"
in_percent = presenter.active()
if in_percent:
    shown_board = shown_board.assign(**{key: 100 * shown_board[key] for key in ("accuracy", "macro-F1")})
score_format, score_top = ("%.1f%%", 100) if in_percent else ("%.4f", 1)
event = st.dataframe(
    # only the shown columns: the grid's show/hide menu listed the hidden ones too, "family" in English
    shown_board[shown_columns(board)],
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="multi-row",
    selection_default={"selection": {"rows": default, "columns": []}},
    column_order=shown_columns(board),
    placeholder="–",
    # a new set of runs is a new board: the selection made on the old one (by row number) must not carry over
    key="leaderboard_" + hashlib.sha1(" ".join(board["run"]).encode()).hexdigest()[:8],
    # the labels a reader sees; the frame keeps its English column names (code and tests read them)
    column_config={
        # an ensemble member's id runs to 50 characters and pushed the last columns out of the box
        # pinned: on a phone the scores scroll sideways, and without their names they meant nothing
        "label": st.column_config.TextColumn(t("run"), width="medium", pinned=True),
        # the last column, wide enough for a whole id (28 characters): "quickst…" could not be copied to the CLI
        "run": st.column_config.TextColumn(t("id"), width=230),
        "name": st.column_config.TextColumn(t("notes"), width="medium"),
        "encoder": t("encoder"),
        "task": t("task"),
        "parameters": st.column_config.NumberColumn(t("parameters"), format="localized"),
        # wide enough for the number beside its bar: squeezed, every run read "0.9"
        "accuracy": st.column_config.ProgressColumn(
            t("accuracy"), min_value=0, max_value=score_top, format=score_format, width=130
        ),
        "vs baseline": st.column_config.NumberColumn(
            t("vs baseline"),
            format=t("%+.1f pt"),
            help=t(
                "Accuracy in percentage points against the best TF-IDF + LR baseline on this dataset "
                "(the baseline itself: +0.0)."
            ),
        ),
        "macro-F1": st.column_config.NumberColumn(t("macro-F1"), format=score_format),
        # the whole run: a 90-s budget read as 155 s under "train s", its evaluation and map included
        "train s": st.column_config.NumberColumn(
            t("run time (s)"),
            format="%.1f",
            help=t(
                "From start to finish: reading the data, training, evaluating, and embedding the texts for the map."
            ),
        ),
        "latency ms": st.column_config.NumberColumn(
            t("latency (ms)"), format="%.2f", help=t("Median time to classify one text, after loading.")
        ),
        "state": t("state"),
    },
)
if not presenter.active():  # for a paper or a spreadsheet: the figures as shown, headed in the page's words
    from core.export import for_spreadsheets, safe_csv
    from ui.leaderboard import export_frame, markdown_table

    headers = {
        "label": t("run"),
        "encoder": t("encoder"),
        "task": t("task"),
        "accuracy": t("accuracy"),
        "vs baseline": t("vs baseline (pt)"),
        "macro-F1": t("macro-F1"),
        "parameters": t("parameters"),
        "train s": t("run time (s)"),
        "latency ms": t("latency (ms)"),
        "run": t("id"),
    }
    table = export_frame(board, headers)
    downloads = st.columns(2)
    downloads[0].download_button(
        t("Download the board as CSV"),
        for_spreadsheets(safe_csv(table)),
        file_name=f"{dataset}-leaderboard.csv",
        mime="text/csv",
        icon=":material/download:",
        key="board_csv",
    )
    downloads[1].download_button(
        t("Download the board as Markdown"),
        markdown_table(table).encode("utf-8"),
        file_name=f"{dataset}-leaderboard.md",
        mime="text/markdown",
        icon=":material/download:",
        key="board_markdown",
    )
# one setting trained with several seeds: its spread beside the single runs (four seeds of one MLP spread
# over 1.6 pt, wider than most gaps on the board, and the headline crowned one of them)
seeds = seed_groups(board, {run_id: by_id[run_id].config() for run_id in board["run"]})
if not seeds.empty:
    st.caption(
        t(
            "Settings trained with more than one seed: how far a score moves by chance alone. A gap between "
            "two runs smaller than this spread says little."
        )
    )
    st.dataframe(
        seeds,
        hide_index=True,
        width="stretch",
        column_config={
            "setting": st.column_config.TextColumn(t("setting"), width="medium", pinned=True),
            "runs": st.column_config.TextColumn(t("runs"), width="medium"),
            "seeds": st.column_config.NumberColumn(t("seeds")),
            "mean accuracy": st.column_config.NumberColumn(t("accuracy, mean"), format="%.4f"),
            "sd": st.column_config.NumberColumn(
                t("± sd"), format="%.4f", help=t("Standard deviation of the accuracy over the seeds.")
            ),
            "lowest": st.column_config.NumberColumn(t("lowest"), format="%.4f"),
            "highest": st.column_config.NumberColumn(t("highest"), format="%.4f"),
            "mean macro-F1": st.column_config.NumberColumn(t("macro-F1, mean"), format="%.4f"),
        },
    )
picked_rows = event.selection.rows if event and event.selection and event.selection.rows else default
if event and event.selection and event.selection.rows and sorted(event.selection.rows) != default:
    # ticked by hand: kept for the next visit (the defaults are worked out afresh each time)
    st.session_state["compare_ticked"][dataset] = {
        "ticked": [board.loc[i, "run"] for i in picked_rows],
        "board": list(board["run"]),
    }
chosen = [by_id[board.loc[i, "run"]] for i in picked_rows]
names = distinct_labels({r.id: short_name(r) for r in chosen})  # runs of two datasets may share a name
from core.bundle import model_problem  # noqa: E402 (a header read per ticked run)

broken = [r for r in chosen if r.status().get("state") == "done" and model_problem(r) is not None]
if broken:
    st.warning(
        t(
            "The model file of {runs} is damaged or missing: its scores stand, but it cannot classify the texts "
            "below. Start it again on the Train page.",
            runs=listed([md(names[r.id]) for r in broken]),
        ),
        icon=":material/broken_image:",
    )
# one colour per run on every chart: the baseline has no curve, so by position the others changed colour
# (and from view to view: by the run's row in the table, not by its place among those ticked)
# (and from page to page: the baseline orange, the others by their age among the dataset's runs)
stable = charts.run_colours(colour_order(everything), plain.id if plain is not None else None, [r.id for r in chosen])
colours = {names[r.id]: stable[r.id] for r in chosen}


@st.cache_data(show_spinner=False, max_entries=256)
def duel_answer(run_id: str, stamp: str, sentence: str) -> tuple[str, float]:
    """A run's answer to a duel sentence, kept: with more runs ticked than models the server keeps
    loaded (six), every rerun loaded each model again, seconds a keystroke for Transformers."""
    from ui.resources import _predictor  # without its spinner: a cached function replays what it drew

    model = _predictor(run_id, stamp)
    proba = model.predict_proba([sentence])[0]
    top = int(np.argmax(proba))
    return model.labels[top], float(proba[top])


def duel(chosen: list) -> None:
    """One sentence, every chosen model's answer: the demo's favourite, so first while presenting."""
    st.subheader(t("Duel: one sentence, every chosen model"))
    # answered as the user types, as the Playground does (it waited for Enter; the answers are kept per sentence)
    sentence = st.text_input(t("Sentence"), key="duel_text", placeholder=t("Type a sentence"), live="400ms")
    if sentence.strip():
        rows = []
        for r in chosen:
            try:
                label, confidence = duel_answer(r.id, run_stamp(r), sentence)
            except StudioError as exc:
                st.error(t("The model of run {run} cannot be loaded: {error}", run=md(r.id), error=md(tm(exc))))
                continue
            rows.append(
                {"model": names[r.id], "prediction": label, "confidence": charts.probability_percent(confidence)}
            )
        st.dataframe(
            rows,
            hide_index=True,
            width="stretch",
            column_config={
                "model": i18n.header("model", "model (in the duel)"),
                "prediction": t("prediction"),
                "confidence": st.column_config.ProgressColumn(
                    # 0.9997 read "1.000"; a percentage to a tenth, as the Playground's headline shows it
                    # ("0.9564" here beside "95.6%" there, then "64.58%" beside "64.6%", read as two answers)
                    t("confidence"),
                    min_value=0,
                    max_value=100,
                    format="%.1f%%",
                ),
            },
        )


if chosen and presenter.active():  # three screens down, below the curves, an audience never reached it
    duel(chosen)

if chosen:
    series, fitted_at_once = {}, []
    for r in chosen:
        evals = [m for m in r.metrics() if m.get("event") == "eval" and "val/accuracy" in m]
        if evals:
            series[names[r.id]] = ([m["epoch"] for m in evals], [m["val/accuracy"] for m in evals])
        else:
            fitted_at_once.append(names[r.id])
    if series:  # a heading over no chart where only baselines and ensembles were chosen
        st.subheader(t("Learning curves"))
        st.plotly_chart(
            presenter.scale(
                charts.overlaid_curves(
                    series, t("Validation accuracy per epoch"), t("accuracy"), unit_interval=True, colours=colours
                )
            ),
            key="curves",
        )
        if fitted_at_once:  # four runs chosen, one line drawn: say where the other three went
            st.caption(
                t(
                    "No curve for {runs}: fitted in one go, or made of other runs, with no epochs to plot.",
                    runs=md(listed(fitted_at_once)),
                )
            )
    labels = chosen[0].eval()["labels"]
    # a class with no test texts has no F1 (sklearn's 0 would be marked "never right"): no bar, no ×
    f1 = {
        names[r.id]: [c["f1"] if c.get("support", 1) else float("nan") for c in r.eval()["per_class"]]
        for r in chosen
        if r.eval()["labels"] == labels
    }
    if len(labels) > F1_CLASSES:
        # 150 classes made 300 bars under a band of overlapping names: the classes that need work, in label order
        def lowest(i: int) -> float:  # a class with no test texts (no F1) last
            return min((v[i] for v in f1.values() if v[i] == v[i]), default=2.0)

        worst = sorted(range(len(labels)), key=lambda i: (lowest(i), labels[i]))[:F1_CLASSES]
        keep = sorted(worst)
        labels = [labels[i] for i in keep]
        f1 = {name: [values[i] for i in keep] for name, values in f1.items()}
    st.plotly_chart(presenter.scale(charts.grouped_bars(labels, f1, t("F1 per class"), colours)), key="per_class_f1")
    total = len(chosen[0].eval()["labels"])
    marked = len(labels) * len(f1) > charts.GROUPED_BAR_LABELS and any(v == 0 for values in f1.values() for v in values)
    if len(labels) < total or marked:
        st.caption(
            sentences(
                t(
                    "The {shown} classes with the lowest F1 in any of these runs, of {total:,}; Evaluate lists every "
                    "class.",
                    shown=len(labels),
                    total=total,
                )
                if len(labels) < total
                else "",
                t("An × marks a class a run never got right.") if marked else "",
            )
        )


AGREEMENT_CLASSES = 30  # classes drawn in the agreement matrix, at most


def same_test_texts(a, b) -> bool:
    """Whether two runs were scored on the same rows and classes (runs from before the dataset was
    imported again under its id have other ones)."""
    if a.eval()["labels"] != b.eval()["labels"]:
        return False
    prints = [run.config().get("data_fingerprint") for run in (a, b)]
    return None in prints or prints[0] == prints[1]  # runs older than fingerprints: as before


def head_to_head(a, b) -> None:
    """The agreement matrix, McNemar's test and the texts two runs disagree on."""
    from core.evaluation import mcnemar
    from ui.leaderboard import paired_test

    test = paired_test(a, b)
    labels = a.eval()["labels"]
    index = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=int)
    for x, y in zip(test["pred_a"], test["pred_b"]):
        matrix[index[x], index[y]] += 1
    result = mcnemar(test["label"].map(index), test["pred_a"].map(index), test["pred_b"].map(index))
    st.markdown(
        duel_headline(
            names[a.id],
            names[b.id],
            result.only_a_right,
            result.only_b_right,
            len(test),
            result.p_value,
            with_p=not presenter.active(),
        )
    )
    cols = st.columns([3, 2])
    from core.evaluation import most_confused

    # the classes the two disagree on most, as Evaluate's matrix: 1,000 classes drew a million cells,
    # 6 MB of chart at every rerun (each sentence typed in the duel took 10 s)
    keep = most_confused(matrix, AGREEMENT_CLASSES)
    cols[0].plotly_chart(
        presenter.scale(
            charts.agreement_heatmap(matrix[np.ix_(keep, keep)], [labels[i] for i in keep], names[a.id], names[b.id])
        ),
        key="agreement",
    )
    if len(keep) < len(labels):
        cols[0].caption(
            t("The {shown} classes the two models disagree on most, of {total:,}.", shown=len(keep), total=len(labels))
        )
    with cols[1]:
        st.metric(t("Agreement"), f"{np.trace(matrix) / max(1, matrix.sum()):.1%}")
    # the test's name and its p-value are the operator's: the sentence above says the verdict in words
    # ("Chance of a gap this big by luck 1.0000" read as "100% luck")
    if not presenter.active():
        with cols[1]:
            st.metric(
                t("McNemar p-value"),
                p_value_text(result.p_value),
                help=t("Chance of a difference at least this large if both models were equally accurate."),
            )
            # whole sentences, one per (test, verdict): the words go in a different order in Chinese
            verdicts = {
                (True, True): t(
                    "Only {a} right: {only_a} · only {b} right: {only_b} · exact binomial test → significant at 5%."
                ),
                # p between 0.005 and 0.05: "significant at 5%" here, "weak evidence" in the sentence above
                (True, "weak"): t(
                    "Only {a} right: {only_a} · only {b} right: {only_b} · exact binomial test → significant at 5% "
                    "alone; weak evidence with several runs compared."
                ),
                (False, "weak"): t(
                    "Only {a} right: {only_a} · only {b} right: {only_b} · χ² test with continuity correction → "
                    "significant at 5% alone; weak evidence with several runs compared."
                ),
                (True, False): t(
                    "Only {a} right: {only_a} · only {b} right: {only_b} · "
                    "exact binomial test → no significant difference at 5%."
                ),
                (False, True): t(
                    "Only {a} right: {only_a} · only {b} right: {only_b} · "
                    "χ² test with continuity correction → significant at 5%."
                ),
                (False, False): t(
                    "Only {a} right: {only_a} · only {b} right: {only_b} · "
                    "χ² test with continuity correction → no significant difference at 5%."
                ),
            }
            st.caption(
                verdicts[
                    (bool(result.exact), "weak" if 0.005 <= result.p_value < 0.05 else bool(result.p_value < 0.05))
                ].format(a=md(names[a.id]), only_a=result.only_a_right, b=md(names[b.id]), only_b=result.only_b_right)
            )
    # the run names head their columns as labels only: a run titled "text" or "label" named two columns
    # alike, and Arrow refused the table with a traceback in place of the rest of the page
    disagree = test[test["pred_a"] != test["pred_b"]]
    if disagree.empty:  # an empty table under "0 test texts" reads as something that failed to load
        st.success(t("They agree on every test text."), icon=":material/check_circle:")
    else:
        st.caption(plural(t("{n} test text(s) where they disagree", n=len(disagree)), len(disagree)))
        # the text last: first, at 1,024 px it hid both models' predictions
        shown = disagree[[c for c in disagree.columns if c != "text"] + ["text"]]
        st.dataframe(
            shown.head(300),
            hide_index=True,
            width="stretch",
            column_config={
                "text": t("text"),
                "label": t("label"),
                "pred_a": st.column_config.TextColumn(names[a.id]),
                "pred_b": st.column_config.TextColumn(names[b.id]),
            },
        )


if len(chosen) >= 2:
    by_chosen = {r.id: r for r in chosen}
    pair = head_to_head_default(chosen, state.get("run"))
    picks = st.columns(2)
    # the pair picked before a visit to another page, while both are still ticked (Streamlit drops a
    # widget's value once a page without it runs, and A and B came back as the defaults)
    state.restore_widgets("duel_a", "duel_b")
    if st.session_state.get("duel_a") not in by_chosen:
        st.session_state.pop("duel_a", None)
    a_id = picks[0].selectbox(
        t("Model A"),
        list(by_chosen),
        format_func=names.get,
        key="duel_a",
        **({} if "duel_a" in st.session_state else {"index": list(by_chosen).index(pair[0])}),
    )
    others = [run_id for run_id in by_chosen if run_id != a_id]
    if st.session_state.get("duel_b") not in others:
        st.session_state.pop("duel_b", None)
    b_id = picks[1].selectbox(
        t("Model B"),
        others,
        format_func=names.get,
        key="duel_b",
        **({} if "duel_b" in st.session_state else {"index": others.index(pair[1]) if pair[1] in others else 0}),
    )
    state.keep_widgets("duel_a", "duel_b")
    a, b = by_chosen[a_id], by_chosen[b_id]
    st.subheader(t("Head to head: {a} vs {b}", a=md(names[a.id]), b=md(names[b.id])))
    # every run's per-text results are needed: a missing file is named, with the button that rebuilds
    # it, and the sections below still draw (a traceback took the rest of the page with it)
    if not same_test_texts(a, b):
        # McNemar pairs the two runs' answers text by text: on another import of the dataset the
        # test split (or the classes) differ, and a pairing by text would compare unlike things
        st.info(
            t(
                "These two runs were trained on different versions of this dataset (it was imported again "
                "between them, so its test texts or classes differ): they cannot be compared text by text. "
                "Pick two runs trained since the last import."
            ),
            icon=":material/info:",
        )
    elif all([jobs.artefacts_ready(run, t("the head-to-head")) for run in (a, b)]):  # both named when missing
        head_to_head(a, b)

if chosen and not presenter.active():
    duel(chosen)


label_efficiency_section(dataset)
