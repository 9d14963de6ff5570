"""The model an experiment runs: the community model, any ``f(params, seed) -> dict``, or
any Mesa model class (``"mesa:package.module:ClassName"``, see :mod:`.mesa_models`).

A :class:`ModelRef` is plain data (picklable, small) so every worker — a local
process or a Dask worker — resolves the function or class itself, once, from
the model string and the spec's folder (as EMA Workbench's
``Model(name, function=f)`` wraps any function).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from community_sim.errors import UserError, did_you_mean

COMMUNITY = "community"
"""The model string that names the community model (``community_sim.runner.run``)."""

MESA = "mesa:"
"""The prefix of a model string that names a Mesa model class."""

ModelFn = Callable[[dict[str, Any], int], Mapping[str, float]]


@dataclass(frozen=True)
class ModelRef:
    """Which model to call, and which of its outputs to keep."""

    target: str
    search_path: str | None = None
    steps: int | None = None
    scalars: tuple[str, ...] | None = None
    series: tuple[str, ...] = ()
    period: int = 1

    @property
    def is_community(self) -> bool:
        return self.target == COMMUNITY

    @property
    def is_mesa(self) -> bool:
        return self.target.startswith(MESA)


@dataclass
class ModelOutput:
    """What one run produced: scalar outcomes and, optionally, long-format series."""

    outcomes: dict[str, float]
    steps: np.ndarray | None = None
    names: np.ndarray | None = None
    values: np.ndarray | None = None


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


def check_model(
    target: str, folder: Any, *, source: str, steps: int | None, outputs: Any
) -> ModelRef:
    """Validate the model string and the outputs asked of it; raises UserError."""
    scalars = tuple(outputs.scalars) if outputs.scalars is not None else None
    if target == COMMUNITY:
        from community_sim.metrics import OUTCOMES, SERIES

        for name in scalars or ():
            if name not in OUTCOMES:
                raise UserError(
                    f"unknown outcome {name!r}{did_you_mean(name, OUTCOMES)}",
                    source=source,
                    key="outputs.scalars",
                )
        series = tuple(outputs.series) if outputs.series is not None else tuple(SERIES)
        for name in series:
            if name not in SERIES:
                raise UserError(
                    f"unknown series {name!r}{did_you_mean(name, SERIES)}",
                    source=source,
                    key="outputs.series",
                )
        return ModelRef(target, None, steps, scalars, series, outputs.period)
    if target.startswith(MESA):
        from community_sim.experiment.mesa_spec import check_class

        check_class(target, str(folder), source=source, steps=steps)
        # the series are filled in by mesa_models.check_spec once the parameters are known
        return ModelRef(target, str(folder), steps, scalars, (), outputs.period)
    if steps is not None:
        raise UserError(
            "steps applies to the community model and Mesa models only; "
            "pass it as a parameter instead",
            source=source,
            key="steps",
        )
    if outputs.series:
        raise UserError(
            "a module:function model returns scalars only; remove outputs.series",
            source=source,
            key="outputs.series",
        )
    search = str(folder)
    try:
        import_function(target, search)
    except Exception as exc:
        raise UserError(
            f"model {target!r} does not import ({type(exc).__name__}: {exc}); "
            "give 'package.module:function' importable from the spec's folder or the Python path",
            source=source,
            key="model",
        ) from None
    return ModelRef(target, search, None, scalars, (), outputs.period)


def undefined_when(ref: ModelRef) -> dict[str, str]:
    """Per scalar outcome, when it is undefined (NaN), for the store's manifest.

    The community model declares it in ``metrics.OUTCOMES``; a
    ``module:function`` model says nothing, so its NaNs carry no reason.
    """
    if not ref.is_community:
        return {}
    from community_sim.metrics import OUTCOMES

    names = ref.scalars if ref.scalars is not None else tuple(OUTCOMES)
    return {k: OUTCOMES[k].undefined for k in names if OUTCOMES[k].undefined}


def declared_deterministic(ref: ModelRef) -> bool | None:
    """Whether the model says its output does not depend on the seed; None if it does not say.

    The community model is stochastic. A ``module:function`` model declares
    itself deterministic with a function attribute ``deterministic = True``;
    the analysis then does not warn about replicate noise with R = 1.
    """
    if ref.is_community:
        return False
    if ref.is_mesa:  # a Mesa class says nothing about it; its seed drives self.random
        return None
    flag = getattr(_resolve(ref.target, ref.search_path), "deterministic", None)
    return None if flag is None else bool(flag)


@lru_cache(maxsize=8)
def _resolve(target: str, search_path: str | None) -> ModelFn:
    return import_function(target, search_path)


def call_model(ref: ModelRef, params: dict[str, Any], seed: int) -> ModelOutput:
    """Run the model once and return the outputs the spec asked for."""
    if ref.is_community:
        return _call_community(ref, params, seed)
    if ref.is_mesa:
        from community_sim.experiment.mesa_models import run_mesa

        return run_mesa(ref, params, seed)
    raw = _resolve(ref.target, ref.search_path)(dict(params), seed)
    return ModelOutput(_pick_scalars(raw, ref.scalars))


def _pick_scalars(raw: Mapping[str, Any], names: tuple[str, ...] | None) -> dict[str, float]:
    if not isinstance(raw, Mapping):
        raise TypeError(f"the model returned {type(raw).__name__}, expected a dict of floats")
    keys = names if names is not None else tuple(raw)
    out: dict[str, float] = {}
    for k in keys:
        if k not in raw:
            raise KeyError(f"the model returned no output {k!r}")
        out[str(k)] = float(raw[k])
    return out


def _call_community(ref: ModelRef, params: dict[str, Any], seed: int) -> ModelOutput:
    from community_sim.params import validate_params
    from community_sim.runner import run

    result = run(validate_params(params), seed=seed, steps=ref.steps)
    outcomes = _pick_scalars(result.outcomes, ref.scalars)
    if not ref.series:
        return ModelOutput(outcomes)
    frame = result.series
    steps = np.asarray(frame.index, dtype=np.int64)
    keep = steps % ref.period == 0
    steps = steps[keep]
    names = list(ref.series)
    values = np.column_stack([np.asarray(frame[n], dtype=float)[keep] for n in names])
    return ModelOutput(
        outcomes,
        steps=np.repeat(steps, len(names)),
        names=np.tile(np.array(names, dtype=object), len(steps)),
        values=values.reshape(-1),
    )
