"""The college as the second decision-maker of every tie.

A college coordinates placements up to ``college_coordination_capacity``
apprentices at once and pays ``college_tie_cost_annual`` a year per active
tie from its yearly budget (which also buys teacher placements). It keeps its
own trust in each partner, updated at the tie's reviews from its own ledger:
a period is good for the college when at most ``school_tolerance`` of the
apprentices it placed there ended early. It ends a tie when that trust falls
below ``school_exit_trust``, and refuses a firm whose remembered trust is below
it, a firm whose places would exceed its coordination capacity, or any new
tie once this year's budget cannot pay for one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from community_sim.mechanics.trust import update_trust_py
from community_sim.state import TieRegistry

if TYPE_CHECKING:
    from community_sim.agents.enterprise import Enterprise
    from community_sim.agents.partnership import Partnership
    from community_sim.agents.school import School


def places_committed(registry: TieRegistry, school: School) -> int:
    """Apprentice places of the college's current partners."""
    return registry.college_ties()[1][school.idx]


@dataclass(frozen=True, slots=True)
class Rules:
    """How a college weighs its partners (parameters, read once for a round of decisions)."""

    exit_trust: float  # school_exit_trust: the least trust it keeps or takes back a partner at
    tie_cost: float  # college_tie_cost_annual: what this year's budget must still cover
    capacity: int  # college_coordination_capacity: apprentices it can coordinate at once
    tolerance: float  # school_tolerance: the share of early departures a good period may have
    gain: float  # trust_gain
    loss: float  # trust_loss

    @classmethod
    def read(cls, p: Mapping[str, Any]) -> Rules:
        return cls(
            float(p["school_exit_trust"]),
            float(p["college_tie_cost_annual"]),
            int(p["college_coordination_capacity"]),
            float(p["school_tolerance"]),
            float(p["trust_gain"]),
            float(p["trust_loss"]),
        )


def accepts(
    registry: TieRegistry, school: School, ent: Enterprise, p: Mapping[str, Any] | Rules
) -> bool:
    """Whether the college takes ``ent`` as a new partner (see module docstring)."""
    a = p if isinstance(p, Rules) else Rules.read(p)
    remembered = school.trust_memory.get(ent.idx)
    if remembered is not None and remembered < a.exit_trust:
        return False
    if school.budget_left < a.tie_cost:
        return False
    committed = registry.college_ties()[1][school.idx]
    capacity = int(registry.firms.capacity[ent.idx])
    return committed == 0 or committed + capacity <= a.capacity


def review(tie: Partnership, p: Mapping[str, Any] | Rules) -> bool:
    """Update the college's trust in the partner from the period; whether it continues."""
    a = p if isinstance(p, Rules) else Rules.read(p)
    hosted = tie.period_started + tie.placed_at_period_start
    good = tie.period_terminated <= a.tolerance * max(hosted, 1)
    tie.trust_school = float(update_trust_py(tie.trust_school, good, a.gain, a.loss))
    tie.school.trust_memory[tie.enterprise.idx] = tie.trust_school
    return tie.trust_school >= a.exit_trust


def charge_month(registry: TieRegistry, p: Mapping[str, Any]) -> None:
    """Each college pays a month of coordination for each of its active ties."""
    fee = float(p["college_tie_cost_annual"]) / 12.0
    # Each college's payments in a row (colleges' budgets are apart, so the order of
    # colleges does not matter).
    counts = [0] * len(registry.schools)
    for tie in registry.active:
        tie.surplus_school -= fee
        counts[tie.school.idx] += 1
    for school, n in zip(registry.schools, counts, strict=True):
        if n:
            school.spend(fee, n)


def new_year(schools: list[School]) -> None:
    """Budgets renew each September."""
    for school in schools:
        school.new_year()
