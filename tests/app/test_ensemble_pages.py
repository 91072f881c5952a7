"""The ensemble on the pages: the Train form offers families and finished runs as members, and
Evaluate lists an ensemble's members beside its scores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.test_explore_pages import open_page
from tests.app.test_pages import shown
from ui.sidebar import short_name

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_every_member_family_is_named_in_words_while_it_trains():
    from core.encoders.ensemble import MEMBER_FAMILIES
    from ui.sidebar import member_name

    names = {spec: member_name(spec) for spec in MEMBER_FAMILIES}
    assert not [spec for spec, name in names.items() if ":" in name or "_" in name], names  # no config keys
    assert len(set(names.values())) == len(names)
    # as the tables name the run each becomes: one name per member on every page
    from core.encoders.ensemble import member_overrides
    from ui.sidebar import encoder_name

    for spec, name in names.items():
        family, overrides = member_overrides(spec)
        assert name == encoder_name({"encoder": family, "encoder_config": overrides}), spec


def test_every_encoder_a_run_can_have_is_named_in_words_in_tables():
    from core.encoders.base import ENCODER_NAMES
    from core.encoders.ensemble import MEMBER_FAMILIES, member_overrides
    from ui.sidebar import encoder_name

    configs = [{"encoder": name, "encoder_config": {}} for name in ENCODER_NAMES]
    configs += [{"encoder": "transformer", "encoder_config": {"preset": "tiny"}}]
    configs += [dict(zip(("encoder", "encoder_config"), member_overrides(spec))) for spec in MEMBER_FAMILIES]
    names = [encoder_name(cfg) for cfg in configs]
    assert not [name for name in names if "_" in name or ":" in name], names  # no config keys
    # each distinct config reads differently (the list repeats the plain families once)
    distinct = {json.dumps(cfg, sort_keys=True): name for cfg, name in zip(configs, names)}
    assert len(set(distinct.values())) == len(distinct), distinct
    assert encoder_name({"encoder": "transformer", "encoder_config": {"preset": "tiny"}}) == "Transformer (tiny)"
    # wide and deep: its n-gram bag holds most of its parameters, and a fine-tune's gain is largely the bag's
    wide = {"encoder": "transformer", "encoder_config": {"preset": "tiny", "wide": True}}
    assert encoder_name(wide) == "Transformer (tiny) + n-gram bag"
    from core.encoders.transformer import TransformerConfig

    # a config without a preset trains the default one, and is named after it
    assert encoder_name({"encoder": "transformer"}) == f"Transformer ({TransformerConfig().preset})"


def test_train_form_offers_families_and_finished_runs_as_members(trained):
    base, mlp, _ = trained
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["dataset"] = "starter"
    at.switch_page("pages/train.py").run()
    at.selectbox(key="encoder").set_value("ensemble").run()
    assert not at.exception
    members = at.multiselect(key="ensemble_members")
    # the defaults, each to train first, except the baseline: a finished run with its default settings
    # joins as it is; the MLP trained for 4 epochs (not the default 20) is not what the member would be
    assert members.value == ["bow_mlp", "baseline:nb", base.id]
    from ui.sidebar import short_name

    # runs named as the legends name them, not by their ids
    assert any(short_name(base) in shown(c.value) and "instead of training again" in c.value for c in at.caption)
    finished = [o for o in members.options if o.startswith("run:")]  # the session's three finished runs
    assert (
        len(finished) == 3 and any(o.endswith(mlp.id) for o in finished) and any(o.endswith(base.id) for o in finished)
    )
    # a run that finishes while the form is open is reused from the next draw on, chips and captions alike
    from core.training.runner import RunConfig, train_run

    nb = train_run(RunConfig.create("starter", "baseline", {"featurizer": {"nb_weights": True}}))
    at.run()
    assert at.multiselect(key="ensemble_members").value == ["bow_mlp", nb.id, base.id]
    assert any(short_name(nb) in shown(c.value) and "instead of training again" in c.value for c in at.caption)
    assert not at.checkbox(key="ensemble_calibrate").value
    assert "ensemble_balance" not in [r.key for r in at.radio]  # bags only: nothing to balance
    assert not [n for n in at.number_input if n.key and n.key.startswith("train_classify_ensemble")]  # no epochs
    # with a Transformer among bag models, the vote can be balanced: the share chosen on validation by default
    at.multiselect(key="ensemble_members").set_value(["bow_mlp", "transformer"]).run()
    assert at.radio(key="ensemble_balance").value == "kind"
    # the finished runs taken out of the box are no longer said to join
    assert not [c for c in at.caption if "instead of training again" in c.value]
    # a run finishing now changes the defaults, but not the members the user picked (Start trained the defaults)
    newer_nb = train_run(RunConfig.create("starter", "baseline", {"featurizer": {"nb_weights": True}}))
    at.run()
    assert not at.exception
    assert at.multiselect(key="ensemble_members").value == ["bow_mlp", "transformer"]
    assert any(o.endswith(newer_nb.id) for o in at.multiselect(key="ensemble_members").options)


def test_evaluate_lists_an_ensembles_members(trained):
    from core.training.runner import RunConfig, train_run
    from ui.sidebar import short_name

    base, mlp, _ = trained
    run = train_run(RunConfig.create("starter", "ensemble", {"members": [mlp.id, base.id]}))
    assert run.status()["state"] == "done", run.status().get("error")
    at = open_page("pages/evaluate.py", run.id)
    assert any(s.value == "Members" for s in at.subheader)
    table = next(d.value for d in at.dataframe if "weight" in d.value.columns)
    assert "temperature" not in table.columns  # members not calibrated one by one: every temperature is 1
    assert any("calibrates the average" in c.value for c in at.caption)
    assert table["run"].tolist() == [short_name(mlp), short_name(base)]  # named as the legends name them
    assert table["encoder"].tolist() == ["bag-of-words MLP", "TF-IDF + LR"]
    assert table["weight"].tolist() == [0.5, 0.5]  # bags only: equal shares
    # the model cannot be downloaded as one file, and the page says why in sight, not in a tooltip
    assert any("export its members one by one" in c.value for c in at.caption)
    # a member's own page says whose part it is
    member_page = open_page("pages/evaluate.py", mlp.id)
    assert any(c.value.startswith("A member of the ensemble") and run.id[-4:] in c.value for c in member_page.caption)
    assert not any("A member of the ensemble" in c.value for c in open_page("pages/evaluate.py", run.id).caption)
    # deleting it is refused at the first click, before any confirmation, and nothing is deleted
    from core.names import name_run

    name_run(run, title="**Best** [ensemble](javascript:alert(1))")
    member_page.button(key=f"ask_run_delete_{mlp.id}").click().run()
    assert any("Delete the ensemble first" in w.value for w in member_page.warning)
    # the way to it, labelled by its title as text: a button label is markdown
    (label,) = [b.label for b in member_page.button if b.key == f"open_ensemble_{mlp.id}_{run.id}"]
    assert label.startswith("Open the ensemble \\*\\*Best\\*\\* \\[ensemble\\]"), label
    name_run(run, title="")
    assert not [b for b in member_page.button if b.key == f"yes_run_delete_{mlp.id}"]
    member_page.button(key=f"cancel_run_delete_{mlp.id}").click().run()
    assert not member_page.exception and mlp.path.is_dir()
    # a member of two ensembles is said to be so, in the plural
    second = train_run(RunConfig.create("starter", "ensemble", {"members": [mlp.id, base.id]}))
    (said,) = [c.value for c in open_page("pages/evaluate.py", mlp.id).caption if "A member of" in c.value]
    assert said.startswith("A member of 2 ensembles (") and "which predict with it" in said, said
    assert run.id[-4:] in said and second.id[-4:] in said


def test_compare_marks_an_ensembles_members_and_ticks_the_users_own_runs_first(trained):
    """The members an ensemble trains are runs too: unmarked and ticked first, they crowded the
    user's own runs out of the comparison."""
    from core.training.runner import RunConfig, train_run

    base, mlp, tiny = trained
    nb = train_run(RunConfig.create("starter", "baseline", {"featurizer": {"nb_weights": True}}))
    ensemble = train_run(RunConfig.create("starter", "ensemble", {"members": [mlp.id, base.id]}))
    assert ensemble.status()["state"] == "done", ensemble.status().get("error")
    at = open_page("pages/compare.py", ensemble.id)
    board = at.dataframe[0].value.set_index("run")
    assert board.at[mlp.id, "name"] == "member of ensemble"  # the only ensemble: no id tail needed
    # built from runs trained before, its own run time is the weighing alone: the members' time is said
    before = mlp.status()["train_seconds"] + base.status()["train_seconds"]
    assert board.at[ensemble.id, "name"] == f"plus {before:,.0f} s for members trained earlier"
    assert board.at[tiny.id, "name"] == "" and board.at[nb.id, "name"] == ""
    ticked = set(at.selectbox(key="duel_a").options)
    # the ensemble (active), then the user's own runs, the plain baseline as the yardstick; not the member
    assert ticked == {short_name(r) for r in (ensemble, nb, tiny, base)}, (ticked, board["accuracy"])
    assert short_name(mlp) not in ticked
    # in two ensembles: both named (the first alone had been)
    second = train_run(RunConfig.create("starter", "ensemble", {"members": [mlp.id, tiny.id]}))
    board = open_page("pages/compare.py", ensemble.id).dataframe[0].value.set_index("run")
    note = board.at[mlp.id, "name"]
    assert note.startswith("member of ") and ensemble.id[-4:] in note and second.id[-4:] in note, note


