"""The sidebar on every page: the active dataset and run, with switchers."""

from __future__ import annotations

import contextlib
import re
import threading
from collections import Counter
from pathlib import Path

import streamlit as st

from ui import state
from ui.i18n import plural, t

STATE_MARKS = {
    "queued": "◷",
    "running": "▶",
    "done": "✓",
    "stopped": "■",
    "failed": "✗",
    "interrupted": "!",
    "unknown": "?",
}

# English names of run states and tasks, translated where they are shown (``t`` at render time)
STATE_NAMES = {
    "queued": "queued",
    "running": "running",
    "done": "done",
    "stopped": "stopped",
    "failed": "failed",
    "interrupted": "interrupted",
    "unknown": "unknown",
}
# a task in words: the config keys ("finetune") read as leftovers of the command line in titles and tables
TASK_NAMES = {"pretrain": "pretraining", "finetune": "fine-tuning", "classify": "classification"}


# (section, [(file, title, icon)]): the app's pages, drawn as links by ``render`` (st.navigation is hidden)
PAGE_MAP = (
    ("Start", [("pages/home.py", "Home", ":material/home:")]),
    (
        "Build",
        [("pages/data.py", "Data", ":material/table_view:"), ("pages/train.py", "Train", ":material/model_training:")],
    ),
    (
        "Inspect",
        [
            ("pages/evaluate.py", "Evaluate", ":material/analytics:"),
            ("pages/embeddings.py", "Embeddings", ":material/scatter_plot:"),
            ("pages/playground.py", "Playground", ":material/keyboard:"),
            ("pages/search.py", "Search", ":material/search:"),
            ("pages/compare.py", "Compare", ":material/compare_arrows:"),
        ],
    ),
)


def pages() -> dict:
    """``st.navigation``'s pages, by section (Home is the default)."""
    return {
        t(section): [
            st.Page(path, title=t(title), icon=icon, default=path == "pages/home.py") for path, title, icon in entries
        ]
        for section, entries in PAGE_MAP
    }


def page_links() -> None:
    """The navigation: one link per page, carrying the active dataset and run in its URL, so that
    a visit is one history entry (a link without them made the page add them back: three entries)."""
    params = state.params()
    for section, entries in PAGE_MAP:
        st.caption(t(section))
        for path, title, icon in entries:
            st.page_link(path, label=t(title), icon=icon, query_params=params)


def encoder_name(cfg: dict) -> str:
    """A run's encoder in words, short enough for a table cell ("bag-of-words MLP", "Transformer (tiny)").

    Tables and selectors showed the config's key (``bow_mlp``, ``transformer-tiny``), which a
    reader of the Chinese UI, or anyone who never saw the CLI, had to decode.
    """
    encoder = str(cfg.get("encoder", "?"))
    options = cfg.get("encoder_config") or {}
    featurizer = options.get("featurizer") or {}
    if encoder == "transformer":
        preset = options.get("preset") or TRANSFORMER_DEFAULT_PRESET
        if options.get("wide"):  # its bag of n-grams holds most of its parameters: said wherever it is named
            return t("Transformer ({preset}) + n-gram bag", preset=preset)
        return t("Transformer ({preset})", preset=preset)
    from ui import presenter

    if encoder == "baseline" and featurizer.get("nb_weights"):
        name = t("TF-IDF + LR, NB-weighted")
    elif encoder == "baseline" and presenter.active():
        # as Train and Evaluate name it to an audience: "a simple keyword model" there, "TF-IDF + LR" on Compare's
        # board and in its duel, and an executive could not tell the two were one model
        name = t("keyword model (TF-IDF + LR)")
    else:
        name = t(ENCODER_SHORT_NAMES[encoder]) if encoder in ENCODER_SHORT_NAMES else encoder
    return t("{name} over jieba words", name=name) if featurizer.get("tokenizer") == "jieba" else name


# TransformerConfig().preset, without importing torch into every page (a test ties them)
TRANSFORMER_DEFAULT_PRESET = "mini"
ENCODER_SHORT_NAMES = {
    "bow_mlp": "bag-of-words MLP",
    "rbf": "RBF network",
    "baseline": "TF-IDF + LR",
    "pretrained": "MiniLM",
    "ensemble": "ensemble",
}


