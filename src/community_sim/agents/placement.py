"""Process 4: placements and apprentice economics.

Per apprentice-month a host gains output = ramp × productive share × skilled
wage × relative fit, and pays apprentice pay + masters' time; the government
subsidy offsets part (Muehlemann & Wolter 2014, IZA J. Labor Policy 3:25).
Placements end early with a hazard calibrated to ≈22 % over two years, 62 % of
those in year 1, scaled by the apprentice's effective mismatch with the host.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from community_sim.agents.student import ENROLLED
from community_sim.mechanics.labour import REFERENCE_MISMATCH, termination_hazards, termination_prob
from community_sim.mechanics.skills import effective_mismatch, productivity_ramp, skill_match

if TYPE_CHECKING:
    from community_sim.agents.partnership import Partnership
    from community_sim.model import CommunityModel

MAX_RELATIVE_FIT = 1.5
KIND_CODE_INTEGRATED = 2


def allocate(model: CommunityModel) -> None:
    """Each September, fill hosts' free apprentice places with their college's students.

    Candidates are enrolled students in stages 2–3 without a host. A partner
    that observes aptitude (industrial college: shared teachers and masters)
    picks the students with the best expected fit to its demand; a project
    partner takes the college's assignment, which is random with respect to fit.
    """
    st = model.students
    lo, hi = st.first, st.n
    st.terminated[lo:hi] = False
    rows = lo + np.flatnonzero((st.status[lo:hi] == ENROLLED) & (st.host[lo:hi] < 0))
    if rows.size == 0:
        return
    stage = model.stage_of(st.month[rows])
    ties = list(model.active_ties)
    load = model.placed_per_firm()
    # Students entering stage 2 are placed first; unplaced stage-3 students take what is left.
    for wanted in (2, 3):
        pool = rows[stage == wanted]
        by_school = {i: pool[st.school[pool] == i] for i in range(len(model.schools))}
        for k in model.rng.permutation(len(ties)):
            _fill(model, ties[int(k)], by_school, load)


def _fill(
    model: CommunityModel,
    tie: Partnership,
    by_school: dict[int, np.ndarray],
    load: np.ndarray,
) -> None:
    """Give one host up to its free places from its college's candidates."""
    st = model.students
    j, i = tie.enterprise.idx, tie.school.idx
    free = int(model.cap[j] - load[j])
    cand = by_school[i]
    if free <= 0 or cand.size == 0:
        return
    if model.terms_of(tie).aptitude_info:
        fit = skill_match(st.skills[cand], model.D[j]) * np.minimum(st.aptitude[cand], 1.0)
        pick = np.argsort(-fit, kind="stable")[:free]
    else:
        pick = model.rng.permutation(cand.size)[:free]
    chosen = cand[pick]
    st.host[chosen] = j
    st.host_start[chosen] = model.month
    load[j] += chosen.size
    tie.placements_hosted += int(chosen.size)
    tie.period_started += int(chosen.size)
    by_school[i] = np.delete(cand, pick)


def run_month(model: CommunityModel) -> None:
    """Apprentice economics and early terminations for every placed apprentice."""
    p = model.p
    st = model.students
    if model.month % 12 == 0:
        allocate(model)
    lo, hi = st.first, st.n
    rows = lo + np.flatnonzero((st.status[lo:hi] == ENROLLED) & (st.host[lo:hi] >= 0))
    n_f = len(model.enterprises)
    model.month_apprentices = int(rows.size)
    gov = model.government
    if rows.size:
        host = st.host[rows]
        wage = model.wage[host]
        match = skill_match(st.skills[rows], model.D[host])
        mis = effective_mismatch(match, st.aptitude[rows])
        rel_fit = np.clip((1.0 - mis) / (1.0 - REFERENCE_MISMATCH), 0.0, MAX_RELATIVE_FIT)
        output = wage * float(p["productive_share"]) * productivity_ramp(st.month[rows]) * rel_fit
        cost = wage * (float(p["apprentice_pay_share"]) + float(p["master_time_share"]))
        n_app = np.bincount(host, minlength=n_f)
        gross = np.bincount(host, weights=output - cost, minlength=n_f)
        # Termination hazard by placement year.
        h1, h2 = termination_hazards(float(p["early_termination_rate"]))
        year = (model.month - st.host_start[rows]) // 12
        base = np.where(year < 1, h1, h2)
        end = model.rng.random(rows.size) < termination_prob(base, mis)
        ended = rows[end]
        st.host[ended] = -1
        st.terminated[ended] = True
        n_term = np.bincount(host[end], minlength=n_f)
    else:
        n_app = np.zeros(n_f, dtype=np.int64)
        gross = np.zeros(n_f)
        n_term = np.zeros(n_f, dtype=np.int64)
    # Government support, paid in two transfers and shared pro rata if the budget runs short.
    tied = model.firm_kind > 0
    n_app = np.where(tied, n_app, 0)
    sub_total = gov.pay(float(p["subsidy_per_apprentice_month"]) * float(n_app.sum()))
    sub = n_app * (sub_total / n_app.sum() if n_app.sum() else 0.0)
    gov_fee = float(p["governance_cost_annual"]) / 12.0
    council = model.firm_kind == KIND_CODE_INTEGRATED
    cofund = gov.cofund(gov_fee * float(council.sum())) / max(int(council.sum()), 1)
    cost = np.where(council, gov_fee - cofund, 0.0)
    net = gross + sub
    for j in np.flatnonzero(tied):
        tie = model.enterprises[int(j)].tie
        if tie is None:
            continue
        tie.period_surplus += float(net[j])
        tie.period_cost += float(cost[j])
        tie.surplus_enterprise += float(net[j] - cost[j])
        tie.period_placements += int(n_app[j])
        tie.period_terminated += int(n_term[j])
        tie.enterprise.net_benefit += float(net[j] - cost[j])
    model.recorder.add_training(float((net - cost)[tied].sum()))
