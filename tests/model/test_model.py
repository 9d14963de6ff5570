import gc
import math
import weakref
from pathlib import Path

import numpy as np
import pytest

from community_sim import OUTCOMES, PARAMS, SERIES, CommunityModel, UserError, run
from community_sim.cli import main
from community_sim.params.scenarios import load_scenario

CONFIGS = sorted((Path(__file__).parents[2] / "configs").glob("*.toml"))


def test_same_seed_same_results_other_seed_differs():
    a = run({"horizon_months": 48}, seed=3)
    b = run({"horizon_months": 48}, seed=3)
    c = run({"horizon_months": 48}, seed=4)
    np.testing.assert_equal(a.outcomes, b.outcomes)  # NaN == NaN here, unlike dict ==
    assert a.series.equals(b.series)
    # compare defined values only: NaN != NaN would make any two runs "differ"
    assert any(v != c.outcomes[k] for k, v in a.outcomes.items() if math.isfinite(v))


def test_outcomes_and_series_are_complete_and_defined_when_observed():
    # 72 months: every outcome has observations (spells followed 60 months,
    # graduates of the window followed 12 months), so none may be NaN
    for policy in ("project", "integrated", "transition"):
        res = run({"policy": policy, "horizon_months": 72}, seed=1)
        assert list(res.outcomes) == list(OUTCOMES)
        assert all(math.isfinite(v) for v in res.outcomes.values()), res.outcomes
        assert list(res.series.columns) == list(SERIES)
        assert res.series.index.name == "step" and res.series.index[0] == 1
        assert len(res.series) == res.steps == 72
        s = res.series
        hires = s["hires_own"] + s["hires_partner"] + s["hires_external"]
        ties = s["ties_project"] + s["ties_integrated"]
        # per-hire and per-tie series are NaN exactly in the months without hires / ties
        for name in ("cost_per_hire_weeks", "skill_match"):
            assert (s[name].isna() == (hires == 0)).all(), name
        assert (s["mean_trust"].isna() == (ties == 0)).all()
        counts = s.drop(columns=["cost_per_hire_weeks", "skill_match", "mean_trust"])
        assert np.isfinite(counts.to_numpy()).all()


WINDOW_OUTCOMES = set(OUTCOMES) - {"mean_partnership_duration_months"}
"""Outcomes read over the post-burn-in window (the spell outcomes use the whole run)."""


def test_run_shorter_than_the_burn_in_has_undefined_window_outcomes():
    res = run(seed=0, steps=2)
    assert all(math.isnan(res.outcomes[k]) for k in WINDOW_OUTCOMES), res.outcomes


def test_model_api_for_dashboards():
    m = CommunityModel(seed=1, policy="integrated", horizon_months=24, n_schools=3,
                       n_leading=4, n_smes=20, intake_per_school=250)  # fmt: skip
    for _ in range(13):
        m.step()
    assert m.steps == 13
    assert len(m.series_frame()) == 13
    assert set(m.outcomes()) == set(OUTCOMES)
    assert len(m.enterprises) == 24 and sum(e.is_leading for e in m.enterprises) == 4
    assert all(e.headcount > 0 for e in m.enterprises)
    assert sum(s.enrolment for s in m.schools) > 2000
    for tie in m.partnerships:
        assert tie.kind in ("project", "integrated")
        assert tie.school in m.schools and tie.enterprise in m.enterprises
        assert 0 <= tie.trust <= 1 and isinstance(tie.active, bool)
    m.release()


def test_unknown_keyword_is_a_user_error():
    with pytest.raises(UserError, match="tech_drfit"):
        CommunityModel(seed=1, tech_drfit=0.1)


def test_model_is_freed_after_a_run():
    m = CommunityModel(seed=1, horizon_months=12)
    m.step()
    ref = weakref.ref(m)
    m.release()
    del m
    gc.collect()
    assert ref() is None


def test_run_frees_its_model():
    before = len(gc.get_objects())
    run({"horizon_months": 12}, seed=0)
    gc.collect()
    # type(), not isinstance(): Numba's compiled ufuncs keep dead weak proxies, on which
    # isinstance raises ReferenceError.
    assert not any(type(o) is CommunityModel for o in gc.get_objects())
    assert len(gc.get_objects()) < before + 5000


@pytest.mark.slow
@pytest.mark.parametrize("path", CONFIGS, ids=[p.name for p in CONFIGS])
def test_every_config_validates_and_runs(path):
    sc = load_scenario(path)
    res = run(sc.params, seed=0, steps=14)
    assert list(res.outcomes) == list(OUTCOMES)
    assert not any(math.isinf(v) for v in res.outcomes.values())


