"""AppTest per page: the real app script, the real pages, a throwaway studio home."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import wait_for_state
from ui.safe_text import WORD_JOINER

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


def shown(markdown: str) -> str:
    """Markdown source as a reader sees it: user text arrives escaped (``ui.safe_text.md``)."""
    return re.sub(r"\\([!-/:-@[-`{-~])", r"\1", markdown).replace(WORD_JOINER, "")


def errors_of(at: AppTest) -> list[str]:
    return [shown(e.value) for e in at.error]


def warnings_of(at: AppTest) -> list[str]:
    return [shown(w.value) for w in at.warning]


def test_home_renders_and_quickstart_trains(studio_home):
    at = app()
    at.run()
    assert not at.exception
    assert at.title[0].value == "Encoder Studio"
    at.button(key="quickstart").click().run()
    assert not at.exception
    assert at.query_params.get("dataset") == ["starter"] or at.session_state["active_dataset"] == "starter"
    run_id = at.session_state["active_run"]
    status = wait_for_state(run_id)
    assert status["state"] == "done", status
    from core.registry import RunStore

    # trained in a worker process, not in the server (this test's process)
    log = RunStore().get(run_id).log_path.read_text()
    assert "(pid " in log and f"(pid {os.getpid()})" not in log
    # the demo convinces: measured 0.931 (bow_mlp) against 0.928 (the baseline queued after it)
    from ui.actions import baseline_run

    accuracy = RunStore().get(run_id).eval()["accuracy"]
    assert accuracy >= 0.90, accuracy
    base = baseline_run("starter")
    assert wait_for_state(base.id)["state"] == "done"
    assert accuracy >= base.eval()["accuracy"] - 0.01, (accuracy, base.eval()["accuracy"])
    # back on Home, the page says the one-click run exists and links to it, before a second click trains a twin
    at.switch_page("pages/home.py").run()
    assert not at.exception, at.exception
    assert any(f"You tried it already: test accuracy {accuracy:.1%}." == c.value for c in at.caption)
    link = next(p for p in at.get("page_link") if p.proto.label == "Open that run")
    assert link.proto.page == "evaluate" and f"run={run_id}" in link.proto.query_string, link.proto


def test_data_page_builtins_and_upload(studio_home):
    at = app()
    at.switch_page("pages/data.py").run()
    assert not at.exception
    at.button(key="load_starter").click().run()
    assert not at.exception
    assert at.session_state["active_dataset"] == "starter"
    assert any("Active dataset" in h.value for h in at.header)
    assert at.button(key="load_starter").disabled and at.button(key="load_starter").label == "In use"
    # the split as shares (short enough for its column), the counts beneath
    split = next(m for m in at.metric if m.label == "Split")
    assert re.fullmatch(r"\d+ / \d+ / \d+ %", split.value), split.value
    assert sum(int(n) for n in re.findall(r"\d+", split.value)) == 100  # 34/5/10 read "69 / 10 / 20 %"
    assert any(re.fullmatch(r"train [\d,]+ · validation [\d,]+ · test [\d,]+", shown(c.value)) for c in at.caption)
    # a good upload: GBK-encoded CSV with two classes
    rows = [(f"第{i}条评论 很好 满意", "pos") for i in range(10)] + [
        (f"第{i}条评论 太差 失望", "neg") for i in range(10)
    ]
    data = pd.DataFrame(rows, columns=["text", "label"]).to_csv(index=False).encode("gbk")
    at.file_uploader(key="upload").upload("reviews.csv", data, "text/csv")
    at.run()
    assert not at.exception
    assert any("GB18030 (Simplified Chinese, includes GBK)" in shown(c.value) for c in at.caption)
    previews = [e.label for e in at.expander if e.label.startswith("Tokenisation preview")]
    assert previews and set(previews) == {"Tokenisation preview: characters, jieba words and WordPiece"}, previews
    assert at.button(key="save_dataset")
    at.button(key="save_dataset").click().run()
    assert not at.exception
    saved = [s.value for s in at.success if "Saved" in s.value]
    assert saved and "{" not in saved[0] and re.search(r"train \d+ · val \d+ · test \d+", shown(saved[0]))
    new_id = at.session_state["active_dataset"]
    assert new_id != "starter"
    assert not [i for i in at.info if "same rows" in i.value]
    # the same file saved again (under another name) is said to be a copy of the first
    at.file_uploader(key="upload").upload("reviews again.csv", data, "text/csv")
    at.run()
    at.button(key="save_dataset").click().run()
    assert not at.exception and at.session_state["active_dataset"] != new_id
    twin = [shown(i.value) for i in at.info if "same rows" in i.value]
    assert twin and f"as **reviews** (`{new_id}`)" in twin[0], twin


def save_upload(at: AppTest) -> list[str]:
    """Save the uploaded file on the Data page; the "Saved" messages, as a reader sees them."""
    at.button(key="save_dataset").click().run()
    assert not at.exception, at.exception
    return [shown(s.value) for s in at.success if "Saved" in s.value]


def test_the_health_report_names_the_texts_each_problem_is_about(studio_home):
    """ "4 texts appear with different labels … fix their labels to keep them" named none of them; and
    the rows left out could not be listed, nor did the save say that it kept fewer rows than were read."""
    long = "这条留言非常长" * 30
    rows = [("会员积分怎么兑换？", "咨询"), ("会员积分怎么兑换？", "退款"), ("", "物流"), (long, "物流")]
    rows += [(f"第{i}条 快递到哪了", "物流") for i in range(10)] + [(f"第{i}条 想退货退款", "退款") for i in range(10)]
    at = app()
    at.switch_page("pages/data.py").run()
    data = pd.DataFrame(rows, columns=["text", "label"]).to_csv(index=False).encode()
    at.file_uploader(key="upload").upload("msgs.csv", data, "text/csv").run()
    assert not at.exception
    conflict = next(w for w in warnings_of(at) if "different labels" in w)
    assert conflict.endswith("For example: “会员积分怎么兑换？”"), conflict
    blank = next(w for w in warnings_of(at) if "empty or whitespace-only" in w)
    # the file's own number: under the header (row 1), the third row of data is row 4 (not "“row 3”")
    assert blank.endswith("Rows, numbered as in the file: 4"), blank
    assert not [w for w in warnings_of(at) if long in w]  # a long text is cut, not pasted whole
    # every row the save leaves out can be downloaded, and the save says how many of those read it kept
    (download,) = [b for b in at.get("download_button") if b.proto.id and "left_out_download" in b.proto.id]
    assert download.proto.label == "Download the 3 rows left out, with why (CSV)"
    saved = save_upload(at)
    assert saved and saved[0].endswith(
        "3 of the 24 rows read were left out; the health report says why, and its download lists them."
    ), saved


def test_one_row_left_out_is_said_in_the_singular(studio_home):
    """ "1 of the 25 rows read were left out; … its download lists them"."""
    rows = [(f"第{i}条 快递到哪了", "物流") for i in range(12)] + [(f"第{i}条 想退货退款", "退款") for i in range(12)]
    rows.append(rows[0])  # one repeat
    at = app()
    at.switch_page("pages/data.py").run()
    data = pd.DataFrame(rows, columns=["text", "label"]).to_csv(index=False).encode()
    at.file_uploader(key="upload").upload("one.csv", data, "text/csv").run()
    saved = save_upload(at)
    assert saved and saved[0].endswith(
        "1 of the 25 rows read was left out; the health report says why, and its download lists it."
    ), saved


def test_data_page_one_class_upload_shows_error(studio_home):
    at = app()
    at.switch_page("pages/data.py").run()
    data = "text,label\n好评,pos\n不错,pos\n很好,pos\n".encode()
    at.file_uploader(key="upload").upload("one.csv", data, "text/csv")
    at.run()
    assert not at.exception
    assert any("only 1 usable class ('pos')" in e for e in errors_of(at))
    assert not [b for b in at.button if b.key == "save_dataset"]
    # a column of one class under a name that is not a label's: passed over, with a note saying why
    data = "text,kind\n好评,pos\n不错,pos\n很好,pos\n".encode()
    at.file_uploader(key="upload").upload("kinds.csv", data, "text/csv")
    at.run()
    assert [w for w in at.warning if "not taken as the label column" in w.value]
    # picked by hand, it is the label column: the error, and no note saying it "was not taken"
    (label_box,) = [box for box in at.selectbox if box.key and box.key.startswith(f"label_col-kinds.csv-{len(data)}-")]
    label_box.set_value("kind").run()
    assert any("only 1 usable class ('pos')" in e for e in errors_of(at)), errors_of(at)
    assert not [w for w in at.warning if "not taken as the label column" in w.value], [w.value for w in at.warning]


def test_the_data_page_reads_a_file_with_the_separator_picked_by_hand(studio_home):
    """A file the sniffing read with the wrong separator could only be saved again as TSV."""
    body = "text|label\n" + "".join(f"size {i}, colour {i}|{'ab'[i % 2]}\n" for i in range(12))
    data = body.encode()
    at = app()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="upload").upload("pipes.csv", data, "text/csv").run()
    at.selectbox(key=f"separator-pipes.csv-{len(data)}").set_value("|").run()
    assert not at.exception, at.exception
    at.button(key="save_dataset").click().run()
    from core.registry import DatasetStore

    (info,) = DatasetStore().list()
    assert info.labels == ["a", "b"] and info.columns["separator"] == "|"
    assert DatasetStore().load(info.id)["text"].tolist()[0].startswith("size ")


def test_the_data_page_says_what_it_did_with_a_repeated_header_as_a_note_not_a_warning(studio_home):
    """Two exports pasted together: the header's copy is left out, said in an info box beside "No problems
    found", and the dataset saves all 40 rows under the real column names."""
    rows = [f"review {i} {'great' if i % 2 else 'awful'},{'pos' if i % 2 else 'neg'}" for i in range(40)]
    data = "\r\n".join(["review,label", *rows[:20], "review,label", *rows[20:]]).encode("utf-8-sig")
    at = app()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="upload").upload("pasted.csv", data, "text/csv").run()
    assert not at.exception, at.exception
    assert any("No problems found: 40 usable rows" in s.value for s in at.success), [s.value for s in at.success]
    assert [i for i in at.info if "header row appears again further down" in i.value]
    assert not [w for w in at.warning if "header row" in w.value or "looks like data" in w.value]
    at.button(key="save_dataset").click().run()
    from core.registry import DatasetStore

    (info,) = DatasetStore().list()
    assert info.rows == 40 and info.labels == ["neg", "pos"]


def test_reading_a_file_again_without_a_header_keeps_a_text_column_picked(studio_home):
    """A headerless CSV whose first row's label appears once is read with a header; switching to "no
    header", the only remedy, emptied the text-column picker and hid the report and Save."""
    lines = ["I loved this hotel,rare"] + [f"great stay number {i},pos" for i in range(12)]
    lines += [f"awful room {i} dirty,neg" for i in range(12)]
    data = ("\n".join(lines) + "\n").encode()
    at = app()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="upload").upload("h.csv", data, "text/csv").run()
    at.selectbox(key=f"header-h.csv-{len(data)}").set_value("no").run()
    assert not at.exception, at.exception
    (texts,) = [m for m in at.multiselect if m.key.startswith("text_cols-")]
    assert texts.value and not [w for w in at.warning if "Pick at least one text column" in w.value]
    assert [b for b in at.button if b.key == "save_dataset"]


def test_the_train_form_says_a_small_validation_set_adds_epochs(small_dataset):
    """A 303-text upload trained 6 of 20 epochs, stopped on 25 validation texts' noise: now the run
    trains 300 steps first, and the form says how many epochs that makes before Start."""
    import math

    from core.registry import DatasetStore
    from core.training.defaults import SMALL_DATA_MIN_STEPS

    counts = DatasetStore().info(small_dataset).split_counts
    assert counts["val"] < 200
    at = app()
    at.query_params["dataset"] = small_dataset
    at.switch_page("pages/train.py").run()
    assert not at.exception, at.exception
    steps = math.ceil(counts["train"] / 32)  # the auto batch's smallest
    trains = math.ceil(SMALL_DATA_MIN_STEPS / steps)
    said = [c.value for c in at.caption if c.value.startswith("Only ")]
    assert said == [
        f"Only {counts['val']} validation texts to judge by: early stopping on so few stops on noise, so the run "
        f"trains at least {SMALL_DATA_MIN_STEPS} steps first. {counts['train']} training texts make {steps} steps "
        f"an epoch: it trains {trains} epochs, not 20."
    ], said
    at.number_input(key="train_adv_classify_bow_mlp.patience").set_value(0).run()  # no early stop: no minimum
    assert not [c for c in at.caption if c.value.startswith("Only ")]


def test_the_train_form_keeps_what_was_typed_across_a_visit_to_another_page(small_dataset):
    """Back from Evaluate, every setting was at its default and the name empty (Streamlit drops the
    values of widgets a page does not draw): Start then trained what the user had not chosen."""
    at = app()
    at.query_params["dataset"] = small_dataset
    at.switch_page("pages/train.py").run()
    at.number_input(key="train_classify_bow_mlp.epochs").set_value(3).run()
    at.number_input(key="train_adv_classify_bow_mlp.patience").set_value(0).run()
    at.text_input(key="run_name").set_value("three epochs").run()
    at.switch_page("pages/evaluate.py").run()
    at.switch_page("pages/train.py").run()
    assert not at.exception, at.exception
    assert at.number_input(key="train_classify_bow_mlp.epochs").value == 3
    assert at.number_input(key="train_adv_classify_bow_mlp.patience").value == 0
    assert at.text_input(key="run_name").value == "three epochs"
    # another encoder and back: its own settings are as left
    at.selectbox(key="encoder").set_value("rbf").run()
    at.selectbox(key="encoder").set_value("bow_mlp").run()
    assert at.number_input(key="train_classify_bow_mlp.epochs").value == 3
    at.selectbox(key="encoder").set_value("rbf").run()
    at.switch_page("pages/data.py").run()
    at.switch_page("pages/train.py").run()
    assert at.selectbox(key="encoder").value == "rbf"


def test_the_train_page_tells_a_cap_late_in_the_last_epoch(small_dataset):
    """A cap at 2.78 of 3 epochs rounded to the whole plan: the page said nothing of why it ended."""
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp", epochs=3, max_steps=25, min_steps=1))
    assert run.status()["state"] == "done"
    at = app()
    at.query_params.update({"dataset": small_dataset, "run": run.id})
    at.switch_page("pages/train.py").run()
    assert not at.exception, at.exception
    said = [c.value for c in at.caption if "max_steps" in c.value]
    assert said == ["Stopped in epoch 2.8 of 3: it reached its cap of 25 steps (max_steps)."], said


def test_the_train_form_names_a_run_that_already_has_its_settings_and_seed(small_dataset):
    """Start twice with the same form learned the same model twice: the second "comparison" showed
    two equal scores. The form now names the run before Start, and a new seed is a new run."""
    from core.training.runner import RunConfig, train_run

    done = train_run(RunConfig.create(small_dataset, "bow_mlp", train_overrides={"threads": 1}))
    accuracy = done.eval()["accuracy"]
    at = app()
    at.query_params["dataset"] = small_dataset
    at.switch_page("pages/train.py").run()
    assert not at.exception, at.exception
    said = [i.value for i in at.info if "already has these settings" in i.value]
    assert said and f"(test accuracy {accuracy:.4f})" in said[0] and "change the seed" in said[0], said
    at.number_input(key="train_adv_classify_bow_mlp.seed").set_value(1).run()
    assert not [i for i in at.info if "already has these settings" in i.value]
    at.number_input(key="train_adv_classify_bow_mlp.seed").set_value(0).run()
    at.number_input(key="train_classify_bow_mlp.epochs").set_value(7).run()  # another setting: another model
    assert not [i for i in at.info if "already has these settings" in i.value]
    # the baseline has no seed on the form: the advice is to change a setting, not the seed
    train_run(RunConfig.create(small_dataset, "baseline"))
    at.selectbox(key="encoder").set_value("baseline").run()
    said = [i.value for i in at.info if "already has these settings" in i.value]
    assert said and "pick another encoder" in said[0] and "seed" not in said[0], said


