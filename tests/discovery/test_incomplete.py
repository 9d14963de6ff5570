"""`discover` on an incomplete store says so and records ``complete: false``."""

from __future__ import annotations

import json

import pandas as pd

from community_sim.cli import main
from community_sim.experiment.store import write_parquet

SPEC = """
name = "box_small"
model = "analytic_models:box_win"
seed = 11
replicates = 2
compare = ["project", "integrated"]
[overrides]
x3 = 0.5
[design]
kind = "lhs"
n = 80
[design.parameters]
x1 = { low = 0.0, high = 1.0 }
x2 = { low = 0.0, high = 1.0 }
"""


def test_discover_on_an_incomplete_store(tmp_path, capsys):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC.strip() + "\n")
    out = tmp_path / "out"
    assert main(["run", str(spec), "--out", str(out), "--workers", "1", "--no-progress"]) == 0
    runs = pd.read_parquet(out / "runs.parquet")
    write_parquet(out / "runs.parquet", runs.iloc[:300])  # as an interrupted sweep leaves it
    capsys.readouterr()
    args = ["discover", str(out), "--target", "diff:cost < 0", "--format", "png", "--max-qp", "1"]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("incomplete: 300 of 320 runs finished ok (0 failed, 20 missing)")
    assert f"community-sim run {spec} --out {out}" in printed.splitlines()[0]
    record = json.loads(next(out.glob("discovery/*/discovery.json")).read_text())
    assert record["complete"] is False and record["missing"] == 20
