"""Experiment specs: a TOML file parsed once into a validated, frozen :class:`ExperimentSpec`.

A spec looks like::

    name = "policy_comparison"
    model = "community"                # or "package.module:function", "mesa:package.module:Class"
    scenario = "../configs/baseline.toml"
    replicates = 20
    seed = 20261128
    compare = ["project", "integrated", "transition"]

    [overrides]                        # on top of the scenario
    tech_drift = 0.05

    [outputs]                          # optional: default is every outcome and series
    scalars = ["skill_match"]
    series = ["mean_trust"]
    period = 12

    [design]
    kind = "sobol"                     # see community_sim.experiment.designs.DESIGNS
    n = 256
    second_order = false
    # emulator = "gp"                  # n space-filling points, indices from a Gaussian process
    [design.parameters]
    tech_drift = { low = 0.0, high = 0.25 }

A policy-design spec has an ``[optimize]`` table (:class:`OptimizeIn`, run by
``community-sim optimize``) instead of ``[design]``.

Every error is one line naming the file and the key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from community_sim.errors import UserError, did_you_mean
from community_sim.experiment.adapters import adapter_for
from community_sim.experiment.factors import Factor, parse_factor
from community_sim.experiment.models import COMMUNITY, ModelRef, Space
from community_sim.params.scenarios import pydantic_error, read_toml

RESERVED = ("run_id", "point", "replicate", "seed", "status", "error", "duration_s", "scenario")
"""Column names of the store that no parameter or output may take."""


class _OutputsIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    scalars: list[str] | None = None
    series: list[str] | None = None
    period: int = Field(1, ge=1)
    derived: dict[str, Any] = {}


class _DesignIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: str
    n: int | None = Field(None, ge=1)
    second_order: bool = False
    levels: int = Field(4, ge=2)
    optimal_trajectories: int | None = Field(None, ge=2)
    m: int = Field(4, ge=1)
    emulator: Literal["gp"] | None = None
    min_q2: float = Field(0.9, gt=0.0, le=1.0)
    parameters: dict[str, Any] = {}
    scenarios: dict[str, dict[str, Any]] = {}


class OptimizeIn(BaseModel):
    """The ``[optimize]`` table: levers, objectives and how a candidate is scored.

    Levers and uncertainties are factor tables (:mod:`.factors`); objectives map an
    output name (``x``, ``x@policy``, ``diff:x``) to ``"min"`` or ``"max"``;
    constraints read ``OUTPUT OP NUMBER``; ``robustness`` is one metric for every
    objective or a table of them by objective (:mod:`community_sim.analysis.robustness`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    levers: dict[str, Any] = Field(min_length=1)
    objectives: dict[str, Literal["min", "max"]] = Field(min_length=1)
    constraints: list[str] = []
    uncertainties: dict[str, Any] = {}
    scenarios: int = Field(1, ge=1)
    robustness: str | dict[str, str] = "mean"
    replicates: int = Field(1, ge=1)
    algorithm: Literal["nsga2", "nsga3"] = "nsga2"
    population: int | None = Field(None, ge=4)
    evaluations: int = Field(ge=1)
    reference: dict[str, float] | None = None


class _SpecIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    description: str = ""
    model: str = COMMUNITY
    scenario: str | None = None
    overrides: dict[str, Any] = {}
    steps: int | None = Field(None, ge=1)
    replicates: int = Field(1, ge=1)
    seed: int = Field(0, ge=0)
    compare: list[str] = []
    outputs: _OutputsIn = _OutputsIn()
    design: _DesignIn | None = None
    optimize: OptimizeIn | None = None


@dataclass(frozen=True)
class DesignSpec:
    """The design part of a spec: its kind, options, factors and named scenarios."""

    kind: str
    n: int | None
    second_order: bool
    levels: int
    optimal_trajectories: int | None
    m: int
    factors: tuple[Factor, ...]
    scenarios: Mapping[str, Mapping[str, Any]]
    emulator: str | None = None  # sobol: indices from an emulator fitted to a space-filling design
    min_q2: float = 0.9  # the emulator's held-out Q² below which its indices are refused


@dataclass(frozen=True)
class ExperimentSpec:
    """A validated experiment."""

    path: Path | None
    name: str
    description: str
    model: ModelRef
    base_params: Mapping[str, Any]
    replicates: int
    seed: int
    compare: tuple[str, ...]
    design: DesignSpec
    raw: Mapping[str, Any] = field(repr=False)
    scenario_raw: Mapping[str, Any] = field(repr=False, default_factory=dict)
    # a policy-design spec's [optimize] table; its design.factors are levers, then uncertainties
    optimize: OptimizeIn | None = None

    @property
    def source(self) -> str:
        return str(self.path) if self.path else "<spec>"

    @property
    def policies(self) -> tuple[str | None, ...]:
        """The policies each design point runs under (``(None,)`` without ``compare``)."""
        return self.compare or (None,)

    def spec_hash(self) -> str:
        """SHA-256 of the spec as loaded and its base scenario: what makes results differ."""
        blob = json.dumps(
            {"spec": self.raw, "scenario": self.scenario_raw}, sort_keys=True, default=str
        )
        return hashlib.sha256(blob.encode()).hexdigest()

    def to_json(self) -> dict[str, Any]:
        """The spec as loaded, for the manifest."""
        return json.loads(json.dumps(self.raw, default=str))


def _with_derived(model: ModelRef, s: _SpecIn, source: str) -> ModelRef:
    """The model reference with its checked ``[outputs.derived]`` (experiment.derived)."""
    import dataclasses

    from community_sim.experiment.derived import check_derived

    taken = [*RESERVED, *(model.scalars or ()), *s.overrides, *_factor_tables(s)]
    if model.kind == "community" and model.scalars is None:
        from community_sim.metrics import OUTCOMES

        taken += list(OUTCOMES)
    derived = check_derived(
        s.outputs.derived, series=model.series, taken=taken, steps=model.steps, source=source
    )
    return dataclasses.replace(model, derived=derived)


def _factor_tables(s: _SpecIn) -> dict[str, Any]:
    """The varied parameters as written: ``[design.parameters]``, or levers and uncertainties."""
    if s.optimize is not None:
        return {**s.optimize.levers, **s.optimize.uncertainties}
    return dict(s.design.parameters) if s.design is not None else {}


def _check_kind(s: _SpecIn, source: str, optimize: bool) -> None:
    """A spec has ``[design]`` (``run``) or ``[optimize]`` (``optimize``), never both."""
    if s.optimize is not None and s.design is not None:
        raise UserError(
            "a spec has [design] or [optimize], not both; remove one", source=source, key="design"
        )
    if s.optimize is not None and not optimize:
        raise UserError(
            "this spec designs policies; run it with `community-sim optimize`",
            source=source,
            key="optimize",
        )
    if s.design is None and s.optimize is None:
        key = "optimize" if optimize else "design"
        raise UserError(f"missing the [{key}] table", source=source, key=key)
    if optimize and s.optimize is None:
        raise UserError(
            "missing the [optimize] table (levers, objectives, evaluations)",
            source=source,
            key="optimize",
        )
    if s.optimize is not None:
        both = set(s.optimize.levers) & set(s.optimize.uncertainties)
        if both:
            raise UserError(
                f"{sorted(both)[0]!r} is both a lever and an uncertainty; keep one",
                source=source,
                key=f"optimize.uncertainties.{sorted(both)[0]}",
            )
        if "replicates" in s.model_fields_set:
            raise UserError("set replicates in [optimize]", source=source, key="replicates")


def load_spec(
    spec: str | Path | Mapping[str, Any],
    *,
    base_dir: Path | None = None,
    optimize: bool = False,
) -> ExperimentSpec:
    """Load and validate a spec file (or an already-parsed mapping); raises UserError.

    A spec with ``[optimize]`` loads only with ``optimize=True`` (``community-sim
    optimize``); its design holds the levers, then the uncertainties, as factors.
    """
    if isinstance(spec, Mapping):
        raw, path = dict(spec), None
        folder = (base_dir or Path.cwd()).resolve()
    else:
        path = Path(spec)
        raw = read_toml(path)
        folder = path.resolve().parent
    source = str(path) if path else "<spec>"
    try:
        s = _SpecIn.model_validate(raw)
    except ValidationError as exc:
        raise pydantic_error(exc, source) from None

    _check_kind(s, source, optimize)
    if s.design is not None:
        _check_design(s.design, source)
    adapter = adapter_for(s.model)
    model = adapter.check(s.model, folder, source=source, steps=s.steps, outputs=s.outputs)
    if s.outputs.derived:
        model = _with_derived(model, s, source)
    scenario_path, scenario_raw = _scenario(s, folder, source)
    base = adapter.base_params(scenario_path, scenario_raw, s.overrides, source)
    d = s.design if s.design is not None else _DesignIn(kind="optimize")
    factors = _parse_factors(s, source)
    scenarios = {k: dict(v) for k, v in d.scenarios.items()}
    space = Space(
        base=base,
        overrides=s.overrides,
        scenario=str(folder / s.scenario) if s.scenario else None,
        factors=factors,
        scenarios=scenarios,
        compare=s.compare,
        scalars=s.outputs.scalars,
        series=s.outputs.series,
        reserved=RESERVED,
        source=source,
    )
    try:
        _check_names(s, factors, scenarios, source)
        factors, model = adapter.check_space(model, space)
    except UserError as exc:
        raise _renamed(exc, s) from None
    design = DesignSpec(
        kind=d.kind,
        n=d.n,
        second_order=d.second_order,
        levels=d.levels,
        optimal_trajectories=d.optimal_trajectories,
        m=d.m,
        factors=factors,
        scenarios=scenarios,
        emulator=d.emulator,
        min_q2=d.min_q2,
    )
    if s.optimize is None:
        from community_sim.experiment.designs import DESIGNS

        DESIGNS[design.kind].check(design, source)
    return ExperimentSpec(
        path=path,
        name=s.name,
        description=s.description,
        model=model,
        base_params=base,
        replicates=s.replicates,
        seed=s.seed,
        compare=tuple(s.compare),
        design=design,
        raw=raw,
        scenario_raw=scenario_raw,
        optimize=s.optimize,
    )


def _parse_factors(s: _SpecIn, source: str) -> tuple[Factor, ...]:
    if s.optimize is None:
        tables = {"design.parameters": s.design.parameters if s.design else {}}
    else:
        tables = {
            "optimize.levers": s.optimize.levers,
            "optimize.uncertainties": s.optimize.uncertainties,
        }
    return tuple(
        parse_factor(n, v, source=source, prefix=prefix)
        for prefix, table in tables.items()
        for n, v in table.items()
    )


def _renamed(exc: UserError, s: _SpecIn) -> UserError:
    """A model's complaint about ``design.parameters`` names the optimize table instead."""
    text = str(exc)
    if s.optimize is None or "design.parameters" not in text:
        return exc
    name = (exc.key or "").rsplit(".", 1)[-1]
    table = "uncertainties" if name in s.optimize.uncertainties else "levers"
    return UserError(text.replace("design.parameters", f"optimize.{table}"))


def _check_design(d: _DesignIn, source: str) -> None:
    design_kind_check(d.kind, source)
    if d.emulator is not None and d.kind != "sobol":
        raise UserError(
            f"an emulator computes Sobol' indices; use kind = 'sobol', not {d.kind!r}",
            source=source,
            key="design.emulator",
        )


def design_kind_check(kind: str, source: str) -> None:
    from community_sim.experiment.designs import DESIGNS

    if kind not in DESIGNS:
        raise UserError(
            f"unknown design kind {kind!r}{did_you_mean(kind, DESIGNS)}; "
            f"choose one of {', '.join(DESIGNS)}",
            source=source,
            key="design.kind",
        )


def _scenario(s: _SpecIn, folder: Path, source: str) -> tuple[Path | None, dict[str, Any]]:
    """The base scenario file's path and contents (``{}`` without one)."""
    if s.scenario is None:
        return None, {}
    path = (folder / s.scenario).resolve()
    if not path.is_file():
        raise UserError(
            f"scenario file {s.scenario!r} not found (relative to {folder})",
            source=source,
            key="scenario",
        )
    return path, read_toml(path)


def _check_names(
    s: _SpecIn,
    factors: tuple[Factor, ...],
    scenarios: dict[str, dict[str, Any]],
    source: str,
) -> None:
    """Checks of names that hold for every model; the adapter checks them against its model."""
    for name in [f.name for f in factors] + [k for sc in scenarios.values() for k in sc]:
        if name in RESERVED:
            raise UserError(
                f"{name!r} is a reserved column name; rename the parameter",
                source=source,
                key=f"design.parameters.{name}",
            )
    if s.compare:
        if len(set(s.compare)) != len(s.compare):
            raise UserError("policies must be distinct", source=source, key="compare")
        if any(f.name == "policy" for f in factors) or any(
            "policy" in v for v in scenarios.values()
        ):
            raise UserError(
                "'policy' is set by compare; do not vary it in the design",
                source=source,
                key="design.parameters.policy",
            )
