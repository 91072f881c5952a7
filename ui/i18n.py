"""The UI language: English or Chinese, kept in the URL (``?lang=zh``), by default the browser's.

Every string the studio shows goes through ``t``: the English text is the key, and
``ui/locales/zh`` maps it to Chinese. ``t("{n:,} rows", n=5)`` formats after translating,
so a translation moves the placeholders where Chinese wants them. User text (texts, labels,
names) never goes through ``t``: it is data, shown as typed.

Strings that never show (ids, keys, CSS) are left alone. A string missing from the catalogue
is shown in English and recorded in ``MISSING``; the tests walk every page in Chinese and
fail on any entry there.
"""

from __future__ import annotations

import re
import string
import unicodedata
from functools import cache

import streamlit as st

PARAM = "lang"
LANGUAGES = {"en": "English", "zh": "中文"}
MISSING: set[str] = set()  # English strings asked for in Chinese with no translation (tests read it)
MISSING_AT_MOST = 1000  # a server up for days: messages hold run and file names, so each one is new


def _missing(key: str) -> None:
    """Record ``key`` as untranslated; a long-running server keeps at most ``MISSING_AT_MOST`` of them."""
    if len(MISSING) < MISSING_AT_MOST:
        MISSING.add(key)


def _catalogue(lang: str) -> dict[str, str]:
    if lang == "zh":
        from ui.locales.zh import STRINGS

        return STRINGS
    return {}


def browser_language() -> str:
    """``zh`` when the browser prefers Chinese, else ``en`` (outside a session: ``en``)."""
    try:
        locale = st.context.locale or ""
    except Exception:  # no browser (a bare script or a test without a session)
        return "en"
    return "zh" if str(locale).lower().startswith("zh") else "en"


def lang() -> str:
    """The language of this session: the URL's ``lang`` when valid, else the browser's."""
    try:
        chosen = st.query_params.get(PARAM)
    except Exception:  # no script run (a chart built in a test): English
        return "en"
    return chosen if chosen in LANGUAGES else browser_language()


# Streamlit's file uploader writes "Upload" and "200MB per file • CSV, …" itself, in English, with
# no parameter to change them (streamlit/streamlit#13500): in Chinese a fixed stylesheet draws
# Chinese in their place. It drops the list of file types, which every uploader's label or the
# text above it names already. Headings get Chinese line breaking too.
_STYLE_ZH = """
<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: "上传"; font-size: 0.875rem;
}
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after { content: "每个文件最多 %d MB"; font-size: 0.875rem; }
/* a heading breaks at its spaces (" · "), not inside a word: "运行中" split into "运行" and "中" */
[data-testid="stMain"] h1, [data-testid="stMain"] h2, [data-testid="stMain"] h3 {
  word-break: keep-all; overflow-wrap: anywhere;
}
</style>
"""


HTML_LANG = {"en": "en", "zh": "zh-Hans"}  # the <html lang> of each language of the pages


def apply_style() -> None:
    """The page's language on its ``<html>`` element; in Chinese, Streamlit's own English in the file uploader
    drawn in Chinese, and headings broken between words (a fixed stylesheet)."""
    if lang() == "zh":
        st.html(_STYLE_ZH % int(st.get_option("server.maxUploadSize")))
    # the page's language, for a screen reader's pronunciation: the Chinese pages were marked English. A fixed
    # script of one fixed word (no user text): st.html runs it only when told to
    # (its element is hidden by the studio's stylesheet, ui.boot: a script's element took a row of the page)
    st.html(
        f'<span class="es-lang"></span><script>document.documentElement.lang = {HTML_LANG[lang()]!r};</script>',
        unsafe_allow_javascript=True,
    )


def t(text: str, *, context: str = "", **values) -> str:
    """``text`` in the session's language, formatted with ``values``.

    ``context`` keeps apart one English word with two meanings (the form field "precision", a
    number format, is not the metric): its entries are keyed ``"context|text"``.
    """
    out = text
    if lang() != "en":
        catalogue = _catalogue(lang())
        out = catalogue.get(f"{context}|{text}") if context else None
        out = out if out is not None else catalogue.get(text)
        if out is None:
            _missing(f"{context}|{text}" if context else text)
            out = text
    if values and lang() == "zh" and out is not text:
        return spaced_format(out, values)
    return out.format(**values) if values else out


