"""Search: find texts by meaning with any run's encoder; more like this; diverse recommendations."""

import streamlit as st

from core.errors import StudioError
from core.registry import DatasetStore, RunStore
from core.search import collection_key as folder_key
from core.search import uploaded_collections
from ui import jobs, state
from ui.boot import through_app
from ui.i18n import t, tm
from ui.resources import model_stamp, predictor
from ui.safe_text import md
from ui.sidebar import run_label

through_app()  # a deep link on a fresh server: draw this page through app.py

st.title(t("Search"))
run = state.require_run()
if not run.model_path.is_file():
    st.info(t("Run {run} has no saved model yet ({state}).", run=md(run.id), state=md(run.status().get("state"))))
    st.stop()

datasets = {d.id: d for d in DatasetStore().list()}
collections = {d: f"{datasets[d].name} · {datasets[d].rows:,}" for d in datasets}
collections.update({ref: t("{name} (uploaded)", name=name) for ref, name in uploaded_collections().items()})
if "search_added" in st.session_state:  # a file just added: it becomes the collection
    st.session_state["search_collection"] = st.session_state.pop("search_added")
active = state.get("dataset") if state.get("dataset") in collections else next(iter(collections), None)
if active is None:
    st.info(t("No dataset to search yet: load one on the Data page, or add a file of texts below."))
top = st.columns([2, 2, 1])
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
with st.expander(t("Add a file of texts to search"), icon=":material/upload_file:"):
    upload = st.file_uploader(
        t("One text per line (.txt), or a table with a text column (CSV, TSV, JSON, JSONL, Excel, Parquet)"),
        type=["txt", "csv", "tsv", "json", "jsonl", "xlsx", "parquet"],
        key="search_upload",
    )
    if upload is not None and st.button(t("Add {file}", file=md(upload.name)), key="search_upload_go"):
        from core.errors import DataError
        from core.search import save_upload

        try:
            st.session_state["search_added"] = save_upload(upload.getvalue(), upload.name)
            st.rerun()
        except DataError as exc:
            st.error(t("Could not read {file}: {error}", file=md(upload.name), error=md(tm(exc))))
if collection_id is None:
    st.stop()
collection_key = folder_key(collection_id)
others = [r for r in RunStore().list() if r.id != run.id and r.model_path.is_file()]
compare_id = top[1].selectbox(
    t("Compare with run"),
    [None, *[r.id for r in others]],
    format_func=lambda r: t("(none)") if r is None else run_label(RunStore().get(r)),
    key="search_compare",
)
k = top[2].number_input(t("Results"), min_value=1, max_value=100, value=10, key="search_k")


@st.cache_resource(show_spinner=False, max_entries=4)
def cached_index(run_path: str, collection: str, stamp: float):
    """A stored index, read once per build (a million vectors are half a gigabyte)."""
    from pathlib import Path

    from core.search import SearchIndex

    return SearchIndex.load(Path(run_path), collection)


def index_for(run_dir):
    """The run's index of the collection, or None while a worker builds it (its progress shown)."""
    from core.search import SearchIndex

    manifest = SearchIndex.folder_for(run_dir.path, collection_key) / "manifest.json"
    if manifest.is_file():
        try:
            return cached_index(str(run_dir.path), collection_key, manifest.stat().st_mtime)
        except StudioError as exc:
            st.error(md(tm(exc)))
    from core.workers import side_job, start_side_job

    name = f"search-{collection_key}"
    job = side_job(run_dir, name)
    if job is not None and job.get("state") in ("starting", "running"):
        jobs.watch(run_dir, name, t("Embedding the collection in a worker process"))
        return None
    if job is not None and job.get("state") == "failed":
        st.error(t("Building the search index failed: {error}", error=md(tm(job.get("error") or ""))))
    if st.button(
        t("Build the search index of {run}", run=md(run_label(run_dir))),
        icon=":material/search:",
        key=f"build_{run_dir.id}",
        help=t("Embeds every text of the collection once, in a worker process; the index is kept in the run folder."),
    ):
        start_side_job(run_dir, name, "search", {"collection": collection_id})
        st.rerun()
    return None


def ask_like(item: int) -> None:
    """ "More like this": search with a stored text's own vector (the query box cleared)."""
    st.session_state["search_like"] = item
    st.session_state["search_query"] = ""
    st.session_state.pop("search_group", None)


