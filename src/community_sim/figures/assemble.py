"""Command-level assemblers: one multi-panel figure per family and study part.

Each ``*_figures(stored, style)`` returns :class:`Built` figures (file stem,
title, figure) drawn with the ``plot_*`` functions of the family modules; the
choice of which families apply to which folder lives in :mod:`.render`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from community_sim.figures.distributions import plot_distribution
from community_sim.figures.forest import plot_forest
from community_sim.figures.labels import level_order, pretty, unit_of, value_label
from community_sim.figures.layout import (
    letter_panels,
    pages,
    panel_grid,
    shared_legend,
    slug,
    undefined_panel,
)
from community_sim.figures.sensitivity import plot_convergence, plot_indices, plot_morris
from community_sim.figures.series import LINESTYLES, MARKERS, plot_series, with_policy
from community_sim.figures.stored import Stored
from community_sim.figures.style import Style, ordered_policies, policy_color
from community_sim.figures.sweeps import plot_diff_heatmap, plot_sweep

log = logging.getLogger(__name__)

# Panels of the monthly-series figure: (title, series names sharing one axis).
SERIES_PANELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Active ties by kind", ("ties_project", "ties_integrated")),
    ("Trial-and-error cost", ("trial_error_cost",)),
    ("Skill match of new hires", ("skill_match",)),
    ("Mean trust of active ties", ("mean_trust",)),
)


@dataclass
class Built:
    stem: str
    title: str
    figure: Figure


def _policy_handles(policies: list[str], marker: str = "") -> list[Line2D]:
    """Legend entries for policies: lines, or markers alone when ``marker`` is given."""
    if marker:
        return [
            Line2D([], [], color=policy_color(p), marker=marker, ls="", ms=6, label=p)
            for p in policies
        ]
    return [Line2D([], [], color=policy_color(p), lw=2, label=p) for p in policies]


def _by_scenario(df: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    if "scenario" not in df.columns or df["scenario"].nunique() <= 1:
        return [("", df)]
    return [(str(s), g) for s, g in df.groupby("scenario", sort=True)]


def _undefined(table: pd.DataFrame, column: str) -> set[str]:
    """Outputs of ``table`` without any finite ``column``: drawn as "undefined" panels."""
    finite = set(table.loc[table[column].notna(), "output"])
    return {o for o in dict.fromkeys(table["output"]) if o not in finite}


def _reason(stored: Stored, table: pd.DataFrame, output: str) -> str:
    """Why an analysis output is undefined: the table's note if it has one, else when."""
    if "note" in table.columns:
        notes = table.loc[(table["output"] == output) & table["note"].notna(), "note"]
        if len(notes):
            return str(notes.iloc[0])
    return stored.undefined_when(output)


def _handles(axes: list) -> list:
    """The longest list of legend handles among ``axes`` (undefined panels have none)."""
    return max((ax.get_legend_handles_labels()[0] for ax in axes), key=len, default=[])


def series_figures(stored: Stored, style: Style) -> list[Built]:
    """Monthly series per policy (mean and 95% band), one figure per scenario."""
    if stored.series is None:
        return []
    data = with_policy(stored.series, stored.runs)
    names = set(data["name"].unique())
    built = []
    for scenario, sub in _by_scenario(data):
        panels = [(t, [n for n in ns if n in names]) for t, ns in SERIES_PANELS]
        panels = [(t, ns) for t, ns in panels if ns]
        if not panels:
            log.info("no series of %s stored; series figure skipped", [p[0] for p in SERIES_PANELS])
            return []
        fig, axes = panel_grid(len(panels), style, ncols=2, panel_aspect=0.68)
        for ax, (_, ns) in zip(axes, panels, strict=True):
            unit = unit_of(ns[0])
            label = f"{'Ties' if len(ns) > 1 else pretty(ns[0])} ({unit})"
            plot_series(sub, ns, ax, ylabel=label, legend=False)
        letter_panels(axes, [t for t, _ in panels])
        policies = ordered_policies(sub["policy"].unique())
        handles = _policy_handles(policies)
        if any(len(ns) > 1 for _, ns in panels):
            multi = next(ns for _, ns in panels if len(ns) > 1)
            handles += [
                Line2D([], [], color="0.3", ls=LINESTYLES[i], label=pretty(n, capital=False))
                for i, n in enumerate(multi)
            ]
        shared_legend(fig, handles)
        stem = f"series_{slug(scenario)}" if scenario else "series"
        built.append(Built(stem, f"Monthly series per policy {scenario}".strip(), fig))
    return built


