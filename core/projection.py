"""Maps of the embedding space: UMAP (default) or PCA, 2-D or 3-D, cached per run.

``Projector`` follows the scikit-learn contract (``fit`` returns self, learned state ends in
``_``, ``transform`` places new points). ``project_run`` samples at most ``max_points`` rows
per class with a seed, fits, and caches the coordinates in the run folder as ``.npy`` (never
pickled), so a second visit is instant. UMAP is imported lazily; its numba code is compiled
once into ``NUMBA_CACHE_DIR``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from core.errors import NotFittedError


def configure_numba_cache(path: str | Path | None = None) -> str:
    """Point numba's cache at a writable folder (default: ``<studio home>/.numba_cache``) and create it."""
    if "NUMBA_CACHE_DIR" not in os.environ:
        from core.storage import studio_home

        os.environ["NUMBA_CACHE_DIR"] = str(Path(path or studio_home() / ".numba_cache"))
    Path(os.environ["NUMBA_CACHE_DIR"]).mkdir(parents=True, exist_ok=True)
    return os.environ["NUMBA_CACHE_DIR"]


EXACT_LIMIT = 5000  # up to this many points, UMAP gets an exact distance matrix (n² floats)


def _import_pynndescent_lazily() -> None:
    """``import pynndescent`` with its numba functions compiled on first call, not at import.

    umap-learn imports pynndescent at module level, and pynndescent gives about forty functions
    (random-projection trees, heaps, distances) an explicit signature, which makes numba compile
    them during the import: 25-27 s on a cold cache on 2 cores, the larger part of a cold first
    map. Our maps never call them (up to ``EXACT_LIMIT`` points the neighbours come from a NumPy
    distance matrix), so the signatures are dropped for pynndescent's own modules only; whoever
    does use NNDescent gets the same functions, compiled for the types it passes on first call.
    """
    import sys

    if "pynndescent" in sys.modules:
        return
    import numba

    eager = numba.njit

    def njit_without_pynndescent_signatures(*args, **kwargs):
        caller = sys._getframe(1).f_globals.get("__name__", "")
        if caller.startswith("pynndescent") and args and not callable(args[0]):
            return eager(**kwargs)
        return eager(*args, **kwargs)

    numba.njit = njit_without_pynndescent_signatures
    try:
        import pynndescent  # noqa: F401
    finally:
        numba.njit = eager


def import_umap():
    """``import umap``, with numba's on-disk cache switched on for every function it compiles.

    umap-learn compiles four functions at the first ``fit`` of every process (nearest
    neighbours, kNN smoothing, membership strengths, the layout epoch) without caching them:
    10-11 s per worker process even with a warm cache. Cached, a warm first map takes about 3 s.
    pynndescent, which umap imports, is imported first without its compile-at-import.
    """
    configure_numba_cache()
    import sys

    _import_pynndescent_lazily()
    import umap
    from numba.core.caching import NullCache
    from numba.core.dispatcher import Dispatcher

    for name, module in list(sys.modules.items()):
        if name == "umap" or name.startswith("umap."):
            for obj in vars(module).values():
                if isinstance(obj, Dispatcher) and isinstance(obj._cache, NullCache):
                    with contextlib.suppress(Exception):  # a function numba cannot cache is compiled as before
                        obj.enable_caching()
    return umap


def warm_up_umap() -> None:
    """Compile UMAP's numba functions on a small input (about 13 s cold on 2 cores; once per machine thanks to the cache)."""
    # The same code path as real maps, so everything they need is compiled before the first one.
    Projector(ProjectionConfig(n_neighbors=5, n_epochs=20)).fit(np.random.default_rng(0).normal(size=(300, 16)))


@dataclass
class ProjectionConfig:
    """How to draw a run's embedding space."""

    method: str = "umap"  # umap | pca
    dims: int = 2  # 2 or 3
    n_neighbors: int = 15  # UMAP: size of the neighbourhood each point looks at
    min_dist: float = 0.1  # UMAP: how tightly points may pack
    max_points: int = 4000  # sample at most this many rows (per class, seeded)
    seed: int = 0  # sampling and UMAP seed
    metric: str = "euclidean"  # on L2-normalised vectors, the same neighbours as cosine, and faster
    n_epochs: int = 200  # UMAP optimisation epochs (its default is 500 below 10,000 points)
    texts: str = "held-out"  # held-out (validation + test: texts the model never trained on) | all

    def __post_init__(self) -> None:
        if self.texts not in ("held-out", "all"):
            raise ValueError(f"texts must be held-out or all; got {self.texts!r}")
        if self.method not in ("umap", "pca"):
            raise ValueError(f"method must be umap or pca; got {self.method!r}")
        if self.dims not in (2, 3):
            raise ValueError("dims must be 2 or 3")

    def key(self) -> str:
        """A short, path-safe id of these settings."""
        return hashlib.sha1(repr(sorted(asdict(self).items())).encode()).hexdigest()[:12]


