"""A run as one download: weights, config, featuriser or tokeniser, labels, metrics and a loader.

The archive needs nothing of this package to predict: ``load.py`` (a few lines) asks
``studio_model.py``, a self-contained copy of the featuriser and the forward passes in plain
``torch``, to read and check the files (with ``safetensors``) and predicts.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import math
import time
import zipfile
from pathlib import Path

from core.errors import BrokenRunError, StudioError

EXPORTABLE = ("bow_mlp", "rbf", "transformer", "baseline")
RUNTIME = Path(__file__).resolve().parent / "export_runtime.py"

LOAD_PY = '''"""Predict with this exported Encoder Studio model: python load.py "a text" ["another" ...]"""
import json, sys
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # `python -I load.py` leaves this folder off the path
from studio_model import BundleError, answer, load  # noqa: E402
try:  # every file is checked: a damaged or edited one is named, not a traceback, a lost class or a NaN
    labels, logits = load(HERE)
except BundleError as exc:  # on the command line the sentence alone; a program importing this gets the error
    raise SystemExit(str(exc)) if __name__ == "__main__" else exc


def predict_proba(texts: list[str]) -> torch.Tensor:
    """One row of class probabilities per text, in the order of ``labels``."""
    if isinstance(texts, str):  # one string read as a list of its characters: a row per letter
        raise TypeError("predict_proba takes a list of texts: predict_proba([text])")
    with torch.no_grad():
        return logits(list(texts)).softmax(-1)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit('usage: python load.py "a text" ["another text" ...]  (one JSON line per text)')
    sys.stdout.reconfigure(encoding="utf-8")  # JSON lines in UTF-8: a cp1252 console raised on Chinese labels
    for text, p in zip(sys.argv[1:], predict_proba(sys.argv[1:]).tolist()):
        print(json.dumps(answer(text, p, labels), ensure_ascii=False))
'''

README = """# {title}

Exported from Encoder Studio: {encoder} of {n} classes trained on {dataset}
(test accuracy {accuracy}).

    pip install torch safetensors numpy{extra}
    python load.py "a sentence to classify"

Without a GPU, the CPU build of torch is a few hundred MB instead of several GB:
`pip install torch --index-url https://download.pytorch.org/whl/cpu` first.
{versions}

Each text gives one line of JSON: `{{"text": …, "label": …, "p": {{class: probability}}}}`, with a
`note` for an empty text (its label is a guess from nothing). Texts are NFC-normalised and read to
their first 10,000 characters, as in the studio.

In Python, from this folder: `from load import predict_proba, labels` then
`predict_proba(["a text"])` gives one row of class probabilities per text, in the order of
`labels.json`. A program that serves several models loads each by its folder instead (the module
names `load` and `studio_model` are the same in every bundle, so a second `import load` gives the
first model again):

    import sys; sys.path.insert(0, "path/to/this/folder")
    import studio_model
    labels, logits = studio_model.load("path/to/this/folder")   # one call per model folder
    probabilities = logits(["a text"]).softmax(-1)

The model's files (weights, featuriser or tokeniser, class names, settings) have their sha256 in
`config.json`: an edited or damaged one is refused by name.

