"""The studies in experiments/ load, and a small sobol_policy_gap runs and is analysed."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from community_sim.cli import main
from community_sim.experiment import load_spec

ROOT = Path(__file__).resolve().parents[2]
STUDIES = ("sobol_policy_gap", "morris_screening")


@pytest.mark.parametrize("name", STUDIES)
def test_study_specs_load(name):
    spec = load_spec(ROOT / "experiments" / f"{name}.toml")
    assert spec.compare == ("project", "integrated")
    assert spec.replicates >= 2  # the noise correction needs replicates


def test_morris_screening_varies_every_numeric_parameter():
    from community_sim.params import PARAMS

    spec = load_spec(ROOT / "experiments" / "morris_screening.toml")
    varied = {f.name for f in spec.design.factors}
    numeric = {p.name for p in PARAMS.values() if p.kind in ("real", "int")}
    assert numeric - varied == {"horizon_months", "burn_in_months"}


def test_small_sobol_policy_gap_is_analysed(tmp_path):
    text = (ROOT / "experiments" / "sobol_policy_gap.toml").read_text()
    text = re.sub(r"(?m)^n = 512", "n = 8", text)
    baseline = (ROOT / "configs" / "baseline.toml").as_posix()
    text = text.replace('"../configs/baseline.toml"', f'"{baseline}"')
    # a small, short community so that the test stays quick
    text += (
        "\n[overrides]\nhorizon_months = 36\nburn_in_months = 12\nn_schools = 2\n"
        "n_leading = 2\nn_smes = 8\nintake_per_school = 60\n"
    )
    spec = tmp_path / "gap.toml"
    spec.write_text(text)
    out = tmp_path / "gap"
    assert main(["run", str(spec), "--out", str(out), "--workers", "1", "--no-progress"]) == 0
    code = main(["analyze", str(out), "--impute", "mean"])
    assert code == 0
    idx = pd.read_parquet(out / "analysis" / "indices.parquet")
    assert {"diff:trial_error_cost_per_hire_weeks", "diff:partnership_survival_5y"} <= set(
        idx["output"]
    )
    assert set(idx["parameter"]) == {f.name for f in load_spec(spec).design.factors}
    assert (out / "analysis" / "paired.parquet").is_file()
