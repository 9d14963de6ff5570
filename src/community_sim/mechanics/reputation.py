"""A college's reputation rests on its last cohort's employment six months after graduating."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from community_sim.mechanics.jit import rule

IntArray = NDArray[np.int64]

EMPLOYED_WITHIN = 6
"""Months after graduating within which a graduate counts as employed."""


@rule
def cohort_employment(
    grad_month: IntArray,
    employed_month: IntArray,
    school: IntArray,
    n: int,
    graduated: int,
    n_schools: int,
) -> tuple[IntArray, IntArray]:
    """Per college, among rows ``:n``: graduates of month ``graduated``, and those of them
    employed within :data:`EMPLOYED_WITHIN` months of graduating."""
    cohort = np.zeros(n_schools, dtype=np.int64)
    employed = np.zeros(n_schools, dtype=np.int64)
    for r in range(n):
        if grad_month[r] != graduated:
            continue
        cohort[school[r]] += 1
        e = employed_month[r]
        if e >= 0 and e - grad_month[r] <= EMPLOYED_WITHIN:
            employed[school[r]] += 1
    return cohort, employed
