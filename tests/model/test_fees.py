"""What a council member pays and when, how fees are split, and the government's instruments.

Expected figures are worked out here from the parameters (the model's own pricing
functions are only what is being checked).
"""

import numpy as np
import pytest

from community_sim import CommunityModel, run
from community_sim.mechanics.council import fee_weights, tax_credit, tenure_factor
from community_sim.policies import terms
from community_sim.processes import council

WAGE = 6000.0
HOURS = 40 * 52 / 12
# Membership, co-design committees, screening, set-up, running cost: the defaults.
MEMBER, CODESIGN, SCREENING, SETUP, FIXED = 4000.0, 3000.0, 2000.0, 10000.0, 24000.0
QUIET = dict(  # no support or credit moves money, so the ledgers show the fees alone
    policy="integrated", cofunding_share=0.0, integration_tax_credit=0.0,
    retention_bonus=0.0, masters_hours_per_place=0.0,
    council_placement_discount=0.0, tenure_cost_decline=0.0, convening_cost_annual=0.0,
)  # fmt: skip
TWO_LEADERS = dict(n_leading=2, n_smes=0, n_schools=1, horizon_months=24)


def test_a_member_pays_set_up_and_a_year_of_its_fees_at_joining_then_the_running_cost_monthly():
    m = CommunityModel(seed=1, **QUIET, **TWO_LEADERS)
    ties = m.active_ties
    assert len(ties) == 2 and all(m.f_council)
    year = MEMBER + CODESIGN + SCREENING
    for tie in ties:  # the start-up bill: set-up plus the first year in advance
        assert tie.period_cost == pytest.approx(SETUP + year, rel=1e-12)
    for _ in range(5):
        m.step()
    for tie in ties:  # then only the running cost, shared by the two members, each month
        assert tie.period_cost == pytest.approx(SETUP + year + 5 * FIXED / 2 / 12, rel=1e-12)
    m.release()


def _to_first_review(**params) -> tuple[CommunityModel, int]:
    """A model stepped through the month of its first review, and that month."""
    m = CommunityModel(seed=1, **params)
    while not any(t.reviews for t in m.active_ties):
        m.step()
    return m, m.month - 1


def test_each_review_that_continues_a_membership_bills_the_next_year_in_advance():
    decline = 0.2
    m, month = _to_first_review(**{**QUIET, "tenure_cost_decline": decline}, **TWO_LEADERS)
    assert month >= 11
    for tie in m.active_ties:
        assert tie.reviews == 1 and tie.start == 0
        # After a year of membership coordination costs less; screening does not.
        renewal = (MEMBER + CODESIGN) * (1 - decline) ** (month / 12) + SCREENING
        assert tie.period_cost == pytest.approx(renewal, rel=1e-12)
        _, _, cost = tie.periods[-1]  # the first period: start-up bill and running cost
        year = MEMBER + CODESIGN + SCREENING
        assert cost == pytest.approx(SETUP + year + (month + 1) * FIXED / 24, rel=1e-12)
    m.release()


def test_tenure_lowers_coordination_costs_only_when_switched_on():
    assert tenure_factor(0.0, 60) == 1.0
    assert tenure_factor(0.1, 0) == 1.0
    assert tenure_factor(0.1, 24) == pytest.approx(0.81)
    off, _ = _to_first_review(**QUIET, **TWO_LEADERS)
    year = MEMBER + CODESIGN + SCREENING
    assert all(t.period_cost == pytest.approx(year, rel=1e-12) for t in off.active_ties)
    off.release()


