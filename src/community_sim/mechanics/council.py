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
"""

from __future__ import annotations

import numpy as np
from numba import vectorize
from numpy.typing import NDArray

from community_sim.mechanics.jit import rule
from community_sim.mechanics.ufuncs import clip

FloatArray = NDArray[np.float64]

HOURS_PER_MONTH = 52.0 * 40.0 / 12.0
"""Working hours in a month of a full-time skilled worker (40 h/week)."""


def club_share(fixed_cost: float, members: int | NDArray[np.int64]) -> FloatArray:
    """Each member's equal share of a council's fixed cost (the whole cost for one member)."""
    return np.asarray(fixed_cost / np.maximum(np.asarray(members, dtype=np.float64), 1.0))


def hours_cost(hours_per_month: FloatArray | float, wage_monthly: FloatArray | float) -> FloatArray:
    """Monthly cost of masters' hours at the supplying firm's wage."""
    return np.asarray(hours_per_month) * np.asarray(wage_monthly) / HOURS_PER_MONTH


def masters_coverage(
    hours: FloatArray, enrolled: FloatArray, hours_per_student: float
) -> FloatArray:
    """Share (0–1) of a college's students reached by masters' teaching.

    Full coverage needs ``hours_per_student`` hours a month per enrolled
    student; below that the effect is proportional to the hours supplied.
    """
    need = np.maximum(np.asarray(enrolled, dtype=np.float64) * hours_per_student, 1e-12)
    return np.asarray(clip(np.asarray(hours) / need, 0.0, 1.0))


def teacher_currency_step(
    theta: FloatArray, ageing_monthly: float, refresh_monthly: FloatArray
) -> FloatArray:
    """One month of teacher currency: ages with technology, restored by training/placements.

    ``θ' = θ (1 - a) + r (1 - θ)``: a share ``a`` of what teachers know goes
    out of date each month (the drift), a share ``r`` of the teachers renews
    their knowledge (ordinary training plus placements in firms). The
    stationary value is ``r / (r + a)`` for constant rates.
    """
    t = np.asarray(theta, dtype=np.float64)
    r = clip(np.asarray(refresh_monthly, dtype=np.float64), 0.0, 1.0)
    return np.asarray(clip(t * (1.0 - ageing_monthly) + r * (1.0 - t), 0.0, 1.0))


@rule
def seen_performance(aptitude: float, signal: float) -> float:
    """A host's noisy signal of performance: ``min(aptitude · signal, 1)``, ``signal = exp(σ z)``.

    Nobody observes aptitude exactly; ``σ`` is the host's screening noise
    (lower for council members and for a firm about its own trainees).
    """
    seen = aptitude * signal
    return seen if seen < 1.0 else 1.0


@vectorize(["float64(float64, float64)"], cache=True)  # type: ignore[misc]
def _seen_each(aptitude: float, signal: float) -> float:
    return seen_performance(aptitude, signal)


def observed_performance(
    aptitude: FloatArray, noise_sd: FloatArray | float, normals: FloatArray
) -> FloatArray:
    """:func:`seen_performance` of each aptitude, with ``signal = exp(noise_sd · normals)``."""
    return np.asarray(_seen_each(aptitude, np.exp(np.asarray(noise_sd) * normals)))
