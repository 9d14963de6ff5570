"""Scenario discovery figures: the trade-off curve, box limits, a pairs scatter.

All three read the tables ``community-sim discover`` writes (``trajectory``,
``limits``, ``cases``), in the house style: the coverage–density trade-off of
each box's candidates (Bryant & Lempert 2010, Fig. 3), each restricted
parameter's limits against the range the study sampled (as EMA Workbench's
``inspect(style="graph")``), and the design points of the first box's
parameters, cases in colour, with the box drawn on top.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from community_sim.figures.labels import axis_label
from community_sim.figures.layout import letter_panels, readable_numbers, shared_legend
from community_sim.figures.style import (
    LIGHT,
    NEUTRAL,
    TOL_MUTED,
    Style,
    new_axes,
    new_figure,
    styled,
)

CASE_COLOR = TOL_MUTED[0]
OTHER_COLOR = LIGHT


@styled
def plot_tradeoff(trajectory: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Coverage against density of every candidate box; chosen boxes ringed and numbered."""
    ax = new_axes(ax)
    for b, part in trajectory.groupby("box", sort=True):
        color = NEUTRAL if b == 0 else TOL_MUTED[(int(b) - 1) % len(TOL_MUTED)]
        label = "other leaves" if b == 0 else f"box {int(b)} candidates"
        style = "none" if b == 0 else "-"
        ax.plot(
            part["coverage"], part["density"], linestyle=style, marker="o", color=color,
            markersize=2.5, linewidth=0.8, label=label,
        )  # fmt: skip
    chosen = trajectory[trajectory["selected"]]
    for r in chosen.itertuples(index=False):
        ax.plot(r.coverage, r.density, "o", mfc="none", mec="black", markersize=7, mew=1.0)
        ax.annotate(
            f"box {int(r.box)}", (r.coverage, r.density), xytext=(6, 2 - 10 * int(r.box)),
            textcoords="offset points", fontsize="small",
        )  # fmt: skip
    ax.set_xlabel("Coverage (share of all cases in the box)")
    ax.set_ylabel("Density (share of the box that are cases)")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.legend(loc="lower left", fontsize="small")
    return ax


@styled
def plot_box_limits(limits: pd.DataFrame, box: int = 1, ax: Axes | None = None) -> Axes:
    """One bar per restricted parameter: the sampled range (grey) and the box (colour)."""
    ax = new_axes(ax)
    rows = limits[limits["box"] == box].reset_index(drop=True)
    color = TOL_MUTED[(box - 1) % len(TOL_MUTED)]
    n = len(rows)
    for i, r in enumerate(rows.itertuples(index=False)):
        y = n - 1 - i
        ax.barh(y, 1.0, left=0.0, height=0.5, color=OTHER_COLOR)
        if r.kind == "cat":
            ax.barh(y, 1.0, left=0.0, height=0.5, color=color, alpha=0.35)
            ax.text(0.5, y, f"{{{r.values}}}", ha="center", va="center", fontsize="small")
            continue
        span = r.range_high - r.range_low or 1.0
        lo, hi = (r.lower - r.range_low) / span, (r.upper - r.range_low) / span
        ax.barh(y, hi - lo, left=lo, height=0.5, color=color)
        # label only the limits that restrict (a finite quasi-p); open sides are the data's ends
        for at, value, qp in ((lo, r.lower, r.qp_lower), (hi, r.upper, r.qp_upper)):
            if np.isfinite(qp):
                ax.text(at, y + 0.3, _num(value), ha="center", va="bottom", fontsize="x-small")
    ax.set_yticks(range(n), [_qp_label(r) for r in rows.iloc[::-1].itertuples(index=False)])
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.6, n - 0.2)
    ax.set_xlabel("Share of the sampled range")
    return ax


def _num(x: float) -> str:
    """Three significant digits, thousands written out (53,600 rather than 5.36e+04)."""
    return f"{float(f'{x:.3g}'):,.0f}" if abs(x) >= 1000 else f"{x:.3g}"


def _qp_label(r) -> str:
    qps = [v for v in (r.qp_lower, r.qp_upper) if np.isfinite(v)]
    qp = f"\nqp {', '.join(f'{v:.2g}' for v in qps)}" if qps else ""
    return f"{r.parameter}{qp}"


