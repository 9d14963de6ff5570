"""``community-sim figures DIR``: every figure an experiment folder's results support.

Which families apply follows from what is stored, never from re-running the
model: runs of several policies give series, outcome distributions and (with
``analysis/paired.parquet``) a forest plot; a grid design gives sweeps and
policy-gap maps; sensitivity tables give index bars, convergence and Morris
plots. A folder with nothing plottable raises UserError saying what is missing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from community_sim.errors import UserError
from community_sim.figures import assemble
from community_sim.figures.labels import base_name
from community_sim.figures.layout import readable_numbers
from community_sim.figures.stored import Stored, load_stored
from community_sim.figures.style import FORMATS, STYLES, get_style, save_figure, style_context

log = logging.getLogger(__name__)

SENSITIVITY_KINDS = ("sobol", "fast", "morris", "lhs")


@dataclass
class Rendered:
    """What one ``figures`` call wrote, and what it skipped and why."""

    files: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def parse_formats(text: str | Iterable[str]) -> list[str]:
    """``"pdf,png"`` → ``["pdf", "png"]``; unknown formats raise UserError."""
    items = text.split(",") if isinstance(text, str) else list(text)
    formats = [f.strip().lower().lstrip(".") for f in items if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise UserError(
            f"unknown figure format {', '.join(bad) or '(none)'}; choose from {', '.join(FORMATS)}",
            source="--format",
        )
    return list(dict.fromkeys(formats))


def parse_labels(items: Iterable[str]) -> dict[str, str]:
    """``["a=Cost per hire", ...]`` → ``{"a": "Cost per hire"}``; UserError if no ``=``."""
    labels: dict[str, str] = {}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name.strip() or not text.strip():
            raise UserError(f'{item!r} is not of the form OUTPUT="panel title"', source="--labels")
        labels[name.strip()] = text.strip().strip("\"'")
    return labels


def choose(
    stored: Stored, outputs: Sequence[str] | None, labels: Mapping[str, str] | None
) -> Stored:
    """``stored`` restricted to ``outputs`` (in that order) and titled with ``labels``.

    Names are scalar outcomes; analysis rows of ``diff:<name>`` and
    ``<name>@<policy>`` follow their outcome. Unknown names raise UserError
    listing the known ones.
    """
    known = list(stored.outcomes())
    for table in stored.analysis.values():
        if "output" in table.columns:
            known += [base_name(str(o)) for o in table["output"].unique()]
    known = list(dict.fromkeys(known))
    for option, names in (("--outputs", outputs or []), ("--labels", list(labels or {}))):
        bad = [n for n in names if n not in known]
        if bad:
            raise UserError(
                f"unknown output(s) {', '.join(bad)}; this folder has {', '.join(known)}",
                source=option,
            )
    stored.labels = dict(labels or {})
    if not outputs:
        return stored
    order = {name: k for k, name in enumerate(dict.fromkeys(outputs))}
    stored.only = list(order)
    for name, table in list(stored.analysis.items()):
        if "output" not in table.columns:
            continue
        rank = table["output"].map(lambda o: order.get(base_name(str(o)), -1))
        kept = table.assign(_rank=rank)[rank >= 0].sort_values("_rank", kind="stable")
        stored.analysis[name] = kept.drop(columns="_rank").reset_index(drop=True)
    return stored


def plan(stored: Stored, style_name: str) -> tuple[list[assemble.Built], list[str]]:
    """Draw every figure ``stored`` supports; return them with the reasons for any skipped."""
    style = get_style(style_name)
    built: list[assemble.Built] = []
    skipped: list[str] = []
    outcomes = stored.outcomes()
    kind = stored.design_kind
    several = len(stored.policies) > 1
    tables = stored.analysis
    if kind == "grid":
        if not outcomes:
            skipped.append("sweeps: no scalar outcomes in runs.parquet")
        else:
            built += assemble.sweep_figures(stored, style, outcomes)
    elif kind not in SENSITIVITY_KINDS and (several or kind == "scenarios"):
        built += assemble.series_figures(stored, style)
        if stored.series is None:
            skipped.append("series: no series.parquet (model without series)")
        if outcomes:
            built += assemble.outcome_figures(stored, style, outcomes)
        if "paired" in tables:
            built += assemble.forest_figures(stored, style)
        elif several:
            skipped.append(
                f"forest plot: {stored.path / 'analysis' / 'paired.parquet'} missing; "
                f"run `community-sim analyze {stored.path}`"
            )
    built += assemble.index_figures(stored, style)
    built += assemble.convergence_figures(stored, style)
    built += assemble.morris_figures(stored, style)
    if not built:
        raise UserError(_nothing_to_plot(stored), source=str(stored.path))
    for b in built:
        readable_numbers(b.figure)
    return built, skipped


def _nothing_to_plot(stored: Stored) -> str:
    kind = stored.design_kind or "unknown"
    analysis = stored.path / "analysis"
    if kind in SENSITIVITY_KINDS:
        want = "morris.parquet" if kind == "morris" else "indices.parquet"
        if not analysis.is_dir():
            return f"a {kind} design needs its analysis; run `community-sim analyze {stored.path}`"
        present = sorted(p.name for p in analysis.glob("*.parquet"))
        return (
            f"{analysis / want} is missing or empty (found: {', '.join(present) or 'none'}); "
            f"run `community-sim analyze {stored.path}`"
        )
    return (
        f"nothing to plot for a '{kind}' design with policies {stored.policies}: "
        "figures need several policies, a grid, or sensitivity tables in analysis/"
    )


def render_figures(
    directory: str | Path,
    formats: Sequence[str] = ("pdf", "png"),
    style: str = "paper",
    out: str | Path | None = None,
    dpi: float | None = None,
    outputs: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> Rendered:
    """Write every figure of the experiment folder ``directory`` to ``DIR/figures/``.

    ``outputs`` chooses the panels (scalar outcomes, in that order; default
    all) and ``labels`` titles them (``{outcome: "title"}``). Reads the stored
    results only. Files are replaced atomically and carry the
    experiment name and spec hash in their metadata, with no dates, so a second
    call writes byte-identical files.
    """
    if style not in STYLES:
        raise UserError(
            f"unknown style {style!r}; choose one of {', '.join(STYLES)}", source="--style"
        )
    formats = parse_formats(formats)
    if dpi is not None and not 30 <= dpi <= 1200:
        raise UserError(
            f"{dpi:g} is out of bounds; allowed [30, 1200] dots per inch", source="--dpi"
        )
    stored = choose(load_stored(directory), outputs, labels)
    target = Path(out) if out is not None else stored.path / "figures"
    result = Rendered()
    with style_context(style):
        built, result.skipped = plan(stored, style)
        for b in built:
            result.files += save_figure(
                b.figure, target / b.stem, formats, title=b.title, meta=stored.metadata(), dpi=dpi
            )
    for reason in result.skipped:
        log.warning("skipped %s", reason)
    return result
