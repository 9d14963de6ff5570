"""Compiled kernels give NumPy's results to the last bit (the model's outcomes rest on it).

Each kernel is checked against the NumPy expression it replaced in the model,
on random inputs of the shapes the model meets and of awkward ones (one
competency, more than eight, the 32 the parameters allow, empty selections).
"""

import numpy as np
import pytest

from community_sim.mechanics.kernels import (
    learn_rows,
    match_pairs,
    match_rows,
    mean_fit_sums,
    row_total,
)
from community_sim.mechanics.skills import learn_step, reflect, skill_match

SKILLS = (1, 2, 7, 8, 9, 16, 17, 32)


def _profiles(rng, n, k):
    # Levels over the model's range, with exact ties to the demand level mixed in.
    return reflect(rng.uniform(0.0, 1.1, (n, k)))


@pytest.mark.parametrize("k", SKILLS)
def test_row_total_adds_in_numpys_order(k):
    rng = np.random.default_rng(k)
    # Wide magnitudes make the order of additions visible in the last bits.
    x = rng.uniform(0, 1, (400, k)) * 10.0 ** rng.uniform(-8, 8, (400, k))
    got = np.array([row_total(row.copy(), k) for row in x])
    assert np.array_equal(got, np.add.reduce(x, axis=-1))
    if k >= 8:  # a sequential sum would differ somewhere: the test can tell orders apart
        seq = x[:, 0].copy()
        for q in range(1, k):
            seq += x[:, q]
        assert not np.array_equal(seq, got)


@pytest.mark.parametrize("k", SKILLS)
@pytest.mark.parametrize("n", [0, 1, 5, 300, 2500])
def test_match_pairs_and_rows_equal_skill_match(k, n):
    rng = np.random.default_rng(1000 * k + n)
    skills = _profiles(rng, 3000, k)
    demand = _profiles(rng, 24, k)
    rows = rng.integers(0, 3000, n)
    jobs = rng.integers(0, 24, n)
    want = skill_match(skills.take(rows, axis=0), demand.take(jobs, axis=0))
    assert np.array_equal(match_pairs(skills, rows, demand, jobs), want)
    want_one = skill_match(skills.take(rows, axis=0), demand[3])
    assert np.array_equal(match_rows(skills, rows, demand[3]), want_one)


@pytest.mark.parametrize("k", SKILLS)
@pytest.mark.parametrize("jobs", [2, 3, 24, 60])
def test_mean_fit_sums_equal_reduced_match_table(k, jobs):
    rng = np.random.default_rng(k + 100 * jobs)
    workers = _profiles(rng, 256, k)
    demand = _profiles(rng, jobs, k)
    want = np.add.reduce(skill_match(workers[:, None, :], demand[None, :, :]), axis=0)
    got = mean_fit_sums(np.ascontiguousarray(workers.T), demand)
    assert np.array_equal(got, want)


@pytest.mark.parametrize("k", SKILLS)
def test_learn_rows_equals_learn_step_on_active_rows(k):
    rng = np.random.default_rng(k)
    n, lo = 700, 50
    skills = _profiles(rng, lo + n, k)
    targets = _profiles(rng, 30, k)
    key = rng.integers(0, 30, n)
    rate = rng.uniform(0.0, 1.5, n)  # some above the cap of 1
    active = rng.random(n) < 0.8
    disuse, dep = 0.15 / 12.0, 0.013 / 12.0
    before = skills.copy()
    want = learn_step(before[lo:], targets.take(key, axis=0), rate, disuse, dep)
    want[~active] = before[lo:][~active]
    learn_rows(skills, lo, active, key, targets, rate, disuse, 1.0 - dep)
    assert np.array_equal(skills[:lo], before[:lo])
    assert np.array_equal(skills[lo:], want)
