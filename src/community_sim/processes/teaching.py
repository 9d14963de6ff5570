"""Process 2: enrolment, teaching and learning, drop-out (vectorised over enrolled rows)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from community_sim.agents.student import DROPPED, ENROLLED, SEEKING
from community_sim.mechanics.council import masters_coverage
from community_sim.mechanics.kernels import teach_rows
from community_sim.mechanics.skills import per_month
from community_sim.processes import council

if TYPE_CHECKING:
    from community_sim.model import CommunityModel

INITIAL_SKILL_HIGH = 0.15
"""Entrants' skills are uniform on [0, this] in every competency."""


def admit(model: CommunityModel, month_in_programme: int = 0) -> None:
    """Admit one cohort per college; earlier cohorts at start-up get their past schooling."""
    p = model.p
    st = model.students
    n_s, per = len(model.schools), int(p["intake_per_school"])
    sl = st.add(n_s * per)
    rng = model.rng
    k = st.skills.shape[1]
    st.skills[sl] = rng.uniform(0.0, INITIAL_SKILL_HIGH, (n_s * per, k))
    st.aptitude[sl] = rng.lognormal(0.0, float(p["aptitude_sd"]), n_s * per)
    st.school[sl] = np.repeat(np.arange(n_s), per)
    st.month[sl] = month_in_programme
    st.status[sl] = ENROLLED
    if month_in_programme > 0:  # schooling before the simulation starts, in college only
        r = np.minimum(float(p["learn_rate_school"]) * st.aptitude[sl], 1.0)
        done = 1.0 - (1.0 - r) ** month_in_programme
        target = model.C[st.school[sl]]
        st.skills[sl] += done[:, None] * np.maximum(target - st.skills[sl], 0.0)
    model.enrol_agents(sl)


def graduate(model: CommunityModel) -> np.ndarray:
    """Move students who completed the programme to the job market; return their rows."""
    st = model.students
    lo = st.first
    done = (st.status[lo : st.n] == ENROLLED) & (
        st.month[lo : st.n] >= int(model.p["programme_months"])
    )
    rows = lo + done.nonzero()[0]
    st.status[rows] = SEEKING
    st.grad_month[rows] = model.month
    st.trained_by[rows] = st.host[rows]
    st.host[rows] = -1
    # Rows before the oldest enrolled student are finished with schooling.
    enrolled = (st.status[lo : st.n] == ENROLLED).nonzero()[0]
    st.first = lo + (int(enrolled[0]) if enrolled.size else st.n - lo)
    return rows


def teach(model: CommunityModel) -> None:
    """One month of learning for every enrolled student, then drop-out.

    In college a student closes ``learn_rate_school`` × aptitude × (1 +
    ``master_boost`` × coverage) of the gap to the curriculum per month, where
    coverage is the share of the college's students the council's masters'
    hours reach (:func:`~community_sim.mechanics.council.masters_coverage`);
    stages 2–3 simulated without a host learn at ``school_sim_factor`` of that
    rate. Placed apprentices learn toward the host's current demand at
    ``learn_rate_firm`` × aptitude × (1 + ``master_boost``): every host's
    masters teach on the job, paid through ``master_time_share``. With rotation,
    a stage-2 apprentice of a member aims a ``rotation_share`` of the training at
    the council's capacity-weighted mean demand instead of the host's alone.
    """
    p = model.p
    st = model.students
    lo, hi = st.first, st.n
    if hi <= lo:
        return
    # Work on the contiguous slice of recent cohorts (views, no gathers); the few rows in it
    # that are no longer learning are masked out when writing back.
    months = st.month[lo:hi]
    active = (st.status[lo:hi] == ENROLLED) & (months < int(p["programme_months"]))
    stage = model.stages()
    school = st.school[lo:hi]
    host = st.host[lo:hi]
    apt = st.aptitude[lo:hi]
    n_s = len(model.schools)
    factor = np.ones(n_s)
    hours = council.masters_hours(model)
    if hours.any():  # without masters' hours the factor is exactly 1
        enrolled = np.bincount(school[active], minlength=n_s)
        coverage = masters_coverage(hours, enrolled, float(p["master_hours_per_student"]))
        factor = 1.0 + float(p["master_boost"]) * coverage
    # Rotating apprentices aim part of their training at the council's mean demand.
    mean = model.C
    if model.f_rotation.any():
        mean, _ = council.weighted_demand(model, model.cap * model.f_council)
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
        model.C,
        model.D,
        factor,
        mean,
        model.f_rotation,
        rates,
        float(p["disuse_decay"]) / 12.0,
        float(p["skill_depreciation"]) / 12.0,
    )
    enr = lo + active.nonzero()[0]

    drop = model.rng.random(enr.size) < per_month(float(p["dropout_rate"]))
    gone = enr[drop]
    st.status[gone] = DROPPED
    st.host[gone] = -1
    model.remove_students(gone)
