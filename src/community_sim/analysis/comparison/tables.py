"""The comparison tables of ``DIR/analysis/``: policy means and paired differences."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from community_sim.analysis.comparison import compare as cmp


def saltelli_block(manifest: Mapping[str, Any]) -> int:
    """Points per Saltelli base row (``D + 2`` or ``2D + 2``); 1 for any other design."""
    d = manifest.get("design") or {}
    if d.get("kind") != "sobol" or d.get("emulator") is not None:
        return 1
    dim = len(d.get("parameters") or [])
    return 2 * dim + 2 if d.get("second_order") else dim + 2


def compare_tables(
    runs: pd.DataFrame,
    outcomes: list[str],
    compare: Sequence[str],
    design: pd.DataFrame,
    *,
    base_row: int = 1,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Policy means and paired differences (:mod:`.compare`) in the store's table shape.

    ``comparison``: ``output, policy, scenario, n, mean, ci_low, ci_high,
    n_undefined, n_points, ci_method``; ``paired``: ``output, contrast,
    scenario, n, mean_diff, ci_low, ci_high, effect_size, n_undefined,
    n_points, ci_method`` with ``contrast = "<policy>-<baseline>"`` (baseline:
    the first policy of ``compare``) and Cohen's d_z as the effect size. ``n``
    counts runs (pairs) whose outcome is defined; ``n_undefined`` those left
    out because it is NaN; ``ci_method`` says how the CI treats replicates
    that share a design point (:func:`.compare.design_interval`). Without
    named scenarios (a ``scenario`` column of the design) every run counts in
    scenario ``all``.

    ``base_row`` > 1: the design is a Saltelli sample whose base rows are
    blocks of that many consecutive points (:func:`saltelli_block`); the CIs
    are then over base-row means, the design's independent units.
    """
    frame = runs.copy()
    if base_row > 1:
        frame["cluster"] = frame["point"].to_numpy() // base_row
    if "scenario" in design.columns:
        names = design.set_index("point")["scenario"]
        frame["scenario"] = frame["point"].map(names).astype(str)
    else:
        frame["scenario"] = "all"
    if frame["policy"].isna().all():
        frame["policy"] = "-"
    by = ("scenario",)
    summary = cmp.policy_summary(frame, outcomes, by=by)
    comparison = pd.DataFrame(
        {
            "output": summary.get("outcome", pd.Series(dtype=str)),
            "policy": summary.get("policy", pd.Series(dtype=str)),
            "scenario": summary.get("scenario", pd.Series(dtype=str)),
            "n": summary.get("n", pd.Series(dtype=int)),
            "mean": summary.get("mean", pd.Series(dtype=float)),
            "ci_low": summary.get("ci_low", pd.Series(dtype=float)),
            "ci_high": summary.get("ci_high", pd.Series(dtype=float)),
            "n_undefined": summary.get("n_undefined", pd.Series(dtype=int)),
            "n_points": summary.get("n_points", pd.Series(dtype=int)),
            "ci_method": summary.get("ci_method", pd.Series(dtype=str)),
        }
    )
    columns = ["output", "contrast", "scenario", "n", "mean_diff", "ci_low", "ci_high"]
    extra = ["effect_size", "n_undefined", "n_points", "ci_method"]
    if len(compare) < 2:
        return comparison, pd.DataFrame(columns=[*columns, *extra])
    diffs = cmp.paired_differences(frame, outcomes, baseline=compare[0], by=by)
    paired = pd.DataFrame(
        {
            "output": diffs["outcome"],
            "contrast": diffs["policy"].astype(str) + "-" + diffs["baseline"].astype(str),
            "scenario": diffs["scenario"],
            "n": diffs["n_pairs"],
            "mean_diff": diffs["mean_diff"],
            "ci_low": diffs["ci_low"],
            "ci_high": diffs["ci_high"],
            "effect_size": diffs["effect_size"],
            "n_undefined": diffs["n_undefined"],
            "n_points": diffs["n_points"],
            "ci_method": diffs["ci_method"],
        }
    )
    return comparison, paired


def comparison_text(
    comparison: pd.DataFrame,
    paired: pd.DataFrame | None,
    baseline: str,
    units: Mapping[str, str] | None = None,
) -> str:
    """The stored ``comparison`` and ``paired`` tables as plain text, one block per outcome.

    The tables are those :func:`~community_sim.analysis.api.analyze_experiment`
    wrote; with several named scenarios each policy is labelled with its scenario.
    """
    several = comparison["scenario"].nunique() > 1

    def label(policy: pd.Series, scenario: pd.Series) -> pd.Series:
        return policy.astype(str) + (" [" + scenario.astype(str) + "]" if several else "")

    summary = comparison.rename(columns={"output": "outcome"})
    summary["policy"] = label(summary["policy"], summary["scenario"])
    diffs = pd.DataFrame(columns=["outcome"])
    if paired is not None and len(paired):
        diffs = paired.rename(columns={"output": "outcome", "n": "n_pairs"})
        diffs["baseline"] = baseline
        policy = diffs["contrast"].str.removesuffix(f"-{baseline}")
        diffs["policy"] = label(policy, diffs["scenario"])
    head = f"Policy comparison (common random numbers; paired differences to {baseline})\n"
    return head + cmp.format_comparison(summary, diffs, units)
