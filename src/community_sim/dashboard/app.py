"""The Solara app served by ``community-sim dashboard``: the community model, live.

Solara imports this module and renders :func:`Page` once per browser
session. The starting parameters and seed come from the scenario file and
options given to the command (see :func:`community_sim.dashboard.server.serve`);
without them, the defaults. ``solara run community_sim.dashboard.app`` works
too and starts from the defaults.
"""

from __future__ import annotations

import solara

from community_sim.dashboard.controls import dashboard_model
from community_sim.dashboard.server import app_settings
from community_sim.dashboard.view import Dashboard
from community_sim.metrics import OUTCOMES, SERIES
from community_sim.model import CommunityModel

DashboardModel = dashboard_model(CommunityModel)
"""CommunityModel as the dashboard builds it, per policy and at Reset (validated parameters)."""


@solara.component
def Page() -> solara.Element:
    """The dashboard for one browser session."""
    params, seed = app_settings()
    return Dashboard(
        DashboardModel,
        params,
        seed,
        series_units={name: s.unit for name, s in SERIES.items()},
        outcome_units={name: o.unit for name, o in OUTCOMES.items()},
    )
