import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from core.errors import DataError, InvalidNameError, StudioError, UnknownDatasetError, UnknownRunError
from core.registry import DatasetStore, RunStore


def sample_frame():
    return pd.DataFrame(
        {"text": ["a", "b", "c", "d"], "label": ["x", "y", "x", "y"], "split": ["train", "train", "test", "val"]}
    )


def test_dataset_round_trip_with_meta(studio_home):
    store = DatasetStore()
    info = store.save(sample_frame(), "tiny", "test", {"seed": 1}, dataset_id="tiny")
    assert (studio_home / "datasets" / "tiny" / "data.parquet").is_file()
    assert len(info.sha256) == 64 and info.labels == ["x", "y"] and info.rows == 4
    loaded = store.load("tiny")
    assert loaded["text"].tolist() == ["a", "b", "c", "d"] and "lang" in loaded.columns
    assert [d.id for d in store.list()] == ["tiny"]
    with pytest.raises(DataError, match="exists already"):
        store.save(sample_frame(), "tiny", "test", {}, dataset_id="tiny")
    store.delete("tiny")
    with pytest.raises(UnknownDatasetError, match="No dataset 'tiny'"):
        store.info("tiny")


def test_dataset_ids_are_validated(studio_home):
    with pytest.raises(InvalidNameError):
        DatasetStore().save(sample_frame(), "x", "test", {}, dataset_id="../evil")
    assert not (studio_home.parent / "evil").exists()


def test_run_status_lifecycle_and_metrics(studio_home):
    store = RunStore()
    run = store.create({"encoder": "bow_mlp", "dataset": "tiny"}, run_id="r1")
    assert run.status()["state"] == "queued"
    run.set_status("running", progress=0.5)
    assert "started" in run.status()
    run.set_status("done")
    status = run.status()
    assert status["state"] == "done" and status["ended"] >= status["started"]
    run.append_metrics({"event": "step", "train/loss": 1.0})
    with open(run.metrics_path, "a") as handle:  # a half-written line from a crash is skipped
        handle.write('{"event": "st')
    assert run.metrics() == [{"event": "step", "train/loss": 1.0}]
    with pytest.raises(ValueError, match="unknown run state"):
        run.set_status("exploded")


def test_unknown_and_invalid_runs(studio_home):
    with pytest.raises(UnknownRunError, match="No run 'nope'"):
        RunStore().get("nope")
    with pytest.raises(InvalidNameError):
        RunStore().get("../../etc")


def test_a_running_run_without_a_live_owner_reads_interrupted(studio_home):
    store = RunStore()
    a = store.create({"encoder": "rbf"}, run_id="a")
    a.set_status("running")
    b = store.create({"encoder": "rbf"}, run_id="b")
    b.set_status("running")
    b.set_status("done")
    c = store.create({"encoder": "rbf"}, run_id="c")
    c.set_status("running")
    with c.acquire("train"):
        assert c.status()["state"] == "running" and c.status()["owner"]["pid"] == os.getpid()
        assert a.status()["state"] == "interrupted" and "ended without finishing" in a.status()["error"]
        assert b.status()["state"] == "done"
        assert a.raw_status()["state"] == "running"  # read-only: nothing rewritten by asking
    assert c.status()["state"] == "interrupted"


