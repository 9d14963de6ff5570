"""Trust and the continuation of relational contracts.

Trust moves toward 1 after a good period and toward 0 after a bad one, with
losses faster than gains (λ− > λ+; Pant & Yu 2025 — a technical report, used
as a sensitivity range). A tie is worth continuing while the trust-weighted
present value of its expected surplus covers its recurring costs and beats the
outside option (relational contracts: Levin 2003, AER 93(3)).
"""

from __future__ import annotations

import functools

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


def update_trust(
    trust: FloatArray | float, good: NDArray[np.bool_] | bool, gain: float, loss: float
) -> FloatArray:
    """Asymmetric trust update: ``τ + λ+(1-τ)`` if good, ``τ - λ-τ`` if bad."""
    if isinstance(trust, float) and isinstance(good, bool | np.bool_):
        # One tie's review: the same arithmetic in Python floats, without array calls.
        return np.asarray(trust + gain * (1.0 - trust) if good else trust - loss * trust)
    t = np.asarray(trust, dtype=np.float64)
    return np.where(good, t + gain * (1.0 - t), t - loss * t)


@functools.cache
def annuity(discount_rate: float, years: int) -> float:
    """Present value of 1 per year for ``years`` years at ``discount_rate``."""
    return float(sum((1.0 + discount_rate) ** -y for y in range(1, years + 1)))


def tie_value(
    trust: FloatArray | float,
    expected_surplus: FloatArray | float,
    recurring_cost: FloatArray | float,
    one_off_cost: FloatArray | float,
    annuity_factor: float,
) -> FloatArray:
    """Trust-weighted present value of a tie: ``(τ·S - R)·A - O``.

    ``S`` is the expected gross annual surplus, ``R`` the recurring cost per
    year (governance, renegotiation), ``O`` a one-off cost (set-up).
    """
    if all(isinstance(x, float | int) for x in (trust, expected_surplus, recurring_cost)):
        # One tie's value: the same arithmetic in Python floats, without array calls.
        return np.asarray(
            (trust * expected_surplus - recurring_cost) * annuity_factor - one_off_cost,  # type: ignore[operator]
            dtype=np.float64,
        )
    return np.asarray(
        (np.asarray(trust) * expected_surplus - recurring_cost) * annuity_factor - one_off_cost,
        dtype=np.float64,
    )
