"""Each plot function draws what its data says: counts, values and labels with units."""

from __future__ import annotations

import matplotlib.colors as mcolors
import numpy as np
import pytest
from matplotlib.collections import PathCollection, PolyCollection, QuadMesh
from matplotlib.container import BarContainer

from community_sim.figures import (
    paired_difference,
    plot_convergence,
    plot_diff_heatmap,
    plot_distribution,
    plot_forest,
    plot_indices,
    plot_morris,
    plot_series,
    plot_sweep,
    policy_color,
    with_policy,
)

from . import synthetic as syn

U = syn.UNITS


def _same_color(a, b) -> bool:
    return np.allclose(mcolors.to_rgba(a)[:3], mcolors.to_rgba(b)[:3])


def test_series_one_line_and_band_per_policy_and_name():
    runs, series = syn.compare_runs(replicates=4, steps=12)
    data = with_policy(series, runs)
    ax = plot_series(data, ["ties_project", "ties_integrated"], units=U, ylabel="Ties (ties)")
    assert len(ax.lines) == 3 * 2
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 3 * 2
    assert ax.get_xlabel() == "Time (months)" and "(ties)" in ax.get_ylabel()
    # The first line is project's ties_project mean over the 4 replicates, step by step.
    expect = (
        data[(data.policy == "project") & (data.name == "ties_project")]
        .groupby("step")["value"]
        .mean()
    )
    np.testing.assert_allclose(ax.lines[0].get_ydata(), expect.to_numpy())
    assert _same_color(ax.lines[0].get_color(), policy_color("project"))
    assert ax.lines[0].get_linestyle() != ax.lines[1].get_linestyle()


def test_series_refuses_mixed_units_and_unknown_names():
    runs, series = syn.compare_runs(replicates=2, steps=6)
    data = with_policy(series, runs)
    with pytest.raises(ValueError, match="different units"):
        plot_series(data, ["ties_project", "trial_error_cost"], units=U)
    with pytest.raises(ValueError, match="not in data"):
        plot_series(data, "no_such_series", units=U)


def test_single_replicate_draws_no_band_but_the_mean():
    runs, series = syn.compare_runs(replicates=1, steps=6)
    ax = plot_series(with_policy(series, runs), "mean_trust", units=U)
    assert len(ax.lines) == 3
    band = next(c for c in ax.collections if isinstance(c, PolyCollection))
    assert all(len(p.vertices) == 0 for p in band.get_paths())


def test_distribution_one_point_per_run_and_a_box_per_policy():
    runs, _ = syn.compare_runs(replicates=7)
    ax = plot_distribution(runs, "trial_error_cost_per_hire_weeks", units=U)
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert [len(p.get_offsets()) for p in points] == [7, 7, 7]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["project", "transition", "integrated"]
    assert "weeks of wages" in ax.get_ylabel()
    assert _same_color(points[2].get_facecolor()[0], policy_color("integrated"))
    # Points keep their values: jitter moves them sideways only.
    got = np.sort(points[0].get_offsets()[:, 1])
    want = np.sort(runs.loc[runs.policy == "project", "trial_error_cost_per_hire_weeks"])
    np.testing.assert_allclose(got, want)


def test_forest_rows_cis_and_zero_line():
    paired = syn.paired_table(scenarios=("baseline", "fast drift"))
    ax = plot_forest(paired, "skill_match", units=U)
    assert len(ax.containers) == 4  # 2 contrasts × 2 scenarios
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["baseline", "fast drift"]  # groups, top to bottom in data order
    assert ax.get_legend_handles_labels()[1] == ["integrated − project", "transition − project"]
    assert ax.get_xlabel() == "Difference in skill match of new hires (0–1)"
    xs = sorted(c.lines[0].get_xdata()[0] for c in ax.containers)
    np.testing.assert_allclose(xs, sorted(paired.loc[paired.output == "skill_match", "mean_diff"]))
    assert any(np.all(np.asarray(line.get_xdata()) == 0) for line in ax.lines)


def test_sweep_mean_per_grid_value_and_policy():
    runs = syn.grid_runs(nx=5, ny=2, replicates=2)
    ax = plot_sweep(runs, "tech_drift", "skill_match", units=U)
    assert len(ax.lines) == 2 and all(len(line.get_xdata()) == 5 for line in ax.lines)
    assert ax.get_xlabel() == "Tech drift (1/yr)" and "(0–1)" in ax.get_ylabel()
    got = ax.lines[0].get_ydata()  # project comes first in the house order
    want = runs[runs.policy == "project"].groupby("tech_drift")["skill_match"].mean()
    np.testing.assert_allclose(got, want.to_numpy())


def test_paired_difference_matches_runs_on_point_and_replicate():
    runs = syn.grid_runs(nx=2, ny=2, replicates=2)
    d = paired_difference(runs, "skill_match", ("integrated", "project"))
    assert len(d) == len(runs) // 2
    r = d.iloc[3]
    a = runs[(runs.point == r.point) & (runs.replicate == r.replicate)].set_index("policy")
    assert r["diff"] == pytest.approx(
        a.loc["integrated", "skill_match"] - a.loc["project", "skill_match"]
    )


