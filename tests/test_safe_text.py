"""The escapers that keep user text plain in Streamlit markdown and in plotly figures.

The browser test (tests/e2e/test_hostile_text.py) checks the rendered pages; these pin the
strings themselves, and render ``md`` output with an independent CommonMark parser.
"""

from __future__ import annotations

import html
import string

import pytest

from ui.safe_text import WORD_JOINER, md, plotly, plotly_all

HOSTILE = [
    "**bold**",
    "$x^2$",
    ":red[red]",
    "<b>html</b>",
    "<img src=x onerror=alert(1)>",
    "[link](http://example.com)",
    "__under__ _it_ ~~gone~~ `code`",
    "# heading",
    "1. first",
    "- item",
    "> quote",
    "| a | b |",
    "&amp; &lt;b&gt; &#42;",
    "a\\*b",
    "![img](x.png)",
    "<http://example.com>",
]


def plain(escaped: str) -> str:
    """What a reader sees of ``md`` output: backslash escapes resolved, joiners invisible."""
    out, i = [], 0
    while i < len(escaped):
        if escaped[i] == "\\" and i + 1 < len(escaped) and escaped[i + 1] in string.punctuation:
            i += 1
        out.append(escaped[i])
        i += 1
    return "".join(out).replace(WORD_JOINER, "")


# --------------------------------------------------------------------------- md


def test_md_backslash_escapes_every_ascii_punctuation_and_nothing_else():
    text = string.punctuation.replace(":", "").replace("@", "") + "abcXYZ019 中文 é"
    escaped = md(text).replace(WORD_JOINER, "")
    assert escaped == "".join("\\" + c if c in string.punctuation else c for c in text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("**bold**", r"\*\*bold\*\*"),
        ("$x^2$", r"\$x\^2\$"),
        ("<b>html</b>", r"\<b\>html\<\/b\>"),
        ("[link](u)", r"\[link\]\(u\)"),
        ("plain words 123", "plain words 123"),
        ("", ""),
    ],
)
def test_md_known_strings(text, expected):
    assert md(text).replace(WORD_JOINER, "") == expected


@pytest.mark.parametrize("text", [":red[red]", ":smile:", ":material/home:", ":material_home:", ":streamlit:"])
def test_md_breaks_directives_and_shortcodes_after_the_colon(text):
    # Streamlit replaces shortcodes in the parsed text, where a backslash is already gone
    escaped = md(text)
    assert escaped.startswith("\\:" + WORD_JOINER)
    assert plain(escaped) == text


@pytest.mark.parametrize("pair", ["->", "<-", "<->", "--", ">=", "<=", "~="])
def test_md_breaks_streamlit_arrows(pair):
    seen = plain(md(f"a {pair} b"))
    assert seen == f"a {pair} b"
    joined = md(f"a {pair} b").replace("\\", "")
    assert pair not in joined  # a joiner sits between every two marks


@pytest.mark.parametrize(
    ("text", "broken"),
    [
        ("http://example.com", "http:" + WORD_JOINER),
        ("HTTPS://example.com", "HTTPS:" + WORD_JOINER),
        ("www.example.com", "www" + WORD_JOINER),
        ("WWW.example.com", "WWW" + WORD_JOINER),
        ("me@example.com", "me@" + WORD_JOINER),
    ],
)
def test_md_breaks_bare_links(text, broken):
    assert broken in md(text).replace("\\", "")
    assert plain(md(text)) == text


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r", "\u2028", "\u2029", "\x85", "\v", "\f"])
def test_md_keeps_one_line(newline):
    escaped = md(f"label{newline}# heading{newline}- item")
    assert not any(c in escaped for c in "\n\r\u2028\u2029\x85\v\f")
    assert plain(escaped) == "label # heading - item"


def test_md_accepts_non_strings():
    assert md(None) == "None"
    assert plain(md({"train": 3})) == "{'train': 3}"
    assert plain(md(ValueError("bad 'x*'"))) == "bad 'x*'"


@pytest.mark.parametrize("text", HOSTILE)
def test_md_renders_literally_in_a_commonmark_parser(text):
    markdown_it = pytest.importorskip("markdown_it")
    parser = markdown_it.MarkdownIt("commonmark").enable(["strikethrough", "table"])
    rendered = parser.render(md(text)).replace(WORD_JOINER, "")
    assert rendered == f"<p>{html.escape(text, quote=True)}</p>\n"


@pytest.mark.parametrize(
    "text", ["    indented *quoted* reply with a_b", "\tcode_name = **x**", "  \t  # not a heading"]
)
def test_indented_text_is_no_code_block(text):
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark").render(md(text)).replace(WORD_JOINER, "")
    assert rendered == f"<p>{html.escape(text.strip(), quote=True)}</p>\n"
    # inside a line, the indentation is one space
    inside = markdown_it.MarkdownIt("commonmark").render("x" + md(text)).replace(WORD_JOINER, "")
    assert inside == f"<p>x {html.escape(text.strip(), quote=True)}</p>\n"


@pytest.mark.parametrize("text", HOSTILE)
def test_md_is_read_back_as_typed(text):
    assert plain(md(text)) == text


