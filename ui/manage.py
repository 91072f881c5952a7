"""Naming, tagging, renaming classes and deleting, each behind a confirmation where it destroys."""

from __future__ import annotations

import streamlit as st

from core.names import MAX_TITLE_CHARS
from ui import sidebar, state
from ui.i18n import listed, plural, sentences, t, tm
from ui.safe_text import md

MAX_EDITABLE_CLASSES = 200  # the class-name table stays usable; beyond it, relabel the file


def class_name_editor(labels: list[str], key: str) -> dict[str, str]:
    """One box per class, holding its name; returns ``{old: new}`` for the classes renamed."""
    renamed = {}
    # The boxes are filled through the session state, not a default: a browser keeps showing a keyed
    # box's old text when only its default changes (other classes in the same places).
    holder = f"{key}_holds"
    stale = st.session_state.get(holder) != list(labels)
    for i, label in enumerate(labels):
        if stale or f"{key}_{i}" not in st.session_state:
            st.session_state[f"{key}_{i}"] = label
    st.session_state[holder] = list(labels)
    for i, label in enumerate(labels):
        if i % 4 == 0:  # a row of columns for each four: a long name wrapping in one column pushed the rest out
            columns = st.columns(4)  # of line, and a box sat beside another row's name
        # never shorter than the name it holds: the box returns its text cut to max_chars, and renaming
        # another class wrote a 124-character name back cut to 100, in the dataset and every run
        # the name shown above the box as written, small as a label. The box's own label, hidden, is what a
        # screen reader reads: the name escaped for markdown read "billing\;refund" with its backslashes, and
        # the name as written is rendered as markdown (hidden or not), so it holds no user text at all
        columns[i % 4].caption(md(label))
        new = columns[i % 4].text_input(
            t("New name for class {n}", n=i + 1),
            key=f"{key}_{i}",
            max_chars=max(100, len(label)),
            label_visibility="collapsed",
        )
        if new.strip() != label:
            renamed[label] = new
    return renamed


def _fill(key: str, stored) -> None:
    """Fill the keyed box ``key`` with ``stored`` (a name, a list of tags) through the session state
    whenever the stored value has changed since the box was filled: a keyed box ignores a new default,
    so after a rename in another tab or from the command line it kept the old name, and Save wrote
    it back. What the user has typed and not saved is kept while the stored value stays the same."""
    holder = f"{key}_holds"
    if key not in st.session_state or st.session_state.get(holder) != stored:
        st.session_state[key] = stored
    st.session_state[holder] = stored