def test_the_live_curves_redraw_sooner_while_a_run_is_young():
    """A demo's 8-second run ended before the curves' first redraw (every 6 s): never seen live."""
    from ui.jobs import CURVES_EVERY_S, CURVES_YOUNG_EVERY_S, YOUNG_RUN_S, curves_every

    assert curves_every({"state": "queued"}, 100.0) == CURVES_YOUNG_EVERY_S
    assert curves_every({"state": "running", "started": 100.0}, 100.0 + YOUNG_RUN_S - 1) == CURVES_YOUNG_EVERY_S
    assert curves_every({"state": "running", "started": 100.0}, 100.0 + YOUNG_RUN_S + 1) == CURVES_EVERY_S
    assert CURVES_YOUNG_EVERY_S * 3 <= 8 < CURVES_EVERY_S * 3  # an 8-second run is drawn three times


def test_train_page_starts_a_tiny_job_and_shows_status(studio_home):
    from core.registry import DatasetStore

    DatasetStore().ensure_builtin("starter")
    at = app()
    at.query_params["dataset"] = "starter"
    at.switch_page("pages/train.py").run()
    assert not at.exception
    # the name box suggests a name in words, not the encoder key and the dataset id
    assert at.text_input(key="run_name").placeholder == "e.g. Bag-of-words MLP, first try"
    # a box left at 0 says what 0 means there, in sight (the tooltip alone left "Batch size 0" looking broken)
    assert at.number_input(key="train_classify_bow_mlp.batch_size").value == 0
    assert "0 = auto: 32 to 512 texts, about 25 steps per epoch given enough texts" in [c.value for c in at.caption]
    at.number_input(key="train_classify_bow_mlp.epochs").set_value(2)
    at.text_input(key="run_name").set_value("第一次 试试")
    at.button(key="start").click().run()
    assert not at.exception
    run_id = at.session_state["active_run"]
    # the typed name titles the run; its id starts with the encoder, not "dataset" (nothing id-safe in it)
    from core.names import run_names
    from core.registry import RunStore

    at.button(key="start").click().run()  # a double click: the second lands with the same settings
    assert [r.id for r in RunStore().list() if r.config()["encoder"] == "bow_mlp"] == [run_id]
    assert any("Already started" in toast.value for toast in at.toast)

    assert run_names(RunStore().get(run_id))["title"] == "第一次 试试"
    assert at.text_input(key="run_name").value == ""  # the next run does not take the same name
    assert run_id.startswith("bow_mlp-"), run_id
    assert wait_for_state(run_id)["state"] == "done"
    at.run()
    assert not at.exception
    assert any("Done in" in s.value for s in at.success)
    # the heading names the run in words; its long id sits in the caption below (it wrapped the heading)
    assert "✓ 第一次 试试 · bag-of-words MLP · done" in [shown(h.value) for h in at.subheader]
    assert f"run {run_id}" in [shown(c.value) for c in at.caption]
    assert len(at.get("plotly_chart")) >= 2  # loss and accuracy curves
    # whole epochs; on a finished run without "of 20", which read as a run cut short where it stopped early
    assert [m.value for m in at.metric if m.label == "Epochs trained"] == ["2"]
    assert not [c for c in at.caption if "Stopped early" in c.value]  # it ran every planned epoch


def test_two_tabs_pressing_start_together_queue_one_run(studio_home):
    """Two tabs with the same form, Start in each within a second: two runs learned the same model (the
    double-click guard sees one session's clicks only)."""
    from core.registry import DatasetStore, RunStore
    from core.workers import stop

    DatasetStore().ensure_builtin("starter")
    tabs = []
    for _ in range(2):
        at = app()
        at.query_params["dataset"] = "starter"
        at.switch_page("pages/train.py").run()
        at.number_input(key="train_classify_bow_mlp.epochs").set_value(1)
        tabs.append(at)
    for at in tabs:
        at.button(key="start").click().run()
        assert not at.exception, at.exception
    runs = [r for r in RunStore().list() if r.config()["encoder"] == "bow_mlp"]
    assert len(runs) == 1, [r.id for r in runs]
    assert any("Already started" in toast.value for toast in tabs[1].toast)
    assert tabs[1].session_state["active_run"] == runs[0].id  # the second tab watches the one run
    stop(runs[0])


def test_a_second_start_with_a_new_name_is_a_second_run_not_a_double_click(studio_home):
    """ "q1" then at once "q2" was dropped as a double click ("Already started"): the name was not compared."""
    from core.names import run_names
    from core.registry import DatasetStore, RunStore

    DatasetStore().ensure_builtin("starter")
    at = app()
    at.query_params["dataset"] = "starter"
    at.switch_page("pages/train.py").run()
    at.number_input(key="train_classify_bow_mlp.epochs").set_value(1)
    at.text_input(key="run_name").set_value("q1")
    at.button(key="start").click().run()
    first = at.session_state["active_run"]
    at.text_input(key="run_name").set_value("q2")
    at.button(key="start").click().run()
    assert not at.exception, at.exception
    second = at.session_state["active_run"]
    assert second != first and [run_names(RunStore().get(r))["title"] for r in (first, second)] == ["q1", "q2"]
    assert [wait_for_state(run_id)["state"] for run_id in (first, second)] == ["done", "done"]


def test_a_run_that_stopped_early_says_so(studio_home):
    from core.training.runner import RunConfig, train_run

    run = train_run(RunConfig.create("starter", "bow_mlp", {}, {"epochs": 20, "patience": 1, "threads": 1}))
    epochs = round(max(m["epoch"] for m in run.metrics() if m.get("event") == "step"))
    assert epochs < 20  # the starter's validation score stops improving well before 20 epochs
    at = app()
    at.query_params["dataset"] = "starter"
    at.query_params["run"] = run.id
    at.switch_page("pages/train.py").run()
    assert not at.exception
    assert [m.value for m in at.metric if m.label == "Epochs trained"] == [f"{epochs}"]
    assert any(
        f"Stopped early after epoch {epochs} of 20" in c.value and "for 1 epoch. " in c.value for c in at.caption
    )


def test_evaluate_page_shows_scores_confusion_and_mistakes(studio_home, monkeypatch):
    from core.training.runner import RunConfig, train_run

    base = train_run(RunConfig.create("starter", "baseline"))
    run = train_run(RunConfig.create("starter", "bow_mlp", train_overrides={"epochs": 3}))
    at = app()
    at.query_params["dataset"] = "starter"
    at.query_params["run"] = run.id
    at.run()  # land on Home first, as a browser would, then navigate
    at.switch_page("pages/evaluate.py").run()
    assert not at.exception
    assert [m.label for m in at.metric][:2] == ["Accuracy", "Macro-F1"]
    assert re.fullmatch(r"[+-]\d+\.\d pt", at.metric[0].delta)  # against the baseline, as its help says
    from core.evaluation import mcnemar

    ours, theirs = (r.points().query("split == 'test'").set_index("text") for r in (run, base))
    theirs = theirs.loc[ours.index]
    chance = mcnemar(ours["label"], ours["pred"], theirs["pred"]).p_value >= 0.05
    # green or red for a gain or a loss, grey for a tie (a green "+0.0 pt" read as a win), and grey for an
    # accuracy gap that could be chance (a green "+1.8 pt" was 3 texts against 1 of 113)
    for metric in at.metric[:2]:
        few = run.eval()["n"] < 100  # a macro-F1 gap on a few texts is grey with accuracy's chance too
        tie = metric.delta in ("+0.0 pt", "-0.0 pt") or (chance and (metric.label == "Accuracy" or few))
        assert (metric.proto.color == metric.proto.GRAY) == tie, (metric.delta, metric.proto.color, chance)
    said = [c.value for c in at.caption if "the baseline could be chance" in c.value]
    assert len(said) == int(chance and at.metric[0].delta not in ("+0.0 pt", "-0.0 pt")), said
    assert "TF-IDF + LR baseline" in at.metric[0].help
    # what it cost, as Compare's board says it, and its time as Train says it ("2 min 44 s", not "164.4 s")
    from ui.i18n import duration_text

    cost = [c.value for c in at.caption if c.value.startswith("Run time ")]
    status, latency = run.status(), run.eval()["latency_ms"]["median"]
    assert (
        cost
        and f"Run time {duration_text(status['train_seconds'], decimals=1)} (" in cost[0]
        and f"{latency:.2f} ms" in cost[0]
    )
    # the per-class table: its counts second, where a narrow column never cuts them ("101" read "10")
    per_class = next(d for d in at.dataframe if "support" in d.value.columns)
    assert list(per_class.proto.column_order) == ["class", "support", "f1", "precision", "recall"]
    # on a phone the columns stack full width and there is no hover for the help: the delta says against what
    with monkeypatch.context() as phone:
        phone.setattr("ui.touch.on_touch_device", lambda: True)
        at.run()
        assert re.fullmatch(r"[+-]\d+\.\d pt vs the baseline", at.metric[0].delta), at.metric[0].delta
    at.run()
    charts = at.get("plotly_chart")
    import json

    specs = [json.loads(c.proto.spec) for c in charts]
    heat = next(s for s in specs if s["data"][0]["type"] == "heatmap")
    assert heat["data"][0]["x"] == ["food", "sports", "technology", "travel"]
    assert sum(int(cell.replace(",", "")) for row in heat["data"][0]["text"] for cell in row) == run.eval()["n"]
    reliability = next(s for s in specs if s["data"][-1]["type"] == "bar" and "ECE" in s["layout"]["title"]["text"])
    bins = [b for b in run.eval()["calibration"]["bins"] if b["count"]]
    assert reliability["data"][-1]["text"] == [f"{b['count']:,}" for b in bins]  # how many texts a bar rests on
    # which way the confidence is off, in words (the ECE and "0 is perfect" left it to the reader)
    n = sum(b["count"] for b in bins)
    confidence = sum(b["count"] * b["confidence"] for b in bins) / n
    accuracy = sum(b["count"] * b["accuracy"] for b in bins) / n
    ece = sum(b["count"] * abs(b["confidence"] - b["accuracy"]) for b in bins) / n
    direction = (
        ("Well calibrated" if ece < 0.05 else "Right on average only")
        if abs(confidence - accuracy) < 0.03
        else ("Under-confident" if confidence < accuracy else "Over-confident")
    )
    verdicts = ("Well calibrated", "Right on average only", "Under-confident", "Over-confident")
    (note,) = [c.value for c in at.caption if c.value.split(":")[0] in verdicts]
    assert note.startswith(direction + ":") and f"{confidence:.0%}" in note and f"{accuracy:.0%}" in note, note
    assert at.session_state["active_run"] == run.id and base.id != run.id
    # without a run in the address, the dataset opens on the newest model that is not the baseline
    late_base = train_run(RunConfig.create("starter", "baseline"))  # the newest run now
    fresh = app()
    fresh.query_params["dataset"] = "starter"
    fresh.run()
    assert fresh.session_state["active_run"] == run.id and late_base.id != run.id
    # two identical baselines: one is the yardstick, the other ties it, in grey
    ties = []
    for twin in (base, late_base):
        page = app()
        page.query_params["dataset"], page.query_params["run"] = "starter", twin.id
        page.run()
        page.switch_page("pages/evaluate.py").run()
        # grey, and no arrow: a grey "↑ +0.0 pt" still read as a gain
        ties += [
            m.proto.color == m.proto.GRAY and m.proto.direction == m.proto.NONE
            for m in page.metric[:2]
            if m.delta == "+0.0 pt"
        ]
    assert ties == [True, True], ties
    # the examples open on the cell with the most mistakes, not on an empty one
    from core.inference import Predictor

    test = held_out_texts(run)
    predicted = Predictor.from_run(run.path).predict(test["text"].tolist())
    wrong = test.assign(pred=predicted).query("label != pred").groupby(["label", "pred"]).size()
    assert len(wrong), "the run made no mistakes to show"
    cell = (at.selectbox(key="cell_true").value, at.selectbox(key="cell_pred").value)
    assert wrong[cell] == wrong.max(), (cell, wrong.to_dict())
    # the confidences as percentages rounded down to a tenth, as the mistake picker says them: "1.000" in the
    # table beside "(99.9%)" in the picker ("0.9996" above "0.996" had read as a longer number, not a higher one)
    tables = [d for d in at.dataframe if "confidence" in d.value.columns]
    assert len(tables) == 2 and all('"%.1f%%"' in d.proto.columns for d in tables), [d.proto.columns for d in tables]
    shown = tables[1].value["confidence"]
    assert shown.between(0, 100).all() and (shown * 10 == (shown * 10).round()).all() and shown.max() > 1
    points = pd.read_parquet(run.path / "points.parquet").query("split == 'test' and label != pred")
    assert shown.iloc[0] == int(points["confidence"].max() * 1000) / 10
    # in Chinese, the mistakes download is headed as its table is, not "text,label,pred,confidence"
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    stored = []
    real_store = MemoryMediaFileStorage.load_and_get_id

    def keep(self, data, mimetype, kind, filename=None):
        stored.append((filename, data))
        return real_store(self, data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    zh = app()
    zh.query_params.update(dataset="starter", run=run.id, lang="zh")
    zh.run()
    zh.switch_page("pages/evaluate.py").run()
    assert not zh.exception, zh.exception
    assert [m.label for m in zh.metric][:2] == ["准确率", "宏平均 F1"]
    mistakes = next(data for name, data in stored if name and name.endswith("-mistakes.csv"))
    header = mistakes.decode("utf-8-sig").splitlines()[0]
    assert header == "文本,真实标签,预测,置信度", header


def test_a_run_without_mistakes_says_so_instead_of_showing_empty_tables(studio_home):
    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import RunConfig, train_run

    texts = [f"goal match team player {i}" for i in range(40)] + [f"soup rice noodle dish {i}" for i in range(40)]
    frame = pd.DataFrame({"text": texts, "label": ["sports"] * 40 + ["food"] * 40})
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.2, 0.25, 0))
    DatasetStore().save(frame, "easy", "test", {}, dataset_id="easy")
    runs = [
        train_run(RunConfig.create("easy", "bow_mlp", train_overrides={"epochs": 4, "threads": 1})),
        train_run(RunConfig.create("easy", "baseline")),
    ]
    assert [r.eval()["accuracy"] for r in runs] == [1.0, 1.0]
    at = app()
    at.query_params["dataset"] = "easy"
    at.query_params["run"] = runs[0].id
    at.run()
    at.switch_page("pages/evaluate.py").run()
    assert not at.exception, at.exception
    assert any("No mistakes: all 20 test texts" in s.value for s in at.success), [s.value for s in at.success]
    assert not [
        b for b in at.get("download_button") if b.proto.id.endswith("download_mistakes") or "mistakes" in b.label
    ]
    # the examples open on a cell of the diagonal, which has texts, not on an empty one
    assert at.selectbox(key="cell_true").value == at.selectbox(key="cell_pred").value
    # a cell with no texts shows its count, not an empty grid that says "empty" in English
    at.selectbox(key="cell_true").set_value("food").run()
    at.selectbox(key="cell_pred").set_value("sports").run()
    assert any(": 0 (or click a cell" in shown(c.value) for c in at.caption), [c.value for c in at.caption]
    assert not [d for d in at.dataframe if list(d.value.columns) == ["text", "label", "pred", "confidence"]]
    at.switch_page("pages/compare.py").run()
    assert not at.exception, at.exception
    assert any("agree on every test text" in s.value for s in at.success), [s.value for s in at.success]


def held_out_texts(run):
    """The run's test texts and labels, as the run split them."""
    from core.registry import DatasetStore
    from core.training.runner import load_splits

    splits = load_splits(run.config()["dataset"], DatasetStore())
    return splits.part("test")[["text", "label"]].reset_index(drop=True)


