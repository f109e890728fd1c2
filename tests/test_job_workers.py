"""Jobs run by `oncall worker` processes, without a broker: the claim that makes a task delivered twice run
once, the heartbeat that carries a cancel, the reaper that fails a dead worker's job, the settings, the
health endpoints, and the embedded default that never imports Celery."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from typer.testing import CliRunner

from api import Settings, create_app
from api.settings import InvalidSettings, get_settings
from oncall import jobs
from oncall.cli import app as cli
from oncall.generate import generate
from oncall.jobs import LOST_MESSAGE, Reaper, _Heartbeat, run_claimed_job
from oncall.storage import Store, database_url
from oncall.storage.tables import JobRow
from tests.api.helpers import fresh_database, make_settings
from tests.factories import greedy_roster, make_scenario


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(database_url(None, tmp_path / "data"))


def _queued(store: Store, days: int = 2, work: float = 1) -> int:
    sid = store.create_scenario(make_scenario(days=days)).id
    return store.create_job(sid, 300, 0, workers=1, deterministic_time=work).id


def test_a_task_delivered_twice_stores_one_roster(store: Store) -> None:
    job_id = _queued(store)
    assert run_claimed_job(store, job_id, solver_workers=4, heartbeat_seconds=0.2) == "finished"
    assert run_claimed_job(store, job_id, solver_workers=4, heartbeat_seconds=0.2) == "not queued"
    job = store.get_job(job_id)
    assert job.state == "succeeded" and job.revision_id is not None, job
    assert (job.workers, job.deterministic_time) == (1, 1)
    assert job.worker is not None and job.heartbeat_at is not None
    assert [r.id for r in store.list_revisions(job.scenario_id)] == [job.revision_id]


def test_a_cancel_in_the_database_stops_the_solve_at_the_next_heartbeat(store: Store) -> None:
    # A 150-doctor month with 300 units of work a phase is minutes of solving on any machine, so the
    # cancel always meets a running solve (a small week can be proven optimal before the cancel lands).
    sid = store.create_scenario(generate(doctors=150, districts=12, month="2027-01", seed=1)).id
    job_id = store.create_job(sid, 600, 0, workers=1, deterministic_time=300).id
    outcome: list[str] = []
    worker = threading.Thread(target=lambda: outcome.append(run_claimed_job(store, job_id, 1, 0.2)))
    worker.start()
    deadline = time.monotonic() + 120  # a guard against a hang
    while store.get_job(job_id).state != "running":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    store.cancel_job(job_id)
    worker.join(timeout=60)
    assert not worker.is_alive(), "the solve went on after the cancel"
    # The heartbeat stops the solve process ("stopped"), or the solve's own progress write sees the cancel
    # first and the process ends by itself ("finished"): either way nothing is stored.
    assert outcome in (["stopped"], ["finished"])
    job = store.get_job(job_id)
    assert (job.state, job.revision_id) == ("cancelled", None)
    assert not store.heartbeat(job_id)


class _ExitingProcess:
    """A solve process that has already written its outcome and needs two more polls to exit."""

    exitcode = 0

    def __init__(self, *args: object, **kwargs: object) -> None:
        self._polls = 2

    def start(self) -> None:
        pass

    def join(self, timeout: float | None = None) -> None:
        self._polls -= 1

    def is_alive(self) -> bool:
        return self._polls > 0

    def terminate(self) -> None:
        self._polls = 0


class _Context:
    Process = _ExitingProcess


@pytest.mark.parametrize(
    ("end", "outcome"),
    [
        ("solved", "finished"),  # the solve stored its roster between a heartbeat and its exit
        ("failed by the solve", "finished"),
        ("cancelled", "stopped"),
        ("reaped", "stopped"),
    ],
)
def test_a_heartbeat_after_the_solve_ended_stops_only_what_others_ended(
    store: Store, monkeypatch: pytest.MonkeyPatch, end: str, outcome: str
) -> None:
    job_id = _queued(store)
    job = store.claim_job(job_id, "host:1")
    assert job is not None
    if end == "solved":
        assert store.finish_job(job_id, greedy_roster(make_scenario(days=2)), violations=0) is not None
    elif end == "failed by the solve":
        assert store.fail_job(job_id, "the scenario has no duties", states=("running",))
    elif end == "cancelled":
        store.cancel_job(job_id)
    else:
        assert Reaper(store, stale_after=0).reap() == [job_id]
    beating = _Heartbeat(store, job_id, every=60)
    beating.lost.set()  # the heartbeat found the job no longer running while its process still ran
    monkeypatch.setattr(jobs, "_context", lambda: _Context())
    assert jobs._watch_solve(store, job, 1, beating, poll=0.01) == outcome


def test_the_reaper_fails_only_jobs_whose_worker_stopped_beating(store: Store) -> None:
    dead, alive, embedded = _queued(store), _queued(store), _queued(store)
    assert store.claim_job(dead, "host:1") is not None
    assert store.claim_job(alive, "host:2") is not None
    assert store.claim_next_job() is not None  # the embedded runner's claim names no worker
    assert store.claim_job(dead, "host:3") is None  # claimed already
    with store.db.transaction() as s:
        old = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=31)
        s.execute(update(JobRow).where(JobRow.id == dead).values(heartbeat_at=old))
    assert Reaper(store, stale_after=30).reap() == [dead]
    assert (store.get_job(dead).state, store.get_job(dead).message) == ("failed", LOST_MESSAGE)
    assert store.get_job(alive).state == "running" and store.heartbeat(alive)
    assert store.get_job(embedded).state == "running"
    assert not store.heartbeat(dead)  # its worker, were it still alive, stops


def test_broker_settings_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    get_settings.cache_clear()
    monkeypatch.setenv("ONCALL_BROKER_URL", "http://127.0.0.1:6379")
    with pytest.raises(InvalidSettings, match="ONCALL_BROKER_URL"):
        get_settings()
    get_settings.cache_clear()
    monkeypatch.setenv("ONCALL_BROKER_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("ONCALL_HEARTBEAT_SECONDS", "5")
    monkeypatch.setenv("ONCALL_JOB_STALE_SECONDS", "10")
    with pytest.raises(InvalidSettings, match="job_stale_seconds: at least 3 heartbeats"):
        get_settings()
    get_settings.cache_clear()


def test_worker_needs_a_broker(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    get_settings.cache_clear()
    monkeypatch.delenv("ONCALL_BROKER_URL", raising=False)
    monkeypatch.setenv("ONCALL_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(cli, ["worker"])
    get_settings.cache_clear()
    assert result.exit_code == 2
    assert "ONCALL_BROKER_URL is not set" in result.output


def test_worker_check_fails_when_the_broker_does_not_answer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    get_settings.cache_clear()
    monkeypatch.setenv("ONCALL_BROKER_URL", "redis://127.0.0.1:1/0")  # nothing listens on port 1
    monkeypatch.setenv("ONCALL_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(cli, ["worker", "--check"])
    get_settings.cache_clear()
    assert result.exit_code == 1, result.output
    assert "ONCALL_BROKER_URL: the broker does not answer" in result.output


def test_liveness_and_readiness(tmp_path: Path) -> None:
    settings = make_settings(database_url(None, tmp_path / "data"), tmp_path)
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        assert client.get("/readyz").json() == {"status": "ok", "database": "sqlite", "broker": False}
    unreachable = Settings(**{**settings.model_dump(), "broker_url": "redis://127.0.0.1:1/0"})
    with TestClient(create_app(unreachable)) as client:
        assert client.get("/healthz").status_code == 200
        r = client.get("/readyz")
        assert r.status_code == 503, r.text
        assert "broker" in r.json()["error"]["message"]


def test_a_solve_the_broker_does_not_take_fails_at_once(tmp_path: Path) -> None:
    settings = make_settings(database_url(None, tmp_path / "data"), tmp_path)
    unreachable = Settings(**{**settings.model_dump(), "broker_url": "redis://127.0.0.1:1/0"})
    with TestClient(create_app(unreachable)) as client:
        store: Store = client.app.state.store  # type: ignore[attr-defined]
        headers = {"Authorization": f"Bearer {store.create_key('staff', 'office')[1]}"}
        sid = store.create_scenario(make_scenario(days=2)).id
        r = client.post(f"/scenarios/{sid}/solves", json={"time_limit": 2}, headers=headers)
        assert r.status_code == 503, r.text
        assert "broker" in r.json()["error"]["message"]
        (job,) = store.list_jobs(sid)
        assert job.state == "failed" and "broker" in (job.message or "")


def test_the_embedded_default_imports_no_celery(tmp_path: Path) -> None:
    script = f"""
