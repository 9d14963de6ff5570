"""The government: pays subsidies, co-funding and retention bonuses from an annual budget."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

if TYPE_CHECKING:
    from community_sim.model import CommunityModel


class Government(mesa.Agent):
    """Holds the support budget; every payment goes through :meth:`pay`."""

    def __init__(self, model: CommunityModel) -> None:
        super().__init__(model)
        p = model.p
        self.budget_annual = float(p["government_budget_annual"])
        self.subsidy = float(p["subsidy_per_apprentice_month"])
        self.cofunding_share = float(p["cofunding_share"])
        self.retention_bonus = float(p["retention_bonus"])
        self.end_month = int(p["subsidy_end_month"])
        self.spent_this_year = 0.0
        self.spent_month = 0.0

    @property
    def active(self) -> bool:
        """Support is paid until ``subsidy_end_month`` (``-1``: never stops)."""
        return self.end_month < 0 or self.model.month < self.end_month  # type: ignore[attr-defined]

    def pay(self, amount: float) -> float:
        """Pay up to ``amount`` if support is active and the year's budget allows; return it."""
        if amount <= 0.0 or not self.active:
            return 0.0
        paid = min(amount, max(self.budget_annual - self.spent_this_year, 0.0))
        self.spent_this_year += paid
        self.spent_month += paid
        return paid

    def new_month(self) -> None:
        """Reset the monthly counter; the budget year starts each September."""
        self.spent_month = 0.0
        if self.model.month % 12 == 0:  # type: ignore[attr-defined]
            self.spent_this_year = 0.0
