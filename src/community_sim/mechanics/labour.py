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

import math

import numpy as np
from numba import vectorize
from numpy.typing import NDArray

from community_sim.mechanics.bounds import at_least
from community_sim.mechanics.jit import rule

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


def cost_level(unemployment: float, base_weeks: float, elasticity: float) -> float:
    """``H0 (1 - ε)^(100 (u - u0))``: the cost of a hire at the reference hiring rate and fit."""
    return base_weeks * (1.0 - elasticity) ** (100.0 * (unemployment - REFERENCE_UNEMPLOYMENT))


@rule
def scalar_power(x: float, exponent: float) -> float:
    """``x ** exponent`` as NumPy raises an array to a scalar power: its exact special
    cases (square root for 0.5, square for 2, reciprocal for -1), else the C library's
    ``pow`` (which for those exponents can differ in the last bit)."""
    if exponent == 0.5:
        return math.sqrt(x)
    if exponent == 2.0:
        return x * x
    if exponent == -1.0:
        return 1.0 / x
    if exponent == 1.0:
        return x
    if exponent == 0.0:
        return 1.0
    return x**exponent  # type: ignore[no-any-return]


@rule
def rate_level(hire_rate: float, convexity: float) -> float:
    """``(r / r0)^γ`` for a firm's hiring rate ``r``, at least 1e-6."""
    return scalar_power(at_least(hire_rate, 1e-6) / REFERENCE_HIRE_RATE, convexity)  # type: ignore[no-any-return]


@vectorize(["float64(float64, float64)"], cache=True)  # type: ignore[misc]
def _rate_levels(hire_rate: float, convexity: float) -> float:
    return rate_level(hire_rate, convexity)  # type: ignore[no-any-return]


def rate_scale(hire_rate: FloatArray | float, convexity: float) -> FloatArray:
    """:func:`rate_level` of a firm's (or each firm's) hiring rate ``r``."""
    return np.asarray(_rate_levels(hire_rate, convexity), dtype=np.float64)


@rule
def hire_cost_factors(
    hist: NDArray[np.int64], headcount: NDArray[np.int64], level: float, convexity: float
) -> FloatArray:
    """Each firm's factor ``level × (r / r0)^γ`` (:func:`hire_cost_factor`), its hiring rate
    ``r`` its hires in the months of ``hist`` (rows) over its ``headcount`` (at least 1)."""
    n_m, n_f = hist.shape
    out = np.empty(n_f)
    for j in range(n_f):
        hires = 0
        for m in range(n_m):
            hires += hist[m, j]
        workers = headcount[j] if headcount[j] > 1 else 1
        out[j] = level * rate_level(hires / workers, convexity)
    return out


def hire_cost_factor(
    hire_rate: FloatArray | float,
    unemployment: float = REFERENCE_UNEMPLOYMENT,
    base_weeks: float = 16.0,
    convexity: float = 0.5,
    elasticity: float = 0.05,
) -> FloatArray:
    """The factor ``H0 (1 - ε)^(100 (u - u0)) (r / r0)^γ`` of a firm's hires (see the module).

    A hire's cost is this factor times the bracket (:func:`cost_bracket`): :func:`hire_weeks`.
    """
    return cost_level(unemployment, base_weeks, elasticity) * rate_scale(hire_rate, convexity)


@rule
def post_match_factor(mismatch: float) -> float:
    """``min(m / m0, 3)``: post-match cost relative to a typical external hire's."""
    x = mismatch / REFERENCE_MISMATCH
    return x if x < MAX_MISMATCH_FACTOR else MAX_MISMATCH_FACTOR


@vectorize(["float64(float64)"], cache=True)  # type: ignore[misc]
def post_match_factors(mismatch: float) -> float:
    """:func:`post_match_factor` element by element."""
    return post_match_factor(mismatch)


@rule
def cost_parts(search_share: float, post_factor: float) -> tuple[float, float, float]:
    """The bracket's three parts: search ``0.21 σ``, disruption ``0.26``, post-match ``0.53 p``."""
    return SEARCH_SHARE * search_share, DISRUPTION_SHARE, POST_MATCH_SHARE * post_factor


@rule
def cost_bracket(search_share: float, mismatch: float) -> float:
    """``0.21 σ + 0.26 + 0.53 min(m / m0, 3)`` (Muehlemann & Strupler Leiser 2018)."""
    search, disruption, post = cost_parts(search_share, post_match_factor(mismatch))
    return search + disruption + post


@rule
def hire_weeks(factor: float, search_share: float, mismatch: float) -> float:
    """Trial-and-error cost of one hire in weeks of wages: factor × bracket."""
    return factor * cost_bracket(search_share, mismatch)


