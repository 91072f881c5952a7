"""Every page runs through app.py, even as the very first request of a fresh server."""

from __future__ import annotations

import streamlit as st


def through_app() -> None:
    """Rerun through ``app.py`` when Streamlit ran this ``pages/`` file by itself.

    Until some session has run ``app.py`` (whose ``st.navigation`` switches the server to its
    own page list), Streamlit serves a ``pages/`` folder the old way: a deep link such as
    ``/train`` on a fresh server ran ``pages/train.py`` alone, without the sidebar, the wide
    layout or the URL state. Switching that mode off and rerunning makes app.py draw the page.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
