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

``tests/mechanics/test_kernels.py`` checks every kernel against the NumPy
expression it replaces on random inputs, bit for bit; the model's outcomes
are therefore those of the NumPy code.

Compiled code is cached on disk (``cache=True``), so only the first process
after an install compiles. Numba invalidates that cache by the source file of
each kernel only, not by the files of what it reads: so the kernels are kept
in this one file (a change to a helper recompiles its callers), and the
model's constants they use (the hiring-cost bracket, the productivity ramp)
are passed in as arguments (:data:`COST_TERMS`, :data:`RAMP_TABLE`) rather
than read as globals, which would be frozen into the cached code.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

from community_sim.mechanics import labour
from community_sim.mechanics.skills import RAMP

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

COST_TERMS = np.array(
    [
        labour.SEARCH_SHARE,
        labour.DISRUPTION_SHARE,
        labour.POST_MATCH_SHARE,
        labour.REFERENCE_MISMATCH,
        labour.MAX_MISMATCH_FACTOR,
    ]
)
"""The hiring-cost bracket's constants (:func:`~community_sim.mechanics.labour.hire_cost_weeks`):
search, disruption and post-match shares, reference mismatch, cap on relative mismatch."""
RAMP_TABLE = np.asarray(RAMP, dtype=np.float64)
"""Relative productivity by programme year (:data:`~community_sim.mechanics.skills.RAMP`)."""

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
    """``skill_match(skills[rows], demand[jobs])``: one match per (row, job) pair.

    This loop body (shortfalls, their total, the need, the share) is written out
    again in :func:`screened_fit`, :func:`fill_places` and :func:`apprentice_month`:
    calling one shared helper per pair instead, even marked ``inline="always"``,
    made those kernels 2–2.5× slower (measured), and they run every month.
    """
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
def pick_candidates(
    fit: FloatArray,
    blocks: IntArray,
    firms: IntArray,
    vac: IntArray,
    ahead: IntArray,
    ext_fit: FloatArray,
    market: FloatArray,
    level_scale: FloatArray,
    search: float,
    wait: float,
    costs: FloatArray,
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Firms pick candidates block by block, in order (``labour_market._pick``).

    ``blocks`` rows are (first pair, candidates, first firm, firms): the block's
    ``fit`` is candidate-major, one column per firm of ``firms[first firm:...]``
    in picking order (partners and a college's graduates; or one training firm and
    its own graduates). Each firm takes, among the candidates nobody took before it
    and seen to beat the market (``fit >= ext_fit``), the best first (ties in
    candidate order): up to ``vac`` for open vacancies, then up to ``ahead``
    more whose saving ``market - cost`` covers ``wait``, where a candidate's cost
    is :func:`~community_sim.mechanics.labour.hire_cost_weeks` at mismatch
    ``1 - fit`` and search share ``search``, with the firm's ``level × scale``
    factor and the bracket's constants ``costs`` (:data:`COST_TERMS`). ``vac``
    and ``ahead`` are decremented in place.

    Returns the picked pairs (indices into ``fit``) in picking order, and per
    picking firm in order: the firm, how many it took, and how many of those
    were taken ahead of vacancies.
    """
    n_pairs = 0
    for b in range(blocks.shape[0]):
        n_pairs += blocks[b, 1]
    pairs = np.empty(n_pairs, dtype=np.int64)
    group_firm = np.empty(firms.shape[0], dtype=np.int64)
    group_n = np.empty(firms.shape[0], dtype=np.int64)
    group_ahead = np.empty(firms.shape[0], dtype=np.int64)
    n_picked = 0
    n_groups = 0
    for b in range(blocks.shape[0]):
        start, n_cand, f0, n_f = blocks[b, 0], blocks[b, 1], blocks[b, 2], blocks[b, 3]
        taken = np.zeros(n_cand, dtype=np.bool_)
        idx = np.empty(n_cand, dtype=np.int64)
        for col in range(n_f):
            j = firms[f0 + col]
            if vac[j] + ahead[j] <= 0:
                continue
            bar = ext_fit[j]
            n_better = 0
            for i in range(n_cand):
                if not taken[i] and fit[start + i * n_f + col] >= bar:
                    idx[n_better] = i
                    n_better += 1
            if n_better == 0:
                continue
            better = idx[:n_better].copy()
            keys = np.empty(n_better)
            for q in range(n_better):
                keys[q] = -fit[start + better[q] * n_f + col]
            order = better[np.argsort(keys, kind="mergesort")]
            now = min(vac[j], n_better)
            n_extra_max = min(ahead[j], n_better - now)
            got = 0
            for q in range(now):
                i = order[q]
                taken[i] = True
                pairs[n_picked + got] = start + i * n_f + col
                got += 1
            kept_ahead = 0
            for q in range(now, now + n_extra_max):
                i = order[q]
                mis = 1.0 - fit[start + i * n_f + col]
                post = mis / costs[3]
                post = post if post < costs[4] else costs[4]
                parts = costs[0] * search + costs[1] + costs[2] * post
                own = level_scale[j] * parts
                if market[j] - own >= wait:
                    taken[i] = True
                    pairs[n_picked + got] = start + i * n_f + col
                    got += 1
                    kept_ahead += 1
            if got == 0:
                continue
            vac[j] -= now
            ahead[j] -= kept_ahead
            n_picked += got
            group_firm[n_groups] = j
            group_n[n_groups] = got
            group_ahead[n_groups] = kept_ahead
            n_groups += 1
    return pairs[:n_picked], group_firm[:n_groups], group_n[:n_groups], group_ahead[:n_groups]


@njit(**_JIT)  # type: ignore[misc]
def fill_places(
    skills: FloatArray,
    aptitude: FloatArray,
    demand: FloatArray,
    pools: IntArray,
    pool_start: IntArray,
    steps: IntArray,
    signal: FloatArray,
) -> IntArray:
    """Hosts fill their places in turn, each with the candidates it sees fitting best.

    ``pools[pool_start[i]:pool_start[i + 1]]`` are college ``i``'s candidates in
    row order. ``steps`` rows are (host, college, places, candidates): the host
    screens the college's remaining candidates (their number must equal
    ``candidates``) on ``skill_match × min(aptitude × signal, 1)``, reading the
    next ``candidates`` values of ``signal`` (``exp(σ z)``, drawn by the caller),
    and takes the best ``places`` (ties in row order); the rest stay, in order.
    Returns the rows taken, step after step, each step best first.
    """
    k_n = skills.shape[1]
    left = np.empty(pools.shape[0], dtype=np.int64)
    n_left = np.empty(pool_start.shape[0] - 1, dtype=np.int64)
    for i in range(n_left.shape[0]):
        n_left[i] = pool_start[i + 1] - pool_start[i]
    left[:] = pools
    total = 0
    for s in range(steps.shape[0]):
        total += steps[s, 2]
    out = np.empty(total, dtype=np.int64)
    v = np.empty(k_n)
    pos = 0
    n_out = 0
    for s in range(steps.shape[0]):
        j, i, take, n = steps[s, 0], steps[s, 1], steps[s, 2], steps[s, 3]
        base = pool_start[i]
        if n != n_left[i]:
            raise ValueError("fill_places: a step's candidate count is not the pool's")
        for k in range(k_n):
            v[k] = demand[j, k]
        need = row_total(v, k_n)
        need = need if need > 1e-12 else 1e-12
        keys = np.empty(n)
        for c in range(n):
            r = left[base + c]
            for k in range(k_n):
                g = demand[j, k] - skills[r, k]
                v[k] = g if g > 0.0 else 0.0
            match = 1.0 - row_total(v, k_n) / need
            seen = aptitude[r] * signal[pos + c]
            seen = seen if seen < 1.0 else 1.0
            keys[c] = -(match * seen)
        pos += n
        order = _first_sorted(keys, take)
        chosen = np.zeros(n, dtype=np.bool_)
        for q in range(order.shape[0]):
            out[n_out] = left[base + order[q]]
            n_out += 1
            chosen[order[q]] = True
        kept = 0
        for c in range(n):
            if not chosen[c]:
                left[base + kept] = left[base + c]
                kept += 1
        n_left[i] = kept
    return out[:n_out]


@njit(**_JIT)  # type: ignore[misc]
def _first_sorted(keys: FloatArray, take: int) -> IntArray:
    """``np.argsort(keys, kind="stable")[:take]`` without sorting all of ``keys``.

    The ``take`` smallest keys (equal keys in index order: all keys below the
    ``take``-th smallest, then that value's first occurrences) sorted stably, which
    is the start of the stable sort of all keys.
    """
    n = keys.shape[0]
    if take >= n:
        return np.argsort(keys, kind="mergesort")
    bar = np.partition(keys, take - 1)[take - 1]
    chosen = np.empty(take, dtype=np.int64)
    c = 0
    for q in range(n):
        if keys[q] < bar:
            chosen[c] = q
            c += 1
    for q in range(n):
        if c == take:
            break
        if keys[q] == bar:
            chosen[c] = q
            c += 1
    return chosen[np.argsort(keys[chosen], kind="mergesort")]


@njit(**_JIT)  # type: ignore[misc]
def apprentice_month(
    skills: FloatArray,
    aptitude: FloatArray,
    rows: IntArray,
    hosts: IntArray,
    prog_month: IntArray,
    host_start: IntArray,
    stage: IntArray,
    demand: FloatArray,
    wage: FloatArray,
    rotation: FloatArray,
    month: int,
    shares: FloatArray,
    reference: FloatArray,
    hazards: FloatArray,
    uniforms: FloatArray,
    n_firms: int,
    ramp: FloatArray,
    max_factor: float,
) -> tuple[FloatArray, IntArray, IntArray, NDArray[np.bool_]]:
    """One month of apprentice economics (``placement.run_month``) for placed ``rows``.

    Per apprentice, with ``hosts``, ``stage`` and ``uniforms`` aligned with ``rows``:
    effective mismatch with the host, output relative to the average apprentice of
    the placement year (``reference`` mismatch for years 1 and 2, capped at
    ``shares[3]``), output at ``shares[0]`` (productive share) of the wage times
    the ramp, cost at ``shares[1]`` (pay and masters' time) plus ``shares[2]``
    (rotation hand-over) for stage-2 rotation; termination when the uniform falls
    below the year's hazard (``hazards``) scaled by relative mismatch (capped at
    ``max_factor``); ``ramp`` is :data:`RAMP_TABLE`. Returns,
    per firm, the gross surplus (added in row order, as ``np.bincount``), the
    apprentices and the terminations, and which rows ended.
    """
    k_n = skills.shape[1]
    gross = np.zeros(n_firms)
    n_app = np.zeros(n_firms, dtype=np.int64)
    n_term = np.zeros(n_firms, dtype=np.int64)
    end = np.zeros(rows.shape[0], dtype=np.bool_)
    v = np.empty(k_n)
    for m in range(rows.shape[0]):
        r = rows[m]
        h = hosts[m]
        for k in range(k_n):
            g = demand[h, k] - skills[r, k]
            v[k] = g if g > 0.0 else 0.0
        short = row_total(v, k_n)
        for k in range(k_n):
            v[k] = demand[h, k]
        need = row_total(v, k_n)
        match = 1.0 - short / (need if need > 1e-12 else 1e-12)
        perf = aptitude[r] if aptitude[r] < 1.0 else 1.0
        mis = _unit(1.0 - match * perf)
        first = (month - host_start[r]) // 12 < 1
        ref = reference[0] if first else reference[1]
        rel = (1.0 - mis) / (1.0 - ref)
        rel = 0.0 if rel < 0.0 else (shares[3] if rel > shares[3] else rel)
        year = prog_month[r] // 12
        year = 0 if year < 0 else (2 if year > 2 else year)
        output = wage[h] * shares[0] * ramp[year] * rel
        cost = wage[h] * shares[1]
        rot = rotation[h] if stage[m] == 2 else 0.0
        cost = cost + wage[h] * shares[2] * rot
        gross[h] += output - cost
        n_app[h] += 1
        base = hazards[0] if first else hazards[1]
        factor = mis / ref
        factor = factor if factor < max_factor else max_factor
        if uniforms[m] < _unit(base * factor):
            end[m] = True
            n_term[h] += 1
    return gross, n_app, n_term, end


@njit(**_JIT)  # type: ignore[misc]
def _unit(x: float) -> float:
    """``np.clip(x, 0, 1)`` for a number that is not NaN."""
    return 0.0 if x < 0.0 else (1.0 if x > 1.0 else x)


@njit(**_JIT)  # type: ignore[misc]
def teach_rows(
    skills: FloatArray,
    lo: int,
    active: NDArray[np.bool_],
    stage: IntArray,
    school: IntArray,
    host: IntArray,
    aptitude: FloatArray,
    curricula: FloatArray,
    demand: FloatArray,
    school_factor: FloatArray,
    council_mean: FloatArray,
    rotation: FloatArray,
    rates: FloatArray,
    disuse_monthly: float,
    keep: float,
) -> None:
    """One month of learning (``teaching.teach``) for the active rows ``lo + i``, in place.

    In college a row learns toward its college's curriculum at ``rates[0]`` ×
    aptitude × its college's ``school_factor``, times ``rates[1]`` in stages 2–3
    (simulated practice); placed with host ``h`` it learns toward ``demand[h]``
    at ``rates[2]`` × aptitude × ``rates[3]``, in stage 2 toward
    ``(1 - s) demand[h] + s council_mean[college]`` with ``s = rotation[h]``
    when positive. Then :func:`~community_sim.mechanics.skills.learn_step`.
    """
    k_n = skills.shape[1]
    for i in range(active.shape[0]):
        if not active[i]:
            continue
        r = lo + i
        h = host[i]
        c = school[i]
        if h >= 0:
            rate = rates[2] * aptitude[i] * rates[3]
            share = rotation[h] if stage[i] == 2 else 0.0
        else:
            rate = rates[0] * aptitude[i] * school_factor[c]
            if stage[i] == 2 or stage[i] == 3:
                rate = rate * rates[1]
            share = 0.0
        step = rate if rate < 1.0 else 1.0
        for k in range(k_n):
            if h < 0:
                t = curricula[c, k]
            elif share > 0.0:
                t = (1.0 - share) * demand[h, k] + share * council_mean[c, k]
            else:
                t = demand[h, k]
            s = skills[r, k]
            g = t - s
            g = g * (step if g > 0.0 else disuse_monthly)
            g = g + s
            skills[r, k] = g * keep


@njit(**_JIT)  # type: ignore[misc]
def partner_pairs(
    seeking: IntArray, school: IntArray, ordered: IntArray, firm_school: IntArray, n_s: int
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Every (graduate, partner) pair, college by college, graduate-major.

    ``seeking`` graduates (rows, ``school[row]`` their college) and partner firms in
    picking order ``ordered`` (``firm_school[firm]`` their college) are grouped by
    college, keeping their order; a college with graduates and partners is a block.
    Returns each pair's row and firm, the blocks as :func:`pick_candidates` reads them
    (first pair, graduates, first firm, firms) and the blocks' firms in order.
    """
    n_cand = np.zeros(n_s, dtype=np.int64)
    n_firm = np.zeros(n_s, dtype=np.int64)
    for r in seeking:
        n_cand[school[r]] += 1
    for j in ordered:
        n_firm[firm_school[j]] += 1
    c_at = np.zeros(n_s + 1, dtype=np.int64)
    f_at = np.zeros(n_s + 1, dtype=np.int64)
    n_blocks = 0
    n_pairs = 0
    for i in range(n_s):
        live = n_cand[i] > 0 and n_firm[i] > 0
        c_at[i + 1] = c_at[i] + (n_cand[i] if live else 0)
        f_at[i + 1] = f_at[i] + (n_firm[i] if live else 0)
        if live:
            n_blocks += 1
            n_pairs += n_cand[i] * n_firm[i]
    grads = np.empty(c_at[n_s], dtype=np.int64)
    firms = np.empty(f_at[n_s], dtype=np.int64)
    c_fill = c_at[:n_s].copy()
    f_fill = f_at[:n_s].copy()
    for r in seeking:
        i = school[r]
        if n_cand[i] > 0 and n_firm[i] > 0:
            grads[c_fill[i]] = r
            c_fill[i] += 1
    for j in ordered:
        i = firm_school[j]
        if n_cand[i] > 0 and n_firm[i] > 0:
            firms[f_fill[i]] = j
            f_fill[i] += 1
    blocks = np.empty((n_blocks, 4), dtype=np.int64)
    rows = np.empty(n_pairs, dtype=np.int64)
    jobs = np.empty(n_pairs, dtype=np.int64)
    b = 0
    at = 0
    for i in range(n_s):
        if not (n_cand[i] > 0 and n_firm[i] > 0):
            continue
        blocks[b, 0], blocks[b, 1] = at, n_cand[i]
        blocks[b, 2], blocks[b, 3] = f_at[i], n_firm[i]
        b += 1
        for c in range(c_at[i], c_at[i + 1]):
            for f in range(f_at[i], f_at[i + 1]):
                rows[at] = grads[c]
                jobs[at] = firms[f]
                at += 1
    return rows, jobs, blocks, firms


@njit(**_JIT)  # type: ignore[misc]
def screened_fit(
    skills: FloatArray,
    aptitude: FloatArray,
    moved_on: NDArray[np.bool_],
    trained_by: IntArray,
    demand: FloatArray,
    rows: IntArray,
    jobs: IntArray,
    signal: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Each pair's skill match and the fit the firm observes: match × min(aptitude × signal, 1).

    ``signal`` is ``exp(σ z)`` per pair (:func:`~community_sim.mechanics.council.
    observed_performance`, drawn by the caller). A graduate who moved on from the
    firm that trained them is not available to it (fit ``-inf``).
    """
    n = rows.shape[0]
    k_n = skills.shape[1]
    match = np.empty(n)
    fit = np.empty(n)
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
        match[m] = 1.0 - short / (need if need > 1e-12 else 1e-12)
        seen = aptitude[r] * signal[m]
        fit[m] = match[m] * (seen if seen < 1.0 else 1.0)
        if moved_on[r] and trained_by[r] == f:
            fit[m] = -np.inf
    return match, fit


@njit(**_JIT)  # type: ignore[misc]
def hire_costs(
    firm: IntArray,
    source: IntArray,
    mismatch: FloatArray,
    rows: IntArray,
    n_known: int,
    level_scale: FloatArray,
    search: FloatArray,
    wage: FloatArray,
    ext_mismatch: FloatArray,
    mismatch_separation: float,
    uniforms: FloatArray,
    bonus_each: float,
    school: IntArray,
    firm_school: IntArray,
    costs: FloatArray,
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_], FloatArray, FloatArray]:
    """The month's hires costed (``hire_ledger.book``), in hire order.

    Each hire's trial-and-error weeks (:func:`~community_sim.mechanics.labour.hire_cost_weeks`
    with its firm's ``level_scale`` factor and its source's ``search`` share), their cost
    in currency, and whether it separates early (its uniform below ``mismatch_separation``
    × mismatch). The first ``n_known`` hires are students (own trainees, source 0, and
    partner graduates): each credits its firm's tie, if it came from the tie's college,
    with what it saved against a market hire (:func:`~community_sim.mechanics.labour.
    hire_credit_weeks`, in currency) plus its retention bonus (``bonus_each`` for own
    trainees). ``costs`` is :data:`COST_TERMS`. Returns weeks, cost, separation, and per
    firm the credit and the bonuses.
    """
    n = firm.shape[0]
    n_f = level_scale.shape[0]
    weeks = np.empty(n)
    cost = np.empty(n)
    sep = np.empty(n, dtype=np.bool_)
    credit = np.zeros(n_f)
    bonus = np.zeros(n_f)
    for h in range(n):
        f = firm[h]
        post = mismatch[h] / costs[3]
        post = post if post < costs[4] else costs[4]
        parts = costs[0] * search[source[h]] + costs[1] + costs[2] * post
        w = level_scale[f] * parts
        weeks[h] = w
        cost[h] = w * wage[f] * 12.0 / 52.0
        sep[h] = uniforms[h] < _unit(mismatch_separation * mismatch[h])
        if h >= n_known:
            continue
        em = ext_mismatch[f]
        post = em / costs[3]
        post = post if post < costs[4] else costs[4]
        market = level_scale[f] * (costs[0] * 1.0 + costs[1] + costs[2] * post)
        fail = _unit(mismatch_separation * em)
        saved = market * (1.0 + fail) - (w + (market if sep[h] else 0.0))
        value = saved * wage[f] * 12.0 / 52.0
        each = bonus_each if source[h] == 0 else 0.0
        if school[rows[h]] == firm_school[f]:
            credit[f] += value + each
        bonus[f] += each
    return weeks, cost, sep, credit, bonus


def warm() -> None:
    """Load (or compile) every kernel now, for the argument types a model run uses.

    A kernel's machine code is loaded from the disk cache on its first call in a
    process (about 0.2 s for all of them). The worker pool's fork server calls
    this once (:mod:`community_sim.mechanics.warm`), so every worker it forks
    starts with the code loaded instead of paying it in its first run.
    """
    from community_sim.model import CommunityModel

    # Month 0 and month 12 are Septembers (placements, graduation): every kernel runs.
    model = CommunityModel(seed=0, horizon_months=14)
    while model.running:
        model.step()
