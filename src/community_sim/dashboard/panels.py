"""What the dashboard shows, as figures and HTML built from a model (no Solara here).

:mod:`.view` wraps these in Solara components; benchmarks and tests call them
directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from community_sim.dashboard.controls import CONTROLS, control_label
from community_sim.dashboard.plots import (
    KIND_COLOURS,
    axis_label,
    draw_network,
    format_value,
    outcome_rows,
    plot_series,
)
from community_sim.params import PARAMS

FIGSIZE = (4.8, 3.5)
"""Size of each plot in inches at 100 dpi: about one cell of SolaraViz's grid at 1400 px.

Fixed margins rather than constrained layout halve the drawing time per step.
"""
SERIES_MARGINS = {"left": 0.15, "right": 0.97, "bottom": 0.13, "top": 0.91}
NETWORK_AXES = (0.0, 0.0, 0.68, 0.92)
SUMMARY_STYLE = "font-size:12px;line-height:1.35;max-height:100%;overflow-y:auto;padding:4px"
"""The outcome table is compact so that all outcomes fit in one grid cell."""
CELL = "padding:0 0 0 10px;white-space:nowrap"


@dataclass(frozen=True)
class SeriesPanel:
    """One plot of monthly series: title, lines (column → legend label), y quantity."""

    title: str
    lines: Mapping[str, str]
    quantity: str
    colours: Mapping[str, str] = field(default_factory=dict)


PANELS: tuple[SeriesPanel, ...] = (
    SeriesPanel(
        "Active ties by kind",
        {"ties_project": "project", "ties_integrated": "integrated"},
        "",
        {"ties_project": KIND_COLOURS["project"], "ties_integrated": KIND_COLOURS["integrated"]},
    ),
    SeriesPanel(
        "Trial-and-error cost per hire",
        {"cost_per_hire_weeks": "cost per hire"},
        "cost per hire",
    ),
    SeriesPanel("Skill match of new hires", {"skill_match": "skill match"}, "skill match"),
    SeriesPanel("Mean trust of active ties", {"mean_trust": "mean trust"}, "mean trust"),
)
"""The series plots, in display order; columns are names in the model's series frame."""


def series_figure(df: pd.DataFrame, panel: SeriesPanel, unit: str) -> Figure:
    """The figure of one series panel; ``unit`` labels the y axis."""
    fig = Figure(figsize=FIGSIZE)
    fig.subplots_adjust(**SERIES_MARGINS)
    ax = fig.subplots()
    plot_series(df, panel.lines, axis_label(panel.quantity, unit), panel.title, ax, panel.colours)
    return fig


def network_figure(
    schools: Sequence[Any], enterprises: Sequence[Any], ties: Iterable[Any]
) -> Figure:
    """The figure of the school–enterprise tie network."""
    fig = Figure(figsize=FIGSIZE)
    draw_network(schools, enterprises, ties, fig.add_axes(NETWORK_AXES))
    return fig


def summary_html(model: Any, units: Mapping[str, str]) -> str:
    """HTML for the run's controlled settings and its outcomes so far, with units.

    Settings are read from ``model.dashboard_params`` (see
    :func:`community_sim.dashboard.view.dashboard_model`), i.e. what the run
    actually uses, not the controls, which take effect only at Reset.
    """
    params = getattr(model, "dashboard_params", {})
    seed = getattr(model, "dashboard_seed", "?")
    settings = []
    for c in CONTROLS:
        if c.name in params:
            unit = PARAMS[c.name].unit
            name = control_label(c).split(" (")[0].lower()
            value = format_value(params[c.name]) + ("" if unit in ("", "-") else f" {unit}")
            settings.append(f"{escape(name)} <b>{escape(value)}</b>")
    rows = "".join(
        f"<tr><td>{escape(k)}</td><td style='{CELL};text-align:right'>{escape(v)}</td>"
        f"<td style='{CELL}'>{escape(u)}</td></tr>"
        for k, v, u in outcome_rows(model.outcomes(), units)
    )
    return (
        f"<div style='{SUMMARY_STYLE}'>"
        f"<p><b>This run:</b> seed <b>{escape(str(seed))}</b>, {', '.join(settings)}.</p>"
        f"<p><b>Outcomes so far</b> (month {model.steps})</p>"
        f"<table style='border-collapse:collapse;width:100%'>"
        f"<tr><th align='left'>outcome</th><th style='{CELL}' align='right'>value</th>"
        f"<th style='{CELL}' align='left'>unit</th></tr>{rows}</table></div>"
    )


