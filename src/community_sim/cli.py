"""The ``community-sim`` command: parses arguments, validates, calls the API.

Each subcommand is a pair (``_add_<name>`` builds its parser, ``_cmd_<name>``
runs it) registered in :data:`COMMANDS`. Bad input raises
:class:`~community_sim.errors.UserError`: one line on stderr, exit code 2.
"""

from __future__ import annotations

import argparse
import atexit
import json
import logging
import math
import os
import sys
from collections.abc import Callable, Sequence

from community_sim.analysis.studies import ingredient_commands
from community_sim.calibration import commands as calibration_commands
from community_sim.errors import UserError
from community_sim.experiment import commands as experiment_commands
from community_sim.experiment import export_commands
from community_sim.optimize import commands as optimize_commands
from community_sim.params import PARAMS, defaults, parse_assignment
from community_sim.params.integration import ingredient_table
from community_sim.patterns import commands as pattern_commands

log = logging.getLogger("community_sim")


# --- params -----------------------------------------------------------------
def _add_params(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print the table as JSON")


def _cmd_params(args: argparse.Namespace) -> int:
    if args.json:
        rows = [
            {
                "name": q.name,
                "default": q.default,
                "kind": q.kind,
                "unit": q.unit,
                "bounds": q.bounds_text(),
                "group": q.group,
                "doc": q.doc,
                "source": q.source,
            }
            for q in PARAMS.values()
        ]
        print(json.dumps(rows, indent=2))
        return 0
    w = max(len(n) for n in PARAMS)
    print(f"{'name':<{w}}  {'default':>10}  {'unit':<16} {'bounds':<28} description")
    for q in PARAMS.values():
        default = q.default if isinstance(q.default, str) else f"{q.default:g}"
        print(f"{q.name:<{w}}  {default:>10}  {q.unit:<16} {q.bounds_text():<28} {q.doc}")
    rows = ingredient_table(defaults())
    print("\nIngredients of integration (each switched off by setting its switch to 'off'):")
    print(f"{'ingredient':<19} {'switch (default)':<32} {'off':<6} {'priced by':<44} mechanism")
    for r in rows:
        print(
            f"{r['ingredient']:<19} {r['switch']:<32} {r['off']:<6} {r['costs']:<44} "
            f"{r['mechanism']}"
        )
    return 0


# --- validate ---------------------------------------------------------------
def _add_validate(p: argparse.ArgumentParser) -> None:
    p.add_argument("config", help="scenario file (TOML)")


def _cmd_validate(args: argparse.Namespace) -> int:
    from community_sim.params.scenarios import load_scenario

    sc = load_scenario(args.config)
    print(f"{args.config}: ok ({len(sc.overrides)} parameters set, policy={sc.params['policy']})")
    return 0


# --- simulate ---------------------------------------------------------------
def _add_simulate(p: argparse.ArgumentParser) -> None:
    p.add_argument("config", help="scenario file (TOML)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--steps", type=int, default=None, help="months to simulate")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a parameter (repeatable)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _cmd_simulate(args: argparse.Namespace) -> int:
    from community_sim.metrics import OUTCOMES
    from community_sim.params.scenarios import load_scenario
    from community_sim.runner import run

    extra = dict(parse_assignment(s) for s in args.set)
    sc = load_scenario(args.config, extra)
    if args.steps is not None and args.steps < 1:
        raise UserError("must be at least 1", source="--steps")
    res = run(sc.params, seed=args.seed, steps=args.steps)
    if args.json:
        print(
            json.dumps(
                {
                    "params": dict(sc.params),
                    "seed": args.seed,
                    "steps": res.steps,
                    # undefined outcomes are JSON null (NaN is not JSON)
                    "outcomes": {
                        k: v if math.isfinite(v) else None for k, v in res.outcomes.items()
                    },
                },
                allow_nan=False,
            )
        )
        return 0
    w = max(len(k) for k in res.outcomes)
    print(f"{args.config}  policy={sc.params['policy']}  seed={args.seed}  steps={res.steps}")
    for k, v in res.outcomes.items():
        unit = OUTCOMES[k].unit if k in OUTCOMES else ""
        shown = f"{v:>14.4g}" if math.isfinite(v) else f"{'undefined':>14}"
        print(f"  {k:<{w}}  {shown}  {unit}")
    return 0


# --- figures ----------------------------------------------------------------
def _add_figures(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", help="experiment folder (written by `community-sim run`)")
    p.add_argument(
        "--format", default="pdf,png", help="comma-separated: pdf, png, svg (default pdf,png)"
    )
    p.add_argument("--style", default="paper", choices=("paper", "slides"), help="figure sizes")
    p.add_argument("--out", default=None, help="write here instead of DIR/figures")
    p.add_argument("--dpi", type=float, default=None, help="PNG resolution (default: the style's)")
    p.add_argument(
        "--outputs",
        default=None,
        help="comma-separated outcomes to draw, in panel order (default: all)",
    )
    p.add_argument(
        "--labels",
        nargs="+",
        default=[],
        metavar='OUTPUT="title"',
        help='panel titles, e.g. --labels skill_match="Skill match" (default: the registry\'s)',
    )


def _cmd_figures(args: argparse.Namespace) -> int:
    from community_sim.experiment.completeness import completeness_of, is_stale, write_record
    from community_sim.figures import render_figures
    from community_sim.figures.render import parse_labels

    status = completeness_of(args.dir) if os.path.isfile(f"{args.dir}/manifest.json") else None
    if status is not None and not status.complete:
        print(status.line())
    if status is not None and is_stale(args.dir):  # runs were added since: analyse again
        from community_sim.analysis.api import analyze_default

        print("analysis/ is stale (runs added since it was written); analysing again")
        analyze_default(args.dir)
    outputs = [o.strip() for o in args.outputs.split(",") if o.strip()] if args.outputs else None
    done = render_figures(
        args.dir,
        formats=args.format.split(","),
        style=args.style,
        out=args.out,
        dpi=args.dpi,
        outputs=outputs,
        labels=parse_labels(args.labels),
    )
    for path in done.files:
        print(path)
    if status is not None and done.files:  # figures of an incomplete store say so on disk
        record = done.files[0].parent / "figures.json"
        if status.complete:
            record.unlink(missing_ok=True)
        else:
            write_record(record, status)
    for reason in done.skipped:
        print(f"skipped {reason}")
    return 0


# --- analyze ----------------------------------------------------------------
def _add_analyze(p: argparse.ArgumentParser) -> None:
    from community_sim.analysis import METHOD_NAMES

    p.add_argument("dir", help="an experiment's out folder (written by `community-sim run`)")
    p.add_argument(
        "--method",
        choices=[*METHOD_NAMES, "trees"],
        default=None,
        help="sensitivity method (default: the one the design implies); trees: extra-trees "
        "feature scores on any design",
    )
    p.add_argument(
        "--outputs",
        nargs="+",
        default=None,
        metavar="NAME",
        help="outputs to analyse (default all)",
    )
    p.add_argument(
        "--impute",
        choices=["mean"],
        default=None,
        help="replace undefined outcomes and failed runs by the output's mean "
        "(recorded in the report)",
    )
    p.add_argument(
        "--drop",
        action="store_true",
        help="leave outputs with undefined (NaN) outcomes out of the analysis "
        "(recorded in the report)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="replace tables stored for other outputs (otherwise refused)",
    )
    p.add_argument(
        "--by",
        action="append",
        default=[],
        metavar="PARAM",
        help="paired policy differences at each level of PARAM and their change from the "
        "first level (repeatable: levels crossed); writes analysis/by_PARAM.csv",
    )
    p.add_argument(
        "--bins",
        type=int,
        default=4,
        help="quantile bins for a sampled continuous --by parameter (default 4)",
    )


def _cmd_analyze(args: argparse.Namespace) -> int:
    from community_sim.analysis.api import analyze_experiment

    summary = analyze_experiment(
        args.dir,
        method=args.method,
        outputs=args.outputs,
        impute=args.impute,
        drop=args.drop,
        by=args.by,
        bins=args.bins,
        force=args.force,
    )
    print(summary.report, end="")
    print(f"wrote {len(summary.files)} files to {summary.directory}")
    return 0


# --- discover ---------------------------------------------------------------
def _add_discover(p: argparse.ArgumentParser) -> None:
    from community_sim.discovery import METHOD_NAMES

    p.add_argument("dir", help="an experiment's out folder (written by `community-sim run`)")
    p.add_argument(
        "--target",
        required=True,
        metavar="EXPR",
        help="the case of interest, e.g. 'diff:trial_error_cost_per_hire_weeks < 0'",
    )
    p.add_argument("--method", choices=list(METHOD_NAMES), default="prim", help="default prim")
    p.add_argument(
        "--threshold-prob",
        type=float,
        default=None,
        metavar="P",
        help="also require this share of a point's replicates to meet the condition",
    )
    p.add_argument("--out-name", default=None, metavar="NAME", help="write DIR/discovery/NAME/")
    p.add_argument("--force", action="store_true", help="replace an existing DIR/discovery/NAME/")
    p.add_argument("--min-density", type=float, default=0.8, help="density a box needs (0.8)")
    p.add_argument("--max-boxes", type=int, default=3, help="boxes at most (3)")
    p.add_argument("--mass-min", type=float, default=0.05, help="smallest box mass (0.05)")
    p.add_argument("--peel-alpha", type=float, default=0.05, help="PRIM's peel share (0.05)")
    p.add_argument(
        "--max-qp",
        type=float,
        default=0.05,
        help="PRIM drops restrictions with a larger quasi-p-value (0.05; 1: keep all)",
    )
    p.add_argument(
        "--validate",
        choices=["holdout", "permutation"],
        default=None,
        help="judge the boxes on data that did not choose them (report.txt)",
    )
    p.add_argument("--format", default="pdf,png", help="figure formats (default pdf,png)")
    p.add_argument("--dpi", type=float, default=None, help="PNG resolution (default 300)")


def _cmd_discover(args: argparse.Namespace) -> int:
    from community_sim.discovery.api import discover_experiment
    from community_sim.discovery.settings import Settings
    from community_sim.figures.render import parse_formats

    if args.dpi is not None and not 30 <= args.dpi <= 1200:
        raise UserError(f"{args.dpi:g} is out of bounds; allowed [30, 1200]", source="--dpi")
    settings = Settings(
        min_density=args.min_density,
        max_boxes=args.max_boxes,
        mass_min=args.mass_min,
        peel_alpha=args.peel_alpha,
        max_qp=args.max_qp,
    )
    summary = discover_experiment(
        args.dir,
        args.target,
        method=args.method,
        threshold_prob=args.threshold_prob,
        name=args.out_name,
        settings=settings,
        force=args.force,
        formats=parse_formats(args.format),
        dpi=args.dpi,
        validate=args.validate,
    )
    print(summary.report, end="")
    print(f"wrote {len(summary.files)} files to {summary.directory}")
    return 0


# --- dashboard --------------------------------------------------------------
def _add_dashboard(p: argparse.ArgumentParser) -> None:
    p.add_argument("config", nargs="?", help="scenario file (TOML); defaults if omitted")
    p.add_argument(
        "--port", type=int, default=8765, help="port on 127.0.0.1 (default 8765; 0: any)"
    )
    p.add_argument("--seed", type=int, default=0, help="initial seed (default 0)")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a parameter (repeatable)",
    )


def _cmd_dashboard(args: argparse.Namespace) -> int:
    import importlib.util

    missing = [m for m in ("solara", "altair") if importlib.util.find_spec(m) is None]
    if missing:
        raise UserError(
            f"{', '.join(missing)} not installed; run pip install 'community-sim[viz]'",
            source="dashboard",
        )
    from community_sim.dashboard.server import serve

    if not 0 <= args.port <= 65535:
        raise UserError(f"{args.port} is not a port number (0-65535)", source="--port")

    def ready(url: str) -> None:
        print(f"community-sim dashboard at {url} (Ctrl-C to stop)", flush=True)

    ok = serve(
        args.config,
        assignments=args.set,
        port=args.port,
        seed=args.seed,
        on_ready=ready,
    )
    if not ok:
        print("community-sim: error: the dashboard failed to start (see above)", file=sys.stderr)
        return 1
    return 0


Command = tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]