def test_pages_without_data_explain_what_to_do(studio_home):
    for page in ("pages/train.py", "pages/evaluate.py", "pages/compare.py"):
        at = app()
        at.switch_page(page).run()
        assert not at.exception
        assert at.info, page
    # Compare pointed at a sidebar picker a home without datasets does not have: Train's words, and its link
    assert at.info[0].value == "Pick a dataset first: load a built-in one or upload a file on the Data page."
    assert [link for link in at.get("page_link") if "data" in link.proto.page]


def test_interrupted_run_shows_and_resumes(studio_home):
    from tests.conftest import stopped_starter_mlp

    run = stopped_starter_mlp()
    run.set_status("running")  # as a killed worker leaves it: running, with no live owner
    at = app()
    at.query_params["dataset"] = "starter"
    at.query_params["run"] = run.id
    at.run()
    at.switch_page("pages/train.py").run()
    assert not at.exception
    assert any("Interrupted" in w.value and "ended without finishing" in w.value for w in at.warning)
    assert not any("That checkpoint is at epoch" in w.value for w in at.warning)  # nothing after it
    # killed well after its last checkpoint: "Epoch 126 of 400", then "Epoch 104" after Resume, unsaid
    steps = [m for m in run.metrics() if m.get("event") == "step"]
    assert steps[-1]["step"] > 1
    run.set_status("running", checkpoint_step=1)
    at.run()
    assert not at.exception
    epoch = steps[0]["epoch"]
    said = [w.value for w in at.warning if "That checkpoint is at epoch" in w.value]
    assert said and f"at epoch {epoch:.1f}:" in said[0], (said, epoch)
    assert said[0].count("Resume") == 1, said  # the error's own "Resume continues from the last checkpoint."
    at.button(key=f"resume_{run.id}").click().run()
    assert wait_for_state(run.id)["state"] == "done"
    assert run.status()["state"] == "done"


def test_a_stopped_run_being_evaluated_offers_resume_only_when_the_evaluation_has_ended(studio_home):
    """Resume clicked while the checkpoint was evaluated was refused with "stop it first", with no Stop to click."""
    from core.lease import Lease
    from core.workers import _job_paths
    from tests.conftest import stopped_starter_mlp

    run = stopped_starter_mlp()
    lock, record = _job_paths(run, "evaluate")
    with Lease.acquire(lock, record, "evaluate", {"name": "evaluate", "kind": "evaluate", "state": "running"}):
        at = app()
        at.query_params.update(dataset="starter", run=run.id)
        at.run()
        at.switch_page("pages/train.py").run()
        assert not at.exception, at.exception
        assert not [b for b in at.button if b.key == f"resume_{run.id}"]
        waiting = at.button(key=f"wait_{run.id}")
        assert waiting.disabled and waiting.label == "Resume" and "being evaluated" in waiting.help
    at.run()
    assert not at.button(key=f"resume_{run.id}").disabled


def test_a_finished_runs_title_is_not_squeezed_beside_an_empty_button_column(trained):
    """A done run has no Stop/Resume: its title took two thirds of the width and wrapped early."""
    from core.storage import atomic_write_bytes

    def titles_in_columns(run_id: str) -> tuple[list[str], list[str]]:
        at = app()
        at.query_params.update(dataset="starter", run=run_id)
        at.run()
        at.switch_page("pages/train.py").run()
        assert not at.exception, at.exception
        in_columns = [s.value for column in at.columns for s in column.subheader]
        return [s.value for s in at.subheader if s.value in in_columns], [s.value for s in at.subheader]

    _, mlp, _ = trained
    squeezed, titles = titles_in_columns(mlp.id)
    assert any("done" in title for title in titles) and squeezed == []
    atomic_write_bytes(mlp.path / "model.safetensors", b"not a model")  # now it offers Start again
    squeezed, _ = titles_in_columns(mlp.id)
    assert any("done" in title for title in squeezed)


def test_interrupted_before_a_checkpoint_offers_start_again(studio_home):
    from core.training.runner import RunConfig, start_run

    run = start_run(RunConfig.create("starter", "bow_mlp", train_overrides={"epochs": 1, "threads": 1}))
    run.set_status("running")
    at = app()
    at.query_params["dataset"] = "starter"
    at.query_params["run"] = run.id
    at.run()
    at.switch_page("pages/train.py").run()
    assert any("before its first checkpoint" in w.value for w in at.warning)
    assert not [b for b in at.button if b.key == f"resume_{run.id}"]
    at.button(key=f"restart_{run.id}").click().run()
    assert wait_for_state(run.id)["state"] == "done"


def test_a_broken_run_folder_breaks_no_page(studio_home):
    from core.training.runner import RunConfig, train_run

    good = train_run(RunConfig.create("starter", "baseline"))
    bad = train_run(RunConfig.create("starter", "baseline"))
    (bad.path / "config.json").write_text("{not json")
    for page in ("pages/home.py", "pages/train.py", "pages/evaluate.py", "pages/compare.py"):
        at = app()
        at.query_params["dataset"] = "starter"
        at.query_params["run"] = good.id
        at.run()
        at.switch_page(page).run()
        assert not at.exception, page
    # a link to it says it is damaged and where it is listed, not that there is no such run
    at = app()
    at.query_params.update(dataset="starter", run=bad.id)
    at.run()
    said = [w.value for w in at.warning]
    assert any("is damaged, so another is shown" in w for w in said) and not any("No run" in w for w in said), said
    # the Train page lists it with the reason and a delete button
    at = app()
    at.query_params["dataset"] = "starter"
    at.switch_page("pages/train.py").run()
    assert any("config.json is not valid JSON" in t.value for t in at.text)
    assert f"reevaluate_{bad.id}" not in [b.key for b in at.button]  # no evaluation to redo without a config
    at.button(key=f"ask_broken_run_delete_{bad.id}").click().run()
    assert not at.exception
    assert bad.path.exists()  # one click asks: it deleted the folder at once
    assert any("This cannot be undone" in w.value for w in at.warning)
    at.button(key=f"cancel_broken_run_delete_{bad.id}").click().run()
    assert bad.path.exists() and f"yes_broken_run_delete_{bad.id}" not in [b.key for b in at.button]
    at.button(key=f"ask_broken_run_delete_{bad.id}").click().run()
    at.button(key=f"yes_broken_run_delete_{bad.id}").click().run()
    assert not at.exception
    assert not bad.path.exists() and good.path.exists()


def test_a_run_whose_status_file_is_damaged_says_where_its_state_came_from(studio_home):
    """It read "? bag-of-words MLP · unknown", 0%, with no word on the page."""
    from core.training.runner import RunConfig, train_run

    run = train_run(RunConfig.create("starter", "baseline"))
    run.status_path.write_text("{garbage")
    at = app()
    at.query_params.update(dataset="starter", run=run.id)
    at.run()
    at.switch_page("pages/train.py").run()
    assert not at.exception, at.exception
    assert any(shown(h.value).endswith("· done") for h in at.subheader), [h.value for h in at.subheader]
    assert any("status.json cannot be read: the state shown was read from" in c.value for c in at.caption)


def test_a_run_whose_evaluation_alone_is_damaged_is_evaluated_again_not_only_offered_for_deletion(studio_home):
    """A garbled eval.json said "evaluate the run again or delete it", and the page offered only the delete:
    one click removed sound weights, featuriser and checkpoint."""
    import time

    from core.training.runner import RunConfig, train_run

    run = train_run(RunConfig.create("starter", "baseline"))
    accuracy = run.eval()["accuracy"]
    (run.path / "eval.json").write_text("garbage{")
    at = app()
    at.query_params["dataset"] = "starter"
    at.switch_page("pages/train.py").run()
    assert any("eval.json is corrupt" in t.value for t in at.text)
    at.button(key=f"ask_broken_run_delete_{run.id}").click().run()
    assert any("They are sound: Evaluate again repairs the run instead" in w.value for w in at.warning)
    at.button(key=f"cancel_broken_run_delete_{run.id}").click().run()
    at.button(key=f"reevaluate_{run.id}").click().run()
    assert not at.exception, at.exception
    deadline = time.monotonic() + 120
    while run.problem() and time.monotonic() < deadline:  # the evaluation runs in a worker process
        time.sleep(1)
    assert run.problem() is None and run.eval()["accuracy"] == accuracy


@pytest.mark.parametrize(("preset", "d_model", "n_layers"), [("tiny", 64, 2), ("small", 256, 6)])
def test_the_transformer_preset_picked_on_the_page_sizes_the_run(studio_home, preset, d_model, n_layers):
    from core.registry import DatasetStore, RunStore

    DatasetStore().ensure_builtin("starter")
    at = app()
    at.query_params["dataset"] = "starter"
    at.switch_page("pages/train.py").run()
    at.selectbox(key="encoder").set_value("transformer").run()
    at.selectbox(key="enc_classify_transformer.preset").set_value(preset).run()
    at.number_input(key="train_classify_transformer.epochs").set_value(1)
    at.button(key="start").click().run()
    assert not at.exception
    run = RunStore().get(at.session_state["active_run"])
    from core.workers import stop

    stop(run)  # only the saved config matters here
    encoder = run.config()["encoder_config"]
    assert encoder["preset"] == preset and encoder["d_model"] in (0, d_model)
    from core.training.runner import encoder_config_from

    resolved = encoder_config_from("transformer", encoder)
    assert (resolved.d_model, resolved.n_layers) == (d_model, n_layers)


def test_data_page_reads_a_headerless_file_and_joins_two_text_columns(studio_home):
    from core.registry import DatasetStore

    at = app()
    at.switch_page("pages/data.py").run()
    topics = {"1": "world talks in Baghdad", "2": "sports gold medal race", "3": "business stocks fell"}
    lines = [
        f'"{c}","Headline {i} {c}","Story {i}: {words}, officials said."'
        for i in range(8)
        for c, words in topics.items()
    ]
    data = ("\n".join(lines) + "\n").encode()
    at.file_uploader(key="upload").upload("news.csv", data, "text/csv")
    at.run()
    assert not at.exception
    header = next(s for s in at.selectbox if s.label == "First row holds column names")
    assert header.value == "auto"
    assert any(
        "24 rows" in shown(c.value) and "column_1" in shown(c.value) for c in at.caption
    )  # the first row was kept as data
    assert any("first row looks like data" in w.lower() for w in warnings_of(at))
    texts = next(m for m in at.multiselect if m.label == "Text column(s)")
    assert texts.value == ["column_3"]
    texts.set_value(["column_2", "column_3"]).run()
    assert not at.exception
    label = next(s for s in at.selectbox if s.label == "Label column")
    assert label.value == "column_1" and "column_2" not in label.options
    at.button(key="save_dataset").click().run()
    assert not at.exception
    info = DatasetStore().info(at.session_state["active_dataset"])
    assert info.rows == 24 and info.columns["text"] == ["column_2", "column_3"] and info.columns["header"] is False
    assert "Headline 0 1\nStory 0" in DatasetStore().load(info.id)["text"].tolist()[0]
    # saved: the file's preview folds away (it repeated the active dataset's charts below it) ...
    assert not [s for s in at.selectbox if s.label in ("First row holds column names", "Text encoding")]
    assert any(
        shown(i.value).startswith("**news.csv** is saved as **news**, the active dataset below") for i in at.info
    ), [i.value for i in at.info]
    DatasetStore().ensure_builtin("starter")
    at.run()  # the sidebar lists it
    at.selectbox(key="sidebar_dataset").set_value("starter").run()  # "below" is another dataset now
    assert any(
        shown(i.value) == "**news.csv** is saved as **news**. Drop another file here to import it." for i in at.info
    )
    at.selectbox(key="sidebar_dataset").set_value(info.id).run()
    at.button(key="upload_again").click().run()  # ... and comes back on request
    # forcing the header makes the first row the names again
    header = next(s for s in at.selectbox if s.label == "First row holds column names")
    header.set_value("yes").run()
    assert any("23 rows" in shown(c.value) for c in at.caption)


def test_data_page_reads_a_workbook_without_a_header_and_asks_no_text_encoding(studio_home):
    import io

    import pandas as pd

    at = app()
    at.switch_page("pages/data.py").run()
    rows = [(f"The coach praised the defence after match {i} last night", "sports") for i in range(12)] + [
        (f"Shares in the bank fell sharply on Tuesday, report {i} says", "business") for i in range(12)
    ]
    buf = io.BytesIO()
    pd.DataFrame(rows).to_excel(buf, index=False, header=False)
    at.file_uploader(key="upload").upload("news.xlsx", buf.getvalue(), "application/octet-stream")
    at.run()
    assert not at.exception
    assert not [s for s in at.selectbox if s.label in ("Text encoding", "Quotes")]  # a workbook has neither
    header = next(s for s in at.selectbox if s.label == "First row holds column names")
    assert header.value == "auto"
    read_as = [shown(c.value) for c in at.caption if "Read as" in shown(c.value)]
    assert len(read_as) == 1 and "24 rows" in read_as[0] and "encoding" not in read_as[0], read_as
    assert any("first row looks like data" in w.lower() for w in warnings_of(at))
    header.set_value("yes").run()
    assert any("23 rows" in shown(c.value) for c in at.caption)


def test_an_encoding_picked_for_one_file_does_not_read_the_next(studio_home):
    """Big5 picked by hand for one file stayed picked: the next file, UTF-8, was read as Big5."""
    at = app()
    at.switch_page("pages/data.py").run()
    encoding = next(s for s in at.selectbox if s.label == "Text encoding")
    encoding.set_value("big5").run()  # picked before any file: it applies to the first
    rows = "".join(f"{text},{label}\n" for text, label in [("這家餐廳很好吃", "好"), ("服務太慢了", "差")] * 8)
    at.file_uploader(key="upload").upload("big5.csv", ("文本,標籤\n" + rows).encode("big5"), "text/csv").run()
    assert not at.exception
    read_as = [shown(c.value) for c in at.caption if "Read as" in shown(c.value)]
    assert read_as and "encoding **Big5 (Traditional Chinese)**" in read_as[0], read_as
    utf8 = "".join(f"{text},{label}\n" for text, label in [("这家餐厅很好吃", "好"), ("服务太慢了", "差")] * 8)
    at.file_uploader(key="upload").upload("utf8.csv", ("文本,标签\n" + utf8).encode(), "text/csv").run()
    assert not at.exception
    assert next(s for s in at.selectbox if s.label == "Text encoding").value == "automatic"
    read_as = [shown(c.value) for c in at.caption if "Read as" in shown(c.value)]
    assert read_as and "encoding **UTF-8**" in read_as[0], (read_as, errors_of(at))
    # picked again for this file, the pick holds while the file stays
    next(s for s in at.selectbox if s.label == "Text encoding").set_value("utf-8-sig").run()
    next(s for s in at.selectbox if s.label == "First row holds column names").set_value("yes").run()
    assert next(s for s in at.selectbox if s.label == "Text encoding").value == "utf-8-sig"


