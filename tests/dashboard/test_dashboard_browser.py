"""End to end: serve the dashboard, drive it in headless Chromium."""

from __future__ import annotations

import re

import pytest
from dashboard_harness import served_dashboard
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from community_sim.dashboard.view import TITLE
from community_sim.metrics import OUTCOMES

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module", autouse=True)
def _kernels_compiled():
    """The model's kernels compiled (and cached on disk) before the dashboard starts.

    In the first process after an install the model compiles them as it first meets
    each month's work (tens of seconds on a 2-core machine); the page's timeouts are
    for stepping, not compiling. Both policies, past two Augusts and Septembers.
    """
    from community_sim.runner import run

    for policy in ("project", "integrated"):
        run({"policy": policy, "tech_drift": 0.12}, seed=3, steps=26)


STEP_AT_LEAST = """n => [...document.querySelectorAll('div, span, p')]
    .map(e => e.textContent.trim())
    .some(t => /^Step: \\d+$/.test(t) && parseInt(t.slice(6)) >= n)"""


LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")


def _step_count(page) -> int:
    text = page.get_by_text(re.compile(r"^Step: \d+$")).inner_text()
    return int(text.split(":")[1])


def _settled_step_count(page, quiet_ms: int = 3_000, tries: int = 20) -> int:
    """The step count once it has stopped changing (a step in flight at Pause may land).

    A step and its redraw take over a second on a loaded 2-core machine, so "settled"
    means unchanged for a few seconds.
    """
    count = _step_count(page)
    for _ in range(tries):
        page.wait_for_timeout(quiet_ms)
        now = _step_count(page)
        if now == count:
            return count
        count = now
    raise AssertionError(f"the step counter kept moving after Pause (at {count})")


def _plot_src(page, index: int) -> str:
    return page.locator("img").nth(index).get_attribute("src") or ""


def test_both_policies_step_together_clicks_queue_play_pause_and_reset(browser, tmp_path):
    cfg = tmp_path / "scenario.toml"
    cfg.write_text('[params]\npolicy = "project"\ntech_drift = 0.12\n')
    with served_dashboard([str(cfg), "--seed", "3"], tmp_path / "log") as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        outside: list[str] = []
        page.on(
            "request",
            lambda r: None if r.url.startswith(LOCAL) else outside.append(r.url),
        )
        page.goto(url)
        page.get_by_text("Step: 0", exact=True).wait_for(timeout=30_000)
        # A named page, not Solara's "PAGE 0".
        page.wait_for_function("t => document.title === t", arg=TITLE, timeout=20_000)
        # The scenario file's values are the runs' starting values, shown on the sliders too.
        summary = page.locator("p", has_text="These runs:")
        assert "seed 3" in summary.inner_text()
        assert "technology drift 0.12" in summary.inner_text()
        assert "policies project, integrated" in summary.inner_text()
        page.get_by_text("Technology drift (1/yr): 0.12").first.wait_for(timeout=10_000)
        page.get_by_text("Seed: 3").first.wait_for(timeout=10_000)
        before = _plot_src(page, 0)

        step = page.get_by_role("button", name="Step")
        for i in range(1, 4):
            step.click()
            page.get_by_text(f"Step: {i}", exact=True).wait_for(timeout=30_000)
        page.wait_for_function(
            "before => document.querySelector('img').getAttribute('src') !== before",
            arg=before,
            timeout=30_000,
        )
        assert "month 3" in page.locator("p", has_text="Outcomes so far").inner_text()
        # One outcome table, a column per policy.
        table = page.locator("table").filter(has_text="unit").first.inner_text()
        assert all(name in table for name in OUTCOMES)
        assert "project" in table and "integrated" in table
        # Each run's agents, side by side, read through Mesa's agents_by_type.
        for policy in ("project", "integrated"):
            column = page.locator(f"div[data-policy='{policy}']")
            counts = column.locator("table").filter(has_text="agents").inner_text()
            assert all(k in counts for k in ("School", "Enterprise", "Government", "Student"))
            assert column.locator("table").filter(has_text="employer").locator("tr").count() == 9

        # Clicks during a step are queued, not dropped: 12 quick clicks are 12 months.
        for _ in range(12):
            step.click()
        page.get_by_text("Step: 15", exact=True).wait_for(timeout=120_000)
        assert _settled_step_count(page) == 15

        # Play runs on by itself until paused. The button turns to Pause once playing; a
        # press that lands while the page redraws the last step is pressed again.
        play, pause = (page.get_by_role("button", name=n) for n in ("▶", "❚❚"))
        play.click()
        try:
            pause.wait_for(timeout=15_000)
        except PlaywrightTimeout:
            play.click()
            pause.wait_for(timeout=15_000)
        page.wait_for_function(STEP_AT_LEAST, arg=17, timeout=120_000)
        page.get_by_role("button", name="❚❚").click()
        page.get_by_role("button", name="▶").wait_for(timeout=20_000)
        paused_at = _settled_step_count(page)
        page.wait_for_timeout(1_500)
        assert _step_count(page) == paused_at >= 17

        # Another pair of policies and a moved slider (its value shown as it moves), at Reset.
        page.get_by_label("Right policy: integrated").click(force=True)
        page.get_by_role("option", name="transition").click()
        page.get_by_role("slider").nth(1).focus()
        page.keyboard.press("ArrowRight")
        page.get_by_text("Technology drift (1/yr): 0.13").first.wait_for(timeout=10_000)
        page.get_by_role("button", name="Reset").click()
        page.get_by_text("Step: 0", exact=True).wait_for(timeout=30_000)
        summary = page.locator("p", has_text="policies project, transition")
        summary.wait_for(timeout=30_000)
        assert "technology drift 0.13" in summary.inner_text()
        step.click()
        page.get_by_text("Step: 1", exact=True).wait_for(timeout=30_000)

        shot = tmp_path / "dashboard.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        assert page.locator(".v-alert").count() == 0  # no error banner
        assert outside == []  # everything the page loads is served locally
        page.close()
