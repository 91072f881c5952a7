"""The line above Compare's leaderboard: which run is best, and by how much it beats the baseline."""

from __future__ import annotations

import pandas as pd

from ui.i18n import listed, p_statement, t
from ui.presenter import score
from ui.safe_text import md

# below this a head-to-head's gap is called unlikely to be chance; up to 0.05 it is a hint: a board of five
# runs holds ten pairs (Bonferroni's 0.05 / 10), and McNemar on one test split leaves out the seeds' spread
STRONG_P = 0.005


def points_text(gain: float) -> str:
    """A margin in percentage points, unsigned: one decimal, two below 0.05 (one text ahead on a
    test split of 2,000 read "+0.0 pt over the baseline"), and as many as the first figure needs
    below 0.005 (one text of 40,000 read "by 0.00 pt")."""
    gain = abs(float(gain))
    if gain == 0 or gain >= 0.05:
        return f"{gain:.1f}"
    if gain >= 0.005:
        return f"{gain:.2f}"
    import numpy as np

    return np.format_float_positional(gain, precision=1, unique=False, fractional=False)  # 0.003, 0.00004


def shown_margins(margins: pd.Series) -> pd.Series:
    """Margins in points as the board's one-decimal column shows them: one that rounds to 0.0 is 0,
    never -0.0 (0.9900 against 0.9903 read "-0.0 pt" on Compare and "+0.0 pt" on Evaluate). For the
    column only: the line above the board names small margins with the figures they need."""
    return margins.where(margins.abs() >= 0.05, 0.0)


def paired_test(a, b) -> pd.DataFrame:
    """The test texts both runs scored: ``text``, ``label``, ``pred_a`` (run ``a``'s), ``pred_b``."""
    from core.baselines import paired_test_texts
    from ui.resources import run_points, run_stamp

    return paired_test_texts(run_points(a.id, run_stamp(a)), run_points(b.id, run_stamp(b)))


def grey_arrow(key: str, tied: bool, accuracy_by_chance: bool, test_texts: int) -> bool:
    """Whether a score's gap to the baseline is drawn grey: a tie ("+0.0 pt" in green read as a gain); an
    accuracy gap McNemar's test calls chance (a green "+1.8 pt" was 3 texts against 1 of 113). A macro-F1 gap
    can be real where accuracy's is not (a rare class learned), so it keeps its colour, except on a few
    test texts with an accuracy gap that could be chance: a green "+8.5 pt" rested on 2 of 50 texts."""
    from core.evaluation import FEW_TEST_TEXTS

    if tied:
        return True
    if key == "accuracy":
        return accuracy_by_chance
    return key == "macro_f1" and accuracy_by_chance and test_texts < FEW_TEST_TEXTS


def against_baseline(run, base):
    """McNemar's test of ``run`` against the baseline run ``base`` (``core.baselines.against_baseline``),
    from the pages' cached per-text results."""
    from core.baselines import against_baseline as measured
    from ui.resources import run_points, run_stamp

    return measured(run, base, points=lambda r: run_points(r.id, run_stamp(r)))


def family(config: dict) -> str:
    """The key the board compares runs by: the encoder (a Transformer with its preset), and
    ``baseline-variant`` for a TF-IDF + LR over NB-weighted terms or jieba words, which is not the plain
    baseline the board measures against."""
    from core.baselines import is_plain_baseline

    key = config["encoder"] + (
        f"-{(config.get('encoder_config') or {}).get('preset')}" if config["encoder"] == "transformer" else ""
    )
    return key + "-variant" if config["encoder"] == "baseline" and not is_plain_baseline(config) else key


