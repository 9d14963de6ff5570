"""Mutation check: plant known bugs in a copy of the package; the tests must catch each.

Run with ``make mutants`` (or ``python tests/mutants.py [NAME ...]``). For
every mutant below, ``src/`` is copied to a temporary folder, one line is
changed, and the tests that guard it run against the copy (it comes first on
``PYTHONPATH``). A mutant that passes its tests *survived*: the tests could
not tell the bug from the code, and the script exits with code 1. Each run
takes a few seconds (the guarding tests run once on the unchanged copy too, to
show they pass there); the whole check takes about 30 s on two cores.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Mutant:
    """One planted bug: in ``path`` (under src/) replace ``old`` (once) by ``new``."""

    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


PKG = "community_sim"
MUTANTS = (
    Mutant(
        "noise-ddof0",
        f"{PKG}/analysis/replicates.py",
        "return self.values.var(axis=1, ddof=1) / self.replicates",
        "return self.values.var(axis=1, ddof=0) / self.replicates",
        (
            "tests/analysis/test_core.py::test_two_replicates_recover_the_analytic_indices_with_unbiased_noise",
        ),
    ),
    Mutant(
        "bootstrap-uncorrected",
        f"{PKG}/analysis/sobol.py",
        "r1, rt, r2 = _estimates(y.take(rows), None if noise is None else noise.take(rows))",
        "r1, rt, r2 = _estimates(y.take(rows), None)",
        ("tests/analysis/test_core.py",),
    ),
    Mutant(
        "sd-target-is-the-mean",
        f"{PKG}/analysis/core.py",
        "sd, sd_noise = out.sd_halves()",
        "sd, sd_noise = out.mean(), out.noise_of_mean()",
        ("tests/analysis/test_core.py",),
    ),
    Mutant(
        "undefined-as-zero",
        f"{PKG}/metrics.py",
        "return {k: float(out[k]) for k in OUTCOMES}",
        "return {k: float(np.nan_to_num(out[k])) for k in OUTCOMES}",
        ("tests/model/test_model.py",),
    ),
    Mutant(
        "paired-ci-ignores-design-points",
        f"{PKG}/analysis/compare.py",
        "if len(keys) in (1, n):",
        "if True:",
        ("tests/analysis/test_compare.py",),
    ),
    Mutant(
        "emulator-accepts-q2-above-1",
        f"{PKG}/analysis/emulator_check.py",
        "if v.q2 > 1.0:",
        "if v.q2 > 1e9:",
        ("tests/analysis/test_emulator_acceptance.py::test_the_rule_names_its_reason",),
    ),
)
"""The planted bugs: the three that survived the earlier tests, and three more."""


def run_mutant(m: Mutant, python: str, *, mutate: bool = True) -> bool:
    """True if the tests fail on the mutant (it is killed); ``mutate=False`` runs the original."""
    with tempfile.TemporaryDirectory(prefix=f"mutant-{m.name}-") as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(ROOT / "src", src)
        target = src / m.path
        text = target.read_text(encoding="utf-8")
        if text.count(m.old) != 1:
            raise SystemExit(f"{m.name}: the line to mutate is not in {m.path} exactly once")
        if mutate:
            target.write_text(text.replace(m.old, m.new), encoding="utf-8")
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [str(src), str(ROOT / "tests"), env.get("PYTHONPATH", "")]
        )
        proc = subprocess.run(
            [python, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *m.tests],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        return proc.returncode != 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="mutants to run (default: all)")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTANTS if not args.names or m.name in args.names]
    survived = []
    for m in chosen:
        # the guarding tests must pass on the code as it is, or a failure proves nothing
        if run_mutant(m, sys.executable, mutate=False):
            raise SystemExit(f"{m.name}: its tests fail without the mutation; fix them first")
        killed = run_mutant(m, sys.executable)
        print(f"{m.name:<34} {'killed' if killed else 'SURVIVED'}")
        if not killed:
            survived.append(m.name)
    print(f"{len(chosen) - len(survived)} of {len(chosen)} mutants killed")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
