"""PRIM's honesty: boxes judged on data that did not choose them, no-box and small-design notes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from community_sim.discovery.prim import run_prim
from community_sim.discovery.settings import Settings
from community_sim.discovery.space import Dimension, Space
from community_sim.discovery.validate import holdout_lines, permutation_p


def noisy_space(n: int, dim: int, seed: int) -> Space:
    rng = np.random.default_rng(seed)
    names = [f"x{i}" for i in range(dim)]
    frame = pd.DataFrame(rng.random((n, dim)), columns=names)
    return Space(tuple(Dimension(c, "real", 0.0, 1.0) for c in names), frame)


def real_box(space: Space, seed: int) -> np.ndarray:
    """Cases: x0 > 0.6 and x1 < 0.4 with 90 % probability, elsewhere 10 %."""
    f = space.frame
    inside = ((f["x0"] > 0.6) & (f["x1"] < 0.4)).to_numpy()
    u = np.random.default_rng(seed).random(len(f))
    return np.where(inside, u < 0.9, u < 0.1)


@pytest.mark.slow
def test_permutation_p_tells_a_real_box_from_noise():
    space = noisy_space(300, 4, 1)
    score, p, n = permutation_p(space, real_box(space, 2), Settings(), run_prim, n_perm=19)
    assert n == 19
    assert p == pytest.approx(1 / 20) and score > 0.5  # no relabelling does as well
    # a box PRIM finds in noise (its quasi-p-values on the same data look convincing)
    # is matched by some relabelling
    null = np.random.default_rng(3).random(300) < 0.3
    _, p_null, _ = permutation_p(space, null, Settings(min_density=0.5), run_prim, n_perm=9)
    assert p_null > 0.1


def test_holdout_judges_the_box_on_the_other_half():
    space = noisy_space(400, 4, 4)
    lines = holdout_lines(space, real_box(space, 5), Settings(), run_prim, seed=1)
    assert "200 random points" in lines[0]
    held = float(lines[1].split("→ ")[1].split(" held out")[0])
    assert held >= 0.75  # the region is real: its density survives on unseen points
    null = np.random.default_rng(6).random(400) < 0.3
    lines = holdout_lines(space, null, Settings(min_density=0.5), run_prim, seed=1)
    if len(lines) > 1 and "box 1" in lines[1]:
        held = float(lines[1].split("→ ")[1].split(" held out")[0])
        assert held < 0.5  # a box fitted to noise falls back toward the base rate 0.3


def test_no_box_reports_the_best_density_reached_and_a_small_design_is_warned():
    space = noisy_space(60, 4, 7)
    null = np.random.default_rng(8).random(60) < 0.3
    found = run_prim(space, null, Settings(min_density=1.0))
    assert not found.boxes
    note = next(n for n in found.notes if "best density reached" in n)
    assert "coverage" in note and "cases in" in note
    assert any("60 points for 4 inputs" in n for n in found.notes)
    assert any("smallest box holds 3 points" in n for n in found.notes)
    big = noisy_space(400, 4, 7)
    found = run_prim(big, real_box(big, 9), Settings())
    assert not any(n.startswith("warning") for n in found.notes)
