"""Names: run titles and tags, dataset names and tags, renamed classes through every run file."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.errors import DataError, StudioError


def test_renamed_classes_reach_the_dataset_every_run_and_the_predictor(small_dataset):
    from core.inference import Predictor
    from core.names import rename_labels
    from core.registry import DatasetStore
    from core.training.runner import evaluate_saved_run, train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    texts = ["the striker scored twice", "我们去海边旅行"]
    before = Predictor.from_run(run.path)
    proba_before, labels_before = before.predict_proba(texts), list(before.labels)
    assert labels_before == ["food", "sports", "technology", "travel"]

    # a mapping that changes the sorted order: the model's output order must not follow it
    mapping = {"food": "zz-food", "sports": "athletics"}
    full = rename_labels(small_dataset, mapping)
    assert full == {"food": "zz-food", "sports": "athletics", "technology": "technology", "travel": "travel"}

    info = DatasetStore().info(small_dataset)
    assert info.labels == ["zz-food", "athletics", "technology", "travel"]
    frame = DatasetStore().load(small_dataset)
    assert set(frame["label"]) == {"zz-food", "athletics", "technology", "travel"}
    after = Predictor.from_run(run.path)
    assert after.labels == ["zz-food", "athletics", "technology", "travel"]
    np.testing.assert_allclose(after.predict_proba(texts), proba_before, rtol=1e-5)
    report = run.eval()
    assert report["labels"] == after.labels and [r["label"] for r in report["per_class"]] == after.labels
    points = pd.read_parquet(run.path / "points.parquet")
    assert set(points["label"]) <= set(after.labels) and set(points["pred"]) <= set(after.labels)
    assert "p:athletics" in points and "p:sports" not in points

    # the run evaluates again against the renamed dataset and gets the same score
    accuracy = report["accuracy"]
    again = evaluate_saved_run(run)
    assert again["accuracy"] == pytest.approx(accuracy) and run.eval()["labels"] == after.labels


def test_a_run_with_a_damaged_report_is_renamed_too_and_can_be_evaluated_again(small_dataset):
    """The rename skipped runs listed as broken: the run still named "food", and the "evaluate again"
    its own message advised failed with "Dataset 'small' has changed"."""
    from core.names import rename_labels
    from core.training.runner import evaluate_saved_run, train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    (run.path / "eval.json").write_text("{ damaged")
    rename_labels(small_dataset, {"food": "cuisine"})
    assert "cuisine" in run.config()["labels"] and "food" not in run.config()["labels"]
    evaluate_saved_run(run)
    assert "cuisine" in run.eval()["labels"]


def test_class_names_that_collide_or_vanish_are_refused_and_nothing_changes(small_dataset):
    from core.names import check_label_mapping, rename_labels
    from core.registry import DatasetStore

    before = DatasetStore().load(small_dataset)
    with pytest.raises(DataError, match="both be called 'travel'"):
        rename_labels(small_dataset, {"food": "travel"})
    with pytest.raises(DataError, match="needs a name"):
        rename_labels(small_dataset, {"food": "   "})
    with pytest.raises(DataError, match="No class named 'fodo' in this dataset; its classes are 'food', "):
        rename_labels(small_dataset, {"fodo": "x"})
    pd.testing.assert_frame_equal(DatasetStore().load(small_dataset), before)
    assert check_label_mapping(["0", "1"], {"0": " negative ", "1": "positive"}) == {"0": "negative", "1": "positive"}
    # a long name the file came with does not block renaming another class; a long new name is refused
    long = "Electronics > Computers > " * 5
    assert check_label_mapping(["neg", long], {"neg": "negative"}) == {"neg": "negative", long: long.strip()}
    with pytest.raises(DataError, match="at most 100 characters"):
        check_label_mapping(["neg", long], {long: long + "!"})


def test_two_renames_at_once_leave_the_dataset_and_its_runs_naming_the_classes_alike(small_dataset, monkeypatch):
    """Two renames at the same moment (two tabs, the page and the command line) both read "food"; the
    second's journal replaced the first's half-way, and the run said "cuisine" while the dataset said
    "meals" for good. The hooks below force that interleaving wherever nothing keeps the renames apart;
    with the dataset locked for the whole rename they only time out."""
    import contextlib
    import threading

    import core.names
    from core.names import rename_labels
    from core.registry import DatasetStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    both_read = threading.Barrier(2, timeout=1.5)
    first_renamed_a_run, second_done = threading.Event(), threading.Event()
    real_check, real_rename_run = core.names.check_label_mapping, core.names.rename_run_labels

    def check(labels, mapping):
        full = real_check(labels, mapping)
        with contextlib.suppress(threading.BrokenBarrierError):  # a lone rename goes on after the timeout
            both_read.wait()  # both renames have read the classes as they were
        if mapping.get("food") == "meals":
            first_renamed_a_run.wait(1.5)  # the first rename is half-way through its files
        return full

    def rename_run(run, mapping, old, rename_id):
        real_rename_run(run, mapping, old, rename_id)
        if mapping.get("food") == "cuisine":
            first_renamed_a_run.set()
            second_done.wait(1.5)  # the second rename runs from start to end here

    monkeypatch.setattr(core.names, "check_label_mapping", check)
    monkeypatch.setattr(core.names, "rename_run_labels", rename_run)
    outcome = {}

    def rename(new):
        try:
            outcome[new] = rename_labels(small_dataset, {"food": new})
        except Exception as error:  # noqa: BLE001 - the test compares what each rename got
            outcome[new] = error
        finally:
            if new == "meals":
                second_done.set()

    threads = [threading.Thread(target=rename, args=(new,)) for new in ("cuisine", "meals")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    labels = DatasetStore().info(small_dataset).labels
    assert run.config()["labels"] == labels and run.eval()["labels"] == labels
    assert set(DatasetStore().load(small_dataset)["label"]) == set(labels)
    # the first rename to hold the dataset won; the other was written against classes that were gone, and said so
    winner, loser = (labels[0], ({"cuisine", "meals"} - {labels[0]}).pop())
    assert winner in ("cuisine", "meals") and isinstance(outcome[winner], dict)
    assert isinstance(outcome[loser], DataError) and "No class named 'food'" in str(outcome[loser])


def test_class_names_the_import_could_not_make_are_refused():
    """A rename accepted names no import makes: the decomposed spelling of another class (two classes
    that look the same), another class in other letter case, and "NA", which an import reads as no label."""
    from core.names import check_label_mapping

    labels = ["café", "food", "sports"]
    with pytest.raises(DataError, match="both be called 'café'"):
        check_label_mapping(labels, {"sports": "cafe\u0301"})
    with pytest.raises(DataError, match="'food' and 'Food', which differ only in upper and lower case"):
        check_label_mapping(labels, {"sports": "Food"})
    # full-width letters from a Chinese input method, and a zero-width space pasted with the name
    with pytest.raises(DataError, match="'food' and 'ｆｏｏｄ', which differ only in upper and lower case or in full"):
        check_label_mapping(labels, {"sports": "ｆｏｏｄ"})
    with pytest.raises(DataError, match="both be called 'food'"):
        check_label_mapping(labels, {"sports": "food\u200b"})
    assert check_label_mapping(labels, {"sports": "\u200bsport\u200b"})["sports"] == "sport"
    for spelling in ("NA", "null", "N/A", "-"):
        with pytest.raises(DataError, match=f"{spelling!r} is how spreadsheets and databases write 'no value'"):
            check_label_mapping(labels, {"sports": spelling})
    # a new name is stored composed; a name typed as it was (even decomposed) is no rename; a class may
    # change its own case, and a file that came with two classes in other case keeps them
    assert check_label_mapping(labels, {"sports": "ve\u0301lo"})["sports"] == "vélo"
    assert check_label_mapping(labels, {"café": "cafe\u0301"})["café"] == "café"
    assert check_label_mapping(labels, {"food": "Food"})["food"] == "Food"
    assert check_label_mapping(["Food", "food", "NA"], {"NA": "other"}) == {
        "Food": "Food",
        "food": "food",
        "NA": "other",
    }


def test_only_an_experiment_tags_a_run_as_made_by_an_experiment(small_dataset):
    """A user's own run tagged "experiment" was folded away among the runs an experiment made."""
    from core.names import EXPERIMENT_TAG, is_experiment_run, name_run, run_names
    from core.training.runner import start_run
    from tests.conftest import tiny_config

    own, made = start_run(tiny_config(small_dataset, "bow_mlp")), start_run(tiny_config(small_dataset, "bow_mlp"))
    name_run(own, tags=["baseline-v2"])
    with pytest.raises(DataError, match="marks the runs an experiment made"):
        name_run(own, title="my keeper", tags=[EXPERIMENT_TAG, "baseline-v2"])
    assert run_names(own) == {"title": "", "tags": ["baseline-v2"]} and not is_experiment_run(own)
    # the experiment's own runs keep the tag while their other names change, and may lose it
    name_run(made, tags=[EXPERIMENT_TAG], by_experiment=True)
    name_run(made, title="keep this one", tags=[EXPERIMENT_TAG, "good"])
    assert is_experiment_run(made) and run_names(made)["tags"] == [EXPERIMENT_TAG, "good"]
    name_run(made, tags=["good"])
    assert not is_experiment_run(made)


