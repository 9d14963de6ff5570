"""Any Mesa model class as an experiment's model: ``model = "mesa:package.module:ClassName"``.

Each run builds ``ClassName(**params, seed=seed)``, steps it ``steps`` times
(fewer if the model sets ``running = False``, as ``Model.run_model`` would),
and reads its ``DataCollector``: the scalars are each model reporter's last
collected value (or the names of ``[outputs] scalars``, reporters or model
attributes), the series are the model-reporter columns, each row labelled with
the step (``model.steps``) at which it was collected.

Mesa 3.3 keeps every model that created an agent alive in
Mesa's id counter, and every model on a ``discrete_space`` grid in the caches
of its cells' neighbourhoods (and each grid's cell class in
``copyreg.dispatch_table``); a sweep of 10^5 runs would hold them all. Each run
here releases its models from all three when it ends, even when it fails, so
they can be garbage-collected (:func:`released`).

A spec naming a Mesa model is checked before anything runs, in :mod:`.mesa_spec`.
"""

from __future__ import annotations

import copyreg
import inspect
import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from numbers import Real
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from community_sim.experiment.models import MESA, ModelOutput, ModelRef, Space, import_function

if TYPE_CHECKING:
    from community_sim.experiment.factors import Factor


@dataclass(frozen=True)
class Signature:
    """What a model class's ``__init__`` accepts."""

    names: frozenset[str]
    any_keyword: bool  # takes **kwargs
    ints: frozenset[str]  # parameters whose default or annotation is int

    def takes(self, name: str) -> bool:
        return self.any_keyword or name in self.names


def class_path(target: str) -> str:
    """``"package.module:ClassName"`` of a ``"mesa:..."`` model string."""
    return target.removeprefix(MESA)


def import_class(target: str, search_path: str | None) -> type:
    """Import the class named by ``"mesa:package.module:ClassName"``; must be a mesa.Model."""
    import mesa

    cls = import_function(class_path(target), search_path)
    if not (isinstance(cls, type) and issubclass(cls, mesa.Model)):
        raise TypeError(f"{class_path(target)!r} is not a subclass of mesa.Model")
    return cls


@lru_cache(maxsize=8)
def resolve(target: str, search_path: str | None) -> tuple[type, Signature]:
    cls = import_class(target, search_path)
    return cls, signature_of(cls)


def signature_of(cls: type) -> Signature:
    """The keyword parameters of ``cls.__init__`` (after ``self``)."""
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    names = frozenset(p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))
    any_keyword = any(p.kind == p.VAR_KEYWORD for p in params)
    ints = frozenset(
        p.name
        for p in params
        if p.annotation in (int, "int")
        or (type(p.default) is int and p.annotation is inspect.Parameter.empty)
    )
    return Signature(names, any_keyword, ints)


def coerce(params: Mapping[str, Any], sig: Signature) -> dict[str, Any]:
    """Parameters as the class expects them: whole floats to int where it takes an int.

    A design stores an integer factor as a float when another point leaves it
    unset (NaN), and numpy scalars come from sampled designs.
    """
    out: dict[str, Any] = {}
    for k, v in params.items():
        if isinstance(v, np.generic):
            v = v.item()
        if k in sig.ints and isinstance(v, float) and v.is_integer():
            v = int(v)
        out[k] = v
    return out


@contextmanager
def released() -> Iterator[None]:
    """Let every model created inside the block be garbage-collected once it is dropped.

    Mesa 3.3 holds models in two places beyond its user's reach: its class-level id
    counter (the leak :mod:`community_sim.mesa_leak` works around, in one place) and the
    ``functools.cache`` of ``Cell.get_neighborhood`` and ``Cell._neighborhood`` in
    ``mesa.discrete_space`` (module-level caches keyed by cell, whose agents reference
    their model). On exit the models created in the block leave the first, and the second
    is emptied: it only caches a grid's fixed neighbourhoods, which any live model
    recomputes on use. Each grid also makes a cell class of its own and registers it in
    ``copyreg.dispatch_table`` for pickling; the classes made in the block are
    unregistered too (a few KB per run otherwise).
    """
    from community_sim import mesa_leak

    # The counter holds its models strongly, so an id() here cannot be reused meanwhile.
    before = {id(m) for m in mesa_leak.held_models()}
    pickled = {id(k) for k in copyreg.dispatch_table}
    try:
        yield
    finally:
        for m in [m for m in mesa_leak.held_models() if id(m) not in before]:
            mesa_leak.release(m)
        _clear_cell_caches()
        _unregister_cell_classes(pickled)


def _unregister_cell_classes(before: set[int]) -> None:
    try:
        from mesa.discrete_space.cell import Cell
    except ImportError:
        return
    for k in [k for k in copyreg.dispatch_table if id(k) not in before]:
        if isinstance(k, type) and issubclass(k, Cell):
            copyreg.dispatch_table.pop(k, None)


def _clear_cell_caches() -> None:
    try:
        from mesa.discrete_space.cell import Cell
    except ImportError:  # a Mesa without discrete_space
        return
    for name in ("get_neighborhood", "_neighborhood"):
        cached = getattr(Cell, name, None)
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()


