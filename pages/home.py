"""Home: what the studio does, and a one-click start."""

import streamlit as st

from ui import presenter, state
from ui.boot import through_app
from ui.i18n import t, tm
from ui.safe_text import md
from ui.sidebar import state_name

through_app()  # a deep link on a fresh server: draw this page through app.py

st.title("Encoder Studio")  # the product name stays as it is
st.markdown(
    # an audience knows neither an RBF network nor TF-IDF: what the studio does, in their words
    t(
        "Encoder Studio teaches a computer to read Chinese or English texts and sort them (by topic, by "
        "tone), then shows what it learned: how often it is right, where it goes wrong, and which texts it "
        "sees as alike."
    )
    if presenter.active()
    else t(
        "Build text encoders from scratch — a bag-of-words MLP, an RBF network or a BERT-style Transformer — "
        "on Chinese or English text, and see what they learned. Train, pretrain and fine-tune in the browser, "
        "then read the scores, the mistakes and the embedding space, always next to a TF-IDF baseline."
    )
)


def presented_run():
    """The active run when it has scores to show (what a demo in presenter mode is about), else None."""
    from core.errors import StudioError
    from core.registry import RunStore

    run_id = state.get("run")
    if not run_id:
        return None
    try:
        run = RunStore().get(run_id)
        report = run.eval() or {}
    except (StudioError, OSError, ValueError):
        return None
    return run if report.get("accuracy") is not None else None


def demo_links(run) -> None:
    """Where a demo goes next with the active run: its scores, a sentence of the audience's, its map."""
    from ui.sidebar import dataset_title, run_title, short_name

    shown = short_name(run) if run_title(run) == run.id else run_title(run)
    st.subheader(t("Today's model"))
    st.markdown(
        t(
            "**{run}**, trained on **{dataset}**: right on {accuracy:.1%} of the texts it had never seen.",
            run=md(shown),
            dataset=md(dataset_title(run.config().get("dataset"))),
            accuracy=float(run.eval()["accuracy"]),
        )
    )
    params = {**state.params(), "run": run.id}
    for page, label, icon in (
        ("pages/evaluate.py", t("See how often it is right"), ":material/fact_check:"),
        ("pages/playground.py", t("Try it on a sentence"), ":material/keyboard:"),
        ("pages/embeddings.py", t("See the map of its texts"), ":material/scatter_plot:"),
    ):
        st.page_link(page, label=label, icon=icon, query_params=params)


def earlier_quickstart():
    """The newest run the one-click start made, or None (the starter not loaded, or no such run)."""
    from core.registry import DatasetStore, RunStore

    if not DatasetStore().exists("starter"):
        return None
    return next(
        (r for r in RunStore().list() if r.id.startswith("quickstart-") and r.config().get("dataset") == "starter"),
        None,
    )


def quickstart() -> None:
    """The one-click start: the starter set and the default model."""
    st.subheader(t("Try it in one click"))
    st.write(
        t(
            "Loads the built-in bilingual starter set (about 5,600 sentences on sports, technology, food and travel) "
            "and trains the default bag-of-words MLP. Training takes 10 to 20 seconds on a laptop CPU; on a new machine the first "
            "map of the texts takes half a minute more."
        )
    )
    earlier = earlier_quickstart()
    if earlier is not None:  # a second click trained a twin with the same scores, without a word
        accuracy = (earlier.eval() or {}).get("accuracy")
        st.caption(
            t("You tried it already: test accuracy {accuracy:.1%}.", accuracy=accuracy)
            if accuracy is not None
            else t("You tried it already: that run is {state}.", state=state_name(earlier.status()))
        )
        st.page_link(
            "pages/evaluate.py" if accuracy is not None else "pages/train.py",
            label=t("Open that run"),
            icon=":material/arrow_forward:",
            query_params={**state.params(), "dataset": "starter", "run": earlier.id},
        )
    if st.button(
        t("Load the starter data and train"), type="primary", icon=":material/rocket_launch:", key="quickstart"
    ):
        from core.errors import StudioError
        from core.registry import DatasetStore
        from core.training.runner import RunConfig
        from ui.actions import start_training

        with st.spinner(t("Loading the starter dataset…")):
            DatasetStore().ensure_builtin("starter")
        try:
            run_id = start_training(RunConfig.create("starter", "bow_mlp", name="quickstart"))
        except StudioError as exc:  # the studio's queue is full (a class at once): said, as Train says it
            st.error(t("Could not start: {error}", error=md(tm(exc))), icon=":material/error:")
            st.stop()
        # the id keeps "quickstart-" (a second click finds it); untitled, the run goes by its encoder's name:
        # "Best: quickstart" on Compare and the map's legend told an audience nothing
        from core.names import name_run
        from core.registry import RunStore

        name_run(RunStore().get(run_id), title="")
        state.set("dataset", "starter")
        state.set("run", run_id)
        st.switch_page("pages/train.py", query_params=state.params())


left, right = st.columns(2)  # at 2:3 the one-click button's label was cut ("Load the starter data and t…") at 1,024 px
demo = presented_run() if presenter.active() else None
with left:
    # a demo under way: its model, not a one-click start that would switch the dataset in front of the audience
    if demo is not None:
        demo_links(demo)
    else:
        quickstart()
with right:
    st.subheader(t("How it works"))
    st.markdown(
        t(
            "1. **Data** — pick a built-in dataset or upload CSV, TSV, JSONL, TXT, Excel or Parquet; read the health report.\n"
            "2. **Train** — choose an encoder and a task (classify, pretrain, fine-tune); watch it learn; stop any time.\n"
            "3. **Evaluate** — accuracy and macro-F1 against the baseline, per-class scores, confusion, calibration, mistakes.\n"
            "4. **Explore** — the embedding map, live answers in the Playground, and runs side by side in Compare."
        )
    )


RECENT_RUNS = 5


def recent_runs() -> None:
    """The newest runs of every dataset, each a link to where it stands (its scores, or its training): a home
    of 45 runs showed only the one-click start, and a stopped run on another dataset was found by switching."""
    from core.names import is_experiment_run
    from core.registry import RunStore
    from ui.sidebar import dataset_title, run_label

    every = [run for run in RunStore().list() if not is_experiment_run(run)]
    # the members an ensemble trained itself are listed with it on its pages: here they pushed the user's own runs
    # off the list (runs the user made and then put in an ensemble stay)
    members = {
        str(member)
        for run in every
        if run.config().get("encoder") == "ensemble"
        for member in (run.raw_status().get("member_runs") or {}).values()
    }
    runs = [run for run in every if run.id not in members][:RECENT_RUNS]
    if not runs:
        return
    st.subheader(t("Recent runs"))
    for run in runs:
        status = run.status()
        dataset = run.config().get("dataset")
        done = status.get("state") == "done" and (run.path / "eval.json").is_file()
        st.page_link(
            "pages/evaluate.py" if done else "pages/train.py",
            # a page link's label is Markdown: a run named ":red[…]" coloured everyone's Home page
            label=md(f"{run_label(run, status, with_id=False, scored=True)} · {dataset_title(dataset)}"),
            query_params={**state.params(), "dataset": dataset, "run": run.id},
        )


if not presenter.active():  # before an audience, the page is the demo's
    recent_runs()
