"""Policy design under deep uncertainty: multi-objective robust search and robustness tables.

``community-sim optimize SPEC`` searches the levers of an ``[optimize]`` table
for the Pareto set of robust objectives (:func:`optimize`), every evaluation a
run of the experiment engine; ``community-sim robustness DIR`` scores the lever
settings of a stored sweep (:func:`robustness_of_sweep`).
"""

from community_sim.optimize.search import OptimizeSummary, optimize
from community_sim.optimize.sweep import RobustnessSummary, robustness_of_sweep

__all__ = ["OptimizeSummary", "RobustnessSummary", "optimize", "robustness_of_sweep"]
