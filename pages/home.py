"""Home: what the studio does, and a one-click start."""

import streamlit as st

from ui import state
from ui.boot import through_app
from ui.i18n import t
from ui.sidebar import state_name

through_app()  # a deep link on a fresh server: draw this page through app.py

st.title("Encoder Studio")  # the product name stays as it is
st.markdown(
    t(
        "Build text encoders from scratch — a bag-of-words MLP, an RBF network or a BERT-style Transformer — "
        "on Chinese or English text, and see what they learned. Train, pretrain and fine-tune in the browser, "
        "then read the scores, the mistakes and the embedding space, always next to a TF-IDF baseline."
    )
)


def earlier_quickstart():
    """The newest run the one-click start made, or None (the starter not loaded, or no such run)."""
    from core.registry import DatasetStore, RunStore

    if not DatasetStore().exists("starter"):
        return None
    return next(
        (r for r in RunStore().list() if r.id.startswith("quickstart-") and r.config().get("dataset") == "starter"),
        None,
    )


left, right = st.columns(2)  # at 2:3 the one-click button's label was cut ("Load the starter data and t…") at 1,024 px
with left:
    st.subheader(t("Try it in one click"))
    st.write(
        t(
            "Loads the built-in bilingual starter set (about 5,600 sentences on sports, technology, food and travel) "
            "and trains the default bag-of-words MLP. Training takes about 10 seconds; on a new machine the first "
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
        from core.registry import DatasetStore
        from core.training.runner import RunConfig
        from ui.actions import start_training

        with st.spinner(t("Loading the starter dataset…")):
            DatasetStore().ensure_builtin("starter")
        run_id = start_training(RunConfig.create("starter", "bow_mlp", name="quickstart"))
        if t("quickstart") != "quickstart":  # the id keeps "quickstart-" (a second click finds it); the title reads
            from core.names import name_run
            from core.registry import RunStore

            name_run(RunStore().get(run_id), title=t("quickstart"))
        state.set("dataset", "starter")
        state.set("run", run_id)
        st.switch_page("pages/train.py", query_params=state.params())
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
