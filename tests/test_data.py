import io
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.data import (
    DataLimits,
    SplitConfig,
    clean,
    guess_columns,
    load_file,
    stratified_split,
    to_examples,
    validate,
)
from core.decoding import decode_bytes
from core.errors import DataError

ROWS = [
    ("我很喜欢这本书", "pos"),
    ("质量太差了，不推荐", "neg"),
    ("物流很快，包装完好", "pos"),
    ("用了两天就坏了", "neg"),
]
TRAD = [
    ("我很喜歡這本書，內容豐富", "pos"),
    ("質量太差了，不推薦購買", "neg"),
    ("物流很快，包裝完好無損", "pos"),
    ("用了兩天就壞了，很失望", "neg"),
]


def csv_bytes(rows, encoding="utf-8", header=("text", "label"), sep=","):
    frame = pd.DataFrame(rows, columns=list(header))
    return frame.to_csv(index=False, sep=sep).encode(encoding)


# --------------------------------------------------------------------------- formats


def test_reads_csv_and_guesses_columns():
    table = load_file(csv_bytes(ROWS), "x.csv")
    assert (table.file_format, table.encoding, table.text_column, table.label_column) == (
        "csv",
        "utf-8",
        "text",
        "label",
    )
    assert to_examples(table)["label"].tolist() == ["pos", "neg", "pos", "neg"]


def test_reads_tsv_semicolon_csv_jsonl_and_json_array():
    assert len(load_file(csv_bytes(ROWS, sep="\t"), "x.tsv").frame) == 4
    assert load_file(csv_bytes(ROWS, sep=";"), "x.csv").text_column == "text"
    jsonl = "\n".join(json.dumps({"review": t, "sentiment": y}, ensure_ascii=False) for t, y in ROWS).encode()
    table = load_file(jsonl, "x.jsonl")
    assert (table.text_column, table.label_column) == ("review", "sentiment")
    array = json.dumps([{"text": t, "label": y} for t, y in ROWS]).encode()
    assert len(load_file(array, "x.json").frame) == 4


def test_reads_plain_txt_and_fasttext_txt():
    plain = load_file("第一行\n第二行\n\n第三行\n".encode(), "x.txt")
    assert table_texts(plain) == ["第一行", "第二行", None, "第三行"] or plain.label_column is None
    ft = load_file(b"__label__pos great stuff\n__label__neg __label__x awful\n", "x.txt")
    ex = to_examples(ft)
    assert ex["text"].tolist() == ["great stuff", "awful"]
    assert ex["label"].tolist() == ["pos", "neg"]


def table_texts(table):
    return [t if t.strip() else None for t in table.frame["text"]]


def test_reads_xlsx_and_parquet(tmp_path):
    frame = pd.DataFrame(ROWS, columns=["text", "label"])
    buf = io.BytesIO()
    frame.to_excel(buf, index=False)
    table = load_file(buf.getvalue(), "x.xlsx")
    assert to_examples(table)["text"].tolist() == [t for t, _ in ROWS]
    path = tmp_path / "x.parquet"
    frame.to_parquet(path)
    assert load_file(path).frame.shape == (4, 2)


def test_unsupported_extension():
    with pytest.raises(DataError, match=r"Unsupported file type '\.pdf'"):
        load_file(b"x", "x.pdf")


def test_a_file_whose_first_line_is_not_json_is_not_told_to_delete_that_line():
    """A CSV named .json was told "Line 1 is not valid JSON… fix or delete that line": deleting it only
    moved the error to line 2."""
    with pytest.raises(DataError, match=r"not JSON Lines: its first line is not a JSON object.*ending of what it is"):
        load_file(b"text,label\ngood,pos\nbad,neg\n", "reviews.json")


def test_corrupt_xlsx_and_bad_jsonl_give_clear_errors():
    with pytest.raises(DataError, match="not a valid XLSX workbook"):
        load_file(b"not a zip file", "x.xlsx")
    with pytest.raises(DataError, match="Line 2 is not valid JSON"):
        load_file(b'{"text": "a"}\n{broken\n', "x.jsonl")


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "rows,encoding,expected",
    [
        (ROWS, "utf-8", "utf-8"),
        (ROWS, "utf-8-sig", "utf-8-sig"),
        (ROWS, "gbk", "gb18030"),
        (ROWS, "gb18030", "gb18030"),
        (TRAD, "big5", "big5"),
        (ROWS, "utf-16", "utf-16"),
        (ROWS, "utf-16-le", "utf-16-le"),
        (ROWS, "utf-16-be", "utf-16-be"),
    ],
)
def test_encoding_detection(rows, encoding, expected):
    table = load_file(csv_bytes(rows, encoding), "x.csv")
    assert table.encoding == expected
    assert to_examples(table)["text"].tolist() == [t for t, _ in rows]


def test_encoding_override_and_bad_override():
    data = csv_bytes(ROWS, "gbk")
    assert load_file(data, "x.csv", encoding="gbk").encoding == "gbk"
    with pytest.raises(DataError, match="not valid utf-8"):
        load_file(data, "x.csv", encoding="utf-8")
    with pytest.raises(DataError, match="Unknown encoding 'klingon'"):
        decode_bytes(b"abc", "klingon")


# --------------------------------------------------------------------------- validation: every problem


def frame_of(texts, labels):
    return pd.DataFrame({"text": texts, "label": labels}, dtype=object)


def test_empty_file_is_an_error():
    with pytest.raises(DataError, match="is empty") as info:
        load_file(b"  \n", "x.csv")
    assert info.value.report.codes() == ["empty_file"]
    report = validate(frame_of([], []))
    assert report.codes() == ["empty_file"] and not report.ok


def test_no_text_column():
    table = load_file(b"id,score\n1,2\n3,4\n", "x.csv")
    table.text_column = None
    report = validate(to_examples(table), table=table)
    assert report.codes() == ["no_text_column"]
    assert "No column of text was found" in report.errors[0].message
    report = validate(frame_of(["", "  ", None], ["a", "b", "a"]))
    assert report.codes() == ["no_text_column"] and "every value is empty" in report.errors[0].message


def test_empty_texts_warning():
    report = validate(frame_of(["good", " ", "bad", None, "fine", "awful"], ["p", "n", "n", "p", "p", "n"]))
    problem = next(p for p in report.problems if p.code == "empty_texts")
    assert problem.severity == "warning" and problem.count == 2
    assert "2 rows have an empty or whitespace-only text" in problem.message and "dropped" in problem.fix


def test_missing_labels_warning_and_error():
    report = validate(frame_of(["a1", "b1", "a2", "b2", "c"], ["x", "y", "x", "y", None]))
    problem = next(p for p in report.problems if p.code == "missing_labels")
    assert problem.severity == "warning" and "1 row has no label" in problem.message
    report = validate(frame_of(["a", "b"], [None, None]))
    assert report.errors[0].code == "missing_labels" and "No row has a label" in report.errors[0].message
    assert "pretraining" in report.errors[0].fix
    assert validate(frame_of(["a", "b"], [None, None]), require_labels=False).ok


def test_single_class_error_names_the_class():
    report = validate(frame_of(["a", "b", "c"], ["pos", "pos", "pos"]))
    err = report.errors[0]
    assert err.code == "single_class"
    assert "only 1 usable class ('pos')" in err.message and "at least two" in err.message


def test_too_few_rows_says_so_rather_than_zero_classes():
    report = validate(frame_of(["hello there"], ["pos"]))
    assert report.codes() == ["too_few_rows"]
    assert report.errors[0].message == "Only 1 labelled row: too few to train a classifier."
    assert "at least 4 labelled rows" in report.errors[0].fix
    report = validate(frame_of(["a", "b", "c"], ["x", "y", "z"]))
    assert report.codes() == ["too_few_rows"] and "Only 3 labelled rows" in report.errors[0].message


def test_an_id_column_picked_as_the_label_is_called_one():
    """Every value once: "only 0 usable classes" and "300 classes have fewer than 2 examples" never said why."""
    texts = [f"review number {i} of the phone" for i in range(30)]
    report = validate(frame_of(texts, [str(1000 + i) for i in range(30)]))
    assert report.codes() == ["label_all_distinct"], report.codes()
    assert "is different (30 values in 30 rows): it looks like an id" in report.errors[0].message
    assert "Pick the column that holds the classes" in report.errors[0].fix
    # a few rows, each its own class, are still too few rows, not an id column
    assert validate(frame_of(["a", "b", "c"], ["x", "y", "z"])).codes() == ["too_few_rows"]


def test_a_label_longer_than_a_class_name_is_refused_naming_its_start():
    """3 rows labelled with a million characters each were saved as "No problems found", and pages that
    drew the class name then kept the browser busy for minutes."""
    texts = [f"text number {i} about things" for i in range(30)]
    labels = ["pos", "neg"] * 13 + ["L" * 1_000_000] * 3 + ["L" * 101]
    report = validate(frame_of(texts, labels))
    assert report.codes() == ["long_labels"] and not report.ok
    message = report.errors[0].message
    assert message.startswith("4 rows have labels longer than 100 characters (longest: 1,000,000, starting 'LLL")
    assert len(message) < 300  # the label is not printed whole
    assert validate(frame_of(texts, ["pos", "neg"] * 14 + ["L" * 100, "L" * 100])).ok
    # one stray long label (a quoting slip) is a class of one: left out with a warning, not a refused file
    report = validate(frame_of(texts, ["pos", "neg"] * 14 + ["pos", "M" * 5_000]))
    assert report.ok and report.codes() == ["rare_classes"], report.codes()
    assert "'MMMM" in report.warnings[0].message and len(report.warnings[0].message) < 200


def test_a_broken_json_array_is_blamed_on_its_own_line():
    """A trailing comma on the last line of a pretty-printed array was "Line 1 is not valid JSON (Expecting
    value). Each line must be one JSON object": the advice of a JSON Lines file, on the wrong line."""
    rows = ",\n".join(json.dumps({"text": f"row {i}", "label": "ab"[i % 2]}) for i in range(30))
    with pytest.raises(DataError, match=r"line 33 is not valid JSON \(Expecting value.*comma before a closing"):
        load_file(f"\n[\n{rows},\n]\n".encode(), "rows.json")
    with pytest.raises(DataError, match="line 3 is not valid JSON.*ends before the document does"):  # cut short
        load_file(b'[\n  {"text": "one", "label": "a"},\n  {"text": "tw', "cut.json")
    # a pretty-printed object holding the records: its first line alone is no object, so the document is read
    with pytest.raises(DataError, match="line 33 is not valid JSON"):
        load_file(f'{{"data": [\n\n{rows},\n]}}\n'.encode(), "rows.json")
    with pytest.raises(DataError, match="another document follows the first"):
        load_file(f"[\n{rows}\n]\n[]\n".encode(), "two.json")
    assert len(load_file(f"[\n{rows}\n]\n".encode(), "rows.json").frame) == 30


def test_too_few_texts_to_pretrain_is_a_warning():
    report = validate(frame_of(["just one text"], [None]), require_labels=False)
    assert report.ok and report.codes() == ["too_few_texts"]
    assert "Only 1 text: pretraining needs at least 10" in report.warnings[0].message
    assert validate(frame_of([f"text {i}" for i in range(10)], [None] * 10), require_labels=False).codes() == []


def test_a_one_value_column_is_named_when_no_label_column_is_found():
    rows = "\n".join(f"text number {i} about things,pos" for i in range(30))
    table = load_file(f"text,mood\n{rows}\n".encode(), "one_class.csv")
    assert table.label_column is None
    note = next(p for p in table.notes if p.code == "one_class_column")
    assert note.message.startswith("Column 'mood' has only one class ('pos')") and "unlabelled" in note.fix
    report = validate(to_examples(table), table=table)
    assert "one_class_column" in report.codes() and "--unlabelled" in report.errors[0].fix
    two = load_file(f"text,mood\n{rows}\nanother text,neg\n".encode(), "two.csv")
    assert two.label_column == "mood" and not [p for p in two.notes if p.code == "one_class_column"]


def test_rare_classes_warning():
    report = validate(frame_of(["a", "b", "c", "d", "e"], ["x", "x", "y", "y", "z"]))
    problem = next(p for p in report.problems if p.code == "rare_classes")
    assert problem.severity == "warning" and "'z' (1)" in problem.message
    assert problem.examples == ["e"]  # the text that will be dropped, not the class name again
    assert report.class_counts == {"x": 2, "y": 2}


def test_duplicates_and_conflicting_labels():
    report = validate(frame_of(["a", "a", "b", "c", "c", "d", "e"], ["x", "x", "y", "x", "y", "x", "y"]))
    codes = {p.code: p for p in report.problems}
    assert codes["duplicate_texts"].count == 1 and "1 row repeats a text" in codes["duplicate_texts"].message
    # its example is the repeat it counts: "c", given two labels, is dropped whole and listed below instead
    assert codes["duplicate_texts"].examples == ["a"] and codes["conflicting_labels"].examples == ["c"]
    assert (
        codes["conflicting_labels"].count == 1
        and "1 text appears with different labels" in codes["conflicting_labels"].message
    )
    cleaned = clean(frame_of(["a", "a", "b", "c", "c", "d", "e"], ["x", "x", "y", "x", "y", "x", "y"]))
    assert sorted(cleaned["text"]) == ["a", "b", "d", "e"]


def test_long_texts_warning_and_truncation():
    limits = DataLimits(max_text_chars=10)
    frame = frame_of(["short", "x" * 50, "also short", "tiny"], ["a", "b", "a", "b"])
    problem = next(p for p in validate(frame, limits).problems if p.code == "long_texts")
    assert problem.severity == "warning" and "longer than 10 characters (longest: 50)" in problem.message
    # how much of the file goes: 40 of its 69 characters
    assert problem.message.endswith(f"; cut, they lose {40 / 69:.0%} of the file's characters.")
    assert clean(frame, limits)["text"].str.len().max() == 10


def test_too_many_rows_error():
    frame = frame_of([f"t{i}" for i in range(30)], ["a", "b"] * 15)
    report = validate(frame, DataLimits(max_rows=20))
    err = report.errors[0]
    assert err.code == "too_many_rows" and "30 rows; the limit is 20" in err.message


