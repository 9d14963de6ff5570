"""Process 4: placements and apprentice economics.

Each September every host screens its college's candidates on what it can
observe: their skills' match to its demand times a noisy signal of their
performance (:func:`~community_sim.mechanics.council.observed_performance`),
with noise ``screening_noise`` × the tie's ``noise_factor``. The college places
at most ``college_coordination_capacity`` apprentices at once.

Per apprentice-month a host gains output = ramp × productive share × skilled
wage × relative fit to the baseline's average apprentice of the same
placement year (:mod:`~community_sim.mechanics.apprentice`), and pays apprentice pay +
masters' time, hand-over costs of rotation, and ``placement_setup_months`` of
wages when a placement starts; the government subsidy offsets part
(Muehlemann & Wolter 2014, IZA J. Labor Policy 3:25). Placements end early
with a hazard calibrated to ≈22 % over two years, 62 % of those in year 1,
scaled by the apprentice's effective mismatch with the host relative to the
baseline's average apprentice in the same placement year
(:func:`~community_sim.mechanics.labour.termination_prob`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from community_sim.agents.student import ENROLLED, StudentArrays, group_rows
from community_sim.mechanics.kernels import apprentice_month, fill_places
from community_sim.mechanics.labour import termination_hazards
from community_sim.mechanics.ufuncs import any_nonzero
from community_sim.processes.recruiting import noise_factors
from community_sim.processes.teaching import module_shares
from community_sim.state import Firms, Terms, TieRegistry

if TYPE_CHECKING:
    from community_sim.agents.government import Government
    from community_sim.agents.partnership import Partnership
    from community_sim.metrics import Recorder


def placed_per_firm(st: StudentArrays, n_f: int) -> np.ndarray:
    """Enrolled apprentices each of the ``n_f`` firms hosts now."""
    lo = st.first
    host = st.host[lo : st.n]
    ok = (host >= 0) & (st.status[lo : st.n] == ENROLLED)
    return np.bincount(host[ok], minlength=n_f)


def allocate(
    st: StudentArrays,
    stage: np.ndarray,
    firms: Firms,
    registry: TieRegistry,
    rec: Recorder,
    p: Mapping[str, Any],
    rng: np.random.Generator,
    month: int,
) -> None:
    """Each September, fill hosts' free apprentice places with their college's students.

    Candidates are enrolled students in stages 2–3 without a host; students
    entering stage 2 are placed first. Hosts pick in random order, each the
    candidates with the best observed fit, until the college's coordination
    capacity is used; members with ``placement_priority`` take their turns before
    the other partners. A member's signal noise falls with its tenure
    (:func:`~community_sim.processes.recruiting.noise_factors`). ``stage`` is the
    training stage of rows ``st.first..st.n``; setting up a placement costs the host
    (booked to its tie and to ``rec``).
    """
    lo, hi = st.first, st.n
    st.terminated[lo:hi] = False
    rows = lo + ((st.status[lo:hi] == ENROLLED) & (st.host[lo:hi] < 0)).nonzero()[0]
    if rows.size == 0:
        return
    stage = stage[rows - lo]
    ties = list(registry.active)
    load = placed_per_firm(st, firms.wage.shape[0])
    n_s = len(registry.schools)
    school = registry.arrays.school
    ok = school >= 0
    room = int(p["college_coordination_capacity"]) - np.bincount(
        school[ok], weights=load[ok], minlength=n_s
    ).astype(np.int64)
    first = [bool(registry.terms_of(tie).placement_priority) for tie in ties]
    noise = noise_factors(registry, month)
    for wanted in (2, 3):
        pool = rows[stage == wanted]
        groups = group_rows(pool, st.school[pool], n_s)
        order = rng.permutation(len(ties)).tolist()
        # Members with priority at placement take their turns first (each group in the
        # random order); the same draw whoever has priority.
        order = [k for k in order if first[k]] + [k for k in order if not first[k]]
        turns = [ties[k] for k in order]
        _fill(st, firms, noise, turns, groups, load, room, rec, p, rng, month)


def _fill(
    st: StudentArrays,
    firms: Firms,
    noise_factor: np.ndarray,
    ties: list[Partnership],
    groups: list[np.ndarray],
    load: np.ndarray,
    room: np.ndarray,
    rec: Recorder,
    p: Mapping[str, Any],
    rng: np.random.Generator,
    month: int,
) -> None:
    """Hosts in turn take up to their free places from their college's candidates, best seen first.

    How many each host takes depends only on counts (its free places, the college's
    room, the candidates left), so the turns are planned first; the screening and
    choosing run compiled (:func:`~community_sim.mechanics.kernels.fill_places`) on
    one draw of every turn's signal noise, in turn order.
    """
    left = [g.size for g in groups]
    cap, load_j, room_i = firms.capacity.tolist(), load.tolist(), room.tolist()
    steps: list[tuple[int, int, int, int]] = []
    turns: list[Partnership] = []
    for tie in ties:
        j, i = tie.enterprise.idx, tie.school.idx
        free = min(cap[j] - load_j[j], room_i[i])
        n = left[i]
        if free <= 0 or n == 0:
            continue
        take = min(free, n)
        steps.append((j, i, take, n))
        turns.append(tie)
        left[i] -= take
        load_j[j] += take
        room_i[i] -= take
    if not steps:
        return
    load[:] = load_j
    room[:] = room_i
    plan = np.array(steps, dtype=np.int64)
    screened = plan[:, 3]
    noise = float(p["screening_noise"]) * noise_factor[plan[:, 0]]
    # The host's signal of performance is min(aptitude · exp(σ z), 1) (observed_performance):
    # one draw for every turn's candidates, in turn order.
    normals = rng.standard_normal(int(screened.sum()))
    bounds = np.zeros(len(groups) + 1, dtype=np.int64)
    bounds[1:] = np.cumsum([g.size for g in groups])
    pools = np.concatenate(groups) if groups else np.zeros(0, dtype=np.int64)
    taken = fill_places(st.skills, st.aptitude, firms.demand, pools, bounds, plan, noise, normals)
    # The rows taken, turn after turn (each row at most once): their hosts at once.
    st.host[taken] = np.repeat(plan[:, 0], plan[:, 2])
    st.host_start[taken] = month
    wage = firms.wage.tolist()
    for tie, (j, _, take, _) in zip(turns, steps, strict=True):
        tie.placements_hosted += take
        tie.period_started += take
        setup = float(p["placement_setup_months"]) * wage[j] * take
        tie.period_surplus -= setup
        tie.surplus_enterprise -= setup
        tie.enterprise.net_benefit -= setup
        rec.add_training(-setup)


def economics(
    st: StudentArrays,
    stage: np.ndarray,
    firms: Firms,
    terms: Terms,
    p: Mapping[str, Any],
    rng: np.random.Generator,
    month: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One month of apprentice economics and early terminations for every placed apprentice.

    ``stage`` is the training stage of rows ``st.first..st.n``. Output relative to the
    average apprentice of the placement year, its costs and terminations (see the module
    docstring), compiled (:func:`~community_sim.mechanics.kernels.apprentice_month`).
    Returns per firm the gross surplus, the apprentices and the terminations.
    """
    lo, hi = st.first, st.n
    rows = lo + ((st.status[lo:hi] == ENROLLED) & (st.host[lo:hi] >= 0)).nonzero()[0]
    n_f = firms.wage.shape[0]
    if rows.size == 0:
        return np.zeros(n_f), np.zeros(n_f, dtype=np.int64), np.zeros(n_f, dtype=np.int64)
    hazards = np.array(termination_hazards(float(p["early_termination_rate"])))
    shares = np.array(
        [
            float(p["productive_share"]),
            float(p["apprentice_pay_share"]) + float(p["master_time_share"]),
            float(p["rotation_cost_share"]),
        ]
    )
    uniforms = rng.random(rows.size)
    gross, n_app, n_term, end = apprentice_month(
        st.skills,
        st.aptitude,
        rows,
        st.host,
        st.month,
        st.host_start,
        stage,
        lo,
        firms.demand,
        firms.wage,
        terms.rotation,
        month,
        shares,
        hazards,
        uniforms,
        n_f,
    )
    ended = rows[end]
    st.host[ended] = -1
    st.terminated[ended] = True
    return gross, n_app, n_term


