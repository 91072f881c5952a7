"""The Train page's live panel: a run's progress, numbers and controls while it trains, and what it
scored and what to do next once it is done."""

import re
import time

import streamlit as st

from core.errors import StudioError
from core.registry import DatasetStore, RunDir, RunStore
from core.workers import failed_on_older_weights, side_job, stop, submit_training
from core.workers import queue as training_queue
from ui import charts, jobs, presenter, state
from ui.actions import SERVER_CORES
from ui.i18n import duration_text, estimate_text, listed, plural, sentences, t, tm
from ui.safe_text import md
from ui.sidebar import (
    dataset_name,
    dataset_title,
    distinct_labels,
    is_gone,
    member_name,
    name_or_id,
    run_label,
    short_name,
)

STATUS_EVERY_S = 2.0  # progress, numbers and Stop


def run_error(status: dict) -> str:
    """A run's error in the reader's language; before an audience without the process's pid and host."""
    error = tm(status.get("error") or "")
    if presenter.active():
        error = re.sub(r"\s?[(（]pid \d+[^)）]*[)）]", "", error)
    return error


def epoch_text(epoch: float, planned: int | None) -> str:
    """``3.4 of 20`` while an epoch runs, ``8 of 20`` at its end (no ``8.00``)."""
    shown = f"{epoch:.0f}" if abs(epoch - round(epoch)) < 0.005 else f"{epoch:.1f}"
    return t("{epoch} of {planned}", epoch=shown, planned=planned) if planned else shown


def device_caption(run, status: dict) -> None:
    """Where the run trains: the device, its precision, threads and processes, and each rank's pace."""
    start = next((m for m in reversed(run.metrics()) if m.get("event") == "fit_start"), None)
    if not start:
        return
    parts = [md(str(start.get("device_name") or start.get("device")))]
    parts.append(str(start.get("precision", "fp32")))
    if start.get("device") == "cpu":
        threads = start.get("threads", 1)
        parts.append(plural(t("{threads} thread(s) per process", threads=threads), threads))
    processes = int(start.get("processes") or 1)
    if processes > 1:
        parts.append(t("{processes} data-parallel processes", processes=processes))
    if status.get("device_memory_gb"):
        parts.append(t("{memory:.1f} GB of device memory at peak", memory=status["device_memory_gb"]))
    st.caption(" · ".join(parts))
    rates = status.get("rank_throughput")
    if processes > 1 and rates and status.get("state") == "running":
        st.caption(
            t(
                "Texts per second in each process: {rates}",
                rates=" · ".join(f"#{i} {r:,.0f}" for i, r in enumerate(rates)),
            )
        )


def watched_dataset_name(run) -> str:
    """The name of the dataset ``run`` trains on (its id when the dataset cannot be read)."""
    from core.registry import DatasetStore

    dataset = str(run.config().get("dataset") or "")
    try:
        return dataset_name(DatasetStore().info(dataset))
    except (StudioError, OSError, ValueError):
        return dataset


def best_epoch_kept(run, metrics: list[dict]) -> str | None:
    """The epoch whose weights a classifier kept, when it is not its last one (None otherwise): the best
    validation score (``val/selection``, as the trainer picks), the earliest of equals."""
    if run.config().get("task") == "pretrain":
        return None  # no validation score picks its weights: the last ones are kept
    # from the step the trainer began to choose at (a small validation set holds the choice back)
    start = next((m for m in reversed(metrics) if m.get("event") == "fit_start"), {})
    select_from = int(start.get("select_from_step") or 0)
    evals = [
        m
        for m in metrics
        if m.get("event") == "eval" and m.get("val/selection") is not None and int(m.get("step") or 0) >= select_from
    ]
    if len(evals) < 2:
        return None
    best = max(range(len(evals)), key=lambda i: (evals[i]["val/selection"], -i))
    if best == len(evals) - 1:
        return None
    epoch = float(evals[best]["epoch"])
    return f"{epoch:.0f}" if epoch.is_integer() else f"{epoch:.2f}"


