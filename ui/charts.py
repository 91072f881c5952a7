"""Plotly figure builders (data in, figure out; no Streamlit calls but ``t``, the session's language).

Builders take plain strings (labels, tokens, texts, run names, titles) and escape every one
with ``safe_text.plotly`` themselves, so plotly shows them as typed and never reads them as its
HTML subset or as ``%{...}`` placeholders. Axes of class labels are categorical, so that labels
such as "0" and "1" stay labels.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ui.i18n import plural, t
from ui.safe_text import isolated, plotly, plotly_all

# ten colours any two of which an audience tells apart (CIELAB ΔE ≥ 20): a violet and a purple, and two
# greens, were the same colour across a room on a ten-class news map. Each stands out on white (contrast
# ≥ 2.4:1): a run's thin curve is drawn in them too, and a light yellow (1.6:1) all but vanished. The first
# eight stay apart for the colour-blind too (ΔE ≥ 15 under simulated deuteranopia and protanopia): a violet
# beside the blue was one colour to a deuteranope on a five-class map (ΔE 4.7), and a brown the red to a
# protanope (3.6); a dark purple and a dark brown keep both apart
PALETTE = ["#3b5bdb", "#f08c00", "#2f9e44", "#e03131", "#862e9c", "#1098ad", "#d6336c", "#5c3d2e", "#b08900", "#495057"]
# a map of more groups than PALETTE holds: with 40 classes, topic_00, topic_10, topic_20 and topic_30 shared a colour
WIDE_PALETTE = [
    *PALETTE,
    *("#5c940d", "#0b7285", "#a61e4d", "#66a80f", "#364fc7", "#e8590c", "#5f3dc4", "#087f5b", "#c2255c", "#868e96"),
    *("#74c0fc", "#ffa8a8", "#8ce99a", "#b197fc", "#ffd43b", "#63e6be", "#faa2c1", "#a9e34b", "#ffc078", "#343a40"),
]
# The toolbar (modebar) sits in the top-right corner on hover; titles stay left and the top margin
# leaves it its own row, so that it never covers a title.
# the map's colourings, as their legend names them
LEGEND_TITLES = {
    "label": "true label",
    "pred": "prediction",
    "correct": "correct / wrong",
    "split": "split",
    "lang": "language",
}
LAYOUT = dict(
    template="plotly_white",
    margin=dict(l=10, r=10, t=56, b=10),
    height=320,
    title_x=0,
    title_xanchor="left",
)


# a chart's axis text: Streamlit's chart theme drew ticks, axis titles and notes in #808495, 3.7:1 on white,
# where WCAG AA asks 4.5:1 (an accessibility review measured it); this is 6.2:1
TEXT_GREY = "#5c5f6e"
DARK_TEXT = "#1a1b1e"


def texts_count(count) -> str:
    """``count`` texts in words, singular or plural: "1 text", "2,000 texts"."""
    return plural(t("{n:,} text(s)", n=int(count)), int(count))


def _relative_luminance(colour: str) -> float:
    rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_colour_on(colour: str) -> str:
    """White or near-black, whichever reads better on a ``#rrggbb`` fill (a score printed inside the
    orange baseline bar was Plotly's #444 at 3.9:1; black there is 8:1)."""
    light = _relative_luminance(colour)
    on_dark = 1.05 / (light + 0.05)
    on_light = (light + 0.05) / (_relative_luminance(DARK_TEXT) + 0.05)
    return "#ffffff" if on_dark >= on_light else DARK_TEXT


def _hex(colour) -> bool:
    return isinstance(colour, str) and len(colour) == 7 and colour.startswith("#")


def readable(fig: go.Figure) -> go.Figure:
    """``fig`` with its axis text dark enough to read (``TEXT_GREY``) and every bar's inside label in the
    colour its fill needs; returns ``fig``. Colours set by hand (a note's own colour) are kept."""
    fig.update_xaxes(tickfont_color=TEXT_GREY, title_font_color=TEXT_GREY)
    fig.update_yaxes(tickfont_color=TEXT_GREY, title_font_color=TEXT_GREY)
    fig.update_layout(legend_title_font_color=TEXT_GREY)
    for note in fig.layout.annotations or ():
        if note.font.color is None:
            note.font.color = TEXT_GREY
    for trace in fig.data:
        if trace.type != "bar" or trace.insidetextfont.color is not None:
            continue
        fill = trace.marker.color
        if _hex(fill):
            trace.insidetextfont.color = text_colour_on(fill)
        elif isinstance(fill, (list, tuple)) and fill and all(_hex(c) for c in fill):
            trace.insidetextfont.color = [text_colour_on(c) for c in fill]
    return fig


BASELINE_COLOUR = PALETTE[1]  # the yardstick is orange on every page
_RUN_PALETTE = [colour for colour in PALETTE if colour != BASELINE_COLOUR]
_WIDE_RUN_PALETTE = [colour for colour in WIDE_PALETTE if colour != BASELINE_COLOUR]


