"""The unit of work: ``run(params, seed, steps) -> RunResult``."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from community_sim.errors import UserError
from community_sim.model import CommunityModel
from community_sim.params import PARAMS, Value

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
    """Build a :class:`CommunityModel`, run it ``steps`` months (default: the horizon).

    The model checks ``params`` as it is built (``validate_params``), once per
    run; only a longer ``steps`` than the horizon is looked at here, to extend it.
    """
    overrides = dict(params or {})
    if steps is not None:
        if steps < 1:
            raise UserError("must be at least 1", source="steps")
        horizon = PARAMS["horizon_months"]
        given = overrides.get("horizon_months", horizon.default)
        if steps > int(horizon.check(given)):
            overrides["horizon_months"] = int(steps)
    model = CommunityModel(seed=seed, **overrides)
    try:
        n = int(model.p["horizon_months"]) if steps is None else int(steps)
        for _ in range(n):
            model.step()
        result = RunResult(dict(model.p), int(seed), n, model.outcomes(), model.series_frame())
    finally:
        model.release()
    log.debug("run seed=%s steps=%s done", seed, n)
    return result
