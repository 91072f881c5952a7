"""Data: built-in datasets and uploads, the health report, statistics, tokenisation, split, save."""

import streamlit as st

from core.catalog import list_builtins
from core.data import UPLOAD_EXTENSIONS, DataLimits, SplitConfig
from core.decoding import ENCODINGS
from core.errors import DataError, StudioError
from core.registry import DatasetStore
from core.storage import changing_home
from ui import charts, manage, presenter, state
from ui.boot import through_app
from ui.i18n import language_name, listed, plural, read_error, sentences, t, tm, whole_percents
from ui.safe_text import md
from ui.sidebar import dataset_name, source_name

through_app()  # a deep link on a fresh server: draw this page through app.py

st.title(t("Data"))
store = DatasetStore()
LIMITS = DataLimits()
NO_LABEL = "(none: unlabelled)"  # the label column choice for unlabelled data (shown through t)


EXAMPLE_CHARS = 60  # an example text is cut to this many characters: a 5,000-character row is not a note


def encoding_label(code: str) -> str:
    """A text encoding as a person knows it ("GB18030 (Simplified Chinese, includes GBK)"): the codec
    names Python reads ("gb18030", "utf-8-sig") meant nothing to a user whose file read fine."""
    names = {
        "automatic": t("automatic"),
        "utf-8": "UTF-8",
        "utf-8-sig": t("UTF-8 (with a byte-order mark)"),
        "gb18030": t("GB18030 (Simplified Chinese, includes GBK)"),
        "gbk": t("GBK (Simplified Chinese)"),
        "big5": t("Big5 (Traditional Chinese)"),
        "cp950": t("CP950 (Traditional Chinese, Windows)"),
        "big5hkscs": t("Big5-HKSCS (Traditional Chinese, Hong Kong)"),
        "utf-16": "UTF-16",
        "utf-16-le": "UTF-16 LE",
        "utf-16-be": "UTF-16 BE",
        "latin-1": t("Latin-1 (Western European)"),
        "cp1252": t("Windows-1252 (Western European)"),
        "mac_roman": t("Mac Roman (Western European, old Excel for Mac)"),
        "cp949": t("CP949 (Korean)"),
        "cp932": t("Shift JIS / CP932 (Japanese)"),
        "euc-jp": t("EUC-JP (Japanese)"),
    }
    return names.get(code, code)


def problem_text(problem) -> str:
    """A finding as a note: what is wrong (bold), what to do, and up to three of the texts it is about
    ("4 texts appear with different labels … fix their labels" named none of them)."""
    text = f"**{md(tm(problem.message))}**  \n{md(tm(problem.fix))}"
    if problem.code == "empty_texts":  # "row 3, row 9": the rows have no text to show
        counted = [str(e) for e in problem.examples[:5]]
        rows = ", ".join(e.split(" ")[-1] for e in counted)
        if all(e.startswith("data row ") for e in counted):
            return text + "  \n" + t("Data rows (the header row not counted): {rows}", rows=rows)
        return text + "  \n" + t("Rows, numbered as in the file: {rows}", rows=rows)
    shown = [str(e) for e in problem.examples[:3]]
    if shown:
        cut = [e if len(e) <= EXAMPLE_CHARS else e[:EXAMPLE_CHARS].rstrip() + "…" for e in shown]
        text += "  \n" + t("For example: {examples}", examples=" · ".join(f"“{md(e)}”" for e in cut))
    return text


def merged_note(merged: dict[str, str]) -> None:
    """Under a merge checkbox: which classes joined which ("Merged: Food → food, …", the first 12)."""
    if merged:
        st.caption(
            t("Merged: {pairs}.", pairs=md(", ".join(f"{old} → {new}" for old, new in list(merged.items())[:12])))
        )


def show_report(report) -> None:
    """Errors as errors, warnings as warnings, each with what to do."""
    if report.ok and not report.warnings:
        st.success(
            plural(t("No problems found: {n:,} usable row(s).", n=report.n_usable), report.n_usable),
            icon=":material/check_circle:",
        )
    elif report.ok:
        st.info(
            plural(t("Ready to save: {n:,} usable row(s); see the notes below.", n=report.n_usable), report.n_usable),
            icon=":material/info:",
        )
    for problem in report.errors:
        st.error(problem_text(problem), icon=":material/error:")
    for problem in report.warnings:
        st.warning(problem_text(problem), icon=":material/warning:")
    for problem in report.notes:  # expected, as Excel's "Unicode Text" read as a table: said, not warned
        st.info(problem_text(problem), icon=":material/info:")
    few = few_examples_note(report)
    if few:
        st.info(few, icon=":material/info:")


