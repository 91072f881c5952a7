"""Which members should the default ensemble average? Train candidates once, compare mixes offline.

    python -m benchmarks.ensemble_members                      # five datasets, three splits
    python -m benchmarks.ensemble_members --datasets bbc --splits 1
    python -m benchmarks.ensemble_members --word-view --datasets zh_news,zh_reviews   # the jieba twins

Each candidate member trains once per split (the studio's families with their defaults, one
thread), and its validation and test scores are kept; every mix is then scored from those
without training again. A member without probabilities (LinearSVC's margins) gets one
temperature fitted on the validation split, as the ensemble family would have to do. The
reference is the better of the harness's TF-IDF + LR and TF-IDF + LinearSVC (the one with the
higher mean), paired per split, exactly as in ``python -m benchmarks --seeds 3``.
Results go to ``benchmarks/results/ensemble_members.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).parent / "results" / "ensemble_members.json"
# candidate members: the default ensemble's three, a second bow_mlp seed, LinearSVC over the
# studio's own featuriser, two with another view of the text (TF-IDF + LR over character n-grams,
# Complement Naive Bayes over the studio's term counts), and the harness's two linear models (the
# reference)
CANDIDATES = (
    "bow_mlp",
    "bow_mlp_seed2",
    "baseline",
    "baseline_nb",
    "svc",
    "char_lr",
    "cnb",
    "bow_mlp_jieba",
    "baseline_jieba",
    "baseline_nb_jieba",
    "ref_svc",
    "ref_lr",
)
MEMBER_CANDIDATES = CANDIDATES[:-2]
# the word view (session 19): the default members, their twins over jieba words, the references
WORD_VIEW_CANDIDATES = (
    "bow_mlp",
    "baseline",
    "baseline_nb",
    "bow_mlp_jieba",
    "baseline_jieba",
    "baseline_nb_jieba",
    "ref_svc",
    "ref_lr",
)
WORD_VIEW_RESULTS = Path(__file__).parent / "results" / "ensemble_word_view.json"
# the studio's families over jieba words instead of the language's default units (characters for Chinese)
JIEBA_MEMBERS = {
    "bow_mlp_jieba": ("bow_mlp", {"featurizer": {"tokenizer": "jieba"}}),
    "baseline_jieba": ("baseline", {"featurizer": {"tokenizer": "jieba"}}),
    "baseline_nb_jieba": ("baseline", {"featurizer": {"tokenizer": "jieba", "nb_weights": True}}),
}
MIXES = (
    ("bow_mlp", "baseline_nb", "baseline"),  # the default
    ("bow_mlp", "baseline_nb", "svc"),
    ("bow_mlp", "bow_mlp_seed2", "baseline_nb", "baseline"),
    ("bow_mlp", "bow_mlp_seed2", "baseline", "svc"),
    ("bow_mlp", "bow_mlp_seed2", "baseline_nb", "baseline", "svc"),
    ("bow_mlp", "baseline_nb", "char_lr"),
    ("bow_mlp", "baseline_nb", "baseline", "char_lr"),
    ("bow_mlp", "baseline_nb", "cnb"),
    ("bow_mlp", "baseline_nb", "baseline", "cnb"),
    ("bow_mlp", "baseline_nb", "baseline", "char_lr", "cnb"),
    ("bow_mlp", "baseline_nb", "baseline_jieba"),
    ("bow_mlp", "baseline_nb", "baseline", "baseline_jieba"),
    ("bow_mlp", "baseline_nb", "baseline", "baseline_nb_jieba"),
    ("bow_mlp", "baseline_nb", "baseline", "bow_mlp_jieba"),
    ("bow_mlp_jieba", "baseline_nb_jieba", "baseline_jieba"),
    # the word view: what the ensemble trains by default on Chinese data
    ("bow_mlp", "baseline_nb", "baseline", "bow_mlp_jieba", "baseline_nb_jieba", "baseline_jieba"),
    ("bow_mlp", "bow_mlp_jieba", "baseline_nb", "baseline_nb_jieba"),
)


def char_vectorizer(texts: list[str]):
    """TF-IDF over character n-grams, by language: 1-3 for Chinese, 2-5 inside words otherwise."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from core.text import dominant_language

    if dominant_language(texts) == "zh":
        settings = {"analyzer": "char", "ngram_range": (1, 3)}
    else:  # English and bilingual: n-grams inside words (a Chinese run counts as one "word")
        settings = {"analyzer": "char_wb", "ngram_range": (2, 5)}
    return TfidfVectorizer(sublinear_tf=True, min_df=2, **settings)


