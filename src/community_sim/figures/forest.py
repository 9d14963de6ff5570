"""Forest plot of paired policy differences with their 95% confidence intervals.

``data`` is the analysis table ``paired.parquet``: ``output, contrast,
scenario, n, mean_diff, ci_low, ci_high, effect_size``; a contrast reads
``"A - B"`` (policy A minus policy B on the same seeds, common random numbers).
Outcomes have different units, so each outcome gets its own axis (and the
assembler stacks them); rows are the contrasts within each scenario.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from community_sim.figures.labels import axis_label
from community_sim.figures.style import NEUTRAL, new_axes, policy_color

PAIRED_COLUMNS = ("output", "contrast", "scenario", "n", "mean_diff", "ci_low", "ci_high")


def contrast_policies(contrast: str) -> tuple[str, str]:
    """``("integrated", "project")`` from ``"integrated - project"`` (spaces optional)."""
    for sep in (" - ", " − ", "-", "−"):
        if sep in contrast:
            a, b = contrast.split(sep, 1)
            return a.strip(), b.strip()
    return contrast.strip(), ""


def row_labels(rows: pd.DataFrame) -> list[str]:
    """Contrast labels, with the scenario added when there is more than one."""
    contrasts = [" − ".join(p for p in contrast_policies(c) if p) for c in rows["contrast"]]
    if rows["scenario"].astype(str).nunique() > 1:
        return [f"{s}: {c}" for s, c in zip(rows["scenario"].astype(str), contrasts, strict=True)]
    return contrasts


def plot_forest(
    data: pd.DataFrame,
    output: str,
    ax: Axes | None = None,
    *,
    units: Mapping[str, str] | None = None,
    xlabel: str | None = None,
) -> Axes:
    """Paired differences of ``output``: one row per contrast (and scenario), CI as a bar.

    The marker takes the colour of the contrast's first policy; the vertical
    line marks no difference.
    """
    ax = new_axes(ax)
    rows = data[data["output"] == output]
    if rows.empty:
        raise ValueError(f"no paired differences for output {output!r}")
    rows = rows.sort_values(["scenario", "contrast"], key=lambda s: s.astype(str))
    y = np.arange(len(rows))[::-1].astype(float)
    for yi, (_, r) in zip(y, rows.iterrows(), strict=True):
        color = policy_color(contrast_policies(str(r["contrast"]))[0])
        ax.errorbar(
            r["mean_diff"],
            yi,
            xerr=[[r["mean_diff"] - r["ci_low"]], [r["ci_high"] - r["mean_diff"]]],
            fmt="o",
            color=color,
            ecolor=color,
            elinewidth=1.2,
            capsize=2,
            ms=4,
        )
    ax.axvline(0.0, color=NEUTRAL, lw=0.7, ls="--", zorder=0)
    ax.set_yticks(y, row_labels(rows))
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_xlabel(xlabel or axis_label(output, units, prefix="Difference in "))
    return ax
