"""community-sim: school-enterprise cooperation as an agent-based model.

The public API is listed in ``__all__``; see README.md, docs/ (the documentation
site) and docs/ODD.md.
The model's names are imported on first use (PEP 562), so the CLI and
experiment workers that do not need Mesa start quickly.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from community_sim.errors import UserError
from community_sim.params import PARAMS, Param, defaults, validate_params

if TYPE_CHECKING:
    from community_sim.metrics import OUTCOMES, SERIES
    from community_sim.model import CommunityModel
    from community_sim.runner import RunResult, run

__version__ = "0.1.0"

_LAZY = {
    "OUTCOMES": "community_sim.metrics",
    "SERIES": "community_sim.metrics",
    "CommunityModel": "community_sim.model",
    "RunResult": "community_sim.runner",
    "run": "community_sim.runner",
}

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


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
