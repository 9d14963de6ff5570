"""Declaration rows of the industrial college's council: its club costs (data only).

What joining, running and serving on a council costs, how the costs are split
among members, how coordination gets cheaper with tenure, and what masters'
teaching and rotation take. No published survey prices an industrial
college's council; where a row says "no source" its bounds are the range the
sensitivity studies use. The ingredients' switches are in :mod:`.integration`;
the college's own rows in :mod:`.college`; the government's in :mod:`.government`.
"""

from __future__ import annotations

from community_sim.params.rows import Row, choice, real

COUNCIL = "council"

COUNCIL_ROWS: tuple[Row, ...] = (
    real("governance_cost_annual", 24000.0, 0.0, 200000.0, "currency/yr",
         "Council's fixed running cost per college and year (secretariat, meetings), shared by "
         "its members (fee_schedule); no source found for the secretariat of a comparable body "
         "(a German chamber's vocational training committee under BBiG §77, a Chinese "
         "vocational education group); sensitivity range 6,000-60,000", group=COUNCIL),
    real("council_member_cost_annual", 4000.0, 0.0, 50000.0, "currency/yr",
         "Cost of council membership per member and year (meetings, reporting), falling with "
         "tenure (tenure_cost_decline); no source; sensitivity range 0-12,000", group=COUNCIL),
    real("integration_setup_cost", 10000.0, 0.0, 200000.0, "currency",
         "One-off cost of joining an industrial college, per member (agreement, adapting "
         "training plans); no source; sensitivity range 2,000-50,000", group=COUNCIL),
    real("codesign_cost_annual", 3000.0, 0.0, 50000.0, "currency/yr",
         "Staff time a member spends on curriculum committees while co-design is on, falling "
         "with tenure; no source (order of magnitude: a few staff-days a year at the skilled "
         "wage); sensitivity range 0-10,000", group=COUNCIL),
    real("screening_cost_annual", 2000.0, 0.0, 50000.0, "currency/yr",
         "Joint assessment and shared student records, per member and year while screening "
         "information is on; no source (recruitment costs of apprentices in cost-benefit "
         "surveys are of this order but not itemised for joint assessment); sensitivity range "
         "0-6,000", group=COUNCIL),
    choice("fee_schedule", "by_size", ("equal", "by_size"),
           "How members split council costs: equally, or by_size (the fixed running cost and "
           "the teacher-placement share in proportion to apprentice places, per-member items "
           "and set-up scaled by places relative to the council's mean). By size is how "
           "chambers assess their members (German IHKG §3: dues by trade income)",
           group=COUNCIL),
    real("tenure_cost_decline", 0.1, 0.0, 0.5, "1/yr",
         "Share by which a member's coordination costs (membership, co-design committees) fall "
         "per year of membership (0 = off); relational capital lowers coordination costs "
         "(Gulati 1995; Dyer & Singh 1998), rate: no source, sensitivity range 0-0.3",
         group=COUNCIL, source="Gulati 1995, AMJ 38(1); Dyer & Singh 1998, AMR 23(4) "
         "(direction only)"),
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
