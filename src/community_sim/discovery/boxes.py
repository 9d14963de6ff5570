"""Boxes in a parameter space: membership, coverage and density, quasi-p-values.

A box bounds each real or integer parameter by a closed interval and each
categorical one by a set of values. Its quality for a case of interest
(Bryant & Lempert 2010):

- *coverage* — the share of all cases of interest that fall in the box;
- *density* — the share of the points in the box that are cases;
- *mass* — the share of all points in the box.

The quasi-p-value of a limit is the one-sided binomial probability of seeing
at least the box's cases among its points if the limit were dropped, i.e.
if the box's density were that of the box without the limit (Bryant &
Lempert 2010, sec. 3.2); a small value says the limit is not an accident of
the sample. This is the same test as EMA Workbench's ``calculate_qp``.

References
----------
Bryant, B.P. & Lempert, R.J. (2010) Thinking inside the box: a participatory,
    computer-assisted approach to scenario discovery. Technological
    Forecasting and Social Change 77, 34–49.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from community_sim.discovery.space import Space

Limit = tuple[float, float] | frozenset[str]
"""An interval ``(lower, upper)`` (closed) or the set of allowed categorical values."""


@dataclass(frozen=True)
class Box:
    """One box found by a method, with its statistics on the data it was found in."""

    index: int  # 1, 2, ... in the order found
    limits: Mapping[str, Limit]  # only the restricted parameters
    coverage: float
    density: float
    mass: float
    n: int  # points in the box
    k: int  # cases of interest in the box
    qp: Mapping[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def res_dim(self) -> int:
        return len(self.limits)


def in_box(frame: pd.DataFrame, limits: Mapping[str, Limit]) -> np.ndarray:
    """Which rows of ``frame`` lie in the box (closed intervals, value sets)."""
    inside = np.ones(len(frame), dtype=bool)
    for name, limit in limits.items():
        col = frame[name]
        if isinstance(limit, frozenset):
            inside &= col.astype(str).isin(limit).to_numpy()
        else:
            x = col.to_numpy(dtype=float)
            inside &= (x >= limit[0]) & (x <= limit[1])
    return inside


def box_counts(inside: np.ndarray, coi: np.ndarray) -> tuple[int, int]:
    """``(n, k)``: points and cases of interest in the box."""
    return int(inside.sum()), int((inside & coi).sum())


def is_restricted(space: Space, frame: pd.DataFrame, name: str, limit: Limit) -> bool:
    """Whether ``limit`` excludes any point of ``frame`` (else it restricts nothing)."""
    if isinstance(limit, frozenset):
        return not set(frame[name].astype(str)) <= limit
    x = frame[name].to_numpy(dtype=float)
    return bool(limit[0] > x.min() or limit[1] < x.max())


def quasi_p(
    frame: pd.DataFrame, coi: np.ndarray, limits: Mapping[str, Limit]
) -> dict[str, tuple[float, float]]:
    """Quasi-p-values ``(lower, upper)`` of each limit (NaN for an open side).

    A categorical limit has one value, in ``lower``. ``frame`` and ``coi`` are
    the points the box was found among (for a later box of a covering, the
    points no earlier box took).
    """
    inside = in_box(frame, limits)
    n_box, k_box = box_counts(inside, coi)
    x_min = {n: frame[n].to_numpy(dtype=float).min() for n, v in limits.items() if _num(v)}
    x_max = {n: frame[n].to_numpy(dtype=float).max() for n, v in limits.items() if _num(v)}
    out: dict[str, tuple[float, float]] = {}
    for name, limit in limits.items():
        if not _num(limit):
            out[name] = (_binom_p(frame, coi, limits, name, None, k_box, n_box), np.nan)
            continue
        lo, hi = limit  # type: ignore[misc]
        p_lo = (
            _binom_p(frame, coi, limits, name, (x_min[name], hi), k_box, n_box)
            if lo > x_min[name]
            else np.nan
        )
        p_hi = (
            _binom_p(frame, coi, limits, name, (lo, x_max[name]), k_box, n_box)
            if hi < x_max[name]
            else np.nan
        )
        out[name] = (p_lo, p_hi)
    return out


def _num(limit: Limit) -> bool:
    return not isinstance(limit, frozenset)


def _binom_p(
    frame: pd.DataFrame,
    coi: np.ndarray,
    limits: Mapping[str, Limit],
    name: str,
    relaxed: Limit | None,
    k_box: int,
    n_box: int,
) -> float:
    """P(Binomial(n_box, p) >= k_box) with p the density of the box with ``name`` relaxed."""
    wider = {k: v for k, v in limits.items() if k != name}
    if relaxed is not None:
        wider[name] = relaxed
    n, k = box_counts(in_box(frame, wider), coi)
    if n == 0 or n_box == 0:
        return float("nan")
    return float(stats.binomtest(k_box, n_box, k / n, alternative="greater").pvalue)


TRAJECTORY_COLUMNS = ["box", "step", "coverage", "density", "mass", "res_dim", "n", "k", "selected"]
"""Columns of a method's trajectory: every candidate box it considered, per box found."""


@dataclass
class Discovery:
    """What a method found: boxes in order, the candidates it chose them from, notes."""

    method: str
    boxes: list[Box]
    trajectory: pd.DataFrame  # TRAJECTORY_COLUMNS
    notes: list[str] = field(default_factory=list)
