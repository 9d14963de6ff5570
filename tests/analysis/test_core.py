"""The in-memory analysis: checks before SALib, targets, noise share, Morris, convergence."""

from __future__ import annotations

import numpy as np
import pytest
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample
from SALib.test_functions import Ishigami

from community_sim.analysis.convergence import convergence_warnings, subsample_sizes
from community_sim.analysis.core import analyze_outputs
from community_sim.analysis.design import DesignInfo
from community_sim.analysis.replicates import Replicated, check_finite, noise_summary
from community_sim.errors import UserError

NAMES = ("x1", "x2", "x3")
BOUNDS = ((-np.pi, np.pi),) * 3
PROBLEM = {"num_vars": 3, "names": list(NAMES), "bounds": [list(b) for b in BOUNDS]}


def _rep(name: str, values: np.ndarray) -> Replicated:
    values = values.reshape(len(values), -1)
    return Replicated(name, values, np.arange(values.size).reshape(values.shape))


def _sobol_info(n: int, second: bool = False) -> DesignInfo:
    X = sobol_sample.sample(PROBLEM, n, calc_second_order=second, seed=3)
    return DesignInfo("sobol", NAMES, BOUNDS, X, n, second)


def test_nan_output_is_an_error_naming_the_runs():
    info = _sobol_info(16)
    y = Ishigami.evaluate(info.X)
    y[[4, 17]] = np.nan
    with pytest.raises(UserError) as err:
        analyze_outputs(info, {"y": _rep("y", y)}, "sobol", source="out/runs.parquet")
    msg = str(err.value)
    assert "\n" not in msg
    assert "runs 4, 17" in msg and "points 4, 17" in msg and "--impute mean" in msg


def test_impute_mean_is_recorded():
    info = _sobol_info(16)
    y = Ishigami.evaluate(info.X)
    y[5] = np.inf
    tables = analyze_outputs(info, {"y": _rep("y", y)}, "sobol", impute="mean")
    assert any("imputed 1 non-finite" in n for n in tables.notes)
    assert tables.indices["S1"].notna().all()


def test_sample_must_match_n_and_second_order_flag():
    info = _sobol_info(16, second=True)
    wrong = DesignInfo("sobol", NAMES, BOUNDS, info.X, 16, False)
    y = Ishigami.evaluate(info.X)
    with pytest.raises(UserError, match="second order False"):
        analyze_outputs(wrong, {"y": _rep("y", y)}, "sobol")


def test_too_small_n_and_wrong_design_kind_are_refused():
    info = _sobol_info(4)
    with pytest.raises(UserError, match="too small"):
        analyze_outputs(info, {"y": _rep("y", Ishigami.evaluate(info.X))}, "sobol")
    with pytest.raises(UserError, match="needs a morris design"):
        analyze_outputs(info, {"y": _rep("y", Ishigami.evaluate(info.X))}, "morris")


def test_non_power_of_two_is_reported():
    X = sobol_sample.sample(PROBLEM, 16, calc_second_order=False, seed=3)[: 12 * 5]
    info = DesignInfo("sobol", NAMES, BOUNDS, X, 12, False)
    tables = analyze_outputs(info, {"y": _rep("y", Ishigami.evaluate(X))}, "sobol")
    assert any("not a power of two" in w for w in tables.warnings)


def test_single_replicate_warns_about_inflated_totals():
    info = _sobol_info(64)
    tables = analyze_outputs(info, {"y": _rep("y", Ishigami.evaluate(info.X))}, "sobol")
    assert set(tables.indices["target"]) == {"mean"}
    assert any("inflates total-order" in w for w in tables.warnings)
    assert np.isnan(tables.noise.loc[0, "noise_share"])


def test_replicates_give_sd_target_and_noise_share():
    info = _sobol_info(256)
    rng = np.random.default_rng(5)
    f = Ishigami.evaluate(info.X)
    sd = 1.0 + (info.X[:, 0] > 0)  # heteroscedastic: x1 drives the spread
    runs = f[:, None] + sd[:, None] * rng.normal(size=(f.size, 6))
    tables = analyze_outputs(info, {"y": _rep("y", runs)}, "sobol")
    assert set(tables.indices["target"]) == {"mean", "sd"}
    sd_rows = tables.indices[tables.indices["target"] == "sd"].set_index("parameter")
    assert sd_rows.loc["x1", "ST"] > 0.5 and sd_rows.loc["x1", "ST"] > sd_rows.loc["x2", "ST"]
    true_within = np.mean(sd**2)
    row = tables.noise.iloc[0]
    assert row["within_var"] == pytest.approx(true_within, rel=0.1)
    assert row["total_var"] == pytest.approx(runs.var(ddof=1), rel=1e-12)
    assert row["noise_share"] == pytest.approx(true_within / row["total_var"], rel=0.1)


