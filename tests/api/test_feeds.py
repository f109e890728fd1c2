"""Calendar feeds over HTTP: subscriptions, published rosters only, conditional requests, the must-show swap.

Every test runs on SQLite and, when ``ONCALL_TEST_DATABASE_URL`` is set, on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from oncall.feeds import event_uid
from oncall.roster import Roster
from oncall.services.feeds import FeedService
from oncall.storage import Store
from tests.api.helpers import assert_error, upload
from tests.factories import duties_of, greedy_roster, make_scenario
from tests.feedkit import SAMPLES, assert_lines, events_by_uid, read, regional, valid_swap
from tests.icaljs import IcalJs

JSON = {"Content-Type": "application/json"}


def add_revision(client: TestClient, headers: dict[str, str], sid: int, roster: Roster) -> int:
    """Store ``roster`` as a draft revision through the API."""
    r = client.post(f"/scenarios/{sid}/revisions", content=roster.to_json(), headers={**headers, **JSON})
    assert r.status_code == 201, r.text
    assert r.json()["violations"] == 0 and r.json()["job_id"] is None
    rid: int = r.json()["id"]
    return rid


def publish(client: TestClient, headers: dict[str, str], rid: int, base: int | None) -> None:
    r = client.post(f"/revisions/{rid}/publish", json={"base": base}, headers=headers)
    assert r.status_code == 200, r.text


def issue(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    r = client.post("/feeds", json=body, headers=headers)
    assert r.status_code == 201, r.text
    issued: dict[str, Any] = r.json()
    return issued


def path(issued: dict[str, Any]) -> str:
    """The feed's path on the test server, from its https URL."""
    return str(urlsplit(issued["url"]).path)


def _week(client: TestClient, staff: dict[str, str]) -> tuple[int, Roster]:
    sid = upload(client, staff, make_scenario())["id"]
    return sid, greedy_roster(make_scenario())


def test_staff_issue_list_revoke_and_rotate_feeds(
    client: TestClient, staff: dict[str, str], hospital: dict[str, str]
) -> None:
    _week(client, staff)
    issued = issue(client, staff, kind="physician", target="n1a", alarm_minutes=30, name="青木先生")
    token, prefix = issued["token"], issued["prefix"]
    assert token.startswith(prefix + "_") and prefix.startswith("ocf_")
    assert issued["url"] == f"http://testserver/ical/{token}.ics"  # the request's own scheme (issue 17, item 18)
    assert issued["webcal_url"] == f"webcal://testserver/ical/{token}.ics"
    assert (issued["kind"], issued["target"], issued["lang"], issued["alarm_minutes"]) == ("physician", "n1a", "ja", 30)
    network = issue(client, staff, kind="network", lang="en")
    assert network["target"] is None

    # Staff read the listing (it holds no secret); a hospital does not need it (issue 17, item 14).
    assert_error(client.get("/feeds", headers=hospital), 403, "forbidden")
    listed = client.get("/feeds", headers=staff).json()
    assert [f["prefix"] for f in listed] == [prefix, network["prefix"]]
    assert all("token" not in f and "url" not in f for f in listed)
    assert client.get(f"/feeds/{prefix}", headers=staff).json()["name"] == "青木先生"

    rotated = client.post(f"/feeds/{prefix}/rotate", headers=staff).json()
    assert rotated["prefix"] == prefix and rotated["token"] != token and rotated["rotated_at"] is not None
    assert_error(client.get(path(issued)), 404, "not_found")  # the old URL is dead
    assert client.get(path(rotated)).status_code == 200

    revoked = client.delete(f"/feeds/{prefix}", headers=staff).json()
    assert revoked["revoked_at"] is not None
    assert client.delete(f"/feeds/{prefix}", headers=staff).json()["revoked_at"] == revoked["revoked_at"]
    assert_error(client.get(path(rotated)), 404, "not_found")
    assert_error(client.post(f"/feeds/{prefix}/rotate", headers=staff), 409, "conflict", "prefix")
    assert_error(client.get("/feeds/ocf_0000abcd", headers=staff), 404, "not_found", "prefix")
    assert_error(client.get("/feeds/bogus", headers=staff), 422, "invalid_request", "prefix")


