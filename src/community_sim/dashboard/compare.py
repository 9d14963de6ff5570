"""What the dashboard shows for a pair of runs, one per policy (no Solara here).

The series share one figure of four panels (one savefig per refresh rather
than four), each policy in its colour; the tie networks are drawn side by
side in one figure; the outcomes are one table with a column per policy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from community_sim.dashboard.controls import CONTROLS, control_label
from community_sim.dashboard.pair import PolicyPair
from community_sim.dashboard.panels import (
    CELL,
    PANELS,
    SUMMARY_STYLE,
    agents_by_name,
    agents_html,
)
from community_sim.dashboard.plots import (
    MARKER_MAX_POINTS,
    MIN_MONTHS_SHOWN,
    axis_label,
    draw_network,
    format_value,
    plot_series,
)
from community_sim.figures.style import policy_color
from community_sim.params import PARAMS

PAIR_SERIES_SIZE = (9.6, 6.4)
"""Four series panels in a 2 × 2 grid, inches at 100 dpi."""
PAIR_NETWORK_SIZE = (9.6, 3.4)
LINESTYLES = ("-", "--", ":", "-.")


class SeriesView:
    """The four series panels of a pair, drawn once and then updated month by month.

    Each policy's line is in the policy's colour; in the ties-by-kind panel the
    colour is the tie's kind and the line style the policy (solid for the first,
    dashed for the second). Updating the lines' data, rather than drawing a new
    figure, keeps the axes' ticks and text layouts: a refresh costs about half.
    """

    def __init__(self, policies: Sequence[str], units: Mapping[str, str]) -> None:
        self.figure = Figure(figsize=PAIR_SERIES_SIZE)
        self.figure.subplots_adjust(
            left=0.08, right=0.98, bottom=0.08, top=0.94, wspace=0.22, hspace=0.38
        )
        self.axes = list(self.figure.subplots(2, 2).ravel())
        self.lines: list[tuple[Axes, str, str, Line2D]] = []  # (axes, policy, column, line)
        empty = pd.DataFrame({c: [] for p in PANELS for c in p.lines}, dtype=float)
        for ax, panel in zip(self.axes, PANELS, strict=True):
            unit = units.get(next(iter(panel.lines)), "")
            by_kind = len(panel.lines) > 1
            for k, policy in enumerate(policies):
                if by_kind:
                    labels = {c: f"{label} ties, {policy} run" for c, label in panel.lines.items()}
                    colours = dict(panel.colours)
                else:
                    labels = {c: policy for c in panel.lines}
                    colours = {c: policy_color(policy) for c in panel.lines}
                before = len(ax.lines)
                plot_series(
                    empty,
                    labels,
                    axis_label(panel.quantity, unit),
                    panel.title,
                    ax,
                    colours,
                    linestyle=LINESTYLES[k % len(LINESTYLES)] if by_kind else "-",
                    legend=k == len(policies) - 1,
                )
                for col, line in zip(labels, ax.lines[before:], strict=True):
                    self.lines.append((ax, policy, col, line))
        self._hints = [t for ax in self.axes for t in ax.texts]  # "press Step" until data

    def update(self, pair: PolicyPair) -> Figure:
        """The figure with the pair's series so far."""
        frames = {policy: model.series_frame() for policy, model in pair.runs}
        months = max((len(df) for df in frames.values()), default=0)
        marker = "o" if months <= MARKER_MAX_POINTS else "None"
        for _ax, policy, col, line in self.lines:
            df = frames[policy]
            y = df[col].to_numpy(dtype=float) if col in df.columns else np.full(len(df), np.nan)
            line.set_data(df.index.to_numpy(), y)
            line.set_marker(marker)
        for hint in self._hints:
            hint.set_visible(months == 0)
        for ax in self.axes:
            ax.set_xlim(0, max(MIN_MONTHS_SHOWN, months))
            if months == 0:
                ax.set_ylim(0.0, 1.0)
                continue
            ax.set_autoscaley_on(True)  # set_ylim (empty plot) turned it off
            ax.relim()
            ax.autoscale_view(scalex=False)
        return self.figure


