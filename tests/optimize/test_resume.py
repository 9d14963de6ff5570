"""A search killed with SIGKILL, run again, ends with the same Pareto set as one never stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from optimize_helpers import HERE, zdt1_spec

from community_sim.optimize import optimize


@pytest.mark.slow
def test_kill_9_then_resume_gives_the_same_pareto_set(tmp_path):
    # each run sleeps 4 ms, so generations take long enough to be killed among them
    spec = zdt1_spec(tmp_path, population=20, evaluations=200, extra="[overrides]\ndelay = 0.004")
    killed = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([HERE, os.environ.get("PYTHONPATH", "")])}
    cmd = [sys.executable, "-m", "community_sim.cli", "optimize", str(spec), "--out", str(killed)]
    proc = subprocess.Popen(
        [*cmd, "--workers", "1", "--format", ""],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not (killed / "generations" / "0004").exists():
            assert proc.poll() is None, "the search ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not (killed / "optimize" / "pareto.csv").exists()
    done_before = len(list((killed / "generations").iterdir()))
    assert 5 <= done_before < 10
    resumed = optimize(spec, killed, formats=())
    assert resumed.replayed >= 4 and resumed.evaluations == 200
    fresh = optimize(spec, tmp_path / "fresh", formats=())
    for name in ("pareto.parquet", "history.parquet"):
        a = pd.read_parquet(killed / "optimize" / name)
        b = pd.read_parquet(tmp_path / "fresh" / "optimize" / name)
        pd.testing.assert_frame_equal(a, b)
    assert resumed.hypervolume == fresh.hypervolume
    assert len(resumed.pareto) > 5
    assert Path(killed / "optimize.json").is_file()
