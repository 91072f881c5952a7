"""Read, decode, validate and split text datasets.

The flow: ``load_file`` (bytes → decoded table, columns guessed) → ``to_examples`` (a frame of
``text``/``label``) → ``validate`` (a report of every problem, each with what to do) →
``clean`` (apply the safe fixes) → ``stratified_split``. Nothing here writes to the store;
``core.registry.DatasetStore`` does that, and only for data that passed validation.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import json
import math
import re
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from core.decoding import (
    CUT_UTF8,
    CUT_UTF16,
    MIXED_UTF8_GB,
    MIXED_UTF8_WESTERN,
    MisreadUtf16Error,
    decode_bytes,
    garbled_note,
    korean_or_chinese_note,
    mixed_utf8_and_gb,
    mixed_utf8_and_western,
    utf8_read_as_gbk_note,
)
from core.errors import DataError

FORMATS = ("csv", "tsv", "jsonl", "txt", "xlsx", "parquet")
# the endings an upload may have, on every page that takes a file (the Playground and Search had refused
# .ndjson and a web app's .xls export that the Data page read): each is read as one of FORMATS
UPLOAD_EXTENSIONS = ("csv", "tsv", "jsonl", "json", "ndjson", "txt", "xlsx", "xls", "parquet")
MAX_CELL_CHARS = 20_000_000  # the CSV reader's field limit; longer texts are cut by validation, not refused
TEXT_COLUMN_NAMES = (
    "text",
    "sentence",
    "content",
    "review",
    "comment",
    "body",
    "document",
    "description",
    "message",
    "tweet",
    "utterance",
    "abstract",
    "summary",
    "title",
    "headline",
)
TEXT_JOINER = "\n"  # between the text columns joined into one text: every tokeniser splits on it
LABEL_COLUMN_NAMES = ("label", "labels", "category", "class", "target", "y", "sentiment", "topic", "tag")
# Names that only hint (a part of the name, a Chinese header): taken when no column has one of the names
# above, the text among the longest such columns, the label only where the content looks like classes.
SHORT_TEXT_NAMES = frozenset({"summary", "title", "headline"})  # text names of short fields a longer hint beats
TEXT_NAME_HINTS = (
    *("text", "sentence", "content", "review", "comment", "body", "document", "description", "message", "tweet"),
    "utterance",
)
TEXT_NAME_HINTS_ZH = ("内容", "文本", "正文", "评论", "句子", "描述", "摘要", "留言", "文章", "新闻", "标题")
LABEL_NAME_HINTS = (*LABEL_COLUMN_NAMES, "rating", "stars", "intent", "polarity", "emotion", "genre")
LABEL_NAME_HINTS_ZH = ("标签", "类别", "分类", "类型", "情感", "极性", "星级", "评分", "评价", "主题", "意图", "标注")
_NOT_TEXT_PARTS = frozenset({"id", "ids", "url", "link", "date", "time", "lang", "language", "len", "length", "count"})
_FASTTEXT_LABEL = re.compile(r"^((?:__label__\S+\s+)+)(.*)$", re.DOTALL)
# How spreadsheets, pandas and databases write "no value": a label spelled so is missing, not a class.
MISSING_LABEL_SPELLINGS = frozenset(
    {"nan", "NaN", "NAN", "None", "none", "null", "NULL", "Null", "N/A", "n/a", "#N/A", "NA", "<NA>", "-"}
)
# Names a labelling tool or a person gives a text they could not label: kept as classes (an "unknown"
# intent can be real), but a warning says so, and the import can read them as missing.
PLACEHOLDER_LABELS = frozenset(
    # "?" too: a class of its own in a punctuation set beside "." and "!", so not read as missing outright
    {"unknown", "unk", "tbd", "todo", "unlabeled", "unlabelled", "unclassified", "not sure", "unsure", "?", "??", "???"}
    | {"未知", "待定", "不确定", "未分类", "未标注"}
)
# What separates the labels of a multi-label export: "billing;refund", "billing, urgent", "a|b", "甲、乙"
_LABEL_SEPARATOR = re.compile(r"\s*[;|,；，、]\s*")
IMBALANCED_RATIO = 10  # the largest class this many times the smallest: accuracy mostly measures the largest
PATH_SEPARATOR = re.compile(r"\s*(?:/|::)\s*|\s+>\s+")  # a hierarchy's levels: "account/login/2fa", "产品 > 手机"
_WORD_CHAR = re.compile(r"[^\W_]")


def has_words(text: str) -> bool:
    """True when ``text`` has a letter or a digit (in any script): emoji, symbols and punctuation alone
    give a model nothing to read."""
    return bool(_WORD_CHAR.search(text))


# web markup left in scraped texts: a tag of HTML (<br>, <a href="…">, </p>) or an HTML entity (&amp; &quot;
# &#39;). Only HTML's own tag names with well-formed attributes, and only named entities HTML has: any word
# in angle brackets read a log's "<local1>", Java's "List<String>" and code's "a<b && c>d" as tags, and
# "Clean web markup" then deleted them ("if (ad) return")
_HTML_TAGS = (
    "abbr|address|article|aside|audio|big|blockquote|body|br|button|caption|center|cite|code|col|colgroup|dd|"
    "del|details|div|dl|dt|em|embed|figcaption|figure|font|footer|form|h[1-6]|head|header|hr|html|iframe|img|"
    "input|ins|kbd|label|legend|li|link|main|mark|meta|nav|noscript|ol|optgroup|option|picture|pre|samp|script|"
    "section|select|small|source|span|strike|strong|style|sub|summary|sup|svg|table|tbody|td|textarea|tfoot|th|"
    "thead|time|title|tr|tt|ul|var|video|wbr"
)
_ATTRIBUTES = r"""(?:\s+[A-Za-z_:][-A-Za-z0-9_:.]*(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=`]+))?)*\s*/?"""
# a one-letter tag in capitals opens after no letter: "Optional<A>" is a type, old HTML's "<P>" a paragraph;
# its attributes have values ("<a href=…>"): "if x<b and y>z" is a comparison, not a tag with two attributes
_VALUED = r"""(?:\s+[A-Za-z_:][-A-Za-z0-9_:.]*\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=`]+))*\s*/?"""
_TAG = (
    rf"(?:</?(?i:{_HTML_TAGS})(?={_ATTRIBUTES}>){_ATTRIBUTES}"
    rf"|(?:</?[abipqsu]|</[ABIPQSU]|(?<!\w)<[ABIPQSU])(?={_VALUED}>){_VALUED})>"
)
_ENTITY_NAMES = "|".join(  # HTML5's named entities (&apos; too, which HTML 4 lacks)
    sorted(
        {name[:-1] for name in __import__("html.entities").entities.html5 if name.endswith(";")}, key=len, reverse=True
    )
)
_MARKUP = re.compile(rf"{_TAG}|&(?:#\d{{1,7}}|#[xX][0-9a-fA-F]{{1,6}}|(?:{_ENTITY_NAMES}));")
_BLOCK_TAG = re.compile(r"<(?:br|/p|p|/div|div|li|/li|tr|/tr)\b[^<>]*>", re.IGNORECASE)
MARKUP_AT_LEAST = 3  # texts with markup, at the fewest, for the note (and 1% of them)


def has_markup(text: str) -> bool:
    """True when ``text`` holds a web tag or an HTML entity."""
    return ("<" in text or "&" in text) and _MARKUP.search(text) is not None


def without_markup(text: str) -> str:
    """``text`` with its web markup read: tags go (a line or paragraph break becomes a space), entities
    become the characters they stand for ("&amp;" is "&"), and the spaces left are tidied."""
    import html

    if not has_markup(text):
        return text
    text = _BLOCK_TAG.sub(" ", text)
    text = re.sub(_TAG, "", text)
    return re.sub(r"[ \t]{2,}", " ", html.unescape(text).replace("\xa0", " ")).strip()


def strip_markup(examples: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """``examples`` with the web markup of its texts read (``without_markup``), and how many texts changed."""
    marked = examples["text"].map(lambda v: isinstance(v, str) and has_markup(v))
    if not marked.any():
        return examples, 0
    out = examples.copy()
    out.loc[marked, "text"] = out.loc[marked, "text"].map(without_markup)
    return out, int(marked.sum())


OTHER_SCRIPTS_AT_LEAST = 0.2  # of a file's texts, in scripts the studio has no language for, to say so


def other_scripts(texts: pd.Series, sample: int = 2000) -> tuple[float, list[str]] | None:
    """``(share, script names)`` when at least ``OTHER_SCRIPTS_AT_LEAST`` of ``texts`` (a sample) are in a
    script other than Latin, Chinese, Japanese or Korean (Thai, Devanagari, Arabic, Cyrillic…), the most
    frequent script first; None otherwise. A Thai set trained at chance and nothing said why."""
    import unicodedata
    from collections import Counter

    from core.text import detect_language

    if texts.empty:
        return None
    picked = texts.head(sample)
    found: Counter[str] = Counter()
    others = 0
    for text in picked:
        if detect_language(text) != "other":
            continue
        letters = [ch for ch in text if ch.isalpha() and not ch.isascii()]
        if not letters:
            continue  # digits, emoji or punctuation alone: no script to name
        others += 1
        name = unicodedata.name(letters[0], "")
        found[name.split(" ")[0].title() if name else "?"] += 1
    share = others / len(picked)
    if share < OTHER_SCRIPTS_AT_LEAST:
        return None
    return share, [script for script, _ in found.most_common(3)]


def has_content(text: str) -> bool:
    """True when ``text`` has a letter, a digit or an emoji (any symbol of Unicode's "other symbol"
    class: 👍, 🍜, ★): punctuation alone ("。", "！！！") gives a model nothing to read, but a model that
    reads characters learns emoji like words ("🍜🥟" was food at 0.91, and said to be unreadable)."""
    import unicodedata

    return has_words(text) or any(unicodedata.category(ch) == "So" for ch in text if not ch.isascii())


# Only CR, LF and CRLF end a line: str.splitlines() also splits on form feeds, U+2028 and NEL,
# which are valid inside a JSON string or a text, and would cut one text into two.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_EXCEL_SEP_LINE = re.compile(r"^sep=(.)\s*(?:\r\n|\r|\n)")


@dataclass
class DataLimits:
    """Caps that keep uploads and training safe on a small machine."""

    max_file_mb: float = 200.0  # bigger files are refused before reading
    max_rows: int = 200_000  # more rows than this is an error: sample the file first
    max_text_chars: int = 10_000  # longer texts are truncated (warning)
    min_class_examples: int = 2  # classes with fewer examples are dropped (warning)
    warn_classes: int = 100  # more classes than this is a warning: few examples each, big plots
    max_classes: int = 1_000  # more classes than this is an error (a 1,000-way head stays fast)
    max_unpacked_mb: float = 500.0  # XLSX/Parquet contents, unpacked: bombs are refused while reading
    min_pretrain_texts: int = 10  # pretraining holds 5% (at least one text) out to score itself


# --------------------------------------------------------------------------- problems


@dataclass
class Problem:
    """One finding of ``validate``: what is wrong, how many rows, and what to do."""

    code: str
    severity: str  # "error" blocks training; "warning" is fixed by ``clean`` or harmless; "info" says what was done
    message: str
    fix: str
    count: int = 0
    examples: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.severity.upper()} [{self.code}] {self.message} → {self.fix}"


@dataclass
class ValidationReport:
    """Every problem found in a dataset, plus a summary of what is usable."""

    problems: list[Problem] = field(default_factory=list)
    n_rows: int = 0
    n_usable: int = 0
    class_counts: dict[str, int] = field(default_factory=dict)
    encoding: str | None = None
    file_format: str | None = None
    text_column: str | None = None
    label_column: str | None = None
    text_columns: list[str] = field(default_factory=list)  # several joined: all of them, in order

    @property
    def errors(self) -> list[Problem]:
        """Problems that block training."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems that ``clean`` fixes or that only lower quality."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def notes(self) -> list[Problem]:
        """What the reading did that is expected, said so as not to be a surprise (not a problem)."""
        return [p for p in self.problems if p.severity == "info"]

    @property
    def ok(self) -> bool:
        """True when nothing blocks training."""
        return not self.errors

    def codes(self) -> list[str]:
        """The codes of all problems, in order."""
        return [p.code for p in self.problems]

    def add(self, code: str, severity: str, message: str, fix: str, count: int = 0, examples=()) -> None:
        """Record a problem (examples are cut to 5 short strings)."""
        self.problems.append(
            Problem(code, severity, message, fix, int(count), [str(e)[:120] for e in list(examples)[:5]])
        )

    def format(self) -> str:
        """A plain-text report for the terminal."""
        head = (
            f"{self.n_rows} rows read"
            + (f" ({self.file_format}, {self.encoding})" if self.file_format else "")
            + (
                f"; text columns {' + '.join(repr(c) for c in self.text_columns)} (joined)"
                if len(self.text_columns) > 1
                else f"; text column {self.text_column!r}"
                if self.text_column
                else ""
            )
            + (f", label column {self.label_column!r}" if self.label_column else ", no label column")
            + f"; {self.n_usable} usable."
        )
        # refused before a row was read (no such text column, an empty file): "0 rows read, no label column"
        # above "There is no text column 'txt'; the file has ['text', 'label']" contradicted it
        lines = [] if self.n_rows == 0 and not self.text_column and self.problems else [head]
        if self.class_counts:
            lines.append("classes: " + ", ".join(f"{k} ({v})" for k, v in self.class_counts.items()))
        if not self.errors and not self.warnings:
            lines.append("No problems found.")
        for p in self.problems:
            lines.append(f"- {'NOTE' if p.severity == 'info' else p.severity.upper()}: {p.message}")
            if p.fix:
                lines.append(f"  what to do: {p.fix}")
            for ex in p.examples[:3]:
                lines.append(f"    e.g. {ex!r}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """JSON-ready form."""
        out = asdict(self)
        out["ok"] = self.ok
        return out


# --------------------------------------------------------------------------- reading


@dataclass
class LoadedTable:
    """A file read into a frame, with how it was read and the guessed columns."""

    frame: pd.DataFrame
    file_format: str
    encoding: str
    text_column: str | None
    label_column: str | None
    notes: list[Problem] = field(default_factory=list)  # what reading changed or left out, as warnings
    text_columns: list[str] = field(default_factory=list)  # several text columns, joined in this order
    header: bool = True  # whether the first row held column names
    quoting: str = ""  # delimited files: "minimal" (quotes group a field) or "none" (quotes are text)
    separator: str = ""  # delimited files: the field separator read with
    sheet: str = ""  # workbooks: the sheet read
    sheets: list[str] = field(default_factory=list)  # workbooks: the sheets one could pick, the first first
    # workbooks: per column, the formulas read as their source (never calculated): ``validate`` names
    # those of the columns finally chosen
    formulas: dict[str, set[str]] = field(default_factory=dict)
    # each row's number as the file shows it (a sheet's row number; the line a row starts on, the header
    # being line 1), so a user can find a row left out; None where the file has no such numbers (Parquet,
    # a JSON document): rows are then counted among the rows of data
    row_numbers: list[int] | None = None

    def reading(self) -> dict[str, Any]:
        """How the file was read, for the dataset's meta: text columns, label column, header, quoting
        (and the sheet, for a workbook)."""
        reading = {
            "text": self.chosen_text_columns,
            "label": self.label_column,
            "header": self.header,
            "quoting": self.quoting,
        }
        if self.separator:
            reading["separator"] = self.separator
        if self.sheet:
            reading["sheet"] = self.sheet
        return reading

    @property
    def chosen_text_columns(self) -> list[str]:
        """The text columns to use, in order (one, or several to join)."""
        return self.text_columns or ([self.text_column] if self.text_column else [])

    @property
    def columns(self) -> list[str]:
        """All column names of the file."""
        return [str(c) for c in self.frame.columns]


def piped_format(data: bytes, table: bool = False) -> str:
    """The format of what came through a pipe, which has no ending to tell it: a workbook or Parquet by
    their first bytes, JSON Lines where its first line is a JSON object (or the whole a JSON array), a
    table where the first line is a row of column names (or ``table``: a separator, quoting or header was
    given), else one text a line. Texts with commas are no table: "Yesterday, the team won, and the fans
    sang" was cut into five columns."""
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"PAR1"):
        return "parquet"
    head = data[:65536]
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    sample = head.decode("utf-16" if utf16 else "utf-8", errors="ignore").lstrip("\ufeff")
    lines = [line.strip() for line in sample.splitlines() if line.strip()][:8]
    if not lines:
        return "txt"
    first = lines[0]
    with contextlib.suppress(ValueError):
        if isinstance(json.loads(first), dict):
            return "jsonl"
    if first.startswith("["):
        with contextlib.suppress(ValueError):
            if isinstance(json.loads(data.decode("utf-16" if utf16 else "utf-8-sig", errors="strict")), list):
                return "jsonl"
    if "\t" in first:
        return "tsv"
    if table:
        return "csv"
    names = [cell.strip().strip('"').strip() for cell in first.split(",")]
    known = {*TEXT_COLUMN_NAMES, *TEXT_NAME_HINTS_ZH, *LABEL_COLUMN_NAMES, *LABEL_NAME_HINTS_ZH}
    if len(names) == 1:  # a column's name alone ("text", "内容"): a table of one column
        return "csv" if names[0].lower() in known else "txt"
    header_like = all(0 < len(name) <= 30 and len(name.split()) <= 3 for name in names)
    rows = lines[1:]
    same_width = rows and sum(line.count(",") == first.count(",") for line in rows) >= max(1, len(rows) // 2)
    named = any(name.lower() in known for name in names)
    return "csv" if header_like and (named or same_width) else "txt"


def detect_format(filename: str) -> str:
    """The format from a file name's extension (``.json``/``.ndjson`` count as JSONL)."""
    suffix = Path(filename).suffix.lower().lstrip(".")
    suffix = {"ndjson": "jsonl", "json": "jsonl", "xls": "xlsx", "pq": "parquet", "text": "txt"}.get(suffix, suffix)
    if suffix not in FORMATS:
        raise DataError(f"Unsupported file type '.{suffix}' ({filename}). Use one of: {', '.join(FORMATS)}.")
    return suffix


def too_many_rows(max_rows: int) -> DataError:
    """The error for a file of more than ``max_rows`` rows, raised while it is read: the whole of a
    12-million-line file was parsed (a minute, 4 GB) before the row limit was checked."""
    return DataError(
        f"The file has more than {max_rows:,} rows; the limit is {max_rows:,}. Sample the rows (or raise the "
        "row limit: python -m core data import --max-rows N), then upload again."
    )


_FILLED_LINE = re.compile(r"^[^\S\r\n]*\S", re.MULTILINE)


def _read_txt(text: str, max_rows: int = 0) -> pd.DataFrame:
    if max_rows and text.count("\n") >= max_rows:  # cheap first: only a long file is counted line by line
        for filled, _ in enumerate(_FILLED_LINE.finditer(text), 1):
            if filled > max_rows:
                raise too_many_rows(max_rows)
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":  # the final line break ends the last line; it opens no new one
        lines.pop()
    labelled = sum(1 for line in lines if _FASTTEXT_LABEL.match(line))
    nonempty = sum(1 for line in lines if line.strip())
    if nonempty and labelled >= 0.5 * nonempty:
        texts, labels, numbers = [], [], []
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            numbers.append(number)
            match = _FASTTEXT_LABEL.match(line)
            if match:
                # fastText allows several labels; the first one is the class.
                labels.append(match.group(1).split()[0][len("__label__") :])
                texts.append(match.group(2).strip())
            else:
                labels.append(None)
                texts.append(line.strip())
        frame = pd.DataFrame({"text": texts, "label": labels})
        frame.attrs["row_numbers"] = numbers
        return frame
    frame = pd.DataFrame({"text": lines})
    frame.attrs["row_numbers"] = list(range(1, len(lines) + 1))
    return frame


def _tab_table(text: str) -> bool:
    """Whether a .txt file is a table with tabs between its fields (Excel's "Unicode Text" export):
    nearly every line holds the same number of tabs, one or more."""
    lines = [line for line in _LINE_BREAK.split(text[:1_000_000]) if line.strip()][:2000]
    if len(lines) < 2:
        return False
    tabs = pd.Series([line.count("\t") for line in lines])
    width = int(tabs.mode().iloc[0])
    # the first line names every column: a tab-indented paragraph ("\tRoses are red") has an empty first
    # field; empty last ones are a stray cell further right, which ends every line of Excel's export in a tab
    fields = lines[0].rstrip("\t ").split("\t")
    named = len(fields) >= 2 and all(field.strip() for field in fields)
    return width >= 1 and named and lines[0].count("\t") == width and float((tabs == width).mean()) >= 0.9


_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _whole(value):
    """A string with each half of a broken surrogate pair as U+FFFD (�), the same all the way down
    objects and lists (Label Studio's ``{"data": {"text": …}}`` is spread into columns later, and a
    surrogate there stopped it with UnicodeEncodeError); anything else as it is."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_whole(k): _whole(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_whole(v) for v in value]
    return value


def _read_decoded(
    text: str,
    fmt: str,
    header: bool | None = None,
    quoting: str | None = None,
    max_rows: int = 0,
    separator: str | None = None,
) -> pd.DataFrame:
    """The decoded text of a delimited, JSON Lines or plain-text file as a frame; more than
    ``max_rows`` rows (0: no limit) is an error as soon as the reading passes it."""
    if fmt == "txt":
        if _tab_table(text) and not _FASTTEXT_LABEL.match(text.lstrip()):
            frame = _read_delimited(text, "\t", "tsv", header, quoting, max_rows)
            frame.attrs["read_as_table"] = True
            return frame
        return _read_txt(text, max_rows)
    if fmt == "jsonl":
        stripped = text.lstrip()
        whole = _whole_json(stripped) if stripped[:1] in ("[", "{") else None
        if whole is not None:  # a JSON array of records, or a (pretty-printed) object holding one
            records = whole
        elif stripped[:1] == "[" or (stripped[:1] == "{" and not _parses(stripped.split("\n", 1)[0])):
            # a whole document (no JSON Lines file opens with "[", and its first line is a whole object):
            # read line by line, a trailing comma on line 1,081 was blamed on line 1 ("Expecting value.
            # Each line must be one JSON object")
            raise _json_document_error(text, stripped)
        else:
            records, numbers = [], []
            for number, line in enumerate(_LINE_BREAK.split(text), 1):
                if not line.strip():
                    continue
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    # the first line: a CSV named .json, not one bad line ("delete it" moved the error on)
                    if not records:
                        raise DataError(
                            f"The file is not JSON Lines: its first line is not a JSON object ({exc.msg}). Give the "
                            "file the ending of what it is (.csv, .tsv, .txt), or save it as JSON Lines, one object a line."
                        ) from None
                    raise DataError(
                        f"Line {number} is not valid JSON ({exc.msg}). Each line must be one JSON object: fix that "
                        "line (a missing quote or comma, a line cut short, or an object broken over two lines does "
                        "this), then try again."
                    ) from None
                numbers.append(number)
                if max_rows and len(records) > max_rows:
                    raise too_many_rows(max_rows)
        if max_rows and len(records) > max_rows:
            raise too_many_rows(max_rows)
        if records and not all(isinstance(r, dict) for r in records):
            raise DataError('JSONL lines must be objects like {"text": ..., "label": ...}.')
        if _ESCAPED_SURROGATE.search(text):  # half an emoji ("\ud83d" alone) cannot be stored: the file was refused
            records = [_whole(record) for record in records]
        frame = pd.DataFrame.from_records(records)
        frame.attrs["format"] = "json" if whole is not None else "jsonl"  # "Read as JSONL" said of a JSON array
        if whole is None:  # a JSON document's records are counted, its lines not
            frame.attrs["row_numbers"] = numbers
        return frame
    whole = text
    text, comments = _leading_comments(text)
    sep = "\t"
    hint = _EXCEL_SEP_LINE.match(text)
    if hint:  # Excel's "sep=;" line names the separator and is not part of the table
        sep, text = hint.group(1), text[hint.end() :]
    elif fmt == "csv":
        sep = _sniff_separator(text)
    detected = sep
    if separator:  # chosen by hand: a file the sniffing reads wrong
        sep = separator
    titles: list[str] = []
    if header is not False and not comments:
        # a sheet with a title above its table, saved as CSV by Excel ("ACME tickets — export;;;"): the title
        # became the column names and the real ones a row of data, read as a class of one
        text, titles = _title_lines(text, sep)
    # the lines taken off the top come back blank (blank lines are skipped), so that a message's line
    # numbers are the file's own: they were short by the comment and "sep=" lines
    skipped = len(_LINE_BREAK.findall(whole[: len(whole) - len(text)]))
    try:
        frame = _read_delimited("\n" * skipped + text, sep, fmt, header, quoting, max_rows)
    except DataError as exc:
        if sep == detected or not hasattr(exc, "too_wide"):
            raise
        # "most likely a text contains a comma and is not in quotes" blamed the file for the separator the
        # user forced on it
        try:
            _read_delimited("\n" * skipped + text, detected, fmt, header, quoting, max_rows)
        except DataError:
            raise exc from None
        count, kind, width, shown = exc.too_wide
        raise DataError(
            f"Split at the {_separator_name(sep)} chosen by hand, {count:,} row(s) of the {kind} file have more "
            f"fields than its header ({width}): line(s) {shown}. Detected, the file reads as "
            f"{_separator_name(detected)}-separated: leave the separator on 'detect' (on the command line, leave "
            "out --separator)."
        ) from None
    frame.attrs["separator"] = sep
    if comments:
        frame.attrs["comment_lines"] = comments
    if titles:
        frame.attrs["title_lines"] = titles
    return frame


def _title_lines(text: str, sep: str) -> tuple[str, list[str]]:
    """``(text, title lines)``: the lines above a delimited file's table that a sheet's title rows become
    when it is saved as CSV (one filled field, or none), as ``_rows_above_the_table`` finds them in a
    workbook; the text is returned without them."""
    import csv

    head = _LINE_BREAK.split(text[:200_000], maxsplit=MAX_TITLE_ROWS + 201)[: MAX_TITLE_ROWS + 201]
    if len(head) < 3 or any('"' in line for line in head[:MAX_TITLE_ROWS]):  # a quoted title: read as it is
        return text, []
    try:
        rows = [next(csv.reader([line], delimiter=sep), []) for line in head]
    except csv.Error:
        return text, []
    # blank lines under the table's header are no rows of it (a double-spaced export, the end of the file)
    width = max((sum(1 for c in row if c.strip()) for row in rows), default=0)
    top = next((h for h, row in enumerate(rows[: MAX_TITLE_ROWS + 1]) if sum(1 for c in row if c.strip()) == width), 0)
    rows = rows[: top + 1] + [row for row in rows[top + 1 :] if any(c.strip() for c in row)]
    above = _rows_above_the_table(rows, lambda row: [str(cell) for cell in row])
    if not above:
        return text, []
    # a header with one name left blank ("Feedback,") reads like a title over a row of data: only a title
    # block with a blank line under it, or column names the studio knows, is taken for one
    header = [cell.strip().lower() for cell in rows[len(above)]]
    known = set(TEXT_COLUMN_NAMES) | set(LABEL_COLUMN_NAMES)
    if not any(not any(c.strip() for c in row) for row in above) and not any(c in known for c in header):
        return text, []
    rest = text
    for _ in range(len(above)):
        rest = _LINE_BREAK.split(rest, maxsplit=1)[1]
    return rest, [" · ".join(cell.strip() for cell in row if cell.strip()) for row in above]


SEPARATORS = (",", ";", "\t", "|")


def _separator_name(sep: str) -> str:
    """A field separator in words (Excel's "sep=:" line, or a separator picked by hand, can name any character)."""
    return {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}.get(sep, f"character {sep!r}")


SNIFFED_ROWS = 50  # rows of a delimited file read to choose its separator


def _sniff_separator(text: str) -> str:
    """The separator that splits the first rows into the most consistent number of fields (quotes
    respected), ties going to the one the first line holds most of.

    From the first line alone, a German semicolon file whose header or first text holds commas
    ("Kommentar (frei, optional);Bewertung") was read as comma-separated, and the user was told
    "No row has a label".
    """
    import csv
    from collections import Counter

    sample = text[:65_536]
    cut = len(text) > len(sample)
    first = _LINE_BREAK.split(sample, maxsplit=1)[0]
    best, best_score = ",", None
    for sep in SEPARATORS:
        try:
            rows = [
                row
                for _, row in zip(range(SNIFFED_ROWS + 1), csv.reader(io.StringIO(sample, newline=""), delimiter=sep))
            ]
        except csv.Error:
            continue
        if cut and len(rows) > 1:
            rows = rows[:-1]  # the sample may end inside a row
        widths = [len(row) for row in rows[:SNIFFED_ROWS] if row]
        if not widths:
            continue
        width, count = Counter(widths).most_common(1)[0]
        agreement = count / len(widths) if width > 1 else 0.0
        score = (round(agreement, 2), first.count(sep))
        if best_score is None or score > best_score:
            best, best_score = sep, score
    return best


def _leading_comments(text: str) -> tuple[str, list[str]]:
    """``(text, comment lines)``: at most ``MAX_COMMENT_LINES`` lines of prose at the top of a
    delimited file, each "#" alone or "# " and words, over a line with separators. Read as the
    header, a comment made every row "have more fields than its header". A "#id,text,label" header
    or a row of data starting with a hashtag ("#ad,…") has no space after the "#" and stays."""
    lines = _LINE_BREAK.split(text[:100_000], maxsplit=MAX_COMMENT_LINES + 1)
    count = 0
    while count < min(len(lines) - 1, MAX_COMMENT_LINES) and (
        lines[count].strip() == "#" or lines[count].startswith("# ")
    ):
        count += 1
    if not count or count == len(lines) - 1 or not any(sep in lines[count] for sep in (",", ";", "\t", "|")):
        return text, []  # the line after them must be a row of a table, not the rest of the file
    rest = text
    for _ in range(count):
        rest = _LINE_BREAK.split(rest, maxsplit=1)[1]
    return rest, lines[:count]


MAX_COMMENT_LINES = 20  # lines of "# …" at the top of a file read as comments


QUOTING_MODES = ("minimal", "none")


def _pick_quoting(text: str, sep: str, quoting: str | None, max_rows: int = 0):
    """``(mode, parsed rows)``: the forced mode; else quoted, unless a strict quoted reading fails
    (text after a closing quote) or shifts columns where reading quotes as text gives every row
    the header's width; else the lenient quoted reading of old."""
    import csv

    if quoting is not None and quoting not in QUOTING_MODES:
        raise DataError(f"quoting must be one of {', '.join(QUOTING_MODES)}; got {quoting!r}")
    if quoting == "none":
        return "none", _parse_rows(text, sep, csv.QUOTE_NONE, max_rows=max_rows)
    if quoting == "minimal" or '"' not in text:
        return "minimal", _parse_rows(text, sep, csv.QUOTE_MINIMAL, max_rows=max_rows)
    try:
        parsed = _parse_rows(text, sep, csv.QUOTE_MINIMAL, strict=True, max_rows=max_rows)
        header, body, lines, too_wide, _ = parsed
        usual = _usual_values(body)
        shifted = bool(too_wide) or any(
            len(r) != len(header) or any(_swallows_rows(c, sep, len(header), usual) for c in r) for r in body
        )
        if not shifted:
            return "minimal", parsed
    except DataError:
        pass
    plain = _parse_rows(text, sep, csv.QUOTE_NONE, max_rows=max_rows)
    plain_header, plain_body, _, plain_wide, _ = plain
    if plain_header is not None and not plain_wide and all(len(r) == len(plain_header) for r in plain_body):
        return "none", plain
    lenient = _parse_rows(text, sep, csv.QUOTE_MINIMAL, max_rows=max_rows)
    header, body, lines, _, _ = lenient
    if header is not None:
        # neither reading fits, but the quoted one must not pass off rows merged into one text as fine:
        # a quote opened in one text and closed a few lines on hid those rows behind "No problems found"
        usual = _usual_values(body)
        for row, end in zip(body, lines):
            if any(_swallows_rows(cell, sep, len(header), usual) for cell in row):
                start = end - sum(len(_LINE_BREAK.findall(cell)) for cell in row)
                raise DataError(
                    f"A quote opened on line {start} is closed only on line {end}, so the rows between would be "
                    "read as one text. Close the quote where its text ends (or double a quote inside a quoted "
                    'text: ""), then upload again.'
                )
    return "minimal", lenient


def _usual_values(rows: list[list[str]], longest: int = 30) -> list[set[str]]:
    """For each column, the short values that occur in two rows or more (a label column's classes)."""
    from collections import Counter

    counts: list[Counter] = []
    for row in rows:
        for i, cell in enumerate(row):
            while len(counts) <= i:
                counts.append(Counter())
            value = cell.strip()
            if value and len(value) <= longest and "\n" not in value:
                counts[i][value] += 1
    return [{value for value, n in column.items() if n >= 2} for column in counts]


def _swallows_rows(cell: str, sep: str, width: int, usual: list[set[str]] | None = None) -> bool:
    """True when a quoted cell runs over lines that read as rows of the table: a quote opened in one
    text and closed in another (the SMS collection's "…), not a text written on several lines.

    A line after the cell's first that splits into the header's width, with a value its column
    holds in other rows (a class: "ham"), is a row swallowed. A text of several lines ("Great
    phone, fast shipping" / "Would buy again", or a letter whose lines hold commas) has no such
    value; in a one-column file every line would look like a row, so there only a strict failure
    of the quoted reading counts.
    """
    if width < 2 or ("\n" not in cell and "\r" not in cell):
        return False
    for line in _LINE_BREAK.split(cell)[1:]:
        fields = line.split(sep)
        if len(fields) < width:
            continue
        if usual is None or any(i < len(usual) and f.strip() in usual[i] for i, f in enumerate(fields)):
            return True
    return False


def _read_delimited(
    text: str, sep: str, fmt: str, has_header: bool | None = None, quoting: str | None = None, max_rows: int = 0
) -> pd.DataFrame:
    """A delimited file, read strictly: any line ending, quoted fields, no implicit index.

    A row with more fields than the header is an error that names the rows: pandas would turn
    the extra field into an index and silently drop the start of the text. Quotes are read as
    quoting unless that fails or shifts columns, where reading them as text does not (the SMS
    collection: tab-separated, unquoted, texts with '"' in them).
    """
    import csv

    csv.field_size_limit(MAX_CELL_CHARS)
    mode, (header, body, lines, too_wide, starts) = _pick_quoting(text, sep, quoting, max_rows)
    if header is None:
        return pd.DataFrame()
    width = len(header)
    if too_wide:
        shown = ", ".join(str(n) for n in too_wide[:5]) + (
            f" and {len(too_wide) - 5:,} more" if len(too_wide) > 5 else ""
        )
        name = _separator_name(sep)
        error = DataError(
            f"{len(too_wide):,} row(s) of the {fmt.upper()} file have more fields than its header "
            f"({width}): line(s) {shown}. Most likely a text contains a {name} and is not in quotes. "
            f'Put such texts in double quotes ("…"), as Excel\'s "CSV UTF-8" does, or save the file as '
            + ("CSV." if sep == "\t" else "TSV.")
        )
        error.too_wide = (len(too_wide), fmt.upper(), width, shown)  # for a message that blames a forced separator
        raise error
    body = [row + [""] * (width - len(row)) for row in body]
    # the header row again further down (two exports pasted together): its copies are not data, and the
    # first row is names for certain (the copy, a value recurring below, had it read as data)
    names = [cell.strip() for cell in header]
    again = (
        {i for i, row in enumerate(body) if [cell.strip() for cell in row] == names}
        if has_header is not False and sum(1 for name in names if name) >= 2
        else set()
    )
    if again and not _repeats_a_header(names, body, again):
        again = set()  # the first row of a headerless file, repeated: a duplicate text, said as one
    repeated_header_lines = [starts[i + 1] for i in sorted(again)]
    if again:
        body = [row for i, row in enumerate(body) if i not in again]
        starts = [starts[0], *(line for i, line in enumerate(starts[1:]) if i not in again)]
        has_header = True
    headerless = has_header is False or (has_header is None and _header_is_data(header, body))
    if headerless:
        body, header = [header, *body], [f"column_{i + 1}" for i in range(width)]
    else:
        named = [str(name) for name in header if str(name).strip()]
        twice = sorted({name for name in named if named.count(name) > 1})
        header = unique_names(header)
    frame = pd.DataFrame(body, columns=header, dtype=object).replace({"": None})
    frame.attrs["duplicate_columns"] = [] if headerless else twice  # renamed here, reported by load_file
    frame.attrs["row_numbers"] = starts if headerless else starts[1:]
    frame.attrs["repeated_header_lines"] = repeated_header_lines
    frame.attrs["note"] = "no_header" if headerless and has_header is None else None
    frame.attrs["header"] = not headerless
    frame.attrs["quoting"] = mode
    if mode == "none" and quoting is None and '"' in text:
        frame.attrs["quoting_note"] = True
    return frame


def unique_names(names: Sequence[str]) -> list[str]:
    """Column names made unique as pandas does (``text``, ``text.1``); empty ones become ``column N``."""
    from core.text import without_invisible

    out, seen = [], set()
    for i, name in enumerate(names):
        # a byte-order mark inside a header ("text,\ufefflabel") made a name that looks like "label" and is
        # not: "There is no label column 'label'; the file has ['text', 'label']"
        cleaned = without_invisible(str(name))
        name = cleaned.strip() if cleaned != str(name) else cleaned  # "text\x0b" is "text", not "text "
        name = name if name.strip() else f"column {i + 1}"
        base, n = name, 0
        while name in seen:
            n += 1
            name = f"{base}.{n}"
        seen.add(name)
        out.append(name)
    return out


def _names_a_column(cell: str) -> bool:
    """Whether ``cell`` reads as a column's name: ``label``, ``review``, ``评论内容``."""
    cell = cell.strip()
    return cell.lower() in (*TEXT_COLUMN_NAMES, *LABEL_NAME_HINTS) or (
        len(cell) <= 8 and any(hint in cell for hint in (*TEXT_NAME_HINTS_ZH, *LABEL_NAME_HINTS_ZH))
    )


def _repeats_a_header(names: list[str], body: list[list[str]], copies: set[int]) -> bool:
    """Whether the body rows ``copies``, each the same as the first row ``names``, are that header pasted
    again rather than the first row of data repeated: a cell of it names a column, or the first copy comes
    after 10 rows or more and no value of the row is found in its column outside the copies."""
    recurs = {
        j
        for i, row in enumerate(body)
        if i not in copies
        for j, name in enumerate(names)
        if name and row[j].strip() == name
    }
    # a name is found in its column only where the row repeats: "y" of y/n, or a short text like 很好,正面评价
    # repeated, recur among the values and are data
    named = [j for j, name in enumerate(names) if _names_a_column(name) and j not in recurs]
    # an exact English name, or two cells that read as names: a short Chinese text holding a hint word
    # ("评价很好", "新闻联播") is a text, and its row repeated is data
    if any(names[j].strip().lower() in (*TEXT_COLUMN_NAMES, *LABEL_NAME_HINTS) for j in named) or len(named) >= 2:
        return True
    return min(copies) >= 10 and not recurs


def _header_is_data(header: list[str], body: list[list[str]]) -> bool:
    """True when the first row is data, not names. Names win when a cell is a known column name
    that does not recur in its column below; otherwise the row is data when one of its cells recurs
    below it in a column of few distinct values (its label column: ``pos`` under ``pos``), or
    matches the type profile of its column (a number atop numbers, a sentence atop long texts),
    which column names do not."""
    known = set(TEXT_COLUMN_NAMES) | set(LABEL_COLUMN_NAMES)
    if not body:
        return False
    sample = body[:2000]
    for j, name in enumerate(header):
        name = str(name).lower().strip()
        # a label that is also a column name ("y" of y/n) recurs below it, which a name does not:
        # taken for a header, a headerless file lost its first row
        if name in known and all(name != row[j].lower().strip() for row in sample if j < len(row)):
            return False
    for j, name in enumerate(header):
        name = name.strip()
        column = [row[j].strip() for row in sample if j < len(row) and row[j].strip()]
        if not name or not column:
            continue
        distinct = set(column)
        if name in distinct and len(distinct) <= max(2, len(column) // 2):
            return True
        if _is_number(name) and sum(map(_is_number, column)) >= 0.9 * len(column):
            return True
        lengths = sorted(len(c) for c in column)
        if len(name) >= 40 and len(name.split()) >= 4 and lengths[len(lengths) // 2] >= 40:
            return True
    return False


def _is_number(cell: str) -> bool:
    try:
        float(cell.replace(",", ""))
    except ValueError:
        return False
    return True


def _parse_rows(text: str, sep: str, quoting: int, strict: bool = False, max_rows: int = 0):
    """``(header, body rows, the lines they end on, lines wider than the header, the lines every row
    starts on, the header's first)``; blank lines skipped; ``too_many_rows`` once past the header and
    ``max_rows`` rows (0: no limit)."""
    import csv

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, quoting=quoting, strict=strict)
    rows, lines, starts = [], [], []
    try:
        previous_end = 0
        for row in reader:
            if any(cell.strip() for cell in row):  # blank lines are skipped, as every spreadsheet does
                rows.append(row)
                lines.append(reader.line_num)
                starts.append(previous_end + 1)
                if max_rows and len(rows) > max_rows + 1:
                    raise too_many_rows(max_rows)
            previous_end = reader.line_num
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise DataError(
                f"Line {reader.line_num} holds a field of more than {csv.field_size_limit():,} characters, which "
                "no text needs: most likely a quote is never closed and swallows the rest of the file. Close it "
                "(or double a quote inside a quoted text), or split the file."
            ) from None
        raise DataError(
            f"Line {reader.line_num} cannot be read ({exc}). Check that line's quotes and separators, then try again."
        ) from None
    last_spans_lines = rows and any("\n" in cell or "\r" in cell for cell in rows[-1])
    if last_spans_lines and quoting != csv.QUOTE_NONE and _ends_inside_quotes(text, sep):
        raise DataError(
            f"A quote opened on line {starts[-1]} is never closed, so everything after it would be read as one "
            'text. Close the quote (or double a quote inside a quoted text: ""), then upload again.'
        )
    if not rows:
        return None, [], [], [], []
    width = len(rows[0])
    too_wide = [line for line, row in zip(lines[1:], rows[1:]) if len(row) > width]
    return rows[0], rows[1:], lines[1:], too_wide, starts


def _ends_inside_quotes(text: str, sep: str) -> bool:
    """True when the file ends inside a quoted field (the strict reader's 'unexpected end of data')."""
    import csv

    if '"' not in text:
        return False
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _parses(text: str) -> bool:
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return False
    return True


def _json_document_error(text: str, stripped: str) -> DataError:
    """Where and why a whole JSON document (``stripped``, ``text`` less its leading blank space) does not
    parse, with the usual cause of that error."""
    try:
        json.loads(stripped)
    except json.JSONDecodeError as exc:
        line = exc.lineno + text[: len(text) - len(stripped)].count("\n")
        where = f"line {line:,} is not valid JSON ({exc.msg}, column {exc.colno})"
        if exc.msg.startswith("Extra data"):
            return DataError(
                f"The file is one JSON document, but {where}: another document follows the first. A JSON file "
                "holds one array of records; a JSON Lines file (.jsonl) holds one object per line."
            )
        if exc.msg.startswith("Unterminated") or exc.pos >= len(stripped.rstrip()):
            return DataError(f"The file is one JSON document, but {where}: the file ends before the document does.")
        return DataError(
            f"The file is one JSON document, but {where}. A comma before a closing bracket, or a missing comma "
            "or quote, does this."
        )
    return DataError("The file is one JSON document that could not be read.")


def _whole_json(text: str):
    """Records from a whole JSON document (an array, or an object with one array of objects), or None."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        return None
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        table = _pandas_json_table(document)
        if table is not None:
            return table
        lists = [v for v in document.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
        return lists[0] if len(lists) == 1 else [document]
    return None


def _pandas_json_table(document: dict) -> list[dict] | None:
    """Records from the shapes pandas' ``to_json`` writes besides records: ``split`` ({"columns",
    "data"}), ``columns`` ({column: {row: value}}, its default) and ``index`` ({row: {column: value}});
    None for any other object. Read as one record, the default made one row of 60 columns."""
    columns, data = document.get("columns"), document.get("data")
    if isinstance(columns, list) and isinstance(data, list) and all(isinstance(row, list) for row in data):
        return [dict(zip(map(str, columns), row)) for row in data]
    inner = list(document.values())
    if not inner or not all(isinstance(v, dict) and v for v in inner):
        return None
    keys = [list(v) for v in inner]
    if any(set(k) != set(keys[0]) for k in keys):
        return None
    if all(k.isdigit() for k in keys[0]):  # {column: {row: value}}: pandas' default
        return [{column: document[column][row] for column in document} for row in keys[0]]
    if all(str(k).isdigit() for k in document) and all(
        not isinstance(x, (dict, list)) for v in inner for x in v.values()
    ):
        return [dict(v) for v in inner]  # {row: {column: value}}
    return None


def load_file(
    source: str | Path | bytes,
    filename: str | None = None,
    encoding: str | None = None,
    text_column: str | Sequence[str] | None = None,
    label_column: str | None = None,
    limits: DataLimits | None = None,
    header: bool | None = None,
    quoting: str | None = None,
    sheet: str | None = None,
    separator: str | None = None,
) -> LoadedTable:
    """Read a CSV/TSV/JSONL/TXT/XLSX/Parquet file (a path or raw bytes) into a table.

    ``text_column`` may name several columns, joined into one text in that order. ``header``
    (delimited files and XLSX) says whether the first row holds names (None: detected); ``quoting`` is
    ``minimal`` or ``none`` (None: detected); ``separator`` is a delimited file's field separator (None:
    detected); ``sheet`` names a workbook's sheet (None: the first, unless it is a short note). Raises DataError, with a report, when the file
    cannot be read at all (empty, too big, undecodable, unparseable, unknown column). Content
    problems are ``validate``'s job.
    """
    text_columns = [text_column] if isinstance(text_column, str) else [c for c in (text_column or []) if c]
    text_columns = list(dict.fromkeys(text_columns))  # a column named twice doubled every text
    piped = False  # read from a pipe, which has no file name ending to tell its format
    if label_column and label_column in text_columns:
        raise DataError(
            f"Column {label_column!r} is given as both the text and the label column. Pick another column "
            "for the labels (--label-col), or import the texts without labels (--unlabelled)."
        )
    limits = limits or DataLimits()
    if isinstance(source, (str, Path)):
        path = Path("/dev/stdin") if str(source) == "-" else Path(source)  # "-": standard input, as Unix tools take it
        filename = filename or path.name
        if path.is_dir():  # "No file at /data/reviews" read as if the folder were missing
            raise DataError(f"{path} is a folder: give one file in it (a corpus of many files is for pretraining).")
        # a pipe ("<(…)", standard input), or standard input redirected from a file ("--file - < in.csv"):
        # no name ending tells the format
        piped = (path.exists() and not path.is_file()) or (
            not path.suffix and str(path.absolute()).startswith(("/dev/", "/proc/"))
        )
        if path.exists() and not path.is_file():
            # "No file at /dev/fd/63" of a path that was there
            with open(path, "rb") as handle:
                # one byte past the limit: too large (no limit: all of it)
                data = handle.read(int(limits.max_file_mb * 1e6) + 1 if math.isfinite(limits.max_file_mb) else -1)
        elif not path.is_file():
            raise DataError(f"No file at {path}.")
        elif path.stat().st_size > limits.max_file_mb * 1e6:
            raise _file_error(
                "file_too_large",
                f"The file is {_size(path.stat().st_size)}; the limit is {_size(limits.max_file_mb * 1e6)}.",
                "Sample the file, or raise the limit (DataLimits.max_file_mb).",
            )
        else:
            data = path.read_bytes()
    else:
        data = bytes(source)
        if filename is None:
            raise ValueError("filename is needed to know the format of raw bytes")
    given = separator is not None or quoting is not None or header is not None or sheet is not None
    fmt = piped_format(data, table=given) if piped and not Path(filename).suffix else detect_format(filename)
    if len(data) > limits.max_file_mb * 1e6:  # bytes handed over, or a pipe read to one byte past the limit
        raise _file_error(
            "file_too_large",
            f"The input is more than {_size(limits.max_file_mb * 1e6)}, the limit."
            if piped
            else f"The file is {_size(len(data))}; the limit is {_size(limits.max_file_mb * 1e6)}.",
            "Sample the file, or raise the limit (DataLimits.max_file_mb).",
        )
    if not data.strip():
        raise _file_error("empty_file", f"{filename} is empty.", "Choose a file with at least a few rows of text.")
    disguised = None
    old_excel = Path(filename).suffix.lower() == ".xls"
    if old_excel and data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _file_error(
            "old_excel",
            f"{filename} is an old Excel workbook (.xls), a format the studio does not read.",
            "Open it in Excel or LibreOffice and save it as .xlsx, or as CSV UTF-8.",
        )
    if old_excel and binary_kind(data) == (None, None) and not data.startswith(b"PK"):
        # a web app's "Export to Excel": a page of HTML, Excel's own XML, or plain tab-separated text under
        # an .xls ending (text under .xlsx is refused: nothing writes it so but a renaming, undone as easily)
        head = data[:4096]
        utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        head_text = head.decode("utf-16" if utf16 else "utf-8", errors="ignore").lstrip("\ufeff")
        if re.match(
            r"\s*<(\?xml|!--|!doctype|html|table|meta|style|head|body|workbook)[\s>]", head_text, re.IGNORECASE
        ):
            raise _file_error(
                "web_page",
                f"{filename} is a web page or an XML spreadsheet with an Excel ending, not a workbook: web apps' "
                "'Export to Excel' and Excel's 'XML Spreadsheet 2003' write such files.",
                "Open it in Excel and save it as .xlsx, or export the table as CSV.",
            )
        fmt = "tsv" if "\t" in head_text.split("\n", 1)[0] else "csv"
        disguised = "a text table"
    if fmt not in ("xlsx", "parquet"):
        kind, readable_as = binary_kind(data)
        if readable_as is not None:  # a workbook or Parquet file saved under a text ending: read it as what it is
            disguised, fmt = kind, readable_as
        elif kind is not None:
            raise _file_error(
                "not_text",
                f"{filename} is not a text file: it looks like {kind}.",
                "Choose the file that holds the texts (CSV, TSV, JSONL, TXT, Excel or Parquet).",
            )
    if fmt not in ("xlsx", "parquet") and _WEB_PAGE.match(data[:1024].removeprefix(codecs.BOM_UTF8)):
        # a GitHub "blob" page saved instead of the raw file read as 15 texts of markup, "No problems found"
        raise _file_error(
            "web_page",
            f"{filename} is a web page (HTML), not a table of texts.",
            "Save the file itself, not the page that shows it (on GitHub: the 'Raw' button, then save), "
            "or export the table as CSV.",
        )
    if sheet and fmt != "xlsx":  # silently reading the whole file would hide a mistaken file or option
        raise _file_error(
            "not_a_workbook",
            f"A sheet ({sheet!r}) was asked for, but {filename} is not an Excel workbook: it reads as {fmt.upper()}.",
            "Leave out the sheet (--sheet) for this file, or choose the workbook you meant.",
        )
    try:
        if fmt == "xlsx":
            frame = _read_xlsx(data, limits, header, sheet)
            used = "binary (xlsx)"
        elif fmt == "parquet":
            frame = _read_parquet(data, limits)
            used = "binary (parquet)"
        else:
            try:
                text, used = decode_bytes(data, encoding)
            except DataError as exc:
                # no encoding read it: an ELF named .csv read "Could not decode … as UTF-8, UTF-16, GBK/GB18030
                # or Big5". Asked here only: a UTF-16 file (half NUL bytes) that decoded and then failed to
                # parse was called binary.
                if encoding is None and not isinstance(exc, MisreadUtf16Error) and _looks_binary(data[:65536]):
                    raise _file_error(
                        "not_text",
                        f"{filename} is not a text file: it looks like binary data (a program or another data file).",
                        "Choose the file that holds the texts (CSV, TSV, JSONL, TXT, Excel or Parquet).",
                    ) from None
                raise
            if separator is not None and separator not in SEPARATORS:
                raise DataError(f"separator must be one of {', '.join(map(repr, SEPARATORS))}; got {separator!r}")
            frame = _read_decoded(text, fmt, header, quoting, limits.max_rows, separator)
            fmt = str(frame.attrs.get("format") or fmt)  # a JSON document read by the JSONL reader is JSON
    except DataError as exc:  # its message already says what to do
        if exc.report is not None:  # named already (binary data): as it is
            raise
        raise _file_error("unreadable", str(exc), "") from None
    except RecursionError:  # "maximum recursion depth exceeded while decoding a JSON array" said nothing
        kind = "JSON" if fmt == "jsonl" and Path(filename).suffix.lower() == ".json" else fmt.upper()
        raise _file_error(
            "unreadable",
            f"{filename} is nested too deeply to read: its brackets go hundreds of levels deep, which no table of "
            "texts needs.",
            f"Save it as one {kind} object a row (or a CSV), each with a text and a label; check that the file is "
            "not damaged.",
        ) from None
    except Exception as exc:  # parser errors from pandas, openpyxl, pyarrow
        raise _file_error(
            "unreadable",
            f"Could not read {filename} as {fmt.upper()}: {type(exc).__name__}: {str(exc)[:200]}",
            f"Check that the file really is {fmt.upper()} and not damaged.",
        ) from None
    # taken before the frame is reshaped (objects spread, nested columns dropped), which keeps its rows
    row_numbers = [int(n) for n in frame.attrs.get("row_numbers") or []]
    notes: list[Problem] = []
    if frame.attrs.get("comment_lines"):
        lines = frame.attrs["comment_lines"]
        notes.append(
            Problem(
                "comment_lines",
                "warning",
                f"The file starts with {len(lines)} comment line(s) ({lines[0][:60]!r}); they were skipped and the "
                "column names taken from the line after them.",
                "If a line starting with # belongs to the table, remove the comments from the file and upload it again.",
            )
        )
    if frame.attrs.get("title_lines"):
        above = [text for text in frame.attrs["title_lines"] if text]
        notes.append(
            Problem(
                "rows_above_table",
                "warning",
                f"The file has lines above its table ({', '.join(f'“{text[:60]}”' for text in above[:3])}), as a "
                "sheet's title becomes when it is saved as CSV; they were skipped, and the column names were taken "
                "from the first full line below them.",
                "Nothing to do if they are a title. If they are rows of data, delete the lines above the table "
                "and upload the file again.",
            )
        )
    if frame.attrs.get("skipped_rows"):
        above = [text for text in frame.attrs["skipped_rows"] if text]
        notes.append(
            Problem(
                "rows_above_table",
                "warning",
                # quoted “so”: repr's 'ASCII quotes' read oddly in a Chinese sentence
                f"The sheet has rows above its table ({', '.join(f'“{text[:60]}”' for text in above[:3])}); they "
                "were taken for a title and skipped, and the column names were taken from the first full row "
                "below them.",
                # "if they belong to the table, remove the title" asked for the opposite of what it meant
                "Nothing to do if they are a title. If they are rows of data, delete the rows above the table in "
                "the sheet and upload it again.",
            )
        )
    if frame.attrs.get("merged_filled"):
        notes.append(
            Problem(
                "merged_cells",
                "warning",
                f"The sheet has merged cells: {frame.attrs['merged_filled']:,} cell(s) under a merged one were "
                "given its value, as the spreadsheet shows it (one label over several rows).",
                "Check the preview. If a merged cell was only a heading, unmerge it in the spreadsheet and upload "
                "again.",
            )
        )
    if frame.attrs.get("read_as_table"):
        notes.append(
            Problem(
                "txt_table",
                "info",
                "The text file has the same number of tabs on nearly every line, so it was read as a table "
                "(as Excel saves 'Unicode Text'), not as one text per line.",
                "Pick the text and label columns below. If each line really is one text, remove the tabs "
                "or save the file as CSV.",
            )
        )
    if disguised:
        notes.append(
            Problem(
                "disguised_format",
                "warning",
                f"{filename} is a text table, not an Excel workbook: it was read as {fmt.upper()}."
                if disguised == "a text table"
                else f"{filename} is {disguised}, not a text file: it was read as one.",
                f"Give it the ending of what it is (.{fmt}) so that other programs open it right too.",
            )
        )
    garbled = garbled_note(data, used, text) if encoding and fmt not in ("xlsx", "parquet") else None
    mojibake = utf8_read_as_gbk_note(text) if not garbled and fmt not in ("xlsx", "parquet") else None
    if mojibake:  # "No problems found: 615 rows usable" over "璇勮?哄唴瀹?" and classes "姝ｉ潰" and "璐熼潰"
        notes.append(
            Problem(
                "utf8_read_as_gbk",
                "warning",
                mojibake,
                "Import the original UTF-8 file instead (from Excel, save it as 'CSV UTF-8'). Saved as it is, the "
                "texts and class names stay garbled, and a model learns from them so.",
            )
        )
    guessed = korean_or_chinese_note(data, used) if not encoding and fmt not in ("xlsx", "parquet") else None
    if guessed:
        notes.append(Problem("encoding_guessed", "warning", guessed, "Check the preview before you save."))
    if garbled:
        notes.append(
            Problem(
                "garbled",
                "warning",
                garbled,
                "Saved as it is, the texts and class names stay garbled, and a model learns from them so.",
            )
        )
    mixed = {
        MIXED_UTF8_GB: (mixed_utf8_and_gb, "GBK/GB18030"),
        MIXED_UTF8_WESTERN: (mixed_utf8_and_western, "Windows Western (cp1252)"),
    }
    if used in mixed:
        split_lines, other = mixed[used]
        body = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
        lines = (split_lines(body) or ("", [0]))[1]
        notes.append(
            Problem(
                "mixed_encodings",
                "warning",
                f"The file mixes two text encodings, as when files saved in different encodings are pasted "
                f"together: {len(lines):,} line(s) are {other} (the first is line {lines[0]:,}), the others UTF-8. "
                "Each line was read in its own encoding.",
                "Check the preview; to be sure, save the file as UTF-8 (in Excel: 'CSV UTF-8') and upload it again.",
            )
        )
    if used in (CUT_UTF8, CUT_UTF16):
        notes.append(
            Problem(
                "cut_off",
                "warning",
                "The file ends in the middle of a character (it was cut off while saved or copied); "
                "the incomplete character was left out.",
                "Check that the last row is complete, or save and upload the file again.",
            )
        )
    repeated_header = list(frame.attrs.get("repeated_header_lines") or [])
    if repeated_header:
        where = (
            f"line(s) {', '.join(f'{n:,}' for n in repeated_header)}"
            if len(repeated_header) <= 5
            else f"{len(repeated_header):,} lines, the first line {repeated_header[0]:,}"
        )
        notes.append(
            Problem(
                "repeated_header",
                "info",
                f"The header row appears again further down ({where}), as when two exports are pasted together; "
                "those copies were left out.",
                "Nothing to do, unless those lines are real data.",
                count=len(repeated_header),
            )
        )
    if frame.attrs.get("note") == "no_header":
        notes.append(
            Problem(
                "no_header",
                "warning",
                "The first row looks like data, not column names (a value recurs in its column below, or it has "
                "the type of the values below), so it was read as data and the columns were named "
                "'column_1', 'column_2', ….",
                "If the first row really holds names, say so: --header on the command line, or the "
                "'First row holds column names' switch on the Data page.",
            )
        )
    sheets = list(frame.attrs.get("sheets") or [])
    read_sheet = str(frame.attrs.get("sheet") or (sheets[0] if sheets else ""))
    if len(sheets) > 1:
        not_read = [name for name in sheets if name != read_sheet]
        others = ", ".join(repr(name) for name in not_read[:5]) + (
            f" and {len(not_read) - 5:,} more" if len(not_read) > 5 else ""
        )
        notes.append(
            Problem(
                "other_sheets",
                "warning",
                f"The workbook has {len(sheets)} sheets; only {read_sheet!r} was read. Not read: {others}.",
                "If the texts are on another sheet, pick it: 'Sheet' on the Data page, --sheet on the command line.",
            )
        )
    if frame.attrs.get("quoting_note"):
        notes.append(
            Problem(
                "unquoted",
                "warning",
                'Quote characters (") are read as part of the texts: reading them as quoting broke the rows '
                "apart or ran them together, while reading them as text gives every row the same columns.",
                "If the file really quotes its fields, say so: --quoting minimal on the command line, or 'Quotes' on the Data page.",
            )
        )
    spread_already = list(frame.attrs.get("spread_columns") or [])  # a Parquet file's structs, spread as read
    frame, spread = _spread_objects(frame)
    spread = spread_already + spread
    if spread:
        notes.append(
            Problem(
                "spread_objects",
                "warning",
                f"Fields of objects (JSON objects, Parquet structs) were read as columns of their own: "
                f"{', '.join(repr(c) for c in spread[:10])}"
                + (f" and {len(spread) - 10:,} more" if len(spread) > 10 else "")
                + ".",
                "Check that the text and label columns are the ones you mean.",
            )
        )
    renamed = unique_names([str(c) for c in frame.columns])
    twice = sorted({str(c) for c in frame.columns if list(map(str, frame.columns)).count(str(c)) > 1})
    twice = twice or list(frame.attrs.get("duplicate_columns") or [])  # a delimited file's, renamed as it was read
    if twice:
        notes.append(
            Problem(
                "duplicate_columns",
                "warning",
                f"Some column names appear more than once ({', '.join(repr(c) for c in twice)}); the later copies "
                "were renamed with .1, .2, ….",
                "Check that the text and label columns are the ones you mean, or give the columns distinct names.",
            )
        )
    frame.columns = renamed
    nested = _nested_columns(frame)
    if nested:
        frame = frame.drop(columns=nested)
        wanted = [c for c in nested if c in (text_column, label_column) or c.lower().strip() in TEXT_COLUMN_NAMES]
        if wanted:
            raise _file_error(
                "nested_columns",
                f"The column {wanted[0]!r} holds nested values (lists or objects), not plain text.",
                "Flatten the file so that the text and the label are plain strings, then upload it again.",
            )
        if len(frame.columns) == 0:
            raise _file_error(
                "nested_columns",
                f"Every column of {filename} holds nested values (lists, objects or structs): {nested}. "
                "A text must be a plain string.",
                "Flatten the file so that the text and the label are plain columns, then upload it again.",
            )
        notes.append(
            Problem(
                "nested_columns",
                "warning",
                f"{len(nested)} column(s) hold nested or binary values (lists, objects, structs, bytes) and were left out: "
                + ", ".join(repr(c) for c in nested[:10]),
                "Flatten them into plain text columns if one of them holds the texts or the labels.",
                len(nested),
                nested[:5],
            )
        )
    if frame.empty or len(frame.columns) == 0:
        if len(sheets) > 1:  # the texts are likely on a sheet that was not read
            not_read = [name for name in sheets if name != read_sheet]
            raise _file_error(
                "empty_file",
                f"The sheet {read_sheet!r} of {filename} has no rows of data; its other sheets were not read "
                f"({', '.join(repr(name) for name in not_read[:5])}).",
                "Pick the sheet with the texts: 'Sheet' on the Data page, --sheet on the command line.",
            )
        raise _file_error("empty_file", f"{filename} has no rows.", "Choose a file with at least a few rows of text.")
    guessed_text, guessed_label = guess_columns(frame)
    from core.text import without_invisible

    def as_read(name: str | None) -> str | None:
        # a name saved (or typed) before the file's names were cleaned of invisible characters ("טקסט\u200f")
        if name is None or name in frame.columns:
            return name
        cleaned = without_invisible(name).strip()
        return cleaned if cleaned in frame.columns else name

    text_columns = [as_read(c) for c in text_columns]
    label_column = as_read(label_column)
    # "title,description" names two columns when the file has no column of that name
    text_columns = [
        part.strip()
        for c in text_columns
        for part in (
            c.split(",") if c not in frame.columns and all(p.strip() in frame.columns for p in c.split(",")) else [c]
        )
    ]
    for name, value in [*(("text", c) for c in text_columns), ("label", label_column)]:
        if value is not None and value not in frame.columns:
            raise _file_error(
                "unknown_column",
                f"There is no {name} column {value!r}; the file has {list(frame.columns)}.",
                f"Pick one of the file's columns as the {name} column.",
            )
    if label_column is None and guessed_label in text_columns:
        guessed_label = next((c for c in guess_label_columns(frame) if c not in text_columns), None)
    if label_column is None and guessed_label is None:
        notes.extend(_one_value_columns(frame, {*text_columns, guessed_text}))
    return LoadedTable(
        frame=frame,
        file_format=fmt,
        encoding=used,
        text_column=text_columns[0] if text_columns else guessed_text,
        label_column=label_column if label_column is not None else guessed_label,
        notes=notes,
        text_columns=text_columns if len(text_columns) > 1 else [],
        header=bool(frame.attrs.get("header", True)),
        quoting=str(frame.attrs.get("quoting", "")),
        separator=str(frame.attrs.get("separator", "")),
        sheet=read_sheet,
        sheets=sheets,
        formulas=dict(frame.attrs.get("uncalculated") or {}),
        # unique, or none: a malformed sheet repeating a row number (r="4" twice) broke the left-out rows' lookup
        row_numbers=row_numbers if len(row_numbers) == len(frame) == len(set(row_numbers)) else None,
    )


XLSX_CELLS_PER_ROW = 10  # filled cells kept per row allowed: a text, a label and a few ids or dates


def _read_xlsx(
    data: bytes, limits: DataLimits, has_header: bool | None = None, sheet: str | None = None
) -> pd.DataFrame:
    """The sheet named ``sheet`` (else the likeliest: ``core.xlsx.fullest_sheet``), streamed: the row, cell and size limits stop a bomb
    while it unpacks.

    Whether the first row holds names is detected as for delimited files (``has_header`` None),
    so a sheet without a header keeps its first row as data.
    """
    from core.xlsx import XlsxLimits, column_names, fullest_sheet, read_xlsx, sheet_names

    # the sheet the Data page's picker opens on: a first sheet of notes made the command line refuse a
    # workbook the page read at once
    sheet = sheet or fullest_sheet(data)
    merged: dict = {}
    numbered, rows = read_xlsx(
        data,
        XlsxLimits(
            max_rows=limits.max_rows,
            # a sheet of 6 columns was refused at 170,000 rows, under the 200,000 promised, and --max-rows
            # did not move the cell limit
            max_cells=limits.max_rows * XLSX_CELLS_PER_ROW,
            max_unpacked_mb=limits.max_unpacked_mb,
            max_chars=_byte_limit(limits),
        ),
        header_row=False,
        sheet=sheet,
        report=merged,
    )
    if not rows:
        empty = pd.DataFrame(columns=numbered, dtype=object)
        empty.attrs["sheets"] = sheet_names(data)  # the texts may be on another sheet: the message names them
        empty.attrs["sheet"] = sheet
        return empty

    def as_text(row: list) -> list[str]:
        return ["" if cell is None else str(cell) for cell in row]

    across = merged.get("merge_starts") or {}
    skipped = [] if has_header is False else _rows_above_the_table(rows, as_text, across)
    rows = rows[len(skipped) :]
    numbers = list(merged.get("row_numbers") or [])[len(skipped) :]
    first, body = rows[0], rows[1:]

    headerless = has_header is False or (
        has_header is None and _header_is_data(as_text(first), [as_text(row) for row in body[:2000]])
    )
    frame = (
        pd.DataFrame(rows, columns=numbered, dtype=object)
        if headerless
        else pd.DataFrame(body, columns=column_names(first), dtype=object)
    )
    frame.attrs["note"] = "no_header" if headerless and has_header is None else None
    frame.attrs["header"] = not headerless
    if not headerless:  # renamed .1, .2 as a CSV's are, and said as a CSV's are (a workbook's went unsaid)
        names = [cell.strip() for cell in as_text(first) if cell.strip()]
        frame.attrs["duplicate_columns"] = sorted({name for name in names if names.count(name) > 1})
    frame.attrs["row_numbers"] = numbers if headerless else numbers[1:]
    frame.attrs["sheets"] = sheet_names(data)
    frame.attrs["sheet"] = sheet
    frame.attrs["skipped_rows"] = [" · ".join(cell.strip() for cell in as_text(row) if cell.strip()) for row in skipped]
    frame.attrs["merged_filled"] = merged.get("merged_filled", 0)
    frame.attrs["uncalculated"] = {
        str(frame.columns[i]): sources
        for i, sources in (merged.get("uncalculated") or {}).items()
        if i < len(frame.columns)
    }
    return frame


MAX_TITLE_ROWS = 5  # rows (a title, a date, blank ones) a sheet may have above its table


def _rows_above_the_table(rows: list[list], as_text, across: dict[int, set[int]] | None = None) -> list[list]:
    """The rows above a sheet's table: a title ("News export (Q4)"), blank rows and group headings,
    over a row that fills every column and reads as column names. A title row has one filled cell at
    most; a heading row's every filled cell starts a merged range (``across``, per row: "Feedback" over
    A1:B1, "Meta" over C1:D1, or "agent" merged down over C1:C2). Read as the header, either made the
    columns "Unnamed" and the real names a row of data."""
    across = across or {}

    def filled(row: list) -> int:
        return sum(1 for cell in row if cell is not None and str(cell).strip())

    width = max((filled(row) for row in rows[:200]), default=0)
    if width < 2:
        return []
    start = next((h for h, row in enumerate(rows[: MAX_TITLE_ROWS + 1]) if filled(row) == width), 0)
    above, below = rows[:start], rows[start + 1 : start + 201]
    known = set(TEXT_COLUMN_NAMES) | set(LABEL_COLUMN_NAMES)
    # a row above with two cells filled is data with gaps, and one holding a column name is the header
    # of a one-column table with a stray note beside a later row: the table starts at the top
    if not start or any(
        filled(row) > 1 and not _group_headings(row, across.get(i, set())) for i, row in enumerate(above)
    ):
        return []
    # a heading may be named like a column ("Review" over A1:B1): a merged cell is a heading, not a name
    if any(
        str(cell).strip().lower() in known
        for i, row in enumerate(above)
        for j, cell in enumerate(row)
        if cell is not None and j not in across.get(i, set())
    ):
        return []
    # the rows under the new header must be as wide as it, most of them: not one stray cell in column B
    if not below or sum(filled(row) >= 2 for row in below) < 0.8 * len(below):
        return []
    if _header_is_data(as_text(rows[start]), [as_text(row) for row in rows[start + 1 : start + 2001]]):
        return []
    return above


def _group_headings(row: list, merged_from: set[int]) -> bool:
    """True when every filled cell of the row starts a merged range."""
    return all(j in merged_from for j, cell in enumerate(row) if cell is not None and str(cell).strip())


def _read_parquet(data: bytes, limits: DataLimits) -> pd.DataFrame:
    """Flat columns of a Parquet file; its row count and unpacked size are checked before any data is read."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(io.BytesIO(data))
    except (pa.ArrowInvalid, OSError) as exc:
        if "magic bytes" in str(exc):  # pyarrow's "Parquet magic bytes not found in footer. Either the file …"
            raise DataError(
                "The file is not a valid Parquet file: it does not end as one does. It is damaged, cut short, "
                "or another kind of file renamed .parquet."
            ) from None
        raise DataError(f"The file is not a valid Parquet file ({str(exc)[:120]}).") from None
    meta = parquet.metadata
    if meta.num_rows > limits.max_rows:
        raise DataError(
            f"The file has {meta.num_rows:,} rows; the limit is {limits.max_rows:,}. "
            "Sample the rows (or raise the row limit: python -m core data import --max-rows N), then upload again."
        )
    unpacked = sum(
        meta.row_group(g).column(c).total_uncompressed_size
        for g in range(meta.num_row_groups)
        for c in range(meta.num_columns)
    )
    if unpacked > limits.max_unpacked_mb * 1e6:
        raise DataError(
            f"The file unpacks to {unpacked / 1e6:,.0f} MB; the limit is {limits.max_unpacked_mb:,.0f} MB. "
            "Keep only the text and label columns, or sample the rows."
        )
    schema = parquet.schema_arrow
    # structs are read as columns of their own ("text.body"), as a JSON file's objects are; lists are not read
    flat = [f.name for f in schema if not pa.types.is_nested(f.type) or pa.types.is_struct(f.type)]
    nested = [f.name for f in schema if pa.types.is_nested(f.type) and not pa.types.is_struct(f.type)]
    if flat:
        # text columns stay dictionary-encoded until their unpacked size is known: a 1.2 KB file of one
        # long text repeated 50,000 times claimed 0.03 MB above and took 2.4 GB once read
        texts = [
            f.name
            for f in schema
            if f.name in flat
            and (pa.types.is_string(f.type) or pa.types.is_large_string(f.type) or pa.types.is_binary(f.type))
        ]
        if texts:
            parquet = pq.ParquetFile(io.BytesIO(data), read_dictionary=texts)
        table = parquet.read(columns=flat)
        expanded = _expanded_bytes(table)
        if expanded > limits.max_unpacked_mb * 1e6:
            raise DataError(
                f"The file unpacks to {expanded / 1e6:,.0f} MB; the limit is {limits.max_unpacked_mb:,.0f} MB. "
                "Keep only the text and label columns, or sample the rows."
            )
        table = _decoded(table)
        while any(pa.types.is_struct(f.type) for f in table.schema):
            table = table.flatten()
        table = table.rename_columns(unique_names(table.column_names))  # a field "meta.a" beside a column "meta.a"
        frame = table.to_pandas()
        frame.attrs["spread_columns"] = [c for c in frame.columns if c not in schema.names]
        for name in [c for c in frame.columns if frame[c].dtype == object]:  # lists inside a struct
            if frame[name].map(lambda v: isinstance(v, (list, np.ndarray))).any():
                frame[name] = pd.Series([[]] * len(frame), dtype=object)
    else:
        frame = pd.DataFrame(index=range(meta.num_rows))
    for name in nested:  # kept as object columns so that _nested_columns reports them by name
        frame[name] = pd.Series([[]] * len(frame), dtype=object)
    for name in frame.columns:
        if frame[name].dtype == object and frame[name].map(lambda v: isinstance(v, bytes)).any():
            frame[name] = frame[name].map(_bytes_to_text)
    return frame


