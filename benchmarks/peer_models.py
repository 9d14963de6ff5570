"""The community model wrapped for the peers' runners and for the memory probe.

Each wrapper runs exactly what :func:`community_sim.runner.run` runs; they live
in their own module so worker processes (spawned) import them by name.
"""

from __future__ import annotations

import os
from typing import Any

import mesa
import psutil

from community_sim.metrics import OUTCOMES
from community_sim.model import CommunityModel
from community_sim.runner import run


def ema_community(seed: int = 0, **params: Any) -> dict[str, float]:
    """EMA Workbench calls ``function(**experiment)``: the seed arrives as a parameter."""
    return run(params, seed=int(seed)).outcomes


def community_with_rss(params: dict[str, Any], seed: int) -> dict[str, float]:
    """A community run that also reports the worker's RSS after it (MB) and the worker's pid."""
    out = dict(run(params, seed=seed).outcomes)
    out["rss_mb"] = psutil.Process().memory_info().rss / 2**20
    out["pid"] = float(os.getpid())
    return out


class BatchCommunity(CommunityModel):
    """The community model as ``mesa.batch_run`` needs it: keyword ``row`` and a data collector.

    ``batch_run`` takes the product of its parameter lists, so the design's rows
    (parameters plus ``seed``) are passed as one list-valued parameter. The
    collector records the outcomes once, at the end (``None`` before), which is
    the cheapest way to satisfy ``batch_run``'s per-step indexing.
    """

    def __init__(self, row: dict[str, Any]) -> None:
        params = dict(row)
        seed = int(params.pop("seed"))
        super().__init__(seed=seed, **params)
        self.datacollector = mesa.DataCollector(
            model_reporters={"outcomes": lambda m: None if m.running else m.outcomes()}
        )

    def step(self) -> None:
        super().step()
        self.datacollector.collect(self)


OUTCOME_NAMES = tuple(OUTCOMES)
