"""``community-sim optimize`` on ZDT1, whose front and hypervolume are known analytically.

ZDT1's front is f2 = 1 - √f1 (f1 in [0, 1]); its hypervolume against (1.1, 1.1)
is 1.21 - 1/3 = 0.8767. The search must also walk exactly pymoo's own NSGA-II
trajectory: every evaluation goes through the engine and back, and the
algorithm is told the very numbers pymoo's ``minimize`` would compute.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from mo_models import ZDT1_HV, zdt1_values
from optimize_helpers import zdt1_spec

from community_sim.cli import main
from community_sim.optimize import optimize

XS = [f"x{i}" for i in range(1, 11)]


def _dominated(F: np.ndarray) -> np.ndarray:
    """Rows some other row dominates (brute force, all objectives minimised)."""
    le = (F[:, None, :] <= F[None, :, :]).all(axis=2)
    lt = (F[:, None, :] < F[None, :, :]).any(axis=2)
    return (le & lt).any(axis=0)


def test_cli_writes_the_pareto_set_history_hypervolume_and_figures(tmp_path, capsys):
    spec = zdt1_spec(tmp_path, population=20, evaluations=100)
    out = tmp_path / "out"
    assert main(["optimize", str(spec), "--out", str(out), "--workers", "1"]) == 0
    printed = capsys.readouterr()
    assert "100 evaluations (100 runs, 5 generations, 0 found stored)" in printed.out
    assert "generation 5/5: 100 evaluations" in printed.err
    res = out / "optimize"
    pareto = pd.read_csv(res / "pareto.csv")
    assert list(pareto.columns) == ["candidate", "generation", *XS, "f1", "f2"]
    pd.testing.assert_frame_equal(
        pareto, pd.read_parquet(res / "pareto.parquet"), check_dtype=False
    )
    hist = pd.read_parquet(res / "history.parquet")
    assert len(hist) == 100 and hist["candidate"].tolist() == list(range(100))
    # each stored score is ZDT1 itself at the candidate's levers (the engine's round trip)
    truth = np.array([zdt1_values(list(r)) for r in hist[XS].to_numpy()])
    np.testing.assert_allclose(hist[["f1", "f2"]].to_numpy(), truth, rtol=0, atol=1e-12)
    # the front: no row dominated, and every non-dominated evaluated point is on it
    F = hist[["f1", "f2"]].to_numpy()
    assert not _dominated(pareto[["f1", "f2"]].to_numpy()).any()
    assert set(pareto["candidate"]) == set(hist.loc[~_dominated(F), "candidate"])
    hv = pd.read_csv(res / "hypervolume.csv")
    assert hv["evaluations"].tolist() == [20, 40, 60, 80, 100]
    assert (np.diff(hv["hypervolume"]) >= 0).all()
    for name in ("pareto_parallel", "hypervolume"):
        assert (res / "figures" / f"{name}.png").is_file()
        assert (res / "figures" / f"{name}.pdf").is_file()
    assert len(list((out / "generations").iterdir())) == 5


def test_the_search_follows_pymoos_own_nsga2_run(tmp_path):
    from pymoo.algorithms.moo.nsga2 import NSGA2
    from pymoo.core.callback import Callback
    from pymoo.optimize import minimize
    from pymoo.problems import get_problem

    class Record(Callback):
        def __init__(self) -> None:
            super().__init__()
            self.X: list[np.ndarray] = []

        def notify(self, algorithm) -> None:
            self.X.append(algorithm.off.get("X") if algorithm.off is not None else None)

    s = optimize(
        zdt1_spec(tmp_path, population=20, evaluations=60, seed=7), tmp_path / "o", formats=()
    )
    rec = Record()
    res = minimize(
        get_problem("zdt1", n_var=10), NSGA2(pop_size=20), ("n_gen", 3), seed=7, callback=rec
    )
    hist = pd.read_parquet(tmp_path / "o" / "optimize" / "history.parquet")
    ours = hist.loc[hist["generation"] == 2, XS].to_numpy()
    np.testing.assert_allclose(ours, rec.X[-1], rtol=0, atol=1e-12)
    pymoo_front = np.sort(res.F[:, 0])
    assert s.evaluations == 60 and len(pymoo_front) > 0


@pytest.mark.slow
def test_zdt1_hypervolume_reaches_95_percent_of_the_analytic_value(tmp_path):
    s = optimize(
        zdt1_spec(tmp_path, population=100, evaluations=5000, seed=1), tmp_path / "o", formats=()
    )
    assert s.evaluations <= 5000
    assert s.hypervolume >= 0.95 * ZDT1_HV, s.hypervolume
    # the front found lies on the analytic one: f2 = 1 - sqrt(f1) where x2..xn = 0
    gap = s.pareto["f2"] - (1 - np.sqrt(s.pareto["f1"]))
    assert gap.min() >= -1e-12 and gap.median() < 0.02


@pytest.mark.slow
def test_two_worker_processes_and_dask_give_the_serial_search(tmp_path):
    spec = zdt1_spec(
        tmp_path, population=12, evaluations=36, model="noisy_zdt1", optimize_extra="replicates = 2"
    )
    optimize(spec, tmp_path / "serial", workers=1, formats=())
    optimize(spec, tmp_path / "procs", workers=2, formats=())
    optimize(spec, tmp_path / "dask", workers=2, dask="local", formats=())
    for other in ("procs", "dask"):
        for name in ("pareto.parquet", "history.parquet"):
            pd.testing.assert_frame_equal(
                pd.read_parquet(tmp_path / "serial" / "optimize" / name),
                pd.read_parquet(tmp_path / other / "optimize" / name),
            )
    runs = pd.read_parquet(tmp_path / "procs" / "generations" / "0000" / "runs.parquet")
    assert runs["pid"].nunique() == 2  # the runs did go to two processes
