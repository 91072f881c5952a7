"""CSV downloads: no formula runs in a spreadsheet, and Excel reads Chinese as UTF-8."""

import io

import pandas as pd

from core.export import for_spreadsheets, safe_csv


def test_cells_a_spreadsheet_would_run_are_quoted_and_plain_ones_kept():
    frame = pd.DataFrame(
        {"text": ["=1+1", "@SUM(A1)", "-2 degrees", "这家店很好"], "label": ["+x", "-1", "+3", "-1.5e3"]}
    )
    back = pd.read_csv(io.StringIO(safe_csv(frame)), dtype=str)
    assert back["text"].tolist() == ["'=1+1", "'@SUM(A1)", "'-2 degrees", "这家店很好"]
    assert back["label"].tolist() == ["'+x", "-1", "+3", "-1.5e3"]  # numbers (ids, labels like -1) join back


def test_the_download_starts_with_one_byte_order_mark_and_reads_back_as_it_was():
    frame = pd.DataFrame({"text": ["这家店的菜太难吃了", "great food"], "label": ["差评", "好评"]})
    data = for_spreadsheets(safe_csv(frame))
    assert data.startswith(b"\xef\xbb\xbf") and not data[3:].startswith(b"\xef\xbb\xbf")
    assert for_spreadsheets(data) == data  # bytes that already carry the mark are left as they are
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back.columns.tolist() == ["text", "label"] and back["text"].tolist() == frame["text"].tolist()
