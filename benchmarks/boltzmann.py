"""Mesa's Boltzmann wealth model, the reference workload for agent-steps per second.

As in Mesa's own example (``mesa.examples.basic.boltzmann_wealth_model``): agents
on a 10 × 10 Moore grid move to a random neighbouring cell and give one unit of
wealth to a random cellmate; every step activates all agents with ``shuffle_do``.
The data collector is left out, so the reference is, if anything, faster than
the example and the ratio against it conservative.
"""

from __future__ import annotations

import mesa
from mesa.discrete_space import CellAgent, OrthogonalMooreGrid


class MoneyAgent(CellAgent):
    def __init__(self, model: mesa.Model, cell: object) -> None:
        super().__init__(model)
        self.cell = cell
        self.wealth = 1

    def step(self) -> None:
        self.cell = self.cell.neighborhood.select_random_cell()
        if self.wealth > 0:
            mates = [a for a in self.cell.agents if a is not self]
            if mates:
                self.random.choice(mates).wealth += 1
                self.wealth -= 1


class MoneyModel(mesa.Model):
    def __init__(self, n: int = 1000, width: int = 10, seed: int | None = None) -> None:
        super().__init__(seed=seed)
        self.grid = OrthogonalMooreGrid((width, width), random=self.random)
        cells = self.random.choices(self.grid.all_cells.cells, k=n)
        MoneyAgent.create_agents(self, n, cells)

    def step(self) -> None:
        self.agents.shuffle_do("step")
