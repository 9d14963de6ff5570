"""The parameter space of a stored experiment, typed as scenario discovery needs it.

Each varied parameter keeps the kind its spec gave it (``real``, ``int``,
``cat``; a distribution counts as ``real``): real and integer parameters are
bounded by intervals, categorical ones by a set of values. The ranges come
from the spec (the factor's ``low``/``high`` or its ``values``), so a box is
drawn against the range the study sampled rather than the range the sample
happened to reach; a distribution factor, which has no range, uses the
sample's minimum and maximum.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from community_sim.errors import UserError

KINDS = ("real", "int", "cat")


@dataclass(frozen=True)
class Dimension:
    """One varied parameter: kind and range (``values`` for a categorical one)."""

    name: str
    kind: str  # real | int | cat
    low: float = float("nan")
    high: float = float("nan")
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Space:
    """The varied parameters and the design points, in point order."""

    dims: tuple[Dimension, ...]
    frame: pd.DataFrame  # one column per dimension; categorical values as strings

    @property
    def names(self) -> list[str]:
        return [d.name for d in self.dims]

    def dim(self, name: str) -> Dimension:
        return next(d for d in self.dims if d.name == name)


def value_text(value: Any) -> str:
    """A categorical value as text (``60`` rather than ``60.0``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def space_from_store(manifest: Mapping[str, Any], design: pd.DataFrame, source: str) -> Space:
    """The typed space of an experiment from its manifest and ``design.parquet``."""
    factors = list((manifest.get("design") or {}).get("parameters") or [])
    if not factors:
        kind = (manifest.get("design") or {}).get("kind", "unknown")
        raise UserError(
            f"the {kind} design varies no parameter, so there is no space to search; "
            "discovery needs a sampled design (lhs, sobol, grid, ...)",
            source=source,
        )
    missing = [f["name"] for f in factors if f["name"] not in design.columns]
    if missing:
        raise UserError(
            f"design has no column for {', '.join(missing)}; the store is incomplete, rerun it",
            source=source,
        )
    design = design.sort_values("point", kind="stable") if "point" in design else design
    dims: list[Dimension] = []
    columns: dict[str, pd.Series] = {}
    for f in factors:
        name, kind = str(f["name"]), str(f.get("kind") or "real")
        col = design[name].reset_index(drop=True)
        if kind == "cat":
            values = tuple(value_text(v) for v in f.get("values") or sorted(set(col)))
            columns[name] = col.map(value_text).astype(str)
            dims.append(Dimension(name, "cat", values=values))
            continue
        numeric = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
        if not np.isfinite(numeric).all():
            raise UserError(f"design column {name!r} has non-numeric values", source=source)
        low, high = f.get("low"), f.get("high")
        low = float(low) if low is not None else float(numeric.min())
        high = float(high) if high is not None else float(numeric.max())
        if kind == "int":
            columns[name] = pd.Series(numeric.astype(np.int64), name=name)
            dims.append(Dimension(name, "int", low, high))
        else:
            columns[name] = pd.Series(numeric, name=name)
            dims.append(Dimension(name, "real", low, high))
    return Space(tuple(dims), pd.DataFrame(columns))
