"""``community-sim figures`` on real stored results: small experiments run once per module."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from community_sim.analysis.api import analyze_experiment
from community_sim.cli import main
from community_sim.experiment import run_experiment
from community_sim.figures.render import plan
from community_sim.figures.stored import load_stored
from community_sim.metrics import OUTCOMES, SERIES

BASELINE = Path(__file__).resolve().parents[2] / "configs" / "baseline.toml"
SCALARS = ["trial_error_cost_per_hire_weeks", "partnership_survival_5y", "skill_match"]
SERIES_OUT = ["ties_project", "ties_integrated", "trial_error_cost", "skill_match", "mean_trust"]


def _run(folder: Path, body: str) -> Path:
    spec = folder / "spec.toml"
    spec.write_text(body)
    out = folder / "out"
    run_experiment(spec, out, workers=1)
    return out


@pytest.fixture(scope="module")
def compare_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("compare")
    out = _run(
        folder,
        f"""
name = "fig_compare"
scenario = "{BASELINE.as_posix()}"
replicates = 2
seed = 11
steps = 30
compare = ["project", "integrated", "transition"]
[outputs]
scalars = {SCALARS!r}
series = {SERIES_OUT!r}
[design]
kind = "scenarios"
[design.scenarios.baseline]
""",
    )
    analyze_experiment(out)
    return out


@pytest.fixture(scope="module")
def grid_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("grid")
    return _run(
        folder,
        f"""
name = "fig_grid"
scenario = "{BASELINE.as_posix()}"
replicates = 1
seed = 3
steps = 30  # a 6-month window after the 24-month burn-in: shorter runs have no outcomes
compare = ["project", "integrated"]
[outputs]
scalars = {SCALARS[:2]!r}
series = ["mean_trust"]
[design]
kind = "grid"
[design.parameters]
tech_drift = {{ low = 0.0, high = 0.25, levels = 3 }}
unemployment_rate = {{ low = 0.02, high = 0.12, levels = 2 }}
""",
    )


@pytest.fixture(scope="module")
def sobol_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sobol")
    return _run(
        folder,
        """
name = "fig_sobol"
model = "analytic_models:ishigami"
replicates = 1
seed = 5
[design]
kind = "sobol"
n = 64
[design.parameters]
x1 = { low = -3.14159, high = 3.14159 }
x2 = { low = -3.14159, high = 3.14159 }
x3 = { low = -3.14159, high = 3.14159 }
""",
    )


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.slow
def test_compare_figures_are_written_and_identical_on_a_second_run(compare_dir, capsys):
    assert main(["figures", str(compare_dir), "--format", "pdf,png,svg"]) == 0
    first = _files(compare_dir / "figures")
    stems = {"series", "outcomes", "forest"}
    assert set(first) == {f"{s}.{e}" for s in stems for e in ("pdf", "png", "svg")}
    assert main(["figures", str(compare_dir), "--format", "pdf,png,svg"]) == 0
    assert _files(compare_dir / "figures") == first
    spec_hash = load_stored(compare_dir).spec_hash
    for name in ("series.pdf", "series.svg", "series.png"):
        assert b"fig_compare" in first[name] and spec_hash.encode() in first[name]


def test_compare_figures_show_every_policy_with_registry_units(compare_dir):
    built, skipped = plan(load_stored(compare_dir), "paper")
    assert not skipped
    series, outcomes, forest = (b.figure for b in built)
    ties = series.axes[0]
    assert len(ties.lines) == 3 * 2 and f"({SERIES['ties_project'].unit})" in ties.get_ylabel()
    assert len(series.axes) == 4
    # 30 months cannot follow a partnership for 60: its 5-year survival is undefined in
    # every run, so its panel says so, with the registry's reason (rather than zeros or nothing)
    undefined = SCALARS.index("partnership_survival_5y")
    for fig in (outcomes, forest):
        assert len(fig.axes) == len(SCALARS)
        texts = [t.get_text() for t in fig.axes[undefined].texts]
        assert texts and texts[0].startswith("undefined:")
        assert " ".join(texts[0].split()).endswith(OUTCOMES["partnership_survival_5y"].undefined)
        assert not fig.axes[undefined].lines and not fig.axes[undefined].collections
    defined = [k for k, o in enumerate(SCALARS) if k != undefined]
    units = [outcomes.axes[k].get_ylabel() for k in defined]
    assert units == [OUTCOMES[SCALARS[k]].unit for k in defined]
    points = [
        len(c.get_offsets()) for c in outcomes.axes[0].collections if hasattr(c, "get_offsets")
    ]
    assert sum(points) == 3 * 2  # every run a point
    assert all(len(forest.axes[k].containers) == 2 for k in defined)  # two contrasts each
    assert OUTCOMES[SCALARS[0]].unit in forest.axes[0].get_xlabel()


@pytest.mark.slow
def test_grid_gives_sweeps_and_the_policy_gap_map(grid_dir):
    assert main(["figures", str(grid_dir), "--format", "png"]) == 0
    names = sorted(p.name for p in (grid_dir / "figures").iterdir())
    assert names == ["policy_gap_map.png", "sweep_tech_drift.png", "sweep_unemployment_rate.png"]
    built, _ = plan(load_stored(grid_dir), "paper")
    sweep = built[0].figure.axes[0]
    assert [len(line.get_xdata()) for line in sweep.lines] == [3] * 4  # 2 policies × 2 levels
    assert sweep.get_xlabel() == "Tech drift (1/yr)"


def test_sobol_without_analysis_stores_analyze_s_tables_then_draws(sobol_dir, tmp_path):
    shutil.rmtree(sobol_dir / "analysis", ignore_errors=True)
    assert main(["figures", str(sobol_dir), "--format", "png"]) == 0
    assert (sobol_dir / "figures" / "indices_sobol_mean.png").is_file()
    stored = pd.read_parquet(sobol_dir / "analysis" / "indices.parquet")
    # the same table `analyze` writes, from its own code (analysed again in a copy)
    copy = shutil.copytree(sobol_dir, tmp_path / "copy")
    shutil.rmtree(copy / "analysis")
    analyze_experiment(copy)
    pd.testing.assert_frame_equal(stored, pd.read_parquet(copy / "analysis" / "indices.parquet"))
    before = (sobol_dir / "analysis" / "report.txt").stat().st_mtime_ns
    assert main(["figures", str(sobol_dir), "--format", "png"]) == 0
    assert (sobol_dir / "analysis" / "report.txt").stat().st_mtime_ns == before  # read, not redone


def test_sobol_whose_analysis_needs_a_choice_exits_2_naming_the_command(tmp_path, capsys):
    out = _run(
        tmp_path,
        """
