"""Export: the archive predicts in a fresh interpreter, without this package, as Predictor does."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import numpy as np
import pytest

TEXTS = [
    "The striker scored twice in the second half",
    "这家餐厅的红烧肉很好吃",
    "new phone, faster chip, better battery",
    "",
    "周末去海边旅行，订了酒店",
    # past the 10,000 characters the studio reads: the rest must not change the answer
    "goal in the last minute " * 420 + "这家餐厅的红烧肉很好吃" * 1000,
    # full-width letters (read as typed), vowel signs, Hangul after digits: the
    # export must cut them as the studio does
    "ｎｅｗ ｐｈｏｎｅ，ｆａｓｔｅｒ ｃｈｉｐ！ किताब की 2024년",
]

# the travel text typed in CJK compatibility ideographs (U+F9xx: some input methods, old files): the
# same text once composed (NFC), as the studio reads it and the export must
COMPATIBLE = "周末去\ufa45边\uf983\ufa08，订\uf9ba酒店"

DRIVER = """
import json, sys
sys.path.insert(0, ".")
import load
texts = json.loads(sys.stdin.read())
print(json.dumps({"labels": load.labels, "p": load.predict_proba(texts).tolist(),
                  "none": list(load.predict_proba([]).shape),
                  "studio": sorted(m for m in sys.modules if m == "core" or m.startswith("core."))}))
"""

CASES = {
    "bow_mlp": ("bow_mlp", {}),
    "bow_mlp-jieba-gelu": ("bow_mlp", {"activation": "gelu", "featurizer": {"tokenizer": "jieba", "min_df": 1}}),
    "rbf": ("rbf", {}),
    "rbf-unprojected": ("rbf", {"projection_dim": 0}),
    "transformer": ("transformer", {}),
    "transformer-cls": ("transformer", {"pooling": "cls"}),
    "transformer-wide": ("transformer", {"wide": True}),
    "baseline": ("baseline", {}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_export_predicts_like_the_predictor_in_a_fresh_interpreter(small_dataset, tmp_path, case):
    from core.bundle import export_run
    from core.inference import Predictor
    from core.training.runner import RunConfig, train_run
    from tests.conftest import TINY_ENCODER, TINY_TRAIN

    encoder, extra = CASES[case]
    encoder_config = {**TINY_ENCODER[encoder], **extra}
    if "featurizer" in extra:
        encoder_config["featurizer"] = {**TINY_ENCODER[encoder].get("featurizer", {}), **extra["featurizer"]}
    run = train_run(RunConfig.create(small_dataset, encoder, encoder_config, TINY_TRAIN))
    from core.data import DataLimits

    # as the studio predicts a file's rows (texts_to_predict): cut to what training reads
    predictor = Predictor.from_run(run.path)
    expected = predictor.predict_proba([text[: DataLimits().max_text_chars] for text in TEXTS])
    assert TEXTS[4] != COMPATIBLE and __import__("unicodedata").normalize("NFC", COMPATIBLE) == TEXTS[4]
    np.testing.assert_allclose(predictor.predict_proba([COMPATIBLE]), expected[4:5], atol=1e-6)
    expected = np.vstack([expected, expected[4:5]])

    archive = tmp_path / "export.zip"
    archive.write_bytes(export_run(run))
    with zipfile.ZipFile(archive) as z:
        names = set(z.namelist())
        assert {info.external_attr >> 16 for info in z.infolist()} == {0o644}  # readable once unzipped
        z.extractall(tmp_path / "export")
    folder = tmp_path / "export" / run.id  # one folder, named after the run, holds every file
    inputs = {"tokenizer.json"} if encoder == "transformer" else {"featurizer.json"}
    if extra.get("wide"):  # the wide part's n-gram bags travel beside the tokenizer
        inputs.add("featurizer.json")
    files = {"model.safetensors", "config.json", *inputs, "labels.json", "metrics.json"}
    files |= {"studio_model.py", "load.py", "README.md"}
    assert names == {f"{run.id}/{name}" for name in files}
    assert len((folder / "load.py").read_text().splitlines()) <= 30  # short enough to read at a glance
    done = subprocess.run(
        [sys.executable, "-E", "-s", "-c", DRIVER],
        cwd=folder,
        input=json.dumps([*TEXTS, COMPATIBLE]),
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["studio"] == []  # nothing of this package was imported
    assert out["labels"] == Predictor.from_run(run.path).labels
    np.testing.assert_allclose(np.array(out["p"]), expected, atol=2e-5)
    assert out["none"] == [0, len(out["labels"])]  # no texts, no rows (the Transformer's raised)
    assert json.loads((folder / "metrics.json").read_text())["accuracy"] == run.eval()["accuracy"]


TWO_BUNDLES = """
import json, sys
first, second = sys.argv[1:3]
sys.path.insert(0, first)  # as the README says
import studio_model
a_labels, a = studio_model.load(first)
b_labels, b = studio_model.load(second)
import load
try:
    load.predict_proba("one string")
    said = "no error"
