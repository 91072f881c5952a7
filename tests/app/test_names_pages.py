"""AppTests of names: class names at import and later, run names, tags and deletion, export, Compare."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.test_explore_pages import specs
from tests.app.test_pages import APP, shown


def keyed(at, start: str, end: str = ""):
    """The one text box on the page whose key starts with ``start`` (the upload's boxes are keyed by file)."""
    found = [w for w in at.text_input if w.key and w.key.startswith(start) and w.key.endswith(end)]
    assert len(found) == 1, [w.key for w in at.text_input]
    return found[0]


def page(path: str, dataset: str | None = None, run: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if dataset:
        at.query_params["dataset"] = dataset
    if run:
        at.query_params["run"] = run
    at.run()
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def test_classes_are_named_at_import(studio_home):
    from core.registry import DatasetStore

    at = page("pages/data.py")
    rows = [(f"great product number {i}", "1") for i in range(12)] + [
        (f"awful product number {i}", "0") for i in range(12)
    ]
    at.file_uploader(key="upload").upload(
        "reviews.csv", pd.DataFrame(rows, columns=["text", "label"]).to_csv(index=False).encode(), "text/csv"
    )
    at.run()
    assert not at.exception
    keyed(at, "upload_classes-", "_0").set_value("negative")
    keyed(at, "upload_classes-", "_1").set_value("positive").run()
    # the class-balance chart above the boxes shows the names as typed, before the save
    balance = next(spec for spec in specs(at) if spec["layout"]["title"]["text"] == "Examples per class")
    assert sorted(balance["data"][0]["x"]) == ["negative", "positive"]
    at.button(key="save_dataset").click().run()
    assert not at.exception, at.exception
    info = DatasetStore().info(at.session_state["active_dataset"])
    assert info.labels == ["negative", "positive"]
    assert set(DatasetStore().load(info.id)["label"]) == {"negative", "positive"}
    # the stored datasets say where each came from in words, not as a key ("upload:reviews.csv")
    stored = next(d.value for d in at.dataframe if "source" in d.value.columns)
    assert stored["source"].tolist() == ["uploaded reviews.csv"]
    # and in Chinese right after, in the same process (a cache shared by sessions once kept the English)
    zh = AppTest.from_file(APP, default_timeout=60)
    zh.query_params.update({"lang": "zh", "dataset": info.id})
    zh.run()
    zh.switch_page("pages/data.py").run()
    assert not zh.exception, zh.exception
    stored = next(d.value for d in zh.dataframe if "来源" in d.value.columns)
    assert stored["来源"].tolist() == ["上传的 reviews.csv"]


def test_the_next_upload_starts_from_its_own_class_names_and_name(studio_home):
    """Renaming one file's classes must not rename the next file's: its boxes start from its own classes."""
    from core.registry import DatasetStore

    at = page("pages/data.py")

    def upload(name: str, classes: tuple[str, str]) -> None:
        rows = [(f"{c} text number {i}", c) for c in classes for i in range(12)]
        data = pd.DataFrame(rows, columns=["text", "label"]).to_csv(index=False).encode()
        at.file_uploader(key="upload").upload(name, data, "text/csv")
        at.run()
        assert not at.exception, at.exception

    upload("tickets.csv", ("0", "1"))
    keyed(at, "upload_classes-", "_0").set_value("billing")
    keyed(at, "upload_classes-", "_1").set_value("shipping")
    keyed(at, "dataset_name-").set_value("Support tickets")
    at.button(key="save_dataset").click().run()
    assert DatasetStore().info(at.session_state["active_dataset"]).labels == ["billing", "shipping"]

    upload("news.csv", ("体育", "科技"))
    assert [keyed(at, "upload_classes-", f"_{i}").value for i in (0, 1)] == ["体育", "科技"]
    assert keyed(at, "dataset_name-").value == "news"
    at.button(key="save_dataset").click().run()
    info = DatasetStore().info(at.session_state["active_dataset"])
    assert info.labels == ["体育", "科技"] and info.name == "news"


def test_classes_are_renamed_later_in_the_dataset_and_its_runs(small_dataset):
    from core.inference import Predictor
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    at = page("pages/data.py", small_dataset)
    assert any("every run trained on it (1)" in c.value for c in at.caption)
    at.text_input(key=f"ds_classes_{small_dataset}_0").set_value("cuisine").run()
    at.button(key=f"ds_rename_{small_dataset}").click().run()
    assert not at.exception, at.exception
    assert any("food → cuisine" in shown(s.value) for s in at.success)
    assert Predictor.from_run(run.path).labels == ["cuisine", "sports", "technology", "travel"]
    # a name another class has is refused, and nothing changes
    at.text_input(key=f"ds_classes_{small_dataset}_1").set_value("travel").run()
    at.button(key=f"ds_rename_{small_dataset}").click().run()
    assert any("both be called 'travel'" in shown(e.value) for e in at.error)
    assert Predictor.from_run(run.path).labels == ["cuisine", "sports", "technology", "travel"]


def test_a_rename_from_the_command_line_reaches_pages_already_cached(small_dataset):
    """The caches were keyed on the weights' time, which a rename does not touch: the map, the
    Playground and Evaluate showed the old class names until the server restarted."""
    from core.names import rename_labels
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp"))

    def map_classes() -> list[str]:
        at = page("pages/embeddings.py", small_dataset, run.id)
        at.radio(key="map_method").set_value("pca").run()
        return sorted(trace["name"] for trace in specs(at)[0]["data"] if trace.get("name"))

    def playground_charts() -> str:  # the probabilities, the tokens' pull and the map, as drawn
        return json.dumps(specs(page("pages/playground.py", small_dataset, run.id)))

    assert "food" in map_classes() and '"food"' in playground_charts()
    rename_labels(small_dataset, {"food": "cuisine"})  # what `python -m core data rename-classes` does
    assert "cuisine" in map_classes() and "food" not in map_classes()
    drawn = playground_charts()
    assert '"cuisine"' in drawn and '"food"' not in drawn


def test_a_run_is_named_tagged_and_deleted_after_a_confirmation(small_dataset):
    from core.names import run_names
    from core.registry import RunStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    keep = train_run(tiny_config(small_dataset, "bow_mlp"))
    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    at = page("pages/evaluate.py", small_dataset, run.id)
    at.text_input(key=f"run_title_{run.id}").set_value("narrow and shallow")
    at.multiselect(key=f"run_tags_{run.id}").set_value(["demo"])
    at.button(key=f"run_save_{run.id}").click().run()
    assert not at.exception, at.exception
    assert run_names(run) == {"title": "narrow and shallow", "tags": ["demo"]}
    # sentences name the run by its title now, not by its id
    at = page("pages/evaluate.py", small_dataset, run.id)
    assert any(shown(c.value).startswith("Run **narrow and shallow** · bag-of-words MLP") for c in at.caption)

    at.button(key=f"ask_run_delete_{run.id}").click().run()
    assert any("Delete the run" in shown(w.value) for w in at.warning)
    assert run.path.is_dir()  # asking deletes nothing
    at.button(key=f"cancel_run_delete_{run.id}").click().run()
    assert run.path.is_dir()
    at.button(key=f"ask_run_delete_{run.id}").click().run()
    at.button(key=f"yes_run_delete_{run.id}").click().run()
    assert not at.exception, at.exception
    assert not run.path.exists()
    assert [shown(x.value) for x in at.toast] == ["Deleted the run narrow and shallow."]  # by its name, on any page
    # deleted here: not "deleted in another tab", as a run deleted behind the session's back is
    at.run()
    assert not [w.value for w in at.warning if "was deleted" in w.value], [w.value for w in at.warning]
    assert [r.id for r in RunStore().list()] == [keep.id]  # another run's files are untouched
    assert (keep.path / "model.safetensors").is_file()
    # the baseline the others are measured against says what deleting it takes away; another run does not
    base = train_run(tiny_config(small_dataset, "baseline"))
    at = page("pages/evaluate.py", small_dataset, base.id)
    at.button(key=f"ask_run_delete_{base.id}").click().run()
    assert any("It is the baseline the other runs" in shown(w.value) for w in at.warning)
    # an untitled run is asked about by the name the sidebar gives it, not by its 30-character id
    from ui.sidebar import short_name

    at = page("pages/evaluate.py", small_dataset, keep.id)
    at.button(key=f"ask_run_delete_{keep.id}").click().run()
    (asked,) = [shown(w.value) for w in at.warning if "Delete the run" in shown(w.value)]
    assert f"**{short_name(keep)}**" in asked and keep.id not in asked, asked
    assert "It is the baseline" not in asked


def test_a_name_changed_elsewhere_reaches_the_boxes_and_a_tag_saved_here_does_not_undo_it(small_dataset):
    """The name and tag boxes kept what they first showed: after a rename in another tab or from the
    command line, saving a tag here wrote the old name (and the old tags) back."""
    from core.names import name_dataset, name_run, run_names
    from core.registry import DatasetStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    name_run(run, title="my mlp", tags=["first"])
    at = page("pages/evaluate.py", small_dataset, run.id)
    assert at.text_input(key=f"run_title_{run.id}").value == "my mlp"
    name_run(run, title="renamed elsewhere", tags=["first", "second"])  # another tab, or the CLI
    at.run()
    assert at.text_input(key=f"run_title_{run.id}").value == "renamed elsewhere"
    assert at.multiselect(key=f"run_tags_{run.id}").value == ["first", "second"]
    at.multiselect(key=f"run_tags_{run.id}").set_value(["first", "second", "demo"])
    at.button(key=f"run_save_{run.id}").click().run()
    assert not at.exception, at.exception
    assert run_names(run) == {"title": "renamed elsewhere", "tags": ["first", "second", "demo"]}

    at = page("pages/data.py", small_dataset)
    name_dataset(small_dataset, name="dataset renamed elsewhere")
    at.run()
    assert at.text_input(key=f"ds_name_{small_dataset}").value == "dataset renamed elsewhere"
    at.multiselect(key=f"ds_tags_{small_dataset}").set_value(["wiki"])
    at.button(key=f"ds_save_{small_dataset}").click().run()
    info = DatasetStore().info(small_dataset)
    assert (info.name, list(info.tags)) == ("dataset renamed elsewhere", ["wiki"])


def test_renaming_one_class_leaves_a_class_name_past_100_characters_whole(small_dataset):
    """The class boxes returned their text cut to 100 characters: renaming another class wrote a
    124-character name back cut, in the dataset and in every run."""
    from core.registry import DatasetStore

    frame = DatasetStore().load(small_dataset)
    labels = sorted(frame["label"].unique())
    long = ("a class whose name runs on " + "and on " * 14).strip()  # an import keeps such a name whole
    assert len(long) > 100
    frame["label"] = frame["label"].replace({labels[0]: long})
    DatasetStore().save(frame, "long", "test", {}, dataset_id="long")
    at = page("pages/data.py", "long")
    index = list(DatasetStore().info("long").labels).index(labels[1])
    at.text_input(key=f"ds_classes_long_{index}").set_value("renamed").run()
    at.button(key="ds_rename_long").click().run()
    assert not at.exception, at.exception
    assert sorted(DatasetStore().info("long").labels) == sorted([long, "renamed", *labels[2:]])


def test_a_dataset_is_renamed_and_deleted_but_its_runs_stay(small_dataset):
    from core.registry import DatasetStore, RunStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    at = page("pages/data.py", small_dataset)
    at.text_input(key=f"ds_name_{small_dataset}").set_value("Four topics")
    at.button(key=f"ds_save_{small_dataset}").click().run()
    assert DatasetStore().info(small_dataset).name == "Four topics"
    at.checkbox(key=f"ds_delete_runs_{small_dataset}").uncheck().run()  # keep the run
    at.button(key=f"ask_ds_delete_{small_dataset}").click().run()
    assert DatasetStore().exists(small_dataset)
    at.button(key=f"yes_ds_delete_{small_dataset}").click().run()
    assert not at.exception, at.exception
    assert not DatasetStore().exists(small_dataset)
    assert [r.id for r in RunStore().list()] == [run.id] and run.model_path.is_file()
    # said at once, as a toast: the last dataset gone, the manager's message waited for the next one loaded
    assert [shown(x.value) for x in at.toast] == ["Deleted the dataset Four topics."]
    at.run()
    assert not [s for s in at.success if "Deleted the dataset" in s.value]


def test_a_dataset_deleted_on_the_page_takes_its_runs_by_default(small_dataset):
    """Its runs, kept, were out of the pages' reach (they list runs by dataset)."""
    from core.registry import DatasetStore, RunStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    train_run(tiny_config(small_dataset, "bow_mlp"))
    at = page("pages/data.py", small_dataset)
    assert at.checkbox(key=f"ds_delete_runs_{small_dataset}").value is True
    assert at.checkbox(key=f"ds_delete_runs_{small_dataset}").label == "Delete its 1 run too"
    at.button(key=f"ask_ds_delete_{small_dataset}").click().run()
    assert any("and its 1 run?" in shown(w.value) for w in at.warning)
    at.button(key=f"yes_ds_delete_{small_dataset}").click().run()
    assert not at.exception, at.exception
    assert not DatasetStore().exists(small_dataset) and RunStore().list() == []
    assert [shown(x.value) for x in at.toast] == ["Deleted the dataset small and its 1 run."]


def test_evaluate_offers_the_export_and_compare_picks_distinct_runs(small_dataset):
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    train_run(tiny_config(small_dataset, "baseline"))
    twin_a = train_run(tiny_config(small_dataset, "bow_mlp"))
    train_run(tiny_config(small_dataset, "bow_mlp"))  # its twin: the same settings
    train_run(tiny_config(small_dataset, "rbf"))
    at = page("pages/evaluate.py", small_dataset, twin_a.id)
    buttons = [b for b in at.get("download_button") if b.proto.id and "export" in b.proto.id]
    assert buttons and "Download the model" in buttons[0].proto.label
    at = page("pages/compare.py", small_dataset)
    import json

    f1 = next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if "F1 per class" in c.proto.spec)
    shown_runs = [trace["name"] for trace in f1["data"]]
    assert any(name.startswith("TF-IDF + LR") for name in shown_runs)
    assert any(name.startswith("RBF network") for name in shown_runs)
    # one of two identical runs, not both
    assert sum(name.startswith("bag-of-words MLP") for name in shown_runs) == 1


def test_names_shown_twice_are_told_apart_by_the_end_of_their_key():
    from ui.sidebar import distinct_labels

    labels = {"dataset-1-4f1d": "news · 24", "dataset-2-c3ae": "news · 24", "dataset-3-aaaa": "tweets · 9"}
    assert distinct_labels(labels) == {
        "dataset-1-4f1d": "news · 24 · 4f1d",
        "dataset-2-c3ae": "news · 24 · c3ae",
        "dataset-3-aaaa": "tweets · 9",
    }
    # ids a person chose are not cut (their last six letters read "wRepro", "owB128")
    chosen = {"bowRepro": "MLP", "bowB128": "MLP", "run-lr-0.005": "MLP"}
    assert distinct_labels(chosen) == {
        "bowRepro": "MLP · bowRepro",
        "bowB128": "MLP · bowB128",
        "run-lr-0.005": "MLP · 0.005",
    }
    same_tail = {"a-4f1d": "news", "b-4f1d": "news"}
    shown = distinct_labels(same_tail)
    assert len(set(shown.values())) == 2 and shown["a-4f1d"] == "news · a-4f1d"


def test_the_sidebar_pickers_show_their_choice_in_full_on_hover(trained):
    """The narrow sidebar cut "✓ Hotel reviews, second try · bag-of-words MLP · done · <id>" mid-name."""
    from core.names import name_run

    _, mlp, _ = trained
    name_run(mlp, "Hotel reviews, second try with fewer epochs")
    at = page("pages/evaluate.py", dataset=mlp.config()["dataset"], run=mlp.id)
    run_picker = at.selectbox(key="sidebar_run")
    assert run_picker.value == mlp.id
    assert "Hotel reviews, second try with fewer epochs" in shown(run_picker.help) and mlp.id in shown(run_picker.help)
    assert "row" in shown(at.selectbox(key="sidebar_dataset").help)


def test_a_built_in_dataset_whose_classes_were_renamed_says_so_under_its_description(studio_home):
    """The BBC card still listed "business, entertainment, …" after the classes had been renamed."""
    from core.names import rename_labels
    from core.registry import DatasetStore

    DatasetStore().ensure_builtin("starter")
    at = page("pages/data.py", "starter")
    assert not [c for c in at.caption if "renamed" in c.value]  # as loaded: the description is right
    rename_labels("starter", {"food": "cuisine"})
    at.run()
    assert not at.exception, at.exception
    (note,) = [shown(c.value) for c in at.caption if "Its classes here" in c.value]
    assert note == "Its classes here, renamed: cuisine, sports, technology, travel."


def test_a_link_naming_a_run_alone_opens_that_runs_dataset(small_dataset):
    """ "?run=…&text=…" opened the newest dataset, then another dataset's run under a false "no run on
    this dataset", and the demo's sentence was answered by the wrong model."""
    from core.registry import DatasetStore
    from core.training.runner import RunConfig, train_run
    from tests.conftest import tiny_config

    mine = train_run(tiny_config(small_dataset, "bow_mlp"))
    DatasetStore().ensure_builtin("starter")
    train_run(RunConfig.create("starter", "baseline"))  # newer, on another dataset: what a new session opens
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(run=mine.id, text="the match ended two goals to one")
    at.run()
    at.switch_page("pages/playground.py").run()
    assert not at.exception, at.exception
    assert (at.session_state["active_dataset"], at.session_state["active_run"]) == (small_dataset, mine.id)
    # no "No run … on this dataset" above the page (such notices were toasts until they had to stay)
    assert not [w.value for w in at.warning if w.value.startswith(("No run", "No dataset", "Run "))], at.warning


def test_another_datasets_run_does_not_stay_active_on_a_dataset_without_runs(small_dataset):
    from core.registry import DatasetStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    mine = train_run(tiny_config(small_dataset, "bow_mlp"))
    DatasetStore().ensure_builtin("starter")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(dataset="starter", run=mine.id)  # starter has no runs
    at.run()
    # above the page, where it stays (a toast faded in two seconds), naming where the run is
    assert [shown(w.value) for w in at.warning if "was trained on the dataset" in w.value] == [
        f"Run {mine.id} was trained on the dataset {small_dataset}, not this one: pick {small_dataset} in the "
        "sidebar to open it."
    ], [w.value for w in at.warning]
    gone = AppTest.from_file(APP, default_timeout=60)
    gone.query_params.update(dataset=small_dataset, run="nope-123")  # a colleague's link to a run deleted since
    gone.run()
    assert any(shown(w.value) == "No run nope-123 on this dataset: showing another one." for w in gone.warning)
    assert gone.session_state["active_run"] == mine.id
    at.switch_page("pages/evaluate.py").run()
    assert not at.exception, at.exception
    assert "active_run" not in at.session_state or not at.session_state["active_run"]


def test_an_uploads_name_is_tidied_as_a_rename_is(studio_home):
    """A blank name made a blank heading and sidebar entry; an 88-character file name was stored whole,
    then cut to 80 without a word the first time a tag was saved."""
    from core.registry import DatasetStore

    rows = [(f"great product number {i}", "good") for i in range(12)] + [
        (f"awful product {i}", "bad") for i in range(12)
    ]
    data = pd.DataFrame(rows, columns=["text", "label"]).to_csv(index=False).encode()
    long_stem = "customer reviews exported from the shop system on the first of december " + "x" * 16
    assert len(long_stem) == 88
    for file_name, typed, expected in (
        ("reviews.csv", "   ", "reviews"),
        (f"{long_stem}.csv", None, long_stem[:80].strip()),
        ("more.csv", "  my   reviews ", "my reviews"),
    ):
        at = page("pages/data.py")
        at.file_uploader(key="upload").upload(file_name, data, "text/csv").run()
        if typed is not None:
            keyed(at, "dataset_name-").set_value(typed).run()
        at.button(key="save_dataset").click().run()
        assert not at.exception, at.exception
        assert DatasetStore().info(at.session_state["active_dataset"]).name == expected


def test_every_page_link_keeps_the_language_and_presenter_mode():
    """Two Train links (to Evaluate under a stopped run, to Data with no dataset) dropped them: a Chinese
    presenter landed on an English page with the forms out in front of the audience."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    missing = []
    for path in [*root.glob("pages/*.py"), *root.glob("ui/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            is_link = isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "page_link"
            if is_link and not any(keyword.arg == "query_params" for keyword in node.keywords):
                missing.append(f"{path.name}:{node.lineno}")
    assert missing == [], missing


def test_deleting_an_ensemble_offers_to_delete_the_members_it_trained_and_a_member_links_to_it(small_dataset):
    """Deleting an ensemble left its auto-trained members behind ("… of ensemble 2738" naming a run
    that no longer exists); a member's Delete said "Delete the ensemble first" with no way to it."""
    from core.registry import RunStore
    from core.training.runner import RunConfig, train_run
    from tests.conftest import tiny_config

    picked = train_run(tiny_config(small_dataset, "baseline"))  # a member the user picked: kept
    ensemble = train_run(
        RunConfig.create(small_dataset, "ensemble", {"members": ["baseline:nb", picked.id]}, {"threads": 1})
    )
    assert ensemble.status()["state"] == "done", ensemble.status().get("error")
    (made,) = [RunStore().get(i) for i in ensemble.status()["member_runs"].values()]
    at = page("pages/evaluate.py", small_dataset, made.id)
    at.button(key=f"ask_run_delete_{made.id}").click().run()
    # a button that writes the ensemble's id into the URL: a page_link to the page already open left the
    # member's id there, so a refresh went back to the member
    at.button(key=f"open_ensemble_{made.id}_{ensemble.id}").click().run()
    assert not at.exception, at.exception
    assert at.session_state["active_run"] == ensemble.id
    assert at.query_params.get("run") in (ensemble.id, [ensemble.id]), at.query_params
    assert f"confirm_run_delete_{made.id}" not in at.session_state
    at = page("pages/evaluate.py", small_dataset, ensemble.id)
    at.button(key=f"ask_run_delete_{ensemble.id}").click().run()
    box = at.checkbox(key=f"delete_members_{ensemble.id}")
    assert box.value is True and box.label == "Delete the 1 member run trained for it too"
    at.button(key=f"yes_run_delete_{ensemble.id}").click().run()
    assert not at.exception, at.exception
    remaining = {r.id for r in RunStore().list()}
    assert ensemble.id not in remaining and made.id not in remaining and picked.id in remaining


def test_the_stored_datasets_table_counts_each_set_s_runs_and_dates_it(small_dataset):
    """A power user's nine datasets: the table said neither which were in use nor when each came."""
    import datetime

    from core.registry import DatasetStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    DatasetStore().save(DatasetStore().load(small_dataset), "unused copy", "test", {"seed": 1}, dataset_id="copy")
    for _ in range(2):
        train_run(tiny_config(small_dataset, "baseline"))
    at = page("pages/data.py", small_dataset)
    (table,) = [d.value for d in at.dataframe if "runs" in d.value.columns]
    by_id = table.set_index("id")
    assert by_id.loc[small_dataset, "runs"] == 2 and by_id.loc["copy", "runs"] == 0
    created = DatasetStore().info("copy").created
    assert by_id.loc["copy", "imported"] == datetime.datetime.fromtimestamp(created).strftime("%Y-%m-%d %H:%M")


def test_home_lists_the_newest_runs_of_every_dataset_with_links_to_where_they_stand(small_dataset):
    """A home of 45 runs showed only the one-click start; a stopped run on another dataset was found only by
    switching to that dataset."""
    from core.registry import DatasetStore
    from core.training.runner import train_run
    from tests.conftest import stopped_run, tiny_config

    DatasetStore().save(DatasetStore().load(small_dataset), "other set", "test", {"seed": 1}, dataset_id="other")
    done = train_run(tiny_config(small_dataset, "baseline"))
    stopped = stopped_run("other")
    at = page("pages/home.py")
    assert "Recent runs" in [h.value for h in at.subheader]
    links = [(shown(e.proto.label), e.proto.page) for e in at.get("page_link")]
    ((first, first_page), (second, second_page)) = [x for x in links if " · done" in x[0] or " · stopped" in x[0]]
    assert "· stopped" in first  # the newest first: the stopped run on the other set
    assert first.endswith("· other set") and first_page.endswith("train")  # where it can be resumed
    assert f"{done.eval()['accuracy']:.3f} · done" in second and second_page.endswith("evaluate")
    assert stopped.config()["dataset"] == "other"

    # an ensemble's members are shown with it on its pages: here they would push the user's own runs off
    from core.training.runner import RunConfig

    ensemble = train_run(RunConfig.create(small_dataset, "ensemble", {"members": ["baseline", done.id]}))
    at.run()
    labels = [shown(e.proto.label) for e in at.get("page_link")]
    assert any(label.startswith("✓ ensemble") for label in labels), labels
    # the baseline it trained itself is left to it; `done`, the user's own run it was given, stays
    assert sum("TF-IDF + LR" in label for label in labels) == 1, labels
    assert ensemble.status()["state"] == "done"


def test_a_run_name_of_markup_reads_as_text_on_home_and_in_its_export(small_dataset):
    """A security review: a run named ":red[RUN] [l](javascript:…)" coloured everyone's Home page, and its
    markup went into the README of the model another student downloaded."""
    import io
    import zipfile

    from core.bundle import export_run
    from core.names import name_run
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "baseline"))
    hostile = "<img src=x onerror=alert(5)> :red[RUN] [l](javascript:alert(1))"
    name_run(run, title=hostile)
    at = page("pages/home.py")
    (label,) = [e.proto.label for e in at.get("page_link") if "RUN" in e.proto.label]
    assert "red\\[RUN\\]" in label and "\\[l\\]\\(javascript" in label  # escaped: drawn as typed
    assert shown(label).startswith(f"✓ {hostile} · TF-IDF + LR")
    with zipfile.ZipFile(io.BytesIO(export_run(run))) as archive:
        readme = archive.read(f"{run.id}/README.md").decode("utf-8")
    assert "# \\<img src=x onerror=alert\\(5\\)\\> :red\\[RUN\\] \\[l\\]\\(javascript:alert\\(1\\)\\)" in readme


