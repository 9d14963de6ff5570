"""How a firm sees colleges: its ranking of them, and its verdict on a partner's delivery.

Read by the partnership decisions (:mod:`~community_sim.processes.cooperation`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import add, mul
from typing import TYPE_CHECKING, Any

import numpy as np

from community_sim.agents.student import EMPLOYED, ENROLLED, StudentArrays
from community_sim.mechanics.trust import judged_rows, judged_trusts
from community_sim.processes import college
from community_sim.state import TieRegistry

if TYPE_CHECKING:
    from community_sim.agents.enterprise import Enterprise
    from community_sim.agents.partnership import Partnership
    from community_sim.agents.school import School
    from community_sim.processes.cooperation import Parties


@dataclass(frozen=True, slots=True)
class Standing:
    """What firms' rankings of colleges read that stays fixed through a round of decisions:
    each firm's candidate colleges and their curriculum fit plus weighted reputation, the
    distance cost, and how colleges weigh partners (whom they accept)."""

    candidates: Sequence[tuple[list[int], list[float], int]]  # colleges, scores, n local
    table: np.ndarray | None  # with one region, every firm's scores (firms × colleges)
    sizes: list[int]  # how many candidates each firm has (read without making scores)
    penalty: float
    college: college.Rules


def standing(w: Parties, p: Mapping[str, Any]) -> Standing:
    """Colleges' :class:`Standing` now (reputations move once a year, before entry)."""
    reputation = np.array([s.reputation for s in w.registry.schools], dtype=np.float64)
    bonus = float(p["reputation_weight"]) * reputation
    candidates, table = w.colleges.scored_candidates(w.firms.demand, bonus)
    return Standing(
        candidates, table, w.colleges.geo.sizes(), float(p["distance_cost"]), college.Rules.read(p)
    )


def _scores(s: Standing, firm: int, tiny: list[float]) -> list[float]:
    """Firm ``firm``'s score of each of its candidate colleges (``s.candidates``).

    Curriculum fit plus ``reputation_weight`` times reputation, less ``distance_cost``
    for a college in another region, plus a tiny random term from the uniform draws
    ``tiny``, one per candidate: equal scores (colleges teaching the same public signal,
    equal reputation) are decided at random.
    """
    # A handful of colleges: Python floats (the same double arithmetic as NumPy's, in the
    # same order), without NumPy's per-call cost.
    _, base, n_local = s.candidates[firm]
    score = list(map(add, base, map(mul, repeat(1e-9), tiny)))
    if len(score) > n_local:
        penalty = s.penalty
        score[n_local:] = [x - penalty for x in score[n_local:]]
    return score


def _order(score: list[float]) -> list[int]:
    """Candidates best first; a stable sort keeps equal scores in candidate order."""
    return sorted(range(len(score)), key=score.__getitem__, reverse=True)


def ranked(
    s: Standing, rng: np.random.Generator, firms: list[int]
) -> list[tuple[list[float], list[int]]]:
    """Each of ``firms``' scores of its candidates and their order (:func:`_scores`,
    :func:`_order`), ranked one firm after another: the random terms are drawn in turn,
    in one call; with one region, scored and sorted as one array."""
    sizes = [s.sizes[j] for j in firms]
    tiny = rng.random(sum(sizes))
    if s.table is not None:  # every firm has the same candidates, all local
        score = s.table[firms] + 1e-9 * tiny.reshape(len(firms), s.table.shape[1])
        # Sorting -score stably keeps equal scores in candidate order, as _order does.
        order = np.argsort(-score, axis=1, kind="stable")
        return list(zip(score.tolist(), order.tolist(), strict=True))
    draws, at = tiny.tolist(), 0
    out = []
    for j, n in zip(firms, sizes, strict=True):
        score = _scores(s, j, draws[at : at + n])
        out.append((score, _order(score)))
        at += n
    return out


def draws(s: Standing, rng: np.random.Generator, firms: list[int]) -> list[list[float]]:
    """Each of ``firms``' uniform draws for its ranking, drawn as :func:`ranked` draws them
    (in turn, in one call), for rankings made only when needed (:func:`best_ranked`)."""
    sizes = [s.sizes[j] for j in firms]
    flat = rng.random(sum(sizes)).tolist()
    out, at = [], 0
    for n in sizes:
        out.append(flat[at : at + n])
        at += n
    return out


def _ranked_schools(
    w: Parties,
    p: Mapping[str, Any],
    rng: np.random.Generator,
    ent: Enterprise,
    exclude: int = -1,
    s: Standing | None = None,
) -> list[School]:
    """The firm's candidate colleges in its order of preference (:func:`_scores`).

    A distant college whose score net of the distance cost is not positive is not
    considered (:mod:`~community_sim.geography`). ``s``: the colleges' standing, if
    known (else read now).
    """
    s = standing(w, p) if s is None else s
    cols, _, n_local = s.candidates[ent.idx]
    score = _scores(s, ent.idx, rng.random(s.sizes[ent.idx]).tolist())
    schools = w.registry.schools
    return [
        schools[cols[k]]
        for k in _order(score)
        if cols[k] != exclude and (k < n_local or score[k] > 0.0)
    ]


