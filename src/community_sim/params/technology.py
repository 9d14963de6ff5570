"""Declaration rows of directional technical change: emerging competencies (data only).

The drift rows (``tech_drift``, ``drift_firm_share``, ...) are in :mod:`.table`;
these add new competencies that appear over time (``processes.technology``).
"""

from __future__ import annotations

from community_sim.params.rows import Row, real

TECHNOLOGY = "technology"

TECHNOLOGY_ROWS: tuple[Row, ...] = (
    real("emergence_rate", 0.0, 0.0, 1.0, "1/yr",
         "Adoption rate of new competencies: after t years the sector requires a share "
         "1 - exp(-rate·t) of their mature level (0 = off, a fixed set of competencies). "
         "No source for the value; new skills in job ads: Deming & Noray 2020, Atalay et al. "
         "2020", group=TECHNOLOGY),
    real("emerging_share", 0.25, 0.0, 0.5, "-",
         "Share of the n_skills competencies (the last ones, rounded) that are new, starting "
         "at the lowest level (only with emergence_rate > 0). No source: a scenario value",
         group=TECHNOLOGY),
    real("emergence_timing_sd_months", 12.0, 0.0, 60.0, "months",
         "S.d. of the months a firm adopts new competencies ahead of (or behind) the sector. "
         "No source: early and late adopters differ by years (Mansfield 1961, Econometrica "
         "29(4))", group=TECHNOLOGY),
)  # fmt: skip
"""The rows of emerging competencies, in declaration order."""
