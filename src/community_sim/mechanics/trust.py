"""Trust and the continuation of relational contracts.

Trust moves toward 1 after a good period and toward 0 after a bad one, with
losses faster than gains (λ− > λ+; Pant & Yu 2025 — a technical report, used
as a sensitivity range). A tie is worth continuing while the trust-weighted
present value of its expected surplus covers its recurring costs and beats the
outside option (relational contracts: Levin 2003, AER 93(3)).
"""

from __future__ import annotations

import functools


def update_trust(trust: float, good: bool, gain: float, loss: float) -> float:
    """Asymmetric trust update: ``τ + λ+(1-τ)`` if good, ``τ - λ-τ`` if bad."""
    return trust + gain * (1.0 - trust) if good else trust - loss * trust


@functools.cache
def annuity(discount_rate: float, years: int) -> float:
    """Present value of 1 per year for ``years`` years at ``discount_rate``."""
    return float(sum((1.0 + discount_rate) ** -y for y in range(1, years + 1)))


def tie_value(
    trust: float,
    expected_surplus: float,
    recurring_cost: float,
    one_off_cost: float,
    annuity_factor: float,
) -> float:
    """Trust-weighted present value of a tie: ``(τ·S - R)·A - O``.

    ``S`` is the expected gross annual surplus, ``R`` the recurring cost per
    year (governance, renegotiation), ``O`` a one-off cost (set-up).
    """
    return (trust * expected_surplus - recurring_cost) * annuity_factor - one_off_cost
