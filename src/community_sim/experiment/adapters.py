"""The registry of model adapters, and the adapters of the community model and of functions.

:data:`ADAPTERS` maps each kind of model string (:func:`.models.kind_of`) to
its :class:`~.models.ModelAdapter`; the Mesa adapter lives with the Mesa
runner in :mod:`.mesa_models`. Everything the engine does with a model —
check a spec, call it in a worker, warm a worker, describe it in the
manifest — goes through ``adapter_for(ref)``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from community_sim.errors import UserError, did_you_mean
from community_sim.experiment.mesa_models import MesaAdapter
from community_sim.experiment.models import (
    ModelAdapter,
    ModelFn,
    ModelOutput,
    ModelRef,
    Space,
    import_function,
    pick_scalars,
)

if TYPE_CHECKING:
    from community_sim.experiment.factors import Factor

log = logging.getLogger(__name__)

TASKS = "community_sim.experiment.tasks"


class CommunityAdapter:
    """The community model: ``community_sim.runner.run`` with parameters from ``params``."""

    def check(
        self, target: str, folder: Path, *, source: str, steps: int | None, outputs: Any
    ) -> ModelRef:
        from community_sim.metrics import OUTCOMES, SERIES

        scalars = tuple(outputs.scalars) if outputs.scalars is not None else None
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

    def base_params(
        self,
        scenario: Path | None,
        scenario_raw: Mapping[str, Any],
        overrides: Mapping[str, Any],
        source: str,
    ) -> dict[str, Any]:
        from community_sim.params import defaults, validate_params
        from community_sim.params.scenarios import load_scenario

        base = dict(load_scenario(scenario).params) if scenario else defaults()
        return validate_params(overrides, source=f"{source}: overrides", base=base)

    def check_space(self, ref: ModelRef, space: Space) -> tuple[tuple[Factor, ...], ModelRef]:
        return _check_community_space(space), ref

    def call(self, ref: ModelRef, params: dict[str, Any], seed: int) -> ModelOutput:
        # The spec checked the space once; the model checks each run's values once more
        # as it is built (CommunityModel), so nothing here validates them again.
        from community_sim.runner import run

        result = run(params, seed=seed, steps=ref.steps)
        outcomes = pick_scalars(result.outcomes, ref.scalars)
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

    def preload(self, ref: ModelRef) -> list[str]:
        # Importing the model (Mesa, pandas, SciPy, the package) costs about 1.5 s of CPU
        # and loading its compiled kernels about 0.2 s more; a fork server does it once.
        return [TASKS, "community_sim.runner", "community_sim.experiment.warm"]

    def undefined_when(self, ref: ModelRef) -> dict[str, str]:
        from community_sim.metrics import OUTCOMES

        names = ref.scalars if ref.scalars is not None else tuple(OUTCOMES)
        return {k: OUTCOMES[k].undefined for k in names if OUTCOMES[k].undefined}

    def deterministic(self, ref: ModelRef) -> bool | None:
        return False

    def fingerprint(self, ref: ModelRef) -> str | None:
        return community_fingerprint()


FINGERPRINT_RUN: dict[str, Any] = {
    "n_schools": 2,
    "n_leading": 2,
    "n_smes": 8,
    "intake_per_school": 40,
    "horizon_months": 48,
    "policy": "choice",
}
"""The small run whose results fingerprint the community model (about 0.04 s of CPU)."""


@lru_cache(maxsize=1)
def community_fingerprint() -> str:
    """Digest of a small run's outcomes and series: it changes when the model's
    behaviour does, and not with edits that leave every result as it was."""
    import hashlib

    from community_sim.runner import run

    res = run(FINGERPRINT_RUN, seed=1)
    text = repr(sorted(res.outcomes.items())) + res.series.to_csv()
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _check_community_space(space: Space) -> tuple[Factor, ...]:
    """Factors, scenarios and policies against ``PARAMS``; integer factors become ``int``."""
    from community_sim.experiment.factors import Factor
    from community_sim.params import PARAMS, check_name, validate_params

    source = space.source
    if space.compare:
        choices = PARAMS["policy"].choices
        for pol in space.compare:
            if pol not in choices:
                raise UserError(
                    f"unknown policy {pol!r}{did_you_mean(pol, choices)}; "
                    f"choose from {', '.join(choices)}",
                    source=source,
                    key="compare",
                )
    checked: list[Factor] = []
    for f in space.factors:
        where = f"{source}: design.parameters"
        p = check_name(f.name, where)
        if p.kind in ("cat", "bool"):
            if f.kind != "cat":
                raise UserError(
                    f"a {p.kind} parameter needs values = [...] ({p.bounds_text()})",
                    source=source,
                    key=f"design.parameters.{f.name}",
                )
            for v in f.values:
                p.check(v, where)
        elif f.kind in ("real", "int"):
            assert f.low is not None and f.high is not None
            p.check(f.low if p.kind == "real" else int(f.low), where)
            p.check(f.high if p.kind == "real" else int(f.high), where)
            if p.kind == "int" and f.kind == "real":
                if f.low != int(f.low) or f.high != int(f.high):
                    raise UserError(
                        "integer parameter needs whole-number bounds",
                        source=source,
                        key=f"design.parameters.{f.name}",
                    )
                f = Factor(f.name, "int", f.low, f.high, levels=f.levels)
        elif f.kind == "cat":
            for v in f.values:
                p.check(v, where)
        elif p.low is not None and p.high is not None:
            lo, hi = (float(v) for v in f.from_unit(np.array([0.001, 0.999])))
            if lo < p.low or hi > p.high:
                log.warning(
                    "%s: design.parameters.%s: the distribution reaches beyond the "
                    "parameter's bounds %s (0.1%%–99.9%%: %.4g–%.4g); such runs will fail",
                    source,
                    f.name,
                    p.bounds_text(),
                    lo,
                    hi,
                )
        checked.append(f)
    for sc_name, values in space.scenarios.items():
        validate_params(values, source=f"{source}: design.scenarios.{sc_name}", base=space.base)
    return tuple(checked)


@lru_cache(maxsize=8)
def _resolve(target: str, search_path: str | None) -> ModelFn:
    return import_function(target, search_path)


class FunctionAdapter:
    """Any ``f(params: dict, seed: int) -> Mapping[str, float]`` named ``"package.module:f"``."""

    def check(
        self, target: str, folder: Path, *, source: str, steps: int | None, outputs: Any
    ) -> ModelRef:
        scalars = tuple(outputs.scalars) if outputs.scalars is not None else None
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
                f"model {target!r} does not import ({type(exc).__name__}: {exc}); give "
                "'package.module:function' importable from the spec's folder or the Python path",
                source=source,
                key="model",
            ) from None
        return ModelRef(target, search, None, scalars, (), outputs.period)

    def base_params(
        self,
        scenario: Path | None,
        scenario_raw: Mapping[str, Any],
        overrides: Mapping[str, Any],
        source: str,
    ) -> dict[str, Any]:
        return {**scenario_raw.get("params", {}), **overrides}

    def check_space(self, ref: ModelRef, space: Space) -> tuple[tuple[Factor, ...], ModelRef]:
        return space.factors, ref  # a function declares no parameters to check against

    def call(self, ref: ModelRef, params: dict[str, Any], seed: int) -> ModelOutput:
        raw = _resolve(ref.target, ref.search_path)(dict(params), seed)
        return ModelOutput(pick_scalars(raw, ref.scalars))

    def preload(self, ref: ModelRef) -> list[str]:
        return [TASKS, ref.target.partition(":")[0]]

    def undefined_when(self, ref: ModelRef) -> dict[str, str]:
        return {}  # a function says nothing, so its NaNs carry no reason

    def deterministic(self, ref: ModelRef) -> bool | None:
        # declared with a function attribute ``deterministic = True``; the analysis
        # then does not warn about replicate noise with R = 1
        flag = getattr(_resolve(ref.target, ref.search_path), "deterministic", None)
        return None if flag is None else bool(flag)

    def fingerprint(self, ref: ModelRef) -> str | None:
        from community_sim.experiment.models import source_fingerprint

        return source_fingerprint(_resolve(ref.target, ref.search_path))


ADAPTERS: dict[str, ModelAdapter] = {
    "community": CommunityAdapter(),
    "function": FunctionAdapter(),
    "mesa": MesaAdapter(),
}
"""Model kind (``ModelRef.kind``) → its adapter."""


def adapter_for(ref: ModelRef | str) -> ModelAdapter:
    """The adapter of a model reference or model string."""
    from community_sim.experiment.models import kind_of

    return ADAPTERS[kind_of(ref if isinstance(ref, str) else ref.target)]


def call_model(ref: ModelRef, params: dict[str, Any], seed: int) -> ModelOutput:
    """Run the model once and return the outputs the spec asked for."""
    return ADAPTERS[ref.kind].call(ref, params, seed)
