"""Process 6: partnership reviews, continuation, conversion and entry.

At each review (a project contract's end; an industrial college's yearly
council) trust updates asymmetrically: the period was good if the firm's
surplus covered its costs and the college saw at most ``school_tolerance`` of
the period's apprentices leave early. The firm's expected surplus (strategy
memory) moves toward the period's annualised gross surplus. A tie continues
while its trust-weighted value covers its recurring cost and beats switching
to another college (Levin 2003): ``(τ S - R) A ≥ max(0, (τ0 S - R) A - O)``.
For a project contract renewal and a fresh contract cost the same, so a
project tie is left as soon as trust falls below a stranger's; an industrial
college member would forfeit its set-up cost. Integrated ties also dissolve
when the firm's cumulative surplus is still negative after two reviews.
Firms without a tie consider one every August, asking previous partners
first (as in SKIN: Gilbert, Pyka & Ahrweiler 2001).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from community_sim.agents.partnership import Kind, Partnership
from community_sim.agents.school import update_reputation
from community_sim.agents.student import ENROLLED
from community_sim.mechanics.labour import REFERENCE_UNEMPLOYMENT, weeks_to_currency
from community_sim.mechanics.skills import productivity_ramp, skill_match
from community_sim.mechanics.trust import annuity, tie_value, update_trust
from community_sim.policies import TieTerms, terms

if TYPE_CHECKING:
    from community_sim.agents.enterprise import Enterprise
    from community_sim.agents.school import School
    from community_sim.model import CommunityModel

ENTRY_MONTH = 11
"""Month of the academic year (0 = September) when firms decide to enter: August."""
MIN_REVIEWS_BEFORE_DISSOLUTION = 2


def _net_costs(model: CommunityModel, tt: TieTerms) -> tuple[float, float]:
    """Firm's recurring (per year) and one-off cost of a tie after expected co-funding."""
    share = float(model.p["cofunding_share"]) if tt.cofunded and model.government.active else 0.0
    return tt.recurring_cost * (1.0 - share), tt.one_off_cost * (1.0 - share)


def prior_surplus(model: CommunityModel, ent: Enterprise) -> float:
    """A firm's first estimate of a tie's gross annual surplus (its business plan).

    Apprentices' margin at full capacity in years 2–3, plus the market hiring
    cost saved by keeping half of each graduating cohort of trainees.
    """
    p = model.p
    ramp = float(productivity_ramp(np.array([12, 24])).mean())
    margin = ent.wage * (
        float(p["productive_share"]) * ramp
        - float(p["apprentice_pay_share"])
        - float(p["master_time_share"])
    )
    sub = float(p["subsidy_per_apprentice_month"]) if model.government.active else 0.0
    # Half of each year's graduating trainees (capacity / 2 per cohort) replace market hires.
    weeks = float(p["hire_cost_weeks"]) * (1.0 - float(p["unemployment_cost_elasticity"])) ** (
        100.0 * (float(p["unemployment_rate"]) - REFERENCE_UNEMPLOYMENT)
    )
    saving = 0.5 * ent.capacity / 2.0 * float(weeks_to_currency(weeks, ent.wage))
    return ent.capacity * 12.0 * (margin + sub) + saving


def _pay_one_off(
    model: CommunityModel, ent: Enterprise, tie: Partnership, gross: float, cofunded: bool
) -> None:
    paid = model.government.cofund(gross) if cofunded else 0.0
    cost = gross - paid
    tie.surplus_enterprise -= cost
    tie.period_cost += cost
    ent.net_benefit -= cost
    model.recorder.add_training(-cost)


def _open(model: CommunityModel, ent: Enterprise, school: School, trust: float) -> Partnership:
    kind: Kind = model.policy.new_tie_kind()
    tt = terms(kind, model.p)
    t = model.month
    tie = Partnership(school, ent, kind, t, trust, t + tt.review_months, period_start=t)
    _pay_one_off(model, ent, tie, tt.one_off_cost, tt.cofunded)
    tie.history.append((t, f"start {kind}"))
    ent.tie = tie
    school.partnerships.append(tie)
    model.partnerships.append(tie)
    model.refresh_ties()
    return tie


def _close(model: CommunityModel, tie: Partnership, why: str) -> None:
    st = model.students
    tie.close(model.month)
    tie.history.append((model.month, why))
    ent = tie.enterprise
    ent.trust_memory[tie.school.idx] = tie.trust
    ent.tie = None
    lo = st.first
    placed = lo + np.flatnonzero(
        (st.host[lo : st.n] == ent.idx) & (st.status[lo : st.n] == ENROLLED)
    )
    st.host[placed] = -1
    model.refresh_ties()


