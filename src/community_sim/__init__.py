"""community-sim: school-enterprise cooperation as an agent-based model.

The public API is listed in ``__all__``; see README.md and docs/ODD.md.
"""

from community_sim.errors import UserError
from community_sim.params import PARAMS, Param, defaults, validate_params

__version__ = "0.1.0"

__all__ = ["PARAMS", "Param", "UserError", "__version__", "defaults", "validate_params"]