def left_out_download(left, file_name: str, counted: str) -> None:
    """Every row the save leaves out (``core.data.sift``), with its row number and why, as a CSV: the
    report showed three examples cut at 60 characters, and a user fixing 23 conflicting rows in a
    600-row export could not find the others. ``counted`` says how the rows are numbered
    (``core.data.rows_counted_as``)."""
    if left.empty:
        return
    from core.data import left_out_why
    from core.export import for_spreadsheets, safe_csv

    table = left.assign(reason=left["reason"].map(lambda reason: tm(left_out_why(reason, LIMITS)))).rename(
        columns={"row": t("row"), "text": t("text"), "label": t("label"), "reason": t("why it is left out")}
    )
    st.download_button(
        plural(t("Download the {n:,} row(s) left out, with why (CSV)", n=len(left)), len(left)),
        for_spreadsheets(safe_csv(table)),
        file_name=f"{file_name.rsplit('.', 1)[0]}-left-out.csv",
        mime="text/csv",
        icon=":material/download:",
        key="left_out_download",
        help=tm(counted) + " " + t("Fix them in the file and upload it again."),
    )


def near_copies_note(info) -> None:
    """Before any run: whether test texts nearly repeat training texts (``core.leakage``), counted once in
    a worker and said here when it is known. A file two-thirds near-copies was "Ready to save", and only
    Evaluate, after training, said its 0.99 was flattered."""
    from core.leakage import cached_split_near_copies
    from core.workers import count_near_copies_in_worker, near_copies_counting
    from ui.caveats import near_copies_warning
    from ui.resources import dataset_fingerprint

    if not info.labelled or not info.labels:
        return
    known = dataset_fingerprint(info.id, info.sha256)
    if known is None:  # cannot be trained on as it is: the health report says why
        return
    folder = store.path(info.id)
    found = cached_split_near_copies(folder, known[0])
    if found is not None:
        near_copies_warning(found)
        return
    started = st.session_state.setdefault("near_copies_started", set())
    if not near_copies_counting(info.id):
        if known[0] in started:  # its worker ended without a count: not started again at every redraw
            return
        started.add(known[0])
        try:
            count_near_copies_in_worker(info.id)
        except (StudioError, OSError):  # a full or read-only home: the first run counts them instead
            return

    @st.fragment(run_every=2)
    def wait() -> None:
        if cached_split_near_copies(folder, known[0]) is not None or not near_copies_counting(info.id):
            st.session_state.update(SAVED_NOTES)  # the save's notes stay for this redraw
            st.rerun()  # counted (or the worker gave up): the page says it, and stops polling
        st.caption(":material/progress_activity: " + t("Checking the test texts for near-copies of training texts…"))

    wait()


def few_examples_note(report) -> str | None:
    """``core.data.few_examples_note`` in the reader's language, for a sound report."""
    from core.data import few_examples_note as note

    counts = report.class_counts or {}
    if not report.ok or note(counts) is None:
        return None
    return t(
        "The smallest class has {fewest:,} example(s): enough to try the studio, too few for a model worth using. "
        "Expect rough scores that change from one split to the next; a few hundred labelled texts per class is "
        "a good start, and the TF-IDF baseline copes best with few.",
        fewest=min(counts.values()),
    )


def show_statistics(frame, key: str) -> None:
    """Class balance, text length per language, sample rows, tokenisation preview."""
    from core.text import detect_language

    if "lang" not in frame.columns:
        frame = frame.assign(lang=frame["text"].astype(str).map(detect_language))
    left, right = st.columns(2)
    with left:
        counts = frame["label"].dropna().astype(str).value_counts().to_dict()
        if counts:
            st.plotly_chart(presenter.scale(charts.class_balance(counts)), key=f"{key}_balance")
        else:
            # (a handful of texts is too few even for that: the health report says so)
            enough = frame["text"].nunique() >= LIMITS.min_pretrain_texts
            st.info(t("No labels: this data can be used for pretraining.") if enough else t("No labels."))
    with right:
        st.plotly_chart(presenter.scale(charts.length_histogram(frame)), key=f"{key}_lengths")
    st.subheader(t("Sample rows"))
    sample = frame.sample(min(8, len(frame)), random_state=0)[["text", "label", "lang"]]
    st.dataframe(
        sample.assign(lang=sample["lang"].map(language_name)),
        hide_index=True,
        width="stretch",
        column_config={"text": t("text"), "label": t("label"), "lang": t("language")},
        placeholder="–",
    )
    if presenter.active():  # how texts are cut into tokens is the operator's detail, not the audience's
        return
    from core.text import detect_language, dominant_language

    # jieba on English text is a split at spaces: on English data the preview shows the English split
    head = frame["text"].astype(str).head(500)
    english = dominant_language(head) == "en"
    # jieba only where there is Chinese: on Korean, German and Thai it cut "groß" into "gro · ß", and no run
    # of such a set reads with it
    chinese = head.map(detect_language).isin(["zh", "mixed"]).mean() >= 0.05
    title = (
        t("Tokenisation preview: words and WordPiece")
        if english
        else t("Tokenisation preview: characters, jieba words and WordPiece")
        if chinese
        else t("Tokenisation preview: characters and WordPiece")
    )
    with st.expander(title, icon=":material/text_fields:"):
        tokenisation_preview(frame, key, english, chinese)


def reading_picker(slot, label: str, labels: dict[str, str], tip: str | None, key: str) -> str:
    """One of the upload's reading choices (header row, quotes, separator): the key of the option picked."""
    return slot.selectbox(label, list(labels), format_func=lambda choice: labels.get(choice, choice), help=tip, key=key)


