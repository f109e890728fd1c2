"""`oncall users` and `oncall links`: accounts usable by the sign-in form, links printed once and hashed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.settings import get_settings
from oncall.cli import app
from oncall.storage import Store, database_url
from oncall.storage.web import WebStore


@pytest.fixture
def web(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[WebStore]:
    """ONCALL_DATA_DIR in a temporary directory; the web store on it."""
    monkeypatch.setenv("ONCALL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ONCALL_DATABASE_URL", raising=False)
    monkeypatch.delenv("ONCALL_PUBLIC_URL", raising=False)
    get_settings.cache_clear()
    yield WebStore(Store.open(database_url(None, tmp_path / "data")).db)
    get_settings.cache_clear()


def test_users_create_reads_the_password_from_stdin(web: WebStore) -> None:
    r = CliRunner().invoke(app, ["users", "create", "--name", "office", "--password-stdin"], input="long enough pw\n")
    assert r.exit_code == 0, r.output
    assert web.sign_in("office", "long enough pw")[0] == "ok"
    assert web.sign_in("office", "something else")[0] == "wrong"


def test_users_create_refuses_a_short_password_and_a_taken_name_in_one_line(web: WebStore) -> None:
    runner = CliRunner()
    short = runner.invoke(app, ["users", "create", "--name", "office", "--password-stdin"], input="short\n")
    assert short.exit_code == 2 and short.stderr.strip().count("\n") == 0 and "--password" in short.stderr
    runner.invoke(app, ["users", "create", "--name", "office", "--password-stdin"], input="long enough pw\n")
    again = runner.invoke(app, ["users", "create", "--name", "office", "--password-stdin"], input="long enough pw\n")
    assert again.exit_code == 2 and "exists already" in again.stderr and "Traceback" not in again.output


def test_links_issue_rotate_revoke(web: WebStore) -> None:
    runner = CliRunner()
    issued = runner.invoke(app, ["links", "issue", "physician", "p01", "--base-url", "https://oncall.example.org"])
    assert issued.exit_code == 0, issued.output
    url = issued.stdout.strip()
    assert url.startswith("https://oncall.example.org/my/ocl_")
    token = url.rsplit("/", 1)[1]
    link = web.resolve_link(token)
    assert link is not None and (link.kind, link.subject) == ("physician", "p01")
    rotated = runner.invoke(app, ["links", "rotate", url])
    new = rotated.stdout.strip().rsplit("/", 1)[1]
    assert web.resolve_link(token) is None and web.resolve_link(new) is not None
    listed = runner.invoke(app, ["links", "list"]).stdout
    assert new.split("_")[1] in listed and new not in listed, "listings show the prefix, never the token"
    revoked = runner.invoke(app, ["links", "revoke", new])
    assert revoked.exit_code == 0 and web.resolve_link(new) is None
    unknown = runner.invoke(app, ["links", "revoke", "ocl_00000000"])
    assert unknown.exit_code == 2 and "no personal link" in unknown.stderr
