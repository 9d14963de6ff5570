"""The ``optimize`` and ``robustness`` subcommands (registered in ``cli.COMMANDS``)."""

from __future__ import annotations

import argparse
import sys

from community_sim.errors import UserError


def _formats(text: str) -> tuple[str, ...]:
    from community_sim.figures.render import parse_formats

    return tuple(parse_formats(text)) if text else ()


def add_optimize(p: argparse.ArgumentParser) -> None:
    p.add_argument("spec", help="experiment spec with an [optimize] table (TOML)")
    p.add_argument("--out", default=None, help="out folder (default: results/<name>/)")
    p.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: all cores; 1: serial)"
    )
    p.add_argument(
        "--dask",
        default=None,
        metavar="ADDRESS|local",
        help="run on Dask: 'local' starts a LocalCluster, or a scheduler address",
    )
    p.add_argument("--force", action="store_true", help="discard a search in the out folder")
    p.add_argument("--format", default="pdf,png", help="figure formats (default pdf,png; '' none)")
    p.add_argument("--no-progress", action="store_true", help="print no line per generation")


def cmd_optimize(args: argparse.Namespace) -> int:
    from community_sim.optimize.search import optimize

    if args.workers is not None and args.workers < 1:
        raise UserError("must be at least 1", source="--workers")
    formats = _formats(args.format)

    def progress(gen: int, total: int, evaluations: int) -> None:
        print(f"generation {gen}/{total}: {evaluations} evaluations", file=sys.stderr, flush=True)

    s = optimize(
        args.spec,
        args.out,
        workers=args.workers,
        dask=args.dask,
        force=args.force,
        formats=formats,
        on_generation=None if args.no_progress else progress,
    )
    print(
        f"{s.evaluations} evaluations ({s.runs} runs, {s.generations} generations, "
        f"{s.replayed} found stored) in {s.elapsed_s:.1f} s; hypervolume {s.hypervolume:.4g}; "
        f"{len(s.pareto)} candidates on the Pareto front → {s.out}/optimize/pareto.csv"
    )
    return 0


def add_robustness(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", help="a stored sweep crossing levers with uncertainties")
    p.add_argument("--levers", required=True, help="comma-separated lever names, e.g. policy")
    p.add_argument(
        "--metric",
        required=True,
        help="regret | satisficing:<OUTPUT OP NUMBER> | percentile:<q> | mean",
    )
    p.add_argument("--outcome", default=None, help="the output to score (not for satisficing)")
    p.add_argument(
        "--sense", choices=("max", "min"), default="max", help="is more better? (default max)"
    )
    p.add_argument("--format", default="pdf,png", help="figure formats (default pdf,png; '' none)")


def cmd_robustness(args: argparse.Namespace) -> int:
    from community_sim.optimize.sweep import robustness_of_sweep, setting_label

    levers = [x.strip() for x in args.levers.split(",") if x.strip()]
    s = robustness_of_sweep(
        args.dir,
        levers,
        args.metric,
        output=args.outcome,
        sense=args.sense,
        formats=_formats(args.format),
    )
    print(s.table.head(10).to_string(index=False))
    if s.best is None:
        print("no lever setting has a defined score (NaN in some scenario for every setting)")
    else:
        row = s.table.iloc[0]
        print(
            f"most robust: {setting_label(row, levers)} "
            f"({s.column} {row[s.column]:.4g}, {'lower' if s.better == 'min' else 'higher'} "
            "is better)"
        )
    print(f"wrote {len(s.files)} files to {s.files[0].parent}")
    return 0
