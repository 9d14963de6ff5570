"""Trust, the continuation of relational contracts, and commitment.

Trust moves toward 1 after a good year and toward 0 after a bad one, with
losses faster than gains (λ− > λ+; Pant & Yu 2025 — a technical report, used
as a sensitivity range). A year is judged on what the partner delivered — its
apprentices' early departures and the fit of its apprentices and graduates —
against what the firm expected; known contracted fees are not the partner's
performance and enter only the cost term of a tie's value. A tie is worth
continuing while the trust-weighted present value of its expected surplus
covers its recurring costs and beats the outside option (relational
contracts: Levin 2003, AER 93(3)); what was already paid enters no decision.
"""

from __future__ import annotations

import functools

import numpy as np
from numpy.typing import NDArray

from community_sim.mechanics.apprentice import reference_mismatch, relative_fit
from community_sim.mechanics.jit import rule
from community_sim.mechanics.skills import match_at, mismatch

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@rule
def update_trust(trust: float, good: bool, gain: float, loss: float) -> float:
    """Asymmetric trust update: ``τ + λ+(1-τ)`` if good, ``τ - λ-τ`` if bad."""
    return trust + gain * (1.0 - trust) if good else trust - loss * trust


update_trust_py = getattr(update_trust, "py_func", update_trust)
""":func:`update_trust`'s own Python code, for callers in Python (one tie at a time): the
same arithmetic without the cost of a call into compiled code, larger than the rule's."""


@rule
def delivered(
    departures: int, hosted: int, fit_sum: float, judged: int, expected_departure_share: float
) -> float:
    """What a partner delivered relative to what the firm expected (1 = as expected).

    ``(1 - d / h) / (1 - d0) × fit_sum / judged``: the share of the ``hosted``
    apprentices that did not leave early, against the expected share ``1 - d0``,
    times the mean relative fit of the ``judged`` apprentices and graduates (1 =
    the baseline's average apprentice, :mod:`~community_sim.mechanics.apprentice`).
    Either factor is 1 when there is nothing to judge it on; NaN when there is
    nothing at all.
    """
    if hosted <= 0 and judged <= 0:
        return np.nan
    kept = 1.0
    if hosted > 0:
        kept = (1.0 - departures / hosted) / (1.0 - expected_departure_share)
    fit = fit_sum / judged if judged > 0 else 1.0
    return kept * fit


@rule
def trust_after_review(
    trust: float,
    departures: int,
    hosted: int,
    fit_sum: float,
    judged: int,
    expected_departure_share: float,
    tolerance: float,
    gain: float,
    loss: float,
) -> float:
    """The firm's trust after a review: good if :func:`delivered` ≥ ``1 - tolerance``.

    A year with nothing delivered to judge leaves trust where it was. Costs are
    not an argument: a contracted fee cannot make a year bad.
    """
    score = delivered(departures, hosted, fit_sum, judged, expected_departure_share)
    if np.isnan(score):
        return trust
    return update_trust(trust, score >= 1.0 - tolerance, gain, loss)


@rule
def fit_sum(
    skills: FloatArray,
    aptitude: FloatArray,
    rows: IntArray,
    firm: int,
    demand: FloatArray,
    first_year: NDArray[np.bool_],
) -> float:
    """Sum over student ``rows`` of their relative fit to ``firm`` (the host's view of each).

    Relative to the baseline's average apprentice of the placement year
    (``first_year`` aligned with ``rows``; a graduate counts as a second-year).
    """
    total = 0.0
    for m in range(rows.shape[0]):
        r = rows[m]
        mis = mismatch(match_at(skills, r, demand, firm), aptitude[r])
        total += relative_fit(mis, reference_mismatch(first_year[m]))
    return total


@rule
def judged_fit_sum(
    skills: FloatArray,
    aptitude: FloatArray,
    demand: FloatArray,
    status: IntArray,
    school: IntArray,
    host: IntArray,
    employer: IntArray,
    employed_month: IntArray,
    host_start: IntArray,
    own: IntArray,
    firm: int,
    college: int,
    since: int,
    month: int,
    enrolled: int,
) -> tuple[float, int]:
    """:func:`fit_sum` over the rows of ``own`` a firm judges ``college`` on, and their number.

    Those from ``college`` it hosts now (status ``enrolled``; in their first placement
    year by ``host_start``) and those it hired after month ``since``, in ``own``'s order.
    """
    keep = np.empty(own.shape[0], dtype=np.int64)
    first_year = np.empty(own.shape[0], dtype=np.bool_)
    n = 0
    for m in range(own.shape[0]):
        r = own[m]
        if school[r] != college:
            continue
        if status[r] == enrolled:
            if host[r] != firm:
                continue
            first_year[n] = (month - host_start[r]) // 12 < 1
        elif employer[r] != firm or employed_month[r] <= since:
            continue
        else:
            first_year[n] = False
        keep[n] = r
        n += 1
    return fit_sum(skills, aptitude, keep[:n], firm, demand, first_year[:n]), n


