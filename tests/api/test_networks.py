"""Networks (tenants): isolation walked over every route, the admin commands, the migration into one network.

Network A's staff key, office session and personal-link session ask every route of the app for network B's
resources (path parameters filled with B's ids): nothing of B may come back (no 2xx carrying B's data),
B's resources answer 404, and nothing of B changes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route
from typer.testing import CliRunner

from oncall.cli import app as cli_app
from oncall.errors import NotFound
from oncall.roster import Roster
from oncall.storage import NetworkStore, Store, alembic_config
from oncall.storage.keys import hash_token, new_token
from oncall.storage.tables import (
    AuditRow,
    FeedTokenRow,
    JobRow,
    PublicationRow,
    RepairRow,
    RevisionRow,
    ScenarioRow,
    ScenarioVersionRow,
    SwapRow,
)
from oncall.storage.web import WebStore
from tests.api.helpers import bearer, finished, first_give_away, publish_solved, solve, upload, wait_for
from tests.factories import make_scenario

SECRET = "NETWORK-B-ONLY"  # in every name of network B's rows: a response of A's that shows it leaked


@dataclass
class NetworkB:
    """Network B's resources, and how to ask for them."""

    values: dict[str, str]  # path parameter → a B value
    store: Store
    bodies: dict[str, Any]  # "METHOD template" → a body that B's own key could send (else {})


def _routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path) of every route of the app, through included routers."""
    for route in routes:
        if isinstance(route, Mount):
            continue  # static files and the vendored docs assets: no data of any network
        if isinstance(route, APIRoute | Route):
            for method in sorted((route.methods or set()) - {"HEAD"}):
                yield method, prefix + route.path
        elif hasattr(route, "original_router"):  # an included router (newer FastAPI keeps it whole)
            yield from _routes(route.original_router.routes, prefix + route.include_context.prefix)
        else:
            raise AssertionError(f"a route of an unknown kind: {route!r}")


def _network_b(client: TestClient, root: Store) -> NetworkB:
    b = NetworkStore(root.db).create_network("b", SECRET)
    store = root.for_network(b.id)
    key, token = store.create_key("staff", f"office {SECRET}")
    headers = bearer(token)
    scenario = make_scenario(days=3)
    scenario.name = f"period {SECRET}"
    sid, rid = publish_solved(client, headers, scenario)
    job = client.get(f"/scenarios/{sid}/solves", headers=headers).json()[0]["id"]
    roster = Roster.model_validate_json(client.get(f"/revisions/{rid}", headers=headers).content)
    proposal = first_give_away(scenario, roster)
    r = client.post(f"/scenarios/{sid}/swaps", json={"proposal": proposal.model_dump(mode="json")}, headers=headers)
    assert r.status_code == 201, r.text
    swap = r.json()["id"]
    doctor = scenario.physicians[0].id
    change = {"kind": "absence", "physician": doctor, "start": "2027-01-05", "end": "2027-01-05"}
    r = client.post(
        f"/scenarios/{sid}/repairs",
        json={"base": rid, "changes": [change], "now": "2027-01-04T09:00:00"},
        headers=headers,
    )
    assert r.status_code == 202, r.text
    repair = r.json()["id"]
    for job_id in [j.id for j in store.list_jobs(sid)]:  # the repair's solve ends before the walk begins
        wait_for(client, headers, job_id, finished)
    r = client.post("/feeds", json={"kind": "network", "name": f"feed {SECRET}"}, headers=headers)
    assert r.status_code == 201, r.text
    feed = r.json()["prefix"]
    web = WebStore(store.db)
    web.create_user(f"clerk {SECRET}", "b-password-123")
    web.issue_link("physician", doctor, f"link {SECRET}")
    values = {
        "scenario_id": str(sid),
        "revision_id": str(rid),
        "job_id": str(job),
        "swap_id": str(swap),
        "repair_id": str(repair),
        "prefix": feed,
        "physician_id": doctor,
        "kind": "absences",  # a request's kind; an import's is "physicians" (see _fill)
        "index": "0",
        "decision": "approve",
        "hospital_id": scenario.hospitals[0].id,
        "token": "ocf_00000000_" + "x" * 43,  # a secret URL is its own credential: an unknown one here
        "version": str(store.get_scenario(sid).version),
    }
    assert key.network_id == b.id
    bodies = {
        "PUT /scenarios/{scenario_id}": json.loads(scenario.model_dump_json()),
        "PUT /scenarios/{scenario_id}/previous": {"previous": sid},
        "POST /revisions/{revision_id}/publish": {"base": rid},
        "POST /scenarios/{scenario_id}/swaps": {"proposal": proposal.model_dump(mode="json")},
        "POST /scenarios/{scenario_id}/repairs": {"base": rid, "changes": [change], "now": "2027-01-04T09:00:00"},
        "POST /scenarios/{scenario_id}/solves": {"time_limit": 1},
        "PATCH /feeds/{prefix}": {"name": "renamed"},
    }
    return NetworkB(values, store, bodies)


def _fill(path: str, values: dict[str, str]) -> str:
    def one(m: re.Match[str]) -> str:
        name = m.group(1).split(":")[0]
        if name == "kind" and "/import" in path:
            return "physicians"
        assert name in values, f"{path}: no value of network B for {{{name}}}; add one to the walk"
        return values[name]

    return re.sub(r"\{([^}]+)\}", one, path)


def _b_state(store: Store) -> str:
    """What network B holds, read through B's own scoped sessions: any write of A's into B would show."""
    with store.db.transaction() as s:
        parts: list[Any] = [
            s.scalar(sa.select(sa.func.count()).select_from(row))
            for row in (ScenarioVersionRow, JobRow, RevisionRow, PublicationRow, SwapRow, RepairRow, AuditRow)
        ]
        parts += [(r.version, r.published_revision_id, r.name) for r in s.scalars(sa.select(ScenarioRow))]
        parts += [r.state for r in s.scalars(sa.select(SwapRow).order_by(SwapRow.id))]
        parts += [(r.name, r.revoked_at, r.prefix) for r in s.scalars(sa.select(FeedTokenRow))]
    return json.dumps(parts, default=str)


def _session_headers(cookie: str, csrf: str) -> dict[str, str]:
    """A browser session's cookie and its CSRF token (so that a POST gets past the token check)."""
    return {"Cookie": f"oncall_session={cookie}", "X-CSRF-Token": csrf}


