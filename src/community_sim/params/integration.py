"""The ingredient table of integration (an industrial college), declared once.

Every advantage an integrated tie can have is an ingredient: a parameter that
switches or scales it, its value on a tie (a field of
:class:`~community_sim.policies.TieTerms`, read by the process named here, never
by testing the tie's kind), the parameters that price the resources it uses,
and, when a process reads it firm by firm, the model's per-firm array of it.
Each row below is the only declaration of its ingredient: the parameter rows
(:data:`INGREDIENT_ROWS`), the tie terms, the model's per-firm arrays and their
refresh, the ``community-sim params`` listing and the all-off design
(:func:`all_off`) are made from it. A project tie, and a firm without a tie,
has every ingredient at its ``off`` value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from community_sim.params.rows import Row, Value, flag, real

ING = "ingredient"


@dataclass(frozen=True)
class Ingredient:
    """One ingredient of integration."""

    name: str
    row: Row  # the declaration of its switch, the parameter that switches or scales it
    off: Value  # the switch's value that turns it off: its level on a project tie
    term: str  # its field on TieTerms
    per_firm: str  # the model's per-firm array of its level ("": no process reads one)
    costs: tuple[str, ...]  # parameters that price the resources it uses
    mechanism: str  # what it changes, and in which process

    @property
    def switch(self) -> str:
        """The parameter that switches or scales it."""
        return str(self.row["name"])

    def level(self, p: Mapping[str, Value]) -> Value:
        """Its level on an integrated tie: the switch's value in ``p``, typed as ``off``."""
        value = p[self.switch]
        return bool(value) if isinstance(self.off, bool) else float(value)


