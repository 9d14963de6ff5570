"""The one workaround of a Mesa leak: models kept alive by ``mesa.Agent._ids``.

Mesa 3.3 gives agents their ``unique_id`` from a class-level
``defaultdict`` keyed by model (``Agent._ids``), so every model that ever made
an agent stays reachable, with all its agents and arrays, for the life of the
process (https://github.com/mesa/mesa/issues/3179, fixed upstream by
https://github.com/mesa/mesa/pull/3180, which drops ``Agent._ids``). A sweep of
10^5 runs would hold them all. :func:`release` drops one model's entry (an
agent made after it would be numbered from 1 again; the community model
numbers on, see :mod:`community_sim.agents.population`); :func:`held_models`
lists the models held. Both work for any Mesa model, and do nothing on a Mesa
without ``Agent._ids``.
"""

from __future__ import annotations

from typing import Any

import mesa


def _ids() -> Any:
    # Read defensively: the attribute is private and gone from Mesa's fixed releases.
    return getattr(mesa.Agent, "_ids", None)


def held_models() -> list[mesa.Model]:
    """The models Mesa's id counter holds now (empty on a Mesa without the leak)."""
    ids = _ids()
    return list(ids) if ids is not None else []


def release(model: mesa.Model) -> None:
    """Let ``model`` be garbage-collected once dropped (idempotent)."""
    ids = _ids()
    if ids is not None:
        ids.pop(model, None)
