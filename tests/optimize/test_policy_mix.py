"""The policy-mix study spec loads, states its size, and runs end to end at a tiny size."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from community_sim.experiment.spec import load_spec
from community_sim.optimize import optimize
from community_sim.optimize.settings import settings_of

SPEC = Path(__file__).resolve().parents[2] / "experiments" / "policy_mix.toml"


def test_policy_mix_loads_and_its_description_states_its_run_count():
    spec = load_spec(SPEC, optimize=True)
    s = settings_of(spec)
    assert s.algorithm == "nsga3" and len(s.objectives) == 3
    assert {f.name for f in s.levers} >= {"retention_bonus", "cofunding_share", "policy"}
    runs = s.generations * s.population * s.scenarios * s.replicates
    stated = re.search(r"= ([\d,]+) runs", spec.description)
    assert stated and int(stated.group(1).replace(",", "")) == runs


@pytest.mark.slow
def test_policy_mix_runs_at_a_tiny_size(tmp_path):
    raw = tomllib.loads(SPEC.read_text())
    raw["optimize"] |= {
        "algorithm": "nsga2",
        "population": 4,
        "evaluations": 4,
        "scenarios": 2,
        "replicates": 1,
    }
    s = optimize(
        load_spec(raw, base_dir=SPEC.parent, optimize=True),
        tmp_path / "o",
        workers=1,
        formats=("png",),
    )
    pareto = pd.read_csv(tmp_path / "o" / "optimize" / "pareto.csv")
    names = ["partnership_survival_5y", "trial_error_cost_per_hire_weeks", "government_spend"]
    assert set(names) <= set(pareto.columns) and s.runs == 8
    assert set(pareto["policy"]) <= {"project", "transition", "integrated"}
    assert (tmp_path / "o" / "optimize" / "figures" / "pareto_parallel.png").is_file()
