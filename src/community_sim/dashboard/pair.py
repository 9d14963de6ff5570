"""Two runs of the community side by side: one per policy, same seed and settings.

Both models are built from the same parameters and seed and differ only in
``policy``, so what differs between the two columns of the dashboard is the
policy (common random numbers, as in ``compare`` experiments). They are
stepped together, one month each per step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from community_sim.params import Value

POLICIES: tuple[str, str] = ("project", "integrated")
"""The policies shown by default, left and right."""


class PolicyPair:
    """One model per policy on one seed; ``step`` advances each by a month."""

    def __init__(
        self,
        model_cls: type[Any],
        params: Mapping[str, Value],
        seed: int,
        policies: Sequence[str] = POLICIES,
    ) -> None:
        self.seed = int(seed)
        self.params = dict(params)
        self.runs: list[tuple[str, Any]] = []
        try:
            for policy in policies:
                self.runs.append(
                    (policy, model_cls(seed=self.seed, **{**params, "policy": policy}))
                )
        except Exception:
            self.release()
            raise

    @property
    def policies(self) -> list[str]:
        return [p for p, _ in self.runs]

    @property
    def steps(self) -> int:
        """Months run (the same for every model of the pair)."""
        return min(m.steps for _, m in self.runs)

    def step(self) -> None:
        for _, model in self.runs:
            model.step()

    def release(self) -> None:
        """Release the models (Mesa keeps models alive otherwise; see ``mesa_leak``)."""
        for _, model in self.runs:
            model.release()
