"""Encoder Studio: build text encoders from scratch and see what they learned.

Run with ``streamlit run app.py``. Pages live in ``pages/``. Streamlit would list a ``pages/``
folder in the sidebar on its own (on a fresh server's very first paint, before ``st.navigation``
takes over); ``client.showSidebarNavigation = false`` turns that listing off, the navigation
below is hidden, and the sidebar draws its own links (``ui.sidebar``), which carry the active
dataset and run so that a page visit is one history entry. This file only sets up navigation and
the sidebar, so the first page renders without importing torch.
"""

import streamlit as st

from ui import boot, sidebar

boot.page_config()
navigation = st.navigation(
    sidebar.pages(),
    position="hidden",  # the sidebar draws the links itself (ui.sidebar.render)
)
boot.page_title(navigation.title)
boot.frame()
boot.run_app_page(navigation)
