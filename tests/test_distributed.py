"""Jobs on Celery workers: two ``oncall serve`` and two ``oncall worker`` processes on PostgreSQL and Redis.

Twelve solves submitted at once all finish, each with exactly one draft revision; a worker killed with
SIGKILL mid-solve leaves its job failed within 60 s; a cancel sent to the first API process stops a job
running on a worker. Solves stop on deterministic work (``deterministic_time``, one CP-SAT worker), so
what is asserted does not depend on the machine's speed; the waits are guards against a hang only.

Runs in ``.ci/run`` (which starts Redis and PostgreSQL); skips, saying why, when either does not answer.

The scenarios come from :func:`_networks`: three networks (tenants) with a staff key each; every job and
roster reads 404 with another network's key.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from oncall.jobs import LOST_MESSAGE
from oncall.storage import Store, database_url
from oncall.storage.networks import NetworkStore
from tests.api.helpers import PG_ENV, bearer, free_port, fresh_database
from tests.factories import make_scenario

pytestmark = pytest.mark.distributed

BROKER_ENV = "ONCALL_TEST_BROKER_URL"
START_GUARD = 180.0  # seconds: starting Python, FastAPI and OR-Tools on a busy 2-core machine
SOLVES = 12
KILL_BOUND = 60.0  # the bound: a killed worker's job is settled within this


def _broker_url() -> str:
    base = os.environ.get(BROKER_ENV, "redis://127.0.0.1:6379")
    try:
        import redis

        redis.Redis.from_url(base, socket_connect_timeout=2, socket_timeout=2).ping()
    except Exception as exc:
        pytest.skip(f"Redis does not answer at {base} ({type(exc).__name__}); .ci/run starts one ({BROKER_ENV})")
    # A database of its own, so that two runs at once do not take each other's tasks.
    return f"{base.rstrip('/')}/{random.randint(1, 15)}"


@pytest.fixture
def pg_url(tmp_path: Path) -> Iterator[str]:
    """A fresh PostgreSQL schema (skips when ONCALL_TEST_DATABASE_URL is unset or does not answer)."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set, so the distributed test is skipped (.ci/run sets it)")
    try:
        engine = sa.create_engine(database_url(base, tmp_path), connect_args={"connect_timeout": 3})
        with engine.connect() as c:
            c.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        pytest.skip(f"PostgreSQL does not answer at {PG_ENV} ({type(exc).__name__})")
    with fresh_database("postgresql", tmp_path) as url:
        yield url


