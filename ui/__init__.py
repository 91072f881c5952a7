"""Streamlit-only code: session state, cached resources, shared widgets and plotly charts."""
