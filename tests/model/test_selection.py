"""The selection table: who joins, by size."""

import numpy as np
import pytest

from community_sim import CommunityModel
from community_sim.selection import (
    SIZE_CLASSES,
    markdown,
    selection_counts,
    selection_table,
    size_class,
)


def test_size_classes_split_smes_into_thirds_by_headcount():
    leading = np.array([True, False, False, False, False, False, False, True])
    heads = np.array([900.0, 10.0, 50.0, 30.0, 30.0, 20.0, 40.0, 500.0])
    # SMEs by headcount: 50, 40 | 30, 30 | 20, 10 (equal headcounts keep firm order).
    assert size_class(leading, heads).tolist() == [0, 3, 1, 2, 2, 3, 1, 0]


@pytest.mark.parametrize("policy", ["project", "integrated"])
def test_firm_months_add_up_and_match_the_monthly_ties(policy):
    model = CommunityModel(seed=3, policy=policy, horizon_months=48, burn_in_months=12)
    for _ in range(48):
        model.step()
    table = selection_counts(model)
    assert list(table.index) == list(SIZE_CLASSES)
    assert table["firms"].sum() == len(model.enterprises)
    months = table[["council", "project", "none"]].sum(axis=1)
    assert (months == table["firms"] * 36).all()
    s = model.series_frame().iloc[12:]
    assert table["council"].sum() == s["ties_integrated"].sum()
    assert table["project"].sum() == s["ties_project"].sum()
    other = "project" if policy == "integrated" else "council"
    assert table[other].sum() == 0


def test_selection_table_pools_seeds_into_shares():
    table = selection_table({"horizon_months": 36, "burn_in_months": 12}, seeds=[0, 1])
    assert set(table["policy"]) == {"project", "integrated"}
    shares = table[["council", "project", "none"]].sum(axis=1)
    assert shares.to_numpy() == pytest.approx(1.0)
    assert markdown(table).count("\n") == len(table) + 1
    with pytest.raises(ValueError, match="no seeds"):
        selection_table({}, seeds=[])
