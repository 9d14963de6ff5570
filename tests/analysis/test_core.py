"""The in-memory analysis: checks before SALib, targets, noise share, Morris, convergence."""

from __future__ import annotations

import numpy as np
import pytest
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample
from SALib.test_functions import Ishigami

from analytic_models import ishigami_indices
from community_sim.analysis.sensitivity.convergence import convergence_warnings, subsample_sizes
from community_sim.analysis.sensitivity.core import analyze_outputs
from community_sim.analysis.sensitivity.design import DesignInfo
from community_sim.analysis.sensitivity.replicates import Replicated, check_finite, noise_summary
from community_sim.analysis.sensitivity.sobol import sobol_indices, split_saltelli
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


def test_imputed_indices_are_marked_in_every_table_latex_and_figure():
    # mean imputation gives indices of neither the model nor its defined region, so
    # every place that shows them must say so, not only report.txt
    import matplotlib

    matplotlib.use("Agg")
    from community_sim.analysis.tables import indices_latex
    from community_sim.figures.sensitivity import plot_indices

    info = _sobol_info(16)
    y = Ishigami.evaluate(info.X)
    clean = analyze_outputs(info, {"z": _rep("z", y.copy())}, "sobol", impute="mean")
    y[[5, 9]] = np.inf
    tables = analyze_outputs(info, {"y": _rep("y", y)}, "sobol", impute="mean")
    assert any("imputed 2 value(s) of y" in n for n in tables.notes)
    assert (tables.indices["imputed"] == 2).all() and (clean.indices["imputed"] == 0).all()
    assert tables.s2 is None or (tables.s2["imputed"] == 2).all()
    tex = indices_latex(tables.indices, "sobol")
    assert "y$^\\dagger$" in tex and "neither the model" in tex
    assert "dagger" not in indices_latex(clean.indices, "sobol")
    ax = plot_indices(tables.indices, "y")
    assert any("2 runs imputed" in t.get_text() for t in ax.texts)
    assert not any("imputed" in t.get_text() for t in plot_indices(clean.indices, "z").texts)


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


def test_single_replicate_warning_and_its_silence_for_a_deterministic_model():
    info = _sobol_info(64)
    y = {"y": _rep("y", Ishigami.evaluate(info.X))}
    tables = analyze_outputs(info, y, "sobol")  # a model that does not say it is deterministic
    assert set(tables.indices["target"]) == {"mean"}
    text = " ".join(tables.warnings)
    assert "S1 and S2 shrink toward 0" in text and "ST rises toward 1" in text
    assert np.isnan(tables.noise.loc[0, "noise_share"])
    quiet = analyze_outputs(info, y, "sobol", deterministic=True)
    assert not any("replicate" in w for w in quiet.warnings)
    X = morris_sample.sample(PROBLEM, 20, num_levels=4, seed=1)
    morris_info = DesignInfo("morris", NAMES, BOUNDS, X, None, False, levels=4, trajectories=20)
    morris = analyze_outputs(morris_info, {"y": _rep("y", X[:, 0])}, "morris")
    assert any("mu* and sigma grow" in w for w in morris.warnings)


def _noisy_ishigami(n: int, reps: int, noise_sd: float, seed: int) -> np.ndarray:
    X = sobol_sample.sample(PROBLEM, n, calc_second_order=False, seed=3)
    rng = np.random.default_rng(seed)
    return Ishigami.evaluate(X)[:, None] + noise_sd * rng.normal(size=(len(X), reps))


def _indices(y: np.ndarray, noise: np.ndarray | None, seed: int) -> np.ndarray:
    blocks = split_saltelli(y, 3, False)
    nb = None if noise is None else split_saltelli(noise, 3, False)
    r = sobol_indices(blocks, nb, n_boot=20, rng=np.random.default_rng(seed))
    return np.r_[r.S1, r.ST]


VAR_ISHIGAMI = 13.8446  # Var of the Ishigami function (a = 7, b = 0.1)


def _analytic() -> np.ndarray:
    true = ishigami_indices()
    return np.array([true[k][p] for k in ("S1", "ST") for p in NAMES])


def test_one_replicate_biases_match_the_analytic_direction():
    # Noise of variance s2 = V/4 (20% of one run's variance). Against the analytic
    # Ishigami indices: S1 shrinks by V / (V + s2) = 0.8 and ST = 0.8 ST_f + 0.2,
    # averaged over 8 noise draws (one draw's SD is ~0.03; the mean's ~0.01).
    s1, st = _analytic()[:3], _analytic()[3:]
    noise_sd = np.sqrt(VAR_ISHIGAMI / 4)
    est = np.mean(
        [_indices(_noisy_ishigami(1024, 1, noise_sd, k)[:, 0], None, k) for k in range(8)], axis=0
    )
    np.testing.assert_allclose(est[:3], 0.8 * s1, atol=0.025)
    np.testing.assert_allclose(est[3:], 0.8 * st + 0.2, atol=0.025)
    assert est[1] < s1[1] - 0.05 and est[5] > st[2] + 0.1  # the direction the report states


