"""A tiny stand-in honouring the model's public contract, for dashboard tests only.

It lets the dashboard's plumbing (controls, plots, network view, server) be
tested on its own; it models nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import mesa
import numpy as np
import pandas as pd
import solara

from community_sim.dashboard.server import app_settings
from community_sim.dashboard.view import Dashboard, dashboard_model

SERIES_UNITS = {
    "ties_project": "ties",
    "ties_integrated": "ties",
    "cost_per_hire_weeks": "weeks of wages",
    "skill_match": "0-1",
    "mean_trust": "0-1",
    "placements": "apprentices",
    "curriculum_gap": "-",
}
OUTCOME_UNITS = {"community_cohesion": "0-1", "trial_error_cost_per_hire_weeks": "weeks of wages"}


class _School(mesa.Agent):
    def __init__(self, model: mesa.Model, enrolment: int) -> None:
        super().__init__(model)
        self.enrolment = enrolment


class _Enterprise(mesa.Agent):
    def __init__(self, model: mesa.Model, headcount: int, is_leading: bool) -> None:
        super().__init__(model)
        self.headcount = headcount
        self.is_leading = is_leading


@dataclass
class _Tie:
    school: _School
    enterprise: _Enterprise
    kind: str
    trust: float
    active: bool = True


class StandInModel(mesa.Model):
    """Random ties between 3 schools and 8 firms; series drift with the seed's draws."""

    def __init__(self, seed: int | None = None, **params: Any) -> None:
        super().__init__(seed=seed)
        self.params = params
        self.schools = [_School(self, 700 + 50 * i) for i in range(3)]
        self.enterprises = [_Enterprise(self, 400 if i < 2 else 40, i < 2) for i in range(8)]
        self.partnerships: list[_Tie] = []
        self._rows: list[dict[str, float]] = []

    def step(self) -> None:
        kind = "integrated" if self.params.get("policy") == "integrated" else "project"
        s = self.schools[int(self.rng.integers(len(self.schools)))]
        e = self.enterprises[int(self.rng.integers(len(self.enterprises)))]
        self.partnerships.append(_Tie(s, e, kind, float(self.rng.uniform(0.2, 1.0))))
        for tie in self.partnerships:
            tie.active = tie.active and self.rng.random() > 0.1
        active = [t for t in self.partnerships if t.active]
        self._rows.append(
            {
                "ties_project": sum(t.kind == "project" for t in active),
                "ties_integrated": sum(t.kind == "integrated" for t in active),
                "cost_per_hire_weeks": float(self.rng.uniform(10, 20)),
                "skill_match": float(self.rng.uniform(0.5, 0.9)),
                "mean_trust": float(np.mean([t.trust for t in active])) if active else np.nan,
                "placements": float(len(active) * 5),
                "curriculum_gap": float(self.rng.uniform(0, 1)),
            }
        )

    def series_frame(self) -> pd.DataFrame:
        df = pd.DataFrame(self._rows, columns=list(SERIES_UNITS))
        df.index = pd.RangeIndex(1, len(df) + 1, name="step")
        return df

    def outcomes(self) -> dict[str, float]:
        df = self.series_frame()
        return {
            "community_cohesion": float(df["mean_trust"].mean()) if len(df) else np.nan,
            "trial_error_cost_per_hire_weeks": float(df["cost_per_hire_weeks"].mean())
            if len(df)
            else np.nan,
        }


# --- a Solara app serving the stand-in, for the browser test of the plumbing ---
@solara.component
def Page() -> Any:
    params, seed = app_settings()
    return Dashboard(dashboard_model(StandInModel), params, seed, SERIES_UNITS, OUTCOME_UNITS)