def _family(template: str) -> str:
    """Which credential a route takes: a personal link's session (/me), an office session (/office), or
    an API key (the rest)."""
    if template.startswith("/me"):
        return "link"
    return "office" if template.startswith("/office") else "key"


# What a route naming B's resource may answer A: 404; a write without a body of its own may be refused
# for its body first (422, 415: FastAPI validates a body before the route runs), and nothing of B changes.
_REFUSED: dict[tuple[str, bool], tuple[int, ...]] = {
    (method, bare): (404, 422, 415) if bare and method != "GET" else (404,)
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE")
    for bare in (True, False)
}


def _walk(client: TestClient, app: FastAPI, b: NetworkB, headers: dict[str, str], credential: str) -> list[str]:
    """Every route asked for B's resources with A's ``credential``; what leaked or was not a 404."""
    leaks: list[str] = []
    client = TestClient(app, raise_server_exceptions=False)  # a 500 is a finding too (the app runs already)
    query = {k: b.values[k] for k in ("revision_id", "scenario_id", "version")} | {
        "against": b.values["revision_id"],
        "duty": "any",
        "role": "primary",
    }
    # Signing out last: it ends the session the walk runs with.
    for method, template in sorted(_routes(app.routes), key=lambda route: route == ("POST", "/logout")):
        path = _fill(template, b.values)
        body = b.bodies.get(f"{method} {template}", {})
        r = client.request(method, path, params=query, headers=headers, json=body, follow_redirects=False)
        names_b = "{" in template and not template.startswith(("/ical/", "/my/"))
        if 200 <= r.status_code < 300 and SECRET in r.text:
            leaks.append(f"{method} {path}: {r.status_code} with network B's data")
        elif names_b and 200 <= r.status_code < 300:
            leaks.append(f"{method} {path}: {r.status_code} for network B's resource")
        elif names_b and _family(template) == credential and r.status_code not in _REFUSED[method, body == {}]:
            leaks.append(f"{method} {path}: {r.status_code}, not 404, for network B's resource")
    return leaks