def _coords(col: pd.Series, kind: str, values: Sequence[str], rng) -> np.ndarray:
    """Plot coordinates: category codes and integers jittered so that points do not overlap."""
    if kind == "cat":
        codes = col.astype(str).map({v: i for i, v in enumerate(values)}).to_numpy(dtype=float)
        return codes + rng.uniform(-0.25, 0.25, len(col))
    x = col.to_numpy(dtype=float)
    return x + rng.uniform(-0.2, 0.2, len(col)) if kind == "int" else x


def plot_pairs(
    cases: pd.DataFrame,
    dims: Sequence[tuple[str, str, Sequence[str]]],
    limits: pd.DataFrame,
    style: Style,
    box: int = 1,
) -> Figure:
    """Lower-triangle scatter of ``dims`` (name, kind, values) coloured by case; box on top."""
    k = len(dims)
    size = style.double if k > 2 else style.single
    fig = new_figure((size, size))
    axes = fig.subplots(k - 1, k - 1, squeeze=False)
    rng = np.random.default_rng(0)  # fixed jitter: identical figures on every call
    ok = cases[cases["valid"]].reset_index(drop=True)
    xy = {name: _coords(ok[name], kind, vals, rng) for name, kind, vals in dims}
    is_case = ok["case"].to_numpy(dtype=bool)
    lim = limits[limits["box"] == box].set_index("parameter")
    for i in range(1, k):
        for j in range(k - 1):
            ax = axes[i - 1][j]
            if j >= i:
                ax.remove()
                continue
            (nx, kx, vx), (ny, ky, vy) = dims[j], dims[i]
            ax.scatter(xy[nx][~is_case], xy[ny][~is_case], s=5, color=OTHER_COLOR, lw=0)
            ax.scatter(xy[nx][is_case], xy[ny][is_case], s=5, color=CASE_COLOR, lw=0)
            _draw_box(ax, lim, (nx, kx, vx), (ny, ky, vy), ok)
            _cat_ticks(ax.xaxis, kx, vx, labelled=i == k - 1)
            _cat_ticks(ax.yaxis, ky, vy, labelled=j == 0)
            if i == k - 1:
                ax.set_xlabel(axis_label(nx, wrap=24))
            if j == 0:
                ax.set_ylabel(axis_label(ny, wrap=24))
    handles = [
        Line2D([], [], ls="none", marker="o", color=CASE_COLOR, label="case of interest"),
        Line2D([], [], ls="none", marker="o", color=OTHER_COLOR, label="other points"),
        Line2D([], [], color="black", ls="--", label=f"box {box}"),
    ]
    shared_legend(fig, handles)
    readable_numbers(fig)
    for i in range(1, k):  # scale words ("thousand") only where the axis has a label
        for j in range(i):
            if i != k - 1:
                axes[i - 1][j].set_xlabel("")
            if j != 0:
                axes[i - 1][j].set_ylabel("")
    if k == 2:
        letter_panels([axes[0][0]], [f"Design points and box {box}"])
    return fig


def _cat_ticks(axis, kind: str, values: Sequence[str], labelled: bool) -> None:
    """Category names at their codes (outer panels), bare ticks inside the grid."""
    if kind == "cat":
        axis.set_ticks(range(len(values)), list(values) if labelled else [""] * len(values))


def _spans(lim: pd.DataFrame, name: str, kind: str, values: Sequence[str], ok: pd.DataFrame):
    """The box's extent along one axis in plot coordinates: one interval per allowed category."""
    if kind == "cat":
        allowed = str(lim.loc[name, "values"]).split(", ") if name in lim.index else values
        return [(values.index(v) - 0.4, values.index(v) + 0.4) for v in values if v in allowed]
    x = ok[name].to_numpy(dtype=float)
    if name not in lim.index:
        return [(float(np.min(x)), float(np.max(x)))]
    pad = 0.45 if kind == "int" else 0.0
    return [(float(lim.loc[name, "lower"]) - pad, float(lim.loc[name, "upper"]) + pad)]


def _draw_box(ax: Axes, lim: pd.DataFrame, dx, dy, ok: pd.DataFrame) -> None:
    for x0, x1 in _spans(lim, *dx, ok):
        for y0, y1 in _spans(lim, *dy, ok):
            ax.add_patch(
                Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, ec="black", ls="--", lw=1.0)
            )
