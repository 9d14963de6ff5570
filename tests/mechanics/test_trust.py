import pytest

from community_sim.mechanics.trust import annuity, tie_value, update_trust


def test_trust_gains_slower_than_losses():
    up = float(update_trust(0.5, True, 0.10, 0.30)) - 0.5
    down = 0.5 - float(update_trust(0.5, False, 0.10, 0.30))
    assert 0 < up < down
    # One bad period undoes several good ones.
    t = 0.5
    for _ in range(3):
        t = float(update_trust(t, True, 0.10, 0.30))
    assert float(update_trust(t, False, 0.10, 0.30)) < 0.5


def test_trust_stays_in_unit_interval():
    assert float(update_trust(1.0, True, 1.0, 1.0)) == pytest.approx(1.0)
    assert float(update_trust(0.0, False, 1.0, 1.0)) == pytest.approx(0.0)


def test_trust_moves_by_the_stated_shares():
    assert update_trust(0.5, True, 0.10, 0.30) == pytest.approx(0.55)
    assert update_trust(0.5, False, 0.10, 0.30) == pytest.approx(0.35)


def test_tie_value_is_trust_weighted_surplus_less_costs():
    a = annuity(0.0, 3)
    assert a == pytest.approx(3.0)
    assert float(tie_value(0.5, 100.0, 20.0, 10.0, a)) == pytest.approx((50 - 20) * 3 - 10)
