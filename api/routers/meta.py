"""Health, liveness and readiness, and the caller's own key."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import text

from api.deps import AnyKey, RootStore
from api.errors import ERROR_RESPONSES
from api.schemas import Health, Liveness, Readiness, WhoAmI
from oncall.errors import StorageError

router = APIRouter(tags=["meta"], responses=ERROR_RESPONSES)


@router.get("/health", response_model=Health)
def health(store: RootStore) -> Health:
    """Whether the server answers (no key needed)."""
    return Health(database=store.db.dialect)


@router.get("/healthz", response_model=Liveness)
def healthz() -> Liveness:
    """Liveness: the process answers (no key needed; touches neither database nor broker)."""
    return Liveness()


@router.get("/readyz", response_model=Readiness)
def readyz(request: Request, store: RootStore) -> Readiness:
    """Readiness: the database answers, and the broker when jobs go to workers (no key needed); else 503
    ``storage_unavailable`` naming which."""
    try:
        with store.db.transaction() as s:
            s.execute(text("SELECT 1"))
    except Exception as exc:
        raise StorageError(f"the database does not answer: {type(exc).__name__}") from exc
    check_broker = getattr(request.app.state.runner, "check_broker", None)
    if check_broker is not None:
        try:
            check_broker()
        except Exception as exc:
            raise StorageError(f"the task broker does not answer: {type(exc).__name__}") from exc
    return Readiness(database=store.db.dialect, broker=check_broker is not None)


@router.get("/whoami", response_model=WhoAmI)
def whoami(key: AnyKey) -> WhoAmI:
    """The API key the request was made with: its prefix, role and name."""
    return WhoAmI.of(key)
