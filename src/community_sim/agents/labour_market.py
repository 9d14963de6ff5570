"""Process 5: separations, graduation hiring, vacancies and the trial-and-error ledger.

A firm fills vacancies first from its own trainees at graduation (it knows
their aptitude and keeps those expected to fit better than an external hire),
then from partner colleges' job-seeking graduates (industrial-college members
first, seeing aptitude through the council; project partners see only skills),
then from the external market, whose workers were trained on an older vintage
of sector demand. Every hire costs trial-and-error weeks
(:func:`~community_sim.mechanics.labour.hire_cost_weeks`) and may separate
early, which re-opens the vacancy: the firm pays again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from community_sim.agents.student import EMPLOYED, EXTERNAL, LEFT, OWN, PARTNER, SEEKING
from community_sim.mechanics.labour import (
    early_separation_prob,
    hire_cost_weeks,
    weeks_to_currency,
)
from community_sim.mechanics.skills import effective_mismatch, per_month, reflect, skill_match

if TYPE_CHECKING:
    from community_sim.model import CommunityModel

SEEKING_MONTHS = 12
"""Graduates still without a job after this many months leave the model."""


def _leave(model: CommunityModel, rows: np.ndarray) -> None:
    st = model.students
    if rows.size == 0:
        return
    np.subtract.at(model.H, st.employer[rows], 1)
    st.status[rows] = LEFT
    st.left_month[rows] = model.month
    for r in rows:
        model.remove_student(int(r))


def _debit_early_quits(model: CommunityModel, rows: np.ndarray) -> None:
    """A graduate who quits or is poached within a year costs the tie a market re-hire.

    This is how poaching lowers the return to training (Acemoglu & Pischke 1998):
    the firm that trained or recruited through the tie pays to replace them.
    """
    st = model.students
    recent = rows[model.month - st.employed_month[rows] <= 12]
    if recent.size == 0:
        return
    ext_mis, _ = _expected_external(model)
    for r in recent:
        j = int(st.employer[r])
        tie = model.enterprises[j].tie
        if tie is None or tie.school.idx != st.school[r]:
            continue
        weeks = hire_cost_weeks(
            ext_mis[j],
            1.0,
            unemployment=float(model.p["unemployment_rate"]),
            base_weeks=float(model.p["hire_cost_weeks"]),
        )
        loss = float(weeks_to_currency(weeks, model.wage[j]))
        tie.period_surplus -= loss
        tie.surplus_enterprise -= loss


def separations(model: CommunityModel) -> None:
    """Scheduled early separations, tracked graduates' quits and poaching, generic quits."""
    p = model.p
    st = model.students
    t = model.month
    model.H -= model.sep_due[t]
    emp = st.rows(EMPLOYED)
    if emp.size:
        due = st.sep_month[emp] == t
        quit_p = per_month(float(p["turnover_rate"]) + float(p["poaching_rate"]))
        go = due | (model.rng.random(emp.size) < quit_p)
        _debit_early_quits(model, emp[go & ~due])
        _leave(model, emp[go])
        emp = emp[~go]
    tracked = np.bincount(st.employer[emp], minlength=len(model.H)) if emp.size else 0
    untracked = np.maximum(model.H - tracked, 0)
    model.H -= model.rng.binomial(untracked, per_month(float(p["turnover_rate"])))
    np.maximum(model.H, 0, out=model.H)


def _expected_external(model: CommunityModel) -> tuple[np.ndarray, np.ndarray]:
    """Expected effective mismatch and skills vintage of an external hire, per firm."""
    vintage = model.sector_at(model.month - int(model.p["external_skill_vintage_months"]))
    m = skill_match(vintage[None, :], model.D)
    return 1.0 - m * model.mean_perf, vintage


class _Hires:
    """Candidate hires of one month, costed together at the end."""

    def __init__(self) -> None:
        self.firm: list[np.ndarray] = []
        self.source: list[np.ndarray] = []
        self.match: list[np.ndarray] = []
        self.mis: list[np.ndarray] = []
        self.row: list[np.ndarray] = []

    def add(
        self,
        firm: int | np.ndarray,
        source: int,
        match: np.ndarray,
        mis: np.ndarray,
        rows: np.ndarray,
    ) -> None:
        n = len(mis)
        self.firm.append(np.broadcast_to(np.asarray(firm, dtype=np.int64), (n,)))
        self.source.append(np.full(n, source, dtype=np.int64))
        self.match.append(np.asarray(match, dtype=np.float64))
        self.mis.append(np.asarray(mis, dtype=np.float64))
        self.row.append(np.asarray(rows, dtype=np.int64))


def _employ(model: CommunityModel, rows: np.ndarray, firm: int) -> None:
    st = model.students
    st.status[rows] = EMPLOYED
    st.employer[rows] = firm
    st.employed_month[rows] = model.month
    model.H[firm] += rows.size


