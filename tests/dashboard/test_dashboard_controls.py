import pytest

from community_sim.dashboard.controls import CONTROLS, SEED_MAX, control_label, model_params
from community_sim.params import PARAMS, validate_params


def test_scenario_values_become_initial_values_and_the_rest_pass_through():
    params = validate_params({"policy": "integrated", "tech_drift": 0.12, "n_smes": 7})
    mp = model_params(params, seed=5)
    assert mp["seed"]["value"] == 5 and mp["seed"]["type"] == "SliderInt"
    assert mp["policy"] == {
        "type": "Select",
        "label": "Cooperation policy",
        "value": "integrated",
        "values": ["project", "integrated", "transition", "choice"],
    }
    assert mp["tech_drift"]["value"] == 0.12 and mp["tech_drift"]["type"] == "SliderFloat"
    assert mp["project_length_months"]["type"] == "SliderInt"
    assert mp["n_smes"] == 7  # fixed, not an input
    assert set(mp) == {"seed", *PARAMS}


def test_inputs_span_the_declared_bounds_and_labels_carry_units():
    mp = model_params(validate_params({}))
    for c in CONTROLS:
        p = PARAMS[c.name]
        if p.kind != "cat":
            assert (mp[c.name]["min"], mp[c.name]["max"]) == (p.low, p.high)
            assert mp[c.name]["min"] <= mp[c.name]["value"] <= mp[c.name]["max"]
    assert control_label(CONTROLS[1]) == "Technology drift (1/yr)"
    assert mp["subsidy_per_apprentice_month"]["label"].endswith("(currency/month)")


def test_large_seed_widens_the_slider_and_negative_seed_is_refused():
    assert model_params(validate_params({}), seed=5000)["seed"]["max"] == 5000
    assert model_params(validate_params({}), seed=1)["seed"]["max"] == SEED_MAX
    with pytest.raises(ValueError):
        model_params(validate_params({}), seed=-1)
