"""The API refuses nonsense values of the fields of issue 19's rules with a 422 naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import assert_error
from tests.factories import greedy_roster, make_scenario
from tests.rule_fields import INVALID


@pytest.mark.parametrize(("edit", "field", "words"), INVALID, ids=[f for _, f, _ in INVALID])
def test_a_nonsense_value_is_422_naming_the_field(
    client: TestClient, staff: dict[str, str], edit: Any, field: str, words: str
) -> None:
    scenario = make_scenario(days=2)
    body: dict[str, Any] = {
        "scenario": scenario.model_dump(mode="json"),
        "roster": greedy_roster(scenario).model_dump(mode="json"),
        "lang": "en",
    }
    edit(body["scenario"])
    error = assert_error(
        client.post("/check", json=body, headers={**staff, "Accept-Language": "en"}),
        422,
        "invalid_request",
        f"scenario.{field}",
    )
    assert any(words in d["problem"] for d in error["details"]), error
