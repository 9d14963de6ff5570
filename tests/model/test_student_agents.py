"""Students' Mesa agents: made through Mesa's public API, only when the agents are looked at."""

import gc
import math
import weakref

import mesa
import numpy as np
import pytest

from community_sim import CommunityModel, mesa_leak
from community_sim.agents.enterprise import Enterprise
from community_sim.agents.government import Government
from community_sim.agents.school import School
from community_sim.agents.student import EMPLOYED, ENROLLED, SEEKING, Student


def _live_rows(m: CommunityModel) -> set[int]:
    st = m.students
    return set(np.flatnonzero(np.isin(st.status[: st.n], [ENROLLED, SEEKING, EMPLOYED])).tolist())


def _mesa_count(m: CommunityModel, kind: type) -> int:
    # Mesa's own view (the base class's property), which makes no agent.
    return sum(isinstance(a, kind) for a in mesa.Model.agents.fget(m))


def test_colleges_firms_and_government_are_agents_and_students_only_once_looked_at():
    m = CommunityModel(seed=1, horizon_months=30)
    for _ in range(14):
        m.step()
    assert _mesa_count(m, Student) == 0  # nobody looked: no student agent exists
    types = m.agent_types
    assert {School, Enterprise, Government, Student} <= set(types)
    assert len(m.agents_by_type[School]) == len(m.schools)
    assert len(m.agents_by_type[Enterprise]) == len(m.enterprises)
    assert list(m.agents_by_type[Government]) == [m.government]
    assert _mesa_count(m, Student) == len(_live_rows(m)) > 0
    m.release()


def test_looked_at_agents_stay_current_and_ids_are_never_reused():
    m = CommunityModel(seed=1, horizon_months=30)
    for _ in range(14):
        m.step()
    students = m.agents_by_type[Student]  # looked at for the first time mid-run
    assert {a.row for a in students} == _live_rows(m)
    held = m.agents
    ever: dict[int, object] = {}
    for _ in range(14):
        m.step()
        # Once looked at, Mesa's sets are kept current at the end of every step.
        assert {a.row for a in held if isinstance(a, Student)} == _live_rows(m)
        for a in held:
            assert ever.setdefault(a.unique_id, a) is a  # one id, one agent, ever
    one = next(iter(m.agents_by_type[Student]))
    one.remove()
    m.step()
    assert one not in m.agents and one not in m.agents_by_type[Student]
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
    # The run released itself at its end; looking at its agents afterwards still works.
    kinds = [
        sorted((type(a).__name__, getattr(a, "row", getattr(a, "idx", -1))) for a in m.agents)
        for m in (watched, unwatched)
    ]
    assert kinds[0] == kinds[1]
    ids = [a.unique_id for a in unwatched.agents]
    assert len(set(ids)) == len(ids)  # made after the release: ids still unique
    assert unwatched not in mesa_leak.held_models()  # and the model is released again
    a, b = watched.outcomes(), unwatched.outcomes()
    assert a.keys() == b.keys()
    assert all(a[k] == b[k] or (math.isnan(a[k]) and math.isnan(b[k])) for k in a)


def test_a_released_model_looked_at_is_freed():
    m = CommunityModel(seed=3, horizon_months=14)
    while m.running:
        m.step()
    n = len(m.agents)
    assert n > len(m.schools) + len(m.enterprises) + 1
    ref = weakref.ref(m)
    del m
    gc.collect()
    assert ref() is None


@pytest.mark.parametrize("watch", [False, True])
def test_remove_all_agents_removes_the_students_too(watch):
    m = CommunityModel(seed=4, horizon_months=14)
    if watch:
        len(m.agents)
    for _ in range(3):
        m.step()
    m.remove_all_agents()
    assert len(m.agents) == 0
    m.release()
