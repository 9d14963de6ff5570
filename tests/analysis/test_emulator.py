"""Emulator-assisted Sobol' indices against known values: G-function, Ishigami, noisy Ishigami."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from SALib.test_functions import Sobol_G
from scipy.stats import qmc

from community_sim.analysis.sensitivity.emulator import GPEmulator, emulated_sobol, holdout_mask
from community_sim.analysis.sensitivity.emulator_check import validate
from community_sim.cli import main

G_A = np.array([0.0, 1.0, 4.5, 9.0, 99.0, 99.0])
ISHIGAMI_S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ISHIGAMI_ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}

SPEC = """
name = "emulated"
model = "analytic_models:{model}"
seed = 4
replicates = {replicates}
[design]
kind = "sobol"
n = {n}
emulator = "gp"
[design.parameters]
x1 = {{ low = {lo}, high = {hi} }}
x2 = {{ low = {lo}, high = {hi} }}
x3 = {{ {x3} }}
"""


def write_spec(tmp_path: Path, model: str, n: int, replicates: int = 1, x3: str = "") -> Path:
    x3 = x3 or f"low = {-math.pi}, high = {math.pi}"
    text = SPEC.format(model=model, n=n, replicates=replicates, lo=-math.pi, hi=math.pi, x3=x3)
    spec = tmp_path / "emulated.toml"
    spec.write_text(text.strip() + "\n")
    return spec


def run(tmp_path: Path, spec: Path) -> Path:
    out = tmp_path / "out"
    assert main(["run", str(spec), "--out", str(out), "--workers", "1", "--no-progress"]) == 0
    return out


@pytest.mark.slow
def test_g_function_indices_from_the_emulator():
    u = qmc.Sobol(len(G_A), scramble=True, seed=3).random(256)
    y = Sobol_G.evaluate(u, G_A)
    test = holdout_mask(len(u))
    em = GPEmulator(u[~test], y[~test], seed=0)
    v = validate(em, u[test], y[test], int((~test).sum()))
    assert v.q2 >= 0.9 and v.q2 == v.q2_raw  # one replicate: nothing to correct
    res = emulated_sobol(em, len(G_A), n_boot=100, rng=np.random.default_rng(1))
    s1, st = Sobol_G.sensitivity_index(G_A), Sobol_G.total_sensitivity_index(G_A)
    np.testing.assert_allclose(res.S1, s1, atol=0.04)
    np.testing.assert_allclose(res.ST, st, atol=0.04)
    # the two leading parameters' known values lie inside the CIs
    for est, conf, true in ((res.S1, res.S1_conf, s1), (res.ST, res.ST_conf, st)):
        assert np.all(np.abs(est[:2] - true[:2]) <= conf[:2])


@pytest.mark.slow
def test_draws_widen_the_bootstrap_interval():
    u = qmc.Sobol(len(G_A), scramble=True, seed=3).random(64)  # a poor emulator: wide draws
    em = GPEmulator(u, Sobol_G.evaluate(u, G_A), seed=0)
    rng = np.random.default_rng(2)
    f = em.draws(u[:8], 50, rng)
    assert f.shape == (50, 8)
    res = emulated_sobol(em, len(G_A), n_boot=50, rng=np.random.default_rng(1))
    assert res.S1_conf[0] > 0.05  # 64 points cannot pin x1 down to a few hundredths


@pytest.mark.slow
def test_one_seed_gives_identical_indices():
    u = qmc.Sobol(len(G_A), scramble=True, seed=5).random(64)
    y = Sobol_G.evaluate(u, G_A)
    runs = [
        emulated_sobol(GPEmulator(u, y, seed=3), len(G_A), n_boot=20, rng=np.random.default_rng(9))
        for _ in range(2)
    ]
    for field in ("S1", "S1_conf", "ST", "ST_conf"):
        np.testing.assert_array_equal(getattr(runs[0], field), getattr(runs[1], field))


@pytest.mark.slow
def test_noisy_ishigami_through_the_cli(tmp_path):
    out = run(tmp_path, write_spec(tmp_path, "noisy_ishigami", 512, replicates=2))
    idx = pd.read_parquet(out / "analysis" / "indices.parquet").set_index("parameter")
    assert set(idx["target"]) == {"mean"}
    for p in ISHIGAMI_S1:
        assert idx.loc[p, "S1"] == pytest.approx(ISHIGAMI_S1[p], abs=0.04)
        assert idx.loc[p, "ST"] == pytest.approx(ISHIGAMI_ST[p], abs=0.04)
        assert abs(idx.loc[p, "ST"] - ISHIGAMI_ST[p]) <= idx.loc[p, "ST_conf"]
    check = pd.read_parquet(out / "analysis" / "emulator.parquet").iloc[0]
    assert check["q2"] >= 0.9 and check["n_test"] == 102
    assert 0.85 <= check["coverage"] <= 1.0
    assert check["noise_sd"] == pytest.approx(0.5, rel=0.2)  # noisy_ishigami's SD
    report = (out / "analysis" / "report.txt").read_text()
    assert "Q²=" in report and "coverage" in report


def test_a_poor_emulator_is_refused(tmp_path, capsys):
    out = run(tmp_path, write_spec(tmp_path, "ishigami", 32))
    before = (
        sorted(p.name for p in (out / "analysis").iterdir()) if (out / "analysis").exists() else []
    )
    capsys.readouterr()
    assert main(["analyze", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert "Q²=" in err and "emulator does not validate" in err and "\n" not in err
    after = (
        sorted(p.name for p in (out / "analysis").iterdir()) if (out / "analysis").exists() else []
    )
    assert after == before  # nothing written


@pytest.mark.parametrize(
    ("x3", "kind", "emulator", "needle"),
    [
        ('kind = "int", low = 0, high = 3', "sobol", "gp", "design.parameters.x3"),
        ("", "sobol", "pce", "design.emulator"),
        ("", "lhs", "gp", "design.emulator"),
    ],
)
def test_bad_emulator_specs_are_refused(tmp_path, capsys, x3, kind, emulator, needle):
    spec = write_spec(tmp_path, "ishigami", 64, x3=x3)
    text = spec.read_text().replace('kind = "sobol"', f'kind = "{kind}"')
    spec.write_text(text.replace('emulator = "gp"', f'emulator = "{emulator}"'))
    assert main(["run", str(spec), "--out", str(tmp_path / "o"), "--no-progress"]) == 2
    err = capsys.readouterr().err.strip()
    assert needle in err and "\n" not in err
    assert not (tmp_path / "o").exists()
