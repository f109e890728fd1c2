"""Absences, wishes and unwishes of one physician, added and removed one by one."""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import assert_error, english, upload


def _physician(client: TestClient, headers: dict[str, str], sid: int, pid: str = "n1a") -> dict[str, object]:
    r = client.get(f"/scenarios/{sid}/physicians/{pid}", headers=headers)
    assert r.status_code == 200, r.text
    data: dict[str, object] = r.json()
    return data


def test_absences_are_added_and_removed_by_index(client: TestClient, staff: dict[str, str]) -> None:
    sid = upload(client, staff)["id"]
    base = f"/scenarios/{sid}/physicians/n1a/absences"
    first = client.post(base, json={"start": "2027-01-04", "end": "2027-01-04", "reason": "学会"}, headers=staff)
    assert first.status_code == 201, first.text
    assert first.json() == {"scenario_id": sid, "version": 2, "physician_id": "n1a", "kind": "absences", "index": 0}
    assert first.headers["Location"] == f"{base}/0"
    second = client.post(base, json={"start": "2027-01-05T09:00:00", "end": "2027-01-05T18:00:00"}, headers=staff)
    assert second.json()["index"] == 1 and second.json()["version"] == 3
    view = _physician(client, staff, sid)
    assert view["version"] == 3
    assert [a["reason"] for a in view["physician"]["absences"]] == ["学会", None]  # type: ignore[index]

    removed = client.delete(f"{base}/0", headers=staff)
    assert removed.status_code == 200, removed.text
    assert removed.json()["version"] == 4
    absences = _physician(client, staff, sid)["physician"]["absences"]  # type: ignore[index]
    assert [a["start"] for a in absences] == ["2027-01-05T09:00:00"]


def test_an_absence_that_breaks_the_scenario_is_422_naming_it(client: TestClient, staff: dict[str, str]) -> None:
    sid = upload(client, staff)["id"]
    base = f"/scenarios/{sid}/physicians/n2a/absences"
    r = client.post(base, json={"start": "2027-01-05", "end": "2027-01-04"}, headers=english(staff))
    error = assert_error(r, 422, "invalid_scenario", "physicians[3].absences[0]")
    assert "before start" in error["details"][0]["problem"]
    assert_error(client.post(base, json={"end": "2027-01-04"}, headers=staff), 422, "invalid_request", "start")
    assert_error(client.post(base, json={"start": "tomorrow", "end": "x"}, headers=staff), 422, "invalid_request")
    mixed = client.post(base, json={"start": "2027-01-04", "end": "2027-01-05T10:00"}, headers=staff)
    assert_error(mixed, 422, "invalid_scenario", "physicians[3].absences[0]")
    assert client.get(f"/scenarios/{sid}", headers=staff).json()["version"] == 1  # nothing stored


@pytest.mark.parametrize("kind", ["wishes", "unwishes"])
def test_requests_are_added_and_removed(client: TestClient, staff: dict[str, str], kind: str) -> None:
    sid = upload(client, staff)["id"]
    base = f"/scenarios/{sid}/physicians/s1a/{kind}"
    r = client.post(base, json={"date": "2027-01-04", "block": "wd_night", "weight": 2}, headers=staff)
    assert r.status_code == 201, r.text
    assert r.json()["kind"] == kind
    entries = _physician(client, staff, sid, "s1a")["physician"][kind]  # type: ignore[index]
    assert entries == [{"date": "2027-01-04", "block": "wd_night", "weight": 2.0}]
    bad = client.post(base, json={"date": "2027-01-04", "block": "no_such_block"}, headers=staff)
    assert_error(bad, 422, "invalid_scenario", f"physicians[6].{kind}[1].block")
    assert client.delete(f"{base}/0", headers=staff).status_code == 200
    assert _physician(client, staff, sid, "s1a")["physician"][kind] == []  # type: ignore[index]


def test_unknown_physician_index_or_scenario_is_404(client: TestClient, staff: dict[str, str]) -> None:
    sid = upload(client, staff)["id"]
    assert_error(client.get(f"/scenarios/{sid}/physicians/nobody", headers=staff), 404, "not_found", "physician_id")
    absence = {"start": "2027-01-04", "end": "2027-01-04"}
    r = client.post(f"/scenarios/{sid}/physicians/nobody/absences", json=absence, headers=staff)
    assert_error(r, 404, "not_found", "physician_id")
    assert_error(client.delete(f"/scenarios/{sid}/physicians/n1a/absences/0", headers=staff), 404, "not_found", "index")
    r = client.post("/scenarios/999/physicians/n1a/absences", json=absence, headers=staff)
    assert_error(r, 404, "not_found", "scenario_id")
    assert_error(client.delete(f"/scenarios/{sid}/physicians/n1a/absences/-1", headers=staff), 422, "invalid_request")


def test_a_versioned_change_on_a_stale_version_is_409(client: TestClient, staff: dict[str, str]) -> None:
    sid = upload(client, staff)["id"]
    base = f"/scenarios/{sid}/physicians/n1a/absences"
    absence = {"start": "2027-01-04", "end": "2027-01-04"}
    assert client.post(f"{base}?version=1", json=absence, headers=staff).status_code == 201
    assert_error(client.post(f"{base}?version=1", json=absence, headers=staff), 409, "conflict", "version")
    assert_error(client.delete(f"{base}/0?version=1", headers=staff), 409, "conflict", "version")
    assert client.delete(f"{base}/0?version=2", headers=staff).status_code == 200


def test_unversioned_absences_added_at_the_same_moment_all_land(client: TestClient, staff: dict[str, str]) -> None:
    sid = upload(client, staff)["id"]
    url = f"/scenarios/{sid}/physicians/n1b/absences"
    barrier = threading.Barrier(8)
    statuses: list[int] = []

    def add(hour: int) -> None:
        barrier.wait()
        body = {"start": f"2027-01-04T{hour:02d}:00:00", "end": f"2027-01-04T{hour:02d}:30:00"}
        statuses.append(client.post(url, json=body, headers=staff).status_code)

    # Eight absences inside the two-day period (one wholly outside it would be refused).
    threads = [threading.Thread(target=add, args=(hour,)) for hour in range(9, 17)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [201] * 8  # each is applied to whatever version is newest, none is refused
    view = _physician(client, staff, sid, "n1b")
    assert view["version"] == 9 and len(view["physician"]["absences"]) == 8  # type: ignore[index]
