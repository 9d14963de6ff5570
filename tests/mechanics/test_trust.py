import numpy as np
import pytest

from community_sim.mechanics.trust import (
    annuity,
    delivered,
    leaves,
    term_ends,
    tie_value,
    trust_after_review,
    update_trust,
)


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


# --- the review verdict: what the partner delivered, never the fees -----------------------


def _oracle_trust(trust, departures, hosted, fit_sum, judged, d0, tol, gain, loss):
    """Written from the documented rule, independently of the compiled one."""
    if hosted == 0 and judged == 0:
        return trust
    kept = (1 - departures / hosted) / (1 - d0) if hosted else 1.0
    quality = fit_sum / judged if judged else 1.0
    good = kept * quality >= 1 - tol
    return trust + gain * (1 - trust) if good else trust - loss * trust


@pytest.mark.parametrize(
    "case",
    [
        (0.5, 0, 10, 10.0, 10, 0.11, 0.1),  # as expected: good
        (0.5, 3, 10, 10.0, 10, 0.11, 0.1),  # 30 % left against 11 %: bad
        (0.5, 1, 10, 9.5, 10, 0.11, 0.1),  # within tolerance: good
        (0.5, 0, 4, 3.0, 4, 0.11, 0.1),  # apprentices fit worse than expected: bad
        (0.8, 0, 0, 0.0, 0, 0.11, 0.1),  # nothing delivered to judge: unchanged
        (0.3, 0, 0, 2.4, 2, 0.11, 0.0),  # hires only, better than expected: good
    ],
)
def test_trust_after_review_matches_the_documented_rule(case):
    trust, dep, hosted, fits, judged, d0, tol = case
    got = float(trust_after_review(trust, dep, hosted, fits, judged, d0, tol, 0.1, 0.3))
    assert got == pytest.approx(_oracle_trust(trust, dep, hosted, fits, judged, d0, tol, 0.1, 0.3))


def test_delivered_is_nan_when_nothing_was_delivered():
    assert np.isnan(delivered(0, 0, 0.0, 0, 0.11))
    assert delivered(0, 10, 10.0, 10, 0.0) == pytest.approx(1.0)


def test_a_term_ends_every_whole_term_of_academic_years():
    # Joined at start-up (month 0): Augusts are months 11, 23, 35, ...
    ends = [m for m in range(11, 120, 12) if term_ends(m, 0, 36)]
    assert ends == [35, 71, 107]
    # Joined in August (month 11): the first term ends three Augusts later.
    assert [m for m in range(23, 120, 12) if term_ends(m, 11, 36)] == [47, 83, 119]
    # A 12-month term ends at every yearly review; 18 months round up to two years.
    assert all(term_ends(m, 11, 12) for m in range(23, 120, 12))
    assert [m for m in range(23, 72, 12) if term_ends(m, 11, 18)] == [35, 59]


def test_a_firm_leaves_only_when_the_way_out_beats_staying_by_more_than_the_fee():
    assert leaves(-1.0, 0.0, 0.0)
    assert not leaves(-1.0, 0.0, 5.0)
    assert leaves(10.0, 20.0, 5.0)
    assert not leaves(10.0, 15.0, 5.0)  # equal: staying wins
