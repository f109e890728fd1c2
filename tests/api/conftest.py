"""Fixtures of the API tests: a database per test (SQLite, and PostgreSQL when configured), an app, keys.

PostgreSQL runs when ``ONCALL_TEST_DATABASE_URL`` names a server (e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/test``); each test gets a fresh schema there, dropped after.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import Settings, create_app
from oncall.storage import Store
from tests.api.helpers import BACKENDS, bearer, fresh_database, make_settings


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database for one test, on each backend."""
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """The test settings on the test's database."""
    return make_settings(db_url, tmp_path)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    """The app under test (its lifespan runs inside ``client``)."""
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A client with the app started: database migrated, job runner running."""
    with TestClient(app) as c:
        yield c


@pytest.fixture
def store(client: TestClient, app: FastAPI) -> Store:
    """The running app's store."""
    s: Store = app.state.store
    return s


@pytest.fixture
def staff(store: Store) -> dict[str, str]:
    """Headers with a staff key."""
    return bearer(store.create_key("staff", "office")[1])


@pytest.fixture
def hospital(store: Store) -> dict[str, str]:
    """Headers with a hospital (read-only) key."""
    return bearer(store.create_key("hospital", "central")[1])
