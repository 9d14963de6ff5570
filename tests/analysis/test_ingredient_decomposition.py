"""Shapley decomposition of the policy gap over the ingredient switches."""

from __future__ import annotations

import itertools
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from community_sim.analysis.studies.ingredients import TOTAL, ingredient_shapley, switch_bits
from community_sim.cli import main
from community_sim.errors import UserError
from community_sim.experiment import plan_experiment
from community_sim.params.integration import INGREDIENTS

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
from ingredient_models import TRANSITION_SHARE, A, B, on_bits, true_shapley  # noqa: E402

NAMES = list(INGREDIENTS)


def factorial_design() -> pd.DataFrame:
    rows = []
    for p, bits in enumerate(itertools.product((0, 1), repeat=len(NAMES))):
        row: dict[str, object] = {"point": p}
        for ing, b in zip(INGREDIENTS.values(), bits, strict=True):
            if isinstance(ing.off, bool):
                row[ing.switch] = bool(b) != ing.off
            else:
                row[ing.switch] = 0.3 if b and ing.off == 1.0 else (1.0 if b else ing.off)
        rows.append(row)
    return pd.DataFrame(rows)


def gap_of(row: pd.Series) -> float:
    x = on_bits(row.to_dict())
    return sum(A[k] * x[k] for k in A) + B * x["codesign"] * x["rotation"]


def brute_force_shapley(v) -> dict[str, float]:
    """Average marginal contribution over all orderings, counted set by set: the orderings
    in which exactly the set S comes before i number |S|! (n - |S| - 1)!."""
    n = len(NAMES)
    total = dict.fromkeys(NAMES, 0.0)
    for name in NAMES:
        others = [k for k in NAMES if k != name]
        for r in range(n):
            weight = math.factorial(r) * math.factorial(n - r - 1) / math.factorial(n)
            for s in itertools.combinations(others, r):
                total[name] += weight * (v(set(s) | {name}) - v(set(s)))
    return total


def test_exact_gaps_give_the_known_shapley_values():
    design = factorial_design()
    paired = pd.DataFrame({"point": design["point"], "gap": design.apply(gap_of, axis=1)})
    paired = pd.concat([paired, paired])  # two replicates, no noise
    table = ingredient_shapley(paired, design, ["gap"]).set_index("ingredient")
    truth = true_shapley()

    def v(s: set[str]) -> float:
        return sum(A[k] for k in s) + (B if {"codesign", "rotation"} <= s else 0.0)

    brute = brute_force_shapley(v)
    for name in NAMES:
        assert table.loc[name, "contribution"] == pytest.approx(truth[name])
        assert brute[name] == pytest.approx(truth[name])
    # efficiency: the contributions add up to the change from all off to all on
    assert table.loc[NAMES, "contribution"].sum() == pytest.approx(table.loc[TOTAL, "contribution"])
    assert table.loc[TOTAL, "gap_all_off"] == pytest.approx(0.0)


def test_noisy_gaps_cover_the_truth_and_nan_is_counted():
    design = factorial_design()
    rng = np.random.default_rng(7)
    exact = design.apply(gap_of, axis=1).to_numpy()
    reps = [pd.DataFrame({"point": design["point"], "gap": exact + rng.normal(0, 0.5, exact.size)})
            for _ in range(3)]  # fmt: skip
    paired = pd.concat(reps, ignore_index=True)
    paired.loc[5, "gap"] = np.nan  # not observed
    table = ingredient_shapley(paired, design, ["gap"]).set_index("ingredient")
    truth = true_shapley()
    covered = [table.loc[n, "ci_low"] <= truth[n] <= table.loc[n, "ci_high"] for n in NAMES]
    assert sum(covered) >= 6  # 95% intervals: at most one of seven may miss by chance
    assert (table["n_not_observed"] == 1).all()
    assert all(math.isfinite(x) for x in table["se"])


@pytest.mark.slow
def test_shapley_intervals_have_nominal_coverage():
    design = factorial_design()
    exact = design.apply(gap_of, axis=1).to_numpy()
    truth = np.array([true_shapley()[n] for n in NAMES])
    rng = np.random.default_rng(11)
    trials, hits = 100, 0
    for _ in range(trials):
        gaps = exact[None, :] + rng.normal(0, 0.5, (2, exact.size))  # 2 replicates
        paired = pd.DataFrame({"point": np.tile(design["point"], 2), "gap": gaps.ravel()})
        table = ingredient_shapley(paired, design, ["gap"]).set_index("ingredient").loc[NAMES]
        hits += int(((table["ci_low"] <= truth) & (truth <= table["ci_high"])).sum())
    # 700 intervals: binomial SD 0.008 at 0.95, a 3-SD band
    assert hits / (trials * len(NAMES)) == pytest.approx(0.95, abs=0.025)