def test_the_one_click_start_says_when_the_studio_s_queue_is_full(studio_home, monkeypatch):
    """A review: Home's button, alone of the starts, let the queue's refusal out as a traceback."""
    import core.workers
    from core.registry import RunStore

    monkeypatch.setattr(core.workers, "queue", lambda home=None: [f"r{i}" for i in range(10)])
    at = page("pages/home.py")
    at.button(key="quickstart").click().run()
    assert not at.exception, at.exception
    assert any("10 runs are training or waiting to train on this studio already" in e.value for e in at.error)
    assert RunStore().list() == []  # the run it made is gone again


def _delete(dataset: str) -> None:
    from core.registry import DatasetStore

    DatasetStore().delete(dataset)  # its runs kept, as `data delete` does


def _damage(dataset: str) -> None:
    from core.registry import DatasetStore

    (DatasetStore().path(dataset) / "meta.json").write_text("{not json", encoding="utf-8")


@pytest.mark.parametrize(
    "harm, words",
    [
        (_delete, "which was deleted; the run's files are kept (python -m core runs list)."),
        (_damage, "which cannot be read: the Data page lists it with the reason."),
    ],
)
def test_a_link_to_a_run_whose_dataset_is_gone_or_unreadable_says_which(small_dataset, harm, words):
    """A review: a run kept when its dataset was deleted was linked as "pick small in the sidebar", where
    small no longer was; then a dataset whose meta.json was damaged (still there, listed on Data with the
    reason) was called deleted."""
    from core.registry import DatasetStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    mine = train_run(tiny_config(small_dataset, "bow_mlp"))
    DatasetStore().ensure_builtin("starter")
    harm(small_dataset)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(dataset="starter", run=mine.id)
    at.run()
    assert not at.exception, at.exception
    said = [shown(w.value) for w in at.warning if mine.id in shown(w.value)]
    assert said == [f"Run {mine.id} was trained on the dataset {small_dataset}, {words}"], [w.value for w in at.warning]


