"""National scale: CPU against the number of institutions, and the national scenario.

The province (``configs/province.toml``) with its colleges, firms and regions
multiplied by 1, 2, 4 and 10 (intake per college fixed, so students grow with
them), then ``configs/national.toml``: each a 120-month run in a fresh
interpreter, so its CPU time (``process_time``: build, months, outcomes) and peak
RSS (``ru_maxrss``) are its own. The exponent is the least-squares slope of
log CPU on log scale; the target is read from ×1 to ×4.
"""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks import BenchResult

ROOT = Path(__file__).resolve().parents[1]
SCALED = ("n_schools", "n_leading", "n_smes", "n_regions")
SCALES = (1, 2, 4, 10)


def child(config: str, scale: float, steps: int | None) -> None:
    """Build and run one scenario at ``scale``; print its figures as JSON."""
    from community_sim.model import CommunityModel
    from community_sim.params.scenarios import load_scenario

    params = dict(load_scenario(ROOT / "configs" / f"{config}.toml").params)
    for key in SCALED:
        params[key] = round(int(params[key]) * scale)
    t0 = time.process_time()
    model = CommunityModel(seed=1, **params)
    n = steps or model.horizon
    for _ in range(n):
        model.step()
    model.outcomes()
    cpu = time.process_time() - t0
    out = {
        "config": config,
        "scale": scale,
        "months": n,
        "colleges": len(model.schools),
        "firms": len(model.enterprises),
        "regions": int(params["n_regions"]),
        "enrolled_end": model.n_enrolled(),
        "cpu_s": cpu,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    model.release()
    print(json.dumps(out))


def _measure(config: str, scale: float, steps: int) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "benchmarks.bench_national", config, str(scale), str(steps)]
    out = subprocess.run(cmd, check=True, env=env, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def exponent(scales: list[float], cpu: list[float]) -> float:
    """Least-squares slope of log CPU on log scale (1: linear cost)."""
    return float(np.polyfit(np.log(scales), np.log(cpu), 1)[0])


def run(quick: bool = False) -> BenchResult:
    steps = 24 if quick else 0
    scales = SCALES[:2] if quick else SCALES
    rows = [_measure("province", k, steps) for k in scales]
    national = _measure("national", 1, steps)
    ks = [float(r["scale"]) for r in rows]
    cpu = [float(r["cpu_s"]) for r in rows]
    fitted = exponent(ks, cpu)
    to4 = [c for k, c in zip(ks, cpu, strict=True) if k in (1, 4)]
    e14 = math.log(to4[1] / to4[0]) / math.log(4) if len(to4) == 2 else float("nan")
    table = [
        "| scale | colleges | firms | regions | students at the end | CPU | peak RSS |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in [*rows, national]:
        name = "national" if r["config"] == "national" else f"province ×{r['scale']:g}"
        table.append(
            f"| {name} | {r['colleges']:,} | {r['firms']:,} | {r['regions']} | "
            f"{r['enrolled_end']:,} | {r['cpu_s']:.1f} s | {r['peak_rss_mb']:.0f} MB |"
        )
    md = "\n".join(
        [
            f"Each a {national['months']}-month run (seed 1, `project`) in its own process; CPU "
            "is `process_time` (build, months, outcomes), peak RSS the process's own. The "
            "province's colleges, firms and regions multiplied by the scale (intake per college "
            "fixed).",
            "",
            *table,
            "",
            f"CPU exponent in the institutions: **{e14:.2f}** from ×1 to ×4, **{fitted:.2f}** "
            f"fitted over ×{', ×'.join(f'{k:g}' for k in ks)}.",
        ]
    )
    figures = {"rows": rows, "national": national, "exponent_1_4": e14, "exponent_fit": fitted}
    checks = {}
    if not quick:
        checks = {
            "CPU exponent from province ×1 to ×4 ≤ 1.1": e14 <= 1.1,
            "national scenario ≤ 60 s CPU": national["cpu_s"] <= 60.0,
            "national scenario peak RSS ≤ 2 GB": national["peak_rss_mb"] <= 2048.0,
        }
    return BenchResult("National scale", figures, md, checks)


if __name__ == "__main__":
    child(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]) or None)