_EXPERIMENT_TITLES = (  # the titles core.experiments gives its runs, read back to be said in the reader's language
    (re.compile(r"label efficiency · (scratch|pretrained) · ([\d.]+)% labels · seed (\d+)"), "arm"),
    (re.compile(r"label efficiency · pretraining · (\w+)"), "pretraining"),
)


def shown_title(title: str) -> str:
    """A run's title as shown: an experiment's generated title in the reader's language, others as given."""
    for pattern, kind in _EXPERIMENT_TITLES:
        match = pattern.fullmatch(title)
        if match and kind == "arm":
            arm, share, seed = match.groups()
            return t(
                "label efficiency · {arm} · {share}% labels · seed {seed}",
                arm=t("from scratch") if arm == "scratch" else t("pretrained"),
                share=share,
                seed=seed,
            )
        if match:
            return t("label efficiency · pretraining · {preset}", preset=match.group(1))
    return title


def run_title(run) -> str:
    """A run as sentences name it: the title it was given, else its id."""
    from core.names import run_names

    return shown_title(run_names(run)["title"]) or run.id


SEEN_NAMES = "sidebar_seen_names"  # "run:<id>" or "dataset:<id>" → what the pickers called it this session
GONE_NOTICES = "sidebar_gone_notices"  # deleted behind this session's back, said above the page once
SHOWN_NOTICES = "sidebar_gone_shown"  # those said in this script run (``keep_notices``)


def keep_notices() -> None:
    """Say this run's "was deleted" notices again on the next run: for a page about to ``st.rerun()``
    straight away (Search starting an index build), which wiped them before anyone could read them, and
    the user found herself on another person's run without a word."""
    st.session_state.setdefault(GONE_NOTICES, []).extend(st.session_state.get(SHOWN_NOTICES, []))


_NAMES = threading.local()  # each script run's short names by dataset (``forget_short_names`` clears them)


def forget_short_names() -> None:
    """Start each script run afresh: a run renamed or added since shows under its new name."""
    _NAMES.by_dataset = {}


def short_names(runs) -> dict[str, str]:
    """Each run in a few words, for chart titles and legends: its title (else its encoder), with the end
    of its id only where another of ``runs`` has the same name ("bag-of-words MLP · 421a"). A tail on
    every name ("TF-IDF + LR · 119a") was noise to an audience where the names were unique already."""
    from core.names import run_names

    return distinct_labels({run.id: shown_title(run_names(run)["title"]) or encoder_name(run.config()) for run in runs})


def short_name(run) -> str:
    """``run``'s short name among the runs of its dataset (``short_names``), read once per script run."""
    key = (str(Path(run.path).parent), run.config().get("dataset"))  # the studio home, then the dataset
    table = getattr(_NAMES, "by_dataset", None)
    if table is None:
        table = _NAMES.by_dataset = {}
    if key not in table:
        table[key] = short_names(runs_for(key[1]))
    return table[key].get(run.id) or short_names([run])[run.id]


def name_or_id(run_id: str) -> str:
    """Run ``run_id``'s short name (``short_name``); its id where it has gone since (deleted by another
    tab) or its folder no longer reads: the id is what is left of it."""
    from core.errors import StudioError
    from core.registry import RunStore

    try:
        return short_name(RunStore().get(run_id))
    except (StudioError, OSError, ValueError):
        return run_id


def is_gone(run_id: str) -> bool:
    """True when no run ``run_id`` exists any more (a fine-tune's source deleted since): the lineage
    line then says so, as the command line and the Embeddings page do."""
    from core.registry import RunStore

    return not (RunStore().root / str(run_id) / "config.json").is_file()


def state_name(status: dict) -> str:
    """A run's state in words, translated ("running", "已停止")."""
    state = str(status.get("state") or "unknown")
    return t(STATE_NAMES[state]) if state in STATE_NAMES else state


def run_label(run, status: dict | None = None, with_id: bool = True, scored: bool = False) -> str:
    """``name · encoder · task · state · id`` for selectors (a heading leaves the id to a caption:
    at 30-odd characters it wrapped the heading onto a second line). ``scored``: a finished
    classifier's test accuracy before its state (``… · 0.904 · done``)."""
    cfg, st_ = run.config(), status or run.status()
    enc = encoder_name(cfg)
    task = "" if cfg.get("task", "classify") == "classify" else f" · {t(TASK_NAMES.get(cfg['task'], cfg['task']))}"
    from core.names import run_names

    title = shown_title(run_names(run)["title"])
    named = f"{title} · " if title else ""
    accuracy = finished_accuracy(run) if scored and st_.get("state") == "done" else None
    score = f" · {accuracy:.3f}" if accuracy is not None else ""
    label = f"{STATE_MARKS.get(st_.get('state', '?'), '?')} {named}{enc}{task}{score} · {state_name(st_)}"
    return f"{label} · {run.id}" if with_id else label


