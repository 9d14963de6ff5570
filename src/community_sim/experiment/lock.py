"""One writer per out folder: a lock file holding the writing process's id.

``run`` takes ``DIR/.lock`` before it touches the folder and removes it when
it stops, however it stops (the ``with`` block; a killed process leaves the
file, and its id then names no live process). The file is created with
``O_CREAT | O_EXCL``, so of two runs starting together exactly one gets it.
A lock whose process is gone is stale and taken over.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from community_sim.errors import UserError

LOCK = ".lock"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def holder(out: str | Path) -> dict[str, Any] | None:
    """The live process writing to ``out`` (``pid``, ``host``, ``started``), or None."""
    path = Path(out) / LOCK
    try:
        info = json.loads(path.read_text())
        pid = int(info["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if info.get("host") not in (None, socket.gethostname()):
        return info  # another machine's process: cannot tell, so assume it is running
    return info if pid != os.getpid() and _alive(pid) else None


def _refusal(out: Path, info: dict[str, Any]) -> UserError:
    return UserError(
        f"another run (pid {info.get('pid')}, started {info.get('started')}) is writing to "
        "this folder; wait for it to finish, or choose another --out",
        source=str(out),
    )


@contextmanager
def out_lock(out: str | Path) -> Iterator[None]:
    """Hold ``out``'s lock while the block runs; UserError if a live run holds it."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise UserError("exists and is not a folder; choose another --out", source=str(out))
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK
    info = {"pid": os.getpid(), "host": socket.gethostname(), "started": _now()}
    for _ in range(2):  # a second try after removing a stale lock
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            other = holder(out)
            if other is not None:
                raise _refusal(out, other) from None
            path.unlink(missing_ok=True)  # stale: its process is gone
            continue
        with os.fdopen(fd, "w") as f:
            json.dump(info, f)
        break
    else:
        raise _refusal(out, holder(out) or {})
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        if created and not any(out.iterdir()):
            out.rmdir()  # refused before anything was written: leave no empty folder


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