| file | what |
|---|---|
| `model.safetensors` | the weights |
| `config.json` | the run's settings (encoder, training, class order) |
| {inputs} | how texts become model inputs |
| `labels.json` | the class names, in output order |
| `metrics.json` | the test-set evaluation |
| `studio_model.py` | the featuriser and forward pass in plain torch |
| `load.py` | loads the files above and predicts |
"""


def export_problem(run) -> tuple[str, dict] | None:
    """Why ``run`` cannot be exported, as an English template and its values (None when it can).

    Kept apart from the sentence so the UI can show the template in its own language.
    """
    config = run.config()
    if config.get("task") == "pretrain":
        return (
            "A pretraining run has no classes to predict: fine-tune it on a labelled dataset, then export that run.",
            {},
        )
    if config.get("encoder") == "ensemble":
        return "An ensemble predicts through its member runs; export its members one by one.", {}
    if config.get("encoder") not in (*EXPORTABLE, "pretrained"):  # "bogus" was said to wrap downloaded weights
        return (
            "The run's config.json names an encoder the studio does not have ({encoder}): the file was edited or "
            "damaged. Put it back as it was, or delete the run.",
            {"encoder": config.get("encoder")},
        )
    if config.get("encoder") not in EXPORTABLE:
        return (
            "The {encoder} encoder wraps downloaded weights that are not the studio's to ship; export covers {families}.",
            {"encoder": config.get("encoder"), "families": ", ".join(EXPORTABLE)},
        )
    if not run.model_path.is_file() and run.status().get("state") == "done":
        return "The run's model file (model.safetensors) is missing from its folder, so there is nothing to export.", {}
    if not run.model_path.is_file():
        return "This run has no saved weights yet: wait for it to finish, or resume it.", {}
    damage = safetensors_problem(run.model_path)
    if damage:  # the archive would carry a file that load.py cannot read
        return "The run's model file is damaged ({problem}), so there is nothing sound to export; retrain the run.", {
            "problem": damage
        }
    if not config.get("labels"):
        return "This run has no class names in its config; evaluate it again first.", {}
    # export_run reads these files too: a problem found only there reached the live download button,
    # and Streamlit showed no more than "Failed to generate file for download"
    stamps = tuple(_stamp(run.path / name) for name in ("model.safetensors", *input_files(config)))
    labels = tuple(map(str, config["labels"]))
    problem = _files_problem(str(run.path), config["encoder"], labels, stamps)
    if not problem:  # weights that hold NaN, or a featuriser that does not fit them, pass every check above
        problem = _load_problem(str(run.path), (_stamp(run.path / "config.json"), *stamps))
    return (problem[0], dict(problem[1])) if problem else None  # a copy: the cached answer stays as it was


def input_files(config: dict) -> list[str]:
    """The files beside the weights that turn a run's texts into model inputs."""
    wide = config.get("encoder") == "transformer" and bool((config.get("encoder_config") or {}).get("wide"))
    return (["tokenizer.json"] if config.get("encoder") == "transformer" else []) + (
        ["featurizer.json"] if wide or config.get("encoder") != "transformer" else []
    )


def _stamp(path: Path) -> tuple:
    """``(name, mtime, size)`` of ``path`` (``(name,)`` when it is missing): a changed file is checked again."""
    try:
        stat = path.stat()
    except OSError:
        return (path.name,)
    return (path.name, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _files_problem(folder: str, encoder: str, labels: tuple[str, ...], stamps: tuple) -> tuple[str, dict] | None:
    """Why the model's input files or its class names are unfit to export (None when they load and fit).

    Loads the featuriser or tokeniser as the studio does, once per version of the files (``stamps``
    key the cache): the Evaluate page asks on every rerun.
    """
    from core.text import BagOfWordsFeaturizer, load_tokenizer

    path = Path(folder)
    loaders = {"tokenizer.json": load_tokenizer, "featurizer.json": BagOfWordsFeaturizer.load}
    for stamp in stamps[1:]:
        name = stamp[0]
        if len(stamp) == 1:
            return (
                "The run's {file} is missing from its folder, so its model cannot read a text; train the run again.",
                {"file": name},
            )
        try:
            loaders[name](path / name)
        except Exception:  # whatever the loader says, the archive would carry a file load.py cannot read
            return "The run's {file} is damaged, so its model cannot read a text; train the run again.", {"file": name}
    outputs = _output_count(path / "model.safetensors", encoder)
    if outputs is not None and outputs != len(labels):
        return (
            "The run's config names {labels} classes but its model predicts {outputs}; its config.json was "
            "changed. Train the run again.",
            {"labels": len(labels), "outputs": outputs},
        )
    return None


@functools.lru_cache(maxsize=64)
def _load_problem(folder: str, stamps: tuple) -> tuple[str, dict] | None:
    """Why the run at ``folder`` does not load as the studio loads it (None when it does).

    export_run loads the predictor before it builds the archive; asked only there, a refusal came from
    inside the download button and Streamlit said no more than "Failed to generate file for download".
    ``stamps`` (config, weights, input files) key the cache: a page rerun does not load the model again.
    """
    from core.inference import Predictor

    try:
        Predictor.from_run(folder)
    except StudioError as exc:  # ModelFileError: NaN weights, a featuriser or config that does not fit them
        return "The run's model cannot be loaded, so there is nothing sound to export. {error}", {"error": str(exc)}
    return None


def _output_count(path: Path, encoder: str) -> int | None:
    """How many classes the weights at ``path`` predict, read from the file's header (None when unsure)."""
    try:
        with open(path, "rb") as handle:
            header = json.loads(handle.read(int.from_bytes(handle.read(8), "little")))
        if encoder == "baseline":  # one row of coefficients is a two-class (binary) model
            rows = header["intercept"]["shape"][0]
            return 2 if rows == 1 else rows
        return header["head.bias"]["shape"][0]
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return None  # loading the run says what is wrong


def model_problem(run) -> str | None:
    """Why a run's saved model cannot be used ("missing", "the file is cut short"), or None when it is
    whole. Reads the file's header only (and imports no torch): cheap enough for a page view."""
    if not run.model_path.is_file():
        return "missing"
    return safetensors_problem(run.model_path)


def safetensors_problem(path: Path) -> str | None:
    """Why ``path`` is not a whole safetensors file (None when its header and sizes add up).

    Reads the 8-byte length and the JSON header only: cheap enough for a page view, and no torch.
    """
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(8)
            if len(head) < 8:
                return "shorter than a header"
            length = int.from_bytes(head, "little")
            if length <= 0 or 8 + length > size:
                return "its header length does not fit the file"
            header = json.loads(handle.read(length))
    except (OSError, ValueError, UnicodeDecodeError) as exc:  # json.JSONDecodeError is a ValueError
        return f"unreadable header: {type(exc).__name__}"
    if not isinstance(header, dict):
        return "its header is not a table of tensors"
    ends = []
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        problem = _tensor_entry_problem(entry)
        if problem:  # a string or [0] where offsets go raised TypeError on every page that asked
            return f"tensor {name!r}: {problem}"
        ends.append(entry["data_offsets"][1])
    if 8 + length + max(ends, default=0) > size:
        return "the file is cut short"
    return None


_DTYPE_BYTES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}


