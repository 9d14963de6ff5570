"""The ingredients of an industrial college: switch, cost and the mechanism each feeds.

Every advantage an integrated tie can have is one of these; each is read by
the process named here through the tie's :class:`~community_sim.policies.TieTerms`,
never by testing the tie's kind, and each is switched off by setting its
parameter to ``off``. ``community-sim params`` prints this table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from community_sim.params import Value


@dataclass(frozen=True)
class Ingredient:
    """One ingredient of integration."""

    name: str
    switch: str  # parameter that switches or scales it
    off: Value  # the switch's value that turns it off
    costs: tuple[str, ...]  # parameters that price the resources it uses
    mechanism: str  # what it changes, and in which process


INGREDIENTS: dict[str, Ingredient] = {
    i.name: i
    for i in (
        Ingredient("codesign", "codesign_rate", 0.0, ("codesign_cost_annual",),
                   "curriculum moves toward members' demand (processes.curriculum)"),
        Ingredient("rotation", "rotation_share", 0.0, ("rotation_cost_share",),
                   "stage-2 apprentices train toward the council's mean demand "
                   "(processes.teaching)"),
        Ingredient("screening", "council_noise_factor", 1.0, ("screening_cost_annual",),
                   "less noise in members' signal of students at placement and hiring "
                   "(processes.placement, processes.labour_market)"),
        Ingredient("masters", "masters_hours_per_place", 0.0,
                   ("skilled_wage", "master_hours_per_student"),
                   "masters' hours raise the college's learning rate in proportion to "
                   "coverage; members pay the hours at their wage (processes.teaching)"),
        Ingredient("teacher_placements", "council_placement_discount", 0.0,
                   ("teacher_placement_cost",),
                   "members carry part of their college's teacher placements, so its budget "
                   "buys more and teacher currency stays higher (processes.curriculum)"),
        Ingredient("first_right", "first_right_to_hire", False, (),
                   "members pick from the college's graduates first (processes.labour_market)"),
        Ingredient("cofunding", "cofunding_share", 0.0, ("government_budget_annual",),
                   "government pays part of set-up, running and membership costs "
                   "(processes.council)"),
    )
}  # fmt: skip
"""Every ingredient by name."""


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