def run_colours(oldest_first: list[str], baseline: str | None, shown: list[str]) -> dict[str, str]:
    """A colour for each run in ``shown`` that stays the same on every page and as runs are added.

    The baseline ``baseline`` is orange; the others take their colour from their place among the
    dataset's runs, oldest first (``oldest_first``), so a new run takes a new colour and leaves the
    others theirs. By position on Compare's board, sorted by accuracy, the baseline was orange on
    Evaluate and green on Compare once a third run scored above it. When two shown runs would share a
    colour (more runs than colours), the shown ones are coloured in turn instead.
    """
    others = [run for run in oldest_first if run != baseline]
    place = {run: i for i, run in enumerate(others)}
    colours = {
        run: BASELINE_COLOUR if run == baseline else _RUN_PALETTE[place.get(run, len(others)) % len(_RUN_PALETTE)]
        for run in shown
    }
    mine = [colours[run] for run in shown if run != baseline]
    if len(set(mine)) < len(mine):
        # more runs shown than the palette has colours: the wide palette's 30 before any repeats (40 runs ticked
        # on Compare put each of 9 colours on 4 or 5 runs)
        palette = _RUN_PALETTE if len(mine) <= len(_RUN_PALETTE) else _WIDE_RUN_PALETTE
        turn = iter(palette * (len(shown) // len(palette) + 1))
        colours = {run: BASELINE_COLOUR if run == baseline else next(turn) for run in shown}
    return colours


def class_balance(counts: dict[str, int]) -> go.Figure:
    """Bar chart of examples per class."""
    labels = list(counts)
    fig = go.Figure(
        go.Bar(
            x=plotly_all(labels),
            y=[counts[k] for k in labels],
            marker_color=PALETTE[0],
            text=[f"{counts[k]:,}" for k in labels],
        )
    )
    fig.update_layout(
        title=t("Examples per class"),
        xaxis_title=t("class"),
        yaxis_title=t("examples"),
        xaxis_type="category",
        **LAYOUT,
    )
    return fig


def length_histogram(frame: pd.DataFrame) -> go.Figure:
    """Histogram of text length (characters), one trace per language.

    A few very long texts would squeeze every other bar into the first bin: the axis ends at the
    99th percentile when the longest text is far beyond it, and a note counts what is left out.
    """
    from ui.i18n import language_name

    lengths = frame["text"].astype(str).str.len()
    cap = float(np.percentile(lengths, 99)) if len(lengths) else 0.0
    clipped = len(lengths) > 0 and lengths.max() > 3 * max(cap, 1.0)
    bins = {"xbins": {"start": 0, "end": cap * 1.02, "size": max(cap * 1.02 / 40, 1.0)}} if clipped else {"nbinsx": 40}
    fig = go.Figure()
    for i, (lang, part) in enumerate(frame.groupby("lang")):
        fig.add_trace(
            go.Histogram(
                x=part["text"].astype(str).str.len(),
                name=plotly(language_name(str(lang))),
                opacity=0.7,
                marker_color=LANGUAGE_COLOURS.get(str(lang), PALETTE[i % len(PALETTE)]),
                **bins,
            )
        )
    if len(lengths) and lengths.nunique() == 1:  # one length: one bar over a plain tick, not "9.9996k"
        only = int(lengths.iloc[0])
        fig.update_traces(xbins={"start": only - 0.5, "end": only + 0.5, "size": 1})
        fig.update_xaxes(range=[only - 5, only + 5], tickvals=[only], tickformat=",d")
    elif len(lengths) and lengths.max() - lengths.min() < 20:  # a narrow spread: whole characters, not 57.2
        fig.update_traces(xbins={"start": lengths.min() - 0.5, "end": lengths.max() + 0.5, "size": 1})
        fig.update_xaxes(dtick=1 if lengths.max() - lengths.min() < 10 else 2, tickformat=",d")
    fig.update_layout(
        barmode="overlay",
        title=t("Text length by language"),
        xaxis_title=t("characters"),
        yaxis_title=t("texts", context="axis"),
        **LAYOUT,
    )
    if clipped:
        longer = lengths[lengths > cap * 1.02]
        note = (
            t("1 longer text ({longest:,} characters) is off the chart", longest=int(lengths.max()))
            if len(longer) == 1
            else t(
                "{n:,} longer texts (up to {longest:,} characters) are off the chart",
                n=len(longer),
                longest=int(lengths.max()),
            )
        )
        note_above(fig, note, x=1, size=11)
    return fig


def text_px(text: str, size: float) -> int:
    """About how wide ``text`` is drawn at font ``size`` (px): a Chinese character is as wide as the font is
    tall, a Latin letter or arrow a little over half of it."""
    return int(sum(size if unicodedata.east_asian_width(ch) in "WF" else 0.62 * size for ch in text)) + 4


def note_above(fig: go.Figure, text: str, x: float, size: int) -> None:
    """Level text just above the plot area, ending at ``x`` (0: its left edge, 1: its right edge).

    Ending at the left edge, it is drawn in the left margin, which is made wide enough for it: above two
    short class names ("neg", "pos") the margin fitted the names, and "真实 ↓" lost half its first character."""
    if x == 0:
        fig.update_layout(margin_l=max(fig.layout.margin.l or 0, text_px(text, size)))
    fig.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=x,
        y=1,
        xanchor="right",
        yanchor="bottom",
        showarrow=False,
        font_size=size,
    )


CURVE_POINTS = 300  # a curve keeps its shape at this many points, and a watching tab stays cheap


def _thin(items: list, limit: int) -> list:
    """At most ``limit`` items, evenly spaced, the first and last kept."""
    if len(items) <= limit:
        return items
    picks = np.linspace(0, len(items) - 1, limit).round().astype(int)
    return [items[i] for i in np.unique(picks)]


def _tick(value) -> str:
    """A lone tick's text: a whole epoch as it is, a fraction to two places."""
    value = float(value)
    return f"{value:,.0f}" if value.is_integer() else f"{value:.2f}"


def tidy_axes(fig: go.Figure, unit_interval: bool = False) -> go.Figure:
    """Axes that fit what is drawn: one epoch is a tick, not an axis from 0 to 2 with the point
    in the middle; a share (accuracy) stays between 0 and 1 rather than running to 1.5."""
    xs = [x for trace in fig.data if trace.x is not None for x in trace.x if x is not None]
    ys = [y for trace in fig.data if trace.y is not None for y in trace.y if y is not None and y == y]
    if xs and len(set(xs)) == 1:  # its tick reads "0.36", not "0.3605263" (a run cut short mid-epoch)
        fig.update_xaxes(range=[xs[0] - 0.5, xs[0] + 0.5], tickvals=[xs[0]], ticktext=[_tick(xs[0])])
    if not unit_interval and ys and len(set(ys)) == 1:  # one value: an axis around it, not 524 to 525.5
        pad = max(abs(float(ys[0])) * 0.1, 1e-3)
        fig.update_yaxes(range=[ys[0] - pad, ys[0] + pad])
    if unit_interval and ys:
        low, high = min(ys), max(ys)
        pad = max(0.02, (high - low) * 0.1)
        fig.update_yaxes(range=[max(0.0, low - pad), min(1.02, high + pad)])
    return fig


def training_curves(metrics: list[dict], key: str, title: str) -> go.Figure:
    """Train (per step) and validation (per epoch) curves of ``key`` (e.g. loss, accuracy)."""
    # the smoothed values run on across epochs; the epoch means (older runs have only those) restart
    # at each epoch, which drew a cliff at every boundary
    train_key = f"train/{key}_recent" if any(f"train/{key}_recent" in m for m in metrics) else f"train/{key}"
    steps = _thin([m for m in metrics if m.get("event") == "step" and train_key in m], CURVE_POINTS)
    evals = [m for m in metrics if m.get("event") == "eval"]
    fig = go.Figure()
    if steps:
        fig.add_trace(
            go.Scatter(
                x=[m["epoch"] for m in steps],
                y=[m[train_key] for m in steps],
                name=t("train"),
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
                name=t("validation"),
                mode="lines+markers",
                line=dict(color=PALETTE[1]),
            )
        )
    fig.update_layout(title=plotly(title), xaxis_title=t("epoch"), **LAYOUT)
    return tidy_axes(fig, unit_interval=key == "accuracy")


TICK_CHARS = 20  # a class name longer than this is cut on an axis (whole in the hover)
LEGEND_CHARS = 28  # and in a map's legend


def cut_names(labels: list[str], limit: int) -> list[str]:
    """Class names cut to ``limit`` characters, told apart where two cuts meet or read as another name:
    "Customer complaint - billing" and "… - delivery" both read "Customer complaint…", and
    "smart_home_lights_o…" beside "smart_home_lights_on" read as it (the pair the model confused most)."""
    labels = [str(label) for label in labels]

    def cut(label: str, keep_end: bool = False) -> str:
        if len(label) <= limit:
            return label
        if keep_end:  # names alike at their start differ at their end
            return "…" + label[-(limit - 1) :].lstrip()
        return label[: limit - 1].rstrip() + "…"

    cuts = [cut(label) for label in labels]
    twins = {c for c in cuts if cuts.count(c) > 1}
    twins |= {
        c
        for c, label in zip(cuts, labels)
        if c != label and any(other != label and other.startswith(c[:-1]) for other in labels)
    }
    cuts = [cut(label, keep_end=True) if c in twins else c for label, c in zip(labels, cuts)]
    twins = {c for c in cuts if cuts.count(c) > 1}
    return [f"{c} ({i + 1})" if c in twins else c for i, c in enumerate(cuts)]


def class_ticks(labels: list[str]) -> dict:
    """Axis settings for class names: long ones cut to ``TICK_CHARS`` on the ticks (whole in the hover).
    Fifty 40-character names turned on their side left a bar chart 64 px of its 320 to draw in.
    Cut before escaping (an "&" cut inside its "&amp;")."""
    labels = [str(label) for label in labels]
    return dict(tickmode="array", tickvals=plotly_all(labels), ticktext=plotly_all(cut_names(labels, TICK_CHARS)))


def tick_room(labels: list[str], crowded_from: int = 7) -> int:
    """Extra height (px) for class names turned on their side under a chart: many classes, long names."""
    if len(labels) < crowded_from:
        return 0
    return int(6.5 * min(TICK_CHARS, max((len(str(text)) for text in labels), default=0)))


ZEROS_SHOWN_BELOW = 10  # classes: from this many on, a confusion matrix leaves its empty cells blank


def confusion_heatmap(confusion: list[list[int]], labels: list[str], row_totals=None) -> go.Figure:
    """Confusion matrix: rows true, columns predicted; each cell can be clicked.

    The axes carry ``plotly(label)``: a click reports those strings, not the labels. ``row_totals``:
    each true class's test texts, for a matrix cut to some of the classes (a share of the cut row
    left out the mistakes that went to the classes not drawn: 57% where the recall was 40%).
    """
    z = np.asarray(confusion)
    totals = z.sum(1, keepdims=True) if row_totals is None else np.asarray(row_totals).reshape(-1, 1)
    row_share = z / np.maximum(totals, 1)
    shown = plotly_all(labels)
    fig = go.Figure(
        go.Heatmap(
            z=row_share.tolist(),
            x=shown,
            y=shown,
            # many classes: the empty cells blank, not 870 zeros around the few mistakes that matter
            text=[[f"{int(v):,}" if v or len(z) < ZEROS_SHOWN_BELOW else "" for v in row] for row in z],
            texttemplate="%{text}",
            # the count in words, "1 text" or "2 texts": the hover said "1 texts"
            customdata=[[texts_count(v) for v in row] for row in z],
            colorscale="Blues",
            zmin=0,
            zmax=1,
            hovertemplate=t("true %{y}<br>predicted %{x}<br>%{customdata} (%{z:.0%} of the row)<extra></extra>"),
            colorbar=dict(title=t("share of row")),
        )
    )
    # Streamlit reports clicks on markers, not on heatmap cells: one invisible marker per cell
    # makes a click pick that cell (its x and y are the cell's labels).
    n = len(shown)
    cell_px = max(6, min(60, 300 // max(1, n)))
    fig.add_trace(
        go.Scatter(
            x=[shown[j] for i in range(n) for j in range(n)],
            y=[shown[i] for i in range(n) for j in range(n)],
            mode="markers",
            marker=dict(symbol="square", size=cell_px, opacity=0.01, color="#000"),
            customdata=[[texts_count(z[i, j]), float(row_share[i, j])] for i in range(n) for j in range(n)],
            hovertemplate=t("true %{y}<br>predicted %{x}<br>%{customdata[0]} (%{customdata[1]:.0%} of the row)")
            + "<extra></extra>",
            showlegend=False,
            name=t("cells"),
        )
    )
    fig.update_layout(
        title=t("Confusion matrix"),
        xaxis_title=t("predicted"),
        xaxis_type="category",
        yaxis_type="category",
        **{**LAYOUT, "height": 420 + tick_room(labels)},
    )
    # the cells' edges are the axes' ends: the click markers padded the autorange, which left an empty strip
    # under the last row and grid lines through the cells (the rows reversed: the first class on top)
    fig.update_xaxes(range=[-0.5, n - 0.5], showgrid=False, **class_ticks(labels))
    fig.update_yaxes(range=[n - 0.5, -0.5], showgrid=False, **class_ticks(labels))
    # The rows' title sits level above their labels: a y-axis title is turned on its side,
    # and turned Chinese characters read sideways.
    note_above(fig, t("true ↓"), x=0, size=14)  # the size of the other axis title
    return fig


LOW_BAR = 0.08  # a bar shorter than this (on a 0-1 axis) has its count above it, not inside


def reliability_diagram(calibration: dict) -> go.Figure:
    """Accuracy against confidence per bin, with the diagonal of perfect calibration."""
    bins = [b for b in calibration["bins"] if b["count"]]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name=t("perfect"), line=dict(dash="dash", color="#adb5bd"))
    )
    fig.add_trace(
        go.Bar(
            x=[(b["lower"] + b["upper"]) / 2 for b in bins],
            y=[b["accuracy"] for b in bins],
            width=[(b["upper"] - b["lower"]) * 0.9 for b in bins],
            name=t("accuracy"),
            marker_color=PALETTE[0],
            # how many texts each bar rests on: a bar of 10 texts looked as solid as one of 400
            text=[f"{b['count']:,}" for b in bins],
            # at the bar's foot: at its top, the dashed diagonal of a well-calibrated bar ran through the count.
            # A bar too low to hold it (accuracy 0: the worst bins) has it above; inside, nothing was drawn
            # and the bin looked empty.
            textposition=["inside" if b["accuracy"] >= LOW_BAR else "outside" for b in bins],
            insidetextanchor="start",
            cliponaxis=False,
            # an outline in the bar's colour: a bar of height 0 is still a line on the axis
            marker_line=dict(color=PALETTE[0], width=2),
            customdata=[[b["count"], b["confidence"]] for b in bins],
            hovertemplate=t(
                "confidence %{customdata[1]:.2f}<br>accuracy %{y:.2f}<br>%{customdata[0]} texts<extra></extra>"
            ),
        )
    )
    fig.update_layout(
        title=presenter_plain(
            t("Reliability (ECE {ece:.3f})", ece=calibration["ece"]),
            t("How sure it is, against how often it is right"),
        ),
        xaxis_title=t("confidence"),
        yaxis_title=t("accuracy"),
        xaxis_range=[0, 1],
        yaxis_range=[0, 1],
        **LAYOUT,
    )
    return fig


def metric_bars(rows: list[dict]) -> go.Figure:
    """Accuracy and macro-F1 of a few runs: a bar per run within each score, the runs named in the
    legend above (a row's ``colour``, when it has one, is its run's on every page). Named under the
    bars, the runs were below the fold of a projector, and two pairs of bars side by side did not say
    which was the model and which the baseline."""
    fig = go.Figure()
    scores = [t("accuracy"), t("macro-F1")]
    for i, row in enumerate(rows):
        fig.add_trace(
            go.Bar(
                x=scores,
                y=[row["accuracy"], row["macro_f1"]],
                name=plotly(row["name"]),
                marker_color=row.get("colour") or PALETTE[i % len(PALETTE)],
                text=[f"{row['accuracy']:.3f}", f"{row['macro_f1']:.3f}"],
            )
        )
    fig.update_layout(barmode="group", title=t("Test-set scores"), yaxis_range=[0, 1], **LAYOUT)
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0), margin_t=84)
    return fig


