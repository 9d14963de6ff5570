"""Multi-objective test problems with known fronts, as ``f(params, seed) -> dict[str, float]``.

Used through specs as ``model = "mo_models:zdt1"`` (tests/optimize is on the
Python path under pytest and in the CLI tests' subprocess environment).

References
----------
Zitzler, E., Deb, K. & Thiele, L. (2000) Comparison of multiobjective evolutionary
    algorithms: empirical results. Evolutionary Computation 8(2), 173–195 (ZDT1:
    front f2 = 1 - sqrt(f1) for f1 in [0, 1], reached where x2 = ... = xn = 0).
"""

from __future__ import annotations

import math
import os
import time
from typing import Any

import numpy as np

ZDT1_HV = 1.21 - 1.0 / 3.0
"""Hypervolume of the ZDT1 front against (1.1, 1.1): 1.1² - ∫₀¹ (1 - √f) df = 0.8767."""


def _xs(params: dict[str, Any]) -> list[float]:
    names = sorted((k for k in params if k.startswith("x")), key=lambda k: int(k[1:]))
    return [float(params[k]) for k in names]


def zdt1_values(xs: list[float]) -> tuple[float, float]:
    """ZDT1's two objectives of the point ``xs`` (both to minimise)."""
    f1 = xs[0]
    g = 1.0 + 9.0 * sum(xs[1:]) / (len(xs) - 1)
    return f1, g * (1.0 - math.sqrt(f1 / g))


def zdt1(params: dict[str, Any], seed: int) -> dict[str, float]:
    """ZDT1 of the parameters x1..xn; sleeps ``delay`` seconds when given (kill tests)."""
    delay = float(params.get("delay", 0.0))
    if delay:
        time.sleep(delay)
    f1, f2 = zdt1_values(_xs(params))
    return {"f1": f1, "f2": f2}


zdt1.deterministic = True  # type: ignore[attr-defined]


def noisy_zdt1(params: dict[str, Any], seed: int) -> dict[str, float]:
    """ZDT1 plus independent Gaussian noise of SD ``noise`` on each objective, from the seed."""
    rng = np.random.default_rng(seed)
    f1, f2 = zdt1_values(_xs(params))
    sd = float(params.get("noise", 0.05))
    e1, e2 = rng.standard_normal(2)
    return {"f1": f1 + sd * e1, "f2": f2 + sd * e2, "pid": float(os.getpid())}


TABLE = {0: [5.0, 3.0, 8.0], 1: [4.0, 6.0, 7.0], 2: [6.0, 2.0, 5.0]}
"""Outcome y of lever ``a`` (row) in scenario ``s`` (column): the hand-computed robustness case."""


def table(params: dict[str, Any], seed: int) -> dict[str, float]:
    """y = TABLE[a][s]: lever a in scenario s, the same in every replicate."""
    y = TABLE[int(params["a"])][int(params["s"])]
    return {"y": y}


table.deterministic = True  # type: ignore[attr-defined]


def policy_gap(params: dict[str, Any], seed: int) -> dict[str, float]:
    """y = (x - 0.3)² under project, (x - 0.7)² + 0.1 under integrated: diff:y = 0.5 - 0.8 x."""
    x = float(params["x"])
    y = (x - 0.7) ** 2 + 0.1 if params["policy"] == "integrated" else (x - 0.3) ** 2
    return {"y": y}


policy_gap.deterministic = True  # type: ignore[attr-defined]


def distance(params: dict[str, Any], seed: int) -> dict[str, float]:
    """y = (x - u)²: the lever x against the uncertain u."""
    return {"y": (float(params["x"]) - float(params["u"])) ** 2}


distance.deterministic = True  # type: ignore[attr-defined]


def dtlz2(params: dict[str, Any], seed: int) -> dict[str, float]:
    """DTLZ2 with three objectives: its front is the unit sphere's positive octant."""
    xs = _xs(params)
    g = sum((x - 0.5) ** 2 for x in xs[2:])
    a, b = xs[0] * math.pi / 2, xs[1] * math.pi / 2
    r = 1.0 + g
    return {
        "f1": r * math.cos(a) * math.cos(b),
        "f2": r * math.cos(a) * math.sin(b),
        "f3": r * math.sin(a),
    }


dtlz2.deterministic = True  # type: ignore[attr-defined]


def half_undefined(params: dict[str, Any], seed: int) -> dict[str, float]:
    """f1 = x1, f2 = 1 - x1 + x2; f2 undefined (NaN) above x1 = 0.6, and the run fails above 0.9."""
    x1, x2 = float(params["x1"]), float(params["x2"])
    if x1 > 0.9:
        raise ValueError(f"x1 = {x1:.3f} is above 0.9")
    return {"f1": x1, "f2": 1.0 - x1 + x2 if x1 <= 0.6 else math.nan}


def policy_table(params: dict[str, Any], seed: int) -> dict[str, float]:
    """TABLE with the policy as the lever: project, integrated, transition are rows 0, 1, 2."""
    a = {"project": 0, "integrated": 1, "transition": 2}[params["policy"]]
    return {"y": TABLE[a][int(params["s"])]}


policy_table.deterministic = True  # type: ignore[attr-defined]
