"""Design factors: the parameters an experiment varies, and how a unit sample maps to them.

Every sampling design draws points in the unit hypercube ``[0, 1)^D``; each
:class:`Factor` maps its column to model values (as EMA Workbench's
``RealParameter``/``IntegerParameter``/``CategoricalParameter`` do):

- ``real``: ``low + u * (high - low)``;
- ``int``: ``floor(low + u * (high + 1 - low))`` — sampled on ``[low, high + 1)``
  and floored, so each integer gets the same share (rounding would halve the ends);
- ``cat``: ``values[floor(u * len(values))]``;
- ``dist``: the inverse CDF (``scipy.stats``) of ``unif``, ``norm``, ``triang``
  or ``lognorm``.

A factor is written in a spec as an inline table, e.g.
``tech_drift = { low = 0.0, high = 0.25 }``, ``n_smes = { low = 10, high = 40,
kind = "int" }``, ``policy = { values = ["project", "integrated"] }`` or
``unemployment_rate = { dist = "norm", mean = 0.05, sd = 0.01 }``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError

from community_sim.errors import UserError, did_you_mean

FactorKind = Literal["real", "int", "cat", "dist"]

DISTS: dict[str, tuple[str, ...]] = {
    "unif": ("low", "high"),
    "norm": ("mean", "sd"),
    "triang": ("low", "high", "mode"),
    "lognorm": ("mu", "sigma"),
}
"""Distribution name → its parameters, in the order stored in :attr:`Factor.args`."""

# Inverse CDFs are evaluated on [EPS, 1 - EPS] so unbounded distributions stay finite.
_EPS = 1e-12


class _FactorIn(BaseModel):
    """One factor as written in a spec (shape only; meaning is checked below)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["real", "int"] | None = None
    low: float | None = None
    high: float | None = None
    levels: int | None = None
    values: list[Any] | None = None
    dist: str | None = None
    mean: float | None = None
    sd: float | None = None
    mode: float | None = None
    mu: float | None = None
    sigma: float | None = None


@dataclass(frozen=True)
class Factor:
    """One varied parameter, validated."""

    name: str
    kind: FactorKind
    low: float | None = None
    high: float | None = None
    values: tuple[Any, ...] = ()
    dist: str | None = None
    args: tuple[float, ...] = ()
    levels: int | None = None

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        """Map unit-interval draws ``u`` to this factor's values."""
        u = np.asarray(u, dtype=float)
        if self.kind == "real":
            assert self.low is not None and self.high is not None
            return self.low + u * (self.high - self.low)
        if self.kind == "int":
            assert self.low is not None and self.high is not None
            v = np.floor(self.low + u * (self.high + 1 - self.low))
            return np.minimum(v, self.high).astype(np.int64)
        if self.kind == "cat":
            idx = np.minimum((u * len(self.values)).astype(np.int64), len(self.values) - 1)
            return np.array([self.values[i] for i in idx], dtype=object)
        return self._ppf(np.clip(u, _EPS, 1.0 - _EPS))

    def _ppf(self, u: np.ndarray) -> np.ndarray:
        from scipy import stats

        a = self.args
        if self.dist == "unif":
            return a[0] + u * (a[1] - a[0])
        if self.dist == "norm":
            return stats.norm.ppf(u, loc=a[0], scale=a[1])
        if self.dist == "triang":
            c = (a[2] - a[0]) / (a[1] - a[0])
            return stats.triang.ppf(u, c, loc=a[0], scale=a[1] - a[0])
        # lognorm: mu and sigma of the variable's logarithm
        return stats.lognorm.ppf(u, a[1], scale=math.exp(a[0]))

    def grid_values(self) -> list[Any]:
        """The values a full-factorial grid takes for this factor."""
        if self.kind == "cat":
            return list(self.values)
        assert self.low is not None and self.high is not None
        if self.kind == "int":
            if self.levels is None:
                return list(range(int(self.low), int(self.high) + 1))
            pts = np.unique(np.round(np.linspace(self.low, self.high, self.levels)))
            return [int(v) for v in pts]
        assert self.levels is not None
        return [float(v) for v in np.linspace(self.low, self.high, self.levels)]

    def describe(self) -> dict[str, Any]:
        """A JSON-friendly summary for the manifest."""
        out: dict[str, Any] = {"name": self.name, "kind": self.kind}
        if self.kind in ("real", "int"):
            out |= {"low": self.low, "high": self.high}
            if self.levels is not None:
                out["levels"] = self.levels
        elif self.kind == "cat":
            out["values"] = list(self.values)
        else:
            out |= {"dist": self.dist, **dict(zip(DISTS[self.dist or ""], self.args, strict=True))}
        return out

    def salib_entry(self) -> tuple[list[float], str]:
        """``(bounds, dist)`` of this factor in a SALib problem (model units)."""
        if self.kind == "real":
            return [float(self.low or 0.0), float(self.high or 0.0)], "unif"
        if self.kind == "int":
            return [float(self.low or 0.0), float(self.high or 0.0) + 1.0], "unif"
        if self.kind == "cat":
            return [0.0, float(len(self.values))], "unif"
        dist = self.dist or "unif"
        args = list(self.args)
        if dist == "triang":  # SALib: [lower, upper, peak as a fraction of the width]
            args = [args[0], args[1], (args[2] - args[0]) / (args[1] - args[0])]
        return args, dist


