"""``python -m core``: data, train, resume, evaluate, predict and runs from the terminal.

``main(argv) -> int`` is a plain function (tests call it directly). Exit codes: 0 success,
1 bad input (the report or message is printed), 2 usage errors (argparse's, and a command line
that lacks a part: a deletion, or a restart that throws work away, without ``--yes``), 130 stopped or cut off by Ctrl-C and 143 stopped
by ``kill`` (as a shell reports a command those signals ended).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from core.errors import DataError, StudioError


def _print(*args, **kwargs) -> None:
    print(*args, **kwargs, flush=True)


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: a Chinese character takes two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


NAME_COLUMNS = 32  # a list's name column: a 78-character title made every row of `runs list` 245 wide


def _clipped(text: str, columns: int = NAME_COLUMNS) -> str:
    """``text`` cut to ``columns`` terminal columns, with "…" where it was cut (ids are never cut: they are
    copied into commands; names are read)."""
    text = " ".join(str(text).split())
    if _width(text) <= columns:
        return text
    out, used = [], 0
    for ch in text:
        used += _width(ch)
        if used > columns - 1:
            break
        out.append(ch)
    return "".join(out) + "…"


def _table(rows: list[list], header: list[str]) -> str:
    # a newline in a name would break the table's rows apart
    cells = [[" ".join(str(c).split()) for c in row] for row in [header, *rows]]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# --------------------------------------------------------------------------- data


def _load_and_validate(args):
    from core.data import DataLimits, load_file, to_examples, validate

    limits = DataLimits(max_rows=args.max_rows)
    table = load_file(
        Path(args.file),
        encoding=args.encoding,
        text_column=args.text_col,
        label_column=args.label_col,
        limits=limits,
        header=args.header,
        quoting=args.quoting,
        sheet=args.sheet,
        separator=_separator(args),
    )
    if table.file_format == "txt" and not table.label_column and not args.unlabelled:
        args.unlabelled = True  # a plain-text file is texts only, as the Data page takes it
        _print("A plain-text file has no labels: read as texts for pretraining (as with --unlabelled).")
    if args.unlabelled:  # texts only, as asked: a one-class column's advice would be to do just that
        table.notes = [note for note in table.notes if note.code != "one_class_column"]
        table.label_column = None  # the guessed label column was imported all the same, as labels
    examples = to_examples(table)
    if getattr(args, "strip_markup", False):
        from core.data import strip_markup

        examples, cleaned = strip_markup(examples)
        _print(f"read the web markup of {cleaned:,} text{'' if cleaned == 1 else 's'} (tags removed, entities read)")
    if getattr(args, "merge_case", False) and not args.unlabelled:
        from core.data import merge_case_variants

        examples, merged = merge_case_variants(examples)
        for old, new in merged.items():
            _print(f"merged class {old!r} into {new!r}")
    if getattr(args, "merge_label_sets", False) and not args.unlabelled:
        from core.data import merge_label_set_variants

        examples, merged = merge_label_set_variants(examples)
        for old, new in merged.items():
            _print(f"merged class {old!r} into {new!r}")
    # after the merges, as the Data page reads them: 'unknown' and 'Unknown' merged, then read as missing
    if getattr(args, "missing_label", None) and not args.unlabelled:
        from core.data import read_as_missing

        classes = set(examples["label"].dropna().map(str))
        unknown = [name for name in args.missing_label if name not in classes]
        if unknown:
            raise StudioError(
                f"--missing-label {unknown[0]!r}: no class is called so in this file; its classes are "
                f"{', '.join(map(repr, sorted(classes)[:20]))}."
            )
        examples = read_as_missing(examples, args.missing_label)
        _print(f"read as missing labels: {', '.join(map(repr, args.missing_label))}")
    report = validate(examples, limits, require_labels=not args.unlabelled, table=table)
    return table, examples, report, limits


def _count(minimum: int, maximum: int | None = None):
    """An argparse type: a whole number of at least ``minimum`` (and at most ``maximum``)."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
        if number < minimum or (maximum is not None and number > maximum):
            within = f"from {minimum:,} to {maximum:,}" if maximum is not None else f"of at least {minimum}"
            raise argparse.ArgumentTypeError(f"expected a whole number {within}, got {number}")
        return number

    return parse


# TrainConfig's ranges, said under the option's name (core.training.trainer imports torch: not for --help)
MAX_EPOCHS, MAX_BATCH, MAX_THREADS, MAX_SEED, MAX_BUDGET_S = 10_000, 8192, 512, 2**32 - 1, 1e7


def _seconds(value: str) -> float:
    """An argparse type: a number of seconds, 0 or more ('--time-budget -5' was refused later as
    'TrainConfig.time_budget_s', a name the user never typed)."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {value!r}") from None
    if not 0 <= number <= MAX_BUDGET_S:  # NaN and inf fail this too
        raise argparse.ArgumentTypeError(f"expected a number of seconds from 0 to {MAX_BUDGET_S:,.0f}, got {value}")
    return number


def _out_file(value: str) -> str:
    """An argparse type: a file to write, in a folder that exists. A mistyped folder was made, with its
    parents, and the output went where nobody would look; it is said before any work is done."""
    path = Path(value).expanduser()
    if path.is_symlink():  # written through to what it points at: that file's folder must exist
        try:
            path = path.resolve(strict=False)
        except (RuntimeError, OSError):  # a loop of links
            raise argparse.ArgumentTypeError(f"{value!r} is a symbolic link that leads round in a loop") from None
    folder = path.parent
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"the folder {str(folder)!r} does not exist: create it, or write elsewhere")
    return value


def _label_share(value: str) -> float:
    """An argparse type: a share of the labels, above 0 and at most 1 (1.5 was refused only after the
    run's config was made, in the config's words: "label_fraction must be in (0, 1]")."""
    number = _share(value)
    if number == 0:
        raise argparse.ArgumentTypeError("expected a share above 0 and at most 1 (1 = every label), got 0")
    return number


def _share(value: str) -> float:
    """An argparse type: a number from 0 to 1."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {value!r}") from None
    if not 0 <= number <= 1:  # NaN fails this too
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {value}")
    return number


def _resolves_to(store, name: str, dataset_id: str) -> bool:
    """True when ``--dataset name`` means ``dataset_id`` (not a built-in or another dataset's id)."""
    try:
        return store.resolve(name) == dataset_id
    except Exception:  # ambiguous, or a name that is no id
        return False


def _rename_pair(item: str, classes: list[str]) -> tuple[str, str] | None:
    """Split ``OLD=NEW`` at the ``=`` that leaves an existing class on the left (class names may hold ``=``)."""
    splits = [(item[:i], item[i + 1 :]) for i, char in enumerate(item) if char == "="]
    known = [pair for pair in splits if pair[0] in classes]
    if len(known) > 1:
        raise StudioError(f"--rename {item!r} can be read {len(known)} ways; rename one class at a time.")
    return (known or splits or [None])[0]


def _splits(counts: dict[str, int]) -> str:
    """A dataset's split sizes as the CLI writes counts: "train 2,100, val 300, test 600" (import
    printed the dict itself, {'train': 210, 'test': 60, 'val': 30}, in the order of the counts)."""
    order = ["train", "val", "test"]
    names = sorted(counts, key=lambda name: (order.index(name) if name in order else len(order), name))
    return ", ".join(f"{name} {int(counts[name]):,}" for name in names)


def cmd_data(args) -> int:
    from core.registry import DatasetStore

    if args.action == "list":
        # rows with thousands separators, as the splits beside them ("2125" beside "train 1,487")
        rows = [
            [d.id, _clipped(d.name), f"{d.rows:,}", len(d.labels), _splits(d.split_counts)]
            for d in DatasetStore().list()
        ]
        store = DatasetStore()
        broken = store.broken()
        rows += [[dataset_id, "-", "-", "-", "broken"] for dataset_id, _ in broken]
        _print(
            _table(rows, ["id", "name", "rows", "classes", "splits"])
            if rows
            else f"No datasets stored yet in {store.root}."
        )
        for _, reason in broken:
            _print(f"broken: {reason}")
        return 0
    if args.action == "delete":
        from core.names import runs_on

        store = DatasetStore()
        dataset_id = store.resolve(args.dataset)
        if not store.path(dataset_id).is_dir():
            _print(f"No stored dataset {args.dataset!r} (a built-in is imported again when a run needs it).")
            return 1
        runs = runs_on(dataset_id)
        if not args.yes:
            _print(
                f"This deletes dataset {dataset_id} and its {len(runs)} run(s). Add --yes to confirm."
                if args.with_runs
                else f"This deletes dataset {dataset_id}; the {len(runs)} run(s) trained on it keep their files and "
                "still predict, but evaluating them again needs the dataset, and the app's pages, which list runs "
                "by dataset, no longer show them (python -m core runs list still does; --with-runs deletes them "
                "too). Add --yes to confirm.",
                file=sys.stderr,
            )
            return 2
        store.delete(dataset_id, with_runs=args.with_runs)
        _print(f"deleted dataset {dataset_id}" + (f" and its {len(runs)} run(s)" if args.with_runs else ""))
        if runs and not args.with_runs:  # the page says so before its delete; here --yes skipped the question
            _print(
                f"Its {len(runs)} run(s) are kept; the app's pages no longer show them (python -m core runs list "
                "does, and runs delete removes one)."
            )
        return 0
    if args.action == "rename-classes":
        from core.names import RENAME_JOURNAL, rename_labels

        store = DatasetStore()
        dataset_id = store.resolve(args.dataset)
        if (store.path(dataset_id) / RENAME_JOURNAL).exists():
            rename_labels(dataset_id, {})  # finishes the rename that was cut off (refused while runs train)
            classes = ", ".join(store.info(dataset_id).labels)
            _print(f"{args.dataset}: finished a class rename that was cut off; the classes are now {classes}")
            if args.rename:  # written against the classes as they were: the user checks first
                _print("Check the classes above, then give the rename again if it is still needed.", file=sys.stderr)
                return 1
            return 0
        if not args.rename:
            _print("Name a class to rename: --rename OLD=NEW, e.g. --rename 0=negative.", file=sys.stderr)
            return 2
        classes = store.info(dataset_id).labels
        pairs = [_rename_pair(item, classes) for item in args.rename]
        if any(pair is None for pair in pairs):
            _print("Write each --rename as OLD=NEW, e.g. --rename 0=negative.", file=sys.stderr)
            return 2
        targets: dict[str, set[str]] = {}
        for old, new in pairs:
            targets.setdefault(old, set()).add(new)
        twice = sorted(old for old, news in targets.items() if len(news) > 1)
        if twice:  # --rename food=x --rename food=y kept the last without a word
            _print(f"Class {twice[0]!r} is given two new names: keep one --rename for it.", file=sys.stderr)
            return 2
        full = rename_labels(dataset_id, dict(pairs))
        changed = [f"{old} → {new}" for old, new in full.items() if old != new]
        _print(f"{args.dataset}: " + (", ".join(changed) if changed else "nothing to rename"))
        return 0
    if args.action == "builtins":
        from core.catalog import list_builtins

        for d in list_builtins():
            _print(f"{d.name:12s} {d.title}: {d.description}")
        return 0
    if args.action == "import":  # before the file is read: a bad share came after a five-warning report
        from core.data import SplitConfig

        if args.test is None:  # a file read as unlabelled is known only once it is read: 0.2 checks the stricter
            default_test = SplitConfig.default_for(labelled=not args.unlabelled).test_fraction
        try:
            SplitConfig(args.val, default_test if args.test is None else args.test, args.seed)
        except ValueError as exc:
            asked = (
                f"--val {args.val:g} (with the default test share of {default_test:g})"
                if args.test is None
                else f"--val {args.val:g} --test {args.test:g}"
            )
            _print(f"error: {asked}: {exc}.", file=sys.stderr)
            return 1
    left_out_path = Path(args.left_out) if args.left_out else None
    problem = predict_out_problem(args.left_out, args.file, "--left-out", "the rows left out", "left-out.csv")
    if problem:  # before the file is read: nothing is read, written or saved
        _print(f"error: {problem}", file=sys.stderr)
        return 1
    try:
        table, examples, report, limits = _load_and_validate(args)
    except DataError as exc:
        from core.catalog import BUILTINS

        said = exc.report.format() if exc.report is not None else str(exc)
        if args.file in BUILTINS and not Path(args.file).exists():  # 'data import bbc', for the built-in
            said += f" {args.file} is a built-in dataset: it needs no import; train with --dataset {args.file}."
        _print(said, file=sys.stderr)
        return 1
    if args.action == "inspect":
        how = f"format: {table.file_format}   encoding: {table.encoding}"
        if table.quoting:
            how += f"   header row: {'yes' if table.header else 'no'}   quoting: {table.quoting}"
        _print(how)
        _print(f"columns: {table.columns}   rows: {len(table.frame):,}")
        texts = " + ".join(repr(c) for c in table.chosen_text_columns) or "None"
        _print(f"text column: {texts}   label column: {table.label_column!r}")
        _print(examples.head(5).to_string(max_colwidth=60))
        _print()
    _print(report.format())
    from core.data import few_examples_note

    if report.ok and (few := few_examples_note(report.class_counts)):  # as the Data page says it
        _print(f"- NOTE: {few}")
    if left_out_path is not None and not _write_left_out(left_out_path, examples, limits, not args.unlabelled):
        if args.action == "import":
            _print(
                "Nothing was saved: the import stops where its list of left-out rows cannot be written.",
                file=sys.stderr,
            )
        return 1
    if not report.ok:
        _print("\nNothing was saved: fix the errors above and try again.", file=sys.stderr)
        return 1
    if args.action == "import":
        from core.data import SplitConfig, clean, kept_split, stratified_split

        if args.test is None:
            args.test = SplitConfig.default_for(labelled=not args.unlabelled).test_fraction
        split = SplitConfig(args.val, args.test, args.seed)
        frame = clean(examples, limits, require_labels=not args.unlabelled)
        kept = None
        if args.split_from:
            try:
                store = DatasetStore()
                earlier_id = store.resolve(args.split_from)
                earlier = store.load(earlier_id)
            except (StudioError, OSError, ValueError, KeyError) as exc:
                _print(f"error: --split-from {args.split_from}: {exc}", file=sys.stderr)
                return 1
            if earlier["label"].isna().all() and not args.unlabelled:
                # its texts have no test split to keep (unlabelled sets default to none): the labelled
                # copy would have had no test texts, and training refuses such a dataset
                _print(
                    f"error: --split-from {args.split_from}: that dataset is unlabelled, so its splits are not a "
                    "labelled dataset's (it may have no test texts); import without --split-from.",
                    file=sys.stderr,
                )
                return 1
            frame["split"], kept, moved = kept_split(frame["text"], frame["label"], earlier, split)
        else:
            frame["split"] = stratified_split(frame["label"], split)
        from core.names import MAX_TITLE_CHARS, clean_title

        # tidied as the page and a rename tidy it: 300 characters, or a terminal escape, were stored as given
        # a pipe has no file name to take: "-" or "63" (of /dev/fd/63) named the dataset
        piped = args.file == "-" or str(Path(args.file).absolute()).startswith(("/dev/", "/proc/"))
        stem = "piped data" if piped else Path(args.file).stem[:MAX_TITLE_CHARS]
        name = clean_title(args.name or stem) or "dataset"
        info = DatasetStore().save(
            frame,
            name,
            f"file:{Path(args.file).name}",
            # which dataset it is a new version of, for whoever lists them later
            {**split.__dict__, **({"kept_from": earlier_id} if kept is not None else {})},
            dataset_id=args.id or None,
            columns=table.reading(),
        )
        rows = f"{info.rows:,} row{'' if info.rows == 1 else 's'}"
        classes = f"{len(info.labels)} class{'' if len(info.labels) == 1 else 'es'}"
        _print(f"\nSaved dataset {info.id!r}: {rows}, {classes}; splits {_splits(info.split_counts)}.")
        if kept is not None:
            _print(
                f"{kept:,} of its {info.rows:,} texts are in dataset {earlier_id!r} and kept their split there; "
                + (
                    f"the other {info.rows - kept:,} were split anew (the shares apply to them)."
                    if kept < info.rows
                    else "no text was split anew."
                )
                + (
                    f" {moved} training text{'s' if moved != 1 else ''} moved to test or validation, so that "
                    "every class has some."
                    if moved
                    else ""
                )
            )
        _say_alike(DatasetStore(), info, kept_splits=bool(args.split_from))
        if info.labels and not info.split_counts.get("test"):
            # "Train on it: …" was followed by a command that refused the dataset for want of test texts
            pretrain = (
                f" Pretraining takes it as it is: python -m core pretrain --dataset {info.id}"
                if info.rows >= limits.min_pretrain_texts
                else ""
            )
            _print(
                f"It has no test texts (--test {args.test:g}), and training scores a classifier on them, so train "
                "refuses it: import the file again with a test share above 0 (the default is "
                f"{SplitConfig().test_fraction:g}).{pretrain}"
            )
        elif info.labels:
            _print(f"Train on it: python -m core train --dataset {info.id} --encoder bow_mlp")
        elif info.rows >= limits.min_pretrain_texts:  # texts only: pretraining is what they are for
            _print(f"Pretrain on it: python -m core pretrain --dataset {info.id}")
        from core.catalog import BUILTINS

        if info.id != name and _resolves_to(DatasetStore(), name, info.id):
            import shlex  # "--dataset 中文 评论 works too" failed when pasted

            _print(f"(--dataset {shlex.quote(name)} works too while no other dataset has that name.)")
        elif info.id != name and name in BUILTINS:
            # "--dataset bbc" then trained on the built-in BBC set, not on this file, without a word
            _print(
                f"Note: --dataset {name} means the built-in {name} dataset, not this one; give --dataset {info.id} "
                "for this one (or rename it on the Data page)."
            )
    return 0


