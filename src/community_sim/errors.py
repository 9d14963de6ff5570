"""User-facing errors.

Anything a researcher can fix by editing a file or a command line raises
:class:`UserError`; the CLI prints its one-line message and exits with code 2.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class UserError(ValueError):
    """Bad input that the user can fix; its message is one line naming where and how."""

    exit_code = 2

    def __init__(self, message: str, *, source: str | None = None, key: str | None = None):
        where = ": ".join(p for p in (source, f"key '{key}'" if key else None) if p)
        super().__init__(f"{where}: {message}" if where else message)
        self.source = source
        self.key = key


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' suffix for the closest candidate, or ''."""
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