@rule
def worth_hiring(
    fit: float, bar: float, factor: float, search_share: float, bonus_weeks: float
) -> bool:
    """Whether a candidate seen to fit ``fit`` is worth hiring for an open vacancy.

    It is when it is seen to fit at least as well as the market's expected hire
    (``bar``) or, when the hire brings a retention bonus worth ``bonus_weeks`` of
    wages, when its trial-and-error cost net of the bonus is at most that of a hire
    fitting ``bar``: ``hire_weeks(1 - fit) - bonus <= hire_weeks(1 - bar)``.
    """
    if fit >= bar:
        return True
    if bonus_weeks <= 0.0:
        return False
    own = hire_weeks(factor, search_share, 1.0 - fit)
    return own - bonus_weeks <= hire_weeks(factor, search_share, 1.0 - bar)


@rule
def move_on_prob(
    move_share: float, premium: float, wage_monthly: float, elasticity: float
) -> float:
    """Probability a graduate moves on from the firm that trained them, whatever it offers.

    ``move_share`` without a retention premium; a premium of ``premium`` (currency)
    lowers it by ``exp(-elasticity × premium / wage_monthly)``.
    """
    x = elasticity * premium
    if x <= 0.0:
        return move_share
    return move_share * math.exp(-x / wage_monthly)


@vectorize(["float64(float64, float64, float64, float64)"], cache=True)  # type: ignore[misc]
def move_on_probs(
    move_share: float, premium: float, wage_monthly: float, elasticity: float
) -> float:
    """:func:`move_on_prob` element by element."""
    return move_on_prob(move_share, premium, wage_monthly, elasticity)


@rule
def tenure_noise(noise_factor: float, rate_per_year: float, tenure_months: float) -> float:
    """A member's signal noise factor after ``tenure_months`` of membership.

    ``noise_factor × exp(-rate × years)``: relational capital sharpens what a member
    sees of the college's students (no decline when ``rate`` is 0).
    """
    if rate_per_year <= 0.0 or tenure_months <= 0.0:
        return noise_factor
    return noise_factor * math.exp(-rate_per_year * tenure_months / 12.0)


@vectorize(["float64(float64, float64, float64)"], cache=True)  # type: ignore[misc]
def tenure_noises(noise_factor: float, rate_per_year: float, tenure_months: float) -> float:
    """:func:`tenure_noise` element by element."""
    return tenure_noise(noise_factor, rate_per_year, tenure_months)


@rule
def early_separation_prob(mismatch: float, mismatch_separation: float) -> float:
    """Probability a hire separates within 12 months: rises linearly in effective mismatch."""
    x = mismatch_separation * mismatch
    return 0.0 if x < 0.0 else (1.0 if x > 1.0 else x)


def termination_hazards(early_termination_rate: float) -> tuple[float, float]:
    """Monthly placement-termination hazards in placement years 1 and 2.

    Chosen so that over a two-year placement a share ``early_termination_rate``
    of average apprentices end early, 62 % of them in year 1.
    """
    p1 = early_termination_rate * EARLY_TERMINATION_YEAR1_SHARE
    p2 = early_termination_rate * (1.0 - EARLY_TERMINATION_YEAR1_SHARE) / max(1.0 - p1, 1e-9)
    return 1.0 - (1.0 - p1) ** (1.0 / 12.0), 1.0 - (1.0 - p2) ** (1.0 / 12.0)


@rule
def termination_prob(base_hazard: float, mismatch: float, reference: float) -> float:
    """Monthly termination probability: base hazard scaled by relative mismatch (capped at 3)."""
    factor = mismatch / reference
    factor = factor if factor < MAX_MISMATCH_FACTOR else MAX_MISMATCH_FACTOR
    x = base_hazard * factor
    return 0.0 if x < 0.0 else (1.0 if x > 1.0 else x)


@rule
def hire_credit_weeks(
    weeks: float, separated: bool, market_weeks: float, market_separation_prob: float
) -> float:
    """What a hire saved against hiring on the market instead, in weeks of wages.

    The market alternative costs ``market_weeks`` and, with probability
    ``market_separation_prob``, fails early and costs them again; this hire
    cost ``weeks`` and, if it ``separated`` early, a market re-hire. A hire
    exactly as good as the market saves nothing on average.
    """
    return market_weeks * (1.0 + market_separation_prob) - (
        weeks + (market_weeks if separated else 0.0)
    )


@rule
def weeks_to_currency(weeks: float, wage_monthly: float) -> float:
    """Convert weeks of wages into currency with 52/12 weeks per month."""
    return weeks * wage_monthly * 12.0 / 52.0
