"""Sensitivity figures: index bars, Morris μ*–σ, and convergence of indices with N.

Inputs are the analysis tables (docs/architecture.md): ``indices.parquet``
(``method, output, target, parameter, S1, S1_conf, ST, ST_conf``),
``noise.parquet`` (``output, replicates, noise_share, total_var, within_var``),
``morris.parquet`` (``output, target, parameter, mu, mu_star, sigma,
mu_star_conf``) and ``convergence.parquet`` (``method, output, target,
parameter, index, n, value, conf_low, conf_high``). ``*_conf`` columns are
half-widths of 95% intervals (SALib's convention, Herman & Usher 2017, JOSS 2(9)).

Sobol' first-order (S1) and total (ST) indices are shares of the output's
variance (Saltelli et al. 2010, Comput. Phys. Commun. 181(2)); Morris μ* and σ
are the mean absolute value and standard deviation of elementary effects, in
the output's units per unit-range step of the input (Campolongo, Cariboni &
Saltelli 2007, Environ. Model. Softw. 22(10)); σ ≥ μ* suggests non-linearity
or interactions.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator, NullLocator
from matplotlib.transforms import Bbox

from community_sim.figures.labels import pretty, unit_of
from community_sim.figures.style import LIGHT, NEUTRAL, TOL_MUTED, new_axes, styled

INDEX_NAMES = {
    "sobol": "Sobol' index",
    "fast": "FAST index",
    "pawn": "PAWN index",
    "delta": "δ moment-independent index",
}
S1_COLOR = TOL_MUTED[0]
ST_COLOR = "#88CCEE"
NOISE_COLOR = LIGHT


def _select(data: pd.DataFrame, **eq: str | None) -> pd.DataFrame:
    rows = data
    for col, val in eq.items():
        if val is not None and col in rows.columns:
            rows = rows[rows[col] == val]
    return rows


@styled
def plot_indices(
    data: pd.DataFrame,
    output: str,
    ax: Axes | None = None,
    *,
    target: str = "mean",
    method: str | None = None,
    noise: pd.DataFrame | None = None,
    top: int | None = None,
    legend: bool = True,
) -> Axes:
    """Horizontal S1 and ST bars with 95% CI per parameter; the noise share as a grey bar.

    Parameters are sorted by ST (S1 when the method has no ST), largest on top;
    ``top`` keeps the largest ones. ``noise`` (the noise table) adds the share
    of the output's variance that is replicate noise, on the same scale.
    """
    ax = new_axes(ax)
    rows = _select(data, output=output, target=target, method=method)
    if rows.empty:
        raise ValueError(f"no indices for output {output!r} (target {target!r})")
    methods = rows["method"].unique() if "method" in rows.columns else []
    if len(methods) > 1:
        raise ValueError(f"indices of several methods {sorted(methods)}; pass method=")
    has_st = rows["ST"].notna().any()
    if noise is not None:
        nrow = noise[(noise["output"] == output) & noise["noise_share"].notna()]
        noise = nrow if not nrow.empty else None  # R = 1: no noise share to show
    key = "ST" if has_st else "S1"
    rows = rows.sort_values([key, "parameter"], ascending=[False, True])
    if top is not None:
        rows = rows.head(top)
    params = list(rows["parameter"])
    n = len(params)
    height = 0.38 if has_st else 0.6
    y = np.arange(n, dtype=float)[::-1] + (1.0 if noise is not None else 0.0)
    err = {"elinewidth": 0.8, "capsize": 1.5, "ecolor": NEUTRAL}
    s1_y = y + (height / 2 if has_st else 0.0)
    ax.barh(
        s1_y,
        rows["S1"],
        height,
        xerr=rows["S1_conf"],
        color=S1_COLOR,
        label="first order (S1)",
        error_kw=err,
    )
    if has_st:
        ax.barh(
            y - height / 2,
            rows["ST"],
            height,
            xerr=rows["ST_conf"],
            color=ST_COLOR,
            label="total order (ST)",
            error_kw=err,
        )
    # an undefined index (NaN, its reason in the table's note) is a gap marked as such
    undefined = rows["S1"].isna() & rows["ST"].isna() if has_st else rows["S1"].isna()
    labels = [
        pretty(p) + (" (undefined)" if u else "") for p, u in zip(params, undefined, strict=True)
    ]
    ticks = list(y)
    if noise is not None:
        share = float(noise["noise_share"].iloc[0])
        reps = int(noise["replicates"].iloc[0])
        ax.barh(
            [0.0],
            [share],
            0.6,
            color=NOISE_COLOR,
            hatch="////",
            edgecolor="white",
            lw=0,
            label="replicate noise",
        )
        ticks.append(0.0)
        labels.append(f"noise ({reps} replicates)")
    ax.set_yticks(ticks, labels)
    ax.tick_params(axis="y", length=0)
    ax.axvline(0.0, color=NEUTRAL, lw=0.6)
    name = INDEX_NAMES.get(str(methods[0]) if len(methods) else "sobol", "index")
    ax.set_xlabel(
        f"{name} (share of variance)"
        if key == "ST" or name.startswith(("Sobol", "FAST"))
        else f"{name} (dimensionless)"
    )
    imputed = int(rows["imputed"].max()) if "imputed" in rows.columns else 0
    if imputed > 0:  # the table's dagger, on the figure: these are not the model's indices
        ax.text(
            0.99,
            0.99,
            f"† {imputed} runs imputed (--impute mean)",
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize="small",
            color=NEUTRAL,
        )
    if legend:
        ax.legend(loc="lower right")
    return ax


def _place_labels(ax: Axes, x: np.ndarray, y: np.ndarray, texts: list[str]) -> None:
    """Label points, trying a few offsets so that labels do not overlap one another."""
    fig = ax.get_figure()
    assert fig is not None
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    offsets = [
        (4, 3, "left", "bottom"),
        (4, -3, "left", "top"),
        (-4, 3, "right", "bottom"),
        (-4, -3, "right", "top"),
        (0, 6, "center", "bottom"),
        (0, -6, "center", "top"),
    ]
    # Markers are obstacles too: a small box around each point.
    pts = ax.transData.transform(np.column_stack([x, y]))
    r = 3.0 * fig.dpi / 72.0
    placed = [Bbox.from_extents(px - r, py - r, px + r, py + r) for px, py in pts]
    for xi, yi, t in zip(x, y, texts, strict=True):
        chosen = None
        for dx, dy, ha, va in offsets:
            ann = ax.annotate(
                t,
                (xi, yi),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize="small",
                color="0.15",
            )
            box = ann.get_window_extent(renderer).expanded(1.05, 1.1)
            if (
                not any(box.overlaps(b) for b in placed)
                and ax.bbox.contains(box.x0, box.y0)
                and ax.bbox.contains(box.x1, box.y1)
            ):
                chosen = (ann, box)
                break
            ann.remove()
        if chosen is None:  # crowded: keep the first position rather than drop the name
            dx, dy, ha, va = offsets[0]
            ann = ax.annotate(
                t,
                (xi, yi),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize="small",
                color="0.15",
            )
            chosen = (ann, ann.get_window_extent(renderer))
        placed.append(chosen[1])


@styled
def plot_morris(
    data: pd.DataFrame,
    output: str,
    ax: Axes | None = None,
    *,
    target: str = "mean",
    label_top: int = 8,
    units: Mapping[str, str] | None = None,
) -> Axes:
    """μ* against σ for each parameter, μ* CI as bars; the ``label_top`` largest are named."""
    ax = new_axes(ax)
    rows = _select(data, output=output, target=target)
    if rows.empty:
        raise ValueError(f"no Morris measures for output {output!r} (target {target!r})")
    rows = rows.sort_values(["mu_star", "parameter"], ascending=[False, True])
    top = rows.head(label_top)
    rest = rows.iloc[label_top:]
    if not rest.empty:
        ax.errorbar(
            rest["mu_star"],
            rest["sigma"],
            xerr=rest["mu_star_conf"],
            fmt="o",
            color=LIGHT,
            ecolor=LIGHT,
            ms=3,
            elinewidth=0.6,
            label="other parameters",
        )
    ax.errorbar(
        top["mu_star"],
        top["sigma"],
        xerr=top["mu_star_conf"],
        fmt="o",
        color=TOL_MUTED[0],
        ecolor=TOL_MUTED[0],
        ms=4,
        elinewidth=0.8,
        label=f"{len(top)} largest μ*" if not rest.empty else "parameters",
    )
    hi = float(np.nanmax(np.r_[rows["mu_star"] + rows["mu_star_conf"].fillna(0), rows["sigma"]]))
    hi = hi * 1.08 if hi > 0 else 1.0
    ax.plot([0, hi], [0, hi], color=NEUTRAL, lw=0.6, ls="--", zorder=0)
    ax.text(
        hi,
        hi,
        " σ = μ*",
        ha="right",
        va="bottom",
        fontsize="small",
        color=NEUTRAL,
        rotation_mode="anchor",
    )
    # A little room below zero so that markers at σ = 0 (linear effects) are not cut.
    ax.set_xlim(-0.02 * hi, hi)
    ax.set_ylim(-0.02 * hi, hi)
    unit = unit_of(output, units)
    ax.set_xlabel(f"μ*, mean |elementary effect| ({unit})")
    ax.set_ylabel(f"σ of elementary effects ({unit})")
    _place_labels(
        ax,
        top["mu_star"].to_numpy(float),
        top["sigma"].to_numpy(float),
        [pretty(p, capital=False) for p in top["parameter"]],
    )
    ax.legend(loc="upper left")
    return ax


@styled
def plot_convergence(
    data: pd.DataFrame,
    output: str,
    ax: Axes | None = None,
    *,
    index: str = "ST",
    target: str = "mean",
    method: str | None = None,
    top: int = 5,
    parameters: list[str] | None = None,
    legend: bool = True,
) -> Axes:
    """An index against base sample size N for the ``top`` parameters, with CI bands.

    ``parameters`` fixes which parameters are drawn, in which colour order (so
    that panels of one figure agree); by default the ``top`` largest at the
    largest N.
    """
    ax = new_axes(ax)
    rows = _select(data, output=output, target=target, method=method, index=index)
    if rows.empty:
        raise ValueError(f"no convergence rows for output {output!r}, index {index!r}")
    final = rows[rows["n"] == rows["n"].max()].sort_values(
        ["value", "parameter"], ascending=[False, True]
    )
    keep = parameters if parameters is not None else list(final["parameter"].head(top))
    for i, param in enumerate(keep):
        s = rows[rows["parameter"] == param].sort_values("n")
        color = TOL_MUTED[i % len(TOL_MUTED)]
        ax.fill_between(s["n"], s["conf_low"], s["conf_high"], color=color, alpha=0.18, lw=0)
        ax.plot(s["n"], s["value"], "o-", color=color, ms=3, label=pretty(param, capital=False))
    ns = np.sort(rows["n"].unique())
    ax.set_xscale("log", base=2)
    ax.xaxis.set_major_locator(FixedLocator(ns))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticks(ns, [f"{int(v):d}" for v in ns])
    ax.axhline(0.0, color=NEUTRAL, lw=0.6)
    ax.set_xlabel("Base sample size N (design points)")
    ax.set_ylabel(f"{index} (share of variance)")
    if legend:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    return ax
