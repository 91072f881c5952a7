"""“More like this” from any page: pick a text, open Search with it as the query."""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.i18n import t


def more_like_this(texts: list[str], key: str) -> None:
    """A picker of ``texts`` and a button that searches the collection for texts like the one picked."""
    if not texts:
        return
    cols = st.columns([4, 1])
    choice = cols[0].selectbox(
        t("More like this text"),
        range(len(texts)),
        format_func=lambda i: texts[i][:90] + ("…" if len(texts[i]) > 90 else ""),
        key=f"more_like_{key}",
        help=t("Opens Search with this text as the query: the nearest texts by meaning, in any collection."),
    )
    if cols[1].button(t("Find similar texts"), icon=":material/manage_search:", key=f"more_like_{key}_go"):
        st.session_state["search_seed"] = texts[choice]
        st.switch_page("pages/search.py", query_params=state.params())
