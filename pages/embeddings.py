"""Embeddings: UMAP or PCA maps of what a run learned, one run or two side by side."""

import numpy as np
import streamlit as st

from core.errors import StudioError
from core.projection import ProjectionConfig
from core.registry import RunStore
from ui import charts, i18n, jobs, maps, presenter, state, touch
from ui.boot import through_app
from ui.i18n import headers, sentences, t, tm, unsigned_zero
from ui.resources import run_points, run_stamp
from ui.safe_text import md
from ui.sidebar import distinct_labels, run_label, run_title, runs_for, short_name, state_name


def source_still_here(run) -> bool:
    """Whether the run a fine-tuned run started from is still in the studio."""
    from core.errors import StudioError

    try:
        RunStore().get(run.config()["source_run"])
    except StudioError:
        return False
    return True


through_app()  # a deep link on a fresh server: draw this page through app.py

st.title(t("Embeddings"))
run = state.require_run()
run_id = run.id
if not (run.path / "embeddings.npy").is_file() and run.status().get("state") in ("queued", "running"):
    st.info(
        t(
            "Run {run} has no embeddings yet ({state}): they are saved when training ends.",
            run=md(run_title(run)),
            state=md(state_name(run.status())),
        )
    )
    st.stop()
if not jobs.artefacts_ready(run, t("its map")):
    st.stop()


def baseline_note(shown_run) -> None:
    """A word under the TF-IDF baseline's map: its blurred classes beside a 0.93 score read as a bug."""
    if shown_run.config().get("encoder") == "baseline":
        st.caption(
            t(
                "The TF-IDF baseline learns no embedding: its map shows LSA vectors (an SVD of its TF-IDF "
                "features, fitted without the labels), so its classes overlap more than its scores suggest. "
                "A trained encoder's map shows what training learned."
            )
        )


baseline_note(run)

ALL_COLOURS = {
    "label": t("true label"),
    "pred": t("prediction"),
    "correct": t("correct / wrong"),
    "split": t("split"),
    "lang": t("language"),
}
MAP_SIZES = [1_000, 2_000, 4_000, 8_000, 16_000]  # texts a map shows at most: the choice below
page_points = run_points(run_id, run_stamp(run))
# only what the run has: an unlabelled dataset's map coloured by label was blank, and a pretraining
# run has no predictions to colour by
labelled = "label" in page_points and bool(page_points["label"].notna().any())
predicted = "pred" in page_points
COLOURS = {
    key: name
    for key, name in ALL_COLOURS.items()
    if (labelled or key not in ("label", "correct")) and (predicted or key not in ("pred", "correct"))
}
MAP_SETTINGS = ("map_method", "map_dims", "map_colour", "map_neighbours", "map_min_dist", "map_scope", "map_max_points")
state.restore_widgets(*MAP_SETTINGS)
if st.session_state.get("map_colour") not in COLOURS:
    st.session_state.pop("map_colour", None)