# --------------------------------------------------------------------------- plotly


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<b>html</b>", "&lt;b&gt;html&lt;/b&gt;"),
        ("<br>", "&lt;br&gt;"),
        ('<a href="http://example.com">x</a>', '&lt;a href="http://example.com"&gt;x&lt;/a&gt;'),
        ("&lt;b&gt;", "&amp;lt;b&amp;gt;"),  # an entity stays an entity's text
        ("a & b", "a &amp; b"),
        ("%{x} %{customdata[0]}", "%&#123;x} %&#123;customdata[0]}"),
        ("$x^2$", "&#36;x^2&#36;"),
        ("**bold** :red[x] 中文", "**bold** :red[x] 中文"),  # markdown means nothing to plotly
    ],
)
def test_plotly_known_strings(text, expected):
    assert plotly(text) == expected


def test_plotly_output_has_no_tag_and_no_placeholder():
    for text in HOSTILE + ["<sup>1</sup>", "<span style='color:red'>x</span>", "%{y}", "&#60;b&#62;"]:
        escaped = plotly(text)
        assert "<" not in escaped and ">" not in escaped
        assert "%{" not in escaped
        assert html.unescape(escaped) == text  # what plotly draws: the entities turned back


def test_plotly_all_and_non_strings():
    assert plotly_all(["<i>", 1, None]) == ["&lt;i&gt;", "1", "None"]


# --------------------------------------------------------------------------- the figure builders


def strings_of(node) -> list[str]:
    """Every string in a figure's JSON (trace names, ticks, hover data, titles, templates)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings_of(value)]
    if isinstance(node, (list, tuple)):
        return [s for value in node for s in strings_of(value)]
    if hasattr(node, "tolist"):
        return strings_of(node.tolist())
    return []


def test_every_chart_escapes_the_user_strings_it_is_given():
    import numpy as np
    import pandas as pd

    from ui import charts

    a, b = "<b>html</b>", "&lt;i&gt; %{y} $x$"
    labels = [a, b]
    frame = pd.DataFrame(
        {
            "text": [f"{a} one", f"{b} two"],
            "label": labels,
            "pred": labels[::-1],
            "confidence": np.array([0.5, 0.25], dtype=np.float32),
            "row": [0, 1],
            "lang": [a, b],
        }
    )
    figures = [
        charts.class_balance({a: 3, b: 4}),
        charts.length_histogram(frame),
        charts.confusion_heatmap([[1, 0], [0, 1]], labels),
        charts.metric_bars([{"name": a, "accuracy": 0.5, "macro_f1": 0.5}]),
        charts.embedding_map(np.zeros((2, 2)), frame, "label", a),
        charts.embedding_map(np.zeros((2, 3)), frame, "pred", b, star=np.zeros(3)),
        charts.probability_bars(labels, np.array([0.25, 0.75])),
        charts.token_attributions(labels, [0.1, -0.1], a),
        charts.attention_heatmap(np.eye(2), labels, 0, 0),
        charts.overlaid_curves({a: ([1], [0.5])}, b, a),
        charts.grouped_bars(labels, {a: [0.5, 0.5]}, b),
        charts.agreement_heatmap(np.eye(2, dtype=int), labels, a, b),
        charts.training_curves([], "loss", a),
    ]
    for fig in figures:
        strings = strings_of(fig.to_plotly_json())
        raw = [s for s in strings if "<b>html" in s or "&lt;i" in s.replace("&amp;lt;i", "") or "$x$" in s]
        assert raw == [], fig.layout.title.text
        assert any("&lt;b&gt;html&lt;/b&gt;" in s or "&amp;lt;i&amp;gt; %&#123;y}" in s for s in strings)


def test_class_axes_are_categorical_so_numeric_labels_stay_labels():
    import numpy as np

    from ui import charts

    assert charts.confusion_heatmap([[1, 0], [0, 1]], ["0", "1"]).layout.xaxis.type == "category"
    assert charts.probability_bars(["0", "1"], np.array([0.5, 0.5])).layout.yaxis.type == "category"
    assert charts.class_balance({"0": 1, "1": 2}).layout.xaxis.type == "category"
    assert charts.grouped_bars(["0", "1"], {"a": [0.5, 0.5]}, "t").layout.xaxis.type == "category"


def test_the_word_joiner_goes_only_where_streamlit_would_rewrite_something():
    """A copied ":)" must be the typed ":)"; ":smile:" and "http://" still need breaking."""
    from ui.safe_text import WORD_JOINER, md

    assert WORD_JOINER not in md("great :) see you: tomorrow")
    assert WORD_JOINER in md(":smile:") and WORD_JOINER in md("http://example.com")


def test_right_to_left_text_is_isolated_and_other_text_left_as_it_is():
    """An Arabic class name in the Playground's headline read "99.7 · طعام%", and in the map's hover its
    brackets flipped: laid out as a run of its own, it keeps its order inside a left-to-right line."""
    from ui.safe_text import isolated

    assert isolated("طعام") == "\u2068طعام\u2069" and isolated("שלום.") == "\u2068שלום.\u2069"
    assert isolated("food") == "food" and isolated("美食") == "美食"  # nothing added where it changes nothing
    from ui.charts import hover_text

    assert hover_text("قرأت الكتاب أمس.") == "\u2068قرأت الكتاب أمس.\u2069"  # the map's hover, line by line