def preview_renamed(frame, classes: list[str], renamed: dict[str, str]):
    """``frame`` with the class names typed so far, for the charts; as it is while a name is invalid
    (the save button says why)."""
    if not renamed:
        return frame
    from core.names import check_label_mapping, rename_labels_in_frame

    try:
        return rename_labels_in_frame(frame, check_label_mapping(classes, renamed))
    except DataError:
        return frame


@st.cache_resource(show_spinner=t("Training a WordPiece vocabulary on a sample…"), max_entries=8)
def preview_wordpiece(texts: tuple[str, ...]):
    from core.text import WordPieceTokenizer

    return WordPieceTokenizer(vocab_size=4000, min_freq=2).train(list(texts))


def tokenisation_preview(frame, key: str, english: bool = False, chinese: bool = True) -> None:
    """Three sample texts as each tokeniser the studio would use on them splits them."""
    from core.text import make_tokenizer

    sample = frame["text"].astype(str).head(2000)
    wordpiece = preview_wordpiece(tuple(sample))
    if english:
        tokenizers = {t("words"): make_tokenizer("word"), "WordPiece": wordpiece}
    else:
        tokenizers = {
            t("characters (Latin words whole)"): make_tokenizer("char"),
            **({t("jieba words"): make_tokenizer("jieba")} if chinese else {}),
            "WordPiece": wordpiece,
        }
    for text in frame["text"].astype(str).sample(min(3, len(frame)), random_state=1):
        st.code(text[:300], language=None, wrap_lines=True)  # a sample text: data, shown as typed
        rows = [
            {
                t("tokeniser"): name,
                t("tokens"): len(tok.tokens(text)),
                t("the text, split into tokens"): " · ".join(tok.tokens(text)[:60]),
            }
            for name, tok in tokenizers.items()
        ]
        st.dataframe(rows, hide_index=True, width="stretch")


# said once, after the save's redraw; kept for the near-copies check's own redraw (near_copies_note), which
# came seconds later and took "392 of its texts kept their split" with it
SAVED_NOTES = {key: st.session_state.pop(key) for key in ("data_saved", "data_saved_twin") if key in st.session_state}
if "data_saved" in SAVED_NOTES:
    st.success(SAVED_NOTES["data_saved"], icon=":material/check_circle:")
if "data_saved_twin" in SAVED_NOTES:
    st.info(SAVED_NOTES["data_saved_twin"], icon=":material/content_copy:")

with presenter.controls(t("Datasets and uploads")):
    # keyed and tracked, so the tab in view survives a rerun that changes the page above it (a
    # save's message): the next upload's report stays in sight instead of behind the first tab
    tab_names = [t("Built-in datasets"), t("Upload a file"), t("Stored datasets")]
    kept = st.session_state.get("data_tab")
    if kept in tab_names:
        st.session_state["data_tab_index"] = tab_names.index(kept)
    elif kept is not None:  # a language switch renamed the tabs: the same tab, in the new language
        st.session_state["data_tab"] = tab_names[st.session_state.get("data_tab_index", 0)]
    builtin_tab, upload_tab, stored_tab = st.tabs(tab_names, key="data_tab", on_change="rerun")

with builtin_tab:
    for dataset in list_builtins():
        with st.container(border=True):
            cols = st.columns([4, 1])
            cols[0].markdown(f"**{t(dataset.title)}**  \n{t(dataset.description)}")
            stored = store.exists(dataset.name)
            if stored and dataset.classes:  # the description names the classes as loaded: say what they are now
                try:
                    classes = store.info(dataset.name).labels
                except StudioError:
                    classes = list(dataset.classes)  # a damaged record is the Stored tab's to report
                if sorted(classes) != sorted(dataset.classes):
                    cols[0].caption(t("Its classes here, renamed: {classes}.", classes=md(listed(classes))))
            in_use = stored and state.get("dataset") == dataset.name  # "Open" on the open one read as a no-op
            if cols[1].button(
                t("In use") if in_use else t("Open") if stored else t("Load"),
                key=f"load_{dataset.name}",
                type="secondary" if stored else "primary",
                icon=":material/check:" if in_use else None,
                disabled=in_use,
            ):
                try:
                    with st.spinner(t("Loading {dataset}…", dataset=t(dataset.title))), changing_home(store.home):
                        info = store.ensure_builtin(dataset.name)
                    state.set("dataset", info.id)
                    state.set("run", None)
                    st.rerun()
                except StudioError as exc:
                    st.error(md(tm(exc)))

