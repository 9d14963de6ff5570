"""Paired policy comparison: means, CIs, paired differences and effect sizes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from community_sim.analysis.comparison.compare import (
    design_interval,
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


def test_summary_interval_matches_scipy():
    runs = _runs()
    s = policy_summary(runs, ["y"])
    row = s[(s.policy == "project")].iloc[0]
    x = runs.loc[runs.policy == "project", "y"].to_numpy()
    ci = stats.ttest_1samp(x, 0.0).confidence_interval(0.95)
    assert row["mean"] == pytest.approx(x.mean())
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((ci.low, ci.high))
    assert s.policy.tolist() == ["project", "integrated"] and (s.n == 40).all()
    assert (s.ci_method == "t over runs").all()  # one design point: replicates are independent


def test_pairing_removes_common_noise_and_matches_scipy_paired_t():
    runs = _runs(shift=0.5)
    d = paired_differences(runs, ["y"], baseline="project").iloc[0]
    assert d["policy"] == "integrated" and d["n_pairs"] == 40
    assert d["ci_low"] < 0.5 < d["ci_high"]
    # the unpaired spread is ~3; the paired one ~0.14, so the CI is narrow
    assert d["ci_high"] - d["ci_low"] < 0.2
    a = runs[runs.policy == "integrated"].sort_values("replicate")["y"].to_numpy()
    b = runs[runs.policy == "project"].sort_values("replicate")["y"].to_numpy()
    ref = stats.ttest_rel(a, b)
    ci = ref.confidence_interval(0.95)
    assert (d["ci_low"], d["ci_high"]) == pytest.approx((ci.low, ci.high))
    assert d["p_value"] == pytest.approx(ref.pvalue)


def test_effect_size_known_answer():
    # differences 1..5: mean 3, SD sqrt(2.5), so d_z = 3 / sqrt(2.5) (Lakens 2013, eq. 6)
    rows = [
        {"point": 0, "replicate": r, "policy": p, "status": "ok", "y": v}
        for r in range(5)
        for p, v in (("project", 10.0 * r), ("integrated", 10.0 * r + r + 1.0))
    ]
    d = paired_differences(pd.DataFrame(rows), ["y"]).iloc[0]
    assert d["mean_diff"] == pytest.approx(3.0)
    assert d["effect_size"] == pytest.approx(3.0 / np.sqrt(2.5))


def _clustered(rng: np.random.Generator, points: int, reps: int) -> tuple[np.ndarray, np.ndarray]:
    """Differences whose true mean over the design is 0, correlated within a point."""
    effect = rng.normal(0.0, 1.0, points)  # each point's own policy gap
    point = np.repeat(np.arange(points), reps)
    return effect[point] + rng.normal(0.0, 1.0, point.size), point


@pytest.mark.slow
def test_paired_ci_over_design_points_has_nominal_coverage():
    # Monte Carlo with a known answer (true mean difference 0). Replicates share
    # their point's gap (intra-class correlation 0.5, 5 replicates: design effect
    # 3), so a t interval over all pairs covers only ~74%; over point means, 95%.
    rng = np.random.default_rng(11)
    trials, points, reps = 1000, 12, 5
    hits = naive = 0
    for _ in range(trials):
        d, point = _clustered(rng, points, reps)
        iv = design_interval(d, point)
        assert iv.method == "t over point means" and iv.n_points == points
        hits += iv.ci_low <= 0.0 <= iv.ci_high
        ci = stats.ttest_1samp(d, 0.0).confidence_interval(0.95)
        naive += ci.low <= 0.0 <= ci.high
    assert hits / trials == pytest.approx(0.95, abs=0.02)
    assert naive / trials < 0.85


def test_paired_differences_cluster_by_point_as_scipy_on_point_means():
    d, point = _clustered(np.random.default_rng(3), 6, 4)
    rows = []
    for k, (v, pt) in enumerate(zip(d, point, strict=True)):
        rep = k % 4
        rows.append({"point": pt, "replicate": rep, "policy": "project", "y": 0.0})
        rows.append({"point": pt, "replicate": rep, "policy": "integrated", "y": v})
    runs = pd.DataFrame(rows).assign(status="ok")
    row = paired_differences(runs, ["y"]).iloc[0]
    means = pd.Series(d).groupby(point).mean().to_numpy()
    ref = stats.ttest_1samp(means, 0.0)
    ci = ref.confidence_interval(0.95)
    assert row["ci_method"] == "t over point means" and row["n_points"] == 6
    assert row["n_pairs"] == 24
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((ci.low, ci.high))
    assert row["p_value"] == pytest.approx(ref.pvalue)


def test_undefined_outcomes_are_left_out_and_counted():
    runs = _runs(n=10)
    undefined = (runs.replicate < 3) & (runs.policy == "integrated")
    runs.loc[undefined, "y"] = np.nan
    s = policy_summary(runs, ["y"]).set_index("policy")
    kept = runs.loc[(runs.policy == "integrated") & ~undefined, "y"]
    assert s.loc["integrated", "n"] == 7 and s.loc["integrated", "n_undefined"] == 3
    assert s.loc["integrated", "mean"] == pytest.approx(kept.mean())
    t = paired_table(runs, ["y"], baseline="project")
    assert len(t) == 10 and t["y"].isna().sum() == 3  # the pair exists; its difference is NaN
    d = paired_differences(runs, ["y"]).iloc[0]
    assert d["n_pairs"] == 7 and d["n_undefined"] == 3
    assert "(3 undefined)" in format_comparison(
        policy_summary(runs, ["y"]), paired_differences(runs, ["y"])
    )


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
