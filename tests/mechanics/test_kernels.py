"""Compiled kernels apply the model's rules as the reference formulations in ``oracles`` state them.

Each kernel is checked against the plain NumPy formulation of what it does
(``tests/mechanics/oracles.py``), on random inputs of the shapes the model meets
and of awkward ones (one competency, more than eight, the 32 the parameters
allow, empty selections), to the last bit.
"""

import numpy as np
import oracles as ref
import pytest

from community_sim.mechanics.kernels import (
    _first_sorted,
    apprentice_month,
    fill_places,
    hire_costs,
    partner_pairs,
    pick_candidates,
    screened_fit,
    teach_rows,
)
from community_sim.mechanics.labour import termination_hazards
from community_sim.mechanics.skills import (
    match_pairs,
    match_rows,
    mean_fit_sums,
    reflect,
    vintage_fit_sums,
)

SKILLS = (1, 2, 7, 8, 9, 16, 17, 32)


def _profiles(rng, n, k):
    # Levels over the model's range, with exact ties to the demand level mixed in.
    return reflect(rng.uniform(0.0, 1.1, (n, k)))


@pytest.mark.parametrize("k", SKILLS)
@pytest.mark.parametrize("n", [0, 1, 5, 300, 2500])
def test_match_pairs_and_rows_equal_skill_match(k, n):
    rng = np.random.default_rng(1000 * k + n)
    skills = _profiles(rng, 3000, k)
    demand = _profiles(rng, 24, k)
    rows = rng.integers(0, 3000, n)
    jobs = rng.integers(0, 24, n)
    want = ref.skill_match(skills.take(rows, axis=0), demand.take(jobs, axis=0))
    assert np.array_equal(match_pairs(skills, rows, demand, jobs), want)
    want_one = ref.skill_match(skills.take(rows, axis=0), demand[3])
    assert np.array_equal(match_rows(skills, rows, demand[3]), want_one)


@pytest.mark.parametrize("k", SKILLS)
@pytest.mark.parametrize("jobs", [1, 2, 3, 24, 60])
def test_mean_fit_sums_add_every_workers_match_in_order(k, jobs):
    rng = np.random.default_rng(k + 100 * jobs)
    workers = _profiles(rng, 256, k)
    demand = _profiles(rng, jobs, k)
    table = ref.skill_match(workers[:, None, :], demand[None, :, :])
    want = np.zeros(jobs)
    for row in table:
        want = want + row
    got = mean_fit_sums(workers, demand)
    assert np.array_equal(got, want)


@pytest.mark.parametrize("k", SKILLS)
def test_teach_rows_learn_with_the_documented_rates(k):
    rng = np.random.default_rng(k)
    n, lo, n_s, n_f = 900, 50, 3, 12
    skills = _profiles(rng, lo + n, k)
    curricula, demand = _profiles(rng, n_s, k), _profiles(rng, n_f, k)
    union = _profiles(rng, n_s, k)
    active = rng.random(n) < 0.8
    stage = rng.integers(1, 5, n)
    school = rng.integers(0, n_s, n)
    host = np.where(rng.random(n) < 0.4, rng.integers(0, n_f, n), -1)
    apt = rng.lognormal(0.0, 0.6, n)  # some rates above the cap of 1
    factor = rng.uniform(1.0, 1.3, n_s)
    rotation = np.where(rng.random(n_f) < 0.5, rng.uniform(0.1, 0.5, n_f), 0.0)
    lrs, sim, lrf, boost = 0.05, 0.6, 0.09, 1.2
    disuse, dep = 0.15 / 12.0, 0.013 / 12.0
    # The plain formulation: rate and target per row, then learn_step on every row.
    placed = host >= 0
    rate = lrs * apt * factor[school]
    simulated = ~placed & ((stage == 2) | (stage == 3))
    rate[simulated] *= sim
    rate[placed] = lrf * apt[placed] * boost
    target = curricula[school].copy()
    target[placed] = demand[host[placed]]
    share = np.where(placed & (stage == 2), rotation[np.maximum(host, 0)], 0.0)
    mixed = share > 0
    host_target = target[mixed].copy()
    target[mixed] = ref.rotation_target(host_target, union[school[mixed]], share[mixed, None])
    rate[mixed] = ref.spread_rate(rate[mixed], skills[lo:][mixed], host_target, target[mixed])
    module = np.where(rng.random(n_f) < 0.5, rng.uniform(0.1, 0.6, n_f), 0.0)
    taught = placed & (module[np.maximum(host, 0)] > 0)
    college = lrs * apt * factor[school]
    rate[taught] = ref.module_rate(rate[taught], module[host[taught]], college[taught])
    before = skills.copy()
    want = ref.learn(before[lo:], target, rate, disuse, dep)
    want[~active] = before[lo:][~active]
    teach_rows(skills, lo, active, stage, school, host, apt, curricula, demand, factor, union,
               rotation, module, np.array([lrs, sim, lrf, boost]), disuse, dep)  # fmt: skip
    assert mixed.any() and taught.any() and np.array_equal(skills[:lo], before[:lo])
    assert np.array_equal(skills[lo:], want)


