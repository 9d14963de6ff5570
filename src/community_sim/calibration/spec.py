"""Calibration specs: free parameters with priors, the patterns to fit, ABC-SMC settings.

A spec looks like::

    name = "hire_costs"
    scenario = "../../configs/baseline.toml"   # relative to the spec
    patterns = "default"                       # or a targets file (patterns format)
    fit = ["external_hire_cost", "retention_training_firm"]

    [overrides]                                # fixed parameters on top of the scenario
    horizon_months = 60

    [priors]                                   # uniform on [low, high]
    hire_cost_weeks = { low = 8.0, high = 24.0 }

    [abc]
    population_size = 100
    max_populations = 8
    epsilon_target = 1.0    # converged when the final epsilon is at or below this
    seeds_per_sample = 1    # model runs averaged per proposed parameter set
    seed = 1
    ppc_samples = 20        # posterior predictive runs

    [truth]                                    # optional: known values (synthetic checks)
    hire_cost_weeks = 20.0

The distance is the root mean square of (statistic − target) / tolerance over
the fitted patterns, the tolerance being half the pattern's acceptance range:
epsilon ≤ 1 means the simulated patterns sit, on average, within tolerance.
Only patterns read from one run of the scenario (``level`` and ``gap``) can be
fitted. Every error is one line naming the file and the key.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from community_sim.errors import UserError, did_you_mean
from community_sim.params import PARAMS, validate_params
from community_sim.params.scenarios import load_scenario, pydantic_error, read_toml
from community_sim.patterns.table import Pattern, load_patterns


class _PriorIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    low: float
    high: float


class _AbcIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    population_size: int = Field(100, ge=5)
    max_populations: int = Field(8, ge=1)
    epsilon_target: float = Field(1.0, gt=0)
    seeds_per_sample: int = Field(1, ge=1)
    seed: int = Field(0, ge=0)
    ppc_samples: int = Field(20, ge=2)


class _SpecIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    description: str = ""
    scenario: str | None = None
    patterns: str = "default"
    fit: list[str] = Field(min_length=1)
    overrides: dict[str, Any] = {}
    priors: dict[str, _PriorIn] = Field(min_length=1)
    abc: _AbcIn = _AbcIn()
    truth: dict[str, float] = {}


@dataclass(frozen=True)
class Target:
    """A fitted pattern: its statistic, the value aimed at and the tolerance that scales it."""

    pattern: Pattern
    value: float
    scale: float


@dataclass(frozen=True)
class CalibrationSpec:
    """A validated calibration."""

    path: Path | None
    name: str
    description: str
    base_params: Mapping[str, Any]
    priors: Mapping[str, tuple[float, float]]
    targets: tuple[Target, ...]
    abc: _AbcIn
    truth: Mapping[str, float]
    raw: Mapping[str, Any]

    @property
    def source(self) -> str:
        return str(self.path) if self.path else "<spec>"

    def spec_hash(self) -> str:
        text = json.dumps(
            {"spec": self.raw, "base": dict(self.base_params)}, sort_keys=True, default=str
        )
        return hashlib.sha256(text.encode()).hexdigest()


def _target(p: Pattern, source: str) -> Target:
    if p.kind not in ("level", "gap") or p.variant != "base":
        raise UserError(
            f"pattern {p.name!r} is a {p.kind} over variants; only level and gap patterns of "
            "the base scenario can be fitted",
            source=source,
            key="fit",
        )
    lo, hi = p.low, p.high
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise UserError(
            f"pattern {p.name!r} has an open range; a fitted pattern needs low and high",
            source=source,
            key="fit",
        )
    value = p.target if math.isfinite(p.target) else (lo + hi) / 2
    return Target(p, value, (hi - lo) / 2)


def load_calibration(spec: str | Path | Mapping[str, Any]) -> CalibrationSpec:
    """Load and validate a calibration spec (a file, or a mapping relative to the cwd)."""
    if isinstance(spec, Mapping):
        raw, path, folder = dict(spec), None, Path.cwd()
    else:
        path = Path(spec)
        raw, folder = read_toml(path), path.resolve().parent
    source = str(path) if path else "<spec>"
    try:
        s = _SpecIn.model_validate(raw)
    except ValidationError as exc:
        raise pydantic_error(exc, source) from None
    base: dict[str, Any] = {}
    if s.scenario is not None:
        scen = folder / s.scenario
        if not scen.is_file():
            raise UserError(
                f"scenario file {s.scenario!r} not found", source=source, key="scenario"
            )
        base = dict(load_scenario(scen).overrides)
    base.update(s.overrides)
    base = dict(validate_params(base, source=f"{source}: overrides"))
    priors = {}
    for name, pr in s.priors.items():
        key = f"priors.{name}"
        if name not in PARAMS:
            raise UserError(
                f"unknown parameter{did_you_mean(name, PARAMS)}", source=source, key=key
            )
        if PARAMS[name].kind != "real":
            raise UserError("only real parameters can be fitted", source=source, key=key)
        if not pr.low < pr.high:
            raise UserError("low must be below high", source=source, key=key)
        for v in (pr.low, pr.high):  # the prior's support must be valid parameter values
            validate_params({name: v}, source=f"{source}: {key}", base=base)
        priors[name] = (pr.low, pr.high)
    for name in s.truth:
        if name not in priors:
            raise UserError("truth names a parameter without a prior", source=source, key=name)
    file = None if s.patterns == "default" else folder / s.patterns
    pset = load_patterns(file).select(list(s.fit))
    targets = tuple(_target(p, source) for p in pset.patterns)
    return CalibrationSpec(
        path, s.name, s.description, base, priors, targets, s.abc, dict(s.truth), raw
    )