@pytest.mark.parametrize("filename", ["hotel.xlsx", "hotel export.csv"])  # a workbook saved as .csv is one too
def test_data_page_reads_the_sheet_picked_from_a_workbook(studio_home, filename):
    from core.registry import DatasetStore
    from tests.malformed import xlsx

    at = app()
    at.switch_page("pages/data.py").run()
    reviews = [["review", "stars"]] + [
        [f"The room was {word} and the staff {mood} on night {i}", stars]
        for i in range(10)
        for word, mood, stars in (("clean", "kind", "5"), ("dirty", "rude", "1"))
    ]
    book = xlsx([["owner", "exported"], ["Ann", "2026-11-30"]], reviews)()
    at.file_uploader(key="upload").upload(filename, book, "application/octet-stream")
    at.run()
    assert not at.exception
    sheet = next(s for s in at.selectbox if s.label == "Sheet")
    # the first sheet is a note about the export: the picker opens on the sheet that holds the reviews
    assert sheet.options == ["Sheet1", "Sheet2"] and sheet.value == "Sheet2"
    assert any("20 rows" in shown(c.value) and "review, stars" in shown(c.value) for c in at.caption)
    sheet.set_value("Sheet1").run()  # any sheet can still be picked
    assert not at.exception
    assert any("columns: owner, exported" in shown(c.value) for c in at.caption)
    next(s for s in at.selectbox if s.label == "Sheet").set_value("Sheet2").run()
    assert not at.exception
    assert any("20 rows" in shown(c.value) and "review, stars" in shown(c.value) for c in at.caption)
    assert next(m for m in at.multiselect if m.label == "Text column(s)").value == ["review"]
    assert next(s for s in at.selectbox if s.label == "Label column").value == "stars"
    assert not any("sheets; only" in w for w in warnings_of(at))  # the picker lists the sheets already
    at.button(key="save_dataset").click().run()
    assert not at.exception
    info = DatasetStore().info(at.session_state["active_dataset"])
    assert info.rows == 20 and info.columns["sheet"] == "Sheet2" and sorted(info.labels) == ["1", "5"]


def test_an_unlabelled_dataset_offers_pretraining_only(studio_home):
    """Classify on unlabelled text can only fail at Start, below the fold: the page offers what works."""
    import pandas as pd

    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore

    frame = pd.DataFrame({"text": [f"note number {i} about the weather" for i in range(60)], "label": None})
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.1, 0.0, 0))
    DatasetStore().save(frame, "notes", "test", {}, dataset_id="notes")
    DatasetStore().ensure_builtin("starter")
    at = app()
    at.query_params["dataset"] = "starter"
    at.switch_page("pages/train.py").run()
    assert at.radio(key="task").options == [
        "Classify (train from scratch)",
        "Pretrain (masked-language modelling)",
        "Fine-tune a saved encoder",
    ]
    at.query_params["dataset"] = "notes"
    at.run()
    assert not at.exception, at.exception
    assert at.radio(key="task").value == "pretrain" and len(at.radio(key="task").options) == 1
    assert any("has no labels" in c.value for c in at.caption)
    at.query_params["dataset"] = "starter"
    at.run()
    at.radio(key="task").set_value("finetune").run()  # said in plain words what fine-tuning is
    assert any(c.value.startswith("Fine-tuning starts from an encoder trained before") for c in at.caption)


def test_a_pretraining_job_started_on_the_page_runs_in_two_processes(studio_home):
    """The Train page asks for 2 processes; the worker launches torchrun; the page shows the ranks."""
    from core.registry import DatasetStore, RunStore

    DatasetStore().ensure_builtin("starter")
    at = app()
    at.query_params["dataset"] = "starter"
    at.switch_page("pages/train.py").run()
    at.radio(key="task").set_value("pretrain").run()
    at.selectbox(key="enc_pretrain_transformer.preset").set_value("tiny").run()
    # a classifier's settings (its loss weights, its wide head) are not offered for pretraining
    offered = {w.key for w in [*at.checkbox, *at.number_input]}
    assert (
        "train_adv_pretrain_transformer.class_weights" not in offered
        and "enc_adv_pretrain_transformer.wide" not in offered
        and "enc_adv_pretrain_transformer.part_dropout" not in offered  # the wide part's, with it
    )
    # data-parallel processes are an advanced setting, inside the expander
    advanced = next(e for e in at.expander if e.label == "Advanced training settings")
    assert "processes" in {w.key for w in advanced.number_input}
    assert "train_adv_pretrain_transformer.threads" in offered and "enc_adv_pretrain_transformer.dropout" in offered
    # a few passes and no budget: the page says it is a quick look; ten passes are what paid
    at.number_input(key="train_pretrain_transformer.epochs").set_value(2).run()
    assert any("With 2 epochs it is a quick look" in c.value for c in at.caption), [c.value for c in at.caption]
    at.number_input(key="train_pretrain_transformer.epochs").set_value(10).run()
    assert not [c for c in at.caption if "it is a quick look" in c.value]
    at.number_input(key="train_pretrain_transformer.epochs").set_value(1)
    at.number_input(key="train_adv_pretrain_transformer.max_steps").set_value(6)
    at.number_input(key="train_adv_pretrain_transformer.threads").set_value(1)
    # pretraining shows its time budget up front; with two ranks, both pace the learning rate by it alike
    at.number_input(key="train_pretrain_transformer.time_budget_s").set_value(45.0).run()
    assert any("In 45 seconds it may make fewer" in w.value for w in at.warning)  # not "0.8 minutes"
    at.number_input(key="train_pretrain_transformer.time_budget_s").set_value(150.0).run()
    assert any("In 2.5 minutes it may make fewer" in w.value for w in at.warning)  # not rounded up to 3
    at.number_input(key="train_pretrain_transformer.time_budget_s").set_value(120.0).run()
    # a demo's two-minute budget is flagged: fine-tuning from it can lose to scratch
    assert any(w.value.startswith("Pretraining needs time to pay") and "In 2 minutes" in w.value for w in at.warning)
    at.number_input(key="train_pretrain_transformer.time_budget_s").set_value(600.0).run()
    assert not [w for w in at.warning if w.value.startswith("Pretraining needs time to pay")]
    at.number_input(key="processes").set_value(2)
    at.button(key="start").click().run()
    assert not at.exception
    run = RunStore().get(at.session_state["active_run"])
    assert run.config()["train"]["processes"] == 2 and run.config()["train"]["time_budget_s"] == 600.0
    status = wait_for_state(run.id, timeout=300)
    assert status["state"] == "done", (status, run.log_tail(40))
    log = run.log_path.read_text()
    assert "launching 2 data-parallel processes: torchrun" in log and "(cpu, 2 processes)" in log
    at.run()
    assert not at.exception
    assert any("2 data-parallel processes" in c.value for c in at.caption)
    done = [m.value for m in [*at.success, *at.warning] if "held-out MLM loss" in m.value]
    assert done and "masked-token accuracy" in done[0]
    # beside the guess from token frequencies alone: a warning over a run still on that plateau, else a caption
    said = [m.value for m in [*at.warning, *at.caption] if "a guess that reads no context" in m.value.lower()]
    assert said and f"{run.eval()['frequency_loss']:.3f}" in said[0], said


def test_fine_tuning_a_pretraining_run_on_the_page_is_wide_and_deep_by_default(studio_home):
    from core.registry import DatasetStore, RunStore
    from core.training.runner import FINETUNE_MIN_STEPS, train_run
    from tests.conftest import tiny_config, tiny_pretraining

    DatasetStore().ensure_builtin("starter")
    pretrained = tiny_pretraining("starter", vocab_size=500)

    stopped = tiny_pretraining("starter", vocab_size=500)
    stopped.set_status("stopped")  # newer, but stopped half-way: not the pretraining one means to use
    newer = train_run(tiny_config("starter", "bow_mlp"))  # finished last, yet not what one pretrains for
    at = app()
    at.query_params["dataset"] = "starter"
    at.switch_page("pages/train.py").run()
    at.radio(key="task").set_value("finetune").run()
    assert not at.exception
    assert at.selectbox(key="source_run").value == pretrained.id  # a finished pretraining run comes first
    assert len(at.selectbox(key="source_run").options) == 3 and newer.status()["state"] == "done"
    frozen_blocks = "finetune_cfg.freeze_layers"
    assert frozen_blocks in [n.key for n in at.number_input]
    assert "train_finetune_transformer.time_budget_s" in [n.key for n in at.number_input]  # up front, as pretraining
    at.selectbox(key="source_run").set_value(newer.id).run()  # a bag-of-words source has no blocks to freeze
    assert frozen_blocks not in [n.key for n in at.number_input]
    assert at.checkbox(key="finetune_cfg.freeze_embeddings").value is False
    at.selectbox(key="source_run").set_value(pretrained.id).run()
    wide = at.checkbox(key=f"finetune_wide_{pretrained.id}")
    assert wide.value is True
    wide.uncheck().run()  # the user's choice wins over the default
    # a long fine-tune with no time budget says how long it may take, at its source's pace
    pace = next(m["throughput_avg"] for m in reversed(pretrained.metrics()) if m.get("event") == "step")
    texts = DatasetStore().info("starter").split_counts["train"]
    epochs = int(3000 * pace / texts) + 1  # about 50 minutes at that pace
    at.number_input(key="train_finetune_transformer.epochs").set_value(epochs).run()
    said = [c.value for c in at.caption if c.value.startswith("At the pace")]
    minutes = f"{epochs * texts / pace / 60:,.0f}"
    assert said and f"{epochs} epochs over {texts:,} texts take up to about {minutes} minutes;" in said[0], said
    at.number_input(key="train_finetune_transformer.time_budget_s").set_value(600.0).run()
    assert not [c for c in at.caption if c.value.startswith("At the pace")]  # a budget caps it
    at.number_input(key="train_finetune_transformer.time_budget_s").set_value(0.0)
    at.number_input(key="train_finetune_transformer.epochs").set_value(1).run()
    # one epoch is fewer steps than a fine-tune's minimum: the form says how many epochs it will train
    steps = -(-texts // 32)
    trains = -(-FINETUNE_MIN_STEPS // steps)
    assert trains > 1
    said = [c.value for c in at.caption if "step(s) an epoch" in c.value or "steps an epoch" in c.value]
    assert said == [
        f"{texts:,} training texts make {steps:,} steps an epoch, so to reach its minimum of "
        f"{FINETUNE_MIN_STEPS} steps this run trains {trains} epochs, not 1."
    ], said
    at.button(key="start").click().run()
    assert not at.exception
    run = RunStore().get(at.session_state["active_run"])
    assert run.config()["source_run"] == pretrained.id and run.config()["encoder_config"]["wide"] is False
    # its lineage, both ways: where it trains, and on its pretraining's Evaluate page
    from ui.sidebar import name_or_id

    source = name_or_id(pretrained.id)
    assert any(shown(c.value) == f"run {run.id} · fine-tuned from run {source}" for c in at.caption), [
        c.value for c in at.caption
    ]
    from tests.app.test_explore_pages import open_page

    evaluate = open_page("pages/evaluate.py", pretrained.id)
    assert any(shown(c.value) == f"Fine-tuned from it: **{name_or_id(run.id)}**." for c in evaluate.caption), [
        c.value for c in evaluate.caption
    ]


def test_a_finished_pretraining_leads_to_fine_tuning_and_a_foreign_vocabulary_is_flagged(studio_home):
    """ "Fine-tune it" opens the form on a labelled dataset with the run as its source; an English
    encoder offered for mostly Chinese texts says how little of them it knows."""
    import pandas as pd

    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import source_coverage
    from tests.conftest import tiny_pretraining

    frame = pd.DataFrame({"text": [f"a short note {i} about the rain and the wind" for i in range(80)]})
    frame["label"] = None
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.2, 0.1, 0))
    DatasetStore().save(frame, "notes", "test", {}, dataset_id="notes")
    DatasetStore().ensure_builtin("starter")
    pretrained = tiny_pretraining("notes")
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    # a run on the target dataset already: the sidebar put it back as the active run, and the form stayed shut
    train_run(tiny_config("starter", "baseline"))
    at = app()
    at.query_params.update(dataset="notes", run=pretrained.id)
    at.switch_page("pages/train.py").run()
    assert not at.exception, at.exception
    # an English encoder is offered the English set first, a built-in one too (loaded on the click)
    options = at.selectbox(key=f"finetune_on_{pretrained.id}").options
    assert options[0] == "BBC News (built-in, loaded on the click)", options
    assert "Starter topics (Chinese + English)" in options
    at.selectbox(key=f"finetune_on_{pretrained.id}").set_value("starter")
    at.button(key=f"finetune_next_{pretrained.id}").click().run()
    assert not at.exception, at.exception
    assert at.query_params["dataset"] == "starter" and "run" not in at.query_params
    assert at.radio(key="task").value == "finetune"
    assert at.selectbox(key="source_run").value == pretrained.id
    assert next(e for e in at.expander if e.label == "New run").proto.expanded  # the form is open
    share = source_coverage(pretrained.id, "starter")
    assert share < 0.8  # English notes' words, on texts half of them Chinese
    warnings = [w.value for w in at.warning if "of this dataset's tokens" in w.value]
    assert warnings and f"This encoder knows {share:.0%} of this dataset's tokens" in warnings[0]
    presenting = app()  # the audience sees the result, not the operator's next step
    presenting.query_params.update(dataset="notes", run=pretrained.id, present="1")
    presenting.switch_page("pages/train.py").run()
    assert not presenting.exception, presenting.exception
    assert not [b for b in presenting.button if b.key == f"finetune_next_{pretrained.id}"]
    assert any("held-out MLM loss" in m.value for m in [*presenting.success, *presenting.warning])
    # its fill-the-mask box starts in its own language, and a sentence it cannot read is flagged
    at = app()
    at.query_params.update(dataset="notes", run=pretrained.id)
    at.switch_page("pages/evaluate.py").run()
    assert at.text_input(key="fill_text").value == "I really [MASK] this book."
    at.text_input(key="fill_text").set_value("a short [MASK] about the rain").run()  # its own words
    assert not any("of this sentence's words" in w.value for w in at.warning)
    at.text_input(key="fill_text").set_value("我很[MASK]欢这本书").run()
    assert any("The model knows 0% of this sentence's words" in w.value for w in at.warning)


def test_the_train_page_points_to_a_run_training_elsewhere(small_dataset):
    from core.registry import RunStore
    from core.training.runner import start_run, train_run
    from core.workers import stop, submit_training
    from tests.conftest import tiny_config

    finished = train_run(tiny_config(small_dataset, "baseline"))
    busy = start_run(tiny_config(small_dataset, "bow_mlp", epochs=200, patience=0))
    submit_training(busy, reserve_cores=0, map_after=False)
    try:
        deadline = time.monotonic() + 60
        while RunStore().get(busy.id).status().get("state") != "running":
            assert time.monotonic() < deadline
            time.sleep(0.1)
        at = app()
        at.query_params.update(dataset=small_dataset, run=finished.id)  # a page opened on a finished run
        at.switch_page("pages/train.py").run()
        assert not at.exception
        assert any("is training now." in info.value for info in at.info)
        assert not any("another dataset" in info.value for info in at.info)
        # seen from another dataset (another person's, on a shared server), the banner names its dataset
        from core.registry import DatasetStore

        DatasetStore().save(DatasetStore().load(small_dataset), "other", "test", {}, dataset_id="other")
        at_starter = app()
        at_starter.query_params.update(dataset="other")
        at_starter.switch_page("pages/train.py").run()
        assert any("is training now, on another dataset: **" in info.value for info in at_starter.info), [
            i.value for i in at_starter.info
        ]
        at.button(key="watch_training").click().run()
        assert at.session_state["active_run"] == busy.id
    finally:
        stop(busy)
        wait_for_state(busy.id, timeout=60)


def test_the_one_click_run_goes_by_its_encoders_name(studio_home):
    """The Chinese demo read "quickstart · 词袋 MLP · 运行中" over its live curves, and an English one
    "Best: quickstart" on Compare: a name that told an audience nothing."""
    from core.names import run_names
    from core.registry import RunStore

    at = app()
    at.query_params["lang"] = "zh"
    at.run()
    at.button(key="quickstart").click().run()
    assert not at.exception
    run = RunStore().get(at.session_state["active_run"])
    assert run.id.startswith("quickstart-") and run_names(run)["title"] == ""
    options = at.sidebar.selectbox(key="sidebar_run").options
    assert any("词袋 MLP" in o for o in options) and not any("quickstart" in o.split(" · ")[0] for o in options), (
        options
    )
    run.request_stop()  # the name is all this test is about
    wait_for_state(run.id)