@pytest.mark.parametrize(
    ("name", "row"),
    [
        ("x.csv", "text {i},a\n"),
        ("x.tsv", "text {i}\ta\n"),
        ("x.csv", '"text {i}, quoted",a\n'),
        ("x.txt", "text {i}\n"),
        ("x.jsonl", '{{"text": "text {i}", "label": "a"}}\n'),
    ],
)
def test_a_file_past_the_row_limit_is_refused_while_it_is_read(name, row):
    """The whole of a 12-million-line file was parsed (a minute, 4 GB) before the limit was checked."""
    head = "text,label\n" if name == "x.csv" else "text\tlabel\n" if name == "x.tsv" else ""
    limits = DataLimits(max_rows=20)
    assert (
        len(load_file((head + "".join(row.format(i=i) for i in range(20))).encode(), name, limits=limits).frame) == 20
    )
    with pytest.raises(DataError, match="more than 20 rows; the limit is 20"):
        load_file((head + "".join(row.format(i=i) for i in range(21))).encode(), name, limits=limits)


def test_an_encoding_chosen_by_hand_leaves_the_byte_order_mark_out_of_the_first_column_name():
    data = "text,label\n好评 很满意,pos\n差评,neg\n".encode("utf-8-sig")
    for encoding in ("utf-8", "utf-8-sig"):
        assert list(load_file(data, "x.csv", encoding=encoding, text_column="text").frame.columns) == ["text", "label"]
    utf16 = "text,label\nfine,pos\n".encode("utf-16-le")
    assert list(load_file(b"\xff\xfe" + utf16, "x.csv", encoding="utf-16-le").frame.columns) == ["text", "label"]


def test_the_cell_limit_of_a_workbook_follows_the_row_limit():
    """6 columns were refused at 170,000 rows (a fixed million cells), under the 200,000 rows promised."""
    from tests.malformed import xlsx

    limits = DataLimits(max_rows=100)
    six = xlsx([[f"c{j}" for j in range(6)], *[[f"text {i}", "a", i, i, i, i] for i in range(100)]])()
    assert len(load_file(six, "x.xlsx", limits=limits).frame) == 100
    wide = xlsx([[f"c{j}" for j in range(20)], *[[f"text {i}", "a", *range(18)] for i in range(100)]])()
    with pytest.raises(DataError, match="more than 1,000 filled cells"):
        load_file(wide, "x.xlsx", limits=limits)