SPLIT_NAMES = {"train": "train", "val": "validation", "test": "test"}


NO_VALUE = "\x00none"  # the group of texts without a value (an unlabelled text): never a user's label
# correct / wrong as a reader expects them: mistakes in red, right answers a calm grey-blue
OUTCOME_COLOURS = {"correct": "#74c0fc", "wrong": "#e03131"}
# one colour per language on every chart: by position, Chinese was red on one dataset, green on the next
LANGUAGE_COLOURS = {"zh": "#e8590c", "en": "#1c7ed6", "mixed": "#7048e8", "other": "#868e96"}
HOVER_CHARS = 120  # of a text, in a map's hover box


def group_name(colour: str, group: str) -> str:
    """A map legend's entry in words: a language code as its name, a split translated; labels and
    predictions are the user's data, shown as they are."""
    if group == NO_VALUE:
        return t("no label") if colour == "label" else t("n/a")
    if colour == "lang":
        from ui.i18n import language_name

        return language_name(group)
    if colour == "split" and group in SPLIT_NAMES:
        return t(SPLIT_NAMES[group])
    if colour == "correct" and group in OUTCOME_COLOURS:
        return t(group)
    return group


def _short(text: str) -> str:
    """A text cut for a hover box, with an ellipsis where it was cut."""
    text = " ".join(str(text).split())
    return text if len(text) <= HOVER_CHARS else text[: HOVER_CHARS - 1].rstrip() + "…"


