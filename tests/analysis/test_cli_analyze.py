"""End to end: `community-sim run` a spec with an analytic model, then `analyze` it."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from community_sim.cli import main

PI = math.pi
S1_TRUE = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ST_TRUE = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}
VAR_ISHIGAMI = 13.8446
NOISE_SD = math.sqrt(0.25 * VAR_ISHIGAMI)  # noise = 20% of one run's variance

ISHIGAMI = """
name = "ishigami"
model = "analytic_models:{model}"
seed = {seed}
replicates = {replicates}
[overrides]
noise = {noise}
[design]
kind = "sobol"
n = {n}
second_order = {second}
[design.parameters]
x1 = {{ low = {lo}, high = {hi} }}
x2 = {{ low = {lo}, high = {hi} }}
x3 = {{ low = {lo}, high = {hi} }}
"""


def run_spec(tmp_path: Path, body: str, name: str) -> Path:
    spec = tmp_path / f"{name}.toml"
    spec.write_text(body.strip() + "\n")
    out = tmp_path / name
    code = main(["run", str(spec), "--out", str(out), "--workers", "1", "--no-progress"])
    assert code == 0
    return out


def ishigami_spec(model: str, n: int, replicates: int = 1, second: bool = False) -> str:
    return ISHIGAMI.format(
        model=model,
        seed=2026,
        replicates=replicates,
        noise=NOISE_SD,
        n=n,
        second=str(second).lower(),
        lo=-PI,
        hi=PI,
    )


def indices(out: Path, target: str = "mean") -> pd.DataFrame:
    df = pd.read_parquet(out / "analysis" / "indices.parquet")
    return df[(df["target"] == target) & (df["method"] == "sobol")].set_index("parameter")


@pytest.fixture(scope="module")
def ishigami_run(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("ishigami")
    return run_spec(tmp, ishigami_spec("ishigami", 1024), "det")


@pytest.mark.slow
def test_ishigami_through_the_cli(ishigami_run, capsys):
    out = ishigami_run
    assert (out / "analysis" / "report.txt").is_file()  # `run` analysed it already
    assert main(["analyze", str(out)]) == 0
    idx = indices(out)
    for p in ("x1", "x2", "x3"):
        assert idx.loc[p, "S1"] == pytest.approx(S1_TRUE[p], abs=0.03)
        assert idx.loc[p, "ST"] == pytest.approx(ST_TRUE[p], abs=0.03)
    files = {p.name for p in (out / "analysis").iterdir()}
    for stem in ("indices", "convergence", "noise"):
        assert {f"{stem}.parquet", f"{stem}.csv"} <= files
    assert "indices.tex" in files and "report.txt" in files
    report = (out / "analysis" / "report.txt").read_text()
    assert "N=1024" in report
    # a model that declares itself deterministic gets no replicate-noise warning
    assert "one replicate per point" not in report
    back = pd.read_csv(out / "analysis" / "indices.csv")
    stored = pd.read_parquet(out / "analysis" / "indices.parquet")
    assert back["note"].isna().all() and stored["note"].isna().all()  # every index defined
    pd.testing.assert_frame_equal(
        back.drop(columns="note"), stored.drop(columns="note"), check_dtype=False
    )


@pytest.mark.slow
def test_noisy_ishigami_correction_and_noise_share(tmp_path):
    out4 = run_spec(tmp_path, ishigami_spec("noisy_ishigami", 1024, replicates=4), "r4")
    out1 = run_spec(tmp_path, ishigami_spec("noisy_ishigami", 1024, replicates=1), "r1")
    for out in (out4, out1):
        assert main(["analyze", str(out)]) == 0
    r4, r1 = indices(out4), indices(out1)
    for p in ("x1", "x2", "x3"):
        assert r4.loc[p, "S1"] == pytest.approx(S1_TRUE[p], abs=0.03)
        assert r4.loc[p, "ST"] == pytest.approx(ST_TRUE[p], abs=0.03)
    # R=1, noise 20% of Var(Y): S1 shrinks (by 0.8) and ST = 0.8 ST_f + 0.2 rises;
    # the averaged check against the analytic values is in test_core.py
    assert r1.loc["x2", "S1"] < S1_TRUE["x2"] - 0.04
    assert r1.loc["x3", "ST"] == pytest.approx(0.8 * ST_TRUE["x3"] + 0.2, abs=0.05)
    assert r1.loc["x3", "ST"] > ST_TRUE["x3"] + 0.1
    noise = pd.read_parquet(out4 / "analysis" / "noise.parquet").iloc[0]
    assert noise["replicates"] == 4
    assert noise["noise_share"] == pytest.approx(0.2, abs=0.03)
    assert set(pd.read_parquet(out4 / "analysis" / "indices.parquet")["target"]) == {"mean", "sd"}
    text = " ".join((out1 / "analysis" / "report.txt").read_text().split())
    assert "S1 and S2 shrink toward 0" in text and "ST rises toward 1" in text


def test_morris_linear_through_the_cli(tmp_path):
    body = """
