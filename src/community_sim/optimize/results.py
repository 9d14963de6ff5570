"""A search's results: robust scores, the Pareto set, the history and the hypervolume.

Written to ``DIR/optimize/``:

- ``pareto.csv`` and ``pareto.parquet``: the non-dominated feasible candidates of
  the whole search, one column per lever and per objective (its robust score),
  named as in the spec;
- ``history.parquet``: every candidate evaluated, with its generation, scores,
  constraint values, feasibility and whether it is on the front;
- ``hypervolume.csv``: the hypervolume of the front found by each generation;
- ``figures/``: the Pareto set in parallel coordinates, and the hypervolume
  by generation.

The hypervolume is taken on the objectives turned to minimisation, against
``reference`` when the spec gives one (in the objectives' own units), else on
objectives scaled to [0, 1] between the best and worst scores of the search's
feasible candidates, against 1.1 in each.

References
----------
Zitzler, E. & Thiele, L. (1999) Multiobjective evolutionary algorithms: a comparative
    case study and the strength Pareto approach. IEEE Transactions on Evolutionary
    Computation 3(4), 257–271 (the hypervolume).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from community_sim.analysis.robustness import score
from community_sim.experiment.spec import ExperimentSpec
from community_sim.experiment.store import write_parquet
from community_sim.optimize.algorithm import minimised
from community_sim.optimize.settings import Settings

RESULTS = "optimize"


@dataclass(frozen=True)
class Scores:
    """Every candidate's robust score per objective and its constraint values."""

    scores: np.ndarray  # (candidates, objectives), NaN where undefined
    better: list[str]  # per objective: "min" or "max"
    constraint_values: np.ndarray  # (candidates, constraints): mean over scenarios
    violations: np.ndarray  # (candidates, constraints): > 0 where violated, NaN if undefined

    @property
    def minimised(self) -> np.ndarray:
        return minimised(self.scores, self.better)

    @property
    def feasible(self) -> np.ndarray:
        ok = np.isfinite(self.scores).all(axis=1)
        if self.violations.shape[1]:
            ok &= (np.nan_to_num(self.violations, nan=1.0) <= 0).all(axis=1)
        return ok


def score_all(settings: Settings, tables: Mapping[str, np.ndarray]) -> Scores:
    """Scores of every candidate from its ``[candidate, scenario]`` output tables.

    Regret is taken against the best of every candidate in ``tables``, so it is
    computed over the whole search so far, never one generation alone.
    """
    cols = []
    for o in settings.objectives:
        cond = tables[o.metric.condition.output] if o.metric.condition is not None else None
        cols.append(score(tables[o.name], o.metric, o.sense, condition_values=cond))
    n = len(next(iter(tables.values())))
    values = np.column_stack(
        [tables[c.output].mean(axis=1) for c in settings.constraints] or [np.empty((n, 0))]
    ).reshape(n, len(settings.constraints))
    viol = np.column_stack(
        [c.violation(values[:, i]) for i, c in enumerate(settings.constraints)]
        or [np.empty((n, 0))]
    ).reshape(n, len(settings.constraints))
    return Scores(np.column_stack(cols), [o.better for o in settings.objectives], values, viol)


def non_dominated(F: np.ndarray) -> np.ndarray:
    """Indices of the rows of ``F`` (to minimise) that no other row dominates, in row order."""
    from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

    if len(F) == 0:
        return np.empty(0, dtype=np.int64)
    return np.sort(NonDominatedSorting().do(F, only_non_dominated_front=True))


def front(scores: Scores, upto: np.ndarray | None = None) -> np.ndarray:
    """The Pareto set's candidate indices (feasible, non-dominated, first of equal ones)."""
    keep = scores.feasible if upto is None else scores.feasible & upto
    idx = np.flatnonzero(keep)
    F = scores.minimised[idx]
    _, first = np.unique(F, axis=0, return_index=True)  # equal scores: keep the earliest
    idx, F = idx[np.sort(first)], F[np.sort(first)]
    return idx[non_dominated(F)]


