"""Complete or said so: how many of an experiment's runs are stored, and what is stale.

Commands that read a store (``analyze``, ``figures``, ``discover``) say when
it is incomplete — the counts and the command that finishes it — and record
``complete`` in what they write. A resumed sweep adds runs after analyses
were written, so it marks them stale (``analysis/stale.json``); the next
``analyze`` replaces the tables and removes the mark, and ``figures``
analyses again before drawing from stale tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from community_sim.experiment.lock import holder
from community_sim.experiment.store import Store, write_json

STALE = "stale.json"
ANALYSIS = "analysis"


@dataclass(frozen=True)
class Completeness:
    """Counts of an experiment's runs and how to finish it."""

    total: int
    ok: int
    failed: int
    missing: int
    finish: str  # the command that completes it, or what is under way
    running: bool

    @property
    def complete(self) -> bool:
        return self.failed == 0 and self.missing == 0

    def line(self) -> str:
        """One line for the commands' output (empty when complete)."""
        if self.complete:
            return ""
        return (
            f"incomplete: {self.ok} of {self.total} runs finished ok "
            f"({self.failed} failed, {self.missing} missing); {self.finish}"
        )

    def record(self) -> dict[str, Any]:
        """What stored results say about their source."""
        return {
            "complete": self.complete,
            "runs": {"total": self.total, "ok": self.ok, "failed": self.failed},
            "missing": self.missing,
        }


def completeness(out: str | Path, manifest: dict[str, Any], runs: Any) -> Completeness:
    """How complete the store in ``out`` is (``runs`` as ``load_results`` reads them)."""
    total = int(manifest.get("n_runs") or 0)
    ok = int((runs["status"] == "ok").sum()) if len(runs) else 0
    failed = int((runs["status"] == "failed").sum()) if len(runs) else 0
    running = holder(out) is not None
    if running:
        finish = "a run is still writing to this folder (see community-sim status)"
    else:
        spec = manifest.get("spec_path") or "SPEC"
        finish = f"finish with: community-sim run {spec} --out {out}"
    return Completeness(total, ok, failed, max(total - ok - failed, 0), finish, running)


def mark_stale(out: str | Path, reason: str) -> None:
    """Mark the stored analyses of ``out`` stale (if there are any)."""
    folder = Store(out).path(ANALYSIS)
    if folder.is_dir():
        since = datetime.now(UTC).isoformat(timespec="seconds")
        write_json(folder / STALE, {"stale": True, "since": since, "reason": reason})


def is_stale(out: str | Path) -> bool:
    """Whether ``out``'s stored analyses predate runs added since."""
    return (Store(out).path(ANALYSIS) / STALE).is_file()


def completeness_of(out: str | Path) -> Completeness:
    """:func:`completeness` of the store in ``out``, read from disk."""
    store = Store(out)
    return completeness(out, store.read_manifest(), store.read_runs())


def write_record(path: Path, done: Completeness, **extra: Any) -> None:
    """A small JSON record of what a command wrote from a store: ``complete`` and counts."""
    write_json(path, {**done.record(), **extra})