def _expanded_bytes(table) -> int:
    """The bytes a table's dictionary-encoded columns take once each row holds its own value (the
    others as they are), counted from the dictionary's lengths without building the values."""
    import pyarrow as pa
    import pyarrow.compute as pc

    total = 0
    for column in table.columns:
        for chunk in column.chunks:
            if pa.types.is_dictionary(chunk.type):
                lengths = pc.binary_length(chunk.dictionary)
                total += int(pc.sum(pc.take(lengths, chunk.indices)).as_py() or 0)
            else:
                total += chunk.nbytes
    return total


def _decoded(table):
    """``table`` with its dictionary-encoded columns as plain ones (strings, not pandas categories)."""
    import pyarrow as pa

    columns = []
    for column in table.columns:
        if pa.types.is_dictionary(column.type):
            column = pa.chunked_array(
                [chunk.dictionary_decode() for chunk in column.chunks], type=column.type.value_type
            )
        columns.append(column)
    return pa.table(columns, names=table.column_names)


def _bytes_to_text(value):
    """Binary Parquet cells holding UTF-8 are text; anything else is not and stays out."""
    if not isinstance(value, bytes):
        return value
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return [value]  # marks the column nested (not text)


MAX_SPREAD_COLUMNS = 200  # a column of objects with more fields than this stays one (nested) column


