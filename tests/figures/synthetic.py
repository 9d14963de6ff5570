"""Small stored results of the store's and the analysis' shapes, made from formulas.

Values follow simple closed forms plus seeded noise so that the figures have
something to show; nothing here runs the model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

POLICIES = ("project", "integrated", "transition")
SERIES_NAMES = (
    "ties_project",
    "ties_integrated",
    "placements",
    "trial_error_cost",
    "skill_match",
    "mean_trust",
)
OUTCOMES = (
    "trial_error_cost_per_hire_weeks",
    "partnership_survival_5y",
    "skill_match",
    "enterprise_net_benefit_per_apprentice",
)
UNITS = {
    "trial_error_cost_per_hire_weeks": "weeks of wages",
    "partnership_survival_5y": "share",
    "skill_match": "0–1",
    "enterprise_net_benefit_per_apprentice": "currency/yr",
    "ties_project": "ties",
    "ties_integrated": "ties",
    "placements": "apprentices",
    "trial_error_cost": "currency/month",
    "mean_trust": "0–1",
    "tech_drift": "1/yr",
    "unemployment_rate": "share",
    "x1": "m",
    "x2": "kg",
}
PARAMETERS = ("tech_drift", "unemployment_rate", "governance_cost", "subsidy", "poaching")


def _outcomes(rng: np.random.Generator, policy: str, drift: float, unemp: float) -> dict:
    gain = {"project": 0.0, "integrated": 1.0, "transition": 0.5}[policy]
    return {
        "trial_error_cost_per_hire_weeks": 16
        - 20 * gain * (drift - 0.1)
        + 30 * unemp * gain
        + rng.normal(0, 0.8),
        "partnership_survival_5y": float(np.clip(0.4 + 0.3 * gain + rng.normal(0, 0.05), 0, 1)),
        "skill_match": float(np.clip(0.6 + 0.15 * gain - drift + rng.normal(0, 0.03), 0, 1)),
        "enterprise_net_benefit_per_apprentice": 3000 - 1500 * gain + rng.normal(0, 400),
    }


def compare_runs(
    replicates: int = 6, steps: int = 24, seed: int = 1
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A compare experiment: one point, each policy on the same seeds; (runs, series)."""
    rng = np.random.default_rng(seed)
    rows, series = [], []
    run_id = 0
    for rep in range(replicates):
        for policy in POLICIES:
            rows.append(
                {
                    "run_id": run_id,
                    "point": 0,
                    "replicate": rep,
                    "policy": policy,
                    "seed": 1000 + rep,
                    "tech_drift": 0.03,
                    "status": "ok",
                    **_outcomes(rng, policy, 0.03, 0.05),
                }
            )
            gain = POLICIES.index(policy) / 2
            t = np.arange(1, steps + 1)
            values = {
                "ties_project": 10 * (1 - gain) + rng.normal(0, 1, steps),
                "ties_integrated": 8 * gain * (1 - np.exp(-t / 6)) + rng.normal(0, 0.5, steps),
                "placements": 50 + 10 * gain + rng.normal(0, 3, steps),
                "trial_error_cost": 2e4 - 5e3 * gain * t / steps + rng.normal(0, 800, steps),
                "skill_match": 0.6 + 0.1 * gain + rng.normal(0, 0.02, steps),
                "mean_trust": 0.5 + 0.3 * gain * t / steps + rng.normal(0, 0.02, steps),
            }
            for name, v in values.items():
                series.append(pd.DataFrame({"run_id": run_id, "step": t, "name": name, "value": v}))
            run_id += 1
    return pd.DataFrame(rows), pd.concat(series, ignore_index=True)


def grid_runs(nx: int = 5, ny: int = 4, replicates: int = 3, seed: int = 2) -> pd.DataFrame:
    """A 2-D grid sweep over tech_drift × unemployment_rate, compare integrated vs project."""
    rng = np.random.default_rng(seed)
    rows = []
    run_id = 0
    point = 0
    for drift in np.linspace(0.0, 0.25, nx):
        for unemp in np.linspace(0.02, 0.14, ny):
            for rep in range(replicates):
                for policy in ("integrated", "project"):
                    rows.append(
                        {
                            "run_id": run_id,
                            "point": point,
                            "replicate": rep,
                            "policy": policy,
                            "seed": 7 * point + rep,
                            "tech_drift": drift,
                            "unemployment_rate": unemp,
                            "status": "ok",
                            **_outcomes(rng, policy, drift, unemp),
                        }
                    )
                    run_id += 1
            point += 1
    return pd.DataFrame(rows)


