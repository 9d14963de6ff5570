"""Robustness of a decision across an ensemble of scenarios: mean, percentile, regret, satisficing.

Each metric reads a table ``values[candidate, scenario]`` (an output's mean over
replicates, candidate by candidate and scenario by scenario) and gives each
candidate one number:

- ``mean``: the mean over scenarios;
- ``percentile:<q>``: the q-th percentile over scenarios (linear interpolation,
  NumPy's default); for an output to maximise, a low ``q`` is a cautious score,
  for one to minimise a high ``q``;
- ``regret``: the largest shortfall from the best candidate of each scenario,
  ``max_s |best_s - values[c, s]|`` (Savage's minimax regret), to minimise;
- ``satisficing:<condition>``: the share of scenarios in which the condition
  ``OUTPUT OP NUMBER`` holds for the replicate mean, to maximise.

A candidate undefined (NaN) in any scenario has an undefined score: its
outcome there is unknown, so neither its mean nor its worst case is.

References
----------
Savage, L.J. (1951) The theory of statistical decision. Journal of the American
    Statistical Association 46(253), 55–67 (minimax regret).
Simon, H.A. (1956) Rational choice and the structure of the environment.
    Psychological Review 63(2), 129–138 (satisficing).
McPhail, C. et al. (2018) Robustness metrics: how are they calculated, when should
    they be used and why do they give different results? Earth's Future 6, 169–191.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np

from community_sim.discovery.target import _EXPR, OPERATORS, Target
from community_sim.errors import UserError

Sense = Literal["min", "max"]

METRIC_KINDS = ("mean", "percentile", "regret", "satisficing")


@dataclass(frozen=True)
class Condition(Target):
    """``output op value``, e.g. ``government_spend <= 5e6`` (a scenario-discovery target's
    grammar and truth, :mod:`community_sim.discovery.target`), with its violation."""

    def violation(self, values: np.ndarray) -> np.ndarray:
        """How far ``values`` lie on the wrong side (≤ 0 where the condition holds)."""
        v = np.asarray(values, dtype=float)
        return v - self.value if self.op in ("<", "<=") else self.value - v


def parse_condition(text: str, *, source: str, key: str | None = None) -> Condition:
    """``"government_spend <= 5e6"`` → :class:`Condition`; UserError naming ``source`` otherwise."""
    m = _EXPR.match(text or "")
    value = math.nan
    if m:
        try:
            value = float(m["value"])
        except ValueError:
            pass
    if not m or not math.isfinite(value):
        raise UserError(
            f"cannot read {text!r}; write OUTPUT OP NUMBER with OP one of "
            f"{', '.join(OPERATORS)}, e.g. 'government_spend <= 5e6'",
            source=source,
            key=key,
        )
    return Condition(m["output"], m["op"], value)


@dataclass(frozen=True)
class Metric:
    """A robustness metric: its kind, and the percentile or the condition it needs."""

    kind: str
    q: float | None = None
    condition: Condition | None = None

    @property
    def text(self) -> str:
        if self.kind == "percentile":
            return f"percentile:{self.q:g}"
        if self.kind == "satisficing" and self.condition is not None:
            return f"satisficing:{self.condition.text}"
        return self.kind

    @property
    def column(self) -> str:
        """A column name for the score: ``mean``, ``percentile_10``, ``regret``, ``satisficing``."""
        return f"percentile_{self.q:g}" if self.kind == "percentile" else self.kind

    def better(self, sense: Sense) -> Sense:
        """Whether a lower or a higher score is better for an output to ``sense``."""
        if self.kind == "regret":
            return "min"
        if self.kind == "satisficing":
            return "max"
        return sense


def parse_metric(text: str, *, source: str, key: str | None = None) -> Metric:
    """``mean``, ``regret``, ``percentile:<q>`` or ``satisficing:<condition>``; else UserError."""
    kind, _, arg = (text or "").strip().partition(":")
    if kind in ("mean", "regret") and not arg:
        return Metric(kind)
    if kind == "percentile":
        try:
            q = float(arg)
        except ValueError:
            q = math.nan
        if not 0.0 <= q <= 100.0:
            raise UserError(
                f"{arg!r} is not a percentile in [0, 100]; e.g. percentile:10",
                source=source,
                key=key,
            )
        return Metric(kind, q=q)
    if kind == "satisficing" and arg:
        return Metric(kind, condition=parse_condition(arg, source=source, key=key))
    raise UserError(
        f"unknown robustness metric {text!r}; choose mean, regret, percentile:<q> "
        "or satisficing:<OUTPUT OP NUMBER>",
        source=source,
        key=key,
    )


def regret(values: np.ndarray, sense: Sense) -> np.ndarray:
    """``regret[c, s]``: how far candidate c falls short of the best candidate in scenario s."""
    v = np.asarray(values, dtype=float)
    if v.shape[0] == 0:
        return v.copy()
    with warnings.catch_warnings():  # a scenario undefined for every candidate has no best
        warnings.simplefilter("ignore", RuntimeWarning)
        best = (np.nanmax if sense == "max" else np.nanmin)(v, axis=0)
    return np.abs(best[None, :] - v)


def score(
    values: np.ndarray,
    metric: Metric,
    sense: Sense,
    condition_values: np.ndarray | None = None,
) -> np.ndarray:
    """Each candidate's robustness over the scenarios of ``values[candidate, scenario]``.

    ``condition_values`` is the table of the satisficing condition's output
    (``values`` itself when the condition is on the same output).
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 2:
        raise ValueError("values must be a (candidates, scenarios) table")
    undefined = np.isnan(v).any(axis=1)
    if metric.kind == "mean":
        out = v.mean(axis=1)
    elif metric.kind == "percentile":
        out = np.percentile(v, metric.q or 0.0, axis=1)
    elif metric.kind == "regret":
        out = regret(v, sense).max(axis=1)
    elif metric.kind == "satisficing":
        assert metric.condition is not None
        c = v if condition_values is None else np.asarray(condition_values, dtype=float)
        undefined = np.isnan(c).any(axis=1)
        out = metric.condition.holds(c).mean(axis=1)
    else:
        raise ValueError(f"unknown metric {metric.kind!r}")
    return np.where(undefined, np.nan, out)


def most_robust(scores: np.ndarray, better: Sense) -> int | None:
    """The index of the best defined score (the first on ties), or None if none is defined."""
    s = np.asarray(scores, dtype=float)
    if not np.isfinite(s).any():
        return None
    return int(np.nanargmin(s) if better == "min" else np.nanargmax(s))
