"""What an index table cannot claim: out-of-range indices, missing CIs, noise bias.

Variance-based indices are shares of a variance and lie in [0, 1]; estimates
stray a little outside by sampling error, but far outside means the variance
they divide by is not pinned down — e.g. a noise-corrected variance that is a
small positive difference of two large numbers. An index outside
[-0.1, 1.1], without a confidence interval (the bootstrap cannot tell the
variance from 0), or whose 95% CI half-width exceeds 0.5 (it spans most of
[0, 1]) is reported as undefined, with the reason, rather than as a number
(:func:`flag_indices`).

With one replicate per point the noise of a stochastic model stays in the
outputs. Writing ``Var(Y) = V + E[s2]`` (V: the variance of ``f = E[Y|x]``),
the expected first-order and second-order numerators are those of ``f``
while the denominator grows, so S1 and S2 shrink toward 0 by the factor
``V / Var(Y)``; the total-order numerator gains ``E[s2]`` as well, so
``ST = (VT + E[s2]) / (V + E[s2])`` rises toward 1 and the interaction share
``ST - S1`` grows (derivation in ``sobol.py``). :func:`noise_bias_warning`
says so, per method.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

INDEX_RANGE = (-0.1, 1.1)
"""Indices outside this range are undefined: no sampling error of a share explains them."""
MAX_HALF_WIDTH = 0.5
"""A CI half-width above this spans most of [0, 1]: the index says nothing and is undefined."""

METHODS_WITH_CI = frozenset({"sobol", "fast", "delta"})
"""Methods that give a confidence interval: a missing one means the index is not estimable."""

BIAS_BY_METHOD: dict[str, str] = {
    "sobol": (
        "S1 and S2 shrink toward 0 (by the factor Var(E[Y|x]) / Var(Y)), while ST rises "
        "toward 1 and the interaction share ST - S1 grows"
    ),
    "fast": ("S1 shrinks toward 0 (by the factor Var(E[Y|x]) / Var(Y)) while ST rises toward 1"),
    "morris": (
        "mu* and sigma grow: the noise adds to every elementary effect, most to those of "
        "weak parameters"
    ),
    "pawn": "the indices of influential parameters shrink toward the no-effect level",
    "delta": "the indices of influential parameters shrink toward the no-effect level",
}


def noise_bias_warning(method: str, deterministic: bool | None) -> str | None:
    """The R = 1 warning in the direction of each bias; None for a deterministic model."""
    if deterministic:
        return None
    condition = (
        "the model is stochastic"
        if deterministic is False
        else "the model is stochastic (it does not declare itself deterministic)"
    )
    bias = BIAS_BY_METHOD.get(method, "the indices are biased")
    return (
        f"one replicate per point and {condition}: its noise cannot be separated from "
        f"parameter effects, so {bias}; run R >= 2 replicates to correct for it"
    )


def _range_reason(value: float, conf: float, index: str, has_ci: bool) -> str | None:
    lo, hi = INDEX_RANGE
    if not np.isfinite(value):
        return None  # already undefined; its reason is given elsewhere
    if value < lo or value > hi:
        return f"{index} = {value:.3g} outside [{lo}, {hi}]"
    if has_ci and not np.isfinite(conf):
        return (
            f"{index} = {value:.3g} has no confidence interval (too many bootstrap "
            "resamples have no positive variance)"
        )
    if has_ci and conf > MAX_HALF_WIDTH:
        return f"{index} = {value:.3g} ± {conf:.3g}: the CI spans most of [0, 1]"
    return None


def flag_indices(frame: pd.DataFrame, method: str, label: str) -> tuple[pd.DataFrame, list[str]]:
    """Set out-of-range or CI-less S1/ST to NaN; one warning per output with the reasons.

    ``frame`` has ``parameter, S1, S1_conf, ST, ST_conf``; the returned copy
    has a ``note`` column holding, per parameter, why an index is undefined.
    """
    has_ci = method in METHODS_WITH_CI
    frame = frame.copy()
    notes: list[str | None] = [None] * len(frame)
    flagged: list[str] = []
    for k, row in enumerate(frame.itertuples(index=False)):
        why = []
        for index in ("S1", "ST"):
            reason = _range_reason(
                float(getattr(row, index)), float(getattr(row, f"{index}_conf")), index, has_ci
            )
            if reason is not None:
                why.append(reason)
                frame.iloc[k, frame.columns.get_loc(index)] = np.nan
                frame.iloc[k, frame.columns.get_loc(f"{index}_conf")] = np.nan
        if why:
            notes[k] = "undefined: " + "; ".join(why)
            flagged.append(f"{row.parameter} ({'; '.join(why)})")
    frame["note"] = notes
    if not flagged:
        return frame, []
    return frame, [
        f"{label}: indices reported as undefined, not as numbers — "
        + ", ".join(flagged)
        + "; too imprecise to be a share of variance (too little signal above the noise "
        "for this many runs): add replicates or base rows, or widen the ranges"
    ]


def flag_s2(frame: pd.DataFrame, label: str) -> tuple[pd.DataFrame, list[str]]:
    """The second-order table's counterpart of :func:`flag_indices` (``S2, S2_conf``)."""
    frame = frame.copy()
    notes: list[str | None] = [None] * len(frame)
    flagged: list[str] = []
    for k, row in enumerate(frame.itertuples(index=False)):
        reason = _range_reason(float(row.S2), float(row.S2_conf), "S2", True)
        if reason is not None:
            frame.iloc[k, frame.columns.get_loc("S2")] = np.nan
            frame.iloc[k, frame.columns.get_loc("S2_conf")] = np.nan
            notes[k] = f"undefined: {reason}"
            flagged.append(f"{row.param_i}×{row.param_j} ({reason})")
    frame["note"] = notes
    if not flagged:
        return frame, []
    return frame, [f"{label}: second-order indices undefined — " + ", ".join(flagged)]
