"""Directional technical change: new competencies emerge, firms follow, co-design keeps up."""

import math

import numpy as np
import pytest

from community_sim.mechanics.skills import LEVEL_LOW, demand_profiles, drift_step
from community_sim.model import CommunityModel
from community_sim.params import validate_params
from community_sim.processes import labour_market, technology
from community_sim.runner import run
from community_sim.state import Firms, Technology

ON = {"emergence_rate": 0.3, "emerging_share": 0.25, "emergence_timing_sd_months": 12.0}


# The technology process as it was before competencies could emerge (a fixed set of K).
def _fixed_create(p, n_firms, horizon, rng):
    k = int(p["n_skills"])
    pre = max(int(p["curriculum_lag_months"]), int(p["external_skill_vintage_months"])) + 1
    history = np.zeros((pre + horizon + 1, k))
    sector = rng.uniform(0.3, 0.8, k)
    niche = float(p["firm_divergence"]) * 0.3 * rng.standard_normal((n_firms, k))
    deviation = np.zeros((n_firms, k))
    for h in range(pre):
        history[h] = sector
        sector, deviation = drift_step(
            sector, deviation, float(p["tech_drift"]), float(p["drift_firm_share"]), rng
        )
    history[pre] = sector
    return Technology(sector, history, pre), niche, deviation


def _fixed_drift(tech, firms, p, rng, month):
    tech.sector, firms.deviation = drift_step(
        tech.sector, firms.deviation, float(p["tech_drift"]), float(p["drift_firm_share"]), rng
    )
    tech.history[tech.pre + month] = tech.sector
    firms.demand = demand_profiles(tech.sector, firms.niche, firms.deviation)


def _same(a, b):
    assert a.outcomes.keys() == b.outcomes.keys()
    for k, v in a.outcomes.items():
        assert v == b.outcomes[k] or (math.isnan(v) and math.isnan(b.outcomes[k])), k
    assert a.series.equals(b.series)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_without_emergence_the_model_is_the_fixed_set_model(seed, monkeypatch):
    off = run({"policy": "integrated", "emergence_rate": 0.0, "emerging_share": 0.5}, seed=seed)
    none_new = run(
        {"policy": "integrated", "emergence_rate": 0.5, "emerging_share": 0.05}, seed=seed
    )
    monkeypatch.setattr(technology, "create", _fixed_create)
    monkeypatch.setattr(technology, "drift", _fixed_drift)
    fixed = run({"policy": "integrated"}, seed=seed)
    _same(off, fixed)
    _same(none_new, fixed)


def _phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _expected_adoption(months: float, rate: float, sd: float) -> float:
    """E[1 − exp(−λ(n + τ))] over n + τ > 0, τ ~ N(0, sd²), λ = rate/12 (closed form)."""
    lam = rate / 12.0
    return _phi(months / sd) - math.exp(-lam * months + 0.5 * (lam * sd) ** 2) * _phi(
        months / sd - lam * sd
    )


def _system(over, n_smes=4000):
    p = validate_params({"n_smes": n_smes, **over})
    rng = np.random.default_rng(11)
    n_f = int(p["n_leading"]) + n_smes
    tech, niche, deviation = technology.create(p, n_f, 120, rng)
    firms = Firms.create(p, tech, niche, deviation, 120, np.random.default_rng(12))
    return p, tech, firms, rng


