"""Solve jobs: queued in the database, each run in a process of its own, progress written back by it.

The runner lives in the server process: a thread claims queued jobs (oldest first, a bounded number at
a time) and starts one worker process per job, so a cancel can kill exactly that solve and a solve never
runs on the server's event loop. The worker reads its scenario version from the database, reports
progress there, and stores the roster as a draft revision in the same transaction that marks the job
succeeded. Every state change is a compare-and-set on the job's state, so a worker whose job was
cancelled or failed meanwhile can store nothing.

A crash leaves no job running for ever: on start the runner fails the jobs a previous server left
running (one server per database runs jobs), a worker exits when its parent process dies, and a worker
that dies or overruns its time limit has its job failed.

With a broker (``ONCALL_BROKER_URL``) the same solve runs on ``oncall worker`` processes instead
(``oncall.celery_app``): :class:`Dispatcher` is what the services see of either. A worker claims a job by
the compare-and-set queued → running (a task delivered twice runs once), runs it in a solve process of
its own under :func:`run_claimed_job`, and stamps the job's heartbeat while it runs; the heartbeat's
compare-and-set on ``running`` is also how a cancel made through any API process reaches it. A
:class:`Reaper` fails the jobs whose worker stopped beating.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import multiprocessing
import multiprocessing.connection
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from multiprocessing.context import ForkServerContext, SpawnContext
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Protocol

from oncall.storage import Database, JobRecord, Store

if TYPE_CHECKING:
    from solver import Progress, SolveOptions

__all__ = [
    "CRASH_MESSAGE",
    "LOST_MESSAGE",
    "Dispatcher",
    "JobRunner",
    "Reaper",
    "run_claimed_job",
    "run_job",
    "warm_up",
    "worker_name",
]

log = logging.getLogger(__name__)

CRASH_MESSAGE = "the server stopped during the solve; solve again"
LOST_MESSAGE = "the worker running the solve stopped answering; solve again"
PROGRESS_INTERVAL = 0.25  # seconds between two progress writes of a worker


class Dispatcher(Protocol):
    """What the services see of whatever runs the jobs: the embedded :class:`JobRunner`, or Celery."""

    def submit(self, job_id: int) -> None:
        """Have the queued job run (its row is committed)."""

    def kill(self, job_id: int) -> None:
        """Stop the job's solve if it runs (its state is the caller's business)."""


def _overrun_deadline(job: JobRecord) -> float:
    """Seconds a job may run in all: model building and the checker come on top of the search time."""
    return job.time_limit + max(60.0, job.time_limit)


def worker_name() -> str:
    """This process as a job's ``worker``: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


@cache
def _context() -> ForkServerContext | SpawnContext:
    # A fork server forks workers from a clean, single-threaded process that has already imported
    # the solver: quick to start, and safe although the server runs threads. Spawn where there is none.
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["oncall.jobs", "solver", "oncall.checker"])
        return ctx
    return multiprocessing.get_context("spawn")


@dataclass
class _Running:
    process: BaseProcess
    deadline: float  # time.monotonic() after which the worker is killed


