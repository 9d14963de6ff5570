"""The hiring ledger: the hiring rate's window, early-quit debits, the market benchmark, hire
credits, and outcomes that inform (each test failed on an earlier model before its fix)."""

import numpy as np
import pytest

from community_sim import CommunityModel, run
from community_sim.agents.student import EMPLOYED
from community_sim.mechanics.labour import hire_credit_weeks
from community_sim.mechanics.skills import effective_mismatch, reflect, skill_match
from community_sim.metrics import OUTCOMES
from community_sim.processes import hire_ledger, labour_market


def _model(months: int, **params) -> CommunityModel:
    m = CommunityModel(seed=2, **params)
    for _ in range(months):
        m.step()
    return m


def test_a_month_without_hires_clears_its_row_of_the_hiring_rate():
    m = _model(3)
    m.hire_hist[m.month % 12] = 99  # hires booked twelve months ago in this calendar slot
    hire_ledger.book(
        m.students, m.firms, m.registry, m.government, m.recorder, hire_ledger.Hires(),
        np.zeros(len(m.enterprises)), m.p, m.rng, m.month,
    )  # fmt: skip
    assert not m.hire_hist[m.month % 12].any()
    m.release()


def test_early_quit_debit_is_costed_like_any_hire():
    """Convexity, the unemployment elasticity and the firm's hiring rate all apply."""
    losses = {}
    for gamma in (0.0, 2.0):
        m = _model(30, hire_cost_convexity=gamma, unemployment_rate=0.08)
        st = m.students
        rows = st.rows(EMPLOYED)
        rows = rows[m.month - st.employed_month[rows] <= 12]
        rows = np.array(
            [
                r
                for r in rows
                if m.enterprises[int(st.employer[r])].tie is not None
                and m.enterprises[int(st.employer[r])].tie.school.idx == st.school[r]
            ]
        )
        r = int(rows[0])
        j = int(st.employer[r])
        tie = m.enterprises[j].tie
        before = tie.period_surplus
        labour_market._debit_early_quits(
            m.students, m.firms, m.registry, m.market, m.tech, m.p, m.month, np.array([r])
        )
        ext_mis, _ = labour_market.expected_external(m.market, m.tech, m.firms, m.p, m.month)
        rate = m.hire_hist.sum(axis=0)[j] / max(m.H[j], 1)
        # Blatter, Muehlemann & Schenker (2012) form, written out here.
        weeks = (
            16.0
            * 0.95 ** (100 * (0.08 - 0.05))
            * (rate / 0.17) ** gamma
            * (0.21 + 0.26 + 0.53 * min(ext_mis[j] / 0.20, 3.0))
        )
        losses[gamma] = before - tie.period_surplus
        assert np.isclose(losses[gamma], weeks * 6000.0 * 12 / 52, rtol=1e-9)
        m.release()
    assert losses[0.0] != losses[2.0]


def test_external_benchmark_is_the_mean_fit_of_real_external_hires():
    m = _model(40, external_skill_noise=0.2)
    ext_mis, vintage = labour_market.expected_external(m.market, m.tech, m.firms, m.p, m.month)
    rng = np.random.default_rng(7)  # external hires drawn as the market draws them
    n = 20000
    skills = reflect(vintage[None, :] + rng.normal(0.0, 0.2, (n, vintage.size)))
    apt = rng.lognormal(0.0, 0.25, n)
    for j in (0, 5, 17):
        realised = effective_mismatch(skill_match(skills, m.D[j]), apt).mean()
        assert abs(ext_mis[j] - realised) < 0.01
    m.release()


def test_hire_credit_is_zero_on_average_for_a_hire_as_good_as_the_market():
    rng = np.random.default_rng(3)
    n, market_weeks, p_fail = 400_000, 20.0, 0.15
    separated = rng.random(n) < p_fail  # same failure risk as the market's hire
    credit = np.array([hire_credit_weeks(market_weeks, s, market_weeks, p_fail) for s in separated])
    assert abs(credit.mean()) < 0.05  # weeks; the old credit averaged -p_fail * 20 = -3
    fails = rng.random(n) < 0.05
    better = np.array([hire_credit_weeks(15.0, s, market_weeks, p_fail) for s in fails])
    assert np.isclose(better.mean(), 20 * 1.15 - 15 - 0.05 * 20, atol=0.05)


@pytest.mark.slow
def test_structural_network_measure_replaced_by_informative_outcomes():
    assert "network_giant_component" not in OUTCOMES
    low = run({"apprentice_ratio": 0.04}, seed=1).outcomes["placement_coverage"]
    high = run({"apprentice_ratio": 0.16}, seed=1).outcomes["placement_coverage"]
    assert 0.0 < low < high <= 1.0
