"""Each ingredient of integration feeds one mechanism, stops it when switched off, and is priced.

Every check compares a run with the ingredient off against a project run on the same
seed (where the ingredient is the only difference, they must agree exactly) or
against arithmetic done here from the parameters.
"""

import numpy as np
import pytest

from community_sim import CommunityModel, run
from community_sim.agents.student import ENROLLED
from community_sim.mechanics.skills import skill_match
from community_sim.params import PARAMS
from community_sim.params.integration import INGREDIENTS, all_off

LEADING_ONLY = dict(n_leading=6, n_smes=0, n_schools=2)  # every firm joins, both policies


def _stepped(months: int, seed: int = 1, **params) -> CommunityModel:
    m = CommunityModel(seed=seed, **params)
    for _ in range(months):
        m.step()
    return m


def test_every_ingredient_has_a_declared_switch_and_priced_resources(capsys):
    from community_sim.cli import main

    for ing in INGREDIENTS.values():
        assert ing.switch in PARAMS
        assert all(c in PARAMS for c in ing.costs)
        PARAMS[ing.switch].check(ing.off)  # the off value is a legal value
    assert main(["params"]) == 0
    out = capsys.readouterr().out
    for ing in INGREDIENTS.values():
        line = next(ln for ln in out.splitlines() if ln.startswith(ing.name + " "))
        assert ing.switch in line and all(c in line for c in ing.costs)


# Written out here, apart from the ingredient table, as the expected result of it.
SWITCHED = {
    "codesign_rate": 0.7,
    "rotation_share": 0.2,
    "council_noise_factor": 0.6,
    "masters_hours_per_place": 3.0,
    "council_placement_discount": 0.4,
    "first_right_to_hire": True,
    "screening_tenure_rate": 0.3,
    "member_module_share": 0.1,
    "placement_priority": True,
    "cofunding_share": 0.1,
}
PER_FIRM_ARRAY = {  # array: (switch, its value without a council tie)
    "f_codesign": ("codesign_rate", 0.0),
    "f_rotation": ("rotation_share", 0.0),
    "f_noise": ("council_noise_factor", 1.0),
    "f_masters": ("masters_hours_per_place", 0.0),
    "f_discount": ("council_placement_discount", 0.0),
    "f_first": ("first_right_to_hire", False),
}
TERM = {  # TieTerms field: switch
    "codesign_rate": "codesign_rate",
    "rotation_share": "rotation_share",
    "noise_factor": "council_noise_factor",
    "masters_hours_per_place": "masters_hours_per_place",
    "placement_discount": "council_placement_discount",
    "first_right_to_hire": "first_right_to_hire",
    "screening_tenure_rate": "screening_tenure_rate",
    "module_share": "member_module_share",
    "placement_priority": "placement_priority",
    "cofunding_share": "cofunding_share",
}


def test_tie_terms_and_per_firm_arrays_carry_each_switch_and_are_off_without_a_council():
    m = CommunityModel(seed=1, policy="integrated", **SWITCHED)
    members = m.f_council
    assert members.any() and not members.all()  # SMEs left out give firms without a tie
    for array, (switch, off) in PER_FIRM_ARRAY.items():
        values = getattr(m, array)
        assert (values[members] == SWITCHED[switch]).all(), array
        assert (values[~members] == off).all(), array
    member = m.registry.terms_of(m.active_ties[0])
    project = CommunityModel(seed=1, policy="project", **SWITCHED)
    contract = project.registry.terms_of(project.active_ties[0])
    for term, switch in TERM.items():
        assert getattr(member, term) == SWITCHED[switch]
        assert getattr(contract, term) == next(
            (off for s, off in PER_FIRM_ARRAY.values() if s == switch), 0.0
        )
    assert not project.f_council.any() and (project.f_noise == 1.0).all()
    ent = m.active_ties[0].enterprise
    ent.tie = None  # the tie ends: the firm's entries fall back to off
    m.registry.refresh(ent)
    assert not m.f_council[ent.idx] and m.f_noise[ent.idx] == 1.0 and not m.f_first[ent.idx]
    for x in (m, project):
        x.release()


def test_masters_raise_learning_in_college_only_when_hours_are_supplied():
    def stage1_skills(policy: str, hours: float) -> np.ndarray:
        m = _stepped(1, policy=policy, masters_hours_per_place=hours, **LEADING_ONLY)
        st = m.students
        rows = np.flatnonzero((st.status[: st.n] == ENROLLED) & (st.month[: st.n] == 1))
        skills = st.skills[rows].copy()
        m.release()
        return skills

    project = stage1_skills("project", 2.0)
    assert np.array_equal(stage1_skills("integrated", 0.0), project)
    assert stage1_skills("integrated", 4.0).sum() > project.sum()


