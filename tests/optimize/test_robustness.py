"""Robustness metrics on a 3 × 3 table whose answers are worked out by hand.

values[candidate, scenario] (y to maximise):   A = [5, 3, 8], B = [4, 6, 7], C = [6, 2, 5].
Best per scenario: [6, 6, 8] → regrets A [1, 3, 0], B [2, 0, 1], C [0, 4, 3]; max 3, 2, 4.
To minimise instead: best [4, 2, 5] → A [1, 1, 3], B [0, 4, 2], C [2, 0, 0]; max 3, 4, 2.
y >= 6 holds in A: 1 of 3, B: 2 of 3, C: 1 of 3 scenarios.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from mo_models import TABLE

from community_sim.analysis.robustness import most_robust, parse_metric, score
from community_sim.cli import main
from community_sim.errors import UserError
from community_sim.experiment.engine import run_experiment

V = np.array([TABLE[0], TABLE[1], TABLE[2]])


def _m(text: str):
    return parse_metric(text, source="test")


@pytest.mark.parametrize(
    ("metric", "sense", "expected", "best"),
    [
        ("regret", "max", [3, 2, 4], 1),
        ("regret", "min", [3, 4, 2], 2),
        ("satisficing:y >= 6", "max", [1 / 3, 2 / 3, 1 / 3], 1),
        ("percentile:0", "max", [3, 4, 2], 1),
        ("percentile:50", "max", [5, 6, 5], 1),
        ("percentile:100", "min", [8, 7, 6], 2),
        ("mean", "max", [16 / 3, 17 / 3, 13 / 3], 1),
    ],
)
def test_metrics_match_the_hand_computed_table(metric, sense, expected, best):
    m = _m(metric)
    got = score(V, m, sense)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    assert most_robust(got, m.better(sense)) == best


def test_an_undefined_cell_leaves_its_candidate_undefined_and_the_others_scored():
    v = V.copy()
    v[2, 0] = np.nan  # C unknown in scenario 0: best there becomes A's 5
    got = score(v, _m("regret"), "max")
    # best [5, 6, 8]: A [0, 3, 0] → 3; B [1, 0, 1] → 1; C undefined
    assert got[0] == 3 and got[1] == 1 and math.isnan(got[2])


@pytest.mark.parametrize("text", ["worst", "percentile:120", "satisficing:y ~ 3", "regret:2"])
def test_bad_metrics_are_refused(text):
    with pytest.raises(UserError, match="test"):
        _m(text)


def _sweep(tmp_path):
    spec = tmp_path / "grid.toml"
    spec.write_text(
        'name = "grid"\nmodel = "mo_models:table"\nreplicates = 2\nseed = 3\n'
        '[design]\nkind = "grid"\n[design.parameters]\n'
        'a = { low = 0, high = 2, kind = "int" }\ns = { low = 0, high = 2, kind = "int" }\n'
    )
    out = tmp_path / "out"
    run_experiment(spec, out, workers=1)
    return out


def test_robustness_command_on_a_stored_grid_sweep(tmp_path, capsys):
    out = _sweep(tmp_path)
    code = main(["robustness", str(out), "--levers", "a", "--metric", "regret", "--outcome", "y"])
    text = capsys.readouterr().out
    assert code == 0
    assert "most robust: a=1 (regret 2," in text
    table = (out / "robustness" / "regret-y.csv").read_text().splitlines()
    assert table[0] == "a,regret,mean,scenarios"
    assert table[1].startswith("1,2.0,")
    assert (out / "robustness" / "regret-y.png").is_file()
    code = main(
        ["robustness", str(out), "--levers", "a", "--metric", "satisficing:y >= 6", "--format", ""]
    )
    assert code == 0 and "most robust: a=1 (satisficing 0.6667" in capsys.readouterr().out


def test_robustness_refuses_a_sweep_that_does_not_cross_levers_and_scenarios(tmp_path, capsys):
    spec = tmp_path / "lhs.toml"
    spec.write_text(
        'name = "lhs"\nmodel = "mo_models:table"\nseed = 3\n'
        '[design]\nkind = "lhs"\nn = 6\n[design.parameters]\n'
        'a = { low = 0, high = 2, kind = "int" }\ns = { low = 0, high = 2, kind = "int" }\n'
    )
    run_experiment(spec, tmp_path / "out", workers=1)
    args = ["robustness", str(tmp_path / "out"), "--levers", "a", "--metric", "mean"]
    assert main([*args, "--outcome", "y"]) == 2
    err = capsys.readouterr().err.strip()
    assert "does not cross the levers" in err and len(err.splitlines()) == 1
    assert main([*args[:2], "--levers", "b", "--metric", "mean", "--outcome", "y"]) == 2
    assert "'b' is not varied" in capsys.readouterr().err


def test_policy_is_a_lever_of_a_sweep_that_compares_policies(tmp_path, capsys):
    spec = tmp_path / "compare.toml"
    spec.write_text(
        'name = "cmp"\nmodel = "mo_models:policy_table"\nseed = 3\n'
        'compare = ["project", "integrated", "transition"]\n'
        '[design]\nkind = "grid"\n[design.parameters]\ns = { low = 0, high = 2, kind = "int" }\n'
    )
    out = tmp_path / "out"
    run_experiment(spec, out, workers=1)
    args = ["robustness", str(out), "--levers", "policy", "--format", ""]
    assert main([*args, "--metric", "regret", "--outcome", "y"]) == 0
    assert "most robust: policy=integrated (regret 2," in capsys.readouterr().out
    assert main([*args, "--metric", "regret", "--outcome", "y", "--sense", "min"]) == 0
    assert "most robust: policy=transition (regret 2," in capsys.readouterr().out
