"""The neutral contest: with every ingredient and council-only mechanism off and equal
non-zero tie costs, a council membership is a project contract under another name."""

from pathlib import Path

import numpy as np
import pytest

from community_sim import run
from community_sim.params.integration import all_off
from community_sim.params.scenarios import load_scenario

CONFIG = Path(__file__).resolve().parents[2] / "configs" / "neutral_integration.toml"
# The series that count ties by kind differ by definition; every other one must agree.
BY_KIND = ("ties_project", "ties_integrated")


def _overrides() -> dict:
    return dict(load_scenario(CONFIG).overrides)


def test_the_neutral_config_switches_off_every_ingredient_and_prices_ties_equally():
    o = _overrides()
    for switch, off in all_off().items():  # every ingredient the table declares, at off
        assert o.get(switch) == off, switch
    assert o["fee_schedule"] == "equal"
    for name in ("tenure_cost_decline", "integration_tax_credit", "convening_share"):
        assert o[name] == 0.0, name
    assert o["governance_cost_annual"] == 0.0 and o["integration_setup_cost"] == 0.0
    # Equal and non-zero: a year of membership costs what a year's contract renewal does.
    assert o["council_member_cost_annual"] == o["renegotiation_cost"] > 0.0
    assert o["project_length_months"] == 12


def _agree(seed: int, **extra) -> None:
    o = {**_overrides(), **extra}
    a = run({**o, "policy": "project"}, seed=seed)
    b = run({**o, "policy": "integrated"}, seed=seed)
    assert a.outcomes.keys() == b.outcomes.keys()
    for k, x in a.outcomes.items():
        y = b.outcomes[k]
        assert x == y or (np.isnan(x) and np.isnan(y)), k
    kinds = [a.series[c].to_numpy() + 0 for c in BY_KIND]
    assert kinds[0].sum() > 0 and np.array_equal(b.series["ties_integrated"], kinds[0])
    assert not kinds[1].any() and not b.series["ties_project"].to_numpy().any()
    for c in a.series.columns.difference(BY_KIND):
        assert np.array_equal(a.series[c].to_numpy(), b.series[c].to_numpy(), equal_nan=True), c


def test_project_and_integrated_agree_exactly_under_the_neutral_config_short_run():
    _agree(0, horizon_months=48, burn_in_months=12)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_project_and_integrated_agree_exactly_under_the_neutral_config(seed):
    _agree(seed)


def test_without_the_neutral_overrides_the_policies_differ():
    a = run({"policy": "project", "horizon_months": 48, "burn_in_months": 12}, seed=0)
    b = run({"policy": "integrated", "horizon_months": 48, "burn_in_months": 12}, seed=0)
    assert a.outcomes != b.outcomes
