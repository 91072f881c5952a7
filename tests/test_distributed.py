"""Data-parallel training with the real torchrun and gloo: N processes take the steps one takes,
rank 0 alone writes, and a checkpoint resumes in a different number of processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import studio_env

ROOT = Path(__file__).resolve().parents[1]
STEPS = 40
# tiny, and no dropout: with the same masks (seeded per text) the processes' sums are the same maths
TINY = [
    "--set",
    "d_model=32",
    "--set",
    "n_heads=2",
    "--set",
    "d_ff=64",
    "--set",
    "max_len=32",
    "--set",
    "vocab_size=300",
]
COMMON = [
    "--preset", "tiny", *TINY, "--set", "dropout=0", "--set", "attention_dropout=0",
    "--epochs", "1", "--batch-size", "12", "--train-set", f"max_steps={STEPS}", "--threads", "1", "--quiet",
]  # fmt: skip


def core(home: Path, *args: str, processes: int = 1, check: bool = True) -> subprocess.CompletedProcess:
    """``python -m core …``, or the same under ``torchrun`` with ``processes`` ranks."""
    launcher = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", str(processes)]
    command = [*(launcher if processes > 1 else [sys.executable]), "-m", "core", *args]
    env = {**os.environ, "ENCODER_STUDIO_HOME": str(home), "OMP_NUM_THREADS": "1"}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def final(home: Path, run_id: str) -> dict:
    run = home / "runs" / run_id
    metrics = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    evals = [m for m in metrics if m.get("event") == "eval"]  # the end of the (capped) epoch
    return {
        "mlm_loss": json.loads((run / "eval.json").read_text())["mlm_loss"],
        "last_step": evals[-1]["step"],
        "train_loss": evals[-1]["train/loss"],
        "fit_starts": [m for m in metrics if m.get("event") == "fit_start"],
        "log": (run / "log.txt").read_text(),
    }


@pytest.fixture(scope="module")
def corpus_home(tmp_path_factory):
    """A studio home, a corpus file of the starter texts, and the one-process reference run."""
    home = tmp_path_factory.mktemp("ddp") / "studio"
    with studio_env(home):
        from core.registry import DatasetStore

        store = DatasetStore(home)
        store.ensure_builtin("starter")
        texts = store.load("starter")["text"].str.replace("\n", " ")
    corpus = home.parent / "corpus.txt"
    corpus.write_text("\n".join(texts) + "\n", encoding="utf-8")
    core(home, "pretrain", "--corpus", str(corpus), *COMMON, "--run-id", "one")
    return home, corpus


def test_two_processes_with_accumulation_take_the_steps_one_process_takes(corpus_home):
    home, corpus = corpus_home
    # 12 texts a step: 6 per process, in micro-batches of 4 and 2 (gradient accumulation)
    core(home, "pretrain", "--corpus", str(corpus), *COMMON, "--micro-batch-size", "4", "--run-id", "two", processes=2)
    one, two = final(home, "one"), final(home, "two")
    assert two["last_step"] == one["last_step"] == STEPS
    assert two["train_loss"] == pytest.approx(one["train_loss"], rel=1e-4)
    assert two["mlm_loss"] == pytest.approx(one["mlm_loss"], rel=1e-4)
    assert one["mlm_loss"] < 5.0  # it learned something: log(300) = 5.7 is a uniform guess
    # rank 0 alone wrote: one start in the log and the metrics, one run folder per command
    assert len(two["fit_starts"]) == 1 and two["fit_starts"][0]["processes"] == 2
    assert two["log"].count("starting transformer") == 1
    assert "2 processes" in two["log"]
    assert sorted(p.name for p in (home / "runs").iterdir()) == ["one", "two"]


def test_a_run_stopped_in_two_processes_resumes_in_one_at_the_same_place(corpus_home):
    home, corpus = corpus_home
    env = {**os.environ, "ENCODER_STUDIO_HOME": str(home), "OMP_NUM_THREADS": "1"}
    args = ["pretrain", "--corpus", str(corpus), *COMMON, "--processes", "2", "--run-id", "moved"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "core", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    status = home / "runs" / "moved" / "status.json"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:  # stop it once it has taken a step
        step = json.loads(status.read_text()).get("step", 0) if status.is_file() else 0
        if step and step >= 1:
            break
        time.sleep(0.02)
    from core.registry import RunDir

    RunDir(home / "runs" / "moved").request_stop()  # what Stop and `python -m core stop` do
    out = proc.communicate(timeout=300)[0].decode()
    stopped = json.loads(status.read_text())
    assert stopped["state"] == "stopped", out[-3000:]
    assert "run moved: pretrain transformer on corpus-" in out and " in 2 processes" in out, out[:500]  # as torchrun's
    stopped_at = json.loads((home / "runs" / "moved" / "metrics.jsonl").read_text().splitlines()[-1]).get("step")
    core(home, "resume", "--run", "moved", "--processes", "1", "--quiet")
    moved, one = final(home, "moved"), final(home, "one")
    assert [s["processes"] for s in moved["fit_starts"]] == [2, 1]
    assert moved["fit_starts"][1]["resumed_at_step"] >= 1
    assert moved["last_step"] == STEPS and (stopped_at or 0) < STEPS
    # the windows, their masks and the optimiser state carried over exactly
    assert moved["mlm_loss"] == pytest.approx(one["mlm_loss"], rel=1e-4)


def test_a_bag_of_words_model_is_refused_data_parallel_with_a_reason(corpus_home):
    home, _ = corpus_home
    result = core(
        home,
        "train",
        "--dataset",
        "starter",
        "--encoder",
        "bow_mlp",
        "--epochs",
        "1",
        "--quiet",
        processes=2,
        check=False,
    )
    assert result.returncode != 0
    assert "sparse" in (result.stdout + result.stderr) and "one process" in (result.stdout + result.stderr)


def test_classification_and_fine_tuning_train_data_parallel_too(corpus_home):
    home, _ = corpus_home
    tiny = ["--preset", "tiny", *TINY, "--epochs", "2", "--batch-size", "32", "--threads", "1", "--quiet"]
    core(home, "train", "--dataset", "starter", "--encoder", "transformer", *tiny, "--run-id", "cls2", processes=2)
    core(home, "finetune", "--from", "cls2", "--dataset", "starter", "--epochs", "1", "--threads", "1", "--quiet",
         "--run-id", "ft2", processes=2)  # fmt: skip
    for run_id in ("cls2", "ft2"):
        run = home / "runs" / run_id
        report = json.loads((run / "eval.json").read_text())
        assert report["accuracy"] > 0.6, report["accuracy"]  # four classes: chance is 0.25
        log = (run / "log.txt").read_text()
        assert log.count("starting transformer") == 1  # rank 0 alone writes the log
        starts = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
        assert [s["processes"] for s in starts if s.get("event") == "fit_start"] == [2]


def test_ranks_end_when_the_process_that_launched_them_is_killed(corpus_home):
    """Killed with its worker (out of memory, SIGKILL), a data-parallel run went on training in
    orphaned ranks while it read "interrupted", and a resume then trained it twice at once."""
    import signal

    home, corpus = corpus_home
    env = {**os.environ, "ENCODER_STUDIO_HOME": str(home), "OMP_NUM_THREADS": "1"}
    long = [a if a != f"max_steps={STEPS}" else "max_steps=100000" for a in COMMON]
    long[long.index("--epochs") + 1] = "100"
    args = ["pretrain", "--corpus", str(corpus), *long, "--processes", "2", "--run-id", "orphans"]
    proc = subprocess.Popen([sys.executable, "-m", "core", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    status = home / "runs" / "orphans" / "status.json"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not (status.is_file() and json.loads(status.read_text()).get("step")):
        time.sleep(0.05)

    def ranks() -> list[str]:
        found = subprocess.run(["pgrep", "-f", "core rank orphans"], capture_output=True, text=True).stdout
        return found.split()

    assert ranks(), "the ranks never started"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 60  # torchrun gets SIGTERM, then ends its ranks
    while ranks() and time.monotonic() < deadline:
        time.sleep(0.2)
    left = ranks()
    for pid in left:  # never leave them behind the suite
        os.kill(int(pid), signal.SIGKILL)
    assert not left, "ranks went on training after their launcher was killed"
    from core.registry import RunDir

    assert RunDir(home / "runs" / "orphans").status()["state"] == "interrupted"


def test_a_ctrl_c_in_the_terminal_stops_a_data_parallel_run_with_its_checkpoint(corpus_home):
    """A terminal sends Ctrl-C to the whole foreground group: torchrun got it too and killed its ranks
    mid-step, and the run ended "failed", its progress lost."""
    import signal

    home, corpus = corpus_home
    env = {**os.environ, "ENCODER_STUDIO_HOME": str(home), "OMP_NUM_THREADS": "1"}
    long = [a if a != f"max_steps={STEPS}" else "max_steps=100000" for a in COMMON]
    long[long.index("--epochs") + 1] = "100"
    args = ["pretrain", "--corpus", str(corpus), *long, "--processes", "2", "--run-id", "ctrl-c"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "core", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True
    )  # a group of its own, as a terminal's foreground job
    status = home / "runs" / "ctrl-c" / "status.json"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not (
        status.is_file() and (json.loads(status.read_text()).get("step") or 0) >= 2
    ):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
    # ended by the signal itself once the run is saved (a shell reports 130), so a loop of runs stops too
    assert proc.wait(timeout=300) == -signal.SIGINT
    final_status = json.loads(status.read_text())
    assert final_status["state"] == "stopped", final_status
    assert (home / "runs" / "ctrl-c" / "checkpoint" / "state.pt").is_file()
