"""``oncall networks``: the networks (tenants) of one deployment, and ``--network`` of the admin commands.

Every key, staff account, personal link and feed belongs to one network. The commands that issue them
take ``--network SLUG``; without it they use the only network, and fail (exit 2) naming the networks
when the database holds several.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from oncall.storage import Database, NetworkRecord, Store

__all__ = ["NetworkOption", "network_database", "register_network_commands"]

networks_app = typer.Typer(
    help="Networks (tenants): each has its own scenarios, rosters, keys, accounts, links and feeds.",
    no_args_is_help=True,
)

NetworkOption = Annotated[
    str | None,
    typer.Option("--network", help="The network's slug (default: the only network, when there is one)."),
]


def register_network_commands(app: typer.Typer) -> None:
    """Add ``networks`` to the ``oncall`` command."""
    app.add_typer(networks_app, name="networks")


def _root() -> Store:
    from oncall.cli import _api_database_url, _guard
    from oncall.storage import Store

    return _guard(lambda: Store.open(_api_database_url()))


def network_database(slug: str | None) -> tuple[Database, NetworkRecord]:
    """The API's database as network ``slug`` sees it (the only network without one), and that network."""
    from oncall.cli import _guard
    from oncall.storage import NetworkStore

    root = _root()
    network = _guard(lambda: NetworkStore(root.db).resolve_network(slug))
    return root.db.for_network(network.id), network


@networks_app.command("create")
def networks_create(
    slug: Annotated[str, typer.Option("--slug", help="Short id: lower-case letters, digits and '-'.")],
    name: Annotated[str, typer.Option("--name", help="The network's name (default: the slug).")] = "",
) -> None:
    """Create a network; its keys, accounts, links and feeds are then issued with --network SLUG."""
    from oncall.cli import _guard
    from oncall.storage import NetworkStore

    store = NetworkStore(_root().db)
    network = _guard(lambda: store.create_network(slug, name), option="--slug")
    typer.echo(f"network {network.slug!r} created (id {network.id}): {network.name}")


@networks_app.command("list")
def networks_list() -> None:
    """List the networks: id, slug, name, created."""
    from oncall.cli import _guard
    from oncall.storage import NetworkStore

    for n in _guard(NetworkStore(_root().db).list_networks):
        typer.echo(f"{n.id}\t{n.slug}\t{n.name}\t{n.created_at:%Y-%m-%d %H:%M}Z")
