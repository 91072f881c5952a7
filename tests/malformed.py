"""The malformed-input corpus (issue 11): awkward upload files, each made by code, with the outcome owed.

Every case builds its file on the fly (small and fast: no binary files are committed) and says what
the studio must do with it, as the Data page imports it (``load_file`` → ``to_examples`` →
``validate`` → ``clean`` → ``DatasetStore.save``):

- ``ok``: imported; the stored texts and labels are exactly ``texts`` and ``labels`` (nothing
  silently altered or dropped) and the validation report's warning codes are exactly ``warnings``.
- ``error``: refused, with a message holding every entry of ``words`` (case-insensitive; ``"a|b"``
  accepts either), and nothing written to the studio home.
- ``ok_or_error``: where the issue leaves the choice open; either of the two above is right.

``tests/test_malformed.py`` runs them; ``tests/data/malformed/README.md`` lists them (``python -m
tests.malformed`` prints that table). To add a case: append a ``Case`` to ``CASES`` below, then
paste the printed table into the README.
"""

from __future__ import annotations

import codecs
import functools
import io
import json
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from core.data import DataLimits

OK, ERROR, EITHER = "ok", "error", "ok_or_error"


@dataclass(frozen=True)
class Case:
    """One awkward file and the outcome the studio owes for it."""

    name: str  # test id (snake_case, unique)
    filename: str  # the upload's name: its extension picks the reader
    make: Callable[[], bytes]  # builds the file's bytes (deterministic, < 0.5 s unless a bomb)
    expect: str  # OK, ERROR or EITHER (see the module docstring)
    note: str  # what is awkward about it, in a few words (the README table)
    words: tuple[str, ...] = ()  # ERROR/EITHER: what the message must say; "a|b" accepts either
    texts: tuple[str, ...] | None = None  # OK/EITHER: the stored texts, in file order
    labels: tuple[str | None, ...] | None = None  # OK/EITHER: the stored labels (None: unlabelled)
    warnings: tuple[str, ...] | None = ()  # OK: the report's warning codes, exactly (None: not checked)
    limits: DataLimits | None = None  # overrides the page's DataLimits()
    encoding: str | None = None  # the page's encoding choice (None: automatic)
    bomb: bool = False  # a small file that unpacks to a huge one: time and memory are checked too

    def outcome(self) -> str:
        """The expected outcome in a few words (the README table)."""
        parts = []
        if self.expect in (OK, EITHER):
            n = len(self.texts or ())
            ok = f"ok, {n} rows" + (f", warns {', '.join(self.warnings)}" if self.warnings else "")
            parts.append(ok)
        if self.expect in (ERROR, EITHER):
            parts.append("error: " + ", ".join(" or ".join(f"'{o}'" for o in w.split("|")) for w in self.words))
        return " **or** ".join(parts)


# --------------------------------------------------------------------------- builders


# UTF-8 that a Western single-byte reading garbles: "café" read as "cafÃ©"
ACCENTED = [("café crème – très bien", "pos"), ("naïve façade", "neg"), ("un vrai délice", "pos"), ("señor", "neg")]


def encoded(text: str, encoding: str = "utf-8") -> Callable[[], bytes]:
    """A file that is ``text`` in ``encoding``."""
    return lambda: text.encode(encoding)


def raw(data: bytes) -> Callable[[], bytes]:
    """A file of these exact bytes."""
    return lambda: data


def delimited(rows, sep: str = ",", header=("text", "label"), newline: str = "\n") -> str:
    """Rows joined by ``sep`` as written, without any quoting (cells that need quotes carry them)."""
    lines = [sep.join(header)] + [sep.join(row) for row in rows]
    return newline.join(lines) + newline


def jsonl(records) -> str:
    """One JSON object per line, non-ASCII written as is."""
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n"


def xlsx(*sheets: list[list[object]]) -> Callable[[], bytes]:
    """A workbook built with openpyxl, one list of rows per sheet (the first row of each is the header)."""

    def make() -> bytes:
        from openpyxl import Workbook

        book = Workbook()
        book.remove(book.active)
        for i, rows in enumerate(sheets):
            sheet = book.create_sheet(f"Sheet{i + 1}")
            for row in rows:
                sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        return _without_dates(buffer.getvalue())

    return make


def _without_dates(workbook: bytes) -> bytes:
    """The workbook with fixed ZIP and document dates, so that a case gives the same bytes on every run."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", data)
            target.writestr(_entry(item.filename), data)
    return out.getvalue()


def _entry(name: str, level: int | None = None) -> zipfile.ZipInfo:
    """A deflated ZIP member with a fixed date (``level``: the deflate level, None for zlib's default)."""
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = level  # what ZipFile.open(name, "w") sets from ZipFile(compresslevel=...)
    return info


def parquet(columns: dict[str, object]) -> Callable[[], bytes]:
    """A Parquet file of these pyarrow-convertible columns."""

    def make() -> bytes:
        import pyarrow as pa
        import pyarrow.parquet as pq

        buffer = io.BytesIO()
        pq.write_table(pa.table(columns), buffer)
        return buffer.getvalue()

    return make


def _texts(rows) -> tuple[str, ...]:
    return tuple(t for t, _ in rows)


def _labels(rows) -> tuple[str | None, ...]:
    return tuple(y for _, y in rows)


# The workbook parts a sheet needs, for the crafted (bomb) workbooks below.
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    ),
}


