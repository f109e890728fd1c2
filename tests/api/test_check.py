"""POST /check: the independent checker on a posted scenario and roster."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.helpers import assert_error
from tests.factories import greedy_roster, make_scenario


def _body(double_book: bool = False) -> dict[str, object]:
    scenario = make_scenario(days=2)
    roster = greedy_roster(scenario)
    if double_book:
        roster.duties[0].secondary = roster.duties[0].primary
    return {"scenario": scenario.model_dump(mode="json"), "roster": roster.model_dump(mode="json"), "lang": "en"}


def test_a_valid_roster_passes(client: TestClient, hospital: dict[str, str]) -> None:
    r = client.post("/check", json=_body(), headers=hospital)  # checking writes nothing: any key may
    assert r.status_code == 200, r.text
    result = r.json()
    assert result["ok"] is True and result["report"]["violations"] == []
    assert result["summary"].startswith("No hard rule broken")
    assert {f["id"] for f in result["report"]["physicians"]} >= {"n1a", "s2c"}


def test_a_broken_roster_lists_its_violations(client: TestClient, staff: dict[str, str]) -> None:
    result = client.post("/check", json=_body(double_book=True), headers=staff).json()
    assert result["ok"] is False
    rules = {v["rule"] for v in result["report"]["violations"]}
    assert rules, result
    assert all(v["message"] for v in result["report"]["violations"])


def test_invalid_input_is_422_naming_the_field(client: TestClient, staff: dict[str, str]) -> None:
    body = _body()
    body["scenario"]["physicians"][3]["clinic"] = "nowhere"  # type: ignore[index]
    r = client.post("/check", json=body, headers=staff)
    assert_error(r, 422, "invalid_request", "scenario.physicians[3].clinic")
    body = _body()
    del body["roster"]["duties"]  # type: ignore[attr-defined]
    assert_error(client.post("/check", json=body, headers=staff), 422, "invalid_request", "roster.duties")
    r = client.post("/check", content=b"{oops", headers={**staff, "Content-Type": "application/json"})
    assert_error(r, 422, "invalid_request", "(body)")
    assert_error(client.post("/check", json=_body()), 401, "unauthorized")
