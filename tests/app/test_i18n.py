"""Chinese and English UI: every string has its translation, and every page reads whole in both.

The catalogue test reads the source: each ``t("…")`` literal in pages/ and ui/ must have a
Chinese entry with the same ``{placeholders}``. The walk opens every page in both languages
with real runs and collects every string a reader sees (titles, text, labels, help, options,
messages); in Chinese nothing may be missing from the catalogue and no English phrase may be
left, in English no Chinese may appear outside the data.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.test_pages import APP

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([*ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py")])
PAGES = (
    "pages/home.py",
    "pages/data.py",
    "pages/train.py",
    "pages/evaluate.py",
    "pages/embeddings.py",
    "pages/playground.py",
    "pages/search.py",
    "pages/compare.py",
)
# An English phrase: four words in a row (a class label, an id or a term of art is shorter).
ENGLISH_PHRASE = re.compile(r"[A-Za-z][a-z]+(?:[ ,:;'()/-]+[A-Za-z][a-z]+){3,}")
CJK = re.compile(r"[\u3400-\u9fff]")


def literal_calls(path: Path) -> list[tuple[str, int]]:
    """``(text, line)`` of every ``t("…")`` call with a literal first argument, and of ``headers("…", …)``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name == "t" and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            found.append((node.args[0].value, node.lineno))
        elif name == "headers":  # i18n.headers("run", "state", …): each name is shown through t
            found += [
                (a.value, node.lineno) for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
    return found


def test_every_string_has_a_chinese_entry_with_the_same_placeholders():
    from ui.i18n import placeholders
    from ui.locales.zh import STRINGS

    problems = []
    for path in SOURCES:
        for text, line in literal_calls(path):
            where = f"{path.relative_to(ROOT)}:{line}"
            if text not in STRINGS:
                problems.append(f"{where}: no translation for {text!r}")
            elif placeholders(text) != placeholders(STRINGS[text]):
                problems.append(f"{where}: placeholders differ in {text!r}")
    assert not problems, "\n".join(problems)


def test_a_metric_delta_keeps_its_sign_first_in_chinese():
    """Streamlit colours a metric's delta by its first character: "较基线 -14.2 …" showed a loss green."""
    from ui.locales.zh import STRINGS

    deltas = {key: text for key, text in STRINGS.items() if key.startswith("{delta")}
    assert len(deltas) >= 2 and all(text.startswith("{delta") for text in deltas.values()), deltas


def test_the_config_forms_are_translated_too():
    """Field names and their help come from the config dataclasses' comments: all in the catalogue."""
    from ui.forms import CHOICES, OPTION_LABELS, form_strings
    from ui.locales.zh import STRINGS

    missing = sorted(s for s in form_strings() if f"form|{s}" not in STRINGS)
    missing += sorted(label for label in OPTION_LABELS.values() if f"option|{label}" not in STRINGS)
    assert not missing, missing
    assert all(value in CHOICES[field] for field, value in OPTION_LABELS), "a label for a choice that is gone"


def test_form_fields_read_as_words_in_english_with_the_config_key_beside_code_like_names():
    import dataclasses

    from ui.forms import FIELD_LABELS, field_label, form_classes

    names = {f.name for cls in form_classes() for f in dataclasses.fields(cls)}
    assert set(FIELD_LABELS) <= names, sorted(set(FIELD_LABELS) - names)  # no label for a field that is gone
    assert field_label("d_model") == "Model width (d_model)"
    assert field_label("epochs") == "Epochs" and field_label("batch_size") == "Batch size"
    for name in names:
        label = field_label(name)
        # a label shows no underscore outside the key in brackets, and starts with a capital
        assert "_" not in label.split(" (")[0] and label[:1].isupper(), (name, label)


def test_form_fields_in_chinese_show_the_config_key_as_it_is_spelled(monkeypatch):
    """ "冻结编码器 (freeze_encoder)": the key beside the words is the one --set and the saved run use."""
    from ui import forms, i18n

    monkeypatch.setattr(forms, "lang", lambda: "zh")
    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    assert forms.field_label("freeze_encoder") == "冻结编码器 (freeze_encoder)"
    assert forms.field_label("batch_size") == "批次大小 (batch_size)"


TEXT_ELEMENTS = {"title", "header", "subheader", "caption", "markdown", "text", "alert", "toast", "latex"}


def visible_strings(at: AppTest) -> list[str]:
    """Every string a reader sees on the page, main area and sidebar.

    Text elements give their content; widgets their label, help, placeholder and options (not
    their value: that is what the user typed). Dataframes and charts hold data.
    """
    out: list[str] = []

    def walk(node) -> None:
        kind = getattr(node, "type", "")
        if kind in ("arrow_data_frame", "dataframe", "plotly_chart", "json", "code"):
            return
        value = getattr(node, "value", None)
        if (kind in TEXT_ELEMENTS or kind.startswith("alert") or kind in ("info", "warning", "error", "success")) and (
            isinstance(value, str) and value
        ):
            out.append(value)
        for attr in ("label", "help", "placeholder"):
            text = getattr(node, attr, None)
            if isinstance(text, str) and text:
                out.append(text)
        proto = getattr(node, "proto", None)
        for attr in ("label", "help", "placeholder", "body"):
            text = getattr(proto, attr, None) if proto is not None else None
            if attr == "body" and isinstance(text, str) and text.lstrip().startswith("<style>"):
                continue  # a stylesheet draws nothing of its own (its Chinese content strings are checked apart)
            if isinstance(text, str) and text:
                out.append(text)
        options = getattr(proto, "options", None) if proto is not None else None
        if options is not None:
            out.extend(str(o) for o in options if isinstance(o, str))
        children = getattr(node, "children", None)
        for child in children.values() if isinstance(children, dict) else []:
            walk(child)

    walk(at._tree)
    return out


def without_data(strings: list[str]) -> list[str]:
    """The strings with the stored datasets' names taken out (names are data, in any language)."""
    from core.registry import DatasetStore

    names = sorted((d.name for d in DatasetStore().list()), key=len, reverse=True)
    out = []
    for text in strings:
        for name in names:
            text = text.replace(name, "")
        out.append(text)
    return out


def open_in(lang: str, page: str, run_id: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"dataset": "starter", "run": run_id, "lang": lang})
    at.run()
    if page != "pages/home.py":
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_reads_whole_in_chinese_and_in_english(trained, page):
    from ui import i18n

    _, mlp, tiny = trained
    for run_id in (mlp.id, tiny.id):
        i18n.MISSING.clear()
        zh = visible_strings(open_in("zh", page, run_id))
        assert not i18n.MISSING, sorted(i18n.MISSING)
        english = sorted({m.group() for s in zh for m in ENGLISH_PHRASE.finditer(s)})
        assert not english, english
        assert any(CJK.search(s) for s in zh)
        en = without_data(visible_strings(open_in("en", page, run_id)))
        chinese_ui = [s for s in en if CJK.search(s) and s not in i18n.LANGUAGES.values()]  # "中文" names itself
        assert not chinese_ui, chinese_ui


