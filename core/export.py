"""CSV export that spreadsheet programs cannot turn into formulas."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


# what a spreadsheet may skip before reading a cell's first character: spaces (the ideographic one too),
# line breaks and zero-width marks
_SKIPPED = " \u3000\n\u00a0\u200b\u200c\u200d\u2060\ufeff"


def escape_cell(value: object) -> object:
    """Prefix a quote to strings a spreadsheet would run as a formula (OWASP's advice).

    The first character that counts is the first after spaces, line breaks and zero-width marks,
    in its compatibility form: " =1+1", "\u200b=1+1" and a full-width "＝1+1" (which some
    spreadsheets read as "=") are escaped too. A plain number ("-7", "+3", "-1.5e3") is left as
    it is: a spreadsheet reads it as that number, and ids and labels like -1 must join back to the input.
    """
    if not isinstance(value, str) or _NUMBER.fullmatch(value):
        return value
    start = unicodedata.normalize("NFKC", value.lstrip(_SKIPPED)[:1])
    if value.startswith(_FORMULA_START) or (start and start[0] in _FORMULA_START):
        return "'" + value
    return value


def safe_csv(frame: pd.DataFrame) -> str:
    """The frame as CSV text with every string cell (and header) escaped."""
    escaped = frame.copy()
    escaped.columns = [escape_cell(str(c)) for c in escaped.columns]
    for column in escaped.columns:
        if isinstance(escaped[column].dtype, pd.CategoricalDtype):  # a Parquet file's dictionary columns
            escaped[column] = escaped[column].astype(object)
        if escaped[column].dtype == object or str(escaped[column].dtype).startswith("str"):
            escaped[column] = escaped[column].map(escape_cell)
    return escaped.to_csv(index=False)


def for_spreadsheets(csv: str | bytes) -> bytes:
    """UTF-8 CSV bytes that start with a byte-order mark, once.

    Excel opens a CSV without one in the system's code page, so Chinese texts come out garbled
    on a Chinese Windows; with the mark it reads UTF-8. pandas and Python's csv (``utf-8-sig``)
    read it back either way.
    """
    data = csv.encode("utf-8") if isinstance(csv, str) else bytes(csv)
    return data if data.startswith(b"\xef\xbb\xbf") else b"\xef\xbb\xbf" + data
