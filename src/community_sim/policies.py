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
    """What a tie of one kind implies for its members.

    The ingredient fields are read by the processes that use them (see
    :mod:`community_sim.ingredients`); a project contract has every ingredient off.
    """

    kind: Kind
    review_months: int  # contract length (project) or council review cycle (integrated)
    one_off_cost: float  # firm's cost at the start (currency): signing, or joining the council
    renewal_cost: float  # paid by the firm at every review that continues the tie
    council: bool  # a member of the college's council: pays its shares (processes.council)
    codesign_rate: float  # 1/yr: the council's curriculum moves toward members' demand
    rotation_share: float  # share of stage-2 training aimed at the council's mean demand
    noise_factor: float  # the member's screening noise relative to any host's
    masters_hours_per_place: float  # h/month the member's masters teach in the college
    placement_discount: float  # share of the college's teacher placements the member carries
    first_right_to_hire: bool  # picks from the college's graduates before other partners
    cofunding_share: float  # government share of set-up, running and membership costs


def terms(kind: Kind, p: Mapping[str, Value]) -> TieTerms:
    """The terms of a project contract or an industrial-college membership."""
    if kind == "project":
        renego = float(p["renegotiation_cost"])
        return TieTerms(
            kind="project",
            review_months=int(p["project_length_months"]),
            one_off_cost=renego,
            renewal_cost=renego,
            council=False,
            codesign_rate=0.0,
            rotation_share=0.0,
            noise_factor=1.0,
            masters_hours_per_place=0.0,
            placement_discount=0.0,
            first_right_to_hire=False,
            cofunding_share=0.0,
        )
    return TieTerms(
        kind="integrated",
        review_months=12,
        one_off_cost=float(p["integration_setup_cost"]),
        renewal_cost=0.0,
        council=True,
        codesign_rate=float(p["codesign_rate"]),
        rotation_share=float(p["rotation_share"]),
        noise_factor=float(p["council_noise_factor"]),
        masters_hours_per_place=float(p["masters_hours_per_place"]),
        placement_discount=float(p["council_placement_discount"]),
        first_right_to_hire=bool(p["first_right_to_hire"]),
        cofunding_share=float(p["cofunding_share"]),
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
