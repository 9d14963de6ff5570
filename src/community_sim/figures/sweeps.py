"""Grid sweeps: an outcome against a swept parameter, and the policy gap as a map.

``data`` is the store's runs table (``run_id, point, replicate, policy, seed``,
one column per parameter and per outcome, ``status``). Under ``compare`` every
design point runs each policy on the same seeds, so the policy difference is
taken run by run on matching ``(point, replicate)`` before averaging (common
random numbers; Law 2015, *Simulation Modeling and Analysis*, 5th ed., §11.2).
Parameters not on an axis are averaged over, and the axis label says so.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from community_sim.figures.aggregate import mean_ci
from community_sim.figures.labels import (
    axis_label,
    level_order,
    pretty,
    special_values,
    unit_of,
    value_label,
)
from community_sim.figures.series import LINESTYLES, MARKERS
from community_sim.figures.style import (
    DIVERGING_CMAP,
    LABEL_WRAP,
    legend_above,
    new_axes,
    ordered_policies,
    policy_color,
    styled,
)


@styled
def plot_sweep(
    data: pd.DataFrame,
    parameter: str,
    outcome: str,
    ax: Axes | None = None,
    *,
    units: Mapping[str, str] | None = None,
    legend: bool = True,
    by: str | None = None,
) -> Axes:
    """Mean of ``outcome`` at each value of ``parameter``, per policy, with a 95% CI band.

    With ``by`` (a second swept parameter), one line per level of ``by``,
    told apart by line style; otherwise runs at every other setting are pooled.
    """
    ax = new_axes(ax)
    for col in (parameter, outcome, *([by] if by else [])):
        if col not in data.columns:
            raise ValueError(f"{col!r} is not a column of the runs table")
    keys = ["policy", *([by] if by else []), parameter]
    stats = mean_ci(data, keys, outcome)
    policies = ordered_policies(stats["policy"].unique())
    levels = level_order(by, stats[by]) if by else [None]
    # A special value (-1 = "never") is a switch, not a dose: a categorical axis names it,
    # and it is drawn as a point of its own, never joined to the numbers by a line.
    order = level_order(parameter, stats[parameter])
    special = special_values(parameter)
    categorical = any(v in special for v in order)
    where = {v: float(i) for i, v in enumerate(order)}
    for policy in policies:
        color = policy_color(policy)
        for i, level in enumerate(levels):
            s = stats[stats["policy"] == policy]
            if by:
                s = s[s[by] == level]
            ls = LINESTYLES[i % len(LINESTYLES)]
            mk = MARKERS[i % len(MARKERS)]
            if not categorical:
                x = s[parameter]
                ax.fill_between(x, s["ci_low"], s["ci_high"], color=color, alpha=0.2, lw=0)
                ax.plot(x, s["mean"], marker=mk, ls=ls, color=color, label=policy, ms=3)
                continue
            # Side by side within a category, so that policies and levels do not hide each other.
            k = policies.index(policy) * len(levels) + i
            dodge = (
                (k - (len(policies) * len(levels) - 1) / 2) * 0.5 / (len(policies) * len(levels))
            )
            is_special = s[parameter].isin(list(special))
            for part, line in ((s[~is_special], ls), (s[is_special], "")):
                x = part[parameter].map(where) + dodge
                err = [part["mean"] - part["ci_low"], part["ci_high"] - part["mean"]]
                ax.errorbar(
                    x, part["mean"], yerr=err, marker=mk, ls=line or "none", color=color,
                    label=policy if line else None, ms=3, capsize=2, elinewidth=0.8,
                )  # fmt: skip
    if categorical:
        ax.set_xticks(list(where.values()), [value_label(parameter, v) for v in order])
        ax.set_xlim(-0.5, len(order) - 0.5)
    ax.set_xlabel(axis_label(parameter, units))
    ax.set_ylabel(axis_label(outcome, units, wrap=LABEL_WRAP))
    if legend and len(policies) > 1:
        legend_above(ax)
    return ax


def paired_difference(data: pd.DataFrame, outcome: str, contrast: tuple[str, str]) -> pd.DataFrame:
    """Per ``(point, replicate)``: ``outcome`` under ``contrast[0]`` minus under ``contrast[1]``.

    Returns the first policy's rows (all parameter columns) with ``diff``.
    """
    a, b = contrast
    keys = ["point", "replicate"]
    left = data[data["policy"] == a]
    right = data.loc[data["policy"] == b, [*keys, outcome]].rename(columns={outcome: "_b"})
    if left.empty or right.empty:
        raise ValueError(f"runs of both policies {a!r} and {b!r} are needed for the difference")
    merged = left.merge(right, on=keys, how="inner", validate="one_to_one")
    return merged.assign(diff=merged[outcome] - merged["_b"]).drop(columns="_b")


@styled
def plot_diff_heatmap(
    data: pd.DataFrame,
    x: str,
    y: str,
    outcome: str,
    ax: Axes | None = None,
    *,
    contrast: tuple[str, str] = ("integrated", "project"),
    units: Mapping[str, str] | None = None,
    cbar_label: str | None = None,
) -> Axes:
    """Mean paired difference ``contrast[0] − contrast[1]`` of ``outcome`` over an x–y grid.

    The colour scale is centred on zero; the black line is the zero contour,
    where the first policy starts to do better or worse than the second.
    """
    ax = new_axes(ax)
    diff = paired_difference(data, outcome, contrast)
    cell = diff.groupby([y, x], sort=True)["diff"].mean().unstack(x)
    # Special values (-1 = "never") are named, and come after the numbers.
    cell = cell.reindex(index=level_order(y, cell.index), columns=level_order(x, cell.columns))
    xs = cell.columns.to_numpy(float)
    ys = cell.index.to_numpy(float)
    z = cell.to_numpy(float)
    lim = float(np.nanmax(np.abs(z))) if np.isfinite(z).any() else 1.0
    lim = lim or 1.0
    # One equal cell per grid value (grids are often uneven); ticks name the values.
    ix, iy = np.arange(xs.size, dtype=float), np.arange(ys.size, dtype=float)
    mesh = ax.pcolormesh(
        np.arange(xs.size + 1) - 0.5,
        np.arange(ys.size + 1) - 0.5,
        z,
        cmap=DIVERGING_CMAP,
        vmin=-lim,
        vmax=lim,
        shading="flat",
    )
    if xs.size >= 2 and ys.size >= 2 and np.nanmin(z) < 0 < np.nanmax(z):
        ax.contour(ix, iy, z, levels=[0.0], colors="black", linewidths=1.2)
    ax.set_xticks(ix, [value_label(x, v) for v in xs])
    ax.set_yticks(iy, [value_label(y, v) for v in ys])
    ax.tick_params(length=0)
    fig = ax.get_figure()
    assert fig is not None
    cbar = fig.colorbar(mesh, ax=ax, pad=0.02)
    a, b = contrast
    what = f"{pretty(outcome, capital=False)} ({unit_of(outcome, units)})"
    text = cbar_label or f"{a} − {b}: {what}"
    cbar.set_label(textwrap.fill(text, LABEL_WRAP, break_long_words=False))
    cbar.outline.set_visible(False)
    ax.set_xlabel(axis_label(x, units))
    ax.set_ylabel(axis_label(y, units, wrap=LABEL_WRAP))
    return ax