with upload_tab:
    st.write(
        t(
            "CSV, TSV, JSON or JSONL, TXT (one text per line, or fastText `__label__x text`), Excel or Parquet. "
            "Up to {mb:.0f} MB and {rows:,} rows.",
            mb=LIMITS.max_file_mb,
            rows=LIMITS.max_rows,
        )
    )
    upload = st.file_uploader(
        # .xls: web apps' "Export to Excel" writes tab-separated text so (read as it is); an old binary
        # workbook gets a message saying what to do, where the browser refused it without one
        t("Data file"),
        type=list(UPLOAD_EXTENSIONS),
        key="upload",
    )
    saved_as = st.session_state.get("upload_saved_as", {}).get(upload.file_id) if upload is not None else None
    if saved_as and store.exists(saved_as):
        # its preview, health report and charts stayed above the active dataset's, which repeat them
        st.info(
            t(
                "**{file}** is saved as **{name}**, the active dataset below. Drop another file here to import it.",
                file=md(upload.name),
                name=md(dataset_name(store.info(saved_as))),
            )
            if saved_as == state.get("dataset")
            else t(  # another dataset was picked since: "below" is that one
                "**{file}** is saved as **{name}**. Drop another file here to import it.",
                file=md(upload.name),
                name=md(dataset_name(store.info(saved_as))),
            ),
            icon=":material/check_circle:",
        )
        if st.button(t("Import this file again, with other settings"), key="upload_again"):
            st.session_state["upload_saved_as"].pop(upload.file_id, None)
            st.rerun()
        upload = None
    folded = bool(saved_as and store.exists(saved_as))  # a saved file: no reading settings under its note
    extension = upload.name.lower().rsplit(".", 1)[-1] if upload is not None else ""
    sheets: list[str] = []
    if upload is not None:
        from core.data import workbook_sheets

        sheets = workbook_sheets(upload.getvalue())
        extension = "xlsx" if sheets else extension  # a workbook saved as .csv is still a workbook
        if extension == "xls":  # not a workbook: a web app's "Export to Excel" text, read as delimited
            extension = "csv"
    encoding_choice = "automatic"
    upload_key = f"{upload.name}-{upload.size}" if upload is not None else None
    if upload_key is not None and st.session_state.get("encoding_file") not in (None, upload_key):
        # an encoding picked by hand fits the file it was picked for: Big5 chosen for one file read the
        # next, a UTF-8 one, as mojibake or refused it. One picked before any file applies to the first.
        st.session_state["encoding"] = "automatic"
        st.session_state["encoding_file"] = None
    # workbooks and Parquet files carry no text encoding to choose
    if extension not in ("xlsx", "parquet") and not folded:
        # Option labels are made now, in this run: a widget may format its value again outside the run (AppTest does).
        encoding_labels = {code: encoding_label(code) for code in ("automatic", *ENCODINGS)}
        encoding_choice = st.selectbox(
            t("Text encoding"),
            ["automatic", *ENCODINGS],
            format_func=lambda choice: encoding_labels.get(choice, choice),
            help=t("Leave on automatic unless the preview looks garbled."),
            key="encoding",
        )
        if encoding_choice != "automatic" and upload_key is not None:
            st.session_state["encoding_file"] = upload_key
    if upload is not None:
        from core.data import load_file, to_examples, validate
        from core.decoding import CUT_UTF8, CUT_UTF16, MIXED_UTF8_GB, MIXED_UTF8_WESTERN

        # per file: a new upload starts from what its own content suggests
        file_key = upload_key
        delimited = extension in ("csv", "tsv")
        reading = {"header": None, "quoting": None}
        if delimited or extension == "xlsx":  # a sheet may lack a header row too
            cols = st.columns(3 if delimited else 2)
            header_choice = reading_picker(
                cols[0],
                t("First row holds column names"),
                {"auto": t("detect"), "yes": t("yes"), "no": t("no: the first row is data")},
                None,
                f"header-{file_key}",
            )
            reading["header"] = {"auto": None, "yes": True, "no": False}[header_choice]
            if delimited:
                quoting_choice = reading_picker(
                    cols[1],
                    t("Quotes"),
                    {"auto": t("detect"), "minimal": t('"…" groups a field'), "none": t("quotes are text")},
                    t("Leave on detect unless texts lose their quote characters or run into each other."),
                    f"quoting-{file_key}",
                )
                reading["quoting"] = None if quoting_choice == "auto" else quoting_choice
                # where the sniffing reads a file wrong, the separator by hand
                separator_choice = reading_picker(
                    cols[2],
                    t("Separator"),
                    {"auto": t("detect"), ",": t("comma"), ";": t("semicolon"), "\t": t("tab"), "|": "|"},
                    t("Leave on detect unless the columns come out wrong (one column, or texts cut at commas)."),
                    f"separator-{file_key}",
                )
                if separator_choice != "auto":
                    reading["separator"] = separator_choice
            if len(sheets) > 1:  # the texts need not be on the first sheet
                from core.data import likely_sheet

                reading["sheet"] = cols[1].selectbox(
                    t("Sheet"),
                    sheets,
                    index=likely_sheet(upload.getvalue(), sheets),  # a first sheet of notes is not the data
                    help=t("The workbook's sheet that holds the texts."),
                    key=f"sheet-{file_key}",
                )
        try:
            table = load_file(
                upload.getvalue(),
                upload.name,
                encoding=None if encoding_choice == "automatic" else encoding_choice,
                limits=LIMITS,
                **reading,
            )
        except DataError as exc:
            st.error(
                read_error(upload.name, exc),
                icon=":material/error:",
            )
            table = None
        if table is not None:
            # each sheet has its own columns and classes: what was picked for one does not carry to another
            file_key = f"{file_key}-{reading['sheet']}" if "sheet" in reading else file_key
            if "sheet" in reading:  # the picker above names every sheet: a warning listing those not read adds nothing
                table.notes = [note for note in table.notes if note.code != "other_sheets"]
            read_as = {
                "format": md(table.file_format.upper()),
                "rows": len(table.frame),
                "columns": md(listed(map(str, table.columns))),  # 编号、评论 in Chinese, not 编号, 评论
            }
            st.caption(
                plural(
                    t("Read as **{format}**, {rows:,} row(s), columns: {columns}", **read_as)
                    if table.encoding.startswith("binary")  # a workbook or Parquet file has no text encoding
                    else t(
                        "Read as **{format}**, encoding **{encoding}**, {rows:,} row(s), columns: {columns}",
                        encoding=md(
                            t(table.encoding)
                            if table.encoding in (CUT_UTF8, CUT_UTF16, MIXED_UTF8_GB, MIXED_UTF8_WESTERN)
                            else encoding_label(table.encoding)
                        ),
                        **read_as,
                    ),
                    read_as["rows"],
                )
            )
            st.dataframe(table.frame.head(5), hide_index=True, width="stretch", placeholder="–")
            import hashlib

            # the pickers are keyed by the columns read too: read again with or without a header row
            # (or other quoting), a kept pick named columns that no longer exist and came back empty
            columns_seen = hashlib.sha1("\0".join(map(str, table.columns)).encode("utf-8", "replace")).hexdigest()[:8]
            columns_key = f"{file_key}-{columns_seen}"
            cols = st.columns(2)
            text_options = table.columns
            chosen = cols[0].multiselect(
                t("Text column(s)"),
                text_options,
                default=[table.text_column] if table.text_column in text_options else text_options[:1],
                help=t("Pick several to join them into one text, in the order picked (e.g. title, then description)."),
                key=f"text_cols-{columns_key}",
                placeholder=t("Pick the text column"),
            )
            if not chosen:
                st.warning(t("Pick at least one text column."), icon=":material/warning:")
                st.stop()
            table.text_column, table.text_columns = chosen[0], chosen if len(chosen) > 1 else []
            label_options = [NO_LABEL, *[c for c in table.columns if c not in chosen]]
            guess = table.label_column if table.label_column in label_options else NO_LABEL
            no_label = t("(none: unlabelled)")
            chosen_label = cols[1].selectbox(
                t("Label column"),
                label_options,
                index=label_options.index(guess),
                format_func=lambda column: no_label if column == NO_LABEL else column,
                key=f"label_col-{columns_key}",
            )
            table.label_column = None if chosen_label == NO_LABEL else chosen_label
            labelled = table.label_column is not None
            if labelled:  # "… so it was not taken as the label column" is past once one is picked
                table.notes = [note for note in table.notes if note.code != "one_class_column"]
            examples = to_examples(table)
            report = validate(examples, LIMITS, require_labels=labelled, table=table)
            if any(p.code == "web_markup" for p in report.problems) or st.session_state.get(
                f"strip_markup-{columns_key}"
            ):
                from core.data import strip_markup

                if st.checkbox(
                    t("Clean web markup"),
                    key=f"strip_markup-{columns_key}",
                    help=t(
                        "Tags (`<br>`, `<a href=…>`) are removed and entities (`&amp;`, `&quot;`) become the characters they "
                        "stand for, so the models learn the words, not the markup."
                    ),
                ):
                    examples, cleaned = strip_markup(examples)
                    report = validate(examples, LIMITS, require_labels=labelled, table=table)
                    st.caption(plural(t("Cleaned {n:,} text(s).", n=cleaned), cleaned))
            if any(p.code == "case_variants" for p in report.problems) or st.session_state.get(
                f"merge_case-{columns_key}"
            ):
                from core.data import merge_case_variants

                if st.checkbox(
                    t("Merge classes that differ only in capitals"),
                    key=f"merge_case-{columns_key}",
                    help=t(
                        "Each group of spellings (food, Food, FOOD) becomes one class, under its most frequent spelling."
                    ),
                ):
                    examples, merged = merge_case_variants(examples)
                    report = validate(examples, LIMITS, require_labels=labelled, table=table)
                    merged_note(merged)
            if any(p.code == "label_sets" for p in report.problems) or st.session_state.get(
                f"merge_sets-{columns_key}"
            ):
                from core.data import label_set_variants, merge_label_set_variants

                if label_set_variants(examples["label"]) and st.checkbox(
                    t("Merge label sets written in another order"),
                    key=f"merge_sets-{columns_key}",
                    help=t(
                        "Each group of spellings of one set of labels (billing;refund, refund; billing) becomes one "
                        "class, under its most frequent spelling."
                    ),
                ):
                    examples, merged = merge_label_set_variants(examples)
                    report = validate(examples, LIMITS, require_labels=labelled, table=table)
                    merged_note(merged)
            if labelled:
                from core.data import placeholder_classes, read_as_missing

                suggested = placeholder_classes(examples["label"])
                if suggested:  # read from the labels before any is read as missing: the box stays
                    missing = st.multiselect(
                        t("Read as missing"),
                        sorted(set(examples["label"].dropna().map(str))),
                        key=f"as_missing-{columns_key}",
                        placeholder=t("e.g. {names}", names=listed(suggested[:3])),
                        help=t(
                            "Classes that mean 'no label' (unknown, TBD): their rows are read as rows without a "
                            "label, so they are left out and listed with why."
                        ),
                    )
                    if missing:
                        examples = read_as_missing(examples, missing)
                        report = validate(examples, LIMITS, require_labels=labelled, table=table)
            st.subheader(t("Health report"))
            show_report(report)
            if report.ok:
                from core.data import rows_counted_as, sift, stratified_split

                # what clean() keeps (the report above is sound), and every row it leaves out, with why
                frame, left = sift(examples, LIMITS, require_labels=labelled)
                left_out_download(left, upload.name, rows_counted_as(examples))
                # drawn above the class names but filled after them, so the chart shows the new names
                statistics = st.container()
                classes = sorted(frame["label"].dropna().astype(str).unique()) if labelled else []
                renamed: dict[str, str] = {}
                if classes and len(classes) <= manage.MAX_EDITABLE_CLASSES:
                    # "e.g. 0 → negative" beside classes already called negative and positive read as a slip
                    coded = any(name.isdigit() or (len(name) <= 2 and name.isalnum()) for name in classes)  # not "?"
                    with st.expander(
                        t("Class names ({n}): rename them before saving, e.g. 0 → negative", n=len(classes))
                        if coded
                        else t("Class names ({n}): rename them before saving if you like", n=len(classes)),
                        icon=":material/label:",
                    ):
                        # keyed by file: a new file gets new boxes (the browser kept a reused box's old text)
                        renamed = manage.class_name_editor(classes, key=f"upload_classes-{columns_key}")
                with statistics:
                    show_statistics(preview_renamed(frame, classes, renamed), "upload")
                st.subheader(t("Split and save"))
                cols = st.columns(4)
                defaults = SplitConfig.default_for(labelled)
                val = cols[0].slider(t("Validation share"), 0.0, 0.3, defaults.val_fraction, 0.05, key="val_share")
                # unlabelled texts are for pretraining, which learns on the training share and scores on the
                # validation share: a test share of 0.2 kept a fifth of them out for nothing but the maps
                test = cols[1].slider(
                    t("Test share"),
                    # labelled: at least 5%, as training scores on the test texts and refused a dataset without
                    0.05 if labelled else 0.0,
                    0.4,
                    defaults.test_fraction,
                    0.05,
                    key="test_share" if labelled else "test_share_unlabelled",
                )
                if not labelled and test > 0:
                    st.caption(
                        t(
                            "Pretraining learns from the training share and scores itself on the validation "
                            "share; the test share only appears on the maps."
                        )
                    )
                seed = int(cols[2].number_input(t("Seed"), value=defaults.seed, step=1, key="split_seed"))
                # keyed by file: a keyed box whose default changes keeps showing (and saving) its old text
                from core.names import MAX_TITLE_CHARS, clean_title

                stem = upload.name.rsplit(".", 1)[0]
                name = cols[3].text_input(
                    t("Name"), value=stem[:MAX_TITLE_CHARS], key=f"dataset_name-{file_key}", max_chars=MAX_TITLE_CHARS
                )
                # tidied as a rename is: a blank name made a blank heading and sidebar entry
                name = clean_title(name) or clean_title(stem[:MAX_TITLE_CHARS]) or "dataset"
                # the dataset this very upload was saved as is not "another" one of that name
                saved = st.session_state.get("upload_saved_as", {}).get(upload.file_id)
                taken = [d for d in store.list() if d.name == name and d.id != saved]
                if taken:  # saved anyway (names are not ids), but two alike read as one in every picker
                    st.warning(
                        t(
                            "A dataset named **{name}** exists already ({rows:,} rows). Both are kept; pickers tell "
                            "them apart by the end of their id. Give this one another name to keep them apart.",
                            name=md(name),
                            rows=taken[0].rows,
                        )
                        if len(taken) == 1
                        # "exists already (938 rows)" named one of two, the other of 1,000 rows unsaid
                        else t(
                            "{n} datasets named **{name}** exist already ({rows} rows). All are kept; pickers tell "
                            "them apart by the end of their id. Give this one another name to keep them apart.",
                            n=len(taken),
                            name=md(name),
                            rows=listed(f"{d.rows:,}" for d in taken[:5]),
                        ),
                        icon=":material/content_copy:",
                    )
                # the same file again with its labels fixed: its texts keep their splits, so the runs before and
                # after are scored on the same test texts (one fixed label moved 84 of 425 test texts). Any
                # labelled dataset may be picked: renaming the upload, as the warning above advises, hid a
                # box that followed the name
                earlier_sets = [d for d in store.list() if d.labels and d.id != saved] if labelled else []
                keep_from = None
                if earlier_sets:
                    same_name = next((d.id for d in earlier_sets if d.name == name), None)
                    titles = {d.id: f"{dataset_name(d)} · {d.id}" for d in earlier_sets}
                    keep_from = st.selectbox(
                        t("Keep the splits of"),
                        [None, *titles],
                        index=1 + list(titles).index(same_name) if same_name else 0,
                        format_func=lambda key: t("none: split this file afresh") if key is None else titles[key],
                        key=f"keep_splits-{file_key}",
                        help=t(
                            "Texts that dataset already holds stay in the split they are in there (labels fixed or "
                            "not), so its test texts stay test texts; the shares above apply to new texts."
                        ),
                    )
                if st.button(t("Save dataset"), type="primary", icon=":material/save:", key="save_dataset"):
                    try:
                        split = SplitConfig(val, test, seed)
                        if renamed:
                            from core.names import check_label_mapping, rename_labels_in_frame

                            frame = rename_labels_in_frame(frame, check_label_mapping(classes, renamed))
                        kept = earlier = None
                        if keep_from:
                            from core.data import kept_split

                            try:
                                earlier = store.load(keep_from)
                            except (OSError, KeyError) as exc:  # damaged since it was listed: a new split, said
                                raise StudioError(
                                    f"The splits of {keep_from} cannot be read ({type(exc).__name__}); pick none to "
                                    "split this file afresh."
                                ) from None
                            frame["split"], kept, moved = kept_split(frame["text"], frame["label"], earlier, split)
                        else:
                            frame["split"] = stratified_split(frame["label"], split)
                        with changing_home(store.home):
                            info = store.save(
                                frame,
                                name,
                                f"upload:{upload.name}",
                                # which dataset it is a new version of, for whoever lists them later
                                {**split.__dict__, **({"kept_from": keep_from} if kept is not None else {})},
                                columns=table.reading(),
                            )
                        state.set("dataset", info.id)
                        state.set("run", None)
                        st.session_state.setdefault("upload_saved_as", {})[upload.file_id] = info.id
                        counts = info.split_counts
                        split_names = {"train": t("train"), "val": t("val"), "test": t("test")}
                        splits = " · ".join(
                            f"{split_names[name]} {counts[name]:,}" for name in split_names if name in counts
                        )
                        # shown after the rerun that puts the new dataset in the sidebar
                        st.session_state["data_saved"] = plural(
                            t(
                                "Saved **{name}**: {rows:,} row(s) ({splits}). It is now the active dataset.",
                                name=md(info.name),
                                rows=info.rows,
                                splits=md(splits),
                            ),
                            info.rows,
                        )
                        if len(examples) > info.rows:  # "563 rows" alone, of a 610-row export, read as all of it
                            left = len(examples) - info.rows
                            st.session_state["data_saved"] = sentences(
                                st.session_state["data_saved"],
                                # "1 of the 2,000 rows read were left out"
                                t(
                                    "1 of the {read:,} rows read was left out; the health report says why, and its "
                                    "download lists it.",
                                    read=len(examples),
                                )
                                if left == 1
                                else t(
                                    "{n:,} of the {read:,} rows read were left out; the health report says "
                                    "why, and its download lists them.",
                                    n=left,
                                    read=len(examples),
                                ),
                            )
                        if kept is not None:
                            st.session_state["data_saved"] = sentences(
                                st.session_state["data_saved"],
                                t(
                                    "{kept:,} of its texts kept their split from the earlier **{name}** (`{id}`); {new:,} "
                                    "were split anew.",
                                    kept=kept,
                                    name=md(store.info(keep_from).name),
                                    id=keep_from,
                                    new=info.rows - kept,
                                ),
                                *(
                                    [
                                        plural(
                                            t(
                                                "{n} training text(s) moved to test or validation, so that every "
                                                "class has some."
                                            ),
                                            moved,
                                        ).format(n=moved)
                                    ]
                                    if moved
                                    else []
                                ),
                            )
                        namesakes = [d.id for d in store.list() if d.name == info.name and d.id != info.id]
                        if namesakes:  # two colleagues saving reviews.csv at once: both read "saved as reviews"
                            st.session_state["data_saved"] = sentences(
                                st.session_state["data_saved"],
                                t(
                                    "Another dataset is named **{name}** too ({ids}): rename one (Name, tags, class "
                                    "names, delete) to tell them apart.",
                                    name=md(info.name),
                                    ids=", ".join(f"`{i}`" for i in namesakes[:3]),
                                )
                                if len(namesakes) == 1
                                else t(
                                    "{n} other datasets are named **{name}** too ({ids}): rename them (Name, tags, "
                                    "class names, delete) to tell them apart.",
                                    n=len(namesakes),
                                    name=md(info.name),
                                    ids=", ".join(f"`{i}`" for i in sorted(namesakes)[:3]),
                                ),
                            )
                        twin = store.same_rows_as(info)
                        if twin is not None:  # the same file saved twice read as two datasets in every picker
                            st.session_state["data_saved_twin"] = t(
                                "**{name}** holds the same rows, split the same way, as **{twin}** (`{twin_id}`). "
                                "Both are kept, and runs of one do not show under the other: delete one on the "
                                "Stored datasets tab if you saved it twice by mistake.",
                                name=md(info.name),
                                twin=md(twin.name),
                                twin_id=twin.id,
                            )
                        st.rerun()
                    except (StudioError, ValueError) as exc:
                        st.error(md(tm(exc)))
            else:
                st.info(
                    t("Nothing was saved. Fix the errors above (or pick other columns) and the save button appears.")
                )