def core_messages_of_the_malformed_inputs() -> list[str]:
    """What the Data page shows for every malformed input: the read error, or each finding and its fix."""
    from core.data import DataLimits, load_file, to_examples, validate
    from core.errors import DataError
    from tests.malformed import CASES

    messages = []
    for case in CASES:
        limits = case.limits or DataLimits()
        try:
            table = load_file(case.make(), case.filename, encoding=case.encoding, limits=limits)
        except DataError as exc:
            messages.append(str(exc))
            continue
        report = validate(to_examples(table), limits, require_labels=table.label_column is not None, table=table)
        for problem in report.problems:
            messages += [problem.message, problem.fix]
    return messages


def test_every_message_of_the_malformed_inputs_reads_in_chinese(monkeypatch):
    """core writes English; each of its messages on the Data page has a Chinese template."""
    from ui import i18n

    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    i18n.MISSING.clear()
    messages = core_messages_of_the_malformed_inputs()
    assert len(messages) > 60
    translated = {m: i18n.tm(m) for m in messages}
    assert not i18n.MISSING, sorted(i18n.MISSING)
    assert all(CJK.search(zh) for zh in translated.values())


def test_why_a_row_is_left_out_reads_in_chinese(monkeypatch):
    """The Data page's download of left-out rows says why in core's words, translated as core messages."""
    from core.data import LEFT_OUT_REASONS, left_out_why
    from ui import i18n

    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    i18n.MISSING.clear()
    translated = [i18n.tm(left_out_why(reason)) for reason in LEFT_OUT_REASONS]
    assert not i18n.MISSING, sorted(i18n.MISSING)
    assert all(CJK.search(zh) for zh in translated)
    assert "10,000" in i18n.tm(left_out_why("repeat_after_cut"))