def hire(model: CommunityModel, new_grads: np.ndarray) -> None:
    """Own-trainee hiring at graduation, partner-graduate and external hiring for vacancies."""
    p = model.p
    st = model.students
    t = model.month
    rng = model.rng
    n_f = len(model.enterprises)
    ext_mis, vintage = _expected_external(model)
    ext_fit = 1.0 - ext_mis
    hires = _Hires()
    target = np.rint(model.H0 * (1.0 + float(p["growth_rate"])) ** (t / 12.0)).astype(np.int64)

    # Own trainees: the firm knows skills and aptitude; it keeps those who beat the market,
    # up to this year's expected vacancies.
    yearly = np.ceil(model.H0 * (float(p["turnover_rate"]) + float(p["growth_rate"])))
    if new_grads.size:
        trained = new_grads[st.trained_by[new_grads] >= 0]
        for j in np.unique(st.trained_by[trained]):
            rows = trained[st.trained_by[trained] == j]
            match = skill_match(st.skills[rows], model.D[j])
            fit = 1.0 - effective_mismatch(match, st.aptitude[rows])
            room = int(max(target[j] - model.H[j], 0) + yearly[j])
            keep = np.argsort(-fit, kind="stable")[:room]
            keep = keep[fit[keep] >= ext_fit[j]]
            if keep.size:
                _employ(model, rows[keep], int(j))
                hires.add(int(j), OWN, match[keep], 1.0 - fit[keep], rows[keep])

    # Partner colleges' graduates: first-right holders first (at graduation they recruit for
    # the coming year, as the council plans intake with them), then the others, random order.
    seeking = st.rows(SEEKING)
    vac = np.maximum(target - model.H, 0)
    if seeking.size:
        ahead = np.zeros_like(vac)
        if new_grads.size:
            ahead = np.maximum(target + yearly.astype(np.int64) - model.H, 0) - vac
        ties = list(model.active_ties)
        prio = [tie for tie in ties if model.terms_of(tie).first_right_to_hire]
        rest = [tie for tie in ties if not model.terms_of(tie).first_right_to_hire]
        ordered = [prio[k] for k in rng.permutation(len(prio))]
        ordered += [rest[k] for k in rng.permutation(len(rest))]
        first = np.zeros(n_f, dtype=bool)
        first[[t.enterprise.idx for t in prio]] = True
        pools = {int(i): seeking[st.school[seeking] == i] for i in np.unique(st.school[seeking])}
        # A tie hires only from its own college, so colleges are independent; within one the
        # order above decides who picks first.
        for i, cand in pools.items():
            mine = [tie for tie in ordered if tie.school.idx == i]
            rooms = [
                int(
                    vac[t.enterprise.idx]
                    + (ahead[t.enterprise.idx] if first[t.enterprise.idx] else 0)
                )
                for t in mine
            ]
            mine = [t for t, r in zip(mine, rooms, strict=True) if r > 0]
            rooms = [r for r in rooms if r > 0]
            if not mine:
                continue
            firms = np.array([t.enterprise.idx for t in mine])
            skills = st.skills[cand]
            match = skill_match(skills[:, None, :], model.D[firms][None, :, :])
            info = np.array([model.terms_of(t).aptitude_info for t in mine])
            noise = rng.normal(0.0, float(p["council_signal_noise"]), match.shape)
            seen = np.minimum(st.aptitude[cand][:, None] * np.exp(noise), 1.0)
            fit = match * np.where(info[None, :], seen, model.mean_perf)
            # Only candidates expected to beat an external hire are ever hired.
            fit = np.where(fit >= ext_fit[firms][None, :], fit, -np.inf)
            taken = np.zeros(cand.size, dtype=bool)
            any_taken = False
            for col in np.flatnonzero(np.isfinite(fit).any(axis=0)):
                j = int(firms[col])
                f = np.where(taken, -np.inf, fit[:, col]) if any_taken else fit[:, col]
                if rooms[col] == 1:  # the common case: the single best (first on ties)
                    best = int(np.argmax(f))
                    pick = np.array([best]) if np.isfinite(f[best]) else np.zeros(0, np.int64)
                else:
                    pick = np.argsort(-f, kind="stable")[: rooms[col]]
                    pick = pick[np.isfinite(f[pick])]
                if pick.size == 0:
                    continue
                taken[pick] = True
                any_taken = True
                rows = cand[pick]
                _employ(model, rows, j)
                vac[j] = max(int(vac[j]) - rows.size, 0)
                mis = effective_mismatch(match[pick, col], st.aptitude[rows])
                hires.add(j, PARTNER, match[pick, col], mis, rows)

    # External market: experienced workers trained on an older vintage of sector demand.
    n_ext = int(vac.sum())
    if n_ext:
        firms = np.repeat(np.arange(n_f), vac)
        k = vintage.shape[0]
        skills = reflect(
            vintage[None, :] + rng.normal(0.0, float(p["external_skill_noise"]), (n_ext, k))
        )
        apt = rng.lognormal(0.0, float(p["aptitude_sd"]), n_ext)
        match = skill_match(skills, model.D[firms])
        hires.add(firms, EXTERNAL, match, effective_mismatch(match, apt), np.full(n_ext, -1))
        model.H += vac
    _book(model, hires, ext_mis)


