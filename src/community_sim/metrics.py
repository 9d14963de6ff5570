"""The outcomes' computation (definitions: :mod:`community_sim.outputs`, re-exported).

The :class:`Recorder` collects monthly series into preallocated arrays and a
growable hire ledger; nothing in the model reads them back (observation only).
Scalars are read over the post-burn-in window ``[burn_in, steps)``. An outcome
whose window holds no observation is undefined and reported as NaN, never as a
number standing in for it (a cost per hire of 0 when there was no hire would
read as the best result). Each definition says when its outcome is undefined
(:attr:`Outcome.undefined`); a run shorter than the burn-in has an empty window,
so every window-based outcome is NaN.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from community_sim.agents.student import ENROLLED, EXTERNAL, OWN, PARTNER
from community_sim.mechanics.bookkeeping import enrolment_counts
from community_sim.mechanics.skills import skill_match
from community_sim.mechanics.ufuncs import count_nonzero
from community_sim.outputs import LABELS, OUTCOMES, PER_HIRE_SERIES, SERIES, Outcome
from community_sim.state import INTEGRATED, NO_TIE, PROJECT
from community_sim.survival import (
    cooperation_spells,
    kaplan_meier,
    partnership_spells,
    restricted_mean,
    survival_at,
    survival_defined_at,
    survival_or_nan,
    tie_spells,
)

if TYPE_CHECKING:
    from community_sim.agents.partnership import Partnership
    from community_sim.model import CommunityModel

SURVIVAL_HORIZON_MONTHS = 60
SOURCES = {"own": OWN, "partner": PARTNER, "external": EXTERNAL}
"""Hire sources of the by-source cost per hire: ``trial_error_cost_per_hire_weeks_<source>``."""

__all__ = [
    "LABELS",
    "OUTCOMES",
    "SERIES",
    "SURVIVAL_HORIZON_MONTHS",
    "Outcome",
    "Recorder",
    "SeriesCollector",
    "compute_outcomes",
    "curriculum_gap",
    "kaplan_meier",
    "restricted_mean",
    "series_frame",
    "survival_at",
    "survival_defined_at",
]


class Recorder:
    """Preallocated monthly series and a growable hire ledger."""

    def __init__(self, steps: int) -> None:
        self.series = {name: np.zeros(steps) for name in SERIES}
        for name in PER_HIRE_SERIES:  # undefined until the month's hires are booked
            self.series[name][:] = np.nan
        self.training = np.zeros(steps)  # firms' training ledger, currency
        # This month's entry of ``training``, summed on a Python float (the same additions
        # in the same order as into the array) and written at the month's observation.
        self._training_now = 0.0
        self.apprentice_months = np.zeros(steps)
        self.sme_share = np.zeros(steps)
        self.coverage = np.zeros(steps)
        self.hire_month: list[NDArray[np.int64]] = []
        self.hire_source: list[NDArray[np.int64]] = []
        self.hire_weeks: list[NDArray[np.float64]] = []
        self.hire_cost: list[NDArray[np.float64]] = []
        self.hire_match: list[NDArray[np.float64]] = []
        self.hire_sep: list[NDArray[np.bool_]] = []
        # The ties' ledgers: each month's change of their sum, and retention bonuses paid
        # to firms in a tie.
        self.tie_return = np.zeros(steps)
        self.bonus = np.zeros(steps)
        self._open: list[Partnership] = []  # ties open at the last observation
        self._active: list[Partnership] | None = None  # the registry's active ties then
        self._finishing = 0  # and how many spells were finishing
        self._seen = 0  # spells already looked at
        self._closed_total = 0.0  # final ledgers of closed ties
        self._ledger_total = 0.0  # every tie's ledger at the last observation
        self.tie_kind: NDArray[np.int8] | None = None  # (steps, firms): NO_TIE/PROJECT/...
        self._smes: NDArray[np.bool_] | None = None  # which firms are SMEs
        self.month = 0

    def add_training(self, amount: float) -> None:
        self._training_now += amount

    def add_bonus(self, paid: float, tied: float) -> None:
        """Retention bonuses: all ``paid`` to firms (their training ledger), and the part
        ``tied`` paid to firms in a tie (what their ties return)."""
        self._training_now += paid
        self.bonus[self.month] += tied

    def _observe_ledgers(self, model: CommunityModel) -> None:
        """The month's change of the ties' ledgers (``surplus_enterprise``), summed.

        A closed tie's ledger no longer moves once its last apprentices have finished
        (a leaving firm's spell books them until then), so it is added once, when it
        is first seen closed and not finishing; open ties are summed each month. Which
        ties are open changes only with a tie change (the registry's list of active ties
        is then a new one) or when a finishing spell ends: in other months the last
        month's open ties are summed again.
        """
        spells = model.partnerships
        registry = model.registry
        finishing = registry.finishing
        active = registry.active
        if active is self._active and len(finishing) == self._finishing:
            open_total = 0.0
            for tie in self._open:
                open_total += tie.surplus_enterprise
        else:
            watch = self._open + spells[self._seen :]
            self._seen = len(spells)
            still: list[Partnership] = []
            open_total = 0.0
            for tie in watch:
                if tie.active or finishing.get(tie.enterprise.idx) is tie:
                    still.append(tie)
                    open_total += tie.surplus_enterprise
                else:
                    self._closed_total += tie.surplus_enterprise
            self._open = still
            self._active, self._finishing = active, len(finishing)
        total = self._closed_total + open_total
        self.tie_return[self.month] = total - self._ledger_total
        self._ledger_total = total

    def add_hires(
        self,
        source: NDArray[np.int64],
        weeks: NDArray[np.float64],
        cost: NDArray[np.float64],
        match: NDArray[np.float64],
        sep: NDArray[np.bool_],
    ) -> None:
        src = np.asarray(source, dtype=np.int64)
        n = src.size
        if n == 0:  # the month's counts and cost stay 0, its means undefined (NaN)
            return
        t = self.month
        s = self.series
        weeks = np.asarray(weeks, dtype=np.float64)
        cost = np.asarray(cost, dtype=np.float64)
        match = np.asarray(match, dtype=np.float64)
        counts = np.bincount(src, minlength=3).tolist()
        s["hires_own"][t] = counts[OWN]
        s["hires_partner"][t] = counts[PARTNER]
        s["hires_external"][t] = counts[EXTERNAL]
        # Sums as ndarray.sum computes them, without its dispatch; a mean is the sum
        # over the count (as np.mean computes it).
        add = np.add.reduce
        s["trial_error_cost"][t] = float(add(cost, axis=None))
        s["cost_per_hire_weeks"][t] = float(add(weeks, axis=None)) / n
        s["skill_match"][t] = float(add(match, axis=None)) / n
        self.hire_month.append(np.full(n, t, dtype=np.int64))
        self.hire_source.append(src)
        self.hire_weeks.append(weeks)
        self.hire_cost.append(cost)
        self.hire_match.append(match)
        self.hire_sep.append(np.asarray(sep, dtype=bool))

    def observe(self, model: CommunityModel) -> None:
        """Process 8: the month's state-based series."""
        t = self.month
        s = self.series
        self.training[t] = self._training_now
        self._training_now = 0.0
        if self.tie_kind is None:
            self.tie_kind = np.zeros((self.training.size, len(model.enterprises)), np.int8)
        self.tie_kind[t] = model.ties.kind
        self._observe_ledgers(model)
        active = model.active_ties
        kind = model.ties.kind  # each firm's tie, kept with the ties (TieRegistry.refresh)
        s["ties_project"][t] = count_nonzero(kind == PROJECT)
        s["ties_integrated"][t] = count_nonzero(kind == INTEGRATED)
        s["placements"][t] = model.month_apprentices
        # The mean as np.mean computes it (the sum over the count), without its dispatch.
        trust = np.array([tie.mutual_trust for tie in active])
        s["mean_trust"][t] = float(np.add.reduce(trust) / trust.size) if active else np.nan
        s["curriculum_gap"][t] = curriculum_gap(model)
        n_firms = len(model.enterprises)
        s["participation"][t] = len(active) / n_firms if n_firms else np.nan
        s["government_spend"][t] = model.government.spent_month
        st = model.students
        n_enrolled, n_mid, n_placed = enrolment_counts(
            st.status, st.host, model.stages(), st.first, st.n, ENROLLED
        )
        s["enrolled"][t] = n_enrolled  # model.n_enrolled()
        self.apprentice_months[t] = model.month_apprentices
        if self._smes is None:  # which firms are SMEs never changes
            self._smes = np.array([not e.is_leading for e in model.enterprises], dtype=bool)
        n_smes = count_nonzero(self._smes)
        with_tie = count_nonzero(kind[self._smes] != NO_TIE)
        self.sme_share[t] = with_tie / n_smes if n_smes else np.nan
        self.coverage[t] = n_placed / n_mid if n_mid else np.nan
        self.month = t + 1


def curriculum_gap(model: CommunityModel) -> float:
    """Mean shortfall of the colleges' taught profiles against the current demand of the
    firms of their own region (0–1)."""
    if len(model.D):  # this month's, made once for every reader
        tables = model.colleges.same_region_fits(model.D)
    else:  # no firms: the sector
        tables = [skill_match(model.C[:, None, :], model.sector[None, None, :])]
    # The mean as np.mean computes it (the sum over the count), without its dispatch.
    total = sum(np.add.reduce(t, axis=None) for t in tables)
    return float(1.0 - total / sum(t.size for t in tables))


def _mean(x: NDArray[np.float64]) -> float:
    """Mean of the finite entries; NaN when there is none (no observation, no number)."""
    x = x[np.isfinite(x)]
    return float(x.mean()) if x.size else float("nan")


def cost_per_hire_by_source(
    source: NDArray[np.int64], weeks: NDArray[np.float64]
) -> dict[str, float]:
    """Mean trial-and-error weeks per hire of each source; NaN for a source without hires.

    The pooled mean is their mean weighted by the hires of each source, so it can
    rise while every source's falls when the mix of sources shifts.

    References
    ----------
    Simpson, E.H. (1951) The interpretation of interaction in contingency tables.
        J. R. Stat. Soc. B 13, 238–241.
    """
    return {
        f"trial_error_cost_per_hire_weeks_{name}": _mean(weeks[source == code])
        for name, code in SOURCES.items()
    }


def compute_outcomes(model: CommunityModel) -> dict[str, float]:
    """Every scalar in :data:`OUTCOMES` for the run so far; NaN where undefined."""
    nan = float("nan")
    rec = model.recorder
    steps = rec.month
    lo = int(model.p["burn_in_months"])
    months = max(steps - lo, 0)  # the window [lo, steps); empty before the burn-in ends
    years = months / 12.0
    out: dict[str, float] = {}

    spells = model.partnerships
    out["partnership_survival_5y"] = survival_or_nan(
        *partnership_spells(spells, steps), SURVIVAL_HORIZON_MONTHS
    )
    out["cooperation_survival_5y"] = survival_or_nan(
        *cooperation_spells(spells, steps), SURVIVAL_HORIZON_MONTHS
    )
    times, surv = kaplan_meier(*tie_spells(spells, steps))
    out["mean_partnership_duration_months"] = (
        restricted_mean(times, surv, float(steps)) if spells and steps else nan
    )
    out["enterprise_participation"] = _mean(rec.series["participation"][lo:steps])

    if rec.hire_month:
        month = np.concatenate(rec.hire_month)
        w = month >= lo
        weeks = np.concatenate(rec.hire_weeks)[w]
        cost = np.concatenate(rec.hire_cost)[w]
        match = np.concatenate(rec.hire_match)[w]
        sep = np.concatenate(rec.hire_sep)[w].astype(float)
        source = np.concatenate(rec.hire_source)[w]
    else:
        weeks = cost = match = sep = np.zeros(0)
        source = np.zeros(0, dtype=np.int64)
    out["trial_error_cost_per_hire_weeks"] = _mean(weeks)
    out.update(cost_per_hire_by_source(source, weeks))
    out["trial_error_cost_total"] = float(cost.sum()) / years if months else nan
    out["early_separation_rate"] = _mean(sep)
    out["skill_match"] = _mean(match)

    st = model.students
    g = st.grad_month[: st.n]
    obs6 = (g >= lo) & (g + 6 <= steps - 1)
    emp = st.employed_month[: st.n]
    ok6 = (emp >= 0) & (emp - g <= 6)
    out["employment_rate_6m"] = _mean(ok6[obs6].astype(float))
    obs12 = (g >= lo) & (g + 12 <= steps - 1) & (st.trained_by[: st.n] >= 0)
    left = st.left_month[: st.n]
    kept = (st.employer[: st.n] == st.trained_by[: st.n]) & ((left < 0) | (left > g + 12))
    out["retention_training_firm"] = _mean(kept[obs12].astype(float))

    app_years = rec.apprentice_months[lo:steps].sum() / 12.0
    out["enterprise_net_benefit_per_apprentice"] = (
        float(rec.training[lo:steps].sum()) / app_years if app_years > 0 else nan
    )
    tie_months = np.count_nonzero(rec.tie_kind[lo:steps]) if rec.tie_kind is not None else 0
    ret = float(rec.tie_return[lo:steps].sum() + rec.bonus[lo:steps].sum())
    out["firm_return_per_tie_year"] = ret / (tie_months / 12.0) if tie_months else nan
    spend = float(rec.series["government_spend"][lo:steps].sum())
    out["government_spend"] = spend / years if months else nan
    retained = int(np.count_nonzero(kept & obs12))
    out["spend_per_retained_graduate"] = spend / retained if retained else nan
    out["community_cohesion"] = _mean(rec.series["mean_trust"][lo:steps])
    out["sme_participation"] = _mean(rec.sme_share[lo:steps])
    out["placement_coverage"] = _mean(rec.coverage[lo:steps])
    return {k: float(out[k]) for k in OUTCOMES}


def series_frame(rec: Recorder) -> pd.DataFrame:
    """The series so far, index ``step`` = 1..steps."""
    n = rec.month
    df = pd.DataFrame({k: v[:n].copy() for k, v in rec.series.items()})
    df.index = pd.RangeIndex(1, n + 1, name="step")
    return df


class SeriesCollector:
    """A read-only stand-in for Mesa's ``DataCollector`` over the recorder's arrays.

    ``mesa.batch_run`` and SolaraViz plots read ``model.datacollector``; this
    exposes the monthly series without per-step collection cost. Entry ``k`` of
    each list is month ``k`` (0-based), i.e. row ``step = k + 1`` of
    :func:`series_frame`.
    """

    agent_reporters: dict[str, object] = {}  # noqa: RUF012 - read-only, matches Mesa's API

    def __init__(self, rec: Recorder) -> None:
        self._rec = rec
        self._agent_records: dict[int, list[object]] = {}
        self.model_reporters = dict.fromkeys(SERIES)

    @property
    def model_vars(self) -> dict[str, list[float]]:
        n = self._rec.month
        return {k: v[:n].tolist() for k, v in self._rec.series.items()}

    def collect(self, model: object) -> None:
        """Nothing to do: the model records its series as it steps."""

    def get_model_vars_dataframe(self) -> pd.DataFrame:
        return series_frame(self._rec).reset_index(drop=True)