def test_classes_cannot_be_renamed_under_a_queued_run(small_dataset):
    from core.names import rename_labels
    from core.training.runner import start_run
    from tests.conftest import tiny_config

    start_run(tiny_config(small_dataset, "bow_mlp"))  # created and queued, never started
    with pytest.raises(StudioError, match="queued or training"):
        rename_labels(small_dataset, {"food": "cuisine"})


def test_run_titles_and_tags_live_beside_the_run_and_survive_damage(small_dataset):
    from core.names import name_run, run_names
    from core.training.runner import start_run
    from tests.conftest import tiny_config

    run = start_run(tiny_config(small_dataset, "bow_mlp"))
    other = start_run(tiny_config(small_dataset, "bow_mlp"))
    assert run_names(run) == {"title": "", "tags": []}
    name_run(run, title="  wide   first layer ", tags=["demo", " demo", "best", ""])
    assert run_names(run) == {"title": "wide first layer", "tags": ["demo", "best"]}
    assert run_names(other) == {"title": "", "tags": []}  # never another run's files
    name_run(run, tags=["final"])
    assert run_names(run) == {"title": "wide first layer", "tags": ["final"]}
    with pytest.raises(DataError, match="at most 80"):
        name_run(run, title="x" * 81)
    (run.path / "names.json").write_text("{not json")
    assert run_names(run) == {"title": "", "tags": []}
    assert run.config()["encoder"] == "bow_mlp"


