"""End to end: `community-sim discover` on a stored experiment with a known answer.

``analytic_models.box_win`` makes integrated lower the cost exactly where
x1 > 0.6 and x2 < 0.3, with noise in each same-seed pair; x3, the integer k and
the categorical mode do nothing. The tests check the boxes against that
region and against Friedman & Fisher's peeling written out in the test.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analytic_models import WIN_BOX
from community_sim.cli import main

SPEC = """
name = "box_win"
model = "analytic_models:box_win"
seed = 11
replicates = 4
compare = ["project", "integrated"]
[overrides]
nan_above = {nan_above}
[design]
kind = "lhs"
n = 400
[design.parameters]
x1 = {{ low = 0.0, high = 1.0 }}
x2 = {{ low = 0.0, high = 1.0 }}
x3 = {{ low = 0.0, high = 1.0 }}
k = {{ low = 1, high = 5, kind = "int" }}
mode = {{ values = ["a", "b", "c"] }}
"""

TARGET = "diff:cost < 0"
TOL = 0.05


def run_spec(tmp: Path, name: str, nan_above: float = 2.0) -> Path:
    spec = tmp / f"{name}.toml"
    spec.write_text(SPEC.format(nan_above=nan_above).strip() + "\n")
    out = tmp / name
    assert main(["run", str(spec), "--out", str(out), "--workers", "1", "--no-progress"]) == 0
    return out


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return run_spec(tmp_path_factory.mktemp("discover"), "box")


def limits(folder: Path, box: int = 1) -> pd.DataFrame:
    lim = pd.read_parquet(folder / "limits.parquet")
    return lim[lim["box"] == box].set_index("parameter")


def assert_is_the_win_box(lim: pd.DataFrame) -> None:
    """Only x1 and x2 restricted, each limit within TOL of the analytic region."""
    assert set(lim.index) == {"x1", "x2"}
    for name, (lo, hi) in WIN_BOX.items():
        assert lim.loc[name, "lower"] == pytest.approx(lo, abs=TOL), name
        assert lim.loc[name, "upper"] == pytest.approx(hi, abs=TOL), name


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_prim_finds_the_analytic_box(store, capsys):
    code = main(["discover", str(store), "--target", TARGET, "--threshold-prob", "0.75"])
    assert code == 0
    printed = capsys.readouterr().out
    folder = store / "discovery" / "diff-cost-lt-0-prim"
    assert_is_the_win_box(limits(folder))
    boxes = pd.read_parquet(folder / "boxes.parquet")
    first = boxes.iloc[0]
    assert first["density"] >= 0.9 and first["coverage"] >= 0.9
    # coverage and density against the truth: the cases as the model defines them
    cases = pd.read_parquet(folder / "cases.parquet")
    truth = (cases["x1"] > 0.6) & (cases["x2"] < 0.3)
    in_box = cases["box"] == 1
    assert (truth & in_box).sum() / in_box.sum() >= 0.9
    assert (truth & in_box).sum() / truth.sum() >= 0.9
    assert re.search(
        r"Box 1: integrated lowers cost in 9\d% of the points with x1 ≥ 0\.[56]", printed
    )
    for stem in ("trajectory", "boxes", "limits"):
        for ext in ("parquet", "csv", "tex"):
            assert (folder / f"{stem}.{ext}").is_file()
    for fig in ("tradeoff", "limits", "pairs"):
        assert (folder / "figures" / f"{fig}.png").stat().st_size > 1000
    # the quasi-p-values of both limits are tiny: neither is an accident of the sample
    lim = limits(folder)
    assert lim.loc["x1", "qp_lower"] < 1e-6 and lim.loc["x2", "qp_upper"] < 1e-6
    assert np.isnan(lim.loc["x1", "qp_upper"]) and np.isnan(lim.loc["x2", "qp_lower"])


@pytest.mark.slow
def test_validate_holdout_through_the_cli(store, capsys):
    args = ["discover", str(store), "--target", TARGET, "--out-name", "held"]
    assert main([*args, "--validate", "holdout"]) == 0
    report = (store / "discovery" / "held" / "report.txt").read_text()
    line = next(x for x in report.splitlines() if x.startswith("  box 1: density"))
    held = float(line.split("→ ")[1].split(" held out")[0])
    assert held >= 0.85  # the analytic region keeps its density on points it did not see
    assert "judged on the other 200" in report
    capsys.readouterr()
    with pytest.raises(SystemExit):  # argparse refuses an unknown choice
        main([*args, "--force", "--validate", "bootstrap"])
    assert "--validate" in capsys.readouterr().err


def reference_peel(x: np.ndarray, y: np.ndarray, alpha: float = 0.05, mass_min: float = 0.05):
    """Friedman & Fisher's (1999) top-down peeling written out, for real inputs only.

    An independent reference (no EMA Workbench, no pasting): at each step remove the
    ``alpha`` quantile slab of one face, the face whose removal gives the densest box;
    stop at ``mass_min``. Returns the (coverage, density, limits) of every step.
    """
    inside = np.ones(len(y), dtype=bool)
    lims = np.column_stack([x.min(axis=0), x.max(axis=0)])
    steps = []
    while inside.sum() > mass_min * len(y):
        best = None
        for j in range(x.shape[1]):
            for side, q in ((0, alpha), (1, 1 - alpha)):
                cut = np.quantile(x[inside, j], q)
                keep = inside & (x[:, j] >= cut if side == 0 else x[:, j] <= cut)
                if keep.sum() in (inside.sum(), 0) or keep.sum() < mass_min * len(y):
                    continue
                if best is None or y[keep].mean() > best[0]:
                    best = (y[keep].mean(), keep, j, side, cut)
        if best is None:
            break
        _, inside, j, side, cut = best
        lims = lims.copy()
        lims[j, side] = cut
        steps.append((y[inside].sum() / y.sum(), y[inside].mean(), lims))
    return steps


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_same_box_as_an_independent_peeling(store):
    """Our PRIM's first box against peeling written out here, on the same cases."""
    name = "reference-check"
    assert main(["discover", str(store), "--target", TARGET, "--out-name", name]) == 0
    ours = limits(store / "discovery" / name)
    design = pd.read_parquet(store / "design.parquet").sort_values("point")
    paired = pd.read_parquet(store / "paired_runs.parquet")
    mean_diff = paired.groupby("point")["cost"].mean().reindex(design["point"]).to_numpy()
    x = design[["x1", "x2", "x3", "k"]].to_numpy(dtype=float)
    steps = reference_peel(x, mean_diff < 0)
    # the same choice rule as ours: the largest coverage x density with density >= 0.8
    cov, dens, lims = max((s for s in steps if s[1] >= 0.8), key=lambda s: s[0] * s[1])
    assert dens >= 0.9 and cov >= 0.85
    assert ours.loc["x1", "lower"] == pytest.approx(lims[0, 0], abs=TOL)
    assert ours.loc["x2", "upper"] == pytest.approx(lims[1, 1], abs=TOL)


