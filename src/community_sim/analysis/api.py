"""``analyze_experiment(DIR)``: read a store, analyse it, write ``DIR/analysis/``.

The design summary (kind, N, second-order flag, Morris levels and
trajectories, parameter names) comes from the store's manifest and the points
from ``design.parquet`` in sample order — never re-typed by the user.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from community_sim.analysis import IMPLIED_METHOD
from community_sim.analysis.comparison.by_condition import (
    ByCondition,
    analyze_by,
    by_condition_latex,
    default_conditions,
    table_stem,
)
from community_sim.analysis.comparison.tables import compare_tables, saltelli_block
from community_sim.analysis.outputs import (
    build_outputs,
    design_info,
    outcome_columns,
    select_outputs,
    undefined_reasons,
)
from community_sim.analysis.record import OtherOutputs, check_replaces, write_record
from community_sim.analysis.report import paired_lines, render_report
from community_sim.analysis.tables import (
    comparison_latex,
    indices_latex,
    morris_latex,
    paired_latex,
)
from community_sim.errors import UserError
from community_sim.experiment.completeness import completeness

if TYPE_CHECKING:
    from community_sim.analysis.sensitivity.core import AnalysisTables

log = logging.getLogger(__name__)

ANALYSIS_DIR = "analysis"
TREES = "trees"  # feature scoring (analysis.sensitivity.trees), not a variance method


@dataclass
class AnalysisSummary:
    """What one ``analyze`` call produced."""

    directory: Path
    method: str | None
    files: list[Path] = field(default_factory=list)
    report: str = ""
    tables: AnalysisTables | None = None
    comparison: pd.DataFrame | None = None  # the tables as written, for printing
    paired: pd.DataFrame | None = None
    by: list[ByCondition] = field(default_factory=list)  # answers by condition


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
    sensitivity: bool = True,
    by: Sequence[str] = (),
    bins: int = 4,
    force: bool = False,
) -> AnalysisSummary:
    """Analyse the experiment stored in ``directory``; write tables and ``report.txt``.

    ``method`` defaults to the one the design implies. Undefined (NaN)
    outcomes stop the analysis unless ``drop`` (leave those outputs out) or
    ``impute="mean"``; either choice is recorded in the report. Experiments with
    ``compare`` (or a scenarios design) also get ``comparison`` and ``paired``
    tables; ``sensitivity=False`` writes those alone. ``by`` names parameters
    whose levels (crossed; a sample's continuous ones in ``bins`` quantile
    bins) get the paired differences and their DiD (``by_*``,
    ``interaction_*``); a grid gets one pair of tables per parameter without
    it. Tables stored for other outputs are replaced only with ``force``
    (:mod:`.record`). Raises UserError for anything the user can fix.
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
    previous, replace = check_replaces(folder / ANALYSIS_DIR, list(selected), force)
    done = completeness(folder, manifest, runs)
    chosen = (method or implied_method(manifest)) if sensitivity else None
    comparative = len(compare) >= 2 or info.kind == "scenarios"
    groups = [list(by)] if by else default_conditions(manifest, results.design)
    units = _units(manifest)
    answers = [
        analyze_by(runs, outcomes, results.design, manifest, g, bins=bins, units=units)
        for g in groups
    ]
    if chosen is None and not comparative:
        raise UserError(
            f"a {info.kind} design implies no sensitivity method; pass --method pawn or delta",
            source=str(folder),
        )
    # compute before writing anything, so a refused analysis leaves the old tables intact
    t = None
    scores: tuple[pd.DataFrame, list[str]] | None = None
    if chosen == TREES:  # feature scoring works on any design, runs with NaN left out
        from community_sim.analysis.sensitivity.trees import feature_scores

        scores = feature_scores(info, selected, seed=seed)
    elif chosen is not None:
        # SciPy's and SALib's estimators load only when there is a method to run
        from community_sim.analysis.sensitivity.core import analyze_outputs

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
        summary.comparison, summary.paired = comparison, paired
        _write(comparison, out_dir, "comparison", summary.files, comparison_latex(comparison))
        if len(paired):
            _write(paired, out_dir, "paired", summary.files, paired_latex(paired))
        extra.append(
            f"policy comparison of {comparison['output'].nunique()} outcome(s) in the "
            "comparison and paired tables (pairs share a seed)"
        )
    for a in answers:
        latex = by_condition_latex(a.table, a.conditions)
        _write(a.table, out_dir, table_stem("by", a.names), summary.files, latex)
        _write(a.interaction, out_dir, table_stem("interaction", a.names), summary.files, None)
    summary.by = answers
    pooled = [] if answers else paired_lines(paired)
    by_lines = [line for a in answers for line in ("", *a.text.splitlines())]
    head = [done.line()] if not done.complete else []

    def finish() -> AnalysisSummary:
        _atomic_write(out_dir / "report.txt", lambda p: p.write_text(summary.report, "utf-8"))
        summary.files.append(out_dir / "report.txt")
        record = write_record(
            out_dir,
            outputs=list(selected),
            method=chosen,
            by=[a.names for a in answers],
            files=summary.files,
            done=done,
            previous=previous,
            replace=replace,
        )
        summary.files.append(record)
        return summary

    lines = ["No sensitivity method applies." if sensitivity else "No sensitivity analysis."]
    if scores is not None:
        from community_sim.analysis.sensitivity.trees import feature_text

        _write(scores[0], out_dir, "feature_scores", summary.files, None)
        lines = feature_text(*scores)
    if chosen is None or t is None:
        summary.report = "\n".join(
            [
                *head,
                f"{'Policy comparison' if comparative else 'Analysis'} of {folder}",
                *extra,
                *pooled,
                *by_lines,
                *lines,
                "",
            ]
        )
        return finish()

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
    summary.report = render_report(
        t, source=str(folder), extra=extra, paired=None if answers else paired
    )
    if by_lines:
        summary.report += "\n".join([*by_lines[1:], ""])
    summary.report = "\n".join([*head, summary.report])
    if t.warnings:
        log.warning("%d warning(s); see %s", len(t.warnings), out_dir / "report.txt")
    return finish()


