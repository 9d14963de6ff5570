from types import SimpleNamespace

import numpy as np
import pytest

from community_sim.agents.student import EXTERNAL, OWN, PARTNER
from community_sim.metrics import (
    cost_per_hire_by_source,
    kaplan_meier,
    restricted_mean,
    survival_at,
)
from community_sim.survival import (
    cooperation_spells,
    partnership_spells,
    survival_or_nan,
    tie_spells,
)


def test_kaplan_meier_matches_a_hand_computed_example():
    # Durations 2, 3+, 4, 4, 6+: at t=2 5 at risk, 1 event; at t=4 3 at risk, 2 events.
    d = np.array([2.0, 3.0, 4.0, 4.0, 6.0])
    e = np.array([True, False, True, True, False])
    times, surv = kaplan_meier(d, e)
    assert times.tolist() == [2.0, 4.0]
    assert surv == pytest.approx([0.8, 0.8 * (1 - 2 / 3)])
    assert survival_at(times, surv, 1.0) == 1.0
    assert survival_at(times, surv, 5.0) == pytest.approx(0.8 / 3)
    # Area: 1*2 + 0.8*2 + (0.8/3)*2 on [0, 6].
    assert restricted_mean(times, surv, 6.0) == pytest.approx(2 + 1.6 + 1.6 / 3)


def test_all_censored_spells_survive():
    times, surv = kaplan_meier(np.array([5.0, 70.0]), np.array([False, False]))
    assert survival_at(times, surv, 60.0) == 1.0
    assert restricted_mean(times, surv, 80.0) == pytest.approx(80.0)


# --- Survival of ties and of cooperation ------------------------------------------------
def _spell(firm: int, start: int, end: int = -1, why: str = "") -> SimpleNamespace:
    history = [(start, "start project")] + ([(end, why)] if end >= 0 else [])
    return SimpleNamespace(
        enterprise=SimpleNamespace(idx=firm), start=start, end=end, active=end < 0, history=history
    )


def test_kaplan_meier_matches_the_textbook_six_mp_example():
    # Freireich et al. (1963) 6-MP arm, remission weeks (+ censored); product-limit values as
    # tabulated by Kleinbaum & Klein (2012) Survival Analysis, 3rd ed., table 2.2.
    weeks = "6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+".split()
    d = np.array([float(w.rstrip("+")) for w in weeks])
    e = np.array([not w.endswith("+") for w in weeks])
    times, surv = kaplan_meier(d, e)
    assert times.tolist() == [6, 7, 10, 13, 16, 22, 23]
    assert surv == pytest.approx([0.8571, 0.8067, 0.7529, 0.6902, 0.6275, 0.5378, 0.4482], abs=1e-4)


def test_a_move_to_another_college_is_censored_not_a_failure():
    # Ties of 10 (exit), 20 (switch), 30 (exit) months and one open at 40 months.
    spells = [_spell(0, 0, 10, "exit"), _spell(1, 0, 20, "switch"), _spell(2, 0, 30, "exit"),
              _spell(3, 0)]  # fmt: skip
    dur, ev = partnership_spells(spells, steps=40)
    assert dur.tolist() == [10, 20, 30, 40] and ev.tolist() == [True, False, True, False]
    # Moves censored: 1 - 1/4 at t=10; at t=30 two at risk, one ends: 0.75 * 1/2.
    assert survival_or_nan(dur, ev, 35.0) == pytest.approx(0.375)
    # Moves counted as endings: 3/4 * 2/3 * 1/2.
    assert survival_or_nan(*tie_spells(spells, 40), 35.0) == pytest.approx(0.25)
    # A change of form at the same college continues the tie: no closing, no event.
    converted = _spell(4, 0)
    converted.history.append((12, "convert"))
    assert partnership_spells([converted], 40)[1].tolist() == [False]


def test_cooperation_continues_across_a_move_and_ends_without_a_tie():
    spells = [
        _spell(0, 0, 12, "switch"), _spell(0, 12, 30, "exit"), _spell(0, 40),  # firm 0
        _spell(1, 5, 25, "exit"),  # firm 1
        _spell(2, 3, 9, "switch"), _spell(2, 9, 20, "switch"), _spell(2, 20),  # firm 2
    ]  # fmt: skip
    dur, ev = cooperation_spells(spells, steps=100)
    got = sorted(zip(dur.tolist(), ev.tolist(), strict=True))
    assert got == [(20.0, True), (30.0, True), (60.0, False), (97.0, False)]
    # At t=20 four at risk, one ends; at t=30 three at risk, one ends: S(60) = 3/4 * 2/3.
    assert survival_or_nan(dur, ev, 60.0) == pytest.approx(0.5)


def test_survival_is_undefined_without_follow_up():
    assert np.isnan(survival_or_nan(np.zeros(0), np.zeros(0, dtype=bool), 60.0))
    # Half still in at 20 months, nobody followed further: S(60) is not identified.
    assert np.isnan(survival_or_nan(np.array([10.0, 20.0]), np.array([True, False]), 60.0))
    # Everybody ended by 20 months: S(60) = 0 is known.
    assert survival_or_nan(np.array([10.0, 20.0]), np.array([False, True]), 60.0) == 0.0


# --- Cost per hire by source: Simpson's paradox ------------------------------------------
def test_pooled_cost_can_rise_while_every_source_gets_cheaper():
    # Project: 10 own hires at 6 weeks, 10 partner at 12, 80 external at 17 (pooled 15.4).
    # Integrated: 2 own at 5.8, 3 partner at 12.2, 95 external at 16.9: cheaper from
    # every source, dearer pooled ((11.6 + 36.6 + 1605.5) / 100 = 16.537), fewer trained.
    def ledger(n: tuple[int, int, int], w: tuple[float, float, float]) -> tuple:
        source = np.repeat([OWN, PARTNER, EXTERNAL], n)
        return source, np.repeat(w, n).astype(float)

    proj = ledger((10, 10, 80), (6.0, 12.0, 17.0))
    integ = ledger((2, 3, 95), (5.8, 12.2, 16.9))
    by_p, by_i = cost_per_hire_by_source(*proj), cost_per_hire_by_source(*integ)
    for src, want_p, want_i in (("own", 6.0, 5.8), ("partner", 12.0, 12.2),
                                ("external", 17.0, 16.9)):  # fmt: skip
        key = f"trial_error_cost_per_hire_weeks_{src}"
        assert by_p[key] == pytest.approx(want_p) and by_i[key] == pytest.approx(want_i)
    assert by_i["trial_error_cost_per_hire_weeks_own"] < by_p["trial_error_cost_per_hire_weeks_own"]
    assert by_i["trial_error_cost_per_hire_weeks_external"] < 17.0
    assert proj[1].mean() == pytest.approx(15.4) and integ[1].mean() == pytest.approx(16.537)
    # A source without hires has no mean.
    none = cost_per_hire_by_source(np.array([EXTERNAL]), np.array([16.0]))
    assert np.isnan(none["trial_error_cost_per_hire_weeks_own"])