@rule
def judged_rows(
    status: IntArray,
    host: IntArray,
    employer: IntArray,
    employed_month: IntArray,
    lo: int,
    hi: int,
    since: int,
    n_firms: int,
    enrolled: int,
    employed: int,
) -> tuple[IntArray, IntArray]:
    """Rows ``lo:hi`` a firm may judge a partner on, grouped by firm in row order, and the
    groups' bounds (firm ``j``'s are ``rows[bounds[j] : bounds[j + 1]]``).

    A firm's placed apprentices (status ``enrolled``, by host) and the graduates it hired
    after month ``since`` (status ``employed``, by employer).
    """
    firm = np.full(hi - lo, -1, dtype=np.int64)
    bounds = np.zeros(n_firms + 1, dtype=np.int64)
    for r in range(lo, hi):
        if status[r] == enrolled:
            j = host[r]
        elif status[r] == employed and employed_month[r] > since:
            j = employer[r]
        else:
            continue
        if j >= 0:
            firm[r - lo] = j
            bounds[j + 1] += 1
    for j in range(n_firms):
        bounds[j + 1] += bounds[j]
    rows = np.empty(bounds[n_firms], dtype=np.int64)
    fill = bounds[:n_firms].copy()
    for m in range(hi - lo):
        j = firm[m]
        if j >= 0:
            rows[fill[j]] = lo + m
            fill[j] += 1
    return rows, bounds


@rule
def judged_trusts(
    skills: FloatArray,
    aptitude: FloatArray,
    demand: FloatArray,
    status: IntArray,
    school: IntArray,
    host: IntArray,
    employer: IntArray,
    employed_month: IntArray,
    host_start: IntArray,
    rows: IntArray,
    bounds: IntArray,
    firms: IntArray,
    colleges: IntArray,
    since: IntArray,
    trust: FloatArray,
    departures: IntArray,
    hosted: IntArray,
    month: int,
    enrolled: int,
    departure_rate: float,
    tolerance: float,
    gain: float,
    loss: float,
) -> FloatArray:
    """Each firm's trust after reviewing its tie (:func:`trust_after_review`), ties at once.

    Tie ``i`` of firm ``firms[i]`` with college ``colleges[i]``, its period begun at month
    ``since[i]``, its trust, its apprentices' early ``departures`` and the number
    ``hosted``. The firm judges the rows of :func:`judged_fit_sum` among its own,
    ``rows[bounds[j] : bounds[j + 1]]`` for firm ``j``. Departures are weighed against
    ``departure_rate`` (over a two-year placement) for the period's length.
    """
    out = np.empty(firms.shape[0])
    for i in range(firms.shape[0]):
        j = firms[i]
        fits, judged = judged_fit_sum(
            skills, aptitude, demand, status, school, host, employer, employed_month,
            host_start, rows[bounds[j] : bounds[j + 1]], j, colleges[i], since[i], month,
            enrolled,
        )  # fmt: skip
        months = max(month - since[i], 1)
        out[i] = trust_after_review(
            trust[i], departures[i], hosted[i], fits, judged,
            departure_rate * min(months, 24) / 24.0, tolerance, gain, loss,
        )  # fmt: skip
    return out


@rule
def term_ends(month: int, member_since: int, term_months: int) -> bool:
    """Whether an August review at ``month`` ends a council term begun at ``member_since``.

    Terms run in whole academic years (``term_months`` rounded up to years),
    counted from the membership's start.
    """
    years = (month - member_since + 1) // 12
    term_years = max((term_months + 11) // 12, 1)
    return years >= 1 and years % term_years == 0


@rule
def leaves(stay_value: float, leave_value: float, exit_fee: float) -> bool:
    """Whether a firm leaves: the best way out, net of the fee it costs, beats staying."""
    return leave_value - exit_fee > stay_value


leaves_py = getattr(leaves, "py_func", leaves)
""":func:`leaves`' own Python code, for callers in Python (see :data:`update_trust_py`)."""


@functools.lru_cache(maxsize=64)  # read at every decision, for one or two pairs a run
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