class Projector:
    """UMAP or PCA with ``fit`` / ``transform``; PCA state is plain arrays."""

    def __init__(self, config: ProjectionConfig | None = None):
        self.config = config or ProjectionConfig()
        self.model_ = None
        self.mean_: np.ndarray | None = None
        self.components_: np.ndarray | None = None
        self.fit_vectors_: np.ndarray | None = None

    def fit(self, vectors: np.ndarray, progress=None, init: np.ndarray | None = None) -> Projector:
        """Fit the map; ``progress(phase, fraction)`` hears about UMAP's phases and layout epochs.

        ``init`` (UMAP only): starting coordinates, one row per vector, e.g. another map of the same
        texts, so the layout keeps that map's arrangement where the neighbourhoods allow it.
        """
        cfg = self.config
        X = _normalise(vectors)
        if cfg.method == "pca" or len(X) <= cfg.dims + 2:
            self.mean_ = X.mean(0)
            _, _, vt = np.linalg.svd(X - self.mean_, full_matrices=False)
            self.components_ = vt[: cfg.dims].astype(np.float32)
            if self.components_.shape[0] < cfg.dims:  # fewer features than dims: pad
                pad = np.zeros((cfg.dims - self.components_.shape[0], X.shape[1]), np.float32)
                self.components_ = np.vstack([self.components_, pad])
            self.model_ = "pca"
            return self
        umap = import_umap()
        if progress:
            progress("neighbours", None)
        exact = len(X) <= EXACT_LIMIT
        n_neighbors = min(cfg.n_neighbors, len(X) - 1)
        knn = (None, None, None)
        if exact:
            # Below 4,096 points UMAP would find exact neighbours through a per-pair Python
            # callback (11 s of a 12.6 s fit at 4,000 points); a NumPy distance matrix takes 0.3 s.
            data = np.sqrt(np.maximum(0.0, 2.0 - 2.0 * (X @ X.T)))  # euclidean on unit vectors
            np.fill_diagonal(data, 0.0)
            # Handing UMAP the neighbours too spares it compiling its parallel kNN kernel (about
            # 9 s of a cold first map) to sort the same matrix.
            knn = exact_neighbours(data, n_neighbors)
        else:
            data = X
        self.model_ = umap.UMAP(
            n_neighbors=n_neighbors,
            min_dist=cfg.min_dist,
            n_components=cfg.dims,
            metric="precomputed" if exact else cfg.metric,
            precomputed_knn=knn,
            n_epochs=cfg.n_epochs,
            init="spectral" if init is None else np.asarray(init, dtype=np.float32),
            random_state=cfg.seed,
            transform_seed=cfg.seed,
            low_memory=True,
            n_jobs=1,  # a seed makes UMAP single-threaded anyway; saying so silences its warning
            verbose=progress is not None,
            tqdm_kwds={"file": _UmapProgress(progress, cfg.n_epochs), "mininterval": 0.5, "disable": progress is None},
        )
        with warnings.catch_warnings(), contextlib.redirect_stdout(_UmapProgress(progress, cfg.n_epochs)):
            warnings.filterwarnings("ignore", message=".*precomputed metric.*")
            warnings.filterwarnings("ignore", message=".*knn_search_index.*")  # we place new points ourselves
            self.model_.fit(data)
        self.fit_vectors_ = X
        return self

    def fit_transform(self, vectors: np.ndarray, progress=None, init: np.ndarray | None = None) -> np.ndarray:
        """Fit and return the coordinates of ``vectors`` (``init``: see ``fit``)."""
        self.fit(vectors, progress, init)
        if self.model_ == "pca":
            return self.transform(vectors)
        return np.asarray(self.model_.embedding_, dtype=np.float32)

    def transform(self, vectors: np.ndarray) -> np.ndarray:
        """Place new points on the fitted map."""
        if self.model_ is None:
            raise NotFittedError("Projector is not fitted yet: call fit() first.")
        X = _normalise(vectors)
        if self.model_ == "pca":
            return ((X - self.mean_) @ self.components_.T).astype(np.float32)
        coords = np.asarray(self.model_.embedding_, dtype=np.float32)
        return np.stack([place(x, self.fit_vectors_, coords) for x in X]).astype(np.float32)


