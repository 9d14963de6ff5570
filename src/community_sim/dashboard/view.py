"""Solara components of the dashboard, assembled around Mesa's SolaraViz.

Mesa's SolaraViz supplies the sidebar (play/step/reset, the model controls
from ``model_params``, the step counter) and lays out *components*: plain
functions of the model that Mesa re-renders after every step. Here they are
the four monthly series plots, the tie network and the outcome table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import escape
from typing import Any

import solara
from matplotlib.figure import Figure
from mesa import Agent, Model
from mesa.visualization import SolaraViz

from community_sim.dashboard.controls import CONTROLS, control_label, model_params
from community_sim.dashboard.plots import (
    KIND_COLOURS,
    axis_label,
    draw_network,
    format_value,
    outcome_rows,
    plot_series,
)
from community_sim.params import PARAMS, Value, validate_params

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


def dashboard_model(base: type[Model]) -> type[Model]:
    """A subclass of ``base`` that SolaraViz can re-create on reset.

    SolaraViz rebuilds the model as ``cls(**model_params)`` and checks those
    names against the ``__init__`` signature, which must take ``**kwargs``.
    Values are validated like a scenario file's before reaching the model.
    """

    class DashboardModel(base):  # type: ignore[misc,valid-type]
        def __init__(self, seed: int = 0, **kwargs: Any) -> None:
            params = validate_params(kwargs, source="dashboard")
            super().__init__(seed=int(seed), **params)
            self.dashboard_seed = int(seed)
            self.dashboard_params = params

    DashboardModel.__name__ = DashboardModel.__qualname__ = f"Dashboard{base.__name__}"
    return DashboardModel


def series_component(panel: SeriesPanel, unit: str) -> Callable[[Model], solara.Element]:
    """A SolaraViz component plotting ``panel`` from ``model.series_frame()``."""

    def component(model: Model) -> solara.Element:
        fig = Figure(figsize=FIGSIZE)
        fig.subplots_adjust(**SERIES_MARGINS)
        plot_series(
            model.series_frame(),
            panel.lines,
            axis_label(panel.quantity, unit),
            panel.title,
            fig.subplots(),
            panel.colours,
        )
        return solara.FigureMatplotlib(fig, format="png")

    component.__name__ = "Plot_" + "_".join(panel.lines)
    return component


def network_component(model: Model) -> solara.Element:
    """SolaraViz component: the school–enterprise tie network."""
    fig = Figure(figsize=FIGSIZE)
    draw_network(model.schools, model.enterprises, model.partnerships, fig.add_axes(NETWORK_AXES))
    return solara.FigureMatplotlib(fig, format="png")


def _run_summary_html(model: Model, units: Mapping[str, str]) -> str:
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


def outcome_component(units: Mapping[str, str]) -> Callable[[Model], solara.Element]:
    """A SolaraViz component: this run's controlled settings and its outcomes so far.

    The settings are read from the running model, not from the controls, which
    take effect only at Reset.
    """

    def component(model: Model) -> solara.Element:
        return solara.HTML(tag="div", unsafe_innerHTML=_run_summary_html(model, units))

    return component


def _release(model: Model) -> None:
    # Mesa's Agent._ids holds a counter per model and thereby the model itself;
    # drop it when the dashboard replaces or discards a model.
    Agent._ids.pop(model, None)


@solara.component
def Dashboard(
    model_cls: type[Model],
    params: Mapping[str, Value],
    seed: int,
    series_units: Mapping[str, str],
    outcome_units: Mapping[str, str],
    name: str = "community-sim",
) -> solara.Element:
    """The whole app for one browser session.

    ``model_cls`` is called as ``model_cls(seed=..., **params)`` and must offer
    ``series_frame()``, ``outcomes()``, ``schools``, ``enterprises`` and
    ``partnerships`` (wrap a plain model with :func:`dashboard_model`).
    """
    first = solara.use_memo(lambda: model_cls(seed=seed, **params), [])
    model = solara.use_reactive(first)

    def track() -> Callable[[], None]:
        unsubscribe = model.subscribe_change(lambda new, old: _release(old))

        def cleanup() -> None:
            unsubscribe()
            _release(model.value)

        return cleanup

    solara.use_effect(track, [])
    components: list[Any] = [
        series_component(p, series_units.get(next(iter(p.lines)), "")) for p in PANELS
    ]
    components += [network_component, outcome_component(outcome_units)]
    return SolaraViz(
        model,
        components=[(c, 0) for c in components],
        model_params=model_params(params, seed),
        name=name,
    )