def _say_alike(store, info, kept_splits: bool = False) -> None:
    """What the Data page says after a save, said here too: another dataset of the same name, of the same
    rows, or named as this one's id (the same file imported twice saved a second copy without a word).
    A labelled import under a taken name, split afresh, is told of --split-from: the Data page keeps the
    splits of the dataset of that name by default, and 98 of a first version's 200 test texts landed in
    the second's training split here."""
    others = [d for d in store.list() if d.id != info.id]
    named = [d.id for d in others if d.name == info.name]
    if named:
        _print(
            f"Note: {len(named)} other dataset{' is' if len(named) == 1 else 's are'} named {info.name!r} "
            f"({', '.join(named[:5])}); all are kept. To keep them apart, rename one on the Data page, or delete "
            f"this one (python -m core data delete --dataset {info.id} --yes) and import it again with --name."
        )
        labelled = [d.id for d in others if d.name == info.name and d.labels]
        if info.labels and labelled and not kept_splits:
            _print(
                f"If this is a new version of {labelled[0]} (labels fixed, rows added), import it with "
                f"--split-from {labelled[0]} instead: its texts then keep their splits, so the test texts stay "
                "test texts and runs before and after are scored alike."
            )
    twin = store.same_rows_as(info)
    if twin is not None:
        _print(
            f"Note: it holds the same rows, split the same way, as {twin.name!r} ({twin.id}). If the file was "
            f"imported twice by mistake, delete one: python -m core data delete --dataset {info.id} --yes"
        )
    shadowed = [d.id for d in others if d.name == info.id]
    if shadowed:  # ids are looked up before names
        _print(
            f"Note: {info.id!r} is also the name of {', '.join(shadowed[:5])}; --dataset {info.id} now means "
            "this dataset (an id is matched before a name)."
        )


def _write_left_out(target: Path, examples, limits, require_labels: bool) -> bool:
    """Every row the import leaves out, with its row number and why, as a CSV at ``target`` (the Data
    page's download): the report names five examples, and a file with 23 conflicting rows needs all 23.
    False, said on stderr, where the file cannot be written."""
    from core.data import left_out_why, rows_counted_as, sift
    from core.export import for_spreadsheets, safe_csv

    left = sift(examples, limits, require_labels=require_labels)[1]
    table = left.assign(reason=[left_out_why(reason, limits) for reason in left["reason"]])
    try:
        target.write_bytes(for_spreadsheets(safe_csv(table.rename(columns={"reason": "why it is left out"}))))
    except OSError as exc:
        _print(f"error: could not write --left-out {target}: {exc.strerror or exc}.", file=sys.stderr)
        return False
    rows = f"{len(left):,} row{'' if len(left) == 1 else 's'}"
    _print(f"\n{rows} left out, each with its row number and why, in {target}. {rows_counted_as(examples)}")
    return True


def _mlm_scores(report: dict) -> str:
    """A pretraining run's held-out scores in words (none when nothing was held out: a loss of 0
    would read as a perfect model)."""
    if report.get("mlm_loss") is None and report.get("n"):
        return "nothing in the held-out texts could be masked (no token of theirs is in the vocabulary), so no held-out score"
    if report.get("mlm_loss") is None:
        return "no held-out texts, so no held-out score"
    from core.evaluation import frequency_reference

    reference = frequency_reference(report)
    return (
        f"held-out MLM loss {report['mlm_loss']:.4f}, masked-token accuracy {report['masked_accuracy']:.4f}, "
        f"perplexity {report['perplexity']:.2f}"
        + (f"\n{'Note: ' if reference[0] else ''}{reference[1]}" if reference else "")
    )


# --------------------------------------------------------------------------- train


def _overrides(pairs: list[str] | None) -> dict:
    from core.config import parse_overrides

    return parse_overrides(pairs or [])


def _train_overrides(args) -> dict:
    overrides = _overrides(args.train_set)
    for key, field in (
        ("epochs", "epochs"),
        ("batch_size", "batch_size"),
        ("lr", "lr"),
        ("seed", "seed"),
        ("threads", "threads"),
        ("time_budget", "time_budget_s"),
        ("processes", "processes"),
        ("micro_batch_size", "micro_batch_size"),
    ):
        value = getattr(args, key, None)
        if value is not None:
            overrides[field] = value
    return overrides


def _minimum_steps_note():
    """A callback that prints, as training starts, why the run trains more epochs than asked (a
    minimum of steps adds them): ``--epochs 3`` trained 43 epochs without a word in the terminal."""
    from core.training.callbacks import Callback

    class MinimumStepsNote(Callback):
        def on_fit_start(self, trainer) -> None:
            note = trainer.minimum_steps_note()
            if note:
                _print(f"{note} (--train-set min_steps=N sets another minimum; 1 trains the epochs asked for)")

    return MinimumStepsNote()


def _train_here(run, job: str, quiet: bool, force: bool = False) -> int:
    """Train, resume or restart ``run`` in this process (waiting for the training slot); Ctrl-C stops it."""
    import signal

    from core.training.callbacks import ProgressBar
    from core.workers import stop_on_signals, train_with_slot

    def waiting(ahead: int) -> None:
        _print(f"waiting for the training slot: {ahead} run(s) ahead (one training job at a time)", file=sys.stderr)

    stop_on_signals(run, (signal.SIGTERM, signal.SIGINT))
    try:
        state = train_with_slot(
            run,
            job,
            callbacks=[_minimum_steps_note(), *([] if quiet else [ProgressBar()])],
            on_wait=waiting,
            fresh=True,
            force=force,
        )
    except StudioError as exc:
        _print(f"error: {exc}", file=sys.stderr)
        return 1
    from core.workers import STOPPED_BY_SIGNAL

    now = run.status().get("state")
    if state == "stopped" and now != "stopped":  # a resume or restart cancelled while it waited for the slot
        _print(f"run {run.id}: the {job} was cancelled before it began; the run is as it was ({now})", file=sys.stderr)
        return 128 + STOPPED_BY_SIGNAL[run.path] if run.path in STOPPED_BY_SIGNAL else 1
    code = _report_run(run, state)

    if state == "stopped" and run.path in STOPPED_BY_SIGNAL and code == 0:
        # stopped by the user's Ctrl-C (130) or a kill (143), as a shell reports it: not a success, or
        # `train … && predict …` and a loop of runs went on
        return 128 + STOPPED_BY_SIGNAL[run.path]
    if state == "stopped":  # by `python -m core stop` or the Train page's Stop: not done either
        return 1
    return code


FINETUNE_FLAGS = ("freeze_encoder", "freeze_embeddings", "freeze_layers", "encoder_lr_scale")  # finetune's own


def _in_flags(message: str, fields: tuple[str, ...]) -> str:
    """A message of core's, which names config fields as the Train page's form does, in the words of
    this command line: ``freeze_layers=5`` is ``--freeze-layers 5`` and ``freeze_encoder`` is
    ``--freeze-encoder`` (a user told to use "freeze_encoder" had no such option)."""
    import re

    for field in fields:
        flag = "--" + field.replace("_", "-")
        # not "FinetuneConfig.freeze_layers": a range message names the config's field, and says so
        message = re.sub(rf"(?<![\w.]){field}=", f"{flag} ", message)
        message = re.sub(rf"(?<![\w.]){field}\b", flag, message)
    return message


def _start_and_execute(make_config, args, flags: tuple[str, ...] = ()) -> int:
    """Create the run ``make_config()`` describes and train it here; ``flags`` are config fields that
    are options of this command, named as options in its error messages."""
    from core.training.distributed import current
    from core.training.runner import start_named_run

    if current().active:
        return _start_as_rank(make_config, args)
    try:
        config = make_config()
        # --name titles the run, as the dashboard's name box does
        run = start_named_run(config, getattr(args, "name", None) or "", run_id=args.run_id)
    except (StudioError, ValueError) as exc:
        _print(f"error: {_in_flags(str(exc), flags)}{_setting_hint(str(exc))}", file=sys.stderr)
        return 1
    what = f"{config.task} {config.encoder} on {config.dataset}"
    if config.source_run:
        what += f" from run {config.source_run}"
    if config.train.processes > 1:  # as torchrun's own start says it: the two ways read alike
        what += f" in {config.train.processes} processes"
    _print(f"run {run.id}: {what}" + (f" ({len(config.labels)} classes)" if config.labels else ""))
    return _train_here(run, "train", args.quiet)


def _start_as_rank(make_config, args) -> int:
    """Under ``torchrun``: rank 0 creates the run and trains it as usual (its lease, the training
    slot); the other ranks learn its id and train beside it."""
    from core.registry import RunStore
    from core.training.distributed import current
    from core.training.runner import execute_run, start_named_run
    from core.training.trainer import resolve_device

    dist = current()
    dist.init(resolve_device(_train_overrides(args).get("device", "auto")))
    run_id, error = None, None
    if dist.is_main:
        try:
            config = make_config()
            config.train.processes = dist.world
            run = start_named_run(config, getattr(args, "name", None) or "", run_id=args.run_id)
            run_id = run.id
        except (StudioError, ValueError) as exc:
            error = str(exc)
    run_id, error = dist.broadcast((run_id, error))
    if error:
        if dist.is_main:
            _print(f"error: {error}", file=sys.stderr)
        return 1
    run = RunStore().get(run_id)
    # every rank leaves the process group before it exits: a rank that left it to the interpreter's
    # teardown once aborted (SIGABRT, "terminate called without an active exception") after a done run
    try:
        if dist.is_main:
            _print(f"run {run.id}: {config.task} {config.encoder} on {config.dataset} in {dist.world} processes")
            return _train_here(run, "train", args.quiet)
        state = execute_run(run)
        return 0 if state in ("done", "stopped") else 1
    finally:
        dist.close()


def cmd_rank(args) -> int:
    """One rank of a data-parallel job that a worker (or the CLI) launched with torchrun for an existing run."""
    from core.registry import RunStore
    from core.training.callbacks import ProgressBar
    from core.training.distributed import current
    from core.training.runner import execute_run
    from core.workers import die_with_parent

    die_with_parent(os.getppid())  # torchrun gone (killed with its worker): no orphan goes on training the run
    run = RunStore().get(args.run)
    dist = current()
    callbacks = [_minimum_steps_note(), *([] if args.quiet else [ProgressBar()])] if dist.is_main else []
    state = execute_run(run, callbacks=callbacks, resume=args.resume)
    dist.close()
    # no summary here: the process that launched torchrun (the CLI, a worker) reports the run once
    return 0 if state in ("done", "stopped") else 1


def cmd_train(args) -> int:
    from core.training.runner import RunConfig

    encoder_overrides = _overrides(args.set)
    members = encoder_overrides.get("members")
    if isinstance(members, str):  # members=a,b or members=[a,b], as the ensemble's config reads it
        members = [m.strip() for m in members.strip().strip("[]").split(",") if m.strip()]
    if isinstance(members, list):  # a run's name works here too, as everywhere
        encoder_overrides["members"] = [_member_id(spec) for spec in members]
    if args.preset:
        encoder_overrides["preset"] = args.preset
    if args.like:
        return _train_like(args, encoder_overrides)
    if not args.dataset:
        _print("error: give --dataset (or --like RUN to start from a saved run's settings).", file=sys.stderr)
        return 2

    def make():
        return RunConfig.create(
            args.dataset,
            args.encoder or "bow_mlp",
            encoder_overrides,
            _train_overrides(args),
            name=args.name or "",
            label_fraction=1.0 if args.label_fraction is None else args.label_fraction,
            vocab_run=args.vocab_from or "",
        )

    return _start_and_execute(make, args)


def _member_id(spec):
    """An ensemble member as the config names it: a family as it is, a run by its id where ``spec`` is its
    name (one no run has is left as it is, for the check that says so)."""
    from core.encoders.ensemble import MEMBER_FAMILIES
    from core.errors import UnknownRunError
    from core.registry import RunStore

    if not isinstance(spec, str) or spec in MEMBER_FAMILIES:
        return spec
    store = RunStore()
    try:
        return store.resolve(spec)
    except UnknownRunError:  # a name two runs share is said as such; none, by the members' check
        from core.names import run_names

        if any(run_names(r)["title"].lower() == spec.lower() for r in store.list()):
            raise
        return spec