STUDENT_SAMPLE = 8
"""Students shown in the sample: spread evenly over the rows of those in the model."""
STUDENT_COLUMNS = ("row", "status", "stage", "school", "host", "employer")
"""A sampled student's state, as the ``Student`` agent exposes it (-1: none)."""


def agents_by_name(model: Any) -> dict[str, Any]:
    """The model's agents as Mesa holds them (``model.agents_by_type``), keyed by class name.

    Looking makes the students' agents (``community_sim.agents.population``).
    """
    return {kind.__name__: agents for kind, agents in model.agents_by_type.items()}


def tie_network_figure(model: Any) -> Figure:
    """The tie network drawn from the model's college and firm agents and the firms' ties."""
    agents = agents_by_name(model)
    schools = sorted(agents.get("School", ()), key=lambda s: s.idx)
    firms = sorted(agents.get("Enterprise", ()), key=lambda e: e.idx)
    return network_figure(schools, firms, [e.tie for e in firms if e.tie is not None])


def student_sample(students: Iterable[Any], size: int = STUDENT_SAMPLE) -> list[Any]:
    """Up to ``size`` students spread evenly over their rows, oldest first.

    No random draw: looking must never touch the model's random streams.
    """
    ordered = sorted(students, key=lambda a: a.row)
    if len(ordered) <= size:
        return ordered
    step = len(ordered) / size
    return [ordered[int(k * step)] for k in range(size)]


def _table(head: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A compact HTML table: words and the first heading left-aligned, numbers right."""

    def cell(tag: str, v: object, left: bool) -> str:
        text = v if tag == "th" else format_value(v)
        side = "left" if left else "right"
        return f"<{tag} style='{CELL};text-align:{side}'>{escape(str(text))}</{tag}>"

    top = "".join(cell("th", h, k == 0) for k, h in enumerate(head))
    body = "".join(
        "<tr>" + "".join(cell("td", v, isinstance(v, str)) for v in r) + "</tr>" for r in rows
    )
    return f"<table style='border-collapse:collapse'><tr>{top}</tr>{body}</table>"


def _firm_rows(firms: Any) -> list[tuple[object, ...]]:
    """Leading firms and SMEs: count, headcount and ties by kind (an AgentSet grouped)."""
    rows = []
    for leading, group in firms.groupby("is_leading"):
        kinds = [e.tie.kind for e in group if e.tie is not None]
        name = "leading" if leading else "SME"
        heads = sum(group.get("headcount"))
        rows.append((name, len(group), heads, kinds.count("project"), kinds.count("integrated")))
    return rows


def agents_html(model: Any, sample: int = STUDENT_SAMPLE) -> str:
    """HTML for the model's agents: counts by type, the colleges, the firms, sampled students.

    Everything is read from Mesa's ``agents_by_type`` and the agents' own attributes.
    """
    agents = agents_by_name(model)
    counts = _table(("type", "agents"), ((k, len(v)) for k, v in agents.items()))
    colleges = _table(
        ("college", "enrolled", "reputation", "teacher currency", "active ties", "budget left"),
        (
            (s.idx, s.enrolment, s.reputation, s.teacher_currency,
             len(s.active_partnerships), s.budget_left)
            for s in sorted(agents.get("School", ()), key=lambda s: s.idx)
        ),
    )  # fmt: skip
    firms = _table(
        ("firms", "n", "headcount", "project ties", "integrated ties"),
        _firm_rows(agents["Enterprise"]) if "Enterprise" in agents else [],
    )
    students = agents.get("Student", ())
    by_status = students.groupby("status").count() if students else {}
    status = ", ".join(f"{k} {v:,}" for k, v in sorted(by_status.items()))
    picked = _table(
        STUDENT_COLUMNS,
        ([getattr(a, c) for c in STUDENT_COLUMNS] for a in student_sample(students, sample)),
    )
    return (
        f"<div style='{SUMMARY_STYLE}'>"
        f"<p><b>Agents by type</b> (Mesa's <code>agents_by_type</code>)</p>{counts}"
        f"<p><b>Colleges</b></p>{colleges}<p><b>Firms</b></p>{firms}"
        f"<p><b>Students</b>: {escape(status or 'none')}; a sample:</p>{picked}</div>"
    )
