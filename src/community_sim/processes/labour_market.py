"""Process 5: separations, graduation hiring and vacancies (costed in ``hire_ledger``).

A firm fills vacancies first from its own trainees at graduation (it has
watched them work, so its signal of their performance is good but not exact:
noise ``screening_noise × trainer_noise_factor``; it keeps those expected to
fit better than an external hire, counting the retention bonus a kept
trainee brings), then from partner colleges' job-seeking graduates. Employers
outside the modelled firms make their offers to job seekers first, except that
members with ``first_right_to_hire`` pick before them (and before the other
partners); every partner screens skills and a noisy signal, members with less
noise. Then from the
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
    SEEKING,
    StudentArrays,
)
from community_sim.mechanics.accounts import tie_rehire_costs
from community_sim.mechanics.bookkeeping import leave_employers, separating, take_outside_jobs
from community_sim.mechanics.council import observed_performance
from community_sim.mechanics.kernels import external_matches
from community_sim.mechanics.labour import (
    move_on_probs,
)
from community_sim.mechanics.skills import (
    effective_mismatch,
    match_pairs,
    match_rows,
    per_month,
    vintage_fit_sums,
)
from community_sim.mechanics.ufuncs import clip
from community_sim.processes.hire_ledger import Hires, book, cost_factors
from community_sim.processes.recruiting import employ, partner_hires, pick
from community_sim.state import ExternalMarket, Firms, Technology, TieRegistry

if TYPE_CHECKING:
    from community_sim.agents.government import Government
    from community_sim.metrics import Recorder

SEEKING_MONTHS = 12
"""Graduates still without a job after this many months leave the model."""


def _debit_early_quits(
    st: StudentArrays,
    firms: Firms,
    registry: TieRegistry,
    market: ExternalMarket,
    tech: Technology,
    p: Mapping[str, Any],
    month: int,
    rows: np.ndarray,
) -> None:
    """A graduate who quits or is poached within a year costs the tie a market re-hire.

    This is how poaching lowers the return to training (Acemoglu & Pischke 1998):
    the firm that trained or recruited through the tie pays to replace them, at
    its current hiring rate and the market's tightness, as any other hire.
    """
    recent = rows[month - st.employed_month[rows] <= 12]
    if recent.size == 0:
        return
    ext_mis, _ = expected_external(market, tech, firms, p, month)
    factor = cost_factors(firms, p)
    debited, losses = tie_rehire_costs(
        st.employer[recent], st.school[recent], registry.arrays.school, factor, ext_mis,
        firms.wage,
    )  # fmt: skip
    ents = registry.enterprises
    for j, loss in zip(debited.tolist(), losses.tolist(), strict=True):
        tie = ents[j].tie
        assert tie is not None  # a tie with the graduate's college
        tie.period_surplus -= loss
        tie.surplus_enterprise -= loss


def _pay_premium(
    st: StudentArrays,
    registry: TieRegistry,
    rec: Recorder,
    rows: np.ndarray,
    firms: np.ndarray,
    premium: float,
) -> None:
    """Each kept trainee's retention premium, on its firm's ledger and tie (as the bonus)."""
    rec.add_training(-premium * rows.size)
    ents = registry.enterprises
    for i, j in zip(st.school[rows].tolist(), firms.tolist(), strict=True):
        ent = ents[j]
        ent.net_benefit -= premium
        tie = ent.tie
        if tie is not None and tie.school.idx == i:
            tie.period_surplus -= premium
            tie.surplus_enterprise -= premium


def separations(
    st: StudentArrays,
    firms: Firms,
    registry: TieRegistry,
    market: ExternalMarket,
    tech: Technology,
    p: Mapping[str, Any],
    rng: np.random.Generator,
    month: int,
) -> np.ndarray:
    """Scheduled early separations, tracked graduates' quits and poaching, generic quits.

    A tracked graduate's quit within a year is debited to its tie after the scheduled
    separations have left the headcount. Returns the student rows that left.
    """
    t = month
    firms.headcount -= firms.sep_due[t]
    emp = st.rows(EMPLOYED)
    left = emp[:0]
    tracked: np.ndarray | int = 0
    if emp.size:
        quit_p = per_month(float(p["turnover_rate"]) + float(p["poaching_rate"]))
        go, quits = separating(emp, st.sep_month, rng.random(emp.size), quit_p, t)
        _debit_early_quits(st, firms, registry, market, tech, p, month, quits)
        # Leavers leave the headcount (and the model), the others count as tracked.
        left, tracked = leave_employers(
            emp, go, st.employer, st.status, st.left_month, firms.headcount, month, LEFT
        )
    untracked = np.maximum(firms.headcount - tracked, 0)
    firms.headcount -= rng.binomial(untracked, per_month(float(p["turnover_rate"])))
    np.maximum(firms.headcount, 0, out=firms.headcount)
    return left


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
    # The sample's skills reflect(vintage + noise × sample), made worker by worker.
    scale = float(p["external_skill_noise"])
    m = vintage_fit_sums(vintage, scale, market.noise, firms.demand) / market.noise.shape[0]
    mis = 1.0 - m * market.mean_performance
    market.benchmark = (month, mis, vintage)
    return mis, vintage


def hire(
    st: StudentArrays,
    firms: Firms,
    registry: TieRegistry,
    market: ExternalMarket,
    tech: Technology,
    gov: Government,
    rec: Recorder,
    p: Mapping[str, Any],
    rng: np.random.Generator,
    month: int,
    new_grads: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Own-trainee hiring at graduation, partner-graduate and external hiring for vacancies.

    The month's hires are costed and booked (:func:`~.hire_ledger.book`: ties, ``gov``'s
    retention bonuses, ``rec``). Returns the rows that were seeking work when partners
    picked (a superset of those still seeking afterwards, in row order) and whether the
    outside market found each of them this month (:func:`outside_offers`).
    """
    t = month
    n_f = firms.wage.shape[0]
    ext_mis, vintage = expected_external(market, tech, firms, p, month)
    hires = Hires()
    target = np.rint(firms.headcount0 * (1.0 + float(p["growth_rate"])) ** (t / 12.0)).astype(
        np.int64
    )

    # Own trainees: the firm has watched them work (a good, not exact, signal); it keeps
    # those expected to beat the market for its open vacancies and, ahead of the year's
    # expected vacancies, those whose saving covers the wait (as partners recruiting ahead),
    # counting the retention bonus a kept trainee brings as part of the saving.
    yearly = np.ceil(firms.headcount0 * (float(p["turnover_rate"]) + float(p["growth_rate"])))
    own_sd = float(p["screening_noise"]) * float(p["trainer_noise_factor"])
    if new_grads.size:
        trained = new_grads[st.trained_by[new_grads] >= 0]
        # Some graduates choose to leave their training firm; fewer when its offer carries
        # part of the retention bonus it would receive for keeping them as a premium.
        premium = float(p["bonus_pass_through"]) * float(p["retention_bonus"])
        move = move_on_probs(
            float(p["graduate_move_share"]), premium, firms.wage[st.trained_by[trained]],
            float(p["move_premium_elasticity"]),
        )  # fmt: skip
        stays = rng.random(trained.size) >= move
        st.moved_on[trained[~stays]] = True
        trained = trained[stays]
        # One block per training firm (its graduates in row order), firms in index order.
        grads = trained[st.trained_by[trained].argsort(kind="stable")]
        trainer = st.trained_by[grads]
        trainers, counts = np.unique(trainer, return_counts=True)
        blocks = np.zeros((trainers.size, 4), dtype=np.int64)
        blocks[:, 1], blocks[:, 2], blocks[:, 3] = counts, np.arange(trainers.size), 1
        blocks[1:, 0] = np.cumsum(counts[:-1])
        match = match_pairs(st.skills, grads, firms.demand, trainer)
        seen = observed_performance(st.aptitude[grads], own_sd, rng.standard_normal(grads.size))
        now = np.maximum(target - firms.headcount, 0)
        # The government's retention bonus for keeping an own trainee weighs in the offer.
        bonus = np.full(n_f, float(p["retention_bonus"]))
        pairs, picked, n_picked = pick(
            firms, registry, p, match * seen, blocks, trainers, now, yearly.astype(np.int64),
            ext_mis, 0.0, bonus,
        )  # fmt: skip
        if pairs.size:
            rows = grads[pairs]
            employ(st, firms, rows, trainer[pairs], month)
            if premium > 0.0:
                _pay_premium(st, registry, rec, rows, trainer[pairs], premium)
            mis = effective_mismatch(match[pairs], st.aptitude[rows])
            hires.add(picked.tolist(), OWN, n_picked.tolist(), match[pairs], mis, rows)

    # Partner colleges' graduates, for this month's vacancies and, in the graduation month,
    # for the year's expected vacancies (recruiting season): first-right holders pick first,
    # then the others, each group in random order.
    seeking = st.seeking()
    vac = np.maximum(target - firms.headcount, 0)
    ahead = np.zeros(n_f, dtype=np.int64)
    if new_grads.size:
        kept = hires.kept(n_f)
        ahead = np.maximum(yearly.astype(np.int64) - kept, 0)
    # Employers outside the modelled firms make their offers first, except to the
    # graduates a first-right holder picks (members with first_right_to_hire).
    found = outside_offers(st, tech, p, rng, seeking)
    if seeking.size:
        partner_hires(
            st, firms, registry, p, rng, month, seeking, found, vac, ahead, ext_mis, hires
        )

    # External market: experienced workers trained on an older vintage of sector demand.
    n_ext = int(vac.sum())
    if n_ext:
        hosts = np.repeat(np.arange(n_f), vac)
        k = vintage.shape[0]
        noise = rng.normal(0.0, float(p["external_skill_noise"]), (n_ext, k))
        apt = rng.lognormal(0.0, float(p["aptitude_sd"]), n_ext)
        hires.add_external(hosts, *external_matches(vintage, noise, firms.demand, hosts, apt))
        firms.headcount += vac
    book(st, firms, registry, gov, rec, hires, ext_mis, p, rng, month)
    return seeking, found


