"""The compiled review pass gives what judging one tie at a time gives, to the last bit.

:func:`~community_sim.mechanics.trust.judged_trusts` judges every due tie of a month in
one call; the reference is the per-tie formulation it replaces: each firm's rows of
:func:`~community_sim.agents.student.group_rows`, :func:`judged_fit_sum`, then
:func:`trust_after_review` with the departures expected over the period's length.
"""

import numpy as np
import pytest

from community_sim.agents.student import EMPLOYED, ENROLLED, group_rows, sorted_groups
from community_sim.mechanics.trust import judged_fit_sum, judged_trusts, trust_after_review

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
def test_sorted_groups_are_group_rows_in_one_array(seed):
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(500, 200, replace=False))
    keys = rng.integers(0, 9, rows.size)
    grouped, bounds = sorted_groups(rows, keys, 9)
    for g, want in enumerate(group_rows(rows, keys, 9)):
        assert np.array_equal(grouped[bounds[g] : bounds[g + 1]], want)
        assert np.array_equal(want, rows[keys == g])  # in the rows' order


@pytest.mark.parametrize("seed", SEEDS)
def test_judged_trusts_equal_judging_each_tie_alone(seed):
    rng = np.random.default_rng(seed)
    n, n_f, n_s, k, month = 600, 15, 4, 8, 47
    st = _students(rng, n, n_f, n_s, k, month)
    demand = rng.random((n_f, k))
    rows = np.arange(n, dtype=np.int64)
    firm = np.where(st["status"] == ENROLLED, st["host"], st["employer"])
    rows, firm = rows[firm >= 0], firm[firm >= 0]
    pools = group_rows(rows, firm, n_f)
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
    grouped, bounds = sorted_groups(rows, firm, n_f)
    got = judged_trusts(
        st["skills"], st["aptitude"], demand, st["status"], st["school"], st["host"],
        st["employer"], st["employed_month"], st["host_start"], grouped, bounds, firms,
        colleges, since, trust, departures, hosted, month, ENROLLED, rate, tolerance, gain,
        loss,
    )  # fmt: skip
    assert got.tolist() == want
    assert any(t != t0 for t, t0 in zip(want, trust.tolist(), strict=True))  # trust moved
