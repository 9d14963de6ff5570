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

import itertools
import math

import numpy as np
from numpy.typing import NDArray

from community_sim.mechanics.ufuncs import clip

FloatArray = NDArray[np.float64]

LEVEL_LOW = 0.05
"""Lowest level a required competency can take."""
LEVEL_HIGH = 1.0
"""Highest level a required competency can take."""

#: Relative productivity of an apprentice in programme years 1, 2, 3 (and
#: later) compared with a skilled worker (Muehlemann & Wolter 2014, Fig. 2).
RAMP = (0.20, 0.47, 0.63)
_RAMP = np.asarray(RAMP, dtype=np.float64)

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


def reflect(x: FloatArray, low: float = LEVEL_LOW, high: float = LEVEL_HIGH) -> FloatArray:
    """Reflect values back into ``[low, high]`` (keeps a random walk bounded, unbiased)."""
    # Above ``high`` the mirror image 2·high − x is the smaller of the two, at or below it
    # x is (rounding is monotonic and ``high`` exact), so the minimum is the reflection;
    # likewise the maximum below ``low``. Same values as choosing with np.where.
    x = np.asarray(x)
    x = np.minimum(x, 2.0 * high - x)
    x = np.maximum(x, 2.0 * low - x)
    return clip(x, low, high)


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
    firm_dev = firm_dev * (1.0 - FIRM_DRIFT_REVERSION) + sd * math.sqrt(
        firm_share
    ) * rng.standard_normal(firm_dev.shape)
    return sector, firm_dev


def demand_profiles(sector: FloatArray, niche: FloatArray, firm_dev: FloatArray) -> FloatArray:
    """Firms' demand profiles: sector trend + fixed niche + drifting deviation, in range."""
    return reflect(sector[None, :] + niche + firm_dev)


PAIRWISE_BLOCK = 128
"""Rows up to this length are summed by NumPy with eight interleaved accumulators."""
COLUMN_SUM_MIN_ROWS = 1024
TABLE_MIN_CELLS = 1000
"""From this many (workers × jobs) cells on, a match table is computed job-major."""
"""From this many rows on, sums over the last axis add whole columns (see :func:`row_sum`)."""


def _column_total(cols: list[FloatArray]) -> FloatArray:
    """Sum of ``cols`` added in the order NumPy's pairwise summation adds a row's elements.

    A plain running sum from +0.0 below eight elements; from eight on, eight
    interleaved partial sums combined as a tree, then the remainder (rows of up
    to :data:`PAIRWISE_BLOCK` elements). The columns are modified in place.
    """
    n = len(cols)
    if n < 8:
        total = cols[0] + 0.0
        for c in cols[1:]:
            total += c
        return total
    acc = cols[:8]
    tail = n - n % 8
    for i in range(8, tail, 8):
        for q in range(8):
            acc[q] += cols[i + q]
    acc[0] += acc[1]
    acc[2] += acc[3]
    acc[4] += acc[5]
    acc[6] += acc[7]
    acc[0] += acc[2]
    acc[4] += acc[6]
    total = acc[0]
    total += acc[4]
    for c in cols[tail:]:
        total += c
    total += 0.0  # NumPy starts from +0.0: a sum of -0.0 is +0.0
    return total


def _by_columns(rows: int, n: int) -> bool:
    """Whether a sum over ``n`` elements in each of ``rows`` rows is faster column by column."""
    return 0 < n <= PAIRWISE_BLOCK and rows >= COLUMN_SUM_MIN_ROWS


