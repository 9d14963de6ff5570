"""The ``run`` and ``status`` subcommands (registered in ``community_sim.cli.COMMANDS``)."""

from __future__ import annotations

import argparse
import logging
from typing import TYPE_CHECKING

from community_sim.errors import UserError

if TYPE_CHECKING:
    from community_sim.experiment.spec import ExperimentSpec

log = logging.getLogger(__name__)

EXIT_FAILED_RUNS = 3
"""Exit code of ``community-sim run`` when any run failed (the others are stored)."""


def add_run(p: argparse.ArgumentParser) -> None:
    p.add_argument("experiment", help="experiment spec (TOML)")
    p.add_argument("--out", default=None, help="out folder (default: results/<name>/)")
    p.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: all cores; 1: serial)"
    )
    p.add_argument(
        "--dask",
        default=None,
        metavar="ADDRESS|local",
        help="run on Dask: 'local' starts a LocalCluster, or a scheduler address tcp://host:8786",
    )
    p.add_argument(
        "--dry-run", action="store_true", help="print the design size and a time estimate only"
    )
    p.add_argument("--force", action="store_true", help="discard results in the out folder")
    p.add_argument(
        "--checkpoint",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="write finished runs to disk at least this often (default 10)",
    )
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")


def cmd_run(args: argparse.Namespace) -> int:
    import os

    from community_sim.experiment.executors import uses_processes, warm_fork_server
    from community_sim.experiment.spec import load_spec

    if args.workers is not None and args.workers < 1:
        raise UserError("must be at least 1", source="--workers")
    if args.checkpoint <= 0:
        raise UserError("must be positive", source="--checkpoint")
    spec = load_spec(args.experiment)  # the one load and check of the spec
    if not args.dry_run and uses_processes(args.workers, args.dask):
        warm_fork_server(spec.model)  # its imports overlap the engine's and the design's

    from community_sim.experiment.engine import (
        estimate_text,
        plan_experiment,
        run_experiment,
        time_one_run,
    )
    from community_sim.experiment.resume import (
        check_out_folder,
        done_run_ids,
        model_fingerprint,
    )
    from community_sim.experiment.store import Store

    plan = plan_experiment(spec, args.out)
    if args.dry_run:
        store = Store(plan.out)
        action = check_out_folder(
            store, plan.spec, force=args.force, fingerprint=model_fingerprint(plan.spec)
        )
        remaining = plan.n_runs - (len(done_run_ids(store)) if action == "resume" else 0)
        d = plan.spec.design
        print(
            f"{plan.spec.name}: {d.kind} design, {len(plan.design)} points × "
            f"{plan.spec.replicates} replicates × {len(plan.spec.policies)} policies "
            f"= {plan.n_runs} runs ({remaining} to run) → {plan.out}"
        )
        workers = args.workers or os.cpu_count() or 1
        print(estimate_text(plan, time_one_run(plan), workers, remaining))
        return 0
    summary = run_experiment(
        plan,
        workers=args.workers,
        dask=args.dask,
        force=args.force,
        progress=not args.no_progress,
        checkpoint_s=args.checkpoint,
    )
    c = summary.counts
    print(
        f"{plan.spec.name}: {summary.ran} runs in {summary.elapsed_s:.1f} s"
        f"{' (resumed)' if summary.resumed else ''}; "
        f"ok {c['ok']}, failed {c['failed']}, missing {c['missing']} → {summary.out}"
    )
    for run_id, err in summary.failures[:5]:
        print(f"  run {run_id} failed: {err}")
    if summary.failed > 5:
        print(f"  … {summary.failed - 5} more; see the error column of runs.parquet")
    if c["ok"]:
        _print_analysis(plan.spec, summary.out)
    return EXIT_FAILED_RUNS if summary.failed else 0


def _print_analysis(spec: ExperimentSpec, out: object) -> None:
    """Hand the stored runs to ``analyze`` (its code writes DIR/analysis/) and print it.

    ``run`` itself stores runs only; the numbers printed here are the tables
    ``analyze`` wrote, computed once, and ``figures`` reads the same tables.
    """
    from community_sim.analysis.api import analysis_line, analyze_default

    summary, skipped = analyze_default(str(out))
    if summary is not None and summary.by:
        for answer in summary.by:  # a grid: the gap at each level, not one pooled row
            print("\n" + answer.text)
    elif summary is not None and summary.comparison is not None and spec.compare:
        from community_sim.analysis.comparison.tables import comparison_text

        units: dict[str, str] = {}
        if spec.model.kind == "community":
            from community_sim.metrics import OUTCOMES

            units = {k: v.unit for k, v in OUTCOMES.items()}
        baseline = spec.compare[0]
        print("\n" + comparison_text(summary.comparison, summary.paired, baseline, units))
    if skipped is not None:
        print(skipped)
    elif summary is not None:
        print(analysis_line(summary))


def add_status(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", help="an experiment's out folder")


def cmd_status(args: argparse.Namespace) -> int:
    from community_sim.experiment.status import status_text

    print(status_text(args.out))
    return 0
