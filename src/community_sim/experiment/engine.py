"""Orchestration of one experiment: spec → design → seeds → executor → store.

:func:`run_experiment` is the Python API behind ``community-sim run``.
"""

from __future__ import annotations

import logging
import platform
import subprocess
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from community_sim.experiment.adapters import adapter_for
from community_sim.experiment.completeness import mark_stale
from community_sim.experiment.derived import UNDEFINED_WHEN
from community_sim.experiment.designs import build_design, describe_design
from community_sim.experiment.executors import Executor, chunk_size, chunked, make_executor
from community_sim.experiment.lock import out_lock
from community_sim.experiment.progress import Progress
from community_sim.experiment.resume import (
    check_out_folder,
    default_out,
    done_run_ids,
    model_fingerprint,
)
from community_sim.experiment.spec import ExperimentSpec, load_spec
from community_sim.experiment.store import DESIGN, FIXED, PAIRED, Store, write_parquet
from community_sim.experiment.tasks import Record, Task, iter_tasks, run_chunk

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Plan:
    """An experiment ready to run: its spec, design matrix and out folder."""

    spec: ExperimentSpec
    design: pd.DataFrame
    out: Path

    @property
    def n_runs(self) -> int:
        return len(self.design) * self.spec.replicates * len(self.spec.policies)

    def tasks(self, skip: set[int] | frozenset[int] = frozenset()) -> Iterator[Task]:
        s = self.spec
        return iter_tasks(self.design, s.base_params, s.replicates, s.policies, s.seed, skip)


@dataclass
class RunSummary:
    """What a call of :func:`run_experiment` did."""

    out: Path
    total: int
    counts: dict[str, int]
    ran: int
    elapsed_s: float
    resumed: bool
    failures: list[tuple[int, str]] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return self.counts.get("failed", 0)


def plan_experiment(
    spec_or_path: ExperimentSpec | str | Path | Mapping[str, Any], out: str | Path | None = None
) -> Plan:
    """Load the spec and build its design; writes nothing."""
    spec = spec_or_path if isinstance(spec_or_path, ExperimentSpec) else load_spec(spec_or_path)
    design = build_design(spec.design, dict(spec.base_params), spec.seed)
    return Plan(spec, design, Path(out) if out is not None else default_out(spec))


def time_one_run(plan: Plan) -> float:
    """Seconds taken by the experiment's first run, run here (for ``--dry-run``)."""
    task = next(plan.tasks())
    t0 = time.perf_counter()
    run_chunk(plan.spec.model, [task])
    return time.perf_counter() - t0


