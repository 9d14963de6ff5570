"""``analyze --method trees``: extra-trees feature scores against an additive known answer."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from community_sim.cli import main

SPEC = """
name = "scores"
model = "policy_models:gap_partial"
seed = 2
replicates = 2
compare = ["project", "integrated"]
[design]
kind = "lhs"
n = 200
[design.parameters]
x1 = { low = 0.0, high = 1.0 }
x2 = { low = 0.0, high = 1.0 }
x3 = { low = 0.0, high = 1.0 }
"""


@pytest.mark.slow
def test_trees_score_the_paired_difference(tmp_path: Path, capsys):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC.strip() + "\n")
    out = tmp_path / "out"
    assert main(["run", str(spec), "--out", str(out), "--workers", "1", "--no-progress"]) == 0
    assert main(["analyze", str(out), "--method", "trees"]) == 0
    assert "Feature scores (extra trees" in capsys.readouterr().out
    table = pd.read_csv(out / "analysis" / "feature_scores.csv")
    assert list(table.columns) == [
        "output", "parameter", "score", "score_sd", "rank", "n", "oob_r2",
    ]  # fmt: skip
    diff = table[table["output"] == "diff:y"].set_index("parameter")
    # diff = x1 + 2 x2 + noise: variance shares 1/12 : 4/12 of the explained part, x3 none
    assert diff.loc["x2", "score"] == pytest.approx(0.8, abs=0.07)
    assert diff.loc["x1", "score"] == pytest.approx(0.2, abs=0.07)
    assert diff.loc["x3", "score"] < 0.05
    assert diff["rank"].to_dict() == {"x1": 2, "x2": 1, "x3": 3}
    # out-of-bag R² near its ceiling (5/12) / (5/12 + 0.2) = 0.68, and n counts runs
    assert 0.5 < diff["oob_r2"].iloc[0] < 0.68 and (diff["n"] == 400).all()
    assert table.groupby("output")["score"].sum().round(9).eq(1.0).all()
