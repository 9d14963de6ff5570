"""Process 6: partnership reviews by both sides, continuation, conversion and entry.

Reviews follow the academic year: every tie is reviewed in August, after the
year's placements and before September's are allocated (a project contract
every ``project_length_months`` rounded up to whole years, a council
membership every year). At a review each side updates its own trust
asymmetrically (Pant & Yu 2025) from what the other delivered: the firm from
its apprentices' early departures and the fit of the apprentices and
graduates it took from the college, against what it expected
(:func:`~community_sim.mechanics.trust.trust_after_review`); the college from
its apprentices' early departures (:mod:`~community_sim.processes.college`).
Known fees never move trust. The firm's expected surplus (strategy memory)
moves toward the annualised gross surplus of the latest whole placement
(:func:`evaluation_window`). Then the firm compares, forward-looking, staying
(``(τ S - R) A``) with the best way out: leaving (0), another college's tie or,
under ``choice``, the other form at the same college (``(τ S - R') A - O'``),
net of ``council_exit_fee`` when a member leaves inside its
``council_term_months`` (Levin 2003). What was already paid enters no
decision. A firm that leaves lets its apprentices finish their placements
with it. The college ends a tie when its own trust falls below
``school_exit_trust``. Firms without a tie consider one every August, leading
firms first (they anchor councils), previous partners first (as in SKIN:
Gilbert, Pyka & Ahrweiler 2001), and only colleges that accept them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from community_sim.agents.partnership import Kind, Partnership
from community_sim.agents.school import update_reputation
from community_sim.mechanics.trust import leaves_py as leaves
from community_sim.mechanics.trust import term_ends
from community_sim.processes import college, council
from community_sim.processes.convening import convene
from community_sim.processes.partners import (
    _best_school,
    best_ranked,
    draws,
    evaluation_window,
    first_accepting,
    judge_partner,
    judge_partners,
    judged_pool,
    published_ratio,
    ranked,
)
from community_sim.processes.placement import placed_per_firm
from community_sim.processes.ties import (
    ENTRY_MONTH,
    Parties,
    close_tie,
    convert_tie,
    next_review,
    open_tie,
    pay_one_off,
    prune_finishing,
)
from community_sim.processes.valuation import (
    Round,
    belief,
    best_kind,
    contract_values,
    forward_value,
    prior_surplus,
    tie_terms,
)

if TYPE_CHECKING:
    from community_sim.agents.enterprise import Enterprise
    from community_sim.agents.school import School


def _exit_fee(p: Mapping[str, Any], month: int, tie: Partnership) -> float:
    """What leaving now costs: ``council_exit_fee`` for a member inside its term, else 0."""
    if tie.member_since < 0 or term_ends(month, tie.member_since, int(p["council_term_months"])):
        return 0.0
    return float(p["council_exit_fee"])


def review(
    w: Parties,
    p: Mapping[str, Any],
    rng: np.random.Generator,
    month: int,
    tie: Partnership,
    placed: list[int] | np.ndarray | None = None,
    judged: float | None = None,
    r: Round | None = None,
) -> None:
    """Both sides update trust from the period; then continue, convert, switch or end.

    ``placed`` is :func:`~community_sim.processes.placement.placed_per_firm` at the
    start of the month's reviews: a review changes only its own firm's placements, so
    one count serves every review of the month; ``judged``, the firm's trust after
    judging the period, if already judged
    (:func:`~community_sim.processes.partners.judge_partners`); ``r``, what the month's
    decisions read (:class:`~community_sim.processes.valuation.Round`).
    """
    r = Round.read(w, p) if r is None else r
    if judged is None:
        judged = judge_partner(w, p, month, tie)
    if _judge(w, r, month, tie, judged):
        _decide(w, p, rng, month, tie, placed, r)
    else:
        close_tie(w, month, tie, "ended by college")


def _judge(w: Parties, r: Round, month: int, tie: Partnership, judged: float) -> bool:
    """The period's verdicts: the firm's trust (``judged``) and expected surplus, the
    college's trust; whether the college keeps the tie.

    Each reads and writes only its own tie, firm and the college's memory of that firm.
    """
    ent = tie.enterprise
    tie.periods.append((max(month - tie.period_start, 1), tie.period_surplus, tie.period_cost))
    tie.trust = judged
    window = evaluation_window(tie.periods, r.span)
    if window is not None:  # a whole placement seen: the firm's expected surplus moves
        months, gross, _ = window
        alpha = r.memory
        ratio = w.beliefs.get("ratio", ent.membership_prior)
        ent.expected_surplus = belief(ent, tie.kind, ratio)  # the memory of this form
        ent.surplus_basis = tie.kind
        ent.expected_surplus = (1 - alpha) * ent.expected_surplus + alpha * gross * 12.0 / months
    school_stays = college.review(tie, r.standing.college)
    tie.reviews += 1
    return school_stays


def _decide(
    w: Parties,
    p: Mapping[str, Any],
    rng: np.random.Generator,
    month: int,
    tie: Partnership,
    placed: list[int] | np.ndarray | None,
    r: Round,
    ranking: tuple[list[float], list[int]] | None = None,
    tiny: list[float] | None = None,
) -> None:
    """The firm continues, converts, switches or ends a tie its college keeps.

    ``ranking``: its ranking of colleges (:func:`~community_sim.processes.partners.ranked`),
    if made already; ``tiny``: else, when every kind is a contract, the draws to rank
    them by if needed (:func:`~community_sim.processes.partners.draws`).
    """
    ent = tie.enterprise
    # Staying against the best way out, all forward-looking: leaving (0), a new tie at
    # the best other college, or (where the policy offers both) the other form here.
    tt = w.registry.terms_of(tie)
    lazy = r.contracts and (ranking is not None or tiny is not None)
    if lazy and not tt.council:
        stay, v, kind = contract_values(w, r, ent, tt, tie.trust)
    else:
        stay = forward_value(w, p, r, ent, tie.school, tt, tie.trust, False)
    out, how = 0.0, "exit"
    tau0 = r.tau0
    fee = _exit_fee(p, month, tie) if tie.member_since >= 0 else 0.0  # a member's only
    move: tuple[School, Kind] | None = None
    if lazy:
        # A new contract is worth the same at every college (the policy offers no other
        # form to convert to): the other college matters only if switching would win.
        if tt.council:
            v, kind = best_kind(w, p, r, ent, None, tau0)
        if v > out and leaves(stay, v, fee):
            here = tie.school.idx
            if ranking is not None:
                other = first_accepting(w, r.standing, ent, *ranking, here)
            else:
                assert tiny is not None
                other = best_ranked(w, r.standing, ent, tiny, here)
            if other is not None:
                out, how, move = v, "switch", (other, kind)
    else:
        if ranking is None:
            other = _best_school(w, p, rng, ent, tie.school.idx, r.standing)
        else:
            other = first_accepting(w, r.standing, ent, *ranking, tie.school.idx)
        if other is not None:
            v, kind = best_kind(w, p, r, ent, other, tau0)
            if v > out:
                out, how, move = v, "switch", (other, kind)
    # The other form at the same college, where the policy offers both (choice; a
    # transition member keeps its membership; under contracts only there is none).
    for kind in w.policy.kinds if not lazy and tie.kind in w.policy.kinds else ():
        if kind != tie.kind:
            v = forward_value(w, p, r, ent, tie.school, tie_terms(w, p, kind), tie.trust, True)
            if v > out:
                out, how, move = v, "convert", (tie.school, kind)
    leaving = leaves(stay, out, fee)
    if leaving and how != "convert":
        if fee > 0.0:
            tie.history.append((month, "exit fee"))
            pay_one_off(w, ent, tie, fee, 0.0)
        close_tie(w, month, tie, how)
        if move is not None:
            open_tie(w, p, month, ent, move[0], tau0, move[1], placed)
        return
    # Continue: a new period starts; renewing, converting and fees fall in it.
    tie.period_start = month
    tie.period_surplus = tie.period_cost = 0.0
    tie.period_started = tie.period_terminated = tie.period_placements = 0
    if placed is None:
        placed = placed_per_firm(w.students, len(w.registry.enterprises))
    tie.placed_at_period_start = int(placed[ent.idx])
    converted = leaving and move is not None
    joined = converted  # a change of form bills as a start: set-up and the first cycle ahead
    if converted:
        assert move is not None
        if fee > 0.0:
            tie.history.append((month, "exit fee"))
            pay_one_off(w, ent, tie, fee, 0.0)
        convert_tie(w, p, month, tie, move[1])
        tt = w.registry.terms_of(tie)
    elif w.policy.converts(tie, p):
        int_tt = tie_terms(w, p, "integrated")
        if forward_value(w, p, r, ent, tie.school, int_tt, tie.trust, True) >= 0.0:
            convert_tie(w, p, month, tie, "integrated")
            tt = int_tt
            joined = True
    if not joined:
        council.bill_period(w.registry, tie, tt, False, w.gov, w.rec, p)
    tie.next_review = next_review(month, tt.review_months)


def entry(w: Parties, p: Mapping[str, Any], rng: np.random.Generator, month: int) -> None:
    """Firms without a tie decide whether to start one: leading firms first, then SMEs.

    Leading firms decide first because they anchor a council: an SME then sees the
    share it would pay in a council that already has them. Each takes the most
    valuable kind its policy allows, if that is worth having.
    """
    r = Round.read(w, p)
    tau0, rules = r.tau0, r.standing.college
    ents = w.registry.enterprises
    for ent in ents:
        if ent.tie is None and ent.expected_surplus == 0.0:
            ent.expected_surplus = prior_surplus(w, ent, p)

    def worth(ent: Enterprise, school: School) -> bool:
        """Membership at ``school`` is worth having, and worth more than the policy's other form."""
        trust = max(ent.trust_memory.get(school.idx, tau0), tau0)
        value, kind = best_kind(w, p, r, ent, school, trust)
        return kind == "integrated" and value >= 0.0

    convene(w, p, worth)
    # Hosts do not change during the round: one count serves every firm that re-enters
    # while its last spell's apprentices finish (not a pass over students per firm).
    # Only a firm whose last spell is finishing reads it (_open): none, no count.
    placed = placed_per_firm(w.students, len(ents)) if w.registry.finishing else None
    order = rng.permutation(len(ents)).tolist()
    # A firm's tie changes only at its own turn: the firms with a tie now sit this round out.
    untied = [k for k in order if ents[k].tie is None]
    leading = [k for k in untied if ents[k].is_leading]
    smes = [k for k in untied if not ents[k].is_leading]
    for k in leading + smes:
        ent = ents[k]
        memory = ent.trust_memory
        known = (
            sorted(((tr, i) for i, tr in memory.items() if tr >= tau0), reverse=True)
            if memory
            else []
        )
        choice = None
        for trust, i in known:
            if college.accepts(w.registry, w.registry.schools[i], ent, rules):
                choice = (trust, w.registry.schools[i])
                break
        if choice is None and r.contracts:
            # A new contract is worth the same at every college: which college takes the
            # firm matters only if a contract is worth having (the draws are made anyway).
            tiny = rng.random(r.standing.sizes[ent.idx]).tolist()
            value, kind = best_kind(w, p, r, ent, None, tau0)
            if value >= 0.0:
                school = best_ranked(w, r.standing, ent, tiny)
                if school is not None:
                    open_tie(w, p, month, ent, school, tau0, kind, placed)
            continue
        if choice is None:
            school = _best_school(w, p, rng, ent, -1, r.standing)  # drawn as under every policy
            signed = w.registry.convened_for.get(ent.idx)
            if signed is not None and college.accepts(
                w.registry, w.registry.schools[signed], ent, rules
            ):
                school = w.registry.schools[signed]  # it joins the group it signed up with
            if school is None:
                continue
            choice = (tau0, school)
        trust, school = choice
        value, kind = best_kind(w, p, r, ent, school, trust)
        if value >= 0.0:
            open_tie(w, p, month, ent, school, trust, kind, placed)
    w.registry.convened.clear()
    w.registry.convened_for.clear()