_ACCURACIES: dict[tuple, float | None] = {}  # (eval.json, its mtime and size) → its accuracy: read once


def finished_accuracy(run) -> float | None:
    """A run's test accuracy from its ``eval.json`` (None without one, or for a pretraining run), read once
    per version of the file: the sidebar's picker names every run of the dataset on every rerun."""
    path = Path(run.path) / "eval.json"
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _ACCURACIES:
        try:
            accuracy = (run.eval() or {}).get("accuracy")
        except Exception:  # a damaged file: the pages say so where it is read
            accuracy = None
        _ACCURACIES[key] = float(accuracy) if isinstance(accuracy, (int, float)) else None
    return _ACCURACIES[key]


def dataset_name(info) -> str:
    """A dataset's name as shown: a built-in one's catalogue title is translated, a name a user gave is not."""
    from core.catalog import BUILTINS

    titles = {d.title for d in BUILTINS.values()}
    return t(info.name) if str(info.source).startswith("builtin:") and info.name in titles else info.name


def distinct_labels(labels: dict[str, str]) -> dict[str, str]:
    """``labels`` with the ones shown twice told apart by the end of their key (``news · 4f1d``).

    Streamlit keeps a selectbox's choice by its shown label, so two entries that read alike are one
    entry to it: picking the second one switched back to the first (and Delete then named that one).
    """
    counts = Counter(labels.values())
    out = {}
    for key, label in labels.items():
        if counts[label] > 1:
            # the id's last part ("…-20261207-055709-48cf" → 48cf), whole: its last six letters cut the ids a
            # person chose, "bowRepro" to "wRepro" and "bowB128" to "owB128"
            tail = str(key).rsplit("-", 1)[-1]
            label = f"{label} · {tail}"
        out[key] = label
    if len(set(out.values())) < len(out):  # two keys ending alike too: only the whole key is sure to differ
        out = {key: f"{labels[key]} · {key}" if counts[labels[key]] > 1 else labels[key] for key in labels}
    return out


def source_name(source: str) -> str:
    """Where a stored dataset came from, in words ("upload:news.csv" → "uploaded news.csv")."""
    kind, _, rest = str(source).partition(":")
    if kind == "builtin":
        return t("built-in")
    if kind == "upload":
        return t("uploaded {file}", file=rest)
    if kind == "file":
        return t("imported from the command line: {file}", file=rest)
    if kind == "corpus sample":
        return t("first texts of the corpus {corpus}", corpus=rest.strip())
    return str(source)


def dataset_title(dataset_id: str | None) -> str:
    """The shown name of the dataset with this id (the id itself when it is gone or unreadable)."""
    from core.errors import StudioError
    from core.registry import DatasetStore

    try:
        return dataset_name(DatasetStore().info(str(dataset_id)))
    except (StudioError, OSError, ValueError):
        return str(dataset_id)


def runs_for(dataset: str | None):
    """Runs whose dataset is ``dataset``, newest first."""
    from core.registry import RunStore

    return [r for r in RunStore().list() if dataset is None or r.config().get("dataset") == dataset]


def colour_order(runs: list) -> list[str]:
    """The ids of ``runs`` in the order that gives runs their colours (``charts.run_colours``): oldest
    first, the user's own before those experiments made. Counted among them, a quick experiment's eight
    runs, folded away on Compare, made two shown runs share a colour, and every run changed colour."""
    from core.names import is_experiment_run

    oldest_first = list(reversed(runs))
    return [r.id for r in oldest_first if not is_experiment_run(r)] + [
        r.id for r in oldest_first if is_experiment_run(r)
    ]


def fold_experiment_runs(runs: list, key: str) -> list:
    """``runs`` with those an experiment made folded away behind a toggle (keyed ``key``), unless they
    are all there is: a label-efficiency experiment's dozen alike runs pushed the user's own out of view."""
    from core.names import is_experiment_run

    made = [r for r in runs if is_experiment_run(r)]
    if (
        made
        and len(made) < len(runs)
        and not st.toggle(
            plural(t("Show the {n} run(s) made by experiments", n=len(made)), len(made)),
            value=False,
            key=key,
            help=t(
                "Runs that label-efficiency experiments made (the quick one on the Compare page, or "
                "python -m core experiment), tagged 'experiment'."
            ),
        )
    ):
        return [r for r in runs if not is_experiment_run(r)]
    return runs