COMMANDS: dict[str, Command] = {
    "simulate": ("run one scenario and print its outcomes", _add_simulate, _cmd_simulate),
    "params": ("list every model parameter", _add_params, _cmd_params),
    "validate": ("check a scenario file", _add_validate, _cmd_validate),
    "run": (
        "run an experiment spec into an out folder (resumes)",
        experiment_commands.add_run,
        experiment_commands.cmd_run,
    ),
    "status": (
        "show what an experiment's out folder holds",
        experiment_commands.add_status,
        experiment_commands.cmd_status,
    ),
    "analyze": ("sensitivity analysis of a stored experiment", _add_analyze, _cmd_analyze),
    "figures": ("draw paper-ready figures from stored results", _add_figures, _cmd_figures),
    "discover": (
        "scenario discovery: where a condition holds (PRIM, CART)",
        _add_discover,
        _cmd_discover,
    ),
    "dashboard": ("serve the interactive dashboard on localhost", _add_dashboard, _cmd_dashboard),
    "patterns": (
        "check a scenario against the empirical patterns (exit 1 if any misses)",
        pattern_commands.add_patterns,
        pattern_commands.cmd_patterns,
    ),
    "ingredients": (
        "split the integrated - project gap into each ingredient's Shapley contribution",
        ingredient_commands.add_ingredients,
        ingredient_commands.cmd_ingredients,
    ),
    "calibrate": (
        "fit parameters to the patterns by ABC-SMC (exit 1 if the fit does not converge)",
        calibration_commands.add_calibrate,
        calibration_commands.cmd_calibrate,
    ),
    "optimize": (
        "search the levers of an [optimize] spec for the robust Pareto set (resumes)",
        optimize_commands.add_optimize,
        optimize_commands.cmd_optimize,
    ),
    "robustness": (
        "score a stored sweep's lever settings across its scenarios (regret, satisficing)",
        optimize_commands.add_robustness,
        optimize_commands.cmd_robustness,
    ),
    "export": (
        "write an experiment's tables as CSV or Parquet, with a data dictionary",
        export_commands.add_export,
        export_commands.cmd_export,
    ),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="community-sim",
        description="Agent-based simulation of school-enterprise cooperation policies.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (help_text, add, handler) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        add(p)
        p.set_defaults(handler=handler)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.handler(args))
    except UserError as exc:
        print(f"community-sim: error: {exc}", file=sys.stderr)
        return UserError.exit_code
    except KeyboardInterrupt:
        print("community-sim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


def entry() -> None:  # pragma: no cover - ends the process; tested through subprocesses
    """The ``community-sim`` command: :func:`main`, then a fast exit.

    Once a command has returned and its output is flushed, the interpreter's
    teardown (freeing every object of pandas, pyarrow, SciPy and Mesa one by
    one: 0.2–0.6 s) does nothing the user can see. The exit handlers still run
    (worker pools and the fork server, multiprocessing's resource tracker,
    temporary folders, logging); then the process ends without the teardown.
    An exception escaping :func:`main` ends the process the usual way.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