def _best_school(
    w: Parties,
    p: Mapping[str, Any],
    rng: np.random.Generator,
    ent: Enterprise,
    exclude: int = -1,
    s: Standing | None = None,
) -> School | None:
    """The most preferred college that accepts the firm, or None (:func:`_ranked_schools`'
    order, read only as far as the first college that accepts)."""
    s = standing(w, p) if s is None else s
    return best_ranked(w, s, ent, rng.random(s.sizes[ent.idx]).tolist(), exclude)


def best_ranked(
    w: Parties, s: Standing, ent: Enterprise, tiny: list[float], exclude: int = -1
) -> School | None:
    """:func:`_best_school` with its uniform draws ``tiny`` (one per candidate) made."""
    score = _scores(s, ent.idx, tiny)
    return first_accepting(w, s, ent, score, _order(score), exclude)


def first_accepting(
    w: Parties,
    s: Standing,
    ent: Enterprise,
    score: list[float],
    order: list[int],
    exclude: int = -1,
) -> School | None:
    """The first college in ``order`` (the firm's :func:`ranked` order) that accepts it."""
    cols, _, n_local = s.candidates[ent.idx]
    schools, rules = w.registry.schools, s.college
    for k in order:
        c = cols[k]
        if c != exclude and (k < n_local or score[k] > 0.0):
            if college.accepts(w.registry, schools[c], ent, rules):
                return schools[c]
    return None


Pool = tuple[np.ndarray, np.ndarray]
"""Rows grouped by firm, and the groups' bounds (firm ``j``'s rows are
``rows[bounds[j] : bounds[j + 1]]``)."""


def judged_pool(st: StudentArrays, since: int, n_firms: int) -> Pool:
    """Rows each firm may judge a partner on: its placed apprentices, and the graduates it
    hired after month ``since`` (:func:`~community_sim.mechanics.trust.judged_rows`). One
    pool serves every review of a month."""
    return judged_rows(  # type: ignore[no-any-return]
        st.status, st.host, st.employer, st.employed_month, st.first, st.n, since, n_firms,
        ENROLLED, EMPLOYED,
    )  # fmt: skip


def judge_partners(
    w: Parties, p: Mapping[str, Any], month: int, ties: list[Partnership], pool: Pool
) -> list[float]:
    """Each firm's trust after its tie's period: what the college delivered against
    expectation, for ``ties`` at once (each firm's verdict reads only its own tie and rows).

    Departures: the period's early terminations of the apprentices it hosted,
    against ``early_termination_rate`` (over a two-year placement) for the period's
    length. Fit: the apprentices from the college it hosts now and the college's
    graduates it hired in the period, relative to the baseline's average apprentice.
    ``pool`` is :func:`judged_pool` from at most the earliest period's start.
    """
    st, n = w.students, len(ties)
    rows, bounds = pool
    ints = np.array(
        [
            (t.enterprise.idx, t.school.idx, t.period_start, t.period_terminated,
             t.period_started + t.placed_at_period_start)
            for t in ties
        ],
        dtype=np.int64,
    ).reshape(n, 5)  # fmt: skip
    trust = np.array([t.trust for t in ties], dtype=np.float64)
    out = judged_trusts(
        st.skills, st.aptitude, w.firms.demand, st.status, st.school, st.host, st.employer,
        st.employed_month, st.host_start, rows, bounds, ints[:, 0], ints[:, 1], ints[:, 2],
        trust, ints[:, 3], ints[:, 4], month, ENROLLED, float(p["early_termination_rate"]),
        float(p["delivery_tolerance"]), float(p["trust_gain"]), float(p["trust_loss"]),
    )  # fmt: skip
    return out.tolist()  # type: ignore[no-any-return]


def judge_partner(
    w: Parties,
    p: Mapping[str, Any],
    month: int,
    tie: Partnership,
    pool: Pool | None = None,
) -> float:
    """The firm's trust after the period (:func:`judge_partners`, for one tie).

    ``pool`` is :func:`judged_pool` from at most this period's start (None: computed).
    """
    if pool is None:
        pool = judged_pool(w.students, tie.period_start, len(w.registry.enterprises))
    return judge_partners(w, p, month, [tie], pool)[0]


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
    active = registry.active
    if sum(tie.kind == "integrated" for tie in active) < PUBLISHED_MIN_TIES:
        return None  # too few members to publish, whatever their windows (no ratio yet)
    span = placement_months(p)
    rates: dict[str, list[float]] = {"project": [], "integrated": []}
    capacity = registry.firms.capacity.tolist()
    for tie in active:
        window = evaluation_window(tie.periods, span)
        places = capacity[tie.enterprise.idx]
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
