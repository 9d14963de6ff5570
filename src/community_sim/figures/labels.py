"""Axis labels with units, from the registries that declare them.

Outcome and series units come from ``community_sim.metrics`` (``OUTCOMES`` and
``SERIES``), parameter units from ``community_sim.params.PARAMS``; callers may
pass their own ``units`` mapping (a user model's outputs). A paired-difference
output ``diff:<name>`` has the unit of ``<name>``. A name with no declared unit
is labelled "model units" rather than left bare, so every axis says what it
measures.
"""

from __future__ import annotations

import importlib
import textwrap
from collections.abc import Mapping
from functools import cache
from typing import Any

from community_sim.params import PARAMS

UNKNOWN_UNIT = "model units"
DIFF_PREFIX = "diff:"
_DIMENSIONLESS = {"", "-", "–", "1"}


@cache
def _registries() -> tuple[Mapping[str, Any], ...]:
    """``metrics.OUTCOMES`` and ``metrics.SERIES`` when the metrics module is present."""
    try:
        metrics = importlib.import_module("community_sim.metrics")
    except ImportError:
        return ()
    return tuple(
        reg
        for reg in (getattr(metrics, "OUTCOMES", None), getattr(metrics, "SERIES", None))
        if isinstance(reg, Mapping)
    )


def split_name(name: str) -> tuple[str, str, str]:
    """``(outcome, contrast, policy)`` of an analysis output name.

    The analysis names outputs ``<outcome>``, ``<outcome>@<policy>``,
    ``diff:<outcome>`` (the two compared policies) and
    ``diff:<pk>-<p0>:<outcome>`` (with more than two); ``contrast`` is
    ``"pk − p0"``, ``"difference"`` or ``""``.
    """
    contrast = ""
    if name.startswith(DIFF_PREFIX):
        rest = name[len(DIFF_PREFIX) :]
        if ":" in rest:
            pair, rest = rest.split(":", 1)
            contrast = pair.replace("-", " − ", 1)
        else:
            contrast = "difference"
        name = rest
    outcome, _, policy = name.partition("@")
    return outcome, contrast, policy


def base_name(name: str) -> str:
    """The outcome an analysis output name refers to (see :func:`split_name`)."""
    return split_name(name)[0]


def _entry(name: str) -> Any | None:
    for reg in _registries():
        if name in reg:
            return reg[name]
    return PARAMS.get(name)


def unit_of(name: str, units: Mapping[str, str] | None = None) -> str:
    """The unit of an outcome, series or parameter ``name`` (``UNKNOWN_UNIT`` if none)."""
    key = base_name(name)
    if units and key in units:
        return units[key]
    entry = _entry(key)
    unit = getattr(entry, "unit", None) if entry is not None else None
    if unit is None:
        return UNKNOWN_UNIT
    return "dimensionless" if str(unit).strip() in _DIMENSIONLESS else str(unit)


def pretty(name: str, *, capital: bool = True, labels: Mapping[str, str] | None = None) -> str:
    """A readable name: ``labels[name]`` (the user's, e.g. ``figures --labels``), the
    registry's ``label`` if it has one, else the name spaced out.

    Names no registry declares (a user model's ``x1``) keep their case; a
    user's label is kept as written.
    """
    key, contrast, policy = split_name(name)
    entry = _entry(key)
    if labels and key in labels:
        text = labels[key]
        capital = False
    elif entry is None:
        text = key
    else:
        label = getattr(entry, "label", None)
        text = str(label) if label else key.replace("_", " ")
    if contrast == "difference":
        text = f"difference in {text}"
    elif contrast:
        text = f"{contrast}: {text}"
    if policy:
        text = f"{text} ({policy})"
    return text[:1].upper() + text[1:] if capital and (entry is not None or contrast) else text


def axis_label(
    name: str,
    units: Mapping[str, str] | None = None,
    *,
    prefix: str = "",
    wrap: int | None = None,
) -> str:
    """``"<Pretty name> (<unit>)"`` after ``prefix`` (e.g. ``"Δ "``), wrapped at ``wrap``."""
    text = f"{prefix}{pretty(name, capital=not prefix)} ({unit_of(name, units)})"
    return textwrap.fill(text, wrap, break_long_words=False) if wrap else text


def special_values(name: str) -> Mapping[Any, str]:
    """A parameter's special values (``{-1: "never"}``) from the parameter table."""
    param = PARAMS.get(name)
    return getattr(param, "special", None) or {}


def value_label(name: str, value: Any) -> str:
    """How a value of parameter ``name`` is written on an axis: its special name or ``3.5g``."""
    special = special_values(name)
    for v, text in special.items():
        if value == v:
            return text
    return f"{value:.3g}" if isinstance(value, int | float) else str(value)


def level_order(name: str, values: Any) -> list[Any]:
    """The distinct ``values`` of parameter ``name`` in axis order: numbers, then specials.

    A special value (-1 = "never") is a switch, not a dose: it goes after the
    numbers, never at its numeric place.
    """
    special = special_values(name)
    distinct = sorted(set(values))
    return [v for v in distinct if v not in special] + [v for v in distinct if v in special]
