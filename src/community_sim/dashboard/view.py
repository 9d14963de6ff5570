"""Solara components of the dashboard, assembled around Mesa's SolaraViz.

Mesa's SolaraViz supplies the sidebar (play/step/reset, the model controls
from ``model_params``, the step counter) and lays out *components*: plain
functions of the model that Mesa re-renders after every step. Here they are
the four monthly series plots, the tie network, the agents (read through
Mesa's ``agents_by_type``) and the outcome table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import solara
from mesa import Model
from mesa.visualization import SolaraViz

from community_sim.dashboard.controls import model_params
from community_sim.dashboard.panels import (
    PANELS,
    SeriesPanel,
    agents_html,
    series_figure,
    summary_html,
    tie_network_figure,
)
from community_sim.params import Value


def series_component(panel: SeriesPanel, unit: str) -> Callable[[Model], solara.Element]:
    """A SolaraViz component plotting ``panel`` from ``model.series_frame()``."""

    def component(model: Model) -> solara.Element:
        return solara.FigureMatplotlib(
            series_figure(model.series_frame(), panel, unit), format="png"
        )

    component.__name__ = "Plot_" + "_".join(panel.lines)
    return component


def network_component(model: Model) -> solara.Element:
    """SolaraViz component: the tie network of the model's college and firm agents."""
    return solara.FigureMatplotlib(tie_network_figure(model), format="png")


def agents_component(model: Model) -> solara.Element:
    """SolaraViz component: the model's agents by type, colleges, firms and sampled students."""
    return solara.HTML(tag="div", unsafe_innerHTML=agents_html(model))


def outcome_component(units: Mapping[str, str]) -> Callable[[Model], solara.Element]:
    """A SolaraViz component: this run's controlled settings and its outcomes so far.

    The settings are read from the running model, not from the controls, which
    take effect only at Reset.
    """

    def component(model: Model) -> solara.Element:
        return solara.HTML(tag="div", unsafe_innerHTML=summary_html(model, units))

    return component


def _release(model: Model) -> None:
    # Mesa keeps every model alive until it is released (community_sim.mesa_leak):
    # release it when the dashboard replaces or discards it.
    model.release()  # type: ignore[attr-defined]


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
    ``series_frame()``, ``outcomes()`` and ``release()``, and agents of the types
    ``School``, ``Enterprise`` and ``Student`` (wrap a plain model with
    :func:`~community_sim.dashboard.controls.dashboard_model`).
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
    components += [network_component, agents_component, outcome_component(outcome_units)]
    return SolaraViz(
        model,
        components=[(c, 0) for c in components],
        model_params=model_params(params, seed),
        name=name,
    )