def _tensor_entry_problem(entry: object) -> str | None:
    """Why one tensor's header entry is malformed (dtype, shape and byte range that disagree), or None."""
    if not isinstance(entry, dict):
        return "its entry is not a table"
    offsets, shape, dtype = entry.get("data_offsets"), entry.get("shape"), entry.get("dtype")
    whole = lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0  # noqa: E731
    if not (isinstance(offsets, list) and len(offsets) == 2 and all(whole(v) for v in offsets)):
        return "its byte range is not two whole numbers"
    if offsets[0] > offsets[1]:
        return "its byte range ends before it starts"
    if not (isinstance(shape, list) and all(whole(v) for v in shape)):
        return "its shape is not a list of whole numbers"
    if dtype not in _DTYPE_BYTES:
        return f"unknown number type {dtype!r}"
    if math.prod(shape) * _DTYPE_BYTES[dtype] != offsets[1] - offsets[0]:
        return "its shape and number type do not fill its byte range"
    return None


def exportable(run) -> str | None:
    """Why ``run`` cannot be exported (an English sentence), or None when it can."""
    problem = export_problem(run)
    return problem[0].format(**problem[1]) if problem else None


def _versions_line(versions: dict | None, language: str) -> str:
    """The README's line on the software the model was trained with (newer versions load it too)."""
    if not versions:
        return ""
    shown = ", ".join(
        f"{name} {versions[name]}" for name in ("python", "torch", "numpy", "tokenizers", "jieba") if name in versions
    )
    if language == "zh":
        return f"\n训练时使用 {shown}（`config.json` 的 trained_with_versions）；较新的版本同样能加载。\n"
    return f"\nTrained with {shown} (`config.json`, trained_with_versions); newer versions load it too.\n"


