"""Mesa's Boltzmann wealth model, the test model of ``model = "mesa:mesa_wealth:BoltzmannWealth"``.

As in Mesa's example (``mesa.examples.basic.boltzmann_wealth_model``): agents
on a Moore grid move to a random neighbouring cell and give one unit of wealth
to a random cellmate; the DataCollector reports the Gini coefficient. Added for
the tests, each with a default that keeps the example's behaviour:

- a ``total_wealth`` model reporter (conserved: every agent starts with 1);
- ``policy``: ``"random"`` (the example) or ``"poorest"`` (give to the poorest
  cellmate), so ``compare`` has something to compare;
- ``stop_gini``: the model sets ``running = False`` once the Gini coefficient
  reaches it (``None``: never).

References
----------
Dragulescu, A. & Yakovenko, V.M. (2000) Statistical mechanics of money.
    The European Physical Journal B 17, 723–729.
"""

from __future__ import annotations

import mesa
from mesa.datacollection import DataCollector
from mesa.discrete_space import CellAgent, OrthogonalMooreGrid


class MoneyAgent(CellAgent):
    """An agent with one unit of wealth at the start."""

    def __init__(self, model: BoltzmannWealth, cell) -> None:
        super().__init__(model)
        self.cell = cell
        self.wealth = 1

    def step(self) -> None:
        self.cell = self.cell.neighborhood.select_random_cell()
        if self.wealth > 0:
            mates = [a for a in self.cell.agents if a is not self]
            if mates:
                if self.model.policy == "poorest":
                    other = min(mates, key=lambda a: (a.wealth, a.unique_id))
                else:
                    other = self.random.choice(mates)
                other.wealth += 1
                self.wealth -= 1


def gini(wealths: list[int]) -> float:
    """Gini coefficient of a wealth distribution, as Mesa's example computes it."""
    x = sorted(wealths)
    n = len(x)
    b = sum(xi * (n - i) for i, xi in enumerate(x)) / (n * sum(x))
    return 1 + (1 / n) - 2 * b


class BoltzmannWealth(mesa.Model):
    """Agents exchange one unit of wealth at random when they share a cell."""

    def __init__(
        self,
        n: int = 100,
        width: int = 10,
        height: int = 10,
        policy: str = "random",
        stop_gini: float | None = None,
        seed: int | None = None,
    ) -> None:
        super().__init__(seed=seed)
        if policy not in ("random", "poorest"):
            raise ValueError(f"unknown policy {policy!r}")
        self.num_agents = n
        self.policy = policy
        self.stop_gini = stop_gini
        self.grid = OrthogonalMooreGrid((width, height), random=self.random)
        self.datacollector = DataCollector(
            model_reporters={"Gini": self.compute_gini, "total_wealth": self.total_wealth}
        )
        MoneyAgent.create_agents(self, n, self.random.choices(self.grid.all_cells.cells, k=n))
        self.running = True
        self.datacollector.collect(self)

    def step(self) -> None:
        self.agents.shuffle_do("step")
        self.datacollector.collect(self)
        if self.stop_gini is not None and self.compute_gini() >= self.stop_gini:
            self.running = False

    def compute_gini(self) -> float:
        return gini([a.wealth for a in self.agents])

    def total_wealth(self) -> int:
        return sum(a.wealth for a in self.agents)


class FailingWealth(BoltzmannWealth):
    """Fails after its agents exist, as a model with a bug in its set-up would."""

    def __init__(self, n: int = 10, seed: int | None = None) -> None:
        super().__init__(n=n, seed=seed)
        raise RuntimeError("set-up failed")


class Unseeded(mesa.Model):
    """Takes ``seed`` but never gives it to ``mesa.Model``: its runs cannot be reproduced."""

    def __init__(self, n: int = 10, width: int = 10, height: int = 10, seed: int | None = None):
        super().__init__()
        self.size = n * width * height
        self.datacollector = DataCollector(model_reporters={"size": "size"})


class NotAModel:
    """A class that is not a ``mesa.Model``."""

    def __init__(self, seed: int | None = None) -> None:
        self.seed = seed
