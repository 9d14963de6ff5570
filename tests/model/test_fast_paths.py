"""The model's fast paths agree with the plain formulations they replace."""

import numpy as np

from community_sim import CommunityModel
from community_sim.agents.student import group_rows
from community_sim.mechanics.skills import skill_match
from community_sim.metrics import curriculum_gap


def test_group_rows_matches_masks_and_keeps_order():
    rng = np.random.default_rng(0)
    rows = np.sort(rng.choice(1000, 300, replace=False))
    keys = rng.integers(0, 7, rows.size)
    groups = group_rows(rows, keys, 8)
    assert len(groups) == 8 and groups[7].size == 0
    for g in range(8):
        assert np.array_equal(groups[g], rows[keys == g])


def test_seeking_rows_scanned_from_the_last_seeker_are_every_seeker():
    from community_sim.agents.student import SEEKING

    m = CommunityModel(seed=3, n_schools=3, n_smes=30, horizon_months=60)
    st = m.students
    found = 0
    while m.running:
        every = (st.status[: st.n] == SEEKING).nonzero()[0]
        assert np.array_equal(st.seeking(), every)
        found += every.size
        m.step()
    assert found > 0 and st.seeking_from > 0


def _model_with_ties() -> CommunityModel:
    # Transition with a low threshold: both project and integrated ties, some converted.
    m = CommunityModel(
        seed=2,
        policy="transition",
        integration_trust_threshold=0.59,
        governance_cost_annual=0.0,
        cofunding_share=0.8,
        n_schools=4,
        n_smes=30,
        horizon_months=40,
    )
    for _ in range(40):
        m.step()
    return m


ARRAYS = ("firm_kind", "firm_school", "f_council", "f_codesign", "f_rotation", "f_noise",
          "f_masters", "f_discount", "f_first")  # fmt: skip


def test_tie_arrays_kept_in_step_with_ties():
    m = _model_with_ties()
    before = {name: getattr(m, name).copy() for name in ARRAYS}
    assert (m.firm_kind == 1).any() and (m.firm_kind == 2).any()
    m.registry.refresh()  # full recomputation from every firm's tie
    for name in ARRAYS:
        assert np.array_equal(before[name], getattr(m, name)), name
    m.release()


def test_council_demand_and_curriculum_gap_match_dense_forms():
    from community_sim.processes.council import weighted_demand

    m = _model_with_ties()
    w = np.zeros((len(m.schools), len(m.enterprises)))
    for tie in m.active_ties:
        if tie.kind == "integrated":
            w[tie.school.idx, tie.enterprise.idx] = m.cap[tie.enterprise.idx]
    tot = w.sum(axis=1, keepdims=True)
    dense = np.where(tot > 0, w @ m.D / np.maximum(tot, 1e-12), m.C)
    mean, weight = weighted_demand(m.colleges, m.firms, m.ties, m.cap * m.f_council)
    assert np.allclose(mean, dense, rtol=1e-12, atol=0.0)
    assert np.array_equal(weight, tot[:, 0])
    table = 1.0 - skill_match(m.C[:, None, :], m.D[None, :, :]).mean()
    assert curriculum_gap(m) == float(table)
    m.release()


def _per_college(m: CommunityModel, members_only: bool) -> list[int]:
    out = [0] * len(m.schools)
    for tie in m.active_ties:
        if tie.kind == "integrated" or not members_only:
            out[tie.school.idx] += int(m.cap[tie.enterprise.idx])
    return out


def test_cached_places_per_college_follow_tie_changes():
    m = _model_with_ties()  # the counts were updated firm by firm through 40 months of changes
    reg = m.registry
    assert reg.college_ties()[1] == _per_college(m, False)
    assert reg.council_places().tolist() == _per_college(m, True)
    members = [0] * len(m.schools)
    for tie in m.active_ties:
        members[tie.school.idx] += tie.kind == "integrated"
    assert reg.college_ties()[0].tolist() == members
    member = next(t for t in m.active_ties if t.kind == "integrated")
    member.enterprise.tie = None  # a member leaves: the cached sums must follow
    reg.refresh(member.enterprise)
    assert reg.college_ties()[1] == _per_college(m, False)
    assert reg.council_places().tolist() == _per_college(m, True)
    m.release()