_HAN = re.compile(r"[\u3400-\u9fff]")
_FULL_WIDTH = set("（），。：；！？、“”《》")
_LATIN = re.compile(r"[A-Za-z]")


def _join(left: str, right: str, value_follows: bool = False) -> str:
    """Two pieces of Chinese text joined as Chinese is set: no space between two Han characters, one
    between a Han character and a Latin letter. Markdown's bold markers at the junction are looked
    through: "真实类别为 **" and "正面" read "真实类别为 **正面" with a space that "sports" needs and 正面 not.

    ``value_follows``: ``right`` is a value and ``left`` ends with the template's text (else ``right`` is
    the template's text after a value), which tells a template's own bold markers from a bold value's."""
    opening = "**" if left.endswith("**") else ""  # a template's literal ends where a bold value starts
    closing = "**" if right.startswith("**") else ""  # and starts where it ends
    head, sep, tail = _junction(left[: len(left) - len(opening)], right[len(closing) :])
    # Markdown closes bold after punctuation only before a space or punctuation, and opens it before
    # punctuation only after one: "由运行 **Transformer（mini）**微调而来" showed its asterisks. Only the
    # template's own markers: a value bold already ("**中文集成**" after "：") read "：** 中文集成".
    if not sep and head and tail and (closing and not value_follows) and _is_punctuation(head[-1]):
        sep = " " if _is_word(tail[0]) else ""
    if not sep and head and tail and (opening and value_follows) and _is_punctuation(tail[0]) and _is_word(head[-1]):
        sep = " "
    return head + closing + sep + opening + tail


def _is_punctuation(char: str) -> bool:
    """Punctuation or a symbol, as CommonMark counts them when it decides where bold starts and ends."""
    return unicodedata.category(char)[0] in "PS"


def _is_word(char: str) -> bool:
    return not char.isspace() and not _is_punctuation(char)


def _junction(left: str, right: str) -> tuple[str, str, str]:
    """``(left, separator, right)`` with the spaces at their meeting point set as ``_join`` explains."""
    if not left or not right:
        return left, "", right
    # full-width punctuation carries its own space: "Transformer（tiny） 与" read as a slip
    if right.startswith(" ") and left[-1] in _FULL_WIDTH and not right.lstrip(" ").startswith("\n"):
        return left, "", right.lstrip(" ")  # (two spaces before a newline are Markdown's line break: kept)
    if left.endswith(" ") and right[0] in _FULL_WIDTH:
        return left.rstrip(" "), "", right
    if left.endswith(" ") and len(left) > 1 and _HAN.match(left[-2]) and _HAN.match(right[0]):
        return left[:-1], "", right
    if right.startswith(" ") and len(right) > 1 and _HAN.match(right[1]) and _HAN.match(left[-1]):
        return left, "", right[1:]
    if (_HAN.match(left[-1]) and _LATIN.match(right[0])) or (_LATIN.match(left[-1]) and _HAN.match(right[0])):
        return left, " ", right
    return left, "", right


def sentences(*parts: str) -> str:
    """Sentences (each already in the session's language) one after the other: a space between
    English ones, none after a Chinese full stop ("…分类错误。 列出了…")."""
    parts = [part for part in parts if part]
    return ("" if lang() == "zh" else " ").join(parts)


def spaced_format(template: str, values: dict) -> str:
    """``template.format(**values)`` with the spacing fixed where a value meets the template's text.

    A template spaces its fields for Latin values ("使用 {run} 的编码器"); a Chinese name then read
    "使用 中文集成 的编码器", and a Latin one met Han text with no space ("分词的TF-IDF")."""
    formatter = string.Formatter()
    out = ""
    for literal, field, spec, conversion in formatter.parse(template):
        out = _join(out, literal)
        if field is None:
            continue
        value = formatter.get_field(field, (), values)[0]
        value = formatter.convert_field(value, conversion) if conversion else value
        out = _join(out, formatter.format_field(value, spec or ""), value_follows=True)
    return out


# the language codes the data carries (core.text.detect_language), as words a reader knows
LANGUAGE_WORDS = {
    "zh": "Chinese",
    "en": "English",
    "ja": "Japanese",
    "ko": "Korean",
    "mixed": "mixed",
    "other": "other",
}


def language_name(code: str) -> str:
    """A language code (``zh``) as the word for it (``Chinese``, ``中文``); an unknown code as it is."""
    return t(LANGUAGE_WORDS[code]) if code in LANGUAGE_WORDS else code


