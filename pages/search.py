"""Search: find texts by meaning with any run's encoder; more like this; diverse recommendations."""

import re

import streamlit as st

from core.errors import StudioError
from core.registry import DatasetStore, RunStore
from core.search import collection_key as folder_key
from core.search import uploaded_collections
from ui import jobs, presenter, state
from ui.boot import through_app
from ui.i18n import LANGUAGE_WORDS, language_name, listed, plural, read_error, sentences, t, tm, unsigned_zero
from ui.i18n import lang as ui_language
from ui.resources import predictor, run_stamp
from ui.safe_text import WORD_JOINER, isolated, md
from ui.sidebar import dataset_name, dataset_title, distinct_labels, run_label, run_title, short_name

through_app()  # a deep link on a fresh server: draw this page through app.py

st.title(t("Search"))
run = state.require_run()
if not jobs.model_ready(run):
    st.stop()
# written for the starter's topics, and found by an encoder trained on its four classes: "the match was
# cancelled" found sports texts, none of them about a cancelled match (a classifier's vectors group texts by
# class first; a dish or a gadget is a detail they keep, a cancellation is not)
EXAMPLE_QUERIES = {"en": "a bowl of spicy noodles", "zh": "一碗很辣的牛肉面"}
# the other built-in sets' own kind of query; a user's data gets no example ("比赛取消了" over hotel reviews)
BUILTIN_QUERIES = {"bbc": "interest rates rise again", "zh_reviews": "物流很快，质量不错"}

datasets = {d.id: d for d in DatasetStore().list()}
# "酒店评论 · 296" said 296 of what: the count says texts
collections = {d: t("{name} · {rows:,} texts", name=dataset_name(datasets[d]), rows=datasets[d].rows) for d in datasets}
uploads = uploaded_collections()
collections.update(
    {ref: t("{name} (uploaded) · {rows:,} texts", name=name, rows=rows) for ref, (name, rows) in uploads.items()}
)
collections = distinct_labels(collections)
if "search_added" in st.session_state:  # a file just added: it becomes the collection
    st.session_state["search_collection"] = st.session_state.pop("search_added")
if st.session_state.get("search_collection") not in collections:
    st.session_state.pop("search_collection", None)
active = state.get("dataset") if state.get("dataset") in collections else next(iter(collections), None)
if active is None:
    st.info(t("No dataset to search yet: load one on the Data page, or add a file of texts below."))
# while presenting, the collection and settings fold away: the query box is what the audience watches
top = presenter.controls(t("Collection and settings")).columns([2, 2, 1])
collection_id = (
    top[0].selectbox(
        t("Collection"),
        list(collections),
        index=list(collections).index(active),
        format_func=lambda c: collections.get(c, c),
        key="search_collection",
        help=t("The texts to search: every split of a stored dataset, or a file of texts you added (labels optional)."),
    )
    if collections
    else None
)
# finished runs only: a stopped or failed run's half-trained encoder would lose the comparison for nothing
others = [
    r for r in RunStore().list() if r.id != run.id and r.model_path.is_file() and r.status().get("state") == "done"
]
here = run.config().get("dataset")
others.sort(key=lambda r: r.config().get("dataset") != here)  # this dataset's runs first, newest first


def compare_label(run_id: str) -> str:
    """A run to compare with, as the picker shows it; one trained on another dataset says which (two
    "tiny Transformer" runs told apart only by their ids)."""
    other = RunStore().get(run_id)
    there = other.config().get("dataset")
    return run_label(other) if there == here else f"{run_label(other)} · {dataset_title(there)}"


# "" for no run, not None: a language switch redraws kept string choices, and "(none)" stayed English
compare_options = ["", *[r.id for r in others]]
if st.session_state.get("search_compare") not in compare_options:  # the run now active, or one deleted since
    st.session_state["search_compare"] = ""  # else the box shows Streamlit's untranslated "Choose an option"
compare_id = (
    top[1].selectbox(
        t("Compare with run"),
        compare_options,
        format_func=lambda r: compare_label(r) if r else t("(none)"),
        key="search_compare",
    )
    or None
)
k = top[2].number_input(t("Results"), min_value=1, max_value=100, value=10, key="search_k")


