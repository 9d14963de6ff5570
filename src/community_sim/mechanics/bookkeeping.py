"""Compiled bookkeeping passes: the month's counts, moves and schedules over students and firms.

Each replaces a few NumPy masks, gathers or indexed ufuncs on the model's small
monthly arrays with one loop (the same numbers, tested against that NumPy
formulation in ``tests/mechanics/test_bookkeeping_kernels.py``); none holds a rule
of the model.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from community_sim.mechanics.jit import rule

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@rule
def enrolment_counts(
    status: IntArray, host: IntArray, stage: IntArray, lo: int, hi: int, enrolled: int
) -> tuple[int, int, int]:
    """Among rows ``lo..hi`` (``stage`` aligned with them): the enrolled (status
    ``enrolled``), those of them in stages 2–3, and those of these placed with a host."""
    n_enrolled = n_mid = n_placed = 0
    for r in range(lo, hi):
        if status[r] != enrolled:
            continue
        n_enrolled += 1
        s = stage[r - lo]
        if s == 2 or s == 3:
            n_mid += 1
            if host[r] >= 0:
                n_placed += 1
    return n_enrolled, n_mid, n_placed


@rule
def advance_months(
    prog_month: IntArray, status: IntArray, lo: int, hi: int, enrolled: int, table: IntArray
) -> IntArray:
    """The month's end for rows ``lo..hi``: each enrolled row (status ``enrolled``) one
    programme month on, in place; returns every row's stage in the new month, read from
    ``table`` (the stage of each programme month, the last entry for any later month)."""
    last = table.shape[0] - 1
    stage = np.empty(hi - lo, dtype=np.int64)
    for r in range(lo, hi):
        if status[r] == enrolled:
            prog_month[r] += 1
        m = prog_month[r]
        stage[r - lo] = table[m if m < last else last]
    return stage


@rule
def schedule_separations(
    sep: NDArray[np.bool_],
    months: IntArray,
    rows: IntArray,
    firm: IntArray,
    n_known: int,
    sep_month: IntArray,
    sep_due: IntArray,
) -> None:
    """Schedule the early separations of the month's hires (``hire_ledger.cost``), in place.

    A separating hire leaves in month ``months[h]``: a student (the first ``n_known``
    hires) at its row's ``sep_month``; an external hire as one more of its firm's
    untracked separations due that month (``sep_due``), if the month is within it.
    """
    for h in range(sep.shape[0]):
        if not sep[h]:
            continue
        if h < n_known:
            sep_month[rows[h]] = months[h]
        elif months[h] < sep_due.shape[0]:
            sep_due[months[h], firm[h]] += 1


@rule
def withdraw_found(
    fit: FloatArray,
    rows: IntArray,
    jobs: IntArray,
    seeking: IntArray,
    found: NDArray[np.bool_],
    first: NDArray[np.bool_],
    n_rows: int,
) -> None:
    """Pairs whose graduate took an outside offer are out of reach (fit ``-inf``, in place),
    except for firms with the first right to hire (``first``), which pick before it.

    ``found`` is aligned with ``seeking`` (rows below ``n_rows``); ``rows`` and ``jobs``
    give each pair's graduate and firm.
    """
    gone = np.zeros(n_rows, dtype=np.bool_)
    for m in range(seeking.shape[0]):
        if found[m]:
            gone[seeking[m]] = True
    for m in range(rows.shape[0]):
        if gone[rows[m]] and not first[jobs[m]]:
            fit[m] = -np.inf


@rule
def separating(
    employed: IntArray, sep_month: IntArray, uniforms: FloatArray, quit_p: float, month: int
) -> tuple[NDArray[np.bool_], IntArray]:
    """Which ``employed`` rows separate this month (``labour_market.separations``): those
    scheduled for ``month`` and those whose uniform falls below ``quit_p``; and the
    rows among them that quit unscheduled, in order."""
    n = employed.shape[0]
    go = np.empty(n, dtype=np.bool_)
    quits = np.empty(n, dtype=np.int64)
    n_quits = 0
    for m in range(n):
        due = sep_month[employed[m]] == month
        go[m] = due or uniforms[m] < quit_p
        if go[m] and not due:
            quits[n_quits] = employed[m]
            n_quits += 1
    return go, quits[:n_quits]


@rule
def leave_employers(
    employed: IntArray,
    go: NDArray[np.bool_],
    employer: IntArray,
    status: IntArray,
    left_month: IntArray,
    headcount: IntArray,
    month: int,
    left: int,
) -> tuple[IntArray, IntArray]:
    """The ``employed`` rows marked ``go`` leave their employer in ``month`` (status ``left``,
    one fewer on its ``headcount``), in place; returns them, in order, and per firm the
    tracked workers who stay."""
    leaving = np.empty(employed.shape[0], dtype=np.int64)
    stay = np.zeros(headcount.shape[0], dtype=np.int64)
    n = 0
    for m in range(employed.shape[0]):
        r = employed[m]
        if go[m]:
            headcount[employer[r]] -= 1
            status[r] = left
            left_month[r] = month
            leaving[n] = r
            n += 1
        else:
            stay[employer[r]] += 1
    return leaving[:n], stay


@rule
def take_outside_jobs(
    seeking: IntArray,
    found: NDArray[np.bool_],
    status: IntArray,
    employed_month: IntArray,
    grad_month: IntArray,
    month: int,
    seeking_months: int,
    seeking_code: int,
    left: int,
) -> IntArray:
    """Job seekers among ``seeking`` leave the model (``labour_market.outside_jobs``), in
    place: those the outside market ``found`` (aligned with ``seeking``) take its job in
    ``month``; the others give up ``seeking_months`` after graduating. Returns the rows
    that left, in order."""
    gone = np.empty(seeking.shape[0], dtype=np.int64)
    n = 0
    for m in range(seeking.shape[0]):
        r = seeking[m]
        if status[r] != seeking_code:
            continue
        if found[m]:
            employed_month[r] = month
        elif month - grad_month[r] < seeking_months:
            continue
        status[r] = left
        gone[n] = r
        n += 1
    return gone[:n]


@rule
def add_rows_at(
    out: FloatArray, at: IntArray, weights: FloatArray, src: FloatArray, rows: IntArray
) -> None:
    """``np.add.at(out, at, weights[:, None] * src[rows])`` in place: the same products
    added in the same order (``m`` ascending), without NumPy's indexed-ufunc machinery."""
    for m in range(rows.shape[0]):
        i = at[m]
        for k in range(src.shape[1]):
            out[i, k] += weights[m] * src[rows[m], k]


@rule
def max_rows_at(out: FloatArray, at: IntArray, src: FloatArray, rows: IntArray) -> None:
    """``np.maximum.at(out, at, src[rows])`` in place (the values hold no NaN)."""
    for m in range(rows.shape[0]):
        i = at[m]
        for k in range(src.shape[1]):
            x = src[rows[m], k]
            if x > out[i, k]:
                out[i, k] = x
