"""The government: pays support from an annual budget and grants the integration tax credit.

Support (subsidies, co-funding, retention bonuses, the convening share of
set-up) is discretionary spending, paid through :meth:`Government.pay` while
the year's budget lasts and until ``subsidy_end_month``. The tax credit of
certified production-education integration enterprises is a tax expenditure
(revenue forgone), granted through :meth:`Government.credit` outside the
support budget but, like all support, only until ``subsidy_end_month``. Both
count in this month's spending (``government_spend``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from community_sim.mechanics.council import tax_credit

if TYPE_CHECKING:
    from community_sim.model import CommunityModel


class Government(mesa.Agent):
    """Holds the support budget and each certified firm's tax-credit account of the year."""

    def __init__(self, model: CommunityModel) -> None:
        super().__init__(model)
        p = model.p
        self.budget_annual = float(p["government_budget_annual"])
        self.subsidy = float(p["subsidy_per_apprentice_month"])
        self.cofunding_share = float(p["cofunding_share"])
        self.retention_bonus = float(p["retention_bonus"])
        self.end_month = int(p["subsidy_end_month"])
        self.credit_share = float(p["integration_tax_credit"])
        self.convening_share = float(p["convening_share"])
        self.spent_this_year = 0.0
        self.spent_month = 0.0
        n_f = int(model.firms.wage.shape[0])
        # The tax-credit accounts, per firm, as Python floats: booked one member at a time
        # every month (the arrays below are views of them for reading).
        self._vet = [0.0] * n_f  # this tax year's spending on vocational education
        self._credited = [0.0] * n_f  # this tax year's credit granted so far
        self._carried = [0.0] * n_f  # credit earned in earlier years, not yet used
        self.credits_this_year = 0.0

    @property
    def vet_spending(self) -> np.ndarray:
        """Each firm's spending on vocational education this tax year (a copy)."""
        return np.array(self._vet)

    @property
    def credited(self) -> np.ndarray:
        """Each firm's credit granted this tax year so far (a copy)."""
        return np.array(self._credited)

    @property
    def carried(self) -> np.ndarray:
        """Each firm's credit earned in earlier years and not yet used (a copy)."""
        return np.array(self._carried)

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

    def book_spending(self, firm: int, amount: float) -> None:
        """Add a certified firm's spending on vocational education to its year's account."""
        if self.credit_share > 0.0 and amount > 0.0:
            self._vet[firm] += amount

    def credit(self, firm: int, liability: float) -> float:
        """Grant the part of ``firm``'s credit for the year not yet granted; return it.

        The year's credit is :func:`~community_sim.mechanics.council.tax_credit` of the
        spending booked so far and the credit carried from earlier years, capped by
        ``liability`` (the year's surcharges).
        """
        if self.credit_share <= 0.0 or not self.active:
            return 0.0
        due = tax_credit(self._vet[firm], liability, self.credit_share, self._carried[firm])
        grant = due - self._credited[firm]
        if grant <= 0.0:
            return 0.0
        self._credited[firm] += grant
        self.credits_this_year += grant
        self.spent_month += grant
        return grant

    def new_month(self) -> None:
        """Reset the monthly counter; the budget and tax year starts each September.

        Month 0's counters already hold what was paid as the first ties started (the
        model's start-up, in that September), so they are not reset then.
        """
        month = int(self.model.month)  # type: ignore[attr-defined]
        if month == 0:
            return
        self.spent_month = 0.0
        if month % 12 == 0:
            self.spent_this_year = 0.0
            self.credits_this_year = 0.0
            # Credit earned beyond the year's liability is carried forward (NDRC & MOE 2019).
            carried = self.carried
            carried += self.credit_share * self.vet_spending - self.credited
            self._carried = np.maximum(carried, 0.0).tolist()
            n_f = len(self._vet)
            self._vet = [0.0] * n_f
            self._credited = [0.0] * n_f
