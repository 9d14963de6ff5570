"""``model = "mesa:..."``: Mesa's Boltzmann wealth model swept through the engine and the CLI."""

from __future__ import annotations

import copyreg
import gc
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import mesa
import pandas as pd
import pytest
from engine_helpers import cli_env, run_cli, write_spec

from community_sim.cli import main
from community_sim.experiment import load_results, load_spec, run_experiment
from community_sim.experiment.adapters import call_model
from community_sim.experiment.mesa_models import released
from community_sim.experiment.models import ModelRef
from mesa_wealth import BoltzmannWealth, FailingWealth, gini

GRID = """
name = "wealth"
model = "mesa:mesa_wealth:BoltzmannWealth"
steps = 15
replicates = 3
seed = 42
[overrides]
width = 5
height = 5
[design]
kind = "grid"
[design.parameters]
n = { values = [10, 30] }
"""

SOBOL = """
name = "wealth_sobol"
model = "mesa:mesa_wealth:BoltzmannWealth"
steps = 10
replicates = 2
seed = 9
compare = ["random", "poorest"]
[design]
kind = "sobol"
n = 16
[design.parameters]
n = { low = 10, high = 40 }
width = { low = 3, high = 8 }
"""


def frame(out: Path) -> pd.DataFrame:
    return load_results(out).runs.drop(columns=["duration_s"])


def by_hand(n: int, seed: int, steps: int, **kw) -> BoltzmannWealth:
    """The same class run as a Mesa user would, without the engine."""
    model = BoltzmannWealth(n=n, seed=seed, **kw)
    for _ in range(steps):
        model.step()
    return model


@pytest.mark.slow
def test_grid_through_the_cli_matches_the_class_run_by_hand(tmp_path):
    spec = write_spec(tmp_path, GRID)
    out = tmp_path / "out"
    proc = run_cli("run", str(spec), "--out", str(out), "--workers", "2", "--no-progress")
    assert proc.returncode == 0, proc.stderr
    res = load_results(out)
    runs = res.runs
    assert len(runs) == 2 * 3 and (runs["status"] == "ok").all()
    assert [c for c in runs.columns if c in ("Gini", "total_wealth")] == ["Gini", "total_wealth"]
    assert runs["n"].tolist() == [10] * 3 + [30] * 3

    s = res.series.merge(runs[["run_id", "n"]], on="run_id")
    assert sorted(s["name"].unique()) == ["Gini", "total_wealth"]
    assert sorted(s["step"].unique()) == list(range(16))  # collected when built, then each step
    wealth = s[s["name"] == "total_wealth"]
    assert (wealth["value"] == wealth["n"]).all()  # wealth is conserved: n agents × 1
    assert (s[(s["name"] == "Gini") & (s["step"] == 0)]["value"] == 0).all()  # all equal

    for row in runs.itertuples():
        with released():
            model = by_hand(row.n, row.seed, 15, width=5, height=5)
            assert row.Gini == model.datacollector.model_vars["Gini"][-1]
            assert row.Gini == pytest.approx(gini([a.wealth for a in model.agents]))
            mine = s[(s["run_id"] == row.run_id) & (s["name"] == "Gini")]["value"].tolist()
            assert mine == model.datacollector.get_model_vars_dataframe()["Gini"].tolist()


@pytest.mark.slow
def test_serial_and_two_workers_give_identical_results(tmp_path):
    spec = load_spec(write_spec(tmp_path, SOBOL))
    run_experiment(spec, tmp_path / "serial", workers=1)
    run_experiment(spec, tmp_path / "two", workers=2)
    pd.testing.assert_frame_equal(frame(tmp_path / "serial"), frame(tmp_path / "two"))
    a, b = load_results(tmp_path / "serial").series, load_results(tmp_path / "two").series
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.slow
def test_sobol_with_compare_analyses_and_draws_like_the_community_model(tmp_path):
    spec = write_spec(tmp_path, SOBOL)
    out = tmp_path / "out"
    proc = run_cli("run", str(spec), "--out", str(out), "--workers", "2", "--no-progress")
    assert proc.returncode == 0, proc.stderr
    assert "poorest − random" in proc.stdout
    res = load_results(out)
    assert len(res.runs) == 16 * (2 + 2) * 2 * 2
    # both policies of a (point, replicate) share the seed: common random numbers
    assert (res.runs.groupby(["point", "replicate"])["seed"].nunique() == 1).all()
    paired = res.paired
    assert paired is not None and set(paired["policy"]) == {"poorest"}
    assert (paired["total_wealth"] == 0).all()  # both conserve the same n units

    indices = pd.read_parquet(out / "analysis" / "indices.parquet").set_index("parameter")
    assert set(indices[indices["output"] == "diff:Gini"].index) == {"n", "width"}
    # total wealth is n, whatever the width: all of its variance is n's
    wealth = indices[(indices["output"] == "total_wealth@random") & (indices["target"] == "mean")]
    assert wealth.loc["width", "S1"] == 0 and wealth.loc["width", "ST"] == 0
    assert wealth.loc["n", "ST"] == pytest.approx(1, abs=0.2)
    fig = run_cli("figures", str(out), "--format", "png")
    assert fig.returncode == 0, fig.stderr
    assert list((out / "figures").glob("*.png"))


