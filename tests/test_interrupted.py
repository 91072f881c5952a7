"""Work cut off half-way (a kill, a crash, a second process) leaves nothing that no command can clear.

Each case was found by killing or racing a fresh studio; each test fails on the code before its fix.
"""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from core.cli import main
from core.errors import DataError
from core.registry import DatasetStore

FRAME = pd.DataFrame({"text": ["a b", "c d", "e f", "g h"], "label": ["x", "y", "x", "y"], "split": ["train"] * 4})


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_an_import_killed_before_its_metadata_leaves_no_dataset_under_the_id(studio_home, monkeypatch):
    import core.registry

    store = DatasetStore()
    real_write = core.registry.atomic_write_json

    def killed(path, obj):
        if path.name == "meta.json":
            raise KeyboardInterrupt  # Ctrl-C between the rows and the metadata
        real_write(path, obj)

    monkeypatch.setattr(core.registry, "atomic_write_json", killed)
    with pytest.raises(KeyboardInterrupt):
        store.save(FRAME, "mine", "test", {}, dataset_id="mine")
    monkeypatch.setattr(core.registry, "atomic_write_json", real_write)
    assert not store.path("mine").exists() and not list(store.root.iterdir())
    assert store.save(FRAME, "mine", "test", {}, dataset_id="mine").rows == 4


def test_staging_left_by_a_killed_import_is_swept_and_never_listed(studio_home):
    store = DatasetStore()
    store.save(FRAME, "first", "test", {}, dataset_id="first")
    import os
    import time

    dead = _dead_pid()
    stale, recent = store.root / f".staging-big-{dead}-abc123", store.root / f".staging-new-{dead}-def456"
    for folder in (stale, recent):
        folder.mkdir()
        (folder / "data.parquet").write_bytes(b"half")
        (folder / "meta.json").write_text("{}")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    assert [d.id for d in store.list()] == ["first"] and store.broken() == []
    store.save(FRAME, "second", "test", {}, dataset_id="second")
    assert not stale.exists()
    assert recent.exists()  # on a home shared between machines, its pid may be alive elsewhere


def test_overwriting_a_dataset_keeps_the_old_one_until_the_new_one_is_in_place(studio_home, monkeypatch):
    import os

    store = DatasetStore()
    store.save(FRAME, "mine", "test", {}, dataset_id="mine")
    real_rename, calls = os.rename, []

    def killed_after_setting_aside(src, dst):
        calls.append(dst)
        real_rename(src, dst)
        if len(calls) == 1:
            raise KeyboardInterrupt  # between setting the old copy aside and moving the new one in

    monkeypatch.setattr(os, "rename", killed_after_setting_aside)
    with pytest.raises(KeyboardInterrupt):
        store.save(FRAME.assign(text=["1", "2", "3", "4"]), "mine", "test", {}, dataset_id="mine", overwrite=True)
    monkeypatch.setattr(os, "rename", real_rename)
    aside = [f for f in store.root.iterdir() if f.name.startswith(".staging-mine-old-")]
    assert len(aside) == 1 and (aside[0] / "data.parquet").is_file()  # the old rows still on disk, not deleted


def test_a_dataset_folder_without_metadata_is_listed_and_deletable(studio_home, capsys):
    store = DatasetStore()
    half = store.root / "big2"
    half.mkdir(parents=True)
    (half / ".data.parquet.x.parquet").write_bytes(b"half")  # what an older, killed import left
    assert main(["data", "list"]) == 0
    out = capsys.readouterr().out
    assert "big2" in out and "broken" in out and "data delete --dataset big2 --yes" in out
    with pytest.raises(DataError, match="holds no dataset"):
        store.save(FRAME, "big2", "test", {}, dataset_id="big2")
    assert main(["train", "--dataset", "big2", "--encoder", "baseline"]) == 1
    assert "holds no dataset" in capsys.readouterr().err
    assert main(["data", "delete", "--dataset", "big2", "--yes"]) == 0
    assert not half.exists()


def test_a_builtin_left_half_imported_is_imported_again_at_once(studio_home):
    store = DatasetStore()
    half = store.root / "starter"
    half.mkdir(parents=True)
    (half / ".data.parquet.x.parquet").write_bytes(b"half")
    info = store.ensure_builtin("starter")  # used to wait 60 s, then say there was no such dataset
    assert info.rows > 5000 and store.exists("starter")


