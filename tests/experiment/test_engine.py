"""The engine end to end: executors agree, failures are data, the store is complete."""

from __future__ import annotations

import pandas as pd
import pytest
from engine_helpers import write_spec

from community_sim.errors import UserError
from community_sim.experiment import load_results, run_experiment

NOISY = """
name = "noisy"
model = "analytic_models:noisy_ishigami"
replicates = 2
seed = 7
[overrides]
noise = 0.3
[design]
kind = "lhs"
n = 24
[design.parameters]
x1 = { low = -3.14, high = 3.14 }
x2 = { low = -3.14, high = 3.14 }
x3 = { dist = "norm", mean = 0.0, sd = 1.0 }
k = { low = 1, high = 3, kind = "int" }
"""


def _content(out) -> pd.DataFrame:
    return load_results(out).runs.drop(columns=["duration_s"])


@pytest.mark.slow
def test_serial_processes_and_dask_give_identical_runs(tmp_path):
    spec = write_spec(tmp_path, NOISY)
    serial = run_experiment(spec, tmp_path / "serial", workers=1)
    assert serial.counts == {"ok": 48, "failed": 0, "missing": 0}
    run_experiment(spec, tmp_path / "procs", workers=2)
    run_experiment(spec, tmp_path / "dask", workers=2, dask="local")
    ref = _content(tmp_path / "serial")
    assert len(ref) == 48 and ref["run_id"].tolist() == list(range(48))
    pd.testing.assert_frame_equal(ref, _content(tmp_path / "procs"))
    pd.testing.assert_frame_equal(ref, _content(tmp_path / "dask"))
    # replicates of one point share parameters but not seeds
    first = ref[ref["point"] == 0]
    assert first["seed"].nunique() == 2 and first["x1"].nunique() == 1


def test_store_layout_and_manifest(tmp_path):
    spec = write_spec(tmp_path, NOISY)
    run_experiment(spec, tmp_path / "out", workers=1)
    res = load_results(tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "design.parquet",
        "manifest.json",
        "runs.parquet",
        "series.parquet",
    ]
    m = res.manifest
    assert m["design"]["kind"] == "lhs" and m["design"]["n_points"] == 24
    assert m["master_seed"] == 7 and m["counts"]["ok"] == 48 and m["finished"]
    assert len(m["spec_hash"]) == 64 and m["outcomes"] == ["y"]
    assert [p["name"] for p in m["design"]["parameters"]] == ["x1", "x2", "x3", "k"]
    assert res.design.columns.tolist() == ["point", "x1", "x2", "x3", "k"]
    runs = res.runs
    assert {"run_id", "point", "replicate", "policy", "seed", "noise", "y", "status"} <= set(runs)
    assert (runs["noise"] == 0.3).all()
    merged = runs.merge(res.design, on="point", suffixes=("", "_d"))
    assert (merged["x1"] == merged["x1_d"]).all()


def test_failures_are_recorded_and_the_sweep_goes_on(tmp_path):
    spec = write_spec(
        tmp_path,
        'name = "r"\nmodel = "analytic_models:raising"\n[design]\nkind = "lhs"\nn = 20\n'
        "[design.parameters]\nx = {low = 0, high = 1}\n",
    )
    summary = run_experiment(spec, tmp_path / "out", workers=2)
    runs = load_results(tmp_path / "out").runs
    bad = runs["x"] > 0.5
    assert bad.any() and (~bad).any()
    assert (runs.loc[bad, "status"] == "failed").all()
    assert runs.loc[bad, "error"].str.contains("ValueError: x = .* above the limit").all()
    assert runs.loc[bad, "y"].isna().all()
    assert (runs.loc[~bad, "status"] == "ok").all() and runs.loc[~bad, "error"].isna().all()
    assert summary.failed == int(bad.sum()) and summary.counts["ok"] == int((~bad).sum())
    assert "above the limit" in summary.failures[0][1]


def test_compare_uses_common_seeds_and_records_pairs(tmp_path):
    spec = write_spec(
        tmp_path,
        'name = "c"\nmodel = "analytic_models:policy_effect"\nreplicates = 30\nseed = 1\n'
        'compare = ["project", "integrated"]\n[design]\nkind = "scenarios"\n'
        "[design.scenarios.base]\n",
    )
    run_experiment(spec, tmp_path / "out", workers=1)
    res = load_results(tmp_path / "out")
    runs = res.runs
    assert len(runs) == 60
    by_pol = runs.pivot(index="replicate", columns="policy", values="seed")
    assert (by_pol["project"] == by_pol["integrated"]).all()
    paired = res.paired
    assert paired is not None and len(paired) == 30
    # common random numbers: the noise cancels, the difference is the policy shift exactly
    assert paired["y"].to_numpy() == pytest.approx(1.0)
    assert (paired["z"] == 0).all()


def test_different_spec_is_refused_and_force_starts_afresh(tmp_path):
    spec = write_spec(tmp_path, NOISY)
    out = tmp_path / "out"
    run_experiment(spec, out, workers=1)
    before = (out / "runs.parquet").read_bytes()
    other = write_spec(tmp_path, NOISY.replace("n = 24", "n = 10"), "other.toml")
    with pytest.raises(
        UserError, match=r"different experiment spec \(differs in design.n\); use --force"
    ):
        run_experiment(other, out, workers=1)
    assert (out / "runs.parquet").read_bytes() == before
    summary = run_experiment(other, out, workers=1, force=True)
    assert summary.total == 20 and len(load_results(out).runs) == 20


def test_rerun_of_complete_store_runs_nothing_and_failed_runs_are_retried(tmp_path):
    spec = write_spec(
        tmp_path,
        'name = "r"\nmodel = "analytic_models:raising"\n[overrides]\nlimit = 0.5\n'
        '[design]\nkind = "lhs"\nn = 10\n[design.parameters]\nx = {low = 0, high = 1}\n',
    )
    first = run_experiment(spec, tmp_path / "out", workers=1)
    again = run_experiment(spec, tmp_path / "out", workers=1)
    assert again.resumed and again.ran == first.failed
    assert load_results(tmp_path / "out").runs["run_id"].is_unique


def test_a_dying_worker_fails_its_runs_and_the_sweep_goes_on(tmp_path):
    spec = write_spec(
        tmp_path,
        'name = "d"\nmodel = "analytic_models:dying"\n[design]\nkind = "lhs"\nn = 16\n'
        "[design.parameters]\nx = {low = 0, high = 1}\n",
    )
    summary = run_experiment(spec, tmp_path / "out", workers=2)
    runs = load_results(tmp_path / "out").runs
    assert len(runs) == 16 and summary.counts["missing"] == 0
    assert (runs.loc[runs["x"] > 0.8, "status"] == "failed").all()
    assert runs.loc[runs["status"] == "failed", "error"].str.contains("worker").all()
    assert summary.counts["ok"] >= 1


@pytest.mark.slow
def test_joining_a_running_dask_scheduler(tmp_path):
    from distributed import LocalCluster

    spec = write_spec(tmp_path, NOISY.replace("n = 24", "n = 6"))
    run_experiment(spec, tmp_path / "serial", workers=1)
    with LocalCluster(
        n_workers=1, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        summary = run_experiment(spec, tmp_path / "joined", dask=cluster.scheduler_address)
    assert summary.counts["ok"] == 12
    pd.testing.assert_frame_equal(_content(tmp_path / "serial"), _content(tmp_path / "joined"))
