"""Convergence of Sobol' indices over growing prefixes of the sample.

A Sobol' sequence of N = 2^k base rows is balanced at every power-of-two
prefix, so N/8, N/4, N/2 and N rows are each a valid, smaller design
(Saltelli et al. 2010, sec. 4). Indices and bootstrap CIs at these sizes show
whether N was large enough; :func:`convergence_warnings` states the usual
symptoms in words.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from community_sim.analysis.sensitivity.sobol import SaltelliBlocks, sobol_indices

CI_WIDTH_LIMIT = 0.1
"""A CI (low to high) wider than this is reported: the index is not pinned down."""
TIE = 0.01
"""Indices closer than this count as tied; swapping them is no change of ranking."""
MIN_ROWS = 4
MAX_LISTED = 3


def subsample_sizes(n: int) -> list[int]:
    """N/8, N/4, N/2, N (those with at least MIN_ROWS rows), ascending."""
    return [m for m in (n // 8, n // 4, n // 2, n) if m >= MIN_ROWS and (m == n or n % m == 0)]


def sobol_convergence(
    y: SaltelliBlocks,
    noise: SaltelliBlocks | None,
    names: tuple[str, ...],
    *,
    n_boot: int,
    conf_level: float,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Rows ``parameter, index, n, value, conf_low, conf_high`` for S1 and ST at each size."""
    rows: list[tuple[str, str, int, float, float, float]] = []
    for n in subsample_sizes(y.A.shape[0]):
        keep = np.arange(n)
        res = sobol_indices(
            y.take(keep),
            None if noise is None else noise.take(keep),
            n_boot=n_boot,
            conf_level=conf_level,
            rng=rng,
        )
        for index, value, conf in (("S1", res.S1, res.S1_conf), ("ST", res.ST, res.ST_conf)):
            for name, v, c in zip(names, value, conf, strict=True):
                rows.append((name, index, n, float(v), float(v - c), float(v + c)))
    return pd.DataFrame(rows, columns=["parameter", "index", "n", "value", "conf_low", "conf_high"])


def _order(values: pd.Series) -> list[str]:
    return list(values.sort_values(ascending=False, kind="stable").index)


def convergence_warnings(conv: pd.DataFrame, label: str) -> list[str]:
    """Plain-language warnings for one output/target's convergence table."""
    if conv.empty:
        return []
    out: list[str] = []
    sizes = sorted(conv["n"].unique())
    last = conv[conv["n"] == sizes[-1]]
    wide: list[str] = []
    for r in last.itertuples():
        if np.isfinite(r.value) and r.conf_high < 0:
            out.append(
                f"{label}: {r.index} of {r.parameter} is negative beyond its CI "
                f"({r.value:.3f}, CI [{r.conf_low:.3f}, {r.conf_high:.3f}]); increase N"
            )
        if np.isfinite(r.value) and r.conf_high - r.conf_low > CI_WIDTH_LIMIT:
            wide.append((r.conf_high - r.conf_low, f"{r.index} of {r.parameter}"))
    if wide:
        width, which = max(wide)
        out.append(
            f"{label}: {len(wide)} of {len(last)} CIs are wider than {CI_WIDTH_LIMIT} at "
            f"n={sizes[-1]} (widest {width:.3f}, {which}); increase N"
        )
    if len(sizes) >= 2:
        prev = conv[conv["n"] == sizes[-2]]
        for index in ("S1", "ST"):
            now = last[last["index"] == index].set_index("parameter")["value"]
            before = prev[prev["index"] == index].set_index("parameter")["value"]
            swapped = sorted(
                {
                    f"{a}/{b}"
                    for a in now.index
                    for b in now.index
                    if now[a] > now[b] + TIE and before[a] < before[b] - TIE
                }
            )
            if swapped:
                more = f" and {len(swapped) - MAX_LISTED} more" if len(swapped) > MAX_LISTED else ""
                out.append(
                    f"{label}: ranking by {index} still changes between n={sizes[-2]} and "
                    f"n={sizes[-1]} ({', '.join(swapped[:MAX_LISTED])}{more}); increase N"
                )
    return out
