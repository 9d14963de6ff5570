"""Analytic test models with known answers, as ``f(params, seed) -> dict[str, float]``.

Used through specs as ``model = "analytic_models:ishigami"`` (the tests folder is
on the Python path under pytest and in the CLI tests' subprocess environment).

References
----------
Ishigami, T. & Homma, T. (1990) An importance quantification technique in
    uncertainty analysis for computer models. ISUMA '90, 398–403.
Sobol', I.M. (2001) Global sensitivity indices for nonlinear mathematical models.
    Mathematics and Computers in Simulation 55, 271–280.
"""

from __future__ import annotations

import math
import os
import time
from typing import Any

import numpy as np

ISHIGAMI_A = 7.0
ISHIGAMI_B = 0.1


def ishigami(params: dict[str, Any], seed: int) -> dict[str, float]:
    """y = sin x1 + a sin² x2 + b x3⁴ sin x1 on [-π, π]³ (a = 7, b = 0.1)."""
    x1, x2, x3 = float(params["x1"]), float(params["x2"]), float(params["x3"])
    y = math.sin(x1) + ISHIGAMI_A * math.sin(x2) ** 2 + ISHIGAMI_B * x3**4 * math.sin(x1)
    return {"y": y}


ishigami.deterministic = True  # type: ignore[attr-defined]  # no R = 1 noise warning


def ishigami_indices(a: float = ISHIGAMI_A, b: float = ISHIGAMI_B) -> dict[str, dict[str, float]]:
    """Analytic first-order (S1) and total (ST) Sobol' indices of the Ishigami function."""
    pi = math.pi
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return {
        "S1": {"x1": v1 / v, "x2": v2 / v, "x3": 0.0},
        "ST": {"x1": (v1 + v13) / v, "x2": v2 / v, "x3": v13 / v},
    }


def noisy_ishigami(params: dict[str, Any], seed: int) -> dict[str, float]:
    """Ishigami plus Gaussian noise of SD ``noise`` (default 0.5) drawn from the run's seed."""
    rng = np.random.default_rng(seed)
    y = ishigami(params, seed)["y"] + float(params.get("noise", 0.5)) * rng.standard_normal()
    return {"y": y}


def linear(params: dict[str, Any], seed: int) -> dict[str, float]:
    """y = Σ_i c_i x_i with c_i = i + 1 over parameters x0, x1, …; S1_i ∝ c_i² Var(x_i)."""
    xs = sorted((k, float(v)) for k, v in params.items() if k.startswith("x"))
    return {"y": sum((i + 1) * v for i, (_, v) in enumerate(xs))}


linear.deterministic = True  # type: ignore[attr-defined]


def policy_effect(params: dict[str, Any], seed: int) -> dict[str, float]:
    """A noisy outcome whose mean depends on ``policy``; same seed → same noise draw."""
    rng = np.random.default_rng(seed)
    shift = {"project": 0.0, "integrated": 1.0, "transition": 0.5}[params["policy"]]
    noise = rng.standard_normal()
    return {"y": 10.0 + shift + 3.0 * noise, "z": noise}


def raising(params: dict[str, Any], seed: int) -> dict[str, float]:
    """Linear in x, but raises ValueError when x > ``limit`` (default 0.5)."""
    x = float(params["x"])
    if x > float(params.get("limit", 0.5)):
        raise ValueError(f"x = {x:.3f} is above the limit")
    return {"y": 2.0 * x}


def slow(params: dict[str, Any], seed: int) -> dict[str, float]:
    """Sleeps ``delay`` seconds (default 0.05), then returns a seeded draw and x."""
    time.sleep(float(params.get("delay", 0.05)))
    rng = np.random.default_rng(seed)
    return {"y": float(params.get("x", 0.0)) + rng.random()}


def dying(params: dict[str, Any], seed: int) -> dict[str, float]:
    """Kills its own process when x > 0.8 (as a segfaulting model would); else y = x."""
    x = float(params["x"])
    if x > 0.8:
        os._exit(13)
    return {"y": x}


def sometimes_undefined(params: dict[str, Any], seed: int) -> dict[str, float]:
    """``y = x``, and ``rate`` a share that is undefined (NaN) when x > 0.5 (nothing to count)."""
    x = float(params["x"])
    return {"y": x, "rate": float("nan") if x > 0.5 else x}


WIN_BOX = {"x1": (0.6, 1.0), "x2": (0.0, 0.3)}
"""Where ``box_win`` makes integrated win: x1 > 0.6 and x2 < 0.3 (x3, k and mode do nothing)."""


def box_win(params: dict[str, Any], seed: int) -> dict[str, float]:
    """A cost that integrated lowers by 1 inside ``WIN_BOX`` and raises by 1 outside it.

    Both policies share the seed's first draw (common random numbers); integrated
    adds a second, so the paired difference is ±1 plus N(0, 0.5²) noise: a single
    pair has the wrong sign with probability Φ(−2) ≈ 2.3%. The cost is NaN (under
    both policies) where x3 > ``nan_above`` (default 2: never).
    """
    if float(params["x3"]) > float(params.get("nan_above", 2.0)):
        return {"cost": math.nan}
    rng = np.random.default_rng(seed)
    cost = 10.0 + rng.standard_normal()
    if params["policy"] == "integrated":
        inside = float(params["x1"]) > 0.6 and float(params["x2"]) < 0.3
        cost += (-1.0 if inside else 1.0) + 0.5 * rng.standard_normal()
    return {"cost": cost}
