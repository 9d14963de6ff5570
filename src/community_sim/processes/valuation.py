"""What a tie is worth to a firm: what it believes a tie yields, the terms of each kind of
tie, and the forward value that partnership decisions compare
(:mod:`~community_sim.processes.cooperation`).

A round of decisions (a month's reviews, an entry round) reads what stays fixed through
it once (:class:`Round`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from community_sim.agents.partnership import Kind
from community_sim.mechanics.labour import cost_level, weeks_to_currency
from community_sim.mechanics.skills import productivity_ramp
from community_sim.mechanics.trust import annuity, tie_value
from community_sim.policies import TieTerms, terms
from community_sim.processes import council
from community_sim.processes.partners import Standing, placement_months, standing

if TYPE_CHECKING:
    from community_sim.agents.enterprise import Enterprise
    from community_sim.agents.school import School
    from community_sim.processes.cooperation import Parties


@dataclass(frozen=True, slots=True)
class Round:
    """What a round of decisions (a month's reviews, an entry round) reads from the
    parameters and the colleges, read once for all of its firms."""

    tau0: float  # trust in a new partner
    annuity: float  # present value of 1 a year over the planning horizon
    memory: float  # surplus_memory
    span: int  # placement_months
    standing: Standing  # what firms rank colleges by
    kinds: tuple[tuple[Kind, TieTerms], ...]  # the kinds of new tie the policy allows, and terms
    costs: tuple[float | None, ...]  # each kind's contract cost a year (None: a council's)

    @classmethod
    def read(cls, w: Parties, p: Mapping[str, Any]) -> Round:
        kinds = tuple((kind, tie_terms(w, p, kind)) for kind in w.policy.kinds)
        return cls(
            float(p["initial_trust"]),
            annuity(float(p["discount_rate"]), int(p["planning_years"])),
            float(p["surplus_memory"]),
            placement_months(p),
            standing(w, p),
            kinds,
            tuple(None if tt.council else council.contract_cost(tt) for _, tt in kinds),
        )

    @property
    def contracts(self) -> bool:
        """Every kind of new tie is a contract, whose cost is the same at every college: a
        new tie's value depends on the trust in the college, not on which college it is."""
        return None not in self.costs


def tie_terms(w: Parties, p: Mapping[str, Any], kind: Kind) -> TieTerms:
    """:func:`~community_sim.policies.terms` of ``kind`` under ``p``, made once per parameter
    mapping (decisions ask for them at every review and entry)."""
    memo = w.memo.get("terms")
    if memo is None or memo[0] is not p:
        memo = w.memo["terms"] = (p, {})
    tt = memo[1].get(kind)
    if tt is None:
        tt = memo[1][kind] = terms(kind, p)
    return tt  # type: ignore[no-any-return]


def belief(ent: Enterprise, kind: Kind, ratio: float) -> float:
    """A firm's expected gross annual surplus of a tie of ``kind``.

    Its memory (``expected_surplus``) was learned under one form (its business plan
    counts as a project contract's); the other form is valued at that memory times
    the published ratio of members' to project partners' surplus per place
    (:func:`~community_sim.processes.partners.published_ratio`), or its inverse;
    before anything is published, at its own prior ratio (``membership_prior``).
    """
    basis = "integrated" if ent.surplus_basis == "integrated" else "project"
    if kind == basis:
        return ent.expected_surplus
    return ent.expected_surplus * ratio if kind == "integrated" else ent.expected_surplus / ratio


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


def forward_value(
    w: Parties,
    p: Mapping[str, Any],
    r: Round,
    ent: Enterprise,
    school: School,
    tt: TieTerms,
    trust: float,
    joining: bool,
) -> float:
    """Forward value to ``ent`` of a tie with terms ``tt`` at ``school`` (0 = no tie)."""
    if tt.council:
        rec, one = council.expected_cost(w.registry, ent.idx, school.idx, tt, joining, w.gov, p)
    else:  # a contract's cost is the same for every firm (council.expected_cost's)
        rec, one = council.contract_cost(tt), 0.0
    ratio = w.beliefs.get("ratio", ent.membership_prior)
    return float(tie_value(trust, belief(ent, tt.kind, ratio), rec, one, r.annuity))


def best_kind(
    w: Parties,
    p: Mapping[str, Any],
    r: Round,
    ent: Enterprise,
    school: School | None,
    trust: float,
) -> tuple[float, Kind]:
    """The most valuable kind of new tie the policy allows at ``school``, and its value.

    ``school`` may be None when every kind is a contract (``r.contracts``): then the
    value is the same at every college."""
    best: tuple[float, Kind] | None = None
    for (kind, tt), cost in zip(r.kinds, r.costs, strict=True):
        if cost is None:
            assert school is not None  # a council's cost depends on the college
            v = forward_value(w, p, r, ent, school, tt, trust, True)
        else:  # forward_value of a contract, its cost read once for the round
            ratio = w.beliefs.get("ratio", ent.membership_prior)
            v = float(tie_value(trust, belief(ent, kind, ratio), cost, 0.0, r.annuity))
        if best is None or v > best[0]:
            best = (v, kind)
    assert best is not None  # every policy allows at least one kind
    return best


def contract_values(
    w: Parties, r: Round, ent: Enterprise, tt: TieTerms, trust: float
) -> tuple[float, float, Kind]:
    """A firm's review when every kind is a contract (``r.contracts``) and it holds one
    (terms ``tt``, at ``trust``): :func:`forward_value` of staying, and :func:`best_kind`
    of a new contract (the same at every college) and its kind, in one call."""
    ratio = w.beliefs.get("ratio", ent.membership_prior)
    a = r.annuity
    stay = float(tie_value(trust, belief(ent, tt.kind, ratio), council.contract_cost(tt), 0.0, a))
    best: tuple[float, Kind] | None = None
    tau0 = r.tau0
    for (kind, _), cost in zip(r.kinds, r.costs, strict=True):
        assert cost is not None
        v = float(tie_value(tau0, belief(ent, kind, ratio), cost, 0.0, a))
        if best is None or v > best[0]:
            best = (v, kind)
    assert best is not None  # every policy allows at least one kind
    return stay, best[0], best[1]