HOVER_LINE = 60  # a hover line's width: 60 Latin characters or 30 CJK ones (each as wide as two)
# a CJK character, or a run of other characters, each with the closing marks and spaces after it (a
# line may break after any piece, but never opens on "，")
_CLOSING = "，。！？；：、）」』”’…"
_HOVER_PIECE = re.compile(rf"(?:[\u2e80-\U0002ffff]|[^\s\u2e80-\U0002ffff]+)[{_CLOSING}]*\s*|\s+")


def hover_text(text: str) -> str:
    """A text for a map's hover box: cut (``_short``), escaped for plotly and wrapped into lines.

    One line of 120 Chinese characters was wider than the chart, so the box lost its left edge."""
    return _wrapped(_short(text))


@functools.lru_cache(maxsize=50_000)
def _wrapped(text: str) -> str:
    # cached: a map redraws thousands of hover texts on every rerun (20,000 took 0.8 s to wrap), the same ones
    lines, line, width = [], "", 0
    pieces = []
    for piece in _HOVER_PIECE.findall(text):
        # a URL, or a script written without spaces (Thai), is cut to the line's width rather than overflow it
        while len(piece.rstrip()) > HOVER_LINE:
            pieces.append(piece[:HOVER_LINE])
            piece = piece[HOVER_LINE:]
        pieces.append(piece)
    for piece in pieces:
        word = piece.rstrip()
        size = sum(2 if ord(ch) >= 0x2E80 else 1 for ch in word)
        if line.strip() and width + size > HOVER_LINE:
            lines.append(line.rstrip())
            line, width = "", 0
        line += piece
        width += size + len(piece) - len(word)
    lines.append(line.rstrip())
    return "<br>".join(plotly(isolated(part)) for part in lines if part)


