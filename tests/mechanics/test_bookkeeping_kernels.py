"""The compiled bookkeeping passes give what the plain NumPy masks and indexed ufuncs give.

Each kernel replaces a few NumPy calls on the model's small monthly arrays; the
reference here is that NumPy formulation, on random inputs, to the last bit.
"""

import numpy as np
import pytest

from community_sim.mechanics.accounts import tie_rehire_costs
from community_sim.mechanics.bookkeeping import (
    add_rows_at,
    advance_months,
    enrolment_counts,
    leave_employers,
    max_rows_at,
    schedule_separations,
    separating,
    take_outside_jobs,
    withdraw_found,
)
from community_sim.mechanics.labour import (
    REFERENCE_HIRE_RATE,
    hire_cost_factors,
    hire_weeks,
    rate_scale,
    weeks_to_currency,
)
from community_sim.mechanics.skills import LEVEL_HIGH, LEVEL_LOW, reflect

SEEDS = range(6)


@pytest.mark.parametrize("seed", SEEDS)
def test_reflect_is_the_mirror_at_each_bound_then_clipped(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(0.5, 1.5, 5000)
    x[:4] = [LEVEL_LOW, LEVEL_HIGH, 2 * LEVEL_HIGH - LEVEL_LOW, -3.0]  # bounds, far outside
    want = np.minimum(x, 2.0 * LEVEL_HIGH - x)
    want = np.maximum(want, 2.0 * LEVEL_LOW - want)
    want = np.clip(want, LEVEL_LOW, LEVEL_HIGH)
    assert np.array_equal(reflect(x), want)
    assert np.array_equal(reflect(x.reshape(50, 100)), want.reshape(50, 100))


@pytest.mark.parametrize("seed", SEEDS)
def test_advance_months_is_the_masked_increment_then_the_stage_table(seed):
    rng = np.random.default_rng(seed)
    n, lo = 500, int(rng.integers(0, 100))
    status = rng.integers(0, 5, n)
    months = rng.integers(0, 45, n)
    table = np.array([1] * 12 + [2] * 12 + [3] * 9 + [4] * 4)  # 36 months and one more
    want_months = months.copy()
    want_months[lo:] += status[lo:] == 0
    want_stage = table[np.minimum(want_months[lo:], table.size - 1)]
    got = advance_months(months, status, lo, n, 0, table)
    assert np.array_equal(months, want_months) and np.array_equal(got, want_stage)


@pytest.mark.parametrize("seed", SEEDS)
def test_enrolment_counts_equal_the_masks(seed):
    rng = np.random.default_rng(seed)
    n, lo = 400, int(rng.integers(0, 100))
    status = rng.integers(0, 5, n)
    host = rng.integers(-1, 5, n)
    stage = rng.integers(1, 5, n - lo)
    enrolled = status[lo:] == 0
    mid = enrolled & ((stage == 2) | (stage == 3))
    placed = mid & (host[lo:] >= 0)
    got = enrolment_counts(status, host, stage, lo, n, 0)
    assert got == (enrolled.sum(), mid.sum(), placed.sum())


@pytest.mark.parametrize("seed", SEEDS)
def test_separations_mark_book_and_schedule_as_the_masks_do(seed):
    rng = np.random.default_rng(seed)
    n, n_f, month = 300, 7, 40
    employed = np.sort(rng.choice(n, 120, replace=False))
    sep_month = rng.integers(month - 2, month + 3, n)
    uniforms = rng.random(employed.size)
    go, quits = separating(employed, sep_month, uniforms, 0.1, month)
    due = sep_month[employed] == month
    want_go = due | (uniforms < 0.1)
    assert np.array_equal(go, want_go) and np.array_equal(quits, employed[want_go & ~due])

    employer = rng.integers(0, n_f, n)
    status, left_month = np.full(n, 2), np.full(n, -1)
    headcount = rng.integers(50, 60, n_f)
    want_head = headcount - np.bincount(employer[employed[go]], minlength=n_f)
    left, stay = leave_employers(employed, go, employer, status, left_month, headcount, month, 3)
    assert np.array_equal(left, employed[go]) and np.array_equal(headcount, want_head)
    assert np.array_equal(stay, np.bincount(employer[employed[~go]], minlength=n_f))
    assert (status[left] == 3).all() and (left_month[left] == month).all()
    assert (status[employed[~go]] == 2).all()

    # Early separations of a month's hires: students by row, external hires per firm and month.
    hires, known = 40, 15
    sep = rng.random(hires) < 0.4
    when = month + rng.integers(1, 13, hires)
    rows = np.concatenate([rng.choice(n, known, replace=False), np.full(hires - known, -1)])
    firm = rng.integers(0, n_f, hires)
    sep_row, sep_due = np.full(n, -1), np.zeros((month + 8, n_f), dtype=np.int64)
    want_row, want_due = sep_row.copy(), sep_due.copy()
    want_row[rows[:known][sep[:known]]] = when[:known][sep[:known]]
    ext = sep[known:] & (when[known:] < want_due.shape[0])
    np.add.at(want_due, (when[known:][ext], firm[known:][ext]), 1)
    schedule_separations(sep, when, rows, firm, known, sep_row, sep_due)
    assert np.array_equal(sep_row, want_row) and np.array_equal(sep_due, want_due)


@pytest.mark.parametrize("seed", SEEDS)
def test_outside_offers_withdraw_pairs_and_take_jobs_as_the_masks_do(seed):
    rng = np.random.default_rng(seed)
    n, n_f, month = 200, 9, 30
    seeking = np.sort(rng.choice(n, 60, replace=False))
    found = rng.random(seeking.size) < 0.3
    rows = rng.choice(seeking, 500)
    jobs = rng.integers(0, n_f, 500)
    first = rng.random(n_f) < 0.3
    fit = rng.random(500)
    want = fit.copy()
    gone = np.zeros(n, dtype=bool)
    gone[seeking[found]] = True
    want[gone[rows] & ~first[jobs]] = -np.inf
    withdraw_found(fit, rows, jobs, seeking, found, first, n)
    assert np.array_equal(fit, want)

    status = np.where(rng.random(n) < 0.7, 1, 2)  # some hired by a partner this month
    grad_month = rng.integers(month - 14, month, n)
    employed_month = np.full(n, -1)
    want_status, want_emp = status.copy(), employed_month.copy()
    still = want_status[seeking] == 1
    cand, took = seeking[still], found[still]
    want_emp[cand[took]] = month
    expired = ~took & (month - grad_month[cand] >= 12)
    want_gone = cand[took | expired]
    want_status[want_gone] = 3
    gone_rows = take_outside_jobs(
        seeking, found, status, employed_month, grad_month, month, 12, 1, 3
    )
    assert np.array_equal(gone_rows, want_gone)
    assert np.array_equal(status, want_status) and np.array_equal(employed_month, want_emp)


@pytest.mark.parametrize("seed", SEEDS)
def test_row_sums_and_maxima_equal_the_indexed_ufuncs(seed):
    rng = np.random.default_rng(seed)
    src = rng.random((120, 8))
    rows = np.sort(rng.choice(120, 70, replace=False))
    at = rng.integers(0, 6, rows.size)
    w = rng.integers(1, 9, rows.size).astype(np.float64) * rng.random(rows.size)
    want = np.zeros((6, 8))
    np.add.at(want, at, w[:, None] * src[rows])
    got = np.zeros((6, 8))
    add_rows_at(got, at, w, src, rows)
    assert np.array_equal(got, want)
    want = np.full((6, 8), -np.inf)
    np.maximum.at(want, at, src[rows])
    got = np.full((6, 8), -np.inf)
    max_rows_at(got, at, src, rows)
    assert np.array_equal(got, want)


@pytest.mark.parametrize("seed", SEEDS)
def test_tie_rehire_costs_are_the_per_quit_loop(seed):
    rng = np.random.default_rng(seed)
    n_f, n_s, n = 9, 3, 40
    employer = rng.integers(0, n_f, n)
    school = rng.integers(0, n_s, n)
    tie_school = rng.integers(-1, n_s, n_f)
    factor, ext_mis = rng.uniform(5.0, 30.0, n_f), rng.uniform(0.0, 0.9, n_f)
    wage = rng.uniform(3000.0, 9000.0, n_f)
    want_firms, want_cost = [], []
    for j, i in zip(employer.tolist(), school.tolist(), strict=True):
        if tie_school[j] == i:  # the tie is with the graduate's college
            want_firms.append(j)
            weeks = hire_weeks(float(factor[j]), 1.0, float(ext_mis[j]))
            want_cost.append(weeks_to_currency(weeks, float(wage[j])))
    firms, cost = tie_rehire_costs(employer, school, tie_school, factor, ext_mis, wage)
    assert want_firms and len(want_firms) < n
    assert firms.tolist() == want_firms
    assert cost.tolist() == want_cost


@pytest.mark.parametrize("convexity", [0.5, 2.0, -1.0, 1.0, 0.0, 0.7, 1.5, -0.5])
def test_hire_cost_factors_equal_numpys_rate_powers(convexity):
    # NumPy raises an array to 0.5, 2 and -1 exactly (sqrt, square, reciprocal), which
    # differs from the C library's pow in the last bit for about one value in a thousand.
    rng = np.random.default_rng(int(convexity * 10) + 50)
    hist = rng.integers(0, 40, (12, 20000))
    headcount = rng.integers(-2, 200, 20000)  # at least 1 worker is counted
    rate = hist.sum(axis=0) / np.maximum(headcount, 1)
    want = 3.7 * (np.maximum(rate, 1e-6) / REFERENCE_HIRE_RATE) ** convexity
    assert np.array_equal(hire_cost_factors(hist, headcount, 3.7, convexity), want)
    assert np.array_equal(3.7 * rate_scale(rate, convexity), want)


@pytest.mark.parametrize("seed", SEEDS)
def test_demand_profiles_and_deviation_step_equal_the_array_expressions(seed):
    from community_sim.mechanics.skills import _deviation_step, demand_profiles

    rng = np.random.default_rng(seed)
    n_f, k = int(rng.integers(1, 200)), int(rng.integers(1, 17))
    sector, niche = rng.uniform(0, 1, k), rng.normal(0, 0.4, (n_f, k))
    dev, z = rng.normal(0, 0.3, (n_f, k)), rng.standard_normal((n_f, k))
    want = reflect(sector[None, :] + niche + dev)  # sums out of range are reflected
    assert np.array_equal(demand_profiles(sector, niche, dev), want)
    assert np.array_equal(_deviation_step(dev, 0.97, 0.021, z), dev * 0.97 + 0.021 * z)


def test_pay_in_turn_equals_separate_payments():
    from community_sim.mechanics.council import pay_in_turn

    rng = np.random.default_rng(4)
    for _ in range(50):
        left, spent, amount = (float(x) for x in rng.uniform(0, 1e6, 3))
        times = int(rng.integers(0, 40))
        want_left, want_spent = left, spent
        for _ in range(times):
            want_left -= amount
            want_spent += amount
        assert pay_in_turn(left, spent, amount, times) == (want_left, want_spent)