def lease_holder(run_id: str) -> subprocess.Popen:
    """Another process that holds run ``run_id``'s lease for a minute (kill it when done)."""
    code = (
        "import sys,time; from core.registry import RunStore; "
        f"lease = RunStore().get({run_id!r}).acquire('train'); print('ok', flush=True); time.sleep(60)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout.readline().strip() == "ok"
    return proc


def test_a_second_owner_is_refused_with_the_owners_name(studio_home):
    from core.lease import OwnedError

    run = RunStore().create({"encoder": "rbf"}, run_id="r")
    proc = lease_holder("r")
    try:
        with pytest.raises(OwnedError, match=f"pid {proc.pid}") as refused:
            run.acquire("train")
        assert "python -m core stop --run r," in str(refused.value)  # the command names the run, not "<id>"
        run.status_path.write_text("{")  # damaged while a process works on it: still its run, not "failed"
        status = run.status()
        assert status["state"] == "running" and status["owner"]["pid"] == proc.pid, status
        with pytest.raises(StudioError, match="stop it before deleting"):
            RunStore().delete("r")
    finally:
        proc.kill()
        proc.wait()
    with run.acquire("train"):  # the kernel dropped the dead owner's lock
        assert run.owner()["pid"] == os.getpid()


def test_a_live_owner_whose_lock_file_was_deleted_still_owns_the_run(studio_home):
    """Deleting a "stale" lease.lock made a running run read "interrupted": it could be deleted under its
    worker, and Resume started a second worker beside the live one."""
    from core.lease import OwnedError

    run = RunStore().create({"encoder": "rbf"}, run_id="r")
    proc = lease_holder("r")
    try:
        run.lease_path.unlink()
        assert run.owner()["pid"] == proc.pid
        with pytest.raises(OwnedError, match=f"pid {proc.pid}"):
            run.acquire("train")  # what Resume takes
        with pytest.raises(StudioError, match="stop it before deleting"):
            RunStore().delete("r")
    finally:
        proc.kill()
        proc.wait()
    assert run.owner() is None  # dead: its record names a process that no longer runs
    with run.acquire("train"):
        assert run.owner()["pid"] == os.getpid()


def test_metrics_are_read_incrementally_and_skip_a_partial_line(tmp_path):
    from core.registry import RunDir

    run = RunDir(tmp_path / "r1")
    run.path.mkdir()
    assert run.metrics() == []
    with open(run.metrics_path, "a") as handle:
        handle.write('{"event": "step", "step": 1}\n{"event": "st')
    assert [e["step"] for e in run.metrics()] == [1]
    with open(run.metrics_path, "a") as handle:
        handle.write('ep", "step": 2}\n')
    assert [e["step"] for e in run.metrics()] == [1, 2]
    replacement = tmp_path / "new.jsonl"
    replacement.write_text('{"event": "step", "step": 9}\n')
    replacement.replace(run.metrics_path)  # a new file (as a fresh run or a resume might write)
    assert [e["step"] for e in run.metrics()] == [9]


def test_an_event_appended_after_a_line_cut_off_is_read(tmp_path):
    """A kill mid-write (or a full disk) left half a line; the resume's fit_start, appended to it,
    was lost with it, and with it the step it resumed at."""
    from core.registry import RunDir

    run = RunDir(tmp_path / "r1")
    run.path.mkdir()
    for step in (1, 2, 3):
        run.append_metrics({"event": "step", "step": step})
    with open(run.metrics_path, "a") as handle:
        handle.write('{"event": "step", "step": 4, "epo')
    assert [e["step"] for e in run.metrics()] == [1, 2, 3]
    run.append_metrics({"event": "fit_start", "resumed_at_step": 2})
    run.append_metrics({"event": "step", "step": 3})
    assert [(e["event"], e.get("step")) for e in run.metrics()] == [
        ("step", 1),
        ("step", 2),
        ("fit_start", None),
        ("step", 3),
    ]


def test_steps_a_killed_worker_logged_past_its_checkpoint_are_told_once(tmp_path):
    """Killed at step 18 after a checkpoint at 17, then resumed from 17: steps and the evaluation of
    epoch 2 were in the file twice, and the validation curve doubled back on itself."""
    import json

    from core.registry import RunDir

    run = RunDir(tmp_path / "r1")
    run.path.mkdir()
    first = [{"event": "fit_start", "resumed_at_step": 0}, *({"event": "step", "step": n} for n in (9, 17, 18))]
    first.append({"event": "eval", "step": 18, "val/accuracy": 0.5})
    run.metrics_path.write_text("".join(json.dumps(e) + "\n" for e in first))
    assert [e.get("step") for e in run.metrics()] == [None, 9, 17, 18, 18]  # read before the resume
    again = [{"event": "fit_start", "resumed_at_step": 17}, {"event": "step", "step": 18}]
    again.append({"event": "eval", "step": 18, "val/accuracy": 0.6})
    with open(run.metrics_path, "a") as handle:
        handle.write("".join(json.dumps(e) + "\n" for e in again))
    events = run.metrics()
    assert [(e["event"], e.get("step")) for e in events] == [
        ("fit_start", None), ("step", 9), ("step", 17), ("fit_start", None), ("step", 18), ("eval", 18)
    ]  # fmt: skip
    assert events[-1]["val/accuracy"] == 0.6  # the resumed run's, not the killed one's


ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("config.json", "{not json", "config.json is not valid JSON"),
        ("config.json", "[1, 2]", "does not describe a run"),
        ("eval.json", '{"accuracy": 0.9', "eval.json is corrupt"),
    ],
)
def test_a_broken_run_folder_is_listed_as_broken_and_breaks_nothing_else(studio_home, capsys, name, content, reason):
    from core.cli import main

    store = RunStore()
    good = store.create({"encoder": "bow_mlp", "dataset": "x"}, run_id="good")
    bad = store.create({"encoder": "bow_mlp", "dataset": "x"}, run_id="bad")
    (bad.path / name).write_text(content)
    assert [r.id for r in store.list()] == [good.id]
    [(run, why)] = store.broken()
    assert run.id == "bad" and reason in why
    assert main(["runs", "list"]) == 0
    out = capsys.readouterr().out
    assert "good" in out and "broken" in out and reason in out and "runs delete bad --yes" in out
    assert main(["evaluate", "--run", "bad"]) == 1
    assert main(["runs", "delete", "bad", "--yes"]) == 0
    assert store.broken() == []