def _train_like(args, encoder_overrides: dict) -> int:
    """``train --like RUN``: a new run with a saved run's settings, changed by the options given beside it.

    A reproducibility audit rebuilt a run from its config.json by hand, as 37 --set flags."""
    from dataclasses import asdict

    from core.registry import RunStore
    from core.training.runner import RunConfig, same_settings

    source = RunStore().get(args.like)  # main() turns a StudioError into its message
    like = RunConfig.of_run(source)
    if like.task != "classify":
        how = (
            f"python -m core finetune --from {like.source_run} --dataset {like.dataset}"
            if like.task == "finetune"
            else f"python -m core pretrain --corpus {like.corpus}"
            if like.corpus
            else f"python -m core pretrain --dataset {like.dataset}"
        )
        _print(
            f"error: run {source.id} is a {like.task} run; --like repeats a classifier's settings. Start it with "
            f"{how} and its options (python -m core runs show {source.id} lists them).",
            file=sys.stderr,
        )
        return 2
    if args.encoder and args.encoder != like.encoder:
        _print(
            f"error: run {source.id} is a {like.encoder}; --like keeps its encoder, so --encoder {args.encoder} "
            "would start another family with settings not made for it. Leave out --like to train it.",
            file=sys.stderr,
        )
        return 2
    train = {**asdict(like.train), **_train_overrides(args)}
    encoder_config = dict(like.encoder_config)
    if "preset" in encoder_overrides:  # the saved sizes are the old preset's, filled in: the new one fills its own
        for size in ("d_model", "n_layers", "n_heads", "d_ff"):
            encoder_config.pop(size, None)

    def make():
        return RunConfig.create(
            args.dataset or like.dataset,
            like.encoder,
            {**encoder_config, **encoder_overrides},
            train,
            name=args.name or "",
            label_fraction=like.label_fraction if args.label_fraction is None else args.label_fraction,
            vocab_run=args.vocab_from or like.vocab_run,
        )

    try:
        draft = make()
    except (StudioError, ValueError) as exc:
        _print(f"error: {exc}{_setting_hint(str(exc))}", file=sys.stderr)
        return 1
    changed = encoder_overrides or _train_overrides(args) or args.dataset or args.vocab_from
    changed = changed or args.label_fraction is not None
    _print(f"settings of run {source.id}" + (", changed by the options given" if changed else ""))
    if same_settings(draft.to_dict(), source.config()):
        _print(
            f"note: this repeats run {source.id} with its seed ({like.train.seed}): the same model, up to the "
            "machine's arithmetic (another thread count or torch may round otherwise). --seed N trains another seed."
        )
    return _start_and_execute(make, args)


def cmd_pretrain(args) -> int:
    from core.training.runner import RunConfig

    if bool(args.dataset) == bool(args.corpus):
        _print("error: give either --dataset or --corpus.", file=sys.stderr)
        return 2
    encoder_overrides = _overrides(args.set)
    if args.preset:
        encoder_overrides["preset"] = args.preset
    stored: list[str] = []  # the sample dataset this command stored, if it did

    def make():
        dataset, corpus = args.dataset, ""
        if args.corpus:  # streamed: the run's dataset is a sample of the corpus, for its maps
            from core.corpus import open_corpus, sample_dataset
            from core.registry import DatasetStore
            from core.training.runner import check_corpus_fills_two_windows, encoder_config_from

            source = open_corpus(args.corpus)
            corpus = source.dataset or (str(Path(args.corpus).expanduser().resolve()))
            # before its sample dataset is stored: a corpus too small left one behind
            check_corpus_fills_two_windows(corpus, int(encoder_config_from("transformer", encoder_overrides).max_len))
            root = DatasetStore().root
            before = {folder.name for folder in root.iterdir()} if root.is_dir() else set()
            dataset = sample_dataset(source)
            if dataset not in before:
                stored.append(dataset)
            _print(
                f"streaming the corpus {source.label} (tokenised once into shards); its first texts are dataset "
                f"{dataset!r}, for the run's maps"
            )
        return RunConfig.create(
            dataset,
            "transformer",
            encoder_overrides,
            _train_overrides(args),
            task="pretrain",
            name=args.name or f"pretrain-{Path(args.corpus).stem if args.corpus else dataset}",
            corpus=corpus,
            **({} if args.mask_rate is None else {"mask_rate": args.mask_rate}),
        )

    try:
        return _start_and_execute(make, args)
    finally:
        _drop_unused_sample(stored)


def _drop_unused_sample(stored: list[str]) -> None:
    """Delete a corpus sample this command stored when no run came to use it (the start was refused:
    --lr 50 or wide=true left a "(sample)" dataset behind each time)."""
    import contextlib

    from core.registry import DatasetStore, RunStore

    for dataset in stored:
        if not RunStore().on_dataset(dataset):
            with contextlib.suppress(StudioError, OSError):  # another command's run may have taken it up meanwhile
                DatasetStore().delete(dataset)


def cmd_finetune(args) -> int:
    from core.training.runner import RunConfig

    finetune = {
        "freeze_encoder": args.freeze_encoder,
        "freeze_embeddings": args.freeze_embeddings,
        "freeze_layers": args.freeze_layers,
        "encoder_lr_scale": args.encoder_lr_scale,
    }
    if args.scratch and (
        args.freeze_encoder or args.freeze_embeddings or args.freeze_layers or args.encoder_lr_scale != 1
    ):
        _print(
            "error: --scratch trains from random weights, so there is nothing to freeze or to slow down; "
            "leave out --freeze-encoder, --freeze-embeddings, --freeze-layers and --encoder-lr-scale.",
            file=sys.stderr,
        )
        return 2

    def make():
        if args.scratch:  # no weights are loaded: the warnings about what fine-tuning keeps do not apply
            return scratch_twin_config(args)
        from core.training.runner import (
            LANGUAGE_NAMES,
            LOW_COVERAGE,
            source_coverage,
            source_language_mismatch,
            source_test_overlap,
        )

        try:
            overlap = source_test_overlap(args.source, args.dataset)
        except (StudioError, OSError):
            overlap = None
        if overlap:
            from core.registry import RunStore

            pretrained = RunStore().get(args.source).config().get("task") == "pretrain"
            _print(
                f"warning: {'at least ' if overlap[2] else ''}{overlap[0]:,} of this dataset's {overlap[1]:,} test "
                f"texts were among the texts run {args.source} (or a run it started from) learned on"
                + (
                    ": its test score will flatter it. To measure what pretraining is worth, pretrain on texts that "
                    "leave this dataset's test texts out."
                    if pretrained
                    else ", labels and all: its test score will flatter it. To measure what starting from it is worth, "
                    "start from a run that learned on other texts."
                )
                + (" Only the corpus's sample (its first texts) was checked: more may be in it." if overlap[2] else ""),
                file=sys.stderr,
            )

        try:
            share = source_coverage(args.source, args.dataset)
        except (StudioError, OSError, ValueError):  # an unknown, damaged or unfit source: start_run says why
            share = None
        if share is not None and share < LOW_COVERAGE:  # said before the minutes of training, not after
            _print(
                f"warning: run {args.source}'s vocabulary knows {share:.1%} of this dataset's tokens; the rest read "
                "as unknown, so fine-tuning keeps little of what it learned. "
                + (
                    "Pretrain on texts like these first, or train from scratch."
                    if _source_encoder(args.source) == "transformer"
                    else "Train from scratch on this dataset instead."  # only a Transformer is pretrained
                ),
                file=sys.stderr,
            )
        elif share is not None:
            mismatch = source_language_mismatch(args.source, args.dataset)
            if mismatch:
                learned, target = (LANGUAGE_NAMES[lang] for lang in mismatch)
                _print(
                    f"warning: run {args.source} learned on {learned} texts and this dataset is {target}; it reads "
                    f"{target} as fragments of its {learned} vocabulary, so fine-tuning keeps little of what it "
                    "learned. "
                    + (
                        f"Pretrain on {target} texts first, or train from scratch."
                        if _source_encoder(args.source) == "transformer"
                        else "Train from scratch on this dataset instead."
                    ),
                    file=sys.stderr,
                )
        return RunConfig.create(
            args.dataset,
            encoder_overrides=_overrides(args.set),
            train_overrides=_train_overrides(args),
            task="finetune",
            source_run=args.source,
            finetune=finetune,
            name=args.name or f"finetune-{args.dataset}",
            label_fraction=args.label_fraction,
        )

    return _start_and_execute(make, args, flags=FINETUNE_FLAGS)


def _source_encoder(run_id: str) -> str:
    """The encoder family of run ``run_id`` ("" when it cannot be read)."""
    from core.registry import RunStore

    try:
        return str(RunStore().get(run_id).config().get("encoder") or "")
    except (StudioError, OSError, ValueError):
        return ""


def scratch_twin_config(args):
    """``finetune --scratch``: the fine-tune ``args`` describe, from random weights. The fine-tune's config
    is made first, with every check it has (a shape its source's weights could not fill is refused), and
    the twin takes its encoder and training settings whole, over the source's vocabulary: only the
    starting weights differ.

    ``train --vocab-from <pretraining>``, the twin the README named, shared the vocabulary alone: a plain
    Transformer at lr 1e-3 beside a wide one at 3e-4, and 0.57 against the fine-tune's 0.71 read as
    +14 pt of transfer where the real twin scored 0.74.
    """
    from core.config import to_dict
    from core.registry import RunStore
    from core.training.runner import RunConfig, check_same_shape

    source = RunStore().get(args.source).config()
    encoder = source.get("encoder", "")
    if encoder not in ("bow_mlp", "rbf", "transformer"):
        raise StudioError(
            f"--scratch: run {args.source} is a {encoder or 'unknown'} run. A twin from random weights is made "
            "for bow_mlp, rbf and transformer sources"
            + (" (MiniLM starts from its packaged weights whatever the source)." if encoder == "pretrained" else ".")
        )
    tuned = RunConfig.create(
        args.dataset,
        encoder_overrides=_overrides(args.set),
        train_overrides=_train_overrides(args),
        task="finetune",
        source_run=args.source,
        label_fraction=args.label_fraction,
    )
    check_same_shape(tuned, source)
    return RunConfig.create(
        args.dataset,
        encoder,
        dict(tuned.encoder_config),
        to_dict(tuned.train),
        name=args.name or f"scratch-{args.dataset}",
        label_fraction=args.label_fraction,
        vocab_run=args.source,
    )


def cmd_experiment(args) -> int:
    from core.experiments import (
        LabelEfficiencyConfig,
        format_summary,
        format_trailing,
        run_label_efficiency,
        trailing_pretraining,
    )

    try:
        from core.registry import DatasetStore

        config = LabelEfficiencyConfig(
            dataset=DatasetStore().resolve(args.dataset),  # a dataset's name works as its id, as in train
            fractions=tuple(float(x) for x in args.fractions.split(",")),
            seeds=args.seeds,
            pretrained_run=args.pretrained or "",
            preset=args.preset,
            pretrain_epochs=args.pretrain_epochs,
            steps=args.steps,
            lr=args.lr,
            batch_size=args.batch_size,
            threads=args.threads,
            encoder_overrides=_overrides(args.set),
        )
        if args.background:
            from core.workers import SIDE_NICE, lower_priority

            lower_priority(SIDE_NICE)  # below the server and the user's own training
        from core.registry import new_id

        experiment_id = args.id or new_id(f"label-efficiency-{config.dataset}")
        signalled = _stop_experiment_on_signals(experiment_id)
        result = run_label_efficiency(
            config, progress=lambda m: _print(f"· {m}", file=sys.stderr), experiment_id=experiment_id
        )
        if result.get("status") == "stopped":  # as a stopped train: 130 for Ctrl-C, 143 for kill, 1 otherwise
            # stopped from the Compare page too (its Stop file): an empty table and exit 0 read as a result,
            # and --out failed on the pretraining run that had gone with the stop
            _print(f"experiment {result['id']} stopped; the points it finished are kept.", file=sys.stderr)
            return 128 + signalled[0] if signalled else 1
        if args.out:
            from core.experiments import publishable
            from core.storage import _json_default, write_output

            command = "python -m core " + " ".join(sys.argv[1:]) if sys.argv[1:2] == ["experiment"] else ""
            document = json.dumps(
                publishable(result, command=command), ensure_ascii=False, indent=2, default=_json_default
            )
            write_output(Path(args.out), document.encode("utf-8"))
            _print(f"wrote {args.out}", file=sys.stderr)  # stdout may be the file itself (--out /dev/stdout)
    except (StudioError, ValueError, RuntimeError) as exc:
        _print(f"error: {exc}", file=sys.stderr)
        return 1
    _print(f"experiment {result['id']} (pretrained run {result['pretrained_run']}, {result['seconds']:.0f} s)")
    _print(format_summary(result))
    trailing = trailing_pretraining(result)
    if trailing:
        _print("\n" + format_trailing(trailing))
    return 0


def _stop_experiment_on_signals(experiment_id: str) -> list[int]:
    """Make Ctrl-C and ``kill`` stop the experiment as its Stop button does (the run under way stops
    at its next batch, the points done are kept); a second Ctrl-C stops at once. Returns the list
    the signal received is put in. Uncaught, Ctrl-C recorded the experiment as failed with
    "KeyboardInterrupt" and left its run half-trained."""
    import signal

    from core.experiments import stop_experiment

    received: list[int] = []

    def handler(signum, frame) -> None:
        if signum == signal.SIGINT and received:
            raise KeyboardInterrupt
        received.append(signum)
        try:
            stop_experiment(experiment_id)
        except (OSError, StudioError):  # before its folder exists: nothing under way to stop gracefully
            raise KeyboardInterrupt from None

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, handler)
    return received


def _report_run(run, state: str) -> int:
    status = run.status()
    if state == "failed":
        _print(f"run {run.id} failed: {status.get('error')}", file=sys.stderr)
        return 1
    if state == "stopped" and not (run.checkpoint_dir / "state.pt").is_file():
        _print(
            f"run {run.id} stopped before its first checkpoint, so there is nothing to continue. "
            f"Start it again: python -m core restart --run {run.id}"
        )
        return 0
    if state == "stopped":
        _print(
            f"run {run.id} stopped after {float(status.get('train_seconds') or 0):.1f} s; its checkpoint is kept. "
            f"Continue it: python -m core resume --run {run.id}"
        )
        return 0
    report = run.eval() or {}
    if report.get("task") == "pretrain":
        _print(f"run {run.id} {state} in {float(status.get('train_seconds') or 0):.1f} s: {_mlm_scores(report)}")
        line = _early_end(run)  # a pretraining's time budget ran out unsaid: "done in 28.4 s" alone
        if line:
            _print(line)
        _print(f'Try it: python -m core predict --run {run.id} --fill "..[MASK].."')
        return 0
    if status.get("source_coverage") is not None:
        _print(f"the source vocabulary covers {status['source_coverage']:.1%} of this dataset's tokens")
    _print(
        f"run {run.id} {state} in {float(status.get('train_seconds') or 0):.1f} s: "
        f"test accuracy {report.get('accuracy', float('nan')):.4f}, macro-F1 {report.get('macro_f1', float('nan')):.4f} "
        f"(majority class {report.get('majority_accuracy', float('nan')):.4f})"
    )
    line = _early_end(run)
    if line:
        _print(line)
    return 0


