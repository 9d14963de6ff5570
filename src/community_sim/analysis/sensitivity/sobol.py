"""Sobol' indices from a Saltelli sample, with a correction for replicate noise.

Pure numpy: the functions take the outputs in sample order and return arrays.

Estimators (the same as SALib 1.6's ``analyze.sobol``, so results agree with it
when there is no noise correction):

- first order, Saltelli et al. (2010), eq. (b) of table 2:
  ``V_i = mean(f_B (f_ABi - f_A))``;
- total order, Jansen (1999), as recommended by Saltelli et al. (2010):
  ``VT_i = mean((f_A - f_ABi)^2) / 2``;
- second order, Saltelli (2002): ``V_ij = mean(f_BAj f_ABk - f_A f_B)``
  minus the two first-order parts;
- all divided by the variance of the outputs at A and B.

Noise correction (stochastic models, R >= 2 replicates per design point).
Write one run as ``Y = f(x) + e`` with ``E[e|x] = 0`` and ``Var(e|x) = s2(x)``;
the analysis uses the replicate mean ``Ym = f(x) + em`` whose noise has
variance ``s2(x)/R``. Noises at different points are independent (each run has
its own seed), so for the Saltelli/Jansen estimators:

- ``E[Ym_B (Ym_ABi - Ym_A)] = E[f_B (f_ABi - f_A)]``: the first-order
  numerator is unbiased — the noise only inflates the denominator;
- ``E[(Ym_A - Ym_ABi)^2] / 2 = VT_i(f) + (E[s2(A)] + E[s2(ABi)]) / (2R)``: the
  total-order numerator carries the noise of both points;
- ``Var(Ym) = Var(f) + E[s2(x)]/R``.

Subtracting the noise terms, estimated without bias by the per-point sample
variance ``s2_hat(x)/R`` (ddof=1), gives indices of ``f = E[Y|x]``, the
deterministic part of the model. This is the idea of separating the mean and
dispersion components of a stochastic model (Iooss & Ribatet 2009; Marrel et
al. 2012), applied directly to the pick-freeze estimators rather than through
a metamodel. With R = 1 no correction is possible: the noise raises the
denominator to ``Var(f) + E[s2]``, so first- and second-order indices shrink
by ``Var(f) / Var(Y)``, while the total-order numerator gains ``E[s2]`` too and
ST rises toward 1 (``validity.py`` words this for the report).

Confidence intervals: bootstrap over the N base rows (each resample keeps the
A, B, AB, BA rows of a base row together), reported as ``z * sd`` half-widths
like SALib.

References
----------
Jansen, M. J. W. (1999). Analysis of variance designs for model output.
    Computer Physics Communications 117(1-2):35-43.
Saltelli, A. (2002). Making best use of model evaluations to compute
    sensitivity indices. Computer Physics Communications 145(2):280-297.
Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M., Tarantola, S.
    (2010). Variance based sensitivity analysis of model output. Design and
    estimator for the total sensitivity index. CPC 181(2):259-270.
Iooss, B., Ribatet, M. (2009). Global sensitivity analysis of computer models
    with functional inputs. Reliability Eng. & System Safety 94(7):1194-1204.
Marrel, A., Iooss, B., Da Veiga, S., Ribatet, M. (2012). Global sensitivity
    analysis of stochastic computer models with joint metamodels. Statistics
    and Computing 22(3):833-847.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

_EPS = np.finfo(float).eps
_BOOT_CHUNK = 64
MIN_FINITE_BOOT = 0.975
"""Share of bootstrap resamples that must give an index for its CI to be reported.

