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
import pytest
from nbclient import NotebookClient

from community_sim.experiment import load_results

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "docs" / "tutorial.ipynb"


def read() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def test_notebook_is_valid_and_stored_without_outputs():
    nb = read()
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, "clear the outputs"


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
    nb.cells.insert(0, nbformat.v4.new_code_cell("import sys\nprint(sys.executable, sys.prefix)"))
    client = NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError, naming the cell, if any cell fails

    executable, prefix = _text(nb.cells[0]).split()
    assert (executable, prefix) == (sys.executable, sys.prefix)

    (out,) = tmp_path.glob("community-sim-tutorial-*")
    comparison = load_results(out / "comparison")
    assert len(comparison.ok) == 4 * 2 and set(comparison.ok["policy"]) == {"project", "integrated"}
    assert len(comparison.paired) == 4
    assert (out / "comparison" / "analysis" / "paired.parquet").is_file()
    assert (out / "sobol" / "analysis" / "indices.parquet").is_file()
    assert len(load_results(out / "wealth").ok) == 3 * 3

    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "data" in o]
    assert sum("image/png" in o["data"] for o in images) == 2  # the forest and Sobol' plots
    assert "integrated-project" in "".join(_text(c) for c in nb.cells if c.cell_type == "code")

    assert listing() == repo_before
