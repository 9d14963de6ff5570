"""``analyze_experiment(DIR)``: read a store, analyse it, write ``DIR/analysis/``.

The design summary (kind, N, second-order flag, Morris levels and
trajectories, parameter names) comes from the store's manifest and the points
from ``design.parquet`` in sample order — never re-typed by the user.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from community_sim.analysis import IMPLIED_METHOD
from community_sim.analysis.core import AnalysisTables, analyze_outputs
from community_sim.analysis.outputs import (
    build_outputs,
    design_info,
    outcome_columns,
    select_outputs,
    undefined_reasons,
)
from community_sim.analysis.report import paired_lines, render_report
from community_sim.analysis.tables import (
    comparison_latex,
    indices_latex,
    morris_latex,
    paired_latex,
)
from community_sim.errors import UserError

log = logging.getLogger(__name__)

ANALYSIS_DIR = "analysis"


@dataclass
class AnalysisSummary:
    """What one ``analyze`` call produced."""

    directory: Path
    method: str | None
    files: list[Path] = field(default_factory=list)
    report: str = ""
    tables: AnalysisTables | None = None


def implied_method(manifest: dict[str, Any]) -> str | None:
    """The method a design implies (sobol, morris, fast), or None."""
    return IMPLIED_METHOD.get(str((manifest.get("design") or {}).get("kind")))


def _atomic_write(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


def _write(df: pd.DataFrame, folder: Path, stem: str, files: list[Path], latex: str | None) -> None:
    """Write ``stem`` as Parquet, CSV (and LaTeX); each file replaced atomically."""
    targets = [
        (folder / f"{stem}.parquet", lambda p: df.to_parquet(p, index=False)),
        (folder / f"{stem}.csv", lambda p: df.to_csv(p, index=False)),
    ]
    if latex is not None:
        targets.append((folder / f"{stem}.tex", lambda p: p.write_text(latex, encoding="utf-8")))
    for path, write in targets:
        _atomic_write(path, write)
        files.append(path)


def _merge_method(old_path: Path, new: pd.DataFrame, method: str) -> pd.DataFrame:
    """Rows of other methods already on disk are kept; this method's are replaced."""
    if not old_path.is_file():
        return new
    old = pd.read_parquet(old_path)
    if "method" not in old.columns:
        return new
    kept = old[old["method"] != method]
    return pd.concat([kept, new], ignore_index=True) if len(kept) else new