@st.cache_data(show_spinner=False, max_entries=8)
def search_upload_table(file_id: str, name: str, sheet: str | None, _data: bytes):
    """An upload read as a table, to offer its columns; None when it cannot be read (adding it says why)."""
    from core.data import load_file
    from core.errors import DataError

    try:
        return load_file(_data, name, sheet=sheet)
    except DataError:
        return None


if not presenter.active() or active is None:  # adding files is the operator's work, unless nothing is there
    with st.expander(t("Add a file of texts to search"), icon=":material/upload_file:"):
        from core.data import UPLOAD_EXTENSIONS

        upload = st.file_uploader(
            t("One text per line (.txt), or a table with a text column (CSV, TSV, JSON, JSONL, Excel, Parquet)"),
            type=list(UPLOAD_EXTENSIONS),
            key="search_upload",
        )
        sheet = None
        if upload is not None:
            from core.data import likely_sheet, workbook_sheets

            sheets = workbook_sheets(upload.getvalue())
            if len(sheets) > 1:  # the texts need not be on the first sheet
                sheet = st.selectbox(
                    t("Sheet"),
                    sheets,
                    index=likely_sheet(upload.getvalue(), sheets),
                    key=f"search_sheet-{upload.name}-{upload.size}",
                )
                sheet = None if sheet == sheets[0] else sheet  # the first sheet keeps the collection it always was
        columns = None
        if upload is not None:
            # a table's text columns, several joined as at import: a CRM export's subject + body was searched
            # by the guessed body alone, and nothing said which column was read
            table = search_upload_table(upload.file_id, upload.name, sheet, upload.getvalue())
            if table is not None and len(table.columns) > 1:
                columns = st.multiselect(
                    t("Text columns"),
                    table.columns,
                    default=[c for c in table.chosen_text_columns if c in table.columns] or table.columns[:1],
                    key=f"search_cols-{upload.file_id}-{sheet}",
                    help=t("Several are joined into one text, in the order picked, as at import."),
                )
        if (
            upload is not None
            and columns != []
            and st.button(t("Add {file}", file=md(upload.name)), key="search_upload_go")
        ):
            from core.errors import DataError
            from core.search import save_upload

            try:
                added = save_upload(upload.getvalue(), upload.name, text_column=columns or None, sheet=sheet)
                st.session_state["search_added"] = added
                st.session_state["search_added_note"] = (upload.name, uploaded_collections()[added][1])
                st.rerun()
            except DataError as exc:
                st.error(read_error(upload.name, exc))
        if collection_id in uploads and st.button(
            t("Remove the uploaded collection “{name}”", name=md(uploads[collection_id][0])),
            icon=":material/delete:",
            key="search_upload_remove",
            help=t("Forgets the file, and the search indexes built from it in every run folder."),
        ):
            from core.search import remove_upload

            remove_upload(collection_id)
            st.rerun()
if "search_added_note" in st.session_state:
    name, rows = st.session_state.pop("search_added_note")
    st.success(
        plural(t("Added {file}: {rows:,} text(s) to search.", file=md(name), rows=rows), rows), icon=":material/check:"
    )
if collection_id is None:
    st.stop()
collection_key = folder_key(collection_id)


def ask_like(item: int) -> None:
    """ "More like this": search with a stored text's own vector (the query box cleared)."""
    st.session_state["search_like"] = (collection_key, item)
    st.session_state["search_query"] = ""
    st.session_state.pop("search_group", None)


def typed() -> None:
    """A typed query replaces "more like this" and "more like these"."""
    st.session_state.pop("search_like", None)
    st.session_state.pop("search_group", None)


# A text handed over by another page ("More like this" on a mistake or a neighbour) is the query;
# the query box is drawn on every visit, before anything that may stop the page, so what was typed
# survives a collection whose index is still being built.
# a text handed over asks for its neighbours now: a missing index starts building without a second click
handed_over = "search_seed" in st.session_state or "search_seed_texts" in st.session_state
if "search_seed" in st.session_state:
    st.session_state["search_query"] = st.session_state.pop("search_seed")
    st.session_state["search_from"] = st.session_state["search_query"]
    typed()
if "search_seed_texts" in st.session_state:  # "More like these" from a selection on a map
    st.session_state["search_group"] = st.session_state.pop("search_seed_texts")
    st.session_state["search_query"] = ""
    st.session_state.pop("search_like", None)
