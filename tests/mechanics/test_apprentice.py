import numpy as np
import oracles as ref
import pytest

from community_sim.mechanics.apprentice import reference_mismatch, relative_fit, relative_output
from community_sim.mechanics.council import observed_performance, seen_performance


def test_the_average_apprentice_of_each_year_has_relative_fit_one():
    for first in (True, False):
        m = reference_mismatch(first)
        assert relative_fit(m, m) == pytest.approx(1.0)
    assert reference_mismatch(True) == 0.172 and reference_mismatch(False) == 0.043
    assert relative_fit(0.0, 0.172) == pytest.approx(1.0 / 0.828)
    assert relative_fit(0.0, 0.3) == 1.25  # 1 / 0.7, capped
    assert relative_fit(1.0, 0.172) == 0.0


def test_relative_output_is_ramp_times_relative_fit():
    rng = np.random.default_rng(0)
    skills, demand = rng.random((300, 8)), rng.random((10, 8))
    apt = rng.lognormal(0.0, 0.6, 300)
    rows, hosts = rng.integers(0, 300, 200), rng.integers(0, 10, 200)
    month, first = rng.integers(0, 40, 200), rng.random(200) < 0.5
    mis = ref.mismatch(ref.skill_match(skills[rows], demand[hosts]), apt[rows])
    want = ref.ramp(month) * ref.relative_fit(mis, ref.reference(first))
    got = relative_output(skills, apt, rows, hosts, demand, month, first)
    assert np.array_equal(got, want)


def test_a_hosts_signal_is_aptitude_times_noise_capped_at_one():
    assert seen_performance(0.5, 1.2) == pytest.approx(0.6)
    assert seen_performance(0.9, 1.5) == 1.0
    rng = np.random.default_rng(1)
    apt, z = rng.lognormal(0.0, 0.6, 300), rng.standard_normal(300)
    assert np.array_equal(observed_performance(apt, 0.3, z), ref.seen(apt, np.exp(0.3 * z)))
