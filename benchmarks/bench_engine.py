"""Engine benchmarks: overhead against a plain loop, parallel speed-up, 10^5-run sweeps.

Targets (from the engine's requirements): overhead with one worker ≤ 5% of a
plain loop over the same model calls; speed-up ≥ 1.8× with 2 workers on runs of
≥ 0.2 s; memory bounded on 10^5 runs.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import BenchResult
from benchmarks.workloads import busy, iterations_for
from community_sim.experiment import load_results, load_spec, plan_experiment, run_experiment

ROOT = Path(__file__).resolve().parents[1]


def _spec(name: str, model: str, n: int, overrides: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "model": f"benchmarks.workloads:{model}",
        "seed": 1,
        "overrides": overrides,
        "design": {"kind": "lhs", "n": n, "parameters": {"x": {"low": 0.0, "high": 1.0}}},
    }


def _overhead(tmp: Path, n: int, run_s: float, repeats: int) -> dict[str, float]:
    """Wall time of a plain loop over the model calls versus the serial engine."""
    spec = load_spec(
        _spec("overhead", "busy", n, {"iterations": iterations_for(run_s)}), base_dir=ROOT
    )
    tasks = list(plan_experiment(spec).tasks())
    plain, engine, outside, plain_cpu, engine_cpu = [], [], [], [], []
    for i in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        for t in tasks:
            busy(t.params, t.seed)
        plain.append(time.perf_counter() - t0)
        plain_cpu.append(time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        run_experiment(spec, tmp / f"overhead{i}", workers=1)
        engine.append(time.perf_counter() - t0)
        engine_cpu.append(time.process_time() - c0)
        # the engine's own time: its wall time less the time spent inside the model
        inside = float(load_results(tmp / f"overhead{i}").runs["duration_s"].sum())
        outside.append((engine[-1] - inside) / inside)
    p, e = min(plain), min(engine)
    pc, ec = min(plain_cpu), min(engine_cpu)
    return {
        "cpu_overhead_pct": 100 * (ec - pc) / pc,
        "plain_loop_cpu_s": pc,
        "engine_serial_cpu_s": ec,
        "outside_model_pct": 100 * min(outside),
        "runs": n,
        "run_s": p / n,
        "plain_loop_s": p,
        "engine_serial_s": e,
        "overhead_pct": 100 * (e - p) / p,
        "overhead_per_run_ms": 1000 * (e - p) / n,
    }


def _speedup(tmp: Path, n: int, run_s: float) -> dict[str, float]:
    """Serial engine versus two local worker processes on CPU-bound runs.

    ``cold`` includes starting the pool (each spawned worker imports the package);
    ``warm`` reuses a pool that has already run a small experiment.
    """
    from community_sim.experiment.executors import ProcessExecutor

    iters = iterations_for(run_s)
    spec = load_spec(_spec("speedup", "busy", n, {"iterations": iters}), base_dir=ROOT)
    raw = _raw_pool_speedup(iters, n)
    t0 = time.perf_counter()
    run_experiment(spec, tmp / "serial", workers=1)
    serial = time.perf_counter() - t0
    t0 = time.perf_counter()
    run_experiment(spec, tmp / "cold", workers=2)
    cold = time.perf_counter() - t0
    pool = ProcessExecutor(2)
    try:
        warmup = load_spec(_spec("warmup", "busy", 4, {"iterations": 10}), base_dir=ROOT)
        run_experiment(warmup, tmp / "warmup", executor=pool)
        t0 = time.perf_counter()
        run_experiment(spec, tmp / "warm", executor=pool)
        warm = time.perf_counter() - t0
    finally:
        pool.close()
    runs = load_results(tmp / "serial").runs

    def busy_share(name: str, wall: float) -> float:
        # time the two workers spent inside the model over 2 × wall: 1.0 means the
        # engine kept both busy; below that is pool start-up and dispatch
        return float(load_results(tmp / name).runs["duration_s"].sum()) / (2 * wall)

    return {
        "raw_pool_speedup": raw,
        "runs": n,
        "run_s": float(runs["duration_s"].mean()),
        "busy_share_cold": busy_share("cold", cold),
        "busy_share_warm": busy_share("warm", warm),
        "serial_s": serial,
        "two_workers_cold_s": cold,
        "two_workers_warm_s": warm,
        "speedup_cold": serial / cold,
        "speedup_warm": serial / warm,
    }


def _raw_pool_speedup(iters: int, n: int) -> float:
    """What the machine allows right now: a bare 2-process pool on the same work, no engine."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    params = {"iterations": iters}
    t0 = time.perf_counter()
    for seed in range(n):
        busy(params, seed)
    serial = time.perf_counter() - t0
    ctx = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(2, mp_context=ctx) as pool:
        list(pool.map(busy, [params] * 2, [0, 1]))  # started before timing
        t0 = time.perf_counter()
        list(pool.map(busy, [params] * n, range(n)))
        parallel = time.perf_counter() - t0
    return serial / parallel


