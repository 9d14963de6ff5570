"""Complete or said so: incomplete stores, stale analyses, other outputs, the out folder's lock."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from engine_helpers import run_cli, write_spec

from community_sim.cli import main
from community_sim.experiment import run_experiment
from community_sim.experiment.lock import LOCK, out_lock
from community_sim.experiment.store import write_parquet

GRID = """
name = "gap"
model = "analytic_models:policy_effect"
seed = 4
replicates = 5
compare = ["project", "integrated"]
[design]
kind = "grid"
[design.parameters]
x = { values = [0, 1] }
"""


def _truncate(out: Path, keep: int) -> None:
    """Leave the first ``keep`` runs, as an interrupted sweep leaves a store."""
    runs = pd.read_parquet(out / "runs.parquet")
    write_parquet(out / "runs.parquet", runs.iloc[:keep])


def _record(path: Path) -> dict:
    return json.loads(path.read_text())


def test_incomplete_store_is_said_and_recorded(tmp_path, capsys):
    spec = write_spec(tmp_path, GRID)
    out = tmp_path / "out"
    run_experiment(spec, out, workers=1)
    _truncate(out, 12)
    assert main(["analyze", str(out)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("incomplete: 12 of 20 runs finished ok (0 failed, 8 missing)")
    assert f"community-sim run {spec} --out {out}" in first
    record = _record(out / "analysis" / "analysis.json")
    assert record["complete"] is False and record["missing"] == 8
    assert record["runs"] == {"total": 20, "ok": 12, "failed": 0}
    assert (out / "analysis" / "report.txt").read_text().startswith("incomplete: 12 of 20")

    # resuming marks the stored tables stale, and the next analyze replaces them
    run_experiment(spec, out, workers=1)
    assert (out / "analysis" / "stale.json").is_file()
    assert main(["status", str(out)]) == 0
    assert "stale (runs added since)" in capsys.readouterr().out
    assert main(["analyze", str(out), "--outputs", "z"]) == 0  # stale: other outputs allowed
    capsys.readouterr()
    record = _record(out / "analysis" / "analysis.json")
    assert record["complete"] is True and record["outputs"] == [
        "z@project",
        "z@integrated",
        "diff:z",
    ]
    assert not (out / "analysis" / "stale.json").exists()
    paired = pd.read_parquet(out / "analysis" / "paired.parquet")
    assert set(paired["output"]) == {"z"} and paired["n"].sum() == 10


def test_other_outputs_are_not_replaced_silently(tmp_path, capsys):
    spec = write_spec(tmp_path, GRID)
    out = tmp_path / "out"
    assert main(["run", str(spec), "--out", str(out), "--workers", "1", "--no-progress"]) == 0
    before = (out / "analysis" / "by_x.csv").read_bytes()
    capsys.readouterr()
    assert main(["analyze", str(out), "--outputs", "y"]) == 2
    err = capsys.readouterr().err.strip()
    assert "holds tables for 6 output(s)" in err and "--force" in err and "\n" not in err
    assert (out / "analysis" / "by_x.csv").read_bytes() == before
    assert main(["analyze", str(out), "--outputs", "y", "--force"]) == 0
    assert set(pd.read_csv(out / "analysis" / "by_x.csv")["outcome"]) == {"y"}
    # run again on the finished folder: the user's tables are kept, and it says so
    capsys.readouterr()
    assert main(["run", str(spec), "--out", str(out), "--workers", "1", "--no-progress"]) == 0
    assert "analysis kept:" in capsys.readouterr().out
    assert set(pd.read_csv(out / "analysis" / "by_x.csv")["outcome"]) == {"y"}


def test_different_spec_names_the_keys(tmp_path, capsys):
    spec = write_spec(tmp_path, GRID)
    out = tmp_path / "out"
    run_experiment(spec, out, workers=1)
    other = write_spec(tmp_path, GRID.replace("replicates = 5", "replicates = 3"), "b.toml")
    assert main(["run", str(other), "--out", str(out), "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert "different experiment spec (differs in replicates)" in err


@pytest.mark.slow
def test_out_folder_is_locked_while_a_run_writes(tmp_path):
    spec = write_spec(tmp_path, GRID)
    out = tmp_path / "out"
    run_experiment(spec, out, workers=1)
    with out_lock(out):  # this process writes: a second run and status see it
        second = run_cli("run", str(spec), "--out", str(out), "--workers", "1")
        status = run_cli("status", str(out))
    assert second.returncode == 2, second.stderr
    assert "another run (pid" in second.stderr and len(second.stderr.strip().splitlines()) == 1
    assert "running    pid" in status.stdout and "run the same command again" not in status.stdout
    assert not (out / LOCK).exists()  # released when the block ends
    # a lock left by a killed run (its pid is gone) is taken over
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], text=True,
                          capture_output=True).stdout.strip()  # fmt: skip
    (out / LOCK).write_text(json.dumps({"pid": int(dead), "started": "earlier"}))
    again = run_cli("run", str(spec), "--out", str(out), "--workers", "1", "--no-progress")
    assert again.returncode == 0, again.stderr
    assert not (out / LOCK).exists()


@pytest.mark.slow
def test_figures_on_an_incomplete_store(tmp_path, capsys):
    spec = write_spec(tmp_path, GRID)
    out = tmp_path / "out"
    run_experiment(spec, out, workers=1)
    _truncate(out, 12)
    capsys.readouterr()
    assert main(["figures", str(out), "--format", "png"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("incomplete: 12 of 20 runs finished ok") and "--out" in first
    assert _record(out / "figures" / "figures.json")["complete"] is False
    assert _record(out / "analysis" / "analysis.json")["complete"] is False
