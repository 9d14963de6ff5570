"""Two runs side by side (one per policy, one seed) and steps that queue rather than drop."""

import threading
import time

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pytest

from community_sim.dashboard.compare import SeriesView, pair_agents_html, pair_summary_html
from community_sim.dashboard.controls import dashboard_model
from community_sim.dashboard.pair import PolicyPair
from community_sim.dashboard.plots import format_value
from community_sim.dashboard.stepper import StepQueue
from community_sim.metrics import OUTCOMES, SERIES
from community_sim.model import CommunityModel
from community_sim.params import validate_params

SMALL = validate_params({"n_smes": 6, "intake_per_school": 60, "burn_in_months": 0})
MONTHS = 5


@pytest.fixture
def pair():
    p = PolicyPair(dashboard_model(CommunityModel), SMALL, seed=7)
    for _ in range(MONTHS):
        p.step()
    yield p
    p.release()


def _alone(policy: str) -> CommunityModel:
    """The same run made directly, without the dashboard (the independent reference)."""
    m = CommunityModel(seed=7, **{**SMALL, "policy": policy})
    for _ in range(MONTHS):
        m.step()
    return m


def test_each_side_is_the_run_its_policy_gives_on_that_seed(pair):
    assert pair.policies == ["project", "integrated"] and pair.steps == MONTHS
    for policy, model in pair.runs:
        alone = _alone(policy)
        try:
            a, b = model.outcomes(), alone.outcomes()
            assert a.keys() == b.keys()
            assert all(a[k] == b[k] or (np.isnan(a[k]) and np.isnan(b[k])) for k in a)
            assert model.series_frame().equals(alone.series_frame())
        finally:
            alone.release()
    ties = {p: m.series_frame()["ties_integrated"].iloc[-1] for p, m in pair.runs}
    assert ties["project"] == 0 < ties["integrated"]  # the policies do differ


def test_series_view_draws_each_run_s_series(pair):
    view = SeriesView(pair.policies, {k: s.unit for k, s in SERIES.items()})
    view.update(pair)
    frames = {p: m.series_frame() for p, m in pair.runs}
    assert len(view.lines) == 2 * (2 + 1 + 1 + 1)  # two tie kinds + three single series
    for _ax, policy, col, line in view.lines:
        np.testing.assert_array_equal(line.get_ydata(), frames[policy][col].to_numpy(float))
    pair.step()  # the same figure follows the runs
    view.update(pair)
    assert all(len(line.get_xdata()) == MONTHS + 1 for *_, line in view.lines)


def test_outcome_table_has_a_column_per_policy_with_each_run_s_values(pair):
    html = pair_summary_html(pair, {k: o.unit for k, o in OUTCOMES.items()})
    assert "policies project, integrated on the same seed" in html and f"month {MONTHS}" in html
    for name in OUTCOMES:
        row = html.split(f"<td>{name}</td>", 1)[1].split("</tr>", 1)[0]
        values = [format_value(m.outcomes()[name]) for _, m in pair.runs]
        assert row.index(values[0]) < row.rindex(values[1])
    agents = pair_agents_html(pair)
    assert agents.count("data-policy=") == 2


def test_every_requested_step_runs_once_even_when_asked_during_a_step():
    queue, done, stop = StepQueue(), [], threading.Event()

    def worker() -> None:
        while not stop.is_set():
            if queue.take(0.05):
                with queue.lock:
                    time.sleep(0.02)  # a step takes a while: clicks arrive meanwhile
                    done.append(1)

    t = threading.Thread(target=worker)
    t.start()
    try:
        for _ in range(24):
            queue.request()  # 24 clicks, faster than the steps run
        assert queue.pending > 0
        deadline = time.monotonic() + 10
        while len(done) < 24 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.2)  # nothing more comes
        assert len(done) == 24 and queue.pending == 0
        queue.request(5)
        queue.clear()  # Reset forgets the steps not started
        time.sleep(0.2)
        assert len(done) <= 25
    finally:
        stop.set()
        t.join()


def test_playing_steps_without_requests():
    queue = StepQueue()
    assert queue.take(0.01) is False
    assert queue.take(0.01, playing=True) is True
