"""Process 2: enrolment, teaching and learning, drop-out (vectorised over enrolled rows).

Each function takes the students' arrays and the other state it reads, the
parameters and the random generator; the model's schedule enrols and removes
the students' agents.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from community_sim.agents.student import DROPPED, ENROLLED, SEEKING, StudentArrays
from community_sim.mechanics.bookkeeping import max_rows_at
from community_sim.mechanics.council import masters_coverage
from community_sim.mechanics.kernels import teach_rows
from community_sim.mechanics.skills import per_month
from community_sim.mechanics.ufuncs import any_nonzero
from community_sim.processes import council
from community_sim.state import Colleges, Firms, Terms, Ties

INITIAL_SKILL_HIGH = 0.15
"""Entrants' skills are uniform on [0, this] in every competency."""


def admit(
    st: StudentArrays,
    colleges: Colleges,
    p: Mapping[str, Any],
    rng: np.random.Generator,
    month_in_programme: int = 0,
) -> slice:
    """Admit one cohort per college; return their rows (the caller enrols their agents).

    Earlier cohorts at start-up (``month_in_programme`` > 0) get their past schooling.
    """
    n_s, per = colleges.curricula.shape[0], int(p["intake_per_school"])
    sl = st.add(n_s * per)
    k = st.skills.shape[1]
    st.skills[sl] = rng.uniform(0.0, INITIAL_SKILL_HIGH, (n_s * per, k))
    st.aptitude[sl] = rng.lognormal(0.0, float(p["aptitude_sd"]), n_s * per)
    st.school[sl] = np.repeat(np.arange(n_s), per)
    st.month[sl] = month_in_programme
    st.status[sl] = ENROLLED
    if month_in_programme > 0:  # schooling before the simulation starts, in college only
        r = np.minimum(float(p["learn_rate_school"]) * st.aptitude[sl], 1.0)
        done = 1.0 - (1.0 - r) ** month_in_programme
        target = colleges.curricula[st.school[sl]]
        st.skills[sl] += done[:, None] * np.maximum(target - st.skills[sl], 0.0)
    return sl


def graduate(st: StudentArrays, p: Mapping[str, Any], month: int) -> np.ndarray:
    """Move students who completed the programme to the job market; return their rows."""
    lo = st.first
    done = (st.status[lo : st.n] == ENROLLED) & (st.month[lo : st.n] >= int(p["programme_months"]))
    rows = lo + done.nonzero()[0]
    st.status[rows] = SEEKING
    st.grad_month[rows] = month
    st.trained_by[rows] = st.host[rows]
    st.host[rows] = -1
    # Rows before the oldest enrolled student are finished with schooling.
    enrolled = (st.status[lo : st.n] == ENROLLED).nonzero()[0]
    st.first = lo + (int(enrolled[0]) if enrolled.size else st.n - lo)
    return rows


def module_shares(terms: Terms, p: Mapping[str, Any]) -> np.ndarray:
    """Each firm's ``module_share``: the council's level for members, off for every other firm.

    A council membership carries the ingredient levels of the parameters (``policies.terms``).
    """
    return terms.council * float(p["member_module_share"])


def union_demand(colleges: Colleges, firms: Firms, ties: Ties, members: np.ndarray) -> np.ndarray:
    """Per college: the most any of its council ``members`` requires of each competency.

    The element-wise maximum of the members' demand profiles; a college without
    members keeps its curriculum.
    """
    chosen = (members & (ties.school >= 0)).nonzero()[0]
    union = np.full_like(colleges.curricula, -np.inf)
    max_rows_at(union, ties.school[chosen], firms.demand, chosen)  # np.maximum.at
    return np.where(np.isfinite(union), union, colleges.curricula)


def teach(
    st: StudentArrays,
    stage: np.ndarray,
    colleges: Colleges,
    firms: Firms,
    ties: Ties,
    terms: Terms,
    p: Mapping[str, Any],
    rng: np.random.Generator,
) -> np.ndarray:
    """One month of learning for every enrolled student, then drop-out; returns who dropped out.

    ``stage`` is the training stage of rows ``st.first..st.n``. In college a student
    closes ``learn_rate_school`` × aptitude × (1 + ``master_boost`` × coverage) of the
    gap to the curriculum per month, where coverage is the share of the college's
    students the council's masters' hours reach
    (:func:`~community_sim.mechanics.council.masters_coverage`); stages 2–3 simulated
    without a host learn at ``school_sim_factor`` of that rate. Placed apprentices
    learn toward the host's current demand at ``learn_rate_firm`` × aptitude × (1 +
    ``master_boost``): every host's masters teach on the job, paid through
    ``master_time_share``. With rotation, a stage-2 apprentice of a member aims a
    ``rotation_share`` of the training at the union of the council members' demand
    (:func:`union_demand`) instead of the host's alone, with the same learning
    capacity spread over the broader target. A member's apprentices with its own
    module (``member_module_share`` ``m``) also learn in college toward its demand, at
    ``m`` times a full-time student's college rate.
    """
    lo, hi = st.first, st.n
    if hi <= lo:
        return np.zeros(0, dtype=np.int64)
    # Work on the contiguous slice of recent cohorts (views, no gathers); the few rows in it
    # that are no longer learning are masked out when writing back.
    months = st.month[lo:hi]
    active = (st.status[lo:hi] == ENROLLED) & (months < int(p["programme_months"]))
    school = st.school[lo:hi]
    host = st.host[lo:hi]
    apt = st.aptitude[lo:hi]
    n_s = colleges.curricula.shape[0]
    factor = np.ones(n_s)
    # Without masters' hours the factor is exactly 1.
    hours = (
        council.masters_hours(firms, ties, terms.masters, n_s)
        if any_nonzero(terms.masters)
        else None
    )
    if hours is not None and any_nonzero(hours):
        enrolled = np.bincount(school[active], minlength=n_s)
        coverage = masters_coverage(hours, enrolled, float(p["master_hours_per_student"]))
        factor = 1.0 + float(p["master_boost"]) * coverage
    # Rotating apprentices aim part of their training at the union of members' demand.
    union = colleges.curricula
    if any_nonzero(terms.rotation):
        union = union_demand(colleges, firms, ties, terms.council)
    rates = np.array(
        [
            float(p["learn_rate_school"]),
            float(p["school_sim_factor"]),
            float(p["learn_rate_firm"]),
            1.0 + float(p["master_boost"]),
        ]
    )
    teach_rows(
        st.skills,
        lo,
        active,
        stage,
        school,
        host,
        apt,
        colleges.curricula,
        firms.demand,
        factor,
        union,
        terms.rotation,
        module_shares(terms, p),
        rates,
        float(p["disuse_decay"]) / 12.0,
        float(p["skill_depreciation"]) / 12.0,
    )
    enr = lo + active.nonzero()[0]

    drop = rng.random(enr.size) < per_month(float(p["dropout_rate"]))
    gone = enr[drop]
    st.status[gone] = DROPPED
    st.host[gone] = -1
    return gone
