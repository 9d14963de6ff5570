"""``community-sim run`` and ``status`` end to end, in subprocesses."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from engine_helpers import SOBOL_ISHIGAMI, cli_env, run_cli, write_spec

from analytic_models import ishigami_indices
from community_sim.analysis.api import analyze_experiment
from community_sim.experiment import load_results, run_experiment

REPO = Path(__file__).resolve().parents[2]

SLOW = """
name = "slow"
model = "analytic_models:slow"
seed = 5
[overrides]
delay = 0.025
[design]
kind = "lhs"
n = 60
[design.parameters]
x = { low = 0, high = 1 }
"""


@pytest.mark.slow
def test_sigkill_mid_sweep_then_resume_matches_uninterrupted(tmp_path):
    spec = write_spec(tmp_path, SLOW)
    out = tmp_path / "killed"
    args = [sys.executable, "-m", "community_sim.cli", "run", str(spec), "--out", str(out)]
    proc = subprocess.Popen(
        [*args, "--workers", "2", "--checkpoint", "0.2", "--no-progress"],
        env=cli_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while len(list((out / "parts").glob("runs-*.parquet"))) < 2:
            assert proc.poll() is None, "the sweep ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert not (out / "runs.parquet").exists()

    status = run_cli("status", str(out))
    assert status.returncode == 0 and "remaining" in status.stdout
    partial = load_results(out).runs
    assert 0 < len(partial) < 60

    again = run_cli("run", str(spec), "--out", str(out), "--workers", "2", "--no-progress")
    assert again.returncode == 0, again.stderr
    assert "(resumed)" in again.stdout
    run_experiment(spec, tmp_path / "ref", workers=1)  # uninterrupted, in this process

    got = load_results(out).runs.drop(columns=["duration_s"])
    want = load_results(tmp_path / "ref").runs.drop(columns=["duration_s"])
    assert got["run_id"].tolist() == list(range(60))  # none missing, none duplicated
    pd.testing.assert_frame_equal(got, want)
    assert not (out / "parts").exists()


@pytest.mark.slow
def test_failed_runs_give_exit_code_3(tmp_path):
    spec = write_spec(
        tmp_path,
        'name = "r"\nmodel = "analytic_models:raising"\n[design]\nkind = "lhs"\nn = 12\n'
        "[design.parameters]\nx = {low = 0, high = 1}\n",
    )
    proc = run_cli("run", str(spec), "--out", str(tmp_path / "out"), "--workers", "1")
    assert proc.returncode == 3
    assert "failed" in proc.stdout and "above the limit" in proc.stdout
    assert "Traceback" not in proc.stderr


@pytest.mark.slow
def test_ishigami_sobol_through_the_cli(tmp_path):
    from SALib.analyze import sobol

    spec = write_spec(tmp_path, SOBOL_ISHIGAMI.format(n=1024, second_order="false"))
    proc = run_cli(
        "run", str(spec), "--out", str(tmp_path / "out"), "--workers", "1", "--no-progress"
    )
    assert proc.returncode == 0, proc.stderr
    res = load_results(tmp_path / "out")
    assert len(res.runs) == 1024 * 5
    si = sobol.analyze(
        res.manifest["design"]["problem"],
        res.runs["y"].to_numpy(),
        calc_second_order=False,
        seed=1,
    )
    truth = ishigami_indices()
    for i, name in enumerate(["x1", "x2", "x3"]):
        assert si["S1"][i] == pytest.approx(truth["S1"][name], abs=0.06)
        assert si["ST"][i] == pytest.approx(truth["ST"][name], abs=0.06)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (SOBOL_ISHIGAMI.format(n=100, second_order="false"), "use 64 or 128"),
        (
            SOBOL_ISHIGAMI.format(n=64, second_order="false").replace('"sobol"', '"sobolx"'),
            "design.kind",
        ),
        (
            SOBOL_ISHIGAMI.format(n=64, second_order="false").replace(
                "seed = 11", "replicates = 0"
            ),
            "replicates",
        ),
        (
            SOBOL_ISHIGAMI.format(n=64, second_order="false").replace(
                "analytic_models:", "missing_models:"
            ),
            "key 'model'",
        ),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(tmp_path, body, needle):
    spec = write_spec(tmp_path, body)
    out = tmp_path / "out"
    proc = run_cli("run", str(spec), "--out", str(out))
    assert proc.returncode == 2
    err = proc.stderr.strip()
    assert needle in err and "spec.toml" in err and err.count("\n") == 0
    assert not out.exists()


@pytest.mark.slow
def test_dry_run_prints_size_and_estimate_and_writes_nothing(tmp_path, ishigami_spec):
    out = tmp_path / "out"
    proc = run_cli("run", str(ishigami_spec), "--out", str(out), "--dry-run", "--workers", "2")
    assert proc.returncode == 0, proc.stderr
    assert "320 runs" in proc.stdout and "one run took" in proc.stdout
    assert not out.exists()


@pytest.mark.slow
@pytest.mark.parametrize(
    "spec",
    # sweeps: a policy-design spec ([optimize]) is checked by tests/optimize/test_policy_mix.py
    [p for p in sorted((REPO / "experiments").glob("*.toml")) if "[optimize]" not in p.read_text()],
    ids=lambda p: p.name,
)
def test_every_experiment_in_the_repo_validates(spec, tmp_path):
    if "configs/national.toml" in spec.read_text():
        # a dry run times one run, half a minute at national scale: validate and plan only
        from community_sim.experiment.engine import plan_experiment

        plan = plan_experiment(spec, tmp_path / "out")
        assert plan.n_runs > 0 and not (tmp_path / "out").exists()
        return
    proc = run_cli("run", str(spec), "--dry-run", "--out", str(tmp_path / "out"), cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    assert "runs" in proc.stdout


@pytest.mark.slow
def test_ctrl_c_saves_finished_runs_and_exits_130(tmp_path):
    spec = write_spec(tmp_path, SLOW.replace("delay = 0.025", "delay = 0.1"))
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "community_sim.cli",
            "run",
            str(spec),
            "--out",
            str(out),
            "--workers",
            "2",
            "--checkpoint",
            "0.2",
            "--no-progress",
        ],
        env=cli_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # a shell's background job may inherit SIGINT ignored; a user's Ctrl-C is not
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 60
        while not list((out / "parts").glob("runs-*.parquet")):
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130 and "interrupted" in err
    assert 0 < len(load_results(out).runs) < 60


def test_run_prints_the_comparison_that_analyze_stored(tmp_path):
    # y = 10 + shift + noise with the same noise for both policies: every pair differs by 1.
    spec = write_spec(
        tmp_path,
        'name = "c"\nmodel = "analytic_models:policy_effect"\nreplicates = 8\nseed = 1\n'
        'compare = ["project", "integrated"]\n[design]\nkind = "scenarios"\n'
        "[design.scenarios.base]\n",
    )
    out = tmp_path / "out"
    res = run_cli("run", str(spec), "--out", str(out), "--workers", "1", "--no-progress")
    assert res.returncode == 0, res.stderr
    paired = pd.read_parquet(out / "analysis" / "paired.parquet").set_index("output")
    assert paired.loc["y", "mean_diff"] == pytest.approx(1.0, abs=1e-12)
    assert paired.loc["y", "n"] == 8
    assert "integrated − project: +1" in res.stdout and "pairs=8" in res.stdout
    # the stored tables are analyze's own: analysing again writes the same
    again = analyze_experiment(out)
    assert again.paired is not None
    pd.testing.assert_frame_equal(again.paired.reset_index(drop=True), paired.reset_index())
