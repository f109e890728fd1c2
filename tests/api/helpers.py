"""Helpers of the API tests: headers, uploads, polling jobs, asserting the error shape."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
import sqlalchemy as sa

from api import Settings
from oncall.errors import RuleBroken
from oncall.model import Scenario
from oncall.roster import Roster
from oncall.storage import database_url
from oncall.swaps import GiveAway, check_proposal
from tests.factories import make_scenario

HttpClient = Any  # a TestClient, or an httpx client of a real server
PG_ENV = "ONCALL_TEST_DATABASE_URL"
BACKENDS = ["sqlite", "postgresql"]


def _pg_base() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set, so the PostgreSQL variant is skipped (CI sets it)")
    return database_url(url, Path("."))


@contextmanager
def fresh_database(backend: str, directory: Path) -> Iterator[str]:
    """A new, empty database: SQLite in ``directory``, or a PostgreSQL schema dropped afterwards."""
    if backend == "sqlite":
        yield database_url(None, directory / "data")
        return
    base = sa.make_url(_pg_base())
    schema = f"oncall_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as c:
        c.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with admin.begin() as c:
            c.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def make_settings(url: str, directory: Path) -> Settings:
    """Settings for tests: short solves, one solver worker, a quick job poll, a small body limit."""
    return Settings(
        data_dir=directory / "data",
        database_url=url,
        max_solve_seconds=5,
        default_solve_seconds=2,
        solver_workers=1,
        job_poll_seconds=0.05,
        max_request_bytes=512 * 1024,
    )


def bearer(token: str) -> dict[str, str]:
    """The Authorization header of a token."""
    return {"Authorization": f"Bearer {token}"}


def english(headers: dict[str, str]) -> dict[str, str]:
    """``headers`` asking for English texts (the API answers in Japanese by default)."""
    return {**headers, "Accept-Language": "en"}


def upload(client: HttpClient, headers: dict[str, str], scenario: Scenario | None = None) -> dict[str, Any]:
    """Upload a scenario (default: the two-day test network) as JSON; the created summary."""
    body = (scenario or make_scenario(days=2)).model_dump_json()
    r = client.post("/scenarios", content=body, headers={**headers, "Content-Type": "application/json"})
    assert r.status_code == 201, r.text
    data: dict[str, Any] = r.json()
    return data


def wait_for(
    client: HttpClient,
    headers: dict[str, str],
    job_id: int,
    done: Callable[[dict[str, Any]], bool],
    timeout: float = 120,
) -> dict[str, Any]:
    """Poll a job until ``done(job)``; fail after ``timeout`` seconds (a guard against a hang, generous
    enough for a busy machine: a job's own time limit is a few seconds)."""
    deadline = time.monotonic() + timeout
    while True:
        job: dict[str, Any] = client.get(f"/solves/{job_id}", headers=headers).json()
        if done(job):
            return job
        assert time.monotonic() < deadline, f"job {job_id} still {job['state']} after {timeout}s"
        time.sleep(0.05)


def finished(job: dict[str, Any]) -> bool:
    """Whether a job has reached a final state."""
    return job["state"] in ("succeeded", "failed", "cancelled")


def solve(client: HttpClient, headers: dict[str, str], scenario_id: int, **body: Any) -> dict[str, Any]:
    """Start a solve and wait for it to finish; the final job."""
    r = client.post(f"/scenarios/{scenario_id}/solves", json=body or {"time_limit": 2}, headers=headers)
    assert r.status_code == 202, r.text
    return wait_for(client, headers, r.json()["id"], finished)


def publish_solved(client: HttpClient, headers: dict[str, str], scenario: Scenario) -> tuple[int, int]:
    """Upload ``scenario``, solve it and publish the roster: (scenario id, published revision id)."""
    sid: int = upload(client, headers, scenario)["id"]
    job = solve(client, headers, sid)
    assert job["state"] == "succeeded", job
    rid: int = job["revision_id"]
    r = client.post(f"/revisions/{rid}/publish", json={"base": None}, headers=headers)
    assert r.status_code == 200, r.text
    return sid, rid


def assert_error(response: Any, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    """The response is an error in the one shape, with this status and code (and a detail on ``field``)."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"}
    error: dict[str, Any] = body["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    if field is not None:
        assert field in [d["field"] for d in error["details"]], error
    return error


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on just now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class ServeProcess:
    """``oncall serve`` in a child process on a free port; its output (both logs) goes to ``log`` if given."""

    def __init__(self, data_dir: Path, log: Path | None = None, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        environment = {**os.environ, "ONCALL_DATA_DIR": str(data_dir), "ONCALL_SOLVER_WORKERS": "1", **(env or {})}
        environment.pop("ONCALL_DATABASE_URL", None)
        self._log: IO[bytes] | None = log.open("wb") if log is not None else None
        self.process = subprocess.Popen(
            [sys.executable, "-m", "oncall.cli", "serve", "--port", str(self.port)],
            env=environment,
            stdout=self._log or subprocess.DEVNULL,  # uvicorn's access log
            stderr=self._log or subprocess.DEVNULL,
        )
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=10)
        # A guard against a hang: starting Python, FastAPI and OR-Tools takes seconds, a minute or more on
        # a busy machine. A server that did not start is killed, not left running past the test.
        deadline = time.monotonic() + 120
        try:
            while True:
                try:
                    if self.http.get("/health").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                assert self.process.poll() is None, "the server exited"
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        except BaseException:
            self.kill()
            raise

    def kill(self) -> None:
        """SIGKILL: the server gets no chance to clean up."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self._close()

    def stop(self) -> None:
        """SIGTERM, and wait for the server to exit."""
        self.process.terminate()
        self.process.wait(timeout=20)
        self._close()

    def _close(self) -> None:
        self.http.close()
        if self._log is not None:
            self._log.close()


def first_give_away(scenario: Scenario, roster: Roster, allowed: bool = True) -> GiveAway:
    """The first give-away of a primary role that the checker accepts (or refuses)."""
    for d in roster.duties:
        for p in scenario.physicians:
            if d.primary is None or p.id in (d.primary, d.secondary):
                continue
            proposal = GiveAway(duty=d.id, role="primary", physician=d.primary, to=p.id)
            try:
                check_proposal(scenario, roster, proposal)
                ok = True
            except RuleBroken as exc:
                ok = False
                if not allowed and any(rule == "min_rest" for rule, _ in exc.broken):
                    return proposal
            if ok and allowed:
                return proposal
    raise AssertionError("no such give-away")