@pytest.mark.parametrize("seed", range(6))
def test_apprentice_month_equals_the_placement_formulas(seed):
    rng = np.random.default_rng(seed)
    k, n_f, n = 8, 15, 1200
    skills, demand = _profiles(rng, 2000, k), _profiles(rng, n_f, k)
    apt = rng.lognormal(0.0, 0.6, 2000)
    rows = np.sort(rng.choice(2000, n, replace=False))
    hosts = rng.integers(0, n_f, n)
    month = 40
    prog = rng.integers(0, 40, 2000)
    start = month - rng.integers(0, 30, 2000)
    stage = rng.integers(1, 5, n)
    wage, rotation = rng.uniform(3000, 5000, n_f), rng.uniform(0.0, 0.4, n_f)
    ps, pay, rot_cost, rate = 0.5, 0.4, 0.1, 0.22
    u = rng.random(n)
    # The plain formulation, from the reference rules.
    mis = ref.mismatch(ref.skill_match(skills[rows], demand[hosts]), apt[rows])
    first = (month - start[rows]) // 12 < 1
    m_ref = ref.reference(first)
    w = wage[hosts]
    output = w * ps * ref.ramp(prog[rows]) * ref.relative_fit(mis, m_ref)
    cost = w * pay + w * rot_cost * np.where(stage == 2, rotation[hosts], 0.0)
    h1, h2 = termination_hazards(rate)
    end = u < ref.termination(np.where(first, h1, h2), mis, m_ref)
    lo = int(rows[0])  # the window's start; host and stage are read by row
    host_all, stage_all = np.full(2000, -1), np.zeros(2000 - lo, dtype=np.int64)
    host_all[rows], stage_all[rows - lo] = hosts, stage
    gross, n_app, n_term, got_end = apprentice_month(
        skills, apt, rows, host_all, prog, start, stage_all, lo, demand, wage, rotation, month,
        np.array([ps, pay, rot_cost]), np.array([h1, h2]), u, n_f,
    )  # fmt: skip
    assert end.any() and first.any() and not first.all()
    assert np.array_equal(got_end, end)
    want_gross = np.zeros(n_f)
    for h, x in zip(hosts, output - cost, strict=True):  # added in row order
        want_gross[h] += x
    assert np.array_equal(gross, want_gross)
    assert np.array_equal(n_app, np.bincount(hosts, minlength=n_f))
    assert np.array_equal(n_term, np.bincount(hosts[end], minlength=n_f))


def _fill_reference(skills, apt, demand, groups, steps, z, noise):
    """Hosts in turn, each screening the remaining candidates in Python and NumPy."""
    groups = [g.copy() for g in groups]
    out, at = [], 0
    for (j, i, take, n), sd in zip(steps, noise, strict=True):
        cand = groups[i]
        assert cand.size == n
        seen = ref.seen(apt[cand], np.exp(sd * z[at : at + n]))
        at += n
        fit = ref.skill_match(skills[cand], demand[j]) * seen
        pick = (-fit).argsort(kind="stable")[:take]
        out.append(cand[pick])
        rest = np.ones(cand.size, dtype=bool)
        rest[pick] = False
        groups[i] = cand[rest]
    return np.concatenate(out)


