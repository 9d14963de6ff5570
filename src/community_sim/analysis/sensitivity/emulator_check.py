"""Is the emulator good enough? Held-out Q² with intervals, and the acceptance rule.

Validation on held-out points with ``R`` replicates each, replicate mean
``Ym``, per-point sample variance ``s2`` and emulator mean ``mu``: ``Q²_raw``,
the noise-corrected ``Q²`` of ``f`` and the predictive coverage are defined
in :mod:`community_sim.analysis.sensitivity.emulator`; here they get bootstrap intervals
over the held-out points, and :func:`refusal` decides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
from scipy.stats import norm

if TYPE_CHECKING:
    from community_sim.analysis.sensitivity.emulator import GPEmulator

N_Q2_BOOT = 2000  # bootstrap resamples of the held-out points for Q²'s interval


@dataclass(frozen=True)
class Validation:
    """How well the emulator predicts the held-out replicate means, and whether it is accepted.

    ``*_low``/``*_high``: percentile bootstrap interval over the held-out points
    at ``level``. ``signal_var``: the held-out means' variance minus their noise,
    i.e. the variance of ``f`` that Q² divides by (output units²).
    """

    n_train: int
    n_test: int
    q2: float  # Q² of the mean function f (noise of the held-out means removed)
    q2_low: float
    q2_high: float
    q2_raw: float  # Q² against the held-out replicate means as observed
    q2_raw_low: float
    q2_raw_high: float
    signal_var: float
    signal_var_low: float
    coverage: float  # share of held-out means inside the predictive interval
    level: float  # its nominal level
    noise_sd: float  # fitted run-to-run noise SD (output units)
    accepted: bool = False
    reason: str = ""  # why it is refused; empty when accepted


def refusal(v: Validation, min_q2: float) -> str:
    """Why the emulator is refused ('' when accepted); one rule, monotone in the noise.

    Refused when the signal variance is not clearly positive (its bootstrap
    lower bound at most 0). Accepted when the lower end of the raw Q²'s
    interval reaches ``min_q2``: noise only adds to the held-out error, so the
    raw Q² understates the Q² of ``f`` and needs no correction to be trusted.
    Otherwise accepted only when the corrected Q² estimate is at most 1 and
    the lower end of its interval reaches ``min_q2``. A corrected estimate
    above 1 cannot be a Q²: the held-out means' noise exceeds the emulator's
    squared error, so the data cannot tell that error from noise (its spread
    is then of the order of the noise-to-signal ratio). More noise lowers both
    lower ends, so a noisier output is never easier to accept.
    """
    if not (math.isfinite(v.signal_var_low) and v.signal_var_low > 0):
        return (
            f"signal variance not clearly positive ({_g(v.signal_var)}, lower bound "
            f"{_g(v.signal_var_low)}): the held-out means vary no more than their noise"
        )
    if math.isfinite(v.q2_raw_low) and v.q2_raw_low >= min_q2:
        return ""
    if not math.isfinite(v.q2):
        return "Q² undefined"
    if v.q2 > 1.0:
        return f"Q² estimate {v.q2:.3f} above 1: the held-out noise hides the emulator's error"
    if not (math.isfinite(v.q2_low) and v.q2_low >= min_q2):
        return f"Q²={v.q2:.3f} [{v.q2_low:.3f}, {v.q2_high:.3f}]: lower bound below {min_q2:g}"
    return ""


def _g(x: float) -> str:
    return f"{x:.3g}" if math.isfinite(x) else "NaN"


def validate(
    em: GPEmulator,
    U_test: np.ndarray,
    Y_test: np.ndarray,
    n_train: int,
    level: float = 0.95,
    *,
    min_q2: float = 0.9,
    n_boot: int = N_Q2_BOOT,
    rng: np.random.Generator | None = None,
) -> Validation:
    """Q², noise-corrected Q² (each with a bootstrap interval), coverage and acceptance.

    The intervals resample the held-out points (each with its replicates), as
    the points are the independent units; written here rather than taken from
    scipy's ``bootstrap`` because the statistics share one resample and one
    vectorised pass.
    """
    Y_test = np.asarray(Y_test, dtype=float)
    if Y_test.ndim == 1:
        Y_test = Y_test[:, None]
    r = Y_test.shape[1]
    ym = Y_test.mean(axis=1)
    mu, sd = em.predict(U_test)
    noise_i = Y_test.var(axis=1, ddof=1) / r if r >= 2 else np.zeros(len(ym))
    q2, q2_raw, signal = _q2s(ym[None, :], mu[None, :], noise_i[None, :])
    rng = rng if rng is not None else np.random.default_rng(0)
    rows = rng.integers(0, len(ym), size=(n_boot, len(ym)))
    b_q2, b_raw, b_signal = _q2s(ym[rows], mu[rows], noise_i[rows])
    lo, hi = 50 * (1 - level), 50 * (1 + level)

    def interval(b: np.ndarray) -> tuple[float, float]:
        # a resample without signal variance has no Q²: it counts against acceptance
        # (inverted_cdf: no interpolation, so -inf stays -inf rather than becoming NaN)
        b = np.where(np.isfinite(b), b, -np.inf)
        q = np.percentile(b, [lo, hi], method="inverted_cdf")
        return float(q[0]), float(q[1])

    z = float(norm.ppf(0.5 + level / 2))
    half = z * np.sqrt(sd**2 + em.noise_sd**2 / r)  # a held-out mean of r runs
    coverage = float(np.mean(np.abs(ym - mu) <= half))
    v = Validation(
        n_train,
        len(ym),
        float(q2[0]),
        *interval(b_q2),
        float(q2_raw[0]),
        *interval(b_raw),
        float(signal[0]),
        float(np.percentile(b_signal, lo)),
        coverage,
        level,
        em.noise_sd,
    )
    why = refusal(v, min_q2)
    return replace(v, accepted=not why, reason=why)


def _q2s(ym: np.ndarray, mu: np.ndarray, noise_i: np.ndarray) -> tuple[np.ndarray, ...]:
    """Q², raw Q² and signal variance per row (rows: the sample and its resamples)."""
    mse = np.mean((ym - mu) ** 2, axis=1)
    var = np.var(ym, axis=1)
    noise = np.mean(noise_i, axis=1)
    signal = var - noise
    with np.errstate(divide="ignore", invalid="ignore"):
        q2_raw = np.where(var > 0, 1.0 - mse / var, np.nan)
        q2 = np.where(signal > 0, 1.0 - (mse - noise) / signal, np.nan)
    return q2, q2_raw, signal