def test_two_runs_alike_are_told_apart_in_the_sidebar_before_their_ids(small_dataset):
    """The picker cuts a label at about 28 characters: two baselines both read "✓ TF-IDF + LR · done ·
    baseline-202612…", and what told them apart was past the cut."""
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    first, second = (train_run(tiny_config(small_dataset, "baseline")) for _ in range(2))
    at = app()
    at.query_params["dataset"] = small_dataset
    at.run()
    assert not at.exception, at.exception
    options = at.sidebar.selectbox(key="sidebar_run").options
    assert len(options) == 2 and all(o.endswith((first.id, second.id)) for o in options), options
    heads = [o.rsplit(" · ", 1)[0] for o in options]  # the label before its id
    assert len(set(heads)) == 2, heads
    # a finished run's score in its label, within the picker's first 28 characters: a power user's five sweep
    # runs read "✓ bag-of-words MLP · done · 9f31 · bow…" alike
    score = f"{first.eval()['accuracy']:.3f}"
    assert all(o.startswith(f"✓ TF-IDF + LR · {score} · done") for o in options), options


def test_a_link_may_name_the_dataset_and_run_and_an_unknown_one_is_said(small_dataset):
    """``?dataset=many40`` opened another dataset without a word; the CLI takes names too."""
    from core.registry import DatasetStore, RunStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    frame = DatasetStore().load(small_dataset)
    reviews = DatasetStore().save(frame, "My reviews", "test", {"seed": 1}).id
    run = train_run(tiny_config(reviews, "baseline"))
    from core.names import name_run

    name_run(RunStore().get(run.id), title="First try")
    at = app()
    at.query_params["dataset"] = "My reviews"
    at.query_params["run"] = "First try"
    at.run()
    assert not at.exception
    assert at.session_state["active_dataset"] == reviews and at.session_state["active_run"] == run.id
    # no "No run … on this dataset" above the page (such notices were toasts until they had to stay)
    assert not [w.value for w in at.warning if w.value.startswith(("No run", "No dataset", "Run "))], at.warning
    at = app()
    at.query_params["dataset"] = "many40"
    at.run()
    assert not at.exception
    assert [shown(w.value) for w in at.warning] == ["No dataset many40: showing another one."]
    assert at.session_state["active_dataset"] in (small_dataset, reviews)


def test_an_evaluated_stopped_pretraining_gives_its_mlm_scores_not_an_accuracy(studio_home):
    """Stopped, then evaluated on request, a pretraining run read "test accuracy nan"; and it had no
    "Fine-tune it" button, which a finished one has."""
    from core.registry import DatasetStore
    from tests.conftest import tiny_pretraining

    DatasetStore().ensure_builtin("starter")
    run = tiny_pretraining("starter")
    report = run.eval()
    run.set_status("stopped", evaluated=True)  # as evaluate_saved_run leaves a stopped run
    run.checkpoint_dir.mkdir(exist_ok=True)  # a stopped run keeps its checkpoint (a finished one drops it)
    (run.checkpoint_dir / "state.pt").write_bytes(b"a checkpoint")  # only its presence is looked at here
    at = app()
    at.query_params.update(dataset="starter", run=run.id)
    at.switch_page("pages/train.py").run()
    assert not at.exception, at.exception
    boxes = [box.value for box in [*at.info, *at.warning] if box.value.startswith("The checkpoint as it stands")]
    assert len(boxes) == 1 and boxes[0].startswith(
        f"The checkpoint as it stands: held-out MLM loss {report['mlm_loss']:.3f}, "
        f"masked-token accuracy {report['masked_accuracy']:.3f}, perplexity {report['perplexity']:.1f}."
    ), boxes
    # stopped early, it can score worse than the guess that reads no context: a blue box beside "Fine-tune
    # it" read as a result. It is a warning, as Done's is, and says the run is below the guess.
    json_path = run.path / "eval.json"
    json_path.write_text(json.dumps({**report, "mlm_loss": report["frequency_loss"] + 0.5}), encoding="utf-8")
    at.run()
    (warned,) = [w.value for w in at.warning if w.value.startswith("The checkpoint as it stands")]
    assert "this run has not learned even that yet" in warned and "Pretrain it longer" in warned, warned
    assert not [i for i in at.info if i.value.startswith("The checkpoint as it stands")]
    # stopped is how a pretraining that ran long usually ends: it leads to fine-tuning as a finished one does
    at.button(key=f"finetune_next_{run.id}").click().run()
    assert not at.exception, at.exception
    assert at.radio(key="task").value == "finetune" and at.selectbox(key="source_run").value == run.id


def test_the_phase_after_training_shows_how_far_the_texts_are_embedded(small_dataset):
    """A pretraining's 20,000 texts took a minute under "evaluating on the held-out texts…", with no number."""
    from core.training.runner import CHECKING_PHASE, FINAL_PHASE, PREPARING_PHASE, train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    with run.acquire():  # this process stands in for the worker, so the run reads as running
        run.set_status("running", phase=FINAL_PHASE, eta_s=None, progress=1.0, phase_progress=0.4)
        at = app()
        at.query_params.update(dataset=small_dataset, run=run.id)
        at.switch_page("pages/train.py").run()
        assert not at.exception, at.exception
        # the training's bar stays full (one bar that went from 100% back to 5% read as the run starting
        # over) and the embedding has its own, its text and its length telling one number
        trained, embedded = at.get("progress")
        assert (trained.proto.text, trained.proto.value) == ("Training done", 100)
        assert embedded.proto.text == "Evaluating and embedding every text for the map: 40%"
        assert embedded.proto.value == 40
        assert not [c.value for c in at.caption if c.value.startswith("Training done")]
        # before the embedding reports its first share, and while the test texts are checked: the stage is the
        # bar's own text, not a caption line that came and went and moved the page under it
        run.set_status("running", phase=FINAL_PHASE, phase_progress=None)
        at.run()
        (bar,) = at.get("progress")
        assert bar.proto.text == "100% · Training done; evaluating on the held-out texts…", bar.proto.text
        assert not [c.value for c in at.caption if c.value.startswith("Training done")]
        # checking the test texts comes after the embedding's bar: two bars still, the page does not jump back
        run.set_status("running", phase=CHECKING_PHASE, phase_progress=None)
        at.run()
        texts = [b.proto.text for b in at.get("progress")]
        assert texts == ["Training done", "Checking the test texts for near-copies of training texts…"], texts
        # a resume reads its saved vocabulary: not "learning the vocabulary" at 60%
        run.set_status("running", phase=PREPARING_PHASE, progress=0.6)
        at.run()
        (bar,) = at.get("progress")
        assert bar.proto.text == "60% · Resuming: encoding the texts before the next step…", bar.proto.text
        run.set_status("done")


def test_a_new_session_opens_on_the_dataset_of_the_newest_finished_run(small_dataset):
    """It opened on the newest dataset, an unlabelled upload, and Compare advised runs it cannot have."""
    import pandas as pd

    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    train_run(tiny_config(small_dataset, "baseline"))
    notes = pd.DataFrame({"text": [f"a note {i} on the weather" for i in range(40)], "label": None})
    notes["split"] = stratified_split(notes["label"], SplitConfig(0.2, 0.1, 0))
    newest = DatasetStore().save(notes, "notes", "test", {}).id
    assert DatasetStore().list()[0].id == newest
    at = app()
    at.run()
    assert not at.exception
    assert at.session_state["active_dataset"] == small_dataset


def test_an_ensemble_member_in_training_shows_its_own_time_left(small_dataset):
    """The ensemble's bar had no ETA at all: each member's own is shown while it trains."""
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    with run.acquire():  # this process stands in for the worker, so the run reads as running
        fields = {"progress": 0.4, "phase": "member 2/3: rbf", "member": 2, "members": 3, "member_spec": "rbf"}
        run.set_status("running", **fields, member_eta_s=42.4)
        at = app()
        at.query_params.update(dataset=small_dataset, run=run.id)
        at.switch_page("pages/train.py").run()
        assert not at.exception, at.exception
        said = [b.proto.text for b in at.get("progress")]
        assert said == [
            "40% · Training member 2 of 3: RBF network · about 40 s left for this member, less if it stops early"
        ]
        run.set_status("running", member_eta_s="soon")  # a foreign value is dropped, not a crash on every poll
        at.run()
        assert not at.exception, at.exception
        run.set_status("running", member_eta_s=None)  # a member with no ETA yet (a baseline): nothing guessed
        at.run()
        said = [b.proto.text for b in at.get("progress")]
        assert said == ["40% · Training member 2 of 3: RBF network"], said
        run.set_status("done")


def test_a_choice_s_help_explains_it_without_listing_config_values_the_picker_does_not_show(studio_home):
    """The Chinese help read "linear | cosine | constant" beside a picker offering 线性衰减; subwords was a
    text box that wanted on, off or auto typed in English."""
    from core.registry import DatasetStore

    DatasetStore().ensure_builtin("starter")
    at = app()
    at.query_params.update(dataset="starter", lang="zh")
    at.switch_page("pages/train.py").run()
    assert not at.exception, at.exception
    choices = {s.key.rsplit(".", 1)[-1]: s for s in at.selectbox if s.key and "_classify_bow_mlp." in s.key}
    assert {"schedule", "tokenizer", "weighting", "subwords", "device", "precision"} <= set(choices), sorted(choices)
    for name, box in choices.items():
        help_text = box.proto.help
        assert help_text and not re.search(r"\w \| \w", help_text), (name, help_text)  # no "a | b | c"
        assert re.search(r"[\u4e00-\u9fff]", help_text), (name, help_text)
    assert choices["schedule"].options == ["线性衰减", "余弦衰减", "恒定"]
    assert (
        choices["subwords"].options == ["自动（短文本时开启）", "开启", "关闭"] and choices["subwords"].value == "auto"
    )
    assert not [w for w in at.text_input if w.key and w.key.endswith(".subwords")]


def test_a_dataset_in_one_language_with_a_few_stray_texts_is_not_headlined_as_bilingual(studio_home):
    """598 Chinese reviews, one English and one mixed read "Chinese + English +1"."""
    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore

    texts = [f"第{i}条评论，房间很干净" for i in range(598)] + ["great room", "房间 very clean"]
    frame = pd.DataFrame({"text": texts, "label": ["好评", "差评"] * 300, "lang": ["zh"] * 598 + ["en", "mixed"]})
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.1, 0.2, 0))
    DatasetStore().save(frame, "reviews", "test", {}, dataset_id="reviews")
    DatasetStore().ensure_builtin("starter")
    at = app()
    at.query_params["dataset"] = "reviews"
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    metric = next(m for m in at.metric if m.label == "Languages")
    assert shown(metric.value) == "Chinese +2"
    assert any(shown(c.value) == "Chinese 598 · English 1 · mixed 1" for c in at.caption)  # the counts stay beneath
    table = next(d.value for d in at.dataframe if "languages" in d.value.columns)
    assert dict(zip(table["id"], table["languages"])) == {"reviews": "Chinese +2", "starter": "Chinese + English"}


def test_the_chinese_data_page_lists_a_file_s_columns_with_the_chinese_comma(studio_home):
    at = app()
    at.query_params["lang"] = "zh"
    at.switch_page("pages/data.py").run()
    rows = "".join(f"{i},第{i}条评论，房间很干净,{'好评' if i % 2 else '差评'}\n" for i in range(40))
    at.file_uploader(key="upload").upload("评论.csv", f"编号,评论,情感\n{rows}".encode(), "text/csv").run()
    assert not at.exception, at.exception
    assert any("列：编号、评论、情感" in shown(c.value) for c in at.caption), [c.value for c in at.caption]


def test_a_run_that_ends_while_the_sidebar_is_drawn_is_not_left_running_there(trained, monkeypatch):
    """The run stopped between the sidebar's look (its label: "running") and the page's own look:
    the page compared with its own look, saw nothing change, and the sidebar kept "running"."""
    import sys

    from core.registry import RunDir

    run = trained[1]
    real, seen = RunDir.status, []

    def status(self):
        caller = sys._getframe(1).f_code.co_filename
        if caller.endswith("sidebar.py") and self.id == run.id and not seen:
            seen.append(caller)  # the first look only: the run was still running then
            return {**real(self), "state": "running"}
        return real(self)

    monkeypatch.setattr(RunDir, "status", status)
    at = app()
    at.query_params["dataset"] = "starter"
    at.query_params["run"] = run.id
    at.switch_page("pages/train.py").run()
    assert not at.exception and seen
    box = at.sidebar.selectbox(key="sidebar_run")
    assert box.value == run.id
    assert "done" in box.format_func(run.id) and "running" not in box.format_func(run.id)


def test_a_chinese_encoder_offered_for_english_texts_says_so_though_its_word_pieces_cover_them(studio_home, capsys):
    """A Chinese Transformer's word pieces "cover" English by cutting it into fragments: the coverage
    check stayed silent, and its fine-tune on English news scored 26 points under the baseline."""
    import pandas as pd

    from core.cli import main
    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import source_coverage, source_language_mismatch
    from tests.conftest import tiny_pretraining

    chinese = "今天天气很好风很大雨也很大真冷啊我们回家吧明天再来看看"
    zh = pd.DataFrame({"text": [f"{chinese[i % 7 :]}{chinese[: i % 7]} short note rain" for i in range(80)]})
    zh["label"] = None
    zh["split"] = stratified_split(zh["label"], SplitConfig(0.2, 0.1, 0))
    DatasetStore().save(zh, "zh notes", "test", {}, dataset_id="zhnotes")
    en = pd.DataFrame(
        {"text": ["short note rain", "rain note short"] * 30, "label": ["a", "b"] * 30}, columns=["text", "label"]
    )
    en["split"] = stratified_split(en["label"], SplitConfig(0.2, 0.1, 0))
    DatasetStore().save(en, "en notes", "test", {}, dataset_id="ennotes")
    pretrained = tiny_pretraining("zhnotes", vocab_size=300)
    assert source_coverage(pretrained.id, "ennotes") >= 0.8  # the pieces "cover" it
    assert source_language_mismatch(pretrained.id, "ennotes") == ("zh", "en")
    assert source_language_mismatch(pretrained.id, "zhnotes") is None
    at = app()
    at.query_params.update(dataset="zhnotes", run=pretrained.id)
    at.switch_page("pages/train.py").run()
    at.selectbox(key=f"finetune_on_{pretrained.id}").set_value("ennotes")
    at.button(key=f"finetune_next_{pretrained.id}").click().run()
    assert not at.exception, at.exception
    assert at.selectbox(key="source_run").value == pretrained.id
    assert any("learned on Chinese texts" in w.value and "this dataset is English" in w.value for w in at.warning)
    assert not any("of this dataset's tokens" in w.value for w in at.warning)
    args = ["finetune", "--from", pretrained.id, "--dataset", "ennotes", "--epochs", "1", "--threads", "1", "--quiet"]
    assert main(args) == 0
    assert "learned on Chinese texts and this dataset is English" in capsys.readouterr().err
    # fine-tuned on English, it keeps its Chinese vocabulary: the chain's first run is what it learned on
    from core.registry import RunStore

    finetuned = next(r for r in RunStore().list() if r.config().get("source_run") == pretrained.id)
    assert source_language_mismatch(finetuned.id, "ennotes") == ("zh", "en")


def test_a_damaged_model_is_said_on_evaluate_and_compare_not_only_where_it_is_used(trained):
    from tests.app.test_explore_pages import open_page

    base, mlp, _ = trained
    whole = open_page("pages/evaluate.py", mlp.id)
    assert not [w for w in whole.warning if "model file" in w.value]
    mlp.model_path.write_bytes(mlp.model_path.read_bytes()[:100])  # cut short
    at = open_page("pages/evaluate.py", mlp.id)
    damaged = [w.value for w in at.warning if "model file is damaged" in w.value]
    assert damaged and "The scores below were measured before" in damaged[0]
    assert [m for m in at.metric if m.label == "Accuracy"]  # its scores stand
    at = open_page("pages/compare.py", mlp.id)
    assert any("is damaged or missing" in w.value for w in at.warning)
    mlp.model_path.unlink()
    at = open_page("pages/evaluate.py", mlp.id)
    assert any("model file is missing" in w.value for w in at.warning)