# the example in the collection's language: an English example over Chinese reviews asked for English
# (a bilingual collection, or a file of texts: the interface's language)
from core.text import dominant_of_counts  # noqa: E402 (here, as the page needs it: the module is not small)

languages = datasets[collection_id].languages if collection_id in datasets else {}
main_language = dominant_of_counts(languages) if languages else ui_language()
main_language = main_language if main_language in EXAMPLE_QUERIES else ui_language()


def example_query(collection: str | None, language: str) -> str:
    """The query box's placeholder: a query of the collection's own kind, in its language.

    A built-in set has one written for it; a user's dataset, the opening words of one of its texts
    (a query written for the starter's topics was offered over hotel reviews); a file of texts, none."""
    if collection in BUILTIN_QUERIES:
        return t("e.g. {example}", example=BUILTIN_QUERIES[collection])
    if collection == "starter":
        return t("e.g. {example}", example=EXAMPLE_QUERIES.get(language, EXAMPLE_QUERIES["en"]))
    opening = opening_of(collection, datasets[collection].sha256) if collection in datasets else None
    return t("e.g. {example}", example=opening) if opening else t("a few words, or a whole text")


@st.cache_data(show_spinner=False, max_entries=32)
def opening_of(dataset_id: str, sha: str) -> str | None:
    """The opening words of one of a dataset's first 200 texts (cached per content: the placeholder is
    drawn on every rerun, and the dataset may hold 200,000 rows)."""
    from core.errors import StudioError
    from core.registry import DatasetStore

    try:
        texts = DatasetStore().load(dataset_id)["text"].head(200)
    except StudioError:  # a damaged dataset: the search itself says so; the placeholder needs no example
        return None
    return next((words for text in texts if len(words := opening_words(str(text))) >= 4), None)


OPENING_WIDTH = 24  # of a query example: 12 Chinese characters (each as wide as two Latin ones), or 4 words


def opening_words(text: str) -> str:
    """The first words of ``text`` up to a punctuation mark: four words, or a clause of mixed text up to
    24 columns whole; a longer one is cut after a character (never inside "iPhone") and says so with
    "…" ("这个机械键盘是正" read as a query, cut inside 正品)."""
    head = re.split(r"[，。！？；：、,.!?;:]", " ".join(text.split()), maxsplit=1)[0].strip()
    if not re.search(r"[\u2e80-\U0002ffff]", head):
        return " ".join(head.split()[:4])
    out, width = "", 0
    pieces = re.findall(r"[\u2e80-\U0002ffff]|[^\s\u2e80-\U0002ffff]+|\s+", head)
    for i, piece in enumerate(pieces):
        wide = 2 if re.match(r"[\u2e80-\U0002ffff]", piece) else len(piece)
        if width + wide > OPENING_WIDTH:
            return out.strip() + "…" if i else piece
        out += piece
        width += wide
    return out.strip()


if st.session_state.pop("search_clear_query", False):  # a handed-over text found in the collection (below)
    st.session_state["search_query"] = ""
query = st.text_input(
    t("Query (Chinese or English)"),
    key="search_query",
    placeholder=example_query(collection_id, main_language),
    on_change=typed,
)
query = query if query.strip() else ""  # spaces (full-width ones too) ask nothing: "   " ranked texts at 0.84
group = st.session_state.get("search_group") or None
if group:
    cols = st.columns([4, 1])
    cols[0].caption(t("More like the {n:,} texts selected on the map (the middle of their vectors).", n=len(group)))
    cols[1].button(t("Clear the selection"), key="search_clear_group", on_click=typed)


@st.cache_resource(show_spinner=False, max_entries=4)
def cached_index(run_path: str, collection: str, stamp: float):
    """A stored index, read once per build (a million vectors are half a gigabyte)."""
    from pathlib import Path

    from core.search import SearchIndex

    return SearchIndex.load(Path(run_path), collection)


SEARCH_SUPERSEDED = "Stopped: another collection or run was picked before the index was built."


