"""Answers by condition: the paired policy difference at each level of a parameter.

``by_table`` gives, per level (or combination of levels) of the ``by``
parameters (:mod:`.conditions`), outcome and policy, the mean paired
difference ``policy − baseline`` with its 95% CI, from
:func:`.compare.paired_differences`: the design points at a level are its
clusters, so the interval is Student's t over their replicate means (or over
the runs when the level is one point, or one run per point).

``interaction_table`` says how that gap changes from the reference level (the
first level of the first ``by`` parameter: the lowest value, or a special
value such as "never") to each other level: the difference in differences
``DiD = gap(level) − gap(reference)``, within each level of the other ``by``
parameters. A design point has one value of the parameter, so the points at
two levels are disjoint, and their seeds are independent: the two gaps are
independent estimates. Each gap's standard error is the one of its own
clustered interval (half-width / its t quantile); the DiD's is
``sqrt(se_l² + se_ref²)`` with Welch–Satterthwaite degrees of freedom, the
unequal-variance two-sample t interval over the two levels' cluster means
(Welch 1947). Where the reference level's points are matched to the level's
(a crossed grid, pooled over another parameter), ignoring the matching only
widens the interval.

References
----------
Welch, B.L. (1947) The generalization of "Student's" problem when several
    different population variances are involved. Biometrika 34, 28–35.
Cochran, W.G. (1977) Sampling Techniques, 3rd ed., Wiley, ch. 10.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from community_sim.analysis.comparison import compare as cmp
from community_sim.analysis.comparison.conditions import (
    Condition,
    condition_of,
    label_text,
    level_columns,
)
from community_sim.errors import UserError

LEVEL = 0.95
_CODE = "__level_{}"


def table_stem(kind: str, names: Sequence[str]) -> str:
    """``by_<P>`` or ``by_<P>_<Q>`` (and ``interaction_…``): the file stem of a table."""
    return f"{kind}_{'_'.join(names)}"


def by_table(
    runs: pd.DataFrame,
    outcomes: Sequence[str],
    conditions: Sequence[Condition],
    baseline: str,
) -> pd.DataFrame:
    """Per level(s), outcome and policy: ``mean_diff`` with its clustered CI (module docstring).

    Columns: the ``by`` parameters (and ``<P>_low``, ``<P>_high`` for binned
    ones), ``outcome, policy, baseline, mean_diff, ci_low, ci_high, n`` (defined
    pairs), then ``n_undefined, n_points, ci_method``.
    """
    frame = runs.copy()
    keys = [_CODE.format(i) for i in range(len(conditions))]
    for key, c in zip(keys, conditions, strict=True):
        frame[key] = frame["point"].map(c.codes)
    diffs = cmp.paired_differences(frame, outcomes, baseline=baseline, by=keys, level=LEVEL)
    rows = []
    for r in diffs.to_dict("records"):
        codes = [int(r[k]) for k in keys]
        rows.append(
            {
                **level_columns(conditions, codes),
                "outcome": r["outcome"],
                "policy": r["policy"],
                "baseline": r["baseline"],
                "mean_diff": r["mean_diff"],
                "ci_low": r["ci_low"],
                "ci_high": r["ci_high"],
                "n": r["n_pairs"],
                "n_undefined": r["n_undefined"],
                "n_points": r["n_points"],
                "ci_method": r["ci_method"],
                "_codes": tuple(codes),
            }
        )
    return _sorted(pd.DataFrame(rows), outcomes)


def _sorted(table: pd.DataFrame, outcomes: Sequence[str]) -> pd.DataFrame:
    """Rows by outcome (in the given order), policy, then level order."""
    if table.empty:
        return table.drop(columns=["_codes"], errors="ignore")
    rank = {o: i for i, o in enumerate(outcomes)}
    table = table.assign(_rank=table["outcome"].map(rank))
    table = table.sort_values(["_rank", "policy", "_codes"], kind="stable")
    return table.drop(columns=["_rank", "_codes"]).reset_index(drop=True)


def standard_error(row: Mapping[str, Any], level: float = LEVEL) -> tuple[float, float]:
    """``(se, df)`` of one row of :func:`.compare.paired_differences`'s intervals.

    The interval is a Student-t one over ``k`` units: the runs (``t over
    runs``) or the points' means; its half-width is ``t(k - 1) · se``.
    """
    from scipy import stats

    k = int(row["n"] if row["ci_method"] == cmp.T_OVER_RUNS else row["n_points"])
    if row["ci_method"] not in (cmp.T_OVER_RUNS, cmp.T_OVER_POINTS) or k < 2:
        return math.nan, math.nan
    half = (float(row["ci_high"]) - float(row["ci_low"])) / 2
    return half / float(stats.t.ppf(0.5 + level / 2, k - 1)), float(k - 1)


def difference_in_differences(
    a: Mapping[str, Any], ref: Mapping[str, Any], level: float = LEVEL
) -> tuple[float, float, float]:
    """``(did, ci_low, ci_high)`` of two independent gaps (Welch; module docstring)."""
    from scipy import stats

    did = float(a["mean_diff"]) - float(ref["mean_diff"])
    (se_a, df_a), (se_r, df_r) = standard_error(a, level), standard_error(ref, level)
    var = se_a**2 + se_r**2
    if not (math.isfinite(var) and math.isfinite(did)):
        return did, math.nan, math.nan
    if var == 0:
        return did, did, did
    df = var**2 / (se_a**4 / df_a + se_r**4 / df_r)
    half = float(stats.t.ppf(0.5 + level / 2, df)) * math.sqrt(var)
    return did, did - half, did + half


def interaction_table(
    table: pd.DataFrame, conditions: Sequence[Condition], outcomes: Sequence[str]
) -> pd.DataFrame:
    """DiD of the gap from the first parameter's reference level to each other level.

    Columns: ``<P>, reference_level``, the other ``by`` parameters, ``outcome,
    policy, baseline, did, ci_low, ci_high`` (module docstring for the CI).
    """
    first, rest = conditions[0], list(conditions[1:])
    reference = first.labels[0]
    others = [c.name for c in rest]
    rows = []
    for (_, _, *other), grp in table.groupby(["outcome", "policy", *others], sort=False):
        at = {r[first.name]: r for r in grp.to_dict("records")}
        ref = at.get(reference)
        for lab in first.labels[1:]:
            if lab not in at:
                continue
            a = at[lab]
            did, low, high = (
                difference_in_differences(a, ref) if ref else (math.nan, math.nan, math.nan)
            )
            rows.append(
                {
                    first.name: lab,
                    "reference_level": reference,
                    **dict(zip(others, other, strict=True)),
                    "outcome": a["outcome"],
                    "policy": a["policy"],
                    "baseline": a["baseline"],
                    "did": did,
                    "ci_low": low,
                    "ci_high": high,
                }
            )
    cols = [first.name, "reference_level", *others, "outcome", "policy", "baseline", "did"]
    out = pd.DataFrame(rows, columns=[*cols, "ci_low", "ci_high"])
    if first.binned or isinstance(reference, str):
        out["reference_level"] = out["reference_level"].astype(str)
    return out


def _cell(mean: float, low: float, high: float) -> str:
    if not math.isfinite(mean):
        return "undefined"
    if not (math.isfinite(low) and math.isfinite(high)):
        return f"{mean:+.4g} (no CI)"
    return f"{mean:+.4g} [{low:+.4g}, {high:+.4g}]"


def by_condition_text(
    table: pd.DataFrame,
    interaction: pd.DataFrame,
    conditions: Sequence[Condition],
    units: Mapping[str, str] | None = None,
) -> str:
    """Per outcome, one line per level: the gap and its DiD from the reference level."""
    names = [c.name for c in conditions]
    first = conditions[0]
    head = (
        f"Paired policy differences by {' × '.join(names)} (95% CI clustered by design point; "
        f"DiD: change in the gap from {first.name} = {label_text(first.labels[0])})"
    )
    lines = [head]
    others = names[1:]
    keyed = {
        (r["outcome"], r["policy"], r[first.name], *(r[o] for o in others)): r
        for r in interaction.to_dict("records")
    }
    for outcome, grp in table.groupby("outcome", sort=False):
        unit = (units or {}).get(str(outcome), "")
        lines.append(f"{outcome} ({unit})" if unit and unit != "-" else str(outcome))
        for r in grp.to_dict("records"):
            where = ", ".join(f"{n}={label_text(r[n])}" for n in names)
            text = f"  {r['policy']} − {r['baseline']} at {where}: "
            text += _cell(r["mean_diff"], r["ci_low"], r["ci_high"]) + f"  n={r['n']}"
            d = keyed.get((outcome, r["policy"], r[first.name], *(r[o] for o in others)))
            if d is not None:
                text += "  DiD " + _cell(d["did"], d["ci_low"], d["ci_high"])
            lines.append(text)
    return "\n".join(lines)


def by_condition_latex(table: pd.DataFrame, conditions: Sequence[Condition]) -> str:
    """The ``by`` table as a booktabs table, one block per outcome."""
    from community_sim.analysis.tables import booktabs, fmt_interval, latex_escape

    names = [c.name for c in conditions]
    rows: list[list[str]] = []
    groups: list[int] = []
    previous = None
    for r in table.to_dict("records"):
        first = r["outcome"] != previous
        if first:
            groups.append(len(rows))
            previous = r["outcome"]
        rows.append(
            [
                latex_escape(r["outcome"]) if first else "",
                *(latex_escape(label_text(r[n])) for n in names),
                latex_escape(f"{r['policy']}-{r['baseline']}"),
                str(int(r["n"])),
                fmt_interval(r["mean_diff"], r["ci_low"], r["ci_high"]),
            ]
        )
    return booktabs(
        ["Output", *(latex_escape(n) for n in names), "Contrast", "$n$", "Difference [95% CI]"],
        rows,
        align="l" * (len(names) + 2) + "rr",
        caption=f"Paired policy differences by {', '.join(names)} (same seeds; "
        "95% CIs clustered by design point)",
        label=f"tab:{table_stem('by', names).replace('_', '-')}",
        groups=groups,
    )


def default_conditions(manifest: Mapping[str, Any], design: pd.DataFrame) -> list[list[str]]:
    """What ``analyze`` without ``--by`` tabulates: each parameter of a grid on its own."""
    if str((manifest.get("design") or {}).get("kind")) != "grid":
        return []
    if len(manifest.get("compare") or []) < 2:
        return []
    return [[c] for c in design.columns if c != "point" and design[c].nunique() > 1]


@dataclass
class ByCondition:
    """One ``--by`` analysis: its conditions, tables and printed form."""

    conditions: list[Condition]
    table: pd.DataFrame
    interaction: pd.DataFrame
    text: str

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.conditions]


def analyze_by(
    runs: pd.DataFrame,
    outcomes: Sequence[str],
    design: pd.DataFrame,
    manifest: Mapping[str, Any],
    by: Sequence[str],
    *,
    bins: int = 4,
    units: Mapping[str, str] | None = None,
) -> ByCondition:
    """The ``by`` and ``interaction`` tables of the parameters ``by`` (crossed)."""
    compare = [str(p) for p in manifest.get("compare") or []]
    if len(compare) < 2:
        raise UserError(
            "answers by condition compare policies; this experiment has no compare = [...]",
            source="--by",
        )
    repeated = sorted({n for n in by if list(by).count(n) > 1})
    if repeated:
        raise UserError(f"{repeated[0]!r} is given twice", source="--by")
    conditions = [condition_of(design, n, manifest, bins=bins) for n in by]
    table = by_table(runs, outcomes, conditions, compare[0])
    interaction = interaction_table(table, conditions, outcomes)
    text = by_condition_text(table, interaction, conditions, units)
    return ByCondition(conditions, table, interaction, text)
