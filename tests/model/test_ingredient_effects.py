"""What each ingredient of Model 3 changes in the model, and the direction, on paired seeds.

Rotation as breadth, the retention bonus in the firm's offer and keep decision, the
first right to hire against outside employers, teacher placements that buy more
currency, screening that sharpens with tenure, member-specific modules and priority
at placement. Each is compared with itself switched off on the same seeds.
"""

import numpy as np
import pytest

from community_sim import CommunityModel, run
from community_sim.agents.student import ENROLLED, PARTNER
from community_sim.mechanics.skills import skill_match

LEADING_ONLY = dict(n_leading=6, n_smes=0, n_schools=2)  # every firm joins, both policies
SEEDS = range(8)


def _stepped(months: int, seed: int = 1, **params) -> CommunityModel:
    m = CommunityModel(seed=seed, **params)
    for _ in range(months):
        m.step()
    return m


def _paired(key: str, off: dict, on: dict, **base) -> np.ndarray:
    """Per seed: the outcome ``key`` with ``on`` minus with ``off``."""
    a = np.array([run({**base, **off}, seed=s).outcomes[key] for s in SEEDS])
    b = np.array([run({**base, **on}, seed=s).outcomes[key] for s in SEEDS])
    return b - a


@pytest.mark.slow
@pytest.mark.parametrize("policy", ["project", "integrated"])
def test_a_larger_retention_bonus_raises_retention_by_the_training_firm(policy):
    gap = _paired(
        "retention_training_firm", {"retention_bonus": 0.0}, {"retention_bonus": 20000.0},
        policy=policy,
    )  # fmt: skip
    se = gap.std(ddof=1) / np.sqrt(gap.size)
    assert gap.mean() > 2.0 * se and (gap > 0).sum() >= 6


def test_the_premium_from_the_bonus_keeps_graduates_who_would_move_on():
    # The bonus enters the keep decision, but nearly every trainee who stays is kept at
    # baseline (seen to beat the market); what retains more is the premium in the offer.
    def moved(bonus: float, pass_through: float) -> list[bool]:
        m = _stepped(25, policy="integrated", retention_bonus=bonus,
                     bonus_pass_through=pass_through, **LEADING_ONLY)  # fmt: skip
        st = m.students
        trained = (st.trained_by[: st.n] >= 0) & (st.grad_month[: st.n] >= 0)
        out = st.moved_on[: st.n][trained].tolist()
        m.release()
        return out

    assert moved(0.0, 0.0) == moved(20000.0, 0.0) and len(moved(0.0, 0.0)) > 30
    assert sum(moved(20000.0, 1.0)) < sum(moved(0.0, 1.0))


def _partner_hires(m: CommunityModel) -> int:
    return int((np.concatenate(m.recorder.hire_source) == PARTNER).sum())


def test_first_right_lets_members_hire_graduates_before_outside_employers():
    base = dict(policy="integrated", horizon_months=40, **LEADING_ONLY)
    got = {}
    for first in (False, True):
        got[first] = []
        for seed in range(4):
            m = _stepped(40, seed=seed, first_right_to_hire=first, **base)
            got[first].append(_partner_hires(m))
            m.release()
    on, off = np.array(got[True]), np.array(got[False])
    assert (on >= off).all() and on.sum() > off.sum()
    # Without outside employers there is nobody to pick before: on and off agree exactly.
    quiet = dict(base, outside_job_rate=0.0)
    a = _stepped(40, first_right_to_hire=False, **quiet)
    b = _stepped(40, first_right_to_hire=True, **quiet)
    assert _partner_hires(a) == _partner_hires(b) and np.array_equal(a.theta, b.theta)
    for m in (a, b):
        m.release()


def test_members_share_of_teacher_placements_buys_more_of_them_for_the_same_money():
    base = dict(policy="integrated", tech_drift=0.2, **LEADING_ONLY)  # budget not binding
    off = _stepped(1, council_placement_discount=0.0, **base)
    on = _stepped(1, council_placement_discount=0.5, **base)
    # The college spends what it planned either way; the members' half buys twice as many.
    assert [s.budget_left for s in on.schools] == pytest.approx(
        [s.budget_left for s in off.schools]
    )
    for m in (off, on):
        for _ in range(11):
            m.step()
    assert (on.theta > off.theta + 0.005).all()
    for m in (off, on):
        m.release()