def test_issuing_refuses_unknown_or_misfit_targets(
    client: TestClient, staff: dict[str, str], hospital: dict[str, str]
) -> None:
    sid, _ = _week(client, staff)
    cases: list[tuple[dict[str, Any], int, str, str]] = [
        ({"kind": "physician", "target": "nobody"}, 422, "invalid_request", "target"),
        ({"kind": "physician"}, 422, "invalid_request", "target"),
        ({"kind": "hospital", "target": "n1a"}, 422, "invalid_request", "target"),
        ({"kind": "district", "target": "north", "alarm_minutes": 5}, 422, "invalid_request", "alarm_minutes"),
        ({"kind": "network", "target": "north"}, 422, "invalid_request", "target"),
        ({"kind": "room", "target": "x"}, 422, "invalid_request", "kind"),
        ({"kind": "physician", "target": "n1a", "lang": "fr"}, 422, "invalid_request", "lang"),
        ({"kind": "physician", "target": "n1a", "scenario_id": sid + 1}, 404, "not_found", "scenario_id"),
        ({"kind": "network", "scenario_id": sid + 1}, 404, "not_found", "scenario_id"),  # not a 500 from the database
        ({"kind": "physician", "target": "n1a", "token": "mine"}, 422, "invalid_request", "token"),
    ]
    for body, status, code, field in cases:
        assert_error(client.post("/feeds", json=body, headers=staff), status, code, field)
    assert_error(client.post("/feeds", json={"kind": "network"}, headers=hospital), 403, "forbidden")
    assert_error(client.post("/feeds", json={"kind": "network"}), 401, "unauthorized")
    assert issue(client, staff, kind="district", target="north", scenario_id=sid)["scenario_id"] == sid


def test_only_published_rosters_reach_a_feed(client: TestClient, staff: dict[str, str]) -> None:
    sid, roster = _week(client, staff)
    pid = roster.duties[0].primary or ""
    feed = path(issue(client, staff, kind="physician", target=pid))
    draft = add_revision(client, staff, sid, roster)
    nothing = client.get(feed)
    assert nothing.status_code == 200 and read(nothing.content)[1] == []  # a draft never leaks

    publish(client, staff, draft, None)
    shown = client.get(feed)
    assert {e.uid for e in read(shown.content)[1]} == {
        event_uid(sid, d.id, "primary" if d.primary == pid else "secondary") for d in duties_of(roster, pid)
    }
    swapped = valid_swap(make_scenario(), roster, "primary")[0]
    add_revision(client, staff, sid, swapped)  # another draft: the feed does not move
    again = client.get(feed)
    assert again.content == shown.content and again.headers["etag"] == shown.headers["etag"]


