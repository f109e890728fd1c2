"""A hospital key reads the network, who is on duty and its own load, never the doctors' personal data.

Every GET route of the API (read from its own OpenAPI document, so a new route cannot be missed) is
requested with a hospital key over a database holding every kind of personal data the office keeps:
absences with reasons, wishes, contact details, a repair and a swap with reasons, a named feed. No
response may carry any of it, in JSON or inside an XLSX.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import Settings, create_app
from oncall.model import Absence, Request, Scenario
from tests.api.helpers import first_give_away, wait_for
from tests.factories import greedy_roster, make_scenario

SECRETS = {
    "absence reason": "学会-7f3a",
    "repair reason": "病欠-7f3a",
    "repair change reason": "介護-7f3a",
    "swap reason": "法事-7f3a",
    "phone": "090-7f3a",
    "email": "aoki-7f3a@example.org",
    "feed name": "青木先生の携帯-7f3a",
}
_SCHEMA = create_app(Settings(database_url="sqlite://")).openapi()
GETS = [path for path, item in _SCHEMA["paths"].items() if "get" in item and not path.startswith("/ical/")]


def _scenario() -> Scenario:
    scenario = make_scenario(days=3)
    aoki = scenario.physician("n1a")
    aoki.absences = [Absence(start=scenario.period.start, end=scenario.period.start, reason=SECRETS["absence reason"])]
    aoki.wishes = [Request(date=scenario.period.end)]
    aoki.phone, aoki.email = SECRETS["phone"], SECRETS["email"]
    return Scenario.model_validate(scenario.model_dump())


def _fill(client: TestClient, staff: dict[str, str]) -> dict[str, str]:
    """Every kind of personal data, through the API as the office enters it; the ids of what was made."""
    scenario = _scenario()
    json = {**staff, "Content-Type": "application/json"}
    sid = client.post("/scenarios", content=scenario.model_dump_json(), headers=json).json()["id"]
    roster = greedy_roster(scenario)
    rid = client.post(f"/scenarios/{sid}/revisions", content=roster.to_json(), headers=json).json()["id"]
    assert client.post(f"/revisions/{rid}/publish", json={"base": None}, headers=staff).status_code == 200
    proposal = first_give_away(scenario, roster)
    body = {"proposal": proposal.model_dump(mode="json"), "reason": SECRETS["swap reason"]}
    swap = client.post(f"/scenarios/{sid}/swaps", json=body, headers=staff).json()["id"]
    doctor = next(
        d.primary
        for d in roster.duties
        if d.primary and d.start.astimezone(scenario.zone).date() == scenario.period.end
    )
    change = {
        "kind": "absence",
        "physician": doctor,
        "start": str(scenario.period.end),
        "end": str(scenario.period.end),
    }
    repair = client.post(
        f"/scenarios/{sid}/repairs",
        json={
            "base": rid,
            "changes": [{**change, "reason": SECRETS["repair change reason"]}],
            "now": "2027-01-04T09:00:00",
            "reason": SECRETS["repair reason"],
        },
        headers=staff,
    ).json()
    wait_for(client, staff, repair["job_id"], lambda j: j["state"] in ("succeeded", "failed", "cancelled"))
    feed = client.post(
        "/feeds", json={"kind": "physician", "target": "n1a", "name": SECRETS["feed name"]}, headers=staff
    )
    return {
        "scenario_id": str(sid),
        "revision_id": str(rid),
        "job_id": str(repair["job_id"]),
        "repair_id": str(repair["id"]),
        "swap_id": str(swap),
        "physician_id": "n1a",
        "prefix": feed.json()["prefix"],
        "kind": "requests",
    }


def _text(response: Any) -> str:
    """What a response shows: its body, or every part of an XLSX (a zip of XML)."""
    if response.content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(response.content)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return bytes(response.content).decode("utf-8", "replace")


def _requests(ids: dict[str, str]) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in GETS:
        url = re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)
        params: dict[str, Any] = {"against": ids["revision_id"]} if path.endswith("/diff") else {}
        out.append((url, params))
        if path in ("/revisions/{revision_id}", "/scenarios/{scenario_id}/published"):
            out.append((url, {"format": "xlsx", "lang": "en"}))
    return out


def test_no_get_route_shows_a_hospital_key_the_doctors_personal_data(
    client: TestClient, staff: dict[str, str], hospital: dict[str, str]
) -> None:
    ids = _fill(client, staff)
    seen_by_staff = "\n".join(_text(client.get(url, params=params, headers=staff)) for url, params in _requests(ids))
    assert all(secret in seen_by_staff for secret in SECRETS.values())  # the data is there to be leaked

    answered = []
    for url, params in _requests(ids):
        r = client.get(url, params=params, headers=hospital)
        assert r.status_code in (200, 403), (url, r.status_code, r.text)
        leaked = [what for what, secret in SECRETS.items() if secret in _text(r)]
        assert not leaked, (url, params, leaked)
        answered += [url] if r.status_code == 200 else []
    # What a hospital needs it still reads: the network, who is on duty, the published roster.
    assert f"/scenarios/{ids['scenario_id']}/published" in answered and "/whoami" in answered
    detail = client.get(f"/scenarios/{ids['scenario_id']}", headers=hospital).json()
    aoki = next(p for p in detail["scenario"]["physicians"] if p["id"] == "n1a")
    assert (aoki["name"], aoki["clinic"], aoki["absences"], aoki["phone"]) == ("青木一郎", "n1", [], None)
    assert {"physicians[].absences", "physicians[].phone"} <= set(detail["withheld"])
    assert client.get(f"/scenarios/{ids['scenario_id']}", headers=staff).json()["withheld"] == []


@pytest.mark.parametrize(
    "path", ["/feeds", "/scenarios/1/physicians/n1a", "/scenarios/1/repairs", "/scenarios/1/swaps", "/audit"]
)
def test_the_office_s_own_records_are_for_staff_keys(client: TestClient, hospital: dict[str, str], path: str) -> None:
    r = client.get(path, headers=hospital)
    assert r.status_code == 403 and "needs a staff key" in r.json()["error"]["message"]
