"""PRIM through EMA Workbench: peeling, pasting, covering, box choice, quasi-p-values.

The Patient Rule Induction Method (Friedman & Fisher 1999) peels a small
share ``peel_alpha`` of the points off one face of the box at a time — the
face whose removal raises the share of cases most per point removed — until
the box holds ``mass_min`` of the points, then pastes back along any face
where that raises the density. Each step is a candidate box; together they
form the coverage–density trade-off (Bryant & Lempert 2010).

EMA Workbench's ``Prim`` does the peeling and pasting (real, integer and
categorical parameters, each with its own peel) and the quasi-p-values. This
module adds what scenario discovery over a stored experiment needs on top:

- the cases come from :mod:`.target` (replicate means, optionally a share
  of replicates), so EMA sees one binary case per design point;
- the box is chosen automatically: among the candidates with density at
  least ``min_density``, the one with the largest coverage × density (the
  trade-off's knee for a sharp region: a looser box loses density, a tighter
  one coverage). Ties go to the earlier, larger box;
- limits that the data do not support are dropped: while a limit's
  quasi-p-value exceeds ``max_qp``, the limit with the largest one is opened
  (one side of a range, a category's whole set; the inspection Bryant &
  Lempert 2010 recommend, automated), as long as the box keeps
  ``min_density``. Limits still above ``max_qp`` are named in the report as
  not supported;
- covering: after a box is chosen its points are set aside and PRIM runs
  again on the rest (Friedman & Fisher 1999, sec. 5), up to ``max_boxes``
  or until no candidate reaches ``min_density``;
- categorical values are passed as strings (EMA treats non-numeric columns as
  categories) and reported sorted, so output does not depend on set order;
- integer parameters are passed as floats and their limits snapped inward to
  the integers they admit (membership unchanged). EMA 2.5's pasting writes a
  fractional quantile into an int64 box, which pandas >= 3 refuses (only
  int32 is converted, with ``np.int``, gone from numpy 2); its real-valued
  peel on integer data takes the same quantiles between distinct values.

References
----------
Friedman, J.H. & Fisher, N.I. (1999) Bump hunting in high-dimensional data.
    Statistics and Computing 9, 123–143.
Bryant, B.P. & Lempert, R.J. (2010) Thinking inside the box. Technological
    Forecasting and Social Change 77, 34–49.
Kwakkel, J.H. (2017) The Exploratory Modeling Workbench. Environmental
    Modelling & Software 96, 239–250.
"""

from __future__ import annotations

import logging
import math
import warnings
from typing import Any

import numpy as np
import pandas as pd

from community_sim.discovery.boxes import TRAJECTORY_COLUMNS, Box, Discovery, Limit, in_box
from community_sim.discovery.settings import Settings
from community_sim.discovery.space import Space

log = logging.getLogger(__name__)

COI_THRESHOLD = 1e-9
"""EMA's ``threshold``: y >= it marks a case (y is 0/1), and a box whose mean is below it
is dropped with its whole trajectory. A tiny value keeps every trajectory with a case in
it, even when the last, smallest box misses ``min_density`` while an earlier one meets
it; the choice among candidates is ours (``choose``)."""


