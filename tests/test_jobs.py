import time

from core.jobs import JobManager
from core.registry import RunStore
from core.training.runner import start_run
from tests.conftest import tiny_config


def test_jobs_run_one_at_a_time_in_order(small_dataset):
    jobs = JobManager(max_concurrent=1)
    runs = [start_run(tiny_config(small_dataset, "bow_mlp")) for _ in range(3)]
    for run in runs:
        jobs.submit(run.id)
    queued = jobs.queue()
    assert [j.run_id for j in queued] == [r.id for r in runs]
    assert sum(j.state == "running" for j in queued) == 1
    for run in runs:
        assert jobs.wait(run.id, 120).result == "done"
    starts = [jobs.get(r.id).started for r in runs]
    ends = [jobs.get(r.id).finished for r in runs]
    assert starts[1] >= ends[0] and starts[2] >= ends[1]
    assert not jobs.active()


def test_stop_running_and_queued_jobs(small_dataset):
    jobs = JobManager(max_concurrent=1)
    first = start_run(tiny_config(small_dataset, "transformer", epochs=50))
    second = start_run(tiny_config(small_dataset, "bow_mlp"))
    jobs.submit(first.id)
    jobs.submit(second.id)
    deadline = time.monotonic() + 60
    while not [m for m in first.metrics() if m["event"] == "step"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert jobs.stop(second.id) and jobs.get(second.id).result == "stopped"
    assert jobs.stop(first.id)
    assert jobs.wait(first.id, 60).result == "stopped"
    assert first.status()["state"] == "stopped" and (first.checkpoint_dir / "state.pt").is_file()
    assert second.status()["state"] == "stopped"
    # a stopped run resumes through the queue
    jobs.submit(first.id, kind="resume")
    time.sleep(0.3)
    jobs.stop(first.id)
    assert jobs.wait(first.id, 60).result in ("stopped", "done")


def test_restart_marks_runs_interrupted(small_dataset):
    run = start_run(tiny_config(small_dataset, "bow_mlp"))
    run.set_status("running")
    jobs = JobManager()
    assert jobs.recovered == [run.id]
    assert RunStore().get(run.id).status()["state"] == "interrupted"


def test_failed_job_is_reported(small_dataset):
    run = start_run(tiny_config(small_dataset, "bow_mlp"))
    cfg = run.config()
    cfg["encoder_config"]["hidden"] = [0]
    run.write_config(cfg)
    jobs = JobManager()
    jobs.submit(run.id)
    assert jobs.wait(run.id, 60).result == "failed"
    assert "positive width" in run.status()["error"]
