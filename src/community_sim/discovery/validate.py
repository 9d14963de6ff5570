"""Checks of a discovered box on data that did not choose it (``discover --validate``).

The quasi-p-values PRIM reports are computed on the points whose peeling chose
the box, so they are optimistic: a box chosen as the best of many candidates
looks significant even on pure noise. Two honest alternatives:

- ``holdout``: the method runs on a random half of the points; each box's
  density, coverage and quasi-p-values are then computed on the other half,
  which played no part in choosing it;
- ``permutation``: the whole search (peeling, choice, pruning) is repeated on
  ``n_perm`` random relabellings of the cases; the p-value of the first box is
  the share of relabellings whose first box scores at least as well
  (coverage × density, the choice criterion; 0 when none reaches
  ``min_density``), counting the data itself (Phipson & Smyth 2010). The test
  includes the search's selection, which the quasi-p-values do not.

Both are written here: neither EMA Workbench nor scikit-learn offers them.

References
----------
Bryant, B.P. & Lempert, R.J. (2010) Thinking inside the box. Technological
    Forecasting and Social Change 77, 34–49 (sec. 3.2, quasi-p-values).
Phipson, B. & Smyth, G.K. (2010) Permutation p-values should never be zero.
    Statistical Applications in Genetics and Molecular Biology 9(1), 39.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from community_sim.discovery.boxes import Discovery, box_counts, in_box, quasi_p
from community_sim.discovery.settings import Settings
from community_sim.discovery.space import Space

Method = Callable[[Space, np.ndarray, Settings], Discovery]
VALIDATIONS = ("holdout", "permutation")
N_PERMUTATIONS = 99


def _score(found: Discovery) -> float:
    """The first box's coverage × density, 0 when the method found none."""
    if not found.boxes:
        return 0.0
    b = found.boxes[0]
    return b.coverage * b.density


def permutation_p(
    space: Space,
    coi: np.ndarray,
    settings: Settings,
    method: Method,
    *,
    n_perm: int = N_PERMUTATIONS,
    seed: int = 0,
) -> tuple[float, float, int]:
    """(observed score, permutation p-value, permutations) of the first box."""
    one = replace(settings, max_boxes=1)
    observed = _score(method(space, coi, one))
    rng = np.random.default_rng(seed)
    hits = sum(_score(method(space, rng.permutation(coi), one)) >= observed for _ in range(n_perm))
    return observed, (1 + hits) / (n_perm + 1), n_perm


def holdout_lines(
    space: Space, coi: np.ndarray, settings: Settings, method: Method, *, seed: int = 0
) -> list[str]:
    """Boxes found on a random half, judged on the other half: one line per box."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(coi))
    train, test = np.sort(order[: len(coi) // 2]), np.sort(order[len(coi) // 2 :])

    def half(rows: np.ndarray) -> Space:
        return Space(space.dims, space.frame.iloc[rows].reset_index(drop=True))

    found = method(half(train), coi[train], settings)
    held = half(test)
    y = np.asarray(coi[test], dtype=bool)
    lines = [
        f"holdout validation: boxes found on {len(train)} random points, judged on the "
        f"other {len(test)}:"
    ]
    if not found.boxes:
        return [*lines, "  no box was found on the training half"]
    for b in found.boxes:
        n, k = box_counts(in_box(held.frame, b.limits), y)
        density = k / n if n else float("nan")
        coverage = k / y.sum() if y.sum() else float("nan")
        qp = quasi_p(held.frame, y, b.limits)
        worst = max((v for pair in qp.values() for v in pair if np.isfinite(v)), default=np.nan)
        lines.append(
            f"  box {b.index}: density {b.density:.2f} → {density:.2f} held out, coverage "
            f"{b.coverage:.2f} → {coverage:.2f}, largest held-out quasi-p {worst:.2g}"
        )
    return lines


def validation_lines(
    kind: str, space: Space, coi: np.ndarray, settings: Settings, method: Method, seed: int = 0
) -> list[str]:
    """The report's lines for ``--validate kind``."""
    if kind == "holdout":
        return holdout_lines(space, coi, settings, method, seed=seed)
    score, p, n = permutation_p(space, coi, settings, method, seed=seed)
    return [
        f"permutation validation: first box's coverage × density {score:.3f}; p = {p:.3g} "
        f"over {n} relabellings of the cases (the whole search repeated on each)"
    ]