def exact_neighbours(distances: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's ``k`` nearest columns of a square distance matrix, nearest first and ties by index
    (itself included, at distance 0), as UMAP's own stable sort orders them:
    ``(indices int32, distances)``, the form UMAP's ``precomputed_knn`` takes."""
    k = max(1, min(k, distances.shape[1]))
    part = np.argpartition(distances, k - 1, axis=1)[:, :k]  # 4x faster than sorting whole rows
    part_d = np.take_along_axis(distances, part, axis=1)
    order = np.lexsort((part, part_d), axis=1)
    return np.take_along_axis(part, order, axis=1).astype(np.int32), np.take_along_axis(part_d, order, axis=1)


class _UmapProgress:
    """A file-like sink for UMAP's verbose lines and its tqdm bar, turned into (phase, fraction) calls."""

    _EPOCHS = re.compile(r"(\d+)/(\d+)")

    def __init__(self, progress, n_epochs: int):
        self.progress, self.n_epochs = progress, n_epochs

    def write(self, text: str) -> int:
        if self.progress is None or not text.strip():
            return len(text)
        if "simplicial" in text or "nearest neighbors" in text.lower():
            self.progress("neighbours", None)
        elif "Construct embedding" in text:
            self.progress("layout", 0.0)
        else:
            found = self._EPOCHS.findall(text)
            if found:
                done, total = (int(x) for x in found[-1])
                self.progress("layout", done / max(1, total))
        return len(text)

    def flush(self) -> None:
        pass


def _normalise(vectors: np.ndarray) -> np.ndarray:
    X = np.asarray(vectors, dtype=np.float32)
    return X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-12)


def sample_per_class(labels, max_points: int, seed: int = 0) -> np.ndarray:
    """Row indices: every row if there are at most ``max_points``, else a seeded sample that keeps
    each class's share (at least one row per class)."""
    labels = np.asarray([str(x) for x in labels], dtype=object)
    n = len(labels)
    if n <= max_points:
        return np.arange(n)
    rng = np.random.default_rng(seed)
    picked = []
    for value in sorted(set(labels)):
        idx = np.flatnonzero(labels == value)
        k = max(1, int(round(len(idx) * max_points / n)))
        picked.append(rng.choice(idx, size=min(k, len(idx)), replace=False))
    return np.sort(np.concatenate(picked))[: max_points + len(picked)]


@dataclass
class RunProjection:
    """Coordinates of a run's sampled rows and which rows they are."""

    coords: np.ndarray  # (n, dims)
    indices: np.ndarray  # rows of points.parquet / embeddings.npy
    total: int  # rows before sampling
    config: ProjectionConfig
    cached: bool = False

    @property
    def sampled(self) -> bool:
        return len(self.indices) < self.total


def embeddings_stamp(run_path: Path) -> str:
    """Size, modification time and inode of a run's ``embeddings.npy`` ("" when it has none).

    Part of every map's cache name: a map started before a Resume and saved after it (the old
    embeddings in its memory) would otherwise pass for a map of the new model.
    """
    try:
        stat = (Path(run_path) / "embeddings.npy").stat()
    except OSError:
        return ""
    return f"{stat.st_size}-{stat.st_mtime_ns}-{stat.st_ino}"


def projection_cache(run_path: Path, config: ProjectionConfig, indices: np.ndarray, stamp: str | None = None) -> Path:
    """The file a projection of ``indices`` with ``config`` is cached in, for the embeddings of
    ``stamp`` (``embeddings_stamp``; by default the run's embeddings now)."""
    stamp = embeddings_stamp(run_path) if stamp is None else stamp
    digest = hashlib.sha1(np.asarray(indices).tobytes() + stamp.encode()).hexdigest()[:8]
    return Path(run_path) / f"projection_{config.key()}-{digest}.npy"


def map_indices(run_path: Path, config: ProjectionConfig) -> np.ndarray:
    """The rows a run's map shows: a per-class sample of at most ``config.max_points``.

    With ``texts="held-out"`` only validation and test rows are drawn (all rows when a run has
    none): the map then shows how the model places texts it never trained on, and it is
    smaller, so UMAP is faster.
    """
    from core.registry import RunDir

    points = RunDir(run_path).points()
    rows = np.arange(len(points))
    if config.texts == "held-out" and "split" in points:
        held_out = np.flatnonzero((points["split"] != "train").to_numpy())
        if len(held_out):
            rows = held_out
    labels = points["label"].fillna("?").iloc[rows]
    return rows[sample_per_class(labels, config.max_points, config.seed)]