def test_messages_of_lost_characters_read_in_chinese(monkeypatch):
    import pandas as pd

    from core.data import validate
    from ui import i18n

    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    i18n.MISSING.clear()
    texts = [f"第{i}条评论，服务很好" for i in range(20)] + ["??????", "？？ ??", "破\ufffd", "坏\ufffd"]
    report = validate(pd.DataFrame({"text": texts, "label": ["a", "b"] * 12}, dtype=object))
    found = [p for p in report.problems if p.code in ("replacement_characters", "no_words")]
    assert len(found) == 2
    said = [i18n.tm(part) for p in found for part in (p.message, p.fix)]
    assert not i18n.MISSING, sorted(i18n.MISSING)
    assert all(CJK.search(text) for text in said)


def test_long_lists_in_core_messages_read_in_chinese_to_the_end(monkeypatch):
    """A warning that lists a few names and then "and N more" is translated whole, the count included."""
    import json

    from core.data import load_file, to_examples, validate
    from tests.malformed import GOOD_SHEET, xlsx
    from ui import i18n

    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    i18n.MISSING.clear()
    book = load_file(xlsx(GOOD_SHEET, *[[["a"], ["b"]]] * 8)(), "many.xlsx")
    rows = [{"text": f"text {i}", "label": "ab"[i % 2], "meta": {f"field{j}": j for j in range(14)}} for i in range(6)]
    nested = load_file("\n".join(json.dumps(row) for row in rows).encode(), "nested.jsonl")
    messages = [
        problem.message
        for table in (book, nested)
        for problem in validate(to_examples(table), table=table).problems
        if problem.code in ("other_sheets", "spread_objects")
    ]
    assert len(messages) == 2 and all(" more" in m for m in messages), messages
    shown = [i18n.tm(m) for m in messages]
    assert not i18n.MISSING, sorted(i18n.MISSING)
    assert all(CJK.search(zh) and "more" not in zh for zh in shown), shown
    assert "另有 3 个" in shown[0] and "另有 4 列" in shown[1], shown


def test_search_and_model_loading_errors_read_in_chinese(monkeypatch, tmp_path):
    """The Search page and every page that loads a model show core's errors; each has a Chinese template."""
    import json

    from core.errors import StudioError
    from core.inference import Predictor
    from core.search import SearchIndex, load_collection, remove_upload
    from ui import i18n

    (tmp_path / "r1").mkdir()
    (tmp_path / "r1" / "config.json").write_text(json.dumps({"encoder": "bow_mlp"}))
    (tmp_path / "texts.txt").write_text("\n \n")
    calls = [
        lambda: load_collection(str(tmp_path / "texts.txt"), tmp_path),
        lambda: load_collection("upload:gone-0123456789", tmp_path),
        lambda: remove_upload("dataset", tmp_path),
        lambda: Predictor.from_run(tmp_path / "nowhere"),
        lambda: Predictor.from_run(tmp_path / "r1"),
        lambda: SearchIndex.load(tmp_path / "r1", "starter"),
    ]
    errors = []
    for call in calls:
        with pytest.raises(StudioError) as caught:
            call()
        errors.append(str(caught.value))
    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    i18n.MISSING.clear()
    shown = [i18n.tm(error) for error in errors]
    assert not i18n.MISSING, sorted(i18n.MISSING)
    english = re.compile(r"\b(?:the|is|has|have|holds|was|not|and|yet|it)\b")  # paths and commands may stay
    assert all(CJK.search(zh) and not english.search(zh) for zh in shown), shown


