"""Undefined objectives, failed runs and constraints keep a candidate off the Pareto set."""

from __future__ import annotations

import numpy as np
import pandas as pd

from community_sim.optimize import optimize


def test_undefined_failed_and_constrained_candidates_stay_off_the_front(tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text(
        'name = "nan"\nmodel = "mo_models:half_undefined"\nseed = 4\n[optimize]\n'
        'evaluations = 60\npopulation = 20\nobjectives = { f1 = "min", f2 = "min" }\n'
        'constraints = ["f1 >= 0.2"]\n'
        "[optimize.levers]\nx1 = { low = 0.0, high = 1.0 }\nx2 = { low = 0.0, high = 1.0 }\n"
    )
    s = optimize(spec, tmp_path / "o", formats=())
    hist = pd.read_parquet(tmp_path / "o" / "optimize" / "history.parquet")
    above = hist["x1"] > 0.6
    assert above.any() and (hist["x1"] < 0.2).any()
    assert hist.loc[above, "f2"].isna().all()  # undefined, and failed above 0.9: NaN, never 0
    assert not hist.loc[above, "feasible"].any()
    assert not hist.loc[hist["x1"] < 0.2, "feasible"].any()
    ran = hist["x1"] <= 0.9
    con = hist["constraint:f1 >= 0.2"]
    np.testing.assert_allclose(con[ran], hist.loc[ran, "x1"], atol=1e-12)
    assert con[~ran].isna().all() and (~ran).any()  # a failed run: its constraint unknown
    # the front: f2 = 1 - f1 + x2 at the lowest x2 found, for f1 in [0.2, 0.6]
    assert s.pareto["x1"].between(0.2, 0.6).all() and len(s.pareto) >= 3
    assert set(s.pareto["candidate"]) <= set(hist.loc[hist["pareto"], "candidate"])