def run_month(w: Parties, p: Mapping[str, Any], rng: np.random.Generator, month: int) -> None:
    """In August, the reviews that are due, then entry decisions; each September, finished
    placements let go."""
    if month % 12 == 0:
        prune_finishing(w)
    if month % 12 != ENTRY_MONTH:  # every review falls in an August (next_review)
        return
    ratio = published_ratio(w.registry, p)  # the year's results, as the community publishes them
    if ratio is not None:
        w.beliefs["ratio"] = ratio
    due = [t for t in w.registry.active if t.next_review <= month]
    if due:
        n_f = len(w.registry.enterprises)
        placed = placed_per_firm(w.students, n_f).tolist()  # read one firm at a time
        # Each firm judges its partner on its own tie and rows, which no other review of
        # the month touches: every due tie is judged at once.
        pool = judged_pool(w.students, min(t.period_start for t in due), n_f)
        judged = judge_partners(w, p, month, due, pool)
        r = Round.read(w, p)
        # The verdicts read and write only their own tie, firm and college memory, so all
        # come first; the decisions follow in order (a switch changes what colleges accept).
        # Each firm its college keeps ranks the colleges once, in turn: all rankings at once.
        kept = [_judge(w, r, month, t, trust) for t, trust in zip(due, judged, strict=True)]
        firms = [t.enterprise.idx for t, k in zip(due, kept, strict=True) if k]
        # Under contracts only, a firm ranks the colleges only if it would switch (_decide):
        # the draws are made as for all rankings.
        n = len(firms)
        if r.contracts:
            rankings: list[Any] = [None] * n
            tinies: list[Any] = draws(r.standing, rng, firms)
        else:
            rankings, tinies = ranked(r.standing, rng, firms), [None] * n
        made = iter(zip(rankings, tinies, strict=True))
        for tie, keep in zip(due, kept, strict=True):
            if not keep:
                close_tie(w, month, tie, "ended by college")
                continue
            ranking, tiny = next(made)
            if tie.active:  # a switch earlier this month may not touch another firm's tie
                _decide(w, p, rng, month, tie, placed, r, ranking, tiny)
    update_reputation(w.students, w.registry.schools, month)
    entry(w, p, rng, month)