def test_a_run_stops_when_the_model_stops_running(tmp_path):
    body = GRID.replace("steps = 15", "steps = 500").replace("width", "stop_gini = 0.3\nwidth")
    spec = load_spec(write_spec(tmp_path, body))
    run_experiment(spec, tmp_path / "out", workers=1)
    res = load_results(tmp_path / "out")
    last = res.series.groupby("run_id")["step"].max()
    assert (last < 500).all()
    for row in res.runs.itertuples():
        with released():
            model = BoltzmannWealth(n=row.n, width=5, height=5, stop_gini=0.3, seed=row.seed)
            model.run_model()  # Mesa's own loop: until running is false
            assert last[row.run_id] == model.steps
            assert row.Gini == model.datacollector.model_vars["Gini"][-1] >= 0.3


def test_named_attributes_and_period(tmp_path):
    body = GRID + '\n[outputs]\nscalars = ["Gini", "num_agents"]\nseries = ["Gini"]\nperiod = 5\n'
    spec = load_spec(write_spec(tmp_path, body))
    run_experiment(spec, tmp_path / "out", workers=1)
    res = load_results(tmp_path / "out")
    assert (res.runs["num_agents"] == res.runs["n"]).all()
    assert "total_wealth" not in res.runs.columns
    assert set(res.series["name"]) == {"Gini"}
    assert sorted(res.series["step"].unique()) == [0, 5, 10, 15]


@pytest.mark.slow
def test_interrupted_sweep_resumes_to_the_uninterrupted_result(tmp_path):
    body = GRID.replace("replicates = 3", "replicates = 15").replace("steps = 15", "steps = 100")
    body = body.replace("[10, 30]", "[150, 250]")
    spec = write_spec(tmp_path, body)
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
        deadline = time.monotonic() + 120
        while len(list((out / "parts").glob("runs-*.parquet"))) < 1:
            assert proc.poll() is None, "the sweep ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    partial = load_results(out).runs
    assert 0 < len(partial) < 30

    again = run_cli("run", str(spec), "--out", str(out), "--workers", "2", "--no-progress")
    assert again.returncode == 0, again.stderr
    assert "(resumed)" in again.stdout
    run_experiment(spec, tmp_path / "ref", workers=1)
    got, want = frame(out), frame(tmp_path / "ref")
    assert got["run_id"].tolist() == list(range(30))
    pd.testing.assert_frame_equal(got, want)
    pd.testing.assert_frame_equal(load_results(out).series, load_results(tmp_path / "ref").series)


# --- memory: Mesa's class-level registry ---------------------------------------------
def live(cls: type) -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if type(o) is cls)


def test_the_trap_exists_in_this_mesa_and_released_undoes_it():
    """A model its user drops stays alive (Mesa's registries hold it) until released."""
    before = live(BoltzmannWealth)
    with released():
        model = by_hand(20, 1, 2)
        del model
        assert live(BoltzmannWealth) == before + 1
    assert live(BoltzmannWealth) == before


@pytest.mark.slow
def test_many_runs_leave_no_model_alive(tmp_path):
    spec = load_spec(write_spec(tmp_path, GRID))
    params = {**spec.base_params, "n": 50}
    before = live(BoltzmannWealth), len(mesa.Agent._ids), len(copyreg.dispatch_table)
    for seed in range(200):
        call_model(spec.model, params, seed)
    after = live(BoltzmannWealth), len(mesa.Agent._ids), len(copyreg.dispatch_table)
    assert after == before  # every grid registers a cell class for pickling: unregistered too


