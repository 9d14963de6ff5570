"""Benchmark: the Sobol' analysis of a large replicated design (no model runs).

A 10-parameter Sobol' design with N = 4096 base rows (49,152 points) and R = 4
replicates is analysed with bootstrap CIs, the noise correction, the ``sd``
target and the convergence table. Target: under 30 s on one core.
"""

from __future__ import annotations

import time

import numpy as np
from SALib.sample import sobol as sobol_sample

from benchmarks import BenchResult
from community_sim.analysis.sensitivity.core import analyze_outputs
from community_sim.analysis.sensitivity.design import DesignInfo
from community_sim.analysis.sensitivity.replicates import Replicated

TARGET_S = 30.0


def _analyse(d: int, n: int, r: int) -> float:
    names = tuple(f"x{i}" for i in range(d))
    problem = {"num_vars": d, "names": list(names), "bounds": [[0.0, 1.0]] * d}
    X = sobol_sample.sample(problem, n, calc_second_order=False, seed=1)
    rng = np.random.default_rng(1)
    f = np.sin(2 * np.pi * X) @ np.linspace(1.0, 0.1, d) + X[:, 0] * X[:, 1]
    values = f[:, None] + rng.normal(0.0, 0.3, (len(f), r))
    info = DesignInfo("sobol", names, ((0.0, 1.0),) * d, X, n, False)
    out = Replicated("y", values, np.arange(values.size).reshape(values.shape))
    start = time.perf_counter()
    analyze_outputs(info, {"y": out}, "sobol")
    return time.perf_counter() - start


def run(quick: bool = False) -> BenchResult:
    d, r = 10, 4
    n = 1024 if quick else 4096
    took = _analyse(d, n, r)
    points = n * (d + 2)
    md = (
        f"**Sobol' analysis.** {d} parameters, N = {n} ({points} points) × R = {r} "
        f"replicates, with bootstrap CIs, noise correction, `sd` target and convergence: "
        f"**{took:.2f} s**."
    )
    checks = {f"analysis < {TARGET_S:.0f} s (measured {took:.2f} s)": took < TARGET_S}
    return BenchResult(
        "Sensitivity analysis", {"d": d, "n": n, "r": r, "seconds": took}, md, checks
    )
