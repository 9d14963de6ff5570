"""Style, deterministic files, and the choice of figures per stored experiment."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from community_sim.cli import main
from community_sim.errors import UserError
from community_sim.figures.labels import unit_of
from community_sim.figures.render import parse_formats, plan
from community_sim.figures.stored import read_analysis
from community_sim.figures.style import (
    POLICY_COLORS,
    STYLES,
    new_figure,
    policy_color,
    save_figure,
)

from . import synthetic as syn


def test_policy_colours_are_fixed_distinct_okabe_ito():
    assert POLICY_COLORS == {"project": "#0072B2", "integrated": "#D55E00", "transition": "#009E73"}
    assert policy_color("custom") == policy_color("custom")
    assert policy_color("custom") not in POLICY_COLORS.values()


def test_paper_widths_are_journal_columns():
    assert STYLES["paper"].single == pytest.approx(3.5)
    assert STYLES["paper"].double == pytest.approx(7.2)
    assert STYLES["slides"].font > STYLES["paper"].font >= 7


def _tiny_figure():
    fig = new_figure((3.5, 2.5))
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [1, 3, 2], label="project")
    ax.set_xlabel("Time (months)")
    return fig


@pytest.mark.parametrize("fmt", ["pdf", "svg", "png"])
def test_saving_twice_gives_identical_bytes_with_metadata(tmp_path: Path, fmt: str):
    meta = {"experiment": "policy_comparison", "spec_hash": "abc123"}
    a = save_figure(_tiny_figure(), tmp_path / "a" / "fig", [fmt], title="T", meta=meta)[0]
    b = save_figure(_tiny_figure(), tmp_path / "b" / "fig", [fmt], title="T", meta=meta)[0]
    data = a.read_bytes()
    assert data == b.read_bytes()
    assert b"policy_comparison" in data and b"abc123" in data
    if fmt == "pdf":
        assert b"/FontFile2" in data and b"/Type3" not in data  # TrueType embedded (fonttype 42)
        assert b"/CreationDate" not in data
    if fmt == "svg":
        assert not re.search(rb"<dc:date>", data)
    assert not list(a.parent.glob(".fig*"))  # no temporary files left behind


def test_formats_are_checked():
    assert parse_formats("PDF, svg,pdf") == ["pdf", "svg"]
    with pytest.raises(UserError, match=r"--format.*eps"):
        parse_formats("pdf,eps")


def test_compare_experiment_gets_series_outcomes_and_forest(compare_stored):
    built, skipped = plan(compare_stored, "paper")
    assert [b.stem for b in built] == ["series", "outcomes", "forest"]
    series_fig = built[0].figure
    assert len(series_fig.axes) == 4  # ties, cost, skill match, trust
    assert len(series_fig.axes[0].lines) == 3 * 2  # three policies × two tie kinds
    assert len(built[1].figure.axes) == len(syn.OUTCOMES)
    assert len(built[2].figure.axes) == len(syn.OUTCOMES)
    assert not skipped
    for b in (built[0], built[2]):  # series and forest: "<name> (<unit>)"
        for ax in b.figure.axes:
            assert re.search(r"\(.+\)", ax.get_ylabel() + ax.get_xlabel(), re.DOTALL), b.stem
    for ax, out in zip(built[1].figure.axes, syn.OUTCOMES, strict=True):  # titled panels
        assert ax.get_ylabel() == unit_of(out) and unit_of(out)


def test_compare_without_paired_table_says_how_to_get_it(compare_stored):
    compare_stored.analysis = {}
    built, skipped = plan(compare_stored, "paper")
    assert [b.stem for b in built] == ["series", "outcomes"]
    assert len(skipped) == 1 and "paired.parquet" in skipped[0] and "analyze" in skipped[0]


def test_grid_experiment_gets_sweeps_and_policy_gap_maps(grid_stored):
    built, _ = plan(grid_stored, "paper")
    stems = [b.stem for b in built]
    assert stems == ["sweep_tech_drift", "sweep_unemployment_rate", "policy_gap_map"]
    n_out = len(grid_stored.outcomes())
    assert n_out == len(syn.OUTCOMES)
    gap = built[-1].figure
    assert len([ax for ax in gap.axes if ax.get_label() != "<colorbar>"]) == n_out


def test_sensitivity_experiment_gets_indices_and_convergence(sobol_stored):
    built, _ = plan(sobol_stored, "paper")
    assert [b.stem for b in built] == [
        "indices_sobol_mean",
        "indices_sobol_sd",
        "convergence_sobol",
    ]
    conv = built[-1].figure
    assert len(conv.axes) == 2  # one output × (S1, ST)


def test_sensitivity_without_analysis_is_a_user_error(sobol_stored):
    sobol_stored.analysis = {}
    with pytest.raises(UserError, match="community-sim analyze"):
        plan(sobol_stored, "paper")


def test_analysis_table_with_wrong_columns_is_named(tmp_path: Path):
    (tmp_path / "analysis").mkdir()
    syn.indices_table().drop(columns=["ST_conf"]).to_parquet(
        tmp_path / "analysis" / "indices.parquet"
    )
    with pytest.raises(UserError, match=r"indices\.parquet.*ST_conf"):
        read_analysis(tmp_path / "analysis")


def test_cli_on_folder_without_results_exits_2(tmp_path: Path, capsys):
    assert main(["figures", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "runs.parquet" in err and "community-sim run" in err
    assert not (tmp_path / "figures").exists()
    assert main(["figures", str(tmp_path / "nope")]) == 2


@pytest.mark.slow
def test_importing_figures_has_no_pyplot_or_global_style_side_effect():
    # Reading rcParams['backend'] itself imports pyplot, so that key is left out.
    code = (
        "import sys, matplotlib as mpl\n"
        "rc = lambda: {k: mpl.rcParams[k] for k in mpl.rcParams.keys() if k != 'backend'}\n"
        "before = rc()\n"
        "import community_sim.figures\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
        "assert rc() == before\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_many_panels_are_split_into_balanced_pages_that_fit():
    from community_sim.figures.layout import pages

    paper = STYLES["paper"]
    assert pages(list("abcd"), paper, ncols=2, panel_aspect=0.8) == [("", list("abcd"))]
    split = pages(list("abcdefghijklmn"), paper, ncols=3, panel_aspect=0.85)
    assert [s for s, _ in split] == ["_1", "_2"]
    assert sum(len(c) for _, c in split) == 14 and all(len(c) % 3 == 0 for _, c in split[:-1])
    rows = len(split[0][1]) // 3
    assert rows * (paper.double / 3) * 0.85 <= paper.page
