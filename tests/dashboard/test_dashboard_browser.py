"""End to end: serve the dashboard, drive it in headless Chromium."""

from __future__ import annotations

import pytest
from dashboard_harness import served_dashboard

from community_sim.metrics import OUTCOMES

pytestmark = pytest.mark.browser


def _plot_src(page, index: int) -> str:
    return page.locator("img").nth(index).get_attribute("src") or ""


def test_step_policy_switch_and_reset(browser, tmp_path):
    cfg = tmp_path / "scenario.toml"
    cfg.write_text('[params]\npolicy = "project"\ntech_drift = 0.12\n')
    with served_dashboard([str(cfg), "--seed", "3"], tmp_path / "log") as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        page.goto(url)
        page.get_by_text("Step: 0", exact=True).wait_for(timeout=30_000)
        # The scenario file's values are the run's starting values.
        summary = page.locator("p", has_text="This run:")
        assert "seed 3" in summary.inner_text()
        assert "technology drift 0.12" in summary.inner_text()
        before = _plot_src(page, 0)

        step = page.get_by_role("button", name="Step")
        for i in range(1, 5):
            step.click()
            page.get_by_text(f"Step: {i}", exact=True).wait_for(timeout=20_000)
        page.wait_for_function(
            "before => document.querySelector('img').getAttribute('src') !== before",
            arg=before,
            timeout=20_000,
        )
        assert _plot_src(page, 0) != before
        assert "month 4" in page.locator("p", has_text="Outcomes so far").inner_text()
        table = page.locator("table").inner_text()
        assert all(name in table for name in OUTCOMES)

        page.get_by_label("Cooperation policy").click(force=True)
        page.get_by_role("option", name="integrated").click()
        page.get_by_role("button", name="Reset").click()
        page.get_by_text("Step: 0", exact=True).wait_for(timeout=20_000)
        page.locator("p", has_text="policy integrated").wait_for(timeout=20_000)
        step.click()
        page.get_by_text("Step: 1", exact=True).wait_for(timeout=20_000)

        shot = tmp_path / "dashboard.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        assert page.locator(".v-alert").count() == 0  # no error banner
        page.close()
