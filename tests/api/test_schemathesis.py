"""Property-based: requests generated from the app's own OpenAPI document never get a 5xx, and every
response matches the documented status codes, content types, headers and schemas.

Bounded: a few valid and a few invalid examples per operation. Schemathesis's strategies are driven by
Hypothesis directly rather than through its pytest plugin, which lags behind new pytest releases.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import negative_data_rejection, positive_data_acceptance
from schemathesis.config import SchemathesisConfig

from api import create_app
from oncall.storage import database_url
from tests.api.helpers import make_settings, solve, upload

EXAMPLES = 5  # per operation and generation mode


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[schemathesis.BaseSchema, str]]:
    """The live app's schema and a staff token; a scenario, a published revision and a job have id 1."""
    directory: Path = tmp_path_factory.mktemp("schemathesis")
    app = create_app(make_settings(database_url(None, directory / "data"), directory))
    with TestClient(app) as client:  # runs the lifespan: migrated database, job runner
        token = app.state.store.create_key("staff", "schemathesis")[1]
        headers = {"Authorization": f"Bearer {token}"}
        sid = upload(client, headers)["id"]
        # A wall-clock absence (no offset): responses that show it must still match their schema.
        absence = {"start": "2027-01-05T09:00:00", "end": "2027-01-05T18:00:00"}
        client.post(f"/scenarios/{sid}/physicians/n1a/absences", json=absence, headers=headers)
        job = solve(client, headers, sid)
        client.post(f"/revisions/{job['revision_id']}/publish", json={"base": None}, headers=headers)
        config = SchemathesisConfig.from_dict({"generation": {"database": "none"}})
        yield schemathesis.openapi.from_asgi("/openapi.json", app, config=config), token


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_generated_requests_get_no_5xx_and_conform(
    api_schema: tuple[schemathesis.BaseSchema, str], mode: GenerationMode
) -> None:
    schema, token = api_schema
    auth = {"Authorization": f"Bearer {token}"}
    failures: dict[str, str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 20

    for operation in operations:

        @given(case=operation.as_strategy(mode, headers=auth))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: schemathesis.Case) -> None:  # type: ignore[type-arg]
            # A schema cannot express the scenario's cross-references, so a schema-valid body may
            # rightly get 422: acceptance of valid-looking data is not asserted.
            # A drawn body over the size limit is refused before it is read (413): a rejection too, which
            # schemathesis's negative-data check does not count among the 4xx it expects.
            response = case.call()
            too_large = [negative_data_rejection] if response.status_code == 413 else []
            case.validate_response(response, excluded_checks=[positive_data_acceptance, *too_large])

        try:
            run()
        except Unsatisfiable:
            assert mode == GenerationMode.NEGATIVE  # nothing to get wrong in a request without parameters
        except Exception as exc:  # collect every operation's failure, not only the first
            failures[operation.label] = str(exc)[:2000]
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