def _early_end(run) -> str | None:
    """Why a finished run trained fewer steps than it planned (its time budget, its step cap, early
    stopping), in a line, as the Train page says it; None when it trained them all."""
    from core.training.callbacks import stop_reason

    metrics = run.metrics()
    steps = [m for m in metrics if m.get("event") == "step"]
    start = next((m for m in reversed(metrics) if m.get("event") == "fit_start"), {})
    planned = start.get("epochs")
    reason = stop_reason(metrics)
    # a cap or a budget inside the last epoch rounds to the plan: its reason tells
    if not (steps and planned and (round(steps[-1]["epoch"]) < planned or reason in ("max_steps", "time budget"))):
        return None
    train = run.config().get("train", {})
    reason = reason or ("time budget" if train.get("time_budget_s") else "early_stopping")
    why = (
        f"the time budget of {train.get('time_budget_s', 0):g} s ran out at step {steps[-1]['step']:,} of "
        f"{start.get('total_steps', 0):,}"
        if reason == "time budget"
        else f"max_steps={train.get('max_steps')} reached"
        if reason == "max_steps"
        else f"no better validation score for {train.get('patience')} epoch(s)"
    )
    reached = float(steps[-1]["epoch"])  # a time budget stops mid-epoch: "epoch 1 of 12" was 0.65 of one
    reached_text = f"{reached:.0f}" if reached.is_integer() else f"{reached:.2f}"
    return f"stopped after {reached_text} of {planned} epochs ({why}); the best weights so far were kept"


def takes_sparse_gradients(config: dict) -> bool:
    """True when the run's model has a bag-of-words table updated sparsely: a bag-of-words MLP (by
    default), or a Transformer's wide part. Data-parallel training refuses such a model."""
    encoder_config = config.get("encoder_config") or {}
    if config.get("encoder") == "bow_mlp":
        return bool(encoder_config.get("sparse_gradients", True))
    return config.get("encoder") == "transformer" and bool(encoder_config.get("wide"))


def cmd_resume(args) -> int:
    from core.registry import RunStore
    from core.training.distributed import current

    run = RunStore().get(args.run)  # main() turns a StudioError into its message
    job = "restart" if args.command == "restart" else "resume"
    dist = current()
    status = run.status()
    live = status.get("state")
    if live in ("queued", "running") and not dist.active:  # refused first: "restarting it from scratch" came before
        owner = (status.get("owner") or {}).get("pid")
        by = f" (in use by pid {owner})" if owner else ""
        raise StudioError(
            f"Run {run.id} is {live}{by}: stop it first (python -m core runs stop {run.id}), then {job} it."
        )
    # refused before --processes is written into the config: a refused resume left processes=2 behind,
    # and the restart after it threw the model away before failing on it
    if job == "restart" and not dist.active:
        from core.training.runner import check_restartable

        try:
            check_restartable(run, force=bool(getattr(args, "yes", False)))
        except StudioError as exc:
            if "--yes" in str(exc) and not getattr(args, "yes", False):
                # the confirmation is missing from the command line: a usage error (2), as for the deletes
                _print(f"error: {exc}", file=sys.stderr)
                return 2
            raise
    elif not dist.active:
        from core.training.runner import check_resumable

        check_resumable(run)
    parallel = (getattr(args, "processes", None) or 1) > 1 and not dist.active
    if parallel and run.config().get("encoder") in ("baseline", "ensemble"):
        # its ranks each failed after the restart had thrown the model away, and every later restart too
        raise StudioError(
            f"Run {run.id} is a {run.config().get('encoder')}: it is not trained by gradient steps, so data-parallel "
            "processes have nothing to share. Leave out --processes."
        )
    if parallel and takes_sparse_gradients(run.config()):
        raise StudioError(
            f"Run {run.id}'s encoder updates its bag of words with sparse gradients, which data-parallel training "
            "cannot share between processes. Leave out --processes: it trains in seconds to minutes in one."
        )
    # a checkpoint resumes in any number of processes and threads: both are the machine's, not the model's
    changes = {key: getattr(args, key, None) for key in ("processes", "threads")}
    changes = {key: value for key, value in changes.items() if value is not None}
    if changes and not dist.active:
        from core.training.runner import RunConfig

        config = run.config()
        config["train"] = dict(config.get("train") or {}, **changes)
        RunConfig.from_dict(config)  # a value out of range is refused here, not written to make the run unreadable
        run.write_config(config)
    if dist.active and not dist.is_main:  # under torchrun: rank 0 owns the run; this rank trains beside it
        from core.training.runner import device_of, execute_run

        dist.init(device_of(run))
        try:
            state = execute_run(run, resume=job == "resume")
        finally:
            dist.close()  # as in _start_as_rank: leave the group before exiting
        return 0 if state in ("done", "stopped") else 1
    config = run.config()
    # what train says first: resume and restart began with seconds of silence (the first line came 7-18 s later)
    how = (
        "resuming it from its checkpoint"
        if job == "resume"
        else "restarting it (members that finished are used as they are)"
        if config.get("encoder") == "ensemble"
        else "restarting it from scratch"
    )
    _print(
        f"run {run.id}: {config.get('task') or 'classify'} {config.get('encoder')} on {config.get('dataset')}, {how}"
    )
    return _train_here(run, job, args.quiet, force=bool(getattr(args, "yes", False)))


def cmd_stop(args) -> int:
    import time

    from core.registry import RunStore
    from core.workers import stop

    run = RunStore().get(args.run)  # main() turns a StudioError into its message
    if not stop(run):
        _print(f"Run {args.run} is {run.status().get('state')}; there is nothing to stop.", file=sys.stderr)
        return 1
    if run.raw_status().get("state") == "queued":
        _print(f"taking run {args.run} out of the queue…")
    else:
        _print(f"stopping run {args.run} after its current batch (the checkpoint is kept)…")
    deadline = time.monotonic() + args.wait
    while time.monotonic() < deadline and run.status().get("state") in ("queued", "running"):
        time.sleep(0.1)
    state = run.status().get("state")
    _print(f"run {args.run} is {state}")
    return 0 if state not in ("queued", "running") or args.wait == 0 else 1


def cmd_workers(args) -> int:
    from core.workers import live_workers

    rows = [[w["pid"], w["run"], w["job"]] for w in live_workers()]
    _print(_table(rows, ["pid", "run", "job"]) if rows else "No worker processes are running.")
    if rows:
        _print("Stop a run gracefully with: python -m core stop --run <run> (or kill <pid>: SIGTERM also stops it).")
    return 0


def cmd_worker(args) -> int:
    from core.workers import run_worker

    try:
        return run_worker(
            args.run,
            args.job,
            name=args.name or "",
            lease_fd=args.lease_fd,
            reserve_cores=args.reserve_cores,
            map_after=args.map,
            background=args.background,
            force=args.force,
        )
    except StudioError as exc:
        _print(f"error: {exc}", file=sys.stderr)
        return 1


# --------------------------------------------------------------------------- evaluate, predict


def _against_baseline_text(run, report: dict) -> str | None:
    """The run's margin over the dataset's TF-IDF + LR baseline, and whether McNemar's test can tell it
    from chance (the question the pages answer first); None for the baseline itself."""
    from core.baselines import against_baseline, baseline_run, is_plain_baseline

    config = run.config()
    if is_plain_baseline(config):
        return None
    base = baseline_run(config["dataset"], config.get("data_fingerprint"))
    base_report = base.eval() if base is not None and base.status().get("state") == "done" else None
    if base_report is None or base_report.get("accuracy") is None:
        return (
            "baseline: none trained on this dataset yet, so no margin to show: "
            f"python -m core train --dataset {config['dataset']} --encoder baseline"
        )
    gain = round(100 * (float(report["accuracy"]) - float(base_report["accuracy"])), 2) + 0.0  # never "-0.00"
    line = f"vs the baseline (TF-IDF + LR, run {base.id}, accuracy {base_report['accuracy']:.4f}): {gain:+.2f} pt"
    test = against_baseline(run, base)
    if test is None:
        return line
    texts = "test text" if test.only_a_right == 1 else "test texts"
    only = f"{test.only_a_right} {texts} right only here, {test.only_b_right} only by the baseline"
    # as the pages write it: "p = 0.45" here and "p = 0.4531" on Compare read as two tests
    p = "McNemar p < 0.0001" if test.p_value < 0.0001 else f"McNemar p = {test.p_value:.4f}"
    if test.p_value >= 0.05:
        return f"{line}; {p}: the gap could be chance ({only})"
    if test.p_value >= 0.005:  # as Compare says it: one pair of many, one seed
        return f"{line}; {p}: weak evidence with several runs compared or another seed ({only})"
    return f"{line}; {p} ({only})"


def cmd_evaluate(args) -> int:
    from core.registry import RunStore

    run = RunStore().get(args.run)  # main() turns a StudioError into its message
    if args.on is None and args.split != "test":
        # every text of its own dataset, to find wrong labels: the way there, not only the refusal
        from core.registry import DatasetStore

        own = run.config().get("dataset") or "DATASET"
        own = own if DatasetStore().exists(own) else "DATASET"  # deleted since: no id to copy that fails
        _print(
            f"error: --split goes with --on DATASET. To score every labelled text of the run's own dataset (to find "
            f"wrong labels): python -m core evaluate --run {run.id} --on {own} --split all --mistakes wrong.csv",
            file=sys.stderr,
        )
        return 2
    if args.on is not None:
        if args.again:
            _print(
                "error: --again rebuilds the run's own evaluation and --on scores it elsewhere; give one.",
                file=sys.stderr,
            )
            return 2
        return _evaluate_on(run, args)
    if args.again:
        from core.training.runner import evaluate_saved_run

        if not run.model_path.is_file():
            _print(f"Run {args.run} has no saved weights to evaluate.", file=sys.stderr)
            return 1
        with run.acquire("evaluate"):
            said: list[str] = []

            def say(phase: str, _share) -> None:
                if phase not in said:  # each phase once: its share comes every second
                    said.append(phase)
                    _print(f"{phase}…", file=sys.stderr)  # progress, as every command's: stdout is the result

            evaluate_saved_run(run, progress=None if args.json else say)
    report = run.eval()
    if report is None:
        state = run.status().get("state")
        _print(f"Run {args.run} has no evaluation yet (state: {state}).", file=sys.stderr)
        if state in ("stopped", "interrupted", "failed"):
            if run.model_path.is_file():  # what the dashboard's "Evaluate this checkpoint" does
                _print(
                    f"Evaluate its saved weights as they are: python -m core evaluate --run {run.id} --again",
                    file=sys.stderr,
                )
            if (run.checkpoint_dir / "state.pt").is_file():
                # "Or …" with nothing before it where the run has no saved weights to evaluate
                lead = "Or train on" if run.model_path.is_file() else "Train on"
                _print(f"{lead} from its checkpoint: python -m core resume --run {run.id}", file=sys.stderr)
        elif state in ("queued", "running"):
            _print(
                "It is evaluated when its training ends: python -m core runs list shows its progress.", file=sys.stderr
            )
        return 1
    if args.mistakes:
        if report.get("task") == "pretrain":
            _print(
                f"error: run {run.id} is a pretraining run: it classifies nothing, so it has no mistakes.",
                file=sys.stderr,
            )
            return 2
        written = _write_own_mistakes(run, Path(args.mistakes))
        _print(
            f"{written:,} mistake(s) on the test split, most confident first, written to {args.mistakes}",
            file=sys.stderr,
        )
    if args.json:
        _print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    if report.get("task") == "pretrain":  # no classes: its scores are the held-out MLM ones
        from core.evaluation import held_out_window_tokens

        n, window = int(report["n"]), held_out_window_tokens(report, run.config())
        if window:  # a streamed corpus is scored on windows of it, not on texts
            _print(
                f"{report['encoder']} pretrained on the corpus {report['corpus']} "
                f"({n:,} held-out window{'' if n == 1 else 's'} of {window:,} tokens)"
            )
        else:
            _print(
                f"{report['encoder']} pretrained on {report['dataset']} ({n:,} held-out text{'' if n == 1 else 's'})"
            )
        _print(_mlm_scores(report))
        from core.names import is_experiment_run

        tuned = [r for r in RunStore().list() if r.config().get("source_run") == run.id]
        own = sorted(r.id for r in tuned if not is_experiment_run(r))
        made = len(tuned) - len(own)  # an experiment's arms: counted, not listed (12 for the full one)
        if own:  # its lineage, as the page shows it: which runs started from these weights
            _print(f"fine-tuned from it: {', '.join(own)}")
        if made:
            _print(f"experiments fine-tuned {made} run{'' if made == 1 else 's'} from it")
        return 0
    source = run.config().get("source_run")
    lineage = f", fine-tuned from run {source}" if source else ""  # only runs show named it
    _print(f"{report['encoder']} on {report['dataset']} ({report['n']} test texts{lineage})")
    from core.registry import DatasetStore
    from core.training.runner import learned_splits

    store = DatasetStore()
    if store.exists(report["dataset"]) and learned_splits(run.config(), store) is None:
        _print(
            f"note: dataset {report['dataset']} was imported again since this run trained (other rows under the same "
            "id): these scores are of the rows it was trained on then."
        )
    _print(
        f"accuracy {report['accuracy']:.4f}   macro-F1 {report['macro_f1']:.4f}   majority class {report['majority_accuracy']:.4f}"
    )
    from core.evaluation import FEW_TEST_TEXTS, accuracy_range, never_right

    n = int(report.get("n") or 0)
    if 0 < n < FEW_TEST_TEXTS:  # as the Evaluate page says it: "accuracy 0.0000" on 2 texts read as a verdict
        low, high = accuracy_range(report["accuracy"], n)
        _print(
            f"note: only {n} test text{'' if n == 1 else 's'}: one more right or wrong moves accuracy by "
            f"{100 / n:.1f} pt; the accuracy could well be anywhere from {low:.0%} to {high:.0%} (95% range)."
        )

    overlap = report.get("source_overlap")
    if isinstance(overlap, dict) and overlap.get("seen"):  # said at the fine-tune's start, and here again
        _print(
            f"note: {'at least ' if overlap.get('at_least') else ''}{overlap['seen']:,} of the {overlap['test']:,} test "
            "texts were among the texts the encoder it started from (or a run before that) learned on, so these "
            "scores flatter it."
        )
    never = never_right(report)
    if never:  # 98.5% accuracy that never once caught the rare class read as a fine model
        _print(
            "never right: "
            + ", ".join(f"{c['label']} (0 of {c['support']})" for c in never)
            + " (no test text of "
            + ("this class" if len(never) == 1 else "these classes")
            + " was classified as it)"
        )
    if "calibration" in report:
        _print(f"expected calibration error {report['calibration']['ece']:.4f}")
    margin = _against_baseline_text(run, report)
    if margin:
        _print(margin)
    rows = [
        [c["label"], f"{c['precision']:.3f}", f"{c['recall']:.3f}", f"{c['f1']:.3f}", c["support"]]
        for c in report["per_class"]
    ]
    _print(_table(rows, ["class", "precision", "recall", "f1", "support"]))
    _print("\nconfusion (rows: true, columns: predicted)")
    labels = report["labels"]
    _print(_table([[labels[i], *row] for i, row in enumerate(report["confusion"])], ["", *labels]))
    return 0


def _write_own_mistakes(run, path: Path) -> int:
    """The run's misclassified test texts as CSV at ``path``, as the Evaluate page's download (with each
    text's row in its file where the dataset keeps them); returns how many."""
    from core.data import FILE_ROW
    from core.export import for_spreadsheets, safe_csv
    from core.storage import write_output

    points = run.points()
    test = points[points["split"] == "test"]
    wrong = test[test["label"] != test["pred"]].sort_values("confidence", ascending=False, kind="stable")
    rows = [FILE_ROW] if FILE_ROW in wrong.columns else []
    table = wrong[[*rows, "text", "label", "pred", "confidence"]].astype({"confidence": float})
    write_output(path, for_spreadsheets(safe_csv(table.round({"confidence": 4}))))
    return len(table)


