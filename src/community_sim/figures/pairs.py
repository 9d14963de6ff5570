"""Pairs plot of a weighted posterior sample: marginals on the diagonal, pairs below it.

``post`` has one column per parameter and a ``weight`` column (an ABC-SMC
population). Known values (a synthetic check's truth) are marked in red, the
prior's range bounds each axis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from community_sim.figures.labels import axis_label
from community_sim.figures.style import NEUTRAL, get_style, new_figure, save_figure, style_context

TRUTH_COLOR = "#D55E00"
SAMPLE_COLOR = "#0072B2"


def render_pairs(
    post: pd.DataFrame,
    priors: Mapping[str, tuple[float, float]],
    stem: Path,
    *,
    truth: Mapping[str, float] | None = None,
    formats: Sequence[str] = ("pdf", "png"),
    style: str = "paper",
) -> list[Path]:
    """Draw the pairs plot of ``post`` and save it as ``stem.<fmt>``."""
    names = list(priors)
    n = len(names)
    w = post["weight"].to_numpy(dtype=float)
    w = w / w.sum()
    truth = truth or {}
    st = get_style(style)
    with style_context(st):
        side = st.single if n == 1 else min(st.double, 1.9 * n)
        fig = new_figure((side, side))
        axes = np.asarray(fig.subplots(n, n, squeeze=False))
        for i, yi in enumerate(names):
            for j, xj in enumerate(names):
                ax = axes[i, j]
                if j > i:
                    ax.remove()
                    continue
                if i == j:
                    ax.hist(post[xj], bins=20, weights=w, range=priors[xj], color=SAMPLE_COLOR)
                    ax.set_yticks([])
                else:
                    size = 4 + 60 * w / w.max()
                    ax.scatter(post[xj], post[yi], s=size, color=SAMPLE_COLOR, alpha=0.5, lw=0)
                    ax.set_ylim(*priors[yi])
                    if yi in truth:
                        ax.axhline(truth[yi], color=TRUTH_COLOR, lw=0.8)
                ax.set_xlim(*priors[xj])
                if xj in truth:
                    ax.axvline(truth[xj], color=TRUTH_COLOR, lw=0.8)
                if i == n - 1:
                    ax.set_xlabel(axis_label(xj, wrap=24))
                if j == 0 and i > 0:
                    ax.set_ylabel(axis_label(yi, wrap=24))
        fig.suptitle("Posterior (last ABC-SMC population)", color=NEUTRAL)
        return save_figure(fig, stem, formats, title="Posterior pairs plot")