def pair_series_figure(pair: PolicyPair, units: Mapping[str, str]) -> Figure:
    """The series panels of ``pair`` in a new figure (see :class:`SeriesView`)."""
    return SeriesView(pair.policies, units).update(pair)


def pair_network_figure(pair: PolicyPair) -> Figure:
    """The tie network of each run, side by side, titled with its policy."""
    fig = Figure(figsize=PAIR_NETWORK_SIZE)
    n = len(pair.runs)
    for k, (policy, model) in enumerate(pair.runs):
        agents = agents_by_name(model)
        schools = sorted(agents.get("School", ()), key=lambda s: s.idx)
        firms = sorted(agents.get("Enterprise", ()), key=lambda e: e.idx)
        ties = [e.tie for e in firms if e.tie is not None]
        ax = fig.add_axes((k / n, 0.0, 0.68 / n, 0.9))
        draw_network(schools, firms, ties, ax)
        ax.set_title(f"{policy}: active ties", fontsize=11, y=1.01, color=policy_color(policy))
    return fig


def settings_text(pair: PolicyPair) -> str:
    """The settings both runs share, as the runs use them (seed and controlled parameters)."""
    shown = []
    for c in CONTROLS:
        if c.name in pair.params and c.name != "policy":
            unit = PARAMS[c.name].unit
            name = control_label(c).split(" (")[0].lower()
            value = format_value(pair.params[c.name]) + ("" if unit in ("", "-") else f" {unit}")
            shown.append(f"{escape(name)} <b>{escape(value)}</b>")
    return f"seed <b>{pair.seed}</b>, {', '.join(shown)}"


def pair_summary_html(pair: PolicyPair, units: Mapping[str, str]) -> str:
    """The runs' shared settings, and every outcome so far with a column per policy."""
    outcomes = [(policy, model.outcomes()) for policy, model in pair.runs]
    names = list(outcomes[0][1]) if outcomes else []
    head = "".join(
        f"<th style='{CELL};color:{policy_color(p)}' align='right'>{escape(p)}</th>"
        for p, _ in outcomes
    )
    rows = "".join(
        f"<tr><td>{escape(n)}</td>"
        + "".join(
            f"<td style='{CELL};text-align:right'>{escape(format_value(o.get(n)))}</td>"
            for _, o in outcomes
        )
        + f"<td style='{CELL}'>{escape(units.get(n, ''))}</td></tr>"
        for n in names
    )
    return (
        f"<div style='{SUMMARY_STYLE}'>"
        f"<p><b>These runs:</b> {settings_text(pair)}; "
        f"policies {', '.join(escape(p) for p in pair.policies)} on the same seed.</p>"
        f"<p><b>Outcomes so far</b> (month {pair.steps})</p>"
        f"<table style='border-collapse:collapse;width:100%'>"
        f"<tr><th align='left'>outcome</th>{head}<th style='{CELL}' align='left'>unit</th></tr>"
        f"{rows}</table></div>"
    )


def pair_agents_html(pair: PolicyPair) -> str:
    """Each run's agents (:func:`~community_sim.dashboard.panels.agents_html`), side by side."""
    cols = "".join(
        f"<div style='flex:1;min-width:0' data-policy='{escape(p)}'>"
        f"<p style='color:{policy_color(p)}'><b>{escape(p)}</b></p>{agents_html(m)}</div>"
        for p, m in pair.runs
    )
    return f"<div style='display:flex;gap:12px'>{cols}</div>"


def pair_refresh(
    pair: PolicyPair, view: SeriesView, outcome_units: Mapping[str, str]
) -> dict[str, Figure | str]:
    """Everything one refresh shows: the two figures and the two HTML panels."""
    return {
        "series": view.update(pair),
        "network": pair_network_figure(pair),
        "summary": pair_summary_html(pair, outcome_units),
        "agents": pair_agents_html(pair),
    }
