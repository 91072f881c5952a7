"""Playground: type a sentence and see what the model makes of it; classify a whole file."""

import time

import numpy as np
import streamlit as st

from core.errors import DataError, StudioError
from core.export import for_spreadsheets
from core.inference import LIVE_TEXT_CHARS, clip_live_text
from core.projection import ProjectionConfig
from ui import charts, jobs, maps, presenter, state
from ui.boot import through_app
from ui.i18n import (
    headed_in_language,
    listed,
    percent_text,
    plural,
    prediction_table_config,
    read_error,
    sentences,
    t,
    tm,
    unsigned_zero,
)
from ui.resources import predictor, run_points, run_stamp
from ui.safe_text import isolated, md
from ui.sidebar import dataset_title, encoder_name, run_title, short_name

through_app()  # a deep link on a fresh server: draw this page through app.py

st.title(t("Playground"))
run = state.require_run()
run_id = run.id
if not jobs.model_ready(run):
    st.stop()
try:
    model = predictor(run_id, run_stamp(run))
except StudioError as exc:
    st.error(t("The model of run {run} cannot be loaded: {error}", run=md(run_id), error=md(tm(exc))))
    st.stop()


def caption_name(run) -> str:
    """The run as Evaluate names it: its title and encoder, else its encoder and id (an audience reads
    the id's end only). The picker's label, with its ✓ and "done", read as a leftover here."""
    from core.names import run_names

    title, encoder = run_names(run)["title"], encoder_name(run.config())
    if title:
        return f"{title} · {encoder}"
    return short_name(run) if presenter.active() else f"{encoder} · {run.id}"


st.caption(
    t(
        "Run **{run}** on **{dataset}**",
        run=md(caption_name(run)),
        dataset=md(dataset_title(run.config().get("dataset"))),
    )
)

# below this top probability the headline gets a note: the two likeliest classes, and that a text
# about none of the classes still gets one of them
UNSURE_BELOW = 0.6
LISTED_CLASSES = 12  # "the model only knows the classes …": named up to this many
KNOWN_AT_LEAST = 0.5  # below this share of known words, the answer comes with a warning
MOSTLY_KNOWN = 0.9  # below this, a caption says how much of the text the model knows
NEGLIGIBLE_LOG_ODDS = 1e-4  # a token whose removal moves the log-odds less than this did not matter

TEXT_PARAM = "text"  # ?text=… opens the box on that sentence (a link prepared for a demo)
LINKED_TEXT_CHARS = 500  # a longer typed text gets no link: links that long break in mail and chat
EXAMPLE_MAX_CHARS = 160  # a dataset's own example text: one that fits the box

EXAMPLES = {
    "zh": "这家店的火锅味道很好，服务也热情，下次还来。",
    "en": "The striker scored twice in the second half to win the cup final.",
}


# a stopped run keeps its weights but has no per-text artefacts until its checkpoint is evaluated;
# damaged ones are named by jobs.artefacts_ready where the nearest texts would be
HAS_INDEX = run.artefact_problem() is None


