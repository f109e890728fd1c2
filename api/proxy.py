"""Trusting a reverse proxy: its X-Forwarded-Proto, -Host and -For, only from the addresses named.

Feed URLs are built from the address a request came to. Behind a reverse proxy that address is the
proxy's own (``http://127.0.0.1:8000``); the proxy says where the client really connected in
``X-Forwarded-Proto`` and ``X-Forwarded-Host``. Anyone can send those headers, so they are honoured only
when the peer is one of ``ONCALL_FORWARDED_ALLOW_IPS``.
"""

from __future__ import annotations

import ipaddress

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

__all__ = ["ForwardedHost", "parse_trusted", "trust_proxy"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted(value: str) -> tuple[Network, ...] | None:
    """The proxies a comma-separated list names; ``None`` for ``*`` (any peer).

    >>> parse_trusted("127.0.0.1, 10.0.0.0/8")
    (IPv4Network('127.0.0.1/32'), IPv4Network('10.0.0.0/8'))

    Raises ``ValueError`` naming the item that is neither an address nor a network.
    """
    items = [item.strip() for item in value.split(",") if item.strip()]
    if "*" in items:
        return None
    networks = []
    for item in items:
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"expected IP addresses or networks separated by commas, or *; got {item!r}") from None
    return tuple(networks)


def _peer_trusted(scope: Scope, trusted: tuple[Network, ...] | None) -> bool:
    client = scope.get("client")
    if trusted is None:
        return True
    try:
        peer = ipaddress.ip_address(client[0]) if client else None
    except ValueError:
        return False  # a unix socket or a test client: not a named proxy
    return peer is not None and any(peer in network for network in trusted)


class ForwardedHost:
    """Take the Host a trusted proxy forwards (``X-Forwarded-Host``) as the request's own."""

    def __init__(self, app: ASGIApp, trusted: tuple[Network, ...] | None) -> None:
        self.app = app
        self.trusted = trusted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _peer_trusted(scope, self.trusted):
            forwarded = dict(scope["headers"]).get(b"x-forwarded-host")
            if forwarded:
                # The first value is the client's: later ones are proxies in between.
                host = forwarded.split(b",")[0].strip()
                headers = [(k, v) for k, v in scope["headers"] if k != b"host"]
                scope = {**scope, "headers": [*headers, (b"host", host)]}
        await self.app(scope, receive, send)


def trust_proxy(app: FastAPI, allow_ips: str) -> None:
    """Make ``app`` honour the forwarded scheme, client and host of the proxies ``allow_ips`` names."""
    trusted = parse_trusted(allow_ips)
    # Scheme and client address by uvicorn's own middleware; the host, which it leaves alone, here.
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts="*" if trusted is None else [str(n) for n in trusted])
    app.add_middleware(ForwardedHost, trusted=trusted)  # added last, so it runs first: it sees the proxy's address
