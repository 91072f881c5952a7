"""Encoder Studio: build text encoders from scratch and see what they learned.

Run with ``streamlit run app.py``. Pages live in ``pages/``. Streamlit would list a ``pages/``
folder in the sidebar on its own (on a fresh server's very first paint, before ``st.navigation``
takes over); ``client.showSidebarNavigation = false`` turns that listing off, the navigation
below is hidden, and the sidebar draws its own links (``ui.sidebar``), which carry the active
dataset and run so that a page visit is one history entry. This file only sets up navigation and
the sidebar, so the first page renders without importing torch.
"""

from pathlib import Path

import streamlit as st

# A local file: an emoji or :material/: page icon makes every page fetch its favicon from a font CDN.
FAVICON = str(Path(__file__).parent / "ui" / "assets" / "favicon.svg")
st.set_page_config(page_title="Encoder Studio", page_icon=FAVICON, layout="wide")

from ui import sidebar, state  # noqa: E402  (set_page_config must come first)
from ui.resources import warm_up  # noqa: E402

warm_up()  # once per server: compiles UMAP in a worker process so the first map is quick
state.sync()
navigation = st.navigation(
    sidebar.pages(),
    position="hidden",  # the sidebar draws the links itself (ui.sidebar.render)
)
sidebar.render()
navigation.run()
