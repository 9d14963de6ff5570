"""Small summaries the plots share: means with 95% confidence intervals.

The interval of a mean over ``n`` independent replicates is Student's t
interval, mean ± t(0.975, n−1)·s/√n (e.g. Montgomery & Runger, *Applied
Statistics and Probability for Engineers*, 7th ed., §8.2). With one replicate
the interval is undefined and reported as NaN (no band is drawn).

Undefined values (NaN: e.g. a cost per hire in a month without hires) are left
out of a group's mean; a group with none defined keeps a NaN mean, so a line
drawn through it has a gap there instead of a made-up value.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats


def t_halfwidth(sd: np.ndarray | pd.Series, n: np.ndarray | pd.Series) -> np.ndarray:
    """Half-width of the 95% t interval of a mean; NaN where n < 2."""
    n_arr = np.asarray(n, dtype=float)
    sd_arr = np.asarray(sd, dtype=float)
    out = np.full(np.broadcast(sd_arr, n_arr).shape, np.nan)
    ok = n_arr >= 2
    dof = np.where(ok, n_arr - 1, 1.0)
    half = stats.t.ppf(0.975, dof) * sd_arr / np.sqrt(np.where(ok, n_arr, 1.0))
    out[...] = np.where(ok, half, np.nan)
    return out


def mean_ci(df: pd.DataFrame, by: Sequence[str], value: str = "value") -> pd.DataFrame:
    """Per group of ``by``: ``n, mean, ci_low, ci_high`` of the defined values of ``value``.

    ``n`` counts the defined (non-NaN) values; a group without any has NaN
    mean and interval (a gap in a line), never 0.
    """
    g = df.groupby(list(by), sort=True, observed=True)[value]
    out = g.agg(n="count", mean="mean", sd="std").reset_index()
    half = t_halfwidth(out["sd"], out["n"])
    out["ci_low"] = out["mean"] - half
    out["ci_high"] = out["mean"] + half
    return out.drop(columns="sd")
