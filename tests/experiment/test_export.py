"""``community-sim export``: read back, the files equal the store; R's conventions hold.

R itself is not installed where the tests run: the conventions that
``read.csv`` and ``arrow::read_parquet`` rely on are checked on the files
(header row, no index column, ``NA``, ``TRUE``/``FALSE``, syntactic names,
ISO 8601 dates), and the values are read back with pandas and pyarrow.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from community_sim.cli import main
from community_sim.experiment import load_results, load_spec, run_experiment
from community_sim.metrics import OUTCOMES, SERIES
from community_sim.params import PARAMS

ROOT = Path(__file__).resolve().parents[2]
GRID = {
    "name": "grid",
    "scenario": str(ROOT / "configs" / "baseline.toml"),
    "steps": 24,
    "replicates": 2,
    "seed": 3,
    "compare": ["project", "integrated"],
    "overrides": {"burn_in_months": 6},
    "outputs": {
        "scalars": ["trial_error_cost_per_hire_weeks", "partnership_survival_5y"],
        "series": ["ties_project", "cost_per_hire_weeks"],
    },
    "design": {
        "kind": "grid",
        "parameters": {
            "tech_drift": {"values": [0.0, 0.2]},
            "subsidy_end_month": {"values": [-1, 12]},
        },
    },
}


@pytest.fixture(scope="module")
def grid(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export") / "grid"
    run_experiment(load_spec(GRID, base_dir=ROOT), out=out, workers=1)
    return out


def same(a: pd.Series, b: pd.Series) -> bool:
    """Equal values, NaN/None/NA equal to each other, numbers compared exactly."""
    if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
        return bool(np.array_equal(a.to_numpy(float), b.to_numpy(float), equal_nan=True))
    x = a.astype(object).where(a.notna(), None).tolist()
    y = b.astype(object).where(b.notna(), None).tolist()
    return x == y


def check_equal_to_store(read: dict[str, pd.DataFrame], out: Path) -> None:
    res = load_results(out)
    runs = read["runs"].set_index("run_id").loc[res.runs["run_id"]]
    assert len(read["runs"]) == len(res.runs) and read["runs"]["run_id"].is_unique
    for col in res.runs.columns:
        if col != "run_id":
            assert same(runs[col].reset_index(drop=True), res.runs[col]), col
    keys = ["run_id", "step", "name"]
    series = read["series"].sort_values(keys).reset_index(drop=True)
    stored = res.series.sort_values(keys).reset_index(drop=True)
    for col in [*keys, "value"]:
        assert same(series[col], stored[col]), col
    paired = read["paired_runs"]
    assert len(paired) == len(res.paired)
    for col in res.paired.columns:
        assert same(paired[col], res.paired[col]), col
    # design columns, from the design table itself
    design = res.design.set_index("point")
    for table in (read["runs"], read["series"], paired):
        for col in ("tech_drift", "subsidy_end_month"):
            expected = design.loc[table["point"], col].to_numpy()
            assert np.array_equal(table[col].to_numpy(), expected), col


def test_csv_export_reads_back_equal_to_the_store(grid: Path):
    assert main(["export", str(grid), "--format", "csv"]) == 0
    folder = grid / "export"
    read = {n: pd.read_csv(folder / f"{n}.csv") for n in ("runs", "series", "paired_runs")}
    check_equal_to_store(read, grid)


def test_parquet_export_reads_back_equal_to_the_store_without_an_index(grid: Path, tmp_path):
    assert main(["export", str(grid), "--format", "parquet", "--out", str(tmp_path)]) == 0
    read = {}
    for name in ("runs", "series", "paired_runs"):
        path = tmp_path / f"{name}.parquet"
        schema = pq.read_schema(path)
        assert not [n for n in schema.names if n.startswith("__index_level")]
        meta = json.loads(schema.metadata[b"pandas"])
        assert meta["index_columns"] == []  # arrow::read_parquet would show an index as a column
        read[name] = pd.read_parquet(path)
    check_equal_to_store(read, grid)


def test_design_columns_appear_once_after_the_identifiers(grid: Path, tmp_path):
    assert main(["export", str(grid), "--out", str(tmp_path)]) == 0
    for name in ("runs", "series", "paired_runs"):
        header = (tmp_path / f"{name}.csv").read_text().splitlines()[0].split(",")
        assert len(header) == len(set(header)), f"{name}: a column appears twice"
        assert header.count("tech_drift") == header.count("subsidy_end_month") == 1
    runs = (tmp_path / "runs.csv").read_text().splitlines()[0].split(",")
    assert runs[:7] == [
        "run_id", "point", "replicate", "policy", "seed", "tech_drift", "subsidy_end_month"
    ]  # fmt: skip


def test_csv_follows_what_r_reads_without_options(grid: Path, tmp_path):
    assert main(["export", str(grid), "--out", str(tmp_path), "--what", "runs"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["columns.csv", "export.json", "runs.csv"]
    text = (tmp_path / "runs.csv").read_text(encoding="utf-8")
    header, first = text.splitlines()[:2]
    assert header.startswith("run_id,") and first.startswith("0,")  # no index column
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_.]*", c) for c in header.split(","))
    # 5-year survival is undefined in 24-month runs: R's missing value, never "nan" or ""
    col = header.split(",").index("partnership_survival_5y")
    assert {line.split(",")[col] for line in text.splitlines()[1:]} == {"NA"}
    assert not re.search(r"(^|,)nan(,|$)", text, re.IGNORECASE | re.MULTILINE)  # pandas' NaN
    flags = {
        line.split(",")[header.split(",").index("first_right_to_hire")]
        for line in text.splitlines()[1:]
    }
    assert flags <= {"TRUE", "FALSE"}
    assert "\r" not in text


def test_manifests_carry_iso_8601_dates(grid: Path, tmp_path):
    assert main(["export", str(grid), "--out", str(tmp_path)]) == 0
    record = json.loads((tmp_path / "export.json").read_text())
    manifest = json.loads((grid / "manifest.json").read_text())
    iso = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"
    for value in (record["exported"], record["started"], record["finished"], manifest["started"]):
        assert re.fullmatch(iso, value), value
        assert datetime.fromisoformat(value).tzinfo is not None
    assert record["complete"] is True and record["spec_hash"] == manifest["spec_hash"]
    assert record["files"]["runs.csv"] == 16


def test_data_dictionary_describes_every_column(grid: Path, tmp_path):
    assert main(["export", str(grid), "--out", str(tmp_path)]) == 0
    cols = pd.read_csv(tmp_path / "columns.csv", keep_default_na=False)
    assert list(cols.columns) == ["table", "name", "unit", "description", "undefined_when"]
    for name in ("runs", "series", "paired_runs"):
        header = (tmp_path / f"{name}.csv").read_text().splitlines()[0].split(",")
        assert cols.loc[cols["table"] == name, "name"].tolist() == header
    runs = cols[cols["table"] == "runs"].set_index("name")
    assert runs.loc["tech_drift", "unit"] == PARAMS["tech_drift"].unit
    survival = OUTCOMES["partnership_survival_5y"]
    assert runs.loc["partnership_survival_5y", "unit"] == survival.unit
    assert survival.undefined in runs.loc["partnership_survival_5y", "undefined_when"]
    assert (cols.loc[cols["table"] != "series.name", "description"] != "").all()
    named = cols[cols["table"] == "series.name"].set_index("name")
    assert set(named.index) == {"ties_project", "cost_per_hire_weeks"}
    assert named.loc["cost_per_hire_weeks", "unit"] == SERIES["cost_per_hire_weeks"].unit


def test_a_named_scenario_is_joined_once(tmp_path):
    spec = {
        "name": "named",
        "model": "analytic_models:policy_effect",
        "replicates": 2,
        "compare": ["project", "integrated"],
        "design": {"kind": "scenarios", "scenarios": {"a": {}, "b": {}}},
    }
    out = tmp_path / "named"
    run_experiment(load_spec(spec, base_dir=tmp_path), out=out, workers=1)
    assert main(["export", str(out), "--what", "runs,paired"]) == 0
    runs = pd.read_csv(out / "export" / "runs.csv")
    assert list(runs.columns).count("scenario") == 1
    design = load_results(out).design.set_index("point")["scenario"]
    assert runs["scenario"].tolist() == design.loc[runs["point"]].tolist()
    paired = pd.read_csv(out / "export" / "paired_runs.csv")
    assert paired["scenario"].tolist() == design.loc[paired["point"]].tolist()


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["--what", "runs,seris"], ["--what", "seris", "series"]),
        (["--format", "xls"], ["--format", "xls", "csv or parquet"]),
    ],
)
def test_bad_options_are_one_line_exit_2_nothing_written(grid, tmp_path, capsys, args, names):
    assert main(["export", str(grid), "--out", str(tmp_path / "x"), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and all(n in err for n in names)
    assert not (tmp_path / "x").exists()


def test_paired_without_compare_says_what_to_export(tmp_path, capsys):
    spec = {"name": "plain", "model": "analytic_models:linear", "design": {"kind": "lhs", "n": 4}}
    spec["design"]["parameters"] = {"x1": {"low": 0.0, "high": 1.0}}
    out = tmp_path / "plain"
    run_experiment(load_spec(spec, base_dir=tmp_path), out=out, workers=1)
    assert main(["export", str(out), "--what", "paired"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "compare" in err and "--what runs" in err
    assert not (out / "export").exists()
    assert main(["export", str(out)]) == 0  # by default: every table stored
    assert sorted(p.name for p in (out / "export").iterdir()) == [
        "columns.csv", "export.json", "runs.csv", "series.csv"
    ]  # fmt: skip


def test_an_incomplete_experiment_is_exported_and_said_so(grid, tmp_path, capsys):
    """A store holding 10 of its 16 runs, as a sweep stopped part way leaves it."""
    part = tmp_path / "part"
    shutil.copytree(grid, part, ignore=shutil.ignore_patterns("export"))
    runs = pd.read_parquet(part / "runs.parquet")
    runs[runs["run_id"] < 10].to_parquet(part / "runs.parquet", index=False)
    assert main(["export", str(part), "--what", "runs"]) == 0
    out = capsys.readouterr().out
    assert "incomplete: 10 of 16 runs finished ok (0 failed, 6 missing)" in out
    assert "community-sim run" in out
    record = json.loads((part / "export" / "export.json").read_text())
    assert record["complete"] is False and record["counts"] == {"ok": 10, "failed": 0, "missing": 6}
    assert len(pd.read_csv(part / "export" / "runs.csv")) == 10
