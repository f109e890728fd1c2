"""Fixtures of the page tests: an app on a fresh database (SQLite, and PostgreSQL when configured), a
staff account, and helpers that sign in and read CSRF tokens the way a browser would."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import create_app
from oncall.storage import Store
from oncall.storage import web as web_module
from oncall.storage.web import WebStore
from tests.api.helpers import BACKENDS, fresh_database, make_settings

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with little memory and one pass: the same code, a fraction of the cost on a busy machine."""
    monkeypatch.setattr(web_module, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database for one test, on each backend."""
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def app(db_url: str, tmp_path: Path) -> FastAPI:
    """The app under test."""
    return create_app(make_settings(db_url, tmp_path))


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A browser-like client (cookies kept, redirects not followed) with the app started."""
    with TestClient(app, follow_redirects=False) as c:
        yield c


@pytest.fixture
def store(client: TestClient, app: FastAPI) -> Store:
    """The running app's store."""
    s: Store = app.state.store
    return s


@pytest.fixture
def web(client: TestClient, app: FastAPI) -> WebStore:
    """The running app's web store."""
    store: Store = app.state.store
    return WebStore(store.db)


@pytest.fixture
def office(web: WebStore) -> str:
    """A staff account's name (its password is ``PASSWORD``)."""
    return web.create_user("office", PASSWORD).name


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> int:
    """Post the sign-in form as a browser does; the response's status."""
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"name": name, "password": password, "csrf_token": token}).status_code
