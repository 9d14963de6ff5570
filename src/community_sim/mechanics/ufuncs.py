"""NumPy's ``clip`` ufunc without the Python layers of :func:`numpy.clip`.

``np.clip(x, lo, hi)`` dispatches through ``ndarray.clip`` and
``numpy._core._methods._clip`` before calling this ufunc; on the model's
small per-month arrays that wrapping costs more than the clipping. Calling
the ufunc directly gives exactly the same values (it is what ``np.clip``
computes with).
"""

from __future__ import annotations

try:
    from numpy._core.umath import clip
except ImportError:  # NumPy 1.x
    from numpy.core.umath import clip  # type: ignore[no-redef]

__all__ = ["clip"]
