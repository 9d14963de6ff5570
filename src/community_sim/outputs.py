"""The model's outputs declared once: name, unit, one-line definition, when undefined.

Scalars (:data:`OUTCOMES`, one per run) are read over the post-burn-in window;
series (:data:`SERIES`) have one value per month. An outcome with nothing to
measure is NaN, never a number standing in for it; :attr:`Outcome.undefined`
says when. :mod:`community_sim.metrics` computes them and re-exports these names.
"""

from __future__ import annotations

from dataclasses import dataclass


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
    "cooperation_survival_5y": "5-year cooperation survival",
    "mean_partnership_duration_months": "mean partnership duration",
    "enterprise_participation": "enterprise participation",
    "trial_error_cost_per_hire_weeks": "trial-and-error cost per hire",
    "trial_error_cost_per_hire_weeks_own": "trial-and-error cost per own trainee hired",
    "trial_error_cost_per_hire_weeks_partner": "trial-and-error cost per partner graduate hired",
    "trial_error_cost_per_hire_weeks_external": "trial-and-error cost per external hire",
    "trial_error_cost_total": "trial-and-error cost, total",
    "early_separation_rate": "early separation rate",
    "skill_match": "skill match of new hires",
    "employment_rate_6m": "employment within 6 months",
    "retention_training_firm": "retention by the training firm",
    "enterprise_net_benefit_per_apprentice": "net benefit per apprentice",
    "firm_return_per_tie_year": "firms' return per tie-year",
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
     "Kaplan–Meier survival of ties at 60 months; a move to another college and open "
     "ties censored",
     "no tie, or no tie followed for 60 months while the estimate is above 0"),
    ("cooperation_survival_5y", "share",
     "Kaplan–Meier survival at 60 months of firms' cooperation with any college (a move "
     "continues it; it ends when the firm has no tie); open spells censored",
     "no cooperation spell, or none followed for 60 months while the estimate is above 0"),
    ("mean_partnership_duration_months", "months",
     "Restricted mean tie duration (every closing an end, moves included): area under "
     "the Kaplan–Meier curve up to the run length", "no spell, or no month run"),
    ("enterprise_participation", "share", "Mean share of enterprises in an active tie",
     f"no enterprise, or {_EMPTY}"),
    ("trial_error_cost_per_hire_weeks", "weeks of wages",
     "Mean trial-and-error cost (search + disruption + post-match) per hire",
     "no hire in the window"),
    ("trial_error_cost_per_hire_weeks_own", "weeks of wages",
     "Mean trial-and-error cost per hire of the firm's own trainees",
     "no hire of an own trainee in the window"),
    ("trial_error_cost_per_hire_weeks_partner", "weeks of wages",
     "Mean trial-and-error cost per hire of a partner college's graduate",
     "no hire of a partner graduate in the window"),
    ("trial_error_cost_per_hire_weeks_external", "weeks of wages",
     "Mean trial-and-error cost per hire from the external market",
     "no external hire in the window"),
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
     "renewal costs + subsidies, co-funding and retention bonuses; leaves out hire "
     "credits, early-quit re-hires and waits (see firm_return_per_tie_year)",
     "no apprentice in the window"),
    ("firm_return_per_tie_year", "currency/yr",
     "Firms' return on their ties per tie-year: the ties' ledgers (apprentices' net output "
     "and subsidies + hire credits - early-quit re-hires - waits - set-ups, one-off, "
     "renewal and council costs, ingredient costs, teacher placements carried) + "
     "retention bonuses of firms in a tie",
     "no tie in any month of the window"),
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