settings = presenter.controls(t("Map settings"))
with settings:
    controls = st.columns([1, 1, 1.6, 1.2, 1.2])  # room for the sliders' labels at 1024 px
    method = controls[0].radio(
        t("Method"),
        ["umap", "pca"],
        format_func=str.upper,
        horizontal=True,
        key="map_method",
        help=t("UMAP keeps neighbourhoods; PCA is instant and linear."),
    )
    dims = controls[1].radio(t("Dimensions"), [2, 3], horizontal=True, key="map_dims")
    colour = controls[2].selectbox(t("Colour by"), list(COLOURS), format_func=COLOURS.get, key="map_colour")
    neighbours = controls[3].slider(
        t("Neighbours"),
        5,
        50,
        15,
        key="map_neighbours",
        help=t("UMAP: larger shows more global structure."),
        disabled=method == "pca",
    )
    min_dist = controls[4].slider(
        t("Min distance"),
        0.0,
        0.9,
        0.1,
        0.05,
        key="map_min_dist",
        help=t("UMAP: smaller packs clusters tighter."),
        disabled=method == "pca",
    )
    scope_column, size_column = st.columns([2, 1])
    scope = scope_column.radio(
        t("Texts"),
        ["held-out", "all"],
        format_func={"held-out": t("held-out only (validation + test)"), "all": t("all (training texts too)")}.get,
        horizontal=True,
        key="map_scope",
        help=t(
            "A model has seen its training texts: they sit in tidy clusters and flatter it. "
            "The held-out texts show how it places texts it has never seen."
        ),
    )
    # "4,000 of the run's 14,994 texts" and no way to see more: a bigger sample is a choice, not the default
    # (the layout takes longer the more texts it places)
    max_points = size_column.select_slider(
        t("Texts on the map, at most"),
        MAP_SIZES,
        value=ProjectionConfig().max_points,
        format_func=lambda n: f"{n:,}",
        key="map_max_points",
        help=t(
            "A larger sample shows more of the dataset; the layout takes longer, a little more than in proportion. "
            "Each class keeps its share."
        ),
    )
    config = ProjectionConfig(
        method=method, dims=dims, n_neighbors=neighbours, min_dist=min_dist, texts=scope, max_points=max_points
    )
    state.keep_widgets(*MAP_SETTINGS)

    fine_tuned = run.config().get("task") == "finetune" and bool(run.config().get("source_run"))
    if fine_tuned and not source_still_here(run):
        from core.alignment import cached_alignment

        if cached_alignment(run.path, config) is None:  # a map drawn before the deletion still shows
            fine_tuned = False
            st.caption(
                t(
                    "The run this one was fine-tuned from ({source}) was deleted, so there is no before-and-after map.",
                    source=md(run.config()["source_run"]),
                )
            )
    before_after = fine_tuned and st.toggle(
        t("Before and after fine-tuning"),
        key="map_shift",
        help=t(
            "The same texts in the space of the encoder this run started from and in its own, on aligned maps: "
            "see where fine-tuning moved them."
        ),
    )
    others = [r for r in runs_for(run.config().get("dataset")) if r.id != run_id and r.artefact_problem() is None]
    second_id = None
    if others and not before_after:
        labels = {r.id: run_label(r) for r in others}
        second_id = st.selectbox(
            t("Compare with (same texts, side by side)"),
            [None, *labels],
            format_func=lambda i: "—" if i is None else labels[i],
            key="map_second",
        )


def colouring(part) -> str:
    """The colouring picked, where this map's run has it; else the first this run offers (a second
    map of a pretraining run beside a classifier coloured by its mistakes)."""
    if colour in part and part[colour].notna().any():
        return colour
    return next((key for key in COLOURS if key in part and part[key].notna().any()), colour)


def frame_for(points, indices):
    """The map's rows of ``points`` with their row numbers; ``correct`` holds the words "correct" /
    "wrong" (the chart translates them) and is empty, like ``pred``, for a run with no predictions."""
    part = points.iloc[indices].reset_index(drop=True)
    part["row"] = indices
    if "pred" in part and "label" in part:
        part["correct"] = np.where(part["label"].astype(str) == part["pred"].astype(str), "correct", "wrong")
        part.loc[part["label"].isna(), "correct"] = None
    else:
        part["correct"] = None
    for column in ("pred", "confidence", "lang"):
        if column not in part:
            part[column] = np.nan if column == "confidence" else None
    return part


def candidates(points, held_out: bool) -> int:
    """How many texts the map could have shown: the held-out ones, or all."""
    return int((points["split"] != "train").sum()) if held_out else len(points)


