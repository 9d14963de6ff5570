"""Process 5: separations, graduation hiring and vacancies (costed in ``hire_ledger``).

A firm fills vacancies first from its own trainees at graduation (it has
watched them work, so its signal of their performance is good but not exact:
noise ``screening_noise × trainer_noise_factor``; it keeps those expected to
fit better than an external hire), then from partner colleges' job-seeking
graduates (members with ``first_right_to_hire`` pick first; every partner
screens skills and a noisy signal, members with less noise), then from the
external market, whose workers were trained on an older vintage of sector
demand with individual noise. The benchmark every candidate must beat is the
expected fit of such an external worker, noise included. Every hire costs
trial-and-error weeks (:func:`~community_sim.mechanics.labour.hire_weeks`)
and may separate early, which re-opens the vacancy: the firm pays again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from community_sim.agents.student import (
    EMPLOYED,
    LEFT,
    OWN,
    PARTNER,
    SEEKING,
    StudentArrays,
)
from community_sim.mechanics.council import observed_performance
from community_sim.mechanics.kernels import partner_pairs, pick_candidates, screened_fit
from community_sim.mechanics.labour import hire_cost_factor, hire_weeks, weeks_to_currency
from community_sim.mechanics.skills import (
    effective_mismatch,
    match_pairs,
    match_rows,
    mean_fit_sums,
    per_month,
    reflect,
)
from community_sim.mechanics.ufuncs import clip
from community_sim.processes.hire_ledger import Hires, book, cost_kw, hire_rate
from community_sim.state import ExternalMarket, Firms, Technology

if TYPE_CHECKING:
    from community_sim.model import CommunityModel

SEEKING_MONTHS = 12
"""Graduates still without a job after this many months leave the model."""
PREHIRE_WAIT_MONTHS = 6.0
"""Mean wait of a graduate hired in September for a vacancy expected within the year."""


def _leave(model: CommunityModel, rows: np.ndarray) -> None:
    st = model.students
    if rows.size == 0:
        return
    model.firms.headcount -= np.bincount(st.employer[rows], minlength=model.firms.headcount.size)
    st.status[rows] = LEFT
    st.left_month[rows] = model.month
    model.remove_students(rows)


def _debit_early_quits(model: CommunityModel, rows: np.ndarray) -> None:
    """A graduate who quits or is poached within a year costs the tie a market re-hire.

    This is how poaching lowers the return to training (Acemoglu & Pischke 1998):
    the firm that trained or recruited through the tie pays to replace them, at
    its current hiring rate and the market's tightness, as any other hire.
    """
    st = model.students
    recent = rows[model.month - st.employed_month[rows] <= 12]
    if recent.size == 0:
        return
    ext_mis, _ = _expected_external(model)
    rate = hire_rate(model.firms)
    kw = cost_kw(model.p)
    wage = model.firms.wage.tolist()
    factor = hire_cost_factor(rate, **kw).tolist()
    ext = ext_mis.tolist()
    for j, i in zip(st.employer[recent].tolist(), st.school[recent].tolist(), strict=True):
        tie = model.enterprises[j].tie
        if tie is None or tie.school.idx != i:
            continue
        loss = weeks_to_currency(hire_weeks(factor[j], 1.0, ext[j]), wage[j])
        tie.period_surplus -= loss
        tie.surplus_enterprise -= loss


def separations(model: CommunityModel) -> None:
    """Scheduled early separations, tracked graduates' quits and poaching, generic quits."""
    p = model.p
    st = model.students
    t = model.month
    model.firms.headcount -= model.firms.sep_due[t]
    emp = st.rows(EMPLOYED)
    if emp.size:
        due = st.sep_month[emp] == t
        quit_p = per_month(float(p["turnover_rate"]) + float(p["poaching_rate"]))
        go = due | (model.rng.random(emp.size) < quit_p)
        _debit_early_quits(model, emp[go & ~due])
        _leave(model, emp[go])
        emp = emp[~go]
    tracked = np.bincount(st.employer[emp], minlength=len(model.firms.headcount)) if emp.size else 0
    untracked = np.maximum(model.firms.headcount - tracked, 0)
    model.firms.headcount -= model.rng.binomial(untracked, per_month(float(p["turnover_rate"])))
    np.maximum(model.firms.headcount, 0, out=model.firms.headcount)