class JobRunner:
    """Claims queued jobs and runs each in a worker process; at most ``max_parallel`` at a time."""

    def __init__(
        self, store: Store, *, max_parallel: int = 1, solver_workers: int = 1, poll_seconds: float = 0.5
    ) -> None:
        self._store = store
        self._max_parallel = max_parallel
        self._solver_workers = solver_workers
        self._poll = poll_seconds
        self._running: dict[int, _Running] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> list[int]:
        """Fail the jobs a previous server left running, then start dispatching; returns those job ids."""
        orphaned = self._store.fail_running_jobs(CRASH_MESSAGE)
        if orphaned:
            log.warning("marked %d solve job(s) failed that were running when the server stopped", len(orphaned))
        self._thread = threading.Thread(target=self._loop, name="oncall-jobs", daemon=True)
        self._thread.start()
        return orphaned

    def wake(self) -> None:
        """Look for queued jobs now rather than at the next poll."""
        self._wake.set()

    def submit(self, job_id: int) -> None:
        """The job is queued in the database: look for it now."""
        self.wake()

    def kill(self, job_id: int) -> None:
        """Stop the worker of ``job_id`` if this runner runs it (its job state is the caller's business)."""
        with self._lock:
            running = self._running.pop(job_id, None)
        if running is not None:
            _stop_process(running.process)
        self.wake()

    def running(self) -> list[int]:
        """Ids of the jobs whose workers run now."""
        with self._lock:
            return sorted(self._running)

    def stop(self) -> None:
        """Stop dispatching, kill the workers and fail their jobs."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        with self._lock:
            running, self._running = self._running, {}
        for job_id, r in running.items():
            _stop_process(r.process)
            self._store.fail_job(job_id, CRASH_MESSAGE, states=("running",))

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                self._reap()
                self._dispatch()
            except Exception:  # a database hiccup must not end dispatching for good
                log.exception("solve job dispatch failed; retrying")
            self._wake.wait(self._poll)
            self._wake.clear()

    def _reap(self) -> None:
        now = time.monotonic()
        with self._lock:
            ended = {i: r for i, r in self._running.items() if not r.process.is_alive() or now > r.deadline}
            for job_id in ended:
                del self._running[job_id]
        for job_id, r in ended.items():
            overran = r.process.is_alive()
            _stop_process(r.process)
            message = (
                "the solve overran its time limit and was stopped"
                if overran
                else f"the solve worker stopped unexpectedly (exit code {r.process.exitcode})"
            )
            # Only a job still marked running is failed: a worker that stored its roster has succeeded.
            if self._store.fail_job(job_id, message, states=("running",)):
                log.warning("solve job %d failed: %s", job_id, message)

    def _dispatch(self) -> None:
        while not self._stopping.is_set():
            with self._lock:
                if len(self._running) >= self._max_parallel:
                    return
            job = self._store.claim_next_job()
            if job is None:
                return
            process = _context().Process(
                target=run_job,
                args=(self._store.db.url, job.id, self._solver_workers),
                name=f"oncall-solve-{job.id}",
                daemon=True,
            )
            try:
                process.start()
            except OSError as exc:
                self._store.fail_job(job.id, f"could not start a solve worker: {exc}")
                continue
            deadline = time.monotonic() + _overrun_deadline(job)
            with self._lock:
                self._running[job.id] = _Running(process, deadline)


def _noop() -> None:
    """Nothing: the first process a fork server starts."""


def warm_up() -> None:
    """Start the fork server now (it imports the solver, seconds on a busy machine), not in the first job."""
    process = _context().Process(target=_noop, name="oncall-warm-up", daemon=True)
    process.start()
    process.join()


def _stop_process(process: BaseProcess) -> None:
    if process.is_alive():
        process.terminate()
        process.join(timeout=2)
    if process.is_alive():
        process.kill()
        process.join(timeout=2)


def _exit_with_parent() -> None:
    """End this worker when the server that started it dies, so an orphan never solves on after a crash.

    The worker's parent is the fork server, which lives as long as any worker does; the sentinel
    multiprocessing hands over closes when the server process itself goes.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(70)

    threading.Thread(target=watch, name="oncall-parent-watch", daemon=True).start()


class _ProgressWriter:
    """Stores a worker's newest progress every PROGRESS_INTERVAL, off the solver's callback thread.

    The solver reports bursts of improvements; writing each would slow it, writing only some would
    leave a stale figure. Ends the worker at once when the job is no longer running (cancelled).
    """

    def __init__(self, store: Store, job_id: int) -> None:
        self._store = store
        self._job_id = job_id
        self._latest: Progress | None = None
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="oncall-progress", daemon=True)

    def start(self) -> None:
        """Start writing."""
        self._thread.start()

    def report(self, progress: Progress) -> None:
        """The solver's callback: remember the newest progress."""
        with self._lock:
            self._latest = progress

    def stop(self) -> None:
        """Write what is pending and stop."""
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            stopping = self._done.wait(PROGRESS_INTERVAL)
            with self._lock:
                latest, self._latest = self._latest, None
            if latest is not None:
                try:
                    running = self._store.record_progress(self._job_id, latest.objective, latest.bound, latest.seconds)
                except Exception:  # progress is best effort: a busy database must not end the search
                    log.warning("solve job %d: progress not stored", self._job_id, exc_info=True)
                    running = True
                if not running:
                    os._exit(0)  # cancelled or failed meanwhile: nothing of this solve may be stored
            if stopping:
                return


def job_options(job: JobRecord, solver_workers: int, on_progress: Callable[[Progress], None]) -> SolveOptions:
    """The solve options of a job: its time limit, seed and deterministic work; its CP-SAT workers, else
    ``solver_workers``."""
    from solver import SolveOptions

    return SolveOptions(
        time_limit=job.time_limit,
        workers=job.workers or solver_workers,
        seed=job.seed,
        deterministic_time=job.deterministic_time,
        on_progress=on_progress,
    )


def run_job(url: str, job_id: int, solver_workers: int) -> None:
    """The worker: solve one claimed job (``oncall.services.solving``) and store it as a draft revision."""
    from oncall.services import solving

    _exit_with_parent()
    with contextlib.suppress(OSError):
        os.nice(10)  # the server's requests come first on a busy machine
    db = Database(url, pool=False)
    store = Store(db)
    try:
        job = store.get_job(job_id)
        if job.state != "running":
            return  # cancelled between the claim and the start
        reporter = _ProgressWriter(store, job_id)
        reporter.start()
        options = job_options(job, solver_workers, reporter.report)
        try:
            solved = solving.prepare_stored_job(store, job, options)
        finally:
            reporter.stop()
        solving.store_result(store, job_id, solved)
    except Exception as exc:
        log.exception("solve job %d failed", job_id)
        store.fail_job(job_id, f"{type(exc).__name__}: {exc}", states=("running",))
    finally:
        db.dispose()


