"""Crash safety: a server that dies during a solve leaves the published roster intact, and on restart
the job reads failed; nothing a dead server's worker computes is stored afterwards."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api import Settings, create_app
from oncall.jobs import CRASH_MESSAGE
from oncall.storage import Store, database_url
from tests.api.helpers import ServeProcess as _Server
from tests.api.helpers import bearer, solve, upload, wait_for
from tests.factories import greedy_roster, make_scenario


def test_restart_marks_running_jobs_failed(settings: Settings, db_url: str) -> None:
    with TestClient(create_app(settings)) as client:
        headers = bearer(client.app.state.store.create_key("staff", "office")[1])  # type: ignore[attr-defined]
        sid = upload(client, headers)["id"]
        rid = solve(client, headers, sid)["revision_id"]
        assert client.post(f"/revisions/{rid}/publish", json={"base": None}, headers=headers).status_code == 200
        published = client.get(f"/scenarios/{sid}/published", headers=headers).content
    # What a crash leaves behind: a job claimed by a worker that no longer exists.
    store = Store.open(db_url)
    job = store.create_job(sid, 2, 0)
    assert store.claim_next_job() is not None

    with TestClient(create_app(settings)) as client:
        after = client.get(f"/solves/{job.id}", headers=headers).json()
        assert (after["state"], after["message"], after["revision_id"]) == ("failed", CRASH_MESSAGE, None)
        assert client.get(f"/scenarios/{sid}/published", headers=headers).content == published
        # A worker of the dead server that finishes late cannot store its roster any more.
        assert store.finish_job(job.id, greedy_roster(make_scenario(days=2)), 0) is None
        assert [r["id"] for r in client.get(f"/scenarios/{sid}/revisions", headers=headers).json()] == [rid]
    store.db.dispose()


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc to find the worker process")
def test_sigkill_during_a_solve_keeps_the_published_roster_and_fails_the_job(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    store = Store.open(database_url(None, data_dir))  # `oncall serve` will find this database
    headers = bearer(store.create_key("staff", "office")[1])
    # A published roster, stored as a worker would have stored it.
    sid = store.create_scenario(make_scenario(days=2)).id
    store.create_job(sid, 1, 0)
    claimed = store.claim_next_job()
    assert claimed is not None
    revision = store.finish_job(claimed.id, greedy_roster(make_scenario(days=2)), 0)
    assert revision is not None
    rid = store.publish(revision.id, None).id
    server = _Server(data_dir)
    try:
        published = server.http.get(f"/revisions/{rid}", headers=headers).content
        assert published == store.get_roster(rid)[1].encode()

        long = make_scenario(days=7).model_dump_json()
        sid2 = server.http.post("/scenarios", content=long, headers={**headers, "Content-Type": "application/json"})
        job = server.http.post(f"/scenarios/{sid2.json()['id']}/solves", json={"time_limit": 20}, headers=headers)
        job_id = job.json()["id"]
        wait_for(server.http, headers, job_id, lambda j: j["state"] == "running")
        deadline = time.monotonic() + 120  # guards against a hang only
        while not (workers := [w for fs in _children(server.process.pid) for w in _children(fs)]):
            assert time.monotonic() < deadline, "no solve worker started"  # the fork server starts first
            time.sleep(0.1)
    finally:
        server.kill()
    deadline = time.monotonic() + 30  # seconds at most when idle; the guard leaves room for a busy machine
    while any(_alive(w) for w in workers):  # orphaned workers notice and exit
        assert time.monotonic() < deadline, "a solve worker outlived its server"
        time.sleep(0.1)

    server = _Server(data_dir)
    try:
        job = server.http.get(f"/solves/{job_id}", headers=headers).json()
        assert (job["state"], job["message"], job["revision_id"]) == ("failed", CRASH_MESSAGE, None)
        assert server.http.get(f"/revisions/{rid}", headers=headers).content == published
        assert server.http.get(f"/scenarios/{sid}/published", headers=headers).content == published
    finally:
        server.stop()
        store.db.dispose()