def _broadcast_rows(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    """Rows (all but the last axis) of the broadcast of shapes ``a`` and ``b``."""
    rows = 1
    for x, y in itertools.zip_longest(reversed(a[:-1]), reversed(b[:-1]), fillvalue=1):
        rows *= max(x, y)
    return rows


def row_sum(x: FloatArray) -> FloatArray:
    """``x.sum(axis=-1)`` with the same rounding, computed column by column for many rows.

    NumPy reduces each row separately (a short inner loop per row); for many
    short rows, adding whole columns in the order NumPy adds a row's elements
    is several times faster and gives the same result to the last bit.
    """
    x = np.asarray(x)
    n = x.shape[-1] if x.ndim else 0
    if x.dtype != np.float64 or not _by_columns(x.size // max(n, 1), n):
        return np.asarray(x.sum(axis=-1))
    return _column_total([x[..., k].copy() for k in range(n)])


def _match_table(skills: FloatArray, demand: FloatArray) -> FloatArray:
    """``skill_match(skills[:, None], demand[None])``: every worker against every job.

    Computed job-major, each competency's shortfalls in rows as long as the group of
    workers (contiguous, so NumPy's fast loops apply), summed in :func:`row_sum`'s
    order; returned workers-by-jobs and C-ordered, the same numbers in the same layout.
    """
    by_competency = np.ascontiguousarray(skills.T)
    cols = [np.subtract(demand[:, k, None], by_competency[k]) for k in range(demand.shape[1])]
    zero = np.zeros_like(cols[0])  # an array operand: NumPy's maximum is slower with 0.0
    for gap in cols:
        np.maximum(gap, zero, out=gap)
    short = _column_total(cols)
    need = np.maximum(row_sum(demand), 1e-12)
    return np.ascontiguousarray((1.0 - short / need[:, None]).T)


def skill_match(skills: FloatArray, demand: FloatArray) -> FloatArray:
    """Share of the required level met: ``1 - Σ max(d - s, 0) / Σ d`` (0–1), row-wise.

    With many rows (e.g. every worker against every firm) the shortfall is summed
    competency by competency (:func:`row_sum`'s order, so the same to the last
    bit), without a (rows × competencies) temporary.
    """
    s = np.asarray(skills, dtype=np.float64)
    d = np.asarray(demand, dtype=np.float64)
    n = d.shape[-1]
    if n and (s.size // n) * (d.size // n) < min(COLUMN_SUM_MIN_ROWS, TABLE_MIN_CELLS):
        # Few rows (one firm, a few colleges, a month's hires): NumPy's own row sums,
        # with the ufuncs called directly (ndarray.sum adds a Python layer).
        gap = np.subtract(d, s)
        short = np.add.reduce(np.maximum(gap, 0.0, out=gap), axis=-1)
        return 1.0 - short / np.maximum(np.add.reduce(d, axis=-1), 1e-12)
    if (
        s.ndim == d.ndim == 3
        and s.shape[1] == 1
        and d.shape[0] == 1
        and s.shape[0] * d.shape[1] >= TABLE_MIN_CELLS
        and 0 < n == s.shape[-1] <= PAIRWISE_BLOCK
    ):
        return _match_table(s[:, 0, :], d[0])
    if s.shape[-1] == n and _by_columns(_broadcast_rows(s.shape, d.shape), n):
        cols = [np.subtract(d[..., k], s[..., k]) for k in range(n)]
        zero = np.zeros_like(cols[0])  # an array operand: NumPy's maximum is slower with 0.0
        for gap in cols:
            np.maximum(gap, zero, out=gap)
        short = _column_total(cols)
        need = row_sum(d)
    else:
        gap = np.subtract(d, s)
        short = np.add.reduce(np.maximum(gap, 0.0, out=gap), axis=-1)
        need = np.add.reduce(d, axis=-1)
    return 1.0 - short / np.maximum(need, 1e-12)


def performance(aptitude: FloatArray) -> FloatArray:
    """On-the-job performance factor of aptitude, capped at 1 (a strong learner fits fully)."""
    return np.minimum(aptitude, 1.0)


def effective_mismatch(match: FloatArray, aptitude: FloatArray) -> FloatArray:
    """Mismatch as the employer experiences it: ``1 - match × performance`` (0–1)."""
    return clip(1.0 - match * performance(aptitude), 0.0, 1.0)


def learn_step(
    skills: FloatArray,
    target: FloatArray,
    rate: FloatArray,
    disuse_monthly: float,
    depreciation_monthly: float,
) -> FloatArray:
    """One month of learning toward ``target`` with use-it-or-lose-it decay.

    Competencies below target close the gap at ``rate`` (per student, already
    scaled by aptitude and teacher); competencies above target are not used and
    decay toward it at ``disuse_monthly`` (Gilbert, Pyka & Ahrweiler 2001);
    everything depreciates slowly (Arrazola & de Hevia 2004).
    """
    gap = np.subtract(target, skills)
    # Pick the rate per element, then multiply once (same products as choosing the steps);
    # the arithmetic runs in place on the one temporary. Each row's rate is repeated
    # across its competencies: np.where is faster on same-shaped operands than on a
    # broadcast column.
    rates = np.repeat(np.minimum(rate, 1.0), gap.shape[-1]).reshape(gap.shape)
    gap *= np.where(gap > 0.0, rates, disuse_monthly)
    gap += skills
    gap *= 1.0 - depreciation_monthly
    return gap


def productivity_ramp(programme_month: NDArray[np.int64] | int) -> FloatArray:
    """Relative productivity by programme year (0.20 / 0.47 / 0.63; Muehlemann & Wolter 2014)."""
    year = np.minimum(np.asarray(programme_month) // 12, len(RAMP) - 1)
    return _RAMP[np.maximum(year, 0)]


def per_month(annual_rate: float) -> float:
    """Monthly probability equivalent to an annual rate (constant hazard)."""
    return 1.0 - (1.0 - min(annual_rate, 0.999999)) ** (1.0 / 12.0)
