"""Hiring, trial-and-error costs, early separation and placement termination.

The trial-and-error cost of a hire, in weeks of the skilled wage, is

    c = H0 · (1 - ε)^(100 (u - u0)) · (r / r0)^γ
          · [0.21 · σ + 0.26 + 0.53 · m / m0]

with H0 = ``hire_cost_weeks`` (16 weeks for an external skilled hire at the
calibration point), split into search (21 %), disruption (26 %) and post-match
(53 %) costs (Muehlemann & Strupler Leiser 2018); σ the share of search still
needed (1 external, lower for known candidates); m the effective mismatch and
m0 its calibration value; u unemployment (u0 = 5 %, ε ≈ 5 % per point,
Blatter, Muehlemann & Schenker 2012); r the firm's annual hiring rate and
r0 = 17 %/yr; γ the convexity (average cost rising with the hiring rate, so
total cost is convex in hires; marginal/average = 1 + γ = 1.5 ⇒ marginal ≈ 24
weeks when the average is 16, as in Blatter et al.).

References
----------
Muehlemann, S. & Strupler Leiser, M. (2018). Hiring costs and labor market
tightness. Labour Economics 52, 122–131.
Blatter, M., Muehlemann, S. & Schenker, S. (2012). The costs of hiring
skilled workers. European Economic Review 56(1), 20–35.
Muehlemann, S. & Wolter, S. C. (2014). IZA J. Labor Policy 3:25 (early
contract termination: ≈20–25 %, ≈62 % of them in year 1).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from community_sim.mechanics.ufuncs import clip

FloatArray = NDArray[np.float64]

SEARCH_SHARE = 0.21
DISRUPTION_SHARE = 0.26
POST_MATCH_SHARE = 0.53
REFERENCE_UNEMPLOYMENT = 0.05
REFERENCE_HIRE_RATE = 0.17
"""Annual hires per worker at the calibration point (turnover 15 % + growth 2 %)."""
REFERENCE_MISMATCH = 0.20
"""Effective mismatch of a typical external skilled hire at the calibration point."""
MAX_MISMATCH_FACTOR = 3.0
EARLY_TERMINATION_YEAR1_SHARE = 0.62


def hire_cost_weeks(
    mismatch: FloatArray | float,
    search_share: FloatArray | float = 1.0,
    hire_rate: FloatArray | float = REFERENCE_HIRE_RATE,
    unemployment: float = REFERENCE_UNEMPLOYMENT,
    base_weeks: float = 16.0,
    convexity: float = 0.5,
    elasticity: float = 0.05,
) -> FloatArray:
    """Trial-and-error cost of one hire in weeks of wages (see module docstring)."""
    level = cost_level(unemployment, base_weeks, elasticity)
    if isinstance(hire_rate, float | np.floating):
        # One firm's rate (a review, a quit): NumPy scalar arithmetic as np.maximum would
        # give, without the array calls.
        scale = _rate_scale(hire_rate, convexity)
        if isinstance(mismatch, float | np.floating) and isinstance(search_share, float | int):
            post = min(np.float64(mismatch) / REFERENCE_MISMATCH, MAX_MISMATCH_FACTOR)
            parts = SEARCH_SHARE * search_share + DISRUPTION_SHARE + POST_MATCH_SHARE * post
            return np.asarray(level * scale * parts, dtype=np.float64)
    else:
        scale = rate_scales(hire_rate, convexity)
    post = np.minimum(np.asarray(mismatch) / REFERENCE_MISMATCH, MAX_MISMATCH_FACTOR)
    parts = SEARCH_SHARE * np.asarray(search_share) + DISRUPTION_SHARE + POST_MATCH_SHARE * post
    return np.asarray(level * scale * parts, dtype=np.float64)


def cost_level(unemployment: float, base_weeks: float, elasticity: float) -> float:
    """``H0 (1 - ε)^(100 (u - u0))``: the cost of a hire at the reference hiring rate and fit."""
    return base_weeks * (1.0 - elasticity) ** (100.0 * (unemployment - REFERENCE_UNEMPLOYMENT))


def rate_scales(hire_rate: FloatArray, convexity: float) -> FloatArray:
    """``(r / r0)^γ`` for an array of hiring rates ``r`` (each at least 1e-6)."""
    return np.asarray((np.maximum(hire_rate, 1e-6) / REFERENCE_HIRE_RATE) ** convexity)


def _rate_scale(hire_rate: float | np.floating, convexity: float) -> np.float64:
    """``(r / r0)^γ`` for one firm's hiring rate ``r`` (at least 1e-6)."""
    return np.float64((np.float64(max(hire_rate, 1e-6)) / REFERENCE_HIRE_RATE) ** convexity)


