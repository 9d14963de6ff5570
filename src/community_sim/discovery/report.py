"""Discovery results as tables (Parquet, CSV, LaTeX) and as sentences."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from community_sim.analysis.tables import booktabs, latex_escape
from community_sim.discovery.boxes import Box, Discovery
from community_sim.discovery.space import Space
from community_sim.discovery.target import WORDS, Cases, Target

BOX_COLUMNS = ["method", "box", "coverage", "density", "mass", "res_dim", "n", "k", "rule"]
LIMIT_COLUMNS = [
    "method", "box", "parameter", "kind", "lower", "upper", "values",
    "range_low", "range_high", "qp_lower", "qp_upper",
]  # fmt: skip


def _num(x: float) -> str:
    """Three significant digits, thousands written out (53,600 rather than 5.36e+04)."""
    if math.isfinite(x) and abs(x) >= 1000:
        return f"{float(f'{x:.3g}'):,.0f}"
    return f"{x:.3g}"


def limit_text(name: str, box: Box, space: Space) -> str:
    """``tech_drift ≥ 0.11``, ``0.02 ≤ unemployment_rate ≤ 0.06``, ``policy in {a, b}``."""
    limit = box.limits[name]
    d = space.dim(name)
    if isinstance(limit, frozenset):
        return f"{name} in {{{', '.join(v for v in d.values if v in limit)}}}"
    lo, hi = limit
    x = space.frame[name].to_numpy(dtype=float)
    low_open, high_open = lo <= x.min(), hi >= x.max()
    if low_open:
        return f"{name} ≤ {_num(hi)}"
    if high_open:
        return f"{name} ≥ {_num(lo)}"
    return f"{_num(lo)} ≤ {name} ≤ {_num(hi)}"


def rule_text(box: Box, space: Space) -> str:
    """The box as a conjunction, parameters in the space's order; ``everywhere`` if none."""
    parts = [limit_text(n, box, space) for n in space.names if n in box.limits]
    return " and ".join(parts) if parts else "everywhere"


def boxes_table(found: Discovery, space: Space) -> pd.DataFrame:
    rows = [
        {
            "method": found.method,
            "box": b.index,
            "coverage": b.coverage,
            "density": b.density,
            "mass": b.mass,
            "res_dim": b.res_dim,
            "n": b.n,
            "k": b.k,
            "rule": rule_text(b, space),
        }
        for b in found.boxes
    ]
    return pd.DataFrame(rows, columns=BOX_COLUMNS)


def limits_table(found: Discovery, space: Space) -> pd.DataFrame:
    """One row per box and restricted parameter; ``values`` for categorical ones."""
    rows = []
    for b in found.boxes:
        for name in (n for n in space.names if n in b.limits):
            d, limit = space.dim(name), b.limits[name]
            qp = b.qp.get(name, (math.nan, math.nan))
            cat = isinstance(limit, frozenset)
            rows.append(
                {
                    "method": found.method,
                    "box": b.index,
                    "parameter": name,
                    "kind": d.kind,
                    "lower": math.nan if cat else float(limit[0]),  # type: ignore[index]
                    "upper": math.nan if cat else float(limit[1]),  # type: ignore[index]
                    "values": ", ".join(v for v in d.values if v in limit) if cat else None,
                    "range_low": d.low,
                    "range_high": d.high,
                    "qp_lower": qp[0],
                    "qp_upper": qp[1],
                }
            )
    return pd.DataFrame(rows, columns=LIMIT_COLUMNS)


def _p(x: float) -> str:
    return "--" if not math.isfinite(x) else f"${x:.2g}$"


def target_caption(target: Target) -> str:
    """The target in words, safe in a LaTeX caption (``<`` is no text-mode character)."""
    return f"{target.output} {WORDS[target.op]} {target.value:g}"


def boxes_latex(boxes: pd.DataFrame, target: Target) -> str:
    """Box statistics; the limits themselves are in the limits table."""
    rows = [
        [
            str(int(r.box)),
            f"{r.coverage:.2f}",
            f"{r.density:.2f}",
            f"{r.mass:.2f}",
            str(int(r.res_dim)),
            f"{int(r.k)} of {int(r.n)}",
        ]
        for r in boxes.itertuples(index=False)
    ]
    return booktabs(
        ["Box", "Coverage", "Density", "Mass", "Restricted", "Cases"],
        rows,
        align="rrrrrr",
        caption=f"Scenario discovery boxes: {target_caption(target)}",
        label="tab:discovery-boxes",
    )


