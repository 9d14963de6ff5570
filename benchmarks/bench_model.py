"""Model speed: throughput against Mesa's Boltzmann wealth model, scaling, and a profile.

Figures are ratios measured within one run, because the machines are shared
and noisy: repeats are interleaved and the best of each is kept.

- throughput: agent-steps per second of the default scenario (Mesa agents alive
  at each step × steps) over that of :mod:`benchmarks.boltzmann` (1,000 agents,
  100 steps) — target ≥ 2;
- scaling: wall time of a full default-horizon run at populations ×1, ×4, ×16
  (colleges, enterprises and so intake scaled together); the exponent b of
  ``time ∝ population^b`` fitted by least squares on logs — target ≤ 1.1;
- profile: where one step's time goes (pyinstrument), at ×1 and ×16.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks import BenchResult
from benchmarks.boltzmann import MoneyModel
from community_sim.model import CommunityModel

OUT = Path(__file__).resolve().parent / "out"
BOLTZMANN_AGENTS, BOLTZMANN_STEPS = 1000, 100
SCALES = (1, 4, 16)


def scaled(factor: int) -> dict[str, int]:
    """Default population times ``factor``: colleges, leading firms and SMEs (intake follows)."""
    return {"n_schools": 3 * factor, "n_leading": 4 * factor, "n_smes": 20 * factor}


def time_community(seed: int, **params: Any) -> tuple[float, int]:
    """Seconds for one full run (construction, steps, outcomes) and its agent-steps."""
    t0 = time.perf_counter()
    model = CommunityModel(seed=seed, **params)
    agent_steps = 0
    while model.running:
        model.step()
        agent_steps += len(model.agents)
    model.outcomes()
    model.series_frame()
    elapsed = time.perf_counter() - t0
    model.release()
    return elapsed, agent_steps


def time_boltzmann(seed: int) -> float:
    t0 = time.perf_counter()
    model = MoneyModel(BOLTZMANN_AGENTS, seed=seed)
    for _ in range(BOLTZMANN_STEPS):
        model.step()
    elapsed = time.perf_counter() - t0
    model.remove_all_agents()
    return elapsed


def throughput(repeats: int) -> dict[str, float]:
    ours, ref, agent_steps = [], [], 0
    for r in range(repeats):  # interleaved, so both see the same machine load
        t, agent_steps = time_community(r)
        ours.append(t)
        ref.append(time_boltzmann(r))
    ours_rate = agent_steps / min(ours)
    ref_rate = BOLTZMANN_AGENTS * BOLTZMANN_STEPS / min(ref)
    return {
        "default_run_s": min(ours),
        "default_agent_steps": agent_steps,
        "default_agent_steps_per_s": ours_rate,
        "boltzmann_run_s": min(ref),
        "boltzmann_agent_steps_per_s": ref_rate,
        "ratio": ours_rate / ref_rate,
        "repeats": repeats,
    }


def scaling(repeats: int) -> dict[str, Any]:
    best: dict[int, float] = {}
    agent_steps: dict[int, int] = {}
    for r in range(repeats):
        for f in SCALES:
            t, agent_steps[f] = time_community(r, **scaled(f))
            best[f] = min(best.get(f, np.inf), t)
    x = np.log(np.array(SCALES, dtype=float))
    y = np.log(np.array([best[f] for f in SCALES]))
    exponent = float(np.polyfit(x, y, 1)[0])
    return {
        "factors": list(SCALES),
        "seconds": [best[f] for f in SCALES],
        "agent_steps": [agent_steps[f] for f in SCALES],
        "exponent": exponent,
        "repeats": repeats,
    }


def _steps(frame: Any) -> list[Any]:
    """Every frame of ``CommunityModel.step`` in the profile tree."""
    if frame.function == "step" and frame.file_path.endswith("community_sim/model.py"):
        return [frame]
    return [hit for child in frame.children for hit in _steps(child)]


def profile(factor: int, seed: int = 0) -> list[tuple[str, float]]:
    """Share of step time per process of the schedule; the full tree goes to ``out/``."""
    from pyinstrument import Profiler

    prof = Profiler(interval=0.0005)
    prof.start()
    time_community(seed, **scaled(factor))
    prof.stop()
    OUT.mkdir(exist_ok=True)
    (OUT / f"profile_x{factor}.txt").write_text(prof.output_text(color=False, unicode=True))
    root = prof.last_session.root_frame()
    steps = _steps(root) if root is not None else []
    total = sum(f.time for f in steps)
    by_process: dict[str, float] = {}
    for step in steps:
        for c in step.children:
            name = f"{Path(c.file_path or '').stem}.{c.function}".lstrip(".")
            by_process[name] = by_process.get(name, 0.0) + c.time
    rows = sorted(by_process.items(), key=lambda kv: -kv[1])[:7]
    return [(name, t / total) for name, t in rows] if total else []


def run(quick: bool = False) -> BenchResult:
    thr = throughput(3 if quick else 7)
    sc = scaling(1 if quick else 2)
    prof = {f"x{f}": profile(f) for f in (1, 16)}
    figures = {"throughput": thr, "scaling": sc, "profile_step_shares": prof}
    md = [
        f"**Throughput.** Default scenario: {thr['default_agent_steps']:,} agent-steps in "
        f"{thr['default_run_s']:.3f} s = {thr['default_agent_steps_per_s'] / 1e6:.2f} M/s; "
        f"Mesa Boltzmann wealth ({BOLTZMANN_AGENTS} agents, {BOLTZMANN_STEPS} steps, "
        f"`shuffle_do`): {thr['boltzmann_run_s']:.3f} s = "
        f"{thr['boltzmann_agent_steps_per_s'] / 1e6:.2f} M/s → ratio **{thr['ratio']:.2f}** "
        f"(best of {thr['repeats']} interleaved).",
        "",
        f"**Scaling** (full {120}-month runs, best of {sc['repeats']}):",
        "",
        "| population | colleges | firms | seconds | agent-steps | M agent-steps/s |",
        "|---:|---:|---:|---:|---:|---:|",
        *(
            f"| ×{f} | {3 * f} | {24 * f} | {s:.2f} | {a:,} | {a / s / 1e6:.2f} |"
            for f, s, a in zip(sc["factors"], sc["seconds"], sc["agent_steps"], strict=True)
        ),
        "",
        f"Fitted exponent of time vs population: **{sc['exponent']:.2f}**.",
        "",
        "**Profile** (share of step time, top processes; trees in `benchmarks/out/`):",
        "",
        *(
            f"- {k}: " + ", ".join(f"{name} {100 * share:.0f}%" for name, share in rows)
            for k, rows in prof.items()
        ),
    ]
    checks = {
        f"throughput ≥ 2.0× Boltzmann (measured {thr['ratio']:.2f}×)": thr["ratio"] >= 2.0,
        f"scaling exponent ≤ 1.1 (measured {sc['exponent']:.2f})": sc["exponent"] <= 1.1,
    }
    return BenchResult("Model speed", figures, "\n".join(md), checks)
