"""Matplotlib drawings for the dashboard: monthly series, the tie network, outcomes.

Pure functions of data (a series frame, agents and ties) onto an ``Axes``,
so they are tested without a browser and reused by any front end.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from community_sim.figures.style import OKABE_ITO, POLICY_COLORS

KIND_COLOURS: dict[str, str] = {k: POLICY_COLORS[k] for k in ("project", "integrated")}
"""Tie colour by partnership kind: the policy colours of the paper figures (Okabe–Ito)."""

MIN_MONTHS_SHOWN = 12
"""The month axis spans at least this many months, so early plots are not stretched."""
MARKER_MAX_POINTS = 24
"""Series with at most this many months are drawn with point markers."""

SCHOOL_COLOUR = OKABE_ITO["yellow"]
LEADING_COLOUR = "#555555"
SME_COLOUR = "#BBBBBB"


class _Tie(Protocol):
    school: Any
    enterprise: Any
    kind: str
    trust: float
    active: bool


def axis_label(title: str, unit: str) -> str:
    """``title (unit)``; the bare title for dimensionless quantities, the unit if no title."""
    if unit in ("", "-"):
        return title
    return f"{title} ({unit})" if title else unit


def plot_series(
    df: pd.DataFrame,
    lines: Mapping[str, str],
    ylabel: str,
    title: str,
    ax: Axes,
    colours: Mapping[str, str] | None = None,
    linestyle: str = "-",
    legend: bool | None = None,
) -> Axes:
    """Plot columns of a monthly series frame (index ``step``) against the month.

    ``lines`` maps column names to legend labels; a legend is drawn when there
    is more than one line (or as ``legend`` says).
    """
    # Markers keep the first few months visible (a line needs two points).
    marker = "o" if len(df) <= MARKER_MAX_POINTS else None
    for name, label in lines.items():
        y = df[name] if name in df.columns else pd.Series(np.nan, index=df.index)
        colour = (colours or {}).get(name)
        ax.plot(
            df.index.to_numpy(),
            y.to_numpy(dtype=float),
            label=label,
            color=colour,
            lw=1.8,
            ls=linestyle,
            marker=marker,
            ms=3,
        )
    last = int(df.index.max()) if len(df) else 0
    ax.set_xlim(0, max(MIN_MONTHS_SHOWN, last))
    ax.set_xlabel("Month")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=11, y=1.01)  # a fixed position skips a costly layout pass
    ax.grid(alpha=0.3)
    ax.xaxis.get_major_locator().set_params(integer=True)
    if legend or (legend is None and len(lines) > 1):
        # "best" looks at every point: worth it only where several lines share the axes.
        ax.legend(loc="best" if len(lines) > 1 else "upper left", fontsize=8, framealpha=0.8)
    if df.empty:
        ax.set_ylim(0.0, 1.0)
        ax.text(0.5, 0.5, "press Step or ▶", ha="center", va="center", transform=ax.transAxes)
    return ax


def network_layout(n_schools: int, n_enterprises: int) -> tuple[np.ndarray, np.ndarray]:
    """Fixed node positions: schools on an inner ring, enterprises on an outer ring.

    Positions depend only on the counts, so nodes stay put from month to month
    and only the ties move.
    """

    def ring(n: int, radius: float, phase: float) -> np.ndarray:
        angles = phase + 2 * math.pi * np.arange(n) / max(n, 1)
        return radius * np.column_stack([np.cos(angles), np.sin(angles)])

    schools = ring(n_schools, 0.0 if n_schools == 1 else 0.35, math.pi / 2)
    enterprises = ring(n_enterprises, 1.0, math.pi / 2 + math.pi / max(n_enterprises, 1))
    return schools, enterprises


def _sizes(values: np.ndarray, vmax: float) -> np.ndarray:
    # Marker area proportional to size, so a firm ten times larger looks ten times larger.
    return 20.0 + 600.0 * values / vmax if vmax > 0 else np.full(values.shape, 25.0)


def draw_network(
    schools: Sequence[Any],
    enterprises: Sequence[Any],
    partnerships: Iterable[_Tie],
    ax: Axes,
) -> Axes:
    """Draw active school–enterprise ties: colour by kind, width by trust.

    Node area is proportional to enrolment (schools) or skilled headcount
    (enterprises), on one common scale; leading firms are darker than SMEs.
    """
    s_xy, e_xy = network_layout(len(schools), len(enterprises))
    s_index = {id(s): i for i, s in enumerate(schools)}
    e_index = {id(e): i for i, e in enumerate(enterprises)}
    segments: list[np.ndarray] = []
    colours: list[str] = []
    widths: list[float] = []
    counts = dict.fromkeys(KIND_COLOURS, 0)
    for tie in partnerships:
        if not tie.active:
            continue
        i, j = s_index.get(id(tie.school)), e_index.get(id(tie.enterprise))
        if i is None or j is None:
            continue
        segments.append(np.stack([s_xy[i], e_xy[j]]))
        colours.append(KIND_COLOURS.get(tie.kind, "black"))
        widths.append(0.5 + 5.0 * float(np.clip(tie.trust, 0.0, 1.0)))
        counts[tie.kind] = counts.get(tie.kind, 0) + 1
    if segments:
        ax.add_collection(
            LineCollection(segments, colors=colours, linewidths=widths, alpha=0.75, zorder=1)
        )
    enrol = np.array([float(s.enrolment) for s in schools])
    heads = np.array([float(e.headcount) for e in enterprises])
    vmax = float(max(enrol.max(initial=0.0), heads.max(initial=0.0)))
    leading = np.array([bool(e.is_leading) for e in enterprises], dtype=bool)
    e_colours = np.where(leading, LEADING_COLOUR, SME_COLOUR)
    if len(enterprises):
        ax.scatter(
            e_xy[:, 0], e_xy[:, 1], s=_sizes(heads, vmax), c=e_colours, edgecolors="k", zorder=2
        )
    if len(schools):
        ax.scatter(
            s_xy[:, 0],
            s_xy[:, 1],
            s=_sizes(enrol, vmax),
            c=SCHOOL_COLOUR,
            marker="s",
            edgecolors="k",
            zorder=3,
        )
    handles = [
        Line2D([], [], color=c, lw=3, label=f"{k} ({counts.get(k, 0)})")
        for k, c in KIND_COLOURS.items()
    ]
    handles += [
        Line2D([], [], marker="s", ls="", color=SCHOOL_COLOUR, mec="k", label="college"),
        Line2D([], [], marker="o", ls="", color=LEADING_COLOUR, mec="k", label="leading firm"),
        Line2D([], [], marker="o", ls="", color=SME_COLOUR, mec="k", label="SME"),
    ]
    ax.legend(
        handles=handles,
        loc="center left",
        bbox_to_anchor=(1.0, 0.5),
        fontsize=8,
        title="width: trust (0–1)\narea: enrolment,\n  headcount",
        title_fontsize=8,
        alignment="left",
    )
    ax.set_title("Active school–enterprise ties", fontsize=11, y=1.01)
    ax.set_xlim(-1.2, 1.2)
    ax.set_ylim(-1.2, 1.2)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax


def format_value(value: object) -> str:
    """A value for display: four significant digits, thousands separated; NaN as "undefined".

    An outcome is NaN when there is nothing to measure yet (e.g. during the
    burn-in, or before the first hire): the table says so in words.
    """
    if isinstance(value, str | bool):
        return str(value)
    if value is None or not isinstance(value, int | float) or math.isnan(value):
        return "undefined"
    if abs(value) >= 1e4:
        return f"{value:,.0f}"
    return f"{value:.4g}"


def outcome_rows(
    outcomes: Mapping[str, float], units: Mapping[str, str]
) -> list[tuple[str, str, str]]:
    """(name, formatted value, unit) rows for the outcome table, in the model's order."""
    return [(k, format_value(v), units.get(k, "")) for k, v in outcomes.items()]