def test_a_multi_label_export_is_merged_and_its_placeholders_read_as_missing_on_the_page(studio_home):
    """A ticketing export: the page said nothing about "refund;billing" beside "billing;refund", and an
    "unknown" class could only be kept (renaming it to a spelling of 'no value' is refused)."""
    from core.registry import DatasetStore

    at = page("pages/data.py")
    names = ["billing"] * 15 + ["refund"] * 15 + ["billing;refund"] * 8 + ["refund; billing"] * 4 + ["unknown"] * 6
    rows = [(f"ticket text number {i}", label) for i, label in enumerate(names)]
    at.file_uploader(key="upload").upload(
        "tickets.csv", pd.DataFrame(rows, columns=["text", "label"]).to_csv(index=False).encode(), "text/csv"
    )
    at.run()
    assert not at.exception, at.exception
    # each class box's (hidden) label holds no escapes for a screen reader to read ("billing\\;refund"), and
    # the name is shown above it as written
    boxes = [w for w in at.text_input if w.key.startswith("upload_classes-")]
    assert [w.label for w in boxes] == [f"New name for class {n}" for n in range(1, len(boxes) + 1)]
    assert {"billing;refund", "refund; billing"} <= {shown(c.value) for c in at.caption}
    warned = " ".join(shown(w.value) for w in at.warning)
    assert "several labels at once" in warned and "as 'could not label this'" in warned
    next(c for c in at.checkbox if c.key.startswith("merge_sets-")).check().run()
    assert any("refund; billing → billing;refund" in shown(c.value) for c in at.caption)
    next(m for m in at.multiselect if m.key.startswith("as_missing-")).set_value(["unknown"]).run()
    assert not at.exception, at.exception
    assert "could not label this" not in " ".join(shown(w.value) for w in at.warning)
    at.button(key="save_dataset").click().run()
    info = DatasetStore().info(at.session_state["active_dataset"])
    assert info.labels == ["billing", "billing;refund", "refund"] and info.rows == len(names) - 6


