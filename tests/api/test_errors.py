"""One error shape for everything, also for routes and methods that do not exist."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.helpers import assert_error


def test_unknown_route_and_method_use_the_error_shape(client: TestClient, staff: dict[str, str]) -> None:
    assert_error(client.get("/nowhere", headers=staff), 404, "not_found")
    r = client.patch("/scenarios", headers=staff)
    assert_error(r, 405, "method_not_allowed")
    assert r.headers["allow"] == "GET, POST"


def test_the_openapi_document_names_every_operation(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    ids = [op["operationId"] for item in schema["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))
    assert {"createScenario", "updateScenario", "addAbsence", "removeAbsence", "startSolve", "cancelSolve"} <= set(ids)
    assert {"publishRevision", "getRevision", "diffRevisions", "checkRoster"} <= set(ids)
    upload = schema["paths"]["/scenarios"]["post"]["requestBody"]["content"]
    assert {"application/json", "application/yaml", "text/yaml"} <= set(upload)
    assert "ErrorBody" in schema["components"]["schemas"]
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