def hire_cost_factor(
    hire_rate: float | np.floating,
    unemployment: float = REFERENCE_UNEMPLOYMENT,
    base_weeks: float = 16.0,
    convexity: float = 0.5,
    elasticity: float = 0.05,
) -> float:
    """The factor ``H0 (1 - ε)^(100 (u - u0)) (r / r0)^γ`` of one firm's hires.

    :func:`hire_cost_weeks` at this firm's rate is this factor times the bracket
    of search, disruption and post-match costs (the same product, to the bit).
    """
    level = cost_level(unemployment, base_weeks, elasticity)
    return float(level * _rate_scale(hire_rate, convexity))


def early_separation_prob(mismatch: FloatArray, mismatch_separation: float) -> FloatArray:
    """Probability a hire separates within 12 months: rises linearly in effective mismatch."""
    return clip(mismatch_separation * np.asarray(mismatch), 0.0, 1.0)


def termination_hazards(early_termination_rate: float) -> tuple[float, float]:
    """Monthly placement-termination hazards in placement years 1 and 2.

    Chosen so that over a two-year placement a share ``early_termination_rate``
    of average apprentices end early, 62 % of them in year 1.
    """
    p1 = early_termination_rate * EARLY_TERMINATION_YEAR1_SHARE
    p2 = early_termination_rate * (1.0 - EARLY_TERMINATION_YEAR1_SHARE) / max(1.0 - p1, 1e-9)
    return 1.0 - (1.0 - p1) ** (1.0 / 12.0), 1.0 - (1.0 - p2) ** (1.0 / 12.0)


def termination_prob(
    base_hazard: FloatArray,
    mismatch: FloatArray,
    reference: FloatArray | float = REFERENCE_MISMATCH,
) -> FloatArray:
    """Monthly termination probability: base hazard scaled by relative effective mismatch."""
    factor = np.minimum(np.asarray(mismatch) / reference, MAX_MISMATCH_FACTOR)
    return clip(base_hazard * factor, 0.0, 1.0)


def hire_credit_weeks(
    weeks: FloatArray,
    separated: NDArray[np.bool_],
    market_weeks: FloatArray,
    market_separation_prob: FloatArray,
) -> FloatArray:
    """What a hire saved against hiring on the market instead, in weeks of wages.

    The market alternative costs ``market_weeks`` and, with probability
    ``market_separation_prob``, fails early and costs them again; this hire
    cost ``weeks`` and, if it ``separated`` early, a market re-hire. A hire
    exactly as good as the market saves nothing on average.
    """
    market = np.asarray(market_weeks) * (1.0 + np.asarray(market_separation_prob))
    own = np.asarray(weeks) + np.where(separated, market_weeks, 0.0)
    return np.asarray(market - own, dtype=np.float64)


def weeks_to_currency(weeks: FloatArray | float, wage_monthly: FloatArray | float) -> FloatArray:
    """Convert weeks of wages into currency with 52/12 weeks per month."""
    return np.asarray(weeks) * np.asarray(wage_monthly) * 12.0 / 52.0