except TypeError as exc:
    said = str(exc)
print(json.dumps({"a": a(["goal in the last minute"]).softmax(-1).tolist(),
                  "b": b(["goal in the last minute"]).softmax(-1).tolist(), "string": said}))
"""


def test_several_bundles_load_by_folder_and_one_string_is_refused(small_dataset, tmp_path):
    """An export consumer: two bundles imported as the README said (`from load import …`) gave the first
    model twice, the module names being alike; `studio_model.load(folder)` is the way, and the README says
    so. One string given for a list was classified letter by letter. Two exports of one run differed in
    their bytes (the archive's dates), so a hash could not tell they were the same model; `load.py` with no
    text printed nothing."""
    import io

    from core.bundle import export_run
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    runs = [train_run(tiny_config(small_dataset, encoder)) for encoder in ("bow_mlp", "rbf")]
    for run in runs:
        with zipfile.ZipFile(io.BytesIO(export_run(run))) as z:
            z.extractall(tmp_path)
    # the archive's dates are the model's own time, in UTC: the same bytes at any hour and in any time zone,
    # and a model file with a time of 0 (restored from an archive) is exported west of Greenwich too
    import os
    import time

    os.utime(runs[0].model_path, (1_700_000_000, 1_700_000_000))
    one = export_run(runs[0])
    with zipfile.ZipFile(io.BytesIO(one)) as z:
        assert {info.date_time for info in z.infolist()} == {time.gmtime(1_700_000_000)[:6]}
    os.utime(runs[0].model_path, (0, 0))
    previous = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    try:
        with zipfile.ZipFile(io.BytesIO(export_run(runs[0]))) as z:
            assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    finally:
        os.environ.pop("TZ") if previous is None else os.environ.update(TZ=previous)
        time.tzset()
    clean = dict(capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    first, second = (str(tmp_path / run.id) for run in runs)
    done = subprocess.run([sys.executable, "-I", "-c", TWO_BUNDLES, first, second], cwd=first, **clean)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    from core.inference import Predictor

    for key, run in zip("ab", runs):
        expected = Predictor.from_run(run.path).predict_proba(["goal in the last minute"])
        np.testing.assert_allclose(np.array(out[key]), expected, atol=2e-5)
    assert out["string"] == "predict_proba takes a list of texts: predict_proba([text])"
    assert "studio_model.load(" in (tmp_path / runs[0].id / "README.md").read_text(encoding="utf-8")
    usage = subprocess.run([sys.executable, "-I", "load.py"], cwd=first, **clean)
    assert usage.returncode == 1 and usage.stderr.startswith("usage: python load.py"), usage
    # the same model after git on Windows (CRLF line endings, another indent): its JSON files are read by content
    for name in ("featurizer.json", "labels.json", "config.json"):
        path = tmp_path / runs[0].id / name
        path.write_bytes(
            json.dumps(json.loads(path.read_text(encoding="utf-8")), indent=1).replace("\n", "\r\n").encode()
        )
    crlf = subprocess.run([sys.executable, "-I", "load.py", "goal"], cwd=first, **clean)
    assert crlf.returncode == 0, crlf.stderr
    # a bundle that says it has checksums and has lost them is damaged, not old
    config = tmp_path / runs[0].id / "config.json"
    config.write_text(json.dumps({k: v for k, v in json.loads(config.read_text()).items() if k != "sha256"}))
    lost = subprocess.run([sys.executable, "-I", "load.py", "goal"], cwd=first, **clean)
    assert lost.returncode == 1 and "config.json is damaged or edited" in lost.stderr, lost.stderr


def test_the_command_line_of_load_py_prints_one_answer_per_text(small_dataset, tmp_path):
    from core.bundle import export_run
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    with zipfile.ZipFile(__import__("io").BytesIO(export_run(run))) as z:
        z.extractall(tmp_path)
    done = subprocess.run(
        # isolated (-I: no environment, no user site, not even the script's folder on the path), from another folder
        [sys.executable, "-I", f"{run.id}/load.py", "goal in the last minute", "红烧肉", " "],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [a["text"] for a in answers] == ["goal in the last minute", "红烧肉", " "]
    assert [("note" in a) for a in answers] == [False, False, True]  # an empty text is answered, and flagged
    assert all(a["label"] in a["p"] and abs(sum(a["p"].values()) - 1) < 1e-5 for a in answers)
    # a console in a Western Windows code page (here through PYTHONIOENCODING) raised on the Chinese text
    western = subprocess.run(
        [sys.executable, f"{run.id}/load.py", "红烧肉"],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONIOENCODING": "cp1252"},
    )
    assert western.returncode == 0, western.stderr.decode(errors="replace")
    assert json.loads(western.stdout.decode("utf-8"))["text"] == "红烧肉"


def test_the_readme_is_in_the_language_of_the_ui_that_exported_it(small_dataset):
    from core.bundle import export_run
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    readmes = {}
    for language in ("en", "zh"):
        with zipfile.ZipFile(__import__("io").BytesIO(export_run(run, language))) as z:
            readmes[language] = z.read(f"{run.id}/README.md").decode("utf-8")
    assert "Exported from Encoder Studio: a bag-of-words MLP classifier" in readmes["en"]
    assert "由 Encoder Studio 导出的词袋 MLP 分类器，共" in readmes["zh"]
    from core.registry import DatasetStore

    name = DatasetStore().info(small_dataset).name  # by its name, not only its id
    assert f"trained on “{name}”" in readmes["en"] and f"在数据集“{name}”" in readmes["zh"]
    accuracy = f"{run.eval()['accuracy']:.4f}"
    assert accuracy in readmes["en"] and accuracy in readmes["zh"]
    assert "python load.py" in readmes["zh"] and "featurizer.json" in readmes["zh"]
    cpu_torch = "pip install torch --index-url https://download.pytorch.org/whl/cpu"  # not the GPU build's GBs
    assert cpu_torch in readmes["en"] and cpu_torch in readmes["zh"]
    # without numpy, torch printed "Failed to initialize NumPy" above every answer of load.py
    assert all("    pip install torch safetensors numpy\n" in readme for readme in readmes.values()), readmes


def test_a_bundle_of_a_run_trained_on_joined_columns_says_so(studio_home, tmp_path):
    """An integrator fed the five survey answers one a call: nothing in the bundle said they were joined."""
    import io
    import json

    from core.bundle import export_run
    from core.cli import main
    from core.registry import RunStore

    rows = "".join(f"topic {i},text about bills {i},billing\n" for i in range(20))
    rows += "".join(f"login {i},text about passwords {i},account\n" for i in range(20))
    (tmp_path / "crm.csv").write_text("subject,body,category\n" + rows)
    assert (
        main(
            ["data", "import", str(tmp_path / "crm.csv"), "--id", "crm", "--text-col", "subject", "--text-col", "body"]
        )
        == 0
    )
    assert main(["train", "--dataset", "crm", "--encoder", "baseline", "--run-id", "joined"]) == 0
    with zipfile.ZipFile(io.BytesIO(export_run(RunStore().get("joined")))) as z:
        readme = z.read("joined/README.md").decode("utf-8")
        config = json.loads(z.read("joined/config.json"))
    assert "trained on the columns “subject” + “body” of its file, joined in that order with a line break" in readme
    assert config["text_columns"] == ["subject", "body"]


def test_a_run_records_the_software_it_was_trained_with_and_its_export_says_so(small_dataset):
    """A reproducibility audit: a run held its settings, seed and data fingerprint, and no version of
    anything, while another torch (or thread count) changes the weights a seed gives."""
    import io
    import platform
    from importlib import metadata

    from core.bundle import export_run
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    versions = run.status()["versions"]
    assert versions["torch"] == metadata.version("torch") and versions["numpy"] == metadata.version("numpy")
    assert versions["python"] == platform.python_version() and versions["encoder_studio"]
    with zipfile.ZipFile(io.BytesIO(export_run(run, "en"))) as z:
        config = json.loads(z.read(f"{run.id}/config.json"))
        readme = z.read(f"{run.id}/README.md").decode("utf-8")
    assert config["trained_with_versions"] == versions
    assert f"Trained with python {versions['python']}, torch {versions['torch']}, numpy {versions['numpy']}" in readme


def test_runs_that_cannot_be_exported_say_why(small_dataset):
    from core.bundle import export_run
    from core.errors import StudioError
    from core.training.runner import start_run
    from tests.conftest import tiny_config

    queued = start_run(tiny_config(small_dataset, "bow_mlp"))
    with pytest.raises(StudioError, match="no saved weights"):
        export_run(queued)
    pretrain = tiny_config(small_dataset, "transformer")
    pretrain.task = "pretrain"
    with pytest.raises(StudioError, match="no classes to predict"):
        export_run(start_run(pretrain))


def test_a_damaged_model_file_is_not_exported(small_dataset):
    """A cut or overwritten model.safetensors would ship an archive load.py cannot read: refused, saying why."""
    from core.bundle import export_run, exportable
    from core.errors import StudioError
    from core.training.runner import train_run
    from tests.conftest import tiny_config
    from ui.locales.zh import STRINGS

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    assert exportable(run) is None
    whole = run.model_path.read_bytes()
    for damaged, why in ((whole[: len(whole) // 2], "cut short"), (b"\x00" * 64, "header"), (b"junk", "header")):
        run.model_path.write_bytes(damaged)
        assert why in (exportable(run) or ""), exportable(run)
        with pytest.raises(StudioError, match="damaged"):
            export_run(run)
    # a header whose entries are malformed raised TypeError on the Evaluate and Compare pages
    length = int.from_bytes(whole[:8], "little")
    header = json.loads(whole[8 : 8 + length])
    name = next(k for k in header if k != "__metadata__")
    for field, value, why in (
        ("data_offsets", "0-10", "byte range"),
        ("data_offsets", [0], "byte range"),
        ("data_offsets", None, "byte range"),
        ("dtype", "F99", "unknown number type"),
        ("dtype", "F16", "do not fill"),  # the same length in another number type: half the bytes
        ("shape", [1, -2], "shape"),
    ):
        bad = json.dumps({**header, name: {**header[name], field: value}}).encode()
        run.model_path.write_bytes(len(bad).to_bytes(8, "little") + bad + whole[8 + length :])
        assert why in (exportable(run) or ""), (field, value, exportable(run))
    run.model_path.write_bytes(whole)
    assert exportable(run) is None
    assert any(key.startswith("The run's model file is damaged") for key in STRINGS)  # shown in Chinese too


def test_damaged_input_files_or_classes_that_do_not_fit_the_weights_are_named_before_the_download(small_dataset):
    """export_problem checked the weights only: a missing or damaged featuriser or tokeniser, or a config
    whose classes do not fit the weights, left the download button live, and pressing it showed no more
    than Streamlit's "Failed to generate file for download"."""
    from core.bundle import export_run, exportable
    from core.errors import StudioError
    from core.training.runner import train_run
    from tests.conftest import tiny_config
    from ui.locales.zh import STRINGS

    bow, transformer = (train_run(tiny_config(small_dataset, encoder)) for encoder in ("bow_mlp", "transformer"))
    for run, name in ((bow, "featurizer.json"), (transformer, "tokenizer.json")):
        path = run.path / name
        whole = path.read_bytes()
        path.write_text("{", encoding="utf-8")
        assert f"{name} is damaged" in (exportable(run) or ""), exportable(run)
        with pytest.raises(StudioError, match=f"{name} is damaged"):
            export_run(run)
        path.unlink()
        assert f"{name} is missing" in (exportable(run) or ""), exportable(run)
        path.write_bytes(whole)
        assert exportable(run) is None
    config = bow.config()
    bow.write_config({**config, "labels": config["labels"][:3]})
    assert "names 3 classes but its model predicts 4" in (exportable(bow) or ""), exportable(bow)
    bow.write_config(config)
    assert exportable(bow) is None
    for start in ("The run's {file} is missing", "The run's {file} is damaged", "The run's config names {labels}"):
        assert any(key.startswith(start) for key in STRINGS), start  # the page shows them in Chinese too


def test_a_run_with_a_damaged_evaluation_is_exported_without_its_metrics(small_dataset):
    """The model is sound without its scores: a damaged eval.json failed the whole download."""
    import io

    from core.bundle import export_run, exportable
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    (run.path / "eval.json").write_text("{not json", encoding="utf-8")
    assert exportable(run) is None
    with zipfile.ZipFile(io.BytesIO(export_run(run))) as archive:
        assert json.loads(archive.read(f"{run.id}/metrics.json")) == {}
        assert "not evaluated" in archive.read(f"{run.id}/README.md").decode("utf-8")
        assert archive.read(f"{run.id}/model.safetensors") == run.model_path.read_bytes()


def _with_nan(path) -> None:
    """Write a NaN over the first number of the head's bias: the header stays sound, the size the same."""
    import struct

    data = bytearray(path.read_bytes())
    length = int.from_bytes(data[:8], "little")
    start = 8 + length + json.loads(data[8 : 8 + length])["head.bias"]["data_offsets"][0]
    data[start : start + 4] = struct.pack("<f", float("nan"))
    path.write_bytes(bytes(data))


def test_weights_that_do_not_load_are_named_before_the_download_and_asked_once_per_version(small_dataset):
    """NaN weights under a sound header, or a featuriser from another run, passed export_problem; export_run
    then refused inside Streamlit's download callable, which showed "Failed to generate file for download"."""
    from core import bundle
    from core.bundle import export_problem, export_run, exportable
    from core.errors import StudioError
    from core.training.runner import RunConfig, train_run
    from tests.conftest import TINY_ENCODER, tiny_config
    from ui.locales.zh import STRINGS

    run = train_run(tiny_config(small_dataset, "bow_mlp"))
    assert exportable(run) is None
    whole = run.model_path.read_bytes()
    _with_nan(run.model_path)
    problem = export_problem(run)
    assert problem and "not numbers (NaN or infinite, in head.bias)" in problem[1]["error"], problem
    with pytest.raises(StudioError, match="cannot be loaded"):
        export_run(run)
    loads = bundle._load_problem.cache_info().misses
    for _ in range(3):  # the Evaluate page asks on every rerun: the model is loaded once per version of its files
        assert export_problem(run) == problem
    assert bundle._load_problem.cache_info().misses == loads
    run.model_path.write_bytes(whole)
    assert exportable(run) is None
    # a featuriser of another vocabulary: it loads on its own, but its terms do not fit the weights
    other = train_run(
        RunConfig.create(small_dataset, "bow_mlp", {**TINY_ENCODER["bow_mlp"], "featurizer": {"max_features": 500}})
    )
    (run.path / "featurizer.json").write_bytes((other.path / "featurizer.json").read_bytes())
    assert "cannot be loaded" in (exportable(run) or ""), exportable(run)
    assert any(key.startswith("The run's model cannot be loaded") for key in STRINGS)  # shown in Chinese too


def _edit_json(path, change) -> None:
    path.write_text(json.dumps(change(json.loads(path.read_text(encoding="utf-8")))), encoding="utf-8")


def _cut(path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _drop_last_term(state: dict) -> dict:
    """The featuriser one term short: it loads, but no longer fits the weights' table."""
    fewer = {key: state[key][:-1] for key in ("terms", "idf", "nb_weights") if state.get(key)}
    return {**state, **fewer}


TAMPERED = {  # what was done to the bundle, the file load.py must name
    "NaN weights": (lambda f: _with_nan(f / "model.safetensors"), "model.safetensors"),
    "weights cut short": (lambda f: _cut(f / "model.safetensors"), "model.safetensors"),
    "a class name removed": (lambda f: _edit_json(f / "labels.json", lambda x: x[:-1]), "labels.json"),
    "a class name twice": (lambda f: _edit_json(f / "labels.json", lambda x: [x[0], *x[:-1]]), "labels.json"),
    "labels.json cut short": (lambda f: _cut(f / "labels.json"), "labels.json"),
    "config.json cut short": (lambda f: _cut(f / "config.json"), "config.json"),
    "an unknown activation": (
        lambda f: _edit_json(
            f / "config.json", lambda c: {**c, "encoder_config": {**c["encoder_config"], "activation": "swish2"}}
        ),
        "config.json",
    ),
    "featurizer.json cut short": (lambda f: _cut(f / "featurizer.json"), "featurizer.json"),
    "a featuriser a term short": (lambda f: _edit_json(f / "featurizer.json", _drop_last_term), "featurizer.json"),
    "tokenizer.json cut short": (lambda f: _cut(f / "tokenizer.json"), "tokenizer.json"),
    # edits that keep every shape, which loaded without a word until each file's sha256 travelled in config.json
    "two class names swapped": (lambda f: _edit_json(f / "labels.json", lambda x: [x[1], x[0], *x[2:]]), "labels.json"),
    "a bias raised": (lambda f: _raise_bias(f / "model.safetensors"), "model.safetensors"),
    "every idf at 0": (lambda f: _edit_json(f / "featurizer.json", _zero_idf), "featurizer.json"),
    "the text cut at 5": (lambda f: _edit_json(f / "config.json", lambda c: {**c, "max_text_chars": 5}), "config.json"),
}


def _raise_bias(path) -> None:
    from safetensors.torch import load_file, save_file

    weights = load_file(path)
    weights["head.bias"] += 5
    save_file(weights, path)


def _zero_idf(featurizer: dict) -> dict:
    return {**featurizer, "idf": [0.0] * len(featurizer["idf"])}


TAMPER_DRIVER = """
import json, runpy, sys
said = {}
for folder in json.loads(sys.stdin.read()):
    sys.modules.pop("studio_model", None)  # each bundle its own copy
    sys.argv = [folder + "/load.py", "football match"]
    try:  # as `python load.py` runs it, then as a program imports it
        runpy.run_path(folder + "/load.py", run_name="__main__")
        said[folder] = "no error"
    except SystemExit as exc:
        said[folder] = str(exc.code)
    try:
        runpy.run_path(folder + "/load.py", run_name="load")
    except Exception as exc:
        said[folder] += " | " + type(exc).__name__
print(json.dumps(said))
"""


def test_a_damaged_or_edited_bundle_names_its_file_in_one_sentence(small_dataset, tmp_path):
    """load.py checked nothing: NaN weights printed NaN probabilities (not JSON), a labels.json a name
    short dropped a class or raised IndexError, and cut files gave bare tracebacks."""
    import io
    import shutil

    from core.bundle import export_run
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    folders = {}
    for encoder in ("bow_mlp", "transformer"):
        run = train_run(tiny_config(small_dataset, encoder))
        with zipfile.ZipFile(io.BytesIO(export_run(run))) as z:
            z.extractall(tmp_path / encoder)
        folders[encoder] = tmp_path / encoder / run.id
    tampered = {}
    for case, (damage, name) in TAMPERED.items():
        folder = tmp_path / "tampered" / case.replace(" ", "-")
        shutil.copytree(folders["transformer" if name == "tokenizer.json" else "bow_mlp"], folder)
        damage(folder)
        tampered[str(folder)] = (case, name)
    clean = dict(env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}, capture_output=True, text=True, timeout=120)
    # every case in one interpreter (torch loads once), through load.py as run and as imported
    done = subprocess.run([sys.executable, "-I", "-c", TAMPER_DRIVER], input=json.dumps(list(tampered)), **clean)
    assert done.returncode == 0, done.stderr
    for folder, said in json.loads(done.stdout.strip().splitlines()[-1]).items():
        case, name = tampered[folder]
        assert said.startswith(f"This bundle's {name} is damaged or edited"), (case, said)
        # one sentence on the command line; to a program that imports load.py, the error itself
        assert said.endswith("export the run again from Encoder Studio. | BundleError"), (case, said)
    # and from a shell: the sentence alone on stderr, no traceback, nothing (no NaN) on stdout
    nan = next(folder for folder, (case, _) in tampered.items() if case == "NaN weights")
    shell = subprocess.run([sys.executable, "-I", "load.py", "football match"], cwd=nan, **clean)
    assert shell.returncode == 1 and shell.stdout == "", shell
    assert shell.stderr.startswith("This bundle's model.safetensors is damaged or edited (head.bias holds values")
    assert shell.stderr.count("\n") == 1 and "Traceback" not in shell.stderr, shell.stderr
    # finite weights that overflow: the answer says so, in JSON (json.dumps wrote NaN, which no reader takes)
    from safetensors.torch import load_file, save_file

    overflow = tmp_path / "overflow"
    shutil.copytree(folders["bow_mlp"], overflow)
    _edit_json(
        overflow / "config.json", lambda c: {k: v for k, v in c.items() if k not in ("sha256", "bundle_format")}
    )  # as made before them
    weights = load_file(overflow / "model.safetensors")
    last = max(int(key.split(".")[2]) for key in weights if key.startswith("encoder.mlp."))
    weights[f"encoder.mlp.{last}.weight"].zero_()
    weights[f"encoder.mlp.{last}.bias"].fill_(1.0)  # every hidden unit 1 for any text
    weights["head.weight"].fill_(3e38)  # so every class's logit is +inf, and softmax gives NaN
    save_file(weights, overflow / "model.safetensors")
    shell = subprocess.run([sys.executable, "-I", "load.py", "football match goal"], cwd=overflow, **clean)
    assert shell.returncode == 0, shell.stderr
    line = json.loads(shell.stdout, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))
    assert line["label"] is None and line["p"] is None and "overflowed" in line["error"], line


