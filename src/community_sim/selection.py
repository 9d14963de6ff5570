"""Who joins, by size: the share of firm-months each size class spends in each kind of tie.

Firms fall into four size classes: the leading firms, and the SMEs in thirds of
their initial headcount (by rank, ties broken by firm index). Each month after the
burn-in, each firm is in a council (an integrated tie), in a project contract, or in
no tie (:attr:`community_sim.metrics.Recorder.tie_kind`). :func:`selection_counts`
counts firm-months of one run; :func:`selection_table` runs a scenario over seeds
and policies and pools the counts into shares (every seed's firm-months weigh
alike). :func:`markdown` prints the table as the ODD shows it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from community_sim.state import INTEGRATED, NO_TIE, PROJECT

if TYPE_CHECKING:
    from community_sim.model import CommunityModel

SIZE_CLASSES = ("leading", "SME, top third", "SME, middle third", "SME, bottom third")
"""Size classes, largest first (SME thirds by initial headcount)."""
TIE_COLUMNS = {"council": INTEGRATED, "project": PROJECT, "none": NO_TIE}
"""Columns of the table and the tie-kind code each counts."""


def size_class(is_leading: np.ndarray, headcount0: np.ndarray) -> np.ndarray:
    """Each firm's index into :data:`SIZE_CLASSES`."""
    out = np.zeros(is_leading.size, dtype=np.int64)
    smes = np.flatnonzero(~is_leading)
    # Largest first; a stable sort on the negated headcount keeps firm order among equals.
    ranked = smes[np.argsort(-headcount0[smes], kind="stable")]
    for k, part in enumerate(np.array_split(ranked, 3)):
        out[part] = k + 1
    return out


def selection_counts(model: CommunityModel) -> pd.DataFrame:
    """Firm-months after the burn-in by size class (rows) and kind of tie (columns).

    Also the number of firms in each class (column ``firms``).
    """
    rec = model.recorder
    lo, steps = int(model.p["burn_in_months"]), rec.month
    n_f = len(model.enterprises)
    kinds = rec.tie_kind[lo:steps] if rec.tie_kind is not None else np.zeros((0, n_f), np.int8)
    leading = np.array([e.is_leading for e in model.enterprises], dtype=bool)
    cls = size_class(leading, np.asarray(model.firms.headcount0, dtype=float))
    rows = []
    for k, name in enumerate(SIZE_CLASSES):
        block = kinds[:, cls == k]
        row: dict[str, Any] = {"size_class": name, "firms": int(np.count_nonzero(cls == k))}
        for col, code in TIE_COLUMNS.items():
            row[col] = int(np.count_nonzero(block == code))
        rows.append(row)
    return pd.DataFrame(rows).set_index("size_class")


def _run_counts(params: Mapping[str, Any], seed: int) -> pd.DataFrame:
    from community_sim.model import CommunityModel  # the model only when a run is asked for

    model = CommunityModel(seed=seed, **params)
    try:
        for _ in range(int(model.p["horizon_months"])):
            model.step()
        return selection_counts(model)
    finally:
        model.release()


def selection_table(
    scenario: str | Path | Mapping[str, Any],
    seeds: Iterable[int] = range(8),
    policies: Iterable[str] = ("project", "integrated"),
) -> pd.DataFrame:
    """Shares of firm-months in a council, a project contract or no tie, by size class.

    ``scenario`` is a scenario file (TOML) or a mapping of parameter overrides; each
    policy overrides its ``policy``. Counts are pooled over ``seeds`` before dividing.
    Columns: policy, size class, firms (mean per run), firm-months, and the shares.
    """
    if isinstance(scenario, str | Path):
        from community_sim.params.scenarios import load_scenario

        base = dict(load_scenario(scenario).overrides)
    else:
        base = dict(scenario)
    seeds = list(seeds)
    if not seeds:
        raise ValueError("selection_table: no seeds; pass at least one, e.g. seeds=range(8)")
    frames = []
    for policy in policies:
        counts = [_run_counts({**base, "policy": policy}, s) for s in seeds]
        total = counts[0]
        for more in counts[1:]:
            total = total + more
        months = total[list(TIE_COLUMNS)].sum(axis=1)
        shares = total[list(TIE_COLUMNS)].div(months.where(months > 0), axis=0)
        out = shares.assign(firms=total["firms"] / len(seeds), firm_months=months)
        frames.append(out.reset_index().assign(policy=policy))
    cols = ["policy", "size_class", "firms", "firm_months", *TIE_COLUMNS]
    return pd.concat(frames, ignore_index=True)[cols]


def markdown(table: pd.DataFrame) -> str:
    """The table as Markdown, shares to two decimals."""
    head = "| policy | size class | firms | firm-months | council | project | none |"
    lines = [head, "|---|---|---:|---:|---:|---:|---:|"]
    for r in table.itertuples(index=False):
        lines.append(
            f"| {r.policy} | {r.size_class} | {r.firms:.1f} | {int(r.firm_months):,} | "
            f"{r.council:.2f} | {r.project:.2f} | {r.none:.2f} |"
        )
    return "\n".join(lines)
