"""Experimental designs, as an explicit registry :data:`DESIGNS`.

Each design checks its options against the spec (errors name the file and the
key), draws its points in the unit hypercube, and maps them to model values
through the factors (:mod:`community_sim.experiment.factors`). Points keep
their sample order, which the Sobol', Morris and FAST analyses rely on.

References
----------
Saltelli, A. et al. (2010) Variance based sensitivity analysis of model output.
    Computer Physics Communications 181(2), 259–270 (Sobol' sample, N·(2D+2) or N·(D+2)).
Morris, M.D. (1991) Factorial sampling plans for preliminary computational
    experiments. Technometrics 33(2), 161–174 (N trajectories of D+1 points).
Cukier, R.I. et al. (1973); Saltelli, Tarantola & Chan (1999) Technometrics 41(1)
    (extended FAST: N·D points, N > 4M²).
McKay, Beckman & Conover (1979) Technometrics 21(2), 239–245 (Latin hypercube).
Owen, A.B. (1998) Scrambling Sobol' and Niederreiter–Xing points. J. Complexity
    14(4), 466–489 (the emulator's space-filling training design).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from community_sim.errors import UserError
from community_sim.experiment.factors import Factor
from community_sim.experiment.spec import DesignSpec

Sampler = Callable[[DesignSpec, int], np.ndarray]


def _need_n(d: DesignSpec, source: str, what: str) -> int:
    if d.n is None:
        raise UserError(f"the {d.kind} design needs n ({what})", source=source, key="design.n")
    return d.n


def _need_factors(d: DesignSpec, source: str) -> None:
    if not d.factors:
        raise UserError(
            f"the {d.kind} design needs [design.parameters]", source=source, key="design.parameters"
        )
    if d.scenarios:
        raise UserError(
            f"named scenarios belong to kind = 'scenarios', not {d.kind!r}",
            source=source,
            key="design.scenarios",
        )


def _unit_problem(d: DesignSpec) -> dict[str, Any]:
    names = [f.name for f in d.factors]
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


@dataclass(frozen=True)
class Design:
    """One design kind: how to check its options, draw its unit sample, and size it."""

    check: Callable[[DesignSpec, str], None]
    unit_sample: Sampler | None
    size: Callable[[DesignSpec], int]


# --- sobol --------------------------------------------------------------------
def _check_sobol(d: DesignSpec, source: str) -> None:
    _need_factors(d, source)
    n = _need_n(d, source, "base sample size, a power of two")
    if n & (n - 1):
        lo = 2 ** (n.bit_length() - 1)
        raise UserError(
            f"n = {n} is not a power of two; use {lo} or {lo * 2}", source=source, key="design.n"
        )
    if d.emulator is not None:
        for f in d.factors:
            if f.kind != "real":
                # the emulator samples each input uniformly between its bounds
                raise UserError(
                    f"an emulator needs a continuous range (low, high), not a {f.kind} factor",
                    source=source,
                    key=f"design.parameters.{f.name}",
                )
        if n < 32:
            raise UserError(
                f"n = {n} points are too few to train and validate an emulator; "
                "use n >= 32 (256 or more validate better)",
                source=source,
                key="design.n",
            )


def _sobol(d: DesignSpec, seed: int) -> np.ndarray:
    if d.emulator is not None:
        # an emulator learns from n scrambled Sobol' points that fill the cube evenly
        from scipy.stats import qmc

        return qmc.Sobol(len(d.factors), scramble=True, seed=seed).random(d.n or 0)
    from SALib.sample import sobol

    return sobol.sample(_unit_problem(d), d.n, calc_second_order=d.second_order, seed=seed)


def _sobol_size(d: DesignSpec) -> int:
    if d.emulator is not None:
        return d.n or 0
    k = len(d.factors)
    return (d.n or 0) * (2 * k + 2 if d.second_order else k + 2)


# --- morris -------------------------------------------------------------------
def _check_morris(d: DesignSpec, source: str) -> None:
    _need_factors(d, source)
    n = _need_n(d, source, "number of trajectories")
    for f in d.factors:
        if f.kind == "dist" and f.dist in ("norm", "lognorm"):
            raise UserError(
                f"Morris samples the ends of each range, which a {f.dist} distribution lacks; "
                "give low/high or a triang distribution",
                source=source,
                key=f"design.parameters.{f.name}",
            )
    if d.optimal_trajectories is not None and d.optimal_trajectories >= n:
        raise UserError(
            f"optimal_trajectories must be below n = {n}",
            source=source,
            key="design.optimal_trajectories",
        )


def _morris(d: DesignSpec, seed: int) -> np.ndarray:
    from SALib.sample import morris

    return morris.sample(
        _unit_problem(d),
        d.n,
        num_levels=d.levels,
        optimal_trajectories=d.optimal_trajectories,
        seed=seed,
    )


def _morris_size(d: DesignSpec) -> int:
    return (d.optimal_trajectories or d.n or 0) * (len(d.factors) + 1)


# --- fast ---------------------------------------------------------------------
def _check_fast(d: DesignSpec, source: str) -> None:
    _need_factors(d, source)
    n = _need_n(d, source, "samples per parameter")
    if n <= 4 * d.m**2:
        raise UserError(
            f"n = {n} must exceed 4·m² = {4 * d.m**2} (m = {d.m})", source=source, key="design.n"
        )


def _fast(d: DesignSpec, seed: int) -> np.ndarray:
    from SALib.sample import fast_sampler

    return fast_sampler.sample(_unit_problem(d), d.n, M=d.m, seed=seed)


# --- lhs ----------------------------------------------------------------------
def _check_lhs(d: DesignSpec, source: str) -> None:
    _need_factors(d, source)
    _need_n(d, source, "number of samples")


def _lhs(d: DesignSpec, seed: int) -> np.ndarray:
    """Latin hypercube: one draw in each of n equal strata per dimension (McKay et al. 1979)."""
    rng = np.random.default_rng(seed)
    n, k = d.n or 0, len(d.factors)
    u = np.empty((n, k))
    for j in range(k):
        u[:, j] = (rng.permutation(n) + rng.random(n)) / n
    return u


# --- grid ---------------------------------------------------------------------
def _check_grid(d: DesignSpec, source: str) -> None:
    _need_factors(d, source)
    for f in d.factors:
        key = f"design.parameters.{f.name}"
        if f.kind == "dist":
            raise UserError(
                "a grid cannot sample a distribution; give low, high and levels",
                source=source,
                key=key,
            )
        if f.kind == "real" and f.levels is None:
            raise UserError(
                "a grid needs levels for a continuous range", source=source, key=f"{key}.levels"
            )


def _grid_size(d: DesignSpec) -> int:
    return math.prod(len(f.grid_values()) for f in d.factors)


# --- scenarios ----------------------------------------------------------------
def _check_scenarios(d: DesignSpec, source: str) -> None:
    if not d.scenarios:
        raise UserError(
            "give at least one [design.scenarios.NAME] table (it may be empty)",
            source=source,
            key="design.scenarios",
        )
    if d.factors:
        raise UserError(
            "kind = 'scenarios' takes named sets, not ranges; move them to a sampling design",
            source=source,
            key="design.parameters",
        )


DESIGNS: dict[str, Design] = {
    "scenarios": Design(_check_scenarios, None, lambda d: len(d.scenarios)),
    "grid": Design(_check_grid, None, _grid_size),
    "lhs": Design(_check_lhs, _lhs, lambda d: d.n or 0),
    "sobol": Design(_check_sobol, _sobol, _sobol_size),
    "morris": Design(_check_morris, _morris, _morris_size),
    "fast": Design(_check_fast, _fast, lambda d: (d.n or 0) * len(d.factors)),
}
"""Every design kind by name."""


def design_seed(master_seed: int) -> int:
    """The sampler's seed: its own stream of the master seed, apart from the run seeds."""
    ss = np.random.SeedSequence([master_seed, 0x5EED_DE51])
    return int(ss.generate_state(1, np.uint32)[0])


