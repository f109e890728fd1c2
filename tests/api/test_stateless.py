"""Many API processes on one database: what one process answers, another answers alike.

Two app instances share one database (SQLite, and PostgreSQL when configured), as two ``oncall serve``
processes behind a proxy would: a feed's ETag from one is a 304 at the other, an import previewed at one
is applied at the other, a browser session opened at one is signed in at the other. A feed shows only its
own network's publications, whatever ids another network uses.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from fastapi.testclient import TestClient

from api import Settings, create_app
from oncall.storage import NetworkStore, Store
from oncall.storage.feeds import FeedStore
from oncall.storage.web import WebStore
from tests.api.helpers import bearer, upload
from tests.api.test_imports import MONTH, _preview, _template
from tests.factories import greedy_roster, make_scenario
from tests.test_importing import _fill


@pytest.fixture
def two(settings: Settings) -> Iterator[tuple[TestClient, TestClient]]:
    """Two app instances, each started (its own store, runner, feed caches), on the test's one database."""
    with ExitStack() as stack:
        first = stack.enter_context(TestClient(create_app(settings)))
        second = stack.enter_context(TestClient(create_app(settings)))
        yield first, second


def _store(client: TestClient) -> Store:
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    return store


def _publish(store: Store, days: int = 2) -> int:
    """A scenario with a published roster, written as any process would; its id."""
    scenario = make_scenario(days=days)
    sid = store.create_scenario(scenario).id
    revision = store.add_revision(sid, 1, greedy_roster(scenario), 0)
    store.publish(revision.id, None)
    return sid


def test_a_feeds_etag_from_one_process_is_a_304_at_another(two: tuple[TestClient, TestClient]) -> None:
    first, second = two
    store = _store(first).for_network(1)
    _publish(store)
    _, token = FeedStore(store.db).issue("network", None)
    url = f"/ical/{token}.ics"

    for encoding in ("identity", "gzip"):
        one = first.get(url, headers={"Accept-Encoding": encoding})
        assert one.status_code == 200 and one.headers["ETag"]
        other = second.get(url, headers={"Accept-Encoding": encoding})
        assert other.headers["ETag"] == one.headers["ETag"] and other.content == one.content
        fresh = second.get(url, headers={"If-None-Match": one.headers["ETag"], "Accept-Encoding": encoding})
        assert fresh.status_code == 304
        back = first.get(url, headers={"If-None-Match": other.headers["ETag"], "Accept-Encoding": encoding})
        assert back.status_code == 304

    # A publication made through the second process changes the feed at the first: the old ETag is stale.
    old = first.get(url).headers["ETag"]
    _publish(_store(second).for_network(1), days=3)
    changed = first.get(url, headers={"If-None-Match": old})
    assert changed.status_code == 200 and changed.headers["ETag"] != old
    assert second.get(url, headers={"If-None-Match": changed.headers["ETag"]}).status_code == 304


def test_an_import_previewed_at_one_process_is_applied_at_another(two: tuple[TestClient, TestClient]) -> None:
    first, second = two
    staff = bearer(_store(first).for_network(1).create_key("staff", "office")[1])
    sid = upload(first, staff, MONTH)["id"]
    filled = _fill(_template(first, staff, sid), {("n1a", 5): "×"})
    token = _preview(first, staff, sid, filled).json()["token"]
    assert token
    applied = second.post(f"/scenarios/{sid}/imports/requests/apply", data={"token": token}, headers=staff)
    assert applied.status_code == 200, applied.text
    assert applied.json()["scenario"]["version"] == 2 and applied.json()["changes"] == 1
    again = first.post(f"/scenarios/{sid}/imports/requests/apply", data={"token": token}, headers=staff)
    assert again.status_code == 404  # used once, whichever process is asked


def test_a_session_opened_at_one_process_is_signed_in_at_another(two: tuple[TestClient, TestClient]) -> None:
    first, second = two
    web = WebStore(_store(first).for_network(1).db)
    user = web.create_user("clerk", "a-password-123")
    _, cookie = web.open_session(user_id=user.id)
    headers = {"Cookie": f"oncall_session={cookie}"}
    assert second.get("/office", headers=headers, follow_redirects=False).status_code == 200
    assert first.get("/office", headers=headers, follow_redirects=False).status_code == 200


def test_a_feed_shows_only_its_own_networks_publications(two: tuple[TestClient, TestClient]) -> None:
    first, second = two
    root = _store(first)
    b = NetworkStore(root.db).create_network("b", "B")
    a_store, b_store = root.for_network(1), root.for_network(b.id)
    _publish(a_store)
    _, a_token = FeedStore(a_store.db).issue("physician", "n1a")
    _, a_network = FeedStore(a_store.db).issue("network", None)
    before = {t: first.get(f"/ical/{t}.ics") for t in (a_token, a_network)}
    _publish(b_store, days=3)  # the same ids (n1a, its districts) in network B, over more days
    for t, response in before.items():
        after = second.get(f"/ical/{t}.ics")
        assert after.status_code == 200
        assert after.headers["ETag"] == response.headers["ETag"] and after.content == response.content
    _, b_token = FeedStore(b_store.db).issue("physician", "n1a")
    b_feed = second.get(f"/ical/{b_token}.ics").text
    assert b_feed.count("BEGIN:VEVENT") > before[a_token].text.count("BEGIN:VEVENT") > 0
