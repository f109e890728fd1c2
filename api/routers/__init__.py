"""One router per resource."""

from api.routers import audit, check, feeds, meta, physicians, previous, repairs, revisions, scenarios, solves, swaps

ROUTERS = [
    meta.router,
    scenarios.router,
    previous.router,
    physicians.router,
    solves.router,
    revisions.router,
    repairs.router,
    swaps.router,
    audit.router,
    check.router,
    feeds.router,
]

__all__ = ["ROUTERS"]