def test_a_dot_dot_title_is_refused_as_a_title_and_tags_lose_control_characters(small_dataset):
    """ ".." was refused as "another run's id" (the runs folder's parent); a terminal escape stayed in a tag
    though titles lose theirs."""
    from core.names import clean_tags, name_run, run_names
    from core.training.runner import start_run
    from tests.conftest import tiny_config

    run = start_run(tiny_config(small_dataset, "bow_mlp"))
    for title in ("..", "."):
        with pytest.raises(DataError, match=f"A run's title cannot be {title!r}"):
            name_run(run, title=title)
    assert clean_tags(["\x1b[31mred\x1b[0m", "ok\x07", "\x00"]) == ["[31mred[0m", "ok"]
    name_run(run, tags=["\x1b[1mbold"])
    assert run_names(run)["tags"] == ["[1mbold"]


def test_dataset_names_and_tags_keep_its_id_and_rows(small_dataset):
    from core.names import name_dataset
    from core.registry import DatasetStore

    store = DatasetStore()
    rows = store.info(small_dataset).rows
    info = name_dataset(small_dataset, name="Four topics", tags=["bilingual", "demo"])
    assert (info.id, info.name, info.tags, info.rows) == (small_dataset, "Four topics", ["bilingual", "demo"], rows)
    assert store.info(small_dataset).name == "Four topics" and len(store.load(small_dataset)) == rows
    with pytest.raises(DataError, match="needs a name"):
        name_dataset(small_dataset, name="  ")


def test_the_cli_names_exports_and_renames(small_dataset, tmp_path, capsys):
    import zipfile

    from core.cli import main
    from core.names import run_names
    from core.registry import DatasetStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    assert main(["runs", "name", run.id, "--title", "first try", "--tag", "demo"]) == 0
    assert run_names(run) == {"title": "first try", "tags": ["demo"]}
    out = tmp_path / "model.zip"
    assert main(["runs", "export", run.id, "--out", str(out)]) == 0
    assert f"{run.id}/load.py" in zipfile.ZipFile(out).namelist()
    assert main(["data", "rename-classes", "--dataset", small_dataset, "--rename", "food=cuisine"]) == 0
    assert "food → cuisine" in capsys.readouterr().out
    assert "cuisine" in DatasetStore().info(small_dataset).labels
    assert main(["data", "rename-classes", "--dataset", small_dataset, "--rename", "sports=travel"]) == 1
    assert "both be called 'travel'" in capsys.readouterr().err


def test_naming_a_run_deleted_meanwhile_brings_no_half_folder_back(small_dataset):
    """Held by one tab, deleted in another, then named: the folder came back holding only names.json."""
    from core.errors import UnknownRunError
    from core.names import name_run
    from core.registry import RunStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "baseline"))
    RunStore().delete(run.id)
    with pytest.raises(UnknownRunError, match="was deleted"):
        name_run(run, title="my run")
    assert not run.path.exists() and RunStore().broken() == []


def test_a_delete_cut_off_half_way_leaves_no_run_behind(small_dataset, monkeypatch):
    """rmtree on the live folder, killed mid-way, left a run with its model and scores but no metrics,
    listed as sound; the folder is now renamed out of sight first."""
    import shutil

    from core.registry import RunStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "baseline"))

    def killed(path, *args, **kwargs):
        (path / "metrics.jsonl").unlink()  # as far as it got
        raise KeyboardInterrupt

    # in a context of its own: monkeypatch.undo() also undid the home the autouse fixture set, and the
    # listing below read the developer's own studio home
    with monkeypatch.context() as patch:
        patch.setattr(shutil, "rmtree", killed)
        with pytest.raises(KeyboardInterrupt):
            RunStore().delete(run.id)
    assert not run.path.exists() and [r.id for r in RunStore().list()] == [] and RunStore().broken() == []
    leftovers = [p.name for p in run.path.parent.iterdir()]
    assert len(leftovers) == 1 and leftovers[0].startswith(".staging-")  # swept once its process is gone


