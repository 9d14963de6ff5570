"""Enterprises (leading firms and SMEs): demand profile, headcount, ties, strategy memory."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

if TYPE_CHECKING:
    from community_sim.agents.partnership import Partnership
    from community_sim.model import CommunityModel


class Enterprise(mesa.Agent):
    """A firm; its demand profile and headcount are rows of the state's ``Firms`` arrays."""

    def __init__(self, model: CommunityModel, idx: int, is_leading: bool) -> None:
        super().__init__(model)
        self.firms = model.firms  # the state container this firm's numbers are a row of
        self.idx = idx
        self.is_leading = is_leading
        self.tie: Partnership | None = None
        self.expected_surplus = 0.0  # strategy memory: expected gross annual surplus of a tie
        self.surplus_basis = "plan"  # the form that memory was learned under (plan: none yet)
        # Its prior ratio of a membership's surplus to a contract's, until results are
        # published (drawn by the model from its own stream: processes.valuation.belief).
        self.membership_prior = 1.0
        self.trust_memory: dict[int, float] = {}  # trust toward colleges it worked with
        self.net_benefit = 0.0  # cumulative training ledger, currency

    @property
    def headcount(self) -> int:
        return int(self.firms.headcount[self.idx])

    @property
    def demand(self) -> np.ndarray:
        return self.firms.demand[self.idx]

    @property
    def capacity(self) -> int:
        """Apprentices it can train at once (masters available)."""
        return int(self.firms.capacity[self.idx])

    @property
    def wage(self) -> float:
        return float(self.firms.wage[self.idx])
