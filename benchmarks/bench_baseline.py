"""The default run's CPU time now against the model as of :data:`BASE_COMMIT`, side by side,
and against the budget issue 21 sets for it (:data:`BUDGET_S`).

The old model's ``src/`` is extracted from git (``git archive``) into a temporary
folder and imported in a subprocess with ``PYTHONPATH`` pointing at it; the
current model runs in an identical subprocess. Rounds alternate old and new so
that the machine's load hits both alike; each subprocess times full default
120-month runs (construction, steps, outcomes; imports excluded) and the best
CPU time of each side is kept. Target: old / new ≥ 3. The default run itself should take
at most :data:`BUDGET_S` of CPU: the median of a round's runs, in the round with the
lowest median (the machines are shared; a quiet round is the one to read).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from benchmarks import BenchResult

ROOT = Path(__file__).resolve().parents[1]
BASE_COMMIT = "25219c5"
"""The model before the speed-ups this benchmark measures (Model 2.0 as first committed)."""

TARGET = 3.0
BUDGET_S = 0.15
"""CPU seconds a default 120-month run may take (issue 21)."""

_TIMER = """
import json, sys, time
import community_sim
from community_sim.model import CommunityModel

def once(seed):
    c0 = time.process_time()
    model = CommunityModel(seed=seed)
    while model.running:
        model.step()
    model.outcomes()
    return time.process_time() - c0

once(0)  # warm caches (imports of lazily loaded modules, numpy dispatch)
times = sorted(once(seed) for seed in range(1, 1 + int(sys.argv[1])))
median = times[len(times) // 2]
print(json.dumps({"file": community_sim.__file__, "cpu": times[0], "median": median}))
"""


def extract(commit: str, dest: Path) -> Path:
    """``src/`` of ``commit`` unpacked under ``dest``; returns the folder to put on the path."""
    archive = dest / "src.tar"
    with archive.open("wb") as fh:
        subprocess.run(["git", "archive", commit, "src"], cwd=ROOT, stdout=fh, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(dest, filter="data")
    return dest / "src"


def time_in(src: Path, runs: int) -> tuple[float, float]:
    """Best and median CPU seconds of ``runs`` default runs of the model found under ``src``."""
    env = {**os.environ, "PYTHONPATH": str(src), "OMP_NUM_THREADS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", _TIMER, str(runs)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if not Path(result["file"]).resolve().is_relative_to(src.resolve()):
        raise RuntimeError(f"imported {result['file']}, not the model under {src}")
    return float(result["cpu"]), float(result["median"])


def compare(rounds: int, runs: int) -> dict[str, float]:
    """Best CPU time old and new over ``rounds`` alternating subprocesses."""
    with tempfile.TemporaryDirectory(prefix="community-sim-base-") as tmp:
        old_src = extract(BASE_COMMIT, Path(tmp))
        new_src = ROOT / "src"
        old = new = median = float("inf")
        for _ in range(rounds):
            old = min(old, time_in(old_src, runs)[0])
            best, mid = time_in(new_src, runs)
            new, median = min(new, best), min(median, mid)
    return {
        "old_cpu_s": old,
        "new_cpu_s": new,
        "new_median_cpu_s": median,
        "ratio": old / new,
        "rounds": rounds,
        "runs": runs,
        "load_average": os.getloadavg()[0],
    }


def run(quick: bool = False) -> BenchResult:
    f = compare(2 if quick else 4, 3 if quick else 5)
    md = (
        f"**Default run against {BASE_COMMIT}.** CPU time of a default 120-month run: "
        f"{f['old_cpu_s']:.3f} s at {BASE_COMMIT}, {f['new_cpu_s']:.3f} s now → "
        f"**{f['ratio']:.2f}×** (best of {f['rounds']} alternating rounds of {f['runs']} runs "
        f"in fresh subprocesses; load average {f['load_average']:.1f}). The default run: "
        f"median {f['new_median_cpu_s']:.3f} s of CPU (the quietest round's), best "
        f"{f['new_cpu_s']:.3f} s; budget {BUDGET_S:.2f} s."
    )
    checks = {
        f"default run ≥ {TARGET:.0f}× faster than {BASE_COMMIT} (measured {f['ratio']:.2f}×)": f[
            "ratio"
        ]
        >= TARGET,
        f"default run ≤ {BUDGET_S:.2f} s of CPU (median {f['new_median_cpu_s']:.3f} s)": f[
            "new_median_cpu_s"
        ]
        <= BUDGET_S,
    }
    return BenchResult("Model speed against its start", f, md, checks)
