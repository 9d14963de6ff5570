"""Derived outputs: a tiny expression language over the stored series, checked at load."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from engine_helpers import write_spec

from community_sim.cli import main
from community_sim.experiment.derived import evaluate, parse

REPO = Path(__file__).resolve().parents[2]

STEPS = np.array([3, 6, 9, 12, 3, 6, 9, 12])
NAMES = np.array(["a"] * 4 + ["b"] * 4, dtype=object)
VALUES = np.array([1.0, 2.0, 4.0, 8.0, 0.5, 0.0, -1.0, 3.0])


def value(text: str) -> float:
    return evaluate([("x", text)], STEPS, NAMES, VALUES)["x"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mean(a)", 15.0 / 4),
        ("mean(a, months=6..9)", 3.0),
        ("sum(a, months=4..12)", 14.0),
        ("last(b)", 3.0),
        ("min(b) + max(a)", 7.0),
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("-last(a) / 2 - -1", -3.0),
        ("last(a) / mean(a, months=3..3) - 1", 7.0),
        ("2e-1 * 10", 2.0),
    ],
)
def test_expressions_evaluate_as_arithmetic_says(text, expected):
    assert value(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    ["mean(a, months=13..20)", "last(a) / min(b, months=6..6)", "mean(c)"],
)
def test_undefined_is_nan_never_zero(text):
    assert math.isnan(value(text))


def test_an_undefined_month_makes_the_function_undefined():
    values = VALUES.copy()
    values[1] = np.nan
    got = evaluate([("x", "mean(a)"), ("y", "mean(a, months=9..12)")], STEPS, NAMES, values)
    assert math.isnan(got["x"]) and got["y"] == 6.0


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('true')",
        "mean(a).real",
        "mean(a, months=9..3)",
        "mean(a) +",
        "open(a)",
        "mean(a, steps=1..2)",
        "1 ** 2",
    ],
)
def test_anything_else_is_refused(text):
    with pytest.raises(ValueError):
        parse(text)


SPEC = f"""
name = "derived"
scenario = "{REPO / "configs" / "baseline.toml"}"
steps = 30
replicates = 2
seed = 7
compare = ["project", "integrated"]
[overrides]
n_smes = 4
intake_per_school = 20
burn_in_months = 3
[outputs]
scalars = ["enterprise_participation"]
series = ["participation", "mean_trust"]
period = 3
[outputs.derived]
late_participation = "mean(participation, months=19..30)"
trust_gain = "last(mean_trust) - mean(mean_trust, months=1..6)"
[design]
kind = "grid"
[design.parameters]
tech_drift = {{ values = [0.0, 0.25] }}
"""


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("months=19..30", "months=19..40", "end the range at 30 or raise steps"),
        ("last(mean_trust)", "lst(mean_trust)", "unknown function 'lst' (did you mean 'last'?)"),
        ("last(mean_trust)", "last(trust)", "add it to outputs.series"),
        ("months=1..6)", "months=1..6) +", "expected a number"),
        ("late_participation =", "enterprise_participation =", "already an outcome"),
    ],
)
def test_bad_expressions_are_one_line_errors(tmp_path, capsys, old, new, message):
    body = SPEC.replace(old, new)
    if message == "expected a number":
        message = "the expression ends too early"
    spec = write_spec(tmp_path, body)
    assert main(["run", str(spec), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and str(spec) in err and "key 'outputs.derived." in err
    assert message in err
    assert not (tmp_path / "out").exists()


def test_a_function_model_has_no_series_to_derive_from(tmp_path, capsys):
    body = """
name = "f"
model = "analytic_models:linear"
[outputs.derived]
z = "mean(y)"
[design]
kind = "lhs"
n = 4
[design.parameters]
x0 = { low = 0, high = 1 }
"""
    spec = write_spec(tmp_path, body)
    assert main(["run", str(spec), "--out", str(tmp_path / "out")]) == 2
    assert "this model stores no series" in capsys.readouterr().err


@pytest.mark.slow
def test_derived_outputs_are_stored_and_analysed(tmp_path, capsys):
    spec = write_spec(tmp_path, SPEC)
    out = tmp_path / "out"
    assert main(["run", str(spec), "--out", str(out), "--workers", "1", "--no-progress"]) == 0
    assert "late_participation" in capsys.readouterr().out  # in the grid's summary by drift
    runs = pd.read_parquet(out / "runs.parquet").set_index("run_id")
    series = pd.read_parquet(out / "series.parquet")
    # the stored value is the same statistic taken by pandas from the stored series
    wide = series.pivot_table(index=["run_id", "step"], columns="name", values="value")
    late = wide["participation"].loc[(slice(None), slice(19, 30))].groupby("run_id").mean()
    trust = wide["mean_trust"]
    gain = (
        trust.groupby("run_id").last()
        - trust.loc[(slice(None), slice(1, 6))].groupby("run_id").mean()
    )
    pd.testing.assert_series_equal(runs["late_participation"], late, check_names=False)
    pd.testing.assert_series_equal(runs["trust_gain"], gain, check_names=False)
    assert main(["analyze", str(out), "--outputs", "late_participation", "--force"]) == 0
    by = pd.read_csv(out / "analysis" / "by_tech_drift.csv")
    assert set(by["outcome"]) == {"late_participation"}
