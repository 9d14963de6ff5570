"""Outcome definitions (scalars and monthly series) and their computation.

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

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from community_sim.agents.student import ENROLLED, EXTERNAL, OWN, PARTNER
from community_sim.mechanics.skills import skill_match

if TYPE_CHECKING:
    from community_sim.model import CommunityModel

SURVIVAL_HORIZON_MONTHS = 60


@dataclass(frozen=True)
class Outcome:
    """One reported quantity: name, unit, a one-line definition and when it is undefined."""

    name: str
    unit: str
    doc: str
    label: str = ""  # short readable name for tables and figure axes
    undefined: str = ""  # when the value is NaN ("" if always defined)


LABELS: dict[str, str] = {
    "partnership_survival_5y": "5-year partnership survival",
    "mean_partnership_duration_months": "mean partnership duration",
    "enterprise_participation": "enterprise participation",
    "trial_error_cost_per_hire_weeks": "trial-and-error cost per hire",
    "trial_error_cost_total": "trial-and-error cost, total",
    "early_separation_rate": "early separation rate",
    "skill_match": "skill match of new hires",
    "employment_rate_6m": "employment within 6 months",
    "retention_training_firm": "retention by the training firm",
    "enterprise_net_benefit_per_apprentice": "net benefit per apprentice",
    "government_spend": "government spend",
    "spend_per_retained_graduate": "spend per retained graduate",
    "community_cohesion": "community cohesion (trust)",
    "sme_participation": "SME participation",
    "placement_coverage": "placement coverage",
    "ties_project": "project ties",
    "ties_integrated": "integrated ties",
    "placements": "placements",
    "hires_own": "hires of own trainees",
    "hires_partner": "hires from partner colleges",
    "hires_external": "external hires",
    "trial_error_cost": "trial-and-error cost",
    "cost_per_hire_weeks": "trial-and-error cost per hire",
    "mean_trust": "mean trust of active ties",
    "curriculum_gap": "curriculum–demand gap",
    "participation": "enterprise participation",
    "enrolled": "students enrolled",
}
"""Readable labels, lower-case as in running text (figures capitalise where needed)."""


def _o(name: str, unit: str, doc: str, undefined: str = "") -> tuple[str, Outcome]:
    return name, Outcome(name, unit, doc, LABELS.get(name, ""), undefined)


_EMPTY = "the run is not longer than the burn-in (empty window)"


_OUTCOME_ROWS = (
    ("partnership_survival_5y", "share",
     "Kaplan–Meier survival of partnership spells at 60 months, open spells censored",
     "no spell, or no spell followed for 60 months while the estimate is above 0"),
    ("mean_partnership_duration_months", "months",
     "Restricted mean spell duration: area under the Kaplan–Meier curve up to the run "
     "length", "no spell, or no month run"),
    ("enterprise_participation", "share", "Mean share of enterprises in an active tie",
     f"no enterprise, or {_EMPTY}"),
    ("trial_error_cost_per_hire_weeks", "weeks of wages",
     "Mean trial-and-error cost (search + disruption + post-match) per hire",
     "no hire in the window"),
    ("trial_error_cost_total", "currency/yr", "Trial-and-error cost of all hires per year",
     _EMPTY),
    ("early_separation_rate", "share",
     "Share of hires that separate within 12 months because the match failed",
     "no hire in the window"),
    ("skill_match", "0-1",
     "Mean match of new hires' skills to their employer's demand", "no hire in the window"),
    ("employment_rate_6m", "share",
     "Share of graduates employed within 6 months, in or outside the modelled firms",
     "no graduate of the window observed for 6 months"),
    ("retention_training_firm", "share",
     "Share of graduates from a placement who work for their training firm 12 months "
     "after graduating", "no placed graduate of the window observed for 12 months"),
    ("enterprise_net_benefit_per_apprentice", "currency/yr",
     "Firms' training ledger per apprentice-year: output - apprentice pay - masters' time "
     "- placement set-up - rotation hand-over - council shares, membership, ingredient "
     "costs and masters' hours in the college - teacher placements carried - joining and "
     "renewal costs + subsidies, co-funding and retention bonuses",
     "no apprentice in the window"),
    ("government_spend", "currency/yr",
     "Subsidies, co-funding and retention bonuses paid per year", _EMPTY),
    ("spend_per_retained_graduate", "currency",
     "Government spend in the window per graduate retained by the training firm",
     "no placed graduate of the window observed for 12 months, or none of them retained"),
    ("community_cohesion", "0-1",
     "Mean of both sides' trust over active ties, over the months with a tie",
     "no active tie in any month of the window"),
    ("sme_participation", "share", "Mean share of SMEs in an active tie",
     f"no SME, or {_EMPTY}"),
    ("placement_coverage", "share",
     "Mean share of students in stages 2-3 placed with a host (the rest are simulated "
     "in college), over the months with such students",
     "no student in stages 2-3 in any month of the window"),
)  # fmt: skip
OUTCOMES: dict[str, Outcome] = dict(_o(*row) for row in _OUTCOME_ROWS)
"""Scalar outcomes per run."""

SERIES: dict[str, Outcome] = dict(
    [
        _o("ties_project", "ties", "Active project ties"),
        _o("ties_integrated", "ties", "Active integrated ties"),
        _o("placements", "apprentices", "Apprentices placed with a host this month"),
        _o("hires_own", "hires", "Hires of the firm's own trainees"),
        _o("hires_partner", "hires", "Hires of partner colleges' graduates"),
        _o("hires_external", "hires", "Hires from the external market"),
        _o("trial_error_cost", "currency/month", "Trial-and-error cost of the month's hires"),
        _o(
            "cost_per_hire_weeks",
            "weeks of wages",
            "Mean trial-and-error cost per hire this month",
            "no hire this month",
        ),
        _o(
            "skill_match",
            "0-1",
            "Mean match of this month's hires to their employer",
            "no hire this month",
        ),
        _o(
            "mean_trust",
            "0-1",
            "Mean of both sides' trust over active ties",
            "no active tie this month",
        ),
        _o(
            "curriculum_gap",
            "0-1",
            "Mean shortfall of the colleges' curricula against firms' current demand",
        ),
        _o("participation", "share", "Share of enterprises in an active tie", "no enterprise"),
        _o("government_spend", "currency/month", "Government payments this month"),
        _o("enrolled", "students", "Students enrolled"),
    ]
)
"""Monthly series (one value per step)."""

PER_HIRE_SERIES = ("cost_per_hire_weeks", "skill_match")


class Recorder:
    """Preallocated monthly series and a growable hire ledger."""

    def __init__(self, steps: int) -> None:
        self.series = {name: np.zeros(steps) for name in SERIES}
        for name in PER_HIRE_SERIES:  # undefined until the month's hires are booked
            self.series[name][:] = np.nan
        self.training = np.zeros(steps)  # firms' training ledger, currency
        self.apprentice_months = np.zeros(steps)
        self.sme_share = np.zeros(steps)
        self.coverage = np.zeros(steps)
        self.hire_month: list[NDArray[np.int64]] = []
        self.hire_source: list[NDArray[np.int64]] = []
        self.hire_weeks: list[NDArray[np.float64]] = []
        self.hire_cost: list[NDArray[np.float64]] = []
        self.hire_match: list[NDArray[np.float64]] = []
        self.hire_sep: list[NDArray[np.bool_]] = []
        self.month = 0

    def add_training(self, amount: float) -> None:
        self.training[self.month] += amount

    def add_hires(
        self,
        source: NDArray[np.int64],
        weeks: NDArray[np.float64],
        cost: NDArray[np.float64],
        match: NDArray[np.float64],
        sep: NDArray[np.bool_],
    ) -> None:
        t = self.month
        s = self.series
        src = np.asarray(source, dtype=np.int64)
        n = src.size
        counts = np.bincount(src, minlength=3).tolist() if n else [0, 0, 0]
        s["hires_own"][t] = counts[OWN]
        s["hires_partner"][t] = counts[PARTNER]
        s["hires_external"][t] = counts[EXTERNAL]
        s["trial_error_cost"][t] = float(np.asarray(cost).sum())
        # A mean is the sum over the count (as np.mean computes it).
        s["cost_per_hire_weeks"][t] = float(np.asarray(weeks).sum()) / n if n else np.nan
        s["skill_match"][t] = float(np.asarray(match).sum()) / n if n else np.nan
        if src.size:
            self.hire_month.append(np.full(src.size, t, dtype=np.int64))
            self.hire_source.append(src)
            self.hire_weeks.append(np.asarray(weeks, dtype=np.float64))
            self.hire_cost.append(np.asarray(cost, dtype=np.float64))
            self.hire_match.append(np.asarray(match, dtype=np.float64))
            self.hire_sep.append(np.asarray(sep, dtype=bool))

    def observe(self, model: CommunityModel) -> None:
        """Process 8: the month's state-based series."""
        t = self.month
        s = self.series
        active = model.active_ties
        kinds = [tie.kind for tie in active]
        s["ties_project"][t] = kinds.count("project")
        s["ties_integrated"][t] = kinds.count("integrated")
        s["placements"][t] = model.month_apprentices
        # The mean as np.mean computes it (the sum over the count), without its dispatch.
        trust = np.array([tie.mutual_trust for tie in active])
        s["mean_trust"][t] = float(np.add.reduce(trust) / trust.size) if active else np.nan
        s["curriculum_gap"][t] = curriculum_gap(model)
        n_firms = len(model.enterprises)
        s["participation"][t] = len(active) / n_firms if n_firms else np.nan
        s["government_spend"][t] = model.government.spent_month
        st = model.students
        lo = st.first
        enrolled = st.status[lo : st.n] == ENROLLED
        s["enrolled"][t] = np.count_nonzero(enrolled)  # model.n_enrolled()
        self.apprentice_months[t] = model.month_apprentices
        smes = [e for e in model.enterprises if not e.is_leading]
        self.sme_share[t] = sum(e.tie is not None for e in smes) / len(smes) if smes else np.nan
        stage = model.stages()
        mid = enrolled & ((stage == 2) | (stage == 3))
        placed = mid & (st.host[lo : st.n] >= 0)
        n_mid = int(np.count_nonzero(mid))
        self.coverage[t] = np.count_nonzero(placed) / n_mid if n_mid else np.nan
        self.month = t + 1


