"""Undefined outcomes (NaN from finished runs) are stored, counted, analysed apart from failures."""

from __future__ import annotations

import numpy as np
import pandas as pd
from engine_helpers import write_spec

from community_sim.cli import main
from community_sim.experiment import load_results

SPEC = """
name = "undefined"
model = "analytic_models:sometimes_undefined"
seed = 4
[design]
kind = "sobol"
n = 16
[design.parameters]
x = { low = 0.0, high = 1.0 }
"""


def test_status_run_and_analyze_keep_undefined_apart_from_failed(tmp_path, capsys):
    spec = write_spec(tmp_path, SPEC)
    out = tmp_path / "out"
    assert main(["run", str(spec), "--out", str(out), "--workers", "1", "--no-progress"]) == 0
    runs = load_results(out).runs
    expected = int((runs["x"] > 0.5).sum())
    assert 0 < expected < len(runs)
    assert (runs["status"] == "ok").all()  # an undefined outcome is not a failed run
    assert runs["rate"].isna().sum() == expected  # stored as NaN, never as 0
    assert not (runs["rate"] == 0).any()
    capsys.readouterr()
    assert main(["status", str(out)]) == 0
    text = capsys.readouterr().out
    assert "failed 0" in text
    assert (
        f"undefined  {expected} of {len(runs)} finished runs" in text and f"rate {expected}" in text
    )
    # analysis: refused with the reason, then --drop leaves `rate` out and says so
    before = (out / "analysis" / "report.txt").read_text() if (out / "analysis").exists() else None
    assert main(["analyze", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and f"rate is undefined in {expected} of {len(runs)} runs" in err
    after = (out / "analysis" / "report.txt").read_text() if (out / "analysis").exists() else None
    assert before == after  # nothing on disk changed
    assert main(["analyze", str(out), "--drop"]) == 0
    report = (out / "analysis" / "report.txt").read_text()
    assert f"left out rate: undefined in {expected} of {len(runs)} runs" in report
    idx = pd.read_parquet(out / "analysis" / "indices.parquet")
    assert set(idx["output"]) == {"y"}
    assert np.isfinite(idx["ST"]).all()
    assert main(["analyze", str(out), "--drop", "--impute", "mean"]) == 2
