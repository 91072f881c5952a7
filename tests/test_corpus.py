"""Streamed corpora: every source format, clear errors, shards, windows, and the block shuffle."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

from core.corpus import (
    BlockOrder,
    ShardSet,
    TokenWindows,
    WindowSplit,
    build_shards,
    fingerprint,
    iter_texts,
    open_corpus,
    sample_dataset,
    shard_cache,
    shard_key,
)
from core.errors import DataError

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [f"text number {i} about {'cats' if i % 2 else 'dogs'} and the weather {i * 7}" for i in range(300)]


@pytest.fixture
def tokenizer():
    from core.text import WordPieceTokenizer

    return WordPieceTokenizer(vocab_size=200, min_freq=1).train(TEXTS)


def test_every_corpus_format_gives_the_same_texts(tmp_path):
    (tmp_path / "one.txt").write_text("\n".join(TEXTS[:100]) + "\n\n", encoding="utf-8")
    (tmp_path / "two.jsonl").write_text(
        "\n".join(json.dumps({"text": t, "id": i}) for i, t in enumerate(TEXTS[100:200])), encoding="utf-8"
    )
    pd.DataFrame({"text": TEXTS[200:], "n": range(100)}).to_parquet(tmp_path / "three.parquet")
    (tmp_path / "notes.md").write_text("not a corpus file", encoding="utf-8")
    folder = open_corpus(str(tmp_path))
    assert [p.name for p in folder.files] == ["one.txt", "three.parquet", "two.jsonl"]
    texts = list(iter_texts(folder))
    assert sorted(texts) == sorted(TEXTS)
    assert list(iter_texts(open_corpus(str(tmp_path / "two.jsonl")))) == TEXTS[100:200]


def test_a_stored_dataset_is_a_corpus_of_its_training_texts(studio_home):
    source = open_corpus("starter", studio_home)
    assert source.dataset == "starter"
    from core.registry import DatasetStore

    frame = DatasetStore(studio_home).load("starter")
    assert len(list(iter_texts(source, studio_home))) == int((frame["split"] == "train").sum())
    assert sample_dataset(source, studio_home) == "starter"


def test_bad_corpora_say_what_is_wrong(tmp_path):
    (tmp_path / "gbk.txt").write_bytes("中文语料一行\n".encode("gb18030") * 3)
    with pytest.raises(DataError, match="not UTF-8.*iconv"):
        list(iter_texts(open_corpus(str(tmp_path / "gbk.txt"))))
    (tmp_path / "bad.jsonl").write_text('{"text": "fine"}\n{oops\n', encoding="utf-8")
    with pytest.raises(DataError, match="bad.jsonl, line 2: not JSON"):
        list(iter_texts(open_corpus(str(tmp_path / "bad.jsonl"))))
    (tmp_path / "field.jsonl").write_text('{"body": "no text field"}\n', encoding="utf-8")
    with pytest.raises(DataError, match="no 'text' field"):
        list(iter_texts(open_corpus(str(tmp_path / "field.jsonl"))))
    pd.DataFrame({"body": ["x"]}).to_parquet(tmp_path / "col.parquet")
    with pytest.raises(DataError, match="no 'text' column.*body"):
        list(iter_texts(open_corpus(str(tmp_path / "col.parquet"))))
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="holds no .txt"):
        open_corpus(str(tmp_path / "empty"))
    with pytest.raises(DataError, match="neither a file, a folder nor a stored dataset"):
        open_corpus(str(tmp_path / "missing.txt"))
    (tmp_path / "table.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(DataError, match="must be .txt"):
        open_corpus(str(tmp_path / "table.csv"))
    # in a folder of thousands, each bad file is named: a latin-1 .jsonl, a broken .parquet, a binary .txt
    (tmp_path / "latin.jsonl").write_bytes('{"text": "café"}\n'.encode("latin-1"))
    with pytest.raises(DataError, match="latin.jsonl is not UTF-8"):
        list(iter_texts(open_corpus(str(tmp_path / "latin.jsonl"))))
    (tmp_path / "noise.parquet").write_bytes(b"PAR1 not really a parquet file")
    with pytest.raises(DataError, match="noise.parquet is not a readable Parquet file"):
        list(iter_texts(open_corpus(str(tmp_path / "noise.parquet"))))
    (tmp_path / "binary.txt").write_bytes(b"text\x00\x00\x01 more\n")
    with pytest.raises(DataError, match="binary.txt holds NUL bytes"):
        list(iter_texts(open_corpus(str(tmp_path / "binary.txt"))))


def test_a_line_without_an_end_is_read_in_pieces(tmp_path, monkeypatch):
    """A 31 MB dump on one line was tokenised whole: 5 GB of memory. Lines and records come in pieces."""
    import core.corpus

    monkeypatch.setattr(core.corpus, "TEXT_PIECE_CHARS", 100)
    (tmp_path / "dump.txt").write_text("word " * 100 + "\nshort line\n", encoding="utf-8")
    texts = list(iter_texts(open_corpus(str(tmp_path / "dump.txt"))))
    assert max(map(len, texts)) <= 100 and texts[-1] == "short line"
    assert "".join(texts).replace(" ", "") == "word" * 100 + "shortline"
    (tmp_path / "dump.jsonl").write_text('{"text": "%s"}\n' % ("w" * 250), encoding="utf-8")
    assert [len(t) for t in iter_texts(open_corpus(str(tmp_path / "dump.jsonl")))] == [100, 100, 50]


def test_the_fingerprint_changes_when_a_file_does(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("one\ntwo\n", encoding="utf-8")
    before = fingerprint(open_corpus(str(path)))
    assert fingerprint(open_corpus(str(path))) == before
    path.write_text("one\ntwo\nthree\n", encoding="utf-8")
    assert fingerprint(open_corpus(str(path))) != before


def test_shards_hold_the_token_stream_and_windows_read_across_shard_ends(tmp_path, tokenizer, monkeypatch):
    monkeypatch.setattr("core.corpus.MAX_OPEN_SHARDS", 3)  # a reader of many shards keeps few files open
    shards = build_shards(iter(TEXTS), tokenizer, tmp_path / "s", shard_tokens=97)
    assert len(shards.shards) > 5 and shards.documents == len(TEXTS)
    sep = tokenizer.special_ids["[SEP]"]
    expected = np.concatenate([[*e.ids, sep] for e in tokenizer.encode_batch(TEXTS)])
    assert shards.total_tokens == len(expected)
    windows = TokenWindows(shards, 13)
    assert len(windows) == len(expected) // 13
    for i in range(len(windows)):
        assert windows[i].tolist() == expected[i * 13 : (i + 1) * 13].tolist()
        assert len(windows._fds) <= 3
    # built once: a second call reuses the finished build
    again = build_shards(iter(["other"]), tokenizer, tmp_path / "s")
    assert again.total_tokens == shards.total_tokens


def test_a_build_cut_off_leaves_nothing_that_looks_finished(tmp_path, tokenizer):
    def texts():
        yield from TEXTS[:50]
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_shards(texts(), tokenizer, tmp_path / "s", shard_tokens=50)
    assert not (tmp_path / "s").exists() and not list(tmp_path.iterdir())


def test_the_cache_key_follows_the_vocabulary_and_the_corpus(tokenizer, studio_home):
    state = tokenizer.to_dict()
    assert shard_key(state, "abc") == shard_key(state, "abc")
    assert shard_key(state, "abc") != shard_key(state, "abd")
    assert shard_cache(studio_home) == studio_home / "cache" / "shards"


def test_held_out_windows_are_spread_over_the_corpus_and_never_trained_on(tmp_path, tokenizer):
    shards = build_shards(iter(TEXTS * 8), tokenizer, tmp_path / "s")
    windows = TokenWindows(shards, 5)
    train, val = WindowSplit(windows, "train"), WindowSplit(windows, "val")
    train_ids = {train.window_id(j) for j in range(len(train))}
    val_ids = {val.window_id(j) for j in range(len(val))}
    assert not train_ids & val_ids
    assert all(train.held_out(v) for v in val_ids) and not any(train.held_out(w) for w in train_ids)
    assert len(train_ids) + train.n_held == len(windows)
    assert len(val) == min(train.n_held, 512) and len(val_ids) == len(val)
    assert max(val_ids) > 0.9 * len(windows)  # the held-out part reaches the end of the corpus, not just its start


def test_a_tiny_corpus_holds_out_its_last_window_and_one_window_is_refused(tmp_path, tokenizer):
    shards = build_shards(iter(TEXTS[:20]), tokenizer, tmp_path / "s")
    windows = TokenWindows(shards, 20)
    train = WindowSplit(windows, "train")
    assert len(train) == len(windows) - 1 and train.window_id(len(train) - 1) == len(windows) - 2
    with pytest.raises(DataError, match="at least two"):
        WindowSplit(TokenWindows(shards, shards.total_tokens), "train")


@pytest.mark.parametrize("n, block", [(1, 4), (10, 4), (17, 4), (1000, 64), (1000, 1000)])
def test_the_block_shuffle_is_a_permutation_fixed_by_its_seed(n, block):
    order = BlockOrder(n, seed=3, block=block)
    pieces = [order[a : a + 7] for a in range(0, n, 7)]
    everything = torch.cat(pieces)
    assert sorted(everything.tolist()) == list(range(n))
    assert torch.equal(everything, BlockOrder(n, seed=3, block=block)[0:n])
    if n >= 100:
        assert not torch.equal(everything, BlockOrder(n, seed=4, block=block)[0:n])
        assert not torch.equal(everything, torch.arange(n))


def test_shards_reload_from_their_manifest(tmp_path, tokenizer):
    built = build_shards(iter(TEXTS), tokenizer, tmp_path / "s")
    loaded = ShardSet.load(tmp_path / "s")
    assert (loaded.total_tokens, loaded.documents, loaded.dtype) == (built.total_tokens, len(TEXTS), "uint16")


MEMORY_PROBE = """
import itertools, sys
from pathlib import Path
import torch
from core.corpus import TokenWindows, WindowSplit, BlockOrder, build_shards, iter_texts, open_corpus
from core.text import WordPieceTokenizer
corpus, out = Path(sys.argv[1]), Path(sys.argv[2])
with open(corpus, encoding="utf-8") as handle:
    tok = WordPieceTokenizer(vocab_size=2000, min_freq=1).train(list(itertools.islice(handle, 2000)))