README_ZH = """# {title}

由 Encoder Studio 导出的{encoder}，共 {n} 个类别，在数据集{dataset}上训练
（测试准确率 {accuracy}）。

    pip install torch safetensors numpy{extra}
    python load.py "要分类的一句话"

没有 GPU 时，torch 的 CPU 版只有几百 MB（而不是几 GB）：先运行
`pip install torch --index-url https://download.pytorch.org/whl/cpu`。
{versions}

每条文本输出一行 JSON：`{{"text": …, "label": …, "p": {{类别: 概率}}}}`；空文本另有 `note`
（它的标签只是猜测）。文本先做 NFC 规范化，并只读前 10,000 个字符，与工作室一致。

在 Python 中（在本文件夹内）：`from load import predict_proba, labels`，然后
`predict_proba(["一段文本"])` 为每条文本返回一行类别概率，顺序与 `labels.json` 相同。
同时使用多个模型的程序请按文件夹分别加载（每个包里的模块名 `load` 和 `studio_model` 都一样，
第二次 `import load` 得到的仍是第一个模型）：

    import sys; sys.path.insert(0, "本文件夹的路径")
    import studio_model
    labels, logits = studio_model.load("本文件夹的路径")   # 每个模型文件夹调用一次
    probabilities = logits(["一段文本"]).softmax(-1)

模型文件（权重、特征提取器或分词器、类别名称、设置）的 sha256 记在 `config.json` 中：
被改动或损坏的文件会被点名拒绝。

| 文件 | 内容 |
|---|---|
| `model.safetensors` | 权重 |
| `config.json` | 该运行的设置（编码器、训练、类别顺序） |
| {inputs} | 文本如何变成模型输入 |
| `labels.json` | 类别名称，按输出顺序 |
| `metrics.json` | 测试集评估 |
| `studio_model.py` | 纯 torch 写成的特征提取与前向计算 |
| `load.py` | 加载以上文件并预测 |
"""
READMES = {"en": README, "zh": README_ZH}  # the export's README in the language of the UI that made it
# the classifier in the README's words (the config key, e.g. bow_mlp, stays in config.json); whole
# phrases, as Chinese puts a space between Latin and Chinese words only ("一个 词袋 MLP 分类器" read badly)
ENCODER_WORDS = {
    "en": {
        "bow_mlp": "a bag-of-words MLP classifier",
        "rbf": "an RBF network classifier",
        "transformer": "a Transformer classifier",
        "transformer-wide": "a wide-and-deep Transformer classifier",
        "baseline": "a TF-IDF + LR classifier",
    },
    "zh": {
        "bow_mlp": "词袋 MLP 分类器",
        "rbf": "RBF 网络分类器",
        "transformer": "Transformer 分类器",
        "transformer-wide": "宽深结构 Transformer 分类器",
        "baseline": "TF-IDF + 逻辑回归分类器",
    },
}


def _after_han(words: str, language: str) -> str:
    """``words`` as they follow Chinese text in the README: a space before a Latin word ("导出的
    Transformer 分类器"), none before a Chinese one ("导出的词袋 MLP 分类器")."""
    return f" {words}" if language == "zh" and words[:1].isascii() else words


_MARKUP = set("\\`*_[]<>#|!()")


def _plain(text: str) -> str:
    """A name as text in the README's Markdown: a title of ``<img src=x onerror=…>`` or a ``[link](javascript:…)``
    went into another person's downloaded model as markup. Backslashes keep each such character literal."""
    return "".join("\\" + ch if ch in _MARKUP else ch for ch in " ".join(str(text).split()))


def _dataset_words(run, dataset_id: str, language: str) -> str:
    """The dataset by the name its user gave it (its id said "gbk-20261205-022137-9867" for 评论),
    with the id beside it when they differ."""
    from core.registry import DatasetStore

    try:
        name = DatasetStore(run.path.parent.parent).info(dataset_id).name or dataset_id
    except Exception:  # a dataset deleted since: its id is all there is
        name = dataset_id
    if language == "zh":
        return f"“{_plain(name)}”" + (f"（id `{dataset_id}`）" if name != dataset_id else "")
    return f"“{_plain(name)}”" + (f" (id `{dataset_id}`)" if name != dataset_id else "")


