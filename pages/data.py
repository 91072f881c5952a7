"""Data: built-in datasets and uploads, the health report, statistics, tokenisation, split, save."""

import streamlit as st

from core.catalog import list_builtins
from core.data import ENCODINGS, DataLimits, SplitConfig
from core.errors import DataError, StudioError
from core.registry import DatasetStore
from ui import charts, state
from ui.boot import through_app
from ui.safe_text import md

through_app()  # a deep link on a fresh server: draw this page through app.py

st.title("Data")
store = DatasetStore()
LIMITS = DataLimits()


def show_report(report) -> None:
    """Errors as errors, warnings as warnings, each with what to do."""
    if report.ok and not report.warnings:
        st.success(f"No problems found: {report.n_usable:,} usable rows.", icon=":material/check_circle:")
    elif report.ok:
        st.info(f"Ready to save: {report.n_usable:,} usable rows after the fixes below.", icon=":material/info:")
    for problem in report.errors:
        st.error(f"**{md(problem.message)}**  \n{md(problem.fix)}", icon=":material/error:")
    for problem in report.warnings:
        st.warning(f"**{md(problem.message)}**  \n{md(problem.fix)}", icon=":material/warning:")


def show_statistics(frame, key: str) -> None:
    """Class balance, text length per language, sample rows, tokenisation preview."""
    from core.text import detect_language

    if "lang" not in frame.columns:
        frame = frame.assign(lang=frame["text"].astype(str).map(detect_language))
    left, right = st.columns(2)
    with left:
        counts = frame["label"].dropna().astype(str).value_counts().to_dict()
        if counts:
            st.plotly_chart(charts.class_balance(counts), key=f"{key}_balance")
        else:
            st.info("No labels: this data can be used for pretraining.")
    with right:
        st.plotly_chart(charts.length_histogram(frame), key=f"{key}_lengths")
    st.subheader("Sample rows")
    st.dataframe(
        frame.sample(min(8, len(frame)), random_state=0)[["text", "label", "lang"]], hide_index=True, width="stretch"
    )
    with st.expander("Tokenisation preview: characters, jieba words and WordPiece", icon=":material/text_fields:"):
        tokenisation_preview(frame, key)


@st.cache_resource(show_spinner="Training a WordPiece vocabulary on a sample…", max_entries=8)
def preview_wordpiece(texts: tuple[str, ...]):
    from core.text import WordPieceTokenizer

    return WordPieceTokenizer(vocab_size=4000, min_freq=2).train(list(texts))


def tokenisation_preview(frame, key: str) -> None:
    from core.text import make_tokenizer

    sample = frame["text"].astype(str).head(2000)
    wordpiece = preview_wordpiece(tuple(sample))
    tokenizers = {"characters": make_tokenizer("char"), "jieba words": make_tokenizer("jieba"), "WordPiece": wordpiece}
    for text in frame["text"].astype(str).sample(min(3, len(frame)), random_state=1):
        st.text(text[:300])
        rows = [
            {"tokeniser": name, "tokens": len(tok.tokens(text)), "split": " · ".join(tok.tokens(text)[:60])}
            for name, tok in tokenizers.items()
        ]
        st.dataframe(rows, hide_index=True, width="stretch")


if "data_saved" in st.session_state:
    st.success(st.session_state.pop("data_saved"), icon=":material/check_circle:")

builtin_tab, upload_tab, stored_tab = st.tabs(["Built-in datasets", "Upload a file", "Stored datasets"])

with builtin_tab:
    for dataset in list_builtins():
        with st.container(border=True):
            cols = st.columns([4, 1])
            cols[0].markdown(f"**{dataset.title}**  \n{dataset.description}")
            stored = store.exists(dataset.name)
            if cols[1].button(
                "Open" if stored else "Load", key=f"load_{dataset.name}", type="secondary" if stored else "primary"
            ):
                try:
                    with st.spinner(f"Loading {dataset.title}…"):
                        info = store.ensure_builtin(dataset.name)
                    state.set("dataset", info.id)
                    state.set("run", None)
                    st.rerun()
                except StudioError as exc:
                    st.error(md(exc))

