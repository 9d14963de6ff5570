import numpy as np
import pytest

from community_sim.mechanics.labour import (
    REFERENCE_HIRE_RATE,
    REFERENCE_MISMATCH,
    early_separation_prob,
    hire_cost_weeks,
    termination_hazards,
)


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
    p = early_separation_prob(np.array([0.0, 0.2, 0.5]), 0.6)
    assert p[0] == 0 and p[1] < p[2]


def test_termination_hazards_give_22_percent_with_62_percent_in_year_one():
    h1, h2 = termination_hazards(0.22)
    p1 = 1 - (1 - h1) ** 12
    p2 = (1 - p1) * (1 - (1 - h2) ** 12)
    assert p1 + p2 == pytest.approx(0.22, abs=1e-9)
    assert p1 / (p1 + p2) == pytest.approx(0.62, abs=1e-9)


def test_hire_cost_of_one_hire_is_the_array_formula_to_the_last_bit():
    # One firm's cost (a quit, a pre-hire) takes a scalar path; it must equal the array path.
    rng = np.random.default_rng(3)
    for m, r, s in zip(rng.random(200), rng.random(200) * 0.6, rng.random(200), strict=True):
        for rate in (np.float64(r), 0.0, 1e-9):
            fast = hire_cost_weeks(np.float64(m), float(s), rate, 0.07, 16.0, 0.5, 0.05)
            slow = hire_cost_weeks(
                np.asarray(m), np.asarray(s), np.asarray(rate), 0.07, 16.0, 0.5, 0.05
            )
            assert fast.tobytes() == slow.tobytes()