def early_stop_text(run, metrics: list[dict], epoch: float, planned: int) -> str:
    """Why a done run ended before its planned epochs, in words: the time budget or early stopping."""
    from core.training.callbacks import stop_reason

    train = run.config().get("train", {})
    patience, budget = train.get("patience"), train.get("time_budget_s")
    reason = stop_reason(metrics) or ("time budget" if budget else "early_stopping" if patience else None)
    if run.config().get("task") == "pretrain":  # no validation score picks its weights: the last ones are kept
        if reason == "time budget" and budget:
            return t(
                "Stopped in epoch {epoch} of {planned}: the time budget of {budget} s ran out.",
                epoch=f"{epoch:.1f}",
                planned=planned,
                budget=f"{budget:g}",
            )
        return t("Stopped in epoch {epoch} of {planned}.", epoch=f"{epoch:.1f}", planned=planned)
    if reason == "max_steps":  # a cap of steps, not a score that stopped improving
        return t(
            "Stopped in epoch {epoch} of {planned}: it reached its cap of {steps:,} steps (max_steps).",
            epoch=f"{epoch:.1f}",
            planned=planned,
            steps=int(train.get("max_steps") or 0),
        )
    if reason == "time budget" and budget:
        return t(
            "Stopped in epoch {epoch} of {planned}: the time budget of {budget} s ran out. The best weights so far were kept.",
            epoch=f"{epoch:.1f}",
            planned=planned,
            budget=f"{budget:g}",
        )
    if reason == "early_stopping" and patience:
        return plural(
            t(
                "Stopped early after epoch {epoch} of {planned}: the validation score had not improved for {patience} epoch(s). The best epoch's weights were kept.",
                epoch=round(epoch),
                planned=planned,
                patience=patience,
            ),
            patience,
        )
    return t(
        "Stopped after epoch {epoch} of {planned}; the best epoch's weights were kept.",
        epoch=f"{epoch:.1f}",
        planned=planned,
    )


def has_controls(run, status: dict) -> bool:
    """True when ``control_buttons`` has something to offer: all but a finished run with a sound model."""
    current = status.get("state")
    if current in ("queued", "running", "stopped", "interrupted", "failed"):
        return True
    from core.training.runner import model_problem

    return current == "done" and model_problem(run) is not None


def control_buttons(run, status: dict, slot) -> None:
    """Stop (disabled once asked), Resume, Start again, Evaluate: what fits the run's state."""
    current = status.get("state")
    run_id = run.id
    if current in ("queued", "running"):
        stopping = bool(status.get("stopping"))
        if slot.button(
            t("Stopping…") if stopping else t("Cancel") if current == "queued" else t("Stop"),
            icon=":material/stop:",
            key=f"stop_{run_id}",
            type="secondary",
            disabled=stopping,
        ):
            stop(run)
            st.rerun()
        return
    from core.training.runner import model_problem

    broken = current == "done" and model_problem(run) is not None  # its scores stand; it cannot classify
    if current not in ("stopped", "interrupted", "failed") and not broken:
        return
    evaluation = side_job(run, "evaluate")
    if evaluation is not None and evaluation.get("state") in ("starting", "running"):
        # its worker holds the run: a click was refused with "stop it first", and there is no Stop
        slot.button(
            t("Resume") if (run.checkpoint_dir / "state.pt").is_file() and not broken else t("Start again"),
            icon=":material/hourglass_top:",
            key=f"wait_{run_id}",
            disabled=True,
            help=t("The saved weights are being evaluated; this is offered again when that has ended."),
        )
        return
    try:
        if (run.checkpoint_dir / "state.pt").is_file() and not broken:
            if slot.button(t("Resume"), icon=":material/resume:", key=f"resume_{run_id}"):
                submit_training(run, "resume", reserve_cores=SERVER_CORES)
                st.rerun()
        elif slot.button(
            t("Start again"),
            icon=":material/restart_alt:",
            key=f"restart_{run_id}",
            help=t("Same settings; members that finished are used as they are.")
            if run.config().get("encoder") == "ensemble"
            else t("Same settings, from scratch."),
        ):
            # a finished run's broken model goes: there is nothing in it, or in its checkpoint, to continue
            submit_training(run, "restart", reserve_cores=SERVER_CORES, force=broken)
            st.rerun()
    except StudioError as exc:
        st.error(md(tm(exc)))


def scores_against_the_guess(said: str, report: dict, box) -> None:
    """A pretraining's scores (``said``) beside the guess that reads no context: a warning where the run
    is still on that plateau, else ``box`` (``st.success``, ``st.info``) with the guess's figures below."""
    from core.evaluation import frequency_reference

    reference = frequency_reference(report) if report.get("task") == "pretrain" else None
    if reference and reference[0]:
        st.warning(said + "  \n" + tm(reference[1]), icon=":material/warning:")
        return
    box(said)
    if reference:
        st.caption(tm(reference[1]))