def default_run(runs) -> str:
    """The run a dataset opens on: the newest finished one that is not the TF-IDF baseline, else the
    newest that is not the baseline, else the newest; runs an experiment made come last.

    The baseline is queued beside the user's model and finishes after it; it is the yardstick,
    not what the user came back to look at. A stopped or failed run has no map or scores yet, so
    a new session opened every page on "cannot be shown" when the newest run was one of them.
    """
    from core.names import is_experiment_run

    own = [r for r in runs if not is_experiment_run(r)]  # an experiment's dozens of runs are not what was opened
    finished = [r for r in own if r.status().get("state") == "done"]
    for pool in (finished, own, runs):
        picked = next((r.id for r in pool if r.config().get("encoder") != "baseline"), None)
        if picked:
            return picked
    return (own or runs)[0].id


def render() -> None:
    """Draw the sidebar switchers."""
    from core.registry import DatasetStore

    if "run_deleted" in st.session_state:
        st.toast(st.session_state.pop("run_deleted"), icon=":material/delete:")
    with st.sidebar:
        page_links()
        st.divider()
        from ui import i18n, presenter

        # above the pickers: at the foot of the sidebar, a 768-px screen showed neither without scrolling
        i18n.switch()
        presenter.toggle()
        st.divider()
        datasets = DatasetStore().list()
        ids = [d.id for d in datasets]
        current = state.get("dataset")
        if current and current not in ids:
            current = _named(
                DatasetStore(),
                current,
                ids,
                lambda name: t("No dataset {name}: showing another one.", name=name),
                kind="dataset",
            )
            state.set("dataset", current)
        if ids:
            # the plural is made on the template: a dataset named "tweet(s)" keeps its name
            names = distinct_labels(
                {
                    d.id: plural(t("{name} · {rows:,} row(s)"), d.rows).format(name=dataset_name(d), rows=d.rows)
                    for d in datasets
                }
            )
            # The widget follows the active dataset (set by any page); picking one changes it.
            if current not in ids:
                # a link naming a run alone (a demo's "?run=…&text=…") opens that run's dataset: another
                # dataset's run was picked, under a false "no run on this dataset"
                current = dataset_of_run(state.get("run"), ids) or opening_dataset(ids)
                state.set("dataset", current)
            st.session_state["sidebar_dataset"] = current
            st.selectbox(
                t("Dataset"),
                ids,
                format_func=names.get,
                key="sidebar_dataset",
                on_change=_pick_dataset,
                help=full_name(names.get(current)),
            )
        else:
            st.caption(t("No dataset yet: load one on the Data page."))
        remember_names("dataset", {d.id: dataset_name(d) for d in datasets})
        from core.names import is_experiment_run

        # the user's own runs: a quick experiment's nine runs filled the picker (3 → 12 entries); they
        # are on Compare, behind its toggle, and one stays here while it is the active run (a link to it)
        active = state.get("run")
        every = runs_for(state.get("dataset"))
        runs = [r for r in every if not is_experiment_run(r) or r.id == active] or every
        run_ids = [r.id for r in runs]
        st.session_state["sidebar_drawn_states"] = {}  # this run's look only: a stale "running" would loop
        if run_ids:
            statuses = {r.id: r.status() for r in runs}
            from ui import presenter

            # before an audience without the ids ("bow_mlp-20261205-233811-f656"): told apart only where
            # two runs would read alike
            # a finished run's score in its label: five runs of a sweep read alike but for their ids' ends
            labels = distinct_labels({r.id: run_label(r, statuses[r.id], with_id=False, scored=True) for r in runs})
            remember_names("run", short_names(runs))
            if not presenter.active():
                # the id last: the picker cuts a label at about 28 characters, and two baselines both read
                # "✓ TF-IDF + LR · done · baseline-202612…"; the tail that tells them apart comes before it
                labels = {run_id: f"{label} · {run_id}" for run_id, label in labels.items()}
            # what the labels say: a page watching a run compares against it, as the run may end
            # between this and the page's own look (the label then said "running" under a stopped run)
            st.session_state["sidebar_drawn_states"] = {key: value.get("state") for key, value in statuses.items()}
            if active and active not in run_ids:
                from core.registry import RunStore

                active = _named(RunStore(), active, run_ids, lambda name: missing_run_words(name, active))
                # a name: the link keeps the id from here on; an unknown run is dropped, so it is said once
                state.set("run", active, on_purpose=active is None and state.no_run_on_purpose())
            if active not in run_ids and not state.no_run_on_purpose():
                active = default_run(runs)
                state.set("run", active)
            st.session_state["sidebar_run"] = active if active in run_ids else None
            st.selectbox(
                t("Run"),
                run_ids,
                format_func=labels.get,
                key="sidebar_run",
                on_change=_pick_run,
                placeholder=t("Pick a run"),
                help=full_name(labels.get(active)) if active in run_ids else None,
            )
        elif state.get("dataset"):
            if active:  # another dataset's run (or an unknown one) stayed active under "no runs"
                from core.registry import RunStore

                _named(RunStore(), active, [], lambda name: missing_run_words(name, active, others=False))
                state.set("run", None)
            st.caption(t("No runs on this dataset yet: start one on the Train page."))
    # above the page, where it is read: in the sidebar or as a toast it went unseen
    shown = st.session_state[SHOWN_NOTICES] = st.session_state.pop(GONE_NOTICES, [])
    for kind, words in shown:
        st.warning(words, icon=":material/link_off:" if kind == "link" else ":material/delete_forever:")
    shown_run = next((r for r in every if r.id == state.get("run")), None)
    if shown_run is not None:
        from core.errors import StudioError
        from ui.caveats import earlier_import_warning

        # the dataset deleted since the picker was drawn: the page says so itself
        with contextlib.suppress(StudioError, OSError, ValueError):
            earlier_import_warning(shown_run, DatasetStore().info(state.get("dataset")))