def outcome_figures(stored: Stored, style: Style, outcomes: list[str]) -> list[Built]:
    """Distribution of every scalar outcome per policy, one figure per scenario."""
    built = []
    for scenario, runs in _by_scenario(stored.runs):
        if not outcomes:
            continue
        for suffix, page in pages(outcomes, style, ncols=4, panel_aspect=1.05):
            fig, axes = panel_grid(len(page), style, ncols=4, panel_aspect=1.05)
            for ax, out in zip(axes, page, strict=True):
                if not runs[out].notna().any():
                    undefined_panel(ax, stored.undefined_when(out))
                    continue
                plot_distribution(runs, out, ax)
                ax.set_xlabel("")
                ax.set_ylabel(unit_of(out))  # the panel title names the outcome
                # Four narrow panels a row: colours (in the shared legend) name the policies.
                ax.tick_params(axis="x", labelbottom=False, length=0)
            letter_panels(axes, [stored.title(o) for o in page])
            policies = ordered_policies(runs["policy"].unique())
            shared_legend(fig, _policy_handles(policies, marker="s"))
            stem = (f"outcomes_{slug(scenario)}" if scenario else "outcomes") + suffix
            title = f"Outcome distributions per policy {scenario}".strip()
            built.append(Built(stem, title, fig))
    return built


def forest_figures(stored: Stored, style: Style) -> list[Built]:
    """Paired policy differences with 95% CIs, one panel per outcome."""
    paired = stored.analysis.get("paired")
    if paired is None or paired.empty:
        return []
    outputs = list(dict.fromkeys(paired["output"]))
    undefined = _undefined(paired, "mean_diff")
    rows = paired
    n_scenarios = rows["scenario"].nunique()
    grouped = n_scenarios > 1  # rows grouped by scenario, contrasts told apart by colour
    units = n_scenarios if grouped else rows.groupby("output")["contrast"].nunique().max()
    aspect = 0.12 + (0.1 if grouped else 0.08) * units
    order = None
    if stored.design is not None and "scenario" in stored.design.columns:
        order = [str(s) for s in stored.design.sort_values("point")["scenario"]]
    built = []
    for suffix, page in pages(outputs, style, ncols=2, panel_aspect=aspect):
        fig, axes = panel_grid(len(page), style, ncols=2, panel_aspect=aspect)
        for ax, out in zip(axes, page, strict=True):
            if out in undefined:
                undefined_panel(ax, _reason(stored, paired, out))
                continue
            label = f"Difference ({unit_of(out)})"
            plot_forest(rows, out, ax, xlabel=label, scenario_order=order)
        letter_panels(axes, [stored.title(o) for o in page])
        if grouped and _handles(axes):
            shared_legend(fig, _handles(axes))
        built.append(Built(f"forest{suffix}", "Paired policy differences (95% CI)", fig))
    return built


def _contrast(stored: Stored) -> tuple[str, str] | None:
    """The policy gap to map: integrated − project when both ran, else compare[1] − compare[0].

    The first policy listed under ``compare`` is the baseline, as in the analysis
    tables (``paired.parquet`` contrasts read ``<policy>-<baseline>``).
    """
    pols = stored.policies
    if {"integrated", "project"} <= set(pols):
        return ("integrated", "project")
    compare = stored.manifest.get("compare") or (stored.manifest.get("spec") or {}).get("compare")
    if isinstance(compare, list | tuple) and len(compare) >= 2 and set(compare[:2]) <= set(pols):
        return (str(compare[1]), str(compare[0]))
    return None


