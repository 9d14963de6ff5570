"""From a store's tables to what the analysis reads: the design and the outputs.

Outputs are the scalar outcomes in ``runs.parquet``. Without ``compare`` each
outcome is one output. With ``compare = [p0, p1, ...]`` every design point
runs under each policy with the same seed, and the outputs are

- ``<outcome>@<policy>`` — the outcome under one policy;
- ``diff:<outcome>`` — the paired difference ``p1 - p0`` run by run (same
  point, replicate and seed); with more than two policies one per contrast,
  ``diff:<pk>-<p0>:<outcome>``. The difference is what decides between
  policies, so its indices say which conditions decide the comparison.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from community_sim.analysis.sensitivity.design import DesignInfo, design_matrix
from community_sim.analysis.sensitivity.replicates import Replicated, point_matrix
from community_sim.errors import UserError, did_you_mean

META_COLUMNS = frozenset(
    {"run_id", "point", "replicate", "policy", "seed", "status", "error", "duration_s", "scenario"}
)


def design_info(manifest: Mapping[str, Any], design: pd.DataFrame, source: str) -> DesignInfo:
    """The design summary from the manifest and the points from ``design.parquet``."""
    summary = manifest.get("design") or {}
    kind = summary.get("kind")
    if not kind:
        raise UserError("manifest has no design kind; the store is incomplete", source=source)
    factors = list(summary.get("parameters") or [])
    names = tuple(f["name"] for f in factors)
    frame = design.copy()
    for f in factors:
        # categorical factors: code each value by its position (monotone in the unit draw)
        if f.get("kind") == "cat" and f["name"] in frame.columns:
            codes = {v: i for i, v in enumerate(f.get("values") or [])}
            frame[f["name"]] = frame[f["name"]].map(codes).astype(float)
    X = design_matrix(frame, names, source) if names else np.empty((len(frame), 0))
    bounds = tuple(
        (float(np.min(X[:, j])), float(np.max(X[:, j]))) if len(X) else (0.0, 1.0)
        for j in range(len(names))
    )
    emulator = summary.get("emulator")
    declared = (summary.get("problem") or {}).get("bounds")
    if emulator and declared:
        # the emulator maps each input to the unit cube by its declared range, not the sample's
        bounds = tuple((float(lo), float(hi)) for lo, hi in declared)
    trajectories = summary.get("optimal_trajectories") or summary.get("trajectories")
    return DesignInfo(
        kind=str(kind),
        names=names,
        bounds=bounds,
        X=X,
        n_base=summary.get("N"),
        second_order=bool(summary.get("second_order", False)),
        levels=summary.get("levels"),
        trajectories=int(trajectories) if trajectories else None,
        fast_m=int(summary.get("M") or 4),
        emulator=str(emulator) if emulator else None,
        min_q2=float(summary.get("min_q2", 0.9)),
    )


def outcome_columns(runs: pd.DataFrame, manifest: Mapping[str, Any]) -> list[str]:
    """The scalar outcome columns of ``runs``: numeric columns that are not inputs."""
    listed = manifest.get("outcomes") or manifest.get("outputs")
    if isinstance(listed, Mapping):
        listed = listed.get("scalars")
    if isinstance(listed, list) and listed and all(c in runs.columns for c in listed):
        return [str(c) for c in listed]
    inputs = set(manifest.get("parameters") or [])
    summary = manifest.get("design") or {}
    inputs |= {f["name"] for f in summary.get("parameters") or []}
    spec = manifest.get("spec") or {}
    inputs |= set((spec.get("overrides") or {}).keys())
    try:
        from community_sim.params import PARAMS

        inputs |= set(PARAMS)
    except ImportError:  # pragma: no cover - params is part of the package
        pass
    return [
        c
        for c in runs.columns
        if c not in META_COLUMNS and c not in inputs and pd.api.types.is_numeric_dtype(runs[c])
    ]


def contrasts(compare: Sequence[str]) -> list[tuple[str, str]]:
    """``(policy, baseline)`` pairs: every compared policy against the first."""
    return [(p, compare[0]) for p in compare[1:]]


def contrast_name(outcome: str, policy: str, baseline: str, n_contrasts: int) -> str:
    if n_contrasts == 1:
        return f"diff:{outcome}"
    return f"diff:{policy}-{baseline}:{outcome}"


def build_outputs(
    runs: pd.DataFrame,
    outcomes: Sequence[str],
    compare: Sequence[str],
    n_points: int,
    replicates: int,
) -> dict[str, Replicated]:
    """Every analysable output as a point × replicate matrix (see the module docstring)."""
    outputs: dict[str, Replicated] = {}
    if len(compare) < 2:
        for name in outcomes:
            outputs[name] = Replicated(name, *point_matrix(runs, name, n_points, replicates))
        return outputs
    by_policy = {p: runs[runs["policy"] == p] for p in compare}
    pairs = contrasts(compare)
    for name in outcomes:
        mats = {p: point_matrix(by_policy[p], name, n_points, replicates) for p in compare}
        for p in compare:
            outputs[f"{name}@{p}"] = Replicated(f"{name}@{p}", *mats[p])
        for p, base in pairs:
            (v1, i1, f1), (v0, i0, f0) = mats[p], mats[base]
            # a difference is bad if either run is; name the bad run (or the other one)
            ids = np.where(f1 | ~np.isfinite(v1), i1, i0)
            label = contrast_name(name, p, base, len(pairs))
            outputs[label] = Replicated(label, v1 - v0, ids, f1 | f0)
    return outputs


def base_outcome(output: str) -> str:
    """The outcome an output is made of: ``diff:x``, ``diff:p-b:x`` and ``x@p`` give ``x``."""
    if output.startswith("diff:"):
        return output.rsplit(":", 1)[-1]
    return output.split("@")[0]


def undefined_reasons(outputs: Sequence[str], manifest: Mapping[str, Any]) -> dict[str, str]:
    """Why each output can be NaN: the store's ``undefined_when`` (from the model's definitions).

    Manifests written before that key existed fall back to the community
    model's :data:`community_sim.metrics.OUTCOMES`.
    """
    when = dict(manifest.get("undefined_when") or {})
    if not when and manifest.get("model") == "community":
        from community_sim.metrics import OUTCOMES

        when = {k: o.undefined for k, o in OUTCOMES.items() if o.undefined}
    reasons: dict[str, str] = {}
    for name in outputs:
        text = when.get(base_outcome(name))
        if not text:
            continue
        reasons[name] = (
            f"undefined under either policy when {text}"
            if name.startswith("diff:")
            else f"undefined when {text}"
        )
    return reasons


def _is_diff_of(output: str, outcome: str) -> bool:
    return output.startswith("diff:") and output.rsplit(":", 1)[-1] == outcome


def select_outputs(
    outputs: dict[str, Replicated], wanted: Sequence[str] | None, source: str = "--outputs"
) -> dict[str, Replicated]:
    """The outputs named in ``wanted`` (an outcome name selects all its variants)."""
    if not wanted:
        return outputs
    chosen: dict[str, Replicated] = {}
    for w in wanted:
        hits = [k for k in outputs if w in (k, k.split("@")[0]) or _is_diff_of(k, w)]
        if not hits:
            raise UserError(
                f"no output {w!r}{did_you_mean(w, outputs)}; available: {', '.join(outputs)}",
                source=source,
            )
        chosen.update({k: outputs[k] for k in hits})
    return chosen
