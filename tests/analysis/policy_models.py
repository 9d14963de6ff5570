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
