"""``discover_experiment(DIR, target)``: read a store, find boxes, write ``DIR/discovery/NAME/``.

Everything is computed before anything is written; the results go to a
temporary folder beside the destination, which then replaces it in one rename.
An existing ``DIR/discovery/NAME/`` is refused unless ``force`` — so a typo in
a second command never overwrites a first analysis.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from community_sim.discovery.boxes import Discovery, in_box
from community_sim.discovery.report import (
    boxes_latex,
    boxes_table,
    limits_latex,
    limits_table,
    report_text,
    trajectory_latex,
)
from community_sim.discovery.settings import Settings
from community_sim.discovery.space import Space, space_from_store
from community_sim.discovery.target import (
    Cases,
    Target,
    check_probability,
    classify,
    parse_target,
)
from community_sim.errors import UserError, did_you_mean
from community_sim.experiment.completeness import Completeness, completeness

log = logging.getLogger(__name__)

DISCOVERY_DIR = "discovery"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def _prim(space: Space, coi: np.ndarray, settings: Settings) -> Discovery:
    from community_sim.discovery.prim import run_prim

    return run_prim(space, coi, settings)


def _cart(space: Space, coi: np.ndarray, settings: Settings) -> Discovery:
    from community_sim.discovery.cart import run_cart

    return run_cart(space, coi, settings)


METHODS: dict[str, tuple[Callable[[Space, np.ndarray, Settings], Discovery], str, str]] = {
    "prim": (_prim, "ema_workbench", "ema-workbench"),
    "cart": (_cart, "sklearn", "scikit-learn"),
}
"""Method name → (function, module it imports, package that provides it)."""


@dataclass
class DiscoverySummary:
    """What one ``discover`` call produced."""

    directory: Path
    files: list[Path] = field(default_factory=list)
    report: str = ""


def default_name(target: Target, method: str) -> str:
    """A folder name from the target: ``diff-trial_error_cost_per_hire_weeks-lt-0-prim``."""
    op = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge"}[target.op]
    base = re.sub(r"[^A-Za-z0-9_.-]+", "-", target.output).strip("-")
    return f"{base}-{op}-{target.value:g}-{method}"


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise UserError(
            f"unknown method {method!r}{did_you_mean(method, METHODS)}; choose "
            f"{', '.join(METHODS)}",
            source="--method",
        )
    _, module, package = METHODS[method]
    if importlib.util.find_spec(module) is None:
        raise UserError(
            f"{method} needs {package}, which is not installed; run "
            "pip install 'community-sim[discovery]'",
            source="--method",
        )


def _destination(folder: Path, name: str | None, target: Target, method: str, force: bool):
    name = name or default_name(target, method)
    if not _NAME.match(name):
        raise UserError(
            f"{name!r} is not a folder name; use letters, digits and _.-", source="--out-name"
        )
    dest = folder / DISCOVERY_DIR / name
    if dest.exists() and not force:
        raise UserError(
            f"{dest} exists; pass --force to replace it or choose another --out-name",
            source="--out-name",
        )
    return dest


def _output(
    directory: Path, target: Target
) -> tuple[Any, Space, dict[str, Any], list[str], Completeness]:
    """The target's output as a point × replicate matrix, with the space, manifest, counts."""
    from community_sim.analysis.outputs import build_outputs, outcome_columns
    from community_sim.experiment import load_results

    results = load_results(directory)
    done = completeness(directory, results.manifest, results.runs)
    manifest = dict(results.manifest)
    space = space_from_store(manifest, results.design, str(directory / "design.parquet"))
    compare = [str(p) for p in manifest.get("compare") or []]
    runs = results.runs
    if runs.empty:
        raise UserError(
            "holds no finished run yet; run the experiment first", source=str(directory)
        )
    replicates = int(manifest.get("replicates") or runs["replicate"].max() + 1)
    outcomes = outcome_columns(runs, manifest)
    outputs = build_outputs(runs, outcomes, compare, len(space.frame), replicates)
    if target.output not in outputs:
        raise UserError(
            f"no output {target.output!r}{did_you_mean(target.output, outputs)}; "
            f"available: {', '.join(outputs)}",
            source="--target",
        )
    return outputs[target.output], space, manifest, compare, done


def _excluded_text(cases: Cases, run_ids: np.ndarray) -> str:
    bad = ~cases.valid
    if not bad.any():
        return ""
    ids = sorted({int(i) for i in run_ids[bad].ravel() if i >= 0})
    shown = ", ".join(map(str, ids[:8])) + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")
    return (
        f"{int(bad.sum())} point(s) left out: a replicate's value is NaN or missing "
        f"(runs {shown or 'not stored'}); they count neither as cases nor as other points."
    )


