"""The model's parameter space, declared once.

Every parameter has a name, default, unit, bounds (or choices), a one-line
description and, where one exists, its source. Validation, ``community-sim
params``, experiment designs and the sensitivity-analysis problem all derive
from :data:`PARAMS` (as EMA Workbench's ``RealParameter``/``IntegerParameter``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from community_sim.errors import UserError, did_you_mean

Kind = Literal["real", "int", "cat", "bool"]
Value = float | int | str | bool


@dataclass(frozen=True)
class Param:
    """One model parameter."""

    name: str
    default: Value
    kind: Kind
    unit: str
    doc: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    source: str = ""
    group: str = "model"

    def bounds_text(self) -> str:
        if self.kind == "cat":
            return " | ".join(self.choices)
        if self.kind == "bool":
            return "true | false"
        return f"[{self.low:g}, {self.high:g}]"

    def check(self, value: Any, source: str | None = None) -> Value:
        """Return ``value`` coerced to this parameter's type, or raise UserError."""
        key = self.name
        if self.kind == "cat":
            if not isinstance(value, str) or value not in self.choices:
                raise UserError(
                    f"{value!r} is not allowed; choose one of {', '.join(self.choices)}",
                    source=source,
                    key=key,
                )
            return value
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise UserError(f"{value!r} is not true or false", source=source, key=key)
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise UserError(
                f"{value!r} is not a number; expected a {self.kind} in {self.bounds_text()}",
                source=source,
                key=key,
            )
        if self.kind == "int":
            if float(value) != int(value):
                raise UserError(
                    f"{value!r} is not a whole number ({self.unit})", source=source, key=key
                )
            value = int(value)
        else:
            value = float(value)
        assert self.low is not None and self.high is not None  # declared below for numbers
        if not self.low <= value <= self.high:
            raise UserError(
                f"{value:g} is out of bounds; allowed {self.bounds_text()} ({self.unit})",
                source=source,
                key=key,
            )
        return value


def _r(name: str, default: float, low: float, high: float, unit: str, doc: str, **kw: Any):
    return Param(name, float(default), "real", unit, doc, low, high, **kw)


def _i(name: str, default: int, low: int, high: int, unit: str, doc: str, **kw: Any):
    return Param(name, int(default), "int", unit, doc, low, high, **kw)