def verdict(board: pd.DataFrame, p_value: float | None = None, with_p: bool = True) -> str | None:
    """One line naming the best run and its margin over the baseline (the question a demo asks first),
    a tie, or that the baseline still leads; None with a single run, where there is nothing to rank.

    ``board``: one row per run with ``label``, ``family`` (``baseline`` for TF-IDF + LR), ``accuracy``
    and, when the dataset has a baseline run, ``vs baseline`` in points. ``p_value``: McNemar's test of
    the best run against the baseline, when known; a margin that could be chance is said to be, with
    the p-value unless ``with_p`` is False (before an audience).
    """
    if len(board) < 2:
        return None
    top = board["accuracy"].max()
    leaders = board[board["accuracy"] >= top - 1e-12]
    if len(leaders) > 1 and top >= 1.0:  # a test every run gets all right says nothing about which is better
        return t(
            "Tied at 1.0000 accuracy: {runs} get every test text right, so this test cannot tell them apart. "
            "Harder data, or fewer labels (the label-efficiency experiment below), will.",
            runs=md(listed([str(label) for label in leaders["label"]])),
        )
    if len(leaders) > 1:
        return t(
            "Tied for best at {accuracy} accuracy: {runs}.",
            accuracy=score(top),
            runs=md(listed([str(label) for label in leaders["label"]])),
        )
    best = leaders.iloc[0]
    if best["family"] == "baseline":
        return t(
            "The TF-IDF + LR baseline leads this board ({accuracy} accuracy): no encoder beats it yet.",
            accuracy=score(top),
        )
    if "vs baseline" not in board or pd.isna(best["vs baseline"]):
        return t("Best: {run}, {accuracy} accuracy.", run=md(str(best["label"])), accuracy=score(top))
    if p_value is not None and p_value >= 0.05:  # the trophy line is what a demo quotes: not a win by chance
        about = dict(run=md(str(best["label"])), accuracy=score(top), gain=points_text(best["vs baseline"]))
        if not with_p:  # an audience: in words ("p = 0.6250" read as a score)
            return t(
                "Best: {run}, {accuracy} accuracy, +{gain} pt over the baseline; a gap this small could be chance.",
                **about,
            )
        return t(
            "Best: {run}, {accuracy} accuracy, +{gain} pt over the baseline; a gap this small could be chance ({p}).",
            p=p_statement(p_value),
            **about,
        )
    return t(
        "Best: {run}, {accuracy} accuracy, +{gain} pt over the baseline.",
        run=md(str(best["label"])),
        accuracy=score(top),
        gain=points_text(best["vs baseline"]),
    )


def macro_f1_leader(board: pd.DataFrame, per_class: list[dict]) -> str | None:
    """A line under the verdict where the classes are far apart in size (the test split's largest class
    ten times its smallest or more) and another run leads by macro-F1: on a fraud set, a run that always
    said "legit" tied for best by accuracy with runs that caught half the frauds. None otherwise.

    ``per_class``: a run's per-class report on the board's test split (their ``support``)."""
    from core.data import IMBALANCED_RATIO

    supports = [int(c.get("support") or 0) for c in per_class]
    supports = [n for n in supports if n]
    if len(board) < 2 or "macro-F1" not in board or len(supports) < 2:
        return None
    if max(supports) < IMBALANCED_RATIO * min(supports):
        return None
    by_f1 = board.sort_values("macro-F1", ascending=False, kind="stable").iloc[0]
    by_accuracy = board.sort_values("accuracy", ascending=False, kind="stable").iloc[0]
    if by_f1["run"] == by_accuracy["run"] or by_f1["macro-F1"] <= by_accuracy["macro-F1"] + 1e-12:
        return t(
            "The classes are far apart in size, so accuracy mostly measures the largest; macro-F1 agrees on the leader."
        )
    return t(
        "The classes are far apart in size, so accuracy mostly measures the largest. By macro-F1, which weighs "
        "every class alike, {run} leads ({f1} against {other}).",
        run=md(str(by_f1["label"])),
        f1=score(float(by_f1["macro-F1"])),
        other=score(float(by_accuracy["macro-F1"])),
    )


