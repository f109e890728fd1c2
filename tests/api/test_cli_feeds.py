"""`oncall feeds`: issue (URLs printed once), list, rotate and revoke, against the server's database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.settings import get_settings
from oncall.cli import app
from oncall.storage import Store, database_url
from oncall.storage.feeds import FeedStore, feed_token_prefix
from tests.factories import make_scenario


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """ONCALL_DATA_DIR in a temporary directory holding one scenario; settings read afresh around the test."""
    monkeypatch.setenv("ONCALL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ONCALL_PUBLIC_URL", "https://oncall.example.org")
    monkeypatch.delenv("ONCALL_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    store = Store.open(database_url(None, tmp_path / "data"))
    store.create_scenario(make_scenario(days=2))
    store.db.dispose()
    yield tmp_path / "data"
    get_settings.cache_clear()


def test_feeds_issue_list_rotate_and_revoke(data_dir: Path) -> None:
    runner = CliRunner()
    issued = runner.invoke(app, ["feeds", "issue", "physician", "n1a", "--alarm", "30", "--name", "青木先生"])
    assert issued.exit_code == 0, issued.output
    url, webcal = issued.stdout.split()
    assert url.startswith("https://oncall.example.org/ical/ocf_") and url.endswith(".ics")
    assert webcal == "webcal://" + url.removeprefix("https://")
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    prefix = feed_token_prefix(token)
    assert prefix is not None

    feeds = FeedStore(Store.open(database_url(None, data_dir)).db)
    record, _ = feeds.lookup(token)
    assert record is not None and (record.kind, record.target, record.alarm_minutes) == ("physician", "n1a", 30)
    listed = runner.invoke(app, ["feeds", "list"]).stdout
    assert prefix in listed and "青木先生" in listed and "30min" in listed and token not in listed

    rotated = runner.invoke(app, ["feeds", "rotate", prefix])
    assert rotated.exit_code == 0, rotated.output
    new_token = rotated.stdout.split()[0].rsplit("/", 1)[1].removesuffix(".ics")
    assert feeds.lookup(token)[0] is None and feeds.lookup(new_token)[0] is not None
    assert runner.invoke(app, ["feeds", "revoke", prefix]).exit_code == 0
    assert feeds.lookup(new_token)[0] is None
    assert "revoked" in runner.invoke(app, ["feeds", "list"]).stdout
    feeds.db.dispose()


def test_feeds_refuse_unknown_targets_and_prefixes(data_dir: Path) -> None:
    runner = CliRunner()
    unknown = runner.invoke(app, ["feeds", "issue", "physician", "nobody"])
    assert unknown.exit_code == 2 and "no physician 'nobody'" in unknown.output
    assert runner.invoke(app, ["feeds", "issue", "network", "north"]).exit_code == 2
    assert runner.invoke(app, ["feeds", "issue", "hospital", "central", "--alarm", "5"]).exit_code == 2
    assert runner.invoke(app, ["feeds", "issue", "room"]).exit_code == 2
    missing = runner.invoke(app, ["feeds", "revoke", "ocf_00000000"])
    assert missing.exit_code == 2 and "no feed" in missing.output
    assert runner.invoke(app, ["feeds", "issue", "district", "north", "--lang", "en"]).exit_code == 0
    for bad in ("notaurl", "ftp://calendar.example.org"):
        refused = runner.invoke(app, ["feeds", "issue", "network", "--base-url", bad])
        assert refused.exit_code == 2 and refused.stderr.startswith("error: --base-url: expected an http(s) address")
    assert len(runner.invoke(app, ["feeds", "list"]).stdout.splitlines()) == 1  # no feed left without its URL
    nowhere = runner.invoke(app, ["feeds", "issue", "network", "--scenario", "99"])
    assert nowhere.exit_code == 2 and nowhere.stderr == "error: --scenario: no scenario 99\n"


def test_feeds_update_keeps_the_url(data_dir: Path) -> None:
    runner = CliRunner()
    issued = runner.invoke(app, ["feeds", "issue", "physician", "n1a", "--name", "青木先生"])
    token = issued.stdout.split()[0].rsplit("/", 1)[1].removesuffix(".ics")
    prefix = feed_token_prefix(token)
    assert prefix is not None
    changed = runner.invoke(app, ["feeds", "update", prefix, "--alarm", "60", "--lang", "en"])
    assert changed.exit_code == 0, changed.output
    assert "changed; language en, reminder 60 min" in changed.stdout
    feeds = FeedStore(Store.open(database_url(None, data_dir)).db)
    record, _ = feeds.lookup(token)  # the same secret still opens the feed
    assert record is not None and (record.lang, record.alarm_minutes, record.name) == ("en", 60, "青木先生")
    assert "unchanged" in runner.invoke(app, ["feeds", "update", prefix, "--lang", "en"]).stdout
    assert runner.invoke(app, ["feeds", "update", prefix, "--no-alarm"]).exit_code == 0
    assert feeds.get(prefix).alarm_minutes is None

    for args, message in [
        ([prefix], "nothing to change"),
        ([prefix, "--alarm", "5", "--no-alarm"], "--alarm/--no-alarm"),
        (["ocf_00000000", "--lang", "ja"], "no feed"),
    ]:
        refused = runner.invoke(app, ["feeds", "update", *args])
        assert refused.exit_code == 2 and message in refused.output, refused.output
    network = runner.invoke(app, ["feeds", "issue", "network"]).stdout.split()[0].rsplit("/", 1)[1]
    network_prefix = feed_token_prefix(network.removesuffix(".ics"))
    assert network_prefix is not None
    refused = runner.invoke(app, ["feeds", "update", network_prefix, "--alarm", "5"])
    assert refused.exit_code == 2 and "--alarm: reminders are only for physician feeds" in refused.output
    assert runner.invoke(app, ["feeds", "revoke", prefix]).exit_code == 0
    revoked = runner.invoke(app, ["feeds", "update", prefix, "--lang", "ja"])
    assert revoked.exit_code == 2 and "revoked" in revoked.output
    feeds.db.dispose()


def test_without_a_public_url_nothing_is_issued_or_rotated(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The URL is printed once: a guessed one (https://127.0.0.1:8000) would lose the feed, so refuse."""
    runner = CliRunner()
    kept = runner.invoke(app, ["feeds", "issue", "network"]).stdout.split()[0].rsplit("/", 1)[1]
    monkeypatch.delenv("ONCALL_PUBLIC_URL")
    get_settings.cache_clear()
    feeds = FeedStore(Store.open(database_url(None, data_dir)).db)
    prefix = feed_token_prefix(kept.removesuffix(".ics"))
    assert prefix is not None
    for args in (["issue", "physician", "n1a"], ["rotate", prefix]):
        refused = runner.invoke(app, ["feeds", *args])
        assert refused.exit_code == 2 and refused.stdout == ""
        assert refused.stderr.count("\n") == 1 and refused.stderr.startswith("error: --base-url: ")
        assert "ONCALL_PUBLIC_URL" in refused.stderr and "nothing was issued" in refused.stderr
    assert [f.prefix for f in feeds.list_feeds()] == [prefix]  # nothing new
    assert feeds.lookup(kept.removesuffix(".ics"))[0] is not None  # and the old URL still works

    local = runner.invoke(app, ["feeds", "issue", "district", "north", "--base-url", "http://127.0.0.1:8001"])
    assert local.exit_code == 0 and local.stdout.startswith("http://127.0.0.1:8001/ical/ocf_")
    feeds.db.dispose()