def hypervolume_of(F: np.ndarray, ref: np.ndarray) -> float:
    """pymoo's hypervolume of the points ``F`` (to minimise) against ``ref``."""
    from pymoo.indicators.hv import HV

    inside = F[(F < ref).all(axis=1)]
    return float(HV(ref_point=ref)(inside)) if len(inside) else 0.0


def _scaling(settings: Settings, scores: Scores) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(shift, scale, reference) of the space the hypervolume is taken in."""
    k = len(settings.objectives)
    if settings.reference is not None:
        ref = minimised(np.array([settings.reference]), scores.better)[0]
        return np.zeros(k), np.ones(k), ref
    F = scores.minimised[scores.feasible]
    if not len(F):
        return np.zeros(k), np.ones(k), np.ones(k)
    lo, hi = F.min(axis=0), F.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    return lo, span, np.full(k, 1.1)


def hypervolume_by_generation(
    settings: Settings, scores: Scores, generation: np.ndarray
) -> pd.DataFrame:
    """The hypervolume of the front of every candidate evaluated up to each generation."""
    shift, scale, ref = _scaling(settings, scores)
    rows = []
    for g in range(int(generation.max()) + 1 if len(generation) else 0):
        upto = generation <= g
        idx = front(scores, upto)
        F = (scores.minimised[idx] - shift) / scale
        rows.append(
            {
                "generation": g,
                "evaluations": int(upto.sum()),
                "front_size": len(idx),
                "hypervolume": hypervolume_of(F, ref),
            }
        )
    return pd.DataFrame(rows)


def tables_of(
    settings: Settings, levers: pd.DataFrame, generation: np.ndarray, scores: Scores
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(history, pareto): every candidate, and the Pareto set, named as in the spec."""
    hist = pd.DataFrame({"candidate": np.arange(len(levers)), "generation": generation})
    hist = pd.concat([hist, levers.reset_index(drop=True)], axis=1)
    for j, o in enumerate(settings.objectives):
        hist[o.name] = scores.scores[:, j]
    for i, c in enumerate(settings.constraints):
        hist[f"constraint:{c.text}"] = scores.constraint_values[:, i]
    hist["feasible"] = scores.feasible
    on_front = np.zeros(len(hist), dtype=bool)
    idx = front(scores)
    on_front[idx] = True
    hist["pareto"] = on_front
    names = [f.name for f in settings.levers] + [o.name for o in settings.objectives]
    pareto = hist.loc[idx, ["candidate", "generation", *names]]
    pareto = pareto.sort_values(settings.objectives[0].name, kind="stable")
    return hist, pareto.reset_index(drop=True)


def write_results(
    out: Path,
    spec: ExperimentSpec,
    settings: Settings,
    levers: pd.DataFrame,
    generation: np.ndarray,
    scores: Scores,
    formats: tuple[str, ...],
) -> tuple[pd.DataFrame, float, list[Path]]:
    """Write the tables and figures; return the Pareto set, the final hypervolume, the files."""
    from community_sim.optimize.figures import draw_figures

    folder = out / RESULTS
    folder.mkdir(parents=True, exist_ok=True)
    hist, pareto = tables_of(settings, levers, generation, scores)
    hv = hypervolume_by_generation(settings, scores, generation)
    files = [folder / "pareto.csv", folder / "pareto.parquet", folder / "history.parquet"]
    files.append(folder / "hypervolume.csv")
    pareto.to_csv(files[0], index=False)
    write_parquet(files[1], pareto)
    write_parquet(files[2], hist)
    hv.to_csv(files[3], index=False)
    files += draw_figures(folder / "figures", spec, settings, pareto, hv, formats)
    final = float(hv["hypervolume"].iloc[-1]) if len(hv) else float("nan")
    return pareto, final, files
