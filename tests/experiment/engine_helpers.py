"""Helpers for engine tests: write small specs, run the CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def write_spec(folder: Path, body: str, name: str = "spec.toml") -> Path:
    path = folder / name
    path.write_text(body.strip() + "\n")
    return path


def cli_env() -> dict[str, str]:
    """Environment for a CLI subprocess that can import tests/analytic_models.py."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(TESTS), env.get("PYTHONPATH")) if p)
    return env


def run_cli(*args: str, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "community_sim.cli", *args],
        capture_output=True,
        text=True,
        env=cli_env(),
        **kw,
    )


SOBOL_ISHIGAMI = """
name = "ishigami"
model = "analytic_models:ishigami"
seed = 11
[design]
kind = "sobol"
n = {n}
second_order = {second_order}
[design.parameters]
x1 = {{ low = -3.141592653589793, high = 3.141592653589793 }}
x2 = {{ low = -3.141592653589793, high = 3.141592653589793 }}
x3 = {{ low = -3.141592653589793, high = 3.141592653589793 }}
"""