def _best_school(model: CommunityModel, ent: Enterprise, exclude: int = -1) -> School | None:
    """The college whose curriculum fits the firm's demand best.

    Equal fits (colleges teaching the same public signal) are decided by reputation,
    then at random.
    """
    fit = skill_match(model.C, model.D[ent.idx][None, :])
    reputation = np.array([s.reputation for s in model.schools])
    fit = fit + 1e-6 * reputation + 1e-9 * model.rng.random(fit.size)
    if 0 <= exclude < fit.size:
        fit[exclude] = -np.inf
    k = int(np.argmax(fit))
    return None if not np.isfinite(fit[k]) else model.schools[k]


def review(model: CommunityModel, tie: Partnership) -> None:
    """Update trust and memory from the period, then continue, convert, switch or exit."""
    p = model.p
    ent = tie.enterprise
    months = max(model.month - tie.period_start, 1)
    hosted = tie.period_started + tie.placed_at_period_start
    good_firm = tie.period_surplus - tie.period_cost >= 0.0
    good_school = tie.period_terminated <= float(p["school_tolerance"]) * max(hosted, 1)
    tie.trust = float(
        update_trust(
            tie.trust, good_firm and good_school, float(p["trust_gain"]), float(p["trust_loss"])
        )
    )
    alpha = float(p["surplus_memory"])
    ent.expected_surplus = (
        1 - alpha
    ) * ent.expected_surplus + alpha * tie.period_surplus * 12.0 / months
    tie.reviews += 1

    tt = model.terms_of(tie)
    rec, _ = _net_costs(model, tt)
    a = annuity(float(p["discount_rate"]), int(p["planning_years"]))
    stay = float(tie_value(tie.trust, ent.expected_surplus, rec, 0.0, a))
    new_tt = terms(model.policy.new_tie_kind(), p)
    new_rec, new_one = _net_costs(model, new_tt)
    alt = float(tie_value(float(p["initial_trust"]), ent.expected_surplus, new_rec, new_one, a))
    has_alt = len(model.schools) > 1
    failing = (
        tt.kind == "integrated"
        and tie.reviews >= MIN_REVIEWS_BEFORE_DISSOLUTION
        and tie.surplus_enterprise < 0.0
    )
    if stay < 0.0 or failing:
        _close(model, tie, "exit")
        return
    if has_alt and alt > stay:
        old = tie.school.idx
        _close(model, tie, "switch")
        other = _best_school(model, ent, exclude=old)
        if other is not None:
            _open(model, ent, other, float(p["initial_trust"]))
        return
    # Continue: a new period starts; renewing or converting costs fall in it.
    tie.period_start = model.month
    tie.period_surplus = tie.period_cost = 0.0
    tie.period_started = tie.period_terminated = tie.period_placements = 0
    tie.placed_at_period_start = int(model.placed_per_firm()[ent.idx])
    if model.policy.converts(tie, p):
        int_tt = terms("integrated", p)
        int_rec, int_one = _net_costs(model, int_tt)
        if float(tie_value(tie.trust, ent.expected_surplus, int_rec, int_one, a)) >= 0.0:
            tie.kind = "integrated"
            tie.history.append((model.month, "convert"))
            _pay_one_off(model, ent, tie, int_tt.one_off_cost, True)
            model.refresh_ties()
            tt = int_tt
    if tt.renewal_cost > 0.0:
        _pay_one_off(model, ent, tie, tt.renewal_cost, False)
    tie.next_review = model.month + tt.review_months


def entry(model: CommunityModel) -> None:
    """Firms without a tie decide whether to start one, previous partners first."""
    p = model.p
    a = annuity(float(p["discount_rate"]), int(p["planning_years"]))
    tau0 = float(p["initial_trust"])
    tt = terms(model.policy.new_tie_kind(), p)
    rec, one = _net_costs(model, tt)
    for k in model.rng.permutation(len(model.enterprises)):
        ent = model.enterprises[int(k)]
        if ent.tie is not None:
            continue
        if ent.expected_surplus == 0.0:
            ent.expected_surplus = prior_surplus(model, ent)
        known = [(tr, i) for i, tr in ent.trust_memory.items() if tr >= tau0]
        if known:
            trust, i = max(known)
            school = model.schools[i]
        else:
            trust, school = tau0, _best_school(model, ent)
        if school is None:
            continue
        if float(tie_value(trust, ent.expected_surplus, rec, one, a)) >= 0.0:
            _open(model, ent, school, trust)


def run_month(model: CommunityModel) -> None:
    """Reviews that are due, then (in August) entry decisions."""
    for tie in [t for t in model.active_ties if t.next_review <= model.month]:
        review(model, tie)
    if model.month % 12 == ENTRY_MONTH:
        update_reputation(model)
        entry(model)