def paired_table(
    outputs: tuple[str, ...] = OUTCOMES, scenarios: tuple[str, ...] = ("baseline",)
) -> pd.DataFrame:
    """``paired.parquet`` rows: two contrasts per output and scenario."""
    rows = []
    for k, out in enumerate(outputs):
        for j, sc in enumerate(scenarios):
            for c, contrast in enumerate(("integrated - project", "transition - project")):
                m = (-1) ** k * (1.0 + k + 0.5 * c + 0.3 * j)
                rows.append(
                    {
                        "output": out,
                        "contrast": contrast,
                        "scenario": sc,
                        "n": 20,
                        "mean_diff": m,
                        "ci_low": m - 0.8,
                        "ci_high": m + 0.8,
                        "effect_size": m / 2,
                    }
                )
    return pd.DataFrame(rows)


def comparison_table(runs: pd.DataFrame) -> pd.DataFrame:
    """``comparison.parquet`` rows computed from ``runs`` (mean and a normal 95% CI)."""
    rows = []
    for out in OUTCOMES:
        for policy, g in runs.groupby("policy"):
            v = g[out].to_numpy(float)
            half = 1.96 * v.std(ddof=1) / np.sqrt(v.size)
            rows.append(
                {
                    "output": out,
                    "policy": policy,
                    "scenario": "baseline",
                    "n": v.size,
                    "mean": v.mean(),
                    "ci_low": v.mean() - half,
                    "ci_high": v.mean() + half,
                }
            )
    return pd.DataFrame(rows)


def indices_table(
    outputs: tuple[str, ...] = ("diff:trial_error_cost_per_hire_weeks",), method: str = "sobol"
) -> pd.DataFrame:
    rows = []
    s1 = np.array([0.42, 0.21, 0.08, 0.03, 0.0])
    for out in outputs:
        for target in ("mean", "sd"):
            for p, v in zip(PARAMETERS, s1, strict=True):
                st = np.nan if method in ("pawn", "delta") else v * 1.3 + 0.02
                rows.append(
                    {
                        "method": method,
                        "output": out,
                        "target": target,
                        "parameter": p,
                        "S1": v,
                        "S1_conf": 0.03,
                        "ST": st,
                        "ST_conf": np.nan if np.isnan(st) else 0.04,
                    }
                )
    return pd.DataFrame(rows)


def noise_table(
    outputs: tuple[str, ...] = ("diff:trial_error_cost_per_hire_weeks",),
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "output": list(outputs),
            "replicates": 4,
            "noise_share": 0.12,
            "total_var": 10.0,
            "within_var": 1.2,
        }
    )


def morris_table(output: str = "trial_error_cost_per_hire_weeks", n: int = 14) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    mu_star = np.sort(rng.gamma(1.5, 2.0, n))[::-1]
    names = [*PARAMETERS, *(f"param_{i}" for i in range(n - len(PARAMETERS)))]
    return pd.DataFrame(
        {
            "output": output,
            "target": "mean",
            "parameter": names,
            "mu": mu_star * rng.choice([-1, 1], n),
            "mu_star": mu_star,
            "sigma": mu_star * rng.uniform(0.2, 1.4, n),
            "mu_star_conf": mu_star * 0.15,
        }
    )


def convergence_table(output: str = "diff:trial_error_cost_per_hire_weeks") -> pd.DataFrame:
    rows = []
    final = dict(zip(PARAMETERS, (0.55, 0.3, 0.1, 0.05, 0.01), strict=True))
    for n in (64, 128, 256, 512):
        width = 0.8 / np.sqrt(n)
        for k, (p, v) in enumerate(final.items()):
            val = v + (0.1 * (-1) ** k) * 64 / n
            for index in ("S1", "ST"):
                rows.append(
                    {
                        "method": "sobol",
                        "output": output,
                        "target": "mean",
                        "parameter": p,
                        "index": index,
                        "n": n,
                        "value": val,
                        "conf_low": val - width,
                        "conf_high": val + width,
                    }
                )
    return pd.DataFrame(rows)
