"""`community-sim patterns` on the baseline: table, files, exit codes, resume."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from community_sim.cli import main

ROOT = Path(__file__).resolve().parents[2]
BASELINE = str(ROOT / "configs" / "baseline.toml")
ONLY = ["--only", "external_hire_cost", "hire_cost_unemployment"]


@pytest.mark.slow
def test_baseline_patterns_pass_then_an_impossible_target_misses(tmp_path, capsys):
    out = tmp_path / "pat"
    args = ["patterns", BASELINE, "--seeds", "2", "--workers", "1", "--out", str(out), *ONLY]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "external_hire_cost" in text and "pass" in text
    table = pd.read_parquet(out / "patterns.parquet")
    assert list(table["pattern"]) == ["external_hire_cost", "hire_cost_unemployment"]
    assert table["source"].str.contains("Muehlemann").all()
    assert (out / "patterns.csv").is_file() and "tabular" in (out / "patterns.tex").read_text()
    # The same runs (resumed, none re-run) against a target no model run reaches.
    shipped = (ROOT / "src" / "community_sim" / "patterns" / "patterns.toml").read_text()
    strict = tmp_path / "strict.toml"
    strict.write_text(shipped.replace("low = 13.6\nhigh = 18.4", "low = 100.0\nhigh = 200.0"))
    assert main([*args, "--patterns", str(strict)]) == 1
    text = capsys.readouterr().out
    assert "1 of 2 patterns missed: external_hire_cost" in text


def test_bad_input_exits_2_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "pat"
    assert main(["patterns", str(tmp_path / "none.toml"), "--out", str(out)]) == 2
    assert main(["patterns", BASELINE, "--only", "no_such", "--out", str(out)]) == 2
    assert main(["patterns", BASELINE, "--seeds", "1", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "none.toml" in err and "no_such" in err and "--seeds" in err
    assert not out.exists()
