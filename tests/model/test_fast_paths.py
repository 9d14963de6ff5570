"""The model's fast paths agree with the plain formulations they replace."""

import numpy as np

from community_sim import CommunityModel
from community_sim.agents.school import curriculum_gap
from community_sim.agents.student import group_rows
from community_sim.mechanics.skills import skill_match


def test_group_rows_matches_masks_and_keeps_order():
    rng = np.random.default_rng(0)
    rows = np.sort(rng.choice(1000, 300, replace=False))
    keys = rng.integers(0, 7, rows.size)
    groups = group_rows(rows, keys, 8)
    assert len(groups) == 8 and groups[7].size == 0
    for g in range(8):
        assert np.array_equal(groups[g], rows[keys == g])


def _model_with_ties() -> CommunityModel:
    # Transition with a low threshold: both project and integrated ties, some converted.
    m = CommunityModel(
        seed=2,
        policy="transition",
        integration_trust_threshold=0.55,
        n_schools=4,
        n_smes=30,
        horizon_months=40,
    )
    for _ in range(40):
        m.step()
    return m


def test_tie_arrays_kept_in_step_with_ties():
    m = _model_with_ties()
    kind, school, weight = m.firm_kind.copy(), m.firm_school.copy(), m.int_weight.copy()
    assert (kind == 1).any() and (kind == 2).any()
    m.refresh_ties()  # full recomputation from every firm's tie
    assert np.array_equal(kind, m.firm_kind)
    assert np.array_equal(school, m.firm_school)
    assert np.array_equal(weight, m.int_weight)
    m.release()


def test_integrated_demand_and_curriculum_gap_match_dense_forms():
    m = _model_with_ties()
    w = m.int_weight
    tot = w.sum(axis=1, keepdims=True)
    dense = np.where(tot > 0, w @ m.D / np.maximum(tot, 1e-12), m.C)
    assert np.allclose(m.integrated_demand(), dense, rtol=1e-12, atol=0.0)
    assert np.array_equal(m.integrated_capacity(), tot[:, 0])
    table = 1.0 - skill_match(m.C[:, None, :], m.D[None, :, :]).mean()
    assert curriculum_gap(m) == float(table)
    m.release()