A resample gives no index when its (noise-corrected) variance is not positive.
Requiring 97.5% is a one-sided bootstrap test at the 2.5% level that the
variance over the design is above zero — i.e. that there is signal above the
noise to divide by; otherwise the indices are ratios of noise to noise and
are reported as undefined (``validity.flag_indices``)."""


@dataclass(frozen=True)
class SaltelliBlocks:
    """Outputs split into the pick-freeze matrices; ``AB[:, i]`` has column i from B."""

    A: np.ndarray  # (N,)
    B: np.ndarray  # (N,)
    AB: np.ndarray  # (N, D)
    BA: np.ndarray | None  # (N, D) when second order

    def take(self, rows: np.ndarray) -> SaltelliBlocks:
        """The blocks at base rows ``rows`` (a prefix, or a bootstrap resample)."""
        return SaltelliBlocks(
            self.A[rows], self.B[rows], self.AB[rows], None if self.BA is None else self.BA[rows]
        )


@dataclass(frozen=True)
class SobolResult:
    """First, total and (optionally) second-order indices with CI half-widths."""

    S1: np.ndarray
    S1_conf: np.ndarray
    ST: np.ndarray
    ST_conf: np.ndarray
    S2: np.ndarray | None = None  # (D, D), upper triangle filled, NaN elsewhere
    S2_conf: np.ndarray | None = None


def saltelli_rows(n_base: int, dim: int, second_order: bool) -> int:
    """Number of model evaluations of a Saltelli sample."""
    return n_base * (2 * dim + 2 if second_order else dim + 2)


def split_saltelli(y: np.ndarray, dim: int, second_order: bool) -> SaltelliBlocks:
    """Split outputs in Saltelli sample order into A, B, AB (and BA).

    The order is SALib's ``sample.sobol``: per base row, ``A, AB_1..AB_D,
    [BA_1..BA_D,] B``. Raises ValueError when the length does not fit.
    """
    y = np.asarray(y, dtype=float)
    step = 2 * dim + 2 if second_order else dim + 2
    if y.ndim != 1 or y.size % step:
        raise ValueError(
            f"{y.size} outputs do not form a Saltelli sample of {dim} parameters "
            f"(second order {second_order}: a multiple of {step} expected)"
        )
    A = y[0::step]
    B = y[step - 1 :: step]
    AB = np.stack([y[1 + j :: step] for j in range(dim)], axis=1)
    BA = np.stack([y[1 + dim + j :: step] for j in range(dim)], axis=1) if second_order else None
    return SaltelliBlocks(A, B, AB, BA)


def _estimates(
    y: SaltelliBlocks, noise: SaltelliBlocks | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Point estimates along the last-but-one axis; leading axes are batch axes.

    ``y.A`` has shape ``(..., N)`` and ``y.AB`` ``(..., N, D)``. ``noise`` holds
    the variance of each point's mean (``s2/R``) in the same layout, or None.
    """
    centre = 0.5 * (y.A.mean(axis=-1) + y.B.mean(axis=-1))
    A = y.A - centre[..., None]
    B = y.B - centre[..., None]
    AB = y.AB - centre[..., None, None]
    var = np.var(np.concatenate([A, B], axis=-1), axis=-1)
    vt = 0.5 * np.mean((A[..., None] - AB) ** 2, axis=-2)
    if noise is not None:
        var = var - np.mean(np.concatenate([noise.A, noise.B], axis=-1), axis=-1)
        vt = vt - 0.5 * np.mean(noise.A[..., None] + noise.AB, axis=-2)
    v1 = np.mean(B[..., None] * (AB - A[..., None]), axis=-2)
    ok = var > _EPS * np.maximum(1.0, np.abs(centre)) ** 2
    safe = np.where(ok, var, 1.0)[..., None]
    s1 = np.where(ok[..., None], v1 / safe, np.nan)
    st = np.where(ok[..., None], vt / safe, np.nan)
    s2 = None
    if y.BA is not None:
        BA = y.BA - centre[..., None, None]
        dim = AB.shape[-1]
        s2 = np.full((*s1.shape, dim), np.nan)
        for j in range(dim):
            for k in range(j + 1, dim):
                vjk = np.mean(BA[..., j] * AB[..., k] - A * B, axis=-1)
                s2[..., j, k] = vjk / safe[..., 0] - s1[..., j] - s1[..., k]
        s2 = np.where(ok[..., None, None], s2, np.nan)
    return s1, st, s2


def sobol_indices(
    y: SaltelliBlocks,
    noise: SaltelliBlocks | None = None,
    *,
    n_boot: int = 500,
    conf_level: float = 0.95,
    rng: np.random.Generator | None = None,
) -> SobolResult:
    """Sobol' indices of the outputs ``y`` with bootstrap CI half-widths.

    ``noise`` (same layout as ``y``) is the estimated variance of each point's
    output (``s2_hat/R`` for a replicate mean); when given, the estimators are
    corrected for it as derived in this module's docstring. Constant outputs
    give NaN indices (not zeros: an index of a constant is undefined).
    """
    rng = rng if rng is not None else np.random.default_rng(0)
    s1, st, s2 = _estimates(y, noise)
    n = y.A.shape[0]
    z = float(norm.ppf(0.5 + conf_level / 2))
    b1, bt, b2 = [], [], []
    for start in range(0, n_boot, _BOOT_CHUNK):
        rows = rng.integers(0, n, size=(min(_BOOT_CHUNK, n_boot - start), n))
        r1, rt, r2 = _estimates(y.take(rows), None if noise is None else noise.take(rows))
        b1.append(r1)
        bt.append(rt)
        if r2 is not None:
            b2.append(r2)

    def half(parts: list[np.ndarray]) -> np.ndarray:
        # a resample whose corrected variance is <= 0 has no index; a CI needs most to have one
        boot = np.concatenate(parts, axis=0)
        finite = np.isfinite(boot)
        enough = finite.mean(axis=0) >= MIN_FINITE_BOOT
        filled = np.where(finite, boot, 0.0)
        count = np.maximum(finite.sum(axis=0), 2)
        mean = filled.sum(axis=0) / count
        var = (np.where(finite, boot - mean, 0.0) ** 2).sum(axis=0) / (count - 1)
        return np.where(enough, z * np.sqrt(var), np.nan)

    return SobolResult(
        S1=s1,
        S1_conf=half(b1),
        ST=st,
        ST_conf=half(bt),
        S2=s2,
        S2_conf=half(b2) if s2 is not None else None,
    )


def batch_estimates(
    y: SaltelliBlocks, noise: SaltelliBlocks | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Point estimates ``(S1, ST, S2)`` for blocks with leading batch axes (no bootstrap).

    ``y.A`` has shape ``(..., N)``; e.g. one row per posterior draw of an emulator.
    """
    return _estimates(y, noise)
