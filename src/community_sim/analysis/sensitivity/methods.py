"""Sensitivity methods as one registry; SALib is called only from here.

Every method maps ``(design, y, noise, rng) -> tidy rows`` for one output and
one target. Index tables share the columns ``parameter, S1, S1_conf, ST,
ST_conf``; methods without a total index leave ST NaN. PAWN's index (the
median over conditioning intervals of the Kolmogorov–Smirnov distance; Pianosi
& Wagener 2015, 2018) and Borgonovo's (2007) moment-independent delta are
reported in ``S1`` (``S1_conf`` is delta's bootstrap half-width; PAWN has
none). Delta is our vectorised port of SALib's estimator (``delta.py``): the
same numbers, an order of magnitude faster. Morris (1991) with Campolongo et
al. (2007)'s mu* gives its own columns. FAST is the extended FAST of Cukier
et al. (1973) and Saltelli, Tarantola & Chan (1999).

Only Sobol' uses the replicate-noise correction (see ``sobol.py``); the other
methods read the replicate mean as is.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from SALib.analyze import fast as salib_fast
from SALib.analyze import morris as salib_morris
from SALib.analyze import pawn as salib_pawn

from community_sim.analysis.sensitivity.delta import delta_indices
from community_sim.analysis.sensitivity.design import DesignInfo
from community_sim.analysis.sensitivity.sobol import SobolResult, sobol_indices, split_saltelli

CONF_LEVEL = 0.95
N_RESAMPLES = 500


@dataclass(frozen=True)
class MethodOutput:
    """Tidy rows of one method for one output and target."""

    indices: pd.DataFrame | None = None  # parameter, S1, S1_conf, ST, ST_conf
    s2: pd.DataFrame | None = None  # param_i, param_j, S2, S2_conf
    morris: pd.DataFrame | None = None  # parameter, mu, mu_star, sigma, mu_star_conf


def _seed(rng: np.random.Generator) -> int:
    return int(rng.integers(0, 2**31 - 1))


def _indices_frame(
    names: tuple[str, ...],
    s1: np.ndarray,
    s1_conf: np.ndarray | None = None,
    st: np.ndarray | None = None,
    st_conf: np.ndarray | None = None,
) -> pd.DataFrame:
    nan = np.full(len(names), np.nan)

    def col(a: np.ndarray | None) -> np.ndarray:
        return nan if a is None else np.asarray(a, dtype=float)

    return pd.DataFrame(
        {
            "parameter": list(names),
            "S1": col(s1),
            "S1_conf": col(s1_conf),
            "ST": col(st),
            "ST_conf": col(st_conf),
        }
    )


def sobol_result(
    info: DesignInfo, y: np.ndarray, noise: np.ndarray | None, rng: np.random.Generator
) -> SobolResult:
    """Sobol' indices of ``y`` (sample order), corrected for ``noise`` when given."""
    blocks = split_saltelli(y, info.dim, info.second_order)
    nblocks = None if noise is None else split_saltelli(noise, info.dim, info.second_order)
    return sobol_indices(blocks, nblocks, n_boot=N_RESAMPLES, conf_level=CONF_LEVEL, rng=rng)


def run_sobol(
    info: DesignInfo, y: np.ndarray, noise: np.ndarray | None, rng: np.random.Generator
) -> MethodOutput:
    res = sobol_result(info, y, noise, rng)
    idx = _indices_frame(info.names, res.S1, res.S1_conf, res.ST, res.ST_conf)
    s2 = None
    if res.S2 is not None and res.S2_conf is not None:
        rows = [
            (info.names[i], info.names[j], res.S2[i, j], res.S2_conf[i, j])
            for i in range(info.dim)
            for j in range(i + 1, info.dim)
        ]
        s2 = pd.DataFrame(rows, columns=["param_i", "param_j", "S2", "S2_conf"])
    return MethodOutput(indices=idx, s2=s2)


def run_morris(
    info: DesignInfo, y: np.ndarray, noise: np.ndarray | None, rng: np.random.Generator
) -> MethodOutput:
    """Morris elementary effects on the unit-scaled grid: mu* = |slope| × range for linear f."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        si = salib_morris.analyze(
            info.problem(),
            info.X,
            np.asarray(y, dtype=float),
            num_resamples=N_RESAMPLES,
            conf_level=CONF_LEVEL,
            num_levels=int(info.levels or 4),
            seed=_seed(rng),
        )
    frame = pd.DataFrame(
        {
            "parameter": list(info.names),
            "mu": np.asarray(si["mu"], dtype=float),
            "mu_star": np.asarray(si["mu_star"], dtype=float),
            "sigma": np.asarray(si["sigma"], dtype=float),
            "mu_star_conf": np.asarray(si["mu_star_conf"], dtype=float),
        }
    )
    return MethodOutput(morris=frame)


def run_fast(
    info: DesignInfo, y: np.ndarray, noise: np.ndarray | None, rng: np.random.Generator
) -> MethodOutput:
    with warnings.catch_warnings():
        # SALib warns that its FAST bootstrap CIs are indicative only (SALib issue 649);
        # the report and docs say so instead of every run printing it
        warnings.simplefilter("ignore", UserWarning)
        si = salib_fast.analyze(
            info.problem(),
            np.asarray(y, dtype=float),
            M=int(info.fast_m),
            num_resamples=N_RESAMPLES,
            conf_level=CONF_LEVEL,
            seed=_seed(rng),
        )
    return MethodOutput(
        indices=_indices_frame(info.names, si["S1"], si["S1_conf"], si["ST"], si["ST_conf"])
    )


def run_pawn(
    info: DesignInfo, y: np.ndarray, noise: np.ndarray | None, rng: np.random.Generator
) -> MethodOutput:
    si = salib_pawn.analyze(
        info.problem(), info.X, np.asarray(y, dtype=float), S=10, seed=_seed(rng)
    )
    return MethodOutput(indices=_indices_frame(info.names, si["median"]))


def run_delta(
    info: DesignInfo, y: np.ndarray, noise: np.ndarray | None, rng: np.random.Generator
) -> MethodOutput:
    est, conf = delta_indices(info.X, y, n_boot=100, conf_level=CONF_LEVEL, rng=rng)
    return MethodOutput(indices=_indices_frame(info.names, est, conf))


Method = Callable[[DesignInfo, np.ndarray, "np.ndarray | None", np.random.Generator], MethodOutput]

METHODS: dict[str, Method] = {
    "sobol": run_sobol,
    "morris": run_morris,
    "fast": run_fast,
    "pawn": run_pawn,
    "delta": run_delta,
}
"""Method name (``--method``) -> the function computing it."""
