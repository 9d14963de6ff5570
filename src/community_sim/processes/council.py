"""The industrial college's council: members, what they pay and when, and what they supply.

One council per college; its members are the firms whose tie has
``TieTerms.council``. Billing follows a contract's rhythm: a member pays its
set-up at joining and its own fees (membership, the committees of the
ingredients it takes part in) for a review cycle in advance, at joining and at
each review that continues the tie, just as a project contract costs its
one-off at signing and its renewal at each review (:func:`bill_period`, the one
place both kinds of tie are billed). Each month a member pays its share of the
council's running cost among that month's members (a member's exit raises the
others' shares from the next month) and supplies masters' hours paid at its
wage (:func:`charge_month`). ``fee_schedule`` splits the costs equally or by
apprentice places; coordination costs fall with tenure (``tenure_cost_decline``).
The government co-funds ``cofunding_share`` of set-up, fees, running cost and
masters' hours while support lasts, pays ``convening_share`` of the set-up as
convener, and grants certified members the integration tax credit, capped by
their education surcharges. :func:`expected_cost` prices a tie for every
decision from the same functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from community_sim.mechanics.bookkeeping import add_rows_at
from community_sim.mechanics.council import (
    fee_weights,
    hours_cost,
    tax_credit,
    tenure_factor,
)
from community_sim.state import Colleges, Firms, TieRegistry, Ties

if TYPE_CHECKING:
    from community_sim.agents.government import Government
    from community_sim.agents.partnership import Partnership
    from community_sim.metrics import Recorder
    from community_sim.policies import TieTerms


def sizes(registry: TieRegistry) -> np.ndarray:
    """Members per college's council."""
    return registry.college_ties()[0]


def masters_hours(firms: Firms, ties: Ties, hours_per_place: np.ndarray, n_s: int) -> np.ndarray:
    """Masters' hours a month each of the ``n_s`` colleges receives from its council's members."""
    hours = hours_per_place * firms.capacity
    ok = ties.school >= 0
    return np.bincount(ties.school[ok], weights=hours[ok], minlength=n_s)


