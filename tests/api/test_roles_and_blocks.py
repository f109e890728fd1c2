"""The API refuses a nonsensical shared role with 422 naming the field (issue 19, items 1 and 2)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.helpers import assert_error
from tests.factories import greedy_roster, make_scenario


def test_the_api_answers_422_naming_the_field(client: TestClient, staff: dict[str, str]) -> None:
    scenario = make_scenario(days=2)
    body = {"scenario": scenario.model_dump(mode="json"), "roster": greedy_roster(scenario).model_dump(mode="json")}
    body["scenario"]["shared_roles"] = [
        {"id": "b", "name": "副当番", "role": "secondary", "districts": ["east"], "blocks": ["wd_night"]}
    ]
    r = client.post("/check", json=body, headers=staff)
    assert_error(r, 422, "invalid_request", "scenario.shared_roles[0].districts[0]")
