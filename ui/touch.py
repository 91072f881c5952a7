"""Charts on a touch screen: a one-finger swipe over a chart scrolls the page.

Plotly takes every drag on a chart for itself (a zoom box, or the map's lasso), so on a
phone a swipe that began on a chart drew a lasso instead of scrolling, and a page of charts
could hardly be scrolled at all. On a touch device the 2-D charts take taps only (a tap
still selects a point and shows its hover text); the 3-D map keeps its one-finger rotation.
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
    """``fig`` with dragging turned off, so a swipe over it scrolls the page; returns ``fig``."""
    fig.update_layout(dragmode=False)
    return fig