def sweep_figures(stored: Stored, style: Style, outcomes: list[str]) -> list[Built]:
    """Outcomes against each swept parameter (with CI per policy); policy-gap heat maps."""
    runs = stored.runs
    numeric = [p for p in stored.varied if p in runs and pd.api.types.is_numeric_dtype(runs[p])]
    built: list[Built] = []
    undefined = {o for o in outcomes if not runs[o].notna().any()}
    if not outcomes:
        return built
    policies = ordered_policies(runs["policy"].unique())
    ncols = min(3, len(outcomes))
    for param in numeric:
        others = [p for p in numeric if p != param]
        # One other swept parameter with few levels: a line per level; else pool.
        by = others[0] if len(others) == 1 and runs[others[0]].nunique() <= 4 else None
        handles = _policy_handles(policies) if len(policies) > 1 else []
        if by is not None:
            handles += [
                Line2D(
                    [],
                    [],
                    color="0.3",
                    ls=LINESTYLES[i],
                    marker=MARKERS[i % len(MARKERS)],
                    ms=3,
                    label=f"{pretty(by, capital=False)}: {value_label(by, v)}",
                )
                for i, v in enumerate(level_order(by, runs[by].unique()))
            ]
        for suffix, page in pages(outcomes, style, ncols=ncols, panel_aspect=0.85):
            fig, axes = panel_grid(len(page), style, ncols=ncols, panel_aspect=0.85)
            for ax, out in zip(axes, page, strict=True):
                if out in undefined:
                    undefined_panel(ax, stored.undefined_when(out))
                    continue
                plot_sweep(runs, param, out, ax, legend=False, by=by)
                ax.set_ylabel(unit_of(out))  # the panel title names the outcome
            letter_panels(axes, [stored.title(o) for o in page])
            if handles:
                shared_legend(fig, handles, ncol=min(len(handles), 5))
            if others and by is None:
                fig.supxlabel(
                    f"mean over {', '.join(pretty(p, capital=False) for p in others)}",
                    fontsize="small",
                    color="0.35",
                )
            built.append(Built(f"sweep_{slug(param)}{suffix}", f"Outcomes against {param}", fig))
    contrast = _contrast(stored)
    if len(numeric) >= 2 and contrast is not None:
        x, y = numeric[0], numeric[1]
        ncols = min(2, len(outcomes))
        for suffix, page in pages(outcomes, style, ncols=ncols, panel_aspect=0.8):
            fig, axes = panel_grid(len(page), style, ncols=ncols, panel_aspect=0.8)
            for ax, out in zip(axes, page, strict=True):
                if out in undefined:
                    undefined_panel(ax, stored.undefined_when(out))
                    continue
                label = f"{contrast[0]} − {contrast[1]} ({unit_of(out)})"
                plot_diff_heatmap(runs, x, y, out, ax, contrast=contrast, cbar_label=label)
            letter_panels(axes, [stored.title(o) for o in page])
            title = f"{contrast[0]} − {contrast[1]} over {x} × {y}"
            built.append(Built(f"policy_gap_map{suffix}", title, fig))
    return built