def test_a_label_merged_over_several_rows_labels_each_of_them():
    """A merged B2:B5 holds its value in B2 alone: rows 3-5 read as unlabelled and were dropped."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["评论", "类别", "备注"])
    for i in range(8):
        sheet.append([f"评论文本 {i}", "正面" if i < 4 else "负面", None])
    sheet.merge_cells("B2:B5")
    sheet.merge_cells("B6:B9")
    sheet["C2"] = "first half"
    sheet.merge_cells("C2:C3")
    sheet.append(["a title merged across the columns", None, None])
    sheet.merge_cells("A10:C10")  # across columns: not copied into every column
    buffer = io.BytesIO()
    book.save(buffer)
    table = load_file(buffer.getvalue(), "x.xlsx")
    assert table.frame["类别"].tolist() == ["正面"] * 4 + ["负面"] * 4 + [None]
    assert table.frame["备注"].tolist()[:3] == ["first half", "first half", None]
    (note,) = [n for n in table.notes if n.code == "merged_cells"]
    assert "7 cell(s)" in note.message
    with pytest.raises(DataError, match="damaged or incomplete"):
        load_file(buffer.getvalue()[:3000], "x.xlsx")  # cut short, as a broken download


def test_half_an_emoji_in_a_jsonl_line_is_replaced_not_a_refusal_of_the_file():
    data = ('{"text": "great \\ud83d", "label": "pos"}\n{"text": "ok \\ud83d\\ude00", "label": "neg"}\n' * 5).encode()
    table = load_file(data, "x.jsonl")
    assert table.frame["text"].tolist()[:2] == ["great \ufffd", "ok 😀"]


def test_clean_refuses_data_with_errors():
    with pytest.raises(DataError, match="only 1 usable class"):
        clean(frame_of(["a", "b"], ["x", "x"]))


def test_bad_gbk_file_reports_everything_at_once():
    rows = [("好评", "pos"), ("", "pos"), ("   ", "pos"), ("不错", "pos")]
    table = load_file(csv_bytes(rows, "gbk"), "bad.csv")
    report = validate(to_examples(table), table=table)
    assert table.encoding == "gb18030"
    assert set(report.codes()) >= {"empty_texts", "single_class"} and not report.ok
    text = report.format()
    assert "gb18030" in text and "what to do" in text


def test_report_format_mentions_fix_and_examples():
    report = validate(frame_of(["a", "a", "b", "c"], ["x", "x", "y", "y"]))
    assert "what to do: Only the first copy is kept" in report.format()


# --------------------------------------------------------------------------- columns and splits


def test_guess_columns_by_content():
    frame = pd.DataFrame(
        {
            "id": ["1", "2", "3", "4"],
            "body_text": ["a long text here", "another long one", "more text", "and more"],
            "tag": ["x", "y", "x", "y"],
        }
    )
    assert guess_columns(frame) == ("body_text", "tag")


def test_unknown_column_override():
    with pytest.raises(DataError, match="no text column 'nope'"):
        load_file(csv_bytes(ROWS), "x.csv", text_column="nope")


def test_stratified_split_is_seeded_and_stratified():
    labels = ["a"] * 50 + ["b"] * 30 + ["c"] * 2
    split = stratified_split(labels, SplitConfig(0.1, 0.2, seed=3))
    assert (split == stratified_split(labels, SplitConfig(0.1, 0.2, seed=3))).all()
    assert not (split == stratified_split(labels, SplitConfig(0.1, 0.2, seed=4))).all()
    frame = pd.DataFrame({"label": labels, "split": split})
    counts = frame.groupby(["label", "split"]).size().unstack(fill_value=0)
    assert counts.loc["a"].to_dict() == {"test": 10, "train": 35, "val": 5}
    assert counts.loc["b"].to_dict() == {"test": 6, "train": 21, "val": 3}
    assert counts.loc["c", "train"] == 1 and counts.loc["c", "test"] == 1


def test_split_handles_unlabelled_rows():
    split = stratified_split([None] * 10, SplitConfig(0.1, 0.2, seed=0))
    assert sorted(np.unique(split)) == ["test", "train", "val"]


def test_split_config_rejects_nonsense():
    with pytest.raises(ValueError, match="at least 10%"):
        SplitConfig(0.5, 0.45)


# --------------------------------------------------------------------------- issue 11: nothing imported wrong


def test_an_unquoted_comma_in_a_text_is_an_error_naming_the_rows_never_a_silent_loss():
    data = b"text,label\nNot good at all, battery died,neg\nGreat phone,pos\nSlow, hot and loud,neg\n"
    with pytest.raises(DataError) as err:
        load_file(data, "reviews.csv")
    message = str(err.value)
    assert "more fields than its header (2)" in message and "line(s) 2, 4" in message and "double quotes" in message
    quoted = b'text,label\n"Not good at all, battery died",neg\nGreat phone,pos\n'
    table = load_file(quoted, "reviews.csv")
    assert table.frame["text"].tolist() == ["Not good at all, battery died", "Great phone"]


def test_an_unquoted_tab_in_a_tsv_is_an_error_not_shifted_columns():
    data = b"text\tlabel\nfine\tpos\nbad\tbattery\tneg\n"
    with pytest.raises(DataError, match=r"line\(s\) 3"):
        load_file(data, "x.tsv")


def test_a_tsv_with_quote_characters_inside_texts_reads_as_written():
    data = b'label\ttext\nham\tHe said "see you" at 5\nspam\t"Free" entry\tto win\nham\tok\n'
    with pytest.raises(DataError, match=r"line\(s\) 3"):  # a real extra tab, quotes or not
        load_file(data, "sms.tsv")
    data = b'label\ttext\nham\tHe said "see you" at 5\nspam\t"Free" entry to win a prize\nham\tok\n'
    table = load_file(data, "sms.tsv")
    assert table.frame["text"].tolist() == ['He said "see you" at 5', '"Free" entry to win a prize', "ok"]


def test_utf16_le_without_a_bom_is_decoded_not_imported_as_nul_garbage():
    text = "text,label\nthe match ended two nil,sport\nnew phone chip is faster,tech\n"
    table = load_file(text.encode("utf-16-le"), "x.csv")
    assert table.encoding == "utf-16-le"
    assert table.columns == ["text", "label"] and table.frame["label"].tolist() == ["sport", "tech"]


def test_cr_only_and_mixed_line_endings_read():
    for data in (b"text,label\rgood one,pos\rbad one,neg\r", b"text,label\r\ngood one,pos\nbad one,neg\r"):
        table = load_file(data, "x.csv")
        assert table.frame["label"].tolist() == ["pos", "neg"], data


def test_one_very_long_cell_does_not_reject_the_file():
    long = "word " * 40_000  # 200,000 characters, over the csv module's default field limit
    data = f'text,label\n"{long}",pos\nshort,neg\n'.encode()
    table = load_file(data, "x.csv")
    assert len(table.frame["text"][0]) == len(long)


def test_a_pretty_printed_json_object_holding_records_reads():
    data = json.dumps({"data": [{"text": "a b", "label": "x"}, {"text": "c d", "label": "y"}]}, indent=2).encode()
    table = load_file(data, "x.json")
    assert table.frame["text"].tolist() == ["a b", "c d"]


def test_latin1_and_cp1252_are_offered_and_decode():
    from core.decoding import ENCODINGS

    assert "latin-1" in ENCODINGS and "cp1252" in ENCODINGS
    table = load_file("text,label\ncafé crème,x\nnaïve façade,y\n".encode("cp1252"), "x.csv", encoding="cp1252")
    assert table.frame["text"][0] == "café crème"


WESTERN_ROWS = [
    "It’s the best pizza I’ve had",
    "Don’t go there, the service was “slow”",
    "Señora García cooked a crème brûlée",
    "The façade is naïve – but déjà vu",
    "Größe passt, schön verpackt",
    "A promoção não é válida…",
    "The à la carte menu was fine",
    "The café’s menu, said “touché”",
]


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_western_files_saved_by_windows_are_not_read_as_chinese(encoding):
    rows = [row for row in WESTERN_ROWS if row.encode(encoding, errors="ignore").decode(encoding) == row]
    data = ("text,label\n" + "".join(f'"{row}",{i % 2}\n' for i, row in enumerate(rows * 20))).encode(encoding)
    table = load_file(data, "x.csv")
    assert table.encoding == "cp1252"
    assert table.frame["text"].tolist()[: len(rows)] == rows


def test_a_western_file_whose_only_accent_is_a_word_of_its_own_is_read():
    data = "text,label\nThe à la carte menu was fine,pos\nThe set menu was not,neg\n".encode("cp1252")
    table = load_file(data, "x.csv")
    assert table.encoding == "cp1252" and table.frame["text"][0] == "The à la carte menu was fine"


@pytest.mark.parametrize(
    "text",
    [
        "这家酒店的服务很好，房间干净，早餐也不错。",
        "中文字，英文 word 混合：张三 said 好",
        "啊，太棒了！性价比高。",
        "鍾意呢間餐廳嘅服務",  # traditional characters, in GBK
    ],
)
def test_chinese_in_gbk_stays_chinese_beside_the_western_check(text):
    data = ("text,label\n" + "".join(f"{text},{i % 2}\n" for i in range(30))).encode("gb18030")
    table = load_file(data, "x.csv")
    assert table.encoding != "cp1252" and table.frame["text"][0] == text


def test_traditional_chinese_in_big5_stays_chinese_beside_the_western_check():
    text = "這間餐廳的服務很好，功夫菜也許不錯"
    data = ("text,label\n" + "".join(f"{text},{i % 2}\n" for i in range(30))).encode("big5")
    table = load_file(data, "x.csv")
    assert table.encoding == "big5" and table.frame["text"][0] == text


# --------------------------------------------------------------------------- issue 11: limits while reading


def _xlsx_rows_bomb(rows: int) -> bytes:
    """A sheet of ``rows`` identical rows, written as a stream: a few hundred KB compressed."""
    import zipfile

    buf = io.BytesIO()
    row = b'<row><c t="inlineStr"><is><t>same text</t></is></c><c><v>1</v></c></row>' * 1000
    with (
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as sheet,
    ):
        sheet.write(b"<worksheet><sheetData>")
        sheet.write(b'<row><c t="inlineStr"><is><t>text</t></is></c><c t="inlineStr"><is><t>label</t></is></c></row>')
        for _ in range(rows // 1000):
            sheet.write(row)
        sheet.write(b"</sheetData></worksheet>")
    return buf.getvalue()


def test_xlsx_row_bomb_is_refused_while_unpacking():
    data = _xlsx_rows_bomb(3_000_000)
    assert len(data) < 2_000_000
    with pytest.raises(DataError, match="more than 200,000 rows"):
        load_file(data, "bomb.xlsx")


def _sheet_with_empty_rows(empty: int) -> bytes:
    """A header, two data rows and ``empty`` formatted-only rows, prefixed tags of varied length."""
    import zipfile

    rows = [
        '<x:row r="1"><x:c t="inlineStr"><x:is><x:t>text</x:t></x:is></x:c>'
        '<x:c t="inlineStr"><x:is><x:t>label</x:t></x:is></x:c></x:row>',
        '<x:row r="2"><x:c t="inlineStr"><x:is><x:t>good</x:t></x:is></x:c><x:c><x:v>1</x:v></x:c></x:row>',
        '<x:row r="3"><x:c t="inlineStr"><x:is><x:t>bad</x:t></x:is></x:c><x:c><x:v>0</x:v></x:c></x:row>',
    ]
    rows += [f'<x:row r="{i + 4}" s="{i % 7}"/>' for i in range(empty)]
    xml = '<x:worksheet xmlns:x="m"><x:sheetData>' + "".join(rows) + "<x:rowBreaks/></x:sheetData></x:worksheet>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", xml)
    return buf.getvalue()


@pytest.mark.parametrize("chunk", [5, 7, 64, 1 << 16])
def test_xlsx_row_count_before_parsing_holds_across_chunk_boundaries(monkeypatch, chunk):
    """Row elements are counted before the parse; a tag split between chunks is counted once."""
    import core.xlsx as xlsx

    monkeypatch.setattr(xlsx, "_CHUNK", chunk)
    limits = xlsx.XlsxLimits(max_rows=5)
    allowed = 2 * limits.max_rows + 10_000
    header, rows = xlsx.read_xlsx(_sheet_with_empty_rows(allowed - 3), limits)  # exactly `allowed` row elements
    assert header == ["text", "label"] and rows == [["good", "1"], ["bad", "0"]]
    parsed = []
    monkeypatch.setattr(xlsx, "_read_sheet", lambda *a: parsed.append(1) or ([], set()))
    with pytest.raises(DataError, match="more than 5 rows; the limit is 5"):
        xlsx.read_xlsx(_sheet_with_empty_rows(allowed - 2), limits)
    assert not parsed  # refused by the count, before any parsing


def test_xlsx_with_a_200_mb_cell_is_read_cut_not_whole():
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            '<worksheet><sheetData><row><c t="s"><v>0</v></c><c t="s"><v>2</v></c></row>'
            '<row><c t="s"><v>1</v></c><c t="s"><v>3</v></c></row></sheetData></worksheet>',
        )
        with archive.open("xl/sharedStrings.xml", "w") as strings:
            strings.write(b"<sst><si><t>text</t></si><si><t>")
            for _ in range(200):
                strings.write(b"a" * 1_000_000)
            strings.write(b"</t></si><si><t>label</t></si><si><t>pos</t></si></sst>")
    table = load_file(buf.getvalue(), "cell.xlsx")
    text = table.frame["text"].iloc[0]
    assert 10_000 < len(text) <= 100_000  # cut while reading; validation warns and cuts to 10,000
    assert "long_texts" in validate(to_examples(table), table=table).codes()


def test_xlsx_formula_without_a_cached_value_is_kept_as_its_source():
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["text", "label"])
    book.active.append(["=1+1", "a"])
    book.active.append(["plain", 2.0])
    buf = io.BytesIO()
    book.save(buf)
    frame = to_examples(load_file(buf.getvalue(), "f.xlsx"))
    assert frame["text"].tolist() == ["=1+1", "plain"]
    assert frame["label"].tolist() == ["a", "2"]


def test_nested_parquet_columns_are_left_out_with_a_warning():
    import pyarrow as pa
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(
        pa.table({"text": ["a b", "c d", "e f", "g h"], "label": list("xyxy"), "meta": [{"a": 1, "b": [1, 2]}] * 4}),
        buf,
    )
    table = load_file(buf.getvalue(), "n.parquet")
    assert table.columns == ["text", "label", "meta.a"]  # a struct's fields are columns; its list is left out
    assert {"nested_columns", "spread_objects"} <= set(validate(to_examples(table), table=table).codes())
    only_nested = io.BytesIO()
    pq.write_table(pa.table({"meta": [[1, 2]] * 3}), only_nested)
    with pytest.raises(DataError, match="nested values"):
        load_file(only_nested.getvalue(), "n.parquet")


def test_nested_json_text_is_never_stringified():
    lines = "\n".join(json.dumps({"text": [f"w{i}", "x"], "label": "x"}) for i in range(3))
    with pytest.raises(DataError, match="nested values"):
        load_file(lines.encode(), "n.jsonl")
    # an object's fields become columns of their own; numbers picked as the text get a warning
    lines = "\n".join(json.dumps({"text": {"a": i}, "label": "x"}) for i in range(12))
    table = load_file(lines.encode(), "n.jsonl")
    assert table.text_column == "text.a" and "{" not in "".join(to_examples(table)["text"])
    report = validate(to_examples(table), table=table, require_labels=False)
    assert {"spread_objects", "numbers_as_text"} <= set(report.codes())


@pytest.mark.parametrize("spelling", ["NaN", "None", "null", "NULL", "N/A"])
def test_labels_spelled_as_missing_are_missing(spelling):
    text = f"text,label\na b,pos\nc d,neg\ne f,{spelling}\ng h,pos\ni j,neg\n"
    table = load_file(text.encode(), "l.csv")
    examples = to_examples(table)
    assert examples["label"].isna().sum() == 1
    report = validate(examples, table=table)
    assert spelling not in report.class_counts
    assert {"missing_spelled", "missing_labels"} <= set(report.codes())


def test_emoji_only_texts_are_an_error_and_a_few_a_warning():
    all_emoji = "text,label\n😀😀,a\n🎉,b\n👍,a\n😡,b\n"
    report = validate(to_examples(load_file(all_emoji.encode(), "e.csv")))
    assert "no_words" in [p.code for p in report.errors]
    some = "text,label\n😀😀,a\ngood day,b\nfine thing,a\nbad day,b\n"
    report = validate(to_examples(load_file(some.encode(), "e.csv")))
    assert report.ok and "no_words" in report.codes()


def test_featurizer_with_no_terms_says_why():
    from core.text import BagOfWordsConfig, BagOfWordsFeaturizer

    with pytest.raises(DataError, match="no terms"):
        BagOfWordsFeaturizer(BagOfWordsConfig(tokenizer="word")).fit(["!!", "?? ..."])  # emoji are terms now


@pytest.mark.parametrize(
    ("n_classes", "code", "severity"), [(150, "many_classes", "warning"), (1500, "too_many_classes", "error")]
)
def test_class_count_guard(n_classes, code, severity):
    frame = pd.DataFrame(
        {
            "text": [f"text {i} of {c}" for c in range(n_classes) for i in range(2)],
            "label": [f"c{c}" for c in range(n_classes) for _ in range(2)],
        }
    )
    report = validate(frame)
    assert [p.severity for p in report.problems if p.code == code] == [severity]


def test_number_share_tells_ids_from_texts():
    import pandas as pd

    from core.data import number_share

    assert number_share(pd.Series(["007", "1,234.5", "-3", "12%", None, " "])) == 1.0
    assert number_share(pd.Series(["goal in the last minute", "42", "红烧肉很好吃"])) == pytest.approx(1 / 3)
    assert number_share(pd.Series([1.5, 2.0, 3])) == 1.0 and number_share(pd.Series([], dtype=object)) == 0.0


def test_spread_fields_never_clash_and_never_outrank_a_column_named_as_text():
    import pyarrow as pa
    import pyarrow.parquet as pq

    texts = [f"text number {i} about the match" for i in range(6)]
    # a field "meta.a" beside a column "meta.a", after the object column: it had crashed the import
    rows = [{"text": t, "label": "ab"[i % 2], "meta": {"a": i}, "meta.a": "x"} for i, t in enumerate(texts)]
    table = load_file("\n".join(json.dumps(r) for r in rows).encode(), "c.jsonl")
    assert table.columns == ["text", "label", "meta.a.1", "meta.a"] and table.text_column == "text"
    buf = io.BytesIO()
    pq.write_table(pa.table({"text": texts, "meta.a": ["x"] * 6, "meta": [{"a": i} for i in range(6)]}), buf)
    assert load_file(buf.getvalue(), "c.parquet").columns == ["text", "meta.a", "meta.a.1"]
    # a column named like a text wins over a longer spread field ("user.description"); so does a label
    rows = [{"text": t, "user": {"description": t * 3, "y": i}, "label": "ab"[i % 2]} for i, t in enumerate(texts)]
    table = load_file("\n".join(json.dumps(r) for r in rows).encode(), "tweets.jsonl")
    assert (table.text_column, table.label_column) == ("text", "label")


def test_a_workbook_with_an_empty_first_sheet_is_read_from_its_table_and_an_empty_sheet_named_says_so():
    """The command line read a workbook's first sheet, a note, and refused the file; the Data page's
    picker opened on the table and read it at once."""
    from tests.malformed import xlsx

    book = xlsx([], [["text", "label"], ["a", "x"], ["b", "y"]])()
    table = load_file(book, "book.xlsx")
    assert table.sheet == "Sheet2" and table.frame["text"].tolist() == ["a", "b"]
    assert any(note.code == "other_sheets" and "'Sheet1'" in note.message for note in table.notes)
    with pytest.raises(DataError, match=r"The sheet 'Sheet1' of book\.xlsx has no rows of data.*'Sheet2'.*--sheet"):
        load_file(book, "book.xlsx", sheet="Sheet1")


def test_a_column_whose_name_hints_at_text_or_label_is_found_by_its_name():
    """ "summary" (a name on the list) was taken over a ten times longer "review_body"; Chinese headers
    were guessed by content alone, the label as a random "渠道" (channel) column."""
    reviews = pd.DataFrame(
        {
            "review_id": [f"r{i}" for i in range(6)],
            "summary": ["Great value", "Broke fast", "Love it", "Meh", "Fine", "Bad"],
            "review_body": [f"I rode my first bike on it and the frame held up well over {i} miles" for i in range(6)],
            "text_id": ["t1", "t2", "t3", "t4", "t5", "t6"],
            "star_rating": ["5", "1", "5", "3", "4", "1"],
        }
    )
    assert guess_columns(pd.concat([reviews] * 3)) == ("review_body", "star_rating")
    shop = pd.DataFrame(
        {
            "用户名": ["张三", "李四", "王五", "赵六", "钱七", "孙八"],
            "评论内容": ["这个手机的屏幕非常清楚，电池也很耐用，推荐购买"] * 6,
            "星级": ["五星", "一星", "五星", "三星", "四星", "一星"],
            "渠道": ["app", "web", "app", "web", "app", "web"],
        }
    )
    assert guess_columns(pd.concat([shop] * 3)) == ("评论内容", "星级")


def test_classes_that_differ_only_in_capitals_are_flagged_and_can_be_merged():
    labels = ["food"] * 30 + ["Food"] * 8 + ["FOOD"] * 4 + ["sports"] * 30 + ["Sports"] * 5
    frame = frame_of([f"text number {i}" for i in range(len(labels))], labels)
    report = validate(frame)
    found = [p for p in report.problems if p.code == "case_variants"]
    assert len(found) == 1 and "5 class names differ only in capital letters" in found[0].message
    assert "'food' / 'Food' / 'FOOD'" in found[0].message and found[0].count == 77
    from core.data import merge_case_variants

    merged, mapping = merge_case_variants(frame)
    assert mapping == {"Food": "food", "FOOD": "food", "Sports": "sports"}
    assert merged["label"].value_counts().to_dict() == {"food": 42, "sports": 35}
    assert not any(p.code == "case_variants" for p in validate(merged).problems)
    # a variant of one text is dropped as a rare class unless merged: said first, in the variants' note
    labels = ["pos"] * 30 + ["Pos"] + ["neg"] * 30 + ["NEG"]
    report = validate(frame_of([f"text number {i}" for i in range(len(labels))], labels))
    assert report.codes()[:2] == ["case_variants", "rare_classes"], report.codes()
    assert report.problems[0].message.endswith("Unmerged, 'Pos', 'NEG' have too few examples and will be dropped.")


def test_rows_left_out_are_numbered_as_the_file_numbers_them():
    """The left-out rows' file counted rows of data only: a sheet's row 14 (a title, a blank row and the
    header above the table) was listed as row 11, and a CSV's line 9 as row 6."""
    from core.data import left_out, rows_counted_as, to_examples
    from tests.malformed import xlsx

    limits = DataLimits(min_class_examples=1)
    body = [[f"text number {i} of the file", "ab"[i % 2]] for i in range(8)]

    def left_rows(data: bytes, name: str) -> list[int]:
        table = load_file(data, name)
        examples = to_examples(table)
        assert "the file's own" in rows_counted_as(examples)
        return left_out(examples, limits)["row"].tolist()

    # a sheet: a title, a blank row, the header (sheet row 3), then rows 4…; an empty text at row 6
    sheet = [["Export (Q4)"], [], ["text", "label"], *body[:2], [None, "a"], *body[2:]]
    assert left_rows(xlsx(sheet)(), "book.xlsx") == [6]
    # a CSV: a comment line, the header on line 2, a text over two lines (3-4), a blank line (6), a repeat on 9
    lines = ["# exported 2026-12-01", "text,label", '"first text,\nsecond line",a', "plain text b,b", "", "third,a"]
    csv = "\n".join([*lines, "more text,b", "plain text b,b", *(",".join(r) for r in body)]).encode()
    assert left_rows(csv, "rows.csv") == [9]
    # JSON Lines: blank lines count, as an editor numbers them
    records = [json.dumps({"text": t, "label": label}) for t, label in [("one", "a"), ("two", "b"), ("one", "a")]]
    assert left_rows("\n\n".join(records).encode(), "rows.jsonl") == [5]
    # no header detected: the first line is a row of data, row 1
    headerless = "\n".join(["repeated words,a", "other words,b", "repeated words,a", "more words,b"]).encode()
    assert left_rows(headerless, "rows.csv") == [3]
    # a malformed sheet that repeats a row number (r="4" twice) is counted among its rows of data, as before
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(xlsx([["text", "label"], *body])()))
    repeated = io.BytesIO()
    with zipfile.ZipFile(repeated, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<row r="5"', b'<row r="4"', data)
                data = re.sub(rb'r="([A-Z]+)5"', rb'r="\g<1>4"', data)
            out.writestr(item, data)
    table = load_file(repeated.getvalue(), "repeated.xlsx")
    assert table.row_numbers is None and len(left_out(to_examples(table), limits)) == 0
    # a file with no numbers of its own (a JSON array) is counted among its rows of data, and says so
    array = json.dumps([{"text": t, "label": label} for t, label in [("one", "a"), ("two", "b"), ("one", "a")]])
    examples = to_examples(load_file(array.encode(), "rows.json"))
    assert left_out(examples, limits)["row"].tolist() == [3] and "counted among the rows of data" in rows_counted_as(
        examples
    )


def test_left_out_lists_every_row_clean_drops_with_its_row_and_why():
    """The health report counted the rows it drops and named three; a user fixing the file needs all."""
    from core.data import clean, left_out

    texts = ["same words", "same words", "   ", "no label here", "kept twice", "kept twice", "lonely"]
    labels = ["a", "b", "a", None, "a", "a", "c"]
    texts += [f"filler text {i}" for i in range(6)]
    labels += ["a", "b"] * 3
    frame = frame_of(texts, labels)
    left = left_out(frame, DataLimits(min_class_examples=2))
    assert left.to_dict("list") == {
        "row": [1, 2, 3, 4, 6, 7],
        "text": ["same words", "same words", "   ", "no label here", "kept twice", "lonely"],
        "label": ["a", "b", "a", None, "a", "c"],
        "reason": ["conflicting_labels", "conflicting_labels", "no_text", "no_label", "repeat", "rare_class"],
    }
    kept = clean(frame, DataLimits(min_class_examples=2))
    assert len(kept) + len(left) == len(frame)
    assert left_out(kept, DataLimits(min_class_examples=2)).empty


def test_class_names_in_full_width_letters_are_flagged_and_merged_with_their_plain_spelling():
    """A class "ｆｏｏｄ" typed with a Chinese input method beside "food" was a class of its own, flagged by nothing."""
    labels = ["food"] * 30 + ["ｆｏｏｄ"] * 6 + ["Ｆｏｏｄ"] * 2 + ["sports"] * 30
    frame = frame_of([f"text number {i}" for i in range(len(labels))], labels)
    found = [p for p in validate(frame).problems if p.code == "case_variants"]
    assert len(found) == 1 and "3 class names differ only in capital letters or full-width letters" in found[0].message
    from core.data import merge_case_variants

    merged, mapping = merge_case_variants(frame)
    assert mapping == {"ｆｏｏｄ": "food", "Ｆｏｏｄ": "food"}
    assert merged["label"].value_counts().to_dict() == {"food": 38, "sports": 30}


def test_the_cli_merges_case_variants_only_when_asked(tmp_path, capsys):
    from core.cli import main

    rows = [(f"text number {i}", ["food", "Food", "sports"][i % 3]) for i in range(60)]
    path = tmp_path / "spellings.csv"
    pd.DataFrame(rows, columns=["text", "label"]).to_csv(path, index=False)
    assert main(["data", "import", str(path), "--name", "asis"]) == 0
    assert "differ only in capital letters" in capsys.readouterr().out
    assert main(["data", "import", str(path), "--name", "merged", "--merge-case"]) == 0
    assert "merged class 'Food' into 'food'" in capsys.readouterr().out
    from core.registry import DatasetStore

    classes = {d.name: d.labels for d in DatasetStore().list()}
    assert classes == {"asis": ["Food", "food", "sports"], "merged": ["food", "sports"]}


def test_a_binary_file_under_a_text_ending_is_named_for_what_it_is():
    """A PNG or a PDF renamed .csv got "could not decode as UTF-8 … choose its encoding by hand"."""
    import io

    from tests.malformed import xlsx

    for data, kind in (
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "a PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3", "a PDF"),
        # a program, and bytes no signature names: "Could not decode … as UTF-8, UTF-16, GBK/GB18030 or Big5"
        (Path(sys.executable).resolve().read_bytes()[:200_000], "a program"),
        (b"MZ\x90\x00" + bytes(60) + b"PE\x00\x00" + bytes(range(256)) * 8, "a Windows program"),
        (bytes(range(256)) * 64, "binary data"),
    ):
        with pytest.raises(DataError, match=f"shot.csv is not a text file: it looks like {kind}") as caught:
            load_file(data, "shot.csv")
        assert "encoding" not in str(caught.value)
    # a workbook or a Parquet file saved as .csv is read as what it is, with a note
    book = xlsx([["text", "label"], *[[f"text {i}", "ab"[i % 2]] for i in range(6)]])()
    table = load_file(book, "export.csv")
    assert len(table.frame) == 6 and table.text_column == "text"
    assert any(n.code == "disguised_format" and "an Excel workbook" in n.message for n in table.notes)
    buffer = io.BytesIO()
    pd.DataFrame({"text": ["a b", "c d"], "label": ["x", "y"]}).to_parquet(buffer)
    assert len(load_file(buffer.getvalue(), "table.txt").frame) == 2