class _Child:
    """An ``oncall`` command in a child process, its output in ``log``."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._out = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "oncall.cli", *args], env=env, stdout=self._out, stderr=subprocess.STDOUT
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it lingers; no process outlives the test."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._out.close()


def _until(what: str, check: Callable[[], Any], guard: float, children: Sequence[_Child] = ()) -> Any:
    deadline = time.monotonic() + guard
    while True:
        found = check()
        if found:
            return found
        for child in children:
            assert child.process.poll() is None, f"{child.log.name} exited: {child.log.read_text()[-2000:]}"
        assert time.monotonic() < deadline, f"{what}: not within {guard:g} s"
        time.sleep(0.1)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def _networks(store: Store) -> list[dict[str, str]]:
    """Staff headers of each of the three networks the solves come from (the default one and two more)."""
    nets = NetworkStore(store.db)
    ids = [1, nets.create_network("east", "東部医師会").id, nets.create_network("west", "西部医師会").id]
    return [bearer(store.for_network(i).create_key("staff", "office")[1]) for i in ids]


def _job(api: httpx.Client, headers: dict[str, str], job_id: int) -> dict[str, Any]:
    job: dict[str, Any] = api.get(f"/solves/{job_id}", headers=headers).json()
    return job


def _submit(api: httpx.Client, headers: dict[str, str], days: int, work: float) -> tuple[int, int]:
    body = make_scenario(days=days).model_dump_json()
    r = api.post("/scenarios", content=body, headers={**headers, "Content-Type": "application/json"})
    assert r.status_code == 201, r.text
    sid: int = r.json()["id"]
    r = api.post(f"/scenarios/{sid}/solves", json={"time_limit": 300, "deterministic_time": work}, headers=headers)
    assert r.status_code == 202, r.text
    return sid, r.json()["id"]


@pytest.fixture
def cluster(pg_url: str, tmp_path: Path) -> Iterator[tuple[Store, list[httpx.Client], list[_Child], str]]:
    """PostgreSQL, Redis, two API processes and two workers (one job at a time each) on 127.0.0.1."""
    broker = _broker_url()
    store = Store.open(pg_url)  # migrated before anyone starts
    env = {
        **os.environ,
        "ONCALL_DATABASE_URL": pg_url,
        "ONCALL_BROKER_URL": broker,
        "ONCALL_SOLVER_WORKERS": "1",
        "ONCALL_MAX_SOLVE_SECONDS": "300",
        "ONCALL_HEARTBEAT_SECONDS": "1",
        "ONCALL_JOB_STALE_SECONDS": "6",
    }
    ports = [free_port(), free_port()]
    children: list[_Child] = []
    apis: list[httpx.Client] = []
    try:
        for i, port in enumerate(ports, 1):
            children.append(_Child(["serve", "--port", str(port)], env, tmp_path / f"api{i}.log"))
        for i in (1, 2):
            children.append(_Child(["worker", "--concurrency", "1"], env, tmp_path / f"worker{i}.log"))
        for port in ports:
            ready = f"http://127.0.0.1:{port}/readyz"
            _until("the API answers", lambda: _answers(ready), START_GUARD, children)  # noqa: B023
            apis.append(httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30))
        from oncall.celery_app import ping_workers

        _until("both workers answer a ping", lambda: len(ping_workers(broker, timeout=1)) == 2, START_GUARD, children)
        yield store, apis, children, broker
    finally:
        for api in apis:
            api.close()
        for child in children:
            child.stop()
        store.db.dispose()


def test_solves_kill_and_cancel_across_api_and_worker_processes(
    cluster: tuple[Store, list[httpx.Client], list[_Child], str],
) -> None:
    store, apis, children, _ = cluster
    networks = _networks(store)
    workers = children[2:]

    # Twelve small solves at once, spread over both API processes and every network.
    submitted = []
    for n in range(SOLVES):
        headers = networks[n % len(networks)]
        submitted.append((headers, *_submit(apis[n % 2], headers, days=2, work=1)))

    def all_finished() -> bool:
        return all(_job(apis[0], h, j)["state"] in ("succeeded", "failed", "cancelled") for h, _, j in submitted)

    _until("the twelve solves finish", all_finished, 300, children)
    for headers, sid, job_id in submitted:
        job = _job(apis[1], headers, job_id)
        assert (job["state"], job["message"]) == ("succeeded", None), job
        revisions = apis[0].get(f"/scenarios/{sid}/revisions", headers=headers).json()
        assert [r["id"] for r in revisions] == [job["revision_id"]]
        for other in networks:  # in its own network: another network's key finds neither job nor roster
            if other is not headers:
                assert apis[1].get(f"/solves/{job_id}", headers=other).status_code == 404
                assert apis[0].get(f"/revisions/{job['revision_id']}", headers=other).status_code == 404
        assert store.get_job(job_id).worker is not None  # run by an `oncall worker`, not an API process

    # SIGKILL the worker running a long solve: its job is failed within the bound, nothing stored.
    headers = networks[0]
    sid, long_job = _submit(apis[0], headers, days=7, work=300)
    running = _until("the long solve runs", lambda: store.get_job(long_job).state == "running", 120, children)
    assert running
    holder = store.get_job(long_job).worker or ""
    victim = next(w for w in workers if holder.endswith(f":{w.pid}"))
    victim.process.send_signal(signal.SIGKILL)
    victim.process.wait()
    killed_at = time.monotonic()
    failed = _until(
        "the killed worker's job is failed",
        lambda: (j := _job(apis[1], headers, long_job))["state"] != "running" and j,
        KILL_BOUND,
    )
    assert time.monotonic() - killed_at < KILL_BOUND
    assert (failed["state"], failed["message"], failed["revision_id"]) == ("failed", LOST_MESSAGE, None)
    assert apis[0].get(f"/scenarios/{sid}/revisions", headers=headers).json() == []

    # A cancel sent to API process 1 stops a solve running on the other worker (one job at a time): the
    # next solve can run only once the cancelled one has let go of that worker.
    survivor = next(w for w in workers if w is not victim)
    sid, cancelled = _submit(apis[1], headers, days=7, work=300)
    _until("the solve to cancel runs", lambda: store.get_job(cancelled).state == "running", 120, [survivor])
    assert (store.get_job(cancelled).worker or "").endswith(f":{survivor.pid}")
    r = apis[0].delete(f"/solves/{cancelled}", headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "cancelled"
    _, after = _submit(apis[0], headers, days=2, work=1)
    done = _until(
        "a solve after the cancel finishes on the same worker",
        lambda: (j := _job(apis[0], headers, after))["state"] == "succeeded" and j,
        120,
        [survivor],
    )
    assert (store.get_job(after).worker or "").endswith(f":{survivor.pid}")
    assert done["revision_id"] is not None
    final = _job(apis[1], headers, cancelled)
    assert (final["state"], final["revision_id"]) == ("cancelled", None)
    assert apis[1].get(f"/scenarios/{sid}/revisions", headers=headers).json() == []