def index_figures(stored: Stored, style: Style) -> list[Built]:
    """S1/ST bars per output (and noise share), figures per target and method."""
    indices = stored.analysis.get("indices")
    if indices is None:
        return []
    noise = stored.analysis.get("noise")
    built = []
    for (method, target), rows in indices.groupby(["method", "target"], sort=True):
        outputs = list(dict.fromkeys(rows["output"]))
        undefined = _undefined(rows, "S1")
        aspect = 0.25 + 0.09 * rows["parameter"].nunique()
        ncols = min(2, len(outputs))
        what = "replicate mean" if target == "mean" else "per-point standard deviation"
        for suffix, page in pages(outputs, style, ncols=ncols, panel_aspect=aspect):
            fig, axes = panel_grid(len(page), style, ncols=ncols, panel_aspect=aspect)
            for ax, out in zip(axes, page, strict=True):
                if out in undefined:
                    undefined_panel(ax, _reason(stored, rows, out))
                    continue
                plot_indices(
                    rows,
                    out,
                    ax,
                    target=str(target),
                    method=str(method),
                    noise=noise if target == "mean" else None,
                    legend=False,
                )
            sd = target != "mean"
            titles = [stored.title(o) for o in page]
            letter_panels(axes, [f"SD of {t[:1].lower()}{t[1:]}" if sd else t for t in titles])
            # The panel with a noise bar has the most legend entries.
            if _handles(axes):
                shared_legend(fig, _handles(axes))
            stem = f"indices_{slug(str(method))}_{slug(str(target))}{suffix}"
            built.append(Built(stem, f"{method} indices of the {what}", fig))
    return built


def _top_parameters(rows: pd.DataFrame, top: int = 5) -> list[str]:
    """The ``top`` parameters by ST (else the first index) at the largest N."""
    index = "ST" if (rows["index"] == "ST").any() else str(rows["index"].iloc[0])
    last = rows[(rows["index"] == index) & (rows["n"] == rows["n"].max())]
    last = last.sort_values(["value", "parameter"], ascending=[False, True])
    return list(last["parameter"].head(top))


def convergence_figures(stored: Stored, style: Style) -> list[Built]:
    """Indices against sample size: one row per output, one column per index."""
    conv = stored.analysis.get("convergence")
    if conv is None or conv.empty:
        return []
    built = []
    rows = conv[conv["target"] == "mean"] if (conv["target"] == "mean").any() else conv
    for method, m_rows in rows.groupby("method", sort=True):
        outputs = list(dict.fromkeys(m_rows["output"]))
        index_names = [i for i in ("S1", "ST") if (m_rows["index"] == i).any()]
        index_names += sorted(set(m_rows["index"]) - set(index_names))
        panels = [(o, i) for o in outputs for i in index_names]
        fig, axes = panel_grid(len(panels), style, ncols=len(index_names), panel_aspect=0.75)
        target = str(m_rows["target"].iloc[0])
        for ax, (out, idx) in zip(axes, panels, strict=True):
            plot_convergence(
                m_rows,
                out,
                ax,
                index=idx,
                target=target,
                parameters=_top_parameters(m_rows[m_rows["output"] == out]),
                legend=idx == index_names[-1],
            )
        letter_panels(axes, [f"{stored.title(o)}: {i}" for o, i in panels])
        built.append(
            Built(f"convergence_{slug(str(method))}", f"Convergence of {method} indices", fig)
        )
    return built


def morris_figures(stored: Stored, style: Style) -> list[Built]:
    """Morris μ*–σ per output (replicate mean)."""
    morris = stored.analysis.get("morris")
    if morris is None or morris.empty:
        return []
    rows = morris[morris["target"] == "mean"] if (morris["target"] == "mean").any() else morris
    outputs = list(dict.fromkeys(rows["output"]))
    undefined = _undefined(rows, "mu_star")
    fig, axes = panel_grid(len(outputs), style, ncols=min(2, len(outputs)), panel_aspect=0.85)
    for ax, out in zip(axes, outputs, strict=True):
        if out in undefined:
            undefined_panel(ax, _reason(stored, rows, out))
            continue
        plot_morris(rows, out, ax, target=str(rows["target"].iloc[0]))
    letter_panels(axes, [stored.title(o) for o in outputs])
    return [Built("morris", "Morris screening: μ* against σ", fig)]