def evaluation_step(run, status: dict) -> None:
    """A stopped run is evaluated only on request, in a worker; show that step and its progress."""
    job = side_job(run, "evaluate")
    if job is not None and job.get("state") in ("starting", "running"):
        jobs.watch(run, "evaluate", t("Evaluating the checkpoint in the background"))
        return
    if job is not None and job.get("state") == "failed" and not failed_on_older_weights(run, job):
        st.error(t("The evaluation failed: {error}", error=md(tm(job.get("error") or ""))))
    report = run.eval()
    if report and status.get("evaluated"):
        if report.get("task") == "pretrain":  # it has no accuracy: "test accuracy nan" was shown
            said = (
                t(
                    "The checkpoint as it stands: held-out MLM loss {loss:.3f}, masked-token accuracy "
                    "{accuracy:.3f}, perplexity {perplexity:.1f}.",
                    loss=report["mlm_loss"],
                    accuracy=report["masked_accuracy"],
                    perplexity=report["perplexity"],
                )
                if report.get("mlm_loss") is not None
                else t("The checkpoint is evaluated; this run held out no texts, so it has no held-out score.")
            )
        else:
            said = t("The checkpoint as it stands: test accuracy {accuracy:.4f}.", accuracy=report["accuracy"])
        # as Done says it: a checkpoint stopped early, worse than the no-context guess, sat in a plain blue box
        # beside "Fine-tune it"
        scores_against_the_guess(said, report, st.info)
        st.page_link(
            "pages/evaluate.py", label=t("See the evaluation"), icon=":material/analytics:", query_params=state.params()
        )
    elif (
        run.model_path.is_file()
        and st.button(t("Evaluate this checkpoint"), icon=":material/analytics:", key=f"evaluate_{run.id}")
        and jobs.start_job(run, "evaluate", "evaluate")  # not started: the reason is on the page
    ):
        st.rerun()


def queue_message(run, status: dict) -> str:
    """Where a queued run stands. Its worker counts the runs ahead once it is up; until then, the queue says."""
    ahead = status.get("ahead")
    if ahead is None:  # just submitted: every live run in the queue was submitted before it
        waiting = training_queue()
        ahead = waiting.index(run.id) if run.id in waiting else len(waiting)
    if ahead == 0:
        return t("Queued: starting as soon as its worker is up.")
    return (
        t("Queued behind 1 run. One training job runs at a time on this machine.")
        if ahead == 1
        else t("Queued behind {ahead} runs. One training job runs at a time on this machine.", ahead=ahead)
    )


def against_the_baseline(run: RunDir, report: dict) -> None:
    """The Done line's accuracy beside the baseline's on the same test texts: a Transformer's "Done: test
    accuracy 0.7550" read as a result, and the baseline's 0.7800 showed only on Evaluate and Compare.
    Said as Evaluate says it: a gap that could be chance is said to be, and a run on a share of the
    labels is measured against a baseline that had all of them."""
    from ui.actions import baseline_run
    from ui.i18n import p_statement, percent_text

    cfg = run.config()
    base = baseline_run(cfg.get("dataset"), cfg.get("data_fingerprint"))
    if base is None or base.id == run.id:
        return
    if base.status().get("state") in ("queued", "running"):
        # the line's place, held while the baseline trains: appearing seconds after "Done", it pushed the
        # page down under a presenter's pointer
        st.caption(
            t("A simple keyword model is training on the same texts, for comparison: its score appears here.")
            if presenter.active()
            else t(
                "The TF-IDF + LR baseline is training on the same texts: the comparison appears here when it is done."
            )
        )
        return
    if base.status().get("state") != "done":
        return
    theirs = (base.eval() or {}).get("accuracy")
    if not isinstance(theirs, (int, float)):
        return
    gap = round(100 * (float(report["accuracy"]) - float(theirs)), 1) + 0.0
    presenting = presenter.active()  # an audience knows neither "baseline" nor TF-IDF
    said = dict(gap=abs(gap) if gap < 0 else gap, base=presenter.score(theirs))
    if gap < 0:
        line = (
            t("A simple keyword model scores {base} on the same test texts: this run is {gap:.1f} pt below it.", **said)
            if presenting
            else t(
                "The TF-IDF + LR baseline scores {base} on the same test texts: this run is {gap:.1f} pt below it.",
                **said,
            )
        )
    else:
        line = (
            t("{gap:+.1f} pt against a simple keyword model ({base}) on the same test texts.", **said)
            if presenting
            else t("{gap:+.1f} pt against the TF-IDF + LR baseline ({base}) on the same test texts.", **said)
        )
    share = float(cfg.get("label_fraction") or 1.0)
    fewer = (
        t("The baseline learned from all the labels, this run from {share} of them.", share=percent_text(share))
        if share < 1
        else ""
    )
    chance = None
    if gap:  # None where either run's per-text results cannot be read: the gap is said without its test
        from ui.leaderboard import against_baseline

        chance = against_baseline(run, base)
    maybe = ""
    if chance is not None and chance.p_value >= 0.05:
        maybe = (
            t("The gap could be chance.")
            if presenting
            else t("The gap could be chance ({p}).", p=p_statement(chance.p_value))
        )
    text = sentences(line, fewer, maybe)
    if gap < 0 and not maybe:
        st.info(text, icon=":material/info:")
    else:
        st.caption(text)


