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
from community_sim.figures.style import NEUTRAL, new_axes, policy_color, styled

PAIRED_COLUMNS = ("output", "contrast", "scenario", "n", "mean_diff", "ci_low", "ci_high")


def contrast_policies(contrast: str) -> tuple[str, str]:
    """``("integrated", "project")`` from ``"integrated - project"`` (spaces optional)."""
    for sep in (" - ", " − ", "-", "−"):
        if sep in contrast:
            a, b = contrast.split(sep, 1)
            return a.strip(), b.strip()
    return contrast.strip(), ""


def contrast_label(contrast: str) -> str:
    """``"integrated − project"`` from ``"integrated-project"``."""
    return " − ".join(p for p in contrast_policies(contrast) if p)


@styled
def plot_forest(
    data: pd.DataFrame,
    output: str,
    ax: Axes | None = None,
    *,
    units: Mapping[str, str] | None = None,
    xlabel: str | None = None,
    scenario_order: list[str] | None = None,
) -> Axes:
    """Paired differences of ``output`` with their 95% CIs, one row per contrast.

    The marker takes the colour of the contrast's first policy; the dashed
    line marks no difference. With several scenarios, rows are grouped by
    scenario (named on the axis, in ``scenario_order`` if given) and the
    contrasts are told apart by colour (see the legend entries' labels).
    """
    ax = new_axes(ax)
    rows = data[data["output"] == output]
    if rows.empty:
        raise ValueError(f"no paired differences for output {output!r}")
    scenarios = list(dict.fromkeys(rows["scenario"].astype(str)))
    if scenario_order:
        scenarios = [s for s in scenario_order if s in scenarios] + sorted(
            set(scenarios) - set(scenario_order)
        )
    contrasts = sorted(set(rows["contrast"].astype(str)))
    grouped = len(scenarios) > 1
    step = 0.8 / len(contrasts)
    ticks, labels, seen = [], [], set()
    for g, scenario in enumerate(scenarios):
        centre = float(len(scenarios) - 1 - g) if grouped else 0.0
        for k, contrast in enumerate(contrasts):
            r = rows[(rows["scenario"].astype(str) == scenario) & (rows["contrast"] == contrast)]
            if r.empty:
                continue
            r = r.iloc[0]
            if grouped:
                yi = centre + (len(contrasts) - 1) / 2 * step - k * step
            else:
                yi = float(len(contrasts) - 1 - k)
                ticks.append(yi)
                labels.append(contrast_label(contrast))
            color = policy_color(contrast_policies(contrast)[0])
            if not np.isfinite(r["mean_diff"]):  # undefined in every pair: say so, draw nothing
                ax.annotate("undefined", (0.0, yi), ha="center", va="center", color=color)
                continue
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
                label=contrast_label(contrast) if contrast not in seen else None,
            )
            seen.add(contrast)
        if grouped:
            ticks.append(centre)
            labels.append(scenario.replace("_", " "))
    ax.axvline(0.0, color=NEUTRAL, lw=0.7, ls="--", zorder=0)
    ax.set_yticks(ticks, labels)
    top = len(scenarios) if grouped else len(contrasts)
    ax.set_ylim(-0.6, top - 0.4)
    ax.tick_params(axis="y", length=0)
    ax.spines["left"].set_visible(False)
    ax.set_xlabel(xlabel or axis_label(output, units, prefix="Difference in "))
    return ax