def test_scored_candidates_are_each_pairs_fit_plus_its_colleges_bonus():
    for regions in (1, 3):
        m = CommunityModel(seed=3, n_regions=regions, n_schools=6, n_smes=40, distant_colleges=2)
        col, demand = m.colleges, m.firms.demand
        bonus = np.random.default_rng(regions).random(6)
        scored, table = col.scored_candidates(demand, bonus)
        assert len(scored) == len(m.enterprises)
        assert (table is None) == (regions > 1)
        for j, (cols, scores, n_local) in enumerate(scored):
            want_cols, fit, want_local = col.candidates(demand, j)
            assert (cols, n_local) == (want_cols, want_local)
            assert scores == [f + float(bonus[c]) for f, c in zip(fit, cols, strict=True)]
            if table is not None:
                assert table[j].tolist() == scores
        m.release()


def test_rankings_made_at_once_are_those_made_one_firm_after_another():
    import copy

    from community_sim.processes.partners import _order, _scores, ranked, standing

    for regions in (1, 3):
        m = CommunityModel(seed=5, n_regions=regions, n_schools=6, n_smes=40)
        for s, rep in zip(m.schools, (0.5, 0.5, 0.9, 0.5, 0.2, 0.5), strict=True):
            s.reputation = rep  # equal reputations too: ties are broken by the draws
        s = standing(m.parties, m.p)
        firms = [int(j) for j in m.rng.permutation(len(m.enterprises))[:30]]
        twin = copy.deepcopy(m.rng)
        got = ranked(s, m.rng, firms)
        for j, (score, order) in zip(firms, got, strict=True):
            want = _scores(s, j, twin.random(len(s.candidates[j][1])).tolist())
            assert (score, order) == (want, _order(want))
        assert m.rng.bit_generator.state == twin.bit_generator.state
        m.release()


def test_best_school_is_the_first_accepting_college_in_rank_order():
    import copy

    from community_sim.processes import college
    from community_sim.processes.partners import _best_school, _ranked_schools

    m = CommunityModel(seed=4, n_regions=2, n_schools=6, n_smes=50, reputation_weight=0.5,
                       college_coordination_capacity=12)  # fmt: skip
    for s, rep in zip(m.schools, (0.2, 0.9, 0.5, 0.5, 0.7, 0.1), strict=True):
        s.reputation = rep
    refused = 0
    for ent in m.enterprises:
        for exclude in (-1, ent.tie.school.idx if ent.tie is not None else 0):
            twin = copy.deepcopy(m.rng)
            ranked = _ranked_schools(m.parties, m.p, twin, ent, exclude)
            ok = [s for s in ranked if college.accepts(m.registry, s, ent, m.p)]
            refused += len(ranked) - len(ok)
            got = _best_school(m.parties, m.p, m.rng, ent, exclude)
            assert got is (ok[0] if ok else None)
            assert m.rng.bit_generator.state == twin.bit_generator.state  # the same draws
    assert refused > 0  # some colleges refuse: the first choice is not always taken
    m.release()


def test_contract_rounds_look_for_a_college_only_when_a_contract_wins(monkeypatch):
    # Under contracts only, a new tie's value is the same at every college, so decisions
    # look for the college only when the new tie would be taken: the general path (every
    # candidate ranked and checked first) must reach the same ties with the same draws.
    from community_sim.processes.valuation import Round

    def history(general: bool) -> tuple[list[tuple[int, int, int, list]], dict]:
        if general:
            monkeypatch.setattr(Round, "contracts", property(lambda r: False))
        m = CommunityModel(seed=6, policy="project", horizon_months=72)
        while m.running:
            m.step()
        spells = [(t.enterprise.idx, t.school.idx, t.start, list(t.history))
                  for t in m.registry.spells]  # fmt: skip
        state = m.rng.bit_generator.state
        m.release()
        monkeypatch.undo()
        return spells, state

    fast, general = history(False), history(True)
    assert fast == general
    whys = [why for *_, hist in fast[0] for _, why in hist]
    assert "switch" in whys and len(fast[0]) > 60  # switches and re-entries happened


def test_candidate_counts_read_without_scores_are_the_candidates():
    # Draws are sized by the counts (one per candidate), so they must be the lists' lengths.
    from community_sim.processes.partners import standing

    for regions, distant in ((1, 0), (3, 2), (3, 1)):
        m = CommunityModel(seed=3, n_regions=regions, n_schools=7, n_smes=40,
                           distant_colleges=distant)  # fmt: skip
        s = standing(m.parties, m.p)
        demand = m.firms.demand
        got = [len(m.colleges.candidates(demand, j)[0]) for j in range(len(m.enterprises))]
        assert s.sizes == got == [len(s.candidates[j][1]) for j in range(len(got))]
        m.release()
