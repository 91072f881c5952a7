import io
import json
import os

import pandas as pd
import pytest

from core.cli import main
from core.registry import DatasetStore, RunStore
from tests.conftest import TINY_TRAIN


def write_csv(path, rows, encoding="utf-8"):
    pd.DataFrame(rows, columns=["text", "label"]).to_csv(path, index=False, encoding=encoding)
    return str(path)


GOOD = [(f"第{i}条 好评 很满意", "pos") for i in range(12)] + [(f"review {i} terrible broke", "neg") for i in range(12)]


def test_malformed_gbk_file_reports_and_writes_nothing(tmp_path, capsys, studio_home):
    path = write_csv(tmp_path / "bad.csv", [("好评", "pos"), ("", "pos"), ("不错", "pos")], encoding="gbk")
    assert main(["data", "import", path, "--name", "bad"]) == 1
    out = capsys.readouterr()
    assert "gb18030" in out.out and "only 1 usable class ('pos')" in out.out
    assert "empty or whitespace-only" in out.out and "Nothing was saved" in out.err
    assert DatasetStore().list() == [] and not (studio_home / "datasets").exists()


def test_an_unlabelled_import_leaves_the_guessed_label_column_out(tmp_path, capsys, studio_home):
    """--unlabelled kept the guessed label column: the dataset was saved labelled, with the class of
    one example the report had just said would be dropped."""
    path = write_csv(tmp_path / "notes.csv", [(f"note {i} about the weather", "abc"[i % 3]) for i in range(30)])
    assert main(["data", "import", path, "--unlabelled", "--id", "notes"]) == 0
    info = DatasetStore().info("notes")
    assert not info.labelled and info.labels == [] and info.rows == 30
    assert DatasetStore().load("notes")["label"].isna().all()


def test_empty_file_exit_1(tmp_path, capsys):
    (tmp_path / "e.csv").write_bytes(b"")
    assert main(["data", "validate", str(tmp_path / "e.csv")]) == 1
    assert "is empty" in capsys.readouterr().err


def test_import_train_predict_evaluate_runs(tmp_path, capsys):
    path = write_csv(tmp_path / "good.csv", GOOD)
    assert main(["data", "inspect", path]) == 0
    assert "encoding: utf-8" in capsys.readouterr().out
    assert main(["data", "import", path, "--id", "good", "--seed", "1"]) == 0
    assert "Saved dataset 'good'" in capsys.readouterr().out
    train_args = [f"--train-set={k}={v}" for k, v in TINY_TRAIN.items()]
    code = main(
        [
            "train",
            "--dataset",
            "good",
            "--encoder",
            "bow_mlp",
            "--set",
            "hidden=[16]",
            "--set",
            "featurizer.min_df=1",
            "--epochs",
            "3",
            "--run-id",
            "r1",
            "--quiet",
            *train_args,
        ]
    )
    assert code == 0
    assert "run r1 done" in capsys.readouterr().out
    assert main(["predict", "--run", "r1", "--text", "好评 很满意"]) == 0
    out = capsys.readouterr().out
    assert "pos" in out and "neg" in out and "█" in out
    assert main(["evaluate", "--run", "r1"]) == 0
    assert "macro-F1" in capsys.readouterr().out
    # the machine-readable report, for scripts: the run's own, and scored on a dataset (here its own)
    assert main(["evaluate", "--run", "r1", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    saved = RunStore().get("r1").eval()
    assert report["accuracy"] == saved["accuracy"] and report["confusion"] == saved["confusion"]
    assert main(["evaluate", "--run", "r1", "--on", "good", "--json"]) == 0
    scored = json.loads(capsys.readouterr().out)
    assert scored["accuracy"] == pytest.approx(saved["accuracy"]) and scored["own_accuracy"] == saved["accuracy"]
    assert "mistakes" not in scored
    assert main(["runs", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0].split()[:4] == ["run", "name", "encoder", "task"]  # pretraining and fine-tuning read apart
    assert any(line.split()[0] == "r1" and "classify" in line.split() for line in listed[2:])
    assert main(["runs", "show", "r1"]) == 0
    shown = capsys.readouterr()
    document = json.loads(shown.out)
    assert document["config"]["encoder"] == "bow_mlp"  # the JSON alone: `| jq` reads it
    assert shown.err.startswith("test accuracy ")
    # what the trainer used beside what was asked: the config's batch size 0 is "automatic", and the
    # epochs can be raised to a minimum of steps; a finished run's last phase is no news
    used = document["trained_with"]
    assert used["batch_size"] > 0 and used["epochs"] * used["steps_per_epoch"] == used["total_steps"]
    assert used["epochs"] >= document["config"]["train"]["epochs"] and "phase" not in document["status"]
    # a run's name works wherever its id does
    assert main(["runs", "name", "r1", "--title", "My first model"]) == 0
    assert main(["predict", "--run", "My first model", "--text", "好评 很满意"]) == 0
    assert "pos" in capsys.readouterr().out
    assert main(["runs", "show", "my first model"]) == 0
    assert '"title": "My first model"' in capsys.readouterr().out  # the name it was found by is shown
    assert main(["runs", "show", "--run", "r1"]) == 0  # --run, as every other verb takes the run
    assert json.loads(capsys.readouterr().out)["config"]["encoder"] == "bow_mlp"
    assert main(["runs", "show", "r1", "--run", "other"]) == 2
    assert "two runs given" in capsys.readouterr().err
    assert main(["runs", "list"]) == 0
    assert "My first model" in capsys.readouterr().out  # which name goes with which id
    # batch predictions to CSV, escaped against formula injection
    batch = write_csv(tmp_path / "batch.csv", [("=cmd|' /C calc'!A0", "x"), ("review terrible", "y")])
    out_csv = tmp_path / "pred.csv"
    assert main(["predict", "--run", "r1", "--file", batch, "--out", str(out_csv)]) == 0
    written = pd.read_csv(out_csv)
    assert written["text"].iloc[0].startswith("'=") and set(written["prediction"]) <= {"pos", "neg"}
    # a byte-order mark, as the dashboard's downloads have (Excel on a Chinese Windows reads UTF-8 then)
    assert out_csv.read_bytes().startswith(b"\xef\xbb\xbf") and written.columns[0] == "text"
    capsys.readouterr()
    assert main(["predict", "--run", "r1", "--file", batch]) == 0  # standard output: the texts as they were
    assert pd.read_csv(io.StringIO(capsys.readouterr().out))["text"].iloc[0] == "=cmd|' /C calc'!A0"
    # a 2 MB cell is cut to the training length in the output, with a note (never copied whole)
    huge = write_csv(tmp_path / "huge.csv", [("good " * 400_000, "x"), ("review terrible", "y")])
    capsys.readouterr()
    assert main(["predict", "--run", "r1", "--file", huge, "--out", str(out_csv)]) == 0
    assert "1 text(s) longer than 10,000 characters were cut" in capsys.readouterr().err
    assert pd.read_csv(out_csv)["text"].str.len().tolist() == [10_000, len("review terrible")]
    # a workbook's second sheet, by name
    from tests.malformed import xlsx

    book = tmp_path / "book.xlsx"
    book.write_bytes(xlsx([["owner"], ["Ann"]], [["review", "id"], ["好评 很满意", 1], ["review terrible", 2]])())
    assert main(["predict", "--run", "r1", "--file", str(book), "--sheet", "Sheet2", "--out", str(out_csv)]) == 0
    assert "classifying column 'review'" in capsys.readouterr().err
    assert pd.read_csv(out_csv)["review"].tolist() == ["好评 很满意", "review terrible"]
    assert main(["runs", "delete", "r1"]) == 2  # needs --yes: a usage error, as `data delete` without it
    assert main(["runs", "delete", "r1", "--yes"]) == 0
    assert RunStore().list() == []


def test_data_import_reads_the_sheet_named(tmp_path, capsys):
    from tests.malformed import xlsx

    path = tmp_path / "book.xlsx"
    path.write_bytes(xlsx([["owner", "date"], ["Ann", "2026-11-30"]], [["text", "label"], *GOOD])())
    assert main(["data", "import", str(path), "--sheet", "Reviews", "--id", "book"]) == 1
    assert "no sheet 'Reviews'; its sheets are 'Sheet1', 'Sheet2'" in capsys.readouterr().err
    assert main(["data", "import", str(path), "--sheet", "Sheet2", "--id", "book"]) == 0
    out = capsys.readouterr().out
    assert "only 'Sheet2' was read" in out and "Saved dataset 'book': 24 rows, 2 classes" in out
    assert DatasetStore().info("book").columns["sheet"] == "Sheet2"


def test_train_on_unknown_dataset_and_unknown_run(capsys):
    assert main(["train", "--dataset", "nope", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "No dataset 'nope'" in err and "data list" in err
    assert main(["predict", "--run", "nope", "--text", "x"]) == 1
    assert "No run 'nope' (by id or by name)" in capsys.readouterr().err
    assert main(["predict", "--run", "a name with spaces", "--text", "x"]) == 1
    assert "No run 'a name with spaces' (by id or by name)" in capsys.readouterr().err


def test_bad_override_is_reported(capsys):
    assert main(["train", "--dataset", "starter", "--set", "hiddne=[3]", "--quiet"]) == 1
    assert "no field(s) ['hiddne']" in capsys.readouterr().err


def test_usage_error_exit_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["train", "--no-such-option"])
    assert info.value.code == 2
    assert main(["train"]) == 2  # no --dataset and no --like: said by the command, as argparse would
    assert "give --dataset" in capsys.readouterr().err


def test_module_entry_point_runs():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "core", "data", "builtins"], capture_output=True, text=True)
    assert out.returncode == 0 and "zh_reviews" in out.stdout


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--id", "../../etc"], "is not valid"),
        (["--val", "0.5", "--test", "0.5"], "at least 10% of the data for training"),
        (["--val", "-1"], "split fractions must be in [0, 1)"),
        # --test left out: the default it was checked with is named as a default, not as typed
        (["--val", "0.75"], "--val 0.75 (with the default test share of 0.2): validation + test must leave"),
    ],
)
def test_bad_import_options_give_a_message_and_store_nothing(studio_home, tmp_path, capsys, extra, message):
    path = tmp_path / "s.csv"
    path.write_text(
        "text,label\ngood phone,pos\nbad phone,neg\ngreat screen,pos\nawful battery,neg\nnice,pos\nugly,neg\n"
    )
    assert main(["data", "import", str(path), *extra]) == 1
    out, err = capsys.readouterr()
    assert err.startswith("error: ") and message in err and "Traceback" not in err
    if "--val" in extra:  # said before the file's report, naming the options, not after it
        assert err.startswith("error: --val ") and not out, (out, err)
    assert not (studio_home / "datasets").exists() or not any((studio_home / "datasets").iterdir())


def test_a_full_disk_is_a_message_not_a_traceback(studio_home, tmp_path, capsys, monkeypatch):
    import errno

    import core.storage

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(studio_home))

    monkeypatch.setattr(core.storage, "atomic_write_bytes", full)
    monkeypatch.setattr(core.storage, "atomic_save", full)
    path = tmp_path / "s.csv"
    path.write_text(
        "text,label\ngood phone,pos\nbad phone,neg\ngreat screen,pos\nawful battery,neg\nnice,pos\nugly,neg\n"
    )
    assert main(["data", "import", str(path), "--id", "full"]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert not (studio_home / "datasets" / "full").exists()  # nothing half-written


def test_predict_on_a_run_whose_config_has_an_unknown_field_is_a_message(small_dataset, capsys):
    import json

    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "baseline"))
    config = json.loads(run.config_path.read_text())
    config["encoder_config"]["surprise"] = 1
    run.config_path.write_text(json.dumps(config))
    capsys.readouterr()
    assert main(["predict", "--run", run.id, "--text", "hello"]) == 1
    err = capsys.readouterr().err
    assert "surprise" in err and "Traceback" not in err