def ensemble_form_on(language: str) -> AppTest:
    """The Train page's ensemble form on a small dataset of the starter's texts in ``language`` only."""
    from core.catalog import load_builtin
    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.text import detect_language

    frame = load_builtin("starter")
    frame = frame[frame["text"].map(detect_language) == language].groupby("label").head(40).reset_index(drop=True)
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.15, 0.25, seed=1))
    DatasetStore().save(frame, f"{language}_small", "test", {"seed": 1}, dataset_id=f"{language}_small")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["dataset"] = f"{language}_small"
    at.switch_page("pages/train.py").run()
    at.selectbox(key="encoder").set_value("ensemble").run()
    assert not at.exception
    return at


def test_on_a_chinese_dataset_the_form_lists_the_jieba_twins_and_says_why(studio_home):
    from core.encoders.ensemble import EnsembleConfig

    at = ensemble_form_on("zh")

    # the six the config trains on Chinese data (listed in tests/test_ensemble.py), as chips
    assert at.multiselect(key="ensemble_members").value == list(EnsembleConfig().with_word_view("zh"))
    assert len(at.multiselect(key="ensemble_members").value) == 6
    assert any(c.value.startswith("Chinese text: each bag model also trains over jieba words") for c in at.caption)


def test_train_form_adds_the_newest_fine_tuned_transformer_to_the_default_members(trained):
    from core.training.runner import RunConfig, train_run

    base, mlp, tiny = trained
    finetuned = train_run(
        RunConfig.create("starter", task="finetune", source_run=tiny.id, train_overrides={"epochs": 1, "threads": 1})
    )
    assert finetuned.status()["state"] == "done", finetuned.status().get("error")
    # a fine-tuned bag model is not a candidate: the vote's split is between Transformers and bags
    bag_finetune = train_run(
        RunConfig.create("starter", task="finetune", source_run=mlp.id, train_overrides={"epochs": 1, "threads": 1})
    )
    assert bag_finetune.status()["state"] == "done", bag_finetune.status().get("error")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["dataset"] = "starter"
    at.switch_page("pages/train.py").run()
    at.selectbox(key="encoder").set_value("ensemble").run()
    assert not at.exception
    # the finished default baseline joins as it is, the fine-tuned Transformer beside the three
    assert at.multiselect(key="ensemble_members").value == ["bow_mlp", "baseline:nb", base.id, finetuned.id]
    from ui.sidebar import short_name

    assert any(short_name(finetuned) in shown(c.value) and "validation split" in c.value for c in at.caption)


