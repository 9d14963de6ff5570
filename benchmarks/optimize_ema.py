"""ZDT1 (10 variables) searched by ``community-sim optimize`` and by EMA Workbench's optimiser.

Both get the same problem, budget (5,000 evaluations), population (100) and seed;
the hypervolume of each front is taken with pymoo's indicator against (1.1, 1.1)
(analytic value 0.8767). EMA Workbench runs Platypus's NSGA-II (the same
algorithm as ours, with a non-dominated archive as our front has) and its
default ε-NSGA-II (ε = 0.01 on both objectives).
Run: ``python -m benchmarks.optimize_ema`` (about a minute; prints a table).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "optimize"))  # the ZDT1 reference: mo_models

from mo_models import ZDT1_HV, zdt1_values  # noqa: E402

N_VAR, EVALUATIONS, POPULATION, SEED = 10, 5000, 100, 1
REF = np.array([1.1, 1.1])


def hypervolume(F: np.ndarray) -> float:
    from community_sim.optimize.results import hypervolume_of, non_dominated

    F = np.asarray(F, dtype=float)
    return hypervolume_of(F[non_dominated(F)], REF)


def ours() -> dict[str, Any]:
    from community_sim.optimize import optimize

    levers = "\n".join(f"x{i} = {{ low = 0.0, high = 1.0 }}" for i in range(1, N_VAR + 1))
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "zdt1.toml"
        spec.write_text(
            f'name = "zdt1"\nmodel = "mo_models:zdt1"\nseed = {SEED}\n[optimize]\n'
            f"evaluations = {EVALUATIONS}\npopulation = {POPULATION}\n"
            'objectives = { f1 = "min", f2 = "min" }\nreference = { f1 = 1.1, f2 = 1.1 }\n'
            f"[optimize.levers]\n{levers}\n"
        )
        t0 = time.perf_counter()
        s = optimize(spec, Path(tmp) / "out", workers=1, formats=())
        wall = time.perf_counter() - t0
        F = s.pareto[["f1", "f2"]].to_numpy()
    return {"evaluations": s.evaluations, "front": len(F), "hv": hypervolume(F), "wall_s": wall}


def _ema_zdt1(**x: float) -> dict[str, float]:
    f1, f2 = zdt1_values([x[f"x{i}"] for i in range(1, N_VAR + 1)])
    return {"f1": f1, "f2": f2}


def ema(algorithm: str) -> dict[str, Any]:
    from ema_workbench import Model, RealParameter, ScalarOutcome, SequentialEvaluator
    from platypus import NSGAII, Archive

    model = Model("zdt1", function=_ema_zdt1)
    model.levers = [RealParameter(f"x{i}", 0.0, 1.0) for i in range(1, N_VAR + 1)]
    model.outcomes = [
        ScalarOutcome("f1", kind=ScalarOutcome.MINIMIZE),
        ScalarOutcome("f2", kind=ScalarOutcome.MINIMIZE),
    ]
    random.seed(SEED)  # Platypus draws from the random module only
    kwargs: dict[str, Any] = {"population_size": POPULATION}
    if algorithm == "nsga2":
        # a non-dominated archive, as our front is (EMA 2.5 also needs one to log its size)
        kwargs |= {"algorithm": NSGAII, "archive": Archive()}
    else:
        kwargs["epsilons"] = [0.01, 0.01]
    t0 = time.perf_counter()
    with SequentialEvaluator(model) as evaluator:
        result = evaluator.optimize(nfe=EVALUATIONS, searchover="levers", **kwargs)
    wall = time.perf_counter() - t0
    frame = result[0] if isinstance(result, tuple) else result
    F = frame[["f1", "f2"]].to_numpy(dtype=float)
    return {"evaluations": EVALUATIONS, "front": len(F), "hv": hypervolume(F), "wall_s": wall}


def main() -> None:
    rows = {
        "community-sim optimize (pymoo NSGA-II, engine store)": ours(),
        "EMA Workbench 2.5 + Platypus NSGA-II": ema("nsga2"),
        "EMA Workbench 2.5 + Platypus eps-NSGA-II (default)": ema("eps"),
    }
    print(
        f"ZDT1, {N_VAR} variables, {EVALUATIONS} evaluations, population {POPULATION}, seed "
        f"{SEED}; analytic hypervolume {ZDT1_HV:.4f}"
    )
    print(f"{'optimiser':<54} {'front':>5} {'hypervolume':>11} {'% analytic':>10} {'wall s':>7}")
    for name, r in rows.items():
        print(
            f"{name:<54} {r['front']:>5} {r['hv']:>11.4f} {100 * r['hv'] / ZDT1_HV:>9.1f}% "
            f"{r['wall_s']:>7.1f}"
        )


if __name__ == "__main__":
    main()
