"""Panels for multi-panel figures: a grid sized to the column width, one shared legend."""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ticker import FuncFormatter, ScalarFormatter

from community_sim.figures.style import Style, new_figure


def panel_grid(
    n: int, style: Style, *, ncols: int = 2, panel_aspect: float = 0.7, width: str = "double"
) -> tuple[Figure, list[Axes]]:
    """A figure of ``n`` panels in ``ncols`` columns at the style's column width.

    A single panel takes a single column, at the same panel size as in a grid.
    """
    ncols = max(1, min(ncols, n))
    if n == 1:
        width, panel_aspect = "single", panel_aspect * 0.75
    nrows = math.ceil(n / ncols)
    w = style.double if width == "double" else style.single
    h = (w / ncols) * panel_aspect * nrows + 0.35  # + room for a shared legend
    fig = new_figure((w, round(h, 3)))
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel().tolist()
    for ax in axes[n:]:
        ax.remove()
    return fig, axes[:n]


def pages(
    items: Sequence[str], style: Style, *, ncols: int, panel_aspect: float
) -> list[tuple[str, list[str]]]:
    """Split panels into figures that fit the style's page height: ``(suffix, items)``.

    The suffix is empty when one figure holds them all, else ``_1``, ``_2``, …
    """
    panel_h = style.double / max(1, min(ncols, len(items))) * panel_aspect
    rows = max(1, int((style.page - 0.35) // panel_h))
    size = rows * ncols
    n_pages = math.ceil(len(items) / size)
    # Balance the pages (7 + 7 rather than 12 + 2), keeping whole rows.
    size = math.ceil(math.ceil(len(items) / n_pages) / ncols) * ncols
    chunks = [list(items[i : i + size]) for i in range(0, len(items), size)]
    if len(chunks) <= 1:
        return [("", list(items))]
    return [(f"_{k + 1}", c) for k, c in enumerate(chunks)]


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
        # Characters that fit: panel width over ≈0.7 em per (bold) character at the title size.
        width_in = ax.get_position().width * (fig.get_figwidth() if fig is not None else 7.0)
        size_pt = FontProperties(size=mpl.rcParams["axes.titlesize"]).get_size_in_points()
        chars = max(12, int(width_in * 72 / (0.7 * size_pt)))
        ax.set_title(textwrap.fill(text, chars, break_long_words=False))


def undefined_panel(ax: Axes, when: str) -> None:
    """An empty panel that says the output is undefined everywhere, and when it is."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    fig = ax.get_figure()
    width_in = ax.get_position().width * (fig.get_figwidth() if fig is not None else 3.5)
    size_pt = FontProperties(size=mpl.rcParams["font.size"]).get_size_in_points()
    chars = max(16, int(width_in * 72 / (0.55 * size_pt)))
    text = textwrap.fill(f"undefined: {when}", chars, break_long_words=False)
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="0.35")


def slug(text: str) -> str:
    """A file-name-safe version of an output or parameter name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "figure"


_SCALE_WORDS = {3: "thousand", 6: "million", 9: "billion", 12: "trillion"}


def _scale_axis(axis: Axis, label: str, lim: tuple[float, float]) -> str | None:
    """Show ticks in thousands/millions and say so in the label; the new label or None."""
    if axis.get_scale() != "linear" or not isinstance(axis.get_major_formatter(), ScalarFormatter):
        return None
    top = max(abs(lim[0]), abs(lim[1]))
    if not np.isfinite(top) or top < 1e4:
        return None
    k = min(12, 3 * int(np.floor(np.log10(top) / 3)))
    factor = 10.0**k
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v / factor:g}"))
    word = _SCALE_WORDS[k]
    flat = " ".join(label.split())
    if flat.endswith(")") and "(" in flat:
        i = flat.rfind("(")
        return f"{flat[: i + 1]}{word} {flat[i + 1 :]}"
    return f"{word} {flat}" if flat else word  # a bare unit: "million currency/yr"


def readable_numbers(fig: Figure) -> None:
    """Replace matplotlib's "1e6" offset text by "million" in each axis label."""
    for ax in fig.axes:
        new = _scale_axis(ax.yaxis, ax.get_ylabel(), ax.get_ylim())
        if new is not None:
            ax.set_ylabel(textwrap.fill(new, 40, break_long_words=False))
        new = _scale_axis(ax.xaxis, ax.get_xlabel(), ax.get_xlim())
        if new is not None:
            ax.set_xlabel(new)