def _large(tmp: Path, n: int, workers: int) -> dict[str, float]:
    """A sweep of ``n`` trivial runs through the CLI: throughput and peak memory."""
    spec = tmp / f"large{workers}.toml"
    spec.write_text(
        f'name = "large"\nmodel = "benchmarks.workloads:trivial"\nseed = 1\n'
        f'[design]\nkind = "lhs"\nn = {n}\n[design.parameters]\nx = {{low = 0, high = 1}}\n'
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "community_sim.cli",
            "run",
            str(spec),
            "--out",
            str(tmp / f"large{workers}"),
            "--workers",
            str(workers),
            "--no-progress",
        ],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "runs": n,
        "workers": workers,
        "wall_s": wall,
        "runs_per_s": n / wall,
        "peak_rss_mb": max(peak, before) / 1024,
    }


def run(quick: bool = False) -> BenchResult:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        over = _overhead(tmp, 100 if quick else 400, 0.01, 2 if quick else 3)
        speed = _speedup(tmp, 12 if quick else 40, 0.25)
        large = [_large(tmp, 10_000 if quick else 100_000, w) for w in (1, 2)]
    figures = {"overhead": over, "speedup": speed, "large": large}
    md = [
        f"**Overhead, one worker.** {over['runs']} runs of {1000 * over['run_s']:.1f} ms, "
        f"best of repeats. CPU time: plain loop {over['plain_loop_cpu_s']:.2f} s, engine "
        f"(serial, incl. design, store and consolidation) {over['engine_serial_cpu_s']:.2f} s "
        f"→ overhead **{over['cpu_overhead_pct']:.1f}%**. Wall time: {over['plain_loop_s']:.2f} s "
        f"vs {over['engine_serial_s']:.2f} s → {over['overhead_pct']:.1f}%; time outside the "
        f"model relative to inside it: {over['outside_model_pct']:.1f}% (wall figures move "
        "with other load on the machine).",
        "",
        f"**Speed-up, two workers.** {speed['runs']} CPU-bound runs of {speed['run_s']:.2f} s: "
        f"serial {speed['serial_s']:.2f} s; 2 processes {speed['two_workers_cold_s']:.2f} s "
        f"including starting the pool → **{speed['speedup_cold']:.2f}×**, "
        f"{speed['two_workers_warm_s']:.2f} s on a started pool → "
        f"**{speed['speedup_warm']:.2f}×**. A bare two-process pool on the same work, "
        f"measured just before, reached {speed['raw_pool_speedup']:.2f}× (what the machine "
        f"allowed at the time). Both workers were inside the model "
        f"{100 * speed['busy_share_cold']:.0f}% (cold) and {100 * speed['busy_share_warm']:.0f}% "
        "(warm) of the wall time; a speed-up below that share times two comes from other "
        "load on the machine slowing each run.",
        "",
        "**Large sweeps** (trivial model, through the CLI, peak RSS of the largest process):",
        "",
        "| runs | workers | wall (s) | runs/s | peak RSS (MB) |",
        "|---:|---:|---:|---:|---:|",
        *(
            f"| {r['runs']} | {r['workers']} | {r['wall_s']:.1f} | {r['runs_per_s']:.0f} | "
            f"{r['peak_rss_mb']:.0f} |"
            for r in large
        ),
    ]
    checks = {
        f"overhead ≤ 5% (measured {over['cpu_overhead_pct']:.1f}% of CPU time)": over[
            "cpu_overhead_pct"
        ]
        <= 5.0,
        f"speed-up ≥ 1.8× with 2 workers (measured {speed['speedup_cold']:.2f}× incl. pool "
        f"start)": speed["speedup_cold"] >= 1.8,
        f"both workers inside the model ≥ 90% of the wall time, i.e. the engine allows "
        f"≥ 1.8× (measured {100 * speed['busy_share_cold']:.0f}% incl. pool start)": speed[
            "busy_share_cold"
        ]
        >= 0.9,
    }
    return BenchResult("Experiment engine", figures, "\n".join(md), checks)