def opening(text: str, limit: int) -> str:
    """The start of ``text`` in at most ``limit`` characters, ended at a sentence, else at a word."""
    head = " ".join(text.split())[:limit]
    if len(" ".join(text.split())) <= limit:
        return head
    ends = [head.rfind(mark) for mark in (". ", "。", "! ", "？", "? ", "！")]
    end = max(ends)
    if end >= limit // 3:
        return head[: end + 1].strip()
    space = head.rfind(" ")
    return (head[:space] if space >= limit // 3 else head).strip()


def example_text() -> str:
    """The box's first text: a line written for a built-in dataset, else one of the dataset's own test texts.

    A fixed English sports sentence scored on someone's support tickets ("billing 64%") demos nothing.
    """
    if not HAS_INDEX:
        return EXAMPLES["en"]
    points = run_points(run_id, run_stamp(run))
    dataset = str(run.config().get("dataset") or "")
    from core.catalog import BUILTINS  # the examples below were written for these

    if dataset not in BUILTINS and {"text", "split"} <= set(points.columns):
        test = points[points["split"] == "test"]
        texts = test["text"].astype(str)
        worded = test[texts.str.len() >= 10]
        if {"label", "pred"} <= set(worded.columns):
            # one it gets right, the surest first: a demo opened on a review answered wrongly at 92%
            right = worded[worded["label"] == worded["pred"]]
            if "confidence" in right.columns:
                right = right.sort_values("confidence", ascending=False, kind="stable")
            worded = right if len(right) else worded
        short = worded[worded["text"].astype(str).str.len() <= EXAMPLE_MAX_CHARS]
        if len(short):
            # on one line, as the box holds it: fields joined by a line break ("Delete my account" + "How do
            # I…") came back glued once edited ("accountHow", a word the model never met)
            return " ".join(str(short["text"].iloc[0]).split())
        if len(worded):
            # documents all longer than a line: the opening of one, not a football sentence on contracts
            return opening(str(worded["text"].iloc[0]), EXAMPLE_MAX_CHARS)
    shares = points["lang"].value_counts(normalize=True) if "lang" in points and len(points) else None
    if shares is None or shares.empty:
        return EXAMPLES["en"]
    # a bilingual set (the starter: Chinese and English) opens in the reader's language, not the commoner one
    from ui.i18n import lang as ui_language

    spoken = ui_language()
    text_language = spoken if shares.get(spoken, 0.0) >= 0.2 else str(shares.index[0])
    return EXAMPLES.get(text_language, EXAMPLES["en"])


def spelled(model) -> bool:
    """Whether the model's bag of words also reads character n-grams inside words (``subwords``), so that
    a word it never saw still counts through pieces of its spelling."""
    for holder in (getattr(model, "inputs", None), getattr(model, "model", None)):  # a network's, a baseline's
        featurizer = getattr(holder, "featurizer", None)
        if featurizer is not None:
            return bool(getattr(featurizer, "subwords_", False))
    return False


def warn_unknown_words(model, text: str) -> bool:
    """Say so when the model knows few of the text's words: its answer then rests on little or nothing.

    True when it rests on nothing (no word the model reads, or none it knows): nearest texts and a
    place on the map would then dress up noise, so the page leaves them out.
    """
    from core.data import has_content, has_words

    # emoji or symbols alone that the model never met: nothing it reads (the share below would blame a language)
    if not has_content(text) or not model.tokens(text) or (not has_words(text) and not model.known_share(text)):
        if has_words(text) or not model.known_share(text):
            message = t(
                "This text has no words the model reads (only punctuation, symbols or emoji), so the answer below "
                "says nothing about it."
            )
        else:  # "👍👍👍！！！" read as negative at 99.5%, its "！" bars in the chart below, under "no words it reads"
            message = t(
                "This text has no words, only punctuation, symbols or emoji. The answer below rests on those marks "
                "alone (the model met them in its training texts), not on anything the text says."
            )
        st.warning(message, icon=":material/warning:")
        return True
    share = model.known_share(text)
    from core.inference import wide_known_shares

    sides = wide_known_shares(getattr(model, "inputs", None), text)
    if sides and sides[0] is not None and sides[1] is not None and sides[0] < KNOWN_AT_LEAST <= sides[1]:
        # a wide model whose bag knows the text and whose Transformer does not: the [UNK]s of the token
        # chart are not the words it read, and the pieces' caption named the wrong vocabulary
        st.caption(
            t(
                "Its Transformer part knows {deep} of this text's words ([UNK] in the token chart and the "
                "attention view), so the answer rests on its n-gram bag, which knows {bag} of them.",
                deep=percent_text(sides[0]),
                bag=percent_text(sides[1]),
            )
        )
        return False
    if share is None or share >= MOSTLY_KNOWN:
        return False
    if share >= KNOWN_AT_LEAST:  # 9 unknown characters of 20 gave "差评 · 84.8%" and no word of it
        # a Transformer's chart shows them as [UNK]; a bag's shows the words themselves
        pieces = hasattr(getattr(model, "inputs", None), "tokenizer")
        # a fine-tuned model reads with the vocabulary of the run it started from: "但是", in a third of
        # the fine-tuning texts, was [UNK] all the same, and "not in its training texts" was false
        where = (
            t("the texts its vocabulary was built from (those of the run it was fine-tuned from)")
            if run.config().get("source_run")
            else t("its training texts")
        )
        st.caption(
            t(
                # a word cut into single letters ("h ##o ##n ##e …") is as unknown as [UNK]: both were named
                "The model knows {share} of this text's words; the others ([UNK] in the token chart, or cut into "
                "single letters) were not in {where} and count for little.",
                share=percent_text(share),
                where=where,
            )
            if pieces
            else t(
                # a bag with character n-grams inside words still reads an unknown word's spelling: "lifeless",
                # "unknown", had the third-largest bar under "count for nothing"
                "The model knows {share} of this text's words; the others were not in {where}, and only the "
                "pieces of their spelling it met count.",
                share=percent_text(share),
                where=where,
            )
            if spelled(model)
            else t(
                "The model knows {share} of this text's words; the others were not in {where} and count for nothing.",
                share=percent_text(share),
                where=where,
            )
        )
        return False
    from core.text import plain_width

    plain = plain_width(text)
    # "ｂａｔｔｅｒｙ　ｌｉｆｅ" read as 25% known beside a model that knows "battery life" well
    width = (
        t(
            "Its letters are full-width (as a Chinese input method's full-width mode types them); the model knows "
            "more of these words in plain letters: type them so."
        )
        if plain != text and (model.known_share(plain) or 0) > share
        else ""
    )
    if share == 0:
        st.warning(
            sentences(
                t(
                    "None of this text's words are in the model's vocabulary (it learned from other texts, perhaps "
                    "in another language), so the answer below says nothing about this text."
                ),
                width,
            ),
            icon=":material/warning:",
        )
        return True
    st.warning(
        sentences(
            t(
                "Only {share} of this text's words are in the model's vocabulary; the answer rests on those alone.",
                share=percent_text(share),
            ),
            width,
        ),
        icon=":material/warning:",
    )
    return False


# An uploaded file is read once, not at every rerun: typing in the box above reran the page, and a
# 28 MB, 190,000-row file was parsed again each time (0.18 s a pause became 1.6-1.9 s). Keyed by the
# upload's id; its bytes are not hashed (the leading underscore). The table is only read from.
@st.cache_resource(show_spinner=False, max_entries=2)
def upload_sheets(file_id: str, _data: bytes) -> tuple[list[str], int]:
    """The sheets of an uploaded workbook (one name for other files) and the likeliest one's index."""
    from core.data import likely_sheet, workbook_sheets

    sheets = workbook_sheets(_data)
    return sheets, (likely_sheet(_data, sheets) if len(sheets) > 1 else 0)


@st.cache_resource(show_spinner=t("Reading the file…"), max_entries=2)
def upload_table(file_id: str, name: str, sheet: str | None, _data: bytes):
    """The uploaded file read as a table (``core.data.load_file``); DataError when it cannot be."""
    from core.data import load_file

    return load_file(_data, name, sheet=sheet)


@st.cache_data(show_spinner=False, max_entries=16)
def column_number_share(file_id: str, sheet: str | None, column: str, _table) -> float:
    """The share of a column's cells that are numbers (``core.data.number_share``)."""
    from core.data import number_share

    return number_share(_table.frame[column])


def neighbours_and_map(text: str) -> None:
    """The nearest stored texts and the star on the map (needs the run's embedded texts)."""
    st.subheader(t("Nearest training texts (search by meaning)"))
    near = model.neighbours(text, k=8)
    labelled = near["label"].notna().any()  # an unlabelled set's pretraining run: a column of "None" said nothing
    st.dataframe(
        # the text last: first, it pushed the similarity out of a laptop's view
        near[["similarity", "label", "text"] if labelled else ["similarity", "text"]],
        hide_index=True,
        width="stretch",
        column_config={
            "text": st.column_config.TextColumn(t("text")),
            "label": st.column_config.TextColumn(t("label")),
            "similarity": st.column_config.ProgressColumn(t("similarity"), min_value=-1, max_value=1, format="%.3f"),
        },
    )
    if len(near):
        typical = unsigned_zero(float(near.attrs.get("typical", 0.0)), 2)
        st.caption(
            sentences(
                # which space: a typical text at -0.20 beside plain cosines of about 0.42 puzzled a careful reader
                t(
                    "Cosine similarity once what every text shares is taken out (search's space): 1 is the same "
                    "direction as your text; a typical training text scores {score:.2f}.",
                    score=typical,
                ),
                # a classifier's neighbours at 0.96-0.99 read as near-copies of a sentence on another topic
                t(
                    "An encoder trained to classify puts the texts of a class close together, so its nearest "
                    "texts share a class more than they share a topic."
                )
                if model.labels
                else "",
            )
        )
    from ui.search_link import more_like_this

    names = [t("your text"), *[t("neighbour {n}", n=i + 1) for i in range(len(near))]]
    more_like_this([text, *near["text"].tolist()], names, "playground")
    st.subheader(t("Where it lands on the map"))
    projection, job = maps.request(run, ProjectionConfig())
    pca = projection is None
    if pca:  # no UMAP yet: PCA at once, replaced when the worker is done
        projection = maps.pca_now(run, ProjectionConfig())
        if job.get("state") == "failed":
            st.caption(
                t(
                    "UMAP could not be computed ({error}); the Embeddings page can try again.",
                    error=md(tm(job.get("error") or "")),
                )
            )
        else:
            jobs.watch(run, job["name"], t("UMAP is being computed in the background"))
    vectors = run.embeddings(mmap=True)[projection.indices]
    star = maps.place(model.embed([text])[0], np.asarray(vectors), projection.coords)
    points = run_points(run_id, run_stamp(run)).iloc[projection.indices].reset_index(drop=True)
    points["row"] = projection.indices
    # the map draws the texts the model never trained on: "among the dataset" had a reader count the
    # points against the dataset's rows
    held_out = "split" in points and bool((points["split"] != "train").all())
    title = t("Your text among the held-out texts (★)") if held_out else t("Your text among the dataset (★)")
    if pca:
        title = (
            t("{title} · PCA", title=title)
            if job.get("state") == "failed"
            else t("{title} · PCA while UMAP is computed", title=title)
        )
    st.plotly_chart(
        presenter.scale(
            charts.embedding_map(
                projection.coords, points, "label" if points["label"].notna().any() else "split", title, star=star
            ),
            fit=presenter.MAP_HEIGHT,
        ),
        key="star_map",
    )
    st.caption(
        t(
            "The map shows {n:,} held-out texts (validation and test: texts the model never trained on). The star "
            "sits at the similarity-weighted centre of its 5 nearest mapped texts.",
            n=len(points),
        )
        if held_out
        else t("The star sits at the similarity-weighted centre of its 5 nearest mapped texts.")
    )


def sentence_link(text: str, example: str) -> str | None:
    """A link that opens the Playground on ``text`` (``&text=…``, with the run, dataset, language and
    presenter mode), or None for the run's own example, a text too long for a link, or where the
    page's address is unknown. A demo's link was written by hand; put in the address bar as typed,
    it would add a browser history entry at every pause in the typing.
    """
    from urllib.parse import urlencode, urlsplit

    address = st.context.url
    if not address or not text.strip() or text == example or len(text) > LINKED_TEXT_CHARS:
        return None
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc}{parts.path}?" + urlencode({**state.params(), TEXT_PARAM: text})


