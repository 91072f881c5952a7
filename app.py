"""Encoder Studio: build text encoders from scratch and see what they learned.

Run with ``streamlit run app.py``. Pages live in ``app_pages/`` (not ``pages/``, which Streamlit would also serve on its own,
bypassing this navigation); this file only sets up navigation
and the sidebar, so the first page renders without importing torch.
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
    {
        "Start": [st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True)],
        "Build": [
            st.Page("app_pages/data.py", title="Data", icon=":material/table_view:"),
            st.Page("app_pages/train.py", title="Train", icon=":material/model_training:"),
        ],
        "Inspect": [
            st.Page("app_pages/evaluate.py", title="Evaluate", icon=":material/analytics:"),
            st.Page("app_pages/embeddings.py", title="Embeddings", icon=":material/scatter_plot:"),
            st.Page("app_pages/playground.py", title="Playground", icon=":material/keyboard:"),
            st.Page("app_pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
        ],
    }
)
sidebar.render()
navigation.run()
