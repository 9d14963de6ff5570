"""Data out: an experiment's stored tables as CSV or Parquet for R, Stata or a spreadsheet.

:func:`export_experiment` writes, into ``DIR/export/`` by default:

- ``runs``: one row per run, the design's varied columns right after the run's
  identifiers and every column once (the design's columns are parameters the
  runs table already holds; only those it lacks, such as ``scenario``, are
  joined in);
- ``series``: the long monthly series with the run's point, replicate, policy
  and design columns;
- ``paired_runs`` (with ``compare``): the paired differences with the design
  columns;
- ``columns.csv``: the data dictionary (table, name, unit, description, when
  undefined), from the parameter and outcome registries;
- ``export.json``: where the tables came from, with ISO 8601 dates.

Conventions that R's ``read.csv`` and ``arrow::read_parquet`` read without
options: no index column, a header row, ``NA`` for a missing value,
``TRUE``/``FALSE`` for booleans, UTF-8, syntactic column names.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from community_sim.errors import UserError, did_you_mean
from community_sim.experiment.completeness import Completeness, completeness
from community_sim.experiment.results import Results, load_results
from community_sim.metrics import OUTCOMES, SERIES
from community_sim.params import PARAMS

FORMATS = ("csv", "parquet")
WHAT = ("runs", "series", "paired")
IDS = ["run_id", "point", "replicate", "policy", "seed"]

# Columns of the store that are neither parameters nor outputs: (unit, description, undefined).
FIXED: dict[str, tuple[str, str, str]] = {
    "run_id": ("", "run identifier, unique in the experiment", ""),
    "point": ("", "design point: the row of design.parquet the run belongs to", ""),
    "replicate": ("", "replicate at its design point, from 0", ""),
    "policy": ("", "cooperation policy of the run (project, integrated, transition)", ""),
    "seed": (
        "",
        "the run's seed, spawned from the master seed by (point, replicate); up to 63 bits: "
        "arrow reads it as integer64, read.csv as a double that may lose its last digits",
        "",
    ),
    "scenario": ("", "named scenario of the design point", ""),
    "status": ("", "ok, or failed (the run raised; its outcomes are NA)", ""),
    "error": ("", "traceback of a failed run", "the run finished (status ok)"),
    "duration_s": ("s", "wall time of the run", ""),
    "step": ("months", "month of the run, from 1 (step 1 is a September)", ""),
    "name": ("", "name of the series (rows with table series.name below)", ""),
    "value": ("", "value of the series at the step, in the series' unit", "see the series"),
    "baseline": ("", "policy the difference is taken against (the first of compare)", ""),
}


@dataclass(frozen=True)
class ExportSummary:
    """What :func:`export_experiment` wrote: the folder, each file's rows, completeness."""

    out: Path
    rows: dict[str, int]
    complete: bool
    counts: dict[str, int]
    status: Completeness


def parse_what(text: str | Sequence[str]) -> list[str]:
    """``"runs,series"`` → ``["runs", "series"]``; unknown names raise UserError."""
    items = text.split(",") if isinstance(text, str) else list(text)
    names = [w.strip() for w in items if w.strip()]
    for name in names:
        if name not in WHAT:
            raise UserError(
                f"unknown table '{name}'{did_you_mean(name, WHAT)}; use any of {','.join(WHAT)}",
                source="--what",
            )
    if not names:
        raise UserError(f"names no table; use any of {','.join(WHAT)}", source="--what")
    return list(dict.fromkeys(names))


def design_columns(res: Results) -> list[str]:
    """The design's columns other than ``point``: what the experiment varied."""
    return [c for c in res.design.columns if c != "point"]


def runs_table(res: Results) -> pd.DataFrame:
    """Runs with the design's columns once, right after the identifiers."""
    runs = res.runs
    varied = design_columns(res)
    missing = [c for c in varied if c not in runs.columns]
    if missing:  # e.g. a named scenario: not a parameter, so not in the runs table
        runs = runs.merge(res.design[["point", *missing]], on="point", how="left")
    ids = [c for c in IDS if c in runs.columns]
    rest = [c for c in runs.columns if c not in ids and c not in varied]
    return runs[ids + varied + rest].reset_index(drop=True)


def series_table(res: Results, runs: pd.DataFrame) -> pd.DataFrame:
    """The long series with each run's point, replicate, policy and design columns."""
    keys = ["run_id", "point", "replicate", "policy", *design_columns(res)]
    keys = [c for c in keys if c in runs.columns]
    series = res.series.merge(runs[keys], on="run_id", how="left", validate="many_to_one")
    return series[[*keys, "step", "name", "value"]].reset_index(drop=True)


