"""Pattern-oriented validation: empirical patterns as data, their statistics, the check.

The names below are imported from :mod:`community_sim.patterns.table` on first
use, so that importing the command line (which registers the ``patterns``
command) does not load the pattern table's dependencies.

References
----------
Grimm, V. et al. (2005). Pattern-oriented modeling of agent-based complex
systems: lessons from ecology. Science 310(5750), 987–991.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from community_sim.patterns.table import Pattern, PatternSet, Variant, load_patterns

__all__ = ["Pattern", "PatternSet", "Variant", "load_patterns"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from community_sim.patterns import table

        return getattr(table, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
