"""Pattern statistics read from a run, checked against quantities known independently."""

from __future__ import annotations

import math

import numpy as np
import pytest

from community_sim.mechanics.labour import REFERENCE_MISMATCH
from community_sim.patterns.observe import STATISTICS, expected_post_factor, observed_run
from community_sim.runner import run

SMALL = {
    "horizon_months": 60, "burn_in_months": 12, "n_schools": 2, "n_leading": 2, "n_smes": 8,
    "intake_per_school": 60,
}  # fmt: skip


def test_observing_does_not_change_the_run():
    obs = observed_run(SMALL, seed=3)
    ref = run(SMALL, seed=3).outcomes
    assert {k: obs[k] for k in ref} == ref
    assert set(STATISTICS) <= set(obs)


def test_no_early_terminations_when_the_hazard_is_zero():
    obs = observed_run({**SMALL, "early_termination_rate": 0.0}, seed=1)
    assert obs["early_termination_share"] == 0.0
    assert math.isnan(obs["early_termination_year1_share"])  # no early end: not observed


def test_productivity_follows_the_ramp_with_fit_capped():
    obs = observed_run(SMALL, seed=2)
    # ramp 0.47 / 0.63 times a relative fit in [0, 1.25] (processes.placement)
    assert 0.0 < obs["relative_productivity_y2"] <= 0.47 * 1.25 + 1e-12
    assert 0.0 < obs["relative_productivity_y3"] <= 0.63 * 1.25 + 1e-12


def test_split_sums_to_one_and_matches_the_calibration_split_at_reference_mismatch():
    obs = observed_run(SMALL, seed=4)
    parts = [obs[f"external_{k}_share"] for k in ("search", "disruption", "post_match")]
    assert sum(parts) == pytest.approx(1.0)
    # A hire of aptitude >= 1 whose match is 1 - m0 has mismatch m0: post factor exactly 1.
    assert expected_post_factor(np.array([1.0 - REFERENCE_MISMATCH]), 1e-9)[0] == pytest.approx(1)
    # Post factor is capped at 3 and falls with the match.
    f = expected_post_factor(np.array([0.0, 0.5, 0.9]), 0.3)
    assert f[0] == pytest.approx(3.0) and f[0] >= f[1] >= f[2]