def best_member_above(report: dict) -> tuple[str, float] | None:
    """``(name, test accuracy)`` of an ensemble's best member when it alone scores above the ensemble."""
    scored = [m for m in report.get("members") or [] if isinstance(m.get("test_accuracy"), int | float)]
    if not scored:
        return None
    best = max(scored, key=lambda m: m["test_accuracy"])
    if float(best["test_accuracy"]) <= float(report.get("accuracy") or 0.0):
        return None
    try:
        name = short_name(RunStore().get(str(best["run"])))
    except (StudioError, OSError, ValueError):  # the member run is gone: its id
        name = str(best["run"])
    return name, float(best["test_accuracy"])


def finetune_next(run) -> None:
    """Under a finished pretraining: the next step in two clicks, a labelled dataset and "Fine-tune
    it", which opens the form with this run as the source (finding it took a dataset switch, the New
    run form and the task radio). The built-in datasets are offered too, loaded on the click: "Import
    a labelled dataset on the Data page" sent a user away from three that were one click off."""
    from core.catalog import list_builtins
    from core.text import dominant_of_counts

    store = DatasetStore()
    stored = {d.id: d for d in store.list() if d.labels}
    builtins = {b.name: b for b in list_builtins() if b.name not in stored}
    current = state.get("dataset")
    try:
        learned = dominant_of_counts(store.info(run.config().get("dataset")).languages)
    except (StudioError, OSError):
        learned = None

    def language(dataset_id: str) -> str | None:
        if dataset_id in stored:
            return dominant_of_counts(stored[dataset_id].languages)
        return builtins[dataset_id].language

    # this dataset first (when it has labels), then those in the language the encoder learned: an
    # English encoder was offered the Chinese and English starter set first
    choices = sorted([*stored, *builtins], key=lambda d: (d != current, language(d) != learned, d in builtins))
    titles = distinct_labels(
        {
            **{d: dataset_title(d) for d in stored},
            **{name: t("{title} (built-in, loaded on the click)", title=t(b.title)) for name, b in builtins.items()},
        }
    )
    cols = st.columns([3, 1], vertical_alignment="bottom")
    target = cols[0].selectbox(t("Fine-tune it on"), choices, format_func=titles.get, key=f"finetune_on_{run.id}")
    if cols[1].button(t("Fine-tune it"), icon=":material/tune:", key=f"finetune_next_{run.id}", type="primary"):
        if target in builtins:
            with st.spinner(t("Loading {dataset}…", dataset=t(builtins[target].title))):
                target = store.ensure_builtin(target).id
        st.session_state["task"] = "finetune"
        st.session_state.pop("task_forced", None)  # chosen on purpose: not the reset of a forced "Pretrain"
        st.session_state["source_run"] = run.id
        state.set("dataset", target)
        state.set("run", None, on_purpose=True)  # the New run form opens, with this run as its source
        st.rerun(scope="app")


def deleted(run) -> bool:
    """True when ``run``'s folder (its config) is gone: deleted in another tab or from the CLI while a
    fragment of this page kept polling it."""
    return not (run.path / "config.json").is_file()


