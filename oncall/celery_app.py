"""Solve and repair jobs on Celery workers, when ``ONCALL_BROKER_URL`` names a broker (Redis or RabbitMQ).

Imported only then: the embedded runner (``oncall.jobs.JobRunner``) needs neither Celery nor a broker.

- The API process queues the job in the database (the source of truth for state, progress and results)
  and sends one task, ``oncall.run_job(job_id)``, to the queue ``oncall.jobs`` (:class:`CeleryDispatcher`).
- ``oncall worker`` (:func:`run_worker`) takes tasks, each in a thread of its pool, and runs the job with
  :func:`oncall.jobs.run_claimed_job`: the claim is a compare-and-set queued → running in the database, so
  a task delivered twice runs once and stores one roster (and the revision's ``job_id`` is unique).
- Cancel: the API marks the job cancelled in the database; the worker's heartbeat (every
  ``ONCALL_HEARTBEAT_SECONDS``) and the solve's progress writes find it no longer running and stop the
  solve process. Celery's revoke is not used: it reaches only workers connected at that moment, is kept
  in each worker's memory, and ``terminate`` signals a pool process, not the solve process a thread runs.
- A worker killed mid-solve stops beating; a :class:`oncall.jobs.Reaper` (in every API process and every
  worker) fails its job after ``ONCALL_JOB_STALE_SECONDS``. The job is failed, not re-queued: a solve that
  killed its worker (memory, a crash in the solver) would kill the next one too; the office solves again.
  Its solve process notices its parent is gone and exits. Tasks are acknowledged late, so a task a worker
  took but had not claimed yet goes back to the queue when that worker dies.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass

from celery import Celery

from oncall.errors import StorageError
from oncall.jobs import Reaper, run_claimed_job, warm_up
from oncall.storage import Store

__all__ = ["QUEUE", "TASK", "CeleryDispatcher", "WorkerSettings", "make_celery", "ping_workers", "run_worker"]

log = logging.getLogger(__name__)

TASK = "oncall.run_job"
QUEUE = "oncall.jobs"


@dataclass(frozen=True)
class WorkerSettings:
    """What a worker needs beside the broker: the database, the default CP-SAT workers of a solve (a job
    that names its own keeps them), the heartbeat and the reaper's grace period."""

    database_url: str
    solver_workers: int
    heartbeat_seconds: float
    stale_seconds: float


_worker: dict[str, object] = {}  # the store and settings of this worker process (set by run_worker)


def _run(job_id: int) -> str:
    store = _worker["store"]
    settings = _worker["settings"]
    assert isinstance(store, Store) and isinstance(settings, WorkerSettings), "not started by run_worker"
    outcome = run_claimed_job(store, job_id, settings.solver_workers, settings.heartbeat_seconds)
    log.info("solve job %d: %s", job_id, outcome)
    return outcome


def make_celery(broker_url: str) -> Celery:
    """The Celery application of oncall on ``broker_url``, with the one task registered."""
    app = Celery("oncall", broker=broker_url, set_as_current=False)
    app.conf.update(
        task_default_queue=QUEUE,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,  # results live in the database
        task_acks_late=True,  # a task taken but not claimed by a worker that dies goes back to the queue
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # a busy worker does not sit on tasks another could run
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=5,
        # Redis re-delivers an unacknowledged task after this long; a re-delivered task whose job is
        # running or done finds nothing to claim, so a short value only costs a look at the database.
        broker_transport_options={"visibility_timeout": 3600},
        worker_send_task_events=False,
    )
    app.task(name=TASK, ignore_result=True)(_run)
    return app


class CeleryDispatcher:
    """Sends queued jobs to the broker; cancel needs nothing from it (the job row stops the solve)."""

    def __init__(self, store: Store, broker_url: str) -> None:
        self._store = store
        self.app = make_celery(broker_url)

    def submit(self, job_id: int) -> None:
        """Send the job's task; a broker that does not answer fails the job and raises StorageError."""
        try:
            self.app.send_task(TASK, args=[job_id], queue=QUEUE, retry=True, retry_policy={"max_retries": 2})
        except Exception as exc:
            message = f"the task broker does not answer: {exc}"
            self._store.fail_job(job_id, message, states=("queued",))
            raise StorageError(message) from exc

    def kill(self, job_id: int) -> None:
        """Nothing to do here: the worker running the job sees it cancelled at its next heartbeat."""

    def check_broker(self, timeout: float = 3.0) -> None:
        """Raise when the broker does not answer within ``timeout`` seconds."""
        with self.app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=timeout)

    def close(self) -> None:
        """Close the broker connections."""
        self.app.close()


def ping_workers(broker_url: str, timeout: float = 3.0) -> list[str]:
    """The names of the ``oncall worker`` processes that answer a ping within ``timeout`` seconds."""
    app = make_celery(broker_url)
    try:
        replies = app.control.ping(timeout=timeout) or []
        return sorted(name for reply in replies for name in reply)
    finally:
        app.close()


def run_worker(broker_url: str, settings: WorkerSettings, concurrency: int, loglevel: str = "INFO") -> None:
    """Run a worker until it is stopped: ``concurrency`` jobs at a time, each in a solve process of its own
    (a thread of the pool watches it), with a reaper for the jobs of workers that died."""
    store = Store.open(settings.database_url)
    warm_up()
    _worker.update(store=store, settings=settings)
    reaper = Reaper(store, settings.stale_seconds)
    reaper.start()
    app = make_celery(broker_url)
    name = f"oncall-{os.getpid()}@{socket.gethostname()}"
    try:
        app.worker_main(
            ["worker", "--pool", "threads", "--concurrency", str(concurrency), "--queues", QUEUE, "--hostname", name,
             "--loglevel", loglevel, "--without-mingle", "--without-gossip"]
        )  # fmt: skip
    finally:
        reaper.stop()
        store.db.dispose()
        _worker.clear()
