"""Designs and factors: sizes, sample order, integer flooring, distributions, seeds."""

from __future__ import annotations

import numpy as np
import pytest
from engine_helpers import write_spec

from community_sim.experiment import build_design, load_spec, run_seed
from community_sim.experiment.factors import Factor


def _spec(tmp_path, design: str):
    body = f'name = "d"\nmodel = "analytic_models:linear"\nseed = 5\n[design]\n{design}'
    return load_spec(write_spec(tmp_path, body))


def test_integer_factor_is_floored_on_half_open_range():
    f = Factor("k", "int", 1.0, 3.0)
    u = np.array([0.0, 0.33, 0.34, 0.66, 0.67, 0.999999])
    assert f.from_unit(u).tolist() == [1, 1, 2, 2, 3, 3]
    # each integer gets a third of the unit interval (rounding would give the ends a sixth)
    counts = np.bincount(f.from_unit(np.linspace(0, 1, 3000, endpoint=False)))
    assert counts[1:].tolist() == [1000, 1000, 1000]


def test_categorical_and_distribution_factors():
    cat = Factor("c", "cat", values=("a", "b"))
    assert cat.from_unit(np.array([0.1, 0.6])).tolist() == ["a", "b"]
    norm = Factor("n", "dist", dist="norm", args=(2.0, 0.5))
    assert norm.from_unit(np.array([0.5]))[0] == pytest.approx(2.0)
    tri = Factor("t", "dist", dist="triang", args=(0.0, 1.0, 0.25))
    assert tri.from_unit(np.array([0.25]))[0] == pytest.approx(0.25)
    ln = Factor("l", "dist", dist="lognorm", args=(0.0, 1.0))
    assert ln.from_unit(np.array([0.5]))[0] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("design", "rows"),
    [
        ('kind = "sobol"\nn = 16\nsecond_order = true', 16 * (2 * 2 + 2)),
        ('kind = "sobol"\nn = 16', 16 * (2 + 2)),
        ('kind = "morris"\nn = 5\nlevels = 4', 5 * 3),
        ('kind = "fast"\nn = 80', 80 * 2),
        ('kind = "lhs"\nn = 30', 30),
    ],
)
def test_sampling_design_sizes(tmp_path, design, rows):
    spec = _spec(
        tmp_path,
        design + "\n[design.parameters]\nx0 = {low = 0, high = 1}\nx1 = {low = 1, high = 4, "
        'kind = "int"}\n',
    )
    frame = build_design(spec.design, {}, spec.seed)
    assert len(frame) == rows
    assert frame["point"].tolist() == list(range(rows))
    assert frame["x1"].dtype == np.int64 and frame["x1"].between(1, 4).all()
    again = build_design(spec.design, {}, spec.seed)
    assert frame.equals(again)


def test_lhs_has_one_point_per_stratum(tmp_path):
    spec = _spec(tmp_path, 'kind = "lhs"\nn = 50\n[design.parameters]\nx0 = {low=0, high=10}')
    x = build_design(spec.design, {}, spec.seed)["x0"].to_numpy()
    assert sorted(np.floor(x / 0.2).astype(int).tolist()) == list(range(50))


def test_grid_is_full_factorial_in_order(tmp_path):
    spec = _spec(
        tmp_path,
        'kind = "grid"\n[design.parameters]\nx0 = {low=0, high=1, levels=3}\n'
        'x1 = {values = ["a", "b"]}\nx2 = {low = 1, high = 2, kind = "int"}',
    )
    frame = build_design(spec.design, {}, spec.seed)
    assert len(frame) == 3 * 2 * 2
    assert frame.iloc[1][["x0", "x1", "x2"]].tolist() == [0.0, "a", 2]


def test_scenarios_fill_unset_parameters_from_base(tmp_path):
    spec = _spec(
        tmp_path,
        'kind = "scenarios"\n[design.scenarios.base]\n[design.scenarios.hi]\nx0 = 3.0\n',
    )
    frame = build_design(spec.design, {"x0": 1.0}, spec.seed)
    assert frame["scenario"].tolist() == ["base", "hi"]
    assert frame["x0"].tolist() == [1.0, 3.0]


def test_run_seeds_match_nested_spawning_and_differ():
    nested = np.random.SeedSequence(42).spawn(3)[2].spawn(5)[4]
    assert run_seed(42, 2, 4) == int(nested.generate_state(1, np.uint64)[0] >> np.uint64(1))
    seeds = {run_seed(42, p, r) for p in range(20) for r in range(5)}
    assert len(seeds) == 100 and all(0 <= s < 2**63 for s in seeds)
    assert run_seed(43, 0, 0) != run_seed(42, 0, 0)