def _evaluate_on(run, args) -> int:
    """``evaluate --on``: the run scored on another dataset, beside its score on its own test split."""
    from tqdm.auto import tqdm

    from core.crosseval import score_on_dataset
    from core.evaluation import accuracy_range
    from core.training.callbacks import is_terminal

    bar = tqdm(desc="classifying", unit="text", disable=args.json or not is_terminal(sys.stderr), file=sys.stderr)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    with bar:
        report = score_on_dataset(run, args.on, part=args.split, progress=progress)
    mistakes = report.pop("mistakes")
    if args.mistakes:
        import pandas as pd

        from core.data import FILE_ROW
        from core.export import for_spreadsheets, safe_csv
        from core.storage import write_output

        rows = [FILE_ROW] if mistakes and FILE_ROW in mistakes[0] else []  # where the dataset keeps its file's rows
        table = pd.DataFrame(mistakes, columns=[*rows, "text", "label", "pred", "confidence"])  # as the page's
        write_output(Path(args.mistakes), for_spreadsheets(safe_csv(table.round({"confidence": 4}))))
    if args.json:
        _print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    own = report.get("own_accuracy")
    own_all = (run.eval() or {}).get("accuracy")
    trained_on = run.config().get("dataset")
    _print(
        f"run {run.id} ({run.config().get('encoder')}, trained on {trained_on}"
        + (f": accuracy {own_all:.4f} on its own test split)" if own_all is not None else ")")
    )
    where = "its test split" if report["part"] == "test" else "all its labelled texts"
    n = report["n"]
    _print(f"scored on {report['dataset_name']} ({report['dataset']}), {where}: {n:,} text{'' if n == 1 else 's'}")
    against = "against its own test split"
    if report.get("own_same_classes"):  # a subset of its classes: compared with its own texts of them
        n_classes = sum(1 for row in report["per_class"] if row["support"] > 0)
        against = f"against its own test texts of these {n_classes} classes"
    seen, rest = report["seen_in_training"], report.get("unseen")
    # the headline is a test, as on the page: where the run learned from some of the texts, its score on the
    # others leads (0.8231 over every text led, the honest 0.7241 came in a note below it)
    honest = rest if seen and rest else report
    low, high = accuracy_range(honest["accuracy"], honest["n"])
    line = f"accuracy {honest['accuracy']:.4f} (95% range {low:.3f}-{high:.3f})   macro-F1 {honest['macro_f1']:.4f}"
    if own is not None and (not seen or rest):  # texts it learned from would flatter the shift
        # in points, as evaluate's margin over the baseline and the page say it (+0.0513 beside "+5.1 pt")
        line += f"   {100 * (honest['accuracy'] - own):+.2f} pt {against}"
    if honest is rest:
        line = f"on the {rest['n']:,} texts it never learned: " + line
    _print(line)
    unknown = report["unknown_labels"]
    if unknown:
        left = sum(unknown.values())
        named = ", ".join(f"{label} ({count:,})" for label, count in unknown.items())
        _print(f"left out: {left:,} text{'' if left == 1 else 's'} of classes the run never learned: {named}")
    if seen is None and report.get("trained_texts_unknown") == "changed":
        _print(
            f"note: the run's own dataset, {trained_on}, was imported again since it trained (other rows under "
            "the same id), so which of these texts it learned from cannot be told."
        )
    elif seen is None:
        _print(
            f"note: the run's own dataset, {trained_on}, is gone, so whether it trained on any of these texts "
            "cannot be told."
        )
    elif seen:
        said = f"note: the run trained on {seen:,} of these {n:,} texts, so on them this is no test"
        if rest:
            said += (
                f"; the scores above are of the other {rest['n']:,}. Over all {n:,}: accuracy "
                f"{report['accuracy']:.4f}, macro-F1 {report['macro_f1']:.4f} (the table below)"
            )
        _print(said + ".")
    learned = report.get("learned_from_dataset")
    if report["part"] == "test" and learned == 0 and report.get("labelled_texts", 0) > n:
        _print(
            f"note: the run learned from none of this dataset's {report['labelled_texts']:,} labelled texts, so "
            "every one of them is a test: --split all scores all of them, for a surer figure."
        )
    # classes with no text here scored 0 in every column, as if the model failed them; they are named instead
    rows = [
        [c["label"], f"{c['precision']:.3f}", f"{c['recall']:.3f}", f"{c['f1']:.3f}", c["support"]]
        for c in report["per_class"]
        if c["support"]
    ]
    absent = [c["label"] for c in report["per_class"] if not c["support"]]
    if absent:
        _print(f"classes with no text here (left out of macro-F1 and the table): {', '.join(absent)}")
    _print(_table(rows, ["class", "precision", "recall", "f1", "support"]))
    _print("\nconfusion (rows: true, columns: predicted)")
    labels = report["labels"]
    _print(_table([[labels[i], *row] for i, row in enumerate(report["confusion"])], ["", *labels]))
    if args.mistakes:
        _print(f"\n{len(mistakes):,} mistake(s), most confident first, written to {args.mistakes}", file=sys.stderr)
    return 0


def _search_index(args):
    """The run's predictor and its index of ``--collection`` (built first, with progress, when missing)."""
    from core.inference import Predictor
    from core.registry import RunStore
    from core.search import SearchIndex, load_collection

    run = RunStore().get(args.run)
    predictor = Predictor.from_run(run.path)
    collection = load_collection(args.collection)

    from core.training.callbacks import is_terminal

    terminal = is_terminal(sys.stderr)
    said: list[str] = []

    def progress(phase: str, fraction: float | None = None) -> None:
        if terminal:
            _print(f"\r{phase:<72}", end="", file=sys.stderr)  # padded: a shorter phase covers a longer one
        elif phase not in said:  # a log file: each phase once, on a line of its own (no \r redraws)
            said.append(phase)
            _print(phase, file=sys.stderr)

    try:
        index = SearchIndex.load(run.path, collection.key, collection.source)
    except StudioError:
        _print(f"building the search index of {collection.name} with run {run.id} (once)", file=sys.stderr)
        index = SearchIndex.build(run.path, collection, progress, predictor)
        if terminal:
            _print("", file=sys.stderr)
    return predictor, index