def dataset_manager(info) -> None:
    """Rename and tag the active dataset, rename its classes, delete it."""
    from core.errors import StudioError
    from core.names import RenameFinished, name_dataset, rename_labels, runs_on
    from core.registry import DatasetStore
    from core.storage import changing_home, studio_home

    if "manage_done" in st.session_state:
        st.success(st.session_state.pop("manage_done"), icon=":material/check_circle:")
    with st.expander(t("Name, tags, class names, delete"), icon=":material/edit:", key=f"dataset_manager_{info.id}"):
        cols = st.columns([2, 3])
        _fill(f"ds_name_{info.id}", info.name)
        _fill(f"ds_tags_{info.id}", list(info.tags))
        name = cols[0].text_input(
            t("Dataset name"), key=f"ds_name_{info.id}", max_chars=max(MAX_TITLE_CHARS, len(info.name))
        )
        tags = cols[1].multiselect(
            t("Tags"),
            options=list(info.tags),
            accept_new_options=True,
            key=f"ds_tags_{info.id}",
            placeholder=t("Add a tag"),
            help=t("Type a tag and press Enter."),
        )
        if st.button(t("Save name and tags"), key=f"ds_save_{info.id}", icon=":material/save:"):
            try:
                with changing_home(studio_home()):
                    name_dataset(info.id, name=name, tags=tags)
                st.session_state["manage_done"] = t("Saved the name and tags of **{name}**.", name=md(name))
                st.rerun()
            except StudioError as exc:
                st.error(md(tm(exc)))

        runs = runs_on(info.id)
        if info.labels and len(info.labels) <= MAX_EDITABLE_CLASSES:
            st.markdown(t("**Class names**"))
            st.caption(
                t(
                    "Rename classes here (for example `0` → `negative`). The dataset and every run trained on it "
                    "({count}) are updated; their scores and predictions stay the same.",
                    count=len(runs),
                )
            )
            mapping = class_name_editor(list(info.labels), key=f"ds_classes_{info.id}")
            if mapping and st.button(t("Rename classes"), key=f"ds_rename_{info.id}", type="primary"):
                try:
                    with changing_home(studio_home(), whole=False):  # a journal, then the files one by one
                        rename_labels(info.id, mapping)
                    st.cache_data.clear()  # cached frames and predictors carry the old names
                    st.cache_resource.clear()
                    for i in range(len(info.labels)):
                        st.session_state.pop(f"ds_classes_{info.id}_{i}", None)
                    st.session_state["manage_done"] = t(
                        "Renamed {pairs}", pairs=", ".join(f"{md(old)} → {md(new)}" for old, new in mapping.items())
                    )
                    st.rerun()
                except RenameFinished as exc:  # an older rename was finished instead: the names changed
                    st.cache_data.clear()
                    st.cache_resource.clear()
                    for i in range(len(info.labels)):
                        st.session_state.pop(f"ds_classes_{info.id}_{i}", None)
                    st.session_state["manage_done"] = md(tm(exc))
                    st.rerun()
                except StudioError as exc:
                    st.error(md(tm(exc)))

        st.markdown(t("**Delete**"))
        # the pages list runs by dataset: a dataset's runs left behind were reached from the CLI only
        with_runs = bool(runs) and st.checkbox(
            plural(t("Delete its {count} run(s) too", count=len(runs)), len(runs)),
            value=True,
            key=f"ds_delete_runs_{info.id}",
        )
        question = (
            plural(
                t(
                    "Delete the dataset **{name}** and its {count} run(s)? Their models, scores and maps are "
                    "deleted with it.",
                    name=md(info.name),
                    count=len(runs),
                ),
                len(runs),
            )
            if with_runs
            else plural(
                t(
                    "Delete the dataset **{name}**? Its rows are removed from the studio. "
                    "The {count} run(s) trained on it keep their files, but the pages list runs by dataset, so "
                    "they are then reached from the command line only (python -m core runs list).",
                    name=md(info.name),
                    count=len(runs),
                ),
                len(runs),
            )
        )
        if state.confirm(f"ds_delete_{info.id}", question, t("Delete dataset")):
            try:
                with changing_home(studio_home(), whole=not with_runs):  # its runs go one by one
                    DatasetStore().delete(info.id, with_runs=with_runs)
            except StudioError as exc:
                st.error(md(tm(exc)))
                return
            from ui.sidebar import forget_names

            forget_names("dataset", [info.id])
            forget_names("run", [r.id for r in runs] if with_runs else [])
            state.set("dataset", None)
            state.set("run", None)
            st.cache_data.clear()  # the deleted runs' frames and maps
            # a toast, as a deleted run's: with no dataset left the manager is not drawn, and its message
            # waited there to appear under the next dataset loaded
            st.session_state["run_deleted"] = (
                plural(
                    t("Deleted the dataset {name} and its {count} run(s).", name=md(info.name), count=len(runs)),
                    len(runs),
                )
                if with_runs
                else t("Deleted the dataset {name}.", name=md(info.name))
            )
            st.rerun()