def index_for(run_dir, build_now: bool = False, compared: bool = False):
    """The run's index of the collection, or None while a worker builds it (its progress shown).

    ``build_now`` starts the build at once instead of offering the button (a text was handed over);
    ``compared``: the run beside the active one, whose button says so.
    """
    from core.search import SearchIndex, collection_source, search_job_name

    manifest = SearchIndex.folder_for(run_dir.path, collection_key) / "manifest.json"
    current = SearchIndex.is_current(run_dir.path, collection_key, collection_source(collection_key))
    if manifest.is_file() and not current:  # the dataset changed since: its texts or labels would be stale
        st.caption(
            t(
                "This index is out of date (the collection, the run's weights or the studio changed since it was built); it is built again."
            )
        )
        build_now = True
    if manifest.is_file() and current:
        try:
            return cached_index(str(run_dir.path), collection_key, manifest.stat().st_mtime)
        except StudioError as exc:
            st.error(md(tm(exc)))
            # built, yet unreadable (damaged since, or written from vectors no load accepts): built again at
            # a click, not at every query, as each build ended "done" and the next query started another
            build_now = False
        except FileNotFoundError:  # replaced between the check and the read (another session's build)
            build_now = False
    from core.workers import failed_on_older_weights, side_job

    name = search_job_name(collection_key)
    spot = "search_compared" if compared else "search_main"
    job = side_job(run_dir, name)
    if failed_on_older_weights(run_dir, job):
        job = None  # the weights were replaced since: their failure says nothing of the new ones
    if job is not None and job.get("state") in ("starting", "running"):
        jobs.watch(run_dir, name, t("Embedding the collection in the background"))
        return None
    if job is not None and job.get("state") == "failed":
        st.error(t("Building the search index failed: {error}", error=md(tm(job.get("error") or ""))))
    elif build_now:
        # a build this session started for another collection (or run) stops: a query typed while
        # picking three collections kept three workers embedding at once, for the one shown
        jobs.supersede(run_dir, name, spot, SEARCH_SUPERSEDED)
        if jobs.start_job(run_dir, name, "search", {"collection": collection_id}):
            from ui.sidebar import keep_notices

            keep_notices()  # "run … was deleted; another is shown" stays for the redraw
            st.rerun()
        return None  # a full or read-only home: the reason is on the page
    if st.button(
        # the run's id made the label too long for its button
        t("Build the search index of the run to compare") if compared else t("Build the search index"),
        icon=":material/search:",
        key=f"build_{run_dir.id}",
        help=t(
            "Embeds every text of the collection once with {run}, in the background; the index is kept in the run folder.",
            run=md(run_dir.id),
        ),
    ):
        jobs.supersede(run_dir, name, spot, SEARCH_SUPERSEDED)
        if jobs.start_job(run_dir, name, "search", {"collection": collection_id}):
            st.rerun()
    return None


# a typed query, like a handed-over text, asks for results: build a missing index rather than wait for a click;
# so does presenting (an audience watched a lone "Build the search index" button)
index = index_for(run, build_now=handed_over or bool(query) or presenter.active())
other = RunStore().get(compare_id) if compare_id else None
other_index = index_for(other, build_now=handed_over or bool(query), compared=True) if other is not None else None
if index is None:
    st.stop()

items = index.items
labels = sorted(items["label"].dropna().astype(str).unique())
# while presenting, folded: two filters and a slider above the results left room for one of them at 720 px
filters = presenter.controls(t("Filters")).columns(3 if labels else 2)
chosen_labels = (
    filters[0].multiselect(t("Only these labels"), labels, key="search_labels", placeholder=t("all labels"))
    if labels
    else []
)
LANGUAGES = {code: language_name(code) for code in LANGUAGE_WORDS}
chosen_langs = filters[-2].multiselect(
    t("Only these languages"),
    sorted(items["lang"].astype(str).unique()),
    format_func=lambda code: LANGUAGES.get(code, code),
    key="search_langs",
    placeholder=t("all languages"),
)
balance = filters[-1].slider(
    # which end is which: "Relevance against variety" read left to right put relevance at 0, where variety is
    t("Variety ↔ relevance"),
    0.0,
    1.0,
    1.0,
    0.1,
    key="search_balance",
    help=t(
        "1 ranks by relevance alone; lower values also push results apart (maximal marginal relevance), "
        "so a result may rank above a closer one that repeats what is already shown."
    ),
)
handed = st.session_state.get("search_from")
if handed and query == handed and not group:
    # a neighbour or a mistake handed over is a text of this collection: asked about as Search's own "More like
    # #N" asks (a whole article pasted into the query box read "Results for your query")
    found_ids = index.ids_of([handed])
    if found_ids:
        st.session_state["search_like"] = (collection_key, min(found_ids))
        st.session_state["search_clear_query"] = True
        st.session_state.pop("search_from", None)
        st.rerun()