def test_the_cause_inside_a_damaged_weights_message_reads_in_chinese_too(monkeypatch, small_dataset):
    """ "无法加载运行 X 的权重（shorter than a header）": the message had a template, its cause did not get one."""
    from core.errors import ModelFileError
    from core.inference import Predictor
    from core.training.runner import train_run
    from tests.conftest import tiny_config
    from ui import i18n

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    other = train_run(tiny_config(small_dataset, "rbf"))
    errors = []
    for damage in (b"garbage", other.model_path.read_bytes()):
        run.model_path.write_bytes(damage)
        with pytest.raises(ModelFileError) as caught:
            Predictor.from_run(run.path)
        errors.append(str(caught.value))
    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    i18n.MISSING.clear()
    shown = [i18n.tm(error) for error in errors]
    assert not i18n.MISSING, sorted(i18n.MISSING)
    assert "比文件头还短" in shown[0] and "另一个模型的权重" in shown[1], shown
    assert not any(re.search(r"\b(?:than|header|tensors|weights)\b", zh) for zh in shown), shown


def test_a_file_that_cannot_be_read_is_named_in_chinese_with_its_fix(monkeypatch):
    """ "shot.csv 不是文本文件，看起来是：a PNG image. Choose the file that holds the texts …。": the read error
    matched its finding's template whole, so the kind of file and the fix after it stayed English."""
    from core.data import _MAGIC, FORMATS, DataLimits, load_file
    from core.errors import DataError
    from tests.malformed import CASES
    from ui import i18n

    files = [(magic + bytes(range(256)) * 4, "shot.csv", None, None) for magic, _kind in _MAGIC]
    files += [
        (b"PK\x03\x04word/" + bytes(300), "shot.csv", None, None),
        (bytes(range(256)) * 64, "shot.csv", None, None),
    ]
    files += [(case.make(), case.filename, case.encoding, case.limits) for case in CASES]
    errors = []
    for data, name, encoding, limits in files:
        try:
            load_file(data, name, encoding=encoding, limits=limits or DataLimits())
        except DataError as exc:
            errors.append((name, exc))
    assert len(errors) > len(_MAGIC) + 10
    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    i18n.MISSING.clear()
    formats = md_escaped(", ".join(FORMATS))  # "use one of: csv, tsv, …": file endings, not words
    shown = [i18n.read_error(name, exc).replace(md_escaped(name), "").replace(formats, "") for name, exc in errors]
    assert not i18n.MISSING, sorted(i18n.MISSING)
    english = sorted({m.group() for zh in shown for m in ENGLISH_PHRASE.finditer(zh.replace("\\", ""))})
    assert not english, english
    assert sum("不是文本文件" in zh for zh in shown) >= len(_MAGIC) + 2, shown
    # a workbook or a Parquet file saved under a text ending is read, with a note naming what it is
    import io

    import pandas as pd

    from tests.malformed import xlsx

    parquet = io.BytesIO()
    pd.DataFrame({"text": ["a b", "c d"], "label": ["x", "y"]}).to_parquet(parquet)
    book = xlsx([["text", "label"], *[[f"text {i}", "ab"[i % 2]] for i in range(6)]])()
    notes = [
        i18n.tm(note.message)
        for data in (book, parquet.getvalue())
        for note in load_file(data, "export.csv").notes
        if note.code == "disguised_format"
    ]
    assert len(notes) == 2 and not any(re.search(r"\b(?:an?|Excel workbook|Parquet file)\b", zh) for zh in notes), notes


def md_escaped(text: str) -> str:
    from ui.safe_text import md

    return md(text)


def test_the_note_on_a_files_own_prediction_columns_reads_in_chinese(monkeypatch):
    from core.inference import renamed_note
    from ui import i18n

    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    i18n.MISSING.clear()
    many = {f"p_{k}": f"p_{k}_predicted" for k in "abcdef"}
    shown = [i18n.tm(renamed_note(r)) for r in ({"prediction": "prediction_predicted"}, many)]
    assert not i18n.MISSING, sorted(i18n.MISSING)
    assert all(zh.startswith("文件本身已有 ") for zh in shown) and "…" in shown[1], shown
    assert not any(ENGLISH_PHRASE.search(zh) for zh in shown), shown