def test_each_contrast_is_decomposed_on_its_own():
    design = factorial_design()
    exact = design.apply(gap_of, axis=1).to_numpy()
    frames = [
        pd.DataFrame({"point": design["point"], "policy": pol, "baseline": "project", "gap": g})
        for pol, g in (("integrated", exact), ("transition", 0.5 * exact))
        for _ in range(2)
    ]
    table = ingredient_shapley(pd.concat(frames, ignore_index=True), design, ["gap"])
    for contrast, share in (("integrated-project", 1.0), ("transition-project", 0.5)):
        sub = table[table["contrast"] == contrast].set_index("ingredient")
        for name, true in true_shapley().items():
            assert sub.loc[name, "contribution"] == pytest.approx(share * true)


def test_not_a_full_factorial_is_refused():
    design = factorial_design().iloc[:100]
    paired = pd.DataFrame({"point": design["point"], "gap": 0.0})
    with pytest.raises(UserError, match="full factorial"):
        ingredient_shapley(paired, design, ["gap"])
    with pytest.raises(UserError, match="no ingredient switch"):
        switch_bits(pd.DataFrame({"point": [0], "tech_drift": [0.1]}))


@pytest.mark.parametrize("spec", ["ingredients.toml", "ingredients_project_regime.toml"])
def test_ingredient_specs_vary_every_switch_at_two_levels(spec):
    from community_sim.params import PARAMS

    plan = plan_experiment(ROOT / "experiments" / spec)
    bits = switch_bits(plan.design)
    # Every ingredient the regime's scenario offers (its value there is not the off
    # value) is a factor, off and at that value; one the regime does not offer is not.
    regime = dict(plan.spec.scenario_raw.get("params", {}))
    offered = [
        name for name, i in INGREDIENTS.items()
        if regime.get(i.switch, PARAMS[i.switch].default) != i.off
    ]  # fmt: skip
    assert list(bits.columns) == offered
    for name in offered:
        switch = INGREDIENTS[name].switch
        on = regime.get(switch, PARAMS[switch].default)
        assert sorted(plan.design[switch].unique().tolist()) == sorted([INGREDIENTS[name].off, on])
    assert plan.design["first_right_to_hire"].dtype == bool
    assert len(bits.drop_duplicates()) == 2 ** len(offered)
    assert plan.spec.compare == ("project", "integrated")


def test_cli_decomposes_a_stored_factorial(tmp_path, capsys):
    lines = [
        'name = "gap"', 'model = "ingredient_models:gap_model"', "replicates = 2", "seed = 3",
        'compare = ["project", "integrated", "transition"]', "[design]", 'kind = "grid"',
        "[design.parameters]",
    ]  # fmt: skip
    for ing in INGREDIENTS.values():
        if isinstance(ing.off, bool):
            lines.append(f"{ing.switch} = {{ values = [false, true] }}")
        elif ing.off == 1.0:
            lines.append(f"{ing.switch} = {{ low = 0.3, high = 1.0, levels = 2 }}")
        else:
            lines.append(f"{ing.switch} = {{ low = 0.0, high = 1.0, levels = 2 }}")
    spec = tmp_path / "gap.toml"
    spec.write_text("\n".join(lines) + "\n")
    (tmp_path / "ingredient_models.py").write_text((HERE / "ingredient_models.py").read_text())
    out = tmp_path / "gap"
    run = ["run", str(spec), "--out", str(out), "--workers", "1", "--no-progress"]
    assert main(run) == 0
    assert main(["ingredients", str(out), "--out", str(tmp_path / "fig"), "--format", "png"]) == 0
    table = pd.read_parquet(tmp_path / "fig" / "ingredients.parquet")
    # three policies: each contrast to project is split on its own (pooled, they averaged
    # to 0.75 of integrated's values); every value within 4 standard errors of its truth
    assert set(table["contrast"]) == {"integrated-project", "transition-project"}
    for contrast, share in (("integrated-project", 1.0), ("transition-project", TRANSITION_SHARE)):
        sub = table[table["contrast"] == contrast].set_index("ingredient")
        for name, true in true_shapley().items():
            assert abs(sub.loc[name, "contribution"] - share * true) <= 4 * sub.loc[name, "se"]
            assert sub.loc[name, "se"] < 0.1  # noise 0.2 over 1024 sets × 2 replicates
    assert (tmp_path / "fig" / "ingredients.png").stat().st_size > 10_000
    assert "codesign" in capsys.readouterr().out
    assert main(["ingredients", str(tmp_path / "nothing")]) == 2


@pytest.mark.parametrize("kind", ["sobol", "morris", "lhs"])
def test_bool_switch_is_a_factor_of_every_sampling_design(kind):
    design = {"kind": kind, "n": 4 if kind != "lhs" else 8}
    design["parameters"] = {
        "first_right_to_hire": {"values": [False, True]},
        "codesign_rate": {"low": 0.0, "high": 1.0},
    }
    spec = {"name": "b", "scenario": str(ROOT / "configs" / "baseline.toml"), "design": design}
    col = plan_experiment(spec).design["first_right_to_hire"]
    assert col.dtype == bool and set(col) == {False, True}