def test_weights_that_hold_nan_grey_out_the_download_with_the_reason(trained):
    """The button was live, and pressing it showed only "Failed to generate file for download"."""
    from tests.app.test_explore_pages import open_page
    from tests.test_bundle import _with_nan

    _, mlp, _ = trained
    _with_nan(mlp.model_path)  # under a sound header: only loading the weights finds it
    at = open_page("pages/evaluate.py", mlp.id)
    assert not [b for b in at.get("download_button") if b.proto.label == "Download the model (.zip)"]
    assert [b.disabled for b in at.button if b.label == "Download the model"] == [True]
    assert any("nothing sound to export" in c.value and "NaN or infinite" in c.value for c in at.caption)
    zh = AppTest.from_file(APP, default_timeout=120)
    zh.query_params.update(dataset="starter", run=mlp.id, lang="zh")
    zh.run()
    zh.switch_page("pages/evaluate.py").run()
    assert not zh.exception, zh.exception
    # the reason and core's message inside it, both in Chinese
    assert any("没有可导出的完好内容" in c.value and "非数值" in c.value for c in zh.caption)


def test_a_pretraining_cut_by_its_time_budget_says_so(studio_home):
    from core.registry import DatasetStore
    from tests.conftest import tiny_pretraining

    DatasetStore().ensure_builtin("starter")
    run = tiny_pretraining("starter", epochs=3, max_steps=0, time_budget_s=0.5)
    at = app()
    at.query_params.update(dataset="starter", run=run.id)
    at.switch_page("pages/train.py").run()
    assert not at.exception, at.exception
    said = [c.value for c in at.caption if c.value.startswith("Stopped in epoch")]
    assert said and said[0].endswith("of 3: the time budget of 0.5 s ran out."), said
    assert "best weights" not in said[0]  # a pretraining keeps its last weights, not a best epoch's


def test_a_damaged_dataset_file_is_said_on_its_pages_not_a_traceback(small_dataset):
    from core.registry import DatasetStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    rows = DatasetStore().path(small_dataset) / "data.parquet"
    rows.write_bytes(rows.read_bytes()[:200])
    for page in ("pages/data.py", "pages/search.py"):
        at = app()
        at.query_params.update(dataset=small_dataset, run=run.id)
        at.run()
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
    from ui.resources import dataset_frame

    dataset_frame.clear()  # rows an earlier test read under the same content hash are cached
    at = app()
    at.query_params.update(dataset=small_dataset)
    at.run()
    at.switch_page("pages/data.py").run()
    assert any("data.parquet is damaged" in e for e in errors_of(at)), errors_of(at)


def test_a_dataset_whose_meta_json_is_damaged_is_listed_and_can_be_deleted(small_dataset, studio_home):
    """It vanished from the sidebar and every list of the Data page; only the CLI's data list named it."""
    from core.registry import DatasetStore

    DatasetStore().ensure_builtin("starter")
    folder = DatasetStore().path(small_dataset)
    (folder / "meta.json").write_text('{"name": ')
    at = app()
    at.query_params["dataset"] = "starter"
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    assert any(e.label.startswith("Damaged dataset folders (1)") for e in at.expander)
    assert any(small_dataset in t.value and "meta.json" in t.value for t in at.text), [t.value for t in at.text]
    at.button(key=f"ask_broken_ds_delete_{small_dataset}").click().run()
    assert folder.is_dir()  # the first click asks
    at.button(key=f"yes_broken_ds_delete_{small_dataset}").click().run()
    assert not at.exception, at.exception
    assert not folder.exists() and DatasetStore().exists("starter")
    assert not any(e.label.startswith("Damaged dataset folders") for e in at.expander)


def test_start_refuses_while_a_comma_list_field_cannot_be_read(small_dataset):
    """ "512, 256.5" in Hidden layers was said to be wrong, and Start queued a run with [128, 64] anyway."""
    from core.registry import RunStore

    at = app()
    at.query_params["dataset"] = small_dataset
    at.switch_page("pages/train.py").run()
    at.text_input(key="enc_classify_bow_mlp.hidden").set_value("512, 256.5").run()
    at.button(key="start").click().run()
    assert not at.exception, at.exception
    assert any("Fix" in e and "its text cannot be read" in e for e in errors_of(at)), errors_of(at)
    assert RunStore().list() == []
    # a value out of range is named as the form names the field, not by the config class's name
    at.text_input(key="enc_classify_bow_mlp.hidden").set_value("0").run()
    at.button(key="start").click().run()
    said = [e for e in errors_of(at) if e.startswith("Could not start")]
    assert said and "Hidden layers (hidden) = 0 is outside" in said[0] and "Config" not in said[0], said
    assert RunStore().list() == []
    # the comma a Chinese keyboard types (full-width) was "text that cannot be read" too
    at.text_input(key="enc_classify_bow_mlp.hidden").set_value("512，256").run()
    assert not at.error, errors_of(at)
    at.button(key="start").click().run()
    (run,) = [r for r in RunStore().list() if r.config()["encoder"] == "bow_mlp"]
    assert run.config()["encoder_config"]["hidden"] == [512, 256]


def test_a_fine_tune_source_deleted_after_it_was_picked_is_said_to_be_gone(small_dataset):
    """The box fell back to another run without a word, and Start fine-tuned that one."""
    from core.registry import RunStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    first = train_run(tiny_config(small_dataset, "bow_mlp"))
    second = train_run(tiny_config(small_dataset, "rbf"))
    at = app()
    at.query_params["dataset"] = small_dataset
    at.switch_page("pages/train.py").run()
    at.radio(key="task").set_value("finetune").run()
    at.selectbox(key="source_run").set_value(second.id).run()
    RunStore().delete(second.id)  # in another tab
    at.run()
    assert not at.exception, at.exception
    assert any("is gone (deleted since)" in w.value for w in at.warning), [w.value for w in at.warning]
    assert at.selectbox(key="source_run").value == first.id
    at.run()  # said once: the box now shows a run that exists
    assert not [w for w in at.warning if "is gone (deleted since)" in w.value]


def test_on_a_gpu_the_pretraining_form_leaves_the_batch_to_the_gpu(small_dataset, monkeypatch):
    """RunConfig.create picks "the largest batch that fits" (0) on a GPU; the form sent 32 over it."""
    from core.training import runner

    monkeypatch.setattr(runner, "gpu_here", lambda device: device != "cpu")  # no GPU is lent to the suite
    at = app()
    at.query_params["dataset"] = small_dataset
    at.switch_page("pages/train.py").run()
    at.radio(key="task").set_value("pretrain").run()
    assert not at.exception, at.exception
    (batch,) = [n for n in at.number_input if n.key and n.key.endswith(".batch_size")]
    assert batch.value == 0


def test_a_small_learning_rate_shows_as_typed_and_steps_by_its_order(small_dataset):
    """A learning rate of 0.0015 showed as "2e-03" (the box's ``%.0e``), and its +/- stepped by 0.01,
    past every sensible rate. The box now shows what was typed and steps by 0.001."""
    at = app()
    at.query_params["dataset"] = small_dataset
    at.switch_page("pages/train.py").run()
    assert not at.exception, at.exception
    box = at.number_input(key="train_classify_bow_mlp.lr")
    assert box.proto.format == "%g" and box.step == pytest.approx(0.001), (box.proto.format, box.step)
    box.set_value(0.0015).run()
    assert at.number_input(key="train_classify_bow_mlp.lr").value == pytest.approx(0.0015)
    at.number_input(key="train_classify_bow_mlp.lr").increment().run()
    assert at.number_input(key="train_classify_bow_mlp.lr").value == pytest.approx(0.0025)
    assert at.number_input(key="train_adv_classify_bow_mlp.time_budget_s").proto.format == "%.0f"


def test_a_run_that_trained_every_epoch_says_which_epoch_s_weights_it_kept(small_dataset):
    """43 epochs run, the validation loss rising from epoch 15: nothing said the best epoch's weights were kept."""
    import json

    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp", epochs=3, min_steps=0))
    events = [json.loads(line) for line in (run.path / "metrics.jsonl").read_text().splitlines()]
    evals = [e for e in events if e.get("event") == "eval"]
    assert len(evals) == 3

    def caption(scores):
        for event, score in zip(evals, scores):
            event["val/selection"] = score
        # a new file (the reader follows an append-only file by its inode and size)
        (run.path / "metrics.new").write_text("".join(json.dumps(e) + "\n" for e in events))
        (run.path / "metrics.new").replace(run.path / "metrics.jsonl")
        at = app()
        at.query_params.update(dataset=small_dataset, run=run.id)
        at.switch_page("pages/train.py").run()
        assert not at.exception, at.exception
        return [c.value for c in at.caption if c.value.startswith("The weights of epoch")]

    assert caption([0.7, 0.9, 0.8]) == [
        "The weights of epoch 2, whose validation score was the best, were kept, not those of the last epoch."
    ]
    assert caption([0.7, 0.8, 0.95]) == []  # the last epoch's are the best: nothing to say


def test_split_shares_are_whole_percents_that_add_up_to_100():
    """34 / 5 / 10 texts, each share rounded alone, read "69 / 10 / 20 %": a reader looked for the missing one."""
    from ui.i18n import whole_percents

    assert whole_percents([34, 5, 10]) == [69, 10, 21]  # 69.4, 10.2, 20.4: the largest remainder rounds up
    assert whole_percents([36, 5, 9]) == [72, 10, 18]
    for counts in ([1, 1, 1], [12155, 1736, 3473], [5, 0, 0], [0, 0, 0]):
        shares = whole_percents(counts)
        assert sum(shares) == (100 if sum(counts) else 0) and all(s >= 0 for s in shares), (counts, shares)


def test_a_file_with_few_examples_per_class_is_said_to_be_too_few_to_learn_from(studio_home):
    """40 rows saved under "No problems found" trained models that scored 0.50 on two classes, and
    nothing had said that 20 examples a class is too few to learn from."""
    at = app()
    at.switch_page("pages/data.py").run()
    rows = [(f"review {i}: the food was great", "positive") for i in range(20)]
    rows += [(f"review {i}: the food was awful", "negative") for i in range(20)]
    data = pd.DataFrame(rows, columns=["text", "label"]).to_csv(index=False).encode()
    at.file_uploader(key="upload").upload("few.csv", data, "text/csv").run()
    assert not at.exception, at.exception
    few = [i.value for i in at.info if "too few for a model worth using" in i.value]
    assert few and "The smallest class has 20 example(s)" in few[0], [i.value for i in at.info]
    rows = [(f"review {i}: the food was great", "positive") for i in range(60)]
    rows += [(f"review {i}: the food was awful", "negative") for i in range(60)]
    data = pd.DataFrame(rows, columns=["text", "label"]).to_csv(index=False).encode()
    at.file_uploader(key="upload").upload("enough.csv", data, "text/csv").run()
    assert not at.exception, at.exception
    assert not [i.value for i in at.info if "too few for a model worth using" in i.value]
    # the renaming hint: "e.g. 0 → negative" only beside class names that look like codes
    labels = [e.label for e in at.expander if e.label.startswith("Class names")]
    assert labels == ["Class names (2): rename them before saving if you like"], labels
    # English texts: the tokenisation preview shows words, not jieba's split at spaces
    previews = [e.label for e in at.expander if e.label.startswith("Tokenisation preview")]
    assert previews == ["Tokenisation preview: words and WordPiece"], previews
    data = pd.DataFrame({"text": [r[0] for r in rows], "label": [int(r[1] == "positive") for r in rows]})
    at.file_uploader(key="upload").upload("coded.csv", data.to_csv(index=False).encode(), "text/csv").run()
    labels = [e.label for e in at.expander if e.label.startswith("Class names")]
    assert labels == ["Class names (2): rename them before saving, e.g. 0 → negative"], labels


def test_a_score_on_few_test_texts_is_said_to_be_rough_where_the_run_ends(small_dataset, trained):
    """A green "Done: test accuracy 0.5000" on 8 test texts read as a verdict on the model."""
    from core.registry import RunStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    def captions(run_id: str, dataset: str) -> list[str]:
        at = app()
        at.query_params.update(dataset=dataset, run=run_id)
        at.run()
        at.switch_page("pages/train.py").run()
        assert not at.exception, at.exception
        assert any("Done in" in s.value for s in at.success)
        return [c.value for c in at.caption if c.value.startswith("Measured on only")]

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    n = RunStore().get(run.id).eval()["n"]
    assert n < 100
    assert captions(run.id, small_dataset) == [
        f"Measured on only {n} test texts: one text more or less right moves accuracy by {100 / n:.1f} pt. "
        "Evaluate says how far to trust it."
    ]
    _, mlp, _ = trained
    assert mlp.eval()["n"] >= 100 and captions(mlp.id, "starter") == []


def test_the_runs_table_names_each_run_once_and_keeps_the_name_in_sight(small_dataset):
    """Runs without a title are named by their encoder: the encoder column repeated the name and,
    on a phone, pushed the state and the scores off the screen."""
    from core.names import name_run
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    mlp = train_run(tiny_config(small_dataset, "bow_mlp"))
    train_run(tiny_config(small_dataset, "baseline"))
    at = app()
    at.query_params.update(dataset=small_dataset, run=mlp.id)
    at.run()
    at.switch_page("pages/train.py").run()
    assert not at.exception, at.exception
    table = next(d for d in at.dataframe if "macro-F1" in d.value.columns)
    assert set(table.value["run"]) == {"bag-of-words MLP", "TF-IDF + LR"}, table.value["run"]
    order = list(table.proto.column_order)
    assert order[:2] == ["run", "state"] and "encoder" not in order, order
    assert json.loads(table.proto.columns)["run"].get("pinned") is True
    name_run(mlp, "my first try")  # a run with a name of its own: its encoder is worth a column again
    at.run()
    table = next(d for d in at.dataframe if "macro-F1" in d.value.columns)
    assert "encoder" in list(table.proto.column_order)


def test_a_finished_run_says_its_outcome_above_its_numbers(small_dataset):
    """On a phone the four numbers (epoch, loss, learning rate, texts/s) stack, and "Done: test
    accuracy …" came four screen-high numbers below them."""
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    at = app()
    at.query_params.update(dataset=small_dataset, run=run.id)
    at.run()
    at.switch_page("pages/train.py").run()
    assert not at.exception, at.exception

    def walk(node, out):
        for child in getattr(node, "children", {}).values():
            out.append(child)
            walk(child, out)
        return out

    order = [type(e).__name__ for e in walk(at.main, []) if type(e).__name__ in ("Success", "Metric")]
    assert "Metric" in order and order.index("Success") < order.index("Metric"), order


