"""``oncall users`` and ``oncall links``: who may use the web pages of ``oncall serve``.

Staff sign in with a name and a password (``users create``); physicians and hospitals open a personal
link ``/my/<token>`` (``links issue``), which can be rotated or revoked like a calendar feed.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from oncall.cli_networks import NetworkOption

if TYPE_CHECKING:
    from oncall.storage.web import WebStore

__all__ = ["MIN_PASSWORD", "register_web_commands"]

MIN_PASSWORD = 10

users_app = typer.Typer(help="Staff accounts of the web pages (sign-in with a password).", no_args_is_help=True)
links_app = typer.Typer(
    help="Personal links to the web pages of a physician or a hospital (/my/<token>).", no_args_is_help=True
)


def register_web_commands(app: typer.Typer) -> None:
    """Add ``users`` and ``links`` to the ``oncall`` command."""
    app.add_typer(users_app, name="users")
    app.add_typer(links_app, name="links")


def _web_store(network: str | None = None, *, every_network: bool = False) -> WebStore:
    """The accounts and links of ``network`` (the only one by default); of every network for the commands
    that name a link by its prefix, which is unique in the database."""
    from oncall.cli import _api_database_url, _guard
    from oncall.cli_networks import network_database
    from oncall.storage import Store
    from oncall.storage.web import WebStore

    if every_network:
        return WebStore(_guard(lambda: Store.open(_api_database_url())).db)
    return WebStore(network_database(network)[0])


def _read_password(from_stdin: bool) -> str:
    from oncall.cli import _fail

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD:
        _fail(f"--password: at least {MIN_PASSWORD} characters are needed (got {len(password)})")
    return password


@users_app.command("create")
def users_create(
    name: Annotated[str, typer.Option("--name", help="The sign-in name, e.g. the clerk's name or e-mail.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from the first line of standard input.")
    ] = False,
    network: NetworkOption = None,
) -> None:
    """Create a staff account of one network; only the argon2 hash of its password is stored."""
    from oncall.cli import _cli_actor, _fail, _guard

    name = name.strip()
    if not name or len(name) > 200:
        _fail("--name: give a name of 1 to 200 characters")
    store = _web_store(network)
    password = _read_password(password_stdin)
    user = _guard(lambda: store.create_user(name, password, _cli_actor()))
    typer.echo(f"staff account {user.name!r} created (id {user.id})")


class LinkKindChoice(StrEnum):
    physician = "physician"
    hospital = "hospital"


@links_app.command("issue")
def links_issue(
    kind: Annotated[LinkKindChoice, typer.Argument(help="physician or hospital.")],
    subject: Annotated[str, typer.Argument(help="The physician's or hospital's id in the scenarios.")],
    name: Annotated[str, typer.Option("--name", help="Who the link is for (shown in listings).")] = "",
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Where browsers reach the server (default: ONCALL_PUBLIC_URL).")
    ] = None,
    network: NetworkOption = None,
) -> None:
    """Issue a personal link of one network and print its URL once; only the hash of its token is stored."""
    from oncall.cli import _cli_actor, _guard

    store = _web_store(network)
    record, token = _guard(lambda: store.issue_link(kind.value, subject, name, _cli_actor()))
    typer.echo(_link_url(token, base_url))
    typer.echo(f"{record.prefix}: link of {kind.value} {subject!r} issued; it is not shown again", err=True)


def _link_url(token: str, base_url: str | None) -> str:
    from api.settings import get_settings
    from oncall.cli import _guard

    base = base_url or _guard(get_settings).public_url or "http://127.0.0.1:8000"
    return f"{base.rstrip('/')}/my/{token}"


@links_app.command("list")
def links_list(network: NetworkOption = None) -> None:
    """List the links of a network: prefix, kind, id, name, created, revoked."""
    for link in _web_store(network).list_links():
        state = f"revoked {link.revoked_at:%Y-%m-%d %H:%M}Z" if link.revoked_at else "active"
        typer.echo(
            f"{link.prefix}\t{link.kind}\t{link.subject}\t{link.name}\t{link.created_at:%Y-%m-%d %H:%M}Z\t{state}"
        )


def _prefix(value: str) -> str:
    from oncall.storage.web import link_prefix

    return link_prefix(value.rsplit("/", 1)[-1]) or value


@links_app.command("rotate")
def links_rotate(
    prefix: Annotated[str, typer.Argument(help="The link's prefix, e.g. ocl_1a2b3c4d (or the whole URL).")],
    base_url: Annotated[str | None, typer.Option("--base-url", help="Where browsers reach the server.")] = None,
) -> None:
    """Give the link a new secret: the old URL stops working; the new one is printed once."""
    from oncall.cli import _cli_actor, _guard

    store = _web_store(every_network=True)
    record, token = _guard(lambda: store.rotate_link(_prefix(prefix), _cli_actor()))
    typer.echo(_link_url(token, base_url))
    typer.echo(f"{record.prefix}: new link of {record.kind} {record.subject!r}", err=True)


@links_app.command("revoke")
def links_revoke(
    prefix: Annotated[str, typer.Argument(help="The link's prefix, e.g. ocl_1a2b3c4d (or the whole URL).")],
) -> None:
    """Revoke a link: its URL and the browsers signed in with it get no page from now on."""
    from oncall.cli import _cli_actor, _guard

    store = _web_store(every_network=True)
    record = _guard(lambda: store.revoke_link(_prefix(prefix), _cli_actor()))
    typer.echo(f"{record.prefix}: revoked")
