"""Vocational colleges: curriculum, teacher currency, budget, reputation, trust in partners.

The college is the second decision-maker of a tie (processes.college): it has
a placement coordination capacity and a yearly budget, keeps its own trust in
each partner, and ends or refuses ties on its own ledger.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from community_sim.agents.student import ENROLLED, StudentArrays
from community_sim.mechanics.council import pay_in_turn
from community_sim.mechanics.reputation import cohort_employment

if TYPE_CHECKING:
    from community_sim.agents.partnership import Partnership
    from community_sim.model import CommunityModel


class School(mesa.Agent):
    """A college; its curriculum and teacher currency are rows of the state's ``Colleges``."""

    def __init__(self, model: CommunityModel, idx: int) -> None:
        super().__init__(model)
        self.colleges = model.colleges  # the state containers this college reads
        self.students = model.students
        self.idx = idx
        self.reputation = 0.5  # moving average of graduates' six-month employment
        self.partnerships: list[Partnership] = []
        self.budget_annual = float(model.p["college_budget_annual"])  # type: ignore[attr-defined]
        self.budget_left = self.budget_annual  # renewed each September
        self.spent = 0.0  # cumulative, currency
        self.trust_memory: dict[int, float] = {}  # the college's trust in firms it worked with

    def spend(self, amount: float, times: int = 1) -> None:
        """Pay ``amount`` from this year's budget, ``times`` payments in a row (the college
        may overspend; it then refuses new ties)."""
        if times == 1:
            self.budget_left -= amount
            self.spent += amount
        else:  # one payment at a time, compiled: the same sums as separate calls
            self.budget_left, self.spent = pay_in_turn(self.budget_left, self.spent, amount, times)

    def new_year(self) -> None:
        self.budget_left = self.budget_annual

    @property
    def curriculum(self) -> np.ndarray:
        return self.colleges.curricula[self.idx]

    @property
    def teacher_currency(self) -> float:
        return float(self.colleges.currency[self.idx])

    @property
    def enrolment(self) -> int:
        st = self.students
        lo, hi = st.first, st.n
        return int(
            np.count_nonzero((st.status[lo:hi] == ENROLLED) & (st.school[lo:hi] == self.idx))
        )

    @property
    def active_partnerships(self) -> list[Partnership]:
        return [t for t in self.partnerships if t.active]


def update_reputation(st: StudentArrays, schools: list[School], month: int) -> None:
    """Each college's reputation: moving average of its last cohort's six-month employment."""
    # Counts per college in one compiled pass (graduated last September).
    cohort_n, ok_n = cohort_employment(
        st.grad_month, st.employed_month, st.school, st.n, month - 11, len(schools)
    )
    for school in schools:
        if cohort_n[school.idx]:
            rate = float(ok_n[school.idx] / cohort_n[school.idx])
            school.reputation = 0.5 * school.reputation + 0.5 * rate