import sys
from fastapi.testclient import TestClient
from api import create_app
from pathlib import Path
from tests.api.helpers import fresh_database, make_settings
from oncall.storage import database_url
folder = Path({str(tmp_path)!r})
with TestClient(create_app(make_settings(database_url(None, folder / "data"), folder))) as c:
    assert c.get("/readyz").status_code == 200
assert "celery" not in sys.modules and "kombu" not in sys.modules, "celery imported"
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_deploy_docs_name_every_setting() -> None:
    text = (Path(__file__).parent.parent / "docs" / "deploy.md").read_text(encoding="utf-8")
    names = [f"ONCALL_{name.upper()}" for name in Settings.model_fields] + ["ONCALL_WORKER_CONCURRENCY"]
    assert [n for n in names if f"`{n}`" not in text] == []


def test_processes_starting_together_on_a_new_postgresql_database_migrate_it_once(tmp_path: Path) -> None:
    # API processes and workers of a new release start at once: one migrates, the others wait for it.
    script = "import sys; from oncall.storage import Store; Store.open(sys.argv[1]).db.dispose()"
    with fresh_database("postgresql", tmp_path) as url:
        starts = [subprocess.Popen([sys.executable, "-c", script, url], stderr=subprocess.PIPE) for _ in range(4)]
        errors = [p.communicate(timeout=300)[1].decode() for p in starts]
        assert [p.returncode for p in starts] == [0, 0, 0, 0], errors
        store = Store.open(url)
        assert store.create_scenario(make_scenario(days=2)).id == 1
        store.db.dispose()
