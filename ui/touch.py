"""Charts on a touch screen: a one-finger swipe over a chart scrolls the page.

Plotly takes every drag on a chart for itself (a zoom box, the map's lasso, a pan), so on a
phone a swipe that began on a chart moved the chart instead of the page, and a page of
charts could hardly be scrolled. On a touch device the 2-D charts take no drags: a tap
still shows a point's text. Streamlit turns dragging back on for a chart whose points can be
selected (and a tap on a map point did not select it: Plotly sent the click, never the
selection), so on a touch device such a chart (the map, the confusion matrix) is drawn without
selection; the pickers beside it still choose. The 3-D map keeps its one-finger rotation.
"""

from __future__ import annotations

import streamlit as st

# "Mobi" is in every phone browser's User-Agent (Chrome, Safari, Firefox, Samsung Internet);
# Android tablets and iPads that ask for the mobile site carry "Android" or "iPad" instead
_TOUCH_MARKERS = ("Mobi", "Android", "iPad", "iPhone")


def is_touch_agent(user_agent: str) -> bool:
    """True for the User-Agent of a phone or tablet browser."""
    return any(marker in user_agent for marker in _TOUCH_MARKERS)


def on_touch_device() -> bool:
    """True when this session's browser is a phone or tablet (from its User-Agent header)."""
    try:
        agent = st.context.headers.get("User-Agent") or ""
    except Exception:  # no browser behind this run (a bare script, a test harness)
        return False
    return is_touch_agent(agent)


def let_page_scroll(fig):
    """``fig`` with dragging turned off, so a swipe over it scrolls the page; returns ``fig``.

    A 3-D chart keeps its rotation: its scene takes the layout's drag mode as its own default, and
    "off" there froze the map while still holding the swipe."""
    # Plotly's toolbar stays shown on a touch screen, and across the top it sat on the chart's title
    fig.update_layout(dragmode=False, modebar_orientation="v")
    legend = fig.layout.legend
    if legend.orientation != "h" and fig.layout.showlegend is not False:
        # beside the plot, a legend took 30-40% of a phone's width and the toolbar covered its names: below
        # it, in rows, measured from the bottom of the chart so that it clears the axis title
        bottom = fig.layout.margin.b if fig.layout.margin.b is not None else 10
        fig.update_layout(
            legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0, xanchor="left"),
            margin_b=bottom
            + 28 * max(1, len({trace.name for trace in fig.data if trace.showlegend is not False})) // 2,
        )
    if any(str(getattr(trace, "type", "")).endswith("3d") for trace in fig.data):
        fig.update_scenes(dragmode="turntable")
    return fig


def chart(fig, key: str, selection_mode, container=None, described: dict | None = None):
    """Draw ``fig`` so that its points can be selected at a desk; returns the selection event. On a
    touch device it is drawn without selection, so that a swipe over it scrolls the page, and None
    is returned. ``described``: ``ui.presenter.alt``'s arguments, the chart's accessible name."""
    where = container if container is not None else st
    if not on_touch_device():
        return where.plotly_chart(fig, key=key, on_select="rerun", selection_mode=selection_mode, **(described or {}))
    where.plotly_chart(fig, key=key, **(described or {}))
    return None
