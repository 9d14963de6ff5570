"""Mutation check: plant known bugs in a copy of the package; the tests must catch each.

Run with ``make mutants`` (or ``python tests/mutants.py [NAME ...]``). For
every mutant below, ``src/`` is copied to a temporary folder, one line is
changed, and the tests that guard it run against the copy (it comes first on
``PYTHONPATH``). A mutant that passes its tests *survived*: the tests could
not tell the bug from the code, and the script exits with code 1. Each run
takes a few seconds, a rule's a little more (the copy's compiled rules are
compiled afresh); the guarding tests run once on the unchanged copy too, to show
they pass there.
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
        f"{PKG}/analysis/sensitivity/replicates.py",
        "return self.values.var(axis=1, ddof=1) / self.replicates",
        "return self.values.var(axis=1, ddof=0) / self.replicates",
        (
            "tests/analysis/test_core.py::test_two_replicates_recover_the_analytic_indices_with_unbiased_noise",
        ),
    ),
    Mutant(
        "bootstrap-uncorrected",
        f"{PKG}/analysis/sensitivity/sobol.py",
        "r1, rt, r2 = _estimates(y.take(rows), None if noise is None else noise.take(rows))",
        "r1, rt, r2 = _estimates(y.take(rows), None)",
        ("tests/analysis/test_core.py",),
    ),
    Mutant(
        "sd-target-is-the-mean",
        f"{PKG}/analysis/sensitivity/core.py",
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
        f"{PKG}/analysis/comparison/compare.py",
        "if len(keys) in (1, n):",
        "if True:",
        ("tests/analysis/test_compare.py",),
    ),
    # One per rule of the model (``mechanics/``), named after the rule: a change in the
    # rule's one function must fail its tests against the reference formulation.
    Mutant(
        "skill-match",
        f"{PKG}/mechanics/skills.py",
        "    return g if g > 0.0 else 0.0",
        "    return g if g > 0.1 else 0.0",
        ("tests/mechanics/test_skills.py",),
    ),
    Mutant(
        "effective-mismatch",
        f"{PKG}/mechanics/skills.py",
        "    x = 1.0 - match * performance(aptitude)",
        "    x = 1.0 - match * aptitude",
        ("tests/mechanics/test_skills.py",),
    ),
    Mutant(
        "learning-step",
        f"{PKG}/mechanics/skills.py",
        "    return (g + skill) * (1.0 - depreciation_monthly)",
        "    return (g + skill) * (1.0 - 2.0 * depreciation_monthly)",
        ("tests/mechanics/test_skills.py",),
    ),
    Mutant(
        "productivity-ramp",
        f"{PKG}/mechanics/skills.py",
        "    year = programme_month // 12",
        "    year = programme_month // 13",
        ("tests/mechanics/test_skills.py",),
    ),
    Mutant(
        "hiring-cost-bracket",
        f"{PKG}/mechanics/labour.py",
        "    return search + disruption + post",
        "    return search + post",
        ("tests/mechanics/test_labour.py",),
    ),
    Mutant(
        "hiring-cost-rate-scale",
        f"{PKG}/mechanics/labour.py",
        "    return scalar_power(r / REFERENCE_HIRE_RATE, convexity)",
        "    return scalar_power(r / REFERENCE_HIRE_RATE, 2.0 * convexity)",
        ("tests/mechanics/test_labour.py",),
    ),
    Mutant(
        "early-separation",
        f"{PKG}/mechanics/labour.py",
        "    x = mismatch_separation * mismatch\n",
        "    x = mismatch_separation * mismatch * mismatch\n",
        ("tests/mechanics/test_labour.py",),
    ),
    Mutant(
        "termination-hazard",
        f"{PKG}/mechanics/labour.py",
        "    factor = mismatch / reference\n",
        "    factor = mismatch / (2.0 * reference)\n",
        ("tests/mechanics/test_labour.py",),
    ),
    Mutant(
        "hire-credit",
        f"{PKG}/mechanics/labour.py",
        "weeks + (market_weeks if separated else 0.0)",
        "weeks + 0.0",
        ("tests/mechanics/test_labour.py",),
    ),
    Mutant(
        "keep-decision-ignores-bonus",
        f"{PKG}/mechanics/labour.py",
        "    return own - bonus_weeks <= hire_weeks(",
        "    return own <= hire_weeks(",
        (
            "tests/mechanics/test_ingredient_rules.py",
            "tests/mechanics/test_kernels.py::test_pick_candidates_equal_firm_by_firm_choice",
        ),
    ),
    Mutant(
        "retention-premium",
        f"{PKG}/mechanics/labour.py",
        "    return move_share * math.exp(-x / wage_monthly)",
        "    return move_share * math.exp(-x / (12.0 * wage_monthly))",
        ("tests/mechanics/test_ingredient_rules.py",),
    ),
    Mutant(
        "tenure-noise",
        f"{PKG}/mechanics/labour.py",
        "    return noise_factor * math.exp(-rate_per_year * tenure_months / 12.0)",
        "    return noise_factor * math.exp(-rate_per_year * tenure_months / 120.0)",
        ("tests/mechanics/test_ingredient_rules.py",),
    ),
    Mutant(
        "rotation-target",
        f"{PKG}/mechanics/skills.py",
        "    return (1.0 - share) * host + share * union",
        "    return (1.0 - share) * host + share * 0.5 * (host + union)",
        (
            "tests/mechanics/test_ingredient_rules.py",
            "tests/mechanics/test_kernels.py::test_teach_rows_learn_with_the_documented_rates",
        ),
    ),
    Mutant(
        "rotation-spread",
        f"{PKG}/mechanics/skills.py",
        "    return rate * host_gap / target_gap",
        "    return rate",
        (
            "tests/mechanics/test_ingredient_rules.py",
            "tests/mechanics/test_kernels.py::test_teach_rows_learn_with_the_documented_rates",
        ),
    ),
    Mutant(
        "module-rate",
        f"{PKG}/mechanics/skills.py",
        "    return firm_rate + module_share * college_rate",
        "    return firm_rate + college_rate",
        ("tests/mechanics/test_ingredient_rules.py",),
    ),
    # Ingredients of integration in their processes.
    Mutant(
        "rotation-toward-the-mean",
        f"{PKG}/processes/teaching.py",
        "    max_rows_at(union, ties.school[chosen], firms.demand, chosen)  # np.maximum.at",
        "    np.maximum.at(union, ties.school[chosen], firms.demand[chosen].mean(axis=0))",
        (
            "tests/model/test_ingredient_effects.py::test_rotation_buys_breadth_that_pays_when_demand_drifts_and_costs_when_it_does_not",
        ),
    ),
    Mutant(
        "teacher-placements-a-transfer",
        f"{PKG}/processes/curriculum.py",
        "        planned = undiscounted if disc[i] == 0.0 else placements_planned(p, disc[i])",
        "        planned = undiscounted",
        (
            "tests/model/test_ingredient_effects.py::test_members_share_of_teacher_placements_buys_more_of_them_for_the_same_money",
        ),
    ),
    Mutant(
        "first-right-not-before-outside-employers",
        f"{PKG}/mechanics/bookkeeping.py",
        "        if gone[rows[m]] and not first[jobs[m]]:",
        "        if gone[rows[m]]:",
        (
            "tests/model/test_ingredient_effects.py::test_first_right_lets_members_hire_graduates_before_outside_employers",
        ),
    ),
    Mutant(
        "no-priority-at-placement",
        f"{PKG}/processes/placement.py",
        "        order = [k for k in order if first[k]] + [k for k in order if not first[k]]",
        "        order = list(order)",
        (
            "tests/model/test_ingredient_effects.py::test_priority_at_placement_fills_members_places_before_other_partners",
        ),
    ),
    Mutant(
        "relative-fit",
        f"{PKG}/mechanics/apprentice.py",
        "    rel = (1.0 - mismatch) / (1.0 - reference)",
        "    rel = 1.0 - mismatch",
        ("tests/mechanics/test_apprentice.py",),
    ),
    Mutant(
        "screening-signal",
        f"{PKG}/mechanics/council.py",
        "    seen = aptitude * signal",
        "    seen = aptitude",
        ("tests/mechanics/test_apprentice.py",),
    ),
    Mutant(
        "tie-value",
        f"{PKG}/mechanics/trust.py",
        "    return (trust * expected_surplus - recurring_cost) * annuity_factor - one_off_cost",
        "    return (trust * expected_surplus - recurring_cost) * annuity_factor",
        ("tests/mechanics/test_trust.py",),
    ),
    Mutant(
        "trust-update",
        f"{PKG}/mechanics/trust.py",
        "trust - loss * trust",
        "trust - gain * trust",
        ("tests/mechanics/test_trust.py",),
    ),
    Mutant(
        "emulator-accepts-q2-above-1",
        f"{PKG}/analysis/sensitivity/emulator_check.py",
        "if v.q2 > 1.0:",
        "if v.q2 > 1e9:",
        ("tests/analysis/test_emulator_acceptance.py::test_the_rule_names_its_reason",),
    ),
    Mutant(
        "emerging-profiles",
        f"{PKG}/mechanics/technology.py",
        "share = 1.0 - math.exp(-rate * x / 12.0) if x > 0.0 else 0.0",
        "share = 1.0 - math.exp(-rate * x) if x > 0.0 else 0.0",
        ("tests/mechanics/test_emerging.py",),
    ),
)
"""The planted bugs: five in the experiment tooling, one in each rule of the model, and the
emulator's acceptance rule."""


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
    checked: set[tuple[str, ...]] = set()
    for m in chosen:
        # the guarding tests must pass on the code as it is, or a failure proves nothing
        # (once per set of tests: the unchanged code is the same for every mutant)
        if m.tests not in checked and run_mutant(m, sys.executable, mutate=False):
            raise SystemExit(f"{m.name}: its tests fail without the mutation; fix them first")
        checked.add(m.tests)
        killed = run_mutant(m, sys.executable)
        print(f"{m.name:<34} {'killed' if killed else 'SURVIVED'}")
        if not killed:
            survived.append(m.name)
    print(f"{len(chosen) - len(survived)} of {len(chosen)} mutants killed")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