def _spread_objects(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Columns of JSON objects spread into one column per field, named ``parent.field`` (as far
    down as objects go): Label Studio's ``{"data": {"text": …}}`` gives a ``data.text`` column.

    Returns the frame and the new columns' names. Lists stay as they are (``_nested_columns``
    leaves them out with a warning): a list has no names to make columns of.
    """
    spread: list[str] = []
    position = 0
    while position < len(frame.columns):
        name, column = str(frame.columns[position]), frame.iloc[:, position]
        position += 1
        if column.dtype != object:
            continue
        values = column.tolist()
        blank = [v is None or (isinstance(v, float) and v != v) for v in values]
        if not any(isinstance(v, dict) for v in values) or not all(
            isinstance(v, dict) or b for v, b in zip(values, blank, strict=True)
        ):
            continue
        fields = pd.json_normalize([v if isinstance(v, dict) else {} for v in values], sep=".")
        if fields.empty or len(fields.columns) > MAX_SPREAD_COLUMNS:
            continue
        taken = {str(c) for i, c in enumerate(frame.columns) if i != position - 1}
        names = []
        for part in fields.columns:  # a column already named "meta.a" keeps its name; the field gets "meta.a.1"
            new, n = f"{name}.{part}", 0
            while new in taken:
                n += 1
                new = f"{name}.{part}.{n}"
            taken.add(new)
            names.append(new)
        fields.columns = names
        fields.index = frame.index
        fields = fields.astype(object).where(fields.notna(), None)
        at = position - 1
        frame = pd.concat([frame.iloc[:, :at], fields, frame.iloc[:, at + 1 :]], axis=1)
        position = at + len(names)  # the spread fields are plain now (json_normalize went all the way down)
        spread.extend(names)
    return frame, spread


def _nested_columns(frame: pd.DataFrame) -> list[str]:
    """Columns holding lists, dicts, arrays or sets: stringifying them would import garbage as text."""
    out = []
    for name in frame.columns:
        column = frame[name]
        if column.dtype != object:
            continue
        if column.map(lambda v: isinstance(v, (list, dict, tuple, set, np.ndarray))).any():
            out.append(str(name))
    return out


def _count(n: int, one: str, many: str) -> str:
    """``1 row has`` / ``3 rows have``: a count with its noun and verb agreeing."""
    return f"{n:,} {one if n == 1 else many}"


def _size(n_bytes: float) -> str:
    """``26 KB``, ``1.5 MB``, ``200 MB``: a size a person reads at a glance."""
    if n_bytes < 1e6:
        return f"{n_bytes / 1e3:,.0f} KB" if n_bytes >= 1e3 else f"{n_bytes:,.0f} bytes"
    return f"{n_bytes / 1e6:,.1f} MB" if n_bytes < 1e7 else f"{n_bytes / 1e6:,.0f} MB"


_WEB_PAGE = re.compile(rb"\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)
_MAGIC = (  # the first bytes of files people pick by mistake (or rename) instead of a table of texts
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.xls or .doc): save it as .xlsx or CSV UTF-8 first"),
    (b"\x1f\x8b", "a gzip archive: unpack it first"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"7z\xbc\xaf", "a 7-Zip archive: unpack it first"),
    (b"Rar!", "a RAR archive: unpack it first"),
    (b"\xfd7zXZ\x00", "an xz archive: unpack it first"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive: unpack it first"),
    (b"\x7fELF", "a program (an executable or a library)"),
    (b"\xcf\xfa\xed\xfe", "a program (an executable or a library)"),
)
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")
# bytes no text holds, in any encoding the reader knows, bar UTF-16 (whose NULs are asked about apart):
# NUL and the C0 controls other than tab, the line ends, form feed and escape
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 27), *range(28, 32)])


def _looks_binary(sample: bytes) -> bool:
    """True when more than 10% of ``sample`` is control bytes: 0-2% in every text file of the installed
    packages, 11-50% in their programs and data files. Asked only of bytes no encoding decoded: Chinese
    in UTF-16 without a BOM has 8-9%."""
    return bool(sample) and sum(sample.count(bytes([c])) for c in _CONTROL_BYTES) > 0.10 * len(sample)


def binary_kind(data: bytes) -> tuple[str | None, str | None]:
    """``(what the bytes are, the format to read them as)`` for a file that is not text: an Excel
    workbook or a Parquet file is read as one (``"xlsx"``, ``"parquet"``); an image, a PDF or an
    archive has no format; text gives ``(None, None)``."""
    if data.startswith(b"PAR1"):
        return "a Parquet file", "parquet"
    if data.startswith(b"PK\x03\x04"):
        head = data[:65536]
        if b"xl/" in head or (b"[Content_Types].xml" in head and b"word/" not in head):
            return "an Excel workbook", "xlsx"
        return ("a Word document" if b"word/" in head else "a zip archive: unpack it first"), None
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind, None
    if _BZIP2.match(data) or (data.startswith(b"MZ") and b"PE\x00\x00" in data[:1024]):
        return ("a bzip2 archive: unpack it first" if data.startswith(b"BZh") else "a Windows program"), None
    return None, None


def workbook_sheets(data: bytes) -> list[str]:
    """The sheet names of an Excel workbook, whatever its file is named ([] for anything else), so a
    sheet can be picked for a workbook saved as ``.csv`` too."""
    if binary_kind(data)[1] != "xlsx":
        return []
    from core.xlsx import sheet_names

    return sheet_names(data)


def likely_sheet(data: bytes, sheets: list[str]) -> int:
    """Where a sheet picker should open among ``sheets`` (from :func:`workbook_sheets`): on the
    fullest sheet, so a workbook whose first sheet is a short note opens on its texts."""
    from core.xlsx import fullest_sheet

    fullest = fullest_sheet(data)
    return sheets.index(fullest) if fullest in sheets else 0


def _file_error(code: str, message: str, fix: str) -> DataError:
    report = ValidationReport()
    report.add(code, "error", message, fix)
    return DataError(f"{message} {fix}".strip(), report=report)


def guess_columns(frame: pd.DataFrame) -> tuple[str | None, str | None]:
    """Guess ``(text_column, label_column)``: names first (the longest texts among the columns
    with a text-like name or a name that hints at one: ``description`` over ``title``,
    ``review_body`` over ``summary``, ``评论内容``), then by content; the label by its name, then
    by a hinting name (``star_rating``, ``星级``) on a column that looks like classes, then by content."""
    cols = [str(c) for c in frame.columns]
    lower = {c.lower().strip(): c for c in cols}
    sample = frame.head(2000)
    named = [lower[n] for n in TEXT_COLUMN_NAMES if n in lower]
    if not named:  # a spread field ("data.text") answers to its own name when no column has it
        for c in cols:
            if "." in c:
                lower.setdefault(c.lower().strip().rsplit(".", 1)[-1], c)
        named = [lower[n] for n in TEXT_COLUMN_NAMES if n in lower]
    stringy = [c for c in cols if sample[c].dtype == object or str(sample[c].dtype).startswith("str")]
    # a name that hints ("review_body", "reviewText", "评论内容") competes with the short fields' names
    # only: "summary" was taken over a ten times longer "review_body", while "text" stays the text
    # beside a longer "user_description"
    if all(c.lower().strip() in SHORT_TEXT_NAMES for c in named):
        hinted = [c for c in stringy if "." not in c and _hints(c, TEXT_NAME_HINTS, TEXT_NAME_HINTS_ZH, text=True)]
        named += [c for c in hinted if c not in named]  # a spread field ("user.description") is no column's text
    # a column of one text repeated on every row is a note, not the texts: it was picked as the longest,
    # and every row got the same answer without a word
    varied = [c for c in stringy if len(sample) < 3 or sample[c].nunique(dropna=True) > 1]
    named = [c for c in named if c in varied] or named
    if named:
        text_col = max(named, key=lambda c: _mean_len(sample, c))  # max keeps the first of equals
    else:
        candidates = varied or stringy
        text_col = max(candidates, key=lambda c: _mean_len(sample, c)) if candidates else None
    label_col = next((lower[n] for n in LABEL_COLUMN_NAMES if n in lower and lower[n] != text_col), None)
    if label_col is None:  # a spread field ("annotation.label") answers to its own name when no column has it
        tails = {}
        for c in cols:
            if "." in c and c != text_col:
                tails.setdefault(c.lower().strip().rsplit(".", 1)[-1], c)
        label_col = next((tails[n] for n in LABEL_COLUMN_NAMES if n in tails and n not in lower), None)
    if label_col is None:  # "star_rating", "星级": only where the content looks like classes
        label_like = [c for c in guess_label_columns(frame) if c != text_col]
        label_col = next((c for c in label_like if _hints(c, LABEL_NAME_HINTS, LABEL_NAME_HINTS_ZH)), None)
    if label_col is None:
        label_col = next((c for c in guess_label_columns(frame) if c != text_col), None)
    return text_col, label_col


def case_variants(labels: Sequence) -> dict[str, list[str]]:
    """Classes whose names differ only in capital letters ("food", "Food", "FOOD") or in the width
    of their letters ("ｆｏｏｄ"): each group by its most frequent spelling, all spellings most
    frequent first. Groups of one are left out."""
    from core.text import spelling_key

    counts = pd.Series([str(v) for v in labels if v is not None and v == v]).value_counts()
    groups: dict[str, list[str]] = {}
    for spelling in counts.index:  # most frequent first, so each group's first is its name
        groups.setdefault(spelling_key(spelling), []).append(spelling)
    return {group[0]: group for group in groups.values() if len(group) > 1}


def _merged(examples: pd.DataFrame, mapping: dict[str, str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """``examples`` with each label of ``mapping`` renamed to the class it joins, and ``mapping``."""
    if not mapping:
        return examples, {}
    out = examples.copy()
    out["label"] = out["label"].map(lambda v: mapping.get(str(v), v) if v is not None and v == v else v)
    return out, mapping


def merge_case_variants(examples: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """``examples`` with each class spelled as the most frequent of its case variants, and the
    ``{old: new}`` spellings changed."""
    mapping = {old: name for name, group in case_variants(examples["label"]).items() for old in group[1:]}
    return _merged(examples, mapping)


def label_set_parts(label: str) -> list[str]:
    """The labels a multi-label class name holds ("billing; refund" → ["billing", "refund"]); one part
    for a plain name."""
    return [part for part in _LABEL_SEPARATOR.split(str(label)) if part]


def label_sets(labels: Sequence) -> list[str]:
    """Class names that hold several labels of the same column ("billing;refund" beside "billing"),
    most frequent first. A name with a comma whose parts are no other class's ("Arts, Culture") is one
    class that happens to have a comma, not a set."""
    from core.text import spelling_key

    counts = pd.Series([str(v) for v in labels if v is not None and v == v]).value_counts()
    parts = {name: label_set_parts(name) for name in counts.index}
    singles = {spelling_key(name) for name, its in parts.items() if len(its) == 1}
    # two labels of their own ("a;a" is one); numbers are a decimal comma's halves ("4,5" stars), not labels
    return [
        name
        for name, its in parts.items()
        if len({spelling_key(p) for p in its}) > 1
        and not all(_is_number(p) for p in its)
        and any(spelling_key(p) in singles for p in its)
    ]


def label_set_variants(labels: Sequence) -> dict[str, list[str]]:
    """Multi-label class names that hold the same labels in another order, spacing or separator
    ("billing;refund", "refund;billing", "billing; refund"): each group by its most frequent spelling,
    all spellings most frequent first. Groups of one are left out."""
    from core.text import spelling_key

    groups: dict[tuple, list[str]] = {}
    for name in label_sets(labels):  # most frequent first, so each group's first is its name
        key = tuple(sorted({spelling_key(p) for p in label_set_parts(name)}))
        groups.setdefault(key, []).append(name)
    return {group[0]: group for group in groups.values() if len(group) > 1}


def merge_label_set_variants(examples: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """``examples`` with each set of labels spelled as the most frequent of its spellings, and the
    ``{old: new}`` spellings changed."""
    mapping = {old: name for name, group in label_set_variants(examples["label"]).items() for old in group[1:]}
    return _merged(examples, mapping)


def path_labels(labels: Sequence) -> list[str]:
    """Class names that are paths in a hierarchy ("account/login/2fa", "产品 > 手机"), most frequent
    first: at least two such names, sharing their first level."""
    counts = pd.Series([str(v) for v in labels if v is not None and v == v]).value_counts()
    # every level named, not numbers alone: ">50K" is an income band, "2024/01" a month
    paths = [
        name
        for name in counts.index
        if len(levels := re.split(PATH_SEPARATOR, name)) > 1
        and all(levels)
        and not all(_is_number(level) for level in levels)
    ]
    tops = pd.Series([re.split(PATH_SEPARATOR, name)[0] for name in paths]).value_counts()
    shared = set(tops[tops > 1].index)
    return [name for name in paths if re.split(PATH_SEPARATOR, name)[0] in shared]


def placeholder_classes(labels: Sequence) -> list[str]:
    """Class names that read as "could not label this" ("unknown", "TBD", "未知"), most frequent first."""
    counts = pd.Series([str(v) for v in labels if v is not None and v == v]).value_counts()
    return [name for name in counts.index if name.strip().casefold() in PLACEHOLDER_LABELS]


READ_AS_MISSING = "read_as_missing"  # an examples column: the class a row had before it was read as missing


def read_as_missing(examples: pd.DataFrame, classes: Sequence[str]) -> pd.DataFrame:
    """``examples`` with the labels of ``classes`` read as missing: those rows count as rows without a
    label (left out of a labelled dataset, listed with why)."""
    chosen = {str(c) for c in classes}
    if not chosen:
        return examples
    out = examples.copy()
    picked = out["label"].map(lambda v: v is not None and v == v and str(v) in chosen)
    # the class it had, for the left-out list ("no label" for 55 rows told a '?' from no 'unknown') and the
    # report (a warning to import without labels, of a choice just made on purpose)
    out[READ_AS_MISSING] = out["label"].where(picked, None)
    out["label"] = out["label"].mask(picked, None)
    return out


def learned_rows(frame: pd.DataFrame, labelled: bool) -> pd.DataFrame:
    """A stored dataset's rows a run learns from: the labelled ones for a classifier, those with text
    for pretraining (``runner.load_splits`` takes these)."""
    if labelled:
        return frame[frame["label"].notna()].reset_index(drop=True)
    return frame[frame["text"].fillna("").str.strip().ne("")].reset_index(drop=True)


def rows_fingerprint(frame: pd.DataFrame, labels: Sequence[str]) -> str:
    """A digest of the rows as a model sees them: text, split and class index (``Splits.fingerprint``).

    Renaming classes keeps it (the index stays); a dataset deleted and imported again with other rows
    under the same id changes it. Here, not beside the training code, so that a page can tell a run of
    an earlier import without loading torch.
    """
    import hashlib

    index = {label: i for i, label in enumerate(labels)}
    digest = hashlib.sha256()
    for text, split, label in zip(frame["text"], frame["split"], frame["label"], strict=True):
        code = index.get(label, -1) if isinstance(label, str) else -1
        digest.update(f"{split}\t{code}\t{text}\n".encode("utf-8", errors="replace"))
    return digest.hexdigest()[:20]


def guess_label_columns(frame: pd.DataFrame) -> list[str]:
    """Columns that look like labels by content (2 to 100 short distinct values), best first: fewest
    classes first, after the columns where at least two values repeat. A constant column with one
    stray value (a second header row read as data: "agent" over 120 "bob") was taken over pos/neg/neu."""
    sample = frame.head(2000)
    n = max(1, len(sample))
    candidates = []
    for c in (str(c) for c in frame.columns):
        counts = sample[c].value_counts(dropna=True)
        # "null" and "N/A" are no classes: one in a five-row file made its label column too varied to be one
        counts = counts[~counts.index.astype(str).str.strip().isin(MISSING_LABEL_SPELLINGS)]
        uniq = len(counts)
        if 2 <= uniq <= min(100, max(2, n // 2)) and _mean_len(sample, c) < 40:
            candidates.append((int((counts >= 2).sum()) < 2, uniq, c))
    return [c for *_, c in sorted(candidates)]


def _one_value_columns(frame: pd.DataFrame, text_columns: set) -> list[Problem]:
    """Short columns holding one value in every row: a label column of one class, which the guess
    passes over (a classifier needs two), so the file would import as unlabelled without a word."""
    found = []
    for c in (str(c) for c in frame.columns):
        if c in text_columns or frame[c].head(2000).nunique(dropna=True) != 1:  # cheap test first
            continue
        values = frame[c].dropna().astype(str).str.strip()
        values = values[values.ne("")]
        if len(values) < max(2, len(frame) // 2) or values.nunique() != 1 or _mean_len(frame.head(2000), c) >= 40:
            continue
        found.append(
            Problem(
                "one_class_column",
                "warning",
                f"Column {c!r} has only one class ({values.iloc[0]!r}), so it was not taken as the label column: "
                "a classifier needs at least two.",
                "Pick another label column, add rows of other classes, or import the texts as unlabelled "
                "(for pretraining).",
                len(values),
            )
        )
    return found


def _hints(column: str, english: tuple[str, ...], chinese: tuple[str, ...], text: bool = False) -> bool:
    """Whether a column's name holds one of ``english`` as a part ("review_body", "reviewText") or
    one of ``chinese`` anywhere ("评论内容"); for text, never an id, a URL or a date ("text_id")."""
    if any(word in column for word in chinese):
        return True
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", column).lower()
    parts = set(re.split(r"[^0-9a-z]+", spaced)) - {""}
    if text and parts & _NOT_TEXT_PARTS:
        return False
    return bool(parts & set(english))


def _mean_len(sample: pd.DataFrame, col: str) -> float:
    values = sample[col].dropna().astype(str)
    return float(values.str.len().mean()) if len(values) else 0.0


def to_examples(table: LoadedTable) -> pd.DataFrame:
    """The table as a frame with a ``text`` column and a ``label`` column (may be all missing)."""
    frame = table.frame
    columns = [c for c in table.chosen_text_columns if c in frame.columns]
    if not columns:
        out = pd.DataFrame({"text": _as_text(pd.Series([None] * len(frame), dtype=object))})
    else:
        out = pd.DataFrame({"text": join_text_columns(frame, columns)})
    from core.text import CONTROLS, WORD_BREAKERS, composed, without_breakers, without_invisible

    controlled = out["text"].map(lambda v: isinstance(v, str) and CONTROLS.search(v) is not None)
    if controlled.any() and not any(p.code == "control_bytes" for p in table.notes):
        table.notes.append(
            Problem(
                "control_bytes",
                "warning",
                f"{_count(int(controlled.sum()), 'text held', 'texts held')} control characters (such as NUL, the "
                "byte 0), which no keyboard types: the sign of a damaged file, or of an export from an old system. "
                "They are kept as they are: the tables show them as nothing, and a model reads them as symbols.",
                "Check those texts in the preview; if they read garbled, the file is damaged: export it again.",
                int(controlled.sum()),
                out.loc[controlled, "text"].head(5).map(lambda v: repr(v)[1:-1]).tolist(),
            )
        )
    broken = out["text"].map(lambda v: isinstance(v, str) and WORD_BREAKERS.search(v) is not None)
    if broken.any() and not any(p.code == "invisible_in_texts" for p in table.notes):
        table.notes.append(
            Problem(
                "invisible_in_texts",
                "info",
                f"{_count(int(broken.sum()), 'text held', 'texts held')} characters that show as nothing and break "
                "the word they sit in (zero-width spaces, word joiners, byte-order marks, soft hyphens), as text "
                "copied from web pages and chats does; they were removed (a zero-width space became a space), so "
                "each word reads whole.",
                "Nothing to do.",
                int(broken.sum()),
                out.loc[broken, "text"].head(5).map(lambda v: repr(v)[1:-1]).tolist(),
            )
        )
    # the same text with a trailing space, or typed with a combining accent, is the same text: kept
    # apart, 14 of 40 texts sat in both the training and the test split, and validation said nothing
    out["text"] = out["text"].map(lambda v: composed(without_breakers(v)).strip() if isinstance(v, str) else v)
    if table.label_column and table.label_column in frame.columns:
        # a newline or a run of spaces inside a class name broke every table it is listed in: one space
        labels = _as_text(frame[table.label_column])
        seen = labels.map(lambda v: without_invisible(v) if isinstance(v, str) else v)
        hidden = (seen != labels) & labels.notna()
        if hidden.any() and not any(p.code == "invisible_in_labels" for p in table.notes):
            table.notes.append(
                Problem(
                    "invisible_in_labels",
                    "warning",
                    f"{int(hidden.sum())} label(s) held characters that show as nothing (zero-width spaces, "
                    "byte-order marks, direction marks); they were removed, so each of these labels joins "
                    "the class it looks like.",
                    "Nothing to do; to keep them, name those classes with visible characters.",
                    int(hidden.sum()),
                    sorted({repr(v) for v in labels[hidden]})[:5],
                )
            )
        labels = seen.str.replace(r"\s+", " ", regex=True).str.strip()
        # "billing " beside "billing" (a stray space typed in a spreadsheet) became one class without a
        # word; a column where every label has a space after its comma is not worth one
        spaced = (labels != seen) & labels.notna()
        joined = spaced & labels.isin(set(seen[~spaced & seen.notna()]))
        if joined.any() and not any(p.code == "labels_trimmed" for p in table.notes):
            table.notes.append(
                Problem(
                    "labels_trimmed",
                    "warning",
                    f"{int(joined.sum())} label(s) had spaces around or inside them, beside the same labels "
                    "without: they were read as those, so each joins the class spelled without the spaces.",
                    "Nothing to do, unless the spaces really mark other classes.",
                    int(joined.sum()),
                    sorted({repr(v) for v in seen[joined]})[:5],
                )
            )
        # composed as the texts are: "négatif" typed once with a combining accent made a class of its own
        labels = labels.map(lambda v: composed(v) if isinstance(v, str) else v)
        spelled = labels.isin(MISSING_LABEL_SPELLINGS)
        if spelled.any() and not any(p.code == "missing_spelled" for p in table.notes):
            words = sorted(set(labels[spelled]))
            table.notes.append(
                Problem(
                    "missing_spelled",
                    "warning",
                    f"{int(spelled.sum())} label(s) read as missing because they are spelled "
                    + ", ".join(repr(w) for w in words[:6])
                    + ", which is how spreadsheets and databases write 'no value'.",
                    "They count as rows without a label. Rename the class (e.g. 'none_of_these') "
                    "if it really is a class.",
                    int(spelled.sum()),
                    words[:5],
                )
            )
        labels = labels.mask(spelled | labels.eq(""), None)
        whole = _whole_number_labels(labels)
        if whole is not None:
            labels = whole
            if not any(p.code == "float_labels" for p in table.notes):
                table.notes.append(
                    Problem(
                        "float_labels",
                        "warning",
                        "The labels are whole numbers written with '.0' (1.0, 2.0), as pandas writes a column of "
                        "numbers with gaps, or with ',0' (1,0), as Excel does where the comma is the decimal mark; "
                        "they were read as 1, 2, as the same column in a workbook is.",
                        "Nothing to do, unless '1.0' and '1' really are different classes.",
                    )
                )
        out["label"] = labels
    else:
        out["label"] = pd.Series([None] * len(frame), dtype=object)
    if table.row_numbers is not None and len(table.row_numbers) == len(out) == len(set(table.row_numbers)):
        out.index = pd.Index(table.row_numbers, name=FILE_ROWS)
    return out


FILE_ROWS = "row"  # the name of an examples frame's index when it holds the file's own row numbers
FILE_ROW = "row"  # the column of a stored dataset (and a run's points) with each text's row in its file


def file_rows(table: LoadedTable) -> list[int]:
    """Each row of ``table``'s frame numbered as a user finds it in the file (``row_numbers``): the file's
    own where they are known, else counted among the rows of data from 1."""
    known = table.row_numbers
    if known is not None and len(known) == len(table.frame) == len(set(known)):
        return [int(n) for n in known]
    return list(range(1, len(table.frame) + 1))


def row_numbers(examples: pd.DataFrame, positions=None) -> list[int]:
    """The rows at ``positions`` (all rows when None) as a user finds them: the file's own numbers when
    ``to_examples`` knew them, else counted among the rows of data (1 for the first)."""
    index = examples.index if positions is None else examples.index[positions]
    if examples.index.name == FILE_ROWS:
        return [int(n) for n in index]
    where = range(len(examples)) if positions is None else positions
    return [int(i) + 1 for i in where]


def rows_counted_as(examples: pd.DataFrame) -> str:
    """How the row numbers of ``row_numbers`` count, in words, for the left-out rows' file."""
    if examples.index.name == FILE_ROWS:
        # not "the header is row 1": a sheet's title rows or a CSV's comment lines come before it
        return (
            "Row numbers are the file's own: in a spreadsheet, the numbers on the left; in a text file, the line "
            "the row starts on."
        )
    return "Rows are counted among the rows of data: row 1 is the first (this file has no row numbers of its own)."


