"""`oncall keys`: tokens printed once, stored hashed, usable by the API; list and revoke."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.settings import get_settings
from oncall.cli import app
from oncall.storage import Store, database_url
from oncall.storage.audit import list_audit


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """ONCALL_DATA_DIR in a temporary directory, the cached settings read afresh around the test."""
    monkeypatch.setenv("ONCALL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ONCALL_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def test_keys_create_list_and_revoke(data_dir: Path) -> None:
    runner = CliRunner()
    created = runner.invoke(app, ["keys", "create", "--role", "staff", "--name", "office"])
    assert created.exit_code == 0, created.output
    token = created.stdout.strip()
    store = Store.open(database_url(None, data_dir))  # the data directory was created and migrated
    key = store.authenticate(token)
    assert key is not None and (key.role, key.name) == ("staff", "office")

    hospital = runner.invoke(app, ["keys", "create", "--role", "hospital"])
    hospital_key = store.authenticate(hospital.stdout.strip())
    assert hospital_key is not None and hospital_key.role == "hospital"
    hospital_prefix = hospital_key.prefix

    listed = runner.invoke(app, ["keys", "list"]).stdout
    assert key.prefix in listed and "office" in listed and token not in listed
    assert runner.invoke(app, ["keys", "revoke", key.prefix]).exit_code == 0
    assert store.authenticate(token) is None
    assert "revoked" in runner.invoke(app, ["keys", "list"]).stdout
    assert runner.invoke(app, ["keys", "revoke", key.prefix]).exit_code == 0  # idempotent: no second entry
    entries = list_audit(store.db, kind="api_key")
    assert [(e.action, e.target, e.actor) for e in entries] == [
        ("api_key.revoke", key.prefix, "cli"),
        ("api_key.create", hospital_prefix, "cli"),
        ("api_key.create", key.prefix, "cli"),
    ]
    assert all(token not in str(e) for e in entries)
    store.db.dispose()


def test_keys_refuse_a_bad_role_or_prefix(data_dir: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["keys", "create", "--role", "admin"]).exit_code == 2
    assert runner.invoke(app, ["keys", "create"]).exit_code == 2
    missing = runner.invoke(app, ["keys", "revoke", "ock_00000000"])
    assert missing.exit_code == 2 and "no API key" in missing.output
