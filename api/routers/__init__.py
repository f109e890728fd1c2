"""One router per resource."""

from api.routers import check, meta, physicians, revisions, scenarios, solves

ROUTERS = [meta.router, scenarios.router, physicians.router, solves.router, revisions.router, check.router]

__all__ = ["ROUTERS"]
