"""Declaration rows of the vocational college: curriculum, teachers, budget, ties (data only).

The college is the second decision-maker of a tie (``processes.college``); these
rows price and pace what it does.
"""

from __future__ import annotations

from community_sim.params.rows import Row, integer, real

COLLEGE = "college"

COLLEGE_ROWS: tuple[Row, ...] = (
    real("curriculum_update_rate", 2.0, 0.0, 12.0, "1/yr",
         "Rate at which a college's curriculum follows its target, at full teacher currency",
         group=COLLEGE),
    real("teacher_training_rate", 0.1, 0.0, 2.0, "1/yr",
         "Teacher currency restored by the college's ordinary professional development",
         group=COLLEGE),
    real("teacher_placement_rate", 0.1, 0.0, 1.0, "1/yr",
         "Share of a college's teachers it places in firms each year (if its budget allows)",
         group=COLLEGE),
    real("teacher_placement_cost", 12000.0, 0.0, 200000.0, "currency",
         "Cost of one teacher placement in a firm (replacement teaching, host's time)",
         group=COLLEGE),
    integer("teachers_per_school", 40, 1, 5000, "teachers", "Full-time teachers per college",
            group=COLLEGE),
    real("college_budget_annual", 200000.0, 0.0, 1.0e8, "currency/yr",
         "A college's yearly budget for teacher placements and tie coordination", group=COLLEGE),
    real("college_tie_cost_annual", 3000.0, 0.0, 100000.0, "currency/yr",
         "A college's staff cost of coordinating one active tie per year", group=COLLEGE),
    integer("college_coordination_capacity", 300, 0, 100000, "apprentices",
            "Placements one college can coordinate at once", group=COLLEGE),
    real("school_exit_trust", 0.25, 0.0, 1.0, "-",
         "College's trust in a partner below which it ends the tie and refuses it again",
         group=COLLEGE),
    real("reputation_weight", 0.2, 0.0, 2.0, "-",
         "Weight of a college's reputation (graduates' employment) in firms' choice of "
         "college, against curriculum fit", group=COLLEGE),
)  # fmt: skip
"""The college's parameters, in declaration order."""
