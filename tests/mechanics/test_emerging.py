import math

import numpy as np
import oracles as ref
import pytest

from community_sim.mechanics.skills import LEVEL_LOW
from community_sim.mechanics.technology import emerging_profiles


def test_new_competencies_are_half_adopted_after_one_half_life():
    full = np.array([[0.6, 0.7, 0.9, 0.45]])
    # at a rate of ln 2 a year, half the way to maturity after 12 months, a quarter left at 24
    half = emerging_profiles(full, 2, np.array([12.0]), math.log(2.0))
    assert half[0, :2].tolist() == [0.6, 0.7]  # established competencies untouched
    assert half[0, 2:] == pytest.approx(LEVEL_LOW + 0.5 * (full[0, 2:] - LEVEL_LOW))
    later = emerging_profiles(full, 2, np.array([24.0]), math.log(2.0))
    assert later[0, 2:] == pytest.approx(LEVEL_LOW + 0.75 * (full[0, 2:] - LEVEL_LOW))


def test_before_adoption_new_competencies_are_required_at_the_lowest_level():
    full = np.full((3, 5), 0.8)
    out = emerging_profiles(full, 3, np.array([0.0, -7.0, 1e9]), 0.3)
    assert np.all(out[:2, 3:] == LEVEL_LOW)  # not yet adopted (a late adopter: negative)
    assert out[2, 3:] == pytest.approx(0.8)  # long adopted: at maturity
    assert np.all(out[:, :3] == 0.8)


def test_emerging_profiles_match_the_reference_formulation():
    rng = np.random.default_rng(3)
    full = rng.uniform(LEVEL_LOW, 1.0, (60, 8))
    months = rng.normal(30.0, 25.0, 60)
    for first, rate in ((6, 0.2), (0, 1.0), (7, 0.05)):
        got = emerging_profiles(full, first, months, rate)
        assert np.array_equal(got, ref.emerging_profiles(full, first, months, rate))
