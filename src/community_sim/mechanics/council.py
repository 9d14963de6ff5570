"""The industrial college as a club, and the resources its ingredients use.

A council is a club good (Buchanan 1965): a fixed running cost ``F`` shared
equally by its ``n`` members plus a cost per member ``c``, so a member's
share ``F / n + c`` falls as the club grows and rises when a member leaves.
Ingredients are priced by the resources they use: masters' hours at the
member's wage, committee time for co-design, joint assessment for screening.

References
----------
Buchanan, J. M. (1965). An economic theory of clubs. Economica 32(125), 1–14.
Korber, M. & Paier, M. (2014), on the Austrian competence centres: councils
of firms and research bodies with shared running costs and public co-funding.
Muehlemann, S. & Wolter, S. C. (2014). IZA J. Labor Policy 3:25.
Gulati, R. (1995). Does familiarity breed trust? Academy of Management J. 38(1), 85–112.
Dyer, J. H. & Singh, H. (1998). The relational view. Academy of Management Rev. 23(4), 660–679.
NDRC & MOE (2019). 国家产教融合建设试点实施方案 (发改社会〔2019〕1558号).
"""

from __future__ import annotations

import math

import numpy as np
from numba import vectorize
from numpy.typing import NDArray

from community_sim.mechanics.bounds import at_least, at_most
from community_sim.mechanics.jit import rule
from community_sim.mechanics.ufuncs import clip

FloatArray = NDArray[np.float64]

HOURS_PER_MONTH = 52.0 * 40.0 / 12.0
"""Working hours in a month of a full-time skilled worker (40 h/week)."""


def club_share(fixed_cost: float, members: int | NDArray[np.int64]) -> FloatArray:
    """Each member's equal share of a council's fixed cost (the whole cost for one member)."""
    return np.asarray(fixed_cost / np.maximum(np.asarray(members, dtype=np.float64), 1.0))


def fee_weights(
    places: float, members: int, total_places: float, by_size: bool
) -> tuple[float, float]:
    """A member's share of the club's fixed cost, and the factor on its per-member items.

    Equal: ``1/n`` and ``1``. By size (apprentice places ``q``): ``q / Σq`` of the
    fixed cost and ``q / mean(q)`` on each per-member item, so the council's total
    bill is the same under both schedules.
    """
    n = max(members, 1)
    if not by_size or total_places <= 0.0:
        return 1.0 / n, 1.0
    return places / total_places, places * n / total_places


def tenure_factor(decline_per_year: float, months: float) -> float:
    """Coordination cost after ``months`` of membership relative to a new member's.

    ``(1 - d)^(months/12)``: a member and the college learn each other's routines,
    so meetings, reporting and committee work take less time (relational capital:
    Gulati 1995; Dyer & Singh 1998). ``d = 0`` switches it off.
    """
    if decline_per_year <= 0.0 or months <= 0:
        return 1.0
    return float((1.0 - decline_per_year) ** (months / 12.0))


def tax_credit(spending: float, liability: float, share: float, carried: float = 0.0) -> float:
    """Credit a certified firm may offset: ``min(share · spending + carried, liability)``, ≥ 0.

    Chinese pilot production-education integration enterprises offset 30% of
    their investment in vocational education against the education surcharges
    they owe for the year (NDRC & MOE 2019); the liability caps it, so a small
    firm, owing little, gets less; ``carried`` is credit earned in earlier years
    and not yet used (the rule carries it forward).
    """
    return max(min(share * spending + carried, liability), 0.0)


def hours_cost(hours_per_month: FloatArray | float, wage_monthly: FloatArray | float) -> FloatArray:
    """Monthly cost of masters' hours at the supplying firm's wage."""
    if not (isinstance(hours_per_month, float) and isinstance(wage_monthly, float)):
        # arrays (or lists); one firm's Python floats (decisions) stay floats, not 0-d arrays
        hours_per_month, wage_monthly = np.asarray(hours_per_month), np.asarray(wage_monthly)
    return hours_per_month * wage_monthly / HOURS_PER_MONTH  # type: ignore[return-value]


def masters_coverage(
    hours: FloatArray, enrolled: FloatArray, hours_per_student: float
) -> FloatArray:
    """Share (0–1) of a college's students reached by masters' teaching.

    Full coverage needs ``hours_per_student`` hours a month per enrolled
    student; below that the effect is proportional to the hours supplied.
    """
    need = np.maximum(np.asarray(enrolled, dtype=np.float64) * hours_per_student, 1e-12)
    return np.asarray(clip(np.asarray(hours) / need, 0.0, 1.0))