def draw(
    run, projection, key: str, title: str, note_prefix: str = "", paired: bool = False, of_left: int | None = None
):
    """Show one map with its scores and selection; returns the projection. ``paired``: one of two side
    by side, its legend in a row beneath (beside it, it took 140 of a half-width map's 600 px).
    ``of_left``: the right map of a pair, drawn on the texts of the left map's ``of_left`` it holds."""
    points = run_points(run.id, run_stamp(run))
    part = frame_for(points, projection.indices)
    coords = projection.coords
    shown = colouring(part)
    if shown != colour:
        st.caption(
            t(
                "This run has no “{wanted}” to colour by (a pretraining run has no predictions): coloured by {shown}.",
                wanted=ALL_COLOURS[colour],
                shown=ALL_COLOURS[shown],
            )
        )
    fig = charts.embedding_map(coords, part, shown, title)
    if paired or touch.on_touch_device():  # on a phone, a legend beside the map took a third of its width
        fig.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.02, xanchor="left", x=0))
    event = touch.chart(presenter.scale(fig, fit=presenter.MAP_HEIGHT), key, ("lasso", "box", "points"))
    held_out = "split" in part and bool((part["split"] != "train").all()) and len(part) < projection.total
    total = candidates(points, True) if held_out else projection.total
    if len(part) == total:  # "1,682 of the run's 1,682" says nothing the word "all" does not
        notes = [
            t("all {total:,} held-out texts of the run (validation + test)", total=total)
            if held_out
            else t("all {total:,} texts of the run", total=total)
        ]
    else:
        notes = [
            t("{shown:,} of the run's {total:,} held-out texts (validation + test)", shown=len(part), total=total)
            if held_out
            else t("{shown:,} of the run's {total:,} texts", shown=len(part), total=total)
        ]
    if not held_out:
        notes.append(t("training texts included"))
    if of_left is not None and len(part) < of_left:  # not a sample: the left map's other texts are not in this run
        notes.append(t("{shown:,} of the left map's {total:,} texts are in this run", shown=len(part), total=of_left))
    elif len(part) < candidates(points, held_out):
        notes.append(t("sampled per class (seed {seed})", seed=config.seed))
    if projection.cached and not presenter.active():  # the operator's concern, not the audience's
        notes.append(t("from the cache"))
    groups = part[shown].nunique()
    if groups > len(charts.WIDE_PALETTE):
        notes.append(t("colours repeat past {n} groups: hover a point for its class", n=len(charts.WIDE_PALETTE)))
    st.caption(note_prefix + " · ".join(notes))
    scores = separation(run.id, run_stamp(run), tuple(int(r) for r in part["row"]))
    labelled_here = "label" in part and part["label"].notna().sum() > 0 and part["label"].nunique() >= 2
    if scores["silhouette"] is None and labelled_here:  # the scores vanished on a 9-text map without a word
        st.caption(
            t(
                "Too few texts on the map ({n}) to score how far the classes sit apart; show all texts "
                "(Map settings) or use a larger dataset.",
                n=len(part),
            )
            # "show all texts" only where that would add some
            if config.texts == "held-out" and len(part) < len(points)
            else t("Too few texts on the map ({n}) to score how far the classes sit apart.", n=len(part))
        )
    if scores["silhouette"] is not None:
        cols = st.columns(2)
        cols[0].metric(
            # its scale in the label before an audience: "0.863" alone had none
            presenter.plain(t("Silhouette (cosine)"), t("How far the classes sit apart (-1 to 1)")),
            f"{scores['silhouette']:.3f}",
            help=t("How far classes sit apart in the embedding space, -1 to 1."),
        )
        k = scores.get("knn_k") or 10
        cols[1].metric(
            presenter.plain(t("k-NN accuracy"), t("Accuracy of a vote of the {k} nearest texts", k=k)),
            f"{scores['knn_accuracy']:.1%}" if presenter.active() else f"{scores['knn_accuracy']:.3f}",
            help=t("Accuracy of a {k}-nearest-neighbour vote in the embedding space (cross-validated).", k=k),
        )
    rows = [
        p["customdata"][0] for p in (event.selection.points if event and event.selection else []) if p.get("customdata")
    ]
    if not rows and not presenter.active():  # nothing on the page said a map could be selected
        st.caption(
            t("A 3-D map cannot select texts: choose 2 dimensions to pick texts on the map and list them.")
            if coords.shape[1] == 3
            else t("Tap a point to read its text. Texts are selected on the map with a mouse (a lasso or a box).")
            if touch.on_touch_device()  # a swipe over the map scrolls the page there: no lasso
            else t(
                "Drag on the map to select texts (lasso; the box is in the map's toolbar): they are listed here, "
                "and 'More like these' finds similar ones."
            )
        )
    show_selection(points, rows, key)
    return projection


