"""Derived outputs: scalars a spec defines from the stored series, in a tiny safe language.

``[outputs.derived]`` in a spec names new outputs, e.g.
``late_participation = "mean(participation, months=97..120)"``. Each is
computed run by run from the series the run stores (every ``period``-th
month) and stored as a column of ``runs.parquet``, so it is analysed,
discovered and plotted like any other outcome. The grammar, parsed here by
recursive descent (never ``eval``)::

    expr   := term (("+" | "-") term)*
    term   := factor (("*" | "/") factor)*
    factor := NUMBER | "-" factor | "(" expr ")" | call
    call   := FUNC "(" SERIES ["," "months" "=" INT ".." INT] ")"
    FUNC   := mean | last | min | max | sum

``months=a..b`` keeps the stored months a to b, both included (default: all).
A function over no stored month, or over a month whose value is undefined,
is undefined (NaN); so is a division by zero — never 0.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from community_sim.errors import UserError, did_you_mean

FUNCTIONS: dict[str, Callable[[np.ndarray], float]] = {
    "mean": lambda v: float(np.mean(v)),
    "last": lambda v: float(v[-1]),
    "min": lambda v: float(np.min(v)),
    "max": lambda v: float(np.max(v)),
    "sum": lambda v: float(np.sum(v)),
}
"""Each function of a series' values (in month order) to one number."""

_TOKEN = re.compile(r"\s*(?:(\d+\.\.\d+)|(\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)|([A-Za-z_]\w*)|(.))")


@dataclass(frozen=True)
class Call:
    func: str
    series: str
    months: tuple[int, int] | None


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Neg:
    arg: Node


Node = float | Call | BinOp | Neg


class _Parser:
    def __init__(self, text: str):
        self.tokens: list[tuple[str, str]] = []
        for m in _TOKEN.finditer(text):
            rng, num, name, other = m.groups()
            if rng:
                self.tokens.append(("range", rng))
            elif num:
                self.tokens.append(("num", num))
            elif name:
                self.tokens.append(("name", name))
            elif other and not other.isspace():
                self.tokens.append(("op", other))
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, kind: str, value: str | None = None) -> str:
        tok = self.peek()
        if tok is None or tok[0] != kind or (value is not None and tok[1] != value):
            want = repr(value) if value else kind
            got = repr(tok[1]) if tok else "the end"
            raise ValueError(f"expected {want} but found {got}")
        self.i += 1
        return tok[1]

    def expr(self) -> Node:
        node = self.term()
        while (tok := self.peek()) and tok in (("op", "+"), ("op", "-")):
            self.i += 1
            node = BinOp(tok[1], node, self.term())
        return node

    def term(self) -> Node:
        node = self.factor()
        while (tok := self.peek()) and tok in (("op", "*"), ("op", "/")):
            self.i += 1
            node = BinOp(tok[1], node, self.factor())
        return node

    def factor(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise ValueError("the expression ends too early")
        if tok == ("op", "-"):
            self.i += 1
            return Neg(self.factor())
        if tok == ("op", "("):
            self.i += 1
            node = self.expr()
            self.take("op", ")")
            return node
        if tok[0] == "num":
            self.i += 1
            return float(tok[1])
        if tok[0] == "name":
            return self.call()
        raise ValueError(f"unexpected {tok[1]!r}")

    def call(self) -> Call:
        func = self.take("name")
        if func not in FUNCTIONS:
            raise ValueError(
                f"unknown function {func!r}{did_you_mean(func, FUNCTIONS)}; "
                f"use one of {', '.join(FUNCTIONS)}"
            )
        self.take("op", "(")
        series = self.take("name")
        months = None
        if self.peek() == ("op", ","):
            self.i += 1
            self.take("name", "months")
            self.take("op", "=")
            low, high = (int(x) for x in self.take("range").split(".."))
            if low > high:
                raise ValueError(f"months={low}..{high} is empty; write the first month first")
            months = (low, high)
        self.take("op", ")")
        return Call(func, series, months)


def parse(text: str) -> Node:
    """The expression's tree; ValueError says what is wrong."""
    p = _Parser(text)
    node = p.expr()
    if p.peek() is not None:
        raise ValueError(f"unexpected {p.peek()[1]!r} after a complete expression")  # type: ignore[index]
    return node


def calls(node: Node) -> list[Call]:
    """The series functions an expression uses."""
    if isinstance(node, Call):
        return [node]
    if isinstance(node, BinOp):
        return calls(node.left) + calls(node.right)
    if isinstance(node, Neg):
        return calls(node.arg)
    return []


def check_derived(
    derived: Mapping[str, str],
    *,
    series: Sequence[str],
    taken: Sequence[str],
    steps: int | None,
    source: str,
) -> tuple[tuple[str, str], ...]:
    """Parse and check every derived output against the stored series; UserError naming the key."""
    out = []
    for name, text in derived.items():
        key = f"outputs.derived.{name}"
        if name in taken:
            raise UserError(
                f"{name!r} is already an outcome or column; rename it", source=source, key=key
            )
        if not isinstance(text, str):
            raise UserError(
                'write the expression as a string, e.g. "mean(x)"', source=source, key=key
            )
        try:
            node = parse(text)
        except ValueError as exc:
            example = '"mean(participation, months=97..120)"'
            raise UserError(f"{exc}; write e.g. {example}", source=source, key=key) from None
        for c in calls(node):
            if c.series not in series:
                fix = (
                    "this model stores no series"
                    if not series
                    else f"add it to outputs.series; stored: {', '.join(series)}"
                )
                raise UserError(
                    f"series {c.series!r}{did_you_mean(c.series, series)} is not stored ({fix})",
                    source=source,
                    key=key,
                )
            if c.months and steps is not None and c.months[1] > steps:
                raise UserError(
                    f"months={c.months[0]}..{c.months[1]} runs past the last month ({steps}); "
                    f"end the range at {steps} or raise steps",
                    source=source,
                    key=key,
                )
        out.append((name, text))
    return tuple(out)


def _value(node: Node, series: Mapping[str, tuple[np.ndarray, np.ndarray]]) -> float:
    if isinstance(node, float):
        return node
    if isinstance(node, Neg):
        return -_value(node.arg, series)
    if isinstance(node, BinOp):
        a, b = _value(node.left, series), _value(node.right, series)
        if node.op == "+":
            return a + b
        if node.op == "-":
            return a - b
        if node.op == "*":
            return a * b
        return a / b if b != 0 else math.nan
    steps, values = series.get(node.series, (np.empty(0), np.empty(0)))
    if node.months is not None:
        keep = (steps >= node.months[0]) & (steps <= node.months[1])
        values = values[keep]
    if len(values) == 0 or not np.isfinite(values).all():
        return math.nan
    return FUNCTIONS[node.func](values)


def evaluate(
    derived: Sequence[tuple[str, str]],
    steps: np.ndarray | None,
    names: np.ndarray | None,
    values: np.ndarray | None,
) -> dict[str, float]:
    """Every derived output of one run, from its long-format stored series."""
    by_name: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if steps is not None and names is not None and values is not None:
        steps, values = np.asarray(steps), np.asarray(values, dtype=float)
        names = np.asarray(names)
        for n in np.unique(names):
            sel = names == n
            order = np.argsort(steps[sel], kind="stable")
            by_name[str(n)] = (steps[sel][order], values[sel][order])
    return {name: _value(parse(text), by_name) for name, text in derived}


UNDEFINED_WHEN = "its months hold no stored value, a value in them is undefined, or it divides by 0"
