"""Encoder Studio's encoder package: data, tokenisers, encoders, training, runs.

Importing ``core`` is cheap on purpose: torch, pandas and scikit-learn load only when a
submodule that needs them is imported, so the Streamlit app starts in seconds.
This package never imports Streamlit.
"""

__version__ = "0.1.0"
