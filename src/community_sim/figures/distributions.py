"""Outcome distributions per policy: every run as a point over a box plot.

Points are spread sideways by a fixed, data-independent jitter so the figure
is identical on every render. The box shows the quartiles and the whiskers
1.5 IQR (Tukey 1977, *Exploratory Data Analysis*); outliers are not drawn
twice since every run is already a point.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from community_sim.figures.labels import axis_label
from community_sim.figures.style import LABEL_WRAP, new_axes, ordered_policies, policy_color, styled

JITTER_SEED = 20240229  # fixed: jitter is decoration, never a model draw


@styled
def plot_distribution(
    data: pd.DataFrame,
    outcome: str,
    ax: Axes | None = None,
    *,
    units: Mapping[str, str] | None = None,
) -> Axes:
    """One box and one point per run for each policy in ``data`` (a runs table)."""
    ax = new_axes(ax)
    if outcome not in data.columns:
        raise ValueError(f"outcome {outcome!r} is not a column of the runs table")
    # undefined runs (NaN) have no point; the tick says how many there were
    frame = data[["policy", outcome]].dropna(subset=["policy"])
    clean = frame.dropna()
    policies = ordered_policies(frame["policy"].unique())
    undefined = frame[outcome].isna().groupby(frame["policy"]).sum()
    groups = [clean.loc[clean["policy"] == p, outcome].to_numpy(float) for p in policies]
    positions = np.arange(len(policies), dtype=float)
    box = ax.boxplot(
        groups,
        positions=positions,
        widths=0.55,
        showfliers=False,
        patch_artist=True,
        medianprops={"color": "black", "lw": 1.0},
        whiskerprops={"color": "0.4", "lw": 0.8},
        capprops={"color": "0.4", "lw": 0.8},
        boxprops={"lw": 0.8, "edgecolor": "0.4"},
    )
    rng = np.random.default_rng(JITTER_SEED)
    size = 0.9 * float(mpl.rcParams["lines.markersize"]) ** 2  # points², follows the style
    for pos, policy, values, patch in zip(positions, policies, groups, box["boxes"], strict=True):
        color = policy_color(policy)
        patch.set_facecolor(color)
        patch.set_alpha(0.25)
        x = pos + rng.uniform(-0.18, 0.18, size=values.size)
        ax.scatter(
            x, values, s=size, color=color, edgecolors="none", alpha=0.85, zorder=3, label=policy
        )
    ticks = [
        f"{p}\n({int(undefined.get(p, 0))} undefined)" if undefined.get(p, 0) else p
        for p in policies
    ]
    ax.set_xticks(positions, ticks)
    ax.set_xlim(-0.6, len(policies) - 0.4)
    ax.set_xlabel("Policy")
    ax.set_ylabel(axis_label(outcome, units, wrap=LABEL_WRAP))
    return ax
