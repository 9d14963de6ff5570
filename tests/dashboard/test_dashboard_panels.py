import matplotlib

matplotlib.use("Agg")
import pytest
from matplotlib.collections import PathCollection
from mesa.visualization.solara_viz import _check_model_params

from community_sim.dashboard.controls import dashboard_model, model_params
from community_sim.dashboard.panels import PANELS, network_figure, series_figure, summary_html
from community_sim.errors import UserError
from community_sim.metrics import OUTCOMES, SERIES
from community_sim.model import CommunityModel
from community_sim.params import validate_params

SMALL = {"n_smes": 6, "intake_per_school": 60}


@pytest.fixture
def model():
    cls = dashboard_model(CommunityModel)
    m = cls(seed=4, **{**SMALL, "policy": "integrated", "tech_drift": 0.2})
    for _ in range(3):
        m.step()
    yield m
    m.release()


def test_solaraviz_accepts_the_adapter_and_rebuilds_it_from_model_params():
    cls = dashboard_model(CommunityModel)
    params = validate_params(SMALL)
    mp = model_params(params, seed=2)
    _check_model_params(cls.__init__, mp)  # raises if SolaraViz would refuse the names
    fixed = {k: v for k, v in mp.items() if not isinstance(v, dict)}
    values = {**fixed, **{k: v["value"] for k, v in mp.items() if isinstance(v, dict)}}
    m = cls(**values)  # what SolaraViz's Reset does
    try:
        assert m.dashboard_seed == 2 and m.dashboard_params == params
    finally:
        m.release()


def test_adapter_validates_values_like_a_scenario_file():
    with pytest.raises(UserError, match="tech_drift"):
        dashboard_model(CommunityModel)(seed=0, tech_drift=5.0)


def test_every_panel_plots_a_model_series_with_its_unit(model):
    df = model.series_frame()
    for panel in PANELS:
        assert set(panel.lines) <= set(SERIES)
        unit = SERIES[next(iter(panel.lines))].unit
        ax = series_figure(df, panel, unit).axes[0]
        assert unit in ax.get_ylabel()
        assert len(ax.get_lines()) == len(panel.lines)
        assert len(ax.get_lines()[0].get_xdata()) == 3


def test_network_figure_shows_every_college_and_firm(model):
    ax = network_figure(model.schools, model.enterprises, model.partnerships).axes[0]
    points = sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))
    assert points == len(model.schools) + len(model.enterprises)


def test_summary_lists_the_run_settings_and_every_outcome_with_units(model):
    html = summary_html(model, {k: o.unit for k, o in OUTCOMES.items()})
    assert "seed <b>4</b>" in html
    assert "cooperation policy <b>integrated</b>" in html
    assert "technology drift <b>0.2 1/yr</b>" in html
    assert "(month 3)" in html
    for name, outcome in OUTCOMES.items():
        assert f"<td>{name}</td>" in html and outcome.unit in html
