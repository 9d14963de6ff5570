"""Compiled kernels (Numba): the model's monthly loops over students, firms and hires.

A month of the model is a few hundred array operations on tens to a few
thousand elements, where each NumPy call's fixed cost outweighs its
arithmetic. These kernels fuse such sequences into one loop each. They hold
no formula of their own: every rule they apply (skill match, mismatch, the
hiring-cost bracket, early separation, hire credit, relative fit,
termination, learning, the performance signal) is a compiled function of
:mod:`~community_sim.mechanics` that the Python code calls too
(:mod:`~community_sim.mechanics.jit`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from community_sim.mechanics.apprentice import reference_mismatch, relative_fit
from community_sim.mechanics.council import performance_signal, seen_performance
from community_sim.mechanics.jit import rule
from community_sim.mechanics.labour import (
    early_separation_prob,
    hire_credit_weeks,
    hire_weeks,
    termination_prob,
    weeks_to_currency,
    worth_hiring,
)
from community_sim.mechanics.skills import (
    LEVEL_HIGH,
    LEVEL_LOW,
    learn_step,
    match_at,
    match_pairs,
    mismatch,
    module_rate,
    productivity_ramp,
    reflect_level,
    rotation_target,
    shortfall,
    spread_rate,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@rule
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
    bonus: FloatArray,
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Firms pick candidates block by block, in order (``recruiting.pick``).

    ``blocks`` rows are (first pair, candidates, first firm, firms): the block's
    ``fit`` is candidate-major, one column per firm of ``firms[first firm:...]``
    in picking order (partners and a college's graduates; or one training firm and
    its own graduates). Each firm takes, among the candidates nobody took before it
    and seen to beat the market (``fit >= ext_fit``), the best first (ties in
    candidate order): up to ``vac`` for open vacancies, then up to ``ahead``
    more whose saving ``market - cost`` covers ``wait``, where a candidate's cost
    is :func:`~community_sim.mechanics.labour.hire_weeks` with the firm's factor
    ``level_scale`` (:func:`~community_sim.mechanics.labour.hire_cost_factor`),
    search share ``search`` and mismatch ``1 - fit``. ``vac`` and ``ahead`` are
    decremented in place.

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
            b_j = bonus[j]
            n_better = 0
            for i in range(n_cand):
                if not taken[i] and worth_hiring(
                    fit[start + i * n_f + col], bar, level_scale[j], search, b_j
                ):
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
                own = hire_weeks(level_scale[j], search, 1.0 - fit[start + i * n_f + col])
                if market[j] - own + b_j >= wait:
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


@rule
def fill_places(
    skills: FloatArray,
    aptitude: FloatArray,
    demand: FloatArray,
    pools: IntArray,
    pool_start: IntArray,
    steps: IntArray,
    noise_sd: FloatArray,
    normals: FloatArray,
) -> IntArray:
    """Hosts fill their places in turn, each with the candidates it sees fitting best.

    ``pools[pool_start[i]:pool_start[i + 1]]`` are college ``i``'s candidates in
    row order. ``steps`` rows are (host, college, places, candidates): the host
    screens the college's remaining candidates (their number must equal
    ``candidates``) on ``skill_match × min(aptitude × signal, 1)``, the signal
    :func:`~community_sim.mechanics.council.performance_signal` of the step's
    ``noise_sd`` and the next ``candidates`` values of ``normals`` (drawn by the
    caller), and takes the best ``places`` (ties in row order); the rest stay, in
    order. Returns the rows taken, step after step, each step best first.
    """
    left = np.empty(pools.shape[0], dtype=np.int64)
    n_left = np.empty(pool_start.shape[0] - 1, dtype=np.int64)
    for i in range(n_left.shape[0]):
        n_left[i] = pool_start[i + 1] - pool_start[i]
    left[:] = pools
    total = 0
    for s in range(steps.shape[0]):
        total += steps[s, 2]
    out = np.empty(total, dtype=np.int64)
    pos = 0
    n_out = 0
    for s in range(steps.shape[0]):
        j, i, take, n = steps[s, 0], steps[s, 1], steps[s, 2], steps[s, 3]
        base = pool_start[i]
        if n != n_left[i]:
            raise ValueError("fill_places: a step's candidate count is not the pool's")
        keys = np.empty(n)
        sd = noise_sd[s]
        for c in range(n):
            r = left[base + c]
            match = match_at(skills, r, demand, j)
            seen = seen_performance(aptitude[r], performance_signal(sd, normals[pos + c]))
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


@rule
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


@rule
def apprentice_month(
    skills: FloatArray,
    aptitude: FloatArray,
    rows: IntArray,
    host: IntArray,
    prog_month: IntArray,
    host_start: IntArray,
    stage: IntArray,
    lo: int,
    demand: FloatArray,
    wage: FloatArray,
    rotation: FloatArray,
    month: int,
    shares: FloatArray,
    hazards: FloatArray,
    uniforms: FloatArray,
    n_firms: int,
) -> tuple[FloatArray, IntArray, IntArray, NDArray[np.bool_]]:
    """One month of apprentice economics (``placement.run_month``) for placed ``rows``.

    Per apprentice (row ``r`` of ``rows``: host ``host[r]``, stage ``stage[r - lo]``, the
    uniform aligned with ``rows``):
    output at ``shares[0]`` (productive share) of the wage times the ramp times the
    relative fit (:mod:`~community_sim.mechanics.apprentice`); cost at ``shares[1]``
    (pay and masters' time) plus ``shares[2]`` (rotation hand-over) for stage-2
    rotation; termination when the uniform falls below
    :func:`~community_sim.mechanics.labour.termination_prob` at the year's hazard
    (``hazards``). Returns, per firm, the gross surplus (added in row order), the
    apprentices and the terminations, and which rows ended.
    """
    gross = np.zeros(n_firms)
    n_app = np.zeros(n_firms, dtype=np.int64)
    n_term = np.zeros(n_firms, dtype=np.int64)
    end = np.zeros(rows.shape[0], dtype=np.bool_)
    for m in range(rows.shape[0]):
        r = rows[m]
        h = host[r]
        mis = mismatch(match_at(skills, r, demand, h), aptitude[r])
        first = (month - host_start[r]) // 12 < 1
        ref = reference_mismatch(first)
        output = wage[h] * shares[0] * productivity_ramp(prog_month[r]) * relative_fit(mis, ref)
        cost = wage[h] * shares[1]
        rot = rotation[h] if stage[r - lo] == 2 else 0.0
        cost = cost + wage[h] * shares[2] * rot
        gross[h] += output - cost
        n_app[h] += 1
        base = hazards[0] if first else hazards[1]
        if uniforms[m] < termination_prob(base, mis, ref):
            end[m] = True
            n_term[h] += 1
    return gross, n_app, n_term, end


@rule
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
    council_union: FloatArray,
    rotation: FloatArray,
    module: FloatArray,
    rates: FloatArray,
    disuse_monthly: float,
    depreciation_monthly: float,
) -> None:
    """One month of learning (``teaching.teach``) for the active rows ``lo + i``, in place.

    In college a row learns toward its college's curriculum at ``rates[0]`` ×
    aptitude × its college's ``school_factor``, times ``rates[1]`` in stages 2–3
    (simulated practice); placed with host ``h`` it learns toward ``demand[h]``
    at ``rates[2]`` × aptitude × ``rates[3]``, in stage 2 with ``s = rotation[h]``
    positive toward :func:`~community_sim.mechanics.skills.rotation_target` of
    ``demand[h]`` and ``council_union[college]`` at the rate spread over that broader
    target (:func:`~community_sim.mechanics.skills.spread_rate`); a host's ``module``
    share adds college teaching at that share of ``rates[0]`` × aptitude × the college's
    ``school_factor`` (:func:`~community_sim.mechanics.skills.module_rate`). Then
    :func:`~community_sim.mechanics.skills.learn_step`.
    """
    k_n = skills.shape[1]
    target = np.empty(k_n)
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
        # The target read in place in the common cases (no copy into ``target``).
        if h < 0:
            for k in range(k_n):
                skills[r, k] = learn_step(
                    skills[r, k], curricula[c, k], rate, disuse_monthly, depreciation_monthly
                )
            continue
        if share > 0.0:
            for k in range(k_n):
                target[k] = rotation_target(demand[h, k], council_union[c, k], share)
            host_gap = 0.0
            target_gap = 0.0
            for k in range(k_n):
                host_gap += shortfall(demand[h, k], skills[r, k])
                target_gap += shortfall(target[k], skills[r, k])
            rate = spread_rate(rate, host_gap, target_gap)
        if module[h] > 0.0:
            rate = module_rate(rate, module[h], rates[0] * aptitude[i] * school_factor[c])
        if share > 0.0:
            for k in range(k_n):
                skills[r, k] = learn_step(
                    skills[r, k], target[k], rate, disuse_monthly, depreciation_monthly
                )
        else:
            for k in range(k_n):
                skills[r, k] = learn_step(
                    skills[r, k], demand[h, k], rate, disuse_monthly, depreciation_monthly
                )


@rule
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


@rule
def screened_fit(
    skills: FloatArray,
    aptitude: FloatArray,
    moved_on: NDArray[np.bool_],
    trained_by: IntArray,
    demand: FloatArray,
    rows: IntArray,
    jobs: IntArray,
    noise_sd: FloatArray,
    normals: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Each pair's skill match and the fit the firm observes: match × min(aptitude × signal, 1).

    The signal is :func:`~community_sim.mechanics.council.performance_signal` of the
    job's ``noise_sd`` (per firm) and the pair's draw in ``normals`` (drawn by the
    caller). A graduate who moved on from the firm that trained them is not available
    to it (fit ``-inf``).
    """
    match = match_pairs(skills, rows, demand, jobs)
    fit = np.empty(rows.shape[0])
    for m in range(rows.shape[0]):
        r = rows[m]
        signal = performance_signal(noise_sd[jobs[m]], normals[m])
        fit[m] = match[m] * seen_performance(aptitude[r], signal)
        if moved_on[r] and trained_by[r] == jobs[m]:
            fit[m] = -np.inf
    return match, fit


@rule
def hire_costs(
    firm: IntArray,
    source: IntArray,
    mis: FloatArray,
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
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_], FloatArray, FloatArray]:
    """The month's hires costed (``hire_ledger.book``), in hire order.

    Each hire's trial-and-error weeks (:func:`~community_sim.mechanics.labour.hire_weeks`
    with its firm's factor ``level_scale`` and its source's ``search`` share), their cost
    in currency, and whether it separates early (its uniform below
    :func:`~community_sim.mechanics.labour.early_separation_prob`). The first ``n_known``
    hires are students (own trainees, source 0, and partner graduates): each credits its
    firm's tie, if it came from the tie's college, with what it saved against a market
    hire (:func:`~community_sim.mechanics.labour.hire_credit_weeks`, in currency) plus its
    retention bonus (``bonus_each`` for own trainees). Returns weeks, cost, separation,
    and per firm the credit and the bonuses.
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
        w = hire_weeks(level_scale[f], search[source[h]], mis[h])
        weeks[h] = w
        cost[h] = weeks_to_currency(w, wage[f])
        sep[h] = uniforms[h] < early_separation_prob(mis[h], mismatch_separation)
        if h >= n_known:
            continue
        em = ext_mismatch[f]
        market = hire_weeks(level_scale[f], 1.0, em)
        fail = early_separation_prob(em, mismatch_separation)
        value = weeks_to_currency(hire_credit_weeks(w, sep[h], market, fail), wage[f])
        each = bonus_each if source[h] == 0 else 0.0
        if school[rows[h]] == firm_school[f]:
            credit[f] += value + each
        bonus[f] += each
    return weeks, cost, sep, credit, bonus


@rule
def external_matches(
    vintage: FloatArray,
    noise: FloatArray,
    demand: FloatArray,
    hosts: IntArray,
    aptitude: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """External hires (``labour_market.hire``): worker ``i`` has skills
    ``reflect(vintage + noise[i])`` and joins firm ``hosts[i]``; each one's skill match
    (:func:`~community_sim.mechanics.skills.match_at`) and effective mismatch at
    ``aptitude[i]`` (:func:`~community_sim.mechanics.skills.mismatch`)."""
    n, n_k = noise.shape
    skills = np.empty((n, n_k))
    for i in range(n):
        for k in range(n_k):
            skills[i, k] = reflect_level(vintage[k] + noise[i, k], LEVEL_LOW, LEVEL_HIGH)
    match = np.empty(n)
    mis = np.empty(n)
    for i in range(n):
        match[i] = match_at(skills, i, demand, hosts[i])
        mis[i] = mismatch(match[i], aptitude[i])
    return match, mis