def test_a_reader_that_leaves_early_gets_no_false_error(studio_home):
    """``python -m core runs list | head -1``: the closed pipe is not a storage problem."""
    import os
    import subprocess
    import sys

    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line is written
    done = subprocess.run(
        [sys.executable, "-m", "core", "runs", "list"],
        stdout=write,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        env={**os.environ, "ENCODER_STUDIO_HOME": str(studio_home)},
    )
    os.close(write)
    assert done.returncode == 1 and done.stderr == "", done.stderr


def test_a_run_cut_short_says_so_in_the_terminal(tmp_path, capsys):
    import re

    path = write_csv(tmp_path / "good.csv", GOOD)
    assert main(["data", "import", path, "--name", "good"]) == 0
    args = ["train", "--dataset", "good", "--encoder", "bow_mlp", "--set", "featurizer.min_df=1", "--quiet"]
    budget = ["--epochs", "5000", "--time-budget", "1", "--threads", "1"]
    assert main([*args, *budget, "--train-set", "patience=0"]) == 0
    out = capsys.readouterr().out
    assert re.search(
        r"of 5000 epochs \(the time budget of 1 s ran out at step [\d,]+ of 5,000\); the best weights", out
    )
    # early stopping under a time budget is early stopping: the run's own record says which ended it
    assert main([*args, *budget[:2], "--time-budget", "600", "--threads", "1"]) == 0
    out = capsys.readouterr().out
    assert "(no better validation score for 2 epoch(s))" in out, out


def test_help_shows_the_schedule_defaults_the_dashboard_starts_with(capsys):
    """--epochs, --batch-size and --lr name their defaults per encoder and task, from the same tables."""
    from core.training.defaults import FINETUNE_DEFAULTS, PRETRAIN_DEFAULTS, TRAIN_DEFAULTS

    def help_of(command: str) -> str:
        with pytest.raises(SystemExit):
            main([command, "--help"])
        return " ".join(capsys.readouterr().out.split())  # argparse wraps lines

    train, pretrain, finetune = help_of("train"), help_of("pretrain"), help_of("finetune")
    assert f"bow_mlp {TRAIN_DEFAULTS['bow_mlp']['epochs']}," in train
    assert f"rbf {TRAIN_DEFAULTS['rbf']['lr']:g}," in train and "bow_mlp 0 (auto" in train
    assert f"default: {PRETRAIN_DEFAULTS['epochs']}" in pretrain
    assert f"transformer {FINETUNE_DEFAULTS['transformer']['epochs']}," in finetune
    with pytest.raises(SystemExit):
        main(["--help"])
    top = " ".join(capsys.readouterr().out.split())
    assert "kept in $ENCODER_STUDIO_HOME (default ./studio_data)" in top and "130 stopped by Ctrl-C" in top


def test_predicted_probabilities_line_up_whatever_the_script():
    from core.cli import _probability_lines, _width

    lines = _probability_lines(["体育", "technology", "旅游和美食"], [0.25, 0.7, 0.05])
    assert [line.split()[0] for line in lines] == ["technology", "体育", "旅游和美食"]  # most likely first
    columns = {_width(line[: line.index("0.")]) for line in lines}
    assert columns == {23}  # each probability starts at the same terminal column
    assert lines[0].endswith("█" * 21)


def test_a_time_budget_is_what_the_cli_bar_and_summary_count(capsys, small_dataset, monkeypatch):
    """Under a 30-s budget the bar counted the 1,520 planned steps ("7%, 23:30 left") and the summary
    said "stopped after epoch 1 of 12" for 0.65 of an epoch."""
    import re
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)  # the bar is drawn in a terminal only

    train_args = [f"--train-set={k}={v}" for k, v in TINY_TRAIN.items() if k not in ("epochs", "patience")]
    code = main(
        ["train", "--dataset", small_dataset, "--encoder", "bow_mlp", "--epochs", "400", "--time-budget", "2"]
        + ["--train-set=patience=0", "--run-id", "budget", *train_args]
    )
    assert code == 0
    out, err = capsys.readouterr()
    said = re.search(
        r"stopped after ([\d.]+) of 400 epochs \(the time budget of 2 s ran out at step [\d,]+ of [\d,]+\)", out
    )
    assert said, out
    totals = [int(total) for total in re.findall(r"\d+/(\d+) \[", err)]
    metrics = RunStore().get("budget").metrics()
    planned = 400 * next(m["steps_per_epoch"] for m in metrics if m["event"] == "fit_start")
    made = [m["step"] for m in metrics if m["event"] == "step"][-1]
    assert made < planned and totals and totals[-1] < planned, (made, totals[-1], planned)
    assert totals[-1] <= 1.1 * made  # the bar ends near full: its total is the steps the budget allowed


def test_a_run_capped_by_max_steps_says_so_not_that_its_score_stopped_improving(capsys, small_dataset):
    """Ended by max_steps, the summary said "(no better validation score for 4 epoch(s))"."""
    train_args = [f"--train-set={k}={v}" for k, v in TINY_TRAIN.items() if k not in ("epochs", "patience")]
    code = main(
        ["train", "--dataset", small_dataset, "--encoder", "bow_mlp", "--epochs", "20", "--train-set=max_steps=3"]
        + ["--run-id", "capped", *train_args]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert " epochs (max_steps=3 reached)" in out and "no better validation score" not in out, out


def test_a_long_text_gets_the_same_answer_typed_or_in_a_file(small_dataset, tmp_path, capsys):
    """--file cut a row to the 10,000 characters training reads; --text read the whole and answered otherwise."""
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "baseline"))
    text = "the striker scored in the final minute " * 300 + "红烧肉很好吃，这家餐厅的菜很好 " * 2000
    (tmp_path / "long.txt").write_text(text + "\n", encoding="utf-8")
    assert (
        main(["predict", "--run", run.id, "--file", str(tmp_path / "long.txt"), "--out", str(tmp_path / "f.csv")]) == 0
    )
    assert main(["predict", "--run", run.id, "--text", text, "--out", str(tmp_path / "t.csv")]) == 0
    assert "was cut to that length" in capsys.readouterr().err
    from_file, typed = (pd.read_csv(tmp_path / name, encoding="utf-8-sig") for name in ("f.csv", "t.csv"))
    probabilities = [c for c in typed.columns if c.startswith("p_")]
    assert probabilities and typed["prediction"][0] == from_file["prediction"][0]
    assert typed[probabilities].to_numpy() == pytest.approx(from_file[probabilities].to_numpy(), abs=1e-4)


def test_a_long_decomposed_text_is_composed_before_it_is_cut_as_the_bundle_does(small_dataset, tmp_path, capsys):
    """--file and --text cut a decomposed (NFD) text to 10,000 characters before composing it: "é" typed
    as two characters kept half as many letters as the Predictor, the Playground and the bundle read."""
    import unicodedata

    from core.data import DataLimits
    from core.inference import Predictor
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "baseline"))
    text = (
        "e\u0301" * 4800
        + " "
        + "the striker scored in the final minute " * 10
        + "红烧肉很好吃，这家餐厅的菜很好 " * 500
    )
    limit = DataLimits().max_text_chars
    assert len(text) > limit and len(unicodedata.normalize("NFC", text)) > limit
    predictor = Predictor.from_run(run.path)
    expected = predictor.predict_proba([unicodedata.normalize("NFC", text)[:limit]])[0]  # what the bundle reads
    cut_first = predictor.predict_proba([text[:limit]])[0]
    assert abs(expected - cut_first).max() > 1e-3  # the two cuts answer differently with this model
    (tmp_path / "long.txt").write_text(text + "\n", encoding="utf-8")
    assert (
        main(["predict", "--run", run.id, "--file", str(tmp_path / "long.txt"), "--out", str(tmp_path / "f.csv")]) == 0
    )
    assert main(["predict", "--run", run.id, "--text", text, "--out", str(tmp_path / "t.csv")]) == 0
    capsys.readouterr()
    for name in ("f.csv", "t.csv"):
        frame = pd.read_csv(tmp_path / name, encoding="utf-8-sig")
        got = frame[[f"p_{label}" for label in predictor.labels]].to_numpy()[0]
        assert got == pytest.approx(expected, abs=1e-4), name


def test_a_ctrl_c_as_the_run_starts_stops_it_and_the_command_says_so_in_its_exit_status(small_dataset, monkeypatch):
    """Pressed as the CLI took the run, the request was cleared as stale and the run trained to its end;
    a stopped run also exited 0, so `train … && predict …` and a loop of runs went on."""
    import os
    import signal

    from core.cli import INTERRUPTED
    from core.registry import RunDir, RunStore

    original = RunDir.acquire
    pressed = []

    def acquire_then_ctrl_c(self, *args, **kwargs):
        lease = original(self, *args, **kwargs)
        if not pressed and args[:1] == ("train",):  # the CLI's own acquire, its Ctrl-C handler installed
            pressed.append(True)
            os.kill(os.getpid(), signal.SIGINT)
        return lease

    monkeypatch.setattr(RunDir, "acquire", acquire_then_ctrl_c)
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        code = main(
            [
                "train",
                "--dataset",
                small_dataset,
                "--encoder",
                "bow_mlp",
                "--epochs",
                "200",
                "--threads",
                "1",
                "--quiet",
            ]
        )
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    assert pressed and code == INTERRUPTED == 130
    (run,) = RunStore().list()
    assert run.status()["state"] == "stopped"


def test_a_ctrl_c_in_a_command_without_a_graceful_stop_is_a_line_not_a_traceback(studio_home, monkeypatch, capsys):
    from core.cli import INTERRUPTED
    from core.registry import DatasetStore

    def pressed(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(DatasetStore, "list", pressed)
    assert main(["data", "list"]) == INTERRUPTED
    err = capsys.readouterr().err
    assert err.startswith("interrupted.") and "Traceback" not in err


def test_fine_tuning_from_a_baseline_says_why_it_cannot(small_dataset, capsys):
    """Both said "unknown encoder 'baseline'; choose one of …, baseline, …": the clear messages never showed."""
    from core.training.runner import RunConfig, train_run

    base = train_run(RunConfig.create(small_dataset, "baseline"))
    assert main(["finetune", "--from", base.id, "--dataset", small_dataset, "--epochs", "1", "--quiet"]) == 1
    assert "is a baseline run; only bow_mlp, rbf and transformer encoders can be fine-tuned" in capsys.readouterr().err
    code = main(["train", "--dataset", small_dataset, "--encoder", "transformer", "--vocab-from", base.id, "--quiet"])
    assert code == 1 and "that is a baseline run" in capsys.readouterr().err


def test_a_seed_outside_what_the_libraries_take_is_refused_before_a_run_exists(small_dataset, capsys):
    """--seed -1 made a baseline run that then failed with scikit-learn's "expected non-negative integer"."""
    with pytest.raises(SystemExit):  # refused by argparse, under the option's own name
        main(["train", "--dataset", small_dataset, "--encoder", "baseline", "--quiet", "--seed", "-1"])
    assert "argument --seed" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["train", "--dataset", small_dataset, "--encoder", "baseline", "--quiet", "--seed", str(2**32)])
    assert "argument --seed: expected a whole number from 0 to 4,294,967,295" in capsys.readouterr().err
    assert RunStore().list() == []
    assert (
        main(["train", "--dataset", small_dataset, "--encoder", "baseline", "--quiet", "--seed", str(2**32 - 1)]) == 0
    )


