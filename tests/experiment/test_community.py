"""The community model through the engine: names checked against PARAMS, series stored."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from engine_helpers import write_spec

from community_sim.errors import UserError
from community_sim.experiment import load_results, load_spec, run_experiment
from community_sim.metrics import OUTCOMES, SERIES

REPO = Path(__file__).resolve().parents[2]

SMALL = f"""
name = "small"
scenario = "{REPO / "configs" / "baseline.toml"}"
steps = 18
replicates = 2
seed = 3
compare = ["project", "integrated"]
[overrides]
n_smes = 6
intake_per_school = 40
burn_in_months = 6
[outputs]
period = 6
[design]
kind = "lhs"
n = 2
[design.parameters]
tech_drift = {{ low = 0.01, high = 0.2 }}
n_leading = {{ low = 1, high = 3 }}
"""


@pytest.mark.slow
def test_community_runs_store_outcomes_and_series(tmp_path):
    spec = write_spec(tmp_path, SMALL)
    summary = run_experiment(spec, tmp_path / "out", workers=1)
    assert summary.counts == {"ok": 8, "failed": 0, "missing": 0}
    res = load_results(tmp_path / "out")
    runs = res.runs
    assert set(OUTCOMES) <= set(runs.columns)
    assert runs["n_leading"].dtype.kind == "i"  # an int parameter is sampled as an integer
    assert (runs["n_smes"] == 6).all() and set(runs["policy"]) == {"project", "integrated"}
    series = res.series
    assert set(series["name"]) == set(SERIES)
    assert sorted(series["step"].unique().tolist()) == [6, 12, 18]
    assert len(series) == 8 * 3 * len(SERIES)
    assert res.paired is not None and len(res.paired) == 4
    assert res.manifest["design"]["parameters"][1]["kind"] == "int"

    run_experiment(spec, tmp_path / "procs", workers=2)
    other = load_results(tmp_path / "procs")
    drop = ["duration_s"]
    pd.testing.assert_frame_equal(runs.drop(columns=drop), other.runs.drop(columns=drop))
    pd.testing.assert_frame_equal(series, other.series)


def test_unknown_parameter_and_output_suggest_closest(tmp_path):
    bad = SMALL.replace("tech_drift = {", "tech_drfit = {")
    with pytest.raises(UserError, match=r"key 'tech_drfit'.*did you mean 'tech_drift'"):
        load_spec(write_spec(tmp_path, bad))
    bad = SMALL.replace("period = 6", 'period = 6\nscalars = ["skill_mach"]')
    with pytest.raises(UserError, match=r"outputs.scalars.*did you mean 'skill_match'"):
        load_spec(write_spec(tmp_path, bad))


def test_design_bounds_are_checked_against_the_parameter(tmp_path):
    bad = SMALL.replace("high = 0.2", "high = 0.9")
    with pytest.raises(UserError, match=r"0.9 is out of bounds"):
        load_spec(write_spec(tmp_path, bad))
    bad = SMALL.replace('compare = ["project", "integrated"]', 'compare = ["projet"]')
    with pytest.raises(UserError, match=r"did you mean 'project'"):
        load_spec(write_spec(tmp_path, bad))
