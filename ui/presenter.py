"""Presenter mode: for a projector, the controls step aside and the key charts and text grow.

On (``?present=1`` in the URL, or the sidebar toggle), pages skip their settings and
forms and keep what an audience looks at: the live curves, the scores, the map and the
Playground box, all larger. The CSS below is a fixed string of ours; no user text goes in it.
"""

from __future__ import annotations

import streamlit as st

from ui import touch
from ui.i18n import t

PARAM = "present"
SCALE = 1.45  # chart height and font growth
# the tallest a chart grows to: the map (560 px at a desk) at 1.45× ran past a 900-px window, its
# scores below the fold, and headless Chromium drew it cut off once scrolled
MAX_HEIGHT = 640
# a map, under the page's title and settings (280 px down), fits a 1280×800 laptop and a 1024×768
# projector whole at this height: at 640 its bottom cluster was cut off
MAP_HEIGHT = 500

_CSS = """
<style>
section.main, [data-testid="stMain"] { font-size: 1.3rem; }
[data-testid="stMain"] h1 { font-size: 3rem; }
[data-testid="stMain"] h2, [data-testid="stMain"] h3 { font-size: 2.1rem; }
[data-testid="stMetricValue"] { font-size: 3.2rem; }
[data-testid="stMetricLabel"] p { font-size: 1.3rem; }
[data-testid="stMain"] textarea, [data-testid="stMain"] [data-testid="stTextInput"] input {
  font-size: 1.9rem; line-height: 1.4; min-height: 3.6rem;
}
[data-testid="stMain"] [data-testid="stTextInputRootElement"],
[data-testid="stMain"] [data-testid="stTextInput"] [data-baseweb="input"] { height: auto; min-height: 4.2rem; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li { font-size: 1.3rem; }
/* a metric's value and delta are markdown paragraphs too: these come after, and are more specific */
[data-testid="stMain"] [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p { font-size: 3.2rem; }
[data-testid="stMain"] [data-testid="stMetricDelta"] [data-testid="stMarkdownContainer"] p { font-size: 1.1rem; }
[data-testid="stMain"] [data-testid="stMetricDelta"] [data-testid="stMarkdownContainer"] { white-space: normal; }
[data-testid="stMain"] [data-testid="stMetricDelta"] p { white-space: normal; overflow: visible; }
/* the top padding only clears the header bar (3.75rem): at 720 px the default 6rem was room lost above the title */
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 4rem 2rem 2rem 2rem; }
/* a table draws on a canvas that ignores font-size: the grid is zoomed instead (clicks follow the zoom);
   a percentage width is not zoomed, a pixel width (Streamlit sets one) would be */
[data-testid="stMain"] [data-testid="stDataFrame"] { zoom: 1.35; width: 100% !important; }
[data-testid="stMain"] [data-testid="stDataFrame"] [data-testid="stDataFrameResizable"] { width: 100% !important; }
[data-testid="stMain"] [data-testid="stCaptionContainer"],
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.1rem; }
/* the values in drop-downs and number boxes, which stayed at desk size under large labels */
[data-testid="stMain"] input[role="combobox"],
[data-testid="stMain"] [data-testid="stNumberInput"] input { font-size: 1.2rem; }
/* a slider's value sits at a fixed height above its thumb: grown, it fell onto the track */
[data-testid="stMain"] [data-testid="stSliderThumbValue"],
[data-testid="stMain"] [data-testid="stSliderThumbValue"] p,
[data-testid="stMain"] [data-testid="stSliderTickBar"],
[data-testid="stMain"] [data-testid="stSliderTickBar"] p { font-size: 0.875rem; }
</style>
"""


def active() -> bool:
    """True while presenter mode is on (the URL decides, so a shared link keeps it)."""
    return st.query_params.get(PARAM) == "1"


def toggle() -> None:
    """The sidebar switch."""
    st.session_state["presenter_toggle"] = active()
    st.toggle(
        t("Presenter mode"),
        key="presenter_toggle",
        on_change=_flip,
        help=t(
            "For a projector: hides the settings and forms, enlarges the charts, the scores and the Playground box."
        ),
    )