def test_by_size_splits_the_running_cost_by_places_and_keeps_the_councils_total():
    assert fee_weights(3.0, 4, 12.0, by_size=False) == (0.25, 1.0)
    assert fee_weights(3.0, 4, 12.0, by_size=True) == (0.25, 1.0)  # an average-sized member
    frac, factor = fee_weights(1.0, 4, 16.0, by_size=True)
    assert frac == pytest.approx(1 / 16) and factor == pytest.approx(0.25)
    params = dict(
        policy="integrated", n_leading=2, n_smes=12, n_schools=1, integration_tax_credit=0.5
    )
    for schedule in ("equal", "by_size"):
        m = CommunityModel(seed=2, fee_schedule=schedule, **params)
        members = np.flatnonzero(m.f_council)
        assert members.size > 2 and len({int(m.cap[j]) for j in members}) > 1
        fracs = council.club_fracs(m.registry, m.p)
        assert fracs[members].sum() == pytest.approx(1.0)  # the running cost, once
        factors = [council._weights(m.registry, int(j), 0, m.p)[2] for j in members]
        assert sum(factors) == pytest.approx(members.size)  # per-member items: the same total
        if schedule == "by_size":
            caps = m.cap[members]
            assert np.allclose(fracs[members], caps / caps.sum())
            assert np.allclose(factors, caps / caps.mean())
        m.release()


def _sme_members(schedule: str, seed: int) -> float:
    m = CommunityModel(seed=seed, policy="integrated", fee_schedule=schedule)
    share = float(np.mean([e.tie is not None for e in m.enterprises if not e.is_leading]))
    m.release()
    return share


def test_fees_by_size_bring_more_smes_into_councils_at_start_up():
    diffs = [_sme_members("by_size", s) - _sme_members("equal", s) for s in range(8)]
    assert min(diffs) >= 0.0 and np.mean(diffs) > 0.1


@pytest.mark.slow
def test_fees_by_size_keep_more_smes_in_councils_over_the_run():
    def smes(schedule: str, seed: int) -> float:
        out = run({"policy": "integrated", "fee_schedule": schedule}, seed=seed).outcomes
        return out["sme_participation"]

    from scipy import stats

    diffs = np.array([smes("by_size", s) - smes("equal", s) for s in range(8)])
    # One-sided 95% lower bound of the mean paired difference (Student t).
    se = diffs.std(ddof=1) / np.sqrt(diffs.size)
    assert diffs.mean() - stats.t.ppf(0.95, diffs.size - 1) * se > 0.0


def test_the_teacher_placement_share_is_in_the_expected_cost_and_matches_the_charge():
    params = dict(QUIET, governance_cost_annual=0.0, n_leading=3, n_smes=0, n_schools=1)
    on = CommunityModel(seed=1, **{**params, "council_placement_discount": 0.5})
    off = CommunityModel(seed=1, **params)
    tie = on.active_ties[0]
    n = int(np.count_nonzero(on.f_council))
    assert n == 3
    expected = []
    for m in (on, off):
        tt = m.registry.terms_of(m.active_ties[0])
        args = (m.registry, tie.enterprise.idx, 0, tt, False, m.government, m.p)
        expected.append(council.expected_cost(*args)[0])
    share = expected[0] - expected[1]
    assert share > 0.0
    # What the college's teacher placements (processes.curriculum) charge a member in a
    # month, its budget being ample: a twelfth of the share it expects a year.
    before = tie.period_cost
    on.step()
    assert tie.period_cost - before == pytest.approx(share / 12, rel=1e-9)
    # The members carry it together: one more member lowers each one's share by n/(n+1).
    outsider = CommunityModel(seed=1, **{**params, "council_placement_discount": 0.5})
    j = tie.enterprise.idx
    outsider.registry.council[j] = False  # as if the firm were not yet a member
    outsider.registry.terms.discount[j] = 0.0
    outsider.registry._college = outsider.registry._places = None  # edited by hand: recount
    tt = outsider.registry.terms_of(outsider.active_ties[0])
    _, frac, _ = council._weights(outsider.registry, j, 0, outsider.p)
    alone = council.teacher_share(tt, frac, outsider.p)
    assert alone == pytest.approx(share, rel=1e-12)  # joining makes it n members again
    for m in (on, off, outsider):
        m.release()


