"""Read what an experiment folder holds, and say plainly what is missing.

Runs, series, design and manifest come through
:func:`community_sim.experiment.load_results`; the analysis tables are read
from ``DIR/analysis/`` (written first by ``analyze``'s own code where it has
not run) and their columns checked against the contract in
docs/architecture.md. Every problem a user can fix raises
:class:`~community_sim.errors.UserError` naming the file and the remedy.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from community_sim.errors import UserError
from community_sim.params import PARAMS

log = logging.getLogger(__name__)

ANALYSIS_COLUMNS: dict[str, tuple[str, ...]] = {
    "indices": ("method", "output", "target", "parameter", "S1", "S1_conf", "ST", "ST_conf"),
    "morris": ("output", "target", "parameter", "mu", "mu_star", "sigma", "mu_star_conf"),
    "convergence": (
        "method", "output", "target", "parameter", "index", "n", "value", "conf_low", "conf_high",
    ),
    "noise": ("output", "replicates", "noise_share", "total_var", "within_var"),
    "comparison": ("output", "policy", "scenario", "n", "mean", "ci_low", "ci_high"),
    "paired": ("output", "contrast", "scenario", "n", "mean_diff", "ci_low", "ci_high"),
}  # fmt: skip
"""Columns each analysis table must have for the figures to use it."""

RUN_META = ("run_id", "point", "replicate", "policy", "seed", "status", "error", "duration_s")


@dataclass
class Stored:
    """An experiment folder's results as the figures need them."""

    path: Path
    manifest: dict[str, Any]
    runs: pd.DataFrame  # successful runs only
    series: pd.DataFrame | None
    design: pd.DataFrame | None
    analysis: dict[str, pd.DataFrame] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # output → panel title (--labels)
    only: list[str] | None = None  # the outputs to draw (--outputs); None: all

    def title(self, output: str) -> str:
        """The panel title of ``output``: the user's label, else the registry's."""
        from community_sim.figures.labels import pretty

        return pretty(output, labels=self.labels)

    def undefined_when(self, output: str) -> str:
        """When ``output`` is undefined: from the manifest, else the outcome registry."""
        from community_sim.figures.labels import base_name
        from community_sim.metrics import OUTCOMES

        key = base_name(output)
        stored = self.manifest.get("undefined_when")
        if isinstance(stored, Mapping) and stored.get(key):
            return str(stored[key])
        if key in OUTCOMES and OUTCOMES[key].undefined:
            return OUTCOMES[key].undefined
        return "no run has a defined value"

    @property
    def name(self) -> str:
        spec = self.manifest.get("spec")
        spec_name = spec.get("name") if isinstance(spec, Mapping) else None
        return str(self.manifest.get("name") or spec_name or self.path.name)

    @property
    def spec_hash(self) -> str:
        return str(self.manifest.get("spec_hash") or self.manifest.get("hash") or "")

    @property
    def design_kind(self) -> str:
        design = self.manifest.get("design")
        kind = design.get("kind") if isinstance(design, Mapping) else None
        return str(kind or "")

    @property
    def policies(self) -> list[str]:
        return sorted(self.runs["policy"].astype(str).unique()) if "policy" in self.runs else []

    @property
    def varied(self) -> list[str]:
        """Parameters the design varies (columns of design.parquet besides ``point``)."""
        if self.design is None:
            return []
        return [c for c in self.design.columns if c not in ("point", "scenario", "policy")]

    def outcomes(self) -> list[str]:
        """Scalar outcome columns: the spec's outputs if stored, else every numeric non-input."""
        declared = _declared_outputs(self.manifest)
        if declared:
            found = [o for o in declared if o in self.runs.columns]
        else:
            skip = set(RUN_META) | set(PARAMS) | set(self.varied)
            found = [
                c
                for c in self.runs.columns
                if c not in skip and pd.api.types.is_numeric_dtype(self.runs[c])
            ]
        return found if self.only is None else [o for o in self.only if o in found]

    def metadata(self) -> dict[str, str]:
        return {"experiment": self.name, "spec_hash": self.spec_hash}