def test_a_search_index_is_rebuilt_after_the_run_trains_again(small_dataset, capsys):
    from core.search import SearchIndex, collection_source
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp", epochs=2))
    args = ["search", "--run", run.id, "--collection", small_dataset, "--query", "足球 比赛", "-k", "3"]
    assert main(args) == 0
    capsys.readouterr()
    built = json.loads((run.path / "search" / small_dataset / "manifest.json").read_text())["built"]
    (run.path / "shift_abc.npz").write_bytes(b"cached before/after maps")
    assert main(["restart", "--run", run.id, "--yes"]) == 0  # new weights; the old vectors would be wrong
    assert not (run.path / "shift_abc.npz").exists()
    assert not SearchIndex.is_current(run.path, small_dataset, collection_source(small_dataset))
    assert main(args) == 0
    assert json.loads((run.path / "search" / small_dataset / "manifest.json").read_text())["built"] > built


def test_an_index_of_weights_replaced_behind_its_back_is_stale(small_dataset):
    import os

    from core.search import SearchIndex, collection_source, load_collection
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp", epochs=1))
    SearchIndex.build(run.path, load_collection(small_dataset))
    source = collection_source(small_dataset)
    assert SearchIndex.is_current(run.path, small_dataset, source)
    stat = run.model_path.stat()
    os.utime(run.model_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # touched, the same bytes:
    assert SearchIndex.is_current(run.path, small_dataset, source)  # the same weights (a copied home)
    weights = run.model_path.read_bytes()
    run.model_path.write_bytes(weights[:-1] + bytes([weights[-1] ^ 1]))  # a resume wrote new weights
    os.utime(run.model_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2 * 10**9))
    assert not SearchIndex.is_current(run.path, small_dataset, source)
    with pytest.raises(Exception, match="replaced since"):
        SearchIndex.load(run.path, small_dataset, source)


def test_a_class_rename_cut_off_half_way_is_finished_never_undone(small_dataset, capsys, monkeypatch):
    import core.names
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    runs = [train_run(tiny_config(small_dataset, "baseline")) for _ in range(3)]
    labels = DatasetStore().info(small_dataset).labels
    first, second = labels[0], labels[1]
    swap = ["data", "rename-classes", "--dataset", small_dataset, "--rename", f"{first}={second}"]
    swap += ["--rename", f"{second}={first}"]
    real, calls = core.names.rename_run_labels, []

    def cut_off(run, mapping, old, rename_id):
        if len(calls) == 1:
            raise KeyboardInterrupt  # Ctrl-C after the first run was renamed
        calls.append(run.id)
        real(run, mapping, old, rename_id)

    monkeypatch.setattr(core.names, "rename_run_labels", cut_off)
    assert main(swap) == 130  # a line and the shell's Ctrl-C status, not a traceback
    assert capsys.readouterr().err.startswith("interrupted.")
    monkeypatch.setattr(core.names, "rename_run_labels", real)
    renamed = next(r for r in runs if r.id == calls[0])
    assert main(["evaluate", "--run", renamed.id, "--again"]) == 1
    assert "rename-classes --dataset small" in capsys.readouterr().err
    swapped = [second, first, *labels[2:]]
    # the same swap again finishes the first one and stops there: it was typed against the old classes
    assert main(swap) == 1
    assert "finished a class rename" in capsys.readouterr().out
    assert DatasetStore().info(small_dataset).labels == swapped
    for run in runs:
        assert run.config()["labels"] == swapped and run.eval()["labels"] == swapped
        assert set(pd.read_parquet(run.path / "points.parquet")["label"]) <= set(labels)
    assert main(swap) == 0  # given again, it swaps every file back, once
    assert DatasetStore().info(small_dataset).labels == labels
    assert all(run.config()["labels"] == labels for run in runs)


def test_a_rename_cut_off_between_the_rows_and_the_metadata_is_not_applied_twice(small_dataset, monkeypatch):
    import core.names
    from core.names import rename_labels

    store = DatasetStore()
    before = store.load(small_dataset)
    labels = store.info(small_dataset).labels
    import core.storage

    real = core.storage.atomic_write_json

    def killed(path, obj):
        if path.name == "meta.json":
            raise KeyboardInterrupt  # the rows are renamed, the metadata not yet
        real(path, obj)

    monkeypatch.setattr(core.storage, "atomic_write_json", killed)
    with pytest.raises(KeyboardInterrupt):
        rename_labels(small_dataset, {labels[0]: labels[1], labels[1]: labels[0]})
    monkeypatch.setattr(core.storage, "atomic_write_json", real)
    assert core.names.finish_rename(small_dataset)
    after = store.load(small_dataset)
    swap = {labels[0]: labels[1], labels[1]: labels[0]}
    assert after["label"].tolist() == [swap.get(v, v) for v in before["label"]]  # swapped once, not twice
    assert store.info(small_dataset).labels == [labels[1], labels[0], *labels[2:]]


