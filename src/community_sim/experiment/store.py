"""The out folder: manifest, design, runs and series, written so a crash never corrupts it.

Runs are written as they finish, in batches: each batch is a pair of part
files under ``parts/`` (series first, then runs; a batch counts once its runs
part exists). Every file is written to a temporary name in the same folder and
renamed into place, which is atomic on POSIX. At the end the parts are
consolidated into ``runs.parquet`` (sorted by run id) and ``series.parquet``
(streamed part by part, so memory stays bounded), and removed. Consolidating
again after a crash gives the same files: each run keeps one record — its
``ok`` one if any, else its latest — and the series of that same record.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from community_sim.experiment.tasks import Record, Task

MANIFEST = "manifest.json"
DESIGN = "design.parquet"
RUNS = "runs.parquet"
SERIES = "series.parquet"
PAIRED = "paired_runs.parquet"
PARTS = "parts"
OWNED = (MANIFEST, DESIGN, RUNS, SERIES, PAIRED, PARTS, "analysis", "figures")
"""What ``--force`` removes: the store's own files and what was derived from them."""

SERIES_SCHEMA = pa.schema(
    [("run_id", pa.int64()), ("step", pa.int64()), ("name", pa.string()), ("value", pa.float64())]
)
FIXED = ("run_id", "point", "replicate", "policy", "seed")
_PART = re.compile(r"^runs-(\d{6})\.parquet$")