def test_a_key_and_sessions_of_network_a_find_nothing_of_network_b_on_any_route(
    client: TestClient, app: FastAPI, store: Store
) -> None:
    root = store
    a = root.for_network(1)
    _, a_token = a.create_key("staff", "office A")
    upload(client, bearer(a_token))  # A has a scenario of its own
    b = _network_b(client, root)
    before = _b_state(b.store)

    leaks = _walk(client, app, b, bearer(a_token), "key")

    web = WebStore(a.db)
    user = web.create_user("clerk A", "a-password-123")
    office, cookie = web.open_session(user_id=user.id)
    leaks += _walk(client, app, b, _session_headers(cookie, office.csrf_token), "office")

    link, _ = web.issue_link("physician", b.values["physician_id"], "A's doctor with the same id as B's")
    personal, cookie = web.open_session(link_id=link.id)
    leaks += _walk(client, app, b, _session_headers(cookie, personal.csrf_token), "link")

    assert leaks == [], "\n".join(leaks)
    assert _b_state(b.store) == before  # no write of A's reached B


def test_two_networks_may_use_the_same_district_ids_and_publish_the_same_dates(
    client: TestClient, store: Store
) -> None:
    """District ids are a network's own: publishing in B is not refused by A's published roster."""
    b = NetworkStore(store.db).create_network("b", "B")
    a_key = bearer(store.for_network(1).create_key("staff", "A")[1])
    b_key = bearer(store.for_network(b.id).create_key("staff", "B")[1])
    publish_solved(client, a_key, make_scenario(days=2))
    publish_solved(client, b_key, make_scenario(days=2))  # asserts 200 on publish
    # Within one network the same district-dates still clash.
    sid = upload(client, a_key, make_scenario(days=2))["id"]
    job = solve(client, a_key, sid)
    r = client.post(f"/revisions/{job['revision_id']}/publish", json={"base": None}, headers=a_key)
    assert r.status_code == 409, r.text


def test_the_admin_commands_create_networks_and_issue_into_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONCALL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ONCALL_DATABASE_URL", raising=False)
    from api.settings import get_settings

    get_settings.cache_clear()
    run = CliRunner().invoke
    r = run(cli_app, ["keys", "create", "--role", "staff", "--name", "first"])
    assert r.exit_code == 0, r.output  # one network (the default one): no --network needed
    r = run(cli_app, ["networks", "create", "--slug", "kita", "--name", "北区在宅ネットワーク"])
    assert r.exit_code == 0, r.output
    assert "kita" in run(cli_app, ["networks", "list"]).output
    r = run(cli_app, ["keys", "create", "--role", "staff"])
    assert r.exit_code == 2
    assert "--network" in r.output and "default" in r.output and "kita" in r.output
    r = run(cli_app, ["networks", "create", "--slug", "kita"])
    assert r.exit_code == 2 and "exists already" in r.output
    r = run(cli_app, ["networks", "create", "--slug", "Bad Slug"])
    assert r.exit_code == 2 and "--slug" in r.output
    r = run(cli_app, ["keys", "create", "--role", "staff", "--network", "nowhere"])
    assert r.exit_code == 2 and "nowhere" in r.output
    r = run(cli_app, ["keys", "create", "--role", "hospital", "--name", "kita-key", "--network", "kita"])
    assert r.exit_code == 0, r.output
    r = run(
        cli_app, ["users", "create", "--name", "kita clerk", "--password-stdin", "--network", "kita"], "pw-kita-12345\n"
    )
    assert r.exit_code == 0, r.output
    r = run(cli_app, ["links", "issue", "physician", "p1", "--network", "kita", "--base-url", "https://x.example"])
    assert r.exit_code == 0, r.output
    r = run(cli_app, ["feeds", "issue", "network", "--network", "kita", "--base-url", "https://x.example"])
    assert r.exit_code == 0, r.output
    kita = run(cli_app, ["keys", "list", "--network", "kita"]).output
    default = run(cli_app, ["keys", "list", "--network", "default"]).output
    assert "kita-key" in kita and "first" not in kita
    assert "first" in default and "kita-key" not in default
    assert "p1" in run(cli_app, ["links", "list", "--network", "kita"]).output
    assert "p1" not in run(cli_app, ["links", "list", "--network", "default"]).output
    assert "network" in run(cli_app, ["feeds", "list", "--network", "kita"]).output
    assert run(cli_app, ["feeds", "list", "--network", "default"]).output == ""
    get_settings.cache_clear()