@pytest.mark.slow
def test_a_model_failing_in_its_set_up_is_released_too(tmp_path):
    body = GRID.replace("BoltzmannWealth", "FailingWealth")
    spec = write_spec(tmp_path, body.split("[overrides]")[0] + "[design]\nkind = 'scenarios'\n")
    # the spec check builds the model once: its failure is the user's to fix (exit 2)
    proc = run_cli("run", str(spec), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2 and "set-up failed" in proc.stderr
    ref = ModelRef("mesa:mesa_wealth:FailingWealth", str(tmp_path), steps=5)
    before = live(FailingWealth)
    for seed in range(20):
        with pytest.raises(RuntimeError, match="set-up failed"):
            call_model(ref, {"n": 10}, seed)
    assert live(FailingWealth) == before


# --- bad input ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("edit", "needle"),
    [
        (("BoltzmannWealth", "BoltzmanWealth"), "key 'model'"),
        (("mesa_wealth:", "no_such_module:"), "key 'model'"),
        (("BoltzmannWealth", "NotAModel"), "not a subclass of mesa.Model"),
        (("BoltzmannWealth", "Unseeded"), "super().__init__(seed=seed)"),
        (("steps = 15", ""), "key 'steps'"),
        (("width = 5", "widht = 5"), "key 'overrides.widht'"),
        (("width = 5", "seed = 5"), "key 'overrides.seed'"),
        (("n = {", "agents = {"), "key 'design.parameters.agents'"),
        (("[design]", '[outputs]\nscalars = ["gini"]\n[design]'), "did you mean 'Gini'"),
        (("[design]", '[outputs]\nseries = ["wealth"]\n[design]'), "key 'outputs.series'"),
        (("[design]", '[outputs]\nscalars = ["policy"]\n[design]'), "not a number"),
        (
            ("[overrides]", '[outputs]\nscalars = ["stop_gini"]\n[overrides]\nstop_gini = 0.9'),
            "name of a parameter",
        ),
        (("seed = 42", 'seed = 42\ncompare = ["random", "richest"]'), "unknown policy"),
    ],
)
def test_bad_input_exits_2_names_the_key_and_leaves_results_alone(tmp_path, capsys, edit, needle):
    out = tmp_path / "out"
    run_experiment(write_spec(tmp_path, GRID, name="good.toml"), out, workers=1)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = write_spec(tmp_path, GRID.replace(*edit))
    assert main(["run", str(bad), "--out", str(out), "--force"]) == 2
    err = capsys.readouterr().err.strip()
    assert needle in err and "spec.toml" in err and err.count("\n") == 0, err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_integer_parameters_reach_the_class_as_int(tmp_path):
    """A scenario leaving n unset makes the design's n column float (NaN); runs still get ints."""
    body = GRID.split("[design]")[0] + (
        '[design]\nkind = "scenarios"\n[design.scenarios.small]\nn = 10\n'
        "[design.scenarios.class_default]\n"
    )
    run_experiment(load_spec(write_spec(tmp_path, body)), tmp_path / "out", workers=1)
    runs = load_results(tmp_path / "out").runs
    assert (runs["status"] == "ok").all(), runs["error"].dropna().tolist()
    small, default = runs[runs["point"] == 0], runs[runs["point"] == 1]
    assert (small["total_wealth"] == 10).all()
    assert (default["total_wealth"] == 100).all()  # BoltzmannWealth's default n


@pytest.mark.slow
def test_sampled_integer_parameters_are_whole_numbers(tmp_path):
    spec = load_spec(write_spec(tmp_path, SOBOL))
    assert {f.name: f.kind for f in spec.design.factors} == {"n": "int", "width": "int"}
    run_experiment(spec, tmp_path / "out", workers=1)
    runs = load_results(tmp_path / "out").runs
    assert (runs["n"] == runs["total_wealth"]).all()
    assert runs["n"].between(10, 40).all() and runs["width"].between(3, 8).all()


def test_a_bad_key_in_the_scenario_file_is_named_there(tmp_path, capsys):
    (tmp_path / "wealth.toml").write_text('description = "small"\n[params]\nwidht = 4\n')
    body = GRID.replace("[overrides]", 'scenario = "wealth.toml"\n[overrides]')
    spec = write_spec(tmp_path, body)
    assert main(["run", str(spec), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert "wealth.toml: key 'params.widht'" in err and "did you mean 'width'" in err
    assert not (tmp_path / "out").exists()