def _print_results(results, args, extra: dict) -> int:
    results = results.assign(id=results["id"] + 1)  # #1 is the first text, as on the Search page
    if args.format == "csv":  # scores to four decimals, as the JSON gives them
        _print(results.assign(score=results["score"].astype(float).round(4)).to_csv(index=False).rstrip("\n"))
    else:
        rows = [
            {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
            for row in results.astype(object).to_dict("records")
        ]
        for row in rows:
            row["score"] = round(float(row["score"]), 4)
        _print(json.dumps({**extra, "results": rows}, ensure_ascii=False, indent=1))
    return 0


def _filters(args, index) -> dict:
    """The search filters of ``args``; a label no stored text has is refused (a typo printed a bare header)."""
    if args.label:
        present = sorted({str(v) for v in index.items["label"].dropna()})
        unknown = [label for label in args.label if label not in present]
        if unknown:
            shown = ", ".join(map(repr, present[:12])) + (", …" if len(present) > 12 else "")
            raise StudioError(
                f"No text of this collection has the label {unknown[0]!r}"
                + (f"; its labels are {shown}." if present else "; it has no labels.")
            )
    return {"labels": args.label or None, "langs": args.lang or None}


def cmd_search(args) -> int:
    """Search a collection by meaning with a run's encoder."""
    if not args.query.strip():
        raise StudioError("The query is empty: give --query the words to search for.")
    from core.data import has_content

    if not has_content(args.query):  # "。" ranked every text by the model's bias, the first at 0.81
        raise StudioError(
            "The query has no words, only punctuation, symbols or emoji: there is nothing to search by. "
            "Give --query a word or two."
        )
    predictor, index = _search_index(args)
    from core.search import only_common_words

    if only_common_words(args.query):
        _print(
            "warning: the query is only common words (the, and, of, 的…), which say nothing about a topic: the "
            "results are little better than a random pick. Add a word that says what you are looking for.",
            file=sys.stderr,
        )
    known = predictor.known_share(args.query)
    if known == 0:  # a bias-only vector would rank every text, and high
        from core.search import words_starting_with

        alike = words_starting_with(args.query, index.items["text"]) if "text" in index.items else []
        raise StudioError(
            f"None of the query's words are in the vocabulary of run {args.run}: it cannot place the query. "
            + (
                "Words of the collection that start with it: "
                + ", ".join(f"{word} ({count:,})" for word, count in alike)
                + "."
                if alike
                else "Try words from the collection's language."
            )
        )
    if known is not None and known < 0.5:  # as the Search page warns
        _print(
            f"warning: only {known:.0%} of the query's words are in the vocabulary of run {args.run}, so the "
            "results say little about it. Try words from the collection's language.",
            file=sys.stderr,
        )
    vector = index.embed_query(predictor, args.query)
    if args.diverse is not None:
        results = index.diverse(vector, args.k, balance=args.diverse, **_filters(args, index))
    else:
        results = index.top(vector, args.k, **_filters(args, index))
    return _print_results(
        results, args, {"query": args.query, "run": args.run, "collection": index.manifest["collection"]}
    )


def cmd_similar(args) -> int:
    """Texts like stored text ``--id`` of a collection ("more like this")."""
    _, index = _search_index(args)
    item = args.id - 1  # counted from 1, as the Search page numbers the texts
    vector = index.item_vector(item)
    if args.diverse is not None:
        # its copies left out too, as plain `similar` and the page's "More like this" leave them out
        copies = index.ids_of([str(index.items["text"].iloc[item])])
        results = index.diverse(vector, args.k, balance=args.diverse, exclude={item} | copies, **_filters(args, index))
    else:
        results = index.more_like(item, args.k, **_filters(args, index))
    extra = {"id": args.id, "text": index.items.iloc[item]["text"], "run": args.run}
    return _print_results(results, args, extra)


def _probability_lines(labels: list[str], proba) -> list[str]:
    """One line per class, most likely first: name, probability, bar; the columns line up in a
    terminal whatever the script (a Chinese character takes two columns)."""
    pad = max(20, *(_width(label) for label in labels))
    order = sorted(range(len(labels)), key=lambda j: -proba[j])
    return [
        f"  {labels[j]}{' ' * (pad - _width(labels[j]))} {proba[j]:.4f}  {'█' * round(proba[j] * 30)}" for j in order
    ]


NOT_CSV_SUFFIXES = (
    ".xlsx",
    ".xlsm",
    ".xlsb",
    ".xls",
    ".ods",
    ".json",
    ".jsonl",
    ".parquet",
    ".feather",
    ".tsv",
    ".zip",
    ".gz",
)


def predict_out_problem(
    out: str | None,
    source: str | None,
    option: str = "--out",
    what: str = "the predictions",
    example: str = "predictions.csv",
) -> str | None:
    """Why ``predict --out`` (or another CSV ``option``) must not write where it was told: the input file
    itself (a workbook became a CSV of predictions in its place), or a name that promises another format."""
    if not out:
        return None
    target = Path(out)
    # samefile: a hard link, or another spelling on a case-insensitive disk, is the input too
    if source and target.exists() and Path(source).exists() and os.path.samefile(target, source):
        return (
            f"{option} {out} is the input file: {what} would replace it. Give {option} another file name, "
            f"e.g. {example}."
        )
    if target.suffix.lower() in NOT_CSV_SUFFIXES:
        return f"{option} writes CSV, so {target.name} would be a CSV under a {target.suffix} name. End it in .csv."
    return None


ECHO_CHARS = 200  # of a --text printed above its answer


def cmd_predict(args) -> int:
    from core.inference import Predictor
    from core.registry import RunStore

    if getattr(args, "texts", None):
        args.text = [*(args.text or []), *args.texts]
    # one source of texts: with --file, every --text went unclassified and the exit was 0
    given = [flag for flag, value in (("--text", args.text), ("--file", args.file), ("--fill", args.fill)) if value]
    if len(given) > 1:
        _print(
            f"error: {' and '.join(given)} cannot be given together: classify texts (--text), a file (--file) or "
            "fill masks (--fill), one per command.",
            file=sys.stderr,
        )
        return 2
    problem = predict_out_problem(args.out, args.file)
    if problem:  # before the model loads: nothing is read or written
        _print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        run = RunStore().get(args.run)
        predictor = Predictor.from_run(run.path)
    except StudioError as exc:
        _print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.fill:
        from core.inference import MaskedLMPredictor

        if not isinstance(predictor, MaskedLMPredictor):
            _print("error: --fill needs a pretraining run (MLM); this run is a classifier.", file=sys.stderr)
            return 1
        for text in args.fill:  # repeatable, as --text is: a second --fill replaced the first without a word
            try:
                fills = predictor.fill(text)
            except StudioError as exc:
                _print(f"error: {exc}", file=sys.stderr)
                return 1
            _print(text)
            for i, fill in enumerate(fills, 1):
                _print(f"  [MASK] #{i}: " + "  ".join(f"{tok} {p:.3f}" for tok, p in fill.candidates))
        return 0
    if not predictor.labels:
        _print("error: this is a pretraining run; use --fill, or fine-tune it to classify.", file=sys.stderr)
        return 1
    if args.file:
        from core.data import load_file

        def read(columns):
            return load_file(
                Path(args.file),
                encoding=args.encoding,
                text_column=columns,
                sheet=args.sheet,
                header=args.header,
                quoting=args.quoting,
                separator=_separator(args),
            )

        try:
            table = read(args.text_col)
            if not args.text_col:  # the columns the run learned from, where the file has them, not a guess
                from core.inference import columns_as_trained, trained_text_columns

                chosen, said = columns_as_trained(
                    trained_text_columns(run.path), table.columns, table.chosen_text_columns
                )
                if said:
                    _print(f"note: {said}", file=sys.stderr)
                if chosen and chosen != table.chosen_text_columns:
                    table = read(chosen)
        except DataError as exc:
            _print(str(exc), file=sys.stderr)
            return 1
        from core.data import NUMBERS_NOT_TEXT, DataLimits, number_share, texts_to_predict

        # what the page shows before a batch starts: the column read, and what is wrong with the file
        joined = " + ".join(repr(c) for c in table.chosen_text_columns)
        what = f"columns {joined} (joined)" if len(table.chosen_text_columns) > 1 else f"column {joined}"
        _print(f"classifying {what} of {Path(args.file).name}", file=sys.stderr)
        for note in table.notes:
            if note.code == "one_class_column":  # about picking a label column to train on: none is picked here
                continue
            _print(f"{'note' if note.severity == 'info' else 'warning'}: {note.message}", file=sys.stderr)
        if table.header and len(table.columns) == 1 and args.header is None and table.file_format in ("csv", "tsv"):
            # one column: its first line was taken for a name, and that text went unclassified without a word
            _print(
                f"note: the first line, {str(table.columns[0])[:60]!r}, was read as the column's name; if it is a "
                "text to classify, add --no-header.",
                file=sys.stderr,
            )
        if table.chosen_text_columns and all(  # an id joined with a text column is text to read
            column in table.frame.columns and number_share(table.frame[column]) >= NUMBERS_NOT_TEXT
            for column in table.chosen_text_columns
        ):
            _print(
                f"warning: the column {table.text_column!r} holds numbers, not text: the model gives every row much "
                "the same answer. Name the column that holds the texts with --text-col.",
                file=sys.stderr,
            )
        texts, cut = texts_to_predict(table)
        if cut:
            _print(
                f"note: {cut:,} text(s) longer than {DataLimits().max_text_chars:,} characters were cut to that "
                "length, as for training.",
                file=sys.stderr,
            )
    else:
        texts = list(args.text or [])
        if any(not text.strip() for text in texts):  # the page leaves a blank text unclassified, so does this
            _print("error: a --text is empty; give the words to classify.", file=sys.stderr)
            return 2
        from core.data import DataLimits
        from core.text import composed_all

        limit = DataLimits().max_text_chars  # as a file's rows: a bag model read the whole and answered otherwise
        # composed (NFC) before the cut, as the bundle and the Playground do: a decomposed text cut first kept
        # fewer letters, and the answer here differed from the exported model's
        texts = composed_all(texts)
        if any(len(text) > limit for text in texts):
            _print(
                f"note: a --text longer than {limit:,} characters was cut to that length, as for training.",
                file=sys.stderr,
            )
            texts = [text[:limit] for text in texts]
    if not texts:
        _print("error: give --text TEXT (repeatable) or --file FILE.", file=sys.stderr)
        return 2
    from tqdm.auto import tqdm

    if args.out or args.file:
        from core.export import safe_csv
        from core.inference import batch_predictions, blank_count
        from core.training.callbacks import is_terminal

        filled = sum(1 for text in texts if text.strip())  # blank ones are not classified
        bar_drawn = filled > 512 and is_terminal(sys.stderr)  # a log file got the bar's \r redraws
        if filled > 512 and not bar_drawn:
            _print(f"predicting {filled:,} texts…", file=sys.stderr)
        with tqdm(total=filled, desc="predicting", unit="text", disable=not bar_drawn, file=sys.stderr) as bar:
            frame = batch_predictions(predictor, texts, progress=lambda done: bar.update(done - bar.n))
        blank = blank_count(frame)
        if blank:
            _print(f"note: {blank:,} blank row(s) were left unclassified (an empty prediction).", file=sys.stderr)
        if args.file:  # a labelled file's answers beside the predictions: the page counted the matches, this did not
            from core.inference import agreement_with_file

            agreement = agreement_with_file(
                frame["prediction"].tolist(), table.frame, predictor.labels, table.chosen_text_columns
            )
            if agreement and agreement.get("rows"):
                _print(
                    f"note: the file's column {agreement['column']!r} holds this model's classes: the predictions "
                    f"agree with it on {agreement['agree']:,} of {agreement['rows']:,} rows "
                    f"({agreement['agree'] / agreement['rows']:.1%}).",
                    file=sys.stderr,
                )
        if args.file and args.keep_columns:  # the input's own columns (an id, an expected label) come first
            from core.inference import with_source_columns

            # a file's own column is replaced by the texts classified only when that column is all they are:
            # joined, "text" + "notes" overwrote the file's "text" with the joined texts (a review finding)
            single = table.text_column if len(table.chosen_text_columns) == 1 else None
            frame = with_source_columns(frame, table.frame, single)
            from core.inference import renamed_note

            if (said := renamed_note(frame.attrs.get("renamed") or {})) is not None:
                _print(f"note: {said}", file=sys.stderr)
        if args.out:  # a file is likely opened in a spreadsheet; standard output goes to other programs as it is
            from core.export import for_spreadsheets
            from core.storage import write_output

            # with a byte-order mark, as the dashboard's downloads: Excel on a Chinese Windows read it garbled
            write_output(Path(args.out), for_spreadsheets(safe_csv(frame)))
            # on stderr: with --out /dev/stdout, this line ended the CSV (or, redirected, overwrote its header)
            _print(f"wrote {len(frame):,} prediction{'' if len(frame) == 1 else 's'} to {args.out}", file=sys.stderr)
        else:
            sys.stdout.write(frame.to_csv(index=False))
        return 0
    proba = predictor.predict_proba(texts)  # a few --text values, printed one by one
    for text, row in zip(texts, proba, strict=True):
        # a 5,000-character stack trace was echoed whole (66 lines) above its answer
        shown = " ".join(text.split())
        _print(shown if len(shown) <= ECHO_CHARS else f"{shown[: ECHO_CHARS - 1]}… ({len(text):,} characters)")
        _print("\n".join(_probability_lines(predictor.labels, row)))
        stops = predictor.unread_from(text) if hasattr(predictor, "unread_from") else None
        if stops is not None:  # as the Playground says it: the end of a long text plays no part
            rest = " ".join(text[stops:].split())
            _print(
                f"note: the model reads only its first {len(predictor.tokens(text)):,} tokens: the text from "
                f"{rest[:20] + ('…' if len(rest) > 20 else '')!r} on plays no part in the answer.",
                file=sys.stderr,
            )
        from core.data import has_content

        # "🙂🙂" read "food 0.9999" with no word said, where the Playground warns that the answer means nothing;
        # an English model's word tokenizer drops emoji, so no tokens at all counts as none known (a model that
        # reads characters learned them: its share says what it knows)
        known = predictor.known_share(text) if has_content(text) and predictor.tokens(text) else 0.0
        if known is not None and known < 0.5:
            _print(
                "  warning: "
                + (
                    "none of this text's words are in the model's vocabulary, so the answer says nothing about it"
                    if known == 0
                    else f"only {known:.0%} of this text's words are in the model's vocabulary, so the answer says "
                    "little about it"
                )
                + ", however confident.",
                file=sys.stderr,
            )
    return 0


# --------------------------------------------------------------------------- runs


def cmd_runs(args) -> int:
    from core.names import run_names
    from core.registry import RunStore

    store = RunStore()
    if getattr(args, "run_option", None):
        if args.run and args.run != args.run_option:
            _print(f"error: two runs given ({args.run!r} and --run {args.run_option!r}); give one.", file=sys.stderr)
            return 2
        args.run = args.run_option
    if args.more and args.action not in ("delete", "list"):
        _print(f"error: 'runs {args.action}' takes one run; several are for 'runs delete'.", file=sys.stderr)
        return 2
    try:
        if args.action == "list":
            ignored = [flag for flag, given in (("--title", args.title), ("--yes", args.yes)) if given]
            ignored += [name for name in (args.run, *args.more) if name]
            if ignored:  # "runs list --tag keep" listed every run: an option is used or refused
                _print(
                    f"error: 'runs list' takes --dataset, --tag and --json, not {', '.join(ignored)}.", file=sys.stderr
                )
                return 2
            from core.registry import DatasetStore

            rows, records = [], []
            runs = store.list()
            wanted = args.dataset
            if wanted and not any(run.config().get("dataset") == wanted for run in runs):
                # a name, as train takes it ("No runs on dataset news" after 'train --dataset news'); a
                # misspelt one is an error, as everywhere else, not an empty list with exit code 0
                wanted = DatasetStore().resolve(wanted)
            stored = {d.id for d in DatasetStore().list()}
            for run in runs:
                cfg, st, ev = run.config(), run.status(), run.eval() or {}
                if wanted and cfg.get("dataset") != wanted:
                    continue  # a board of one dataset's runs, as the pages list them
                names = run_names(run)
                if args.tag and not set(args.tag) <= set(names["tags"]):
                    continue
                # written only when training ends: a run killed after minutes of it read "0.0"
                seconds = run.trained_seconds(st)
                state = st.get("state")
                if st.get("owner"):
                    state += f" (pid {st['owner'].get('pid')})" + (", stopping" if st.get("stopping") else "")
                records.append(
                    {
                        "run": run.id,
                        "title": names["title"],
                        "tags": names["tags"],
                        "encoder": cfg.get("encoder"),
                        "task": cfg.get("task") or "classify",
                        "dataset": cfg.get("dataset"),
                        "dataset_deleted": cfg.get("dataset") not in stored,
                        "state": st.get("state"),
                        "accuracy": ev.get("accuracy"),
                        # picking the best by macro-F1 took one `evaluate --json` per run
                        "macro_f1": ev.get("macro_f1"),
                        "seconds": seconds,
                    }
                )
                rows.append(
                    [
                        run.id,
                        _clipped(names["title"] or "-"),  # `runs show` has it whole
                        cfg.get("encoder"),
                        cfg.get("task") or "classify",
                        # the pages no longer show a run whose dataset was deleted: said here, where it still is
                        cfg.get("dataset") + ("" if cfg.get("dataset") in stored else " (deleted)"),
                        state,
                        f"{ev['accuracy']:.4f}" if "accuracy" in ev else "-",
                        f"{seconds:.1f}" if seconds is not None else "-",
                    ]
                )
            broken = [] if args.dataset or args.tag else store.broken()  # a broken run's dataset is unknown
            if args.json:  # a title with spaces shifted the table's columns under awk: "keep" runs were picked
                records += [{"run": run.id, "state": "broken", "reason": reason} for run, reason in broken]
                for record in records:
                    _print(json.dumps(record, ensure_ascii=False))
                return 0
            rows += [[run.id, "-", "?", "?", "?", "broken", "-", "-"] for run, _ in broken]
            headers = ["run", "name", "encoder", "task", "dataset", "state", "accuracy", "seconds"]
            # which home was read: a forgotten ENCODER_STUDIO_HOME otherwise reads as runs lost
            if not rows and args.dataset:
                _print(f"No runs on dataset {wanted} in {store.root}.")
                return 0
            if not rows and args.tag:
                _print(f"No runs tagged {', '.join(args.tag)} in {store.root}.")
                return 0
            _print(_table(rows, headers) if rows else f"No runs yet in {store.root}.")
            for run, reason in broken:
                _print(f"broken: {reason} (python -m core runs delete {run.id} --yes)")
            return 0
        if not args.run:
            _print(f"'runs {args.action}' needs a run id.", file=sys.stderr)
            return 2
        if args.action == "delete" and not (store.root / args.run / "config.json").is_file():
            run = None  # a leftover folder without a config: deleted by its id, nothing else to read
        else:
            run = store.get(args.run)
        if args.action == "show":
            cfg = run.config()
            names = run_names(run)
            status = run.status()
            if status.get("state") not in ("queued", "running"):  # a finished run's last ETA is no news
                for key in ("eta_s", "phase", "phase_progress"):  # nor its last phase ("checking the test…")
                    status.pop(key, None)
            shown = {"names": names, "config": cfg, "status": status}  # the title and tags first
            # what the trainer used, where it differs from the config: 30 epochs where the config says 20 (a
            # minimum of steps on small data), the batch size "0" (automatic) chose
            start = next((m for m in reversed(run.metrics()) if m.get("event") == "fit_start"), None)
            if start:
                used = ("epochs", "batch_size", "steps_per_epoch", "total_steps", "lr", "train_size", "val_size")
                machine = ("device", "processes", "threads", "precision")
                shown["trained_with"] = {key: start[key] for key in (*used, *machine) if key in start}
            _print(json.dumps(shown, indent=2, ensure_ascii=False))
            # the summary lines go to stderr: stdout is the JSON alone, for jq or json.load
            if cfg.get("source_run"):
                gone = "" if (store.root / cfg["source_run"] / "config.json").is_file() else ", deleted since"
                _print(
                    f"lineage: fine-tuned from run {cfg['source_run']} ({cfg.get('source_task') or 'classify'} "
                    f"on dataset {cfg.get('source_dataset') or '?'}{gone})",
                    file=sys.stderr,
                )
            ev = run.eval()
            if ev and ev.get("task") == "pretrain":
                _print(_mlm_scores(ev), file=sys.stderr)
            elif ev:
                _print(
                    f"test accuracy {ev['accuracy']:.4f}, macro-F1 {ev['macro_f1']:.4f}"
                    + (f", {ev['n_parameters']:,} parameters" if "n_parameters" in ev else ""),
                    file=sys.stderr,
                )
            return 0
        if args.action == "export":
            from core.bundle import export_folder, export_name, export_run
            from core.storage import write_output

            out = Path(args.out or export_name(run))
            payload = export_run(run)
            write_output(out, payload)
            _print(
                f"wrote {out} ({len(payload) / 1e6:.1f} MB): unzip it, then in its folder {export_folder(run)}/ "
                'run `python load.py "a text"`',
                file=sys.stderr,  # --out /dev/stdout: the zip alone on stdout
            )
            return 0
        if args.action == "name":
            from core.names import name_run

            names = name_run(run, title=args.title, tags=args.tag)
            _print(
                f"{run.id}: {names['title'] or '(no name)'}"
                + (f" [{', '.join(names['tags'])}]" if names["tags"] else "")
            )
            return 0
        if args.action == "stop":
            return cmd_stop(args)
        if args.action == "delete" and args.more:
            # a leftover folder without a config is deleted by its id, as the first run given is
            more = [name if (store.root / name).is_dir() else store.resolve(name) for name in args.more]
            return _delete_runs(store, [args.run, *more], args.yes)
        if args.action == "delete":
            children = store.fine_tuned_from(args.run) if run is not None else []
            if not args.yes:
                _print(f"This deletes run {args.run} and its files; add --yes to confirm.", file=sys.stderr)
                if children:
                    _print(f"{_children_note(children)}", file=sys.stderr)
                return 2  # the command line lacks its confirmation, as `data delete` without --yes
            store.delete(args.run)
            _print(f"deleted {args.run}" + (f". {_children_note(children)}" if children else ""))
            return 0
    except StudioError as exc:
        _print(f"error: {exc}", file=sys.stderr)
        return 1
    return 2


def _delete_runs(store, run_ids: list[str], confirmed: bool) -> int:
    """``runs delete A B C``: all of them or none (one at a time, a refusal halfway left some deleted), ensembles
    before their members; each refusal said before anything is deleted."""
    run_ids = list(dict.fromkeys(run_ids))
    going = set(run_ids)

    def has_config(run_id: str) -> bool:  # a leftover folder without one is deleted by its id
        return (store.root / run_id / "config.json").is_file()

    for run_id in run_ids:
        if not (store.root / run_id).is_dir():
            store.get(run_id)  # raises: an unknown id is said as one
        refused = store.deletion_refused(run_id, going)
        if refused:
            _print(f"error: {refused} Nothing was deleted.", file=sys.stderr)
            return 1
    # the runs fine-tuned from these that stay: no new before-and-after map can be drawn for them
    children = sorted(
        {child for run_id in run_ids if has_config(run_id) for child in store.fine_tuned_from(run_id)} - going
    )
    if not confirmed:
        count = "1 run" if len(run_ids) == 1 else f"{len(run_ids)} runs"
        _print(f"This deletes {count} and their files: {', '.join(run_ids)}. Add --yes to confirm.", file=sys.stderr)
        if children:
            _print(_children_note(children), file=sys.stderr)
        return 2
    encoders = {run_id: store.get(run_id).config().get("encoder") if has_config(run_id) else None for run_id in run_ids}
    for run_id in sorted(run_ids, key=lambda run_id: encoders[run_id] != "ensemble"):
        store.delete(run_id, going)
        _print(f"deleted {run_id}")
    if children:
        _print(_children_note(children))
    return 0


def _children_note(children: list[str]) -> str:
    """What deleting a source run costs the runs fine-tuned from it."""
    return (
        f"Fine-tuned from it: {', '.join(children)}. They keep their own weights and scores, and a "
        "before-and-after map already drawn, but no new one can be drawn."
    )


# --------------------------------------------------------------------------- parser


def _defaults_help(task: str, field: str) -> str:
    """The defaults of ``field`` for ``task``, as the dashboard's form shows them: one per encoder where they differ."""
    from core.training.defaults import FINETUNE_DEFAULTS, PRETRAIN_DEFAULTS, TRAIN_DEFAULTS

    def shown(value) -> str:
        return (
            "0 (auto: on a CPU 32 to 512 texts, about 25 steps an epoch where the data allows; on a GPU the largest that fits)"
            if field == "batch_size" and value == 0
            else f"{value:g}"
        )

    if task == "pretrain":
        return f"default: {shown(PRETRAIN_DEFAULTS[field])}"
    table = FINETUNE_DEFAULTS if task == "finetune" else TRAIN_DEFAULTS
    by_encoder = ", ".join(f"{name} {shown(values[field])}" for name, values in table.items() if field in values)
    lead = "the source run's encoder" if task == "finetune" else "encoder"
    return (
        f"default by {lead}: {by_encoder} (python -m core runs show <run> prints what a run used, under trained_with)"
    )


def _minimum_steps_help(task: str) -> str:
    """The rule by which a run trains more epochs than ``--epochs`` asks (a hidden minimum of steps
    turned --epochs 3 into 43 epochs, and the help did not say)."""
    from core.training.defaults import FINETUNE_MIN_STEPS, SMALL_DATA_MIN_STEPS, SMALL_VALIDATION

    if task == "finetune":
        rule = f"a fine-tune trains at least {FINETUNE_MIN_STEPS} optimiser steps"
    else:
        rule = (
            f"with early stopping on{' (--train-set patience=N)' if task == 'pretrain' else ''} and fewer than "
            f"{SMALL_VALIDATION} validation texts, a run trains at least {SMALL_DATA_MIN_STEPS} optimiser steps"
        )
    return (
        f". Epochs are added where needed: {rule}, and says so as it starts "
        "(--train-set min_steps=N sets another minimum; 1 trains the epochs asked for)"
    )


def _schedule_args(parser: argparse.ArgumentParser, task: str) -> None:
    """--epochs, --batch-size and --lr, whose defaults depend on the task and the encoder."""
    parser.add_argument(
        "--epochs", type=_count(1, MAX_EPOCHS), help=_defaults_help(task, "epochs") + _minimum_steps_help(task)
    )
    # the two are tied: with the automatic batch (0) the learning rate is scaled by √(batch / 32), so a batch
    # copied from `runs show` (trained_with: 128) without its lr trained at half the step (0.69 against 0.90)
    parser.add_argument(
        "--batch-size",
        type=_count(0, MAX_BATCH),
        help=_defaults_help(task, "batch_size")
        + "; 0 chooses 32 to 512 texts and scales --lr by √(batch / 32): to repeat such a run with its batch "
        "fixed, give the lr it used too (runs show: trained_with)",
    )
    parser.add_argument(
        "--lr",
        type=float,
        help=_defaults_help(task, "lr")
        + "; with --batch-size 0 (automatic), the rate for 32 texts, scaled up with the batch",
    )


# where the valid keys of --set and --train-set are seen (they differ by encoder; listing them here
# would import torch for every --help)
SET_KEYS = (
    "; the keys are the fields under encoder_config in `python -m core runs show <run>`, and a key the "
    "encoder lacks is refused with the list of its fields"
)
TRAIN_SET_KEYS = (
    "; the keys are the fields under train in `python -m core runs show <run>`, and an unknown key is "
    "refused with the list of them"
)


def _common_training_args(parser: argparse.ArgumentParser, task: str) -> None:
    _schedule_args(parser, task)
    parser.add_argument(
        "--seed", type=_count(0, MAX_SEED), help="seeds the weights, the batch order and dropout (default: 0)"
    )
    parser.add_argument("--set", action="append", metavar="KEY=VALUE", help=f"encoder config field{SET_KEYS}")
    parser.add_argument(
        "--train-set", action="append", metavar="KEY=VALUE", help=f"training config field{TRAIN_SET_KEYS}"
    )
    parser.add_argument("--name", help="a name for the run")
    parser.add_argument("--run-id", help="explicit run id")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    _threads_and_budget(parser)
    parser.add_argument(
        "--processes",
        type=_count(1),
        help="data-parallel processes on this machine (launches torchrun); the batch stays the global batch",
    )
    parser.add_argument(
        "--micro-batch-size",
        type=_count(0, MAX_BATCH),
        help="texts per forward pass in each process (gradient accumulation when smaller than its share)",
    )


class HelpWithDefaults(argparse.HelpFormatter):
    """Help that shows each option's default, where it has a real one (not None or False)."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "%(default)" in text or action.default in (None, False, argparse.SUPPRESS) or not action.option_strings:
            return text
        return f"{text} (default: %(default)s)"


def _threads_and_budget(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--threads", type=_count(0, MAX_THREADS), help="torch CPU threads (default: one per free core)")
    parser.add_argument(
        "--time-budget",
        type=_seconds,
        metavar="SECONDS",
        help="stop training after this long; the best weights so far are kept and evaluated "
        "(the evaluation comes after the budget, not within it)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m core``."""
    from core.encoders import ENCODER_NAMES

    parser = argparse.ArgumentParser(
        prog="python -m core",
        description="Encoder Studio from the terminal.",
        # the home has no option: a script looked for --home in every command's help
        epilog="Datasets and runs are kept in $ENCODER_STUDIO_HOME (default ./studio_data), which every command "
        "reads: ENCODER_STUDIO_HOME=/path python -m core runs list. Exit status: 0 done, 1 refused or failed, "
        "2 a usage error, 130 stopped by Ctrl-C, 143 by kill.",
        formatter_class=HelpWithDefaults,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _add_parser = sub.add_parser

    def add_parser(name: str, **kwargs) -> argparse.ArgumentParser:
        kwargs.setdefault("description", kwargs.get("help"))
        return _add_parser(name, formatter_class=HelpWithDefaults, **kwargs)

    sub.add_parser = add_parser  # every subcommand: its own --help, with defaults shown

    data = sub.add_parser("data", help="inspect, validate or import a data file; list datasets")
    actions = data.add_subparsers(dest="action", required=True, metavar="ACTION")
    for action, summary in (
        ("inspect", "show how a file reads: format, encoding, columns, the first rows and the checks"),
        ("validate", "check a file without saving anything"),
        ("import", "check a file and store it as a dataset with train/val/test splits"),
    ):
        one = actions.add_parser(action, help=summary, description=summary, formatter_class=HelpWithDefaults)
        one.add_argument("file", help="CSV, TSV, JSONL, TXT, XLSX or Parquet file")
        one.add_argument(
            "--text-col",
            action="append",
            metavar="COLUMN",
            help="column with the texts (default: guessed); repeat to join several, e.g. title and description",
        )
        one.add_argument("--label-col", help="column with the labels (default: guessed)")
        _reading_options(one)
        one.add_argument(
            "--sheet",
            metavar="NAME",
            help="Excel workbooks: the sheet to read (default: the first, or the fullest where the first is a short note)",
        )
        one.add_argument("--unlabelled", action="store_true", help="texts only (for pretraining)")
        one.add_argument(
            "--merge-case",
            action="store_true",
            help="merge classes whose names differ only in capitals (food, Food, FOOD) under the most frequent spelling",
        )
        one.add_argument(
            "--strip-markup",
            action="store_true",
            help="read web markup in the texts: remove tags (<br>, <a href=…>) and turn entities (&amp;) into characters",
        )
        one.add_argument(
            "--merge-label-sets",
            action="store_true",
            help="merge multi-label classes that hold the same labels in another order or spacing "
            "(billing;refund, refund; billing) under the most frequent spelling",
        )
        one.add_argument(
            "--missing-label",
            action="append",
            metavar="CLASS",
            help="read this class as 'no label' (e.g. unknown): its rows are left out; repeat for more",
        )
        one.add_argument("--max-rows", type=_count(1), default=200_000, help="refuse files with more rows")
        one.add_argument(
            "--left-out",
            type=_out_file,
            metavar="CSV",
            help="write every row the import leaves out (empty, unlabelled, repeated, …) to this CSV, with why",
        )
        if action == "import":
            one.add_argument("--name", help="dataset name (default: the file's name); works as an id when unique")
            one.add_argument("--id", help="dataset id (default: the name plus a date and a random suffix)")
            # SplitConfig's defaults, written out: importing core.data (pandas) made every --help wait
            one.add_argument("--val", type=float, default=0.1, help="validation share")
            one.add_argument(
                "--test",
                type=float,
                default=None,
                help="test share, none for unlabelled texts (default: 0.2)",
            )
            one.add_argument("--seed", type=_count(0), default=13, help="split seed")
            one.add_argument(
                "--split-from",
                metavar="DATASET",
                help="texts already in this stored dataset (id or name) keep their split there, so its test texts "
                "stay test texts: a file imported again after fixing labels (--val and --test apply to new texts)",
            )
    actions.add_parser("list", help="list the stored datasets", formatter_class=HelpWithDefaults)
    actions.add_parser("builtins", help="list the built-in datasets", formatter_class=HelpWithDefaults)
    rename = actions.add_parser(
        "rename-classes", help="rename a stored dataset's classes", formatter_class=HelpWithDefaults
    )
    rename.add_argument("--dataset", required=True, help="the stored dataset (id or name)")
    rename.add_argument(
        "--rename",
        action="append",
        metavar="OLD=NEW",
        help="a class and its new name (repeat); without it, a rename that was cut off is finished",
    )
    delete = actions.add_parser(
        "delete",
        help="delete a stored dataset (runs trained on it keep their files, unless --with-runs)",
        formatter_class=HelpWithDefaults,
    )
    delete.add_argument("--dataset", required=True, help="the stored dataset (id or name)")
    delete.add_argument("--yes", action="store_true", help="confirm the deletion")
    delete.add_argument("--with-runs", action="store_true", help="delete the runs trained on it too")
    data.set_defaults(func=cmd_data)

    train = sub.add_parser("train", help="train an encoder on a dataset")
    train.add_argument(
        "--dataset", help="dataset id or name, or a built-in (starter, bbc, zh_reviews); with --like: the run's own"
    )
    train.add_argument(
        "--encoder",
        choices=ENCODER_NAMES,
        help="the encoder family to train (default: bow_mlp; with --like: the run's)",
    )
    train.add_argument(
        "--like",
        metavar="RUN",
        help="start from a saved run's settings (encoder, training, labels share, vocabulary); options given "
        "beside it change them, e.g. --seed 1 for another seed or --dataset for another set",
    )
    train.add_argument(
        "--preset",
        choices=["tiny", "mini", "small"],
        help="Transformer size (default: mini; the dashboard's form starts at tiny, for a demo in seconds)",
    )
    _schedule_args(train, "classify")
    train.add_argument(
        "--seed", type=_count(0, MAX_SEED), help="seeds the weights, the batch order and dropout (default: 0)"
    )
    train.add_argument(
        "--set", action="append", metavar="KEY=VALUE", help=f"encoder config field, e.g. hidden=[256,64]{SET_KEYS}"
    )
    train.add_argument(
        "--train-set",
        action="append",
        metavar="KEY=VALUE",
        help=f"training config field, e.g. patience=5{TRAIN_SET_KEYS}",
    )
    train.add_argument("--name", help="a name for the run")
    train.add_argument("--run-id", help="explicit run id")
    train.add_argument("--label-fraction", type=_label_share, help="use this share of the labels (default: all)")
    train.add_argument(
        "--vocab-from",
        metavar="RUN",
        help="start from random weights but with this run's vocabulary (the fair arm against fine-tuning it)",
    )
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    _threads_and_budget(train)
    train.set_defaults(func=cmd_train)

    pretrain = sub.add_parser("pretrain", help="pretrain a Transformer by masked-language modelling")
    pretrain.add_argument("--dataset", help="dataset (id or name) whose texts to use (labels ignored)")
    pretrain.add_argument(
        "--corpus",
        help="stream this corpus: a .txt file (one text per line), a folder of .txt/.jsonl/.parquet files, "
        "a .jsonl or .parquet file (a 'text' field), or a dataset id; tokenised once into shards",
    )
    pretrain.add_argument("--preset", choices=["tiny", "mini", "small"], default="mini", help="Transformer size")
    pretrain.add_argument(
        "--mask-rate", type=float, default=None, help="share of tokens to predict (default 0.4; BERT used 0.15)"
    )
    _common_training_args(pretrain, "pretrain")
    pretrain.set_defaults(func=cmd_pretrain)

    finetune = sub.add_parser("finetune", help="fine-tune a saved run's encoder on a labelled dataset")
    finetune.add_argument("--from", dest="source", required=True, help="the run whose encoder to start from")
    finetune.add_argument("--dataset", required=True, help="labelled dataset id or name")
    finetune.add_argument("--freeze-encoder", action="store_true", help="train the new head only")
    finetune.add_argument("--freeze-embeddings", action="store_true", help="keep the embeddings fixed")
    finetune.add_argument("--freeze-layers", type=int, default=0, help="keep the first N Transformer blocks fixed")
    finetune.add_argument("--encoder-lr-scale", type=float, default=1.0, help="encoder lr = lr x this")
    finetune.add_argument("--label-fraction", type=_label_share, default=1.0, help="use this share of the labels")
    finetune.add_argument(
        "--scratch",
        action="store_true",
        help="train the same model from random weights instead (the scratch twin: the source's vocabulary, the "
        "fine-tune's architecture and training settings; only the starting weights differ)",
    )
    _common_training_args(finetune, "finetune")
    finetune.set_defaults(func=cmd_finetune)

    experiment = add_parser("experiment", help="label-efficiency: pretrained vs scratch")
    experiment.add_argument("kind", choices=["label-efficiency"], help="the experiment to run")
    experiment.add_argument("--dataset", required=True, help="the labelled dataset (id or name)")
    experiment.add_argument("--fractions", default="0.01,0.05,0.2,1.0", help="shares of the training labels to use")
    experiment.add_argument("--seeds", type=int, default=3, help="runs per share and arm (the band on Compare)")
    experiment.add_argument("--pretrained", help="an existing pretraining run (default: pretrain one first)")
    experiment.add_argument("--preset", choices=["tiny", "mini", "small"], default="mini", help="Transformer size")
    experiment.add_argument(
        "--pretrain-epochs", type=int, default=3, help="epochs of the pretraining made when --pretrained is not given"
    )
    experiment.add_argument("--steps", type=int, default=300, help="optimiser steps per run (both arms)")
    experiment.add_argument("--lr", type=float, default=5e-4, help="learning rate (both arms)")
    experiment.add_argument("--batch-size", type=int, default=32, help="texts per step (both arms)")
    experiment.add_argument("--threads", type=int, default=0, help="torch CPU threads (0 = one per core)")
    experiment.add_argument(
        "--set", action="append", metavar="KEY=VALUE", help=f"encoder field for both arms, e.g. wide=true{SET_KEYS}"
    )
    experiment.add_argument(
        "--out", type=_out_file, help="also write the results, with the pretraining's figures, to this JSON file"
    )
    experiment.add_argument("--id", help="the experiment's id (the Compare page names the one it starts)")
    experiment.add_argument("--background", action="store_true", help="run at low priority (as the page starts it)")
    experiment.set_defaults(func=cmd_experiment)

    resume = sub.add_parser("resume", help="continue a stopped or interrupted run from its checkpoint")
    resume.add_argument("--run", required=True, help="the run (its id or name)")
    resume.add_argument("--quiet", action="store_true")
    resume.add_argument(
        "--processes", type=_count(1), help="data-parallel processes from now on (a checkpoint resumes in any number)"
    )
    resume.add_argument(
        "--threads",
        type=_count(0, MAX_THREADS),
        help="torch CPU threads from now on (0: one per free core; default: as before)",
    )
    resume.set_defaults(func=cmd_resume)

    restart = sub.add_parser("restart", help="start a run again from scratch with the same settings")
    restart.add_argument("--run", required=True, help="the run (its id or name)")
    restart.add_argument("--quiet", action="store_true")
    restart.add_argument(
        "--yes",
        action="store_true",
        help="also restart a finished run or one with a checkpoint (its model, results or checkpoint are discarded)",
    )
    restart.add_argument("--processes", type=_count(1), help="data-parallel processes for the new start")
    restart.add_argument(
        "--threads",
        type=_count(0, MAX_THREADS),
        help="torch CPU threads for the new start (0: one per free core; default: as before)",
    )
    restart.set_defaults(func=cmd_resume)

    stop = sub.add_parser("stop", help="stop a queued or running run (its checkpoint is kept)")
    stop.add_argument("--run", required=True, help="the run (its id or name)")
    stop.add_argument("--wait", type=float, default=30.0, help="seconds to wait for it to stop (0: do not wait)")
    stop.set_defaults(func=cmd_stop)

    workers = sub.add_parser("workers", help="list the worker processes at work (training, maps, batch jobs)")
    workers.set_defaults(func=cmd_workers)

    from core.job_kinds import WORKER_JOBS

    worker = sub.add_parser("worker", help="(internal) the worker process the dashboard starts for a job")
    worker.add_argument("run", help="run id ('-' for jobs without a run)")
    worker.add_argument(
        "--job",
        required=True,
        choices=WORKER_JOBS,
    )
    worker.add_argument("--name", help="side-job name")
    worker.add_argument("--lease-fd", type=int, help="an inherited lease file descriptor")
    worker.add_argument("--reserve-cores", type=int, default=0, help="cores to leave to the server")
    worker.add_argument("--map", action="store_true", help="compute the default map after training")
    worker.add_argument("--background", action="store_true", help="the lowest priority (below maps)")
    worker.add_argument("--force", action="store_true", help="restart: replace what the run has (the user asked)")
    worker.set_defaults(func=cmd_worker)

    rank = sub.add_parser("rank", help="(internal) one rank of a data-parallel run that torchrun started")
    rank.add_argument("run", help="run id (positional: torchrun would take --run for its own --run-path)")
    rank.add_argument("--resume", action="store_true", help="continue from the run's checkpoint")
    rank.add_argument("--quiet", action="store_true", help="no progress bar")
    rank.set_defaults(func=cmd_rank)

    evaluate = sub.add_parser("evaluate", help="show a run's test-set evaluation")
    evaluate.add_argument("--run", required=True, help="the run (its id or name)")
    evaluate.add_argument("--json", action="store_true", help="print the full report as JSON")
    evaluate.add_argument(
        "--again",
        action="store_true",
        help="evaluate the saved weights again, rebuilding eval.json, points.parquet and embeddings.npy",
    )
    evaluate.add_argument(
        "--on",
        metavar="DATASET",
        help="score the run on another labelled dataset (its id or name): a new source's texts, or the same "
        "file with its labels fixed; nothing of the run is changed",
    )
    evaluate.add_argument(
        "--split",
        choices=["test", "all"],
        default="test",
        help="--on: score the dataset's test split (default) or all its labelled texts",
    )
    evaluate.add_argument(
        "--mistakes",
        metavar="FILE",
        type=_out_file,
        help="write the misclassified texts as CSV here (the test split's, or with --on the other dataset's), "
        "with each text's row in its file",
    )
    evaluate.set_defaults(func=cmd_evaluate)

    for name, helptext in (
        ("search", "search a collection by meaning with a run's encoder (the index is built once)"),
        ("similar", "texts like one stored text of a collection: more like this"),
    ):
        one = sub.add_parser(name, help=helptext)
        one.add_argument("--run", required=True, help="any run with an encoder (a pretraining run too)")
        one.add_argument(
            "--collection",
            required=True,
            help="a dataset (id or name), a file added on the Search page (by its name), or a file of texts read as "
            "the Data page reads it (one text per line, or CSV, Excel, JSON)",
        )
        if name == "search":
            one.add_argument("--query", required=True, help="what to look for, in any language")
        else:
            one.add_argument(
                "--id",
                type=_count(1),
                required=True,
                help="the stored text's number, as search results and the Search page give it (#1 is the first)",
            )
        one.add_argument("-k", type=_count(1), default=10, help="how many results")
        one.add_argument("--label", action="append", help="only texts with this label (repeatable)")
        one.add_argument(
            "--lang",
            action="append",
            choices=["zh", "en", "ja", "ko", "mixed", "other"],
            help="only texts in this language",
        )
        one.add_argument(
            "--diverse",
            type=_share,
            metavar="BALANCE",
            help="relevant but varied (maximal marginal relevance): 1 = plain relevance, 0.5 = balanced",
        )
        one.add_argument("--format", choices=["json", "csv"], default="json", help="how to print the results")
        one.set_defaults(func=cmd_search if name == "search" else cmd_similar)

    predict = sub.add_parser("predict", help="classify texts with a trained run")
    predict.add_argument("--run", required=True, help="the run (its id or name)")
    predict.add_argument("--text", action="append", help="a text to classify (repeatable)")
    # `predict --run X "a text"` was refused with the top-level usage: a text after the options reads as --text
    predict.add_argument("texts", nargs="*", metavar="TEXT", help="texts to classify, as --text gives them")
    predict.add_argument(
        "--file", help="a data file (- reads standard input); every row of its text column is classified"
    )
    predict.add_argument(
        "--text-col", action="append", metavar="COLUMN", help="text column of --file (default: guessed); repeat to join"
    )
    predict.add_argument(
        "--sheet",
        metavar="NAME",
        help="--file is an Excel workbook: the sheet to read (default: the first, or the fullest where the first is a note)",
    )
    _reading_options(predict)  # a headerless file of one column lost its first text to the header guess
    predict.add_argument(
        "--out",
        type=_out_file,
        help="write predictions as CSV here (a text a spreadsheet would run as a formula, like =1+1, gets a "
        "leading '; standard output is left as it is)",
    )
    predict.add_argument(
        "--keep-columns",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="--file: keep the input's other columns (ids, expected labels) beside the predictions",
    )
    predict.add_argument(
        "--fill", action="append", metavar="TEXT", help="fill the [MASK] tokens of TEXT (pretraining runs; repeatable)"
    )
    predict.set_defaults(func=cmd_predict)

    runs_summary = "list, show, name, export, stop or delete runs"
    runs = sub.add_parser("runs", help=runs_summary, description=runs_summary)
    runs.add_argument(
        "action",
        choices=["list", "show", "name", "export", "delete", "stop"],
        help="list: every run; show: one run's settings and scores; name: set --title/--tag; "
        "export: a standalone archive; stop: ask a training run to stop; delete: remove it (with --yes)",
    )
    runs.add_argument("run", nargs="?", help="the run's id (or its name, when one run has it)")
    runs.add_argument("more", nargs="*", metavar="RUN", help="delete: more runs to delete with it, all or none")
    # every other verb takes --run: 'runs show --run X' was "unrecognized arguments"
    runs.add_argument("--run", dest="run_option", metavar="RUN", help="the run, as the other verbs take it")
    runs.add_argument("--dataset", help="list: only the runs trained on this dataset (its id or name)")
    runs.add_argument(
        "--json", action="store_true", help="list: one JSON object a run, for scripts (titles hold spaces)"
    )
    runs.add_argument("--yes", action="store_true", help="confirm delete")
    runs.add_argument("--title", help="name: the run's display name")
    runs.add_argument(
        "--tag", action="append", help="name: a tag (repeat for more; replaces the tags); list: only runs with it"
    )
    runs.add_argument("--out", type=_out_file, help="export: the archive to write (default <run-id>.zip)")
    runs.add_argument("--wait", type=float, default=30.0, help="stop: seconds to wait for it to stop (0: do not wait)")
    runs.set_defaults(func=cmd_runs)
    return parser


INTERRUPTED = 130  # the exit status of a command Ctrl-C ended, as shells give it
INTERNAL_COMMANDS = ("worker", "rank")  # started by the studio with a run id (or "-"), never a name
RUN_ARGUMENTS = ("run", "source", "pretrained", "vocab_from", "like")  # --run, finetune --from, train --like, ...


def _resolve_run_names(args) -> None:
    """A run's name works wherever its id does: each run argument becomes the id it names."""
    if getattr(args, "command", None) in INTERNAL_COMMANDS:
        return
    from core.registry import RunStore

    for name in RUN_ARGUMENTS:
        value = getattr(args, name, None)
        if not value:
            continue
        if name == "run" and getattr(args, "action", None) == "delete" and (RunStore().root / value).is_dir():
            continue  # a leftover folder without a config can still be deleted by its id
        if name == "run" and getattr(args, "command", None) == "runs" and getattr(args, "action", None) == "list":
            continue  # list takes no run: said as such by the command, not as "No run 'keep'"
        setattr(args, name, RunStore().resolve(value))


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    out = getattr(args, "out", None)
    example = {"runs": "out.zip", "experiment": "out.json"}.get(getattr(args, "command", ""), "out.csv")
    if out and Path(out).is_dir():  # else "Is a directory" surfaced as a full disk's advice
        _print(f"error: --out {out} is a folder; give the file to write, e.g. {Path(out) / example}", file=sys.stderr)
        return 2
    try:
        _check_environment(out)
        _resolve_run_names(args)
        return int(args.func(args) or 0)
    except UnicodeEncodeError as exc:  # a Windows console (cp1252) met Chinese: "'charmap' codec can't encode…"
        encoding = getattr(sys.stdout, "encoding", None) or exc.encoding
        if "utf" in str(encoding).lower().replace("-", ""):  # not the terminal's doing (a file name's bytes)
            _print(f"error: {exc}", file=sys.stderr)
            return 1
        _print(
            f"error: this terminal's encoding ({encoding}) cannot write some of the characters to print. "
            "Set PYTHONUTF8=1 (or PYTHONIOENCODING=utf-8) and run the command again, or write to a file with --out.",
            file=sys.stderr,
        )
        return 1
    except (StudioError, ValueError) as exc:  # a bad value from the user: the message, not a traceback
        _print(f"error: {exc}{_setting_hint(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # a second Ctrl-C, or one in a command without a graceful stop: a line, no traceback
        _print(
            "interrupted. Anything saved was saved whole (every write is atomic); a run cut off reads "
            "'interrupted' and resumes from its last checkpoint.",
            file=sys.stderr,
        )
        return INTERRUPTED
    except BrokenPipeError:  # the reader left early (``runs list | head``): nothing is wrong, say nothing
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the exit flush must not fail too
        return 1
    except OSError as exc:  # a full disk, a folder without write permission
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        _print(
            f"error: {exc.strerror or exc}{where}. Nothing was half-written (every write is atomic); "
            "free some space or fix the permissions, then try again.",
            file=sys.stderr,
        )
        return 1
    except Exception as exc:  # a bug, or a file damaged in a way no check foresaw: one line, the details in a log
        if "No space left on device" in str(exc):  # a library's own error type (safetensors) for a full disk
            _print(
                "error: the disk is full. Nothing was half-written (every write is atomic); free some space, "
                "then try again.",
                file=sys.stderr,
            )
            return 1
        _print(f"error: {type(exc).__name__}: {str(exc)[:200]}. {_log_traceback()}", file=sys.stderr)
        return 1


def _reading_options(parser) -> None:
    """How a file is read, where detection guesses wrong: its encoding, header row and quoting."""
    parser.add_argument("--encoding", help="override the detected text encoding (e.g. gbk, big5, utf-16)")
    header = parser.add_mutually_exclusive_group()
    header.add_argument(
        "--header", dest="header", action="store_true", default=None, help="the first row holds column names"
    )
    header.add_argument(
        "--no-header",
        dest="header",
        action="store_false",
        default=None,  # neither flag: detected from the file (argparse would show store_false's True)
        help="the first row is data (neither flag: detected)",
    )
    parser.add_argument(
        "--quoting",
        choices=["minimal", "none"],
        help="delimited files: 'minimal' reads \"…\" as quoting, 'none' reads quotes as text (default: detected)",
    )
    parser.add_argument(
        "--separator",
        choices=list(SEPARATOR_NAMES),
        help="delimited files: the field separator (default: the one that splits the first rows alike)",
    )


SEPARATOR_NAMES = {"comma": ",", "semicolon": ";", "tab": "\t", "pipe": "|"}  # --separator's words


def _separator(args) -> str | None:
    """The separator ``--separator`` names, or None (detected)."""
    return SEPARATOR_NAMES.get(getattr(args, "separator", None) or "")


def _setting_hint(message: str) -> str:
    """Where a training setting given as an encoder field (``--set epochs=1``) belongs."""
    import dataclasses
    import re

    from core.training.trainer import TrainConfig

    found = re.match(r"(\w+) has no field\(s\) \[([^\]]*)\]", message)
    if not found or found.group(1) == "TrainConfig":
        return ""
    names = {f.name for f in dataclasses.fields(TrainConfig)}
    unknown = [name.strip(" '\"") for name in found.group(2).split(",")]
    if unknown and all(name in names for name in unknown):
        return (
            f". {', '.join(unknown)}: training setting(s); give them with --train-set, e.g. --train-set {unknown[0]}=…"
        )
    return ""


def _check_environment(out: str | None) -> None:
    """Refuse, before any work, a studio home or setting that cannot work, and an output over the studio's files."""
    from core.storage import env_count, studio_home

    home = studio_home()
    for name in ("ENCODER_STUDIO_TRAIN_SLOTS", "ENCODER_STUDIO_RESERVE_CORES"):
        env_count(name, 0)
    if out:
        target = Path(out).resolve()
        for folder in (home / "runs", home / "datasets"):
            if folder == target or folder in target.parents:
                raise StudioError(f"--out {out} is inside the studio's own files ({folder}); write it elsewhere.")


def _log_traceback() -> str:
    """Append the current traceback to ``<home>/cli-errors.log``; say where it went."""
    import traceback

    from core.storage import studio_home

    try:
        path = studio_home() / "cli-errors.log"
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"--- python -m core {' '.join(sys.argv[1:])}\n{traceback.format_exc()}\n")
        return f"The details are in {path}."
    except OSError:
        return ""