# "1,0": Excel in a decimal-comma locale (one zero only: "1,000" is a thousand)
_WHOLE_FLOAT = re.compile(r"[+-]?\d+(\.0+|,0)")
_WHOLE = re.compile(r"[+-]?\d+(\.0+|,0)?")


def _whole_number_labels(labels: pd.Series) -> pd.Series | None:
    """The labels without a trailing ".0" when every one is a whole number and some are so written
    ("1.0", "2.0"), else None. A class column with gaps comes out of pandas as floats; "1.0" and "1"
    were two classes of one file, also when two exports (one with gaps) were appended."""
    present = labels.dropna()
    if present.empty or not present.map(lambda v: bool(_WHOLE.fullmatch(v))).all():
        return None
    if not present.map(lambda v: bool(_WHOLE_FLOAT.fullmatch(v))).any():
        return None  # plain whole numbers ("1", "01") stay as written
    return pd.Series(
        [
            None if v is None or v != v else (str(int(float(v.replace(",", ".")))) if _WHOLE_FLOAT.fullmatch(v) else v)
            for v in labels
        ],
        index=labels.index,
        dtype=object,
    )


NUMBERS_NOT_TEXT = 0.9  # a text column whose values are this share plain numbers gets a warning
_PLAIN_NUMBER = re.compile(r"[+-]?(\d[\d,]*(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")


