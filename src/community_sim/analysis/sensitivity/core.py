"""The analysis of in-memory outputs: checks, method, noise, convergence.

:func:`analyze_outputs` takes the design (in sample order) and each output as
a point × replicate matrix; it knows nothing of files. Targets per output:

- ``mean``: indices of the replicate mean; for Sobol' with R >= 2 corrected
  for the noise left in the mean (``sobol.py``), i.e. indices of ``E[Y|x]``;
- ``sd`` (Sobol' with R >= 4): indices of the per-point standard deviation —
  which parameters drive the model's variability — corrected for the sampling
  noise of the s.d. estimate itself (``Replicated.sd_halves``). Uncorrected,
  that noise gives every parameter ST near 1 when nothing drives the spread.
  With fewer replicates, or another method, no correction is possible and the
  target is not reported (the notes say why).

With R = 1 the report says how noise biases each index (``validity.py``),
unless the model declares itself deterministic. Indices far outside [0, 1] or
without a confidence interval are reported as undefined, with the reason.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from community_sim.analysis.sensitivity.convergence import convergence_warnings, sobol_convergence
from community_sim.analysis.sensitivity.design import DesignInfo, check_for_method
from community_sim.analysis.sensitivity.methods import (
    CONF_LEVEL,
    METHODS,
    N_RESAMPLES,
    MethodOutput,
)
from community_sim.analysis.sensitivity.replicates import Replicated, check_finite, noise_summary
from community_sim.analysis.sensitivity.sobol import split_saltelli
from community_sim.analysis.sensitivity.validity import (
    BIAS_BY_METHOD,
    flag_indices,
    flag_s2,
    noise_bias_warning,
)
from community_sim.errors import UserError

log = logging.getLogger(__name__)

INDEX_COLUMNS = [
    "method", "output", "target", "parameter", "S1", "S1_conf", "ST", "ST_conf", "note",
    "imputed",
]  # fmt: skip
S2_COLUMNS = ["output", "target", "param_i", "param_j", "S2", "S2_conf", "note", "imputed"]
SD_MIN_REPLICATES = 4
"""The s.d. target needs two half-samples of at least two replicates each."""
MORRIS_COLUMNS = [
    "output", "target", "parameter", "mu", "mu_star", "sigma", "mu_star_conf", "imputed",
]  # fmt: skip
CONVERGENCE_COLUMNS = [
    "method",
    "output",
    "target",
    "parameter",
    "index",
    "n",
    "value",
    "conf_low",
    "conf_high",
]
NOISE_COLUMNS = ["output", "replicates", "noise_share", "total_var", "within_var"]


@dataclass
class AnalysisTables:
    """Tidy result tables of one analysis, plus the lines its report needs."""

    method: str
    design: DesignInfo
    replicates: int
    outputs: list[str]
    indices: pd.DataFrame | None = None
    s2: pd.DataFrame | None = None
    morris: pd.DataFrame | None = None
    convergence: pd.DataFrame | None = None
    noise: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NOISE_COLUMNS))
    emulator: pd.DataFrame | None = None  # held-out validation of an emulator, per output
    notes: list[str] = field(default_factory=list)  # checks and corrections applied
    warnings: list[str] = field(default_factory=list)  # things a reader must know


def output_rng(seed: int, output: str, target: str) -> np.random.Generator:
    """A generator per (output, target), independent of the order of analysis."""
    key = zlib.crc32(f"{output}\0{target}".encode())
    return np.random.default_rng(np.random.SeedSequence([seed, key]))


def _targets(out: Replicated, method: str) -> list[tuple[str, np.ndarray, np.ndarray | None]]:
    if out.replicates < 2:
        return [("mean", out.mean(), None)]
    targets = [("mean", out.mean(), out.noise_of_mean())]
    if method == "sobol" and out.replicates >= SD_MIN_REPLICATES and np.ptp(out.values, 1).any():
        sd, sd_noise = out.sd_halves()
        targets.append(("sd", sd, sd_noise))
    return targets


def _replicate_notes(r: int, method: str, exact: bool) -> list[str]:
    """What the report says about replicates: correction applied, or why not."""
    if r < 2:
        return []
    if exact:
        return [
            f"{r} replicates per point agree exactly at every point: the model is "
            "deterministic here, so there is no noise to correct and no spread to analyse"
        ]
    if method != "sobol":
        return [
            f"{r} replicates per point: {method} indices of the replicate mean are not "
            "noise-corrected (only Sobol' is); the noise left in the mean (s2/R) biases "
            f"them as with one replicate, if less: {BIAS_BY_METHOD.get(method, '')}. The "
            "s.d. target is not reported (its sampling noise cannot be corrected for this "
            "method)"
        ]
    sd = (
        "indices of the per-point standard deviation, corrected for its sampling noise, "
        "are under target 'sd'"
        if r >= SD_MIN_REPLICATES
        else f"the s.d. target needs R >= {SD_MIN_REPLICATES} replicates to correct for the "
        "sampling noise of the s.d. (uncorrected, that noise pushes every ST toward 1), so "
        "it is not reported"
    )
    return [
        f"{r} replicates per point: indices of the replicate mean are corrected for the "
        f"noise left in the mean (within-point variance s2/R); {sd}"
    ]


def _tag(frame: pd.DataFrame | None, **cols: str) -> pd.DataFrame | None:
    if frame is None:
        return None
    return frame.assign(**cols)


def _concat(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame | None:
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    return pd.concat(parts, ignore_index=True).loc[:, columns]


def _why_undefined(info: DesignInfo, y: np.ndarray) -> str:
    """Why a non-constant output got no Sobol' indices (the variance they divide by is 0)."""
    if info.kind in ("sobol", "saltelli"):
        blocks = split_saltelli(y, info.dim, info.second_order)
        if np.ptp(np.concatenate([blocks.A, blocks.B])) == 0:
            return (
                "the output is constant over the A and B base rows (it varies only "
                "elsewhere); increase N"
            )
    return (
        "the noise left in it (s2/R for the mean, the s.d.'s sampling noise for 'sd') is "
        "as large as its variance over the design; add replicates, base rows or wider ranges"
    )


