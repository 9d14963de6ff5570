"""The rules the ingredients of integration added, against their reference formulations."""

import numpy as np
import oracles as ref
import pytest

from community_sim.mechanics.labour import move_on_probs, tenure_noise, worth_hiring
from community_sim.mechanics.skills import module_rate, rotation_target, spread_rate


@pytest.mark.parametrize("seed", range(4))
def test_worth_hiring_is_beating_the_market_or_costing_no_more_net_of_the_bonus(seed):
    rng = np.random.default_rng(seed)
    for _ in range(400):
        fit, bar = rng.uniform(0.3, 1.0), rng.uniform(0.5, 0.95)
        factor, search = rng.uniform(5.0, 30.0), rng.choice([0.0, 0.4, 1.0])
        bonus = rng.choice([0.0, rng.uniform(0.0, 10.0)])
        net = ref.hire_weeks(factor, search, 1.0 - fit) - bonus
        want = fit >= bar or (bonus > 0 and net <= ref.hire_weeks(factor, search, 1.0 - bar))
        assert worth_hiring(fit, bar, factor, search, bonus) == want


def test_a_bonus_lowers_the_fit_a_kept_trainee_needs_by_its_weeks_of_post_match_cost():
    # In the linear range of the bracket a bonus of b weeks is worth b m0 / (0.53 factor) of fit.
    factor, bar, b = 16.0, 0.8, 2.0
    step = b * ref.M0 / (ref.POST_MATCH * factor)
    assert worth_hiring(bar - step + 1e-9, bar, factor, 0.0, b)
    assert not worth_hiring(bar - step - 1e-6, bar, factor, 0.0, b)
    assert not worth_hiring(bar - 1e-9, bar, factor, 0.0, 0.0)


def test_the_share_moving_on_falls_exponentially_with_the_premium_in_months_of_wages():
    rng = np.random.default_rng(3)
    share, premium = rng.uniform(0, 1, 200), rng.uniform(-100, 30000, 200)
    wage, el = rng.uniform(2000, 9000, 200), rng.uniform(0.0, 2.0, 200)
    got = move_on_probs(share, premium, wage, el)
    assert np.allclose(got, ref.move_on(share, premium, wage, el), rtol=1e-14, atol=0)
    assert move_on_probs(0.4, 6000.0, 6000.0, np.log(2.0)) == pytest.approx(0.2)


def test_noise_falls_with_years_of_membership_and_not_without_the_ingredient():
    for factor, rate, months in [
        (0.3, 0.2, 24.0),
        (1.0, 1.5, 7.0),
        (0.5, 0.0, 60.0),
        (0.3, 0.4, 0.0),
    ]:
        assert tenure_noise(factor, rate, months) == pytest.approx(
            ref.tenure_noise(factor, rate, months), rel=1e-14
        )
    assert tenure_noise(0.3, 0.0, 120.0) == 0.3
    assert tenure_noise(1.0, np.log(2.0), 12.0) == pytest.approx(0.5)  # halves in a year


def test_rotation_target_reaches_the_union_and_the_rate_spreads_over_its_wider_gaps():
    rng = np.random.default_rng(4)
    host, union = rng.uniform(0.05, 1.0, 8), rng.uniform(0.05, 1.0, 8)
    union = np.maximum(union, host)  # the union of members includes the host
    skills = rng.uniform(0.0, 1.0, 8)
    for share in (0.0, 0.3, 1.0):
        target = np.array([rotation_target(h, u, share) for h, u in zip(host, union, strict=True)])
        assert np.array_equal(target, ref.rotation_target(host, union, share))
        host_gap = float(np.maximum(host - skills, 0).cumsum()[-1])
        target_gap = float(np.maximum(target - skills, 0).cumsum()[-1])
        got = spread_rate(0.1, host_gap, target_gap)
        assert got == pytest.approx(float(ref.spread_rate(0.1, skills, host, target)), rel=1e-12)
        # The same total shortfall closed a month, whatever the target's breadth.
        assert got * target_gap == pytest.approx(0.1 * host_gap, rel=1e-12)
    assert spread_rate(0.1, 0.5, 0.5) == 0.1 and spread_rate(0.1, 0.0, 0.0) == 0.1


def test_a_module_adds_its_share_of_the_college_rate():
    assert module_rate(0.09, 0.25, 0.04) == pytest.approx(0.09 + 0.01)
    assert module_rate(0.09, 0.0, 0.04) == 0.09
    assert module_rate(0.09, 0.5, 0.04) == ref.module_rate(0.09, 0.5, 0.04)