def number(value: Any) -> float:
    """A reporter's or attribute's value as a float; None (nothing to report) is NaN."""
    if value is None:
        return math.nan
    if isinstance(value, bool | Real | np.number):
        return float(value)
    raise TypeError(f"gave {type(value).__name__} {value!r}, not a number")


def reporters(model: Any) -> dict[str, list[Any]]:
    """The model's collected model-reporter values by name ({} without a DataCollector)."""
    from mesa.datacollection import DataCollector

    dc = getattr(model, "datacollector", None)
    if not isinstance(dc, DataCollector):
        return {}
    return {name: dc.model_vars.get(name, []) for name in dc.model_reporters}


def _rows(model: Any) -> int:
    """How many rows the model's DataCollector holds so far."""
    return len(next(iter(reporters(model).values()), []))


def _scalar(model: Any, collected: Mapping[str, list[Any]], name: str) -> float:
    try:
        if name in collected:
            values = collected[name]
            return number(values[-1]) if values else math.nan
        if not hasattr(model, name):
            raise AttributeError("is neither a model reporter nor a model attribute")
        value = getattr(model, name)
        if callable(value):
            raise TypeError("is a method; add it to the DataCollector's model_reporters")
        return number(value)
    except (AttributeError, TypeError) as exc:
        raise type(exc)(f"output {name!r} {exc}") from None


def run_mesa(ref: ModelRef, params: Mapping[str, Any], seed: int) -> ModelOutput:
    """Build, step and read one Mesa model; it is released from Mesa's registry after."""
    cls, sig = resolve(ref.target, ref.search_path)
    assert ref.steps is not None  # the spec requires steps for a Mesa model
    with released():
        model = cls(**coerce(params, sig), seed=seed)
        labels = [int(model.steps)] * _rows(model)  # rows collected while building
        for _ in range(ref.steps):
            if not model.running:
                break
            model.step()
            labels.extend([int(model.steps)] * (_rows(model) - len(labels)))
        collected = reporters(model)
        names = ref.scalars if ref.scalars is not None else tuple(collected)
        outcomes = {n: _scalar(model, collected, n) for n in names}
        output = ModelOutput(outcomes)
        if ref.series:
            output = _with_series(output, collected, labels, ref)
        del model
    return output


def _with_series(
    output: ModelOutput, collected: Mapping[str, list[Any]], labels: list[int], ref: ModelRef
) -> ModelOutput:
    steps = np.asarray(labels, dtype=np.int64)
    keep = steps % ref.period == 0
    columns = []
    for name in ref.series:
        values = collected.get(name)
        if values is None:
            raise KeyError(f"the model has no model reporter {name!r}")
        if len(values) != len(labels):
            raise ValueError(f"model reporter {name!r} has {len(values)} rows, not {len(labels)}")
        try:
            columns.append([number(v) for v in values])
        except TypeError as exc:
            raise TypeError(f"model reporter {name!r} {exc}") from None
    values = np.asarray(columns, dtype=float).T[keep]  # rows: kept steps; columns: names
    kept = steps[keep]
    output.steps = np.repeat(kept, len(ref.series))
    output.names = np.tile(np.array(ref.series, dtype=object), len(kept))
    output.values = values.reshape(-1)
    return output


class MesaAdapter:
    """A Mesa model class, ``"mesa:package.module:ClassName"`` (checked in :mod:`.mesa_spec`)."""

    def check(
        self, target: str, folder: Path, *, source: str, steps: int | None, outputs: Any
    ) -> ModelRef:
        from community_sim.experiment.mesa_spec import check_class

        scalars = tuple(outputs.scalars) if outputs.scalars is not None else None
        check_class(target, str(folder), source=source, steps=steps)
        # the series are filled in by check_space once the parameters are known
        return ModelRef(target, str(folder), steps, scalars, (), outputs.period)

    def base_params(
        self,
        scenario: Path | None,
        scenario_raw: Mapping[str, Any],
        overrides: Mapping[str, Any],
        source: str,
    ) -> dict[str, Any]:
        return {**scenario_raw.get("params", {}), **overrides}

    def check_space(self, ref: ModelRef, space: Space) -> tuple[tuple[Factor, ...], ModelRef]:
        from community_sim.experiment.mesa_spec import check_spec

        return check_spec(
            ref,
            base=space.base,
            overrides=space.overrides,
            scenario=space.scenario,
            factors=space.factors,
            scenarios=space.scenarios,
            compare=space.compare,
            scalars=space.scalars,
            series=space.series,
            reserved=space.reserved,
            source=space.source,
        )

    def call(self, ref: ModelRef, params: dict[str, Any], seed: int) -> ModelOutput:
        return run_mesa(ref, params, seed)

    def preload(self, ref: ModelRef) -> list[str]:
        # Mesa itself: the class's module may need the spec's folder on the path
        return ["community_sim.experiment.tasks", "mesa"]

    def undefined_when(self, ref: ModelRef) -> dict[str, str]:
        return {}  # a Mesa class says nothing about when its reporters are undefined

    def deterministic(self, ref: ModelRef) -> bool | None:
        return None  # a Mesa class says nothing about it; its seed drives self.random

    def fingerprint(self, ref: ModelRef) -> str | None:
        from community_sim.experiment.models import source_fingerprint

        return source_fingerprint(import_class(ref.target, ref.search_path))