def paired_table(res: Results) -> pd.DataFrame:
    """The paired differences with the design's columns after point and replicate."""
    paired = res.paired
    if paired is None:
        raise UserError(
            "holds no paired runs (its spec has no compare); export --what runs,series",
            source=str(res.out),
        )
    varied = [c for c in design_columns(res) if c not in paired.columns]
    out = paired.merge(res.design[["point", *varied]], on="point", how="left")
    head = ["point", "replicate", "policy", "baseline"]
    return out[head + varied + [c for c in paired.columns if c not in head]]


def _undefined_when(res: Results, name: str) -> str:
    stored = res.manifest.get("undefined_when") or {}
    if name in stored:
        return stored[name]
    return OUTCOMES[name].undefined if name in OUTCOMES else ""


def dictionary(res: Results, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per (table, column), and one per series name under ``series.name``."""
    rows = []
    for table, frame in tables.items():
        for col in frame.columns:
            if col in FIXED:
                unit, doc, undef = FIXED[col]
            elif col in PARAMS:
                p = PARAMS[col]
                unit, doc, undef = p.unit, f"parameter: {p.doc}", ""
            else:
                o = OUTCOMES.get(col)
                unit, doc = (o.unit, o.doc) if o else ("", "output of the model")
                undef = " or ".join(u for u in (_undefined_when(res, col), "the run failed") if u)
                if table == "paired_runs":
                    doc = f"difference policy − baseline at the same (point, replicate): {doc}"
                    undef = f"either run's value is undefined ({undef})"
            rows.append((table, col, unit, doc, undef))
    if "series" in tables:
        for name in sorted(tables["series"]["name"].dropna().unique()):
            s = SERIES.get(name)
            unit, doc, undef = (
                (s.unit, s.doc, s.undefined) if s else ("", "series of the model", "")
            )
            rows.append(("series.name", name, unit, doc, undef))
    cols = ["table", "name", "unit", "description", "undefined_when"]
    return pd.DataFrame(rows, columns=cols)


def _write(frame: pd.DataFrame, path: Path, fmt: str) -> None:
    """Write atomically (a temporary file renamed): an interrupted export leaves no half file."""
    tmp = path.with_name(f".{path.name}.tmp")
    if fmt == "csv":
        out = frame.copy()
        for col in out.columns:
            if out[col].dtype == bool:  # R reads TRUE/FALSE as logical
                out[col] = out[col].map({True: "TRUE", False: "FALSE"})
        out.to_csv(tmp, index=False, na_rep="NA", encoding="utf-8", lineterminator="\n")
    else:
        frame.to_parquet(tmp, index=False)
    os.replace(tmp, path)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def export_experiment(
    directory: str | Path,
    fmt: str = "csv",
    what: str | Sequence[str] | None = None,
    out: str | Path | None = None,
) -> ExportSummary:
    """Export an experiment's stored tables (see the module docstring).

    ``what=None`` exports every table stored: runs, series, and the paired
    differences when the spec had ``compare``.
    """
    if fmt not in FORMATS:
        raise UserError(f"unknown format '{fmt}'; use csv or parquet", source="--format")
    names = parse_what(what) if what is not None else None
    res = load_results(directory)
    if names is None:
        names = ["runs", "series"] + (["paired"] if res.paired is not None else [])
    runs = runs_table(res)
    tables: dict[str, pd.DataFrame] = {}
    if "runs" in names:
        tables["runs"] = runs
    if "series" in names:
        tables["series"] = series_table(res, runs)
    if "paired" in names:
        tables["paired_runs"] = paired_table(res)
    folder = Path(out) if out is not None else Path(directory) / "export"
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        _write(frame, folder / f"{name}.{fmt}", fmt)
    _write(dictionary(res, tables), folder / "columns.csv", "csv")
    # the one completeness rule of analyze, figures and discover (experiment.completeness)
    done = completeness(directory, dict(res.manifest), res.runs)
    n_runs, complete = done.total or len(res.runs), done.complete
    counts = {"ok": done.ok, "failed": done.failed, "missing": done.missing}
    record: dict[str, Any] = {
        "experiment": res.manifest.get("name"),
        "source": str(Path(directory).resolve()),
        "spec_hash": res.manifest.get("spec_hash"),
        "git_commit": res.manifest.get("git_commit"),
        "started": res.manifest.get("started"),
        "finished": res.manifest.get("finished"),
        "exported": _now(),
        "complete": complete,
        "counts": counts,
        "n_runs": n_runs,
        "format": fmt,
        "files": {f"{k}.{fmt}": len(v) for k, v in tables.items()} | {"columns.csv": None},
    }
    tmp = folder / ".export.json.tmp"
    tmp.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, folder / "export.json")
    return ExportSummary(folder, {k: len(v) for k, v in tables.items()}, complete, counts, done)
