"""Dataclass configs to and from plain dicts (JSON), with nested dataclasses rebuilt."""

from __future__ import annotations

import contextlib
import dataclasses
import typing
from typing import Any, TypeVar

T = TypeVar("T")


def to_dict(config: Any) -> dict:
    """A dataclass as a JSON-ready dict (tuples become lists)."""
    return dataclasses.asdict(config)


def from_dict(cls: type[T], data: dict | None) -> T:
    """Build dataclass ``cls`` from ``data``; unknown keys raise a clear ValueError.

    A nested dataclass given as a partial dict starts from the default ``cls`` gives it (so
    ``featurizer.min_df=1`` keeps the bag-of-words MLP's NB weights), not from its own class's.
    """
    data = dict(data or {})
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ValueError(f"{cls.__name__} has no field(s) {unknown}; valid fields: {sorted(fields)}")
    kwargs = {}
    for name, value in data.items():
        target = _dataclass_in(hints.get(name))
        if target is not None and isinstance(value, dict):
            default = _default_of(fields[name])
            if dataclasses.is_dataclass(default):
                value = merge(to_dict(default), value)
            value = from_dict(target, value)
        elif (
            target is not None
            and not isinstance(value, target)
            and not (value is None and _is_optional(hints.get(name)))
        ):
            # kept as it was, "train": "fast" in a hand-edited config.json built a run whose settings were a
            # string, and failed later on "'str' object has no attribute 'seed'"
            raise ValueError(f"{cls.__name__}.{name} must be a group of settings (a JSON object); got {value!r}")
        elif isinstance(value, list) and _is_tuple(hints.get(name)):
            value = tuple(value)
        if target is None or not isinstance(value, target):
            value = _checked(cls.__name__, name, hints.get(name), value)
        kwargs[name] = value
    return cls(**kwargs)


_KINDS = {int: "a whole number", float: "a number", bool: "true or false", str: "text"}
_LISTS = {int: "whole numbers", float: "numbers", bool: "true/false values", str: "texts"}


def _checked(owner: str, name: str, hint: Any, value: Any) -> Any:
    """``value`` if it fits the field's type (an integral float becomes an int); a ValueError naming the
    field otherwise, so ``hidden="abc"`` in a config file is a message, not a crash deep in a model."""
    args = typing.get_args(hint)
    if type(None) in args:  # Optional[...]: None is fine, else the other type
        if value is None:
            return value
        rest = [a for a in args if a is not type(None)]
        hint, args = (rest[0], typing.get_args(rest[0])) if len(rest) == 1 else (None, ())
    if _is_tuple(hint) and len(args) == 2 and args[1] is Ellipsis and args[0] in _KINDS:
        if isinstance(value, str) and args[0] is str:
            return value  # "a,b" from the command line: the dataclass splits it
        if not isinstance(value, (list, tuple)):
            raise ValueError(f"{owner}.{name} must be a list of {_LISTS[args[0]]}, e.g. [256, 64]; got {value!r}")
        return tuple(_checked(owner, name, args[0], item) for item in value)
    if hint not in _KINDS:
        return value  # a type this check does not know: the dataclass's own checks apply
    if hint is bool:
        if value in (0, 1) and not isinstance(value, float):  # --set wide=1 meant true, as it always did
            value = bool(value)
        fits = isinstance(value, bool)
    elif hint is int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        fits = isinstance(value, int) and not isinstance(value, bool)
    elif hint is float:
        fits = isinstance(value, (int, float)) and not isinstance(value, bool)
        if fits and isinstance(value, int):  # "--set C=5" was saved as 5 where the page saved 5.0: two settings
            with contextlib.suppress(OverflowError):  # 10**400: left as it is, for the range check to refuse
                value = float(value)
    else:
        fits = isinstance(value, str)
    if not fits:
        raise ValueError(f"{owner}.{name} must be {_KINDS[hint]}; got {value!r}")
    return value


def comparable(value: Any) -> Any:
    """``value`` (a config, or part of one) with whole-number floats as ints, for comparing settings: a run
    saved before floats were kept as floats has "C": 5 where a newer one has "C": 5.0."""
    if isinstance(value, dict):
        return {key: comparable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [comparable(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _default_of(field: dataclasses.Field) -> Any:
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return None if field.default is dataclasses.MISSING else field.default


def _dataclass_in(hint: Any) -> type | None:
    if dataclasses.is_dataclass(hint):
        return hint
    for arg in typing.get_args(hint):
        if dataclasses.is_dataclass(arg):
            return arg
    return None


def _is_optional(hint: Any) -> bool:
    return type(None) in typing.get_args(hint)


def _is_tuple(hint: Any) -> bool:
    return (
        hint is tuple
        or typing.get_origin(hint) is tuple
        or any(typing.get_origin(a) is tuple for a in typing.get_args(hint))
    )


def parse_overrides(pairs: list[str]) -> dict:
    """``["a.b=1", "c=x"]`` → ``{"a": {"b": 1}, "c": "x"}`` with JSON-ish values."""
    import json

    out: dict = {}
    for pair in pairs:
        if "=" not in pair:
            raise ValueError(f"expected key=value, got {pair!r}")
        key, raw = pair.split("=", 1)
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        node = out
        parts = key.strip().split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out


def merge(base: dict, override: dict) -> dict:
    """Deep-merge ``override`` into a copy of ``base``."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def check_range(owner: str, name: str, value: float, low: float, high: float, why: str = "") -> None:
    """Raise a ValueError naming the field, its range and why the range exists, when ``value`` is outside."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{owner}.{name} must be a number; got {value!r}")
    if not low <= value <= high:
        # as typed: "--set warmup_ratio=5" is kept as 5.0 (a decimal setting), and "= 5.0" read as another number
        shown = int(value) if isinstance(value, float) and value.is_integer() else value
        raise ValueError(f"{owner}.{name} = {shown:,} is outside {low:,}–{high:,}" + (f" ({why})" if why else "") + ".")


# What one field may cost in memory: the limits below keep a model within a few GB of RAM on CPU.
MAX_PARAMETERS = 300_000_000  # about 1.2 GB of fp32 weights, 4.8 GB with AdamW's state and gradients


def check_parameters(owner: str, n_parameters: int, hint: str) -> None:
    """Refuse a configuration whose weights alone would take more than ``MAX_PARAMETERS``."""
    if n_parameters > MAX_PARAMETERS:
        raise ValueError(
            f"{owner} would have about {n_parameters / 1e6:,.0f} M weights; the limit is "
            f"{MAX_PARAMETERS / 1e6:,.0f} M (with the optimiser's state that is about "
            f"{n_parameters * 16 / 1e9:,.1f} GB of memory). {hint}"
        )
