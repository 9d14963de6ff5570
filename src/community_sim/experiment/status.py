"""``community-sim status DIR``: what an out folder holds and what remains."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from community_sim.experiment.completeness import is_stale
from community_sim.experiment.engine import counts_of
from community_sim.experiment.lock import holder
from community_sim.experiment.results import load_results

MAX_LISTED = 4


def undefined_counts(runs: pd.DataFrame, outcomes: list[str]) -> dict[str, int]:
    """Per outcome, the finished (``ok``) runs whose value is NaN: undefined, not failed."""
    ok = runs[runs["status"] == "ok"] if "status" in runs.columns else runs
    counts = {o: int(ok[o].isna().sum()) for o in outcomes if o in ok.columns}
    return {o: n for o, n in counts.items() if n}


def _undefined_line(runs: pd.DataFrame, outcomes: list[str], n_ok: int) -> str:
    counts = undefined_counts(runs, outcomes)
    if not counts:
        return "  undefined  none: every finished run has every outcome"
    ok = runs[runs["status"] == "ok"] if "status" in runs.columns else runs
    any_nan = int(ok[list(counts)].isna().any(axis=1).sum())
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    listed = ", ".join(f"{o} {n}" for o, n in ranked[:MAX_LISTED])
    more = f" and {len(ranked) - MAX_LISTED} more outcomes" if len(ranked) > MAX_LISTED else ""
    return (
        f"  undefined  {any_nan} of {n_ok} finished runs have an undefined (NaN) outcome, "
        f"not a failure: {listed}{more}"
    )


def status_text(out: str | Path) -> str:
    """A few lines: spec summary, counts by status, what remains."""
    res = load_results(out)
    m = res.manifest
    d = m.get("design", {})
    total = int(m.get("n_runs", 0))
    counts = counts_of(res.runs, total)
    compare = m.get("compare") or []
    lines = [
        f"{m.get('name')}  ({out})",
        f"  model      {m.get('model')}" + (f", {m['steps']} steps" if m.get("steps") else ""),
        f"  design     {d.get('kind')}, {d.get('n_points')} points"
        + (f" (N={d['N']})" if d.get("N") else "")
        + (
            f", parameters: {', '.join(p['name'] for p in d.get('parameters', []))}"
            if d.get("parameters")
            else ""
        ),
        f"  runs       {total} = {d.get('n_points')} points × {m.get('replicates')} replicates"
        + (f" × {len(compare)} policies ({', '.join(compare)})" if compare else ""),
        f"  seed       {m.get('master_seed')}",
        f"  started    {m.get('started')}"
        + (f", resumed {len(m['resumed'])}×" if m.get("resumed") else "")
        + f", finished {m.get('finished') or '—'}",
        f"  status     ok {counts['ok']}, failed {counts['failed']}, missing {counts['missing']}",
    ]
    outcomes = [str(o) for o in m.get("outcomes") or []]
    if counts["ok"] and outcomes:
        lines.append(_undefined_line(res.runs, outcomes, counts["ok"]))
    remaining = counts["failed"] + counts["missing"]
    running = holder(out)
    if running is not None:
        lines.append(
            f"  running    pid {running.get('pid')} since {running.get('started')}: "
            f"{remaining} runs to go (counts include runs checkpointed so far)"
        )
    elif remaining:
        lines.append(f"  remaining  {remaining} runs; run the same command again to complete them")
    else:
        lines.append("  complete")
    if running is None and is_stale(out):
        lines.append(f"  analysis   stale (runs added since); run: community-sim analyze {out}")
    return "\n".join(lines)
