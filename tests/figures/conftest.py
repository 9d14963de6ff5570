from __future__ import annotations

from pathlib import Path

import pytest

from community_sim.figures.stored import Stored
from community_sim.figures.style import style_context

from . import synthetic as syn


@pytest.fixture(autouse=True)
def paper_style():
    with style_context("paper"):
        yield


@pytest.fixture
def compare_stored(tmp_path: Path) -> Stored:
    runs, series = syn.compare_runs()
    return Stored(
        path=tmp_path,
        manifest={
            "name": "policy_comparison",
            "spec_hash": "abc123",
            "design": {"kind": "scenarios"},
        },
        runs=runs,
        series=series,
        design=None,
        analysis={"paired": syn.paired_table(), "comparison": syn.comparison_table(runs)},
    )


@pytest.fixture
def grid_stored(tmp_path: Path) -> Stored:
    import pandas as pd

    runs = syn.grid_runs()
    design = runs[["point", "tech_drift", "unemployment_rate"]].drop_duplicates("point")
    return Stored(
        path=tmp_path,
        manifest={
            "name": "grid",
            "spec_hash": "def456",
            "design": {"kind": "grid"},
            "compare": ["integrated", "project"],
        },
        runs=runs,
        series=None,
        design=pd.DataFrame(design).reset_index(drop=True),
        analysis={},
    )


@pytest.fixture
def sobol_stored(tmp_path: Path) -> Stored:
    runs, _ = syn.compare_runs(replicates=2)
    return Stored(
        path=tmp_path,
        manifest={"name": "sobol_policy_gap", "spec_hash": "0f0f", "design": {"kind": "sobol"}},
        runs=runs,
        series=None,
        design=None,
        analysis={
            "indices": syn.indices_table(),
            "noise": syn.noise_table(),
            "convergence": syn.convergence_table(),
        },
    )