def expected_external(
    market: ExternalMarket,
    tech: Technology,
    firms: Firms,
    p: Mapping[str, Any],
    month: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Expected effective mismatch of an external hire per firm, and the skills vintage.

    The mean over a fixed sample of external workers (the vintage plus each worker's
    noise, as drawn in :func:`hire`) of their mismatch at the average performance.
    """
    cached = market.benchmark
    if cached is not None and cached[0] == month:  # demand changes once a month
        return cached[1], cached[2]
    vintage = tech.at(month - int(p["external_skill_vintage_months"]))
    skills = reflect(vintage[None, :] + float(p["external_skill_noise"]) * market.noise)
    m = mean_fit_sums(skills, firms.demand) / skills.shape[0]
    mis = 1.0 - m * market.mean_performance
    market.benchmark = (month, mis, vintage)
    return mis, vintage


def _expected_external(model: CommunityModel) -> tuple[np.ndarray, np.ndarray]:
    return expected_external(model.market, model.tech, model.firms, model.p, model.month)


def _employ(model: CommunityModel, rows: np.ndarray, firms: np.ndarray) -> None:
    """Student ``rows`` start work, each with its firm in ``firms``."""
    st = model.students
    st.status[rows] = EMPLOYED
    st.employer[rows] = firms
    st.employed_month[rows] = model.month
    model.firms.headcount += np.bincount(firms, minlength=model.firms.headcount.size)


def hire(model: CommunityModel, new_grads: np.ndarray) -> np.ndarray:
    """Own-trainee hiring at graduation, partner-graduate and external hiring for vacancies.

    Returns the rows that were seeking work when partners picked (a superset of those
    still seeking afterwards, in row order).
    """
    p = model.p
    st = model.students
    t = model.month
    rng = model.rng
    n_f = len(model.enterprises)
    ext_mis, vintage = _expected_external(model)
    hires = Hires()
    target = np.rint(model.firms.headcount0 * (1.0 + float(p["growth_rate"])) ** (t / 12.0)).astype(
        np.int64
    )

    # Own trainees: the firm has watched them work (a good, not exact, signal); it keeps
    # those expected to beat the market for its open vacancies and, ahead of the year's
    # expected vacancies, those whose saving covers the wait (as partners recruiting ahead).
    yearly = np.ceil(model.firms.headcount0 * (float(p["turnover_rate"]) + float(p["growth_rate"])))
    own_sd = float(p["screening_noise"]) * float(p["trainer_noise_factor"])
    if new_grads.size:
        trained = new_grads[st.trained_by[new_grads] >= 0]
        # Some graduates choose to leave their training firm whatever it would offer.
        stays = rng.random(trained.size) >= float(p["graduate_move_share"])
        st.moved_on[trained[~stays]] = True
        trained = trained[stays]
        # One block per training firm (its graduates in row order), firms in index order.
        grads = trained[st.trained_by[trained].argsort(kind="stable")]
        trainer = st.trained_by[grads]
        firms, counts = np.unique(trainer, return_counts=True)
        blocks = np.zeros((firms.size, 4), dtype=np.int64)
        blocks[:, 1], blocks[:, 2], blocks[:, 3] = counts, np.arange(firms.size), 1
        blocks[1:, 0] = np.cumsum(counts[:-1])
        match = match_pairs(st.skills, grads, model.firms.demand, trainer)
        seen = observed_performance(st.aptitude[grads], own_sd, rng.standard_normal(grads.size))
        now = np.maximum(target - model.firms.headcount, 0)
        pairs, picked, n_picked = _pick(
            model, match * seen, blocks, firms, now, yearly.astype(np.int64), ext_mis, 0.0
        )
        if pairs.size:
            rows = grads[pairs]
            _employ(model, rows, trainer[pairs])
            mis = effective_mismatch(match[pairs], st.aptitude[rows])
            hires.add(picked.tolist(), OWN, n_picked.tolist(), match[pairs], mis, rows)

    # Partner colleges' graduates, for this month's vacancies and, in the graduation month,
    # for the year's expected vacancies (recruiting season): first-right holders pick first,
    # then the others, each group in random order.
    seeking = st.rows(SEEKING)
    vac = np.maximum(target - model.firms.headcount, 0)
    ahead = np.zeros(n_f, dtype=np.int64)
    if new_grads.size:
        kept = hires.kept(n_f)
        ahead = np.maximum(yearly.astype(np.int64) - kept, 0)
    if seeking.size:
        _partner_hires(model, seeking, vac, ahead, ext_mis, hires)

    # External market: experienced workers trained on an older vintage of sector demand.
    n_ext = int(vac.sum())
    if n_ext:
        firms = np.repeat(np.arange(n_f), vac)
        k = vintage.shape[0]
        skills = reflect(
            vintage[None, :] + rng.normal(0.0, float(p["external_skill_noise"]), (n_ext, k))
        )
        apt = rng.lognormal(0.0, float(p["aptitude_sd"]), n_ext)
        match = match_pairs(skills, np.arange(n_ext), model.firms.demand, firms)
        hires.add_external(firms, match, effective_mismatch(match, apt))
        model.firms.headcount += vac
    book(model, hires, ext_mis)
    return seeking


def _pick(
    model: CommunityModel,
    fit: np.ndarray,
    blocks: np.ndarray,
    firms: np.ndarray,
    vac: np.ndarray,
    ahead: np.ndarray,
    ext_mis: np.ndarray,
    search: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Firms pick candidates in turn, best observed fit first (``-inf``: not available).

    Up to ``vac`` open vacancies a firm takes those seen to fit better than the
    market's expected hire. Up to ``ahead`` more (the year's expected vacancies) it
    takes only those whose expected saving on trial-and-error cost covers carrying
    them until a vacancy opens (``prehire_cost_share`` of the wage for
    ``PREHIRE_WAIT_MONTHS``); that carrying cost falls on the firm's tie. ``blocks``
    and ``firms`` lay out ``fit`` as :func:`~community_sim.mechanics.kernels.pick_candidates`
    reads it (which does the picking); ``vac`` and ``ahead`` are decremented in place.
    Returns the picked entries of ``fit`` in picking order, the picking firms and how
    many each took.
    """
    p = model.p
    market, level_scale = np.zeros(vac.size), np.zeros(vac.size)
    wait = float(p["prehire_cost_share"]) * PREHIRE_WAIT_MONTHS * 52.0 / 12.0
    if ahead.any():
        kw = cost_kw(p)
        for j in firms[ahead[firms] > 0].tolist():
            rate = model.firms.hire_hist[:, j].sum() / max(
                int(model.firms.headcount[j]), 1
            )  # the firm's hire_rate
            level_scale[j] = hire_cost_factor(rate, **kw)
            market[j] = hire_weeks(level_scale[j], 1.0, ext_mis[j])
    pairs, picked, counts, kept_ahead = pick_candidates(
        fit,
        blocks,
        firms,
        vac,
        ahead,
        1.0 - ext_mis,
        market,
        level_scale,
        search,
        wait,
    )
    for j, n in zip(picked.tolist(), kept_ahead.tolist(), strict=True):
        tie = model.enterprises[j].tie
        if n and tie is not None:
            carry = weeks_to_currency(wait, float(model.firms.wage[j])) * n
            tie.period_surplus -= carry
            tie.surplus_enterprise -= carry
    return pairs, picked, counts


def pick_order(model: CommunityModel, firms: np.ndarray) -> np.ndarray:
    """Partner ``firms`` in the order they pick graduates: first-right holders, then the others.

    Each group is in random order; the first right is read from the firm's terms.
    """
    rng = model.rng
    first = model.f_first[firms]
    prio, rest = firms[first], firms[~first]
    return np.concatenate([prio[rng.permutation(prio.size)], rest[rng.permutation(rest.size)]])


def _partner_hires(
    model: CommunityModel,
    seeking: np.ndarray,
    vac: np.ndarray,
    ahead: np.ndarray,
    ext_mis: np.ndarray,
    hires: Hires,
) -> None:
    """Partners hire their college's job-seeking graduates (see :func:`hire`).

    For a vacancy, a partner takes the graduates it sees as fitting better than the
    market's expected hire. Ahead of vacancies (graduation month) it takes only those
    whose expected saving on trial-and-error cost covers carrying them until a
    vacancy opens: ``prehire_cost_share`` of the wage for ``PREHIRE_WAIT_MONTHS``.
    """
    p = model.p
    st = model.students
    # Partners (firms with a tie, in firm order) in picking order; a firm with no vacancy
    # now or ahead does not pick (vacancies change only for the firm that picks).
    ordered = pick_order(model, (model.ties.kind > 0).nonzero()[0])
    ordered = ordered[(vac + ahead > 0)[ordered]]
    # A tie hires only from its own college, so colleges are independent; within one the
    # order above decides who picks first. Every (graduate, partner) pair of all colleges
    # is matched and screened at once, laid out college by college, graduate-major.
    rows_p, firm_p, table, firm_order = partner_pairs(
        seeking, st.school, ordered, model.ties.school, len(model.schools)
    )
    if rows_p.size == 0:
        return
    # Each partner's signal of performance, exp(σ z) (observed_performance): one draw for
    # all blocks, the same numbers as a draw per block in block order.
    sd = float(p["screening_noise"]) * model.f_noise[firm_p]
    signal = np.exp(sd * model.rng.standard_normal(rows_p.size))
    match_p, fit_p = screened_fit(
        st.skills,
        st.aptitude,
        st.moved_on,
        st.trained_by,
        model.firms.demand,
        rows_p,
        firm_p,
        signal,
    )
    # Each block's partners pick in order: for a vacancy the best graduates seen to beat
    # the market, ahead of vacancies those whose saving covers the wait. Each firm picks
    # once a month, so nothing here reads another partner's new hires: all start at once.
    search = float(p["partner_search_share"])
    pairs, picked, counts = _pick(model, fit_p, table, firm_order, vac, ahead, ext_mis, search)
    if pairs.size == 0:
        return
    rows = rows_p[pairs]
    _employ(model, rows, firm_p[pairs])
    match_all = match_p[pairs]
    hires.add(
        picked.tolist(),
        PARTNER,
        counts.tolist(),
        match_all,
        effective_mismatch(match_all, st.aptitude[rows]),
        rows,
    )


def outside_jobs(
    st: StudentArrays,
    tech: Technology,
    p: Mapping[str, Any],
    rng: np.random.Generator,
    month: int,
    seeking: np.ndarray | None = None,
) -> np.ndarray:
    """Job-seeking graduates find work outside the modelled firms, or give up after a year.

    ``seeking``: rows among which all job seekers are, in row order (else every row is
    read). Returns the rows that left the model.
    """
    if seeking is None:
        rows = st.rows(SEEKING)
    else:
        rows = seeking[st.status[seeking] == SEEKING]
    if rows.size == 0:
        return rows
    fit = match_rows(st.skills, rows, tech.sector)
    slack = (1.0 - float(p["unemployment_rate"])) / 0.95
    prob = clip(float(p["outside_job_rate"]) * fit * slack, 0.0, 1.0)
    found = rng.random(rows.size) < prob
    st.employed_month[rows[found]] = month
    expired = (~found) & (month - st.grad_month[rows] >= SEEKING_MONTHS)
    gone = rows[found | expired]
    st.status[gone] = LEFT
    return gone


def run_month(model: CommunityModel, new_grads: np.ndarray) -> None:
    """Process 5 in order: separations, hiring, outside jobs."""
    separations(model)
    seeking = hire(model, new_grads)
    gone = outside_jobs(model.students, model.tech, model.p, model.rng, model.month, seeking)
    if gone.size:
        model.remove_students(gone)
