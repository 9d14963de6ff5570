"""Test models for policy comparisons with a known answer, as ``f(params, seed) -> dict``."""

from __future__ import annotations

from typing import Any

import numpy as np


def gap(params: dict[str, Any], seed: int) -> dict[str, float]:
    """``y = x1 + noise`` under project; integrated adds ``2 x2``.

    Both policies draw the same noise from the same seed, so the paired
    difference ``integrated - project`` is exactly ``2 x2``: its first-order
    index of x2 is 1 and of x1 is 0, whatever the noise.
    """
    noise = np.random.default_rng(seed).normal(0.0, 1.0)
    lift = 2.0 * float(params["x2"]) if params["policy"] == "integrated" else 0.0
    return {"y": float(params["x1"]) + lift + noise}


def gap_partial(params: dict[str, Any], seed: int) -> dict[str, float]:
    """Like :func:`gap`, but the common noise only partly cancels in the difference.

    ``project = x1 + e1``, ``integrated = 2 x1 + 2 x2 + 0.8 e1 + 0.4 e2`` with
    e1, e2 ~ N(0, 1) drawn from the seed under both policies and x ~ U(0, 1).
    The paired difference is ``x1 + 2 x2 - 0.2 e1 + 0.4 e2``: its mean is
    additive with variance 1/12 + 4/12, so S1 = ST = 0.2 for x1 and 0.8 for x2,
    and its noise variance per run is 0.04 + 0.16 = 0.2 (noise share
    0.2 / (0.2 + 5/12)).
    """
    e1, e2 = np.random.default_rng(seed).normal(0.0, 1.0, 2)
    x1, x2 = float(params["x1"]), float(params["x2"])
    if params["policy"] == "integrated":
        return {"y": 2.0 * x1 + 2.0 * x2 + 0.8 * e1 + 0.4 * e2}
    return {"y": x1 + e1}


def interaction(params: dict[str, Any], seed: int) -> dict[str, float]:
    """A policy gap with a known interaction: ``integrated − project = 1 + a + 0.5 a b + e``.

    ``project = a + b + e1``, ``integrated = project + 1 + a + 0.5 a b + 0.5 e2``
    with e1, e2 ~ N(0, 1) from the seed under both policies, so the paired
    difference at a point is ``1 + a + 0.5 a b`` plus noise of SD 0.5. The gap
    grows with ``a`` (DiD from a = 0: ``a (1 + 0.5 b)``), more so where b is high.
    """
    e1, e2 = np.random.default_rng(seed).normal(0.0, 1.0, 2)
    a, b = float(params["a"]), float(params["b"])
    y = a + b + e1
    if params["policy"] == "integrated":
        y += 1.0 + a + 0.5 * a * b + 0.5 * e2
    return {"y": y}


def interaction_gap(a: float, b: float) -> float:
    """The true paired difference of :func:`interaction` at (a, b)."""
    return 1.0 + a + 0.5 * a * b
