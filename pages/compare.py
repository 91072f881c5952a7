"""Compare: every run on a dataset against the baseline, curves, per-class F1, two-run tests, a duel."""

import numpy as np
import pandas as pd
import streamlit as st

from ui import charts, state
from ui.boot import through_app
from ui.resources import model_stamp, predictor, run_points
from ui.safe_text import md
from ui.sidebar import runs_for

through_app()  # a deep link on a fresh server: draw this page through app.py
st.title("Compare")
dataset = state.get("dataset")
if not dataset:
    st.info("Pick a dataset first (Data page or the sidebar).")
    st.stop()

runs = [r for r in runs_for(dataset) if (r.eval() or {}).get("accuracy") is not None]
if not runs:
    st.info("No evaluated classification runs on this dataset yet: train a few on the Train page.")
    st.stop()


def describe(run) -> dict:
    cfg, status, report = run.config(), run.status(), run.eval()
    family = cfg["encoder"] + (f"-{cfg['encoder_config'].get('preset')}" if cfg["encoder"] == "transformer" else "")
    return {
        "run": run.id,
        "family": family,
        "task": cfg.get("task", "classify")
        + (f" ({cfg['label_fraction']:.0%} labels)" if cfg.get("label_fraction", 1) < 1 else ""),
        "parameters": report.get("n_parameters"),
        "accuracy": report["accuracy"],
        "macro-F1": report["macro_f1"],
        "train s": status.get("train_seconds"),
        "latency ms": (report.get("latency_ms") or {}).get("median"),
        "state": status.get("state"),
    }


board = pd.DataFrame([describe(r) for r in runs]).sort_values("accuracy", ascending=False).reset_index(drop=True)
st.subheader("Leaderboard")
st.caption(
    "Every evaluated run on this dataset, scored on the same test split. Click a column header to sort; tick rows to compare them below."
)
by_id = {r.id: r for r in runs}
baseline_rows = board.index[board["family"] == "baseline"].tolist()
default = list(dict.fromkeys(board.index[:3].tolist() + baseline_rows[:1]))
event = st.dataframe(
    board,
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="multi-row",
    selection_default={"selection": {"rows": default, "columns": []}},
    key="leaderboard",
    column_config={
        "accuracy": st.column_config.ProgressColumn(min_value=0, max_value=1, format="%.4f"),
        "macro-F1": st.column_config.NumberColumn(format="%.4f"),
        "latency ms": st.column_config.NumberColumn(
            format="%.2f", help="Median time to classify one text, after loading."
        ),
        "parameters": st.column_config.NumberColumn(format="localized"),
        "train s": st.column_config.NumberColumn(format="%.1f"),
    },
)
picked_rows = event.selection.rows if event and event.selection and event.selection.rows else default
chosen = [by_id[board.loc[i, "run"]] for i in picked_rows]
names = {r.id: f"{describe(r)['family']} · {r.id[-4:]}" for r in chosen}

if chosen:
    st.subheader("Learning curves")
    series = {}
    for r in chosen:
        evals = [m for m in r.metrics() if m.get("event") == "eval" and "val/accuracy" in m]
        if evals:
            series[names[r.id]] = ([m["epoch"] for m in evals], [m["val/accuracy"] for m in evals])
    if series:
        st.plotly_chart(charts.overlaid_curves(series, "Validation accuracy per epoch", "accuracy"), key="curves")
    labels = chosen[0].eval()["labels"]
    f1 = {names[r.id]: [c["f1"] for c in r.eval()["per_class"]] for r in chosen if r.eval()["labels"] == labels}
    st.plotly_chart(charts.grouped_bars(labels, f1, "F1 per class"), key="per_class_f1")

if len(chosen) >= 2:
    from core.evaluation import mcnemar

    a, b = chosen[0], chosen[1]
    st.subheader(f"Head to head: {md(names[a.id])} vs {md(names[b.id])}")
    pa = run_points(a.id, model_stamp(a))
    pb = run_points(b.id, model_stamp(b))
    test = pa[pa["split"] == "test"][["text", "label", "pred"]].merge(
        pb[pb["split"] == "test"][["text", "pred"]], on="text", suffixes=("_a", "_b")
    )
    index = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=int)
    for x, y in zip(test["pred_a"], test["pred_b"]):
        matrix[index[x], index[y]] += 1
    result = mcnemar(test["label"].map(index), test["pred_a"].map(index), test["pred_b"].map(index))
    cols = st.columns([3, 2])
    cols[0].plotly_chart(charts.agreement_heatmap(matrix, labels, names[a.id], names[b.id]), key="agreement")
    with cols[1]:
        st.metric("Agreement", f"{np.trace(matrix) / max(1, matrix.sum()):.1%}")
        st.metric(
            "McNemar p-value",
            f"{result.p_value:.4f}",
            help="Chance of a difference at least this large if both models were equally accurate.",
        )
        verdict = "a real difference" if result.p_value < 0.05 else "no significant difference"
        st.caption(
            f"Only {md(names[a.id])} right: {result.only_a_right} · only {md(names[b.id])} right: {result.only_b_right} · "
            f"{'exact binomial' if result.exact else 'χ² with continuity correction'} test → {verdict} at 5%."
        )
    disagree = test[test["pred_a"] != test["pred_b"]].rename(columns={"pred_a": names[a.id], "pred_b": names[b.id]})
    st.caption(f"{len(disagree)} test texts where they disagree")
    st.dataframe(disagree.head(300), hide_index=True, width="stretch")

if chosen:
    st.subheader("Duel: one sentence, every chosen model")
    sentence = st.text_input("Sentence", key="duel_text", placeholder="Type a sentence and press Enter")
    if sentence.strip():
        rows = []
        for r in chosen:
            model = predictor(r.id, model_stamp(r))
            proba = model.predict_proba([sentence])[0]
            top = int(np.argmax(proba))
            rows.append({"model": names[r.id], "prediction": model.labels[top], "confidence": float(proba[top])})
        st.dataframe(
            rows,
            hide_index=True,
            width="stretch",
            column_config={"confidence": st.column_config.ProgressColumn(min_value=0, max_value=1, format="%.3f")},
        )

from core.experiments import list_experiments  # noqa: E402

results = [e for e in list_experiments() if e["config"]["dataset"] == dataset]
if results:
    st.subheader("Pretrained vs scratch: label efficiency")
    latest = results[0]
    st.plotly_chart(charts.label_efficiency(latest["summary"]), key="label_efficiency")
    st.caption(
        f"Experiment {md(latest['id'])}: {latest['config']['seeds']} seeds per point, {latest['config']['steps']} steps per run, "
        f"pretrained run {md(latest['pretrained_run'])}."
    )
    st.dataframe(pd.DataFrame(latest["summary"]), hide_index=True, width="stretch")
