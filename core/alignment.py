"""Before and after fine-tuning, on one map: how a fine-tuned run moved its source's embedding space.

``align_run`` takes a fine-tuned run, embeds the texts of its map once more with the *source*
encoder (the run it started from), and draws both spaces on aligned maps:

- the same texts: the fine-tuned run's held-out sample (``core.projection.map_indices``);
- the before map is fitted first; the after map starts from the before map's coordinates (UMAP's
  ``init``) and is then Procrustes-aligned to it (translation, rotation or reflection, and one scale
  that gives it the before map's spread),
  so a point that did not move stays where it was and a distance on screen is a movement;
- the class separation (silhouette, k-NN accuracy) is scored in both spaces.

Everything is seeded, so the same run gives the same picture; it is cached in the run folder as
``shift_<key>.npz`` (plain arrays, never pickled). This runs in a worker process (``shift`` side job).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from core.errors import StudioError
from core.projection import ProjectionConfig, Projector, embeddings_stamp, map_indices, separation_scores

SHIFT_FORMAT = 2  # 2: the after map keeps the before map's spread (1 shrank unalike maps)


@dataclass
class BeforeAfter:
    """Aligned maps of the same texts in the source encoder's space and in the fine-tuned run's."""

    before: np.ndarray  # (n, dims) coordinates in the source encoder's map
    after: np.ndarray  # (n, dims) the fine-tuned run's map, aligned to ``before``
    indices: np.ndarray  # rows of the fine-tuned run's points.parquet
    scores_before: dict  # silhouette, knn_accuracy in the source encoder's space
    scores_after: dict
    source_run: str
    disparity: float  # mean squared distance left after alignment, in units of the before map's spread
    cached: bool = False

    @property
    def movement(self) -> np.ndarray:
        """How far each text moved on the map, in units of the before map's spread."""
        spread = float(np.sqrt(((self.before - self.before.mean(0)) ** 2).sum(1).mean())) or 1.0
        return np.linalg.norm(self.after - self.before, axis=1) / spread


def procrustes_align(moving: np.ndarray, fixed: np.ndarray) -> np.ndarray:
    """``moving`` translated, rotated (or reflected) and scaled to lie as close as it can to ``fixed``.

    The orthogonal Procrustes rotation (Schönemann, 1966): with both centred, ``U Vᵀ`` from the SVD
    of ``movingᵀ fixed``. The scale makes the two maps equally spread (``‖fixed‖ / ‖moving‖``), not
    the least-squares ``trace(S) / ‖moving‖²``: that one shrinks a map towards a dot as the two
    shapes grow unalike (an after map whose classes formed where the before map had none became a
    blob 2% of its size). For a map that is a rotated, scaled copy the two scales agree. Shapes are
    kept: only how the map sits on the screen changes, never which points are near which.
    """
    moving = np.asarray(moving, dtype=np.float64)
    fixed = np.asarray(fixed, dtype=np.float64)
    mu_moving, mu_fixed = moving.mean(0), fixed.mean(0)
    a, b = moving - mu_moving, fixed - mu_fixed
    norm = float((a**2).sum())
    if norm == 0.0:
        return np.broadcast_to(mu_fixed, moving.shape).astype(np.float32)
    u, _, vt = np.linalg.svd(a.T @ b)
    rotation = u @ vt
    scale = float(np.sqrt((b**2).sum() / norm))
    return (scale * a @ rotation + mu_fixed).astype(np.float32)


def disparity(aligned: np.ndarray, fixed: np.ndarray) -> float:
    """Mean squared distance between matched points, relative to ``fixed``'s spread (0 = identical)."""
    fixed = np.asarray(fixed, dtype=np.float64)
    spread = float(((fixed - fixed.mean(0)) ** 2).sum(1).mean()) or 1.0
    return float(((np.asarray(aligned, dtype=np.float64) - fixed) ** 2).sum(1).mean() / spread)


def shift_cache(run_path: Path, config: ProjectionConfig, stamp: str | None = None) -> Path:
    """The file the aligned maps of ``run_path`` drawn with ``config`` are cached in, for the run's
    embeddings of ``stamp`` (``embeddings_stamp``; by default its embeddings now)."""
    stamp = embeddings_stamp(run_path) if stamp is None else stamp
    key = hashlib.sha1(f"{SHIFT_FORMAT}-{config.key()}-{stamp}".encode()).hexdigest()[:12]
    return Path(run_path) / f"shift_{key}.npz"


def source_of(run_path: Path) -> str:
    """The run a fine-tuned run started from; a StudioError for any other run."""
    from core.registry import RunDir

    config = RunDir(Path(run_path)).config()
    if config.get("task") != "finetune" or not config.get("source_run"):
        raise StudioError(
            f"Run {Path(run_path).name} is not a fine-tuned run: before/after maps need a run that started "
            "from another run's encoder."
        )
    return str(config["source_run"])