INGREDIENTS: dict[str, Ingredient] = {
    i.name: i
    for i in (
        Ingredient(
            "codesign",
            real("codesign_rate", 1.0, 0.0, 4.0, "1/yr",
                 "Co-design: rate at which a council's curriculum moves toward members' demand "
                 "(0 = off; scaled by teacher currency)", group=ING),
            0.0, "codesign_rate", "f_codesign", ("codesign_cost_annual",),
            "curriculum moves toward members' demand (processes.curriculum)"),
        Ingredient(
            "rotation",
            real("rotation_share", 0.5, 0.0, 1.0, "-",
                 "Rotation: share of a stage-2 member apprentice's training aimed at the "
                 "union of the council members' demand rather than the host's (0 = off)",
                 group=ING),
            0.0, "rotation_share", "f_rotation", ("rotation_cost_share",),
            "stage-2 apprentices train toward the union of members' demand, their learning "
            "spread over the broader target (processes.teaching)"),
        Ingredient(
            "screening",
            real("council_noise_factor", 0.3, 0.0, 1.0, "-",
                 "Screening information: a member's signal noise relative to any host's "
                 "(1 = no better than a project host)", group=ING,
                 source="Acemoglu & Pischke 1998, QJE 113(1) (information advantage of "
                 "training)"),
            1.0, "noise_factor", "f_noise", ("screening_cost_annual",),
            "less noise in members' signal of students at placement and hiring "
            "(processes.placement, processes.labour_market)"),
        Ingredient(
            "masters",
            real("masters_hours_per_place", 2.0, 0.0, 40.0, "h/month per place",
                 "Masters teaching in the college: hours a member supplies per apprentice place "
                 "(0 = off)", group=ING),
            0.0, "masters_hours_per_place", "f_masters",
            ("skilled_wage", "master_hours_per_student"),
            "masters' hours raise the college's learning rate in proportion to coverage; "
            "members pay the hours at their wage (processes.teaching)"),
        Ingredient(
            "teacher_placements",
            real("council_placement_discount", 0.5, 0.0, 1.0, "-",
                 "Teacher placements: share of a placement's cost that council members carry "
                 "for their college (0 = off)", group=ING),
            0.0, "placement_discount", "f_discount", ("teacher_placement_cost",),
            "members carry part of their college's teacher placements, so the money it "
            "plans buys more of them and teacher currency stays higher (processes.curriculum)"),
        Ingredient(
            "first_right",
            flag("first_right_to_hire", True,
                 "First right to hire: members pick from the college's graduates before "
                 "outside employers and other partners make their offers", group=ING),
            False, "first_right_to_hire", "f_first", (),
            "members pick from the college's job-seeking graduates before outside employers "
            "and other partners (processes.recruiting)"),
        Ingredient(
            "screening_tenure",
            real("screening_tenure_rate", 0.2, 0.0, 2.0, "1/yr",
                 "Screening with tenure: rate at which a member's signal noise falls with "
                 "years of membership, as exp(-rate x years) (0 = off; no source)", group=ING),
            0.0, "screening_tenure_rate", "", ("screening_cost_annual",),
            "members' signal noise falls with their months of membership "
            "(processes.placement, processes.recruiting)"),
        Ingredient(
            "modules",
            real("member_module_share", 0.0, 0.0, 1.0, "-",
                 "Member-specific modules: college teaching that a member's apprentices get "
                 "toward that member's demand, as a share of a full-time student's college "
                 "learning (0 = off, the default: at the baseline a member's module returned less "
                 "than module_cost_annual; no source)", group=ING),
            0.0, "module_share", "", ("module_cost_annual",),
            "a member's apprentices also learn in college toward its demand, the member "
            "pays per apprentice (processes.teaching)"),
        Ingredient(
            "placement_priority",
            flag("placement_priority", True,
                 "Priority at placement: members' apprentice places are filled before other "
                 "partners' in the September allocation", group=ING),
            False, "placement_priority", "", (),
            "members take their turns first in the September allocation, where members "
            "and other partners share a college (processes.placement)"),
        Ingredient(
            "cofunding",
            real("cofunding_share", 0.3, 0.0, 1.0, "-",
                 "Co-funding: government share of a member's council costs: set-up, running "
                 "cost, membership and the ingredients' costs (co-design committees, "
                 "screening, masters' hours) (0 = off)", group=ING),
            0.0, "cofunding_share", "", ("government_budget_annual",),
            "government pays part of set-up, running cost, membership, co-design, "
            "screening and masters' hours (processes.council)"),
    )
}  # fmt: skip
"""Every ingredient by name, in declaration order."""

INGREDIENT_ROWS: tuple[Row, ...] = tuple(i.row for i in INGREDIENTS.values())
"""The ingredients' switches as parameter rows."""

PER_FIRM: tuple[Ingredient, ...] = tuple(i for i in INGREDIENTS.values() if i.per_firm)
"""The ingredients a process reads firm by firm, from the model's per-firm arrays."""


def off_levels() -> dict[str, Value]:
    """Every ingredient's term at its off value: a project tie's, or a firm's without a tie."""
    return {i.term: i.off for i in INGREDIENTS.values()}


def levels(p: Mapping[str, Value]) -> dict[str, Value]:
    """Every ingredient's term on an integrated tie under parameters ``p``."""
    return {i.term: i.level(p) for i in INGREDIENTS.values()}


def all_off() -> dict[str, Value]:
    """Parameter overrides that switch every ingredient off."""
    return {i.switch: i.off for i in INGREDIENTS.values()}


def ingredient_table(p: Mapping[str, Value] | None = None) -> list[dict[str, str]]:
    """Rows for ``community-sim params``: ingredient, switch (default), off value, costs."""
    rows = []
    for i in INGREDIENTS.values():
        default = "" if p is None else f"={p[i.switch]}"
        rows.append(
            {
                "ingredient": i.name,
                "switch": f"{i.switch}{default}",
                "off": str(i.off).lower() if isinstance(i.off, bool) else f"{i.off:g}",
                "costs": ", ".join(i.costs) or "-",
                "mechanism": i.mechanism,
            }
        )
    return rows
