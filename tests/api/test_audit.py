"""The audit log: every change recorded with who, when, what and why, in the transaction of the change."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from oncall.storage import Store
from oncall.storage.audit import Actor, list_audit
from tests.api.helpers import assert_error, solve, upload
from tests.factories import make_scenario


def _audit(client: TestClient, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    r = client.get("/audit", params=params, headers=headers)
    assert r.status_code == 200, r.text
    entries: list[dict[str, Any]] = r.json()
    return entries


def test_changes_to_scenarios_revisions_and_publications_are_recorded(
    client: TestClient, staff: dict[str, str]
) -> None:
    started = dt.datetime.now(dt.UTC)
    sid = upload(client, staff)["id"]
    other = upload(client, staff)["id"]
    absence = {"start": "2027-01-05", "end": "2027-01-05", "reason": "学会"}
    client.post(f"/scenarios/{sid}/physicians/n1a/absences", json=absence, headers=staff)
    client.delete(f"/scenarios/{sid}/physicians/n1a/absences/0", headers=staff)
    body = make_scenario(days=3).model_dump_json()
    r = client.put(
        f"/scenarios/{sid}",
        params={"version": 3, "reason": "期間の延長"},
        content=body,
        headers={**staff, "Content-Type": "application/json"},
    )
    assert r.status_code == 200, r.text
    job = solve(client, staff, sid)
    rid = job["revision_id"]
    client.post(f"/revisions/{rid}/publish", json={"base": None, "reason": "確定"}, headers=staff)

    entries = _audit(client, staff, scenario_id=sid)
    assert [e["action"] for e in entries] == [
        "publication.create",
        "revision.create",
        "solve.request",
        "scenario.update",
        "scenario.remove_absence",
        "scenario.add_absence",
        "scenario.create",
    ]
    assert {e["actor"] for e in entries} == {entries[0]["actor"]} and entries[0]["actor"].endswith("(office)")
    assert all(e["key_id"] is not None and e["scenario_id"] == sid for e in entries)
    by_action = {e["action"]: e for e in entries}
    assert by_action["scenario.add_absence"]["reason"] == "学会"
    assert by_action["scenario.add_absence"]["detail"]["entry"]["start"] == "2027-01-05"
    assert by_action["scenario.update"]["reason"] == "期間の延長"
    assert by_action["publication.create"]["reason"] == "確定"
    assert by_action["publication.create"]["detail"] == {"revision": rid, "previous": None}
    assert by_action["revision.create"]["detail"]["job"] == job["id"]
    assert all(dt.datetime.fromisoformat(e["at"]) >= started - dt.timedelta(seconds=1) for e in entries)

    # Filters: kind, action, time, scenario.
    assert [e["target"] for e in _audit(client, staff, kind="scenario")][-2:] == [str(other), str(sid)]
    assert [e["action"] for e in _audit(client, staff, action="revision.create")] == ["revision.create"]
    assert _audit(client, staff, since=(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)).isoformat()) == []
    # A time without an offset is Tokyo time: "now in Tokyo" minus a minute still holds every entry,
    # which the same wall-clock time read as UTC (nine hours later) would not.
    tokyo_now = dt.datetime.now(ZoneInfo("Asia/Tokyo")).replace(tzinfo=None)
    assert len(_audit(client, staff, since=(tokyo_now - dt.timedelta(minutes=1)).isoformat())) == len(
        _audit(client, staff, since=(dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)).isoformat())
    )
    assert _audit(client, staff, since=(tokyo_now - dt.timedelta(minutes=1)).isoformat())
    # Before the test began only the fixture's API key was made.
    assert [e["action"] for e in _audit(client, staff, until=started.isoformat())] == ["api_key.create"]
    assert len(_audit(client, staff, scenario_id=other)) == 1
    assert len(_audit(client, staff, limit=2)) == 2


def test_a_failed_change_records_nothing(client: TestClient, staff: dict[str, str]) -> None:
    sid = upload(client, staff)["id"]
    before = _audit(client, staff, scenario_id=sid)
    bad = {"start": "2027-01-06", "end": "2027-01-05"}
    assert client.post(f"/scenarios/{sid}/physicians/n1a/absences", json=bad, headers=staff).status_code == 422
    assert client.post("/revisions/999/publish", json={"base": None}, headers=staff).status_code == 404
    rid = solve(client, staff, sid)["revision_id"]
    count = len(_audit(client, staff))
    assert client.post(f"/revisions/{rid}/publish", json={"base": 12345}, headers=staff).status_code == 409
    assert len(_audit(client, staff)) == count
    assert len(before) == 1


def test_the_entry_is_written_in_the_transaction_of_the_change(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import oncall.storage.scenarios as scenarios  # the scenarios' store, where create_scenario lives

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(scenarios, "record", broken)
    with pytest.raises(RuntimeError):
        store.create_scenario(make_scenario(days=2), Actor.cli())
    assert store.list_scenarios() == []  # no change without its entry


def test_record_is_callable_by_other_packages(store: Store) -> None:
    from oncall.storage.audit import record

    with store.db.transaction() as s:
        record(s, Actor.cli(), "feed_token.issue", "tok_1", {"scenario": 3}, "新しい病院", scenario_id=None)
    entry = list_audit(store.db, kind="feed_token")[0]
    assert (entry.actor, entry.action, entry.target, entry.detail, entry.reason) == (
        "cli",
        "feed_token.issue",
        "tok_1",
        {"scenario": 3},
        "新しい病院",
    )


def test_audit_errors(client: TestClient, staff: dict[str, str], hospital: dict[str, str]) -> None:
    body = assert_error(client.get("/audit", headers=hospital), 403, "forbidden")
    assert body["message"] == "a hospital key cannot read this; it needs a staff key"
    assert_error(client.get("/audit", params={"limit": 0}, headers=staff), 422, "invalid_request", "limit")
    assert_error(client.get("/audit", params={"since": "yesterday"}, headers=staff), 422, "invalid_request", "since")
    r = client.get("/audit", params={"since": "0001-01-01T00:00:00+09:00"}, headers=staff)
    assert_error(r, 422, "invalid_request", "since")


def test_feed_tokens_and_edited_revisions_are_recorded(client: TestClient, staff: dict[str, str]) -> None:
    sid = upload(client, staff)["id"]
    job = solve(client, staff, sid)
    roster = client.get(f"/revisions/{job['revision_id']}", headers=staff).json()
    r = client.post(f"/scenarios/{sid}/revisions", json=roster, headers=staff)
    assert r.status_code == 201, r.text
    edited = _audit(client, staff, action="revision.create")[0]
    assert edited["target"] == str(r.json()["id"]) and edited["detail"]["source"] == "edit"

    issued = client.post("/feeds", json={"kind": "physician", "target": "n1a"}, headers=staff)
    assert issued.status_code == 201, issued.text
    prefix = issued.json()["prefix"]
    assert client.post(f"/feeds/{prefix}/rotate", headers=staff).status_code == 200
    assert client.delete(f"/feeds/{prefix}", headers=staff).status_code == 200
    assert client.delete(f"/feeds/{prefix}", headers=staff).status_code == 200  # idempotent: one entry
    entries = _audit(client, staff, kind="feed_token")
    assert [e["action"] for e in entries] == ["feed_token.revoke", "feed_token.rotate", "feed_token.issue"]
    assert all(e["target"] == prefix and e["actor"].endswith("(office)") for e in entries)
    assert entries[-1]["detail"]["target"] == "n1a"
    assert all(issued.json()["token"] not in str(e) for e in entries)  # never the secret