def _v0004_database(url: str) -> tuple[str, int]:
    """A database at the schema before networks, with a key, a scenario, an account, a link, a feed and an
    audit entry in it, written as the previous code wrote them; the key's token and the scenario's id."""
    prefix, token = new_token()
    document = make_scenario(days=2).model_dump_json()
    engine = sa.create_engine(url)
    now = "2026-12-01 00:00:00"
    cfg = alembic_config(url)
    with engine.begin() as c:
        cfg.attributes["connection"] = c
        command.upgrade(cfg, "v0004")
        c.execute(
            sa.text(
                "INSERT INTO api_keys (prefix, token_hash, role, name, created_at) "
                "VALUES (:p, :h, 'staff', 'old office', :now)"
            ),
            {"p": prefix, "h": hash_token(token), "now": now},
        )
        sid = c.execute(
            sa.text(
                "INSERT INTO scenarios (name, period_start, period_end, version, created_at, updated_at) "
                "VALUES ('old period', '2027-01-04', '2027-01-05', 1, :now, :now) RETURNING id"
            ),
            {"now": now},
        ).scalar_one()
        c.execute(
            sa.text(
                "INSERT INTO scenario_versions (scenario_id, version, document, created_at) VALUES (:s, 1, :d, :now)"
            ),
            {"s": sid, "d": document, "now": now},
        )
        c.execute(
            sa.text(
                "INSERT INTO staff_users (name, password_hash, failed_logins, created_at) "
                "VALUES ('old clerk', 'x', 0, :now)"
            ),
            {"now": now},
        )
        c.execute(
            sa.text(
                "INSERT INTO personal_links (prefix, token_hash, kind, subject, name, created_at) "
                "VALUES ('ocl_00000001', 'x', 'physician', 'n1a', 'old link', :now)"
            ),
            {"now": now},
        )
        c.execute(
            sa.text(
                "INSERT INTO feed_tokens (prefix, token_hash, kind, lang, name, created_at) "
                "VALUES ('ocf_00000001', 'x', 'network', 'ja', 'old feed', :now)"
            ),
            {"now": now},
        )
        c.execute(
            sa.text(
                "INSERT INTO audit_log (at, actor, action, kind, target, detail) "
                "VALUES (:now, 'cli', 'scenario.create', 'scenario', '1', '{}')"
            ),
            {"now": now},
        )
    engine.dispose()
    return token, int(sid)


def test_a_database_of_one_network_migrates_into_the_default_network(db_url: str) -> None:
    token, sid = _v0004_database(db_url)
    store = Store.open(db_url)  # upgrades to the head
    try:
        networks = NetworkStore(store.db).list_networks()
        assert [(n.id, n.slug) for n in networks] == [(1, "default")]
        key = store.authenticate(token)
        assert key is not None and key.name == "old office" and key.network_id == 1
        default = store.for_network(1)
        record, scenario = default.get_document(sid)
        assert record.name == "old period" and scenario == make_scenario(days=2)
        web = WebStore(default.db)
        assert [link.name for link in web.list_links()] == ["old link"]
        assert web.has_users()
        from oncall.storage.feeds import FeedStore

        assert [f.name for f in FeedStore(default.db).list_feeds()] == ["old feed"]
        # A second network sees none of it; new rows of the default network need no --network.
        other = NetworkStore(store.db).create_network("other", "Other")
        assert store.for_network(other.id).list_scenarios() == []
        assert WebStore(store.for_network(other.id).db).list_links() == []
        with pytest.raises(NotFound):
            store.for_network(other.id).get_scenario(sid)
    finally:
        store.db.dispose()