def headline_languages(counts: dict[str, int], share: float = 0.05) -> str:
    """The dataset's languages as a headline: those of at least ``share`` of its texts (two at most),
    then how many others a few texts are in. 598 Chinese reviews, one English and one mixed read
    "Chinese + English +1", as if the set were bilingual; now "Chinese +2"."""
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    total = max(1, sum(counts.values()))
    main = [code for code, n in ranked if n / total >= share][:2] or [code for code, _ in ranked[:1]]
    rest = len(ranked) - len(main)
    return " + ".join(language_name(code) for code in main) + (f" +{rest}" if rest else "")


def broken_datasets() -> None:
    """Dataset folders whose meta.json cannot be read, each with its reason and a delete that asks once
    more. They were left out of every list here, and a link to one said only "No dataset …"."""
    broken = store.broken()
    if not broken:
        return
    with st.expander(t("Damaged dataset folders ({count})", count=len(broken)), icon=":material/broken_image:"):
        for dataset_id, reason in broken:
            st.text(tm(reason))
            question = t(
                "Delete the folder of dataset {dataset}? Runs trained on it keep their models. This cannot be undone.",
                dataset=md(dataset_id),
            )
            if state.confirm(f"broken_ds_delete_{dataset_id}", question, t("Delete this dataset folder")):
                try:
                    with changing_home(store.home):
                        store.delete(dataset_id)
                except StudioError as exc:
                    st.error(md(tm(exc)))
                    continue
                st.rerun()


