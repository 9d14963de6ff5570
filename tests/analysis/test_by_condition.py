"""Answers by condition: the paired gap at each level, and its change (DiD), with CIs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from policy_models import interaction_gap
from scipy import stats

from community_sim.analysis.comparison.by_condition import (
    by_table,
    difference_in_differences,
    interaction_table,
)
from community_sim.analysis.comparison.compare import design_interval
from community_sim.analysis.comparison.conditions import condition_of
from community_sim.cli import main
from community_sim.params import PARAMS

REPO = Path(__file__).resolve().parents[2]

GRID = """
name = "interaction"
model = "policy_models:interaction"
seed = 3
replicates = 6
compare = ["project", "integrated"]
[design]
kind = "grid"
[design.parameters]
a = { low = 0.0, high = 2.0, levels = 3 }
b = { values = [0, 1] }
"""

LHS = """
name = "interaction_lhs"
model = "policy_models:interaction"
seed = 11
replicates = 3
compare = ["project", "integrated"]
[overrides]
b = 0.0
[design]
kind = "lhs"
n = 40
[design.parameters]
a = { low = 0.0, high = 2.0 }
"""


def run_spec(tmp_path: Path, body: str, name: str) -> Path:
    spec = tmp_path / f"{name}.toml"
    spec.write_text(body.strip() + "\n")
    out = tmp_path / name
    assert main(["run", str(spec), "--out", str(out), "--workers", "1", "--no-progress"]) == 0
    return out


def test_grid_recovers_each_cell_gap_and_did(tmp_path, capsys):
    out = run_spec(tmp_path, GRID, "grid")
    printed = capsys.readouterr().out
    # the run's summary of a grid is by condition, not one pooled row
    assert "Paired policy differences by a" in printed and "at a=2:" in printed
    assert main(["analyze", str(out), "--by", "a", "--by", "b"]) == 0
    assert "at a=2, b=1:" in capsys.readouterr().out
    folder = out / "analysis"
    by = pd.read_csv(folder / "by_a_b.csv")
    assert list(by.columns[:10]) == [
        "a", "b", "outcome", "policy", "baseline", "mean_diff", "ci_low", "ci_high", "n",
        "n_undefined",
    ]  # fmt: skip
    assert len(by) == 6 and (by["n"] == 6).all() and (by["policy"] == "integrated").all()
    for r in by.itertuples():
        assert r.ci_low <= interaction_gap(r.a, r.b) <= r.ci_high, r
        assert r.ci_high - r.ci_low < 1.5  # noise SD 0.5 over 6 replicates: informative
    inter = pd.read_csv(folder / "interaction_a_b.csv")
    assert list(inter.columns) == [
        "a", "reference_level", "b", "outcome", "policy", "baseline", "did", "ci_low", "ci_high",
    ]  # fmt: skip
    assert len(inter) == 4 and (inter["reference_level"] == 0.0).all()
    for r in inter.itertuples():
        truth = interaction_gap(r.a, r.b) - interaction_gap(0.0, r.b)
        assert r.ci_low <= truth <= r.ci_high, r
    # the interaction is there: the DiD at a = 2 is larger where b = 1 (3 against 2)
    at2 = inter[inter["a"] == 2.0].set_index("b")["did"]
    assert at2[1] > at2[0] + 0.5
    for stem in ("by_a_b.parquet", "by_a_b.tex", "by_a.csv", "interaction_b.csv"):
        assert (folder / stem).is_file(), stem
    # run's own analysis: each parameter on its own, the gap averaged over the other one
    marginal = pd.read_parquet(folder / "by_a.parquet")
    for r in marginal.itertuples():
        truth = np.mean([interaction_gap(r.a, b) for b in (0, 1)])
        assert r.ci_low <= truth <= r.ci_high
        assert r.n_points == 2 and r.ci_method == "t over point means"


def test_lhs_bins_a_continuous_parameter(tmp_path):
    out = run_spec(tmp_path, LHS, "lhs")
    assert main(["analyze", str(out), "--by", "a", "--bins", "4"]) == 0
    by = pd.read_csv(out / "analysis" / "by_a.csv")
    design = pd.read_parquet(out / "design.parquet")
    edges = np.quantile(design["a"], np.linspace(0, 1, 5))
    assert np.allclose(by["a_low"], edges[:-1]) and np.allclose(by["a_high"], edges[1:])
    assert by["a"].iloc[0].startswith("[") and by["a"].iloc[1].startswith("(")
    assert (by["n_points"] == 10).all() and (by["n"] == 30).all()
    for r in by.itertuples():
        inside = design[(design["a"] >= r.a_low) & (design["a"] <= r.a_high)]
        # estimand: the mean over the bin's points of the true gap 1 + a
        truth = float(np.mean([interaction_gap(a, 0.0) for a in inside["a"]]))
        assert r.ci_low <= truth <= r.ci_high
    inter = pd.read_csv(out / "analysis" / "interaction_a.csv")
    assert (inter["reference_level"] == by["a"].iloc[0]).all() and len(inter) == 3


def _synthetic_runs(rng: np.random.Generator, levels: int, points: int, reps: int) -> pd.DataFrame:
    """Runs whose gap is ``level + u_point + e``: random point effects, a two-stage sample."""
    rows = []
    for lv in range(levels):
        for j in range(points):
            p = lv * points + j
            u = rng.normal(0.0, 0.4 * (1 + lv))  # unequal spread between levels
            for r in range(reps):
                e = rng.normal()
                rows.append((p, r, "project", e, lv))
                rows.append((p, r, "integrated", e + lv + u + 0.5 * rng.normal(), lv))
    runs = pd.DataFrame(rows, columns=["point", "replicate", "policy", "y", "a"])
    return runs.assign(status="ok")


def _analyse(runs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    design = runs.drop_duplicates("point")[["point", "a"]]
    cond = [condition_of(design, "a", {"design": {"kind": "grid"}})]
    table = by_table(runs, ["y"], cond, "project")
    return table, interaction_table(table, cond, ["y"])


def test_did_interval_is_welch_over_the_point_means():
    runs = _synthetic_runs(np.random.default_rng(0), levels=2, points=5, reps=3)
    _, inter = _analyse(runs)
    wide = runs.pivot_table(index=["point", "replicate", "a"], columns="policy", values="y")
    diff = (wide["integrated"] - wide["project"]).groupby(["point", "a"]).mean().reset_index()
    units = [diff.loc[diff["a"] == lv, 0].to_numpy() for lv in (1, 0)]
    ci = stats.ttest_ind(*units, equal_var=False).confidence_interval(0.95)
    row = inter.iloc[0]
    assert row["did"] == pytest.approx(units[0].mean() - units[1].mean())
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((ci.low, ci.high))


def _level_row(diff: np.ndarray, point: np.ndarray) -> dict[str, object]:
    iv = design_interval(diff, point)
    return {
        "mean_diff": iv.mean,
        "ci_low": iv.ci_low,
        "ci_high": iv.ci_high,
        "n": iv.n,
        "n_points": iv.n_points,
        "ci_method": iv.method,
    }


def test_did_interval_covers_the_truth_at_its_level():
    rng = np.random.default_rng(1)
    point = np.repeat(np.arange(4), 2)  # 4 points × 2 replicates per level
    hits = []
    for _ in range(400):
        rows = []
        for lv in (0, 1):
            u = np.repeat(rng.normal(0.0, 0.4 * (1 + lv), 4), 2)  # unequal spread by level
            rows.append(_level_row(lv + u + 0.5 * rng.normal(size=8), point))
        _, low, high = difference_in_differences(rows[1], rows[0])
        hits.append(low <= 1.0 <= high)
    # 400 draws: the share for a 95% interval lies within 0.925-0.975 with probability ~0.98
    assert 0.925 <= np.mean(hits) <= 0.975


def test_special_values_are_a_named_level():
    assert PARAMS["subsidy_end_month"].special_name(-1) == "never"
    assert PARAMS["subsidy_end_month"].special_name(36) is None
    design = pd.DataFrame({"point": range(6), "s": [-1, 12, 24, 36, 48, 60]})
    manifest = {"model": "community", "design": {"kind": "lhs"}}
    cond = condition_of(design, "s", manifest, bins=2, labeller=lambda n, v: {-1: "never"}.get(v))
    # -1 is not binned with the numbers: its own level, first, then two quantile bins
    assert cond.labels[0] == "never" and cond.codes.tolist() == [0, 1, 1, 1, 2, 2]
    grid = {"model": "community", "design": {"kind": "grid"}}
    levels = condition_of(
        design.rename(columns={"s": "subsidy_end_month"}), "subsidy_end_month", grid
    )
    assert levels.labels[:2] == ("never", "12")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", "c"], "'c' is not varied"),
        (["--by", "a", "--bins", "1"], "--bins: must be at least 2"),
        (["--by", "a", "--by", "a"], "'a' is given twice"),
    ],
)
def test_bad_by_is_one_line_exit_2(tmp_path, capsys, args, message):
    out = run_spec(tmp_path, LHS, "bad")
    before = sorted(p.name for p in (out / "analysis").iterdir())
    capsys.readouterr()
    assert main(["analyze", str(out), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err
    assert sorted(p.name for p in (out / "analysis").iterdir()) == before


SUPPORT_DRIFT = f"""
name = "support_drift"
scenario = "{REPO / "configs" / "baseline.toml"}"
steps = 42
replicates = 2
seed = 7
compare = ["project", "integrated"]
[overrides]
n_smes = 4
intake_per_school = 20
burn_in_months = 3
[outputs]
scalars = ["enterprise_participation", "mean_partnership_duration_months"]
series = []
[design]
kind = "grid"
[design.parameters]
subsidy_end_month = {{ values = [-1, 36] }}
tech_drift = {{ values = [0.0, 0.25] }}
"""


@pytest.mark.slow
def test_support_by_drift_question_by_commands_alone(tmp_path, capsys):
    out = run_spec(tmp_path, SUPPORT_DRIFT, "support_drift")
    assert "at subsidy_end_month=never:" in capsys.readouterr().out
    args = ["analyze", str(out), "--by", "subsidy_end_month", "--by", "tech_drift"]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "at subsidy_end_month=36, tech_drift=0.25:" in printed and "DiD" in printed
    inter = pd.read_csv(out / "analysis" / "interaction_subsidy_end_month_tech_drift.csv")
    assert set(inter["reference_level"]) == {"never"} and set(inter["subsidy_end_month"]) == {36}
    assert len(inter) == 2 * 2  # two drift levels × two outcomes
    by = pd.read_parquet(out / "analysis" / "by_subsidy_end_month_tech_drift.parquet")
    runs = pd.read_parquet(out / "paired_runs.parquet")
    design = pd.read_parquet(out / "design.parquet")
    runs = runs.merge(design, on="point")
    # the stored gap at each cell is the mean of that cell's paired differences
    for r in by.itertuples():
        value = -1 if r.subsidy_end_month == "never" else int(r.subsidy_end_month)
        cell = runs[(runs["subsidy_end_month"] == value) & (runs["tech_drift"] == r.tech_drift)]
        assert r.mean_diff == pytest.approx(cell[r.outcome].mean(), nan_ok=True)
