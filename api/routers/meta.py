"""Health and the caller's own key."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import AnyKey, RootStore
from api.errors import ERROR_RESPONSES
from api.schemas import Health, WhoAmI

router = APIRouter(tags=["meta"], responses=ERROR_RESPONSES)


@router.get("/health", response_model=Health)
def health(store: RootStore) -> Health:
    """Whether the server answers (no key needed)."""
    return Health(database=store.db.dialect)


@router.get("/whoami", response_model=WhoAmI)
def whoami(key: AnyKey) -> WhoAmI:
    """The API key the request was made with: its prefix, role and name."""
    return WhoAmI.of(key)