def limits_latex(limits: pd.DataFrame) -> str:
    rows, groups = [], []
    for i, r in enumerate(limits.itertuples(index=False)):
        if i == 0 or r.box != limits.iloc[i - 1]["box"]:
            groups.append(i)
        if r.kind == "cat":
            span, lo, hi = "--", latex_escape(r.values), ""
        else:
            span = f"[{_num(r.range_low)}, {_num(r.range_high)}]"
            # an open side (no quasi-p-value) shows as a dash: the range above says where it ends
            lo = _num(r.lower) if math.isfinite(r.qp_lower) else "--"
            hi = _num(r.upper) if math.isfinite(r.qp_upper) else "--"
        rows.append(
            [
                str(int(r.box)),
                latex_escape(r.parameter),
                span,
                lo,
                hi,
                _p(r.qp_lower),
                _p(r.qp_upper),
            ]
        )
    return booktabs(
        ["Box", "Parameter", "Range", "Lower", "Upper", "qp lower", "qp upper"],
        rows,
        align="llrrrrr",
        caption="Box limits with their quasi-p-values (Bryant and Lempert 2010)",
        label="tab:discovery-limits",
        groups=groups,
    )


def trajectory_latex(trajectory: pd.DataFrame) -> str:
    rows = [
        [
            str(int(r.box)),
            str(int(r.step)),
            f"{r.coverage:.3f}",
            f"{r.density:.3f}",
            f"{r.mass:.3f}",
            str(int(r.res_dim)),
            "yes" if r.selected else "",
        ]
        for r in trajectory.itertuples(index=False)
    ]
    return booktabs(
        ["Box", "Step", "Coverage", "Density", "Mass", "Restricted", "Chosen"],
        rows,
        align="rrrrrrl",
        caption="Coverage-density trajectory of the candidate boxes",
        label="tab:discovery-trajectory",
    )


def condition_words(target: Target, compare: Sequence[str]) -> str:
    """The case in words: ``integrated lowers trial_error_cost_per_hire_weeks by more than 2``."""
    out, v = target.output, target.value
    down = target.op in ("<", "<=")
    if out.startswith("diff:") and len(compare) >= 2 and (v <= 0 if down else v >= 0):
        rest = out[len("diff:") :]
        policy = compare[1]
        if ":" in rest:
            pair, rest = rest.split(":", 1)
            policy = pair.split("-", 1)[0]
        text = f"{policy} {'lowers' if down else 'raises'} {rest}"
        if v != 0:
            text += f" by {'more than' if target.op in ('<', '>') else 'at least'} {abs(v):g}"
        return text
    return f"{out} is {WORDS[target.op]} {v:g}"


def _sides(space: Space, name: str) -> tuple[str, str]:
    return ("values", "-") if space.dim(name).kind == "cat" else ("lower", "upper")


def report_text(
    *,
    source: str,
    target: Target,
    method: str,
    cases: Cases,
    replicates: int,
    threshold_prob: float | None,
    excluded: str,
    found: Discovery,
    space: Space,
    compare: Sequence[str],
    max_qp: float = 0.05,
) -> str:
    """``report.txt``: the classification, each box in words, the notes."""
    what = condition_words(target, compare)
    rule = "its replicate mean meets the condition"
    if threshold_prob is not None:
        rule += f" and at least {threshold_prob:.0%} of its {replicates} replicates do"
    lines = [
        f"Scenario discovery ({method.upper()}) of {source} for {target.text}",
        f"A design point is a case when {rule}"
        + (
            " (replicates of a diff: output are same-seed policy pairs)."
            if "diff:" in target.output
            else "."
        ),
        f"{cases.n_cases} of {cases.n_valid} points are cases "
        f"({cases.n_cases / cases.n_valid:.0%}).",
    ]
    if excluded:
        lines.append(excluded)
    for b in found.boxes:
        lines.append(
            f"Box {b.index}: {what} in {b.density:.0%} of the points with {rule_text(b, space)}, "
            f"which hold {b.coverage:.0%} of all such points "
            f"({b.k} of {b.n} points; mass {b.mass:.0%})."
        )
        sides = [
            (n, side, v)
            for n in space.names
            if n in b.qp
            for side, v in zip(_sides(space, n), b.qp[n], strict=True)
            if math.isfinite(v)
        ]
        if sides:
            lines.append("  quasi-p-values: " + ", ".join(f"{n} {s} {v:.2g}" for n, s, v in sides))
        weak = [f"{n} {s}" for n, s, v in sides if v > max_qp]
        if weak:
            lines.append(
                f"  limits not supported by the data (quasi-p > {max_qp:g}): {', '.join(weak)}; "
                "more points would show whether they are real"
            )
    if not found.boxes:
        lines.append("No box was found.")
    lines += found.notes
    return "\n".join(lines) + "\n"