DEFAULT_DATASETS = ("starter", "bbc", "zh_reviews", "rt", "zh_news")


def as_probabilities(val: np.ndarray, test: np.ndarray, y_val: np.ndarray) -> np.ndarray:
    """Test probabilities of one member: as they are, or margins through a validation-fitted temperature."""
    from core.encoders.ensemble import fit_temperature, tempered

    if val.min() >= 0 and np.allclose(val.sum(1), 1.0, atol=1e-3):
        return test
    # margins are logits up to a scale: softmax(margins / T), T fitted on the validation split
    temperature = fit_temperature(tempered(val, 1.0), y_val)
    return tempered(test, temperature)


def mix_accuracy(scores: dict[str, np.ndarray], mix: tuple[str, ...]) -> float:
    """Test accuracy of the plain average of the members' probabilities."""
    y_val, y_test = scores["y_val"], scores["y_test"]
    probas = [as_probabilities(scores[f"{m}_val"], scores[f"{m}_test"], y_val) for m in mix]
    return float((np.mean(probas, axis=0).argmax(1) == y_test).mean())


def member_scores(
    dataset: str, split: int, home: Path, candidates: tuple[str, ...] = CANDIDATES
) -> dict[str, np.ndarray]:
    """Train every candidate on split ``split`` of ``dataset``; validation and test scores for each."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import ComplementNB
    from sklearn.svm import LinearSVC

    from benchmarks.contenders import vectorizer_for
    from benchmarks.datasets import ensure
    from core.inference import Predictor
    from core.registry import DatasetStore
    from core.text import BagOfWordsConfig, BagOfWordsFeaturizer
    from core.training.runner import RunConfig, load_splits, train_run

    store = DatasetStore(home)
    ensure(store, dataset, split)
    splits = load_splits(dataset, store)
    train, val, test = (splits.part(p)["text"].tolist() for p in ("train", "val", "test"))
    y_train = splits.y(splits.part("train"))
    out = {"y_val": splits.y(splits.part("val")), "y_test": splits.y(splits.part("test"))}

    def studio(family: str, overrides: dict, seed: int) -> tuple[np.ndarray, np.ndarray]:
        run = train_run(RunConfig.create(dataset, family, overrides, {"seed": seed, "threads": 1}), home=home)
        predictor = Predictor.from_run(run.path)
        return predictor.predict_proba(val), predictor.predict_proba(test)

    def margins(model, transform) -> tuple[np.ndarray, np.ndarray]:
        def two_columns(s: np.ndarray) -> np.ndarray:
            return np.stack([-s, s], 1) if s.ndim == 1 else s

        return two_columns(model.decision_function(transform(val))), two_columns(
            model.decision_function(transform(test))
        )

    for name in candidates:
        start = time.perf_counter()
        if name in JIEBA_MEMBERS:
            v, t = studio(*JIEBA_MEMBERS[name], split)
        elif name == "bow_mlp":
            v, t = studio("bow_mlp", {}, split)
        elif name == "bow_mlp_seed2":
            v, t = studio("bow_mlp", {}, split + 100)
        elif name == "baseline":
            v, t = studio("baseline", {}, split)
        elif name == "baseline_nb":
            v, t = studio("baseline", {"featurizer": {"nb_weights": True}}, split)
        elif name == "svc":
            featurizer = BagOfWordsFeaturizer()
            svc = LinearSVC(C=1.0, random_state=split).fit(featurizer.fit_transform(train), y_train)
            v, t = margins(svc, featurizer.transform)
        elif name == "char_lr":
            vectorizer = char_vectorizer(train)
            lr = LogisticRegression(C=10.0, max_iter=1000, random_state=split).fit(
                vectorizer.fit_transform(train), y_train
            )
            v, t = lr.predict_proba(vectorizer.transform(val)), lr.predict_proba(vectorizer.transform(test))
        elif name == "cnb":
            featurizer = BagOfWordsFeaturizer(BagOfWordsConfig(weighting="counts", sublinear_tf=False, normalize=False))
            nb = ComplementNB(alpha=0.3).fit(featurizer.fit_transform(train), y_train)
            v, t = nb.predict_proba(featurizer.transform(val)), nb.predict_proba(featurizer.transform(test))
        else:
            vectorizer, _ = vectorizer_for(train)
            X = vectorizer.fit_transform(train)
            if name == "ref_svc":
                v, t = margins(LinearSVC(C=1.0, random_state=split).fit(X, y_train), vectorizer.transform)
            else:
                lr = LogisticRegression(C=10.0, max_iter=1000, random_state=split).fit(X, y_train)
                v, t = lr.predict_proba(vectorizer.transform(val)), lr.predict_proba(vectorizer.transform(test))
        out[f"{name}_val"], out[f"{name}_test"] = np.asarray(v), np.asarray(t)
        accuracy = float((out[f"{name}_test"].argmax(1) == out["y_test"]).mean())
        print(f"{dataset} split {split}: {name} test {accuracy:.4f} ({time.perf_counter() - start:.1f} s)", flush=True)
    return out


def summarise(per_split: list[dict[str, np.ndarray]], candidates: tuple[str, ...] = CANDIDATES) -> dict:
    """Per mix: mean accuracy and the paired Δ (pt) against the better reference linear model."""
    refs = {
        r: [float((s[f"{r}_test"].argmax(1) == s["y_test"]).mean()) for s in per_split] for r in ("ref_lr", "ref_svc")
    }
    best = max(refs, key=lambda r: np.mean(refs[r]))
    rows = []
    for mix in (*MIXES, *((m,) for m in MEMBER_CANDIDATES)):
        if not set(mix) <= set(candidates):
            continue
        accuracy = [mix_accuracy(s, mix) for s in per_split]
        delta = 100 * (np.asarray(accuracy) - np.asarray(refs[best]))
        wrong = [
            int((~np.stack([s[f"{m}_test"].argmax(1) == s["y_test"] for m in mix]).any(0)).sum()) for s in per_split
        ]
        rows.append(
            {
                "members": list(mix),
                "accuracy_mean": round(float(np.mean(accuracy)), 4),
                "delta_pt_mean": round(float(delta.mean()), 2),
                "delta_pt_per_split": [round(float(d), 2) for d in delta],
                "wrong_for_every_member": wrong,
            }
        )
    return {"reference": best, "reference_accuracy_mean": round(float(np.mean(refs[best])), 4), "mixes": rows}


def main(argv: list[str] | None = None) -> int:
    """Train the candidates on each split, score the mixes, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", default=",".join(DEFAULT_DATASETS))
    parser.add_argument("--splits", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--word-view",
        action="store_true",
        help="only the default members, their twins over jieba words and the references (results: ensemble_word_view.json)",
    )
    args = parser.parse_args(argv)
    candidates = WORD_VIEW_CANDIDATES if args.word_view else CANDIDATES
    args.out = args.out or (WORD_VIEW_RESULTS if args.word_view else RESULTS)
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    started = time.time()
    for dataset in [d.strip() for d in args.datasets.split(",") if d.strip()]:
        with tempfile.TemporaryDirectory(prefix="ensemble-members-") as tmp:
            per_split = []
            for split in range(args.splits):
                home = Path(tmp) / str(split)
                os.environ["ENCODER_STUDIO_HOME"] = str(home)
                per_split.append(member_scores(dataset, split, home, candidates))
        results[dataset] = {"splits": args.splits, **summarise(per_split, candidates)}
        for row in results[dataset]["mixes"]:
            print(
                f"{dataset:10s} {' + '.join(row['members']):55s} {row['accuracy_mean']:.4f} {row['delta_pt_mean']:+.2f} pt"
            )
    results["_meta"] = {
        "command": " ".join(["python -m benchmarks.ensemble_members", *(sys.argv[1:] if argv is None else argv)]),
        "measured": time.strftime("%Y-%m-%d"),
        "minutes": round((time.time() - started) / 60, 1),
    }
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