@pytest.mark.parametrize("seed", range(6))
def test_fill_places_equals_host_by_host_screening(seed):
    rng = np.random.default_rng(seed)
    k, n_f, n_s = 8, 10, 3
    skills, demand = _profiles(rng, 3000, k), _profiles(rng, n_f, k)
    apt = rng.lognormal(0.0, 0.6, 3000)
    pool = np.sort(rng.choice(3000, 900, replace=False))
    school = rng.integers(0, n_s, pool.size)
    groups = [pool[school == i] for i in range(n_s)]
    left = [g.size for g in groups]
    steps = []
    for j in rng.permutation(n_f):
        i = int(rng.integers(0, n_s))
        take = min(int(rng.integers(1, 120)), left[i])
        if take:
            steps.append((int(j), i, take, left[i]))
            left[i] -= take
    noise = rng.uniform(0.1, 0.5, len(steps))
    z = rng.standard_normal(sum(s[3] for s in steps))
    want = _fill_reference(skills, apt, demand, groups, steps, z, noise)
    plan = np.array(steps, dtype=np.int64)
    bounds = np.concatenate([[0], np.cumsum([g.size for g in groups])])
    got = fill_places(skills, apt, demand, np.concatenate(groups), bounds, plan, noise, z)
    assert np.array_equal(got, want)


def _picks_reference(fit, blocks, firms, vac, ahead, ext_fit, factor, search, wait, bonus):
    """Partners pick in order, in Python, costing hires with the reference bracket.

    A candidate is worth a vacancy when seen to beat the market or when its cost net of
    the firm's retention bonus (weeks) is at most a market-fit candidate's.
    """
    pairs, groups = [], []
    for start, n_c, f0, n_f in blocks:
        table = fit[start : start + n_c * n_f].reshape(n_c, n_f)
        taken = np.zeros(n_c, dtype=bool)
        for col in range(n_f):
            j = firms[f0 + col]
            f = np.where(taken, -np.inf, table[:, col])
            net = ref.hire_weeks(factor[j], search, 1.0 - f) - bonus[j]
            bar_cost = ref.hire_weeks(factor[j], search, 1.0 - ext_fit[j])
            better = ((f >= ext_fit[j]) | ((bonus[j] > 0) & (net <= bar_cost))).nonzero()[0]
            order = better[(-f[better]).argsort(kind="stable")]
            first, extra = order[: vac[j]], order[vac[j] : vac[j] + ahead[j]]
            market = ref.hire_weeks(factor[j], 1.0, 1.0 - ext_fit[j])
            own = ref.hire_weeks(factor[j], search, 1.0 - f[extra])
            extra = extra[market - own + bonus[j] >= wait]
            pick = np.concatenate([first, extra]).astype(np.int64)
            if pick.size:
                taken[pick] = True
                vac[j] -= first.size
                ahead[j] -= extra.size
                pairs.extend((start + pick * n_f + col).tolist())
                groups.append((j, pick.size, extra.size))
    return pairs, groups


