"""Feeds from a real ``oncall serve`` process (uvicorn, as deployed): a feed's secret never reaches a
log line, however the request encodes it (encoded tokens get 404); calendars and JSON are sent
gzip-compressed to clients that accept it, with ETags and 304s that still work.
"""

from __future__ import annotations

import gzip
import json
import logging
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from icalendar import Calendar

from api.logs import HideFeedSecrets
from oncall.storage import Store, database_url
from oncall.storage.feeds import FeedStore, mask_feed_secrets
from tests.api.helpers import ServeProcess, bearer
from tests.factories import greedy_roster, make_scenario


def _encoded(char: str) -> str:
    return f"%{ord(char):02X}"


def _variants(token: str) -> dict[str, str]:
    """Request paths for one token: as issued, and percent-encoded in the ways that once leaked."""
    prefix, secret = token[:12], token[13:]
    return {
        "plain": f"/ical/{token}.ics",
        "separator": f"/ical/{prefix}%5F{secret}.ics",
        "separator lower case": f"/ical/{prefix}%5f{secret}.ics?lang=en",
        "one character of the secret": f"/ical/{prefix}_{secret[:3]}{_encoded(secret[3])}{secret[4:]}.ics",
        "the whole token": f"/ical/{''.join(_encoded(c) for c in token)}.ics",
        "the slash before it": f"/ical%2F{token}.ics",
        "twice encoded": f"/ical/{prefix}%255F{secret}.ics",
        "the prefix encoded": f"/ical/%6F{token[1:]}.ics",
        "in the query": f"/ical/x.ics?t={quote(token)}",
        "without .ics": f"/ical/{token}",
    }


def _published_feed(data_dir: Path, days: int = 2) -> tuple[str, str]:
    """A database with a published roster and a network feed of it: the feed's token and a staff key."""
    store = Store.open(database_url(None, data_dir))
    scenario = make_scenario(days=days)
    sid = store.create_scenario(scenario).id
    revision = store.add_revision(sid, 1, greedy_roster(scenario), 0)
    store.publish(revision.id, None)
    _, token = FeedStore(store.db).issue("network", None)
    _, key = store.create_key("staff", "office")
    store.db.dispose()
    return token, key


def test_a_real_server_logs_no_feed_secret_and_refuses_encoded_tokens(tmp_path: Path) -> None:
    token, _ = _published_feed(tmp_path / "data")
    prefix, secret = token[:12], token[13:]
    log = tmp_path / "server.log"
    server = ServeProcess(tmp_path / "data", log=log)
    try:
        status = {name: server.http.get(target).status_code for name, target in _variants(token).items()}
    finally:
        server.stop()
    text = log.read_text(encoding="utf-8")
    assert text.count(f"{prefix}_…") >= len(_variants(token)) - 1  # every request is logged, by its prefix
    pieces = {secret[i : i + 8] for i in range(len(secret) - 7)}
    assert not [p for p in pieces if p in text], "a piece of the secret is in the server's log"
    assert status.pop("plain") == 200
    assert set(status.values()) == {404}, status  # an encoded token is refused like an unknown one


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("/ical/ocf_0123abcd_s3cr3t.ics?lang=en", "/ical/ocf_0123abcd_….ics?lang=en"),
        ("/ical/OCF_0123ABCD_s3cr3t.ics", "/ical/ocf_0123abcd_….ics"),
        ("/ical/ocf_0123abcd_s3cr3t/more/path", "/ical/ocf_0123abcd_…"),
        ("/x?a=1&t=ocf_0123abcd_s3cr3t&b=2", "/x?a=1&t=ocf_0123abcd_…&b=2"),
        ("/ical/%0Aforged%20line%0Aocf_0123abcd_s3cr3t.ics", "/ical/%0Aforged%20line%0Aocf_0123abcd_….ics"),
        ("/ical/%" + "25" * 12 + "6Fcf_0123abcd_s3cr3t", "…"),  # nested too deep to read: all masked
        ("/scenarios/1?limit=5&offset=100%", "/scenarios/1?limit=5&offset=100%"),
        ('GET /x HTTP/1.1" 200', 'GET /x HTTP/1.1" 200'),
    ],
)
def test_masking_keeps_the_prefix_and_hides_the_rest(line: str, shown: str) -> None:
    assert mask_feed_secrets(line) == shown


def test_any_logger_s_records_are_masked_in_message_and_arguments() -> None:
    record = logging.LogRecord(
        "oncall.anything",
        logging.ERROR,
        __file__,
        1,
        "failed on /ical/ocf_0123abcd_abc.ics: %s",
        ("ocf_0123abcd_x",),
        None,
    )
    assert HideFeedSecrets().filter(record)
    assert record.getMessage() == "failed on /ical/ocf_0123abcd_… ocf_0123abcd_…"


def _raw(http: httpx.Client, method: str, path: str, headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
    """A response and its body exactly as sent (httpx would decompress it)."""
    with http.stream(method, path, headers=headers) as r:
        return r, b"".join(r.iter_raw())


def test_calendars_and_json_are_sent_gzip_compressed_with_working_etags(tmp_path: Path) -> None:
    token, key = _published_feed(tmp_path / "data", days=7)
    feed = f"/ical/{token}.ics"
    server = ServeProcess(tmp_path / "data")
    try:
        plain, body = _raw(server.http, "GET", feed, {"Accept-Encoding": "identity"})
        packed, raw = _raw(server.http, "GET", feed, {"Accept-Encoding": "gzip, deflate"})
        assert "content-encoding" not in plain.headers and packed.headers["content-encoding"] == "gzip"
        assert gzip.decompress(raw) == body and len(raw) < len(body) / 4
        uids = [str(e["UID"]) for e in Calendar.from_ical(gzip.decompress(raw)).walk("VEVENT")]
        assert len(uids) >= 14 and uids == [str(e["UID"]) for e in Calendar.from_ical(body).walk("VEVENT")]
        etag = packed.headers["etag"]
        assert etag.startswith('"') and etag != plain.headers["etag"]  # strong, and another representation's
        assert "Accept-Encoding" in packed.headers["vary"] and "Accept-Encoding" in plain.headers["vary"]

        for held in (etag, plain.headers["etag"]):  # the same calendar, whichever representation was kept
            again, empty = _raw(server.http, "GET", feed, {"Accept-Encoding": "gzip", "If-None-Match": held})
            assert (again.status_code, empty, again.headers["etag"]) == (304, b"", etag)
        head, _ = _raw(server.http, "HEAD", feed, {"Accept-Encoding": "gzip"})
        assert (head.headers["content-encoding"], head.headers["etag"]) == ("gzip", etag)
        refused, _ = _raw(server.http, "GET", feed, {"Accept-Encoding": "gzip;q=0, identity"})
        assert "content-encoding" not in refused.headers

        listed, raw = _raw(server.http, "GET", "/scenarios/1", {"Accept-Encoding": "gzip", **bearer(key)})
        assert listed.headers["content-encoding"] == "gzip"
        assert json.loads(gzip.decompress(raw))["scenario"]["name"] == "test-network"
    finally:
        server.stop()
