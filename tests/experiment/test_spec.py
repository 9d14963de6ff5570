"""Spec validation: every bad input is one line naming the file and the key."""

from __future__ import annotations

import pytest
from engine_helpers import write_spec

from community_sim.errors import UserError
from community_sim.experiment import load_spec

BASE = """
name = "t"
model = "analytic_models:linear"
{extra}
[design]
{design}
"""


def _load(tmp_path, design: str, extra: str = ""):
    return load_spec(write_spec(tmp_path, BASE.format(design=design, extra=extra)))


def _err(tmp_path, design: str, extra: str = "") -> str:
    with pytest.raises(UserError) as exc:
        _load(tmp_path, design, extra)
    msg = str(exc.value)
    assert "\n" not in msg and "spec.toml" in msg
    return msg


def test_unknown_design_kind_suggests_closest(tmp_path):
    msg = _err(tmp_path, 'kind = "sobl"\nn = 8')
    assert "design.kind" in msg and "did you mean 'sobol'" in msg


def test_sobol_n_not_power_of_two_names_neighbours(tmp_path):
    msg = _err(tmp_path, 'kind = "sobol"\nn = 100\n[design.parameters]\nx0 = {low=0, high=1}')
    assert "design.n" in msg and "use 64 or 128" in msg


def test_lower_not_below_upper(tmp_path):
    msg = _err(tmp_path, 'kind = "lhs"\nn = 4\n[design.parameters]\nx0 = {low=1, high=1}')
    assert "design.parameters.x0.low" in msg and "must be below" in msg


def test_replicates_below_one(tmp_path):
    msg = _err(
        tmp_path, 'kind = "lhs"\nn = 4\n[design.parameters]\nx0 = {low=0, high=1}', "replicates = 0"
    )
    assert "replicates" in msg


def test_missing_scenario_file(tmp_path):
    msg = _err(tmp_path, 'kind = "scenarios"\n[design.scenarios.a]', 'scenario = "nope.toml"')
    assert "key 'scenario'" in msg and "not found" in msg


def test_bad_model_string_is_reported(tmp_path):
    spec = write_spec(
        tmp_path,
        'name = "t"\nmodel = "no_such_module_xyz:f"\n[design]\nkind = "scenarios"\n'
        "[design.scenarios.a]\n",
    )
    with pytest.raises(
        UserError, match=r"key 'model': model 'no_such_module_xyz:f' does not import"
    ):
        load_spec(spec)


def test_unknown_factor_field_and_distribution(tmp_path):
    msg = _err(tmp_path, 'kind = "lhs"\nn = 4\n[design.parameters]\nx0 = {lo=0, high=1}')
    assert "design.parameters.x0.lo" in msg and "did you mean 'low'" in msg
    msg = _err(tmp_path, 'kind = "lhs"\nn = 4\n[design.parameters]\nx0 = {dist="normal", mean=0}')
    assert "did you mean 'norm'" in msg


def test_grid_needs_levels_for_continuous(tmp_path):
    msg = _err(tmp_path, 'kind = "grid"\n[design.parameters]\nx0 = {low=0, high=1}')
    assert "design.parameters.x0.levels" in msg


def test_fast_n_must_exceed_4m2(tmp_path):
    msg = _err(tmp_path, 'kind = "fast"\nn = 64\n[design.parameters]\nx0 = {low=0, high=1}')
    assert "4·m² = 64" in msg


def test_unknown_top_level_key(tmp_path):
    msg = _err(
        tmp_path, 'kind = "lhs"\nn = 4\n[design.parameters]\nx0 = {low=0, high=1}', "replicate = 3"
    )
    assert "key 'replicate'" in msg


def test_free_parameter_names_for_function_models(tmp_path):
    spec = _load(tmp_path, 'kind = "lhs"\nn = 4\n[design.parameters]\nanything = {low=0, high=1}')
    assert [f.name for f in spec.design.factors] == ["anything"]


def test_spec_hash_tracks_content(tmp_path):
    a = _load(tmp_path, 'kind = "lhs"\nn = 4\n[design.parameters]\nx0 = {low=0, high=1}')
    b = _load(tmp_path, 'kind = "lhs"\nn = 5\n[design.parameters]\nx0 = {low=0, high=1}')
    c = _load(tmp_path, 'kind = "lhs"\nn = 4\n[design.parameters]\nx0 = {low=0, high=1}')
    assert a.spec_hash() == c.spec_hash() != b.spec_hash()


def test_morris_refuses_unbounded_distributions(tmp_path):
    msg = _err(
        tmp_path,
        'kind = "morris"\nn = 4\n[design.parameters]\nx0 = {dist="norm", mean=0, sd=1}',
    )
    assert "design.parameters.x0" in msg and "Morris" in msg