def poison_a_vector(run) -> None:
    import numpy as np

    vectors = np.load(run.path / "embeddings.npy")
    vectors[len(vectors) // 2, 0] = np.inf
    np.save(run.path / "embeddings.npy", vectors)


@pytest.mark.parametrize(
    "damage, reason",
    [
        (lambda run: (run.path / "points.parquet").unlink(), "points.parquet is missing"),
        (lambda run: (run.path / "points.parquet").write_bytes(b"garbage, not parquet"), "points.parquet is damaged"),
        (lambda run: (run.path / "embeddings.npy").write_bytes(b"\x93NUMPY garbage"), "embeddings.npy is damaged"),
        (lambda run: __import__("numpy").save(run.path / "embeddings.npy", __import__("numpy").zeros((3, 4))), "shape"),
        (poison_a_vector, "not numbers (NaN or infinite)"),  # PCA's SVD raised on the page
    ],
)
def test_damaged_per_text_artefacts_are_a_message_and_evaluate_again_rebuilds_them(
    small_dataset, capsys, damage, reason
):
    from core.cli import main
    from core.errors import ArtefactError
    from core.inference import Predictor
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "baseline"))
    assert run.artefact_problem() is None
    damage(run)
    assert reason in run.artefact_problem()
    with pytest.raises(ArtefactError, match="Evaluate the run again"):
        run.points()
    with pytest.raises(ArtefactError, match=re.escape(reason)):
        Predictor.from_run(run.path).neighbours("a text", k=3)
    assert main(["evaluate", "--again", "--run", run.id]) == 0
    assert run.artefact_problem() is None
    assert len(Predictor.from_run(run.path).neighbours("a text", k=3)) == 3


def test_a_dataset_with_a_run_queued_or_training_on_it_is_not_deleted(small_dataset):
    """The queued baseline beside a user's run ended "failed: No dataset" after the dataset's delete."""
    from core.errors import StudioError
    from core.registry import DatasetStore
    from core.training.runner import start_run, train_run
    from tests.conftest import tiny_config

    done = train_run(tiny_config(small_dataset, "bow_mlp"))
    queued = start_run(tiny_config(small_dataset, "bow_mlp"))
    assert queued.status()["state"] == "queued"
    with pytest.raises(StudioError, match=f"Run {queued.id} is queued or training on dataset 'small'"):
        DatasetStore().delete(small_dataset)
    assert DatasetStore().exists(small_dataset)
    queued.set_status("stopped")
    DatasetStore().delete(small_dataset)  # a finished run keeps its files
    assert not DatasetStore().exists(small_dataset) and done.model_path.is_file()


@pytest.mark.parametrize("field, value", [("created", None), ("rows", "240"), ("labels", None), ("languages", [])])
def test_a_meta_json_with_a_wrong_type_is_listed_as_damaged_not_a_crash(small_dataset, field, value):
    """Every page sorted or formatted the list and raised on "created": null or "rows": "240"."""
    import json

    from core.errors import DataError
    from core.registry import DatasetStore

    store = DatasetStore()
    store.ensure_builtin("starter")
    meta = store.path(small_dataset) / "meta.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text()), field: value}))
    assert [d.id for d in store.list()] == ["starter"]
    with pytest.raises(DataError, match="meta.json is damaged"):
        store.info(small_dataset)
    assert [folder for folder, _ in store.broken()] == [small_dataset]  # offered for deletion


def test_a_damaged_data_file_is_named_without_the_servers_folders(small_dataset, studio_home):
    """pyarrow's error named the file by its full path ('/home/…/datasets/x/data.parquet'), shown on the Data page."""
    from core.errors import DataError
    from core.registry import DatasetStore

    rows = DatasetStore().path(small_dataset) / "data.parquet"
    rows.write_bytes(b"garbage, not parquet")
    with pytest.raises(DataError, match="data.parquet is damaged") as raised:
        DatasetStore().load(small_dataset)
    assert str(studio_home) not in str(raised.value) and "unless they are deleted with it" in str(raised.value)