@rule
def unit_clip(x: float) -> float:
    """``x`` clipped to [0, 1] as NumPy's ``clip`` does (NaN stays NaN, -0 becomes 0)."""
    return at_most(at_least(x, 0.0), 1.0)  # type: ignore[no-any-return]


@rule
def currency_level(theta: float, ageing_monthly: float, refresh_monthly: float) -> float:
    """One month of teacher currency: ages with technology, restored by training/placements.

    ``θ' = θ (1 - a) + r (1 - θ)``: a share ``a`` of what teachers know goes
    out of date each month (the drift), a share ``r`` of the teachers renews
    their knowledge (ordinary training plus placements in firms; at most all of
    them). The stationary value is ``r / (r + a)`` for constant rates.
    """
    r = unit_clip(refresh_monthly)
    return unit_clip(theta * (1.0 - ageing_monthly) + r * (1.0 - theta))  # type: ignore[no-any-return]


@vectorize(["float64(float64, float64, float64)"], cache=True)  # type: ignore[misc]
def _currency_each(theta: float, ageing_monthly: float, refresh_monthly: float) -> float:
    return currency_level(theta, ageing_monthly, refresh_monthly)  # type: ignore[no-any-return]


def teacher_currency_step(
    theta: FloatArray, ageing_monthly: float, refresh_monthly: FloatArray
) -> FloatArray:
    """:func:`currency_level` of each college's teacher currency ``theta``."""
    return np.asarray(_currency_each(theta, ageing_monthly, refresh_monthly), dtype=np.float64)


@rule
def follow_public_signal(
    curricula: FloatArray,
    currency: FloatArray,
    lagged: FloatArray,
    placed_share: FloatArray,
    training_monthly: float,
    ageing_monthly: float,
    update_rate: float,
) -> tuple[FloatArray, FloatArray]:
    """A month of every college without co-design (``curriculum.revise``): teacher currency
    (:func:`currency_level`, refreshed by ``training_monthly`` plus the teachers placed),
    then the curriculum moves toward the ``lagged`` public signal at ``update_rate × θ``
    a year (at most all the way). Returns the new currencies and curricula."""
    n_s, n_k = curricula.shape
    theta = np.empty(n_s)
    out = np.empty((n_s, n_k))
    for i in range(n_s):
        th = currency_level(currency[i], ageing_monthly, training_monthly + placed_share[i])
        theta[i] = th
        speed = unit_clip(update_rate * th / 12.0)
        for k in range(n_k):
            out[i, k] = curricula[i, k] + speed * (lagged[k] - curricula[i, k])
    return theta, out


@rule
def seen_performance(aptitude: float, signal: float) -> float:
    """A host's noisy signal of performance: ``min(aptitude · signal, 1)``, ``signal = exp(σ z)``.

    Nobody observes aptitude exactly; ``σ`` is the host's screening noise
    (lower for council members and for a firm about its own trainees).
    """
    seen = aptitude * signal
    return seen if seen < 1.0 else 1.0


@rule
def performance_signal(noise_sd: float, normal: float) -> float:
    """The multiplicative signal ``exp(σ z)`` of a standard normal draw ``z`` at noise ``σ``."""
    return math.exp(noise_sd * normal)  # type: ignore[no-any-return]


@vectorize(["float64(float64, float64, float64)"], cache=True)  # type: ignore[misc]
def _seen_each(aptitude: float, noise_sd: float, normal: float) -> float:
    return seen_performance(aptitude, performance_signal(noise_sd, normal))


def observed_performance(
    aptitude: FloatArray, noise_sd: FloatArray | float, normals: FloatArray
) -> FloatArray:
    """:func:`seen_performance` of each aptitude, with :func:`performance_signal` of
    ``noise_sd`` and ``normals``."""
    return np.asarray(_seen_each(aptitude, noise_sd, normals))


@rule
def pay_in_turn(left: float, spent: float, amount: float, times: int) -> tuple[float, float]:
    """A budget ``left`` and a total ``spent`` after ``times`` payments of ``amount`` in a row
    (one payment at a time: the same sums as separate payments)."""
    for _ in range(times):
        left -= amount
        spent += amount
    return left, spent
