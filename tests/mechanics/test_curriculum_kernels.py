"""The month's teacher currency and curricula, compiled, against the NumPy formulation."""

import numpy as np
import pytest

from community_sim.mechanics.council import (
    currency_level,
    follow_public_signal,
    teacher_currency_step,
)


def _numpy_month(curricula, currency, lagged, placed, training, ageing, rate):
    """The plain array formulation: currency, then each curriculum toward the signal."""
    refresh = np.clip(training + placed, 0.0, 1.0)
    theta = np.clip(currency * (1.0 - ageing) + refresh * (1.0 - currency), 0.0, 1.0)
    speed = np.clip(rate * theta / 12.0, 0.0, 1.0)
    return theta, curricula + speed[:, None] * (lagged[None, :] - curricula)


@pytest.mark.parametrize("seed", range(8))
def test_follow_public_signal_equals_the_array_formulation(seed):
    rng = np.random.default_rng(seed)
    n_s, k = int(rng.integers(1, 12)), int(rng.integers(1, 17))
    curricula, lagged = rng.uniform(0, 1, (n_s, k)), rng.uniform(0, 1, k)
    currency = rng.uniform(0, 1, n_s)
    placed = rng.uniform(-0.1, 1.2, n_s)  # shares out of range are clipped
    training, ageing, rate = rng.uniform(0, 0.02), rng.uniform(0, 0.05), rng.uniform(0, 30)
    got = follow_public_signal(curricula, currency, lagged, placed, training, ageing, rate)
    want = _numpy_month(curricula, currency, lagged, placed, training, ageing, rate)
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
    assert np.array_equal(teacher_currency_step(currency, ageing, training + placed), want[0])


def test_currency_settles_at_refresh_over_refresh_plus_ageing():
    # θ' = θ(1 - a) + r(1 - θ) has the fixed point r / (r + a).
    theta, a, r = 0.9, 0.01, 0.004
    for _ in range(5000):
        theta = currency_level(theta, a, r)
    assert theta == pytest.approx(r / (r + a), rel=1e-9)
