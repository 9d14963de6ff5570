"""Directional technical change: emerging competencies.

The last competencies of the profile are *emerging*: before the new technology
is adopted a job requires them only at the lowest level, and as it is adopted
the requirement rises toward the level the undirected drift gives them (their
*mature* level). Adoption follows the exponential diffusion curve
``A(x) = 1 - exp(-rate · x / 12)`` of the months ``x`` since adoption began (0
before it). The sector begins at month 0; each firm ``lead`` months earlier
(negative: later), so early adopters ask for the new competencies first.

References
----------
Deming, D. & Noray, K. (2020). Earnings dynamics, changing job skills, and
STEM careers. QJE 135(4). (New skill requirements in the vacancies of
technology-intensive jobs.)
Atalay, E., Phongthiengtham, P., Sotelo, S. & Tannenbaum, D. (2020). The
evolution of work in the United States. AEJ: Applied 12(2). (New tasks and
technologies named in job ads.)
Mansfield, E. (1961). Technical change and the rate of imitation.
Econometrica 29(4). (Firms adopt a new technology at different times.)
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from community_sim.mechanics.jit import rule
from community_sim.mechanics.skills import LEVEL_LOW

FloatArray = NDArray[np.float64]


@rule
def emerging_profiles(full: FloatArray, first: int, months: FloatArray, rate: float) -> FloatArray:
    """Demand rows ``full`` (R, K) with competencies ``first``… only as far adopted.

    Row ``r`` has adopted the new technology for ``months[r]`` months, a share
    ``A = 1 - exp(-rate · months / 12)`` of it (0 before adoption); each of its
    emerging competencies is required at ``LEVEL_LOW + A · (mature - LEVEL_LOW)``,
    the mature level being its value in ``full``. The other competencies are copied.
    """
    out = full.copy()
    for r in range(full.shape[0]):
        x = months[r]
        share = 1.0 - math.exp(-rate * x / 12.0) if x > 0.0 else 0.0
        for k in range(first, full.shape[1]):
            out[r, k] = LEVEL_LOW + share * (full[r, k] - LEVEL_LOW)
    return out
