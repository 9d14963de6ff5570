"""Figures of a search and of a robustness table, drawn from their stored tables only.

- :func:`plot_parallel`: the Pareto set in parallel coordinates, one axis per
  lever and per objective, each scaled to its own range (labelled at both ends);
- :func:`plot_hypervolume`: the hypervolume of the front by evaluations;
- :func:`plot_robustness`: each lever setting's robustness score, best first.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from community_sim.experiment.spec import ExperimentSpec
from community_sim.figures.style import (
    LIGHT,
    NEUTRAL,
    OKABE_ITO,
    get_style,
    new_axes,
    new_figure,
    save_figure,
    style_context,
    styled,
)
from community_sim.optimize.settings import Settings


def _axis_values(col: pd.Series) -> tuple[np.ndarray, str, str]:
    """A column scaled to [0, 1] with the labels of its two ends (choices by position)."""
    if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
        levels = list(dict.fromkeys(sorted(col.astype(str))))
        pos = col.astype(str).map({v: i for i, v in enumerate(levels)}).to_numpy(float)
        top = max(len(levels) - 1, 1)
        return pos / top, levels[0], levels[-1]
    v = col.to_numpy(dtype=float)
    lo, hi = float(np.nanmin(v)), float(np.nanmax(v))
    span = hi - lo if hi > lo else 1.0
    return (v - lo) / span, f"{lo:.3g}", f"{hi:.3g}"


@styled
def plot_parallel(
    pareto: pd.DataFrame, columns: Sequence[str], color_by: str, ax: Axes | None = None
) -> Axes:
    """Each Pareto candidate as a line across ``columns``; colour from ``color_by``."""
    ax = new_axes(ax, "double", 0.45)
    scaled = {c: _axis_values(pareto[c]) for c in columns}
    x = np.arange(len(columns))
    shade, _, _ = scaled[color_by]
    cmap = mpl.colormaps["viridis"]
    for i in range(len(pareto)):
        y = [scaled[c][0][i] for c in columns]
        ax.plot(x, y, color=cmap(0.1 + 0.8 * float(shade[i])), alpha=0.8, lw=0.9)
    for j, c in enumerate(columns):
        ax.axvline(j, color=LIGHT, lw=0.6, zorder=0)
        ax.annotate(
            scaled[c][2],
            (j, 1.0),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize="small",
            color=NEUTRAL,
        )
        ax.annotate(
            scaled[c][1],
            (j, 0.0),
            xytext=(0, -3),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize="small",
            color=NEUTRAL,
        )
    ax.set_xticks(x, [c.replace("_", " ") for c in columns], rotation=20, ha="right")
    ax.set_yticks([])
    ax.set_ylim(-0.12, 1.12)
    ax.spines["left"].set_visible(False)
    ax.set_title(f"Pareto set: {len(pareto)} candidates (colour: {color_by})")
    return ax


@styled
def plot_hypervolume(hv: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """The hypervolume of the front found so far, by evaluations."""
    ax = new_axes(ax)
    ax.plot(hv["evaluations"], hv["hypervolume"], color=OKABE_ITO["blue"], marker="o", ms=2)
    ax.set_xlabel("evaluations (candidates)")
    ax.set_ylabel("hypervolume")
    ax.set_title("Convergence")
    return ax


@styled
def plot_robustness(
    table: pd.DataFrame, label: str, column: str, better: str, ax: Axes | None = None
) -> Axes:
    """Horizontal bars of ``column`` per lever setting (``label``), the best first, at most 25."""
    rows = table.head(25)
    ax = new_axes(ax, "single", 0.25 + 0.06 * len(rows))
    y = np.arange(len(rows))[::-1]
    colors = [OKABE_ITO["vermillion"]] + [OKABE_ITO["blue"]] * (len(rows) - 1)
    ax.barh(y, rows[column].to_numpy(dtype=float), color=colors, height=0.7)
    ax.set_yticks(y, rows[label].tolist())
    ax.set_xlabel(f"{column} ({'lower' if better == 'min' else 'higher'} is better)")
    ax.set_title("Robustness by lever setting")
    return ax


def draw_figures(
    folder: Path,
    spec: ExperimentSpec,
    settings: Settings,
    pareto: pd.DataFrame,
    hv: pd.DataFrame,
    formats: Sequence[str],
) -> list[Path]:
    """The search's two figures, saved as ``folder/<name>.<fmt>``."""
    if not formats:
        return []
    meta = {"experiment": spec.name, "spec_hash": spec.spec_hash()[:12]}
    files: list[Path] = []
    style = get_style("paper")
    with style_context(style):
        if len(pareto):
            columns = [f.name for f in settings.levers] + [o.name for o in settings.objectives]
            fig = new_figure(style.size("double", 0.45))
            plot_parallel(pareto, columns, settings.objectives[0].name, ax=fig.add_subplot())
            files += save_figure(
                fig, folder / "pareto_parallel", formats, title="Pareto set", meta=meta
            )
        if len(hv):
            fig = new_figure(style.size("single", 0.75))
            plot_hypervolume(hv, ax=fig.add_subplot())
            files += save_figure(
                fig, folder / "hypervolume", formats, title="Hypervolume", meta=meta
            )
    return files