with stored_tab:
    datasets = store.list()
    broken_datasets()
    if not datasets:
        st.info(t("No stored datasets yet. Load a built-in one or upload a file."))
    else:
        import datetime
        from collections import Counter

        from core.registry import RunStore

        # a full home's table (9 datasets, 45 runs) said neither which sets were in use nor when each came
        trained = Counter(run.config().get("dataset") for run in RunStore().list())
        st.dataframe(
            [
                {
                    t("id"): d.id,
                    t("name"): dataset_name(d),
                    t("tags"): ", ".join(d.tags),
                    t("rows"): d.rows,
                    t("classes"): len(d.labels),
                    t("runs"): trained.get(d.id, 0),
                    t("languages"): headline_languages(d.languages),
                    t("imported"): datetime.datetime.fromtimestamp(float(d.created)).strftime("%Y-%m-%d %H:%M"),
                    t("source"): source_name(d.source),
                }
                for d in datasets
            ],
            hide_index=True,
            width="stretch",
            column_config={
                t("rows"): st.column_config.NumberColumn(format="localized"),  # 17,363, not 17363
                t("runs"): st.column_config.NumberColumn(format="localized"),
            },
        )
        # a user looked for the renaming here, in a table that edits nothing
        st.caption(
            t(
                "To rename a dataset or its classes, tag or delete it: make it the active dataset (sidebar), then "
                "open “Name, tags, class names, delete” below."
            )
        )

