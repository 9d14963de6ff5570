"""Process 1: technology drift of the sector's and each firm's demand, and new competencies.

The sector profile follows a reflected random walk and each firm's deviation
an AR(1) around its fixed niche (:func:`~community_sim.mechanics.skills.drift_step`);
a firm's demand is sector + niche + deviation, kept in range. Technology has
its own random stream, so every policy run with the same seed faces the same
drift path.

Directional change (``emergence_rate`` > 0): the last ``emerging_share`` of the
competencies (rounded) are new. They start at the lowest level in the sector profile,
its history and every firm's demand, and rise toward the level the drift gives
them as the sector, and each firm ``lead`` months ahead of it or behind, adopts
the new technology (:func:`~community_sim.mechanics.technology.emerging_profiles`).
The drift draws the same numbers whether or not competencies emerge; the
firms' timing comes from a stream of its own spawned from the technology
stream, so with ``emergence_rate`` = 0 nothing is drawn or changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from community_sim.mechanics.skills import drift_step
from community_sim.mechanics.technology import emerging_profiles
from community_sim.state import Emergence, Firms, Technology

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
    tech = Technology(sector, history, pre)
    if float(p["emergence_rate"]) > 0 and n_emerging(p) > 0:
        tech.emergence = emergence(p, tech, n_firms, rng)
    return tech, niche, deviation


def n_emerging(p: Mapping[str, Any]) -> int:
    """How many competencies are new: ``emerging_share`` of ``n_skills``, rounded (the share
    is at most 0.5, so at least one stays established)."""
    return round(float(p["emerging_share"]) * int(p["n_skills"]))


def emergence(
    p: Mapping[str, Any], tech: Technology, n_firms: int, rng: np.random.Generator
) -> Emergence:
    """The new competencies, not yet adopted: the sector's history has them at the lowest
    level; each firm's adoption lead is drawn from a stream spawned from ``rng``."""
    k = tech.sector.shape[0]
    (own,) = rng.spawn(1)
    lead = float(p["emergence_timing_sd_months"]) * own.standard_normal(n_firms)
    em = Emergence(k - n_emerging(p), float(p["emergence_rate"]), lead, tech.sector)
    rows = tech.pre + 1  # the pre-history and month 0: nothing adopted yet
    tech.history[:rows] = emerging_profiles(tech.history[:rows], em.first, np.zeros(rows), em.rate)
    tech.sector = tech.history[tech.pre].copy()
    return em


def drift(
    tech: Technology, firms: Firms, p: Mapping[str, Any], rng: np.random.Generator, month: int
) -> None:
    """One month of drift (and adoption): the sector, each firm's deviation and demand."""
    em = tech.emergence
    walk, firms.deviation = drift_step(
        tech.sector if em is None else em.walk,
        firms.deviation,
        float(p["tech_drift"]),
        float(p["drift_firm_share"]),
        rng,
    )
    if em is None:
        tech.sector = walk
    else:
        em.walk, em.months = walk, month + 1
        months = np.array([float(em.months)])
        tech.sector = emerging_profiles(walk[None, :], em.first, months, em.rate)[0]
    tech.history[tech.pre + month] = tech.sector
    firms.demand = tech.demand(firms.niche, firms.deviation)
