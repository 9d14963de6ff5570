"""Targets: parsing, and the replicate-aware classification against hand counts."""

from __future__ import annotations

import numpy as np
import pytest

from community_sim.discovery.target import Target, classify, parse_target
from community_sim.errors import UserError


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (
            "diff:trial_error_cost_per_hire_weeks < 0",
            ("diff:trial_error_cost_per_hire_weeks", "<", 0.0),
        ),
        (
            "partnership_survival_5y@integrated>0.6",
            ("partnership_survival_5y@integrated", ">", 0.6),
        ),
        ("  y >= -1.5e3 ", ("y", ">=", -1500.0)),
        ("diff:integrated-project:y <= 2", ("diff:integrated-project:y", "<=", 2.0)),
    ],
)
def test_parse(expr, expected):
    t = parse_target(expr)
    assert (t.output, t.op, t.value) == expected


@pytest.mark.parametrize(
    "expr", ["", "y", "y < ", "y = 1", "y == 1", "y < 1 < 2", "y < nan", "< 1"]
)
def test_parse_refuses(expr):
    with pytest.raises(UserError, match="--target"):
        parse_target(expr)


def test_classify_mean_and_share():
    # four replicates per point; condition y < 0
    values = np.array(
        [
            [-1.0, -1.0, -1.0, -1.0],  # mean -1, share 1
            [-3.0, 1.0, 0.5, 0.5],  # mean -0.25 (< 0), share 1/4: a noise-made case
            [-1.0, -1.0, -1.0, 2.0],  # mean -0.25, share 3/4
            [1.0, 1.0, 1.0, -0.5],  # mean 0.625, share 1/4
            [np.nan, -1.0, -1.0, -1.0],  # a failed run: not classified
        ]
    )
    t = Target("y", "<", 0.0)
    plain = classify(values, t)
    assert plain.coi.tolist() == [True, True, True, False, False]
    assert plain.valid.tolist() == [True, True, True, True, False]
    np.testing.assert_allclose(plain.share[:4], [1.0, 0.25, 0.75, 0.25])
    assert np.isnan(plain.mean[4]) and np.isnan(plain.share[4])
    strict = classify(values, t, threshold_prob=0.75)  # 3 of 4 is enough, 1 of 4 is not
    assert strict.coi.tolist() == [True, False, True, False, False]
    assert (strict.n_valid, strict.n_cases) == (4, 2)


def test_classify_boundaries_follow_the_operator():
    values = np.array([[0.0], [1.0]])
    assert classify(values, Target("y", "<=", 0.0)).coi.tolist() == [True, False]
    assert classify(values, Target("y", "<", 0.0)).coi.tolist() == [False, False]
    assert classify(values, Target("y", ">=", 1.0)).coi.tolist() == [False, True]


def test_threshold_prob_must_be_a_probability():
    with pytest.raises(UserError, match="--threshold-prob"):
        classify(np.zeros((2, 2)), Target("y", "<", 0.0), threshold_prob=0.0)
