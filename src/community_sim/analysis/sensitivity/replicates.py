"""Replicated outputs: point × replicate matrices, their checks and noise summary.

An experiment runs every design point R times with different seeds. Analyses
read an output as a matrix ``values[point, replicate]``; from it come the
replicate mean (what the indices describe), the per-point standard deviation
(what drives variability) and the within-point variance (the noise).

A cell is either a finished run's value, a finished run whose outcome is
undefined (NaN: e.g. no hire, so no cost per hire — a property of the model at
that point, not an error), or a failed or missing run. :func:`check_finite`
tells the two kinds of NaN apart and refuses both unless the user chooses
explicitly what to do (``--drop`` or ``--impute mean``).
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
    failed: np.ndarray | None = None  # (n_points, R) True where the run failed or is missing

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

    def sd_halves(self) -> tuple[np.ndarray, np.ndarray]:
        """The s.d. target and the variance of its sampling noise, per point; needs R >= 4.

        The replicates are split into two halves of ``h = R // 2`` (an odd
        last replicate is left out) and the target is the mean of the two
        half-sample standard deviations, ``(sa + sb) / 2``. Given x, ``sa`` and
        ``sb`` are independent and identically distributed, so
        ``(sa - sb)^2 / 4`` estimates the variance of the target without bias
        and without assuming a distribution (``E[(sa - sb)^2] = 2 Var(sa)``).
        ``E[target | x] = c(h) s(x)`` with a constant ``c`` (``c4`` for normal
        noise), and Sobol' indices do not change under scaling, so the
        corrected indices of the target are those of ``s(x)``.
        """
        h = self.replicates // 2
        sa = self.values[:, :h].std(axis=1, ddof=1)
        sb = self.values[:, h : 2 * h].std(axis=1, ddof=1)
        return (sa + sb) / 2.0, (sa - sb) ** 2 / 4.0

    def is_failed(self) -> np.ndarray:
        """True where the run failed or is missing (a NaN there is not an undefined outcome)."""
        if self.failed is not None:
            return self.failed
        return self.run_ids < 0


def point_matrix(
    runs: pd.DataFrame, column: str, n_points: int, replicates: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``column`` of ``runs`` arranged as ``(n_points, replicates)`` values, run ids, failures.

    Cells with no run are NaN (value), -1 (run id) and failed; a run whose
    ``status`` is not ``ok`` is failed whatever its value.
    """
    values = np.full((n_points, replicates), np.nan)
    ids = np.full((n_points, replicates), -1, dtype=np.int64)
    failed = np.ones((n_points, replicates), dtype=bool)
    point = runs["point"].to_numpy(dtype=np.int64)
    rep = runs["replicate"].to_numpy(dtype=np.int64)
    inside = (point >= 0) & (point < n_points) & (rep >= 0) & (rep < replicates)
    col = pd.to_numeric(runs[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    values[point[inside], rep[inside]] = col[inside]
    ids[point[inside], rep[inside]] = runs["run_id"].to_numpy(dtype=np.int64)[inside]
    ok = runs["status"].to_numpy() == "ok" if "status" in runs.columns else np.ones(len(runs), bool)
    failed[point[inside], rep[inside]] = ~ok[inside]
    return values, ids, failed


def _listing(items: list[str], limit: int = 8) -> str:
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def _where(out: Replicated, mask: np.ndarray) -> str:
    """``runs 3, 8 at points 1, 4`` for the cells of ``mask``."""
    ids = sorted({int(i) for i in out.run_ids[mask]})
    missing = " (including points with no stored run)" if -1 in ids else ""
    runs = _listing([str(i) for i in ids if i >= 0]) or "none stored"
    points = _listing([str(p) for p in np.unique(np.nonzero(mask)[0])])
    return f"runs {runs} at points {points}{missing}"


IMPUTE_CHOICES = ("mean",)


def check_finite(
    outputs: Mapping[str, Replicated],
    *,
    impute: str | None = None,
    drop: bool = False,
    reasons: Mapping[str, str] | None = None,
    source: str = "runs.parquet",
) -> tuple[dict[str, Replicated], list[str]]:
    """Refuse non-finite outputs (SALib would silently return zeros), or apply the user's choice.

    Failed (or missing) runs and undefined outcomes of finished runs are told
    apart. Without a choice any NaN/inf raises a one-line UserError naming
    the output, the runs and points, and why the outcome is undefined
    (``reasons[output]``, from the model's outcome definitions). ``drop``
    leaves outputs with undefined values out of the analysis; ``impute="mean"``
    replaces every bad cell (undefined or failed) by the mean of that output's
    finite values. The returned notes record what was done, for the report.
    """
    if impute is not None and impute not in IMPUTE_CHOICES:
        raise UserError(f"unknown imputation {impute!r}; use 'mean'", source="--impute")
    if impute is not None and drop:
        raise UserError("choose one of --impute and --drop", source="--drop")
    reasons = reasons or {}
    undefined: list[str] = []
    failures: list[str] = []
    notes: list[str] = []
    fixed: dict[str, Replicated] = {}
    for name, out in outputs.items():
        bad = ~np.isfinite(out.values)
        if not bad.any():
            fixed[name] = out
            continue
        failed = bad & out.is_failed()
        nan = bad & ~failed
        why = reasons.get(name, "the model returned NaN")
        count = f"{int(nan.sum())} of {out.values.size} runs"
        if nan.any():
            undefined.append(f"{name} is undefined in {count} ({_where(out, nan)}): {why}")
        if failed.any():
            failures.append(f"{name}: {_where(out, failed)}")
        if impute == "mean":
            finite = out.values[~bad]
            if finite.size == 0:
                raise UserError(
                    f"output {name!r} has no finite value to impute from", source=source
                )
            values = np.where(bad, finite.mean(), out.values)
            fixed[name] = Replicated(name, values, out.run_ids, out.failed)
            notes.append(
                f"imputed {int(bad.sum())} value(s) of {name} with its mean {finite.mean():.6g} "
                f"({int(nan.sum())} undefined: {why}; {int(failed.sum())} failed or missing)"
            )
        elif drop and not failed.any():
            notes.append(f"left out {name}: undefined in {count} ({why}) (--drop)")
        else:
            fixed[name] = out
    if impute is None and (failures or (undefined and not drop)):
        parts = []
        if failures:
            parts.append(
                "failed or missing runs — "
                + "; ".join(failures)
                + " (see the error column); rerun the experiment to retry them"
            )
        if undefined and not drop:
            parts.append(
                "undefined outcomes — "
                + "; ".join(undefined)
                + "; pass --drop to leave these outputs out or --impute mean to fill them "
                "(either is recorded in the report)"
            )
        raise UserError("; ".join(parts), source=source)
    if not fixed:
        raise UserError(
            "every output was left out as undefined (--drop); nothing to analyse", source=source
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