def test_an_upload_under_a_name_several_datasets_have_names_them_all(studio_home):
    """Three versions named "labels": the Data page said "A dataset named labels exists already (938 rows)"
    of one of the two stored, the other (1,000 rows) unsaid."""
    from core.registry import DatasetStore

    frame = pd.DataFrame({"text": [f"text number {i}" for i in range(40)], "label": ["a", "b"] * 20})
    stored = frame.assign(split=["train", "train", "val", "test"] * 10)
    DatasetStore().save(stored.head(30), "labels", "test", {"seed": 1}, dataset_id="labels-1")
    at = page("pages/data.py")
    at.file_uploader(key="upload").upload("labels.csv", frame.to_csv(index=False).encode(), "text/csv")
    at.run()
    assert any("A dataset named **labels** exists already (30 rows)" in w.value for w in at.warning)
    DatasetStore().save(stored, "labels", "test", {"seed": 1}, dataset_id="labels-2")
    at.run()
    said = [shown(w.value) for w in at.warning if "named" in w.value]
    assert any("2 datasets named **labels** exist already (40, 30 rows)" in w for w in said), said
    # saved anyway (two colleagues at once read "saved as labels" each): the confirmation says so too
    at.button(key="save_dataset").click().run()
    saved = " ".join(shown(s.value) for s in at.success)
    assert "2 other datasets are named **labels** too (`labels-1`, `labels-2`)" in saved, saved


