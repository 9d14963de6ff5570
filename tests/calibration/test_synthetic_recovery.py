"""Synthetic calibration: targets made by the model at known values are recovered by ABC-SMC.

The targets file is the user's own (patterns format), built here from runs of
a small community at the true parameter value; the fit must put the truth
inside its 90% posterior interval, continue a stored fit instead of starting
again, and say so when it does not converge.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from community_sim.cli import main
from community_sim.patterns.observe import observed_run

pytest.importorskip("pyabc")

TINY = {
    "horizon_months": 30, "burn_in_months": 12, "n_schools": 1, "n_leading": 1, "n_smes": 5,
    "intake_per_school": 40,
}  # fmt: skip
TRUTH = 20.0


def write_case(tmp_path: Path, *, target: float, eps: float = 1.0, pops: int = 3) -> Path:
    (tmp_path / "targets.toml").write_text(
        "[[pattern]]\n"
        'name = "hire_cost"\nstatistic = "external_hire_weeks"\n'
        f"target = {target}\nlow = {target - 1.5}\nhigh = {target + 1.5}\n"
        'source = "synthetic: the model at hire_cost_weeks = 20 (4 seeds)"\n'
    )
    over = "\n".join(f"{k} = {v}" for k, v in TINY.items())
    spec = tmp_path / "fit.toml"
    spec.write_text(
        'name = "synthetic"\npatterns = "targets.toml"\nfit = ["hire_cost"]\n'
        f"[overrides]\n{over}\n"
        "[priors]\nhire_cost_weeks = { low = 8.0, high = 24.0 }\n"
        f"[abc]\npopulation_size = 10\nmax_populations = {pops}\nepsilon_target = {eps}\n"
        "seed = 3\nppc_samples = 4\nseeds_per_sample = 3\n"
        f"[truth]\nhire_cost_weeks = {TRUTH}\n"
    )
    return spec


@pytest.mark.slow
def test_recovers_the_known_value_and_resumes(tmp_path, capsys):
    target = float(
        np.mean([observed_run({**TINY, "hire_cost_weeks": TRUTH}, s)["external_hire_weeks"]
                 for s in range(8)])
    )  # fmt: skip
    spec = write_case(tmp_path, target=target)
    out = tmp_path / "out"
    assert main(["calibrate", str(spec), "--out", str(out)]) == 0
    summary = pd.read_parquet(out / "posterior_summary.parquet").set_index("parameter")
    row = summary.loc["hire_cost_weeks"]
    assert row["q05"] <= TRUTH <= row["q95"]
    assert row["q95"] - row["q05"] < 16.0 * 0.9  # narrower than the prior
    assert bool(row["truth_in_90"])
    ppc = pd.read_parquet(out / "ppc.parquet")
    assert list(ppc["pattern"]) == ["hire_cost"] and ppc["status"].iloc[0] == "pass"
    for name in ("posterior.parquet", "populations.parquet", "pairs.png", "pairs.pdf"):
        assert (out / name).is_file()
    # Continuing a finished fit runs no new population and gives the same posterior.
    before = pd.read_parquet(out / "posterior.parquet")
    assert main(["calibrate", str(spec), "--out", str(out)]) == 0
    pd.testing.assert_frame_equal(before, pd.read_parquet(out / "posterior.parquet"))
    assert "truth 20 inside" in capsys.readouterr().out


@pytest.mark.slow
def test_a_fit_that_does_not_converge_says_so(tmp_path, capsys):
    spec = write_case(tmp_path, target=21.0, eps=1e-6, pops=1)
    assert main(["calibrate", str(spec), "--out", str(tmp_path / "out")]) == 1
    assert "did not converge" in capsys.readouterr().out


def test_bad_spec_is_a_one_line_error(tmp_path, capsys):
    spec = write_case(tmp_path, target=21.0)
    spec.write_text(spec.read_text().replace("hire_cost_weeks = { low", "hire_cost_wekks = { low"))
    assert main(["calibrate", str(spec), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "priors.hire_cost_wekks" in err and "hire_cost_weeks" in err
    assert not (tmp_path / "out").exists()