def listed(items) -> str:
    """Items joined as the session's language lists them: ``a, b, c`` or ``甲、乙、丙``."""
    return ("、" if lang() == "zh" else ", ").join(str(item) for item in items)


def headers(*columns: str) -> dict[str, str]:
    """``column_config`` for a table whose column names are shown translated (the data stays as it is)."""
    return {column: t(column) for column in columns}


def header(word: str, key: str) -> str:
    """A column header: ``word`` in English, else ``key``'s translation (the bare word is another entry's key)."""
    return word if lang() == "en" else t(key)


def prediction_headers(columns, labels) -> dict[str, str]:
    """``column_config`` for a table of batch predictions: its own columns (text, prediction, confidence,
    ``p_<class>``, each maybe ``…_predicted``) named in the session's language; the file's columns as they are.
    The page's download is headed so too; the command line's file keeps the English names a script expects."""
    if lang() == "en":
        return {}  # the names of the download itself
    probability_columns = {f"p_{label}": label for label in labels}
    names = {}
    columns = list(columns)
    for column in columns:
        if f"{column}_predicted" in columns:
            continue  # the file's own column of that name: the model's is the one renamed
        if column in probability_columns:  # a label may itself end in "_predicted"
            names[column] = t("p({label})", label=probability_columns[column])
            continue
        predicted = column.endswith("_predicted")
        base = column.removesuffix("_predicted")
        if base in ("text", "prediction", "confidence"):
            name = t(base)
        elif base in probability_columns:
            name = t("p({label})", label=probability_columns[base])
        else:
            continue
        names[column] = t("{column} (the model's)", column=name) if predicted else name
    return names


def headed_in_language(data: bytes, labels) -> bytes:
    """The predictions file with its own columns named as the table above names them, in the page's
    language (the mistakes file of Evaluate is too): a Chinese page's download said "prediction,
    confidence". The command line's file keeps the English names a script expects."""
    import io

    import pandas as pd

    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    names = prediction_headers(frame.columns, labels)
    if not names:
        return data
    # a file downloaded here and classified again holds "预测" already: the model's own is told apart
    kept = {column for column in frame.columns if column not in names}
    for column, name in list(names.items()):
        if name in kept or list(names.values()).count(name) > 1:
            names[column] = t("{column} (the model's)", column=name)
    # the cells stay as written (dtype=str: 0123 and NA as they were, formulas escaped already)
    return frame.rename(columns=names).to_csv(index=False).encode("utf-8")


def prediction_table_config(frame, labels) -> dict:
    """``column_config`` for a preview of batch predictions: ``prediction_headers``' names, and the
    model's confidence and probabilities to 4 decimals (a raw float ran to 0.0000000000000000000005
    and pushed the other columns off the table)."""
    names = prediction_headers(frame.columns, labels)
    model_numbers = {f"p_{label}" for label in labels} | {"confidence"}
    config: dict = dict(names)
    for column in frame.columns:
        base = column if column in model_numbers else column.removesuffix("_predicted")
        if base not in model_numbers or f"{column}_predicted" in frame.columns:
            continue  # the file's own column of that name stays as the file has it
        if str(frame[column].dtype).startswith("float"):
            config[column] = st.column_config.NumberColumn(names.get(column, column), format="%.4f")
    return config


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a template (their format specs left out)."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def switch() -> None:
    """The sidebar's language picker; the choice goes into the URL."""
    current = lang()
    st.session_state["language_picker"] = current
    st.segmented_control(
        t("Language"),
        list(LANGUAGES),
        format_func=LANGUAGES.get,
        key="language_picker",
        on_change=_pick,
        label_visibility="collapsed",
    )


def _pick() -> None:
    chosen = st.session_state.get("language_picker")
    if chosen in LANGUAGES:
        st.query_params[PARAM] = chosen
        redraw_choices()


def redraw_choices() -> None:
    """Set every kept choice (a str or a list: pickers, boxes) to itself, so the browser draws it anew.

    A keyed picker keeps showing the label it had: after a switch to Chinese, Text encoding still read
    "automatic" above a list offering "自动". A value set through the session state is sent again and
    drawn with the new labels. Only strings, numbers and non-empty lists of strings are touched: buttons
    (bools), uploads, table selections (dicts) cannot be set, and Streamlit would refuse them when
    the widget is drawn (a multi-file upload holds a list, of files or empty).
    """
    for key in list(st.session_state):
        value = st.session_state[key]
        # numbers too (a layer picked by its index, "layer 1"): a bool is a button's, never set
        number = isinstance(value, int | float) and not isinstance(value, bool)
        chosen = (
            isinstance(value, str)
            or number
            or (isinstance(value, list) and value and all(isinstance(item, str) for item in value))
        )
        if key != "language_picker" and chosen:
            st.session_state[key] = value