def test_scraped_texts_are_cleaned_of_web_markup_on_the_data_page(studio_home):
    from core.registry import DatasetStore

    at = page("pages/data.py")
    rows = [(f"<p>goal {i} &amp; &quot;penalty&quot;</p>", "sport") for i in range(6)]
    rows += [(f"new phone {i} &amp; chip<br>fast", "tech") for i in range(6)]
    at.file_uploader(key="upload").upload(
        "posts.csv", pd.DataFrame(rows, columns=["text", "label"]).to_csv(index=False).encode(), "text/csv"
    )
    at.run()
    assert any("texts hold web markup" in shown(w.value) for w in at.warning)
    next(c for c in at.checkbox if c.key.startswith("strip_markup-")).check().run()
    assert not at.exception, at.exception
    assert not any("web markup" in shown(w.value) for w in at.warning)
    assert any(c.value == "Cleaned 12 texts." for c in at.caption)
    at.button(key="save_dataset").click().run()
    stored = DatasetStore().load(at.session_state["active_dataset"])
    assert sorted(stored["text"])[0] == 'goal 0 & "penalty"'


def test_deleting_a_run_that_trains_is_refused_at_the_first_click(small_dataset):
    """A colleague confirmed the delete of a run in training, and only then read "in use by pid 27220 on vm
    (train)", the Delete and Cancel pair still on screen above it."""
    from core.training.runner import start_run
    from tests.conftest import tiny_config

    queued = start_run(tiny_config(small_dataset, "bow_mlp"))
    assert queued.status()["state"] == "queued"
    at = page("pages/train.py", small_dataset, queued.id)
    at.button(key=f"ask_run_delete_{queued.id}").click().run()
    assert not at.exception, at.exception
    assert any("stop it first (Train page), then delete it" in w.value for w in at.warning)
    assert not [b for b in at.button if b.key == f"yes_run_delete_{queued.id}"]
    assert queued.path.is_dir()


