"""Evaluate: scores against the baseline, per-class table, confusion, calibration, mistakes."""

import pandas as pd
import streamlit as st

from core.export import safe_csv
from ui import charts, state
from ui.actions import baseline_run, ensure_baseline
from ui.boot import through_app
from ui.resources import model_stamp, run_points
from ui.safe_text import md, plotly

MATRIX_CLASSES = 30  # a bigger confusion matrix is unreadable and slow to draw

through_app()  # a deep link on a fresh server: draw this page through app.py
st.title("Evaluate")
run = state.require_run()
run_id = run.id
status = run.status()
report = run.eval()
cfg = run.config()
if report is None and status.get("state") == "stopped" and run.model_path.is_file():
    from core.workers import side_job, start_side_job
    from ui import jobs

    st.info(f"Run {md(run_id)} was stopped before it ended; a stopped run is evaluated only when you ask.")
    job = side_job(run, "evaluate")
    if job is not None and job.get("state") in ("starting", "running"):
        jobs.watch(run, "evaluate", "Evaluating the checkpoint in a worker process")
    elif st.button("Evaluate this checkpoint", icon=":material/analytics:", key="evaluate_stopped"):
        start_side_job(run, "evaluate", "evaluate")
        st.rerun()
    elif job is not None and job.get("state") == "failed":
        st.error(f"The evaluation failed: {md(job.get('error'))}")
    st.stop()
if report is None:
    st.info(f"Run {md(run_id)} is {md(status.get('state'))}: its evaluation appears when training ends.")
    st.page_link(
        "pages/train.py", label="Watch it train", icon=":material/model_training:", query_params=state.params()
    )
    st.stop()
if status.get("state") in ("queued", "running"):
    st.info(
        f"Run {md(run_id)} is {md(status.get('state'))} again: the scores below are those of its last evaluated "
        "checkpoint, and they are replaced when this training ends.",
        icon=":material/history:",
    )
if report.get("task") == "pretrain":
    st.caption(
        f"Pretraining run **{md(run_id)}** on **{md(cfg.get('dataset'))}** · masked-language modelling · {report['n']:,} held-out texts"
    )
    cols = st.columns(4)
    cols[0].metric("MLM loss", f"{report['mlm_loss']:.3f}")
    cols[1].metric("Masked-token accuracy", f"{report['masked_accuracy']:.3f}")
    cols[2].metric(
        "Perplexity",
        f"{report['perplexity']:.1f}",
        help="e^loss: how many tokens the model hesitates between, on average.",
    )
    if report.get("tokens_per_second"):
        cols[3].metric("Throughput", f"{report['tokens_per_second']:,.0f} tokens/s")
    evals = [m for m in run.metrics() if m.get("event") == "eval"]
    if evals:
        left, right = st.columns(2)
        left.plotly_chart(charts.training_curves(run.metrics(), "loss", "MLM loss"), key="mlm_loss")
        right.plotly_chart(
            charts.overlaid_curves(
                {"validation": ([m["epoch"] for m in evals], [m["val/perplexity"] for m in evals])},
                "Perplexity",
                "perplexity",
            ),
            key="perplexity",
        )
    st.subheader("Fill the mask")
    masked = st.text_input("A sentence with [MASK]", value="我很[MASK]欢这本书", key="fill_text")
    if "[MASK]" in masked:
        from ui.resources import predictor

        fills = predictor(run_id, model_stamp(run)).fill(masked)
        for i, fill in enumerate(fills, 1):
            st.dataframe([{"mask": i, "token": t, "probability": p} for t, p in fill.candidates], hide_index=True)
    else:
        st.info("Put [MASK] where a token should be filled in.")
    st.stop()

labels = report["labels"]
st.caption(
    f"Run **{md(run_id)}** · {md(cfg.get('encoder'))} · {md(cfg.get('task', 'classify'))} on **{md(cfg.get('dataset'))}** "
    f"· test split of {report['n']:,} texts · state {md(status.get('state'))}"
)

# --- scores against the baseline on the same split
base = baseline_run(cfg["dataset"])
base_report = base.eval() if base is not None and base.id != run_id else None
cols = st.columns(4)
delta = (
    (lambda key: f"{(report[key] - base_report[key]) * 100:+.1f} pt vs baseline") if base_report else (lambda key: None)
)
cols[0].metric("Accuracy", f"{report['accuracy']:.4f}", delta("accuracy"))
cols[1].metric("Macro-F1", f"{report['macro_f1']:.4f}", delta("macro_f1"))
cols[2].metric(
    "Majority class", f"{report['majority_accuracy']:.4f}", help="Accuracy of always answering the most common class."
)
if "calibration" in report:
    cols[3].metric(
        "Calibration error (ECE)",
        f"{report['calibration']['ece']:.3f}",
        help="Average gap between confidence and accuracy; 0 is perfect.",
    )
