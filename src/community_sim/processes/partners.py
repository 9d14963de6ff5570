"""How a firm sees colleges: its ranking of them, and its verdict on a partner's delivery.

Read by the partnership decisions (:mod:`~community_sim.processes.cooperation`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from community_sim.agents.student import EMPLOYED, ENROLLED, StudentArrays, group_rows
from community_sim.mechanics.trust import judged_fit_sum, trust_after_review
from community_sim.processes import college
from community_sim.state import TieRegistry

if TYPE_CHECKING:
    from community_sim.agents.enterprise import Enterprise
    from community_sim.agents.partnership import Partnership
    from community_sim.agents.school import School
    from community_sim.processes.cooperation import Parties


def _ranked_schools(
    w: Parties, p: Mapping[str, Any], rng: np.random.Generator, ent: Enterprise, exclude: int = -1
) -> list[School]:
    """The firm's candidate colleges in its order of preference: curriculum fit plus
    reputation, less ``distance_cost`` for a college in another region.

    Equal scores (colleges teaching the same public signal, equal reputation) are
    decided at random. A distant college whose score net of the distance cost is not
    positive is not considered (:mod:`~community_sim.geography`).
    """
    # A handful of colleges: Python floats (the same double arithmetic as NumPy's, in the
    # same order) and Python's stable sort, without NumPy's per-call cost.
    cols, fit, n_local = w.colleges.candidates(w.firms.demand, ent.idx)
    schools = w.registry.schools
    weight = float(p["reputation_weight"])
    tiny = rng.random(len(fit)).tolist()
    score = [
        (f + weight * schools[c].reputation) + 1e-9 * u
        for f, c, u in zip(fit, cols, tiny, strict=True)
    ]
    if len(score) > n_local:
        penalty = float(p["distance_cost"])
        score[n_local:] = [x - penalty for x in score[n_local:]]
    # Best first; a stable sort keeps equal scores in candidate order, as sorting by -score.
    order = sorted(range(len(score)), key=score.__getitem__, reverse=True)
    return [
        schools[cols[k]] for k in order if cols[k] != exclude and (k < n_local or score[k] > 0.0)
    ]


def _best_school(
    w: Parties, p: Mapping[str, Any], rng: np.random.Generator, ent: Enterprise, exclude: int = -1
) -> School | None:
    """The most preferred college that accepts the firm, or None."""
    for school in _ranked_schools(w, p, rng, ent, exclude):
        if college.accepts(w.registry, school, ent, p):
            return school
    return None


def judged_pool(st: StudentArrays, since: int, n_firms: int) -> list[np.ndarray]:
    """Rows each firm may judge a partner on: its placed apprentices, and the graduates it
    hired after month ``since``. One pool serves every review of a month."""
    lo, hi = st.first, st.n
    status = st.status[lo:hi]
    placed = (status == ENROLLED) & (st.host[lo:hi] >= 0)
    hired = (status == EMPLOYED) & (st.employer[lo:hi] >= 0) & (st.employed_month[lo:hi] > since)
    rows = lo + (placed | hired).nonzero()[0]
    firm = np.where(st.status[rows] == ENROLLED, st.host[rows], st.employer[rows])
    return group_rows(rows, firm, n_firms)


def judge_partner(
    w: Parties,
    p: Mapping[str, Any],
    month: int,
    tie: Partnership,
    pool: list[np.ndarray] | None = None,
) -> float:
    """The firm's trust after the period: what the college delivered against expectation.

    Departures: the period's early terminations of the apprentices it hosted,
    against ``early_termination_rate`` (over a two-year placement) for the period's
    length. Fit: the apprentices from the college it hosts now and the college's
    graduates it hired in the period, relative to the baseline's average apprentice.
    ``pool`` is :func:`judged_pool` from at most this period's start (None: computed).
    """
    st, j = w.students, tie.enterprise.idx
    if pool is None:
        pool = judged_pool(st, tie.period_start, len(w.registry.enterprises))
    fits, judged = judged_fit_sum(
        st.skills, st.aptitude, w.firms.demand, st.status, st.school, st.host, st.employer,
        st.employed_month, st.host_start, pool[j], j, tie.school.idx, tie.period_start, month,
        ENROLLED,
    )  # fmt: skip
    months = max(month - tie.period_start, 1)
    return float(
        trust_after_review(
            tie.trust,
            tie.period_terminated,
            tie.period_started + tie.placed_at_period_start,
            fits,
            judged,
            float(p["early_termination_rate"]) * min(months, 24) / 24.0,
            float(p["delivery_tolerance"]),
            float(p["trust_gain"]),
            float(p["trust_loss"]),
        )
    )


def placement_months(p: Mapping[str, Any]) -> int:
    """Length of a placement (from stage 2 to graduation): the span over which training pays."""
    pm = int(p["programme_months"])
    return pm - pm // 3


def evaluation_window(
    periods: list[tuple[int, float, float]], span: int
) -> tuple[int, float, float] | None:
    """Months, gross surplus and cost of the latest periods covering ``span`` months.

    A firm judges training by whole placements ("count the whole programme":
    the first year's costs are repaid by the second year's output and the
    graduate it hires; Muehlemann & Wolter 2014). Before a tie has run
    ``span`` months it holds to its plan: ``None``.
    """
    months = gross = cost = 0.0
    for m, g, c in reversed(periods):
        months, gross, cost = months + m, gross + g, cost + c
        if months >= span:
            return int(months), gross, cost
    return None


PUBLISHED_MIN_TIES = 3
"""Ties of each form with a whole placement's results before a ratio is published."""


def published_ratio(registry: TieRegistry, p: Mapping[str, Any]) -> float | None:
    """Members' mean gross surplus per place-year over project partners' (latest windows).

    What a firm can learn about the form it has not tried: the community's results
    (a council's annual report, the government's certification data). ``None`` (no
    results published) until each form has ``PUBLISHED_MIN_TIES`` active ties with a
    whole placement's results, or while project partners' mean is not positive; a
    non-positive members' mean gives a ratio near zero.
    """
    span = placement_months(p)
    rates: dict[str, list[float]] = {"project": [], "integrated": []}
    for tie in registry.active:
        window = evaluation_window(tie.periods, span)
        places = int(registry.firms.capacity[tie.enterprise.idx])
        if window is not None and places > 0:
            months, gross, _ = window
            rates["integrated" if tie.kind == "integrated" else "project"].append(
                gross * 12.0 / months / places
            )
    if min(len(r) for r in rates.values()) < PUBLISHED_MIN_TIES:
        return None
    member, project = (float(np.mean(rates[k])) for k in ("integrated", "project"))
    if project <= 0.0:
        return None
    return max(member / project, RATIO_FLOOR)


RATIO_FLOOR = 0.01
"""Smallest published ratio (members' surplus at or below zero)."""
