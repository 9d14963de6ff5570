"""Figures a paper can take: chosen and titled panels, named special values, ticks that fit,
the paper style from a direct call, and panels that say an output is undefined."""

from __future__ import annotations

from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from community_sim.errors import UserError
from community_sim.figures import plot_forest, plot_sweep
from community_sim.figures.render import choose, parse_labels, plan
from community_sim.figures.stored import Stored
from community_sim.figures.style import new_figure, style_context
from community_sim.params import PARAMS

from . import synthetic as syn


def tick_label_overlaps(fig: Figure) -> list[tuple[str, str, str]]:
    """Pairs of visible tick labels on one axis whose rendered boxes overlap."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    bad = []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            boxes = [
                (t.get_text(), t.get_window_extent(renderer))
                for t in axis.get_ticklabels()
                if t.get_visible() and t.get_text()
            ]
            for i, (a, box_a) in enumerate(boxes):
                for b, box_b in boxes[i + 1 :]:
                    if box_a.overlaps(box_b):
                        bad.append((ax.get_title(), a, b))
    return bad


def _tiny_paired(n_outputs: int = 15) -> pd.DataFrame:
    """Differences of order 1e-3 in 15 panels: the forest plot that overlapped before."""
    table = syn.paired_table(outputs=tuple(f"out_{k}" for k in range(n_outputs)))
    table["mean_diff"] = -0.0015 - 1e-4 * np.arange(len(table))
    table["ci_low"] = table["mean_diff"] - 3e-4
    table["ci_high"] = table["mean_diff"] + 2e-4
    return table


def test_the_overlap_check_sees_matplotlib_s_default_crowding():
    # The check itself can fail: eight plain labels of small numbers on a narrow axis.
    fig = new_figure((1.6, 1.2))
    ax = fig.add_subplot()
    ax.plot([-0.00175, -0.0001], [0, 1])
    ax.set_xticks(np.linspace(-0.00175, -0.0001, 8))
    assert tick_label_overlaps(fig)


def test_forest_of_small_differences_has_no_overlapping_ticks(compare_stored):
    compare_stored.analysis = {"paired": _tiny_paired()}
    built, _ = plan(compare_stored, "paper")
    forest = [b for b in built if b.stem.startswith("forest")]
    assert forest and sum(len(b.figure.axes) for b in forest) == 15
    for b in forest:
        assert tick_label_overlaps(b.figure) == [], b.stem
        for ax in b.figure.axes:
            assert len([t for t in ax.get_xticklabels() if t.get_text()]) >= 2


@pytest.mark.parametrize("style", ["paper", "slides"])
@pytest.mark.parametrize("family", ["compare_stored", "grid_stored", "sobol_stored"])
def test_no_figure_family_has_overlapping_tick_labels(family, style, request):
    stored = request.getfixturevalue(family)
    with style_context(style):
        built, _ = plan(stored, style)
        for b in built:
            assert tick_label_overlaps(b.figure) == [], b.stem


def test_morris_and_direct_plots_have_no_overlapping_tick_labels():
    from community_sim.figures import plot_morris

    ax = plot_morris(syn.morris_table(), "trial_error_cost_per_hire_weeks")
    assert tick_label_overlaps(ax.figure) == []
    paired = _tiny_paired(1)
    ax = plot_forest(paired, "out_0")
    assert tick_label_overlaps(ax.figure) == []


# --- choosing and titling panels ------------------------------------------------------------
def _titles(fig: Figure) -> list[str]:
    return [" ".join(ax.get_title().split()) for ax in fig.axes]


def test_outputs_choose_and_order_panels_and_labels_title_them(compare_stored):
    chosen = ["skill_match", "trial_error_cost_per_hire_weeks"]
    stored = choose(compare_stored, chosen, {"skill_match": "Skill match of hires (0–1)"})
    built, _ = plan(stored, "paper")
    outcomes = next(b for b in built if b.stem == "outcomes").figure
    forest = next(b for b in built if b.stem == "forest").figure
    for fig in (outcomes, forest):
        assert _titles(fig) == [
            "(a) Skill match of hires (0–1)",
            "(b) Trial-and-error cost per hire",
        ]
    assert len(next(b for b in built if b.stem == "series").figure.axes) == 4  # unchanged


def test_unknown_outputs_or_labels_are_named(compare_stored):
    with pytest.raises(UserError, match=r"--outputs.*skil_match.*skill_match"):
        choose(compare_stored, ["skil_match"], None)
    with pytest.raises(UserError, match=r"--labels.*nope"):
        choose(compare_stored, None, {"nope": "x"})
    assert parse_labels(['skill_match="Skill match"', "a=b=c"]) == {
        "skill_match": "Skill match",
        "a": "b=c",
    }
    with pytest.raises(UserError, match="--labels"):
        parse_labels(["skill_match"])


# --- special values -----------------------------------------------------------------------
def _support_runs() -> pd.DataFrame:
    """subsidy_end_month {-1, 36} × tech_drift: support ending hurts integrated more."""
    rng = np.random.default_rng(4)
    rows, run_id, point = [], 0, 0
    for end in (-1, 36):
        for drift in (0.0, 0.1, 0.2):
            for rep in range(3):
                for policy in ("project", "integrated"):
                    cut = 2.0 if (end == 36 and policy == "integrated") else 0.0
                    rows.append(
                        {
                            "run_id": run_id,
                            "point": point,
                            "replicate": rep,
                            "policy": policy,
                            "seed": rep,
                            "subsidy_end_month": end,
                            "tech_drift": drift,
                            "status": "ok",
                            "skill_match": 0.6 - drift - 0.05 * cut + rng.normal(0, 0.01),
                        }
                    )
                    run_id += 1
            point += 1
    return pd.DataFrame(rows)


def test_subsidy_end_month_declares_never():
    assert PARAMS["subsidy_end_month"].special == {-1: "never"}
    assert PARAMS["tech_drift"].special == {}


def test_a_special_value_is_a_named_category_not_a_dose():
    runs = _support_runs()
    ax = plot_sweep(runs, "subsidy_end_month", "skill_match")
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["36", "never"]  # the switch after the numbers, named from the table
    never = ax.get_xticks()[labels.index("never")]
    for line in ax.get_lines():
        x = np.asarray(line.get_xdata(), float)
        # no line joins "never" to a month: a line at "never" is a lone marker
        assert never not in x or (x.size == 1 or line.get_linestyle() in ("None", "none", ""))
    assert -1 not in ax.get_xticks() or labels[list(ax.get_xticks()).index(-1)] != "-1"


def test_grid_with_a_special_value_names_it_in_sweeps_legends_and_gap_map(tmp_path: Path):
    runs = _support_runs()
    design = runs[["point", "subsidy_end_month", "tech_drift"]].drop_duplicates("point")
    stored = Stored(
        path=tmp_path,
        manifest={"name": "support", "design": {"kind": "grid"}, "outcomes": ["skill_match"]},
        runs=runs,
        series=None,
        design=design.reset_index(drop=True),
    )
    built = {b.stem: b.figure for b in plan(stored, "paper")[0]}
    sweep = built["sweep_subsidy_end_month"]
    assert [t.get_text() for t in sweep.axes[0].get_xticklabels()] == ["36", "never"]
    drift = built["sweep_tech_drift"]
    legend = [t.get_text() for t in drift.legends[0].get_texts()]
    assert "subsidy end month: never" in " ".join(legend).lower()
    assert not any("-1" in t for t in legend)
    gap = built["policy_gap_map"].axes[0]
    assert [t.get_text() for t in gap.get_xticklabels()][-1] == "never"


# --- undefined everywhere -----------------------------------------------------------------
def test_an_output_undefined_everywhere_gets_a_panel_saying_when(grid_stored):
    grid_stored.runs["partnership_survival_5y"] = np.nan
    grid_stored.manifest["undefined_when"] = {"partnership_survival_5y": "no 60-month spell"}
    built, _ = plan(grid_stored, "paper")
    for b in built:
        titles = _titles(b.figure)
        k = next(i for i, t in enumerate(titles) if "survival" in t.lower())
        texts = [" ".join(t.get_text().split()) for t in b.figure.axes[k].texts]
        assert texts == ["undefined: no 60-month spell"], b.stem


def test_undefined_indices_say_the_table_s_reason(sobol_stored):
    table = sobol_stored.analysis["indices"]
    table = pd.concat([table, table.assign(output="diff:skill_match", S1=np.nan, ST=np.nan)])
    table["note"] = np.where(table["output"] == "diff:skill_match", "CI half-width above 0.5", None)
    sobol_stored.analysis["indices"] = table.reset_index(drop=True)
    built, _ = plan(sobol_stored, "paper")
    fig = next(b for b in built if b.stem == "indices_sobol_mean").figure
    assert len(fig.axes) == 2
    texts = [" ".join(t.get_text().split()) for t in fig.axes[1].texts]
    assert texts == ["undefined: CI half-width above 0.5"]


# --- the paper style from a direct call ---------------------------------------------------
@pytest.fixture
def paper_style():
    """Overrides the package's autouse style: these tests call the plots with no style."""
    yield


def test_a_direct_call_draws_in_the_paper_style_without_touching_rcparams(tmp_path: Path):
    before = dict(mpl.rcParams)
    ax = plot_forest(_tiny_paired(1), "out_0")
    assert dict(mpl.rcParams) == before  # nothing global changed
    fig = ax.get_figure()
    assert tuple(fig.get_size_inches()) == pytest.approx((3.5, 3.5 * 0.75))
    fig.savefig(tmp_path / "f.png")  # saved outside any style: ticks made now keep the style
    sizes = {t.get_fontsize() for t in ax.get_xticklabels() + ax.get_yticklabels()}
    assert sizes == {7.0}  # paper: 8 pt text, 7 pt ticks (matplotlib's default is 10)
    assert ax.xaxis.label.get_fontsize() == 8.0
    assert not ax.spines["top"].get_visible()


def test_a_direct_call_inside_the_slides_style_keeps_slides():
    with style_context("slides"):
        ax = plot_forest(_tiny_paired(1), "out_0")
        ax.get_figure().canvas.draw()
    assert {t.get_fontsize() for t in ax.get_xticklabels()} == {13.0}
