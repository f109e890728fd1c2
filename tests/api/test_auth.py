"""Access: every route but /health needs a key (401); hospital keys read but never write (403)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api import Settings, create_app
from oncall.storage import Store
from tests.api.helpers import BACKENDS, assert_error, bearer, fresh_database, make_settings

# Every operation of the API, read from its own OpenAPI document so a new route cannot be missed.
_SCHEMA = create_app(Settings(database_url="sqlite://")).openapi()
_VALUES = {
    "scenario_id": "1",
    "job_id": "1",
    "revision_id": "1",
    "physician_id": "n1a",
    "index": "0",
    "prefix": "ocf_00000000",
    "token": "ocf_00000000_" + "x" * 43,
    "repair_id": "1",
    "swap_id": "1",
    "kind": "requests",
}
OPERATIONS = [
    (method.upper(), re.sub(r"\{(\w+)\}", lambda m: _VALUES[m.group(1)], path))
    for path, item in _SCHEMA["paths"].items()
    for method in item
]
OPEN = {("GET", "/health"), *((m, _VALUES["token"].join(("/ical/", ".ics"))) for m in ("GET", "HEAD"))}
# Office staff only: the audit log names people and reasons (illness); so do a physician's entries
# (absences with reasons, wishes), repairs, swaps and the import template (every doctor's absences);
# feed subscriptions name their holders and when their phones last read them. A hospital does not
# need them (issue 17, item 14).
STAFF_READS = {
    ("GET", "/audit"),
    ("GET", "/scenarios/1/physicians/n1a"),
    ("GET", "/scenarios/1/repairs"),
    ("GET", "/repairs/1"),
    ("GET", "/scenarios/1/swaps"),
    ("GET", "/swaps/1"),
    ("GET", "/feeds"),
    ("GET", "/feeds/ocf_00000000"),
    ("GET", "/scenarios/1/imports/requests/template"),
    ("GET", "/revisions/1/cover"),  # who answers when tells when each 主治医 is away
}
WRITES = [(m, p) for m, p in OPERATIONS if m not in ("GET", "HEAD") and (m, p) != ("POST", "/check")]


@pytest.fixture(scope="module", params=BACKENDS)
def running(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One app for the whole module: these tests change nothing that another could see."""
    directory = tmp_path_factory.mktemp("auth")
    with fresh_database(request.param, directory) as url, TestClient(create_app(make_settings(url, directory))) as c:
        yield c


@pytest.fixture
def client(running: TestClient) -> TestClient:
    """The module's client."""
    return running


@pytest.fixture
def store(running: TestClient) -> Store:
    """The module's store."""
    s: Store = running.app.state.store  # type: ignore[attr-defined]
    return s


@pytest.fixture
def hospital(store: Store) -> dict[str, str]:
    """Headers with a hospital key."""
    return bearer(store.create_key("hospital", "central")[1])


def test_the_operation_list_is_complete() -> None:
    assert len(OPERATIONS) >= 20
    assert ("POST", "/scenarios/1/solves") in WRITES and ("DELETE", "/scenarios/1/physicians/n1a/absences/0") in WRITES


@pytest.mark.parametrize(("method", "path"), [op for op in OPERATIONS if op not in OPEN])
def test_no_or_a_bad_key_is_401(client: TestClient, store: Store, method: str, path: str) -> None:
    revoked = store.create_key("staff", "gone")
    store.revoke_key(revoked[0].prefix)
    for headers in [
        {},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        bearer("ock_00000000_" + "x" * 43),
        bearer("not-a-token"),
        bearer(revoked[1]),
    ]:
        r = client.request(method, path, headers=headers)
        assert_error(r, 401, "unauthorized")
        assert r.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_a_hospital_key_cannot_write(client: TestClient, hospital: dict[str, str], method: str, path: str) -> None:
    assert_error(client.request(method, path, headers=hospital), 403, "forbidden")


@pytest.mark.parametrize(
    ("method", "path"), [op for op in OPERATIONS if op[0] == "GET" and op not in OPEN | STAFF_READS]
)
def test_a_hospital_key_reads(client: TestClient, hospital: dict[str, str], method: str, path: str) -> None:
    assert client.request(method, path, headers=hospital).status_code not in (401, 403)


@pytest.mark.parametrize(("method", "path"), sorted(STAFF_READS))
def test_a_hospital_key_cannot_read_the_office_s_records(
    client: TestClient, hospital: dict[str, str], method: str, path: str
) -> None:
    assert_error(client.request(method, path, headers=hospital), 403, "forbidden")


def test_health_needs_no_key_and_whoami_names_the_key(client: TestClient, hospital: dict[str, str]) -> None:
    assert client.get("/health").json()["status"] == "ok"
    assert client.get("/whoami", headers=hospital).json()["role"] == "hospital"


def test_keys_are_stored_as_hashes_only(store: Store) -> None:
    record, token = store.create_key("staff", "office")
    assert token.startswith(record.prefix + "_")
    with store.db.engine.connect() as c:
        dump = "\n".join(str(row) for row in c.exec_driver_sql("SELECT * FROM api_keys"))
    secret = token.removeprefix(record.prefix + "_")  # the secret part may itself contain "_"
    assert len(secret) >= 32 and token not in dump and secret not in dump
    assert store.authenticate(token) == record
