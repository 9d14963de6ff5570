"""The case of interest: a condition on an output, read replicate by replicate.

A target is written ``"<output> <op> <number>"`` with ``op`` one of ``<``,
``<=``, ``>``, ``>=`` and ``<output>`` any name ``community-sim analyze``
knows (``skill_match``, ``skill_match@integrated``, ``diff:skill_match``).

A design point is a *case of interest* when the condition holds for the mean
of its replicates and, when a probability ``P`` is given, when at least a
share ``P`` of its replicates meet the condition as well. The second test keeps
replicate noise from making boxes: a point whose mean only just passes while
half its replicates fail is not counted. For a paired output ``diff:<outcome>``
the replicates are the common-random-number pairs (same point, replicate and
seed under both policies), so the share is that of pairs in which the
condition holds.

Points with a non-finite value in any replicate (a failed run, or an outcome
undefined in that run) are not classified: they are left out of discovery and
counted in the report, never read as "not a case".
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from community_sim.errors import UserError

OPERATORS: dict[str, Callable[[np.ndarray, float], np.ndarray]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
"""The comparisons a target may use."""

_EXPR = re.compile(r"^\s*(?P<output>[^\s<>=]+)\s*(?P<op><=|>=|<|>)\s*(?P<value>\S+)\s*$")

WORDS: dict[str, str] = {"<": "below", "<=": "at most", ">": "above", ">=": "at least"}


@dataclass(frozen=True)
class Target:
    """A parsed condition ``output op value``."""

    output: str
    op: str
    value: float

    @property
    def text(self) -> str:
        return f"{self.output} {self.op} {self.value:g}"

    def holds(self, values: np.ndarray) -> np.ndarray:
        """Element-wise truth of the condition (False where ``values`` is NaN)."""
        return OPERATORS[self.op](np.asarray(values, dtype=float), self.value)


def parse_target(expr: str) -> Target:
    """``"diff:trial_error_cost_per_hire_weeks < 0"`` → :class:`Target`; UserError otherwise."""
    m = _EXPR.match(expr or "")
    if not m:
        raise UserError(
            f"cannot read {expr!r}; write OUTPUT OP NUMBER with OP one of "
            f"{', '.join(OPERATORS)}, e.g. 'diff:trial_error_cost_per_hire_weeks < 0'",
            source="--target",
        )
    try:
        value = float(m["value"])
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise UserError(
            f"{m['value']!r} is not a finite number; compare the output with a number, "
            "e.g. 'partnership_survival_5y@integrated > 0.6'",
            source="--target",
        )
    return Target(m["output"], m["op"], value)


@dataclass(frozen=True)
class Cases:
    """Each design point classified: ``coi`` only where ``valid``."""

    mean: np.ndarray  # (n_points,) replicate mean, NaN where not valid
    share: np.ndarray  # (n_points,) share of replicates meeting the condition, NaN where not valid
    valid: np.ndarray  # (n_points,) bool: every replicate finite
    coi: np.ndarray  # (n_points,) bool: a case of interest (False where not valid)

    @property
    def n_valid(self) -> int:
        return int(self.valid.sum())

    @property
    def n_cases(self) -> int:
        return int(self.coi.sum())


def check_probability(threshold_prob: float | None) -> None:
    """Refuse a ``--threshold-prob`` outside (0, 1]."""
    if threshold_prob is not None and not 0.0 < threshold_prob <= 1.0:
        raise UserError(
            f"{threshold_prob:g} is not a probability in (0, 1]; e.g. 0.75 asks 3 of 4 "
            "replicates to meet the condition",
            source="--threshold-prob",
        )


def classify(values: np.ndarray, target: Target, threshold_prob: float | None = None) -> Cases:
    """Classify the points of a ``values[point, replicate]`` matrix (module docstring)."""
    check_probability(threshold_prob)
    v = np.asarray(values, dtype=float)
    if v.ndim != 2:
        raise ValueError("values must be a (points, replicates) matrix")
    valid = np.isfinite(v).all(axis=1)
    safe = np.where(valid[:, None], v, 0.0)
    mean = np.where(valid, safe.mean(axis=1), np.nan)
    share = np.where(valid, target.holds(safe).mean(axis=1), np.nan)
    coi = valid & target.holds(np.where(valid, mean, np.nan))
    if threshold_prob is not None:
        # a share is k/R; compare with a tolerance so that P = 0.75 accepts 3 of 4
        coi &= np.where(valid, share, -1.0) >= threshold_prob - 1e-12
    return Cases(mean=mean, share=share, valid=valid, coi=coi)
