"""docs/tutorial.ipynb runs top to bottom in this environment, so it never goes stale.

The notebook is executed by nbclient in a kernel of the Python running the
tests (ipykernel's ``python3`` kernel, whose ``python`` jupyter_client resolves
to ``sys.executable``), with its temporary folder, IPython and Jupyter runtime
folders under ``tmp_path``: nothing is written to the repository or the home
folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

from community_sim.analysis.comparison.compare import paired_differences
from community_sim.experiment import load_results

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "docs" / "tutorial.ipynb"
OUTCOMES = [
    "partnership_survival_5y",
    "trial_error_cost_per_hire_weeks",
    "enterprise_participation",
]


def read() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def _code(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if c.cell_type == "code"]


def test_notebook_is_valid_and_stored_with_the_outputs_of_one_clean_run():
    nb = read()
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    cells = _code(nb)
    # Run top to bottom once, in order: a reader sees what the code gives.
    assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1))
    assert all(c.outputs for c in cells[1:]), "every cell after the imports shows its result"
    assert not [o for c in cells for o in c.outputs if o.output_type == "error"]
    first_table = next(c for c in cells if "community_sim.run(" in c.source)
    assert "NaN" not in _text(first_table) and "nan" not in _text(first_table)


def listing() -> list[list[str]]:
    """The names in the repository's top folder and in docs/ (where a kernel would write)."""
    return [sorted(p.name for p in d.iterdir()) for d in (ROOT, NOTEBOOK.parent)]


def _text(cell: nbformat.NotebookNode) -> str:
    return "".join(
        o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in cell.outputs
    )


@pytest.mark.slow
def test_tutorial_executes_in_this_python_and_writes_only_to_a_temp_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    repo_before = listing()

    nb = read()
    for cell in _code(nb):  # run from scratch, not from the stored outputs
        cell.outputs, cell.execution_count = [], None
    nb.cells.insert(0, nbformat.v4.new_code_cell("import sys\nprint(sys.executable, sys.prefix)"))
    client = NotebookClient(
        nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError, naming the cell, if any cell fails

    executable, prefix = _text(nb.cells[0]).split()
    assert (executable, prefix) == (sys.executable, sys.prefix)

    (out,) = tmp_path.glob("community-sim-tutorial-*")
    grid = load_results(out / "grid")
    assert len(grid.ok) == 2 * 3 * 4 * 2 and set(grid.ok["policy"]) == {"project", "integrated"}
    assert (out / "small_region.toml").is_file()  # the runs read a scenario file
    assert set(grid.ok["n_smes"]) == {12}
    # The conditional question has an answer at every level: no gap undefined.
    gaps = paired_differences(grid.runs, OUTCOMES, by=["subsidy_end_month", "tech_drift"])
    assert len(gaps) == 2 * 3 * len(OUTCOMES) and gaps["mean_diff"].notna().all()
    assert (out / "grid" / "figures" / "sweep_subsidy_end_month.png").is_file()
    # The sensitivity example's indices are defined, and total ≥ first order within the CIs.
    indices = pd.read_parquet(out / "sobol" / "analysis" / "indices.parquet")
    mean = indices[indices["target"] == "mean"]
    assert mean[["S1", "ST"]].notna().all().all()
    assert (mean["ST"] + mean["ST_conf"] >= mean["S1"] - mean["S1_conf"]).all()
    assert len(load_results(out / "wealth").ok) == 3 * 3

    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "data" in o]
    assert sum("image/png" in o["data"] for o in images) == 2  # the sweep and the Sobol' bars
    assert "never ends" in "".join(_text(c) for c in nb.cells if c.cell_type == "code")

    assert listing() == repo_before
