"""``GET /print/{revision_id}``: the print view as HTML, behind an API key, in Japanese or English."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.helpers import assert_error, upload
from tests.factories import greedy_roster, make_scenario


def _revision(client: TestClient, staff: dict[str, str]) -> int:
    scenario = make_scenario(days=2)
    sid = upload(client, staff, scenario)["id"]
    body = greedy_roster(scenario).model_dump_json()
    r = client.post(f"/scenarios/{sid}/revisions", content=body, headers={**staff, "Content-Type": "application/json"})
    assert r.status_code == 201, r.text
    rid: int = r.json()["id"]
    return rid


def test_print_view_of_a_revision(client: TestClient, staff: dict[str, str], hospital: dict[str, str]) -> None:
    rid = _revision(client, staff)
    r = client.get(f"/print/{rid}", headers=hospital)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "当番表" in r.text and "青木一郎" in r.text
    english = client.get(f"/print/{rid}", headers={**hospital, "Accept-Language": "en-GB,en;q=0.8"})
    assert "Duty roster" in english.text and "Ichiro Aoki" in english.text
    forced = client.get(f"/print/{rid}?lang=ja", headers={**hospital, "Accept-Language": "en"})
    assert "当番表" in forced.text


def test_print_view_needs_a_key_and_a_revision(client: TestClient, staff: dict[str, str]) -> None:
    rid = _revision(client, staff)
    assert_error(client.get(f"/print/{rid}"), 401, "unauthorized")
    assert_error(client.get("/print/999", headers=staff), 404, "not_found", "revision_id")
    assert_error(client.get(f"/print/{rid}?lang=fr", headers=staff), 422, "invalid_request", "lang")