shards = build_shards(iter_texts(open_corpus(str(corpus))), tok, out, shard_tokens=1 << 20)
train = WindowSplit(TokenWindows(shards, 126), "train")
order, total = BlockOrder(len(train), 0), 0
for start in range(0, len(train), 64):  # one epoch of batches, as the trainer reads them
    total += int(sum(train[int(j)].sum() for j in order[start : start + 64]))
# VmHWM, not ru_maxrss: a child's ru_maxrss starts at its parent's size when it forks
peak_kb = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0])
print(shards.total_tokens, peak_kb // 1024)
"""


def test_memory_stays_flat_as_the_corpus_grows_eightfold(tmp_path):
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(3000)]
    lines = [" ".join(rng.choice(words, size=40)) for _ in range(12000)]  # about 3.3 MB of text
    base = "\n".join(lines) + "\n"
    peaks = {}
    for times in (1, 8):
        corpus = tmp_path / f"corpus{times}.txt"
        corpus.write_text(base * times, encoding="utf-8")
        result = subprocess.run(
            [sys.executable, "-c", MEMORY_PROBE, str(corpus), str(tmp_path / f"shards{times}")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        tokens, peak_mb = (int(x) for x in result.stdout.split())
        peaks[times] = (tokens, peak_mb)
    assert peaks[8][0] >= 7.9 * peaks[1][0]
    # the 8x corpus's extra tokens held in memory would be 35 MB as int64 (17 MB as int32); streamed,
    # the peak moves by the noise of a process's start (a few MB)
    in_memory_mb = (peaks[8][0] - peaks[1][0]) * 8 / 2**20
    assert in_memory_mb > 30
    assert peaks[8][1] - peaks[1][1] < 10, peaks


def test_a_corpus_run_resumed_on_a_changed_corpus_is_refused_and_keeps_its_checkpoint(studio_home, tmp_path):
    """Rewritten between the stop and the resume, the corpus was tokenised again and trained on: the
    checkpoint's place in the old windows applied to other text, without a word."""
    from core.corpus import open_corpus, sample_dataset
    from core.training.runner import RunConfig, execute_run, resume_run, start_run
    from tests.test_damaged import StopAt

    corpus = tmp_path / "notes.txt"
    corpus.write_text("".join(f"the match number {i} ended in a draw today\n" for i in range(300)), encoding="utf-8")
    config = RunConfig.create(
        sample_dataset(open_corpus(str(corpus))),
        "transformer",
        {"preset": "tiny", "max_len": 32, "vocab_size": 300},
        {"epochs": 3, "threads": 1, "batch_size": 8},
        task="pretrain",
        corpus=str(corpus),
    )
    run = start_run(config)
    assert execute_run(run, callbacks=[StopAt(2)]) == "stopped"
    assert run.raw_status()["corpus_shards"]
    corpus.write_text("".join(f"今天的第 {i} 场比赛打平了\n" for i in range(900)), encoding="utf-8")
    assert resume_run(run.id) == "failed"
    assert "has changed since run" in run.status()["error"]
    assert (run.checkpoint_dir / "state.pt").is_file()


def test_a_corpus_of_invisible_characters_is_refused_with_a_message(studio_home, tmp_path, capsys):
    """Zero-width spaces pass strip(), then leave the vocabulary with only its special tokens: a raw
    "random_ expects 'from' to be less than 'to'" ended the run."""
    from core.cli import main

    corpus = tmp_path / "zw.txt"
    corpus.write_text("\u200b\u200d\ufeff\n" * 400, encoding="utf-8")
    args = ["pretrain", "--corpus", str(corpus), "--preset", "tiny", "--threads", "1", "--quiet"]
    assert main([*args, "--train-set", "max_steps=2"]) == 1
    err = capsys.readouterr().err
    assert "no vocabulary to learn" in err and "random_" not in err


def test_a_build_killed_half_way_is_cleared_by_the_next(tmp_path, tokenizer):
    """A build killed by SIGKILL or for memory left <key>.tmp-<pid>/ for good."""
    import os

    dead = subprocess_pid_that_has_ended()
    stale = tmp_path / f"old-key.tmp-{dead}"
    stale.mkdir()
    (stale / "shard-00000.bin").write_bytes(b"\0" * 64)
    os.utime(stale, (0, 0))  # untouched for ages
    live = tmp_path / f"other.tmp-{os.getpid()}"
    live.mkdir()
    os.utime(live, (0, 0))
    build_shards(["one text", "two texts"], tokenizer, tmp_path / "new-key")
    assert not stale.exists() and live.exists() and (tmp_path / "new-key" / "manifest.json").is_file()


def subprocess_pid_that_has_ended() -> int:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


def test_a_folder_corpus_leaves_out_the_studio_home_hidden_folders_and_links_read_twice(tmp_path, monkeypatch):
    """A corpus of "." in a project folder read the stored datasets (their test texts too) and the runs'
    logs; a file and a link to it were read twice."""
    home = tmp_path / "studio_data"
    monkeypatch.setenv("ENCODER_STUDIO_HOME", str(home))
    (home / "runs" / "r1").mkdir(parents=True)
    (home / "runs" / "r1" / "log.txt").write_text("training started\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "notes.txt").write_text("a commit message\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("one text here\n", encoding="utf-8")
    (tmp_path / "b.txt").symlink_to(tmp_path / "sub" / "a.txt")
    source = open_corpus(str(tmp_path))
    assert [p.name for p in source.files] == ["a.txt"]
    assert list(iter_texts(source)) == ["one text here"]
    with pytest.raises(DataError, match="the studio's own files are left out"):
        open_corpus(str(home))


def test_a_compressed_archived_or_binary_file_named_txt_is_called_so_not_a_text_to_convert(tmp_path):
    """A gzip file named .txt was told "not UTF-8 … Convert it, e.g. iconv -f GB18030"."""
    import gzip
    import io
    import zipfile

    texts = "\n".join(TEXTS).encode()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.writestr("a.txt", texts)
    noise = np.random.default_rng(0).integers(0, 256, 8192, dtype=np.uint8).tobytes()
    files = {
        "notes.txt": (gzip.compress(texts), "notes.txt is gzip-compressed, not text.*gzip -dc notes.txt"),
        "notes.jsonl": (gzip.compress(texts), "notes.jsonl is gzip-compressed, not text"),
        "book.txt": (archive.getvalue(), "book.txt is a zip archive .*export the document as plain text"),
        "paper.txt": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "paper.txt is a PDF, not text.*pdftotext"),
        "noise.txt": (b"\xff" + noise, "noise.txt is a binary file \\(not text: .* control bytes\\)"),
    }
    for name, (data, said) in files.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(DataError, match=said) as caught:
            list(iter_texts(open_corpus(str(tmp_path / name))))
        assert "GB18030" not in str(caught.value) and "Convert it to UTF-8" not in str(caught.value)
    # text in another encoding still gets the encoding's advice, UTF-16 without its mark included
    (tmp_path / "gbk.txt").write_bytes("中文语料一行，还有更多的字\n".encode("gb18030") * 300)
    with pytest.raises(DataError, match="iconv -f GB18030 -t UTF-8"):
        list(iter_texts(open_corpus(str(tmp_path / "gbk.txt"))))
    (tmp_path / "bom.txt").write_bytes(("a line of text\n" * 50).encode("utf-16"))
    with pytest.raises(DataError, match="iconv -f UTF-16 -t UTF-8"):  # the mark read, not kept as a character
        list(iter_texts(open_corpus(str(tmp_path / "bom.txt"))))
    (tmp_path / "le.txt").write_bytes("a line of text\n".encode("utf-16-le") * 50)
    with pytest.raises(DataError, match="le.txt is UTF-16LE text without its byte-order mark.*iconv -f UTF-16LE"):
        list(iter_texts(open_corpus(str(tmp_path / "le.txt"))))


def test_files_data_import_reads_are_read_as_a_corpus_too(tmp_path):
    """A JSONL file with a byte-order mark and a Parquet file of binary text were refused or read as empty;
    a UTF-16 text file was told to convert from GB18030."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    (tmp_path / "bom.jsonl").write_bytes(b"\xef\xbb\xbf" + '{"text": "第一条"}\n{"text": "second"}\n'.encode())
    assert list(iter_texts(open_corpus(str(tmp_path / "bom.jsonl")))) == ["第一条", "second"]
    pq.write_table(
        pa.table({"text": pa.array(["一条评论".encode(), b"a review"], pa.binary())}), tmp_path / "b.parquet"
    )
    assert list(iter_texts(open_corpus(str(tmp_path / "b.parquet")))) == ["一条评论", "a review"]
    (tmp_path / "wide.txt").write_bytes("一条评论\n".encode("utf-16"))
    with pytest.raises(DataError, match="iconv -f UTF-16 -t UTF-8"):
        list(iter_texts(open_corpus(str(tmp_path / "wide.txt"))))


def test_a_dataset_corpus_keeps_its_fingerprint_when_classes_are_renamed_and_a_shared_name_is_told(studio_home):
    """Renaming a class changed the corpus's fingerprint (its content hash), and a stopped pretraining
    run on its texts, which have no use for labels, could not resume."""
    from core.names import rename_labels
    from core.registry import DatasetStore

    store = DatasetStore(studio_home)
    frame = pd.DataFrame({"text": TEXTS[:60], "label": ["cats", "dogs"] * 30, "split": ["train"] * 50 + ["test"] * 10})
    store.save(frame, "animals", "test", {}, dataset_id="pets")
    source = open_corpus("pets", studio_home)
    before = fingerprint(source, studio_home)
    rename_labels("pets", {"cats": "felines"}, store)
    assert fingerprint(source, studio_home) == before
    assert fingerprint(source, studio_home, legacy=True) != before  # the old reckoning moved
    store.save(frame, "animals", "test", {}, dataset_id="pets2")
    from core.errors import UnknownDatasetError

    with pytest.raises(UnknownDatasetError, match="2 datasets are named 'animals'"):
        open_corpus("animals", studio_home)


def test_two_runs_sampling_one_corpus_at_once_both_get_its_sample(tmp_path, studio_home, monkeypatch):
    """Two runs on one corpus started together: the second failed with "A dataset with id 'corpus-…'
    exists already; pick another name", a name the user never gave."""
    import core.registry as registry

    (tmp_path / "c.txt").write_text("\n".join(TEXTS[:20]), encoding="utf-8")
    source = open_corpus(str(tmp_path / "c.txt"))
    first = sample_dataset(source, studio_home)
    real_exists = registry.DatasetStore.exists
    calls = []
    # the other run's sample lands between this one's look and its save

    def exists(self, dataset_id):
        calls.append(dataset_id)
        return len(calls) > 1 and real_exists(self, dataset_id)

    monkeypatch.setattr(registry.DatasetStore, "exists", exists)
    assert sample_dataset(source, studio_home) == first


def test_a_folder_run_started_before_hidden_files_were_left_out_still_resumes(studio_home, tmp_path):
    """The walk now leaves out hidden folders, so a stopped run's corpus reckoned another way: "has changed
    since run … started" though nothing was edited."""
    from core.corpus import CorpusSource, legacy_folder_files, open_corpus, sample_dataset
    from core.text import load_tokenizer
    from core.training.runner import RunConfig, execute_run, resume_run, start_run
    from tests.test_damaged import StopAt

    folder = tmp_path / "texts"
    (folder / ".ipynb_checkpoints").mkdir(parents=True)
    lines = "".join(f"the match number {i} ended in a draw today\n" for i in range(300))
    (folder / "notes.txt").write_text(lines, encoding="utf-8")
    (folder / ".ipynb_checkpoints" / "notes-checkpoint.txt").write_text(lines, encoding="utf-8")
    config = RunConfig.create(
        sample_dataset(open_corpus(str(folder))),
        "transformer",
        {"preset": "tiny", "max_len": 32, "vocab_size": 300},
        {"epochs": 2, "threads": 1, "batch_size": 8},
        task="pretrain",
        corpus=str(folder),
    )
    run = start_run(config)
    assert execute_run(run, callbacks=[StopAt(2)]) == "stopped"
    # as a run started before the change recorded it: the shards of every file, the hidden one too
    vocabulary = load_tokenizer(run.path / "tokenizer.json").to_dict()
    old = CorpusSource(files=legacy_folder_files(folder))
    legacy = shard_cache(studio_home) / shard_key(vocabulary, fingerprint(old, studio_home))
    (shard_cache(studio_home) / run.raw_status()["corpus_shards"]).rename(legacy)
    run.set_status("stopped", corpus_shards=legacy.name)
    assert resume_run(run.id) == "done", run.status().get("error")


def test_a_folder_of_texts_kept_in_the_studio_home_is_read(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("ENCODER_STUDIO_HOME", str(home))
    (home / "corpora" / "wiki").mkdir(parents=True)
    (home / "corpora" / "wiki" / "a.txt").write_text("one text\n", encoding="utf-8")
    assert list(iter_texts(open_corpus(str(home / "corpora" / "wiki")))) == ["one text"]


def test_a_corpus_samples_name_fits_the_name_box(tmp_path, studio_home):
    """A sample was named after its file in full: a 92-character name, cut to 80 by the name box the
    next time its tags were saved."""
    from core.names import MAX_TITLE_CHARS, clean_title
    from core.registry import DatasetStore

    path = tmp_path / ("a very long file name for the notes of a whole term " * 2).strip().replace(" ", "_")
    path = path.with_suffix(".txt")
    path.write_text("\n".join(TEXTS[:20]), encoding="utf-8")
    name = DatasetStore(studio_home).info(sample_dataset(open_corpus(str(path)), studio_home)).name
    assert len(name) <= MAX_TITLE_CHARS and name.endswith(" (sample)") and name.startswith("a_very_long_file")
    assert clean_title(name) == name  # saving it again as it is is not refused


def test_a_refused_corpus_pretraining_leaves_no_sample_dataset_behind(tmp_path, studio_home, capsys):
    """--lr 50 or wide=true was refused after the corpus's "(sample)" dataset was stored, and it stayed."""
    from core.cli import main
    from core.registry import DatasetStore, RunStore

    corpus = tmp_path / "notes.txt"
    corpus.write_text("\n".join(TEXTS), encoding="utf-8")
    args = ["pretrain", "--corpus", str(corpus), "--preset", "tiny", "--set", "max_len=32", "--threads", "1"]
    args += ["--epochs", "1", "--train-set", "max_steps=1", "--quiet"]
    assert main([*args, "--lr", "50"]) == 1
    assert main([*args, "--set", "wide=true"]) == 1
    err = capsys.readouterr().err
    assert "lr must be a positive number" in err and "wide=true: the wide part" in err
    assert DatasetStore().list() == [] and RunStore().list() == []
    assert main(args) == 0  # a run that starts keeps its sample, and a later refusal leaves it there
    (sample,) = DatasetStore().list()
    assert main([*args, "--lr", "50"]) == 1
    assert [d.id for d in DatasetStore().list()] == [sample.id]
    assert RunStore().list()[0].config()["dataset"] == sample.id


def test_a_corpus_run_s_held_out_score_counts_windows_not_texts(tmp_path, studio_home, capsys):
    """`evaluate` said "(2 held-out texts)" of a corpus run scored on 2 windows of 126 tokens."""
    from core.cli import main
    from core.registry import RunStore

    corpus = tmp_path / "notes.txt"
    corpus.write_text("\n".join(TEXTS), encoding="utf-8")
    args = ["pretrain", "--corpus", str(corpus), "--preset", "tiny", "--set", "max_len=32", "--threads", "1"]
    assert main([*args, "--epochs", "1", "--train-set", "max_steps=1", "--quiet", "--run-id", "windows"]) == 0
    capsys.readouterr()
    n = RunStore().get("windows").eval()["n"]
    assert main(["evaluate", "--run", "windows"]) == 0
    out = capsys.readouterr().out
    assert f"({n} held-out window{'s' if n > 1 else ''} of 30 tokens)" in out and "held-out text" not in out, out