def _flip() -> None:
    if st.session_state.get("presenter_toggle"):
        st.query_params[PARAM] = "1"
    elif PARAM in st.query_params:
        del st.query_params[PARAM]


def plain(term: str, words: str) -> str:
    """``words`` while presenting, ``term`` otherwise: an audience sees no tooltip to explain "McNemar
    p-value" or "Silhouette", so a score is named by what it measures, the term in brackets."""
    return words if active() else term


def score(value: float) -> str:
    """A score as an audience reads it (96.9%) while presenting, to four decimals (0.9695) otherwise."""
    return f"{value:.1%}" if active() else f"{value:.4f}"


def controls(label: str | None = None):
    """Where a page draws its settings: in place normally, folded away while presenting."""
    if active():
        return st.expander(label or t("Settings"), expanded=False, icon=":material/tune:")
    return st.container()


def apply_style() -> None:
    """Larger type while presenting (a fixed stylesheet)."""
    if active():
        st.html(_CSS)


def alt(text: str) -> dict:
    """``{"alt": text}`` for ``st.plotly_chart`` where this Streamlit takes it (1.67 does; 1.48 did not): a
    chart's accessible name. A screen reader read the confusion matrix as "263 3 3 11 6 267 …" and a
    chart of probabilities as a run of numbers."""
    import inspect

    return {"alt": text} if "alt" in inspect.signature(st.plotly_chart).parameters else {}


def scale(fig, fit: int | None = None):
    """``fig`` taller and with larger type while presenting; unchanged otherwise. With ``fit``, no
    taller than that, even if it was at a desk (a map must fit a projector's screen whole).

    Every chart passes through here, so on a phone or tablet its dragging is also turned off:
    a swipe over it scrolls the page (``ui.touch``)."""
    from ui.charts import readable

    readable(fig)  # on every chart: axis text that reads at AA contrast, labels inside bars in their fill's contrast
    if touch.on_touch_device():
        touch.let_page_scroll(fig)
    if not active():
        return fig
    height = fig.layout.height or 450
    size = (fig.layout.font.size if fig.layout.font and fig.layout.font.size else 13) * SCALE
    # Streamlit's chart theme sizes the legend and the ticks itself, so the layout's font alone left
    # them at desk size: each is set here
    fig.update_layout(
        height=min(int(height * SCALE), fit) if fit else max(int(height), min(int(height * SCALE), MAX_HEIGHT)),
        font_size=size,
        title_font_size=size * 1.15,
        legend_font_size=size,
        legend_title_font_size=size,
        hoverlabel_font_size=size,  # a tooltip at desk size (10 px) could not be read from the back of the room
    )
    fig.update_xaxes(tickfont_size=size * 0.9, title_font_size=size)
    fig.update_yaxes(tickfont_size=size * 0.9, title_font_size=size)
    # text placed by hand (the confusion matrix's "true ↓") and the numbers in heatmap cells grow too,
    # and the top margin makes room for the larger title above a note
    for note in fig.layout.annotations or ():
        note.font.size = (note.font.size or 13) * SCALE
        if note.x == 0 and note.xanchor == "right":  # drawn in the left margin, which grows with it
            from ui.charts import text_px

            fig.update_layout(margin_l=max(fig.layout.margin.l or 0, text_px(note.text or "", note.font.size)))
    fig.update_traces(textfont_size=size * 0.9, selector=dict(type="heatmap"))
    # a legend above the plot grew into the title: the top margin grows by the legend's growth (the
    # whole margin scaled pushed a map's plot 25 px further below the fold)
    legend = fig.layout.legend
    if fig.layout.margin.t and legend.orientation == "h" and (legend.y or 0) >= 1:
        fig.update_layout(margin_t=int(fig.layout.margin.t + size - size / SCALE))
    if fig.layout.annotations:
        fig.update_layout(margin_t=max(fig.layout.margin.t or 0, int(56 * SCALE)))
    return fig