def cached_alignment(run_path: Path, config: ProjectionConfig) -> BeforeAfter | None:
    """The cached aligned maps, or None when they have not been computed (never computes)."""
    path = shift_cache(run_path, config)
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except Exception:  # a damaged cache is only a cache: compute again
        return None
    try:
        return BeforeAfter(
            before=arrays["before"],
            after=arrays["after"],
            indices=arrays["indices"],
            scores_before=_scores_from(arrays["scores_before"]),
            scores_after=_scores_from(arrays["scores_after"]),
            source_run=str(arrays["source_run"]),
            disparity=float(arrays["disparity"]),
            cached=True,
        )
    except (KeyError, ValueError, IndexError):
        return None


def align_run(run_path: Path, config: ProjectionConfig | None = None, progress=None) -> BeforeAfter:
    """Embed the run's map texts with its source encoder, fit both maps aligned, score both spaces."""
    from core.errors import UnknownRunError
    from core.inference import Predictor
    from core.registry import RunDir, RunStore
    from core.storage import atomic_save

    config = config or ProjectionConfig()
    run_path = Path(run_path)
    say = progress or (lambda phase, fraction=None: None)
    stamp = embeddings_stamp(run_path)  # before reading them: the maps are saved as maps of these
    cached = cached_alignment(run_path, config)
    if cached is not None:
        return cached
    source_id = source_of(run_path)
    try:
        source = RunStore(run_path.parent.parent).get(source_id)  # the home the run itself lives in
    except UnknownRunError:
        raise StudioError(
            f"Run {run_path.name} started from run {source_id}, which is no longer in the studio: "
            "there is no 'before' to draw."
        ) from None
    run = RunDir(run_path)
    from core.storage import file_digest

    started_from = (run.raw_status().get("source_facts") or {}).get("weights")
    if started_from and file_digest(source.model_path) != started_from:
        # its encoder now would be drawn and captioned as the one this run started from
        raise StudioError(
            f"Run {source_id} was trained again after run {run_path.name} started from it: its encoder is "
            "no longer the one this run was fine-tuned from, so there is no 'before' to draw."
        )
    points = run.points()
    indices = map_indices(run_path, config)
    texts = points["text"].astype(str).iloc[indices].tolist()
    labels = points["label"].fillna("?").iloc[indices].to_numpy()
    after_vectors = np.asarray(run.embeddings(mmap=True)[indices], dtype=np.float32)

    say("loading the source encoder", None)
    predictor = Predictor.from_run(source.path)
    parts = []
    for start in range(0, len(texts), 256):
        parts.append(np.asarray(predictor.embed(texts[start : start + 256]), dtype=np.float32))
        say(f"embedding {min(start + 256, len(texts)):,} of {len(texts):,} texts with the source", start / len(texts))
    before_vectors = np.concatenate(parts) if parts else np.zeros((0, 1), dtype=np.float32)

    say("map before fine-tuning", None)
    before = Projector(config).fit_transform(before_vectors, _phase(say, "map before fine-tuning"))
    say("map after fine-tuning", None)
    after = Projector(config).fit_transform(after_vectors, _phase(say, "map after fine-tuning"), init=before)
    after = procrustes_align(after, before)

    say("scoring the separation", None)
    result = BeforeAfter(
        before=np.asarray(before, dtype=np.float32),
        after=after,
        indices=np.asarray(indices),
        scores_before=separation_scores(before_vectors, labels, seed=config.seed),
        scores_after=separation_scores(after_vectors, labels, seed=config.seed),
        source_run=source_id,
        disparity=disparity(after, before),
    )
    arrays = {
        "before": result.before,
        "after": result.after,
        "indices": result.indices,
        "scores_before": _scores_array(result.scores_before),
        "scores_after": _scores_array(result.scores_after),
        "source_run": np.array(source_id),
        "disparity": np.array(result.disparity),
        "config": np.array(repr(sorted(asdict(config).items()))),
    }

    def write(tmp) -> None:
        with open(tmp, "wb") as handle:
            np.savez(handle, **arrays)

    atomic_save(shift_cache(run_path, config, stamp), write)
    return result


def _phase(say, name: str):
    """UMAP's own progress, reported under ``name``."""
    return lambda phase, fraction=None: say(f"{name}: {phase}", fraction)


def _scores_array(scores: dict) -> np.ndarray:
    return np.array([np.nan if scores.get(k) is None else scores[k] for k in ("silhouette", "knn_accuracy")])


def _scores_from(values: np.ndarray) -> dict:
    silhouette, knn = (None if np.isnan(v) else float(v) for v in np.asarray(values, dtype=np.float64))
    return {"silhouette": silhouette, "knn_accuracy": knn}