def test_masters_hours_are_paid_at_the_members_wage():
    from community_sim.processes.council import annual_cost

    m = CommunityModel(seed=1, policy="integrated", masters_hours_per_place=3.0, **LEADING_ONLY)
    tie = m.active_ties[0]
    ent = tie.enterprise
    with_hours, _ = annual_cost(m.firms, ent.idx, m.registry.terms_of(tie), 3, m.government, m.p)
    off = CommunityModel(seed=1, policy="integrated", masters_hours_per_place=0.0, **LEADING_ONLY)
    without, _ = annual_cost(
        off.firms, ent.idx, off.registry.terms_of(off.active_ties[0]), 3, off.government, off.p
    )
    hours_a_year = 3.0 * ent.capacity * 12
    wage_per_hour = 6000.0 / (40 * 52 / 12)
    assert np.isclose(with_hours - without, hours_a_year * wage_per_hour, rtol=1e-12)
    m.release()
    off.release()


def test_screening_lowers_the_noise_of_placement_picks_and_only_then():
    def placed(policy: str, factor: float, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
        # No convening: a convened firm joins its group's college, so hosts would differ.
        m = _stepped(
            1, seed=seed, policy=policy, council_noise_factor=factor, masters_hours_per_place=0.0,
            aptitude_sd=0.5, council_convening=False, **LEADING_ONLY,
        )  # fmt: skip
        st = m.students
        rows = np.flatnonzero((st.status[: st.n] == ENROLLED) & (st.host[: st.n] >= 0))
        true_fit = skill_match(st.skills[rows], m.D[st.host[rows]]) * np.minimum(
            st.aptitude[rows], 1.0
        )
        m.release()
        return rows, true_fit

    project, _ = placed("project", 0.3)
    assert np.array_equal(placed("integrated", 1.0)[0], project)  # off: the same picks
    # Members who see performance without noise pick apprentices who truly fit better.
    gain = [placed("integrated", 0.0, s)[1].mean() - placed("project", 0.3, s)[1].mean()
            for s in (1, 2, 3)]  # fmt: skip
    assert min(gain) > 0.0


def test_codesign_moves_curricula_toward_members_and_only_when_on():
    base = dict(council_placement_discount=0.0, tech_drift=0.2, **LEADING_ONLY)
    proj = _stepped(24, policy="project", **base)
    off = _stepped(24, policy="integrated", codesign_rate=0.0, **base)
    on = _stepped(24, policy="integrated", codesign_rate=2.0, **base)
    assert np.array_equal(off.C, proj.C)
    for m in (on, proj):
        m.fit = np.mean(  # members' demand met by their college's curriculum
            [skill_match(m.C[t.school.idx], m.D[t.enterprise.idx]) for t in on.active_ties]
        )
    assert on.fit > proj.fit + 0.01
    for m in (proj, off, on):
        m.release()


def test_rotation_trains_stage2_apprentices_toward_the_council_and_costs_the_host():
    base = dict(policy="integrated", masters_hours_per_place=0.0, **LEADING_ONLY)
    runs = {share: _stepped(11, rotation_share=share, **base) for share in (0.0, 1.0)}

    def lean(m: CommunityModel) -> float:
        # Toward the union of members' demand (the most any member requires), not the host's.
        mean = np.stack([m.D[m.f_council & (m.firm_school == i)].max(axis=0)
                         for i in range(len(m.schools))])  # fmt: skip
        st = m.students
        rows = np.flatnonzero((st.status[: st.n] == ENROLLED) & (st.host[: st.n] >= 0))
        rows = rows[m.stage_of(st.month[rows]) == 2]
        council = skill_match(st.skills[rows], mean[st.school[rows]])
        own = skill_match(st.skills[rows], m.D[st.host[rows]])
        return float(np.mean(council - own))

    assert lean(runs[1.0]) > lean(runs[0.0]) + 0.005
    for m in runs.values():
        m.release()
    # Month 0: same picks and skills, so the hosts' ledgers differ by the hand-over cost only.
    first = {s: _stepped(1, rotation_share=s, **base) for s in (0.0, 1.0)}
    for t0, t1 in zip(first[0.0].active_ties, first[1.0].active_ties, strict=True):
        n_app = t0.period_started  # placed this September, all in stage 2
        expected = 0.03 * 6000.0 * 1.0 * n_app
        assert np.isclose(t0.period_surplus - t1.period_surplus, expected, rtol=1e-9)
    for m in first.values():
        m.release()


def test_teacher_placements_cost_members_and_keep_currency_up_only_when_on():
    # The college's budget binds, so the members' share buys placements it could not.
    # (Members expect their share in the cost of joining: at the default placement rate
    # it is worth carrying; at five times the rate no firm would join and nothing changes.)
    base = dict(
        college_budget_annual=30000.0, college_tie_cost_annual=0.0, tech_drift=0.2,
        **LEADING_ONLY,
    )  # fmt: skip
    proj = _stepped(12, policy="project", **base)
    off = _stepped(12, policy="integrated", council_placement_discount=0.0, **base)
    on = _stepped(12, policy="integrated", council_placement_discount=0.8, **base)
    assert on.f_council.all()  # every firm a member carrying its share
    assert np.array_equal(off.theta, proj.theta)
    assert (on.theta > proj.theta + 0.01).all()
    for m in (proj, off, on):
        m.release()


def test_first_right_to_hire_orders_members_first_only_when_on():
    from community_sim.processes.recruiting import pick_order

    mixed = CommunityModel(seed=1, policy="project", **LEADING_ONLY)
    firms = np.array([tie.enterprise.idx for tie in mixed.active_ties])
    mixed.f_first[firms[-1]] = True  # as a member with the first right
    assert pick_order(mixed.terms, firms, mixed.rng)[0] == firms[-1]
    assert sorted(pick_order(mixed.terms, firms, mixed.rng).tolist()) == sorted(firms.tolist())
    off = CommunityModel(seed=1, policy="integrated", first_right_to_hire=False, **LEADING_ONLY)
    on = CommunityModel(seed=1, policy="integrated", **LEADING_ONLY)
    assert not off.f_first.any() and on.f_first[on.firm_school >= 0].all()
    for m in (mixed, off, on):
        m.release()


def test_cofunding_pays_its_share_of_the_council_and_nothing_when_off():
    base = dict(
        policy="integrated", subsidy_per_apprentice_month=0.0, retention_bonus=0.0,
        integration_tax_credit=0.0, horizon_months=12, convening_cost_annual=0.0,
        **LEADING_ONLY,
    )  # fmt: skip
    for share in (0.0, 0.4):
        m = _stepped(1, cofunding_share=share, **base)
        n = np.bincount(m.firm_school[m.f_council], minlength=len(m.schools))
        fixed, member, setup = PARAMS["governance_cost_annual"].default, 4000.0, 10000.0
        committees = 3000.0 + 2000.0  # co-design and screening, both on by default
        # At joining (the start-up, in month 0): set-up and a year's own fees in advance;
        # in month 0 itself: a month of the running cost and of masters' hours.
        joining = sum(k * (setup + member + committees) + (fixed / 12.0 if k else 0.0) for k in n)
        hours = 2.0 * m.cap[m.f_council] * 6000.0 / (40 * 52 / 12)
        expected = share * (joining + hours.sum())
        assert np.isclose(m.government.spent_month, expected, rtol=1e-9, atol=1e-9)
        m.release()


@pytest.mark.slow
def test_with_every_ingredient_off_and_equal_costs_the_policies_agree_exactly():
    zero = dict(
        renegotiation_cost=0.0, integration_setup_cost=0.0, governance_cost_annual=0.0,
        council_member_cost_annual=0.0, council_term_months=12, council_exit_fee=0.0,
        integration_tax_credit=0.0, convening_share=0.0, council_convening=False,
        tenure_cost_decline=0.0,  # council-only, off
        membership_surplus_prior=0.0, membership_prior_sd=0.0,  # no belief favours either form
    )  # fmt: skip
    for seed in (3, 4):
        a = run({**all_off(), **zero, "policy": "project"}, seed=seed).outcomes
        b = run({**all_off(), **zero, "policy": "integrated"}, seed=seed).outcomes
        assert a == b
    # With the ties' own costs back, the policies differ (costs and review cycle remain).
    a = run({**all_off(), "policy": "project"}, seed=3).outcomes
    b = run({**all_off(), "policy": "integrated"}, seed=3).outcomes
    assert a != b


def test_screening_also_sharpens_members_choice_of_graduates_to_hire():
    from community_sim.agents.student import PARTNER

    def partner_weeks(factor: float) -> float:
        m = _stepped(
            48, policy="integrated", council_noise_factor=factor, aptitude_sd=0.5,
            masters_hours_per_place=0.0, horizon_months=48, **LEADING_ONLY,
        )  # fmt: skip
        rec = m.recorder
        src = np.concatenate(rec.hire_source)
        weeks = np.concatenate(rec.hire_weeks)[src == PARTNER].mean()
        m.release()
        return float(weeks)

    # Less noise: the graduates members pick fit better, so their hires cost less.
    assert partner_weeks(0.0) < partner_weeks(1.0)