like = st.session_state.get("search_like")
like = like[1] if isinstance(like, (tuple, list)) and like[0] == collection_key and 0 <= like[1] < len(items) else None
GROUP_SAMPLE = 300  # texts of a selection embedded for its middle: a seeded sample of bigger ones


def results_for(search_index, model) -> tuple[object, str]:
    """The results table and what it answers (a query, a stored text's or a selection's neighbours),
    with what a typical text of the collection scores against the same query; ``(None, why)`` when
    the stored text asked about has nothing this encoder can read."""
    options = {"labels": chosen_labels or None, "langs": chosen_langs or None}
    if like is not None:
        try:
            vector = search_index.item_vector(like)
        except StudioError as exc:  # nothing in it this encoder reads: its zero vector "found" the first texts
            return None, tm(exc)
        # itself and its copies (SearchIndex.more_like's rule): an upload with a sentence four times
        # answered "more like #1" with the same sentence three times, at 1.000
        options["exclude"] = {like} | search_index.ids_of([str(search_index.items["text"].iloc[like])])
        seed_text = str(search_index.items["text"].iloc[like]).replace("\n", " ")
        asked = t(
            "More like #{id}: “{snippet}”",
            id=like + 1,
            snippet=md(seed_text[:120] + ("…" if len(seed_text) > 120 else "")),
        )
    elif group:
        import numpy as np

        sample = group
        if len(group) > GROUP_SAMPLE:  # a selection arrives grouped by class: sample it evenly
            picked = np.random.default_rng(0).choice(len(group), GROUP_SAMPLE, replace=False)
            sample = [group[i] for i in sorted(picked)]
        # only texts this encoder can read: five Chinese texts given to an English model found ten
        # texts at 1.000, ranked by the model's bias alone (a typed query so unread is refused)
        sample = [text for text in sample if model.known_share(text) != 0]
        if not sample:
            return None, t(
                "This model knows none of the words of the selected texts: it cannot place them, so no "
                "results are shown. Pick a run trained on texts like these."
            )
        vector = search_index.embed_group(model, sample)
        options["exclude"] = search_index.ids_of(group) or None  # the whole selection is left out
        asked = t("More like the selected texts")
    else:
        vector = search_index.embed_query(model, query)
        asked = t("Results for your query")
        if query == st.session_state.get("search_from"):  # a text from another page: not itself again
            options["exclude"] = search_index.ids_of([query]) or None
    # the yardstick for the scores, before an audience too: without it "0.875" said nothing
    asked += " · " + t(
        "a typical text here scores {score:.2f}", score=unsigned_zero(search_index.typical_score(vector), 2)
    )
    if balance < 1.0:
        return search_index.diverse(vector, int(k), balance=balance, **options), asked
    return search_index.top(vector, int(k), **options), asked


def show(found, asked: str, key: str, shared: set | None = None) -> None:
    from core.search import matched_terms

    if found is None:
        st.warning(md(asked), icon=":material/block:")
        return
    st.caption(asked)
    if found.empty:  # a one-text collection, or filters that leave nothing: say so, not a bare caption
        st.info(t("No results: no other text of the collection passes the filters."), icon=":material/info:")
    for row in found.itertuples():
        box = st.container(border=True)
        head = box.columns([3, 2] if shared is not None else [4, 1])
        label = "" if row.label is None or row.label != row.label else f" · {md(str(row.label))}"
        both = t(" · in both") if shared and row.id in shared else ""
        lang = LANGUAGES.get(str(row.lang), str(row.lang))
        # counted from 1, as a person counts the texts of a file (Evaluate's mistakes too): #0 read as a glitch
        number = "" if presenter.active() else f" · #{row.id + 1}"  # the operator's handle, not the audience's
        # where the collection keeps its file's rows, to find the text there; a file added here numbers its
        # texts by the file already, so its "#N" says it unless the two part (blank lines left out)
        in_file = getattr(row, "row", None)
        said_by_number = collection_key.startswith(("upload-", "file-")) and in_file == row.id + 1
        if in_file is not None and not said_by_number and not presenter.active():
            number += " · " + t("row {n:,} of the file", n=int(in_file))
        head[0].markdown(f"**{row.score:.3f}**{label} · {md(lang)}{number}{both}")
        head[1].button(
            t("More like this"),
            key=f"{key}_like_{row.id}",
            icon=":material/manage_search:",
            on_click=ask_like,
            args=(int(row.id),),
        )
        text = str(row.text)
        spans = matched_terms(query, text) if query else []
        box.markdown(isolated(highlighted(text, spans)))  # an Arabic result read with its full stop in front
        # a code block shows the text exactly and copies it with its button: the page's markdown keeps links
        # and shortcodes from firing with invisible joiners, and a URL copied from it came with them
        if len(text) > RESULT_CHARS:  # a contract's clause that matched, and no way to read past 600 characters
            with box.expander(t("Read it whole ({n:,} characters)", n=len(text))):
                st.code(text, language=None, wrap_lines=True)
        elif WORD_JOINER in md(text):
            with box.expander(t("The exact text, to copy")):
                st.code(text, language=None, wrap_lines=True)


