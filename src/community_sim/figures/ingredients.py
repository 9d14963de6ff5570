"""Ingredient contributions to the policy gap: Shapley values with 95% CIs, per regime.

``data`` is the table of :func:`community_sim.analysis.studies.ingredients.ingredient_shapley`
with a ``regime`` column: one row per outcome, ingredient and regime. Each
outcome gets its own axis; ingredients are rows, regimes are told apart by
colour and a small vertical offset; the last row is the whole change of the
gap from all ingredients off to all on, which the contributions add up to.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from community_sim.analysis.studies.ingredients import TOTAL
from community_sim.errors import UserError
from community_sim.figures.labels import axis_label, pretty
from community_sim.figures.layout import letter_panels, panel_grid, shared_legend
from community_sim.figures.style import (
    NEUTRAL,
    get_style,
    new_axes,
    save_figure,
    style_context,
    styled,
)

REGIME_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7")
"""Okabe–Ito colours, colour-blind safe, one per regime in order of appearance."""


@styled
def plot_ingredient_contributions(
    data: pd.DataFrame, outcome: str, ax: Axes | None = None, *, regimes: Sequence[str] = ()
) -> Axes:
    """Each ingredient's Shapley contribution to the gap in ``outcome``, one colour per regime."""
    ax = new_axes(ax)
    rows = data[data["outcome"] == outcome]
    if rows.empty:
        raise ValueError(f"no contributions for outcome {outcome!r}")
    regimes = list(regimes) or list(dict.fromkeys(rows["regime"]))
    names = [n for n in dict.fromkeys(rows["ingredient"]) if n != TOTAL] + [TOTAL]
    step = 0.7 / max(len(regimes), 1)
    for k, regime in enumerate(regimes):
        sub = rows[rows["regime"] == regime].set_index("ingredient").reindex(names)
        y = [i + (k - (len(regimes) - 1) / 2) * step for i in range(len(names))]
        err = [sub["contribution"] - sub["ci_low"], sub["ci_high"] - sub["contribution"]]
        ax.errorbar(
            sub["contribution"], y, xerr=err, fmt="o", color=REGIME_COLORS[k % 4],
            capsize=2, label=regime,
        )  # fmt: skip
    ax.axvline(0.0, color=NEUTRAL, lw=0.6, ls="--")
    ax.axhline(len(names) - 1.5, color=NEUTRAL, lw=0.4)
    ax.set_yticks(range(len(names)), [n.replace("_", " ") for n in names])
    ax.invert_yaxis()
    contrasts = list(dict.fromkeys(rows.get("contrast", pd.Series(["integrated-project"]))))
    gap = contrasts[0].replace("-", " − ") if len(contrasts) == 1 else "policy − baseline"
    ax.set_xlabel(axis_label(outcome, prefix=f"Δ gap, {gap}: ", wrap=40))
    return ax


def render_ingredients(
    data: pd.DataFrame,
    stem: Path,
    *,
    formats: Sequence[str] = ("pdf", "png"),
    style: str = "paper",
    dpi: float | None = None,
) -> list[Path]:
    """One panel per outcome, a shared legend of regimes; returns the files written."""
    outcomes = list(dict.fromkeys(data["outcome"]))
    regimes = list(dict.fromkeys(data["regime"]))
    st = get_style(style)
    with style_context(st):
        fig, axes = panel_grid(len(outcomes), st, ncols=2, panel_aspect=0.9)
        for ax, out in zip(axes, outcomes, strict=True):
            plot_ingredient_contributions(data, out, ax, regimes=regimes)
        letter_panels(axes, [pretty(o) for o in outcomes])
        handles = [
            Line2D([], [], marker="o", ls="", color=REGIME_COLORS[k % 4], label=r)
            for k, r in enumerate(regimes)
        ]
        shared_legend(fig, handles)
        return save_figure(
            fig, stem, formats, title="Ingredient contributions to the policy gap", dpi=dpi
        )


def ingredient_figure(
    directory: Path,
    *,
    formats: Sequence[str] = ("pdf", "png"),
    style: str = "paper",
    dpi: float | None = None,
) -> list[Path]:
    """Draw ``directory/ingredients.parquet`` (written by ``community-sim ingredients``) there."""
    path = directory / "ingredients.parquet"
    if not path.is_file():
        raise UserError(
            "no ingredient decomposition; run `community-sim ingredients DIR ...` first",
            source=str(path),
        )
    data = pd.read_parquet(path)
    if "contrast" in data and data["contrast"].nunique() > 1:  # a colour per regime and contrast
        data = data.assign(regime=data["regime"] + ", " + data["contrast"])
    return render_ingredients(
        data, directory / "ingredients", formats=formats, style=style, dpi=dpi
    )
