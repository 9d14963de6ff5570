"""A noisy bi-objective search with replicates: ZDT1 (two variables) plus Gaussian noise.

Each candidate runs R = 8 times with the engine's seeds; its score is the mean of
its replicates, so its error against the noise-free ZDT1 value has SD σ/√R.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from mo_models import ZDT1_HV, zdt1_values
from optimize_helpers import zdt1_spec

from community_sim.optimize import optimize
from community_sim.optimize.results import hypervolume_of

SD, R = 0.05, 8


@pytest.mark.slow
def test_noisy_zdt1_with_replicates(tmp_path):
    spec = zdt1_spec(
        tmp_path,
        n_var=2,
        population=40,
        evaluations=800,
        model="noisy_zdt1",
        extra=f"[overrides]\nnoise = {SD}",
        optimize_extra=f"replicates = {R}",
    )
    s = optimize(spec, tmp_path / "o", formats=())
    assert s.runs == 800 * R
    xs = ["x1", "x2"]
    # every run its own seed: the residuals are independent draws of the noise
    runs = pd.concat(
        pd.read_parquet(g / "runs.parquet") for g in sorted((tmp_path / "o/generations").iterdir())
    )
    assert runs["seed"].is_unique and len(runs) == 800 * R
    truth = np.array([zdt1_values(list(r)) for r in runs[xs].to_numpy()])
    resid = runs[["f1", "f2"]].to_numpy() - truth
    assert abs(resid.std(ddof=1) / SD - 1) < 0.05  # 12 800 draws: SE of the SD ≈ 0.6 %
    # the Pareto scores are replicate means: within 5 σ/√R of the true values
    true_front = np.array([zdt1_values(list(r)) for r in s.pareto[xs].to_numpy()])
    err = s.pareto[["f1", "f2"]].to_numpy() - true_front
    assert np.abs(err).max() < 5 * SD / np.sqrt(R)
    # and the candidates found are good in truth, not only lucky in their draws
    true_hv = hypervolume_of(true_front, np.array([1.1, 1.1]))
    assert true_hv >= 0.85 * ZDT1_HV, true_hv