@lru_cache(maxsize=1)
def _file_mode() -> int:
    """0o666 less the process umask: what ``open()`` would have given the file."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file in the same folder, then rename into place."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, _file_mode())  # mkstemp makes it private; results are for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(path: Path, data: Mapping[str, Any]) -> None:
    text = json.dumps(data, indent=2, default=str) + "\n"
    _atomic(path, lambda p: p.write_text(text))


def write_parquet(path: Path, frame: pd.DataFrame | pa.Table) -> None:
    table = (
        frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)
    )
    _atomic(path, lambda p: pq.write_table(table, p))


def runs_frame(records: Sequence[Record], tasks: Mapping[int, Task]) -> pd.DataFrame:
    """One row per record: ids, seed, every parameter, outcomes, status, error, duration."""
    rows: list[dict[str, Any]] = []
    outcome_names: dict[str, None] = {}
    for r in records:
        t = tasks[r.run_id]
        row: dict[str, Any] = {
            "run_id": t.run_id,
            "point": t.point,
            "replicate": t.replicate,
            "policy": t.policy if t.policy is not None else t.params.get("policy"),
            "seed": t.seed,
        }
        row.update({k: v for k, v in t.params.items() if k not in FIXED})
        if r.output is not None:
            for k, v in r.output.outcomes.items():
                outcome_names.setdefault(k, None)
                row[k] = v
        row |= {"status": r.status, "error": r.error, "duration_s": r.duration_s}
        rows.append(row)
    frame = pd.DataFrame(rows)
    for k in ("run_id", "point", "replicate", "seed"):
        frame[k] = frame[k].astype("int64")
    for k in ("policy", "error", "status"):
        frame[k] = frame[k].astype("str").where(frame[k].notna(), None)
    for k in outcome_names:
        frame[k] = frame[k].astype("float64")
    tail = ["status", "error", "duration_s"]
    params = [c for c in frame.columns if c not in (*FIXED, *outcome_names, *tail)]
    return frame[[*FIXED, *params, *outcome_names, *tail]]


def series_table(records: Sequence[Record]) -> pa.Table:
    """Long-format series of the ok records: run_id, step, name, value."""
    parts = [r for r in records if r.output is not None and r.output.steps is not None]
    if not parts:
        return SERIES_SCHEMA.empty_table()
    run_ids = np.concatenate(
        [np.full(len(r.output.steps), r.run_id, dtype=np.int64) for r in parts]  # type: ignore[union-attr, arg-type]
    )
    return pa.table(
        {
            "run_id": run_ids,
            "step": np.concatenate([r.output.steps for r in parts]),  # type: ignore[union-attr]
            "name": pa.array(np.concatenate([r.output.names for r in parts]), pa.string()),  # type: ignore[union-attr]
            "value": np.concatenate([r.output.values for r in parts]),  # type: ignore[union-attr]
        },
        schema=SERIES_SCHEMA,
    )


class Store:
    """Read and write one experiment's out folder."""

    def __init__(self, out: str | Path):
        self.out = Path(out)
        self.parts = self.out / PARTS

    def path(self, name: str) -> Path:
        return self.out / name

    def exists(self) -> bool:
        return self.path(MANIFEST).is_file()

    def read_manifest(self) -> dict[str, Any]:
        return json.loads(self.path(MANIFEST).read_text())

    def write_manifest(self, manifest: Mapping[str, Any]) -> None:
        write_json(self.path(MANIFEST), manifest)

    def clear(self) -> None:
        """Remove the store's own files (``--force``); anything else in the folder stays."""
        for name in OWNED:
            p = self.path(name)
            if p.is_dir():
                shutil.rmtree(p)
            elif p.exists():
                p.unlink()

    def remove_temp_files(self) -> None:
        """Remove temporary files a killed writer left behind (never a finished file)."""
        for folder in (self.out, self.parts):
            if folder.is_dir():
                for f in folder.glob(".*.tmp"):
                    f.unlink(missing_ok=True)

    def _part_numbers(self) -> list[int]:
        if not self.parts.is_dir():
            return []
        return sorted(int(m.group(1)) for f in os.listdir(self.parts) if (m := _PART.match(f)))

    def write_batch(self, number: int, records: Sequence[Record], tasks: Mapping[int, Task]) -> int:
        """Write one batch as part files; returns the next batch number."""
        self.parts.mkdir(exist_ok=True)
        write_parquet(self.parts / f"series-{number:06d}.parquet", series_table(records))
        write_parquet(self.parts / f"runs-{number:06d}.parquet", runs_frame(records, tasks))
        return number + 1

    def next_batch_number(self) -> int:
        nums = self._part_numbers()
        return nums[-1] + 1 if nums else 1

    def _sources(self) -> Iterator[tuple[int, pd.DataFrame, Path | None]]:
        """(order, runs, series file) of the consolidated store, then of each part."""
        if self.path(RUNS).is_file():
            series = self.path(SERIES)
            yield 0, pd.read_parquet(self.path(RUNS)), series if series.is_file() else None
        for n in self._part_numbers():
            yield (
                n,
                pd.read_parquet(self.parts / f"runs-{n:06d}.parquet"),
                (self.parts / f"series-{n:06d}.parquet"),
            )

    def read_runs(self) -> pd.DataFrame:
        """Every run recorded so far, one record per run id (ok preferred, then latest)."""
        frames = [df.assign(_src=order) for order, df, _ in self._sources()]
        if not frames:
            return pd.DataFrame(columns=[*FIXED, "status", "error", "duration_s"])
        allr = pd.concat(frames, ignore_index=True)
        allr["_ok"] = allr["status"] == "ok"
        allr = allr.sort_values(["run_id", "_ok", "_src"], kind="stable")
        chosen = allr.drop_duplicates("run_id", keep="last")
        return chosen.drop(columns=["_ok"]).reset_index(drop=True)

    def consolidate(self) -> pd.DataFrame:
        """Merge parts into runs.parquet and series.parquet, then remove the parts."""
        chosen = self.read_runs()
        series_files = {order: s for order, _, s in self._sources()}
        keep = {
            order: pa.array(grp["run_id"].to_numpy(), pa.int64())
            for order, grp in chosen.groupby("_src")
        }
        runs = chosen.drop(columns=["_src"]).sort_values("run_id").reset_index(drop=True)

        def write_series(tmp: Path) -> None:
            with pq.ParquetWriter(tmp, SERIES_SCHEMA) as writer:
                for order, ids in keep.items():
                    src = series_files.get(order)
                    if src is None or not src.is_file():
                        continue
                    for batch in pq.ParquetFile(src).iter_batches(batch_size=1 << 16):
                        tbl = pa.Table.from_batches([batch]).cast(SERIES_SCHEMA)
                        writer.write_table(tbl.filter(pc.is_in(tbl["run_id"], value_set=ids)))

        _atomic(self.path(SERIES), write_series)
        write_parquet(self.path(RUNS), runs)
        if self.parts.is_dir():
            shutil.rmtree(self.parts)
        return runs