def _crafted_xlsx(sheet_chunks, shared_chunks) -> bytes:
    """A workbook whose sheet and shared-strings XML are streamed into the ZIP chunk by chunk.

    Deflate at level 1: a bomb of hundreds of MB packs into about 1 MB in a fraction of a
    second, and neither side ever holds the unpacked XML in memory.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, xml in _PARTS.items():
            archive.writestr(_entry(name), xml)
        for name, chunks in (("xl/sharedStrings.xml", shared_chunks), ("xl/worksheets/sheet1.xml", sheet_chunks)):
            with archive.open(_entry(name, level=1), "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
    return buffer.getvalue()


def _shared(*strings: str):
    yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}">'.encode()
    for s in strings:
        yield f"<si><t>{s}</t></si>".encode()
    yield b"</sst>"


def _cell(index: int) -> bytes:
    return f'<c t="s"><v>{index}</v></c>'.encode()


@functools.cache
def xlsx_row_bomb(rows: int = 3_000_000) -> bytes:
    """A header and ``rows`` identical data rows (about 1 MB packed, 135 MB of XML unpacked)."""

    def sheet():
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'.encode()
        yield b"<row>" + _cell(0) + _cell(1) + b"</row>"
        block = (b"<row>" + _cell(2) + _cell(3) + b"</row>") * 10_000
        for _ in range(rows // 10_000):
            yield block
        yield b"</sheetData></worksheet>"

    return _crafted_xlsx(sheet(), _shared("text", "label", "the same short text", "pos"))


def xlsx_empty_formula_results() -> bytes:
    """Labels filled down with a formula whose result is "" on some rows (Excel caches it as ``<v/>``)."""

    def cell(value: str) -> str:
        return f'<c t="inlineStr"><is><t>{value}</t></is></c>'

    def sheet():
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'.encode()
        yield f"<row>{cell('text')}{cell('label')}</row>".encode()
        yield f'<row>{cell("great sound")}<c t="str"><f>IF(C2="","",C2)</f><v>pos</v></c></row>'.encode()
        for text, label in (("broken screen", "neg"), ("fine hinge", "pos"), ("awful battery", "neg")):
            yield f'<row>{cell(text)}<c t="str"><f t="shared" si="0"/><v>{label}</v></c></row>'.encode()
        for text in ("no label yet", "still unread"):
            yield f'<row>{cell(text)}<c t="str"><f t="shared" si="0"/><v/></c></row>'.encode()
        yield b"</sheetData></worksheet>"

    return _crafted_xlsx(sheet(), _shared())


@functools.cache
def xlsx_shared_string_bomb(rows: int = 50_000, chars: int = 20_000) -> bytes:
    """``rows`` text cells that all point at one shared string of ``chars`` characters: stored once
    (a few hundred KB packed), 1 GB of text once each cell holds it."""

    def sheet():
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'.encode()
        yield b"<row>" + _cell(0) + _cell(1) + b"</row>"
        for i in range(rows):
            yield b"<row>" + _cell(2) + _cell(3 + i % 2) + b"</row>"
        yield b"</sheetData></worksheet>"

    return _crafted_xlsx(sheet(), _shared("text", "label", "y" * chars, "pos", "neg"))


BIG_CELL_ROWS = (("fine sound", "pos"), ("broken screen", "neg"), ("awful hinge", "neg"))


@functools.cache
def xlsx_cell_bomb(megabytes: int = 200) -> bytes:
    """One shared string of ``megabytes`` MB of 'a' (about 1 MB packed) in the first data row."""

    def shared():
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}">'.encode()
        yield b"<si><t>text</t></si><si><t>label</t></si><si><t>pos</t></si><si><t>"
        block = b"a" * (1 << 20)
        for _ in range(megabytes * 1_000_000 // len(block)):
            yield block
        yield b"</t></si>"
        for text, label in BIG_CELL_ROWS:
            yield f"<si><t>{text}</t></si><si><t>{label}</t></si>".encode()
        yield b"</sst>"

    def sheet():
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'.encode()
        yield b"<row>" + _cell(0) + _cell(1) + b"</row>"
        yield b"<row>" + _cell(3) + _cell(2) + b"</row>"
        for i in range(len(BIG_CELL_ROWS)):
            yield b"<row>" + _cell(4 + 2 * i) + _cell(5 + 2 * i) + b"</row>"
        yield b"</sheetData></worksheet>"

    return _crafted_xlsx(sheet(), shared())


@functools.cache
def xlsx_whitespace_bomb(megabytes: int = 700) -> bytes:
    """A sheet of ``megabytes`` MB of spaces between two rows (about 1 MB packed): refused from the size
    the archive declares, where unpacking it to the limit took 9 s."""

    def sheet():
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'.encode()
        yield b"<row>" + _cell(0) + _cell(1) + b"</row>"
        block = b" " * (1 << 20)
        for _ in range(megabytes * 1_000_000 // len(block)):
            yield block
        yield b"</sheetData></worksheet>"

    return _crafted_xlsx(sheet(), _shared("text", "label"))


def parquet_row_bomb(rows: int = 3_000_000) -> bytes:
    """``rows`` rows of one dictionary-encoded text and two labels: a few KB on disk."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    zeros = pa.array(np.zeros(rows, dtype=np.int32))
    text = pa.DictionaryArray.from_arrays(zeros, pa.array(["the same short text"]))
    label = pa.DictionaryArray.from_arrays(pa.array(np.arange(rows, dtype=np.int32) % 2), pa.array(["pos", "neg"]))
    buffer = io.BytesIO()
    pq.write_table(pa.table({"text": text, "label": label}), buffer)
    return buffer.getvalue()