def test_a_text_file_with_tabs_between_fields_is_read_as_a_table():
    """Excel's "Unicode Text" export (UTF-16, tab-separated, .txt) came in as one text per line,
    the header a text and every text carrying its id and its label."""
    rows = ["编号\t内容\t评价"] + [
        f"{i}\t第{i}条评论：服务{'非常好' if i % 2 else '太差了'}\t{'好评' if i % 2 else '差评'}" for i in range(40)
    ]
    table = load_file("\r\n".join(rows).encode("utf-16"), "export.txt")
    assert table.columns == ["编号", "内容", "评价"] and (table.text_column, table.label_column) == ("内容", "评价")
    assert len(table.frame) == 40 and any(n.code == "txt_table" for n in table.notes)
    # a text file whose lines only now and then hold a tab stays one text per line
    lines = [f"line {i} of plain text" + ("\twith a tab" if i % 5 == 0 else "") for i in range(40)]
    plain = load_file("\n".join(lines).encode(), "notes.txt")
    assert plain.columns == ["text"] and len(plain.frame) == 40 and not any(n.code == "txt_table" for n in plain.notes)
    # a poem with every line indented by a tab is a poem
    poem = load_file(b"\tRoses are red\n\tViolets are blue\n\tSugar is sweet\n\tAnd so are you\n", "poem.txt")
    assert poem.columns == ["text"] and len(poem.frame) == 4


def test_a_tab_table_with_an_empty_last_column_is_still_a_table():
    """A stray cell in column C makes Excel and WPS end every line with a tab: the header's empty last
    field made the file one text per line ("text\tlabel" a text), unlabelled, with "No problems found"."""
    rows = ["text\tlabel\t"] + [
        f"review {i} {'great' if i % 2 else 'awful'}\t{'pos' if i % 2 else 'neg'}\t" for i in range(40)
    ]
    for encoded in (
        "\r\n".join(rows).encode("utf-16"),
        "\r\n".join(rows).replace("text\tlabel", "文本\t标签").encode("gbk"),
    ):
        table = load_file(encoded, "export.txt")
        assert (table.text_column, table.label_column) in (("text", "label"), ("文本", "标签")), table.columns
        assert len(table.frame) == 40 and not table.frame[table.text_column].str.contains("\t").any()
    # lines that each end in a tab, one text apiece, are not a table named by the first
    lines = load_file("".join(f"sentence number {i}\t\n" for i in range(20)).encode(), "lines.txt")
    assert lines.columns == ["text"] and len(lines.frame) == 20


def test_a_sheets_title_saved_as_csv_is_skipped_and_the_rows_keep_their_lines():
    """Excel saves a titled sheet as "ACME tickets — export;;;" over the header: the title became the column
    names, and the real ones a row of data, read as a class of one ('Category' (1))."""
    from core.data import FILE_ROW, sift, to_examples

    body = "".join(f"ticket {i} about my bill;{'ab'[i % 2]};bob\r\n" for i in range(8))
    data = f"ACME support tickets — export 30 Nov 2026;;\r\n;;\r\nMessage;Category;Agent\r\n{body}".encode("cp1252")
    table = load_file(data, "tickets.csv")
    assert table.columns == ["Message", "Category", "Agent"] and len(table.frame) == 8
    assert (table.text_column, table.label_column) == ("Message", "Category")
    (note,) = [n for n in table.notes if n.code == "rows_above_table"]
    assert "lines above its table (“ACME support tickets — export 30 Nov 2026”)" in note.message
    kept, _ = sift(to_examples(table))
    assert kept[FILE_ROW].tolist() == list(range(4, 12))  # the file's own lines, the title's counted
    # a header with a name left blank ("Feedback,"), or a headerless file whose first row lacks a field, reads
    # like a title over a row of data: taken for one, the first row became the column names (a review finding)
    blank_name = b"Feedback,\n" + b"".join(b"I liked item %d a lot,2024-01-%02d\n" % (i, i % 28 + 1) for i in range(40))
    assert load_file(blank_name, "f.csv").columns[0] == "Feedback" and len(load_file(blank_name, "f.csv").frame) == 40
    headerless = b"What is X?,\n" + b"".join(b"Question %d?,Answer number %d\n" % (i, i) for i in range(40))
    assert len(load_file(headerless, "q.csv").frame) == 40
    # a title over column names the studio knows, with a few rows under it, is one
    small = b"ACME export,,\nmessage,category,agent\n" + b"".join(b"ticket %d,a,bob\n" % i for i in range(3))
    assert load_file(small, "s.csv").columns == ["message", "category", "agent"]
    # a table whose first row of data lacks its label, or a one-column file, starts at the top as before
    gappy = load_file(
        b"text,label\nfirst text,\nsecond text,b\n" + b"".join(b"t %d,a\n" % i for i in range(6)), "g.csv"
    )
    assert gappy.columns == ["text", "label"] and len(gappy.frame) == 8 and not gappy.notes
    assert load_file(b"text\nfirst\nsecond\nthird\n", "one.csv").columns == ["text"]


def test_a_title_and_a_blank_row_above_a_sheets_table_are_skipped():
    """Read as the header, "News export (Q4)" made every column "Unnamed" and the real names a row of data."""
    from tests.malformed import xlsx

    table_rows = [
        ["id", "article_body", "category"],
        *[[i, f"article {i} about the match", "ab"[i % 2]] for i in range(8)],
    ]
    table = load_file(xlsx([["News export (Q4)"], [], *table_rows])(), "news.xlsx")
    assert table.columns == ["id", "article_body", "category"] and len(table.frame) == 8
    assert (table.text_column, table.label_column) == ("article_body", "category")
    (note,) = [n for n in table.notes if n.code == "rows_above_table"]
    assert "rows above its table (“News export (Q4)”)" in note.message and "taken for a title" in note.message
    # a sheet whose first rows are data with a gap (no label yet) starts at the top, as it did
    gappy = [
        ["text", "label"],
        ["first text", None],
        ["second text", "b"],
        *[[f"text {i}", "ab"[i % 2]] for i in range(6)],
    ]
    assert len(load_file(xlsx(gappy)(), "gappy.xlsx").frame) == 8
    # a one-column sheet with a note beside one row keeps its header and every row
    noted = [["review"], ["great phone"], ["screen cracked"], ["fast delivery", "checked by Ann"], ["works fine"]]
    table = load_file(xlsx(noted)(), "noted.xlsx")
    assert table.text_column == "review" and len(table.frame) == 4


def test_group_headings_merged_over_a_sheets_column_names_are_skipped():
    """ "Feedback" over A1:B1 and "Meta" over C1:D1 were read as the header: columns "Unnamed: 1" and
    "Unnamed: 3", and the real names ("text", "label", …) a row of data."""
    import io

    from openpyxl import Workbook

    def book(merge: bool, heading: str = "Customer feedback", agent_over_two_rows: bool = False) -> bytes:
        workbook = Workbook()
        sheet = workbook.active
        sheet.append([heading, None, "agent" if agent_over_two_rows else "Meta", None])
        sheet.append(["comment", "sentiment", None if agent_over_two_rows else "agent", "date"])
        for i in range(12):
            sheet.append(
                [f"comment number {i} on the service", ["pos", "neg", "neu"][i % 3], "bob", f"2026-01-{i + 1:02d}"]
            )
        if merge:
            sheet.merge_cells("A1:B1")
            sheet.merge_cells("C1:C2" if agent_over_two_rows else "C1:D1")
            if agent_over_two_rows:
                sheet["D1"] = "date"
                sheet["D2"] = None
                sheet.merge_cells("D1:D2")
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    table = load_file(book(merge=True), "feedback.xlsx")
    assert table.columns == ["comment", "sentiment", "agent", "date"] and len(table.frame) == 12
    assert (table.text_column, table.label_column) == ("comment", "sentiment")
    (note,) = [n for n in table.notes if n.code == "rows_above_table"]
    assert "“Customer feedback · Meta”" in note.message
    # a heading named like a column ("Review") is a heading all the same
    named = load_file(book(merge=True, heading="Review"), "feedback.xlsx")
    assert named.columns == ["comment", "sentiment", "agent", "date"] and len(named.frame) == 12
    # a two-level header: "Review" over A1:B1, and "agent" and "date" each merged down over both header rows
    two_level = load_file(book(merge=True, heading="Review", agent_over_two_rows=True), "feedback.xlsx")
    assert two_level.columns == ["comment", "sentiment", "agent", "date"] and len(two_level.frame) == 12
    # the same two cells without merged ranges may be a row of data with gaps: the sheet starts at the top
    unmerged = load_file(book(merge=False), "feedback.xlsx")
    assert unmerged.columns[0] == "Customer feedback" and len(unmerged.frame) == 13


def test_a_gbk_line_that_happens_to_be_valid_utf8_does_not_make_a_file_mixed():
    """ "目录" in GBK (c4bf c2bc) is also valid UTF-8 ("Ŀ¼"): the file is GBK all through."""
    rows = [("目录", "nav"), *[(f"这本书的第{i}章写得很好", "pos") for i in range(6)]]
    table = load_file(csv_bytes(rows, encoding="gbk"), "gbk.csv")
    assert table.encoding == "gb18030" and table.frame["text"].tolist()[0] == "目录"
    assert not any(n.code == "mixed_encodings" for n in table.notes)


def test_a_workbook_sheet_is_read_by_name():
    """The texts on a workbook's second sheet were out of reach but by re-saving the workbook."""
    from tests.malformed import xlsx

    notes = [["owner", "date"], ["Ann", "2026-11-30"]]
    reviews = [["review", "rating"], *[[f"review {i} of the hotel room", "ab"[i % 2]] for i in range(6)]]
    data = xlsx(notes, reviews)()
    first = load_file(data, "book.xlsx", sheet="Sheet1")
    assert first.sheet == "Sheet1" and first.sheets == ["Sheet1", "Sheet2"] and first.columns == ["owner", "date"]
    (note,) = [n for n in first.notes if n.code == "other_sheets"]
    assert "only 'Sheet1' was read. Not read: 'Sheet2'" in note.message and "--sheet" in note.fix
    second = load_file(data, "book.xlsx", sheet="Sheet2")
    assert second.columns == ["review", "rating"] and len(second.frame) == 6
    # no sheet named: the one the Data page's picker opens on, not a first sheet of notes
    likeliest = load_file(data, "book.xlsx")
    assert likeliest.sheet == "Sheet2" and likeliest.columns == ["review", "rating"]
    assert (second.text_column, second.label_column) == ("review", "rating")
    (note,) = [n for n in second.notes if n.code == "other_sheets"]
    assert "only 'Sheet2' was read. Not read: 'Sheet1'" in note.message
    assert second.reading()["sheet"] == "Sheet2"
    assert "sheet" not in load_file(csv_bytes(ROWS), "plain.csv").reading()  # a CSV has no sheets
    with pytest.raises(DataError, match=r"no sheet 'Reviews'; its sheets are 'Sheet1', 'Sheet2'"):
        load_file(data, "book.xlsx", sheet="Reviews")


def test_a_sheet_asked_of_a_file_that_is_no_workbook_is_an_error():
    """--sheet on a CSV was ignored: the whole CSV was imported as though the sheet had been found."""
    with pytest.raises(DataError, match=r"A sheet \('Reviews'\) was asked for, but plain.csv is not an Excel workbook"):
        load_file(csv_bytes(ROWS), "plain.csv", sheet="Reviews")


