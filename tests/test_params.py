import pytest

from community_sim.errors import UserError
from community_sim.params import PARAMS, defaults, parse_assignment, validate_params
from community_sim.params.scenarios import load_scenario


def test_every_default_is_within_its_own_bounds():
    assert validate_params(defaults()) == defaults()


def test_unknown_parameter_suggests_closest_name():
    with pytest.raises(UserError, match=r"did you mean 'tech_drift'"):
        validate_params({"tech_drfit": 0.1}, source="x.toml")


def test_out_of_bounds_names_file_key_and_range():
    with pytest.raises(UserError) as err:
        validate_params({"tech_drift": 1.5}, source="x.toml")
    msg = str(err.value)
    assert msg.startswith("x.toml: key 'tech_drift': ")
    assert "[0, 0.3]" in msg and "\n" not in msg


def test_wrong_type_and_unknown_policy():
    with pytest.raises(UserError, match="not a number"):
        validate_params({"tech_drift": "fast"})
    with pytest.raises(UserError, match="choose one of project, integrated, transition"):
        validate_params({"policy": "merged"})
    with pytest.raises(UserError, match="whole number"):
        validate_params({"n_schools": 2.5})


def test_int_params_are_coerced_and_bools_are_not_numbers():
    assert validate_params({"n_schools": 5.0})["n_schools"] == 5
    with pytest.raises(UserError):
        validate_params({"n_schools": True})


def test_parse_assignment_types_values():
    assert parse_assignment("tech_drift=0.2") == ("tech_drift", 0.2)
    assert parse_assignment("policy=integrated") == ("policy", "integrated")
    with pytest.raises(UserError, match="name=value"):
        parse_assignment("tech_drift")


def test_every_param_is_documented():
    for p in PARAMS.values():
        assert p.doc and p.unit, p.name


def test_scenario_file_errors_are_one_line(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[params]\ntech_drift = \n")
    with pytest.raises(UserError, match="invalid TOML"):
        load_scenario(bad)
    bad.write_text("polcy = 'project'\n")
    with pytest.raises(UserError, match="key 'polcy': unknown key"):
        load_scenario(bad)
    with pytest.raises(UserError, match="file not found"):
        load_scenario(tmp_path / "missing.toml")
