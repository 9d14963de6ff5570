"""What the engine knows of a model: a reference, its output, and the adapter protocol.

An experiment runs the community model (``model = "community"``), any
``f(params, seed) -> dict`` (``"package.module:function"``, as EMA Workbench's
``Model(name, function=f)`` wraps any function) or any Mesa model class
(``"mesa:package.module:ClassName"``). Each kind is a :class:`ModelAdapter`
registered by name in :data:`community_sim.experiment.adapters.ADAPTERS`;
:func:`kind_of` is the one place that reads the kind from the model string.

A :class:`ModelRef` is plain data (picklable, small) so every worker — a local
process or a Dask worker — resolves the function or class itself, once, from
the model string and the spec's folder.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:  # workers import this module: keep it light
    from community_sim.experiment.factors import Factor

COMMUNITY = "community"
"""The model string that names the community model (``community_sim.runner.run``)."""

MESA = "mesa:"
"""The prefix of a model string that names a Mesa model class."""

ModelFn = Callable[[dict[str, Any], int], Mapping[str, float]]


def kind_of(target: str) -> str:
    """The adapter a model string names: ``community``, ``mesa`` or ``function``."""
    if target == COMMUNITY:
        return "community"
    if target.startswith(MESA):
        return "mesa"
    return "function"


@dataclass(frozen=True)
class ModelRef:
    """Which model to call, and which of its outputs to keep."""

    target: str
    search_path: str | None = None
    steps: int | None = None
    scalars: tuple[str, ...] | None = None
    series: tuple[str, ...] = ()
    period: int = 1
    derived: tuple[tuple[str, str], ...] = ()  # (name, expression) from [outputs.derived]

    @property
    def kind(self) -> str:
        """The key of this model's adapter in ``adapters.ADAPTERS``."""
        return kind_of(self.target)


@dataclass
class ModelOutput:
    """What one run produced: scalar outcomes and, optionally, long-format series."""

    outcomes: dict[str, float]
    steps: np.ndarray | None = None
    names: np.ndarray | None = None
    values: np.ndarray | None = None


@dataclass(frozen=True)
class Space:
    """A spec's parameter space, as an adapter checks it against its model."""

    base: Mapping[str, Any]  # scenario file's parameters updated with [overrides]
    overrides: Mapping[str, Any]
    scenario: str | None  # path of the scenario file, if any
    factors: tuple[Factor, ...]
    scenarios: Mapping[str, Mapping[str, Any]]
    compare: Sequence[str]
    scalars: Sequence[str] | None
    series: Sequence[str] | None
    reserved: Sequence[str]  # column names of the store no parameter or output may take
    source: str


class ModelAdapter(Protocol):
    """How the engine checks, describes and calls one kind of model.

    Checks run once, when the spec is loaded, and raise UserError naming the
    spec's file and key; :meth:`call` runs in a worker and trusts its input.
    """

    def check(
        self, target: str, folder: Path, *, source: str, steps: int | None, outputs: Any
    ) -> ModelRef:
        """The checked reference for the model string and the outputs asked of it."""
        ...

    def base_params(
        self,
        scenario: Path | None,
        scenario_raw: Mapping[str, Any],
        overrides: Mapping[str, Any],
        source: str,
    ) -> dict[str, Any]:
        """The parameters every run starts from: the scenario file's, then ``overrides``."""
        ...

    def check_space(self, ref: ModelRef, space: Space) -> tuple[tuple[Factor, ...], ModelRef]:
        """Check the parameter space against the model; return factors and reference."""
        ...

    def call(self, ref: ModelRef, params: dict[str, Any], seed: int) -> ModelOutput:
        """Run the model once and return the outputs the spec asked for."""
        ...

    def preload(self, ref: ModelRef) -> list[str]:
        """Modules a worker process imports before its first run."""
        ...

    def undefined_when(self, ref: ModelRef) -> dict[str, str]:
        """Per scalar outcome, when it is undefined (NaN), for the manifest."""
        ...

    def deterministic(self, ref: ModelRef) -> bool | None:
        """Whether the output does not depend on the seed; None if the model does not say."""
        ...

    def fingerprint(self, ref: ModelRef) -> str | None:
        """A short digest that changes when the model's code does (None: not known).

        Stored in the manifest; a resume refuses a folder made with another one.
        """
        ...


def import_function(target: str, search_path: str | None) -> ModelFn:
    """Import ``"package.module:function"``, looking in ``search_path`` first."""
    if search_path and search_path not in sys.path:
        sys.path.insert(0, search_path)
    module_name, _, attr = target.partition(":")
    if not module_name or not attr:
        raise ValueError(f"{target!r} is not of the form 'package.module:function'")
    module = importlib.import_module(module_name)
    fn = getattr(module, attr, None)
    if fn is None:
        raise AttributeError(f"module {module_name!r} has no attribute {attr!r}")
    if not callable(fn):
        raise TypeError(f"{target!r} is not callable")
    return fn


def pick_scalars(raw: Mapping[str, Any], names: tuple[str, ...] | None) -> dict[str, float]:
    """The scalar outputs ``names`` (default: all) of a model's returned mapping, as floats."""
    if not isinstance(raw, Mapping):
        raise TypeError(f"the model returned {type(raw).__name__}, expected a dict of floats")
    keys = names if names is not None else tuple(raw)
    out: dict[str, float] = {}
    for k in keys:
        if k not in raw:
            raise KeyError(f"the model returned no output {k!r}")
        out[str(k)] = float(raw[k])
    return out


def source_fingerprint(obj: object) -> str | None:
    """Digest of the source file that defines ``obj`` (None when it has none on disk)."""
    import hashlib
    import inspect

    try:
        path = inspect.getsourcefile(obj)  # type: ignore[arg-type]
    except TypeError:
        return None
    if path is None or not Path(path).is_file():
        return None
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
