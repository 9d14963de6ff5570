"""``community-sim export``: parsing and printing only; the work is in :mod:`.export`.

Kept apart from :mod:`.export` so that importing the command line does not
import pandas.
"""

from __future__ import annotations

import argparse


def add_export(p: argparse.ArgumentParser) -> None:
    p.add_argument("directory", metavar="DIR", help="an experiment's out folder")
    p.add_argument("--format", default="csv", help="csv (default) or parquet")
    p.add_argument(
        "--what",
        default=None,
        help="tables, comma-separated: runs, series, paired (default: every one stored)",
    )
    p.add_argument("--out", default=None, metavar="FOLDER", help="write here (default DIR/export)")


def cmd_export(args: argparse.Namespace) -> int:
    from community_sim.experiment.export import export_experiment

    summary = export_experiment(args.directory, args.format, args.what, args.out)
    for name, rows in summary.rows.items():
        print(f"{name}: {rows} rows")
    print(f"columns.csv, export.json → {summary.out}")
    if not summary.complete:
        print(f"{summary.status.line()}, then export again")
    return 0
