"""ABC-SMC fit of a calibration spec with pyabc, resumable from its SQLite history.

The model of the fit is :func:`~community_sim.patterns.observe.observed_run`
at the spec's base parameters with the proposed values, its statistics
averaged over ``seeds_per_sample`` runs. pyabc draws from NumPy's global
generator: it is seeded from the spec's ``seed`` before the fit, and each
model run's seed is drawn from it, so with one worker a fit is reproducible;
with several workers (pyabc's multicore sampler) the order of acceptance, and
so the sample, depends on timing. Running the command again on the same out
folder continues the stored fit (pyabc's ``ABCSMC.load``) up to
``max_populations``.

References
----------
Toni, T., Welch, D., Strelkowa, N., Ipsen, A. & Stumpf, M. P. H. (2009).
Approximate Bayesian computation scheme for parameter inference and model
selection in dynamical systems. J. R. Soc. Interface 6(31), 187–202.
Schälte, Y., Klinger, E., Alamoudi, E. & Hasenauer, J. (2022). pyABC:
efficient and robust easy-to-use approximate Bayesian computation. Journal of
Open Source Software 7(74), 4304.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from community_sim.calibration.spec import CalibrationSpec, Target
from community_sim.errors import UserError
from community_sim.patterns.observe import observed_run

log = logging.getLogger(__name__)

DB_NAME = "abc.db"


def statistic(target: Target, out: Mapping[str, float]) -> float:
    """The value of a fitted pattern in one run's outputs (``gap``: statistic − other)."""
    p = target.pattern
    v = out[p.statistic]
    return v - out[str(p.other)] if p.kind == "gap" else v


def simulate(spec: CalibrationSpec, values: Mapping[str, float], seeds: list[int]) -> dict:
    """The fitted statistics at ``values``, averaged over one run per seed (NaN: not observed)."""
    params = {**spec.base_params, **{k: float(v) for k, v in values.items()}}
    rows = [observed_run(params, s) for s in seeds]
    out = {}
    for t in spec.targets:
        x = np.array([statistic(t, r) for r in rows], dtype=float)
        x = x[np.isfinite(x)]
        out[t.pattern.name] = float(x.mean()) if x.size else math.nan
    return out


def distance(spec: CalibrationSpec, sim: Mapping[str, float]) -> float:
    """RMS of (statistic − target) / tolerance; infinite when a statistic is not observed."""
    z = [(sim[t.pattern.name] - t.value) / t.scale for t in spec.targets]
    if not all(math.isfinite(v) for v in z):
        return math.inf
    return math.sqrt(sum(v * v for v in z) / len(z))


@dataclass(frozen=True)
class FitResult:
    """The posterior (last population), every population's summary, and convergence."""

    posterior: pd.DataFrame
    populations: pd.DataFrame
    converged: bool
    final_epsilon: float
    n_simulations: int


def _pyabc() -> Any:
    try:
        import pyabc
    except ImportError:
        raise UserError(
            "pyabc is not installed; run pip install 'community-sim[calibration]'",
            source="calibrate",
        ) from None
    return pyabc


def run_fit(
    spec: CalibrationSpec, out: Path, *, workers: int = 1, force: bool = False
) -> FitResult:
    """Run (or continue) the ABC-SMC fit into ``out/abc.db``; returns the posterior."""
    pyabc = _pyabc()
    # pyabc logs every population at INFO on its own handler: follow the command's -v instead.
    logging.getLogger("ABC").setLevel(logging.getLogger("community_sim").getEffectiveLevel())
    a = spec.abc
    prior = pyabc.Distribution(
        **{k: pyabc.RV("uniform", lo, hi - lo) for k, (lo, hi) in spec.priors.items()}
    )
    n_seeds = a.seeds_per_sample

    def model(par: Mapping[str, float]) -> dict:
        seeds = [int(s) for s in np.random.randint(0, 2**31 - 1, n_seeds)]  # noqa: NPY002
        return simulate(spec, {k: par[k] for k in spec.priors}, seeds)

    def dist(x: Mapping[str, float], x0: Mapping[str, float]) -> float:
        return distance(spec, x)

    sampler = (
        pyabc.sampler.SingleCoreSampler()
        if workers <= 1
        else pyabc.sampler.MulticoreEvalParallelSampler(n_procs=workers)
    )
    observed = {t.pattern.name: t.value for t in spec.targets}
    out.mkdir(parents=True, exist_ok=True)
    db = out / DB_NAME
    if force and db.exists():
        db.unlink()
    np.random.seed(a.seed)  # noqa: NPY002 - pyabc samples from NumPy's global generator
    abc = pyabc.ABCSMC(model, prior, dist, population_size=a.population_size, sampler=sampler)
    if db.exists():
        history = abc.load(f"sqlite:///{db}", 1)
        done = history.max_t + 1
        log.info("continuing the fit in %s after %d populations", db, done)
    else:
        history = abc.new(f"sqlite:///{db}", observed)
        done = 0
    left = a.max_populations - done
    if done and _last_epsilon(history) <= a.epsilon_target:
        left = 0  # the stored fit converged: continuing it changes nothing
    if left > 0:
        history = abc.run(minimum_epsilon=a.epsilon_target, max_nr_populations=left)
    return _result(history, spec)


