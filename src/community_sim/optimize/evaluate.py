"""One generation through the engine: candidates × scenarios × replicates as a stored design.

A generation's design has one row per (candidate, scenario): the candidate's
lever values and the scenario's uncertainty values. Its ``point`` numbers run on
across generations (``candidate * scenarios + scenario``), so every run keeps
the engine's seed ``run_seed(seed, point, replicate)``, its own and the same
whatever the executor. The engine runs and stores it in
``DIR/generations/NNNN/`` like any sweep (resumable, with its manifest), and
:func:`read_generation` reads each output back as a ``[candidate, scenario]``
table of replicate means.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from community_sim.analysis.outputs import base_outcome, build_outputs
from community_sim.errors import UserError, did_you_mean
from community_sim.experiment.designs import build_design
from community_sim.experiment.engine import Plan, RunSummary, run_experiment
from community_sim.experiment.executors import Executor
from community_sim.experiment.spec import DesignSpec, ExperimentSpec
from community_sim.experiment.store import RUNS, Store
from community_sim.optimize.settings import Settings

GENERATIONS = "generations"


def generation_dir(out: Path, generation: int) -> Path:
    return out / GENERATIONS / f"{generation:04d}"


def scenario_table(spec: ExperimentSpec, settings: Settings) -> pd.DataFrame:
    """The fixed ensemble: a seeded Latin hypercube of the uncertainties (one row per scenario).

    Drawn by the engine's LHS design from the spec's seed, so the same spec
    always meets the same scenarios. Without uncertainties: one scenario, the base.
    """
    if not settings.uncertainties:
        return pd.DataFrame({"scenario": [0]})
    d = DesignSpec(
        kind="lhs",
        n=settings.scenarios,
        second_order=False,
        levels=4,
        optimal_trajectories=None,
        m=4,
        factors=settings.uncertainties,
        scenarios={},
    )
    frame = build_design(d, dict(spec.base_params), spec.seed)
    return frame.rename(columns={"point": "scenario"})


def lever_values(settings: Settings, unit: np.ndarray) -> pd.DataFrame:
    """Candidates' lever values from their positions in the unit cube (one column per lever)."""
    u = np.asarray(unit, dtype=float).reshape(-1, len(settings.levers))
    cols: dict[str, Any] = {}
    for j, f in enumerate(settings.levers):
        v = f.from_unit(np.clip(u[:, j], 0.0, 1.0))
        cols[f.name] = list(v) if v.dtype == object else v
    return pd.DataFrame(cols, index=range(len(u)))


def generation_design(
    levers: pd.DataFrame, scenarios: pd.DataFrame, first_candidate: int
) -> pd.DataFrame:
    """Every candidate in every scenario, with points numbered on from ``first_candidate``."""
    n_c, n_s = len(levers), len(scenarios)
    rows = levers.loc[np.repeat(np.arange(n_c), n_s)].reset_index(drop=True)
    unc = scenarios.drop(columns=["scenario"])
    if len(unc.columns):
        tiled = unc.iloc[np.tile(np.arange(n_s), n_c)].reset_index(drop=True)
        rows = pd.concat([rows, tiled], axis=1)
    rows.insert(0, "point", np.arange(n_c * n_s, dtype=np.int64) + first_candidate * n_s)
    return rows


def generation_spec(spec: ExperimentSpec, settings: Settings) -> ExperimentSpec:
    """The spec each generation's store records: replicates from [optimize], budget left out.

    The budget (``evaluations``) only says when to stop, so raising it resumes
    the stored generations rather than refusing them as another experiment's.
    """
    raw = dict(spec.raw)
    raw["optimize"] = {k: v for k, v in dict(raw["optimize"]).items() if k != "evaluations"}
    return dataclasses.replace(spec, replicates=settings.replicates, raw=raw)


def run_generation(
    spec: ExperimentSpec, design: pd.DataFrame, out: Path, executor: Executor
) -> RunSummary | None:
    """Run (or finish) one generation's store; None when it was already complete."""
    store = Store(out)
    if out.is_dir() and not store.exists():
        # Killed before the engine wrote this generation's manifest: what the folder holds
        # is this search's own half-written start of it, so it starts again from nothing.
        shutil.rmtree(out)
    if store.exists() and store.path(RUNS).is_file():
        m = store.read_manifest()
        if m.get("finished") and not (m.get("counts") or {}).get("missing", 1):
            return None
    return run_experiment(Plan(spec, design, out), executor=executor)


def stored_levers(out: Path) -> pd.DataFrame | None:
    """The design a generation's store holds, or None before the engine wrote it."""
    path = out / "design.parquet"
    return pd.read_parquet(path) if path.is_file() else None


def read_generation(
    out: Path,
    spec: ExperimentSpec,
    settings: Settings,
    first_candidate: int,
    n_candidates: int,
) -> dict[str, np.ndarray]:
    """Each output the search reads as a ``[candidate, scenario]`` table of replicate means.

    A cell is NaN when any of its replicates failed or left the output undefined.
    """
    runs = pd.read_parquet(out / RUNS)
    n_s, n_r = n_scenarios(settings), settings.replicates
    runs = runs.assign(point=runs["point"] - first_candidate * n_s)
    wanted = settings.outputs
    outcomes = list(dict.fromkeys(base_outcome(n) for n in wanted))
    ok = runs[runs["status"] == "ok"]
    missing = [o for o in outcomes if o not in runs.columns]
    if missing and len(ok):
        present = [c for c in runs.columns if c not in spec.base_params]
        raise UserError(
            f"the model gave no output {missing[0]!r}{did_you_mean(missing[0], present)}",
            source=spec.source,
            key="optimize.objectives",
        )
    for o in missing:  # every run failed: its outputs are undefined, not absent
        runs[o] = np.nan
    tables = build_outputs(runs, outcomes, spec.compare, n_candidates * n_s, n_r)
    result: dict[str, np.ndarray] = {}
    for name in wanted:
        if name not in tables:
            raise UserError(
                f"no output {name!r} in this experiment{did_you_mean(name, tables)}",
                source=spec.source,
                key="optimize.objectives",
            )
        t = tables[name]
        v = np.where(t.failed, np.nan, t.values) if t.failed is not None else t.values
        result[name] = v.mean(axis=1).reshape(n_candidates, n_s)
    return result


def n_scenarios(settings: Settings) -> int:
    """Scenarios in the ensemble (one, the base, without uncertainties)."""
    return settings.scenarios if settings.uncertainties else 1
