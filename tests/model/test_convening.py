"""The council's convening role and what firms believe about membership.

Thresholds and ratios are worked out here from the parameters and the ties' own
records; the model's pricing and belief functions are only what is being checked.
"""

import numpy as np
import pytest

from community_sim import CommunityModel, run
from community_sim.policies import terms
from community_sim.processes import council
from community_sim.processes.partners import published_ratio

# Six equal SMEs and one college; the member's only costs are its membership fee and its
# share of the running cost (no set-up, committees, hours, teacher placements, support).
MEMBER = 1000.0
SMES = dict(
    policy="integrated", n_leading=0, n_smes=6, n_schools=1, sme_size_sd=0.0,
    fee_schedule="equal", council_member_cost_annual=MEMBER, codesign_cost_annual=0.0,
    screening_cost_annual=0.0, integration_setup_cost=0.0, council_placement_discount=0.0,
    masters_hours_per_place=0.0, cofunding_share=0.0, integration_tax_credit=0.0,
    convening_share=0.0, membership_surplus_prior=0.0, membership_prior_sd=0.0,
    subsidy_per_apprentice_month=0.0,  # the government pays for nothing else
)  # fmt: skip


def _running_cost_between_alone_and_together() -> float:
    """A running cost that one SME alone cannot carry but six together can.

    A member of a council of n values it at (τ·S - G/n - M)·A: worth joining when
    G/n < τ·S - M, with τ the initial trust and S its expected surplus.
    """
    probe = CommunityModel(seed=1, **SMES, council_convening=False)
    surplus = {e.expected_surplus for e in probe.enterprises}
    assert len(surplus) == 1  # equal SMEs, equal plans
    margin = float(probe.p["initial_trust"]) * surplus.pop() - MEMBER
    probe.release()
    assert margin > 0
    return margin * 6 / 2  # alone: G > margin; six together: G / 6 = margin / 2 < margin


def test_a_convened_group_founds_a_council_no_lone_firm_would_join():
    fixed = _running_cost_between_alone_and_together()
    off = CommunityModel(seed=1, **SMES, governance_cost_annual=fixed, council_convening=False)
    on = CommunityModel(seed=1, **SMES, governance_cost_annual=fixed, council_convening=True)
    # The cost a lone SME expects: the whole running cost plus its fee, and no one-off.
    tt = terms("integrated", off.p)
    rec, one = council.expected_cost(off.registry, 0, 0, tt, True, off.government, off.p)
    assert rec == pytest.approx(fixed + MEMBER, rel=1e-12) and one == 0.0
    assert off.f_council.sum() == 0  # waiting for each other, nobody joins
    assert on.f_council.sum() == 6  # convened together, all six found it
    for m in (off, on):
        m.release()


def test_the_government_pays_each_convening_round_from_its_budget():
    fixed = _running_cost_between_alone_and_together()
    cost = 5000.0
    two = dict(SMES, n_smes=12, n_schools=2, governance_cost_annual=fixed,
               convening_cost_annual=cost)  # fmt: skip
    full = CommunityModel(seed=1, **two)
    # Twelve candidates shared by two equal colleges: a round at each, paid at the start-up.
    assert full.government.spent_month == pytest.approx(2 * cost, rel=1e-12)
    assert full.f_council.sum() == 12
    full.step()
    assert full.series_frame()["government_spend"].iloc[0] == pytest.approx(2 * cost, rel=1e-12)
    # A budget for one round: one college is convened, the other waits, and the government
    # pays for the round it holds only.
    one = CommunityModel(seed=1, **two, government_budget_annual=1.5 * cost)
    assert one.government.spent_month == pytest.approx(cost, rel=1e-12)
    # Members only at the convened college (the first): its whole group of six joins it,
    # and firms that then rank it first may join the council those six made.
    assert set(one.firm_school[one.f_council].tolist()) == {0}
    assert one.f_council.sum() >= 6
    broke = CommunityModel(seed=1, **two, government_budget_annual=0.0)
    assert broke.government.spent_month == 0.0 and broke.f_council.sum() == 0
    for m in (full, one, broke):
        m.release()


def test_the_published_ratio_is_members_over_project_partners_surplus_per_place_year():
    m = CommunityModel(seed=1, policy="project", n_leading=6, n_smes=0, n_schools=2)
    ties = m.active_ties
    assert len(ties) == 6
    span = 36 - 36 // 3  # a placement: the programme after its first (college) year
    assert span == 24
    # Periods (months, gross, cost): the window is the latest periods covering 24 months;
    # older ones and costs do not count.
    periods = [
        [(12, 1.0e9, 5.0), (12, 30000.0, 7.0), (12, 42000.0, 9.0)],
        [(24, 60000.0, 0.0)],
        [(6, 1.0e9, 0.0), (12, 20000.0, 0.0), (6, 8000.0, 0.0), (6, 9000.0, 0.0)],
        [(12, 1.0e9, 0.0), (12, 10000.0, 0.0), (12, 50000.0, 0.0)],
        [(30, 90000.0, 0.0)],
        [(24, 24000.0, 0.0)],
    ]
    windows = [(24, 72000.0), (24, 60000.0), (24, 37000.0), (24, 60000.0), (30, 90000.0),
               (24, 24000.0)]  # fmt: skip
    kinds = ["integrated"] * 3 + ["project"] * 3
    for tie, per, kind in zip(ties, periods, kinds, strict=True):
        tie.periods, tie.kind = list(per), kind
    places = m.firms.capacity[[t.enterprise.idx for t in ties]].astype(float)
    rate = [g * 12 / mo / k for (mo, g), k in zip(windows, places, strict=True)]
    want = np.mean(rate[:3]) / np.mean(rate[3:])
    assert published_ratio(m.registry, m.p) == pytest.approx(want, rel=1e-12)
    # Below three ties of a form with a whole placement's results: nothing is published.
    ties[2].periods = [(12, 20000.0, 0.0)]  # a year only: no window
    assert published_ratio(m.registry, m.p) is None
    ties[2].periods = list(periods[2])
    ties[3].kind = "integrated"  # four members, two project partners
    assert published_ratio(m.registry, m.p) is None
    m.release()


def test_with_no_prior_for_membership_choice_is_project_when_membership_costs_more():
    # Membership at the baseline's prices costs several contracts a year; with no belief that
    # it yields more, every firm takes the contract and choice is the project policy. The
    # convener is off: its rounds would be paid for under choice (membership is on offer)
    # even when nobody joins, which the project policy never pays.
    flat = dict(membership_surplus_prior=0.0, membership_prior_sd=0.0, council_convening=False,
                horizon_months=60)  # fmt: skip
    for seed in (1, 2):
        a = run({**flat, "policy": "project"}, seed=seed)
        b = run({**flat, "policy": "choice"}, seed=seed)
        assert (b.series["ties_integrated"] == 0).all()
        assert a.outcomes == b.outcomes