def test_a_workbook_saved_under_a_text_ending_still_lists_its_sheets():
    """The sheet pickers went by the file name, so a workbook named .csv offered no sheet but its first."""
    from core.data import workbook_sheets
    from tests.malformed import xlsx

    data = xlsx([["owner"], ["Ann"]], [["review", "rating"], ["good room", "5"]])()
    assert workbook_sheets(data) == ["Sheet1", "Sheet2"]
    assert load_file(data, "export.csv", sheet="Sheet2").columns == ["review", "rating"]
    assert workbook_sheets(csv_bytes(ROWS)) == [] and workbook_sheets(b"PK\x03\x04 not a zip") == []


def test_a_sheet_picker_opens_on_the_sheet_that_holds_the_texts():
    """A first sheet with a note about the export opened the picker on the note, not the reviews."""
    import io

    from openpyxl import load_workbook

    from core.data import likely_sheet, workbook_sheets
    from tests.malformed import xlsx

    reviews = [["review", "rating"]] + [[f"room {i} was clean and quiet", "5"] for i in range(30)]
    data = xlsx([["exported by"], ["Ann"]], reviews)()
    assert likely_sheet(data, workbook_sheets(data)) == 1
    # the texts on the first sheet, a note after them: the first
    data = xlsx(reviews, [["note"], ["rows checked by Ann"]])()
    assert likely_sheet(data, workbook_sheets(data)) == 0
    # a hidden sheet is never offered, however full
    book = load_workbook(io.BytesIO(xlsx([["note"], ["see sheet 3"]], reviews * 3, reviews)()))
    book["Sheet2"].sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    sheets = workbook_sheets(buffer.getvalue())
    assert sheets == ["Sheet1", "Sheet3"] and likely_sheet(buffer.getvalue(), sheets) == 1
    # a first sheet of texts stays the first, however much bigger a table of numbers after it is
    # (a text sheet's XML is small: its strings are stored apart)
    numbers = [["a", "b", "c", "d"]] + [[i, i * 2, i * 3, i * 4] for i in range(800)]
    data = xlsx(reviews, numbers)()
    assert likely_sheet(data, workbook_sheets(data)) == 0
    assert likely_sheet(csv_bytes(ROWS), []) == 0  # not a workbook: nothing to choose


def test_comment_lines_at_the_top_of_a_csv_are_skipped():
    """Two "# exported …" lines made the error "201 rows have more fields than its header (1)"."""
    rows = "\n".join(f"text number {i},{'ab'[i % 2]}" for i in range(10))
    data = f"# exported from the shop, 2026-11-30\n# do not edit\ntext,label\n{rows}\n".encode()
    table = load_file(data, "shop.csv")
    assert table.columns == ["text", "label"] and len(table.frame) == 10
    (note,) = [n for n in table.notes if n.code == "comment_lines"]
    assert "2 comment line(s) ('# exported from the shop, 2026-11-30')" in note.message
    # a header that itself starts with "#" is a header; rows that start with a hashtag are rows
    assert load_file(f"#id,text,label\n{rows.replace(',', ',x,', 1)}\n".encode(), "ids.csv").columns[0] == "#id"
    tsv = "#\ttext\tlabel\n" + "".join(f"{i}\ttext number {i}\t{'ab'[i % 2]}\n" for i in range(10))
    assert load_file(tsv.encode(), "numbered.tsv").columns == ["#", "text", "label"]
    quoted = "#,text,label\n" + "".join(f'{i},"hello, world {i}",{"ab"[i % 2]}\n' for i in range(10))
    assert load_file(quoted.encode(), "quoted.csv").columns == ["#", "text", "label"]
    tags = "".join(f"#tag{i:03d} sale today,{'ab'[i % 2]}\n" for i in range(120))
    assert len(load_file(tags.encode(), "tweets.csv", header=False).frame) == 120


def test_whole_number_labels_written_as_floats_read_as_the_workbook_reads_them():
    """pandas writes a label column with gaps as 0.0 / 1.0 / 2.0; the same data as .xlsx gave 0 / 1 / 2."""
    rows = "\n".join(f"text number {i},{'' if i % 7 == 0 else float(i % 3)}" for i in range(30))
    table = load_file(f"text,label\n{rows}\n".encode(), "floats.csv")
    examples = to_examples(table)
    assert set(examples["label"].dropna()) == {"0", "1", "2"} and examples["label"].isna().sum() == 5
    assert all(v is None for v in examples["label"] if not isinstance(v, str))  # missing stays None, not NaN
    assert any(n.code == "float_labels" for n in table.notes)
    # real decimals are classes as written
    mixed = load_file(b"text,label\na,0.5\nb,1.0\nc,0.5\nd,1.0\n", "scores.csv")
    assert set(to_examples(mixed)["label"]) == {"0.5", "1.0"}
    # two exports appended, one written with gaps (1.0), one without (1): one class each, not four
    appended = load_file(b"text,label\na,1.0\nb,2.0\nc,1\nd,2\ne,01\n", "appended.csv")
    assert to_examples(appended)["label"].tolist() == ["1", "2", "1", "2", "01"]  # "01" stays as written
    # Excel where the comma is the decimal mark: "1,0" is 1; "1,000" (a thousand) is no whole number written so
    european = load_file(("text;label\n" + "".join(f"Texte {i};{i % 2},0\n" for i in range(20))).encode(), "eu.csv")
    assert set(to_examples(european)["label"]) == {"0", "1"} and any(n.code == "float_labels" for n in european.notes)
    thousands = load_file(b"text;label\na;1,000\nb;2,000\nc;1,000\nd;2,000\n", "prices.csv")
    assert set(to_examples(thousands)["label"]) == {"1,000", "2,000"}


def test_name_hints_never_outrank_a_plain_text_or_label_name():
    """A column named "text" stays the text beside a longer "user_description"; a spread
    "annotation.label" stays the label beside a "meta.rating"."""
    frame = pd.DataFrame(
        {
            "text": [f"short post {i}" for i in range(12)],
            "user_description": ["a much longer profile text about the person who wrote the post"] * 12,
            "sentiment": ["pos", "neg", "neu"] * 4,
        }
    )
    assert guess_columns(frame) == ("text", "sentiment")
    spread = pd.DataFrame(
        {
            "text": [f"short post {i}" for i in range(12)],
            "annotation.label": ["pos", "neg"] * 6,
            "meta.rating": ["1", "2", "3"] * 4,
        }
    )
    assert guess_columns(spread) == ("text", "annotation.label")


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("這間餐廳的服務很好，裏面很乾淨", "cp950"),  # 裏: Windows' Big5 only
        ("圍棋的棋子叫碁子，價格一百€", "cp950"),
        ("呢間餐廳嘅嘢食好好味，我食咗兩碗", "big5hkscs"),  # Cantonese: Hong Kong's Big5
    ],
)
def test_traditional_chinese_saved_by_windows_or_hong_kong_is_not_read_as_mojibake(text, encoding):
    rows = "".join(f"{text}{i},{'好' if i % 2 else '差'}\n" for i in range(40))
    data = ("評論,標籤\n" + rows).encode(encoding)
    table = load_file(data, "x.csv")
    assert table.encoding == encoding
    assert list(table.frame.columns) == ["評論", "標籤"]
    assert table.frame["評論"][0] == f"{text}0" and set(table.frame["標籤"]) == {"好", "差"}


@pytest.mark.parametrize(
    ("header", "labels", "encoding"),
    [("文本,标签", ("有", "无"), "gbk"), ("文本,標籤", ("新", "舊"), "big5"), ("text,label", ("是", "否"), "gbk")],
)
def test_english_texts_with_chinese_labels_stay_chinese_beside_the_western_check(header, labels, encoding):
    """A lone Chinese character's two bytes can both read as Latin letters in cp1252 (有 is "ÓÐ")."""
    rows = "".join(f"the service was fine number {i},{labels[i % 2]}\n" for i in range(40))
    table = load_file(f"{header}\n{rows}".encode(encoding), "x.csv")
    assert table.encoding != "cp1252"
    assert set(table.frame.iloc[:, 1]) == set(labels)


@pytest.mark.parametrize("header", ["內容,標籤", "文字,分類", "新聞,主題", "問題,答案"])
def test_a_big5_file_whose_only_chinese_is_its_header_keeps_its_column_names(header):
    """Read as GBK, "內容,標籤" was "ず甧,夹乓": no private use to give it away, but the kana."""
    rows = "".join(f"the service was fine number {i},{'pos' if i % 2 else 'neg'}\n" for i in range(40))
    table = load_file(f"{header}\n{rows}".encode("big5"), "x.csv")
    assert table.encoding == "big5" and list(table.frame.columns) == header.split(",")


@pytest.mark.parametrize("text", ["今天の天气很好，我们去公园散步吧", "α粒子和β射线穿过了云室"])
def test_simplified_chinese_with_a_kana_or_greek_letter_stays_gbk(text):
    rows = "".join(f"{text}{i},{'好' if i % 2 else '差'}\n" for i in range(40))
    table = load_file(("文本,标签\n" + rows).encode("gbk"), "x.csv")
    assert table.encoding == "gb18030" and table.frame["文本"][0] == f"{text}0"


def test_names_with_characters_added_by_hand_stay_gbk():
    """GBK's user-defined area (rare name characters, U+E000-) made 1% private use: not a sign of Big5."""
    names = ["龚\ue000琪", "蔺\ue001瑶", "郦晓\ue002", "亓官\ue003", "缑\ue004嵘"]
    data = "姓名,部门\n" + "".join(f"{name},{'销售' if i % 2 else '研发'}\n" for i, name in enumerate(names * 8))
    table = load_file(data.encode("gb18030"), "x.csv")
    assert table.encoding == "gb18030" and table.frame["姓名"][0] == "龚\ue000琪"


def test_a_western_file_whose_first_accent_comes_late_and_with_no_break_spaces_is_read():
    plain = "".join(f"row {i} of a plain English file,a\n" for i in range(9000))  # past 256 KB of ASCII
    tail = "Le café coûte 10\xa0€ – «\xa0très bien\xa0»,b\n"
    data = ("text,label\n" + plain + tail).encode("cp1252")
    assert len(data) > 262_144
    table = load_file(data, "x.csv")
    assert table.encoding == "cp1252" and table.frame["text"].iloc[-1] == tail.split(",")[0]


def test_texts_that_differ_only_in_surrounding_spaces_or_composition_are_duplicates():
    """ "good phone" and "good phone " were two texts: 14 of 40 landed in both the training and the test
    split, and validation said nothing."""
    import unicodedata

    cafe = unicodedata.normalize("NFD", "café au lait")
    rows = ["good phone,pos", "good phone ,pos", "  bad screen,neg", "bad screen,neg", "café au lait,pos"]
    rows += [f"{cafe},pos", "slow battery,neg", "fast charger,pos", "weak hinge,neg"]
    table = load_file(("text,label\n" + "\n".join(rows) + "\n").encode(), "dups.csv")
    examples = to_examples(table)
    report = validate(examples)
    assert "duplicate_texts" in report.codes()
    assert sorted(clean(examples)["text"]) == sorted(
        ["good phone", "bad screen", "café au lait", "slow battery", "fast charger", "weak hinge"]
    )


def test_the_separator_is_the_one_that_splits_the_first_rows_alike():
    """Sniffed from the first line alone, a German semicolon file whose header or first text holds
    commas (Excel there quotes only for ";") was read as comma-separated junk."""
    body = "Schnell, billig, gut;pos\r\nNie wieder, schlecht;neg\r\nSuper Produkt;pos\r\nLeider kaputt;neg\r\n"
    body += "Gerne wieder;pos\r\nZu teuer;neg\r\n"
    headerless = to_examples(load_file(body.encode(), "bewertungen.csv", header=False))
    assert headerless["text"].tolist()[:2] == ["Schnell, billig, gut", "Nie wieder, schlecht"]
    assert headerless["label"].tolist() == ["pos", "neg", "pos", "neg", "pos", "neg"]
    tie = "Kommentar (frei, optional);Bewertung\r\nSchnell geliefert;gut\r\nKaputt, leider;schlecht\r\nSuper;gut\r\n"
    table = load_file(tie.encode("utf-8-sig"), "umfrage.csv")
    assert table.columns == ["Kommentar (frei, optional)", "Bewertung"]
    assert to_examples(table)["label"].tolist() == ["gut", "schlecht", "gut"]


@pytest.mark.parametrize("orient", ["columns", "index", "split", "records"])
def test_every_table_shape_pandas_writes_as_json_is_read_as_rows(orient):
    """pandas' default to_json() (orient="columns") was read as one row of 60 columns ("No row has a
    label"); "index" as one labelled row and "split" as nested columns."""
    frame = pd.DataFrame({"text": [f"review number {i}" for i in range(6)], "label": ["pos", "neg"] * 3})
    table = load_file(frame.to_json(orient=orient).encode(), "reviews.json")
    examples = to_examples(table)
    assert examples["text"].tolist() == frame["text"].tolist() and examples["label"].tolist() == frame["label"].tolist()


