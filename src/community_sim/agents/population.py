"""The students' Mesa agents, made only when someone looks at the model's agents.

Every student in the model (enrolled, seeking a job, or employed by a modelled
firm) is a :class:`~community_sim.agents.student.Student` agent whenever the
model's agents are looked at (``model.agents``, ``agents_by_type``,
``agent_types``): the first look gives an agent to every such student, and from
then on new students get theirs at admission and leavers' agents are removed
when they leave, so an :class:`~mesa.AgentSet` held by a dashboard stays
current. A run nobody looks at (a sweep, an experiment) makes no student agent
at all. Agents are made and removed through Mesa's public API only
(``Agent(model)``, ``Agent.remove``).

A student agent's ``unique_id`` is Mesa's: unique among the model's agents and
never reused, given when the agent object is made. It therefore depends on when
the agents were first looked at; the student's own identity, the same in every
run of a seed, is its ``row`` in :class:`~community_sim.agents.student.StudentArrays`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np
from numpy.typing import NDArray

from community_sim import mesa_leak
from community_sim.agents.student import EMPLOYED, Student, StudentArrays

if TYPE_CHECKING:
    from community_sim.model import CommunityModel


class StudentAgents:
    """The model's student agents by row, made on the first look and kept current after."""

    def __init__(self, model: CommunityModel) -> None:
        self.model = model
        self.by_row: list[Student | None] = []  # rows 0..len-1; None once a student left
        self.watched = False  # someone looked at the agents: keep them current
        self.released = False  # the model has left Mesa's id counter (mesa_leak.release)
        self.last_id = 0  # the largest unique_id given to any of the model's agents

    def sync(self) -> None:
        """Give every student admitted since the last call, and still in the model, an agent."""
        self.watched = True
        st: StudentArrays | None = getattr(self.model, "students", None)
        if st is None:  # looked at while the model is being built
            return
        done = len(self.by_row)
        if done >= st.n:
            return
        live = done + (st.status[done : st.n] <= EMPLOYED).nonzero()[0]
        self.by_row.extend([None] * (st.n - done))
        if live.size:
            for agent in self._make(live.tolist()):
                self.by_row[agent.row] = agent

    def _make(self, rows: list[int]) -> list[Student]:
        model = self.model
        if self.released:
            # Ids must go on after those of the agents made before the release.
            # (Mesa's own view of the agents: the model's property would sync again.)
            previous = mesa.Model.agents.fget(model)  # type: ignore[attr-defined]
            self.last_id = max([self.last_id, *(a.unique_id for a in previous)])
        # One Student(model, row) each: half the cost of Agent.create_agents, which also
        # builds an AgentSet of the new agents (measured: 3.4 against 6.8 µs an agent).
        made = [Student(model, row) for row in rows]
        if self.released:
            # Releasing dropped the model's id counter, so Mesa counted these from 1 again:
            # number them on from the model's last id, then let the model go again.
            for uid, agent in enumerate(made, start=self.last_id + 1):
                agent.unique_id = uid
            mesa_leak.release(model)
        self.last_id = max(self.last_id, made[-1].unique_id)
        return made

    def remove(self, rows: NDArray[np.int64]) -> None:
        """Remove the agents of student ``rows`` (nothing to do if none was made)."""
        by_row = self.by_row
        made = len(by_row)
        if not made:
            return
        for row in rows.tolist():
            agent = by_row[row] if row < made else None
            if agent is not None:
                by_row[row] = None
                agent.remove()