def _book(model: CommunityModel, hires: _Hires, ext_mis: np.ndarray) -> None:
    """Cost the month's hires, schedule early separations, credit ties and the ledger."""
    if not hires.firm:
        model.recorder.add_hires(model, *(np.zeros(0),) * 5)
        return
    p = model.p
    st = model.students
    t = model.month
    firm = np.concatenate(hires.firm)
    source = np.concatenate(hires.source)
    match = np.concatenate(hires.match)
    mis = np.concatenate(hires.mis)
    rows = np.concatenate(hires.row)
    n_f = len(model.enterprises)
    model.hire_hist[t % 12] = np.bincount(firm, minlength=n_f)
    rate = model.hire_hist.sum(axis=0) / np.maximum(model.H, 1)
    search = np.where(
        source == OWN, 0.0, np.where(source == PARTNER, float(p["partner_search_share"]), 1.0)
    )
    kw = dict(
        unemployment=float(p["unemployment_rate"]),
        base_weeks=float(p["hire_cost_weeks"]),
        convexity=float(p["hire_cost_convexity"]),
        elasticity=float(p["unemployment_cost_elasticity"]),
    )
    weeks = hire_cost_weeks(mis, search, rate[firm], **kw)
    ext_weeks = hire_cost_weeks(ext_mis[firm], 1.0, rate[firm], **kw)
    wage = model.wage[firm]
    cost = weeks_to_currency(weeks, wage)
    sep = model.rng.random(firm.size) < early_separation_prob(mis, float(p["mismatch_separation"]))
    when = t + model.rng.integers(1, 13, firm.size)
    tracked = rows >= 0
    st.sep_month[rows[tracked & sep]] = when[tracked & sep]
    ext_sep = (~tracked) & sep & (when < model.sep_due.shape[0])
    np.add.at(model.sep_due, (when[ext_sep], firm[ext_sep]), 1)
    # A tie is credited with what its hires saved against the market, minus the loss when
    # a hire fails early (the firm has to hire again).
    value = weeks_to_currency(ext_weeks - weeks - np.where(sep, ext_weeks, 0.0), wage)
    known = source != EXTERNAL
    if known.any():
        f, r = firm[known], rows[known]
        own = (source[known] == OWN).astype(np.float64)
        # Retention bonuses, pro rata if the budget runs short.
        paid = model.government.pay(float(p["retention_bonus"]) * own.sum())
        each = own * (paid / own.sum() if own.sum() else 0.0)
        from_tie = st.school[r] == model.firm_school[f]
        credit = np.bincount(f[from_tie], weights=(value[known] + each)[from_tie], minlength=n_f)
        bonus = np.bincount(f, weights=each, minlength=n_f)
        model.recorder.add_training(paid)
        for j in np.flatnonzero((credit != 0.0) | (bonus != 0.0)):
            ent = model.enterprises[int(j)]
            ent.net_benefit += float(bonus[j])
            if ent.tie is not None:
                ent.tie.period_surplus += float(credit[j])
                ent.tie.surplus_enterprise += float(credit[j])
    model.recorder.add_hires(model, source, weeks, cost, match, sep)


def outside_jobs(model: CommunityModel) -> None:
    """Job-seeking graduates find work outside the modelled firms, or give up after a year."""
    p = model.p
    st = model.students
    rows = st.rows(SEEKING)
    if rows.size == 0:
        return
    fit = skill_match(st.skills[rows], model.sector[None, :])
    slack = (1.0 - float(p["unemployment_rate"])) / 0.95
    prob = np.clip(float(p["outside_job_rate"]) * fit * slack, 0.0, 1.0)
    found = model.rng.random(rows.size) < prob
    st.employed_month[rows[found]] = model.month
    expired = (~found) & (model.month - st.grad_month[rows] >= SEEKING_MONTHS)
    gone = rows[found | expired]
    st.status[gone] = LEFT
    for r in gone:
        model.remove_student(int(r))


def run_month(model: CommunityModel, new_grads: np.ndarray) -> None:
    """Process 5 in order: separations, hiring, outside jobs."""
    separations(model)
    hire(model, new_grads)
    outside_jobs(model)
