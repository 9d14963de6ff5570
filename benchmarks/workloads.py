"""Model functions with a known cost, for engine benchmarks (``f(params, seed) -> dict``)."""

from __future__ import annotations

import time
from typing import Any


def busy(params: dict[str, Any], seed: int) -> dict[str, float]:
    """Pure-Python CPU work: ``iterations`` steps of an LCG (no sleeping, no I/O)."""
    x = seed & 0xFFFFFFFF
    for _ in range(int(params["iterations"])):
        x = (1103515245 * x + 12345) & 0x7FFFFFFF
    return {"y": x / 0x7FFFFFFF}


def trivial(params: dict[str, Any], seed: int) -> dict[str, float]:
    """Almost no work: measures the engine's own cost per run."""
    return {"y": float(params.get("x", 0.0)) + (seed % 1000) / 1000.0}


def iterations_for(seconds: float) -> int:
    """How many :func:`busy` iterations take about ``seconds`` on this machine."""
    n = 200_000
    rates = []
    for _ in range(5):  # the fastest of a few: other load only ever slows a calibration
        t0 = time.perf_counter()
        busy({"iterations": n}, 1)
        rates.append(n / (time.perf_counter() - t0))
    return max(1, int(max(rates) * seconds))