def _declared_outputs(manifest: Mapping[str, Any]) -> list[str]:
    """The scalar outcomes the run stored: the manifest's ``outcomes`` or the spec's outputs."""
    stored = manifest.get("outcomes")
    if isinstance(stored, list | tuple) and stored:
        return [str(s) for s in stored]
    spec = manifest.get("spec")
    outputs = spec.get("outputs") if isinstance(spec, Mapping) else None
    if isinstance(outputs, Mapping):
        scalars = outputs.get("scalars") or outputs.get("scalar") or outputs.get("names")
        if isinstance(scalars, list | tuple):
            return [str(s) for s in scalars]
    if isinstance(outputs, list | tuple):
        return [str(s) for s in outputs]
    return []


def read_analysis(folder: Path) -> dict[str, pd.DataFrame]:
    """The analysis tables present in ``folder`` (``DIR/analysis``), columns checked."""
    tables: dict[str, pd.DataFrame] = {}
    for name, cols in ANALYSIS_COLUMNS.items():
        path = folder / f"{name}.parquet"
        if not path.exists():
            continue
        try:
            df = pd.read_parquet(path)
        except Exception as exc:  # a corrupt table is the user's to regenerate
            raise UserError(
                f"cannot read ({type(exc).__name__}); re-run `community-sim analyze`",
                source=str(path),
            ) from None
        missing = [c for c in cols if c not in df.columns]
        if missing:
            raise UserError(
                f"missing column(s) {', '.join(missing)}; the figures need "
                f"{', '.join(cols)} — re-run `community-sim analyze` to rewrite it",
                source=str(path),
            )
        tables[name] = df
    return tables


def analyzed(path: Path) -> dict[str, pd.DataFrame]:
    """The analysis tables of the folder ``path``; where ``analyze`` has not run, run it now.

    The tables come from ``community-sim analyze``'s own code, stored in
    ``DIR/analysis/`` so the next call reads them; a sensitivity analysis that
    needs the user's choice (undefined outcomes, failed runs) is left to
    ``analyze`` and said in a warning.
    """
    folder = path / "analysis"
    if not (folder / "report.txt").is_file():
        from community_sim.analysis.api import analyze_default

        summary, skipped = analyze_default(path)
        if summary is not None:
            log.info("analysis written to %s (none was stored)", summary.directory)
        if skipped is not None:
            log.warning("%s", skipped)
    return read_analysis(folder)


def load_stored(directory: str | Path) -> Stored:
    """Load the experiment folder ``directory`` or raise UserError saying what is missing."""
    path = Path(directory)
    if not path.is_dir():
        raise UserError("no such experiment folder", source=str(path))
    runs_file = path / "runs.parquet"
    if not runs_file.exists():
        raise UserError(
            "no stored results (runs.parquet is missing); run `community-sim run SPEC.toml "
            f"--out {path}` first",
            source=str(path),
        )
    from community_sim.experiment import load_results  # heavy: only when figures are made

    res = load_results(path)
    runs = res.runs
    if "status" in runs.columns:
        runs = runs[runs["status"] == "ok"]
    if runs.empty:
        raise UserError(
            "no successful runs to plot; see `community-sim status`", source=str(runs_file)
        )
    if "policy" not in runs.columns:
        runs = runs.assign(policy="model")
    design = res.design if len(res.design.columns) else None
    if design is not None and "scenario" in design.columns and "scenario" not in runs.columns:
        # Named scenarios live in the design; each run carries its point.
        runs = runs.merge(design[["point", "scenario"]], on="point", how="left", validate="m:1")
    series = getattr(res, "series", None)
    if series is not None and not len(series):
        series = None
    if series is not None:
        series = series[series["run_id"].isin(runs["run_id"])]
    manifest = res.manifest if isinstance(res.manifest, Mapping) else json.loads(str(res.manifest))
    stored = Stored(
        path=path,
        manifest=dict(manifest),
        runs=runs.reset_index(drop=True),
        series=series,
        design=design,
        analysis=analyzed(path),
    )
    return stored
