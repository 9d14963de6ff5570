"""Builders of declaration rows: one parameter as the keyword arguments of ``Param``.

Every table of the package (:mod:`.table`, :mod:`.integration`, :mod:`.council`,
:mod:`.college`) writes its rows with these, so a row has one shape everywhere.
"""

from __future__ import annotations

from typing import Any, Literal

Kind = Literal["real", "int", "cat", "bool"]
Value = float | int | str | bool
Row = dict[str, Any]


def real(name: str, default: float, low: float, high: float, unit: str, doc: str, **kw: Any) -> Row:
    """A real parameter in ``[low, high]``."""
    return dict(
        name=name, default=float(default), kind="real", unit=unit, doc=doc, low=low, high=high, **kw
    )


def integer(name: str, default: int, low: int, high: int, unit: str, doc: str, **kw: Any) -> Row:
    """A whole-number parameter in ``[low, high]``."""
    return dict(
        name=name, default=int(default), kind="int", unit=unit, doc=doc, low=low, high=high, **kw
    )


def choice(name: str, default: str, choices: tuple[str, ...], doc: str, **kw: Any) -> Row:
    """A categorical parameter: one of ``choices``."""
    return dict(name=name, default=default, kind="cat", unit="-", doc=doc, choices=choices, **kw)


def flag(name: str, default: bool, doc: str, **kw: Any) -> Row:
    """A true/false parameter."""
    return dict(name=name, default=default, kind="bool", unit="-", doc=doc, **kw)