def test_cli_simulate_table_and_json(capsys):
    cfg = str(CONFIGS[0])
    assert main(["simulate", cfg, "--steps", "13", "--set", "policy=integrated"]) == 0
    out = capsys.readouterr().out
    assert "policy=integrated" in out and "skill_match" in out
    assert main(["simulate", cfg, "--steps", "14", "--seed", "5", "--json"]) == 0
    import json

    obj = json.loads(capsys.readouterr().out)
    assert obj["seed"] == 5 and obj["steps"] == 14 and set(obj["outcomes"]) == set(OUTCOMES)
    # 14 months < the 24-month burn-in: the window is empty and its outcomes are null, not 0
    assert {k for k, v in obj["outcomes"].items() if v is None} == WINDOW_OUTCOMES


def test_cli_simulate_bad_set_exits_2(capsys):
    assert main(["simulate", str(CONFIGS[0]), "--set", "tech_drift=7"]) == 2
    assert "tech_drift" in capsys.readouterr().err


def test_mesa_batch_run_works_on_the_model():
    import mesa

    rows = mesa.batch_run(
        CommunityModel,
        parameters={"policy": ["project", "integrated"], "horizon_months": 13, "seed": 1},
        iterations=1,
        max_steps=13,
        number_processes=1,
        data_collection_period=-1,
        display_progress=False,
    )
    assert len(rows) == 2
    assert {r["policy"] for r in rows} == {"project", "integrated"}
    assert all("ties_project" in r and "skill_match" in r for r in rows)


def test_undefined_outcomes_before_the_first_step_and_without_firms():
    m = CommunityModel(seed=0)
    assert all(math.isnan(v) for v in m.outcomes().values())
    assert len(m.series_frame()) == 0
    m.release()
    res = run({"n_leading": 0, "n_smes": 0, "horizon_months": 30, "burn_in_months": 12}, seed=0)
    o = res.outcomes
    # no firm: no tie, no hire, no apprentice; a share of zero firms is undefined
    for k in (
        "partnership_survival_5y",
        "mean_partnership_duration_months",
        "enterprise_participation",
        "trial_error_cost_per_hire_weeks",
        "early_separation_rate",
        "skill_match",
        "retention_training_firm",
        "enterprise_net_benefit_per_apprentice",
        "spend_per_retained_graduate",
        "community_cohesion",
        "sme_participation",
    ):
        assert math.isnan(o[k]), k
    # true zeros and counts: no hire costs nothing, no apprentice draws no subsidy
    assert o["trial_error_cost_total"] == 0.0 and o["government_spend"] == 0.0
    assert o["placement_coverage"] == 0.0  # students in stages 2-3, and no host for any
    assert 0.0 < o["employment_rate_6m"] <= 1.0  # graduates still find outside jobs
    assert res.series["participation"].isna().all()
    assert res.series["cost_per_hire_weeks"].isna().all()


def test_random_points_of_the_parameter_space_give_no_infinite_outcome():
    rng = np.random.default_rng(7)
    for i in range(6):
        p = {}
        for name, q in PARAMS.items():
            if q.group == "scale":
                continue
            if q.kind == "real":
                p[name] = float(rng.uniform(q.low, q.high))
            elif q.kind == "int":
                p[name] = int(rng.integers(q.low, q.high + 1))
            elif q.kind == "cat":
                p[name] = str(rng.choice(q.choices))
        res = run({**p, "horizon_months": 30}, seed=i)
        assert not any(math.isinf(v) for v in res.outcomes.values()), p
        shares = [OUTCOMES[k] for k in res.outcomes if OUTCOMES[k].unit in ("share", "0-1")]
        for o in shares:
            v = res.outcomes[o.name]
            assert math.isnan(v) or 0.0 <= v <= 1.0, (o.name, v)


def test_a_model_run_to_its_horizon_is_freed_without_release():
    m = CommunityModel(seed=2, horizon_months=12)
    while m.running:
        m.step()
    ref = weakref.ref(m)
    del m
    gc.collect()
    assert ref() is None


def test_bad_seed_is_a_user_error(capsys):
    with pytest.raises(UserError, match="seed"):
        CommunityModel(seed=-1)
    with pytest.raises(UserError, match="seed"):
        CommunityModel(seed=1.5)
    assert main(["simulate", str(CONFIGS[0]), "--seed", "-3"]) == 2
    assert "seed" in capsys.readouterr().err
