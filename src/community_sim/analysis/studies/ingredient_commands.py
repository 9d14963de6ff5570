"""The ``ingredients`` subcommand (registered in ``community_sim.cli.COMMANDS``).

Light to import: the analysis and figure modules load when the command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_ingredients(p: argparse.ArgumentParser) -> None:
    """Arguments of ``community-sim ingredients``."""
    p.add_argument("dirs", nargs="+", metavar="DIR", help="out folders of ingredient factorials")
    p.add_argument("--out", default=None, help="write here (default: the first DIR's analysis/)")
    p.add_argument("--outputs", nargs="+", default=None, metavar="NAME", help="outcomes to show")
    p.add_argument("--format", default="pdf,png", help="figure formats (default pdf,png)")
    p.add_argument("--dpi", type=float, default=None, help="PNG resolution")


def cmd_ingredients(args: argparse.Namespace) -> int:
    """Run ``community-sim ingredients``: write the table, print it, draw it."""
    a = vars(args)
    out = Path(a["out"]) if a["out"] else Path(a["dirs"][0]) / "analysis"
    from community_sim.analysis.studies.decompose import decompose
    from community_sim.figures.ingredients import ingredient_figure

    res = decompose(a["dirs"], out, outcomes=a["outputs"])
    # the figure is drawn from the table just stored, as `figures` draws from analysis/
    files = res.files + ingredient_figure(out, formats=a["format"].split(","), dpi=a["dpi"])
    keys = ["regime", "outcome", "contrast"]
    for (regime, outcome, contrast), grp in res.table.groupby(keys, sort=False):
        g = grp.iloc[0]
        print(
            f"{regime}: {outcome} ({contrast})  gap all off {g.gap_all_off:.4g} -> "
            f"all on {g.gap_all_on:.4g}"
        )
        for r in grp.itertuples():
            print(
                f"  {r.ingredient:<20} {r.contribution:>11.4g}  [{r.ci_low:.4g}, {r.ci_high:.4g}]"
            )
    for f in files:
        print(f)
    return 0