def cases_table(space: Space, cases: Cases, found: Discovery) -> pd.DataFrame:
    """Every design point: parameters, mean, share, validity, case, the box it falls in."""
    frame = space.frame.copy()
    frame.insert(0, "point", np.arange(len(frame)))
    frame["mean"] = cases.mean
    frame["share"] = cases.share
    frame["valid"] = cases.valid
    frame["case"] = cases.coi
    box = np.zeros(len(frame), dtype=np.int64)
    free = cases.valid.copy()
    for b in found.boxes:  # a point belongs to the first box that holds it (covering order)
        inside = free & in_box(space.frame, b.limits)
        box[inside] = b.index
        free &= ~inside
    frame["box"] = box
    return frame


def discover_experiment(
    directory: str | Path,
    target: str,
    *,
    method: str = "prim",
    threshold_prob: float | None = None,
    name: str | None = None,
    settings: Settings | None = None,
    force: bool = False,
    formats: Sequence[str] = ("pdf", "png"),
    dpi: float | None = None,
    validate: str | None = None,
) -> DiscoverySummary:
    """Find the boxes where ``target`` holds in the experiment stored in ``directory``.

    ``validate`` (``holdout`` or ``permutation``, :mod:`.validate`) adds to the
    report a check of the boxes on data that did not choose them.
    """
    from community_sim.discovery.write import write_all

    t = parse_target(target)
    check_probability(threshold_prob)
    _check_method(method)
    settings = settings or Settings()
    folder = Path(directory)
    if not folder.is_dir():
        raise UserError(
            "no such folder; pass an experiment's out folder (written by community-sim run)",
            source=str(folder),
        )
    dest = _destination(folder, name, t, method, force)
    out, space, manifest, compare, done = _output(folder, t)
    cases = classify(out.values, t, threshold_prob)
    if cases.n_valid == 0:
        raise UserError(f"{t.output} is NaN at every point; nothing to search", source="--target")
    if cases.n_cases in (0, cases.n_valid):
        share = "no" if cases.n_cases == 0 else "every"
        raise UserError(
            f"{share} point meets {t.text!r} ({cases.n_cases} of {cases.n_valid}), so there is "
            "no region to find; change the threshold (or --threshold-prob)",
            source="--target",
        )
    valid = Space(space.dims, space.frame[cases.valid].reset_index(drop=True))
    found = METHODS[method][0](valid, cases.coi[cases.valid], settings)
    if validate is not None:
        from community_sim.discovery.validate import VALIDATIONS, validation_lines

        if validate not in VALIDATIONS:
            raise UserError(
                f"unknown {validate!r}; choose {' or '.join(VALIDATIONS)}", source="--validate"
            )
        found.notes += validation_lines(
            validate, valid, cases.coi[cases.valid], settings, METHODS[method][0]
        )
    report = report_text(
        source=str(folder),
        target=t,
        method=method,
        cases=cases,
        replicates=out.replicates,
        threshold_prob=threshold_prob,
        excluded=_excluded_text(cases, out.run_ids),
        found=found,
        space=valid,
        compare=compare,
        max_qp=settings.max_qp if settings.max_qp is not None else 0.05,
    )
    if not done.complete:
        report = f"{done.line()}\n{report}"
    boxes, limits = boxes_table(found, valid), limits_table(found, valid)
    tables = {
        "trajectory": (found.trajectory, trajectory_latex(found.trajectory)),
        "boxes": (boxes, boxes_latex(boxes, t)),
        "limits": (limits, limits_latex(limits)),
        "cases": (cases_table(space, cases, found), None),
    }
    record = {
        "target": t.text,
        "method": method,
        "threshold_prob": threshold_prob,
        "settings": dataclasses.asdict(settings),
        "experiment": str(manifest.get("name") or folder.name),
        "spec_hash": str(manifest.get("spec_hash") or ""),
        "points": len(space.frame),
        "valid_points": cases.n_valid,
        "cases": cases.n_cases,
        "replicates": out.replicates,
        "boxes": len(found.boxes),
        "validate": validate,
        **done.record(),
    }
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    umask = os.umask(0)
    os.umask(umask)  # read it back: mkdtemp's 0700 would hide the results from other users
    os.chmod(tmp, 0o777 & ~umask)
    try:
        files = write_all(tmp, tables, report, record, valid, formats=formats, dpi=dpi)
        if dest.exists():  # only with force: swap the old folder out, then drop it
            old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old.", dir=dest.parent))
            dest.rename(old / dest.name)
            tmp.rename(dest)
            shutil.rmtree(old)
        else:
            tmp.rename(dest)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    summary = DiscoverySummary(dest, [dest / f.relative_to(tmp) for f in files], report)
    return summary