name = "linear"
model = "analytic_models:linear"
seed = 3
[design]
kind = "morris"
n = 10
levels = 4
[design.parameters]
x0 = { low = 0.0, high = 2.0 }
x1 = { low = -1.0, high = 1.0 }
x2 = { low = 10.0, high = 15.0 }
"""
    out = run_spec(tmp_path, body, "morris")
    assert main(["analyze", str(out)]) == 0
    m = pd.read_parquet(out / "analysis" / "morris.parquet").set_index("parameter")
    # y = 1*x0 + 2*x1 + 3*x2: mu* = slope × range
    np.testing.assert_allclose(m.loc[["x0", "x1", "x2"], "mu_star"], [2.0, 4.0, 15.0], rtol=1e-9)
    assert (out / "analysis" / "morris.tex").read_text().count(r"\toprule") == 1


def test_nan_output_is_a_one_line_error(tmp_path, capsys):
    out = run_spec(tmp_path, ishigami_spec("ishigami", 16), "nan")
    before = (out / "analysis" / "indices.csv").read_text()  # written by `run` itself
    runs_path = out / "runs.parquet"
    runs = pd.read_parquet(runs_path)
    runs.loc[runs["run_id"].isin([3, 40]), "y"] = np.nan
    runs.to_parquet(runs_path, index=False)
    capsys.readouterr()
    assert main(["analyze", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "y is undefined in 2 of 80 runs (runs 3, 40 at points 3, 40)" in err
    assert "--drop" in err and "--impute mean" in err
    assert (out / "analysis" / "indices.csv").read_text() == before  # no zeros written
    assert main(["analyze", str(out), "--impute", "mean"]) == 0
    assert "imputed 2 value(s) of y" in (out / "analysis" / "report.txt").read_text()


@pytest.mark.slow
def test_second_order_through_the_cli_matches_the_analytic_ishigami(tmp_path):
    # Ishigami's only interaction is x1-x3: S2_13 = V13 / V = ST_3 (S1_3 = 0), the others 0
    out = run_spec(tmp_path, ishigami_spec("ishigami", 512, second=True), "s2")
    assert main(["analyze", str(out)]) == 0
    s2 = pd.read_parquet(out / "analysis" / "sobol_s2.parquet").set_index(["param_i", "param_j"])
    assert s2.loc[("x1", "x3"), "S2"] == pytest.approx(ST_TRUE["x3"], abs=0.06)
    assert abs(s2.loc[("x1", "x2"), "S2"]) < 0.06 and abs(s2.loc[("x2", "x3"), "S2"]) < 0.06
    assert s2["S2_conf"].notna().all()
    idx = indices(out)
    for p in ("x1", "x2", "x3"):
        assert idx.loc[p, "ST"] == pytest.approx(ST_TRUE[p], abs=0.05)