_DECLARED: tuple[Param, ...] = (
    # --- policy and scale -------------------------------------------------
    Param(
        "policy",
        "project",
        "cat",
        "-",
        "Cooperation policy: project contracts, integrated industrial college, or transition",
        choices=("project", "integrated", "transition"),
        group="policy",
    ),
    _i(
        "horizon_months",
        120,
        12,
        600,
        "months",
        "Simulated horizon (one step = one month)",
        group="scale",
    ),
    _i(
        "burn_in_months",
        24,
        0,
        240,
        "months",
        "Months discarded before outcomes are read",
        group="scale",
    ),
    _i("n_schools", 3, 1, 1000, "colleges", "Vocational colleges", group="scale"),
    _i("n_leading", 4, 0, 10000, "firms", "Leading enterprises", group="scale"),
    _i("n_smes", 20, 0, 100000, "firms", "Small and medium enterprises", group="scale"),
    _i(
        "intake_per_school",
        250,
        10,
        10000,
        "students/yr",
        "September intake per college",
        group="scale",
    ),
    _i(
        "programme_months",
        36,
        12,
        60,
        "months",
        "Length of the vocational programme",
        group="scale",
    ),
    _i("n_skills", 8, 2, 32, "competencies", "Competencies in a skill profile (K)", group="scale"),
    _i(
        "leading_headcount",
        400,
        20,
        20000,
        "workers",
        "Initial skilled headcount of a leading firm",
        group="scale",
    ),
    _i(
        "sme_headcount",
        40,
        5,
        2000,
        "workers",
        "Initial skilled headcount of an SME",
        group="scale",
    ),
    # --- technology -------------------------------------------------------
    _r(
        "tech_drift",
        0.03,
        0.0,
        0.30,
        "1/yr",
        "Annual share of the job-relevant skill profile that is renewed",
        source="Deming & Noray 2020, QJE 135(4); big-data-era range from grey literature",
        group="technology",
    ),
    _r(
        "firm_divergence",
        0.3,
        0.0,
        1.0,
        "-",
        "How far firms' demand profiles differ from the sector mean (0 = identical)",
        group="technology",
    ),
    _r(
        "drift_firm_share",
        0.5,
        0.0,
        1.0,
        "-",
        "Share of technology drift that is firm-specific rather than a common sector trend",
        group="technology",
    ),
    _i(
        "curriculum_lag_months",
        36,
        0,
        120,
        "months",
        "Lag of the public sector-demand signal a college without partners follows",
        group="technology",
    ),
    _r(
        "codesign_rate",
        1.0,
        0.0,
        2.0,
        "1/yr",
        "Rate at which a co-designed curriculum moves toward partners' demand",
        group="technology",
    ),
    # --- learning ---------------------------------------------------------
    _r(
        "learn_rate_school",
        0.05,
        0.0,
        0.3,
        "1/month",
        "Monthly share of the gap to the taught profile a student closes in school",
        group="learning",
    ),
    _r(
        "learn_rate_firm",
        0.06,
        0.0,
        0.3,
        "1/month",
        "Monthly share of the gap to the host's demand closed while placed",
        group="learning",
    ),
    _r(
        "master_boost",
        0.5,
        0.0,
        3.0,
        "-",
        "Relative increase of the learning rate when an enterprise master teaches",
        group="learning",
    ),
    _r(
        "aptitude_sd",
        0.25,
        0.0,
        1.0,
        "-",
        "Dispersion of latent aptitude (log-normal sigma of the learning-rate multiplier)",
        group="learning",
    ),
    _r(
        "disuse_decay",
        0.10,
        0.0,
        0.5,
        "1/yr",
        "Decay of competencies not used (use-it-or-lose-it)",
        source="Gilbert, Pyka & Ahrweiler 2001, JASSS 4(3)8",
        group="learning",
    ),
    _r(
        "skill_depreciation",
        0.0125,
        0.0,
        0.05,
        "1/yr",
        "General skill depreciation",
        source="Arrazola & de Hevia 2004",
        group="learning",
    ),
    # --- apprentice economics ----------------------------------------------
    _r(
        "skilled_wage",
        6000.0,
        1000.0,
        30000.0,
        "currency/month",
        "Skilled worker's wage",
        group="economics",
    ),
    _r(
        "apprentice_pay_share",
        0.20,
        0.0,
        1.0,
        "-",
        "Apprentice pay as a share of the skilled wage",
        group="economics",
    ),
    _r(
        "productive_share",
        0.75,
        0.0,
        1.0,
        "-",
        "Share of an apprentice's time spent on productive work",
        source="Muehlemann & Wolter 2014, IZA J. Labor Policy 3:25",
        group="economics",
    ),
    _r(
        "master_time_share",
        0.08,
        0.0,
        0.5,
        "-",
        "Share of a master's working time spent per placed apprentice",
        group="economics",
    ),
    _i(
        "project_length_months",
        12,
        3,
        60,
        "months",
        "Length of a project contract",
        group="economics",
    ),
    _r(
        "renegotiation_cost",
        5000.0,
        0.0,
        100000.0,
        "currency",
        "Transaction cost to each side of signing or renewing a project contract",
        group="economics",
    ),
    _r(
        "integration_setup_cost",
        60000.0,
        0.0,
        1000000.0,
        "currency",
        "One-off cost of joining an industrial college, per tie",
        group="economics",
    ),
    _r(
        "governance_cost_annual",
        24000.0,
        0.0,
        500000.0,
        "currency/yr",
        "Council governance cost of an integrated tie, per tie and year",
        group="economics",
    ),
    _r(
        "early_termination_rate",
        0.22,
        0.0,
        0.6,
        "-",
        "Share of placements that end early (about 62% of them in year 1)",
        source="Muehlemann & Wolter 2014",
        group="economics",
    ),
    # --- labour market ------------------------------------------------------
    _r(
        "unemployment_rate",
        0.05,
        0.01,
        0.25,
        "-",
        "Unemployment rate of skilled labour",
        group="labour",
    ),
    _r(
        "turnover_rate",
        0.15,
        0.0,
        0.5,
        "1/yr",
        "Annual quit rate of skilled workers",
        group="labour",
    ),
    _r(
        "growth_rate",
        0.02,
        -0.1,
        0.2,
        "1/yr",
        "Annual employment growth of enterprises",
        group="labour",
    ),
    _r(
        "hire_cost_weeks",
        16.0,
        2.0,
        40.0,
        "weeks of wages",
        "Mean trial-and-error cost of an external skilled hire at the calibration point",
        source="Muehlemann & Strupler Leiser 2018, Labour Economics 52",
        group="labour",
    ),
    _r(
        "hire_cost_convexity",
        0.5,
        0.0,
        3.0,
        "-",
        "Convexity of hiring cost in the number of hires (marginal cost rises)",
        source="Blatter, Muehlemann & Schenker 2012, EER 56(1)",
        group="labour",
    ),
    _r(
        "unemployment_cost_elasticity",
        0.05,
        0.0,
        0.2,
        "1/point",
        "Relative fall of hiring cost per point of unemployment",
        source="Blatter, Muehlemann & Schenker 2012",
        group="labour",
    ),
    _r(
        "mismatch_separation",
        0.6,
        0.0,
        1.0,
        "-",
        "Probability that a fully mismatched hire separates within 12 months",
        group="labour",
    ),
    _r(
        "poaching_rate",
        0.05,
        0.0,
        0.5,
        "1/yr",
        "Annual rate at which other firms poach trained graduates",
        group="labour",
    ),
    # --- trust and decisions ------------------------------------------------
    _r(
        "trust_gain",
        0.10,
        0.0,
        1.0,
        "-",
        "Trust learning rate after a good period",
        source="Pant & Yu 2025 (technical report; sensitivity range)",
        group="trust",
    ),
    _r(
        "trust_loss",
        0.30,
        0.0,
        1.0,
        "-",
        "Trust learning rate after a bad period",
        source="Pant & Yu 2025 (technical report; sensitivity range)",
        group="trust",
    ),
    _r("initial_trust", 0.5, 0.0, 1.0, "-", "Trust of a new tie", group="trust"),
    _r(
        "integration_trust_threshold",
        0.7,
        0.0,
        1.0,
        "-",
        "Trust at which a transition-policy tie converts to integrated",
        group="trust",
    ),
    _r(
        "discount_rate",
        0.05,
        0.0,
        0.5,
        "1/yr",
        "Discount rate of expected future surplus",
        source="Levin 2003, AER 93(3)",
        group="trust",
    ),
    # --- added model detail --------------------------------------------------
    _r(
        "apprentice_ratio",
        0.08,
        0.0,
        0.5,
        "apprentices/worker",
        "Apprentices a host can train at once per skilled worker (masters available)",
        group="economics",
    ),
    _r(
        "school_sim_factor",
        0.6,
        0.0,
        1.0,
        "-",
        "Relative learning rate when a college simulates stages 2-3 without a host",
        group="learning",
    ),
    _r(
        "teacher_refresh_rate",
        1.0,
        0.0,
        5.0,
        "1/yr",
        "Rate at which masters teaching in an integrated college restore teacher currency",
        group="learning",
    ),
    _r(
        "dropout_rate", 0.03, 0.0, 0.3, "1/yr", "Annual drop-out rate of students", group="learning"
    ),
    _i(
        "external_skill_vintage_months",
        24,
        0,
        120,
        "months",
        "Age of the technology an external skilled hire was trained on",
        group="labour",
    ),
    _r(
        "external_skill_noise",
        0.10,
        0.0,
        0.5,
        "level",
        "Dispersion of an external hire's skills around that vintage of sector demand",
        group="labour",
    ),
    _r(
        "outside_job_rate",
        0.25,
        0.0,
        1.0,
        "1/month",
        "Monthly chance a job-seeking graduate finds work outside the modelled firms",
        group="labour",
    ),
    _r(
        "partner_search_share",
        0.5,
        0.0,
        1.0,
        "-",
        "Search cost of hiring a partner college's graduate relative to an external hire",
        group="labour",
    ),
    _r(
        "council_signal_noise",
        0.10,
        0.0,
        2.0,
        "-",
        "Noise of the aptitude signal council members get on the college's students",
        source="Acemoglu & Pischke 1998, QJE 113(1) (information advantage of training)",
        group="trust",
    ),
    _r(
        "school_tolerance",
        0.25,
        0.0,
        1.0,
        "-",
        "Share of a period's placements ending early that a college still rates as good",
        group="trust",
    ),
    _i(
        "planning_years",
        3,
        1,
        10,
        "yr",
        "Horizon over which a firm weighs a tie's expected surplus",
        group="trust",
    ),
    _r(
        "surplus_memory",
        0.5,
        0.0,
        1.0,
        "-",
        "Weight of the latest period in a firm's expected surplus (strategy memory)",
        group="trust",
    ),
    # --- government ---------------------------------------------------------
    _r(
        "subsidy_per_apprentice_month",
        500.0,
        0.0,
        10000.0,
        "currency/month",
        "Government subsidy per placed apprentice and month",
        group="government",
    ),
    _r(
        "cofunding_share",
        0.3,
        0.0,
        1.0,
        "-",
        "Government share of an integrated tie's set-up and governance cost",
        group="government",
    ),
    _r(
        "retention_bonus",
        3000.0,
        0.0,
        100000.0,
        "currency",
        "Bonus per graduate hired by the firm that trained them",
        group="government",
    ),
    _i(
        "subsidy_end_month",
        -1,
        -1,
        600,
        "month",
        "Month at which all government support stops (-1: never)",
        group="government",
    ),
    _r(
        "government_budget_annual",
        5.0e6,
        0.0,
        1.0e9,
        "currency/yr",
        "Government budget for cooperation support per year",
        group="government",
    ),
)

