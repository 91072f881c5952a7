"""The benchmark harness still works: ``python -m benchmarks --quick`` on starter, as CI runs it.

No timing assertions: this checks the plumbing (every contender trains in its own process,
every figure is recorded, ratios and targets are computed, the report renders), not speed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import contenders, harness, report

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def quick_result(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("bench") / "quick.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--calls", "20", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return json.loads(out.read_text())


def test_quick_run_measures_every_contender(quick_result):
    rows = {r["model"]: r for r in quick_result["rows"]}
    assert set(rows) == set(harness.QUICK_MODELS)
    for name, row in rows.items():
        assert "error" not in row, (name, row.get("error"))
        assert row["dataset"] == "starter"
        assert 0.0 <= row["accuracy"] <= 1.0 and 0.0 <= row["macro_f1"] <= 1.0
        assert row["latency"]["calls"] == 20
        assert 0 < row["latency"]["median_ms"] <= row["latency"]["p90_ms"]
        assert row["throughput_texts_per_s"] > 0
        assert row["n_parameters"] > 0 and row["size_bytes"] > 0
        assert row["peak_rss_mb"] >= row["rss_before_training_mb"] > 0
        assert row["train_seconds"] > 0
    # every contender saw the same split
    assert len({(r["n_train"], r["n_test"]) for r in rows.values()}) == 1
    # the linear baselines are not weak on this set (4 classes, majority ~0.25)
    assert rows["tfidf-lr"]["accuracy"] > 0.5
    assert rows["tfidf-svc"]["accuracy"] > 0.5


def test_ratios_are_against_the_same_run(quick_result):
    # a smoke test says it is one: its starter "accuracy 0.415" and "met": false read as findings
    assert "not the models' own" in quick_result["quick"]
    rows = {r["model"]: r for r in quick_result["rows"]}
    assert rows["tfidf-lr"]["train_time_vs_lr"] == 1.0
    best = max(rows[b]["accuracy"] for b in contenders.BASELINES)
    for row in rows.values():
        assert row["accuracy_vs_best_baseline"] == pytest.approx(row["accuracy"] - best, abs=1e-4)
    names = [t["target"] for t in quick_result["targets"]]
    assert "starter: the studio's best model beats fastText" in names
    assert any(t["target"].startswith("bow_mlp: single-text latency") for t in quick_result["targets"])


def test_report_renders_the_harness_tables(quick_result):
    lines = report.harness_section(quick_result)
    table = [line for line in lines if line.startswith("| ") and not line.startswith("| model")]
    assert any(line.startswith("| bow_mlp | ") for line in table)
    assert sum(line.split(" | ")[0][2:] in harness.QUICK_MODELS for line in table) == len(harness.QUICK_MODELS)


def test_chinese_is_fed_to_fasttext_as_characters():
    assert contenders.cjk_spaced("我很喜欢this book！") == "我 很 喜 欢 this book！"


@pytest.mark.filterwarnings("error::RuntimeWarning")  # a recipe with no runs for the set is left out, not NaN
def test_seed_summary_pairs_each_split_with_the_best_linear_model():
    """Δ is taken split by split against the linear model with the higher mean, then averaged."""

    def row(model, seed, accuracy, kind="baseline", seconds=1.0, dataset="bbc"):
        return {
            "dataset": dataset,
            "model": model,
            "seed": seed,
            "kind": kind,
            "accuracy": accuracy,
            "macro_f1": accuracy,
            "train_seconds": seconds,
            "n_train": 10,
            "n_test": 5,
        }

    rows = [
        row("tfidf-lr", 0, 0.80),
        row("tfidf-lr", 1, 0.90),
        row("tfidf-svc", 0, 0.84),
        row("tfidf-svc", 1, 0.88),  # mean 0.86 > LR's 0.85: the best linear model
        row("bow_mlp", 0, 0.85, "studio", 2.0),
        row("bow_mlp", 1, 0.90, "studio", 4.0),
    ]
    harness.add_ratios(rows)
    summary = {r["model"]: r for r in harness.summarise_seeds(rows)}
    mlp = summary["bow_mlp"]
    assert mlp["best_linear"] == "tfidf-svc"
    assert mlp["delta_per_seed"] == [0.01, 0.02] and abs(mlp["delta_vs_best_linear_mean"] - 0.015) < 1e-9
    assert mlp["train_time_vs_lr_mean"] == 3.0 and abs(mlp["accuracy_mean"] - 0.875) < 1e-9
    targets = {t["target"].split(":")[1].strip()[:20]: t for t in harness.check_seed_targets(list(summary.values()))}
    beat = next(t for t in targets.values() if "beats" in t["target"])
    assert beat["met"] is True and abs(beat["value"] - 1.5) < 1e-9
    ratio = next(t for t in targets.values() if "3×" in t["target"])
    assert ratio["met"] is True
    assert any("### bbc" in line for line in report.seeds_section({"summary": list(summary.values()), "targets": []}))
    # the time target is the built-in sets'; on a fresh set the ratio is reported, not judged
    fresh = [dict(r, dataset="rt") for r in rows]
    harness.add_ratios(fresh)
    shown = [t for t in harness.check_seed_targets(harness.summarise_seeds(fresh)) if "×" in t["target"]]
    assert len(shown) == 1 and shown[0]["met"] is None and shown[0]["value"] == 3.0
    table = report.seeds_section({"summary": [], "targets": shown})
    assert any("3.0× | not a target (reported) |" in line for line in table)


def test_a_missed_target_says_why_and_every_shipped_miss_is_explained(monkeypatch):
    reasons = {"bbc: the studio": "two articles", "bbc: the studio's best": "arguable labels"}
    assert report.why_missed("bbc: the studio's best (ensemble) beats", reasons) == "arguable labels"  # longest key
    assert report.why_missed("rt: anything", reasons).startswith("not explained yet")
    targets = [
        {"target": "bbc: the studio's best (ensemble) beats x", "value": 0.1, "met": False},
        {"target": "bbc: the studio's best (rbf) beats x", "value": 0.9, "met": True},
    ]
    real_load = report._load
    monkeypatch.setattr(report, "_load", lambda name: reasons if name == report.MISSED else real_load(name))
    lines = report.targets_table("T", targets, lambda t: f"{t['value']:+.2f} pt")
    assert "| +0.10 pt | **no** | arguable labels |" in lines[4] and lines[5].endswith("| yes |  |")
    monkeypatch.setattr(report, "_load", real_load)
    # the shipped results: every missed target has its reason recorded
    shipped = report.seeds_section(report._load("harness_seeds.json")) + report.harness_section(
        report._load("harness.json")
    )
    missed = [line for line in shipped if "| **no** |" in line]
    assert not [line for line in missed if "not explained yet" in line]


def test_the_full_labels_section_renders_every_run_against_linearsvc():
    assert report.full_labels_section()[0] == "## Does pretraining pay at full labels?"
    for name in report.FULL_LABELS_FILES:
        data = json.loads((report.RESULTS / name).read_text(encoding="utf-8"))
        lines = report._full_labels_block(data)
        svc = data["baselines"]["tfidf-svc"]
        for row in data["rows"]:
            line = next(line for line in lines if line.startswith(f"| {row['arm']} | {row['seed']} |"))
            assert f"{(row['accuracy'] - svc) * 100:+.2f} pt" in line
        # the budget for pretraining on a CPU is 30 minutes: a run over it must say so
        within = data["pretrain"]["fit_seconds"] <= 30 * 60
        assert data["pretrain"].get("within_budget", True) == within
        for split in data.get("splits", []):
            assert split["within_budget"] == (split["pretrain_seconds"] <= 30 * 60)
            (line,) = [
                line
                for line in lines
                if line.startswith(f"| {split['split']} ")
                and f"| {split['masked_accuracy']:.3f} | {split['accuracy']:.4f} |" in line
            ]
            assert ("not in the mean" in line) == (not split["within_budget"])
        for row in data.get("seed_runs", []):  # several fine-tuning seeds on one split's pretraining run
            accs = list(row["accuracies"].values())
            mean = sum(accs) / len(accs)
            label = f" ({row['label']})" if row.get("label") else ""
            (line,) = [
                line for line in lines if line.startswith(f"| {row['split']}{label} | {', '.join(row['accuracies'])} |")
            ]
            assert f"| {mean:.4f} ± " in line and f"{(mean - row['tfidf-svc']) * 100:+.2f} pt |" in line
        if len(data.get("seed_runs", [])) > 1:  # the seed means over the splits, paired
            (line,) = [line for line in lines if line.startswith("| mean of the seed means |")]
            deltas = [sum(r["accuracies"].values()) / len(r["accuracies"]) - r["tfidf-svc"] for r in data["seed_runs"]]
            assert f"| {sum(deltas) / len(deltas) * 100:+.2f} ± " in line
        by_split = {}
        for split in data.get("splits", []):
            if split["within_budget"]:
                by_split.setdefault(split["split"], []).append(split["accuracy"])
        if by_split:  # the mean is over the splits, each the mean of its runs within the budget
            split_means = [sum(accs) / len(accs) for accs in by_split.values()]
            mean = next(line for line in lines if line.startswith("| mean |"))
            assert f"{sum(split_means) / len(split_means):.4f} ±" in mean


def test_ensemble_member_study_calibrates_margins_and_pairs_the_reference():
    import numpy as np

    from benchmarks.ensemble_members import as_probabilities, mix_accuracy, summarise

    y = np.array([0, 1, 0, 1])
    probabilities = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.7, 0.3]])
    assert as_probabilities(probabilities, probabilities, y) is probabilities  # kept as they are
    margins = np.array([[-1.0, 1.0], [1.0, -1.0], [2.0, -2.0], [-2.0, 2.0]])
    calibrated = as_probabilities(margins, margins, y)
    np.testing.assert_allclose(calibrated.sum(1), 1.0, rtol=1e-6)
    assert (calibrated.argmax(1) == margins.argmax(1)).all()  # a temperature changes no prediction
    # a confident right member outvotes a hesitant wrong one on every text
    right = np.eye(2)[y] * 0.9 + 0.05
    wrong = np.eye(2)[1 - y] * 0.2 + 0.4
    scores = {"y_val": y, "y_test": y, "a_val": right, "a_test": right, "b_val": wrong, "b_test": wrong}
    assert mix_accuracy(scores, ("a", "b")) == 1.0 and mix_accuracy(scores, ("b",)) == 0.0
    from benchmarks.ensemble_members import CANDIDATES

    split = {"y_val": y, "y_test": y} | {f"{n}_{p}": right for n in CANDIDATES for p in ("val", "test")}
    split["ref_lr_test"] = wrong  # the worse reference is not the one compared against
    summary = summarise([split, split])
    assert summary["reference"] == "ref_svc" and summary["reference_accuracy_mean"] == 1.0
    assert {row["delta_pt_mean"] for row in summary["mixes"]} == {0.0}
    from benchmarks.ensemble_members import WORD_VIEW_CANDIDATES

    word_view = summarise([split, split], WORD_VIEW_CANDIDATES)  # only the mixes of the candidates trained
    assert all(set(row["members"]) <= set(WORD_VIEW_CANDIDATES) for row in word_view["mixes"])
    assert ["bow_mlp", "baseline_nb", "baseline", "bow_mlp_jieba", "baseline_nb_jieba", "baseline_jieba"] in [
        row["members"] for row in word_view["mixes"]
    ] and len(word_view["mixes"]) < len(summary["mixes"])


def test_the_pretrained_recipe_joins_the_split_table_only_with_every_split_within_budget(monkeypatch):
    def split(seed, accuracy, seconds=1700.0):
        return {
            "split": seed,
            "pretrain_seconds": seconds,
            "pretrain_epochs": 11,
            "masked_accuracy": 0.1,
            "accuracy": accuracy,
            "tfidf-svc": 0.80,
            "tfidf-lr": 0.79,
            "within_budget": seconds <= 1800,
        }

    results = {"dataset": "zh_news", "splits": [split(13, 0.81), split(14, 0.805), split(15, 0.80)]}
    monkeypatch.setattr(report, "_load", lambda name: results)
    row = report._pretrained_row("zh_news", "tfidf-svc", [13, 14, 15])
    assert "+0.50 ± 0.50 pt | +1.0, +0.5, +0.0 |" in row["line"]
    assert row["target"]["met"] is True and abs(row["target"]["value"] - 0.5) < 1e-9
    assert report._pretrained_row("zh_reviews", "tfidf-svc", [13, 14, 15]) is None  # another dataset's runs
    # a split fine-tuned under several seeds counts with their mean, and the note says how many seeds
    results["seed_runs"] = [{"split": 13, "accuracies": {"0": 0.81, "1": 0.83, "2": 0.82}, "tfidf-svc": 0.80}]
    row = report._pretrained_row("zh_news", "tfidf-svc", [13, 14, 15])
    assert "| +2.0, +0.5, +0.0 |" in row["line"] and "3, 1, 1 model seeds" in row["note"]
    results["seed_runs"][0]["within_budget"] = False  # seeds of a run over the budget do not count
    assert "| +1.0, +0.5, +0.0 |" in report._pretrained_row("zh_news", "tfidf-svc", [13, 14, 15])["line"]
    # a split pretrained again within the budget counts with the mean of its runs, each run with
    # the mean of its own seeds (seed rows and split rows are matched by the pretraining run's id)
    results["splits"].append(split(13, 0.75) | {"pretraining": "again", "label": "pretrained again"})
    results["seed_runs"].append(
        {"split": 13, "pretraining": "again", "accuracies": {"0": 0.75, "1": 0.77, "2": 0.76}, "tfidf-svc": 0.80}
    )
    row = report._pretrained_row("zh_news", "tfidf-svc", [13, 14, 15])
    assert "| -1.5, +0.5, +0.0 |" in row["line"]  # split 13: (0.81 + 0.76) / 2 - 0.80, the mean of its two runs
    assert "2, 1, 1 pretraining runs" in row["note"] and "2, 1, 1 fine-tunes" not in row["note"]
    assert "4, 1, 1 fine-tunes" in row["note"]
    lines = report._splits_table(results["splits"])
    assert any(line.startswith("| 13 (pretrained again) | 28.3 |") for line in lines)
    # each split weighs the same in the mean: (0.78 + 0.805 + 0.80) / 3, not the mean of four runs
    assert next(line for line in lines if line.startswith("| mean |")).startswith("| mean | | | | 0.7950 ±")
    del results["seed_runs"], results["splits"][-1]
    results["splits"][0] = split(13, 0.90, seconds=2000.0)  # over the 30-minute budget: not counted
    assert report._pretrained_row("zh_news", "tfidf-svc", [13, 14, 15]) is None


def test_the_presets_table_sets_another_preset_beside_every_counted_mini_run():
    def split(seed, accuracy, pretraining, seconds=1700.0):
        return {
            "split": seed,
            "pretrain_seconds": seconds,
            "pretrain_epochs": "7.6 of 11 (time budget)" if pretraining == "again" else 11,
            "masked_accuracy": 0.1,
            "accuracy": accuracy,
            "tfidf-svc": 0.80,
            "tfidf-lr": 0.79,
            "within_budget": seconds <= 1800,
            "pretraining": pretraining,
        }

    res = {
        "splits": [split(13, 0.82, "first"), split(13, 0.76, "again"), split(14, 0.90, "slow", seconds=2000.0)],
        "seed_runs": [
            {"split": 13, "pretraining": "again", "accuracies": {"0": 0.76, "1": 0.78}, "tfidf-svc": 0.80},
        ],
        "preset_runs": [
            {
                "split": 13,
                "preset": "tiny",
                "pretrain_epochs": "20.3 of 30 (time budget)",
                "masked_accuracy": 0.166,
                "accuracies": {"0": 0.81, "1": 0.80, "2": 0.82},
                "tfidf-svc": 0.80,
            }
        ],
        "presets_note": "what the table says",
    }
    lines = report._presets_table(res)
    # the mini's side is what the targets count: split 13's two runs, the re-run as the mean of its seeds
    (mini,) = [line for line in lines if line.startswith("| 13 | mini |")]
    assert mini == (
        "| 13 | mini | 11; 7.6 of 11 (time budget) | 0.100; 0.100 | 0.8200 / 0.7600, 0.7800 | 0.7950 | 0.8000 | -0.50 pt |"
    )
    (tiny,) = [line for line in lines if line.startswith("| 13 | tiny |")]
    assert tiny.endswith("| 0.8100, 0.8000, 0.8200 | 0.8100 | 0.8000 | +1.00 pt |")
    assert not any(line.startswith("| 14 |") for line in lines)  # over the budget: no mini run counts
    means = [line for line in lines if line.startswith("| mean over splits 13 |")]
    assert [m.split(" | ")[1] for m in means] == ["mini", "tiny"]
    assert means[0].endswith("| -0.50 ± 0.00 pt |") and means[1].endswith("| +1.00 ± 0.00 pt |")
    assert lines[-1] == "what the table says"


def test_a_transformer_right_where_the_bags_are_wrong_gets_its_share_in_the_mix():
    import numpy as np

    from benchmarks.ensemble_pretrained import score_row

    y = np.array([0, 1, 0, 1, 0, 1, 0, 1])
    # the three bags agree and are sure of three wrong answers; the Transformer misses only the first text
    bag = np.array([[0.9, 0.1], [0.3, 0.7], [0.7, 0.3], [0.3, 0.7], [0.7, 0.3], [0.8, 0.2], [0.2, 0.8], [0.8, 0.2]])
    deep = np.eye(2)[y] * 0.8 + 0.1
    deep[0] = [0.2, 0.8]
    probs = {"bow_mlp": bag, "nb": bag, "lr": bag, "mini:0": deep}
    row = score_row(probs, probs, y, y, "mini:0")
    assert row["default"] == 5 / 8 and row["alone"] == 7 / 8
    assert row["equal"] == 5 / 8  # outvoted three to one, it changes nothing
    assert row["sequence_share"] == 0.75 and row["accuracy"] == 7 / 8  # given its share, it does


def test_the_report_sets_the_pretrained_ensemble_beside_the_harness_and_explains_its_mixes(tmp_path, monkeypatch):
    from benchmarks import report

    def row(split, seed, accuracy, reference=0.80):
        return {
            "dataset": "zh_news",
            "split": split,
            "preset": "mini",
            "seed": seed,
            "reference_model": "tfidf-svc",
            "reference": reference,
            "default": 0.79,
            "alone": 0.80,
            "equal": 0.805,
            "accuracy": accuracy,
            "sequence_share": 0.5,
        }

    res = {
        "question": "q",
        "command": "c",
        "verdict": "v",
        "runs_note": "n",
        "rows": [row(13, 0, 0.81), row(13, 1, 0.83), row(14, 0, 0.82, reference=0.81)],
    }
    (tmp_path / "ensemble_pretrained.json").write_text(json.dumps(res))
    monkeypatch.setattr(report, "RESULTS", tmp_path)
    (line,) = report._ensemble_pretrained_rows("zh_news", "tfidf-svc", [13, 14])
    # split 13: mean of its two seeds 0.82, +2.0 pt; split 14: +1.0 pt
    assert line["line"].startswith(
        "| ensemble + transformer-mini, pretrained then fine-tuned | 0.8200 ± 0.0000 | +1.50 ±"
    )
    assert line["target"]["met"] and abs(line["target"]["value"] - 1.5) < 1e-9
    assert report._ensemble_pretrained_rows("zh_news", "tfidf-svc", [13, 14, 15]) == []  # a split missing: no row
    assert report._ensemble_pretrained_rows("zh_news", "tfidf-lr", [13, 14]) == []  # another reference: no row
    section = report.ensemble_pretrained_section()
    assert "| 13 | 2 | -1.00 | +0.00 | +0.50 | +2.00 | 0.5, 0.5 |" in section
    assert "| mean | | **-1.50** | **-0.50** | **+0.00** | **+1.50** | |" in section


def test_a_merged_model_gets_its_time_ratio_from_the_lr_of_its_split():
    from benchmarks.harness import add_ratios

    def row(model, seconds, seed=0, kind="studio", **extra):
        return {
            "dataset": "d",
            "model": model,
            "seed": seed,
            "kind": kind,
            "accuracy": 0.8,
            "train_seconds": seconds,
        } | extra

    rows = [
        row("tfidf-lr", 2.0, kind="baseline", train_time_vs_lr=1.0),
        row("bow_mlp", 6.0, train_time_vs_lr=2.5),  # measured with another LR run: kept as it was
        row("ensemble", 30.0),  # merged in later, measured without an LR of its own
        row("ensemble", 40.0, seed=1),  # no LR on this split at all: stays without a ratio
    ]
    add_ratios(rows, only_missing=True)
    assert [r.get("train_time_vs_lr") for r in rows] == [1.0, 2.5, 15.0, None]


def test_a_split_that_failed_is_named_and_its_target_not_judged():
    """A model that failed on one split was averaged over the others without a word, and its target
    judged "met" on a mean of fewer splits than the linear model's."""

    def row(model, seed, accuracy, kind="baseline"):
        base = {"dataset": "bbc", "model": model, "seed": seed, "kind": kind}
        return {**base, "accuracy": accuracy, "macro_f1": accuracy, "train_seconds": 1.0, "n_train": 10, "n_test": 5}

    rows = [row("tfidf-svc", s, 0.86) for s in range(3)] + [row("tfidf-lr", s, 0.85) for s in range(3)]
    rows += [row("ensemble", 0, 0.90, "studio"), row("ensemble", 1, 0.92, "studio")]
    rows.append({"dataset": "bbc", "model": "ensemble", "seed": 2, "error": "no result after 7200 s"})
    harness.add_ratios(rows)
    summary = harness.summarise_seeds(rows)
    ensemble = next(r for r in summary if r["model"] == "ensemble")
    assert ensemble["failed_seeds"] == [2] and ensemble["seeds"] == [0, 1]
    beat = next(t for t in harness.check_seed_targets(summary) if "beats" in t["target"])
    assert beat["met"] is None and "failed splits: ensemble" in beat["not_measured"]
    table = report.seeds_section({"summary": summary, "targets": [beat], "split_seeds": [13, 14, 15]})
    assert any("ensemble (failed on split 15: mean of the others)" in line for line in table)
    assert any("| not measured: failed splits: ensemble |" in line for line in table)


