"""Process 1: technology drift of the sector's and each firm's demand.

The sector profile follows a reflected random walk and each firm's deviation
an AR(1) around its fixed niche (:func:`~community_sim.mechanics.skills.drift_step`);
a firm's demand is sector + niche + deviation, kept in range. Technology has
its own random stream, so every policy run with the same seed faces the same
drift path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from community_sim.mechanics.skills import demand_profiles, drift_step
from community_sim.state import Firms, Technology

NICHE_SD = 0.3
"""S.d. of a firm's fixed niche around the sector profile at ``firm_divergence`` = 1."""
SECTOR_RANGE = (0.3, 0.8)


def create(
    p: Mapping[str, Any], n_firms: int, horizon: int, rng: np.random.Generator
) -> tuple[Technology, np.ndarray, np.ndarray]:
    """The sector with a pre-history long enough for every lag; each firm's niche and deviation."""
    k = int(p["n_skills"])
    pre = max(int(p["curriculum_lag_months"]), int(p["external_skill_vintage_months"])) + 1
    history = np.zeros((pre + horizon + 1, k))
    sector = rng.uniform(*SECTOR_RANGE, k)
    niche = float(p["firm_divergence"]) * NICHE_SD * rng.standard_normal((n_firms, k))
    deviation = np.zeros((n_firms, k))
    for h in range(pre):
        history[h] = sector
        sector, deviation = drift_step(
            sector, deviation, float(p["tech_drift"]), float(p["drift_firm_share"]), rng
        )
    history[pre] = sector
    return Technology(sector, history, pre), niche, deviation


def drift(
    tech: Technology, firms: Firms, p: Mapping[str, Any], rng: np.random.Generator, month: int
) -> None:
    """One month of drift: the sector, each firm's deviation and so each firm's demand."""
    tech.sector, firms.deviation = drift_step(
        tech.sector, firms.deviation, float(p["tech_drift"]), float(p["drift_firm_share"]), rng
    )
    tech.history[tech.pre + month] = tech.sector
    firms.demand = demand_profiles(tech.sector, firms.niche, firms.deviation)
