"""Same-seed pairs of runs: each policy's outcomes minus the baseline policy's.

Written by the engine as ``paired_runs.parquet`` when a spec has ``compare``, and
read by the comparison analysis; it only lays the store's runs out in pairs, so it
lives with the store, below the analysis.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

PAIR_KEYS = ("point", "replicate")
"""The columns that identify a pair: every policy of ``compare`` has the same seed there."""


def _ok(runs: pd.DataFrame) -> pd.DataFrame:
    return runs[runs["status"] == "ok"] if "status" in runs.columns else runs


def _policies(runs: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(runs["policy"].dropna().tolist()))


def paired_table(
    runs: pd.DataFrame, outcomes: Sequence[str], *, baseline: str | None = None
) -> pd.DataFrame:
    """Per (point, replicate) and policy: each outcome minus the baseline policy's.

    Every pair whose two runs are ``ok`` appears; a difference is NaN where
    either outcome is undefined. ``baseline`` defaults to the first policy.
    """
    ok = _ok(runs)
    pols = _policies(ok)
    cols = ["point", "replicate", "policy", "baseline", *outcomes]
    if not pols:
        return pd.DataFrame(columns=cols)
    base = baseline if baseline is not None else pols[0]
    keys = list(PAIR_KEYS)
    ref = ok[ok["policy"] == base].drop_duplicates(keys).set_index(keys)[list(outcomes)]
    frames = []
    for pol in pols:
        if pol == base:
            continue
        other = ok[ok["policy"] == pol].drop_duplicates(keys).set_index(keys)[list(outcomes)]
        both = other.index.intersection(ref.index)
        if not len(both):
            continue
        diff = (other.loc[both] - ref.loc[both]).sort_index().reset_index()
        diff.insert(2, "policy", pol)
        diff.insert(3, "baseline", base)
        frames.append(diff)
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True).loc[:, cols]