if base_report:
    rows = [
        {"name": f"this run ({cfg.get('encoder')})", "accuracy": report["accuracy"], "macro_f1": report["macro_f1"]},
        {"name": "baseline (TF-IDF + LR)", "accuracy": base_report["accuracy"], "macro_f1": base_report["macro_f1"]},
    ]
    st.plotly_chart(charts.metric_bars(rows), key="scores")
elif cfg.get("encoder") != "baseline":
    if base is None:
        if st.button("Train the baseline on this dataset (seconds)", icon=":material/bolt:", key="train_baseline"):
            ensure_baseline(cfg["dataset"])
            st.rerun()
    else:
        st.info("The baseline is training; its scores appear here when it is done.")

# --- per class and confusion
left, right = st.columns([2, 3])
with left:
    st.subheader("Per class")
    per_class = pd.DataFrame(report["per_class"]).rename(columns={"label": "class"})
    st.dataframe(
        per_class,
        hide_index=True,
        width="stretch",
        column_config={k: st.column_config.NumberColumn(format="%.3f") for k in ("precision", "recall", "f1")},
    )
with right:
    from core.evaluation import most_confused

    keep = most_confused(report["confusion"], MATRIX_CLASSES)
    matrix = [[report["confusion"][i][j] for j in keep] for i in keep]
    event = st.plotly_chart(
        charts.confusion_heatmap(matrix, [labels[i] for i in keep]),
        key="confusion",
        on_select="rerun",
        selection_mode="points",
    )
    if len(keep) < len(labels):
        st.caption(
            f"The {len(keep)} classes most involved in mistakes, of {len(labels):,}; "
            "the table on the left lists every class."
        )

# --- calibration
if "calibration" in report:
    st.plotly_chart(charts.reliability_diagram(report["calibration"]), key="reliability")

from ui import jobs  # noqa: E402

if not jobs.artefacts_ready(run, "the examples of each confusion cell and the list of mistakes"):
    st.stop()
points = run_points(run_id, model_stamp(run))
test = points[points["split"] == "test"]
st.subheader("Examples in a confusion cell")
picked = (event.selection.points if event and event.selection else None) or []
shown = {plotly(label): i for i, label in enumerate(labels)}  # the matrix's axes show escaped labels
if picked:
    cell_key = (picked[0].get("y"), picked[0].get("x"))
    # a new click moves both pickers to its cell; the pickers stay free to change afterwards
    if st.session_state.get("cell_pick") != cell_key and cell_key[0] in shown and cell_key[1] in shown:
        st.session_state["cell_pick"] = cell_key
        st.session_state["cell_true"] = labels[shown[cell_key[0]]]
        st.session_state["cell_pred"] = labels[shown[cell_key[1]]]
for picker, fallback in (("cell_true", labels[0]), ("cell_pred", labels[min(1, len(labels) - 1)])):
    if st.session_state.get(picker) not in labels:  # first visit, or another run with other classes
        st.session_state[picker] = fallback
cols = st.columns(2)
true_label = cols[0].selectbox("True class", labels, key="cell_true")
pred_label = cols[1].selectbox("Predicted class", labels, key="cell_pred")
cell = test[(test["label"] == true_label) & (test["pred"] == pred_label)].sort_values("confidence", ascending=False)
st.caption(
    f"{len(cell)} test texts are **{md(true_label)}** and predicted **{md(pred_label)}** "
    "(click a cell of the matrix to jump here)."
)
st.dataframe(cell[["text", "label", "pred", "confidence"]].head(200), hide_index=True, width="stretch")

# --- mistakes
st.subheader("Mistakes, most confident first")
wrong = test[test["label"] != test["pred"]].sort_values("confidence", ascending=False)
st.caption(f"{len(wrong)} of {len(test)} test texts are misclassified.")
st.dataframe(wrong[["text", "label", "pred", "confidence"]].head(500), hide_index=True, width="stretch")
st.download_button(
    "Download the mistakes as CSV",
    safe_csv(wrong[["text", "label", "pred", "confidence"]]),
    file_name=f"{run_id}-mistakes.csv",
    mime="text/csv",
    icon=":material/download:",
    key="download_mistakes",
)
