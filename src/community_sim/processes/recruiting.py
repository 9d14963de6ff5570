"""Process 5's picking: firms choose among candidates, best observed fit first.

Used by :func:`~community_sim.processes.labour_market.hire` for a firm's own
trainees at graduation and for partner colleges' job-seeking graduates: each
firm takes, for an open vacancy, those it sees as fitting better than the
market's expected hire and, ahead of the year's expected vacancies, those
whose saving covers carrying them until a vacancy opens.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from community_sim import geography
from community_sim.agents.student import EMPLOYED, PARTNER, StudentArrays
from community_sim.mechanics.bookkeeping import withdraw_found
from community_sim.mechanics.kernels import partner_pairs, pick_candidates, screened_fit
from community_sim.mechanics.labour import (
    hire_weeks,
    tenure_noises,
    weeks_to_currency,
)
from community_sim.mechanics.skills import effective_mismatch
from community_sim.mechanics.ufuncs import any_nonzero
from community_sim.processes.hire_ledger import Hires, cost_factors
from community_sim.state import Firms, Terms, TieRegistry

if TYPE_CHECKING:
    from community_sim.agents.partnership import Partnership

PREHIRE_WAIT_MONTHS = 6.0
"""Mean wait of a graduate hired in September for a vacancy expected within the year."""


def employ(
    st: StudentArrays, firms: Firms, rows: np.ndarray, hosts: np.ndarray, month: int
) -> None:
    """Student ``rows`` start work, each with its firm in ``hosts``."""
    st.status[rows] = EMPLOYED
    st.employer[rows] = hosts
    st.employed_month[rows] = month
    firms.headcount += np.bincount(hosts, minlength=firms.headcount.size)


def pick(
    firm_arrays: Firms,
    registry: TieRegistry,
    p: Mapping[str, Any],
    fit: np.ndarray,
    blocks: np.ndarray,
    firms: np.ndarray,
    vac: np.ndarray,
    ahead: np.ndarray,
    ext_mis: np.ndarray,
    search: float,
    bonus: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Firms pick candidates in turn, best observed fit first (``-inf``: not available).

    Up to ``vac`` open vacancies a firm takes those seen to fit better than the
    market's expected hire. Up to ``ahead`` more (the year's expected vacancies) it
    takes only those whose expected saving on trial-and-error cost covers carrying
    them until a vacancy opens (``prehire_cost_share`` of the wage for
    ``PREHIRE_WAIT_MONTHS``); that carrying cost falls on the firm's tie. A hire that
    brings the firm a retention bonus (``bonus``, currency per firm) counts it as a
    saving in both decisions. ``blocks``
    and ``firms`` lay out ``fit`` as :func:`~community_sim.mechanics.kernels.pick_candidates`
    reads it (which does the picking); ``vac`` and ``ahead`` are decremented in place.
    Returns the picked entries of ``fit`` in picking order, the picking firms and how
    many each took.
    """
    market, level_scale = np.zeros(vac.size), np.zeros(vac.size)
    wait = float(p["prehire_cost_share"]) * PREHIRE_WAIT_MONTHS * 52.0 / 12.0
    bonus_weeks = np.zeros(vac.size)
    if bonus is not None:
        bonus_weeks = bonus / (firm_arrays.wage * 12.0 / 52.0)  # weeks_to_currency inverted
    # Only hires ahead of vacancies and hires with a bonus are costed in the decision.
    costed = (
        (ahead[firms] > 0) | (bonus_weeks[firms] > 0)
        if bonus is not None or any_nonzero(ahead)
        else None
    )
    if costed is not None and any_nonzero(costed):
        # The costed firms' factors at once, then each market hire's weeks on Python floats.
        js = firms[costed]
        scale = cost_factors(firm_arrays, p)[js]
        level_scale[js] = scale
        market[js] = [
            hire_weeks(f, 1.0, m) for f, m in zip(scale.tolist(), ext_mis[js].tolist(), strict=True)
        ]
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
        bonus_weeks,
    )
    for j, n in zip(picked.tolist(), kept_ahead.tolist(), strict=True):
        tie = registry.tie_of(j) if n else None
        if tie is not None:
            carry = weeks_to_currency(wait, float(firm_arrays.wage[j])) * n
            tie.period_surplus -= carry
            tie.surplus_enterprise -= carry
    return pairs, picked, counts


def membership_start(tie: Partnership) -> int:
    """The month a tie became a council membership (its start, or its last conversion)."""
    since = getattr(tie, "member_since", -1)
    if since >= 0:
        return int(since)
    converted = [m for m, what in tie.history if what == "convert"]
    return converted[-1] if converted else tie.start