def test_a_merged_in_dataset_gets_its_table_and_odd_arguments_a_message(capsys):
    rows = [
        {
            "dataset": "rt",
            "model": "tfidf-lr",
            "kind": "baseline",
            "accuracy": 0.7,
            "macro_f1": 0.7,
            "n_train": 9,
            "n_test": 3,
            "train_seconds": 1.0,
            "peak_rss_mb": 1.0,
            "latency": {"median_ms": 1.0, "p90_ms": 2.0, "calls": 2},
            "throughput_texts_per_s": 10.0,
            "n_parameters": 5,
            "size_bytes": 100,
        }
    ]
    assert any(line.startswith("### rt") for line in report.harness_section({"rows": rows}))
    for argv in (["--datasets", "bbcc"], ["--seeds", "3", "--pretrained-from", "/tmp/somewhere"]):
        with pytest.raises(SystemExit) as stop:
            harness.main(argv)
        assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "unknown datasets ['bbcc']" in err and "every split would fine-tune from the same" in err


def test_a_seeds_run_of_a_subset_leaves_the_published_results_alone(tmp_path, monkeypatch):
    """One dataset and one model, without --merge, rewrote harness_seeds.json (145 minutes of runs)."""
    monkeypatch.setattr(harness, "RESULTS", tmp_path)
    code = harness.main(["--seeds", "1", "--datasets", "starter", "--models", "tfidf-lr", "--calls", "2"])
    assert code == 0
    assert (tmp_path / "harness_seeds_partial.json").is_file() and not (tmp_path / "harness_seeds.json").exists()
