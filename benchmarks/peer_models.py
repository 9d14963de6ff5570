"""The community model wrapped for the peers' runners and for the memory probe.

Each wrapper runs exactly what :func:`community_sim.runner.run` runs; they live
in their own module so worker processes (spawned) import them by name.
"""

from __future__ import annotations

import os
from typing import Any

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


class _OutcomesAtEnd:
    """What ``mesa.batch_run`` reads from ``model.datacollector``: the outcomes at the last step.

    ``batch_run`` indexes every model variable by step; only the last step is read
    (``data_collection_period=-1``), so the other entries are ``None``. Reading the
    outcomes also frees the model from Mesa's id registry, as ``runner.run`` does,
    so the peer's workers do not accumulate models.
    """

    agent_reporters: dict[str, object] = {}  # noqa: RUF012 - read by batch_run only
    _agent_records: dict[int, list[object]] = {}  # noqa: RUF012

    def __init__(self, model: CommunityModel) -> None:
        self._model = model

    @property
    def model_vars(self) -> dict[str, list[float | None]]:
        m = self._model
        out = m.outcomes()
        m.release()
        return {k: [None] * (m.steps - 1) + [v] for k, v in out.items()}


class BatchCommunity(CommunityModel):
    """The community model as ``mesa.batch_run`` needs it: one keyword ``row``.

    ``batch_run`` takes the product of its parameter lists, so the design's rows
    (parameters plus ``seed``) are passed as one list-valued parameter.
    """

    def __init__(self, row: dict[str, Any]) -> None:
        params = dict(row)
        seed = int(params.pop("seed"))
        super().__init__(seed=seed, **params)
        self.datacollector = _OutcomesAtEnd(self)


OUTCOME_NAMES = tuple(OUTCOMES)
