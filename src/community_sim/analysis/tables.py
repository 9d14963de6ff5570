"""Writing analysis tables: Parquet (for figures), CSV (for anyone), LaTeX (for papers).

LaTeX tables use the booktabs rules (``\\toprule``, ``\\midrule``,
``\\bottomrule``; no vertical rules) and need ``\\usepackage{booktabs}``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def latex_escape(text: object) -> str:
    """``text`` with LaTeX's special characters escaped."""
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in str(text))


def fmt_ci(value: float, conf: float, digits: int = 3) -> str:
    """``value ± conf`` in math mode; a dash for NaN, no ± when the CI is unknown."""
    if value is None or not math.isfinite(value):
        return "--"
    if conf is None or not math.isfinite(conf):
        return f"${value:.{digits}f}$"
    return f"${value:.{digits}f} \\pm {conf:.{digits}f}$"


def fmt_interval(value: float, low: float, high: float) -> str:
    """``value [low, high]``; a dash for NaN, no interval when it is unknown."""
    if value is None or not math.isfinite(value):
        return "--"
    if not (math.isfinite(low) and math.isfinite(high)):
        return f"${value:.4g}$"
    return f"${value:.4g}$ [{low:.4g}, {high:.4g}]"


def booktabs(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    align: str,
    caption: str,
    label: str,
    groups: Sequence[int] = (),
) -> str:
    """A ``table`` environment with a booktabs ``tabular``; cells are already LaTeX.

    ``groups`` are row positions before which a ``\\midrule`` separates blocks.
    """
    if len(align) != len(header):
        raise ValueError("one alignment letter per column is needed")
    lines = [
        r"\begin{table}[htbp]",
        r"\centering",
        f"\\caption{{{latex_escape(caption)}}}",
        f"\\label{{{label}}}",
        f"\\begin{{tabular}}{{{align}}}",
        r"\toprule",
        " & ".join(header) + r" \\",
        r"\midrule",
    ]
    for i, row in enumerate(rows):
        if len(row) != len(header):
            raise ValueError("every row needs one cell per column")
        if i in groups and i > 0:
            lines.append(r"\midrule")
        lines.append(" & ".join(row) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}", r"\end{table}", ""]
    return "\n".join(lines)


def _grouped_rows(
    df: pd.DataFrame, keys: Sequence[str], cells
) -> tuple[list[list[str]], list[int]]:
    """Rows of ``df`` with the ``keys`` columns printed once per block."""
    rows: list[list[str]] = []
    groups: list[int] = []
    previous: tuple | None = None
    for rec in df.itertuples(index=False):
        key = tuple(getattr(rec, k) for k in keys)
        first = key != previous
        if first:
            groups.append(len(rows))
        lead = [latex_escape(v) if first else "" for v in key]
        rows.append(lead + cells(rec))
        previous = key
    return rows, groups


def _index_cell(value: float, conf: float, note: object, index: str) -> str:
    """An index with its CI, or "undefined"/"unresolved" where the analysis flagged it."""
    if isinstance(note, str) and f"{index} =" in note:
        return "undefined"
    if isinstance(note, str) and "unresolved" in note:
        return "unresolved"
    return fmt_ci(value, conf)


IMPUTED_MARK = r"$^\dagger$"
IMPUTED_CAPTION = (
    r"; $\dagger$: undefined or failed runs replaced by the output's mean (--impute mean), "
    "so the indices are those of neither the model nor the region where it is defined"
)


def _dagger_imputed(df: pd.DataFrame, rows: list[list[str]]) -> bool:
    """Put a dagger after every printed output name that has imputed values; whether any."""
    if "imputed" not in df.columns:
        return False
    names = {latex_escape(o) for o in df.loc[df["imputed"].fillna(0) > 0, "output"]}
    for row in rows:
        if row[0] in names:
            row[0] += IMPUTED_MARK
    return bool(names)