def compare_tables(
    runs: pd.DataFrame,
    outcomes: list[str],
    compare: Sequence[str],
    design: pd.DataFrame,
    *,
    base_row: int = 1,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Policy means and paired differences (``analysis.compare``) in the store's table shape.

    ``comparison``: ``output, policy, scenario, n, mean, ci_low, ci_high,
    n_undefined, n_points, ci_method``; ``paired``: ``output, contrast,
    scenario, n, mean_diff, ci_low, ci_high, effect_size, n_undefined,
    n_points, ci_method`` with ``contrast = "<policy>-<baseline>"`` (baseline:
    the first policy of ``compare``) and Cohen's d_z as the effect size. ``n``
    counts runs (pairs) whose outcome is defined; ``n_undefined`` those left
    out because it is NaN; ``ci_method`` says how the CI treats replicates
    that share a design point (``analysis.compare.design_interval``). Without
    named scenarios (a ``scenario`` column of the design) every run counts in
    scenario ``all``.

    ``base_row`` > 1: the design is a Saltelli sample whose base rows are
    blocks of that many consecutive points (:func:`saltelli_block`); the CIs
    are then over base-row means, the design's independent units.
    """
    from community_sim.analysis import compare as cmp

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


def saltelli_block(manifest: Mapping[str, Any]) -> int:
    """Points per Saltelli base row (``D + 2`` or ``2D + 2``); 1 for any other design."""
    d = manifest.get("design") or {}
    if d.get("kind") != "sobol" or d.get("emulator") is not None:
        return 1
    dim = len(d.get("parameters") or [])
    return 2 * dim + 2 if d.get("second_order") else dim + 2


def _refers_to(output: str, outcome: str) -> bool:
    return (
        output in (outcome, f"diff:{outcome}")
        or output.split("@")[0] == outcome
        or (output.startswith("diff:") and output.rsplit(":", 1)[-1] == outcome)
    )


def analyze_experiment(
    directory: str | Path,
    *,
    method: str | None = None,
    outputs: Sequence[str] | None = None,
    impute: str | None = None,
    drop: bool = False,
    seed: int = 0,
) -> AnalysisSummary:
    """Analyse the experiment stored in ``directory``; write tables and ``report.txt``.

    ``method`` defaults to the one the design implies. Undefined (NaN)
    outcomes stop the analysis unless ``drop`` (leave those outputs out) or
    ``impute="mean"``; either choice is recorded in the report. Experiments with
    ``compare`` (or a scenarios design) also get ``comparison`` and ``paired``
    tables. Raises UserError for anything the user can fix.
    """
    from community_sim.experiment import load_results

    folder = Path(directory)
    results = load_results(folder)
    manifest: dict[str, Any] = dict(results.manifest)
    source = str(folder / "runs.parquet")
    info = design_info(manifest, results.design, str(folder / "design.parquet"))
    compare = [str(p) for p in manifest.get("compare") or []]
    runs = results.runs
    outcomes = outcome_columns(runs, manifest)
    replicates = int(manifest.get("replicates") or runs["replicate"].max() + 1)
    all_outputs = build_outputs(runs, outcomes, compare, info.n_points, replicates)
    selected = select_outputs(all_outputs, outputs)
    outcomes = [o for o in outcomes if any(_refers_to(k, o) for k in selected)]
    chosen = method or implied_method(manifest)
    comparative = len(compare) >= 2 or info.kind == "scenarios"
    if chosen is None and not comparative:
        raise UserError(
            f"a {info.kind} design implies no sensitivity method; pass --method pawn or delta",
            source=str(folder),
        )
    # compute before writing anything, so a refused analysis leaves the old tables intact
    t = None
    if chosen is not None:
        t = analyze_outputs(
            info,
            selected,
            chosen,
            seed=seed,
            impute=impute,
            drop=drop,
            reasons=undefined_reasons(list(selected), manifest),
            deterministic=manifest.get("deterministic"),
            source=source,
        )
    out_dir = folder / ANALYSIS_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = AnalysisSummary(out_dir, chosen)
    extra: list[str] = []
    paired: pd.DataFrame | None = None
    if comparative:
        comparison, paired = compare_tables(
            runs, outcomes, compare, results.design, base_row=saltelli_block(manifest)
        )
        _write(comparison, out_dir, "comparison", summary.files, comparison_latex(comparison))
        if len(paired):
            _write(paired, out_dir, "paired", summary.files, paired_latex(paired))
        extra.append(
            f"policy comparison of {comparison['output'].nunique()} outcome(s) in the "
            "comparison and paired tables (pairs share a seed)"
        )
    if chosen is None or t is None:
        summary.report = "\n".join(
            [
                f"Policy comparison of {folder}",
                *extra,
                *paired_lines(paired),
                "No sensitivity method applies.",
                "",
            ]
        )
        _atomic_write(out_dir / "report.txt", lambda p: p.write_text(summary.report, "utf-8"))
        summary.files.append(out_dir / "report.txt")
        return summary

    summary.tables = t
    if t.indices is not None:
        merged = _merge_method(out_dir / "indices.parquet", t.indices, chosen)
        _write(merged, out_dir, "indices", summary.files, indices_latex(t.indices, chosen))
    if t.s2 is not None:
        _write(t.s2, out_dir, "sobol_s2", summary.files, None)
    if t.morris is not None:
        _write(t.morris, out_dir, "morris", summary.files, morris_latex(t.morris))
    if t.convergence is not None:
        merged = _merge_method(out_dir / "convergence.parquet", t.convergence, chosen)
        _write(merged, out_dir, "convergence", summary.files, None)
    _write(t.noise, out_dir, "noise", summary.files, None)
    if t.emulator is not None:
        _write(t.emulator, out_dir, "emulator", summary.files, None)
    summary.report = render_report(t, source=str(folder), extra=extra, paired=paired)
    _atomic_write(out_dir / "report.txt", lambda p: p.write_text(summary.report, "utf-8"))
    summary.files.append(out_dir / "report.txt")
    if t.warnings:
        log.warning("%d warning(s); see %s", len(t.warnings), out_dir / "report.txt")
    return summary


def auto_analyze(directory: str | Path) -> str | None:
    """Analyse a just-finished experiment if its design implies a method.

    Returns a one-line summary for the ``run`` command, or None when the design
    implies no method. Problems (e.g. failed runs) do not undo the run: they
    come back as a line saying why the analysis was skipped.
    """
    from community_sim.experiment import load_results

    manifest = load_results(directory).manifest
    method = implied_method(manifest)
    if method is None:
        return None
    try:
        summary = analyze_experiment(directory)
    except UserError as exc:
        return f"analysis ({method}) skipped: {exc}"
    n_warn = len(summary.tables.warnings) if summary.tables else 0
    return (
        f"analysis ({method}): {len(summary.files)} files in {summary.directory}, "
        f"{n_warn} warning(s) — see report.txt"
    )
