"""Ensemble: the average of several calibrated classifiers trained on the same dataset.

Members are ordinary runs, listed and evaluated like any other; the ensemble run keeps their
ids. Averaging models that make different mistakes (a bag-of-words MLP and linear models over
plain and NB-weighted n-grams; on Chinese data the same three over jieba words beside them) is
the most reliable way we measured to beat the best single linear model (docs/BENCHMARKS.md). The average is then calibrated: one temperature, fitted on the
validation split, makes its confidence honest without changing any prediction. Calibrating each
member before averaging is an option; on four datasets over three splits it cost 0.1-0.2 pt of
accuracy, so it is off by default.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import ModelFileError, StudioError

# what a member spec may name instead of an existing run: a family trained with its defaults
# (":nb": over NB-weighted terms; ":jieba": over jieba words instead of the language's default units)
MEMBER_FAMILIES = (
    "bow_mlp",
    "rbf",
    "transformer",
    "baseline",
    "baseline:nb",
    "bow_mlp:jieba",
    "baseline:jieba",
    "baseline:nb:jieba",
)
TEMPERATURE_RANGE = (0.05, 20.0)
WORD_VIEWS = ("auto", "on", "off")
DEFAULT_MEMBERS = ("bow_mlp", "baseline:nb", "baseline")


@dataclass
class EnsembleConfig:
    """Averages the calibrated class probabilities of several classifiers."""

    # run ids of finished runs on this dataset, or families to train first: bow_mlp, rbf,
    # transformer, baseline, baseline:nb (TF-IDF + LR over NB-weighted terms)
    members: tuple[str, ...] = DEFAULT_MEMBERS
    calibrate_members: bool = False  # also fit one temperature per member before averaging
    # "kind": the Transformers' share of the vote (against the bag-of-n-gram models') is chosen on
    # the validation split; "member": every member the same share
    balance: str = "kind"
    # auto: on Chinese data, the default members are also trained over jieba words (a second view
    # of the text; +0.4 to +0.9 pt on both Chinese sets measured) | on: any bag member named by
    # family, any language | off
    word_view: str = "auto"

    def __post_init__(self) -> None:
        if isinstance(self.members, str):  # from the command line: members=a,b or members=[a,b]
            self.members = tuple(self.members.strip().strip("[]").split(","))
        self.members = tuple(str(m).strip() for m in self.members if str(m).strip())
        if not 2 <= len(self.members) <= 8:
            raise ValueError(f"EnsembleConfig.members must list 2 to 8 members; got {list(self.members)}")
        twice = sorted({m for m in self.members if self.members.count(m) > 1})
        if twice:
            # the same run twice scored as that run alone, listed as an ensemble; two new members of one family
            # trained one run and used it twice
            raise ValueError(
                f"EnsembleConfig.members lists {', '.join(twice)} more than once; an ensemble learns from members "
                "that differ: list each once."
            )
        if self.balance not in BALANCES:
            raise ValueError(f"EnsembleConfig.balance must be one of {list(BALANCES)}; got {self.balance!r}")
        if self.word_view not in WORD_VIEWS:
            raise ValueError(f"EnsembleConfig.word_view must be one of {list(WORD_VIEWS)}; got {self.word_view!r}")

    def with_word_view(self, language: str) -> tuple[str, ...]:
        """The members to train on data in ``language`` (``zh``, ``en``, ``mixed``).

        With the word view on, each bag member named by family gets a twin over jieba words;
        ``auto`` turns it on for the default members on Chinese data (a list picked by hand is
        trained as it is). Characters and words make different mistakes: on zh_news 16% of the
        test texts were wrong for every character-bag model, and the six members averaged +0.58 pt
        over the best linear model where the three scored -0.32 (zh_reviews +1.05 against +0.67,
        three splits each; docs/BENCHMARKS.md). Runs named by id are left as they are; at most
        eight members in all.
        """
        if self.word_view == "off" or (
            self.word_view == "auto" and (language != "zh" or self.members != DEFAULT_MEMBERS)
        ):
            return self.members
        twins = [
            f"{spec}:jieba"
            for spec in self.members
            if spec in MEMBER_FAMILIES and spec.split(":")[0] in WORD_VIEW_FAMILIES and not spec.endswith(":jieba")
        ]
        extra = [twin for twin in twins if twin not in self.members]
        return (*self.members, *extra)[:8]


BALANCES = ("kind", "member")
WORD_VIEW_FAMILIES = ("bow_mlp", "baseline")  # the bag members whose units the word view changes
# the Transformers' shares of the vote tried on validation; the bags keep at least a quarter
SEQUENCE_SHARES = (0.0, 0.25, 0.5, 0.75)


def member_kind(encoder: str) -> str:
    """``"sequence"`` for a model that reads word order (the studio's Transformer, MiniLM), ``"bag"`` for the others."""
    return "sequence" if encoder in ("transformer", "pretrained") else "bag"


def member_weights(kinds: Sequence[str], sequence_share: float | None = None) -> list[float]:
    """Each member's share of the average (they sum to 1).

    ``sequence_share`` goes to the Transformers, the rest to the bag models, split evenly within each
    kind: three bags and one Transformer at 0.5 weigh 1/6, 1/6, 1/6 and 1/2. With one kind only, or
    ``sequence_share=None``, every member weighs the same.
    """
    if sequence_share is None or len(set(kinds)) < 2:
        return [1.0 / len(kinds)] * len(kinds)
    n_sequence = kinds.count("sequence")
    return [
        sequence_share / n_sequence if k == "sequence" else (1 - sequence_share) / (len(kinds) - n_sequence)
        for k in kinds
    ]


def choose_sequence_share(
    kinds: Sequence[str], average: Callable[[list[float]], np.ndarray], y_val: np.ndarray
) -> float | None:
    """The Transformers' share (of ``SEQUENCE_SHARES``) whose average has the lowest validation log-loss.

    ``average(weights)`` gives the ensemble's validation probabilities under those weights. None when
    the members are of one kind (nothing to choose). Why not a fixed share: the bag models make much
    the same mistakes (on zh_news 16% of the test texts are wrong for every one of them), so a
    Transformer outvoted three to one changed little; at half the vote it added about 1.5 pt. But on
    bbc a Transformer 4 pt weaker than the bags cost 1 pt at half the vote, and validation gives it
    none (docs/BENCHMARKS.md, "Ensembles with a pretrained Transformer"). Ties go to the smaller share.
    """
    if len(set(kinds)) < 2:
        return None
    rows = np.arange(len(y_val))

    def log_loss(share: float) -> float:
        proba = average(member_weights(kinds, share))
        return float(-np.mean(np.log(np.clip(proba[rows, y_val], 1e-12, 1.0))))

    losses = [log_loss(share) for share in SEQUENCE_SHARES]
    return SEQUENCE_SHARES[int(np.argmin(losses))]


def member_overrides(spec: str) -> tuple[str, dict]:
    """The family and encoder overrides a member spec trains.

    ``baseline:nb`` = over NB-weighted terms; a ``:jieba`` ending = over jieba words.
    """
    family, *modifiers = spec.split(":")
    featurizer = {}
    if "nb" in modifiers:
        featurizer["nb_weights"] = True
    if "jieba" in modifiers:
        featurizer["tokenizer"] = "jieba"
    return family, ({"featurizer": featurizer} if featurizer else {})


def fit_temperature(proba: np.ndarray, y: np.ndarray, tolerance: float = 1e-3) -> float:
    """The temperature T that minimises the validation log-loss of ``softmax(log p / T)``.

    The targets are smoothed as in Platt scaling: the true class 1 − ε, the others share ε, with
    ε = 1 / (n + 2) for n texts. On a small validation split with no mistakes the plain log-loss
    falls without end as T shrinks, and T went to its floor: 100% on every text, 1e-32 elsewhere,
    even where the members disagreed. Smoothed, T stops where the texts say it should (a few
    thousand texts: ε < 0.001, the same T as before). ``tolerance`` is on log T.
    """
    return fit_log_temperature(np.log(np.clip(proba, 1e-12, 1.0)), y, tolerance)


def fit_log_temperature(logp: np.ndarray, y: np.ndarray, tolerance: float = 1e-3) -> float:
    """``fit_temperature`` for scores in log space (log-probabilities or logits: a softmax ignores the
    difference). A network's logits keep margins that probabilities clipped at 1e-12 flatten to 27.6."""
    from scipy.optimize import minimize_scalar
    from scipy.special import log_softmax

    logp = np.asarray(logp, dtype=np.float64)
    n, k = logp.shape
    eps = 1.0 / (n + 2)
    target = np.full((n, k), eps / max(k - 1, 1))
    target[np.arange(n), y] = 1.0 - eps

    def loss(log_t: float) -> float:  # in log space throughout: a clip at 1e-12 would flatten the margins again
        return float(-np.mean(np.sum(target * log_softmax(logp / float(np.exp(log_t)), axis=1), axis=1)))

    lo, hi = np.log(TEMPERATURE_RANGE[0]), np.log(TEMPERATURE_RANGE[1])
    found = minimize_scalar(loss, bounds=(lo, hi), method="bounded", options={"xatol": tolerance})
    return float(np.exp(found.x))


def tempered(logp: np.ndarray, temperature: float) -> np.ndarray:
    """``softmax(logp / T)`` row by row."""
    z = logp / temperature
    z = z - z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


class EnsembleModel:
    """Member predictors and their temperatures: ``predict_proba``, ``embed``, ``tokens``."""

    def __init__(
        self,
        members: Sequence,
        temperatures: Sequence[float],
        member_ids: Sequence[str],
        output_temperature: float = 1.0,
        weights: Sequence[float] | None = None,
    ):
        self.members = list(members)
        self.temperatures = [float(t) for t in temperatures]
        self.member_ids = list(member_ids)
        self.output_temperature = float(output_temperature)
        # ensembles saved before weights existed averaged their members equally
        self.weights = (
            [float(w) for w in weights] if weights is not None else [1.0 / len(self.members)] * len(self.members)
        )

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """The mean of the members' (tempered) probabilities, calibrated by the output temperature."""
        return self.predict_and_embed(texts, embed=False)[0]

    def average(self, member_probas: Sequence[np.ndarray]) -> np.ndarray:
        """The members' probabilities (in member order) → the ensemble's (their weighted mean, calibrated).

        A member left out as None (one with no vote) is skipped.
        """
        voting = [(p, t, w) for p, t, w in zip(member_probas, self.temperatures, self.weights) if p is not None]
        tempered_probas = [tempered(np.log(np.clip(p, 1e-12, 1.0)), t) for p, t, _ in voting]
        mean = np.average(tempered_probas, axis=0, weights=[w for _, _, w in voting])
        return tempered(np.log(np.clip(mean, 1e-12, 1.0)), self.output_temperature)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """The members' embeddings, each L2-normalised, side by side (scaled to unit length)."""
        return self.predict_and_embed(texts)[1]

    def predict_and_embed(self, texts: Sequence[str], embed: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
        """Probabilities and (unless ``embed`` is False) embeddings in one pass over the members."""
        texts = list(texts)
        probas, vectors = [], []
        for member, weight in zip(self.members, self.weights):
            if embed:
                proba, vec = member.predict_and_embed(texts)
                vec = np.asarray(vec, dtype=np.float32)
                norms = np.linalg.norm(vec, axis=1, keepdims=True)
                vectors.append(vec / np.maximum(norms, 1e-12) / np.sqrt(len(self.members)))
            elif weight > 0:
                proba = member.predict_proba(texts)
            else:
                # validation gave this member no vote (often the Transformer, the slowest member):
                # its probabilities cannot change the average, so it is not run for them
                proba = None
            probas.append(proba)
        return self.average(probas), (np.hstack(vectors) if embed else None)

    def tokens(self, text: str) -> list[tuple[str, int, int]]:
        """The first member's units (explanations cut text spans, which any member can score)."""
        return self.members[0].tokens(text)

    @property
    def n_parameters(self) -> int:
        """The members' weights together, plus one temperature each."""
        total = len(self.members)
        for member in self.members:
            model = getattr(member, "model", None)
            if hasattr(model, "parameters"):
                total += sum(p.numel() for p in model.parameters())
            else:
                total += int(getattr(model, "n_parameters", 0))
        return total

    def save(self, path: Path, calibrated: bool) -> None:
        """``model.safetensors``: the temperatures, with the member ids in its metadata."""
        import json

        from safetensors.numpy import save_file

        from core.storage import atomic_save

        tensors = {
            "temperatures": np.asarray(self.temperatures, dtype=np.float32),
            "output_temperature": np.asarray([self.output_temperature], dtype=np.float32),
            "weights": np.asarray(self.weights, dtype=np.float32),
        }
        meta = {"members": json.dumps(self.member_ids), "calibrated": str(bool(calibrated))}
        atomic_save(Path(path), lambda tmp: save_file(tensors, str(tmp), metadata=meta))

    @classmethod
    def load(cls, run_path: Path) -> EnsembleModel:
        """Load the saved temperatures and the members they belong to (sibling run folders)."""
        import json

        from safetensors import safe_open

        from core.inference import Predictor

        run_path = Path(run_path)
        try:
            with safe_open(str(run_path / "model.safetensors"), framework="numpy") as handle:
                temperatures = handle.get_tensor("temperatures").tolist()
                output_temperature = float(handle.get_tensor("output_temperature")[0])
                member_ids = [str(m) for m in json.loads(handle.metadata()["members"])]
                weights = handle.get_tensor("weights").tolist() if "weights" in list(handle.keys()) else None
        except Exception as exc:
            raise ModelFileError(
                f"The ensemble file of run {run_path.name} could not be read ({exc}); train the ensemble again."
            ) from exc
        if len(temperatures) != len(member_ids) or (weights is not None and len(weights) != len(member_ids)):
            raise ModelFileError(
                f"Run {run_path.name}: {len(member_ids)} members but {len(temperatures)} temperatures."
            )
        members = []
        for member_id in member_ids:
            folder = run_path.parent / member_id
            if not folder.is_dir():
                raise StudioError(
                    f"Member run {member_id} of ensemble {run_path.name} was deleted; the ensemble cannot "
                    "predict without it. Train the ensemble again."
                )
            members.append(Predictor.from_run(folder))
        return cls(members, temperatures, member_ids, output_temperature, weights)
