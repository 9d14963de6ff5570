"""The compiled decision passes give what the plain formulations give, to the last bit.

:func:`~community_sim.mechanics.trust.judged_trusts` judges every due tie of a month in
one call; the reference is the per-tie formulation it replaces: :func:`judged_fit_sum`
over the firm's rows, then :func:`trust_after_review` with the departures expected over
the period's length. :func:`judged_rows` gives each firm's rows, and
:func:`cohort_employment` each college's cohort counts, as the masks do.
"""

import numpy as np
import pytest

from community_sim.agents.student import EMPLOYED, ENROLLED
from community_sim.mechanics.reputation import cohort_employment
from community_sim.mechanics.trust import (
    judged_fit_sum,
    judged_rows,
    judged_trusts,
    trust_after_review,
)

SEEDS = range(6)


def _students(rng: np.random.Generator, n: int, n_f: int, n_s: int, k: int, month: int):
    status = rng.choice([ENROLLED, EMPLOYED, 1, 3], n, p=[0.5, 0.3, 0.1, 0.1])
    host = np.where(status == ENROLLED, rng.integers(-1, n_f, n), -1)
    employer = np.where(status == EMPLOYED, rng.integers(-1, n_f, n), -1)
    return dict(
        skills=rng.random((n, k)),
        aptitude=rng.lognormal(0.0, 0.3, n),
        status=status.astype(np.int64),
        school=rng.integers(0, n_s, n),
        host=host.astype(np.int64),
        employer=employer.astype(np.int64),
        employed_month=rng.integers(month - 30, month + 1, n),
        host_start=rng.integers(month - 30, month + 1, n),
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_judged_rows_are_each_firms_placed_and_recently_hired_rows_in_order(seed):
    rng = np.random.default_rng(seed)
    n, n_f, month = 700, 13, 47
    st = _students(rng, n, n_f, 4, 3, month)
    lo, hi, since = int(rng.integers(0, 100)), n - int(rng.integers(0, 50)), month - 12
    rows, bounds = judged_rows(
        st["status"], st["host"], st["employer"], st["employed_month"], lo, hi, since, n_f,
        ENROLLED, EMPLOYED,
    )  # fmt: skip
    r = np.arange(lo, hi)
    placed = (st["status"][r] == ENROLLED) & (st["host"][r] >= 0)
    hired = (st["status"][r] == EMPLOYED) & (st["employer"][r] >= 0)
    hired &= st["employed_month"][r] > since
    assert bounds[0] == 0 and bounds[-1] == rows.size
    for j in range(n_f):
        mine = (placed & (st["host"][r] == j)) | (hired & (st["employer"][r] == j))
        assert np.array_equal(rows[bounds[j] : bounds[j + 1]], r[mine])


@pytest.mark.parametrize("seed", SEEDS)
def test_judged_trusts_equal_judging_each_tie_alone(seed):
    rng = np.random.default_rng(seed)
    n, n_f, n_s, k, month = 600, 15, 4, 8, 47
    st = _students(rng, n, n_f, n_s, k, month)
    demand = rng.random((n_f, k))
    rows, bounds = judged_rows(
        st["status"], st["host"], st["employer"], st["employed_month"], 0, n, -1, n_f,
        ENROLLED, EMPLOYED,
    )  # fmt: skip
    pools = [rows[bounds[j] : bounds[j + 1]] for j in range(n_f)]
    firms = rng.permutation(n_f)[:11].astype(np.int64)  # each firm has one tie
    colleges = rng.integers(0, n_s, firms.size)
    since = rng.integers(month - 40, month + 1, firms.size)  # one period of 0 months too
    since[0] = month
    trust = rng.random(firms.size)
    hosted = rng.integers(0, 6, firms.size)
    departures = np.minimum(rng.integers(0, 3, firms.size), hosted)
    rate, tolerance, gain, loss = 0.15, 0.1, 0.1, 0.3
    want = []
    for i, j in enumerate(firms.tolist()):
        fits, judged = judged_fit_sum(
            st["skills"], st["aptitude"], demand, st["status"], st["school"], st["host"],
            st["employer"], st["employed_month"], st["host_start"], pools[j], j,
            int(colleges[i]), int(since[i]), month, ENROLLED,
        )  # fmt: skip
        months = max(month - int(since[i]), 1)
        expected = rate * min(months, 24) / 24.0
        after = trust_after_review(
            float(trust[i]), int(departures[i]), int(hosted[i]), fits, judged, expected,
            tolerance, gain, loss,
        )  # fmt: skip
        want.append(float(after))
    got = judged_trusts(
        st["skills"], st["aptitude"], demand, st["status"], st["school"], st["host"],
        st["employer"], st["employed_month"], st["host_start"], rows, bounds, firms,
        colleges, since, trust, departures, hosted, month, ENROLLED, rate, tolerance, gain,
        loss,
    )  # fmt: skip
    assert got.tolist() == want
    assert any(t != t0 for t, t0 in zip(want, trust.tolist(), strict=True))  # trust moved


@pytest.mark.parametrize("seed", SEEDS)
def test_cohort_employment_counts_what_the_masks_count(seed):
    rng = np.random.default_rng(seed)
    n, n_s, month = 900, 5, 59
    grad = rng.choice([-1, month - 23, month - 11, month - 11], n)
    employed = np.where(rng.random(n) < 0.7, grad + rng.integers(0, 12, n), -1)
    school = rng.integers(0, n_s, n)
    upto = n - int(rng.integers(0, 100))
    cohort_n, ok_n = cohort_employment(grad, employed, school, upto, month - 11, n_s)
    cohort = grad[:upto] == month - 11
    ok = cohort & (employed[:upto] >= 0) & (employed[:upto] - grad[:upto] <= 6)
    assert np.array_equal(cohort_n, np.bincount(school[:upto][cohort], minlength=n_s))
    assert np.array_equal(ok_n, np.bincount(school[:upto][ok], minlength=n_s))
    assert 0 < ok_n.sum() < cohort_n.sum()


def test_rules_run_as_python_give_the_compiled_rules_bits():
    # Reviews and decisions one tie at a time call the rules' own Python code; the kernels
    # call the compiled rules: both must give the same number.
    from community_sim.mechanics.trust import leaves, leaves_py, update_trust, update_trust_py

    rng = np.random.default_rng(7)
    trust, gain, loss = rng.random(2000), rng.random(2000), rng.random(2000)
    for t, g, lo, good in zip(trust, gain, loss, rng.random(2000) < 0.5, strict=True):
        want = update_trust(float(t), bool(good), float(g), float(lo))
        assert update_trust_py(float(t), bool(good), float(g), float(lo)) == want
    values = rng.normal(0.0, 1e4, (2000, 3))
    values[:200, 2] = 0.0
    values[200:400, 1] = values[200:400, 0] + values[200:400, 2]  # ties at the boundary
    for stay, out, fee in values.tolist():
        assert leaves_py(stay, out, abs(fee)) == leaves(stay, out, abs(fee))