def test_compare_tells_the_nb_weighted_baseline_from_the_plain_one(trained):
    from core.training.runner import RunConfig, train_run

    base, _, _ = trained
    nb = train_run(RunConfig.create("starter", "baseline", {"featurizer": {"nb_weights": True}}))
    from ui.leaderboard import family

    assert family(nb.config()) == "baseline-variant" and family(base.config()) == "baseline"
    board = open_page("pages/compare.py", nb.id).dataframe[0].value.set_index("run")
    # the encoder in words, in its own column or leading the run's label where that column is left out
    encoders = board["encoder"] if "encoder" in board else board["label"].str.split(" · ").str[0]
    assert encoders[nb.id] == "TF-IDF + LR, NB-weighted" and encoders[base.id] == "TF-IDF + LR"


def test_evaluate_and_compare_measure_against_the_same_baseline_after_an_ensemble_s_jieba_member(trained):
    """An ensemble's TF-IDF + LR over jieba words, trained after the plain baseline, became the
    newest "baseline": Evaluate said +4.8 pt where Compare said +3.1 for the same run."""
    from core.training.runner import RunConfig, train_run
    from ui.actions import baseline_run

    base, mlp, _ = trained
    jieba = train_run(RunConfig.create("starter", "baseline", {"featurizer": {"tokenizer": "jieba"}}))
    assert jieba.status()["state"] == "done" and jieba.eval()["accuracy"] != base.eval()["accuracy"]
    assert baseline_run("starter").id == base.id
    from ui.leaderboard import family

    assert family(jieba.config()) == "baseline-variant"
    board = open_page("pages/compare.py", mlp.id).dataframe[0].value.set_index("run")
    margin = 100 * (mlp.eval()["accuracy"] - base.eval()["accuracy"])
    assert board.at[mlp.id, "vs baseline"] == pytest.approx(margin)
    at = open_page("pages/evaluate.py", mlp.id)
    accuracy = next(m for m in at.metric if m.label == "Accuracy")
    assert accuracy.delta == f"{margin:+.1f} pt"


