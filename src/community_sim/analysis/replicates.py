"""Replicated outputs: point × replicate matrices, their checks and noise summary.

An experiment runs every design point R times with different seeds. Analyses
read an output as a matrix ``values[point, replicate]``; from it come the
replicate mean (what the indices describe), the per-point standard deviation
(what drives variability) and the within-point variance (the noise).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from community_sim.errors import UserError


@dataclass(frozen=True)
class Replicated:
    """One output at every design point: ``values[point, replicate]``."""

    name: str
    values: np.ndarray  # (n_points, R) floats
    run_ids: np.ndarray  # (n_points, R) run ids, -1 where no run was stored

    @property
    def replicates(self) -> int:
        return int(self.values.shape[1])

    def mean(self) -> np.ndarray:
        """Replicate mean per point."""
        return self.values.mean(axis=1)

    def sd(self) -> np.ndarray:
        """Sample standard deviation (ddof=1) across replicates per point; needs R >= 2."""
        return self.values.std(axis=1, ddof=1)

    def noise_of_mean(self) -> np.ndarray:
        """Unbiased estimate of the variance of each point's mean, ``s2/R``."""
        return self.values.var(axis=1, ddof=1) / self.replicates


def point_matrix(
    runs: pd.DataFrame, column: str, n_points: int, replicates: int
) -> tuple[np.ndarray, np.ndarray]:
    """``column`` of ``runs`` arranged as ``(n_points, replicates)`` values and run ids.

    Cells with no run are NaN (value) and -1 (run id), so that the finiteness
    check reports them with the failed runs.
    """
    values = np.full((n_points, replicates), np.nan)
    ids = np.full((n_points, replicates), -1, dtype=np.int64)
    point = runs["point"].to_numpy(dtype=np.int64)
    rep = runs["replicate"].to_numpy(dtype=np.int64)
    inside = (point >= 0) & (point < n_points) & (rep >= 0) & (rep < replicates)
    col = pd.to_numeric(runs[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    values[point[inside], rep[inside]] = col[inside]
    ids[point[inside], rep[inside]] = runs["run_id"].to_numpy(dtype=np.int64)[inside]
    return values, ids


def _listing(items: list[str], limit: int = 8) -> str:
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def check_finite(
    outputs: Mapping[str, Replicated], *, impute: str | None = None, source: str = "runs.parquet"
) -> tuple[dict[str, Replicated], list[str]]:
    """Refuse non-finite outputs (SALib would silently return zeros), or impute them.

    Without ``impute`` any NaN/inf raises a one-line UserError naming the
    outputs, runs and points. With ``impute="mean"`` each bad cell takes the
    mean of that output's finite values; the returned notes say how many.
    """
    if impute not in (None, "mean"):
        raise UserError(f"unknown imputation {impute!r}; use 'mean'", source="--impute")
    bad: list[str] = []
    notes: list[str] = []
    fixed: dict[str, Replicated] = {}
    for name, out in outputs.items():
        mask = ~np.isfinite(out.values)
        if not mask.any():
            fixed[name] = out
            continue
        points = np.unique(np.nonzero(mask)[0])
        ids = sorted({int(i) for i in out.run_ids[mask]})
        missing = " (including points with no stored run)" if -1 in ids else ""
        run_text = _listing([str(i) for i in ids if i >= 0]) or "none stored"
        pts = _listing([str(p) for p in points])
        bad.append(f"{name}: runs {run_text} at points {pts}{missing}")
        if impute == "mean":
            finite = out.values[~mask]
            if finite.size == 0:
                raise UserError(
                    f"output {name!r} has no finite value to impute from", source=source
                )
            values = np.where(mask, finite.mean(), out.values)
            fixed[name] = Replicated(name, values, out.run_ids)
            notes.append(
                f"imputed {int(mask.sum())} non-finite value(s) of {name} with its mean "
                f"{finite.mean():.6g} (runs {run_text})"
            )
    if bad and impute is None:
        raise UserError(
            "non-finite outputs (failed runs or NaN results) — "
            + "; ".join(bad)
            + "; rerun or fix them, or pass --impute mean",
            source=source,
        )
    return fixed, notes


def noise_summary(out: Replicated) -> dict[str, float | int | str]:
    """Share of a single run's output variance that is replicate noise.

    ``within_var`` is the mean over points of the per-point sample variance
    (an unbiased estimate of ``E[Var(Y|x)]``); ``total_var`` the sample
    variance of all runs; ``noise_share = within_var / total_var`` (law of total
    variance: ``Var(Y) = Var(E[Y|x]) + E[Var(Y|x)]``). NaN when R = 1.
    """
    total = float(np.var(out.values, ddof=1)) if out.values.size > 1 else float("nan")
    if out.replicates < 2:
        within = float("nan")
    else:
        within = float(out.values.var(axis=1, ddof=1).mean())
    share = within / total if total > 0 else float("nan")
    return {
        "output": out.name,
        "replicates": out.replicates,
        "noise_share": share,
        "total_var": total,
        "within_var": within,
    }
