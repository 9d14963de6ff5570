"""What the dashboard shows, as figures and HTML built from a model (no Solara here).

:mod:`.view` wraps these in Solara components; benchmarks and tests call them
directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from community_sim.dashboard.controls import CONTROLS, control_label
from community_sim.dashboard.plots import (
    KIND_COLOURS,
    axis_label,
    draw_network,
    format_value,
    outcome_rows,
    plot_series,
)
from community_sim.params import PARAMS

FIGSIZE = (4.8, 3.5)
"""Size of each plot in inches at 100 dpi: about one cell of SolaraViz's grid at 1400 px.

Fixed margins rather than constrained layout halve the drawing time per step.
"""
SERIES_MARGINS = {"left": 0.15, "right": 0.97, "bottom": 0.13, "top": 0.91}
NETWORK_AXES = (0.0, 0.0, 0.68, 0.92)
SUMMARY_STYLE = "font-size:12px;line-height:1.35;max-height:100%;overflow-y:auto;padding:4px"
"""The outcome table is compact so that all outcomes fit in one grid cell."""
CELL = "padding:0 0 0 10px;white-space:nowrap"


@dataclass(frozen=True)
class SeriesPanel:
    """One plot of monthly series: title, lines (column → legend label), y quantity."""

    title: str
    lines: Mapping[str, str]
    quantity: str
    colours: Mapping[str, str] = field(default_factory=dict)


PANELS: tuple[SeriesPanel, ...] = (
    SeriesPanel(
        "Active ties by kind",
        {"ties_project": "project", "ties_integrated": "integrated"},
        "",
        {"ties_project": KIND_COLOURS["project"], "ties_integrated": KIND_COLOURS["integrated"]},
    ),
    SeriesPanel(
        "Trial-and-error cost per hire",
        {"cost_per_hire_weeks": "cost per hire"},
        "cost per hire",
    ),
    SeriesPanel("Skill match of new hires", {"skill_match": "skill match"}, "skill match"),
    SeriesPanel("Mean trust of active ties", {"mean_trust": "mean trust"}, "mean trust"),
)
"""The series plots, in display order; columns are names in the model's series frame."""


def series_figure(df: pd.DataFrame, panel: SeriesPanel, unit: str) -> Figure:
    """The figure of one series panel; ``unit`` labels the y axis."""
    fig = Figure(figsize=FIGSIZE)
    fig.subplots_adjust(**SERIES_MARGINS)
    ax = fig.subplots()
    plot_series(df, panel.lines, axis_label(panel.quantity, unit), panel.title, ax, panel.colours)
    return fig


def network_figure(
    schools: Sequence[Any], enterprises: Sequence[Any], ties: Iterable[Any]
) -> Figure:
    """The figure of the school–enterprise tie network."""
    fig = Figure(figsize=FIGSIZE)
    draw_network(schools, enterprises, ties, fig.add_axes(NETWORK_AXES))
    return fig


def summary_html(model: Any, units: Mapping[str, str]) -> str:
    """HTML for the run's controlled settings and its outcomes so far, with units.

    Settings are read from ``model.dashboard_params`` (see
    :func:`community_sim.dashboard.view.dashboard_model`), i.e. what the run
    actually uses, not the controls, which take effect only at Reset.
    """
    params = getattr(model, "dashboard_params", {})
    seed = getattr(model, "dashboard_seed", "?")
    settings = []
    for c in CONTROLS:
        if c.name in params:
            unit = PARAMS[c.name].unit
            name = control_label(c).split(" (")[0].lower()
            value = format_value(params[c.name]) + ("" if unit in ("", "-") else f" {unit}")
            settings.append(f"{escape(name)} <b>{escape(value)}</b>")
    rows = "".join(
        f"<tr><td>{escape(k)}</td><td style='{CELL};text-align:right'>{escape(v)}</td>"
        f"<td style='{CELL}'>{escape(u)}</td></tr>"
        for k, v, u in outcome_rows(model.outcomes(), units)
    )
    return (
        f"<div style='{SUMMARY_STYLE}'>"
        f"<p><b>This run:</b> seed <b>{escape(str(seed))}</b>, {', '.join(settings)}.</p>"
        f"<p><b>Outcomes so far</b> (month {model.steps})</p>"
        f"<table style='border-collapse:collapse;width:100%'>"
        f"<tr><th align='left'>outcome</th><th style='{CELL}' align='right'>value</th>"
        f"<th style='{CELL}' align='left'>unit</th></tr>{rows}</table></div>"
    )