def show_selection(points, rows: list, key: str) -> None:
    """The texts picked on a map (lasso, box or click), and "more like these" on Search."""
    if not rows:
        return
    chosen = points.iloc[[int(r) for r in rows]]
    # one under the other: beside the caption, in a half-width column of two maps, the button read
    # "More li…" and the table's toolbar covered it
    st.caption(t("{n} selected texts", n=len(chosen)))
    if st.button(
        t("More like these"),
        icon=":material/manage_search:",
        key=f"{key}_more_like",
        help=t("Opens Search with the selection as the query: the texts nearest to the middle of the selected ones."),
    ):
        st.session_state["search_seed_texts"] = chosen["text"].astype(str).head(5000).tolist()  # Search samples 300
        st.switch_page("pages/search.py", query_params=state.params())
    columns = [c for c in ("text", "label", "pred", "confidence", "split") if c in chosen]
    shown = chosen[columns].copy()
    if "split" in shown:
        shown["split"] = shown["split"].map(lambda s: t(charts.SPLIT_NAMES[s]) if s in charts.SPLIT_NAMES else s)
    config = headers(*columns)
    if "confidence" in config:  # as Evaluate shows it: 99.9% where it is not quite 100
        shown["confidence"] = i18n.confidence_percent(shown["confidence"])
        config["confidence"] = st.column_config.NumberColumn(config["confidence"], format=i18n.CONFIDENCE_FORMAT)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config)


def show_map(run, key: str, title: str, indices=None, paired: bool = False, of_left: int | None = None):
    """The UMAP if it is ready; else PCA at once, marked as such, while a worker computes the UMAP."""
    # the left map of a pair is the single map's place: the same UMAP, not stopped on the way to a pair
    projection, job = maps.request(run, config, indices, spot="map_main" if key == "map_left" else key)
    if projection is not None:
        return draw(run, projection, key, title, paired=paired, of_left=of_left)
    if job.get("state") == "failed":
        # the error is a sentence of its own: "ended unexpectedly.. Showing PCA" read as a slip
        error = tm(job.get("error") or "").rstrip("。.")
        st.error(t("UMAP could not be computed: {error}. Showing PCA instead.", error=md(error)))
        if st.button(t("Try UMAP again"), key=f"retry_{key}"):
            maps.retry(run, config, indices)
            st.rerun()
    else:
        jobs.watch(run, job["name"], t("UMAP is being computed in the background"))
    fallback = maps.pca_now(run, config, indices)
    return draw(
        run,
        fallback,
        key,
        # a failed UMAP is not being computed: the title said so under the error for as long as the page stood
        t("{title} · PCA", title=title)
        if job.get("state") == "failed"
        else t("{title} · PCA while UMAP is computed", title=title),
        note_prefix="PCA · ",
        paired=paired,
        of_left=of_left,
    )


@st.cache_data(show_spinner=t("Scoring the separation…"), max_entries=32)
def separation(run_id: str, stamp: str, indices: tuple[int, ...]) -> dict:
    from core.projection import separation_scores

    run = RunStore().get(run_id)
    vectors = run.embeddings(mmap=True)[list(indices)]
    labels = run_points(run_id, stamp)["label"].iloc[list(indices)]  # unlabelled texts are left out
    return separation_scores(vectors, labels)


MAX_LINES = 200  # more lines than this only grey the map


def selected_rows(key: str) -> list[int]:
    """The rows selected (lasso, box or click) on the map drawn under ``key``, from its widget state."""
    try:
        points = st.session_state[key]["selection"]["points"]
    except (KeyError, TypeError):
        return []
    return [int(p["customdata"][0]) for p in points if p.get("customdata")]


def echo(figure, rows: list[int]) -> None:
    """Mark ``rows`` as selected on ``figure`` (the others fade), as plotly shows a selection of its own."""
    if not rows:
        return
    picked = set(rows)
    for trace in figure.data:
        if trace.customdata is not None:
            trace.selectedpoints = [j for j, row in enumerate(trace.customdata) if int(row[0]) in picked]


@st.cache_data(show_spinner=False, max_entries=32)
def _digest(path: str, stamp: str) -> str:
    from core.storage import file_digest

    return file_digest(path)


def source_changed_since(run, source_id: str) -> bool:
    """Whether the source's weights are no longer those this run started from (resumed or retrained
    since): its map, drawn before that, still shows them, and the caption says so."""
    from core.search import weights_stamp

    started_from = (run.raw_status().get("source_facts") or {}).get("weights")
    try:
        source = RunStore().get(source_id)
        return bool(started_from) and _digest(str(source.model_path), weights_stamp(source.path)) != started_from
    except (StudioError, OSError):
        return False


