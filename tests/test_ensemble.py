"""The ensemble family: members trained as ordinary runs (or picked from finished ones),
temperatures fitted on validation, probabilities averaged; damaged or missing members named."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import ModelFileError, StudioError
from core.inference import Predictor
from core.registry import RunStore
from core.training.runner import RunConfig, start_run, train_run
from tests.conftest import tiny_config


def test_an_ensemble_trains_its_members_as_runs_and_averages_them(small_dataset):
    run = train_run(RunConfig.create(small_dataset, "ensemble", {"members": ["bow_mlp", "baseline:nb"]}))
    assert run.status()["state"] == "done", run.status().get("error")
    report = run.eval()
    members = report["members"]
    assert [m["encoder"] for m in members] == ["bow_mlp", "baseline"]
    store = RunStore()
    nb_member = store.get(members[1]["run"]).config()
    assert nb_member["encoder_config"]["featurizer"]["nb_weights"] is True  # "baseline:nb"
    for member in members:
        assert store.get(member["run"]).status()["state"] == "done"  # real runs, listed like any other
        assert 0.05 <= member["temperature"] <= 20.0
    ensemble = Predictor.from_run(run.path)
    texts = ["the match ended two goals to one", "这道菜的味道很好"]
    proba = ensemble.predict_proba(texts)
    assert proba.shape == (2, len(run.config()["labels"])) and np.allclose(proba.sum(1), 1.0, atol=1e-5)
    # the ensemble's probability is the mean of its members' probabilities, then one output temperature
    # members are not calibrated by default: the average is of their raw confidences (calibrating each
    # first measured lower on all four benchmark sets). A neural member comes calibrated from its own
    # training, so the ensemble's temperature for it undoes that one (1 / T); the baseline's is 1.
    from core.encoders.ensemble import EnsembleModel, tempered

    mlp_temperature = store.get(members[0]["run"]).eval()["temperature"]
    assert EnsembleModel.load(run.path).temperatures[0] == pytest.approx(1 / mlp_temperature) != 1.0
    assert all(m["temperature"] == 1.0 for m in members)  # on the members' raw scores: none
    parts = [
        tempered(
            np.log(np.clip(Predictor.from_run(store.get(m["run"]).path).predict_proba(texts), 1e-12, 1)),
            m["temperature"] / (store.get(m["run"]).eval().get("temperature") or 1.0),
        )
        for m in members
    ]
    mean = np.mean(parts, axis=0)
    expected = tempered(np.log(mean), report["output_temperature"])
    assert np.allclose(proba, expected, atol=1e-3)  # the report rounds temperatures
    assert (proba.argmax(1) == mean.argmax(1)).all()  # calibrating the average changes no prediction
    assert ensemble.embed(texts).shape[0] == 2 and report["accuracy"] > 0.5
    assert ensemble.explain(texts[0]).tokens  # explanations cut text spans, which any member scores


def test_existing_runs_join_an_ensemble_and_a_deleted_member_is_named(small_dataset):
    first = train_run(tiny_config(small_dataset, "bow_mlp"))
    second = train_run(RunConfig.create(small_dataset, "baseline"))
    run = train_run(
        RunConfig.create(small_dataset, "ensemble", {"members": [first.id, second.id], "calibrate_members": True})
    )
    assert run.status()["state"] == "done", run.status().get("error")
    assert [m["run"] for m in run.eval()["members"]] == [first.id, second.id]
    assert any(abs(m["temperature"] - 1.0) > 0.01 for m in run.eval()["members"])  # fitted, not left at 1
    assert len(RunStore().list()) == 3  # nothing trained again
    with pytest.raises(StudioError, match=f"member of ensemble {run.id}"):
        RunStore().delete(first.id)  # refused: the ensemble needs it
    second_ensemble = train_run(RunConfig.create(small_dataset, "ensemble", {"members": [first.id, second.id]}))
    with pytest.raises(StudioError, match=f"member of the ensembles .*{second_ensemble.id}.*Delete those ensembles"):
        RunStore().delete(first.id)  # in two: both named, in the plural
    RunStore().delete(second_ensemble.id)
    # a re-evaluation ("evaluate --again", the page's rebuild) keeps the member table, and the members
    # stay protected even when eval.json is damaged: the saved model names them
    from core.training.runner import evaluate_saved_run

    table = run.eval()["members"]
    evaluate_saved_run(run)
    assert run.eval()["members"] == table
    (run.path / "eval.json").write_text("{broken")
    assert RunStore().ensembles_using(first.id) == [run.id]
    evaluate_saved_run(run)  # rebuilt from the model: ids, temperatures and weights
    rebuilt = run.eval()["members"]
    assert [m["run"] for m in rebuilt] == [first.id, second.id]
    assert [m["temperature"] for m in rebuilt] == [m["temperature"] for m in table]
    with pytest.raises(StudioError, match=f"member of ensemble {run.id}"):
        RunStore().delete(first.id)
    import shutil

    shutil.rmtree(RunStore().get(first.id).path)  # gone by other means
    with pytest.raises(StudioError, match=f"Member run {first.id} .* was deleted"):
        Predictor.from_run(run.path)
    (run.path / "model.safetensors").write_bytes(b"garbage")
    with pytest.raises(ModelFileError, match="could not be read"):
        Predictor.from_run(run.path)


def test_ensemble_members_must_share_the_dataset(small_dataset, starter_frame):
    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore

    other = starter_frame.groupby("label").head(30).reset_index(drop=True)
    other["split"] = stratified_split(other["label"], SplitConfig(0.15, 0.25, seed=1))
    DatasetStore().save(other, "other", "test", {"seed": 1}, dataset_id="other")
    foreign = train_run(RunConfig.create("other", "baseline"))
    # refused before the run exists: no failed run, and no member trained for nothing
    # said as what it is: a classifier of another dataset ("is not a classifier on dataset 'small'" misread it)
    with pytest.raises(StudioError, match=f"Run {foreign.id} was trained on dataset 'other', not 'small'"):
        start_run(RunConfig.create(small_dataset, "ensemble", {"members": ["baseline", foreign.id]}))
    with pytest.raises(StudioError, match="'nope' is neither a family .* nor a saved run"):
        start_run(RunConfig.create(small_dataset, "ensemble", {"members": ["baseline", "nope"]}))
    mine = train_run(RunConfig.create(small_dataset, "baseline"))
    ensemble = train_run(RunConfig.create(small_dataset, "ensemble", {"members": ["bow_mlp", mine.id]}))
    with pytest.raises(StudioError, match="is an ensemble itself"):
        start_run(RunConfig.create(small_dataset, "ensemble", {"members": ["baseline", ensemble.id]}))
    (mine.path / "model.safetensors").unlink()
    with pytest.raises(StudioError, match="has no finished model"):
        start_run(RunConfig.create(small_dataset, "ensemble", {"members": ["bow_mlp", mine.id]}))
    assert sorted(r.config()["encoder"] for r in RunStore().list()) == ["baseline", "baseline", "bow_mlp", "ensemble"]
    with pytest.raises(ValueError, match="2 to 8 members"):
        RunConfig.create(small_dataset, "ensemble", {"members": ["bow_mlp"]})


def test_member_weights_split_the_transformers_share_and_validation_chooses_it():
    from core.encoders.ensemble import choose_sequence_share, member_kind, member_weights

    kinds = [member_kind(e) for e in ("bow_mlp", "baseline", "baseline", "transformer")]
    assert kinds == ["bag", "bag", "bag", "sequence"]
    assert member_kind("pretrained") == "sequence" and member_kind("rbf") == "bag"
    assert np.allclose(member_weights(kinds, 0.5), [1 / 6, 1 / 6, 1 / 6, 1 / 2])
    assert np.allclose(member_weights(kinds, 0.0), [1 / 3, 1 / 3, 1 / 3, 0])
    assert np.allclose(member_weights(["sequence", "sequence", "bag"], 0.5), [1 / 4, 1 / 4, 1 / 2])
    assert np.allclose(member_weights(kinds), [1 / 4] * 4)  # no share: every member the same
    assert np.allclose(member_weights(["bag", "bag", "bag"], 0.5), [1 / 3] * 3)  # one kind: nothing to split

    # validation decides: a Transformer right where the bags are wrong gets a large share, one
    # that is wrong everywhere gets none
    y = np.array([0, 1, 0, 1, 0, 1])
    bag = np.array([[0.6, 0.4], [0.6, 0.4], [0.7, 0.3], [0.3, 0.7], [0.6, 0.4], [0.4, 0.6]])
    right, wrong = np.eye(2)[y] * 0.9 + 0.05, np.eye(2)[1 - y] * 0.9 + 0.05

    def average_with(seq):
        return lambda weights: sum(w * p for w, p in zip(weights, (bag, bag, bag, seq)))

    assert choose_sequence_share(kinds, average_with(right), y) == 0.75
    assert choose_sequence_share(kinds, average_with(wrong), y) == 0.0
    assert choose_sequence_share(["bag", "bag"], average_with(right), y) is None
    with pytest.raises(ValueError, match="balance"):
        RunConfig.create("small", "ensemble", {"balance": "loudest"})
    # the command line's --set members=a,b (or [a,b], which is not JSON) names two members
    for raw in ("ft-run,bow_mlp", "[ft-run, bow_mlp]"):
        config = RunConfig.create("small", "ensemble", {"members": raw})
        assert list(config.encoder_config["members"]) == ["ft-run", "bow_mlp"]


def test_a_transformer_member_gets_the_share_validation_chose_and_old_files_load_equal(small_dataset):
    from core.encoders.ensemble import EnsembleModel, member_weights, tempered

    bow = train_run(tiny_config(small_dataset, "bow_mlp"))
    base = train_run(RunConfig.create(small_dataset, "baseline"))
    deep = train_run(tiny_config(small_dataset, "transformer"))
    run = train_run(RunConfig.create(small_dataset, "ensemble", {"members": [bow.id, base.id, deep.id]}))
    assert run.status()["state"] == "done", run.status().get("error")
    report = run.eval()
    share = report["sequence_share"]
    assert share in (0.0, 0.25, 0.5, 0.75)
    expected_weights = member_weights(["bag", "bag", "sequence"], share)
    assert [m["weight"] for m in report["members"]] == [round(w, 4) for w in expected_weights]
    texts = ["the match ended two goals to one", "这道菜的味道很好", "shares fell on the news"]
    # each member's raw confidences: a neural member's saved head is calibrated, and the ensemble undoes that
    parts = [
        tempered(
            np.log(np.clip(Predictor.from_run(member.path).predict_proba(texts), 1e-12, 1)),
            1 / (member.eval().get("temperature") or 1.0),
        )
        for member in (bow, base, deep)
    ]
    temperature = EnsembleModel.load(run.path).output_temperature  # the report rounds it
    weighted = sum(w * p for w, p in zip(expected_weights, parts))
    assert np.allclose(
        Predictor.from_run(run.path).predict_proba(texts), tempered(np.log(weighted), temperature), atol=1e-4
    )
    # an explanation's variants run through every voting member: spans as the Transformer member's where it
    # has a share, one token where validation gave it none (it is then not run)
    ensemble, sequence = Predictor.from_run(run.path), Predictor.from_run(deep.path)
    assert sequence._explain_span(400) > 1
    assert ensemble._explain_span(400) == (sequence._explain_span(400) if share > 0 else 1)
    # "member": every member the same share, nothing chosen
    plain = train_run(
        RunConfig.create(small_dataset, "ensemble", {"members": [bow.id, base.id, deep.id], "balance": "member"})
    )
    assert plain.eval()["sequence_share"] is None
    assert [m["weight"] for m in plain.eval()["members"]] == [0.3333] * 3

    # an ensemble saved before weights existed (no "weights" tensor) averages its members equally
    from safetensors import safe_open
    from safetensors.numpy import load_file, save_file

    with safe_open(str(run.model_path), framework="numpy") as handle:
        meta = handle.metadata()
    tensors = {k: v for k, v in load_file(str(run.model_path)).items() if k != "weights"}
    save_file(tensors, str(run.model_path), metadata=meta)
    equal = tempered(np.log(np.mean(parts, axis=0)), temperature)
    assert np.allclose(Predictor.from_run(run.path).predict_proba(texts), equal, atol=1e-4)


def test_a_finished_run_counts_as_a_default_member_only_with_the_members_settings(small_dataset):
    from core.training.runner import RunConfig, train_run, trains_member

    mlp = train_run(RunConfig.create(small_dataset, "bow_mlp", {}, {"seed": 7, "threads": 1}))
    nb = train_run(RunConfig.create(small_dataset, "baseline", {"featurizer": {"nb_weights": True}}))
    short = train_run(RunConfig.create(small_dataset, "bow_mlp", {}, {"epochs": 2, "threads": 1}))
    assert all(r.status()["state"] == "done" for r in (mlp, nb, short))
    assert trains_member("bow_mlp", mlp.config(), small_dataset)  # another seed and threads: the same member
    assert trains_member("baseline:nb", nb.config(), small_dataset)
    assert not trains_member("baseline", nb.config(), small_dataset)  # NB-weighted terms are another member
    assert not trains_member("bow_mlp", short.config(), small_dataset)  # 2 epochs instead of the default 20
    assert not trains_member("bow_mlp", mlp.config(), "starter")  # another dataset
    assert not trains_member(mlp.id, mlp.config(), small_dataset)  # a run id is not a family to train


def test_on_chinese_data_the_default_members_also_read_jieba_words():
    from core.encoders.ensemble import EnsembleConfig, member_overrides

    default = EnsembleConfig()
    assert default.with_word_view("zh") == (
        "bow_mlp",
        "baseline:nb",
        "baseline",
        "bow_mlp:jieba",
        "baseline:nb:jieba",
        "baseline:jieba",
    )
    assert default.with_word_view("en") == default.with_word_view("mixed") == default.members  # not measured there
    assert EnsembleConfig(word_view="off").with_word_view("zh") == default.members
    assert len(EnsembleConfig(word_view="on").with_word_view("en")) == 6
    # a list picked by hand trains as it is, unless the word view is on; then runs named by id join as
    # they are, a twin already listed is not added twice, and there are eight members at most
    assert EnsembleConfig(members=("bow_mlp", "rbf")).with_word_view("zh") == ("bow_mlp", "rbf")
    assert EnsembleConfig(members=("bow_mlp", "rbf"), word_view="on").with_word_view("zh") == (
        "bow_mlp",
        "rbf",
        "bow_mlp:jieba",
    )
    picked = EnsembleConfig(members=("bow_mlp-20261202-1200-ab12", "baseline", "baseline:jieba"), word_view="on")
    assert picked.with_word_view("zh") == ("bow_mlp-20261202-1200-ab12", "baseline", "baseline:jieba")
    many = EnsembleConfig(
        members=("bow_mlp", "baseline", "baseline:nb", "rbf", "transformer", "a", "b"), word_view="on"
    )
    assert len(many.with_word_view("zh")) == 8
    assert member_overrides("baseline:nb:jieba") == (
        "baseline",
        {"featurizer": {"nb_weights": True, "tokenizer": "jieba"}},
    )
    assert member_overrides("bow_mlp:jieba") == ("bow_mlp", {"featurizer": {"tokenizer": "jieba"}})
    assert member_overrides("bow_mlp") == ("bow_mlp", {})
    with pytest.raises(ValueError, match="word_view"):
        EnsembleConfig(word_view="sometimes")


def test_an_ensemble_on_chinese_texts_trains_the_jieba_twins_as_runs(studio_home, starter_frame):
    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.text import detect_language

    frame = starter_frame[starter_frame["text"].map(detect_language) == "zh"].groupby("label").head(50)
    frame = frame.reset_index(drop=True)
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.15, 0.25, seed=1))
    DatasetStore().save(frame, "zh_small", "test", {"seed": 1}, dataset_id="zh_small")
    run = train_run(
        RunConfig.create("zh_small", "ensemble", {"members": ["baseline", "baseline:nb"], "word_view": "on"})
    )
    assert run.status()["state"] == "done", run.status().get("error")
    members = [RunStore().get(m["run"]).config() for m in run.eval()["members"]]
    units = [
        (m["encoder_config"]["featurizer"]["tokenizer"], m["encoder_config"]["featurizer"]["nb_weights"])
        for m in members
    ]
    assert units == [("auto", False), ("auto", True), ("jieba", False), ("jieba", True)]
    assert "also trained over jieba words" in run.log_tail()


def test_a_member_in_training_moves_the_ensembles_bar(small_dataset):
    """The bar moved only between members (it sat at 75% while an RBF member trained for 40 s)."""
    from core.training.callbacks import ProgressSlice
    from core.training.runner import start_run
    from tests.conftest import tiny_config

    ensemble = start_run(tiny_config(small_dataset, "bow_mlp"))  # any run: its status is what moves
    third_of_four = ProgressSlice(ensemble, start=0.5, width=0.25, interval=0.0)
    for share in (0.0, 0.4, 1.0):
        third_of_four.on_step_end(None, {"progress": share})
        assert ensemble.status()["progress"] == pytest.approx(0.5 + 0.25 * share)
    third_of_four.on_step_end(None, {"progress": 0.5, "eta_s": 12.0})  # the member's own time left goes with it
    assert ensemble.status()["member_eta_s"] == 12.0
    throttled = ProgressSlice(ensemble, start=0.0, width=0.25, interval=60.0)
    throttled.on_step_end(None, {"progress": 0.2})
    throttled.on_step_end(None, {"progress": 0.9})  # within the interval: not written
    assert ensemble.status()["progress"] == pytest.approx(0.05)


def test_an_ensemble_cut_off_after_a_member_trains_only_the_rest_again(small_dataset, monkeypatch, capsys):
    import core.training.runner as runner
    from core.cli import main

    real, calls = runner.execute_run, []

    def cut_off_at_the_second_member(member, **kwargs):
        calls.append(member.id)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the worker was killed while the second member trained
        return real(member, **kwargs)

    config = RunConfig.create(small_dataset, "ensemble", {"members": ["baseline", "baseline:nb"]}, name="pair")
    run = runner.start_run(config)
    monkeypatch.setattr(runner, "execute_run", cut_off_at_the_second_member)
    with pytest.raises(KeyboardInterrupt):
        real(run)
    monkeypatch.setattr(runner, "execute_run", real)
    first = calls[0]
    assert RunStore().get(first).config()["name"] == f"baseline of pair {run.id[-4:]}"
    assert first.startswith(f"baseline-of-pair-{run.id[-4:]}-")  # the id says whose member it is
    assert main(["restart", "--run", run.id, "--yes"]) == 0
    # said as it is done: "from scratch" was printed, and then the finished members were used again
    assert "restarting it (members that finished are used as they are)" in capsys.readouterr().out
    assert "members that finished are used as they are" in run.log_path.read_text()
    members = [m["run"] for m in run.eval()["members"]]
    # the finished member kept; the cut-off one trained in its own folder, not as a second run beside it
    assert members == [first, calls[1]] and len(RunStore().list()) == 3


def test_the_default_ensemble_is_not_followed_by_a_second_baseline(small_dataset):
    """Its TF-IDF + LR member is the baseline: one queued beside it made two identical rows on every board."""
    from core.registry import RunStore
    from core.training.runner import RunConfig
    from ui.actions import start_training, trains_a_baseline

    ensemble = RunConfig.create(small_dataset, "ensemble", train_overrides={"threads": 1})
    assert trains_a_baseline(ensemble)
    run_id = start_training(ensemble)
    RunStore().get(run_id).request_stop()  # what is queued is the question, not the training
    assert [r.id for r in RunStore().list() if r.config().get("dataset") == small_dataset] == [run_id]
    from tests.conftest import wait_for_state

    assert wait_for_state(run_id)["state"] in ("stopped", "done")
    # without a plain baseline among its members, or on a share of the labels, the baseline is still queued
    assert not trains_a_baseline(RunConfig.create(small_dataset, "ensemble", {"members": ["bow_mlp", "rbf"]}))
    assert not trains_a_baseline(RunConfig.create(small_dataset, "ensemble", label_fraction=0.5))
    assert not trains_a_baseline(RunConfig.create(small_dataset, "bow_mlp"))


def test_a_run_from_before_the_dataset_was_imported_again_cannot_join(small_dataset, starter_frame):
    """Its training texts may be the new import's test texts: joined, the ensemble scored 0.90 where
    its fresh member scored 0.78."""
    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import _finished_member

    old = train_run(RunConfig.create(small_dataset, "baseline"))
    DatasetStore().delete(small_dataset)
    frame = starter_frame.groupby("label").head(60).reset_index(drop=True)
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.15, 0.25, seed=2))  # the same classes, new split
    DatasetStore().save(frame, small_dataset, "test", {"seed": 2}, dataset_id=small_dataset)
    with pytest.raises(StudioError, match="trained before dataset 'small' was imported again"):
        start_run(RunConfig.create(small_dataset, "ensemble", {"members": ["bow_mlp", old.id]}))
    fresh = train_run(RunConfig.create(small_dataset, "baseline"))
    ensemble = start_run(RunConfig.create(small_dataset, "ensemble", {"members": ["bow_mlp", fresh.id]}))
    config = RunConfig.from_dict(ensemble.config())
    fingerprint = ensemble.config()["data_fingerprint"]
    assert _finished_member(RunStore(), fresh.id, config, fingerprint) is not None
    assert _finished_member(RunStore(), old.id, config, fingerprint) is None  # trained again, not reused


def test_a_dataset_deleted_with_its_runs_takes_ensembles_and_members_or_nothing(small_dataset, capsys):
    """The pages list runs by dataset: a deleted dataset's runs were reachable from the CLI only.
    Deleting them with it goes ensemble first (its members refuse before), and all or nothing."""
    from core.cli import main
    from core.lease import Lease
    from core.registry import DatasetStore

    member = train_run(tiny_config(small_dataset, "bow_mlp"))
    baseline = train_run(RunConfig.create(small_dataset, "baseline"))
    ensemble = train_run(RunConfig.create(small_dataset, "ensemble", {"members": [member.id, baseline.id]}))
    assert ensemble.status()["state"] == "done", ensemble.status().get("error")
    (baseline.path / "jobs").mkdir(exist_ok=True)
    busy = f"Run {baseline.id} is in use by a map job.*Nothing was deleted"
    with (
        Lease.acquire(baseline.path / "jobs" / "map-x.lock", baseline.path / "jobs" / "map-x.json", "map"),
        pytest.raises(StudioError, match=busy),
    ):
        DatasetStore().delete(small_dataset, with_runs=True)
    assert DatasetStore().exists(small_dataset) and len(RunStore().list()) == 3  # all or nothing
    assert main(["data", "delete", "--dataset", small_dataset, "--with-runs"]) == 2
    assert "and its 3 run(s)" in capsys.readouterr().err
    assert main(["data", "delete", "--dataset", small_dataset, "--with-runs", "--yes"]) == 0
    assert not DatasetStore().exists(small_dataset) and RunStore().list() == []


def test_a_member_that_finished_as_the_ensemble_was_stopped_is_not_trained_again(small_dataset, monkeypatch):
    """A Stop while the last step of a member ran (its fit, its evaluation) came before the member was
    recorded: Start again trained it a second time and left two of it in the list."""
    from core.encoders import baseline
    from core.training.runner import execute_run, reset_run

    ensemble = start_run(RunConfig.create(small_dataset, "ensemble", {"members": ["baseline", "baseline:nb"]}))
    real_fit = baseline.BaselineModel.fit
    fits = []

    def stop_clicked_during_the_first_fit(self, *args, **kwargs):
        fits.append(1)
        if len(fits) == 1:
            ensemble.request_stop()  # the user's Stop while the first member fits (a fit takes no Stop)
        return real_fit(self, *args, **kwargs)

    monkeypatch.setattr(baseline.BaselineModel, "fit", stop_clicked_during_the_first_fit)
    assert execute_run(ensemble) == "stopped"
    (first,) = [r for r in RunStore().list() if r.id != ensemble.id]
    assert first.status()["state"] == "done"
    reset_run(ensemble)  # Start again, as the page offers it
    assert execute_run(ensemble) == "done"
    members = [r for r in RunStore().list() if r.id != ensemble.id]
    assert len(members) == 2 and first.id in {m["run"] for m in ensemble.eval()["members"]}


def test_training_settings_an_ensemble_would_not_use_are_refused(small_dataset, capsys):
    """`train --encoder ensemble --epochs 1 --time-budget 2` saved both in the ensemble's config, and its
    bag-of-words member trained 8 epochs without a budget."""
    from core.cli import main

    with pytest.raises(ValueError, match="epochs, time_budget_s would not be used"):
        RunConfig.create(small_dataset, "ensemble", {}, {"epochs": 1, "time_budget_s": 2})
    args = ["train", "--dataset", small_dataset, "--encoder", "ensemble", "--epochs", "1", "--quiet"]
    assert main(args) == 1 and "epochs would not be used" in capsys.readouterr().err
    assert RunStore().list() == []
    # what says how it runs, not what it learns, is the ensemble's own: passed on to its members
    assert RunConfig.create(small_dataset, "ensemble", {}, {"seed": 3, "threads": 1}).train.seed == 3


def test_a_member_stopped_with_the_ensemble_is_continued_not_trained_again(small_dataset, monkeypatch):
    """Stop during a member's training, then Start again on the ensemble: the member trained anew as a
    second run from scratch, and the stopped one stayed in the runs list beside it."""
    from core.training.runner import execute_run, reset_run
    from tests.conftest import stopped_ensemble

    ensemble = stopped_ensemble(small_dataset, monkeypatch)
    (stopped,) = [r for r in RunStore().list() if r.id != ensemble.id]
    assert stopped.status()["state"] == "stopped" and (stopped.checkpoint_dir / "state.pt").is_file()
    reset_run(ensemble)  # Start again, as the page offers it
    assert execute_run(ensemble) == "done", ensemble.status().get("error")
    members = [r for r in RunStore().list() if r.id != ensemble.id]
    assert len(members) == 2  # the bag of words and the baseline, no second bag of words
    assert stopped.id in {m["run"] for m in ensemble.eval()["members"]}
    assert stopped.status()["state"] == "done"
    assert "resuming" in (stopped.path / "log.txt").read_text()  # from its checkpoint, not from scratch


def test_a_stopped_member_resumed_to_its_end_by_hand_is_used_not_trained_again(small_dataset, monkeypatch):
    """The member a Stop cut short, resumed on its own page until done: Start again on the ensemble trained
    a second one from scratch and left the first in the list."""
    from core.training.runner import execute_run, reset_run, resume_run
    from tests.conftest import stopped_ensemble
    from ui.manage import members_trained_for

    ensemble = stopped_ensemble(small_dataset, monkeypatch)
    (stopped,) = [r for r in RunStore().list() if r.id != ensemble.id]
    assert [m.id for m in members_trained_for(ensemble)] == [stopped.id]  # "delete with its members" takes it
    assert resume_run(stopped.id) == "done"
    reset_run(ensemble)
    assert execute_run(ensemble) == "done", ensemble.status().get("error")
    assert len(RunStore().list()) == 3 and stopped.id in {m["run"] for m in ensemble.eval()["members"]}


def test_a_member_listed_twice_is_refused():
    """The same run twice scored exactly as that run, listed on Compare as an ensemble; two new members of one
    family trained one run and used it twice."""
    from core.encoders.ensemble import EnsembleConfig

    for members in (("bow_mlp", "bow_mlp"), "run-a,run-b,run-a"):
        with pytest.raises(ValueError, match="more than once; an ensemble learns from members that differ"):
            EnsembleConfig(members=members)
    assert EnsembleConfig(members=("bow_mlp", "rbf")).members == ("bow_mlp", "rbf")


def test_a_member_with_no_vote_is_not_run_for_probabilities_but_keeps_its_place_on_the_map():
    from core.encoders.ensemble import EnsembleModel

    class Member:
        def __init__(self, proba):
            self.proba, self.calls = np.asarray(proba, dtype=np.float64), 0

        def predict_proba(self, texts):
            self.calls += 1
            return np.repeat(self.proba[None], len(texts), axis=0)

        def predict_and_embed(self, texts):
            return self.predict_proba(texts), np.ones((len(texts), 3))

    bag, other, silent = Member([0.8, 0.2]), Member([0.6, 0.4]), Member([0.0, 1.0])
    model = EnsembleModel([bag, other, silent], [1.0, 1.0, 1.0], ["a", "b", "c"], weights=[0.5, 0.5, 0.0])
    assert np.allclose(model.predict_proba(["x", "y"]), [[0.7, 0.3]] * 2)
    assert silent.calls == 0 and bag.calls == 1
    proba, vectors = model.predict_and_embed(["x"])
    assert np.allclose(proba, [[0.7, 0.3]]) and vectors.shape == (1, 9) and silent.calls == 1


def test_a_member_with_no_vote_neither_sizes_explanations_nor_claims_to_know_a_text():
    """A review: the zero-weight Transformer, no longer run for probabilities, still made explanations
    coarse (its span) and let the Playground say "knows 90%" from a member with no say."""
    from types import SimpleNamespace

    from core.inference import EnsemblePredictor

    class Member:
        def __init__(self, span, share):
            self.span, self.share = span, share

        def _explain_span(self, n_units):
            return self.span

        def known_share(self, text):
            return self.share

    predictor = EnsemblePredictor.__new__(EnsemblePredictor)
    predictor.model = SimpleNamespace(members=[Member(1, 0.2), Member(8, 0.9)], weights=[1.0, 0.0])
    assert predictor._explain_span(400) == 1 and predictor.known_share("x") == 0.2
    predictor.model.weights = [0.5, 0.5]
    assert predictor._explain_span(400) == 8 and predictor.known_share("x") == 0.9
