"""Executors: serial, local processes, and Dask distributed — all give identical results.

Each executor takes chunks of tasks lazily and keeps at most a few chunks in
flight per worker, so 10^5 runs never sit in memory at once. Results come back
in completion order; the store sorts by run id, and seeds never depend on order.

Multiprocessing is configured here (a fork-server or spawn context per pool),
never at import. Dask is used through ``Client.get_executor()``: no scheduler of our own.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from community_sim.errors import UserError
from community_sim.experiment.models import COMMUNITY, ModelRef
from community_sim.experiment.tasks import Record, Task, run_chunk

log = logging.getLogger(__name__)


class Executor(Protocol):
    """Runs chunks of tasks and yields their records as chunks finish."""

    workers: int
    label: str

    def map_chunks(self, model: ModelRef, chunks: Iterable[list[Task]]) -> Iterator[list[Record]]:
        """Yield one list of records per chunk, in completion order."""
        ...

    def close(self) -> None: ...


def _failed(chunk: list[Task], exc: BaseException) -> list[Record]:
    err = f"{type(exc).__name__}: {exc} (the worker running this run was lost)"
    return [Record(t.run_id, "failed", err, 0.0, None) for t in chunk]


def _bounded(
    submit: Any, model: ModelRef, chunks: Iterable[list[Task]], in_flight: int
) -> Iterator[list[Record]]:
    """Submit chunks with at most ``in_flight`` pending; yield results as they complete."""
    pending: dict[Future[list[Record]], list[Task]] = {}
    it = iter(chunks)
    exhausted = False
    while True:
        while not exhausted and len(pending) < in_flight:
            chunk = next(it, None)
            if chunk is None:
                exhausted = True
                break
            pending[submit(run_chunk, model, chunk)] = chunk
        if not pending:
            return
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for fut in done:
            chunk = pending.pop(fut)
            exc = fut.exception()
            yield _failed(chunk, exc) if exc is not None else fut.result()


class SerialExecutor:
    """Runs every chunk in this process, in order."""

    workers = 1
    label = "serial"

    def map_chunks(self, model: ModelRef, chunks: Iterable[list[Task]]) -> Iterator[list[Record]]:
        for chunk in chunks:
            yield run_chunk(model, chunk)

    def close(self) -> None:
        pass


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the parent, which saves finished runs and stops the pool."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def worker_preload(model: ModelRef) -> list[str]:
    """Modules a worker needs before its first run: the engine's and the model's own.

    The community model's import (Mesa, pandas, SciPy, the package) costs about
    1.5 s of CPU and loading its compiled kernels about 0.2 s more
    (:mod:`community_sim.experiment.warm`); done once in the fork server, every
    worker inherits both.
    """
    if model.is_community:
        return [
            "community_sim.experiment.tasks",
            "community_sim.runner",
            "community_sim.experiment.warm",
        ]
    return ["community_sim.experiment.tasks", model.target.partition(":")[0]]


def _mp_context(preload: list[str]) -> multiprocessing.context.BaseContext:
    """``forkserver`` where there is one (POSIX), else ``spawn``; both are safe with threads.

    The fork server imports ``preload`` once and forks each worker from it, so
    starting (or restarting) a pool does not pay the imports per worker. A fork
    server already running (an earlier pool in this process) keeps its preload;
    workers then import what is missing on first use.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(preload)
        return ctx
    return multiprocessing.get_context("spawn")


def warm_fork_server(spec_path: str) -> None:
    """Start the fork server now, importing the spec's model, while the caller plans.

    Called before the engine is imported: the server's imports (≈0.8 s for the
    community model) then overlap the parent's own imports and planning instead
    of following them. Anything unreadable is left to planning to report; the
    pool then starts the server as usual.
    """
    import tomllib

    try:
        with open(spec_path, "rb") as fh:
            target = tomllib.load(fh).get("model", COMMUNITY)
        if not isinstance(target, str):
            return
        ctx = _mp_context(worker_preload(ModelRef(target)))
        if ctx.get_start_method() == "forkserver":
            from multiprocessing import forkserver

            forkserver.ensure_running()
    except (OSError, ValueError):
        return


class ProcessExecutor:
    """A local ``ProcessPoolExecutor`` (fork server or spawn: never plain fork)."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1
        self.label = f"processes({self.workers})"
        self._preload = ["community_sim.experiment.tasks"]
        self._pool: ProcessPoolExecutor | None = None  # started by map_chunks, warm for its model

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=_mp_context(self._preload),
            initializer=_ignore_sigint,
        )

    def _submit(self, fn: Any, *args: Any) -> Future[list[Record]]:
        if self._pool is None:
            self._pool = self._new_pool()
        try:
            return self._pool.submit(fn, *args)
        except BrokenProcessPool:
            # A worker died (segfault, out of memory): its runs are recorded as failed
            # by _bounded; start a fresh pool so the sweep goes on.
            log.warning("a worker process died; starting a new pool")
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            return self._pool.submit(fn, *args)

    def map_chunks(self, model: ModelRef, chunks: Iterable[list[Task]]) -> Iterator[list[Record]]:
        self._preload = worker_preload(model)
        return _bounded(self._submit, model, chunks, 2 * self.workers)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    """Dask distributed: ``"local"`` starts a LocalCluster on loopback, else joins ADDRESS."""

    def __init__(self, address: str, workers: int | None = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise UserError(
                "Dask is not installed; pip install 'community-sim[cluster]'", source="--dask"
            ) from None
        self._cluster = None
        if address == "local":
            n = workers or os.cpu_count() or 1
            self._cluster = LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
            self._client = Client(self._cluster)
        else:
            try:
                self._client = Client(address, timeout="20s")
            except (OSError, ValueError) as exc:
                raise UserError(
                    f"cannot reach the Dask scheduler {address!r}: {exc}", source="--dask"
                ) from None
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))
        self.label = f"dask({address}, {self.workers} workers)"
        self._executor = self._client.get_executor(pure=False)

    def map_chunks(self, model: ModelRef, chunks: Iterable[list[Task]]) -> Iterator[list[Record]]:
        return _bounded(self._executor.submit, model, chunks, 2 * self.workers)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def uses_processes(workers: int | None, dask: str | None) -> bool:
    """Whether :func:`make_executor` gives local worker processes for these options."""
    return not dask and (workers or os.cpu_count() or 1) > 1


def make_executor(workers: int | None = None, dask: str | None = None) -> Executor:
    """Serial for one worker, Dask when an address (or ``"local"``) is given, else processes."""
    if workers is not None and workers < 1:
        raise UserError("must be at least 1", source="--workers")
    if dask:
        return DaskExecutor(dask, workers)
    return ProcessExecutor(workers) if uses_processes(workers, dask) else SerialExecutor()


def chunk_size(n_tasks: int, workers: int) -> int:
    """Tasks per chunk: few enough to balance load and show progress, many enough to amortise."""
    return max(1, min(64, n_tasks // (workers * 16)))


def chunked(tasks: Iterable[Task], size: int) -> Iterator[list[Task]]:
    """Group a lazy task stream into lists of ``size``."""
    chunk: list[Task] = []
    for t in tasks:
        chunk.append(t)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