def test_conditional_requests_and_headers(client: TestClient, staff: dict[str, str]) -> None:
    sid, roster = _week(client, staff)
    publish(client, staff, add_revision(client, staff, sid, roster), None)
    feed = path(issue(client, staff, kind="network"))
    first = client.get(feed)
    assert first.status_code == 200
    assert first.headers["content-type"] == "text/calendar; charset=utf-8"
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('"') and not etag.startswith("W/")  # strong
    assert first.headers["cache-control"] == "private, max-age=300"
    assert_lines(first.content)

    for headers in [{"If-None-Match": etag}, {"If-None-Match": f'"other", W/{etag}'}, {"If-None-Match": "*"}]:
        again = client.get(feed, headers=headers)
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert client.get(feed, headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get(feed, headers={"If-Modified-Since": modified}).status_code == 304
    earlier = dt.datetime.strptime(modified, "%a, %d %b %Y %H:%M:%S GMT") - dt.timedelta(seconds=1)
    assert client.get(feed, headers={"If-Modified-Since": f"{earlier:%a, %d %b %Y %H:%M:%S} GMT"}).status_code == 200
    assert client.get(feed, headers={"If-Modified-Since": "yesterday"}).status_code == 200  # ignored
    # If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
    assert client.get(feed, headers={"If-None-Match": '"other"', "If-Modified-Since": modified}).status_code == 200

    head = client.head(feed)
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == etag
    english = client.get(feed, params={"lang": "en"})
    assert english.headers["etag"] != etag and b"[On call]" in english.content
    assert_error(client.get(feed, params={"lang": "fr"}), 422, "invalid_request", "lang")


def test_changing_a_feed_s_settings_keeps_its_url(
    client: TestClient, staff: dict[str, str], hospital: dict[str, str]
) -> None:
    sid, roster = _week(client, staff)
    publish(client, staff, add_revision(client, staff, sid, roster), None)
    pid = roster.duties[0].primary or ""
    issued = issue(client, staff, kind="physician", target=pid, name="初め")
    feed, prefix = path(issued), issued["prefix"]
    before = client.get(feed)
    events = read(before.content)[1]
    assert events and all(e.alarms == () for e in events) and "【" in events[0].summary

    r = client.patch(f"/feeds/{prefix}", json={"alarm_minutes": 45, "lang": "en"}, headers=staff)
    assert r.status_code == 200, r.text
    assert (r.json()["alarm_minutes"], r.json()["lang"], r.json()["name"]) == (45, "en", "初め")
    after = client.get(feed)  # the same URL: a subscribed phone needs nothing new
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    changed = read(after.content)[1]
    assert {e.uid for e in changed} == {e.uid for e in events}
    assert all(e.alarms == (-dt.timedelta(minutes=45),) for e in changed)
    assert all(e.summary.startswith(("[Primary]", "[Secondary]")) for e in changed)

    r = client.patch(f"/feeds/{prefix}", json={"alarm_minutes": None, "name": "後から"}, headers=staff)
    assert (r.json()["alarm_minutes"], r.json()["lang"], r.json()["name"]) == (None, "en", "後から")
    assert all(e.alarms == () for e in read(client.get(feed).content)[1])
    audit = client.get("/audit", params={"action": "feed_token.update"}, headers=staff).json()
    assert [e["detail"].get("alarm_minutes", "-") for e in audit] == [None, 45]
    assert all(issued["token"] not in str(e) for e in audit)

    network = issue(client, staff, kind="network")["prefix"]
    cases: list[tuple[str, dict[str, Any], int, str, str | None]] = [
        (prefix, {}, 422, "invalid_request", "body"),
        (prefix, {"lang": "fr"}, 422, "invalid_request", "lang"),
        (prefix, {"lang": None}, 422, "invalid_request", "lang"),
        (prefix, {"alarm_minutes": -1}, 422, "invalid_request", "alarm_minutes"),
        (prefix, {"token": "mine"}, 422, "invalid_request", "token"),
        (network, {"alarm_minutes": 5}, 422, "invalid_request", "alarm_minutes"),
        ("ocf_0000abcd", {"lang": "ja"}, 404, "not_found", "prefix"),
    ]
    for target, body, status, code, field in cases:
        assert_error(client.patch(f"/feeds/{target}", json=body, headers=staff), status, code, field)
    assert_error(client.patch(f"/feeds/{prefix}", json={"lang": "ja"}, headers=hospital), 403, "forbidden")
    client.delete(f"/feeds/{prefix}", headers=staff)
    assert_error(client.patch(f"/feeds/{prefix}", json={"lang": "ja"}, headers=staff), 409, "conflict", "prefix")
    assert client.get(f"/feeds/{prefix}", headers=staff).json()["name"] == "後から"  # a refused change changes nothing


def test_unknown_malformed_and_revoked_tokens_get_the_same_404(client: TestClient, staff: dict[str, str]) -> None:
    _week(client, staff)
    issued = issue(client, staff, kind="network")
    client.delete(f"/feeds/{issued['prefix']}", headers=staff)
    bodies = set()
    tokens = [issued["token"], issued["prefix"] + "_" + "x" * 43, "ocf_12345678_" + "y" * 43, "hello", "ock_x"]
    for token in [*tokens, "a" * 10_000]:  # too long to be a token: the same 404, not a 422 echoing it
        r = client.get(f"/ical/{token}.ics")
        assert_error(r, 404, "not_found")
        bodies.add(r.content)
    assert len(bodies) == 1  # nothing tells a revoked feed from one that never was
    assert client.head(f"/ical/{issued['token']}.ics").status_code == 404


def test_last_access_is_recorded_but_not_on_every_request(
    client: TestClient, staff: dict[str, str], app: FastAPI
) -> None:
    _week(client, staff)
    issued = issue(client, staff, kind="network")
    assert client.get(f"/feeds/{issued['prefix']}", headers=staff).json()["last_used_at"] is None
    client.get(path(issued))
    seen = client.get(f"/feeds/{issued['prefix']}", headers=staff).json()["last_used_at"]
    assert seen is not None
    client.get(path(issued))
    assert client.get(f"/feeds/{issued['prefix']}", headers=staff).json()["last_used_at"] == seen  # within a minute
    service: FeedService = app.state.feeds
    service._touched.clear()  # as if the minute had passed
    client.get(path(issued))
    assert client.get(f"/feeds/{issued['prefix']}", headers=staff).json()["last_used_at"] > seen


def test_tokens_are_stored_as_hashes_only(client: TestClient, staff: dict[str, str], store: Store) -> None:
    _week(client, staff)
    issued = issue(client, staff, kind="network")
    token = issued["token"]
    with store.db.engine.connect() as c:
        dump = "\n".join(str(row) for row in c.exec_driver_sql("SELECT * FROM feed_tokens"))
    secret = token.removeprefix(issued["prefix"] + "_")  # the secret part may itself contain "_"
    assert len(secret) >= 32 and token not in dump and secret not in dump


def test_an_edited_roster_becomes_a_draft_only_when_the_checker_passes_it(
    client: TestClient, staff: dict[str, str], hospital: dict[str, str]
) -> None:
    sid, roster = _week(client, staff)
    broken = roster.model_copy(deep=True)
    broken.duties[0].secondary = broken.duties[0].primary
    r = client.post(f"/scenarios/{sid}/revisions?lang=en", content=broken.to_json(), headers={**staff, **JSON})
    error = assert_error(r, 422, "invalid_roster", broken.duties[0].id)
    assert "one_duty_at_a_time" in error["details"][0]["problem"]
    assert client.get(f"/scenarios/{sid}/revisions", headers=staff).json() == []  # nothing stored
    r = client.post(
        f"/scenarios/{sid}/revisions", content=roster.to_json(), headers={**staff, "Content-Type": "text/yaml"}
    )
    assert_error(r, 415, "unsupported_media_type", "Content-Type")
    # A number JSON cannot hold is refused, not stored as null.
    infinite = json.dumps({**json.loads(roster.to_json()), "objective": float("inf")})
    r = client.post(f"/scenarios/{sid}/revisions", content=infinite, headers={**staff, **JSON})
    assert_error(r, 422, "invalid_request", "objective")
    assert client.get(f"/scenarios/{sid}/revisions", headers=staff).json() == []

    rid = add_revision(client, staff, sid, roster)
    assert client.get(f"/revisions/{rid}", headers=staff).json() == roster.model_dump(mode="json")
    assert client.get(f"/revisions/{rid}/info", headers=staff).json()["published"] is False
    body = roster.to_json()
    assert_error(
        client.post(f"/scenarios/{sid}/revisions", content=body, headers={**hospital, **JSON}), 403, "forbidden"
    )
    assert_error(
        client.post(f"/scenarios/{sid + 1}/revisions", content=body, headers={**staff, **JSON}), 404, "not_found"
    )
    r = client.post(f"/scenarios/{sid}/revisions?version=7", content=body, headers={**staff, **JSON})
    assert_error(r, 404, "not_found", "version")
    r = client.post(f"/scenarios/{sid}/revisions", content=b'{"duties": []}', headers={**staff, **JSON})
    assert_error(r, 422, "invalid_request")


def test_must_show_on_the_regional_sample(
    client: TestClient, staff: dict[str, str], app: FastAPI, icaljs: IcalJs
) -> None:
    scenario, roster = regional()
    text = (SAMPLES / "regional.yaml").read_bytes()
    created = client.post("/scenarios", content=text, headers={**staff, "Content-Type": "application/yaml"})
    sid = created.json()["id"]
    first = add_revision(client, staff, sid, roster)
    publish(client, staff, first, None)
    swapped, duty_id, old, new = valid_swap(scenario, roster, "primary")
    uid = event_uid(sid, duty_id, "primary")
    feeds = {pid: path(issue(client, staff, kind="physician", target=pid)) for pid in (old, new)}

    # A physician's feed has exactly their published duties, in Asia/Tokyo with a VTIMEZONE, and ical.js
    # reads the same instants as icalendar, equal to the roster's to the second.
    before = {pid: client.get(feed) for pid, feed in feeds.items()}
    for pid, response in before.items():
        cal, events = read(response.content)
        held = {event_uid(sid, d.id, "primary" if d.primary == pid else "secondary"): d for d in duties_of(roster, pid)}
        assert held and {e.uid for e in events} == set(held)
        assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == ["Asia/Tokyo"]
        js = {e["uid"]: e for e in icaljs.read(response.content)[0]["events"]}
        for e in events:
            duty = held[e.uid]
            assert e.tzid == "Asia/Tokyo" and e.start == duty.start and e.end == duty.end
            assert (js[e.uid]["start"], js[e.uid]["end"]) == (int(duty.start.timestamp()), int(duty.end.timestamp()))
            assert js[e.uid]["tzid"] == "Asia/Tokyo"

    # A second request with the ETag gets 304.
    again = client.get(feeds[old], headers={"If-None-Match": before[old].headers["etag"]})
    assert again.status_code == 304

    # A swap is published: the old holder sees the event cancelled with a higher SEQUENCE, the new
    # holder sees the same UID, and no other event's SEQUENCE changed.
    publish(client, staff, add_revision(client, staff, sid, swapped), first)
    old_before, old_after = events_by_uid(before[old].content), events_by_uid(client.get(feeds[old]).content)
    new_before, new_after = events_by_uid(before[new].content), events_by_uid(client.get(feeds[new]).content)
    assert old_after[uid].status == "CANCELLED" and old_after[uid].sequence > old_before[uid].sequence
    assert uid not in new_before and new_after[uid].status == "CONFIRMED" and new_after[uid].uid == uid
    assert new_after[uid].sequence == old_after[uid].sequence
    for events_before, events_after in [(old_before, old_after), (new_before, new_after)]:
        assert {u: e.sequence for u, e in events_before.items() if u != uid} == {
            u: e.sequence for u, e in events_after.items() if u != uid
        }
    js = {e["uid"]: e for e in icaljs.read(client.get(feeds[old]).content)[0]["events"]}
    assert (js[uid]["status"], js[uid]["sequence"]) == ("CANCELLED", old_after[uid].sequence)

    # A revoked token gets 404.
    prefix = client.get("/feeds", headers=staff).json()[0]["prefix"]
    client.delete(f"/feeds/{prefix}", headers=staff)
    assert_error(client.get(feeds[old]), 404, "not_found")


@pytest.mark.parametrize("months", [12])
def test_a_year_of_publications_is_read_once_and_then_served_from_the_cache(
    client: TestClient, staff: dict[str, str], store: Store, app: FastAPI, months: int
) -> None:
    rid = None
    for month in range(1, months + 1):
        scenario = make_scenario(start=dt.date(2027, month, 1), days=7)
        sid = store.create_scenario(scenario).id
        roster = greedy_roster(scenario)
        base = None
        for variant in range(4):  # four publications a month: the first roster and three changes
            changed = roster.model_copy(deep=True)
            duty = changed.duties[variant]
            duty.primary, duty.secondary = duty.secondary, duty.primary  # the store does not judge it
            rid = store.add_revision(sid, 1, changed, 0).id
            store.publish(rid, base)
            base = rid
    service: FeedService = app.state.feeds
    feeds = [
        path(issue(client, staff, kind=kind, target=target))
        for kind, target in [("network", None), ("physician", "n1a")]
    ]
    for feed in feeds:
        assert client.get(feed).status_code == 200
    assert service.publications_applied == 4 * months
    events = read(client.get(feeds[0]).content)[1]
    assert len({e.uid.rsplit("@", 1)[1] for e in events}) == months  # every month's scenario

    for _ in range(50):
        client.get(feeds[1])
    assert service.publications_applied == 4 * months  # nothing was read again
    assert rid is not None
    store.publish(store.add_revision(sid, 1, roster, 0).id, rid)
    assert client.get(feeds[1]).status_code == 200
    assert service.publications_applied == 4 * months + 1  # one more publication: only it is read
    # How fast: benchmarks/feeds_load.py measures it; here, that nothing is read twice (the counts above).


def test_the_migrations_after_the_first_downgrade_and_upgrade_a_database_in_use(db_url: str) -> None:
    """Every migration after v0001 (feeds, re-planning, web, networks, jobs) comes and goes without touching
    the data of v0001's tables."""
    from sqlalchemy import inspect, text

    from oncall.storage import Database

    later = {"feed_tokens", "audit_log", "scenario_links", "repairs", "swaps", "networks", "import_previews"}
    db = Database(db_url)
    db.migrate()
    sid = Store(db).create_scenario(make_scenario(days=2)).id
    db.downgrade("v0001")
    assert not later & set(inspect(db.engine).get_table_names())
    with db.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM scenarios WHERE id = :id"), {"id": sid}).scalar() == 1
    db.migrate()
    assert later <= set(inspect(db.engine).get_table_names())
    assert Store(db).get_scenario(sid).id == sid
    db.dispose()


def test_access_logs_show_a_feed_s_prefix_never_its_secret() -> None:
    import logging

    token = "ocf_0123abcd_" + "s3cr3t-" * 6 + "x"
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("1.2.3.4", "GET", f"/ical/{token}.ics?lang=en", "1.1", 200),
        None,
    )
    for f in logging.getLogger("uvicorn.access").filters:
        f.filter(record)  # type: ignore[union-attr]
    assert record.getMessage() == '1.2.3.4 - "GET /ical/ocf_0123abcd_….ics?lang=en HTTP/1.1" 200'
