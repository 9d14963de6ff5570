"""The ``[optimize]`` table of a spec, checked against the model and typed for the search.

:func:`settings_of` turns the validated table (:class:`~community_sim.experiment.spec.OptimizeIn`)
into :class:`Settings`: the levers and uncertainties as factors, each objective
with its sense and robustness metric, the constraints, and the search's size.
Every error is one line naming the spec file and the key.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from community_sim.analysis.outputs import base_outcome, contrast_name, contrasts
from community_sim.analysis.robustness import (
    Condition,
    Metric,
    Sense,
    parse_condition,
    parse_metric,
)
from community_sim.errors import UserError, did_you_mean
from community_sim.experiment.factors import Factor
from community_sim.experiment.spec import ExperimentSpec, OptimizeIn

DEFAULT_POPULATION = 100
"""Candidates per generation unless ``population`` is given (NSGA-III: its reference directions)."""


@dataclass(frozen=True)
class Objective:
    """One objective: an output, the direction that is better, and how scenarios are pooled."""

    name: str
    sense: Sense
    metric: Metric

    @property
    def better(self) -> Sense:
        """Which way the robust score is better (regret: lower, satisficing: higher)."""
        return self.metric.better(self.sense)


@dataclass(frozen=True)
class Settings:
    """A policy-design search, ready to run."""

    levers: tuple[Factor, ...]
    uncertainties: tuple[Factor, ...]
    objectives: tuple[Objective, ...]
    constraints: tuple[Condition, ...]
    scenarios: int
    replicates: int
    algorithm: str
    population: int
    evaluations: int
    reference: tuple[float, ...] | None  # hypervolume reference, objective by objective

    @property
    def generations(self) -> int:
        """Generations the budget allows: each evaluates one population of candidates."""
        return max(1, self.evaluations // self.population)

    @property
    def outputs(self) -> tuple[str, ...]:
        """Every output the search reads: objectives, satisficing conditions, constraints."""
        names = [o.name for o in self.objectives]
        names += [o.metric.condition.output for o in self.objectives if o.metric.condition]
        names += [c.output for c in self.constraints]
        return tuple(dict.fromkeys(names))


def settings_of(spec: ExperimentSpec) -> Settings:
    """The typed search of an optimisation spec; UserError naming the file and key if wrong."""
    opt = spec.optimize
    if opt is None:
        raise UserError("missing the [optimize] table", source=spec.source, key="optimize")
    source = spec.source
    n_levers = len(opt.levers)
    factors = spec.design.factors
    levers, uncertainties = factors[:n_levers], factors[n_levers:]
    objectives = tuple(
        Objective(name, sense, _metric(opt, name, source)) for name, sense in opt.objectives.items()
    )
    constraints = tuple(
        parse_condition(text, source=source, key=f"optimize.constraints.{i}")
        for i, text in enumerate(opt.constraints)
    )
    if not uncertainties and opt.scenarios > 1:
        raise UserError(
            "several scenarios need [optimize.uncertainties] to draw them from; "
            "add uncertainties or remove scenarios",
            source=source,
            key="optimize.scenarios",
        )
    population = opt.population or DEFAULT_POPULATION
    if population > opt.evaluations:
        raise UserError(
            f"a budget of {opt.evaluations} evaluations is below one generation of "
            f"{population} candidates; raise evaluations or lower population",
            source=source,
            key="optimize.evaluations",
        )
    settings = Settings(
        levers=levers,
        uncertainties=uncertainties,
        objectives=objectives,
        constraints=constraints,
        scenarios=opt.scenarios,
        replicates=opt.replicates,
        algorithm=opt.algorithm,
        population=population,
        evaluations=opt.evaluations,
        reference=_reference(opt, source),
    )
    known = known_outputs(spec)
    if known is not None:
        check_outputs(settings, known, source)
    return settings


def _metric(opt: OptimizeIn, objective: str, source: str) -> Metric:
    if isinstance(opt.robustness, str):
        return parse_metric(opt.robustness, source=source, key="optimize.robustness")
    for name in opt.robustness:
        if name not in opt.objectives:
            raise UserError(
                f"{name!r} is not an objective{did_you_mean(name, opt.objectives)}",
                source=source,
                key=f"optimize.robustness.{name}",
            )
    text = opt.robustness.get(objective, "mean")
    return parse_metric(text, source=source, key=f"optimize.robustness.{objective}")


def _reference(opt: OptimizeIn, source: str) -> tuple[float, ...] | None:
    if opt.reference is None:
        return None
    if set(opt.reference) != set(opt.objectives):
        missing = sorted(set(opt.objectives) - set(opt.reference))
        extra = sorted(set(opt.reference) - set(opt.objectives))
        what = f"missing {missing[0]!r}" if missing else f"{extra[0]!r} is not an objective"
        raise UserError(
            f"give one value per objective ({what})", source=source, key="optimize.reference"
        )
    values = tuple(float(opt.reference[name]) for name in opt.objectives)
    if not all(math.isfinite(v) for v in values):
        raise UserError("values must be finite", source=source, key="optimize.reference")
    return values


def known_outputs(spec: ExperimentSpec) -> set[str] | None:
    """The output names the model is known to produce, or None when only a run can tell."""
    ref = spec.model
    scalars: list[str] | None = list(ref.scalars) if ref.scalars is not None else None
    if scalars is None and ref.kind == "community":
        from community_sim.metrics import OUTCOMES

        scalars = list(OUTCOMES)
    if scalars is None:
        return None
    scalars += [name for name, _ in ref.derived]
    names = set(scalars)
    if len(spec.compare) >= 2:
        pairs = contrasts(spec.compare)
        for x in scalars:
            names |= {f"{x}@{p}" for p in spec.compare}
            names |= {contrast_name(x, p, b, len(pairs)) for p, b in pairs}
    return names


def check_outputs(settings: Settings, known: set[str], source: str) -> None:
    """Refuse an objective, condition or constraint naming an output the model lacks."""
    keys: dict[str, str] = {}
    for o in settings.objectives:
        keys.setdefault(o.name, f"optimize.objectives.{o.name}")
    for o in settings.objectives:
        if o.metric.condition is not None:
            keys.setdefault(o.metric.condition.output, "optimize.robustness")
    for name in settings.outputs:
        if name not in known:
            base = base_outcome(name)
            hint = did_you_mean(name, known)
            if base in known and name != base:
                hint = " (a paired or per-policy output needs compare = [baseline, policy, ...])"
            raise UserError(
                f"unknown output {name!r}{hint}",
                source=source,
                key=keys.get(name, "optimize.constraints"),
            )
