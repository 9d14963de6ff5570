"""Fixtures for the dashboard tests: a headless Debian Chromium."""

from __future__ import annotations

import pytest
from dashboard_harness import CHROMIUM_FLAGS, chromium_path


@pytest.fixture(scope="module")
def browser():
    """A headless Debian Chromium driven by playwright; skips if none is installed."""
    path = chromium_path()
    if path is None:
        pytest.skip("no Chromium installed (Debian: apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)
        yield b
        b.close()
