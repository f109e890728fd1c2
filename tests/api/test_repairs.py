"""Repairs and previous periods over HTTP: a draft with the fewest changes, published through the usual path."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from fastapi.testclient import TestClient

from oncall.checker import check
from oncall.model import Scenario
from oncall.roster import Roster
from tests.api.helpers import assert_error, publish_solved, solve, upload
from tests.factories import duties_of, make_scenario


def _wait(client: TestClient, headers: dict[str, str], repair_id: int, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        repair: dict[str, Any] = client.get(f"/repairs/{repair_id}", headers=headers).json()
        if repair["state"] in ("succeeded", "failed", "cancelled"):
            return repair
        assert time.monotonic() < deadline, repair
        time.sleep(0.05)


def test_a_repair_changes_only_the_absent_doctors_duties_and_is_published_through_the_usual_path(
    client: TestClient, staff: dict[str, str]
) -> None:
    scenario = make_scenario(days=3)
    sid, rid = publish_solved(client, staff, scenario)
    published = client.get(f"/scenarios/{sid}/published", headers=staff).content
    roster = Roster.model_validate_json(published)
    doctor = next(d.primary for d in roster.duties if d.start.date() == dt.date(2027, 1, 5) and d.primary)
    assert doctor is not None
    held = {d.id for d in duties_of(roster, doctor) if d.start.date() == dt.date(2027, 1, 5)}
    body = {
        "base": rid,
        "changes": [{"kind": "absence", "physician": doctor, "start": "2027-01-05", "end": "2027-01-05"}],
        "now": "2027-01-04T09:00:00",  # the scenario's zone
        "reason": "病欠",
    }
    r = client.post(f"/scenarios/{sid}/repairs", json=body, headers=staff)
    assert r.status_code == 202, r.text
    assert r.headers["Location"] == f"/repairs/{r.json()['id']}"
    assert r.json()["freeze_at"].startswith("2027-01-04T00:00:00")  # 09:00 JST in UTC
    repair = _wait(client, staff, r.json()["id"])
    assert repair["state"] == "succeeded", repair
    summary = repair["summary"]
    assert {x["duty"] for x in summary["reasons"]} == held
    assert summary["changed"] == summary["by_change"] == len(held) and summary["knock_on"] == 0
    assert all(x["before"] == doctor and x["cause"] == "change" for x in summary["reasons"])

    draft = repair["revision_id"]
    info = client.get(f"/revisions/{draft}/info", headers=staff).json()
    assert info["violations"] == 0 and info["published"] is False and info["scenario_version"] == 2
    assert client.get(f"/scenarios/{sid}/published", headers=staff).content == published
    changed = Scenario.model_validate(client.get(f"/scenarios/{sid}", headers=staff).json()["scenario"])
    assert check(changed, Roster.model_validate_json(client.get(f"/revisions/{draft}", headers=staff).content)).ok
    assert client.post(f"/revisions/{draft}/publish", json={"base": rid}, headers=staff).status_code == 200
    assert [x["id"] for x in client.get(f"/scenarios/{sid}/repairs", headers=staff).json()] == [repair["id"]]

    actions = [e["action"] for e in client.get("/audit", params={"scenario_id": sid}, headers=staff).json()]
    assert actions[:5] == [
        "publication.create",
        "revision.create",
        "repair.request",
        "solve.request",
        "scenario.update",
    ]


def test_repair_errors(client: TestClient, staff: dict[str, str], hospital: dict[str, str]) -> None:
    sid, rid = publish_solved(client, staff, make_scenario(days=2))
    change = {"kind": "absence", "physician": "n1a", "start": "2027-01-05", "end": "2027-01-05"}
    url = f"/scenarios/{sid}/repairs"
    r = client.post(url, json={"base": rid + 100, "changes": [change]}, headers=staff)
    assert_error(r, 409, "conflict", "base")
    unknown = {**change, "physician": "nobody"}
    r = client.post(url, json={"base": rid, "changes": [unknown]}, headers=staff)
    assert_error(r, 422, "invalid_change", "changes[0].physician")
    r = client.post(url, json={"base": rid, "changes": [change], "time_limit": 999}, headers=staff)
    assert_error(r, 422, "invalid_request", "time_limit")
    assert_error(client.post(url, json={"base": rid, "changes": []}, headers=staff), 422, "invalid_request")
    assert_error(client.post(url, json={"base": rid, "changes": [change]}, headers=hospital), 403, "forbidden")
    assert_error(client.get("/repairs/999", headers=staff), 404, "not_found", "repair_id")
    r = client.post(url, json={"base": rid, "changes": [change], "now": "0001-01-01T00:00:00"}, headers=staff)
    assert r.status_code in (202, 422), r.text
    # Nothing above stored a scenario version.
    assert client.get(f"/scenarios/{sid}", headers=staff).json()["version"] in (1, 2)


def test_an_absence_outside_the_period_is_refused_naming_the_change(client: TestClient, staff: dict[str, str]) -> None:
    sid, rid = publish_solved(client, staff, make_scenario(days=2))
    url = f"/scenarios/{sid}/repairs"
    for start, end in (("2027-02-01", "2027-02-02"), ("9999-12-01", "9999-12-02")):
        change = {"kind": "absence", "physician": "n1a", "start": start, "end": end}
        r = client.post(url, json={"base": rid, "changes": [change]}, headers={**staff, "Accept-Language": "en"})
        body = assert_error(r, 422, "invalid_change", "changes[0].start")
        assert "outside the period" in body["details"][0]["problem"], body
    assert client.get(f"/scenarios/{sid}", headers=staff).json()["version"] == 1  # nothing stored


def test_a_repair_the_changed_scenario_makes_impossible_is_refused_before_it_runs(
    client: TestClient, staff: dict[str, str]
) -> None:
    sid, rid = publish_solved(client, staff, make_scenario(days=2))
    roster = Roster.model_validate_json(client.get(f"/scenarios/{sid}/published", headers=staff).content)
    first = roster.duties[0]
    assert first.primary is not None
    # The doctor of the first duty is removed from the scenario after publishing (a new version by PUT).
    doc = client.get(f"/scenarios/{sid}", headers=staff).json()
    data = doc["scenario"]
    data["physicians"] = [p for p in data["physicians"] if p["id"] != first.primary]
    data["pinned"] = [p for p in data.get("pinned", []) if p["assignee"] != first.primary]
    put = client.put(f"/scenarios/{sid}", params={"version": doc["version"]}, json=data, headers=staff)
    assert put.status_code == 200, put.text
    version = client.get(f"/scenarios/{sid}", headers=staff).json()["version"]
    other = next(p["id"] for p in data["physicians"])
    change = {"kind": "absence", "physician": other, "start": "2027-01-05", "end": "2027-01-05"}
    body = {"base": rid, "changes": [change], "now": "2027-01-05T12:00:00"}  # the first duty has started
    r = client.post(f"/scenarios/{sid}/repairs", json=body, headers={**staff, "Accept-Language": "en"})
    err = assert_error(r, 422, "invalid_change", "base")
    assert first.primary in err["details"][0]["problem"] and "solve the period again" in err["details"][0]["problem"]
    # Japanese by default: the same refusal, worded in Japanese.
    r = client.post(f"/scenarios/{sid}/repairs", json=body, headers=staff)
    err = assert_error(r, 422, "invalid_change", "base")
    assert first.primary in err["details"][0]["problem"] and "期間を解き直してください" in err["details"][0]["problem"]
    assert client.get(f"/scenarios/{sid}", headers=staff).json()["version"] == version  # nothing stored


def test_solving_after_a_published_previous_period_carries_it_over(client: TestClient, staff: dict[str, str]) -> None:
    dec_id, dec_rev = publish_solved(client, staff, make_scenario(start=dt.date(2026, 12, 27), days=5))
    december = Roster.model_validate_json(client.get(f"/revisions/{dec_rev}", headers=staff).content)
    jan_id = upload(client, staff, make_scenario(start=dt.date(2027, 1, 1), days=3))["id"]
    assert client.get(f"/scenarios/{jan_id}/previous", headers=staff).json()["previous_id"] is None

    r = client.put(f"/scenarios/{jan_id}/previous", json={"previous": dec_id}, headers=staff)
    assert r.status_code == 200, r.text
    assert r.json() == {"scenario_id": jan_id, "previous_id": dec_id, "previous_published_revision_id": dec_rev}
    job = solve(client, staff, jan_id)
    assert job["state"] == "succeeded" and job["scenario_version"] == 2, job
    detail = client.get(f"/scenarios/{jan_id}", headers=staff).json()
    carried = Scenario.model_validate(detail["scenario"])
    assert all(p.history.periods for p in carried.physicians)
    assert len(carried.pinned) == 6  # the 12/31 night continues in both districts: primary, secondary, hospital
    january = Roster.model_validate_json(client.get(f"/revisions/{job['revision_id']}", headers=staff).content)
    assert check(carried, january).ok
    heads = {d.district: (d.primary, d.secondary) for d in december.duties if d.end == december.period.end}
    tails = {d.district: (d.primary, d.secondary) for d in january.duties if d.start == january.period.start}
    assert heads == tails

    entry = client.get("/audit", params={"action": "scenario.carry"}, headers=staff).json()[0]
    assert entry["scenario_id"] == jan_id and entry["detail"]["revision"] == dec_rev
    # A second solve carries nothing new.
    assert solve(client, staff, jan_id)["scenario_version"] == 2


def test_previous_period_errors(client: TestClient, staff: dict[str, str]) -> None:
    jan = upload(client, staff, make_scenario(start=dt.date(2027, 1, 1), days=3))["id"]
    later = upload(client, staff, make_scenario(start=dt.date(2027, 1, 10), days=3))["id"]
    r = client.put(f"/scenarios/{later}/previous", json={"previous": jan}, headers=staff)
    assert_error(r, 422, "invalid_change", "previous")
    r = client.put(f"/scenarios/{jan}/previous", json={"previous": 999}, headers=staff)
    assert_error(r, 404, "not_found", "previous")
    assert_error(client.put("/scenarios/999/previous", json={"previous": jan}, headers=staff), 404, "not_found")
    r = client.put(f"/scenarios/{jan}/previous", json={"previous": None}, headers=staff)
    assert r.status_code == 200 and r.json()["previous_id"] is None
    # Linked to a previous period with nothing published: the solve runs on the scenario as it is.
    dec = upload(client, staff, make_scenario(start=dt.date(2026, 12, 29), days=3))["id"]
    assert client.put(f"/scenarios/{jan}/previous", json={"previous": dec}, headers=staff).status_code == 200
    assert solve(client, staff, jan)["scenario_version"] == 1