@pytest.mark.parametrize(
    "code, said",
    [("ENOSPC", "is full, so nothing was changed"), ("EROFS", "is on a read-only disk, so nothing was changed")],
)
def test_a_run_deleted_or_a_dataset_saved_on_a_full_or_read_only_disk_is_a_message(
    small_dataset, monkeypatch, code, said
):
    """Save dataset on the Data page, and Delete run, let the OSError of a full or read-only disk out: the
    pages showed a traceback through pandas or os.rename, which said nothing of what to do."""
    import errno
    import os

    import core.registry
    from core.registry import DatasetStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    def refused(*args, **kwargs):
        raise OSError(getattr(errno, code), os.strerror(getattr(errno, code)))

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    at = page("pages/evaluate.py", small_dataset, run.id)
    monkeypatch.setattr(core.registry, "_remove_folder", refused)
    at.button(key=f"ask_run_delete_{run.id}").click().run()
    at.button(key=f"yes_run_delete_{run.id}").click().run()
    assert not at.exception, at.exception
    assert any(said in shown(e.value) for e in at.error), [e.value for e in at.error]
    assert run.path.is_dir() and run.config()["encoder"] == "bow_mlp"

    datasets = [d.id for d in DatasetStore().list()]
    monkeypatch.setattr(pd.DataFrame, "to_parquet", refused)
    at = page("pages/data.py")
    rows = [(f"第{i}条 快递到哪了", "物流") for i in range(12)] + [(f"第{i}条 想退货退款", "退款") for i in range(12)]
    data = pd.DataFrame(rows, columns=["text", "label"]).to_csv(index=False).encode()
    at.file_uploader(key="upload").upload("full.csv", data, "text/csv").run()
    at.button(key="save_dataset").click().run()
    assert not at.exception, at.exception
    assert any(said in shown(e.value) for e in at.error), [e.value for e in at.error]
    assert [d.id for d in DatasetStore().list()] == datasets


def test_a_studio_home_that_is_a_file_is_said_once_not_as_a_crash(tmp_path, monkeypatch):
    """ENCODER_STUDIO_HOME naming a file: every page showed the (good) message as an exception, with a
    traceback through the sidebar."""
    home = tmp_path / "home.txt"
    home.write_text("x")
    monkeypatch.setenv("ENCODER_STUDIO_HOME", str(home))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert [shown(e.value) for e in at.error] == [
        f"The studio home {home} is a file, not a folder. Point ENCODER_STUDIO_HOME at a folder (it is created "
        "when missing), or unset it to use ./studio_data."
    ]


def test_evaluate_shows_a_run_s_settings_and_the_command_that_repeats_them(small_dataset):
    """A run from the page and its twin from the command line could only be compared in a terminal, and
    repeating a page run in a script meant reading its config.json by hand."""
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    at = page("pages/evaluate.py", small_dataset, run.id)
    assert [e for e in at.expander if e.label == "Settings of this run"]
    assert [c.value for c in at.code if "train --like" in c.value] == [f"python -m core train --like {run.id}"]
    (shown_json,) = [j for j in at.json if "encoder_config" in j.value]
    assert json.loads(shown_json.value)["encoder_config"] == run.config()["encoder_config"]
