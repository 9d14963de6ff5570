"""community-sim: school-enterprise cooperation as an agent-based model.

The public API is listed in ``__all__``; see README.md and docs/ODD.md.
"""

from community_sim.errors import UserError
from community_sim.metrics import OUTCOMES, SERIES
from community_sim.model import CommunityModel
from community_sim.params import PARAMS, Param, defaults, validate_params
from community_sim.runner import RunResult, run

__version__ = "0.1.0"

__all__ = [
    "OUTCOMES",
    "PARAMS",
    "SERIES",
    "CommunityModel",
    "Param",
    "RunResult",
    "UserError",
    "__version__",
    "defaults",
    "run",
    "validate_params",
]
