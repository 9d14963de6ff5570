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
(:func:`~community_sim.analysis.sensitivity.emulator_check.refusal`, with the intervals):
a rule that more noise can only make stricter, where a point estimate of the
corrected Q² is accepted ever more often as noise hides the emulator's error.

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

import warnings
from typing import Any

import numpy as np
from scipy.linalg import cho_factor, cho_solve, solve_triangular
from scipy.stats import norm

from community_sim.analysis.sensitivity.sobol import (
    SaltelliBlocks,
    SobolResult,
    batch_estimates,
    sobol_indices,
)

HOLDOUT_EVERY = 5
"""Every fifth design point (point % 5 == 4) is held out to validate the emulator."""

N_BASE = 4096  # Saltelli base rows for the emulator mean's indices (cheap predictions)
N_DRAW_BASE = 128  # base rows for the joint posterior draws (a dense covariance)
N_DRAWS = 200  # posterior draws of f
N_HYPER = 10  # hyperparameter vectors the draws are spread over


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
