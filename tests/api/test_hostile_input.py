"""Hostile and careless input over HTTP (issue 17, items 7–11 and 17): a 4xx with a JSON body naming the
field, or a clear 5xx when the database cannot write; never a 500, a hang or a server that will not stop.

The database tests run on SQLite and, when ``ONCALL_TEST_DATABASE_URL`` is set (as in CI), on PostgreSQL.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from oncall.errors import InvalidInput
from oncall.storage import Store, database_url
from tests.api.helpers import assert_error, bearer, english, upload
from tests.factories import greedy_roster, make_scenario


def _check_body(points: str) -> str:
    """A /check request whose first physician carries ``points`` weekday points (as written in JSON)."""
    scenario = make_scenario(days=2)
    doc = {
        "scenario": scenario.model_dump(mode="json"),
        "roster": greedy_roster(scenario).model_dump(mode="json"),
    }
    doc["scenario"]["physicians"][0]["history"] = {"points": {"weekday": "POINTS"}}
    return json.dumps(doc).replace('"POINTS"', points)


# --- item 7: the must-show -------------------------------------------------------------------------
@pytest.mark.parametrize("points", ["1e22", "1e100", "-1e22", "1e400"])
def test_check_with_enormous_carried_points_is_422_even_for_a_hospital_key(
    client: TestClient, hospital: dict[str, str], points: str
) -> None:
    headers = {**english(hospital), "Content-Type": "application/json"}
    r = client.post("/check", content=_check_body(points), headers=headers)
    error = assert_error(r, 422, "invalid_request", "scenario.physicians[0].history.points.weekday")
    assert error["message"] == "the request is invalid"


def test_a_real_server_answers_the_1e22_check_and_stops_on_sigterm(tmp_path: Path) -> None:
    from tests.api.helpers import ServeProcess as _Server

    data_dir = tmp_path / "data"
    store = Store.open(database_url(None, data_dir))
    headers = bearer(store.create_key("hospital", "central")[1])
    store.db.dispose()
    server = _Server(data_dir)
    try:
        r = server.http.post(
            "/check", content=_check_body("1e22"), headers={**headers, "Content-Type": "application/json"}
        )
        assert_error(r, 422, "invalid_request", "scenario.physicians[0].history.points.weekday")
    finally:
        server.stop()  # SIGTERM; fails if the server is still running 20 s later
    assert server.process.returncode is not None


# --- item 9: integers beyond the database's, huge numbers, NUL characters ---------------------------
@pytest.mark.parametrize("base", [2**31, 2**63, 2**70, 0, -1])
def test_publish_with_a_base_beyond_any_id_is_422(client: TestClient, staff: dict[str, str], base: int) -> None:
    sid = upload(client, staff)["id"]
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    revision = store.add_revision(sid, 1, greedy_roster(make_scenario(days=2)), 0)
    r = client.post(f"/revisions/{revision.id}/publish", json={"base": base}, headers=staff)
    assert_error(r, 422, "invalid_request", "base")


def test_a_json_scenario_with_a_5001_digit_integer_is_422(client: TestClient, staff: dict[str, str]) -> None:
    body = make_scenario(days=2).model_dump_json()
    body = '{"x": ' + "9" * 5001 + ", " + body[1:]
    headers = {**english(staff), "Content-Type": "application/json"}
    error = assert_error(client.post("/scenarios", content=body, headers=headers), 422, "invalid_scenario")
    assert error["details"] == [{"field": "(document)", "problem": "a number has 5001 digits (at most 100)"}]


def test_a_5001_digit_integer_in_a_check_request_is_422(client: TestClient, hospital: dict[str, str]) -> None:
    r = client.post("/check", content=_check_body("9" * 5001), headers={**hospital, "Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"


def _requests_with_nul(sid: int, rid: int) -> list[tuple[str, str, dict[str, Any] | None, str]]:
    """(method, url, JSON body, field) of every text a client can send to be stored or compared."""
    nul = "a\x00b"
    base = f"/scenarios/{sid}/physicians/n1a"
    return [
        ("POST", f"{base}/absences", {"start": "2027-01-04", "end": "2027-01-04", "reason": nul}, "reason"),
        ("POST", f"/revisions/{rid}/publish", {"base": None, "reason": nul}, "reason"),
        (
            "POST",
            f"/scenarios/{sid}/swaps",
            {
                "proposal": {"kind": "give", "duty": "x", "role": "primary", "physician": "n1a", "to": "n1b"},
                "reason": nul,
            },
            "reason",
        ),
        (
            "POST",
            f"/scenarios/{sid}/repairs",
            {"base": rid, "changes": [{"kind": "leave", "physician": "n1a", "start": "2027-01-05", "reason": nul}]},
            "changes[0].leave.reason",
        ),
        ("POST", "/swaps/1/refuse", {"note": nul}, "note"),
        ("GET", "/audit?kind=a%00b", None, "kind"),
        ("GET", "/audit?action=a%00b", None, "action"),
        ("PUT", f"/scenarios/{sid}?version=1&reason=a%00b", None, "reason"),
    ]


def test_a_nul_in_any_reason_or_audit_filter_is_422_naming_it(client: TestClient, staff: dict[str, str]) -> None:
    sid = upload(client, staff)["id"]
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    rid = store.add_revision(sid, 1, greedy_roster(make_scenario(days=2)), 0).id
    scenario = make_scenario(days=2).model_dump_json()
    for method, url, body, field in _requests_with_nul(sid, rid):
        if method == "PUT":
            r = client.put(url, content=scenario, headers={**staff, "Content-Type": "application/json"})
        else:
            r = client.request(method, url, json=body, headers=staff)
        assert_error(r, 422, "invalid_request", field)
    assert client.get(f"/scenarios/{sid}", headers=staff).json()["version"] == 1  # nothing stored


def test_a_nul_in_a_key_name_is_refused_by_the_store(store: Store) -> None:
    with pytest.raises(InvalidInput, match="name: contains a control character"):
        store.create_key("staff", "office\x00")
    with pytest.raises(InvalidInput, match="name: at most 200 characters"):
        store.create_key("staff", "x" * 201)


# --- item 9: a database that cannot write ----------------------------------------------------------
def _on_every_connection(store: Store, statement: str) -> None:
    """Run ``statement`` on each new connection of the store (the pool is emptied first)."""

    def run(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(statement)
        cursor.close()

    sa.event.listen(store.db.engine, "connect", run)
    store.db.engine.dispose()


def test_a_read_only_database_is_503_saying_read_only(client: TestClient, staff: dict[str, str]) -> None:
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    sql = "PRAGMA query_only = 1" if store.db.dialect == "sqlite" else "SET default_transaction_read_only = on"
    _on_every_connection(store, sql)
    body = make_scenario(days=2).model_dump_json()
    r = client.post("/scenarios", content=body, headers={**staff, "Content-Type": "application/json"})
    error = assert_error(r, 503, "read_only")
    assert error["message"].startswith("read-only: ")


def test_a_full_disk_is_507_saying_disk_full(client: TestClient, staff: dict[str, str]) -> None:
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    if store.db.dialect != "sqlite":
        pytest.skip("a full disk is simulated with SQLite's max_page_count")
    with store.db.engine.connect() as c:
        pages = c.execute(sa.text("PRAGMA page_count")).scalar()
    _on_every_connection(store, f"PRAGMA max_page_count = {pages}")
    body = make_scenario(days=7).model_dump_json()
    r = client.post("/scenarios", content=body, headers={**staff, "Content-Type": "application/json"})
    error = assert_error(r, 507, "disk_full")
    assert error["message"].startswith("disk full: ")


# --- item 11: an absence or wish wholly outside the period -------------------------------------------
@pytest.mark.parametrize(
    ("kind", "entry"),
    [
        ("absences", {"start": "2026-01-04", "end": "2026-01-05"}),
        ("absences", {"start": "2027-01-07T09:00", "end": "2027-01-07T12:00"}),
        ("wishes", {"date": "2028-01-04"}),
        ("unwishes", {"date": "2026-01-05"}),
    ],
)
def test_an_entry_wholly_outside_the_period_is_422(
    client: TestClient, staff: dict[str, str], kind: str, entry: dict[str, str]
) -> None:
    sid = upload(client, staff)["id"]  # 2027-01-04 and 05
    r = client.post(f"/scenarios/{sid}/physicians/n1a/{kind}", json=entry, headers=english(staff))
    error = assert_error(r, 422, "invalid_scenario")
    (detail,) = error["details"]
    assert detail["field"].startswith(f"physicians[0].{kind}[0]")
    assert "outside the period 2027-01-04 to 2027-01-05" in detail["problem"]
    assert client.get(f"/scenarios/{sid}", headers=staff).json()["version"] == 1


def test_an_absence_over_the_edge_of_the_period_is_accepted(client: TestClient, staff: dict[str, str]) -> None:
    sid = upload(client, staff)["id"]
    r = client.post(
        f"/scenarios/{sid}/physicians/n1a/absences", json={"start": "2026-12-28", "end": "2027-01-04"}, headers=staff
    )
    assert r.status_code == 201, r.text


# --- item 17 (input errors): Japanese by default, English on request ---------------------------------
def test_input_errors_follow_accept_language(client: TestClient, staff: dict[str, str]) -> None:
    doc = make_scenario(days=2).model_dump(mode="json")
    doc["physicians"][3]["clinic"] = "nowhere"
    body = json.dumps(doc)
    answers = {}
    for accept in (None, "ja", "en-US,en;q=0.9", "fr, en;q=0.5", "fr"):
        headers = {**staff, "Content-Type": "application/json", **({"Accept-Language": accept} if accept else {})}
        error = assert_error(client.post("/scenarios", content=body, headers=headers), 422, "invalid_scenario")
        answers[accept] = (error["message"], error["details"])
    ja = (
        "シナリオに問題があります（1 件）",
        [{"field": "physicians[3].clinic", "problem": "不明な診療所 'nowhere' です"}],
    )
    en = (
        "the scenario is invalid (1 problem)",
        [{"field": "physicians[3].clinic", "problem": "unknown clinic 'nowhere'"}],
    )
    assert answers == {None: ja, "ja": ja, "en-US,en;q=0.9": en, "fr, en;q=0.5": en, "fr": ja}


def test_request_validation_errors_are_japanese_by_default(client: TestClient, staff: dict[str, str]) -> None:
    sid = upload(client, staff)["id"]
    r = client.post(f"/scenarios/{sid}/solves", json={"seed": -1}, headers=staff)
    error = assert_error(r, 422, "invalid_request", "seed")
    assert error["message"] == "リクエストに問題があります"
    assert error["details"] == [{"field": "seed", "problem": "0 以上にしてください（入力値: -1）"}]