def run_manager(run) -> None:
    """Title and tags of a run, and deleting it (refused while it trains)."""
    from core.errors import StudioError
    from core.names import name_run, run_names
    from core.registry import RunStore
    from core.storage import changing_home, studio_home

    if "run_manage_done" in st.session_state:
        st.success(st.session_state.pop("run_manage_done"), icon=":material/check_circle:")
    names = run_names(run)
    # keyed by run: after a delete, the next run's panel opened as the deleted one was, one click from "Delete"
    with st.expander(t("Name, tags, delete this run"), icon=":material/edit:", key=f"run_manager_{run.id}"):
        cols = st.columns([2, 3])
        _fill(f"run_title_{run.id}", names["title"])
        _fill(f"run_tags_{run.id}", list(names["tags"]))
        title = cols[0].text_input(
            t("Run name"),
            key=f"run_title_{run.id}",
            max_chars=max(MAX_TITLE_CHARS, len(names["title"] or "")),
            placeholder=sidebar.short_name(run),  # what it is called now (the id read as a name nobody gave it)
        )
        tags = cols[1].multiselect(
            t("Tags"),
            options=names["tags"],
            accept_new_options=True,
            key=f"run_tags_{run.id}",
            placeholder=t("Add a tag"),
            help=t("Type a tag and press Enter."),
        )
        if st.button(t("Save name and tags"), key=f"run_save_{run.id}", icon=":material/save:"):
            try:
                with changing_home(studio_home()):
                    name_run(run, title=title, tags=tags)
                st.session_state["run_manage_done"] = t("Saved the run's name and tags.")
                st.rerun()
            except StudioError as exc:
                st.error(md(tm(exc)))
        shown = names["title"] or sidebar.short_name(run)  # as the sidebar names it, not by its 30-character id
        question = t("Delete the run **{name}** and all its files (model, scores, maps)?", name=md(shown))
        # read every run's config only once the user asks to delete, not on every rerun of the page
        asking = st.session_state.get(f"confirm_run_delete_{run.id}")
        children = RunStore().fine_tuned_from(run.id) if asking else []
        if children:  # said before the click: no new before-and-after map can be drawn for them
            question = sentences(
                question,
                t(
                    "Fine-tuned from it: {runs}. They keep their own weights and scores, and a before-and-after "
                    "map already drawn, but no new one can be drawn.",
                    runs=md(listed(children)),
                ),
            )
        if asking and is_the_yardstick(run):
            # deleting it took every "+x pt vs baseline" off Evaluate and Compare without a word first
            question = sentences(
                question,
                t(
                    "It is the baseline the other runs on this dataset are measured against: Evaluate and Compare "
                    "show no margin over it until a baseline is trained again."
                ),
            )
        from ui.sidebar import run_title

        busy = asking and run.status().get("state") in ("queued", "running")
        if busy:  # refused by the store after the confirmation, "in use by pid 27220 on vm": said at the first click
            st.warning(
                t("This run is training or waiting to train: stop it first (Train page), then delete it."),
                icon=":material/block:",
            )
            if st.button(t("Cancel"), key=f"cancel_run_delete_{run.id}"):
                st.session_state.pop(f"confirm_run_delete_{run.id}", None)
                st.rerun()
            return
        users = RunStore().ensembles_using(run.id) if asking else []
        if users:  # refused by the store anyway: said at the first click, not after a confirmation
            st.warning(
                t(
                    "This run is a member of the ensemble {ensembles}, which cannot predict without it. "
                    "Delete the ensemble first.",
                    ensembles=md(listed(run_title(RunStore().get(user)) for user in users)),
                ),
                icon=":material/block:",
            )
            for user in users:  # where the ensemble's own Delete is: a dead end without it
                # a page_link to the page already open showed the ensemble but left the MLP's id in the
                # address bar: a refresh or a copied link went back to the member. switch_page writes it.
                if st.button(
                    t("Open the ensemble {name}", name=md(run_title(RunStore().get(user)))),
                    key=f"open_ensemble_{run.id}_{user}",
                    icon=":material/open_in_new:",
                ):
                    st.session_state.pop(f"confirm_run_delete_{run.id}", None)
                    state.set("run", user)
                    st.switch_page("pages/train.py", query_params=state.params())
            if st.button(t("Cancel"), key=f"cancel_run_delete_{run.id}"):
                st.session_state.pop(f"confirm_run_delete_{run.id}", None)
                st.rerun()
            return
        trained_for_it = members_trained_for(run) if asking else []
        with_members = bool(trained_for_it) and st.checkbox(
            # "… of ensemble 2738" runs left behind, naming an ensemble that no longer exists
            plural(t("Delete the {n} member run(s) trained for it too", n=len(trained_for_it)), len(trained_for_it)),
            value=True,
            key=f"delete_members_{run.id}",
            help=t("Runs the ensemble trained as its members; runs you picked as members are kept."),
        )
        if state.confirm(f"run_delete_{run.id}", question, t("Delete run")):
            try:
                with changing_home(studio_home()):
                    RunStore().delete(run.id)
            except StudioError as exc:
                st.error(md(tm(exc)))
                return
            from ui.sidebar import forget_names

            forget_names("run", [run.id])
            for member in trained_for_it if with_members else []:
                try:
                    RunStore().delete(member.id)
                except (StudioError, OSError):  # in use again meanwhile (another ensemble took it): kept
                    continue
                forget_names("run", [member.id])
            if state.get("run") == run.id:
                state.set("run", None)
            # the page that follows has no run manager to say it: the sidebar, on every page, does
            st.session_state["run_deleted"] = t("Deleted the run {run}.", run=md(shown))
            st.rerun()