def _units(manifest: dict[str, Any]) -> dict[str, str]:
    """Outcome units for printing: the community model's, none for other models."""
    if manifest.get("model") != "community":
        return {}
    from community_sim.metrics import OUTCOMES

    return {k: v.unit for k, v in OUTCOMES.items()}


def _comparative(manifest: dict[str, Any]) -> bool:
    """Whether the experiment compares policies or named scenarios."""
    compare = manifest.get("compare") or []
    return len(compare) >= 2 or (manifest.get("design") or {}).get("kind") == "scenarios"


def has_analysis(manifest: dict[str, Any]) -> bool:
    """Whether ``analyze`` without options has anything to do: a method or a comparison."""
    return implied_method(manifest) is not None or _comparative(manifest)


def analyze_default(directory: str | Path) -> tuple[AnalysisSummary | None, str | None]:
    """``analyze DIR`` without options, as ``run`` and ``figures`` call it; stores its tables.

    Returns the summary (None when the design implies nothing to analyse) and a
    line saying why the sensitivity analysis was skipped, if it was: problems
    such as failed runs or undefined outcomes do not undo the run, and the
    policy comparison, which counts undefined outcomes, is still written.
    """
    from community_sim.experiment.store import Store

    manifest = Store(directory).read_manifest()
    if not has_analysis(manifest):
        return None, None
    try:
        return analyze_experiment(directory), None
    except OtherOutputs as exc:  # the user's own tables stay; say so
        return None, f"analysis kept: {exc}"
    except UserError as exc:
        method = implied_method(manifest)
        note = f"analysis ({method}) skipped: {exc}"
        if method is None or not _comparative(manifest):
            return None, note
        return analyze_experiment(directory, sensitivity=False), note


def analysis_line(summary: AnalysisSummary) -> str:
    """One line on what an analysis wrote, for the ``run`` command."""
    n_warn = len(summary.tables.warnings) if summary.tables else 0
    what = f"analysis ({summary.method})" if summary.method else "analysis (comparison)"
    return (
        f"{what}: {len(summary.files)} files in {summary.directory}, "
        f"{n_warn} warning(s) — see report.txt"
    )
