"""The studies in experiments/ load, and a small sobol_policy_gap runs and is analysed."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from community_sim.cli import main
from community_sim.experiment import load_spec

ROOT = Path(__file__).resolve().parents[2]
STUDIES = ("sobol_policy_gap", "morris_screening")


@pytest.mark.parametrize("name", STUDIES)
def test_study_specs_load(name):
    spec = load_spec(ROOT / "experiments" / f"{name}.toml")
    assert spec.compare == ("project", "integrated")
    assert spec.replicates >= 2  # the noise correction needs replicates


def test_morris_screening_varies_every_numeric_parameter():
    from community_sim.params import PARAMS

    spec = load_spec(ROOT / "experiments" / "morris_screening.toml")
    varied = {f.name for f in spec.design.factors}
    numeric = {p.name for p in PARAMS.values() if p.kind in ("real", "int")}
    assert numeric - varied == {"horizon_months", "burn_in_months"}


@pytest.mark.slow
def test_small_sobol_policy_gap_is_analysed(tmp_path, capsys):
    text = (ROOT / "experiments" / "sobol_policy_gap.toml").read_text()
    text = re.sub(r"(?m)^n = 512", "n = 8", text)
    baseline = (ROOT / "configs" / "baseline.toml").as_posix()
    text = text.replace('"../configs/baseline.toml"', f'"{baseline}"')
    # a small, short community so that the test stays quick; 36 months cannot
    # follow a partnership for 60, so its 5-year survival is undefined in every run
    text += (
        "\n[overrides]\nhorizon_months = 36\nburn_in_months = 12\nn_schools = 2\n"
        "n_leading = 2\nn_smes = 8\nintake_per_school = 60\n"
    )
    spec = tmp_path / "gap.toml"
    spec.write_text(text)
    out = tmp_path / "gap"
    assert main(["run", str(spec), "--out", str(out), "--workers", "1", "--no-progress"]) == 0
    capsys.readouterr()
    # undefined is not a failed run: the guard names the outcome and why, and asks for a choice
    assert main(["analyze", str(out)]) == 2
    err = capsys.readouterr().err
    assert re.search(r"partnership_survival_5y@project is undefined in 1\d\d of 160 runs", err)
    assert re.search(r"diff:partnership_survival_5y is undefined in 1\d\d of 160 runs", err)
    assert "followed for 60 months" in err and "--drop" in err
    assert "failed" not in err
    assert main(["analyze", str(out), "--drop"]) == 0
    report = (out / "analysis" / "report.txt").read_text()
    left = r"left out diff:partnership_survival_5y: undefined in 1\d\d of 160 runs"
    assert re.search(left, report)
    idx = pd.read_parquet(out / "analysis" / "indices.parquet")
    assert "diff:trial_error_cost_per_hire_weeks" in set(idx["output"])
    assert not any("partnership_survival_5y" in o for o in idx["output"])
    assert set(idx["parameter"]) == {f.name for f in load_spec(spec).design.factors}
    # an index is a share in [-0.1, 1.1] with a CI, or NaN with its reason: a note
    # on the row, or (when the variance itself is not positive) the whole output
    defined = idx["ST"].notna()
    assert idx.loc[defined, "ST_conf"].notna().all()
    whole = idx.groupby(["output", "target"])["ST"].transform(lambda s: s.isna().all())
    noted = idx["note"].fillna("").str.startswith("undefined")
    assert (defined | noted | whole).all()
    # the analysis read the stored runs the right way round: its noise table agrees
    # with the within-pair variance computed here from runs.parquet by pandas
    runs = pd.read_parquet(out / "runs.parquet")
    col = "trial_error_cost_per_hire_weeks"
    wide = runs.pivot_table(index=["point", "replicate"], columns="policy", values=col)
    d = (wide["integrated"] - wide["project"]).rename("d").reset_index()
    within = d.groupby("point")["d"].var(ddof=1).mean()
    noise = pd.read_parquet(out / "analysis" / "noise.parquet").set_index("output")
    assert noise.loc[f"diff:{col}", "within_var"] == pytest.approx(within, rel=1e-9)
    paired = pd.read_parquet(out / "analysis" / "paired.parquet").set_index("output")
    assert paired.loc[col, "mean_diff"] == pytest.approx(d.groupby("point")["d"].mean().mean())
    surv = runs.pivot_table(
        index=["point", "replicate"], columns="policy", values="partnership_survival_5y",
        dropna=False,
    )  # fmt: skip
    defined_pairs = int(surv.notna().all(axis=1).sum())  # a few 36-month runs reach 0
    assert paired.loc["partnership_survival_5y", "n"] == defined_pairs < 10
