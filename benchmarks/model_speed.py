"""Time the default scenario and report agent-steps per second.

Run with ``python benchmarks/model_speed.py [repeats]``. Agent-steps count the
Mesa agents alive at each step (students, colleges, enterprises, government),
the measure used to compare with Mesa's Boltzmann wealth model.
"""

from __future__ import annotations

import sys
import time

from community_sim.model import CommunityModel


def time_default(repeats: int = 5) -> dict[str, float]:
    """Best wall and CPU time of ``repeats`` default runs (seeds 0, 1, ...)."""
    best = best_cpu = float("inf")
    agent_steps = 0
    for seed in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        model = CommunityModel(seed=seed)
        count = 0
        while model.running:
            model.step()
            count += len(model.agents)
        model.outcomes()
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        model.release()
        best_cpu = min(best_cpu, cpu)
        if elapsed < best:
            best, agent_steps = elapsed, count
    return {
        "seconds": best,
        "cpu_seconds": best_cpu,
        "agent_steps": agent_steps,
        "agent_steps_per_s": agent_steps / best,
    }


if __name__ == "__main__":
    res = time_default(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
    print(
        f"default run: {res['seconds']:.3f} s wall, {res['cpu_seconds']:.3f} s CPU, "
        f"{res['agent_steps']:.0f} agent-steps, "
        f"{res['agent_steps_per_s'] / 1e6:.2f} M agent-steps/s (wall)"
    )
