"""The ``patterns`` subcommand (registered in ``community_sim.cli.COMMANDS``)."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from community_sim.errors import UserError

EXIT_MISS = 1
"""Exit code of ``community-sim patterns`` when any pattern misses."""


def add_patterns(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "scenario",
        nargs="?",
        default="configs/baseline.toml",
        help="scenario file (default configs/baseline.toml)",
    )
    p.add_argument("--seeds", type=int, default=10, help="replicates per variant (default 10)")
    p.add_argument("--seed", type=int, default=0, help="master seed (default 0)")
    p.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: all cores; 1: serial)"
    )
    p.add_argument(
        "--patterns",
        default=None,
        metavar="FILE",
        help="a patterns file (default: the shipped one)",
    )
    p.add_argument("--only", nargs="+", default=None, metavar="NAME", help="check these patterns")
    p.add_argument("--out", default=None, help="out folder (default results/patterns/<scenario>)")
    p.add_argument("--force", action="store_true", help="discard stored runs in the out folder")


def _fmt(x: float) -> str:
    return "nan" if not math.isfinite(x) else f"{x:.4g}"


def cmd_patterns(args: argparse.Namespace) -> int:
    from community_sim.patterns.check import check_patterns
    from community_sim.patterns.table import load_patterns

    if args.workers is not None and args.workers < 1:
        raise UserError("must be at least 1", source="--workers")
    pset = load_patterns(args.patterns)
    if args.only:
        pset = pset.select(args.only)
    out = Path(args.out) if args.out else Path("results") / "patterns" / Path(args.scenario).stem
    report = check_patterns(
        pset, args.scenario, out, seeds=args.seeds, seed=args.seed, workers=args.workers,
        force=args.force,
    )  # fmt: skip
    t = report.table
    w = max(len(n) for n in t["pattern"])
    print(f"Patterns of {args.scenario} ({args.seeds} seeds; mean and 95% CI)")
    print(f"{'pattern':<{w}}  {'target':<22} {'model mean':>10}  {'95% CI':<22} result")
    for r in t.itertuples():
        ci = f"[{_fmt(r.ci_low)}, {_fmt(r.ci_high)}]"
        nan = f" ({r.n_not_observed} not observed)" if r.n_not_observed else ""
        print(f"{r.pattern:<{w}}  {r.target:<22} {_fmt(r.mean):>10}  {ci:<22} {r.status}{nan}")
    print(f"wrote {out}/patterns.csv, .parquet, .tex (sources in the csv)")
    if report.misses:
        print(
            f"{len(report.misses)} of {int((t['status'] != 'reported').sum())} patterns missed: "
            + ", ".join(report.misses)
        )
        return EXIT_MISS
    return 0
