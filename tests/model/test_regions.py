"""Regions: who is where, which colleges a firm considers, and what crosses regions.

The truths are worked out here: regions are dealt in turn (college i and firm j to
regions i mod R and j mod R, as the docs say), the curriculum gap is recomputed from
the curricula and demands by broadcasting, and one region is compared with the model
run without any region parameter.
"""

import numpy as np
import pytest

from community_sim import CommunityModel, UserError, run
from community_sim.geography import Geography
from community_sim.mechanics.skills import skill_match

# A small country: 9 colleges and 90 firms in 3 regions, colleges with room for all.
SMALL = dict(
    n_schools=9, n_leading=9, n_smes=81, intake_per_school=60, horizon_months=36,
    n_regions=3, college_coordination_capacity=100000,
)  # fmt: skip


def _ties(m: CommunityModel) -> list[tuple[int, int]]:
    """(firm, college) of every spell the model opened."""
    return [(t.enterprise.idx, t.school.idx) for t in m.partnerships]


def _run(**params) -> CommunityModel:
    m = CommunityModel(seed=2, **params)
    for _ in range(m.horizon):
        m.step()
    return m


def test_regions_are_dealt_in_turn_and_distant_colleges_lie_elsewhere():
    p = dict(n_schools=10, n_leading=4, n_smes=33, n_regions=4, distant_colleges=2)
    geo = Geography.create(p)
    assert geo.college_region.tolist() == [i % 4 for i in range(10)]
    assert geo.firm_region.tolist() == [j % 4 for j in range(37)]
    assert sorted(np.concatenate(geo.local).tolist()) == list(range(10))
    assert geo.distant.shape == (37, 2)
    for j, row in enumerate(geo.distant.tolist()):
        regions = [c % 4 for c in row]
        assert j % 4 not in regions and len(set(regions)) == 2  # two other regions
    # firms of one region spread over the colleges of the next (not all on its first)
    firsts = {int(geo.distant[j, 0]) for j in range(0, 37, 4)}
    assert len(firsts) == geo.local[1].size


def test_more_regions_than_colleges_is_refused_naming_the_key():
    with pytest.raises(UserError, match="n_regions"):
        CommunityModel(seed=1, n_schools=2, n_regions=3)


@pytest.mark.parametrize("policy", ["project", "integrated"])  # integrated: convening too
def test_a_high_distance_cost_keeps_every_tie_in_its_region(policy):
    m = _run(**SMALL, distant_colleges=2, distance_cost=5.0, policy=policy)
    ties = _ties(m)
    assert len(ties) > 20
    assert all(f % 3 == s % 3 for f, s in ties)
    m.release()


def test_without_a_distance_cost_some_ties_cross_regions():
    # A distant college is as good as a local one: some firms prefer one (not a test of
    # how many, only that the rule above is what keeps ties home).
    m = _run(**SMALL, distant_colleges=2, distance_cost=0.0)
    assert any(f % 3 != s % 3 for f, s in _ties(m))
    m.release()


def test_without_distant_colleges_no_tie_crosses_whatever_the_cost():
    m = _run(**SMALL, distant_colleges=0, distance_cost=0.0)
    assert _ties(m) and all(f % 3 == s % 3 for f, s in _ties(m))
    m.release()


def test_curriculum_gap_is_the_mean_over_same_region_pairs():
    m = _run(**SMALL, policy="integrated")  # councils co-design: the curricula differ
    match = skill_match(m.C[:, None, :], m.D[None, :, :])  # colleges x firms, every pair
    same = (np.arange(9)[:, None] % 3) == (np.arange(90)[None, :] % 3)
    gap = m.series_frame()["curriculum_gap"].iloc[-1]
    assert gap == pytest.approx(1.0 - match[same].mean(), rel=1e-12)
    assert gap != pytest.approx(1.0 - match.mean(), rel=1e-9)  # the regions matter
    m.release()


def test_one_region_is_the_model_without_geography():
    base = dict(horizon_months=36)
    a = run(base, seed=4)
    b = run(dict(base, n_regions=1, distant_colleges=7, distance_cost=4.0), seed=4)
    np.testing.assert_equal(a.outcomes, b.outcomes)
    assert a.series.equals(b.series)


def _hired_away(m: CommunityModel) -> tuple[int, int]:
    """Graduates employed by a firm other than their training firm: how many, and how
    many of them outside their college's region (dealt in turn: i mod 3, j mod 3)."""
    st = m.students
    rows = np.arange(st.n)[
        (st.employer[: st.n] >= 0) & (st.employer[: st.n] != st.trained_by[: st.n])
    ]
    away = st.employer[rows] % 3 != st.school[rows] % 3
    return rows.size, int(np.count_nonzero(away))


def test_without_migration_no_graduate_is_hired_outside_its_region():
    # Ties cross regions freely; graduates still take partner jobs only at home.
    m = _run(**dict(SMALL, horizon_months=48), distant_colleges=2, distance_cost=0.0,
             migration_share=0.0)  # fmt: skip
    hired, away = _hired_away(m)
    assert any(f % 3 != s % 3 for f, s in _ties(m)) and hired > 50 and away == 0
    m.release()


def test_with_migration_some_graduates_are_hired_away():
    m = _run(**dict(SMALL, horizon_months=48), distant_colleges=2, distance_cost=0.0,
             migration_share=1.0)  # fmt: skip
    assert _hired_away(m)[1] > 0
    m.release()


def test_the_migrant_share_of_any_cohort_is_the_parameter():
    from community_sim.geography import migrants

    for start, n, share in [(0, 1000, 0.2), (12345, 333, 0.35), (7, 50, 0.0), (7, 50, 1.0)]:
        k = int(np.count_nonzero(migrants(np.arange(start, start + n), share)))
        assert abs(k - share * n) <= 1.0