def test_compare_ticks_every_member_when_the_ensemble_is_all_there_is(trained):
    """Three runs trained to build an ensemble of them: the board ticked the ensemble and two of the
    three, so the third (the Transformer) was missing from every chart below."""
    from core.training.runner import RunConfig, train_run

    base, mlp, tiny = trained
    nb = train_run(RunConfig.create("starter", "baseline", {"featurizer": {"nb_weights": True}}))
    ensemble = train_run(RunConfig.create("starter", "ensemble", {"members": [mlp.id, tiny.id, nb.id]}))
    assert ensemble.status()["state"] == "done", ensemble.status().get("error")
    at = open_page("pages/compare.py", ensemble.id)
    ticked = set(at.selectbox(key="duel_a").options)
    assert ticked == {short_name(r) for r in (ensemble, mlp, tiny, nb, base)}, ticked


def test_an_ensemble_below_its_best_member_says_so_on_evaluate(trained):
    """An ensemble at 0.8445 beside a member at 0.8520 showed only a green "+1.0 pt" over the baseline."""
    import json

    from core.training.runner import RunConfig, train_run

    base, mlp, tiny = trained
    ensemble = train_run(RunConfig.create("starter", "ensemble", {"members": [mlp.id, tiny.id]}))
    report = json.loads((ensemble.path / "eval.json").read_text())
    best = max(member["test_accuracy"] for member in report["members"])
    at = open_page("pages/evaluate.py", ensemble.id)
    said = [w.value for w in at.warning if "Its best member alone" in w.value]
    assert bool(said) == (best > report["accuracy"]), (said, best, report["accuracy"])
    # at or above it, said too, with McNemar's test against that member: "is the ensemble worth it?"
    above = [c.value for c in at.caption if "Its best member alone" in c.value]
    assert bool(above) == (best <= report["accuracy"]), above
    if above and round(100 * (report["accuracy"] - best), 1):
        from core.baselines import against_baseline
        from core.registry import RunStore

        member = next(m["run"] for m in report["members"] if m["test_accuracy"] == best)
        chance = against_baseline(ensemble, RunStore().get(member))
        assert ("could be chance" in above[0]) == (chance.p_value >= 0.05), above
    # as a reader meets it when the average loses: the member and the gap named
    report["accuracy"] = best - 0.012
    (ensemble.path / "eval.json").write_text(json.dumps(report))
    at = open_page("pages/evaluate.py", ensemble.id)
    (said,) = [w.value for w in at.warning if "Its best member alone" in w.value]
    assert f"scores {best:.4f}" in said and "1.2 pt below it" in said, said
    # and where the average wins: said as a caption, with the test of the gap
    report["accuracy"] = best + 0.012
    (ensemble.path / "eval.json").write_text(json.dumps(report))
    at = open_page("pages/evaluate.py", ensemble.id)
    (said,) = [c.value for c in at.caption if "Its best member alone" in c.value]
    assert f"scores {best:.4f}" in said and "1.2 pt above it" in said and " chance (p" in said, said
    assert not [w for w in at.warning if "Its best member alone" in w.value]
    report["accuracy"] = best  # level: said so, not "0.0 pt above it"
    (ensemble.path / "eval.json").write_text(json.dumps(report))
    at = open_page("pages/evaluate.py", ensemble.id)
    (said,) = [c.value for c in at.caption if "Its best member alone" in c.value]
    assert said.endswith("the ensemble is level with it."), said


