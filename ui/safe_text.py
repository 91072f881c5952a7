"""User text shown as text: escapers for Streamlit markdown and for plotly's text.

Datasets, labels, file names, column names and error messages quoting them are the user's,
and they reach two small markup languages:

- **Streamlit markdown** (``st.markdown``, ``st.caption``, headers, alerts, toasts, widget,
  metric, expander and tab labels). On top of GitHub markdown it renders ``$...$`` as KaTeX,
  ``:red[...]`` as coloured text, ``:smile:``, ``:material/icon:`` and ``:streamlit:`` as
  pictures, bare ``http://``, ``www.`` and e-mail addresses as links, and `` -> `` as an arrow.
- **plotly text** (titles, tick labels, legend entries, hover labels, cell text). It reads a
  few HTML tags (``<b>``, ``<br>``, ``<a href>``, ...) and entities (``&lt;``, ``&#36;``), and
  fills ``%{...}`` in templates.

``md(text)`` and ``plotly(text)`` make a string show exactly as typed in each. Elements that
never read markup need neither: ``st.text``, ``st.code``, ``st.dataframe`` cells and headers,
selectbox options and text input values.
"""

from __future__ import annotations

import re
import string

# Invisible and unbreakable. Streamlit rewrites emoji and icon shortcodes, bare links and
# arrows in the text *after* markdown has removed the backslashes, so a backslash cannot stop
# them; a joiner inside the pattern does, and the reader sees the same characters.
WORD_JOINER = "\u2060"

_MD_SPECIAL = frozenset(string.punctuation)  # CommonMark lets a backslash escape any ASCII punctuation
_LINE_BREAK = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029]")
_ARROW_PAIR = re.compile(r"(?<=[<>=~-])(?=[<>=~-])")  # <-> -> <- -- >= <= ~= become arrows and dashes
_AFTER_MARK = re.compile(r"(?<=[:@])(?=[\w/])")  # :smile: :material_x: :streamlit: http:// name@host (not ":)")
_WWW = re.compile(r"(?<=www)(?=\.)", re.IGNORECASE)  # www.example.com becomes a link
# four spaces or a tab first make a code block, where every backslash shows: a quoted e-mail's reply read
# "\*quoted\*"; one space renders as none, at the start of a line, and as one, inside it
_LEADING_INDENT = re.compile(r"^[ \t]+")


def md(text: object) -> str:
    """``text`` escaped for interpolation into Streamlit markdown: it renders literally, on one line.

    Every ASCII punctuation character gets a backslash (bold, italics, code, links, headings,
    lists, tables, HTML, ``$`` for KaTeX, ``:`` and ``[`` for colour directives); line breaks
    become spaces (a label must not start a heading or a list), as does leading indentation (not a code
    block); and a word joiner breaks the
    patterns Streamlit rewrites after parsing (shortcodes, bare links, arrows).
    """
    text = _LEADING_INDENT.sub(" ", _LINE_BREAK.sub(" ", str(text)))
    text = _WWW.sub(WORD_JOINER, _AFTER_MARK.sub(WORD_JOINER, _ARROW_PAIR.sub(WORD_JOINER, text)))
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in text)


_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")  # Hebrew, Arabic, Syriac, Thaana


def isolated(text: str) -> str:
    """``text`` between Unicode's first-strong isolate marks where it holds right-to-left letters (Arabic,
    Hebrew): laid out as a run of its own inside a left-to-right line, "طعام · 99.7%" read "99.7 · طعام%",
    and a sentence's full stop sat at its wrong end. Text without such letters is returned as it is (the
    marks would come along when copied)."""
    return f"\u2068{text}\u2069" if _RIGHT_TO_LEFT.search(text) else text


def plotly(text: object) -> str:
    """``text`` escaped for plotly's text: titles, ticks, legend names, hover and cell text.

    ``&``, ``<`` and ``>`` become entities (no tags, no entity tricks); ``{`` becomes ``&#123;``
    so that no ``%{...}`` placeholder fires when the string is part of a template; and ``$``
    becomes ``&#36;`` so that no ``$...$`` is typeset where MathJax is loaded. Plotly turns the
    entities back into the characters when it draws them.
    """
    return (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("{", "&#123;")
        .replace("$", "&#36;")
    )


def plotly_all(texts) -> list[str]:
    """``plotly`` over a sequence (labels, tokens, names)."""
    return [plotly(t) for t in texts]