def test_a_long_list_is_predicted_in_chunks_in_its_own_order(small_dataset, tmp_path):
    """The exported Transformer padded and ran every text in one batch: about 1 MB a text (2,000 texts
    took 2.9 GB, the studio 0.69 GB). In chunks, shortest first, the rows must come back in order."""
    import io

    import torch
    from torch.overrides import TorchFunctionMode

    from core.bundle import export_run
    from core.export_runtime import load
    from core.training.runner import train_run
    from tests.conftest import tiny_config

    class LargestBatch(TorchFunctionMode):
        """The most texts any activation held: the first dimension of every 3-d or 4-d tensor torch made."""

        largest = 0

        def __torch_function__(self, func, types, args=(), kwargs=None):
            out = func(*args, **(kwargs or {}))
            if isinstance(out, torch.Tensor) and out.ndim >= 3:  # (B, T, D) and attention's (B, H, T, T)
                self.largest = max(self.largest, out.shape[0])
            return out

    chunk = 256  # texts a forward pass, as the studio's predictor batches them
    # lengths that differ text to text and not in list order, so that sorting moves rows
    texts = [("goal crowd striker 红烧肉 new chip " * 9)[: 3 + i * 37 % 150] + f" {i}" for i in range(chunk + 90)]
    for encoder in ("transformer", "bow_mlp"):
        run = train_run(tiny_config(small_dataset, encoder))
        with zipfile.ZipFile(io.BytesIO(export_run(run))) as z:
            z.extractall(tmp_path / encoder)
        _, logits = load(tmp_path / encoder / run.id)
        with torch.no_grad():
            one_by_one = torch.cat([logits([text]) for text in texts])
            with LargestBatch() as seen:
                together = logits(texts)
        torch.testing.assert_close(together, one_by_one, atol=1e-5, rtol=1e-5)
        if encoder == "transformer":
            assert 0 < seen.largest <= chunk, seen.largest


