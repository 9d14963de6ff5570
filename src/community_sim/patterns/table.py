"""Patterns as data: the table shipped in ``patterns.toml``, or a user's own targets file.

A file holds ``[variant.NAME]`` tables (how a scenario is varied) and
``[[pattern]]`` entries (what is measured in which variant, its target and
source); :func:`load_patterns` validates it once into frozen objects, with
errors that name the file and the key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from community_sim.errors import UserError, did_you_mean
from community_sim.params.scenarios import pydantic_error, read_toml

Kind = Literal["level", "gap", "difference", "relative", "marginal", "report"]
KINDS: tuple[str, ...] = ("level", "gap", "difference", "relative", "marginal", "report")
PAIRED_KINDS = ("difference", "relative", "marginal")
DEFAULT_FILE = Path(__file__).with_name("patterns.toml")


class _VariantIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    scenario: str | None = None
    policy: str | None = None
    set: dict[str, Any] = {}
    shift: dict[str, float] = {}


class _PatternIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    statistic: str
    kind: Kind = "level"
    label: str = ""
    variant: str = "base"
    reference: str | None = None
    other: str | None = None
    target: float | None = None
    low: float | None = None
    high: float | None = None
    odd: str = ""
    source: str


class _FileIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    variant: dict[str, _VariantIn] = {}
    pattern: list[_PatternIn]


@dataclass(frozen=True)
class Variant:
    """A scenario variant: another scenario file (beside the given one), values set or shifted."""

    name: str
    scenario: str | None
    policy: str | None
    set: Mapping[str, Any]
    shift: Mapping[str, float]


@dataclass(frozen=True)
class Pattern:
    """One empirical pattern: how its statistic is formed, its target and acceptance range."""

    name: str
    statistic: str
    kind: str
    label: str
    variant: str
    reference: str | None
    other: str | None
    target: float
    low: float
    high: float
    odd: str
    source: str

    @property
    def scored(self) -> bool:
        return self.kind != "report"

    def target_text(self) -> str:
        """The target as a reader sees it: value and range, or a sign."""
        if not self.scored:
            return "(reported)"
        lo, hi = self.low, self.high
        if math.isinf(lo) and hi == 0.0:
            return "< 0"
        if math.isinf(hi) and lo == 0.0:
            return "> 0"
        rng = f"[{lo:.3g}, {hi:.3g}]"
        return rng if math.isnan(self.target) else f"{self.target:.3g} {rng}"


@dataclass(frozen=True)
class PatternSet:
    """A validated patterns file."""

    path: Path
    variants: Mapping[str, Variant]
    patterns: tuple[Pattern, ...]

    def variants_used(self) -> list[str]:
        """Variants some pattern reads, in file order."""
        used = {p.variant for p in self.patterns} | {
            p.reference for p in self.patterns if p.reference
        }
        return [v for v in self.variants if v in used]

    def select(self, names: list[str]) -> PatternSet:
        """Only the named patterns (names checked)."""
        known = {p.name: p for p in self.patterns}
        for n in names:
            if n not in known:
                raise UserError(
                    f"unknown pattern {n!r}{did_you_mean(n, known)}", source=str(self.path)
                )
        return PatternSet(self.path, self.variants, tuple(known[n] for n in names))


def load_patterns(path: str | Path | None = None) -> PatternSet:
    """Read and validate a patterns file (default: the table shipped with the package)."""
    file = Path(path) if path is not None else DEFAULT_FILE
    source = str(file)
    raw = read_toml(file)
    try:
        parsed = _FileIn.model_validate(raw)
    except ValidationError as exc:
        raise pydantic_error(exc, source) from None
    variants = {
        k: Variant(k, v.scenario, v.policy, dict(v.set), dict(v.shift))
        for k, v in parsed.variant.items()
    }
    variants.setdefault("base", Variant("base", None, None, {}, {}))
    seen: set[str] = set()
    out = []
    for i, p in enumerate(parsed.pattern):
        key = f"pattern[{i}]"
        if p.name in seen:
            raise UserError(f"pattern {p.name!r} appears twice", source=source, key=key)
        seen.add(p.name)
        for field_name in ("variant", "reference"):
            v = getattr(p, field_name)
            if v is not None and v not in variants:
                raise UserError(
                    f"unknown variant {v!r}{did_you_mean(v, variants)}; define [variant.{v}]",
                    source=source,
                    key=f"{key}.{field_name}",
                )
        if p.kind in PAIRED_KINDS and p.reference is None:
            raise UserError(f"kind {p.kind!r} needs a reference variant", source=source, key=key)
        if p.kind in ("gap", "marginal") and p.other is None:
            raise UserError(f"kind {p.kind!r} needs 'other'", source=source, key=key)
        if p.kind != "report" and p.low is None and p.high is None:
            raise UserError("give low, high or both (the acceptance range)", source=source, key=key)
        low = -math.inf if p.low is None else p.low
        high = math.inf if p.high is None else p.high
        if low > high:
            raise UserError(f"low {low} > high {high}", source=source, key=key)
        target = math.nan if p.target is None else p.target
        out.append(
            Pattern(
                p.name, p.statistic, p.kind, p.label or p.name, p.variant, p.reference,
                p.other, target, low, high, p.odd, p.source,
            )
        )  # fmt: skip
    if not out:
        raise UserError("holds no [[pattern]]", source=source, key="pattern")
    return PatternSet(file, variants, tuple(out))
