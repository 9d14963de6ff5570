"""PRIM and CART on synthetic data with categorical and integer regions; quasi-p vs EMA."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from community_sim.discovery.boxes import in_box, quasi_p
from community_sim.discovery.cart import run_cart
from community_sim.discovery.prim import run_prim
from community_sim.discovery.settings import Settings
from community_sim.discovery.space import Dimension, Space


def mixed_space(n: int = 600, seed: int = 3) -> Space:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "x": rng.random(n),
            "k": rng.integers(1, 7, n).astype(np.int64),  # 1..6
            "mode": rng.choice(["a", "b", "c"], n),
        }
    )
    dims = (
        Dimension("x", "real", 0.0, 1.0),
        Dimension("k", "int", 1.0, 6.0),
        Dimension("mode", "cat", values=("a", "b", "c")),
    )
    return Space(dims, frame)


def region(space: Space) -> np.ndarray:
    """Cases: mode is b and k >= 4 (x does nothing)."""
    f = space.frame
    return ((f["mode"] == "b") & (f["k"] >= 4)).to_numpy()


@pytest.mark.parametrize("method", [run_prim, run_cart])
def test_categorical_and_integer_region(method):
    space = mixed_space()
    found = method(space, region(space), Settings())
    box = found.boxes[0]
    assert set(box.limits) == {"k", "mode"}
    assert box.limits["mode"] == frozenset({"b"})
    lo, hi = box.limits["k"]
    assert (lo, hi) == (4.0, 6.0)  # snapped to the integers the box admits
    assert box.density == 1.0 and box.coverage == 1.0


@pytest.mark.slow
def test_prim_covering_finds_two_disjoint_regions():
    """A large region, then (with its points set aside) a small one in the opposite corner."""
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"x": rng.random(800), "y": rng.random(800)})
    space = Space((Dimension("x", "real", 0, 1), Dimension("y", "real", 0, 1)), frame)
    big = (frame["x"] > 0.6) & (frame["y"] > 0.4)
    small = (frame["x"] < 0.3) & (frame["y"] < 0.15)
    found = run_prim(space, (big | small).to_numpy(), Settings(max_boxes=3))
    assert len(found.boxes) == 2
    first, second = found.boxes
    assert first.limits["x"][0] == pytest.approx(0.6, abs=0.05)
    assert first.limits["y"][0] == pytest.approx(0.4, abs=0.05)
    assert second.limits["x"][1] == pytest.approx(0.3, abs=0.05)
    assert second.limits["y"][1] == pytest.approx(0.15, abs=0.05)
    n_cases = int((big | small).sum())
    assert first.coverage == pytest.approx(big.sum() / n_cases, abs=0.03)
    assert first.coverage + second.coverage == pytest.approx(1.0, abs=0.03)
    assert "no candidate box 3" in found.notes[-1]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_quasi_p_matches_ema_workbench():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim

    rng = np.random.default_rng(9)
    x = pd.DataFrame({"a": rng.random(500), "b": rng.random(500), "c": rng.random(500)})
    y = ((x["a"] > 0.5) & (x["b"] < 0.4)).to_numpy()
    y = y ^ (rng.random(500) < 0.08)  # label noise, so the quasi-p-values are not all 0
    p = prim.Prim(x, y.astype(int), threshold=0.5)
    box = p.find_box()
    for i in (len(box.peeling_trajectory) // 2, len(box.peeling_trajectory) - 1):
        lim = box.box_lims[i]
        limits = {
            n: (float(lim.loc[0, n]), float(lim.loc[1, n]))
            for n in x.columns
            if lim.loc[0, n] != x[n].min() or lim.loc[1, n] != x[n].max()
        }
        ours = quasi_p(x, y, limits)
        assert int(in_box(x, limits).sum()) == int(box.peeling_trajectory.loc[i, "n"])
        for n, (lo, hi) in ours.items():
            ema_lo, ema_hi = box.qp[i][n]
            assert (np.nan if ema_lo == -1 else ema_lo) == pytest.approx(lo, rel=1e-9, nan_ok=True)
            assert (np.nan if ema_hi == -1 else ema_hi) == pytest.approx(hi, rel=1e-9, nan_ok=True)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_dropping_one_limit_keeps_the_other_side():
    """Opening x's lower limit leaves its upper one; the new box's count is checked by hand."""
    from community_sim.discovery.prim import _drop_limit, limits_of, load_ema_prim

    rng = np.random.default_rng(2)
    frame = pd.DataFrame({"x": rng.random(500), "y": rng.random(500)})
    space = Space((Dimension("x", "real", 0, 1), Dimension("y", "real", 0, 1)), frame)
    coi = ((frame["x"] > 0.3) & (frame["x"] < 0.7) & (frame["y"] < 0.5)).to_numpy()
    p = load_ema_prim().Prim(frame, coi.astype(int), threshold=1e-9)
    box = p.find_box()
    i = len(box.peeling_trajectory) - 1
    before = limits_of(space, box.box_lims[i], p.box_init)
    assert set(before) == {"x", "y"}
    _drop_limit(p, box, i, "x", 0, space)
    after = limits_of(space, box.box_lims[-1], p.box_init)
    assert after["x"] == (float(frame["x"].min()), before["x"][1])  # lower opened, upper kept
    assert after["y"] == before["y"]
    by_hand = (frame["x"] <= before["x"][1]) & frame["y"].between(*before["y"])
    assert int(box.peeling_trajectory["n"].iloc[-1]) == int(by_hand.sum())
    assert int(box.peeling_trajectory["k"].iloc[-1]) == int((by_hand & coi).sum())
