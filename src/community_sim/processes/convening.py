"""The council's convening role: each August a college signs up new members together.

Joining a council alone means paying its shared costs alone, so without someone
to convene, firms wait for each other and a council may never form. The
convener (the college with the government, which pays ``convening_cost_annual``
per college and round from its support budget) gathers the firms without a tie
that prefer the college and offers membership to the group: each firm values the
council at the size it will have with the others who join with it. The group is
the largest one in which joining is worth it to every member — start from every
candidate, drop those for whom it is not, and repeat at the smaller size until
nobody drops out. Off (``council_convening``), a firm values a council at
today's size plus itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from community_sim.processes.council import _places, sizes

if TYPE_CHECKING:
    from community_sim.agents.enterprise import Enterprise
    from community_sim.agents.school import School
    from community_sim.processes.cooperation import Parties


def convene(w: Parties, p: Mapping[str, Any], worth: Callable[[Enterprise, School], bool]) -> None:
    """Set each college's convened group for this entry round.

    ``registry.convened``: each college's group size and places, at which its members
    value the council; ``registry.convened_for``: the college each firm signed up for.

    ``worth(firm, school)``: whether membership at ``school`` is worth it to the firm,
    valued with the convened groups set so far (``cooperation.entry`` passes its rule).
    """
    registry = w.registry
    registry.convened.clear()
    registry.convened_for.clear()
    if not bool(p["council_convening"]) or "integrated" not in w.policy.kinds:
        return
    untied = [e for e in registry.enterprises if e.tie is None]
    if not untied:
        return
    # Each candidate's preferred college: curriculum fit plus reputation, as firms rank them;
    # colleges a firm rates equally (the same public curriculum, as at the start) share the
    # candidates out in turn, without a random draw (the draws stay those of every policy).
    # Only a firm's candidate colleges (its region's, and distant ones it considers).
    weight = float(p["reputation_weight"])
    penalty = float(p["distance_cost"])
    reputation = np.array([s.reputation for s in registry.schools])
    groups: dict[int, list[Enterprise]] = {}
    for turn, ent in enumerate(untied):
        cols, fit, n_local = w.colleges.candidates(w.firms.demand, ent.idx)
        score = np.array(fit) + weight * reputation[cols]
        if len(cols) > n_local:
            far = score[n_local:] - penalty
            score[n_local:] = np.where(far > 0.0, far, -np.inf)
        best = (score >= score.max()).nonzero()[0]
        groups.setdefault(cols[int(best[turn % best.size])], []).append(ent)
    members, places = sizes(registry), _places(registry)
    cost = float(p["convening_cost_annual"])
    capacity = registry.firms.capacity
    for s in sorted(groups):
        left = w.gov.budget_annual - w.gov.spent_this_year if w.gov.active else 0.0
        if cost > 0.0 and left < cost:
            continue  # the budget cannot pay the convener: no round here, and nothing paid
        w.gov.pay(cost)
        group, school = groups[s], registry.schools[s]
        while group:
            registry.convened[s] = (
                int(members[s]) + len(group),
                float(places[s]) + float(sum(int(capacity[e.idx]) for e in group)),
            )
            keep = [e for e in group if worth(e, school)]
            if len(keep) == len(group):
                break
            group = keep
        if not group:
            registry.convened.pop(s, None)
        for ent in group:  # the firms signed up: they join this college (cooperation.entry)
            registry.convened_for[ent.idx] = s