def analyze_outputs(
    info: DesignInfo,
    outputs: Mapping[str, Replicated],
    method: str,
    *,
    seed: int = 0,
    impute: str | None = None,
    drop: bool = False,
    reasons: Mapping[str, str] | None = None,
    deterministic: bool | None = None,
    source: str = "experiment",
) -> AnalysisTables:
    """Run ``method`` on every output after our own checks; see the module docstring."""
    if method not in METHODS:
        raise UserError(
            f"unknown method {method!r}; choose {', '.join(METHODS)}", source="--method"
        )
    if not outputs:
        raise UserError("no numeric outputs to analyse", source=source)
    notes = check_for_method(info, method, source)
    fixed, imputed = check_finite(outputs, impute=impute, drop=drop, reasons=reasons, source=source)
    replicates = {o.replicates for o in fixed.values()}
    r = max(replicates)
    tables = AnalysisTables(method, info, r, list(fixed))
    tables.warnings += notes
    tables.notes += imputed
    for out in fixed.values():
        if out.values.shape[0] != info.n_points:
            raise UserError(
                f"output {out.name!r} has {out.values.shape[0]} points, the design "
                f"{info.n_points}; the store is inconsistent",
                source=source,
            )
    tables.noise = pd.DataFrame([noise_summary(o) for o in fixed.values()], columns=NOISE_COLUMNS)
    # runs whose value was imputed, per output: every index table carries the count, so
    # no table, LaTeX or figure shows such indices as those of the model
    imputed = {
        name: int((~np.isfinite(outputs[name].values)).sum()) if impute else 0 for name in fixed
    }
    if method == "sobol" and info.emulator is not None:
        return _mark_imputed(_emulated(tables, info, fixed, seed, source), imputed)
    idx, s2, mor, conv = [], [], [], []
    for name, out in fixed.items():
        for target, y, noise in _targets(out, method):
            label = f"{name} [{target}]"
            if np.ptp(y) == 0:
                tables.warnings.append(f"{label}: constant over the design; indices undefined")
            res: MethodOutput = METHODS[method](info, y, noise, output_rng(seed, name, target))
            indices, pairs = res.indices, res.s2
            if indices is not None and np.ptp(y) > 0 and indices["S1"].isna().all():
                tables.warnings.append(f"{label}: indices undefined — {_why_undefined(info, y)}")
            if indices is not None:
                indices, flags = flag_indices(indices, method, label)
                tables.warnings += flags
            if pairs is not None:
                pairs, flags = flag_s2(pairs, label)
                tables.warnings += flags
            idx.append(_tag(indices, method=method, output=name, target=target))
            s2.append(_tag(pairs, output=name, target=target))
            mor.append(_tag(res.morris, output=name, target=target))
            for part in (idx, s2, mor):
                if part[-1] is not None:
                    part[-1] = part[-1].assign(imputed=imputed[name])
            if method == "sobol":
                c = sobol_convergence(
                    split_saltelli(y, info.dim, info.second_order),
                    None if noise is None else split_saltelli(noise, info.dim, info.second_order),
                    info.names,
                    n_boot=min(N_RESAMPLES, 200),
                    conf_level=CONF_LEVEL,
                    rng=output_rng(seed + 1, name, target),
                )
                c = c.assign(method=method, output=name, target=target)
                conv.append(c)
                tables.warnings += convergence_warnings(c, label)
    tables.indices = _concat(idx, INDEX_COLUMNS)
    tables.s2 = _concat(s2, S2_COLUMNS)
    tables.morris = _concat(mor, MORRIS_COLUMNS)
    tables.convergence = _concat(conv, CONVERGENCE_COLUMNS)
    if method == "fast":
        tables.notes.append(
            "FAST confidence intervals come from SALib's bootstrap and are indicative only "
            "(SALib issue 649)"
        )
    exact = r >= 2 and all(not np.ptp(o.values, axis=1).any() for o in fixed.values())
    tables.notes += _replicate_notes(r, method, exact)
    if r < 2:
        bias = noise_bias_warning(method, deterministic)
        if bias is not None:
            tables.warnings.append(bias)
    return tables


