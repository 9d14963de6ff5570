import numpy as np
import oracles as ref
import pytest

from community_sim.mechanics.skills import (
    drift_step,
    effective_mismatch,
    learn_step,
    productivity_ramp,
    skill_match,
)


def test_productivity_ramp_follows_muehlemann_wolter():
    assert [productivity_ramp(m) for m in (0, 11)] == [0.20, 0.20]
    assert [productivity_ramp(m) for m in (12, 23)] == [0.47, 0.47]
    assert [productivity_ramp(m) for m in (24, 35, 40, -1)] == [0.63, 0.63, 0.63, 0.20]


def test_unused_competencies_decay_and_used_ones_grow():
    assert learn_step(0.8, 0.0, 0.1, 0.1 / 12, 0.0125 / 12) < 0.8  # not used: decays
    assert learn_step(0.2, 0.9, 0.1, 0.1 / 12, 0.0) == pytest.approx(0.2 + 0.1 * 0.7)
    assert learn_step(0.2, 0.9, 3.0, 0.0, 0.0) == pytest.approx(0.9)  # rate capped at 1
    # Depreciation alone lowers a skill already at its target.
    assert learn_step(0.5, 0.5, 0.1, 0.0, 0.01) == pytest.approx(0.5 * 0.99)
    rng = np.random.default_rng(0)
    s, t, r = rng.random((50, 4)), rng.random((50, 4)), rng.random(50) * 1.5
    want = ref.learn(s, t, r, 0.01, 0.001)
    got = [[learn_step(s[i, k], t[i, k], r[i], 0.01, 0.001) for k in range(4)] for i in range(50)]
    assert np.array_equal(np.array(got), want)


def test_effective_mismatch_is_one_minus_match_times_capped_aptitude():
    assert effective_mismatch(0.8, 0.5) == pytest.approx(0.6)
    assert effective_mismatch(0.8, 2.0) == pytest.approx(0.2)  # performance capped at 1
    rng = np.random.default_rng(1)
    m, a = rng.random(500), rng.lognormal(0.0, 0.6, 500)
    assert np.array_equal(effective_mismatch(m, a), ref.mismatch(m, a))


def test_match_counts_only_shortfalls():
    d = np.array([0.5, 0.5])
    assert skill_match(np.array([[0.5, 0.5]]), d)[0] == pytest.approx(1.0)
    assert skill_match(np.array([[0.9, 0.9]]), d)[0] == pytest.approx(1.0)
    assert skill_match(np.array([[0.0, 0.5]]), d)[0] == pytest.approx(0.5)
    rng = np.random.default_rng(2)
    s, dd = rng.random((40, 1, 8)), rng.random((1, 6, 8))
    assert np.array_equal(skill_match(s, dd), ref.skill_match(s, dd))


def test_drift_renews_about_tech_drift_of_the_profile_per_year():
    rng = np.random.default_rng(0)
    k = 2000  # many competencies: average annual change per competency
    sector = np.full(k, 0.5)
    dev = np.zeros((1, k))
    start = sector.copy()
    for _ in range(12):
        sector, dev = drift_step(sector, dev, 0.10, 0.0, rng)
    renewed = np.abs(sector - start).mean() / 0.5
    assert renewed == pytest.approx(0.10, rel=0.1)


def test_common_drift_keeps_firms_together_and_firm_drift_reaches_its_stationary_spread():
    from community_sim.mechanics.skills import FIRM_DRIFT_REVERSION, monthly_drift_sd

    rng = np.random.default_rng(1)
    sector = np.full(8, 0.5)
    dev = np.zeros((5, 8))
    for _ in range(60):
        sector, dev = drift_step(sector, dev, 0.2, 0.0, rng)  # all drift is common
    assert np.allclose(dev, 0.0) and not np.allclose(sector, 0.5)
    # firm-specific share: dev follows an AR(1), x' = (1 - r) x + s e, whose
    # stationary variance is s^2 / (1 - (1 - r)^2)
    share, drift = 0.5, 0.2
    dev = np.zeros((400, 50))
    for _ in range(600):  # ~17 reversion times: stationary
        sector, dev = drift_step(np.full(50, 0.5), dev, drift, share, rng)
    s2 = monthly_drift_sd(drift) ** 2 * share
    assert dev.var() == pytest.approx(s2 / (1 - (1 - FIRM_DRIFT_REVERSION) ** 2), rel=0.05)


def test_reflect_is_the_mirror_image_chosen_element_by_element():
    from community_sim.mechanics.skills import reflect

    def chosen(x, low, high):
        x = np.where(x > high, 2.0 * high - x, x)
        x = np.where(x < low, 2.0 * low - x, x)
        return np.clip(x, low, high)

    rng = np.random.default_rng(0)
    for scale in (1e-3, 0.5, 3.0):
        x = 0.5 + scale * rng.standard_normal(50_000)
        x[:6] = [1.0, 0.05, np.nextafter(1.0, 2.0), np.nextafter(0.05, 0.0), 2.0, 1.95]
        for low, high in ((0.05, 1.0), (0.0, 1.0), (0.3, 0.8)):
            assert np.array_equal(reflect(x, low, high), chosen(x, low, high))
