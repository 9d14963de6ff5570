"""The ``calibrate`` subcommand (registered in ``community_sim.cli.COMMANDS``).

Writes into the out folder: ``abc.db`` (pyabc's history, from which a fit
continues), ``posterior.parquet`` (the last population: values and weights),
``posterior_summary.{csv,parquet}``, ``populations.parquet`` (epsilon and
samples per population), ``ppc.{csv,parquet}`` and ``ppc_draws.parquet`` (the
posterior predictive check) and ``pairs.{pdf,png}``. Exit code 0 when the fit
converged (final epsilon at or below ``epsilon_target``), 1 when it did not.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from community_sim.errors import UserError

EXIT_NOT_CONVERGED = 1
HASH_FILE = "spec_hash.json"


def add_calibrate(p: argparse.ArgumentParser) -> None:
    p.add_argument("spec", help="calibration spec (TOML)")
    p.add_argument("--out", default=None, help="out folder (default results/calibration/<name>)")
    p.add_argument(
        "--workers", type=int, default=1, help="parallel simulations (default 1: reproducible)"
    )
    p.add_argument("--force", action="store_true", help="discard a stored fit and start again")


def _check_folder(out: Path, spec_hash: str, force: bool) -> None:
    f = out / HASH_FILE
    if f.is_file() and not force:
        stored = json.loads(f.read_text()).get("spec_hash")
        if stored != spec_hash:
            raise UserError(
                "holds the fit of another spec; use another --out or --force to discard it",
                source=str(out),
            )


def cmd_calibrate(args: argparse.Namespace) -> int:
    from community_sim.analysis.tables import write_table
    from community_sim.calibration.fit import posterior_summary, predictive_check, run_fit
    from community_sim.calibration.spec import load_calibration
    from community_sim.figures.pairs import render_pairs

    if args.workers < 1:
        raise UserError("must be at least 1", source="--workers")
    spec = load_calibration(args.spec)
    out = Path(args.out) if args.out else Path("results") / "calibration" / spec.name
    _check_folder(out, spec.spec_hash(), args.force)
    fit = run_fit(spec, out, workers=args.workers, force=args.force)
    (out / HASH_FILE).write_text(json.dumps({"spec_hash": spec.spec_hash()}))
    fit.posterior.to_parquet(out / "posterior.parquet", index=False)
    fit.populations.to_parquet(out / "populations.parquet", index=False)
    summary = posterior_summary(spec, fit.posterior)
    write_table(summary, out, "posterior_summary")
    ppc, draws = predictive_check(spec, fit.posterior, spec.abc.ppc_samples, spec.abc.seed + 1)
    write_table(ppc, out, "ppc")
    draws.to_parquet(out / "ppc_draws.parquet", index=False)
    render_pairs(fit.posterior, spec.priors, out / "pairs", truth=spec.truth)
    print(
        f"{spec.name}: {len(fit.populations)} populations, {fit.n_simulations} simulations, "
        f"final epsilon {fit.final_epsilon:.3g} (target {spec.abc.epsilon_target:g})"
    )
    print("posterior (weighted; 90% interval):")
    for r in summary.itertuples():
        known = f"  truth {r.truth:.4g} {'inside' if r.truth_in_90 else 'OUTSIDE'}"
        print(
            f"  {r.parameter:<28} median {r.median:.4g}  [{r.q05:.4g}, {r.q95:.4g}]"
            f"{known if math.isfinite(r.truth) else ''}"
        )
    print("posterior predictive check (90% interval of the model at posterior draws):")
    for r in ppc.itertuples():
        print(
            f"  {r.pattern:<28} target {r.target:.4g}  model {r.predictive_mean:.4g} "
            f"[{r.predictive_q05:.4g}, {r.predictive_q95:.4g}]  {r.status}"
        )
    print(f"wrote {out}")
    if not fit.converged:
        print(
            f"did not converge: final epsilon {fit.final_epsilon:.3g} > "
            f"{spec.abc.epsilon_target:g} after {len(fit.populations)} populations; raise "
            "max_populations or population_size (the command continues the stored fit), "
            "or widen the priors"
        )
        return EXIT_NOT_CONVERGED
    return 0