def number_share(column: pd.Series, sample: int = 2000) -> float:
    """Share of a column's non-blank values (the first ``sample``) that are plain numbers: ids, scores
    and prices, which a user may pick as the text column by mistake (every row then gets much the
    same answer). 0.0 for a column with no values."""
    values = [v for v in _as_text(column.head(sample)) if v is not None and v.strip()]
    if not values:
        return 0.0
    return sum(bool(_PLAIN_NUMBER.fullmatch(v.strip())) for v in values) / len(values)


def join_text_columns(frame: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """One text per row: the columns' values joined by ``TEXT_JOINER``, empty ones left out."""
    parts = [_as_text(frame[c]) for c in columns]
    if len(parts) == 1:
        return parts[0]
    joined = [TEXT_JOINER.join(p for p in row if p is not None and p.strip()) or None for row in zip(*parts)]
    return pd.Series(joined, dtype=object, index=frame.index)


def texts_to_predict(table: LoadedTable, column: str | None = None, limits: DataLimits | None = None):
    """``(texts, how many were cut)``: every row of the text column, composed (NFC) and cut to
    ``max_text_chars`` as training is.

    Batch prediction writes the texts next to the predictions; an uncut 200 MB cell would be
    copied into the output whole, and the model reads only the start of a text anyway.
    """
    limits = limits or DataLimits()
    columns = [column] if column else table.chosen_text_columns
    missing = [c for c in columns if c not in table.frame.columns]
    if not columns or missing:
        if not columns:  # nothing was chosen: no column of this file reads as text
            raise DataError(
                f"No column of this file was taken as the text; its columns are {', '.join(map(repr, table.columns))}. "
                "Choose the column that holds the texts."
            )
        raise DataError(f"There is no text column {missing[0]!r}; the file has {table.columns}.")
    from core.text import composed

    # composed (NFC) before the cut, as the import, the Playground and the exported bundle do: cut first,
    # a decomposed text kept fewer letters here than there, and the studio's answer differed from the bundle's
    texts = [composed(t) if t is not None else "" for t in join_text_columns(table.frame, columns)]
    cut = sum(len(t) > limits.max_text_chars for t in texts)
    return [t[: limits.max_text_chars] for t in texts], cut


def _as_text(series: pd.Series) -> pd.Series:
    values = series.astype(object).where(series.notna(), None)
    return pd.Series(
        [None if v is None else (v if isinstance(v, str) else _number_to_text(v)) for v in values],
        dtype=object,
        index=series.index,
    )


def _number_to_text(value) -> str:
    if isinstance(value, (bool, np.bool_)):  # JSON's true/false, not Python's True/False
        return "true" if value else "false"
    # 1.0 read from Excel should be the label "1", not "1.0".
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------- validation


def validate(
    examples: pd.DataFrame,
    limits: DataLimits | None = None,
    require_labels: bool = True,
    table: LoadedTable | None = None,
) -> ValidationReport:
    """Check a ``text``/``label`` frame and report every problem with what to do about it.

    Errors (block training): no usable text column, no usable texts, no labels at all (when
    required), a single class, more rows than ``limits.max_rows``. Warnings (``clean`` fixes
    them): empty texts, missing labels, rare classes, duplicates, conflicting labels, long texts.
    """
    limits = limits or DataLimits()
    report = ValidationReport(n_rows=len(examples))
    if table is not None:
        report.encoding, report.file_format = table.encoding, table.file_format
        report.text_column, report.label_column = table.text_column, table.label_column
        report.text_columns = table.chosen_text_columns
    if len(examples) == 0:
        report.add("empty_file", "error", "The dataset has no rows.", "Choose a file with at least a few rows of text.")
        return report
    if len(examples) > limits.max_rows:
        report.add(
            "too_many_rows",
            "error",
            f"The dataset has {len(examples):,} rows; the limit is {limits.max_rows:,}.",
            "Sample the file down, or raise the row limit if the machine can take it (python -m core data import "
            "--max-rows N).",
            count=len(examples),
        )
    if table is not None:
        report.problems.extend(table.notes)
        _check_formulas(report, table)
    texts = examples["text"]
    present = texts.notna()
    if table is not None and table.text_column is None:
        report.add(
            "no_text_column",
            "error",
            f"No column of text was found among {table.columns}.",
            "Pick the column that holds the texts.",
        )
        return report
    blank = ~present | texts.fillna("").astype(str).str.strip().eq("")
    if blank.all():
        report.add(
            "no_text_column",
            "error",
            "The text column holds no text: every value is empty.",
            "Pick the column that holds the texts.",
            count=int(blank.sum()),
        )
        return report
    if blank.any():
        report.add(
            "empty_texts",
            "warning",
            f"{_count(int(blank.sum()), 'row has', 'rows have')} an empty or whitespace-only text.",
            "They will be dropped.",
            count=int(blank.sum()),
            # "row 4" as the file numbers its rows, else "data row 3" (the header not counted)
            examples=[
                f"{'row' if examples.index.name == FILE_ROWS else 'data row'} {n}"
                for n in row_numbers(examples, np.flatnonzero(blank.to_numpy())[:5])
            ],
        )
    if number_share(texts) >= NUMBERS_NOT_TEXT:
        report.add(
            "numbers_as_text",
            "warning",
            "The text column holds numbers (ids, scores or prices), not text"
            + (f": {report.text_column!r}." if report.text_column else "."),
            "Pick the column that holds the texts; a model learns nothing from ids.",
        )
    wordless = ~blank & ~texts.fillna("").astype(str).str.contains(_WORD_CHAR)
    if wordless[~blank].all():
        report.add(
            "no_words",
            "error",
            "No text has a letter or a digit: they are only emoji, symbols or punctuation, "
            "which gives the models nothing to learn from.",
            "Pick the column that holds the texts, or check that the file was decoded right.",
            count=int(wordless.sum()),
            examples=texts[wordless].head(5).tolist(),
        )
        return report
    if wordless.any():
        # "??????": emoji and rare characters a file lost when it was saved as GBK/ANSI, each one a "?"
        marks = texts[wordless].astype(str).str.fullmatch(r"[\s?？]*\?[\s?？]*\?[\s?？]*")
        report.add(
            "no_words",
            "warning",
            f"{_count(int(wordless.sum()), 'text has', 'texts have')} no letter or digit (only emoji, symbols or punctuation).",
            "They are kept. Every model reads their emoji; models that split text into words leave out the other "
            "symbols and the punctuation, which models that read characters (the default for Chinese and "
            "mixed-language data) read too."
            + (
                " Texts of question marks alone are often characters (emoji, rare characters) that were lost when "
                "the file was saved in an encoding that cannot hold them (GBK, ANSI): save the original as UTF-8 "
                "(in Excel: 'CSV UTF-8')."
                if marks.mean() >= 0.5
                else ""
            ),
            count=int(wordless.sum()),
            examples=texts[wordless].head(5).tolist(),
        )
    marked = ~blank & texts.fillna("").astype(str).map(has_markup)
    if int(marked.sum()) >= max(MARKUP_AT_LEAST, 0.01 * int((~blank).sum())):
        # scraped posts: "quot", "amp", "nbsp", "br" and "href" were among the vocabulary's terms, and the
        # tokens that mattered for "<b>goal</b> &amp; …" were "<", ">" and "quot"
        report.add(
            "web_markup",
            "warning",
            f"{_count(int(marked.sum()), 'text holds', 'texts hold')} web markup: tags such as <br> or <a href=…>, "
            "entities such as &amp; or &quot;. Kept as written, the models learn 'amp', 'quot', 'br' and 'href' "
            "as words.",
            "Read the markup: 'Clean web markup' on the Data page, or --strip-markup on the command line (tags go, "
            "entities become the characters they stand for).",
            count=int(marked.sum()),
            examples=texts[marked].head(5).tolist(),
        )
    scripts = other_scripts(texts[~blank & ~wordless].astype(str))
    if scripts:
        share, names = scripts
        report.add(
            "other_scripts",
            "info",
            f"{share:.0%} of the texts are written in {', '.join(names)}, which the studio has no language "
            "for: it is built for Chinese and English (and reads Japanese and Korean by character). It reads "
            "these texts as words between spaces, with the pieces inside each word; a script written without "
            "spaces (Thai, Lao, Khmer, Burmese) comes out as long phrases. Their language shows as 'other'.",
            "Compare any model with the TF-IDF baseline before trusting it: on such texts it is the surest.",
        )
    replaced = ~blank & texts.fillna("").astype(str).str.contains("\ufffd", regex=False)
    if replaced.any():  # "专家支招2009理财如何破�": lost before the file reached us, and "No problems found"
        report.add(
            "replacement_characters",
            "warning",
            f"{_count(int(replaced.sum()), 'text holds', 'texts hold')} the character '\ufffd', which stands for a "
            "character that could not be read: lost when the file was converted before, or half of an emoji cut off.",
            "They are kept as they are; the lost characters cannot be read back. If you have an earlier copy of the "
            "file, export it again as UTF-8.",
            count=int(replaced.sum()),
            examples=texts[replaced].head(5).tolist(),
        )
    lost_in_labels = sorted(
        {str(v) for v in examples["label"].dropna().astype(str) if "\ufffd" in v} if "label" in examples else set()
    )
    if lost_in_labels:  # two classes whose lost characters differed ("x\ud83d", "x\ud800") are one now
        report.add(
            "replacement_in_labels",
            "warning",
            f"{_count(len(lost_in_labels), 'class name holds', 'class names hold')} the character '\ufffd', which "
            "stands for a character that could not be read: classes that differed only there are one class now.",
            "Check the classes; if some should differ, name them in the file with characters that can be read "
            "(saved as UTF-8).",
            count=len(lost_in_labels),
            examples=lost_in_labels[:5],
        )
    # U+0080 to U+009F: never typed, but what a Mac Roman or Windows file read as latin-1 makes of its accents
    # ("Caf\x8e cr\x8fme" showed as "Caf crme"), with "No problems found". NEL (U+0085) is a line break
    # some tools write on purpose
    controls = ~blank & texts.fillna("").astype(str).str.contains("[\x80-\x84\x86-\x9f]", regex=True)
    if controls.any():
        report.add(
            "control_characters",
            "warning",
            f"{_count(int(controls.sum()), 'text holds', 'texts hold')} invisible control characters (U+0080 to "
            "U+009F) where letters should be: the file was most likely read in the wrong encoding.",
            "Leave the encoding on automatic, or choose the one the file was saved in (Mac Roman for Excel for "
            "Mac, Windows-1252 for Excel on Windows); or save the file as UTF-8 (in Excel: 'CSV UTF-8').",
            count=int(controls.sum()),
            examples=texts[controls].head(5).tolist(),
        )
    lengths = texts.fillna("").astype(str).str.len()
    long_rows = lengths > limits.max_text_chars
    from core.text import composed

    # as the save reads them: composed and cut. Two articles that differ only past the cut are one text
    # then; counted uncut, the report said "15,000 usable rows" and the save kept 14,994
    whole = examples.loc[~blank, "text"].astype(str).map(composed)
    usable = examples[~blank].assign(text=whole.str.slice(0, limits.max_text_chars))
    if long_rows.any():
        # as the save leaves them out: among labelled rows of one label (an unlabelled or conflicting one
        # goes for that reason instead)
        alike = int((_sift(examples, limits, require_labels)[1] == "repeat_after_cut").sum())
        advice = f"They will be cut to the first {limits.max_text_chars:,} characters."
        if alike:
            advice = f"They will be cut to the first {limits.max_text_chars:,} characters; " + (
                "1 of them then matches an earlier text and is left out as a repeat."
                if alike == 1
                else f"{alike:,} of them then match earlier texts and are left out as repeats."
            )
        # how much goes: 216 legal documents "longer than 10,000 characters" lost 37% of the file's text
        lost = float((lengths[long_rows] - limits.max_text_chars).sum()) / max(1.0, float(lengths.sum()))
        report.add(
            "long_texts",
            "warning",
            f"{_count(int(long_rows.sum()), 'text is', 'texts are')} longer than {limits.max_text_chars:,} characters "
            f"(longest: {int(lengths.max()):,})"
            + (f"; cut, they lose {lost:.0%} of the file's characters." if lost >= 0.01 else "."),
            advice,
            count=int(long_rows.sum()),
        )
    labels = usable["label"]
    has_label = labels.notna()
    on_purpose = usable[READ_AS_MISSING].notna() if READ_AS_MISSING in usable else pd.Series(False, usable.index)
    if on_purpose.any():
        named = usable.loc[on_purpose, READ_AS_MISSING].astype(str).value_counts()
        report.add(
            "read_as_missing",
            "info",
            f"{_count(int(on_purpose.sum()), 'row', 'rows')} of the classes read as missing "
            f"({', '.join(f'{shown_label(k)} ({v:,})' for k, v in named.head(6).items())}) "
            f"{'is' if int(on_purpose.sum()) == 1 else 'are'} left out, as rows without a label.",
            "Nothing to do; the left-out rows' file lists them with the class each had.",
            count=int(on_purpose.sum()),
        )
    if not has_label.any():
        if require_labels:
            report.add(
                "missing_labels",
                "error",
                "No row has a label"
                + (" (no label column was found)." if table is not None and not table.label_column else "."),
                "Pick the column that holds the labels (--label-col on the command line), or use the data for "
                "pretraining, which needs none: choose '(none: unlabelled)' as the label column on the Data page, "
                "or import with --unlabelled.",
                count=len(usable),
            )
        report.n_usable = len(usable.drop_duplicates("text"))
        _check_duplicates(report, usable, labelled=False)
        if not require_labels and report.n_usable < limits.min_pretrain_texts:
            report.add(
                "too_few_texts",
                "warning",
                f"Only {_count(report.n_usable, 'text', 'texts')}: pretraining needs at least "
                f"{limits.min_pretrain_texts} (it holds some out to score itself).",
                "Add more texts before pretraining on this dataset, or pretrain on a corpus of all your texts.",
                count=report.n_usable,
            )
        return report
    from core.names import MAX_LABEL_CHARS

    label_lengths = labels[has_label].astype(str).str.len()
    long_counts = labels[has_label][label_lengths > MAX_LABEL_CHARS].astype(str).value_counts()
    # a class named with a million characters was saved without a word, and every page that drew it (a
    # legend, a picker) then kept the browser busy for minutes; renaming a class allows 100 characters.
    # One stray long label (a quoting slip) is a rare class, left out with the others below.
    if (long_counts >= limits.min_class_examples).any():
        longest = labels[has_label][label_lengths == label_lengths.max()].astype(str).iloc[0]
        report.add(
            "long_labels",
            "error",
            f"{_count(int((label_lengths > MAX_LABEL_CHARS).sum()), 'row has a label', 'rows have labels')} longer "
            f"than {MAX_LABEL_CHARS} characters (longest: {int(label_lengths.max()):,}, starting "
            f"{longest[:40]!r}): a class name is a word or a few.",
            "Check that the label column is right (not a text column); shorten those labels in the file.",
            count=int((label_lengths > MAX_LABEL_CHARS).sum()),
        )
        return report
    if (~has_label & ~on_purpose).any():
        report.add(
            "missing_labels",
            "warning",
            f"{_count(int((~has_label & ~on_purpose).sum()), 'row has', 'rows have')} no label.",
            "They are left out when the dataset is saved. To pretrain on every row, import the file without "
            "labels: '(none: unlabelled)' as the label column on the Data page, or --unlabelled.",
            count=int((~has_label & ~on_purpose).sum()),
            examples=usable.loc[~has_label & ~on_purpose, "text"].head(5).tolist(),
        )
    labelled = usable[has_label]
    conflicted = _check_duplicates(report, labelled, labelled=True)
    kept = labelled[~labelled["text"].isin(conflicted)].drop_duplicates("text")
    counts = kept["label"].value_counts()
    rare = counts[counts < limits.min_class_examples]
    placeholders = placeholder_classes(kept["label"])
    if placeholders:  # before the case variants: "merge 'unknown' and 'Unknown'" was the only advice
        listed_classes = ", ".join(f"{shown_label(k)} ({counts[k]})" for k in placeholders[:6])
        report.add(
            "placeholder_classes",
            "warning",
            (
                f"Class {listed_classes} reads as 'could not label this', not as a class. Kept, it is learned and "
                "scored as a class: macro-F1 counts it, and the model learns to give it as an answer."
                if len(placeholders) == 1
                else f"Classes {listed_classes} read as 'could not label this', not as classes. Kept, they are "
                "learned and scored as classes: macro-F1 counts them, and the model learns to give them as answers."
            ),
            "If they mean 'no label', read them as missing: 'Read as missing' on the Data page, or --missing-label "
            "on the command line (their rows are left out, and listed with why).",
            count=int(kept["label"].isin(placeholders).sum()),
            examples=placeholders[:5],
        )
    sets = label_sets(kept["label"])
    if sets:
        set_variants = label_set_variants(kept["label"])
        from core.text import spelling_key

        # the parts that are classes of their own ("urgent" was named where no class of that name was)
        classes = {spelling_key(str(k)) for k in counts.index}
        parts = list(dict.fromkeys(p for name in sets[:3] for p in label_set_parts(name) if spelling_key(p) in classes))
        message = (
            f"{_count(len(sets), 'class name holds', 'class names hold')} several labels at once, as a multi-label "
            f"export writes them: {', '.join(repr(k) for k in sets[:5])}. The studio learns one class per text, so "
            f"each combination is a class of its own, learned apart from {', '.join(repr(p) for p in parts[:3])}."
        )
        if set_variants:
            same = "; ".join(" / ".join(repr(s) for s in group[:4]) for group in list(set_variants.values())[:4])
            message += f" Some are the same labels in another order or spacing: {same}."
        report.add(
            "label_sets",
            "warning",
            message,
            (
                "Merge the same labels written in another order: 'Merge label sets written in another order' on the "
                "Data page, or --merge-label-sets on the command line. To learn one label per text, keep one label "
                "in the file's column and import it again."
                if set_variants
                else "To learn one label per text, keep one label in the file's column and import it again."
            ),
            count=int(kept["label"].isin(sets).sum()),
            examples=sets[:5],
        )
    paths = path_labels(kept["label"])
    if paths:
        report.add(
            "path_labels",
            "info",
            f"{len(paths)} class names are paths in a hierarchy: "
            f"{', '.join(repr(k) for k in paths[:4])}. Each full path is a class of its own; nothing is learned "
            "from the levels the paths share.",
            "Nothing to do. To classify at a coarser level, cut the paths in the file (e.g. keep "
            f"{re.split(PATH_SEPARATOR, paths[0])[0]!r}) and import it again.",
            count=int(kept["label"].isin(paths).sum()),
            examples=paths[:5],
        )
    variants = case_variants(kept["label"])
    if variants:  # before the rare classes: a 'Pos' of one text among 'pos' is dropped as rare unless merged
        lost = [k for k in rare.index if any(k in group for group in variants.values())]
        shown = "; ".join(" / ".join(repr(s) for s in group[:4]) for group in list(variants.values())[:5])
        # full-width letters (ｆｏｏｄ) come from Chinese and Japanese input methods: say so, or
        # "differ only in capital letters" reads as wrong beside 'ｆｏｏｄ' / 'food'
        by_case = all(len({s.casefold() for s in group}) == 1 for group in variants.values())
        how = "capital letters" if by_case else "capital letters or full-width letters"
        report.add(
            "case_variants",
            "warning",
            f"{sum(len(g) for g in variants.values())} class names differ only in {how}: {shown}. "
            "They are kept as separate classes."
            + (
                f" Unmerged, {', '.join(shown_label(k) for k in lost[:5])} "
                f"{'has' if len(lost) == 1 else 'have'} too few examples and will be dropped."
                if lost
                else ""
            ),
            "If they are one class, merge them: 'Merge classes that differ only in capitals' on the Data page, "
            "or --merge-case on the command line (each takes its most frequent spelling).",
            count=int(kept["label"].isin([s for g in variants.values() for s in g]).sum()),
            examples=list(variants)[:5],
        )
    if len(rare):
        report.add(
            "rare_classes",
            "warning",
            f"{_count(len(rare), 'class has', 'classes have')} fewer than {limits.min_class_examples} examples: "
            + ", ".join(f"{shown_label(k)} ({v})" for k, v in rare.head(10).items()),
            "They will be dropped; add examples to keep them.",
            count=int(rare.sum()),
            # the texts that will be dropped: the class names are already in the message
            examples=kept.loc[kept["label"].isin(rare.index[:5]), "text"].head(5).tolist(),
        )
    enough = 2 * limits.min_class_examples  # two classes, each with the fewest examples kept
    if len(kept) >= ID_LIKE_ROWS and int(counts.max()) == 1:
        # an id column picked as the label: "only 0 usable classes" and "300 classes have fewer than 2
        # examples: '1000' (1), '1001' (1)…" never said what was wrong with the column
        report.problems = [p for p in report.problems if p.code != "rare_classes"]
        report.add(
            "label_all_distinct",
            "error",
            f"Every value of the label column {report.label_column or 'label'!r} is different ({len(kept):,} "
            f"values in {len(kept):,} rows): it looks like an id or a free-text column, not classes.",
            "Pick the column that holds the classes, or use the texts for pretraining: choose "
            "'(none: unlabelled)' as the label column on the Data page, or import with --unlabelled.",
            count=len(kept),
            examples=[str(v) for v in kept["label"].head(3)],
        )
        report.class_counts = {}
        report.n_usable = 0
        return report
    if len(kept) < enough and not (counts >= limits.min_class_examples).any():
        # "only 0 usable classes" would hide the real problem: too few rows
        report.problems = [p for p in report.problems if p.code != "rare_classes"]
        report.add(
            "too_few_rows",
            "error",
            f"Only {_count(len(kept), 'labelled row', 'labelled rows')}"
            # 400 labelled rows of four texts repeated with other labels: "Only 0 labelled rows" read as wrong
            + (
                f" once the repeated texts and those with conflicting labels are set aside (of {len(labelled):,} "
                "labelled rows read)"
                if len(labelled) > len(kept)
                else ""
            )
            + ": too few to train a classifier.",
            f"A classifier needs at least {enough} labelled rows: two classes with "
            f"{limits.min_class_examples} examples each. Add rows, or use the texts for pretraining.",
            count=len(kept),
        )
        report.class_counts = {str(k): int(v) for k, v in counts.items()}
        report.n_usable = len(kept)
        return report
    final = counts[counts >= limits.min_class_examples]
    report.class_counts = {str(k): int(v) for k, v in final.items()}
    report.n_usable = int(final.sum())
    if len(final) > limits.max_classes:
        report.add(
            "too_many_classes",
            "error",
            f"The label column has {len(final):,} classes; the limit is {limits.max_classes:,}. "
            f"That is {report.n_usable / len(final):.1f} examples per class on average.",
            "Check that the label column is right (not an id or a free-text column), merge rare classes, "
            "or raise the limit (DataLimits.max_classes).",
            count=len(final),
        )
    elif len(final) > limits.warn_classes:
        report.add(
            "many_classes",
            "warning",
            f"The label column has {len(final):,} classes, {report.n_usable / len(final):.1f} examples each "
            "on average: accuracy will be low and per-class plots show only the largest classes.",
            "Check that the label column is right; merging rare classes helps.",
            count=len(final),
        )
    if len(final) < 2:
        only = f" ({final.index[0]!r})" if len(final) == 1 else ""
        report.add(
            "single_class",
            "error",
            f"The label column {report.label_column or 'label'!r} has "
            + ("no usable class" if not len(final) else f"only {len(final)} usable class{only}")
            + "; "
            "a classifier needs at least two.",
            "Pick another label column, add examples of other classes, or use the data for pretraining: "
            "choose '(none: unlabelled)' as the label column on the Data page, or import with --unlabelled.",
            count=len(final),
        )
    elif final.max() >= IMBALANCED_RATIO * final.min():
        # a fraud set of 45 in 2,995 saved with "No problems found", and a model that never once answered
        # fraud was "Done: test accuracy 0.9850" in green
        big, small = str(final.idxmax()), str(final.idxmin())
        report.add(
            "imbalanced",
            "info",
            f"The classes are far from balanced: {shown_label(big)} has {int(final.max()):,} examples and "
            f"{shown_label(small)} {int(final.min()):,} ({final.max() / final.min():.0f} to 1). Always answering "
            f"{shown_label(big)} would be right on {100 * final.max() / final.sum():.1f}% of the texts, so accuracy "
            "says little here: read macro-F1 and each class's recall on Evaluate.",
            "To give the small classes more weight, train with 'Weight classes by rarity' (Advanced training "
            "settings; --train-set class_weights=true on the command line).",
            count=int(final.min()),
        )
    return report


FEW_PER_CLASS = 50  # labelled texts per class under which a model learns little, whatever its family


def _byte_limit(limits: DataLimits) -> int:
    """``limits.max_file_mb`` in bytes; no limit (``inf``, a file of this machine searched as it is) is the
    largest size there is: "cannot convert float infinity to integer" refused a workbook as damaged."""
    return int(limits.max_file_mb * 1e6) if math.isfinite(limits.max_file_mb) else sys.maxsize - 1


def few_examples_note(class_counts: dict | None) -> str | None:
    """A word when the classes have few examples each (None otherwise): 40 rows saved with "No problems
    found" trained models that scored 0.50 on two classes, and nothing had said that 40 is too few."""
    counts = class_counts or {}
    if len(counts) < 2 or min(counts.values()) >= FEW_PER_CLASS:
        return None
    return (
        f"The smallest class has {min(counts.values()):,} example(s): enough to try the studio, too few for a model "
        "worth using. Expect rough scores that change from one split to the next; a few hundred labelled texts per "
        "class is a good start, and the TF-IDF baseline copes best with few."
    )


def shown_label(label: object) -> str:
    """A class name quoted for a message, its first 40 characters where it is longer."""
    text = str(label)
    return repr(text) if len(text) <= 40 else repr(text[:40]) + "…"


ID_LIKE_ROWS = 20  # rows from which a label column with no value twice is taken for an id column


def _check_formulas(report: ValidationReport, table: LoadedTable) -> None:
    """Formulas never calculated in the columns chosen (``LoadedTable.formulas``): "=A2&B2" was stored as
    120 training texts under "No problems found". Counted in the table's rows, so a formula in a title
    row above it, or in a column picked away from, says nothing."""
    chosen = [*table.chosen_text_columns, *([table.label_column] if table.label_column else [])]
    found = {
        column: table.frame[column].isin(table.formulas[column])
        for column in chosen
        if column in table.formulas and column in table.frame
    }
    counts = {column: int(mask.sum()) for column, mask in found.items() if mask.any()}
    if not counts:
        return
    column = max(counts, key=counts.get)
    example = str(table.frame[column][found[column]].iloc[0])
    report.add(
        "uncalculated_formulas",
        "warning",
        f"{counts[column]:,} cell(s) of column {column!r} are formulas that were never calculated (the workbook was "
        f"written by a program, not saved by a spreadsheet), so they are read as their formulas ({example[:60]!r}), "
        "not as their values.",
        "Open the workbook in Excel or LibreOffice and save it: the cells then hold their values. Or pick another "
        "column.",
        count=counts[column],
    )


def _check_duplicates(report: ValidationReport, frame: pd.DataFrame, labelled: bool) -> set[str]:
    """Report duplicate texts and (when labelled) texts with conflicting labels."""
    dup_mask = frame["text"].duplicated(keep="first")
    conflicted: set[str] = set()
    if labelled:
        per_text = frame.groupby("text")["label"].nunique()
        conflicted = set(per_text[per_text > 1].index)
        if conflicted:
            report.add(
                "conflicting_labels",
                "warning",
                f"{_count(len(conflicted), 'text appears', 'texts appear')} with different labels.",
                "All copies of these texts will be dropped; fix their labels to keep them.",
                count=len(conflicted),
                examples=sorted(conflicted)[:5],
            )
    repeats = dup_mask & ~frame["text"].isin(conflicted)  # a conflicting text is dropped whole, said above
    dups = int(repeats.sum())
    if dups:
        report.add(
            "duplicate_texts",
            "warning",
            f"{_count(dups, 'row repeats', 'rows repeat')} a text seen earlier.",
            "Only the first copy is kept, so the test split cannot contain training texts.",
            count=dups,
            examples=frame.loc[repeats, "text"].drop_duplicates().head(5).tolist(),  # each repeated text once
        )
    return conflicted


def clean(examples: pd.DataFrame, limits: DataLimits | None = None, require_labels: bool = True) -> pd.DataFrame:
    """Apply the fixes ``validate`` promises; returns a new frame (the input is untouched).

    Raises DataError with the report when errors remain.
    """
    limits = limits or DataLimits()
    report = validate(examples, limits, require_labels=require_labels)
    if not report.ok:
        raise DataError(report.format(), report=report)
    return sift(examples, limits, require_labels)[0]


# why a row is left out, in the words of the left-out rows' file (``ui`` translates them as core messages)
LEFT_OUT_WHY = {
    "no_text": "no text",
    "no_label": "no label",
    "read_as_missing": "its class was read as missing (no label)",
    "conflicting_labels": "the same text has other labels in other rows",
    "repeat": "repeats an earlier row",
    "repeat_after_cut": "repeats an earlier row in its first {n} characters (longer texts are cut there)",
    "rare_class": "its class has too few examples",
}
LEFT_OUT_REASONS = tuple(LEFT_OUT_WHY)


def left_out_why(reason: str, limits: DataLimits | None = None) -> str:
    """Why a row was left out (one of ``LEFT_OUT_REASONS``), in words."""
    return LEFT_OUT_WHY[reason].format(n=f"{(limits or DataLimits()).max_text_chars:,}")


def left_out(examples: pd.DataFrame, limits: DataLimits | None = None, require_labels: bool = True) -> pd.DataFrame:
    """The rows ``clean`` leaves out (``sift``'s second frame)."""
    return sift(examples, limits, require_labels)[1]


def sift(
    examples: pd.DataFrame, limits: DataLimits | None = None, require_labels: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(the rows clean keeps, the rows it leaves out)``, without validating first (``clean`` does).

    The rows left out are in file order: ``row`` (``row_numbers``: the file's own where known),
    ``text``, ``label`` and ``reason`` (one of ``LEFT_OUT_REASONS``). The health report counts them; a user fixing the
    file needs every one of them, not three examples cut at 60 characters.
    """
    kept, reasons = _sift(examples, limits or DataLimits(), require_labels)
    rows = examples.loc[reasons.index]
    numbers = row_numbers(examples, examples.index.get_indexer(reasons.index))
    out = pd.DataFrame(
        {
            "row": numbers if len(reasons) else pd.Series([], dtype=int),
            "text": pd.Series(rows["text"].tolist(), dtype=object),
            # a class read as missing is listed with the class it had
            "label": pd.Series(
                [
                    None if v is None or v != v else v
                    for v in (
                        rows["label"].where(rows["label"].notna(), rows[READ_AS_MISSING])
                        if READ_AS_MISSING in rows
                        else rows["label"]
                    )
                ],
                dtype=object,
            ),
            "reason": reasons.tolist(),
        }
    )
    # each kept row's number in the file, stored with it: a mistake or a search result can then be found
    # and fixed in the user's own file (numbered as the left-out rows' file is)
    kept = kept.assign(**{FILE_ROW: row_numbers(examples, examples.index.get_indexer(kept.index))})
    return kept.reset_index(drop=True), out.sort_values("row", kind="stable").reset_index(drop=True)


def _sift(examples: pd.DataFrame, limits: DataLimits, require_labels: bool) -> tuple[pd.DataFrame, pd.Series]:
    """``(the rows kept, texts composed and cut; why each other row was left out, by its index)``."""
    frame = examples.copy()
    from core.text import composed

    reasons: dict = {}

    def drop(mask: pd.Series, reason: str) -> None:
        nonlocal frame
        for index in frame.index[mask.to_numpy()]:
            reasons[index] = reason
        frame = frame[~mask]

    # composed (NFC): the same words typed on another system match, as live texts are composed too
    frame["text"] = frame["text"].fillna("").astype(str).map(composed)
    drop(frame["text"].str.strip().eq(""), "no_text")
    whole = frame["text"]
    frame["text"] = frame["text"].str.slice(0, limits.max_text_chars)
    if require_labels or frame["label"].notna().any():
        labelled = frame[frame["label"].notna()]
        if require_labels:
            if READ_AS_MISSING in frame:
                drop(frame["label"].isna() & frame[READ_AS_MISSING].notna(), "read_as_missing")
            drop(frame["label"].isna(), "no_label")
        per_text = labelled.groupby("text")["label"].nunique()
        drop(frame["text"].isin(set(per_text[per_text > 1].index)), "conflicting_labels")
    repeat = frame.duplicated("text", keep="first")
    # an article that differs from an earlier one only past the cut: "repeats an earlier row" read as wrong
    cut_only = repeat & ~whole.loc[frame.index].duplicated(keep="first")
    drop(repeat & ~cut_only, "repeat")
    drop(cut_only.loc[frame.index], "repeat_after_cut")
    if require_labels:
        counts = frame["label"].value_counts()
        drop(~frame["label"].isin(counts[counts >= limits.min_class_examples].index), "rare_class")
    return frame, pd.Series(reasons, dtype=object)


# --------------------------------------------------------------------------- splitting


@dataclass
class SplitConfig:
    """Shares of the validation and test splits, and the seed that makes them repeatable."""

    val_fraction: float = 0.1
    test_fraction: float = 0.2
    seed: int = 13

    def __post_init__(self) -> None:
        if not (0 <= self.val_fraction < 1 and 0 <= self.test_fraction < 1):
            raise ValueError("split fractions must be in [0, 1)")
        if self.val_fraction + self.test_fraction >= 0.9:
            raise ValueError("validation + test must leave at least 10% of the data for training")

    @classmethod
    def default_for(cls, labelled: bool) -> SplitConfig:
        """The shares a new dataset starts with, on the Data page and the command line alike: unlabelled
        texts are for pretraining, which learns on the training share and scores on the validation share,
        so none are kept out for a test (a test share of 0.2 kept a fifth of them out for nothing but maps)."""
        return cls() if labelled else cls(test_fraction=0.0)


def stratified_split(labels: Sequence, config: SplitConfig | None = None) -> np.ndarray:
    """Assign each row to ``train``/``val``/``test``, per class, with a fixed seed.

    Unlabelled rows (None) are split as one group. Every class with at least 3 examples gets
    one or more rows in each non-empty split; a class of 2 puts one in test, one in train.
    """
    config = config or SplitConfig()
    rng = np.random.default_rng(config.seed)
    labels = pd.Series(list(labels), dtype=object).fillna("\x00unlabelled")
    out = np.full(len(labels), "train", dtype=object)
    for _, idx in sorted(labels.groupby(labels).indices.items(), key=lambda kv: str(kv[0])):
        idx = rng.permutation(idx)
        n = len(idx)
        n_test = int(round(n * config.test_fraction))
        n_val = int(round(n * config.val_fraction))
        if config.test_fraction > 0 and n >= 2:
            n_test = max(1, n_test)
        if config.val_fraction > 0 and n >= 3:
            n_val = max(1, n_val)
        while n_test + n_val > n - 1 and (n_test or n_val):  # keep at least one for training
            if n_val >= n_test and n_val:
                n_val -= 1
            else:
                n_test -= 1
        out[idx[:n_test]] = "test"
        out[idx[n_test : n_test + n_val]] = "val"
    return out


def kept_split(
    texts: Sequence[str], labels: Sequence, earlier: pd.DataFrame, config: SplitConfig
) -> tuple[np.ndarray, int, int]:
    """``(splits, kept, moved)``: each text found in ``earlier`` (a stored dataset: ``text`` and ``split``)
    keeps its split there; the others are split as ``stratified_split`` splits them among themselves, so
    ``config``'s shares apply to the new texts only. ``kept`` counts the texts that kept theirs.

    A class left with no test text (its texts all kept a training split, or a fixed label made a new
    class) gets one from its training texts, and one for validation where it has three or more, as
    ``stratified_split`` gives every class: ``moved`` counts them.

    A file imported again after its labels were fixed was split afresh: one label changed moved 84 of
    425 test texts, sorting the rows moved 347, and the before-and-after scores were on other texts.
    """
    known = dict(zip(earlier["text"].astype(str), earlier["split"].astype(str)))
    texts = [str(text) for text in texts]
    labels = list(labels)
    out = np.array([known.get(text, "") for text in texts], dtype=object)
    new = np.flatnonzero(out == "")
    if len(new):
        out[new] = stratified_split([labels[i] for i in new], config)
    moved = 0
    for rows in pd.Series(range(len(labels))).groupby([str(label) for label in labels]).groups.values():
        rows = np.asarray(rows)
        for part, wanted, least in (("test", config.test_fraction, 2), ("val", config.val_fraction, 3)):
            training = rows[out[rows] == "train"]
            if wanted > 0 and len(rows) >= least and not (out[rows] == part).any() and len(training) > 1:
                out[training[-1]] = part  # the last in file order: the newest rows, where there are new ones
                moved += 1
    return out, len(texts) - len(new), moved