def test_heatmap_grid_shape_zero_contour_and_labels():
    runs = syn.grid_runs(nx=5, ny=4, replicates=3)
    ax = plot_diff_heatmap(
        runs, "tech_drift", "unemployment_rate", "trial_error_cost_per_hire_weeks", units=U
    )
    mesh = next(c for c in ax.collections if isinstance(c, QuadMesh))
    assert mesh.get_array().shape == (4, 5)
    lo, hi = mesh.get_clim()
    assert lo == pytest.approx(-hi)  # centred on zero
    contours = [c for c in ax.collections if c is not mesh]
    assert contours, "the zero contour is drawn where the sign changes"
    cbar_label = " ".join(ax.figure.axes[-1].get_ylabel().split())
    assert "integrated − project" in cbar_label and "weeks of wages" in cbar_label
    assert "(share)" in ax.get_ylabel()


def test_indices_bars_with_noise_share():
    ax = plot_indices(
        syn.indices_table(), "diff:trial_error_cost_per_hire_weeks", noise=syn.noise_table()
    )
    bars = [p for c in ax.containers if isinstance(c, BarContainer) for p in c.patches]
    assert len(bars) == 2 * len(syn.PARAMETERS) + 1
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "Tech drift" and labels[-1] == "noise (4 replicates)"
    assert "share of variance" in ax.get_xlabel()
    assert bars[-1].get_width() == pytest.approx(0.12)


def test_indices_of_a_method_without_st_draw_s1_only():
    ax = plot_indices(syn.indices_table(method="pawn"), "diff:trial_error_cost_per_hire_weeks")
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert sum(len(c.patches) for c in bars) == len(syn.PARAMETERS)
    assert "PAWN" in ax.get_xlabel() and "dimensionless" in ax.get_xlabel()


def test_morris_points_labels_and_units():
    table = syn.morris_table(n=14)
    ax = plot_morris(table, "trial_error_cost_per_hire_weeks", label_top=6, units=U)
    n_points = sum(len(c.lines[0].get_xdata()) for c in ax.containers)
    assert n_points == 14
    assert len(ax.texts) == 6 + 1  # six names and the σ = μ* guide
    assert "weeks of wages" in ax.get_xlabel() and "weeks of wages" in ax.get_ylabel()
    assert "tech drift" in {t.get_text() for t in ax.texts}


def test_convergence_lines_per_parameter_at_each_n():
    ax = plot_convergence(syn.convergence_table(), "diff:trial_error_cost_per_hire_weeks", top=3)
    assert len([ln for ln in ax.lines if len(ln.get_xdata()) > 2]) == 3
    assert [t.get_text() for t in ax.get_xticklabels()] == ["64", "128", "256", "512"]
    assert "share of variance" in ax.get_ylabel() and "N" in ax.get_xlabel()


def test_undefined_months_are_gaps_not_zeros():
    runs, series = syn.compare_runs(replicates=3, steps=8)
    data = with_policy(series, runs)
    hole = (data.name == "mean_trust") & (data.step == 4)  # no tie anywhere in month 4
    data.loc[hole, "value"] = np.nan
    one = (data.name == "mean_trust") & (data.step == 6) & (data.policy == "project")
    first = data[one].index[0]
    data.loc[one & (data.index != first), "value"] = np.nan  # one run defined in month 6
    ax = plot_series(data, "mean_trust", units=U)
    y = np.asarray(ax.lines[0].get_ydata(), dtype=float)  # project
    steps = np.asarray(ax.lines[0].get_xdata())
    assert np.isnan(y[steps == 4]).all()  # a gap, where a 0 would have been drawn
    assert y[steps == 6][0] == pytest.approx(data.loc[first, "value"])  # mean of the defined run
    assert np.isfinite(y[steps != 4]).all()


def test_undefined_runs_are_counted_not_plotted_at_zero():
    runs, _ = syn.compare_runs(replicates=5)
    col = "trial_error_cost_per_hire_weeks"
    runs.loc[runs.index[runs.policy == "project"][:2], col] = np.nan
    ax = plot_distribution(runs, col, units=U)
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert [len(p.get_offsets()) for p in points] == [3, 5, 5]
    assert ax.get_xticklabels()[0].get_text() == "project\n(2 undefined)"
    assert not np.any(points[0].get_offsets()[:, 1] == 0)


def test_forest_says_undefined_for_a_contrast_without_defined_pairs():
    paired = syn.paired_table(scenarios=("baseline",))
    rows = paired.output == "skill_match"
    first = paired.index[rows][0]
    paired.loc[first, ["mean_diff", "ci_low", "ci_high"]] = np.nan
    ax = plot_forest(paired, "skill_match", units=U)
    assert len(ax.containers) == int(rows.sum()) - 1
    assert any(t.get_text() == "undefined" for t in ax.texts)


def test_undefined_index_is_labelled_not_drawn_as_zero():
    idx = syn.indices_table()
    out = "diff:trial_error_cost_per_hire_weeks"
    gone = (idx.output == out) & (idx.target == "mean") & (idx.parameter == syn.PARAMETERS[1])
    idx.loc[gone, ["S1", "S1_conf", "ST", "ST_conf"]] = np.nan
    ax = plot_indices(idx, out)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert sum(label.endswith("(undefined)") for label in labels) == 1
    widths = [
        p.get_width() for c in ax.containers if isinstance(c, BarContainer) for p in c.patches
    ]
    assert sum(np.isnan(w) for w in widths) == 2  # its S1 and ST bars are gaps, not zeros
