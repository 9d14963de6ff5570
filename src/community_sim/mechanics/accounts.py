"""Compiled passes over the month's quits and hires that the ties' ledgers are debited for.

Each computes, for the entries that concern a tie, the amount the Python code then
books to that tie, one entry after another as before; the costs are the rules of
:mod:`~community_sim.mechanics.labour`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from community_sim.mechanics.jit import rule
from community_sim.mechanics.labour import hire_weeks, weeks_to_currency

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@rule
def tie_rehire_costs(
    employer: IntArray,
    school: IntArray,
    tie_school: IntArray,
    factor: FloatArray,
    ext_mis: FloatArray,
    wage: FloatArray,
) -> tuple[IntArray, FloatArray]:
    """The quits (``employer``, ``school``) whose employer's tie (``tie_school`` per firm;
    -1 without) is with the college the graduate came from: their employers, in order,
    and each one's market re-hire in currency,
    ``weeks_to_currency(hire_weeks(factor, 1, ext_mis), wage)`` of the employer."""
    n = employer.size
    firms = np.empty(n, dtype=np.int64)
    cost = np.empty(n)
    m = 0
    for k in range(n):
        j = employer[k]
        if tie_school[j] != school[k]:
            continue
        firms[m] = j
        cost[m] = weeks_to_currency(hire_weeks(factor[j], 1.0, ext_mis[j]), wage[j])
        m += 1
    return firms[:m], cost[:m]
