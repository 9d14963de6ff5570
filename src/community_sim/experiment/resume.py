"""Resume: decide what an out folder already holds, and refuse to mix experiments.

Running the same spec again on the same folder computes only the runs that are
missing or failed. A folder written by a different spec (its hash differs) is
refused unless ``force`` is given, which clears the store's own files first.
"""

from __future__ import annotations

from pathlib import Path

from community_sim.errors import UserError
from community_sim.experiment.spec import ExperimentSpec
from community_sim.experiment.store import Store


def check_out_folder(store: Store, spec: ExperimentSpec, *, force: bool) -> str:
    """What to do with ``store`` for ``spec``: ``"new"``, ``"resume"`` or ``"clear"``.

    Raises UserError when the folder may not take the spec. Nothing is written or
    removed here; ``"clear"`` (only with ``force``) asks the caller to clear it.
    """
    out = store.out
    if out.exists() and not out.is_dir():
        raise UserError("exists and is not a folder; choose another --out", source=str(out))
    if store.exists():
        try:
            old_hash = store.read_manifest().get("spec_hash")
        except (OSError, ValueError):
            old_hash = None
        if force:
            return "clear"
        if old_hash == spec.spec_hash():
            return "resume"
        raise UserError(
            "holds results of a different experiment spec; "
            "use --force to start afresh or choose another --out",
            source=str(out),
        )
    if out.is_dir() and any(out.iterdir()) and not force:
        raise UserError(
            "is not empty and holds no experiment; choose another --out or use --force",
            source=str(out),
        )
    return "new"


def done_run_ids(store: Store) -> set[int]:
    """Run ids already recorded as ok (failed ones are run again)."""
    runs = store.read_runs()
    if runs.empty:
        return set()
    return set(runs.loc[runs["status"] == "ok", "run_id"].astype(int).tolist())


def default_out(spec: ExperimentSpec) -> Path:
    return Path("results") / spec.name