def is_the_yardstick(run) -> bool:
    """Whether ``run`` is the plain baseline its dataset's other runs are measured against, and the
    only one (deleting it leaves them without a margin)."""
    from core.baselines import baseline_run, is_plain_baseline
    from core.registry import RunStore

    config = run.config()
    if not is_plain_baseline(config):
        return False
    found = baseline_run(config.get("dataset"))
    if found is None or found.id != run.id:
        return False
    others = [r for r in RunStore().list() if r.id != run.id and r.config().get("dataset") == config.get("dataset")]
    return bool(others) and not any(is_plain_baseline(r.config()) for r in others)


def members_trained_for(run) -> list:
    """The member runs an ensemble trained for itself (not those picked by the user), still in the
    studio and in no other ensemble."""
    from core.errors import StudioError
    from core.registry import RunStore

    if run.config().get("encoder") != "ensemble":
        return []
    store, found = RunStore(), []
    status = run.raw_status()
    # the member a Stop cut short too: Start again would have continued it
    trained = {**dict(status.get("member_runs_unfinished") or {}), **dict(status.get("member_runs") or {})}
    for member_id in trained.values():
        try:
            member = store.get(str(member_id))
        except StudioError:
            continue
        if set(store.ensembles_using(member.id)) <= {run.id}:
            found.append(member)
    return found


def settings_panel(run) -> None:
    """The run's settings as its config.json holds them, and the command that trains a run like it: a run
    started on the page and one from the command line could only be checked against each other in a
    terminal, and repeating one in a script meant reading its config by hand."""
    try:
        config = run.config()
    except Exception:  # a damaged config: the pages that need it say so
        return
    with st.expander(t("Settings of this run"), icon=":material/tune:", key=f"run_settings_{run.id}"):
        task = config.get("task", "classify")
        if task == "classify" and config.get("encoder") not in (None, "ensemble"):
            st.caption(t("The command that trains a run with these settings (add --seed N for another seed):"))
            st.code(f"python -m core train --like {run.id}", language="bash")
        else:
            st.caption(t("Its whole configuration, on the command line:"))
            st.code(f"python -m core runs show {run.id}", language="bash")
        st.json(
            {key: config[key] for key in ("encoder", "task", "encoder_config", "train") if key in config},
            expanded=1,
        )


def export_button(run, key: str = "export") -> None:
    """Download the run as one archive (built only when clicked), or say why it cannot be."""
    from core.bundle import export_name, export_problem, export_run

    problem = export_problem(run)
    if problem:
        template, values = problem
        if "error" in values:  # a message core wrote (the model did not load): in the session's language too
            values = {**values, "error": md(tm(values["error"]))}
        st.button(t("Download the model"), key=key, disabled=True, icon=":material/download:")
        st.caption(t(template, **values))  # in sight: a tooltip on a greyed-out button is easy to miss
        return
    from ui.i18n import lang

    language = lang()  # read now: the archive is built later, when the button is pressed
    st.download_button(
        t("Download the model (.zip)"),
        data=lambda: export_run(run, language),
        file_name=export_name(run),
        mime="application/zip",
        key=key,
        on_click="ignore",
        icon=":material/download:",
        help=t(
            "Weights (safetensors), config, featuriser or tokeniser, class names, metrics and a short "
            "load.py that predicts with plain torch, without Encoder Studio."
        ),
    )
