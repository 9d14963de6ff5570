"""Kaplan–Meier survival of partnership spells and of firms' cooperation.

Two kinds of spell are followed. A *partnership* is one tie between a firm and
a college: renewals and a change of form at the same college ("convert")
continue it; a move to another college ("switch") ends it, but the tie did not
fail, so the spell is censored there rather than counted as an event. A
firm's *cooperation* is its time with any college: consecutive ties with no
month between them (a switch) form one spell, which ends when the firm has no
tie. Open spells are censored at the run's end.

References
----------
Kaplan, E.L. & Meier, P. (1958) Nonparametric estimation from incomplete
    observations. J. Am. Stat. Assoc. 53, 457–481.
Klein, J.P. & Moeschberger, M.L. (2003) Survival Analysis, 2nd ed., Springer, ch. 4.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

MOVE = "switch"
"""Closing reason of a tie whose firm moved to another college (censored, not an event)."""


class _Firm(Protocol):
    idx: int


class Spell(Protocol):
    """What survival reads of a :class:`~community_sim.agents.partnership.Partnership`."""

    enterprise: _Firm
    start: int
    end: int
    active: bool
    history: list[tuple[int, str]]


def closing_reason(tie: Spell) -> str:
    """Why a closed tie ended (its last history entry); "" while it is open."""
    return "" if tie.active or not tie.history else tie.history[-1][1]


def partnership_spells(
    spells: Sequence[Spell], steps: int
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Durations and events of ties: a move to another college is censored, not an event."""
    dur = np.array([(steps if t.active else t.end) - t.start for t in spells], dtype=float)
    ev = np.array([not t.active and closing_reason(t) != MOVE for t in spells], dtype=bool)
    return dur, ev


def tie_spells(
    spells: Sequence[Spell], steps: int
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Durations and events of ties, every closing an event (moves included)."""
    dur = np.array([(steps if t.active else t.end) - t.start for t in spells], dtype=float)
    return dur, np.array([not t.active for t in spells], dtype=bool)


def cooperation_spells(
    spells: Sequence[Spell], steps: int
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Durations and events of firms' cooperation with any college.

    A firm's ties follow one another; a tie that starts in the month the last
    one ended (a move) continues the cooperation. It ends with a tie that no
    other follows at once; a cooperation still open at the run's end is censored.
    """
    by_firm: dict[int, list[Spell]] = {}
    for t in spells:
        by_firm.setdefault(t.enterprise.idx, []).append(t)
    dur: list[float] = []
    ev: list[bool] = []
    for ties in by_firm.values():
        ties.sort(key=lambda t: t.start)
        first = ties[0]
        for k, t in enumerate(ties):
            nxt = ties[k + 1] if k + 1 < len(ties) else None
            if nxt is not None and not t.active and nxt.start == t.end:
                continue  # the next tie takes over in the same month
            dur.append(float((steps if t.active else t.end) - first.start))
            ev.append(not t.active)
            first = nxt if nxt is not None else t
    return np.array(dur, dtype=float), np.array(ev, dtype=bool)


def kaplan_meier(
    durations: NDArray[np.float64], events: NDArray[np.bool_]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Kaplan–Meier estimate: event times and survival just after each (censored at ``~events``)."""
    if durations.size == 0:
        return np.zeros(0), np.zeros(0)
    times = np.unique(durations[events])
    surv = np.ones(times.size)
    s = 1.0
    for k, tm in enumerate(times):
        at_risk = np.count_nonzero(durations >= tm)
        died = np.count_nonzero((durations == tm) & events)
        s *= 1.0 - died / at_risk
        surv[k] = s
    return times, surv


def survival_at(times: NDArray[np.float64], surv: NDArray[np.float64], t: float) -> float:
    """S(t) from a Kaplan–Meier step function (1 before the first event)."""
    k = np.searchsorted(times, t, side="right")
    return 1.0 if k == 0 else float(surv[k - 1])


def survival_defined_at(
    durations: NDArray[np.float64], surv: NDArray[np.float64], t: float
) -> bool:
    """Whether the Kaplan–Meier estimate at ``t`` is identified by the data.

    Beyond the longest observed spell the curve is unknown unless it already
    reached 0: someone must have been followed to ``t`` (Klein & Moeschberger
    2003, ch. 4: the estimator beyond the largest time).
    """
    if durations.size == 0:
        return False
    return bool(np.max(durations) >= t or (surv.size and surv[-1] == 0.0))


def survival_or_nan(durations: NDArray[np.float64], events: NDArray[np.bool_], t: float) -> float:
    """Kaplan–Meier S(t), or NaN where the data do not identify it."""
    times, surv = kaplan_meier(durations, events)
    return survival_at(times, surv, t) if survival_defined_at(durations, surv, t) else np.nan


def restricted_mean(times: NDArray[np.float64], surv: NDArray[np.float64], tau: float) -> float:
    """Area under the Kaplan–Meier curve on ``[0, tau]``."""
    edges = np.concatenate([[0.0], times[times < tau], [tau]])
    levels = np.concatenate([[1.0], surv[times < tau]])
    return float(np.sum(levels * np.diff(edges)))
