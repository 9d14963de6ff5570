"""Registering and removing many Mesa agents at once.

A run admits a cohort of several hundred students every September and removes
thousands of leavers a year. Mesa registers agents one at a time
(``Agent.__init__`` → ``Model.register_agent``: a counter step, three
dictionary writes, two weak references made through Python-level
``WeakKeyDictionary.__setitem__`` calls, and a formatted debug message);
at this scale that bookkeeping cost as much as the model's own arithmetic.

:func:`register_many` and :func:`deregister_many` do exactly what
``Model.register_agent`` and ``Model.deregister_agent`` (Mesa 3.3) do for each
agent, in the same order, but for a whole batch with one bulk update per
structure: the model's hard references ``_agents``, the per-type
:class:`~mesa.AgentSet` and ``model.agents``. Unique ids come from Mesa's own
per-model counter (``Agent._ids``), so they are the ids one-by-one creation
would give. An agent registered here is an ordinary Mesa agent:
``agent.remove()`` works on it as on any other.
"""

from __future__ import annotations

import itertools
import logging
import weakref
from collections.abc import Sequence
from typing import Any, TypeVar

import mesa
from mesa.agent import AgentSet

A = TypeVar("A", bound=mesa.Agent)

_mesa_log = logging.getLogger("MESA.mesa.model")


def _weak_add(agentset: AgentSet, agents: Sequence[mesa.Agent]) -> None:
    """``agentset.add`` for every agent (``WeakKeyDictionary.__setitem__`` in bulk)."""
    wkd: Any = agentset._agents
    remove = wkd._remove
    wkd.data.update(dict.fromkeys([weakref.ref(a, remove) for a in agents]))


def _weak_discard(agentset: AgentSet, agents: Sequence[mesa.Agent]) -> None:
    """``agentset.discard`` for every agent (``WeakKeyDictionary.__delitem__`` in bulk)."""
    wkd: Any = agentset._agents
    wkd._dirty_len = True
    pop = wkd.data.pop
    for a in agents:
        pop(weakref.ref(a), None)


def reserve_ids(model: mesa.Model, n: int) -> list[int]:
    """The next ``n`` unique ids of ``model``, taken from Mesa's counter as ``n`` agents would."""
    return list(itertools.islice(mesa.Agent._ids[model], n))


def create_many(
    cls: type[A],
    model: mesa.Model,
    attrs: dict[str, Sequence[Any]],
    ids: Sequence[int] | None = None,
) -> list[A]:
    """New agents of ``cls`` in ``model``, one per entry of each sequence in ``attrs``.

    Equivalent to calling ``cls(model, ...)`` once per agent when ``cls.__init__``
    only calls ``mesa.Agent.__init__`` and sets the attributes in ``attrs``: each
    agent gets ``model``, the next unique id (or its id from ``ids``, reserved
    earlier with :func:`reserve_ids`) and ``pos = None``, then its attributes.
    """
    columns = list(attrs.items())
    n = len(columns[0][1]) if columns else 0
    if ids is None:
        ids = reserve_ids(model, n)
    new = cls.__new__
    agents: list[A] = []
    for k, uid in enumerate(ids):
        agent = new(cls)
        agent.model = model
        agent.unique_id = uid
        agent.pos = None
        for name, values in columns:
            setattr(agent, name, values[k])
        agents.append(agent)
    register_many(model, agents)
    return agents


def register_many(model: mesa.Model, agents: Sequence[mesa.Agent]) -> None:
    """``model.register_agent(a)`` for each agent of ``agents``, in order."""
    if not agents:
        return
    reg: Any = model
    reg._agents.update(dict.fromkeys(agents))
    for kind, group in itertools.groupby(agents, type):
        batch = list(group)
        by_type = reg._agents_by_type.get(kind)
        if by_type is None:
            reg._agents_by_type[kind] = AgentSet(batch, random=model.random)
        else:
            _weak_add(by_type, batch)
    _weak_add(reg._all_agents, agents)
    if _mesa_log.isEnabledFor(logging.DEBUG):
        _mesa_log.debug("registered %d agents in one batch", len(agents))


def deregister_many(model: mesa.Model, agents: Sequence[mesa.Agent]) -> None:
    """``agent.remove()`` for each agent of ``agents`` (already removed ones are skipped)."""
    reg: Any = model
    hard = reg._agents
    live = [a for a in agents if hard.pop(a, False) is None]
    if not live:
        return
    for kind, group in itertools.groupby(live, type):
        by_type = reg._agents_by_type.get(kind)
        if by_type is not None:
            _weak_discard(by_type, list(group))
    _weak_discard(reg._all_agents, live)
    if _mesa_log.isEnabledFor(logging.DEBUG):
        _mesa_log.debug("deregistered %d agents in one batch", len(live))