def indices_latex(indices: pd.DataFrame, method: str) -> str:
    """Sensitivity indices with CIs, one block per output and target."""
    rows, groups = _grouped_rows(
        indices,
        ["output", "target"],
        lambda r: [
            latex_escape(r.parameter),
            _index_cell(r.S1, r.S1_conf, getattr(r, "note", None), "S1"),
            _index_cell(r.ST, r.ST_conf, getattr(r, "note", None), "ST"),
        ],
    )
    imputed = _dagger_imputed(indices, rows)
    first = {"pawn": "PAWN (median KS)", "delta": r"$\delta$"}.get(method, "$S_1$")
    flagged = "note" in indices.columns and indices["note"].notna().any()
    return booktabs(
        ["Output", "Target", "Parameter", first, "$S_T$"],
        rows,
        align="lllrr",
        caption=f"{method.upper()} sensitivity indices with 95% confidence intervals"
        + (
            " (undefined: too imprecise to be a share of variance; see report.txt)"
            if flagged
            else ""
        )
        + (IMPUTED_CAPTION if imputed else ""),
        label=f"tab:{method}-indices",
        groups=groups,
    )


def morris_latex(morris: pd.DataFrame) -> str:
    """Morris screening measures, one block per output and target."""
    rows, groups = _grouped_rows(
        morris,
        ["output", "target"],
        lambda r: [
            latex_escape(r.parameter),
            f"${r.mu:.4g}$",
            fmt_ci(r.mu_star, r.mu_star_conf, 4),
            f"${r.sigma:.4g}$",
        ],
    )
    imputed = _dagger_imputed(morris, rows)
    return booktabs(
        ["Output", "Target", "Parameter", r"$\mu$", r"$\mu^*$", r"$\sigma$"],
        rows,
        align="lllrrr",
        caption="Morris elementary effects (mu* with 95% bootstrap interval)"
        + (IMPUTED_CAPTION if imputed else ""),
        label="tab:morris",
        groups=groups,
    )


def _methods(frame: pd.DataFrame) -> str:
    """The CI methods of a table and the runs left out as undefined, for its caption."""
    parts = []
    if "ci_method" in frame.columns:
        methods = sorted(set(frame["ci_method"].dropna().astype(str)))
        if methods:
            parts.append("CI: " + ", ".join(methods))
    if "n_undefined" in frame.columns and frame["n_undefined"].sum() > 0:
        parts.append("$n$ counts defined values; undefined ones are left out")
    return f" ({'; '.join(parts)})" if parts else ""


def comparison_latex(comparison: pd.DataFrame) -> str:
    """Policy means with 95% CIs, one block per output."""
    rows, groups = _grouped_rows(
        comparison,
        ["output"],
        lambda r: [
            latex_escape(r.policy),
            latex_escape(r.scenario),
            str(int(r.n)),
            fmt_interval(r.mean, r.ci_low, r.ci_high),
        ],
    )
    return booktabs(
        ["Output", "Policy", "Scenario", "$n$", "Mean [95% CI]"],
        rows,
        align="lllrr",
        caption="Outcomes by policy and scenario (mean and 95% confidence interval)"
        + _methods(comparison),
        label="tab:comparison",
        groups=groups,
    )


def paired_latex(paired: pd.DataFrame) -> str:
    """Paired policy differences with CIs and effect sizes, one block per output."""
    rows, groups = _grouped_rows(
        paired,
        ["output"],
        lambda r: [
            latex_escape(r.contrast),
            latex_escape(r.scenario),
            str(int(r.n)),
            fmt_interval(r.mean_diff, r.ci_low, r.ci_high),
            f"${r.effect_size:.2f}$" if math.isfinite(r.effect_size) else "--",
        ],
    )
    return booktabs(
        ["Output", "Contrast", "Scenario", "$n$", "Difference [95% CI]", "$d_z$"],
        rows,
        align="lllrrr",
        caption="Paired policy differences (same seeds), 95% CIs and standardised effect size"
        + _methods(paired),
        label="tab:paired",
        groups=groups,
    )


def write_table(df: pd.DataFrame, directory: Path, stem: str, latex: str | None = None) -> None:
    """``stem``.parquet and ``stem``.csv (and ``stem``.tex when given) in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    df.to_parquet(directory / f"{stem}.parquet", index=False)
    df.to_csv(directory / f"{stem}.csv", index=False)
    if latex is not None:
        (directory / f"{stem}.tex").write_text(latex, encoding="utf-8")
