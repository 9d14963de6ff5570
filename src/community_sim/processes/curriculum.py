"""Process 3: teacher placements, teacher currency and each college's curriculum.

Teacher currency ``θ`` is the share of what the full-time teachers know that
is current. It ages with technology (``tech_drift``/yr) and is restored by the
college's ordinary professional development (``teacher_training_rate``) and by
teacher placements in firms, which any college may buy from its budget
(``teacher_placement_rate`` of its teachers a year at ``teacher_placement_cost``
each); council members carry ``council_placement_discount`` of that cost for
their college, so its budget buys more placements.

Teachers can teach only what they know: a college's curriculum moves toward
its target at ``curriculum_update_rate × θ``/yr. The target is the public
signal of sector demand ``curriculum_lag_months`` ago; a council with
co-design moves the curriculum toward its co-designing members'
capacity-weighted mean demand at ``codesign_rate × θ``/yr instead.
Teacher currency thus acts on the curriculum only (it does not also slow
learning, which would count the lag twice).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from community_sim.mechanics.council import teacher_currency_step
from community_sim.mechanics.ufuncs import clip
from community_sim.processes.council import weighted_demand

if TYPE_CHECKING:
    from community_sim.model import CommunityModel


def teacher_placements(model: CommunityModel) -> np.ndarray:
    """Buy this month's teacher placements; return each college's placed share of teachers.

    The college pays ``1 - d`` of each placement from its budget, where ``d`` is the
    largest ``placement_discount`` among its council members; the members share
    the rest equally (a cost on their ledger).
    """
    p = model.p
    n_s = len(model.schools)
    teachers = float(p["teachers_per_school"])
    wanted = float(p["teacher_placement_rate"]) * teachers / 12.0
    unit = float(p["teacher_placement_cost"])
    ok = model.firm_school >= 0
    discount = np.zeros(n_s)
    np.maximum.at(discount, model.firm_school[ok], model.f_discount[ok])
    placed = [0.0] * n_s
    disc = discount.tolist()  # Python floats: the same arithmetic without NumPy scalars
    for school in model.schools:
        i = school.idx
        own_unit = unit * (1.0 - disc[i])
        afford = wanted if own_unit <= 0 else min(wanted, school.budget_left / own_unit)
        placed[i] = max(afford, 0.0)
        school.spend(placed[i] * own_unit)
        carried = placed[i] * unit * disc[i]
        if carried > 0:
            members = (ok & (model.firm_school == i) & (model.f_discount > 0)).nonzero()[0]
            for j in members:
                tie = model.enterprises[int(j)].tie
                if tie is None:
                    continue
                each = carried / members.size
                tie.period_cost += each
                tie.surplus_enterprise -= each
                tie.enterprise.net_benefit -= each
                model.recorder.add_training(-each)
    return np.array(placed) / teachers


def update(model: CommunityModel) -> None:
    """Teacher currency, then the curriculum of every college (see module docstring)."""
    p = model.p
    placed_share = teacher_placements(model)
    refresh = float(p["teacher_training_rate"]) / 12.0 + placed_share
    model.theta = teacher_currency_step(model.theta, float(p["tech_drift"]) / 12.0, refresh)
    lagged = model.sector_at(model.month - int(p["curriculum_lag_months"]))
    target, weight = weighted_demand(model, model.cap * (model.f_codesign > 0))
    ok = (model.firm_school >= 0) & (model.f_codesign > 0)
    rate = np.zeros(len(model.schools))
    np.maximum.at(rate, model.firm_school[ok], model.f_codesign[ok])
    codesigned = weight > 0
    speed = np.where(codesigned, rate, float(p["curriculum_update_rate"])) * model.theta / 12.0
    goal = np.where(codesigned[:, None], target, lagged[None, :])
    model.C = model.C + clip(speed, 0.0, 1.0)[:, None] * (goal - model.C)