def test_an_empty_formatted_cell_far_to_the_right_does_not_refuse_the_workbook():
    """A header row formatted out to column 1,200 (no values there) refused the whole workbook as
    having "more than 1,000 columns"; a value out there is still refused."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["text", "label"])
    for i in range(10):
        sheet.append([f"text {i}", "ab"[i % 2]])
    sheet.cell(row=1, column=1200).font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    assert load_file(buffer.getvalue(), "styled.xlsx").columns == ["text", "label"]
    sheet.cell(row=2, column=1200).value = "far away"
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(DataError, match="more than 1,000 columns"):
        load_file(buffer.getvalue(), "wide.xlsx")


def test_overlapping_merged_ranges_fill_each_row_once():
    """Each of 4,000 repeated ranges walked every row again (3 s; a crafted sheet's 100,000, minutes).
    The rows of a column are now visited once; the value is the first range's."""
    from core.xlsx import _fill_merged

    rows = [{0: f"t{i}"} for i in range(2, 1002)]
    rows[0][1] = "pos"
    numbers = list(range(2, 1002))
    filled = _fill_merged(rows, numbers, ["B2:B1048576"] * 4000 + ["B500:B600", "bad", "A2:A3"])
    assert filled == 999 and all(row[1] == "pos" for row in rows)
    assert [row[0] for row in rows[:3]] == ["t2", "t3", "t4"]  # a range over filled cells changes none


def test_a_separator_chosen_by_hand_reads_what_the_sniffing_reads_wrong(tmp_path, capsys):
    """A file the sniffing reads wrong had no way round but saving it as TSV."""
    from core.cli import main

    body = "".join(f"size {i}, colour {i}|{'ab'[i % 2]}\n" for i in range(12))  # both split each row in two
    sniffed = load_file(body.encode(), "pipes.csv", header=False)
    assert sniffed.separator == ","  # a tie: the comma
    chosen = load_file(body.encode(), "pipes.csv", header=False, separator="|")
    examples = to_examples(chosen)
    assert chosen.separator == "|" and chosen.reading()["separator"] == "|"
    assert examples["text"].tolist()[0] == "size 0, colour 0" and set(examples["label"]) == {"a", "b"}
    with pytest.raises(DataError, match="separator must be one of"):
        load_file(body.encode(), "pipes.csv", separator="#")
    path = tmp_path / "pipes.csv"
    path.write_text(body)
    assert main(["data", "validate", str(path), "--no-header", "--separator", "pipe"]) == 0
    assert "classes: a (6), b (6)" in capsys.readouterr().out  # read with commas, 12 classes of one


@pytest.mark.parametrize("epoch", ["1900", "1904"])
def test_workbook_dates_and_times_read_as_the_sheet_shows_them(epoch):
    """A date column read as 45340, 45327 … (the day serials a sheet stores) in the preview, the
    Playground's table and the predictions file."""
    import datetime

    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    from core.xlsx import read_xlsx

    book = openpyxl.Workbook()
    if epoch == "1904":
        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.append(["text", "date", "when", "at", "zh_date", "price", "count"])
    sheet.append(
        [
            "great hotel",
            datetime.date(2024, 2, 18),
            datetime.datetime(2024, 2, 18, 9, 30, 5),
            datetime.time(14, 5),
            datetime.date(2023, 12, 1),
            12.5,
            3,
        ]
    )
    sheet["E2"].number_format = "yyyy年m月d日"
    sheet["F2"].number_format = "#,##0.00"
    sheet["G2"].number_format = "0"
    # a call of 1.5 days is a duration (36:00:00), not noon; a Chinese time format (id 32) is a time
    sheet["H1"], sheet["H2"] = "call", 1.5
    sheet["H2"].number_format = "[h]:mm:ss"
    sheet["I1"], sheet["I2"] = "zh_time", 0.604166666
    sheet["I2"].number_format = 'h"时"mm"分"'
    buffer = io.BytesIO()
    book.save(buffer)
    header, rows = read_xlsx(buffer.getvalue())
    assert header == ["text", "date", "when", "at", "zh_date", "price", "count", "call", "zh_time"]
    assert rows == [
        ["great hotel", "2024-02-18", "2024-02-18 09:30:05", "14:05:00", "2023-12-01", "12.5", "3", "1.5", "14:30:00"]
    ]


def test_a_quote_closed_some_lines_later_is_refused_naming_where_it_opens(tmp_path):
    """With a quoted field holding a comma elsewhere, neither reading fits, and the lenient quoted one
    merged four rows into one text while the page said "No problems found"."""
    path = tmp_path / "reviews.csv"
    path.write_text(
        'text,label\n"Great, really great",pos\n"Amazing product,pos\nBad quality,neg\nNice colour,pos\n'
        'Terrible fit",neg\nBroke after a day,neg\nLove it,pos\nWaste of money,neg\n'
    )
    with pytest.raises(DataError, match="quote opened on line 3 is closed only on line 6"):
        load_file(path)


def test_a_headerless_file_labelled_y_and_n_keeps_its_first_row(tmp_path):
    """A label "y" is a known column name, so the first row of y/n labels was taken for the header and lost."""
    rows = [
        ("Great product, works well", "y"),
        ("Broke on day one", "n"),
        ("Would buy again", "y"),
        ("Not as described", "n"),
        ("Fast delivery and solid build", "y"),
        ("Cheap plastic", "n"),
    ]
    path = tmp_path / "answers.csv"
    path.write_text("".join(f'"{text}",{label}\n' for text, label in rows))
    table = load_file(path)
    assert table.header is False
    examples = to_examples(table)
    assert list(zip(examples["text"], examples["label"])) == rows
    named = tmp_path / "named.csv"
    named.write_text("text,y\n" + "".join(f'"{text}",{label}\n' for text, label in rows))
    assert load_file(named).columns == ["text", "y"]


def test_a_workbook_whose_workbook_part_is_garbled_lists_no_sheets_and_is_refused_clearly(tmp_path):
    """The sheet list let zlib.error out of a garbled xl/workbook.xml, and the Data page crashed
    before load_file could say the file is damaged."""
    import struct
    import zipfile

    from core.data import likely_sheet, workbook_sheets
    from tests.malformed import xlsx

    data = bytearray(xlsx([["text", "label"], ["good one", "pos"], ["bad one", "neg"]])())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/workbook.xml")
    assert info.compress_type == zipfile.ZIP_DEFLATED
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    for i in range(start, start + info.compress_size):
        data[i] ^= 0xA5  # the deflate stream no longer inflates (zlib.error, not a CRC mismatch)
    path = tmp_path / "reviews.xlsx"
    path.write_bytes(bytes(data))
    assert workbook_sheets(path.read_bytes()) == []
    assert likely_sheet(path.read_bytes(), []) == 0
    with pytest.raises(DataError, match="Could not read reviews.xlsx as XLSX"):
        load_file(path)


def test_half_an_emoji_inside_a_nested_json_object_is_replaced_not_a_crash(tmp_path):
    """Only top-level values were mended, so Label Studio's {"data": {"text": …}} with a lone
    "\\ud83d" in it stopped the import with UnicodeEncodeError while its fields were spread."""
    lines = [
        {"data": {"text": "Great phone \ud83d love it", "meta": {"by": "x\udc00"}}, "label": "pos"},
        {"data": {"text": "Bad phone", "meta": {"by": "y"}}, "label": "neg"},
        {"data": {"text": "Nice screen", "meta": {"by": "y"}}, "label": "pos"},
        {"data": {"text": "Awful battery", "meta": {"by": "y"}}, "label": "neg"},
    ]
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines))  # ensure_ascii writes "\ud83d" escaped
    table = load_file(path)
    assert table.frame["data.text"].tolist()[0] == "Great phone \ufffd love it"
    assert table.frame["data.meta.by"].tolist()[0] == "x\ufffd"
    assert to_examples(table)["text"].tolist()[0] == "Great phone \ufffd love it"


def test_a_label_typed_with_a_combining_accent_is_the_same_class_as_the_composed_one(tmp_path):
    """Texts were composed (NFC) but labels not, so "négatif" typed both ways made two classes."""
    import unicodedata

    nfc, nfd = unicodedata.normalize("NFC", "négatif"), unicodedata.normalize("NFD", "négatif")
    assert nfc != nfd
    rows = [("Très mauvais film", nfc), ("Nul et ennuyeux", nfd), ("Horrible", nfc), ("Affreux", nfd)]
    rows += [("Super film", "positif"), ("Génial", "positif"), ("J'adore", "positif"), ("Magnifique", "positif")]
    path = tmp_path / "avis.csv"
    path.write_text("text,label\n" + "".join(f"{text},{label}\n" for text, label in rows), encoding="utf-8")
    examples = to_examples(load_file(path))
    assert examples["label"].tolist() == [nfc] * 4 + ["positif"] * 4
    assert validate(examples).class_counts == {nfc: 4, "positif": 4}


def test_a_row_too_wide_for_an_excel_sep_line_naming_another_separator_is_a_clear_error(tmp_path):
    """The message named only comma, semicolon, tab and bar, so "sep=:" and a row with a field too
    many gave "KeyError: ':'" instead of saying which rows to fix."""
    path = tmp_path / "colons.csv"
    path.write_text("sep=:\ntext:label\nfoo:pos:x\nbar:neg\nbaz:pos\nqux:neg\n")
    with pytest.raises(DataError, match="more fields than its header") as caught:
        load_file(path)
    assert "a character ':'" in str(caught.value) and "KeyError" not in str(caught.value)
    path.write_text("sep=:\ntext:label\nfoo:pos\nbar:neg\nbaz:pos\nqux:neg\n")
    assert to_examples(load_file(path))["label"].tolist() == ["pos", "neg", "pos", "neg"]


KOREAN = [
    ("이 영화는 정말 재미있었어요", "pos"),
    ("지루하고 별로였어요", "neg"),
    ("배우들의 연기가 훌륭합니다", "pos"),
    ("다시는 보고 싶지 않아요", "neg"),
    ("음악이 아름답고 감동적이에요", "pos"),
    ("시간 낭비였습니다", "neg"),
]
JAPANESE = [
    ("この映画はとても面白かったです", "pos"),
    ("つまらない映画でした", "neg"),
    ("俳優の演技が素晴らしい", "pos"),
    ("二度と見たくない", "neg"),
    ("音楽が美しくて感動しました", "pos"),
    ("時間の無駄でした", "neg"),
]


@pytest.mark.parametrize(
    "rows,saved_as,expected",
    [
        (KOREAN, "euc-kr", "cp949"),
        (KOREAN, "cp949", "cp949"),
        (JAPANESE, "shift_jis", "cp932"),
        (JAPANESE, "euc-jp", "euc-jp"),
    ],
)
def test_korean_and_japanese_files_are_read_in_their_script_not_as_chinese_gibberish(
    tmp_path, rows, saved_as, expected
):
    """GB18030 decodes EUC-KR, Shift-JIS and EUC-JP bytes without an error, so such files were
    imported as Chinese gibberish without a word, and none of the three could be picked by hand."""
    from core.decoding import ENCODINGS

    path = tmp_path / "reviews.csv"
    path.write_bytes(("text,label\n" + "".join(f"{text},{label}\n" for text, label in rows)).encode(saved_as))
    table = load_file(path)
    assert table.encoding == expected
    assert to_examples(table)["text"].tolist() == [text for text, _ in rows]
    assert expected in ENCODINGS
    assert to_examples(load_file(path, encoding=expected))["text"].tolist() == [text for text, _ in rows]


@pytest.mark.parametrize(
    "top",
    ["sep=,\n", "# exported from the survey tool\n# 2026-12-05\n", "# notes\nsep=,\n"],
    ids=["sep", "comments", "both"],
)
def test_line_numbers_in_messages_count_the_lines_taken_off_the_top(tmp_path, top):
    """A "sep=" line or comment lines at the top were taken off before reading, and every line number
    a message gave was short by that many: the user looked for the fault on the wrong line."""
    path = tmp_path / "shifted.csv"
    rows = ["text,label", "fine text,pos", "a text, with a comma,neg", "another,pos"]
    path.write_text(top + "\n".join(rows) + "\n")
    wrong_line = top.count("\n") + 3  # the file's own line of the row with three fields
    with pytest.raises(DataError, match=rf"line\(s\) {wrong_line}\. "):
        load_file(path)
    path.write_text(
        top + 'text,label\n"Great, really great",pos\n"Amazing product,pos\nBad quality,neg\nNice colour,pos\n'
        'Terrible fit",neg\nBroke after a day,neg\nLove it,pos\nWaste of money,neg\n'
    )
    opens = top.count("\n") + 3
    with pytest.raises(DataError, match=rf"quote opened on line {opens} is closed only on line {opens + 3}"):
        load_file(path)


def test_texts_alike_only_past_the_cut_are_counted_and_named_as_the_save_treats_them(monkeypatch):
    """Two 12,000-character articles that differ only after character 10,000: the report said "Ready to
    save: 15,000 usable rows", the save kept 14,994, and the rows left out "repeat an earlier row"
    (they did not, in the file)."""
    from core.data import left_out

    limits = DataLimits(min_class_examples=2)
    head = "word " * 2_000  # exactly the 10,000 characters kept
    texts = [head + "ending one", head + "ending two", "a short text", "another short one", "third", "fourth"]
    labels = ["a", "a", "a", "b", "b", "b"]
    frame = frame_of(texts, labels)
    report = validate(frame, limits)
    assert report.n_usable == len(clean(frame, limits)) == 5
    (long,) = [p for p in report.problems if p.code == "long_texts"]
    assert "1 of them then matches an earlier text and is left out as a repeat" in long.fix
    assert left_out(frame, limits)[["row", "reason"]].values.tolist() == [[2, "repeat_after_cut"]]
    import ui.i18n as i18n

    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    assert "截断后其中 1 条" in i18n.tm(long.fix)


def test_the_cut_note_counts_only_rows_the_save_leaves_out_as_repeats():
    """An earlier long text without a label is left out for that, and the later one kept: the note still
    said "1 of them then matches an earlier text and is left out as a repeat"."""
    from core.data import left_out

    limits = DataLimits(min_class_examples=2)
    head = "word " * 2_000
    frame = frame_of(
        [head + "ending one", head + "ending two", "a short text", "another short one", "third", "fourth"],
        [None, "a", "a", "b", "b", "a"],
    )
    (long,) = [p for p in validate(frame, limits).problems if p.code == "long_texts"]
    assert "matches an earlier text" not in long.fix and "match earlier texts" not in long.fix, long.fix
    assert left_out(frame, limits)["reason"].tolist() == ["no_label"]


def test_a_column_of_one_text_repeated_is_not_guessed_as_the_texts():
    """An analyst's note copied onto every row was the longest column, so it was taken for the texts:
    predict classified it six times and gave six identical answers without a word."""
    from core.data import guess_columns

    note = "This is a long analyst comment that repeats on every single row of the file."
    frame = pd.DataFrame(
        {
            "gold": ["trade", "acq", "earn"] * 2,
            "analyst_comment": [note] * 6,
            "headline": ["Oil up", "Bank buys bank", "Profit rises", "Tariffs", "Merger", "Dividend"],
        }
    )
    assert guess_columns(frame)[0] == "headline"
    unnamed = frame.rename(columns={"analyst_comment": "a", "headline": "b"})
    assert guess_columns(unnamed)[0] == "b"  # by content too
    # a column named as the texts is taken at its word, repeated or not
    assert guess_columns(pd.DataFrame({"text": ["same"] * 6, "other": list("abcdef")}))[0] == "text"


def test_a_utf16_file_that_fails_after_decoding_is_not_called_binary():
    """Half its bytes are NUL: a row limit or a bad JSON line in Excel's "Unicode Text" export was
    blamed on "binary data" instead of the row limit or the line."""
    from core.data import DataLimits

    rows = "text,label\n" + "".join(f"hello world {i},a\n" for i in range(30))
    with pytest.raises(DataError, match="more than 10 rows") as caught:
        load_file(rows.encode("utf-16"), "export.csv", limits=DataLimits(max_rows=10))
    assert "binary" not in str(caught.value)
    lines = [json.dumps({"text": f"text {i}", "label": "a"}) for i in range(8)] + ["{broken"]
    with pytest.raises(DataError, match="Line 9") as caught:
        load_file("\n".join(lines).encode("utf-16"), "export.jsonl")
    assert "binary" not in str(caught.value)


