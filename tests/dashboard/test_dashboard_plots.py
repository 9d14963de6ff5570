import math

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pytest
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from community_sim.dashboard.plots import (
    KIND_COLOURS,
    axis_label,
    draw_network,
    format_value,
    network_layout,
    outcome_rows,
    plot_series,
)
from community_sim.metrics import SERIES
from community_sim.model import CommunityModel


@pytest.fixture
def model():
    m = CommunityModel(seed=2, policy="project", n_smes=8)
    for _ in range(6):
        m.step()
    yield m
    m.release()


def test_series_plot_draws_each_column_with_units_on_the_axis(model):
    ax = Figure().subplots()
    df = model.series_frame()
    plot_series(df, {"ties_project": "project", "ties_integrated": "integrated"}, "ties", "T", ax)
    assert [ln.get_label() for ln in ax.get_lines()] == ["project", "integrated"]
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), df["ties_project"].to_numpy())
    assert ax.get_xlabel() == "Month" and ax.get_xlim()[1] >= 12
    assert axis_label("cost per hire", SERIES["cost_per_hire_weeks"].unit) == (
        "cost per hire (weeks of wages)"
    )
    assert axis_label("skill match", "-") == "skill match"
    assert axis_label("", "ties") == "ties"


def test_series_plot_of_an_empty_frame_says_how_to_start(model):
    ax = Figure().subplots()
    plot_series(model.series_frame().iloc[:0], {"skill_match": "s"}, "s", "S", ax)
    assert any("Step" in t.get_text() for t in ax.texts)


def test_network_draws_active_ties_coloured_by_kind_and_wide_by_trust(model):
    assert model.partnerships, "the default community forms ties in its first months"
    model.partnerships[0].kind = "integrated"
    model.partnerships[0].active = True
    model.partnerships[0].trust = 1.0
    ax = Figure().subplots()
    draw_network(model.schools, model.enterprises, model.partnerships, ax)
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    active = [t for t in model.partnerships if t.active]
    assert len(lines.get_segments()) == len(active)
    widths = lines.get_linewidths()
    assert widths[0] == pytest.approx(5.5) and all(0.5 <= w <= 5.5 for w in widths)
    colours = lines.get_colors()
    assert matplotlib.colors.to_hex(colours[0]) == KIND_COLOURS["integrated"].lower()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"integrated ({sum(t.kind == 'integrated' for t in active)})" in legend


def test_network_layout_is_fixed_and_separates_schools_from_firms():
    s1, e1 = network_layout(3, 24)
    s2, e2 = network_layout(3, 24)
    np.testing.assert_array_equal(e1, e2)
    np.testing.assert_array_equal(s1, s2)
    assert np.allclose(np.hypot(*e1.T), 1.0) and np.all(np.hypot(*s1.T) < 0.5)
    assert len({tuple(p) for p in np.round(e1, 9)}) == 24


def test_values_are_formatted_for_reading():
    assert format_value(math.nan) == "undefined"
    assert format_value(123456.7) == "123,457"
    assert format_value(0.123456) == "0.1235"
    assert format_value("integrated") == "integrated"
    assert outcome_rows({"a": 1.0}, {"a": "weeks"}) == [("a", "1", "weeks")]
