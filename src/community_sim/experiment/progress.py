"""Progress bar: done/total, rate, ETA and the number of failures so far (tqdm)."""

from __future__ import annotations

import sys
from typing import Any


class Progress:
    """A thin tqdm wrapper; silent when disabled."""

    def __init__(self, total: int, done: int, *, enabled: bool, desc: str):
        self.failed = 0
        self._bar: Any = None
        if enabled:
            from tqdm import tqdm

            self._bar = tqdm(
                total=total,
                initial=done,
                desc=desc,
                unit="run",
                file=sys.stderr,
                dynamic_ncols=True,
                smoothing=0.1,
                mininterval=0.5,
            )
            self._bar.set_postfix(failed=0)

    def update(self, n: int, failed: int) -> None:
        self.failed += failed
        if self._bar is not None:
            if failed:
                self._bar.set_postfix(failed=self.failed, refresh=False)
            self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
