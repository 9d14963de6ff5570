"""Model-agnostic experiment engine: spec, designs, seeds, executors, store, resume.

Run an experiment with :func:`run_experiment` (or ``community-sim run``) and
read it back with :func:`load_results`.

Names are imported on first use (PEP 562), so a worker process that needs only
:mod:`community_sim.experiment.tasks` starts without pandas and SALib.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from community_sim.experiment.designs import DESIGNS, build_design
    from community_sim.experiment.engine import Plan, RunSummary, plan_experiment, run_experiment
    from community_sim.experiment.results import Results, load_results
    from community_sim.experiment.seeds import run_seed
    from community_sim.experiment.spec import ExperimentSpec, load_spec

_WHERE = {
    "DESIGNS": "designs",
    "build_design": "designs",
    "Plan": "engine",
    "RunSummary": "engine",
    "plan_experiment": "engine",
    "run_experiment": "engine",
    "Results": "results",
    "load_results": "results",
    "run_seed": "seeds",
    "ExperimentSpec": "spec",
    "load_spec": "spec",
}

__all__ = [
    "DESIGNS",
    "ExperimentSpec",
    "Plan",
    "Results",
    "RunSummary",
    "build_design",
    "load_results",
    "load_spec",
    "plan_experiment",
    "run_experiment",
    "run_seed",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