def test_a_class_name_with_an_equals_sign_can_be_renamed(studio_home, capsys):
    store = DatasetStore()
    frame = FRAME.assign(label=["k=v", "plain", "k=v", "plain"])
    store.save(frame, "eq", "test", {}, dataset_id="eq")
    assert main(["data", "rename-classes", "--dataset", "eq", "--rename", "k=v=kv"]) == 0
    assert sorted(store.info("eq").labels) == ["kv", "plain"]


def test_a_run_folder_without_config_is_listed_as_broken(studio_home, capsys):
    leftover = studio_home / "runs" / "half-deleted"
    leftover.mkdir(parents=True)
    (leftover / "eval.json").write_text("{}")  # a delete cut off after config.json went
    assert main(["runs", "list"]) == 0
    out = capsys.readouterr().out
    assert "half-deleted" in out and "no config.json" in out
    assert main(["runs", "delete", "half-deleted", "--yes"]) == 0 and not leftover.exists()


def test_a_run_busy_with_a_side_job_is_not_deleted_under_it(small_dataset, capsys):
    from core.lease import Lease
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp", epochs=1))
    (run.path / "jobs").mkdir(exist_ok=True)
    with Lease.acquire(run.path / "jobs" / "search-x.lock", run.path / "jobs" / "search-x.json", "search"):
        assert main(["runs", "delete", run.id, "--yes"]) == 1
        assert "in use by a search index job" in capsys.readouterr().err
    # the map's job is named as the map: "in use by a project job" read as somebody's project
    with Lease.acquire(run.path / "jobs" / "project-x.lock", run.path / "jobs" / "project-x.json", "project"):
        assert main(["runs", "delete", run.id, "--yes"]) == 1
        assert "in use by a map job" in capsys.readouterr().err
    assert run.config_path.exists()


def test_an_index_built_while_its_run_was_deleted_leaves_nothing(small_dataset):
    import shutil

    from core.errors import StudioError
    from core.search import SearchIndex, load_collection
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp", epochs=1))

    def delete_midway(phase, fraction=None):
        if phase.startswith("fitting") and run.path.exists():
            shutil.rmtree(run.path)  # runs delete, from another terminal

    with pytest.raises(StudioError, match="deleted while its search index was built"):
        SearchIndex.build(run.path, load_collection(small_dataset), progress=delete_midway)
    assert not run.path.exists()


def test_a_rename_reaches_the_points_of_runs_without_class_columns(small_dataset):
    from core.names import rename_labels
    from core.training.runner import RunConfig, train_run
    from tests.conftest import TINY_ENCODER, TINY_TRAIN

    config = RunConfig.create(small_dataset, "transformer", TINY_ENCODER["transformer"], TINY_TRAIN, task="pretrain")
    run = train_run(config)
    points = pd.read_parquet(run.path / "points.parquet")
    assert "label" in points and not [c for c in points.columns if c.startswith("p:")]
    first = DatasetStore().info(small_dataset).labels[0]
    rename_labels(small_dataset, {first: "RENAMED"})
    renamed = pd.read_parquet(run.path / "points.parquet")["label"]
    assert "RENAMED" in set(renamed) and first not in set(renamed)


def test_ctrl_c_in_a_loop_of_trainings_ends_the_loop(small_dataset, studio_home):
    """The CLI stopped its run on Ctrl-C and exited 130, which a shell reads as a Ctrl-C the child handled:
    ``for s in 0 1 2; do python -m core train …; done`` went on to train the next one."""
    import os
    import signal
    import time

    from core.registry import RunStore

    loop = (
        f"for s in 0 1 2; do {sys.executable} -m core train --dataset {small_dataset} --encoder bow_mlp "
        '--epochs 500 --threads 1 --quiet --run-id "loop-$s"; echo "went on after $s"; done'
    )
    shell = subprocess.Popen(
        ["bash", "-c", loop],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a process group of its own, as a terminal's job is
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    deadline = time.monotonic() + 120
    while not (studio_home / "runs" / "loop-0" / "metrics.jsonl").is_file():  # training, not starting up
        assert shell.poll() is None and time.monotonic() < deadline, shell.communicate()
        time.sleep(0.3)
    os.killpg(shell.pid, signal.SIGINT)  # what Ctrl-C at a terminal does: the whole foreground group
    out, err = shell.communicate(timeout=120)
    assert "went on after" not in out, (out, err)
    assert [r.id for r in RunStore().list()] == ["loop-0"] and RunStore().get("loop-0").status()["state"] == "stopped"
