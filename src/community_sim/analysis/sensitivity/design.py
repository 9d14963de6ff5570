"""What an analysis needs to know about the stored design, read, never re-typed.

Everything here comes from the store's ``manifest.json`` (design summary) and
``design.parquet`` (the points, in sample order). The checks are ours, before
any SALib call: SALib does not verify that N is a power of two or that the
second-order flag matches the sample.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from community_sim.errors import UserError

log = logging.getLogger(__name__)

MIN_SOBOL_N = 8
"""Below this many base rows the bootstrap and the N/8 convergence step are meaningless."""


#: methods that need a particular design kind; the others take any sample of the inputs
METHOD_NEEDS: dict[str, tuple[str, ...]] = {
    "sobol": ("sobol", "saltelli"),
    "morris": ("morris",),
    "fast": ("fast",),
}


@dataclass(frozen=True)
class DesignInfo:
    """The design summary of an experiment and its points in sample order."""

    kind: str
    names: tuple[str, ...]
    bounds: tuple[tuple[float, float], ...]
    X: np.ndarray  # (n_points, D) in sample order
    n_base: int | None = None  # Sobol N (or FAST samples per parameter)
    second_order: bool = False
    levels: int | None = None  # Morris grid levels
    trajectories: int | None = None  # Morris trajectories
    fast_m: int = 4  # FAST interference parameter M
    emulator: str | None = None  # sobol: indices from an emulator of these n points
    min_q2: float = 0.9  # the emulator's held-out Q² below which its indices are refused

    @property
    def n_points(self) -> int:
        return int(self.X.shape[0])

    @property
    def dim(self) -> int:
        return len(self.names)

    def problem(self) -> dict[str, object]:
        """A SALib problem dict for these parameters."""
        return {
            "num_vars": self.dim,
            "names": list(self.names),
            "bounds": [list(b) for b in self.bounds],
        }


def design_matrix(design: pd.DataFrame, names: tuple[str, ...], source: str) -> np.ndarray:
    """The design's parameter columns in sample order (sorted by ``point``)."""
    missing = [n for n in names if n not in design.columns]
    if missing:
        raise UserError(
            f"design has no column for {', '.join(missing)}; the store is incomplete, rerun it",
            source=source,
        )
    if "point" in design.columns:
        design = design.sort_values("point", kind="stable")
        points = design["point"].to_numpy()
        if not np.array_equal(points, np.arange(len(points))):
            raise UserError("design points are not numbered 0..n-1; rerun it", source=source)
    try:
        return design.loc[:, list(names)].to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise UserError(
            "design has non-numeric varied parameters; only numeric ones can be analysed",
            source=source,
        ) from None


def check_for_method(info: DesignInfo, method: str, source: str) -> list[str]:
    """Refuse a method the design cannot support; return warnings worth reporting."""
    needs = METHOD_NEEDS.get(method)
    if needs and info.kind not in needs:
        raise UserError(
            f"method {method!r} needs a {needs[0]} design but this experiment used "
            f"{info.kind!r}; pick another --method or rerun with a {needs[0]} design",
            source=source,
        )
    if info.dim == 0:
        raise UserError("the design varies no parameter; nothing to analyse", source=source)
    notes: list[str] = []
    if method == "sobol" and info.emulator is not None:
        if info.n_points != info.n_base:
            raise UserError(
                f"{info.n_points} design points do not match the emulator's n = {info.n_base}; "
                "the store is inconsistent, rerun the experiment",
                source=source,
            )
    elif method == "sobol":
        n = info.n_base
        if n is None:
            raise UserError("the manifest's design summary has no N", source=source)
        from community_sim.analysis.sensitivity.sobol import saltelli_rows  # SciPy: only for Sobol'

        expected = saltelli_rows(n, info.dim, info.second_order)
        if info.n_points != expected:
            raise UserError(
                f"{info.n_points} design points do not match N={n}, {info.dim} parameters, "
                f"second order {info.second_order} ({expected} expected); the store is "
                "inconsistent, rerun the experiment",
                source=source,
            )
        if n < MIN_SOBOL_N:
            raise UserError(
                f"N={n} is too small for Sobol indices; use N >= {MIN_SOBOL_N} "
                "(>= 512 for stable indices)",
                source=source,
            )
        if n & (n - 1):
            notes.append(
                f"N={n} is not a power of two: the Sobol' sequence loses its balance "
                "and indices converge more slowly; prefer N=2^k"
            )
    if method == "morris":
        if not info.levels or not info.trajectories:
            raise UserError("the manifest's design summary lacks Morris levels", source=source)
        if info.n_points != info.trajectories * (info.dim + 1):
            raise UserError(
                f"{info.n_points} design points do not form {info.trajectories} Morris "
                f"trajectories of {info.dim} parameters; rerun the experiment",
                source=source,
            )
    if method == "fast" and info.n_points % info.dim:
        raise UserError(
            f"{info.n_points} design points are not a FAST sample of {info.dim} parameters",
            source=source,
        )
    for note in notes:
        log.warning("%s: %s", source, note)
    return notes
