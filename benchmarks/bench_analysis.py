"""Benchmark: the Sobol' analysis of a large replicated design (no model runs).

Run with ``python -m benchmarks.bench_analysis``. Target: a 10-parameter
design with N = 4096 (49,152 points) and R = 4 replicates analysed, with
bootstrap CIs and the convergence table, in under 30 s on one core.
"""

from __future__ import annotations

import time

import numpy as np
from SALib.sample import sobol as sobol_sample

from community_sim.analysis.core import analyze_outputs
from community_sim.analysis.design import DesignInfo
from community_sim.analysis.replicates import Replicated

TARGET_S = 30.0


def main() -> int:
    d, n, r = 10, 4096, 4
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
    took = time.perf_counter() - start
    ok = took < TARGET_S
    print(f"sobol analysis D={d} N={n} R={r}: {took:.2f} s (target < {TARGET_S:.0f} s) ok={ok}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
