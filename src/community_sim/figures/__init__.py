"""Paper-ready figures from stored results (never re-running the model).

One module per figure family, each with ``plot_x(data, ..., ax=None) -> Axes``;
:mod:`.style` holds the palette, sizes and deterministic saving;
:func:`render_figures` is what ``community-sim figures DIR`` calls.
"""

from community_sim.figures.discovery import plot_box_limits, plot_pairs, plot_tradeoff
from community_sim.figures.distributions import plot_distribution
from community_sim.figures.forest import plot_forest
from community_sim.figures.render import Rendered, render_figures
from community_sim.figures.sensitivity import plot_convergence, plot_indices, plot_morris
from community_sim.figures.series import plot_series, with_policy
from community_sim.figures.style import POLICY_COLORS, STYLES, policy_color, style_context
from community_sim.figures.sweeps import paired_difference, plot_diff_heatmap, plot_sweep

__all__ = [
    "POLICY_COLORS",
    "STYLES",
    "Rendered",
    "paired_difference",
    "plot_box_limits",
    "plot_convergence",
    "plot_diff_heatmap",
    "plot_distribution",
    "plot_forest",
    "plot_indices",
    "plot_morris",
    "plot_pairs",
    "plot_series",
    "plot_sweep",
    "plot_tradeoff",
    "policy_color",
    "render_figures",
    "style_context",
    "with_policy",
]