def _map_groups(frame: pd.DataFrame, colour: str):
    """``(marker colour, mask, trace settings)`` per colour group of a map: name, hover text and
    ``customdata`` (row, text, label, prediction, confidence; the row lets a lasso selection list
    the texts). Texts without a value (unlabelled ones) form a group of their own; the hover leaves
    out what a run does not have (labels, predictions)."""
    groups = frame[colour].map(lambda v: NO_VALUE if pd.isna(v) else str(v))
    labelled = "label" in frame and bool(frame["label"].notna().any())
    predicted = "pred" in frame and bool(frame["pred"].notna().any())
    facts = []
    if labelled:
        facts.append(t("true label %{customdata[2]}"))
    if predicted:
        facts.append(t("predicted %{customdata[3]} (%{customdata[4]})"))
    template = "%{customdata[1]}" + ("<br>" + " · ".join(facts) if facts else "") + "<extra></extra>"
    present = set(groups.unique())
    # texts without a value last: first, they took the palette's first colour and moved every class one along
    order = sorted(present - {NO_VALUE}) + ([NO_VALUE] if NO_VALUE in present else [])
    palette = PALETTE if len(order) <= len(PALETTE) else WIDE_PALETTE
    # 60 intents of up to 48 characters: the legend took 40% of the map's width (each point's hover has it whole)
    legend_names = dict(zip(order, cut_names([group_name(colour, group) for group in order], LEGEND_CHARS)))
    for i, group in enumerate(order):
        mask = (groups == group).to_numpy()
        part = frame[mask]
        confidence = part["confidence"] if "confidence" in part else pd.Series(np.nan, index=part.index)
        custom = np.stack(
            [
                part["row"].to_numpy(),
                part["text"].map(hover_text),
                # an Arabic class name laid out as a run of its own: "(%99) رياضة" had its brackets flipped
                part["label"].map(lambda v: "" if pd.isna(v) else plotly(isolated(str(v))))
                if labelled
                else [""] * len(part),
                part["pred"].map(lambda v: "" if pd.isna(v) else plotly(isolated(str(v))))
                if predicted
                else [""] * len(part),
                confidence.map(lambda c: "" if pd.isna(c) else f"{float(c):.0%}"),
            ],
            axis=1,
        )
        if colour == "correct" and group in OUTCOME_COLOURS:
            marker_colour = OUTCOME_COLOURS[group]
        elif colour == "lang" and group in LANGUAGE_COLOURS:
            marker_colour = LANGUAGE_COLOURS[group]
        elif group == NO_VALUE:
            marker_colour = "#adb5bd"
        else:
            marker_colour = palette[i % len(palette)]
        yield (
            marker_colour,
            mask,
            dict(name=plotly(legend_names[group]), mode="markers", customdata=custom, hovertemplate=template),
        )


def embedding_map(
    coords: np.ndarray, frame: pd.DataFrame, colour: str, title: str, star: np.ndarray | None = None
) -> go.Figure:
    """WebGL scatter (2-D) or 3-D scatter of a run's map, one trace per colour group.

    ``frame`` rows match ``coords`` and carry text, label, pred, confidence and the row index
    (``customdata``), so hover shows the text and a lasso selection can list the rows.
    """
    coords = np.asarray(coords, dtype=np.float64)  # rounded float32 would print as -0.6920999884605408
    dims = coords.shape[1]
    fig = go.Figure()
    for colour_value, mask, common in _map_groups(frame, colour):
        # the mistakes stand out on a projector: as small as the right answers, 11 red dots among 400 were lost
        mistake = colour_value == OUTCOME_COLOURS["wrong"] and colour == "correct"
        if dims == 3:
            fig.add_trace(
                go.Scatter3d(
                    x=coords[mask, 0].round(4).tolist(),
                    y=coords[mask, 1].round(4).tolist(),
                    z=coords[mask, 2].round(4).tolist(),
                    marker=dict(size=5 if mistake else 3, color=colour_value, opacity=0.95 if mistake else 0.8),
                    **common,
                )
            )
        else:
            fig.add_trace(
                go.Scattergl(
                    x=coords[mask, 0].round(4).tolist(),
                    y=coords[mask, 1].round(4).tolist(),
                    marker=dict(size=9 if mistake else 5, color=colour_value, opacity=0.95 if mistake else 0.75),
                    **common,
                )
            )
    if star is not None:
        if dims == 3:
            fig.add_trace(
                go.Scatter3d(
                    x=[star[0]],
                    y=[star[1]],
                    z=[star[2]],
                    mode="markers",
                    name=t("your text"),
                    marker=dict(size=10, symbol="diamond", color="#000"),
                )
            )
        else:
            fig.add_trace(
                go.Scatter(
                    x=[star[0]],
                    y=[star[1]],
                    mode="markers",
                    name=t("your text"),
                    # dark with a white rim: a yellow star vanished on an orange class
                    marker=dict(size=22, symbol="star", color="#212529", line=dict(color="#fff", width=2)),
                )
            )
            # named where it lands: a star among 1,500 dots was found only through the legend
            fig.add_annotation(
                x=star[0],
                y=star[1],
                text=t("your text"),
                showarrow=True,
                arrowhead=2,
                arrowwidth=1.5,
                arrowcolor="#212529",
                # towards the middle of the map: a star at its edge had its label cut off by the margin
                ax=-48 if len(coords) and star[0] > float(np.median(coords[:, 0])) else 48,
                ay=44 if len(coords) and star[1] > float(np.median(coords[:, 1])) else -44,
                font=dict(color="#212529", size=14),
                bgcolor="rgba(255,255,255,0.9)",
                bordercolor="#212529",
                borderpad=4,
            )
    fig.update_layout(
        title=plotly(title),
        legend_title=plotly(t(LEGEND_TITLES.get(colour, colour))),
        # a lone group has its legend too (colour by language on an English set drew blue with no key), and
        # the legend's swatches keep one size (3-D markers made them 2-px dots)
        showlegend=True,
        legend_itemsizing="constant",
        dragmode="lasso",
        **{**LAYOUT, "height": 560},
    )
    fig.update_xaxes(showticklabels=False, title=None)
    fig.update_yaxes(showticklabels=False, title=None)
    if dims == 3:  # as in 2-D: a map's coordinates mean nothing, so no "x, y, z" and 0-10 ticks
        bare = dict(showticklabels=False, title=dict(text=""))
        fig.update_scenes(xaxis=bare, yaxis=bare, zaxis=bare)
    return fig