def load_ema_prim() -> Any:
    """EMA Workbench's ``prim`` module (its import warns about optional parts it lacks)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim

    return prim


def ema_frame(space: Space) -> pd.DataFrame:
    """The design as EMA wants it: floats (integers too, see above), categories as strings."""
    columns: dict[str, pd.Series] = {}
    for d in space.dims:
        col = space.frame[d.name].reset_index(drop=True)
        if d.kind == "cat":
            columns[d.name] = col.astype(str).astype(object)
        else:
            columns[d.name] = col.astype(float)
    return pd.DataFrame(columns)


def choose(trajectory: pd.DataFrame, min_density: float) -> int | None:
    """The row of the chosen candidate (module docstring), or None if none is dense enough."""
    dense = trajectory["density"].to_numpy(dtype=float) >= min_density - 1e-12
    if not dense.any():
        return None
    score = np.where(dense, trajectory["coverage"].to_numpy(dtype=float), -1.0)
    score = np.where(dense, score * trajectory["density"].to_numpy(dtype=float), -1.0)
    return int(np.argmax(score))  # first maximum: the larger box on ties


def limits_of(space: Space, box_lim: pd.DataFrame, box_init: pd.DataFrame) -> dict[str, Limit]:
    """The restricted limits of an EMA box (a 2-row frame: lower, upper; sets for categories)."""
    limits: dict[str, Limit] = {}
    for d in space.dims:
        lo, hi = box_lim.loc[0, d.name], box_lim.loc[1, d.name]
        if d.kind == "cat":
            allowed = frozenset(str(v) for v in lo)
            if allowed != frozenset(str(v) for v in box_init.loc[0, d.name]):
                limits[d.name] = allowed
        elif lo != box_init.loc[0, d.name] or hi != box_init.loc[1, d.name]:
            if d.kind == "int":  # a quantile between integers: the integers it admits
                lo, hi = math.ceil(lo - 1e-9), math.floor(hi + 1e-9)
            limits[d.name] = (float(lo), float(hi))
    return limits


def _qp(qp: dict[str, list[float]], limits: dict[str, Limit]) -> dict[str, Any]:
    out: dict[str, tuple[float, float]] = {}
    for name in limits:
        lo, hi = (qp.get(name) or [-1.0, -1.0])[:2]
        out[name] = (np.nan if lo == -1 else float(lo), np.nan if hi == -1 else float(hi))
    return out


def _rows(b: int, traj: pd.DataFrame, i: int | None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "box": b,
            "step": np.arange(len(traj)),
            "coverage": traj["coverage"].astype(float),
            "density": traj["density"].astype(float),
            "mass": traj["mass"].astype(float),
            "res_dim": traj["res_dim"].astype(int),
            "n": traj["n"].astype(int),
            "k": traj["k"].astype(int),
            "selected": np.arange(len(traj)) == (-1 if i is None else i),
        }
    )


def _worst_qp(qp: dict[str, list[float]]) -> tuple[str | None, int, float]:
    """The limit with the largest quasi-p-value: ``(parameter, side 0/1, value)``."""
    worst, side, value = None, 0, -1.0
    for name in sorted(qp):
        for k, v in enumerate(qp[name][:2]):
            if v != -1 and np.isfinite(v) and float(v) > value:
                worst, side, value = name, k, float(v)
    return worst, side, value


def _drop_limit(p: Any, found: Any, i: int, name: str, side: int, space: Space) -> None:
    """Append to the trajectory box ``i`` with one limit opened (a category's whole set).

    EMA's ``drop_restriction`` opens both sides of a parameter, which would also
    drop a well-supported limit on the other side.
    """
    lim = found.box_lims[i].copy()
    if space.dim(name).kind == "cat":
        lim.loc[:, name] = p.box_init.loc[:, name]
    else:
        lim.loc[side, name] = p.box_init.loc[side, name]
    rest = p.yi_remaining
    inside = in_box(p.x.loc[rest].reset_index(drop=True), limits_of(space, lim, p.box_init))
    found.update(lim, rest[inside])


def prune(p: Any, found: Any, i: int, settings: Settings, space: Space) -> int:
    """Drop unsupported limits from candidate ``i`` (module docstring); the final index."""
    if settings.max_qp is None:
        return i
    while True:
        name, side, value = _worst_qp(found.qp[i])
        if name is None or value <= settings.max_qp:
            return i
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", FutureWarning)
            _drop_limit(p, found, i, name, side, space)
        j = len(found.peeling_trajectory) - 1
        if float(found.peeling_trajectory["density"].iloc[j]) < settings.min_density - 1e-12:
            found.select(i)  # the wider box is too thin: keep the one before
            return i
        i = j


MIN_POINTS_PER_INPUT = 25
"""Fewer design points per input than this, and PRIM's peeling chases noise: each peel
removes ``peel_alpha`` of the points along one of many faces, and with few points the
best face is often a fluke, so boxes appear in data that hold none. A rule of thumb, not
a bound: check such boxes with ``--validate``."""
MIN_POINTS_IN_BOX = 10
"""The smallest box (``mass_min`` of the points) should hold this many: fewer, and its
density moves by 0.1 or more with one point."""


def small_design_notes(n_points: int, n_inputs: int, settings: Settings) -> list[str]:
    """Warnings when the design is too small for PRIM to tell a box from noise."""
    notes = []
    if n_points < MIN_POINTS_PER_INPUT * n_inputs:
        notes.append(
            f"warning: {n_points} points for {n_inputs} inputs (fewer than "
            f"{MIN_POINTS_PER_INPUT} per input): boxes may fit noise; validate them "
            "(--validate permutation) or add points"
        )
    if n_points * settings.mass_min < MIN_POINTS_IN_BOX:
        notes.append(
            f"warning: the smallest box holds {n_points * settings.mass_min:.0f} points "
            f"(mass_min {settings.mass_min:g}): its density is too coarse to trust"
        )
    return notes


def run_prim(space: Space, coi: np.ndarray, settings: Settings) -> Discovery:
    """Boxes of the cases ``coi`` (one bool per row of ``space.frame``) by PRIM with covering."""
    prim = load_ema_prim()
    x = ema_frame(space)
    y = np.asarray(coi, dtype=int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        p = prim.Prim(
            x,
            y,
            threshold=COI_THRESHOLD,
            peel_alpha=settings.peel_alpha,
            paste_alpha=settings.paste_alpha,
            mass_min=settings.mass_min,
        )
    boxes: list[Box] = []
    rows: list[pd.DataFrame] = []
    notes: list[str] = small_design_notes(len(y), len(space.names), settings)
    taken = np.zeros(len(y), dtype=bool)  # points of the boxes chosen so far
    for b in range(1, settings.max_boxes + 1):
        if not (y.astype(bool) & ~taken).any():
            notes.append(f"covering stopped after {b - 1} box(es): no case left outside them")
            break
        with warnings.catch_warnings():  # EMA's pandas deprecations are not the user's
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", FutureWarning)
            found = p.find_box()
        if found is None:
            break
        traj = found.peeling_trajectory.reset_index(drop=True)
        i = choose(traj, settings.min_density)
        rows.append(_rows(b, traj, i))
        if i is None:
            best = traj.loc[traj["density"].idxmax()]
            notes.append(
                f"covering stopped after {b - 1} box(es): no candidate box {b} reaches "
                f"density {settings.min_density:g}; the best density reached was "
                f"{best['density']:.2f}, at coverage {best['coverage']:.2f} "
                f"({int(best['k'])} cases in {int(best['n'])} points)"
            )
            break
        found.select(i)
        i = prune(p, found, i, settings, space)
        traj = found.peeling_trajectory.reset_index(drop=True)
        rows[-1] = _rows(b, traj, i)
        taken[np.asarray(found.yi, dtype=np.int64)] = True
        limits = limits_of(space, found.box_lims[i], p.box_init)
        stats = traj.iloc[i]
        boxes.append(
            Box(
                index=b,
                limits=limits,
                coverage=float(stats["coverage"]),
                density=float(stats["density"]),
                mass=float(stats["mass"]),
                n=int(stats["n"]),
                k=int(stats["k"]),
                qp=_qp(found.qp[i], limits),
            )
        )
        log.info("box %d: coverage %.3f density %.3f", b, boxes[-1].coverage, boxes[-1].density)
    trajectory = (
        pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=TRAJECTORY_COLUMNS)
    )
    return Discovery("prim", boxes, trajectory.loc[:, TRAJECTORY_COLUMNS], notes)
