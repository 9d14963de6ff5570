"""Pattern statistics that are not among the model's outcomes, read from a run.

:func:`observed_run` is an experiment model (``f(params, seed) -> dict``): it
steps a :class:`~community_sim.model.CommunityModel` month by month, watches
the apprentices' placements between steps (as an observer, without changing
the model), and after the run computes, besides every scalar outcome:

- ``early_termination_share``: placements started after the burn-in and
  completed within the run that ended early (Muehlemann & Wolter 2014's
  "early contract termination");
- ``early_termination_year1_share``: of those early ends, the share in the
  placement's first year;
- ``relative_productivity_y2``/``_y3``: the host's realised output per
  apprentice-month relative to a skilled worker in productive work
  (ramp × relative fit, the output formula of ``processes.placement``
  evaluated on the apprentice's state at the month's end), by programme year;
- ``external_hire_weeks``: the mean trial-and-error cost of an external hire;
- ``external_search_share``/``_disruption_share``/``_post_match_share``: the
  split of external hires' total cost into its three parts, with each hire's
  post-match factor taken in expectation over the external worker's aptitude
  (the recorder keeps each hire's skill match, not the aptitude draw);
- ``n_external_hires``, ``external_weeks_total``: external hires and their
  summed weeks per year (for marginal-cost contrasts);
- ``net_benefit_wage_share``: firms' training ledger per apprentice-year as a
  share of a skilled worker's annual wage.

A statistic whose window holds no observation is NaN ("not observed").

References
----------
Muehlemann, S. & Wolter, S. C. (2014). Return on investment of apprenticeship
systems for enterprises: evidence from cost-benefit analyses. IZA Journal of
Labor Policy 3:25.
Muehlemann, S. & Strupler Leiser, M. (2018). Hiring costs and labor market
tightness. Labour Economics 52, 122–131.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from community_sim.agents.student import ENROLLED, EXTERNAL
from community_sim.mechanics.apprentice import relative_output
from community_sim.mechanics.labour import cost_parts, post_match_factors
from community_sim.mechanics.skills import effective_mismatch
from community_sim.model import CommunityModel
from community_sim.params import validate_params

STATISTICS: tuple[str, ...] = (
    "early_termination_share",
    "early_termination_year1_share",
    "relative_productivity_y2",
    "relative_productivity_y3",
    "external_hire_weeks",
    "external_search_share",
    "external_disruption_share",
    "external_post_match_share",
    "n_external_hires",
    "external_weeks_total",
    "net_benefit_wage_share",
)
"""Statistics :func:`observed_run` adds to the model's outcomes."""

PLACEMENT_MONTHS = 24
"""Longest placement (programme years 2–3): spells starting later may be cut by the horizon."""

_QUADRATURE = 64
"""Quantile nodes for the expectation over a lognormal aptitude."""


@dataclass
class PlacementLog:
    """Placement spells seen between steps: start month, and how and when each ended."""

    start: list[int] = field(default_factory=list)
    end: list[int] = field(default_factory=list)
    early: list[bool] = field(default_factory=list)
    year: list[int] = field(default_factory=list)
    prod_year: list[NDArray[np.int64]] = field(default_factory=list)
    prod_value: list[NDArray[np.float64]] = field(default_factory=list)
    prod_month: list[int] = field(default_factory=list)


