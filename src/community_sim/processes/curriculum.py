"""Process 3: teacher placements, teacher currency and each college's curriculum.

Teacher currency ``θ`` is the share of what the full-time teachers know that
is current. It ages with technology (``tech_drift``/yr) and is restored by the
college's ordinary professional development (``teacher_training_rate``) and by
teacher placements in firms, which any college may buy from its budget
(``teacher_placement_rate`` of its teachers a year at ``teacher_placement_cost``
each); council members carry ``council_placement_discount`` ``d`` of that cost for
their college, so the money the college plans for placements buys ``1 / (1 - d)``
times as many (up to every teacher once a year, and within its budget).

Teachers can teach only what they know: a college's curriculum moves toward
its target at ``curriculum_update_rate × θ``/yr. The target is the public
signal of sector demand ``curriculum_lag_months`` ago; a council with
co-design moves the curriculum toward its co-designing members'
capacity-weighted mean demand at ``codesign_rate × θ``/yr instead.
Teacher currency thus acts on the curriculum only (it does not also slow
learning, which would count the lag twice).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from community_sim.mechanics.council import follow_public_signal, teacher_currency_step
from community_sim.mechanics.ufuncs import any_nonzero, clip
from community_sim.processes.council import (
    placements_planned,
    weighted_demand,
)
from community_sim.state import Colleges, Firms, Technology, Terms, TieRegistry, Ties

if TYPE_CHECKING:
    from community_sim.metrics import Recorder


def teacher_placements(registry: TieRegistry, rec: Recorder, p: Mapping[str, Any]) -> np.ndarray:
    """Buy this month's teacher placements; return each college's placed share of teachers.

    The college plans ``teacher_placement_rate`` of its teachers a year at the full
    cost; it pays ``1 - d`` of each placement, where ``d`` is the largest
    ``placement_discount`` among its council members, so the planned money buys
    ``1 / (1 - d)`` times the planned placements, at most every teacher once a year
    and within the college's budget. The members carry the rest of the cost, shared
    as the council's running cost is (``fee_schedule``: equally, or by apprentice
    places; a cost on their ledger, recorded in ``rec``).
    """
    schools = registry.schools
    n_s = len(schools)
    tie_school = registry.arrays.school
    f_discount = registry.terms.discount
    teachers = float(p["teachers_per_school"])
    unit = float(p["teacher_placement_cost"])
    discount = np.zeros(n_s)
    placed = [0.0] * n_s
    by_size = str(p["fee_schedule"]) == "by_size"
    # The firms carrying a discount, by college in firm order (one pass for all colleges).
    carriers: list[list[int]] = [[] for _ in range(n_s)]
    if any_nonzero(f_discount):  # without members' discounts every college pays in full
        ok = tie_school >= 0
        np.maximum.at(discount, tie_school[ok], f_discount[ok])
        carrying = (ok & (f_discount > 0)).nonzero()[0].tolist()
        for j, i in zip(carrying, tie_school[carrying].tolist(), strict=True):
            carriers[i].append(j)
    disc = discount.tolist()  # Python floats: the same arithmetic without NumPy scalars
    capacity = registry.firms.capacity.tolist()
    undiscounted = placements_planned(p, 0.0)  # what every college without members' discount plans
    for school in schools:
        i = school.idx
        own_unit = unit * (1.0 - disc[i])
        planned = undiscounted if disc[i] == 0.0 else placements_planned(p, disc[i])
        afford = planned if own_unit <= 0 else min(planned, school.budget_left / own_unit)
        placed[i] = max(afford, 0.0)
        school.spend(placed[i] * own_unit)
        carried = placed[i] * unit * disc[i]
        if carried > 0:
            members = carriers[i]
            # Weights are whole numbers (places, or 1 each), so their sum is exact: the
            # same shares as carried · weight / Σ weight over arrays.
            weight = [float(capacity[j]) for j in members] if by_size else [1.0] * len(members)
            total = float(sum(weight))
            shares = [carried * w / total for w in weight]
            for j, each in zip(members, shares, strict=True):
                tie = registry.tie_of(j)
                if tie is None:
                    continue
                tie.period_cost += each
                tie.surplus_enterprise -= each
                tie.enterprise.net_benefit -= each
                rec.add_training(-each)
    return np.array(placed) / teachers


def update(
    colleges: Colleges,
    firms: Firms,
    registry: TieRegistry,
    tech: Technology,
    rec: Recorder,
    p: Mapping[str, Any],
    month: int,
) -> None:
    """Teacher currency, then the curriculum of every college (see module docstring)."""
    placed_share = teacher_placements(registry, rec, p)
    revise(colleges, firms, registry.arrays, registry.terms, tech, p, month, placed_share)


def revise(
    colleges: Colleges,
    firms: Firms,
    ties: Ties,
    terms: Terms,
    tech: Technology,
    p: Mapping[str, Any],
    month: int,
    placed_share: np.ndarray,
) -> None:
    """Teacher currency and each college's curriculum, given the teachers placed this month."""
    lagged = tech.at(month - int(p["curriculum_lag_months"]))
    codesigning = terms.codesign > 0 if any_nonzero(terms.codesign) else None
    ok = None if codesigning is None else (ties.school >= 0) & codesigning
    if ok is None or not any_nonzero(ok):  # no council co-designs: every college follows the signal
        colleges.currency, colleges.curricula = follow_public_signal(
            colleges.curricula,
            colleges.currency,
            lagged,
            placed_share,
            float(p["teacher_training_rate"]) / 12.0,
            float(p["tech_drift"]) / 12.0,
            float(p["curriculum_update_rate"]),
        )
        return
    assert codesigning is not None
    refresh = float(p["teacher_training_rate"]) / 12.0 + placed_share
    colleges.currency = teacher_currency_step(
        colleges.currency, float(p["tech_drift"]) / 12.0, refresh
    )
    cur = colleges.curricula
    target, weight = weighted_demand(colleges, firms, ties, firms.capacity * codesigning)
    rate = np.zeros(cur.shape[0])
    np.maximum.at(rate, ties.school[ok], terms.codesign[ok])
    codesigned = weight > 0
    speed = (
        np.where(codesigned, rate, float(p["curriculum_update_rate"])) * colleges.currency / 12.0
    )
    goal = np.where(codesigned[:, None], target, lagged[None, :])
    colleges.curricula = cur + clip(speed, 0.0, 1.0)[:, None] * (goal - cur)
