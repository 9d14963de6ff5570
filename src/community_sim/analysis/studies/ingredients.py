"""Which ingredient makes integration win: Shapley decomposition of the policy gap.

In a full factorial over the ingredient switches (each off, or on at its
value), the gap ``v(S)`` = E[integrated − project] (paired on seeds) is
estimated for every set ``S`` of ingredients switched on. The change of the
gap from all off to all on splits exactly into one Shapley value per
ingredient (efficiency: they sum to ``v(N) − v(∅)``),

    φ_i = Σ_{S ⊆ N∖{i}} |S|! (n − |S| − 1)! / n! · [v(S ∪ {i}) − v(S)],

so interactions are shared equally among the ingredients that take part in
them. Each φ_i is a linear combination of the set means, so its standard
error follows from the pooled within-set variance of the paired gaps
(Student's t CI on the pooled degrees of freedom). Non-finite gaps are "not
observed": left out and counted. With more than two policies every contrast
to the baseline (``transition-project``, ``integrated-project``) is split on
its own: pooling them would average different games.

References
----------
Shapley, L. S. (1953). A value for n-person games. In Kuhn, H. W. & Tucker,
A. W. (eds.), Contributions to the Theory of Games II, 307–317. Princeton UP.
Owen, A. B. (2014). Sobol' indices and Shapley value. SIAM/ASA Journal on
Uncertainty Quantification 2(1), 245–251.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from community_sim.errors import UserError
from community_sim.params.integration import INGREDIENTS

TOTAL = "all on − all off"
"""The row holding the gap change that the Shapley values split."""


def switch_bits(design: pd.DataFrame, source: str = "design") -> pd.DataFrame:
    """Per design point, 1 where an ingredient is on (its switch differs from ``off``)."""
    varied = [i for i in INGREDIENTS.values() if i.switch in design.columns]
    if not varied:
        raise UserError(
            "no ingredient switch is a factor of this design "
            f"(switches: {', '.join(i.switch for i in INGREDIENTS.values())})",
            source=source,
        )
    bits = {}
    for ing in varied:
        col = design[ing.switch]
        if isinstance(ing.off, bool):
            bits[ing.name] = (col.astype(bool) != ing.off).astype(int)
        else:
            bits[ing.name] = (~np.isclose(col.astype(float), float(ing.off))).astype(int)
    return pd.DataFrame(bits, index=design["point"].to_numpy())


def _weights(n: int) -> list[float]:
    return [math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n) for s in range(n)]


def shapley_coefficients(n: int) -> np.ndarray:
    """``(n, 2**n)``: φ_i = Σ_S coef[i, S] v(S), sets indexed by their bit mask."""
    w = _weights(n)
    coef = np.zeros((n, 2**n))
    for i in range(n):
        for mask in range(2**n):
            if mask >> i & 1:
                continue
            size = bin(mask).count("1")
            coef[i, mask | (1 << i)] += w[size]
            coef[i, mask] -= w[size]
    return coef


def _set_stats(
    gaps: pd.Series, masks: pd.Series, n: int
) -> tuple[np.ndarray, np.ndarray, float, int]:
    """Per set: mean and count of finite gaps; pooled within-set variance and its df."""
    frame = pd.DataFrame({"mask": masks.to_numpy(), "gap": gaps.to_numpy(dtype=float)})
    frame = frame[np.isfinite(frame["gap"])]
    g = frame.groupby("mask")["gap"]
    mean = g.mean().reindex(range(2**n)).to_numpy()
    count = g.count().reindex(range(2**n), fill_value=0).to_numpy()
    ss = g.apply(lambda x: float(((x - x.mean()) ** 2).sum())).reindex(range(2**n)).fillna(0.0)
    df = int((count - 1).clip(min=0).sum())
    pooled = float(ss.sum()) / df if df > 0 else math.nan
    return mean, count, pooled, df


def ingredient_shapley(
    paired: pd.DataFrame,
    design: pd.DataFrame,
    outcomes: Sequence[str],
    *,
    level: float = 0.95,
    source: str = "results",
) -> pd.DataFrame:
    """Shapley contribution of each varied ingredient to the paired gap, per outcome.

    ``paired`` has ``point`` and one column of paired differences per outcome
    (``paired_runs.parquet``); ``design`` has ``point`` and the switches.
    Returns rows ``outcome, contrast, ingredient, contribution, se, ci_low,
    ci_high, gap_all_off, gap_all_on, n_not_observed``, plus a :data:`TOTAL`
    row per outcome and contrast (``<policy>-<baseline>`` from ``paired``'s
    ``policy`` and ``baseline`` columns, one decomposition each).
    """
    bits = switch_bits(design, source)
    names = list(bits.columns)
    n = len(names)
    mask_of_point = (bits.to_numpy() * (1 << np.arange(n))).sum(axis=1)
    masks_present = set(mask_of_point.tolist())
    if len(masks_present) < 2**n:
        raise UserError(
            f"the design holds {len(masks_present)} of the {2**n} on/off sets of "
            f"{', '.join(names)}; use a full factorial (grid, two levels per switch)",
            source=source,
        )
    point_mask = pd.Series(mask_of_point, index=bits.index)
    rows = []
    if {"policy", "baseline"} <= set(paired.columns):
        for (pol, base), sub in paired.groupby(["policy", "baseline"], sort=False):
            rows += _shapley_rows(sub, point_mask, names, outcomes, f"{pol}-{base}", level)
    else:
        rows = _shapley_rows(paired, point_mask, names, outcomes, "", level)
    return pd.DataFrame(rows)


def _shapley_rows(
    paired: pd.DataFrame,
    point_mask: pd.Series,
    names: list[str],
    outcomes: Sequence[str],
    contrast: str,
    level: float,
) -> list[dict[str, object]]:
    """The Shapley rows of one contrast's paired gaps (see :func:`ingredient_shapley`)."""
    n = len(names)
    masks = paired["point"].map(point_mask)
    coef = shapley_coefficients(n)
    total = np.zeros(2**n)
    total[-1], total[0] = 1.0, -1.0
    rows: list[dict[str, object]] = []
    for out in outcomes:
        gaps = paired[out]
        mean, count, pooled, df = _set_stats(gaps, masks, n)
        not_obs = int((~np.isfinite(gaps.to_numpy(dtype=float))).sum())
        t = float(stats.t.ppf(0.5 + level / 2, df)) if df > 0 else math.nan
        for label, c in [*zip(names, coef, strict=True), (TOTAL, total)]:
            used = c != 0
            value = float(np.sum(c[used] * mean[used]))
            with np.errstate(divide="ignore"):
                se = math.sqrt(pooled * float(np.sum(c[used] ** 2 / count[used])))
            rows.append(
                {
                    "outcome": out,
                    "contrast": contrast,
                    "ingredient": label,
                    "contribution": value,
                    "se": se,
                    "ci_low": value - t * se,
                    "ci_high": value + t * se,
                    "gap_all_off": float(mean[0]),
                    "gap_all_on": float(mean[-1]),
                    "n_not_observed": not_obs,
                }
            )
    return rows