def _watch_step(model: CommunityModel, log: PlacementLog) -> None:
    """Step the model once and record the placements that ended and the month's output."""
    st = model.students
    month = model.month
    lo, hi = st.first, st.n
    host_before = st.host[lo:hi].copy()
    start_before = st.host_start[lo:hi].copy()
    model.step()
    n_before = hi - lo
    host_after = st.host[lo:hi]
    ended = (host_before >= 0) & (host_after < 0)
    early = ended & st.terminated[lo:hi]
    for k in np.flatnonzero(ended):
        log.start.append(int(start_before[k]))
        log.end.append(month)
        log.early.append(bool(early[k]))
        log.year.append(int((month - start_before[k]) // 12))
    # Output per apprentice-month, on the state the host's output was computed from:
    # apprentices still placed, and those whose placement ended early this month.
    rows = np.arange(lo, hi)
    placed = (st.status[lo:hi] == ENROLLED) & ((host_after >= 0) | early)
    if n_before and placed.any():
        r = rows[placed]
        host = np.where(host_after[placed] >= 0, host_after[placed], host_before[placed])
        prog_month = st.month[r] - 1  # incremented at the end of the step
        started = np.where(host_after[placed] >= 0, st.host_start[r], start_before[placed])
        first = (month - started) // 12 < 1
        # The model's own rules (ramp × relative fit), on the state the output was computed from.
        value = relative_output(
            st.skills, st.aptitude, r, host, model.firms.demand, prog_month, first
        )
        log.prod_year.append(prog_month // 12 + 1)
        log.prod_value.append(value)
        log.prod_month.append(month)


def expected_post_factor(match: NDArray[np.float64], aptitude_sd: float) -> NDArray[np.float64]:
    """E[min(m/m0, 3)] over a lognormal(0, sd) aptitude, m the effective mismatch of ``match``."""
    from scipy.stats import norm

    q = norm.ppf((np.arange(_QUADRATURE) + 0.5) / _QUADRATURE)
    apt = np.exp(aptitude_sd * q)
    mis = effective_mismatch(np.asarray(match, dtype=np.float64)[:, None], apt[None, :])
    return np.asarray(post_match_factors(mis).mean(axis=1), dtype=np.float64)


def _spell_stats(log: PlacementLog, burn: int, steps: int) -> dict[str, float]:
    start = np.asarray(log.start, dtype=np.int64)
    early = np.asarray(log.early, dtype=bool)
    year = np.asarray(log.year, dtype=np.int64)
    # Spells that started after the burn-in and early enough to have run their course.
    keep = (start >= burn) & (start <= steps - PLACEMENT_MONTHS)
    n = int(np.count_nonzero(keep))
    n_early = int(np.count_nonzero(early & keep))
    out = {"early_termination_share": n_early / n if n else np.nan}
    out["early_termination_year1_share"] = (
        float(np.count_nonzero(early & keep & (year == 0))) / n_early if n_early else np.nan
    )
    if log.prod_year:
        months = np.repeat(log.prod_month, [a.size for a in log.prod_year])
        years = np.concatenate(log.prod_year)
        value = np.concatenate(log.prod_value)
        window = months >= burn
        for y in (2, 3):
            sel = window & (years == y)
            out[f"relative_productivity_y{y}"] = float(value[sel].mean()) if sel.any() else np.nan
    else:
        out["relative_productivity_y2"] = out["relative_productivity_y3"] = np.nan
    return out


def _hire_stats(model: CommunityModel, burn: int, steps: int) -> dict[str, float]:
    rec = model.recorder
    nan = dict.fromkeys(
        (
            "external_hire_weeks",
            "external_search_share",
            "external_disruption_share",
            "external_post_match_share",
        ),
        np.nan,
    )
    years = max(steps - burn, 1) / 12.0
    if not rec.hire_month:
        return {**nan, "n_external_hires": 0.0, "external_weeks_total": 0.0}
    month = np.concatenate(rec.hire_month)
    ext = (np.concatenate(rec.hire_source) == EXTERNAL) & (month >= burn)
    weeks = np.concatenate(rec.hire_weeks)[ext]
    match = np.concatenate(rec.hire_match)[ext]
    out = {"n_external_hires": weeks.size / years, "external_weeks_total": weeks.sum() / years}
    if weeks.size == 0:
        return {**nan, **out}
    post = expected_post_factor(match, float(model.p["aptitude_sd"]))
    # The bracket's three parts (search share 1 for externals), by the model's own rule.
    parts = np.array([cost_parts(1.0, x) for x in post.tolist()]).reshape(-1, 3)
    # Each hire's weeks split in proportion to its three terms.
    split = (weeks[:, None] * parts / parts.sum(axis=1, keepdims=True)).sum(axis=0) / weeks.sum()
    out.update(
        external_hire_weeks=float(weeks.mean()),
        external_search_share=float(split[0]),
        external_disruption_share=float(split[1]),
        external_post_match_share=float(split[2]),
    )
    return out


def observed_run(params: Mapping[str, Any], seed: int) -> dict[str, float]:
    """Run the model at ``params`` (its whole horizon) and return outcomes + :data:`STATISTICS`."""
    full = validate_params(dict(params))
    model = CommunityModel(seed=int(seed), **full)
    log = PlacementLog()
    try:
        steps = int(full["horizon_months"])
        for _ in range(steps):
            _watch_step(model, log)
        burn = int(full["burn_in_months"])
        burn = burn if steps > burn else 0
        out = dict(model.outcomes())
        out.update(_spell_stats(log, burn, steps))
        out.update(_hire_stats(model, burn, steps))
        wage_year = 12.0 * float(full["skilled_wage"])
        out["net_benefit_wage_share"] = out["enterprise_net_benefit_per_apprentice"] / wage_year
    finally:
        model.release()
    return {k: float(v) for k, v in out.items()}
