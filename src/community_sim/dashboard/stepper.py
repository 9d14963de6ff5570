"""Steps asked for by clicks, run one after another: none dropped, none run twice.

A click only counts a request (:meth:`StepQueue.request`), which returns at
once; a worker thread takes the requests one at a time (:meth:`StepQueue.take`)
and steps the model under :attr:`StepQueue.lock`, which the page also holds
while it reads the model. So clicks during a step are kept and run after it,
and the page never reads a model halfway through a month.
"""

from __future__ import annotations

import threading


class StepQueue:
    """A count of requested steps, safe to use from the page and a worker thread."""

    def __init__(self) -> None:
        self.lock = threading.RLock()  # held while the model is stepped or read
        self._count = threading.Lock()
        self._wake = threading.Event()
        self._pending = 0

    @property
    def pending(self) -> int:
        """Steps requested and not yet started."""
        with self._count:
            return self._pending

    def request(self, n: int = 1) -> None:
        """Ask for ``n`` more steps (a click); returns at once."""
        with self._count:
            self._pending += n
        self._wake.set()

    def clear(self) -> None:
        """Forget the steps not yet started (Reset)."""
        with self._count:
            self._pending = 0

    def take(self, timeout: float, playing: bool = False) -> bool:
        """Whether to run a step now: one request taken, or playing; waits up to ``timeout``."""
        if not playing and not self._wake.wait(timeout):
            return False
        with self._count:
            if self._pending:
                self._pending -= 1
                if not self._pending:
                    self._wake.clear()
                return True
            self._wake.clear()
            return playing
