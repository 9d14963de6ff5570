"""FAST, PAWN and delta through the CLI; tables keep each method's rows."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from community_sim.cli import main

PI = math.pi
S1_TRUE = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}

SPEC = """
name = "{name}"
model = "analytic_models:ishigami"
seed = 4
[design]
kind = "{kind}"
n = {n}
[design.parameters]
x1 = {{ low = {lo}, high = {hi} }}
x2 = {{ low = {lo}, high = {hi} }}
x3 = {{ low = {lo}, high = {hi} }}
"""


def run_spec(tmp_path: Path, kind: str, n: int) -> Path:
    spec = tmp_path / f"{kind}.toml"
    spec.write_text(SPEC.format(name=kind, kind=kind, n=n, lo=-PI, hi=PI).strip() + "\n")
    out = tmp_path / kind
    assert main(["run", str(spec), "--out", str(out), "--workers", "1", "--no-progress"]) == 0
    return out


@pytest.mark.slow
def test_fast_is_implied_by_its_design(tmp_path):
    out = run_spec(tmp_path, "fast", 1025)
    idx = pd.read_parquet(out / "analysis" / "indices.parquet").set_index("parameter")
    assert set(idx["method"]) == {"fast"}
    for p, s1 in S1_TRUE.items():
        assert idx.loc[p, "S1"] == pytest.approx(s1, abs=0.05)
    assert idx.loc["x1", "ST"] > idx.loc["x1", "S1"] + 0.1  # x1 interacts with x3


@pytest.mark.slow
def test_pawn_and_delta_on_a_latin_hypercube(tmp_path, capsys):
    out = run_spec(tmp_path, "lhs", 1000)
    assert main(["analyze", str(out)]) == 2  # an LHS implies no method
    assert "--method pawn or delta" in capsys.readouterr().err
    assert main(["analyze", str(out), "--method", "delta"]) == 0
    assert main(["analyze", str(out), "--method", "pawn"]) == 0
    idx = pd.read_parquet(out / "analysis" / "indices.parquet")
    assert set(idx["method"]) == {"delta", "pawn"}  # the second run kept the first's rows
    for method in ("delta", "pawn"):
        m = idx[idx["method"] == method].set_index("parameter")
        assert m.loc["x2", "S1"] > m.loc["x3", "S1"]
        assert m["ST"].isna().all()
    delta = idx[idx["method"] == "delta"]
    assert (delta["S1_conf"] > 0).all()
    assert main(["analyze", str(out), "--method", "sobol"]) == 2  # needs a Sobol' sample
