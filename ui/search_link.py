"""“More like this” from any page: pick a text, open Search with it as the query."""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.i18n import t


def more_like_this(texts: list[str], names: list[str], key: str) -> None:
    """A picker (by ``names``: the texts themselves are in the table above it) and a button that opens
    Search with the picked text as the query."""
    if not texts:
        return
    cols = st.columns([4, 1])
    choice = cols[0].selectbox(
        t("More like this text"),
        range(len(texts)),
        format_func=lambda i: names[i],
        key=f"more_like_{key}",
        help=t("Opens Search with this text as the query: the nearest texts by meaning, in any collection."),
    )
    if cols[1].button(t("Find similar texts"), icon=":material/manage_search:", key=f"more_like_{key}_go"):
        st.session_state["search_seed"] = texts[choice]
        st.switch_page("pages/search.py", query_params=state.params())