def live_panel(run_id: str) -> None:
    """Progress, curves and Stop for one run; polls while the run is active."""
    run = RunStore().get(run_id)
    # what the sidebar's run label says: the run may have ended since the sidebar looked
    drawn_state = (st.session_state.get("sidebar_drawn_states") or {}).get(run_id) or run.status().get("state")
    active = drawn_state in ("queued", "running")

    @st.fragment(run_every=STATUS_EVERY_S if active else None)
    def panel() -> None:
        if deleted(run):  # in another tab, or from the CLI: a traceback stayed, polled for ever
            st.rerun(scope="app")
        status = run.status()
        current = status.get("state", "unknown")
        # a finished run has no buttons: a column kept empty for them wrapped its title at two thirds
        header = st.columns([3, 1]) if has_controls(run, status) else [st.container()]
        header[0].subheader(md(run_label(run, status, with_id=False)))
        if not presenter.active():  # an audience reads the run's name; the id is for the operator
            source = run.config().get("source_run")
            header[0].caption(
                # its lineage: Evaluate and Compare named it, the page where it trains not
                (
                    t("run {run} · fine-tuned from run {source} (deleted since)", run=md(run.id), source=md(source))
                    if is_gone(str(source))
                    else t(
                        "run {run} · fine-tuned from run {source}", run=md(run.id), source=md(name_or_id(str(source)))
                    )
                )
                if source
                else t("run {run}", run=md(run.id))
            )
        if len(header) > 1:
            # at the content's right edge: left in its column, Stop floated at three quarters of the width
            control_buttons(run, status, header[1].container(horizontal_alignment="right"))
        if status.get("stopping") and current == "queued":
            # nothing has trained: "the checkpoint is kept" stood for 8 s beside "Queued behind 1 run"
            st.info(t("Cancelling: it leaves the queue without training."), icon=":material/pause_circle:")
        elif status.get("stopping"):
            st.info(t("Stopping after the current batch; the checkpoint is kept."), icon=":material/pause_circle:")
        from core.lease import silent_for

        silent = silent_for(status.get("owner") or {}) if current in ("queued", "running") else None
        if silent is not None:
            pid = (status.get("owner") or {}).get("pid")
            st.warning(
                t(
                    "No sign of life from its worker (pid {pid}) for {duration}: it may be hung, and Stop cannot "
                    "reach it. If it stays so, end it from a terminal (kill {pid}); Resume then continues from the "
                    "last checkpoint.",
                    pid=pid,
                    duration=duration_text(silent),
                ),
                icon=":material/heart_broken:",
            )
        if status.get("from_files") and current in ("done", "stopped", "running"):  # the others carry an error
            st.caption(t("Its status.json cannot be read: the state shown was read from the run's files."))
        if current == "queued":
            st.info(queue_message(run, status), icon=":material/hourglass_top:")
        progress = float(status.get("progress") or 0.0)
        eta = status.get("eta_s")
        # the ETA counts every planned epoch; with early stopping on, the run may well end sooner
        stops_early = int((run.config().get("train") or {}).get("patience") or 0) > 0
        text = (
            (
                t(
                    "{progress:.0%} · about {eta} left, less if it stops early",
                    progress=progress,
                    eta=estimate_text(eta),
                )
                if stops_early
                else t("{progress:.0%} · about {eta} left", progress=progress, eta=estimate_text(eta))
            )
            if eta is not None and current == "running"
            else f"{progress:.0%}"
        )
        from core.training.runner import (
            BASELINE_PHASE,
            CHECKING_PHASE,
            EVALUATING_PHASE,
            FINAL_PHASE,
            PREPARING_PHASE,
            WEIGHING_PHASE,
        )

        embedding = current == "running" and status.get("phase") == FINAL_PHASE
        phase_line = None
        if current == "running" and status.get("phase"):
            phase = status["phase"]
            phases = {
                WEIGHING_PHASE: t("Weighing the members on the validation split"),
                EVALUATING_PHASE: t("Evaluating the ensemble on the test split"),
                FINAL_PHASE: t("Training done; evaluating on the held-out texts…"),
                CHECKING_PHASE: t("Training done; checking the test texts for near-copies of training texts…"),
                PREPARING_PHASE: t("Before the first step: learning the vocabulary and encoding the texts…"),
                BASELINE_PHASE: t("Fitting the TF-IDF features and the logistic regression: one fit, no epochs…"),
            }
            if phase not in phases and status.get("member_spec"):
                spec = status["member_spec"]
                phase_line = t(
                    "Training member {k} of {n}: {name}",
                    k=status.get("member"),
                    n=status.get("members"),
                    name=md(member_name(spec)),
                )
                if status.get("member_eta_s") is not None:  # the ensemble's own bar has no ETA: its members differ
                    # every member family stops early by default: the ETA counts every planned epoch
                    phase_line += " · " + t(
                        "about {eta} left for this member, less if it stops early",
                        eta=estimate_text(float(status["member_eta_s"])),
                    )
            elif phase == PREPARING_PHASE and progress > 0:
                # a resume reads its saved vocabulary: "60% · … learning the vocabulary" said otherwise
                phase_line = t("Resuming: encoding the texts before the next step…")
            else:
                # a phase of its own (tokenising a corpus) is a whole sentence; a member's name follows "Training"
                own = phases.get(phase) or (md(tm(phase)) if phase[:1].isupper() else None)
                phase_line = own or t("Training {phase}", phase=md(phase))
        if current == "running" and status.get("phase") == CHECKING_PHASE:
            # after the embedding's bar: the two bars stay two (back to one, the page jumped again)
            st.progress(1.0, text=t("Training done"))
            st.progress(1.0, text=t("Checking the test texts for near-copies of training texts…"))
        elif embedding and status.get("phase_progress") is not None:
            # the training's bar stays full and the embedding gets a bar of its own: one bar that went from
            # 100% back to 5% for the embedding read as the run starting over
            share = float(status["phase_progress"])
            st.progress(1.0, text=t("Training done"))
            st.progress(
                min(max(share, 0.0), 1.0),
                text=t("Evaluating and embedding every text for the map: {share:.0%}", share=share),
            )
        elif phase_line:
            # the stage under way is the bar's own text: a caption line below it that came and went made
            # everything under the bar jump while the run trained
            st.progress(min(max(progress, 0.0), 1.0), text=f"{progress:.0%} · {phase_line}")
        else:
            st.progress(min(max(progress, 0.0), 1.0), text=text)
        if not presenter.active():  # the machine's make and the float format are the operator's business
            device_caption(run, status)
        metrics = run.metrics()
        steps = [m for m in metrics if m.get("event") == "step"]
        planned = next((m.get("epochs") for m in reversed(metrics) if m.get("event") == "fit_start"), None)
        if current == "failed":
            st.error(t("The run failed: {error}", error=md(run_error(status))), icon=":material/error:")
            if not presenter.active():  # a traceback and pids are the operator's, not an audience's
                with st.expander(t("Log tail")):
                    st.code(run.log_tail(30) or t("(empty)"), language=None)
        elif current == "done":
            report = run.eval() or {}
            if report.get("task") == "pretrain" and report.get("mlm_loss") is None and report.get("n"):
                st.warning(
                    t(
                        "Done, but nothing in the held-out texts could be masked (none of their tokens is in the "
                        "vocabulary), so there is no held-out score. Pretrain on texts like the ones it will read."
                    ),
                    icon=":material/warning:",
                )
            elif report.get("task") == "pretrain" and report.get("mlm_loss") is None:
                st.warning(
                    t(
                        "Done, but no texts were held out, so there is no held-out score. Fine-tune it on a labelled dataset next."
                    ),
                    icon=":material/warning:",
                )
            elif report.get("task") == "pretrain":
                done = t(
                    "Done: held-out MLM loss {loss:.3f}, masked-token accuracy {accuracy:.3f}, perplexity "
                    "{perplexity:.1f}. Fine-tune it on a labelled dataset next.",
                    loss=report["mlm_loss"],
                    accuracy=report["masked_accuracy"],
                    perplexity=report["perplexity"],
                )
                # "Done" over a run that learned only how often each token occurs read as a result
                scores_against_the_guess(done, report, st.success)
            if report.get("task") == "pretrain":
                if steps and planned and round(steps[-1]["epoch"], 1) < planned:
                    st.caption(early_stop_text(run, metrics, steps[-1]["epoch"], planned))
                if not presenter.active():
                    finetune_next(run)
            elif report:
                st.success(
                    t(
                        "Done in {duration}: test accuracy {accuracy}, macro-F1 {macro_f1}.",
                        duration=duration_text(status.get("train_seconds") or 0, decimals=1),
                        # as an audience reads it while presenting (94.2%), as Evaluate and Home say it then
                        accuracy=presenter.score(report["accuracy"]),
                        macro_f1=presenter.score(report["macro_f1"]),
                    )
                )
                from core.evaluation import never_right

                never = never_right(report)
                # as Evaluate says it: where macro-F1 trails accuracy (one rare intent of 150 is not worth a word)
                if (
                    never and report["accuracy"] - report["macro_f1"] >= 0.03
                ):  # "Done: 0.9850" over a model that never once caught the rare class read as a fine one
                    from core.data import shown_label

                    st.warning(
                        plural(
                            t(
                                "It never gets {names} right: none of the {n:,} test text(s) of that class was "
                                "classified as {names}. Evaluate shows each class's scores.",
                                names=md(shown_label(never[0]["label"])),
                                n=int(never[0]["support"]),
                            ),
                            int(never[0]["support"]),
                        )
                        if len(never) == 1
                        else t(
                            "It never gets {n:,} of the {classes:,} classes right ({names}): none of their test texts "
                            "was classified as them. Evaluate shows each class's scores.",
                            n=len(never),
                            classes=len(report.get("per_class") or []),
                            names=md(listed(shown_label(c["label"]) for c in never[:5])),
                        ),
                        icon=":material/balance:",
                    )
                against_the_baseline(run, report)
                below = best_member_above(report)
                if below is not None:  # "Done: 0.8482" read as a win beside a member that scored 0.8520
                    member, best = below
                    st.warning(
                        t(
                            "Its best member alone, {member}, scores {best:.4f}: the ensemble is {gap:.1f} pt "
                            "below it. Evaluate lists every member's score.",
                            member=md(member),
                            best=best,
                            gap=100 * (best - float(report["accuracy"])),
                        ),
                        icon=":material/info:",
                    )
                from core.evaluation import FEW_TEST_TEXTS

                if 0 < report.get("n", 0) < FEW_TEST_TEXTS:  # a green 0.5000 on 8 texts read as a verdict
                    st.caption(
                        t(
                            "Measured on only {n:,} test texts: one text more or less right moves accuracy by "
                            "{step:.1f} pt. Evaluate says how far to trust it.",
                            n=report["n"],
                            step=100 / report["n"],
                        )
                    )
                from core.training.runner import model_problem

                problem = model_problem(run)
                if problem is not None:
                    st.warning(
                        t(
                            "Its model file is missing, so it cannot classify; its scores above stand. Start again "
                            "trains it anew with the same settings.",
                        )
                        if problem == "missing"
                        else t(
                            "Its model file is damaged ({problem}), so it cannot classify; its scores above stand. "
                            "Start again trains it anew with the same settings.",
                            problem=md(tm(problem)),
                        ),
                        icon=":material/broken_image:",
                    )
                from core.training.callbacks import stop_reason

                # a cap of steps inside the last epoch (2.82 of 3) rounds to the whole plan: its reason tells
                if steps and planned and (round(steps[-1]["epoch"]) < planned or stop_reason(metrics) == "max_steps"):
                    st.caption(early_stop_text(run, metrics, steps[-1]["epoch"], planned))
                elif (kept := best_epoch_kept(run, metrics)) is not None:
                    # every planned epoch run, the validation loss rising at the end: which weights are these?
                    st.caption(
                        t(
                            "The weights of epoch {epoch}, whose validation score was the best, were kept, not "
                            "those of the last epoch.",
                            epoch=kept,
                        )
                    )
                from core.training.runner import LOW_COVERAGE

                coverage = status.get("source_coverage")
                if coverage is not None and coverage < LOW_COVERAGE:
                    st.warning(
                        t(
                            "The encoder it was fine-tuned from knew {share:.0%} of this dataset's tokens; the rest "
                            "read as unknown, which holds its score down.",
                            share=coverage,
                        ),
                        icon=":material/translate:",
                    )
                st.page_link(
                    "pages/evaluate.py",
                    label=t("See the evaluation"),
                    icon=":material/analytics:",
                    query_params=state.params(),
                )
        elif current == "stopped":
            if (run.checkpoint_dir / "state.pt").is_file():
                st.warning(
                    t("Stopped. The checkpoint is kept: resume it, or evaluate the model as it is."),
                    icon=":material/pause_circle:",
                )
                evaluation_step(run, status)
                if run.config().get("task") == "pretrain" and run.model_path.is_file() and not presenter.active():
                    # a pretraining stopped at its time budget's end is the usual case, not a failure
                    finetune_next(run)
            elif run.config().get("encoder") == "ensemble" and status.get("member"):
                # no checkpoint of its own: it said "Cancelled before it started: nothing was trained" with
                # members trained and one stopped halfway
                done = len(status.get("member_runs") or {})
                st.warning(
                    plural(
                        t(
                            "Stopped at member {member} of {members}. {done} member(s) finished and are kept: Start "
                            "again uses them as they are and continues with the member that was stopped.",
                            member=status["member"],
                            members=status.get("members") or "?",
                            done=done,
                        ),
                        done,
                    )
                    if done
                    else t(
                        "Stopped at member {member} of {members}. Start again continues with the member that was "
                        "stopped.",
                        member=status["member"],
                        members=status.get("members") or "?",
                    ),
                    icon=":material/pause_circle:",
                )
            else:  # stopped in the queue, or before its first checkpoint: there is nothing to resume
                st.warning(
                    t("Cancelled before it started: nothing was trained. Start again queues it with the same settings.")
                    if not steps
                    else t(
                        "Stopped before its first checkpoint, so nothing was kept. Start again trains it with the same settings."
                    ),
                    icon=":material/pause_circle:",
                )
        elif current == "interrupted":
            if status.get("has_checkpoint", (run.checkpoint_dir / "state.pt").is_file()):
                saved = status.get("checkpoint_step")
                kept = [m for m in steps if isinstance(saved, int) and m.get("step", 0) <= saved]
                if kept and steps[-1].get("step", 0) > saved:
                    # "Epoch 126 of 400" here, then "Epoch 104" after Resume: 22 epochs trained again unsaid
                    st.warning(
                        t(
                            "Interrupted: {error} That checkpoint is at epoch {epoch}: what was trained after it "
                            "is trained again.",
                            error=md(run_error(status)),
                            epoch=epoch_text(kept[-1]["epoch"], None),
                        )
                    )
                else:
                    st.warning(t("Interrupted: {error}", error=md(run_error(status))))
            else:
                st.warning(
                    t(
                        "Interrupted before its first checkpoint: {error} Nothing was kept to resume from; "
                        "Start again trains it from scratch with the same settings.",
                        error=md(run_error(status)),
                    )
                )
        # the numbers under the outcome: on a phone the four columns stack, and "Done: test accuracy" sat
        # four screen-high numbers down
        if steps:
            last = steps[-1]
            # while presenting, the two numbers an audience follows; the curves below sit higher without the rest
            cols = st.columns(2 if presenter.active() else 4)
            if current == "done":  # "Epoch 10 of 20" on a finished run read as one cut short (it stopped early)
                cols[0].metric(t("Epochs trained"), epoch_text(last["epoch"], None))
            else:
                cols[0].metric(t("Epoch"), epoch_text(last["epoch"], planned))
            cols[1].metric(
                presenter.plain(t("Train loss"), t("Error on the training texts (loss)")),
                f"{last.get('train/loss_recent', last['train/loss']):.4f}",  # an epoch's mean is one batch at its start
                help=t("Averaged over the recent steps, as the curve below, which redraws every few seconds."),
            )
        if steps and not presenter.active():
            cols[2].metric(t("Learning rate"), f"{last['lr']:.2e}")
            average = last.get("throughput_avg")
            cols[3].metric(
                t("Texts/s, recent"),
                f"{last['throughput']:,.0f}",  # a unit in the value was cut off in a quarter-width column
                help=t("Over the last 20 steps; the ETA uses this rate."),
            )
            if average is not None:
                cols[3].caption(t("run average {average:,.0f} texts/s", average=average))
        if active and current != drawn_state:
            time.sleep(0.2)
            # queued → running, or ended: redraw the whole page, so that the sidebar's label agrees
            # with this panel (and an ended run stops polling)
            st.rerun()

    # The curves redraw less often than the numbers: rebuilding and re-rendering two growing plotly
    # charts every second cost a watching tab more CPU than the run it watched could spare.
    every = jobs.curves_every(run.status(), time.time())

    @st.fragment(run_every=every if active else None)
    def curves() -> None:
        if deleted(run):
            st.rerun(scope="app")
        now = run.status()
        if now.get("state") == "running" and every != jobs.curves_every(now, time.time()):
            st.rerun(scope="app")  # the run is no longer young: the page draws this again at the slower pace
        metrics = run.metrics()
        if not any(m.get("event") == "step" for m in metrics):
            return
        task = run.config().get("task")
        left, right = st.columns(2)
        left.plotly_chart(presenter.scale(charts.training_curves(metrics, "loss", t("Loss"))), key=f"loss_{run_id}")
        right.plotly_chart(
            presenter.scale(
                charts.training_curves(
                    metrics, "accuracy", t("Accuracy") if task != "pretrain" else t("Masked-token accuracy")
                )
            ),
            key=f"acc_{run_id}",
        )

    panel()
    curves()
