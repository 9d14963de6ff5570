"""Objectives whose optimum is known by hand: paired differences, robust scores, three objectives.

References
----------
Deb, K., Thiele, L., Laumanns, M. & Zitzler, E. (2005) Scalable test problems for
    evolutionary multiobjective optimization. In: Evolutionary Multiobjective
    Optimization, Springer, 105–145 (DTLZ2: front Σ f² = 1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from community_sim.experiment.spec import load_spec
from community_sim.optimize import optimize
from community_sim.optimize.evaluate import scenario_table
from community_sim.optimize.settings import settings_of


def _write(folder, text: str):
    path = folder / "spec.toml"
    path.write_text(text)
    return path


def test_a_paired_difference_and_a_per_policy_output_as_objectives(tmp_path):
    # diff:y = 0.5 - 0.8 x (min at x = 1) against y@project = (x - 0.3)² (min at x = 0.3):
    # the front is x in [0.3, 1] (of the points evaluated, one just below 0.3 may be on it)
    spec = _write(
        tmp_path,
        'name = "gap"\nmodel = "mo_models:policy_gap"\ncompare = ["project", "integrated"]\n'
        "[optimize]\nevaluations = 200\npopulation = 20\n"
        'objectives = { "diff:y" = "min", "y@project" = "min" }\n'
        "[optimize.levers]\nx = { low = 0.0, high = 1.0 }\n",
    )
    s = optimize(spec, tmp_path / "o", formats=())
    x = s.pareto["x"].to_numpy()
    assert s.runs == 400  # both policies for each candidate
    assert 0.29 < x.min() < 0.32 and 0.95 < x.max() <= 1.0
    np.testing.assert_allclose(s.pareto["diff:y"], 0.5 - 0.8 * x, atol=1e-12)
    np.testing.assert_allclose(s.pareto["y@project"], (x - 0.3) ** 2, atol=1e-12)


def _robust(tmp_path, metric: str):
    spec = _write(
        tmp_path,
        f'name = "robust"\nmodel = "mo_models:distance"\nseed = 5\n[optimize]\n'
        f'evaluations = 300\npopulation = 20\nscenarios = 9\nrobustness = "{metric}"\n'
        'objectives = { y = "min" }\n[optimize.levers]\nx = { low = 0.0, high = 1.0 }\n'
        "[optimize.uncertainties]\nu = { low = 0.0, high = 1.0 }\n",
    )
    loaded = load_spec(spec, optimize=True)
    u = scenario_table(loaded, settings_of(loaded))["u"].to_numpy()
    s = optimize(spec, tmp_path / metric.replace(":", "_"), formats=())
    hist = pd.read_parquet(tmp_path / metric.replace(":", "_") / "optimize" / "history.parquet")
    return u, s.pareto, hist


@pytest.mark.slow
def test_minimax_regret_and_mean_pick_their_analytic_candidates(tmp_path):
    # y = (x - u)²; the best candidate of each scenario has x ≈ u (regret ≈ 0), so the
    # minimax-regret x is the midrange of the scenarios' u, the min-mean x their mean
    u, pareto, hist = _robust(tmp_path, "regret")
    assert len(u) == 9 and len(np.unique(np.floor(u * 9))) == 9  # one u per ninth (LHS)
    assert len(pareto) == 1
    assert abs(pareto["x"].iloc[0] - (u.min() + u.max()) / 2) < 0.01
    best = np.array([(hist["x"] - v).pow(2).min() for v in u])  # each scenario's best y
    by_hand = max((pareto["x"].iloc[0] - v) ** 2 - b for v, b in zip(u, best, strict=True))
    assert abs(pareto["y"].iloc[0] - by_hand) < 1e-12
    u, pareto, _ = _robust(tmp_path, "mean")
    assert abs(pareto["x"].iloc[0] - u.mean()) < 0.01


@pytest.mark.slow
def test_nsga3_on_dtlz2_reaches_the_unit_sphere(tmp_path):
    levers = "\n".join(f"x{i} = {{ low = 0.0, high = 1.0 }}" for i in range(1, 5))
    spec = _write(
        tmp_path,
        'name = "dtlz2"\nmodel = "mo_models:dtlz2"\nseed = 2\n[optimize]\n'
        'algorithm = "nsga3"\nevaluations = 720\npopulation = 36\n'
        'objectives = { f1 = "min", f2 = "min", f3 = "min" }\n'
        f"[optimize.levers]\n{levers}\n",
    )
    s = optimize(spec, tmp_path / "o", formats=())
    radius = np.sqrt((s.pareto[["f1", "f2", "f3"]] ** 2).sum(axis=1))
    assert s.evaluations == 720 and len(s.pareto) >= 36
    assert radius.min() >= 1 - 1e-12 and radius.median() < 1.02
