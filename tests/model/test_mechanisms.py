"""Model-level checks that levers act through the mechanisms they should."""

import numpy as np

from community_sim import CommunityModel, run
from community_sim.agents.student import EMPLOYED, ENROLLED, SEEKING, Student


def test_support_stops_at_subsidy_end_month():
    res = run({"subsidy_end_month": 30, "horizon_months": 48, "policy": "integrated"}, seed=1)
    spend = res.series["government_spend"]
    assert spend.loc[:30].sum() > 0
    assert spend.loc[32:].sum() == 0


def test_transition_ties_convert_once_trust_is_high():
    res = run({"policy": "transition", "tech_drift": 0.2, "cofunding_share": 0.6}, seed=2)
    first, last = res.series.iloc[0], res.series.iloc[-1]
    assert first["ties_integrated"] == 0 and first["ties_project"] > 0
    assert last["ties_integrated"] > 0


def test_live_student_agents_match_the_arrays():
    m = CommunityModel(seed=3, horizon_months=30)
    for _ in range(30):
        m.step()
    st = m.students
    live = np.isin(st.status[: st.n], [ENROLLED, SEEKING, EMPLOYED]).sum()
    agents = m.agents_by_type[Student]
    assert len(agents) == live
    assert {a.status for a in agents} <= {"enrolled", "seeking", "employed"}
    assert all(1 <= a.stage <= 4 for a in agents if a.status == "enrolled")
    m.release()


def test_integrated_members_pick_better_fitting_apprentices_than_project_hosts():
    fits = {}
    for policy in ("project", "integrated"):
        m = CommunityModel(seed=4, policy=policy, horizon_months=14)
        for _ in range(13):
            m.step()
        st = m.students
        placed = np.flatnonzero((st.status[: st.n] == ENROLLED) & (st.host[: st.n] >= 0))
        fits[policy] = float(np.mean(np.minimum(st.aptitude[placed], 1.0)))
        m.release()
    assert fits["integrated"] > fits["project"]
