import numpy as np
import pytest

from community_sim.metrics import kaplan_meier, restricted_mean, survival_at


def test_kaplan_meier_matches_a_hand_computed_example():
    # Durations 2, 3+, 4, 4, 6+: at t=2 5 at risk, 1 event; at t=4 3 at risk, 2 events.
    d = np.array([2.0, 3.0, 4.0, 4.0, 6.0])
    e = np.array([True, False, True, True, False])
    times, surv = kaplan_meier(d, e)
    assert times.tolist() == [2.0, 4.0]
    assert surv == pytest.approx([0.8, 0.8 * (1 - 2 / 3)])
    assert survival_at(times, surv, 1.0) == 1.0
    assert survival_at(times, surv, 5.0) == pytest.approx(0.8 / 3)
    # Area: 1*2 + 0.8*2 + (0.8/3)*2 on [0, 6].
    assert restricted_mean(times, surv, 6.0) == pytest.approx(2 + 1.6 + 1.6 / 3)


def test_all_censored_spells_survive():
    times, surv = kaplan_meier(np.array([5.0, 70.0]), np.array([False, False]))
    assert survival_at(times, surv, 60.0) == 1.0
    assert restricted_mean(times, surv, 80.0) == pytest.approx(80.0)