def movement_map(
    before: np.ndarray, after: np.ndarray, frame: pd.DataFrame, colour: str, title: str, max_lines: int = 200
) -> go.Figure:
    """Where fine-tuning moved each text: a line from its place on the before map (a faint grey dot) to
    its place on the aligned after map (a dot in its colour); lines take their group's colour."""
    dims = after.shape[1]
    under = []  # drawn below the after map's own traces
    # a seeded sample: more lines than a few hundred only grey the whole map
    rng = np.random.default_rng(0)
    drawn = np.zeros(len(after), dtype=bool)
    drawn[rng.choice(len(after), size=min(max_lines, len(after)), replace=False)] = True
    scatter = go.Scatter3d if dims == 3 else go.Scattergl
    under.append(
        scatter(
            mode="markers",
            marker=dict(size=2 if dims == 3 else 4, color="#ced4da", opacity=0.6),
            hoverinfo="skip",
            # last in the legend, and said to be grey: first, it read as a class under "true label"
            name=t("before fine-tuning (grey)"),
            legendrank=1001,
            **{"xyz"[d]: before[:, d].round(4).tolist() for d in range(dims)},
        )
    )
    for colour_value, mask, common in _map_groups(frame, colour):
        rows = np.flatnonzero(mask & drawn)
        segments = np.full((len(rows) * 3, dims), np.nan)
        segments[0::3], segments[1::3] = before[rows], after[rows]
        axes = {"xyz"[d]: [None if np.isnan(v) else round(float(v), 4) for v in segments[:, d]] for d in range(dims)}
        under.append(
            scatter(
                mode="lines",
                line=dict(color=colour_value, width=1),
                opacity=0.35,
                hoverinfo="skip",
                legendgroup=common["name"],
                showlegend=False,
                **axes,
            )
        )
    after_map = embedding_map(after, frame, colour, title)
    for trace in after_map.data:
        trace.legendgroup = trace.name  # a class's lines hide and show with its points
    return go.Figure(data=[*under, *after_map.data], layout=after_map.layout)


def movement_animation(
    before: np.ndarray, after: np.ndarray, frame: pd.DataFrame, colour: str, title: str, steps: int = 12
) -> go.Figure:
    """A 2-D map that plays from the before map to the aligned after map (Play, or drag the slider)."""
    fractions = np.linspace(0.0, 1.0, steps + 1)
    groups = list(_map_groups(frame, colour))

    def traces(fraction: float) -> list:
        coords = (1 - fraction) * before + fraction * after
        return [
            go.Scatter(
                x=coords[mask, 0].round(4).tolist(),
                y=coords[mask, 1].round(4).tolist(),
                marker=dict(size=5, color=colour_value, opacity=0.75),
                **common,
            )
            for colour_value, mask, common in groups
        ]

    names = [f"{f:.0%}" for f in fractions]  # of the way from before to after ("0.08, 0.17" read as nothing)
    frames = [go.Frame(data=traces(f), name=name) for f, name in zip(fractions, names, strict=True)]
    both = np.vstack([before, after])
    pad = 0.05 * (both.max(0) - both.min(0) + 1e-9)
    # about 4 s from before to after: slow enough to follow one cluster
    play = dict(frame=dict(duration=300, redraw=False), transition=dict(duration=250), fromcurrent=True)
    fig = go.Figure(data=traces(0.0), frames=frames)
    fig.update_layout(
        title=plotly(title),
        legend_title=plotly(t(LEGEND_TITLES.get(colour, colour))),
        updatemenus=[
            dict(
                type="buttons",
                direction="left",
                x=0,
                y=-0.02,
                xanchor="left",
                yanchor="top",
                buttons=[
                    dict(label=t("▶ Play"), method="animate", args=[None, play]),
                    dict(
                        label=t("❚❚ Pause"),
                        method="animate",
                        args=[[None], dict(frame=dict(duration=0, redraw=False), mode="immediate")],
                    ),
                ],
            )
        ],
        sliders=[
            dict(
                active=0,
                x=0.18,
                len=0.82,
                y=-0.02,
                yanchor="top",
                # at the slider's right end: at its left, the Pause button (wider in Chinese) covered it
                currentvalue=dict(prefix=t("before → after: "), xanchor="right"),
                steps=[
                    dict(
                        label=name,
                        method="animate",
                        args=[[name], dict(frame=dict(duration=0, redraw=False), mode="immediate")],
                    )
                    for name in names
                ],
            )
        ],
        **{**LAYOUT, "height": 620, "margin": dict(l=10, r=10, t=56, b=90)},
    )
    fig.update_xaxes(showticklabels=False, title=None, range=[both[:, 0].min() - pad[0], both[:, 0].max() + pad[0]])
    fig.update_yaxes(showticklabels=False, title=None, range=[both[:, 1].min() - pad[1], both[:, 1].max() + pad[1]])
    return fig


def probability_text(p: float) -> str:
    """A probability to one decimal that never rounds to a certainty it is not: "> 99.9%", "< 0.1%"
    (every answer read "100.0%" beside "0.0%", which looks like a broken model to an audience). A
    softmax is never certain: a float32 1.0 or 0.0 is rounding, so it reads so too."""
    p = float(p)
    if p > 0.999:
        return "> 99.9%"
    if p < 0.001:
        return "< 0.1%"
    return f"{p:.1%}"


def probability_percent(p: float) -> float:
    """The number ``probability_text`` writes, for a table's column formatted ``"%.1f%%"``, which cannot
    say "> 99.9%": the Compare duel showed "64.58%" for the Playground's "64.6%"."""
    return min(max(round(float(p) * 100, 1), 0.1), 99.9)


MAX_PROBABILITY_BARS = 12  # past this the rest share one bar: 1,000 classes drew a chart 34,000 px tall


def probability_bars(labels: list[str], proba: np.ndarray) -> go.Figure:
    """Horizontal bars of class probabilities, most likely on top; past ``MAX_PROBABILITY_BARS`` classes
    the least likely share one bar ("n other classes")."""
    proba = np.asarray(proba, dtype=float)
    order = np.argsort(proba)
    names = [str(labels[i]) for i in order]
    values = proba[order].tolist()
    colours = [PALETTE[0] if i == order[-1] else "#adb5bd" for i in order]
    if len(order) > MAX_PROBABILITY_BARS:
        rest = len(order) - (MAX_PROBABILITY_BARS - 1)
        names = [t("{n} other classes", n=rest), *names[rest:]]
        values = [float(sum(values[:rest])), *values[rest:]]
        colours = ["#dee2e6", *colours[rest:]]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=plotly_all(names),
            orientation="h",
            marker_color=colours,
            text=[probability_text(p) for p in values],
            # by hand: "auto" dropped the label of a bar too thin to hold it (the least likely class had none)
            textposition=["inside" if p >= 0.15 else "outside" for p in values],
            cliponaxis=False,
        )
    )
    fig.update_layout(
        title=t("Class probabilities"),
        xaxis_range=[0, 1.04],  # a little past 100%: the last tick is drawn, not clipped at the edge
        xaxis_tickvals=[0, 0.25, 0.5, 0.75, 1],
        xaxis_tickformat=".0%",
        yaxis_type="category",
        **{**LAYOUT, "height": max(220, 60 + 34 * len(names))},
    )
    # a 48-character intent name left the bars 80 px: cut on the axis as on the other charts, whole in the hover
    fig.update_yaxes(**class_ticks(names))
    return fig


