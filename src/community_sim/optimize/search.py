"""``community-sim optimize``: the generation loop, its out folder, and resuming it.

The out folder holds ``optimize.json`` (the search's manifest), one engine
store per generation under ``generations/`` and the results under
``optimize/``. The loop is deterministic from the spec's seed: generation
after generation the algorithm asks for candidates, the engine runs (or finds
stored) their runs, and the algorithm is told the scores read back from the
store. A killed search, run again with the same spec, replays the stored
generations — asking for the same candidates, checked against the stored
designs — and goes on where it stopped, so it ends with the same Pareto set.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from community_sim.errors import UserError
from community_sim.experiment.executors import make_executor
from community_sim.experiment.lock import LOCK, out_lock
from community_sim.experiment.spec import ExperimentSpec, load_spec
from community_sim.experiment.store import write_json
from community_sim.optimize import algorithm as alg
from community_sim.optimize.evaluate import (
    GENERATIONS,
    generation_design,
    generation_dir,
    generation_spec,
    lever_values,
    n_scenarios,
    read_generation,
    run_generation,
    scenario_table,
    stored_levers,
)
from community_sim.optimize.results import RESULTS, Scores, score_all, write_results
from community_sim.optimize.settings import Settings, settings_of

log = logging.getLogger(__name__)

MANIFEST = "optimize.json"
OWNED = (MANIFEST, GENERATIONS, RESULTS)


@dataclass
class OptimizeSummary:
    """What a call of :func:`optimize` did."""

    out: Path
    generations: int
    evaluations: int
    runs: int
    replayed: int
    elapsed_s: float
    hypervolume: float
    pareto: pd.DataFrame
    files: list[Path] = field(default_factory=list)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _check_folder(out: Path, spec: ExperimentSpec, force: bool) -> bool:
    """Whether ``out`` holds this search to resume; refuses another search's folder."""
    import json

    manifest = out / MANIFEST
    if out.exists() and not out.is_dir():
        raise UserError("exists and is not a folder; choose another --out", source=str(out))
    if manifest.is_file():
        try:
            old = json.loads(manifest.read_text()).get("spec_hash")
        except (OSError, ValueError):
            old = None
        if force:
            for name in OWNED:
                p = out / name
                shutil.rmtree(p) if p.is_dir() else p.unlink(missing_ok=True)
            return False
        if old == _hash(spec):
            return True
        raise UserError(
            "holds a search of a different spec (or a different [optimize] table); "
            "use --force to start afresh or choose another --out",
            source=str(out),
        )
    if out.is_dir() and any(p.name != LOCK for p in out.iterdir()) and not force:
        raise UserError(
            "is not empty and holds no search; choose another --out or use --force",
            source=str(out),
        )
    return False


def _hash(spec: ExperimentSpec) -> str:
    """What makes results differ: the spec and scenario without the budget."""
    return generation_spec(spec, settings_of(spec)).spec_hash()


def optimize(
    spec_or_path: ExperimentSpec | str | Path | Mapping[str, Any],
    out: str | Path | None = None,
    *,
    workers: int | None = 1,
    dask: str | None = None,
    force: bool = False,
    formats: tuple[str, ...] = ("pdf", "png"),
    on_generation: Callable[[int, int, int], None] | None = None,
) -> OptimizeSummary:
    """Run (or resume) a policy-design search into ``out`` and write its results.

    ``on_generation(generation, generations, evaluations)`` is called after each
    generation. Bad input raises UserError before anything is written.
    """
    spec = (
        spec_or_path
        if isinstance(spec_or_path, ExperimentSpec)
        else load_spec(spec_or_path, optimize=True)
    )
    alg.require_pymoo()
    settings = settings_of(spec)
    folder = Path(out) if out is not None else Path("results") / spec.name
    with out_lock(folder):
        resumed = _check_folder(folder, spec, force)
        executor = make_executor(workers, dask)
        try:
            return _search(spec, settings, folder, executor, resumed, formats, on_generation)
        finally:
            executor.close()


