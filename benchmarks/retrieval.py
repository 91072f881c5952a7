"""Retrieval quality: the labelled sets as relevance judgements (same class = relevant).

    python -m benchmarks.retrieval [--datasets starter,bbc,zh_reviews] [--pretrained zh_reviews=RUN_FOLDER]

Queries are the test split's texts; the collection is the training split. Every method ranks
the whole collection for every query; reported are precision@10 and mean average precision
(MAP, over the full ranking). Methods:

- the studio's encoders, trained with their defaults on the same split (bow_mlp, rbf, a tiny
  Transformer), searched as the Search page does (``core.search``: the collection's search space,
  cosine);
- a pretraining-only Transformer (``--pretrained DATASET=RUN_FOLDER``), the studio's encoder that
  never saw a label;
- TF-IDF cosine, and BM25 (Robertson & Zaragoza's formula, k1 = 1.5, b = 0.75, written here in a
  few lines over the same tokens: the ``rank-bm25`` package scores one query at a time in Python,
  too slow for thousands of queries), both over jieba words for Chinese and words for English;
- MiniLM (all-MiniLM-L6-v2, an English model) where its package is installed.

Writes benchmarks/results/retrieval.json.
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

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "retrieval.json"
FAMILIES = {
    "bow_mlp": ("bow_mlp", {}, {"threads": 1}),
    "rbf": ("rbf", {}, {"threads": 1}),
    "transformer-tiny": ("transformer", {"preset": "tiny"}, {"threads": 1}),
}


def scores_table(query_vecs: np.ndarray, doc_vecs: np.ndarray, q_labels, d_labels) -> dict:
    """P@10 and MAP of ranking ``doc_vecs`` (dense or sparse rows) by dot product with each query."""
    q_labels, d_labels = np.asarray(q_labels), np.asarray(d_labels)
    precision, average = [], []
    for start in range(0, query_vecs.shape[0], 256):
        sims = query_vecs[start : start + 256] @ doc_vecs.T
        sims = sims.toarray() if hasattr(sims, "toarray") else sims
        order = np.argsort(-sims, axis=1, kind="stable")
        relevant = d_labels[order] == q_labels[start : start + 256, None]
        hits = np.cumsum(relevant, axis=1)
        ranks = np.arange(1, relevant.shape[1] + 1)
        precision.extend(relevant[:, :10].mean(1))
        average.extend((relevant * hits / ranks).sum(1) / np.maximum(relevant.sum(1), 1))
    return {"p_at_10": round(float(np.mean(precision)), 4), "map": round(float(np.mean(average)), 4)}


def words(texts: list[str], lang: str) -> list[list[str]]:
    import re

    if lang == "zh":
        import jieba

        jieba.setLogLevel(60)
        return [[w for w in jieba.lcut(t) if w.strip()] for t in texts]
    return [re.findall(r"\w+", t.lower()) for t in texts]


def tfidf_vectors(train_tokens, test_tokens):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    vectorizer = TfidfVectorizer(analyzer=lambda x: x, sublinear_tf=True, min_df=1)
    docs = vectorizer.fit_transform(train_tokens)
    return normalize(vectorizer.transform(test_tokens)), normalize(docs)


def bm25_matrix(train_tokens, test_tokens, k1: float = 1.5, b: float = 0.75):
    """BM25 scores as a sparse product: documents weighted once, queries as binary term sets."""
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer

    counts = CountVectorizer(analyzer=lambda x: x)
    tf = counts.fit_transform(train_tokens).tocsr().astype(np.float64)
    n_docs = tf.shape[0]
    lengths = np.asarray(tf.sum(1)).ravel()
    df = np.asarray((tf > 0).sum(0)).ravel()
    idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5))
    rows = np.repeat(np.arange(n_docs), np.diff(tf.indptr))
    norm = k1 * (1 - b + b * lengths[rows] / lengths.mean())
    tf.data = tf.data * (k1 + 1) / (tf.data + norm) * idf[tf.indices]
    queries = (counts.transform(test_tokens) > 0).astype(np.float64)
    return queries, sparse.csr_matrix(tf)


def encoder_scores(run_path: Path, train_texts, test_texts, q_labels, d_labels) -> dict:
    from core.inference import Predictor, SearchSpace

    predictor = Predictor.from_run(run_path)
    docs_raw = np.asarray(predictor.embed(train_texts), dtype=np.float32)
    space = SearchSpace.fit(docs_raw)
    queries = space.transform(np.asarray(predictor.embed(test_texts), dtype=np.float32))
    return scores_table(queries, space.transform(docs_raw), q_labels, d_labels)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default="starter,bbc,zh_reviews")
    parser.add_argument(
        "--pretrained", action="append", default=[], metavar="DATASET=RUN_FOLDER", help="a pretraining run per dataset"
    )
    parser.add_argument("--max-queries", type=int, default=1000, help="test texts used as queries (a fixed sample)")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)
    os.environ.setdefault("ENCODER_STUDIO_HOME", tempfile.mkdtemp(prefix="retrieval-"))
    from core.registry import DatasetStore
    from core.training.runner import RunConfig, load_splits, train_run

    started = time.monotonic()
    results = []
    for dataset in args.datasets.split(","):
        splits = load_splits(dataset, DatasetStore())
        train, test = splits.part("train"), splits.part("test")
        test = test.sample(n=min(args.max_queries, len(test)), random_state=0)
        train_texts, test_texts = train["text"].tolist(), test["text"].tolist()
        d_labels, q_labels = train["label"].to_numpy(), test["label"].to_numpy()
        lang = "zh" if (train["lang"] == "zh").mean() > 0.5 else "en"
        rows = {}
        train_tok, test_tok = words(train_texts, lang), words(test_texts, lang)
        rows["TF-IDF cosine"] = scores_table(*tfidf_vectors(train_tok, test_tok), q_labels, d_labels)
        rows["BM25"] = scores_table(*bm25_matrix(train_tok, test_tok), q_labels, d_labels)
        for name, (encoder, enc, train_cfg) in FAMILIES.items():
            run = train_run(RunConfig.create(dataset, encoder, enc, train_cfg, name=f"retrieval-{name}"))
            rows[name] = {
                **encoder_scores(run.path, train_texts, test_texts, q_labels, d_labels),
                "accuracy": run.eval()["accuracy"],
            }
            print(dataset, name, rows[name], flush=True)
        for spec in args.pretrained:
            name, _, folder = spec.partition("=")
            if name == dataset:
                pre = Path(folder)
                rows[f"transformer pretrained only ({pre.name})"] = encoder_scores(
                    pre, train_texts, test_texts, q_labels, d_labels
                )
        from core.encoders.pretrained import available

        if available():
            from core.encoders.pretrained import shared_base

            model = shared_base()
            docs = model.encode(train_texts, batch_size=64, normalize_embeddings=True)
            queries = model.encode(test_texts, batch_size=64, normalize_embeddings=True)
            rows["MiniLM (English, frozen)"] = scores_table(queries, docs, q_labels, d_labels)
        for name, row in rows.items():
            results.append(
                {"dataset": dataset, "method": name, "queries": len(test_texts), "collection": len(train_texts), **row}
            )
        print(json.dumps(rows, ensure_ascii=False), flush=True)
    import torch

    Path(args.out).write_text(
        json.dumps(
            {
                "command": "python -m benchmarks.retrieval " + " ".join(argv if argv is not None else sys.argv[1:]),
                "measured": time.strftime("%Y-%m-%d"),
                "machine": {"cpu_count": os.cpu_count(), "torch": torch.__version__},
                "rows": results,
                "seconds": round(time.monotonic() - started, 1),
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
