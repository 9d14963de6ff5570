"""Time the default run: CPU seconds of ``community_sim.run`` at the defaults, per policy.

Run with ``python benchmarks/model_speed.py [runs] [policy ...]``. Each run is a full
default 120-month run (construction, steps, outcomes, series) on seeds 1, 2, ...,
after one warm-up run nobody looks at; the median and the best CPU time are printed.
The criterion of issue 21 reads the default run under the default policy: ≤ 0.15 s
of CPU. The machines are shared, so quote the median and the best of one call, and
compare versions in alternating calls.
"""

from __future__ import annotations

import statistics
import sys
import time

from community_sim.runner import run


def time_default(runs: int = 7, policy: str | None = None) -> dict[str, float]:
    """Median and best CPU seconds of ``runs`` default runs (seeds 1..runs)."""
    params = {} if policy is None else {"policy": policy}
    run(params, seed=0, steps=13)  # warm-up: lazy imports, compiled kernels loaded
    times = []
    for seed in range(1, runs + 1):
        c0 = time.process_time()
        run(params, seed=seed)
        times.append(time.process_time() - c0)
    return {"median_cpu_s": statistics.median(times), "best_cpu_s": min(times), "runs": runs}


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    for pol in sys.argv[2:] or [None]:
        res = time_default(n, pol)
        print(
            f"default run ({pol or 'default policy'}): median {res['median_cpu_s']:.3f} s CPU, "
            f"best {res['best_cpu_s']:.3f} s, {n} runs"
        )