active = state.get("dataset")
if active and store.exists(active):
    from ui.resources import dataset_frame

    info = store.info(active)
    st.divider()
    st.header(t("Active dataset: {name}", name=md(dataset_name(info))))
    # the two wide values get twice the room, and the language list at most two entries: a metric
    # that does not fit is cut with an ellipsis
    cols = st.columns([1, 1, 2, 2])
    cols[0].metric(t("Rows"), f"{info.rows:,}")
    cols[1].metric(t("Classes"), len(info.labels))
    if not info.labels:  # "unlabelled" as the value was cut to "unlabe…" in a sixth of the page
        cols[1].caption(t("unlabelled: for pretraining"))
    languages = sorted(info.languages.items(), key=lambda kv: -kv[1])
    # names in the value, counts beneath: "Chinese 2,805 · English 2,795" as one value was cut off
    shown = headline_languages(info.languages)
    counts = " · ".join(f"{language_name(k)} {v:,}" for k, v in languages)
    cols[2].metric(t("Languages"), md(shown), help=md(counts))
    cols[2].caption(md(counts))
    # shares in the value, counts beneath: "12,155 / 1,736 / 3,473" was cut off in a third of the page
    parts = [info.split_counts.get(k, 0) for k in ("train", "val", "test")]
    cols[3].metric(
        t("Split"),
        " / ".join(str(share) for share in whole_percents(parts)) + " %",
        help=t("train / validation / test"),
    )
    cols[3].caption(
        t("train {train:,} · validation {val:,} · test {test:,}", train=parts[0], val=parts[1], test=parts[2])
    )
    if not presenter.active():
        manage.dataset_manager(info)
    try:
        rows = dataset_frame(active, info.sha256)
    except StudioError as exc:  # a damaged data.parquet: said beside the delete button above, not a traceback
        st.error(md(tm(exc)), icon=":material/broken_image:")
    else:
        near_copies_note(info)
        show_statistics(rows, "active")
    st.page_link(
        "pages/train.py",
        label=t("Train on this dataset"),
        icon=":material/arrow_forward:",
        query_params=state.params(),
    )
