"""Memory of a long sweep of a Mesa model: the engine releases each run's model, Mesa does not.

Mesa's own Boltzmann wealth example (``mesa.examples.basic.boltzmann_wealth_model``)
is run many times in one process — as one worker of a sweep runs its share —
two ways, each in a fresh subprocess:

- ``engine``: through the engine's ``call_model`` with
  ``model = "mesa:...:BoltzmannWealth"``, which releases every model from
  Mesa's registries when its run ends;
- ``unreleased``: the same class built, stepped and dropped by hand, as a loop
  over ``mesa.Model`` (or ``mesa.batch_run``'s worker) does.

Each child reports its RSS (psutil) after every run and, at the end, how many
model objects are still alive after ``gc.collect()``. Flat means the RSS of
the last tenth of runs is within 10% of the first tenth's.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks import BenchResult

ROOT = Path(__file__).resolve().parents[1]
TARGET = "mesa:mesa.examples.basic.boltzmann_wealth_model.model:BoltzmannWealth"
PARAMS = {"n": 50, "width": 10, "height": 10}
STEPS = 50
FLAT = 0.10


def _child(mode: str, runs: int) -> dict[str, Any]:
    """Run the model ``runs`` times in this process; RSS after each run, live models at the end."""
    import psutil

    from community_sim.experiment.mesa_models import import_class
    from community_sim.experiment.models import ModelRef, call_model

    cls = import_class(TARGET, None)
    ref = ModelRef(TARGET, None, steps=STEPS)
    proc = psutil.Process()
    rss = []
    for seed in range(runs):
        if mode == "engine":
            call_model(ref, dict(PARAMS), seed)
        else:
            model = cls(**PARAMS, seed=seed)
            for _ in range(STEPS):
                model.step()
            del model
        rss.append(proc.memory_info().rss / 2**20)
    gc.collect()
    alive = sum(1 for o in gc.get_objects() if isinstance(o, cls))
    return {"rss_mb": rss, "alive": alive}


def _measure(mode: str, runs: int) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.bench_mesa_memory", mode, str(runs)]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    rss = np.asarray(data["rss_mb"])
    k = max(len(rss) // 10, 1)
    first, last = float(np.median(rss[:k])), float(np.median(rss[-k:]))
    return {
        "runs": runs,
        "alive_after_gc": int(data["alive"]),
        "first_tenth_mb": first,
        "last_tenth_mb": last,
        "growth_mb": last - first,
        "kb_per_run": 1024 * (last - first) / max(runs - k, 1),
    }


def run(quick: bool = False) -> BenchResult:
    # 1,000 unreleased runs already hold ≈0.4 GB
    runs = 200 if quick else 1000
    figures = {mode: _measure(mode, runs) for mode in ("engine", "unreleased")}
    rows = [
        f"| {mode} | {r['runs']} | {r['alive_after_gc']} | {r['first_tenth_mb']:.0f} | "
        f"{r['last_tenth_mb']:.0f} | {r['growth_mb']:+.1f} | {r['kb_per_run']:.1f} |"
        for mode, r in figures.items()
    ]
    md = [
        f"Mesa's Boltzmann wealth example ({PARAMS['n']} agents, {STEPS} steps) run {runs} "
        "times in one process, through the engine and by hand:",
        "",
        "| way | runs | models alive after gc | first tenth RSS (MB) | last tenth (MB) | "
        "growth (MB) | KB per run |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *rows,
    ]
    eng = figures["engine"]
    growth = eng["growth_mb"] / eng["first_tenth_mb"]
    checks = {
        f"engine: no model alive after {runs} runs ({eng['alive_after_gc']})": (
            eng["alive_after_gc"] == 0
        ),
        f"engine: flat, growth first→last tenth < {100 * FLAT:.0f}% ({100 * growth:+.1f}%)": (
            growth < FLAT
        ),
    }
    return BenchResult("Memory of a Mesa model sweep", figures, "\n".join(md), checks)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="child process of the benchmark")
    parser.add_argument("mode", choices=["engine", "unreleased"])
    parser.add_argument("runs", type=int)
    args = parser.parse_args()
    sys.stdout.write(json.dumps(_child(args.mode, args.runs)))
