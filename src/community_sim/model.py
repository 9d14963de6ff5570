"""CommunityModel: the Mesa model's wiring and its monthly schedule.

One step is one month; month 0 is a September. The order of processes each
month (docs/ODD.md, "Process overview and scheduling"):

1. technology drift of sector and firm demand;
2. September: graduation and intake, budgets renew; then teaching and
   learning, drop-out;
3. teacher placements, teacher currency and each college's curriculum;
4. September: placement allocation; then apprentice economics, terminations;
   council members pay their monthly costs; colleges pay tie coordination;
5. separations, hiring (own trainees, partner graduates, external market),
   graduates' outside jobs;
6. partnership reviews by both sides that are due; in August, entry;
7. government: payments happen inside 3–6, bounded by the year's budget and
   ``subsidy_end_month``; the budget year starts in September;
8. observation (nothing reads the recorded series back).
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np
import pandas as pd
from mesa.agent import AgentSet

from community_sim import mesa_leak
from community_sim.agents.enterprise import Enterprise
from community_sim.agents.government import Government
from community_sim.agents.partnership import Partnership
from community_sim.agents.population import StudentAgents
from community_sim.agents.school import School
from community_sim.agents.student import ENROLLED, StudentArrays
from community_sim.errors import UserError
from community_sim.mechanics.bookkeeping import advance_months
from community_sim.mechanics.skills import performances
from community_sim.metrics import Recorder, SeriesCollector, compute_outcomes, series_frame
from community_sim.params import validate_params
from community_sim.params.integration import PER_FIRM, off_levels
from community_sim.policies import POLICIES, terms
from community_sim.processes import (
    college,
    cooperation,
    council,
    curriculum,
    labour_market,
    placement,
    teaching,
    technology,
)
from community_sim.state import Colleges, ExternalMarket, Firms, Terms, TieRegistry, Ties

PRIOR_FLOOR = 0.1
"""Smallest prior ratio of a membership's surplus to a contract's a firm may hold."""

EXTERNAL_POOL = 256
"""Size of the fixed sample of external workers' skill draws behind the market benchmark."""


def _field(container: str, name: str) -> Any:
    """A model attribute that is ``name`` of the state container ``container``."""

    def get(model: CommunityModel) -> Any:
        return getattr(getattr(model, container), name)

    def put(model: CommunityModel, value: Any) -> None:
        setattr(getattr(model, container), name, value)

    return property(get, put, doc=f"``{container}.{name}``")


