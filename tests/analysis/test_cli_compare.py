"""End to end: policy comparisons — paired differences as outputs, scenario tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from community_sim.cli import main

GAP_SOBOL = """
name = "gap"
model = "policy_models:gap"
seed = 5
replicates = 2
compare = ["project", "integrated"]
[design]
kind = "sobol"
n = 64
[design.parameters]
x1 = { low = 0.0, high = 1.0 }
x2 = { low = 0.0, high = 1.0 }
"""

GAP_SCENARIOS = """
name = "gap_scenarios"
model = "policy_models:gap"
seed = 5
replicates = 30
compare = ["project", "integrated"]
[overrides]
x1 = 0.5
[design]
kind = "scenarios"
[design.scenarios.low]
x2 = 0.0
[design.scenarios.high]
x2 = 1.0
"""


def run_spec(tmp_path: Path, body: str, name: str) -> Path:
    spec = tmp_path / f"{name}.toml"
    spec.write_text(body.strip() + "\n")
    out = tmp_path / name
    assert main(["run", str(spec), "--out", str(out), "--workers", "1", "--no-progress"]) == 0
    return out


def test_paired_difference_is_its_own_output(tmp_path):
    out = run_spec(tmp_path, GAP_SOBOL, "sobol")
    assert main(["analyze", str(out), "--outputs", "diff:y", "y"]) == 0
    idx = pd.read_parquet(out / "analysis" / "indices.parquet")
    assert set(idx["output"]) == {"y@project", "y@integrated", "diff:y"}
    diff = idx[(idx["output"] == "diff:y") & (idx["target"] == "mean")].set_index("parameter")
    assert diff.loc["x2", "S1"] == pytest.approx(1.0, abs=0.02)
    assert diff.loc["x2", "ST"] == pytest.approx(1.0, abs=0.02)
    assert abs(diff.loc["x1", "ST"]) < 0.02
    # y@project = x1 + N(0, 1): Var(x1) = 1/12 under noise of 1/2 in the mean of two
    # replicates (noise share 0.92) — too little signal: undefined, with the reason
    project = idx[(idx["output"] == "y@project") & (idx["target"] == "mean")]
    assert project[["S1", "ST"]].isna().all().all()
    assert project["note"].str.startswith("undefined").all()
    noise = pd.read_parquet(out / "analysis" / "noise.parquet").set_index("output")
    assert noise.loc["diff:y", "noise_share"] == pytest.approx(0.0, abs=1e-9)  # same seeds
    assert noise.loc["y@project", "noise_share"] > 0.5
    paired = pd.read_parquet(out / "analysis" / "paired.parquet")
    assert list(paired.columns) == [
        "output", "contrast", "scenario", "n", "mean_diff", "ci_low", "ci_high", "effect_size",
        "n_undefined", "n_points", "ci_method",
    ]  # fmt: skip
    row = paired.iloc[0]
    assert row["contrast"] == "integrated-project" and row["scenario"] == "all"
    assert row["mean_diff"] == pytest.approx(1.0, abs=0.1)  # E[2 x2] = 1


@pytest.mark.slow
def test_only_selected_outputs(tmp_path):
    out = run_spec(tmp_path, GAP_SOBOL, "sel")
    assert main(["analyze", str(out), "--outputs", "diff:y", "--force"]) == 0
    idx = pd.read_parquet(out / "analysis" / "indices.parquet")
    assert set(idx["output"]) == {"diff:y"}
    assert main(["analyze", str(out), "--outputs", "nope"]) == 2


def test_scenario_comparison_tables(tmp_path):
    out = run_spec(tmp_path, GAP_SCENARIOS, "scen")
    assert main(["analyze", str(out)]) == 0
    comp = pd.read_parquet(out / "analysis" / "comparison.parquet")
    assert list(comp.columns) == [
        "output", "policy", "scenario", "n", "mean", "ci_low", "ci_high",
        "n_undefined", "n_points", "ci_method",
    ]  # fmt: skip
    assert set(comp["scenario"]) == {"low", "high"}
    assert (comp["n"] == 30).all()
    paired = pd.read_parquet(out / "analysis" / "paired.parquet").set_index("scenario")
    assert paired.loc["high", "mean_diff"] == pytest.approx(2.0)
    assert paired.loc["low", "mean_diff"] == pytest.approx(0.0)
    hi = comp[(comp["scenario"] == "high") & (comp["policy"] == "integrated")].iloc[0]
    assert hi["ci_low"] < hi["mean"] < hi["ci_high"]
    tex = (out / "analysis" / "paired.tex").read_text()
    assert r"\toprule" in tex and "integrated-project" in tex
    report = (out / "analysis" / "report.txt").read_text()
    assert "Policy comparison" in report
    assert "y in high, integrated-project: +2 [+2, +2]" in report


GAP_PARTIAL = GAP_SOBOL.replace("policy_models:gap", "policy_models:gap_partial").replace(
    "n = 64", "n = 256"
)


@pytest.mark.slow
def test_noisy_difference_with_partial_cancellation(tmp_path):
    # diff = x1 + 2 x2 - 0.2 e1 + 0.4 e2 (policy_models.gap_partial): the mean difference
    # is additive, S1 = ST = 0.2 (x1) and 0.8 (x2), under noise of share 0.32 per run
    out = run_spec(tmp_path, GAP_PARTIAL, "partial")
    assert main(["analyze", str(out), "--outputs", "diff:y", "--force"]) == 0
    idx = pd.read_parquet(out / "analysis" / "indices.parquet")
    diff = idx[(idx["output"] == "diff:y") & (idx["target"] == "mean")].set_index("parameter")
    for p, true in (("x1", 0.2), ("x2", 0.8)):
        assert diff.loc[p, "S1"] == pytest.approx(true, abs=0.12)
        assert diff.loc[p, "ST"] == pytest.approx(true, abs=0.08)
    noise = pd.read_parquet(out / "analysis" / "noise.parquet").set_index("output")
    assert noise.loc["diff:y", "noise_share"] == pytest.approx(0.2 / (0.2 + 5 / 12), abs=0.05)
    paired = pd.read_parquet(out / "analysis" / "paired.parquet").iloc[0]
    assert paired["ci_method"] == "t over base-row means (Saltelli)"  # a Saltelli design
    assert paired["ci_low"] < 1.5 < paired["ci_high"]  # E[x1 + 2 x2] = 1.5