def run_month(
    st: StudentArrays,
    stage: np.ndarray,
    firms: Firms,
    registry: TieRegistry,
    gov: Government,
    rec: Recorder,
    p: Mapping[str, Any],
    rng: np.random.Generator,
    month: int,
) -> int:
    """September allocation; then the month's apprentice economics, booked to ties and budget.

    The government pays the subsidy; returns the month's apprentices.
    """
    if month % 12 == 0:
        allocate(st, stage, firms, registry, rec, p, rng, month)
    gross, n_app, n_term = economics(st, stage, firms, registry.terms, p, rng, month)
    add = np.add.reduce  # sums as ndarray.sum computes them, without its dispatch
    month_apprentices = int(add(n_app))
    # Members with their own module pay for it per apprentice (teaching.teach teaches it).
    module = module_shares(registry.terms, p) if any_nonzero(registry.council) else None
    if module is not None and any_nonzero(module):  # only members' terms carry the ingredient
        gross = gross - (module > 0) * n_app * float(p["module_cost_annual"]) / 12.0
    # Government subsidy, shared pro rata if the year's budget runs short.
    tied = registry.arrays.kind > 0
    if registry.finishing:  # firms that left while their apprentices finish with them
        tied[list(registry.finishing)] = True
    n_app = np.where(tied, n_app, 0)
    n_tied = add(n_app)
    sub_total = gov.pay(float(p["subsidy_per_apprentice_month"]) * float(n_tied))
    sub = n_app * (sub_total / n_tied if n_tied else 0.0)
    net = gross + sub
    # Python numbers once for all firms, not a NumPy scalar per firm and field.
    net_j, app_j, term_j = net.tolist(), n_app.tolist(), n_term.tolist()
    ents, finishing = registry.enterprises, registry.finishing
    for j in tied.nonzero()[0].tolist():
        ent = ents[j]
        tie = ent.tie or finishing.get(j)  # registry.host_tie, without a call per firm
        if tie is None:
            continue
        tie.period_surplus += net_j[j]
        tie.surplus_enterprise += net_j[j]
        tie.period_placements += app_j[j]
        tie.period_terminated += term_j[j]
        ent.net_benefit += net_j[j]
    rec.add_training(float(add(net[tied], axis=None)))
    return month_apprentices
