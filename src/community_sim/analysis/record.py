"""``analysis/analysis.json``: what the stored tables were computed from.

It records the outputs analysed, the method, the ``--by`` groups, the files
written and whether the experiment was complete (``complete``, the run
counts). ``analyze`` reads it first: tables written for other outputs are
never replaced silently (``--force`` replaces them, and removes the files the
new analysis does not write again), unless a resumed sweep marked them stale.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from community_sim.errors import UserError
from community_sim.experiment.completeness import STALE, Completeness
from community_sim.experiment.store import write_json

RECORD = "analysis.json"
SHOWN = 4


class OtherOutputs(UserError):
    """The stored tables are for other outputs; replacing them needs ``--force``."""


def read_record(folder: Path) -> dict[str, Any] | None:
    try:
        return dict(json.loads((folder / RECORD).read_text()))
    except (OSError, ValueError):
        return None


def _names(outputs: Sequence[str]) -> str:
    shown = ", ".join(outputs[:SHOWN])
    return shown + (f" and {len(outputs) - SHOWN} more" if len(outputs) > SHOWN else "")


def check_replaces(
    folder: Path, outputs: Sequence[str], force: bool
) -> tuple[dict[str, Any] | None, bool]:
    """The stored record, and whether the new analysis replaces it wholesale.

    Replacing (its files not written again are removed) happens when the
    tables are stale, or with ``force`` for other outputs; other outputs
    without ``force`` raise :class:`OtherOutputs`. Same outputs: the new
    tables join the old ones.
    """
    old = read_record(folder)
    if old is None:
        return None, False
    before = list(old.get("outputs") or [])
    other = sorted(before) != sorted(outputs)
    if (folder / STALE).is_file():
        return old, True
    if other and not force:
        raise OtherOutputs(
            f"holds tables for {len(before)} output(s) ({_names(before)}), not the "
            f"{len(outputs)} asked for ({_names(list(outputs))}); pass --force to replace them",
            source=str(folder),
        )
    return old, other


def write_record(
    folder: Path,
    *,
    outputs: Sequence[str],
    method: str | None,
    by: Sequence[Sequence[str]],
    files: list[Path],
    done: Completeness,
    previous: dict[str, Any] | None,
    replace: bool,
) -> Path:
    """Write the record, clear the stale mark; ``replace`` drops files only the old one had."""
    path = folder / RECORD
    names = sorted({p.name for p in files} | {RECORD})
    kept = [n for n in (previous or {}).get("files") or [] if n not in names and "/" not in n]
    for name in kept if replace else []:
        (folder / name).unlink(missing_ok=True)
    if not replace:
        names = sorted({*names, *(n for n in kept if (folder / n).is_file())})
    write_json(
        path,
        {
            **done.record(),
            "outputs": list(outputs),
            "method": method,
            "by": [list(g) for g in by],
            "files": names,
            "written": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    )
    (folder / STALE).unlink(missing_ok=True)
    return path
