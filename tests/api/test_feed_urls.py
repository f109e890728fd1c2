"""The feed URL the API hands out works where it was asked for (issue 17, item 18).

Without ``ONCALL_PUBLIC_URL`` it is built on the request's own scheme and host; a reverse proxy's
X-Forwarded-Proto and X-Forwarded-Host count only from the addresses ``ONCALL_FORWARDED_ALLOW_IPS`` names.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import Settings, create_app
from api.settings import InvalidSettings, get_settings
from oncall.storage import Store, database_url
from tests.api.helpers import ServeProcess, bearer, make_settings

PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "oncall.example.org"}


@pytest.fixture
def base(tmp_path: Path) -> Settings:
    return make_settings(database_url(None, tmp_path / "data"), tmp_path)


def _issued_url(settings: Settings, headers: dict[str, str] | None = None, **client: Any) -> str:
    """The URL of a network feed issued through a client of ``settings``'s app."""
    with TestClient(create_app(settings), **client) as c:
        staff = bearer(c.app.state.store.create_key("staff", "office")[1])  # type: ignore[attr-defined]
        r = c.post("/feeds", json={"kind": "network"}, headers={**staff, **(headers or {})})
        assert r.status_code == 201, r.text
        assert r.json()["webcal_url"] == "webcal://" + r.json()["url"].split("://", 1)[1]
        url: str = r.json()["url"]
        return url.rsplit("/ical/", 1)[0]


def test_the_url_keeps_the_scheme_and_host_the_request_came_to(base: Settings) -> None:
    assert _issued_url(base) == "http://testserver"  # plain http stays http (it was https before)
    assert _issued_url(base, base_url="http://127.0.0.1:8123") == "http://127.0.0.1:8123"
    assert _issued_url(base, base_url="https://oncall.example.org") == "https://oncall.example.org"


def test_forwarded_headers_count_only_from_a_trusted_proxy(base: Settings) -> None:
    # By default no proxy is trusted: anyone could send these headers.
    assert _issued_url(base, PROXY, client=("10.0.0.5", 40000)) == "http://testserver"
    behind = base.model_copy(update={"forwarded_allow_ips": "127.0.0.1, 10.0.0.0/8"})
    assert _issued_url(behind, PROXY, client=("10.0.0.5", 40000)) == "https://oncall.example.org"
    assert _issued_url(behind, PROXY, client=("192.0.2.7", 40000)) == "http://testserver"
    anyone = base.model_copy(update={"forwarded_allow_ips": "*"})
    assert _issued_url(anyone, PROXY, client=("192.0.2.7", 40000)) == "https://oncall.example.org"


def test_the_public_url_wins_over_the_request(base: Settings) -> None:
    public = base.model_copy(update={"public_url": "https://cal.example.jp/oncall", "forwarded_allow_ips": "*"})
    assert _issued_url(public, PROXY) == "https://cal.example.jp/oncall"


@pytest.fixture
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.usefixtures("fresh_settings")
def test_a_bad_proxy_list_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONCALL_FORWARDED_ALLOW_IPS", "127.0.0.1, proxy.local")
    with pytest.raises(InvalidSettings, match=r"ONCALL_FORWARDED_ALLOW_IPS: .*'proxy\.local'"):
        get_settings()


def _served_url(data_dir: Path, allow_ips: str) -> tuple[str, int]:
    """The base of a feed URL that ``oncall serve`` hands to a client at 127.0.0.1 sending proxy headers."""
    server = ServeProcess(data_dir, env={"ONCALL_FORWARDED_ALLOW_IPS": allow_ips})
    try:
        token = Store.open(database_url(None, data_dir)).create_key("staff", "office")[1]
        r = server.http.post("/feeds", json={"kind": "network"}, headers={**bearer(token), **PROXY})
        assert r.status_code == 201, r.text
        url: str = r.json()["url"]
        return url.rsplit("/ical/", 1)[0], server.port
    finally:
        server.stop()


def test_oncall_serve_trusts_no_proxy_it_was_not_told_of(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ONCALL_PUBLIC_URL", raising=False)
    # uvicorn alone would trust X-Forwarded-Proto from 127.0.0.1; `oncall serve` leaves that to the setting.
    base, port = _served_url(tmp_path / "data", "")
    assert base == f"http://127.0.0.1:{port}"
    base, _ = _served_url(tmp_path / "data", "127.0.0.1")
    assert base == "https://oncall.example.org"