def export_run(run, language: str = "en") -> bytes:
    """The run as a ZIP archive (bytes), its README in ``language`` ("en" or "zh"); StudioError when
    it cannot be exported."""
    problem = exportable(run)
    if problem:  # named: the command line exports runs by id, and several in a row
        raise StudioError(f"Run {run.id} cannot be exported. {problem}")
    from core.data import DataLimits
    from core.names import run_names

    config = run.config()
    wide = config["encoder"] == "transformer" and bool((config.get("encoder_config") or {}).get("wide"))
    files_in = input_files(config)
    from core.inference import Predictor

    Predictor.from_run(run.path)  # a damaged file is refused here (ModelFileError), not shipped in the archive
    inputs = " + ".join(f"`{name}`" for name in files_in)
    try:
        report = run.eval() or {}
    except BrokenRunError:  # the model is sound without its scores: exported as not evaluated, not refused
        report = {}
    featurizer_kind = ""
    if "featurizer.json" in files_in:
        featurizer_kind = json.loads((run.path / "featurizer.json").read_text(encoding="utf-8")).get("tokenizer", "")
    extra = (" tokenizers" if "tokenizer.json" in files_in else "") + (" jieba" if featurizer_kind == "jieba" else "")
    accuracy = report.get("accuracy")
    trained_with = run.raw_status().get("versions")
    trained_with = trained_with if isinstance(trained_with, dict) else None
    readme = READMES.get(language, README).format(
        title=_plain(run_names(run)["title"] or run.id),
        encoder=_after_han(
            ENCODER_WORDS.get(language, ENCODER_WORDS["en"]).get(
                "transformer-wide" if wide else config["encoder"], config["encoder"]
            ),
            language,
        ),
        n=len(config["labels"]),
        dataset=_dataset_words(run, str(config.get("dataset")), language),
        accuracy=f"{accuracy:.4f}"
        if isinstance(accuracy, float)
        else ("未评估" if language == "zh" else "not evaluated"),
        extra=extra,
        inputs=inputs,
        versions=_versions_line(trained_with, language),
    )
    from core.inference import trained_text_columns

    # trained on several columns of its file joined: an integrator fed one answer a call, and got worse ones
    columns = trained_text_columns(run.path)
    if len(columns) > 1:
        joined = " + ".join(f"“{_plain(c)}”" for c in columns)
        readme += (
            f"\n训练时读取的是文件中 {joined} 这几列，以换行符依次连接成一条文本：预测时请按同样的方式连接。\n"
            if language == "zh"
            else f"\nIt was trained on the columns {joined} of its file, joined in that order with a line break: "
            "give it texts joined the same way.\n"
        )
    # Every file sits in one folder named after the run, so unzipping does not scatter eight
    # files into the current folder or overwrite another export's load.py.
    folder = export_folder(run)
    buffer = io.BytesIO()
    files = {"model.safetensors": run.model_path.read_bytes()}
    files |= {name: (run.path / name).read_bytes() for name in files_in}
    files["labels.json"] = json.dumps(config["labels"], ensure_ascii=False).encode("utf-8")
    # the loader cuts longer texts as the studio does (training and predictions read this many)
    bundled = {
        **config,
        "max_text_chars": DataLimits().max_text_chars,
        **({"text_columns": columns} if columns else {}),
        **({"trained_with_versions": trained_with} if trained_with else {}),
    }
    from core.export_runtime import config_digest, json_digest

    # what load() checks: an edit that kept every shape (a bias raised, names swapped) loaded without a word.
    # JSON by its content: line endings changed by git on Windows are the same model
    sums = {
        name: json_digest(json.loads(content)) if name.endswith(".json") else hashlib.sha256(content).hexdigest()
        for name, content in files.items()
    }
    bundled["bundle_format"] = 2  # checksums written: a bundle without them is then damaged, not old
    bundled["sha256"] = {**sums, "config.json": config_digest(bundled)}
    files |= {
        "config.json": json.dumps(bundled, indent=2, ensure_ascii=False),
        "metrics.json": json.dumps(report, indent=2, ensure_ascii=False),
        "studio_model.py": RUNTIME.read_text(encoding="utf-8"),
        "load.py": LOAD_PY,
        "README.md": readme,
    }
    # in UTC, within what a zip date holds (1980 to 2107): the same bytes in any time zone, and a model file
    # with a time of 0 (restored from an archive) failed the export west of Greenwich
    stamp = time.gmtime(min(max(run.model_path.stat().st_mtime, 315532800), 4354819198))[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            # the model's own time, not the export's: two exports of one run are the same bytes
            entry = zipfile.ZipInfo(f"{folder}/{name}", date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16  # readable by all once unzipped (run files are private: 0600)
            archive.writestr(entry, content)
    return buffer.getvalue()


def export_folder(run) -> str:
    """The folder inside the archive that holds every file: the run id, already a safe name (storage.validate_id)."""
    return run.id


def export_name(run) -> str:
    """The archive's file name."""
    return f"{run.id}.zip"
