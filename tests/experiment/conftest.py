"""Engine tests import tests/analytic_models.py, whatever subset of tests runs."""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = str(Path(__file__).resolve().parents[1])
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)


import pytest  # noqa: E402
from engine_helpers import SOBOL_ISHIGAMI, write_spec  # noqa: E402


@pytest.fixture
def ishigami_spec(tmp_path: Path) -> Path:
    return write_spec(tmp_path, SOBOL_ISHIGAMI.format(n=64, second_order="false"))