def test_on_an_english_dataset_the_form_offers_no_jieba_members(studio_home):
    """jieba splits Chinese words; on BBC News the form offered three "over jieba words" members."""
    members = ensemble_form_on("en").multiselect(key="ensemble_members")
    assert members.value == ["bow_mlp", "baseline:nb", "baseline"]
    assert "new: bag-of-words MLP" in members.options and not [o for o in members.options if "jieba" in o]


def test_train_form_leaves_out_runs_from_before_the_dataset_was_imported_again(small_dataset, starter_frame):
    from core.data import SplitConfig, stratified_split
    from core.registry import DatasetStore
    from core.training.runner import RunConfig, train_run

    old = train_run(RunConfig.create(small_dataset, "baseline"))
    DatasetStore().delete(small_dataset)
    frame = starter_frame.groupby("label").head(60).reset_index(drop=True)
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.15, 0.25, seed=2))
    DatasetStore().save(frame, small_dataset, "test", {"seed": 2}, dataset_id=small_dataset)
    fresh = train_run(RunConfig.create(small_dataset, "baseline"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["dataset"] = small_dataset
    at.switch_page("pages/train.py").run()
    at.selectbox(key="encoder").set_value("ensemble").run()
    assert not at.exception
    members = at.multiselect(key="ensemble_members")
    assert fresh.id in members.value and old.id not in members.value  # the fresh one is reused, not the old
    assert not [o for o in members.options if o.endswith(old.id)]


def test_the_english_minilm_picked_for_chinese_text_is_warned_against(studio_home):
    """Picked for Chinese reviews it scored 0.52 (the bag of words 0.8), and nothing said it reads English."""
    from core.encoders.pretrained import available

    assert available(), "the MiniLM package is a test requirement"
    for language, warned in (("zh", True), ("en", False)):
        at = ensemble_form_on(language)
        at.selectbox(key="encoder").set_value("pretrained").run()
        assert not at.exception
        assert bool([w for w in at.warning if w.value.startswith("MiniLM learned English")]) == warned, language


def test_the_yardstick_is_the_user_s_baseline_not_an_ensemble_member_of_the_same_settings(trained):
    """An ensemble's plain TF-IDF + LR member, newer than the baseline the user trained, became the
    baseline Compare ticked and measured against ("member of n-ensemble")."""
    from core.training.runner import RunConfig, train_run
    from ui.actions import baseline_run

    base, mlp, _ = trained
    member = train_run(RunConfig.create("starter", "baseline"))
    assert baseline_run("starter").id == member.id  # the newest, while it is nobody's member
    ensemble = train_run(RunConfig.create("starter", "ensemble", {"members": [member.id, mlp.id]}))
    assert ensemble.status()["state"] == "done"
    assert baseline_run("starter").id == base.id


def test_a_stopped_ensemble_says_what_start_again_keeps(small_dataset, monkeypatch):
    """An ensemble stopped in its first member said "Cancelled before it started: nothing was trained"
    (it has no checkpoint of its own), with a member trained halfway."""
    from tests.conftest import stopped_ensemble

    ensemble = stopped_ensemble(small_dataset, monkeypatch)
    at = open_page("pages/train.py", ensemble.id, small_dataset)
    warnings = [shown(w.value) for w in at.warning]
    assert any("Stopped at member 1 of 2. Start again continues with the member" in w for w in warnings), warnings
    assert not any("nothing was trained" in w for w in warnings), warnings
