"""Memory of a long sweep: peak RSS of the parent and each worker, and its growth.

A 2,000-run LHS sweep of the community model through ``community-sim run
--workers 2``. Every run reports its worker's RSS after it finishes (the
worker side, :func:`benchmarks.peer_models.community_with_rss`); this process
samples the parent's RSS (and the workers', as a cross-check) with psutil every
0.2 s. Growth compares the first and the last tenth of runs (by run id for a
worker, by elapsed time while the workers run for the parent): flat means it grew by less than 10 %.
Targets: peak < 400 MB for every process, flat.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import psutil

from benchmarks import BenchResult

ROOT = Path(__file__).resolve().parents[1]
LIMIT_MB = 400.0
FLAT = 0.10


def _sample(proc: psutil.Process, stop: threading.Event, out: list[tuple[float, float, float]]):
    """(elapsed s, parent RSS MB, largest child RSS MB) until ``stop`` is set."""
    t0 = time.perf_counter()
    while not stop.is_set():
        try:
            parent = proc.memory_info().rss / 2**20
            kids = [c.memory_info().rss / 2**20 for c in proc.children(recursive=True)]
        except psutil.Error:
            break
        out.append((time.perf_counter() - t0, parent, max(kids, default=0.0)))
        stop.wait(0.2)


def _tenths(values: np.ndarray) -> tuple[float, float]:
    k = max(len(values) // 10, 1)
    return float(np.median(values[:k])), float(np.median(values[-k:]))


def run(quick: bool = False) -> BenchResult:
    n, horizon = (200, 24) if quick else (2000, 36)
    with tempfile.TemporaryDirectory() as d:
        spec = Path(d) / "memory.toml"
        spec.write_text(
            f'name = "memory"\nmodel = "benchmarks.peer_models:community_with_rss"\nseed = 3\n'
            f"[overrides]\nhorizon_months = {horizon}\n"
            f'[design]\nkind = "lhs"\nn = {n}\n[design.parameters]\n'
            "tech_drift = {low = 0.0, high = 0.1}\nfirm_divergence = {low = 0.0, high = 0.6}\n"
        )
        cmd = [sys.executable, "-m", "community_sim.cli", "run", str(spec), "--out", f"{d}/out"]
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        samples: list[tuple[float, float, float]] = []
        stop = threading.Event()
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [*cmd, "--workers", "2", "--no-progress"], env=env, stdout=subprocess.DEVNULL
        )
        sampler = threading.Thread(target=_sample, args=(psutil.Process(proc.pid), stop, samples))
        sampler.start()
        code = proc.wait()
        stop.set()
        sampler.join()
        wall = time.perf_counter() - t0
        if code != 0:
            raise RuntimeError(f"community-sim run exited with {code}")
        from community_sim.experiment import load_results

        runs = load_results(Path(d) / "out").runs.sort_values("run_id")
    workers: list[dict[str, Any]] = []
    for pid, g in runs.groupby("pid"):
        first, last = _tenths(g["rss_mb"].to_numpy())
        workers.append(
            {
                "pid": int(pid),
                "runs": len(g),
                "peak_mb": float(g["rss_mb"].max()),
                "first_tenth_mb": first,
                "last_tenth_mb": last,
                "growth_mb": last - first,
            }
        )
    arr = np.array(samples)
    # The parent's tenths are taken while the workers exist: its start-up (imports, the
    # design) and shutdown are not part of the sweep.
    during = arr[arr[:, 2] > 0] if (arr[:, 2] > 0).any() else arr
    p_first, p_last = _tenths(during[:, 1])
    parent = {
        "peak_mb": float(arr[:, 1].max()),
        "first_tenth_mb": p_first,
        "last_tenth_mb": p_last,
        "growth_mb": p_last - p_first,
        "samples": len(arr),
        "children_peak_sampled_mb": float(arr[:, 2].max()),
    }
    figures = {"runs": n, "horizon_months": horizon, "wall_s": wall, "parent": parent}
    figures["workers"] = workers
    procs = [("parent", parent)] + [(f"worker {w['pid']}", w) for w in workers]
    md = [
        f"{n}-run sweep ({horizon}-month runs, to keep `make bench` short; memory per run "
        f"does not depend on the sweep length) with 2 workers: {wall:.0f} s.",
        "",
        "| process | runs | peak RSS (MB) | first tenth (MB) | last tenth (MB) | growth (MB) |",
        "|---|---:|---:|---:|---:|---:|",
        *(
            f"| {name} | {r.get('runs', n)} | {r['peak_mb']:.0f} | {r['first_tenth_mb']:.0f} | "
            f"{r['last_tenth_mb']:.0f} | {r['growth_mb']:+.1f} |"
            for name, r in procs
        ),
        "",
        f"Parent sampled {parent['samples']} times; largest child RSS seen by sampling "
        f"{parent['children_peak_sampled_mb']:.0f} MB.",
    ]
    peak = max(r["peak_mb"] for _, r in procs)
    growth = max(r["growth_mb"] / r["first_tenth_mb"] for _, r in procs)
    checks = {
        f"peak RSS < {LIMIT_MB:.0f} MB per process (largest {peak:.0f} MB)": peak < LIMIT_MB,
        f"flat: growth first→last tenth < {100 * FLAT:.0f}% (largest {100 * growth:+.1f}%)": (
            growth < FLAT
        ),
    }
    return BenchResult("Memory of a long sweep", figures, "\n".join(md), checks)
