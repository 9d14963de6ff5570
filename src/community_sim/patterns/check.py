"""Run a scenario's pattern variants through the engine and score each pattern.

Every variant is one experiment (one point, ``seeds`` replicates, the same
master seed), so replicate ``r`` of every variant runs on the same seed and
contrasts between variants are paired. Results are stored, and resumed, like
any experiment's, under ``OUT/<variant>/``. A pattern's value is formed per
replicate; non-finite values count as "not observed" and are left out of the
mean, whose 95 % CI is Student's t. A pattern passes when its mean lies in
its acceptance range; the status says so when its CI reaches outside.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from community_sim.analysis.tables import booktabs, latex_escape, write_table
from community_sim.errors import UserError
from community_sim.params import validate_params
from community_sim.params.scenarios import load_scenario
from community_sim.patterns.table import Pattern, PatternSet, Variant

log = logging.getLogger(__name__)

MODEL_TARGET = "community_sim.patterns.observe:observed_run"
"""The experiment model that adds the pattern statistics to the outcomes."""


@dataclass(frozen=True)
class PatternReport:
    """A scored pattern table and where it was written."""

    table: pd.DataFrame
    out: Path

    @property
    def misses(self) -> list[str]:
        return self.table.loc[self.table["status"].str.startswith("miss"), "pattern"].tolist()


def variant_overrides(variant: Variant, scenario: Path, source: str) -> tuple[Path, dict[str, Any]]:
    """The scenario file a variant starts from and its validated overrides."""
    file = scenario if variant.scenario is None else scenario.parent / variant.scenario
    if not file.is_file():
        raise UserError(
            f"scenario {variant.scenario!r} of variant {variant.name!r} not found beside "
            f"{scenario}; put it there or leave out the patterns that use it (--only)",
            source=source,
            key=f"variant.{variant.name}.scenario",
        )
    base = load_scenario(file).params
    over: dict[str, Any] = dict(variant.set)
    for k, dv in variant.shift.items():
        if k not in base:
            raise UserError(
                f"unknown parameter {k!r}", source=source, key=f"variant.{variant.name}"
            )
        over[k] = base[k] + dv
    if variant.policy is not None:
        over["policy"] = variant.policy
    validate_params(over, source=f"{source}: variant.{variant.name}", base=base)
    return file, over


def variant_spec(
    name: str, file: Path, over: Mapping[str, Any], seeds: int, seed: int
) -> dict[str, Any]:
    """The experiment spec (as a mapping) that runs one variant."""
    return {
        "name": f"patterns-{name}",
        "description": f"pattern variant {name} of {file.name}",
        "model": MODEL_TARGET,
        "scenario": str(file.resolve()),
        "overrides": dict(over),
        "replicates": seeds,
        "seed": seed,
        "design": {"kind": "scenarios", "scenarios": {name: {}}},
    }


def run_variants(
    pset: PatternSet,
    scenario: str | Path,
    out: str | Path,
    *,
    seeds: int = 10,
    seed: int = 0,
    workers: int | None = None,
    force: bool = False,
) -> dict[str, pd.DataFrame]:
    """Run (or resume) every variant the patterns read; returns each one's ok runs."""
    from community_sim.experiment import load_results, load_spec, run_experiment

    if seeds < 2:
        raise UserError("at least 2 seeds are needed for a confidence interval", source="--seeds")
    scen = Path(scenario)
    load_scenario(scen)  # one-line error for a bad scenario before anything runs
    names = pset.variants_used()
    specs = {}
    for name in names:  # validate every variant before running any
        file, over = variant_overrides(pset.variants[name], scen, str(pset.path))
        specs[name] = load_spec(variant_spec(name, file, over, seeds, seed))
    frames = {}
    for name, spec in specs.items():
        where = Path(out) / name
        summary = run_experiment(spec, where, workers=workers, force=force)
        log.info("variant %s: %s in %.1f s", name, summary.counts, summary.elapsed_s)
        runs = load_results(where).ok
        frames[name] = runs.set_index("replicate").sort_index()
    return frames


def pattern_values(p: Pattern, frames: Mapping[str, pd.DataFrame]) -> np.ndarray:
    """The pattern's value per replicate (NaN where not observed)."""
    a = frames[p.variant]
    if p.kind in ("level", "report"):
        v = a[p.statistic]
    elif p.kind == "gap":
        v = a[p.statistic] - a[p.other]
    else:
        b = frames[str(p.reference)]
        a, b = a.align(b, join="inner", axis=0)
        if p.kind == "difference":
            v = a[p.statistic] - b[p.statistic]
        elif p.kind == "relative":
            v = a[p.statistic] / b[p.statistic] - 1.0
        else:  # marginal
            v = (a[p.statistic] - b[p.statistic]) / (a[p.other] - b[p.other])
    return np.asarray(v, dtype=float)


def mean_ci(values: np.ndarray, level: float = 0.95) -> tuple[float, float, int]:
    """Mean, t-interval half-width and count of the finite values."""
    x = values[np.isfinite(values)]
    n = int(x.size)
    if n == 0:
        return math.nan, math.nan, 0
    if n == 1:
        return float(x[0]), math.nan, 1
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * x.std(ddof=1) / math.sqrt(n))
    return float(x.mean()), half, n


def score(pset: PatternSet, frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per pattern: target, the model's mean and 95 % CI, pass/miss, source."""
    rows = []
    for p in pset.patterns:
        values = pattern_values(p, frames)
        mean, half, n = mean_ci(values)
        if not p.scored:
            status = "reported"
        elif n == 0:
            status = "miss (not observed)"
        else:
            status = "pass" if p.low <= mean <= p.high else "miss"
            if status == "pass" and not (p.low <= mean - half and mean + half <= p.high):
                status = "pass (CI crosses the range)"  # honest: the mean is in, the CI not all
        rows.append(
            {
                "pattern": p.name,
                "label": p.label,
                "statistic": p.statistic,
                "kind": p.kind,
                "variant": p.variant if p.reference is None else f"{p.variant} vs {p.reference}",
                "target": p.target_text(),
                "low": p.low,
                "high": p.high,
                "mean": mean,
                "ci_low": mean - half,
                "ci_high": mean + half,
                "n": n,
                "n_not_observed": int(values.size - n),
                "status": status,
                "odd": p.odd,
                "source": p.source,
            }
        )
    return pd.DataFrame(rows)


def patterns_latex(table: pd.DataFrame, scenario: str) -> str:
    rows = [
        [
            latex_escape(r.label),
            latex_escape(r.target),
            "--" if not math.isfinite(r.mean) else f"${r.mean:.3g}$",
            "--" if not math.isfinite(r.ci_low) else f"[{r.ci_low:.3g}, {r.ci_high:.3g}]",
            latex_escape(r.status),
        ]
        for r in table.itertuples()
    ]
    return booktabs(
        ["pattern", "target", "model mean", "95\\% CI", "result"],
        rows,
        align="lllll",
        caption=f"Empirical patterns and the model ({scenario}); sources in patterns.csv",
        label="tab:patterns",
    )


def check_patterns(
    pset: PatternSet,
    scenario: str | Path,
    out: str | Path,
    *,
    seeds: int = 10,
    seed: int = 0,
    workers: int | None = None,
    force: bool = False,
) -> PatternReport:
    """Run the variants, score every pattern, write ``patterns.{csv,parquet,tex}`` in ``out``."""
    frames = run_variants(pset, scenario, out, seeds=seeds, seed=seed, workers=workers, force=force)
    table = score(pset, frames)
    write_table(table, Path(out), "patterns", patterns_latex(table, Path(scenario).name))
    return PatternReport(table, Path(out))
