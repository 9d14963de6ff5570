"""``community-sim robustness DIR``: robustness of each lever setting of a stored sweep.

The sweep must cross the levers with the uncertainties: every lever setting
(a combination of the ``--levers`` values, ``policy`` included when the spec
compares policies) runs in every scenario (a combination of the other varied
parameters' values). Each (setting, scenario) cell is the output's mean over
replicates; :mod:`community_sim.analysis.robustness` pools the scenarios.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from community_sim.analysis.robustness import Metric, Sense, most_robust, parse_metric, score
from community_sim.errors import UserError, did_you_mean
from community_sim.experiment.store import write_parquet

FOLDER = "robustness"


@dataclass
class RobustnessSummary:
    table: pd.DataFrame  # one row per lever setting, the most robust first
    best: dict[str, object] | None
    column: str
    better: Sense
    files: list[Path]


def _cells(folder: Path, output: str, levers: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """Rows (levers..., scenario columns..., value): the replicate mean per point (and policy)."""
    from community_sim.analysis.outputs import build_outputs, outcome_columns
    from community_sim.experiment import load_results

    res = load_results(folder)
    runs, design, manifest = res.runs, res.design, res.manifest
    if runs.empty:
        raise UserError("holds no finished run yet; run the experiment first", source=str(folder))
    compare = [str(p) for p in manifest.get("compare") or []]
    factors = [f["name"] for f in (manifest.get("design") or {}).get("parameters") or []]
    choosable = factors + (["policy"] if len(compare) >= 2 else [])
    for name in levers:
        if name not in choosable:
            raise UserError(
                f"{name!r} is not varied by this sweep{did_you_mean(name, choosable)}; "
                f"levers may be {', '.join(choosable) or 'none'}",
                source="--levers",
            )
    scen_cols = [f for f in factors if f not in levers]
    if "scenario" in design.columns and "scenario" not in levers:
        scen_cols.append("scenario")
    replicates = int(manifest.get("replicates") or runs["replicate"].max() + 1)
    n_points = int(design["point"].max()) + 1 if len(design) else 0
    if output in runs.columns and "policy" in levers:
        ok = runs.assign(v=runs[output].where(runs["status"] == "ok"))
        cells = ok.groupby(["point", "policy"], sort=True)["v"].agg(lambda s: s.mean(skipna=False))
        cells = cells.rename("value").reset_index()
    else:
        if "policy" in levers:
            raise UserError(
                f"{output!r} is one policy's output or a difference; with policy as a lever "
                "give the outcome itself",
                source="--outcome",
            )
        outs = build_outputs(runs, outcome_columns(runs, manifest), compare, n_points, replicates)
        if output not in outs:
            raise UserError(
                f"no output {output!r}{did_you_mean(output, outs)}; available: "
                f"{', '.join(list(outs)[:12])}",
                source="--outcome",
            )
        t = outs[output]
        v = np.where(t.failed, np.nan, t.values) if t.failed is not None else t.values
        cells = pd.DataFrame({"point": np.arange(n_points), "value": v.mean(axis=1)})
    keep = [c for c in ["point", *levers, *scen_cols] if c in design.columns]
    cells = cells.merge(design[keep], on="point", how="left")
    return cells, scen_cols


def robustness_table(
    folder: str | Path, levers: list[str], metric: Metric, output: str, sense: Sense
) -> tuple[pd.DataFrame, Sense]:
    """One row per lever setting: its score, its mean over scenarios, the scenarios it met."""
    folder = Path(folder)
    cells, scen_cols = _cells(folder, output, levers)
    cells = cells.assign(_scenario=cells.groupby(scen_cols, sort=True).ngroup() if scen_cols else 0)
    counts = cells.groupby(levers, sort=True)["_scenario"].nunique()
    n_scen = cells["_scenario"].nunique()
    if (counts < n_scen).any():
        raise UserError(
            f"the sweep does not cross the levers with the uncertainties: a lever setting "
            f"meets {int(counts.min())} of {n_scen} scenarios; robustness needs every setting "
            "in every scenario (a grid, or named scenarios crossed with the levers)",
            source=str(folder),
        )
    table = cells.pivot_table(
        index=levers,
        columns="_scenario",
        values="value",
        aggfunc=lambda s: s.mean(skipna=False),
        dropna=False,
    )
    values = table.to_numpy(dtype=float)
    better = metric.better(sense)
    out = table.index.to_frame(index=False)
    out[metric.column] = score(values, metric, sense)
    out["mean"] = values.mean(axis=1)
    out["scenarios"] = n_scen
    ascending = better == "min"
    out = out.sort_values(metric.column, ascending=ascending, kind="stable", na_position="last")
    return out.reset_index(drop=True), better


def setting_label(row: pd.Series, levers: list[str]) -> str:
    return ", ".join(
        f"{k}={row[k]:g}" if isinstance(row[k], float) else f"{k}={row[k]}" for k in levers
    )


def robustness_of_sweep(
    folder: str | Path,
    levers: list[str],
    metric_text: str,
    *,
    output: str | None = None,
    sense: Sense = "max",
    formats: tuple[str, ...] = ("pdf", "png"),
) -> RobustnessSummary:
    """Score every lever setting of a stored sweep and write the table and its figure."""
    from community_sim.figures.style import get_style, new_figure, save_figure, style_context
    from community_sim.optimize.figures import plot_robustness

    metric = parse_metric(metric_text, source="--metric")
    if metric.condition is not None:
        output = output or metric.condition.output
        if output != metric.condition.output:
            raise UserError(
                "the condition names the outcome; leave --outcome out", source="--outcome"
            )
    if output is None:
        raise UserError(f"{metric.kind} needs --outcome NAME", source="--outcome")
    if not levers:
        raise UserError("name at least one lever, e.g. --levers policy", source="--levers")
    table, better = robustness_table(folder, levers, metric, output, sense)
    idx = most_robust(table[metric.column].to_numpy(dtype=float), better)
    best = {k: table.loc[idx, k] for k in levers} if idx is not None else None
    dest = Path(folder) / FOLDER
    dest.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{metric.column}-{output}")
    files = [dest / f"{stem}.csv", dest / f"{stem}.parquet"]
    table.to_csv(files[0], index=False)
    write_parquet(files[1], table)
    if formats:
        style = get_style("paper")
        with style_context(style):
            shown = table.assign(setting=[setting_label(r, levers) for _, r in table.iterrows()])
            fig = new_figure(style.size("single", 0.25 + 0.06 * min(len(shown), 25)))
            plot_robustness(shown, "setting", metric.column, better, ax=fig.add_subplot())
            files += save_figure(fig, dest / stem, formats, title=f"Robustness: {metric.text}")
    return RobustnessSummary(table, best, metric.column, better, files)
