"""The app's frame (page config, URL state, sidebar), drawn once per script run, by app.py or by a page."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import streamlit as st

# A local file: an emoji or :material/: page icon makes every page fetch its favicon from a font CDN.
FAVICON = str(Path(__file__).parent / "assets" / "favicon.svg")
_RUN = threading.local()  # set while app.py runs a page, in the script thread
# A ring around what the keyboard has reached. Streamlit draws a focused sidebar link with the grey of
# the current page and no outline, so a Tab through the page links showed two links that looked
# alike. A fixed stylesheet of ours: no user text goes in it.
_FOCUS_CSS = """
<style>
[data-testid="stApp"] a:focus-visible,
[data-testid="stApp"] button:focus-visible,
[data-testid="stApp"] [role="tab"]:focus-visible,
[data-testid="stApp"] [role="checkbox"]:focus-visible,
[data-testid="stApp"] [role="switch"]:focus-visible,
[data-testid="stApp"] label:has(input:focus-visible) {
  outline: 2px solid #3b5bdb !important; outline-offset: 2px;
}
/* captions hold what a page says (a margin, a verdict, the sidebar's sections): Streamlit draws them at 60%
   opacity, 3.9:1 on white, where WCAG AA asks 4.5:1 (an accessibility review measured it); 74% is 5.5:1 */
[data-testid="stCaptionContainer"] { opacity: 0.74 !important; }
/* the element of the script that sets the page's language (ui.i18n) takes no row */
[data-testid="stElementContainer"]:has(.es-lang) { display: none; }
</style>
"""


def page_config() -> None:
    """Title, favicon, wide layout; the sidebar folds away while presenting. Called before the navigation:
    after it, the page's own Material icon was the favicon for a moment, fetched from fonts.gstatic.com
    (nothing may be fetched from outside the studio's server)."""
    from ui import presenter

    # Streamlit applies a changed sidebar state when the page config changes, so turning
    # presenter mode on folds the sidebar for the audience (its arrow opens it again).
    sidebar = "collapsed" if presenter.active() else "auto"
    st.set_page_config(page_title="Encoder Studio", page_icon=FAVICON, layout="wide", initial_sidebar_state=sidebar)


def page_title(page: str) -> None:
    """The browser tab's title: the page's, then the studio's. Every tab read "Encoder Studio", and a screen
    reader had no page name to announce (a later call changes the title alone)."""
    st.set_page_config(page_title=f"{page} · Encoder Studio")


def _stop_unless_home_usable() -> None:
    """Say once, and stop, when the studio home cannot be one (ENCODER_STUDIO_HOME names a file): every
    page showed the message as a crash, with a traceback through the sidebar."""
    from core.errors import StudioError
    from core.storage import studio_home

    try:
        studio_home()
    except StudioError as exc:
        from ui.i18n import tm
        from ui.safe_text import md

        st.error(md(tm(exc)), icon=":material/folder_off:")
        st.stop()


def frame() -> None:
    """URL state and the sidebar (links, dataset and run pickers); UMAP warm-up once per server."""
    from ui import i18n, presenter, sidebar, state
    from ui.resources import warm_up

    _stop_unless_home_usable()
    warm_up()  # once per server: compiles UMAP in a worker process so the first map is quick
    sidebar.forget_short_names()
    state.sync()
    presenter.apply_style()
    i18n.apply_style()
    st.html(_FOCUS_CSS)
    sidebar.render()


def run_app_page(navigation) -> None:
    """Run the page ``st.navigation`` picked, marked as run through app.py.

    The first page a server shows that needs torch imports it (1.5-3 s cold, before the page
    draws anything): a spinner says so instead of a blank page. Later visits find torch loaded
    and skip it.
    """
    _RUN.through_app = True
    try:
        if "torch" in sys.modules:
            navigation.run()
        else:
            from ui.i18n import t

            # st.spinner shows only after half a second, so a page that needs no torch shows none
            with st.spinner(t("Loading the training tools (only on the server's first visit)…")):
                navigation.run()
    finally:
        _RUN.through_app = False


def through_app() -> None:
    """Draw the app's frame when Streamlit ran this ``pages/`` file by itself.

    Until some session has run ``app.py`` (whose ``st.navigation`` switches the server to its own
    page list), Streamlit serves a ``pages/`` folder the old way: a deep link such as ``/train`` on
    a fresh server ran ``pages/train.py`` alone, without the sidebar, the wide layout or the URL
    state. The frame is drawn here instead (no rerun, so a click in this run is not lost), and the
    old mode is switched off for the server's next runs.
    """
    if getattr(_RUN, "through_app", False):
        return
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    page_config()
    frame()
