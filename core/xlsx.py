"""A streaming XLSX reader whose limits hold while it reads.

openpyxl (through pandas) parses the whole workbook before anything can be counted, so a
465 KB file that unpacks to 3 M rows cost 73 s and 1.85 GB before the row limit refused it.
Here the sheet XML is fed to expat in chunks straight from the ZIP stream, and reading stops
the moment a limit is crossed: rows, cells, characters per cell, unpacked bytes. Shared strings
are read in a second pass that keeps only the strings the kept rows use.
"""

from __future__ import annotations

import contextlib
import functools
import io
import posixpath
import re
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from xml.parsers import expat

from core.errors import DataError

# Excel itself stores at most 32,767 characters in a cell, so a longer one is not a real cell:
# it is cut here (still far past the 10,000 at which validation warns and cuts).
MAX_CELL_CHARS = 100_000
_CHUNK = 1 << 16
_CELL_REF = re.compile(r"([A-Z]{1,3})")
_CORNER = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")  # a corner of a merged range: B2, $B$2
# a <row> start tag, with or without a namespace prefix (<row r="1">, <x:row>, <row/>)
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")


@dataclass
class XlsxLimits:
    """What one workbook may cost before reading stops."""

    max_rows: int = 200_000  # data rows (the header excluded)
    max_cells: int = 1_000_000  # non-empty cells kept (200,000 rows of 5 columns)
    max_columns: int = 1_000
    max_unpacked_mb: float = 500.0  # XML bytes fed to the parser, sheet and shared strings together
    max_chars: int = 200_000_000  # characters of cell text kept in all


class _Stop(Exception):
    """Raised inside an expat handler to stop parsing at once."""


def read_xlsx(
    data: bytes,
    limits: XlsxLimits | None = None,
    header_row: bool = True,
    sheet: str | None = None,
    report: dict | None = None,
) -> tuple[list[str], list[list[str | None]]]:
    """A worksheet as ``(header, rows)``, every cell a string or None: the one named ``sheet``, else the first.

    ``header_row=False`` keeps the first row as data and names the columns ``column_1``, … . A
    merged range's value (one label over four rows, as a spreadsheet shows it) fills the cells
    below it in its column; ``report["merged_filled"]`` says how many cells were filled so, and
    ``report["merge_starts"]`` holds, per row (0 for the first kept), the columns where a merged range of
    two or more cells starts (a group heading over several columns, a name over two header rows); ``report["row_numbers"]`` holds each
    kept row's number in the sheet (empty rows are not kept). A formula
    with no calculated value is read as its source ("=A2&B2"); ``report["uncalculated"]`` holds those
    sources by column (0 for the first).

    Raises DataError naming the limit that was crossed, or what is wrong with the file.
    """
    limits = limits or XlsxLimits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        if data.startswith(b"PK\x03\x04"):  # a ZIP's first entry, but no table of contents at its end
            raise DataError(
                "The workbook is damaged or incomplete: it ends before its table of contents, as a download or "
                "copy cut short does. Copy or download it again, or open it in a spreadsheet and save it again."
            ) from None
        raise DataError(
            "The file is not a valid XLSX workbook (it is not a ZIP archive). If it is a CSV renamed to "
            ".xlsx, rename it back to .csv; if it is an old .xls workbook, save it as .xlsx."
        ) from None
    with archive:
        info = _named_sheet(archive, sheet) if sheet else _first_sheet(archive)
        if info.file_size > limits.max_unpacked_mb * 1e6:  # as the archive declares it: refused before unpacking
            raise _too_much_xml(limits)  # (a 0.7 MB bomb took 9 s of unpacking to reach the limit)
        _count_rows(archive, info, limits)
        budget = _Budget(limits)
        dates = _DateStyles.of(archive)
        cells, shared_needed, filled, uncalculated, across, numbers = _read_sheet(archive, info, limits, budget, dates)
        shared = _read_shared_strings(archive, shared_needed, budget) if shared_needed else {}
    if report is not None:
        report["merged_filled"] = filled
        report["uncalculated"] = uncalculated
        report["merge_starts"] = across
        report["row_numbers"] = numbers
    return _to_table(cells, shared, header_row)


