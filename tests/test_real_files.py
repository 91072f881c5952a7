"""Issue 16: files as people have them (no header, several text columns, unquoted TSV), names
that work as ids, and a command line that explains itself."""

import subprocess
import sys

import pandas as pd
import pytest

from core.cli import build_parser, main
from core.data import TEXT_JOINER, load_file, to_examples
from core.registry import DatasetStore

# the public English news file's shape: class,title,description and no header row
NEWS_ROWS = [
    (f'"{label}"', f'"{title} ({i})"', f'"{body}, report {i} says."')
    for i in range(6)
    for label, title, body in (
        (
            "3",
            "Wall St. Bears Claw Back Into the Black (Reuters)",
            "Reuters - Short-sellers, Wall Street's dwindling band",
        ),
        (
            "4",
            "Fears for T N pension after talks",
            "Unions representing workers at Turner Newall say they are disappointed",
        ),
        ("2", "Olympics: Phelps wins again", "Michael Phelps won his sixth gold medal in the pool on Friday night"),
        ("1", "Iraq talks resume", "Negotiators met again in Baghdad, officials said, after a week of delays"),
    )
]


def news_file(tmp_path, header: str = ""):
    lines = ([header] if header else []) + [",".join(row) for row in NEWS_ROWS]
    path = tmp_path / "news.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_headerless_news_file_keeps_every_row_and_says_so(tmp_path):
    table = load_file(news_file(tmp_path))
    assert len(table.frame) == len(NEWS_ROWS)  # the first row is data, not lost as a header
    assert table.columns == ["column_1", "column_2", "column_3"] and not table.header
    assert "no_header" in [n.code for n in table.notes]
    assert table.frame.iloc[0].tolist()[0] == "3"
    assert table.label_column == "column_1" and table.text_column == "column_3"


def test_header_override_both_ways(tmp_path):
    headed = load_file(news_file(tmp_path), header=True)  # forced: the first row becomes names
    assert len(headed.frame) == len(NEWS_ROWS) - 1 and headed.columns[0] == "3"
    named = news_file(tmp_path, header="label,title,description")
    assert len(load_file(named).frame) == len(NEWS_ROWS)  # a real header is still a header
    forced = load_file(named, header=False)
    assert len(forced.frame) == len(NEWS_ROWS) + 1 and "no_header" not in [n.code for n in forced.notes]


def test_a_workbook_without_a_header_row_keeps_its_first_row_too():
    import io

    import pandas as pd

    rows = [(label, title.strip('"'), body.strip('"')) for label, title, body in NEWS_ROWS]
    buf = io.BytesIO()
    pd.DataFrame(rows).to_excel(buf, index=False, header=False)
    table = load_file(buf.getvalue(), "news.xlsx")
    assert len(table.frame) == len(NEWS_ROWS) and not table.header  # the first row is data, not names
    assert table.columns == ["column_1", "column_2", "column_3"]
    assert "no_header" in [n.code for n in table.notes]
    assert table.text_column == "column_3" and table.label_column == "column_1"
    assert len(load_file(buf.getvalue(), "news.xlsx", header=True).frame) == len(NEWS_ROWS) - 1  # forced
    named = io.BytesIO()
    pd.DataFrame(rows, columns=["label", "title", "description"]).to_excel(named, index=False)
    headed = load_file(named.getvalue(), "named.xlsx")  # a real header is still a header
    assert headed.header and headed.columns == ["label", "title", "description"] and len(headed.frame) == len(rows)
    assert "no_header" not in [n.code for n in headed.notes]


def test_the_column_guess_prefers_the_longer_free_text(tmp_path):
    table = load_file(news_file(tmp_path, header="label,title,description"))
    assert table.text_column == "description" and table.label_column == "label"


def test_several_text_columns_are_joined_in_order(tmp_path):
    table = load_file(news_file(tmp_path, header="label,title,description"), text_column=["title", "description"])
    texts = to_examples(table)["text"].tolist()
    assert texts[1] == (
        "Fears for T N pension after talks (0)"
        + TEXT_JOINER
        + "Unions representing workers at Turner Newall say they are disappointed, report 0 says."
    )
    assert table.chosen_text_columns == ["title", "description"] and table.label_column == "label"
    comma = load_file(news_file(tmp_path, header="label,title,description"), text_column="title,description")
    assert comma.chosen_text_columns == ["title", "description"]  # the spelling the user tried


