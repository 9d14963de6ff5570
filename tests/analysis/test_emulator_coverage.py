"""Emulated Sobol' intervals against analytic indices, over repeated noisy designs.

``f = x1 + x2² + x1·x3`` on the unit cube has (by hand, the ANOVA terms
``1.5·x1``, ``x2²``, ``x3/2`` and ``(x1 - ½)(x3 - ½)``) V1 = 3/16, V2 = 4/45,
V3 = 1/48, V13 = 1/144. Noise of 5 % of one run's variance, 128 points × 2
replicates: the emulator is usually accepted, and its 95 % intervals must then
hold the analytic values at close to the nominal rate.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest
from scipy.stats import qmc
from threadpoolctl import threadpool_limits

from community_sim.analysis.sensitivity.emulated import mark_unresolved
from community_sim.analysis.sensitivity.emulator import GPEmulator, emulated_sobol, holdout_mask
from community_sim.analysis.sensitivity.emulator_check import validate

V1, V2, V3, V13 = 3 / 16, 4 / 45, 1 / 48, 1 / 144
V = V1 + V2 + V3 + V13
S1 = np.array([V1, V2, V3]) / V
ST = np.array([V1 + V13, V2, V3 + V13]) / V


def f(u: np.ndarray) -> np.ndarray:
    return u[:, 0] + u[:, 1] ** 2 + u[:, 0] * u[:, 2]


@cache
def coverage(seeds: int, share: float = 0.05) -> tuple[int, np.ndarray, np.ndarray]:
    """(accepted fits, per-input S1 coverage, per-input ST coverage) over ``seeds``."""
    hits1, hitst = [], []
    with threadpool_limits(1):
        for seed in range(seeds):
            rng = np.random.default_rng([seed, 7])
            u = qmc.Sobol(3, scramble=True, seed=rng).random(128)
            sd = np.sqrt(V * share / (1 - share))
            y = f(u)[:, None] + sd * rng.standard_normal((128, 2))
            test = holdout_mask(128)
            em = GPEmulator(u[~test], y[~test], seed=seed)
            if not validate(em, u[test], y[test], int((~test).sum()), rng=rng).accepted:
                continue
            res = emulated_sobol(em, 3, n_base=1024, n_draw_base=64, n_boot=100, rng=rng)
            hits1.append(np.abs(res.S1 - S1) <= res.S1_conf)
            hitst.append(np.abs(res.ST - ST) <= res.ST_conf)
    return len(hits1), np.mean(hits1, axis=0), np.mean(hitst, axis=0)


@pytest.mark.slow
def test_emulated_intervals_cover_the_analytic_indices():
    accepted, s1, st = coverage(20)
    assert accepted >= 10
    # every index's interval holds its analytic value in at least 80 % of the accepted
    # fits: the lower 5 % binomial tail of 95 % coverage over 10-20 fits
    assert s1.min() >= 0.8 and st.min() >= 0.8


def test_hyperparameter_draws_widen_the_intervals():
    rng = np.random.default_rng(1)
    u = qmc.Sobol(3, scramble=True, seed=2).random(64)
    em = GPEmulator(u, f(u)[:, None] + 0.05 * rng.standard_normal((64, 2)), seed=0)
    thetas = em.hyper_draws(10, np.random.default_rng(0))
    np.testing.assert_array_equal(thetas[0], em._gp.kernel_.theta)
    assert np.ptp(thetas, axis=0).max() > 0  # the length scales are not pinned by 64 points
    kw = dict(n_base=512, n_draw_base=64, n_boot=50)
    fixed = emulated_sobol(em, 3, n_hyper=1, rng=np.random.default_rng(3), **kw)
    spread = emulated_sobol(em, 3, n_hyper=10, rng=np.random.default_rng(3), **kw)
    assert np.sum(spread.ST_conf) > np.sum(fixed.ST_conf)


def test_an_input_at_its_length_scale_bound_is_unresolved_not_zero():
    # x3 does nothing: its length scale runs to the upper bound and the draws would say 0 ± 0
    u = qmc.Sobol(3, scramble=True, seed=4).random(64)
    em = GPEmulator(u, (u[:, 0] + u[:, 1] ** 2)[:, None], seed=0)
    assert em.at_bound().tolist() == [False, False, True]
    res = emulated_sobol(em, 3, n_base=512, n_draw_base=64, n_boot=50)
    frame = pd.DataFrame(
        {"parameter": ["x1", "x2", "x3"], "S1": res.S1, "S1_conf": res.S1_conf}
        | {"ST": res.ST, "ST_conf": res.ST_conf, "note": [None] * 3}
    )
    out, notes = mark_unresolved(frame, em.at_bound(), "y [mean]")
    assert out.loc[2, ["S1", "S1_conf", "ST", "ST_conf"]].isna().all()
    assert "unresolved" in out.loc[2, "note"] and "x3" in notes[0]
    assert out.loc[:1, ["S1", "ST"]].notna().all().all()
