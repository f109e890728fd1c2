"""Revisions: publishing with optimistic concurrency, reading as JSON or XLSX, diffs."""

from __future__ import annotations

import threading
from typing import Any

from fastapi.testclient import TestClient

from oncall.roster import Roster
from oncall.storage import Store
from tests.api.helpers import assert_error, solve, upload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _revision(client: TestClient, headers: dict[str, str], sid: int, **body: Any) -> int:
    job = solve(client, headers, sid, **body)
    assert job["state"] == "succeeded", job
    rid: int = job["revision_id"]
    return rid


def _publish(client: TestClient, headers: dict[str, str], rid: int, base: int | None) -> Any:
    return client.post(f"/revisions/{rid}/publish", json={"base": base}, headers=headers)


def test_publish_makes_the_current_roster_and_a_stale_base_gets_409(
    client: TestClient, staff: dict[str, str], hospital: dict[str, str]
) -> None:
    sid = upload(client, staff)["id"]
    first, second = _revision(client, staff, sid), _revision(client, staff, sid, time_limit=2, seed=3)
    assert_error(client.get(f"/scenarios/{sid}/published", headers=hospital), 404, "not_found")

    r = _publish(client, staff, first, None)
    assert r.status_code == 200, r.text
    assert r.json()["published"] is True and r.json()["published_at"] is not None
    assert client.get(f"/scenarios/{sid}", headers=hospital).json()["published_revision_id"] == first
    published = client.get(f"/scenarios/{sid}/published", headers=hospital)
    assert published.content == client.get(f"/revisions/{first}", headers=hospital).content
    assert published.headers["X-Revision-Id"] == str(first)

    assert_error(_publish(client, staff, second, None), 409, "conflict", "base")  # reviewed before `first`
    assert_error(_publish(client, staff, second, 999), 409, "conflict", "base")
    assert _publish(client, staff, second, first).status_code == 200
    listed = {r["id"]: r["published"] for r in client.get(f"/scenarios/{sid}/revisions", headers=hospital).json()}
    assert listed == {first: False, second: True}  # every revision is kept
    assert client.get(f"/revisions/{first}/info", headers=hospital).json()["published_at"] is not None


def test_publish_errors(client: TestClient, staff: dict[str, str], hospital: dict[str, str]) -> None:
    sid = upload(client, staff)["id"]
    rid = _revision(client, staff, sid)
    assert_error(_publish(client, staff, 999, None), 404, "not_found", "revision_id")
    assert_error(client.post(f"/revisions/{rid}/publish", json={}, headers=staff), 422, "invalid_request", "base")
    assert_error(_publish(client, hospital, rid, None), 403, "forbidden")
    assert_error(client.post(f"/revisions/{rid}/publish", json={"base": None}), 401, "unauthorized")


