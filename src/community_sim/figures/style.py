"""One place for how figures look: palette, sizes, fonts, deterministic saving.

Colours are the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design",
https://jfly.uni-koeln.de/color/), safe for the common forms of colour-vision
deficiency; each policy keeps the same colour in every figure. Other categories
(parameters in sensitivity plots) use Paul Tol's "muted" scheme (Tol 2021,
"Colour Schemes", SRON/EPS/TN/09-002), also colour-blind safe, so they are
never mistaken for a policy.

Nothing here changes matplotlib's global state at import: :func:`style_context`
returns an ``rc_context`` the caller enters around drawing and saving.
"""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, ParamSpec

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

P = ParamSpec("P")
StyleName = Literal["paper", "slides"]
FORMATS: tuple[str, ...] = ("pdf", "png", "svg")

OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

POLICY_COLORS: dict[str, str] = {
    "project": OKABE_ITO["blue"],
    "integrated": OKABE_ITO["vermillion"],
    "transition": OKABE_ITO["bluish_green"],
}
"""The colour of each policy, the same in every figure."""

POLICY_ORDER: tuple[str, ...] = ("project", "transition", "integrated")

# Colours for policies a user model may define beyond the three above.
_EXTRA_POLICY_COLORS = (
    OKABE_ITO["orange"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["black"],
)

TOL_MUTED: tuple[str, ...] = (
    "#332288",
    "#CC6677",
    "#117733",
    "#DDCC77",
    "#88CCEE",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
)
"""Categorical colours for anything that is not a policy (e.g. parameters)."""

NEUTRAL = "#4D4D4D"
LIGHT = "#BBBBBB"
DIVERGING_CMAP = "PuOr_r"  # ColorBrewer, colour-blind safe, white at zero


def policy_color(policy: str) -> str:
    """The fixed colour of ``policy``; unknown policies get a stable extra colour."""
    if policy in POLICY_COLORS:
        return POLICY_COLORS[policy]
    # Stable across runs (no hash()): sum of code points picks the colour.
    return _EXTRA_POLICY_COLORS[sum(map(ord, policy)) % len(_EXTRA_POLICY_COLORS)]


def ordered_policies(policies: Iterable[str]) -> list[str]:
    """Policies in the house order (project, transition, integrated, then others sorted)."""
    present = set(policies)
    known = [p for p in POLICY_ORDER if p in present]
    return known + sorted(present - set(known))


@dataclass(frozen=True)
class Style:
    """Sizes for one medium: column widths in inches and the base font size in points."""

    name: StyleName
    single: float
    double: float
    font: float
    line: float
    marker: float
    page: float  # the tallest figure that fits a page (or a slide), in inches

    def size(self, width: Literal["single", "double"], aspect: float) -> tuple[float, float]:
        """(width, height) in inches for a figure ``aspect`` = height / width."""
        w = self.single if width == "single" else self.double
        return (w, round(w * aspect, 3))


STYLES: dict[str, Style] = {
    # Journal columns: ≈3.5 in single, ≈7.2 in double (Elsevier, Springer, PNAS).
    "paper": Style("paper", single=3.5, double=7.2, font=8.0, line=1.2, marker=3.0, page=9.0),
    # 16:9 slides at 13.33 in wide; single = half a slide.
    "slides": Style("slides", single=6.0, double=12.0, font=14.0, line=2.2, marker=6.0, page=6.75),
}


def get_style(name: str) -> Style:
    try:
        return STYLES[name]
    except KeyError:
        raise ValueError(f"unknown style {name!r}; choose one of {', '.join(STYLES)}") from None


def rc_params(style: Style) -> dict[str, Any]:
    """Matplotlib settings for ``style``: readable sizes, embedded TrueType, no chart junk."""
    f = style.font
    return {
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans"],
        "font.size": f,
        "axes.titlesize": f,
        "axes.labelsize": f,
        "xtick.labelsize": f - 1,
        "ytick.labelsize": f - 1,
        "legend.fontsize": f - 1,
        "legend.title_fontsize": f - 1,
        "figure.titlesize": f + 1,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.linewidth": 0.6 if style.name == "paper" else 1.0,
        "axes.grid": False,
        "axes.titlelocation": "left",
        "axes.titleweight": "bold",
        "lines.linewidth": style.line,
        "lines.markersize": style.marker,
        "legend.frameon": False,
        "figure.dpi": 100,
        "savefig.dpi": 300 if style.name == "paper" else 150,
        "savefig.bbox": "standard",
        "figure.constrained_layout.use": True,
        "pdf.fonttype": 42,  # embed TrueType, editable text in journals' pipelines
        "ps.fonttype": 42,
        "svg.fonttype": "path",
        "svg.hashsalt": "community-sim",  # fixed ids: identical SVG on every run
        "path.simplify": True,
        "image.cmap": "viridis",
    }


def style_context(style: Style | str = "paper") -> AbstractContextManager[Any]:
    """A context in which figures are drawn with ``style`` (no global change)."""
    s = get_style(style) if isinstance(style, str) else style
    return mpl.rc_context(rc_params(s))


HOUSE_MARK = ("svg.hashsalt", "community-sim")
"""An rc setting only the house styles make: tells whether one of them is active."""


def house_style_active() -> bool:
    """Whether a :func:`style_context` (paper or slides) is in force."""
    return bool(mpl.rcParams[HOUSE_MARK[0]] == HOUSE_MARK[1])


def styled(func: Callable[P, Axes]) -> Callable[P, Axes]:
    """Draw ``func`` (a ``plot_x(..., ax=None) -> Axes``) in the paper style.

    Inside a :func:`style_context` the active style is kept (slides stay
    slides); otherwise the paper style is entered for the call only, so a
    direct ``plot_x(df)`` gives a paper figure and leaves matplotlib's
    global settings as they were. The axes' ticks are then made to fit
    (:func:`.ticks.tidy_ticks`), with their sizes written into the axes.
    """
    from community_sim.figures.ticks import tidy_ticks

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Axes:
        context = nullcontext() if house_style_active() else style_context("paper")
        with context:
            ax = func(*args, **kwargs)
            tidy_ticks(ax)
        return ax

    return wrapper


def new_figure(size: tuple[float, float]) -> Figure:
    """A figure on the Agg canvas, made without pyplot (no GUI, no global figure list)."""
    fig = Figure(figsize=size)
    FigureCanvasAgg(fig)
    return fig


LABEL_WRAP = 34  # characters per line of an axis label in a single-column panel


def legend_above(ax: Axes, handles: list[Any] | None = None, ncol: int | None = None) -> None:
    """A legend in a row above the axes, where it cannot cover data."""
    h, _ = ax.get_legend_handles_labels()
    handles = handles if handles is not None else h
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.01),
        ncol=ncol or min(len(handles), 3),
        borderaxespad=0.0,
        handlelength=1.6,
        columnspacing=1.0,
    )


