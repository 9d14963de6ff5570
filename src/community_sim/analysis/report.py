"""The short plain-text report beside the analysis tables (``report.txt``)."""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from community_sim.analysis.sensitivity.core import AnalysisTables

TOP = 5


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(
        text, width=88, initial_indent=indent + "- ", subsequent_indent=indent + "  "
    )


def _num(x: float, digits: int = 3) -> str:
    return f"{x:.{digits}f}" if math.isfinite(x) else "n/a"


def _design_line(t: AnalysisTables) -> str:
    d = t.design
    parts = [f"design {d.kind}", f"{d.n_points} points", f"{d.dim} parameters"]
    if t.method == "sobol" and d.emulator is not None:
        parts.append(f"{d.emulator} emulator, Q² of at least {d.min_q2:g} required")
    elif t.method == "sobol":
        parts.append(f"N={d.n_base}, second order {'yes' if d.second_order else 'no'}")
    if t.method == "morris":
        parts.append(f"{d.trajectories} trajectories, {d.levels} levels")
    parts.append(f"{t.replicates} replicate(s) per point")
    return ", ".join(parts)


def _top_indices(t: AnalysisTables) -> list[str]:
    lines: list[str] = []
    if t.indices is not None:
        key = "ST" if t.indices["ST"].notna().any() else "S1"
        for (output, target), g in t.indices.groupby(["output", "target"], sort=False):
            if g[key].isna().all():
                lines.append(f"  {output} [{target}]: undefined (see warnings)")
                continue
            missing = g.loc[g[key].isna(), "parameter"].tolist()
            g = g[g[key].notna()].sort_values(key, ascending=False).head(TOP)
            cells = [
                f"{r.parameter} {key}={_num(getattr(r, key))}"
                + (f" (S1={_num(r.S1)})" if key == "ST" else "")
                for r in g.itertuples()
            ]
            if missing:
                cells.append(f"undefined: {', '.join(missing)} (see warnings)")
            lines.append(f"  {output} [{target}]: " + "; ".join(cells))
    if t.morris is not None:
        for (output, target), g in t.morris.groupby(["output", "target"], sort=False):
            g = g.sort_values("mu_star", ascending=False).head(TOP)
            cells = [
                f"{r.parameter} mu*={r.mu_star:.4g} sigma={r.sigma:.4g}" for r in g.itertuples()
            ]
            lines.append(f"  {output} [{target}]: " + "; ".join(cells))
    return lines


def _noise_lines(noise: pd.DataFrame) -> list[str]:
    lines = []
    for r in noise.itertuples():
        if math.isfinite(r.noise_share):
            lines.append(
                f"  {r.output}: noise share {r.noise_share:.3f} "
                f"(within-point var {r.within_var:.4g} of total {r.total_var:.4g})"
            )
    return lines


def _emulator_lines(checks: pd.DataFrame | None) -> list[str]:
    if checks is None or checks.empty:
        return []
    lines = [
        "Emulator validation on held-out points (Q² of E[Y|x] and raw Q², each with its "
        "bootstrap interval; coverage):"
    ]
    for r in checks.itertuples():
        lines.append(
            f"  {r.output}: Q²={_num(r.q2)} [{_num(r.q2_low)}, {_num(r.q2_high)}] "
            f"(raw {_num(r.q2_raw)} [{_num(r.q2_raw_low)}, {_num(r.q2_raw_high)}]), "
            f"accepted, coverage of the "
            f"{r.level:.0%} interval {_num(r.coverage, 2)}, {r.n_train} training / "
            f"{r.n_test} held-out points, noise SD {r.noise_sd:.4g}"
        )
    return lines


def paired_lines(paired: pd.DataFrame | None) -> list[str]:
    """One line per paired policy difference: mean, 95% CI and effect size."""
    if paired is None or paired.empty:
        return []
    lines = ["Paired policy differences (same seeds; mean [95% CI], Cohen's d_z):"]
    for r in paired.itertuples():
        where = "" if r.scenario == "all" else f" in {r.scenario}"
        if not r.n:
            lines.append(f"  {r.output}{where}, {r.contrast}: undefined in every pair")
            continue
        undefined = getattr(r, "n_undefined", 0)
        left_out = f" ({undefined} undefined left out)" if undefined else ""
        method = getattr(r, "ci_method", "")
        lines.append(
            f"  {r.output}{where}, {r.contrast}: {r.mean_diff:+.4g} "
            f"[{r.ci_low:+.4g}, {r.ci_high:+.4g}], d_z={_num(r.effect_size, 2)}, "
            f"n={r.n}{left_out}" + (f", CI {method}" if method else "")
        )
    return lines


def render_report(
    t: AnalysisTables,
    *,
    source: str,
    extra: list[str] | None = None,
    paired: pd.DataFrame | None = None,
) -> str:
    """The report text: what was analysed, how, the leading parameters, and warnings."""
    lines = [
        f"Sensitivity analysis of {source}",
        f"method: {t.method}",
        _design_line(t),
        f"outputs: {', '.join(t.outputs)}",
        "",
        "Leading parameters (by total-order index where the method has one):",
        *_top_indices(t),
    ]
    if paired is not None and not paired.empty:
        lines += ["", *paired_lines(paired)]
    emulator = _emulator_lines(t.emulator)
    if emulator:
        lines += ["", *emulator]
    noise = _noise_lines(t.noise)
    if noise:
        lines += ["", "Replicate noise (share of one run's output variance):", *noise]
    if t.notes or extra:
        lines += ["", "Notes:", *(_wrap(n) for n in [*t.notes, *(extra or [])])]
    lines += ["", "Warnings:" if t.warnings else "Warnings: none"]
    lines += [_wrap(w) for w in t.warnings]
    lines += [
        "",
        "Tables: indices/morris/sobol_s2/convergence/noise/emulator "
        "(.parquet, .csv; .tex for papers).",
        "",
    ]
    return "\n".join(lines)
