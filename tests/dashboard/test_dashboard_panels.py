import math
from html.parser import HTMLParser

import matplotlib

matplotlib.use("Agg")
import mesa
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PathCollection

from community_sim.agents.student import EMPLOYED, ENROLLED, SEEKING, STATUS_NAMES, Student
from community_sim.dashboard.controls import dashboard_model
from community_sim.dashboard.panels import (
    PANELS,
    STUDENT_COLUMNS,
    agents_html,
    network_figure,
    series_figure,
    student_sample,
    summary_html,
    tie_network_figure,
)
from community_sim.errors import UserError
from community_sim.metrics import OUTCOMES, SERIES
from community_sim.model import CommunityModel

SMALL = {"n_smes": 6, "intake_per_school": 60}


@pytest.fixture
def model():
    cls = dashboard_model(CommunityModel)
    m = cls(seed=4, **{**SMALL, "policy": "integrated", "tech_drift": 0.2})
    for _ in range(3):
        m.step()
    yield m
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


def _tables(html: str) -> list[list[list[str]]]:
    """Every <table> of ``html`` as rows of cell texts (header row first)."""

    class Tables(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tables: list[list[list[str]]] = []
            self.in_cell = False

        def handle_starttag(self, tag, attrs):
            if tag == "table":
                self.tables.append([])
            elif tag == "tr":
                self.tables[-1].append([])
            elif tag in ("td", "th"):
                self.tables[-1][-1].append("")
                self.in_cell = True

        def handle_endtag(self, tag):
            if tag in ("td", "th"):
                self.in_cell = False

        def handle_data(self, data):
            if self.in_cell:
                self.tables[-1][-1][-1] += data

    parser = Tables()
    parser.feed(html)
    return parser.tables


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def test_agents_panel_shows_what_the_models_arrays_hold(model):
    model.step()  # a September has passed: every status but "left" is present or possible
    st = model.students
    status = st.status[: st.n]
    live = np.isin(status, [ENROLLED, SEEKING, EMPLOYED])
    counts, colleges, firms, sample = _tables(agents_html(model, sample=5))
    assert {r[0]: _number(r[1]) for r in counts[1:]} == {
        "School": model.p["n_schools"],
        "Enterprise": model.p["n_leading"] + model.p["n_smes"],
        "Government": 1,
        "Student": live.sum(),
    }
    enrolled = np.bincount(st.school[: st.n][status == ENROLLED], minlength=model.p["n_schools"])
    assert [_number(r[1]) for r in colleges[1:]] == enrolled.tolist()
    n_lead = int(model.p["n_leading"])
    for name, sl in (("leading", slice(0, n_lead)), ("SME", slice(n_lead, None))):
        (row,) = [r for r in firms[1:] if r[0] == name]
        kind = model.firm_kind[sl]
        expected = [kind.size, model.H[sl].sum(), (kind == 1).sum(), (kind == 2).sum()]
        assert [_number(v) for v in row[1:]] == expected
    assert sample[0] == list(STUDENT_COLUMNS) and len(sample) == 6
    rows = [int(r[0]) for r in sample[1:]]
    assert rows == sorted(rows) and set(rows) <= set(np.flatnonzero(live).tolist())
    assert [r[1] for r in sample[1:]] == [STATUS_NAMES[status[r]] for r in rows]
    assert [int(r[3]) for r in sample[1:]] == st.school[rows].tolist()


def test_student_sample_spreads_over_rows_and_never_draws():
    class S:
        def __init__(self, row):
            self.row = row

    picked = student_sample([S(r) for r in range(100, 0, -1)], 4)
    assert [s.row for s in picked] == [1, 26, 51, 76]
    assert [s.row for s in student_sample([S(3), S(1)], 4)] == [1, 3]


def test_network_from_the_agents_is_the_network_of_the_models_lists(model):
    def drawn(fig):
        ax = fig.axes[0]
        (lines,) = [c for c in ax.collections if isinstance(c, LineCollection)]
        points = [c.get_offsets().tolist() for c in ax.collections if isinstance(c, PathCollection)]
        ties = sorted(
            zip([s.tolist() for s in lines.get_segments()], lines.get_linewidths(), strict=True)
        )
        return ties, points

    expected = network_figure(model.schools, model.enterprises, model.partnerships)
    assert drawn(tie_network_figure(model)) == drawn(expected)


def test_looking_at_the_agents_every_month_changes_no_result():
    cls = dashboard_model(CommunityModel)
    looked, plain = cls(seed=6, **SMALL), cls(seed=6, **SMALL)
    for _ in range(14):
        looked.step()
        plain.step()
        agents_html(looked)
        tie_network_figure(looked)
    pd.testing.assert_frame_equal(looked.series_frame(), plain.series_frame())
    a, b = looked.outcomes(), plain.outcomes()
    assert a.keys() == b.keys()
    assert all(a[k] == b[k] or (math.isnan(a[k]) and math.isnan(b[k])) for k in a)
    assert sum(isinstance(x, Student) for x in mesa.Model.agents.fget(plain)) == 0
    for m in (looked, plain):
        m.release()