def test_predict_says_when_a_text_has_no_words_the_model_knows(small_dataset, starter_frame, capsys):
    """ "🙂🙂" got "food 0.9999" on the command line without the warning the Playground gives."""
    from core.training.runner import RunConfig, train_run

    run = train_run(RunConfig.create(small_dataset, "baseline"))
    capsys.readouterr()
    assert main(["predict", "--run", run.id, "--text", "🙂🙂", "--text", "xqzv blorf", "--text", "火锅"]) == 0
    out, err = capsys.readouterr()
    assert out.count("\n🙂🙂\n") + out.startswith("🙂🙂\n") == 1 and "xqzv blorf" in out  # still answered
    assert err.count("none of this text's words are in the model's vocabulary") == 2, err
    from core.registry import DatasetStore

    seen = str(DatasetStore().load(small_dataset)["text"].iloc[0])  # a training text: every word known
    assert main(["predict", "--run", run.id, "--text", seen]) == 0
    assert "vocabulary" not in capsys.readouterr().err
    # an English model never saw "🙂" among its words: none known, the warning given, not silence
    from core.data import SplitConfig, stratified_split

    english = starter_frame[starter_frame["lang"] == "en"].groupby("label").head(40).reset_index(drop=True)
    english["split"] = stratified_split(english["label"], SplitConfig(0.15, 0.25, seed=1))
    DatasetStore().save(english, "english only", "test", {}, dataset_id="englishonly")
    english_run = train_run(RunConfig.create("englishonly", "baseline"))
    capsys.readouterr()
    assert main(["predict", "--run", english_run.id, "--text", "🙂🙂"]) == 0
    assert "none of this text's words are in the model's vocabulary" in capsys.readouterr().err


def test_predict_reads_a_headerless_file_of_one_column_when_told(small_dataset, tmp_path, capsys):
    """Three texts, one a line, gave two predictions: the first was taken for the column's name, and
    predict had no --no-header to say otherwise."""
    from core.training.runner import RunConfig, train_run

    run = train_run(RunConfig.create(small_dataset, "baseline"))
    texts = tmp_path / "texts.csv"
    texts.write_text("football match tonight\npasta recipe with garlic\nnew phone released\n")
    out = tmp_path / "out.csv"
    assert main(["predict", "--run", run.id, "--file", str(texts), "--out", str(out)]) == 0
    assert "add --no-header" in capsys.readouterr().err  # said when it guesses a header
    assert main(["predict", "--run", run.id, "--file", str(texts), "--no-header", "--out", str(out)]) == 0
    written = pd.read_csv(out)
    texts_read = ["football match tonight", "pasta recipe with garlic", "new phone released"]
    assert written.iloc[:, 0].tolist() == texts_read and written["prediction"].notna().all()
    # --text beside --file: every --text went unclassified, and the exit was 0
    capsys.readouterr()
    both = ["predict", "--run", run.id, "--file", str(texts), "--text", "a late goal", "--out", str(tmp_path / "b.csv")]
    assert main(both) == 2
    assert "--text and --file cannot be given together" in capsys.readouterr().err
    assert not (tmp_path / "b.csv").exists()