def test_a_title_that_is_another_runs_id_is_refused(small_dataset):
    """An id wins over a title wherever a run is named, so such a title could never select its run."""
    from core.errors import DataError
    from core.names import name_run, run_names
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    first = train_run(tiny_config(small_dataset, "baseline"))
    second = train_run(tiny_config(small_dataset, "baseline"))
    with pytest.raises(DataError, match="is another run's id"):
        name_run(second, title=first.id)
    assert run_names(second)["title"] == ""
    name_run(second, title=second.id)  # its own id is no clash


def test_a_title_saved_while_classes_are_renamed_keeps_both(studio_home, monkeypatch):
    """A title changed in one tab while a class rename landed in another: one of them was lost (the record
    said "pos" while the rows said "positive", and training failed with KeyError)."""
    import threading

    import pandas as pd

    import core.storage as storage
    from core.names import name_dataset, rename_labels
    from core.registry import DatasetStore

    store = DatasetStore()
    frame = pd.DataFrame({"text": [f"text {i}" for i in range(20)], "label": ["pos", "neg"] * 10, "split": "train"})
    store.save(frame, "reviews", "test", {}, dataset_id="reviews")
    inside, real_save = threading.Event(), storage.atomic_save

    def slow_save(path, writer):  # the rename, half-way: its rows being written
        inside.set()
        threading.Event().wait(0.5)
        return real_save(path, writer)

    monkeypatch.setattr(storage, "atomic_save", slow_save)
    renaming = threading.Thread(target=rename_labels, args=("reviews", {"pos": "positive"}, store))
    renaming.start()
    assert inside.wait(10)
    name_dataset("reviews", name="hotel reviews", store=store)
    renaming.join(10)
    info = store.info("reviews")
    assert info.name == "hotel reviews" and sorted(info.labels) == ["neg", "positive"]
    assert sorted(store.load("reviews")["label"].unique()) == ["neg", "positive"]


def test_one_class_given_two_new_names_on_the_command_line_is_refused(small_dataset, capsys):
    """`--rename a=x --rename a=y` kept the last pair without a word."""
    from core.cli import main
    from core.registry import DatasetStore

    classes = DatasetStore().info(small_dataset).labels
    first = classes[0]
    code = main(
        ["data", "rename-classes", "--dataset", small_dataset, "--rename", f"{first}=x", "--rename", f"{first}=y"]
    )
    assert code == 2 and "given two new names" in capsys.readouterr().err
    assert DatasetStore().info(small_dataset).labels == classes
    assert (
        main(["data", "rename-classes", "--dataset", small_dataset, "--rename", f"{first}=x", "--rename", f"{first}=x"])
        == 0
    )
    assert "x" in DatasetStore().info(small_dataset).labels


def test_names_and_tags_lose_invisible_format_characters():
    """A right-to-left override showed "good‮model-exe.txt" reversed in every picker."""
    from core.names import clean_tags, clean_title

    assert clean_title("good\u202emodel-exe.txt") == "goodmodel-exe.txt"
    assert clean_tags(["a\u200bb", "\u2066c\u2069"]) == ["ab", "c"]
    assert clean_title("数据 · v2") == "数据 · v2"
    # what writes text is kept: an emoji family's joiners, a Persian word's non-joiner, a flag's tags
    for kept in (
        "family \U0001f468\u200d\U0001f469\u200d\U0001f467",
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
        "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    ):
        assert clean_title(kept) == kept


def test_a_title_and_tags_saved_at_once_from_two_tabs_both_stay(small_dataset):
    """A code review: name_run read, changed and wrote names.json with no lock, so a title saved in one tab
    while the tags were saved in another lost one of the two."""
    import json
    import threading

    from core.names import _names_lock, name_run, run_names
    from core.training.runner import start_run
    from tests.conftest import tiny_config

    run = start_run(tiny_config(small_dataset, "bow_mlp"))
    with _names_lock(run):  # the other tab is between its read and its write
        tags = threading.Thread(target=name_run, args=(run,), kwargs={"tags": ["b"]})
        tags.start()
        tags.join(0.5)
        assert tags.is_alive(), "the second save waits for the first"
        (run.path / "names.json").write_text(json.dumps({"title": "a", "tags": []}), encoding="utf-8")
    tags.join(10)
    assert run_names(run) == {"title": "a", "tags": ["b"]}