@functools.cache
def parquet_long_text_bomb(rows: int = 50_000, chars: int = 20_000) -> bytes:
    """One text of ``chars`` characters in each of ``rows`` rows, stored once in a dictionary: about
    1 KB on disk, whose metadata claims 0.03 MB unpacked, and 1 GB once every row holds its text."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    text = pa.DictionaryArray.from_arrays(pa.array(np.zeros(rows, dtype=np.int32)), pa.array(["x" * chars]))
    label = pa.DictionaryArray.from_arrays(pa.array(np.arange(rows, dtype=np.int32) % 2), pa.array(["pos", "neg"]))
    buffer = io.BytesIO()
    pq.write_table(pa.table({"text": text, "label": label}), buffer, compression="zstd")
    return buffer.getvalue()


def corrupt_zip() -> bytes:
    """A real workbook cut in half: a ZIP whose central directory is gone."""
    whole = xlsx(GOOD_SHEET)()
    return whole[: len(whole) // 2]


def random_bytes(n: int = 4_000, seed: int = 11) -> bytes:
    return random.Random(seed).randbytes(n)


# --------------------------------------------------------------------------- shared rows

GOOD = (
    ("Great phone, battery lasts two days", "pos"),
    ("Screen cracked after a week", "neg"),
    ("Fast delivery and well packed", "pos"),
    ("Stopped charging, very disappointed", "neg"),
)
GOOD_CSV = delimited([(f'"{t}"', y) for t, y in GOOD])  # the texts hold commas, so they are quoted
PLAIN = (
    ("Great phone", "pos"),
    ("Screen cracked after a week", "neg"),
    ("Fast delivery", "pos"),
    ("Stopped charging", "neg"),
)
PLAIN_CSV = delimited(PLAIN)
ZH = (("很喜欢这本书", "pos"), ("质量太差了", "neg"), ("物流很快包装完好", "pos"), ("用了两天就坏了", "neg"))
ZH_TRAD = (("我很喜歡這本書", "pos"), ("質量太差了", "neg"), ("物流很快包裝完好", "pos"), ("用了兩天就壞了", "neg"))
ZH_CSV = delimited(ZH)
# a names file of a common task (gender from a given name), each of rare characters
RARE_NAMES = tuple(
    (name, "女" if i % 2 else "男")
    for i, name in enumerate(
        [
            "沈箐潇",
            "于璋湉",
            "韦霈睿",
            "邵珩玠",
            "林媛菡",
            "雷沐皎",
            "魏篁榆",
            "常玠翊",
            "钱桐琰",
            "朱犇翎",
            "贺薇槿",
            "方芊霈",
            "林璇暻",
            "赵煜蔓",
        ]
    )
)
ZH_REVIEWS = tuple(
    (f"{opening}，{detail}（第{i}晚）", label)
    for i in range(4)
    for opening, detail, label in (
        ("这家酒店很好", "服务周到，早餐丰富", "pos"),
        ("房间太小了", "隔音很差，晚上睡不好", "neg"),
        ("位置方便", "离地铁站很近", "pos"),
    )
)
GOOD_SHEET = [["text", "label"], *[list(r) for r in PLAIN]]
LONG_CELL = "word " * 40_000  # 200,000 characters
LONG_LINE = "lorem ipsum " * 2_500  # 30,000 characters
CLASSES_150 = tuple((f"example {k} of topic number {c}", f"topic{c:03d}") for c in range(150) for k in range(2))
CLASSES_1500 = tuple((f"example {k} of topic number {c}", f"topic{c:04d}") for c in range(1500) for k in range(2))
SMART = (
    ("café “crème” brûlée", "pos"),
    ("naïve façade – awful", "neg"),
    ("déjà vu, très bien", "pos"),
    ("señor’s bad day", "neg"),
)
FRENCH = (
    ("très bon café", "pos"),
    ("schön und günstig", "pos"),
    ("trop cher pour ce goût", "neg"),
    ("très cher et déçu", "neg"),
)
EMOJI = (("😀😀😀", "pos"), ("😡👎", "neg"), ("🎉🎉", "pos"), ("💩", "neg"))


# --------------------------------------------------------------------------- the corpus


def through_gbk(text: str) -> str:
    """``text`` written as UTF-8, opened as GBK and saved again, as read back: what Excel on Chinese Windows
    makes of a UTF-8 CSV (a byte pair GBK cannot read becomes '?')."""
    return text.encode("utf-8").decode("gbk", errors="replace").encode("gbk", errors="replace").decode("gbk")


CASES: list[Case] = [
    # ----------------------------------------------------------------- delimited
    Case(
        "csv_unquoted_comma",
        "reviews.csv",
        raw(b"text,label\nNot good at all, battery died,neg\nGreat phone,pos\nSlow, hot and loud,neg\nFine,pos\n"),
        ERROR,
        "texts hold an unquoted comma: the row has 3 fields",
        words=("line", "2, 4|2 and 4", "comma", "quote"),
    ),
    Case(
        "tsv_unquoted_tab",
        "reviews.tsv",
        raw(b"text\tlabel\nfine phone\tpos\nbad\tbattery\tneg\nok\tpos\n"),
        ERROR,
        "a text holds a tab: the row has 3 fields",
        words=("line", "3", "tab"),
    ),
    Case(
        "csv_quoted_commas",
        "reviews.csv",
        encoded(GOOD_CSV),
        OK,
        "commas inside quoted texts",
        texts=_texts(GOOD),
        labels=_labels(GOOD),
    ),
    Case(
        "csv_quoted_newlines_and_quotes",
        "reviews.csv",
        raw(b'text,label\n"two\nlines",pos\n"he said ""no""",neg\n"three\r\nmore\nlines",pos\nplain,neg\n'),
        OK,
        "newlines and doubled quotes inside quoted texts",
        texts=("two\nlines", 'he said "no"', "three\r\nmore\nlines", "plain"),
        labels=("pos", "neg", "pos", "neg"),
    ),
    Case(
        "csv_cr_only",
        "old_mac.csv",
        encoded(delimited(PLAIN, newline="\r")),
        OK,
        "lines end in CR only (classic Mac)",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
    ),
    Case(
        "csv_mixed_line_endings",
        "mixed.csv",
        raw(
            b"text,label\r\nGreat phone,pos\nScreen cracked after a week,neg\rFast delivery,pos\r\nStopped charging,neg"
        ),
        OK,
        "CRLF, LF and CR in one file, no final newline",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
    ),
    Case(
        "csv_utf8_bom",
        "excel.csv",
        encoded(GOOD_CSV, "utf-8-sig"),
        OK,
        "UTF-8 with a BOM (Excel's 'CSV UTF-8')",
        texts=_texts(GOOD),
        labels=_labels(GOOD),
    ),
    Case(
        "csv_header_only", "header.csv", raw(b"text,label\n"), ERROR, "a header and no rows", words=("no rows|empty",)
    ),
    Case("csv_blank_lines_only", "blank.csv", raw(b"\n\n\r\n   \n\r"), ERROR, "only blank lines", words=("empty",)),
    Case(
        "csv_blank_lines_between_rows",
        "gaps.csv",
        raw(
            b"text,label\n\nGreat phone,pos\n\n\nScreen cracked after a week,neg\n,\nFast delivery,pos\nStopped charging,neg\n\n"
        ),
        OK,
        "blank lines (and a line of bare commas) between rows",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
    ),
    Case(
        "csv_semicolon",
        "europe.csv",
        encoded(delimited(GOOD, sep=";")),
        OK,
        "semicolon-separated, commas in texts unquoted",
        texts=_texts(GOOD),
        labels=_labels(GOOD),
    ),
    Case(
        "csv_pipe",
        "pipes.csv",
        encoded(delimited(GOOD, sep="|")),
        OK,
        "bar-separated",
        texts=_texts(GOOD),
        labels=_labels(GOOD),
    ),
    Case(
        "csv_long_cell",
        "long.csv",
        encoded(delimited([(f'"{LONG_CELL}"', "pos"), *PLAIN])),
        OK,
        "one cell of 200,000 characters",
        texts=(LONG_CELL[:10_000], *_texts(PLAIN)),
        labels=("pos", *_labels(PLAIN)),
        warnings=("long_texts",),
    ),
    Case(
        "csv_unterminated_quote",
        "quote.csv",
        raw(b'text,label\nGreat phone,pos\n"this quote never ends,neg\nFast delivery,pos\nStopped charging,neg\n'),
        OK,
        "a quote opened on line 3 and never closed (read as text, with a warning)",
        texts=("Great phone", '"this quote never ends', "Fast delivery", "Stopped charging"),
        labels=("pos", "neg", "pos", "neg"),
        warnings=("unquoted",),
    ),
    Case(
        "csv_unterminated_quote_in_a_ragged_file",
        "quote.csv",
        raw(b'text,label\nGreat phone,pos\n"this quote, never ends,neg\nFast delivery,pos\nStopped charging,neg\n'),
        ERROR,
        "a quote never closed, in a file that is ragged without quoting too",
        words=("quote", "3"),
    ),
    Case(
        "csv_nul_bytes",
        "nul.csv",
        raw(b"text,label\nGreat\x00 phone,pos\nScreen cracked,neg\nFast\x00delivery,pos\nStopped charging,neg\n"),
        EITHER,
        "NUL bytes inside UTF-8 texts",
        words=("NUL|null byte|zero byte|binary",),
        texts=("Great\x00 phone", "Screen cracked", "Fast\x00delivery", "Stopped charging"),
        labels=("pos", "neg", "pos", "neg"),
        warnings=("control_bytes",),
    ),
    Case(
        "csv_fewer_fields",
        "short_rows.csv",
        raw(
            b"text,label\nGreat phone,pos\nFast delivery,pos\nno label here\nScreen cracked,neg\nStopped charging,neg\n"
        ),
        OK,
        "a row with fewer fields than the header",
        texts=("Great phone", "Fast delivery", "Screen cracked", "Stopped charging"),
        labels=("pos", "pos", "neg", "neg"),
        warnings=("missing_labels",),
    ),
    Case(
        "csv_duplicate_columns",
        "dup_cols.csv",
        encoded(delimited([(t, y, f"note {i}") for i, (t, y) in enumerate(PLAIN)], header=("text", "label", "text"))),
        EITHER,
        "two columns named 'text'",
        words=("text", "duplicate|twice|more than once|same name"),
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
        warnings=None,
    ),
    Case(
        "csv_no_header",
        "no_header.csv",
        encoded("\n".join(",".join(r) for r in PLAIN) + "\n"),
        EITHER,
        "no header row: the first row is data",
        words=("header",),
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
        warnings=None,
    ),
    Case(
        "csv_formula_cells",
        "formulas.csv",
        raw(b'text,label\n=1+1,pos\n"=HYPERLINK(""http://x"")",neg\n+cmd|calc,pos\n@SUM(A1),neg\n-2+3 ok,pos\n'),
        OK,
        "texts that spreadsheets run as formulas",
        texts=("=1+1", '=HYPERLINK("http://x")', "+cmd|calc", "@SUM(A1)", "-2+3 ok"),
        labels=("pos", "neg", "pos", "neg", "pos"),
    ),
    Case(
        "csv_whitespace_texts",
        "blanks.csv",
        raw(
            b'text,label\nGreat phone,pos\n"   ",neg\nScreen cracked,neg\n"\t",pos\nFast delivery,pos\nStopped charging,neg\n'
        ),
        OK,
        "some texts are only spaces or a tab",
        texts=_texts(PLAIN[:1]) + ("Screen cracked", "Fast delivery", "Stopped charging"),
        labels=("pos", "neg", "pos", "neg"),
        warnings=("empty_texts",),
    ),
    Case(
        "csv_conflicting_labels",
        "conflict.csv",
        encoded(delimited([*PLAIN, ("Great phone", "neg"), ("ok I guess", "pos")])),
        OK,
        "one text labelled both pos and neg",
        texts=_texts(PLAIN[1:]) + ("ok I guess",),
        labels=_labels(PLAIN[1:]) + ("pos",),
        warnings=("conflicting_labels",),
    ),
    Case(
        "csv_duplicates",
        "dups.csv",
        encoded(delimited([*PLAIN, PLAIN[0], PLAIN[1], PLAIN[0]])),
        OK,
        "the same rows three and two times",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
        warnings=("duplicate_texts",),
    ),
    Case(
        "csv_one_class",
        "one_class.csv",
        encoded(delimited([(t, "pos") for t, _ in PLAIN])),
        ERROR,
        "every row has the label 'pos'",
        words=("class", "pos", "two|2"),
    ),
    Case(
        "csv_labels_all_empty",
        "no_labels.csv",
        encoded(delimited([(t, "") for t, _ in PLAIN])),
        ERROR,
        "a label column with no value in it",
        words=("label", "no row|no label|none of the rows"),
    ),
    Case(
        "csv_three_rows",
        "tiny.csv",
        encoded(delimited(PLAIN[:3])),
        ERROR,
        "3 rows: one class keeps a single example",
        words=("class",),
    ),
    Case(
        "csv_label_spaces",
        "spaces.csv",
        raw(
            b"text,label\nGreat phone, pos\nScreen cracked after a week,neg \nFast delivery,  pos  \nStopped charging,neg\n"
        ),
        OK,
        "labels with spaces around them ('neg ' beside 'neg' is said: two spellings became one class)",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
        warnings=("labels_trimmed",),
    ),
    Case(
        "csv_label_column_first",
        "swapped.csv",
        encoded(delimited([(y, f'"{t}"') for t, y in GOOD], header=("label", "text"))),
        OK,
        "the label column comes first",
        texts=_texts(GOOD),
        labels=_labels(GOOD),
    ),
    Case(
        "tsv_quotes_in_texts",
        "sms.tsv",
        raw(b'label\ttext\nham\tHe said "see you" at 5\nspam\t"Free" entry to win\nham\tok "fine\nspam\tWIN "now"\n'),
        OK,
        "a TSV whose texts hold lone double quotes",
        texts=('He said "see you" at 5', '"Free" entry to win', 'ok "fine', 'WIN "now"'),
        labels=("ham", "spam", "ham", "spam"),
        warnings=("unquoted",),
    ),
    Case(
        "csv_excel_sep_line",
        "excel_sep.csv",
        encoded("sep=;\n" + delimited(GOOD, sep=";")),
        EITHER,
        "Excel's 'sep=;' hint line above the header",
        words=("sep",),
        texts=_texts(GOOD),
        labels=_labels(GOOD),
    ),
    Case(
        "csv_header_case_and_spaces",
        "header.csv",
        encoded(delimited(PLAIN, header=("  Text ", "LABEL "))),
        OK,
        "header names in capitals with spaces around them",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
    ),
    Case(
        "csv_trailing_commas",
        "trailing.csv",
        encoded("text,label,\n" + "".join(f"{t},{y},\n" for t, y in PLAIN)),
        OK,
        "every line ends in a comma (an empty third column)",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
    ),
    Case(
        "csv_label_invisible_characters",
        "zero_width.csv",
        encoded(delimited([("Great phone", "pos\u200b"), PLAIN[1], PLAIN[2], ("Stopped charging", "\u2060neg")])),
        OK,
        "labels holding a zero-width space or word joiner (pasted from a web page): they join the class they look like",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
        warnings=("invisible_in_labels",),
    ),
    Case(
        "csv_label_full_width",
        "full_width.csv",
        encoded(
            delimited(
                [
                    *PLAIN,
                    ("Battery died", "ｎｅｇ"),
                    ("Works well", "ｐｏｓ"),
                    ("Broke", "ｎｅｇ"),
                    ("Love it", "ｐｏｓ"),
                ]
            )
        ),
        OK,
        "class names typed in full-width letters beside the same names in plain letters: kept, with a warning",
        texts=(*_texts(PLAIN), "Battery died", "Works well", "Broke", "Love it"),
        labels=(*_labels(PLAIN), "ｎｅｇ", "ｐｏｓ", "ｎｅｇ", "ｐｏｓ"),
        warnings=("case_variants",),
    ),
    # ----------------------------------------------------------------- encodings
    Case(
        "utf16le_no_bom",
        "utf16le.csv",
        encoded(GOOD_CSV, "utf-16-le"),
        OK,
        "UTF-16-LE without a BOM (every other byte NUL)",
        texts=_texts(GOOD),
        labels=_labels(GOOD),
    ),
    Case(
        "utf16be_no_bom",
        "utf16be.csv",
        encoded(GOOD_CSV, "utf-16-be"),
        OK,
        "UTF-16-BE without a BOM",
        texts=_texts(GOOD),
        labels=_labels(GOOD),
    ),
    Case(
        "utf16_bom_chinese",
        "utf16.csv",
        encoded(ZH_CSV, "utf-16"),
        OK,
        "UTF-16 with a BOM, Chinese texts",
        texts=_texts(ZH),
        labels=_labels(ZH),
    ),
    Case(
        "utf16le_no_bom_chinese_tsv",
        "utf16le.tsv",
        encoded(delimited(ZH, sep="\t"), "utf-16-le"),
        OK,
        "UTF-16-LE without a BOM, Chinese (few NUL bytes)",
        texts=_texts(ZH),
        labels=_labels(ZH),
    ),
    Case(
        "utf8_sig_jsonl",
        "bom.jsonl",
        encoded(jsonl([{"text": t, "label": y} for t, y in ZH]), "utf-8-sig"),
        OK,
        "JSONL with a UTF-8 BOM",
        texts=_texts(ZH),
        labels=_labels(ZH),
    ),
    Case(
        "gbk_chinese",
        "gbk.csv",
        encoded(ZH_CSV, "gbk"),
        OK,
        "GBK, simplified Chinese",
        texts=_texts(ZH),
        labels=_labels(ZH),
    ),
    Case(
        "big5_chinese",
        "big5.csv",
        encoded(delimited(ZH_TRAD), "big5"),
        OK,
        "Big5, traditional Chinese",
        texts=_texts(ZH_TRAD),
        labels=_labels(ZH_TRAD),
    ),
    Case(
        "gb18030_beyond_gbk",
        "gb18030.csv",
        encoded(delimited([("𠮷野家很好吃", "pos"), *ZH[1:]]), "gb18030"),
        OK,
        "GB18030 with a character GBK lacks (𠮷)",
        texts=("𠮷野家很好吃", *_texts(ZH[1:])),
        labels=_labels(ZH),
    ),
    Case(
        "cp1252_smart_quotes_auto",
        "windows.csv",
        encoded(delimited([(f'"{t}"', y) for t, y in SMART]), "cp1252"),
        OK,
        "CP1252 accents and smart quotes, encoding on automatic",
        texts=_texts(SMART),
        labels=_labels(SMART),
    ),
    Case(
        "cp1252_chosen",
        "windows.csv",
        encoded(delimited([(f'"{t}"', y) for t, y in SMART]), "cp1252"),
        OK,
        "CP1252, the user chose cp1252",
        texts=_texts(SMART),
        labels=_labels(SMART),
        encoding="cp1252",
    ),
    Case(
        "latin1_chosen",
        "latin1.csv",
        encoded(
            delimited([("café crème", "pos"), ("naïve façade", "neg"), ("très bien", "pos"), ("señor", "neg")]),
            "latin-1",
        ),
        OK,
        "Latin-1, the user chose latin-1",
        texts=("café crème", "naïve façade", "très bien", "señor"),
        labels=("pos", "neg", "pos", "neg"),
        encoding="latin-1",
    ),
    Case(
        "utf8_read_as_cp1252",
        "accents.csv",
        encoded(delimited(ACCENTED), "utf-8"),
        OK,
        "UTF-8 accents, the user chose cp1252",
        texts=tuple(t.encode("utf-8").decode("cp1252") for t, _ in ACCENTED),  # stored as read, and said so
        labels=_labels(ACCENTED),
        warnings=("garbled",),
        encoding="cp1252",
    ),
    Case(
        "gbk_read_as_utf8",
        "gbk.csv",
        encoded(ZH_CSV, "gbk"),
        ERROR,
        "GBK bytes, the user chose utf-8",
        words=("utf-8", "encoding"),
        encoding="utf-8",
    ),
    Case("random_bytes", "noise.csv", random_bytes, ERROR, "4,000 random bytes", words=("not a text file",)),
    Case(
        "mixed_utf8_and_gbk",
        "mixed.csv",
        lambda: delimited(ZH[:2]).encode() + "".join(",".join(r) + "\n" for r in ZH[2:]).encode("gbk"),
        OK,
        "first rows UTF-8, later rows GBK (two files pasted together): each line in its own encoding",
        texts=_texts(ZH),
        labels=_labels(ZH),
        warnings=("mixed_encodings",),
    ),
    Case(
        "mixed_utf8_bom_and_gbk",
        "mixed.csv",
        lambda: (
            codecs.BOM_UTF8 + delimited(ZH[:2]).encode() + "".join(",".join(r) + "\n" for r in ZH[2:]).encode("gbk")
        ),
        OK,
        "Excel's CSV UTF-8 (with a byte-order mark), then GBK rows pasted after it",
        texts=_texts(ZH),
        labels=_labels(ZH),
        warnings=("mixed_encodings",),
    ),
    Case(
        "mixed_gbk_and_utf8",
        "mixed.csv",
        lambda: delimited(ZH[:2]).encode("gbk") + "".join(",".join(r) + "\n" for r in ZH[2:]).encode(),
        OK,
        "first rows GBK, later rows UTF-8",
        texts=_texts(ZH),
        labels=_labels(ZH),
        warnings=("mixed_encodings",),
    ),
    Case(
        "utf16_cut_off",
        "cut.csv",
        lambda: PLAIN_CSV.encode("utf-16")[:-1],
        OK,
        "UTF-16 with a byte-order mark, its last character cut in half: a raw 'truncated data' error",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
        warnings=("cut_off",),
    ),
    Case(
        "html_page_saved_as_txt",
        "train.txt",
        encoded(
            '<!DOCTYPE html>\n<html lang="en">\n<head><title>data/train.txt at main</title></head>\n'
            "<body><table><tr><td>great phone</td></tr></table></body>\n</html>\n"
        ),
        ERROR,
        "a GitHub page saved instead of the raw file: read as texts of markup, 'No problems found'",
        words=("web page", "raw"),
    ),
    Case(
        "xlsx_empty_formula_results",
        "labels.xlsx",
        xlsx_empty_formula_results,
        OK,
        'labels filled down with =IF(C2="","",C2): rows whose result is "" have no label (they became a class "=")',
        texts=("great sound", "broken screen", "fine hinge", "awful battery"),
        labels=("pos", "neg", "pos", "neg"),
        warnings=("missing_labels",),
    ),
    Case(
        "mixed_utf8_and_cp1252",
        "mixed.csv",
        lambda: delimited(FRENCH[:3]).encode() + "".join(",".join(r) + "\n" for r in FRENCH[3:]).encode("cp1252"),
        OK,
        "French rows in UTF-8, then one pasted from a Windows file (cp1252): read whole as GB18030 it was "
        "saved as 'Tr猫s bon caf茅'",
        texts=_texts(FRENCH),
        labels=_labels(FRENCH),
        warnings=("mixed_encodings",),
    ),
    Case(
        "mixed_utf8_and_gbk_long",
        "mixed.csv",
        lambda: delimited(ZH_REVIEWS[:5]).encode() + "".join(",".join(r) + "\n" for r in ZH_REVIEWS[5:]).encode("gbk"),
        OK,
        "5 UTF-8 rows, then GBK ones: read whole as GB18030 the UTF-8 rows were mojibake, without a word",
        texts=_texts(ZH_REVIEWS),
        labels=_labels(ZH_REVIEWS),
        warnings=("mixed_encodings",),
    ),
    Case(
        "utf8_saved_again_as_gbk",
        "excel.csv",
        lambda: through_gbk(delimited(ZH_REVIEWS)).encode("gbk"),
        OK,
        "UTF-8 Chinese opened as GBK and saved again (Excel): 'No problems found' over '杩欏'",
        texts=tuple(through_gbk(t) for t in _texts(ZH_REVIEWS)),
        labels=_labels(ZH_REVIEWS),
        warnings=("utf8_read_as_gbk",),
    ),
    Case(
        "rare_character_names_gbk",
        "names.csv",
        encoded(delimited(RARE_NAMES), "gbk"),
        OK,
        "given names of rare characters (沈箐潇), in GBK: real Chinese, not garbled",
        texts=_texts(RARE_NAMES),
        labels=_labels(RARE_NAMES),
    ),
    Case(
        "gbk_mojibake_saved_as_utf8",
        "mojibake.csv",
        encoded(through_gbk(delimited(ZH_REVIEWS)), "utf-8"),
        OK,
        "the same garbled Chinese, saved as UTF-8",
        texts=tuple(through_gbk(t) for t in _texts(ZH_REVIEWS)),
        labels=_labels(ZH_REVIEWS),
        warnings=("utf8_read_as_gbk",),
    ),
    Case(
        "truncated_multibyte_end",
        "cut.csv",
        lambda: (ZH_CSV + "还行").encode() + "吧".encode()[:2],
        EITHER,
        "UTF-8 cut in the middle of the last character",
        words=("truncated|cut off|incomplete|ends in the middle|end of the file",),
        texts=_texts(ZH),
        labels=_labels(ZH),
        warnings=None,
    ),
    # ----------------------------------------------------------------- JSON
    Case(
        "jsonl_good",
        "good.jsonl",
        encoded(jsonl([{"review": t, "sentiment": y} for t, y in GOOD])),
        OK,
        "one object per line, other column names",
        texts=_texts(GOOD),
        labels=_labels(GOOD),
    ),
    Case(
        "xls_tab_text",
        "export.xls",
        encoded(delimited(PLAIN, sep="\t"), "utf-8"),
        OK,
        "tab-separated text saved as .xls (a web app's 'Export to Excel')",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
        warnings=("disguised_format",),
    ),
    Case(
        "xls_html_table",
        "export.xls",
        encoded("<table><tr><td>text</td><td>label</td></tr><tr><td>good</td><td>pos</td></tr></table>\n"),
        ERROR,
        "an HTML table saved as .xls",
        words=("web page", "Excel ending", "save it as .xlsx"),
    ),
    Case(
        "xls_xml_spreadsheet",
        "export.xls",
        encoded(
            '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">\n'
            '<Worksheet ss:Name="Sheet1"><Table><Row><Cell><Data ss:Type="String">text</Data></Cell></Row>'
            "</Table></Worksheet>\n</Workbook>\n"
        ),
        ERROR,
        "Excel's XML Spreadsheet 2003 saved as .xls",
        words=("XML spreadsheet", "save it as .xlsx"),
    ),
    Case(
        "xls_html_utf16",
        "export.xls",
        lambda: (
            codecs.BOM_UTF16_LE + "<html><body><table><tr><td>text</td></tr></table></body></html>".encode("utf-16-le")
        ),
        ERROR,
        "an HTML table in UTF-16 saved as .xls",
        words=("web page", "Excel ending"),
    ),
    Case(
        "xls_binary_old_workbook",
        "old.xls",
        raw(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504),
        ERROR,
        "an old binary Excel workbook (.xls)",
        words=("old Excel workbook", "save it as .xlsx"),
    ),
    Case(
        "jsonl_bad_line",
        "bad.jsonl",
        encoded(jsonl([{"text": t, "label": y} for t, y in PLAIN[:2]]) + '{"text": "broken, "label": "pos"}\n'),
        ERROR,
        "line 3 is not valid JSON",
        words=("line 3", "JSON", "fix that line"),
    ),
    Case(
        "json_pretty_object_of_records",
        "wrapped.json",
        encoded(json.dumps({"data": [{"text": t, "label": y} for t, y in GOOD]}, indent=2)),
        OK,
        "a pretty-printed object holding the records",
        texts=_texts(GOOD),
        labels=_labels(GOOD),
    ),
    Case(
        "json_array_of_records",
        "array.json",
        encoded(json.dumps([{"text": t, "label": y} for t, y in ZH], ensure_ascii=False, indent=1)),
        OK,
        "a JSON array of records",
        texts=_texts(ZH),
        labels=_labels(ZH),
    ),
    Case(
        "json_array_of_strings",
        "strings.json",
        encoded(json.dumps([t for t, _ in GOOD])),
        ERROR,
        "an array of strings, not records",
        words=("object",),
    ),
    Case(
        "json_pretty_single_object",
        "one.json",
        encoded(json.dumps({"text": "just one review, pretty-printed", "label": "pos"}, indent=2)),
        ERROR,
        "a pretty-printed single record: one row, one class",
        words=("class",),
    ),
    Case(
        "json_columns_of_lists",
        "columns.json",
        encoded(json.dumps({"text": list(_texts(PLAIN)), "label": list(_labels(PLAIN))}, indent=2)),
        EITHER,
        "one object of parallel lists (column-oriented JSON)",
        words=("nested|list",),
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
    ),
    Case(
        "jsonl_nested_text",
        "nested.jsonl",
        encoded(jsonl([{"text": {"body": t, "lang": "en"}, "label": y} for t, y in PLAIN])),
        OK,
        "the text field holds objects: their fields become columns, and text.body is the text",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
        warnings=("spread_objects",),
    ),
    Case(
        "jsonl_label_studio",
        "tasks.jsonl",
        encoded(
            jsonl(
                [
                    {"id": i, "data": {"text": t, "meta": {"source": "web"}}, "annotation": {"label": y}}
                    for i, (t, y) in enumerate(PLAIN)
                ]
            )
        ),
        OK,
        "an annotation tool's export: the text in data.text, the label in annotation.label (not the ids as texts)",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
        warnings=("spread_objects",),
    ),
    Case(
        "jsonl_nested_text_lists",
        "nested_list.jsonl",
        encoded(jsonl([{"text": t.split(), "label": y} for t, y in PLAIN])),
        ERROR,
        "the text field holds lists of words",
        words=("nested", "text"),
    ),
    Case(
        "jsonl_nested_extra_column",
        "meta.jsonl",
        encoded(jsonl([{"text": t, "label": y, "meta": {"stars": i}} for i, (t, y) in enumerate(PLAIN)])),
        OK,
        "a column of objects beside plain text and label: its fields become columns",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
        warnings=("spread_objects",),
    ),
    Case("json_empty_array", "empty.json", raw(b"[]"), ERROR, "an empty array", words=("no rows|empty",)),
    Case(
        "jsonl_number_labels",
        "numbers.jsonl",
        encoded(jsonl([{"text": t, "label": 1 if y == "pos" else 0} for t, y in PLAIN])),
        OK,
        "labels are JSON numbers",
        texts=_texts(PLAIN),
        labels=("1", "0", "1", "0"),
    ),
    Case(
        "jsonl_null_labels",
        "nulls.jsonl",
        encoded(jsonl([*({"text": t, "label": y} for t, y in PLAIN), {"text": "unknown one", "label": None}])),
        OK,
        "a label that is JSON null",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
        warnings=("missing_labels",),
    ),
    Case(
        "jsonl_boolean_labels",
        "bools.jsonl",
        encoded(jsonl([{"text": t, "label": y == "pos"} for t, y in PLAIN])),
        OK,
        "labels are JSON true and false: stored as written, not as Python's True",
        texts=_texts(PLAIN),
        labels=("true", "false", "true", "false"),
    ),
    Case(
        "jsonl_blank_lines_and_crlf",
        "gaps.jsonl",
        encoded(jsonl([{"text": t, "label": y} for t, y in PLAIN]).replace("\n", "\r\n\r\n")),
        OK,
        "CRLF line endings and a blank line after every record",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
    ),
    Case(
        "jsonl_unicode_line_separators",
        "separators.jsonl",
        encoded(
            jsonl(
                [
                    {"text": "first\u2028second", "label": "pos"},
                    {"text": "next\x85line", "label": "neg"},
                    *({"text": t, "label": y} for t, y in PLAIN),
                ]
            )
        ),
        OK,
        "texts holding U+2028 and NEL, which are line breaks to str.splitlines",
        texts=("first\u2028second", "next\x85line", *_texts(PLAIN)),
        labels=("pos", "neg", *_labels(PLAIN)),
    ),
    # ----------------------------------------------------------------- TXT
    Case(
        "txt_plain_lines",
        "notes.txt",
        encoded("the first line\nthe second line\n\nthe third line\n"),
        OK,
        "one text per line, a blank line, no labels",
        texts=("the first line", "the second line", "the third line"),
        labels=(None, None, None),
        warnings=("empty_texts",),
    ),
    Case(
        "txt_fasttext",
        "train.txt",
        encoded("".join(f"__label__{y} {t}\n" for t, y in PLAIN)),
        OK,
        "fastText '__label__x text' lines",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
    ),
    Case(
        "txt_fasttext_mixed",
        "mixed.txt",
        encoded("".join(f"__label__{y} {t}\n" for t, y in PLAIN) + "a line with no label\n"),
        OK,
        "fastText lines and one plain line",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
        warnings=("missing_labels",),
    ),
    Case(
        "txt_form_feed_and_separators",
        "pages.txt",
        encoded("first part\x0csame line\nthird\u2028still the same line\nplain line\n"),
        OK,
        "a form feed and U+2028 inside lines: only CR and LF end a line",
        texts=("first part\x0csame line", "third\u2028still the same line", "plain line"),
        labels=(None, None, None),
        warnings=("control_bytes",),
    ),
    # ----------------------------------------------------------------- labels
    Case(
        "labels_missing_spelled",
        "nan.csv",
        encoded(
            delimited([*PLAIN, *((f"unsure {i}", w) for i, w in enumerate(["NaN", "None", "null", "NULL", "N/A", ""]))])
        ),
        OK,
        "labels spelled NaN, None, null, NULL, N/A and empty",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
        warnings=("missing_spelled", "missing_labels"),
    ),
    Case(
        "labels_1500_classes",
        "classes.csv",
        encoded(delimited(CLASSES_1500)),
        ERROR,
        "1,500 classes of 2 examples",
        words=("classes", "1,000|1000"),
    ),
    Case(
        "labels_150_classes",
        "classes.csv",
        encoded(delimited(CLASSES_150)),
        OK,
        "150 classes of 2 examples",
        texts=_texts(CLASSES_150),
        labels=_labels(CLASSES_150),
        warnings=("many_classes",),
    ),
    # ----------------------------------------------------------------- texts
    Case(
        "texts_all_emoji",
        "emoji.csv",
        encoded(delimited(EMOJI)),
        ERROR,
        "every text is only emoji",
        words=("letter|word",),
    ),
    Case(
        "texts_some_emoji",
        "emoji.csv",
        encoded(delimited([*PLAIN, *EMOJI[:2]])),
        OK,
        "two texts are only emoji",
        texts=(*_texts(PLAIN), *_texts(EMOJI[:2])),
        labels=(*_labels(PLAIN), *_labels(EMOJI[:2])),
        warnings=("no_words",),
    ),
    Case(
        "texts_very_long_line",
        "long.jsonl",
        encoded(jsonl([{"text": LONG_LINE, "label": "pos"}, *({"text": t, "label": y} for t, y in PLAIN)])),
        OK,
        "one JSONL text of 30,000 characters",
        texts=(LONG_LINE[:10_000], *_texts(PLAIN)),
        labels=("pos", *_labels(PLAIN)),
        warnings=("long_texts",),
    ),
    Case(
        "texts_control_characters",
        "control.csv",
        encoded(
            delimited(
                [
                    ("bell\x07 here", "pos"),
                    ("\x1b[31mred\x1b[0m text", "neg"),
                    ("tab\tinside", "pos"),
                    ("back\x08space", "neg"),
                ]
            )
        ),
        OK,
        "bell, ANSI escapes, tab and backspace inside texts",
        texts=("bell\x07 here", "\x1b[31mred\x1b[0m text", "tab\tinside", "back\x08space"),
        labels=("pos", "neg", "pos", "neg"),
        warnings=("control_bytes",),
    ),
    Case(
        "texts_right_to_left",
        "rtl.csv",
        encoded(
            delimited(
                [
                    ("هذا المنتج رائع", "pos"),
                    ("\u200fהמוצר גרוע\u200f", "neg"),
                    ("خدمة ممتازة", "pos"),
                    ("איכות ירודה", "neg"),
                ]
            )
        ),
        OK,
        "Arabic and Hebrew, with right-to-left marks",
        texts=("هذا المنتج رائع", "\u200fהמוצר גרוע\u200f", "خدمة ممتازة", "איכות ירודה"),
        labels=("pos", "neg", "pos", "neg"),
    ),
    Case(
        "texts_zero_width",
        "zw.csv",
        encoded(
            delimited(
                [
                    ("good\u200bphone", "pos"),
                    ("bad\u200dscreen", "neg"),
                    ("\ufeffnice case", "pos"),
                    ("slow\u2060app", "neg"),
                ]
            )
        ),
        OK,
        "zero-width spaces, joiners and a stray BOM inside texts: removed, a zero-width space as a space",
        texts=("good phone", "bad\u200dscreen", "nice case", "slowapp"),
        labels=("pos", "neg", "pos", "neg"),
    ),
    # ----------------------------------------------------------------- XLSX
    Case(
        "xlsx_good", "good.xlsx", xlsx(GOOD_SHEET), OK, "a plain workbook", texts=_texts(PLAIN), labels=_labels(PLAIN)
    ),
    Case(
        "xlsx_numeric_labels",
        "numbers.xlsx",
        xlsx([["text", "label"], *[[t, 1.0 if y == "pos" else 2.0] for t, y in PLAIN]]),
        OK,
        "labels 1.0 and 2.0 stored as numbers",
        texts=_texts(PLAIN),
        labels=("1", "2", "1", "2"),
    ),
    Case("xlsx_empty_sheet", "empty.xlsx", xlsx([]), ERROR, "a workbook with an empty sheet", words=("no rows|empty",)),
    Case(
        "xlsx_renamed_csv",
        "renamed.xlsx",
        encoded(PLAIN_CSV),
        ERROR,
        "a CSV renamed to .xlsx",
        words=("xlsx|workbook", "zip|csv"),
    ),
    Case(
        "xlsx_corrupt_zip",
        "half.xlsx",
        corrupt_zip,
        ERROR,
        "a workbook cut in half",
        words=("damaged|corrupt|not a valid",),
    ),
    Case(
        "xlsx_multiple_sheets",
        "sheets.xlsx",
        xlsx(GOOD_SHEET, [["text", "label"], ["other sheet", "x"], ["more of it", "y"]]),
        OK,
        "two sheets: the first is used, and the warning names the one not read",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
        warnings=("other_sheets",),
    ),
    Case(
        "xlsx_bomb_3m_rows",
        "bomb.xlsx",
        xlsx_row_bomb,
        ERROR,
        "3,000,000 rows packed into about 1 MB",
        words=("rows", "limit"),
        bomb=True,
    ),
    Case(
        "xlsx_bomb_200mb_cell",
        "cell.xlsx",
        xlsx_cell_bomb,
        EITHER,
        "one shared string of 200 MB packed into about 1 MB",
        words=("characters|MB|cell",),
        texts=("a" * 10_000, *_texts(BIG_CELL_ROWS)),
        labels=("pos", *_labels(BIG_CELL_ROWS)),
        warnings=("long_texts",),
        bomb=True,
    ),
    Case(
        "xlsx_bomb_700mb_of_spaces",
        "spaces.xlsx",
        xlsx_whitespace_bomb,
        ERROR,
        "700 MB of spaces in the sheet, packed into about 1 MB",
        words=("500 MB",),
        bomb=True,
    ),
    # ----------------------------------------------------------------- Parquet
    Case(
        "parquet_good",
        "good.parquet",
        parquet({"text": list(_texts(ZH)), "label": list(_labels(ZH))}),
        OK,
        "a plain Parquet file",
        texts=_texts(ZH),
        labels=_labels(ZH),
    ),
    Case(
        "parquet_float_labels",
        "floats.parquet",
        parquet({"text": list(_texts(PLAIN)), "label": [1.0, 2.0, 1.0, 2.0]}),
        OK,
        "labels stored as floats 1.0 and 2.0",
        texts=_texts(PLAIN),
        labels=("1", "2", "1", "2"),
    ),
    Case(
        "parquet_nested_text",
        "nested.parquet",
        parquet({"text": [{"body": t, "lang": "en"} for t, _ in PLAIN], "label": list(_labels(PLAIN))}),
        OK,
        "the text column is a struct: its fields become columns, and text.body is the text",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
        warnings=("spread_objects",),
    ),
    Case(
        "parquet_list_text",
        "lists.parquet",
        parquet({"text": [t.split() for t, _ in PLAIN], "label": list(_labels(PLAIN))}),
        ERROR,
        "the text column is a list of words",
        words=("nested", "text"),
    ),
    Case(
        "parquet_nested_extra_column",
        "tags.parquet",
        parquet({"text": list(_texts(PLAIN)), "label": list(_labels(PLAIN)), "tags": [["a", "b"], [], ["c"], ["d"]]}),
        OK,
        "a list column beside plain text and label",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
        warnings=("nested_columns",),
    ),
    Case(
        "parquet_not_parquet",
        "fake.parquet",
        encoded(PLAIN_CSV),
        ERROR,
        "a CSV renamed to .parquet",
        words=("parquet",),
    ),
    Case(
        "parquet_zero_rows",
        "zero.parquet",
        parquet({"text": [], "label": []}),
        ERROR,
        "a schema and no rows",
        words=("no rows|empty",),
    ),
    Case(
        "parquet_3m_rows",
        "big.parquet",
        parquet_row_bomb,
        ERROR,
        "3,000,000 rows in a few KB, row limit 1,000",
        words=("rows", "limit"),
        limits=DataLimits(max_rows=1_000),
        bomb=True,
    ),
    Case(
        "xlsx_shared_string_bomb",
        "shared.xlsx",
        xlsx_shared_string_bomb,
        ERROR,
        "50,000 cells pointing at one 20,000-character shared string: counted once, it reached 2.7 GB",
        words=("characters",),
        bomb=True,
    ),
    Case(
        "parquet_long_text_bomb",
        "long.parquet",
        parquet_long_text_bomb,
        ERROR,
        "50,000 rows of one 20,000-character text stored once: 0.03 MB by its metadata, 1 GB read (2.4 GB RSS)",
        words=("unpacks to", "MB"),
        bomb=True,
    ),
    # ----------------------------------------------------------------- other
    Case(
        "unsupported_docx",
        "report.docx",
        lambda: b"PK\x03\x04" + bytes(100),
        ERROR,
        "a Word document",
        words=(".docx", "csv"),
    ),
    # ----------------------------------------------------------------- found by fuzzing the reader
    Case(
        "utf16_no_bom_cut_off",
        "cut16.csv",
        raw(PLAIN_CSV.encode("utf-16-le")[:-1]),
        OK,
        "UTF-16 without a byte-order mark, its last byte lost: read as GB18030, every other character a NUL",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
        warnings=("cut_off",),
    ),
    Case(
        "utf16_no_bom_byte_added",
        "added16.csv",
        raw(PLAIN_CSV.encode("utf-16-le")[:60] + b"\x00" + PLAIN_CSV.encode("utf-16-le")[60:]),
        ERROR,
        "UTF-16 without a byte-order mark, a byte added on its third line: the rest reads one byte out of step",
        words=("UTF-16", "line 3"),
    ),
    Case(
        "gb18030_short_chinese",
        "short_gb.csv",
        encoded(delimited([("很好", "pos"), ("很快", "neg"), ("很好很快", "pos"), ("很快很好", "neg")]), "gb18030"),
        OK,
        "four short Chinese texts in GB18030, which read as Korean (cp949) too: 很好 became 붤봤",
        texts=("很好", "很快", "很好很快", "很快很好"),
        labels=("pos", "neg", "pos", "neg"),
        warnings=None,
    ),
    Case(
        "semicolons_cr_line_ends",
        "mac.csv",
        encoded(delimited(PLAIN, sep=";", newline="\r")),
        OK,
        "semicolons and a lone CR at each line's end (Excel for Mac in a European locale): read as one column",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
    ),
    Case(
        "nul_byte_in_a_label",
        "nul.csv",
        encoded(
            "text,label\n" + "\n".join(f"{t},{y}" + ("\x00" if i == 0 else "") for i, (t, y) in enumerate(PLAIN)) + "\n"
        ),
        OK,
        "a NUL byte after one label: 'pos\\x00' was a class of its own",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
        warnings=("invisible_in_labels",),
    ),
    Case(
        "bom_inside_header",
        "bom_header.csv",
        raw(b"text,\xef\xbb\xbflabel\n" + delimited(PLAIN).split("\n", 1)[1].encode()),
        OK,
        "a byte-order mark before the second column's name: 'label' that is not 'label'",
        texts=_texts(PLAIN),
        labels=_labels(PLAIN),
    ),
    Case(
        "null_in_a_chinese_label_column",
        "null_zh.csv",
        encoded(delimited((*ZH[:2], ("还没用过", "null"), *ZH[2:]), header=("内容", "标签"))),
        OK,
        "a 'null' among five labels of a column named 标签: three 'classes' in five rows, not taken for labels",
        texts=_texts(ZH),
        labels=_labels(ZH),
        warnings=None,
    ),
    Case(
        "broken_surrogates_in_labels",
        "halves.jsonl",
        raw(
            b'{"text":"a b","label":"x\\ud83d"}\n{"text":"c d","label":"x\\ud800"}\n{"text":"e f","label":"y"}\n'
            b'{"text":"g h","label":"x\\ud83d"}\n{"text":"i j","label":"x\\ud800"}\n{"text":"k l","label":"y"}\n'
        ),
        OK,
        "halves of emoji in two class names, which both read 'x\ufffd' and are one class",
        texts=("a b", "c d", "e f", "g h", "i j", "k l"),
        labels=("x\ufffd", "x\ufffd", "y", "x\ufffd", "x\ufffd", "y"),
        warnings=("replacement_in_labels",),
    ),
    Case(
        "json_nested_too_deeply",
        "deep.json",
        raw(b"[" * 5_000 + b"]" * 5_000),
        ERROR,
        "5,000 nested brackets: a RecursionError read out as it was",
        words=("nested too deeply",),
    ),
    Case("empty_file", "empty.csv", raw(b""), ERROR, "0 bytes", words=("empty",)),
    Case(
        "whitespace_file",
        "spaces.txt",
        raw(b"  \n\t \r\n  "),
        ERROR,
        "only spaces, tabs and newlines",
        words=("empty",),
    ),
    Case(
        "over_size_limit",
        "big.csv",
        encoded(delimited([(f"row number {i} of a file that is too big", "ab"[i % 2]) for i in range(600)])),
        ERROR,
        "26 KB over a 0.01 MB limit: the message shows both sizes",
        words=("limit", "0.01 MB|10 KB|10,000 bytes"),
        limits=DataLimits(max_file_mb=0.01),
    ),
]

BY_NAME = {case.name: case for case in CASES}
if len(BY_NAME) != len(CASES):
    raise ValueError("two cases share a name; names are test ids and must be unique")


def table_markdown() -> str:
    """The README table: case, file, what is awkward, expected outcome."""
    lines = ["| case | file | what is awkward | expected |", "|---|---|---|---|"]
    for case in CASES:
        note = case.note.replace("|", "\\|")
        outcome = case.outcome().replace("|", "\\|")
        lines.append(f"| `{case.name}` | `{case.filename}` | {note} | {outcome} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table_markdown())
