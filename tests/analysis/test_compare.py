"""Paired policy comparison: means, CIs, paired differences and effect sizes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from community_sim.analysis.compare import (
    format_comparison,
    paired_differences,
    paired_table,
    policy_summary,
)


def _runs(n: int = 40, shift: float = 0.5, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    common = rng.normal(10, 3, n)  # the shared part of each replicate (common random numbers)
    rows = []
    for rep in range(n):
        for pol, extra in (("project", 0.0), ("integrated", shift)):
            y = common[rep] + extra + rng.normal(0, 0.1)
            rows.append({"point": 0, "replicate": rep, "policy": pol, "status": "ok", "y": y})
    return pd.DataFrame(rows)


def test_summary_mean_and_t_interval():
    runs = _runs()
    s = policy_summary(runs, ["y"])
    row = s[(s.policy == "project")].iloc[0]
    x = runs.loc[runs.policy == "project", "y"].to_numpy()
    half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
    assert row["mean"] == pytest.approx(x.mean())
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((x.mean() - half, x.mean() + half))
    assert s.policy.tolist() == ["project", "integrated"] and (s.n == 40).all()


def test_pairing_removes_common_noise():
    runs = _runs(shift=0.5)
    d = paired_differences(runs, ["y"], baseline="project").iloc[0]
    assert d["policy"] == "integrated" and d["n_pairs"] == 40
    assert d["ci_low"] < 0.5 < d["ci_high"]
    # the unpaired spread is ~3; the paired one ~0.14, so the CI is narrow
    assert d["ci_high"] - d["ci_low"] < 0.2
    assert d["effect_size"] == pytest.approx(d["mean_diff"] / d["sd_diff"])
    assert d["p_value"] < 1e-6


def test_failed_runs_drop_their_pair():
    runs = _runs(n=10)
    runs.loc[(runs.replicate == 3) & (runs.policy == "integrated"), "status"] = "failed"
    t = paired_table(runs, ["y"], baseline="project")
    assert len(t) == 9 and 3 not in t.replicate.tolist()


def test_by_groups_and_text():
    a, b = _runs(n=8, shift=1.0), _runs(n=8, shift=-1.0, seed=1)
    b["point"] = 1
    runs = pd.concat([a.assign(regime="fast"), b.assign(regime="slow")], ignore_index=True)
    d = paired_differences(runs, ["y"], by=["regime"])
    assert d.set_index("regime")["mean_diff"].round().to_dict() == {"fast": 1.0, "slow": -1.0}
    text = format_comparison(policy_summary(a, ["y"]), paired_differences(a, ["y"]))
    assert "integrated − project" in text and "95% CI" in text