def new_axes(
    ax: Axes | None, width: Literal["single", "double"] = "single", aspect: float = 0.75
) -> Axes:
    """``ax`` itself, or the axes of a new single-column figure in the current rc style."""
    if ax is not None:
        return ax
    base = mpl.rcParams["font.size"]
    style = STYLES["slides"] if base >= STYLES["slides"].font else STYLES["paper"]
    return new_figure(style.size(width, aspect)).add_subplot()


def _metadata(fmt: str, title: str, meta: Mapping[str, str]) -> dict[str, Any]:
    """Format-specific metadata with no dates, so that output bytes are reproducible."""
    desc = "; ".join(f"{k}={v}" for k, v in meta.items())
    if fmt == "pdf":
        return {
            "Title": title,
            "Subject": desc,
            "Creator": "community-sim",
            "CreationDate": None,
            "ModDate": None,
        }
    if fmt == "svg":
        return {"Title": title, "Description": desc, "Creator": "community-sim", "Date": None}
    if fmt == "png":
        return {"Title": title, "Description": desc, "Software": "community-sim"}
    raise ValueError(f"unknown figure format {fmt!r}; choose from {', '.join(FORMATS)}")


def save_figure(
    fig: Figure,
    stem: Path,
    formats: Iterable[str],
    *,
    title: str,
    meta: Mapping[str, str] | None = None,
    dpi: float | None = None,
) -> list[Path]:
    """Write ``fig`` as ``stem.<fmt>`` for each format; return the paths written.

    Each file is written to a temporary name beside it and renamed, so an
    interrupted run never leaves a truncated figure. ``meta`` (e.g. experiment
    name and spec hash) goes into the file's metadata; dates are left out.
    """
    stem.parent.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    umask = os.umask(0)
    os.umask(umask)  # read it back: mkstemp's 0600 would hide figures from other users
    for fmt in formats:
        path = stem.with_suffix(f".{fmt}")
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        os.close(fd)
        try:
            extra = {"dpi": dpi} if dpi is not None else {}
            fig.savefig(tmp, format=fmt, metadata=_metadata(fmt, title, meta or {}), **extra)
            os.chmod(tmp, 0o666 & ~umask)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        written.append(path)
    return written