@cache
def _message_patterns(lang: str) -> list[tuple[re.Pattern, str]]:
    """The catalogue's message templates as regular expressions, longest first."""
    if lang != "zh":
        return []
    from ui.locales.zh.messages import MESSAGES

    patterns = []
    for english, translated in MESSAGES.items():
        regex, seen = "", set()
        for literal, field, _spec, _conv in string.Formatter().parse(english):
            regex += re.escape(literal)
            if field is not None:
                name = re.sub(r"\W", "_", field)
                regex += f"(?P={name})" if name in seen else f"(?P<{name}>.+?)"
                seen.add(name)
        patterns.append((re.compile(regex + r"\Z", re.DOTALL), translated))
    return sorted(patterns, key=lambda p: -len(p[0].pattern))


# template fields whose values are words core writes in English: translated with the message
_VALUE_WORDS = {
    "state": {s: s for s in ("queued", "running", "done", "stopped", "failed", "interrupted", "unknown")},
    "kind": {
        "project": "map",
        "evaluate": "evaluation",
        "predict": "batch prediction",
        "search": "search index",
        "shift": "before-and-after map",
        "score": "scoring",
        "side": "side",
        # as core.registry names them in a refusal (SIDE_JOB_WORDS)
        **{
            w: w
            for w in (
                "map",
                "checkpoint evaluation",
                "batch prediction",
                "search index",
                "before-and-after map",
                "scoring",
            )
        },
    },
    # a delimited file's field separator, in words
    **{field: {w: w for w in ("comma", "semicolon", "tab", "bar")} for field in ("chosen", "detected")},
}


def tm(message: object) -> str:
    """A message made in ``core`` (an error, a health-report finding), in the session's language.

    ``core`` never imports Streamlit and writes English; the catalogue holds its sentences as
    templates (``"{n} rows have no text."``), matched against the finished message, and the
    values found go into the translation. A message no template matches is shown in English
    and recorded in ``MISSING``.
    """
    text = str(message)
    if lang() == "en" or not text:
        return text
    for pattern, translated in _message_patterns(lang()):
        match = pattern.match(text)
        if match:
            values = match.groupdict()
            for field, words in _VALUE_WORDS.items():  # a run's state or a job's kind is a word, not data
                if values.get(field) in words:
                    values[field] = t(words[values[field]])
            # a cause inside the message ("could not be loaded (shorter than a header)") has words of its own
            for field in ("error", "kind"):
                if values.get(field) and values[field] != text:
                    values[field] = _translated(values[field]) or values[field]
            # rebuilt piece by piece: the values are already formatted, so specs and conversions are ignored
            return "".join(
                literal + (values.get(re.sub(r"\W", "_", field), "") if field is not None else "")
                for literal, field, _spec, _conv in string.Formatter().parse(translated)
            )
    _missing(f"message|{text}")
    return text


def _translated(text: str) -> str | None:
    """``text`` in the session's language where a template or a catalogue entry knows it; None otherwise
    (and nothing is recorded as missing: the caller shows the value as it came)."""
    found = _catalogue(lang()).get(text) if text else None
    if found:
        return found
    for pattern, _translated_template in _message_patterns(lang()):
        if pattern.match(text):
            return tm(text)
    return None


def read_error(file_name: str, error: object) -> str:
    """ "Could not read …" for an upload, naming the file once: most of core's reading errors name it already."""
    from ui.safe_text import md

    message = md(tm(error))
    problems = getattr(getattr(error, "report", None), "problems", None) or []
    if lang() != "en" and len(problems) == 1:
        # a finding and its fix, each with a template: matched as one string, the fix stayed English
        pieces = [problems[0].message, problems[0].fix]
        translated = [_translated(piece) if piece else "" for piece in pieces]
        if all(zh is not None for zh in translated):
            message = md(sentences(*translated))
    if file_name and file_name in str(error):  # "Could not read empty.csv. empty.csv is empty." said it twice,
        return message  # and "Could not read the file. empty.csv is empty." said it was not read: it was
    return t("**Could not read {file}.** {error}", file=md(file_name), error=message)


