"""Solves per minute through the broker: regional-size solves run by 1, then 2 ``oncall worker`` processes.

Each round queues ``--solves`` jobs of the regional instance (40 doctors / 4 districts, January 2027, the
generator's seeds 1, 2, …) in a fresh PostgreSQL schema, starts the workers and waits until every one
answers a ping, then sends the tasks and times from the first send to the last job stored (succeeded
with its draft revision). Each solve stops on deterministic work (``--work`` per CP-SAT phase, one CP-SAT
worker), so every round does the same search however many workers share the machine; what changes is
how much of it runs at once. Worker start-up is not counted (workers are long-lived).

Needs PostgreSQL (``--database-url``, default ``ONCALL_TEST_DATABASE_URL``) and Redis (``--broker-url``,
default ``redis://127.0.0.1:6379/13``). Prints the machine, its load average, the settings and the seeds;
docs/deploy.md sizes workers from what it printed.

    python -m benchmarks.throughput [--solves 6] [--work 5] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from benchmarks.instances import Instance
from benchmarks.machine import describe
from oncall.storage import Store, database_url

__all__ = ["main"]

MONTH = "2027-01"
GUARD = 3600.0  # seconds: a round that takes longer has hung


@contextmanager
def _schema(base_url: str) -> Iterator[str]:
    base = sa.make_url(database_url(base_url, Path(".")))
    schema = f"oncall_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base)
    with admin.begin() as c:
        c.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with admin.begin() as c:
            c.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _round(base_url: str, broker: str, processes: int, solves: int, work: float, logs: Path) -> float:
    """Seconds from the first task sent to the last roster stored, with ``processes`` workers."""
    from oncall.celery_app import CeleryDispatcher, ping_workers

    with _schema(base_url) as url:
        store = Store.open(url)
        jobs = []
        for seed in range(1, solves + 1):
            sid = store.create_scenario(Instance(40, 4, seed, MONTH).scenario()).id
            jobs.append(store.create_job(sid, 3600, 0, workers=1, deterministic_time=work).id)
        env = {**os.environ, "ONCALL_DATABASE_URL": url, "ONCALL_BROKER_URL": broker, "ONCALL_SOLVER_WORKERS": "1"}
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", "oncall.cli", "worker", "--concurrency", "1"],
                env=env,
                stdout=(logs / f"worker{processes}_{i}.log").open("wb"),
                stderr=subprocess.STDOUT,
            )
            for i in range(processes)
        ]
        dispatcher = CeleryDispatcher(store, broker)
        try:
            deadline = time.monotonic() + 300
            while len(ping_workers(broker, timeout=1)) < processes:
                assert all(w.poll() is None for w in workers), f"a worker exited; see {logs}"
                assert time.monotonic() < deadline, "the workers did not start"
            started = time.monotonic()
            for job_id in jobs:
                dispatcher.submit(job_id)
            while True:
                states = [store.get_job(j).state for j in jobs]
                if all(s in ("succeeded", "failed", "cancelled") for s in states):
                    break
                assert time.monotonic() - started < GUARD, "the round hung"
                time.sleep(0.2)
            seconds = time.monotonic() - started
            assert states == ["succeeded"] * solves, f"not every solve succeeded: {states}"
            return seconds
        finally:
            dispatcher.close()
            for w in workers:
                w.terminate()
            for w in workers:
                try:
                    w.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    w.kill()
                    w.wait()
            store.db.dispose()


def main(argv: list[str] | None = None) -> None:
    """Run the rounds and print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.throughput", description=__doc__.split("\n")[0])
    parser.add_argument("--solves", type=int, default=6, help="regional solves per round (seeds 1..N)")
    parser.add_argument("--work", type=float, default=5.0, help="deterministic work per CP-SAT phase")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker processes per round")
    parser.add_argument("--database-url", default=os.environ.get("ONCALL_TEST_DATABASE_URL"))
    parser.add_argument("--broker-url", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("--database-url (or ONCALL_TEST_DATABASE_URL): a PostgreSQL server is needed")
    machine = describe()
    print(f"machine: {machine.line()}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"settings: {args.solves} solves of 40 doctors / 4 districts, {MONTH}, generator seeds 1-{args.solves}, "
        f"CP-SAT seed 0, 1 CP-SAT worker, deterministic time {args.work:g} per phase; "
        "each worker process --concurrency 1; broker Redis, database PostgreSQL"
    )
    print("| worker processes | solves | seconds | solves per minute |")
    print("| --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory(prefix="oncall-throughput-") as logs:
        for processes in args.workers:
            seconds = _round(args.database_url, args.broker_url, processes, args.solves, args.work, Path(logs))
            print(f"| {processes} | {args.solves} | {seconds:.1f} | {args.solves * 60 / seconds:.2f} |", flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
