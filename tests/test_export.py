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
    # behind spaces, a line break or a zero-width mark, or written full-width, a formula is still one
    from core.export import escape_cell

    for cell in (" =1+1", "\u3000=1+1", "\n=1+1", "\u200b=1+1", "＝1+1", "－1+1", "＠SUM(A1)"):
        assert escape_cell(cell) == "'" + cell, repr(cell)
    assert escape_cell(" plain text") == " plain text" and escape_cell("数据 = 好") == "数据 = 好"


def test_the_download_starts_with_one_byte_order_mark_and_reads_back_as_it_was():
    frame = pd.DataFrame({"text": ["这家店的菜太难吃了", "great food"], "label": ["差评", "好评"]})
    data = for_spreadsheets(safe_csv(frame))
    assert data.startswith(b"\xef\xbb\xbf") and not data[3:].startswith(b"\xef\xbb\xbf")
    assert for_spreadsheets(data) == data  # bytes that already carry the mark are left as they are
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back.columns.tolist() == ["text", "label"] and back["text"].tolist() == frame["text"].tolist()


def test_category_columns_are_escaped_too():
    """A Parquet file's dictionary-encoded columns load as categories, which were written as they were."""
    frame = pd.DataFrame({"id": pd.Categorical(['=HYPERLINK("http://x","y")', "a1"]), "n": [1, 2]})
    back = pd.read_csv(io.StringIO(safe_csv(frame)), dtype=str)
    assert back["id"].tolist() == ['\'=HYPERLINK("http://x","y")', "a1"] and back["n"].tolist() == ["1", "2"]


def test_the_files_own_text_column_is_kept_when_another_column_was_classified():
    """Titles in "text", bodies classified: the download's "text" held the bodies, the titles lost."""
    from core.inference import with_source_columns

    source = pd.DataFrame({"text": ["My title A", "My title B"], "body": ["x" * 20, "y" * 20]})
    predictions = pd.DataFrame({"text": ["x" * 10, "y" * 10], "prediction": ["a", "b"], "confidence": [0.9, 0.8]})
    out = with_source_columns(predictions, source, "body")
    assert out["text"].tolist() == ["My title A", "My title B"]
    assert out["text_predicted"].tolist() == ["x" * 10, "y" * 10]  # as classified: cut
    own = pd.DataFrame({"text": ["x" * 20, "y" * 20]})  # the classified column is "text": replaced by the texts read
    assert with_source_columns(predictions, own, "text")["text"].tolist() == ["x" * 10, "y" * 10]