def unsigned_zero(value: float, digits: int) -> float:
    """``value`` rounded so that a tiny negative number prints as 0.00, not "-0.00"."""
    return round(float(value), digits) + 0.0


def whole_percents(counts: list[int]) -> list[int]:
    """Shares of ``counts`` in whole percents that add up to 100 (largest remainders round up): 34/5/10
    rounded one by one read "69 / 10 / 20 %", and a reader looked for the missing percent."""
    total = sum(counts)
    if not total:
        return [0] * len(counts)
    exact = [100 * n / total for n in counts]
    shares = [int(x) for x in exact]
    for i in sorted(range(len(counts)), key=lambda i: exact[i] - shares[i], reverse=True)[: 100 - sum(shares)]:
        shares[i] += 1
    return shares


def percent_text(share: float) -> str:
    """A share as a whole percentage that reads 100% (or 0%) only when it is: a mistake made with
    0.995 confidence showed "(100%)"."""
    share = float(share)
    if 0.99 <= share < 1:
        return f"{int(share * 1000) / 10:.1f}%"
    if 0 < share < 0.01:
        return f"{max(0.1, round(share * 100, 1)):.1f}%"
    return f"{share:.0%}"


CONFIDENCE_FORMAT = "%.1f%%"  # a table's column of ``confidence_percent`` values


def confidence_percent(confidences):
    """Confidences (0-1, a Series or an array) as percentages rounded down to a tenth, for a table whose
    column is formatted ``CONFIDENCE_FORMAT``: 0.99991 is 99.9%, as ``percent_text`` says it beside the
    table. The tables showed "1.000" for it, under a picker that read "(99.9%)"."""
    import numpy as np

    # the small step up: stored as float32, 0.9 is 0.89999998 and read 89.9% beside a picker's 90%
    return np.floor(np.asarray(confidences, dtype=float) * 1000 + 1e-4) / 10


def estimate_text(seconds: float) -> str:
    """A time left as an estimate reads: to 5 s under a minute, 10 s under ten minutes, then whole minutes.
    To the second ("about 2 min 26 s", then "about 2 min 13 s") it twitched at every refresh."""
    seconds = max(0.0, float(seconds))
    step = 5 if seconds < 60 else 10 if seconds < 600 else 60
    return duration_text(max(step, round(seconds / step) * step))


def duration_text(seconds: float, decimals: int = 0) -> str:
    """A length of time as a reader counts it: "42 s" under two minutes (one decimal with ``decimals``), then
    "12 min 6 s", then "2 h 5 min". "About 1,444 s left" and "done in 725.8 s" had to be divided by 60."""
    seconds = max(0.0, float(seconds))
    if round(seconds, 1 if decimals else 0) < 120:  # the unit after rounding: 119.6 s read "120 s", not "2 min"
        return t("{seconds:,.1f} s", seconds=seconds) if decimals else t("{seconds:,.0f} s", seconds=seconds)
    whole = round(seconds)
    if whole < 3600:
        minutes, rest = divmod(whole, 60)
        return (
            t("{minutes} min {seconds} s", minutes=minutes, seconds=rest)
            if rest
            else t("{minutes} min", minutes=minutes)
        )
    hours, rest = divmod(whole, 3600)
    minutes = round(rest / 60)
    if minutes == 60:
        hours, minutes = hours + 1, 0
    return t("{hours} h {minutes} min", hours=hours, minutes=minutes) if minutes else t("{hours} h", hours=hours)


def p_value_text(p: float) -> str:
    """A p-value as a reader takes it: "< 0.0001" rather than a bare 0.0000."""
    return "< 0.0001" if p < 0.0001 else f"{p:.4f}"


def p_statement(p: float) -> str:
    """A p-value said in a sentence: "p < 0.0001" or "p = 0.0312" ("p = < 0.0001" was printed)."""
    return "p < 0.0001" if p < 0.0001 else f"p = {p:.4f}"


def plural(text: str, count: object) -> str:
    """English "(s)" made right for ``count``: "1 run", "2 runs" (Chinese has no plural to mark)."""
    try:
        one = float(count) == 1  # 1.5 minutes are plural
    except (TypeError, ValueError):
        return text
    return text.replace("(s)", "" if one else "s")
