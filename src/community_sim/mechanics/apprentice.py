"""An apprentice's output relative to the baseline's average apprentice of the same placement year.

Per apprentice-month a host gains ramp × productive share × skilled wage ×
relative fit, where the relative fit compares the apprentice's effective
mismatch with the host to the baseline's average apprentice in the same
placement year (:data:`APPRENTICE_MISMATCH`), capped at :data:`MAX_RELATIVE_FIT`
(Muehlemann & Wolter 2014, IZA J. Labor Policy 3:25, for the ramp).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from community_sim.mechanics.jit import rule
from community_sim.mechanics.skills import match_at, mismatch, productivity_ramp

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

MAX_RELATIVE_FIT = 1.25
"""Cap on an apprentice's output relative to the ramp's average apprentice."""
APPRENTICE_MISMATCH = (0.172, 0.043)
"""Mean effective mismatch of placed apprentices in placement years 1 and 2 (programme
years 2 and 3) at the baseline, measured on seeds 0-2, months 24-119. Output and the
termination hazard are scaled relative to it, so that at the baseline the average
apprentice realises the cited ramp (0.47 / 0.63) and termination hazards (22 %, 62 % of
them in year 1); a better fit than that (co-design, screening, masters) raises output
and lowers terminations, a worse one does the opposite."""


@rule
def reference_mismatch(first_year: bool) -> float:
    """The baseline's average apprentice mismatch in the apprentice's placement year."""
    return APPRENTICE_MISMATCH[0] if first_year else APPRENTICE_MISMATCH[1]


@rule
def relative_fit(mismatch: float, reference: float) -> float:
    """Output relative to the baseline's average apprentice: ``(1 - m) / (1 - m_ref)``, capped."""
    rel = (1.0 - mismatch) / (1.0 - reference)
    return 0.0 if rel < 0.0 else (MAX_RELATIVE_FIT if rel > MAX_RELATIVE_FIT else rel)


@rule
def relative_output(
    skills: FloatArray,
    aptitude: FloatArray,
    rows: IntArray,
    hosts: IntArray,
    demand: FloatArray,
    programme_month: IntArray,
    first_year: NDArray[np.bool_],
) -> FloatArray:
    """Each apprentice's output relative to a skilled worker: ramp × relative fit.

    ``programme_month`` and ``first_year`` are aligned with ``rows`` and ``hosts``.
    """
    out = np.empty(rows.shape[0])
    for m in range(rows.shape[0]):
        r = rows[m]
        mis = mismatch(match_at(skills, r, demand, hosts[m]), aptitude[r])
        fit = relative_fit(mis, reference_mismatch(first_year[m]))
        out[m] = productivity_ramp(programme_month[m]) * fit
    return out