def test_predict_says_when_the_file_already_has_prediction_columns(small_dataset, tmp_path, capsys):
    """A file classified before (its prediction, confidence and p_ columns kept) got this model's answers
    under prediction_predicted without a word, and a script reading "prediction" read the old ones.
    The only warning was irrelevant: "Column 'prediction' has only one class, so it was not taken as the
    label column"."""
    from core.training.runner import RunConfig, train_run

    run = train_run(RunConfig.create(small_dataset, "baseline"))
    label = run.config()["labels"][0]
    source = tmp_path / "classified.csv"
    pd.DataFrame(
        {
            "text": ["football match tonight", "pasta recipe with garlic"] * 3,
            "prediction": ["old"] * 6,
            "confidence": [0.5] * 6,
        }
        | {f"p_{label}": [0.5] * 6}
    ).to_csv(source, index=False)
    out = tmp_path / "out.csv"
    assert main(["predict", "--run", run.id, "--file", str(source), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert (
        f"The file has its own 'prediction', 'confidence', 'p_{label}' column(s), kept as they are: this model's "
        f"answers are in 'prediction_predicted', 'confidence_predicted', 'p_{label}_predicted'." in err
    ), err
    assert "label column" not in err, err
    written = pd.read_csv(out)
    assert written["prediction"].tolist() == ["old"] * 6 and set(written["prediction_predicted"]) <= set(
        run.config()["labels"]
    )
    # classified again, its output's old "prediction" column holds the model's classes: that is no file of
    # expected labels, and "agree … 100.0%" with its own earlier answers said nothing
    assert main(["predict", "--run", run.id, "--file", str(out), "--out", str(tmp_path / "again.csv")]) == 0
    assert "agree with it" not in capsys.readouterr().err


def test_predict_counts_how_often_it_agrees_with_the_files_own_labels(small_dataset, tmp_path, capsys):
    """The Playground said "the predictions agree with it on 485 of 496 rows"; the command line only "wrote 496"."""
    from core.registry import DatasetStore
    from core.training.runner import RunConfig, train_run

    run = train_run(RunConfig.create(small_dataset, "baseline"))
    frame = DatasetStore().load(small_dataset)
    test = frame[frame["split"] == "test"][["text", "label"]]
    source = tmp_path / "labelled.csv"
    test.to_csv(source, index=False)
    out = tmp_path / "out.csv"
    assert main(["predict", "--run", run.id, "--file", str(source), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    written = pd.read_csv(out)
    agree = int((written["prediction"].astype(str) == test["label"].astype(str).to_numpy()).sum())
    assert (
        f"the file's column 'label' holds this model's classes: the predictions agree with it on {agree:,} of "
        f"{len(test):,} rows ({agree / len(test):.1%})." in err
    ), err


def test_a_cap_inside_the_last_epoch_is_told_with_how_far_it_got(capsys, small_dataset):
    """A cap of 13 steps at 9 a epoch counted the second epoch as ended: "stopped after 1 of 2 epochs (no
    better validation score)", its validation point at epoch 2, and the last step (throttled) unwritten."""
    from core.registry import RunStore

    train_args = [f"--train-set={k}={v}" for k, v in TINY_TRAIN.items() if k not in ("epochs", "patience")]
    code = main(
        ["train", "--dataset", small_dataset, "--encoder", "bow_mlp", "--epochs", "2", "--train-set=max_steps=13"]
        + ["--train-set=min_steps=0", "--run-id", "capped2", *train_args]
    )
    assert code == 0
    out = capsys.readouterr().out
    run = RunStore().get("capped2")
    metrics = run.metrics()
    per_epoch = next(m["steps_per_epoch"] for m in metrics if m["event"] == "fit_start")
    assert per_epoch < 13 < 2 * per_epoch  # the cap falls inside the second epoch
    steps = [m for m in metrics if m["event"] == "step"]
    assert steps[-1]["step"] == 13 and steps[-1]["epoch"] == pytest.approx(13 / per_epoch)
    assert [m["epoch"] for m in metrics if m["event"] == "eval"][-1] == pytest.approx(13 / per_epoch, abs=1e-3)
    assert "(max_steps=13 reached)" in out and "no better validation score" not in out, out
    assert run.status()["step"] == 13


def test_an_imported_dataset_s_name_is_tidied_as_the_page_tidies_it(tmp_path, capsys):
    """--name was stored as given: a terminal escape coloured `data list`, 300 characters were kept."""
    from core.registry import DatasetStore

    path = write_csv(tmp_path / ("x" * 200 + ".csv"), GOOD)  # 255 bytes at most in a file name
    assert main(["data", "import", path, "--id", "long"]) == 0
    assert DatasetStore().info("long").name == "x" * 80
    assert main(["data", "import", path, "--id", "odd", "--name", "red\x1b[31m  news\n"]) == 0
    assert DatasetStore().info("odd").name == "red[31m news"


def test_a_cap_late_in_the_last_epoch_is_told_too(capsys, small_dataset):
    """A cap at 2.78 of 3 epochs rounds to the whole plan: the summary said nothing of why it ended."""
    train_args = [f"--train-set={k}={v}" for k, v in TINY_TRAIN.items() if k not in ("epochs", "patience")]
    code = main(
        ["train", "--dataset", small_dataset, "--encoder", "bow_mlp", "--epochs", "3", "--train-set=max_steps=25"]
        + ["--train-set=min_steps=1", "--run-id", "capped3", *train_args]  # 0 is "auto": 300 steps
    )
    assert code == 0
    assert "stopped after 2.78 of 3 epochs (max_steps=25 reached)" in capsys.readouterr().out


def test_a_mask_past_the_window_is_told_not_answered_with_nothing(capsys, small_dataset):
    """With every [MASK] past the model's 32 tokens, `--fill` printed the text and exited 0."""
    from tests.conftest import tiny_pretraining

    run = tiny_pretraining(small_dataset)
    text = "足球比赛" * 20 + "我很[MASK]欢这本书"
    assert main(["predict", "--run", run.id, "--fill", text]) == 1
    err = capsys.readouterr().err
    assert "every [MASK] here comes after them: move the [MASK] nearer the start" in err
    assert "reads only the first 30 tokens" in err
    assert main(["predict", "--run", run.id, "--fill", "我很[MASK]欢这本书"]) == 0


def test_a_run_stopped_from_elsewhere_ends_the_command_with_a_failing_status(small_dataset):
    """Stopped by `python -m core stop` (or the Train page's Stop), the CLI training exited 0, so
    `train … && predict …` went on with a half-trained model that had no evaluation."""
    import signal
    import threading
    import time

    from core.registry import RunStore
    from core.workers import stop

    stopped = []

    def stop_once_training() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            for run in RunStore().list():
                if run.status().get("state") == "running" and any(m.get("event") == "step" for m in run.metrics()):
                    stopped.append(stop(run))
                    return
            time.sleep(0.1)

    stopper = threading.Thread(target=stop_once_training, daemon=True)
    stopper.start()
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        code = main(["train", "--dataset", small_dataset, "--encoder", "bow_mlp", "--epochs", "400", "--threads", "1",
                     "--quiet"])  # fmt: skip
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    stopper.join(5)
    (run,) = RunStore().list()
    assert stopped == [True] and run.status()["state"] == "stopped"
    assert code == 1


def test_a_bad_processes_value_is_refused_and_leaves_the_run_usable(small_dataset, capsys):
    """`restart --processes -3` wrote -3 into the run's config before anything checked it: the finished run
    then refused predict, export, evaluate and every restart; and `--processes 2` on a baseline threw its
    model away, failed in every rank, and left the 2 behind for the next restart."""
    from core.training.runner import RunConfig, train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "rbf"))
    before = run.config_path.read_bytes()
    with pytest.raises(SystemExit) as exit_:
        main(["restart", "--run", run.id, "--yes", "--processes", "-3"])
    assert exit_.value.code == 2 and "at least 1" in capsys.readouterr().err
    assert main(["restart", "--run", run.id, "--yes", "--processes", "5000", "--quiet"]) == 1
    assert "processes" in capsys.readouterr().err
    assert run.config_path.read_bytes() == before and run.status()["state"] == "done"

    base = train_run(RunConfig.create(small_dataset, "baseline"))
    weights = sorted(p.name for p in base.path.iterdir())
    assert main(["restart", "--run", base.id, "--yes", "--processes", "2", "--quiet"]) == 1
    assert "not trained by gradient steps" in capsys.readouterr().err
    assert sorted(p.name for p in base.path.iterdir()) == weights and base.status()["state"] == "done"
    assert base.config()["train"].get("processes", 1) == 1


def test_an_output_file_in_a_folder_that_does_not_exist_is_refused_before_any_work(small_dataset, tmp_path, capsys):
    """`predict --out /nonexist/dir/x.csv` made the folders, parents and all, and said "wrote …"."""
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    missing = tmp_path / "no-such-folder" / "deeper"
    for args in (
        ["predict", "--run", run.id, "--text", "a text", "--out", str(missing / "p.csv")],
        ["runs", "export", run.id, "--out", str(missing / "r.zip")],
    ):
        with pytest.raises(SystemExit) as exit_:
            main(args)
        assert exit_.value.code == 2 and "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "no-such-folder").exists()
    assert main(["predict", "--run", run.id, "--text", "a text", "--out", str(tmp_path / "p.csv")]) == 0
    assert (tmp_path / "p.csv").is_file()
    # the input file as the output: a workbook was replaced by a CSV of its predictions
    source = tmp_path / "in.csv"
    source.write_text("text\nthe match ended in a draw\nthe soup was cold\n", encoding="utf-8")
    before = source.read_bytes()
    assert main(["predict", "--run", run.id, "--file", str(source), "--out", str(source)]) == 2
    assert "is the input file" in capsys.readouterr().err and source.read_bytes() == before
    # a name that promises another format is refused, not filled with CSV
    assert main(["predict", "--run", run.id, "--file", str(source), "--out", str(tmp_path / "p.xlsx")]) == 2
    assert "--out writes CSV" in capsys.readouterr().err and not (tmp_path / "p.xlsx").exists()


def test_the_epochs_a_minimum_of_steps_adds_are_said_in_the_terminal_and_the_log(capsys, small_dataset):
    """--epochs 1 on a small dataset trained 34 epochs (at least 300 steps when fewer than 200 texts
    validate) and neither the terminal nor log.txt said why; the Train page did."""
    from core.training.defaults import SMALL_DATA_MIN_STEPS

    code = main(
        ["train", "--dataset", small_dataset, "--encoder", "bow_mlp", "--set", "hidden=[16]", "--epochs", "1"]
        + ["--batch-size", "16", "--threads", "1", "--run-id", "short", "--quiet"]
    )
    assert code == 0
    out = capsys.readouterr().out
    run = RunStore().get("short")
    plan = next(m for m in run.metrics() if m["event"] == "fit_start")
    said = (
        f"so the run trains at least {SMALL_DATA_MIN_STEPS} steps first. {plan['train_size']} training texts make "
        f"{plan['steps_per_epoch']} steps an epoch: it trains {plan['epochs']} epochs, not 1."
    )
    assert plan["epochs"] > 1 and said in out and "--train-set min_steps=N" in out, out
    assert out.index(said) < out.index("run short done")  # before training, not after
    assert said in run.log_tail(30)
    assert f"trains at least {SMALL_DATA_MIN_STEPS} optimiser steps" in help_text("train", capsys)
    # a minimum of the run's own (fine-tuning's 150), worded as the Train page words it
    code = main(
        ["train", "--dataset", small_dataset, "--encoder", "bow_mlp", "--set", "hidden=[16]", "--epochs", "1"]
        + ["--batch-size", "16", "--threads", "1", "--run-id", "own", "--quiet", "--train-set", "min_steps=20"]
    )
    assert code == 0
    assert (
        f"so to reach its minimum of 20 steps this run trains {-(-20 // plan['steps_per_epoch'])} epochs, not 1."
        in (capsys.readouterr().out)
    )


def help_text(command: str, capsys) -> str:
    """``python -m core <command> --help`` as one line (argparse wraps lines)."""
    with pytest.raises(SystemExit):
        main([command, "--help"])
    return " ".join(capsys.readouterr().out.split())


def test_a_pretraining_s_time_budget_is_said_in_the_terminal(capsys, small_dataset):
    """ "done in 28.4 s" alone: that the budget of 25 s had ended it at step 139 of 900 was in log.txt only."""
    code = main(
        ["pretrain", "--dataset", small_dataset, "--preset", "tiny", "--set", "max_len=32", "--set", "vocab_size=200"]
        + ["--epochs", "1000", "--time-budget", "2", "--threads", "1", "--run-id", "budgeted", "--quiet"]
    )
    assert code == 0
    out = capsys.readouterr().out
    step = next(m for m in reversed(RunStore().get("budgeted").metrics()) if m["event"] == "fit_end")["step"]
    assert f"(the time budget of 2 s ran out at step {step:,} of " in out, out


def test_progress_in_a_log_file_is_plain_lines(capsys, small_dataset, tmp_path):
    """`train … 2> train.log`: the bar's carriage-return redraws made the log one line of junk."""
    train_args = [f"--train-set={k}={v}" for k, v in TINY_TRAIN.items()]
    code = main(["train", "--dataset", small_dataset, "--encoder", "bow_mlp", "--run-id", "logged", *train_args])
    assert code == 0
    err = capsys.readouterr().err  # captured: not a terminal
    steps = next(m for m in RunStore().get("logged").metrics() if m["event"] == "fit_start")["total_steps"]
    assert "\r" not in err and f"training: step {steps} of {steps}, epoch 2.00" in err, err
    assert "held-out, epoch 1: " in err
    texts = tmp_path / "many.txt"
    texts.write_text("".join(f"football match number {i}\n" for i in range(600)), encoding="utf-8")
    out = tmp_path / "p.csv"
    assert main(["predict", "--run", "logged", "--file", str(texts), "--no-header", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "\r" not in err and "predicting 600 texts" in err, err
    query = DatasetStore().load(small_dataset)["text"].iloc[0]  # words the run's vocabulary knows
    code = main(["search", "--run", "logged", "--collection", small_dataset, "--query", query, "-k", "2"])
    assert code == 0, capsys.readouterr().err
    err = capsys.readouterr().err
    assert "\r" not in err and "building the search index" in err, err


def test_help_says_what_follows_a_time_budget_and_where_the_set_keys_are(capsys):
    """--time-budget promised a map after it, which no CLI run draws (the dashboard's worker does);
    --set and --train-set gave no way to learn their keys."""
    for command in ("train", "pretrain", "finetune"):
        text = help_text(command, capsys)
        assert "the map" not in text and "the evaluation comes after the budget" in text
        assert "the fields under encoder_config in `python -m core runs show <run>`" in text
        assert "the fields under train in `python -m core runs show <run>`" in text
    assert "the fields under encoder_config" in help_text("experiment", capsys)


def test_resume_takes_threads_as_it_takes_processes(capsys, small_dataset):
    """`resume` had no --threads: a run started on every core resumed on every core, on a machine the
    user had meanwhile given to other work."""
    from core.training.runner import execute_run, start_run
    from tests.conftest import tiny_config
    from tests.test_damaged import StopAt

    run = start_run(tiny_config(small_dataset, "bow_mlp"))  # on one thread
    assert execute_run(run, callbacks=[StopAt(2)]) == "stopped"
    capsys.readouterr()
    assert main(["resume", "--run", run.id, "--threads", "2", "--quiet"]) == 0, capsys.readouterr().err
    # its first line says what it does, as train's does
    first = capsys.readouterr().out.splitlines()[0]
    assert first == f"run {run.id}: classify bow_mlp on {small_dataset}, resuming it from its checkpoint", first
    assert run.config()["train"]["threads"] == 2
    starts = [m for m in run.metrics() if m["event"] == "fit_start"]
    assert [m["threads"] for m in starts] == [1, 2]  # the resumed session trained on two
    with pytest.raises(SystemExit):
        main(["resume", "--run", run.id, "--threads", "-1"])


def test_predict_fills_every_fill_it_is_given(capsys, small_dataset):
    """`--fill A --fill B` filled B alone and said nothing of A; --text is repeatable, and so is --fill now."""
    from tests.conftest import tiny_pretraining

    run = tiny_pretraining(small_dataset)
    assert main(["predict", "--run", run.id, "--fill", "我很[MASK]欢", "--fill", "the [MASK] match"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "我很[MASK]欢" and out[1].startswith("  [MASK] #1: ")
    assert out[2] == "the [MASK] match" and out[3].startswith("  [MASK] #1: ") and len(out) == 4


def test_a_finetune_refusal_names_the_options_of_the_command_line(capsys, small_dataset):
    """ "Use freeze_embeddings or freeze_encoder instead": the command line's options are
    --freeze-embeddings and --freeze-encoder (the Train page's form keeps the field names)."""
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    bow = train_run(tiny_config(small_dataset, "bow_mlp"))
    code = main(["finetune", "--from", bow.id, "--dataset", small_dataset, "--freeze-layers", "1", "--quiet"])
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: --freeze-layers 1: run {bow.id} is a bow_mlp run"), err
    assert "Use --freeze-embeddings or --freeze-encoder instead." in err and "freeze_" not in err
    assert main(["finetune", "--from", bow.id, "--dataset", small_dataset, "--encoder-lr-scale", "20"]) == 1
    assert (
        "FinetuneConfig.encoder_lr_scale = 20 is outside" in capsys.readouterr().err
    )  # the field, as named, the value as typed


def test_import_and_list_write_the_splits_as_counts_not_a_dict(tmp_path, capsys):
    """`data import` printed "splits {'train': 210, 'test': 60, 'val': 30}", a Python dict."""
    path = write_csv(tmp_path / "good.csv", GOOD)
    assert main(["data", "import", path, "--id", "good"]) == 0
    counts = DatasetStore().info("good").split_counts
    said = f"train {counts['train']}, val {counts['val']}, test {counts['test']}"
    out = capsys.readouterr().out
    assert f"; splits {said}." in out and "{" not in out, out
    assert main(["data", "list"]) == 0
    assert said in capsys.readouterr().out


def test_import_without_test_texts_does_not_suggest_a_training_that_refuses_it(tmp_path, capsys):
    """`--test 0` saved, then said "Train on it: …", a command that failed for want of test texts."""
    path = write_csv(tmp_path / "good.csv", GOOD)
    assert main(["data", "import", path, "--id", "notest", "--test", "0"]) == 0
    out = capsys.readouterr().out
    assert "Train on it" not in out and "It has no test texts (--test 0)" in out, out
    assert "python -m core pretrain --dataset notest" in out
    assert main(["train", "--dataset", "notest", "--encoder", "bow_mlp", "--quiet"]) == 1  # what it warned of
    assert "no test texts" in capsys.readouterr().err


def test_runs_list_shows_how_long_a_run_cut_off_had_trained(small_dataset, capsys):
    """train_seconds is written when training ends: a run whose process was killed after minutes of
    training was listed with "0.0" seconds, as was one that never started."""
    import time

    from core.training.callbacks import Callback
    from core.training.runner import execute_run, start_run
    from tests.conftest import tiny_config

    class KilledAtFour(Callback):
        def on_step_end(self, trainer, metrics):
            time.sleep(0.1)
            if trainer.step == 4:
                raise KeyboardInterrupt  # nothing is written at the end, as after a kill

    run = start_run(tiny_config(small_dataset, "bow_mlp", epochs=5))
    with pytest.raises(KeyboardInterrupt):
        execute_run(run, callbacks=[KilledAtFour()])
    assert run.status()["state"] == "interrupted" and run.status().get("train_seconds") is None
    never = start_run(tiny_config(small_dataset, "bow_mlp"))  # queued, and no step taken
    capsys.readouterr()
    assert main(["runs", "list"]) == 0
    rows = {line.split()[0]: line.split() for line in capsys.readouterr().out.splitlines()[2:]}
    assert float(rows[run.id][-1]) >= 0.3, rows[run.id]  # four steps of 0.1 s at least
    assert rows[never.id][-1] == "-", rows[never.id]


def test_runs_list_keeps_to_one_dataset_when_asked(small_dataset, capsys):
    """`runs list --dataset` was "unrecognized arguments": a terminal user had every dataset's runs in one table."""
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    ours = train_run(tiny_config(small_dataset, "baseline"))
    theirs = train_run(tiny_config("starter", "baseline"))
    capsys.readouterr()
    assert main(["runs", "list", "--dataset", small_dataset]) == 0
    listed = capsys.readouterr().out
    assert ours.id in listed and theirs.id not in listed
    # a misspelt dataset is an error, as in every other verb, not an empty list with exit code 0
    assert main(["runs", "list", "--dataset", "nothing-here"]) == 1
    assert "No dataset 'nothing-here'" in capsys.readouterr().err
    # a dataset's name works as its id, as train takes it
    from core.registry import DatasetStore

    frame = DatasetStore().load(small_dataset)
    DatasetStore().save(frame, "My News", "test", {"seed": 1}, dataset_id="mynews")
    named = train_run(tiny_config("mynews", "baseline"))
    capsys.readouterr()
    assert main(["runs", "list", "--dataset", "My News"]) == 0
    listed = capsys.readouterr().out
    assert named.id in listed and ours.id not in listed, listed
    DatasetStore().save(frame, "Empty Shelf", "test", {"seed": 1}, dataset_id="shelf")
    assert main(["runs", "list", "--dataset", "Empty Shelf"]) == 0
    assert capsys.readouterr().out.startswith("No runs on dataset shelf in ")


def test_evaluate_gives_the_margin_over_the_baseline_and_whether_it_could_be_chance(small_dataset, capsys):
    """The pages answer "does it beat TF-IDF + LR?" first; `evaluate` printed accuracy alone, and a user at
    the terminal had to evaluate the baseline and subtract."""
    from core.baselines import against_baseline
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    mlp = train_run(tiny_config(small_dataset, "bow_mlp", epochs=2))
    assert main(["evaluate", "--run", mlp.id]) == 0
    assert f"--dataset {small_dataset} --encoder baseline" in capsys.readouterr().out  # none to measure by yet
    base = train_run(tiny_config(small_dataset, "baseline"))
    assert main(["evaluate", "--run", mlp.id]) == 0
    out = capsys.readouterr().out
    gain = 100 * (mlp.eval()["accuracy"] - base.eval()["accuracy"])
    test = against_baseline(mlp, base)
    assert test is not None and test.only_a_right + test.only_b_right + test.both_right + test.both_wrong == 60
    assert f"vs the baseline (TF-IDF + LR, run {base.id}" in out and f"{gain:+.2f} pt" in out
    assert (
        (f"McNemar p = {test.p_value:.4f}" in out or (test.p_value < 0.0001 and "McNemar p < 0.0001" in out))
        and f"{test.only_a_right} test text" in out
        and "right only here" in out
    )
    assert ("could be chance" in out) == (test.p_value >= 0.05)
    assert main(["evaluate", "--run", base.id]) == 0
    assert "vs the baseline" not in capsys.readouterr().out  # the baseline is not measured against itself


@pytest.mark.parametrize(
    "flag, value, said",
    [
        ("--epochs", "-3", "argument --epochs: expected a whole number from 1 to 10,000, got -3"),
        ("--epochs", "20000", "argument --epochs: expected a whole number from 1 to 10,000, got 20000"),
        ("--time-budget", "-5", "argument --time-budget: expected a number of seconds from 0 to 10,000,000, got -5"),
        ("--time-budget", "inf", "argument --time-budget: expected a number of seconds from 0 to 10,000,000"),
        ("--threads", "600", "argument --threads: expected a whole number from 0 to 512, got 600"),
        ("--seed", "x", "argument --seed: expected a whole number, got 'x'"),
    ],
)
def test_a_bad_training_option_is_refused_by_the_name_the_user_typed(studio_home, capsys, flag, value, said):
    """'--epochs -3' was refused as 'TrainConfig.epochs = -3', a name the user never typed."""
    with pytest.raises(SystemExit) as exit_:
        main(["train", "--dataset", "starter", "--encoder", "bow_mlp", flag, value])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert said in err and "TrainConfig" not in err, err


def test_importing_a_built_in_s_name_or_a_folder_says_what_to_do(studio_home, tmp_path, capsys):
    """'data import bbc' said "No file at bbc." and a folder "No file at /data": as if both were missing."""
    assert main(["data", "import", "bbc"]) == 1
    assert "bbc is a built-in dataset: it needs no import; train with --dataset bbc" in capsys.readouterr().err
    assert main(["data", "import", str(tmp_path)]) == 1
    assert f"{tmp_path} is a folder: give one file in it" in capsys.readouterr().err
    assert main(["data", "import", str(tmp_path / "nothing.csv")]) == 1
    err = capsys.readouterr().err
    assert "No file at" in err and "built-in" not in err


def test_the_cli_s_option_ranges_are_train_config_s():
    """The options are checked by argparse against copies of TrainConfig's ranges: they must agree."""
    from core import cli
    from core.training.trainer import TrainConfig

    top = {"epochs": cli.MAX_EPOCHS, "batch_size": cli.MAX_BATCH, "micro_batch_size": cli.MAX_BATCH}
    top |= {"threads": cli.MAX_THREADS, "seed": cli.MAX_SEED, "time_budget_s": cli.MAX_BUDGET_S}
    TrainConfig(**top)  # each maximum is accepted
    for field, value in top.items():
        with pytest.raises(ValueError):
            TrainConfig(**{field: value + 1})  # and one above it refused


def test_import_writes_every_row_it_leaves_out_with_why(tmp_path, capsys, studio_home):
    """The report named five examples of what the import drops; the Data page offered every row as a
    download, the command line nothing: a user fixing 23 conflicting rows could not find them."""
    from core.data import DataLimits, left_out_why

    rows = GOOD + [("same words", "pos"), ("same words", "neg"), ("   ", "pos"), (GOOD[0][0], "pos")]
    path = write_csv(tmp_path / "rows.csv", rows)
    out_path = tmp_path / "left.csv"
    assert main(["data", "import", path, "--id", "rows", "--left-out", str(out_path)]) == 0
    said = capsys.readouterr().out
    assert "4 rows left out, each with its row number and why" in said and "Row numbers are the file's own" in said
    left = pd.read_csv(out_path, encoding="utf-8-sig", keep_default_na=False)
    assert left["row"].tolist() == [26, 27, 28, 29]  # the file's own numbers: the header is row 1
    assert left["why it is left out"].tolist() == [
        left_out_why("conflicting_labels"),
        left_out_why("conflicting_labels"),
        left_out_why("no_text"),
        left_out_why("repeat"),
    ]
    assert "same words" in left["text"].tolist()
    assert DatasetStore().info("rows").rows == len(GOOD)
    assert left_out_why("repeat_after_cut", DataLimits(max_text_chars=12000)).startswith(
        "repeats an earlier row in its first 12,000 characters"
    )


def test_left_out_rows_are_never_written_over_the_file_being_read(tmp_path, capsys, studio_home):
    path = write_csv(tmp_path / "rows.csv", GOOD + [("", "pos")])
    before = (tmp_path / "rows.csv").read_bytes()
    assert main(["data", "import", path, "--id", "rows", "--left-out", path]) == 1
    assert "--left-out " + path + " is the input file: the rows left out would replace it" in capsys.readouterr().err
    assert (tmp_path / "rows.csv").read_bytes() == before
    assert main(["data", "import", path, "--id", "rows", "--left-out", str(tmp_path / "left.xlsx")]) == 1
    assert "End it in .csv" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # a folder that does not exist: said before the file is read
        main(["data", "import", path, "--id", "rows", "--left-out", str(tmp_path / "no" / "left.csv")])
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "taken.csv").mkdir()  # cannot be written: the import stops and says nothing was saved
    assert main(["data", "import", path, "--id", "rows", "--left-out", str(tmp_path / "taken.csv")]) == 1
    err = capsys.readouterr().err
    assert "could not write --left-out" in err and "Nothing was saved" in err
    assert DatasetStore().list() == []


def test_importing_a_file_twice_says_so_as_the_data_page_does(tmp_path, capsys, studio_home):
    """The second import of one file printed a plain "Saved dataset …"; the Data page warns of the name
    and of the same rows, and an id that is another dataset's name took over that name without a word."""
    path = write_csv(tmp_path / "reviews.csv", GOOD)
    assert main(["data", "import", path, "--name", "reviews"]) == 0
    first = DatasetStore().list()[0]
    capsys.readouterr()
    assert main(["data", "import", path, "--name", "reviews"]) == 0
    out = capsys.readouterr().out
    assert f"Note: 1 other dataset is named 'reviews' ({first.id})" in out
    assert f"the same rows, split the same way, as 'reviews' ({first.id})" in out
    # a new version of a labelled file is pointed at --split-from (the Data page keeps those splits by default)
    assert f"import it with --split-from {first.id} instead" in out
    assert main(["data", "import", path, "--name", "reviews", "--split-from", first.id]) == 0
    assert "--split-from" not in capsys.readouterr().out.split("Note:", 1)[-1]
    assert main(["data", "import", path, "--name", "other", "--id", "reviews", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "'reviews' is also the name of" in out and "--dataset reviews now means this dataset" in out
    assert "same rows" not in out  # split otherwise: not the same rows split the same way
    assert main(["data", "import", path, "--id", "reviews"]) == 1
    assert "A dataset with id 'reviews' exists already; pick another id." in capsys.readouterr().err


def test_a_title_refused_leaves_no_run_behind(small_dataset, capsys):
    """`train --name <another run's id> --run-id ghost` was refused, yet left a queued run "ghost", and the
    same command with the name fixed then read "A run with id 'ghost' exists already"."""
    first = ["train", "--dataset", small_dataset, "--encoder", "baseline", "--quiet", "--run-id", "taken"]
    assert main(first) == 0
    clash = ["train", "--dataset", small_dataset, "--encoder", "baseline", "--quiet", "--name", "taken"]
    assert main([*clash, "--run-id", "ghost"]) == 1
    assert "'taken' is another run's id" in capsys.readouterr().err
    assert "ghost" not in {run.id for run in RunStore().list()}
    fixed = ["train", "--dataset", small_dataset, "--encoder", "baseline", "--quiet", "--name", "second try"]
    assert main([*fixed, "--run-id", "ghost"]) == 0
    assert RunStore().get("ghost").status()["state"] == "done"


def test_out_writes_through_a_link_and_into_a_pipe(small_dataset, tmp_path, capsys):
    """--out replaced a symbolic link with a file of its own (the file it pointed at kept its old text),
    replaced a named pipe (its reader waited for ever), and failed in /dev/fd ("--out >(gzip > x)")."""
    import contextlib
    import os
    import threading

    from core.training.runner import RunConfig, train_run

    run = train_run(RunConfig.create(small_dataset, "baseline"))
    real, link = tmp_path / "real.csv", tmp_path / "link.csv"
    real.write_text("old\n")
    link.symlink_to(real)
    assert main(["predict", "--run", run.id, "--text", "a late goal", "--out", str(link)]) == 0
    assert link.is_symlink() and "a late goal" in real.read_text(encoding="utf-8-sig")
    pipe, got = tmp_path / "pipe.csv", []
    os.mkfifo(pipe)
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()), daemon=True)
    reader.start()
    try:
        assert main(["predict", "--run", run.id, "--text", "a late goal", "--out", str(pipe)]) == 0
    finally:  # a pipe replaced by a file leaves the reader waiting: open its other end, so it fails, not hangs
        if reader.is_alive() and pipe.exists() and not pipe.is_file():
            with contextlib.suppress(OSError):
                os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=30)
    assert not reader.is_alive() and b"a late goal" in got[0]
    assert pipe.exists() and not pipe.is_file()  # still the pipe
    export_link = tmp_path / "model.zip"
    export_link.symlink_to(tmp_path / "target.zip")
    assert main(["runs", "export", run.id, "--out", str(export_link)]) == 0
    assert export_link.is_symlink() and (tmp_path / "target.zip").stat().st_size > 0
    # a link into a folder that is not there is refused as a missing folder is (it was made), and a loop
    # of links in words, before the model runs
    (tmp_path / "dangling.csv").symlink_to(tmp_path / "typo-folder" / "out.csv")
    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    for target, said in (("dangling.csv", "does not exist"), ("a.csv", "leads round in a loop")):
        with pytest.raises(SystemExit) as exit_:
            main(["predict", "--run", run.id, "--text", "a late goal", "--out", str(tmp_path / target)])
        assert exit_.value.code == 2 and said in capsys.readouterr().err
    assert not (tmp_path / "typo-folder").exists()


def test_a_file_read_from_a_pipe(small_dataset, tmp_path, capsys):
    """`predict --file <(…)` and `--file -` said "No file at /dev/fd/63" of a path that was there (a pipe),
    and a pipe has no ending to tell its format."""
    import contextlib
    import os
    import threading

    from core.data import piped_format
    from core.training.runner import RunConfig, train_run

    run = train_run(RunConfig.create(small_dataset, "baseline"))

    def through_a_pipe(data: bytes, args: list[str]) -> int:
        pipe = tmp_path / f"pipe{len(list(tmp_path.iterdir()))}"
        os.mkfifo(pipe)
        writer = threading.Thread(target=lambda: pipe.write_bytes(data), daemon=True)
        writer.start()
        try:
            return main([*args, str(pipe)])
        finally:  # the pipe never read: open its other end, so the writer fails instead of hanging the run
            if writer.is_alive():
                with contextlib.suppress(OSError):
                    os.close(os.open(pipe, os.O_RDONLY | os.O_NONBLOCK))
            writer.join(timeout=30)

    assert through_a_pipe(b"football match tonight\nnew phone, released\n", ["predict", "--run", run.id, "--file"]) == 0
    out = capsys.readouterr().out
    assert "football match tonight" in out and "new phone, released" in out  # one text a line: commas and all
    table = "text,label\n" + "".join(
        f"football match number {i},sports\npasta recipe number {i},food\n" for i in range(20)
    )
    assert through_a_pipe(table.encode(), ["data", "validate"]) == 0, capsys.readouterr()
    assert "40 rows" in capsys.readouterr().out
    assert [piped_format(d) for d in (b"a\tb\n", b"text\nx\n", b'{"text": 1}\n', b"PK\x03\x04", b"one text\n")] == [
        "tsv",
        "csv",
        "jsonl",
        "xlsx",
        "txt",
    ]
    # texts with commas, brackets or braces are texts, one a line; a header the studio knows is a table's
    texts = {
        b"Yesterday, the team won the match, and the fans, as usual, sang all night\n" * 3: "txt",
        b"new phone, released today\nfootball match tonight\n": "txt",
        b"[Update] new phone released\nanother line\n": "txt",
        "{美食} 这家店的面很好吃\n".encode(): "txt",
        "内容\n手机很好\n".encode(): "csv",
        "text\nfoo\n".encode("utf-16"): "csv",
        b'[{"text": "a"}]': "jsonl",
        b"text,label\nfootball match tonight,sports\npasta recipe,food\n": "csv",
    }
    assert {data: piped_format(data) for data in texts} == texts
    assert piped_format(b"football tonight;sports\n", table=True) == "csv"  # --separator given: a table
    # a pipe is read to one byte past the size limit, then refused as too large, in words
    from core.data import DataError, DataLimits, load_file

    pipe = tmp_path / "big"
    os.mkfifo(pipe)

    def write_more_than_the_limit() -> None:
        with contextlib.suppress(BrokenPipeError):  # the reader stops one byte past the limit
            pipe.write_bytes(b"a text\n" * 300_000)

    writer = threading.Thread(target=write_more_than_the_limit, daemon=True)
    writer.start()
    with pytest.raises(DataError, match=r"The input is more than 1(\.0)? MB, the limit"):
        load_file(pipe, limits=DataLimits(max_file_mb=1))
    with contextlib.suppress(OSError):  # the writer blocked on a pipe nobody reads any more
        os.close(os.open(pipe, os.O_RDONLY | os.O_NONBLOCK))


def test_standard_input_and_output_stand_for_files(small_dataset, tmp_path):
    """`--file - < in.csv` read "Unsupported file type '.' (stdin)"; `--out /dev/stdout >> all.csv` reopened
    the file, wrote from its start over the lines already there, and "wrote 2 predictions" overwrote the
    CSV's header."""
    import subprocess
    import sys
    from pathlib import Path

    from core.training.runner import RunConfig, train_run

    run = train_run(RunConfig.create(small_dataset, "baseline"))
    (tmp_path / "in.csv").write_text("text\nfootball match tonight\npasta recipe with garlic\n")
    (tmp_path / "all.csv").write_text("earlier line\n")
    command = f"'{sys.executable}' -m core predict --run {run.id} --file - --out /dev/stdout < in.csv >> all.csv"
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(command, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    written = (tmp_path / "all.csv").read_text(encoding="utf-8")
    assert written.startswith("earlier line\n"), written  # appended, as >> asks
    lines = written.splitlines()
    assert lines[1].lstrip("\ufeff").startswith("text,prediction") and len(lines) == 4, lines
    assert "wrote 2 predictions" in done.stderr and "wrote" not in written


def test_a_dataset_named_as_a_built_in_is_told_how_to_pick_it(tmp_path, capsys, studio_home):
    """`data import f.csv --name bbc` exited 0, and `train --dataset bbc` then trained on the built-in BBC
    set, not on the file; and a name with a space was suggested unquoted ("--dataset 中文 评论 works too")."""
    path = write_csv(tmp_path / "reviews.csv", GOOD)
    assert main(["data", "import", path, "--name", "bbc"]) == 0
    (saved,) = DatasetStore().list()
    assert f"Note: --dataset bbc means the built-in bbc dataset, not this one; give --dataset {saved.id}" in (
        capsys.readouterr().out
    )
    assert main(["data", "import", path, "--name", "中文 评论"]) == 0
    assert "(--dataset '中文 评论' works too" in capsys.readouterr().out


def test_a_text_column_that_is_not_there_is_said_without_a_contradicting_summary(tmp_path, capsys, studio_home):
    """`--text-col txt` printed "0 rows read, no label column; 0 usable." above "There is no text column
    'txt'; the file has ['text', 'label']": the file has a label column, and rows."""
    path = write_csv(tmp_path / "reviews.csv", GOOD)
    assert main(["data", "validate", path, "--text-col", "txt"]) == 1
    said = capsys.readouterr()
    out = said.out + said.err
    assert "There is no text column 'txt'; the file has ['text', 'label']" in out
    assert "rows read" not in out and "no label column" not in out


def test_a_label_share_out_of_range_is_a_usage_error_named_by_its_flag(capsys, studio_home):
    """`--label-fraction 1.5` exited 1 with "label_fraction must be in (0, 1]" (the config's field), where
    `--epochs 0` exits 2 naming its flag."""
    for share in ("1.5", "0", "nan"):
        with pytest.raises(SystemExit) as exit_:
            main(["train", "--dataset", "starter", "--encoder", "baseline", "--label-fraction", share])
        assert exit_.value.code == 2
        assert "argument --label-fraction" in capsys.readouterr().err


def test_a_terminal_that_cannot_write_chinese_is_told_how_to(small_dataset, monkeypatch, capsys):
    """On a cp1252 console, a Chinese prediction ended "error: 'charmap' codec can't encode character…"."""
    import io
    import sys

    from core.training.runner import RunConfig, train_run

    run = train_run(RunConfig.create(small_dataset, "baseline"))
    capsys.readouterr()
    console = io.TextIOWrapper(io.BytesIO(), encoding="cp1252")
    monkeypatch.setattr(sys, "stdout", console)
    assert main(["predict", "--run", run.id, "--text", "我很喜欢这本书"]) == 1
    err = capsys.readouterr().err
    assert "encoding (cp1252) cannot write" in err and "PYTHONUTF8=1" in err, err


def test_finetune_scratch_trains_the_fine_tunes_twin_from_random_weights(capsys, small_dataset):
    """The README's twin, `train --vocab-from <pretraining>`, shared the vocabulary alone: a plain
    Transformer at lr 1e-3 beside the fine-tune's wide one at 3e-4, and a user read +14 pt of transfer
    where the real twin was 2 pt better than the fine-tune. `finetune --scratch` differs from the
    fine-tune only in its starting weights."""
    from core.registry import RunStore
    from tests.conftest import tiny_pretraining

    pre = tiny_pretraining(small_dataset)
    common = ["--from", pre.id, "--dataset", small_dataset, "--epochs", "1", "--train-set", "max_steps=2", "--quiet"]
    assert main(["finetune", *common, "--run-id", "tuned"]) == 0
    assert main(["finetune", *common, "--scratch", "--run-id", "twin"]) == 0
    tuned, twin = RunStore().get("tuned").config(), RunStore().get("twin").config()
    assert (tuned["task"], twin["task"]) == ("finetune", "classify")
    assert twin["vocab_run"] == pre.id and not twin.get("source_run")  # its vocabulary, not its weights
    assert twin["encoder_config"] == tuned["encoder_config"] and twin["encoder_config"]["wide"] is True
    assert twin["train"] == tuned["train"]  # the fine-tuning's lr and minimum of steps too
    assert RunStore().get("twin").status()["state"] == "done"
    capsys.readouterr()
    # nothing to freeze in random weights: a usage error, before any run exists
    assert main(["finetune", *common, "--scratch", "--freeze-layers", "1", "--run-id", "frozen"]) == 2
    assert "--scratch trains from random weights" in capsys.readouterr().err
    # a shape the fine-tune would refuse is refused for its twin too (it would be no twin)
    assert main(["finetune", *common, "--scratch", "--set", "n_layers=1", "--run-id", "thin"]) == 1
    assert "n_layers=1" in capsys.readouterr().err
    assert not {"frozen", "thin"} & {run.id for run in RunStore().list()}


def test_finetune_scratch_of_a_bag_keeps_nested_settings_and_says_nothing_of_fine_tuning(capsys, small_dataset):
    """A nested --set (featurizer.min_df) was merged shallowly into the twin, which lost the source's
    featuriser settings; and the twin printed the fine-tune's warnings (its test score "will flatter it",
    "fine-tuning keeps little of what it learned") though it loads no weights."""
    from core.registry import RunStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    bag = train_run(tiny_config(small_dataset, "bow_mlp"))
    common = ["--from", bag.id, "--dataset", small_dataset, "--epochs", "1", "--set", "featurizer.min_df=1", "--quiet"]
    assert main(["finetune", *common, "--run-id", "tuned"]) == 0
    capsys.readouterr()
    assert main(["finetune", *common, "--scratch", "--run-id", "twin"]) == 0
    assert "warning:" not in capsys.readouterr().err
    tuned, twin = RunStore().get("tuned").config(), RunStore().get("twin").config()
    assert twin["encoder_config"] == tuned["encoder_config"] and twin["train"] == tuned["train"]
    assert twin["encoder_config"]["featurizer"]["min_df"] == 1


def test_a_file_imported_again_with_fixed_labels_keeps_its_test_texts(tmp_path, capsys, studio_home):
    """A file imported again after its labels were fixed was split afresh: one label changed moved 84 of 425
    test texts, sorting the rows moved 347, and before and after were scored on other texts."""
    rows = [(f"note {i} about the weather", "a" if i % 2 else "b") for i in range(120)]
    assert main(["data", "import", write_csv(tmp_path / "noisy.csv", rows), "--id", "noisy"]) == 0
    before = DatasetStore().load("noisy").set_index("text")["split"]
    fixed = [(text, "a" if label == "b" and i < 10 else label) for i, (text, label) in enumerate(rows)][::-1]
    fixed += [(f"a new note {i}", "a" if i % 2 else "b") for i in range(20)]
    path = write_csv(tmp_path / "fixed.csv", fixed)
    assert main(["data", "import", path, "--id", "plain"]) == 0  # without: the usual split, reshuffled
    assert (DatasetStore().load("plain").set_index("text")["split"].reindex(before.index) != before).any()
    capsys.readouterr()
    assert main(["data", "import", path, "--id", "fixed", "--split-from", "noisy"]) == 0
    out = capsys.readouterr().out
    assert (
        "120 of its 140 texts are in dataset 'noisy' and kept their split there; the other 20 were split anew "
        "(the shares apply to them)." in out
    )
    assert DatasetStore().info("fixed").split["kept_from"] == "noisy"  # which dataset it is a new version of
    after = DatasetStore().load("fixed").set_index("text")["split"]
    assert (after.reindex(before.index) == before).all()  # every old text where it was, labels fixed or not
    assert set(after[after.index.str.startswith("a new note")]) == {"train", "val", "test"}
    assert main(["data", "import", path, "--id", "nowhere", "--split-from", "no-such-dataset"]) == 1
    assert "--split-from no-such-dataset" in capsys.readouterr().err
    # an unlabelled dataset's splits are not a labelled one's (its test share defaults to none)
    texts = tmp_path / "texts.txt"
    texts.write_text("\n".join(text for text, _ in rows), encoding="utf-8")
    assert main(["data", "import", str(texts), "--unlabelled", "--test", "0", "--id", "bare"]) == 0
    assert main(["data", "import", path, "--id", "onbare", "--split-from", "bare"]) == 1
    assert "that dataset is unlabelled" in capsys.readouterr().err
    assert "onbare" not in {d.id for d in DatasetStore().list()}


def test_train_like_starts_from_a_saved_run_and_the_options_beside_it_change_it(small_dataset, capsys):
    """A reproducibility audit rebuilt a run from its config.json as 37 --set flags by hand."""
    import numpy as np
    from safetensors.numpy import load_file

    from core.registry import RunStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config, tiny_pretraining

    first = train_run(tiny_config(small_dataset, "bow_mlp", epochs=2, seed=4))
    assert main(["train", "--like", first.id, "--run-id", "again", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert f"settings of run {first.id}\n" in out and f"note: this repeats run {first.id} with its seed (4)" in out
    again = RunStore().get("again")
    mine, theirs = first.config(), again.config()
    assert theirs["encoder_config"] == mine["encoder_config"] and theirs["train"] == mine["train"]
    a, b = load_file(str(first.model_path)), load_file(str(again.model_path))
    assert a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)  # one thread: the same weights

    assert (
        main(["train", "--like", first.id, "--seed", "5", "--set", "hidden=[16]", "--run-id", "other", "--quiet"]) == 0
    )
    out = capsys.readouterr().out
    assert "changed by the options given" in out and "repeats" not in out
    other = RunStore().get("other").config()
    assert other["train"] == {**mine["train"], "seed": 5} and other["encoder_config"]["hidden"] == [16]

    # another preset brings its own sizes: the saved config holds the first preset's filled in
    tiny = train_run(tiny_config(small_dataset, "transformer", epochs=1))
    assert main(["train", "--like", tiny.id, "--preset", "small", "--train-set", "max_steps=1", "--run-id", "big"]) == 0
    capsys.readouterr()
    from core.encoders.transformer import PRESETS

    assert RunStore().get("big").config()["encoder_config"]["d_model"] == PRESETS["small"][0]

    assert main(["train", "--like", first.id, "--encoder", "rbf"]) == 2
    assert "--like keeps its encoder" in capsys.readouterr().err
    pretraining = tiny_pretraining(small_dataset)
    assert main(["train", "--like", pretraining.id]) == 2
    assert f"python -m core pretrain --dataset {small_dataset}" in capsys.readouterr().err
    assert main(["train", "--encoder", "rbf"]) == 2
    assert "give --dataset (or --like RUN" in capsys.readouterr().err


def test_long_names_are_cut_in_the_lists_and_ids_never(small_dataset, capsys):
    """A 78-character title made every row of `runs list` 245 columns wide; a Chinese name takes two columns
    a character, and the cut counts them so."""
    from core.cli import NAME_COLUMNS, _clipped, _width
    from core.names import name_run
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "baseline"))
    title = "wide first layer, a much longer descriptive name than any list has room for"
    name_run(run, title=title)
    assert main(["runs", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    (row,) = [line for line in lines if line.startswith(run.id)]  # the id whole, first
    assert title not in row and title[:20] in row and "…" in row
    assert max(_width(line) for line in lines) < 150
    cut = _clipped("中文新闻数据集" * 10)
    assert _width(cut) <= NAME_COLUMNS and cut.endswith("…")
    assert _clipped("short name") == "short name"


def test_the_encoding_and_row_limit_options_reach_the_reader(tmp_path, capsys, studio_home):
    """--encoding and --max-rows were tested only through the Python functions: a slip in the command's
    wiring would show only to the user who passed them."""
    rows = [(f"café numéro {i} très bon", "pos") for i in range(12)] + [(f"thé {i} mauvais", "neg") for i in range(12)]
    path = write_csv(tmp_path / "accents.csv", rows)
    assert main(["data", "import", path, "--max-rows", "10", "--id", "capped"]) == 1
    assert "more than 10 rows; the limit is 10" in capsys.readouterr().err
    assert DatasetStore().list() == []
    assert main(["data", "import", path, "--encoding", "latin-1", "--id", "forced"]) == 0  # the wrong one, on purpose
    capsys.readouterr()
    assert DatasetStore().load("forced")["text"].str.contains("Ã©").all()  # read as told, not as detected
    assert main(["data", "import", path, "--id", "detected"]) == 0
    detected = DatasetStore().load("detected")["text"]
    assert detected.str.contains("é").all() and not detected.str.contains("Ã").any()


def test_workers_says_when_none_are_running(studio_home, capsys):
    assert main(["workers"]) == 0
    assert capsys.readouterr().out.strip() == "No worker processes are running."


def test_the_command_line_defaults_are_the_configs_defaults():
    """The parser writes the configs' defaults out (importing them would load pandas or torch for every
    --help): a default changed in one place and not the other would make the CLI and the pages differ."""
    import dataclasses

    from core.cli import build_parser
    from core.data import DataLimits, SplitConfig
    from core.experiments import LabelEfficiencyConfig
    from core.training.runner import FinetuneConfig

    parser = build_parser()
    data = parser.parse_args(["data", "import", "file.csv"])
    split = SplitConfig()
    assert (data.val, data.seed, data.max_rows) == (split.val_fraction, split.seed, DataLimits().max_rows)
    assert data.test is None  # SplitConfig.default_for decides once the file says whether it is labelled
    assert SplitConfig.default_for(True) == split and SplitConfig.default_for(False).test_fraction == 0
    experiment = parser.parse_args(["experiment", "label-efficiency", "--dataset", "x"])
    ours = LabelEfficiencyConfig(dataset="x")
    for name in ("seeds", "preset", "pretrain_epochs", "steps", "lr", "batch_size", "threads"):
        assert getattr(experiment, name) == getattr(ours, name), name
    assert tuple(float(f) for f in experiment.fractions.split(",")) == ours.fractions
    finetune = parser.parse_args(["finetune", "--from", "r", "--dataset", "x"])
    for field in dataclasses.fields(FinetuneConfig):
        assert getattr(finetune, field.name) == field.default, field.name


def test_an_unlabelled_import_keeps_no_test_share_unless_asked(tmp_path, capsys, studio_home):
    """The Data page saved unlabelled texts with no test share and the command line with 0.2 of them."""
    path = write_csv(tmp_path / "notes.csv", [(f"note {i} about the weather today", "abc"[i % 3]) for i in range(40)])
    assert main(["data", "import", path, "--unlabelled", "--id", "notes"]) == 0
    assert not DatasetStore().info("notes").split_counts.get("test")
    assert main(["data", "import", path, "--unlabelled", "--test", "0.25", "--id", "tested"]) == 0
    assert DatasetStore().info("tested").split_counts.get("test") == 10
    assert main(["data", "import", path, "--id", "labelled"]) == 0
    assert DatasetStore().info("labelled").split_counts.get("test") >= 6


def test_runs_list_filters_by_tag_speaks_json_and_delete_takes_several_runs_all_or_none(small_dataset, capsys):
    """With 105 runs: 'runs list --tag keep' listed every run; its table, split on spaces by awk, picked the
    runs titled "keep: demo for Monday" for deletion; and 'runs delete A B' was "unrecognized arguments"."""
    from core.training.runner import RunConfig, train_run
    from tests.conftest import tiny_config

    kept = train_run(tiny_config(small_dataset, "bow_mlp"))
    other = train_run(tiny_config(small_dataset, "bow_mlp"))
    base = train_run(RunConfig.create(small_dataset, "baseline"))
    assert main(["runs", "name", kept.id, "--title", "keep: demo for Monday", "--tag", "keep"]) == 0
    capsys.readouterr()
    assert main(["runs", "list", "--tag", "keep"]) == 0
    listed = capsys.readouterr().out
    assert kept.id in listed and other.id not in listed and base.id not in listed
    assert main(["runs", "list", "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {r["run"] for r in records} == {kept.id, other.id, base.id}
    mine = next(r for r in records if r["run"] == kept.id)
    assert (
        mine["title"] == "keep: demo for Monday"
        and mine["tags"] == ["keep"]
        and mine["accuracy"] == kept.eval()["accuracy"]
    )
    assert main(["runs", "list", "--title", "x"]) == 2  # an option list does not use is refused, not ignored
    assert "takes --dataset, --tag and --json" in capsys.readouterr().err
    assert main(["runs", "list", "keep"]) == 2  # a word where --tag was meant: said so, not "No run 'keep'"
    assert "takes --dataset, --tag and --json, not keep" in capsys.readouterr().err
    # several at once, all or none: a member of an ensemble left out of the list refuses them all
    ensemble = train_run(RunConfig.create(small_dataset, "ensemble", {"members": [other.id, base.id]}))
    assert main(["runs", "delete", other.id, kept.id, "--yes"]) == 1
    assert "Nothing was deleted" in capsys.readouterr().err and other.path.is_dir() and kept.path.is_dir()
    assert main(["runs", "delete", other.id, kept.id]) == 1  # refused before the question
    assert main(["runs", "delete", ensemble.id, other.id, kept.id]) == 2  # asked first
    assert ensemble.path.is_dir()
    leftover = RunStore().root / "left-over"  # a folder without a config, as a kill can leave: by id, anywhere
    leftover.mkdir()
    assert main(["runs", "delete", ensemble.id, other.id, "keep: demo for Monday", "left-over", "--yes"]) == 0
    assert not leftover.exists()
    assert not ensemble.path.exists() and not other.path.exists() and not kept.path.exists() and base.path.is_dir()
    assert main(["runs", "show", base.id, other.id]) == 2  # several runs are for delete only


def test_runs_list_marks_runs_whose_dataset_was_deleted(small_dataset, capsys):
    """ "Its runs are kept; the app's pages no longer show them": runs list then gave the deleted dataset's id
    as if it were there."""
    import json

    from core.training.runner import RunConfig, train_run

    run = train_run(RunConfig.create(small_dataset, "baseline"))
    assert main(["runs", "list"]) == 0
    assert f"{small_dataset} (deleted)" not in capsys.readouterr().out
    assert main(["data", "delete", "--dataset", small_dataset, "--yes"]) == 0
    capsys.readouterr()
    assert main(["runs", "list"]) == 0
    (line,) = [line for line in capsys.readouterr().out.splitlines() if line.startswith(run.id)]
    assert f"{small_dataset} (deleted)" in line
    assert main(["runs", "list", "--json"]) == 0
    (record,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert record["dataset"] == small_dataset and record["dataset_deleted"] is True
    assert record["macro_f1"] == run.eval()["macro_f1"]  # to pick the best by it without an evaluate a run


def test_predict_takes_its_texts_after_the_options_too(small_dataset, capsys):
    """`predict --run X "some text"` was refused with the top-level usage and "unrecognized arguments"."""
    from core.training.runner import RunConfig, train_run

    run = train_run(RunConfig.create(small_dataset, "baseline"))
    assert main(["predict", "--run", run.id, "足球比赛很精彩"]) == 0
    by_position = capsys.readouterr().out
    assert main(["predict", "--run", run.id, "--text", "足球比赛很精彩"]) == 0
    assert by_position == capsys.readouterr().out and by_position.startswith("足球比赛很精彩")
    assert main(["predict", "--run", run.id, "--text", "一", "二"]) == 0  # both, in order
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "一" and "二" in lines


def test_mistakes_and_search_results_name_each_texts_row_in_the_imported_file(tmp_path, capsys):
    """A label fixer finds each mistake in the file: its row there, through the import, training, the run's
    own mistakes, scoring on another dataset and search (the built-in, with no file, keeps none)."""
    import random

    from core.cli import main
    from core.crosseval import score_on_dataset
    from core.data import FILE_ROW
    from core.registry import DatasetStore, RunStore
    from core.search import load_collection

    rng = random.Random(3)
    words = ["river", "stone", "cloud", "maple", "lantern", "harbor", "violet", "copper", "meadow", "falcon"]
    lines = ["text,label", '"a first text\nthat spans two lines",a', ",b"]  # a cell of two lines; a row with no text
    for i in range(160):  # labels by chance: a model gets many of them wrong
        lines.append(f"{' '.join(rng.sample(words, 3))} number {i},{rng.choice('ab')}")
    path = tmp_path / "noisy.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    file_lines = path.read_text(encoding="utf-8").splitlines()

    assert main(["data", "import", str(path), "--id", "noisy", "--name", "noisy"]) == 0
    stored = DatasetStore().load("noisy")
    assert stored[FILE_ROW].tolist()[:2] == [2, 5]  # the two-line cell starts on line 2; line 4 had no text
    for text, row in zip(stored["text"], stored[FILE_ROW], strict=True):
        assert file_lines[row - 1].lstrip('"').startswith(text.split("\n")[0]), (row, text)
    # the digest is the rows', as before the row numbers were kept: the same file reads as the same
    without = DatasetStore().save(stored.drop(columns=[FILE_ROW]), "copy", "test", {}, dataset_id="copy")
    assert without.sha256 == DatasetStore().info("noisy").sha256
    assert FILE_ROW not in DatasetStore().load("copy").columns

    assert main(["train", "--dataset", "noisy", "--encoder", "baseline"]) == 0
    run = RunStore().list()[0]
    out = tmp_path / "mistakes.csv"
    capsys.readouterr()
    assert main(["evaluate", "--run", run.id, "--mistakes", str(out)]) == 0
    assert "mistake(s) on the test split" in capsys.readouterr().err
    mistakes = pd.read_csv(out, encoding="utf-8-sig")
    assert list(mistakes.columns) == ["row", "text", "label", "pred", "confidence"]
    assert len(mistakes) == run.eval()["n"] - round(run.eval()["accuracy"] * run.eval()["n"]) > 0
    for row in mistakes.itertuples():
        first = row.text.split("\n")[0]  # a cell of two lines starts on the row's line, in quotes
        assert file_lines[row.row - 1] in (f"{row.text},{row.label}", f'"{first}'), (row.row, row.text)

    scored = score_on_dataset(run, "noisy", part="all")
    assert scored["mistakes"]
    assert all(file_lines[m[FILE_ROW] - 1].lstrip('"').startswith(m["text"][:12]) for m in scored["mistakes"])

    collection = load_collection("noisy")
    assert collection.frame[FILE_ROW].tolist() == stored[FILE_ROW].tolist()
    capsys.readouterr()
    assert main(["search", "--run", run.id, "--collection", "noisy", "--query", "river stone", "-k", "3"]) == 0
    results = json.loads(capsys.readouterr().out)["results"]
    assert len(results) == 3 and all(file_lines[r["row"] - 1].lstrip('"').startswith(r["text"][:12]) for r in results)

    assert main(["evaluate", "--run", run.id, "--split", "all"]) == 2  # --split is the other dataset's part
    DatasetStore().ensure_builtin("starter")
    assert FILE_ROW not in DatasetStore().load("starter").columns


def test_train_like_and_ensemble_members_take_a_runs_name(small_dataset, capsys):
    """The README says a run's name works wherever its id does: --like "wide first layer" was "not a valid
    run id", and members=name "neither a family nor a saved run"."""
    from core.registry import RunStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    first = train_run(tiny_config(small_dataset, "bow_mlp", epochs=1))
    assert main(["runs", "name", first.id, "--title", "wide first layer"]) == 0
    assert main(["train", "--like", "wide first layer", "--run-id", "by-name", "--quiet"]) == 0
    assert RunStore().get("by-name").config()["encoder_config"] == first.config()["encoder_config"]
    capsys.readouterr()
    command = ["train", "--dataset", small_dataset, "--encoder", "ensemble", "--quiet"]
    assert main([*command, "--set", "members=wide first layer,baseline", "--run-id", "both"]) == 0
    assert list(RunStore().get("both").config()["encoder_config"]["members"])[0] == first.id
    assert main([*command, "--set", "members=no such run,baseline"]) == 1
    assert "'no such run' is neither a family" in capsys.readouterr().err


def test_evaluate_says_how_rough_a_score_on_few_test_texts_is(small_dataset, capsys):
    from core.evaluation import accuracy_range
    from core.training.runner import RunConfig, train_run

    run = train_run(RunConfig.create(small_dataset, "baseline"))
    report = run.eval()
    assert report["n"] < 100
    capsys.readouterr()
    assert main(["evaluate", "--run", run.id]) == 0
    low, high = accuracy_range(report["accuracy"], report["n"])
    assert (
        f"note: only {report['n']} test texts: one more right or wrong moves accuracy by {100 / report['n']:.1f} pt; "
        f"the accuracy could well be anywhere from {low:.0%} to {high:.0%} (95% range)." in capsys.readouterr().out
    )


def test_data_import_says_when_the_classes_are_too_small_to_learn_much(tmp_path, capsys):
    """12 labelled rows read "No problems found" on the command line; the Data page said they were too few."""
    path = tmp_path / "tiny.csv"
    path.write_text("text,label\n" + "".join(f"text number {i} about {c},{c}\n" for c in "abc" for i in range(4)))
    assert main(["data", "import", str(path), "--id", "tiny"]) == 0
    out = capsys.readouterr().out
    assert "- NOTE: The smallest class has 4 example(s): enough to try the studio, too few" in out
    big = tmp_path / "big.csv"
    big.write_text("text,label\n" + "".join(f"text number {i} about {c},{c}\n" for c in "ab" for i in range(60)))
    assert main(["data", "import", str(big), "--id", "big"]) == 0
    assert "The smallest class has" not in capsys.readouterr().out


def test_restarting_a_run_in_the_queue_is_refused_before_it_is_announced(small_dataset, capsys):
    """``restart --yes`` on a live run printed "restarting it from scratch", then refused it."""
    from core.training.runner import start_run
    from core.workers import stop
    from tests.conftest import tiny_config

    queued = start_run(tiny_config(small_dataset, "bow_mlp", epochs=300, patience=0))  # a worker's, for a while
    assert queued.status()["state"] in ("queued", "running")
    capsys.readouterr()
    for command in (["restart", "--run", queued.id, "--yes"], ["resume", "--run", queued.id]):
        assert main(command) == 1
        out, err = capsys.readouterr()
        assert "restarting" not in out and "resuming" not in out and "stop it first" in err, (out, err)
    stop(queued)


def test_predict_cuts_a_long_text_it_echoes_and_says_what_the_model_left_unread(small_dataset, capsys):
    """A 5,000-character stack trace was echoed whole above its answer, and nothing said that a Transformer
    read only its first tokens (the Playground says so)."""
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "transformer", epochs=1))
    trace = "java.lang.IllegalStateException: pool exhausted at com.example.Pool.take(Pool.java:42) " * 60
    capsys.readouterr()
    assert main(["predict", "--run", run.id, "--text", trace]) == 0
    out, err = capsys.readouterr()
    first = out.splitlines()[0]
    assert len(first) < 250 and first.endswith(f"… ({len(trace):,} characters)"), first
    assert "note: the model reads only its first 30 tokens" in err and "plays no part in the answer" in err
    assert main(["predict", "--run", run.id, "--text", "the match ended"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == "the match ended" and "reads only" not in err


def test_predict_reads_a_new_file_as_the_run_was_trained_on_joined_columns(tmp_path, capsys):
    """A run trained on subject + body was given the guessed body alone by predict --file: on a survey of five
    answers joined, 91% agreement instead of 100%, and 19 rows left blank, without a word."""
    from core.inference import columns_as_trained

    rows = [(f"invoice {i}", f"please send the bill number {i}", "billing") for i in range(30)]
    rows += [(f"login {i}", f"the password does not work on try {i}", "account") for i in range(30)]
    header = "subject,body,category\n"
    (tmp_path / "crm.csv").write_text(header + "".join(f"{s},{b},{c}\n" for s, b, c in rows))
    command = [
        "data",
        "import",
        str(tmp_path / "crm.csv"),
        "--id",
        "crm",
        "--text-col",
        "subject",
        "--text-col",
        "body",
    ]
    assert main(command) == 0
    assert main(["train", "--dataset", "crm", "--encoder", "baseline", "--run-id", "joined"]) == 0
    new = "id,body,subject\n" + "".join(f"{i},{b},{s}\n" for i, (s, b, _) in enumerate(rows[:6]))  # another order
    (tmp_path / "new.csv").write_text(new)
    capsys.readouterr()
    assert main(["predict", "--run", "joined", "--file", str(tmp_path / "new.csv")]) == 0
    err = capsys.readouterr().err
    assert "classifying columns 'subject' + 'body' (joined) of new.csv" in err and "note:" not in err, err
    (tmp_path / "bodies.csv").write_text("id,body\n" + "".join(f"{i},{b}\n" for i, (_, b, _) in enumerate(rows[:6])))
    assert main(["predict", "--run", "joined", "--file", str(tmp_path / "bodies.csv")]) == 0
    err = capsys.readouterr().err
    assert "note: The run learned from 'subject' + 'body' joined; this file has no 'subject'" in err, err
    # a column named by hand wins
    assert main(["predict", "--run", "joined", "--file", str(tmp_path / "new.csv"), "--text-col", "body"]) == 0
    assert "classifying column 'body' of new.csv" in capsys.readouterr().err
    assert columns_as_trained([], ["a", "b"], ["b"]) == (["b"], None)
    assert columns_as_trained(["x"], ["a", "b"], ["b"])[0] == ["b"]
    # its dataset deleted and imported again under the id, with other columns: not the run's to claim
    from core.inference import trained_text_columns
    from core.registry import DatasetStore, RunStore

    run = RunStore().get("joined")
    assert trained_text_columns(run.path) == ["subject", "body"]
    DatasetStore().delete("crm")
    assert main(["data", "import", str(tmp_path / "crm.csv"), "--id", "crm"]) == 0
    assert trained_text_columns(run.path) == []


def test_predict_keeps_the_files_own_text_column_when_it_classified_it_joined_with_another(tmp_path, capsys):
    """Trained on "text" + "notes", predict --file wrote the joined texts over the file's own "text"."""
    import pandas as pd

    rows = [(f"invoice {i}", f"send the bill {i}", "billing") for i in range(20)]
    rows += [(f"login {i}", f"password fails {i}", "account") for i in range(20)]
    (tmp_path / "tn.csv").write_text("text,notes,category\n" + "".join(f"{t},{n},{c}\n" for t, n, c in rows))
    assert (
        main(["data", "import", str(tmp_path / "tn.csv"), "--id", "tn", "--text-col", "text", "--text-col", "notes"])
        == 0
    )
    assert main(["train", "--dataset", "tn", "--encoder", "baseline", "--run-id", "tn-run"]) == 0
    (tmp_path / "new.csv").write_text("text,notes,category\n" + "".join(f"{t},{n},{c}\n" for t, n, c in rows[::8]))
    out = tmp_path / "o.csv"
    capsys.readouterr()
    assert main(["predict", "--run", "tn-run", "--file", str(tmp_path / "new.csv"), "--out", str(out)]) == 0
    frame = pd.read_csv(out, encoding="utf-8-sig")
    assert frame["text"].tolist() == [t for t, _, _ in rows[::8]]  # the file's own, as it was
    assert frame["text_predicted"].iloc[0] == "invoice 0\nsend the bill 0"  # what was classified, beside it
    assert "agree with it on 5 of 5 rows" in capsys.readouterr().err  # its category column, not a text one