def outside_offers(
    st: StudentArrays,
    tech: Technology,
    p: Mapping[str, Any],
    rng: np.random.Generator,
    seeking: np.ndarray,
) -> np.ndarray:
    """Whether employers outside the modelled firms find each ``seeking`` graduate this month.

    With probability ``outside_job_rate`` × the graduate's match to sector demand ×
    labour-market slack; one draw per seeking graduate, whoever later hires them.
    """
    if seeking.size == 0:
        return np.zeros(0, dtype=bool)
    fit = match_rows(st.skills, seeking, tech.sector)
    slack = (1.0 - float(p["unemployment_rate"])) / 0.95
    prob = clip(float(p["outside_job_rate"]) * fit * slack, 0.0, 1.0)
    return rng.random(seeking.size) < prob  # type: ignore[no-any-return]


def outside_jobs(
    st: StudentArrays,
    month: int,
    seeking: np.ndarray,
    found: np.ndarray,
) -> np.ndarray:
    """Graduates found by outside employers and not hired by a partner take that work; the
    others still without a job a year after graduating give up.

    ``seeking``: rows among which all job seekers are, in row order; ``found``: whether the
    outside market found each (:func:`outside_offers`). Returns the rows that left the model.
    """
    return take_outside_jobs(
        seeking, found, st.status, st.employed_month, st.grad_month, month,
        SEEKING_MONTHS, SEEKING, LEFT,
    )  # fmt: skip


def run_month(
    st: StudentArrays,
    firms: Firms,
    registry: TieRegistry,
    market: ExternalMarket,
    tech: Technology,
    gov: Government,
    rec: Recorder,
    p: Mapping[str, Any],
    rng: np.random.Generator,
    month: int,
    new_grads: np.ndarray,
) -> np.ndarray:
    """Process 5 in order: separations, hiring, outside jobs. Returns the rows that left."""
    left = separations(st, firms, registry, market, tech, p, rng, month)
    seeking, found = hire(st, firms, registry, market, tech, gov, rec, p, rng, month, new_grads)
    gone = outside_jobs(st, month, seeking, found)
    return np.concatenate([left, gone])
