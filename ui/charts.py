"""Plotly figure builders (pure functions: data in, figure out; no Streamlit calls)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

PALETTE = ["#3b5bdb", "#f08c00", "#2f9e44", "#e03131", "#7048e8", "#1098ad", "#d6336c", "#5c940d", "#845ef7", "#495057"]
LAYOUT = dict(template="plotly_white", margin=dict(l=10, r=10, t=40, b=10), height=320)


def class_balance(counts: dict[str, int]) -> go.Figure:
    """Bar chart of examples per class."""
    labels = list(counts)
    fig = go.Figure(
        go.Bar(x=labels, y=[counts[k] for k in labels], marker_color=PALETTE[0], text=[counts[k] for k in labels])
    )
    fig.update_layout(title="Examples per class", xaxis_title="class", yaxis_title="examples", **LAYOUT)
    return fig


def length_histogram(frame: pd.DataFrame) -> go.Figure:
    """Histogram of text length (characters), one trace per language."""
    fig = go.Figure()
    for i, (lang, part) in enumerate(frame.groupby("lang")):
        fig.add_trace(
            go.Histogram(
                x=part["text"].str.len(), name=str(lang), opacity=0.7, marker_color=PALETTE[i % len(PALETTE)], nbinsx=40
            )
        )
    fig.update_layout(
        barmode="overlay", title="Text length by language", xaxis_title="characters", yaxis_title="texts", **LAYOUT
    )
    return fig


def training_curves(metrics: list[dict], key: str, title: str) -> go.Figure:
    """Train (per step) and validation (per epoch) curves of ``key`` (e.g. loss, accuracy)."""
    steps = [m for m in metrics if m.get("event") == "step" and f"train/{key}" in m]
    evals = [m for m in metrics if m.get("event") == "eval"]
    fig = go.Figure()
    if steps:
        fig.add_trace(
            go.Scatter(
                x=[m["epoch"] for m in steps],
                y=[m[f"train/{key}"] for m in steps],
                name="train",
                mode="lines",
                line=dict(color=PALETTE[0]),
            )
        )
    val_key = (
        "val/masked_accuracy" if key == "accuracy" and evals and "val/masked_accuracy" in evals[0] else f"val/{key}"
    )
    vals = [m for m in evals if val_key in m]
    if vals:
        fig.add_trace(
            go.Scatter(
                x=[m["epoch"] for m in vals],
                y=[m[val_key] for m in vals],
                name="validation",
                mode="lines+markers",
                line=dict(color=PALETTE[1]),
            )
        )
    fig.update_layout(title=title, xaxis_title="epoch", **LAYOUT)
    return fig


def confusion_heatmap(confusion: list[list[int]], labels: list[str]) -> go.Figure:
    """Confusion matrix: rows true, columns predicted; each cell can be clicked."""
    z = np.asarray(confusion)
    row_share = z / np.maximum(z.sum(1, keepdims=True), 1)
    fig = go.Figure(
        go.Heatmap(
            z=row_share.tolist(),
            x=labels,
            y=labels,
            text=z.tolist(),
            texttemplate="%{text}",
            colorscale="Blues",
            zmin=0,
            zmax=1,
            hovertemplate="true %{y}<br>predicted %{x}<br>%{text} texts (%{z:.0%} of the row)<extra></extra>",
            colorbar=dict(title="share of row"),
        )
    )
    fig.update_layout(
        title="Confusion matrix",
        xaxis_title="predicted",
        yaxis_title="true",
        yaxis_autorange="reversed",
        **{**LAYOUT, "height": 420},
    )
    return fig


def reliability_diagram(calibration: dict) -> go.Figure:
    """Accuracy against confidence per bin, with the diagonal of perfect calibration."""
    bins = [b for b in calibration["bins"] if b["count"]]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="perfect", line=dict(dash="dash", color="#adb5bd")))
    fig.add_trace(
        go.Bar(
            x=[(b["lower"] + b["upper"]) / 2 for b in bins],
            y=[b["accuracy"] for b in bins],
            width=[(b["upper"] - b["lower"]) * 0.9 for b in bins],
            name="accuracy",
            marker_color=PALETTE[0],
            customdata=[[b["count"], b["confidence"]] for b in bins],
            hovertemplate="confidence %{customdata[1]:.2f}<br>accuracy %{y:.2f}<br>%{customdata[0]} texts<extra></extra>",
        )
    )
    fig.update_layout(
        title=f"Reliability (ECE {calibration['ece']:.3f})",
        xaxis_title="confidence",
        yaxis_title="accuracy",
        xaxis_range=[0, 1],
        yaxis_range=[0, 1],
        **LAYOUT,
    )
    return fig


def metric_bars(rows: list[dict]) -> go.Figure:
    """Accuracy and macro-F1 side by side for a few runs."""
    fig = go.Figure()
    for i, metric in enumerate(("accuracy", "macro_f1")):
        fig.add_trace(
            go.Bar(
                x=[r["name"] for r in rows],
                y=[r[metric] for r in rows],
                name=metric.replace("_", "-"),
                marker_color=PALETTE[i],
                text=[f"{r[metric]:.3f}" for r in rows],
            )
        )
    fig.update_layout(barmode="group", title="Test-set scores", yaxis_range=[0, 1], **LAYOUT)
    return fig
