"""Compiled kernels (Numba) for the model's hottest arithmetic, to NumPy's last bit.

A month of the model is a few hundred NumPy calls on arrays of tens to a few
thousand elements, where each call's fixed cost outweighs its arithmetic.
These kernels fuse such sequences into one loop each. They compute exactly
what the NumPy code they replace computed, operation for operation:

- only ``+ - * /``, comparisons and ``min``/``max`` (no transcendental
  functions, whose NumPy implementations may differ from the compiler's);
- no ``fastmath``, so nothing is reassociated or contracted into a fused
  multiply-add;
- a sum over competencies adds in the order NumPy adds a row of up to
  :data:`~community_sim.mechanics.skills.PAIRWISE_BLOCK` elements
  (:func:`row_total`), the order :func:`~community_sim.mechanics.skills.row_sum`
  reproduces too.

``tests/model/test_kernels.py`` checks every kernel against the NumPy
expression it replaces on random inputs, bit for bit; the model's outcomes
are therefore those of the NumPy code. Compiled code is cached on disk
(``cache=True``), so only the first process after an install compiles.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

_JIT = dict(cache=True, error_model="numpy", nogil=True)


@njit(**_JIT)  # type: ignore[misc]
def row_total(v: FloatArray, n: int) -> float:
    """Sum of ``v[:n]`` in NumPy's order for a contiguous row of ``n`` ≤ 128 (``v`` is scratch).

    Below eight elements a running sum; from eight on, eight interleaved partial
    sums combined as a tree, then the remainder (NumPy's pairwise summation on
    one block). The same order as :func:`~community_sim.mechanics.skills._column_total`.
    """
    if n < 8:
        t = v[0] + 0.0
        for q in range(1, n):
            t += v[q]
        return t
    tail = n - n % 8
    for b in range(8, tail, 8):
        for q in range(8):
            v[q] += v[b + q]
    t = ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]))
    for q in range(tail, n):
        t += v[q]
    return t + 0.0


@njit(**_JIT)  # type: ignore[misc]
def match_pairs(
    skills: FloatArray, rows: IntArray, demand: FloatArray, jobs: IntArray
) -> FloatArray:
    """``skill_match(skills[rows], demand[jobs])``: one match per (row, job) pair."""
    n = rows.shape[0]
    k_n = skills.shape[1]
    out = np.empty(n)
    v = np.empty(k_n)
    for m in range(n):
        r = rows[m]
        f = jobs[m]
        for k in range(k_n):
            g = demand[f, k] - skills[r, k]
            v[k] = g if g > 0.0 else 0.0
        short = row_total(v, k_n)
        for k in range(k_n):
            v[k] = demand[f, k]
        need = row_total(v, k_n)
        out[m] = 1.0 - short / (need if need > 1e-12 else 1e-12)
    return out


@njit(**_JIT)  # type: ignore[misc]
def match_rows(skills: FloatArray, rows: IntArray, demand: FloatArray) -> FloatArray:
    """``skill_match(skills[rows], demand)`` for one demand profile ``demand`` (K,)."""
    n = rows.shape[0]
    k_n = skills.shape[1]
    out = np.empty(n)
    v = np.empty(k_n)
    for k in range(k_n):
        v[k] = demand[k]
    need = row_total(v, k_n)
    need = need if need > 1e-12 else 1e-12
    for m in range(n):
        r = rows[m]
        for k in range(k_n):
            g = demand[k] - skills[r, k]
            v[k] = g if g > 0.0 else 0.0
        out[m] = 1.0 - row_total(v, k_n) / need
    return out


@njit(**_JIT)  # type: ignore[misc]
def mean_fit_sums(skills_t: FloatArray, demand: FloatArray) -> FloatArray:
    """Per job, ``np.add.reduce(skill_match(s[:, None], demand[None]), axis=0)`` (two jobs or more).

    ``skills_t`` is the workers' skills transposed (K, W), so that each competency's
    shortfalls over all workers form one contiguous row; the workers' matches to a
    job are added in worker order, as NumPy reduces the leading axis of a table
    with more than one column.
    """
    k_n, w_n = skills_t.shape
    f_n = demand.shape[0]
    out = np.empty(f_n)
    cols = np.empty((k_n, w_n))
    short = np.empty(w_n)
    v = np.empty(k_n)
    for j in range(f_n):
        for k in range(k_n):
            d = demand[j, k]
            v[k] = d
            for i in range(w_n):
                g = d - skills_t[k, i]
                cols[k, i] = g if g > 0.0 else 0.0
        need = row_total(v, k_n)
        need = need if need > 1e-12 else 1e-12
        _column_totals(cols, k_n, w_n, short)
        acc = 1.0 - short[0] / need
        for i in range(1, w_n):
            acc += 1.0 - short[i] / need
        out[j] = acc
    return out


@njit(**_JIT)  # type: ignore[misc]
def _column_totals(cols: FloatArray, n: int, w_n: int, out: FloatArray) -> None:
    """``out[i]`` = :func:`row_total` of column ``i`` of ``cols[:n]`` (``cols`` is scratch)."""
    if n < 8:
        for i in range(w_n):
            out[i] = cols[0, i] + 0.0
        for q in range(1, n):
            for i in range(w_n):
                out[i] += cols[q, i]
        return
    tail = n - n % 8
    for b in range(8, tail, 8):
        for q in range(8):
            for i in range(w_n):
                cols[q, i] += cols[b + q, i]
    for i in range(w_n):
        out[i] = ((cols[0, i] + cols[1, i]) + (cols[2, i] + cols[3, i])) + (
            (cols[4, i] + cols[5, i]) + (cols[6, i] + cols[7, i])
        )
    for q in range(tail, n):
        for i in range(w_n):
            out[i] += cols[q, i]
    for i in range(w_n):
        out[i] += 0.0


@njit(**_JIT)  # type: ignore[misc]
def learn_rows(
    skills: FloatArray,
    lo: int,
    active: NDArray[np.bool_],
    key: IntArray,
    targets: FloatArray,
    rate: FloatArray,
    disuse_monthly: float,
    keep: float,
) -> None:
    """:func:`~community_sim.mechanics.skills.learn_step` in place for active rows ``lo + i``.

    Row ``lo + i`` learns toward ``targets[key[i]]`` at ``rate[i]`` (capped at 1);
    ``keep`` is ``1 - depreciation_monthly``. Inactive rows are left as they are.
    """
    k_n = skills.shape[1]
    for i in range(active.shape[0]):
        if not active[i]:
            continue
        r = lo + i
        t = key[i]
        step = rate[i] if rate[i] < 1.0 else 1.0
        for k in range(k_n):
            s = skills[r, k]
            g = targets[t, k] - s
            g = g * (step if g > 0.0 else disuse_monthly)
            g = g + s
            skills[r, k] = g * keep
