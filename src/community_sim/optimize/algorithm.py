"""The search algorithm: pymoo's NSGA-II or NSGA-III, driven by ask and tell.

Candidates live in the unit cube, one coordinate per lever; a lever's factor
maps its coordinate to a value (:meth:`Factor.from_unit`), so ranges, integers
and choices are searched alike. The algorithm is seeded from the spec's seed and
told exactly the numbers read back from the store, so the same spec asks for
the same candidates generation after generation: a resumed search replays the
stored generations and goes on where it stopped.

References
----------
Deb, K. et al. (2002) A fast and elitist multiobjective genetic algorithm:
    NSGA-II. IEEE Transactions on Evolutionary Computation 6(2), 182–197.
Deb, K. & Jain, H. (2014) An evolutionary many-objective optimization algorithm
    using reference-point-based nondominated sorting approach (NSGA-III).
    IEEE Transactions on Evolutionary Computation 18(4), 577–601.
Blank, J. & Deb, K. (2020) pymoo: Multi-objective optimization in Python.
    IEEE Access 8, 89497–89509.
"""

from __future__ import annotations

import importlib.util
from typing import Any

import numpy as np

from community_sim.errors import UserError
from community_sim.optimize.settings import Settings

INFEASIBLE = 1e30
"""The violation told for a candidate whose constraint or objective is undefined (NaN)."""


def require_pymoo() -> None:
    if importlib.util.find_spec("pymoo") is None:
        raise UserError(
            "pymoo is not installed; run pip install 'community-sim[optimize]'",
            source="optimize",
        )


def reference_directions(n_obj: int, population: int) -> np.ndarray:
    """Das–Dennis directions for NSGA-III: the most partitions giving at most ``population``."""
    from math import comb

    from pymoo.util.ref_dirs import get_reference_directions

    p = 1
    while comb(p + 1 + n_obj - 1, n_obj - 1) <= population:
        p += 1
    return get_reference_directions("das-dennis", n_obj, n_partitions=p)


def new_algorithm(settings: Settings, seed: int) -> Any:
    """A seeded pymoo algorithm set up for the settings' search (ask/tell)."""
    from pymoo.core.problem import Problem

    n_obj = len(settings.objectives)
    problem = Problem(
        n_var=len(settings.levers),
        n_obj=n_obj,
        n_ieq_constr=len(settings.constraints) + 1,  # the last: every objective defined
        xl=0.0,
        xu=1.0,
    )
    if settings.algorithm == "nsga3":
        from pymoo.algorithms.moo.nsga3 import NSGA3

        dirs = reference_directions(n_obj, settings.population)
        algorithm: Any = NSGA3(ref_dirs=dirs, pop_size=settings.population)
    else:
        from pymoo.algorithms.moo.nsga2 import NSGA2

        algorithm = NSGA2(pop_size=settings.population)
    algorithm.setup(problem, termination=("n_gen", settings.generations), seed=seed, verbose=False)
    return algorithm


def tell(algorithm: Any, population: Any, F: np.ndarray, G: np.ndarray) -> None:
    """Give the algorithm the asked population's objectives (to minimise) and violations."""
    from pymoo.core.evaluator import Evaluator
    from pymoo.problems.static import StaticProblem

    Evaluator().eval(StaticProblem(algorithm.problem, F=F, G=G), population)
    algorithm.tell(infills=population)


def minimised(scores: np.ndarray, better: list[str]) -> np.ndarray:
    """Scores turned to minimisation: columns better high are negated."""
    sign = np.array([-1.0 if b == "max" else 1.0 for b in better])
    return np.asarray(scores, dtype=float) * sign[None, :]


def told(scores_min: np.ndarray, violations: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """F and G as pymoo takes them: an undefined score becomes a violated constraint.

    pymoo ranks infeasible candidates by violation alone, so an undefined
    objective (NaN) is told as the worst finite value of its column plus one,
    and the candidate as infeasible; an undefined constraint as a violation of
    :data:`INFEASIBLE`.
    """
    F = np.array(scores_min, dtype=float)
    undefined = ~np.isfinite(F).all(axis=1)
    for j in range(F.shape[1]):
        col = F[:, j]
        finite = col[np.isfinite(col)]
        col[~np.isfinite(col)] = (finite.max() + 1.0) if len(finite) else 0.0
    G = np.where(np.isfinite(violations), violations, INFEASIBLE)
    G = np.column_stack([G, np.where(undefined, 1.0, -1.0)])
    return F, G