class CommunityModel(mesa.Model):
    """School–enterprise cooperation community; ``CommunityModel(seed=..., **params)``."""

    def __init__(self, seed: int | None = None, **params: Any) -> None:
        p = validate_params(params, source="CommunityModel")
        if seed is not None and (
            isinstance(seed, bool)
            or not isinstance(seed, int | float | np.integer | np.floating)
            or not float(seed).is_integer()
            or seed < 0
        ):
            raise UserError(f"{seed!r} is not a non-negative whole number", key="seed")
        seed = None if seed is None else int(seed)
        super().__init__(seed=seed)
        self.p = p
        self.policy = POLICIES[str(p["policy"])]
        self.horizon = int(p["horizon_months"])
        self.month = 0
        # Technology has its own stream, spawned from the seed, so that every policy run
        # with the same seed faces the same drift path (common random numbers).
        root = np.random.SeedSequence(seed if seed is not None else int(self.rng.integers(2**63)))
        tech_seq, size_seq, belief_seq = root.spawn(3)
        self.rng_tech = np.random.default_rng(tech_seq)
        k = int(p["n_skills"])
        n_f = int(p["n_leading"]) + int(p["n_smes"])
        # Technology: the sector profile has a pre-history long enough for every lag.
        self.tech, niche, deviation = technology.create(p, n_f, self.horizon, self.rng_tech)

        # Enterprises: SMEs differ in size (their own stream, so sizes do not depend on
        # other draws).
        rng_size = np.random.default_rng(size_seq)
        self.firms = Firms.create(p, self.tech, niche, deviation, self.horizon, rng_size)
        self.enterprises = [Enterprise(self, j, j < int(p["n_leading"])) for j in range(n_f)]
        # Firms' prior beliefs about membership, from their own stream (the same under
        # every policy): 1 + membership_surplus_prior, dispersed by membership_prior_sd.
        priors = (
            1.0
            + float(p["membership_surplus_prior"])
            + float(p["membership_prior_sd"])
            * np.random.default_rng(belief_seq).standard_normal(n_f)
        )
        for ent, prior in zip(
            self.enterprises, np.maximum(priors, PRIOR_FLOOR).tolist(), strict=True
        ):
            ent.membership_prior = prior
        mean_perf = float(
            performances(self.rng.lognormal(0.0, float(p["aptitude_sd"]), 4000)).mean()
        )
        # A fixed sample of external workers' skill deviations: the market benchmark is the
        # mean fit of such workers, noise included (processes.labour_market).
        noise = self.rng.standard_normal((EXTERNAL_POOL, k))
        self.market = ExternalMarket(noise, mean_perf)

        # Colleges and government.
        n_s = int(p["n_schools"])
        self.colleges = Colleges.create(p, self.tech)
        # Students: two cohorts already in college; each September admits one more.
        per_year = n_s * int(p["intake_per_school"])
        years = self.horizon // 12 + 1 + int(p["programme_months"]) // 12 + 1
        self.students = StudentArrays(per_year * years, k)
        self.schools = [School(self, i) for i in range(n_s)]
        self.government = Government(self)
        pm = int(p["programme_months"])
        m = np.arange(pm + 1)
        self._stage_table = (
            1 + (m >= pm // 3).astype(np.int64) + (m >= 2 * pm // 3) + (m >= pm - pm // 12)
        )
        self._stage_cache: tuple[tuple[int, int, int], np.ndarray] | None = None
        self.student_agents = StudentAgents(self)  # made when looked at (agents.population)
        for start in range(12 * ((pm - 1) // 12), 0, -12):
            self.enrol_agents(teaching.admit(self.students, self.colleges, p, self.rng, start))

        # The ties and each firm's terms from its tie (off without a tie); the per-firm
        # arrays also under the names the ingredient table gives them (model.f_codesign, ...).
        self.registry = TieRegistry(
            self.firms,
            self.enterprises,
            self.schools,
            {k: terms(k, p) for k in ("project", "integrated")},
            off_levels(),
        )
        self.f_council = self.registry.council
        for i in PER_FIRM:
            setattr(self, i.per_firm, self.registry.levels[i.term])
        self.month_apprentices = 0
        self.recorder = Recorder(self.horizon)
        self.datacollector = SeriesCollector(self.recorder)
        self.parties = cooperation.Parties(
            self.students, self.colleges, self.firms, self.registry, self.policy,
            self.government, self.recorder,
        )  # fmt: skip
        cooperation.entry(self.parties, p, self.rng, self.month)

    # --- helpers used by the processes ---------------------------------------
    # The state's arrays under their short names, for agents, the dashboard and tests.
    D = _field("firms", "demand")
    H = _field("firms", "headcount")
    H0 = _field("firms", "headcount0")
    cap = _field("firms", "capacity")
    wage = _field("firms", "wage")
    hire_hist = _field("firms", "hire_hist")
    sep_due = _field("firms", "sep_due")
    C = _field("colleges", "curricula")
    theta = _field("colleges", "currency")
    firm_kind = _field("ties", "kind")
    firm_school = _field("ties", "school")
    sector = _field("tech", "sector")

    @property
    def ties(self) -> Ties:
        return self.registry.arrays

    @property
    def terms(self) -> Terms:
        """The firms' tie-term arrays, as the processes read them."""
        return self.registry.terms

    @property
    def partnerships(self) -> list[Partnership]:
        """Every spell, open or closed."""
        return self.registry.spells

    @property
    def active_ties(self) -> list[Partnership]:
        """Active ties in firm order."""
        return self.registry.active

    def stage_of(self, months: np.ndarray) -> np.ndarray:
        """Training stage 1–4 for (non-negative) programme months.

        Thirds of the programme; stage 4 is its last twelfth. Read from a table of
        the stage of every month, so a lookup is one gather.
        """
        m = np.asarray(months)
        return self._stage_table[np.minimum(m, self._stage_table.size - 1)]

    def stages(self) -> np.ndarray:
        """Stage of student rows ``first..n`` (cached until a month, a cohort or a graduation)."""
        st = self.students
        key = (self.month, st.first, st.n)
        if self._stage_cache is None or self._stage_cache[0] != key:
            self._stage_cache = (key, self.stage_of(st.month[st.first : st.n]))
        return self._stage_cache[1]

    def n_enrolled(self) -> int:
        st = self.students
        return int(np.count_nonzero(st.status[st.first : st.n] == ENROLLED))

    # --- agents -------------------------------------------------------------------
    # Colleges, firms and the government are Mesa agents from the start; the students'
    # agents are made when the model's agents are first looked at, and kept current from
    # then on (agents.population: a run nobody looks at makes none).

    def enrol_agents(self, rows: slice) -> None:
        """Newly admitted student ``rows``: their agents, if the agents are being looked at."""
        if self.student_agents.watched:
            self.student_agents.sync()

    def remove_students(self, rows: np.ndarray) -> None:
        """Remove the agents of student ``rows`` from the model, if they were made."""
        self.student_agents.remove(rows)

    @property
    def agents(self) -> AgentSet:
        """All agents in the model (Mesa's ``Model.agents``), every student included."""
        self.student_agents.sync()
        return super().agents

    @property
    def agents_by_type(self) -> dict[type[mesa.Agent], AgentSet]:
        """Mesa's ``Model.agents_by_type``, every student included."""
        self.student_agents.sync()
        return super().agents_by_type

    @property
    def agent_types(self) -> list[type]:
        """Mesa's ``Model.agent_types``, ``Student`` included once there are students."""
        self.student_agents.sync()
        return super().agent_types

    def remove_all_agents(self) -> None:
        self.student_agents.sync()
        super().remove_all_agents()

    # --- the monthly schedule --------------------------------------------------
    def step(self) -> None:
        """Advance one month (see the module docstring for the order)."""
        p = self.p
        if self.month >= self.horizon:
            self.running = False
            return
        self.government.new_month()
        # 1. technology drift
        technology.drift(self.tech, self.firms, p, self.rng_tech, self.month)
        # 2. graduation and intake (September), teaching and learning
        new_grads = np.zeros(0, dtype=np.int64)
        if self.month % 12 == 0:
            new_grads = teaching.graduate(self.students, p, self.month)
            self.enrol_agents(teaching.admit(self.students, self.colleges, p, self.rng))
            college.new_year(self.schools)
        stage = self.stages()
        gone = teaching.teach(
            self.students,
            stage,
            self.colleges,
            self.firms,
            self.ties,
            self.terms,
            p,
            self.rng,
        )
        if gone.size:
            self.remove_students(gone)
        # 3. teacher placements, teacher currency, curriculum
        curriculum.update(
            self.colleges, self.firms, self.registry, self.tech, self.recorder, p, self.month
        )
        # 4. placements and apprentice economics; council and coordination costs
        self.month_apprentices = placement.run_month(
            self.students, stage, self.firms, self.registry, self.government, self.recorder, p,
            self.rng, self.month,
        )  # fmt: skip
        council.charge_month(self.registry, self.government, self.recorder, p)
        college.charge_month(self.registry, p)
        # 5. graduation hiring, vacancies, separations
        left = labour_market.run_month(
            self.students, self.firms, self.registry, self.market, self.tech, self.government,
            self.recorder, p, self.rng, self.month, new_grads,
        )  # fmt: skip
        if left.size:
            self.remove_students(left)
        # 6. partnership decisions
        cooperation.run_month(self.parties, p, self.rng, self.month)
        # 8. observation
        self.recorder.observe(self)
        # Enrolled students one programme month on; their stages then, for next month.
        st = self.students
        stage = advance_months(st.month, st.status, st.first, st.n, ENROLLED, self._stage_table)
        self.month += 1
        self._stage_cache = ((self.month, st.first, st.n), stage)
        if self.student_agents.watched:
            self.student_agents.sync()
        if self.month >= self.horizon:
            # The run is over: let the model be freed even when the caller (mesa.batch_run,
            # a dashboard) does not call release(). Its agents can still be looked at.
            self.running = False
            self.release()

    # --- results -----------------------------------------------------------------
    def series_frame(self) -> pd.DataFrame:
        """The monthly series so far (index ``step`` = 1..steps)."""
        return series_frame(self.recorder)

    def outcomes(self) -> dict[str, float]:
        """The scalar outcomes so far (names in :data:`community_sim.metrics.OUTCOMES`)."""
        return compute_outcomes(self)

    def release(self) -> None:
        """Let the model be garbage-collected once dropped (a Mesa leak: :mod:`.mesa_leak`).

        Called automatically after the last month; call it yourself when abandoning a
        model earlier. Idempotent; the agents can still be looked at afterwards.
        """
        self.student_agents.released = True
        mesa_leak.release(self)