def _tenured(registry: TieRegistry) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Firms whose terms make noise fall with tenure, their rates and membership starts.

    Recomputed only after a tie change (the registry then rebuilds its list of active
    ties); kept on the registry itself, so it lives and goes with the model.
    """
    active = registry.active
    cached = getattr(registry, "_tenure_cache", None)
    if cached is not None and cached[0] is active:
        return cached[1], cached[2], cached[3]
    firms, rates, starts = [], [], []
    for tie in active:
        rate = float(registry.terms_of(tie).screening_tenure_rate)
        if rate > 0.0:
            firms.append(tie.enterprise.idx)
            rates.append(rate)
            starts.append(membership_start(tie))
    out = (np.array(firms, dtype=np.int64), np.array(rates), np.array(starts, dtype=np.float64))
    setattr(registry, "_tenure_cache", (active, *out))  # noqa: B010
    return out


def noise_factors(registry: TieRegistry, month: int) -> np.ndarray:
    """Each firm's signal noise factor now: its tie's ``noise_factor``, falling with tenure.

    A member whose terms carry ``screening_tenure_rate`` sees with
    :func:`~community_sim.mechanics.labour.tenure_noise` of its months of membership.
    """
    noise = registry.terms.noise
    if not any_nonzero(registry.council):  # only members' terms carry the ingredient
        return noise
    firms, rates, starts = _tenured(registry)
    if firms.size == 0:
        return noise
    out = noise.copy()
    out[firms] = tenure_noises(noise[firms], rates, month - starts)
    return out


def pick_order(terms: Terms, firms: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Partner ``firms`` in the order they pick graduates: first-right holders, then the others.

    Each group is in random order; the first right is read from the firm's terms.
    """
    first = terms.first[firms]
    if not any_nonzero(first):  # nobody holds the first right (its empty draw takes no numbers)
        return firms[rng.permutation(firms.size)]  # type: ignore[no-any-return]
    prio, rest = firms[first], firms[~first]
    return np.concatenate([prio[rng.permutation(prio.size)], rest[rng.permutation(rest.size)]])


def partner_hires(
    st: StudentArrays,
    firms: Firms,
    registry: TieRegistry,
    p: Mapping[str, Any],
    rng: np.random.Generator,
    month: int,
    seeking: np.ndarray,
    found: np.ndarray,
    vac: np.ndarray,
    ahead: np.ndarray,
    ext_mis: np.ndarray,
    hires: Hires,
) -> None:
    """Partners hire their college's job-seeking graduates (see :func:`.labour_market.hire`).

    For a vacancy, a partner takes the graduates it sees as fitting better than the
    market's expected hire. Ahead of vacancies (graduation month) it takes only those
    whose expected saving on trial-and-error cost covers carrying them until a
    vacancy opens: ``prehire_cost_share`` of the wage for ``PREHIRE_WAIT_MONTHS``.
    Graduates the outside market ``found`` this month (aligned with ``seeking``) have
    taken its offer before a partner without the first right to hire picks.
    """
    terms = registry.terms
    # Partners (firms with a tie, in firm order) in picking order; a firm with no vacancy
    # now or ahead does not pick (vacancies change only for the firm that picks).
    ordered = pick_order(terms, (registry.arrays.kind > 0).nonzero()[0], rng)
    ordered = ordered[(vac + ahead > 0)[ordered]]
    # A tie hires only from its own college, so colleges are independent; within one the
    # order above decides who picks first. Every (graduate, partner) pair of all colleges
    # is matched and screened at once, laid out college by college, graduate-major.
    rows_p, firm_p, table, firm_order = partner_pairs(
        seeking, st.school, ordered, registry.arrays.school, len(registry.schools)
    )
    if rows_p.size == 0:
        return
    # Each partner's signal of performance, exp(σ z) (observed_performance): one draw for
    # all blocks, the same numbers as a draw per block in block order.
    sd = float(p["screening_noise"]) * noise_factors(registry, month)
    match_p, fit_p = screened_fit(
        st.skills,
        st.aptitude,
        st.moved_on,
        st.trained_by,
        firms.demand,
        rows_p,
        firm_p,
        sd,
        rng.standard_normal(rows_p.size),
    )
    if firms.n_regions > 1:  # a graduate who does not migrate takes work only at home
        away = geography.region_of(st.school[rows_p], firms.n_regions) != firms.region[firm_p]
        stay = ~geography.migrants(rows_p, float(p["migration_share"]))
        fit_p[away & stay] = -np.inf
    if any_nonzero(found):  # outside offers came first, except for first-right holders
        withdraw_found(fit_p, rows_p, firm_p, seeking, found, terms.first, st.n)
    # Each block's partners pick in order: for a vacancy the best graduates seen to beat
    # the market, ahead of vacancies those whose saving covers the wait. Each firm picks
    # once a month, so nothing here reads another partner's new hires: all start at once.
    search = float(p["partner_search_share"])
    pairs, picked, counts = pick(
        firms, registry, p, fit_p, table, firm_order, vac, ahead, ext_mis, search
    )
    if pairs.size == 0:
        return
    rows = rows_p[pairs]
    employ(st, firms, rows, firm_p[pairs], month)
    match_all = match_p[pairs]
    hires.add(
        picked.tolist(),
        PARTNER,
        counts.tolist(),
        match_all,
        effective_mismatch(match_all, st.aptitude[rows]),
        rows,
    )
