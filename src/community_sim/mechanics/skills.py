"""Skill profiles: technology drift, learning, decay and the productivity ramp.

A *demand profile* ``d`` gives the level (0–1) a job requires in each of K
competencies; a *skill profile* ``s`` gives a person's level in each. Match is
the share of required level that is met (only shortfalls count; being
over-skilled in a competency does not make a worker a worse fit).

References
----------
Deming, D. & Noray, K. (2020). Earnings dynamics, changing job skills, and
STEM careers. QJE 135(4). (Annual renewal of job requirements.)
Gilbert, N., Pyka, A. & Ahrweiler, P. (2001). Innovation networks — a
simulation approach. JASSS 4(3)8. (Use-it-or-lose-it expertise.)
Arrazola, M. & de Hevia, J. (2004). More on the estimation of the human
capital depreciation rate. Applied Economics Letters 11(3). (≈1–1.5 %/yr.)
Muehlemann, S. & Wolter, S. C. (2014). Return on investment of
apprenticeship systems for enterprises. IZA J. Labor Policy 3:25.
"""

from __future__ import annotations

import math

import numpy as np
from numba import vectorize
from numpy.typing import NDArray

from community_sim.mechanics.jit import inline_rule, rule

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

LEVEL_LOW = 0.05
"""Lowest level a required competency can take."""
LEVEL_HIGH = 1.0
"""Highest level a required competency can take."""

#: Relative productivity of an apprentice in programme years 1, 2, 3 (and
#: later) compared with a skilled worker (Muehlemann & Wolter 2014, Fig. 2).
RAMP = (0.20, 0.47, 0.63)
_RAMP = np.asarray(RAMP, dtype=np.float64)
_LAST_YEAR = len(RAMP) - 1

#: Mean reversion (per month) of the firm-specific part of drift: a firm's
#: idiosyncratic requirements wander around its own niche over ~3 years.
FIRM_DRIFT_REVERSION = 1.0 / 36.0


def monthly_drift_sd(tech_drift: float) -> float:
    """Monthly s.d. of the demand random walk for an annual renewal share.

    With monthly normal steps of s.d. σ, the expected absolute change of one
    competency over 12 months is σ·√12·√(2/π). Setting this equal to
    ``tech_drift`` times a mid-range level (0.5) makes ``tech_drift`` the
    expected share of the profile renewed per year (Deming & Noray 2020 report
    ≈29 % of vacancies gaining a new requirement over 12 years, ≈0.03/yr).
    """
    return tech_drift * 0.5 / (math.sqrt(12.0) * math.sqrt(2.0 / math.pi))


@rule
def reflect_level(x: float, low: float, high: float) -> float:
    """One value reflected back into ``[low, high]``: at most one mirror at each bound,
    then clipped (a value so far out that one mirror does not bring it back)."""
    # Above ``high`` the mirror image 2·high − x is the smaller of the two, at or below it
    # x is (rounding is monotonic and ``high`` exact), so the minimum is the reflection;
    # likewise the maximum below ``low``. Same values as choosing with np.where.
    m = 2.0 * high - x
    x = m if m < x else x
    m = 2.0 * low - x
    x = m if m > x else x
    return low if x < low else (high if x > high else x)


@vectorize(["float64(float64, float64, float64)"], cache=True)  # type: ignore[misc]
def _reflect_levels(x: float, low: float, high: float) -> float:
    return reflect_level(x, low, high)  # type: ignore[no-any-return]


_reflect = _reflect_levels.ufunc  # the NumPy ufunc itself, without the dispatcher's Python layer


def reflect(x: FloatArray, low: float = LEVEL_LOW, high: float = LEVEL_HIGH) -> FloatArray:
    """Reflect values back into ``[low, high]`` (keeps a random walk bounded, unbiased):
    :func:`reflect_level` element by element."""
    return _reflect(x, low, high)  # type: ignore[no-any-return]


def drift_step(
    sector: FloatArray,
    firm_dev: FloatArray,
    tech_drift: float,
    firm_share: float,
    rng: np.random.Generator,
) -> tuple[FloatArray, FloatArray]:
    """One month of technology drift.

    The sector profile ``sector`` (K,) follows a reflected random walk with the
    common share ``1 - firm_share`` of the variance; each firm's deviation
    ``firm_dev`` (F, K) receives the firm-specific share and reverts slowly to
    zero (so firms' niches persist but do not drift apart without bound).
    """
    sd = monthly_drift_sd(tech_drift)
    k = sector.shape[0]
    sector = reflect(sector + sd * math.sqrt(1.0 - firm_share) * rng.standard_normal(k))
    scale = sd * math.sqrt(firm_share)
    firm_dev = _deviation_step(
        firm_dev, 1.0 - FIRM_DRIFT_REVERSION, scale, rng.standard_normal(firm_dev.shape)
    )
    return sector, firm_dev


