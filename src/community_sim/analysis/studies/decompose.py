"""Ingredient decomposition of stored experiments: the table of ``community-sim ingredients``.

Each experiment folder is one regime: a full factorial over the ingredient
switches run with ``compare = ["project", "integrated"]``
(``experiments/ingredients*.toml``). The folders' Shapley tables are stacked
with a ``regime`` column and written as ``ingredients.{csv,parquet,tex}``;
:func:`community_sim.figures.ingredients.ingredient_figure` draws the stored
table. Nothing is re-run.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from community_sim.analysis.studies.ingredients import ingredient_shapley
from community_sim.analysis.tables import booktabs, latex_escape, write_table
from community_sim.errors import UserError

log = logging.getLogger(__name__)

TABLE = "ingredients"
"""Stem of the stacked table (``ingredients.parquet``, ``.csv``, ``.tex``)."""


@dataclass(frozen=True)
class Decomposition:
    """The stacked Shapley table and the files written."""

    table: pd.DataFrame
    files: list[Path]


def regime_label(manifest: dict) -> str:
    """``integrated-favoured`` from a spec based on ``regime_integrated_favoured.toml``."""
    scen = (manifest.get("spec") or {}).get("scenario") or manifest.get("name", "experiment")
    stem = Path(str(scen)).stem
    return stem.removeprefix("regime_").replace("_favoured", "-favoured").replace("_", " ")


def decompose_folder(folder: str | Path) -> pd.DataFrame:
    """The Shapley table of one stored experiment, with its ``regime``."""
    from community_sim.experiment import load_results

    res = load_results(folder)
    paired = res.paired
    if paired is None or paired.empty:
        raise UserError(
            "holds no paired policy differences; run a spec with compare = "
            '["project", "integrated"] (experiments/ingredients.toml)',
            source=str(folder),
        )
    keys = {"point", "replicate", "policy", "baseline"}
    outcomes = [c for c in paired.columns if c not in keys]
    table = ingredient_shapley(paired, res.design, outcomes, source=str(folder))
    table.insert(0, "regime", regime_label(res.manifest))
    return table


def decomposition_latex(table: pd.DataFrame) -> str:
    def cell(r: object) -> str:
        v, lo, hi = r.contribution, r.ci_low, r.ci_high  # type: ignore[attr-defined]
        if not math.isfinite(v):
            return "--"
        return f"${v:.3g}$ [{lo:.3g}, {hi:.3g}]" if math.isfinite(lo) else f"${v:.3g}$"

    rows = [
        [
            latex_escape(r.regime),
            latex_escape(r.outcome),
            latex_escape(r.contrast),
            latex_escape(r.ingredient),
            cell(r),
        ]
        for r in table.itertuples()
    ]
    return booktabs(
        ["regime", "outcome", "contrast", "ingredient", "contribution [95\\% CI]"],
        rows,
        align="lllll",
        caption="Shapley contributions of the ingredients to each policy gap",
        label="tab:ingredients",
    )


def decompose(
    folders: Sequence[str | Path],
    out: str | Path,
    *,
    outcomes: Sequence[str] | None = None,
) -> Decomposition:
    """Decompose every folder's gap and write the stacked table in ``out``."""
    table = pd.concat([decompose_folder(f) for f in folders], ignore_index=True)
    if outcomes:
        missing = sorted(set(outcomes) - set(table["outcome"]))
        if missing:
            raise UserError(f"no paired outcome {missing[0]!r} in the results", source="--outputs")
        table = table[table["outcome"].isin(outcomes)].reset_index(drop=True)
    out = Path(out)
    write_table(table, out, TABLE, decomposition_latex(table))
    files = [out / f"{TABLE}.{x}" for x in ("csv", "parquet", "tex")]
    log.info("ingredient decomposition of %d folders written to %s", len(folders), out)
    return Decomposition(table, files)
