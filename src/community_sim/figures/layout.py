"""Panels for multi-panel figures: a grid sized to the column width, one shared legend."""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Sequence

import matplotlib as mpl
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from community_sim.figures.style import Style, new_figure


def panel_grid(
    n: int, style: Style, *, ncols: int = 2, panel_aspect: float = 0.7, width: str = "double"
) -> tuple[Figure, list[Axes]]:
    """A figure of ``n`` panels in ``ncols`` columns at the style's column width."""
    ncols = max(1, min(ncols, n))
    nrows = math.ceil(n / ncols)
    w = style.double if width == "double" else style.single
    h = (w / ncols) * panel_aspect * nrows + 0.35  # + room for a shared legend
    fig = new_figure((w, round(h, 3)))
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel().tolist()
    for ax in axes[n:]:
        ax.remove()
    return fig, axes[:n]


def shared_legend(fig: Figure, handles: Sequence[Artist], ncol: int | None = None) -> None:
    """One legend for the whole figure, above the panels."""
    fig.legend(
        handles=list(handles),
        loc="outside upper center",
        ncol=ncol or len(handles),
        frameon=False,
    )


def letter_panels(axes: Sequence[Axes], titles: Sequence[str]) -> None:
    """Titles ``(a) …``, ``(b) …`` so a caption can refer to panels, wrapped to the panel."""
    for i, (ax, title) in enumerate(zip(axes, titles, strict=True)):
        text = f"({chr(97 + i)}) {title}" if len(axes) > 1 else title
        fig = ax.get_figure()
        # Characters that fit: panel width over ≈0.62 em per character at the title size.
        width_in = ax.get_position().width * (fig.get_figwidth() if fig is not None else 7.0)
        size_pt = FontProperties(size=mpl.rcParams["axes.titlesize"]).get_size_in_points()
        chars = max(12, int(width_in * 72 / (0.62 * size_pt)))
        ax.set_title(textwrap.fill(text, chars, break_long_words=False))


def slug(text: str) -> str:
    """A file-name-safe version of an output or parameter name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "figure"