RESULT_CHARS = 600  # of a result's text shown on the page
LEAD_CHARS = 80  # of a long text, shown before the part its matches are in


def shown_part(text: str, spans: list) -> tuple[int, int]:
    """The part of a result's text shown: its start, or, where the query's words are found only further in,
    the window of ``RESULT_CHARS`` holding most of them. On legal documents the first 600 characters were a
    table of contents, and the clause that matched was never seen."""
    if len(text) <= RESULT_CHARS or not spans:
        return 0, min(len(text), RESULT_CHARS)
    starts = sorted(start for start, _ in spans)
    if starts[0] < RESULT_CHARS - LEAD_CHARS:
        return 0, RESULT_CHARS
    reach = RESULT_CHARS - LEAD_CHARS
    best, most, last = starts[0], 0, 0
    for first, start in enumerate(starts):  # a sliding window: 2,990 matches compared pairwise took 0.5 s
        while last < len(starts) and starts[last] < start + reach:
            last += 1
        if last - first > most:
            best, most = start, last - first
    begin = max(0, best - LEAD_CHARS)
    space = text.rfind(" ", max(0, begin - 20), begin)  # from a word's start where words are spaced
    begin = space + 1 if space >= 0 else begin
    return begin, min(len(text), begin + RESULT_CHARS)


def highlighted(text: str, spans: list) -> str:
    """``text`` as safe markdown with the matched spans in bold (user text never becomes markup); a long
    text by the part ``shown_part`` picks, with "…" where it is cut."""
    begin, end = shown_part(text, spans)
    before, cut = begin > 0, end < len(text)
    text = text[begin:end]
    spans = [(start - begin, stop - begin) for start, stop in spans if start >= begin]
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:  # touching spans: one bold run, not "**足****球**"
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, last = [], 0
    for start, end in merged:
        if start >= len(text) or start < last:
            continue
        out.append(md(text[last:start]))
        out.append(f"**{md(text[start : min(end, len(text))])}**")
        last = min(end, len(text))
    out.append(md(text[last:]))
    if cut:  # a result shows a part only: say so, rather than stop mid-sentence
        out.append(" …")
    return ("… " if before else "") + "".join(out)


if like is None and not query and not group:
    st.info(t("Type a query, or pick “More like this” on a result."))
    st.stop()


def can_read(model) -> bool:
    """Whether ``vocabulary_check`` lets this model's results be shown (it refuses a typed query of no
    words, or none it knows); said without drawing its warnings."""
    from core.data import has_content

    if not query or like is not None or group:
        return True
    return has_content(query) and model.known_share(query) != 0


def reads_collection(model, index, language: str, sample: int = 30) -> bool:
    """Whether ``model`` knows most of the words of the collection's first ``sample`` texts in ``language``
    (a Chinese-only run over the bilingual starter set read its Chinese texts, not the English query's)."""
    items = index.items
    if "text" not in items or "lang" not in items:
        return False
    texts = items.loc[items["lang"].astype(str) == language, "text"].astype(str).head(sample).tolist()
    shares = [share for share in (model.known_share(text) for text in texts) if share is not None]
    return bool(shares) and sum(shares) / len(shares) >= 0.5


