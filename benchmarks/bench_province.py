"""The province scenario (configs/province.toml): one 10-year run, its time and memory.

Measured once, in a fresh interpreter, so its peak RSS (``ru_maxrss``) is the
run's own: ≈100 colleges, 2,000 enterprises and 100,000 enrolled students.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import BenchResult

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "configs" / "province.toml"


def child(steps: int | None) -> None:
    """Build and run the province once; print timings and sizes as JSON."""
    from community_sim.model import CommunityModel
    from community_sim.params.scenarios import load_scenario

    params = dict(load_scenario(CONFIG).params)
    t0 = time.perf_counter()
    model = CommunityModel(seed=1, **params)
    t1 = time.perf_counter()
    n = steps or int(params["horizon_months"])
    peak_agents = 0
    for _ in range(n):
        model.step()
        peak_agents = max(peak_agents, len(model.agents))
    t2 = time.perf_counter()
    model.outcomes()
    model.series_frame()
    t3 = time.perf_counter()
    out = {
        "months": n,
        "build_s": t1 - t0,
        "steps_s": t2 - t1,
        "outcomes_s": t3 - t2,
        "total_s": t3 - t0,
        "colleges": len(model.schools),
        "enterprises": len(model.enterprises),
        "enrolled_end": model.n_enrolled(),
        "students_ever": model.students.n,
        "peak_agents": peak_agents,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    model.release()
    print(json.dumps(out))


def run(quick: bool = False) -> BenchResult:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "benchmarks.bench_province", "24" if quick else "0"]
    out = subprocess.run(cmd, check=True, env=env, capture_output=True, text=True).stdout
    r = json.loads(out.strip().splitlines()[-1])
    md = (
        f"`configs/province.toml`: {r['colleges']} colleges, {r['enterprises']:,} enterprises, "
        f"{r['enrolled_end']:,} students enrolled at the end ({r['students_ever']:,} ever), up to "
        f"{r['peak_agents']:,} live Mesa agents. {r['months']} months: build "
        f"{r['build_s']:.1f} s, steps {r['steps_s']:.1f} s ({r['steps_s'] / r['months']:.2f} s "
        f"per month), outcomes {r['outcomes_s']:.2f} s — **{r['total_s']:.0f} s** in all; "
        f"peak RSS **{r['peak_rss_mb']:.0f} MB**. Measured once."
    )
    return BenchResult("Province scale", r, md, {})


if __name__ == "__main__":
    child(int(sys.argv[1]) or None)