def test_morris_linear_mu_star_is_slope_times_range():
    X = morris_sample.sample(PROBLEM, 20, num_levels=4, seed=1)
    info = DesignInfo("morris", NAMES, BOUNDS, X, None, False, levels=4, trajectories=20)
    y = 3.0 * X[:, 0] - 0.5 * X[:, 1]
    m = analyze_outputs(info, {"y": _rep("y", y)}, "morris").morris.set_index("parameter")
    width = 2 * np.pi
    np.testing.assert_allclose(m["mu_star"], [3.0 * width, 0.5 * width, 0.0], atol=1e-9)
    np.testing.assert_allclose(m["mu"], [3.0 * width, -0.5 * width, 0.0], atol=1e-9)
    np.testing.assert_allclose(m["sigma"], 0.0, atol=1e-9)


def test_convergence_sizes_and_warnings():
    assert subsample_sizes(1024) == [128, 256, 512, 1024]
    assert subsample_sizes(16) == [4, 8, 16]
    info = _sobol_info(64)
    tables = analyze_outputs(info, {"y": _rep("y", Ishigami.evaluate(info.X))}, "sobol")
    conv = tables.convergence
    assert sorted(conv["n"].unique()) == [8, 16, 32, 64]
    assert set(conv["index"]) == {"S1", "ST"}
    assert (conv["conf_low"] <= conv["value"]).all() and (conv["value"] <= conv["conf_high"]).all()
    assert any("wider than 0.1" in w for w in tables.warnings)


def test_convergence_warning_rules():
    import pandas as pd

    rows = [
        ("a", "S1", 8, 0.5, 0.45, 0.55),
        ("b", "S1", 8, 0.2, 0.15, 0.25),
        ("a", "S1", 16, 0.1, 0.05, 0.15),
        ("b", "S1", 16, -0.3, -0.35, -0.25),
    ]
    conv = pd.DataFrame(rows, columns=["parameter", "index", "n", "value", "conf_low", "conf_high"])
    conv = pd.concat([conv, conv.assign(index="ST")], ignore_index=True)
    warn = convergence_warnings(conv, "y [mean]")
    assert any("b is negative beyond its CI" in w for w in warn)
    assert not any("wider" in w for w in warn)
    conv.loc[conv["n"] == 16, "value"] = [0.1, 0.3, 0.1, 0.3]
    assert any("ranking by S1 still changes" in w for w in convergence_warnings(conv, "y"))


def test_check_finite_and_noise_summary_basics():
    out = _rep("y", np.array([[1.0, np.nan], [2.0, 3.0]]))
    with pytest.raises(UserError, match="runs 1 at points 0"):
        check_finite({"y": out})
    fixed, notes = check_finite({"y": out}, impute="mean")
    assert fixed["y"].values[0, 1] == pytest.approx(2.0) and notes
    s = noise_summary(_rep("z", np.array([[1.0, 3.0], [5.0, 7.0]])))
    assert s["within_var"] == pytest.approx(2.0) and s["replicates"] == 2


def test_method_names_match_the_registry():
    from community_sim.analysis import METHOD_NAMES
    from community_sim.analysis.methods import METHODS

    assert tuple(METHODS) == METHOD_NAMES


def test_noise_dominated_mean_is_undefined_and_says_so():
    info = _sobol_info(16)
    m = 0.1 * np.sin(info.X[:, 0])
    values = np.stack([m + 10.0, m - 10.0], axis=1)  # s2/R = 100 >> Var(mean)
    tables = analyze_outputs(info, {"y": _rep("y", values)}, "sobol")
    mean = tables.indices[tables.indices["target"] == "mean"]
    assert mean["S1"].isna().all() and mean["ST"].isna().all()
    assert any("indices undefined" in w for w in tables.warnings)
    assert tables.noise.loc[0, "noise_share"] > 0.99