def script_note(query: str, index) -> None:
    """Say when the query is in one Chinese script and the collection in the other: 服务很差 over Hong Kong
    posts found praise first, and the complaints with 服務很差 fourth, without a word of why."""
    from core.text import chinese_script, detect_language

    asked, held = chinese_script(query), index.chinese_script()
    if not asked or not held or asked == held or detect_language(query) == "ja":  # 東京の天気 is no Traditional
        return
    st.info(
        t(
            "The query is in Traditional characters, and most of this collection in Simplified ones: the model "
            "reads a word in each script (服務, 服务) as two different words, so texts with the query's words rank "
            "lower than they should. Search in Simplified characters too."
        )
        if asked == "traditional"
        else t(
            "The query is in Simplified characters, and most of this collection in Traditional ones: the model "
            "reads a word in each script (服务, 服務) as two different words, so texts with the query's words rank "
            "lower than they should. Search in Traditional characters too."
        ),
        icon=":material/translate:",
    )


def vocabulary_check(model, index, say_script: bool = True) -> bool:
    """Warn when the typed query is mostly words this model never saw: its vector is a guess, so the
    scores rank nothing (each side of a comparison asks its own model: their vocabularies differ).

    False when it saw none of them: the results would be ranked by the model's bias alone (and scored
    higher than a real match), so none are shown."""
    from core.data import has_content

    if query and like is None and not group and not has_content(query):
        # "。" found "京东" at 0.90: a vector of punctuation alone ranks by the model's bias
        st.warning(
            t(
                "The query has no words, only punctuation, symbols or emoji: there is nothing to search by, so no "
                "results are shown. Type a word or two."
            ),
            icon=":material/warning:",
        )
        return False
    from core.search import only_common_words

    if query and like is None and not group and only_common_words(query):
        # "the and of to it is" found a feature request at 0.57 beside "a typical text here scores 0.00"
        st.warning(
            t(
                "The query is only common words (the, and, of, 的…), which say nothing about a topic: the results "
                "below are little better than a random pick. Add a word that says what you are looking for."
            ),
            icon=":material/warning:",
        )
    if query and like is None and not group and say_script:
        script_note(query, index)
    known = model.known_share(query) if query and like is None and not group else None
    if known is None and query and like is None and not group and not model.tokens(query):
        known = 0.0  # "😡" to a model that reads words only: no token at all, and every text scored alike
    if known is None or known >= 0.5:
        return True
    from core.text import detect_language, dominant_of_counts

    # a query already in the collection's language: the model, not the query, is what cannot read it
    # (English reviews searched with a Chinese-only model were told to "try the collection's language")
    counts = index.items["lang"].astype(str).value_counts().to_dict() if "lang" in index.items else {}
    language = detect_language(query)
    same_language = bool(counts) and language == dominant_of_counts(counts)
    # one of the collection's languages (a bilingual set's English too; 261 Chinese tickets of 2,000 as well),
    # not a stray text or two
    here = counts.get(language, 0)
    spoken_here = bool(counts) and (here >= 0.05 * sum(counts.values()) or here >= 50)
    reads_them = spoken_here and reads_collection(model, index, language)
    if reads_them:
        # "zzzzqqq" on English news with an English model was told the model had learned "perhaps another
        # language": the model reads this collection well; only the query's words are new to it
        advice = t("The model reads this collection's texts well; these words are simply new to it: try others.")
    elif spoken_here and not same_language:
        # 退款 over English and Chinese tickets, with English MiniLM: "try words from the collection's
        # language" when Chinese was one of them
        advice = t(
            "The model reads little of this collection's texts in the query's language: search them with a run "
            "trained on such texts."
        )
    elif same_language:
        advice = t(
            "The model learned from other texts, perhaps in another language: pick a run trained on texts like these."
        )
    else:
        advice = t("Try words from the collection's language.")
    from core.text import plain_width

    plain = plain_width(query)
    if (
        plain != query and (model.known_share(plain) or 0) > known
    ):  # "ｂａｔｔｅｒｙ" beside a model that knows "battery"
        advice = t(
            "The query is typed in full-width letters (as a Chinese input method's full-width mode types them), and "
            "the model knows these words in plain letters: search for {plain}.",
            plain=md(plain),
        )
    if known == 0:
        from core.search import words_starting_with

        alike = words_starting_with(query, index.items["text"]) if "text" in index.items else []
        st.warning(
            sentences(
                t(
                    "None of the query's words are in this model's vocabulary: it cannot place the query, so no "
                    "results are shown."
                ),
                t(
                    "Words of the collection that start with it: {words}.",
                    words=listed(f"{md(word)} ({count:,})" for word, count in alike),
                )
                if alike
                else advice,
            ),
            icon=":material/warning:",
        )
        return False
    st.warning(
        sentences(
            t(
                "Only {share:.0%} of the query's words are in this model's vocabulary, so the results below say "
                "little about it.",
                share=known,
            ),
            advice,
        ),
        icon=":material/warning:",
    )
    return True


