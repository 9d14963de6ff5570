"""Process workers start warm: the fork server imports the model and loads its kernels once."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from community_sim.experiment.executors import worker_preload
from community_sim.experiment.models import COMMUNITY, ModelRef

# In a fresh interpreter: the fork server of this process is started by the pool below.
CHILD = """
import json, sys
from community_sim.experiment.executors import ProcessExecutor, worker_preload
from community_sim.experiment.models import COMMUNITY, ModelRef
from community_sim.experiment.tasks import Task, run_chunk

def loaded(model, tasks):
    kernels = sys.modules.get("community_sim.mechanics.kernels")
    compiled = kernels is not None and len(kernels.teach_rows.signatures) > 0
    return [m in sys.modules for m in ("community_sim.runner", "mesa")] + [compiled]

if __name__ == "__main__":
    ex = ProcessExecutor(2)
    model = ModelRef(COMMUNITY, steps=2)
    task = Task(run_id=0, point=0, replicate=0, policy=None, seed=1, params={})
    ex._preload = worker_preload(model)  # as map_chunks sets it, but probe before any run
    before = ex._submit(loaded, model, []).result()
    (record,) = next(iter(ex.map_chunks(model, [[task]])))
    ex.close()
    print(json.dumps({"status": record.status, "parent": "mesa" in sys.modules, "worker": before}))
"""


def test_the_preload_names_the_model_module():
    assert worker_preload(ModelRef(COMMUNITY)) == [
        "community_sim.experiment.tasks",
        "community_sim.runner",
        "community_sim.experiment.warm",
    ]
    assert worker_preload(ModelRef("analytic_models:ishigami"))[-1] == "analytic_models"


@pytest.mark.slow
def test_workers_inherit_the_model_import_from_the_fork_server(tmp_path):
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["status"] == "ok"
    assert got["parent"] is False  # the parent never imported the model itself
    assert got["worker"] == [True, True, True]  # the model and its compiled kernels


def test_a_chunk_leaves_no_finished_model_behind():
    # Community models hold reference cycles; without the collection at the end of a
    # chunk, finished models wait for the cyclic collector and pile up in a worker.
    import gc

    from community_sim.experiment import tasks
    from community_sim.experiment.models import ModelRef
    from community_sim.model import CommunityModel

    gc.disable()  # only release_heap may collect here
    try:
        tasks._last_trim = -1e9
        tasks.release_heap()  # a worker's first call also freezes what was alive before
        tasks._last_trim = -1e9
        # Models another test of this process still holds are not this chunk's to free.
        before = {id(o) for o in gc.get_objects() if type(o) is CommunityModel}
        chunk = [
            tasks.Task(i, i, 0, None, i, {"horizon_months": 12, "burn_in_months": 0})
            for i in range(3)
        ]
        records = tasks.run_chunk(ModelRef("community"), chunk)
        assert [r.status for r in records] == ["ok"] * 3
        # type(o) is, not isinstance: a dead weak proxy (Numba leaves some) raises in isinstance
        left = [o for o in gc.get_objects() if type(o) is CommunityModel and id(o) not in before]
        assert not left
    finally:
        gc.enable()


@pytest.mark.slow
def test_the_fork_server_starts_with_the_loaded_specs_model(tmp_path):
    # Run in a fresh interpreter: the fork server is one per process.
    import subprocess
    import sys

    spec = tmp_path / "s.toml"
    spec.write_text(
        'name = "s"\nmodel = "community"\n[design]\nkind = "lhs"\nn = 2\n'
        "[design.parameters]\ntech_drift = { low = 0.0, high = 0.1 }\n"
    )
    code = (
        "import sys\n"
        "from multiprocessing import forkserver\n"
        "from community_sim.experiment.executors import warm_fork_server\n"
        "from community_sim.experiment.spec import load_spec\n"
        "model = load_spec(sys.argv[1]).model\n"
        "assert forkserver._forkserver._forkserver_pid is None\n"
        "warm_fork_server(model)\n"
        "assert forkserver._forkserver._forkserver_pid is not None\n"
        "assert 'community_sim.runner' in forkserver._forkserver._preload_modules\n"
    )
    res = subprocess.run([sys.executable, "-c", code, str(spec)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
