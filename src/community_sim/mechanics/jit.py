"""How the model's rules are compiled: :data:`rule`, Numba's ``njit`` with the model's options.

A rule (a function of ``mechanics``) is compiled once and called from Python and
from the kernels alike. Compiled code is cached on disk (``cache=True``), so
only the first process after a change compiles.

Numba keys a cached function on its own source file only: a kernel in one
module that calls a rule of another would keep the old rule's machine code
after the rule changes (numba/numba#1833). So every function compiled from a
module of this package is cached under a stamp of all of the package's
modules: a change to any of them recompiles them all. The same holds for the
model's constants the rules read as globals (Numba freezes globals into the
compiled code).

The options: no ``fastmath`` (nothing is reassociated or contracted into a
fused multiply-add, so a rule gives the same number in every caller),
NumPy's error model (division by zero gives inf/NaN, not an exception).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from numba import njit
from numba.core.caching import CacheImpl, InTreeCacheLocator, UserProvidedCacheLocator

F = TypeVar("F", bound=Callable[..., Any])

HERE = Path(__file__).resolve().parent


@functools.lru_cache(maxsize=8)
def _package_stamp(stats: tuple[tuple[str, float, int], ...]) -> bytes:
    digest = hashlib.sha256()
    for name, _, _ in stats:
        digest.update(name.encode())
        digest.update((HERE / name).read_bytes())
    return digest.digest()


def package_stamp() -> bytes:
    """A hash of every module of this package (re-read when a file's time or size changes)."""
    stats = []
    for path in sorted(HERE.glob("*.py")):
        st = path.stat()
        stats.append((path.name, st.st_mtime, st.st_size))
    return _package_stamp(tuple(stats))


def _covering(base: type) -> type:
    """``base`` (a Numba cache locator) stamped by the whole package for its functions."""

    class Locator(base):  # type: ignore[valid-type,misc]
        def get_source_stamp(self) -> bytes:
            return package_stamp()

        @classmethod
        def from_function(cls, py_func: Callable[..., Any], py_file: str) -> Any:
            if Path(py_file).resolve().parent != HERE:
                return None
            return super().from_function(py_func, py_file)

    Locator.__name__ = Locator.__qualname__ = f"Mechanics{base.__name__}"
    return Locator


# The one workaround of numba/numba#1833, here only: Numba picks the first locator that
# accepts a function, so these two (its own, re-stamped) come before its defaults.
_LOCATORS = [_covering(UserProvidedCacheLocator), _covering(InTreeCacheLocator)]
if not any(c.__name__.startswith("Mechanics") for c in CacheImpl._locator_classes):
    CacheImpl._locator_classes[:0] = _LOCATORS


def rule(func: F) -> F:
    """Compile ``func`` (a rule or a kernel) with the model's options, cached on disk."""
    return njit(cache=True, error_model="numpy", nogil=True)(func)  # type: ignore[no-any-return]


def inline_rule(func: F) -> F:
    """Like :func:`rule`, inlined into each compiled caller (for the innermost per-pair rules)."""
    return njit(cache=True, error_model="numpy", nogil=True, inline="always")(func)  # type: ignore[no-any-return]