def cached_projection(
    run_path: Path, config: ProjectionConfig, indices: np.ndarray | None = None
) -> RunProjection | None:
    """The cached projection, or None when it has not been computed (never computes)."""
    if indices is None:
        indices = map_indices(run_path, config)
    cache = projection_cache(run_path, config, indices)
    if not cache.is_file():
        return None
    from core.registry import RunDir

    total = len(RunDir(run_path).embeddings(mmap=True))
    try:
        coords = np.load(cache, allow_pickle=False)
    except Exception:  # a damaged cache is only a cache: compute the map again
        return None
    if coords.ndim != 2 or len(coords) != len(indices):
        return None
    return RunProjection(coords, indices, total, config, cached=True)


def project_run(
    run_path: Path, config: ProjectionConfig | None = None, indices: np.ndarray | None = None, progress=None
) -> tuple[RunProjection, Projector | None]:
    """Project a run's stored embeddings (cached as ``projection_<key>.npy``).

    Returns the projection and the fitted projector (None when read from the cache).
    ``indices`` forces the rows to map (side-by-side maps of two runs on the same texts).
    """
    config = config or ProjectionConfig()
    run_path = Path(run_path)
    from core.registry import RunDir

    stamp = embeddings_stamp(run_path)  # before reading them: the map is saved as a map of these
    vectors = RunDir(run_path).embeddings()
    if indices is None:
        indices = map_indices(run_path, config)
    cache = projection_cache(run_path, config, indices, stamp)
    if cache.is_file():
        try:
            coords = np.load(cache, allow_pickle=False)
        except Exception:  # a damaged cache is only a cache: compute the map again
            coords = None
        if coords is not None and coords.ndim == 2 and len(coords) == len(indices):
            return RunProjection(coords, indices, len(vectors), config, cached=True), None
    projector = Projector(config)
    coords = projector.fit_transform(vectors[indices], progress)
    from core.storage import atomic_save

    atomic_save(cache, lambda tmp: np.save(tmp, coords))
    return RunProjection(coords, indices, len(vectors), config), projector


def separation_scores(vectors: np.ndarray, labels, k: int = 10, seed: int = 0) -> dict:
    """How well classes separate in an embedding space: silhouette (cosine) and k-NN accuracy."""
    import pandas as pd
    from sklearn.metrics import silhouette_score
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.neighbors import KNeighborsClassifier

    # texts without a label (a partly labelled set's) are no class: scored as one "?" class, two
    # thirds unlabelled lifted a k-NN accuracy of 0.38 to 0.66
    known = ~pd.isna(pd.Series(list(labels), dtype=object)).to_numpy()
    X = _normalise(vectors)[known]
    y = np.asarray([str(v) for v, keep in zip(labels, known) if keep])
    none = {"silhouette": None, "knn_accuracy": None, "knn_k": None}
    # silhouette needs fewer classes than texts: ten two-text classes put one text each in the test map
    if len(set(y)) < 2 or len(y) < 10 or len(set(y)) >= len(y):
        return none
    sample = sample_per_class(y, 2000, seed)
    silhouette = float(silhouette_score(X[sample], y[sample], metric="cosine"))
    counts = np.bincount(np.unique(y, return_inverse=True)[1])
    folds = max(2, min(5, int(counts.min())))
    # shuffled: rows come in file order, often in blocks of a class or a language, and unshuffled folds
    # held out whole blocks (0.919 where leave-one-out gave 0.922)
    split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    # no more neighbours than a typical class has texts in a fold's training part: 150 classes of about
    # 6 held-out texts each voted with 10, outvoting every text's own class (0.622 beside a silhouette of
    # 0.944; 1.000 with 3). Said on the page (a map of 14 texts, 7 a class, votes with 5)
    typical = int(np.median(counts) * (folds - 1) / folds)
    neighbours = max(1, min(k, len(y) // 2, typical))
    knn = cross_val_score(KNeighborsClassifier(n_neighbors=neighbours, metric="cosine"), X, y, cv=split)
    return {"silhouette": silhouette, "knn_accuracy": float(knn.mean()), "knn_k": neighbours}


def place(query: np.ndarray, vectors: np.ndarray, coords: np.ndarray, k: int = 5) -> np.ndarray:
    """Where a new vector lands on a map: the similarity-weighted mean of its k nearest mapped points.

    Works for UMAP and PCA maps alike and needs no fitted model in memory, so a map read back
    from the cache can still place a live query.
    """
    q = query / max(float(np.linalg.norm(query)), 1e-12)
    sims = _normalise(vectors) @ q
    top = np.argsort(-sims)[:k]
    weights = np.maximum(sims[top], 1e-6)
    return (coords[top] * weights[:, None]).sum(0) / weights.sum()
