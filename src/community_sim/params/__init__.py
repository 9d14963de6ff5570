"""The model's parameter space, declared once, and its scenarios.

Every parameter has a name, default, unit, bounds (or choices), a one-line
description and, where one exists, its source. Validation, ``community-sim
params``, experiment designs and the sensitivity-analysis problem all derive
from :data:`PARAMS` (as EMA Workbench's ``RealParameter``/``IntegerParameter``).

The package: :mod:`.table` declares every row (with :mod:`.integration`, the
ingredient table, :mod:`.council` and :mod:`.college`, all written with
:mod:`.rows`); :mod:`.scenarios` reads scenario files into validated values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from community_sim.errors import UserError, did_you_mean
from community_sim.params.rows import Kind, Value
from community_sim.params.table import DECLARED

__all__ = [
    "PARAMS",
    "Kind",
    "Param",
    "Value",
    "check_name",
    "defaults",
    "parse_assignment",
    "validate_params",
]


@dataclass(frozen=True)
class Param:
    """One model parameter."""

    name: str
    default: Value
    kind: Kind
    unit: str
    doc: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    source: str = ""
    group: str = "model"
    # Values that are not a dose but a switch (-1: "never"): figures and tables name them.
    special: Mapping[Value, str] = field(default_factory=dict, hash=False)

    def special_name(self, value: Any) -> str | None:
        """The declared name of a special ``value`` (e.g. ``-1`` → ``"never"``), or None."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return next((name for v, name in self.special.items() if float(value) == v), None)

    def bounds_text(self) -> str:
        if self.kind == "cat":
            return " | ".join(self.choices)
        if self.kind == "bool":
            return "true | false"
        return f"[{self.low:g}, {self.high:g}]"

    def check(self, value: Any, source: str | None = None) -> Value:
        """Return ``value`` coerced to this parameter's type, or raise UserError."""
        key = self.name
        if self.kind == "cat":
            if not isinstance(value, str) or value not in self.choices:
                raise UserError(
                    f"{value!r} is not allowed; choose one of {', '.join(self.choices)}",
                    source=source,
                    key=key,
                )
            return value
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise UserError(f"{value!r} is not true or false", source=source, key=key)
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise UserError(
                f"{value!r} is not a number; expected a {self.kind} in {self.bounds_text()}",
                source=source,
                key=key,
            )
        if self.kind == "int":
            if float(value) != int(value):
                raise UserError(
                    f"{value!r} is not a whole number ({self.unit})", source=source, key=key
                )
            value = int(value)
        else:
            value = float(value)
        assert self.low is not None and self.high is not None  # declared below for numbers
        if not self.low <= value <= self.high:
            raise UserError(
                f"{value:g} is out of bounds; allowed {self.bounds_text()} ({self.unit})",
                source=source,
                key=key,
            )
        return value


PARAMS: dict[str, Param] = {row["name"]: Param(**row) for row in DECLARED}
"""Every model parameter by name, in declaration order."""


def defaults() -> dict[str, Value]:
    """A fresh dict of every parameter's default."""
    return {name: p.default for name, p in PARAMS.items()}


def check_name(name: str, source: str | None = None) -> Param:
    """The parameter called ``name``, or a UserError suggesting the closest name."""
    try:
        return PARAMS[name]
    except KeyError:
        raise UserError(
            f"unknown parameter{did_you_mean(name, PARAMS)}; `community-sim params` lists them",
            source=source,
            key=name,
        ) from None


def validate_params(
    overrides: Mapping[str, Any] | None = None,
    *,
    source: str | None = None,
    base: Mapping[str, Value] | None = None,
) -> dict[str, Value]:
    """Defaults (or ``base``) updated with checked ``overrides``; raises UserError."""
    values = dict(base) if base is not None else defaults()
    for name, value in (overrides or {}).items():
        values[name] = check_name(name, source).check(value, source)
    return values


def parse_assignment(text: str, source: str = "--set") -> tuple[str, Value]:
    """Parse ``name=value`` from the command line into a typed pair."""
    if "=" not in text:
        raise UserError(f"{text!r} is not of the form name=value", source=source)
    name, raw = (s.strip() for s in text.split("=", 1))
    param = check_name(name, source)
    value: Any = raw
    if param.kind in ("real", "int"):
        try:
            value = float(raw)
        except ValueError:
            raise UserError(f"{raw!r} is not a number", source=source, key=name) from None
    elif param.kind == "bool":
        if raw.lower() not in ("true", "false"):
            raise UserError(f"{raw!r} is not true or false", source=source, key=name)
        value = raw.lower() == "true"
    return name, param.check(value, source)