def _mark_imputed(tables: AnalysisTables, imputed: Mapping[str, int]) -> AnalysisTables:
    """The emulated path's counterpart of the ``imputed`` column set per output above."""
    if tables.indices is not None and len(tables.indices):
        tables.indices["imputed"] = tables.indices["output"].map(imputed).fillna(0).astype(int)
    return tables


def _emulated(
    tables: AnalysisTables,
    info: DesignInfo,
    outputs: Mapping[str, Replicated],
    seed: int,
    source: str,
) -> AnalysisTables:
    """Sobol' indices from an emulator of each output (``analysis.sensitivity.emulated``)."""
    from community_sim.analysis.sensitivity.emulated import emulated_indices

    rngs = {name: output_rng(seed, name, "mean") for name in outputs}
    indices, checks, notes = emulated_indices(
        info, outputs, rngs, n_boot=N_RESAMPLES, conf_level=CONF_LEVEL, source=source
    )
    tables.indices = indices.assign(method="sobol", imputed=0).loc[:, INDEX_COLUMNS]
    tables.emulator = checks
    tables.warnings += notes
    tables.notes.append(
        f"indices from a {info.emulator} emulator of E[Y|x] trained on the design points "
        "(every fifth held out to validate it); CIs add the spread over the emulator's "
        "posterior draws to the bootstrap's; the per-point SD is not emulated"
    )
    if tables.replicates < 2:
        tables.notes.append(
            "one replicate per point: the emulator's noise term separates noise from the "
            "mean only as far as the design's neighbouring points allow"
        )
    return tables