def test_two_replicates_recover_the_analytic_indices_with_unbiased_noise():
    # R = 2 with noise as large as the signal (share 0.5 of one run). The correction
    # needs the unbiased (ddof=1) within-point variance: with ddof=0 it removes only
    # half the noise and ST of x3 comes out near 0.39 instead of 0.24.
    est = []
    for k in range(8):
        out = _rep("y", _noisy_ishigami(1024, 2, np.sqrt(VAR_ISHIGAMI), k))
        est.append(_indices(out.mean(), out.noise_of_mean(), k))
    np.testing.assert_allclose(np.mean(est, axis=0), _analytic(), atol=0.04)


def test_sd_target_finds_what_drives_the_spread_and_nothing_when_nothing_does():
    # s(x) = 1 + 3 * 1{x1 > 0} depends on x1 alone: analytic ST = 1 for x1, 0 for
    # the others. Uncorrected, the s.d.'s own sampling noise gives every parameter
    # ST near 1; corrected (sd_halves), x2 and x3 must come out near 0.
    info = _sobol_info(512)
    rng = np.random.default_rng(5)
    f = Ishigami.evaluate(info.X)
    sd = 1.0 + 3.0 * (info.X[:, 0] > 0)
    runs = f[:, None] + sd[:, None] * rng.normal(size=(f.size, 8))
    tables = analyze_outputs(info, {"y": _rep("y", runs)}, "sobol")
    assert set(tables.indices["target"]) == {"mean", "sd"}
    sd_rows = tables.indices[tables.indices["target"] == "sd"].set_index("parameter")
    assert sd_rows.loc["x1", "ST"] == pytest.approx(1.0, abs=0.16)  # 3 SDs of the estimator
    assert abs(sd_rows.loc["x2", "ST"]) < 0.15 and abs(sd_rows.loc["x3", "ST"]) < 0.15
    # law of total variance: Var(Y) = Var(f) + E[s2], E[s2] = (1 + 16) / 2
    row = tables.noise.iloc[0]
    assert row["within_var"] == pytest.approx(8.5, rel=0.05)
    assert row["total_var"] == pytest.approx(VAR_ISHIGAMI + 8.5, rel=0.05)
    assert row["noise_share"] == pytest.approx(8.5 / (VAR_ISHIGAMI + 8.5), abs=0.03)
    # the same noise everywhere: nothing drives the spread, so no sd index is a number
    flat = f[:, None] + 2.0 * rng.normal(size=(f.size, 8))
    tables = analyze_outputs(info, {"y": _rep("y", flat)}, "sobol")
    sd_rows = tables.indices[tables.indices["target"] == "sd"]
    assert sd_rows[["S1", "ST"]].isna().all().all()
    assert any(w.startswith("y [sd]: indices") for w in tables.warnings)


def test_sd_target_needs_four_replicates_and_a_spread():
    info = _sobol_info(16)
    f = Ishigami.evaluate(info.X)
    two = f[:, None] + np.random.default_rng(1).normal(size=(f.size, 2))
    tables = analyze_outputs(info, {"y": _rep("y", two)}, "sobol")
    assert set(tables.indices["target"]) == {"mean"}
    assert any("needs R >= 4" in n for n in tables.notes)
    same = np.repeat(f[:, None], 4, axis=1)  # a deterministic model run 4 times
    tables = analyze_outputs(info, {"y": _rep("y", same)}, "sobol")
    assert set(tables.indices["target"]) == {"mean"}
    assert any("agree exactly" in n for n in tables.notes)
    assert not any("constant" in w or "replicate" in w for w in tables.warnings)


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
    # more base rows, narrower intervals (about 1/sqrt(8) of N/8's width at N, by the CLT)
    width = (conv["conf_high"] - conv["conf_low"]).groupby(conv["n"]).mean()
    assert width[64] < 0.6 * width[8]
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
    from community_sim.analysis.sensitivity.methods import METHODS

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


@pytest.mark.parametrize("seed", range(6))
def test_low_signal_indices_are_undefined_with_a_reason_not_numbers(seed):
    # N = 64, R = 2, noise 94% of one run's variance: the corrected variance is a
    # small difference of large numbers (negative, or positive and tiny, giving
    # S1 = -3.5 or ST = 5.2 before this check). No index may be reported as a number.
    from community_sim.analysis.report import render_report

    info = _sobol_info(64)
    f = Ishigami.evaluate(info.X)
    noise_sd = np.sqrt(VAR_ISHIGAMI * 0.94 / 0.06)
    runs = f[:, None] + noise_sd * np.random.default_rng(seed).normal(size=(f.size, 2))
    tables = analyze_outputs(info, {"y": _rep("y", runs)}, "sobol")
    assert tables.noise.loc[0, "noise_share"] == pytest.approx(0.94, abs=0.1)
    mean = tables.indices[tables.indices["target"] == "mean"]
    assert mean[["S1", "ST", "S1_conf", "ST_conf"]].isna().all().all()
    assert any(w.startswith("y [mean]: indices") for w in tables.warnings)
    report = render_report(tables, source="test")
    assert "y [mean]: undefined" in report
