"""The yardstick every page measures against: the plain TF-IDF + LR baseline run of a dataset, and
McNemar's test of a run against it on the test texts both scored."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from core.evaluation import McNemarResult
    from core.registry import RunDir


def is_plain_baseline(config: dict) -> bool:
    """Whether a run config is the plain TF-IDF + LR every page compares with, on all the labels.

    Its settings are the defaults. An ensemble's variants are not: over NB-weighted terms it is
    stronger, over jieba words it is another model (Evaluate measured margins against the newest such
    member, and Compare against the plain one: two figures for one run). Nor is one trained with another
    C: one with C=0.01 scored 0.40, and every run read "+37.5 pt vs baseline".
    """
    if config.get("encoder") != "baseline" or config.get("label_fraction", 1.0) != 1.0:
        return False
    return _same_as_defaults(config.get("encoder_config") or {}, _baseline_defaults())


# not what makes another kind of model: the map's width, and the size and convergence knobs (a
# vocabulary cut at 1 or 2 documents, at 50,000 terms or 40,000; the solver's iterations)
_NOT_THE_MODEL = frozenset({"embed_dim", "min_df", "max_features", "max_iter"})


def _baseline_defaults() -> dict:
    import json

    from core.config import to_dict
    from core.training.runner import encoder_config_from

    return json.loads(json.dumps(to_dict(encoder_config_from("baseline", {}))))  # tuples as the saved lists


def _same_as_defaults(settings: dict, defaults: dict) -> bool:
    """Every setting of ``settings`` that ``defaults`` knows has its default value (a field a later
    version added is absent from an older run's config: that run is not a variant for it)."""
    for name, value in settings.items():
        if name in _NOT_THE_MODEL or name not in defaults:
            continue
        default = defaults[name]
        if isinstance(default, dict):
            if not isinstance(value, dict) or not _same_as_defaults(value, default):
                return False
        elif (list(value) if isinstance(value, (list, tuple)) else value) != default:
            return False
    return True


def baseline_run(dataset: str, fingerprint: str | None = None):
    """The newest plain baseline run on ``dataset`` (``is_plain_baseline``) that is done or on its
    way, or None; among finished ones first, so a baseline queued again does not hide the scores.

    With ``fingerprint`` (``Splits.fingerprint``), only a baseline trained on those same texts, or
    one not trained yet: after a dataset was deleted and imported again under its id, the old
    baseline measured new runs' margins on other test texts, "on the same test split".
    """
    from core.registry import RunStore

    plain = [
        run
        for run in RunStore().list()
        if run.config().get("dataset") == dataset
        and is_plain_baseline(run.config())
        and (fingerprint is None or run.config().get("data_fingerprint") in (None, fingerprint))
    ]
    if len(plain) > 1:
        # the user's own baseline before an ensemble's member of the same settings: Compare ticked the
        # member ("member of n-ensemble") as the yardstick beside the baseline the user had trained
        store = RunStore()
        plain.sort(key=lambda run: bool(store.ensembles_using(run.id)))  # stable: newest first in each group
    for states in (("done",), ("running", "queued")):
        found = next((run for run in plain if run.status().get("state") in states), None)
        if found is not None:
            return found
    return None


def paired_test_texts(points_a: pd.DataFrame, points_b: pd.DataFrame) -> pd.DataFrame:
    """The test texts two runs both scored, from their per-text results (``RunDir.points``):
    ``text``, ``label``, ``pred_a`` and ``pred_b``."""
    return points_a[points_a["split"] == "test"][["text", "label", "pred"]].merge(
        points_b[points_b["split"] == "test"][["text", "pred"]], on="text", suffixes=("_a", "_b")
    )


def against_baseline(
    run: RunDir, base: RunDir, points: Callable[[RunDir], pd.DataFrame] | None = None
) -> McNemarResult | None:
    """McNemar's test of ``run`` (a) against the baseline run ``base`` (b) on the test texts both scored,
    or None when either's per-text results cannot be read (a green "+1.8 pt" was 3 texts against 1 of 113).
    ``points`` reads a run's per-text results (a page passes its cached reader)."""
    from core.errors import StudioError
    from core.evaluation import mcnemar

    read = points or (lambda r: r.points())
    try:
        test = paired_test_texts(read(run), read(base))
    except (StudioError, OSError, ValueError, KeyError):
        return None
    if test.empty:
        return None
    return mcnemar(test["label"].astype(str), test["pred_a"].astype(str), test["pred_b"].astype(str))
