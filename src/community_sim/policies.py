"""Cooperation policies as small strategy objects.

A policy decides only the *terms* of cooperation: what kind of tie a new
partnership is, how long a contract runs before it is reviewed, what it costs
and who pays, whether the curriculum is co-designed, whether apprentices
rotate across partners, what partners know about students' aptitude, and
whether a tie may convert. Outcomes follow from the mechanisms that use these
terms; no policy touches an outcome directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from community_sim.agents.partnership import Kind, Partnership
from community_sim.params import Value


@dataclass(frozen=True)
class TieTerms:
    """What a tie of one kind implies for its members."""

    kind: Kind
    review_months: int  # contract length (project) or council review cycle (integrated)
    recurring_cost: float  # firm's gross cost per year before co-funding (currency/yr)
    one_off_cost: float  # firm's gross cost at the start (currency)
    renewal_cost: float  # paid by each side at every review that continues the tie
    cofunded: bool  # government co-funds set-up and governance
    codesign: bool  # the college's curriculum moves toward this partner's demand
    rotation: bool  # stage-2 apprentices rotate across the college's partners
    aptitude_info: bool  # partner observes the college's students' aptitude (shared teachers)
    first_right_to_hire: bool  # picks from the college's graduates before other partners


def terms(kind: Kind, p: Mapping[str, Value]) -> TieTerms:
    """The terms of a project contract or an industrial-college membership."""
    if kind == "project":
        length = int(p["project_length_months"])
        renego = float(p["renegotiation_cost"])
        return TieTerms(
            kind="project",
            review_months=length,
            recurring_cost=renego * 12.0 / length,
            one_off_cost=renego,
            renewal_cost=renego,
            cofunded=False,
            codesign=False,
            rotation=False,
            aptitude_info=False,
            first_right_to_hire=False,
        )
    return TieTerms(
        kind="integrated",
        review_months=12,
        recurring_cost=float(p["governance_cost_annual"]),
        one_off_cost=float(p["integration_setup_cost"]),
        renewal_cost=0.0,
        cofunded=True,
        codesign=True,
        rotation=True,
        aptitude_info=True,
        first_right_to_hire=True,
    )


class Policy:
    """Base strategy: which kind new ties take and whether a tie converts."""

    name: str = ""
    new_kind: Kind = "project"

    def new_tie_kind(self) -> Kind:
        return self.new_kind

    def converts(self, tie: Partnership, p: Mapping[str, Value]) -> bool:
        """Whether a continuing tie turns into an industrial-college membership now."""
        return False


class ProjectPolicy(Policy):
    """Fixed-term project contracts, renegotiated at each end."""

    name = "project"
    new_kind = "project"


class IntegratedPolicy(Policy):
    """Industrial-college membership: council, co-designed curriculum, rotation, first hire."""

    name = "integrated"
    new_kind = "integrated"


class TransitionPolicy(Policy):
    """Start with project contracts; a tie converts once its trust passes the threshold."""

    name = "transition"
    new_kind = "project"

    def converts(self, tie: Partnership, p: Mapping[str, Value]) -> bool:
        return tie.kind == "project" and tie.trust >= float(p["integration_trust_threshold"])


POLICIES: dict[str, Policy] = {
    "project": ProjectPolicy(),
    "integrated": IntegratedPolicy(),
    "transition": TransitionPolicy(),
}
"""Every policy by its ``policy`` parameter value."""
