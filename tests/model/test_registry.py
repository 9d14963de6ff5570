"""Bulk registration of agents leaves Mesa's structures as one-by-one registration would."""

import gc
import math
import weakref

import mesa
import numpy as np

from community_sim import CommunityModel
from community_sim.agents.registry import create_many, deregister_many
from community_sim.agents.student import EMPLOYED, ENROLLED, SEEKING, Student


class Walker(mesa.Agent):
    def __init__(self, model: mesa.Model, row: int) -> None:
        super().__init__(model)
        self.row = row


class Other(mesa.Agent):
    pass


def _state(model: mesa.Model) -> tuple:
    return (
        [(type(a).__name__, a.unique_id, getattr(a, "row", None)) for a in model.agents],
        {k.__name__: [a.unique_id for a in v] for k, v in model.agents_by_type.items()},
        [a.unique_id for a in model._agents],
    )


def test_create_many_matches_one_by_one_creation():
    one, bulk = mesa.Model(seed=1), mesa.Model(seed=1)
    Other(one), Other(bulk)
    singles = [Walker(one, r) for r in range(5)]
    batch = create_many(Walker, bulk, {"row": range(5)})
    assert [a.unique_id for a in batch] == [a.unique_id for a in singles] == [2, 3, 4, 5, 6]
    assert all(a.model is bulk and a.pos is None for a in batch)
    assert _state(one) == _state(bulk)
    # Ids go on from Mesa's own counter afterwards.
    assert Walker(one, 9).unique_id == Walker(bulk, 9).unique_id == 7
    for m in (one, bulk):
        mesa.Agent._ids.pop(m, None)


def test_first_agents_of_a_type_get_their_agentset():
    m = mesa.Model(seed=1)
    batch = create_many(Walker, m, {"row": [4, 5]})
    assert list(m.agents_by_type[Walker]) == batch and list(m.agents) == batch
    assert m.agents_by_type[Walker].random is m.random
    mesa.Agent._ids.pop(m, None)


def test_deregister_many_matches_agent_remove():
    one, bulk = mesa.Model(seed=1), mesa.Model(seed=1)
    a = [Walker(one, r) for r in range(6)] + [Other(one)]
    b = [*create_many(Walker, bulk, {"row": range(6)}), Other(bulk)]
    for k in (4, 1, 6):
        a[k].remove()
    deregister_many(bulk, [b[4], b[1], b[6]])
    assert _state(one) == _state(bulk)
    assert len(bulk.agents) == 4 and b[1] not in bulk.agents
    # Removing again, in bulk or one by one, is harmless, as agent.remove() is.
    deregister_many(bulk, [b[1], b[1]])
    b[1].remove()
    b[0].remove()
    a[0].remove()
    assert _state(one) == _state(bulk)
    for m in (one, bulk):
        mesa.Agent._ids.pop(m, None)


def test_bulk_registered_agents_do_not_keep_the_model_alive():
    m = mesa.Model(seed=1)
    batch = create_many(Walker, m, {"row": range(100)})
    deregister_many(m, batch[:50])
    ref = weakref.ref(m)
    mesa.Agent._ids.pop(m, None)
    del m, batch
    gc.collect()
    assert ref() is None


def _live_rows(m: CommunityModel) -> set[int]:
    st = m.students
    return set(np.flatnonzero(np.isin(st.status[: st.n], [ENROLLED, SEEKING, EMPLOYED])).tolist())


def test_every_live_student_is_an_agent_with_the_id_it_was_admitted_with():
    m = CommunityModel(seed=1, horizon_months=30)
    others = len(m.enterprises) + len(m.schools) + 1  # registered before any student
    for _ in range(14):
        m.step()
    students = m.agents_by_type[Student]  # looked at for the first time mid-run
    assert {a.row for a in students} == _live_rows(m)
    # Ids are those of agents made at admission: consecutive by row after the others.
    assert all(a.unique_id == others + 1 + a.row for a in students)
    assert len(m.agents) == len(students) + others
    held = m.agents
    for _ in range(14):
        m.step()
        # Once looked at, Mesa's sets are kept current at the end of every step.
        assert {a.row for a in held if isinstance(a, Student)} == _live_rows(m)
    assert all(a.unique_id == others + 1 + a.row for a in m.agents_by_type[Student])
    one = next(iter(m.agents_by_type[Student]))
    one.remove()
    m.step()
    assert one not in m.agents and one not in m.agents_by_type[Student]
    assert one.unique_id not in {a.unique_id for a in m.agents}
    m.release()


def test_agents_of_a_run_looked_at_only_at_its_end_match_one_looked_at_throughout():
    watched, unwatched = (
        CommunityModel(seed=2, horizon_months=26),
        CommunityModel(seed=2, horizon_months=26),
    )
    len(watched.agents)
    while watched.running:
        watched.step()
        unwatched.step()
    ids = [sorted(a.unique_id for a in m.agents) for m in (watched, unwatched)]
    assert ids[0] == ids[1]
    a, b = watched.outcomes(), unwatched.outcomes()
    assert a.keys() == b.keys()
    assert all(a[k] == b[k] or (math.isnan(a[k]) and math.isnan(b[k])) for k in a)