def full_name(label: str | None) -> str | None:
    """A picker's choice in full, for its tooltip: the narrow sidebar cuts a long name and its run id."""
    from ui.safe_text import md

    return md(label) if label else None


def dataset_of_run(ref: str | None, ids: list[str]) -> str | None:
    """The dataset (among ``ids``) of the run ``ref`` names (an id or a title), or None."""
    if not ref:
        return None
    from core.errors import StudioError
    from core.registry import RunStore

    try:
        store = RunStore()
        dataset = store.get(store.resolve(ref)).config().get("dataset")
    except (StudioError, ValueError, OSError):
        return None
    return dataset if dataset in ids else None


def opening_dataset(ids: list[str]) -> str:
    """The dataset a new session opens on: that of the newest finished run, else the newest dataset.
    The newest dataset alone was an unlabelled upload, and Compare opened on advice to train runs
    that it cannot have."""
    from core.names import is_experiment_run
    from core.registry import RunStore

    for run in RunStore().list():
        dataset = run.config().get("dataset")
        if dataset in ids and run.status().get("state") == "done" and not is_experiment_run(run):
            return dataset
    return ids[0]


def missing_run_words(name: str, ref: str, others: bool = True) -> str:
    """Why a linked run is not shown: a damaged folder is said to be one (a run whose config.json broke
    read as "No run … on this dataset", as if it had never been), a run of another dataset names that
    dataset (a link with both dropped the run without a word), else there is no such run. ``others``:
    whether this dataset has other runs to show instead."""
    from core.errors import StudioError
    from core.registry import DatasetStore, RunStore

    try:
        store = RunStore()
        run = store.get(store.resolve(ref))
        problem = run.problem()
        dataset = None if problem else run.config().get("dataset")
    except (StudioError, ValueError, OSError):
        problem, dataset = None, None
    if problem:
        return t(
            "Run {name} is damaged, so another is shown: the Train page lists it under Broken run folders.",
            name=name,
        )
    if dataset and dataset != state.get("dataset"):
        from core.errors import UnknownDatasetError
        from ui.safe_text import md

        try:
            title = dataset_name(DatasetStore().info(dataset))
        except UnknownDatasetError:  # deleted, its runs kept: not in the sidebar to pick
            return t(
                "Run {name} was trained on the dataset {dataset}, which was deleted; the run's files are kept "
                "(python -m core runs list).",
                name=name,
                dataset=md(dataset),
            )
        except (StudioError, ValueError, OSError):  # there, but its record cannot be read
            return t(
                "Run {name} was trained on the dataset {dataset}, which cannot be read: the Data page lists it "
                "with the reason.",
                name=name,
                dataset=md(dataset),
            )
        return t(
            "Run {name} was trained on the dataset {dataset}, not this one: pick {dataset} in the sidebar to open it.",
            name=name,
            dataset=md(title),
        )
    if not others:
        return t("No run {name} on this dataset, which has no runs yet.", name=name)
    return t("No run {name} on this dataset: showing another one.", name=name)


