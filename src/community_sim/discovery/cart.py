"""CART through scikit-learn: a classification tree whose leaves are boxes.

A classification tree (Breiman et al. 1984) splits the space recursively,
one parameter at a time, into leaves that are boxes. Scenario discovery reads
the leaves where cases dominate as the boxes (Lempert et al. 2008): here every
leaf with density at least ``min_density``, largest number of cases first, up
to ``max_boxes``. The leaves are disjoint, so no covering step is needed; the
"trajectory" lists every leaf, which shows the trade-off the tree offers.

scikit-learn's ``DecisionTreeClassifier`` (Gini impurity, ``random_state=0``,
leaves of at least ``mass_min`` of the points) grows the tree. Categorical
parameters enter as one 0/1 column per value, so a split keeps or drops one
value; integer parameters split between integers. Quasi-p-values are those
of :func:`.boxes.quasi_p`.

References
----------
Breiman, L., Friedman, J.H., Olshen, R.A. & Stone, C.J. (1984) Classification
    and Regression Trees. Wadsworth, Belmont CA.
Lempert, R.J., Bryant, B.P. & Bankes, S.C. (2008) Comparing algorithms for
    scenario discovery. RAND Working Paper WR-557-NSF.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from community_sim.discovery.boxes import (
    TRAJECTORY_COLUMNS,
    Box,
    Discovery,
    Limit,
    box_counts,
    in_box,
    is_restricted,
    quasi_p,
)
from community_sim.discovery.settings import Settings
from community_sim.discovery.space import Space


def features(space: Space) -> tuple[np.ndarray, list[tuple[str, str | None]]]:
    """The tree's input matrix and, per column, ``(parameter, categorical value or None)``."""
    cols: list[np.ndarray] = []
    meaning: list[tuple[str, str | None]] = []
    for d in space.dims:
        col = space.frame[d.name]
        if d.kind == "cat":
            text = col.astype(str).to_numpy()
            for v in d.values:
                cols.append((text == v).astype(float))
                meaning.append((d.name, v))
        else:
            cols.append(col.to_numpy(dtype=float))
            meaning.append((d.name, None))
    return np.column_stack(cols), meaning


def leaf_limits(tree, meaning: list[tuple[str, str | None]], space: Space) -> dict[int, dict]:
    """Each leaf's box: intervals from threshold splits, value sets from one-hot splits."""
    t = tree.tree_
    out: dict[int, dict] = {}

    def walk(node: int, limits: dict[str, Limit]) -> None:
        left, right = t.children_left[node], t.children_right[node]
        if left == right:  # a leaf
            out[node] = dict(limits)
            return
        name, value = meaning[t.feature[node]]
        thr = float(t.threshold[node])
        if value is None:
            lo, hi = limits.get(name, (-math.inf, math.inf))  # type: ignore[misc]
            walk(left, {**limits, name: (lo, min(hi, thr))})
            walk(right, {**limits, name: (max(lo, thr), hi)})
        else:
            allowed = limits.get(name, frozenset(space.dim(name).values))
            walk(left, {**limits, name: frozenset(allowed) - {value}})
            walk(right, {**limits, name: frozenset(allowed) & {value}})

    walk(0, {})
    return out


def _tidy(limits: dict[str, Limit], space: Space) -> dict[str, Limit]:
    """Open sides at the data's extremes, integers snapped; drop limits that exclude nothing."""
    tidy: dict[str, Limit] = {}
    for name, limit in limits.items():
        if not isinstance(limit, frozenset):
            x = space.frame[name].to_numpy(dtype=float)
            lo = limit[0] if math.isfinite(limit[0]) else float(x.min())
            hi = limit[1] if math.isfinite(limit[1]) else float(x.max())
            if space.dim(name).kind == "int":  # a split between integers: those it admits
                lo, hi = float(math.ceil(lo - 1e-9)), float(math.floor(hi + 1e-9))
            limit = (lo, hi)
        if is_restricted(space, space.frame, name, limit):
            tidy[name] = limit
    return tidy


def run_cart(space: Space, coi: np.ndarray, settings: Settings) -> Discovery:
    """Boxes of the cases ``coi`` (one bool per row of ``space.frame``) from a CART tree."""
    from sklearn.tree import DecisionTreeClassifier

    X, meaning = features(space)
    y = np.asarray(coi, dtype=bool)
    n_all, k_all = len(y), int(y.sum())
    tree = DecisionTreeClassifier(
        min_samples_leaf=max(1, math.ceil(settings.mass_min * n_all)), random_state=0
    ).fit(X, y)
    leaves = []
    for node, raw in leaf_limits(tree, meaning, space).items():
        limits = _tidy(raw, space)
        n, k = box_counts(in_box(space.frame, limits), y)
        leaves.append((node, limits, n, k))
    # most cases first, then the denser, then tree order: a stable, documented order
    leaves.sort(key=lambda leaf: (-leaf[3], -(leaf[3] / leaf[2] if leaf[2] else 0), leaf[0]))
    boxes: list[Box] = []
    rows = []
    for step, (_node, limits, n, k) in enumerate(leaves):
        density = k / n if n else float("nan")
        chosen = density >= settings.min_density - 1e-12 and len(boxes) < settings.max_boxes
        if chosen:
            boxes.append(
                Box(
                    index=len(boxes) + 1,
                    limits=limits,
                    coverage=k / k_all,
                    density=density,
                    mass=n / n_all,
                    n=n,
                    k=k,
                    qp=quasi_p(space.frame, y, limits),
                )
            )
        rows.append(
            {
                "box": len(boxes) if chosen else 0,
                "step": step,
                "coverage": k / k_all,
                "density": density,
                "mass": n / n_all,
                "res_dim": len(limits),
                "n": n,
                "k": k,
                "selected": chosen,
            }
        )
    notes = [f"CART tree with {len(leaves)} leaves; leaves are listed under box 0 unless chosen"]
    if not boxes:
        notes.append(f"no leaf reaches density {settings.min_density:g}")
    return Discovery("cart", boxes, pd.DataFrame(rows, columns=TRAJECTORY_COLUMNS), notes)