def duel_headline(
    name_a: str, name_b: str, only_a: int, only_b: int, texts: int, p_value: float, with_p: bool = True
) -> str:
    """Compare's head to head in one sentence: which of two runs is more accurate, by how many
    points, and whether that is more than chance (the p-value and the counts alone left an audience
    to work it out, and the board's margins are against the baseline, not against each other).

    ``only_a``/``only_b``: test texts only that run gets right; ``texts``: the test texts both read;
    ``with_p``: the p-value in brackets (left out before an audience).
    """
    from ui.i18n import p_statement

    if only_a == only_b:
        return t(
            "**{a}** and **{b}** are equally accurate on these {n:,} test texts.", a=md(name_a), b=md(name_b), n=texts
        )
    better, worse = (name_a, name_b) if only_a > only_b else (name_b, name_a)
    gain = points_text(100 * abs(only_a - only_b) / max(1, texts))
    about = dict(better=md(better), worse=md(worse), gain=gain, n=texts)
    if not with_p:  # an audience: the verdict in words ("p = 0.0312" read as a score)
        return (
            t(
                "**{better}** is more accurate than **{worse}**, by {gain} pt on these {n:,} test texts, and the "
                "difference is more than chance.",
                **about,
            )
            if p_value < STRONG_P
            # the operator's view calls this band weak evidence: the audience is not told more
            else t(
                "**{better}** is ahead of **{worse}** by {gain} pt on these {n:,} test texts; the gap may be more "
                "than chance, but it is weak evidence.",
                **about,
            )
            if p_value < 0.05
            else t(
                "**{better}** is ahead of **{worse}** by {gain} pt on these {n:,} test texts, but a gap this small "
                "could be chance.",
                **about,
            )
        )
    if p_value < STRONG_P:
        return t(
            "**{better}** is more accurate than **{worse}**, by {gain} pt on these {n:,} test texts, and the "
            "difference is unlikely to be chance ({p}).",
            p=p_statement(p_value),
            **about,
        )
    if p_value < 0.05:
        # "the difference is real (p = 0.0140)" of one pair among ten on a board of five runs, one seed each
        return t(
            "**{better}** is more accurate than **{worse}**, by {gain} pt on these {n:,} test texts ({p}). With "
            "several runs compared, or another seed, a p between 0.005 and 0.05 is weak evidence.",
            p=p_statement(p_value),
            **about,
        )
    return t(
        "**{better}** is ahead of **{worse}** by {gain} pt on these {n:,} test texts, but a gap this small "
        "could be chance ({p}).",
        p=p_statement(p_value),
        **about,
    )


# training settings that do not change what a run learns, or only by chance: runs differing only in these
# are one setting run again (the seed is the point: its spread is what one run's score cannot show)
SEED_FREE = (
    "seed",
    "threads",
    "device",
    "precision",
    "eval_batch_size",
    "processes",
    "micro_batch_size",
    "compile",
    "checkpoint_every_s",
    "checkpoint_within_epoch_s",
)
RUN_OWN = ("run_id", "name", "created")  # a run's identity, not its settings


def settings_key(config: dict) -> str:
    """``config`` less its seed and identity, as text: equal for runs of one setting with other seeds."""
    import json

    from core.config import comparable

    kept = {key: value for key, value in config.items() if key not in RUN_OWN}
    kept["train"] = {key: value for key, value in (config.get("train") or {}).items() if key not in SEED_FREE}
    return json.dumps(comparable(kept), sort_keys=True, default=str)