@rule
def _deviation_step(firm_dev: FloatArray, keep: float, scale: float, z: FloatArray) -> FloatArray:
    """Each firm's deviation kept at ``keep`` plus ``scale`` times its new draw ``z`` (F, K)."""
    out = np.empty_like(firm_dev)
    for j in range(firm_dev.shape[0]):
        for k in range(firm_dev.shape[1]):
            out[j, k] = firm_dev[j, k] * keep + scale * z[j, k]
    return out


@rule
def demand_profiles(sector: FloatArray, niche: FloatArray, firm_dev: FloatArray) -> FloatArray:
    """Firms' demand profiles: sector trend + fixed niche + drifting deviation, in range
    (:func:`reflect_level` of each sum)."""
    out = np.empty_like(niche)
    for j in range(niche.shape[0]):
        for k in range(niche.shape[1]):
            out[j, k] = reflect_level(
                sector[k] + niche[j, k] + firm_dev[j, k], LEVEL_LOW, LEVEL_HIGH
            )
    return out


@inline_rule
def shortfall(required: float, level: float) -> float:
    """How far a level falls short of the required level (0 when it meets it or more)."""
    g = required - level
    return g if g > 0.0 else 0.0


@inline_rule
def match_share(short: float, need: float) -> float:
    """The share of the required level met: ``1 - Σ shortfall / Σ required``."""
    return 1.0 - short / (need if need > 1e-12 else 1e-12)


@inline_rule
def match_at(skills: FloatArray, r: int, demand: FloatArray, f: int) -> float:
    """Skill match of worker row ``r`` to job row ``f``: ``1 - Σ max(d - s, 0) / Σ d`` (0–1).

    Only shortfalls count (being over-skilled in a competency does not make a worker
    a worse fit); competencies are added in order. :func:`mean_fit_sums` lays the same
    sums out by worker.
    """
    short = 0.0
    need = 0.0
    for k in range(skills.shape[1]):
        d = demand[f, k]
        short += shortfall(d, skills[r, k])
        need += d
    return match_share(short, need)


@rule
def match_pairs(
    skills: FloatArray, rows: IntArray, demand: FloatArray, jobs: IntArray
) -> FloatArray:
    """:func:`match_at` of each (``rows[m]``, ``jobs[m]``) pair."""
    out = np.empty(rows.shape[0])
    for m in range(rows.shape[0]):
        out[m] = match_at(skills, rows[m], demand, jobs[m])
    return out


@rule
def match_rows(skills: FloatArray, rows: IntArray, demand: FloatArray) -> FloatArray:
    """:func:`match_at` of each of ``rows`` to one demand profile ``demand`` (K,)."""
    table = demand.reshape(1, demand.shape[0])
    out = np.empty(rows.shape[0])
    for m in range(rows.shape[0]):
        out[m] = match_at(skills, rows[m], table, 0)
    return out


@inline_rule
def _demand_by_skill(demand: FloatArray) -> tuple[FloatArray, FloatArray]:
    """``demand`` laid out competency-major, and each job's total requirement (in order)."""
    n_j, n_k = demand.shape
    by_k = np.ascontiguousarray(demand.T)
    need = np.zeros(n_j)
    for k in range(n_k):
        for j in range(n_j):
            need[j] += by_k[k, j]
    return by_k, need


@inline_rule
def _add_worker_fits(
    out: FloatArray, short: FloatArray, by_k: FloatArray, need: FloatArray, row: FloatArray
) -> None:
    """Add one worker's (skills ``row``) match to every job's sum in ``out``."""
    n_k, n_j = by_k.shape
    short[:] = 0.0
    for k in range(n_k):
        s = row[k]
        for j in range(n_j):
            short[j] += shortfall(by_k[k, j], s)
    for j in range(n_j):
        out[j] += match_share(short[j], need[j])


@rule
def mean_fit_sums(skills: FloatArray, demand: FloatArray) -> FloatArray:
    """Per job of ``demand``, the sum over every worker of ``skills`` of their skill match.

    The same sums as :func:`match_at`'s (:func:`shortfall` added competency by
    competency, then :func:`match_share`), run for all jobs at once so that the
    loop over jobs is the inner one (independent sums, which the compiler runs
    side by side); each job's matches are added in worker order.
    """
    by_k, need = _demand_by_skill(demand)
    short = np.empty(demand.shape[0])
    out = np.zeros(demand.shape[0])
    for i in range(skills.shape[0]):
        _add_worker_fits(out, short, by_k, need, skills[i])
    return out


@rule
def vintage_fit_sums(
    vintage: FloatArray, scale: float, noise: FloatArray, demand: FloatArray
) -> FloatArray:
    """:func:`mean_fit_sums` of the workers ``reflect(vintage + scale × noise)`` (one row of
    ``noise`` per worker), each worker's skills made as its turn comes."""
    by_k, need = _demand_by_skill(demand)
    short = np.empty(demand.shape[0])
    out = np.zeros(demand.shape[0])
    row = np.empty(vintage.shape[0])
    for i in range(noise.shape[0]):
        for k in range(vintage.shape[0]):
            row[k] = reflect_level(vintage[k] + scale * noise[i, k], LEVEL_LOW, LEVEL_HIGH)
        _add_worker_fits(out, short, by_k, need, row)
    return out