def test_an_unquoted_tsv_with_quotes_reads_and_says_how(tmp_path):
    path = tmp_path / "SMSSpamCollection.tsv"
    path.write_text(
        'ham\tGo until jurong point, "crazy"\nspam\t"Free" entry in 2 a wkly comp\nham\tOk lar... "Joking\n',
        encoding="utf-8",
    )
    table = load_file(path)
    assert table.quoting == "none" and "unquoted" in [n.code for n in table.notes]
    assert table.frame[table.text_column].tolist() == [
        'Go until jurong point, "crazy"',
        '"Free" entry in 2 a wkly comp',
        'Ok lar... "Joking',
    ]
    quoted = load_file(path, quoting="minimal")  # forced: the reading the user asked for
    assert quoted.quoting == "minimal" and quoted.frame.iloc[:, 1].tolist()[1] == "Free entry in 2 a wkly comp"


def test_a_quoted_csv_keeps_quoting(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text('text,label\n"Hello, world",pos\n"She said ""hi""",neg\n', encoding="utf-8")
    table = load_file(path)
    assert table.quoting == "minimal" and table.frame["text"].tolist() == ["Hello, world", 'She said "hi"']


def test_texts_written_on_several_lines_in_quotes_keep_quoting(tmp_path):
    """Any quoted cell with a line break read as "shifted": the file was read with quotes as text,
    splitting each such review in two and saving its second line's words as a class."""
    reviews = (
        'text,label\n"Great phone, fast shipping\nWould buy again",pos\nBattery died in a day,neg\n'
        '"Broke after a week, sadly\nReturned it",neg\nWorks fine,pos\n'
    )
    table = load_file(reviews.encode(), "reviews.csv")
    assert table.quoting == "minimal" and "unquoted" not in [n.code for n in table.notes]
    assert table.frame["text"][0] == "Great phone, fast shipping\nWould buy again"
    assert table.frame["label"].tolist() == ["pos", "neg", "neg", "pos"]
    corpus = pd.DataFrame({"text": ["第一段：今天天气很好。\n第二段：我们去公园散步。", "单行文本", "另一段\n第二行"]})
    table = load_file(corpus.to_csv(index=False).encode(), "corpus.csv")  # one column, as pandas writes it
    assert table.quoting == "minimal" and table.frame["text"].tolist() == corpus["text"].tolist()
    # letters written on several lines, some with a comma (Excel's Alt+Enter): read as quoted, as pandas does
    letters = pd.DataFrame(
        {
            "text": [
                "Hi team,\nthe order arrived broken, again.\nBob",
                "Thanks all good",
                "Dear support,\nwhere is my parcel, please?\nAnna",
                "Great service",
            ],
            "label": ["complaint", "praise", "complaint", "praise"],
        }
    )
    table = load_file(letters.to_csv(index=False).encode(), "letters.csv")
    assert table.quoting == "minimal" and table.frame["text"].tolist() == letters["text"].tolist()
    assert table.frame["label"].tolist() == letters["label"].tolist()
    # a quote opened in one text and closed in another swallows whole rows: read as text, as before
    runaway = 'label\ttext\nham\t"Hi there\nham\tok see you\nspam\tfree entry"\nham\tbye\n'
    table = load_file(runaway.encode(), "sms.tsv")
    assert table.quoting == "none" and table.frame["text"].tolist() == ['"Hi there', "ok see you", 'free entry"', "bye"]


def test_cli_imports_the_news_file_with_two_text_columns_and_a_name_that_works_as_id(studio_home, tmp_path, capsys):
    path = str(news_file(tmp_path))
    code = main(
        [
            "data",
            "import",
            path,
            "--no-header",
            "--text-col",
            "column_2",
            "--text-col",
            "column_3",
            "--label-col",
            "column_1",
            "--name",
            "agnews",
        ]
    )
    assert code == 0, capsys.readouterr()
    (info,) = DatasetStore().list()
    assert info.rows == len(NEWS_ROWS) and info.name == "agnews" and info.id != "agnews"
    assert info.columns == {
        "text": ["column_2", "column_3"],
        "label": "column_1",
        "header": False,
        "quoting": "minimal",
        "separator": ",",
    }
    assert TEXT_JOINER in DatasetStore().load(info.id)["text"].iloc[0]
    assert DatasetStore().resolve("agnews") == info.id
    assert main(["train", "--dataset", "agnews", "--encoder", "baseline", "--quiet"]) == 0
    from core.registry import RunStore

    (run,) = RunStore().list()
    assert run.config()["dataset"] == info.id  # the run records the id the name stood for


def test_an_ambiguous_name_lists_the_candidates(studio_home, tmp_path, capsys):
    path = str(news_file(tmp_path, header="label,title,description"))
    for _ in range(2):
        assert main(["data", "import", path, "--name", "news"]) == 0
    capsys.readouterr()
    assert main(["train", "--dataset", "news", "--quiet"]) == 1
    err = capsys.readouterr().err
    ids = [d.id for d in DatasetStore().list()]
    assert "2 datasets are named 'news'" in err and all(i in err for i in ids)


@pytest.mark.parametrize(
    "command", [["data", "inspect"], ["data", "import"], ["train"], ["pretrain"], ["finetune"], ["runs"]]
)
def test_every_subcommand_has_its_own_help_with_defaults(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args([*command, "--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith(f"usage: python -m core {' '.join(command)}")
    if command == ["data", "import"]:
        assert "(default: 0.1)" in text and "(default: 0.2)" in text and "--no-header" in text and "--quoting" in text
    if command[0] in ("train", "pretrain", "finetune"):
        assert "--threads" in text and "--time-budget" in text
    assert "(default: None)" not in text


def test_threads_and_time_budget_reach_the_run(small_dataset, capsys):
    assert (
        main(
            [
                "train",
                "--dataset",
                small_dataset,
                "--encoder",
                "bow_mlp",
                "--threads",
                "1",
                "--time-budget",
                "0.5",
                "--epochs",
                "500",
                "--train-set",
                "patience=0",
                "--quiet",
            ]
        )
        == 0
    )
    from core.registry import RunStore

    (run,) = RunStore().list()
    train = run.config()["train"]
    assert train["threads"] == 1 and train["time_budget_s"] == 0.5
    assert run.status()["state"] == "done" and "accuracy" in run.eval()  # evaluated, not left stopped
    assert "time budget of 0.5 s reached" in (run.path / "log.txt").read_text()
    steps = [e for e in run.metrics() if e["event"] == "step"]
    assert 0 < len(steps) < 500 * 2  # far fewer than the 500 epochs asked for


def test_runs_stop_stops_a_run_another_process_owns(small_dataset, tmp_path):
    import os
    import time

    from core.registry import RunStore

    env = dict(os.environ)
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "core",
            "train",
            "--dataset",
            small_dataset,
            "--epochs",
            "5000",
            "--train-set",
            "patience=0",  # no early stop: the run must still be training when it is told to stop
            "--quiet",
            "--threads",
            "1",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        run = None
        while time.monotonic() < deadline:
            runs = RunStore().list()
            if (
                runs
                and runs[0].status().get("state") == "running"
                and any(e["event"] == "step" for e in runs[0].metrics())
            ):
                run = runs[0]
                break
            time.sleep(0.2)
        assert run is not None, child.stderr.read() if child.poll() is not None else "the run did not start"
        assert main(["runs", "stop", run.id, "--wait", "60"]) == 0
        assert run.status()["state"] == "stopped"
        assert child.wait(timeout=60) is not None
    finally:
        if child.poll() is None:
            child.kill()


def test_predict_file_keeps_the_inputs_other_columns(small_dataset, tmp_path, capsys):
    import pandas as pd

    from core.registry import RunStore
    from core.training.runner import RunConfig, train_run
    from tests.conftest import TINY_ENCODER, TINY_TRAIN

    run = train_run(RunConfig.create(small_dataset, "bow_mlp", TINY_ENCODER["bow_mlp"], TINY_TRAIN))
    source = tmp_path / "to_score.csv"
    pd.DataFrame(
        {"id": [17, 42], "review": ["goal in the last minute", "红烧肉很好吃"], "expected": ["sports", "food"]}
    ).to_csv(source, index=False)
    out = tmp_path / "scored.csv"
    assert main(["predict", "--run", run.id, "--file", str(source), "--out", str(out)]) == 0
    assert "classifying column 'review' of to_score.csv" in capsys.readouterr().err
    scored = pd.read_csv(out)
    assert scored["id"].tolist() == [17, 42] and scored["expected"].tolist() == ["sports", "food"]
    # the texts once, in the file's own column: a second copy as "text" doubled the download
    assert scored["review"].tolist() == ["goal in the last minute", "红烧肉很好吃"] and "text" not in scored.columns
    # a column of numbers is classified (as asked) but called out; an empty --text is refused
    assert main(["predict", "--run", run.id, "--file", str(source), "--text-col", "id", "--out", str(out)]) == 0
    assert "the column 'id' holds numbers, not text" in capsys.readouterr().err
    assert main(["predict", "--run", run.id, "--text", "goal", "--text", " "]) == 2
    assert "a --text is empty" in capsys.readouterr().err
    assert set(scored["prediction"]) <= set(RunStore().get(run.id).config()["labels"])
    assert main(["predict", "--run", run.id, "--file", str(source), "--out", str(out), "--no-keep-columns"]) == 0
    assert "id" not in pd.read_csv(out).columns


def test_the_duplicate_warning_shows_each_repeated_text_once():
    import pandas as pd

    from core.data import DataLimits, validate

    frame = pd.DataFrame({"text": ["same", "same", "same", "other", "other", "x", "y"], "label": list("aaabbab")})
    report = validate(frame, DataLimits(), require_labels=True)
    (dups,) = [p for p in report.warnings if p.code == "duplicate_texts"]
    assert dups.count == 3 and list(dups.examples) == ["same", "other"]