def seed_groups(board: pd.DataFrame, configs: dict[str, dict]) -> pd.DataFrame:
    """One row per setting trained with two seeds or more: how many seeds, mean accuracy ± its standard
    deviation, the range, and mean macro-F1. Four seeds of one bag-of-words MLP spread over 1.6 pt on
    bbc, wider than most gaps on the board, and nothing summed them up. A seed run twice counts once
    (its newest run): one result twice is not a spread.

    ``board``: Compare's rows (``run``, ``label``, ``encoder``, ``accuracy``, ``macro-F1``); ``configs``:
    each run's config. Empty when no setting has two seeds. Two settings of one encoder are told apart
    by the settings in which they differ ("bag-of-words MLP · hidden [256, 64]").
    """
    rows, keys = [], []
    keyed = board.assign(key=[settings_key(configs[run_id]) for run_id in board["run"]])
    for key, group in keyed.groupby("key", sort=False):
        newest: dict[object, str] = {}  # seed → run id
        for run_id in group["run"]:
            config = configs[run_id]
            seed = (config.get("train") or {}).get("seed")
            if seed not in newest or str(config.get("created", "")) > str(configs[newest[seed]].get("created", "")):
                newest[seed] = run_id
        if len(newest) < 2:
            continue
        picked = group[group["run"].isin(set(newest.values()))]
        accuracy = picked["accuracy"].astype(float)
        keys.append(key)
        rows.append(
            {
                "setting": str(group["encoder"].iloc[0]),
                "runs": ", ".join(str(label) for label in picked["label"]),
                "seeds": len(newest),
                "mean accuracy": float(accuracy.mean()),
                "sd": float(accuracy.std(ddof=1)),
                "lowest": float(accuracy.min()),
                "highest": float(accuracy.max()),
                "mean macro-F1": float(picked["macro-F1"].astype(float).mean()),
            }
        )
    if not rows:
        return pd.DataFrame()
    _tell_apart(rows, keys)
    return pd.DataFrame(rows).sort_values("mean accuracy", ascending=False)


def _flat(config_text: str) -> dict[str, object]:
    """A settings key's encoder and training settings, one level deep ("hidden", "featurizer.min_df", "lr")."""
    import json

    config = json.loads(config_text)
    flat: dict[str, object] = {}
    for part in ("encoder_config", "train"):
        for name, value in (config.get(part) or {}).items():
            if isinstance(value, dict):
                flat.update({f"{name}.{inner}": v for inner, v in value.items()})
            else:
                flat[name] = value
    return flat


def _tell_apart(rows: list[dict], keys: list[str], most: int = 3) -> None:
    """Add to each row's setting the values in which it differs from the other groups of its encoder."""
    by_setting: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        by_setting.setdefault(row["setting"], []).append(i)
    for members in by_setting.values():
        if len(members) < 2:
            continue
        flats = [_flat(keys[i]) for i in members]
        differing = sorted({name for flat in flats for name in flat if len({str(f.get(name)) for f in flats}) > 1})
        for i, flat in zip(members, flats, strict=True):
            said = [f"{name} {flat.get(name)}" for name in differing[:most]]
            rows[i]["setting"] += " · " + ", ".join(said) if said else ""


# the board's columns for a paper or a spreadsheet, and how each is rounded (None: as it is)
EXPORT_COLUMNS = {
    "label": None,
    "encoder": None,
    "task": None,
    "accuracy": 4,
    "vs baseline": 2,
    "macro-F1": 4,
    "parameters": 0,
    "train s": 1,
    "latency ms": 2,
    "run": None,
}


def export_frame(board: pd.DataFrame, headers: dict[str, str]) -> pd.DataFrame:
    """The leaderboard as a table to paste: the shown figures rounded as the grid shows them (the grid's
    own download wrote 0.9765258215962441), headed with ``headers`` (the page's words)."""
    columns = [column for column in EXPORT_COLUMNS if column in board.columns]
    table = board[columns].copy()
    for column in columns:
        digits = EXPORT_COLUMNS[column]
        if digits is not None:
            values = pd.to_numeric(table[column], errors="coerce").round(digits)
            table[column] = values.astype("Int64") if digits == 0 else values
    return table.rename(columns={column: headers.get(column, column) for column in columns})


def markdown_table(table: pd.DataFrame) -> str:
    """``table`` as a GitHub Markdown table (a "|" in a cell escaped; empty cells for missing values)."""

    def cell(value: object) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return ""
        return str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(cell(c) for c in table.columns) + " |", "|" + "---|" * len(table.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join(lines) + "\n"