def weighted_demand(
    colleges: Colleges, firms: Firms, ties: Ties, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per college: the ``weights``-weighted mean demand of its partners, and the total weight.

    Summed firm by firm over the firms with a positive weight (each firm has at most
    one tie): O(firms), no dense (colleges × firms) product. A college without such
    partners keeps its curriculum as the mean.
    """
    cur = colleges.curricula
    n_s = cur.shape[0]
    chosen = ((weights > 0) & (ties.school >= 0)).nonzero()[0]
    if chosen.size == 0:
        return cur.copy(), np.zeros(n_s)
    school = ties.school[chosen]
    w = weights[chosen].astype(np.float64)
    tot = np.bincount(school, weights=w, minlength=n_s)
    num = np.zeros_like(cur)
    add_rows_at(num, school, w, firms.demand, chosen)  # np.add.at, compiled
    mean = np.where(tot[:, None] > 0, num / np.maximum(tot, 1e-12)[:, None], cur)
    return mean, tot


# --- prices ----------------------------------------------------------------------------


def annual_cost(
    firms: Firms,
    firm: int,
    tt: TieTerms,
    members: int,
    gov: Government,
    p: Mapping[str, Any],
    *,
    club_frac: float | None = None,
    factor: float = 1.0,
    tenure_months: float = 0.0,
) -> tuple[float, float]:
    """Firm ``firm``'s yearly council costs: gross, and co-funded.

    A project contract costs its renewals spread over the contract. A member pays
    ``club_frac`` of the running cost (default: an equal share among ``members``),
    its prepaid fees (:func:`prepaid_fees`, ``factor`` times its per-member items) and
    its masters' hours at its wage; the government co-funds ``cofunding_share`` of all
    of it while support lasts.
    """
    if not tt.council:
        return contract_cost(tt), 0.0
    frac = 1.0 / max(members, 1) if club_frac is None else club_frac
    fees = club_fee(p, frac) + prepaid_fees(tt, p, factor=factor, tenure=tenure_months)
    hours = tt.masters_hours_per_place * int(firms.capacity[firm])
    gross = fees + 12.0 * float(hours_cost(hours, float(firms.wage[firm])))
    cofunded = tt.cofunding_share * gross if gov.active else 0.0
    return gross, cofunded


def contract_cost(tt: TieTerms) -> float:
    """A project contract's cost a year: its renewals spread over the contract (signing
    is the first year's; nothing co-funded, no one-off)."""
    return float(tt.renewal_cost * 12.0 / tt.review_months)


def club_fee(p: Mapping[str, Any], frac: Any) -> Any:
    """A member's share ``frac`` of the council's running cost a year (charged monthly).

    Unlike the member's own fees, the running cost is split among the members of
    each month: billed in advance at the size of the day, a council's first member
    would prepay all of it for a year, and the club would collect it more than once.
    """
    return float(p["governance_cost_annual"]) * frac


def prepaid_fees(
    tt: TieTerms, p: Mapping[str, Any], *, factor: float = 1.0, tenure: float = 0.0
) -> float:
    """A member's own council fees a year, billed in advance: membership and co-design
    committees (falling with ``tenure`` months), screening; ``factor`` by fee schedule."""
    coordination = float(p["council_member_cost_annual"])
    if tt.codesign_rate > 0:
        coordination += float(p["codesign_cost_annual"])
    items = coordination * tenure_factor(float(p["tenure_cost_decline"]), tenure)
    if tt.noise_factor < 1.0:
        items += float(p["screening_cost_annual"])
    return items * factor


def _places(registry: TieRegistry) -> np.ndarray:
    """Apprentice places of each college's council members."""
    return registry.council_places()


def _weights(
    registry: TieRegistry, firm: int, school: int, p: Mapping[str, Any]
) -> tuple[int, float, float]:
    """Members of ``school``'s council counting ``firm`` in, its club share and item factor."""
    inside = bool(registry.council[firm]) and int(registry.arrays.school[firm]) == school
    places = float(registry.firms.capacity[firm])
    n = int(sizes(registry)[school]) + (0 if inside else 1)
    total = float(_places(registry)[school]) + (0.0 if inside else places)
    if not inside and school in registry.convened:  # joining with a convened group
        group, group_places = registry.convened[school]
        n, total = max(n, group), max(total, group_places)
    frac, factor = fee_weights(places, n, total, str(p["fee_schedule"]) == "by_size")
    return n, frac, factor


def club_fracs(registry: TieRegistry, p: Mapping[str, Any]) -> np.ndarray:
    """Each member's share of its council's running cost now (0 for non-members)."""
    council = registry.council
    school = np.maximum(registry.arrays.school, 0)
    n = sizes(registry)[school].astype(np.float64)
    if str(p["fee_schedule"]) == "by_size":
        share = registry.firms.capacity / np.maximum(_places(registry)[school], 1e-12)
    else:
        share = 1.0 / np.maximum(n, 1.0)
    return np.where(council, share, 0.0)


def tenure_months(registry: TieRegistry, firm: int, school: int, gov: Government) -> float:
    """Months ``firm`` has sat on ``school``'s council (0 if it is not a member there)."""
    tie = registry.tie_of(firm)
    if tie is None or tie.school.idx != school or not registry.council[firm]:
        return 0.0
    since = int(getattr(tie, "member_since", -1))
    since = tie.start if since < 0 else since
    return float(max(int(gov.model.month) - since, 0))  # type: ignore[attr-defined]


def placements_planned(p: Mapping[str, Any], discount: float) -> float:
    """Teacher placements a college plans a month when members carry ``discount`` of each.

    The money planned for ``teacher_placement_rate`` of the teachers a year at full
    cost, stretched by the members' share: ``rate × teachers / 12 / (1 - d)``, at most
    every teacher once a year.
    """
    teachers = float(p["teachers_per_school"])
    wanted = float(p["teacher_placement_rate"]) * teachers / 12.0
    most = max(teachers / 12.0, wanted)
    return most if discount >= 1.0 else min(wanted / (1.0 - discount), most)


def members_placement_cost_annual(p: Mapping[str, Any], discount: float) -> float:
    """What a college's council members carry of its teacher placements in a year, together.

    Their share ``d`` of every planned placement (:func:`placements_planned`), before the
    college's budget limit; the members share it equally.
    """
    return 12.0 * placements_planned(p, discount) * float(p["teacher_placement_cost"]) * discount


def teacher_share(tt: TieTerms, frac: float, p: Mapping[str, Any]) -> float:
    """A member's expected yearly share of its college's teacher placements.

    What the members carry together (:func:`members_placement_cost_annual`: their
    share ``placement_discount`` of every placement the college plans, which buys it
    more placements; :mod:`~community_sim.processes.curriculum` buys them), shared
    among the members as the running cost is (``fee_schedule``): ``frac`` is the
    member's share of the club (:func:`_weights`).
    """
    d = float(tt.placement_discount)
    if d <= 0.0:
        return 0.0
    return members_placement_cost_annual(p, d) * frac


def liability(firms: Firms, firm: Any, p: Mapping[str, Any]) -> Any:
    """A firm's education surcharges a year: ``surcharge_wage_share`` of its wage bill.

    ``firm`` is one firm (a float comes back) or an index array (an array).
    """
    if isinstance(firm, int | np.integer):  # one firm: Python numbers, not 0-d arrays
        wage, heads = float(firms.wage[firm]), int(firms.headcount[firm])
    else:
        wage, heads = np.asarray(firms.wage[firm], dtype=np.float64), firms.headcount[firm]
    return float(p["surcharge_wage_share"]) * (12.0 * wage * heads)


def expected_cost(
    registry: TieRegistry,
    firm: int,
    school: int,
    tt: TieTerms,
    joining: bool,
    gov: Government,
    p: Mapping[str, Any],
) -> tuple[float, float]:
    """Firm ``firm``'s expected net recurring (per year) and one-off cost of a tie at ``school``.

    ``joining``: the firm would start the tie now. A project contract costs a
    contract a year: its signing is its first year's cost, counted in the recurring
    cost as every renewal is, so it has no one-off. A member's recurring cost is its
    fees at its tenure, masters' hours and expected share of teacher placements,
    less co-funding and the tax credit; joining adds the set-up (less co-funding, the
    convener's share and the credit it earns). The first year's fees, billed in
    advance, are the first year of the recurring cost, not a one-off on top.
    """
    if not tt.council:
        return contract_cost(tt), 0.0
    ents = registry.firms
    n, frac, factor = _weights(registry, firm, school, p)
    tenure = 0.0 if joining else tenure_months(registry, firm, school, gov)
    gross, cofunded = annual_cost(
        ents, firm, tt, n, gov, p, club_frac=frac, factor=factor, tenure_months=tenure
    )
    recurring = gross - cofunded
    spend = recurring  # the firm's own spending on its tie, eligible for the credit
    recurring += teacher_share(tt, frac, p)
    if float(tt.module_share) > 0.0:  # its own module, paid per apprentice (processes.placement)
        recurring += float(p["module_cost_annual"]) * float(ents.capacity[firm])
    one_off = 0.0
    setup_net = 0.0
    if joining:
        setup = tt.one_off_cost * factor
        support = tt.cofunding_share + min(gov.convening_share, 1.0 - tt.cofunding_share)
        support = support if gov.active else 0.0
        setup_net = setup * (1.0 - support)
        one_off = setup_net
    if gov.credit_share > 0.0 and gov.active:
        base = spend
        cap = liability(ents, firm, p)
        credit = tax_credit(base, cap, gov.credit_share)
        recurring -= credit
        if joining:
            one_off -= tax_credit(base + setup_net, cap, gov.credit_share) - credit
    return recurring, one_off


# --- billing ---------------------------------------------------------------------------


def _debit(tie: Partnership, cost: float, rec: Recorder) -> None:
    """Book ``cost`` to the tie's and the firm's ledgers (a negative cost is a receipt)."""
    tie.surplus_enterprise -= cost
    tie.period_cost += cost
    tie.enterprise.net_benefit -= cost
    rec.add_training(-cost)


def bill_period(
    registry: TieRegistry,
    tie: Partnership,
    tt: TieTerms,
    joining: bool,
    gov: Government,
    rec: Recorder,
    p: Mapping[str, Any],
) -> float:
    """Bill a tie at its start (``joining``) or at a review that continues it; return the cost.

    A project contract pays its one-off at signing (co-funded at its
    ``cofunding_share``) and its renewal at each review. A member pays, at joining,
    its set-up (scaled by ``fee_schedule``; co-funded and convened) and at joining and
    each review its fees for the review cycle in advance (co-funded).
    """
    firm = tie.enterprise.idx
    if not tt.council:
        gross = tt.one_off_cost if joining else tt.renewal_cost
        share = tt.cofunding_share if joining else 0.0
        if gross <= 0.0:
            return 0.0
        paid = gov.pay(share * gross) if share > 0 else 0.0
        cost = gross - paid
        _debit(tie, cost, rec)
        return cost
    school = tie.school.idx
    _, _, factor = _weights(registry, firm, school, p)
    tenure = 0.0 if joining else tenure_months(registry, firm, school, gov)
    fees = prepaid_fees(tt, p, factor=factor, tenure=tenure) * (tt.review_months / 12.0)
    setup = tt.one_off_cost * factor if joining else 0.0
    gross = fees + setup
    paid = gov.pay(tt.cofunding_share * gross) if tt.cofunding_share > 0 else 0.0
    if setup > 0.0 and gov.convening_share > 0.0:
        paid += gov.pay(min(gov.convening_share, 1.0 - tt.cofunding_share) * setup)
    cost = gross - paid
    if gov.credit_share > 0.0:
        gov.book_spending(firm, cost)
        cost -= gov.credit(firm, liability(registry.firms, firm, p))
    _debit(tie, cost, rec)
    return cost


def charge_month(
    registry: TieRegistry,
    gov: Government,
    rec: Recorder,
    p: Mapping[str, Any],
) -> None:
    """Members pay a month of the council's running cost and supply a month of masters'
    hours (both co-funded), and receive their tax credit.

    What a member invests in the college and its council (fees, set-up, masters'
    hours) is its spending on vocational education for the credit; training its
    own apprentices at work is not (the 2019 rule credits investment in running
    vocational education; a project partner's trainers train as much).
    """
    members = registry.council.nonzero()[0]
    if members.size == 0:
        return
    firms = registry.firms
    fixed = float(p["governance_cost_annual"])
    # The members' monthly items at once (element by element, the same arithmetic as one
    # member at a time); payments and credits stay member by member, as the budget binds.
    hours = hours_cost(registry.terms.masters[members] * firms.capacity[members],
                       firms.wage[members]).tolist()  # fmt: skip
    club = (club_fee(p, club_fracs(registry, p)[members]) / 12.0).tolist() if fixed > 0.0 else None
    owed = liability(firms, members, p).tolist() if gov.credit_share > 0.0 else None
    ents = registry.enterprises
    shares: dict[str, float] = {}  # co-funding share by kind of tie
    for k, j in enumerate(members.tolist()):
        tie = ents[j].tie  # registry.tie_of, without a call per member
        if tie is None:
            continue
        cofunding = shares.get(tie.kind)
        if cofunding is None:
            cofunding = shares[tie.kind] = float(registry.terms_of(tie).cofunding_share)
        gross = hours[k] + club[k] if club is not None else hours[k]
        paid = gov.pay(cofunding * gross) if cofunding > 0 else 0.0
        cost = gross - paid
        if owed is not None:
            gov.book_spending(j, cost)
            cost -= gov.credit(j, owed[k])
        if cost != 0.0:
            _debit(tie, cost, rec)