PARAMS: dict[str, Param] = {p.name: p for p in _DECLARED}
"""Every model parameter by name, in declaration order."""


def defaults() -> dict[str, Value]:
    """A fresh dict of every parameter's default."""
    return {name: p.default for name, p in PARAMS.items()}


def check_name(name: str, source: str | None = None) -> Param:
    """The parameter called ``name``, or a UserError suggesting the closest name."""
    try:
        return PARAMS[name]
    except KeyError:
        raise UserError(
            f"unknown parameter{did_you_mean(name, PARAMS)}; `community-sim params` lists them",
            source=source,
            key=name,
        ) from None


def validate_params(
    overrides: Mapping[str, Any] | None = None,
    *,
    source: str | None = None,
    base: Mapping[str, Value] | None = None,
) -> dict[str, Value]:
    """Defaults (or ``base``) updated with checked ``overrides``; raises UserError."""
    values = dict(base) if base is not None else defaults()
    for name, value in (overrides or {}).items():
        values[name] = check_name(name, source).check(value, source)
    return values


def parse_assignment(text: str, source: str = "--set") -> tuple[str, Value]:
    """Parse ``name=value`` from the command line into a typed pair."""
    if "=" not in text:
        raise UserError(f"{text!r} is not of the form name=value", source=source)
    name, raw = (s.strip() for s in text.split("=", 1))
    param = check_name(name, source)
    value: Any = raw
    if param.kind in ("real", "int"):
        try:
            value = float(raw)
        except ValueError:
            raise UserError(f"{raw!r} is not a number", source=source, key=name) from None
    elif param.kind == "bool":
        if raw.lower() not in ("true", "false"):
            raise UserError(f"{raw!r} is not true or false", source=source, key=name)
        value = raw.lower() == "true"
    return name, param.check(value, source)
