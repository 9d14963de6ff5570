"""Paired policy comparison under common random numbers.

Every (point, replicate) runs each policy with the same seed, so the policies'
outcomes are paired and their difference has far less variance than the
difference of two independent means (Law 2015, §11.2 "common random numbers").

Functions here take the ``runs`` table (one row per run: ``point, replicate,
policy, status`` and outcome columns) and return tidy DataFrames:

- :func:`policy_summary`: per outcome and policy, the mean and its 95% CI;
- :func:`paired_differences`: per outcome and policy, the mean paired difference
  to a baseline policy, its CI (paired *t*), and a standardised effect size;
- :func:`paired_table`: the per-(point, replicate) differences themselves.

References
----------
Law, A.M. (2015) Simulation Modeling and Analysis, 5th ed., McGraw-Hill, §9.4, §11.2.
Cohen, J. (1988) Statistical Power Analysis for the Behavioral Sciences, 2nd ed.
Lakens, D. (2013) Calculating and reporting effect sizes. Frontiers in Psychology 4:863
    (d_z = mean difference / SD of the differences, for paired designs).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

PAIR_KEYS = ("point", "replicate")


def _t_interval(x: np.ndarray, level: float) -> tuple[int, float, float, float, float]:
    """n, mean, sd, and the Student-t confidence interval of the mean of ``x``."""
    from scipy import stats

    x = x[np.isfinite(x)]
    n = len(x)
    if n == 0:
        return 0, np.nan, np.nan, np.nan, np.nan
    mean = float(np.mean(x))
    if n == 1:
        return 1, mean, np.nan, np.nan, np.nan
    sd = float(np.std(x, ddof=1))
    half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * sd / np.sqrt(n)
    return n, mean, sd, mean - half, mean + half


def _ok(runs: pd.DataFrame) -> pd.DataFrame:
    return runs[runs["status"] == "ok"] if "status" in runs.columns else runs


def _policies(runs: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(runs["policy"].dropna().tolist()))


def policy_summary(
    runs: pd.DataFrame,
    outcomes: Sequence[str],
    *,
    by: Sequence[str] = (),
    level: float = 0.95,
) -> pd.DataFrame:
    """Per outcome and policy (and ``by`` group): n, mean, sd and the CI of the mean."""
    ok = _ok(runs)
    rows = []
    groups = ok.groupby(list(by), sort=True) if by else [((), ok)]
    for key, grp in groups:
        key = key if isinstance(key, tuple) else (key,)
        for outcome in outcomes:
            for pol in _policies(grp):
                x = grp.loc[grp["policy"] == pol, outcome].to_numpy(dtype=float)
                n, mean, sd, lo, hi = _t_interval(x, level)
                rows.append(
                    {
                        **dict(zip(by, key, strict=True)),
                        "outcome": outcome,
                        "policy": pol,
                        "n": n,
                        "mean": mean,
                        "sd": sd,
                        "ci_low": lo,
                        "ci_high": hi,
                    }
                )
    return pd.DataFrame(rows)


def paired_table(
    runs: pd.DataFrame, outcomes: Sequence[str], *, baseline: str | None = None
) -> pd.DataFrame:
    """Per (point, replicate) and policy: each outcome minus the baseline policy's.

    Only pairs where both runs are ``ok`` appear. ``baseline`` defaults to the
    first policy in the table.
    """
    ok = _ok(runs)
    pols = _policies(ok)
    cols = ["point", "replicate", "policy", "baseline", *outcomes]
    if not pols:
        return pd.DataFrame(columns=cols)
    base = baseline if baseline is not None else pols[0]
    wide = ok.pivot_table(
        index=list(PAIR_KEYS), columns="policy", values=list(outcomes), aggfunc="first"
    )
    frames = []
    for pol in pols:
        if pol == base or (outcomes and (outcomes[0], pol) not in wide.columns):
            continue
        diff = pd.DataFrame(
            {o: wide[(o, pol)] - wide[(o, base)] for o in outcomes if (o, base) in wide.columns}
        )
        diff = diff.dropna(how="all").reset_index()
        diff.insert(2, "policy", pol)
        diff.insert(3, "baseline", base)
        frames.append(diff)
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)


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
    differences (Lakens 2013). ``p_value`` is the two-sided paired t-test's.
    """
    from scipy import stats

    table = paired_table(runs, outcomes, baseline=baseline)
    if by:
        keys = _ok(runs).drop_duplicates("point").set_index("point")[list(by)]
        table = table.join(keys, on="point")
    rows = []
    groups = table.groupby(list(by), sort=True) if by else [((), table)]
    for key, grp in groups:
        key = key if isinstance(key, tuple) else (key,)
        for outcome in outcomes:
            for pol in grp["policy"].drop_duplicates():
                sub = grp[grp["policy"] == pol]
                d = sub[outcome].to_numpy(dtype=float)
                n, mean, sd, lo, hi = _t_interval(d, level)
                dz = mean / sd if n > 1 and sd > 0 else np.nan
                p = (
                    float(2 * stats.t.sf(abs(dz) * np.sqrt(n), n - 1))
                    if np.isfinite(dz)
                    else np.nan
                )
                rows.append(
                    {
                        **dict(zip(by, key, strict=True)),
                        "outcome": outcome,
                        "policy": pol,
                        "baseline": sub["baseline"].iloc[0],
                        "n_pairs": n,
                        "mean_diff": mean,
                        "sd_diff": sd,
                        "ci_low": lo,
                        "ci_high": hi,
                        "effect_size": dz,
                        "p_value": p,
                    }
                )
    return pd.DataFrame(rows)


def format_comparison(
    summary: pd.DataFrame, diffs: pd.DataFrame, units: Mapping[str, str] | None = None
) -> str:
    """A plain-text table per outcome: each policy's mean [CI], then paired differences."""
    lines: list[str] = []
    for outcome, grp in summary.groupby("outcome", sort=False):
        unit = (units or {}).get(str(outcome), "")
        lines.append(f"{outcome} ({unit})" if unit and unit != "-" else str(outcome))
        for r in grp.itertuples(index=False):
            lines.append(
                f"  {r.policy:<14} mean {r.mean:>12.4g}  95% CI [{r.ci_low:.4g}, {r.ci_high:.4g}]"
                f"  n={r.n}"
            )
        sub = diffs[diffs["outcome"] == outcome] if len(diffs) else diffs
        for r in sub.itertuples(index=False):
            lines.append(
                f"  {r.policy} − {r.baseline}: {r.mean_diff:+.4g}"
                f"  95% CI [{r.ci_low:+.4g}, {r.ci_high:+.4g}]  d_z={r.effect_size:+.2f}"
                f"  pairs={r.n_pairs}"
            )
    return "\n".join(lines)
