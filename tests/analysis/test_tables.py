"""Table writers: well-formed booktabs LaTeX, CSV that round-trips."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from community_sim.analysis.tables import indices_latex, latex_escape, morris_latex, write_table


def _indices() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "method": "sobol",
            "output": ["diff:trial_error_cost", "diff:trial_error_cost", "skill_match@project"],
            "target": ["mean", "mean", "sd"],
            "parameter": ["tech_drift", "hire_cost_weeks", "tech_drift"],
            "S1": [0.31234567891234, -0.02, np.nan],
            "S1_conf": [0.05, 0.01, np.nan],
            "ST": [0.5, 0.1, 0.2],
            "ST_conf": [0.04, np.nan, 0.03],
        }
    )


def assert_booktabs(tex: str, columns: int) -> None:
    lines = tex.strip().splitlines()
    assert lines[0] == r"\begin{table}[htbp]" and lines[-1] == r"\end{table}"
    assert tex.count(r"\begin{tabular}") == tex.count(r"\end{tabular}") == 1
    assert tex.count(r"\toprule") == 1 and tex.count(r"\bottomrule") == 1
    assert "|" not in re.search(r"\\begin\{tabular\}\{([^}]*)\}", tex).group(1)
    top, bottom = lines.index(r"\toprule"), lines.index(r"\bottomrule")
    assert lines[top + 2] == r"\midrule" and top < bottom
    for line in lines[top + 1 : bottom]:
        if line != r"\midrule":
            assert line.endswith(r"\\")
            assert line.count(" & ") == columns - 1
    # every unescaped $ opens and closes math; no bare underscores outside math
    body = "\n".join(lines[top:bottom])
    assert body.replace(r"\$", "").count("$") % 2 == 0
    assert not re.search(r"(?<!\\)_", re.sub(r"\$[^$]*\$", "", body))


def test_indices_latex_is_booktabs():
    tex = indices_latex(_indices(), "sobol")
    assert_booktabs(tex, 5)
    assert r"diff:trial\_error\_cost" in tex
    assert r"$0.312 \pm 0.050$" in tex and "$0.100$" in tex  # no ± when CI unknown
    assert " -- " in tex  # NaN shown as a dash


def test_morris_latex_is_booktabs():
    df = pd.DataFrame(
        {
            "output": ["y", "y"],
            "target": ["mean", "mean"],
            "parameter": ["a_b", "c"],
            "mu": [1.0, -2.0],
            "mu_star": [1.0, 2.0],
            "sigma": [0.0, 0.5],
            "mu_star_conf": [0.1, 0.2],
        }
    )
    assert_booktabs(morris_latex(df), 6)


def test_escape():
    assert latex_escape("a_b&c%d$e#f{g}") == r"a\_b\&c\%d\$e\#f\{g\}"


def test_csv_and_parquet_round_trip(tmp_path):
    df = _indices()
    write_table(df, tmp_path, "indices", latex=indices_latex(df, "sobol"))
    back = pd.read_csv(tmp_path / "indices.csv")
    pd.testing.assert_frame_equal(back, df, check_dtype=False)
    assert back["S1"].iloc[0] == df["S1"].iloc[0]  # exact float round trip
    pd.testing.assert_frame_equal(
        pd.read_parquet(tmp_path / "indices.parquet"), df, check_dtype=False
    )
    assert (tmp_path / "indices.tex").read_text().startswith(r"\begin{table}")


def test_comparison_and_paired_latex_handle_missing_intervals():
    from community_sim.analysis.tables import comparison_latex, paired_latex

    comp = pd.DataFrame(
        {
            "output": ["y", "y"],
            "policy": ["project", "integrated"],
            "scenario": ["all", "all"],
            "n": [1, 10],
            "mean": [1.0, 2.0],
            "ci_low": [np.nan, 1.5],
            "ci_high": [np.nan, 2.5],
        }
    )
    tex = comparison_latex(comp)
    assert_booktabs(tex, 5)
    assert "nan" not in tex and "$2$ [1.5, 2.5]" in tex
    paired = pd.DataFrame(
        {
            "output": ["y"],
            "contrast": ["integrated-project"],
            "scenario": ["all"],
            "n": [10],
            "mean_diff": [1.0],
            "ci_low": [0.5],
            "ci_high": [1.5],
            "effect_size": [np.nan],
        }
    )
    assert_booktabs(paired_latex(paired), 6)


def test_undefined_index_reads_undefined_in_the_latex_table():
    df = pd.DataFrame(
        {
            "method": ["sobol"] * 2,
            "output": ["y"] * 2,
            "target": ["mean"] * 2,
            "parameter": ["a", "b"],
            "S1": [np.nan, 0.2],
            "S1_conf": [np.nan, 0.01],
            "ST": [0.5, 0.3],
            "ST_conf": [0.1, 0.02],
            "note": ["undefined: S1 = -3.5 outside [-0.1, 1.1]", None],
        }
    )
    tex = indices_latex(df, "sobol")
    assert r"a & undefined & $0.500 \pm 0.100$" in tex
    assert r"b & $0.200 \pm 0.010$" in tex and "see report.txt" in tex