def _populations(history: Any) -> Any:
    """The fit's populations (pyabc's calibration row, t = -1, left out)."""
    pops = history.get_all_populations()
    return pops[pops["t"] >= 0].reset_index(drop=True)


def _last_epsilon(history: Any) -> float:
    return float(_populations(history)["epsilon"].iloc[-1])


def _result(history: Any, spec: CalibrationSpec) -> FitResult:
    frame, w = history.get_distribution(m=0, t=history.max_t)
    post = frame.reset_index(drop=True)[list(spec.priors)].copy()
    post["weight"] = np.asarray(w, dtype=float)
    pops = _populations(history)
    eps = float(pops["epsilon"].iloc[-1])
    return FitResult(
        post,
        pops[["t", "epsilon", "samples", "particles"]],
        eps <= spec.abc.epsilon_target,
        eps,
        int(history.total_nr_simulations),
    )


def weighted_quantiles(x: np.ndarray, w: np.ndarray, qs: tuple[float, ...]) -> list[float]:
    """Quantiles of a weighted sample (inverse of the weighted empirical CDF, midpoints)."""
    order = np.argsort(x)
    xs, ws = x[order], w[order] / w.sum()
    cdf = np.cumsum(ws) - ws / 2
    return [float(np.interp(q, cdf, xs)) for q in qs]


def posterior_summary(spec: CalibrationSpec, post: pd.DataFrame) -> pd.DataFrame:
    """Per parameter: prior, posterior mean, median, 90% interval, and the truth if known."""
    rows = []
    w = post["weight"].to_numpy()
    for name, (lo, hi) in spec.priors.items():
        x = post[name].to_numpy()
        q05, q50, q95 = weighted_quantiles(x, w, (0.05, 0.5, 0.95))
        truth = spec.truth.get(name, math.nan)
        rows.append(
            {
                "parameter": name,
                "prior_low": lo,
                "prior_high": hi,
                "mean": float(np.sum(w * x) / w.sum()),
                "median": q50,
                "q05": q05,
                "q95": q95,
                "truth": truth,
                "truth_in_90": bool(q05 <= truth <= q95) if math.isfinite(truth) else None,
            }
        )
    return pd.DataFrame(rows)


def predictive_check(
    spec: CalibrationSpec, post: pd.DataFrame, n: int, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run the model at ``n`` posterior draws; per pattern: target vs predictive interval.

    A pattern passes when its target lies inside the 5–95 % quantiles of the
    statistic over the draws (one run each, so the interval holds both the
    posterior's spread and the model's seed noise).
    """
    rng = np.random.default_rng(seed)
    w = post["weight"].to_numpy()
    picks = rng.choice(len(post), size=n, p=w / w.sum())
    seeds = rng.integers(0, 2**31 - 1, n)
    draws = []
    for k, (i, s) in enumerate(zip(picks, seeds, strict=True)):
        values = {p: float(post[p].iloc[int(i)]) for p in spec.priors}
        draws.append({"draw": k, **values, **simulate(spec, values, [int(s)])})
    sims = pd.DataFrame(draws)
    rows = []
    for t in spec.targets:
        x = sims[t.pattern.name].to_numpy(dtype=float)
        ok = x[np.isfinite(x)]
        lo, hi = np.quantile(ok, [0.05, 0.95]) if ok.size else (math.nan, math.nan)
        mean = float(ok.mean()) if ok.size else math.nan
        rows.append(
            {
                "pattern": t.pattern.name,
                "target": t.value,
                "low": t.pattern.low,
                "high": t.pattern.high,
                "predictive_mean": mean,
                "predictive_q05": float(lo),
                "predictive_q95": float(hi),
                "n_not_observed": int(x.size - ok.size),
                # a posterior predictive check: is the target a plausible draw of the model?
                "status": "pass" if lo <= t.value <= hi else "miss",
                "source": t.pattern.source,
            }
        )
    return pd.DataFrame(rows), sims