def typed() -> None:
    """A typed query replaces "more like this" and "more like these"."""
    st.session_state.pop("search_like", None)
    st.session_state.pop("search_group", None)


if "search_seed_texts" in st.session_state:  # "More like these" from a selection on a map
    st.session_state["search_group"] = st.session_state.pop("search_seed_texts")
    st.session_state["search_query"] = ""
    st.session_state.pop("search_like", None)
group = st.session_state.get("search_group") or None
if group:
    st.caption(t("More like the {n} texts selected on the map (the middle of their vectors).", n=len(group)))
    st.button(t("Clear the selection"), key="search_clear_group", on_click=typed)

index = index_for(run)
other = RunStore().get(compare_id) if compare_id else None
other_index = index_for(other) if other is not None else None
if index is None:
    st.stop()

items = index.items
filters = st.columns([2, 2, 2])
labels = sorted(items["label"].dropna().astype(str).unique())
chosen_labels = filters[0].multiselect(t("Only these labels"), labels, key="search_labels") if labels else []
chosen_langs = filters[1].multiselect(
    t("Only these languages"), sorted(items["lang"].astype(str).unique()), key="search_langs"
)
balance = filters[2].slider(
    t("Relevance against variety"),
    0.0,
    1.0,
    1.0,
    0.1,
    key="search_balance",
    help=t("1 ranks by relevance alone; lower values also push results apart (maximal marginal relevance)."),
)

# "More like this" from another page: its text is the query (set here, where the query box is drawn:
# a widget's value set while it is not on the page would be dropped)
if "search_seed" in st.session_state:
    st.session_state["search_query"] = st.session_state.pop("search_seed")
    typed()
query = st.text_input(
    t("Query (Chinese or English)"),
    key="search_query",
    placeholder=t("e.g. 足球比赛 or the match was cancelled"),
    on_change=typed,
)
like = st.session_state.get("search_like")
if like is not None and not 0 <= like < len(items):
    like = None


def results_for(search_index, model) -> tuple[object, str]:
    """The results table and what it answers (a query, or a stored text's neighbours)."""
    options = {"labels": chosen_labels or None, "langs": chosen_langs or None}
    if like is not None:
        vector = search_index.vectors[like]
        options["exclude"] = {like}
        asked = t("More like #{id}", id=like)
    elif group:
        vector = search_index.embed_group(model, group)
        options["exclude"] = search_index.ids_of(group) or None
        asked = t("More like the selected texts")
    else:
        vector = search_index.embed_query(model, query)
        asked = t("Results for your query")
    if balance < 1.0:
        return search_index.diverse(vector, int(k), balance=balance, **options), asked
    return search_index.top(vector, int(k), **options), asked


def show(found, asked: str, key: str) -> None:
    from core.search import matched_terms

    st.caption(asked)
    for row in found.itertuples():
        box = st.container(border=True)
        head = box.columns([4, 1])
        label = "" if row.label is None or row.label != row.label else f" · {md(str(row.label))}"
        head[0].markdown(f"**{row.score:.3f}**{label} · {md(str(row.lang))} · #{row.id}")
        head[1].button(
            t("More like this"),
            key=f"{key}_like_{row.id}",
            icon=":material/manage_search:",
            on_click=ask_like,
            args=(int(row.id),),
        )
        box.markdown(highlighted(str(row.text), matched_terms(query, str(row.text)) if query else []))


def highlighted(text: str, spans: list) -> str:
    """``text`` as safe markdown with the matched spans in bold (user text never becomes markup)."""
    text = text[:600]
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
    return "".join(out)


if like is None and not query and not group:
    st.info(t("Type a query, or pick “More like this” on a result."))
    st.stop()
try:
    model = predictor(run.id, model_stamp(run))
    found, asked = results_for(index, model)
except StudioError as exc:
    st.error(md(tm(exc)))
    st.stop()
if other_index is not None:
    other_model = predictor(other.id, model_stamp(other))
    other_found, _ = results_for(other_index, other_model)
    shared = set(found["id"]) & set(other_found["id"])
    st.caption(t("{shared} of the top {k} are in both runs' results.", shared=len(shared), k=int(k)))
    left, right = st.columns(2)
    with left:
        st.subheader(md(run_label(run)))
        show(found, asked, "a")
    with right:
        st.subheader(md(run_label(other)))
        show(other_found, asked, "b")
else:
    show(found, asked, "a")
