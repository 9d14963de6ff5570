"""Checking a spec whose model is a Mesa class, before anything runs.

The class imports, is a ``mesa.Model``, takes ``seed=`` and passes it on to
``mesa.Model``, takes every parameter of the spec (and ``policy`` with
``compare``), and has the outputs asked for. The last checks build the model
once, without stepping it, from the spec's base values, the middle of each
factor's range and the first scenario; the model is released afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import mesa
import numpy as np

from community_sim.errors import UserError, did_you_mean
from community_sim.experiment.factors import Factor
from community_sim.experiment.mesa_models import (
    Signature,
    class_path,
    coerce,
    number,
    released,
    reporters,
    resolve,
    signature_of,
)
from community_sim.experiment.models import ModelRef, import_function

PROBE_SEED = 20_261_202
"""The seed of the model built to check a spec (never a run's seed: it is not stored)."""


def check_class(target: str, folder: str, *, source: str, steps: int | None) -> type:
    """The class of a ``"mesa:..."`` model string, checked; raises UserError."""
    if steps is None:
        raise UserError(
            "a Mesa model needs steps = N: the most steps per run "
            "(a run stops earlier when the model sets running = False)",
            source=source,
            key="steps",
        )
    try:
        cls = import_function(class_path(target), folder)
    except Exception as exc:
        raise UserError(
            f"model {target!r} does not import ({type(exc).__name__}: {exc}); give "
            "'mesa:package.module:ClassName', a mesa.Model subclass importable from the "
            "spec's folder or the Python path",
            source=source,
            key="model",
        ) from None
    if not (isinstance(cls, type) and issubclass(cls, mesa.Model)):
        raise UserError(
            f"{class_path(target)!r} is not a subclass of mesa.Model; "
            "name a class defined as class ClassName(mesa.Model)",
            source=source,
            key="model",
        )
    if not signature_of(cls).takes("seed"):
        raise UserError(
            f"{cls.__name__}.__init__ takes no seed; add seed=None to it and call "
            "super().__init__(seed=seed)",
            source=source,
            key="model",
        )
    return cls


def _probe_params(
    base: Mapping[str, Any],
    factors: Sequence[Factor],
    scenarios: Mapping[str, Mapping[str, Any]],
    policy: str | None,
) -> dict[str, Any]:
    """The parameters of a representative run: base, mid-range factors, first scenario."""
    params = dict(base)
    for f in factors:
        params[f.name] = f.from_unit(np.array([0.5]))[0]
    if scenarios:
        params.update(next(iter(scenarios.values())))
    if policy is not None:
        params["policy"] = policy
    return params


def _build(cls: type, sig: Signature, params: dict[str, Any], where: str, source: str) -> Any:
    """Build the model once with a known seed; it must pass the seed on to mesa.Model."""
    try:
        model = cls(**coerce(params, sig), seed=PROBE_SEED)
    except Exception as exc:
        raise UserError(
            f"building {where} from the spec's parameters failed "
            f"({type(exc).__name__}: {exc}); check the parameter values",
            source=source,
            key="model",
        ) from None
    if getattr(model, "_seed", PROBE_SEED) != PROBE_SEED:
        raise UserError(
            f"{where} takes seed= but does not pass it on to mesa.Model, so runs would "
            "not be reproducible; call super().__init__(seed=seed)",
            source=source,
            key="model",
        )
    return model


def check_spec(
    ref: ModelRef,
    *,
    base: Mapping[str, Any],
    overrides: Mapping[str, Any],
    scenario: str | None,
    factors: tuple[Factor, ...],
    scenarios: Mapping[str, Mapping[str, Any]],
    compare: Sequence[str],
    scalars: Sequence[str] | None,
    series: Sequence[str] | None,
    reserved: Sequence[str],
    source: str,
) -> tuple[tuple[Factor, ...], ModelRef]:
    """Check parameters and outputs against the class; integer factors become ``int``.

    ``base`` holds the scenario file's parameters (``scenario``: its path) updated
    with ``overrides``; an error names the file a bad key is in.

    Returns the checked factors and the model reference with its series filled in
    (default: every model reporter).
    """
    cls, sig = resolve(ref.target, ref.search_path)
    where = f"{cls.__module__}.{cls.__name__}"
    if compare and not sig.takes("policy"):
        raise UserError(
            f"compare passes policy=... to the model, and {where} takes no policy parameter; "
            "add one or remove compare",
            source=source,
            key="compare",
        )
    # (file, key prefix, name): a base parameter comes from [overrides] or the scenario file
    keys = [
        (source, "overrides", k) if k in overrides else (scenario or source, "params", k)
        for k in base
    ]
    keys += [(source, "design.parameters", f.name) for f in factors]
    keys += [(source, f"design.scenarios.{s}", k) for s, v in scenarios.items() for k in v]
    for file, prefix, name in keys:
        if name == "seed":
            raise UserError(
                "each run's seed is spawned from the spec's master seed and passed as seed=; "
                "remove this key and set seed = N at the top of the spec",
                source=file,
                key=f"{prefix}.{name}",
            )
        if not sig.takes(name):
            raise UserError(
                f"{where} takes no parameter {name!r}{did_you_mean(name, sig.names)}; "
                f"it takes {', '.join(sorted(sig.names - {'seed'})) or 'none'}",
                source=file,
                key=f"{prefix}.{name}",
            )
    checked = []
    for f in factors:
        if f.name in sig.ints and f.kind == "real":
            assert f.low is not None and f.high is not None
            if f.low != int(f.low) or f.high != int(f.high):
                raise UserError(
                    f"{where} takes an integer {f.name}; give whole-number bounds",
                    source=source,
                    key=f"design.parameters.{f.name}",
                )
            f = Factor(f.name, "int", f.low, f.high, levels=f.levels)
        checked.append(f)

    policies: Sequence[str | None] = compare or [None]
    for i, policy in enumerate(policies):
        params = _probe_params(base, checked, scenarios, policy)
        with released():
            model = _build(cls, sig, params, where, source)
            if i == 0:
                collected = reporters(model)
                ref = _check_outputs(model, collected, ref, scalars, series, where, source)
            del model
    params_named = {k for _, _, k in keys} | {"policy"}
    for name in ref.scalars if ref.scalars is not None else tuple(collected):
        if name in reserved or name in params_named:
            raise UserError(
                f"output {name!r} has the name of a parameter or a stored column; "
                "rename the model reporter or list other outputs",
                source=source,
                key="outputs.scalars",
            )
    return tuple(checked), ref


def _check_outputs(
    model: Any,
    collected: Mapping[str, list[Any]],
    ref: ModelRef,
    scalars: Sequence[str] | None,
    series: Sequence[str] | None,
    where: str,
    source: str,
) -> ModelRef:
    reporters = list(collected)
    if scalars is None and not reporters:
        raise UserError(
            f"{where} has no DataCollector model reporters (model.datacollector); "
            "list model attributes in [outputs] scalars = [...]",
            source=source,
            key="outputs.scalars",
        )
    attributes = [a for a in dir(model) if not a.startswith("_")]
    for name in scalars or ():
        if name not in collected and not hasattr(model, name):
            raise UserError(
                f"unknown output {name!r}{did_you_mean(name, reporters + attributes)}; "
                f"name a model reporter ({', '.join(reporters) or 'none'}) or a model attribute",
                source=source,
                key="outputs.scalars",
            )
        if name not in collected:
            value = getattr(model, name)
            if callable(value):
                raise UserError(
                    f"output {name!r} is a method; add it to the DataCollector's model_reporters",
                    source=source,
                    key="outputs.scalars",
                )
            try:
                number(value)
            except TypeError as exc:
                raise UserError(
                    f"model attribute {name!r} {exc}; list only numeric outputs",
                    source=source,
                    key="outputs.scalars",
                ) from None
    chosen_series = tuple(series) if series is not None else tuple(reporters)
    for name in chosen_series:
        if name not in collected:
            raise UserError(
                f"unknown series {name!r}{did_you_mean(name, reporters)}; "
                f"series are model reporters ({', '.join(reporters) or 'none'})",
                source=source,
                key="outputs.series",
            )
    for name in {*(scalars if scalars is not None else reporters), *chosen_series}:
        values = collected.get(name)
        if values:  # collected while building: a value of the kind every step will give
            try:
                number(values[-1])
            except TypeError as exc:
                key = "outputs.series" if name in chosen_series else "outputs.scalars"
                raise UserError(
                    f"model reporter {name!r} {exc}; list only numeric outputs in [outputs]",
                    source=source,
                    key=key,
                ) from None
    return ModelRef(
        ref.target,
        ref.search_path,
        ref.steps,
        tuple(scalars) if scalars is not None else None,
        chosen_series,
        ref.period,
    )