def _search(
    spec: ExperimentSpec,
    settings: Settings,
    out: Path,
    executor: Any,
    resumed: bool,
    formats: tuple[str, ...],
    on_generation: Callable[[int, int, int], None] | None,
) -> OptimizeSummary:
    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    manifest = {
        "name": spec.name,
        "spec_path": str(spec.path) if spec.path else None,
        "spec": spec.to_json(),
        "spec_hash": _hash(spec),
        "seed": spec.seed,
        "algorithm": settings.algorithm,
        "population": settings.population,
        "generations": settings.generations,
        "started": _now(),
        "finished": None,
    }
    if resumed:
        import json

        old = json.loads((out / MANIFEST).read_text())
        manifest |= {"started": old.get("started"), "resumed": [*old.get("resumed", []), _now()]}
    write_json(out / MANIFEST, manifest)
    gen_spec = generation_spec(spec, settings)
    scenarios = scenario_table(spec, settings)
    algorithm = alg.new_algorithm(settings, spec.seed)
    tables: dict[str, list[np.ndarray]] = {name: [] for name in settings.outputs}
    levers: list[pd.DataFrame] = []
    generation_of: list[int] = []
    replayed = runs = 0
    for g in range(settings.generations):
        population = algorithm.ask()
        cand = lever_values(settings, population.get("X"))
        first = len(generation_of)
        design = generation_design(cand, scenarios, first)
        gdir = generation_dir(out, g)
        _check_stored(stored_levers(gdir), design, gdir)
        summary = run_generation(gen_spec, design, gdir, executor)
        replayed += summary is None or summary.ran == 0
        runs += len(design) * settings.replicates * len(spec.policies)
        got = read_generation(gdir, spec, settings, first, len(cand))
        for name, table in got.items():
            tables[name].append(table)
        levers.append(cand)
        generation_of += [g] * len(cand)
        scores = score_all(settings, {k: np.vstack(v) for k, v in tables.items()})
        F, G = alg.told(scores.minimised[first:], scores.violations[first:])
        alg.tell(algorithm, population, F, G)
        if on_generation is not None:
            on_generation(g + 1, settings.generations, len(generation_of))
    all_levers = pd.concat(levers, ignore_index=True)
    final: Scores = score_all(settings, {k: np.vstack(v) for k, v in tables.items()})
    pareto, hv, files = write_results(
        out, spec, settings, all_levers, np.array(generation_of), final, formats
    )
    scenarios.to_csv(out / RESULTS / "scenarios.csv", index=False)
    files.append(out / RESULTS / "scenarios.csv")
    manifest |= {
        "finished": _now(),
        "evaluations": len(generation_of),
        "runs": runs,
        "scenarios": n_scenarios(settings),
        "hypervolume": hv,
    }
    write_json(out / MANIFEST, manifest)
    return OptimizeSummary(
        out=out,
        generations=settings.generations,
        evaluations=len(generation_of),
        runs=runs,
        replayed=int(replayed),
        elapsed_s=time.perf_counter() - t0,
        hypervolume=hv,
        pareto=pareto,
        files=files,
    )


def _check_stored(stored: pd.DataFrame | None, design: pd.DataFrame, where: Path) -> None:
    """A stored generation must hold the candidates the algorithm asks for now."""
    if stored is None:
        return
    same = stored.shape == design.shape and list(stored.columns) == list(design.columns)
    if same:
        for c in design.columns:
            a, b = stored[c].to_numpy(), design[c].to_numpy()
            if a.dtype.kind in "fi" and b.dtype.kind in "fi":
                same = same and bool(np.array_equal(a.astype(float), b.astype(float)))
            else:
                same = same and bool((a.astype(str) == b.astype(str)).all())
    if not same:
        raise UserError(
            "holds other candidates than this search asks for (the spec, its scenario "
            "file or the installed pymoo changed); use --force to start afresh",
            source=str(where),
        )
