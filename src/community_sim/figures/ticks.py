"""Tick labels that never overlap: as many ticks as the labels' widths allow.

Matplotlib's ``MaxNLocator(nbins="auto")`` budgets about three characters per
x tick label, so a narrow panel of small differences gets "-0.00175-0.00150…".
:class:`FittingLocator` measures the labels the axis' formatter will print at
draw time (the panel's final size) and takes fewer ticks until they fit with
a gap; the formatter writes very small or large numbers as a short mantissa
with a common ×10ⁿ factor at the axis end.
"""

from __future__ import annotations

from functools import cache

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.axis import Axis, XAxis
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath
from matplotlib.ticker import AutoLocator, MaxNLocator, ScalarFormatter

MAX_TICKS = 7
GAP_EM = 1.0  # blank space between neighbouring labels, in label font sizes
POWER_LIMITS = (-3, 4)  # 0.00175 → 1.75 with ×10⁻³ at the axis end; 12345 → 1.2345 ×10⁴


@cache
def _text_size(text: str, size: float) -> tuple[float, float]:
    """(width, height) in points of ``text`` at ``size`` points in the current sans font."""
    prop = FontProperties(family=mpl.rcParams["font.sans-serif"][:1] or "sans-serif", size=size)
    # Labels of a math-text formatter ("$\\mathdefault{1.75}$") are measured as printed.
    ismath = len(text) > 1 and text.startswith("$") and text.endswith("$")
    w, h, _ = TextToPath().get_text_width_height_descent(text, prop, ismath=ismath)
    return float(w), float(h)


class FittingLocator(MaxNLocator):
    """At most ``MAX_TICKS`` nice ticks, fewer until the formatted labels fit side by side."""

    def __init__(self, fontsize: float) -> None:
        super().__init__(nbins=MAX_TICKS, steps=[1, 2, 2.5, 5, 10], min_n_ticks=2)
        self.fontsize = fontsize

    def tick_values(self, vmin: float, vmax: float) -> np.ndarray:
        axis = self.axis
        if axis is None or axis.axes is None:
            return super().tick_values(vmin, vmax)
        length = self._length_pt(axis)
        locs = super().tick_values(vmin, vmax)
        for n in range(MAX_TICKS, 1, -1):
            self.set_params(nbins=n)
            locs = super().tick_values(vmin, vmax)
            if self._fits(axis, locs, vmin, vmax, length):
                break
        self.set_params(nbins=MAX_TICKS)
        return locs

    @staticmethod
    def _length_pt(axis: Axis) -> float:
        ax = axis.axes
        fig = ax.get_figure()
        box = ax.get_position()
        if fig is None:
            return 0.0
        size = fig.get_size_inches()
        frac = box.width if isinstance(axis, XAxis) else box.height
        return float(frac * (size[0] if isinstance(axis, XAxis) else size[1]) * 72.0)

    def _fits(self, axis: Axis, locs: np.ndarray, vmin: float, vmax: float, length: float) -> bool:
        lo, hi = min(vmin, vmax), max(vmin, vmax)
        eps = 1e-9 * (hi - lo)
        shown = np.array([v for v in locs if lo - eps <= v <= hi + eps])
        if shown.size < 2 or hi <= lo:
            return True
        fmt = axis.get_major_formatter()
        labels = fmt.format_ticks(list(shown))
        sizes = [_text_size(str(t), self.fontsize) for t in labels]
        pos = (shown - lo) / (hi - lo) * length
        gap = GAP_EM * self.fontsize
        for i in range(shown.size - 1):
            if isinstance(axis, XAxis):
                need = (sizes[i][0] + sizes[i + 1][0]) / 2 + gap
            else:
                need = max(sizes[i][1], sizes[i + 1][1], self.fontsize) + gap / 2
            if abs(pos[i + 1] - pos[i]) < need:
                return False
        return True


def tidy_ticks(ax: Axes) -> None:
    """Fitting ticks and compact numbers on ``ax``'s linear numeric axes; sizes frozen.

    Axes with fixed (categorical) or log ticks keep theirs. The current tick
    label size and font are written into the axes, so ticks made later (at
    saving, outside any style context) keep the style they were drawn in.
    """
    for axis, which in ((ax.xaxis, "x"), (ax.yaxis, "y")):
        size = FontProperties(size=mpl.rcParams[f"{which}tick.labelsize"]).get_size_in_points()
        family = mpl.rcParams["font.family"]
        family = family[0] if isinstance(family, list) else family
        ax.tick_params(axis=which, which="both", labelsize=size, labelfontfamily=family)
        if axis.get_scale() != "linear":
            continue
        locator = axis.get_major_locator()
        if type(locator) not in (AutoLocator, MaxNLocator) and not isinstance(
            locator, FittingLocator
        ):
            continue
        axis.set_major_locator(FittingLocator(size))
        if type(axis.get_major_formatter()) is ScalarFormatter:
            fmt = ScalarFormatter(useMathText=True)
            fmt.set_powerlimits(POWER_LIMITS)
            axis.set_major_formatter(fmt)
            axis.get_offset_text().set_fontsize(size)
