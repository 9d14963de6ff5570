"""The industrial college as a club, and the college as the second decision-maker."""

from itertools import pairwise

import numpy as np
import pytest

from community_sim import CommunityModel, run
from community_sim.processes import college
from community_sim.processes.council import annual_cost, sizes


def _sme_share_at_entry(n_leading: int, seeds=range(5), **params) -> float:
    shares = []
    for s in seeds:
        m = CommunityModel(
            seed=s, policy="integrated", n_leading=n_leading, integration_tax_credit=0.0, **params
        )
        smes = [e for e in m.enterprises if not e.is_leading]
        shares.append(np.mean([e.tie is not None for e in smes]))
        m.release()
    return float(np.mean(shares))


@pytest.mark.slow
def test_smes_join_the_council_at_baseline():
    share = np.mean([run({"policy": "integrated"}, seed=s).outcomes["sme_participation"]
                     for s in range(3)])  # fmt: skip
    assert share > 0.0


def test_sme_participation_rises_as_the_fixed_cost_is_spread_over_more_members():
    # Firms decide one at a time (no convener gathering SMEs into a group, which would let
    # them found a council without an anchor: tests/model/test_convening.py), in the small
    # world of 3 colleges and 20 SMEs.
    alone = dict(council_convening=False, n_schools=3, n_smes=20, intake_per_school=250)
    shares = [_sme_share_at_entry(n, **alone) for n in (0, 1, 4, 12)]
    assert shares[0] <= 0.02  # nobody anchors: an SME would carry the whole running cost
    assert all(b >= a for a, b in pairwise(shares))
    assert shares[-1] > shares[1]


def test_a_members_share_falls_with_council_size_and_rises_when_one_leaves():
    m = CommunityModel(seed=1, policy="integrated", n_leading=6, n_smes=0, n_schools=1)
    tie = m.active_ties[0]
    tt, ent = m.registry.terms_of(tie), tie.enterprise
    fixed = float(m.p["governance_cost_annual"])
    costs = [annual_cost(m.firms, ent.idx, tt, n, m.government, m.p)[0] for n in (2, 3, 6)]
    assert np.isclose(costs[0] - costs[1], fixed / 2 - fixed / 3)
    assert np.isclose(costs[1] - costs[2], fixed / 3 - fixed / 6)
    n_before = int(sizes(m.registry)[0])
    from community_sim.processes.ties import close_tie as _close

    _close(m.parties, m.month, m.active_ties[-1], "exit")
    assert int(sizes(m.registry)[0]) == n_before - 1
    m.release()


def test_college_refuses_a_partner_it_stopped_trusting_and_beyond_its_capacity():
    m = CommunityModel(seed=1, n_leading=4, n_smes=0, n_schools=1)
    school, ent = m.schools[0], m.enterprises[0]
    ent_tie = ent.tie
    from community_sim.processes.ties import close_tie as _close

    _close(m.parties, m.month, ent_tie, "exit")
    assert college.accepts(m.registry, school, ent, m.p)
    school.trust_memory[ent.idx] = 0.1
    assert not college.accepts(m.registry, school, ent, m.p)
    school.trust_memory.clear()
    m.p["college_coordination_capacity"] = int(college.places_committed(m.registry, school))
    assert not college.accepts(
        m.registry, school, ent, m.p
    )  # its places would exceed what it coordinates
    m.release()


def test_college_ends_a_tie_whose_apprentices_keep_leaving():
    m = CommunityModel(seed=1, n_leading=4, n_smes=0, school_exit_trust=0.3)
    tie = m.active_ties[0]
    verdicts = []
    for _ in range(2):  # periods in which every apprentice left early: 0.5 -> 0.35 -> 0.245
        tie.period_started, tie.period_terminated = 10, 10
        verdicts.append(college.review(tie, m.p))
    assert verdicts == [True, False]
    assert np.isclose(tie.trust_school, 0.5 * 0.7 * 0.7)
    assert m.schools[tie.school.idx].trust_memory[tie.enterprise.idx] == tie.trust_school
    m.release()


def test_reputation_steers_firms_choice_of_college():
    from community_sim.processes.partners import _ranked_schools

    m = CommunityModel(seed=1, reputation_weight=2.0, n_leading=1, n_smes=0)
    m.schools[2].reputation, m.schools[0].reputation = 0.95, 0.05
    assert _ranked_schools(m.parties, m.p, m.rng, m.enterprises[0])[0] is m.schools[2]
    m.p["reputation_weight"] = 0.0
    m.schools[2].reputation = 0.05
    m.schools[1].reputation = 0.95
    # Without the weight every college teaches the same public curriculum: a random choice.
    picks = {_ranked_schools(m.parties, m.p, m.rng, m.enterprises[0])[0].idx for _ in range(30)}
    assert len(picks) > 1
    m.release()


def test_colleges_pay_coordination_from_their_budget():
    m = CommunityModel(seed=1, n_leading=4, n_smes=0, college_tie_cost_annual=1200.0)
    ties_per_school = np.bincount(m.firm_school[m.firm_school >= 0], minlength=len(m.schools))
    left = [s.budget_left for s in m.schools]
    m.step()
    for s in m.schools:
        placements = left[s.idx] - s.budget_left
        assert placements >= ties_per_school[s.idx] * 100.0 - 1e-9
    m.release()