def test_two_clients_publishing_from_the_same_base_one_wins(client: TestClient, staff: dict[str, str]) -> None:
    sid = upload(client, staff)["id"]
    base = _revision(client, staff, sid)
    assert _publish(client, staff, base, None).status_code == 200
    mine, theirs = (
        _revision(client, staff, sid, time_limit=2, seed=1),
        _revision(client, staff, sid, time_limit=2, seed=2),
    )
    barrier = threading.Barrier(2)
    statuses: dict[int, int] = {}

    def publish(rid: int) -> None:
        barrier.wait()
        statuses[rid] = _publish(client, staff, rid, base).status_code

    threads = [threading.Thread(target=publish, args=(rid,)) for rid in (mine, theirs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses.values()) == [200, 409], statuses
    winner = next(rid for rid, status in statuses.items() if status == 200)
    assert client.get(f"/scenarios/{sid}", headers=staff).json()["published_revision_id"] == winner


def test_a_revision_reads_as_the_stored_json_or_as_xlsx(
    client: TestClient, staff: dict[str, str], hospital: dict[str, str], store: Store
) -> None:
    sid = upload(client, staff)["id"]
    rid = _revision(client, staff, sid)
    r = client.get(f"/revisions/{rid}", headers=hospital)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.content == store.get_roster(rid)[1].encode()  # byte for byte as stored
    roster = Roster.model_validate_json(r.content)
    assert roster.scenario == "test-network" and not roster.gaps

    for query, headers in [("?format=xlsx", hospital), ("?lang=en", {**hospital, "Accept": XLSX})]:
        x = client.get(f"/revisions/{rid}{query}", headers=headers)
        assert x.status_code == 200 and x.headers["content-type"] == XLSX
        assert x.content[:2] == b"PK"  # a zip: the workbook
        assert f"roster-{rid}.xlsx" in x.headers["content-disposition"]
    assert client.get(f"/revisions/{rid}?format=json", headers={**hospital, "Accept": XLSX}).content == r.content
    assert_error(client.get(f"/revisions/{rid}?format=pdf", headers=hospital), 422, "invalid_request", "format")
    assert_error(client.get("/revisions/999", headers=hospital), 404, "not_found", "revision_id")
    assert_error(client.get("/revisions/999/info", headers=hospital), 404, "not_found", "revision_id")
    assert_error(client.get("/scenarios/999/revisions", headers=hospital), 404, "not_found", "scenario_id")


def test_diff_names_changed_duties_and_who_gains_and_loses(client: TestClient, staff: dict[str, str]) -> None:
    sid = upload(client, staff)["id"]
    before_id = _revision(client, staff, sid)
    before = Roster.model_validate_json(client.get(f"/revisions/{before_id}", headers=staff).content)
    first = before.duties[0]
    assert first.primary is not None
    # The first duty's primary becomes absent on its date: the next solve must move that duty.
    day = first.start.date().isoformat()
    absence = {"start": day, "end": day}
    r = client.post(f"/scenarios/{sid}/physicians/{first.primary}/absences", json=absence, headers=staff)
    assert r.status_code == 201
    after_id = _revision(client, staff, sid)

    diff = client.get(f"/revisions/{after_id}/diff?against={before_id}", headers=staff).json()
    changes = {c["duty"]: c for c in diff["changes"]}
    assert first.id in changes
    assert any(c["role"] == "primary" and c["before"] == first.primary for c in changes[first.id]["changes"])
    people = {p["id"]: p for p in diff["people"]}
    assert {"duty": first.id, "role": "primary"} in people[first.primary]["losses"]
    for p in diff["people"]:
        assert p["net"] == len(p["gains"]) - len(p["losses"])
    moved = sum(len(c["changes"]) for c in diff["changes"])
    assert sum(len(p["gains"]) for p in diff["people"]) <= moved

    same = client.get(f"/revisions/{before_id}/diff?against={before_id}", headers=staff).json()
    assert same == {"changes": [], "people": []}
    r = client.get(f"/revisions/{before_id}/diff?against=999", headers=staff)
    assert_error(r, 404, "not_found", "against")
    assert_error(client.get(f"/revisions/{before_id}/diff", headers=staff), 422, "invalid_request", "against")
    elsewhere = _revision(client, staff, upload(client, staff)["id"])  # a revision of another scenario
    r = client.get(f"/revisions/{before_id}/diff?against={elsewhere}", headers=staff)
    assert_error(r, 422, "invalid_request", "against")


def test_a_revision_the_newest_scenario_version_breaks_is_not_published(
    client: TestClient, staff: dict[str, str]
) -> None:
    sid = upload(client, staff)["id"]
    rid = _revision(client, staff, sid)
    roster = Roster.model_validate_json(client.get(f"/revisions/{rid}", headers=staff).content)
    held = next(d for d in roster.duties if d.primary is not None)
    # The doctor declares an absence over their duty after the solve: the draft is now wrong.
    day = held.start.date().isoformat()
    r = client.post(
        f"/scenarios/{sid}/physicians/{held.primary}/absences", json={"start": day, "end": day}, headers=staff
    )
    assert r.status_code == 201, r.text
    body = assert_error(_publish(client, staff, rid, None), 409, "conflict")
    assert "breaks" in body["message"] and "version 2" in body["message"], body
    assert any("[absence]" in d["problem"] for d in body["details"]), body
    assert client.get(f"/scenarios/{sid}", headers=staff).json()["published_revision_id"] is None
    # A solve of the newest version is published as usual.
    other = _revision(client, staff, sid)
    assert _publish(client, staff, other, None).status_code == 200


def test_one_published_roster_per_district_and_date_and_publishing_again_changes_nothing(
    client: TestClient, staff: dict[str, str]
) -> None:
    first = upload(client, staff)["id"]
    rid = _revision(client, staff, first)
    assert _publish(client, staff, rid, None).status_code == 200
    audit = client.get("/audit", headers=staff).json()
    again = _publish(client, staff, rid, rid)  # a repeated click
    assert again.status_code == 200 and again.json()["published"] is True
    assert client.get("/audit", headers=staff).json() == audit  # no second publication logged
    copy = upload(client, staff)["id"]  # the same network and period, uploaded again
    body = assert_error(_publish(client, staff, _revision(client, staff, copy), None), 409, "conflict")
    assert f"scenario {first}" in body["message"] and "north" in body["message"], body
    assert client.get(f"/scenarios/{copy}", headers=staff).json()["published_revision_id"] is None