with upload_tab:
    st.write(
        "CSV, TSV, JSONL, TXT (one text per line, or fastText `__label__x text`), Excel or Parquet. "
        f"Up to {LIMITS.max_file_mb:.0f} MB and {LIMITS.max_rows:,} rows."
    )
    upload = st.file_uploader(
        "Data file", type=["csv", "tsv", "jsonl", "json", "ndjson", "txt", "xlsx", "parquet"], key="upload"
    )
    encoding_choice = st.selectbox(
        "Text encoding",
        ["automatic", *ENCODINGS],
        help="Leave on automatic unless the preview looks garbled.",
        key="encoding",
    )
    if upload is not None:
        from core.data import load_file, to_examples, validate

        try:
            table = load_file(
                upload.getvalue(),
                upload.name,
                encoding=None if encoding_choice == "automatic" else encoding_choice,
                limits=LIMITS,
            )
        except DataError as exc:
            st.error(f"**Could not read {md(upload.name)}.** {md(exc)}", icon=":material/error:")
            table = None
        if table is not None:
            st.caption(
                f"Read as **{md(table.file_format.upper())}**, encoding **{md(table.encoding)}**, {len(table.frame):,} rows, "
                f"columns: {md(', '.join(map(str, table.columns)))}"
            )
            st.dataframe(table.frame.head(5), hide_index=True, width="stretch")
            cols = st.columns(2)
            text_options = table.columns
            table.text_column = cols[0].selectbox(
                "Text column",
                text_options,
                index=text_options.index(table.text_column) if table.text_column in text_options else 0,
                key="text_col",
            )
            label_options = ["(none: unlabelled)", *[c for c in table.columns if c != table.text_column]]
            guess = table.label_column if table.label_column in label_options else "(none: unlabelled)"
            chosen_label = cols[1].selectbox(
                "Label column", label_options, index=label_options.index(guess), key="label_col"
            )
            table.label_column = None if chosen_label.startswith("(none") else chosen_label
            labelled = table.label_column is not None
            examples = to_examples(table)
            report = validate(examples, LIMITS, require_labels=labelled, table=table)
            st.subheader("Health report")
            show_report(report)
            if report.ok:
                from core.data import clean, stratified_split

                frame = clean(examples, LIMITS, require_labels=labelled)
                show_statistics(frame, "upload")
                st.subheader("Split and save")
                cols = st.columns(4)
                val = cols[0].slider("Validation share", 0.0, 0.3, 0.1, 0.05, key="val_share")
                test = cols[1].slider("Test share", 0.0, 0.4, 0.2, 0.05, key="test_share")
                seed = int(cols[2].number_input("Seed", value=13, step=1, key="split_seed"))
                name = cols[3].text_input("Name", value=upload.name.rsplit(".", 1)[0], key="dataset_name")
                if st.button("Save dataset", type="primary", icon=":material/save:", key="save_dataset"):
                    try:
                        split = SplitConfig(val, test, seed)
                        frame["split"] = stratified_split(frame["label"], split)
                        info = store.save(frame, name or "dataset", f"upload:{upload.name}", split.__dict__)
                        state.set("dataset", info.id)
                        state.set("run", None)
                        counts = info.split_counts
                        splits = " · ".join(
                            f"{name} {counts[name]:,}" for name in ("train", "val", "test") if name in counts
                        )
                        # shown after the rerun that puts the new dataset in the sidebar
                        st.session_state["data_saved"] = (
                            f"Saved **{md(info.name)}**: {info.rows:,} rows ({md(splits)}). It is now the active dataset."
                        )
                        st.rerun()
                    except (StudioError, ValueError) as exc:
                        st.error(md(exc))
            else:
                st.info("Nothing was saved. Fix the errors above (or pick other columns) and the save button appears.")

with stored_tab:
    datasets = store.list()
    if not datasets:
        st.info("No stored datasets yet. Load a built-in one or upload a file.")
    else:
        st.dataframe(
            [
                {
                    "id": d.id,
                    "name": d.name,
                    "rows": d.rows,
                    "classes": len(d.labels),
                    "languages": ", ".join(d.languages),
                    "source": d.source,
                }
                for d in datasets
            ],
            hide_index=True,
            width="stretch",
        )

active = state.get("dataset")
if active and store.exists(active):
    from ui.resources import dataset_frame

    info = store.info(active)
    st.divider()
    st.header(f"Active dataset: {md(info.name)}")
    cols = st.columns(4)
    cols[0].metric("Rows", f"{info.rows:,}")
    cols[1].metric("Classes", len(info.labels) or "unlabelled")
    cols[2].metric("Languages", md(", ".join(f"{k} {v:,}" for k, v in info.languages.items())))
    cols[3].metric(
        "Split",
        " / ".join(f"{info.split_counts.get(k, 0):,}" for k in ("train", "val", "test")),
        help="train / validation / test",
    )
    show_statistics(dataset_frame(active, info.sha256), "active")
    st.page_link(
        "pages/train.py",
        label="Train on this dataset",
        icon=":material/arrow_forward:",
        query_params=state.params(),
    )
