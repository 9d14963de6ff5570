"""Ties opened, converted and closed, and what the partnership decisions act on.

The parties (:class:`Parties`) are the state a decision weighs and the accounts a
tie pays from; opening a tie bills its first period (set-up and the first cycle in
advance), a change of form is billed as a start, and closing one lets its
apprentices finish their placements with the firm unless the college ended it.
Reviews fall in August (:func:`next_review`). Used by
:mod:`~community_sim.processes.cooperation`, which makes the decisions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from community_sim.agents.partnership import Kind, Partnership
from community_sim.agents.student import ENROLLED, StudentArrays
from community_sim.policies import Policy
from community_sim.processes import council
from community_sim.processes.placement import placed_per_firm
from community_sim.processes.valuation import tie_terms
from community_sim.state import Colleges, Firms, TieRegistry

if TYPE_CHECKING:
    from community_sim.agents.enterprise import Enterprise
    from community_sim.agents.government import Government
    from community_sim.agents.school import School
    from community_sim.metrics import Recorder

ENTRY_MONTH = 11
"""Month of the academic year (0 = September) when firms decide to enter: August."""


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
    beliefs: dict[str, float] = field(default_factory=dict)  # what the community publishes
    memo: dict[str, Any] = field(default_factory=dict)  # values made once per parameters


def pay_one_off(w: Parties, ent: Enterprise, tie: Partnership, gross: float, share: float) -> None:
    paid = w.gov.pay(share * gross) if share > 0 else 0.0
    cost = gross - paid
    tie.surplus_enterprise -= cost
    tie.period_cost += cost
    ent.net_benefit -= cost
    w.rec.add_training(-cost)


def next_review(month: int, review_months: int) -> int:
    """The first August at least ``review_months`` after ``month`` (a review ends a year).

    A tie opened at start-up (month 0, before the year's placements) is first reviewed
    that August; one opened in August, the next August or later.
    """
    due = month + review_months - 1
    return due + (ENTRY_MONTH - due) % 12


def open_tie(
    w: Parties,
    p: Mapping[str, Any],
    month: int,
    ent: Enterprise,
    school: School,
    trust: float,
    kind: Kind,
    placed: list[int] | np.ndarray | None = None,
) -> Partnership:
    """Open a tie; ``placed``: :func:`placed_per_firm` now, if known (else counted)."""
    tt = tie_terms(w, p, kind)
    t = month
    trust_school = school.trust_memory.get(ent.idx, float(p["initial_trust"]))
    tie = Partnership(
        school, ent, kind, t, trust, next_review(t, tt.review_months), trust_school,
        period_start=t - 1 if t % 12 == 0 else t,  # a start-up tie runs month 0's economics
    )  # fmt: skip
    tie.member_since = t if tt.council else -1
    council.bill_period(w.registry, tie, tt, True, w.gov, w.rec, p)
    tie.history.append((t, f"start {kind}"))
    ent.tie = tie
    if w.registry.finishing.pop(ent.idx, None) is not None:
        # Apprentices still finishing from its last spell are booked to this one (per firm):
        # count them as hosted, so that their departures are weighed against their number.
        if placed is None:  # the caller's placed_per_firm of this month, else counted here
            st = w.students
            lo = st.first
            hosted = (st.host[lo : st.n] == ent.idx) & (st.status[lo : st.n] == ENROLLED)
            tie.placed_at_period_start = int(np.count_nonzero(hosted))
        else:
            tie.placed_at_period_start = int(placed[ent.idx])
    school.partnerships.append(tie)
    w.registry.spells.append(tie)
    w.registry.refresh(ent)
    return tie


def close_tie(w: Parties, month: int, tie: Partnership, why: str) -> None:
    """Close the spell; a firm that leaves keeps its apprentices until they graduate.

    When the college ends the tie it takes its apprentices back (to be placed anew).
    """
    st = w.students
    tie.close(month)
    tie.history.append((month, why))
    ent = tie.enterprise
    ent.trust_memory[tie.school.idx] = tie.trust
    ent.tie = None
    if why == "ended by college":
        lo = st.first
        hosted = (st.host[lo : st.n] == ent.idx) & (st.status[lo : st.n] == ENROLLED)
        placed = lo + hosted.nonzero()[0]
        st.host[placed] = -1
    else:
        w.registry.finishing[ent.idx] = tie
    w.registry.refresh(ent)


def prune_finishing(w: Parties) -> None:
    """Forget finishing spells whose apprentices have all graduated or left."""
    if not w.registry.finishing:
        return
    placed = placed_per_firm(w.students, len(w.registry.enterprises))
    for j in [j for j in w.registry.finishing if placed[j] == 0]:
        del w.registry.finishing[j]


def convert_tie(w: Parties, p: Mapping[str, Any], month: int, tie: Partnership, kind: Kind) -> None:
    """A change of form at the same college: the same spell goes on; the new form is
    billed as a start (its one-off and first cycle in advance)."""
    tt = tie_terms(w, p, kind)
    tie.kind = kind
    tie.member_since = month if tt.council else -1
    tie.history.append((month, "convert"))
    council.bill_period(w.registry, tie, tt, True, w.gov, w.rec, p)
    w.registry.refresh(tie.enterprise)
