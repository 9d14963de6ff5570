"""Model-level checks of the Model 3 outcomes against counts made apart from metrics."""

import sys
from collections import defaultdict

import numpy as np
import pytest

from community_sim import CommunityModel
from community_sim.agents.partnership import Partnership
from community_sim.metrics import SURVIVAL_HORIZON_MONTHS
from community_sim.processes import hire_ledger

SMALL = {"horizon_months": 60, "burn_in_months": 12}


def _run(params: dict, seed: int) -> CommunityModel:
    model = CommunityModel(seed=seed, **params)
    for _ in range(int(model.p["horizon_months"])):
        model.step()
    return model


@pytest.mark.parametrize("policy", ["project", "integrated"])
def test_pooled_cost_per_hire_is_the_hire_weighted_mean_of_the_sources(policy):
    model = _run({"policy": policy}, seed=2)
    out = model.outcomes()
    # Hires per source counted from the monthly series, not from the hire ledger.
    s = model.series_frame().iloc[int(model.p["burn_in_months"]) :]
    n = {src: float(s[f"hires_{src}"].sum()) for src in ("own", "partner", "external")}
    assert all(v > 0 for v in n.values())
    weighted = sum(n[k] * out[f"trial_error_cost_per_hire_weeks_{k}"] for k in n) / sum(n.values())
    assert out["trial_error_cost_per_hire_weeks"] == pytest.approx(weighted, rel=1e-12)
    # Trainees cost least to hire, the external market most (no search for own trainees).
    by = [out[f"trial_error_cost_per_hire_weeks_{k}"] for k in ("own", "partner", "external")]
    assert by == sorted(by)


class _Ledger:
    """Stands in for ``Partnership.surplus_enterprise`` and logs every change by month and
    by the function that made it: a hand count of the ties' ledgers."""

    def __init__(self, log: list, clock: list) -> None:
        self.log, self.clock = log, clock

    def __get__(self, tie, owner=None):
        return self if tie is None else tie.__dict__.get("_ledger", 0.0)

    def __set__(self, tie, value) -> None:
        old = tie.__dict__.get("_ledger", 0.0)
        tie.__dict__["_ledger"] = value
        who = sys._getframe(1).f_code.co_name
        self.log.append((self.clock[0].month if self.clock else 0, who, value - old))


def test_firm_return_matches_a_hand_count_of_every_tie_ledger_entry(monkeypatch):
    log: list = []
    clock: list = []
    monkeypatch.setattr(Partnership, "surplus_enterprise", _Ledger(log, clock))
    bonuses: list = []
    cost = hire_ledger.cost

    def costing(*args, **kw):
        out = cost(*args, **kw)
        ties = args[2]  # the firms' tie arrays: retention bonuses of firms in a tie count
        bonuses.append((clock[0].month, float(out[4][ties.kind > 0].sum())))
        return out

    monkeypatch.setattr(hire_ledger, "cost", costing)
    params = {**SMALL, "policy": "integrated"}
    model = CommunityModel(seed=4, **params)
    clock.append(model)
    for _ in range(60):
        model.step()
    lo, steps = 12, 60
    entries = [d for m, _, d in log if m >= lo]
    paid = sum(b for m, b in bonuses if m >= lo)
    # Tie-months of the window from the spells' own start and end.
    months = sum(
        max(0, min(steps if t.active else t.end, steps) - max(t.start, lo))
        for t in model.partnerships
    )
    assert months > 0 and paid > 0
    want = (sum(entries) + paid) / (months / 12.0)
    out = model.outcomes()
    assert out["firm_return_per_tie_year"] == pytest.approx(want, rel=1e-9)
    # The old ledger per apprentice leaves out the hiring side, which pays.
    by: dict[str, float] = defaultdict(float)
    for m, who, d in log:
        if m >= lo:
            by[who] += d
    assert by["book"] > 0  # hire credits
    assert out["firm_return_per_tie_year"] != pytest.approx(
        out["enterprise_net_benefit_per_apprentice"]
    )


def _km(durations, events, t):
    """A plain product-limit estimate at t (reference for the model-level check)."""
    s = 1.0
    for u in sorted({d for d, e in zip(durations, events, strict=True) if e and d <= t}):
        at_risk = sum(d >= u for d in durations)
        ended = sum(d == u and e for d, e in zip(durations, events, strict=True))
        s *= 1 - ended / at_risk
    return s


def test_censoring_moves_raises_partnership_survival_when_firms_move():
    raised = 0
    for seed in range(4):
        model = _run({"policy": "integrated"}, seed=seed)
        steps = model.recorder.month
        dur = [(steps if t.active else t.end) - t.start for t in model.partnerships]
        why = [t.history[-1][1] if not t.active else "" for t in model.partnerships]
        moved = sum(
            w == "switch" and d < SURVIVAL_HORIZON_MONTHS for w, d in zip(why, dur, strict=True)
        )
        censored = _km(dur, [w not in ("", "switch") for w in why], SURVIVAL_HORIZON_MONTHS)
        as_ended = _km(dur, [w != "" for w in why], SURVIVAL_HORIZON_MONTHS)
        out = model.outcomes()["partnership_survival_5y"]
        assert out == pytest.approx(censored, rel=1e-12)
        if moved:
            assert censored > as_ended
            raised += 1
    assert raised >= 2, "too few runs in which a firm moved to test the censoring"


def test_cooperation_survival_matches_runs_of_months_in_any_tie():
    model = _run({"policy": "integrated"}, seed=1)
    kinds = model.recorder.tie_kind
    s = model.series_frame()
    # The recorded tie kinds agree with the monthly counts of ties.
    assert (np.count_nonzero(kinds == 2, axis=1) == s["ties_integrated"].to_numpy()).all()
    assert (np.count_nonzero(kinds == 1, axis=1) == s["ties_project"].to_numpy()).all()
    # Cooperation spells by hand: each firm's runs of months in some tie, with any college.
    steps = kinds.shape[0]
    dur, ended = [], []
    for col in (kinds > 0).T:
        padded = np.concatenate([[False], col, [False]]).astype(int)
        starts = np.flatnonzero(np.diff(padded) == 1)
        stops = np.flatnonzero(np.diff(padded) == -1)
        dur += (stops - starts).tolist()
        ended += (stops < steps).tolist()
    assert any(ended)
    want = _km(dur, ended, SURVIVAL_HORIZON_MONTHS)
    assert model.outcomes()["cooperation_survival_5y"] == pytest.approx(want, rel=1e-12)
