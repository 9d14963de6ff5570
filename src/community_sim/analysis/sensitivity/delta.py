"""Borgonovo's moment-independent delta index from any sample, vectorised.

``delta_i = E_{X_i}[ integral |f_Y(y) - f_{Y|X_i}(y)| dy ] / 2`` (Borgonovo 2007)
measures how much fixing ``X_i`` shifts the whole output density, not only
its variance; 0 for a parameter that does not matter, at most 1.

Estimator of Plischke, Borgonovo & Smith (2013): ``X_i`` is cut into M
equal-frequency classes (``M = min(ceil(N^(2/(7 + tanh((1500 - N)/500)))), 48)``,
their eq. 27 as used by SALib), the unconditional and each class's output
density are Gaussian kernel estimates (Silverman's bandwidth) on a 100-point grid,
and the L1 distances are integrated with the trapezoidal rule and weighted by
class size. The bootstrap gives a bias-reduced estimate ``2 d - mean(d*)`` and
a ``z * sd(d*)`` half-width. This is the estimator of SALib's
``analyze.delta`` (``delta_raw``), re-implemented with array operations
because SALib's loops take minutes for a few thousand points.

References
----------
Borgonovo, E. (2007). A new uncertainty importance measure. Reliability
    Engineering & System Safety 92(6):771-784.
Plischke, E., Borgonovo, E., Smith, C. L. (2013). Global sensitivity measures
    from given data. European Journal of Operational Research 226(3):536-550.
"""

from __future__ import annotations

import itertools

import numpy as np
from scipy.stats import norm

GRID = 100
MAX_CLASSES = 48


def n_classes(n: int) -> int:
    """Number of equal-frequency classes for ``n`` points (Plischke et al. 2013, eq. 27)."""
    exp = 2.0 / (7.0 + np.tanh((1500.0 - n) / 500.0))
    return int(min(int(np.ceil(n**exp)), MAX_CLASSES))


def _kde(samples: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Gaussian kernel density of ``samples`` on ``grid`` with Silverman's bandwidth."""
    n = samples.shape[-1]
    sd = samples.std(axis=-1, ddof=1, keepdims=True)
    h = np.where(sd > 0, sd, 1.0) * (0.75 * n) ** (-1.0 / 5.0)
    z = (grid[None, :] - samples[..., :, None]) / h[..., None]
    return np.exp(-0.5 * z * z).sum(axis=-2) / (n * h * np.sqrt(2.0 * np.pi))


def _delta_one(x: np.ndarray, y: np.ndarray, grid: np.ndarray, classes: int) -> float:
    """The delta estimate of one parameter ``x`` for outputs ``y``."""
    n = y.size
    f_y = _kde(y[None, :], grid)[0]
    order = np.argsort(x, kind="stable")
    edges = np.linspace(0, n, classes + 1).astype(int)
    total = 0.0
    for lo, hi in itertools.pairwise(edges):
        y_c = y[order[lo:hi]]
        if hi - lo < 2 or np.ptp(y_c) == 0:
            continue  # no density estimate for a constant class (as SALib)
        f_c = _kde(y_c[None, :], grid)[0]
        total += (hi - lo) / n * np.trapezoid(np.abs(f_y - f_c), grid)
    return 0.5 * total


def delta_indices(
    X: np.ndarray,
    y: np.ndarray,
    *,
    n_boot: int = 100,
    conf_level: float = 0.95,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Bias-reduced delta of each column of ``X`` and its CI half-width."""
    y = np.asarray(y, dtype=float)
    n, dim = X.shape
    if np.ptp(y) == 0:
        return np.full(dim, np.nan), np.full(dim, np.nan)
    grid = np.linspace(y.min(), y.max(), GRID)
    classes = n_classes(n)
    z = float(norm.ppf(0.5 + conf_level / 2))
    est = np.empty(dim)
    conf = np.empty(dim)
    rows = rng.integers(0, n, size=(n_boot, n))
    for j in range(dim):
        d = _delta_one(X[:, j], y, grid, classes)
        boot = np.array([_delta_one(X[r, j], y[r], grid, classes) for r in rows])
        reduced = 2.0 * d - boot
        est[j] = reduced.mean()
        conf[j] = z * reduced.std(ddof=1)
    return est, conf