def test_formulas_never_calculated_in_the_text_column_are_named_not_stored_silently(tmp_path):
    """A workbook written by a program (openpyxl) holds formulas without values: "=A2&B2" was stored as
    120 training texts under "No problems found"."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(['="Export of "&"2024"'])  # a title row above the table, a formula itself
    sheet.append(["headline", "body", "text", "label", "length"])
    for i in range(3, 15):
        sheet.append([f"title {i}", f"body number {i} of the news", f'=A{i}&" - "&B{i}', "ab"[i % 2], f"=LEN(B{i})"])
    path = tmp_path / "formulas.xlsx"
    book.save(path)

    def warned(table):
        report = validate(to_examples(table), table=table)
        return [p for p in report.problems if p.code == "uncalculated_formulas"]

    table = load_file(path, text_column="text")
    (note,) = warned(table)
    assert "12 cell(s) of column 'text' are formulas" in note.message and "'=A3&\" - \"&B3'" in note.message
    assert "save it" in note.fix
    # as the Data page does it: the file read once, then another text column picked; the title row's
    # formula and the unread length column are no reason for a warning
    table.text_column = "headline"
    assert not warned(table)
    table.text_column = "length"  # and a formula column picked after the guess is named
    (note,) = warned(table)
    assert "12 cell(s) of column 'length'" in note.message


def test_characters_lost_before_the_import_are_named():
    """A GBK save turned emoji into "??????" (read as "only emoji, symbols or punctuation"), and 36 texts
    holding "\ufffd" (characters lost in an earlier conversion) passed as "No problems found"."""
    texts = [f"第{i}条评论，服务很好" for i in range(20)] + ["??????", "？？ ??", "专家支招2009理财如何破\ufffd"]
    report = validate(frame_of(texts, ["a", "b"] * 11 + ["a"]))
    (lost,) = [p for p in report.problems if p.code == "replacement_characters"]
    assert lost.message.startswith("1 text holds the character '\ufffd'") and lost.count == 1
    (marks,) = [p for p in report.problems if p.code == "no_words"]
    assert "question marks alone" in marks.fix and "UTF-8" in marks.fix
    # emoji a file still has are no sign of loss
    report = validate(frame_of([f"第{i}条评论，服务很好" for i in range(20)] + ["👍👍", "!!!"], ["a", "b"] * 11))
    (plain,) = [p for p in report.problems if p.code == "no_words"]
    assert "question marks" not in plain.fix
    assert not [p for p in report.problems if p.code == "replacement_characters"]


def test_a_constant_column_with_one_stray_value_is_not_guessed_as_the_labels():
    """A sheet's second header row read as data gave a constant 'agent' column a second value ("agent"
    over 120 "bob"): with the fewest classes it was taken over the pos/neg/neu column."""
    from core.data import guess_label_columns

    frame = pd.DataFrame(
        {
            "feedback": ["text", *[f"comment number {i} on the service" for i in range(30)]],
            "mood": ["label", *["pos", "neg", "neu"] * 10],
            "agent": ["agent", *["bob"] * 30],
        },
        dtype=object,
    )
    assert guess_label_columns(frame)[0] == "mood"


def test_a_tweet_or_utterance_column_is_found_by_its_name():
    """A 'tweet' column lost to a longer free-text note column: the name was not on the list."""
    rows = {
        "tweet": [f"loving the new phone {i}" for i in range(10)],
        "agent_note": [f"customer called twice about order {i}, refund issued after a long wait" for i in range(10)],
        "label": ["pos", "neg"] * 5,
    }
    data = pd.DataFrame(rows).to_csv(index=False).encode()
    assert load_file(data, "tweets.csv").text_column == "tweet"
    rows["utterance"] = rows.pop("tweet")
    assert load_file(pd.DataFrame(rows).to_csv(index=False).encode(), "intents.csv").text_column == "utterance"


def test_a_json_document_is_said_to_be_read_as_json_not_jsonl():
    """An array of records, and a document wrapping one, were "Read as JSONL"."""
    records = [{"text": f"text number {i}", "meta": {"by": "x"}, "label": "ab"[i % 2]} for i in range(6)]
    assert load_file(json.dumps(records).encode(), "a.json").file_format == "json"
    assert load_file(json.dumps({"items": records}, indent=2).encode(), "b.json").file_format == "json"
    lines = "\n".join(json.dumps(record) for record in records).encode()
    assert load_file(lines, "c.json").file_format == "jsonl"


def test_an_excel_for_mac_csv_is_read_as_mac_roman():
    """Excel for Mac's "CSV (Macintosh)" (Mac Roman, a CR at each line end) was refused "on line 1", the
    bad byte being on line 2; read as latin-1 by hand, its accents were control characters and "No problems"."""
    rows = ["text,label"] + [f"Café crème – lovely {i},pos" if i % 2 else f"Très déçu {i},neg" for i in range(30)]
    data = "\r".join(rows).encode("mac_roman")
    table = load_file(data, "mac.csv")
    assert table.encoding == "mac_roman" and len(table.frame) == 30
    texts = table.frame[table.text_column]
    assert texts.str.contains("Café crème – lovely").sum() == 15 and texts.str.contains("Très déçu").sum() == 15
    report = validate(to_examples(table))
    assert not [p for p in report.problems if p.code == "control_characters"]
    forced = load_file(data, "mac.csv", encoding="latin-1")
    (problem,) = [p for p in validate(to_examples(forced)).problems if p.code == "control_characters"]
    assert problem.count == 30 and "read in the wrong encoding" in problem.message and "Mac Roman" in problem.fix
    # German and Spanish from a Mac have no byte cp1252 leaves undefined: "MŸller", "se–or" were imported so
    for sentence in ("Müller kauft Käse und Größe schön", "el señor está aquí mañana"):
        rows = "\r".join(["text,label"] + [f"{sentence} {i},{'ab'[i % 2]}" for i in range(20)])
        mac_table = load_file(rows.encode("mac_roman"), "mac.csv")
        assert (
            mac_table.encoding == "mac_roman" and mac_table.frame[mac_table.text_column].str.startswith(sentence).all()
        )
        windows = load_file(rows.encode("cp1252"), "windows.csv")  # the same words from Windows stay cp1252
        assert windows.encoding == "cp1252" and windows.frame[windows.text_column].str.startswith(sentence).all()
    curly = "\r\n".join(["text,label"] + [f"It’s a “great” café; naïve résumé — {i},a" for i in range(20)])
    assert load_file(curly.encode("cp1252"), "quotes.csv").encoding == "cp1252"
    # English from Windows with dashes and quotes, no accents: cp1252 ("value—would" read as "valueówould")
    for sentence in ("Great value—would buy again", "Open Mon–Fri only", "The “premium” version—not worth it"):
        rows = "\r\n".join(["text,label"] + [f"{sentence} {i},{'ab'[i % 2]}" for i in range(20)])
        table = load_file(rows.encode("cp1252"), "english.csv")
        assert table.encoding == "cp1252" and table.frame[table.text_column].str.startswith(sentence).all(), sentence
    # and a Mac's quotes alone are told apart by the capitals they make inside words in cp1252 ("donÕt")
    quoted = "\r".join(["text,label"] + [f"don’t say “ok” {i},{'ab'[i % 2]}" for i in range(20)])
    assert load_file(quoted.encode("mac_roman"), "mac quotes.csv").encoding == "mac_roman"
    # GBK Chinese, whose bytes include 0x8F and 0x90, is still Chinese
    chinese = "\r\n".join(["text,label"] + [f"第{i}条评论：质量很好，物流很快,好评" for i in range(20)]).encode("gbk")
    assert load_file(chinese, "zh.csv").encoding in ("gb18030", "gbk")


def test_the_line_named_in_an_undecodable_file_counts_lone_carriage_returns():
    from core.decoding import line_of

    assert line_of(b"a\rb\rc\xff", 5) == 3 and line_of(b"a\r\nb\nc\xff", 5) == 3 and line_of(b"abc", 2) == 1


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_a_header_row_pasted_again_halfway_is_left_out_and_the_header_kept(encoding):
    """Two exports pasted together: the copy of the header made the first row "look like data" (its
    values recur below), the columns became column_1…, and the copy was dropped only as a repeated text
    and a one-example class, with three warnings that named none of this."""
    header = "编号,标签,评论内容" if encoding == "gbk" else "id,label,review"
    rows = [f"{i},{'好评' if i % 2 else '差评'},第{i}条评论，质量{'很好' if i % 2 else '太差'}" for i in range(60)]
    lines = [header, *rows[:30], header, *rows[30:]]
    table = load_file("\r\n".join(lines).encode(encoding), "pasted.csv")
    assert table.columns == header.split(",") and len(table.frame) == 60
    assert table.text_column == header.split(",")[2] and table.label_column == header.split(",")[1]
    (note,) = [n for n in table.notes if n.code == "repeated_header"]
    assert note.severity == "info" and "line(s) 32" in note.message
    report = validate(to_examples(table), table=table)
    assert set(report.codes()) == {"repeated_header"} and report.n_usable == 60, report.format()
    assert "No problems found." in report.format() and "- NOTE: The header row appears again" in report.format()
    # the first row of a headerless file, repeated, whose label is a word like a column's name ("y", 正面评价)
    # that recurs in its column: data, not a header
    for rows in (
        ["great product,y", "bad,n", "fine,y", "awful,n", "ok,y", "great product,y"],
        ["很好,正面评价", "很差,负面评价", "不错,正面评价", "太差,负面评价", "很好,正面评价"],
        ["评价很好,正面", "很差,负面", "评价很好,正面", "太差,负面", "一般,负面"],
    ):
        headerless = load_file("\n".join(rows).encode(), "rows.csv")
        assert len(headerless.frame) == len(rows) and not [n for n in headerless.notes if n.code == "repeated_header"]
    # with the first row marked as data, the row it repeats stays data too
    forced = load_file("\r\n".join(lines).encode(encoding), "pasted.csv", header=False)
    assert len(forced.frame) == 62 and not [n for n in forced.notes if n.code == "repeated_header"]


def test_multi_label_names_paths_and_placeholders_are_said_and_can_be_fixed_at_import(tmp_path, capsys):
    """A ticketing export: "billing;refund" beside "billing" is a set of labels, "refund; billing" the same
    set again, "account/login/2fa" a path, "unknown" no class at all. Each was a class without a word."""
    from core.data import (
        label_set_variants,
        label_sets,
        merge_label_set_variants,
        path_labels,
        placeholder_classes,
        read_as_missing,
    )

    counts = {
        "billing": 30,
        "refund": 30,
        "billing;refund": 12,
        "refund;billing": 6,
        "billing; refund": 3,
        "billing, urgent": 5,
        "Arts, Culture": 5,
        "account/login/2fa": 6,
        "account/login/password": 6,
        "Science/Tech": 4,
        "unknown": 7,
        "TBD": 3,
    }
    labels = [name for name, n in counts.items() for _ in range(n)]
    frame = frame_of([f"ticket text number {i}" for i in range(len(labels))], labels)
    # "Arts, Culture" is one class with a comma: neither part is a class of its own
    assert label_sets(labels) == ["billing;refund", "refund;billing", "billing, urgent", "billing; refund"]
    assert label_set_variants(labels) == {"billing;refund": ["billing;refund", "refund;billing", "billing; refund"]}
    assert path_labels(labels) == ["account/login/2fa", "account/login/password"]  # "Science/Tech" shares no level
    assert placeholder_classes(labels) == ["unknown", "TBD"]
    report = validate(frame)
    by_code = {p.code: p for p in report.problems}
    assert by_code["label_sets"].severity == "warning" and by_code["label_sets"].count == 26
    assert "Some are the same labels in another order or spacing: 'billing;refund' / 'refund;billing'" in (
        by_code["label_sets"].message
    )
    assert "learned apart from 'billing', 'refund'." in by_code["label_sets"].message  # not 'urgent': no class
    assert by_code["path_labels"].severity == "info" and "(e.g. keep 'account')" in by_code["path_labels"].fix
    assert by_code["placeholder_classes"].message.startswith("Classes 'unknown' (7), 'TBD' (3) read as")
    merged, mapping = merge_label_set_variants(frame)
    assert mapping == {"refund;billing": "billing;refund", "billing; refund": "billing;refund"}
    assert merged["label"].value_counts()["billing;refund"] == 21
    assert "Some are the same" not in {p.code: p for p in validate(merged).problems}["label_sets"].message
    missing = read_as_missing(frame, ["unknown", "TBD"])
    assert missing["label"].isna().sum() == 10 and "placeholder_classes" not in validate(missing).codes()
    # a choice made on purpose: a note, not the warning to import without labels; the left-out rows keep
    # the class they had
    codes = validate(missing).codes()
    assert "read_as_missing" in codes and "missing_labels" not in codes
    from core.data import sift

    left = sift(missing)[1]
    assert set(left.loc[left["reason"] == "read_as_missing", "label"]) == {"unknown", "TBD"}
    # a file of plain classes says none of it
    plain = validate(frame_of([f"text number {i}" for i in range(60)], ["food", "sports"] * 30)).codes()
    assert not {"label_sets", "path_labels", "placeholder_classes"} & set(plain)

    # the command line does both when asked, and refuses a class the file does not have
    from core.cli import main
    from core.registry import DatasetStore

    path = tmp_path / "tickets.csv"
    frame.to_csv(path, index=False)
    argv = ["data", "import", str(path), "--name", "tickets", "--merge-label-sets"]
    assert main([*argv, "--missing-label", "unknown", "--missing-label", "TBD"]) == 0
    out = capsys.readouterr().out
    assert "merged class 'refund;billing' into 'billing;refund'" in out and "read as missing labels" in out
    (info,) = DatasetStore().list()
    assert "unknown" not in info.labels and "refund;billing" not in info.labels and "billing;refund" in info.labels
    assert info.rows == len(frame) - 10
    assert main(["data", "import", str(path), "--name", "again", "--missing-label", "unkown"]) == 1
    assert "--missing-label 'unkown': no class is called so" in capsys.readouterr().err
    assert len(DatasetStore().list()) == 1


def test_a_question_mark_label_is_a_placeholder_not_a_missing_label():
    """ "?" read as missing dropped every "?" row of a punctuation set (".", "?", "!"): it is a class,
    named as a likely placeholder."""
    from core.data import LoadedTable, placeholder_classes, to_examples

    table = LoadedTable(
        pd.DataFrame({"text": ["one text", "two text", "three text"], "label": ["a", "?", "??"]}),
        "csv",
        "utf-8",
        "text",
        "label",
    )
    assert to_examples(table)["label"].tolist() == ["a", "?", "??"]
    assert placeholder_classes(["a", "?", "??", "?"]) == ["?", "??"]


def test_names_with_commas_slashes_and_brackets_that_are_no_sets_or_paths():
    """A review of the multi-label and path notes: star ratings with a decimal comma ("4,5"), income bands
    (">50K"), months ("2024/01") and "a;a" were called sets of labels or paths."""
    from core.data import label_sets, path_labels

    assert label_sets(["3", "4", "5", "3,5", "4,5"]) == []
    assert label_sets(["a", "b", "a;a"]) == []
    assert label_sets(["a", "b", "a;b"]) == ["a;b"]
    assert path_labels([">50K", ">100K", "<=50K"]) == []
    assert path_labels(["2024/01", "2024/02", "2024/03"]) == []
    assert path_labels(["a->b", "a->c"]) == []
    assert path_labels(["产品 > 手机", "产品 > 电脑"]) == ["产品 > 手机", "产品 > 电脑"]


def test_characters_that_break_words_are_removed_from_texts_and_said(tmp_path):
    """Scraped posts: zero-width spaces and stray byte-order marks stayed in the texts, cut "@Trav\ufeffeler"
    into three terms (one of them invisible), and the report said nothing."""
    from core.data import load_file, to_examples
    from core.text import composed_all

    rows = ["new\u200bphone arrived", "@Trav\ufeffeler_Lin loved it", "co\u00adoperate now", "plain text here"]
    path = tmp_path / "posts.csv"
    pd.DataFrame({"text": rows, "label": ["a", "b", "a", "b"]}).to_csv(path, index=False)
    table = load_file(path)
    examples = to_examples(table)
    # a zero-width space ends a word (Thai and Khmer write so): a space; the others join what they split
    assert examples["text"].tolist() == [
        "new phone arrived",
        "@Traveler_Lin loved it",
        "cooperate now",
        "plain text here",
    ]
    (note,) = [p for p in table.notes if p.code == "invisible_in_texts"]
    assert note.severity == "info" and note.count == 3 and note.message.startswith("3 texts held characters")
    # joiners stay: an emoji sequence keeps its parts together
    examples = to_examples(load_file(_written(tmp_path, ["👩\u200d🍳 cooks", "plain"])))
    assert examples["text"].tolist()[0] == "👩\u200d🍳 cooks"
    # what a saved model is given to read is not changed: it keeps what it learned with
    assert composed_all(["new\u200bphone"]) == ["new\u200bphone"]


def _written(folder, texts):
    path = folder / "more.csv"
    pd.DataFrame({"text": texts, "label": ["a", "b"]}).to_csv(path, index=False)
    return path


def test_classes_far_from_balanced_are_said_with_what_accuracy_means_then():
    """A fraud set of 45 in 2,995 saved with "No problems found", and a model that never once answered
    fraud was "Done: test accuracy 0.9850" in green."""
    labels = ["legit"] * 2950 + ["fraud"] * 45
    report = validate(frame_of([f"message number {i}" for i in range(len(labels))], labels))
    (note,) = [p for p in report.problems if p.code == "imbalanced"]
    assert note.severity == "info" and report.ok
    assert "'legit' has 2,950 examples and 'fraud' 45 (66 to 1)" in note.message
    assert "right on 98.5% of the texts" in note.message and "class_weights=true" in note.fix
    even = ["a"] * 90 + ["b"] * 10  # 9 to 1: not said
    assert "imbalanced" not in validate(frame_of([f"text number {i}" for i in range(100)], even)).codes()
    import ui.i18n as i18n

    zh = i18n._message_patterns("zh")
    assert any(pattern.match(note.message) for pattern, _ in zh) and any(pattern.match(note.fix) for pattern, _ in zh)


def test_texts_in_scripts_the_studio_has_no_language_for_are_said():
    """A Thai set trained at chance and nothing said why: its language showed as 'other', no more."""
    thai = [f"คุณเห็นร้านอาหารใกล้บ้านหรือยัง {i}" for i in range(30)]
    english = [f"plain english text number {i}" for i in range(30)]
    report = validate(frame_of(thai + english, ["a", "b"] * 30))
    (note,) = [p for p in report.problems if p.code == "other_scripts"]
    assert note.severity == "info" and note.message.startswith("50% of the texts are written in Thai,")
    assert "other_scripts" not in validate(frame_of(english + ["你好世界"] * 5, ["a", "b"] * 17 + ["a"])).codes()
    import ui.i18n as i18n

    assert any(pattern.match(note.message) for pattern, _ in i18n._message_patterns("zh"))


def test_web_markup_in_texts_is_said_and_can_be_read(tmp_path, capsys):
    """Scraped posts: "quot", "amp", "nbsp", "br" and "href" became vocabulary terms, and the report never
    said the texts held markup."""
    from core.data import strip_markup, without_markup

    posts = [
        f'<b>goal</b> number {i} &amp; &quot;penalty&quot;<br><a href="https://x.co/{i}">link</a>' for i in range(6)
    ]
    plain = [f"AT&T phone {i}, I <3 it, a < b > c" for i in range(6)]  # no markup: ampersands and brackets
    frame = frame_of(posts + plain, ["sport"] * 6 + ["tech"] * 6)
    (note,) = [p for p in validate(frame).problems if p.code == "web_markup"]
    assert note.severity == "warning" and note.count == 6 and note.message.startswith("6 texts hold web markup")
    assert without_markup(posts[0]) == 'goal number 0 & "penalty" link'
    cleaned, n = strip_markup(frame)
    assert n == 6 and cleaned["text"].tolist()[6:] == plain and "web_markup" not in validate(cleaned).codes()
    from core.cli import main
    from core.registry import DatasetStore

    path = tmp_path / "posts.csv"
    frame.to_csv(path, index=False)
    assert main(["data", "import", str(path), "--name", "posts", "--strip-markup"]) == 0
    assert "read the web markup of 6 texts" in capsys.readouterr().out
    stored = DatasetStore().load(DatasetStore().list()[0].id)
    assert not stored["text"].str.contains("&quot;|<b>", regex=True).any()


@pytest.mark.parametrize(
    "text",
    [
        'java.lang.NullPointerException: Cannot invoke "String.length()" because "<local1>" is null',
        "if (a<b && c>d) return 0;",
        "class List<String> cannot be cast to class Optional<A>",
        "docker images | grep <none> | awk '{print $3}'",
        "Failed: expected <EOF> got <IDENT> at line 3",
        "Map<K, V> cache; x = y &foo; z",
        "f(x)<p && q>z",
        "if x<b and y>z then",
    ],
)
def test_logs_and_code_hold_no_web_markup_and_cleaning_leaves_them_whole(text):
    """Any word in angle brackets was a tag: a file of code was told it held web markup, and "Clean web
    markup" turned "if (a<b && c>d) return 0;" into "if (ad) return 0;"."""
    from core.data import has_markup, without_markup

    assert not has_markup(text) and without_markup(text) == text
    frame = pd.DataFrame({"text": [f"{text} {i}" for i in range(20)], "label": ["a", "b"] * 10})
    assert "web_markup" not in validate(frame).codes()


