"""Reading an experiment's out folder back: :func:`load_results`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from community_sim.errors import UserError
from community_sim.experiment.store import DESIGN, PAIRED, SERIES, Store


@dataclass
class Results:
    """An experiment's stored results: ``.runs``, ``.series``, ``.design``, ``.manifest``.

    ``.runs`` includes runs of an unfinished sweep (from its part files); the
    series are read on first access only, since they can be large.
    """

    out: Path
    manifest: dict[str, Any]
    runs: pd.DataFrame
    design: pd.DataFrame
    _store: Store = field(repr=False)

    @cached_property
    def series(self) -> pd.DataFrame:
        path = self._store.path(SERIES)
        if not path.is_file():
            return pd.DataFrame(columns=["run_id", "step", "name", "value"])
        frame = pd.read_parquet(path)
        return frame.sort_values(["run_id", "step", "name"], kind="stable").reset_index(drop=True)

    @cached_property
    def paired(self) -> pd.DataFrame | None:
        """Paired policy differences per (point, replicate), when the spec had ``compare``."""
        path = self._store.path(PAIRED)
        return pd.read_parquet(path) if path.is_file() else None

    @property
    def ok(self) -> pd.DataFrame:
        """The runs that finished without error."""
        return self.runs[self.runs["status"] == "ok"]


def load_results(out: str | Path) -> Results:
    """Open an experiment's out folder; raises UserError when it holds none."""
    store = Store(out)
    if not store.exists():
        raise UserError("holds no experiment (no manifest.json)", source=str(out))
    runs = store.read_runs().drop(columns=["_src"], errors="ignore")
    runs = runs.sort_values("run_id").reset_index(drop=True)
    design_path = store.path(DESIGN)
    design = pd.read_parquet(design_path) if design_path.is_file() else pd.DataFrame()
    return Results(Path(out), store.read_manifest(), runs, design, store)
