"""The dashboard's controls: which parameters a user can change, and how.

A ``model_params`` dict in Mesa's SolaraViz format: entries with a ``type``
become inputs (``SliderInt``, ``SliderFloat``, ``Select``), plain values are
passed unchanged to the model on every reset (:mod:`.view` draws the inputs;
the policy is chosen per side there). The scenario's values become both the
inputs' initial values and the fixed values, so the dashboard starts where
the scenario file says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from mesa import Model

from community_sim.params import PARAMS, Value, validate_params

M = TypeVar("M", bound=Model)

SEED_MAX = 99
"""Largest seed the seed slider offers (a larger initial seed widens it)."""


@dataclass(frozen=True)
class Control:
    """A parameter shown as an input: its label and slider step (unused for choices)."""

    name: str
    label: str
    step: float = 1.0


CONTROLS: tuple[Control, ...] = (
    Control("policy", "Cooperation policy"),
    Control("tech_drift", "Technology drift", 0.01),
    Control("subsidy_per_apprentice_month", "Subsidy per apprentice", 50.0),
    Control("governance_cost_annual", "Council running cost", 1000.0),
    Control("project_length_months", "Project contract length", 1),
    Control("unemployment_rate", "Unemployment rate", 0.01),
)
"""The parameters a user can change in the dashboard, in display order."""


def control_label(control: Control) -> str:
    """The input's label, with the parameter's unit when it has one."""
    unit = PARAMS[control.name].unit
    return control.label if unit in ("", "-") else f"{control.label} ({unit})"


def _input(control: Control, value: Value) -> dict[str, Any]:
    p = PARAMS[control.name]
    label = control_label(control)
    if p.kind == "cat":
        return {"type": "Select", "label": label, "value": value, "values": list(p.choices)}
    if p.kind == "int":
        return {
            "type": "SliderInt",
            "label": label,
            "value": int(value),
            "min": int(p.low or 0),
            "max": int(p.high or 0),
            "step": int(control.step),
        }
    return {
        "type": "SliderFloat",
        "label": label,
        "value": float(value),
        "min": float(p.low or 0.0),
        "max": float(p.high or 0.0),
        "step": float(control.step),
    }


def model_params(params: Mapping[str, Value], seed: int = 0) -> dict[str, Any]:
    """The inputs (SolaraViz ``model_params`` format) for a parameter set and a seed.

    The controlled parameters and the seed become inputs; every other
    parameter is passed through at its given value.
    """
    if seed < 0:
        raise ValueError(f"seed must be non-negative, got {seed}")
    out: dict[str, Any] = {
        "seed": {
            "type": "SliderInt",
            "label": "Seed",
            "value": seed,
            "min": 0,
            "max": max(SEED_MAX, seed),
            "step": 1,
        }
    }
    controlled = {c.name for c in CONTROLS}
    for control in CONTROLS:
        out[control.name] = _input(control, params[control.name])
    for name, value in params.items():
        if name not in controlled:
            out[name] = value
    return out


def dashboard_model(base: type[M]) -> type[M]:
    """A subclass of ``base`` built from keyword values, as the dashboard does on Reset.

    It takes ``seed`` and any parameters as keywords; values are validated
    like a scenario file's before reaching the model.
    """

    class DashboardModel(base):  # type: ignore[misc,valid-type]
        def __init__(self, seed: int = 0, **kwargs: Any) -> None:
            params = validate_params(kwargs, source="dashboard")
            super().__init__(seed=int(seed), **params)
            self.dashboard_seed = int(seed)
            self.dashboard_params = params

    DashboardModel.__name__ = DashboardModel.__qualname__ = f"Dashboard{base.__name__}"
    return DashboardModel