@pytest.mark.parametrize("seed", range(8))
def test_pick_candidates_equal_firm_by_firm_choice(seed):
    rng = np.random.default_rng(seed)
    n_firms = 20
    blocks, firms, fits, start = [], [], [], 0
    for _ in range(3):
        n_c, chosen = int(rng.integers(1, 200)), rng.permutation(n_firms)[: rng.integers(1, 8)]
        blocks.append((start, n_c, len(firms), chosen.size))
        firms.extend(chosen.tolist())
        block = rng.uniform(0.5, 1.0, (n_c, chosen.size))
        block[rng.random(block.shape) < 0.05] = -np.inf  # graduates who will not go back
        block[: n_c // 4] = np.round(block[: n_c // 4], 2)  # ties in observed fit
        fits.append(block.ravel())
        start += n_c * chosen.size
    fit = np.concatenate(fits)
    vac = rng.integers(0, 6, n_firms)
    ahead = rng.integers(0, 6, n_firms)
    ext_fit = rng.uniform(0.6, 0.9, n_firms)
    rate = rng.uniform(0.0, 0.4, n_firms)
    factor = ref.factor(rate, 0.06, 16.0, 0.5, 0.05)
    search, wait = 0.4, 1.5
    bonus = np.where(rng.random(n_firms) < 0.5, rng.uniform(0.0, 4.0, n_firms), 0.0)
    want_pairs, want_groups = _picks_reference(
        fit, blocks, firms, vac.copy(), ahead.copy(), ext_fit, factor, search, wait, bonus
    )
    market = ref.hire_weeks(factor, 1.0, 1.0 - ext_fit)
    pairs, firm, count, kept_ahead = pick_candidates(
        fit, np.array(blocks, dtype=np.int64), np.array(firms, dtype=np.int64), vac, ahead,
        ext_fit, market, factor, search, wait, bonus,
    )  # fmt: skip
    assert pairs.tolist() == want_pairs
    assert list(zip(firm.tolist(), count.tolist(), kept_ahead.tolist(), strict=True)) == want_groups
    assert kept_ahead.sum() > 0  # the test reaches hiring ahead of vacancies


@pytest.mark.parametrize("convexity", [0.5, 0.8])
@pytest.mark.parametrize("seed", range(4))
def test_hire_costs_equal_the_ledger_formulas(seed, convexity):
    rng = np.random.default_rng(seed)
    n_f, n_s, nk, n_ext = 12, 3, 60, 40
    n = nk + n_ext
    firm = rng.integers(0, n_f, n)
    source = np.concatenate([rng.integers(0, 2, nk), np.full(n_ext, 2)])
    mis = rng.uniform(0.0, 0.9, n)
    rows = np.concatenate([rng.choice(500, nk, replace=False), np.full(n_ext, -1)])
    school, firm_school = rng.integers(0, n_s, 500), rng.integers(-1, n_s, n_f)
    rate = rng.uniform(0.0, 0.5, n_f)
    rate[0] = 0.0  # at the floor of 1e-6
    wage, ext_mis = rng.uniform(3000, 5000, n_f), rng.uniform(0.1, 0.4, n_f)
    level_scale = ref.factor(rate, 0.07, 16.0, convexity, 0.05)
    search = np.array([0.0, 0.4, 1.0])
    ms, each, u = 0.6, 250.0, rng.random(n)
    # The plain formulation, from the reference rules.
    weeks = ref.hire_weeks(level_scale[firm], search[source], mis)
    cost = ref.currency(weeks, wage[firm])
    sep = u < ref.separation(mis, ms)
    f, r = firm[:nk], rows[:nk]
    ext_weeks = ref.hire_weeks(level_scale[f], 1.0, ext_mis[f])
    credit_weeks = ref.credit(weeks[:nk], sep[:nk], ext_weeks, ref.separation(ext_mis[f], ms))
    bonus_each = np.where(source[:nk] == 0, each, 0.0)
    value = ref.currency(credit_weeks, wage[f]) + bonus_each
    from_tie = school[r] == firm_school[f]
    got = hire_costs(firm, source, mis, rows, nk, level_scale, search, wage, ext_mis, ms, u,
                     each, school, firm_school)  # fmt: skip
    assert sep.any() and from_tie.any() and not from_tie.all()
    assert np.array_equal(got[0], weeks) and np.array_equal(got[1], cost)
    assert np.array_equal(got[2], sep)
    want_credit, want_bonus = np.zeros(n_f), np.zeros(n_f)
    for j, v, b, t in zip(f, value, bonus_each, from_tie, strict=True):  # in hire order
        want_credit[j] += v if t else 0.0
        want_bonus[j] += b
    assert np.array_equal(got[3], want_credit)
    assert np.array_equal(got[4], want_bonus)


@pytest.mark.parametrize("seed", range(6))
def test_partner_pairs_group_by_college_keeping_order(seed):
    rng = np.random.default_rng(seed)
    n_s, n_f = 4, 20
    school = rng.integers(0, n_s, 3000)
    seeking = np.sort(rng.choice(3000, int(rng.integers(0, 400)), replace=False))
    firm_school = rng.integers(0, n_s, n_f)
    ordered = rng.permutation(n_f)[: rng.integers(0, n_f)]
    rows, jobs, blocks, firms = partner_pairs(seeking, school, ordered, firm_school, n_s)
    # Reference: college by college, graduates in row order times partners in picking order.
    want_rows, want_jobs, want_firms, want_blocks = [], [], [], []
    for i in range(n_s):
        grads = seeking[school[seeking] == i]
        partners = ordered[firm_school[ordered] == i]
        if grads.size and partners.size:
            want_blocks.append((len(want_rows), grads.size, len(want_firms), partners.size))
            want_rows += np.repeat(grads, partners.size).tolist()
            want_jobs += np.tile(partners, grads.size).tolist()
            want_firms += partners.tolist()
    assert rows.tolist() == want_rows and jobs.tolist() == want_jobs
    assert firms.tolist() == want_firms
    assert [tuple(b) for b in blocks.tolist()] == want_blocks


def test_screened_fit_equals_match_times_observed_performance():
    rng = np.random.default_rng(3)
    skills, demand = _profiles(rng, 2000, 8), _profiles(rng, 15, 8)
    apt = rng.lognormal(0.0, 0.6, 2000)
    moved = rng.random(2000) < 0.3
    trained_by = rng.integers(-1, 15, 2000)
    rows, jobs = rng.integers(0, 2000, 5000), rng.integers(0, 15, 5000)
    sd, z = rng.uniform(0.1, 0.5, 15), rng.standard_normal(5000)  # noise per firm
    match, fit = screened_fit(skills, apt, moved, trained_by, demand, rows, jobs, sd, z)
    want_match = ref.skill_match(skills[rows], demand[jobs])
    want_fit = want_match * ref.seen(apt[rows], np.exp(sd[jobs] * z))
    gone = moved[rows] & (trained_by[rows] == jobs)
    want_fit[gone] = -np.inf
    assert gone.any() and np.array_equal(match, want_match) and np.array_equal(fit, want_fit)


@pytest.mark.parametrize("seed", range(10))
def test_first_sorted_is_the_start_of_a_stable_sort(seed):
    rng = np.random.default_rng(seed)
    keys = np.round(rng.normal(size=int(rng.integers(1, 400))), int(rng.integers(0, 3)))
    for take in (1, 2, 7, keys.size // 2, keys.size - 1, keys.size, keys.size + 5):
        if take < 1:
            continue
        want = keys.argsort(kind="stable")[:take]
        assert np.array_equal(_first_sorted(keys, take), want)


@pytest.mark.parametrize("k", SKILLS)
def test_vintage_fit_sums_equal_the_fit_sums_of_the_reflected_sample(k):
    rng = np.random.default_rng(7 * k)
    vintage, noise = rng.uniform(0.0, 1.1, k), rng.standard_normal((256, k))
    demand = _profiles(rng, 30, k)
    want = mean_fit_sums(reflect(vintage[None, :] + 0.3 * noise), demand)
    assert np.array_equal(vintage_fit_sums(vintage, 0.3, noise, demand), want)


@pytest.mark.parametrize("k", SKILLS)
def test_external_matches_equal_the_reflected_skills_matched_to_their_hosts(k):
    from community_sim.mechanics.kernels import external_matches

    rng = np.random.default_rng(11 * k)
    vintage, noise = rng.uniform(0.0, 1.0, k), rng.normal(0.0, 0.4, (300, k))
    demand = _profiles(rng, 20, k)
    hosts, apt = rng.integers(0, 20, 300), rng.lognormal(0.0, 0.6, 300)
    skills = reflect(vintage[None, :] + noise)
    want = ref.skill_match(skills, demand[hosts])
    match, mis = external_matches(vintage, noise, demand, hosts, apt)
    assert np.array_equal(match, want)
    assert np.array_equal(mis, ref.mismatch(want, apt))
