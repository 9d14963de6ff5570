"""An experiment whose Dask workers are Slurm jobs (dask-jobqueue), as on a cluster.

Runs where a Slurm controller answers: `.ci/start-slurm` starts a one-machine Slurm
from Debian's slurm-wlm before `make test` in CI. Elsewhere it is skipped, and says why.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from engine_helpers import write_spec

from community_sim.experiment import load_results
from community_sim.experiment.engine import run_experiment


def _slurm_ready() -> bool:
    if shutil.which("sinfo") is None:
        return False
    try:
        res = subprocess.run(
            ["sinfo", "-h", "-o", "%T"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return res.returncode == 0 and any(
        s.strip() in {"idle", "mixed", "allocated"} for s in res.stdout.splitlines()
    )


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not _slurm_ready(), reason="no Slurm controller answers (.ci/start-slurm starts one)"
    ),
]

SPEC = """
name = "slurm"
seed = 5
steps = 24
compare = ["project", "integrated"]
[overrides]
n_schools = 2
n_leading = 2
n_smes = 6
intake_per_school = 40
[design]
kind = "lhs"
n = 4
[design.parameters]
tech_drift = {low = 0.0, high = 0.2}
"""


def test_workers_submitted_as_slurm_jobs_give_the_serial_results(tmp_path):
    jobqueue = pytest.importorskip("dask_jobqueue")
    from distributed import Client

    spec = write_spec(tmp_path, SPEC)
    run_experiment(spec, tmp_path / "serial", workers=1)
    cluster = jobqueue.SLURMCluster(
        cores=1,
        processes=1,
        memory="1GB",
        walltime="00:10:00",
        scheduler_options={"host": "127.0.0.1"},
        log_directory=str(tmp_path / "logs"),
    )
    try:
        cluster.scale(jobs=2)
        with Client(cluster) as client:
            client.wait_for_workers(2, timeout=120)
            jobs = client.run(lambda: os.environ.get("SLURM_JOB_ID"))
            assert len(jobs) == 2 and all(jobs.values())  # each worker runs inside a job
            summary = run_experiment(spec, tmp_path / "slurm", dask=cluster.scheduler_address)
    finally:
        cluster.close()
    assert summary.counts == {"ok": 8, "failed": 0, "missing": 0}
    serial, slurm = (load_results(tmp_path / d).runs for d in ("serial", "slurm"))
    keep = [c for c in serial.columns if c != "duration_s"]
    key = ["run_id"]
    a = serial[keep].sort_values(key).reset_index(drop=True)
    b = slurm[keep].sort_values(key).reset_index(drop=True)
    assert a.equals(b)
