"""Bounds as NumPy applies them, for compiled rules that must give NumPy's numbers.

``np.maximum(x, lo)`` and ``np.clip`` keep a NaN and turn -0.0 into the bound's 0.0;
Python's ``max`` and a plain ``x if x > lo else lo`` do not agree on both.
"""

from __future__ import annotations

from community_sim.mechanics.jit import rule


@rule
def at_least(x: float, lo: float) -> float:
    """``np.maximum(x, lo)``: ``x`` unless below ``lo`` (NaN stays NaN)."""
    return x if (x > lo or x != x) else lo


@rule
def at_most(x: float, hi: float) -> float:
    """``np.minimum(x, hi)``: ``x`` unless above ``hi`` (NaN stays NaN)."""
    return x if (x < hi or x != x) else hi