def _rotation_fits(share: float, drift: float, seed: int) -> tuple[float, float, float]:
    """Stage-2 apprentices at the end of their placement year: their skills' match to the
    host's demand now, to the college's other members now, and to the host's 24 months on."""
    # One college: its six leading firms stay members of the same council whether rotation
    # is on or off (with two colleges, firms switch college in year 1 differently on and off,
    # and the apprentices compared would meet different councils). Member modules at 0.2,
    # the level this claim was measured at before they were switched off by default: with
    # no module, rotation at full share leaves an apprentice no teaching toward its host.
    m = _stepped(23, seed=seed, policy="integrated", rotation_share=share, tech_drift=drift,
                 masters_hours_per_place=0.0, member_module_share=0.2,
                 **{**LEADING_ONLY, "n_schools": 1})  # fmt: skip
    assert m.f_council.sum() == 6
    st = m.students
    rows = np.flatnonzero((st.status[: st.n] == ENROLLED) & (st.host[: st.n] >= 0))
    rows = rows[m.stage_of(st.month[rows]) == 2]
    skills, host, school = st.skills[rows].copy(), st.host[rows].copy(), st.school[rows]
    members = np.flatnonzero(m.f_council)
    others = [
        skill_match(skills[r], m.D[members[(m.firm_school[members] == c) & (members != h)]]).mean()
        for r, (h, c) in enumerate(zip(host, school, strict=True))
    ]
    now = float(skill_match(skills, m.D[host]).mean())
    for _ in range(24):
        m.step()
    later = float(skill_match(skills, m.D[host]).mean())
    m.release()
    return now, float(np.mean(others)), later


@pytest.mark.slow
def test_rotation_buys_breadth_that_pays_when_demand_drifts_and_costs_when_it_does_not():
    gaps = {}
    for drift in (0.0, 0.3):
        fits = np.array([[_rotation_fits(s, drift, seed) for s in (0.0, 1.0)] for seed in range(6)])
        gaps[drift] = fits[:, 1] - fits[:, 0]  # (seed, [host now, others now, host later])
    for drift, gap in gaps.items():
        # less depth for the host today (on average; the apprentices still placed differ
        # from seed to seed, so one seed in six may show the other sign)
        assert gap[:, 0].mean() < 0 and (gap[:, 0] < 0).sum() >= 5, drift
        assert (gap[:, 1] > 0).all(), drift  # more of what the other members need
    assert (gaps[0.0][:, 2] < 0).all()  # demand stays put: the host's loss stays
    assert gaps[0.3][:, 2].mean() > 0  # demand drifts: the breadth fits the host's future better


def test_screening_noise_falls_with_each_members_months_of_membership():
    from community_sim.processes.recruiting import membership_start, noise_factors

    base = dict(policy="integrated", council_noise_factor=0.5, **LEADING_ONLY)
    on = _stepped(30, screening_tenure_rate=0.4, **base)
    off = _stepped(30, screening_tenure_rate=0.0, **base)
    got = noise_factors(on.registry, on.month)
    assert np.array_equal(noise_factors(off.registry, off.month), off.f_noise)
    for tie in on.active_ties:
        years = (on.month - membership_start(tie)) / 12.0
        assert got[tie.enterprise.idx] == pytest.approx(0.5 * np.exp(-0.4 * years), rel=1e-12)
    assert any(on.month - tie.start > 0 for tie in on.active_ties)
    proj = _stepped(30, policy="project", screening_tenure_rate=0.4, **LEADING_ONLY)
    assert (noise_factors(proj.registry, proj.month) == 1.0).all()  # off on a project tie
    for m in (on, off, proj):
        m.release()


def test_member_modules_teach_toward_the_members_demand_and_are_paid_per_apprentice():
    base = dict(policy="integrated", masters_hours_per_place=0.0, rotation_share=0.0,
                **LEADING_ONLY)  # fmt: skip
    first = {s: _stepped(1, member_module_share=s, **base) for s in (0.0, 0.5)}
    for t0, t1 in zip(first[0.0].active_ties, first[0.5].active_ties, strict=True):
        n_app = t0.period_started  # placed this September, all paying for the module
        expected = 1500.0 / 12.0 * n_app
        assert np.isclose(t0.period_surplus - t1.period_surplus, expected, rtol=1e-9)
    for m in first.values():
        for _ in range(10):
            m.step()

    def fit(m: CommunityModel) -> float:
        st = m.students
        rows = np.flatnonzero((st.status[: st.n] == ENROLLED) & (st.host[: st.n] >= 0))
        return float(skill_match(st.skills[rows], m.D[st.host[rows]]).mean())

    assert fit(first[0.5]) > fit(first[0.0]) + 0.005
    for m in first.values():
        m.release()


def test_priority_at_placement_fills_members_places_before_other_partners():
    from community_sim.policies import terms

    got = {}
    for prio in (False, True):
        got[prio] = []
        for seed in range(6):
            m = CommunityModel(seed=seed, policy="integrated", placement_priority=prio,
                               n_leading=12, n_smes=0, n_schools=1)  # fmt: skip
            m.p["college_coordination_capacity"] = 4  # the college can place only 4 now
            m.registry._terms_by_kind = {**m.registry._terms_by_kind,
                                         "project": terms("project", m.p)}  # fmt: skip
            ties = m.active_ties
            assert len(ties) > 3
            for tie in ties[:-1]:  # all but one leave the council for a project contract
                tie.kind = "project"
                m.registry.refresh(tie.enterprise)
            m.step()
            got[prio].append(ties[-1].placements_hosted)
            m.release()
    on, off = np.array(got[True]), np.array(got[False])
    assert (on == 4).all() and (on >= off).all() and on.sum() > off.sum()
