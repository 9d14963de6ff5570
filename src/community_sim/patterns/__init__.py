"""Pattern-oriented validation: empirical patterns as data, their statistics, the check.

References
----------
Grimm, V. et al. (2005). Pattern-oriented modeling of agent-based complex
systems: lessons from ecology. Science 310(5750), 987–991.
"""

from community_sim.patterns.table import Pattern, PatternSet, Variant, load_patterns

__all__ = ["Pattern", "PatternSet", "Variant", "load_patterns"]
