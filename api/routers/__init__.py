"""One router per resource."""

from api.routers import check, feeds, meta, physicians, revisions, scenarios, solves

ROUTERS = [
    meta.router,
    scenarios.router,
    physicians.router,
    solves.router,
    revisions.router,
    check.router,
    feeds.router,
]

__all__ = ["ROUTERS"]
