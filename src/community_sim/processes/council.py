"""The industrial college's council: members, their costs, and what they supply.

One council per college; its members are the firms whose tie has
``TieTerms.council``. Each month a member pays its equal share of the
council's fixed running cost, the membership cost, the cost of the
ingredients it takes part in (co-design committees, joint screening), and
its masters' hours at its wage; the government co-funds ``cofunding_share``
of the set-up, running and membership costs while support lasts. A member's
exit raises the others' shares from the next month on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from community_sim.mechanics.council import club_share, hours_cost
from community_sim.state import Colleges, Firms, TieRegistry, Ties

if TYPE_CHECKING:
    from community_sim.agents.government import Government
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
    np.add.at(num, school, w[:, None] * firms.demand[chosen])
    mean = np.where(tot[:, None] > 0, num / np.maximum(tot, 1e-12)[:, None], cur)
    return mean, tot


def annual_cost(
    firms: Firms, firm: int, tt: TieTerms, members: int, gov: Government, p: Mapping[str, Any]
) -> tuple[float, float]:
    """Firm ``firm``'s yearly cost of a tie with ``tt`` in a council of ``members``: gross,
    co-funded (by ``gov`` while its support lasts).

    Project contracts cost their renewals spread over the contract; a council
    member pays its club share, membership, ingredient costs and masters' hours.
    """
    if not tt.council:
        return tt.renewal_cost * 12.0 / tt.review_months, 0.0
    club = float(club_share(float(p["governance_cost_annual"]), members))
    club += float(p["council_member_cost_annual"])
    extras = float(p["codesign_cost_annual"]) if tt.codesign_rate > 0 else 0.0
    extras += float(p["screening_cost_annual"]) if tt.noise_factor < 1.0 else 0.0
    hours = tt.masters_hours_per_place * int(firms.capacity[firm])
    extras += 12.0 * float(hours_cost(hours, float(firms.wage[firm])))
    cofunded = tt.cofunding_share * club if gov.active else 0.0
    return club + extras, cofunded


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

    ``joining``: the firm is not yet a member, so the council would have one more.
    """
    n = int(sizes(registry)[school]) + (1 if joining and tt.council else 0)
    gross, cofunded = annual_cost(registry.firms, firm, tt, max(n, 1), gov, p)
    share = tt.cofunding_share if (tt.council and gov.active) else 0.0
    one_off = tt.one_off_cost * (1.0 - share) if joining else 0.0
    return gross - cofunded, one_off


def charge_month(
    registry: TieRegistry, gov: Government, rec: Recorder, p: Mapping[str, Any]
) -> None:
    """Members pay a month of their council costs; the government co-funds its share."""
    members = registry.council.nonzero()[0]
    if members.size == 0:
        return
    n = sizes(registry)
    total = 0.0
    for j in members:
        tie = registry.tie_of(int(j))
        if tie is None:
            continue
        tt = registry.terms_of(tie)
        gross, cofund = annual_cost(registry.firms, int(j), tt, int(n[tie.school.idx]), gov, p)
        paid = gov.pay(cofund / 12.0)
        cost = gross / 12.0 - paid
        tie.period_cost += cost
        tie.surplus_enterprise -= cost
        tie.enterprise.net_benefit -= cost
        total += cost
    rec.add_training(-total)
