"""Scenarios: upload as JSON or YAML, read, list, update with a version; 413, 415 and 422 paths."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import yaml
from fastapi.testclient import TestClient

from oncall.model import Scenario
from tests.api.helpers import assert_error, english, upload
from tests.factories import make_scenario


def _post(client: TestClient, headers: dict[str, str], body: str | bytes, media: str) -> object:
    return client.post("/scenarios", content=body, headers={**headers, "Content-Type": media})


@pytest.mark.parametrize("media", ["application/yaml", "text/yaml", "application/json"])
def test_upload_in_each_format_reads_back_the_same_scenario(
    client: TestClient, staff: dict[str, str], media: str
) -> None:
    scenario = make_scenario(days=2)
    data = scenario.model_dump(mode="json")
    body = json.dumps(data) if media == "application/json" else yaml.safe_dump(data, allow_unicode=True)
    r = client.post("/scenarios", content=body.encode(), headers={**staff, "Content-Type": f"{media}; charset=utf-8"})
    assert r.status_code == 201, r.text
    created = r.json()
    assert r.headers["Location"] == f"/scenarios/{created['id']}"
    assert created["version"] == 1 and created["published_revision_id"] is None
    assert (created["name"], created["period_start"], created["period_end"]) == (
        "test-network",
        "2027-01-04",
        "2027-01-05",
    )
    detail = client.get(f"/scenarios/{created['id']}", headers=staff).json()
    assert Scenario.model_validate(detail["scenario"]) == scenario


def test_list_is_newest_first_and_pages(client: TestClient, staff: dict[str, str], hospital: dict[str, str]) -> None:
    ids = [upload(client, staff)["id"] for _ in range(3)]
    listed = client.get("/scenarios", headers=hospital).json()
    assert [s["id"] for s in listed] == ids[::-1]
    page = client.get("/scenarios?limit=1&offset=1", headers=hospital).json()
    assert [s["id"] for s in page] == [ids[1]]


def test_invalid_scenario_is_422_naming_the_field(client: TestClient, staff: dict[str, str]) -> None:
    data = make_scenario(days=2).model_dump(mode="json")
    data["physicians"][3]["clinic"] = "nowhere"
    data["physicians"][5]["districts"] = ["north", "atlantis"]
    staff = english(staff)
    error = assert_error(_post(client, staff, json.dumps(data), "application/json"), 422, "invalid_scenario")
    problems = {d["field"]: d["problem"] for d in error["details"]}
    assert problems == {
        "physicians[3].clinic": "unknown clinic 'nowhere'",
        "physicians[5].districts[1]": "unknown district 'atlantis'",
    }
    # The same document as YAML names the same fields.
    again = assert_error(_post(client, staff, yaml.safe_dump(data), "application/yaml"), 422, "invalid_scenario")
    assert again["details"] == error["details"]
    # A field-level problem names its field too.
    data = make_scenario(days=2).model_dump(mode="json")
    data["period"]["end"] = "2027-01-01"
    data["hospitals"][0]["capacity_per_day"] = 0
    error = assert_error(_post(client, staff, json.dumps(data), "application/json"), 422, "invalid_scenario")
    fields = [d["field"] for d in error["details"]]
    assert fields == ["period", "hospitals[0].capacity_per_day"]


@pytest.mark.parametrize(
    ("body", "media"),
    [
        ("{not json", "application/json"),
        ("name: [unclosed", "application/yaml"),
        ("- a list\n- not a mapping\n", "application/yaml"),
        ("base: &a [1, 2]\nagain: *a\n", "application/yaml"),  # aliases can blow up: refused
        (b"\xff\xfe not utf-8", "application/json"),
        ("[" * 50_000, "application/json"),
    ],
    ids=["bad-json", "bad-yaml", "not-a-mapping", "yaml-alias", "not-utf8", "deep-nesting"],
)
def test_unreadable_documents_are_422(client: TestClient, staff: dict[str, str], body: str | bytes, media: str) -> None:
    error = assert_error(_post(client, staff, body, media), 422, "invalid_scenario")
    assert error["details"][0]["field"] == "(document)"


def test_unsupported_media_type_is_415(client: TestClient, staff: dict[str, str]) -> None:
    body = make_scenario(days=2).model_dump_json()
    assert_error(_post(client, staff, body, "text/plain"), 415, "unsupported_media_type", "Content-Type")
    r = client.post("/scenarios", content=body, headers=staff)
    assert_error(r, 415, "unsupported_media_type")


def test_body_over_the_limit_is_413_declared_or_not(client: TestClient, staff: dict[str, str]) -> None:
    big = b" " * (600 * 1024)  # the test settings allow 512 KiB
    assert_error(_post(client, staff, big, "application/json"), 413, "payload_too_large")

    def chunks() -> Iterator[bytes]:
        yield from (big[i : i + 65536] for i in range(0, len(big), 65536))

    streamed = client.post("/scenarios", content=chunks(), headers={**staff, "Content-Type": "application/json"})
    assert_error(streamed, 413, "payload_too_large")


def test_update_needs_the_current_version(client: TestClient, staff: dict[str, str]) -> None:
    sid = upload(client, staff)["id"]
    changed = make_scenario(days=3)
    body = changed.model_dump_json()
    headers = {**staff, "Content-Type": "application/json"}
    r = client.put(f"/scenarios/{sid}?version=1", content=body, headers=headers)
    assert r.status_code == 200, r.text
    assert (r.json()["version"], r.json()["period_end"]) == (2, "2027-01-06")
    assert_error(client.put(f"/scenarios/{sid}?version=1", content=body, headers=headers), 409, "conflict", "version")
    assert_error(client.put(f"/scenarios/{sid}", content=body, headers=headers), 422, "invalid_request", "version")
    assert_error(client.put("/scenarios/999?version=1", content=body, headers=headers), 404, "not_found", "scenario_id")
    detail = client.get(f"/scenarios/{sid}", headers=staff).json()
    assert detail["version"] == 2 and Scenario.model_validate(detail["scenario"]) == changed


def test_unknown_scenario_is_404_and_bad_ids_422(client: TestClient, staff: dict[str, str]) -> None:
    assert_error(client.get("/scenarios/12345", headers=staff), 404, "not_found", "scenario_id")
    assert_error(client.get("/scenarios/0", headers=staff), 422, "invalid_request", "scenario_id")
    assert_error(client.get("/scenarios/abc", headers=staff), 422, "invalid_request", "scenario_id")
    assert_error(client.get(f"/scenarios/{2**40}", headers=staff), 422, "invalid_request", "scenario_id")