@pytest.mark.slow
def test_cart_finds_the_analytic_box(store):
    name = "cart"
    args = ["discover", str(store), "--target", TARGET, "--method", "cart", "--out-name", name]
    assert main(args) == 0
    folder = store / "discovery" / name
    assert_is_the_win_box(limits(folder))
    assert pd.read_parquet(folder / "boxes.parquet").iloc[0]["density"] >= 0.9


@pytest.mark.slow
def test_output_bytes_are_reproducible(store):
    args = ["discover", str(store), "--target", "cost@integrated > 10.5", "--out-name", "rep"]
    assert main(args) == 0
    first = digests(store / "discovery" / "rep")
    assert main([*args, "--force"]) == 0
    assert digests(store / "discovery" / "rep") == first
    assert any(k.endswith(".pdf") for k in first) and any(k.endswith(".png") for k in first)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--target", "diff:cost << 0"], "--target: cannot read"),
        (["--target", "diff:cots < 0"], "did you mean 'diff:cost'"),
        (["--target", "diff:cost < zero"], "not a finite number"),
        (["--target", "diff:cost < 100"], "every point meets"),
        (["--target", TARGET, "--threshold-prob", "1.5"], "--threshold-prob"),
        (["--target", TARGET, "--out-name", "a/b"], "--out-name"),
        (["--target", TARGET, "--min-density", "0"], "--min-density"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(store, capsys, args, message):
    before = digests(store)
    assert main(["discover", str(store), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "\n" not in err
    assert digests(store) == before


@pytest.mark.slow
def test_missing_folder_and_existing_name(tmp_path, store, capsys):
    assert main(["discover", str(tmp_path / "nowhere"), "--target", TARGET]) == 2
    assert "no such folder" in capsys.readouterr().err
    args = ["discover", str(store), "--target", TARGET, "--out-name", "kept"]
    assert main(args) == 0
    before = digests(store / "discovery" / "kept")
    assert main([*args, "--method", "cart"]) == 2
    assert "exists; pass --force" in capsys.readouterr().err
    assert digests(store / "discovery" / "kept") == before


def test_missing_extra_names_the_install(store, capsys, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda n, *a: None if n == "ema_workbench" else real(n, *a)
    )
    assert main(["discover", str(store), "--target", TARGET, "--out-name", "noextra"]) == 2
    assert "pip install 'community-sim[discovery]'" in capsys.readouterr().err
    assert not (store / "discovery" / "noextra").exists()


@pytest.mark.slow
def test_nan_points_are_left_out_and_counted(tmp_path, capsys):
    out = run_spec(tmp_path, "nan", nan_above=0.9)
    assert main(["discover", str(out), "--target", TARGET]) == 0
    report = capsys.readouterr().out
    design = pd.read_parquet(out / "design.parquet")
    n_nan = int((design["x3"] > 0.9).sum())
    assert n_nan > 0 and f"{n_nan} point(s) left out" in report
    cases = pd.read_parquet(out / "discovery" / "diff-cost-lt-0-prim" / "cases.parquet")
    assert int((~cases["valid"]).sum()) == n_nan
    assert cases.loc[~cases["valid"], "mean"].isna().all()
    assert not cases.loc[~cases["valid"], "case"].any()
    assert_is_the_win_box(limits(out / "discovery" / "diff-cost-lt-0-prim"))
