import numpy as np
import oracles as ref
import pytest

from community_sim.mechanics.labour import (
    REFERENCE_HIRE_RATE,
    REFERENCE_MISMATCH,
    REFERENCE_UNEMPLOYMENT,
    early_separation_prob,
    hire_cost_factor,
    hire_credit_weeks,
    hire_weeks,
    termination_hazards,
    termination_prob,
    weeks_to_currency,
)


def hire_cost_weeks(
    mismatch,
    search_share=1.0,
    hire_rate=REFERENCE_HIRE_RATE,
    unemployment=REFERENCE_UNEMPLOYMENT,
    base_weeks=16.0,
    convexity=0.5,
    elasticity=0.05,
):
    """A hire's cost at hiring rate(s) ``hire_rate``, as the ledger composes it: the model's
    factor (:func:`hire_cost_factor`) times its bracket (:func:`hire_weeks`), element-wise."""
    factor = hire_cost_factor(hire_rate, unemployment, base_weeks, convexity, elasticity)
    return np.vectorize(hire_weeks)(factor, search_share, mismatch)


def test_external_hire_costs_16_weeks_at_the_calibration_point():
    c = hire_cost_weeks(REFERENCE_MISMATCH, 1.0, REFERENCE_HIRE_RATE, 0.05)
    assert float(c) == pytest.approx(16.0)


def test_hiring_cost_is_convex_in_hires_with_marginal_near_24_weeks():
    head = 100.0
    n = np.arange(1, 60, dtype=float)
    total = n * hire_cost_weeks(REFERENCE_MISMATCH, 1.0, n / head)
    assert np.all(np.diff(total, 2) > 0)
    n0 = REFERENCE_HIRE_RATE * head
    marginal = (n0 + 1) * hire_cost_weeks(REFERENCE_MISMATCH, 1.0, (n0 + 1) / head) - n0 * float(
        hire_cost_weeks(REFERENCE_MISMATCH, 1.0, n0 / head)
    )
    assert 22.0 < marginal < 26.0


def test_higher_unemployment_makes_hiring_cheaper_by_about_5_percent_a_point():
    low = float(hire_cost_weeks(REFERENCE_MISMATCH, unemployment=0.05))
    high = float(hire_cost_weeks(REFERENCE_MISMATCH, unemployment=0.06))
    assert high < low
    assert high / low == pytest.approx(0.95, abs=0.005)


def test_known_candidates_and_better_matches_cost_less():
    ext = float(hire_cost_weeks(REFERENCE_MISMATCH, 1.0))
    own = float(hire_cost_weeks(REFERENCE_MISMATCH, 0.0))
    good = float(hire_cost_weeks(0.05, 1.0))
    assert own == pytest.approx(ext * (1 - 0.21))
    assert good < ext


def test_separation_rises_with_mismatch():
    p = [early_separation_prob(m, 0.6) for m in (0.0, 0.2, 0.5, 3.0)]
    assert p[0] == 0 and p[1] < p[2] and p[3] == 1.0
    assert p[2] == pytest.approx(0.6 * 0.5)


def test_termination_hazards_give_22_percent_with_62_percent_in_year_one():
    h1, h2 = termination_hazards(0.22)
    p1 = 1 - (1 - h1) ** 12
    p2 = (1 - p1) * (1 - (1 - h2) ** 12)
    assert p1 + p2 == pytest.approx(0.22, abs=1e-9)
    assert p1 / (p1 + p2) == pytest.approx(0.62, abs=1e-9)


def test_hire_costs_follow_the_reference_bracket_for_one_hire_and_for_many():
    rng = np.random.default_rng(3)
    m, r, s = rng.random(300), rng.random(300) * 0.6, rng.random(300)
    r[:3] = (0.0, 1e-9, 0.17)
    want = ref.hire_weeks(ref.factor(r, 0.07, 16.0, 0.5, 0.05), s, m)
    assert np.array_equal(hire_cost_weeks(m, s, r, 0.07, 16.0, 0.5, 0.05), want)
    for i in range(0, 300, 37):  # one firm's hire (a quit, a pre-hire)
        one = hire_cost_weeks(float(m[i]), float(s[i]), float(r[i]), 0.07, 16.0, 0.5, 0.05)
        assert float(one) == want[i]


def test_termination_scales_with_relative_mismatch_up_to_three_times():
    assert termination_prob(0.02, 0.172, 0.172) == pytest.approx(0.02)
    assert termination_prob(0.02, 0.086, 0.172) == pytest.approx(0.01)
    assert termination_prob(0.02, 0.9, 0.172) == pytest.approx(0.06)  # capped at 3x
    assert termination_prob(0.5, 0.9, 0.1) == 1.0
    rng = np.random.default_rng(0)
    base, mis, r = rng.random(200) * 0.1, rng.random(200), rng.uniform(0.04, 0.2, 200)
    want = ref.termination(base, mis, r)
    assert [termination_prob(*x) for x in zip(base, mis, r, strict=True)] == want.tolist()


def test_a_hire_as_good_as_the_market_saves_nothing_on_average():
    # The market hire costs 10 weeks and fails with probability 0.2 (then costs 10 again).
    assert hire_credit_weeks(10.0, False, 10.0, 0.2) == pytest.approx(2.0)
    assert hire_credit_weeks(10.0, True, 10.0, 0.2) == pytest.approx(-8.0)
    expected = 0.8 * hire_credit_weeks(10.0, False, 10.0, 0.2) + 0.2 * hire_credit_weeks(
        10.0, True, 10.0, 0.2
    )
    assert expected == pytest.approx(0.0)
    assert hire_credit_weeks(4.0, False, 10.0, 0.0) == pytest.approx(6.0)


def test_weeks_convert_at_52_weeks_a_year():
    assert weeks_to_currency(52.0, 1000.0) == pytest.approx(12_000.0)
