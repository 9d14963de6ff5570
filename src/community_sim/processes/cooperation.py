"""Process 6: partnership reviews by both sides, continuation, conversion and entry.

At each review (a project contract's end; an industrial college's yearly
council) each side updates its own trust asymmetrically (Pant & Yu 2025).
The firm judges training over whole placements (:func:`evaluation_window`:
the latest periods covering a placement, 24 months by default; before a tie
has run that long the firm holds to its plan and neither its trust nor its
memory moves): the window was good if its surplus covered its costs, and the
expected surplus (strategy memory) moves toward the window's annualised
gross surplus. The college's period was good if at most ``school_tolerance``
of the period's apprentices left early (:mod:`~community_sim.processes.college`). The
firm continues while the tie's trust-weighted value covers its recurring
cost and beats the best other college that would take it (Levin 2003):
``(τ S - R) A ≥ max(0, (τ0 S - R') A - O')``, with ``R`` the council share at
the present size and ``R'``, ``O'`` those of joining elsewhere. A project
renewal and a fresh contract cost the same, so a project tie is left as soon
as trust falls below a stranger's; a council member would forfeit its set-up
cost. Any tie dissolves when the firm's cumulative surplus is still negative
after two reviews and a whole placement, and the college ends it when its own trust falls below
``school_exit_trust``. Firms without a tie consider one every August, leading
firms first (they anchor councils), previous partners first (as in SKIN:
Gilbert, Pyka & Ahrweiler 2001), and only colleges that accept them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from community_sim.agents.partnership import Kind, Partnership
from community_sim.agents.school import update_reputation
from community_sim.agents.student import ENROLLED, StudentArrays
from community_sim.mechanics.labour import cost_level, weeks_to_currency
from community_sim.mechanics.skills import productivity_ramp, skill_match
from community_sim.mechanics.trust import annuity, tie_value, update_trust
from community_sim.policies import Policy, terms
from community_sim.processes import college, council
from community_sim.processes.placement import placed_per_firm
from community_sim.state import Colleges, Firms, TieRegistry

if TYPE_CHECKING:
    from community_sim.agents.enterprise import Enterprise
    from community_sim.agents.government import Government
    from community_sim.agents.school import School
    from community_sim.metrics import Recorder

ENTRY_MONTH = 11
"""Month of the academic year (0 = September) when firms decide to enter: August."""
MIN_REVIEWS_BEFORE_DISSOLUTION = 2


@dataclass(frozen=True, eq=False)
class Parties:
    """What partnership decisions read and write: the state they weigh, the tie registry
    they open and close ties in, the policy, and the accounts that pay for ties."""

    students: StudentArrays
    colleges: Colleges
    firms: Firms
    registry: TieRegistry
    policy: Policy
    gov: Government
    rec: Recorder


def prior_surplus(w: Parties, ent: Enterprise, p: Mapping[str, Any]) -> float:
    """A firm's first estimate of a tie's gross annual surplus (its business plan).

    Apprentices' margin at full capacity in years 2–3, plus the market hiring
    cost saved by keeping half of each graduating cohort of trainees.
    """
    wage, capacity = float(w.firms.wage[ent.idx]), int(w.firms.capacity[ent.idx])
    ramp = (productivity_ramp(12) + productivity_ramp(24)) / 2.0  # programme years 2 and 3
    setup = float(p["placement_setup_months"]) / 24.0  # a start per two-year placement
    margin = wage * (
        float(p["productive_share"]) * ramp
        - float(p["apprentice_pay_share"])
        - float(p["master_time_share"])
        - setup
    )
    sub = float(p["subsidy_per_apprentice_month"]) if w.gov.active else 0.0
    # Half of each year's graduating trainees (capacity / 2 per cohort) replace market hires.
    weeks = cost_level(
        float(p["unemployment_rate"]),
        float(p["hire_cost_weeks"]),
        float(p["unemployment_cost_elasticity"]),
    )
    saving = 0.5 * capacity / 2.0 * weeks_to_currency(weeks, wage)
    return capacity * 12.0 * (margin + sub) + saving


def _pay_one_off(w: Parties, ent: Enterprise, tie: Partnership, gross: float, share: float) -> None:
    paid = w.gov.pay(share * gross) if share > 0 else 0.0
    cost = gross - paid
    tie.surplus_enterprise -= cost
    tie.period_cost += cost
    ent.net_benefit -= cost
    w.rec.add_training(-cost)


def _open(
    w: Parties, p: Mapping[str, Any], month: int, ent: Enterprise, school: School, trust: float
) -> Partnership:
    kind: Kind = w.policy.new_tie_kind()
    tt = terms(kind, p)
    t = month
    trust_school = school.trust_memory.get(ent.idx, float(p["initial_trust"]))
    tie = Partnership(
        school, ent, kind, t, trust, t + tt.review_months, trust_school, period_start=t
    )
    council.bill_period(w.registry, tie, tt, True, w.gov, w.rec, p)
    tie.history.append((t, f"start {kind}"))
    ent.tie = tie
    school.partnerships.append(tie)
    w.registry.spells.append(tie)
    w.registry.refresh(ent)
    return tie


def _close(w: Parties, month: int, tie: Partnership, why: str) -> None:
    st = w.students
    tie.close(month)
    tie.history.append((month, why))
    ent = tie.enterprise
    ent.trust_memory[tie.school.idx] = tie.trust
    ent.tie = None
    lo = st.first
    hosted = (st.host[lo : st.n] == ent.idx) & (st.status[lo : st.n] == ENROLLED)
    placed = lo + hosted.nonzero()[0]
    st.host[placed] = -1
    w.registry.refresh(ent)


def _curriculum_fit(colleges: Colleges, firms: Firms) -> np.ndarray:
    """Match of every college's curriculum to every firm's demand (colleges × firms).

    Firms rank colleges at every review and entry; the table is computed once for the
    current curricula and demands (each month's are new arrays) and read by column,
    the same numbers as matching one firm at a time.
    """
    cached = colleges.fit
    if cached is None or cached[0] is not colleges.curricula or cached[1] is not firms.demand:
        table = skill_match(colleges.curricula[:, None, :], firms.demand[None, :, :])
        cached = colleges.fit = (colleges.curricula, firms.demand, table)
    return cached[2]


def _ranked_schools(
    w: Parties, p: Mapping[str, Any], rng: np.random.Generator, ent: Enterprise, exclude: int = -1
) -> list[School]:
    """Colleges in the firm's order of preference: curriculum fit plus reputation.

    Equal scores (colleges teaching the same public signal, equal reputation) are
    decided at random.
    """
    # A handful of colleges: Python floats (the same double arithmetic as NumPy's, in the
    # same order) and Python's stable sort, without NumPy's per-call cost.
    fit = _curriculum_fit(w.colleges, w.firms)[:, ent.idx].tolist()
    weight = float(p["reputation_weight"])
    tiny = rng.random(len(fit)).tolist()
    score = [
        (f + weight * s.reputation) + 1e-9 * u
        for f, s, u in zip(fit, w.registry.schools, tiny, strict=True)
    ]
    order = sorted(range(len(score)), key=lambda k: -score[k])
    return [w.registry.schools[k] for k in order if k != exclude]


def _best_school(
    w: Parties, p: Mapping[str, Any], rng: np.random.Generator, ent: Enterprise, exclude: int = -1
) -> School | None:
    """The most preferred college that accepts the firm, or None."""
    for school in _ranked_schools(w, p, rng, ent, exclude):
        if college.accepts(w.registry, school, ent, p):
            return school
    return None


def placement_months(p: Mapping[str, Any]) -> int:
    """Length of a placement (from stage 2 to graduation): the span over which training pays."""
    pm = int(p["programme_months"])
    return pm - pm // 3


def evaluation_window(
    periods: list[tuple[int, float, float]], span: int
) -> tuple[int, float, float] | None:
    """Months, gross surplus and cost of the latest periods covering ``span`` months.

    A firm judges training by whole placements ("count the whole programme":
    the first year's costs are repaid by the second year's output and the
    graduate it hires; Muehlemann & Wolter 2014). Before a tie has run
    ``span`` months it holds to its plan: ``None``.
    """
    months = gross = cost = 0.0
    for m, g, c in reversed(periods):
        months, gross, cost = months + m, gross + g, cost + c
        if months >= span:
            return int(months), gross, cost
    return None


def review(
    w: Parties,
    p: Mapping[str, Any],
    rng: np.random.Generator,
    month: int,
    tie: Partnership,
    placed: np.ndarray | None = None,
) -> None:
    """Both sides update trust from the period; then continue, convert, switch or end.

    ``placed`` is :func:`~community_sim.processes.placement.placed_per_firm` at the
    start of the month's reviews: a review changes only its own firm's placements, so
    one count serves every review of the month.
    """
    ent = tie.enterprise
    tie.periods.append((max(month - tie.period_start, 1), tie.period_surplus, tie.period_cost))
    window = evaluation_window(tie.periods, placement_months(p))
    if window is not None:  # a whole placement seen: the firm judges the tie by its returns
        months, gross, cost = window
        good_firm = gross - cost >= 0.0
        tie.trust = float(
            update_trust(tie.trust, bool(good_firm), float(p["trust_gain"]), float(p["trust_loss"]))
        )
        alpha = float(p["surplus_memory"])
        ent.expected_surplus = (1 - alpha) * ent.expected_surplus + alpha * gross * 12.0 / months
    school_stays = college.review(tie, p)
    tie.reviews += 1

    tt = w.registry.terms_of(tie)
    a = annuity(float(p["discount_rate"]), int(p["planning_years"]))
    rec, _ = council.expected_cost(w.registry, ent.idx, tie.school.idx, tt, False, w.gov, p)
    stay = float(tie_value(tie.trust, ent.expected_surplus, rec, 0.0, a))
    failing = (
        tie.reviews >= MIN_REVIEWS_BEFORE_DISSOLUTION
        and month - tie.start >= placement_months(p)
        and tie.surplus_enterprise < 0.0
    )
    if not school_stays:
        _close(w, month, tie, "ended by college")
        return
    if stay < 0.0 or failing:
        _close(w, month, tie, "exit")
        return
    other = _best_school(w, p, rng, ent, exclude=tie.school.idx)
    if other is not None:
        new_tt = terms(w.policy.new_tie_kind(), p)
        new_rec, new_one = council.expected_cost(
            w.registry, ent.idx, other.idx, new_tt, True, w.gov, p
        )
        tau0 = float(p["initial_trust"])
        alt = float(tie_value(tau0, ent.expected_surplus, new_rec, new_one, a))
        if alt > stay:
            _close(w, month, tie, "switch")
            _open(w, p, month, ent, other, tau0)
            return
    # Continue: a new period starts; renewing or converting costs fall in it.
    tie.period_start = month
    tie.period_surplus = tie.period_cost = 0.0
    tie.period_started = tie.period_terminated = tie.period_placements = 0
    if placed is None:
        placed = placed_per_firm(w.students, len(w.registry.enterprises))
    tie.placed_at_period_start = int(placed[ent.idx])
    joined = False  # a conversion bills as a start: set-up and the first cycle in advance
    if w.policy.converts(tie, p):
        int_tt = terms("integrated", p)
        int_rec, int_one = council.expected_cost(
            w.registry, ent.idx, tie.school.idx, int_tt, True, w.gov, p
        )
        if float(tie_value(tie.trust, ent.expected_surplus, int_rec, int_one, a)) >= 0.0:
            tie.kind = "integrated"
            tie.history.append((month, "convert"))
            council.bill_period(w.registry, tie, int_tt, True, w.gov, w.rec, p)
            w.registry.refresh(ent)
            tt = int_tt
            joined = True
    if not joined:
        council.bill_period(w.registry, tie, tt, False, w.gov, w.rec, p)
    tie.next_review = month + tt.review_months


def entry(w: Parties, p: Mapping[str, Any], rng: np.random.Generator, month: int) -> None:
    """Firms without a tie decide whether to start one: leading firms first, then SMEs.

    Leading firms decide first because they anchor a council: an SME then sees the
    share it would pay in a council that already has them.
    """
    a = annuity(float(p["discount_rate"]), int(p["planning_years"]))
    tau0 = float(p["initial_trust"])
    tt = terms(w.policy.new_tie_kind(), p)
    order = rng.permutation(len(w.registry.enterprises))
    leading = [int(k) for k in order if w.registry.enterprises[int(k)].is_leading]
    smes = [int(k) for k in order if not w.registry.enterprises[int(k)].is_leading]
    for k in leading + smes:
        ent = w.registry.enterprises[k]
        if ent.tie is not None:
            continue
        if ent.expected_surplus == 0.0:
            ent.expected_surplus = prior_surplus(w, ent, p)
        known = sorted(((tr, i) for i, tr in ent.trust_memory.items() if tr >= tau0), reverse=True)
        choice = None
        for trust, i in known:
            if college.accepts(w.registry, w.registry.schools[i], ent, p):
                choice = (trust, w.registry.schools[i])
                break
        if choice is None:
            school = _best_school(w, p, rng, ent)
            if school is None:
                continue
            choice = (tau0, school)
        trust, school = choice
        rec, one = council.expected_cost(w.registry, ent.idx, school.idx, tt, True, w.gov, p)
        if float(tie_value(trust, ent.expected_surplus, rec, one, a)) >= 0.0:
            _open(w, p, month, ent, school, trust)


def run_month(w: Parties, p: Mapping[str, Any], rng: np.random.Generator, month: int) -> None:
    """Reviews that are due, then (in August) entry decisions."""
    due = [t for t in w.registry.active if t.next_review <= month]
    placed = placed_per_firm(w.students, len(w.registry.enterprises)) if due else None
    for tie in due:
        if tie.active:  # a switch earlier this month may not touch another firm's tie
            review(w, p, rng, month, tie, placed)
    if month % 12 == ENTRY_MONTH:
        update_reputation(w.students, w.registry.schools, month)
        entry(w, p, rng, month)
