"""``community-sim status DIR``: what an out folder holds and what remains."""

from __future__ import annotations

from pathlib import Path

from community_sim.experiment.engine import counts_of
from community_sim.experiment.results import load_results


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
    remaining = counts["failed"] + counts["missing"]
    if remaining:
        lines.append(f"  remaining  {remaining} runs; run the same command again to complete them")
    else:
        lines.append("  complete")
    return "\n".join(lines)