def presenter_plain(term: str, words: str) -> str:
    """``words`` before an audience (presenter mode), ``term`` otherwise (``ui.presenter.plain``)."""
    from ui import presenter

    return presenter.plain(term, words)


MAX_TOKEN_LABELS = 60  # token labels under the attribution bars, at most
TOKEN_LABEL_ROOM = 28  # labels that fit side by side (tilted, or one or two CJK characters upright)


def token_attributions(tokens: list[str], scores: list[float], label: str) -> go.Figure:
    """Tokens in reading order, coloured by how much removing each lowers (green) or raises (red) the prediction."""
    x = list(range(len(tokens)))
    shown = plotly_all(tokens)
    colours = ["#2f9e44" if s > 0 else "#e03131" for s in scores]
    fig = go.Figure(
        go.Bar(
            x=x,
            y=[float(s) for s in scores],
            marker_color=colours,
            customdata=shown,
            hovertemplate="%{customdata}: %{y:+.3f}<extra></extra>",
        )
    )
    fig.update_layout(
        title=plotly(t("Which tokens mattered for “{label}”", label=label)),
        # before an audience, which way each token pushed: its units (log-odds) are the operator's, and
        # "how much it pushed the answer" ran past the chart's height, cut off at its left edge
        # the title reads bottom to top, turned a quarter left: → points up the bars, ← down them
        yaxis_title=presenter_plain(t("drop in log-odds when removed"), t("against ← · for it →")),
        **LAYOUT,
    )
    from ui import presenter

    if presenter.active():
        fig.update_yaxes(showticklabels=False, zeroline=True, zerolinecolor="#868e96")
    # Upright while the labels fit side by side (about 60 narrow characters in a half-width chart, a
    # CJK character counting two); Chinese tokens are one or two characters: upright, never tilted.
    width = sum(sum(2 if ord(ch) > 0x2E80 else 1 for ch in tok) + 2 for tok in tokens)
    if len(tokens) > MAX_TOKEN_LABELS:  # past this the labels pile up unreadably: the bars' hover names them
        fig.update_xaxes(showticklabels=False, title=t("tokens in reading order (hover a bar to see its token)"))
        return fig
    if width <= 60:
        fig.update_xaxes(tickmode="array", tickvals=x, ticktext=shown, tickangle=0)
        return fig
    tilted = max((len(tok) for tok in tokens), default=0) > 2
    # Past that, one label per ~16 px of a half-width chart: a 53-character Chinese review put 53 upright
    # characters in 450 px, one on top of the next. Every n-th token is named then, the others on hover.
    step = math.ceil(len(tokens) / TOKEN_LABEL_ROOM)
    fig.update_xaxes(tickmode="array", tickvals=x[::step], ticktext=shown[::step], tickangle=-45 if tilted else 0)
    if step > 1:
        fig.update_xaxes(title=t("one token in {n} named (hover a bar to see any token)", n=step))
    return fig


def attention_heatmap(weights: np.ndarray, tokens: list[str], layer: int, head: int) -> go.Figure:
    """One head's attention: rows are the attending tokens, columns the attended ones."""
    labels = [f"{i}:{plotly(t)}" for i, t in enumerate(tokens)]
    fig = go.Figure(
        go.Heatmap(
            z=weights.tolist(),
            x=labels,
            y=labels,
            colorscale="Viridis",
            zmin=0,
            hovertemplate="%{y} → %{x}: %{z:.2f}<extra></extra>",
        )
    )
    fig.update_layout(
        title=t("Attention, layer {layer}, head {head}", layer=layer + 1, head=head + 1),
        # which way it reads: nothing said whether a row looks at its columns or the columns at the row
        xaxis_title=t("the token each row looks at"),
        xaxis_type="category",
        yaxis_type="category",
        yaxis_autorange="reversed",
        **{**LAYOUT, "height": 520},
    )
    if len(labels) <= 40:  # every token named on both axes (plotly skipped every other one on the rows)
        fig.update_xaxes(dtick=1)
        fig.update_yaxes(dtick=1)
    return fig


WHOLE_TICKS_UP_TO = 10  # epochs an axis may span and still have a tick at each


def overlaid_curves(
    series: dict[str, tuple[list[float], list[float]]],
    title: str,
    y_title: str,
    unit_interval: bool = False,
    colours: dict[str, str] | None = None,
) -> go.Figure:
    """One line per run (``unit_interval``: the values are shares, drawn between 0 and 1; ``colours``:
    each run's colour, so that it keeps one from chart to chart)."""
    fig = go.Figure()
    for i, (name, (x, y)) in enumerate(series.items()):
        colour = (colours or {}).get(name, PALETTE[i % len(PALETTE)])
        fig.add_trace(go.Scatter(x=x, y=y, name=plotly(name), mode="lines+markers", line=dict(color=colour)))
    fig.update_layout(title=plotly(title), xaxis_title=t("epoch"), yaxis_title=plotly(y_title), **LAYOUT)
    fig.update_layout(showlegend=True)  # even for one run: which run the line is (plotly hides a lone legend)
    xs = [value for x, _ in series.values() for value in x]
    # whole epochs: no "1.2, 1.4" ticks. A tick for each of 30 epochs overlapped at half width (plotly's
    # own ticks are whole numbers, 0, 5, 10, once the axis is that long)
    if xs and all(float(v).is_integer() for v in xs) and max(xs) - min(xs) <= WHOLE_TICKS_UP_TO:
        fig.update_xaxes(dtick=1)
    return tidy_axes(fig, unit_interval)


GROUPED_BAR_LABELS = 24  # bars (classes x runs) up to which each carries its value