def test_demand_weight_moves_into_new_competencies_at_the_stated_rate():
    on, off = _system(ON), _system({"emergence_rate": 0.0})
    rate, sd = ON["emergence_rate"], ON["emergence_timing_sd_months"]
    shares = []
    for month in range(121):
        if month:
            for p, tech, firms, rng in (on, off):
                technology.drift(tech, firms, p, rng, month - 1)
        d_on, d_off = on[2].demand, off[2].demand
        assert np.array_equal(d_on[:, :-2], d_off[:, :-2])  # established ones as without
        if month % 12:
            continue
        # firms: the emerging requirement, as a share of the way from the lowest level to the
        # level the same drift gives without emergence, averages the adoption curve over
        # the firms' normal timing
        adopted = (d_on[:, -2:] - LEVEL_LOW).sum() / (d_off[:, -2:] - LEVEL_LOW).sum()
        assert adopted == pytest.approx(_expected_adoption(month, rate, sd), abs=0.01)
        # the sector itself adopts on the curve from month 0
        s_on, s_off = on[1].sector, off[1].sector
        sector_adopted = (s_on[-2:] - LEVEL_LOW) / (s_off[-2:] - LEVEL_LOW)
        assert sector_adopted == pytest.approx([1.0 - math.exp(-rate * month / 12.0)] * 2)
        shares.append((d_on[:, -2:].sum(1) / d_on.sum(1)).mean())
    assert shares[0] < 0.1 < shares[-1]
    assert np.all(np.diff(shares[:6]) > 0)  # the weight on new competencies rises


def test_external_hires_are_trained_on_the_old_profile():
    m = CommunityModel(seed=4, **ON)
    ref = CommunityModel(seed=4, emergence_rate=0.0)
    try:
        for _ in range(60):
            m.step()
            ref.step()
        month = m.month - 1
        _, vintage = labour_market.expected_external(m.market, m.tech, m.firms, m.p, month)
        lag = int(m.p["external_skill_vintage_months"])
        assert np.array_equal(vintage, m.tech.at(month - lag))
        mature = ref.tech.at(month - lag)  # the same drift, nothing emerging
        share = (vintage[-2:] - LEVEL_LOW) / (mature[-2:] - LEVEL_LOW)
        assert share == pytest.approx([1.0 - math.exp(-0.3 * (month - lag + 1) / 12.0)] * 2)
        now = (m.tech.sector[-2:] - LEVEL_LOW) / (ref.tech.sector[-2:] - LEVEL_LOW)
        assert now == pytest.approx([1.0 - math.exp(-0.3 * (month + 1) / 12.0)] * 2)
        assert np.all(share < now)  # two years behind the sector's adoption
    finally:
        m.release()
        ref.release()


def test_both_policies_face_the_same_new_competencies():
    a = CommunityModel(seed=5, policy="project", **ON)
    b = CommunityModel(seed=5, policy="integrated", **ON)
    try:
        for _ in range(48):
            a.step()
            b.step()
        assert np.array_equal(a.tech.history, b.tech.history)
        assert np.array_equal(a.firms.demand, b.firms.demand)
    finally:
        a.release()
        b.release()


def test_the_new_share_of_the_profile_is_rounded_and_leaves_an_established_one():
    for k, share, new in ((8, 0.25, 2), (8, 0.05, 0), (2, 0.5, 1), (3, 0.5, 2), (32, 0.5, 16)):
        assert technology.n_emerging({"n_skills": k, "emerging_share": share}) == new
    m = CommunityModel(seed=0, emergence_rate=0.2, emerging_share=0.5, n_skills=2)
    try:
        m.step()
        assert m.tech.emergence is not None and m.tech.emergence.first == 1
    finally:
        m.release()


def test_codesign_keeps_up_with_new_competencies_better_than_the_public_signal():
    # Paired seeds: the rise of the curriculum gap that new competencies cause (emergence
    # on − off, mean over months 24–119), with members co-designing the curriculum and
    # with every college following the lagged public signal (codesign_rate = 0).
    rise = {}
    for seed in range(8):
        for codesign in (1.0, 0.0):
            gap = [
                run(
                    {"policy": "integrated", "codesign_rate": codesign, "emergence_rate": r},
                    seed=seed,
                )
                .series["curriculum_gap"]
                .to_numpy()[24:]
                .mean()
                for r in (0.2, 0.0)
            ]
            rise[seed, codesign] = gap[0] - gap[1]
    with_cd = np.array([rise[s, 1.0] for s in range(8)])
    without = np.array([rise[s, 0.0] for s in range(8)])
    assert np.all(without > 0)  # a fixed curriculum falls behind the new competencies
    diff = with_cd - without
    assert np.count_nonzero(diff < 0) >= 7
    assert diff.mean() + 2.365 * diff.std(ddof=1) / math.sqrt(8) < 0  # paired t, 95 %