def _named(store, ref: str, ids: list[str], missing, kind: str = "run") -> str | None:
    """The id among ``ids`` that ``ref`` (from a link: an id or a name) means, or None with a toast
    saying so: ``?dataset=many40`` opened another dataset without a word."""
    from core.errors import StudioError

    try:
        found = store.resolve(ref)
    except (StudioError, ValueError):
        found = None
    if found in ids:
        return found
    from ui.safe_text import md

    seen = (st.session_state.get(SEEN_NAMES) or {}).get(f"{kind}:{ref}")
    if found is None and seen:
        # this session showed it, and it is gone: deleted by another tab, the CLI or another student. A
        # toast of its id ("No run …-0ed8 on this dataset") was all there was, and the page went on
        # answering with another run of the same name and score
        notices = st.session_state.setdefault(GONE_NOTICES, [])
        if kind == "run" and any(said == "dataset" for said, _ in notices):
            return None  # its dataset's notice said it: the two were deleted together
        if kind == "dataset":
            words = t(
                "Dataset {name} was deleted (in another tab, from the command line, or by someone else using "
                "this studio); another dataset is shown.",
                name=md(seen),
            )
        elif ids:
            words = t(
                "Run {name} was deleted (in another tab, from the command line, or by someone else using this "
                "studio); another run is shown.",
                name=md(seen),
            )
        else:  # "another run is shown" above "No runs on this dataset yet"
            words = t(
                "Run {name} was deleted (in another tab, from the command line, or by someone else using this "
                "studio); this dataset has no other runs.",
                name=md(seen),
            )
        notices.append((kind, words))
        return None
    # above the page, where it stays: a toast faded in two seconds, and a colleague's link to a deleted run
    # showed another run's scores as if they were its own
    st.session_state.setdefault(GONE_NOTICES, []).append(("link", missing(md(ref))))
    return None


def forget_names(kind: str, keys) -> None:
    """This session deleted them itself: no "deleted in another tab" notice for them."""
    seen = st.session_state.get(SEEN_NAMES) or {}
    for key in keys:
        seen.pop(f"{kind}:{key}", None)


def remember_names(kind: str, names: dict[str, str]) -> None:
    """What this session's pickers called each dataset or run, to name one deleted behind its back."""
    seen = st.session_state.setdefault(SEEN_NAMES, {})
    seen.update({f"{kind}:{key}": value for key, value in names.items()})


def _pick_dataset() -> None:
    state.set("dataset", st.session_state["sidebar_dataset"])
    state.set("run", None)


def _pick_run() -> None:
    picked = as_run_id(st.session_state["sidebar_run"], [r.id for r in runs_for(state.get("dataset"))])
    if picked:
        state.set("run", picked)


def as_run_id(value: object, run_ids: list[str]) -> str | None:
    """The run id a selectbox value stands for, or None.

    Streamlit keeps a selectbox's choice across reruns by its *shown* label; ours carry the run's
    state ("◷ … queued · id"), so once the state changed the widget could hand back the old label
    itself, which then went into the URL. Labels end with the id, so the id is recovered here.
    """
    if value in run_ids:
        return str(value)
    tail = str(value).rsplit(" · ", 1)[-1].strip()
    return tail if tail in run_ids else None


def member_name(spec: str) -> str:
    """An ensemble member's family in words, as tables name the run it becomes ("baseline:nb" →
    "TF-IDF + LR, NB-weighted"): the form and the progress line said "TF-IDF + logistic regression
    over NB-weighted jieba words" of a member the tables called "TF-IDF + LR, NB-weighted over jieba words"."""
    from core.encoders.ensemble import MEMBER_FAMILIES, member_overrides

    if spec not in MEMBER_FAMILIES:
        return spec
    family, overrides = member_overrides(spec)
    return encoder_name({"encoder": family, "encoder_config": overrides})