def show_before_after(run) -> None:
    """The source encoder's map and this run's, aligned, with the movement and the separation scores."""
    from core.alignment import cached_alignment
    from core.workers import failed_before_vectors_changed, side_job

    result = cached_alignment(run.path, config)
    name = f"shift-{config.key()}"
    source_id = run.config().get("source_run")
    if result is None:
        job = side_job(run, name)
        if failed_before_vectors_changed(run, job):  # trained again since: tried again, not the old error shown
            job = None
        if job is not None and job.get("state") == "failed":
            st.error(t("The before/after maps could not be drawn: {error}", error=md(tm(job.get("error") or ""))))
            if st.button(t("Try again"), key="shift_retry") and jobs.start_job(
                run, name, "shift", {"config": dict(config.__dict__)}
            ):
                st.rerun()
            return
        if job is None or job.get("state") not in ("starting", "running"):
            maps.supersede(run, name, "map_shift")  # the worker of the view's previous settings
            if not jobs.start_job(run, name, "shift", {"config": dict(config.__dict__)}):
                return  # a full or read-only home: the reason is on the page
        jobs.watch(run, name, t("Embedding the texts with the source encoder and fitting both maps in the background"))
        return
    points = run_points(run.id, run_stamp(run))
    part = frame_for(points, result.indices)
    shown = colouring(part)
    before_name, after_name = t("Before fine-tuning"), t("After fine-tuning")
    metrics = st.columns(3)
    for column, key, label, help_text in (
        (metrics[0], "silhouette", t("Silhouette (cosine)"), t("How far classes sit apart, -1 to 1.")),
        (
            metrics[1],
            "knn_accuracy",
            t("k-NN accuracy"),
            t("A {k}-nearest-neighbour vote, cross-validated.", k=result.scores_after.get("knn_k") or 10),
        ),
    ):
        before, after = result.scores_before.get(key), result.scores_after.get(key)
        if before is not None and after is not None:
            column.metric(
                label,
                f"{before:.3f} → {after:.3f}",
                delta=f"{unsigned_zero(after - before, 3):+.3f}" if round(after - before, 3) else None,
                help=sentences(help_text, t("Before fine-tuning → after, on the same texts.")),
            )
    metrics[2].metric(
        t("Median movement"),
        f"{float(np.median(result.movement)):.2f}",
        help=t("How far a text moved between the aligned maps, in units of the before map's spread."),
    )
    from core.errors import StudioError

    try:
        source_wide = bool((RunStore().get(source_id).config().get("encoder_config") or {}).get("wide"))
    except (StudioError, OSError):
        source_wide = True  # nothing known of the source: no claim about it
    if (run.config().get("encoder_config") or {}).get("wide") and not source_wide:
        # k-NN 0.25 → 0.97 read as pretraining and fine-tuning's doing; the after vector carries a bag of n-grams
        st.caption(
            t(
                "After fine-tuning, the vector also carries the n-gram bag added for it (wide and deep) beside "
                "the Transformer's: part of the gain in separation is the bag's."
            )
        )
    views = {"side": t("side by side"), "lines": t("movement lines"), "play": t("animation")}
    if config.dims == 3:
        views.pop("play")  # a 3-D plot that moves while it turns is hard to read
        st.caption(t("The animation is drawn on 2-D maps: choose 2 dimensions to play it."))
    view = st.radio(t("Show"), list(views), format_func=views.get, horizontal=True, key="shift_view")
    if view == "side":
        left, right = st.columns(2)
        pictures = [
            charts.embedding_map(c, part, shown, n)
            for c, n in ((result.before, before_name), (result.after, after_name))
        ]
        for picture in pictures:  # the same legend under each: one beside the right map only made it narrower
            picture.update_layout(legend=dict(orientation="h", yanchor="top", y=-0.08, x=0, xanchor="left"))
        if config.dims == 2:  # one scale for both: aligned maps are read against each other
            both = np.vstack([result.before, result.after])
            pad = 0.04 * (both.max(0) - both.min(0) + 1e-9)
            for picture in pictures:
                picture.update_xaxes(range=[float(both[:, 0].min() - pad[0]), float(both[:, 0].max() + pad[0])])
                picture.update_yaxes(range=[float(both[:, 1].min() - pad[1]), float(both[:, 1].max() + pad[1])])
        # a selection on one map is shown on the other: where did these texts come from, or go?
        echo(pictures[0], selected_rows("shift_after"))
        echo(pictures[1], selected_rows("shift_before"))
        events = []
        for column, picture, key in zip((left, right), pictures, ("shift_before", "shift_after"), strict=True):
            with column:
                events.append(
                    touch.chart(presenter.scale(picture, fit=presenter.MAP_HEIGHT), key, ("lasso", "box", "points"))
                )
        rows = [
            p["customdata"][0]
            for e in events
            for p in (e.selection.points if e and e.selection else [])
            if p.get("customdata")
        ]
        show_selection(points, list(dict.fromkeys(rows)), "shift")
    elif view == "lines":
        figure = charts.movement_map(
            result.before, result.after, part, shown, t("Before → after fine-tuning"), max_lines=MAX_LINES
        )
        st.plotly_chart(presenter.scale(figure), key="shift_lines")
        if len(result.indices) > MAX_LINES:
            st.caption(t("Lines are drawn for {n:,} texts, sampled at random.", n=MAX_LINES))
    else:
        figure = charts.movement_animation(result.before, result.after, part, shown, t("Before → after fine-tuning"))
        st.plotly_chart(presenter.scale(figure), key="shift_play")
    # a source pretrained on another dataset may go by the same name ("Transformer (mini)") as this run
    both = (
        distinct_labels({source_id: short_name(RunStore().get(source_id)), run.id: short_name(run)})
        if source_still_here(run)
        else {}
    )
    st.caption(
        (
            t(
                "Before: the encoder of run {source} as this run started from it; it was trained further since. "
                "After: run {run}.",
                source=md(both.get(source_id, "")),
                run=md(both.get(run.id, "")),
            )
            if source_changed_since(run, source_id)
            else t(
                "Before: the encoder of run {source}, which this run started from. After: run {run}.",
                source=md(both.get(source_id, "")),
                run=md(both.get(run.id, "")),
            )
        )
        if source_still_here(run)
        else t(  # a map drawn before the source run was deleted: still true, and said so
            "Before: the encoder of run {source}, which this run started from (deleted since). After: run {run}.",
            source=md(source_id),
            run=md(short_name(run)),
        )
    )
    st.caption(
        t(
            "The same {n:,} held-out texts before and after. The after layout started from the before layout "
            "and then turned, flipped and scaled onto it (Procrustes), so what moves on screen moved in the space.",
            n=len(result.indices),
        )
        if config.texts == "held-out"
        else t(
            "The same {n:,} texts before and after. The after layout started from the before layout "
            "and then turned, flipped and scaled onto it (Procrustes), so what moves on screen moved in the space.",
            n=len(result.indices),
        )
    )