name = "fig_sobol_nan"
model = "analytic_models:sometimes_undefined"
seed = 5
[design]
kind = "sobol"
n = 8
[design.parameters]
x = { low = 0.0, high = 1.0 }
""",
    )
    assert main(["figures", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "community-sim analyze" in err
    assert not (out / "figures").exists()


@pytest.mark.slow
def test_sobol_with_analysis_gives_index_bars_and_convergence(sobol_dir):
    analyze_experiment(sobol_dir)
    assert main(["figures", str(sobol_dir), "--format", "png"]) == 0
    names = {p.name for p in (sobol_dir / "figures").iterdir()}
    assert {"indices_sobol_mean.png", "convergence_sobol.png"} <= names
    built, _ = plan(load_stored(sobol_dir), "paper")
    bars = built[0].figure.axes[0]
    assert [t.get_text() for t in bars.get_yticklabels()][:2] == ["x1", "x2"]  # ST order


def test_an_analysis_table_the_figures_cannot_read_exits_2(sobol_dir, capsys):
    table = sobol_dir / "analysis" / "morris.parquet"
    table.parent.mkdir(exist_ok=True)  # whether or not an earlier test analysed the folder
    pd.DataFrame({"output": ["y"], "mu": [1.0]}).to_parquet(table)
    try:
        assert main(["figures", str(sobol_dir)]) == 2
        err = capsys.readouterr().err
        assert "morris.parquet" in err and "mu_star" in err
    finally:
        table.unlink()


def test_compare_without_analysis_takes_paired_differences_from_the_runs(compare_dir, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(compare_dir, copy, ignore=shutil.ignore_patterns("analysis", "figures"))
    built, skipped = plan(load_stored(copy), "paper")
    assert [b.stem for b in built] == ["series", "outcomes", "forest"] and not skipped
    forest = built[-1].figure
    analysed = pd.read_parquet(compare_dir / "analysis" / "paired.parquet")
    row = analysed[(analysed.output == SCALARS[0]) & (analysed.contrast == "integrated-project")]
    xs = [c.lines[0].get_xdata()[0] for c in forest.axes[0].containers]
    assert row["mean_diff"].iloc[0] == pytest.approx(xs[0])  # same numbers as `analyze`


@pytest.mark.slow
def test_figure_files_are_readable_by_others(compare_dir):
    main(["figures", str(compare_dir), "--format", "png"])
    mode = (compare_dir / "figures" / "series.png").stat().st_mode & 0o777
    assert mode & 0o044 == 0o044  # not mkstemp's private 0600


def test_morris_screening_gives_the_mu_star_sigma_plot(tmp_path):
    out = _run(
        tmp_path,
        """
name = "fig_morris"
model = "analytic_models:linear"
seed = 2
[design]
kind = "morris"
n = 8
levels = 4
[design.parameters]
x0 = { low = 0.0, high = 1.0 }
x1 = { low = 0.0, high = 2.0 }
x2 = { low = 0.0, high = 1.0 }
""",
    )
    analyze_experiment(out)
    assert main(["figures", str(out), "--format", "svg"]) == 0
    assert (out / "figures" / "morris.svg").is_file()
    built, _ = plan(load_stored(out), "paper")
    ax = built[-1].figure.axes[0]
    mu_star = sorted(x for c in ax.containers for x in c.lines[0].get_xdata())
    assert mu_star == pytest.approx([1.0, 3.0, 4.0])  # |slope| × range: 1×1, 3×1, 2×2
    assert {t.get_text() for t in ax.texts} >= {"x0", "x1", "x2"}


def test_cli_outputs_and_labels_choose_the_panels(compare_dir, tmp_path, capsys):
    out = tmp_path / "chosen"
    args = ["figures", str(compare_dir), "--format", "svg", "--out", str(out)]
    chosen = ["--outputs", "skill_match,trial_error_cost_per_hire_weeks"]
    title = "Skill match of the hires"
    assert main([*args, *chosen, "--labels", f"skill_match={title}"]) == 0
    # (titles are drawn as paths in SVG: test_paper_ready checks them on the figures)
    assert (out / "outcomes.svg").read_text().count('<g id="axes_') == 2
    forest = (out / "forest.svg").read_text()
    assert forest.count('<g id="axes_') == 2  # two panels, not three
    capsys.readouterr()
    assert main([*args, "--outputs", "skill_macth"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "skill_macth" in err and "--outputs" in err