def curriculum_gap(model: CommunityModel) -> float:
    """Mean shortfall of the colleges' taught profiles against firms' current demand (0–1)."""
    cached = model.colleges.fit
    if cached is not None and cached[0] is model.C and cached[1] is model.D and len(model.D):
        # This month's table of curricula against demands, if cooperation already made it.
        table = cached[2]
        # The mean as np.mean computes it (the sum over the count), without its dispatch.
        return float(1.0 - np.add.reduce(table, axis=None) / table.size)
    demand = model.D if len(model.D) else model.sector[None, :]  # no firms: the sector
    # Colleges that follow the public signal share one curriculum: match each distinct
    # curriculum once, then spread the rows back to the full (colleges, firms) table.
    # (A dictionary of the rows' bytes: np.unique(axis=0) sorts, which costs more here.)
    distinct: dict[bytes, int] = {}
    inverse = [distinct.setdefault(row.tobytes(), len(distinct)) for row in model.C]
    cur = model.C[[inverse.index(u) for u in range(len(distinct))]]
    table = skill_match(cur[:, None, :], demand[None, :, :])[inverse]
    # The mean as np.mean computes it (the sum over the count), without its dispatch.
    return float(1.0 - np.add.reduce(table, axis=None) / table.size)


def kaplan_meier(
    durations: NDArray[np.float64], events: NDArray[np.bool_]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Kaplan–Meier estimate: event times and survival just after each (censored at ``~events``)."""
    if durations.size == 0:
        return np.zeros(0), np.zeros(0)
    times = np.unique(durations[events])
    surv = np.ones(times.size)
    s = 1.0
    for k, tm in enumerate(times):
        at_risk = np.count_nonzero(durations >= tm)
        died = np.count_nonzero((durations == tm) & events)
        s *= 1.0 - died / at_risk
        surv[k] = s
    return times, surv


def survival_at(times: NDArray[np.float64], surv: NDArray[np.float64], t: float) -> float:
    """S(t) from a Kaplan–Meier step function (1 before the first event)."""
    k = np.searchsorted(times, t, side="right")
    return 1.0 if k == 0 else float(surv[k - 1])


def survival_defined_at(
    durations: NDArray[np.float64], surv: NDArray[np.float64], t: float
) -> bool:
    """Whether the Kaplan–Meier estimate at ``t`` is identified by the data.

    Beyond the longest observed spell the curve is unknown unless it already
    reached 0: someone must have been followed to ``t``.

    References
    ----------
    Klein, J.P. & Moeschberger, M.L. (2003) Survival Analysis, 2nd ed.,
        Springer, ch. 4 (the Kaplan–Meier estimator beyond the largest time).
    """
    if durations.size == 0:
        return False
    return bool(np.max(durations) >= t or (surv.size and surv[-1] == 0.0))


def restricted_mean(times: NDArray[np.float64], surv: NDArray[np.float64], tau: float) -> float:
    """Area under the Kaplan–Meier curve on ``[0, tau]``."""
    edges = np.concatenate([[0.0], times[times < tau], [tau]])
    levels = np.concatenate([[1.0], surv[times < tau]])
    return float(np.sum(levels * np.diff(edges)))


def _mean(x: NDArray[np.float64]) -> float:
    """Mean of the finite entries; NaN when there is none (no observation, no number)."""
    x = x[np.isfinite(x)]
    return float(x.mean()) if x.size else float("nan")


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
    dur = np.array(
        [(tie.end if not tie.active else steps) - tie.start for tie in spells], dtype=float
    )
    ev = np.array([not tie.active for tie in spells], dtype=bool)
    times, surv = kaplan_meier(dur, ev)
    out["partnership_survival_5y"] = (
        survival_at(times, surv, SURVIVAL_HORIZON_MONTHS)
        if survival_defined_at(dur, surv, SURVIVAL_HORIZON_MONTHS)
        else nan
    )
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
    else:
        weeks = cost = match = sep = np.zeros(0)
    out["trial_error_cost_per_hire_weeks"] = _mean(weeks)
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