@rule
def match_table(skills: FloatArray, demand: FloatArray) -> FloatArray:
    """:func:`match_at` of every row of ``skills`` (rows) to every row of ``demand`` (columns)."""
    out = np.empty((skills.shape[0], demand.shape[0]))
    for i in range(skills.shape[0]):
        for j in range(demand.shape[0]):
            out[i, j] = match_at(skills, i, demand, j)
    return out


def skill_match(skills: FloatArray, demand: FloatArray) -> FloatArray:
    """:func:`match_at` over the leading axes of ``skills`` and ``demand`` (broadcast)."""
    s = np.asarray(skills, dtype=np.float64)
    d = np.asarray(demand, dtype=np.float64)
    if s.ndim == d.ndim == 3 and s.shape[1] == 1 and d.shape[0] == 1:  # a table
        return match_table(s[:, 0, :], d[0])  # type: ignore[no-any-return]
    shape = np.broadcast_shapes(s.shape, d.shape)
    k = shape[-1]
    s2 = np.ascontiguousarray(np.broadcast_to(s, shape)).reshape(-1, k)
    d2 = np.ascontiguousarray(np.broadcast_to(d, shape)).reshape(-1, k)
    idx = np.arange(s2.shape[0])
    return match_pairs(s2, idx, d2, idx).reshape(shape[:-1])


@rule
def performance(aptitude: float) -> float:
    """On-the-job performance factor of aptitude, capped at 1 (a strong learner fits fully)."""
    return aptitude if aptitude < 1.0 else 1.0


@rule
def mismatch(match: float, aptitude: float) -> float:
    """Mismatch as the employer experiences it: ``1 - match × performance`` (0–1)."""
    x = 1.0 - match * performance(aptitude)
    return 0.0 if x < 0.0 else (1.0 if x > 1.0 else x)


@vectorize(["float64(float64, float64)"], cache=True)  # type: ignore[misc]
def _effective_mismatch(match: float, aptitude: float) -> float:
    """:func:`mismatch` element by element (NumPy broadcasting)."""
    return mismatch(match, aptitude)


effective_mismatch = _effective_mismatch.ufunc
""":func:`mismatch` element by element (NumPy broadcasting): the NumPy ufunc itself,
without the dispatcher's Python layer (a few calls a month)."""


@vectorize(["float64(float64)"], cache=True)  # type: ignore[misc]
def performances(aptitude: float) -> float:
    """:func:`performance` element by element."""
    return performance(aptitude)


@rule
def learn_step(
    skill: float, target: float, rate: float, disuse_monthly: float, depreciation_monthly: float
) -> float:
    """One month of learning of one competency toward ``target``, with use-it-or-lose-it decay.

    A competency below target closes the gap at ``rate`` (per student, already
    scaled by aptitude and teacher; at most 1); one above target is not used and
    decays toward it at ``disuse_monthly`` (Gilbert, Pyka & Ahrweiler 2001);
    everything depreciates slowly (Arrazola & de Hevia 2004).
    """
    g = target - skill
    g = g * ((rate if rate < 1.0 else 1.0) if g > 0.0 else disuse_monthly)
    return (g + skill) * (1.0 - depreciation_monthly)


@rule
def rotation_target(host: float, union: float, share: float) -> float:
    """A rotating apprentice's target in one competency: ``(1 - s) host + s union``.

    ``union`` is the most any member of the council requires of it (the element-wise
    maximum of the members' demand), so rotation adds what the host does not need.
    """
    return (1.0 - share) * host + share * union


@rule
def spread_rate(rate: float, host_gap: float, target_gap: float) -> float:
    """Learning rate toward a broader target under the same learning capacity.

    An apprentice closes ``rate`` of the total shortfall to its host's demand
    (``host_gap``) a month; aimed at a broader target with total shortfall
    ``target_gap`` it spreads that effort: ``rate × host_gap / target_gap``
    (breadth at the cost of depth).
    """
    if target_gap <= host_gap or target_gap <= 0.0:
        return rate
    return rate * host_gap / target_gap


@rule
def module_rate(firm_rate: float, module_share: float, college_rate: float) -> float:
    """An apprentice's learning rate with a member-specific module.

    What it learns at the host (``firm_rate``) plus the module's college teaching
    aimed at the same firm: ``module_share`` of a full-time student's college rate.
    """
    return firm_rate + module_share * college_rate


@rule
def productivity_ramp(programme_month: int) -> float:
    """Relative productivity by programme year (0.20 / 0.47 / 0.63; Muehlemann & Wolter 2014)."""
    year = programme_month // 12
    return _RAMP[0 if year < 0 else (_LAST_YEAR if year > _LAST_YEAR else year)]


def per_month(annual_rate: float) -> float:
    """Monthly probability equivalent to an annual rate (constant hazard)."""
    return 1.0 - (1.0 - min(annual_rate, 0.999999)) ** (1.0 / 12.0)