def parse_factor(name: str, raw: Any, *, source: str, prefix: str) -> Factor:
    """Validate one factor table; errors name ``source`` and ``prefix.name.field``."""
    key = f"{prefix}.{name}"
    if not isinstance(raw, Mapping):
        raise UserError(
            "expected a table such as { low = 0.0, high = 1.0 } or { values = [...] }",
            source=source,
            key=key,
        )
    try:
        f = _FactorIn.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(x) for x in err["loc"])
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            allowed = list(_FactorIn.model_fields)
            msg = f"unknown field{did_you_mean(field, allowed)}; allowed: {', '.join(allowed)}"
        raise UserError(msg[0].lower() + msg[1:], source=source, key=f"{key}.{field}") from None

    if f.values is not None:
        return _categorical(name, f, source, key)
    if f.dist is not None and f.dist != "unif":
        return _distribution(name, f, source, key)
    if f.low is None or f.high is None:
        raise UserError(
            "give low and high, values = [...], or dist = " + " | ".join(DISTS),
            source=source,
            key=key,
        )
    if not f.low < f.high:
        raise UserError(
            f"lower bound {f.low:g} must be below upper bound {f.high:g}",
            source=source,
            key=f"{key}.low",
        )
    kind: FactorKind = f.kind or "real"
    if kind == "int" and (f.low != int(f.low) or f.high != int(f.high)):
        raise UserError("integer factors need whole-number bounds", source=source, key=key)
    if f.levels is not None and f.levels < 2:
        raise UserError("levels must be at least 2", source=source, key=f"{key}.levels")
    return Factor(name, kind, float(f.low), float(f.high), levels=f.levels)


def _categorical(name: str, f: _FactorIn, source: str, key: str) -> Factor:
    vals = f.values or []
    if not vals:
        raise UserError("values must not be empty", source=source, key=f"{key}.values")
    if len({type(v) for v in vals}) > 1:
        raise UserError("values must all be of one type", source=source, key=f"{key}.values")
    if len(set(vals)) != len(vals):
        raise UserError("values must be distinct", source=source, key=f"{key}.values")
    return Factor(name, "cat", values=tuple(vals))


def _distribution(name: str, f: _FactorIn, source: str, key: str) -> Factor:
    dist = f.dist or ""
    if dist not in DISTS:
        raise UserError(
            f"unknown distribution {dist!r}{did_you_mean(dist, DISTS)}; "
            f"choose one of {', '.join(DISTS)}",
            source=source,
            key=f"{key}.dist",
        )
    args: list[float] = []
    for field in DISTS[dist]:
        v = getattr(f, field)
        if v is None:
            raise UserError(
                f"a {dist} distribution needs {', '.join(DISTS[dist])}",
                source=source,
                key=f"{key}.{field}",
            )
        args.append(float(v))
    if (dist == "norm" and args[1] <= 0) or (dist == "lognorm" and args[1] <= 0):
        raise UserError("the spread must be positive", source=source, key=key)
    if dist == "triang":
        lo, hi, mode = args
        if not lo < hi:
            raise UserError(
                f"lower bound {lo:g} must be below upper bound {hi:g}",
                source=source,
                key=f"{key}.low",
            )
        if not lo <= mode <= hi:
            raise UserError("mode must lie within [low, high]", source=source, key=f"{key}.mode")
    return Factor(name, "dist", dist=dist, args=tuple(args))
