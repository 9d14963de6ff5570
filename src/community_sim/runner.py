"""The unit of work: ``run(params, seed, steps) -> RunResult``."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from community_sim.errors import UserError
from community_sim.model import CommunityModel
from community_sim.params import Value, validate_params

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunResult:
    """One simulation: its parameters, seed, months run, scalar outcomes and monthly series."""

    params: dict[str, Value]
    seed: int
    steps: int
    outcomes: dict[str, float]
    series: pd.DataFrame


def run(
    params: Mapping[str, Any] | None = None, seed: int = 0, steps: int | None = None
) -> RunResult:
    """Build a :class:`CommunityModel`, run it ``steps`` months (default: the horizon)."""
    full = validate_params(params)
    if steps is not None:
        if steps < 1:
            raise UserError("must be at least 1", source="steps")
        if steps > int(full["horizon_months"]):
            full["horizon_months"] = int(steps)
    model = CommunityModel(seed=seed, **full)
    try:
        n = int(full["horizon_months"]) if steps is None else int(steps)
        for _ in range(n):
            model.step()
        result = RunResult(dict(full), int(seed), n, model.outcomes(), model.series_frame())
    finally:
        model.release()
    log.debug("run seed=%s steps=%s done", seed, n)
    return result
