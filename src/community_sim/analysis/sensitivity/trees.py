"""Feature scoring: extra-trees importances of the design's parameters, on any design.

For each output (with ``compare``, the paired difference ``diff:<outcome>``
too), an ensemble of extremely randomised regression trees (Geurts, Ernst &
Wehenkel 2006; scikit-learn's ``ExtraTreesRegressor``) is fitted to every
defined run's value from the parameters of its design point, as EMA
Workbench's ``feature_scoring.get_ex_feature_scores`` does. A parameter's
score is its mean decrease in impurity, normalised to sum to 1 over the
parameters (for an additive output and fully grown trees close to its share
of the variance the trees explain; Louppe et al. 2013); ``score_sd`` is the
SD of that importance over the trees. Leaves hold at least 2.5% of the runs
(at most 10), so that the trees average replicate noise rather than split on
it (fully grown trees give a parameter that does nothing a share of the
noise). The trees are grown on bootstrap
samples so that the out-of-bag R² (``oob_r2``) says how much of the output
the parameters explain at all: importances of an output the trees cannot
predict (R² ≤ 0, replicate noise only) rank noise, and the report says so.

References
----------
Geurts, P., Ernst, D. & Wehenkel, L. (2006) Extremely randomized trees.
    Machine Learning 63, 3–42.
Louppe, G. et al. (2013) Understanding variable importances in forests of
    randomized trees. NIPS 26.
Kwakkel, J.H. (2017) The Exploratory Modeling Workbench. Environmental
    Modelling & Software 96, 239–250 (feature scoring).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from community_sim.analysis.sensitivity.design import DesignInfo
from community_sim.analysis.sensitivity.replicates import Replicated

N_TREES = 250
MAX_LEAF = 10
COLUMNS = ["output", "parameter", "score", "score_sd", "rank", "n", "oob_r2"]


def _rows(info: DesignInfo, out: Replicated) -> tuple[np.ndarray, np.ndarray]:
    """Every defined run as (parameters of its point, value)."""
    values = np.asarray(out.values, dtype=float)
    reps = values.shape[1]
    X = np.repeat(info.X, reps, axis=0)
    y = values.reshape(-1)
    ok = np.isfinite(y)
    return X[ok], y[ok]


def feature_scores(
    info: DesignInfo, outputs: Mapping[str, Replicated], *, seed: int = 0, n_trees: int = N_TREES
) -> tuple[pd.DataFrame, list[str]]:
    """The ``feature_scores`` table and warnings (outputs the trees cannot predict)."""
    from sklearn.ensemble import ExtraTreesRegressor

    rows: list[dict[str, object]] = []
    warnings: list[str] = []
    for name, out in outputs.items():
        X, y = _rows(info, out)
        if len(y) < 10 or np.ptp(y) == 0:
            warnings.append(f"{name}: {len(y)} defined runs, range {np.ptp(y) if len(y) else 0:g}; "
                            "no feature scores")  # fmt: skip
            continue
        model = ExtraTreesRegressor(
            n_estimators=n_trees,
            bootstrap=True,
            oob_score=True,
            # leaves of >= 2.5% of the runs (at most 10): average replicate noise, not fit it
            min_samples_leaf=max(1, min(MAX_LEAF, len(y) // 40)),
            random_state=seed,
            n_jobs=1,
        )
        model.fit(X, y)
        per_tree = np.array([t.feature_importances_ for t in model.estimators_])
        score = model.feature_importances_
        order = np.argsort(-score, kind="stable")
        rank = np.empty(len(score), dtype=int)
        rank[order] = np.arange(1, len(score) + 1)
        r2 = float(model.oob_score_)
        if r2 <= 0:
            warnings.append(
                f"{name}: the parameters do not predict it (out-of-bag R² {r2:.2f}); "
                "its feature scores rank noise"
            )
        for j, param in enumerate(info.names):
            rows.append(
                {
                    "output": name,
                    "parameter": param,
                    "score": float(score[j]),
                    "score_sd": float(per_tree[:, j].std(ddof=1)),
                    "rank": int(rank[j]),
                    "n": len(y),
                    "oob_r2": r2,
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS), warnings


def feature_text(table: pd.DataFrame, warnings: list[str]) -> list[str]:
    """Report lines: each output's parameters by score."""
    lines = ["Feature scores (extra trees, mean decrease in impurity; out-of-bag R²):"]
    for output, g in table.groupby("output", sort=False):
        cells = [f"{r.parameter} {r.score:.3f}" for r in g.sort_values("rank").itertuples()]
        lines.append(f"  {output} (R² {g['oob_r2'].iloc[0]:.2f}): " + "; ".join(cells))
    if warnings:
        lines += ["Warnings:", *(f"  - {w}" for w in warnings)]
    return lines