def test_states_and_job_kinds_inside_core_messages_are_translated(monkeypatch):
    """ "Run r1 is running" names a state, and "in use by a search job" a job's kind: words, not data."""
    from ui import i18n

    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    i18n.MISSING.clear()
    state = i18n.tm("Run r1 is running; only stopped or interrupted runs resume.")
    kind = i18n.tm("Run r1 is in use by a search job (pid 7); wait for it to finish, then delete the run.")
    assert not i18n.MISSING, sorted(i18n.MISSING)
    assert "“运行中”" in state and "running" not in state, state
    assert "搜索索引任务" in kind and "search" not in kind, kind
    named = i18n.tm("Run r1 is in use by a search index job (pid 7); wait for it to finish, then delete the run.")
    assert not i18n.MISSING, sorted(i18n.MISSING)
    assert "搜索索引任务" in named and "search" not in named, named


def test_batch_prediction_columns_are_named_in_chinese_and_the_file_s_own_are_not(monkeypatch):
    from ui import i18n

    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    i18n.MISSING.clear()
    columns = ["id", "text", "prediction_predicted", "confidence", "p_pos", "p_neg", "p_other"]
    names = i18n.prediction_headers(columns, ["pos", "neg"])
    assert not i18n.MISSING, sorted(i18n.MISSING)
    assert set(names) == {"text", "prediction_predicted", "confidence", "p_pos", "p_neg"}  # id, p_other: the file's
    assert names["prediction_predicted"] == "模型的预测" and names["p_pos"] == "“pos”的概率", names
    # the file's own "prediction" column is the file's; a label ending in "_predicted" keeps its name
    own = i18n.prediction_headers(["prediction", "prediction_predicted", "p_pos_predicted"], ["pos_predicted"])
    assert set(own) == {"prediction_predicted", "p_pos_predicted"} and own["p_pos_predicted"] == "“pos_predicted”的概率"


def test_batch_preview_shows_the_model_s_numbers_to_four_decimals(monkeypatch):
    import pandas as pd

    from ui import i18n

    frame = pd.DataFrame(
        {"id": [1.5], "text": ["a"], "prediction": ["pos"], "confidence": [0.99], "p_pos": [0.99], "p_neg": [5e-22]}
    )
    for language in ("en", "zh"):
        monkeypatch.setattr(i18n, "lang", lambda language=language: language)
        config = i18n.prediction_table_config(frame, ["pos", "neg"])
        numbers = {c for c, v in config.items() if isinstance(v, dict) and v.get("type_config", {}).get("format")}
        assert numbers == {"confidence", "p_pos", "p_neg"}, config  # the file's own id column as it is
        assert config["p_neg"]["type_config"]["format"] == "%.4f"
    assert config["p_pos"]["label"] == "“pos”的概率"


def test_numbers_read_as_a_person_writes_them():
    from ui.i18n import p_value_text, percent_text, plural, t, unsigned_zero

    assert f"{unsigned_zero(-0.001, 2):.2f}" == "0.00" and f"{unsigned_zero(-0.0001, 3):+.3f}" == "+0.000"
    assert f"{unsigned_zero(-0.02, 2):.2f}" == "-0.02"  # a real negative keeps its sign
    assert p_value_text(3e-9) == "< 0.0001" and p_value_text(0.0312) == "0.0312"
    assert [percent_text(x) for x in (0.995, 0.9999, 1.0, 0.5, 0.004, 0.0)] == [
        "99.5%",
        "99.9%",
        "100%",
        "50%",
        "0.4%",
        "0%",
    ]
    assert plural(t("{name} · {rows:,} row(s)", name="one", rows=1), 1) == "one · 1 row"
    assert plural(t("{name} · {rows:,} row(s)", name="many", rows=1200), 1200) == "many · 1,200 rows"


def test_a_worker_s_progress_reads_in_chinese_numbers_and_all(monkeypatch):
    """Search and before/after jobs report phases with counts in them; each reads whole in Chinese."""
    from ui import i18n
    from ui.jobs import describe_job

    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    i18n.MISSING.clear()
    phases = [
        "reading the collection",
        "embedding 1,536 of 17,363 texts",
        "fitting the search space",
        "building the approximate index of 200,000 vectors",
        "embedding 256 of 1,000 texts with the source",
        "map before fine-tuning: layout",
    ]
    shown = [describe_job({"phase": phase})[0] for phase in phases]
    assert not i18n.MISSING, sorted(i18n.MISSING)
    assert all(CJK.search(text) and not re.search(r"[a-z]{4,}", text) for text in shown), shown
    assert "1,536" in shown[1] and "17,363" in shown[1]