def _git_commit() -> str | None:
    try:
        res = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return res.stdout.strip() or None if res.returncode == 0 else None


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("community-sim", "numpy", "pandas", "pyarrow", "SALib", "mesa", "scipy"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            pass
    return out


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_manifest(plan: Plan, executor_label: str, fingerprint: str | None = None) -> dict[str, Any]:
    s = plan.spec
    return {
        "name": s.name,
        "description": s.description,
        "spec_path": str(s.path) if s.path else None,
        "spec": s.to_json(),
        "spec_hash": s.spec_hash(),
        "model": s.model.target,
        "model_fingerprint": fingerprint,
        "deterministic": adapter_for(s.model).deterministic(s.model),
        "undefined_when": adapter_for(s.model).undefined_when(s.model)
        | {name: UNDEFINED_WHEN for name, _ in s.model.derived},
        "steps": s.model.steps,
        "outputs": {
            "scalars": list(s.model.scalars) if s.model.scalars is not None else None,
            "series": list(s.model.series),
            "period": s.model.period,
            "derived": dict(s.model.derived),
        },
        "base_params": dict(s.base_params),
        "design": describe_design(s.design, len(plan.design)),
        "compare": list(s.compare),
        "replicates": s.replicates,
        "master_seed": s.seed,
        "n_runs": plan.n_runs,
        "versions": _versions(),
        "git_commit": _git_commit(),
        "platform": platform.platform(),
        "executor": executor_label,
        "started": _now(),
        "resumed": [],
        "finished": None,
        "counts": {"ok": 0, "failed": 0, "missing": plan.n_runs},
    }


def outcome_columns(runs: pd.DataFrame, plan: Plan) -> list[str]:
    """The scalar outcome columns of ``runs``: neither ids, parameters nor bookkeeping."""
    params = set(plan.spec.base_params) | set(plan.design.columns)
    skip = {*FIXED, "status", "error", "duration_s"}
    return [c for c in runs.columns if c not in skip and c not in params]


def counts_of(runs: pd.DataFrame, total: int) -> dict[str, int]:
    ok = int((runs["status"] == "ok").sum()) if len(runs) else 0
    failed = int((runs["status"] == "failed").sum()) if len(runs) else 0
    return {"ok": ok, "failed": failed, "missing": total - ok - failed}


def run_experiment(
    spec_or_path: Plan | ExperimentSpec | str | Path | Mapping[str, Any],
    out: str | Path | None = None,
    *,
    workers: int | None = None,
    dask: str | None = None,
    force: bool = False,
    progress: bool = False,
    checkpoint_s: float = 10.0,
    executor: Executor | None = None,
) -> RunSummary:
    """Run (or resume) an experiment into ``out`` and return what happened.

    ``workers=1`` runs serially; otherwise local processes (default: all cores),
    or Dask when ``dask`` is ``"local"`` or a scheduler address. Bad input
    raises :class:`~community_sim.errors.UserError` before anything is written.
    A :class:`Plan` (from :func:`plan_experiment`) is run as it is, into its
    own out folder.
    """
    t0 = time.perf_counter()
    plan = spec_or_path if isinstance(spec_or_path, Plan) else plan_experiment(spec_or_path, out)
    with out_lock(plan.out):  # one writer per folder; released however this ends
        return _run_locked(plan, t0, workers, dask, force, progress, checkpoint_s, executor)


def _run_locked(
    plan: Plan,
    t0: float,
    workers: int | None,
    dask: str | None,
    force: bool,
    progress: bool,
    checkpoint_s: float,
    executor: Executor | None,
) -> RunSummary:
    store = Store(plan.out)
    fingerprint = model_fingerprint(plan.spec)
    action = check_out_folder(store, plan.spec, force=force, fingerprint=fingerprint)
    resumed = action == "resume"
    own_executor = executor is None
    ex = executor or make_executor(workers, dask)  # may fail (bad address): nothing touched yet
    try:
        if action == "clear":
            store.clear()
        plan.out.mkdir(parents=True, exist_ok=True)
        if resumed:
            store.remove_temp_files()
            manifest = store.read_manifest()
            manifest["resumed"].append(_now())
            manifest["executor"] = ex.label
        else:
            manifest = new_manifest(plan, ex.label, fingerprint)
        if not store.path(DESIGN).is_file():
            write_parquet(store.path(DESIGN), plan.design)
        store.write_manifest(manifest)
        done = done_run_ids(store)
        n_todo = plan.n_runs - len(done)
        if resumed and n_todo:  # tables written from fewer runs no longer hold
            mark_stale(plan.out, f"{n_todo} runs to add by a resumed sweep")
        log.info("%s: %d runs, %d to do, on %s", plan.spec.name, plan.n_runs, n_todo, ex.label)
        failures = _sweep(plan, store, ex, done, n_todo, progress, checkpoint_s)
    finally:
        if own_executor:
            ex.close()
    runs = store.consolidate()
    outcomes = outcome_columns(runs, plan)
    if plan.spec.compare:
        from community_sim.experiment.pairs import paired_table

        paired = paired_table(runs, outcomes, baseline=plan.spec.compare[0])
        write_parquet(store.path(PAIRED), paired)
    counts = counts_of(runs, plan.n_runs)
    manifest |= {"outcomes": outcomes, "counts": counts, "finished": _now()}
    store.write_manifest(manifest)
    return RunSummary(
        plan.out, plan.n_runs, counts, n_todo, time.perf_counter() - t0, resumed, failures
    )


def _sweep(
    plan: Plan,
    store: Store,
    ex: Executor,
    done: set[int],
    n_todo: int,
    progress: bool,
    checkpoint_s: float,
) -> list[tuple[int, str]]:
    """Run every task not in ``done``, writing batches as they finish."""
    in_flight: dict[int, Task] = {}

    def remember(tasks: Iterator[Task]) -> Iterator[Task]:
        for t in tasks:
            in_flight[t.run_id] = t
            yield t

    size = chunk_size(n_todo, ex.workers)
    chunks = chunked(remember(plan.tasks(done)), size)
    batch: list[Record] = []
    batch_tasks: dict[int, Task] = {}
    failures: list[tuple[int, str]] = []
    number = store.next_batch_number()
    last = time.monotonic()
    # A batch holds at most this many runs so memory stays bounded on 10^5 runs.
    max_batch = max(200, 8 * size * ex.workers)
    bar = Progress(plan.n_runs, len(done), enabled=progress, desc=plan.spec.name)
    try:
        for records in ex.map_chunks(plan.spec.model, chunks):
            n_failed = 0
            for r in records:
                batch_tasks[r.run_id] = in_flight.pop(r.run_id)
                if r.status != "ok":
                    n_failed += 1
                    if len(failures) < 50:  # enough to report; all are in runs.parquet
                        last_line = (r.error or "").strip().splitlines()[-1:] or [""]
                        failures.append((r.run_id, last_line[0]))
            batch.extend(records)
            bar.update(len(records), n_failed)
            if len(batch) >= max_batch or time.monotonic() - last >= checkpoint_s:
                number = store.write_batch(number, batch, batch_tasks)
                batch, batch_tasks, last = [], {}, time.monotonic()
    finally:
        if batch:
            store.write_batch(number, batch, batch_tasks)
        bar.close()
    return failures


def estimate_text(plan: Plan, seconds: float, workers: int, remaining: int) -> str:
    """One line: the expected wall time of the remaining runs."""
    total = seconds * remaining / max(1, workers)
    if total < 120:
        when = f"{total:.0f} s"
    elif total < 7200:
        when = f"{total / 60:.0f} min"
    else:
        when = f"{total / 3600:.1f} h"
    return f"one run took {seconds:.3g} s; {remaining} runs on {workers} worker(s) ≈ {when}"
