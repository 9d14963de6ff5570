"""Paired policy comparison under common random numbers.

Every (point, replicate) runs each policy with the same seed, so the policies'
outcomes are paired and their difference has far less variance than the
difference of two independent means (Law 2015, §11.2 "common random numbers").

Functions here take the ``runs`` table (one row per run: ``point, replicate,
policy, status`` and outcome columns) and return tidy DataFrames:

- :func:`policy_summary`: per outcome and policy, the mean and its 95% CI;
- :func:`paired_differences`: per outcome and policy, the mean paired difference
  to a baseline policy, its CI, and a standardised effect size;
- :func:`paired_table` (from :mod:`community_sim.experiment.pairs`): the
  per-(point, replicate) differences themselves.

Undefined outcomes (NaN: e.g. no hire, so no cost per hire) are left out of
means and intervals, never counted as 0; ``n`` is the number of runs (pairs)
with a defined value and ``n_undefined`` the number without.

Intervals respect the design (:func:`design_interval`). Replicates at one
design point are independent draws of the same conditional distribution, so
at a single point the interval is Student's t over the runs. Runs at several
design points are clustered: replicates share their point, so they are not
independent draws of the design's population. The estimand is then the mean
over points (each point weighted equally, as the design samples them) and the
interval is Student's t over the points' replicate means, with n_points - 1
degrees of freedom — the "means of cluster means" analysis of a two-stage
sample (Cochran 1977, §10.2), which stays valid however the within-point
variance differs between points. The ``ci_method`` column names the method.

On a Saltelli design the points are not independent draws either: the
``D + 2`` (or ``2D + 2``) points of one base row share all but one coordinate
with each other, so a policy effect that varies with the inputs makes them
correlated, and "t over point means" understates (or, for a smooth effect,
overstates) the interval. There the clusters are the base rows (``cluster``
column, set by :func:`~community_sim.analysis.comparison.tables.compare_tables`), which are
the design's independent units, and the method reads "t over base-row means".

References
----------
Cochran, W.G. (1977) Sampling Techniques, 3rd ed., Wiley, ch. 10 (two-stage sampling).
Law, A.M. (2015) Simulation Modeling and Analysis, 5th ed., McGraw-Hill, §9.4, §11.2.
Cohen, J. (1988) Statistical Power Analysis for the Behavioral Sciences, 2nd ed.
Lakens, D. (2013) Calculating and reporting effect sizes. Frontiers in Psychology 4:863
    (d_z = mean difference / SD of the differences, for paired designs).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from community_sim.experiment.pairs import _ok, _policies, paired_table

T_OVER_RUNS = "t over runs"
T_OVER_POINTS = "t over point means"
T_OVER_BASE_ROWS = "t over base-row means (Saltelli)"


@dataclass(frozen=True)
class Interval:
    """A mean with its confidence interval and how it was computed."""

    n: int  # defined values (runs or pairs)
    n_undefined: int  # NaN values left out
    n_points: int  # design points with a defined value
    mean: float
    sd: float  # SD of the individual values (for the effect size)
    ci_low: float
    ci_high: float
    p_value: float  # two-sided t-test of mean = 0
    method: str


def _t(values: np.ndarray, level: float) -> tuple[float, float, float, float]:
    """Mean, Student-t half-width and two-sided p-value (mean = 0) of ``values``."""
    from scipy import stats

    k = len(values)
    mean = float(np.mean(values))
    if k < 2:
        return mean, np.nan, np.nan, np.nan
    se = float(np.std(values, ddof=1)) / np.sqrt(k)
    half = float(stats.t.ppf(0.5 + level / 2, k - 1)) * se
    p = float(2 * stats.t.sf(abs(mean) / se, k - 1)) if se > 0 else np.nan
    return mean, half, p, se


def design_interval(
    x: np.ndarray, point: np.ndarray, level: float = 0.95, *, clustered: str = T_OVER_POINTS
) -> Interval:
    """Mean of ``x`` and its CI, clustered by design ``point`` (module docstring).

    ``clustered`` names the method when ``point`` holds clusters of points
    (e.g. Saltelli base rows) rather than the points themselves.
    """
    x = np.asarray(x, dtype=float)
    point = np.asarray(point)
    ok = np.isfinite(x)
    n_undefined = int((~ok).sum())
    x, point = x[ok], point[ok]
    n = len(x)
    if n == 0:
        return Interval(0, n_undefined, 0, np.nan, np.nan, np.nan, np.nan, np.nan, T_OVER_RUNS)
    sd = float(np.std(x, ddof=1)) if n > 1 else np.nan
    keys, inverse = np.unique(point, return_inverse=True)
    if len(keys) in (1, n):  # one point, or one run per point: the runs are independent
        values, method = x, T_OVER_RUNS
    else:
        values = np.bincount(inverse, weights=x) / np.bincount(inverse)
        method = clustered
    mean, half, p, _ = _t(values, level)
    return Interval(n, n_undefined, len(keys), mean, sd, mean - half, mean + half, p, method)


def _points(frame: pd.DataFrame) -> np.ndarray:
    """The independent units: base rows (``cluster``) if given, else design points."""
    for col in ("cluster", "point"):
        if col in frame.columns:
            return frame[col].to_numpy()
    return np.arange(len(frame))


def _method(frame: pd.DataFrame) -> str:
    return T_OVER_BASE_ROWS if "cluster" in frame.columns else T_OVER_POINTS


def policy_summary(
    runs: pd.DataFrame,
    outcomes: Sequence[str],
    *,
    by: Sequence[str] = (),
    level: float = 0.95,
) -> pd.DataFrame:
    """Per outcome and policy (and ``by`` group): counts, mean, sd and the CI of the mean."""
    ok = _ok(runs)
    rows = []
    groups = ok.groupby(list(by), sort=True) if by else [((), ok)]
    for key, grp in groups:
        key = key if isinstance(key, tuple) else (key,)
        for outcome in outcomes:
            for pol in _policies(grp):
                sub = grp[grp["policy"] == pol]
                iv = design_interval(
                    sub[outcome].to_numpy(dtype=float), _points(sub), level, clustered=_method(sub)
                )
                rows.append(
                    {
                        **dict(zip(by, key, strict=True)),
                        "outcome": outcome,
                        "policy": pol,
                        "n": iv.n,
                        "n_undefined": iv.n_undefined,
                        "n_points": iv.n_points,
                        "mean": iv.mean,
                        "sd": iv.sd,
                        "ci_low": iv.ci_low,
                        "ci_high": iv.ci_high,
                        "ci_method": iv.method,
                    }
                )
    return pd.DataFrame(rows)


def paired_differences(
    runs: pd.DataFrame,
    outcomes: Sequence[str],
    *,
    baseline: str | None = None,
    by: Sequence[str] = (),
    level: float = 0.95,
) -> pd.DataFrame:
    """Mean paired difference (policy − baseline) per outcome, with its CI and effect size.

    ``effect_size`` is Cohen's d_z: the mean difference over the SD of the
    pairs' differences (Lakens 2013). ``p_value`` is the two-sided t-test of
    the interval's method (``ci_method``).
    """
    table = paired_table(runs, outcomes, baseline=baseline)
    carry = [*by, *(["cluster"] if "cluster" in runs.columns else [])]
    if carry:
        keys = _ok(runs).drop_duplicates("point").set_index("point")[carry]
        table = table.join(keys, on="point")
    rows = []
    groups = table.groupby(list(by), sort=True) if by else [((), table)]
    for key, grp in groups:
        key = key if isinstance(key, tuple) else (key,)
        for outcome in outcomes:
            for pol in grp["policy"].drop_duplicates():
                sub = grp[grp["policy"] == pol]
                iv = design_interval(
                    sub[outcome].to_numpy(dtype=float), _points(sub), level, clustered=_method(sub)
                )
                dz = iv.mean / iv.sd if iv.n > 1 and iv.sd > 0 else np.nan
                rows.append(
                    {
                        **dict(zip(by, key, strict=True)),
                        "outcome": outcome,
                        "policy": pol,
                        "baseline": sub["baseline"].iloc[0],
                        "n_pairs": iv.n,
                        "n_undefined": iv.n_undefined,
                        "n_points": iv.n_points,
                        "mean_diff": iv.mean,
                        "sd_diff": iv.sd,
                        "ci_low": iv.ci_low,
                        "ci_high": iv.ci_high,
                        "ci_method": iv.method,
                        "effect_size": dz,
                        "p_value": iv.p_value,
                    }
                )
    return pd.DataFrame(rows)


def _undefined(k: int) -> str:
    return f" ({k} undefined)" if k else ""


def format_comparison(
    summary: pd.DataFrame, diffs: pd.DataFrame, units: Mapping[str, str] | None = None
) -> str:
    """A plain-text table per outcome: each policy's mean [CI], then paired differences."""
    lines: list[str] = []
    for outcome, grp in summary.groupby("outcome", sort=False):
        unit = (units or {}).get(str(outcome), "")
        lines.append(f"{outcome} ({unit})" if unit and unit != "-" else str(outcome))
        for r in grp.itertuples(index=False):
            if not r.n:
                lines.append(f"  {r.policy:<14} undefined in all {r.n_undefined} runs")
                continue
            lines.append(
                f"  {r.policy:<14} mean {r.mean:>12.4g}  95% CI [{r.ci_low:.4g}, {r.ci_high:.4g}]"
                f"  n={r.n}{_undefined(r.n_undefined)}"
            )
        sub = diffs[diffs["outcome"] == outcome] if len(diffs) else diffs
        for r in sub.itertuples(index=False):
            if not r.n_pairs:
                lines.append(f"  {r.policy} − {r.baseline}: undefined in all {r.n_undefined} pairs")
                continue
            lines.append(
                f"  {r.policy} − {r.baseline}: {r.mean_diff:+.4g}"
                f"  95% CI [{r.ci_low:+.4g}, {r.ci_high:+.4g}]  d_z={r.effect_size:+.2f}"
                f"  pairs={r.n_pairs}{_undefined(r.n_undefined)}  ({r.ci_method})"
            )
    return "\n".join(lines)
