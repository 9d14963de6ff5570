"""The model's state: a few typed containers the monthly processes read and write.

The students' arrays are :class:`~community_sim.agents.student.StudentArrays`
(rows with status codes); firms, colleges, the sector's technology and the
ties are the containers below, each a set of aligned arrays (index = firm or
college). A process takes the containers it works on, the parameters and the
random generator; :class:`~community_sim.model.CommunityModel` builds them
and keeps the schedule.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

NO_TIE, PROJECT, INTEGRATED = 0, 1, 2
"""Status codes of :attr:`Ties.kind`: a firm without a tie, with a project contract, in a
council (industrial college)."""
KIND_CODE = {"project": PROJECT, "integrated": INTEGRATED}


@dataclass(eq=False)
class Technology:
    """The sector's demand profile and its history (negative months: pre-history)."""

    sector: FloatArray
    """The sector's current demand profile (K,)."""
    history: FloatArray
    """The profile of every month, pre-history first: row ``pre + month``."""
    pre: int
    """Months of pre-history (long enough for every lag)."""

    def at(self, month: int) -> FloatArray:
        """The sector profile at ``month`` (negative months are pre-history)."""
        return self.history[max(self.pre + month, 0)]


@dataclass(eq=False)
class Firms:
    """Per-firm arrays: workforce, demand, hiring records (index = firm)."""

    headcount0: FloatArray
    """Skilled workers at the start (the growth path's base)."""
    headcount: IntArray
    """Skilled workers now."""
    capacity: IntArray
    """Apprentice places."""
    wage: FloatArray
    """Monthly skilled wage."""
    niche: FloatArray
    """Fixed deviation of each firm's demand from the sector's (F, K)."""
    deviation: FloatArray
    """Drifting firm-specific deviation of demand (F, K)."""
    demand: FloatArray
    """This month's demand profile of each firm (F, K)."""
    hire_hist: IntArray
    """Hires per firm in each of the last 12 months (row ``month % 12``)."""
    sep_due: IntArray
    """Untracked (external) hires due to separate early, by month and firm."""


@dataclass(eq=False)
class Colleges:
    """Per-college arrays (index = college)."""

    curricula: FloatArray
    """Each college's taught profile (S, K)."""
    currency: FloatArray
    """Teacher currency θ (0–1): the share of what teachers know that is up to date."""


@dataclass(eq=False)
class Ties:
    """Each firm's tie: its status code (:data:`NO_TIE`, :data:`PROJECT`, :data:`INTEGRATED`)
    and its college (-1 without a tie). The tie objects live with the firms' agents."""

    kind: IntArray
    school: IntArray


@dataclass(eq=False, frozen=True)
class Terms:
    """Each firm's terms of cooperation from its tie (all off without a tie), read-only here.

    The model's arrays themselves (``CommunityModel.f_council`` …), gathered for the
    processes that read them.
    """

    council: NDArray[np.bool_]
    codesign: FloatArray
    rotation: FloatArray
    noise: FloatArray
    masters: FloatArray
    discount: FloatArray
    first: NDArray[np.bool_]


@dataclass(eq=False)
class ExternalMarket:
    """The external labour market's fixed sample of workers behind the hiring benchmark."""

    noise: FloatArray
    """Each sampled worker's skill deviation from the vintage, before scaling (W, K)."""
    mean_performance: float
    """Mean on-the-job performance of a worker (over the aptitude distribution)."""
    benchmark: tuple[int, FloatArray, FloatArray] | None = None
    """This month's expected mismatch per firm and the skills vintage, once computed."""
