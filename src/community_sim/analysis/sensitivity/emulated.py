"""Emulator-assisted Sobol' indices of every output of a space-filling design.

For each output: fit the emulator (:mod:`community_sim.analysis.sensitivity.emulator`) to
the training points (every replicate), validate it on the held-out points,
and compute the indices from it. The indices are of the replicate mean's
expectation ``E[Y|x]`` (target ``mean``); the per-point SD is not emulated.
An output whose emulator is refused
(:func:`~community_sim.analysis.sensitivity.emulator_check.refusal`: Q²'s lower
bound below the design's ``min_q2``, a Q² estimate above 1, or no clear signal
variance) makes the whole analysis refuse, naming each such output, its reason
and its Q² interval, before anything is written.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import asdict

import numpy as np
import pandas as pd

from community_sim.analysis.sensitivity.design import DesignInfo
from community_sim.analysis.sensitivity.emulator import GPEmulator, emulated_sobol, holdout_mask
from community_sim.analysis.sensitivity.emulator_check import Validation, validate
from community_sim.analysis.sensitivity.replicates import Replicated
from community_sim.analysis.sensitivity.validity import flag_indices
from community_sim.errors import UserError

log = logging.getLogger(__name__)

EMULATOR_COLUMNS = [
    "output",
    "target",
    "emulator",
    "n_train",
    "n_test",
    "q2",
    "q2_low",
    "q2_high",
    "q2_raw",
    "q2_raw_low",
    "q2_raw_high",
    "signal_var",
    "signal_var_low",
    "coverage",
    "level",
    "noise_sd",
    "accepted",
    "reason",
    "kernel",
]


def _q(x: float) -> str:
    return "NaN" if np.isnan(x) else f"{x:.3f}"


def unit_inputs(info: DesignInfo) -> np.ndarray:
    """The design's inputs mapped to the unit cube by their declared bounds."""
    lo = np.array([b[0] for b in info.bounds])
    hi = np.array([b[1] for b in info.bounds])
    return (info.X - lo) / np.where(hi > lo, hi - lo, 1.0)


def emulated_indices(
    info: DesignInfo,
    outputs: Mapping[str, Replicated],
    rngs: Mapping[str, np.random.Generator],
    *,
    n_boot: int,
    conf_level: float,
    source: str,
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Indices (``parameter, S1, S1_conf, ST, ST_conf, output, target``), validation, warnings.

    Raises UserError naming every output whose emulator's Q² is below
    ``info.min_q2`` (or undefined).
    """
    U = unit_inputs(info)
    test = holdout_mask(info.n_points)
    rows, checks, notes = [], [], []
    failed: list[str] = []
    for name, out in outputs.items():
        rng = rngs[name]
        frame = pd.DataFrame({"parameter": list(info.names)})
        if np.ptp(out.values) == 0:
            notes.append(f"{name} [mean]: constant over the design; indices undefined")
            frame[["S1", "S1_conf", "ST", "ST_conf"]] = np.nan
            rows.append(frame.assign(output=name, target="mean"))
            continue
        em = GPEmulator(U[~test], out.values[~test], seed=int(rng.integers(0, 2**31 - 1)))
        v: Validation = validate(
            em, U[test], out.values[test], int((~test).sum()), min_q2=info.min_q2, rng=rng
        )
        log.info("%s: emulator Q² %.3f [%.3f, %.3f]", name, v.q2, v.q2_low, v.q2_high)
        checks.append(
            {
                "output": name,
                "target": "mean",
                "emulator": info.emulator,
                **asdict(v),
                "kernel": em.kernel_text(),
            }
        )
        if not v.accepted:
            failed.append(
                f"{name}: {v.reason} (Q² {_q(v.q2)} [{_q(v.q2_low)}, {_q(v.q2_high)}], raw "
                f"{_q(v.q2_raw)} [{_q(v.q2_raw_low)}, {_q(v.q2_raw_high)}])"
            )
            continue
        res = emulated_sobol(
            em,
            info.dim,
            second_order=False,
            n_boot=n_boot,
            conf_level=conf_level,
            rng=rng,
        )
        frame = frame.assign(S1=res.S1, S1_conf=res.S1_conf, ST=res.ST, ST_conf=res.ST_conf)
        # The same rule as for direct estimates: an index outside [-0.1, 1.1] or with a CI
        # too wide to be a share of variance is reported as undefined, with its reason.
        frame, flagged = flag_indices(frame, "sobol", f"{name} [mean]")
        notes += flagged
        frame, unresolved = mark_unresolved(frame, em.at_bound(), f"{name} [mean]")
        notes += unresolved
        rows.append(frame.assign(output=name, target="mean"))
    if failed:
        raise UserError(
            f"the {info.emulator} emulator does not validate on the held-out points "
            f"({'; '.join(failed)}; the lower end of Q²'s interval must reach "
            f"{info.min_q2:g}): add design points (n) "
            "or replicates, narrow the ranges, lower design.min_q2, or choose the outputs "
            "with --outputs",
            source=source,
        )
    indices = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
    return indices, pd.DataFrame(checks, columns=EMULATOR_COLUMNS), notes


def mark_unresolved(
    frame: pd.DataFrame, at_bound: np.ndarray, label: str
) -> tuple[pd.DataFrame, list[str]]:
    """Indices of inputs whose length scale sits at a bound become NaN, noted "unresolved".

    The emulator then reports such an input as 0 ± 0 (at the upper bound) or
    as whatever its noise-fitting gives (at the lower bound), but the data did
    not decide either: the likelihood is flat toward the bound.
    """
    if not at_bound.any():
        return frame, []
    frame = frame.copy()
    rows = np.flatnonzero(at_bound)
    frame.iloc[rows, [frame.columns.get_loc(c) for c in ("S1", "S1_conf", "ST", "ST_conf")]] = (
        np.nan
    )
    reason = "unresolved: its length scale sits at a bound of its range"
    frame.loc[frame.index[rows], "note"] = [
        reason if not isinstance(n, str) else f"{n}; {reason}" for n in frame["note"].iloc[rows]
    ]
    names = ", ".join(frame["parameter"].iloc[rows])
    return frame, [
        f"{label}: indices of {names} unresolved — the emulator's length scale sits at a "
        "bound, so the design cannot tell the input's effect from none (or resolve it): "
        "add design points or replicates"
    ]
