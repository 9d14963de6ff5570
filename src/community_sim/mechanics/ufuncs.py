"""NumPy's ``clip`` ufunc and an ``any`` without the Python layers of their NumPy methods.

``np.clip(x, lo, hi)`` dispatches through ``ndarray.clip`` and
``numpy._core._methods._clip`` before calling this ufunc; on the model's
small per-month arrays that wrapping costs more than the clipping. Calling
the ufunc directly gives exactly the same values (it is what ``np.clip``
computes with).
"""

from __future__ import annotations

from typing import Any

try:
    from numpy._core.multiarray import count_nonzero as _count_nonzero
    from numpy._core.umath import clip
except ImportError:  # NumPy 1.x
    from numpy.core.multiarray import count_nonzero as _count_nonzero  # type: ignore[no-redef]
    from numpy.core.umath import clip  # type: ignore[no-redef]

__all__ = ["any_nonzero", "clip", "count_nonzero"]


def any_nonzero(a: Any) -> bool:
    """``a.any()``: whether any element of the array ``a`` is nonzero (NaN is), without the
    method's Python layers (``ndarray.any`` → ``_methods._any`` → the reduction), which on
    the model's small monthly arrays cost several times the counting itself."""
    return bool(_count_nonzero(a) > 0)


def count_nonzero(a: Any) -> int:
    """``np.count_nonzero(a)`` of a whole array, without its Python dispatch."""
    return int(_count_nonzero(a))
