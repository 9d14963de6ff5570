"""Declaration rows of the integration ingredients, the council and the college (data only).

Every ingredient of an industrial college is a parameter that switches or
scales it, and every resource it uses has a price: the table
:data:`community_sim.ingredients.INGREDIENTS` pairs each ingredient with its
switch and its cost. Rows have the shape of
:data:`community_sim.param_table.DECLARED`.
"""

from __future__ import annotations

from typing import Any


def _row(
    name: str, default: float, low: float, high: float, unit: str, doc: str, group: str, **kw: Any
) -> dict[str, Any]:
    kind = "int" if isinstance(default, int) and not isinstance(default, bool) else "real"
    value = int(default) if kind == "int" else float(default)
    return dict(
        name=name,
        default=value,
        kind=kind,
        unit=unit,
        doc=doc,
        low=low,
        high=high,
        group=group,
        **kw,
    )


def _bool(name: str, default: bool, doc: str, group: str, **kw: Any) -> dict[str, Any]:
    return dict(name=name, default=default, kind="bool", unit="-", doc=doc, group=group, **kw)


ING = "ingredient"
COUNCIL = "council"
COLLEGE = "college"

COUNCIL_ROWS: tuple[dict[str, Any], ...] = (
    # --- ingredients: switch or scale ----------------------------------------
    _row("codesign_rate", 1.0, 0.0, 4.0, "1/yr",
         "Co-design: rate at which a council's curriculum moves toward members' demand "
         "(0 = off; scaled by teacher currency)", ING),
    _row("rotation_share", 0.5, 0.0, 1.0, "-",
         "Rotation: share of a stage-2 member apprentice's training aimed at the council's "
         "mean demand rather than the host's (0 = off)", ING),
    _row("council_noise_factor", 0.3, 0.0, 1.0, "-",
         "Screening information: a member's signal noise relative to any host's "
         "(1 = no better than a project host)", ING,
         source="Acemoglu & Pischke 1998, QJE 113(1) (information advantage of training)"),
    _row("masters_hours_per_place", 2.0, 0.0, 40.0, "h/month per place",
         "Masters teaching in the college: hours a member supplies per apprentice place "
         "(0 = off)", ING),
    _row("council_placement_discount", 0.5, 0.0, 1.0, "-",
         "Teacher placements: share of a placement's cost that council members carry for "
         "their college (0 = off)", ING),
    _bool("first_right_to_hire", True,
          "First right to hire: members pick from the college's graduates before others", ING),
    _row("cofunding_share", 0.3, 0.0, 1.0, "-",
         "Co-funding: government share of the council's set-up, running and membership "
         "costs (0 = off)", ING),
    # --- council (club) costs ------------------------------------------------
    _row("governance_cost_annual", 24000.0, 0.0, 500000.0, "currency/yr",
         "Council's fixed running cost per college and year, shared equally by its members",
         COUNCIL),
    _row("council_member_cost_annual", 4000.0, 0.0, 200000.0, "currency/yr",
         "Cost of council membership per member and year (meetings, reporting)", COUNCIL),
    _row("integration_setup_cost", 10000.0, 0.0, 1000000.0, "currency",
         "One-off cost of joining an industrial college, per member", COUNCIL),
    _row("codesign_cost_annual", 3000.0, 0.0, 100000.0, "currency/yr",
         "Staff time a member spends on curriculum committees while co-design is on", COUNCIL),
    _row("screening_cost_annual", 2000.0, 0.0, 100000.0, "currency/yr",
         "Joint assessment and shared student records, per member and year while screening "
         "information is on", COUNCIL),
    _row("master_hours_per_student", 1.0, 0.05, 20.0, "h/month per student",
         "Masters' hours per enrolled student at which their teaching gives the full boost",
         COUNCIL),
    _row("master_boost", 0.5, 0.0, 3.0, "-",
         "Relative increase of the learning rate with full masters' coverage (in college) or "
         "a host's master (on placement)", COUNCIL),
    _row("rotation_cost_share", 0.03, 0.0, 0.5, "-",
         "Hand-over and supervision cost of a rotating apprentice-month, share of the wage",
         COUNCIL),
    # --- the college ---------------------------------------------------------
    _row("curriculum_update_rate", 2.0, 0.0, 12.0, "1/yr",
         "Rate at which a college's curriculum follows its target, at full teacher currency",
         COLLEGE),
    _row("teacher_training_rate", 0.1, 0.0, 2.0, "1/yr",
         "Teacher currency restored by the college's ordinary professional development",
         COLLEGE),
    _row("teacher_placement_rate", 0.1, 0.0, 1.0, "1/yr",
         "Share of a college's teachers it places in firms each year (if its budget allows)",
         COLLEGE),
    _row("teacher_placement_cost", 12000.0, 0.0, 200000.0, "currency",
         "Cost of one teacher placement in a firm (replacement teaching, host's time)", COLLEGE),
    _row("teachers_per_school", 40, 1, 5000, "teachers", "Full-time teachers per college",
         COLLEGE),
    _row("college_budget_annual", 200000.0, 0.0, 1.0e8, "currency/yr",
         "A college's yearly budget for teacher placements and tie coordination", COLLEGE),
    _row("college_tie_cost_annual", 3000.0, 0.0, 100000.0, "currency/yr",
         "A college's staff cost of coordinating one active tie per year", COLLEGE),
    _row("college_coordination_capacity", 300, 0, 100000, "apprentices",
         "Placements one college can coordinate at once", COLLEGE),
    _row("school_exit_trust", 0.25, 0.0, 1.0, "-",
         "College's trust in a partner below which it ends the tie and refuses it again",
         COLLEGE),
    _row("reputation_weight", 0.2, 0.0, 2.0, "-",
         "Weight of a college's reputation (graduates' employment) in firms' choice of "
         "college, against curriculum fit", COLLEGE),
    # --- firms' training economics --------------------------------------------
    _row("placement_setup_months", 0.5, 0.0, 12.0, "months of wages",
         "Host's cost of starting a placement (selection, induction, equipment)", "economics",
         source="Muehlemann & Wolter 2014 (recruitment and initial training costs)"),
    _row("screening_noise", 0.4, 0.0, 2.0, "-",
         "S.d. of the log-signal of a student's performance that any host observes", "labour"),
    _row("trainer_noise_factor", 0.3, 0.0, 1.0, "-",
         "Signal noise of a firm about its own trainees relative to screening_noise", "labour",
         source="Acemoglu & Pischke 1998; Muehlemann & Wolter 2014 (≈46% stay)"),
    _row("graduate_move_share", 0.4, 0.0, 1.0, "-",
         "Share of graduates who leave their training firm at graduation by their own "
         "choice (further study, another occupation or region), before any offer", "labour",
         source="Muehlemann & Wolter 2014 (≈46% stay with the training firm); "
         "Müller 2024, China Quarterly (vocational graduates' turnover)"),
    _row("prehire_cost_share", 0.25, 0.0, 1.0, "-",
         "Share of the wage not covered by output while a graduate hired ahead of a "
         "vacancy waits for it", "labour"),
    _row("sme_size_sd", 0.5, 0.0, 2.0, "-",
         "Dispersion of SMEs' headcounts around sme_headcount (log-normal sigma)", "scale"),
)  # fmt: skip
"""Ingredient switches, council and college parameters, in declaration order."""