def test_a_source_whose_small_vocabulary_spells_the_words_out_is_flagged_before_fine_tuning(studio_home):
    """A vocabulary pretrained on 600 short sentences had 226 tokens: it cut news articles into 4.3
    pieces a word and read a tenth of each, yet "knew" 97% of their tokens, and nothing was said."""
    import random

    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import SPELLED_OUT, source_coverage, source_reading
    from tests.conftest import tiny_pretraining

    rng = random.Random(0)
    # every letter, at the start of a word and inside one: the long words below have no [UNK] piece
    letters = "abcdefghijklmnopqrstuvwxyz"
    short = ["the quick brown fox jumps over the lazy dog", f"{letters} {letters[::-1]} " + " ".join(letters)]
    corpus = pd.DataFrame({"text": [f"{rng.choice(short)} {i}" for i in range(80)], "label": None})
    corpus["split"] = stratified_split(corpus["label"], SplitConfig(0.2, 0.1, 0))
    DatasetStore().save(corpus, "fox notes", "test", {}, dataset_id="foxnotes")
    words = ["extraordinary", "bureaucratic", "quizzically", "jovial", "wavering", "hydrogen", "mythology"]
    news = pd.DataFrame(
        {"text": [" ".join(rng.choice(words) for _ in range(40)) for _ in range(60)], "label": ["a", "b"] * 30}
    )
    news["split"] = stratified_split(news["label"], SplitConfig(0.2, 0.1, 0))
    DatasetStore().save(news, "long words", "test", {}, dataset_id="longwords")
    pretrained = tiny_pretraining("foxnotes", vocab_size=300)
    assert source_coverage(pretrained.id, "longwords") >= 0.8  # every letter is known: no [UNK] to flag
    reading = source_reading(pretrained.id, "longwords")
    assert reading["pieces_per_word"] >= SPELLED_OUT and reading["read_share"] < 1, reading
    own = corpus.assign(label=["a", "b"] * 40)
    own["split"] = stratified_split(own["label"], SplitConfig(0.2, 0.1, 0))
    DatasetStore().save(own, "fox labels", "test", {}, dataset_id="foxlabels")
    assert source_reading(pretrained.id, "foxlabels")["pieces_per_word"] < SPELLED_OUT  # its own words, whole
    at = app()
    at.query_params.update(dataset="longwords", run=pretrained.id)
    at.run()
    at.switch_page("pages/train.py").run()
    at.radio(key="task").set_value("finetune").run()
    at.selectbox(key="source_run").set_value(pretrained.id).run()
    assert not at.exception, at.exception
    assert any("too few for these texts" in w.value for w in at.warning), [w.value for w in at.warning]


def test_after_unlabelled_data_a_labelled_dataset_opens_on_classifying_and_a_built_in_can_be_fine_tuned_on(
    studio_home,
):
    """On unlabelled texts "Pretrain" is the only task; on BBC News next, the form still said Pretrain
    with the corpus's epochs. And "Import a labelled dataset on the Data page" sent a user away from the
    built-in sets, which the fine-tune picker now offers and loads."""
    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from tests.conftest import tiny_pretraining

    frame = pd.DataFrame({"text": [f"a short note {i} about the rain and the wind" for i in range(80)]})
    frame["label"] = None
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.2, 0.1, 0))
    DatasetStore().save(frame, "notes", "test", {}, dataset_id="notes")
    DatasetStore().ensure_builtin("starter")
    at = app()
    at.query_params.update(dataset="notes")
    at.switch_page("pages/train.py").run()
    assert at.radio(key="task").value == "pretrain" and at.radio(key="task").options == [
        "Pretrain (masked-language modelling)"
    ]
    at.query_params.update(dataset="starter")
    at.switch_page("pages/train.py").run()
    assert not at.exception, at.exception
    assert at.radio(key="task").value == "classify"
    at.radio(key="task").set_value("pretrain").run()  # chosen on purpose on labelled data: kept
    at.switch_page("pages/train.py").run()
    assert at.radio(key="task").value == "pretrain"
    pretrained = tiny_pretraining("notes")
    page = app()
    page.query_params.update(dataset="notes", run=pretrained.id)
    page.switch_page("pages/train.py").run()
    assert not DatasetStore().exists("bbc")
    page.selectbox(key=f"finetune_on_{pretrained.id}").set_value("bbc")
    page.button(key=f"finetune_next_{pretrained.id}").click().run()
    assert not page.exception, page.exception
    assert DatasetStore().exists("bbc") and page.query_params["dataset"] == "bbc"
    assert page.radio(key="task").value == "finetune" and page.selectbox(key="source_run").value == pretrained.id


def test_unlabelled_texts_are_saved_without_a_test_share_by_default(studio_home):
    """The 70/10/20 split of a labelled file applied to unlabelled texts too: a fifth of them sat in a
    test split that pretraining never reads."""
    from core.registry import DatasetStore

    at = app()
    at.switch_page("pages/data.py").run()
    lines = "\n".join(f"note number {i} about the weather and the road today" for i in range(200))
    at.file_uploader(key="upload").upload("notes.txt", lines.encode(), "text/plain").run()
    assert not at.exception, at.exception
    assert at.slider(key="test_share_unlabelled").value == 0.0
    at.button(key="save_dataset").click().run()
    assert not at.exception, at.exception
    info = DatasetStore().info(at.session_state["active_dataset"])
    assert not info.labels and info.split_counts.get("test", 0) == 0 and info.split_counts["train"] >= 170
    at.file_uploader(key="upload").upload("more notes.txt", lines.encode(), "text/plain").run()
    at.slider(key="test_share_unlabelled").set_value(0.1).run()  # a test share asked for: said what it is for
    assert any("the test share only appears on the maps" in c.value for c in at.caption)


def test_a_labelled_upload_cannot_be_saved_without_test_texts(studio_home):
    """A test share of 0 saved a labelled dataset that every training then refused for want of test texts."""
    at = app()
    at.switch_page("pages/data.py").run()
    rows = "\n".join(f"match {i} was won in the last minute,sports" for i in range(60))
    rows += "\n" + "\n".join(f"a soup of garlic number {i},food" for i in range(60))
    at.file_uploader(key="upload").upload("labelled.csv", f"text,label\n{rows}".encode(), "text/csv").run()
    assert not at.exception, at.exception
    share = at.slider(key="test_share")
    assert share.value == 0.2 and share.min == 0.05, (share.value, share.min)


def test_an_ensemble_below_its_best_member_says_so_where_it_ends(small_dataset):
    """Train said "Done in 100.4 s: test accuracy 0.8482" for an ensemble whose bag-of-words member
    alone scored 0.8520; only Evaluate said so."""
    from core.storage import atomic_write_json
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    member = train_run(tiny_config(small_dataset, "bow_mlp"))
    ensemble = train_run(tiny_config(small_dataset, "baseline"))  # its report is given members below
    report = ensemble.eval()
    accuracy = float(report["accuracy"])

    def warnings_for(best: float) -> list[str]:
        report["members"] = [
            {"run": member.id, "encoder": "bow_mlp", "weight": 0.5, "val_accuracy": best, "test_accuracy": best},
            {"run": "gone-run", "encoder": "baseline", "weight": 0.5, "val_accuracy": 0.1, "test_accuracy": 0.1},
        ]
        atomic_write_json(ensemble.path / "eval.json", report)
        at = app()
        at.query_params.update(dataset=small_dataset, run=ensemble.id)
        at.run()
        at.switch_page("pages/train.py").run()
        assert not at.exception, at.exception
        return [shown(w.value) for w in at.warning if w.value.startswith("Its best member alone")]

    above = min(1.0, accuracy + 0.02)
    said = warnings_for(above)
    assert said == [
        f"Its best member alone, bag-of-words MLP, scores {above:.4f}: the ensemble is "
        f"{100 * (above - accuracy):.1f} pt below it. Evaluate lists every member's score."
    ], said
    assert warnings_for(accuracy) == []  # level with it: nothing to say


def test_a_new_run_says_how_long_it_may_take_at_the_pace_the_last_one_trained(small_dataset):
    """A Transformer on 12,000 reviews took 15 minutes in a demo, and the form said nothing."""
    import json as _json

    from core.training.runner import train_run
    from tests.conftest import tiny_config

    before = train_run(tiny_config(small_dataset, "bow_mlp"))
    at = app()
    at.query_params.update(dataset=small_dataset)
    at.switch_page("pages/train.py").run()
    at.selectbox(key="encoder").set_value("bow_mlp").run()
    assert not [c for c in at.caption if c.value.startswith("At the pace")]  # seconds at its real pace
    with open(before.path / "metrics.jsonl", "a", encoding="utf-8") as out:  # as if it had crawled
        step = {"event": "step", "epoch": 1.0, "step": 99, "train/loss": 0.5, "lr": 1e-3, "throughput": 2.0}
        out.write(_json.dumps({**step, "throughput_avg": 2.0}) + "\n")
    at.run()
    said = [shown(c.value) for c in at.caption if c.value.startswith("At the pace")]
    assert said and "bag-of-words MLP" in said[0] and "about 2 texts/s" in said[0], said


def test_a_gap_to_the_baseline_that_could_be_chance_is_grey_and_said_so(small_dataset):
    """A green "+1.8 pt" on Evaluate (3 texts against 1 of 113) was quoted as a win; McNemar's test said
    p = 0.63 only on Compare, further down."""
    from core.training.runner import RunConfig, train_run
    from tests.conftest import tiny_config

    train_run(tiny_config(small_dataset, "baseline"))
    # the same family, weaker regularisation: 2 of the 60 test texts differ, both to the baseline's credit
    run = train_run(
        RunConfig.create(small_dataset, "baseline", {"embed_dim": 8, "C": 1.0, "featurizer": {"min_df": 1}})
    )
    at = app()
    at.query_params.update(dataset=small_dataset, run=run.id)
    at.switch_page("pages/evaluate.py").run()
    assert not at.exception, at.exception
    accuracy = at.metric[0]
    assert accuracy.delta == "-3.3 pt" and accuracy.proto.color == accuracy.proto.GRAY
    (said,) = [c.value for c in at.caption if "the baseline could be chance" in c.value]
    assert said == (
        "The 3.3 pt of accuracy below the baseline could be chance: of the 60 test texts, this model alone gets 0 right "
        "and the baseline alone 2 (p = 0.5000)."
    )


def test_a_first_transformer_says_roughly_how_long_it_may_take(small_dataset):
    """ "tiny (fastest)" trained 12,000 Chinese reviews for 12 minutes, and the form said nothing before
    Start: no Transformer of that size had trained on the machine, so there was no pace to go by."""
    from core.encoders.transformer import CPU_TOKENS_PER_SECOND
    from core.registry import DatasetStore
    from ui.resources import mean_tokens

    at = app()
    at.query_params.update(dataset=small_dataset)
    at.switch_page("pages/train.py").run()
    at.selectbox(key="encoder").set_value("transformer").run()
    first = "No Transformer of this size has trained on this machine yet"
    assert not [c for c in at.caption if c.value.startswith(first)]  # the tiny preset: seconds
    assert not [i for i in at.info if "the Transformer reads about" in i.value]  # short texts: read whole
    at.selectbox(key="enc_classify_transformer.preset").set_value("small").run()
    at.number_input(key="train_classify_transformer.epochs").set_value(150).run()
    assert not at.exception, at.exception
    said = [shown(c.value) for c in at.caption if c.value.startswith(first)]
    info = DatasetStore().info(small_dataset)
    texts, tokens = info.split_counts["train"], mean_tokens(small_dataset, info.sha256, 128)
    minutes = 150 * texts * tokens / CPU_TOKENS_PER_SECOND["small"] / 60
    assert said and f"150 epochs over {texts:,} texts of about {tokens:,.0f} tokens" in said[0], said
    assert f"take about {minutes:,.0f} minutes" in said[0], said


def test_a_transformer_whose_window_holds_a_small_part_of_each_text_says_so_before_start(studio_home):
    """448 legal documents of about 10,000 characters: the tiny Transformer read 6% of each, and nothing
    but the Playground said so, a text at a time."""
    import pandas as pd

    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from ui.resources import window_reading

    clause = "The supplier shall deliver the goods described in schedule {i} within thirty days of the order. "
    frame = pd.DataFrame(
        {
            "text": [" ".join(clause.format(i=i + j) for j in range(30)) for i in range(60)],
            "label": ["contract", "ruling"] * 30,
        }
    )
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.1, 0.2, 0))
    DatasetStore().save(frame, "long documents", "test", {}, dataset_id="long")
    at = app()
    at.query_params.update(dataset="long")
    at.switch_page("pages/train.py").run()
    at.selectbox(key="encoder").set_value("transformer").run()
    assert not at.exception, at.exception
    info = DatasetStore().info("long")
    share, read, length = window_reading("long", info.sha256, 128)
    said = [shown(i.value) for i in at.info if "the Transformer reads about" in i.value]
    assert said and f"With 128 tokens, the Transformer reads about {share:.0%} of a typical text" in said[0], said
    assert f"the first {read:,} or so of its {length:,} characters" in said[0] and share < 0.3
    # wide and deep: its bag of n-grams reads each text whole, so the window is not all it reads
    at.checkbox(key="enc_adv_classify_transformer.wide").check().run()
    assert not [i for i in at.info if "the Transformer reads about" in i.value]
    at.checkbox(key="enc_adv_classify_transformer.wide").uncheck().run()
    # the bag-of-words model reads each text whole: no such note
    at.selectbox(key="encoder").set_value("bow_mlp").run()
    assert not [i for i in at.info if "the Transformer reads about" in i.value]
    # trained, its Evaluate page says so too, from the run's own tokeniser
    from core.training.runner import source_reading, train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config("long", "transformer"))
    reading = source_reading(run.id, "long")
    at = app()
    at.query_params.update(dataset="long", run=run.id)
    at.switch_page("pages/evaluate.py").run()
    assert not at.exception, at.exception
    said = [shown(c.value) for c in at.caption if c.value.startswith("This Transformer reads the first")]
    assert said == [
        f"This Transformer reads the first {reading['max_len']} tokens of a text: about {reading['read_share']:.0%} "
        "of a typical text here. The rest of each played no part in these scores."
    ], said


def test_a_worker_that_has_gone_silent_is_named_with_its_way_out(small_dataset):
    """A frozen worker (kill -STOP) held its lock: the page read "24% · about 60 s left" for ever, and
    Stop said "Stopping…" with no end. Its heartbeat says it has gone silent."""
    import json
    import signal
    import time

    from core.training.runner import start_run
    from tests.conftest import tiny_config

    run = start_run(tiny_config(small_dataset, "bow_mlp"))
    run.set_status("running", progress=0.24)
    from tests.test_registry import lease_holder

    proc = lease_holder(run.id)
    try:
        at = app()
        at.query_params.update(dataset=small_dataset, run=run.id)
        at.switch_page("pages/train.py").run()
        assert not [w for w in at.warning if "No sign of life" in w.value]  # beating: nothing to say
        proc.send_signal(signal.SIGSTOP)  # frozen: its heartbeat stops
        record = json.loads(run.owner_path.read_text())
        run.owner_path.write_text(json.dumps({**record, "heartbeat": time.time() - 300}))
        at.run()
        said = [shown(w.value) for w in at.warning if "No sign of life" in w.value]
        assert said and said[0].startswith(f"No sign of life from its worker (pid {proc.pid}) for 5 min:"), said
        assert f"kill {proc.pid}" in said[0]
    finally:
        proc.send_signal(signal.SIGCONT)
        proc.kill()
        proc.wait()