def likeness(run, model) -> str:
    """What "alike" means to this run's encoder: a classifier's vectors are shaped by the classes it
    tells apart (a sentiment model finds reviews of one mood, whatever their topic); the baseline's
    (LSA of its TF-IDF bags) and frozen MiniLM's are not."""
    config = run.config()
    encoder = config.get("encoder")
    if not model.labels:
        return t("pretrained on masked words: it finds texts worded alike")
    if encoder == "baseline":
        return t("its vectors come from the words alone, not the classes: it finds texts worded alike")
    if encoder == "pretrained" and (config.get("encoder_config") or {}).get("frozen", True):
        return t("MiniLM's own sentence vectors, not trained on the classes: it finds texts alike in general meaning")
    shown = list(model.labels[:6])
    more = len(model.labels) - len(shown)
    classes = listed(shown) + (t(" and {n} more", n=more) if more else "")
    if encoder == "ensemble":
        return t(
            "its members' vectors side by side: it finds texts alike in wording and in what tells {classes} apart",
            classes=md(classes),
        )
    return t("trained to tell {classes} apart: it finds texts alike in that respect", classes=md(classes))


try:
    model = predictor(run.id, run_stamp(run))
    found, asked = results_for(index, model)
    if other_index is not None:
        other_model = predictor(other.id, run_stamp(other))
        other_found, other_asked = results_for(other_index, other_model)
except StudioError as exc:
    st.error(md(tm(exc)))
    st.stop()
if other_index is not None:
    # "in both" only where both sides show their results: beside a side that cannot read the query,
    # eight results said "in both" of a list that was not shown
    both_shown = found is not None and other_found is not None and can_read(model) and can_read(other_model)
    shared = set(found["id"]) & set(other_found["id"]) if both_shown else set()
    overlap = st.empty()  # said above the columns, once they have said whether each model could read the query
    heads = distinct_labels({run.id: short_name(run), other.id: short_name(other)})  # two datasets' "TF-IDF + LR"
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{md(heads[run.id])}**")
        readable = vocabulary_check(model, index)
        if readable:
            show(found, asked, "a", shared)
    with right:
        st.markdown(f"**{md(heads[other.id])}**")
        other_readable = vocabulary_check(other_model, other_index, say_script=False)  # one collection: said once
        if other_readable:
            show(other_found, other_asked, "b", shared)
    if readable and other_readable and found is not None and other_found is not None:
        # "0 of the top 10 are in both" under two "cannot read it" said nothing
        # two encoders' cosines live on different scales (a bag model's 0.9 may be a Transformer's 0.5):
        # a reader compared 0.83 with 0.41 across the columns as if one model were more sure
        overlap.caption(
            sentences(
                t(  # "1 of the top 10 are" read as a slip
                    "1 of the top {k} is in both runs' results."
                    if len(shared) == 1
                    else "{shared} of the top {k} are in both runs' results.",
                    shared=len(shared),
                    k=max(len(found), len(other_found)),
                ),
                t(
                    "Each model scores on its own scale: compare the texts and their order, not the scores "
                    "across columns."
                ),
            )
        )
else:
    # which model read the query: the results are its idea of "similar", and another run's may differ
    # an untitled run goes by its short name ("bag-of-words MLP · 7cf5"), as the sidebar names it, not its
    # 30-character id ("bow_mlp-20261206-053342-7cf5")
    shown_run = short_name(run) if run_title(run) == run.id else run_title(run)
    st.caption(t("Searching with the encoder of {run}", run=md(shown_run)) + " · " + likeness(run, model))
    if vocabulary_check(model, index):
        show(found, asked, "a")
