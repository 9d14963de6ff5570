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
from community_sim.params.integration import levels, off_levels


@dataclass(frozen=True)
class TieTerms:
    """What a tie of one kind implies for its members.

    Besides the contract's own terms, a tie carries a level for each ingredient of
    integration, under the name the ingredient table gives it (``term``): read as
    ``tt.codesign_rate``, ``tt.noise_factor`` and so on by the processes that use them
    (:mod:`community_sim.params.integration`). A project contract has every ingredient
    off.
    """

    kind: Kind
    review_months: int  # contract length (project) or council review cycle (integrated)
    one_off_cost: float  # firm's cost at the start (currency): signing, or joining the council
    renewal_cost: float  # paid by the firm at every review that continues the tie
    council: bool  # a member of the college's council: pays its shares (processes.council)
    levels: Mapping[str, Value]  # each ingredient's level, by its term (the ingredient table)

    def __post_init__(self) -> None:
        # Each ingredient's term also as an instance attribute, so that reading one (per
        # member, per month, per decision) is a plain lookup, not a call of __getattr__.
        fields = self.__dataclass_fields__
        for name, value in self.levels.items():
            if name not in fields:
                object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> Value:
        # Only reached for a name that is neither a field nor an ingredient's term.
        raise AttributeError(f"{type(self).__name__!r} has no term {name!r}")


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
            levels=off_levels(),
        )
    return TieTerms(
        kind="integrated",
        review_months=12,
        one_off_cost=float(p["integration_setup_cost"]),
        renewal_cost=0.0,
        council=True,
        levels=levels(p),
    )


class Policy:
    """Base strategy: which kinds of tie a firm may choose from and whether a tie converts."""

    name: str = ""
    new_kind: Kind = "project"
    kinds: tuple[Kind, ...] = ("project",)
    """The kinds of tie a firm compares by value at each decision (entry, review, switch)."""

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
    kinds = ("integrated",)


class TransitionPolicy(Policy):
    """Start with project contracts; a tie converts once its trust passes the threshold."""

    name = "transition"
    new_kind = "project"

    def converts(self, tie: Partnership, p: Mapping[str, Value]) -> bool:
        return tie.kind == "project" and tie.trust >= float(p["integration_trust_threshold"])


class ChoicePolicy(Policy):
    """Each firm takes, at each decision, the better of a project contract and membership.

    Both are valued alike (:func:`~community_sim.mechanics.trust.tie_value` with the
    costs of :func:`~community_sim.processes.council.expected_cost`); a change of form
    at the same college is a conversion of the same spell.
    """

    name = "choice"
    new_kind = "project"
    kinds = ("project", "integrated")


POLICIES: dict[str, Policy] = {
    "project": ProjectPolicy(),
    "integrated": IntegratedPolicy(),
    "transition": TransitionPolicy(),
    "choice": ChoicePolicy(),
}
"""Every policy by its ``policy`` parameter value."""