def test_chinese_templates_space_a_value_as_chinese_is_set(monkeypatch):
    """A template spaced for Latin values ("使用 {run} 的编码器") read "使用 中文集成 的编码器" with a
    Chinese name, and a Latin value met Han text unspaced ("分词的TF-IDF")."""
    from ui import i18n

    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    assert i18n.t("Run {run} has no saved model yet ({state}).", run="中文集成", state="x").startswith("运行中文集成还")
    # a run's name mid-sentence is quoted: "使用微调-预训练后的编码器" ran the name into the sentence
    assert i18n.t("Searching with the encoder of {run}", run="微调-预训练") == "使用运行“微调-预训练”的编码器搜索"
    assert i18n.t("Searching with the encoder of {run}", run="bag MLP · 18a7") == "使用运行“bag MLP · 18a7”的编码器搜索"
    assert i18n.t("{name} over jieba words", name="TF-IDF + LR") == "基于 jieba 分词的 TF-IDF + LR"
    assert i18n.t("{name} over jieba words", name="词袋 MLP") == "基于 jieba 分词的词袋 MLP"
    # format specs and numbers as before
    assert i18n.t("{progress:.0%} · about {eta} left", progress=0.5, eta=i18n.duration_text(1234.5)) == (
        "50% · 约剩 20 分 34 秒"
    )


def test_the_data_page_keeps_its_tab_across_a_language_switch(studio_home):
    """The tabs' labels change with the language: the kept tab read as unknown and the first came back."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/data.py").run()
    at.session_state["data_tab"] = "Upload a file"  # as a click on the tab leaves it
    at.run()
    assert not at.exception, at.exception
    at.segmented_control(key="language_picker").set_value("zh").run()
    assert not at.exception, at.exception
    assert at.session_state["data_tab"] == "上传文件"
    at.segmented_control(key="language_picker").set_value("en").run()
    assert at.session_state["data_tab"] == "Upload a file"


def test_every_phase_a_worker_reports_reads_in_chinese(monkeypatch):
    """A batch job showed "正在后台分类：512 of 600": its counted phase had no pattern, so it stayed English.

    Reads the source: each phase literal handed to ``progress(…)`` or ``say(…)`` in core/, its numbers
    filled in, must come out of the job fragment's ``phase_text`` with no English phrase and no gap."""
    from ui import i18n, jobs

    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    i18n.MISSING.clear()
    phases = set()
    for path in (ROOT / "core").rglob("*.py"):
        if path.name == "experiments.py":  # its ``say`` prints to the terminal of ``python -m core experiment``
            continue
        for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(call, ast.Call) and call.args):
                continue
            name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", None)
            if name not in ("progress", "say"):  # self.progress(…) too
                continue
            first = call.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                phases.add(first.value)
            elif isinstance(first, ast.JoinedStr):  # f"classifying {done:,} of {filled:,} texts": numbers in
                phases.add("".join(p.value if isinstance(p, ast.Constant) else "1,234" for p in first.values))
    assert "classifying 1,234 of 1,234 texts" in phases and "layout" in phases, sorted(phases)
    phases.discard("1,234: 1,234")  # f"{name}: {phase}", a map's name before UMAP's phase: both are listed
    for phase in phases:
        shown = jobs.phase_text(phase)
        assert CJK.search(shown) and not re.search(r"[A-Za-z]{4,}", shown.replace("UMAP", "")), (phase, shown)
    assert not i18n.MISSING, i18n.MISSING


