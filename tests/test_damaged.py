"""Damaged files, changed datasets and odd arguments: a clear message, and nothing else lost.

Each case here was found by trying to break a fresh studio; each test fails on the code before its fix.
"""

import json

import pandas as pd
import pytest
import torch

from core.cli import main
from core.errors import ArtefactError, DataError, ModelFileError
from core.registry import DatasetStore, RunStore
from core.training.callbacks import Callback
from core.training.runner import execute_run, start_run, train_run
from tests.conftest import stopped_run, tiny_config


@pytest.fixture
def done_run(small_dataset):
    return train_run(tiny_config(small_dataset, "bow_mlp", epochs=2))


def _replace_dataset(dataset_id: str, frame: pd.DataFrame) -> None:
    store = DatasetStore()
    store.delete(dataset_id)
    frame = frame.copy()
    frame["split"] = ["train", "train", "val", "test"] * (len(frame) // 4)
    store.save(frame, dataset_id, "test", {}, dataset_id=dataset_id)


OTHER = pd.DataFrame({"text": [f"other text {i}" for i in range(40)], "label": ["a", "b"] * 20})


def test_runs_list_survives_a_resume_that_died_and_a_bad_status_value(done_run, capsys):
    status = json.loads(done_run.status_path.read_text())
    status.update(train_seconds=None, progress="x")  # a resume clears train_seconds; a hand edit breaks progress
    done_run.status_path.write_text(json.dumps(status))
    events = [json.loads(line) for line in done_run.metrics_path.read_text().splitlines()]
    for event in events:
        if event.get("event") == "fit_start":
            event["time"] -= 12  # a fit of seconds, so that a time of 0.0 cannot pass for it
    done_run.metrics_path.write_text("".join(json.dumps(event) + "\n" for event in events))
    began = next(e["time"] for e in events if e.get("event") == "fit_start")
    ended = [e["time"] for e in events if e.get("event") in ("step", "fit_end")][-1]
    assert main(["runs", "list"]) == 0
    row = next(line.split() for line in capsys.readouterr().out.splitlines() if line.startswith(done_run.id))
    assert row[-1] == f"{ended - began:.1f}"  # the time its metrics give, with the count cleared


def test_a_config_that_is_not_a_runs_is_named_in_words_not_the_codes(done_run):
    """config.json = {} said "RunConfig.__init__() missing 1 required positional argument: 'dataset'", and
    told the user to train the run again, which restart refused."""
    from core.inference import Predictor

    sound = done_run.config()
    done_run.config_path.write_text("{}")
    with pytest.raises(ModelFileError, match="config.json does not describe a run") as raised:
        Predictor.from_run(done_run.path)
    assert "__init__" not in str(raised.value)
    done_run.config_path.write_text(json.dumps({**sound, "train": [["a", 1]]}))
    with pytest.raises(ModelFileError) as raised:
        Predictor.from_run(done_run.path)
    assert "train the run again" not in str(raised.value) and "sequence element" not in str(raised.value)


def test_a_config_edited_into_no_run_is_refused_in_words_everywhere(small_dataset, capsys):
    """A misspelt setting ("epoch") in a hand-edited config.json showed a ValueError's traceback under
    Resume, and an unknown encoder "The evaluation failed: ValueError: unknown encoder 'bogus'"."""
    from core.errors import BrokenRunError
    from core.inference import Predictor
    from core.training.runner import check_run_data

    run = stopped_run(small_dataset)
    sound = run.config()
    without_dataset = {k: v for k, v in sound.items() if k != "dataset"}
    for edited, named in [
        ({**sound, "train": {**sound["train"], "epoch": 30}}, "'epoch'"),
        (without_dataset, "it lacks a field a run has"),  # not "RunConfig.__init__() missing 1 required …"
        ({**sound, "encoder": "bogus"}, "unknown encoder 'bogus'"),
    ]:
        run.config_path.write_text(json.dumps(edited))
        with pytest.raises(BrokenRunError, match="config.json does not describe a run the studio can build") as raised:
            check_run_data(run)  # what Resume asks first
        assert named in str(raised.value) and "Put it back as it was, or delete the run" in str(raised.value)
        assert "__init__" not in str(raised.value)
        with pytest.raises(ModelFileError, match="config.json does not describe a run the studio can build"):
            Predictor.from_run(run.path)
        capsys.readouterr()
        assert main(["resume", "--run", run.id, "--quiet"]) != 0
        err = capsys.readouterr().err
        assert "does not describe a run the studio can build" in err and "Traceback" not in err, err
    # export named an unknown encoder as one that "wraps downloaded weights"
    from core.bundle import export_problem

    template, values = export_problem(run)
    assert "names an encoder the studio does not have" in template and values == {"encoder": "bogus"}


def test_a_damaged_status_is_read_from_what_the_run_left(done_run, small_dataset, capsys):
    """A garbled status.json read "unknown, 0%" on the Train page with no word, `resume` said only stopped
    or interrupted runs resume, and `restart` sent the user back to `resume`."""
    seconds = done_run.eval()["fit_seconds"]
    done_run.status_path.write_text("{garbage")
    status = done_run.status()
    assert status["state"] == "done"  # weights and an evaluation: it finished
    assert status["progress"] == 1.0 and status["train_seconds"] == seconds > 0  # not "Done in 0.0 s" at 0%
    assert main(["predict", "--run", done_run.id, "--text", "the match ended"]) == 0
    stopped = stopped_run(small_dataset)
    stopped.status_path.write_text('"a string"')
    status = stopped.status()  # its metrics say the user stopped it: stopped, with its checkpoint
    assert status["state"] == "stopped" and status["has_checkpoint"], status
    # with no record of how it ended, a checkpoint still means it can resume
    lines = stopped.metrics_path.read_text().splitlines()
    stopped.metrics_path.write_text("".join(line + "\n" for line in lines if '"fit_end"' not in line))
    status = stopped.status()
    assert status["state"] == "interrupted" and "Resume continues from the last checkpoint" in status["error"]
    capsys.readouterr()
    assert main(["resume", "--run", stopped.id, "--quiet"]) == 0
    status = stopped.status()  # a fresh record, not the guess's words kept under the new state
    assert status["state"] == "done" and "error" not in status and not status.get("from_files"), status
    bare = RunStore().create({"encoder": "bow_mlp", "dataset": small_dataset}, run_id="bare")
    bare.status_path.write_text("")
    assert bare.status()["state"] == "failed" and "start it again" in bare.status()["error"]


@pytest.mark.parametrize("report", [{"accuracy": None}, {"accuracy": 0.5}, {"accuracy": "high", "macro_f1": 1}])
def test_an_evaluation_with_bad_fields_is_a_broken_run_not_a_crash(done_run, capsys, report):
    full = json.loads((done_run.path / "eval.json").read_text())
    if len(report) == 1 and report.get("accuracy") == 0.5:
        full = report  # the fields every page reads are missing
    else:
        full.update(report)
    (done_run.path / "eval.json").write_text(json.dumps(full))
    assert main(["runs", "list"]) == 0
    out = capsys.readouterr().out
    assert "broken: Run" in out and "eval.json" in out and done_run.id in out
    assert main(["evaluate", "--run", done_run.id]) == 1
    assert "evaluate the run again" in capsys.readouterr().err


@pytest.mark.parametrize(
    "damage",
    [
        {"per_class": None},  # a report without it: Compare's F1 bars and `evaluate` were a KeyError halfway
        {"per_class": [{"label": "a"}]},
        {"confusion": [[1, 2]]},
        {"latency_ms": 3.2},  # not the dict of median and p95: a traceback on the leaderboard
    ],
)
def test_an_evaluation_missing_what_the_pages_draw_is_a_broken_run_not_a_crash(done_run, capsys, damage):
    full = json.loads((done_run.path / "eval.json").read_text())
    for key, value in damage.items():
        if value is None:
            full.pop(key)
        else:
            full[key] = value
    (done_run.path / "eval.json").write_text(json.dumps(full))
    assert main(["evaluate", "--run", done_run.id]) == 1
    err = capsys.readouterr().err
    assert "evaluate the run again" in err and "KeyError" not in err


def test_per_text_results_without_predictions_are_a_message_not_a_crash(done_run):
    """points.parquet without its pred column passed the check, and the head-to-head raised a KeyError."""
    points = pd.read_parquet(done_run.path / "points.parquet")
    points.drop(columns=["pred"]).to_parquet(done_run.path / "points.parquet")
    assert "pred" in (done_run.artefact_problem() or "")
    with pytest.raises(ArtefactError, match="Evaluate the run again"):
        done_run.require_artefacts()


def test_restart_keeps_a_finished_model_unless_told(done_run, capsys):
    weights = done_run.model_path.read_bytes()
    assert main(["restart", "--run", done_run.id, "--quiet"]) == 2  # its confirmation missing: a usage error
    err = capsys.readouterr().err
    assert "is done" in err and "--yes" in err
    assert done_run.model_path.read_bytes() == weights and done_run.eval() is not None
    assert main(["restart", "--run", done_run.id, "--quiet", "--yes"]) == 0
    assert done_run.status()["state"] == "done"


class StopAt(Callback):
    def __init__(self, step):
        self.step = step

    def on_step_end(self, trainer, metrics):
        if trainer.step == self.step:
            trainer.request_stop("user")


def test_restart_keeps_a_checkpoint_unless_told(small_dataset, capsys):
    run = start_run(tiny_config(small_dataset, "bow_mlp", epochs=5))
    assert execute_run(run, callbacks=[StopAt(3)]) == "stopped"
    assert main(["restart", "--run", run.id, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "has a checkpoint" in err and f"resume --run {run.id}" in err
    assert (run.checkpoint_dir / "state.pt").is_file()


def test_restart_without_its_dataset_loses_nothing(done_run, small_dataset, capsys):
    before = (done_run.path / "eval.json").read_text()
    DatasetStore().delete(small_dataset)
    assert main(["restart", "--run", done_run.id, "--quiet", "--yes"]) == 1
    assert "No dataset" in capsys.readouterr().err
    assert done_run.model_path.is_file() and (done_run.path / "eval.json").read_text() == before


def test_evaluating_against_a_replaced_dataset_is_refused_and_keeps_the_record(done_run, small_dataset, capsys):
    before = (done_run.path / "eval.json").read_text()
    _replace_dataset(small_dataset, OTHER)
    assert main(["evaluate", "--again", "--run", done_run.id]) == 1
    assert "has changed since run" in capsys.readouterr().err
    assert (done_run.path / "eval.json").read_text() == before


def test_same_rows_with_renamed_classes_still_evaluate(done_run, small_dataset):
    from core.names import rename_labels
    from core.training.runner import evaluate_saved_run

    first, accuracy = done_run.eval()["labels"][0], done_run.eval()["accuracy"]
    rename_labels(small_dataset, {first: "renamed"})
    report = evaluate_saved_run(done_run)  # the rows are the same: no refusal
    assert "renamed" in done_run.eval()["labels"] and report["accuracy"] == pytest.approx(accuracy)


def test_two_imports_under_one_id_at_once_do_not_both_succeed(studio_home, monkeypatch):
    import core.registry

    frame = pd.DataFrame({"text": ["a b", "c d"], "label": ["x", "y"], "split": ["train", "test"]})
    store = DatasetStore()
    real_now, raced = core.registry._now, []

    def racing_now():  # another import of the same id lands between the check and the write
        if not raced:
            raced.append(True)
            store.save(frame.assign(text=["e f", "g h"]), "first", "test", {}, dataset_id="same")
        return real_now()

    monkeypatch.setattr(core.registry, "_now", racing_now)
    with pytest.raises(DataError, match="exists already"):
        store.save(frame, "second", "test", {}, dataset_id="same")
    assert store.load("same")["text"].tolist() == ["e f", "g h"]  # the first import is whole


def test_a_user_dataset_cannot_take_a_builtin_id(studio_home, tmp_path, capsys):
    path = tmp_path / "mine.csv"
    path.write_text("text,label\n" + "".join(f"text number {i},{'ab'[i % 2]}\n" for i in range(20)))
    assert main(["data", "import", str(path), "--id", "starter"]) == 1
    assert "built-in dataset" in capsys.readouterr().err
    assert main(["data", "import", str(path), "--name", "bbc"]) == 0
    assert "--dataset bbc works too" not in capsys.readouterr().out  # bbc means the built-in


def test_a_damaged_checkpoint_is_set_aside_and_the_run_can_start_again(small_dataset, capsys):
    run = start_run(tiny_config(small_dataset, "bow_mlp", epochs=5))
    assert execute_run(run, callbacks=[StopAt(3)]) == "stopped"
    (run.checkpoint_dir / "model.safetensors").write_bytes(b"")
    assert main(["resume", "--run", run.id, "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "checkpoint of run" in err and "damaged" in err and "restart" in err and "Traceback" not in err
    assert (run.path / "checkpoint-damaged" / "state.pt").is_file() and not run.checkpoint_dir.exists()
    assert main(["restart", "--run", run.id, "--quiet"]) == 0
    assert run.status()["state"] == "done" and not (run.path / "checkpoint-damaged").exists()


@pytest.mark.parametrize("code", ["EIO", "EACCES"])
def test_a_read_error_on_a_sound_checkpoint_keeps_it_for_the_next_resume(small_dataset, capsys, monkeypatch, code):
    """A passing read error on state.pt was taken for damage: the sound checkpoint went to
    checkpoint-damaged/ and the run could only start again from scratch."""
    import errno

    run = start_run(tiny_config(small_dataset, "bow_mlp", epochs=3))
    assert execute_run(run, callbacks=[StopAt(3)]) == "stopped"
    real = torch.load

    def unreadable(path, *args, **kwargs):
        if str(path).endswith("state.pt"):
            raise OSError(getattr(errno, code), "the disk said no", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(torch, "load", unreadable)
    assert main(["resume", "--run", run.id, "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "the disk said no" in err and "damaged" not in err, err
    assert (run.checkpoint_dir / "state.pt").is_file() and not (run.path / "checkpoint-damaged").exists()
    monkeypatch.setattr(torch, "load", real)  # the disk is back: the run goes on from where it stopped
    assert main(["resume", "--run", run.id, "--quiet"]) == 0
    assert run.status()["state"] == "done"


def test_a_state_file_cut_short_is_still_set_aside_as_damaged(small_dataset, capsys):
    """torch reads a state.pt that lost its last bytes as OSError(EINVAL): a damaged file, not the disk."""
    run = start_run(tiny_config(small_dataset, "bow_mlp", epochs=3))
    assert execute_run(run, callbacks=[StopAt(3)]) == "stopped"
    state = run.checkpoint_dir / "state.pt"
    state.write_bytes(state.read_bytes()[:-10])
    assert main(["resume", "--run", run.id, "--quiet"]) == 1
    assert "damaged" in capsys.readouterr().err
    assert (run.path / "checkpoint-damaged" / "state.pt").is_file() and not run.checkpoint_dir.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["similar", "--id", "99999", "--diverse", "0.5"], "No text #99999"),
        (["similar", "--id", "0"], "at least 1"),  # counted from 1, as the Search page numbers the texts
        (["search", "--query", "x", "-k", "-3"], "at least 1"),
        (["search", "--query", "x", "--diverse", "nan"], "from 0 to 1"),
    ],
)
def test_search_arguments_out_of_range_are_refused(done_run, small_dataset, capsys, args, message):
    try:
        code = main([*args, "--run", done_run.id, "--collection", small_dataset])
    except SystemExit as exc:  # argparse's refusal
        code = exc.code
    assert code in (1, 2)
    assert message in capsys.readouterr().err


def test_a_learning_rate_that_is_not_a_number_is_refused(small_dataset, capsys):
    assert main(["train", "--dataset", small_dataset, "--lr", "nan", "--quiet"]) == 1
    assert "lr must be a positive number" in capsys.readouterr().err
    assert RunStore().list() == []


@pytest.mark.parametrize(
    "setting, message",
    [
        ("grad_clip=-1", "grad_clip = -1 is outside 0–1,000,000 (0 turns clipping off)"),
        ("warmup_ratio=5", "warmup_ratio = 5 is outside 0–1 (a share of the steps)"),
        ("warmup_ratio=nan", "warmup_ratio must be a number"),
        ("weight_decay=-0.1", "weight_decay = -0.1 is outside 0–10"),
    ],
)
def test_training_settings_that_would_train_wrong_are_refused_before_a_run_exists(
    small_dataset, capsys, setting, message
):
    """A negative clip climbed the loss (every gradient times -1) and the run still ended "done"."""
    assert main(["train", "--dataset", small_dataset, "--train-set", setting, "--quiet"]) == 1
    assert message in capsys.readouterr().err
    assert RunStore().list() == []


class Diverge(Callback):
    """Blow the weights up to NaN at one step, as a far too large learning rate does."""

    def on_step_end(self, trainer, metrics):
        if trainer.step == 2:
            with torch.no_grad():
                for parameter in trainer.model.parameters():
                    parameter.fill_(float("nan"))


def test_a_diverged_run_fails_with_advice_instead_of_ending_done(small_dataset):
    run = start_run(tiny_config(small_dataset, "bow_mlp", epochs=30))
    assert execute_run(run, callbacks=[Diverge()]) == "failed"
    error = run.status()["error"]
    assert "Training diverged" in error and "with a lower learning rate" in error
    assert not run.model_path.exists()


class PoisonNearTheEnd(Callback):
    """Turn the head's weights to NaN three steps before the end, as a late overflow does."""

    def on_step_end(self, trainer, metrics):
        if trainer.step == trainer.total_steps - 3:
            with torch.no_grad():
                next(trainer.model.head.parameters()).fill_(float("nan"))


@pytest.mark.parametrize("split", ["one epoch", "no validation"])
def test_weights_gone_nan_at_the_end_fail_the_run_instead_of_saving_a_nan_model(small_dataset, split):
    """Fewer NaN steps than the divergence check counts, and no earlier validation to keep a good copy:
    the run ended "done" with 38,932 NaN weights, scored at chance."""
    dataset = small_dataset
    if split == "no validation":
        from core.data import SplitConfig, stratified_split

        frame = DatasetStore().load(small_dataset)
        frame["split"] = stratified_split(frame["label"], SplitConfig(0.0, 0.25, seed=1))
        dataset = DatasetStore().save(frame, "no validation", "test", {"seed": 1}, dataset_id="noval").id
    run = start_run(tiny_config(dataset, "bow_mlp", epochs=1 if split == "one epoch" else 3))
    assert execute_run(run, callbacks=[PoisonNearTheEnd()]) == "failed"
    assert "stopped being numbers" in run.status()["error"]
    assert not run.model_path.exists()


def test_config_values_of_the_wrong_type_are_messages(done_run, small_dataset, capsys):
    from core.inference import Predictor

    assert main(["train", "--dataset", small_dataset, "--set", "dropout=abc", "--quiet"]) == 1
    assert "BowMLPConfig.dropout must be a number; got 'abc'" in capsys.readouterr().err
    config = json.loads(done_run.config_path.read_text())
    config["encoder_config"]["hidden"] = "abc"
    done_run.config_path.write_text(json.dumps(config))
    with pytest.raises(ModelFileError, match=done_run.id):
        Predictor.from_run(done_run.path)


def test_an_export_with_a_damaged_featuriser_is_refused(done_run, capsys):
    (done_run.path / "featurizer.json").write_text("{not json")
    assert main(["runs", "export", done_run.id, "--out", str(done_run.path.parent.parent / "x.zip")]) == 1
    err = capsys.readouterr().err
    assert done_run.id in err and "Traceback" not in err
    assert not (done_run.path.parent.parent / "x.zip").exists()


def test_a_damaged_dataset_is_listed_and_can_be_deleted(done_run, small_dataset, capsys):
    meta = DatasetStore().path(small_dataset) / "meta.json"
    meta.write_text("{broken")
    assert main(["data", "list"]) == 0
    out = capsys.readouterr().out
    assert "broken" in out and "data delete --dataset small --yes" in out
    with pytest.raises(DataError, match="meta.json is damaged"):
        DatasetStore().info(small_dataset)
    assert main(["data", "delete", "--dataset", small_dataset]) == 2  # asks for --yes first
    assert "no longer show them" in capsys.readouterr().err
    assert meta.exists()
    assert main(["data", "delete", "--dataset", small_dataset, "--yes"]) == 0
    assert not DatasetStore().path(small_dataset).exists() and done_run.model_path.is_file()
    # the runs it kept are out of the pages' reach: said as the page's question says it
    assert "Its 1 run(s) are kept; the app's pages no longer show them" in capsys.readouterr().out


def test_a_run_folder_without_config_can_be_deleted_by_its_id(studio_home, capsys):
    leftover = studio_home / "runs" / "noconf"
    leftover.mkdir(parents=True)
    (leftover / "log.txt").write_text("x")
    assert main(["runs", "delete", "noconf", "--yes"]) == 0
    assert not leftover.exists()


def test_stray_lines_in_the_metrics_file_are_skipped(done_run):
    before = len(done_run.metrics())
    with open(done_run.metrics_path, "a") as handle:
        handle.write("5\n[1, 2]\n")
    done_run.append_metrics({"event": "note"})
    events = done_run.metrics()
    assert len(events) == before + 1 and all(isinstance(e, dict) for e in events)


def test_a_class_rename_relabels_search_indexes_without_building_them_again(done_run, small_dataset, capsys):
    from core.names import rename_labels
    from core.search import SearchIndex, collection_source

    args = ["search", "--run", done_run.id, "--collection", small_dataset, "--query", "足球 比赛", "-k", "200"]
    assert main(args) == 0
    first = json.loads(capsys.readouterr().out)
    old = first["results"][0]["label"]
    vectors = SearchIndex.folder_for(done_run.path, small_dataset) / "vectors.npy"
    built = vectors.stat().st_mtime_ns
    rename_labels(small_dataset, {old: "RENAMED"})
    assert SearchIndex.is_current(done_run.path, small_dataset, collection_source(small_dataset))
    assert main([*args, "--label", "RENAMED"]) == 0
    results = json.loads(capsys.readouterr().out)["results"]
    assert results and {r["label"] for r in results} == {"RENAMED"}
    assert len(results) == (DatasetStore().load(small_dataset)["label"] == "RENAMED").sum()
    assert vectors.stat().st_mtime_ns == built  # relabelled, not embedded again


def test_a_rename_cut_off_inside_a_search_index_relabels_it_once(done_run, small_dataset, monkeypatch):
    import core.names
    import core.storage
    from core.names import finish_rename, rename_labels
    from core.search import SearchIndex, collection_source, load_collection

    SearchIndex.build(done_run.path, load_collection(small_dataset))
    folder = SearchIndex.folder_for(done_run.path, small_dataset)
    before = pd.read_parquet(folder / "items.parquet")["label"].tolist()
    labels = DatasetStore().info(small_dataset).labels
    swap = {labels[0]: labels[1], labels[1]: labels[0]}
    real = core.storage.atomic_write_json

    def killed(path, obj):
        if path.name == "manifest.json":
            raise KeyboardInterrupt  # the index's texts are relabelled, its manifest not yet
        real(path, obj)

    monkeypatch.setattr(core.storage, "atomic_write_json", killed)
    with pytest.raises(KeyboardInterrupt):
        rename_labels(small_dataset, swap)
    monkeypatch.setattr(core.storage, "atomic_write_json", real)
    assert not SearchIndex.is_current(done_run.path, small_dataset, collection_source(small_dataset))
    assert finish_rename(small_dataset)
    assert SearchIndex.is_current(done_run.path, small_dataset, collection_source(small_dataset))
    after = pd.read_parquet(folder / "items.parquet")["label"].tolist()
    assert after == [swap.get(v, v) for v in before]  # swapped once, not twice
    assert after == DatasetStore().load(small_dataset)["label"].tolist()


def test_plain_text_files_read_as_unlabelled_on_the_command_line(studio_home, tmp_path, capsys):
    path = tmp_path / "lines.txt"
    path.write_text("".join(f"line number {i} of the file\n" for i in range(12)))
    assert main(["data", "inspect", str(path)]) == 0
    assert "read as texts for pretraining" in capsys.readouterr().out


def test_a_csv_with_a_repeated_column_name_says_so(studio_home, tmp_path):
    from core.data import load_file

    path = tmp_path / "dup.csv"
    path.write_text("text,text,label\nhello world,again,a\nbye world,again2,b\n")
    table = load_file(path)
    assert any(note.code == "duplicate_columns" for note in table.notes)
    with pytest.raises(DataError, match="both the text and the label column"):
        load_file(path, text_column="label", label_column="label")


def test_fit_end_records_why_a_run_ended_early(small_dataset):
    from core.training.callbacks import stop_reason

    run = train_run(tiny_config(small_dataset, "bow_mlp", epochs=5, time_budget_s=0.01, patience=0))
    assert stop_reason(run.metrics()) == "time budget"


def test_a_file_of_mixed_encodings_names_the_first_line_that_is_not_utf8(tmp_path):
    from core.data import load_file

    path = tmp_path / "mixed.csv"
    lines = (
        "text,label\n这家店很好吃,pos\n".encode() + "很差劲的服务,neg\n".encode("gbk") + "caf\xe9,x\n".encode("latin-1")
    )
    path.write_bytes(lines)
    with pytest.raises(DataError, match="Line 3 is the first that is not UTF-8"):
        load_file(path)
    with pytest.raises(DataError, match="line 3 has a byte it cannot hold"):
        load_file(path, encoding="utf-8")


def test_a_chosen_encoding_that_garbles_chinese_says_which_one_reads_it(tmp_path):
    from core.data import load_file

    path = tmp_path / "gbk.csv"
    path.write_bytes("评论,情感\n这家店很好吃,正面\n很差劲的服务,负面\n非常满意的一次,正面\n".encode("gbk"))
    notes = [note for note in load_file(path, encoding="latin-1").notes if note.code == "garbled"]
    assert notes and "gb18030" in notes[0].message and "评论" in notes[0].message
    assert not [note for note in load_file(path).notes if note.code == "garbled"]


def test_a_western_encoding_chosen_for_a_utf8_file_says_utf8_reads_it(tmp_path):
    """UTF-8 read as cp1252 stored "cafÃ©" with "No problems found"; with a byte-order mark, the first
    column was named "ï»¿text" and nothing said why."""
    from core.data import load_file

    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbftext,label\n" + b"".join(f"plain words {i},ab\n".encode() for i in range(4)))
    (note,) = [note for note in load_file(path, encoding="cp1252").notes if note.code == "garbled"]
    assert "UTF-8" in note.message and "choose utf-8" in note.message
    path.write_bytes("text,label\nnaïve façade,a\ncafé crème,b\n".encode())
    (note,) = [note for note in load_file(path, encoding="latin-1").notes if note.code == "garbled"]
    assert "'naÃ¯ve faÃ§ade,a'" in note.message and "'naïve façade,a'" in note.message
    assert not [note for note in load_file(path).notes if note.code == "garbled"]
    # any spelling of the encoding; a few CJK characters among the accents; latin-1's 0x85 ("ą") is no line break
    path.write_bytes("text,label\nwąż żółw 日本,a\nnaïve façade,b\n".encode())
    for spelling in ("latin1", "ISO-8859-1", "windows-1252"):
        notes = [note for note in load_file(path, encoding=spelling).notes if note.code == "garbled"]
        assert len(notes) == 1 and "'wąż żółw 日本,a'" in notes[0].message, (spelling, notes)
        assert "Å¼" in notes[0].message  # the garbled line whole, not cut at "ą"'s 0x85
    path.write_bytes("text,label\nnaïve façade,a\ncafé crème,b\n".encode("cp1252"))  # cp1252 indeed: no note
    assert not [note for note in load_file(path, encoding="cp1252").notes if note.code == "garbled"]


def test_fine_tuning_from_a_run_with_damaged_weights_creates_no_run(done_run, small_dataset, capsys):
    done_run.model_path.write_bytes(b"\x00" * 16)
    before = {run.id for run in RunStore().list()}
    assert main(["finetune", "--from", done_run.id, "--dataset", small_dataset, "--quiet"]) == 1
    assert "cannot be fine-tuned from" in capsys.readouterr().err
    assert {run.id for run in RunStore().list()} == before


def test_fine_tuning_from_weights_damaged_under_a_sound_header_creates_no_run(done_run, small_dataset, capsys):
    """Bytes overwritten after the header loaded as NaN: the fine-tune ran, then "diverged" and asked for
    a lower learning rate."""
    import struct

    from core.training.runner import load_encoder_weights

    data = bytearray(done_run.model_path.read_bytes())
    start = 8 + struct.unpack("<Q", bytes(data[:8]))[0]
    data[start:] = b"\xff" * (len(data) - start)  # every float NaN, the header as it was
    done_run.model_path.write_bytes(bytes(data))
    before = {run.id for run in RunStore().list()}
    assert main(["finetune", "--from", done_run.id, "--dataset", small_dataset, "--quiet"]) == 1
    err = capsys.readouterr().err
    assert f"The weights of run {done_run.id} hold values that are not numbers" in err, err
    assert f"the file is damaged. Train run {done_run.id} again, or pick another run" in err
    assert {run.id for run in RunStore().list()} == before
    # damaged after the fine-tune was created: its start says the same, not "diverged"
    with pytest.raises(ModelFileError, match=f"The weights of run {done_run.id} hold values that are not numbers"):
        load_encoder_weights(torch.nn.Linear(1, 1), done_run.model_path)


@pytest.mark.parametrize("damage", ["missing", "foreign"])
def test_fine_tuning_from_a_run_with_a_damaged_vocabulary_creates_no_run(done_run, small_dataset, capsys, damage):
    """A missing featurizer.json, or valid JSON of another kind, passed the check and left a failed run."""
    vocabulary = done_run.path / "featurizer.json"
    if damage == "missing":
        vocabulary.unlink()
    else:
        vocabulary.write_text('{"not": "a featuriser"}')
    before = {run.id for run in RunStore().list()}
    assert main(["finetune", "--from", done_run.id, "--dataset", small_dataset, "--quiet"]) == 1
    assert "cannot be fine-tuned from" in capsys.readouterr().err
    assert {run.id for run in RunStore().list()} == before


def test_an_output_path_that_is_a_folder_is_refused(done_run, tmp_path, capsys):
    assert main(["predict", "--run", done_run.id, "--text", "hello", "--out", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_a_refused_restart_leaves_the_config_as_it_was(done_run, capsys):
    before = done_run.config_path.read_text()
    assert main(["restart", "--run", done_run.id, "--processes", "2", "--quiet"]) == 2
    assert "is done" in capsys.readouterr().err
    assert done_run.config_path.read_text() == before


def test_two_processes_importing_one_builtin_at_once_both_get_it(studio_home, monkeypatch):
    import core.registry

    store = DatasetStore()
    real_now, raced = core.registry._now, []

    def racing_now():
        if not raced:
            raced.append(True)
            store.ensure_builtin("starter")  # the other process, finishing first
        return real_now()

    monkeypatch.setattr(core.registry, "_now", racing_now)
    info = store.ensure_builtin("starter")
    assert raced and info.id == "starter" and info.rows > 5000


def test_zero_and_one_still_mean_false_and_true_for_switches():
    from core.config import from_dict
    from core.training.trainer import TrainConfig

    assert from_dict(TrainConfig, {"class_weights": 1}).class_weights is True
    with pytest.raises(ValueError, match="true or false"):
        from_dict(TrainConfig, {"class_weights": "yes"})


def test_a_group_of_settings_given_as_anything_else_is_refused():
    """ "train": "fast" in a hand-edited config.json built a RunConfig whose train was a string."""
    from core.config import from_dict
    from core.training.runner import RunConfig
    from core.training.trainer import TrainConfig

    with pytest.raises(ValueError, match="RunConfig.train must be a group of settings .*; got 'fast'"):
        from_dict(RunConfig, {"dataset": "d", "train": "fast"})
    with pytest.raises(ValueError, match="RunConfig.finetune must be a group of settings"):
        from_dict(RunConfig, {"dataset": "d", "finetune": 5})
    assert from_dict(RunConfig, {"dataset": "d", "train": TrainConfig(epochs=3)}).train.epochs == 3


def test_the_broken_run_check_knows_every_field_of_a_run_config():
    """The registry cannot import RunConfig (it would pull in torch): its table of shapes must keep up."""
    import dataclasses
    import typing

    from core.registry import _CONFIG_SHAPES
    from core.training.runner import RunConfig

    hints = typing.get_type_hints(RunConfig)
    assert set(_CONFIG_SHAPES) == {f.name for f in dataclasses.fields(RunConfig)}
    for name, (kind, _) in _CONFIG_SHAPES.items():
        hint = hints[name]
        expected = dict if dataclasses.is_dataclass(hint) else typing.get_origin(hint) or hint
        assert kind is expected, (name, kind, hint)


@pytest.mark.parametrize("field, value", [("train", "fast"), ("source_run", 5), ("finetune", [1])])
def test_a_config_edited_to_a_field_of_the_wrong_shape_is_a_broken_run(
    small_dataset, capsys, monkeypatch, field, value
):
    """Listed as sound, such a run broke the Train page of every run on its dataset, and resume, restart
    and evaluate --again failed on an AttributeError and left it "interrupted"."""
    from ui import i18n

    run = stopped_run(small_dataset, epochs=5)  # weights, no evaluation yet
    config = json.loads(run.config_path.read_text())
    config[field] = value
    run.config_path.write_text(json.dumps(config))
    assert run.id not in {r.id for r in RunStore().list()}
    [(broken, reason)] = RunStore().broken()
    assert broken.id == run.id and reason.startswith(f"Run {run.id}: config.json holds {field} = {json.dumps(value)}")
    assert main(["runs", "list"]) == 0
    assert f"broken: Run {run.id}: config.json holds {field}" in capsys.readouterr().out
    for command in (
        ["resume", "--run", run.id],
        ["restart", "--run", run.id, "--yes"],
        ["evaluate", "--run", run.id, "--again"],
    ):
        assert main([*command, "--quiet"] if command[0] != "evaluate" else command) == 1
        err = capsys.readouterr().err
        assert "config.json holds" in err and "AttributeError" not in err, (command, err)
        assert run.status()["state"] == "stopped", command
    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    i18n.MISSING.clear()
    assert i18n.tm(reason).startswith(f"运行 {run.id}：config.json 中 {field} 的值是") and not i18n.MISSING


def test_the_worker_entry_point_never_retrains_a_finished_run(done_run, capsys):
    weights = done_run.model_path.read_bytes()
    assert main(["worker", done_run.id, "--job", "train"]) == 1
    assert "has trained already" in capsys.readouterr().err
    assert done_run.model_path.read_bytes() == weights and done_run.status()["state"] == "done"


def test_a_side_job_that_was_never_submitted_is_a_message(done_run, capsys):
    assert main(["worker", done_run.id, "--job", "predict", "--name", "ok"]) == 1
    assert "no predict job named 'ok'" in capsys.readouterr().err
    assert main(["worker", done_run.id, "--job", "predict"]) == 1
    assert "needs --name" in capsys.readouterr().err


def test_a_run_stopped_before_its_first_checkpoint_is_told_to_start_again(done_run, capsys):
    import shutil

    from core.cli import _report_run

    shutil.rmtree(done_run.checkpoint_dir, ignore_errors=True)
    done_run.set_status("stopped")
    _report_run(done_run, "stopped")  # a queued run taken out of the queue has no checkpoint to resume
    out = capsys.readouterr().out
    assert f"restart --run {done_run.id}" in out and "resume" not in out


def test_bad_settings_in_the_environment_are_named_before_any_run_is_made(small_dataset, capsys, monkeypatch):
    monkeypatch.setenv("ENCODER_STUDIO_TRAIN_SLOTS", "abc")
    assert main(["train", "--dataset", small_dataset, "--encoder", "baseline"]) == 1
    assert "ENCODER_STUDIO_TRAIN_SLOTS='abc' is not a whole number" in capsys.readouterr().err
    assert RunStore().list() == []


def test_a_studio_home_that_is_a_file_says_so(tmp_path, capsys, monkeypatch):
    home = tmp_path / "home"
    home.write_text("not a folder")
    monkeypatch.setenv("ENCODER_STUDIO_HOME", str(home))
    assert main(["runs", "list"]) == 1
    assert "is a file, not a folder" in capsys.readouterr().err


def test_an_export_over_the_studio_files_is_refused(done_run, capsys):
    weights = done_run.model_path.read_bytes()
    assert main(["runs", "export", done_run.id, "--out", str(done_run.model_path)]) == 1
    assert "inside the studio's own files" in capsys.readouterr().err
    assert done_run.model_path.read_bytes() == weights


def test_a_full_disk_inside_a_library_reads_as_a_full_disk(done_run, capsys, monkeypatch):
    def full(*args, **kwargs):
        raise RuntimeError("Error while serializing: I/O error: No space left on device (os error 28)")

    with monkeypatch.context() as patched:
        patched.setattr(RunStore, "list", full)
        assert main(["runs", "list"]) == 1
    assert "the disk is full" in capsys.readouterr().err


def test_a_training_setting_given_as_an_encoder_field_says_where_it_goes(small_dataset, capsys):
    assert main(["train", "--dataset", small_dataset, "--encoder", "bow_mlp", "--set", "epochs=1"]) == 1
    assert "--train-set epochs=" in capsys.readouterr().err


def test_a_class_name_with_a_newline_becomes_one_line(studio_home, tmp_path):
    from core.data import load_file, to_examples

    path = tmp_path / "labels.csv"
    path.write_text('text,label\n"first text","two\nlines"\n"second text","two  lines"\n"third text",other\n')
    labels = to_examples(load_file(path))["label"].tolist()
    assert labels == ["two lines", "two lines", "other"]


def test_a_refused_resume_leaves_the_config_and_a_sparse_model_is_not_restarted_in_processes(done_run, capsys):
    """A refused `resume --processes 2` wrote processes=2 all the same; the restart after it threw the
    finished model away, then failed on "needs dense gradients"."""
    before = done_run.config()
    model = (done_run.path / "model.safetensors").read_bytes()
    assert main(["resume", "--run", done_run.id, "--processes", "2"]) == 1
    assert "only stopped or interrupted runs resume" in capsys.readouterr().err
    assert done_run.config() == before
    assert main(["restart", "--run", done_run.id, "--processes", "2", "--yes"]) == 1
    assert "sparse gradients" in capsys.readouterr().err
    assert done_run.config() == before and done_run.status()["state"] == "done"
    assert (done_run.path / "model.safetensors").read_bytes() == model


def test_a_resume_that_cannot_load_its_checkpoint_keeps_the_checkpoints_evaluation(small_dataset):
    """The evaluation of a stopped run's checkpoint was deleted before the checkpoint was found damaged."""
    from core.training.runner import evaluate_saved_run, resume_run

    run = start_run(tiny_config(small_dataset, "bow_mlp", epochs=5))
    assert execute_run(run, callbacks=[StopAt(12)]) == "stopped"
    evaluate_saved_run(run)
    kept = {name: (run.path / name).read_bytes() for name in ("eval.json", "points.parquet", "embeddings.npy")}
    (run.checkpoint_dir / "state.pt").write_bytes(b"not a checkpoint")
    assert resume_run(run.id) == "failed"
    assert {name: (run.path / name).read_bytes() for name in kept} == kept
    # a resume that trains on clears them as its first step is taken: they describe the weights that change
    seen = []

    class Look(Callback):
        def on_step_end(self, trainer, metrics):
            seen.append((run.path / "eval.json").exists())

    other = start_run(tiny_config(small_dataset, "bow_mlp", epochs=2))
    assert execute_run(other, callbacks=[StopAt(4)]) == "stopped"
    evaluate_saved_run(other)
    run = other
    assert resume_run(other.id, callbacks=[Look()]) == "done"
    assert seen and seen[0] is False and (other.path / "eval.json").is_file()


def test_a_restart_forgets_the_old_starts_time_and_steps(done_run):
    """After a restart, a crash and a resume, the old start's 6.9 s counted as the new start's time."""
    from core.training.runner import prepare_resume, reset_run

    assert done_run.raw_status()["train_seconds"] > 0
    reset_run(done_run)
    status = done_run.raw_status()
    assert status.get("train_seconds") is None and status.get("step") is None and status["progress"] == 0.0
    done_run.set_status("interrupted", checkpoint_seconds=0.25)  # as a crash after a checkpoint leaves it
    (done_run.checkpoint_dir).mkdir(exist_ok=True)
    (done_run.checkpoint_dir / "state.pt").write_bytes(b"a checkpoint")  # only its presence is looked at
    prepare_resume(done_run)
    assert done_run.raw_status()["train_seconds_before"] == 0.25


def test_a_separator_forced_on_a_file_that_reads_right_without_it_is_named_as_the_cause(tmp_path, monkeypatch):
    """A semicolon file read with --separator comma was blamed on "a text contains a comma and is not in
    quotes"; the file was fine, and detection alone read it."""
    from core.data import load_file
    from core.errors import DataError

    rows = [f"Das Essen war gut, sehr gut {i};pos" for i in range(6)] + ["Zu teuer, zu laut;neg"] * 2
    path = tmp_path / "umfrage.csv"
    path.write_text("text;label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert load_file(path).frame["label"].tolist()[:2] == ["pos", "pos"]
    with pytest.raises(DataError) as info:
        load_file(path, separator=",")
    said = str(info.value)
    assert said.startswith("Split at the comma chosen by hand, 8 row(s) of the CSV file have more fields than")
    assert "Detected, the file reads as semicolon-separated" in said and "quotes" not in said
    from ui import i18n

    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    i18n.MISSING.clear()
    zh = i18n.tm(said)
    assert not i18n.MISSING and "逗号" in zh and "分号分隔" in zh, zh


def test_a_config_nested_too_deeply_or_with_labels_not_text_is_a_broken_run_not_a_crash(done_run, monkeypatch):
    """A security review: 200,000 brackets in one config.json raised RecursionError on every page of every
    user; labels of [1, null, {}] failed predict with a bare TypeError."""
    import json

    from core.errors import BrokenRunError
    from core.registry import RunStore

    good = done_run.config_path.read_text(encoding="utf-8")
    done_run.config_path.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    with pytest.raises(BrokenRunError, match="nested too deeply"):
        done_run.config()
    [(broken, said)] = RunStore().broken()
    assert broken.id == done_run.id
    from ui import i18n

    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    i18n.MISSING.clear()
    zh = i18n.tm(said)  # the reason, cause and all, in the reader's language
    assert not i18n.MISSING and "嵌套层数过多" in zh and "nested" not in zh, zh
    done_run.config_path.write_text(json.dumps({**json.loads(good), "labels": [1, None, {}]}), encoding="utf-8")
    with pytest.raises(BrokenRunError, match="labels = .*a list of class names"):
        done_run.config()


def test_an_owner_record_of_the_wrong_shape_leaves_the_run_interrupted_not_a_crash(done_run, capsys):
    """A review: owner.json of "[]" beside a run left "running" by a dead process raised AttributeError in
    status(), on Home and in `runs list`, as names.json had."""
    done_run.set_status("running")
    done_run.owner_path.write_text("[]", encoding="utf-8")
    assert done_run.status()["state"] == "interrupted"
    assert main(["runs", "list"]) == 0
    assert done_run.id in capsys.readouterr().out
