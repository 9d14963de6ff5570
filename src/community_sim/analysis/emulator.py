"""A Gaussian-process emulator of a stochastic model's mean, and Sobol' indices from it.

The model is ``Y = f(x) + e`` (``E[e|x] = 0``) on the unit cube; the emulator is
scikit-learn's :class:`~sklearn.gaussian_process.GaussianProcessRegressor` with
a stationary Matérn-5/2 kernel (one length scale per input) for ``f`` and a
:class:`~sklearn.gaussian_process.kernels.WhiteKernel` for the noise of the
training points' replicate means (``s_e²/R``; the means are sufficient for
``f`` when the noise is Gaussian and the same everywhere). Predictions are
of the latent mean ``f`` (the white term left out), so the indices are those
of ``E[Y|x]`` — what the direct analysis's noise-corrected indices estimate.

Validation on held-out points with ``R`` replicates each, replicate mean
``Ym``, per-point sample variance ``s2``, emulator mean ``mu`` and sd ``sd``:

- ``Q²_raw = 1 - mean((Ym - mu)²) / var(Ym)``;
- ``Q² = 1 - (mean((Ym - mu)²) - mean(s2/R)) / (var(Ym) - mean(s2/R))``: the
  same with the noise of ``Ym`` removed from both terms (unbiased, as in
  ``sobol.py``), i.e. Q² for ``f``; it equals ``Q²_raw`` when ``R = 1``;
- coverage: the share of ``Ym`` inside ``mu ± z·sqrt(sd² + s_e²/R)``, the
  predictive interval of a replicate mean (``s_e²``: the fitted run noise).

Both Q² come with bootstrap intervals over the held-out points. The emulator is
accepted only when the signal variance ``var(Ym) - mean(s2/R)`` is clearly
positive and either the raw Q²'s lower bound reaches ``min_q2`` or the
corrected Q² is at most 1 with its lower bound reaching ``min_q2``
(:func:`refusal`): a rule that more noise can only make stricter, where a
point estimate of the corrected Q² is accepted ever more often as noise hides
the emulator's error.

Indices: the point estimates and a bootstrap come from the emulator's mean on
a large Saltelli sample; the emulator's own uncertainty from the indices of
joint posterior draws of ``f`` on a smaller Saltelli sample, spread over
hyperparameter vectors drawn from a Laplace approximation of their posterior.
The two variances add in the CI half-width (Le Gratiet, Cannamela & Iooss
2014). An input whose length scale sits at a bound is not resolved by the
data (:meth:`GPEmulator.at_bound`): its indices are reported as unresolved.

References
----------
Rasmussen, C. E., Williams, C. K. I. (2006). Gaussian Processes for Machine
    Learning. MIT Press, ch. 2 (posterior) and 4 (Matérn kernels).
Marrel, A., Iooss, B., Laurent, B., Roustant, O. (2009). Calculations of Sobol
    indices for the Gaussian process metamodel. Reliability Engineering &
    System Safety 94(3):742-751.
Le Gratiet, L., Cannamela, C., Iooss, B. (2014). A Bayesian approach for global
    sensitivity analysis of (multifidelity) computer codes. SIAM/ASA Journal on
    Uncertainty Quantification 2(1):336-363.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from scipy.linalg import cho_factor, cho_solve, solve_triangular
from scipy.stats import norm

from community_sim.analysis.sobol import SaltelliBlocks, SobolResult, batch_estimates, sobol_indices

HOLDOUT_EVERY = 5
"""Every fifth design point (point % 5 == 4) is held out to validate the emulator."""

N_BASE = 4096  # Saltelli base rows for the emulator mean's indices (cheap predictions)
N_DRAW_BASE = 128  # base rows for the joint posterior draws (a dense covariance)
N_DRAWS = 200  # posterior draws of f
N_HYPER = 10  # hyperparameter vectors the draws are spread over
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


def holdout_mask(n_points: int) -> np.ndarray:
    """True for the design points held out from training."""
    return np.arange(n_points) % HOLDOUT_EVERY == HOLDOUT_EVERY - 1


class GPEmulator:
    """A GP fitted to ``Y`` (points x replicates) at unit-cube inputs ``U``."""

    def __init__(self, U: np.ndarray, Y: np.ndarray, *, seed: int = 0) -> None:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.gaussian_process import GaussianProcessRegressor
        from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

        U = np.asarray(U, dtype=float)
        Y = np.asarray(Y, dtype=float)
        if Y.ndim == 1:
            Y = Y[:, None]
        dim = U.shape[1]
        # the replicate means are sufficient for f under homoscedastic Gaussian noise, and
        # fitting them costs (1/R)³ of fitting every run; the white term is then s_e²/R
        self._replicates = Y.shape[1]
        X = U
        y = Y.mean(axis=1)
        self._mean = float(y.mean())
        self._scale = float(y.std()) or 1.0
        z = (y - self._mean) / self._scale
        signal = ConstantKernel(1.0, (1e-3, 1e3)) * Matern(
            length_scale=np.full(dim, 0.5), length_scale_bounds=(1e-2, 1e2), nu=2.5
        )
        if self._replicates >= 2:
            # the replicates measure the means' noise directly (n·(R-1) degrees of freedom):
            # fixing it keeps the optimiser from collapsing it to ~0 and interpolating noise
            pooled = float(np.mean(Y.var(axis=1, ddof=1))) / self._replicates
            white = WhiteKernel(max(pooled / self._scale**2, 1e-8), "fixed")
        else:
            white = WhiteKernel(0.1, (1e-8, 1e1))
        kernel = signal + white
        gp = GaussianProcessRegressor(
            kernel, normalize_y=False, n_restarts_optimizer=1, random_state=seed
        )
        with warnings.catch_warnings():
            # hyperparameters at a bound are expected: an inert input's length scale, no noise
            warnings.simplefilter("ignore", ConvergenceWarning)
            gp.fit(X, z)
        self._gp = gp
        self._X = X
        self._signal: Any = gp.kernel_.k1
        self._noise_var = float(gp.kernel_.k2.noise_level)
        # the fitted K + s_e² I (plus sklearn's default jitter), factorised once for all predictions
        K = gp.kernel_(X)
        K[np.diag_indices_from(K)] += gp.alpha
        self._cho = cho_factor(K, lower=True)
        self._z = z
        self._alpha = cho_solve(self._cho, z)

    @property
    def noise_sd(self) -> float:
        """The fitted run-to-run noise SD in output units."""
        return float(np.sqrt(self._noise_var * self._replicates)) * self._scale

    def kernel_text(self) -> str:
        return str(self._gp.kernel_)

    def mean(self, U: np.ndarray, chunk: int = 8192) -> np.ndarray:
        """Posterior mean of ``f`` at ``U``."""
        parts = [
            self._signal(U[i : i + chunk], self._X) @ self._alpha for i in range(0, len(U), chunk)
        ]
        return self._mean + self._scale * np.concatenate(parts)

    def predict(self, U: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Posterior mean and SD of the latent ``f`` (not of a run) at ``U``."""
        ks = self._signal(U, self._X)
        v = solve_triangular(self._cho[0], ks.T, lower=True)
        var = np.clip(self._signal.diag(U) - np.sum(v * v, axis=0), 0.0, None)
        mu = self._mean + self._scale * (ks @ self._alpha)
        return mu, self._scale * np.sqrt(var)

    def draws(
        self,
        U: np.ndarray,
        n_draws: int,
        rng: np.random.Generator,
        theta: np.ndarray | None = None,
    ) -> np.ndarray:
        """``n_draws`` joint posterior samples of ``f`` at ``U``, shape (n_draws, len(U)).

        ``theta``: log-hyperparameters to condition on instead of the fitted ones
        (a draw from :meth:`hyper_draws`).
        """
        if theta is None:
            signal, cho, alpha = self._signal, self._cho, self._alpha
        else:
            kernel = self._gp.kernel_.clone_with_theta(theta)
            signal = kernel.k1
            K = kernel(self._X)
            K[np.diag_indices_from(K)] += self._gp.alpha
            cho = cho_factor(K, lower=True)
            alpha = cho_solve(cho, self._z)
        ks = signal(U, self._X)
        v = solve_triangular(cho[0], ks.T, lower=True)
        cov = signal(U) - v.T @ v
        cov = 0.5 * (cov + cov.T)
        mu = ks @ alpha
        z = rng.standard_normal((n_draws, len(U)))
        return self._mean + self._scale * (mu + z @ _root(cov).T)

    def at_bound(self) -> np.ndarray:
        """Per input: True when its fitted length scale sits at a bound of its range.

        At the upper bound the data cannot tell the input's effect from none; at
        the lower bound the effect is rougher than the design resolves. Either
        way the input's indices are not resolved, whatever the draws say.
        """
        ls = np.atleast_1d(np.asarray(self._signal.k2.length_scale, dtype=float))
        lo, hi = np.log(self._signal.k2.length_scale_bounds).T
        near = np.log(1.05)  # L-BFGS-B stops just inside a bound
        return (np.log(ls) - lo < near) | (hi - np.log(ls) < near)

    def hyper_draws(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` log-hyperparameter vectors from a Laplace approximation of their posterior.

        Written here (scikit-learn keeps only the maximum): a Gaussian around the
        fitted ``theta`` with the inverse Hessian of the negative log marginal
        likelihood, from central differences of scikit-learn's analytic gradient
        (flat prior on log-hyperparameters; Rasmussen & Williams 2006, §5.4).
        Components at a bound, or without curvature, stay at their fitted value.
        The first row is the fitted ``theta`` itself.
        """
        theta = self._gp.kernel_.theta.copy()
        bounds = self._gp.kernel_.bounds
        free = (theta - bounds[:, 0] > np.log(1.05)) & (bounds[:, 1] - theta > np.log(1.05))
        out = np.tile(theta, (n, 1))
        idx = np.flatnonzero(free)
        if n < 2 or not len(idx):
            return out
        h = 1e-3
        H = np.empty((len(idx), len(idx)))
        for k, j in enumerate(idx):
            step = np.zeros_like(theta)
            step[j] = h
            up = self._gp.log_marginal_likelihood(theta + step, eval_gradient=True)[1]
            down = self._gp.log_marginal_likelihood(theta - step, eval_gradient=True)[1]
            H[k] = -(up - down)[idx] / (2 * h)
        H = 0.5 * (H + H.T)
        w, q = np.linalg.eigh(H)
        ok = w > 1e-8  # directions without curvature are not sampled
        cov = (q[:, ok] / w[ok]) @ q[:, ok].T
        sample = rng.multivariate_normal(np.zeros(len(idx)), cov, size=n - 1, method="eigh")
        out[1:, idx] = np.clip(theta[idx] + sample, bounds[idx, 0], bounds[idx, 1])
        return out


def _root(cov: np.ndarray) -> np.ndarray:
    """A matrix root ``L`` with ``L L' = cov``: Cholesky, or eigh when numerically singular."""
    try:
        jitter = 1e-10 * max(float(np.mean(np.diag(cov))), 1e-300)
        return np.linalg.cholesky(cov + jitter * np.eye(len(cov)))
    except np.linalg.LinAlgError:
        w, q = np.linalg.eigh(cov)
        return q * np.sqrt(np.clip(w, 0.0, None))


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


def _blocks(y: np.ndarray, dim: int, second_order: bool) -> SaltelliBlocks:
    """Saltelli blocks along the last axis of ``y`` (leading axes are batch axes)."""
    step = 2 * dim + 2 if second_order else dim + 2
    A = y[..., 0::step]
    B = y[..., step - 1 :: step]
    AB = np.stack([y[..., 1 + j :: step] for j in range(dim)], axis=-1)
    BA = (
        np.stack([y[..., 1 + dim + j :: step] for j in range(dim)], axis=-1)
        if second_order
        else None
    )
    return SaltelliBlocks(A, B, AB, BA)


def _saltelli_unit(n_base: int, dim: int, second_order: bool, seed: int) -> np.ndarray:
    from SALib.sample import sobol

    problem = {"num_vars": dim, "names": [f"u{j}" for j in range(dim)], "bounds": [[0, 1]] * dim}
    return sobol.sample(problem, n_base, calc_second_order=second_order, seed=seed)


def emulated_sobol(
    em: GPEmulator,
    dim: int,
    *,
    second_order: bool = False,
    n_base: int = N_BASE,
    n_draw_base: int = N_DRAW_BASE,
    n_draws: int = N_DRAWS,
    n_hyper: int = N_HYPER,
    n_boot: int = 500,
    conf_level: float = 0.95,
    rng: np.random.Generator | None = None,
) -> SobolResult:
    """Sobol' indices of the emulator's ``f`` on the unit cube (inputs uniform).

    CI half-width ``sqrt(h_boot² + (z·sd_draws)²)``: the bootstrap over the large
    sample's base rows plus the spread of the indices over posterior draws,
    ``n_draws // n_hyper`` draws at each of ``n_hyper`` hyperparameter vectors
    (:meth:`GPEmulator.hyper_draws`), so the CI carries the uncertainty of the
    length scales as well as that of ``f`` given them.
    """
    rng = rng if rng is not None else np.random.default_rng(0)
    seeds = rng.integers(0, 2**31 - 1, size=2)
    big = _saltelli_unit(n_base, dim, second_order, int(seeds[0]))
    res = sobol_indices(
        _blocks(em.mean(big), dim, second_order), n_boot=n_boot, conf_level=conf_level, rng=rng
    )
    small = _saltelli_unit(n_draw_base, dim, second_order, int(seeds[1]))
    per = max(n_draws // n_hyper, 1)
    f = np.concatenate([em.draws(small, per, rng, th) for th in em.hyper_draws(n_hyper, rng)])
    d1, dt, d2 = batch_estimates(_blocks(f, dim, second_order))
    z = float(norm.ppf(0.5 + conf_level / 2))

    def widen(half: np.ndarray, draws: np.ndarray) -> np.ndarray:
        sd = np.nanstd(draws, axis=0, ddof=1)
        return np.sqrt(half**2 + (z * sd) ** 2)

    s2_conf = None
    if res.S2 is not None and res.S2_conf is not None and d2 is not None:
        s2_conf = widen(res.S2_conf, d2)
    return SobolResult(
        S1=res.S1,
        S1_conf=widen(res.S1_conf, d1),
        ST=res.ST,
        ST_conf=widen(res.ST_conf, dt),
        S2=res.S2,
        S2_conf=s2_conf,
    )