def run_claimed_job(store: Store, job_id: int, solver_workers: int, heartbeat_seconds: float = 2.0) -> str:
    """Claim a queued job for this process and run it in a solve process of its own, stamping its heartbeat
    (from a thread of its own, from the claim on) until the solve ends; what became of it: ``not queued``
    (delivered twice, or cancelled before), ``finished`` (the solve stored its roster or its failure),
    ``stopped`` (a heartbeat found the job no longer running: cancelled, or failed by a reaper), ``overran``
    or ``died`` (the job failed).

    Used by ``oncall worker`` (``oncall.celery_app``) for every task it receives.
    """
    job = store.claim_job(job_id, worker_name())
    if job is None:
        return "not queued"
    beating = _Heartbeat(store, job_id, heartbeat_seconds)
    beating.start()
    try:
        return _watch_solve(store, job, solver_workers, beating, min(heartbeat_seconds, 0.5))
    finally:
        beating.stop()


class _Heartbeat:
    """Stamps a running job every ``every`` seconds; notes when the job is no longer running."""

    def __init__(self, store: Store, job_id: int, every: float) -> None:
        self._store = store
        self._job_id = job_id
        self._every = every
        self._done = threading.Event()
        self.lost = threading.Event()  # the job is no longer running: stop its solve
        self._thread = threading.Thread(target=self._run, name=f"oncall-heartbeat-{job_id}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._done.wait(self._every):
            try:
                running = self._store.heartbeat(self._job_id)
            except Exception:  # a database hiccup: the reaper's grace period covers a few missed beats
                log.warning("solve job %d: heartbeat not stored", self._job_id, exc_info=True)
                continue
            if not running:
                self.lost.set()
                return


def _watch_solve(store: Store, job: JobRecord, solver_workers: int, beating: _Heartbeat, poll: float) -> str:
    process = _context().Process(
        target=run_job, args=(store.db.url, job.id, solver_workers), name=f"oncall-solve-{job.id}", daemon=True
    )
    try:
        process.start()
    except OSError as exc:
        store.fail_job(job.id, f"could not start a solve worker: {exc}", states=("running",))
        return "died"
    deadline = time.monotonic() + _overrun_deadline(job)
    while True:
        process.join(timeout=poll)
        if not process.is_alive():
            break
        if beating.lost.is_set():
            if _ended_by_itself(store, job.id):
                # The solve stored its roster (or its own failure) and is exiting: a heartbeat between its
                # last write and its exit sees the job no longer running. Let it end; nothing to stop.
                process.join(timeout=30)
                _stop_process(process)
                return "finished"
            _stop_process(process)
            return "stopped"
        if time.monotonic() > deadline:
            _stop_process(process)
            store.fail_job(job.id, "the solve overran its time limit and was stopped", states=("running",))
            return "overran"
    message = f"the solve worker stopped unexpectedly (exit code {process.exitcode})"
    return "died" if store.fail_job(job.id, message, states=("running",)) else "finished"


def _ended_by_itself(store: Store, job_id: int) -> bool:
    """Whether the job left "running" through its own solve (a stored roster or the solve's own failure),
    not through a cancel or a reaper."""
    job = store.get_job(job_id)
    return job.state == "succeeded" or (job.state == "failed" and job.message != LOST_MESSAGE)


class Reaper:
    """Every ``every`` seconds, fail the running jobs whose worker has not beaten for ``stale_after``
    seconds (:meth:`JobStore.reap_stale_jobs`). Every API process and every worker may run one: the
    failing is a compare-and-set, so two reapers never disagree."""

    def __init__(self, store: Store, stale_after: float, every: float | None = None) -> None:
        self._store = store
        self._stale = dt.timedelta(seconds=stale_after)
        self._every = every if every is not None else max(0.5, stale_after / 4)
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="oncall-reaper", daemon=True)

    def start(self) -> None:
        """Start reaping in a thread of this process."""
        self._thread.start()

    def stop(self) -> None:
        """Stop reaping."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def reap(self) -> list[int]:
        """Fail the stale jobs now; their ids."""
        reaped = self._store.reap_stale_jobs(self._stale, LOST_MESSAGE)
        if reaped:
            log.warning("failed solve job(s) %s: their worker stopped answering", reaped)
        return reaped

    def _loop(self) -> None:
        while not self._stopping.wait(self._every):
            try:
                self.reap()
            except Exception:  # the database may be away for a moment
                log.warning("reaping stale solve jobs failed; retrying", exc_info=True)
