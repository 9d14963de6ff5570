"""Both regimes exist: each policy is ahead on five-year survival somewhere, through priced
mechanisms (configs/regime_*.toml; the same seeds under both policies, paired)."""

from pathlib import Path

import numpy as np
import pytest

from community_sim import run
from community_sim.params.scenarios import load_scenario

CONFIGS = Path(__file__).parents[2] / "configs"
SEEDS = range(8)


def _outcomes(config: str, **extra):
    params = {**load_scenario(CONFIGS / config).params, **extra}
    by_policy = {}
    for policy in ("project", "integrated"):
        runs = [run({**params, "policy": policy}, seed=s).outcomes for s in SEEDS]
        by_policy[policy] = {k: np.array([o[k] for o in runs]) for k in runs[0]}
    return by_policy


@pytest.fixture(scope="module")
def integrated_regime():
    return _outcomes("regime_integrated_favoured.toml")


@pytest.fixture(scope="module")
def project_regime():
    return _outcomes("regime_project_favoured.toml")


def _paired_lower_bound(a: np.ndarray, b: np.ndarray) -> float:
    """One-sided 95% lower bound of the mean paired difference a - b (Student t)."""
    from scipy import stats

    d = a - b
    return float(d.mean() - stats.t.ppf(0.95, d.size - 1) * d.std(ddof=1) / np.sqrt(d.size))


@pytest.mark.slow
def test_integrated_regime_keeps_partnerships_alive_longer(integrated_regime):
    survival = "partnership_survival_5y"
    proj, integ = integrated_regime["project"][survival], integrated_regime["integrated"][survival]
    assert _paired_lower_bound(integ, proj) > 0.0
    assert np.mean(integ > proj) >= 0.75


@pytest.mark.slow
def test_integrated_regime_cuts_the_cost_of_hiring_partner_graduates(integrated_regime):
    # By source, so that who takes part does not mix into the per-hire cost (Simpson).
    key = "trial_error_cost_per_hire_weeks_partner"
    proj, integ = integrated_regime["project"][key], integrated_regime["integrated"][key]
    assert _paired_lower_bound(proj, integ) > 0.5  # weeks of wages, not a rounding margin


@pytest.mark.slow
def test_project_regime_keeps_partnerships_and_firms_longer(project_regime):
    proj, integ = project_regime["project"], project_regime["integrated"]
    for key in ("partnership_survival_5y", "cooperation_survival_5y", "enterprise_participation"):
        assert _paired_lower_bound(proj[key], integ[key]) > 0.0, key


@pytest.mark.slow
def test_project_regime_returns_firms_more_per_tie_year(project_regime):
    key = "firm_return_per_tie_year"
    assert (
        _paired_lower_bound(project_regime["project"][key], project_regime["integrated"][key]) > 0
    )