def test_pickers_of_numbers_and_of_no_run_are_redrawn_in_the_new_language(trained):
    """After a switch to Chinese, "layer 1", "head 1" and Search's "(none)" stayed English in their boxes
    until a reload: only pickers holding strings were sent again."""
    from tests.app.test_explore_pages import open_page

    _, _, tiny = trained
    at = open_page("pages/playground.py", tiny.id)
    assert at.selectbox(key="att_layer").value == 0
    at.segmented_control(key="language_picker").set_value("zh").run()
    assert not at.exception, at.exception
    layer = at.selectbox(key="att_layer").proto
    assert layer.set_value and layer.raw_value == "第 1 层"
    at = open_page("pages/search.py", tiny.id)
    at.segmented_control(key="language_picker").set_value("zh").run()
    none = at.selectbox(key="search_compare").proto
    assert none.set_value and none.raw_value == "（无）"


def test_the_train_forms_refusals_read_in_chinese_to_their_reasons(monkeypatch):
    """ "lr must be a positive number" had no template, and "(0 means the whole batch)" slipped through a
    general one in English; a tuple of the wrong length raised Python's "not enough values to unpack"."""
    from core.text import BagOfWordsConfig
    from core.training.trainer import TrainConfig
    from ui import i18n

    errors = []
    for make in (
        lambda: TrainConfig(lr=0.0),
        lambda: TrainConfig(micro_batch_size=10_000),
        lambda: TrainConfig(time_budget_s=-1),
        lambda: TrainConfig(min_steps=-1),
        lambda: TrainConfig(seed=-1),
        lambda: BagOfWordsConfig(ngram_range=(2,)),
        lambda: BagOfWordsConfig(subword_range=(3, 4, 5)),
    ):
        with pytest.raises(ValueError) as caught:
            make()
        errors.append(str(caught.value))
    assert "ngram_range needs two numbers" in errors[-2]
    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    i18n.MISSING.clear()
    shown = [i18n.tm(error) for error in errors]
    assert not i18n.MISSING, sorted(i18n.MISSING)
    english = re.compile(r"\b(?:means|must|needs|whole|limit|minimum|number|got)\b")
    assert all(CJK.search(zh) and not english.search(zh) for zh in shown), shown


def test_chinese_sets_no_space_beside_full_width_punctuation(monkeypatch):
    """ "Transformer（tiny） 与 TF-IDF + LR" and "分类错误。 列出了" read as slips to a Chinese reader."""
    from ui import i18n

    assert i18n.spaced_format("{a} 与 {b}", {"a": "Transformer（tiny）", "b": "TF-IDF + LR"}) == (
        "Transformer（tiny）与 TF-IDF + LR"
    )
    assert i18n.spaced_format("比 {a} 更准确", {"a": "Transformer（tiny）"}) == "比 Transformer（tiny）更准确"
    assert i18n.spaced_format("{a}  \n第二行", {"a": "第一行。"}) == "第一行。  \n第二行"  # a line break stays
    # bold values: the space a Latin label needs, none beside a Chinese one ("真实类别为 **正面**、")
    cell = "真实类别为 **{true}**、被预测为 **{pred}** 的文本"
    assert i18n.spaced_format(cell, {"true": "正面", "pred": "负面"}) == "真实类别为**正面**、被预测为**负面**的文本"
    assert (
        i18n.spaced_format(cell, {"true": "sports", "pred": "food"})
        == "真实类别为 **sports**、被预测为 **food** 的文本"
    )
    # bold that ends after full-width punctuation keeps its space: "**Transformer（mini）**微调" is not bold in
    # Markdown, and showed its asterisks on the Evaluate page of every fine-tuned Transformer
    fine_tuned = "由运行 **{run}** 微调而来。"
    assert i18n.spaced_format(fine_tuned, {"run": "Transformer（mini）"}) == "由运行 **Transformer（mini）** 微调而来。"
    assert i18n.spaced_format(fine_tuned, {"run": "中文集成"}) == "由运行**中文集成**微调而来。"
    assert i18n.spaced_format("最好的是**{run}**", {"run": "（mini）甲"}) == "最好的是 **（mini）甲**"
    # a value bold already keeps its markers tight against it, beside full-width punctuation too
    assert (
        i18n.spaced_format("由它微调而来的运行：{runs}。", {"runs": "**中文集成**"})
        == "由它微调而来的运行：**中文集成**。"
    )
    assert i18n.spaced_format("见{a}（注）", {"a": "**粗体**"}) == "见**粗体**（注）"
    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    assert i18n.sentences("514 条分类错误。", "列出了 500 条。") == "514 条分类错误。列出了 500 条。"
    monkeypatch.setattr(i18n, "lang", lambda: "en")
    assert i18n.sentences("514 are wrong.", "", "500 are listed.") == "514 are wrong. 500 are listed."