def grouped_bars(
    categories: list[str], series: dict[str, list[float]], title: str, colours: dict[str, str] | None = None
) -> go.Figure:
    """Grouped bars: one group per category, one bar per series (``colours``: each series' colour)."""
    fig = go.Figure()
    shown = plotly_all(categories)
    # a value on each bar while they are wide enough to hold one; past that they would overlap
    labelled = len(categories) * len(series) <= GROUPED_BAR_LABELS
    for i, (name, values) in enumerate(series.items()):
        fig.add_trace(
            go.Bar(
                x=shown,
                y=values,
                name=plotly(name),
                marker_color=(colours or {}).get(name, PALETTE[i % len(PALETTE)]),
                texttemplate="%{y:.2f}" if labelled else None,
                textposition="outside" if labelled else "none",
                cliponaxis=False,  # a label near the top is drawn whole, never cut at the plot edge
                hovertemplate=plotly(name) + "<br>%{x}: %{y:.3f}<extra></extra>",
            )
        )
    for i, (name, values) in enumerate(series.items()):
        # a score of 0 is a bar of no height: a class a run never got right read as "no data"
        zeros = [x for x, value in zip(shown, values) if value == 0]
        if zeros and not labelled:
            fig.add_trace(
                go.Scatter(
                    x=zeros,
                    y=[0] * len(zeros),
                    mode="markers",
                    marker=dict(
                        symbol="x-thin",
                        size=9,
                        line=dict(width=2, color=(colours or {}).get(name, PALETTE[i % len(PALETTE)])),
                    ),
                    showlegend=False,
                    cliponaxis=False,
                    name=plotly(name),
                    hovertemplate=plotly(name) + "<br>%{x}: 0.000<extra></extra>",
                )
            )
    fig.update_layout(
        barmode="group",
        title=plotly(title),
        xaxis_type="category",
        # a value too wide for its bar (a phone's narrow bars) is left out: "0.940.93" ran together
        uniformtext_minsize=9,
        uniformtext_mode="hide",
        # a gap between a group's bars: two labels that each fit their bar still touched ("0.940.93")
        bargroupgap=0.1,
        **{**LAYOUT, "height": LAYOUT["height"] + tick_room(categories)},
    )
    fig.update_xaxes(**class_ticks(categories))
    # room above 1.0 for the labels, ticks only up to 1.0
    fig.update_yaxes(range=[0, 1.12 if labelled else 1], tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1.0])
    return fig


def share_text(fraction: float) -> str:
    """A share as the table beside it writes it: 1.5% and 2.5% both read "2%" at whole percents."""
    return f"{round(fraction * 100, 4):g}%"


def agreement_heatmap(matrix: np.ndarray, labels: list[str], name_a: str, name_b: str) -> go.Figure:
    """Counts of test texts by (prediction of A, prediction of B)."""
    shown = plotly_all(labels)
    fig = go.Figure(
        go.Heatmap(
            z=matrix.tolist(),
            x=shown,
            y=shown,
            text=[[f"{int(v):,}" for v in row] for row in matrix],
            texttemplate="%{text}",
            colorscale="Purples",
            colorbar=dict(title=dict(text=t("texts", context="axis"))),  # a title: "文本数", not "条文本"
            # the run names go in escaped: plotly() turns "{" into an entity, so no %{...} can form
            hovertemplate=f"{plotly(name_a)}: %{{y}}<br>{plotly(name_b)}: %{{x}}<br>%{{text}} "
            + t("texts")
            + "<extra></extra>",
        )
    )
    fig.update_layout(
        title=t("Agreement on the test split"),
        # what the rows and columns are: each model's predictions, not true against predicted
        xaxis_title=plotly(t("predicted by {run}", run=name_b)),
        yaxis_title=plotly(t("predicted by {run}", run=name_a)),
        xaxis_type="category",
        yaxis_type="category",
        **{**LAYOUT, "height": 420 + tick_room(labels)},
    )
    n = len(shown)  # the cells' edges are the axes' ends, as on the confusion matrix (its first row on top)
    fig.update_xaxes(range=[-0.5, n - 0.5], showgrid=False, **class_ticks(labels))
    fig.update_yaxes(range=[n - 0.5, -0.5], showgrid=False, **class_ticks(labels))
    return fig


def label_efficiency(summary: list[dict], texts_at: dict[float, int] | None = None) -> go.Figure:
    """Accuracy against the share of labels, scratch vs pretrained: the mean, and the range over seeds
    as a band when there are several. ``texts_at`` (share → labelled training texts) puts the count
    under each share: 1% of a hundred texts is one per class, which the share alone hid."""
    fig = go.Figure()
    arms = {"scratch": t("from scratch"), "pretrained": t("pretrained")}
    for i, (arm, arm_name) in enumerate(arms.items()):
        rows = sorted((s for s in summary if s["arm"] == arm), key=lambda s: s["fraction"])
        if not rows:
            continue
        x = [s["fraction"] for s in rows]
        colour = PALETTE[i]
        if any(s["accuracy_max"] > s["accuracy_min"] for s in rows):  # one seed has no range to draw
            fig.add_trace(
                go.Scatter(
                    x=x + x[::-1],
                    y=[s["accuracy_max"] for s in rows] + [s["accuracy_min"] for s in rows][::-1],
                    fill="toself",
                    fillcolor=colour,
                    opacity=0.15,
                    line=dict(width=0),
                    name=t("{arm}: range over seeds", arm=arm_name),
                    hoverinfo="skip",
                )
            )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[s["accuracy_mean"] for s in rows],
                mode="lines+markers",
                # one seed has no mean and no spread to speak of ("± 0.0000", "from scratch: mean")
                name=t("{arm}: mean", arm=arm_name) if max(s["n"] for s in rows) > 1 else arm_name,
                line=dict(color=colour),
                error_y=dict(
                    type="data", array=[s["accuracy_std"] for s in rows], visible=max(s["n"] for s in rows) > 1
                ),
            )
        )
    fractions = sorted({s["fraction"] for s in summary})
    fig.update_layout(
        title=t("Accuracy against the share of labels"),
        xaxis_type="log",
        # ticks at the measured shares only: plotly's own log ticks crowd (80%90%100%) and sit unevenly
        xaxis_tickvals=fractions,
        xaxis_ticktext=[
            share_text(f)
            + (f"<br>{plural(t('{n:,} text(s)', n=texts_at[f]), texts_at[f])}" if texts_at and f in texts_at else "")
            for f in fractions
        ],
        xaxis_title=t("share of labelled training texts"),
        yaxis_title=t("test accuracy"),
        **LAYOUT,
    )
    fig.update_layout(showlegend=True)  # one arm's lone line (a stopped experiment) still says which it is
    ys = [s[key] for s in summary for key in ("accuracy_min", "accuracy_max")]
    if ys:  # a share: one point drew an axis from -0.5 to 1 (tidy_axes would also re-range the log x-axis)
        pad = max(0.02, (max(ys) - min(ys)) * 0.1)
        fig.update_yaxes(range=[max(0.0, min(ys) - pad), min(1.02, max(ys) + pad)])
    return fig
