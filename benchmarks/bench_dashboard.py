"""Benchmark: how responsive the dashboard is — server start-up and one refresh per step.

A refresh is what the dashboard does after Step: one month of each of the two
runs (one per policy, same seed), then every panel redrawn (the four series
panels and the two tie networks as two PNGs, the agents and the outcome table
as HTML).
Targets: a refresh of the default community in under 0.5 s of CPU time (wall
time is reported too; it grows when the machine is shared), and the server
answering its first page within 15 s of the command starting.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
import urllib.request

import matplotlib

from benchmarks import BenchResult

REFRESH_TARGET_S = 0.5
STARTUP_TARGET_S = 15.0


def _refresh_times(months: int) -> tuple[list[float], list[float]]:
    matplotlib.use("Agg")
    from community_sim.dashboard.compare import SeriesView, pair_refresh
    from community_sim.dashboard.controls import dashboard_model
    from community_sim.dashboard.pair import PolicyPair
    from community_sim.metrics import OUTCOMES, SERIES
    from community_sim.model import CommunityModel
    from community_sim.params import defaults

    pair = PolicyPair(dashboard_model(CommunityModel), defaults(), seed=1)
    view = SeriesView(pair.policies, {k: s.unit for k, s in SERIES.items()})
    units = {k: o.unit for k, o in OUTCOMES.items()}
    wall, cpu = [], []
    try:
        for _ in range(months):
            t0, c0 = time.perf_counter(), time.process_time()
            pair.step()
            shown = pair_refresh(pair, view, units)
            for key in ("series", "network"):
                shown[key].savefig(io.BytesIO(), format="png")
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
    finally:
        pair.release()
    return wall, cpu


def _startup_time() -> float:
    cmd = [sys.executable, "-m", "community_sim.cli", "dashboard", "--port", "0"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().split()[3]
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5):
                    return time.perf_counter() - t0
            except OSError:
                if proc.poll() is not None or time.perf_counter() - t0 > 120:
                    raise RuntimeError("the dashboard did not start") from None
                time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def run(quick: bool = False) -> BenchResult:
    months = 12 if quick else 60
    wall, cpu = _refresh_times(months)
    mean, worst, wall_mean = sum(cpu) / len(cpu), max(cpu), sum(wall) / len(wall)
    startup = _startup_time()
    md = (
        f"**Refresh per step** (default community, {months} months, one month of both "
        f"policies' runs plus all panels): CPU mean **{mean * 1000:.0f} ms**, "
        f"worst {worst * 1000:.0f} ms; "
        f"wall mean {wall_mean * 1000:.0f} ms.\n\n"
        f"**Start-up** (`community-sim dashboard --port 0` to first page): "
        f"**{startup:.1f} s**."
    )
    return BenchResult(
        "Dashboard",
        {
            "months": months,
            "refresh_cpu_mean_s": mean,
            "refresh_cpu_max_s": worst,
            "refresh_wall_mean_s": wall_mean,
            "startup_s": startup,
        },
        md,
        {
            f"mean refresh ≤ {REFRESH_TARGET_S} s CPU (measured {mean:.3f} s)": mean
            <= REFRESH_TARGET_S,
            f"start-up ≤ {STARTUP_TARGET_S:.0f} s (measured {startup:.1f} s)": startup
            <= STARTUP_TARGET_S,
        },
    )