def test_html_tags_in_any_case_and_its_entities_are_still_markup():
    from core.data import has_markup, without_markup

    assert without_markup("<P>Old page</P> x <B>bold</B> <H2>Title</H2>") == "Old page x bold Title"
    assert without_markup('<a href="https://x.com" target=_blank>link</a> &amp; &nbsp;more &#39;q&#39;') == (
        "link & more 'q'"
    )
    assert has_markup("line<br/>break") and has_markup('<div class="c" id=x>t</div>')
    assert without_markup("It&apos;s fine &hellip;") == "It's fine …"  # HTML5's entities, not only HTML 4's


def test_joined_text_columns_are_named_whole_each_once_and_a_workbook_says_its_repeated_names():
    """``--text-col subject --text-col subject`` doubled every text; the report's summary named 'subject'
    alone of subject + body; a workbook's two "notes" columns became notes and notes.1 without a word."""
    from tests.malformed import xlsx

    data = b"subject,body,category\n" + b"".join(
        b"topic %d,text number %d,%s\n" % (i, i, b"ab"[i % 2 : i % 2 + 1]) for i in range(8)
    )
    twice = load_file(data, "crm.csv", text_column=["subject", "subject"])
    assert twice.chosen_text_columns == ["subject"]
    joined = load_file(data, "crm.csv", text_column=["subject", "body"])
    report = validate(to_examples(joined), table=joined)
    assert "; text columns 'subject' + 'body' (joined), label column 'category'" in report.format()
    book = xlsx([["text", "notes", "notes", "label"], *[[f"text {i}", "n", "m", "ab"[i % 2]] for i in range(6)]])()
    table = load_file(book, "crm.xlsx")
    assert table.columns == ["text", "notes", "notes.1", "label"]
    (note,) = [n for n in table.notes if n.code == "duplicate_columns"]
    assert "('notes')" in note.message


def test_too_few_rows_after_conflicting_repeats_says_where_the_rows_went():
    """400 labelled rows of four texts, each repeated with other labels: "Only 0 labelled rows" read as wrong."""
    frame = pd.DataFrame({"text": [f"note {i % 4}" for i in range(40)], "label": ["ab"[i % 3 % 2] for i in range(40)]})
    (problem,) = [p for p in validate(frame).problems if p.code == "too_few_rows"]
    assert problem.message.startswith("Only 0 labelled rows once the repeated texts and those with conflicting labels")
    assert "(of 40 labelled rows read)" in problem.message
    few = pd.DataFrame({"text": ["one text", "two text"], "label": ["a", "b"]})
    (problem,) = [p for p in validate(few).problems if p.code == "too_few_rows"]
    assert problem.message == "Only 2 labelled rows: too few to train a classifier."


def test_a_byte_order_mark_inside_a_header_is_no_part_of_the_column_s_name():
    """ "text,\\ufefflabel": the column looked like "label", and --label-col label was told "There is no label
    column 'label'; the file has ['text', 'label']"."""
    table = load_file(b"text,\xef\xbb\xbflabel\na b,pos\nc d,neg\ne f,pos\ng h,neg\n", "bom.csv", label_column="label")
    assert table.columns == ["text", "label"] and table.label_column == "label"


def test_utf16_without_a_bom_holding_characters_like_swapped_ascii_still_reads():
    """一 is U+4E00, 开 U+5F00, the ideographic space U+3000: one byte of each is 0, as in ASCII read one byte out
    of step, and files of them were refused as "a byte was added or lost" (or as binary data)."""
    rows = ["一般,negative", "一流,positive", "开心,positive", "最差,negative", "とても\u3000良い,positive"] * 10
    rows += ["─" * 16 + ",negative", "\u3000" * 8 + "いいね,positive"]  # a drawn line, a row of ideographic spaces
    text = "text,label\n" + "\n".join(rows) + "\n"
    for encoding in ("utf-16-le", "utf-16-be"):
        table = load_file(text.encode(encoding), "zh16.csv")
        assert table.encoding == encoding and table.frame["text"].tolist()[:5] == [r.split(",")[0] for r in rows[:5]]


def test_a_column_of_nothing_but_missing_values_does_not_stop_the_label_guess():
    """An all-NaN column (Parquet, JSONL's NaN) crashed the guess: "ufunc 'invert' not supported"."""
    frame = pd.DataFrame({"review": ["good one", "bad one", "fine one", "poor one"], "verdict": ["g", "b", "g", "b"]})
    frame["score"] = np.nan
    buffer = io.BytesIO()
    frame.to_parquet(buffer)
    assert load_file(buffer.getvalue(), "t.parquet").label_column == "verdict"


def test_a_vertical_tab_inside_a_label_is_a_space_and_a_column_asked_for_by_its_old_name_is_found():
    """FileMaker's line break inside a field (\\x0b) was deleted, and "customer\\x0bservice" was a third class
    beside "customer service"; a column saved before names were cleaned ("טקסט\\u200f") was no longer found."""
    data = b"text,label\na b,customer\x0bservice\nc d,billing\ne f,customer service\ng h,billing\n"
    assert to_examples(load_file(data, "fm.csv"))["label"].tolist() == ["customer service", "billing"] * 2
    hebrew = "טקסט\u200f,label\nשלום עולם,a\nבוקר טוב,b\nערב טוב,a\nלילה טוב,b\n".encode()
    assert load_file(hebrew, "he.csv", text_column="טקסט\u200f").text_column == "טקסט"
    tabbed = b"text\x0b,label\x0c\na b,pos\nc d,neg\ne f,pos\ng h,neg\n"  # no trailing space left in a name
    assert load_file(tabbed, "t.csv").columns == ["text", "label"]
    assert load_file(tabbed, "t.csv", text_column="text\x0b").text_column == "text"


def test_utf32_without_a_bom_reads_as_utf32_not_as_gb18030_with_its_nul_bytes():
    rows = "text,label\n" + "hello there,pos\nbye now,neg\n" * 20
    table = load_file(rows.encode("utf-32-le"), "u32.csv")
    assert table.encoding == "utf-32-le" and table.frame["text"].tolist()[:2] == ["hello there", "bye now"]


def test_a_short_file_that_reads_as_chinese_and_as_korean_says_the_encoding_was_a_guess():
    rows = "很好,pos\n很快,neg\n很好很快,pos\n很快很好,neg\n"
    chinese = load_file(("text,label\n" + rows).encode("gb18030"), "zh.csv")
    assert chinese.encoding == "gb18030" and chinese.frame["text"].tolist()[0] == "很好"
    assert [n.code for n in chinese.notes] == ["encoding_guessed"]
    longer = load_file(("text,label\n" + rows * 20).encode("gb18030"), "zh.csv")  # a narrow vocabulary, any length
    assert longer.encoding == "gb18030" and longer.frame["text"].tolist()[:2] == ["很好", "很快"] and not longer.notes
    korean = load_file("text,label\n학교,pos\n청소,neg\n".encode("cp949"), "ko.csv")
    assert [n.code for n in korean.notes] == ["encoding_guessed"]
    assert "choose cp949 (Korean)" in korean.notes[0].message
    long = ("text,label\n" + "오늘 날씨가 정말 좋네요,pos\n배송이 너무 늦어서 실망했습니다,neg\n" * 5).encode("cp949")
    assert load_file(long, "ko.csv").encoding == "cp949"  # a longer Korean file: no doubt, no note
