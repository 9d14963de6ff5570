"""The dashboard page: two policies side by side on one seed, stepped together.

A Solara page of its own (Mesa's SolaraViz shows one model, and drops Step
clicks that arrive while a step is drawn): the sidebar has the run buttons,
the step counter and the queued steps, and the settings, each showing its
value; the main area shows the series of both runs, their tie networks, one
outcome table with a column per policy, and each run's agents. A click on
Step only counts a request (:class:`~community_sim.dashboard.stepper.StepQueue`);
a worker thread runs the requests one by one, so every click is a month.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

import solara

from community_sim.dashboard.compare import SeriesView, pair_refresh
from community_sim.dashboard.controls import model_params
from community_sim.dashboard.pair import POLICIES, PolicyPair
from community_sim.dashboard.plots import format_value
from community_sim.dashboard.stepper import StepQueue
from community_sim.errors import UserError
from community_sim.params import PARAMS, Value

TITLE = "community-sim: cooperation policies side by side"
"""The page's name, in the browser tab and the app bar."""
WAIT_S = 0.2  # how long the worker waits for a click before looking again


class Session:
    """One browser session's runs and what shows them (replaced whole at Reset)."""

    def __init__(
        self,
        model_cls: type[Any],
        params: Mapping[str, Value],
        seed: int,
        policies: list[str],
        series_units: Mapping[str, str],
    ) -> None:
        self.pair = PolicyPair(model_cls, params, seed, policies)
        self.view = SeriesView(self.pair.policies, series_units)


def _input(spec: dict[str, Any], value: Value, on_value: Callable[[Any], None]) -> None:
    """One setting with its current value written above it (a slider's knob hides it)."""
    label = f"{spec['label']}: {format_value(value)}"
    if spec["type"] == "Select":
        solara.Select(label, value=value, values=spec["values"], on_value=on_value)
        return
    slider = solara.SliderInt if spec["type"] == "SliderInt" else solara.SliderFloat
    with solara.Column(gap="0px"):
        solara.Text(label)
        slider(
            "", value=value, min=spec["min"], max=spec["max"], step=spec["step"], on_value=on_value
        )


@solara.component
def Dashboard(
    model_cls: type[Any],
    params: Mapping[str, Value],
    seed: int,
    series_units: Mapping[str, str],
    outcome_units: Mapping[str, str],
    name: str = TITLE,
) -> solara.Element:
    """The whole app for one browser session.

    ``model_cls`` is called as ``model_cls(seed=..., **params)`` once per
    policy and must offer ``series_frame()``, ``outcomes()``, ``release()``
    and Mesa's ``agents_by_type`` (wrap a plain model with
    :func:`~community_sim.dashboard.controls.dashboard_model`).
    """
    spec = solara.use_memo(lambda: model_params(params, seed), [])
    inputs = {k: v for k, v in spec.items() if isinstance(v, dict) and k != "policy"}
    settings = solara.use_reactive({k: v["value"] for k, v in inputs.items()})
    policies = solara.use_reactive(list(POLICIES))
    queue = solara.use_memo(StepQueue, [])
    first = solara.use_memo(
        lambda: Session(model_cls, params, seed, list(POLICIES), series_units), []
    )
    session = solara.use_reactive(first)
    version = solara.use_reactive(0)  # bumped after every step: the panels redraw
    asked = solara.use_reactive(0)  # bumped by every click: the queue count redraws
    playing = solara.use_reactive(False)
    error = solara.use_reactive(None)

    def work(cancel: threading.Event) -> None:
        while not cancel.is_set():
            if not queue.take(WAIT_S, playing=playing.value):
                continue
            try:
                with queue.lock:
                    session.value.pair.step()
            except Exception as exc:  # shown on the page; the session stays usable
                playing.value = False
                queue.clear()
                error.value = f"error in step: {exc}"
                continue
            version.value += 1

    solara.use_thread(work, dependencies=[], intrusive_cancel=False)

    def release_on_close() -> Callable[[], None]:
        return lambda: session.value.pair.release()

    solara.use_effect(release_on_close, [])

    def step() -> None:
        queue.request()
        asked.value += 1

    def play_pause() -> None:
        playing.value = not playing.value

    def reset() -> None:
        playing.value = False
        queue.clear()
        chosen = {k: v for k, v in settings.value.items() if k != "seed"}
        try:
            new = Session(
                model_cls,
                {**params, **chosen},
                int(settings.value["seed"]),
                list(policies.value),
                series_units,
            )
        except UserError as exc:
            error.value = str(exc)
            return
        with queue.lock:
            old, session.value = session.value, new
        old.pair.release()
        error.value = None
        version.value += 1

    with queue.lock:
        shown = solara.use_memo(
            lambda: pair_refresh(session.value.pair, session.value.view, outcome_units),
            [version.value, session.value],
        )
        months = session.value.pair.steps

    solara.Title(name)
    with solara.AppBar():
        solara.AppBarTitle(name)
    with solara.Sidebar(), solara.Column():
        with solara.Card("Run"):
            with solara.Row(justify="space-between"):
                solara.Button("Reset", color="primary", on_click=reset)
                solara.Button("❚❚" if playing.value else "▶", color="primary", on_click=play_pause)
                solara.Button("Step", color="primary", on_click=step, disabled=playing.value)
            with solara.Column(gap="2px"):
                solara.Text(f"Step: {months}")
                if asked.value >= 0:  # read: a click redraws the count of queued steps
                    solara.Text(f"Queued steps: {queue.pending}")
        with solara.Card("Settings (applied at Reset)"):
            choices = list(PARAMS["policy"].choices)
            for k, side in enumerate(("Left policy", "Right policy")):

                def choose(value: str, k: int = k) -> None:
                    policies.value = [value if i == k else p for i, p in enumerate(policies.value)]

                current = policies.value[k]
                solara.Select(f"{side}: {current}", value=current, values=choices, on_value=choose)
            for key, opts in inputs.items():

                def change(value: Any, key: str = key) -> None:
                    settings.value = {**settings.value, key: value}

                _input(opts, settings.value[key], change)
    if error.value:
        solara.Error(label=str(error.value))
    with solara.Column():
        solara.FigureMatplotlib(
            shown["series"], dependencies=[version.value, session.value], format="png"
        )
        solara.FigureMatplotlib(
            shown["network"], dependencies=[version.value, session.value], format="png"
        )
        with solara.Columns([1, 1]):
            solara.HTML(tag="div", unsafe_innerHTML=str(shown["summary"]))
            solara.HTML(tag="div", unsafe_innerHTML=str(shown["agents"]))