if presenter.active():  # the audience watches one sentence; a file upload is the operator's tool
    single, batch = st.container(), None
else:
    single, batch = st.tabs([t("Type a sentence"), t("Classify a file")])

with single:
    example = example_text()
    linked = st.query_params.get(TEXT_PARAM)
    if linked and st.session_state.get("playground_linked") != linked:
        # a prepared link (…/playground?run=…&text=…) opens on its sentence, once: typing then takes over
        st.session_state["playground_linked"] = linked
        st.session_state["playground_text"] = st.session_state["playground_typed"] = linked
    current, last_example = st.session_state.get("playground_text"), st.session_state.get("playground_example")
    # Streamlit drops a widget's value on other pages: what the user typed comes back after a visit
    # elsewhere, else the example of the run in view (another run's example, in a box left as it was, too)
    if current is None or (current == last_example and example != last_example):
        st.session_state["playground_text"] = st.session_state.get("playground_typed") or example
    text = st.text_input(
        t("Text (Chinese or English)"),
        key="playground_text",
        live="400ms",  # answer as the user types, once they pause
        # no max_chars: the browser refuses a longer paste whole, without a word; cut here, with a note
        help=t(
            "The answer updates as you type (after a short pause). Up to {n:,} characters.",
            n=LIVE_TEXT_CHARS,
        ),
    )
    st.session_state["playground_typed"] = text if text != example else None
    st.session_state["playground_example"] = example
    # a demo's preparation, not part of it: before an audience the button came with the first keystroke and
    # pushed the answer down
    link = None if presenter.active() else sentence_link(text, example)
    if link:
        with st.popover(t("Link to this sentence"), icon=":material/link:"):
            st.caption(t("Opens the Playground on this sentence, with this run: copy it for a demo."))
            st.code(link, language=None, wrap_lines=True)
    typed = len(text)
    text, cut = clip_live_text(text)
    if cut:  # "cut at 10,000" did not say of how many: a 56,285-character ruling lost four fifths
        st.caption(
            t(
                "Cut at {n:,} of its {typed:,} characters, as training and the command line cut a text.",
                n=LIVE_TEXT_CHARS,
                typed=typed,
            ),
        )
    elif len(text) >= LIVE_TEXT_CHARS:
        st.caption(
            t(
                "Cut at {n:,} characters, as training and the command line cut a text.",
                n=LIVE_TEXT_CHARS,
            ),
        )
    if not text.strip():
        st.info(t("Type something to see what the model makes of it."))
    elif not model.labels:  # a pretraining run: fill the mask instead
        from core.inference import with_masks

        st.write(t("This is a pretraining run: put `[MASK]` where a token should go."))
        try:
            fills = model.fill(text) if "[MASK]" in with_masks(text) else []  # [mask], 【MASK】 too
        except StudioError as exc:  # every [MASK] past the model's window
            st.warning(md(tm(exc)), icon=":material/content_cut:")
            fills = []
        if fills:
            for i, fill in enumerate(fills, 1):
                if len(fills) > 1:  # one caption per [MASK], not its number repeated on every row
                    st.caption(t("[MASK] number {i}", i=i))
                st.dataframe(
                    [{"token": token, "probability": p} for token, p in fill.candidates],
                    hide_index=True,
                    # one precision: "0.07" beside "0.0701" read as two kinds of number
                    column_config={
                        "token": t("token"),
                        "probability": st.column_config.NumberColumn(t("probability"), format="%.4f"),
                    },
                )
        # what it learned shows in where a sentence lands: a plain sentence got only the [MASK] hint
        from core.data import has_content

        if not has_content(text) or not model.tokens(text) or model.known_share(text) == 0:
            st.caption(t("No nearest texts and no place on the map for a text the model cannot read."))
        elif jobs.artefacts_ready(run, t("the nearest texts and the map")):
            neighbours_and_map(text)
    else:
        started = time.perf_counter()
        explanation = model.explain(text)
        proba = model.predict_proba([text])[0]
        elapsed = (time.perf_counter() - started) * 1000
        top = int(np.argmax(proba))
        # the warning first: under a large "positive · 99.3%" it was read after the answer it undoes
        meaningless = warn_unknown_words(model, text)
        st.markdown(f"### {isolated(md(model.labels[top]))} · {charts.probability_text(proba[top])}")
        if len(proba) > 1 and proba[top] < UNSURE_BELOW:
            second = int(np.argsort(proba)[-2])
            # as the headline writes them: "59.5%" above "(60%)" read as a contradiction
            pair = dict(
                first=md(model.labels[top]),
                p1=charts.probability_text(proba[top]),
                second=md(model.labels[second]),
                p2=charts.probability_text(proba[second]),
            )
            st.info(
                t(
                    "Unsure: {first} ({p1}) or {second} ({p2}). The model only knows the classes {classes}; a text about something else still gets one of them.",
                    classes=listed(md(label) for label in model.labels),
                    **pair,
                )
                if len(model.labels) <= LISTED_CLASSES
                else t(  # a thousand class names made the box a page long
                    "Unsure: {first} ({p1}) or {second} ({p2}). The model only knows its {n:,} classes; a text about something else still gets one of them.",
                    n=len(model.labels),
                    **pair,
                ),
                icon=":material/help:",
            )
        variants = -(-len(explanation.tokens) // explanation.span)
        # not one token the model knows: ten equal [UNK] bars and an attention map argued with the warning above
        unread = meaningless and (not model.tokens(text) or model.known_share(text) == 0)
        if not presenter.active():  # timings are the operator's; the audience watches the answer
            st.caption(
                t("answered in {ms:.0f} ms", ms=elapsed)
                if unread  # "6 leave-one-out variants" beside "No token chart" counted what nobody sees
                else plural(
                    t(
                        "answered in {ms:.0f} ms (prediction and {variants} leave-one-out variant(s))",
                        ms=elapsed,
                        variants=variants,
                    ),
                    variants,
                )
            )
        stops = model.unread_from(text)
        if stops is not None:  # a review's verdict at its end was left out without a word
            rest = text[stops:].strip()
            st.warning(
                t(
                    "The model reads only its first {n:,} tokens: the text from “{rest}” on plays no part in "
                    "the answer.",
                    n=len(model.tokens(text)),
                    rest=md(rest[:20] + ("…" if len(rest) > 20 else "")),
                ),
                icon=":material/content_cut:",
            )
        if explanation.span > 1:
            st.caption(
                t(
                    "A long text: tokens were left out {span} at a time to keep the answer quick, "
                    "so neighbouring tokens share a bar's value.",
                    span=explanation.span,
                )
            )
        # the bars stop before the text does (200 tokens at most; an ensemble's first member's window):
        # the words that decided a 339-character text's answer had no bar, and nothing said so
        explained_to = explanation.offsets[-1][1] if explanation.offsets else 0
        rest = text[explained_to:].strip() if explanation.offsets else ""
        if stops is None and rest and model.tokens(rest):  # trailing punctuation alone has no bar to miss
            st.caption(
                t(
                    "The token chart covers the first {n:,} tokens; the text from “{rest}” on counts in the "
                    "answer but has no bars.",
                    n=len(explanation.tokens),
                    rest=md(rest[:20] + ("…" if len(rest) > 20 else "")),
                )
            )
        left, right = st.columns([2, 3])
        ranked = sorted(zip(model.labels, proba), key=lambda pair: -float(pair[1]))
        left.plotly_chart(
            presenter.scale(charts.probability_bars(model.labels, proba)),
            key="proba",
            # what a screen reader says of the chart: each class and its probability, likeliest first
            **presenter.alt(
                t(
                    "Class probabilities: {shares}.",
                    shares=", ".join(f"{label} {charts.probability_text(float(p))}" for label, p in ranked),
                )
            ),
        )
        if unread:
            right.info(
                t("No token chart: the model knows none of this text's tokens, so none of them can tell it anything."),
                icon=":material/info:",
            )
        elif explanation.tokens and max(abs(float(v)) for v in explanation.scores) < NEGLIGIBLE_LOG_ODDS:
            # bars of rounding noise (±2e-8) drawn full height would read as tokens that mattered a lot
            saturated = float(np.max(proba)) > 1 - 1e-6  # past float precision: no single token can move it
            right.info(
                t(
                    "The model is all but certain of this answer, so leaving out any one token does not move it: "
                    "no token stands out on its own."
                )
                if saturated
                else t(
                    "Leaving out any one token does not change the answer: none of them carries weight for this model."
                ),
                icon=":material/info:",
            )
        elif explanation.tokens:
            right.plotly_chart(
                presenter.scale(charts.token_attributions(explanation.tokens, explanation.scores, explanation.label)),
                key="attributions",
            )
        if explanation.attention is not None and not unread:
            n_layers, n_heads = explanation.attention.shape[:2]
            cols = st.columns(2)
            layer = cols[0].selectbox(
                t("Layer"), range(n_layers), format_func=lambda i: t("layer {n}", n=i + 1), key="att_layer"
            )
            head = cols[1].selectbox(
                t("Head"), range(n_heads), format_func=lambda i: t("head {n}", n=i + 1), key="att_head"
            )
            st.plotly_chart(
                presenter.scale(
                    charts.attention_heatmap(
                        explanation.attention[layer, head], explanation.attention_tokens, layer, head
                    )
                ),
                key="attention",
            )
        if meaningless:
            st.caption(t("No nearest texts and no place on the map for a text the model cannot read."))
        elif jobs.artefacts_ready(run, t("the nearest texts and the map")):
            neighbours_and_map(text)

if batch is not None:
    with batch:
        from core.data import UPLOAD_EXTENSIONS

        upload = st.file_uploader(
            # the types in the label: the Chinese stylesheet's dropzone text leaves them out
            t(
                "A file of texts: one per line (.txt), or a table with a text column (CSV, TSV, JSON, JSONL, Excel, Parquet)"
            ),
            type=list(UPLOAD_EXTENSIONS),
            key="batch_file",
        )
        if upload is not None and not model.labels:
            st.info(
                t(
                    "Run {run} is a pretraining run: it fills in masked words but has no classes to give a file's "
                    "texts. Fine-tune it on a labelled dataset first (Train page, 'Fine-tune a saved encoder'), then classify "
                    "the file with that run.",
                    run=md(run_title(run)),
                ),
                icon=":material/info:",
            )
        if upload is not None and model.labels:
            from core.data import NUMBERS_NOT_TEXT

            sheet = None
            sheets, likely = upload_sheets(upload.file_id, upload.getvalue())
            if len(sheets) > 1:  # the texts need not be on the first sheet
                sheet = st.selectbox(
                    t("Sheet"),
                    sheets,
                    index=likely,
                    key=f"batch_sheet-{upload.name}-{upload.size}",
                )
                sheet = None if sheet == sheets[0] else sheet  # the first sheet keeps the job it always was
            try:
                table = upload_table(upload.file_id, upload.name, sheet, upload.getvalue())
            except DataError as exc:
                st.error(read_error(upload.name, exc))
                table = None
            if table is not None:
                from core.inference import columns_as_trained, trained_text_columns

                # the columns the run learned from, where the file has them: a run trained on subject + body
                # was given the guessed body alone, with no way to join the two here
                default, said = columns_as_trained(
                    trained_text_columns(run.path), table.columns, table.chosen_text_columns
                )
                if said:
                    st.info(tm(said), icon=":material/view_column:")
                chosen = st.multiselect(
                    t("Text columns"),
                    table.columns,
                    default=[c for c in default if c in table.columns] or table.columns[:1],
                    # each file, sheet and run its own: a keyed multiselect keeps its value across them, and a
                    # file without the last one's columns showed none picked, the run's own never offered
                    key=f"batch_cols-{run_id}-{upload.file_id}-{sheet}",
                    help=t("Several are joined into one text, in the order picked, as at import."),
                )
                if not chosen:  # the button waits for one
                    st.info(t("Pick the column that holds the texts."), icon=":material/view_column:")
                column = chosen[0] if chosen else None
                # every column picked holds numbers: an id joined with a text column is text to read
                if chosen and all(
                    column_number_share(upload.file_id, sheet, c, table) >= NUMBERS_NOT_TEXT for c in chosen
                ):
                    st.warning(
                        t(
                            "The column {column} holds numbers, not text: the model would give every row much the same "
                            "answer. Choose the column that holds the texts.",
                            column=md(column),
                        ),
                        icon=":material/warning:",
                    )
                keep = len(table.columns) > 1 and st.checkbox(  # a file of texts alone has nothing else to keep
                    t("Keep the file's other columns (ids, expected labels) beside the predictions"),
                    value=True,
                    key="batch_keep",
                )
                if st.button(
                    t("Classify {n:,} texts", n=len(table.frame)), type="primary", key="batch_go", disabled=not chosen
                ):
                    import hashlib
                    from pathlib import Path

                    from core.workers import prune_batch_jobs, write_job_file

                    # the column too: a second click after picking another column, while the first job ran,
                    # joined that job and classified the first column
                    picked = f"\0{sheet or ''}\0{chr(31).join(chosen)}".encode()
                    digest = hashlib.sha1(upload.getvalue() + picked).hexdigest()[:10]
                    name = f"predict-{digest}{'-kept' if keep else ''}"
                    # one stored copy of a file, whichever of its columns or sheets is classified
                    stored = (
                        f"upload-{hashlib.sha1(upload.getvalue()).hexdigest()[:12]}{Path(upload.name).suffix.lower()}"
                    )
                    source = write_job_file(run, stored, upload.getvalue())
                    output = f"{name}.predictions.csv"
                    # False on a full or read-only home: the reason is on the page, and nothing is waited for
                    if jobs.start_job(
                        run,
                        name,
                        "predict",
                        {
                            "input": source,
                            "text_column": column if len(chosen) == 1 else chosen,
                            "output": output,
                            "keep_columns": keep,
                            "sheet": sheet,
                        },
                    ):
                        prune_batch_jobs(run)  # the oldest classifications go, and the uploads only they read
                        st.session_state["batch_job"] = name
                        st.session_state["batch_job_file"] = upload.name  # the download is named after it
                        st.session_state["batch_job_upload"] = upload.file_id
        # another upload (a file re-exported under the same name and size too): the last file's results under it
        # read as its own (20 rows shown under a file of 2)
        if upload is not None and st.session_state.get("batch_job_upload") not in (None, upload.file_id):
            for key in ("batch_job", "batch_job_file", "batch_job_upload"):
                st.session_state.pop(key, None)
        job_name = st.session_state.get("batch_job")
        if job_name:
            from core.workers import ended_before_weights_changed, side_job

            job = side_job(run, job_name)
            # predictions of weights the run no longer has (trained again since) are not this model's
            stale = job is not None and job.get("state") == "done" and ended_before_weights_changed(run, job)
            if job is None or stale:
                # said, not dropped without a word: the table the user was reading went away under them
                st.session_state.pop("batch_job")
                if stale:
                    st.info(
                        t(
                            "The last classification used the weights this run had before it was trained again: "
                            "classify the file again for this model's answers."
                        ),
                        icon=":material/update:",
                    )
                else:
                    from core.workers import BATCH_JOBS_KEPT

                    st.info(
                        t(
                            "The results of the last classification are gone: a run keeps its {n} newest "
                            "classifications, and newer ones were made since (on a shared server, perhaps by someone "
                            "else). Classify the file again to get them back.",
                            n=BATCH_JOBS_KEPT,
                        ),
                        icon=":material/history:",
                    )
            elif job.get("state") in ("starting", "running"):
                jobs.watch(run, job_name, t("Classifying in the background"))
            elif job.get("state") == "failed":
                st.error(t("The batch could not be classified: {error}", error=md(tm(job.get("error") or ""))))
            else:
                import pandas as pd

                from core.storage import download_stem

                output = run.path / "jobs" / job["result"]["output"]
                result = job["result"]
                st.success(
                    t(
                        "Classified {rows:,} texts of {file} in {seconds:.1f} s.",
                        rows=result["rows"] - result.get("blank", 0),
                        file=md(st.session_state.get("batch_job_file") or t("the file")),
                        seconds=job.get("elapsed_s", 0),
                    )
                )
                agreement = result.get("agreement")
                if isinstance(agreement, dict) and agreement.get("rows"):
                    st.caption(
                        t(
                            "The file's column {column} holds this model's classes: the predictions agree with it on "
                            "{agree:,} of {rows:,} rows ({share}).",
                            column=md(str(agreement.get("column", ""))),
                            agree=int(agreement.get("agree", 0)),
                            rows=int(agreement["rows"]),
                            share=percent_text(int(agreement.get("agree", 0)) / int(agreement["rows"])),
                        )
                    )
                if isinstance(result.get("renamed"), dict) and result["renamed"]:
                    from core.inference import renamed_note

                    st.caption(md(tm(renamed_note(result["renamed"]))))
                if result.get("blank"):
                    st.caption(
                        plural(
                            t(
                                "{n:,} blank row(s) were left unclassified: their prediction is empty, and they keep "
                                "their place in the download.",
                                n=result["blank"],
                            ),
                            result["blank"],
                        )
                    )
                if result.get("cut"):
                    from core.data import DataLimits

                    st.caption(
                        t(
                            "Texts longer than {limit:,} characters, cut to that length as for training: {n:,} (the "
                            "download's text column holds each text as the model was given it).",
                            n=result["cut"],
                            limit=DataLimits().max_text_chars,
                        )
                    )
                window = result.get("past_window")
                if window and window.get("share"):
                    st.caption(
                        t(
                            "This model reads the first {max_len:,} tokens of a text: {share:.0%} of these texts go on "
                            "past them, and the rest of each plays no part in its prediction.",
                            max_len=window["max_len"],
                            share=window["share"],
                        )
                    )
                known = result.get("known_share")
                if known == 0:  # "Only 0% … rest on those alone": there are none to rest on
                    st.warning(
                        t(
                            "None of these texts' words are in the model's vocabulary (it learned from other texts, "
                            "perhaps in another language), so its predictions say nothing about them, however confident "
                            "they look."
                        ),
                        icon=":material/translate:",
                    )
                elif known is not None and known < KNOWN_AT_LEAST:
                    st.warning(
                        t(
                            "Only {share} of these texts' words are in the model's vocabulary (it learned from other "
                            "texts, perhaps in another language), so its predictions rest on those alone, however "
                            "confident they look.",
                            share=percent_text(known),
                        ),
                        icon=":material/translate:",
                    )
                if result.get("wordless"):
                    st.warning(
                        t(
                            "Rows with no words the model reads (only emoji, symbols or punctuation): {n:,}. Their "
                            "prediction is a guess from nothing, however confident it looks.",
                            n=result["wordless"],
                        ),
                        icon=":material/warning:",
                    )
                preview = run.path / "jobs" / result["preview"] if result.get("preview") else None
                # the preview holds the rows as they are; the CSV escapes formulas and reading it back guesses types
                # (0123 would show as 123, NA as empty)
                shown = (
                    pd.read_parquet(preview)
                    if preview is not None and preview.is_file()
                    else pd.read_csv(output, nrows=200, dtype=str, keep_default_na=False)
                )
                st.dataframe(  # a blank row has no prediction: a dash, where Streamlit writes "None"
                    shown,
                    hide_index=True,
                    width="stretch",
                    column_config=prediction_table_config(shown, model.labels),
                    placeholder="–",
                )
                if result["rows"] > len(shown):
                    st.caption(
                        t(
                            "The first {shown:,} of {rows:,} rows; the download has them all.",
                            shown=len(shown),
                            rows=result["rows"],
                        )
                    )
                st.download_button(
                    t("Download predictions (CSV)"),
                    for_spreadsheets(headed_in_language(output.read_bytes(), model.labels)),
                    # named after the file classified: a second file's download would overwrite "<run>-predictions"
                    file_name=f"{download_stem(st.session_state.get('batch_job_file') or run_id)}-predictions.csv",
                    mime="text/csv",
                    key="batch_download",
                )
