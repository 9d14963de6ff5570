"""Declaration rows of the industrial college's council: its club costs (data only).

What joining, running and serving on a council costs, and what masters'
teaching and rotation take. The ingredients' switches are in
:mod:`.integration`; the college's own rows in :mod:`.college`.
"""

from __future__ import annotations

from community_sim.params.rows import Row, real

COUNCIL = "council"

COUNCIL_ROWS: tuple[Row, ...] = (
    real("governance_cost_annual", 24000.0, 0.0, 500000.0, "currency/yr",
         "Council's fixed running cost per college and year, shared equally by its members",
         group=COUNCIL),
    real("council_member_cost_annual", 4000.0, 0.0, 200000.0, "currency/yr",
         "Cost of council membership per member and year (meetings, reporting)", group=COUNCIL),
    real("integration_setup_cost", 10000.0, 0.0, 1000000.0, "currency",
         "One-off cost of joining an industrial college, per member", group=COUNCIL),
    real("codesign_cost_annual", 3000.0, 0.0, 100000.0, "currency/yr",
         "Staff time a member spends on curriculum committees while co-design is on",
         group=COUNCIL),
    real("screening_cost_annual", 2000.0, 0.0, 100000.0, "currency/yr",
         "Joint assessment and shared student records, per member and year while screening "
         "information is on", group=COUNCIL),
    real("master_hours_per_student", 1.0, 0.05, 20.0, "h/month per student",
         "Masters' hours per enrolled student at which their teaching gives the full boost",
         group=COUNCIL),
    real("master_boost", 0.5, 0.0, 3.0, "-",
         "Relative increase of the learning rate with full masters' coverage (in college) or "
         "a host's master (on placement)", group=COUNCIL),
    real("rotation_cost_share", 0.03, 0.0, 0.5, "-",
         "Hand-over and supervision cost of a rotating apprentice-month, share of the wage",
         group=COUNCIL),
)  # fmt: skip
"""The council's cost parameters, in declaration order."""