def test_an_exported_bag_reads_the_pieces_of_words_with_vowel_signs_as_the_studio_does(studio_home, tmp_path):
    """Thai words with vowel signs got their character pieces in the studio: the bundle's copy of the check
    must make the same pieces, or its answers drift from the studio's."""
    from core.bundle import export_run
    from core.inference import Predictor
    from core.training.runner import RunConfig, train_run
    from tests.conftest import TINY_ENCODER, TINY_TRAIN
    from tests.test_encoders import thai_dataset

    run = train_run(RunConfig.create(thai_dataset(), "bow_mlp", TINY_ENCODER["bow_mlp"], TINY_TRAIN))
    texts = ["วันนี้ต้มยำกุ้งอร่อย", "นักเตะยิงประตูได้", "แบตเตอรี่โทรศัพท์หมดเร็ว"]
    expected = Predictor.from_run(run.path).predict_proba(texts)
    archive = tmp_path / "export.zip"
    archive.write_bytes(export_run(run))
    with zipfile.ZipFile(archive) as z:
        z.extractall(tmp_path / "export")
    done = subprocess.run(
        [sys.executable, "-E", "-s", "-c", DRIVER],
        cwd=tmp_path / "export" / run.id,
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    np.testing.assert_allclose(np.array(json.loads(done.stdout.strip().splitlines()[-1])["p"]), expected, atol=2e-5)