if before_after:
    maps.release("map_main", "map_right")  # the maps not shown beside this view: their workers stop
    show_before_after(run)
elif second_id is None:
    maps.release("map_right", "map_shift")
    show_map(run, "map_main", short_name(run))
else:
    maps.release("map_shift")
    names = distinct_labels({run.id: short_name(run), second_id: short_name(RunStore().get(second_id))})
    left, right = st.columns(2)
    with left:
        projection = show_map(run, "map_left", names[run.id], paired=True)
    with right:
        other = RunStore().get(second_id)
        baseline_note(other)  # as the second map too: silhouette 0.176 beside 0.863 went unexplained
        position = {s: i for i, s in enumerate(run_points(other.id, run_stamp(other))["text"])}
        texts = run_points(run.id, run_stamp(run))["text"].iloc[projection.indices]
        shared = np.array([position[t] for t in texts if t in position], dtype=np.int64)
        if len(shared):
            show_map(other, "map_right", names[other.id], shared, paired=True, of_left=len(texts))
        else:  # an empty list of rows crashed PCA with an IndexError (and started a UMAP worker for nothing)
            st.info(
                t(
                    "{name} holds none of the texts on the left map: it was trained on other texts (another "
                    "dataset, or this one before it was imported again). Pick a run trained on the same texts.",
                    name=md(names[other.id]),
                )
            )
