import numpy as np
import pytest

from community_sim.mechanics.skills import (
    drift_step,
    learn_step,
    productivity_ramp,
    skill_match,
)


def test_productivity_ramp_follows_muehlemann_wolter():
    assert productivity_ramp(np.array([0, 11])) == pytest.approx([0.20, 0.20])
    assert productivity_ramp(np.array([12, 23])) == pytest.approx([0.47, 0.47])
    assert productivity_ramp(np.array([24, 35, 40])) == pytest.approx([0.63, 0.63, 0.63])


def test_unused_competencies_decay_and_used_ones_grow():
    skills = np.array([[0.8, 0.2]])
    target = np.array([[0.0, 0.9]])
    after = learn_step(skills, target, np.array([0.1]), 0.1 / 12, 0.0125 / 12)
    assert after[0, 0] < 0.8  # not used: decays
    assert after[0, 1] > 0.2  # learned toward the target
    # Depreciation alone lowers a skill already at its target.
    same = learn_step(np.array([[0.5]]), np.array([[0.5]]), np.array([0.1]), 0.0, 0.01)
    assert same[0, 0] < 0.5


def test_match_counts_only_shortfalls():
    d = np.array([0.5, 0.5])
    assert skill_match(np.array([[0.5, 0.5]]), d)[0] == pytest.approx(1.0)
    assert skill_match(np.array([[0.9, 0.9]]), d)[0] == pytest.approx(1.0)
    assert skill_match(np.array([[0.0, 0.5]]), d)[0] == pytest.approx(0.5)


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


@pytest.mark.parametrize("min_rows", [1, 1024])
@pytest.mark.parametrize("k", [1, 2, 5, 7, 8, 9, 12, 16, 17, 24, 40, 130])
def test_row_sum_and_skill_match_round_exactly_as_numpy(k, min_rows, monkeypatch):
    # Column-by-column sums must reproduce NumPy's own row sums bit for bit, so that
    # the faster path never changes a model result (also when it is taken for few rows).
    from community_sim.mechanics import skills
    from community_sim.mechanics.skills import row_sum

    monkeypatch.setattr(skills, "COLUMN_SUM_MIN_ROWS", min_rows)
    monkeypatch.setattr(skills, "TABLE_MIN_CELLS", min_rows)
    rng = np.random.default_rng(k)
    for shape in [(1,), (3,), (64,), (300,), (20, 24), (2000,)]:
        x = rng.standard_normal((*shape, k)) * np.exp(5 * rng.standard_normal((*shape, k)))
        x[rng.random(x.shape) < 0.1] = 0.0
        x[rng.random(x.shape) < 0.05] = -0.0
        assert np.array_equal(row_sum(x), x.sum(axis=-1))
        assert np.array_equal(np.signbit(row_sum(x)), np.signbit(x.sum(axis=-1)))
    pairs = [
        ((300, k), (k,)),
        ((300, k), (300, k)),
        ((256, 1, k), (1, 24, k)),
        ((7, 1, k), (1, 3, k)),
        ((2000, k), (k,)),
    ]
    for s_shape, d_shape in pairs:
        s, d = rng.random(s_shape), rng.random(d_shape)
        plain = 1.0 - np.maximum(d - s, 0.0).sum(axis=-1) / np.maximum(d.sum(axis=-1), 1e-12)
        assert np.array_equal(skill_match(s, d), plain)
        # Same layout too: a mean over workers must add them in the same order.
        assert np.array_equal(skill_match(s, d).mean(axis=0), plain.mean(axis=0))


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