def test_a_run_or_dataset_deleted_behind_the_sessions_back_is_named_above_the_page(small_dataset):
    """A student on Evaluate whose run another student deleted saw the same page for another run of the
    same name and score; a toast of the id ("No run …-0ed8 on this dataset") was the only sign. With
    the dataset deleted too, the Playground answered from a model of another dataset."""
    import pandas as pd

    from core.data import SplitConfig, stratified_split
    from core.names import name_run
    from core.registry import DatasetStore, RunStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    kept = train_run(tiny_config(small_dataset, "bow_mlp"))
    alice = train_run(tiny_config(small_dataset, "bow_mlp"))
    name_run(alice, title="Alice starter MLP")
    at = app()
    at.query_params.update(dataset=small_dataset, run=alice.id)
    at.switch_page("pages/evaluate.py").run()
    assert not at.exception, at.exception
    RunStore().delete(alice.id)  # by another student
    at.run()
    assert not at.exception, at.exception
    said = [w.value for w in at.warning if "was deleted" in w.value]
    assert len(said) == 1 and "Alice starter MLP" in said[0].replace(WORD_JOINER, ""), said
    assert at.session_state["active_run"] == kept.id
    at.run()  # said once
    assert not [w for w in at.warning if "was deleted" in w.value]

    frame = pd.DataFrame({"text": [f"class lab text {i}" for i in range(40)], "label": ["a", "b"] * 20})
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.2, 0.1, 0))
    lab = DatasetStore().save(frame, "class lab", "test", {}).id
    only = train_run(tiny_config(lab, "bow_mlp"))
    at.query_params.update(dataset=lab, run=only.id)
    at.session_state["active_dataset"] = lab
    at.session_state["active_run"] = only.id
    at.run()
    assert (at.session_state["active_dataset"], at.session_state["active_run"]) == (lab, only.id)
    RunStore().delete(only.id)  # the dataset's only run: no other run is shown
    at.run()
    assert not at.exception, at.exception
    said = [w.value for w in at.warning if "was deleted" in w.value]
    assert len(said) == 1 and said[0].endswith("this dataset has no other runs."), said
    again = train_run(tiny_config(lab, "bow_mlp"))
    at.query_params.update(run=again.id)
    at.session_state["active_run"] = again.id
    at.run()
    assert at.session_state["active_run"] == again.id
    DatasetStore().delete(lab, with_runs=True)
    at.run()
    assert not at.exception, at.exception
    # one notice for the two: the run went with its dataset
    said = [w.value for w in at.warning if "was deleted" in w.value]
    assert len(said) == 1 and said[0].startswith("Dataset class lab was deleted"), said
    assert at.session_state["active_dataset"] == small_dataset


def test_cancelling_a_queued_run_does_not_speak_of_a_checkpoint(small_dataset):
    """Cancel on a queued run said "Stopping after the current batch; the checkpoint is kept." for 8 s,
    beside "Queued behind 1 run": nothing had trained."""
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    with run.acquire():  # this process stands in for the worker
        run.set_status("queued", ahead=1)
        run.request_stop()
        at = app()
        at.query_params.update(dataset=small_dataset, run=run.id)
        at.switch_page("pages/train.py").run()
        assert not at.exception, at.exception
        said = [i.value for i in at.info]
        assert "Cancelling: it leaves the queue without training." in said, said
        assert not [s for s in said if "checkpoint is kept" in s], said
        run.set_status("running", progress=0.3)  # a run that has trained keeps its checkpoint
        at.run()
        assert "Stopping after the current batch; the checkpoint is kept." in [i.value for i in at.info]
        run.clear_stop()
        run.set_status("done")


def test_a_fine_tunes_time_note_converts_its_sources_pace_to_these_texts(studio_home):
    """Pretrained on news articles (the whole window) at 20 texts/s, fine-tuned on reviews at about 100:
    the form said 120 minutes. The source's pace is scaled by the tokens a text fills in each set."""
    import pandas as pd

    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training import runner
    from core.training.runner import RunConfig, train_run

    DatasetStore().ensure_builtin("starter")
    encoder = {"preset": "tiny", "max_len": 128, "vocab_size": 500}
    train = {"epochs": 1, "max_steps": 2, "threads": 1}
    pretrained = train_run(RunConfig.create("starter", "transformer", encoder, train, task="pretrain"))
    words = "the match was great and the food was good in the city " * 12
    frame = pd.DataFrame({"text": [f"{words} {i}" for i in range(400)], "label": ["a", "b"] * 200})
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.2, 0.1, 0))
    long_texts = DatasetStore().save(frame, "long texts", "test", {}).id
    there = runner.source_reading(pretrained.id, "starter")["tokens_per_text"]
    here = runner.source_reading(pretrained.id, long_texts)["tokens_per_text"]
    assert here > 2 * there  # the window full here, short sentences there
    pace = next(m["throughput_avg"] for m in reversed(pretrained.metrics()) if m.get("event") == "step")
    expected = pace * there / here
    texts = DatasetStore().info(long_texts).split_counts["train"]
    epochs = int(3000 * expected / texts) + 1  # about 50 minutes at the converted pace
    at = app()
    at.query_params["dataset"] = long_texts
    at.switch_page("pages/train.py").run()
    at.radio(key="task").set_value("finetune").run()
    at.selectbox(key="source_run").set_value(pretrained.id).run()
    at.number_input(key="train_finetune_transformer.epochs").set_value(epochs).run()
    assert not at.exception, at.exception
    said = [c.value for c in at.caption if c.value.startswith("At the pace")]
    minutes = f"{epochs * texts / expected / 60:,.0f}"
    assert said and "for texts of this length" in said[0], said
    assert f"{epochs} epochs over {texts:,} texts take up to about {minutes} minutes;" in said[0], said


def test_a_fine_tune_whose_source_was_deleted_says_so_on_evaluate_and_train(small_dataset):
    """`runs show` said "bbc-pre (…, deleted since)" and Embeddings "was deleted", while Evaluate and Train
    went on saying "Fine-tuned from run bbc-pre" as if it were there to open."""
    from core.registry import RunStore
    from core.training.runner import RunConfig, train_run
    from tests.conftest import TINY_TRAIN, tiny_config

    source = train_run(tiny_config(small_dataset, "bow_mlp"))
    tuned = train_run(
        RunConfig.create(small_dataset, train_overrides=TINY_TRAIN, task="finetune", source_run=source.id)
    )
    RunStore().delete(source.id)
    at = app()
    at.query_params.update(dataset=small_dataset, run=tuned.id)
    at.switch_page("pages/evaluate.py").run()
    assert not at.exception, at.exception
    lineage = [c.value for c in at.caption if c.value.startswith("Fine-tuned from run")]
    from ui.safe_text import md

    assert lineage and lineage[0].endswith("(deleted since).") and md(source.id) in lineage[0], lineage
    at.switch_page("pages/train.py").run()
    assert not at.exception, at.exception
    lineage = [c.value for c in at.caption if "fine-tuned from run" in c.value]
    assert lineage and lineage[0].endswith("(deleted since)"), lineage


def test_a_bag_of_words_source_that_knows_little_is_not_told_to_pretrain(studio_home, capsys):
    """A bag-of-words MLP fine-tuned on texts it barely knew was advised "Pretrain on texts like these
    first": only a Transformer is pretrained."""
    import pandas as pd

    from core.cli import main
    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    def dataset(name, texts):
        frame = pd.DataFrame({"text": texts, "label": ["a", "b"] * (len(texts) // 2)})
        frame["split"] = stratified_split(frame["label"], SplitConfig(0.2, 0.1, 0))
        return DatasetStore().save(frame, name, "test", {}).id

    english = dataset("notes", [f"the weather today is {w} number {i}" for i, w in enumerate(["sunny", "wet"] * 30)])
    chinese = dataset("评论", [f"今天的天气{w}第{i}天" for i, w in enumerate(["很好", "很差"] * 30)])
    bag = train_run(tiny_config(english, "bow_mlp"))
    main(["finetune", "--from", bag.id, "--dataset", chinese, "--epochs", "1", "--train-set", "max_steps=1", "--quiet"])
    err = capsys.readouterr().err
    assert "of this dataset's tokens" in err and "Train from scratch on this dataset instead." in err, err
    assert "Pretrain" not in err
    at = app()
    at.query_params["dataset"] = chinese
    at.switch_page("pages/train.py").run()
    at.radio(key="task").set_value("finetune").run()
    at.selectbox(key="source_run").set_value(bag.id).run()
    assert not at.exception, at.exception
    said = [w.value for w in at.warning if "fine-tuning keeps little" in w.value]
    assert said and said[0].endswith("Train from scratch on this dataset instead."), said


def test_a_corpus_pretrainings_pace_is_converted_from_full_windows(studio_home, tmp_path, capsys):
    """A --corpus pretraining reads full windows whatever its texts are like; its sample dataset's short
    texts made the conversion a no-op, and the form kept the full-window pace for short reviews."""
    from core.cli import main
    from core.registry import DatasetStore, RunStore
    from core.training import runner

    DatasetStore().ensure_builtin("starter")
    corpus = tmp_path / "notes.txt"
    corpus.write_text("\n".join(f"short note number {i} about the weather" for i in range(300)), encoding="utf-8")
    args = ["pretrain", "--corpus", str(corpus), "--preset", "tiny", "--set", "max_len=128", "--threads", "1"]
    assert main([*args, "--epochs", "1", "--train-set", "max_steps=2", "--quiet", "--run-id", "windows"]) == 0
    capsys.readouterr()
    source = RunStore().get("windows")
    here = runner.source_reading(source.id, "starter")
    pace = next(m["throughput_avg"] for m in reversed(source.metrics()) if m.get("event") == "step")
    expected = pace * here["max_len"] / here["tokens_per_text"]
    texts = DatasetStore().info("starter").split_counts["train"]
    epochs = int(3000 * expected / texts) + 1
    at = app()
    at.query_params["dataset"] = "starter"
    at.switch_page("pages/train.py").run()
    at.radio(key="task").set_value("finetune").run()
    at.selectbox(key="source_run").set_value(source.id).run()
    at.number_input(key="train_finetune_transformer.epochs").set_value(min(epochs, 10_000)).run()
    assert not at.exception, at.exception
    said = [c.value for c in at.caption if c.value.startswith("At the pace")]
    assert said and "for texts of this length" in said[0], said
    shown = float(re.search(r"about ([\d,]+) texts/s", said[0]).group(1).replace(",", ""))
    assert abs(shown - expected) <= 1, (shown, expected)


def test_a_file_uploaded_again_under_its_name_keeps_its_texts_splits(studio_home):
    """The same file uploaded again after its labels were fixed was split afresh, and the runs before and
    after were scored on other test texts: a +6.6 pt "gain" that was mostly cleaner test labels."""
    from core.registry import DatasetStore

    rows = [(f"note {i} about the weather", "a" if i % 2 else "b") for i in range(60)]
    at = app()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="upload").upload(
        "notes.csv", pd.DataFrame(rows, columns=["text", "label"]).to_csv(index=False).encode(), "text/csv"
    ).run()
    assert not [c for c in at.selectbox if c.key and c.key.startswith("keep_splits")]  # nothing to keep yet
    save_upload(at)
    first = at.session_state["active_dataset"]
    before = DatasetStore().load(first).set_index("text")["split"]
    fixed = [(text, "a" if i < 6 else label) for i, (text, label) in enumerate(rows)][::-1]
    fixed += [(f"a new note {i}", "a" if i % 2 else "b") for i in range(10)]
    data = pd.DataFrame(fixed, columns=["text", "label"]).to_csv(index=False).encode()
    at.file_uploader(key="upload").upload("notes.csv", data, "text/csv").run()
    (keep,) = [c for c in at.selectbox if c.key and c.key.startswith("keep_splits")]
    assert keep.value == first  # the dataset of the same name, picked for it
    saved = save_upload(at)
    second = at.session_state["active_dataset"]
    assert second != first
    after = DatasetStore().load(second).set_index("text")["split"]
    assert (after.reindex(before.index) == before).all()
    assert (
        saved
        and f"60 of its texts kept their split from the earlier **notes** (`{first}`); 10 were split anew."
        in (saved[0])
    ), saved
    assert DatasetStore().info(second).split["kept_from"] == first  # which dataset it is a new version of


def test_keeping_splits_gives_every_class_test_texts_and_is_offered_under_any_name(studio_home):
    """A fixed label that made a new class left it without a test text; and renaming the upload, as the
    page advises for two datasets of one name, hid the choice and split the file afresh."""
    from core.registry import DatasetStore

    rows = [(f"note {i} about the weather", "a" if i % 2 else "b") for i in range(60)]
    at = app()
    at.switch_page("pages/data.py").run()
    data = pd.DataFrame(rows, columns=["text", "label"]).to_csv(index=False).encode()
    at.file_uploader(key="upload").upload("notes.csv", data, "text/csv").run()
    save_upload(at)
    first = at.session_state["active_dataset"]
    before = DatasetStore().load(first).set_index("text")["split"]
    training = [text for text, split in before.items() if split == "train"][:6]
    fixed = [(text, "c" if text in training else label) for text, label in rows]  # a new class, all training texts
    data = pd.DataFrame(fixed, columns=["text", "label"]).to_csv(index=False).encode()
    at.file_uploader(key="upload").upload("notes fixed.csv", data, "text/csv").run()
    (keep,) = [c for c in at.selectbox if c.key and c.key.startswith("keep_splits")]
    assert keep.value is None  # another name: offered, not picked
    keep.set_value(first).run()
    saved = save_upload(at)
    assert saved and "2 training texts moved to test or validation, so that every class has some." in saved[0], saved
    after = DatasetStore().load(at.session_state["active_dataset"])
    assert set(after.loc[after["label"] == "c", "split"]) == {"train", "val", "test"}
    moved = after.set_index("text")["split"].reindex(before.index) != before
    assert moved.sum() == 2


def test_names_or_members_of_the_wrong_shape_in_one_run_leave_home_and_the_run_list_standing(small_dataset, capsys):
    """A code review: ``[]`` in one run's names.json, or a list for an ensemble's members in its status.json,
    took down Home and `runs list` (AttributeError), and `runs delete` of any run with it."""
    import shutil

    from core.cli import main
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp", epochs=1))
    other = train_run(tiny_config(small_dataset, "bow_mlp", epochs=1))
    (run.path / "names.json").write_text("[]", encoding="utf-8")
    ensemble = run.path.parent / "an-ensemble"
    shutil.copytree(other.path, ensemble)
    config = json.loads((ensemble / "config.json").read_text(encoding="utf-8"))
    (ensemble / "config.json").write_text(json.dumps({**config, "encoder": "ensemble"}), encoding="utf-8")
    status = json.loads((ensemble / "status.json").read_text(encoding="utf-8"))
    (ensemble / "status.json").write_text(json.dumps({**status, "member_runs": [other.id]}), encoding="utf-8")

    at = app().run()
    assert not at.exception, [e.value for e in at.exception]
    recent = [shown(e.proto.label) for e in at.get("page_link") if "· done" in e.proto.label]
    assert len(recent) == 3, recent  # the run with the damaged names too
    assert main(["runs", "list"]) == 0
    assert run.id in capsys.readouterr().out
    assert main(["runs", "delete", other.id, "--yes"]) == 0
    assert not other.path.exists()


def test_every_page_that_takes_a_file_takes_the_same_endings_and_core_reads_each():
    """A docs audit: the Data page took .ndjson and a web app's .xls export, the Playground's "Classify a
    file" and Search's "Add a file" refused them in the browser's file dialog."""
    import ast

    from core.data import UPLOAD_EXTENSIONS, detect_format

    pages = Path(APP).parent / "pages"
    found = {}
    for path in sorted(pages.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "file_uploader":
                (kind,) = [k.value for k in node.keywords if k.arg == "type"]
                found[path.name] = ast.unparse(kind)
    assert set(found) == {"data.py", "playground.py", "search.py"}, found
    assert set(found.values()) == {"list(UPLOAD_EXTENSIONS)"}, found
    assert {detect_format(f"x.{ending}") for ending in UPLOAD_EXTENSIONS} == {
        "csv",
        "tsv",
        "jsonl",
        "txt",
        "xlsx",
        "parquet",
    }


def test_the_tokenisation_preview_shows_jieba_only_where_there_is_chinese(studio_home):
    """A Korean set's preview showed jieba words (it cut German "großartig" into "gro · ß · artig"),
    a tokeniser no run of such a set reads with."""
    at = app()
    at.switch_page("pages/data.py").run()
    rows = [(f"김치찌개 정말 맛있어요 {i}", "food") for i in range(10)] + [
        (f"축구 경기 재미있어요 {i}", "sport") for i in range(10)
    ]
    at.file_uploader(key="upload").upload(
        "ko.csv", pd.DataFrame(rows, columns=["text", "label"]).to_csv(index=False).encode(), "text/csv"
    )
    at.run()
    assert not at.exception, at.exception
    (preview,) = [e for e in at.expander if e.label.startswith("Tokenisation preview")]
    assert preview.label == "Tokenisation preview: characters and WordPiece"
    assert not any("jieba" in str(d.value) for d in preview.dataframe)
