"""A partnership (tie) between one college and one enterprise: a light record."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from community_sim.agents.enterprise import Enterprise
    from community_sim.agents.school import School

Kind = Literal["project", "integrated"]


@dataclass(eq=False)
class Partnership:
    """One spell of cooperation; renewals and conversions keep the same spell."""

    school: School
    enterprise: Enterprise
    kind: Kind
    start: int
    trust: float  # the firm's trust in the college
    next_review: int
    trust_school: float = 0.5  # the college's trust in the firm (processes.college)
    active: bool = True
    end: int = -1
    placements_hosted: int = 0
    surplus_enterprise: float = 0.0  # cumulative, currency
    surplus_school: float = 0.0  # college's ledger of the tie: coordination costs, currency
    period_surplus: float = 0.0  # gross surplus since the last review, currency
    period_cost: float = 0.0  # recurring costs since the last review, currency
    period_start: int = 0  # month of the last review (or the start)
    period_placements: int = 0  # apprentice-months since the last review
    period_started: int = 0  # apprentices placed since the last review
    period_terminated: int = 0
    placed_at_period_start: int = 0
    reviews: int = 0
    member_since: int = -1  # month the tie became a council membership (-1: a project tie)
    periods: list[tuple[int, float, float]] = field(default_factory=list)  # months, gross, cost
    history: list[tuple[int, str]] = field(default_factory=list)

    @property
    def mutual_trust(self) -> float:
        """Mean of both sides' trust: the tie's cohesion."""
        return 0.5 * (self.trust + self.trust_school)

    def close(self, month: int) -> None:
        self.active = False
        self.end = month
