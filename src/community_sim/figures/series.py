"""Monthly series per policy: the mean across replicates and its 95% band.

``data`` is the store's long series table (``run_id, step, name, value``)
joined with each run's ``policy`` (see :func:`with_policy`). The band is the
95% t interval of the mean over replicates (:mod:`.aggregate`), i.e. where the
policy's expected trajectory lies, not the spread of single runs.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from community_sim.figures.aggregate import mean_ci
from community_sim.figures.labels import pretty, unit_of
from community_sim.figures.style import (
    LABEL_WRAP,
    legend_above,
    new_axes,
    ordered_policies,
    policy_color,
    styled,
)

LINESTYLES = ("-", "--", ":", "-.")
MARKERS = ("o", "s", "^", "D")  # with the line style, tells levels apart where no line is drawn


def with_policy(series: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """The long series table with each run's ``policy`` (and ``scenario`` if stored)."""
    keep = ["run_id", "policy"] + [c for c in ("scenario",) if c in runs.columns]
    return series.merge(runs[keep], on="run_id", how="inner", validate="many_to_one")


@styled
def plot_series(
    data: pd.DataFrame,
    names: str | Sequence[str],
    ax: Axes | None = None,
    *,
    units: Mapping[str, str] | None = None,
    ylabel: str | None = None,
    legend: bool = True,
) -> Axes:
    """Mean of each series in ``names`` per policy over months, with its 95% band.

    Colour marks the policy (the same in every figure); with several names
    (e.g. active ties by kind) the line style marks the name. All ``names``
    share the y axis, so they must share a unit.
    """
    ax = new_axes(ax)
    names = [names] if isinstance(names, str) else list(names)
    found = set(data["name"].unique())
    missing = [n for n in names if n not in found]
    if missing:
        raise ValueError(f"series not in data: {', '.join(missing)}")
    unit_set = {unit_of(n, units) for n in names}
    if len(unit_set) > 1:
        raise ValueError(f"series {names} have different units {sorted(unit_set)}")
    sub = data[data["name"].isin(names)]
    stats = mean_ci(sub, ["policy", "name", "step"])
    policies = ordered_policies(stats["policy"].unique())
    for policy in policies:
        color = policy_color(policy)
        for i, name in enumerate(names):
            s = stats[(stats["policy"] == policy) & (stats["name"] == name)]
            ax.fill_between(s["step"], s["ci_low"], s["ci_high"], color=color, alpha=0.22, lw=0)
            ax.plot(s["step"], s["mean"], color=color, ls=LINESTYLES[i % len(LINESTYLES)])
    ax.set_xlabel("Time (months)")
    label = ylabel or f"{pretty(names[0])} ({unit_set.pop()})"
    ax.set_ylabel(textwrap.fill(label, LABEL_WRAP, break_long_words=False))
    ax.margins(x=0)
    if legend:
        handles = [Line2D([], [], color=policy_color(p), label=p) for p in policies]
        if len(names) > 1:
            handles += [
                Line2D([], [], color="0.3", ls=LINESTYLES[i % len(LINESTYLES)], label=pretty(n))
                for i, n in enumerate(names)
            ]
        legend_above(ax, handles)
    return ax