def build_design(d: DesignSpec, base: dict[str, Any], master_seed: int) -> pd.DataFrame:
    """The design matrix in sample order: ``point`` plus one column per parameter."""
    if d.kind == "scenarios":
        keys = list(dict.fromkeys(k for sc in d.scenarios.values() for k in sc))
        rows = [
            {"scenario": name, **{k: sc.get(k, base.get(k)) for k in keys}}
            for name, sc in d.scenarios.items()
        ]
        frame = pd.DataFrame(rows, columns=["scenario", *keys])
    elif d.kind == "grid":
        combos = list(itertools.product(*(f.grid_values() for f in d.factors)))
        frame = pd.DataFrame(combos, columns=[f.name for f in d.factors])
    else:
        sampler = DESIGNS[d.kind].unit_sample
        assert sampler is not None
        u = np.asarray(sampler(d, design_seed(master_seed)), dtype=float)
        frame = pd.DataFrame(
            {f.name: _column(f, u[:, j]) for j, f in enumerate(d.factors)}, index=range(len(u))
        )
    frame.insert(0, "point", np.arange(len(frame), dtype=np.int64))
    return frame.reset_index(drop=True)


def _column(f: Factor, u: np.ndarray) -> Any:
    v = f.from_unit(u)
    return list(v) if v.dtype == object else v


def describe_design(d: DesignSpec, n_points: int) -> dict[str, Any]:
    """The design summary stored in the manifest (enough to rebuild a SALib problem)."""
    out: dict[str, Any] = {"kind": d.kind, "n_points": n_points, "N": d.n}
    if d.kind == "sobol":
        out["second_order"] = d.second_order
        if d.emulator is not None:
            out |= {"emulator": d.emulator, "min_q2": d.min_q2}
    if d.kind == "morris":
        out |= {
            "levels": d.levels,
            "trajectories": d.n,
            "optimal_trajectories": d.optimal_trajectories,
        }
    if d.kind == "fast":
        out["M"] = d.m
    if d.kind == "scenarios":
        out["scenarios"] = list(d.scenarios)
    out["parameters"] = [f.describe() for f in d.factors]
    if d.factors:
        entries = [f.salib_entry() for f in d.factors]
        out["problem"] = {
            "num_vars": len(d.factors),
            "names": [f.name for f in d.factors],
            "bounds": [b for b, _ in entries],
            "dists": [t for _, t in entries],
        }
    return out