def test_a_confidence_in_a_table_reads_as_the_picker_says_it():
    """Stored as float32, 0.9 is 0.89999998: rounded down it read 89.9% beside a picker's 90%."""
    import numpy as np

    from ui import i18n

    stored = np.array([0.9, 0.51, 0.99991, 0.9996, 0.996, 1.0], dtype=np.float32)
    assert i18n.confidence_percent(stored).tolist() == [90.0, 51.0, 99.9, 99.9, 99.6, 100.0]


def test_a_time_left_is_rounded_as_an_estimate():
    """To the second, "about 2 min 26 s" became "about 2 min 13 s" at the next refresh: it looked broken."""
    from ui import i18n

    said = [i18n.estimate_text(s) for s in (0, 1.2, 42.4, 58, 146, 133, 276.4, 599, 725.8, 3599)]
    assert said == ["5 s", "5 s", "40 s", "60 s", "2 min 30 s", "2 min 10 s", "4 min 40 s", "10 min", "12 min", "1 h"]


def test_lengths_of_time_read_in_minutes_and_hours_past_two_minutes(monkeypatch):
    """ "About 1,444 s left" and "done in 725.8 s" had to be divided by 60 in the reader's head."""
    from ui import i18n

    said = [i18n.duration_text(s) for s in (0, 42.4, 119.4, 119.6, 725.8, 1440, 1444.2, 3599.6, 7170, 7500)]
    assert said == ["0 s", "42 s", "119 s", "2 min", "12 min 6 s", "24 min", "24 min 4 s", "1 h", "2 h", "2 h 5 min"]
    assert [i18n.duration_text(s, decimals=1) for s in (10.44, 119.96)] == ["10.4 s", "2 min"]
    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    assert [i18n.duration_text(s) for s in (42.4, 725.8, 7500)] == ["42 秒", "12 分 6 秒", "2 小时 5 分"]


def test_every_side_job_kind_is_said_in_chinese_in_a_refusal():
    """ "Run r1 is in use by a scoring job" read "正被一个scoring任务使用": a new job kind was missing here."""
    from core.registry import SIDE_JOB_WORDS
    from core.workers import SIDE_JOBS
    from ui.i18n import _VALUE_WORDS
    from ui.locales.zh import STRINGS

    kinds = _VALUE_WORDS["kind"]
    for kind in SIDE_JOBS:
        assert kind in kinds and SIDE_JOB_WORDS[kind] in kinds, kind
        assert STRINGS.get(kinds[SIDE_JOB_WORDS[kind]]), SIDE_JOB_WORDS[kind]


def test_the_record_of_untranslated_messages_stays_bounded_on_a_long_running_server(monkeypatch):
    """A soak test: every Chinese-mode message no template matches was kept for the server's life, and such
    messages hold run and file names, so each one is new."""
    from ui import i18n

    monkeypatch.setattr(i18n, "lang", lambda: "zh")
    i18n.MISSING.clear()
    for n in range(i18n.MISSING_AT_MOST + 50):
        assert i18n.tm(f"An unknown message about run r{n}.") == f"An unknown message about run r{n}."
    assert len(i18n.MISSING) == i18n.MISSING_AT_MOST
    i18n.MISSING.clear()


def test_an_empty_upload_is_said_to_be_empty_not_unread():
    """ "Could not read the file. empty.csv is empty.": the file was read, and had nothing in it."""
    from core.data import load_file
    from core.errors import DataError
    from ui import i18n

    with pytest.raises(DataError) as caught:
        load_file(b"", "empty.csv")
    said = i18n.read_error("empty.csv", caught.value)
    assert "Could not read" not in said and "empty" in said, said
    # a reading error that does not name the file still says which file it is
    assert i18n.read_error("x.csv", DataError("The header has no column names.")).startswith("**Could not read x")
