"""Performance checks, run by ``make bench`` (``python -m benchmarks``), never by CI.

Each benchmark is a module with ``run(quick: bool) -> BenchResult``, listed in
:data:`REGISTRY`; ``python -m benchmarks [NAME ...] [--quick]`` runs them and
writes ``benchmarks/report.md`` and ``benchmarks/report.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

REGISTRY: dict[str, str] = {
    "engine": "benchmarks.bench_engine",
    "model": "benchmarks.bench_model",
    "baseline": "benchmarks.bench_baseline",
    "peers": "benchmarks.bench_peers",
    "memory": "benchmarks.bench_memory",
    "province": "benchmarks.bench_province",
    "national": "benchmarks.bench_national",
    "analysis": "benchmarks.bench_analysis",
    "dashboard": "benchmarks.bench_dashboard",
    "mesa_memory": "benchmarks.bench_mesa_memory",
}
"""Benchmark name → module (add a line here to add a benchmark)."""


@dataclass
class BenchResult:
    """A benchmark's measured figures and a Markdown section describing them."""

    title: str
    figures: dict[str, Any]
    markdown: str
    checks: dict[str, bool] = field(default_factory=dict)