def _too_much_xml(limits: XlsxLimits) -> DataError:
    return DataError(
        f"The workbook unpacks to more than {limits.max_unpacked_mb:,.0f} MB of XML. "
        "Save only the text and label columns as CSV (UTF-8), or sample the rows."
    )


class _Budget:
    """Bytes fed to the parser and characters kept, shared by both passes."""

    def __init__(self, limits: XlsxLimits):
        self.limits = limits
        self.bytes = 0
        self.chars = 0

    def feed(self, n: int) -> None:
        self.bytes += n
        if self.bytes > self.limits.max_unpacked_mb * 1e6:
            raise _too_much_xml(self.limits)

    def keep(self, n: int) -> None:
        self.chars += n
        if self.chars > self.limits.max_chars:
            raise DataError(
                f"The workbook holds more than {self.limits.max_chars:,} characters of text. "
                "Save only the text and label columns, or sample the rows."
            )


def sheet_names(data: bytes) -> list[str]:
    """The workbook's sheet names in order, hidden ones after the first left out ([] when the workbook
    part is missing or too large)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            workbook = _member(archive, "xl/workbook.xml")
            if workbook is None or workbook.file_size >= 50e6:
                return []
            sheets = _elements(archive.read(workbook), "sheet")
            # the first (the one read), then the visible others: a hidden lookup sheet is not where the texts are
            return [
                attrs.get("name", "")
                for i, attrs in enumerate(sheets)
                if i == 0 or attrs.get("state", "visible") == "visible"
            ]
    except (zipfile.BadZipFile, ValueError, DataError, OSError, EOFError, zlib.error):
        # a damaged workbook lists no sheets; reading it then says what is wrong with the file
        return []


NOTE_ROWS = 5  # a first sheet of fewer rows is a note about the data, not the data


def fullest_sheet(data: bytes) -> str | None:
    """The sheet a picker should open on: the first, unless it is a note of fewer than ``NOTE_ROWS``
    rows (an export's "owner / date" sheet), then the visible sheet whose XML is largest.

    Sizes come from the ZIP directory and a note's rows from its own small XML, so nothing large is
    unpacked. Ranking every sheet by size alone opened a workbook of 500 reviews on its table of
    numbers: a text sheet's XML is small, its strings being stored apart. None when it cannot tell."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            workbook = _member(archive, "xl/workbook.xml")
            if workbook is None or workbook.file_size >= 50e6:
                return None
            sheets = []
            for i, attrs in enumerate(_elements(archive.read(workbook), "sheet")):
                if i and attrs.get("state", "visible") != "visible":
                    continue  # as sheet_names: a hidden lookup sheet is not where the texts are
                info = _sheet_target(archive, attrs.get("id", ""))
                if info is not None:
                    sheets.append((attrs.get("name", ""), info))
            if not sheets:
                return None
            first_name, first = sheets[0]
            # a note is a few hundred bytes of XML; anything past 64 KB holds more than a note
            if len(sheets) == 1 or first.file_size > 65_536:
                return first_name
            if len(_ROW_TAG.findall(archive.read(first))) >= NOTE_ROWS:
                return first_name
            fullest = max(sheets[1:], key=lambda sheet: sheet[1].file_size)  # ties keep the earlier sheet
            return fullest[0] if fullest[1].file_size > first.file_size else first_name
    except (zipfile.BadZipFile, ValueError, DataError, OSError, EOFError, zlib.error):
        return None


def _sheet_target(archive: zipfile.ZipFile, relation_id: str) -> zipfile.ZipInfo | None:
    """The sheet file a workbook relationship id points to (None when the parts are missing or too large)."""
    rels = _member(archive, "xl/_rels/workbook.xml.rels")
    if rels is None or rels.file_size >= 50e6:
        return None
    for attrs in _elements(archive.read(rels), "Relationship"):
        if attrs.get("Id") == relation_id and attrs.get("Target"):
            path = attrs["Target"]
            return _member(archive, path.lstrip("/") if path.startswith("/") else posixpath.normpath("xl/" + path))
    return None


def _named_sheet(archive: zipfile.ZipFile, name: str) -> zipfile.ZipInfo:
    """The worksheet called ``name``; a DataError names the sheets there are when none is."""
    workbook = _member(archive, "xl/workbook.xml")
    sheets = _elements(archive.read(workbook), "sheet") if workbook is not None and workbook.file_size < 50e6 else []
    for attrs in sheets:
        if attrs.get("name") == name and attrs.get("id"):
            info = _sheet_target(archive, attrs["id"])
            if info is not None:
                return info
    names = [attrs.get("name", "") for attrs in sheets]
    if name in names:
        raise DataError(f"The sheet {name!r} could not be found in the workbook (its part is missing).")
    raise DataError(
        f"The workbook has no sheet {name!r}; its sheets are "
        + ", ".join(repr(n) for n in names[:20])
        + (f" and {len(names) - 20:,} more." if len(names) > 20 else ".")
    )


def _member(archive: zipfile.ZipFile, name: str) -> zipfile.ZipInfo | None:
    lowered = {info.filename.lower(): info for info in archive.infolist()}
    return lowered.get(name.lstrip("/").lower())


def _first_sheet(archive: zipfile.ZipFile) -> zipfile.ZipInfo:
    """The first worksheet in workbook order (its relationship target), else the first sheet file."""
    info = None
    workbook = _member(archive, "xl/workbook.xml")
    if workbook is not None and workbook.file_size < 50e6:
        first_id = _first_attr(archive.read(workbook), "sheet", "id")
        if first_id:
            info = _sheet_target(archive, first_id)
    if info is None:
        sheets = sorted(
            (i for i in archive.infolist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", i.filename.lower())),
            key=lambda i: int(re.findall(r"\d+", i.filename)[-1]),
        )
        if not sheets:
            raise DataError("The workbook has no worksheet. Check that the file really is an XLSX workbook.")
        info = sheets[0]
    return info


@functools.lru_cache(maxsize=256)
def _local(name: str) -> str:
    # cached: the handlers ask for every element, and a sheet uses a handful of names (bounded: the
    # names come from the upload, and a crafted sheet could hold millions of them)
    return name.rsplit(":", 1)[-1]


def _row_element_limit(limits: XlsxLimits) -> int:
    """Row elements a sheet may hold: the header and ``max_rows`` data rows, with slack for empty
    (formatted-only) rows, which the parse skips."""
    return 2 * limits.max_rows + 10_000


def _too_many_rows(limits: XlsxLimits) -> DataError:
    return DataError(
        f"The sheet has more than {limits.max_rows:,} rows; the limit is {limits.max_rows:,}. "
        "Sample the rows (or raise the row limit), then upload again."
    )


def _count_rows(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: XlsxLimits) -> None:
    """Refuse a sheet with more row elements than ``_row_element_limit`` before parsing it.

    Counting start tags with a regular expression runs at C speed (a 3 M-row bomb is refused after
    about 20 MB of XML in a fraction of a second), where the parser's Python handlers would spend
    seconds reaching the same limit. Each ``<`` is looked at once: the text after the last ``<`` of a
    chunk is carried into the next, so a tag split between chunks is still counted.
    """
    allowed, seen, unpacked, carry = _row_element_limit(limits), 0, 0, b""
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                unpacked += len(chunk)
                if unpacked > limits.max_unpacked_mb * 1e6:
                    return  # the parse refuses it, with the message about unpacked size
                buffer = carry + chunk
                cut = buffer.rfind(b"<")
                if cut < 0 or len(buffer) - cut > 256:  # no tag start near the end: nothing to carry
                    cut = len(buffer)
                seen += len(_ROW_TAG.findall(buffer, 0, cut))
                carry = buffer[cut:]
                if seen > allowed:
                    raise _too_many_rows(limits)
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error):
        return  # the parse reports the damage
    if _ROW_TAG.match(carry):
        seen += 1
    if seen > allowed:
        raise _too_many_rows(limits)


def _elements(xml: bytes, local_name: str) -> list[dict[str, str]]:
    """The attributes (local names) of every element called ``local_name`` in a small XML file."""
    found: list[dict[str, str]] = []
    parser = expat.ParserCreate()

    def start(name, attrs):
        if _local(name) == local_name:
            found.append({_local(k): v for k, v in attrs.items()})

    parser.StartElementHandler = start
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as exc:
        raise DataError(f"The workbook is damaged ({exc}). Open it in a spreadsheet and save it again.") from None
    return found


def _first_attr(xml: bytes, local_name: str, attr: str) -> str | None:
    for attrs in _elements(xml, local_name):
        if attr in attrs:
            return attrs[attr]
    return None


def _parser(start, end, chars):
    """An expat parser with these element and text handlers (text delivered in whole runs)."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    return parser


def _parse_stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo, parser, budget: _Budget) -> None:
    """Feed a member to ``parser`` chunk by chunk; a handler raising ``_Stop`` ends it early."""
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                budget.feed(len(chunk))
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Stop:
        return
    except expat.ExpatError as exc:
        raise DataError(f"The workbook is damaged ({exc}). Open it in a spreadsheet and save it again.") from None
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
        raise DataError(f"The workbook is damaged ({exc}). Open it in a spreadsheet and save it again.") from None


def _column(ref: str | None, previous: int) -> int:
    if ref:
        match = _CELL_REF.match(ref)
        if match:
            index = 0
            for letter in match.group(1):
                index = index * 26 + (ord(letter) - 64)
            return index - 1
    return previous + 1


class _Text:
    """Character data of one value, kept up to ``MAX_CELL_CHARS``."""

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0

    def add(self, data: str) -> None:
        room = MAX_CELL_CHARS - self.length
        if room > 0:
            self.parts.append(data[:room])
            self.length += min(len(data), room)

    def value(self) -> str:
        return "".join(self.parts)


# Excel's built-in date and time formats (ids 14-22 and 45-47; 27-36 and 50-58 are the East Asian
# locales', "2024年2月18日", of which 32-35, 55 and 56 are times, "14时30分"), as ECMA-376 lists them;
# 46 is an elapsed time ("[h]:mm:ss"), a duration, not a time of day: it stays a number
_BUILTIN_DATE_FORMATS = {*range(14, 23), *range(27, 37), 45, 47, *range(50, 59)}
_BUILTIN_TIME_FORMATS = {18, 19, 20, 21, 45, 47, 32, 33, 34, 35, 55, 56}
_ELAPSED = re.compile(r"\[(h+|m+|s+)\]", re.IGNORECASE)  # [h]:mm: 36 hours, not noon the next day
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')  # quoted text, [colour]/[$-804], escapes, padding


class _DateStyles:
    """Which cell styles show a number as a date or a time: a sheet stores 2024-02-18 as 45340,
    and a date column read as 45340, 45327 … in the preview and the predictions file."""

    def __init__(self, kinds: dict[int, str], base):
        self.kinds = kinds  # style index → "date", "datetime" or "time"
        self.base = base  # the day serial 0 stands for

    @classmethod
    def of(cls, archive: zipfile.ZipFile) -> _DateStyles:
        import datetime

        workbook = _member(archive, "xl/workbook.xml")
        date1904 = False
        if workbook is not None and workbook.file_size < 50e6:
            flag = _first_attr(archive.read(workbook), "workbookPr", "date1904")
            date1904 = (flag or "").strip().lower() in ("1", "true")
        base = datetime.datetime(1904, 1, 1) if date1904 else datetime.datetime(1899, 12, 30)
        styles = _member(archive, "xl/styles.xml")
        if styles is None or styles.file_size > 20e6:
            return cls({}, base)
        codes: dict[int, str] = {}
        formats: list[int] = []  # each cell style's number format, in style order
        depth = {"cellXfs": 0}

        def start(name, attrs):
            tag = _local(name)
            attrs = {_local(k): v for k, v in attrs.items()}
            if tag == "numFmt" and attrs.get("numFmtId", "").isdigit():
                codes[int(attrs["numFmtId"])] = attrs.get("formatCode", "")
            elif tag == "cellXfs":
                depth["cellXfs"] += 1
            elif tag == "xf" and depth["cellXfs"]:
                number = attrs.get("numFmtId", "0")
                formats.append(int(number) if number.isdigit() else 0)

        def end(name):
            if _local(name) == "cellXfs":
                depth["cellXfs"] -= 1

        parser = expat.ParserCreate()
        parser.StartElementHandler, parser.EndElementHandler = start, end
        try:
            parser.Parse(archive.read(styles), True)
        except (expat.ExpatError, zipfile.BadZipFile, zlib.error, OSError):
            return cls({}, base)  # no styles to go by: numbers stay numbers
        kinds = {}
        for index, number in enumerate(formats):
            kind = _format_kind(number, codes.get(number))
            if kind:
                kinds[index] = kind
        return cls(kinds, base)

    def text(self, style: int, number: float) -> str | None:
        """``number`` as the date or time the style shows, or None when the style shows a number."""
        import datetime

        kind = self.kinds.get(style)
        if kind is None or not 0 <= number < 2_958_466:  # past 9999-12-31: not a date Excel can show
            return None
        moment = self.base + datetime.timedelta(days=number)
        moment = (moment + datetime.timedelta(microseconds=500_000)).replace(microsecond=0)  # whole seconds
        if kind == "time" or (kind == "datetime" and number < 1):
            return moment.strftime("%H:%M:%S")
        if kind == "datetime" and (moment.hour or moment.minute or moment.second):
            return moment.strftime("%Y-%m-%d %H:%M:%S")
        return moment.strftime("%Y-%m-%d")


def _format_kind(number: int, code: str | None) -> str | None:
    """ "date", "datetime", "time" or None for a number format (a built-in id, or its own code)."""
    if code is None:
        if number not in _BUILTIN_DATE_FORMATS:
            return None
        return "time" if number in _BUILTIN_TIME_FORMATS else "datetime" if number == 22 else "date"
    if _ELAPSED.search(code.split(";")[0]):
        return None  # a duration: the number of days is what it holds
    plain = _FORMAT_NOISE.sub("", code.split(";")[0]).lower()
    has_date = bool(re.search(r"[yd]|m{3,}", plain)) or ("m" in plain and not re.search(r"[hs]", plain))
    has_time = bool(re.search(r"[hs]", plain))
    if not (has_date or has_time) or re.search(r"[0#?]", plain):  # 0.00, #,##0: a number
        return None
    return "datetime" if has_date and has_time else "date" if has_date else "time"


def _read_sheet(archive, info, limits: XlsxLimits, budget: _Budget, dates: _DateStyles | None = None):
    """``(rows as {column: value}, shared-string indices needed, cells filled from merged ranges, formulas
    read as their source by column, where merged ranges start, each row's number in the sheet)``; shared-string cells hold an int index to resolve later."""
    rows: list[dict[int, object]] = []
    numbers: list[int] = []  # each kept row's number in the sheet (empty rows are not kept)
    merges: list[str] = []
    needed: Counter[int] = Counter()  # each shared string's references: kept once, expanded in every cell
    state = {"row": None, "col": -1, "type": None, "text": None, "formula": None, "target": None}
    state |= {"cells": 0, "elements": 0, "number": 0}
    uncalculated: dict[int, set[str]] = {}  # per column: formulas kept as their source, never calculated

    def start(name, attrs):
        tag = _local(name)
        if tag == "mergeCell" and attrs.get("ref") and len(merges) < MAX_MERGES:
            merges.append(attrs["ref"])
        elif tag == "row":
            number = attrs.get("r")
            state["number"] = int(number) if number and number.isdigit() else state["number"] + 1
            state["elements"] += 1
            # the header plus max_rows data rows are kept; empty (formatted-only) rows count too,
            # with slack, so that millions of them cannot keep the parser busy
            if len(rows) > limits.max_rows or state["elements"] > _row_element_limit(limits):
                raise _too_many_rows(limits)
            state["row"] = {}
            state["col"] = -1
        elif tag == "c" and state["row"] is not None:
            state["col"] = _column(attrs.get("r"), state["col"])
            state["type"] = attrs.get("t", "n")
            style = attrs.get("s", "0")
            state["style"] = int(style) if style.isdigit() else 0
            state["text"] = state["formula"] = None
        elif tag in ("v", "t", "f") and state["row"] is not None and state["col"] >= 0:
            if tag == "v" or (tag == "t" and state["type"] == "inlineStr"):
                state["text"] = state["text"] or _Text()
                state["target"] = state["text"]
            elif tag == "f":
                state["formula"] = _Text()
                state["target"] = state["formula"]

    def end(name):
        tag = _local(name)
        if tag in ("v", "t", "f"):
            state["target"] = None
        elif tag == "c" and state["row"] is not None and (state["text"] is not None or state["formula"] is not None):
            raw = state["text"].value() if state["text"] is not None else ""
            if not raw and state["formula"] is not None and state["type"] != "str":
                # a formula with no cached value (written by a library, never calculated) is kept as
                # its source, "=1+1", as openpyxl shows it: the studio never evaluates formulas. A text
                # result that is empty (t="str", <v/>) is Excel's "": an empty cell, not the source (a
                # filled-down =IF(C2="","",C2) made a class named "=")
                value = "=" + state["formula"].value()
                uncalculated.setdefault(state["col"], set()).add(value)
            else:
                value = _cell_value(state["type"], raw)
                if dates is not None and dates.kinds and state["type"] == "n" and isinstance(value, str):
                    with contextlib.suppress(ValueError):  # "inf", text in a number cell: as it is
                        value = dates.text(state["style"], float(raw)) or value
            if value is not None:
                # counted at a value: an empty formatted cell far to the right refused the whole workbook
                if state["col"] >= limits.max_columns:
                    raise DataError(
                        f"The sheet has more than {limits.max_columns:,} columns. "
                        "Keep only the text and label columns, then upload again."
                    )
                if isinstance(value, int):
                    needed[value] += 1
                else:
                    budget.keep(len(value))
                state["row"][state["col"]] = value
                state["cells"] += 1
                if state["cells"] > limits.max_cells:
                    raise DataError(
                        f"The sheet has more than {limits.max_cells:,} filled cells. "
                        "Keep only the text and label columns, or sample the rows."
                    )
            state["text"] = state["formula"] = None
        elif tag == "row" and state["row"] is not None:
            if state["row"]:  # empty rows are skipped, as for every other format
                rows.append(state["row"])
                numbers.append(state["number"])
            state["row"] = None
        elif tag == "mergeCells":  # they follow the rows; what comes after them is layout
            raise _Stop

    def chars(data):
        if state["target"] is not None:
            state["target"].add(data)

    _parse_stream(archive, info, _parser(start, end, chars), budget)
    filled = _fill_merged(rows, numbers, merges)
    return rows, needed, filled, uncalculated, _merge_starts(numbers, merges), numbers


MAX_MERGES = 100_000  # merged ranges read from one sheet


def _merge_starts(numbers: list[int], merges: list[str]) -> dict[int, set[int]]:
    """Per kept row (its index in ``numbers``), the columns where a merged range of two or more cells
    starts: a group heading ("Feedback" over A1:B1, "Meta" over C1:D1) above a table's real column names,
    or a name merged down over both header rows ("agent" over C1:C2) beside such headings."""
    index = {number: i for i, number in enumerate(numbers)}
    across: dict[int, set[int]] = {}
    for ref in merges:
        corners = ref.split(":")
        if len(corners) != 2:
            continue
        first, last = (_CORNER.fullmatch(corner.strip()) for corner in corners)
        if not first or not last or int(first.group(2)) not in index:
            continue
        left, right = _column(first.group(1), -1), _column(last.group(1), -1)
        if right > left or int(last.group(2)) > int(first.group(2)):
            across.setdefault(index[int(first.group(2))], set()).add(left)
    return across


def _fill_merged(rows: list[dict[int, object]], numbers: list[int], merges: list[str]) -> int:
    """Put each merged range's value into the cells below it in its first column; the number filled.

    A spreadsheet shows the label of a merged B2:B5 on all four rows; the file holds it in B2
    alone, so rows 3-5 read as unlabelled and were dropped without a word. Only the first
    column is filled: a title merged across columns is not copied into every column.
    """
    import bisect

    by_number = dict(zip(numbers, rows))
    present = sorted(by_number)
    ranges = []
    for ref in merges:
        corners = ref.split(":")
        if len(corners) != 2:
            continue
        first, last = (_CORNER.fullmatch(corner.strip()) for corner in corners)
        if not first or not last:
            continue
        ranges.append((_column(first.group(1), -1), int(first.group(2)), int(last.group(2))))
    # a column's rows are visited once: 4,000 overlapping ranges over the same rows took 3 s (and a
    # crafted sheet's 100,000, minutes), visiting every row of every range again
    covered: dict[int, int] = {}
    filled = 0
    for column, top, bottom in sorted(ranges):
        value = by_number.get(top, {}).get(column)
        start = max(top + 1, covered.get(column, 0) + 1)
        if value is None or start > bottom:
            continue
        covered[column] = bottom
        i = bisect.bisect_left(present, start)
        while i < len(present) and present[i] <= bottom:
            row = by_number[present[i]]
            if column not in row:
                row[column] = value
                filled += 1
            i += 1
    return filled


def _cell_value(kind: str, raw: str):
    """A cell's text, an int index for a shared string, or None for an empty or error cell."""
    if kind == "s":
        try:
            return int(raw)
        except ValueError:
            return None
    if kind in ("inlineStr", "str", "d"):
        return raw or None  # a formula's result "" is an empty cell
    if kind == "b":
        return "TRUE" if raw.strip() in ("1", "true") else "FALSE"
    if kind == "e":
        return None  # #N/A, #DIV/0!: no value
    raw = raw.strip()
    if not raw:
        return None
    try:
        number = float(raw)
    except ValueError:
        return raw
    # 1 read from Excel should be the label "1", not "1.0".
    return str(int(number)) if number.is_integer() and abs(number) < 1e16 else repr(number)


def _read_shared_strings(archive, needed: Counter[int], budget: _Budget) -> dict[int, str]:
    """The shared strings at the ``needed`` indices (each cut at ``MAX_CELL_CHARS``), counted against the
    budget once per cell that holds them: one string of 200,000 characters in 10,000 cells took 2.7 GB."""
    info = _member(archive, "xl/sharedStrings.xml")
    if info is None:
        return {}
    strings: dict[int, str] = {}
    last = max(needed)
    state = {"index": -1, "text": None, "depth_phonetic": 0, "in_t": False}

    def start(name, attrs):
        tag = _local(name)
        if tag == "si":
            state["index"] += 1
            if state["index"] > last:
                raise _Stop
            state["text"] = _Text() if state["index"] in needed else None
        elif tag == "rPh":  # phonetic guides (furigana) are not part of the text
            state["depth_phonetic"] += 1
        elif tag == "t" and state["text"] is not None and not state["depth_phonetic"]:
            state["in_t"] = True

    def end(name):
        tag = _local(name)
        if tag == "t":
            state["in_t"] = False
        elif tag == "rPh":
            state["depth_phonetic"] -= 1
        elif tag == "si" and state["text"] is not None:
            value = state["text"].value()
            budget.keep(len(value) * needed[state["index"]])
            strings[state["index"]] = value
            state["text"] = None

    def chars(data):
        if state["in_t"]:
            state["text"].add(data)

    _parse_stream(archive, info, _parser(start, end, chars), budget)
    return strings


def _to_table(rows: list[dict[int, object]], shared: dict[int, str], header_row: bool = True):
    """The first kept row is the header (unless ``header_row`` is False); see ``column_names``."""
    if not rows:
        return [], []
    width = max((max(row) + 1 for row in rows if row), default=0)

    def resolve(value):
        if isinstance(value, int):
            return shared.get(value)
        return value

    table = [[resolve(row.get(i)) for i in range(width)] for row in rows]
    if not header_row:
        return [f"column_{i + 1}" for i in range(width)], table
    return column_names(table[0]), table[1:]


def column_names(cells: list[str | None]) -> list[str]:
    """A header row's cells as column names, made unique as pandas does (``a``, ``a.1``); blanks ``Unnamed: i``."""
    header: list[str] = []
    seen: dict[str, int] = {}
    for i, cell in enumerate(cells):
        name = cell.strip() if isinstance(cell, str) and cell.strip() else f"Unnamed: {i}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        header.append(name)
    return header
