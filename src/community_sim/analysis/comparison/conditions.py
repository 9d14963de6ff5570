"""Conditions: which level of a varied parameter each design point belongs to.

A grid (or a scenarios design) has levels: every distinct value of the
parameter is one. A sample (LHS, Sobol', Morris, FAST) spreads a continuous
parameter over many values, so it is cut into quantile bins of about equal
numbers of points (``pd.qcut``: the first bin closed, the others ``(low,
high]``). A parameter's special values declared in the parameter table (e.g.
``subsidy_end_month = -1``, "never") are a level of their own, labelled by
name and never binned with the numbers around them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from community_sim.errors import UserError, did_you_mean

GRID_KINDS = frozenset({"grid", "scenarios"})
"""Designs whose parameters take a few values each: every value is a level."""

Labeller = Callable[[str, Any], "str | None"]


@dataclass(frozen=True)
class Condition:
    """The levels of one parameter: a level code per design point, in level order."""

    name: str
    codes: pd.Series  # index: point; value: level code 0..k-1 (level order)
    labels: tuple[Any, ...]  # per code: the value, a special value's name, or a bin
    low: tuple[float, ...] | None = None  # per code: the bin's ends (binned levels only)
    high: tuple[float, ...] | None = None

    @property
    def binned(self) -> bool:
        return self.low is not None


def _factor(manifest: Mapping[str, Any], name: str) -> dict[str, Any]:
    factors = (manifest.get("design") or {}).get("parameters") or []
    return next((dict(f) for f in factors if f.get("name") == name), {})


def special_labeller(manifest: Mapping[str, Any]) -> Labeller:
    """Names of special values from the community model's parameter table (none otherwise)."""
    if manifest.get("model") != "community":
        return lambda name, value: None
    from community_sim.params import PARAMS

    def label(name: str, value: Any) -> str | None:
        param = PARAMS.get(name)
        return param.special_name(value) if param is not None else None

    return label


def _plain(value: Any) -> Any:
    """A numpy scalar as a Python one, so tables hold ints, floats and strings."""
    return value.item() if isinstance(value, np.generic) else value


def _ordered_values(values: pd.Series, declared: Sequence[Any] | None) -> list[Any]:
    present = list(dict.fromkeys(_plain(v) for v in values.tolist()))
    if declared:
        order = [_plain(v) for v in declared if _plain(v) in present]
        return order + [v for v in present if v not in order]
    try:
        return sorted(present)
    except TypeError:  # mixed kinds: keep the design's order
        return present


def condition_of(
    design: pd.DataFrame,
    name: str,
    manifest: Mapping[str, Any],
    *,
    bins: int = 4,
    labeller: Labeller | None = None,
    source: str = "--by",
) -> Condition:
    """The levels of parameter ``name`` over the design's points (module docstring)."""
    varied = [c for c in design.columns if c != "point"]
    if name not in varied:
        raise UserError(
            f"{name!r} is not varied by this experiment's design{did_you_mean(name, varied)}; "
            f"varied: {', '.join(varied) or 'nothing'}",
            source=source,
        )
    if bins < 2:
        raise UserError("must be at least 2", source="--bins")
    label = labeller or special_labeller(manifest)
    values = design.set_index("point")[name]
    specials = values.map(lambda v: label(name, v))
    factor = _factor(manifest, name)
    kind = str((manifest.get("design") or {}).get("kind"))
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    plain = values[specials.isna()]
    to_bin = (
        kind not in GRID_KINDS
        and numeric
        and factor.get("kind") != "cat"
        and plain.nunique() > bins
    )
    special_order = _ordered_values(values[specials.notna()], None)
    if not to_bin:
        levels = _ordered_values(values, factor.get("values"))
        code_of = {v: i for i, v in enumerate(levels)}
        codes = values.map(lambda v: code_of[_plain(v)]).astype(int)
        names = [label(name, v) or v for v in levels]
        if len({type(v) for v in names}) > 1:  # one column type: "never", "36", not a mix
            names = [label_text(v) for v in names]
        return Condition(name, codes, tuple(names))
    # special values first (in value order), then the quantile bins of the rest
    cut, edges = pd.qcut(plain.astype(float), bins, labels=False, retbins=True, duplicates="drop")
    n_special = len(special_order)
    codes = pd.Series(0, index=values.index, dtype=int)
    for i, v in enumerate(special_order):
        codes[values.map(_plain) == v] = i
    codes[plain.index] = cut.astype(int) + n_special
    lows, highs = [np.nan] * n_special, [np.nan] * n_special
    names_list = [label(name, v) for v in special_order]
    for j in range(len(edges) - 1):
        lo, hi = float(edges[j]), float(edges[j + 1])
        lows.append(lo)
        highs.append(hi)
        names_list.append(f"{'[' if j == 0 else '('}{lo:.4g}, {hi:.4g}]")
    return Condition(name, codes, tuple(names_list), tuple(lows), tuple(highs))


def level_columns(conditions: Sequence[Condition], codes: Sequence[int]) -> dict[str, Any]:
    """The table columns of one combination of level codes: the labels and any bin ends."""
    row: dict[str, Any] = {}
    for c, code in zip(conditions, codes, strict=True):
        row[c.name] = c.labels[code]
    for c, code in zip(conditions, codes, strict=True):
        if c.binned:
            assert c.low is not None and c.high is not None
            row[f"{c.name}_low"] = c.low[code]
            row[f"{c.name}_high"] = c.high[code]
    return row


def label_text(value: Any) -> str:
    """A level as printed: numbers with ``%g``, names as they are."""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
