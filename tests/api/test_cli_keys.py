"""`oncall keys`: tokens printed once, stored hashed, usable by the API; list and revoke."""

from __future__ import annotations

import socket
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
    assert "revoked" in runner.invoke(app, ["keys", "list", "--lang", "en"]).stdout  # Japanese by default
    assert runner.invoke(app, ["keys", "revoke", key.prefix]).exit_code == 0  # idempotent: no second entry
    entries = list_audit(store.db, kind="api_key")
    assert [(e.action, e.target, e.actor) for e in entries] == [
        ("api_key.revoke", key.prefix, "cli"),
        ("api_key.create", hospital_prefix, "cli"),
        ("api_key.create", key.prefix, "cli"),
    ]
    assert all(token not in str(e) for e in entries)
    store.db.dispose()


def test_keys_speak_japanese_by_default_and_english_on_request(data_dir: Path) -> None:
    runner = CliRunner()
    ja = runner.invoke(app, ["keys", "create", "--role", "hospital", "--name", "白沢総合病院"])
    assert ja.exit_code == 0, ja.output
    prefix = ja.stderr.split(":")[0]
    assert ja.stderr == (
        f"{prefix}: 病院 (読み取りのみ)の API キー「白沢総合病院」を発行しました。"
        "トークンは二度と表示されないので保管してください\n"
    )
    en = runner.invoke(app, ["keys", "create", "--role", "staff", "--lang", "en"])
    assert en.stderr.endswith(": staff key '' created; keep the token, it is not shown again\n")
    assert runner.invoke(app, ["keys", "list"]).stdout.splitlines()[0].endswith("\t有効")
    assert runner.invoke(app, ["keys", "revoke", prefix]).stdout == f"{prefix}: 失効しました\n"
    assert runner.invoke(app, ["keys", "revoke", prefix, "--lang", "en"]).stdout == f"{prefix}: revoked\n"
    listed = runner.invoke(app, ["keys", "list"]).stdout
    assert f"{prefix}\thospital\t白沢総合病院\t" in listed and "\t失効 " in listed


def test_keys_refuse_a_bad_role_or_prefix(data_dir: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["keys", "create", "--role", "admin"]).exit_code == 2
    assert runner.invoke(app, ["keys", "create"]).exit_code == 2
    missing = runner.invoke(app, ["keys", "revoke", "ock_00000000"])
    assert missing.exit_code == 2 and "no API key" in missing.output


def test_a_key_is_revoked_by_its_whole_token_without_showing_the_secret(data_dir: Path) -> None:
    runner = CliRunner()
    token = runner.invoke(app, ["keys", "create", "--role", "hospital"]).stdout.strip()
    revoked = runner.invoke(app, ["keys", "revoke", token])
    assert revoked.exit_code == 0 and token not in revoked.output
    store = Store.open(database_url(None, data_dir))
    assert store.authenticate(token) is None
    store.db.dispose()


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("ONCALL_MAX_SOLVE_SECONDS", "abc", "error: ONCALL_MAX_SOLVE_SECONDS: Input should be a valid number"),
        ("ONCALL_MAX_SOLVE_SECONDS", "inf", "error: ONCALL_MAX_SOLVE_SECONDS: Input should be a finite number"),
        ("ONCALL_MAX_PARALLEL_SOLVES", "0", "error: ONCALL_MAX_PARALLEL_SOLVES: Input should be greater than"),
        ("ONCALL_DATABASE_URL", "notaurl", "error: cannot open the database: Could not parse"),
        ("ONCALL_DATABASE_URL", "postgresql+psycopg2://u@127.0.0.1/x", "error: cannot open the database: its driver"),
    ],
)
@pytest.mark.parametrize("command", [["keys", "list"], ["serve", "--port", "1"]])
def test_bad_settings_are_one_line_naming_the_variable_before_anything_starts(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str, command: list[str]
) -> None:
    monkeypatch.setenv(variable, value)
    get_settings.cache_clear()
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    if command[0] == "serve" and "DATABASE" in variable:  # port 1 is checked first, and may not be ours
        assert len(lines) == 1 and (lines[0].startswith(message) or lines[0].startswith("error: --host/--port"))
    else:
        assert len(lines) == 1 and lines[0].startswith(message), lines


def test_serve_refuses_a_port_in_use_before_touching_the_database(data_dir: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert result.stderr == f"error: --host/--port: cannot listen on 127.0.0.1:{port}: Address already in use\n"
    assert not data_dir.exists()  # nothing was opened, migrated or marked failed