def test_the_tax_credit_is_capped_by_the_surcharge_liability():
    assert tax_credit(100.0, 50.0, 0.3) == pytest.approx(30.0)
    assert tax_credit(100.0, 20.0, 0.3) == 20.0
    assert tax_credit(100.0, 20.0, 0.0) == 0.0
    # A leading firm and a very small SME: only the small one is capped.
    # Fees equal per member, so the credit base is the fees themselves (the cap is the point).
    params = dict(QUIET, governance_cost_annual=0.0, n_leading=1, n_smes=1, n_schools=1,
                  sme_headcount=5, sme_size_sd=0.0, surcharge_wage_share=0.005,
                  fee_schedule="equal")  # fmt: skip
    with_credit = CommunityModel(seed=1, **{**params, "integration_tax_credit": 0.3})
    without = CommunityModel(seed=1, **params)
    own = MEMBER + CODESIGN + SCREENING  # the member's own council spending a year
    for j, heads in ((0, 400), (1, 5)):
        base = own  # its investment in the council; training at work is not credited
        liability = 0.005 * heads * WAGE * 12
        expected = min(0.3 * base, liability)
        a, b = (
            council.expected_cost(
                x.registry, j, 0, terms("integrated", x.p), True, x.government, x.p
            )[0]
            for x in (with_credit, without)
        )
        assert b - a == pytest.approx(expected, rel=1e-12)
        assert (expected == liability) == (heads == 5)
    with_credit.release()
    without.release()


def test_credits_granted_are_government_spending_and_never_exceed_the_liability():
    params = dict(policy="integrated", subsidy_per_apprentice_month=0.0, retention_bonus=0.0,
                  cofunding_share=0.0, surcharge_wage_share=0.0003, horizon_months=24,
                  governance_cost_annual=0.0, council_placement_discount=0.0,
                  convening_cost_annual=0.0,  # only the credit is spent
                  n_schools=3, n_leading=4, n_smes=20, intake_per_school=250)  # fmt: skip
    m = CommunityModel(seed=3, **params)
    assert m.f_council.sum() >= 2
    spent = 0.0
    heads = [m.H.copy()]
    for _ in range(11):
        m.step()
        spent += m.government.spent_month
        heads.append(m.H.copy())
    gov = m.government
    # Each month's liability (headcounts grow a little): a firm's credit is capped by the
    # liability of the month it was last granted, whichever that was.
    liabilities = 0.0003 * np.array(heads) * WAGE * 12
    liability = liabilities[-1]
    assert gov.credited.sum() > 0
    capped = np.minimum(0.3 * gov.vet_spending, liabilities)
    assert np.isclose(gov.credited, capped, rtol=1e-12).any(axis=0).all()
    assert (gov.credited <= liabilities.max(axis=0) + 1e-9).all()
    assert np.isclose(gov.credited, liabilities, rtol=1e-12).any()  # some member hit its cap
    assert (gov.credited < liability).any()
    assert spent == pytest.approx(gov.credits_this_year, rel=1e-12)  # all of it is credit
    # In September the year's unused credit is carried forward, to be used next year.
    m.step()  # August, the year's last month
    spent_base, granted = gov.vet_spending.copy(), gov.credited.copy()
    assert (0.3 * spent_base > granted + 1.0).any()  # some credit is left over
    gov.new_month()  # September opens the next tax year
    assert np.allclose(gov.carried, np.maximum(0.3 * spent_base - granted, 0.0))
    assert (gov.carried > 0).any()
    m.release()
    for other in ({"integration_tax_credit": 0.0}, {"policy": "project"}):  # off; not certified
        off = CommunityModel(seed=3, **{**params, **other})
        for _ in range(3):
            off.step()
            assert off.government.spent_month == 0.0
        off.release()


def test_the_convener_pays_its_share_of_the_set_up_from_the_budget():
    params = dict(QUIET, governance_cost_annual=0.0, **TWO_LEADERS)
    m = CommunityModel(seed=1, **{**params, "convening_share": 0.4})
    plain = CommunityModel(seed=1, **params)
    year = MEMBER + CODESIGN + SCREENING
    assert m.government.spent_month == pytest.approx(2 * 0.4 * SETUP)
    assert plain.government.spent_month == 0.0
    for tie in m.active_ties:
        assert tie.period_cost == pytest.approx(0.6 * SETUP + year)
    ent = m.enterprises[0]
    costs = []
    for x in (m, plain):
        tt = x.registry.terms_of(x.active_ties[0])
        costs.append(council.expected_cost(x.registry, ent.idx, 0, tt, True, x.government, x.p)[1])
    assert costs[1] - costs[0] == pytest.approx(0.4 * SETUP)
    m.release()
    plain.release()
