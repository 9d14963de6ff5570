"""Writing a discovery folder: tables, report, record and figures, deterministic bytes."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from community_sim.discovery.space import Space

FIGURE_STEMS = ("tradeoff", "limits", "pairs")
"""The figures of a discovery folder, under ``figures/``."""

MAX_PAIRS = 4
"""At most this many parameters in the pairs scatter (the first box's restricted ones first)."""


def write_all(
    folder: Path,
    tables: Mapping[str, tuple[pd.DataFrame, str | None]],
    report: str,
    record: Mapping[str, Any],
    space: Space,
    *,
    formats: Sequence[str],
    dpi: float | None,
) -> list[Path]:
    """Write everything into ``folder`` (empty, new); return the paths written."""
    files: list[Path] = []
    for stem, (df, latex) in tables.items():
        df.to_parquet(folder / f"{stem}.parquet", index=False)
        df.to_csv(folder / f"{stem}.csv", index=False)
        files += [folder / f"{stem}.parquet", folder / f"{stem}.csv"]
        if latex is not None:
            (folder / f"{stem}.tex").write_text(latex, encoding="utf-8")
            files.append(folder / f"{stem}.tex")
    (folder / "report.txt").write_text(report, encoding="utf-8")
    text = json.dumps(dict(record), indent=2, sort_keys=True) + "\n"
    (folder / "discovery.json").write_text(text, encoding="utf-8")
    files += [folder / "report.txt", folder / "discovery.json"]
    files += write_figures(folder / "figures", tables, record, space, formats=formats, dpi=dpi)
    return files


def pair_dims(space: Space, limits: pd.DataFrame) -> list[tuple[str, str, tuple[str, ...]]]:
    """Parameters of the pairs scatter: box 1's restricted ones, best supported (smallest
    quasi-p-value) first, then the others in the space's order; 2 to 4 of them."""
    box1 = limits[limits["box"] == 1]
    qp = box1[["qp_lower", "qp_upper"]].min(axis=1, skipna=True).fillna(1.0).to_numpy()
    order_qp = sorted(range(len(box1)), key=lambda i: (qp[i], i))
    first = [str(box1["parameter"].iloc[i]) for i in order_qp]
    first = [p for p in first if p in space.names]
    order = first + [n for n in space.names if n not in first]
    k = max(2, min(MAX_PAIRS, len(first)))
    return [(d.name, d.kind, d.values) for d in (space.dim(n) for n in order[:k])]


def write_figures(
    folder: Path,
    tables: Mapping[str, tuple[pd.DataFrame, str | None]],
    record: Mapping[str, Any],
    space: Space,
    *,
    formats: Sequence[str],
    dpi: float | None,
) -> list[Path]:
    """The trade-off curve, box limits and pairs scatter, in the paper style."""
    from community_sim.figures.discovery import plot_box_limits, plot_pairs, plot_tradeoff
    from community_sim.figures.layout import letter_panels, panel_grid
    from community_sim.figures.style import get_style, new_axes, save_figure, style_context

    style = get_style("paper")
    meta = {"experiment": str(record["experiment"]), "spec_hash": str(record["spec_hash"])}
    meta |= {"target": str(record["target"]), "method": str(record["method"])}
    trajectory, limits, cases = (tables[k][0] for k in ("trajectory", "limits", "cases"))
    files: list[Path] = []
    with style_context(style):
        ax = plot_tradeoff(trajectory, new_axes(None))
        letter_panels([ax], [f"Coverage–density trade-off: {record['target']}"])
        fig = ax.get_figure()
        files += save_figure(
            fig, folder / "tradeoff", formats, title="trade-off", meta=meta, dpi=dpi
        )
        boxes = sorted(int(b) for b in limits["box"].unique())
        if boxes:
            fig, axes = panel_grid(len(boxes), style, ncols=min(2, len(boxes)), panel_aspect=0.8)
            for b, ax in zip(boxes, axes, strict=True):
                plot_box_limits(limits, b, ax)
            letter_panels(axes, [f"Box {b}" for b in boxes])
            files += save_figure(
                fig, folder / "limits", formats, title="box limits", meta=meta, dpi=dpi
            )
        dims = pair_dims(space, limits)
        fig = plot_pairs(cases, dims, limits, style)
        files += save_figure(fig, folder / "pairs", formats, title="pairs", meta=meta, dpi=dpi)
    return files
